/*
 * values_array.c - array fields (int[], text[], ...: RT_FIELD_ARRAY): the
 * array text form PostgreSQL reads and prints, both ways, and what the
 * value codec (values.c) does with an array field: copy, compare,
 * describe.
 *
 * An array travels as one text parameter, `{1,2,3}`, which the server
 * reads into the column's array type (values are never pasted into SQL),
 * and comes back in the same form. Writing, every element that is text
 * (text, string, char, numeric, json, an enum's value, a date or time) is
 * put in double quotes with `"` and `\` escaped by a backslash, so that
 * commas, braces, blanks, an empty string and the word NULL stay what
 * they are; an SQL NULL element (a NULL string) is the bare word NULL.
 * Reading takes what PostgreSQL prints: bare or quoted elements, NULL,
 * and a `[lower:upper]=` prefix where an array does not start at 1. A
 * value of more than one dimension is refused (the field holds one).
 *
 * One element is one value of the element's kind: each is converted by
 * the codec of plain fields (rt__field_store_value, rt__field_equal, ...)
 * through a column description of the element, so an element reads and
 * compares exactly as a column of its type does.
 */
#include "orm/orm.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"

/* ------------------------------------------------------------------------ */
/* Elements                                                                  */
/* ------------------------------------------------------------------------ */

size_t rt__array_element_size(rt_field_kind element)
{
	if (element == RT_FIELD_BLOB || element == RT_FIELD_ARRAY)
		return 0; /* no array of these */
	return rt__field_plain_size(element);
}

/* Elements that are strings: a NULL element is a NULL pointer. */
static bool text_like(rt_field_kind element)
{
	return element == RT_FIELD_TEXT || element == RT_FIELD_NUMERIC ||
	       element == RT_FIELD_JSON;
}

/* The description of one element of column c, as if it were a NOT NULL
 * column of its own at offset 0: body is then the element's address. */
static rt_column_desc element_column(const rt_column_desc *c, rt_field_kind element)
{
	rt_column_desc e = {.name = c ? c->name : "array", .field = c ? c->field : "array",
			    .kind = element};
	if (c) {
		e.enum_type = c->enum_type;
		e.precision = c->precision;
		e.scale = c->scale;
	}
	return e;
}

static const void *item_at(const rt_array *a, size_t size, size_t i)
{
	return (const char *)a->items + i * size;
}

/* ------------------------------------------------------------------------ */
/* Writing: {1,2,3}, {"a","b \"c\"",NULL}                                    */
/* ------------------------------------------------------------------------ */

static void put_quoted(rt_buf *out, const char *text)
{
	rt__buf_putc(out, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			rt__buf_putc(out, '\\');
		rt__buf_putc(out, *p);
	}
	rt__buf_putc(out, '"');
}

/* A float as PostgreSQL reads it back exactly. */
static void put_floating(rt_buf *out, double d, bool single)
{
	if (isnan(d))
		rt__buf_puts(out, "NaN");
	else if (isinf(d))
		rt__buf_puts(out, d > 0 ? "Infinity" : "-Infinity");
	else
		rt__buf_printf(out, single ? "%.9g" : "%.17g", d);
}

static int put_element(rt_buf *out, const rt_column_desc *e, const void *item,
		       bool tz_offset)
{
	char text[RT_TIMESTAMP_TEXT_MAX + 8];
	switch (e->kind) {
	case RT_FIELD_INT16: rt__buf_printf(out, "%" PRId16, *(const int16_t *)item); break;
	case RT_FIELD_INT32: rt__buf_printf(out, "%" PRId32, *(const int32_t *)item); break;
	case RT_FIELD_INT64: rt__buf_printf(out, "%" PRId64, *(const int64_t *)item); break;
	case RT_FIELD_BOOL: rt__buf_putc(out, *(const bool *)item ? 't' : 'f'); break;
	case RT_FIELD_FLOAT: put_floating(out, *(const float *)item, true); break;
	case RT_FIELD_DOUBLE: put_floating(out, *(const double *)item, false); break;
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON: {
		const char *s = *(const char *const *)item;
		if (s)
			put_quoted(out, s);
		else
			rt__buf_puts(out, "NULL");
		break;
	}
	case RT_FIELD_DATE:
		rt_date_format(text, *(const rt_date *)item);
		put_quoted(out, text);
		break;
	case RT_FIELD_TIME:
		rt__time_format_fixed(text, *(const rt_time *)item);
		put_quoted(out, text);
		break;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		rt__timestamp_format_fixed(text, *(const rt_timestamp *)item);
		/* UTC, said so where the backend would read its own zone. */
		if (e->kind == RT_FIELD_TIMESTAMPTZ && tz_offset)
			strcat(text, "+00");
		put_quoted(out, text);
		break;
	case RT_FIELD_UUID:
		rt__uuid_format_hex(text, *(const rt_uuid *)item);
		rt__buf_puts(out, text);
		break;
	case RT_FIELD_ENUM: {
		int v = *(const int *)item;
		if (!e->enum_type || v < 1 || v > e->enum_type->value_count)
			return rt__error_set(RT_EINVAL, "%d is not a value of enum %s", v,
					     e->enum_type ? e->enum_type->name : "(unknown)");
		put_quoted(out, e->enum_type->values[v - 1]);
		break;
	}
	default:
		return rt__error_set(RT_EINVAL, "no array of field kind %d", (int)e->kind);
	}
	return RT_OK;
}

int rt__array_format(rt_buf *out, const rt_column_desc *c, rt_field_kind element,
		     const rt_array *a, bool tz_offset)
{
	rt_column_desc e = element_column(c, element);
	size_t size = rt__array_element_size(element);
	if (!size)
		return rt__error_set(RT_EINVAL, "no array of field kind %d", (int)element);
	if (a->count && !a->items)
		return rt__error_set(RT_EINVAL, "an array of %zu elements without items", a->count);
	rt__buf_putc(out, '{');
	for (size_t i = 0; i < a->count; i++) {
		if (i)
			rt__buf_putc(out, ',');
		int rc = put_element(out, &e, item_at(a, size, i), tz_offset);
		if (rc < 0)
			return rt__error_wrap("element %zu", i + 1);
	}
	rt__buf_putc(out, '}');
	return rt__buf_failed(out) ? rt__error_nomem() : RT_OK;
}

/* The one text the backend reads into its array type; refused where the
 * backend has no arrays. */
int rt__array_bind(rt_stmt *stmt, int index, const rt_value_ref *v,
		   const rt_enum_desc *enum_type, const char *what)
{
	const rt_dialect *d = stmt->conn->dialect;
	if (!d->caps.arrays)
		return rt__error_set(RT_EINVAL, "%s: an array, which %s does not have", what,
				     d->name);
	rt_column_desc element = {.name = what, .field = what, .enum_type = enum_type};
	rt_buf text = RT_BUF_INIT;
	int rc = rt__array_format(&text, &element, v->element, &v->as.array,
				  d->caps.timestamptz_offset);
	if (rc == RT_OK)
		rc = rt_stmt_bind_text(stmt, index, rt__buf_cstr(&text), (ptrdiff_t)text.len);
	else
		rt__error_wrap("%s", what);
	rt__buf_free(&text);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct reader {
	const char *p, *end;
	rt_buf element;  /* the current element, unescaped */
	bool null;       /* it is the bare word NULL */
	const char *why; /* what is wrong, when it is */
} reader;

static void skip_blanks(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' ||
				 *r->p == '\r'))
		r->p++;
}

/* "[0:2]=" (or "[1:2][1:3]=") before the braces: the bounds, which the C
 * array (counting from 0) does not keep. */
static void skip_bounds(reader *r)
{
	if (r->p < r->end && *r->p == '[') {
		const char *eq = memchr(r->p, '=', (size_t)(r->end - r->p));
		if (eq)
			r->p = eq + 1;
	}
}

/* One element, quoted or bare, into r->element; false on malformed text. */
static bool read_element(reader *r)
{
	rt__buf_clear(&r->element);
	r->null = false;
	skip_blanks(r);
	if (r->p >= r->end)
		return false;
	if (*r->p == '{') {
		r->why = "it has more than one dimension; the field holds one";
		return false;
	}
	if (*r->p == '"') {
		for (r->p++; r->p < r->end && *r->p != '"'; r->p++) {
			if (*r->p == '\\' && r->p + 1 < r->end)
				r->p++;
			rt__buf_putc(&r->element, *r->p);
		}
		if (r->p >= r->end)
			return false;
		r->p++;
		return true; /* "" is an empty text, not nothing */
	}
	/* Bare: up to a comma or brace; blanks at the end are not part of it. */
	size_t kept = 0;
	bool escaped = false;
	for (; r->p < r->end && *r->p != ',' && *r->p != '}'; r->p++) {
		char ch = *r->p;
		if (ch == '\\' && r->p + 1 < r->end) {
			ch = *++r->p;
			escaped = true;
			rt__buf_putc(&r->element, ch);
			kept = r->element.len;
			continue;
		}
		if (ch == '"' || ch == '{')
			return false;
		rt__buf_putc(&r->element, ch);
		if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
			kept = r->element.len;
	}
	if (r->element.ptr) {
		r->element.len = kept;
		r->element.ptr[kept] = '\0';
	}
	r->null = !escaped && kept == 4 && strncasecmp(rt__buf_cstr(&r->element), "NULL", 4) == 0;
	return kept > 0;
}

/* Walks the text's elements, calling each (when not NULL) with the
 * element's index; the number of elements, or -1 when the text is no
 * one-dimensional array (r->why says why, when known). */
static ptrdiff_t walk(reader *r, int (*each)(reader *r, size_t i, void *ctx), void *ctx,
		      int *rc)
{
	skip_blanks(r);
	skip_bounds(r);
	skip_blanks(r);
	if (r->p >= r->end || *r->p != '{')
		return -1;
	r->p++;
	skip_blanks(r);
	size_t n = 0;
	if (r->p < r->end && *r->p == '}') {
		r->p++;
	} else {
		for (;;) {
			if (!read_element(r))
				return -1;
			if (each && (*rc = each(r, n, ctx)) < 0)
				return -1;
			n++;
			skip_blanks(r);
			if (r->p < r->end && *r->p == ',') {
				r->p++;
				continue;
			}
			if (r->p < r->end && *r->p == '}') {
				r->p++;
				break;
			}
			return -1;
		}
	}
	skip_blanks(r);
	return r->p == r->end ? (ptrdiff_t)n : -1;
}

typedef struct store_ctx {
	const rt_model_desc *model;
	const rt_column_desc *element;
	char *items;
	size_t size;
	rt_arena *arena;
} store_ctx;

static int store_element(reader *r, size_t i, void *ctx)
{
	store_ctx *s = ctx;
	void *item = s->items + i * s->size;
	if (rt__buf_failed(&r->element))
		return rt__error_nomem();
	if (r->null) {
		if (text_like(s->element->kind)) {
			*(const char **)item = NULL;
			return RT_OK;
		}
		return rt__error_set(RT_EINVAL,
				     "%s.%s: element %zu is NULL, which an array of this type "
				     "cannot hold in C (only text-like elements can be NULL)",
				     s->model->table, s->element->name, i + 1);
	}
	rt_value v = {.type = RT_VALUE_TEXT, .s = rt__buf_cstr(&r->element),
		      .len = r->element.len};
	int rc = rt__field_store_value(s->model, s->element, &v, item, s->arena);
	return rc < 0 ? rt__error_wrap("element %zu", i + 1) : RT_OK;
}

int rt__array_parse(const rt_model_desc *model, const rt_column_desc *c, const char *text,
		    size_t len, rt_array *out, rt_arena *arena)
{
	rt_column_desc e = element_column(c, c->element);
	size_t size = rt__array_element_size(c->element);
	if (!size)
		return rt__error_set(RT_EINVAL, "%s.%s: no array of field kind %d", model->table,
				     c->name, (int)c->element);
	/* Counted first, then stored into items of the right number. */
	reader r = {.p = text, .end = text + len};
	int rc = RT_OK;
	ptrdiff_t n = walk(&r, NULL, NULL, &rc);
	char *items = n >= 0 ? rt__arena_alloc(arena, (size_t)(n ? n : 1) * size) : NULL;
	if (n >= 0 && items) {
		store_ctx s = {model, &e, items, size, arena};
		r = (reader){.p = text, .end = text + len, .element = r.element};
		n = walk(&r, store_element, &s, &rc);
	}
	const char *why = r.why;
	rt__buf_free(&r.element);
	if (rc < 0)
		return rc;
	if (n < 0)
		return rt__error_set(RT_EINVAL, "%s.%s: cannot read '%.60s' as an array%s%s",
				     model->table, c->name, text, why ? ": " : "", why ? why : "");
	if (!items)
		return rt__error_nomem();
	out->items = items;
	out->count = (size_t)n;
	return RT_OK;
}

/* ------------------------------------------------------------------------ */
/* Copies, comparison, description                                           */
/* ------------------------------------------------------------------------ */

int rt__array_copy(rt_array *out, rt_field_kind element, const void *items, size_t count,
		   rt_arena *arena)
{
	size_t size = rt__array_element_size(element);
	if (!size)
		return rt__error_set(RT_EINVAL, "no array of field kind %d", (int)element);
	if (!items) {
		if (count)
			return rt__error_set(RT_EINVAL, "NULL items with a count of %zu", count);
		*out = (rt_array){NULL, 0};
		return RT_OK;
	}
	if (count > SIZE_MAX / size)
		return rt__error_set(RT_EINVAL, "%zu elements are too many", count);
	char *copy = rt__arena_alloc(arena, count ? count * size : 1);
	if (!copy)
		return rt__error_nomem();
	if (count)
		memcpy(copy, items, count * size);
	for (size_t i = 0; text_like(element) && i < count; i++) {
		const char **s = (const char **)(void *)(copy + i * size);
		if (*s && !(*s = rt__arena_strdup(arena, *s)))
			return rt__error_nomem();
	}
	*out = (rt_array){copy, count};
	return RT_OK;
}

bool rt__array_equal(const rt_column_desc *c, const rt_array *a, const rt_array *b)
{
	if (!a->items || !b->items)
		return !a->items && !b->items;
	if (a->count != b->count)
		return false;
	rt_column_desc e = element_column(c, c->element);
	size_t size = rt__array_element_size(c->element);
	for (size_t i = 0; i < a->count; i++)
		if (!rt__field_equal(&e, item_at(a, size, i), item_at(b, size, i)))
			return false;
	return true;
}

/* Elements shown in a message before "...". */
#define DESCRIBED_ELEMENTS 8

void rt__array_describe(rt_buf *buf, const rt_column_desc *c, const rt_array *a)
{
	rt_column_desc e = element_column(c, c->element);
	size_t size = rt__array_element_size(c->element);
	rt__buf_putc(buf, '{');
	for (size_t i = 0; size && i < a->count && i < DESCRIBED_ELEMENTS; i++) {
		if (i)
			rt__buf_puts(buf, ", ");
		rt__field_describe(buf, &e, item_at(a, size, i));
	}
	if (a->count > DESCRIBED_ELEMENTS)
		rt__buf_printf(buf, ", ... (%zu elements)", a->count);
	rt__buf_putc(buf, '}');
}

rt_value_ref rt_array_value(rt_field_kind element, const void *items, size_t count)
{
	rt_value_ref v = rt_null();
	if (items) {
		v.kind = RT_FIELD_ARRAY;
		v.as.array = (rt_array){items, count};
		v.element = element;
	}
	return v;
}

rt_value_ref rt_array_ref(rt_array value)
{
	return rt_array_value((rt_field_kind)0, value.items, value.count);
}
