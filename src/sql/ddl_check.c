/*
 * ddl_check.c - keys and columns the dialect would not keep as the schema
 * says them, refused by name before any statement (sql/ddl.h,
 * rt__ddl_check_keys).
 *
 * A virtual generated column where the dialect has stored ones only
 * (caps.generated_virtual false: PostgreSQL 15) is refused naming the
 * column and the backend: made stored it would be another column, taking
 * room in every row and computed at another time.
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

static int check_generated(const rt_dialect *dialect, const rt_table *table)
{
	for (size_t i = 0; i < table->column_count; i++) {
		const rt_column *column = table->columns[i];
		if (column->generated && column->generated_virtual &&
		    !dialect->caps.generated_virtual)
			return rt__error_set(RT_EINVAL,
					     "table %s: column %s is a virtual generated column, "
					     "which %s does not have (its generated columns are "
					     "stored only); declare it stored",
					     table->name, column->name, dialect->name);
	}
	return RT_OK;
}

int rt__ddl_check_keys(const rt_dialect *dialect, const rt_table *table)
{
	if (!dialect || !table)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_keys: NULL argument");
	int rc = check_generated(dialect, table);
	if (rc == RT_OK && !dialect->caps.index_unbounded)
		rc = check_table(dialect, table);
	return rc;
}
