/*
 * session_run.c - rt_session_run: a transaction run again when the
 * database ends it to settle a conflict (a deadlock, a serialization
 * failure, SQLite's busy database), as SQLAlchemy programs do by hand
 * with a loop around Session.begin().
 *
 * Each attempt gets a session of its own: the failed one is rolled back
 * and closed with every object it loaded, so nothing read by a lost
 * transaction survives into the next (the identity map starts empty and
 * shows only what the new transaction reads). Between attempts the
 * caller waits a growing, randomized time, so that two transactions that
 * collided do not collide again in step.
 */
#include <stdint.h>
#include <time.h>

#include "base/error.h"
#include "base/wait.h"
#include "retort/orm.h"

#define ATTEMPTS_DEFAULT 3
#define BACKOFF_FIRST_MS 10
#define BACKOFF_MAX_MS 1000

/* rc, as the attempt failed with it: may running it again succeed? A
 * function may give RT_ESERIALIZE itself to ask for another run. */
static bool retryable(int rc)
{
	if (rc == RT_ESERIALIZE)
		return true;
	const rt_error *err = rt_error_last();
	return err->code == rc && rt_error_is_retryable(err);
}

/* Waits before attempt number `next` (2, 3, ...): up to twice as long as
 * the wait before it, at least half of that ("equal jitter"). */
static void backoff(int next, uint64_t *seed)
{
	int64_t ceiling = BACKOFF_FIRST_MS;
	for (int i = 2; i < next && ceiling < BACKOFF_MAX_MS; i++)
		ceiling *= 2;
	if (ceiling > BACKOFF_MAX_MS)
		ceiling = BACKOFF_MAX_MS;
	/* xorshift: enough to keep two waiters apart, no shared state. */
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	int64_t ms = ceiling / 2 + (int64_t)(*seed % (uint64_t)(ceiling / 2 + 1));
	struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0) {
	}
}

int rt_session_run(rt_engine *engine, rt_session_fn fn, void *user, int max_attempts)
{
	if (!engine || !fn)
		return rt__error_set(RT_EINVAL, "rt_session_run: NULL engine or function");
	if (max_attempts < 0)
		return rt__error_set(RT_EINVAL, "rt_session_run: max_attempts %d is negative",
				     max_attempts);
	if (max_attempts == 0)
		max_attempts = ATTEMPTS_DEFAULT;
	uint64_t seed = (uint64_t)rt__now_ms() ^ (uint64_t)(uintptr_t)&seed;
	if (!seed)
		seed = 1;
	int rc = RT_OK;
	for (int attempt = 1; attempt <= max_attempts; attempt++) {
		if (attempt > 1)
			backoff(attempt, &seed);
		rt_session *session = NULL;
		rc = rt_session_open(&session, engine);
		if (rc < 0)
			return rc;
		rc = fn(session, user);
		if (rc >= 0)
			rc = rt_session_commit(session);
		/* Closing rolls back whatever did not commit; the error of
		 * the attempt stays the thread's (the pool keeps it). */
		rt_session_close(session);
		if (rc >= 0)
			return RT_OK;
		if (!retryable(rc))
			return rc;
	}
	if (rt_error_last()->code != rc) /* the function's own request, no record */
		return rt__error_set(rc, "rt_session_run: still failing after %d attempts",
				     max_attempts);
	rt__error_wrap("rt_session_run: still failing after %d attempts", max_attempts);
	return rc;
}
