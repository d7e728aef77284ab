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
 * code (sessions, identity map, unit of work) on fibers, and the typed
 * operations at the end of this file are the session calls of retort/orm.h
 * in that form.
 */
#ifndef RETORT_ASYNC_H
#define RETORT_ASYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "retort/common.h"
#include "retort/engine.h"
#include "retort/orm.h"

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
 * loop through callbacks (called with `loop`). Freeing the engine first
 * completes its operations in flight with RT_ECANCELED (inside
 * rt_engine_free); the scheduler then refuses new ones and is still to be
 * freed. rt_async_free and rt_engine_free are never called from inside
 * an operation or a done callback. */
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


/* ------------------------------------------------------------------------ */
/* Typed operations: the session calls of retort/orm.h, without blocking     */
/* ------------------------------------------------------------------------ */

/*
 * Each runs the blocking call it is named after on the session's own
 * objects, identity map and unit of work (a program can mix both APIs, one
 * at a time), and reports through one callback typed on what the blocking
 * call gives in its out-parameter. The rules of rt_async_run hold: a call
 * that fails at once returns the error and never calls done; otherwise done
 * is called once, from the loop's side, with the result only when rc is
 * RT_OK (else NULL, 0 or false). Objects, lists and strings belong to the
 * session, as in the blocking API.
 *
 * One operation at a time per session: starting one on a session with an
 * operation in flight fails at once with RT_EINVAL, and so does any
 * blocking call on it (rt_object_get, rt_session_commit, ...) made outside
 * the operation. The session is free again when done is called, so done
 * may start the session's next operation.
 *
 * rt_session_close with an operation in flight returns at once: the
 * session is closed to the program from then on (its objects are refused),
 * the operation is cancelled, and its done is called later, from the loop's
 * side, with RT_ECANCELED; the session's memory and connection are freed
 * after the operation has unwound, before that done. A query given to an
 * operation must not be changed or freed until its done is called (free it
 * there, also after such a close).
 */

/* flush, commit and rollback (rt_session_flush, _commit, _rollback). */
RT_API int rt_async_session_flush(rt_async *async, rt_async_op **op, rt_session *session,
				  rt_async_done done, void *user);
RT_API int rt_async_session_commit(rt_async *async, rt_async_op **op, rt_session *session,
				   rt_async_done done, void *user);
RT_API int rt_async_session_rollback(rt_async *async, rt_async_op **op, rt_session *session,
				     rt_async_done done, void *user);

/* An object of the session, as the blocking call's out-parameter gives it
 * (a pointer to the model's struct); NULL when rc < 0, and for
 * one_or_none when there is no row. */
typedef void (*rt_async_object_done)(rt_async_op *op, int rc, void *object, void *user);

/* rt_object_get: key (model->primary_key_count values) is copied, strings
 * and blobs included, before the call returns. RT_ENOTFOUND: no such row. */
RT_API int rt_async_object_get(rt_async *async, rt_async_op **op, rt_session *session,
			       const rt_model_desc *model, const rt_value_ref *key,
			       rt_async_object_done done, void *user);
/* rt_query_first (RT_ENOTFOUND), rt_query_one (RT_ENOTFOUND, RT_EMULTIPLE),
 * rt_query_one_or_none. */
RT_API int rt_async_query_first(rt_async *async, rt_async_op **op, rt_query *query,
				rt_async_object_done done, void *user);
RT_API int rt_async_query_one(rt_async *async, rt_async_op **op, rt_query *query,
			      rt_async_object_done done, void *user);
RT_API int rt_async_query_one_or_none(rt_async *async, rt_async_op **op, rt_query *query,
				      rt_async_object_done done, void *user);

/* The same four for callbacks typed on a model's struct (`retort gen`'s
 * Author_get_async): done is the program's callback of its own type, cast
 * to rt_async_fn, and is called as invoke(done, op, rc, object, user),
 * where invoke casts it back (calling it as an rt_async_object_done would
 * not be valid C). model must be the query's model: another one is refused
 * at once (RT_EINVAL), so an object is never handed over as another type. */
typedef void (*rt_async_fn)(void);
typedef void (*rt_async_invoke)(rt_async_fn done, rt_async_op *op, int rc, void *object,
				void *user);
RT_API int rt_async_object_get_as(rt_async *async, rt_async_op **op, rt_session *session,
				  const rt_model_desc *model, const rt_value_ref *key,
				  rt_async_invoke invoke, rt_async_fn done, void *user);
RT_API int rt_async_query_first_as(rt_async *async, rt_async_op **op, rt_query *query,
				   const rt_model_desc *model, rt_async_invoke invoke,
				   rt_async_fn done, void *user);
RT_API int rt_async_query_one_as(rt_async *async, rt_async_op **op, rt_query *query,
				 const rt_model_desc *model, rt_async_invoke invoke,
				 rt_async_fn done, void *user);
RT_API int rt_async_query_one_or_none_as(rt_async *async, rt_async_op **op, rt_query *query,
					 const rt_model_desc *model, rt_async_invoke invoke,
					 rt_async_fn done, void *user);

/* rt_query_all: every result, in a list the session owns. */
typedef void (*rt_async_list_done)(rt_async_op *op, int rc, rt_list *list, void *user);
RT_API int rt_async_query_all(rt_async *async, rt_async_op **op, rt_query *query,
			      rt_async_list_done done, void *user);
/* rt_query_count and rt_query_exists. */
typedef void (*rt_async_count_done)(rt_async_op *op, int rc, int64_t count, void *user);
RT_API int rt_async_query_count(rt_async *async, rt_async_op **op, rt_query *query,
				rt_async_count_done done, void *user);
typedef void (*rt_async_exists_done)(rt_async_op *op, int rc, bool exists, void *user);
RT_API int rt_async_query_exists(rt_async *async, rt_async_op **op, rt_query *query,
				 rt_async_exists_done done, void *user);

/* Streaming (rt_query_stream / rt_query_next): row is called once per row,
 * in order, from the loop's side (on the operation's own stack, inside
 * rt_async_socket_action or rt_async_timeout), with the streamed object:
 * not in the session, valid only until row returns (copy what you keep).
 * row returns RT_OK for the next row, RT_DONE to stop early (done gets
 * RT_OK), or a negative code to stop with that error (done gets it). Rows
 * come as the database sends them: row runs while the operation is between
 * two waits, so a slow row delays the loop. row may read the session but
 * must not start operations (rt_async_run refuses them there). done is
 * called after the last row, the statement finished. */
typedef int (*rt_async_row)(void *object, void *user);
RT_API int rt_async_query_stream(rt_async *async, rt_async_op **op, rt_query *query,
				 rt_async_row row, rt_async_done done, void *user);

/* rt_object_load: loads relationship `name` of object (a lazy load, on
 * demand; name is copied). */
RT_API int rt_async_object_load(rt_async *async, rt_async_op **op, void *object,
				const char *name, rt_async_done done, void *user);

#ifdef __cplusplus
}
#endif
#endif
