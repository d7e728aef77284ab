/*
 * retort/async.h - the non-blocking API, for event-loop programs.
 *
 * Shaped after libcurl's multi-socket interface: retort never blocks and
 * starts no thread of the program's. It says which descriptors to watch
 * (the watch callback) and when to call back (the timer callback); the
 * program's loop, whatever it is, reports readiness with
 * rt_async_socket_action and expired timers with rt_async_timeout.
 *
 * Every operation completes through exactly one call of its done callback,
 * made from inside rt_async_socket_action, rt_async_timeout or
 * rt_async_free, never from inside the call that started it. A call that
 * fails at once returns the error and never calls done. During done,
 * rt_error_last() is the operation's error.
 *
 * docs/async.md explains the design: operations run the blocking API's own
 * code (sessions, identity map, unit of work) on fibers.
 */
#ifndef RETORT_ASYNC_H
#define RETORT_ASYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "retort/common.h"
#include "retort/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rt_async rt_async;
typedef struct rt_async_op rt_async_op;

/* What to watch a descriptor for; RT_POLL_REMOVE: stop watching it. */
#define RT_POLL_IN 1
#define RT_POLL_OUT 2
#define RT_POLL_REMOVE 4

typedef struct rt_async_callbacks {
	int version; /* RT_ASYNC_CALLBACKS_VERSION */
	/* Watch fd for events (RT_POLL_IN | RT_POLL_OUT, replacing what was
	 * asked before), or stop watching it (RT_POLL_REMOVE). */
	void (*watch)(int fd, int events, void *loop);
	/* Call rt_async_timeout once timeout_ms have passed (0: as soon as
	 * the loop can), replacing any timer asked before; -1: no timer. */
	void (*timer)(long timeout_ms, void *loop);
} rt_async_callbacks;

#define RT_ASYNC_CALLBACKS_VERSION 1

/* A scheduler of operations on engine's connections, reporting to the
 * loop through callbacks (called with `loop`). */
RT_API int rt_async_new(rt_async **out, rt_engine *engine, const rt_async_callbacks *callbacks,
			void *loop);
/* Completes every operation in flight with RT_ECANCELED (their done
 * callbacks run inside this call), stops watching, frees. NULL-safe. */
RT_API void rt_async_free(rt_async *async);

/* The loop's side: fd is ready for events (RT_POLL_IN | RT_POLL_OUT). */
RT_API void rt_async_socket_action(rt_async *async, int fd, int events);
/* The loop's side: the timer asked for has expired. */
RT_API void rt_async_timeout(rt_async *async);

/* Whether fd is one this scheduler asked the loop to watch (for a loop
 * that watches descriptors of its own too). */
RT_API bool rt_async_owns_fd(const rt_async *async, int fd);

/* How many operations are in flight. */
RT_API size_t rt_async_running(const rt_async *async);

/* The engine the scheduler runs operations on. */
RT_API rt_engine *rt_async_engine(const rt_async *async);

typedef void (*rt_async_done)(rt_async_op *op, int rc, void *user);

/* Runs work(arg) - any code made of retort's blocking calls: get, query,
 * flush, commit, upgrade, ... - without blocking: where it would wait for
 * the database, it yields to the loop. Its return code goes to done. *op
 * (may be NULL) identifies the operation until done is called. */
RT_API int rt_async_run(rt_async *async, rt_async_op **op, int (*work)(void *arg), void *arg,
			rt_async_done done, void *user);

/* Completes op with RT_ECANCELED: its database work is abandoned at its
 * next wait (the statement cancelled or the connection closed). done is
 * called later, from the loop's side, not from this call. */
RT_API int rt_async_cancel(rt_async_op *op);

#ifdef __cplusplus
}
#endif
#endif
