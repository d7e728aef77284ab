/*
 * script_objects.c - the operations on SQL objects (domains, sequences,
 * routines, views, triggers) in a migration script (script_impl.h):
 *
 *   create view v $$ SELECT ... $$
 *   replace view v $$ SELECT ...new... $$ was $$ SELECT ...old... $$
 *   drop view v [$$ SELECT ...old... $$]
 *   rename view v to w
 *
 * and the same with `materialized view` (`with no data` and a body of
 * its indexes as in a schema file), `function f(args)`, `aggregate
 * a(args)`, `procedure p(args)`, `trigger t on table`, `domain d` and
 * `sequence s`. The object's words read as in a schema file
 * (schema/parser_objects.c). A replace names the SQL it replaces and a
 * drop the SQL it drops so that the downgrade can make the object again:
 * autogenerate writes both. A rename names the object as a drop does (a
 * routine with its arguments, a trigger with its table) and its new name
 * after `to`; the object keeps its arguments and table, and the rename
 * back is its inverse. A script says a rename so, never with a schema
 * file's `was`.
 */
#include "migrate/script_impl.h"

/* A materialized view's WITH NO DATA and indexes, validated as a schema
 * file's declaration would be (on its own) and kept with o. */
static int matview_parts(rt_script *s, rt_ast_decl *decl, rt_sql_object *o)
{
	rt_schema *alone = rt__schema_new();
	if (!alone) {
		s->diags->nomem = true;
		return -1;
	}
	size_t errors = s->diags->count;
	rt__script_build(s, alone, decl);
	int rc = s->diags->count > errors ? -1 : 0;
	if (rc == 0 && alone->sql_object_count == 1 &&
	    rt__sql_object_copy_matview(s->keep, o, alone->sql_objects[0]) < 0) {
		s->diags->nomem = true;
		rc = -1;
	}
	rt_schema_free(alone);
	return rc;
}

int rt__script_sql_object(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	rt_sql_kind kind;
	int words;
	if (!rt__parser_at_sql_kind(p, &kind, &words))
		return rt__parser_expected(p, "view, materialized view, function, trigger, domain, "
					      "sequence, aggregate or procedure");
	for (int i = 0; i < words; i++)
		rt__parser_advance(p);
	rt_ast_decl decl = {0};
	bool sql_required = op->kind == RT_OP_CREATE_OBJECT || op->kind == RT_OP_REPLACE_OBJECT;
	if (rt__parser_sql_object(p, &decl, kind, sql_required) < 0)
		return -1;
	if (decl.was.text) {
		rt__diag_error(s->diags, decl.was.pos,
			       "a script renames a %s with an operation of its own: rename %s %s "
			       "to %s, not 'was'",
			       rt__sql_kind_name(kind), rt__sql_kind_name(kind), decl.was.text,
			       decl.name.text);
		return -1;
	}
	if (op->kind == RT_OP_RENAME_OBJECT) {
		rt_pos pos;
		if (decl.body.text || RT_POS_SET(decl.no_data) || decl.has_indexes) {
			rt__diag_error(s->diags, decl.body.text ? decl.body.pos : decl.no_data,
				       "a rename names the %s and its new name only: rename %s "
				       "%s to <new name>",
				       rt__sql_kind_name(kind), rt__sql_kind_name(kind),
				       decl.name.text);
			return -1;
		}
		if (rt__parser_take_word(p, "to") < 0 ||
		    rt__script_take_sql_name(s, &op->new_name, &pos,
					     "the new name after 'to'") < 0 ||
		    rt__script_check_length(s, pos, rt__sql_kind_name(kind), op->new_name) < 0)
			return -1;
		/* The object stays in its schema: `rename view billing.v to w`
		 * names billing.w. */
		if (decl.schema.text &&
		    !(op->new_name = rt__arena_printf(s->keep, "%s.%s", decl.schema.text,
						      op->new_name))) {
			s->diags->nomem = true;
			return -1;
		}
	}
	if (op->kind == RT_OP_CREATE_OBJECT &&
	    rt__script_check_length(s, decl.name.pos, rt__sql_kind_name(kind),
				    decl.schema.text ? decl.name.text + strlen(decl.schema.text) + 1
						     : decl.name.text) < 0)
		return -1;
	if (op->kind == RT_OP_REPLACE_OBJECT && rt__script_is_word(s, "was")) {
		rt__parser_advance(p);
		rt_ast_name old = {0};
		if (rt__parser_take_string(p, &old, "the SQL it had, in a $$ block, after 'was'") < 0 ||
		    !(op->old_sql = rt__script_keep(s, old.text)))
			return -1;
	}
	rt_sql_object *o = rt__arena_alloc(s->keep, sizeof(*o));
	if (!o) {
		s->diags->nomem = true;
		return -1;
	}
	o->kind = kind;
	o->pos = decl.name.pos;
	o->security_invoker = RT_POS_SET(decl.security_invoker);
	if (!(o->name = rt__script_keep(s, decl.name.text)) ||
	    (decl.schema.text && !(o->schema = rt__script_keep(s, decl.schema.text))) ||
	    (decl.args.text && !(o->args = rt__script_keep(s, decl.args.text))) ||
	    (decl.on_table.text && !(o->table = rt__script_keep(s, decl.on_table.text))) ||
	    (decl.body.text && !(o->sql = rt__script_keep(s, decl.body.text))))
		return -1;
	if (kind == RT_SQL_MATERIALIZED_VIEW && o->sql && matview_parts(s, &decl, o) < 0)
		return -1;
	op->object = o;
	op->name = o->name;
	op->table = o->table;
	return 0;
}
