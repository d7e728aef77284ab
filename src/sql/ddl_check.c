/*
 * ddl_check.c - keys the dialect would not keep as the schema says them,
 * refused by name before any statement (sql/ddl.h, rt__ddl_check_keys).
 *
 * An index on a column of unbounded length (string without a length,
 * text, blob, json) is kept whole by SQLite and PostgreSQL. Where the
 * dialect says it is not (caps.index_unbounded false: InnoDB keys hold at
 * most 3072 bytes, and MariaDB silently makes such an index one on the
 * column's first 768 characters, or fails on a composite one), the index
 * would not be what the schema says, reflection could not read it back,
 * and a later change of the column's type would shorten it without a
 * word: refused, naming the index and the column, with what to write
 * instead. A unique key is kept whole there (MariaDB makes it a hash of
 * the whole value) and a primary key on such a column is the database's
 * own error.
 *
 * So are table options (strict, without rowid) and declarative
 * partitioning where the dialect has no words for them: refused, naming
 * the table, the option and the backend, before anything is written.
 */
#include "sql/ddl.h"

#include <string.h>

#include "base/error.h"

static bool unbounded(const rt_column *column)
{
	switch (column->type.kind) {
	case RT_TYPE_STRING: return column->type.length == 0;
	case RT_TYPE_TEXT:
	case RT_TYPE_BLOB:
	case RT_TYPE_JSON: return true;
	default: return false;
	}
}

static const char *type_word(const rt_column *column)
{
	switch (column->type.kind) {
	case RT_TYPE_STRING: return "string";
	case RT_TYPE_TEXT: return "text";
	case RT_TYPE_BLOB: return "blob";
	default: return "json";
	}
}

/* The index's columns. */
static int check_columns(const rt_dialect *dialect, const rt_table *table, const char *what,
			 const char *name, const char *const *columns, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const rt_column *column = columns[i] ? rt__table_find_column(table, columns[i])
						     : NULL;
		if (!column || !unbounded(column))
			continue;
		return rt__error_set(RT_EINVAL,
				     "table %s: %s %s: column %s is %s, of unbounded length, "
				     "which %s keeps only a part of in an index; give the "
				     "column a length (string(n)) or leave it out of the %s",
				     table->name, what, name ? name : "(unnamed)", column->name,
				     type_word(column), dialect->name, what);
	}
	return RT_OK;
}

/* Every index of table but the unique ones. */
static int check_table(const rt_dialect *dialect, const rt_table *table)
{
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < table->index_count; i++) {
		const rt_index *x = table->indexes[i];
		if (!x->unique)
			rc = check_columns(dialect, table, "index", x->name, x->columns,
					   x->column_count);
	}
	return rc;
}

int rt__ddl_check_key_columns(const rt_dialect *dialect, const rt_table *table,
			      const char *what, const char *name, const char *const *columns,
			      size_t count)
{
	if (!dialect || !table || !what || (count && !columns))
		return rt__error_set(RT_EINVAL, "rt__ddl_check_key_columns: NULL argument");
	if (dialect->caps.index_unbounded)
		return RT_OK;
	return check_columns(dialect, table, what, name, columns, count);
}

int rt__ddl_check_keys(const rt_dialect *dialect, const rt_table *table)
{
	if (!dialect || !table)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_keys: NULL argument");
	return dialect->caps.index_unbounded ? RT_OK : check_table(dialect, table);
}

int rt__ddl_check_table_options(const rt_dialect *dialect, const char *table,
				unsigned options)
{
	if (!dialect || !table)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_table_options: NULL argument");
	for (size_t i = 0; i < RT_TABLE_OPTION_COUNT; i++)
		if ((options & rt__table_option_bit(i)) && !dialect->table_option_sql[i])
			return rt__error_set(RT_EINVAL,
					     "table %s: '%s' is a table option %s does not have; "
					     "leave it out of the table for %s",
					     table, rt__table_option_word(i), dialect->name,
					     dialect->name);
	return RT_OK;
}

int rt__ddl_check_partitioning(const rt_dialect *dialect, const rt_table *table)
{
	if (!dialect || !table)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_partitioning: NULL argument");
	if (dialect->partition_clause && dialect->partition_of)
		return RT_OK;
	if (table->partition_of)
		return rt__error_set(RT_EINVAL,
				     "table %s: the language's partitioning ('partition of %s') "
				     "is not one %s has; declare the table as one of its own for "
				     "%s",
				     table->name, table->partition_of, dialect->name,
				     dialect->name);
	if (table->partition_by != RT_PARTITION_NONE)
		return rt__error_set(RT_EINVAL,
				     "table %s: the language's partitioning ('partition by %s') "
				     "is not one %s has; leave it out of the table for %s",
				     table->name, rt__partition_method_word(table->partition_by),
				     dialect->name, dialect->name);
	return RT_OK;
}
