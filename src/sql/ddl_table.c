/*
 * ddl_table.c - the pieces of one table's DDL (sql/ddl.h): its CREATE
 * TABLE with columns, constraints and partitioning, its indexes, and the
 * literals and constraint clauses ALTER statements reuse.
 *
 * ddl.c orders whole schemas out of these pieces; its header comment says
 * which capability decides what. A constraint that must wait for ALTER
 * TABLE (rt__ddl_comes_late) is left out of CREATE TABLE here and added
 * there.
 */
#include "sql/ddl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "schema/naming.h"

/* --- pieces -------------------------------------------------------------------- */

static void put_ident(rt_buf *buf, const rt_dialect *dialect, const char *ident)
{
	dialect->quote_ident(buf, ident);
}

void rt__ddl_put_table(rt_buf *buf, const rt_dialect *dialect, const rt_table *table)
{
	if (table->schema) {
		put_ident(buf, dialect, table->schema);
		rt__buf_putc(buf, '.');
	}
	put_ident(buf, dialect, rt__table_sql_name(table));
}

void rt__ddl_put_table_named(rt_buf *buf, const rt_dialect *dialect, const rt_schema *schema,
			     const char *name)
{
	const rt_table *table = schema && name ? rt__schema_find_table(schema, name) : NULL;
	if (table)
		rt__ddl_put_table(buf, dialect, table);
	else
		put_ident(buf, dialect, name ? name : "");
}

static void put_ident_list(rt_buf *buf, const rt_dialect *dialect, const char *const *names,
			   size_t count)
{
	rt__buf_putc(buf, '(');
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			rt__buf_puts(buf, ", ");
		put_ident(buf, dialect, names[i]);
	}
	rt__buf_putc(buf, ')');
}

static const char *action_sql(rt_fk_action action)
{
	switch (action) {
	case RT_FK_RESTRICT: return "RESTRICT";
	case RT_FK_CASCADE: return "CASCADE";
	case RT_FK_SET_NULL: return "SET NULL";
	case RT_FK_SET_DEFAULT: return "SET DEFAULT";
	case RT_FK_NO_ACTION: break;
	}
	return NULL;
}

void rt__ddl_literal(rt_buf *buf, const rt_literal *literal, const rt_dialect *dialect)
{
	(void)dialect;
	const char *text = literal->text ? literal->text : "";
	switch (literal->kind) {
	case RT_LITERAL_NONE:
		break;
	case RT_LITERAL_NUMBER:
		rt__buf_puts(buf, text);
		break;
	case RT_LITERAL_STRING:
	case RT_LITERAL_ENUM:
		rt__buf_put_sql_string(buf, text);
		break;
	case RT_LITERAL_BOOL:
		rt__buf_puts(buf, strcmp(text, "true") == 0 ? "TRUE" : "FALSE");
		break;
	case RT_LITERAL_NOW:
		rt__buf_puts(buf, "CURRENT_TIMESTAMP");
		break;
	case RT_LITERAL_SQL:
		rt__buf_printf(buf, "(%s)", text);
		break;
	}
}

void rt__ddl_constraint(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			const rt_constraint *c, const rt_dialect *dialect)
{
	if (c->name) {
		rt__buf_puts(buf, "CONSTRAINT ");
		put_ident(buf, dialect, c->name);
		rt__buf_putc(buf, ' ');
	}
	switch (c->kind) {
	case RT_CONSTRAINT_PRIMARY_KEY:
		rt__buf_puts(buf, "PRIMARY KEY ");
		put_ident_list(buf, dialect, c->columns, c->column_count);
		break;
	case RT_CONSTRAINT_UNIQUE:
		rt__buf_puts(buf, "UNIQUE ");
		put_ident_list(buf, dialect, c->columns, c->column_count);
		break;
	case RT_CONSTRAINT_FOREIGN_KEY: {
		rt__buf_puts(buf, "FOREIGN KEY ");
		put_ident_list(buf, dialect, c->columns, c->column_count);
		rt__buf_puts(buf, " REFERENCES ");
		/* The table itself may not be in schema yet (a table being
		 * created references itself). */
		if (c->ref_table && strcmp(c->ref_table, table->name) == 0)
			rt__ddl_put_table(buf, dialect, table);
		else
			rt__ddl_put_table_named(buf, dialect, schema, c->ref_table);
		rt__buf_putc(buf, ' ');
		put_ident_list(buf, dialect, c->ref_columns, c->ref_column_count);
		const char *on_delete = action_sql(c->on_delete);
		const char *on_update = action_sql(c->on_update);
		if (on_delete)
			rt__buf_printf(buf, " ON DELETE %s", on_delete);
		if (on_update)
			rt__buf_printf(buf, " ON UPDATE %s", on_update);
		/* A dialect without deferrable keys refused this before
		 * (rt__ddl_check_constraint). */
		if (c->deferrable == RT_DEFERRABLE_IMMEDIATE)
			rt__buf_puts(buf, " DEFERRABLE INITIALLY IMMEDIATE");
		else if (c->deferrable == RT_DEFERRABLE_DEFERRED)
			rt__buf_puts(buf, " DEFERRABLE INITIALLY DEFERRED");
		break;
	}
	case RT_CONSTRAINT_CHECK:
		rt__buf_printf(buf, "CHECK (%s)", c->check ? c->check : "");
		break;
	}
}

/* Is column an autoincrementing integer the dialect can make so? */
static bool is_identity(const rt_column *column, const rt_dialect *dialect)
{
	return dialect->caps.autoincrement == RT_AUTOINCREMENT_CLAUSE &&
	       rt__column_autoincrements(column);
}

/* SQLite: the one-column integer primary key, written inline so that it
 * is the rowid (and so autoincrements). */
static bool is_rowid(const rt_table *table, const rt_column *column,
		     const rt_dialect *dialect)
{
	const rt_constraint *pk = table->primary_key;
	return dialect->caps.autoincrement == RT_AUTOINCREMENT_ROWID && column->autoincrement &&
	       rt__type_is_integer(column->type.kind) && pk && pk->column_count == 1 &&
	       strcmp(pk->columns[0], column->name) == 0;
}

/* A collation name: quoted where its case counts (PostgreSQL's "C"), else
 * bare when it is one word (SQLite's NOCASE, MariaDB's utf8mb4_bin). */
static void put_collation(rt_buf *buf, const rt_dialect *dialect, const char *name)
{
	bool word = *name != '\0' && !(*name >= '0' && *name <= '9');
	for (const char *c = name; word && *c; c++)
		word = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		       (*c >= '0' && *c <= '9') || *c == '_';
	if (word && !dialect->caps.collation_case_matters)
		rt__buf_puts(buf, name);
	else
		put_ident(buf, dialect, name);
}

void rt__ddl_column(rt_buf *buf, const rt_schema *schema, const rt_table *table,
		    const rt_column *column, const rt_dialect *dialect)
{
	put_ident(buf, dialect, column->name);
	rt__buf_putc(buf, ' ');
	dialect->column_type(buf, schema, table, column);
	if (column->collation) {
		rt__buf_puts(buf, " COLLATE ");
		put_collation(buf, dialect, column->collation);
	}
	/* The same words on every backend (MariaDB takes STORED for its
	 * PERSISTENT); a backend without VIRTUAL refused it before
	 * (ddl_check.c). */
	if (column->generated)
		rt__buf_printf(buf, " GENERATED ALWAYS AS (%s) %s", column->generated,
			       column->generated_virtual ? "VIRTUAL" : "STORED");
	if (!column->nullable && (!column->generated || dialect->caps.generated_not_null))
		rt__buf_puts(buf, " NOT NULL");
	if (is_identity(column, dialect)) {
		rt__buf_putc(buf, ' ');
		rt__buf_puts(buf, dialect->autoincrement_clause);
	} else if (column->server_default.kind != RT_LITERAL_NONE) {
		rt__buf_puts(buf, " DEFAULT ");
		rt__ddl_literal(buf, &column->server_default, dialect);
	}
	/* A backend without it refused the column before (ddl_check.c). */
	if (column->server_onupdate) {
		static const rt_literal now = {RT_LITERAL_NOW, "now"};
		rt__buf_puts(buf, " ON UPDATE ");
		rt__ddl_literal(buf, &now, dialect);
	}
}

/* CREATE [UNIQUE] [FULLTEXT] INDEX i ON t [USING gin] (a, lower(b), (c + d) DESC)
 * [INCLUDE (e)] [WHERE ...]: the method as the dialect spells it (an
 * index of a method it lacks was refused before, sql/ddl_check.c); an
 * expression and the WHERE as written, an expression in parentheses
 * unless it is a function call. */
void rt__ddl_create_index(rt_buf *buf, const rt_table *table, const rt_index *index,
			  const rt_dialect *dialect)
{
	const rt_index_method *method = rt__ddl_index_method(dialect, index->method);
	rt__buf_puts(buf, index->unique ? "CREATE UNIQUE " : "CREATE ");
	if (method && method->before_index)
		rt__buf_printf(buf, "%s ", method->before_index);
	rt__buf_puts(buf, "INDEX ");
	put_ident(buf, dialect, index->name ? index->name : "");
	rt__buf_puts(buf, " ON ");
	rt__ddl_put_table(buf, dialect, table);
	if (method && method->using_method)
		rt__buf_printf(buf, " USING %s", method->using_method);
	rt__buf_puts(buf, " (");
	for (size_t i = 0; i < index->key_count; i++) {
		const rt_index_key *key = &index->keys[i];
		if (i > 0)
			rt__buf_puts(buf, ", ");
		if (key->column)
			put_ident(buf, dialect, key->column);
		else if (rt__index_expr_is_call(key->expr))
			rt__buf_puts(buf, key->expr);
		else
			rt__buf_printf(buf, "(%s)", key->expr);
		if (key->desc)
			rt__buf_puts(buf, " DESC");
	}
	rt__buf_putc(buf, ')');
	if (index->include_count) {
		rt__buf_puts(buf, " INCLUDE ");
		put_ident_list(buf, dialect, index->include, index->include_count);
	}
	if (index->where)
		rt__buf_printf(buf, " WHERE %s", index->where);
}

static const rt_enum *column_enum(const rt_schema *schema, const rt_column *column)
{
	if (column->type.kind != RT_TYPE_ENUM)
		return NULL;
	if (column->type.enum_type)
		return column->type.enum_type;
	return column->type.enum_name ? rt__schema_find_enum(schema, column->type.enum_name)
				       : NULL;
}

/* Where enums are RT_ENUM_CHECK the values are kept by a CHECK named
 * ck_<table>_<column>_enum. Returns false when out of memory. */
static bool put_enum_check(rt_buf *buf, const rt_table *table, const rt_column *column,
			   const rt_enum *e, const rt_dialect *dialect)
{
	rt_arena *arena = rt__arena_new();
	const char *name = arena ? rt__name_enum_check(arena, table->name, column->name) : NULL;
	if (name) {
		rt__buf_puts(buf, "CONSTRAINT ");
		put_ident(buf, dialect, name);
		rt__buf_puts(buf, " CHECK (");
		put_ident(buf, dialect, column->name);
		rt__buf_puts(buf, " IN (");
		for (size_t i = 0; i < e->value_count; i++) {
			if (i > 0)
				rt__buf_puts(buf, ", ");
			rt__buf_put_sql_string(buf, e->values[i]);
		}
		rt__buf_puts(buf, "))");
	}
	rt__arena_free(arena);
	return name != NULL;
}

/* Are the columns (in any order) the primary key's or those of one of the
 * first `before` constraints, a unique one? */
static bool key_of(const rt_table *table, const char *const *columns, size_t count,
		   size_t before)
{
	const rt_constraint *pk = table->primary_key;
	if (pk && rt__names_same_set(columns, count, pk->columns, pk->column_count))
		return true;
	for (size_t i = 0; i < before; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE &&
		    rt__names_same_set(columns, count, c->columns, c->column_count))
			return true;
	}
	return false;
}

/*
 * Does constraint k of table come after CREATE TABLE, as ALTER TABLE ...
 * ADD, where the dialect can do that? Two kinds do:
 *   - a unique constraint repeating the columns of the primary key or of
 *     an earlier unique constraint: PostgreSQL's CREATE TABLE drops it
 *     silently (any order of the columns counts: adding one late is
 *     always safe);
 *   - a foreign key to the table itself whose columns only a unique index
 *     makes unique: the index does not exist yet when the table is made.
 */
bool rt__ddl_comes_late(const rt_table *table, size_t k, const rt_dialect *dialect)
{
	const rt_constraint *c = table->constraints[k];
	if (!dialect->caps.alter_add_constraint)
		return false;
	if (c->kind == RT_CONSTRAINT_UNIQUE)
		return key_of(table, c->columns, c->column_count, k);
	return c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
	       strcmp(c->ref_table, table->name) == 0 &&
	       !key_of(table, c->ref_columns, c->ref_column_count, table->constraint_count);
}

/* CREATE TABLE with every constraint inline except the foreign keys marked
 * in deferred (parallel to table->constraints; NULL = none deferred) and
 * those that come late. The table is created as sql_name, its constraints
 * named after table->name. */
/* CREATE TABLE p PARTITION OF t [(its own constraints)] FOR VALUES ...:
 * its columns and keys are its partitioned table's; its own indexes come
 * after it, like any table's. (A dialect
 * without partitioning refused it before: ddl_check.c.) */
static void create_partition(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			     const rt_dialect *dialect, const bool *deferred)
{
	rt__buf_puts(buf, "CREATE TABLE ");
	rt__ddl_put_table(buf, dialect, table);
	if (dialect->partition_of)
		dialect->partition_of(buf, table);
	const char *sep = " (\n  ";
	for (size_t i = 0; i < table->constraint_count; i++) {
		if ((deferred && deferred[i]) || rt__ddl_comes_late(table, i, dialect))
			continue;
		rt__buf_puts(buf, sep);
		rt__ddl_constraint(buf, schema, table, table->constraints[i], dialect);
		sep = ",\n  ";
	}
	if (sep[0] == ',')
		rt__buf_puts(buf, "\n)");
	if (dialect->partition_clause)
		dialect->partition_clause(buf, table);
}

static void create_table_as(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			    const char *sql_name, const rt_dialect *dialect,
			    const bool *deferred)
{
	if (table->partition_of) {
		create_partition(buf, schema, table, dialect, deferred);
		return;
	}
	bool pk_inline = false;
	rt__buf_puts(buf, "CREATE TABLE ");
	if (strcmp(sql_name, table->name) == 0)
		rt__ddl_put_table(buf, dialect, table);
	else
		put_ident(buf, dialect, sql_name); /* a rebuild's new table */
	rt__buf_puts(buf, " (");
	const char *sep = "\n  ";
	for (size_t i = 0; i < table->column_count; i++) {
		const rt_column *column = table->columns[i];
		rt__buf_puts(buf, sep);
		rt__ddl_column(buf, schema, table, column, dialect);
		if (is_rowid(table, column, dialect)) {
			if (table->primary_key->name) {
				rt__buf_puts(buf, " CONSTRAINT ");
				put_ident(buf, dialect, table->primary_key->name);
			}
			rt__buf_puts(buf, " PRIMARY KEY");
			pk_inline = true;
		}
		sep = ",\n  ";
	}
	if (table->primary_key && !pk_inline) {
		rt__buf_puts(buf, sep);
		rt__ddl_constraint(buf, schema, table, table->primary_key, dialect);
	}
	for (size_t i = 0; i < table->constraint_count; i++) {
		if ((deferred && deferred[i]) || rt__ddl_comes_late(table, i, dialect))
			continue;
		rt__buf_puts(buf, sep);
		rt__ddl_constraint(buf, schema, table, table->constraints[i], dialect);
	}
	if (dialect->caps.enum_kind == RT_ENUM_CHECK) {
		for (size_t i = 0; i < table->column_count; i++) {
			const rt_enum *e = column_enum(schema, table->columns[i]);
			if (!e)
				continue;
			rt__buf_puts(buf, sep);
			if (!put_enum_check(buf, table, table->columns[i], e, dialect))
				buf->failed = true;
		}
	}
	rt__buf_puts(buf, "\n)");
	const char *sep2 = " ";
	for (size_t i = 0; i < RT_TABLE_OPTION_COUNT; i++) {
		/* An option the dialect lacks was refused before (ddl_check.c). */
		if ((table->options & rt__table_option_bit(i)) && dialect->table_option_sql[i]) {
			rt__buf_puts(buf, sep2);
			rt__buf_puts(buf, dialect->table_option_sql[i]);
			sep2 = ", ";
		}
	}
	/* A dialect without table collations refused the table before. */
	if (table->collation && dialect->table_collation)
		dialect->table_collation(buf, dialect, table->collation);
	if (table->partition_by != RT_PARTITION_NONE && dialect->partition_clause)
		dialect->partition_clause(buf, table);
}

void rt__ddl_create_table_deferred(rt_buf *buf, const rt_schema *schema, const rt_table *table,
				     const rt_dialect *dialect, const bool *deferred)
{
	create_table_as(buf, schema, table, table->name, dialect, deferred);
}

void rt__ddl_create_table_as(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			     const char *sql_name, const rt_dialect *dialect)
{
	create_table_as(buf, schema, table, sql_name, dialect, NULL);
}

void rt__ddl_create_table(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			  const rt_dialect *dialect, bool inline_foreign_keys)
{
	if (inline_foreign_keys || table->constraint_count == 0) {
		rt__ddl_create_table_deferred(buf, schema, table, dialect, NULL);
		return;
	}
	bool *deferred = malloc(table->constraint_count * sizeof(bool));
	if (!deferred) {
		buf->failed = true;
		return;
	}
	for (size_t i = 0; i < table->constraint_count; i++)
		deferred[i] = table->constraints[i]->kind == RT_CONSTRAINT_FOREIGN_KEY;
	rt__ddl_create_table_deferred(buf, schema, table, dialect, deferred);
	free(deferred);
}
