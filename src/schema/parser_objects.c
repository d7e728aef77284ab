/*
 * parser_objects.c - the declarations of SQL objects (parser_impl.h):
 *
 *   view NAME $$ query $$
 *   materialized view NAME $$ query $$
 *   function NAME[(arguments)] $$ CREATE FUNCTION ... $$
 *   trigger NAME on TABLE $$ CREATE TRIGGER ... $$
 *
 * The words and the start of the SQL are on one line (the block itself
 * may go on over many). The schema file reads them as top-level
 * declarations; the migration
 * scripts read the same words after `create`, `replace` and `drop`. The
 * SQL is a string, mostly a $$ block (or $tag$ ... $tag$ when it holds
 * $$); retort keeps it as written and leaves judging it to the database.
 */
#include <string.h>

#include "schema/parser_impl.h"

bool rt__parser_at_sql_kind(rt_parser *p, rt_sql_kind *kind, int *words)
{
	const rt_token *t = &p->tok;
	if (t->kind != RT_TOK_IDENT)
		return false;
	*words = 1;
	if (rt__parser_same_word(t->value, "view"))
		*kind = RT_SQL_VIEW;
	else if (rt__parser_same_word(t->value, "function"))
		*kind = RT_SQL_FUNCTION;
	else if (rt__parser_same_word(t->value, "trigger"))
		*kind = RT_SQL_TRIGGER;
	else if (rt__parser_same_word(t->value, "materialized") &&
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
static int take_args(rt_parser *p, rt_ast_decl *decl)
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
			return rt__parser_expected(p, "')' to close the function's arguments");
		}
		rt__parser_advance(p);
	}
}

int rt__parser_sql_object(rt_parser *p, rt_ast_decl *decl, rt_sql_kind kind, bool body_required)
{
	const char *word = rt__sql_kind_name(kind);
	decl->kind = RT_AST_SQL_OBJECT;
	decl->sql_kind = kind;
	const char *what = rt__arena_printf(p->ctx->arena, "a %s name after '%s'", word, word);
	if (!what || rt__parser_take_sql_name(p, &decl->name, what) < 0)
		return -1;
	if (kind == RT_SQL_FUNCTION && p->tok.kind == RT_TOK_LPAREN &&
	    rt__parser_same_line(&p->tok) && take_args(p, decl) < 0)
		return -1;
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
		return 0;
	}
	if (p->tok.kind == RT_TOK_QUOTED && on_line)
		return rt__parser_string_in_double_quotes(p, "the SQL in a $$ block");
	if (!body_required)
		return 0;
	const char *sql = kind == RT_SQL_VIEW || kind == RT_SQL_MATERIALIZED_VIEW
				  ? "its query"
				  : kind == RT_SQL_FUNCTION ? "its CREATE FUNCTION statement"
							    : "its CREATE TRIGGER statement";
	const char *expect = rt__arena_printf(p->ctx->arena, "the %s's SQL, %s in a $$ block",
					      word, sql);
	return rt__parser_expected(p, expect ? expect : "a $$ block");
}
