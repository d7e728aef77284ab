/*
 * buf.h - growable text buffer on the heap.
 *
 * Used to build SQL, messages and generated files. A failed allocation sets
 * a sticky flag instead of returning an error from every append, so callers
 * append freely and check rt__buf_failed() once at the end.
 */
#ifndef RT_BASE_BUF_H
#define RT_BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct rt_buf {
	char *ptr;   /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
	bool failed; /* an allocation failed; contents are incomplete */
} rt_buf;

#define RT_BUF_INIT {NULL, 0, 0, false}

void rt__buf_free(rt_buf *buf);
void rt__buf_clear(rt_buf *buf);
bool rt__buf_failed(const rt_buf *buf);

void rt__buf_put(rt_buf *buf, const char *data, size_t len);
void rt__buf_puts(rt_buf *buf, const char *text);
void rt__buf_putc(rt_buf *buf, char c);
void rt__buf_printf(rt_buf *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void rt__buf_vprintf(rt_buf *buf, const char *fmt, va_list ap);

/* Appends text between two quote characters, doubling each quote inside:
 * with '\'' a SQL string literal ('it''s'), with '"' a SQL identifier. */
void rt__buf_put_quoted(rt_buf *buf, const char *text, char quote);
/* rt__buf_put_quoted(buf, text, '\''). */
void rt__buf_put_sql_string(rt_buf *buf, const char *text);

/* The contents ("" when empty); valid until the next append or free. */
const char *rt__buf_cstr(const rt_buf *buf);

/* Hands the heap string to the caller (free() it) and resets the buffer.
 * Returns NULL if an allocation failed along the way. */
char *rt__buf_detach(rt_buf *buf);

#endif
