/*
 * parser_references.c - a foreign key's target and actions, on a column
 * and at table level, in models and in migration scripts:
 * references t(a, b) [on delete <action>] [on update <action>]
 * [deferrable [initially deferred | initially immediate]].
 */
#include "schema/parser_impl.h"

/* cascade | restrict | set null | set default | no action */
static int parse_fk_action(rt_parser *p, rt_fk_action *out)
{
	static const char *const actions[] = {"cascade", "restrict", "set", "no"};
	const char *what =
		"an action (cascade, set null, set default, restrict or no action)";
	if (rt__parser_is_word(&p->tok, "cascade") && rt__parser_same_line(&p->tok)) {
		*out = RT_FK_CASCADE;
	} else if (rt__parser_is_word(&p->tok, "restrict") &&
		   rt__parser_same_line(&p->tok)) {
		*out = RT_FK_RESTRICT;
	} else if (rt__parser_is_word(&p->tok, "set") && rt__parser_same_line(&p->tok)) {
		rt__parser_advance(p);
		if (rt__parser_is_word(&p->tok, "null") && rt__parser_same_line(&p->tok))
			*out = RT_FK_SET_NULL;
		else if (rt__parser_is_word(&p->tok, "default") &&
			 rt__parser_same_line(&p->tok))
			*out = RT_FK_SET_DEFAULT;
		else
			return rt__parser_expected(p, "'null' or 'default' after 'set'");
	} else if (rt__parser_is_word(&p->tok, "no") && rt__parser_same_line(&p->tok)) {
		rt__parser_advance(p);
		if (!rt__parser_is_word(&p->tok, "action") ||
		    !rt__parser_same_line(&p->tok))
			return rt__parser_expected(p, "'action' after 'no'");
		*out = RT_FK_NO_ACTION;
	} else {
		return rt__parser_expected_word(p, what, "an action", actions, 4);
	}
	rt__parser_advance(p);
	return 0;
}

/* [deferrable [initially deferred | initially immediate]] after a
 * foreign key's actions. */
static int parse_deferrable(rt_parser *p, rt_ast_ref *ref)
{
	if (!rt__parser_is_word(&p->tok, "deferrable") || !rt__parser_same_line(&p->tok))
		return 0;
	rt__parser_advance(p);
	ref->deferrable = RT_DEFERRABLE_IMMEDIATE;
	if (!rt__parser_is_word(&p->tok, "initially") || !rt__parser_same_line(&p->tok))
		return 0;
	rt__parser_advance(p);
	if (rt__parser_is_word(&p->tok, "deferred") && rt__parser_same_line(&p->tok))
		ref->deferrable = RT_DEFERRABLE_DEFERRED;
	else if (!rt__parser_is_word(&p->tok, "immediate") || !rt__parser_same_line(&p->tok))
		return rt__parser_expected(p, "'deferred' or 'immediate' after 'initially'");
	rt__parser_advance(p);
	return 0;
}

/* references t(a, b) [on delete <action>] [on update <action>] [deferrable ...] */
int rt__parser_references(rt_parser *p, rt_ast_ref *ref)
{
	ref->pos = p->tok.pos;
	rt__parser_advance(p); /* references */
	if (rt__parser_take_table_name(p, &ref->table, "a table name after 'references'") < 0 ||
	    rt__parser_name_list(p, &ref->columns, "referenced columns") < 0)
		return -1;
	bool delete_set = false, update_set = false;
	while (rt__parser_is_word(&p->tok, "on") && rt__parser_same_line(&p->tok)) {
		const rt_token *what = rt__parser_peek(p, 1);
		bool is_delete =
			rt__parser_is_word(what, "delete") && rt__parser_same_line(what);
		bool is_update =
			rt__parser_is_word(what, "update") && rt__parser_same_line(what);
		if (!is_delete && !is_update)
			break; /* a relationship's `on column`, reported by the caller */
		rt__parser_advance(p);
		rt_pos at = p->tok.pos;
		rt__parser_advance(p);
		if ((is_delete && delete_set) || (is_update && update_set))
			return rt__parser_fail_at(p, at,
						  is_delete
							  ? "'on delete' is given twice"
							  : "'on update' is given twice");
		if (parse_fk_action(p, is_delete ? &ref->on_delete : &ref->on_update) < 0)
			return -1;
		if (is_delete)
			delete_set = true;
		else
			update_set = true;
	}
	return parse_deferrable(p, ref);
}
