/*
 * parser_objects.c - the declarations of SQL objects (parser_impl.h):
 *
 *   view NAME [was OLD] [security invoker] $$ query $$   (NAME: name, or schema.name)
 *   materialized view NAME [with no data] [was OLD] $$ query $$ [{ index ... }]
 *   function NAME[(arguments)] [was OLD] $$ CREATE FUNCTION ... $$
 *   aggregate NAME(arguments) [was OLD] $$ CREATE AGGREGATE ... $$
 *   procedure NAME[(arguments)] [was OLD] $$ CREATE PROCEDURE ... $$
 *   trigger NAME on TABLE [was OLD] $$ CREATE TRIGGER ... $$
 *   domain NAME [was OLD] $$ CREATE DOMAIN ... $$
 *   sequence NAME [was OLD] $$ CREATE SEQUENCE ... $$
 *
 * The words after the name (and a routine's arguments, which follow it
 * at once) come in any order: `was OLD` (the object was renamed), a
 * materialized view's `with no data`, a trigger's `on TABLE` (which it
 * must have). The words and the start of the SQL are on one line (the
 * block itself may go on over many). The schema file reads them as top-level
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
 * included, whitespace made regular, on the line the '(' is on. At it. */
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
			   /* on one line: a comment inside would be kept as text */
			   (p->tok.line_start && p->tok.start != from) ||
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

/* What may come after the name that has not come yet, for the message
 * when something else does: "'was' and the previous name or the view's
 * SQL in a $$ block" (a trigger's SQL only once it has its table). */
static const char *header_expected(rt_parser *p, const rt_ast_decl *decl, rt_sql_kind kind)
{
	const char *items[5];
	size_t count = 0;
	bool needs_on = kind == RT_SQL_TRIGGER && !decl->on_table.text;
	if (needs_on)
		items[count++] = "'on' and the trigger's table";
	if (kind == RT_SQL_MATERIALIZED_VIEW && !RT_POS_SET(decl->no_data))
		items[count++] = "'with no data'";
	if (kind == RT_SQL_VIEW && !RT_POS_SET(decl->security_invoker))
		items[count++] = "'security invoker'";
	if (!decl->was.text)
		items[count++] = "'was' and the previous name";
	const char *sql = rt__arena_printf(p->ctx->arena, "the %s's SQL in a $$ block",
					   rt__sql_kind_name(kind));
	if (!needs_on)
		items[count++] = sql ? sql : "a $$ block";
	const char *text = "";
	for (size_t i = 0; text && i < count; i++)
		text = rt__arena_printf(p->ctx->arena, "%s%s%s", text,
					i == 0 ? "" : i + 1 == count ? " or " : ", ", items[i]);
	return text;
}

/* The words after the name, in any order, on the declaration's line:
 * `was OLD`, a materialized view's `with no data`, a view's `security
 * invoker`, a trigger's `on TABLE`; each at most once. A trigger without `on` is an error. */
static int header_words(rt_parser *p, rt_ast_decl *decl, rt_sql_kind kind, bool body_required)
{
	for (;;) {
		const rt_token *t = &p->tok;
		rt_pos at = t->pos;
		const char *said = NULL;
		/* A trigger's `on` may begin the next line, as it always could. */
		bool trigger_on = kind == RT_SQL_TRIGGER && !decl->on_table.text &&
				  rt__parser_is_word(t, "on");
		if (t->kind != RT_TOK_IDENT || (!rt__parser_same_line(t) && !trigger_on)) {
			break;
		} else if (rt__parser_is_word(t, "was")) {
			if (decl->was.text)
				said = "was";
			rt__parser_advance(p);
			if (!said && rt__parser_take_sql_name(p, &decl->was,
							      "the previous name after 'was'") < 0)
				return -1;
		} else if (kind == RT_SQL_MATERIALIZED_VIEW && rt__parser_is_word(t, "with")) {
			if (RT_POS_SET(decl->no_data))
				said = "with no data";
			decl->no_data = at;
			rt__parser_advance(p);
			if (!said && (rt__parser_take_word(p, "no") < 0 ||
				      rt__parser_take_word(p, "data") < 0))
				return -1;
		} else if (kind == RT_SQL_VIEW && rt__parser_is_word(t, "security")) {
			if (RT_POS_SET(decl->security_invoker))
				said = "security invoker";
			decl->security_invoker = at;
			rt__parser_advance(p);
			if (!said && (!rt__parser_is_word(&p->tok, "invoker") ||
				      !rt__parser_same_line(&p->tok)))
				return rt__parser_expected(p, "'invoker' after 'security' (the view's "
							      "query runs with the rights of whoever "
							      "reads it)");
			if (!said)
				rt__parser_advance(p);
		} else if (kind == RT_SQL_TRIGGER && rt__parser_is_word(t, "on")) {
			if (decl->on_table.text)
				said = "on";
			rt__parser_advance(p);
			const char *what = "the trigger's table after 'on'";
			if (!said && rt__parser_take_table_name(p, &decl->on_table, what) < 0)
				return -1;
		} else {
			/* An unknown word where these go: say what may come (a
			 * script's drop and rename go on with words of their own). */
			const char *what = header_expected(p, decl, kind);
			if (body_required && what)
				return rt__parser_expected(p, what);
			break;
		}
		if (said) {
			rt__diag_error(p->ctx->diags, at, "'%s' is said twice", said);
			return -1;
		}
	}
	if (kind == RT_SQL_TRIGGER && !decl->on_table.text)
		return rt__parser_expected(p, "'on' and the trigger's table");
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
	if (header_words(p, decl, kind, body_required) < 0)
		return -1;
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
