/*
 * postgres_types.c - column types as PostgreSQL spells them.
 *
 * Reflection reads a column's type as format_type() prints it
 * ("character varying(50)", "timestamp(3) with time zone", "text[]") and
 * turns it into a schema type. Only what the schema language says exactly
 * becomes one of its words (an array of one of them, integer[], is its
 * array, int[]); everything else (json, tsvector, interval, a domain or an
 * array of one, a timestamp with a precision) stays a verbatim type,
 * `sql '<spelling>'`, so nothing is mapped to a different type
 * (DESIGN.md §6).
 *
 * A verbatim type a user wrote (`sql 'varchar(20)'`, `sql 'int4'`) is
 * brought to format_type()'s spelling before it is compared, so that it
 * equals what the database reports for the column it made.
 */
#include "dialect/postgres.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* --- format_type() text -> schema type ------------------------------------------ */

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "(n)" or "(p,s)" exactly, with the numbers read; false otherwise. */
static bool read_typmod(const char *s, int *a, int *b, bool *two)
{
	char *end;
	if (*s != '(' || !isdigit((unsigned char)s[1]))
		return false;
	long x = strtol(s + 1, &end, 10), y = 0;
	*two = *end == ',';
	if (*two) {
		if (!isdigit((unsigned char)end[1]))
			return false;
		y = strtol(end + 1, &end, 10);
	}
	if (strcmp(end, ")") != 0 || x < 1 || x > 10485760 || y > x)
		return false;
	*a = (int)x;
	*b = (int)y;
	return true;
}

/* The element of an array spelling ("integer[]" -> "integer"), or NULL. */
static const char *array_element(const char *spelling)
{
	size_t len = strlen(spelling);
	if (len < 3 || strcmp(spelling + len - 2, "[]") != 0)
		return NULL;
	char *element = malloc(len - 1);
	if (element) {
		memcpy(element, spelling, len - 2);
		element[len - 2] = '\0';
	}
	return element;
}

static void read_scalar(rt_type *type, const char *spelling);

void rt__pg_type_read(rt_type *type, const char *spelling)
{
	/* An array of one of the language's types (not of blob, whose array
	 * the language has no word for) is that type's array: integer[] is
	 * int[], character varying(20)[] string(20)[]. Any other array (of a
	 * domain, of timestamp(3)) stays verbatim whole. */
	char *element = (char *)array_element(spelling);
	if (element) {
		read_scalar(type, element);
		bool mapped = type->kind != RT_TYPE_SQL && type->kind != RT_TYPE_BLOB;
		free(element);
		if (mapped) {
			type->array = true;
			return;
		}
	}
	read_scalar(type, spelling);
}

static void read_scalar(rt_type *type, const char *spelling)
{
	static const struct {
		const char *sql;
		rt_type_kind kind;
	} exact[] = {
		{"smallint", RT_TYPE_SMALLINT},
		{"integer", RT_TYPE_INT},
		{"bigint", RT_TYPE_BIGINT},
		{"boolean", RT_TYPE_BOOL},
		{"real", RT_TYPE_REAL},
		{"double precision", RT_TYPE_DOUBLE},
		{"text", RT_TYPE_TEXT},
		{"bytea", RT_TYPE_BLOB},
		{"date", RT_TYPE_DATE},
		{"uuid", RT_TYPE_UUID},
		{"jsonb", RT_TYPE_JSON}, /* the language's json is JSONB here */
		{"time without time zone", RT_TYPE_TIME},
		{"timestamp without time zone", RT_TYPE_TIMESTAMP},
		{"timestamp with time zone", RT_TYPE_TIMESTAMPTZ},
		{"numeric", RT_TYPE_NUMERIC},
		{"character varying", RT_TYPE_STRING},
	};
	memset(type, 0, sizeof(*type));
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
		if (strcmp(spelling, exact[i].sql) == 0) {
			type->kind = exact[i].kind;
			return;
		}
	}
	int a, b;
	bool two;
	if (starts_with(spelling, "numeric(") && read_typmod(spelling + 7, &a, &b, &two) &&
	    two && a <= 1000) {
		type->kind = RT_TYPE_NUMERIC;
		type->precision = a;
		type->scale = b;
		return;
	}
	if (starts_with(spelling, "character varying(") &&
	    read_typmod(spelling + 17, &a, &b, &two) && !two) {
		type->kind = RT_TYPE_STRING;
		type->length = a;
		return;
	}
	if (starts_with(spelling, "character(") && read_typmod(spelling + 9, &a, &b, &two) &&
	    !two) {
		type->kind = RT_TYPE_CHAR;
		type->length = a;
		return;
	}
	type->kind = RT_TYPE_SQL;
	type->sql = spelling;
}

/* --- a user's spelling -> format_type()'s ------------------------------------------ */

/* Lower case outside double quotes, single spaces, none next to ( ) , [ ]. */
static void squeeze(rt_buf *out, const char *text)
{
	bool space = false;
	for (const char *p = text; *p; p++) {
		char c = *p;
		if (c == '"') {
			if (space && out->len && !strchr("([,", out->ptr[out->len - 1]))
				rt__buf_putc(out, ' ');
			space = false;
			const char *close = strchr(p + 1, '"');
			size_t n = close ? (size_t)(close - p) + 1 : strlen(p);
			rt__buf_printf(out, "%.*s", (int)n, p);
			p += n - 1;
			continue;
		}
		if (isspace((unsigned char)c)) {
			space = true;
			continue;
		}
		if (space && out->len && !strchr("([,", out->ptr[out->len - 1]) &&
		    !strchr("()[],", c))
			rt__buf_putc(out, ' ');
		space = false;
		rt__buf_putc(out, (char)tolower((unsigned char)c));
	}
}

/* The words of a type name that stand for one format_type() name. */
static const char *alias(const char *name)
{
	static const char *const aliases[][2] = {
		{"int", "integer"},
		{"int4", "integer"},
		{"int2", "smallint"},
		{"int8", "bigint"},
		{"float4", "real"},
		{"float8", "double precision"},
		{"bool", "boolean"},
		{"decimal", "numeric"},
		{"varchar", "character varying"},
		{"char varying", "character varying"},
		{"char", "character"},
		{"varbit", "bit varying"},
		{"timestamptz", "timestamp with time zone"},
		{"timetz", "time with time zone"},
	};
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(name, aliases[i][0]) == 0)
			return aliases[i][1];
	return name;
}

const char *rt__pg_type_spelling(rt_arena *arena, const char *text)
{
	rt_buf in = RT_BUF_INIT, out = RT_BUF_INIT;
	squeeze(&in, text ? text : "");
	const char *s = rt__buf_cstr(&in);
	/* format_type() names no schema that is on the search path. */
	if (starts_with(s, "pg_catalog."))
		s += strlen("pg_catalog.");
	else if (starts_with(s, "public."))
		s += strlen("public.");

	/* name [(typmod)] [rest] [[]...] | name array */
	size_t array = 0, len = strlen(s);
	while (len >= 2 && s[len - 1] == ']') {
		const char *open = memchr(s, '[', len);
		const char *last = open;
		while (open && (open = memchr(open + 1, '[', len - (size_t)(open + 1 - s))))
			last = open;
		if (!last)
			break;
		len = (size_t)(last - s);
		array++;
	}
	if (len > 6 && strncmp(s + len - 6, " array", 6) == 0) {
		len -= 6;
		array++;
	}
	size_t name_len = strcspn(s, "(");
	if (name_len > len)
		name_len = len;
	const char *mod = s + name_len, *rest = mod;
	size_t mod_len = 0;
	if (*mod == '(' && name_len < len) {
		const char *close = memchr(mod, ')', len - name_len);
		mod_len = close ? (size_t)(close - mod) + 1 : len - name_len;
		rest = mod + mod_len;
		if (*rest == ' ')
			rest++;
	}
	size_t rest_len = len - (size_t)(rest - s);
	char *name = rt__arena_strndup(arena, s, name_len);
	char *modtext = rt__arena_strndup(arena, mod, mod_len);
	char *resttext = rt__arena_strndup(arena, rest, rest_len);
	const char *result = NULL;
	if (!name || !modtext || !resttext)
		goto done;
	while (name_len && name[name_len - 1] == ' ')
		name[--name_len] = '\0';
	const char *base = alias(name);
	int a = 0, b = 0;
	bool two = false;
	bool has_mod = read_typmod(modtext, &a, &b, &two);

	if (strcmp(base, "timestamp") == 0 || strcmp(base, "time") == 0) {
		const char *zone = strcmp(resttext, "with time zone") == 0 ? "with" : "without";
		rt__buf_printf(&out, "%s%s %s time zone", base, modtext, zone);
	} else if (strcmp(base, "timestamp with time zone") == 0 ||
		   strcmp(base, "time with time zone") == 0) {
		size_t word = strcspn(base, " ");
		rt__buf_printf(&out, "%.*s%s%s", (int)word, base, modtext, base + word);
	} else if (strcmp(base, "character") == 0 || strcmp(base, "bit") == 0) {
		rt__buf_printf(&out, "%s%s", base, mod_len ? modtext : "(1)");
	} else if (strcmp(base, "float") == 0) {
		rt__buf_puts(&out, has_mod && !two && a <= 24 ? "real" : "double precision");
	} else if (strcmp(base, "numeric") == 0 && has_mod && !two) {
		rt__buf_printf(&out, "numeric(%d,0)", a);
	} else {
		rt__buf_printf(&out, "%s%s%s%s", base, modtext, rest_len ? " " : "", resttext);
	}
	if (array)
		rt__buf_puts(&out, "[]");
	if (!rt__buf_failed(&out))
		result = rt__arena_strdup(arena, rt__buf_cstr(&out));
done:
	rt__buf_free(&in);
	rt__buf_free(&out);
	return result;
}
