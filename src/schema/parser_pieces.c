/*
 * parser_pieces.c - the small pieces every part of the schema parser
 * reads with (parser_impl.h): "expected X, found Y" errors with a caret
 * (and a "did you mean" from a list of words), names, qualified and table
 * names, strings, keywords and name lists.
 *
 * A piece that fails has reported why; it returns -1 and leaves recovery
 * to the loop that called it (parser.c).
 */
#include <string.h>

#include "base/buf.h"
#include "schema/naming.h"
#include "schema/parser_impl.h"

/* --- errors ---------------------------------------------------------------- */

const char *rt__parser_describe(rt_parser *p)
{
	if (p->in_member && p->tok.line_start && p->tok.kind != RT_TOK_EOF)
		return "end of line";
	const char *d = rt__token_describe(p->ctx->arena, &p->tok);
	return d ? d : "?";
}

/* Where "expected X, found Y" points: at the token, or just after the
 * previous one when the line ended early. */
static rt_pos found_pos(const rt_parser *p)
{
	if (p->in_member && (p->tok.line_start || p->tok.kind == RT_TOK_EOF))
		return p->prev_end;
	return p->tok.pos;
}

int rt__parser_expected(rt_parser *p, const char *what)
{
	if (p->tok.kind == RT_TOK_ERROR ||
	    (p->tok.kind == RT_TOK_EOF && p->lex.swallowed))
		return -1; /* the lexer said why */
	rt__diag_error(p->ctx->diags, found_pos(p), "expected %s, found %s", what,
		       rt__parser_describe(p));
	return -1;
}

/* The same with a "did you mean" from a list of words; the message then
 * uses short_what, as the suggestion says the rest. */
int rt__parser_expected_word(rt_parser *p, const char *what, const char *short_what,
			 const char *const *words, size_t count)
{
	if (p->tok.kind != RT_TOK_IDENT || (p->in_member && p->tok.line_start))
		return rt__parser_expected(p, what);
	rt_suggest s;
	rt__suggest_init(&s, p->tok.value);
	for (size_t i = 0; i < count; i++)
		rt__suggest_consider(&s, words[i]);
	const char *best = rt__suggest_result(&s);
	if (!best)
		return rt__parser_expected(p, what);
	rt__diag_error(p->ctx->diags, p->tok.pos,
		       "expected %s, found %s; did you mean '%s'?", short_what,
		       rt__parser_describe(p), best);
	return -1;
}

int rt__parser_fail_at(rt_parser *p, rt_pos pos, const char *message)
{
	rt__diag_error(p->ctx->diags, pos, "%s", message);
	return -1;
}

/* --- small pieces ------------------------------------------------------------ */

int rt__parser_quoted_c_name(rt_parser *p, const char *what, const char *why)
{
	rt__diag_error(p->ctx->diags, p->tok.pos, "expected %s (%s), found %s", what, why,
		       rt__parser_describe(p));
	return -1;
}

/* Is the current token on the line being read (when one is)? */
static bool on_line(const rt_parser *p)
{
	return !(p->in_member && p->tok.line_start);
}

int rt__parser_take_name(rt_parser *p, rt_ast_name *out, const char *what)
{
	if (p->tok.kind == RT_TOK_QUOTED && on_line(p))
		return rt__parser_quoted_c_name(
			p, what, "an identifier; quoted names are only for SQL names");
	if (p->tok.kind != RT_TOK_IDENT || !on_line(p))
		return rt__parser_expected(p, what);
	out->text = p->tok.value;
	out->pos = p->tok.pos;
	rt__parser_advance(p);
	return 0;
}

int rt__parser_take_sql_name(rt_parser *p, rt_ast_name *out, const char *what)
{
	if (!rt__parser_is_sql_name(&p->tok) || !on_line(p))
		return rt__parser_expected(p, what);
	out->text = p->tok.value;
	out->pos = p->tok.pos;
	rt__parser_advance(p);
	return 0;
}

int rt__parser_take_qualified_name(rt_parser *p, rt_ast_name *schema, rt_ast_name *name,
				   const char *what)
{
	*schema = (rt_ast_name){0};
	if (rt__parser_take_sql_name(p, name, what) < 0)
		return -1;
	if (p->tok.kind != RT_TOK_DOT || !on_line(p))
		return 0;
	rt__parser_advance(p);
	*schema = *name;
	return rt__parser_take_sql_name(p, name, "a table name after the schema and '.'");
}

int rt__parser_take_table_name(rt_parser *p, rt_ast_name *out, const char *what)
{
	rt_ast_name schema;
	if (rt__parser_take_qualified_name(p, &schema, out, what) < 0)
		return -1;
	if (!schema.text)
		return 0;
	/* billing.accounts: table accounts in schema billing, named as the
	 * schema names it (rt_table.name). */
	out->pos = schema.pos;
	out->text = rt__arena_printf(p->ctx->arena, "%s.%s", schema.text, out->text);
	if (!out->text) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	return 0;
}

int rt__parser_string_in_double_quotes(rt_parser *p, const char *what)
{
	rt__diag_error(p->ctx->diags, p->tok.pos,
		       "expected %s, found %s; a string takes single quotes ('...'), "
		       "double quotes are for SQL names",
		       what, rt__parser_describe(p));
	return -1;
}

int rt__parser_take_string(rt_parser *p, rt_ast_name *out, const char *what)
{
	if (p->tok.kind == RT_TOK_QUOTED && on_line(p))
		return rt__parser_string_in_double_quotes(p, what);
	if (p->tok.kind != RT_TOK_STRING || !on_line(p))
		return rt__parser_expected(p, what);
	out->text = p->tok.value;
	out->pos = p->tok.pos;
	rt__parser_advance(p);
	return 0;
}

int rt__parser_take_word(rt_parser *p, const char *word)
{
	if (!rt__parser_is_word(&p->tok, word) || (p->in_member && p->tok.line_start)) {
		const char *what = rt__arena_printf(p->ctx->arena, "'%s'", word);
		return rt__parser_expected(p, what ? what : word);
	}
	rt__parser_advance(p);
	return 0;
}

int rt__parser_take(rt_parser *p, rt_token_kind kind, const char *what)
{
	if (p->tok.kind != kind || (p->in_member && p->tok.line_start))
		return rt__parser_expected(p, what);
	rt__parser_advance(p);
	return 0;
}

int rt__parser_push_name(rt_parser *p, rt_ast_names *names, const rt_ast_name *name)
{
	if (rt__arena_reserve(p->ctx->arena, (void **)&names->items, &names->cap,
			      names->count + 1, sizeof(*names->items)) < 0) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	names->items[names->count++] = *name;
	return 0;
}
