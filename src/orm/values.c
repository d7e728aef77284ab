/*
 * values.c - the value codec of the ORM: a mapped struct field <-> a driver
 * value, for every rt_field_kind, nullable or not (text forms of calendar
 * values and uuids are in values_text.c, reading a value into a field in
 * values_read.c).
 *
 * What is written is what SQLAlchemy writes on SQLite (timestamps as
 * "YYYY-MM-DD HH:MM:SS.ffffff" with six fraction digits, uuids as 32 hex
 * digits, enums as their value text), and PostgreSQL reads the same text
 * into its native types. Reading accepts what either backend hands back:
 * PostgreSQL's shorter fractions and UTC offsets, SQLite's numbers where a
 * numeric column's text was stored as a number, and so on. A value the
 * field cannot hold is an error naming the column, never a silent zero.
 */
#include "orm/orm.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"

/* ------------------------------------------------------------------------ */
/* Field access                                                              */
/* ------------------------------------------------------------------------ */

static bool nullable(const rt_column_desc *column)
{
	return (column->flags & RT_COLUMN_NULLABLE) != 0;
}

#define CFIELD(body, column, type) ((const type *)((const char *)(body) + (column)->offset))

#define OPT(wrapper) sizeof(wrapper), offsetof(wrapper, value)

/* Each kind once: its name, the bytes of its plain field, and, for the
 * kinds that take a nullable wrapper ({bool present; T value;}), the
 * wrapper's bytes and where the value sits in it. The other kinds are
 * NULL through the value itself (a NULL pointer, enum 0). */
const rt_field_kind_info rt__field_kinds[RT_FIELD_ARRAY + 1] = {
	[0] = {"NULL", 0, 0, 0},
	[RT_FIELD_INT16] = {"int16", sizeof(int16_t), OPT(rt_opt_int16)},
	[RT_FIELD_INT32] = {"int32", sizeof(int32_t), OPT(rt_opt_int32)},
	[RT_FIELD_INT64] = {"int64", sizeof(int64_t), OPT(rt_opt_int64)},
	[RT_FIELD_BOOL] = {"bool", sizeof(bool), OPT(rt_opt_bool)},
	[RT_FIELD_FLOAT] = {"float", sizeof(float), OPT(rt_opt_float)},
	[RT_FIELD_DOUBLE] = {"double", sizeof(double), OPT(rt_opt_double)},
	[RT_FIELD_NUMERIC] = {"numeric", sizeof(const char *), 0, 0},
	[RT_FIELD_TEXT] = {"text", sizeof(const char *), 0, 0},
	[RT_FIELD_JSON] = {"json", sizeof(const char *), 0, 0},
	[RT_FIELD_BLOB] = {"blob", sizeof(rt_bytes), 0, 0},
	[RT_FIELD_DATE] = {"date", sizeof(rt_date), OPT(rt_opt_date)},
	[RT_FIELD_TIME] = {"time", sizeof(rt_time), OPT(rt_opt_time)},
	[RT_FIELD_TIMESTAMP] = {"timestamp", sizeof(rt_timestamp), OPT(rt_opt_timestamp)},
	[RT_FIELD_TIMESTAMPTZ] = {"timestamptz", sizeof(rt_timestamp), OPT(rt_opt_timestamp)},
	[RT_FIELD_UUID] = {"uuid", sizeof(rt_uuid), OPT(rt_opt_uuid)},
	[RT_FIELD_ENUM] = {"enum", sizeof(int), 0, 0},
	[RT_FIELD_ARRAY] = {"array", sizeof(rt_array), 0, 0},
};

bool rt__field_is_null(const rt_column_desc *c, const void *body)
{
	if (rt__field_wrapped(c))
		return !*(const bool *)(const void *)((const char *)body + c->offset);
	switch (c->kind) {
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		return *CFIELD(body, c, char *) == NULL;
	case RT_FIELD_BLOB:
		return CFIELD(body, c, rt_bytes)->data == NULL;
	case RT_FIELD_ENUM:
		return *CFIELD(body, c, int) == 0;
	case RT_FIELD_ARRAY:
		return CFIELD(body, c, rt_array)->items == NULL;
	default:
		return false; /* a plain number or calendar value is never NULL */
	}
}

/* Sets the field to SQL NULL (the zero of its kind when not nullable). */
static void set_null(const rt_column_desc *c, void *body)
{
	const rt_field_kind_info *k = rt__field_kind(c->kind);
	memset((char *)body + c->offset, 0, rt__field_wrapped(c) ? k->opt_size : k->size);
}

void rt__field_set_null(const rt_column_desc *column, void *body)
{
	set_null(column, body);
}

static bool date_equal(const rt_date *a, const rt_date *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

static bool time_equal(const rt_time *a, const rt_time *b)
{
	return a->hour == b->hour && a->minute == b->minute && a->second == b->second &&
	       a->microsecond == b->microsecond;
}

static bool text_equal(const char *a, const char *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	return strcmp(a, b) == 0;
}

bool rt__field_equal(const rt_column_desc *c, const void *a, const void *b)
{
	/* Text and plain integers first and directly: the flush asks this of
	 * every column of every object it might write. */
	switch (c->kind) {
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		return text_equal(*CFIELD(a, c, char *), *CFIELD(b, c, char *));
	case RT_FIELD_INT64:
		if (!nullable(c))
			return *CFIELD(a, c, int64_t) == *CFIELD(b, c, int64_t);
		break;
	default:
		break;
	}
	bool a_null = rt__field_is_null(c, a), b_null = rt__field_is_null(c, b);
	if (a_null || b_null)
		return a_null == b_null;
	const void *va = rt__field_value_address(c, a), *vb = rt__field_value_address(c, b);
	switch (c->kind) {
	case RT_FIELD_INT16: return *(const int16_t *)va == *(const int16_t *)vb;
	case RT_FIELD_INT32: return *(const int32_t *)va == *(const int32_t *)vb;
	case RT_FIELD_INT64: return *(const int64_t *)va == *(const int64_t *)vb;
	case RT_FIELD_BOOL: return *(const bool *)va == *(const bool *)vb;
	/* Bit patterns, so that a NaN equals itself and is not always dirty. */
	case RT_FIELD_FLOAT: return memcmp(va, vb, sizeof(float)) == 0;
	case RT_FIELD_DOUBLE: return memcmp(va, vb, sizeof(double)) == 0;
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		return text_equal(*(const char *const *)va, *(const char *const *)vb);
	case RT_FIELD_BLOB: {
		const rt_bytes *x = va, *y = vb;
		return x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
	}
	case RT_FIELD_DATE: return date_equal(va, vb);
	case RT_FIELD_TIME: return time_equal(va, vb);
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ: {
		const rt_timestamp *x = va, *y = vb;
		return date_equal(&x->date, &y->date) && time_equal(&x->time, &y->time);
	}
	case RT_FIELD_UUID: return memcmp(va, vb, sizeof(rt_uuid)) == 0;
	case RT_FIELD_ENUM: return *(const int *)va == *(const int *)vb;
	case RT_FIELD_ARRAY: return rt__array_equal(c, va, vb);
	}
	return false;
}

/* Copies one field from src to dst (a shallow copy: strings are shared). */
void rt__field_copy(const rt_column_desc *c, void *dst, const void *src)
{
	const rt_field_kind_info *k = rt__field_kind(c->kind);
	size_t size = rt__field_wrapped(c) ? k->opt_size : k->size;
	memcpy((char *)dst + c->offset, (const char *)src + c->offset, size);
}

rt_value_ref rt__field_value(const rt_column_desc *c, const void *body)
{
	rt_value_ref v = rt_null();
	if (rt__field_is_null(c, body))
		return v;
	const void *p = rt__field_value_address(c, body);
	v.kind = c->kind;
	switch (c->kind) {
	case RT_FIELD_INT16: v.as.i = *(const int16_t *)p; break;
	case RT_FIELD_INT32: v.as.i = *(const int32_t *)p; break;
	case RT_FIELD_INT64: v.as.i = *(const int64_t *)p; break;
	case RT_FIELD_BOOL: v.as.i = *(const bool *)p; break;
	case RT_FIELD_FLOAT: v.as.d = *(const float *)p; break;
	case RT_FIELD_DOUBLE: v.as.d = *(const double *)p; break;
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON: v.as.s = *(const char *const *)p; break;
	case RT_FIELD_BLOB: v.as.bytes = *(const rt_bytes *)p; break;
	case RT_FIELD_DATE: v.as.date = *(const rt_date *)p; break;
	case RT_FIELD_TIME: v.as.time = *(const rt_time *)p; break;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ: v.as.timestamp = *(const rt_timestamp *)p; break;
	case RT_FIELD_UUID: v.as.uuid = *(const rt_uuid *)p; break;
	case RT_FIELD_ENUM:
		v.as.i = *(const int *)p;
		v.enum_type = c->enum_type;
		break;
	case RT_FIELD_ARRAY:
		v.as.array = *(const rt_array *)p;
		v.element = c->element;
		v.enum_type = c->enum_type;
		break;
	}
	return v;
}

/* ------------------------------------------------------------------------ */
/* Binding                                                                   */
/* ------------------------------------------------------------------------ */

/* Binds a value of a known kind; column (may be NULL) names it in errors
 * and decides how timestamps are written. */
/* borrow: v's text or bytes stay as they are until the statement is next
 * reset (an object's field during the flush), so they may be bound in
 * place; what is formatted here into `text` never is. */
static int bind_value(rt_stmt *stmt, int index, const rt_value_ref *v, rt_field_kind as_kind,
		      const rt_enum_desc *enum_type, const char *what, bool borrow)
{
	char text[RT_TIMESTAMP_TEXT_MAX + 8];
	switch ((int)v->kind) {
	case 0:
		return rt_stmt_bind_null(stmt, index);
	case RT_FIELD_INT16:
	case RT_FIELD_INT32:
	case RT_FIELD_INT64:
		if (as_kind == RT_FIELD_FLOAT || as_kind == RT_FIELD_DOUBLE)
			return rt_stmt_bind_double(stmt, index, (double)v->as.i);
		if (as_kind == RT_FIELD_NUMERIC) {
			snprintf(text, sizeof(text), "%" PRId64, v->as.i);
			return rt_stmt_bind_text(stmt, index, text, -1);
		}
		return rt_stmt_bind_int64(stmt, index, v->as.i);
	case RT_FIELD_BOOL:
		return rt_stmt_bind_bool(stmt, index, v->as.i != 0);
	case RT_FIELD_FLOAT:
	case RT_FIELD_DOUBLE:
		/* Never bound where the backend would store or compare NULL
		 * instead (the flush says so earlier, naming the field). */
		if (isnan(v->as.d) && !stmt->conn->dialect->caps.stores_nan)
			return rt__error_set(RT_EINVAL, "%s: NaN is not a value a %s database can "
						      "store (it would become NULL)",
					     what, stmt->conn->dialect->name);
		return rt_stmt_bind_double(stmt, index, v->as.d);
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		if (borrow && v->as.s)
			return rt__stmt_bind_text_borrowed(stmt, index, v->as.s, strlen(v->as.s));
		return rt_stmt_bind_text(stmt, index, v->as.s, -1);
	case RT_FIELD_BLOB:
		if (borrow)
			return rt__stmt_bind_blob_borrowed(stmt, index, v->as.bytes.data,
							   v->as.bytes.len);
		return rt_stmt_bind_blob(stmt, index, v->as.bytes.data ? (const void *)v->as.bytes.data : "",
					 v->as.bytes.len);
	case RT_FIELD_DATE:
		rt_date_format(text, v->as.date);
		return rt_stmt_bind_text(stmt, index, text, -1);
	case RT_FIELD_TIME:
		rt__time_format_fixed(text, v->as.time);
		return rt_stmt_bind_text(stmt, index, text, -1);
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		rt__timestamp_format_fixed(text, v->as.timestamp);
		/* A timestamptz is UTC; a backend with a real timestamptz type
		 * must be told so, or it reads the text in its session zone. */
		if ((as_kind ? as_kind : v->kind) == RT_FIELD_TIMESTAMPTZ &&
		    stmt->conn->dialect->caps.timestamptz_offset)
			strcat(text, "+00");
		return rt_stmt_bind_text(stmt, index, text, -1);
	case RT_FIELD_UUID:
		rt__uuid_format_hex(text, v->as.uuid);
		return rt_stmt_bind_text(stmt, index, text, 32);
	case RT_FIELD_ENUM: {
		const rt_enum_desc *type = v->enum_type ? v->enum_type : enum_type;
		if (!type)
			return rt__error_set(RT_EINVAL, "%s: an enum value without its type "
						      "(use rt_enum_value)", what);
		if (v->as.i < 1 || v->as.i > type->value_count)
			return rt__error_set(RT_EINVAL, "%s: %" PRId64 " is not a value of enum %s",
					     what, v->as.i, type->name);
		return rt_stmt_bind_text(stmt, index, type->values[v->as.i - 1], -1);
	}
	case RT_FIELD_ARRAY:
		return rt__array_bind(stmt, index, v, v->enum_type ? v->enum_type : enum_type, what);
	}
	return rt__error_set(RT_EINVAL, "%s: unknown value kind %d", what, (int)v->kind);
}

/* The field of column c in body bound as parameter index. Text and plain
 * integers directly: the flush binds every column of every row it writes,
 * and the general way (a value made, then sorted by kind again) doubled
 * what binding one cost. */
static int bind_field(rt_stmt *stmt, int index, const rt_model_desc *model,
		      const rt_column_desc *c, const void *body)
{
	if (c->kind == RT_FIELD_TEXT) {
		const char *text = *CFIELD(body, c, char *);
		return text ? rt__stmt_bind_text_borrowed(stmt, index, text, strlen(text))
			    : rt_stmt_bind_null(stmt, index);
	}
	if (c->kind == RT_FIELD_INT64 && !nullable(c))
		return rt_stmt_bind_int64(stmt, index, *CFIELD(body, c, int64_t));
	rt_value_ref v = rt__field_value(c, body);
	if (v.kind == 0 && c->kind == RT_FIELD_ENUM && !nullable(c))
		return rt__error_set(RT_EINVAL, "%s.%s is not set", model->table, c->name);
	if (v.kind == RT_FIELD_ENUM && (v.as.i < 1 || v.as.i > c->enum_type->value_count))
		return rt__error_set(RT_EINVAL, "%s.%s: %d is not a value of enum %s", model->table,
				     c->name, (int)v.as.i, c->enum_type->name);
	return bind_value(stmt, index, &v, c->kind, c->enum_type, c->name, true);
}

int rt__field_bind(rt_stmt *stmt, int index, const rt_model_desc *model, int column,
		   const void *body)
{
	const rt_column_desc *c = &model->columns[column];
	int rc = bind_field(stmt, index, model, c, body);
	if (rc < 0)
		rt__error_wrap("%s.%s", model->table, c->name);
	return rc;
}

static bool kind_is_int(rt_field_kind k)
{
	return k == RT_FIELD_INT16 || k == RT_FIELD_INT32 || k == RT_FIELD_INT64;
}

/* May a value of kind v be compared with / stored in a column of kind c? */
static bool kinds_compatible(rt_field_kind c, rt_field_kind v)
{
	if (c == v)
		return true;
	if (kind_is_int(c))
		return kind_is_int(v);
	switch (c) {
	case RT_FIELD_FLOAT:
	case RT_FIELD_DOUBLE:
		return v == RT_FIELD_FLOAT || v == RT_FIELD_DOUBLE || kind_is_int(v);
	case RT_FIELD_NUMERIC:
		return v == RT_FIELD_TEXT || kind_is_int(v);
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		return v == RT_FIELD_TEXT || v == RT_FIELD_JSON;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		return v == RT_FIELD_TIMESTAMP || v == RT_FIELD_TIMESTAMPTZ;
	case RT_FIELD_ENUM:
		return kind_is_int(v);
	default:
		return false;
	}
}

int rt__value_bind(rt_stmt *stmt, int index, const rt_value_ref *value,
		   const rt_column_desc *column)
{
	if (!value)
		return rt__error_set(RT_EINVAL, "parameter %d: NULL value", index);
	if (!column) {
		char what[32];
		snprintf(what, sizeof(what), "parameter %d", index);
		return bind_value(stmt, index, value, value->kind, value->enum_type, what, false);
	}
	if (value->kind && !kinds_compatible(column->kind, value->kind))
		return rt__error_set(RT_EINVAL, "column %s is %s; the value given is %s",
				     column->name, rt__field_kind_name(column->kind), rt__field_kind_name(value->kind));
	rt_value_ref v = *value;
	if (column->kind == RT_FIELD_ENUM && v.kind) {
		v.kind = RT_FIELD_ENUM;
		if (!v.enum_type)
			v.enum_type = column->enum_type;
	}
	if (column->kind == RT_FIELD_ARRAY && v.kind) {
		/* rt_array_ref leaves the element to the column. */
		if (!v.element)
			v.element = column->element;
		if (v.element != column->element)
			return rt__error_set(RT_EINVAL, "column %s is an array of %s; the array "
						      "given is of %s",
					     column->name, rt__field_kind_name(column->element),
					     rt__field_kind_name(v.element));
		if (!v.enum_type)
			v.enum_type = column->enum_type;
	}
	return bind_value(stmt, index, &v, column->kind, column->enum_type, column->name, false);
}

/* ------------------------------------------------------------------------ */
/* Describing                                                                */
/* ------------------------------------------------------------------------ */

void rt__field_describe(rt_buf *buf, const rt_column_desc *c, const void *body)
{
	rt_value_ref v = rt__field_value(c, body);
	char text[RT_TIMESTAMP_TEXT_MAX + 8];
	switch ((int)v.kind) {
	case 0:
		rt__buf_puts(buf, "NULL");
		break;
	case RT_FIELD_INT16:
	case RT_FIELD_INT32:
	case RT_FIELD_INT64:
		rt__buf_printf(buf, "%" PRId64, v.as.i);
		break;
	case RT_FIELD_BOOL:
		rt__buf_puts(buf, v.as.i ? "true" : "false");
		break;
	case RT_FIELD_FLOAT:
	case RT_FIELD_DOUBLE:
		rt__buf_printf(buf, "%.17g", v.as.d);
		break;
	case RT_FIELD_NUMERIC:
		rt__buf_puts(buf, v.as.s);
		break;
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON: {
		size_t len = strlen(v.as.s);
		if (len > 60) {
			rt__buf_putc(buf, '\'');
			rt__buf_put(buf, v.as.s, 57);
			rt__buf_puts(buf, "...'");
		} else {
			rt__buf_put_sql_string(buf, v.as.s);
		}
		break;
	}
	case RT_FIELD_BLOB:
		rt__buf_printf(buf, "<%zu bytes>", v.as.bytes.len);
		break;
	case RT_FIELD_DATE:
		rt_date_format(text, v.as.date);
		rt__buf_printf(buf, "'%s'", text);
		break;
	case RT_FIELD_TIME:
		rt_time_format(text, v.as.time);
		rt__buf_printf(buf, "'%s'", text);
		break;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		rt_timestamp_format(text, v.as.timestamp);
		rt__buf_printf(buf, "'%s'", text);
		break;
	case RT_FIELD_UUID:
		rt_uuid_format(text, v.as.uuid);
		rt__buf_printf(buf, "'%s'", text);
		break;
	case RT_FIELD_ENUM:
		if (c->enum_type && v.as.i >= 1 && v.as.i <= c->enum_type->value_count)
			rt__buf_printf(buf, "'%s'", c->enum_type->values[v.as.i - 1]);
		else
			rt__buf_printf(buf, "%" PRId64, v.as.i);
		break;
	case RT_FIELD_ARRAY:
		rt__array_describe(buf, c, &v.as.array);
		break;
	}
}

/* ------------------------------------------------------------------------ */
/* Keys along relationships                                                  */
/* ------------------------------------------------------------------------ */

size_t rt__field_end(const rt_column_desc *c)
{
	const rt_field_kind_info *k = rt__field_kind(c->kind);
	return c->offset + (rt__field_wrapped(c) ? k->opt_size : k->size);
}

void rt__field_assign(const rt_column_desc *to, void *to_body, const rt_column_desc *from,
		      const void *from_body)
{
	if (rt__field_is_null(from, from_body)) {
		set_null(to, to_body);
		return;
	}
	const void *src = rt__field_value_address(from, from_body);
	void *dst = (void *)rt__field_value_address(to, to_body);
	if (to->kind == from->kind) {
		memcpy(dst, src, rt__field_plain_size(to->kind));
	} else if (kind_is_int(to->kind) && kind_is_int(from->kind)) {
		/* A key and its reference of different widths. */
		rt_value_ref v = rt__field_value(from, from_body);
		switch (to->kind) {
		case RT_FIELD_INT16: *(int16_t *)dst = (int16_t)v.as.i; break;
		case RT_FIELD_INT32: *(int32_t *)dst = (int32_t)v.as.i; break;
		default: *(int64_t *)dst = v.as.i; break;
		}
	} else {
		return; /* kinds a schema cannot pair; left alone */
	}
	rt__field_set_present(to, to_body, true);
}
