/*
 * call.c - reading a request and writing its answer, for the handlers of
 * people.c and store.c: the members of a JSON body checked for kind and length, the
 * query parameters, the window of a list, and the HTTP status of a failed
 * retort call. Whatever the client sends is checked here before a handler
 * hands it to the ORM, which binds it as a value: nothing of it is ever
 * part of SQL text.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

int shop_fail(shop_call *call, int status, const char *fmt, ...)
{
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	/* A message quoting the client's text that is not UTF-8 is not JSON
	 * text: the error is then said without the quote. */
	json_t *answer = json_pack("{s:s}", "error", message);
	if (!answer)
		answer = json_pack("{s:s}", "error", "the request is malformed");
	return shop_answer(call, status, answer);
}

int shop_answer(shop_call *call, int status, json_t *value)
{
	json_decref(call->answer);
	call->answer = value;
	call->status = status;
	return status;
}

void shop_call_clear(shop_call *call)
{
	for (size_t i = 0; i < call->param_count; i++) {
		free(call->params[i].name);
		free(call->params[i].value);
	}
	call->param_count = 0;
	json_decref(call->body);
	json_decref(call->answer);
	call->body = NULL;
	call->answer = NULL;
}

void shop_call_run(shop_call *call)
{
	call->status = 500;
	int status = call->handler(call);
	/* A handler returns the status it set; one that forgot to set an
	 * answer is a bug of the service, reported as such. */
	if (status != call->status || (status != 204 && !call->answer))
		shop_fail(call, 500, "the handler gave no answer");
}

const char *shop_param_get(const shop_call *call, const char *name)
{
	for (size_t i = 0; i < call->param_count; i++)
		if (strcmp(call->params[i].name, name) == 0)
			return call->params[i].value;
	return NULL;
}

/* --- values ------------------------------------------------------------------- */

/* Characters as PostgreSQL and MariaDB count them in a string(n) column
 * (SQLite would store a longer value silently: the service refuses it on
 * every backend alike). The text is valid UTF-8: jansson checks. */
static size_t characters(const char *text)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

/* A key: decimal digits only, 1 to 2^63-1. */
static int parse_key(const char *text, int64_t *out)
{
	if (!*text || strlen(text) > 18)
		return -1;
	int64_t value = 0;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		value = value * 10 + (*p - '0');
	}
	if (value < 1)
		return -1;
	*out = value;
	return 0;
}

/* Digits with at most two decimals, as numeric(10,2) holds them. */
static int valid_price(const char *text)
{
	int digits = 0, decimals = -1;
	for (const char *p = text; *p; p++) {
		if (*p == '.' && decimals < 0)
			decimals = 0;
		else if (*p >= '0' && *p <= '9')
			decimals >= 0 ? decimals++ : digits++;
		else
			return 0;
	}
	return digits > 0 && digits <= 8 && decimals != 0 && decimals <= 2;
}

/* A valid price written as numeric(10,2) gives it back, on every backend:
 * no leading zeros, two decimals ("007.5" -> "7.50"). */
static void canonical_price(char *buf, size_t size)
{
	const char *p = buf, *dot = strchr(buf, '.');
	size_t whole = dot ? (size_t)(dot - buf) : strlen(buf);
	while (whole > 1 && *p == '0')
		p++, whole--;
	char cents[3] = {'0', '0', '\0'};
	if (dot && dot[1]) {
		cents[0] = dot[1];
		if (dot[2])
			cents[1] = dot[2];
	}
	char out[32];
	snprintf(out, sizeof(out), "%.*s.%s", (int)whole, p, cents);
	snprintf(buf, size, "%s", out);
}

/* --- the body ------------------------------------------------------------------- */

int shop_body_fields(shop_call *call, const char *const *allowed)
{
	if (!json_is_object(call->body))
		return shop_fail(call, 400, "the body must be a JSON object");
	const char *key;
	json_t *value;
	json_object_foreach(call->body, key, value) {
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], key) != 0)
			i++;
		if (!allowed[i])
			return shop_fail(call, 422, "unknown field '%s'", key);
	}
	return 0;
}

/* The member, or NULL with *present 0; a missing required member or a
 * null one where null is not allowed is answered 422. */
static int member(shop_call *call, const char *name, int flags, json_t **out, int *present)
{
	json_t *value = json_object_get(call->body, name);
	*out = NULL;
	if (present)
		*present = value != NULL;
	if (!value) {
		if (flags & SHOP_REQUIRED)
			return shop_fail(call, 422, "'%s' is required", name);
		return 0;
	}
	if (json_is_null(value)) {
		if (!(flags & SHOP_NULLABLE))
			return shop_fail(call, 422, "'%s' must not be null", name);
		return 0;
	}
	*out = value;
	return 0;
}

int shop_body_text(shop_call *call, const char *name, size_t max_chars, int flags,
		   const char **out, int *present)
{
	json_t *value;
	int rc = member(call, name, flags, &value, present);
	*out = NULL;
	if (rc || !value)
		return rc;
	if (!json_is_string(value))
		return shop_fail(call, 422, "'%s' must be a string", name);
	const char *text = json_string_value(value);
	if (max_chars && characters(text) > max_chars)
		return shop_fail(call, 422, "'%s' is longer than %zu characters", name, max_chars);
	if ((flags & SHOP_REQUIRED) && !*text)
		return shop_fail(call, 422, "'%s' must not be empty", name);
	*out = text;
	return 0;
}

int shop_body_key(shop_call *call, const char *name, int flags, int64_t *out, int *present)
{
	json_t *value;
	int rc = member(call, name, flags, &value, present);
	*out = 0;
	if (rc || !value)
		return rc;
	if (!json_is_integer(value) || json_integer_value(value) < 1)
		return shop_fail(call, 422, "'%s' must be a whole number of 1 or more", name);
	*out = (int64_t)json_integer_value(value);
	return 0;
}

int shop_body_price(shop_call *call, const char *name, int flags, char *buf, size_t size,
		    const char **out, int *present)
{
	json_t *value;
	int rc = member(call, name, flags, &value, present);
	*out = NULL;
	if (rc || !value)
		return rc;
	if (json_is_string(value)) {
		snprintf(buf, size, "%s", json_string_value(value));
	} else if (json_is_integer(value)) {
		snprintf(buf, size, "%lld", (long long)json_integer_value(value));
	} else if (json_is_real(value)) {
		/* 19.9 is not exactly 19.9 as a double: cents, rounded, when
		 * the number has no more than two decimals. */
		double cents = json_real_value(value) * 100.0;
		if (!isfinite(cents) || fabs(cents - nearbyint(cents)) > 1e-6 || cents < 0 ||
		    cents >= 1e10)
			return shop_fail(call, 422, "'%s' must have at most two decimals", name);
		long long whole = (long long)nearbyint(cents);
		snprintf(buf, size, "%lld.%02lld", whole / 100, whole % 100);
	} else {
		return shop_fail(call, 422, "'%s' must be a number or a string of digits", name);
	}
	if (buf[0] == '-')
		return shop_fail(call, 422, "'%s' must not be negative", name);
	if (!valid_price(buf))
		return shop_fail(call, 422, "'%s' is not a price (e.g. 9.99)", name);
	canonical_price(buf, size);
	*out = buf;
	return 0;
}

/* --- the query string ------------------------------------------------------------------ */

int shop_param_key(shop_call *call, const char *name, int64_t *out, int *present)
{
	const char *text = shop_param_get(call, name);
	*present = text != NULL;
	*out = 0;
	if (text && parse_key(text, out) < 0)
		return shop_fail(call, 400, "?%s= must be a whole number of 1 or more", name);
	return 0;
}

int shop_param_window(shop_call *call, int64_t *limit, int64_t *offset)
{
	const char *text = shop_param_get(call, "limit");
	*limit = 100;
	*offset = 0;
	if (text && (parse_key(text, limit) < 0 || *limit > 1000))
		return shop_fail(call, 400, "?limit= must be from 1 to 1000");
	text = shop_param_get(call, "offset");
	if (text && strcmp(text, "0") != 0 && parse_key(text, offset) < 0)
		return shop_fail(call, 400, "?offset= must be a whole number");
	return 0;
}

int shop_param_text(shop_call *call, const char *name, size_t max_chars, const char **out)
{
	*out = shop_param_get(call, name);
	if (*out && characters(*out) > max_chars)
		return shop_fail(call, 400, "?%s= is longer than %zu characters", name, max_chars);
	return 0;
}

/* Runs q (freed) for a list answer of its objects. */
int shop_list_answer(shop_call *call, rt_query *q, json_t *(*to_json)(const void *))
{
	rt_list items = {0};
	int rc = rt_query_all(q, &items);
	if (rc < 0) {
		rc = shop_db_error(call, "list");
		rt_query_free(q);
		return rc;
	}
	json_t *array = json_array();
	for (size_t i = 0; i < items.count; i++)
		json_array_append_new(array, to_json(items.items[i]));
	rt_query_free(q);
	return shop_answer(call, 200, array);
}

/* Opens the call's session, or answers 503. */
int shop_session_open(shop_call *call, rt_session **s)
{
	*s = NULL;
	if (rt_session_open(s, call->engine) < 0)
		return shop_db_error(call, "open a session");
	return 0;
}

/* Applies q's window and order (by key) from ?limit= and ?offset=. */
int shop_list_window(shop_call *call, rt_query *q, rt_column_ref key)
{
	int64_t limit, offset;
	int rc = shop_param_window(call, &limit, &offset);
	if (rc)
		return rc;
	rt_query_order_by(q, key, false);
	rt_query_limit(q, limit);
	if (offset)
		rt_query_offset(q, offset);
	return 0;
}

/* --- answers ------------------------------------------------------------------------ */

json_t *shop_json_text(const char *text)
{
	return text ? json_string(text) : json_null();
}

json_t *shop_json_timestamp(rt_timestamp value)
{
	char text[RT_TIMESTAMP_TEXT_MAX];
	rt_timestamp_format(text, value);
	return json_string(text);
}

int shop_db_error(shop_call *call, const char *doing)
{
	const rt_error *err = rt_error_last();
	const char *message = err->message && *err->message ? err->message : "unknown error";
	int len = (int)strcspn(message, "\n");
	int status;
	switch (err->code) {
	case RT_ENOTFOUND:
		status = 404;
		break;
	case RT_ECONSTRAINT:
		status = err->constraint_kind == RT_VIOLATION_UNIQUE ||
				 err->constraint_kind == RT_VIOLATION_FOREIGN_KEY
			 ? 409
			 : 422;
		break;
	case RT_ELOCKED:
	case RT_ESERIALIZE:
	case RT_ECONNECT:
	case RT_ECANCELED:
		status = 503;
		break;
	default:
		status = 500;
	}
	json_t *answer = json_object();
	json_t *text = json_sprintf("%s: %.*s", doing, len, message);
	/* A database's message that is not UTF-8 is not JSON text. */
	json_object_set_new(answer, "error", text ? text : json_string(doing));
	if (err->code == RT_ECONSTRAINT && err->constraint_name && *err->constraint_name)
		json_object_set_new(answer, "constraint", json_string(err->constraint_name));
	return shop_answer(call, status, answer);
}

int shop_params_allowed(shop_call *call, const char *const *allowed)
{
	for (size_t i = 0; i < call->param_count; i++) {
		const char *name = call->params[i].name;
		size_t k = 0;
		while (allowed[k] && strcmp(allowed[k], name) != 0)
			k++;
		if (!allowed[k] && strcmp(name, "limit") != 0 && strcmp(name, "offset") != 0)
			return shop_fail(call, 400, "unknown parameter '%s'", name);
	}
	return 0;
}
