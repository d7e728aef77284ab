/*
 * parser_objects.c - the declarations of SQL objects (parser_impl.h):
 *
 *   view NAME $$ query $$           (NAME: name, or schema.name)
 *   materialized view NAME [with no data] $$ query $$ [{ index ... }]
 *   function NAME[(arguments)] $$ CREATE FUNCTION ... $$
 *   aggregate NAME(arguments) $$ CREATE AGGREGATE ... $$
 *   procedure NAME[(arguments)] $$ CREATE PROCEDURE ... $$
 *   trigger NAME on TABLE $$ CREATE TRIGGER ... $$
 *   domain NAME $$ CREATE DOMAIN ... $$
 *   sequence NAME $$ CREATE SEQUENCE ... $$
 *
 * The words and the start of the SQL are on one line (the block itself
 * may go on over many). The schema file reads them as top-level
 * declarations; the migration
 * scripts read the same words after `create`, `replace` and `drop`. The
 * SQL is a string, mostly a $$ block (or $tag$ ... $tag$ when it holds
 * $$); retort keeps it as written and leaves judging it to the database.
 * A materialized view's body, after its SQL on the line the block ends
 * on, holds its indexes as a table's body does (validation refuses any
 * other member).
 */
#include <string.h>

#include "schema/parser_impl.h"

bool rt__parser_at_sql_kind(rt_parser *p, rt_sql_kind *kind, int *words)
{
	const rt_token *t = &p->tok;
	if (t->kind != RT_TOK_IDENT)
		return false;
	*words = 1;
	static const rt_sql_kind one_word[] = {RT_SQL_VIEW,      RT_SQL_FUNCTION,
					       RT_SQL_TRIGGER,   RT_SQL_DOMAIN,
					       RT_SQL_SEQUENCE,  RT_SQL_AGGREGATE,
					       RT_SQL_PROCEDURE};
	for (size_t i = 0; i < sizeof(one_word) / sizeof(one_word[0]); i++) {
		if (rt__parser_same_word(t->value, rt__sql_kind_name(one_word[i]))) {
			*kind = one_word[i];
			return true;
		}
	}
	if (rt__parser_same_word(t->value, "materialized") &&
		 rt__parser_is_word(rt__parser_peek(p, 1), "view")) {
		*kind = RT_SQL_MATERIALIZED_VIEW;
		*words = 2;
	} else {
		return false;
	}
	return true;
}

/* (arguments): the text between the parentheses as written, nested ones
 * included, whitespace made regular. At the '('. */
static int take_args(rt_parser *p, rt_ast_decl *decl, const char *word)
{
	const char *from = p->tok.start;
	rt_pos pos = p->tok.pos;
	int depth = 0;
	for (;;) {
		if (p->tok.kind == RT_TOK_LPAREN) {
			depth++;
		} else if (p->tok.kind == RT_TOK_RPAREN && --depth == 0) {
			const char *to = p->tok.start + 1;
			char *raw = rt__arena_strndup(p->ctx->arena, from, (size_t)(to - from));
			const char *text = raw ? rt__sql_args_normal(p->ctx->arena, raw) : NULL;
			if (!text) {
				p->ctx->diags->nomem = true;
				return -1;
			}
			decl->args.text = text;
			decl->args.pos = pos;
			rt__parser_advance(p);
			return 0;
		} else if (p->tok.kind == RT_TOK_EOF || p->tok.kind == RT_TOK_ERROR ||
			   p->tok.kind == RT_TOK_LBRACE || p->tok.kind == RT_TOK_RBRACE ||
			   (p->tok.kind == RT_TOK_STRING && p->tok.raw)) {
			const char *what = rt__arena_printf(p->ctx->arena,
							    "')' to close the %s's arguments", word);
			return rt__parser_expected(p, what ? what : "')'");
		}
		rt__parser_advance(p);
	}
}

/* NAME or SCHEMA.NAME (billing.open_invoices): the object's name as the
 * schema writes it, its schema beside it. A trigger is in its table's
 * schema: its name takes none. */
static int take_object_name(rt_parser *p, rt_ast_decl *decl, rt_sql_kind kind, const char *what)
{
	if (rt__parser_take_sql_name(p, &decl->name, what) < 0)
		return -1;
	if (p->tok.kind != RT_TOK_DOT || !rt__parser_same_line(&p->tok))
		return 0;
	rt__parser_advance(p);
	rt_ast_name schema = decl->name;
	const char *after = rt__arena_printf(p->ctx->arena, "a %s name after the schema and '.'",
					     rt__sql_kind_name(kind));
	if (!after || rt__parser_take_sql_name(p, &decl->name, after) < 0)
		return -1;
	/* public.v is v: the default schema is no schema. */
	if (strcmp(schema.text, RT_DEFAULT_SCHEMA) == 0)
		return 0;
	if (kind == RT_SQL_TRIGGER) {
		rt__diag_error(p->ctx->diags, schema.pos,
			       "trigger %s: a trigger is in the schema of its table and has none "
			       "of its own; leave '%s.' out of its name",
			       decl->name.text, schema.text);
		return -1;
	}
	decl->schema = schema;
	decl->name.pos = schema.pos;
	decl->name.text = rt__arena_printf(p->ctx->arena, "%s.%s", schema.text, decl->name.text);
	if (!decl->name.text) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	return 0;
}

int rt__parser_sql_object(rt_parser *p, rt_ast_decl *decl, rt_sql_kind kind, bool body_required)
{
	const char *word = rt__sql_kind_name(kind);
	decl->kind = RT_AST_SQL_OBJECT;
	decl->sql_kind = kind;
	const char *what = rt__arena_printf(p->ctx->arena, "a %s name after '%s'", word, word);
	if (!what || take_object_name(p, decl, kind, what) < 0)
		return -1;
	if (rt__sql_kind_has_args(kind) && p->tok.kind == RT_TOK_LPAREN &&
	    rt__parser_same_line(&p->tok) && take_args(p, decl, word) < 0)
		return -1;
	if (kind == RT_SQL_MATERIALIZED_VIEW && rt__parser_is_word(&p->tok, "with") &&
	    rt__parser_same_line(&p->tok)) {
		decl->no_data = p->tok.pos;
		rt__parser_advance(p);
		if (rt__parser_take_word(p, "no") < 0 || rt__parser_take_word(p, "data") < 0)
			return -1;
	}
	if (kind == RT_SQL_TRIGGER) {
		if (!rt__parser_is_word(&p->tok, "on"))
			return rt__parser_expected(p, "'on' and the trigger's table");
		rt__parser_advance(p);
		if (rt__parser_take_table_name(p, &decl->on_table,
					       "the trigger's table after 'on'") < 0)
			return -1;
	}
	bool on_line = rt__parser_same_line(&p->tok);
	if (p->tok.kind == RT_TOK_STRING && on_line) {
		decl->body.text = p->tok.value;
		decl->body.pos = p->tok.pos;
		rt__parser_advance(p);
		if (kind != RT_SQL_MATERIALIZED_VIEW || p->tok.kind != RT_TOK_LBRACE ||
		    !rt__parser_same_line(&p->tok))
			return 0;
		decl->has_indexes = true;
		bool in_member = p->in_member;
		p->in_member = false;
		int rc = rt__parser_body(p, decl, "materialized view");
		p->in_member = in_member;
		return rc;
	}
	if (p->tok.kind == RT_TOK_QUOTED && on_line)
		return rt__parser_string_in_double_quotes(p, "the SQL in a $$ block");
	if (!body_required)
		return 0;
	/* A view's SQL is its query; every other kind's its CREATE
	 * statement, whose words are the kind's in capitals. */
	char upper[24];
	size_t n = 0;
	for (const char *w = word; *w && n + 1 < sizeof(upper); w++)
		upper[n++] = (char)(*w >= 'a' && *w <= 'z' ? *w - 'a' + 'A' : *w);
	upper[n] = '\0';
	const char *expect =
		kind == RT_SQL_VIEW || kind == RT_SQL_MATERIALIZED_VIEW
			? rt__arena_printf(p->ctx->arena, "the %s's SQL, its query in a $$ block", word)
			: rt__arena_printf(p->ctx->arena,
					   "the %s's SQL, its CREATE %s statement in a $$ block", word,
					   upper);
	return rt__parser_expected(p, expect ? expect : "a $$ block");
}
