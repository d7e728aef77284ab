/*
 * test.h - the project's minimal test harness.
 *
 * A test file is a set of `static void test_x(void)` functions and a main
 * that runs them:
 *     int main(void) { RT_RUN(test_x); RT_RUN(test_y); return rt_test_done(); }
 * Checks record a failure with file:line and carry on, so one run reports
 * every broken expectation. The process exits non-zero if any failed.
 */
#ifndef RT_TESTS_TEST_H
#define RT_TESTS_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rt_test_failures;
static int rt_test_checks;
static const char *rt_test_current = "";

#define RT_RUN(fn)                                                            \
	do {                                                                  \
		int before_ = rt_test_failures;                               \
		rt_test_current = #fn;                                        \
		fn();                                                         \
		printf("%s %s\n", rt_test_failures == before_ ? "ok  " : "FAIL", #fn); \
		fflush(stdout);                                               \
	} while (0)

#define CHECK(cond)                                                           \
	do {                                                                  \
		rt_test_checks++;                                             \
		if (!(cond)) {                                                \
			rt_test_failures++;                                   \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, \
				__LINE__, rt_test_current, #cond);            \
		}                                                             \
	} while (0)

#define CHECK_INT(actual, expected)                                           \
	do {                                                                  \
		long long a_ = (long long)(actual), e_ = (long long)(expected); \
		rt_test_checks++;                                             \
		if (a_ != e_) {                                               \
			rt_test_failures++;                                   \
			fprintf(stderr, "%s:%d: %s: %s is %lld, expected %lld\n", \
				__FILE__, __LINE__, rt_test_current, #actual, a_, e_); \
		}                                                             \
	} while (0)

#define CHECK_STR(actual, expected)                                           \
	do {                                                                  \
		const char *a_ = (actual), *e_ = (expected);                  \
		rt_test_checks++;                                             \
		if (!a_ || !e_ || strcmp(a_, e_) != 0) {                      \
			rt_test_failures++;                                   \
			fprintf(stderr, "%s:%d: %s: %s is\n  \"%s\"\nexpected\n  \"%s\"\n", \
				__FILE__, __LINE__, rt_test_current, #actual,  \
				a_ ? a_ : "(null)", e_ ? e_ : "(null)");       \
		}                                                             \
	} while (0)

/* CHECK_OK(call): the call returns RT_OK; on failure prints rt_error_last(). */
#define CHECK_OK(call)                                                        \
	do {                                                                  \
		int rc_ = (call);                                             \
		rt_test_checks++;                                             \
		if (rc_ != 0) {                                               \
			rt_test_failures++;                                   \
			fprintf(stderr, "%s:%d: %s: %s returned %d: %s\n", __FILE__, \
				__LINE__, rt_test_current, #call, rc_,        \
				rt_error_last()->message);                    \
		}                                                             \
	} while (0)

static inline int rt_test_done(void)
{
	printf("%d checks, %d failed\n", rt_test_checks, rt_test_failures);
	return rt_test_failures ? 1 : 0;
}

/* The database URL integration tests run against (set by ctest). */
static inline const char *rt_test_url(void)
{
	const char *url = getenv("RETORT_TEST_URL");
	return url && *url ? url : "sqlite://";
}

#endif
