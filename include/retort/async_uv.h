/*
 * retort/async_uv.h - rt_async on a libuv loop.
 *
 * Header-only like async_epoll.h: the functions are static inline, so
 * libretort does not depend on libuv; a program that uses this file links
 * libuv itself (pkg-config libuv). One uv_poll_t per descriptor retort
 * asks to watch, one uv_timer_t for its timer:
 *
 *     rt_uv_loop loop;
 *     rt_async *async;
 *     rt_uv_loop_init(&loop, uv_default_loop());
 *     rt_async_new(&async, engine, &loop.callbacks, &loop);
 *     loop.async = async;
 *     rt_async_run(async, NULL, work, arg, done, user);
 *     uv_run(uv_default_loop(), UV_RUN_DEFAULT);   (returns when idle)
 *     rt_async_free(async);
 *     rt_uv_loop_close(&loop);
 *     uv_run(uv_default_loop(), UV_RUN_DEFAULT);   (runs the close callbacks)
 *     uv_loop_close(uv_default_loop());
 *
 * The handles are active only while retort waits for something, so
 * uv_run(UV_RUN_DEFAULT) returns once no operation is in flight (and the
 * program has nothing else going). rt_uv_loop_close closes every handle
 * with uv_close; their memory is freed by the close callbacks, which run
 * at the loop's next turn: run the loop once more before uv_loop_close.
 *
 * Ownership: the descriptors are retort's (or its drivers'); the adapter
 * never closes them, only the libuv handles watching them.
 */
#ifndef RETORT_ASYNC_UV_H
#define RETORT_ASYNC_UV_H

#include <stdlib.h>
#include <uv.h>

#include "retort/async.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rt_uv_loop rt_uv_loop;

/* One watched descriptor. */
typedef struct rt_uv_poll {
	uv_poll_t handle;          /* handle.data: the rt_uv_poll itself */
	int fd;
	rt_uv_loop *owner;
	struct rt_uv_poll *next;   /* in owner->polls */
} rt_uv_poll;

struct rt_uv_loop {
	uv_loop_t *uv;
	rt_async *async;                 /* set after rt_async_new */
	rt_async_callbacks callbacks;    /* to hand to rt_async_new */
	uv_timer_t timer;                /* timer.data: the rt_uv_loop */
	rt_uv_poll *polls;               /* the descriptors being watched */
	int watch_errors;                /* descriptors libuv refused to watch */
};

static inline void rt_uv_loop_free_poll(uv_handle_t *handle)
{
	free(handle->data);
}

/* Stops watching p and closes its handle (freed by the close callback). */
static inline void rt_uv_loop_drop(rt_uv_loop *loop, rt_uv_poll *p)
{
	rt_uv_poll **at = &loop->polls;
	while (*at && *at != p)
		at = &(*at)->next;
	if (*at)
		*at = p->next;
	uv_poll_stop(&p->handle);
	uv_close((uv_handle_t *)&p->handle, rt_uv_loop_free_poll);
}

static inline void rt_uv_loop_on_poll(uv_poll_t *handle, int status, int events)
{
	rt_uv_poll *p = (rt_uv_poll *)handle->data;
	rt_uv_loop *loop = p->owner;
	/* An error on the descriptor wakes a reader and a writer alike: the
	 * driver's next call finds out what happened. */
	int what = status < 0 ? (RT_POLL_IN | RT_POLL_OUT)
			      : ((events & (UV_READABLE | UV_DISCONNECT)) ? RT_POLL_IN : 0) |
					((events & UV_WRITABLE) ? RT_POLL_OUT : 0);
	if (loop->async)
		rt_async_socket_action(loop->async, p->fd, what);
}

/* rt_async's watch callback: add, change or remove fd. Each call starts
 * the handle again (libuv removes and adds the descriptor to its poller),
 * which is what a descriptor closed and reused under the same number
 * needs. */
static inline void rt_uv_loop_watch(int fd, int events, void *data)
{
	rt_uv_loop *loop = (rt_uv_loop *)data;
	rt_uv_poll *p = loop->polls;
	while (p && p->fd != fd)
		p = p->next;
	if (events & RT_POLL_REMOVE) {
		if (p)
			rt_uv_loop_drop(loop, p);
		return;
	}
	if (!p) {
		p = (rt_uv_poll *)calloc(1, sizeof(*p));
		if (!p) {
			loop->watch_errors++; /* its deadline, if any, still runs */
			return;
		}
		if (uv_poll_init(loop->uv, &p->handle, fd) != 0) {
			/* A descriptor libuv cannot poll (a regular file): as
			 * with epoll, only its deadline will wake its waiter. */
			free(p);
			loop->watch_errors++;
			return;
		}
		p->handle.data = p;
		p->fd = fd;
		p->owner = loop;
		p->next = loop->polls;
		loop->polls = p;
	}
	int want = ((events & RT_POLL_IN) ? UV_READABLE : 0) |
		   ((events & RT_POLL_OUT) ? UV_WRITABLE : 0);
	if (uv_poll_start(&p->handle, want, rt_uv_loop_on_poll) != 0) {
		loop->watch_errors++;
		rt_uv_loop_drop(loop, p);
	}
}

static inline void rt_uv_loop_on_timer(uv_timer_t *timer)
{
	rt_uv_loop *loop = (rt_uv_loop *)timer->data;
	/* One-shot: the call may ask for the next. */
	if (loop->async)
		rt_async_timeout(loop->async);
}

/* rt_async's timer callback: one timer, replaced by each call. */
static inline void rt_uv_loop_timer(long timeout_ms, void *data)
{
	rt_uv_loop *loop = (rt_uv_loop *)data;
	if (timeout_ms < 0) {
		uv_timer_stop(&loop->timer);
		return;
	}
	/* libuv counts from the time it cached at its last turn; this call
	 * may come from the program's code long after it (rt_async_run). */
	uv_update_time(loop->uv);
	uv_timer_start(&loop->timer, rt_uv_loop_on_timer, (uint64_t)timeout_ms, 0);
}

/* 0, or a libuv error code (negative). */
static inline int rt_uv_loop_init(rt_uv_loop *loop, uv_loop_t *uv)
{
	loop->uv = uv;
	loop->async = NULL;
	loop->callbacks.version = RT_ASYNC_CALLBACKS_VERSION;
	loop->callbacks.watch = rt_uv_loop_watch;
	loop->callbacks.timer = rt_uv_loop_timer;
	loop->polls = NULL;
	loop->watch_errors = 0;
	int rc = uv_timer_init(uv, &loop->timer);
	loop->timer.data = loop;
	return rc;
}

/* Closes every handle (after rt_async_free, which stops every watch: any
 * still here are closed all the same). Their memory is freed by the close
 * callbacks, at the libuv loop's next turn. loop itself must stay valid
 * until then (the timer is a member). */
static inline void rt_uv_loop_close(rt_uv_loop *loop)
{
	while (loop->polls)
		rt_uv_loop_drop(loop, loop->polls);
	if (!uv_is_closing((uv_handle_t *)&loop->timer))
		uv_close((uv_handle_t *)&loop->timer, NULL);
	loop->async = NULL;
}

#ifdef __cplusplus
}
#endif
#endif
