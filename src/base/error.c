/*
 * error.c - the per-thread last-error record behind rt_error_last().
 *
 * Storage is thread-local and fixed in size so that recording an error can
 * never itself fail or leak when a thread exits. Long messages (a parse with
 * many diagnostics) are cut at a line boundary with a note saying so.
 *
 * A fiber (fiber.c) has a record of its own, made current while it runs:
 * fibers on one thread interleave at every wait, and one must not find
 * another's error in place of its own when it reads it after a wait.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_MAX 16384
#define NAME_MAX_LEN 256

struct rt_error_state {
	rt_error record;
	char message[MESSAGE_MAX];
	char sqlstate[6];
	char constraint_name[NAME_MAX_LEN];
};
typedef struct rt_error_state error_state;

static _Thread_local error_state state;
static _Thread_local error_state *active; /* NULL: the thread's own, state */

static void copy_text(char *dst, size_t size, const char *src);

static error_state *current(void)
{
	error_state *s = active ? active : &state;
	if (!s->record.message) {
		s->record.message = s->message;
		s->record.sqlstate = s->sqlstate;
		s->record.constraint_name = s->constraint_name;
	}
	return s;
}

rt_error_state *rt__error_state_new(void)
{
	return calloc(1, sizeof(error_state));
}

void rt__error_state_free(rt_error_state *s)
{
	free(s);
}

rt_error_state *rt__error_state_swap(rt_error_state *s)
{
	error_state *before = active;
	active = s;
	return before;
}

void rt__error_state_copy_to_current(const rt_error_state *from)
{
	error_state *to = current();
	if (!from || from == to)
		return;
	to->record.code = from->record.code;
	to->record.driver_code = from->record.driver_code;
	to->record.constraint_kind = from->record.constraint_kind;
	copy_text(to->message, sizeof(to->message), from->message);
	copy_text(to->sqlstate, sizeof(to->sqlstate), from->sqlstate);
	copy_text(to->constraint_name, sizeof(to->constraint_name), from->constraint_name);
}

static void format_message(char *out, const char *fmt, va_list ap)
{
	int len = vsnprintf(out, MESSAGE_MAX, fmt, ap);
	if (len >= MESSAGE_MAX) {
		static const char note[] = "\n... (further messages cut)";
		char *cut = out + MESSAGE_MAX - sizeof(note) - 1;
		/* Prefer cutting at the last whole line that fits. */
		char *newline = cut;
		while (newline > out && *newline != '\n')
			newline--;
		if (*newline != '\n')
			newline = NULL;
		memcpy(newline ? newline : cut, note, sizeof(note));
	}
}

static void copy_text(char *dst, size_t size, const char *src)
{
	if (!src)
		src = "";
	size_t len = strlen(src);
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void reset_details(error_state *s)
{
	s->sqlstate[0] = '\0';
	s->constraint_name[0] = '\0';
	s->record.driver_code = 0;
	s->record.constraint_kind = RT_VIOLATION_NONE;
}

int rt__error_set(int code, const char *fmt, ...)
{
	error_state *s = current();
	reset_details(s);
	s->record.code = code;
	va_list ap;
	va_start(ap, fmt);
	format_message(s->message, fmt, ap);
	va_end(ap);
	return code;
}

int rt__error_nomem(void)
{
	return rt__error_set(RT_ENOMEM, "out of memory");
}

int rt__error_set_db(int code, const char *sqlstate, int driver_code,
		     rt_constraint_violation kind, const char *constraint_name,
		     const char *fmt, ...)
{
	error_state *s = current();
	reset_details(s);
	s->record.code = code;
	copy_text(s->sqlstate, sizeof(s->sqlstate), sqlstate);
	copy_text(s->constraint_name, sizeof(s->constraint_name), constraint_name);
	s->record.driver_code = driver_code;
	s->record.constraint_kind = kind;
	va_list ap;
	va_start(ap, fmt);
	format_message(s->message, fmt, ap);
	va_end(ap);
	return code;
}

int rt__error_wrap(const char *fmt, ...)
{
	error_state *s = current();
	char prefix[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	size_t prefix_len = strlen(prefix);
	size_t message_len = strlen(s->message);
	if (prefix_len + 2 + message_len >= MESSAGE_MAX)
		message_len = MESSAGE_MAX - prefix_len - 3;
	memmove(s->message + prefix_len + 2, s->message, message_len);
	memcpy(s->message, prefix, prefix_len);
	s->message[prefix_len] = ':';
	s->message[prefix_len + 1] = ' ';
	s->message[prefix_len + 2 + message_len] = '\0';
	return s->record.code;
}

void rt__error_replace(const char *from, const char *to)
{
	error_state *s = current();
	size_t from_len = from ? strlen(from) : 0, to_len = to ? strlen(to) : 0;
	if (from_len == 0)
		return;
	char out[MESSAGE_MAX];
	size_t o = 0;
	for (const char *p = s->message; *p && o + 1 < MESSAGE_MAX;) {
		if (strncmp(p, from, from_len) == 0 && o + to_len + 1 < MESSAGE_MAX) {
			memcpy(out + o, to, to_len);
			o += to_len;
			p += from_len;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	memcpy(s->message, out, o + 1);
}

const rt_error *rt_error_last(void)
{
	return &current()->record;
}

void rt_error_clear(void)
{
	error_state *s = current();
	reset_details(s);
	s->record.code = RT_OK;
	s->message[0] = '\0';
}

const char *rt_error_code_name(int code)
{
	switch (code) {
	case RT_OK: return "RT_OK";
	case RT_ERROR: return "RT_ERROR";
	case RT_ENOMEM: return "RT_ENOMEM";
	case RT_EINVAL: return "RT_EINVAL";
	case RT_ENOTFOUND: return "RT_ENOTFOUND";
	case RT_EMULTIPLE: return "RT_EMULTIPLE";
	case RT_ECONSTRAINT: return "RT_ECONSTRAINT";
	case RT_ECONNECT: return "RT_ECONNECT";
	case RT_EPARSE: return "RT_EPARSE";
	case RT_ELOCKED: return "RT_ELOCKED";
	case RT_EMULTIHEAD: return "RT_EMULTIHEAD";
	case RT_EDRIFT: return "RT_EDRIFT";
	case RT_EIO: return "RT_EIO";
	case RT_EDATABASE: return "RT_EDATABASE";
	case RT_EUSAGE: return "RT_EUSAGE";
	case RT_ESERIALIZE: return "RT_ESERIALIZE";
	case RT_ECANCELED: return "RT_ECANCELED";
	case RT_ROW: return "RT_ROW";
	case RT_DONE: return "RT_DONE";
	default: return "RT_UNKNOWN";
	}
}

int rt_error_is_retryable(const rt_error *err)
{
	if (!err)
		err = rt_error_last();
	if (err->code == RT_ESERIALIZE)
		return 1;
	/* A lock the database could not give in time: the transaction may
	 * get it when run again. The pool's own RT_ELOCKED (no connection
	 * free) carries neither a SQLSTATE nor a driver code: a program
	 * that holds every connection gains nothing by trying again. */
	return err->code == RT_ELOCKED &&
	       ((err->sqlstate && err->sqlstate[0]) || err->driver_code != 0);
}

const char *rt_version(void)
{
	return RT_VERSION_STRING;
}
