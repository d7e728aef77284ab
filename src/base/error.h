/*
 * error.h - recording the calling thread's last error.
 *
 * Every failing function records a message with rt__error_set (or one of
 * its variants) and returns the same code, so callers write
 *     return rt__error_set(RT_EINVAL, "no such table: %s", name);
 */
#ifndef RT_BASE_ERROR_H
#define RT_BASE_ERROR_H

#include "retort/common.h"

/* Records code and message; returns code. */
int rt__error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records the out-of-memory error; returns RT_ENOMEM. */
int rt__error_nomem(void);

/* Records a database error with its SQLSTATE (may be NULL), the driver's
 * code, and for constraint violations the kind and name (may be NULL). */
int rt__error_set_db(int code, const char *sqlstate, int driver_code,
		     rt_constraint_violation kind, const char *constraint_name,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Prefixes the current message with "context: ", keeping everything else. */
int rt__error_wrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Replaces every occurrence of from in the current message by to (a name
 * that must not reach the user, such as a temporary table's). */
void rt__error_replace(const char *from, const char *to);

/* A last-error record of its own, for a fiber (fiber.c): swap makes s the
 * calling thread's current record (NULL: the thread's own again) and
 * returns the one it replaces; copy_to_current copies from into the
 * current record (an operation's error, handed to its caller). */
typedef struct rt_error_state rt_error_state;
rt_error_state *rt__error_state_new(void);
void rt__error_state_free(rt_error_state *s);
rt_error_state *rt__error_state_swap(rt_error_state *s);
void rt__error_state_copy_to_current(const rt_error_state *from);

#endif
