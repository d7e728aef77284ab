/*
 * script_objects.c - the operations on SQL objects (domains, sequences,
 * routines, views, triggers) in a migration script (script_impl.h):
 *
 *   create view v $$ SELECT ... $$
 *   replace view v $$ SELECT ...new... $$ was $$ SELECT ...old... $$
 *   drop view v [$$ SELECT ...old... $$]
 *
 * and the same with `materialized view`, `function f(args)`, `aggregate
 * a(args)`, `procedure p(args)`, `trigger t on table`, `domain d` and
 * `sequence s`. The object's words read as in a schema file
 * (schema/parser_objects.c). A replace names the SQL it replaces and a
 * drop the SQL it drops so that the downgrade can make the object again:
 * autogenerate writes both.
 */
#include "migrate/script_impl.h"

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
	if (rt__parser_sql_object(p, &decl, kind, op->kind != RT_OP_DROP_OBJECT) < 0)
		return -1;
	if (op->kind == RT_OP_CREATE_OBJECT &&
	    rt__script_check_length(s, decl.name.pos, rt__sql_kind_name(kind), decl.name.text) < 0)
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
	if (!(o->name = rt__script_keep(s, decl.name.text)) ||
	    (decl.args.text && !(o->args = rt__script_keep(s, decl.args.text))) ||
	    (decl.on_table.text && !(o->table = rt__script_keep(s, decl.on_table.text))) ||
	    (decl.body.text && !(o->sql = rt__script_keep(s, decl.body.text))))
		return -1;
	op->object = o;
	op->name = o->name;
	op->table = o->table;
	return 0;
}
