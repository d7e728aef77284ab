/*
 * ddl_check.c - indexes, columns and tables the dialect would not keep as
 * the schema says them, refused by name before any statement (sql/ddl.h,
 * rt__ddl_check_keys).
 *
 * An index of a method the backend has not (SQLite has B-trees only;
 * PostgreSQL no FULLTEXT), partial (WHERE), on an expression, with
 * INCLUDE columns or DESC keys where the backend has none (caps.index_*)
 * would be made as something else or not at all: refused, naming the
 * backend and what it lacks.
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
 *
 * A column with `server onupdate now` where the dialect has no ON UPDATE
 * clause (caps.server_onupdate false: SQLite, PostgreSQL) is refused
 * naming the table, the column and the backend (a trigger would be
 * another object the schema does not declare).
 *
 * An array column (int[]) where the dialect has no arrays (caps.arrays
 * false: SQLite, MariaDB) is refused naming the table, the column and the
 * backend.
 *
 * So are a table in a schema (PostgreSQL's namespaces) where the dialect
 * has none, a table's default collation (collate NAME after its name)
 * where the dialect has none (table_collation), table options (strict,
 * without rowid) and declarative
 * partitioning where the dialect has no words for them: refused, naming
 * the table, the option and the backend, before anything is written.
 */
#include "sql/ddl.h"

#include <string.h>

#include "base/error.h"
#include "dialect/registry.h"

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

/* A column key or INCLUDE column of unbounded length, for a dialect that
 * keeps a part of one in an index. */
static int check_unbounded(const rt_dialect *dialect, const rt_table *table,
			   const rt_index *index)
{
	for (size_t i = 0; i < index->key_count + index->include_count; i++) {
		const char *name = i < index->key_count ? index->keys[i].column
							 : index->include[i - index->key_count];
		const rt_column *column = name ? rt__table_find_column(table, name) : NULL;
		if (!column || !unbounded(column))
			continue;
		return rt__error_set(RT_EINVAL,
				     "table %s: index %s: column %s is %s, of unbounded length, "
				     "which %s keeps only a part of in an index; give the "
				     "column a length (string(n)) or leave it out of the index",
				     table->name, index->name ? index->name : "(unnamed)",
				     column->name, type_word(column), dialect->name);
	}
	return RT_OK;
}

const rt_index_method *rt__ddl_index_method(const rt_dialect *dialect, const char *name)
{
	for (const rt_index_method *m = dialect->index_methods; name && m && m->name; m++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

/* The backend's name for messages: "SQLite". */
static const char *title(const rt_dialect *dialect)
{
	const rt_backend *backend = rt__backend_find(dialect->name, -1);
	return backend ? backend->title : dialect->name;
}

/* "table t: index i: <what> has no <feature> (<as written>)", RT_EINVAL. */
static int lacks(const rt_dialect *dialect, const rt_table *table, const rt_index *index,
		 const char *feature, const char *written)
{
	return rt__error_set(RT_EINVAL, "table %s: index %s: %s has no %s (%s)", table->name,
			     index->name ? index->name : "(unnamed)", title(dialect), feature,
			     written);
}

/* What the index says that the dialect cannot keep. */
static int check_features(const rt_dialect *dialect, const rt_table *table,
			  const rt_index *index)
{
	if (index->method && !rt__ddl_index_method(dialect, index->method)) {
		rt_buf known = RT_BUF_INIT;
		for (const rt_index_method *m = dialect->index_methods; m && m->name; m++)
			rt__buf_printf(&known, "%s%s", known.len ? ", " : "", m->name);
		int rc = rt__error_set(RT_EINVAL,
				       "table %s: index %s: %s has no index method %s (using %s); "
				       "%s%s",
				       table->name, index->name ? index->name : "(unnamed)",
				       title(dialect), index->method, index->method,
				       known.len ? "its methods besides btree: " : "its indexes are "
										   "B-trees only",
				       known.len ? rt__buf_cstr(&known) : "");
		rt__buf_free(&known);
		return rc;
	}
	if (index->where && !dialect->caps.index_where) {
		rt_buf written = RT_BUF_INIT;
		rt__buf_puts(&written, "where ");
		rt__buf_put_quoted(&written, index->where, '\'');
		int rc = lacks(dialect, table, index, "partial indexes", rt__buf_cstr(&written));
		rt__buf_free(&written);
		return rc;
	}
	if (index->include_count && !dialect->caps.index_include) {
		rt_buf written = RT_BUF_INIT;
		rt__buf_puts(&written, "include ");
		for (size_t i = 0; i < index->include_count; i++)
			rt__buf_printf(&written, "%s%s", i ? ", " : "(", index->include[i]);
		rt__buf_putc(&written, ')');
		int rc = lacks(dialect, table, index, "INCLUDE columns in an index",
			       rt__buf_cstr(&written));
		rt__buf_free(&written);
		return rc;
	}
	for (size_t i = 0; i < index->key_count; i++) {
		const rt_index_key *key = &index->keys[i];
		if (key->expr && !dialect->caps.index_expressions)
			return lacks(dialect, table, index, "indexes on expressions", key->expr);
		if (key->desc && !dialect->caps.index_desc)
			return lacks(dialect, table, index, "descending index keys", "desc");
	}
	return RT_OK;
}

int rt__ddl_check_index(const rt_dialect *dialect, const rt_table *table,
			const rt_index *index)
{
	if (!dialect || !table || !index)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_index: NULL argument");
	int rc = check_features(dialect, table, index);
	/* A unique key is kept whole (see above); a FULLTEXT index holds the
	 * whole text. */
	if (rc == RT_OK && !dialect->caps.index_unbounded && !index->unique && !index->method)
		rc = check_unbounded(dialect, table, index);
	return rc;
}

int rt__ddl_check_type(const rt_dialect *dialect, const char *table, const char *column,
		       const rt_type *type)
{
	if (!dialect || !table || !column || !type)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_type: NULL argument");
	if (!type->array || dialect->caps.arrays)
		return RT_OK;
	rt_arena *arena = rt__arena_new();
	const char *name = arena ? rt__type_name(arena, type) : NULL;
	int rc = rt__error_set(RT_EINVAL,
			       "table %s: column %s is an array (%s), which %s does not have "
			       "(arrays are PostgreSQL's); keep the values in a table of "
			       "their own, or as text (json)",
			       table, column, name ? name : "[]", title(dialect));
	rt__arena_free(arena);
	return rc;
}

int rt__ddl_check_onupdate(const rt_dialect *dialect, const char *table,
			   const rt_column *column)
{
	if (!column->server_onupdate || dialect->caps.server_onupdate)
		return RT_OK;
	return rt__error_set(RT_EINVAL,
			     "table %s: column %s says 'server onupdate now', which %s does not "
			     "have (ON UPDATE CURRENT_TIMESTAMP is MariaDB's); leave it out and "
			     "set the column when the row is updated",
			     table, column->name, dialect->name);
}

static int check_generated(const rt_dialect *dialect, const rt_table *table)
{
	for (size_t i = 0; i < table->column_count; i++) {
		const rt_column *column = table->columns[i];
		int rc = rt__ddl_check_type(dialect, table->name, column->name, &column->type);
		if (rc < 0)
			return rc;
		if ((rc = rt__ddl_check_onupdate(dialect, table->name, column)) < 0)
			return rc;
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
	for (size_t i = 0; rc == RT_OK && i < table->index_count; i++)
		rc = rt__ddl_check_index(dialect, table, table->indexes[i]);
	return rc;
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

int rt__ddl_check_table_collation(const rt_dialect *dialect, const char *table,
				  const char *collation)
{
	if (!collation || (dialect->table_collation && dialect->alter_table_collation))
		return RT_OK;
	return rt__error_set(RT_EINVAL,
			     "table %s: 'collate %s' - %s has no default collation of a table "
			     "(MariaDB's DEFAULT COLLATE); give the table's text columns "
			     "'collate' of their own, or leave it out for %s",
			     table, collation, dialect->name, dialect->name);
}

int rt__ddl_check_table_schema(const rt_dialect *dialect, const rt_table *table)
{
	if (dialect->caps.schemas || !table->schema)
		return RT_OK;
	return rt__error_set(RT_EINVAL,
			     "table %s: schema '%s' - %s has no schemas of tables (PostgreSQL's "
			     "CREATE SCHEMA); leave the schema out of the table for %s",
			     table->name, table->schema, dialect->name, dialect->name);
}

int rt__ddl_check_named_schema(const rt_dialect *dialect, const char *what, const char *name,
				const char *schema)
{
	if (dialect->caps.schemas || !schema)
		return RT_OK;
	return rt__error_set(RT_EINVAL,
			     "%s %s: schema '%s' - %s has no schemas (PostgreSQL's CREATE "
			     "SCHEMA); leave the schema out of the %s's name for %s",
			     what, name, schema, dialect->name, what, dialect->name);
}

int rt__ddl_check_enum_schema(const rt_dialect *dialect, const rt_enum *e)
{
	if (dialect->caps.schemas || !e->schema)
		return RT_OK;
	rt_buf name = RT_BUF_INIT; /* billing.InvoiceState */
	rt__buf_printf(&name, "%s.%s", e->schema, e->name);
	int rc = rt__buf_failed(&name)
			 ? rt__error_nomem()
			 : rt__ddl_check_named_schema(dialect, "enum", rt__buf_cstr(&name), e->schema);
	rt__buf_free(&name);
	return rc;
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
