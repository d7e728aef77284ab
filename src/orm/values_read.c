/*
 * values_read.c - a driver value into a mapped struct field (the reading
 * half of the value codec, values.c): whatever either backend hands back
 * for the field's kind (PostgreSQL's text forms and shorter fractions,
 * SQLite's numbers where text was stored, MariaDB's DECIMAL text), checked
 * to fit. A value the field cannot hold is an error naming the column,
 * never a silent zero or a cut-off number.
 */
#include "orm/orm.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "base/number.h"

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

static int bad_value(const rt_model_desc *model, const rt_column_desc *c, const rt_value *v,
		     const char *why)
{
	switch (v->type) {
	case RT_VALUE_INT64:
		return rt__error_set(RT_EINVAL, "%s.%s: cannot read %" PRId64 " into a %s field%s%s",
				     model->table, c->name, v->i, rt__field_kind_name(c->kind),
				     why ? ": " : "", why ? why : "");
	case RT_VALUE_DOUBLE:
		return rt__error_set(RT_EINVAL, "%s.%s: cannot read %.17g into a %s field%s%s",
				     model->table, c->name, v->d, rt__field_kind_name(c->kind),
				     why ? ": " : "", why ? why : "");
	case RT_VALUE_TEXT:
		return rt__error_set(RT_EINVAL, "%s.%s: cannot read '%.60s' into a %s field%s%s",
				     model->table, c->name, v->s, rt__field_kind_name(c->kind),
				     why ? ": " : "", why ? why : "");
	default:
		return rt__error_set(RT_EINVAL, "%s.%s: cannot read a %s value into a %s field%s%s",
				     model->table, c->name,
				     v->type == RT_VALUE_BLOB ? "blob" :
				     v->type == RT_VALUE_BOOL ? "bool" : "NULL",
				     rt__field_kind_name(c->kind), why ? ": " : "", why ? why : "");
	}
}

/* An integer from a driver value: integers, booleans, integral doubles and
 * integer text. */
static bool value_int64(const rt_value *v, int64_t *out)
{
	switch (v->type) {
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		*out = v->i;
		return true;
	case RT_VALUE_DOUBLE:
		/* In range first: converting an out-of-range double is UB. */
		if (!(v->d >= -9223372036854775808.0 && v->d < 9223372036854775808.0) ||
		    (double)(int64_t)v->d != v->d)
			return false;
		*out = (int64_t)v->d;
		return true;
	case RT_VALUE_TEXT:
		return rt__int64_parse(v->s, out);
	default:
		return false;
	}
}

static bool value_double(const rt_value *v, double *out)
{
	switch (v->type) {
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		*out = (double)v->i;
		return true;
	case RT_VALUE_DOUBLE:
		*out = v->d;
		return true;
	case RT_VALUE_TEXT: {
		char *end;
		double x = strtod(v->s, &end);
		if (end == v->s || *end)
			return false;
		*out = x;
		return true;
	}
	default:
		return false;
	}
}

static bool value_bool(const rt_value *v, bool *out)
{
	switch (v->type) {
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		if (v->i != 0 && v->i != 1)
			return false;
		*out = v->i != 0;
		return true;
	case RT_VALUE_TEXT:
		if (!strcmp(v->s, "t") || !strcmp(v->s, "true") || !strcmp(v->s, "1")) {
			*out = true;
			return true;
		}
		if (!strcmp(v->s, "f") || !strcmp(v->s, "false") || !strcmp(v->s, "0")) {
			*out = false;
			return true;
		}
		return false;
	default:
		return false;
	}
}

/* Numeric text: exact from a backend that keeps it (PostgreSQL, or SQLite
 * when the text was not a number it could convert); a number written with
 * exactly `scale` decimals when SQLite turned the text into one. */
static const char *value_numeric(const rt_value *v, const rt_column_desc *c, rt_arena *arena)
{
	char number[400];
	switch (v->type) {
	case RT_VALUE_TEXT:
		return rt__arena_strndup(arena, v->s, v->len);
	case RT_VALUE_INT64:
		if (c->scale > 0)
			snprintf(number, sizeof(number), "%" PRId64 ".%0*d", v->i, c->scale, 0);
		else
			snprintf(number, sizeof(number), "%" PRId64, v->i);
		return rt__arena_strdup(arena, number);
	case RT_VALUE_DOUBLE:
		if (!isfinite(v->d))
			return NULL;
		snprintf(number, sizeof(number), "%.*f", c->scale > 0 ? c->scale : 0, v->d);
		if (c->scale <= 0 && c->precision == 0) /* no scale known: shortest exact */
			snprintf(number, sizeof(number), "%.17g", v->d);
		return rt__arena_strdup(arena, number);
	default:
		return NULL;
	}
}

static int read_text_like(const rt_value *v, const char **out, rt_arena *arena)
{
	char number[64];
	switch (v->type) {
	case RT_VALUE_TEXT:
	case RT_VALUE_BLOB:
		*out = rt__arena_strndup(arena, v->s, v->len);
		break;
	case RT_VALUE_INT64:
		snprintf(number, sizeof(number), "%" PRId64, v->i);
		*out = rt__arena_strdup(arena, number);
		break;
	case RT_VALUE_DOUBLE:
		snprintf(number, sizeof(number), "%.17g", v->d);
		*out = rt__arena_strdup(arena, number);
		break;
	case RT_VALUE_BOOL:
		*out = rt__arena_strdup(arena, v->i ? "true" : "false");
		break;
	default:
		return RT_EINVAL;
	}
	return *out ? RT_OK : rt__error_nomem();
}

/* A calendar value from text; the value is UTC for timestamptz. */
static bool value_timestamp(const rt_value *v, rt_field_kind kind, rt_timestamp *out)
{
	return v->type == RT_VALUE_TEXT &&
	       rt__timestamp_from_text(v->s, kind == RT_FIELD_TIMESTAMPTZ, out);
}

static int read_enum(const rt_value *v, const rt_column_desc *c, int *out)
{
	const rt_enum_desc *type = c->enum_type;
	if (v->type != RT_VALUE_TEXT || !type)
		return RT_EINVAL;
	for (int i = 0; i < type->value_count; i++) {
		if (strlen(type->values[i]) == v->len && !memcmp(type->values[i], v->s, v->len)) {
			*out = i + 1;
			return RT_OK;
		}
	}
	return RT_EINVAL;
}

/* Stores a non-NULL driver value into the field. */
static int store_value(const rt_model_desc *model, const rt_column_desc *c, const rt_value *v,
		       void *body, rt_arena *arena)
{
	void *p = (void *)rt__field_value_address(c, body);
	int64_t i;
	double d;
	bool b;
	switch (c->kind) {
	case RT_FIELD_INT16:
		if (!value_int64(v, &i) || i < INT16_MIN || i > INT16_MAX)
			return bad_value(model, c, v, "out of range or not an integer");
		*(int16_t *)p = (int16_t)i;
		break;
	case RT_FIELD_INT32:
		if (!value_int64(v, &i) || i < INT32_MIN || i > INT32_MAX)
			return bad_value(model, c, v, "out of range or not an integer");
		*(int32_t *)p = (int32_t)i;
		break;
	case RT_FIELD_INT64:
		if (!value_int64(v, &i))
			return bad_value(model, c, v, "not an integer");
		*(int64_t *)p = i;
		break;
	case RT_FIELD_BOOL:
		if (!value_bool(v, &b))
			return bad_value(model, c, v, NULL);
		*(bool *)p = b;
		break;
	case RT_FIELD_FLOAT:
		if (!value_double(v, &d))
			return bad_value(model, c, v, NULL);
		*(float *)p = (float)d;
		break;
	case RT_FIELD_DOUBLE:
		if (!value_double(v, &d))
			return bad_value(model, c, v, NULL);
		*(double *)p = d;
		break;
	case RT_FIELD_NUMERIC: {
		const char *text = value_numeric(v, c, arena);
		if (!text)
			return v->type == RT_VALUE_TEXT ? rt__error_nomem() : bad_value(model, c, v, NULL);
		*(const char **)p = text;
		break;
	}
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON: {
		int rc = read_text_like(v, (const char **)p, arena);
		if (rc == RT_EINVAL)
			return bad_value(model, c, v, NULL);
		if (rc < 0)
			return rc;
		break;
	}
	case RT_FIELD_BLOB: {
		if (v->type != RT_VALUE_BLOB && v->type != RT_VALUE_TEXT)
			return bad_value(model, c, v, NULL);
		uint8_t *copy = rt__arena_alloc(arena, v->len ? v->len : 1);
		if (!copy)
			return rt__error_nomem();
		if (v->len)
			memcpy(copy, v->s, v->len);
		((rt_bytes *)p)->data = copy;
		((rt_bytes *)p)->len = v->len;
		break;
	}
	case RT_FIELD_DATE: {
		rt_timestamp ts;
		/* A date column may come back as a timestamp at midnight. */
		if (!value_timestamp(v, RT_FIELD_TIMESTAMP, &ts))
			return bad_value(model, c, v, "not a date");
		*(rt_date *)p = ts.date;
		break;
	}
	case RT_FIELD_TIME: {
		rt_time t;
		if (v->type != RT_VALUE_TEXT || !rt__time_from_text(v->s, &t))
			return bad_value(model, c, v, "not a time");
		*(rt_time *)p = t;
		break;
	}
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		if (!value_timestamp(v, c->kind, (rt_timestamp *)p))
			return bad_value(model, c, v, "not a timestamp");
		break;
	case RT_FIELD_UUID: {
		bool ok = false;
		if (v->type == RT_VALUE_TEXT)
			ok = rt__uuid_from_text(v->s, v->len, (rt_uuid *)p);
		else if (v->type == RT_VALUE_BLOB && v->len == 16) {
			memcpy(p, v->s, 16);
			ok = true;
		}
		if (!ok)
			return bad_value(model, c, v, "not a uuid");
		break;
	}
	case RT_FIELD_ENUM: {
		int value;
		if (read_enum(v, c, &value) < 0)
			return bad_value(model, c, v, c->enum_type ? "not a value of the enum" : NULL);
		*(int *)p = value;
		break;
	}
	case RT_FIELD_ARRAY:
		if (v->type != RT_VALUE_TEXT)
			return bad_value(model, c, v, "not an array");
		return rt__array_parse(model, c, v->s, v->len, p, arena);
	default:
		return rt__error_set(RT_EINVAL, "%s.%s: unknown field kind %d", model->table,
				     c->name, (int)c->kind);
	}
	rt__field_set_present(c, body, true);
	return RT_OK;
}

int rt__field_store_value(const rt_model_desc *model, const rt_column_desc *column,
		    const rt_value *value, void *body, rt_arena *arena)
{
	return store_value(model, column, value, body, arena);
}

/* A date or timestamp field from a value the driver holds broken down
 * (the dialect's column_when). False when the field is of another kind or
 * the value is no valid one: the text reading then stores it or says why
 * not, as for any other driver. */
static bool store_when(const rt_column_desc *c, const rt_value_when *w, void *body)
{
	rt_timestamp ts = {{w->year, w->month, w->day},
			   {w->hour, w->minute, w->second, w->microsecond}};
	if (!rt__date_valid(ts.date) || !rt__time_valid(ts.time))
		return false;
	void *p = (void *)rt__field_value_address(c, body);
	switch (c->kind) {
	case RT_FIELD_DATE:
		*(rt_date *)p = ts.date; /* a timestamp's date, as from text */
		break;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ: /* no offset: the session's zone is UTC */
		*(rt_timestamp *)p = ts;
		break;
	default:
		return false;
	}
	rt__field_set_present(c, body, true);
	return true;
}

int rt__field_read(rt_stmt *stmt, int result_column, const rt_model_desc *model, int column,
		   void *body, rt_arena *arena)
{
	const rt_column_desc *c = &model->columns[column];
	const rt_dialect *dialect = stmt->conn->dialect;
	if (dialect->column_when && (c->kind == RT_FIELD_TIMESTAMP || c->kind == RT_FIELD_DATE ||
				     c->kind == RT_FIELD_TIMESTAMPTZ)) {
		rt_value_when w;
		if (dialect->column_when(stmt->driver, result_column, &w) == RT_OK &&
		    store_when(c, &w, body))
			return RT_OK;
	}
	rt_value v;
	int rc = dialect->column_value(stmt->driver, result_column, &v);
	if (rc < 0)
		return rt__error_wrap("%s.%s", model->table, c->name);
	if (v.type == RT_VALUE_NULL) {
		rt__field_set_null(c, body);
		return RT_OK;
	}
	/* The two commonest cases, an integer into an int64 field and text
	 * into a text field, stored here: this runs for every column of every
	 * row loaded, and going through store_value's general switch cost
	 * them a third again. */
	if (c->kind == RT_FIELD_INT64 && v.type == RT_VALUE_INT64) {
		*(int64_t *)(void *)rt__field_value_address(c, body) = v.i;
		rt__field_set_present(c, body, true);
		return RT_OK;
	}
	if (c->kind == RT_FIELD_TEXT && v.type == RT_VALUE_TEXT) {
		const char *copy = rt__arena_strndup(arena, v.s, v.len);
		if (!copy)
			return rt__error_nomem();
		*(const char **)(void *)((char *)body + c->offset) = copy;
		return RT_OK;
	}
	return store_value(model, c, &v, body, arena);
}
