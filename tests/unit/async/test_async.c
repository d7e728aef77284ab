/*
 * Unit tests for src/async/async.c, the scheduler of the non-blocking API,
 * driven by a small epoll loop, with operations that wait on pipes (no
 * database): many operations in flight, readiness in any order, exactly
 * one done per operation and never from inside rt_async_run, deadlines,
 * cancelling, freeing with operations in flight, operations started from
 * done, a fiber made ready from another thread, and a descriptor number
 * reused between two waits.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

#include "base/error.h"
#include "base/fiber.h"
#include "base/wait.h"
#include "retort/async.h"

/* --- a loop ----------------------------------------------------------------------- */

typedef struct loop {
	int ep;
	long timer_ms; /* -1: none */
	int64_t timer_at;
	int watched;   /* descriptors being watched */
	int calls;     /* watch callbacks */
} loop;

static void on_watch(int fd, int events, void *p)
{
	loop *l = p;
	struct epoll_event ev = {0};
	l->calls++;
	ev.data.fd = fd;
	if (events & RT_POLL_REMOVE) {
		if (epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL) == 0)
			l->watched--;
		return;
	}
	ev.events = ((events & RT_POLL_IN) ? EPOLLIN : 0) | ((events & RT_POLL_OUT) ? EPOLLOUT : 0);
	if (epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ev) != 0 &&
	    epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) == 0)
		l->watched++;
}

static void on_timer(long ms, void *p)
{
	loop *l = p;
	l->timer_ms = ms;
	l->timer_at = ms < 0 ? -1 : rt__now_ms() + ms;
}

static rt_engine *engine; /* the scheduler needs one; these tests never connect */

static rt_async *new_async(loop *l)
{
	l->ep = epoll_create1(0);
	l->timer_ms = -1;
	l->watched = 0;
	l->calls = 0;
	rt_async_callbacks cb = {RT_ASYNC_CALLBACKS_VERSION, on_watch, on_timer};
	rt_async *a = NULL;
	CHECK_OK(rt_async_new(&a, engine, &cb, l));
	return a;
}

/* One turn of the loop: waits up to the timer (at most max_ms). */
static void loop_once(loop *l, rt_async *a, int max_ms)
{
	int wait = max_ms;
	if (l->timer_ms >= 0) {
		int64_t left = l->timer_at - rt__now_ms();
		wait = left < 0 ? 0 : (left < wait ? (int)left : wait);
	}
	struct epoll_event events[64];
	int n = epoll_wait(l->ep, events, 64, wait);
	for (int i = 0; i < n; i++)
		rt_async_socket_action(a, events[i].data.fd,
				       ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) ? RT_POLL_IN : 0) |
				       ((events[i].events & EPOLLOUT) ? RT_POLL_OUT : 0));
	if (l->timer_ms >= 0 && rt__now_ms() >= l->timer_at) {
		l->timer_ms = -1; /* one-shot: the callback may ask for the next */
		rt_async_timeout(a);
	}
}

/* --- operations -------------------------------------------------------------------- */

enum { N = 200 };

typedef struct pipe_work {
	int fds[2];
	int index;
	int done_calls;
	int rc;
	char got;
} pipe_work;

static int read_pipe(void *arg)
{
	pipe_work *w = arg;
	int rc = rt__wait_fd(w->fds[0], RT_WAIT_READ, -1);
	if (rc < 0)
		return rc;
	if (read(w->fds[0], &w->got, 1) != 1)
		return rt__error_set(RT_EIO, "read");
	return w->index;
}

static bool in_run; /* rt_async_run is running: done must not be called */

static void on_done(rt_async_op *op, int rc, void *user)
{
	pipe_work *w = user;
	(void)op;
	CHECK(!in_run);
	w->done_calls++;
	w->rc = rc;
}

static int start(rt_async *a, rt_async_op **op, int (*work)(void *), pipe_work *w)
{
	in_run = true;
	int rc = rt_async_run(a, op, work, w, on_done, w);
	in_run = false;
	return rc;
}

static void test_many_in_flight(void)
{
	loop l;
	rt_async *a = new_async(&l);
	static pipe_work w[N];
	for (int i = 0; i < N; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		CHECK_INT(pipe(w[i].fds), 0);
		w[i].index = i;
		CHECK_OK(start(a, NULL, read_pipe, &w[i]));
	}
	CHECK_INT(rt_async_running(a), N);
	/* Let them all reach their wait, then wake them in a scrambled order. */
	for (int k = 0; k < 5; k++)
		loop_once(&l, a, 10);
	CHECK_INT(l.watched, N + 1); /* every pipe, and the wake descriptor */
	for (int i = 0; i < N; i++) {
		int j = (i * 7919) % N;
		CHECK_INT(write(w[j].fds[1], "x", 1), 1);
		if (i % 10 == 0)
			loop_once(&l, a, 0);
	}
	for (int k = 0; k < 100 && rt_async_running(a); k++)
		loop_once(&l, a, 10);
	CHECK_INT(rt_async_running(a), 0);
	int bad = 0;
	for (int i = 0; i < N; i++) {
		bad += w[i].done_calls != 1 || w[i].rc != i || w[i].got != 'x';
		close(w[i].fds[0]);
		close(w[i].fds[1]);
	}
	CHECK_INT(bad, 0);
	CHECK_INT(l.watched, 1); /* only the wake descriptor is left */
	rt_async_free(a);
	CHECK_INT(l.watched, 0);
	CHECK_INT(l.timer_ms, -1);
	close(l.ep);
}

static int no_wait(void *arg)
{
	(void)arg;
	return 7;
}

static int wait_deadline(void *arg)
{
	pipe_work *w = arg;
	return rt__wait_fd(w->fds[0], RT_WAIT_READ, 30); /* 0: the deadline passed */
}

static void test_deadline_and_immediate(void)
{
	loop l;
	rt_async *a = new_async(&l);
	pipe_work quick = {{-1, -1}, 0, 0, -1, 0}, timed = {{-1, -1}, 0, 0, -1, 0};
	CHECK_INT(pipe(timed.fds), 0);
	CHECK_OK(start(a, NULL, no_wait, &quick));
	CHECK_INT(quick.done_calls, 0); /* not from inside rt_async_run */
	CHECK_OK(start(a, NULL, wait_deadline, &timed));
	int64_t began = rt__now_ms();
	for (int k = 0; k < 100 && rt_async_running(a); k++)
		loop_once(&l, a, 100);
	CHECK_INT(quick.done_calls, 1);
	CHECK_INT(quick.rc, 7);
	CHECK_INT(timed.done_calls, 1);
	CHECK_INT(timed.rc, 0);
	CHECK(rt__now_ms() - began >= 25);
	rt_async_free(a);
	close(timed.fds[0]);
	close(timed.fds[1]);
	close(l.ep);
}

static void test_cancel_and_free(void)
{
	loop l;
	rt_async *a = new_async(&l);
	pipe_work w[3];
	rt_async_op *ops[3];
	for (int i = 0; i < 3; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		CHECK_INT(pipe(w[i].fds), 0);
		CHECK_OK(start(a, &ops[i], read_pipe, &w[i]));
	}
	loop_once(&l, a, 10);
	/* Cancelling: done comes later, from the loop, with RT_ECANCELED. */
	CHECK_OK(rt_async_cancel(ops[0]));
	CHECK_INT(w[0].done_calls, 0);
	for (int k = 0; k < 10 && !w[0].done_calls; k++)
		loop_once(&l, a, 10);
	CHECK_INT(w[0].done_calls, 1);
	CHECK_INT(w[0].rc, RT_ECANCELED);
	/* Freeing completes the others, inside rt_async_free. */
	CHECK_INT(rt_async_running(a), 2);
	rt_async_free(a);
	CHECK_INT(w[1].done_calls, 1);
	CHECK_INT(w[1].rc, RT_ECANCELED);
	CHECK_INT(w[2].done_calls, 1);
	CHECK_INT(l.watched, 0);
	for (int i = 0; i < 3; i++) {
		close(w[i].fds[0]);
		close(w[i].fds[1]);
	}
	close(l.ep);
}

/* Work that answers a cancelled wait with an error of its own, as a
 * driver does whose call the cancel interrupted (SQLite's interrupt gives
 * SQLITE_INTERRUPT, a killed connection a lost-connection error). */
static int read_pipe_own_error(void *arg)
{
	int rc = read_pipe(arg);
	return rc < 0 ? rt__error_set(RT_EDATABASE, "interrupted") : rc;
}

/* Starts work on a new pipe of w, lets it reach its wait, cancels it,
 * and turns the loop (at most turns times) until its done has run. */
static void run_then_cancel(loop *l, rt_async *a, int (*work)(void *), pipe_work *w,
			    int turns)
{
	rt_async_op *op = NULL;
	CHECK_INT(pipe(w->fds), 0);
	CHECK_OK(start(a, &op, work, w));
	loop_once(l, a, 10);
	CHECK_OK(rt_async_cancel(op));
	for (int k = 0; k < turns && !w->done_calls; k++)
		loop_once(l, a, 10);
}

static void test_cancel_wins_over_the_work_error(void)
{
	loop l;
	rt_async *a = new_async(&l);
	pipe_work w = {{-1, -1}, 0, 0, 0, 0};
	run_then_cancel(&l, a, read_pipe_own_error, &w, 10);
	CHECK_INT(w.done_calls, 1);
	CHECK_INT(w.rc, RT_ECANCELED);
	rt_async_free(a);
	close(w.fds[0]);
	close(w.fds[1]);
	close(l.ep);
}

/* After a cancel, a driver call (a job with an interrupt) is not started:
 * it would run as if nothing had happened (SQLite's COMMIT after the
 * cancelled INSERT). A job with no interrupt (a cancel request) runs. */
static int ran_jobs;

static int count_job(void *arg)
{
	(void)arg;
	ran_jobs++;
	return RT_OK;
}

static void no_interrupt(void *arg)
{
	(void)arg;
}

static int read_then_offload(void *arg)
{
	int rc = read_pipe(arg);
	int driver_call = rt__offload(count_job, NULL, no_interrupt, NULL);
	int cleanup = rt__offload(count_job, NULL, NULL, NULL);
	if (rc != RT_ECANCELED || driver_call != RT_ECANCELED || cleanup != RT_OK)
		return rt__error_set(RT_ERROR, "rc %d, driver call %d, clean-up %d", rc,
				     driver_call, cleanup);
	return RT_OK;
}

static void test_no_driver_call_after_cancel(void)
{
	loop l;
	rt_async *a = new_async(&l);
	pipe_work w = {{-1, -1}, 0, 0, 0, 0};
	ran_jobs = 0;
	run_then_cancel(&l, a, read_then_offload, &w, 100);
	CHECK_INT(w.done_calls, 1);
	CHECK_INT(w.rc, RT_ECANCELED);
	CHECK_INT(ran_jobs, 1); /* the clean-up job only */
	rt_async_free(a);
	close(w.fds[0]);
	close(w.fds[1]);
	close(l.ep);
}

/* A fiber waiting for no descriptor, made ready from another thread. */
static rt_fiber *parked;

static int park(void *arg)
{
	(void)arg;
	parked = rt__fiber_current();
	return rt__fiber_wait(-1, 0, -1);
}

static void *waker(void *arg)
{
	struct timespec pause = {0, 20 * 1000 * 1000};
	nanosleep(&pause, NULL);
	rt__fiber_ready(arg, 5);
	return NULL;
}

static void test_ready_from_thread(void)
{
	loop l;
	rt_async *a = new_async(&l);
	pipe_work w = {{-1, -1}, 0, 0, -1, 0};
	CHECK_OK(start(a, NULL, park, &w));
	loop_once(&l, a, 10);
	CHECK(parked != NULL);
	pthread_t t;
	CHECK_INT(pthread_create(&t, NULL, waker, parked), 0);
	for (int k = 0; k < 100 && !w.done_calls; k++)
		loop_once(&l, a, 10);
	pthread_join(t, NULL);
	CHECK_INT(w.done_calls, 1);
	CHECK_INT(w.rc, 5);
	rt_async_free(a);
	close(l.ep);
}

/* done starts the next operation: a chain of 50. */
typedef struct chain {
	rt_async *a;
	int left;
	int finished;
} chain;

static void chain_done(rt_async_op *op, int rc, void *user);

static int chain_step(void *arg)
{
	(void)arg;
	return RT_OK;
}

static void chain_done(rt_async_op *op, int rc, void *user)
{
	chain *c = user;
	(void)op;
	CHECK_OK(rc);
	c->finished++;
	if (--c->left > 0)
		CHECK_OK(rt_async_run(c->a, NULL, chain_step, c, chain_done, c));
}

static void test_chain(void)
{
	loop l;
	rt_async *a = new_async(&l);
	chain c = {a, 50, 0};
	CHECK_OK(rt_async_run(a, NULL, chain_step, &c, chain_done, &c));
	for (int k = 0; k < 200 && rt_async_running(a); k++)
		loop_once(&l, a, 10);
	CHECK_INT(c.finished, 50);
	rt_async_free(a);
	close(l.ep);
}

static void test_bad_calls(void)
{
	rt_async *a = NULL;
	rt_async_callbacks cb = {RT_ASYNC_CALLBACKS_VERSION, on_watch, NULL};
	CHECK_INT(rt_async_new(&a, engine, &cb, NULL), RT_EINVAL);
	CHECK(a == NULL);
	cb.timer = on_timer;
	cb.version = 99;
	CHECK_INT(rt_async_new(&a, engine, &cb, NULL), RT_EINVAL);
	CHECK_INT(rt_async_run(NULL, NULL, no_wait, NULL, NULL, NULL), RT_EINVAL);
	CHECK_INT(rt_async_cancel(NULL), RT_EINVAL);
	rt_async_free(NULL);
}

/* A descriptor closed and opened again under the same number between two
 * waits (a connection lost and another one made, in one turn): the loop
 * watches the new one, although the number and the events are the same
 * (epoll forgets a closed descriptor by itself). A new descriptor's waits
 * say so (RT_WAIT_NEW), as the drivers' waits while connecting do. */
static int reuse_number(void *arg)
{
	int *got = arg;
	int first[2], second[2];
	if (pipe(first) != 0)
		return rt__error_set(RT_EIO, "pipe");
	int rc = rt__wait_fd(first[0], RT_WAIT_READ, 20); /* times out */
	int number = first[0];
	close(first[0]);
	close(first[1]);
	if (rc != 0 || pipe(second) != 0)
		return rt__error_set(RT_ERROR, "first wait: %d", rc);
	if (second[0] != number) {
		close(second[0]);
		close(second[1]);
		return rt__error_set(RT_ERROR, "the number was not reused");
	}
	char byte = 'x';
	if (write(second[1], &byte, 1) != 1)
		rc = rt__error_set(RT_EIO, "write");
	else
		*got = rt__wait_fd(second[0], RT_WAIT_READ | RT_WAIT_NEW, 3000);
	close(second[0]);
	close(second[1]);
	return rc;
}

static void test_descriptor_number_reused(void)
{
	loop l;
	rt_async *a = new_async(&l);
	int got = -99;
	pipe_work w = {{-1, -1}, 0, 0, 0, 0};
	in_run = true;
	CHECK_OK(rt_async_run(a, NULL, reuse_number, &got, on_done, &w));
	in_run = false;
	int64_t began = rt__now_ms();
	while (rt_async_running(a) && rt__now_ms() - began < 10000)
		loop_once(&l, a, 100);
	CHECK_INT(w.done_calls, 1);
	CHECK_INT(w.rc, RT_OK);
	CHECK_INT(got, RT_WAIT_READ); /* 0: it waited the 3 s out, unwatched */
	CHECK(rt__now_ms() - began < 1500);
	rt_async_free(a);
	close(l.ep);
}

/* Waits one after another on a descriptor the loop watches already: the
 * loop is told once, not at every wait (a system call per descriptor and
 * turn in a busy service). */
static int wait_often(void *arg)
{
	int *fds = arg;
	char byte = 'x';
	for (int i = 0; i < 20; i++) {
		if (write(fds[1], &byte, 1) != 1)
			return rt__error_set(RT_EIO, "write");
		if (rt__wait_fd(fds[0], RT_WAIT_READ, 3000) != RT_WAIT_READ)
			return rt__error_set(RT_ERROR, "wait %d", i);
		if (read(fds[0], &byte, 1) != 1)
			return rt__error_set(RT_EIO, "read");
	}
	return RT_OK;
}

static int wait_apart(void *arg)
{
	int *fds = arg;
	return rt__wait_fd(fds[0], RT_WAIT_READ, 3000) == RT_WAIT_READ ? RT_OK
								  : rt__error_set(RT_ERROR, "wait");
}

static void test_watched_once(void)
{
	loop l;
	rt_async *a = new_async(&l);
	int fds[2];
	CHECK(pipe(fds) == 0);
	pipe_work w = {{-1, -1}, 0, 0, 0, 0}, w2 = {{-1, -1}, 0, 0, 0, 0};
	/* A second operation keeps the descriptor wanted between the first
	 * one's waits. */
	CHECK_OK(rt_async_run(a, NULL, wait_apart, fds, on_done, &w2));
	CHECK_OK(rt_async_run(a, NULL, wait_often, fds, on_done, &w));
	int64_t began = rt__now_ms();
	while (rt_async_running(a) && rt__now_ms() - began < 10000)
		loop_once(&l, a, 100);
	CHECK_INT(w.done_calls, 1);
	CHECK_INT(w.rc, RT_OK);
	CHECK_INT(w2.rc, RT_OK);
	/* added once, removed once; not told of the same wait again */
	CHECK(l.calls <= 3);
	rt_async_free(a);
	close(fds[0]);
	close(fds[1]);
	close(l.ep);
}

int main(void)
{
	if (rt_engine_open(&engine, "sqlite://", NULL) != RT_OK) {
		fprintf(stderr, "engine: %s\n", rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_many_in_flight);
	RT_RUN(test_deadline_and_immediate);
	RT_RUN(test_cancel_and_free);
	RT_RUN(test_cancel_wins_over_the_work_error);
	RT_RUN(test_no_driver_call_after_cancel);
	RT_RUN(test_ready_from_thread);
	RT_RUN(test_chain);
	RT_RUN(test_bad_calls);
	RT_RUN(test_descriptor_number_reused);
	RT_RUN(test_watched_once);
	rt_engine_free(engine);
	return rt_test_done();
}
