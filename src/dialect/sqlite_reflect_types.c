/*
 * sqlite_reflect_types.c - what SQLite keeps as text, read back into
 * schema terms for reflection (sqlite_reflect.c):
 *   - declared column types (VARCHAR(50), DOUBLE PRECISION, CHAR(32), ...),
 *     with SQLite's own affinity rules for anything unknown;
 *   - DEFAULT expressions as PRAGMA table_xinfo shows them;
 *   - the CHECK ("col" IN ('a', 'b')) that stands for an enum column.
 */
#include "dialect/sqlite.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "schema/naming.h"

/* --- types -------------------------------------------------------------------------- */

/* The declared type split into an upper-case name with single spaces
 * ("DOUBLE PRECISION") and up to two numeric arguments. */
typedef struct declared_type {
	char name[64];
	int args[2];
	int arg_count;
} declared_type;

static void split_declared_type(const char *text, declared_type *out)
{
	memset(out, 0, sizeof(*out));
	size_t n = 0;
	const char *p = text;
	for (; *p && *p != '('; p++) {
		char c = *p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (n > 0 && out->name[n - 1] != ' ' && n + 1 < sizeof(out->name))
				out->name[n++] = ' ';
			continue;
		}
		if (n + 1 < sizeof(out->name))
			out->name[n++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
	}
	while (n > 0 && out->name[n - 1] == ' ')
		n--;
	out->name[n] = '\0';
	if (*p != '(')
		return;
	while (*p && *p != ')' && out->arg_count < 2) {
		p++;
		while (*p == ' ')
			p++;
		char *end;
		long value = strtol(p, &end, 10);
		if (end == p)
			break;
		out->args[out->arg_count++] = value > 0 && value < 1000000000 ? (int)value : 0;
		p = end;
		while (*p == ' ')
			p++;
	}
}

static bool name_is(const declared_type *t, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(t->name, *names) == 0)
			return true;
	return false;
}

/* The schema type for a declared SQLite type (DESIGN §1 types, read back,
 * and the names other tools write for the same types). Any other declared
 * type is kept verbatim as written: SQLite keeps the text, and a program
 * reading the schema may rely on it. */
rt_type rt__sqlite_type_from_declared(const char *text)
{
	/* PostgreSQL's SERIAL names turn up in DDL written for both backends;
	 * SQLite gives them NUMERIC affinity, which stores whole numbers as
	 * integers, so they read back as the integer they stand for. */
	static const char *const smallints[] = {"SMALLINT", "INT2", "TINYINT", "SMALLSERIAL",
						"SERIAL2", NULL};
	static const char *const ints[] = {"INTEGER", "INT", "MEDIUMINT", "INT4", "SERIAL",
					   "SERIAL4", NULL};
	static const char *const bigints[] = {"BIGINT", "INT8", "UNSIGNED BIG INT", "BIGSERIAL",
					      "SERIAL8", NULL};
	static const char *const bools[] = {"BOOLEAN", "BOOL", NULL};
	static const char *const doubles[] = {"DOUBLE", "DOUBLE PRECISION", "FLOAT", "FLOAT8", NULL};
	static const char *const numerics[] = {"NUMERIC", "DECIMAL", NULL};
	static const char *const varchars[] = {"VARCHAR", "CHARACTER VARYING", "NVARCHAR",
					       "VARYING CHARACTER", "NATIVE CHARACTER", NULL};
	static const char *const chars[] = {"CHAR", "CHARACTER", "NCHAR", NULL};
	static const char *const texts[] = {"TEXT", "CLOB", NULL};
	static const char *const timestamps[] = {"DATETIME", "TIMESTAMP", "TIMESTAMPTZ",
						 "TIMESTAMP WITH TIME ZONE",
						 "TIMESTAMP WITHOUT TIME ZONE", NULL};
	declared_type t;
	rt_type type = {0};
	split_declared_type(text ? text : "", &t);

	if (name_is(&t, smallints)) {
		type.kind = RT_TYPE_SMALLINT;
	} else if (name_is(&t, ints)) {
		type.kind = RT_TYPE_INT;
	} else if (name_is(&t, bigints)) {
		type.kind = RT_TYPE_BIGINT;
	} else if (name_is(&t, bools)) {
		type.kind = RT_TYPE_BOOL;
	} else if (strcmp(t.name, "REAL") == 0) {
		type.kind = RT_TYPE_REAL;
	} else if (name_is(&t, doubles)) {
		type.kind = RT_TYPE_DOUBLE;
	} else if (name_is(&t, numerics)) {
		type.kind = RT_TYPE_NUMERIC;
		type.precision = t.arg_count > 0 ? t.args[0] : 0;
		type.scale = t.arg_count > 1 ? t.args[1] : 0;
	} else if (name_is(&t, varchars)) {
		type.kind = RT_TYPE_STRING;
		type.length = t.arg_count > 0 ? t.args[0] : 0;
	} else if (strcmp(t.name, "CHAR") == 0 && t.arg_count == 1 && t.args[0] == 32) {
		type.kind = RT_TYPE_UUID; /* how uuid is declared here */
	} else if (name_is(&t, chars) && t.arg_count == 1 && t.args[0] >= 1) {
		/* char(n) is declared CHARACTER(n); CHAR(n) and NCHAR(n) of a
		 * file written by hand read as the same */
		type.kind = RT_TYPE_CHAR;
		type.length = t.args[0];
	} else if (name_is(&t, texts)) {
		type.kind = RT_TYPE_TEXT;
	} else if (strcmp(t.name, "BLOB") == 0) {
		type.kind = RT_TYPE_BLOB;
	} else if (strcmp(t.name, "DATE") == 0) {
		type.kind = RT_TYPE_DATE;
	} else if (strcmp(t.name, "TIME") == 0) {
		type.kind = RT_TYPE_TIME;
	} else if (name_is(&t, timestamps)) {
		type.kind = RT_TYPE_TIMESTAMP;
	} else if (strcmp(t.name, "JSON") == 0) {
		type.kind = RT_TYPE_JSON;
	} else if (strcmp(t.name, "UUID") == 0) {
		type.kind = RT_TYPE_UUID;
	} else if (t.name[0] == '\0') {
		/* No declared type has BLOB affinity, as BLOB has. */
		type.kind = RT_TYPE_BLOB;
	} else {
		type.kind = RT_TYPE_SQL;
		type.sql = text;
	}
	if (type.kind == RT_TYPE_UUID)
		type.length = 0;
	return type;
}

/* --- server defaults ------------------------------------------------------------------ */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Index just past the quoted run starting at text[i]. */
static size_t skip_quoted(const char *text, size_t i, size_t len)
{
	char close = text[i] == '[' ? ']' : text[i];
	for (i++; i < len; i++) {
		if (text[i] == close) {
			if (close != ']' && i + 1 < len && text[i + 1] == close) {
				i++;
				continue;
			}
			return i + 1;
		}
	}
	return len;
}

/* Does the '(' at text[0] close at text[len - 1]? */
static bool wrapped_in_parens(const char *text, size_t len)
{
	if (len < 2 || text[0] != '(' || text[len - 1] != ')')
		return false;
	int depth = 0;
	for (size_t i = 0; i < len;) {
		char c = text[i];
		if (c == '\'' || c == '"' || c == '`' || c == '[') {
			i = skip_quoted(text, i, len);
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0 && i != len - 1)
			return false;
		i++;
	}
	return depth == 0;
}

/* text trimmed and with any parentheses around the whole removed. */
static const char *strip_expression(rt_arena *arena, const char *text)
{
	size_t start = 0, len = strlen(text);
	for (;;) {
		while (len > 0 && is_space(text[start])) {
			start++;
			len--;
		}
		while (len > 0 && is_space(text[start + len - 1]))
			len--;
		if (!wrapped_in_parens(text + start, len))
			break;
		start++;
		len -= 2;
	}
	return rt__arena_strndup(arena, text + start, len);
}

static bool is_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	bool digits = false;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits = true;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits = true;
		}
	}
	if (digits && (*s == 'e' || *s == 'E')) {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return digits && *s == '\0';
}

/* 'it''s' -> it's, when text is exactly one string literal. */
static const char *unquote_string(rt_arena *arena, const char *text)
{
	size_t len = strlen(text);
	if (len < 2 || text[0] != '\'' || skip_quoted(text, 0, len) != len ||
	    text[len - 1] != '\'')
		return NULL;
	char *out = rt__arena_alloc(arena, len);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 1; i + 1 < len; i++) {
		out[o++] = text[i];
		if (text[i] == '\'')
			i++;
	}
	out[o] = '\0';
	return out;
}

static bool enum_has_value(const rt_enum *e, const char *value)
{
	for (size_t i = 0; e && i < e->value_count; i++)
		if (strcmp(e->values[i], value) == 0)
			return true;
	return false;
}

/* PRAGMA table_xinfo's dflt_value (the DEFAULT as written) as a literal. */
int rt__sqlite_server_default(rt_literal *out, rt_arena *arena, const char *text,
			      const rt_column *column)
{
	memset(out, 0, sizeof(*out));
	if (!text)
		return RT_OK;
	const char *expr = strip_expression(arena, text);
	if (!expr)
		return rt__error_nomem();
	if (strcasecmp(expr, "NULL") == 0 || *expr == '\0')
		return RT_OK;
	const char *string;
	if (strcasecmp(expr, "CURRENT_TIMESTAMP") == 0) {
		out->kind = RT_LITERAL_NOW;
		out->text = "now";
	} else if (strcasecmp(expr, "TRUE") == 0 || strcasecmp(expr, "FALSE") == 0) {
		out->kind = RT_LITERAL_BOOL;
		out->text = strcasecmp(expr, "TRUE") == 0 ? "true" : "false";
	} else if (column->type.kind == RT_TYPE_BOOL &&
		   (strcmp(expr, "1") == 0 || strcmp(expr, "0") == 0)) {
		/* SQLite stores TRUE as 1: a hand-written DEFAULT 1 on a BOOLEAN
		 * means the same, and only true/false is a bool literal. */
		out->kind = RT_LITERAL_BOOL;
		out->text = expr[0] == '1' ? "true" : "false";
	} else if (is_number(expr)) {
		out->kind = RT_LITERAL_NUMBER;
		out->text = expr[0] == '+' ? expr + 1 : expr;
	} else if ((string = unquote_string(arena, expr))) {
		bool is_enum = column->type.kind == RT_TYPE_ENUM &&
			       enum_has_value(column->type.enum_type, string);
		out->kind = is_enum ? RT_LITERAL_ENUM : RT_LITERAL_STRING;
		out->text = string;
	} else {
		out->kind = RT_LITERAL_SQL;
		out->text = expr;
	}
	return RT_OK;
}

/* --- enums ---------------------------------------------------------------------------- */

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Parses `"col" IN ('a', 'b', ...)`; false when expr has another form. */
static bool parse_in_list(rt_arena *arena, const char *expr, const char **column,
			  const char ***values, size_t *count)
{
	const char *p = expr;
	size_t len = strlen(expr);
	while (is_space(*p))
		p++;
	size_t at = (size_t)(p - expr), end;
	if (*p == '"' || *p == '`' || *p == '[') {
		end = skip_quoted(expr, at, len);
		char close = *p == '[' ? ']' : *p;
		char *name = rt__arena_alloc(arena, end - at);
		if (!name)
			return false;
		size_t o = 0;
		for (size_t i = at + 1; i + 1 < end; i++) {
			name[o++] = expr[i];
			if (close != ']' && expr[i] == close)
				i++;
		}
		name[o] = '\0';
		*column = name;
	} else {
		end = at;
		while (end < len && is_word_char(expr[end]))
			end++;
		if (end == at || !(*column = rt__arena_strndup(arena, expr + at, end - at)))
			return false;
	}
	p = expr + end;
	while (is_space(*p))
		p++;
	if (strncasecmp(p, "IN", 2) != 0)
		return false;
	p += 2;
	while (is_space(*p))
		p++;
	if (*p++ != '(')
		return false;

	size_t cap = 1;
	for (const char *q = p; *q; q++)
		if (*q == ',')
			cap++;
	const char **list = rt__arena_alloc(arena, cap * sizeof(char *));
	if (!list)
		return false;
	*count = 0;
	for (;;) {
		while (is_space(*p))
			p++;
		if (*p != '\'')
			return false;
		size_t start = (size_t)(p - expr);
		size_t stop = skip_quoted(expr, start, len);
		char *literal = rt__arena_strndup(arena, expr + start, stop - start);
		if (!literal || *count >= cap || !(list[*count] = unquote_string(arena, literal)))
			return false;
		(*count)++;
		p = expr + stop;
		while (is_space(*p))
			p++;
		if (*p == ')')
			break;
		if (*p++ != ',')
			return false;
	}
	p++;
	while (is_space(*p))
		p++;
	*values = list;
	return *p == '\0' && *count > 0;
}

static int char_count(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

/* An enum for the column, named after table and column (carts.status ->
 * CartStatus); one already made with the same name and values is reused. */
static rt_enum *make_enum(rt_schema *schema, const rt_table *table, const rt_column *column,
			  const char *const *values, size_t count)
{
	rt_arena *arena = schema->arena;
	char *singular = rt__name_singular(arena, table->name);
	char *joined = singular ? rt__arena_printf(arena, "%s_%s", singular, column->name) : NULL;
	char *name = joined ? rt__name_camel_case(arena, joined) : NULL;
	if (!name) {
		rt__error_nomem();
		return NULL;
	}
	for (int n = 2;; n++) {
		rt_enum *existing = rt__schema_find_enum(schema, name);
		if (!existing)
			break;
		bool same = existing->value_count == count;
		for (size_t i = 0; same && i < count; i++)
			same = strcmp(existing->values[i], values[i]) == 0;
		if (same)
			return existing;
		if (!(name = rt__arena_printf(arena, "%s%d", rt__name_camel_case(arena, joined), n))) {
			rt__error_nomem();
			return NULL;
		}
	}
	char *sql_name = rt__name_snake_case(arena, name);
	rt_enum *e = sql_name ? rt__schema_add_enum(schema, name, sql_name) : NULL;
	if (!e)
		return NULL;
	for (size_t i = 0; i < count; i++)
		if (rt__enum_add_value(schema, e, values[i]) < 0)
			return NULL;
	return e;
}

/* Turns the column of an enum CHECK into an enum column: a VARCHAR as
 * long as the longest value, or in a STRICT table (which declares an
 * enum TEXT) a TEXT column. Returns 1 when the check was one (and is now
 * implied by the type), 0 when not. */
int rt__sqlite_enum_check(rt_schema *schema, rt_table *table, const char *name,
			  const char *expr)
{
	const char *column_name, **values;
	size_t count;
	if (!expr || !parse_in_list(schema->arena, expr, &column_name, &values, &count))
		return 0;
	rt_column *column = rt__table_find_column(table, column_name);
	const char *expected = column ? rt__name_enum_check(schema->arena, table->name,
							      column->name) : NULL;
	if (!column || !expected || strcmp(name, expected) != 0)
		return 0;
	bool strict_text = (table->options & RT_TABLE_STRICT) && column->type.kind == RT_TYPE_TEXT;
	if (column->type.kind != RT_TYPE_STRING && !strict_text)
		return 0;
	int longest = 1;
	for (size_t i = 0; i < count; i++)
		if (char_count(values[i]) > longest)
			longest = char_count(values[i]);
	if (!strict_text && column->type.length != longest)
		return 0;
	rt_enum *e = make_enum(schema, table, column, values, count);
	if (!e)
		return RT_ENOMEM;
	column->type = (rt_type){.kind = RT_TYPE_ENUM, .enum_name = e->name, .enum_type = e};
	return 1;
}
