/*
 * parser.c - recursive-descent parser of the schema language (parser.h).
 *
 * Declarations are free-form; inside a body, each member is one line (a
 * `$$` block may carry it over several): a member ends at the first token
 * that starts a new line, or at the closing brace. That is what lets
 * keywords double as names (`comment text?` is a column, `comment '...'` the
 * table's comment) and what the parser recovers at after an error: it skips
 * to the next line and carries on, so one run reports many errors.
 *
 * Functions that parse something return 0, or -1 after reporting an error
 * (or when the lexer already reported one), leaving recovery to the loop
 * that called them.
 */
#include "schema/parser.h"

#include <string.h>

#include "base/buf.h"
#include "schema/lexer.h"
#include "schema/naming.h"

const char *const rt__builtin_type_names[] = {
	"smallint", "int", "bigint", "bool", "real", "double", "numeric", "string",
	"text", "blob", "date", "time", "timestamp", "timestamptz", "uuid", "json",
};
const size_t rt__builtin_type_count =
	sizeof(rt__builtin_type_names) / sizeof(rt__builtin_type_names[0]);

static const rt_type_kind builtin_type_kinds[] = {
	RT_TYPE_SMALLINT, RT_TYPE_INT, RT_TYPE_BIGINT, RT_TYPE_BOOL, RT_TYPE_REAL,
	RT_TYPE_DOUBLE, RT_TYPE_NUMERIC, RT_TYPE_STRING, RT_TYPE_TEXT, RT_TYPE_BLOB,
	RT_TYPE_DATE, RT_TYPE_TIME, RT_TYPE_TIMESTAMP, RT_TYPE_TIMESTAMPTZ, RT_TYPE_UUID,
	RT_TYPE_JSON,
};

/* Names other tools use for our types, so the error can say what to write. */
static const char *const type_aliases[][2] = {
	{"integer", "int"},     {"int4", "int"},        {"int32", "int"},
	{"int8", "bigint"},     {"int64", "bigint"},    {"long", "bigint"},
	{"int2", "smallint"},   {"int16", "smallint"},  {"boolean", "bool"},
	{"float", "double"},    {"float8", "double"},   {"float4", "real"},
	{"decimal", "numeric"}, {"varchar", "string"},  {"char", "string"},
	{"str", "string"},      {"bytea", "blob"},      {"bytes", "blob"},
	{"datetime", "timestamp"}, {"jsonb", "json"},   {"serial", "int"},
	{"bigserial", "bigint"},
};

/* The longest string(n) PostgreSQL accepts, and numeric's precision limit. */
#define MAX_STRING_LENGTH 10485760
#define MAX_NUMERIC_PRECISION 1000
#define MAX_INCLUDE_DEPTH 64

typedef struct parser {
	rt_parse_ctx *ctx;
	rt_lexer lex;
	rt_token tok;         /* the current token */
	rt_token ahead[2];    /* tokens read past it, for two-token lookahead */
	int ahead_count;
	rt_pos prev_end;      /* just after the previous token */
	bool in_member;       /* a line break ends what is being read */
} parser;

/* --- tokens ---------------------------------------------------------------- */

static void advance(parser *p)
{
	p->prev_end = p->tok.end;
	if (p->ahead_count > 0) {
		p->tok = p->ahead[0];
		p->ahead[0] = p->ahead[1];
		p->ahead_count--;
	} else {
		rt__lexer_next(&p->lex, &p->tok);
	}
}

/* The token n (1 or 2) places after the current one. */
static const rt_token *peek(parser *p, int n)
{
	while (p->ahead_count < n)
		rt__lexer_next(&p->lex, &p->ahead[p->ahead_count++]);
	return &p->ahead[n - 1];
}

static bool is_word(const rt_token *tok, const char *word)
{
	return tok->kind == RT_TOK_IDENT && strcmp(tok->value, word) == 0;
}

/* Is the token on the current line? (A member's tokens all are.) */
static bool same_line(const rt_token *tok)
{
	return !tok->line_start && tok->kind != RT_TOK_EOF;
}

static bool at_member_end(const parser *p)
{
	return p->tok.kind == RT_TOK_EOF || p->tok.kind == RT_TOK_RBRACE || p->tok.line_start;
}

/* Has the error limit been reached? Stopping with text left unread means
 * the list may be missing errors, which the rendering then says. */
static bool stopped(parser *p)
{
	if (!rt__diag_full(p->ctx->diags))
		return false;
	if (p->tok.kind != RT_TOK_EOF)
		p->ctx->diags->truncated = true;
	return true;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static void *alloc(parser *p, size_t size)
{
	void *mem = rt__arena_alloc(p->ctx->arena, size);
	if (!mem)
		p->ctx->diags->nomem = true;
	return mem;
}

/* --- errors ---------------------------------------------------------------- */

static const char *describe(parser *p)
{
	if (p->in_member && p->tok.line_start && p->tok.kind != RT_TOK_EOF)
		return "end of line";
	const char *d = rt__token_describe(p->ctx->arena, &p->tok);
	return d ? d : "?";
}

/* Where "expected X, found Y" points: at the token, or just after the
 * previous one when the line ended early. */
static rt_pos found_pos(const parser *p)
{
	if (p->in_member && (p->tok.line_start || p->tok.kind == RT_TOK_EOF))
		return p->prev_end;
	return p->tok.pos;
}

static int expected(parser *p, const char *what)
{
	if (p->tok.kind == RT_TOK_ERROR ||
	    (p->tok.kind == RT_TOK_EOF && p->lex.swallowed))
		return -1; /* the lexer said why */
	rt__diag_error(p->ctx->diags, found_pos(p), "expected %s, found %s", what,
		       describe(p));
	return -1;
}

/* The same with a "did you mean" from a list of words; the message then
 * uses short_what, as the suggestion says the rest. */
static int expected_word(parser *p, const char *what, const char *short_what,
			 const char *const *words, size_t count)
{
	if (p->tok.kind != RT_TOK_IDENT || (p->in_member && p->tok.line_start))
		return expected(p, what);
	rt_suggest s;
	rt__suggest_init(&s, p->tok.value);
	for (size_t i = 0; i < count; i++)
		rt__suggest_consider(&s, words[i]);
	const char *best = rt__suggest_result(&s);
	if (!best)
		return expected(p, what);
	rt__diag_error(p->ctx->diags, p->tok.pos, "expected %s, found %s; did you mean '%s'?",
		       short_what, describe(p), best);
	return -1;
}

static int fail_at(parser *p, rt_pos pos, const char *message)
{
	rt__diag_error(p->ctx->diags, pos, "%s", message);
	return -1;
}

/* --- small pieces ------------------------------------------------------------ */

static int take_name(parser *p, rt_ast_name *out, const char *what)
{
	if (p->tok.kind != RT_TOK_IDENT || (p->in_member && p->tok.line_start))
		return expected(p, what);
	out->text = p->tok.value;
	out->pos = p->tok.pos;
	advance(p);
	return 0;
}

static int take_string(parser *p, rt_ast_name *out, const char *what)
{
	if (p->tok.kind != RT_TOK_STRING || (p->in_member && p->tok.line_start))
		return expected(p, what);
	out->text = p->tok.value;
	out->pos = p->tok.pos;
	advance(p);
	return 0;
}

static int take_word(parser *p, const char *word)
{
	if (!is_word(&p->tok, word) || (p->in_member && p->tok.line_start)) {
		const char *what = rt__arena_printf(p->ctx->arena, "'%s'", word);
		return expected(p, what ? what : word);
	}
	advance(p);
	return 0;
}

static int take(parser *p, rt_token_kind kind, const char *what)
{
	if (p->tok.kind != kind || (p->in_member && p->tok.line_start))
		return expected(p, what);
	advance(p);
	return 0;
}

static int push_name(parser *p, rt_ast_names *names, const rt_ast_name *name)
{
	if (rt__arena_reserve(p->ctx->arena, (void **)&names->items, &names->cap,
			      names->count + 1, sizeof(*names->items)) < 0) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	names->items[names->count++] = *name;
	return 0;
}

/* ( a, b, c ) - column names; at least one. */
static int parse_name_list(parser *p, rt_ast_names *names, const char *what)
{
	const char *open = rt__arena_printf(p->ctx->arena, "'(' and the %s", what);
	if (take(p, RT_TOK_LPAREN, open ? open : "'('") < 0)
		return -1;
	for (;;) {
		rt_ast_name name = {0};
		if (take_name(p, &name, "a column name") < 0 || push_name(p, names, &name) < 0)
			return -1;
		if (p->tok.kind == RT_TOK_COMMA && same_line(&p->tok)) {
			advance(p);
			continue;
		}
		return take(p, RT_TOK_RPAREN, "',' or ')'");
	}
}

/* cascade | restrict | set null | set default | no action */
static int parse_fk_action(parser *p, rt_fk_action *out)
{
	static const char *const actions[] = {"cascade", "restrict", "set", "no"};
	const char *what = "an action (cascade, set null, set default, restrict or no action)";
	if (is_word(&p->tok, "cascade") && same_line(&p->tok)) {
		*out = RT_FK_CASCADE;
	} else if (is_word(&p->tok, "restrict") && same_line(&p->tok)) {
		*out = RT_FK_RESTRICT;
	} else if (is_word(&p->tok, "set") && same_line(&p->tok)) {
		advance(p);
		if (is_word(&p->tok, "null") && same_line(&p->tok))
			*out = RT_FK_SET_NULL;
		else if (is_word(&p->tok, "default") && same_line(&p->tok))
			*out = RT_FK_SET_DEFAULT;
		else
			return expected(p, "'null' or 'default' after 'set'");
	} else if (is_word(&p->tok, "no") && same_line(&p->tok)) {
		advance(p);
		if (!is_word(&p->tok, "action") || !same_line(&p->tok))
			return expected(p, "'action' after 'no'");
		*out = RT_FK_NO_ACTION;
	} else {
		return expected_word(p, what, "an action", actions, 4);
	}
	advance(p);
	return 0;
}

/* references t(a, b) [on delete <action>] [on update <action>] */
static int parse_references(parser *p, rt_ast_ref *ref)
{
	ref->pos = p->tok.pos;
	advance(p); /* references */
	if (take_name(p, &ref->table, "a table name after 'references'") < 0 ||
	    parse_name_list(p, &ref->columns, "referenced columns") < 0)
		return -1;
	bool delete_set = false, update_set = false;
	while (is_word(&p->tok, "on") && same_line(&p->tok)) {
		const rt_token *what = peek(p, 1);
		bool is_delete = is_word(what, "delete") && same_line(what);
		bool is_update = is_word(what, "update") && same_line(what);
		if (!is_delete && !is_update)
			break; /* a relationship's `on column`, reported by the caller */
		advance(p);
		rt_pos at = p->tok.pos;
		advance(p);
		if ((is_delete && delete_set) || (is_update && update_set))
			return fail_at(p, at, is_delete ? "'on delete' is given twice"
						       : "'on update' is given twice");
		if (parse_fk_action(p, is_delete ? &ref->on_delete : &ref->on_update) < 0)
			return -1;
		if (is_delete)
			delete_set = true;
		else
			update_set = true;
	}
	return 0;
}

/* A positive whole number inside a type's parentheses. */
static int parse_type_number(parser *p, int *out, int min, int max, const char *what)
{
	if (p->tok.kind != RT_TOK_NUMBER || !same_line(&p->tok))
		return expected(p, what);
	const char *v = p->tok.value;
	long n = 0;
	bool ok = *v != '\0';
	for (const char *c = v; *c; c++) {
		if (*c < '0' || *c > '9' || n > max) {
			ok = false;
			break;
		}
		n = n * 10 + (*c - '0');
	}
	if (!ok || n < min || n > max) {
		rt__diag_error(p->ctx->diags, p->tok.pos,
			       "expected %s from %d to %d, found %s", what, min, max, v);
		return -1;
	}
	*out = (int)n;
	advance(p);
	return 0;
}

/* string(n) / numeric(p, s) / numeric(p); the name was just read. */
static int parse_type_arguments(parser *p, rt_type *type, const char *name)
{
	if (p->tok.kind != RT_TOK_LPAREN || !same_line(&p->tok))
		return 0;
	if (type->kind != RT_TYPE_STRING && type->kind != RT_TYPE_NUMERIC) {
		rt__diag_error(p->ctx->diags, p->tok.pos,
			       "type '%s' takes no arguments; only string(n) and "
			       "numeric(p,s) do", name);
		return -1;
	}
	advance(p);
	if (type->kind == RT_TYPE_STRING) {
		if (parse_type_number(p, &type->length, 1, MAX_STRING_LENGTH,
				      "a length") < 0)
			return -1;
	} else {
		if (parse_type_number(p, &type->precision, 1, MAX_NUMERIC_PRECISION,
				      "a precision") < 0)
			return -1;
		if (p->tok.kind != RT_TOK_COMMA || !same_line(&p->tok))
			return take(p, RT_TOK_RPAREN, "',' and a scale, or ')'");
		advance(p);
		if (parse_type_number(p, &type->scale, 0, type->precision, "a scale") < 0)
			return -1;
	}
	return take(p, RT_TOK_RPAREN, "')'");
}

static int builtin_index(const char *name)
{
	for (size_t i = 0; i < rt__builtin_type_count; i++)
		if (strcmp(rt__builtin_type_names[i], name) == 0)
			return (int)i;
	return -1;
}

static int unknown_type(parser *p, const rt_token *tok)
{
	for (size_t i = 0; i < sizeof(type_aliases) / sizeof(type_aliases[0]); i++)
		if (strcmp(type_aliases[i][0], tok->value) == 0) {
			rt__diag_error(p->ctx->diags, tok->pos,
				       "unknown type '%s'; write '%s' instead", tok->value,
				       type_aliases[i][1]);
			return -1;
		}
	rt_suggest s;
	rt__suggest_init(&s, tok->value);
	for (size_t i = 0; i < rt__builtin_type_count; i++)
		rt__suggest_consider(&s, rt__builtin_type_names[i]);
	if (rt__suggest_result(&s))
		rt__diag_error(p->ctx->diags, tok->pos, "unknown type '%s'; did you mean '%s'?",
			       tok->value, rt__suggest_result(&s));
	else
		rt__diag_error(p->ctx->diags, tok->pos,
			       "unknown type '%s'; expected a built-in type (smallint, int, "
			       "bigint, bool, real, double, numeric, string, text, blob, date, "
			       "time, timestamp, timestamptz, uuid, json) or the name of an "
			       "enum or model", tok->value);
	return -1;
}

/* type := builtin [args] | EnumOrModel, then ? or [] */
static int parse_type(parser *p, rt_ast_member *m)
{
	if (p->tok.kind != RT_TOK_IDENT || !same_line(&p->tok)) {
		const char *what = rt__arena_printf(p->ctx->arena, "a type after '%s'",
						    m->name.text);
		return expected(p, what ? what : "a type");
	}
	m->type_name.text = p->tok.value;
	m->type_name.pos = p->tok.pos;
	int builtin = builtin_index(p->tok.value);
	if (builtin >= 0) {
		m->builtin = true;
		m->type.kind = builtin_type_kinds[builtin];
		advance(p);
		if (parse_type_arguments(p, &m->type, m->type_name.text) < 0)
			return -1;
	} else if (is_upper(p->tok.value[0])) {
		advance(p); /* an enum or a model: validation tells which */
		if (p->tok.kind == RT_TOK_LPAREN && same_line(&p->tok))
			return fail_at(p, p->tok.pos, "only string(n) and numeric(p,s) take "
						       "arguments; an enum or model name "
						       "takes none");
	} else {
		return unknown_type(p, &p->tok);
	}

	if (p->tok.kind == RT_TOK_QUESTION && same_line(&p->tok)) {
		m->optional = true;
		advance(p);
	}
	if (p->tok.kind == RT_TOK_LBRACKET && same_line(&p->tok)) {
		rt_pos at = p->tok.pos;
		advance(p);
		if (take(p, RT_TOK_RBRACKET, "']' after '['") < 0)
			return -1;
		if (m->builtin)
			return fail_at(p, at, "a column cannot be a list; '[]' marks a "
					      "relationship to many rows of a model");
		if (m->optional)
			return fail_at(p, at, "a list cannot be optional ('?'); an empty "
					      "list already means none");
		m->is_list = true;
		if (p->tok.kind == RT_TOK_QUESTION && same_line(&p->tok))
			return fail_at(p, p->tok.pos, "a list cannot be optional ('?'); an "
						       "empty list already means none");
	}
	return 0;
}

/* number | 'string' | true | false | now | enum_value [| sql '<expr>'] */
static int parse_literal(parser *p, rt_ast_literal *lit, bool server)
{
	const char *what = server ? "a literal (a number, 'string', true, false, now, an "
				    "enum value or sql '<expression>')"
				  : "a literal (a number, 'string', true, false, now or an "
				    "enum value)";
	lit->pos = p->tok.pos;
	if (!same_line(&p->tok))
		return expected(p, what);
	if (p->tok.kind == RT_TOK_NUMBER) {
		lit->value.kind = RT_LITERAL_NUMBER;
	} else if (p->tok.kind == RT_TOK_STRING) {
		lit->value.kind = RT_LITERAL_STRING;
	} else if (p->tok.kind == RT_TOK_IDENT) {
		const char *v = p->tok.value;
		const rt_token *next = peek(p, 1);
		if (strcmp(v, "sql") == 0 && next->kind == RT_TOK_STRING && same_line(next)) {
			if (!server)
				return fail_at(p, p->tok.pos,
					       "sql '...' is only for 'server default'; the "
					       "program cannot evaluate SQL for 'default'");
			advance(p);
			lit->value.kind = RT_LITERAL_SQL;
		} else if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
			lit->value.kind = RT_LITERAL_BOOL;
		} else if (strcmp(v, "now") == 0) {
			lit->value.kind = RT_LITERAL_NOW;
		} else if (strcmp(v, "null") == 0) {
			return fail_at(p, p->tok.pos,
				       "null is not a default: leave the default out (a "
				       "nullable column, type?, is NULL when not set)");
		} else {
			lit->value.kind = RT_LITERAL_ENUM;
		}
	} else {
		return expected(p, what);
	}
	lit->value.text = p->tok.value;
	advance(p);
	return 0;
}

/* --- members ----------------------------------------------------------------- */

typedef enum option_scope { FOR_COLUMN, FOR_RELATIONSHIP } option_scope;

static const char *const column_options[] = {
	"primary", "autoincrement", "no", "unique", "index", "default", "server",
	"references", "check", "comment", "column", "was",
};
static const char *const relationship_options[] = {
	"back", "through", "on", "order", "cascade", "delete",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Notes which kind of member an option belongs to, and refuses it when the
 * type already says the member is the other kind. */
static int note_scope(parser *p, rt_ast_member *m, option_scope scope,
		      const rt_ast_name *option)
{
	if (scope == FOR_COLUMN) {
		if (!m->column_option.text)
			m->column_option = *option;
		if (m->is_list) {
			rt__diag_error(p->ctx->diags, option->pos,
				       "'%s' applies to columns; '%s' is a relationship to "
				       "many %s", option->text, m->name.text,
				       m->type_name.text);
			return -1;
		}
	} else {
		if (!m->relationship_option.text)
			m->relationship_option = *option;
		if (m->builtin) {
			rt__diag_error(p->ctx->diags, option->pos,
				       "'%s' applies to relationships; '%s' is a column of "
				       "type %s", option->text, m->name.text,
				       m->type_name.text);
			return -1;
		}
	}
	return 0;
}

static int duplicate_option(parser *p, const rt_ast_name *option, const rt_ast_member *m)
{
	rt__diag_error(p->ctx->diags, option->pos, "'%s' is given twice for '%s'",
		       option->text, m->name.text);
	return -1;
}

/* Marks a flag-like option written once; its name is option->text. */
static int set_once(parser *p, rt_ast_member *m, rt_pos *slot, const rt_ast_name *option)
{
	if (RT_POS_SET(*slot))
		return duplicate_option(p, option, m);
	*slot = option->pos;
	return 0;
}

/* The options of a relationship; the keyword is the current token. */
static int parse_relationship_option(parser *p, rt_ast_member *m, const rt_ast_name *option)
{
	const char *w = option->text;
	if (strcmp(w, "back") == 0 || strcmp(w, "through") == 0) {
		rt_ast_name *slot = w[0] == 'b' ? &m->back : &m->through;
		if (slot->text)
			return duplicate_option(p, option, m);
		advance(p);
		return take_name(p, slot, w[0] == 'b' ? "the name of the relationship on the "
							"other side after 'back'"
						      : "a table name after 'through'");
	}
	if (strcmp(w, "on") == 0) {
		if (m->on_column.text)
			return duplicate_option(p, option, m);
		advance(p);
		rt_ast_name first = {0};
		if (take_name(p, &first, "a foreign key column after 'on'") < 0)
			return -1;
		if (p->tok.kind == RT_TOK_DOT && same_line(&p->tok)) {
			advance(p);
			m->on_table = first;
			return take_name(p, &m->on_column, "a column name after '.'");
		}
		m->on_column = first;
		return 0;
	}
	if (strcmp(w, "order") == 0) {
		if (m->order_by.text)
			return duplicate_option(p, option, m);
		advance(p);
		if (take_word(p, "by") < 0 ||
		    take_name(p, &m->order_by, "a column name after 'order by'") < 0)
			return -1;
		if ((is_word(&p->tok, "desc") || is_word(&p->tok, "asc")) && same_line(&p->tok)) {
			m->order_desc = p->tok.value[0] == 'd';
			advance(p);
		}
		return 0;
	}
	if (strcmp(w, "cascade") == 0) {
		if (set_once(p, m, &m->cascade_delete, option) < 0)
			return -1;
		advance(p);
		return take_word(p, "delete");
	}
	/* delete orphan */
	if (set_once(p, m, &m->delete_orphan, option) < 0)
		return -1;
	advance(p);
	return take_word(p, "orphan");
}

static int parse_column_option(parser *p, rt_ast_member *m, const rt_ast_name *option)
{
	const char *w = option->text;
	if (strcmp(w, "primary") == 0) {
		if (set_once(p, m, &m->primary_key, option) < 0)
			return -1;
		advance(p);
		return take_word(p, "key");
	}
	if (strcmp(w, "autoincrement") == 0 || strcmp(w, "no") == 0) {
		bool on = w[0] == 'a';
		if (m->autoincrement != RT_AST_AUTOINCREMENT_UNSET) {
			bool same = (m->autoincrement == RT_AST_AUTOINCREMENT_ON) == on;
			if (same)
				return duplicate_option(p, option, m);
			return fail_at(p, option->pos, "'autoincrement' and 'no "
							"autoincrement' contradict each other");
		}
		m->autoincrement = on ? RT_AST_AUTOINCREMENT_ON : RT_AST_AUTOINCREMENT_OFF;
		m->autoincrement_pos = option->pos;
		advance(p);
		return on ? 0 : take_word(p, "autoincrement");
	}
	if (strcmp(w, "unique") == 0 || strcmp(w, "index") == 0) {
		if (set_once(p, m, w[0] == 'u' ? &m->unique : &m->index, option) < 0)
			return -1;
		advance(p);
		return 0;
	}
	if (strcmp(w, "default") == 0 || strcmp(w, "server") == 0) {
		bool server = w[0] == 's';
		rt_ast_literal *slot = server ? &m->server_default : &m->default_value;
		if (slot->value.kind != RT_LITERAL_NONE)
			return duplicate_option(p, option, m);
		advance(p);
		if (server && take_word(p, "default") < 0)
			return -1;
		return parse_literal(p, slot, server);
	}
	if (strcmp(w, "references") == 0) {
		if (RT_POS_SET(m->references.pos))
			return duplicate_option(p, option, m);
		return parse_references(p, &m->references);
	}
	rt_ast_name *slot = strcmp(w, "check") == 0     ? &m->check
			    : strcmp(w, "comment") == 0 ? &m->comment
			    : strcmp(w, "column") == 0  ? &m->sql_name
							: &m->was;
	if (slot->text)
		return duplicate_option(p, option, m);
	advance(p);
	if (slot == &m->was)
		return take_name(p, slot, "the column's previous name after 'was'");
	const char *what = slot == &m->check     ? "a SQL expression in quotes after 'check'"
			   : slot == &m->comment ? "a string after 'comment'"
						 : "the SQL name in quotes after 'column'";
	return take_string(p, slot, what);
}

static bool in_list(const char *word, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(word, list[i]) == 0)
			return true;
	return false;
}

static int unknown_option(parser *p, const rt_ast_member *m)
{
	const char *what, *short_what;
	const char *const *words;
	size_t count;
	const char *all[COUNT(column_options) + COUNT(relationship_options)];
	if (m->builtin) {
		what = "a column constraint (primary key, autoincrement, unique, index, "
		       "default, server default, references, check, comment, column, was) "
		       "or the end of the line";
		short_what = "a column constraint or the end of the line";
		words = column_options;
		count = COUNT(column_options);
	} else if (m->is_list) {
		what = "a relationship option (back, through, on, order by, cascade "
		       "delete, delete orphan) or the end of the line";
		short_what = "a relationship option or the end of the line";
		words = relationship_options;
		count = COUNT(relationship_options);
	} else {
		what = "a column constraint, a relationship option or the end of the line";
		short_what = what;
		memcpy(all, column_options, sizeof(column_options));
		memcpy(all + COUNT(column_options), relationship_options,
		       sizeof(relationship_options));
		words = all;
		count = COUNT(all);
	}
	return expected_word(p, what, short_what, words, count);
}

/* name type[?|[]] option... */
static int parse_field(parser *p, rt_ast_member *m)
{
	m->kind = RT_AST_FIELD;
	/* The name starts the member, so it may start the line. */
	if (p->tok.kind != RT_TOK_IDENT) {
		p->in_member = false;
		return expected(p, "a member (a column, a relationship or a table-level "
				   "constraint) or '}'");
	}
	m->name.text = p->tok.value;
	m->name.pos = p->tok.pos;
	advance(p);
	if (parse_type(p, m) < 0)
		return -1;
	while (!at_member_end(p)) {
		if (p->tok.kind != RT_TOK_IDENT)
			return unknown_option(p, m);
		rt_ast_name option = {p->tok.value, p->tok.pos};
		const rt_token *next = peek(p, 1);
		int rc;
		if (strcmp(option.text, "on") == 0 && same_line(next) &&
		    (is_word(next, "delete") || is_word(next, "update"))) {
			rc = fail_at(p, option.pos, "'on delete' and 'on update' come after "
						    "'references table(column)'");
		} else if (in_list(option.text, column_options, COUNT(column_options))) {
			rc = note_scope(p, m, FOR_COLUMN, &option);
			if (rc == 0)
				rc = parse_column_option(p, m, &option);
		} else if (in_list(option.text, relationship_options,
				   COUNT(relationship_options))) {
			rc = note_scope(p, m, FOR_RELATIONSHIP, &option);
			if (rc == 0)
				rc = parse_relationship_option(p, m, &option);
		} else {
			rc = unknown_option(p, m);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* An optional constraint name before '(' or a string. */
static void take_optional_name(parser *p, rt_ast_member *m)
{
	if (p->tok.kind == RT_TOK_IDENT && same_line(&p->tok)) {
		m->name.text = p->tok.value;
		m->name.pos = p->tok.pos;
		advance(p);
	}
}

static int parse_table_level(parser *p, rt_ast_member *m)
{
	const char *w = p->tok.value;
	if (strcmp(w, "primary") == 0) {
		m->kind = RT_AST_PRIMARY_KEY;
		advance(p);
		advance(p); /* key */
		take_optional_name(p, m); /* primary key [name] (a, b), like unique */
		return parse_name_list(p, &m->columns, "primary key columns");
	}
	if (strcmp(w, "unique") == 0 || strcmp(w, "index") == 0) {
		bool unique = w[0] == 'u';
		advance(p);
		if (unique && is_word(&p->tok, "index") && same_line(&p->tok)) {
			m->unique_index = true;
			advance(p);
		}
		m->kind = unique && !m->unique_index ? RT_AST_UNIQUE : RT_AST_INDEX;
		take_optional_name(p, m);
		return parse_name_list(p, &m->columns, m->kind == RT_AST_UNIQUE
							       ? "unique columns"
							       : "indexed columns");
	}
	if (strcmp(w, "check") == 0) {
		m->kind = RT_AST_CHECK;
		advance(p);
		take_optional_name(p, m);
		return take_string(p, &m->text, "a SQL expression in quotes");
	}
	if (strcmp(w, "foreign") == 0) {
		m->kind = RT_AST_FOREIGN_KEY;
		advance(p);
		advance(p); /* key */
		take_optional_name(p, m);
		if (parse_name_list(p, &m->columns, "foreign key columns") < 0)
			return -1;
		if (!is_word(&p->tok, "references") || !same_line(&p->tok))
			return expected(p, "'references' after the foreign key columns");
		return parse_references(p, &m->ref);
	}
	m->kind = strcmp(w, "table") == 0 ? RT_AST_TABLE_NAME : RT_AST_COMMENT;
	advance(p);
	return take_string(p, &m->text, m->kind == RT_AST_TABLE_NAME
						 ? "the table's SQL name in quotes"
						 : "a string");
}

static bool is_type_word(const rt_token *tok)
{
	return tok->kind == RT_TOK_IDENT && builtin_index(tok->value) >= 0;
}

/* Does the member starting here read as a table-level one? Keywords are
 * not reserved, so `comment text?` is a column and `comment '...'` the
 * table's comment: the tokens after the first one decide. */
static bool is_table_level(parser *p)
{
	if (p->tok.kind != RT_TOK_IDENT)
		return false;
	const char *w = p->tok.value;
	const rt_token *t1 = peek(p, 1);
	if (!same_line(t1))
		return false;
	if (strcmp(w, "primary") == 0 || strcmp(w, "foreign") == 0)
		return is_word(t1, "key");
	if (strcmp(w, "table") == 0 || strcmp(w, "comment") == 0)
		return t1->kind == RT_TOK_STRING;
	bool unique = strcmp(w, "unique") == 0;
	if (unique || strcmp(w, "index") == 0) {
		if (t1->kind == RT_TOK_LPAREN || (unique && is_word(t1, "index")))
			return true;
		const rt_token *t2 = peek(p, 2);
		return t1->kind == RT_TOK_IDENT && !is_type_word(t1) &&
		       t2->kind == RT_TOK_LPAREN && same_line(t2);
	}
	if (strcmp(w, "check") == 0) {
		if (t1->kind == RT_TOK_STRING)
			return true;
		const rt_token *t2 = peek(p, 2);
		return t1->kind == RT_TOK_IDENT && t2->kind == RT_TOK_STRING && same_line(t2);
	}
	return false;
}

/* A line that starts another declaration, seen inside a body: the body
 * lacks its closing brace. */
static bool looks_like_declaration(parser *p)
{
	if (p->tok.kind != RT_TOK_IDENT || !p->tok.line_start)
		return false;
	const char *w = p->tok.value;
	const rt_token *t1 = peek(p, 1);
	if (strcmp(w, "include") == 0)
		return t1->kind == RT_TOK_STRING && same_line(t1);
	if (strcmp(w, "model") != 0 && strcmp(w, "mixin") != 0 && strcmp(w, "enum") != 0 &&
	    strcmp(w, "table") != 0)
		return false;
	const rt_token *t2 = peek(p, 2);
	if (t1->kind != RT_TOK_IDENT || !same_line(t1) || !same_line(t2))
		return false;
	return t2->kind == RT_TOK_LBRACE || (strcmp(w, "model") == 0 && is_word(t2, "uses"));
}

/* Skips the rest of a member after an error. */
static void skip_member(parser *p)
{
	while (!at_member_end(p))
		advance(p);
}

static int parse_member(parser *p, rt_ast_decl *decl)
{
	rt_ast_member *m = alloc(p, sizeof(*m));
	if (!m)
		return -1;
	m->pos = p->tok.pos;
	int rc = is_table_level(p) ? parse_table_level(p, m) : parse_field(p, m);
	if (rc == 0 && !at_member_end(p))
		rc = expected(p, "the end of the line");
	if (rc < 0)
		return -1;
	if (rt__arena_reserve(p->ctx->arena, (void **)&decl->members, &decl->member_cap,
			      decl->member_count + 1, sizeof(*decl->members)) < 0) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	decl->members[decl->member_count++] = m;
	return 0;
}

/* { member* } - the opening brace is the current token. */
static int parse_body(parser *p, rt_ast_decl *decl, const char *what)
{
	int open_line = p->tok.pos.line;
	advance(p);
	while (!stopped(p)) {
		if (p->tok.kind == RT_TOK_RBRACE) {
			advance(p);
			return 0;
		}
		if (p->tok.kind == RT_TOK_EOF && p->lex.swallowed)
			return -1;
		if (p->tok.kind == RT_TOK_EOF || looks_like_declaration(p)) {
			rt__diag_error(p->ctx->diags, p->tok.kind == RT_TOK_EOF ? p->prev_end
										 : p->tok.pos,
				       "expected '}' to close %s %s (opened on line %d), "
				       "found %s", what, decl->name.text ? decl->name.text : "",
				       open_line, describe(p));
			return -1;
		}
		const char *start = p->tok.start;
		p->in_member = true;
		if (parse_member(p, decl) < 0) {
			if (p->tok.start == start)
				advance(p); /* the first token was at fault */
			skip_member(p);
		}
		p->in_member = false;
	}
	return -1;
}

/* --- declarations -------------------------------------------------------- */

static const char *const decl_words[] = {"model", "table", "mixin", "enum", "include"};

static rt_ast_decl *new_decl(parser *p, rt_ast_decl_kind kind)
{
	rt_ast_decl *decl = alloc(p, sizeof(*decl));
	if (!decl)
		return NULL;
	decl->kind = kind;
	decl->pos = p->tok.pos;
	rt_ast *ast = &p->ctx->ast;
	if (rt__arena_reserve(p->ctx->arena, (void **)&ast->decls, &ast->cap, ast->count + 1,
			      sizeof(*ast->decls)) < 0) {
		p->ctx->diags->nomem = true;
		return NULL;
	}
	ast->decls[ast->count++] = decl;
	return decl;
}

/* Model, mixin and enum names are CamelCase: that is how `user User` reads
 * as a relationship and `user_id bigint` as a column. */
static void check_type_name(parser *p, const rt_ast_name *name, const char *what)
{
	if (is_upper(name->text[0]))
		return;
	const char *camel = rt__name_camel_case(p->ctx->arena, name->text);
	if (camel && is_upper(camel[0]))
		rt__diag_error(p->ctx->diags, name->pos,
			       "%s name must start with an upper-case letter: write '%s', "
			       "not '%s'", what, camel, name->text);
	else
		rt__diag_error(p->ctx->diags, name->pos,
			       "%s name must start with an upper-case letter, found '%s'",
			       what, name->text);
}

/* model Name [uses A, B] [was Old] { ... } */
static int parse_model(parser *p, rt_ast_decl_kind kind)
{
	const char *what = kind == RT_AST_MODEL ? "model" : kind == RT_AST_MIXIN ? "mixin"
										: "table";
	rt_ast_decl *decl = new_decl(p, kind);
	if (!decl)
		return -1;
	advance(p);
	const char *name_what = kind == RT_AST_TABLE ? "a table name after 'table'"
			      : kind == RT_AST_MODEL ? "a model name after 'model'"
						     : "a mixin name after 'mixin'";
	if (take_name(p, &decl->name, name_what) < 0)
		return -1;
	if (kind != RT_AST_TABLE)
		check_type_name(p, &decl->name, kind == RT_AST_MODEL ? "a model" : "a mixin");
	for (;;) {
		if (kind == RT_AST_MODEL && is_word(&p->tok, "uses") && !decl->uses.count) {
			advance(p);
			do {
				if (decl->uses.count)
					advance(p); /* , */
				rt_ast_name mixin = {0};
				if (take_name(p, &mixin, "a mixin name") < 0 ||
				    push_name(p, &decl->uses, &mixin) < 0)
					return -1;
			} while (p->tok.kind == RT_TOK_COMMA);
		} else if (kind != RT_AST_MIXIN && is_word(&p->tok, "was") && !decl->was.text) {
			advance(p);
			if (take_name(p, &decl->was, "the previous name after 'was'") < 0)
				return -1;
		} else {
			break;
		}
	}
	if (p->tok.kind != RT_TOK_LBRACE) {
		const char *expect = kind == RT_AST_MODEL
			? (decl->uses.count ? (decl->was.text ? "'{'" : "'was' or '{'")
					    : (decl->was.text ? "'uses' or '{'"
							      : "'uses', 'was' or '{'"))
			: kind == RT_AST_TABLE ? (decl->was.text ? "'{'" : "'was' or '{'")
					       : "'{'";
		return expected(p, expect);
	}
	return parse_body(p, decl, what);
}

/* enum Name { a, b, c } - commas or line breaks between values. */
static int parse_enum(parser *p)
{
	rt_ast_decl *decl = new_decl(p, RT_AST_ENUM);
	if (!decl)
		return -1;
	advance(p);
	if (take_name(p, &decl->name, "an enum name after 'enum'") < 0)
		return -1;
	check_type_name(p, &decl->name, "an enum");
	if (take(p, RT_TOK_LBRACE, "'{' and the enum's values") < 0)
		return -1;
	for (;;) {
		if (p->tok.kind == RT_TOK_RBRACE) {
			advance(p);
			return 0;
		}
		if (p->tok.kind == RT_TOK_EOF && p->lex.swallowed)
			return -1;
		if (p->tok.kind == RT_TOK_EOF || looks_like_declaration(p)) {
			rt__diag_error(p->ctx->diags, p->tok.kind == RT_TOK_EOF ? p->prev_end
										 : p->tok.pos,
				       "expected '}' to close enum %s (opened on line %d), "
				       "found %s", decl->name.text, decl->name.pos.line,
				       describe(p));
			return -1;
		}
		rt_ast_name value = {0};
		if (take_name(p, &value, decl->values.count ? "an enum value or '}'"
							    : "an enum value") < 0 ||
		    push_name(p, &decl->values, &value) < 0)
			return -1;
		if (p->tok.kind == RT_TOK_COMMA)
			advance(p);
		else if (p->tok.kind != RT_TOK_RBRACE && !p->tok.line_start)
			return expected(p, "',' or '}' after an enum value");
	}
}

static void parse_file_text(rt_parse_ctx *ctx, const char *file, const char *text,
			    size_t len);

/* Reports a file that includes itself, directly or through others, with the
 * chain that leads back to it: a.rt -> b.rt -> a.rt. */
static int include_cycle(parser *p, const char *file, rt_pos pos)
{
	rt_parse_ctx *ctx = p->ctx;
	size_t from = 0;
	while (from < ctx->depth && strcmp(ctx->stack[from], file) != 0)
		from++;
	rt_buf chain = RT_BUF_INIT;
	for (size_t i = from; i < ctx->depth; i++)
		rt__buf_printf(&chain, "%s -> ", ctx->stack[i]);
	rt__buf_puts(&chain, file);
	if (rt__buf_failed(&chain))
		ctx->diags->nomem = true;
	else
		rt__diag_error(ctx->diags, pos, "include cycle: %s", rt__buf_cstr(&chain));
	rt__buf_free(&chain);
	return -1;
}

/* include 'path' - relative to the including file. */
static int parse_include(parser *p)
{
	rt_parse_ctx *ctx = p->ctx;
	advance(p);
	rt_ast_name path = {0};
	if (take_string(p, &path, "a file name in quotes after 'include'") < 0)
		return -1;
	if (!*path.text)
		return fail_at(p, path.pos, "the file name after 'include' is empty");
	char *resolved = rt__path_resolve(ctx->keep, p->lex.file, path.text);
	if (!resolved) {
		ctx->diags->nomem = true;
		return -1;
	}
	const char *state = rt__map_get(&ctx->files, resolved);
	if (state && strcmp(state, "done") == 0)
		return 0; /* read already: including it again changes nothing */
	if (state)
		return include_cycle(p, resolved, path.pos);
	if (ctx->depth >= MAX_INCLUDE_DEPTH)
		return fail_at(p, path.pos, "includes are nested too deeply (more than 64 "
					    "files)");
	const char *text = NULL, *reason = "includes are not available here";
	size_t len = 0;
	if (!ctx->read || ctx->read(ctx->read_user, ctx->arena, resolved, &text, &len,
				    &reason) < 0) {
		rt__diag_error(ctx->diags, path.pos, "cannot include '%s': %s", resolved,
			       reason);
		return -1;
	}
	parse_file_text(ctx, resolved, text, len);
	return 0;
}

/* Skips to the next line that starts a declaration, outside any braces. */
static void skip_declaration(parser *p)
{
	int depth = 0;
	while (p->tok.kind != RT_TOK_EOF) {
		if (depth == 0 && p->tok.line_start && p->tok.kind == RT_TOK_IDENT &&
		    in_list(p->tok.value, decl_words, COUNT(decl_words)))
			return;
		if (p->tok.kind == RT_TOK_LBRACE)
			depth++;
		else if (p->tok.kind == RT_TOK_RBRACE && depth > 0)
			depth--;
		advance(p);
	}
}

static void parse_declarations(parser *p)
{
	advance(p);
	while (p->tok.kind != RT_TOK_EOF && !stopped(p)) {
		int rc;
		if (is_word(&p->tok, "model"))
			rc = parse_model(p, RT_AST_MODEL);
		else if (is_word(&p->tok, "table"))
			rc = parse_model(p, RT_AST_TABLE);
		else if (is_word(&p->tok, "mixin"))
			rc = parse_model(p, RT_AST_MIXIN);
		else if (is_word(&p->tok, "enum"))
			rc = parse_enum(p);
		else if (is_word(&p->tok, "include"))
			rc = parse_include(p);
		else
			rc = expected_word(p, "a declaration (model, table, mixin, enum or "
					      "include)", "a declaration", decl_words,
					   COUNT(decl_words));
		/* Every declaration reads past its keyword before it can fail,
		 * so skipping makes progress. */
		if (rc < 0)
			skip_declaration(p);
	}
}

static void parse_file_text(rt_parse_ctx *ctx, const char *file, const char *text,
			    size_t len)
{
	if (rt__map_put(&ctx->files, file, "active") < 0 ||
	    RT_ARENA_PUSH(ctx->arena, ctx->stack, ctx->depth, ctx->stack_cap, file) < 0) {
		ctx->diags->nomem = true;
		return;
	}
	rt__diag_add_source(ctx->diags, file, text, len);
	parser p;
	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	rt__lexer_init(&p.lex, file, text, len, ctx->arena, ctx->diags);
	parse_declarations(&p);
	ctx->depth--;
	if (rt__map_put(&ctx->files, file, "done") < 0)
		ctx->diags->nomem = true;
}

void rt__parse_init(rt_parse_ctx *ctx, rt_arena *arena, rt_arena *keep,
		    rt_diag_list *diags, rt_schema_read_fn read, void *read_user)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = arena;
	ctx->keep = keep;
	ctx->diags = diags;
	ctx->read = read;
	ctx->read_user = read_user;
	rt__map_init(&ctx->files, arena);
}

void rt__parse_source(rt_parse_ctx *ctx, const char *file, const char *text, size_t len)
{
	char *name = rt__path_resolve(ctx->keep, NULL, file);
	if (!name) {
		ctx->diags->nomem = true;
		return;
	}
	parse_file_text(ctx, name, text, len);
}
