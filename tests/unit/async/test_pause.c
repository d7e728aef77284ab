/*
 * Unit tests of waits with no descriptor under the scheduler: rt__sleep_ms
 * (base/wait.c) outside a fiber and inside an operation (the loop goes on
 * while it sleeps; a cancel ends it at once; it lasts its time), and a
 * job of the engine's worker threads that ends before its fiber stops,
 * which must leave no wake-up behind for the fiber's next wait.
 */
#include <string.h>
#include <unistd.h>

#include "test.h"

#include "base/error.h"
#include "base/fiber.h"
#include "base/wait.h"
#include "retort/async_epoll.h"

static rt_engine *engine; /* SQLite: its operations run jobs on worker threads */

typedef struct op_result {
	int calls;
	int rc;
} op_result;

static void on_done(rt_async_op *op, int rc, void *user)
{
	op_result *r = user;
	(void)op;
	r->calls++;
	r->rc = rc;
}

static void run_until(rt_epoll_loop *l, const int *flag, int64_t limit_ms)
{
	int64_t began = rt__now_ms();
	while (!*flag && rt__now_ms() - began < limit_ms)
		rt_epoll_loop_run_once(l, 20);
}

static rt_async *open_loop(rt_epoll_loop *l)
{
	rt_async *a = NULL;
	CHECK_INT(rt_epoll_loop_init(l), 0);
	CHECK_OK(rt_async_new(&a, engine, &l->callbacks, l));
	l->async = a;
	return a;
}

static void close_loop(rt_epoll_loop *l, rt_async *a)
{
	rt_async_free(a);
	rt_epoll_loop_close(l);
}

static void test_outside_a_fiber(void)
{
	int64_t began = rt__now_ms();
	CHECK_OK(rt__sleep_ms(30));
	CHECK(rt__now_ms() - began >= 29);
	CHECK_OK(rt__sleep_ms(0));
	CHECK_OK(rt__sleep_ms(-5));
}

/* Sleeps 100 ms and says how long it took. */
static int sleep_100(void *arg)
{
	int64_t *took = arg;
	int64_t began = rt__now_ms();
	int rc = rt__sleep_ms(100);
	*took = rt__now_ms() - began;
	return rc;
}

/* Sleeps a minute (unless cancelled) and says how long it took. */
static int sleep_long(void *arg)
{
	int64_t *took = arg;
	int64_t began = rt__now_ms();
	int rc = rt__sleep_ms(60000);
	*took = rt__now_ms() - began;
	return rc;
}

/* Counts the loop's turns while it runs. */
static int count_turns(void *arg)
{
	int *turns = arg;
	for (int i = 0; i < 10; i++) {
		int rc = rt__sleep_ms(5);
		if (rc < 0)
			return rc;
		(*turns)++;
	}
	return RT_OK;
}

static void test_in_an_operation(void)
{
	rt_epoll_loop l;
	rt_async *a = open_loop(&l);
	int64_t took = 0;
	int turns = 0;
	op_result slept = {0}, counted = {0};
	CHECK_OK(rt_async_run(a, NULL, sleep_100, &took, on_done, &slept));
	CHECK_OK(rt_async_run(a, NULL, count_turns, &turns, on_done, &counted));
	run_until(&l, &slept.calls, 5000);
	CHECK_INT(slept.rc, RT_OK);
	CHECK(took >= 99);
	/* The other operation ran while the first slept. */
	CHECK_INT(counted.calls, 1);
	CHECK_INT(turns, 10);
	close_loop(&l, a);
}

static void test_cancel(void)
{
	rt_epoll_loop l;
	rt_async *a = open_loop(&l);
	int64_t took = 0;
	op_result slept = {0};
	rt_async_op *op = NULL;
	/* A minute's sleep, cancelled: it ends long before the minute is
	 * up, however slow the machine (valgrind, a loaded CI host), which
	 * is what tells a cancelled sleep from one that ran out. */
	CHECK_OK(rt_async_run(a, &op, sleep_long, &took, on_done, &slept));
	for (int i = 0; i < 3; i++)
		rt_epoll_loop_run_once(&l, 0);
	int64_t began = rt__now_ms();
	CHECK_OK(rt_async_cancel(op));
	run_until(&l, &slept.calls, 30000);
	CHECK_INT(slept.rc, RT_ECANCELED);
	CHECK(rt__now_ms() - began < 30000);
	CHECK(took < 30000);
	close_loop(&l, a);
}

static int nothing(void *arg)
{
	(void)arg;
	return RT_OK;
}

/* Many times: a job too short to make its fiber wait long (it may end
 * before the fiber stops), then a wait for a pipe nobody writes, which
 * must time out: a wake-up the job left behind would end it early with
 * an event that never came. */
static int job_then_wait(void *arg)
{
	int *spurious = arg;
	int p[2];
	if (pipe(p) != 0)
		return RT_EIO;
	int rc = RT_OK;
	for (int i = 0; i < 300 && rc == RT_OK; i++) {
		rc = rt__offload(nothing, NULL, NULL, NULL);
		int got = rc == RT_OK ? rt__wait_fd(p[0], RT_WAIT_READ, 1) : 0;
		if (got < 0)
			rc = got;
		else if (got > 0)
			(*spurious)++;
	}
	close(p[0]);
	close(p[1]);
	return rc;
}

static void test_job_leaves_no_wake_up(void)
{
	rt_epoll_loop l;
	rt_async *a = open_loop(&l);
	int spurious[4] = {0};
	op_result r[4] = {{0}};
	for (int i = 0; i < 4; i++)
		CHECK_OK(rt_async_run(a, NULL, job_then_wait, &spurious[i], on_done, &r[i]));
	for (int i = 0; i < 4; i++) {
		run_until(&l, &r[i].calls, 30000);
		CHECK_INT(r[i].rc, RT_OK);
		CHECK_INT(spurious[i], 0);
	}
	close_loop(&l, a);
}

int main(void)
{
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.pool_size = 4;
	if (rt_engine_open(&engine, "sqlite://", &options) != RT_OK) {
		fprintf(stderr, "%s\n", rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_outside_a_fiber);
	RT_RUN(test_in_an_operation);
	RT_RUN(test_cancel);
	RT_RUN(test_job_leaves_no_wake_up);
	rt_engine_free(engine);
	return rt_test_done();
}
