/*
 * script_alter.c - the alter column and alter table operations of a
 * migration script: what changes of a column (type, NULL-ness, server
 * default, server onupdate, collation, comment) or of a table (options,
 * collation, comment), checked as the
 * schema language checks a column (script_ops.c reads the other
 * operations).
 */
#include <string.h>

#include "migrate/script_impl.h"

/* What alter column was told, and where, for the checks at the end. */
typedef struct alter {
	rt_ast_member *type;   /* the type, parsed as a field's */
	rt_ast_literal server_default;
	rt_pos null_pos, default_pos, using_pos, comment_pos, collate_pos, onupdate_pos;
} alter;

static int alter_twice(rt_script *s, rt_pos pos, const char *what)
{
	rt__diag_error(s->diags, pos, "%s is given twice", what);
	return -1;
}

static int alter_type(rt_script *s, rt_op *op, alter *a)
{
	rt_parser *p = &s->p;
	if (a->type)
		return alter_twice(s, p->tok.pos, "'type'");
	rt_pos at = p->tok.pos;
	rt__parser_advance(p);
	rt_ast_member *m = rt__parser_new_member(p);
	if (!m)
		return -1;
	m->name = (rt_ast_name){"type", at};
	if (rt__parser_type(p, m) < 0)
		return -1;
	if (m->optional)
		return rt__parser_fail_at(p, m->type_name.pos,
					  "'?' does not go on the type here: write 'null' "
					  "to allow NULL");
	a->type = m;
	op->set_type = true;
	if (m->builtin) {
		op->type = m->type;
		if (m->type.sql && !(op->type.sql = rt__script_keep(s, m->type.sql)))
			return -1;
	} else {
		op->type.kind = RT_TYPE_ENUM;
		op->type.array = m->is_list; /* an array of the enum */
		if (!(op->type.enum_name = rt__script_keep(s, m->type_name.text)))
			return -1;
	}
	return 0;
}

/* null | not null */
static int alter_null(rt_script *s, rt_op *op, alter *a, bool nullable)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(a->null_pos))
		return rt__parser_fail_at(p, p->tok.pos,
					  "'null' and 'not null' are given together; "
					  "write one");
	a->null_pos = p->tok.pos;
	rt__parser_advance(p);
	if (!nullable && rt__parser_take_word(p, "null") < 0)
		return -1;
	op->null_change = nullable ? RT_ALTER_NULL_SET : RT_ALTER_NULL_DROP;
	return 0;
}

/* server default X | drop server default */
static int alter_default(rt_script *s, rt_op *op, alter *a, bool drop)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(a->default_pos))
		return rt__parser_fail_at(
			p, p->tok.pos,
			op->default_change == (drop ? RT_ALTER_DEFAULT_DROP : RT_ALTER_DEFAULT_SET)
				? (drop ? "'drop server default' is given twice"
					: "'server default' is given twice")
				: "'server default' and 'drop server default' are given "
				  "together; write one");
	a->default_pos = p->tok.pos;
	rt__parser_advance(p);
	if (drop && rt__parser_take_word(p, "server") < 0)
		return -1;
	if (rt__parser_take_word(p, "default") < 0)
		return -1;
	if (drop) {
		op->default_change = RT_ALTER_DEFAULT_DROP;
		return 0;
	}
	if (rt__parser_literal(p, &a->server_default, true) < 0)
		return -1;
	op->default_change = RT_ALTER_DEFAULT_SET;
	op->server_default.kind = a->server_default.value.kind;
	return (op->server_default.text = rt__script_keep(s, a->server_default.value.text))
		       ? 0
		       : -1;
}

/* A `word '...'` or `drop word` part written a second time: the same one
 * twice (same), or the two together. */
static int given_again(rt_parser *p, bool same, bool drop, const char *word)
{
	if (same && drop)
		rt__diag_error(p->ctx->diags, p->tok.pos, "'drop %s' is given twice", word);
	else if (same)
		rt__diag_error(p->ctx->diags, p->tok.pos, "'%s' is given twice", word);
	else
		rt__diag_error(p->ctx->diags, p->tok.pos,
			       "'%s' and 'drop %s' are given together; write one", word, word);
	return -1;
}

/* comment '...' | drop comment (alter column and alter table) */
static int alter_comment(rt_script *s, rt_op *op, rt_pos *seen, bool drop)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(*seen))
		return given_again(p, op->comment_change ==
					      (drop ? RT_ALTER_COMMENT_DROP : RT_ALTER_COMMENT_SET),
				   drop, "comment");
	*seen = p->tok.pos;
	rt__parser_advance(p);
	if (drop) {
		if (rt__parser_take_word(p, "comment") < 0)
			return -1;
		op->comment_change = RT_ALTER_COMMENT_DROP;
		return 0;
	}
	rt_ast_name text = {0};
	if (rt__parser_take_string(p, &text, "the comment in quotes after 'comment'") < 0)
		return -1;
	op->comment_change = RT_ALTER_COMMENT_SET;
	return (op->comment = rt__script_keep(s, text.text)) ? 0 : -1;
}

/* collate NAME | drop collate (alter column and alter table) */
static int alter_collate(rt_script *s, rt_op *op, rt_pos *seen, bool drop)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(*seen))
		return given_again(p, op->collation_change == (drop ? RT_ALTER_COLLATION_DROP
								    : RT_ALTER_COLLATION_SET),
				   drop, "collate");
	*seen = p->tok.pos;
	rt__parser_advance(p);
	if (drop) {
		if (rt__parser_take_word(p, "collate") < 0)
			return -1;
		op->collation_change = RT_ALTER_COLLATION_DROP;
		return 0;
	}
	rt_ast_name name = {0};
	if (rt__parser_take_collation(p, &name, "a collation name after 'collate'") < 0)
		return -1;
	op->collation_change = RT_ALTER_COLLATION_SET;
	return (op->collation = rt__script_keep(s, name.text)) ? 0 : -1;
}

/* server onupdate now | drop server onupdate */
static int alter_onupdate(rt_script *s, rt_op *op, alter *a, bool drop)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(a->onupdate_pos))
		return given_again(p, op->onupdate_change == (drop ? RT_ALTER_ONUPDATE_DROP
								   : RT_ALTER_ONUPDATE_SET),
				   drop, "server onupdate");
	a->onupdate_pos = p->tok.pos;
	rt__parser_advance(p);
	if (drop && rt__parser_take_word(p, "server") < 0)
		return -1;
	if (rt__parser_take_word(p, "onupdate") < 0)
		return -1;
	op->onupdate_change = drop ? RT_ALTER_ONUPDATE_DROP : RT_ALTER_ONUPDATE_SET;
	if (drop)
		return 0;
	if (!rt__script_is_word(s, "now"))
		return rt__parser_expected(p, "'now' after 'server onupdate'");
	rt__parser_advance(p);
	return 0;
}

/* Is the current word `server` followed by `onupdate`, or `drop` by
 * `server onupdate`, on the line? */
static bool at_onupdate(rt_script *s)
{
	int n = rt__script_is_word(s, "drop") ? 1 : 0;
	const rt_token *server = rt__parser_peek(&s->p, n), *word = rt__parser_peek(&s->p, n + 1);
	if (n == 0 && !rt__script_is_word(s, "server"))
		return false;
	return (n == 0 || rt__parser_is_word(server, "server")) &&
	       rt__parser_is_word(word, "onupdate") && rt__parser_same_line(word);
}

/* Is the current word `drop` followed by `collate` on the line? */
static bool at_drop_collate(rt_script *s)
{
	const rt_token *next = rt__parser_peek(&s->p, 1);
	return rt__script_is_word(s, "drop") && rt__parser_is_word(next, "collate") &&
	       rt__parser_same_line(next);
}

/* Is the current word `drop` followed by `comment` on the line? */
static bool at_drop_comment(rt_script *s)
{
	const rt_token *next = rt__parser_peek(&s->p, 1);
	return rt__script_is_word(s, "drop") && rt__parser_is_word(next, "comment") &&
	       rt__parser_same_line(next);
}

/* using '<expr>' */
static int alter_using(rt_script *s, rt_op *op, alter *a)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(a->using_pos))
		return alter_twice(s, p->tok.pos, "'using'");
	a->using_pos = p->tok.pos;
	rt__parser_advance(p);
	rt_ast_name expr = {0};
	if (rt__parser_take_string(p, &expr, "a SQL expression in quotes after 'using'") < 0)
		return -1;
	if (!*expr.text)
		return rt__parser_fail_at(p, expr.pos, "the expression after 'using' is empty");
	return (op->using_expr = rt__script_keep(s, expr.text)) ? 0 : -1;
}

/* A new type and a server default are checked together, as the schema
 * language checks a column's: validating the column alone, in a
 * throwaway schema. The default comes back normalized ('paid' for an enum
 * is the enum value paid). */
static void check_alter(rt_script *s, rt_op *op, alter *a, rt_pos column_pos)
{
	if (!a->type || op->default_change != RT_ALTER_DEFAULT_SET)
		return;
	rt_schema *schema = rt__schema_new();
	rt_ast_decl *decl = rt__script_new_decl(s, RT_AST_TABLE, op->pos);
	rt_ast_column_options *col = rt__parser_alloc(&s->p, sizeof(*col));
	if (!schema || !decl || !col) {
		rt_schema_free(schema);
		s->diags->nomem = true;
		return;
	}
	col->server_default = a->server_default;
	a->type->col = col;
	a->type->name = (rt_ast_name){op->name, column_pos};
	decl->name = (rt_ast_name){op->table, op->pos};
	size_t errors = s->diags->count;
	if (rt__script_push_member(s, decl, a->type) == 0)
		rt__script_build(s, schema, decl);
	if (s->diags->count == errors && schema->table_count == 1 &&
	    schema->tables[0]->column_count == 1) {
		const rt_literal *lit = &schema->tables[0]->columns[0]->server_default;
		op->server_default.kind = lit->kind;
		op->server_default.text = rt__script_keep(s, lit->text);
	}
	rt_schema_free(schema);
}

/* alter column t.c [type T] [null | not null]
 *   [server default X | drop server default] [using '<expr>']
 *   [server onupdate now | drop server onupdate]
 *   [collate NAME | drop collate] [comment '...' | drop comment] */
int rt__script_op_alter_column(rt_script *s, rt_op *op)
{
	static const char *const words[] = {"type",  "null",  "not",    "server",
					    "drop",  "using", "comment", "collate"};
	rt_parser *p = &s->p;
	rt_pos column_pos;
	if (rt__script_take_column_ref(s, op, &column_pos) < 0)
		return -1;
	alter a;
	memset(&a, 0, sizeof(a));
	bool any = false;
	while (!rt__script_at_line_end(s)) {
		int rc;
		if (rt__script_is_word(s, "type"))
			rc = alter_type(s, op, &a);
		else if (rt__script_is_word(s, "null") || rt__script_is_word(s, "not"))
			rc = alter_null(s, op, &a, p->tok.value[0] == 'n' && p->tok.value[1] == 'u');
		else if (at_drop_comment(s) || rt__script_is_word(s, "comment"))
			rc = alter_comment(s, op, &a.comment_pos, p->tok.value[0] == 'd');
		else if (at_drop_collate(s) || rt__script_is_word(s, "collate"))
			rc = alter_collate(s, op, &a.collate_pos, p->tok.value[0] == 'd');
		else if (at_onupdate(s))
			rc = alter_onupdate(s, op, &a, p->tok.value[0] == 'd');
		else if (rt__script_is_word(s, "server") || rt__script_is_word(s, "drop"))
			rc = alter_default(s, op, &a, p->tok.value[0] == 'd');
		else if (rt__script_is_word(s, "using"))
			rc = alter_using(s, op, &a);
		else
			rc = rt__parser_expected_word(
				p,
				any ? "another change (type, null, not null, server default, "
				      "drop server default, server onupdate now, drop server onupdate, "
				      "using, collate, drop collate, comment, drop comment) or "
				      "the end of the line"
				    : "a change (type, null, not null, server default, drop "
				      "server default, server onupdate now, drop server onupdate, "
				      "using, collate, drop collate, comment or drop comment)",
				any ? "another change or the end of the line" : "a change", words,
				RT_COUNT(words));
		if (rc < 0)
			return -1;
		any = true;
	}
	if (!any)
		return rt__parser_expected(p, "a change (type, null, not null, server default, "
					      "drop server default, server onupdate now, drop server "
					      "onupdate, using, collate, drop collate, comment or drop "
					      "comment)");
	if (RT_POS_SET(a.using_pos) && !a.type)
		return rt__parser_fail_at(p, a.using_pos,
					  "'using' converts the values to a new type: it "
					  "goes with 'type'");
	check_alter(s, op, &a, column_pos);
	return 0;
}

/* alter table t [strict | not strict] [without rowid | with rowid]
 * [collate NAME | drop collate] [comment '...' | drop comment] */
int rt__script_op_alter_table(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	if (rt__script_take_table_name(s, &op->table, "a table name after 'alter table'") < 0)
		return -1;
	/* Each option at most once, set or cleared. */
	for (;;) {
		unsigned set = 0, clear = 0;
		if (rt__script_table_options(s, &set, true) < 0 ||
		    rt__script_table_options(s, &clear, false) < 0)
			return -1;
		if (!set && !clear)
			break;
		unsigned twice = (set | clear) & (op->options_set | op->options_clear);
		if ((set & clear) || twice)
			return rt__parser_fail_at(p, op->pos, "alter table: a table option is "
						  "set or cleared twice");
		op->options_set |= set;
		op->options_clear |= clear;
	}
	rt_pos seen = {0}, collate_seen = {0};
	if (at_drop_collate(s) || rt__script_is_word(s, "collate")) {
		if (alter_collate(s, op, &collate_seen, p->tok.value[0] == 'd') < 0)
			return -1;
	}
	bool options = op->options_set || op->options_clear ||
		       op->collation_change != RT_ALTER_COLLATION_KEEP;
	if (!at_drop_comment(s) && !rt__script_is_word(s, "comment")) {
		if (options && rt__script_at_line_end(s))
			return 0;
		return rt__parser_expected(p, options ? "'comment', 'drop comment' or the end of "
							"the line"
						      : "a table option (strict, not strict, without "
							"rowid, with rowid), 'collate', 'drop collate', "
							"'comment' or 'drop comment' after the table "
							"name");
	}
	if (alter_comment(s, op, &seen, p->tok.value[0] == 'd') < 0)
		return -1;
	if (!rt__script_at_line_end(s))
		return rt__parser_expected(p, "the end of the line");
	return 0;
}

