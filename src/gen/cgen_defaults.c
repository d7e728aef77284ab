/*
 * cgen_defaults.c - a column's client-side `default` as the C initializer
 * of its struct member (cgen_impl.h), for the <Model>_defaults struct that
 * rt_object_new copies into every new object.
 *
 * Validation already checked each literal against its column's type; here
 * it is read once more, into exactly the value the member holds: integers
 * by value (so 010 is ten, not C's octal eight), dates and times into their
 * structs, a timestamptz with an offset moved to UTC, a uuid into bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "gen/cgen_impl.h"

static int bad_literal(const cg_column *column, const char *what)
{
	const rt_pos *pos = &column->column->pos;
	return rt__error_set(RT_EPARSE, "%s:%d:%d: error: the default of column '%s' is not %s",
			     pos->file ? pos->file : "schema", pos->line, pos->col,
			     column->column->field, what);
}

/* --- numbers ----------------------------------------------------------------- */

static int put_integer(rt_buf *out, const cg_column *column, const char *text)
{
	errno = 0;
	char *end;
	long long v = strtoll(text, &end, 10);
	if (errno || *end || end == text)
		return bad_literal(column, "a whole number");
	if (v == INT64_MIN)
		rt__buf_puts(out, "INT64_MIN");
	else if (v > INT32_MAX || v < -INT32_MAX)
		rt__buf_printf(out, "INT64_C(%lld)", v);
	else
		rt__buf_printf(out, "%lld", v);
	return RT_OK;
}

/* The schema's number text as a C floating constant: leading zeros of the
 * whole part dropped (C would read 010 as octal), ".0" added when there is
 * neither a point nor an exponent, "f" for a float member. */
static int put_floating(rt_buf *out, const cg_column *column, const char *text, bool is_float)
{
	const char *p = text;
	bool negative = *p == '-';
	if (negative)
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return bad_literal(column, "a number");
	while (*p == '0' && p[1] >= '0' && p[1] <= '9')
		p++;
	for (const char *q = p; *q; q++)
		if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
		      *q == '+' || *q == '-'))
			return bad_literal(column, "a number");
	rt__buf_printf(out, "%s%s%s%s", negative ? "-" : "", p, strpbrk(p, ".eE") ? "" : ".0",
		       is_float ? "f" : "");
	return RT_OK;
}

/* --- dates and times --------------------------------------------------------- */

typedef struct when {
	int year, month, day;
	int hour, minute, second;
	long micro;
} when;

static bool digits(const char **p, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*value = v;
	return true;
}

static bool read_date(const char **p, when *w)
{
	return digits(p, 4, &w->year) && *(*p)++ == '-' && digits(p, 2, &w->month) &&
	       *(*p)++ == '-' && digits(p, 2, &w->day);
}

/* HH:MM[:SS[.fraction]]; a fraction beyond microseconds is cut off. */
static bool read_time(const char **p, when *w)
{
	if (!digits(p, 2, &w->hour) || *(*p)++ != ':' || !digits(p, 2, &w->minute))
		return false;
	if (**p != ':')
		return true;
	(*p)++;
	if (!digits(p, 2, &w->second))
		return false;
	if (**p == '.') {
		(*p)++;
		long scale = 100000;
		while (**p >= '0' && **p <= '9') {
			w->micro += (**p - '0') * scale;
			scale /= 10;
			(*p)++;
		}
	}
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (the
 * civil-calendar algorithms of H. Hinnant). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, when *w)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	w->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	w->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	w->year = (int)(yoe + era * 400 + (w->month <= 2));
}

/* [ ]Z | [ ]+HH[[:]MM] | [ ]-HH[[:]MM]: moves w to UTC. */
static bool read_zone(const char **p, when *w)
{
	if (**p == ' ')
		(*p)++;
	if (**p == 'Z') {
		(*p)++;
		return true;
	}
	if (**p != '+' && **p != '-')
		return false;
	int sign = *(*p)++ == '-' ? -1 : 1;
	int hours = 0, minutes = 0;
	if (!digits(p, 2, &hours))
		return false;
	if (**p == ':')
		(*p)++;
	if (**p >= '0' && **p <= '9' && !digits(p, 2, &minutes))
		return false;
	/* local = UTC + offset, so UTC = local - offset. */
	long seconds = (long)w->hour * 3600 + w->minute * 60 - sign * (hours * 3600L + minutes * 60L);
	long days = days_from_civil(w->year, w->month, w->day);
	long day_shift = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
	seconds -= day_shift * 86400;
	civil_from_days(days + day_shift, w);
	w->hour = (int)(seconds / 3600);
	w->minute = (int)(seconds % 3600 / 60);
	return true;
}

static void put_date(rt_buf *out, const when *w)
{
	rt__buf_printf(out, "{%d, %d, %d}", w->year, w->month, w->day);
}

static void put_time(rt_buf *out, const when *w)
{
	rt__buf_printf(out, "{%d, %d, %d, %ld}", w->hour, w->minute, w->second, w->micro);
}

static int put_temporal(rt_buf *out, const cg_column *column, const char *text)
{
	when w = {0};
	const char *p = text;
	switch (column->column->type.kind) {
	case RT_TYPE_DATE:
		if (!read_date(&p, &w) || *p)
			return bad_literal(column, "a date 'YYYY-MM-DD'");
		put_date(out, &w);
		return RT_OK;
	case RT_TYPE_TIME:
		if (!read_time(&p, &w) || *p)
			return bad_literal(column, "a time 'HH:MM:SS'");
		put_time(out, &w);
		return RT_OK;
	default:
		if (!read_date(&p, &w))
			return bad_literal(column, "a timestamp 'YYYY-MM-DD HH:MM:SS'");
		if ((*p == ' ' || *p == 'T') && p[1] >= '0' && p[1] <= '9') {
			p++;
			if (!read_time(&p, &w))
				return bad_literal(column, "a timestamp 'YYYY-MM-DD HH:MM:SS'");
		}
		if (*p && (column->column->type.kind != RT_TYPE_TIMESTAMPTZ ||
			   !read_zone(&p, &w) || *p))
			return bad_literal(column, "a timestamp 'YYYY-MM-DD HH:MM:SS'");
		rt__buf_putc(out, '{');
		put_date(out, &w);
		rt__buf_puts(out, ", ");
		put_time(out, &w);
		rt__buf_putc(out, '}');
		return RT_OK;
	}
}

/* --- uuid, blob, enum ---------------------------------------------------------- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int put_uuid(rt_buf *out, const cg_column *column, const char *text)
{
	unsigned char bytes[16];
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '-')
			continue;
		int hi = hex_value(p[0]), lo = hi < 0 ? -1 : hex_value(p[1]);
		if (lo < 0 || n == 16)
			return bad_literal(column, "a UUID");
		bytes[n++] = (unsigned char)(hi * 16 + lo);
		p++;
	}
	if (n != 16)
		return bad_literal(column, "a UUID");
	rt__buf_puts(out, "{{");
	for (size_t i = 0; i < 16; i++)
		rt__buf_printf(out, "%s0x%02x", i ? ", " : "", bytes[i]);
	rt__buf_puts(out, "}}");
	return RT_OK;
}

static int put_enum(rt_buf *out, const cg_column *column, const char *text)
{
	const cg_enum *ce = column->enum_type;
	for (size_t i = 0; ce && i < ce->e->value_count; i++) {
		if (strcmp(ce->e->values[i], text) == 0) {
			rt__buf_puts(out, ce->constants[i]);
			return RT_OK;
		}
	}
	return bad_literal(column, "a value of its enum");
}

/* --- long text ---------------------------------------------------------------- */

void rt__cg_put_default_storage(rt_buf *out, const cg_model *model, const cg_column *column)
{
	if (!column->long_default)
		return;
	const char *text = column->column->default_value.text;
	bool blob = column->column->type.kind == RT_TYPE_BLOB;
	size_t len = strlen(text);
	/* Text keeps its terminating NUL; a blob has its length. */
	size_t count = blob ? len : len + 1;
	rt__buf_printf(out, "static const %s %s__%s_default[%zu] = {", blob ? "uint8_t" : "char",
		       model->name, column->field, count);
	/* Text as character constants ('\303' is the byte whatever the
	 * signedness of char), a blob as numbers. */
	for (size_t i = 0; i < count; i++)
		rt__buf_printf(out, blob ? "%s%d" : "%s'\\%03o'",
			       i == 0 ? "\n\t" : i % 16 ? ", " : ",\n\t", (unsigned char)text[i]);
	rt__buf_puts(out, "\n};\n");
}

/* The value itself, as the plain (not nullable) type holds it. */
static int put_value(rt_buf *out, const cg_model *model, const cg_column *column,
		     const rt_literal *lit)
{
	const char *text = lit->text ? lit->text : "";
	if (lit->kind == RT_LITERAL_SQL)
		return bad_literal(column, "a literal (an SQL expression can only be a server "
					   "default)");
	switch (column->column->type.kind) {
	case RT_TYPE_SMALLINT:
	case RT_TYPE_INT:
	case RT_TYPE_BIGINT:
		return put_integer(out, column, text);
	case RT_TYPE_BOOL:
		if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
			return bad_literal(column, "true or false");
		rt__buf_puts(out, text);
		return RT_OK;
	case RT_TYPE_REAL:
	case RT_TYPE_DOUBLE:
		return put_floating(out, column, text, column->column->type.kind == RT_TYPE_REAL);
	case RT_TYPE_NUMERIC:
	case RT_TYPE_STRING:
	case RT_TYPE_CHAR:
	case RT_TYPE_TEXT:
	case RT_TYPE_JSON:
	case RT_TYPE_SQL:
		if (column->long_default)
			rt__buf_printf(out, "%s__%s_default", model->name, column->field);
		else
			rt__cg_put_string(out, text);
		return RT_OK;
	case RT_TYPE_BLOB:
		if (column->long_default) {
			rt__buf_printf(out, "{%s__%s_default, %zu}", model->name, column->field,
				       strlen(text));
			return RT_OK;
		}
		rt__buf_puts(out, "{(const uint8_t *)");
		rt__cg_put_string(out, text);
		rt__buf_printf(out, ", %zu}", strlen(text));
		return RT_OK;
	case RT_TYPE_DATE:
	case RT_TYPE_TIME:
	case RT_TYPE_TIMESTAMP:
	case RT_TYPE_TIMESTAMPTZ:
		return put_temporal(out, column, text);
	case RT_TYPE_UUID:
		return put_uuid(out, column, text);
	case RT_TYPE_ENUM:
		return put_enum(out, column, text);
	}
	return bad_literal(column, "a literal the generator knows");
}

int rt__cg_put_default(rt_buf *out, const cg_model *model, const cg_column *column)
{
	/* A nullable scalar is wrapped: {true, value}. */
	bool wrapped = column->column->nullable && column->type->opt_type;
	if (wrapped)
		rt__buf_puts(out, "{true, ");
	int rc = put_value(out, model, column, &column->column->default_value);
	if (wrapped)
		rt__buf_putc(out, '}');
	return rc;
}
