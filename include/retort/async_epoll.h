/*
 * retort/async_epoll.h - rt_async on a plain epoll loop (Linux), for a
 * program that has no loop of its own yet or wants the smallest one.
 *
 * Header-only: the functions are static inline, so libretort does not
 * depend on this loop, and the code is the documentation of what any
 * other loop's adapter does (docs/async.md, "Plugging in a loop"):
 *
 *     rt_epoll_loop loop;
 *     rt_async *async;
 *     rt_epoll_loop_init(&loop);
 *     rt_async_new(&async, engine, &loop.callbacks, &loop);
 *     loop.async = async;
 *     rt_async_run(async, NULL, work, arg, done, user);
 *     while (rt_async_running(async))
 *         rt_epoll_loop_run_once(&loop, -1);
 *     rt_async_free(async);
 *     rt_epoll_loop_close(&loop);
 *
 * A program with descriptors of its own adds them to loop.epoll_fd with
 * data.fd set and handles the events rt_epoll_loop_run_once hands back
 * through its `other` callback.
 */
#ifndef RETORT_ASYNC_EPOLL_H
#define RETORT_ASYNC_EPOLL_H

#include <errno.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "retort/async.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rt_epoll_loop {
	int epoll_fd;
	rt_async *async;                 /* set after rt_async_new */
	rt_async_callbacks callbacks;    /* to hand to rt_async_new */
	long long timer_at;              /* monotonic ms, or -1 */
	/* Called with events on descriptors the program added itself. */
	void (*other)(int fd, unsigned int events, void *user);
	void *other_user;
} rt_epoll_loop;

static inline long long rt_epoll_loop_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* rt_async's watch callback: add, change or remove fd. */
static inline void rt_epoll_loop_watch(int fd, int events, void *p)
{
	rt_epoll_loop *loop = (rt_epoll_loop *)p;
	struct epoll_event ev;
	ev.data.u64 = 0;
	ev.data.fd = fd;
	if (events & RT_POLL_REMOVE) {
		epoll_ctl(loop->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
		return;
	}
	ev.events = ((events & RT_POLL_IN) ? EPOLLIN : 0u) | ((events & RT_POLL_OUT) ? EPOLLOUT : 0u);
	if (epoll_ctl(loop->epoll_fd, EPOLL_CTL_MOD, fd, &ev) != 0 && errno == ENOENT)
		epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* rt_async's timer callback: one timer, replaced by each call. */
static inline void rt_epoll_loop_timer(long timeout_ms, void *p)
{
	rt_epoll_loop *loop = (rt_epoll_loop *)p;
	loop->timer_at = timeout_ms < 0 ? -1 : rt_epoll_loop_now_ms() + timeout_ms;
}

/* 0, or -1 with errno set. */
static inline int rt_epoll_loop_init(rt_epoll_loop *loop)
{
	loop->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	loop->async = NULL;
	loop->callbacks.version = RT_ASYNC_CALLBACKS_VERSION;
	loop->callbacks.watch = rt_epoll_loop_watch;
	loop->callbacks.timer = rt_epoll_loop_timer;
	loop->timer_at = -1;
	loop->other = NULL;
	loop->other_user = NULL;
	return loop->epoll_fd < 0 ? -1 : 0;
}

/* Waits for events or the timer (at most max_ms; -1: no limit but the
 * timer) and hands them to rt_async. Returns the events handled, or -1
 * with errno set. */
static inline int rt_epoll_loop_run_once(rt_epoll_loop *loop, int max_ms)
{
	int wait = max_ms;
	if (loop->timer_at >= 0) {
		long long left = loop->timer_at - rt_epoll_loop_now_ms();
		if (left < 0)
			left = 0;
		if (wait < 0 || left < wait)
			wait = (int)left;
	}
	struct epoll_event events[64];
	int n = epoll_wait(loop->epoll_fd, events, 64, wait);
	if (n < 0 && errno != EINTR)
		return -1;
	for (int i = 0; i < n; i++) {
		int fd = events[i].data.fd;
		unsigned int e = events[i].events;
		int what = ((e & (EPOLLIN | EPOLLHUP | EPOLLERR)) ? RT_POLL_IN : 0) |
			   ((e & (EPOLLOUT | EPOLLHUP | EPOLLERR)) ? RT_POLL_OUT : 0);
		if (loop->other && loop->async && !rt_async_owns_fd(loop->async, fd))
			loop->other(fd, e, loop->other_user);
		else if (loop->async)
			rt_async_socket_action(loop->async, fd, what);
	}
	if (loop->timer_at >= 0 && rt_epoll_loop_now_ms() >= loop->timer_at) {
		loop->timer_at = -1; /* one-shot: the call may ask for the next */
		if (loop->async)
			rt_async_timeout(loop->async);
	}
	return n < 0 ? 0 : n;
}

static inline void rt_epoll_loop_close(rt_epoll_loop *loop)
{
	if (loop->epoll_fd >= 0)
		close(loop->epoll_fd);
	loop->epoll_fd = -1;
}

#ifdef __cplusplus
}
#endif
#endif
