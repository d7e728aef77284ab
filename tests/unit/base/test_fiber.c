/*
 * Unit tests for src/base/fiber.c: fibers that stop and resume, many at
 * once interleaved, deep recursion on their own stacks, what a waiting
 * fiber asks for, fibers on several threads, fibers never started and
 * reused, and what a switch must keep: values held in registers on both
 * sides, and each side's floating-point rounding mode. The same file is
 * built a second time with the ucontext switch forced (the test
 * unit_base_test_fiber_ucontext), so both switches pass it.
 * The sanitizer and valgrind passes run this file too: a switch they were
 * not told about shows up there as a false error.
 */
#include <fenv.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

#include "base/error.h"
#include "base/fiber.h"

typedef struct counter {
	int steps;   /* how many times to wait */
	int done;    /* steps taken */
	int woken;   /* sum of what the waits returned */
} counter;

static void count_up(void *arg)
{
	counter *c = arg;
	for (int i = 0; i < c->steps; i++) {
		c->woken += rt__fiber_wait(i, RT_WAIT_READ, -1);
		c->done++;
	}
}

static void test_resume_and_wait(void)
{
	counter c = {3, 0, 0};
	rt_fiber *f = NULL;
	CHECK_OK(rt__fiber_new(&f, count_up, &c, 0));
	CHECK(rt__fiber_current() == NULL);
	CHECK(!rt__fiber_resume(f)); /* runs to its first wait */
	CHECK_INT(c.done, 0);
	CHECK_INT(rt__fiber_waiting(f)->fd, 0);
	CHECK_INT(rt__fiber_waiting(f)->events, RT_WAIT_READ);
	rt__fiber_wake(f, 5);
	CHECK(!rt__fiber_resume(f));
	CHECK_INT(c.done, 1);
	CHECK_INT(rt__fiber_waiting(f)->fd, 1);
	rt__fiber_wake(f, 7);
	CHECK(!rt__fiber_resume(f));
	CHECK(rt__fiber_resume(f)); /* the last wait returns 0: not woken */
	CHECK_INT(c.done, 3);
	CHECK_INT(c.woken, 12);
	CHECK(rt__fiber_resume(f)); /* finished stays finished */
	rt__fiber_free(f);
	/* Waiting outside a fiber is an error, not a crash. */
	CHECK_INT(rt__fiber_wait(0, RT_WAIT_READ, -1), RT_EINVAL);
}

/* A thousand fibers stopped at once, resumed round-robin. */
static void test_many_interleaved(void)
{
	enum { N = 1000 };
	static counter c[N];
	static rt_fiber *f[N];
	for (int i = 0; i < N; i++) {
		c[i] = (counter){1 + i % 5, 0, 0};
		CHECK_OK(rt__fiber_new(&f[i], count_up, &c[i], 64 * 1024));
	}
	int finished = 0;
	while (finished < N) {
		for (int i = 0; i < N; i++) {
			if (!f[i])
				continue;
			rt__fiber_wake(f[i], 1);
			if (rt__fiber_resume(f[i])) {
				rt__fiber_free(f[i]);
				f[i] = NULL;
				finished++;
			}
		}
	}
	int bad = 0;
	for (int i = 0; i < N; i++)
		bad += c[i].done != 1 + i % 5 || c[i].woken != c[i].done;
	CHECK_INT(bad, 0);
}

/* Recursion that needs most of a 256 KiB stack, with a wait at the bottom. */
static int depth_sum(int depth)
{
	volatile char frame[512];
	memset((char *)frame, depth & 0xff, sizeof(frame));
	if (depth == 0)
		return rt__fiber_wait(-1, 0, -1);
	int below = depth_sum(depth - 1);
	/* Every frame is intact after the wait: 1000 per one that is not. */
	return below + (frame[depth % 512] == (char)(depth & 0xff) ? 0 : 1000);
}

static void deep(void *arg)
{
	*(int *)arg = depth_sum(300);
}

static void test_deep_stack(void)
{
	int result = -1;
	rt_fiber *f = NULL;
	CHECK_OK(rt__fiber_new(&f, deep, &result, 0));
	CHECK(!rt__fiber_resume(f));
	CHECK_INT(rt__fiber_waiting(f)->fd, -1);
	rt__fiber_wake(f, 42);
	CHECK(rt__fiber_resume(f));
	CHECK_INT(result, 42);
	rt__fiber_free(f);
}

static void test_never_started(void)
{
	counter c = {1, 0, 0};
	rt_fiber *f = NULL;
	CHECK_OK(rt__fiber_new(&f, count_up, &c, 0));
	rt__fiber_free(f);
	rt__fiber_free(NULL);
	CHECK_INT(rt__fiber_new(&f, NULL, NULL, 0), RT_EINVAL);
	CHECK(f == NULL);
}

/* Each fiber reads its own last error after a wait, whatever the others
 * recorded meanwhile; the resumer's record is its own too. */
static void fail_then_wait(void *arg)
{
	int n = *(int *)arg;
	rt__error_set(RT_ENOTFOUND, "fiber %d failed", n);
	rt__fiber_wait(-1, 0, -1);
	char expected[32];
	snprintf(expected, sizeof(expected), "fiber %d failed", n);
	*(int *)arg = strcmp(rt_error_last()->message, expected) == 0 &&
		      rt_error_last()->code == RT_ENOTFOUND;
}

static void test_errors_per_fiber(void)
{
	int a = 1, b = 2;
	rt_fiber *fa = NULL, *fb = NULL;
	rt__error_set(RT_EINVAL, "the loop's own");
	CHECK_OK(rt__fiber_new(&fa, fail_then_wait, &a, 0));
	CHECK_OK(rt__fiber_new(&fb, fail_then_wait, &b, 0));
	rt__fiber_resume(fa);
	rt__fiber_resume(fb);
	CHECK_STR(rt_error_last()->message, "the loop's own");
	CHECK(rt__fiber_resume(fa));
	CHECK(rt__fiber_resume(fb));
	CHECK_INT(a, 1);
	CHECK_INT(b, 1);
	/* A fiber's error handed to the resumer. */
	rt__error_state_copy_to_current(rt__fiber_errors(fb));
	CHECK_STR(rt_error_last()->message, "fiber 2 failed");
	CHECK_INT(rt_error_last()->code, RT_ENOTFOUND);
	rt__fiber_free(fa);
	rt__fiber_free(fb);
}

/* Values live in registers across waits, on the fiber's side and on the
 * resumer's: a switch that lost a callee-saved register breaks the sums. */
typedef struct sums {
	unsigned long i;
	double d;
} sums;

static void sum_across_waits(void *arg)
{
	sums *out = arg;
	unsigned long a = 1, b = 2, c = 3, d = 5, e = 7, g = 11;
	double x = 0.5, y = 0.25;
	for (int k = 0; k < 50; k++) {
		rt__fiber_wait(-1, 0, -1);
		a += b; b += c; c += d; d += e; e += g; g += a;
		x = x * 1.5 + y; y = y * 0.5 + 1.0;
	}
	out->i = a ^ b ^ c ^ d ^ e ^ g;
	out->d = x + y;
}

static void sums_plain(sums *out)
{
	unsigned long a = 1, b = 2, c = 3, d = 5, e = 7, g = 11;
	double x = 0.5, y = 0.25;
	for (int k = 0; k < 50; k++) {
		a += b; b += c; c += d; d += e; e += g; g += a;
		x = x * 1.5 + y; y = y * 0.5 + 1.0;
	}
	out->i = a ^ b ^ c ^ d ^ e ^ g;
	out->d = x + y;
}

static void test_registers_kept(void)
{
	enum { N = 4 };
	sums got[N], want;
	rt_fiber *f[N];
	for (int i = 0; i < N; i++)
		CHECK_OK(rt__fiber_new(&f[i], sum_across_waits, &got[i], 0));
	unsigned long p = 3, q = 4, r = 5; /* the resumer's own, across its resumes */
	bool done = false;
	while (!done) {
		done = true;
		for (int i = 0; i < N; i++) {
			done &= rt__fiber_resume(f[i]);
			p += q; q += r; r += p;
		}
	}
	unsigned long pp = 3, qq = 4, rr = 5;
	for (int k = 0; k < 51 * N; k++) {
		pp += qq; qq += rr; rr += pp;
	}
	CHECK(p == pp && q == qq && r == rr);
	sums_plain(&want);
	for (int i = 0; i < N; i++) {
		CHECK(got[i].i == want.i);
		CHECK(got[i].d == want.d);
		rt__fiber_free(f[i]);
	}
}

/* A rounding mode set inside a fiber stays the fiber's; the resumer's
 * stays the resumer's. */
static void round_upward(void *arg)
{
	int *seen = arg;
	fesetround(FE_UPWARD);
	rt__fiber_wait(-1, 0, -1);
	*seen = fegetround();
}

static void test_rounding_per_side(void)
{
	int seen = -1;
	rt_fiber *f = NULL;
	CHECK_INT(fegetround(), FE_TONEAREST);
	CHECK_OK(rt__fiber_new(&f, round_upward, &seen, 0));
	CHECK(!rt__fiber_resume(f));
	CHECK_INT(fegetround(), FE_TONEAREST);
	CHECK(rt__fiber_resume(f));
	CHECK_INT(seen, FE_UPWARD);
	CHECK_INT(fegetround(), FE_TONEAREST);
	rt__fiber_free(f);
}

/* A finished fiber runs again after a reset, on the same stack; a fiber
 * stopped midway is not reset. */
static void test_reset(void)
{
	counter c1 = {2, 0, 0}, c2 = {1, 0, 0};
	rt_fiber *f = NULL;
	CHECK_OK(rt__fiber_new(&f, count_up, &c1, 0));
	CHECK(!rt__fiber_resume(f));
	CHECK_INT(rt__fiber_reset(f, count_up, &c2), RT_EINVAL);
	while (!rt__fiber_resume(f))
		rt__fiber_wake(f, 1);
	CHECK_INT(c1.done, 2);
	CHECK_OK(rt__fiber_reset(f, count_up, &c2));
	CHECK(!rt__fiber_resume(f));
	rt__fiber_wake(f, 9);
	CHECK(rt__fiber_resume(f));
	CHECK_INT(c2.done, 1);
	CHECK_INT(c2.woken, 9);
	rt__fiber_free(f);
}

/* Each thread resumes its own fibers. */
static void *thread_main(void *arg)
{
	counter *c = arg;
	rt_fiber *f = NULL;
	if (rt__fiber_new(&f, count_up, c, 0) != RT_OK)
		return NULL;
	while (!rt__fiber_resume(f))
		rt__fiber_wake(f, 1);
	rt__fiber_free(f);
	return NULL;
}

static void test_threads(void)
{
	enum { T = 4 };
	pthread_t threads[T];
	counter c[T];
	for (int i = 0; i < T; i++) {
		c[i] = (counter){100, 0, 0};
		CHECK_INT(pthread_create(&threads[i], NULL, thread_main, &c[i]), 0);
	}
	for (int i = 0; i < T; i++) {
		pthread_join(threads[i], NULL);
		CHECK_INT(c[i].done, 100);
		CHECK_INT(c[i].woken, 100);
	}
}

int main(void)
{
	RT_RUN(test_resume_and_wait);
	RT_RUN(test_many_interleaved);
	RT_RUN(test_deep_stack);
	RT_RUN(test_never_started);
	RT_RUN(test_errors_per_fiber);
	RT_RUN(test_threads);
	RT_RUN(test_registers_kept);
	RT_RUN(test_rounding_per_side);
	RT_RUN(test_reset);
	return rt_test_done();
}
