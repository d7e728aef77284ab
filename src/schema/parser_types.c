/*
 * parser_types.c - a column's type in the schema language: the built-in
 * words with their arguments (string(n), char(n), numeric(p,s)), sql
 * '<type>' for any type the language has no word for, an enum or model
 * name, and the [] and ? marks after it: int[] is an array of int,
 * Name[] an array of an enum or a relationship to many rows of a model
 * (validation tells which), ? makes either nullable (parser_members.c
 * reads the rest of the member).
 */
#include <string.h>

#include "schema/parser_impl.h"

const char *const rt__builtin_type_names[] = {
	"smallint", "int", "bigint", "bool", "real", "double", "numeric", "string",
	"char", "text", "blob", "date", "time", "timestamp", "timestamptz", "uuid", "json",
};
const size_t rt__builtin_type_count =
	sizeof(rt__builtin_type_names) / sizeof(rt__builtin_type_names[0]);

static const rt_type_kind builtin_type_kinds[] = {
	RT_TYPE_SMALLINT, RT_TYPE_INT, RT_TYPE_BIGINT, RT_TYPE_BOOL, RT_TYPE_REAL,
	RT_TYPE_DOUBLE, RT_TYPE_NUMERIC, RT_TYPE_STRING, RT_TYPE_CHAR, RT_TYPE_TEXT, RT_TYPE_BLOB,
	RT_TYPE_DATE, RT_TYPE_TIME, RT_TYPE_TIMESTAMP, RT_TYPE_TIMESTAMPTZ, RT_TYPE_UUID,
	RT_TYPE_JSON,
};

/* Names other tools use for our types, so the error can say what to write. */
static const char *const type_aliases[][2] = {
	{"integer", "int"},     {"int4", "int"},        {"int32", "int"},
	{"int8", "bigint"},     {"int64", "bigint"},    {"long", "bigint"},
	{"int2", "smallint"},   {"int16", "smallint"},  {"boolean", "bool"},
	{"float", "double"},    {"float8", "double"},   {"float4", "real"},
	{"decimal", "numeric"}, {"varchar", "string"},  {"character", "char(n)"},
	{"str", "string"},      {"bytea", "blob"},      {"bytes", "blob"},
	{"datetime", "timestamp"}, {"jsonb", "json"},   {"serial", "int"},
	{"bigserial", "bigint"},
};

/* The longest string(n) and char(n) PostgreSQL accepts, and numeric's
 * precision limit. (MariaDB's CHAR holds at most 255 characters: its DDL
 * says so for a longer one.) */
#define MAX_STRING_LENGTH 10485760
#define MAX_NUMERIC_PRECISION 1000

/* A positive whole number inside a type's parentheses. */
static int parse_type_number(rt_parser *p, int *out, int min, int max, const char *what)
{
	if (p->tok.kind != RT_TOK_NUMBER || !rt__parser_same_line(&p->tok))
		return rt__parser_expected(p, what);
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
	rt__parser_advance(p);
	return 0;
}

/* string(n) / char(n) / numeric(p, s) / numeric(p); the name was just
 * read. char takes its length always: a char without one would be SQL's
 * char(1), which nobody means. */
static int parse_type_arguments(rt_parser *p, rt_type *type, const char *name)
{
	if (p->tok.kind != RT_TOK_LPAREN || !rt__parser_same_line(&p->tok)) {
		if (type->kind == RT_TYPE_CHAR)
			return rt__parser_expected(p, "'(' and a length after 'char': char(n) "
						      "(a text of any length is text)");
		return 0;
	}
	if (type->kind != RT_TYPE_STRING && type->kind != RT_TYPE_CHAR &&
	    type->kind != RT_TYPE_NUMERIC) {
		rt__diag_error(p->ctx->diags, p->tok.pos,
			       "type '%s' takes no arguments; only string(n), char(n) and "
			       "numeric(p,s) do", name);
		return -1;
	}
	rt__parser_advance(p);
	if (type->kind == RT_TYPE_STRING || type->kind == RT_TYPE_CHAR) {
		if (parse_type_number(p, &type->length, 1, MAX_STRING_LENGTH,
				      "a length") < 0)
			return -1;
	} else {
		if (parse_type_number(p, &type->precision, 1, MAX_NUMERIC_PRECISION,
				      "a precision") < 0)
			return -1;
		if (p->tok.kind != RT_TOK_COMMA || !rt__parser_same_line(&p->tok))
			return rt__parser_take(p, RT_TOK_RPAREN,
					       "',' and a scale, or ')'");
		rt__parser_advance(p);
		if (parse_type_number(p, &type->scale, 0, type->precision, "a scale") < 0)
			return -1;
	}
	return rt__parser_take(p, RT_TOK_RPAREN, "')'");
}

int rt__parser_builtin_type(const char *name)
{
	for (size_t i = 0; i < rt__builtin_type_count; i++)
		if (rt__parser_same_word(rt__builtin_type_names[i], name))
			return (int)i;
	return -1;
}

static int unknown_type(rt_parser *p, const rt_token *tok)
{
	for (size_t i = 0; i < sizeof(type_aliases) / sizeof(type_aliases[0]); i++)
		if (strcmp(type_aliases[i][0], tok->value) == 0) {
			rt__diag_error(p->ctx->diags, tok->pos,
				       "unknown type '%s'; write '%s' instead",
				       tok->value, type_aliases[i][1]);
			return -1;
		}
	rt_suggest s;
	rt__suggest_init(&s, tok->value);
	for (size_t i = 0; i < rt__builtin_type_count; i++)
		rt__suggest_consider(&s, rt__builtin_type_names[i]);
	if (rt__suggest_result(&s))
		rt__diag_error(p->ctx->diags, tok->pos,
			       "unknown type '%s'; did you mean '%s'?", tok->value,
			       rt__suggest_result(&s));
	else
		rt__diag_error(
			p->ctx->diags, tok->pos,
			"unknown type '%s'; expected a built-in type (smallint, int, "
			"bigint, bool, real, double, numeric, string, char, text, blob, date, "
			"time, timestamp, timestamptz, uuid, json), sql '<type>' for any "
			"other type, or the name of an enum or model",
			tok->value);
	return -1;
}

/* A second '[]': PostgreSQL keeps no number of dimensions in a column's
 * type (int[][] is int[]), and the C mapping holds one. */
static int more_dimensions(rt_parser *p, const rt_ast_member *m)
{
	rt__diag_error(p->ctx->diags, p->tok.pos,
				  "an array has one dimension here: write %s[] (PostgreSQL "
				  "keeps no number of dimensions in a column's type, so %s[][] "
				  "would be the same column)",
				  m->type_name.text, m->type_name.text);
	return -1;
}

/* A '?' on the type's line, if there is one: the column may be NULL. */
static void optional_mark(rt_parser *p, rt_ast_member *m)
{
	if (p->tok.kind == RT_TOK_QUESTION && rt__parser_same_line(&p->tok)) {
		m->optional = true;
		m->optional_pos = p->tok.pos;
		rt__parser_advance(p);
	}
}

/* After a built-in type: '[]' makes it an array, then '?' makes it
 * nullable (text[]?: the array may be NULL). */
static int builtin_marks(rt_parser *p, rt_ast_member *m)
{
	if (p->tok.kind == RT_TOK_LBRACKET && rt__parser_same_line(&p->tok)) {
		rt__parser_advance(p);
		if (rt__parser_take(p, RT_TOK_RBRACKET, "']' after '['") < 0)
			return -1;
		m->type.array = true;
		if (p->tok.kind == RT_TOK_LBRACKET && rt__parser_same_line(&p->tok))
			return more_dimensions(p, m);
	}
	optional_mark(p, m);
	if (p->tok.kind == RT_TOK_LBRACKET && rt__parser_same_line(&p->tok)) {
		rt__diag_error(p->ctx->diags, p->tok.pos,
			       "'[]' goes before '?': write %s[]? for an array that may be "
			       "NULL", m->type_name.text);
		return -1;
	}
	if (p->tok.kind == RT_TOK_QUESTION && rt__parser_same_line(&p->tok))
		return rt__parser_fail_at(p, p->tok.pos, "'?' is given twice");
	return 0;
}

/* type := builtin [args] ['[]'] ['?'] | sql '<type>' ['?']
 *       | EnumOrModel ['?'] | EnumOrModel '[]' ['?'] */
int rt__parser_type(rt_parser *p, rt_ast_member *m)
{
	if (p->tok.kind != RT_TOK_IDENT || !rt__parser_same_line(&p->tok)) {
		const char *what = rt__arena_printf(p->ctx->arena, "a type after '%s'",
						    m->name.text);
		return rt__parser_expected(p, what ? what : "a type");
	}
	m->type_name.text = p->tok.value;
	m->type_name.pos = p->tok.pos;
	int builtin = rt__parser_builtin_type(p->tok.value);
	const rt_token *next = rt__parser_peek(p, 1);
	if (strcmp(p->tok.value, "sql") == 0 && next->kind == RT_TOK_STRING &&
	    rt__parser_same_line(next)) {
		/* sql '<type>': a type the language has no word for, verbatim. */
		rt__parser_advance(p);
		if (p->tok.value[strspn(p->tok.value, " \t\r\n")] == '\0')
			return rt__parser_fail_at(p, p->tok.pos,
						  "sql '...' needs the type as the database "
						  "spells it, e.g. sql 'tsvector'");
		m->builtin = true;
		m->type.kind = RT_TYPE_SQL;
		m->type.sql = p->tok.value;
		rt__parser_advance(p);
	} else if (builtin >= 0) {
		m->builtin = true;
		m->type.kind = builtin_type_kinds[builtin];
		rt__parser_advance(p);
		if (parse_type_arguments(p, &m->type, m->type_name.text) < 0)
			return -1;
	} else if (rt__parser_is_upper(p->tok.value[0])) {
		rt__parser_advance(p); /* an enum or a model: validation tells which */
		if (p->tok.kind == RT_TOK_LPAREN && rt__parser_same_line(&p->tok))
			return rt__parser_fail_at(p, p->tok.pos,
						  "only string(n), char(n) and numeric(p,s) "
						  "take arguments; an enum or model name "
						  "takes none");
	} else {
		return unknown_type(p, &p->tok);
	}

	if (m->builtin && m->type.kind != RT_TYPE_SQL)
		return builtin_marks(p, m);
	optional_mark(p, m);
	if (p->tok.kind == RT_TOK_LBRACKET && rt__parser_same_line(&p->tok)) {
		rt_pos at = p->tok.pos;
		rt__parser_advance(p);
		if (rt__parser_take(p, RT_TOK_RBRACKET, "']' after '['") < 0)
			return -1;
		if (m->type.kind == RT_TYPE_SQL) {
			rt__diag_error(p->ctx->diags, at,
				       "an array of a verbatim type is written inside the "
				       "quotes: sql '%s[]'", m->type.sql);
			return -1;
		}
		if (m->optional) {
			rt__diag_error(p->ctx->diags, at,
				       "'[]' goes before '?': %s[]? is an array of an enum "
				       "that may be NULL; a list of a model cannot be "
				       "optional (an empty list already means none)",
				       m->type_name.text);
			return -1;
		}
		/* A list of a model (a relationship) or an array of an enum (a
		 * column): validation tells which, and takes the '?' after it
		 * only for an array. */
		m->is_list = true;
		optional_mark(p, m);
		if (p->tok.kind == RT_TOK_LBRACKET && rt__parser_same_line(&p->tok))
			return more_dimensions(p, m);
	}
	return 0;
}

