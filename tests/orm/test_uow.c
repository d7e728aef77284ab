/*
 * test_uow.c - the randomized unit-of-work test, as tests/evolution is for
 * migrations: thousands of random session operations on the models of
 * tests/orm/models.rt (uow/uow_ops.c), checked after every commit and
 * rollback against an in-memory reference of what the database must hold
 * and what the objects must show (uow/uow_ref.c).
 *
 * The seed is fixed, so a run never flickers; RETORT_SEED=<n> replays
 * another run and RETORT_SEED=random explores a new one. RETORT_UOW_OPS
 * sets the number of operations (default 3000; 400 under valgrind or a
 * sanitizer, which are many times slower). A failure prints what differs,
 * the seed and the log of the operations of the epoch that failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "uow/uow.h"

#define OPS_PER_EPOCH 250
#define LOG_LINES 512

static char log_lines[LOG_LINES][200];
static int log_count;
static uow_run run;

uint64_t uow_rand(uow_run *r)
{
	/* splitmix64: the same sequence on every platform. */
	uint64_t z = (r->rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

int uow_pick(uow_run *r, int n)
{
	return n > 0 ? (int)(uow_rand(r) % (uint64_t)n) : 0;
}

bool uow_chance(uow_run *r, int percent)
{
	return uow_pick(r, 100) < percent;
}

void uow_log(uow_run *r, const char *format, ...)
{
	char *line = log_lines[log_count % LOG_LINES];
	int n = snprintf(line, sizeof(log_lines[0]), "%6d ", r->op);
	va_list ap;
	va_start(ap, format);
	vsnprintf(line + n, sizeof(log_lines[0]) - (size_t)n, format, ap);
	va_end(ap);
	log_count++;
}

void uow_fail(uow_run *r, const char *format, ...)
{
	int first = log_count > LOG_LINES ? log_count - LOG_LINES : 0;
	fprintf(stderr, "operation log (now in epoch %d; the last %d lines):\n", r->epoch,
		log_count - first);
	for (int i = first; i < log_count; i++)
		fprintf(stderr, "  %s\n", log_lines[i % LOG_LINES]);
	fprintf(stderr, "FAILED at operation %d: ", r->op);
	va_list ap;
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fprintf(stderr, "\nreplay with RETORT_SEED=%llu RETORT_TEST_URL=%s\n",
		(unsigned long long)r->seed, rt_test_url());
	exit(1);
}

/* Under valgrind (its preload library) or a sanitizer a run is many
 * times slower: fewer operations keep it within a minute. */
static bool slow_build(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
	return true;
#endif
#endif
	const char *preload = getenv("LD_PRELOAD");
	return preload && strstr(preload, "vgpreload");
}

static uint64_t seed_from_env(void)
{
	const char *env = getenv("RETORT_SEED");
	if (!env || !*env)
		return 20261206u;
	if (strcmp(env, "random") != 0)
		return strtoull(env, NULL, 10);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (((uint64_t)tv.tv_sec * 1000003u) ^ (uint64_t)tv.tv_usec ^
		((uint64_t)getpid() << 20)) % 1000000000u;
}

int main(void)
{
	int ops = slow_build() ? 400 : 3000;
	if (getenv("RETORT_UOW_OPS"))
		ops = atoi(getenv("RETORT_UOW_OPS"));
	/* RETORT_UOW_TRACE=1 checks the links in memory after every
	 * operation (slower), to find the one that broke them. */
	bool trace = getenv("RETORT_UOW_TRACE") != NULL;
	run.seed = seed_from_env();
	run.rng = run.seed * 0x9E3779B97F4A7C15ULL + 1;
	run.engine = orm_test_engine();
	run.postgres = orm_test_is_postgres();
	printf("uow: %d operations, seed %llu (RETORT_SEED=%llu replays)\n", ops,
	       (unsigned long long)run.seed, (unsigned long long)run.seed);
	fflush(stdout);
	while (run.op < ops) {
		if (run.op % OPS_PER_EPOCH == 0)
			uow_epoch(&run);
		uow_step(&run);
		if (trace)
			uow_check_relationships(&run);
	}
	uow_epoch(&run); /* commits and checks the last one */
	rt_session_close(run.session);
	rt_conn_close(run.reader);
	for (int i = 0; i < UOW_MAX_LEVELS; i++)
		free(run.saved[i]);
	rt_engine_free(run.engine);
	printf("uow: ok: %d operations in %d epochs: %d commits, %d rollbacks, %d savepoint "
	       "rollbacks, %d planned violations, %d recoveries, %d checks\n",
	       run.op, run.epoch, run.commits, run.rollbacks, run.savepoint_rollbacks,
	       run.violations, run.recoveries, run.checks);
	return 0;
}
