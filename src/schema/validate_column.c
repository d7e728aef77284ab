/*
 * validate_column.c - the column options that must agree with the column's
 * type or with each other (validate.h): the element types of an array, a
 * collation only on text, a generated column with nothing else that
 * gives it a value, `server onupdate now` and `onupdate now` on a
 * timestamp only, and `version` on one NOT NULL integer per table.
 */
#include "schema/validate.h"

/* A collation orders and compares text: on any other type the databases
 * refuse it (a verbatim type, citext say, is theirs to judge). */
static void check_collation(rt_build *b, const rt_ast_member *m, const rt_type *type)
{
	const rt_ast_name *collation = &m->col->collation;
	bool text = type->kind == RT_TYPE_STRING || type->kind == RT_TYPE_CHAR ||
		    type->kind == RT_TYPE_TEXT || type->kind == RT_TYPE_SQL;
	if (collation->text && !text)
		rt__diag_error(b->diags, collation->pos,
			       "'collate' applies to text columns (string, char, text or "
			       "sql '...'); '%s' is %s",
			       m->name.text, m->type_name.text);
}

/* A generated column takes every value from its expression: nothing else
 * may give it one, and a key must not change under the rows it joins. */
static void check_generated(rt_build *b, const rt_ast_member *m)
{
	const rt_ast_column_options *col = m->col;
	if (!col->generated.text)
		return;
	struct {
		bool written;
		rt_pos pos;
		const char *what;
	} refused[] = {
		{col->default_value.value.kind != RT_LITERAL_NONE, col->default_value.pos,
		 "'default'"},
		{col->server_default.value.kind != RT_LITERAL_NONE, col->server_default.pos,
		 "'server default'"},
		{col->autoincrement == RT_AST_AUTOINCREMENT_ON, col->autoincrement_pos,
		 "'autoincrement'"},
		{RT_POS_SET(col->primary_key), col->primary_key, "'primary key'"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (refused[i].written)
			rt__diag_error(b->diags, refused[i].pos,
				       "%s does not go with 'generated': '%s' takes every "
				       "value from its expression",
				       refused[i].what, m->name.text);
}

/* The element types an array may have: every built-in type and enum but
 * blob (an array of byte strings has no C mapping here; sql 'bytea[]'
 * keeps one verbatim). A verbatim type's array is written inside the
 * quotes (the parser says so). */
static void check_array(rt_build *b, const rt_ast_member *m, const rt_type *type)
{
	if (type->array && type->kind == RT_TYPE_BLOB)
		rt__diag_error(b->diags, m->type_name.pos,
			       "an array of blob is not one of the language's types; "
			       "write sql 'bytea[]' to keep it verbatim (text in C)");
}

/* `server onupdate now` (server true: the database sets the current time
 * on update) and `onupdate now` (the ORM writes it): a timestamp column,
 * and not one computed from an expression. The database's may also be a
 * verbatim type (MariaDB's TIMESTAMP say, the database's to judge); the
 * ORM's must be a type whose C value it can make. */
static void check_onupdate(rt_build *b, const rt_ast_member *m, const rt_type *type, bool server)
{
	rt_pos pos = server ? m->col->server_onupdate : m->col->onupdate;
	if (!RT_POS_SET(pos))
		return;
	const char *option = server ? "server onupdate" : "onupdate";
	bool timestamp = type->kind == RT_TYPE_TIMESTAMP || type->kind == RT_TYPE_TIMESTAMPTZ ||
			 (server && type->kind == RT_TYPE_SQL);
	if (!timestamp || type->array)
		rt__diag_error(b->diags, pos,
			       "'%s now' applies to timestamp columns (timestamp%s); '%s' is of "
			       "type %s",
			       option,
			       server ? ", timestamptz or a verbatim sql type" : " or timestamptz",
			       m->name.text, m->type_name.text);
	else if (m->col->generated.text)
		rt__diag_error(b->diags, pos,
			       "'%s' does not go with 'generated': '%s' takes every value from its "
			       "expression",
			       option, m->name.text);
}

/* The version counter: an integer the ORM counts in, so NOT NULL, not a
 * key (the row is found by its key while the version is checked), not
 * one the database computes. */
static void check_version_options(rt_build *b, const rt_ast_member *m, const rt_type *type)
{
	const rt_ast_column_options *col = m->col;
	rt_pos pos = col->version;
	if (!RT_POS_SET(pos))
		return;
	if (!rt__type_is_integer(type->kind) || type->array)
		rt__diag_error(b->diags, pos,
			       "'version' applies to integer columns (smallint, int or bigint); "
			       "'%s' is of type %s",
			       m->name.text, m->type_name.text);
	else if (m->optional)
		rt__diag_error(b->diags, pos,
			       "a 'version' column is NOT NULL: remove the '?' of '%s'",
			       m->name.text);
	else if (RT_POS_SET(col->primary_key) || col->generated.text ||
		 col->autoincrement == RT_AST_AUTOINCREMENT_ON)
		rt__diag_error(b->diags, pos,
			       "'version' does not go with 'primary key', 'autoincrement' or "
			       "'generated': the ORM counts '%s' itself",
			       m->name.text);
}

void rt__build_check_version(rt_build *b, const rt_ast_member *m, const rt_table *table,
			     const rt_column *column)
{
	for (size_t i = 0; i < table->column_count; i++) {
		const rt_column *other = table->columns[i];
		if (other != column && other->version) {
			rt__diag_error(b->diags, m->col->version,
				       "table %s has two 'version' columns (%s and %s); a model "
				       "has one optimistic-locking counter",
				       table->name, other->name, column->name);
			return;
		}
	}
}

void rt__build_check_column_options(rt_build *b, const rt_ast_member *m, const rt_type *type)
{
	check_onupdate(b, m, type, false);
	check_onupdate(b, m, type, true);
	check_version_options(b, m, type);
	check_array(b, m, type);
	check_collation(b, m, type);
	check_generated(b, m);
}
