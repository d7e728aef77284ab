/*
 * validate_lit.c - defaults and server defaults checked against their
 * column's type (validate.h), so that a bad default is a schema error and
 * not a failed CREATE TABLE or an INSERT that breaks later.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/datetime.h"
#include "schema/validate.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at *p, advancing; their value in *value. */
static bool digits(const char **p, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit((*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return true;
}

/* Z, +HH, +HH:MM, -HHMM, optionally after a space. */
static bool parse_zone(const char **p)
{
	if (**p == ' ')
		(*p)++;
	if (**p == 'Z') {
		(*p)++;
		return true;
	}
	if (**p != '+' && **p != '-')
		return false;
	(*p)++;
	int hours, minutes;
	if (!digits(p, 2, &hours) || hours > 15)
		return false;
	if (**p == ':')
		(*p)++;
	if (is_digit(**p) && (!digits(p, 2, &minutes) || minutes > 59))
		return false;
	return true;
}

static bool is_temporal(rt_type_kind kind, const char *text)
{
	const char *p = text;
	switch (kind) {
	case RT_TYPE_DATE:
		return rt__datetime_date(&p) && !*p;
	case RT_TYPE_TIME:
		return rt__datetime_time(&p) && !*p;
	case RT_TYPE_TIMESTAMP:
	case RT_TYPE_TIMESTAMPTZ:
		if (!rt__datetime_date(&p))
			return false;
		if (*p == 'T' || *p == ' ') {
			p++;
			if (!rt__datetime_time(&p))
				return false;
		}
		if (kind == RT_TYPE_TIMESTAMPTZ && *p && !parse_zone(&p))
			return false;
		return !*p;
	default:
		return false;
	}
}

static bool is_uuid(const char *text)
{
	size_t len = strlen(text);
	if (len != 32 && len != 36)
		return false;
	for (size_t i = 0; i < len; i++) {
		bool dash = len == 36 && (i == 8 || i == 13 || i == 18 || i == 23);
		char c = text[i];
		bool hex =
			is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		if (dash ? c != '-' : !hex)
			return false;
	}
	return true;
}

static size_t utf8_chars(const char *text)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

/* A whole number within [min, max]? */
static bool integer_in(const char *text, long long min, long long max)
{
	if (strpbrk(text, ".eE"))
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(text, &end, 10);
	return errno == 0 && *end == '\0' && v >= min && v <= max;
}

/* Fits numeric(p, s): at most s digits after the point and p - s before. */
static bool fits_numeric(const char *text, const rt_type *type)
{
	if (type->precision == 0 || strpbrk(text, "eE"))
		return true;
	const char *p = text[0] == '-' ? text + 1 : text;
	while (*p == '0' && is_digit(p[1]))
		p++;
	const char *point = strchr(p, '.');
	size_t whole = point ? (size_t)(point - p) : strlen(p);
	size_t fraction = point ? strlen(point + 1) : 0;
	if (whole == 1 && *p == '0')
		whole = 0;
	return whole <= (size_t)(type->precision - type->scale) &&
	       fraction <= (size_t)type->scale;
}

static const char *describe(rt_build *b, const rt_literal *lit)
{
	const char *text;
	switch (lit->kind) {
	case RT_LITERAL_NUMBER:
		text = rt__arena_printf(b->scratch, "number %s", lit->text);
		break;
	case RT_LITERAL_STRING:
		text = rt__arena_printf(b->scratch, "string '%s'", lit->text);
		break;
	case RT_LITERAL_ENUM:
		text = rt__arena_printf(b->scratch, "the bare word '%s'", lit->text);
		break;
	default: text = lit->text; break;
	}
	return text ? text : "?";
}

/* The enum's values as "open, paid, shipped". */
static const char *enum_values(rt_build *b, const rt_enum *e)
{
	rt_buf buf = RT_BUF_INIT;
	for (size_t i = 0; i < e->value_count; i++)
		rt__buf_printf(&buf, "%s%s", i ? ", " : "", e->values[i]);
	const char *text = rt__buf_failed(&buf)
				   ? "..."
				   : rt__arena_strdup(b->scratch, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	return text ? text : "...";
}

static bool enum_has(const rt_enum *e, const char *value)
{
	for (size_t i = 0; i < e->value_count; i++)
		if (strcmp(e->values[i], value) == 0)
			return true;
	return false;
}

/* What a literal for this type must be, or NULL when lit is fine. May
 * rewrite lit (a quoted enum value becomes an enum literal). */
static const char *mismatch(rt_build *b, const rt_type *type, rt_literal *lit, bool server)
{
	rt_literal_kind k = lit->kind;
	switch (type->kind) {
	case RT_TYPE_SMALLINT:
		return k == RT_LITERAL_NUMBER && integer_in(lit->text, -32768, 32767)
			? NULL : "a whole number from -32768 to 32767";
	case RT_TYPE_INT:
		return k == RT_LITERAL_NUMBER &&
				integer_in(lit->text, -2147483648LL, 2147483647LL)
			? NULL : "a whole number from -2147483648 to 2147483647";
	case RT_TYPE_BIGINT:
		return k == RT_LITERAL_NUMBER &&
				integer_in(lit->text, -9223372036854775807LL - 1,
					   9223372036854775807LL)
			? NULL : "a whole number that fits in 64 bits";
	case RT_TYPE_BOOL:
		return k == RT_LITERAL_BOOL ? NULL : "true or false";
	case RT_TYPE_REAL:
	case RT_TYPE_DOUBLE:
		return k == RT_LITERAL_NUMBER ? NULL : "a number";
	case RT_TYPE_NUMERIC:
		if (k != RT_LITERAL_NUMBER)
			return "a number";
		if (!fits_numeric(lit->text, type))
			return rt__arena_printf(b->scratch,
						"a number that fits numeric(%d,%d)",
						type->precision, type->scale);
		return NULL;
	case RT_TYPE_STRING:
	case RT_TYPE_CHAR:
		if (k != RT_LITERAL_STRING)
			return "a string in quotes";
		if (type->length && utf8_chars(lit->text) > (size_t)type->length)
			return rt__arena_printf(b->scratch,
						"a string of at most %d characters",
						type->length);
		return NULL;
	case RT_TYPE_TEXT:
	case RT_TYPE_BLOB:
	case RT_TYPE_JSON:
		return k == RT_LITERAL_STRING ? NULL : "a string in quotes";
	case RT_TYPE_DATE:
	case RT_TYPE_TIME:
	case RT_TYPE_TIMESTAMP:
	case RT_TYPE_TIMESTAMPTZ: {
		static const char *const formats[] = {
			[RT_TYPE_DATE] = "now or a date 'YYYY-MM-DD'",
			[RT_TYPE_TIME] = "now or a time 'HH:MM:SS'",
			[RT_TYPE_TIMESTAMP] = "now or a timestamp 'YYYY-MM-DD HH:MM:SS'",
			[RT_TYPE_TIMESTAMPTZ] =
				"now or a timestamp 'YYYY-MM-DD HH:MM:SS+HH:MM'",
		};
		if (k == RT_LITERAL_NOW ||
		    (k == RT_LITERAL_STRING && is_temporal(type->kind, lit->text)))
			return NULL;
		return formats[type->kind];
	}
	case RT_TYPE_UUID:
		return k == RT_LITERAL_STRING && is_uuid(lit->text)
			       ? NULL
			       : "a UUID string such as "
				 "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'";
	case RT_TYPE_SQL:
		/* The database reads a server default of a verbatim type
		 * ('{}' for int4range[], 0 for a domain over integer, now for
		 * timestamp(3)); the program holds such a value as text. */
		if (server)
			return k == RT_LITERAL_ENUM ? "a number, a string, true, false or now"
						    : NULL;
		return k == RT_LITERAL_STRING ? NULL : "a string in quotes";
	case RT_TYPE_ENUM: {
		const rt_enum *e = type->enum_type;
		bool word = k == RT_LITERAL_ENUM || k == RT_LITERAL_STRING ||
			    k == RT_LITERAL_BOOL || k == RT_LITERAL_NOW;
		/* No enum_type: a migration script's enum that the database
		 * holds (validate.h), whose values are not known here. */
		if (word && (!e || enum_has(e, lit->text))) {
			lit->kind = RT_LITERAL_ENUM;
			return NULL;
		}
		if (!e)
			return rt__arena_printf(b->scratch,
						"a value of enum %s (a bare word or a string)",
						type->enum_name);
		return rt__arena_printf(b->scratch, "one of the values of enum %s (%s)",
					type->enum_name, enum_values(b, e));
	}
	}
	return "a literal";
}

void rt__build_literal(rt_build *b, const rt_column *column, rt_literal *out,
		       const rt_ast_literal *literal, bool server)
{
	rt_literal lit = literal->value;
	if (column->type.array) {
		/* The database reads an array's default ('{a,b}', or an
		 * expression); the ORM keeps no array literal of its own. */
		if (!server)
			rt__diag_error(b->diags, literal->pos,
				       "column '%s' is an array (%s), which takes no "
				       "client-side 'default'; write server default "
				       "'{...}' (the array as PostgreSQL writes it)",
				       column->field,
				       rt__type_name(b->scratch, &column->type));
		else if (lit.kind != RT_LITERAL_STRING && lit.kind != RT_LITERAL_SQL)
			rt__diag_error(b->diags, literal->pos,
				       "the server default of column '%s' (%s) must be the "
				       "array as PostgreSQL writes it, in quotes ('{}', "
				       "'{1,2}'), or sql '...', found %s",
				       column->field,
				       rt__type_name(b->scratch, &column->type),
				       describe(b, &lit));
		else
			*out = (rt_literal){lit.kind, rt__build_keep(b, lit.text)};
		return;
	}
	if (lit.kind != RT_LITERAL_SQL) {
		const char *expected = mismatch(b, &column->type, &lit, server);
		if (expected) {
			rt__diag_error(b->diags, literal->pos,
				       "the %s of column '%s' (%s) must be %s, found %s",
				       server ? "server default" : "default",
				       column->field,
				       rt__type_name(b->scratch, &column->type), expected,
				       describe(b, &lit));
			return;
		}
	}
	out->kind = lit.kind;
	out->text = rt__build_keep(b, lit.text);
}
