/*
 * async_loop.h - the event loop the non-blocking API's tests run on: one
 * of the shipped adapters, chosen at compile time. Each test_async*.c is
 * built once for the epoll adapter (orm_async...) and once with
 * RETORT_TEST_LOOP_UV for the libuv one (orm_async..._uv, when libuv is
 * found), so the same workload runs on both.
 *
 *   new_async(&l, engine)   a loop and an rt_async on it
 *   loop_once(&l, a)        one turn of the loop, waiting at most 100 ms
 *   loop_close(&l)          after rt_async_free: the loop's resources gone
 */
#ifndef RT_TEST_ASYNC_LOOP_H
#define RT_TEST_ASYNC_LOOP_H

#include <string.h>

#include "retort/async.h"
#include "test.h"

#ifdef RETORT_TEST_LOOP_UV
#include "retort/async_uv.h"

static void bound_fired(uv_timer_t *timer)
{
	(void)timer;
}

typedef struct loop {
	uv_loop_t uv;
	rt_uv_loop adapter;
	long turns;
} loop;

static void loop_once(loop *l, rt_async *a)
{
	/* UV_RUN_ONCE blocks until something happens; a 100 ms timer of the
	 * test's own bounds it like the epoll loop's max_ms. */
	uv_timer_t bound;
	(void)a;
	/* libuv counts a timer from the time it cached at its last turn:
	 * the test may have spent long since, in blocking calls. */
	uv_update_time(&l->uv);
	uv_timer_init(&l->uv, &bound);
	uv_timer_start(&bound, bound_fired, 100, 0);
	uv_run(&l->uv, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&bound, NULL);
	uv_run(&l->uv, UV_RUN_NOWAIT);
	l->turns++;
}

static rt_async *new_async(loop *l, rt_engine *engine)
{
	memset(l, 0, sizeof(*l));
	CHECK_INT(uv_loop_init(&l->uv), 0);
	CHECK_INT(rt_uv_loop_init(&l->adapter, &l->uv), 0);
	rt_async *a = NULL;
	CHECK_OK(rt_async_new(&a, engine, &l->adapter.callbacks, &l->adapter));
	l->adapter.async = a;
	return a;
}

/* After rt_async_free: every handle closed and freed, the loop closed
 * cleanly (uv_loop_close fails while a handle is open). */
static void loop_close(loop *l)
{
	rt_uv_loop_close(&l->adapter);
	uv_run(&l->uv, UV_RUN_DEFAULT);
	CHECK_INT(uv_loop_close(&l->uv), 0);
	CHECK_INT(l->adapter.watch_errors, 0);
}
#else
#include "retort/async_epoll.h"

typedef struct loop {
	rt_epoll_loop epoll;
	long turns;
} loop;

static void loop_once(loop *l, rt_async *a)
{
	(void)a;
	rt_epoll_loop_run_once(&l->epoll, 100);
	l->turns++;
}

static rt_async *new_async(loop *l, rt_engine *engine)
{
	memset(l, 0, sizeof(*l));
	CHECK_INT(rt_epoll_loop_init(&l->epoll), 0);
	rt_async *a = NULL;
	CHECK_OK(rt_async_new(&a, engine, &l->epoll.callbacks, &l->epoll));
	l->epoll.async = a;
	return a;
}

static void loop_close(loop *l)
{
	rt_epoll_loop_close(&l->epoll);
}
#endif

#endif
