/*
 * postgres_defaults.c - a column default as PostgreSQL's catalog gives it
 * (pg_get_expr text: casts, redundant parentheses, quoted strings) back
 * into the schema language's literal: a string, number, boolean, enum
 * value or now where the text is one, verbatim SQL otherwise, and
 * autoincrement for a serial column's nextval().
 */
#include "dialect/postgres.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "schema/compare.h"

/* Does the '(' at s[0] close at s[len - 1]? Quotes are skipped. */
static bool wrapped_in_parens(const char *s, size_t len)
{
	if (len < 2 || s[0] != '(' || s[len - 1] != ')')
		return false;
	int depth = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'' || s[i] == '"') {
			char quote = s[i];
			for (i++; i < len && s[i] != quote; i++)
				;
		} else if (s[i] == '(') {
			depth++;
		} else if (s[i] == ')' && --depth == 0) {
			return i == len - 1;
		}
	}
	return false;
}

/* Trims spaces and redundant outer parentheses: "((1 + 2))" -> "1 + 2". */
void rt__pg_unwrap(const char **s, size_t *len)
{
	for (;;) {
		while (*len && isspace((unsigned char)**s)) {
			(*s)++;
			(*len)--;
		}
		while (*len && isspace((unsigned char)(*s)[*len - 1]))
			(*len)--;
		if (!wrapped_in_parens(*s, *len))
			return;
		(*s)++;
		*len -= 2;
	}
}

/* Drops a trailing top-level `::type` cast; false when there is none. */
static bool strip_cast(const char *s, size_t *len)
{
	size_t cast = 0;
	int depth = 0;
	for (size_t i = 0; i < *len; i++) {
		if (s[i] == '\'' || s[i] == '"') {
			char quote = s[i];
			for (i++; i < *len && s[i] != quote; i++)
				;
		} else if (s[i] == '(') {
			depth++;
		} else if (s[i] == ')') {
			depth--;
		} else if (depth == 0 && s[i] == ':' && i + 1 < *len && s[i + 1] == ':') {
			cast = i;
			i++;
		}
	}
	if (!cast)
		return false;
	/* What follows must be a type name: words, (n,m), [], "quoted". */
	for (size_t i = cast + 2; i < *len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_ \"(),[].", s[i]))
			return false;
	*len = cast;
	return true;
}

static bool is_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < len && isdigit((unsigned char)s[i]); i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && isdigit((unsigned char)s[i]); i++)
			digits++;
	if (digits && i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t exponent = 0;
		for (; i < len && isdigit((unsigned char)s[i]); i++)
			exponent++;
		if (!exponent)
			return false;
	}
	return digits && i == len;
}

static bool equals_word(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* CURRENT_TIMESTAMP, now(), LOCALTIMESTAMP, with an optional precision. */
static bool is_now(const char *s, size_t len)
{
	static const char *const words[] = {"now()", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP",
					    "transaction_timestamp()"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		if (len >= n && strncasecmp(s, words[i], n) == 0 &&
		    (len == n || (s[n] == '(' && s[len - 1] == ')' && words[i][n - 1] != ')')))
			return true;
	}
	return false;
}

static bool enum_has_value(const rt_enum *e, const char *value)
{
	for (size_t i = 0; e && i < e->value_count; i++)
		if (strcmp(e->values[i], value) == 0)
			return true;
	return false;
}

/* pg_get_expr text of a column default -> the column's server default, or
 * autoincrement for a serial column's nextval(). */
int rt__pg_parse_default(rt_schema *schema, rt_column *column, const char *expr)
{
	rt_arena *arena = schema->arena;
	const char *s = expr;
	size_t len = strlen(expr);
	rt__pg_unwrap(&s, &len);
	const char *sql_text = s;
	size_t sql_len = len;
	do
		rt__pg_unwrap(&s, &len);
	while (strip_cast(s, &len));
	rt__pg_unwrap(&s, &len);

	rt_literal *lit = &column->server_default;
	char *value = rt__sql_string_literal(arena, s, len);
	if (value) {
		lit->kind = RT_LITERAL_STRING;
		if (column->type.kind == RT_TYPE_ENUM && enum_has_value(column->type.enum_type, value))
			lit->kind = RT_LITERAL_ENUM;
		else if (rt__type_is_number(column->type.kind) && is_number(value, strlen(value)))
			lit->kind = RT_LITERAL_NUMBER;
		lit->text = value;
	} else if (is_number(s, len)) {
		lit->kind = RT_LITERAL_NUMBER;
		lit->text = rt__arena_strndup(arena, s, len);
	} else if (len > 1 && s[0] == '+' && is_number(s + 1 + strspn(s + 1, " "),
						       len - 1 - strspn(s + 1, " "))) {
		/* A unary plus stays an operator: DEFAULT +5 prints as (+ 5). */
		size_t spaces = strspn(s + 1, " ");
		lit->kind = RT_LITERAL_NUMBER;
		lit->text = rt__arena_strndup(arena, s + 1 + spaces, len - 1 - spaces);
	} else if (equals_word(s, len, "true") || equals_word(s, len, "false")) {
		lit->kind = RT_LITERAL_BOOL;
		lit->text = tolower((unsigned char)s[0]) == 't' ? "true" : "false";
	} else if (is_now(s, len)) {
		lit->kind = RT_LITERAL_NOW;
		lit->text = "now";
	} else if (equals_word(s, len, "NULL")) {
		return RT_OK; /* DEFAULT NULL is no default */
	} else {
		lit->kind = RT_LITERAL_SQL;
		lit->text = rt__arena_strndup(arena, sql_text, sql_len);
	}
	return lit->text ? RT_OK : rt__error_nomem();
}
