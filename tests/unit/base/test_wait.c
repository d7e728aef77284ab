/*
 * Unit tests for src/base/wait.c: a descriptor waited for by poll()
 * outside a fiber and by stopping the fiber inside one; timeouts,
 * cancellation and bad descriptors.
 */
#include <unistd.h>

#include "test.h"

#include "base/error.h"
#include "base/wait.h"

static void test_polling(void)
{
	int p[2];
	CHECK_INT(pipe(p), 0);
	/* Nothing to read yet: a timeout, after about the time asked. */
	int64_t start = rt__now_ms();
	CHECK_INT(rt__wait_fd(p[0], RT_WAIT_READ, 30), 0);
	CHECK(rt__now_ms() - start >= 25);
	/* A pipe can be written at once. */
	CHECK_INT(rt__wait_fd(p[1], RT_WAIT_WRITE, -1), RT_WAIT_WRITE);
	CHECK_INT(write(p[1], "x", 1), 1);
	CHECK_INT(rt__wait_fd(p[0], RT_WAIT_READ | RT_WAIT_WRITE, -1), RT_WAIT_READ);
	/* The writer gone: the reader wakes (and read() finds out). */
	close(p[1]);
	char c;
	CHECK_INT(read(p[0], &c, 1), 1);
	CHECK_INT(rt__wait_fd(p[0], RT_WAIT_READ, 1000), RT_WAIT_READ);
	close(p[0]);
	CHECK_INT(rt__wait_fd(-1, RT_WAIT_READ, 0), RT_EINVAL);
	CHECK_INT(rt__wait_fd(0, 0, 0), RT_EINVAL);
}

typedef struct waiter {
	int fd;
	int results[3];
} waiter;

static void wait_three_times(void *arg)
{
	waiter *w = arg;
	for (int i = 0; i < 3; i++)
		w->results[i] = rt__wait_fd(w->fd, RT_WAIT_READ, i == 1 ? 50 : -1);
}

static void test_in_fiber(void)
{
	waiter w = {7, {99, 99, 99}};
	rt_fiber *f = NULL;
	CHECK_OK(rt__fiber_new(&f, wait_three_times, &w, 0));
	CHECK(!rt__fiber_resume(f));
	/* The fiber asks for descriptor 7, readable, no deadline. */
	CHECK_INT(rt__fiber_waiting(f)->fd, 7);
	CHECK_INT(rt__fiber_waiting(f)->events, RT_WAIT_READ);
	CHECK_INT(rt__fiber_waiting(f)->deadline, -1);
	rt__fiber_wake(f, RT_WAIT_READ);
	CHECK(!rt__fiber_resume(f));
	/* The second wait has a deadline 50 ms on. */
	int64_t d = rt__fiber_waiting(f)->deadline;
	CHECK(d >= rt__now_ms() && d <= rt__now_ms() + 50);
	rt__fiber_wake(f, 0); /* the deadline passed */
	CHECK(!rt__fiber_resume(f));
	rt__fiber_wake(f, -1); /* cancelled */
	CHECK(rt__fiber_resume(f));
	CHECK_INT(w.results[0], RT_WAIT_READ);
	CHECK_INT(w.results[1], 0);
	CHECK_INT(w.results[2], RT_ECANCELED);
	rt__fiber_free(f);
}

int main(void)
{
	RT_RUN(test_polling);
	RT_RUN(test_in_fiber);
	return rt_test_done();
}
