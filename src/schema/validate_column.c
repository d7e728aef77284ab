/*
 * validate_column.c - the column options that must agree with the column's
 * type or with each other (validate.h): the element types of an array, a
 * collation only on text, a generated column with nothing else that
 * gives it a value, and `server onupdate now` on a timestamp only.
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

/* The database sets the current time on update: a timestamp column (or a
 * verbatim type, MariaDB's TIMESTAMP say, which is the database's to
 * judge), and not one computed from an expression. */
static void check_onupdate(rt_build *b, const rt_ast_member *m, const rt_type *type)
{
	rt_pos pos = m->col->server_onupdate;
	if (!RT_POS_SET(pos))
		return;
	bool timestamp = type->kind == RT_TYPE_TIMESTAMP || type->kind == RT_TYPE_TIMESTAMPTZ ||
			 type->kind == RT_TYPE_SQL;
	if (!timestamp || type->array)
		rt__diag_error(b->diags, pos,
			       "'server onupdate now' applies to timestamp columns (timestamp, "
			       "timestamptz or a verbatim sql type); '%s' is of type %s",
			       m->name.text, m->type_name.text);
	else if (m->col->generated.text)
		rt__diag_error(b->diags, pos,
			       "'server onupdate' does not go with 'generated': '%s' takes every "
			       "value from its expression",
			       m->name.text);
}

void rt__build_check_column_options(rt_build *b, const rt_ast_member *m, const rt_type *type)
{
	check_onupdate(b, m, type);
	check_array(b, m, type);
	check_collation(b, m, type);
	check_generated(b, m);
}
