/*
 * buf.c - growable text buffer with a sticky allocation-failure flag.
 */
#include "base/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool buf_grow(rt_buf *buf, size_t extra)
{
	if (buf->failed)
		return false;
	if (extra > SIZE_MAX - buf->len - 1) {
		buf->failed = true;
		return false;
	}
	size_t need = buf->len + extra + 1;
	if (need <= buf->cap)
		return true;
	size_t cap = buf->cap ? buf->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *grown = realloc(buf->ptr, cap);
	if (!grown) {
		buf->failed = true;
		return false;
	}
	buf->ptr = grown;
	buf->cap = cap;
	return true;
}

void rt__buf_free(rt_buf *buf)
{
	if (!buf)
		return;
	free(buf->ptr);
	buf->ptr = NULL;
	buf->len = buf->cap = 0;
	buf->failed = false;
}

void rt__buf_clear(rt_buf *buf)
{
	buf->len = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
	buf->failed = false;
}

bool rt__buf_failed(const rt_buf *buf)
{
	return buf->failed;
}

void rt__buf_put(rt_buf *buf, const char *data, size_t len)
{
	if (!buf_grow(buf, len))
		return;
	if (len)
		memcpy(buf->ptr + buf->len, data, len);
	buf->len += len;
	buf->ptr[buf->len] = '\0';
}

void rt__buf_puts(rt_buf *buf, const char *text)
{
	rt__buf_put(buf, text, strlen(text));
}

void rt__buf_putc(rt_buf *buf, char c)
{
	rt__buf_put(buf, &c, 1);
}

void rt__buf_vprintf(rt_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0) {
		buf->failed = true;
		return;
	}
	if (!buf_grow(buf, (size_t)len))
		return;
	vsnprintf(buf->ptr + buf->len, (size_t)len + 1, fmt, ap);
	buf->len += (size_t)len;
}

void rt__buf_printf(rt_buf *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rt__buf_vprintf(buf, fmt, ap);
	va_end(ap);
}

void rt__buf_put_quoted(rt_buf *buf, const char *text, char quote)
{
	rt__buf_putc(buf, quote);
	for (const char *p = text; *p; p++) {
		if (*p == quote)
			rt__buf_putc(buf, quote);
		rt__buf_putc(buf, *p);
	}
	rt__buf_putc(buf, quote);
}

void rt__buf_put_sql_string(rt_buf *buf, const char *text)
{
	rt__buf_put_quoted(buf, text, '\'');
}

const char *rt__buf_cstr(const rt_buf *buf)
{
	return buf->ptr ? buf->ptr : "";
}

char *rt__buf_detach(rt_buf *buf)
{
	if (buf->failed) {
		rt__buf_free(buf);
		return NULL;
	}
	char *out = buf->ptr;
	if (!out) {
		out = malloc(1);
		if (out)
			out[0] = '\0';
	}
	buf->ptr = NULL;
	buf->len = buf->cap = 0;
	return out;
}
