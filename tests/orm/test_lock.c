/*
 * test_lock.c - row locks (rt_query_lock) on every backend: FOR UPDATE
 * with SKIP LOCKED and NOWAIT, FOR SHARE, a locked row's values replacing
 * what the session held, and a job queue taken by four processes, each
 * with its own engine, where every job is taken exactly once.
 *
 * On PostgreSQL and MariaDB a second session skips the row the first has
 * locked, and NOWAIT fails with RT_ELOCKED. SQLite has no row locks: the
 * locking query begins its transaction with the database's write lock, so
 * a second writer waits (here: a 0.2 s busy timeout) and fails with
 * RT_ELOCKED, and the four workers take their jobs one after the other.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "session_test.h"

static rt_engine *engine;

static bool has_row_locks(void)
{
	return !orm_test_is_file_database();
}

/* Replaces the jobs with count ready ones; returns the first one's id. */
static int64_t seed_jobs(int count)
{
	db_exec(engine, "DELETE FROM jobs");
	rt_session *s = open_session(engine);
	for (int i = 0; i < count; i++) {
		Job *j = NULL;
		char payload[32];
		snprintf(payload, sizeof(payload), "job %d", i + 1);
		CHECK_OK(Job_new(&j, s));
		if (!j)
			exit(1);
		CHECK_OK(Job_set_payload(j, payload));
		CHECK_OK(Job_set_state(j, "ready"));
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
	return db_int(engine, "SELECT MIN(id) FROM jobs");
}

/* The next ready job, locked with flags; RT_ENOTFOUND when there is none. */
static int take_next(rt_session *s, unsigned flags, Job **out)
{
	rt_query *q = NULL;
	CHECK_OK(Job_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Job_c.state, "ready")));
	CHECK_OK(rt_query_order_by(q, Job_c.id.ref, false));
	CHECK_OK(rt_query_lock(q, RT_ROW_LOCK_UPDATE, flags));
	int rc = rt_query_first(q, out);
	rt_query_free(q);
	return rc;
}

/* Locks job `id` in mode with flags. */
static int lock_job(rt_session *s, int64_t id, rt_row_lock mode, unsigned flags, Job **out)
{
	rt_query *q = NULL;
	CHECK_OK(Job_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Job_c.id, id)));
	CHECK_OK(rt_query_lock(q, mode, flags));
	int rc = rt_query_one(q, out);
	rt_query_free(q);
	return rc;
}

/* A second engine whose SQLite connections wait 0.2 s for a lock (the
 * other backends' URL is taken as it is). */
static rt_engine *second_engine(void)
{
	char url[1024];
	const char *base = rt_test_url();
	if (has_row_locks())
		snprintf(url, sizeof(url), "%s", base);
	else
		snprintf(url, sizeof(url), "%s%stimeout=0.2", base, strchr(base, '?') ? "&" : "?");
	rt_engine *e = NULL;
	if (rt_engine_open(&e, url, NULL) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", url, rt_error_last()->message);
		exit(1);
	}
	return e;
}

/* One session holds the first job: another skips it (SKIP LOCKED), cannot
 * have it at once (NOWAIT: RT_ELOCKED); after the commit it is free. */
static void test_skip_and_nowait(void)
{
	int64_t first = seed_jobs(3);
	rt_engine *other = second_engine();
	rt_session *a = open_session(engine);
	rt_session *b = open_session(other);
	Job *ja = NULL, *jb = NULL;
	CHECK_OK(take_next(a, RT_ROW_LOCK_SKIP_LOCKED, &ja));
	CHECK(ja && ja->id == first);
	if (has_row_locks()) {
		CHECK_OK(take_next(b, RT_ROW_LOCK_SKIP_LOCKED, &jb));
		CHECK(jb && jb->id == first + 1);
		Job *none = NULL;
		CHECK(lock_job(b, first, RT_ROW_LOCK_UPDATE, RT_ROW_LOCK_NOWAIT, &none) == RT_ELOCKED);
		CHECK(none == NULL);
		CHECK(rt_error_last()->code == RT_ELOCKED);
	} else {
		/* The write lock is the database's: the other waits, then fails. */
		CHECK(take_next(b, RT_ROW_LOCK_SKIP_LOCKED, &jb) == RT_ELOCKED);
	}
	CHECK_OK(rt_session_rollback(b));
	CHECK_OK(Job_set_state(ja, "done"));
	CHECK_OK(rt_session_commit(a));
	/* Free again: b takes the next ready job, which is 2. */
	CHECK_OK(take_next(b, RT_ROW_LOCK_NOWAIT, &jb));
	CHECK(jb && jb->id == first + 1);
	CHECK_OK(rt_session_commit(b));
	rt_session_close(a);
	rt_session_close(b);
	rt_engine_free(other);
}

/* FOR SHARE: two sessions share the lock; an update lock waits for both. */
static void test_share(void)
{
	int64_t first = seed_jobs(1);
	rt_session *a = open_session(engine);
	Job *ja = NULL;
	CHECK_OK(lock_job(a, first, RT_ROW_LOCK_SHARE, 0, &ja));
	CHECK_STR(ja->payload, "job 1");
	if (has_row_locks()) {
		rt_session *b = open_session(engine);
		rt_session *c = open_session(engine);
		Job *jb = NULL, *jc = NULL;
		CHECK_OK(lock_job(b, first, RT_ROW_LOCK_SHARE, RT_ROW_LOCK_NOWAIT, &jb));
		CHECK(lock_job(c, first, RT_ROW_LOCK_UPDATE, RT_ROW_LOCK_NOWAIT, &jc) == RT_ELOCKED);
		CHECK_OK(rt_session_rollback(b));
		CHECK_OK(rt_session_rollback(c));
		rt_session_close(b);
		rt_session_close(c);
	}
	CHECK_OK(rt_session_commit(a));
	rt_session_close(a);
}

/* The row as locked replaces what the session held: another connection
 * changed it after the session loaded it. */
static void test_locked_row_refreshes(void)
{
	int64_t first = seed_jobs(1);
	rt_session *s = open_session(engine);
	Job *before = NULL;
	CHECK_OK(Job_get(&before, s, first));
	CHECK_STR(before->payload, "job 1");
	CHECK_OK(rt_session_commit(s));
	db_exec(engine, "UPDATE jobs SET payload = 'changed', priority = 7");
	Job *after = NULL;
	CHECK_OK(lock_job(s, first, RT_ROW_LOCK_UPDATE, 0, &after));
	CHECK(after == before);
	CHECK_STR(after->payload, "changed");
	CHECK_INT(after->priority, 7);
	/* Clean: nothing to write back. */
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(db_text(engine, "SELECT payload FROM jobs", text, sizeof(text)),
		  "changed");
	rt_session_close(s);
}

static void test_refusals(void)
{
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Job_query(&q, s));
	CHECK(rt_query_lock(q, RT_ROW_LOCK_UPDATE, RT_ROW_LOCK_NOWAIT | RT_ROW_LOCK_SKIP_LOCKED) ==
	      RT_EINVAL);
	CHECK(message_has("exclude each other"));
	rt_query_free(q);
	CHECK_OK(Job_query(&q, s));
	CHECK(rt_query_lock(q, (rt_row_lock)9, 0) == RT_EINVAL);
	rt_query_free(q);
	rt_session_close(s);
}

/* --- the job queue: four processes ------------------------------------------------- */

#define QUEUE_JOBS 200
#define WORKERS 4

/* A worker process: its own engine, taking the next ready job until there
 * is none. Writes how many it took to fd. Never frees the engine it
 * inherited (its connections are the parent's). */
static void worker(int number, int fd)
{
	rt_engine *e = NULL;
	int taken = 0, failed = 0;
	if (rt_engine_open(&e, rt_test_url(), NULL) != RT_OK)
		_exit(2);
	for (;;) {
		rt_session *s = NULL;
		if (rt_session_open(&s, e) != RT_OK)
			_exit(3);
		Job *j = NULL;
		int rc = take_next(s, RT_ROW_LOCK_SKIP_LOCKED, &j);
		if (rc == RT_ENOTFOUND) {
			rt_session_close(s);
			break;
		}
		if (rc == RT_OK) {
			rc = Job_set_state(j, "done");
			j->taken_by = number;
		}
		if (rc == RT_OK)
			rc = rt_session_commit(s);
		if (rc != RT_OK && ++failed > 50) {
			fprintf(stderr, "worker %d: %s\n", number, rt_error_last()->message);
			_exit(4);
		}
		if (rc == RT_OK)
			taken++;
		rt_session_close(s);
	}
	rt_engine_free(e);
	if (write(fd, &taken, sizeof(taken)) != (ssize_t)sizeof(taken))
		_exit(5);
	_exit(0);
}

static void test_job_queue(void)
{
	seed_jobs(QUEUE_JOBS);
	int fds[2];
	CHECK(pipe(fds) == 0);
	pid_t pids[WORKERS];
	for (int w = 0; w < WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			close(fds[0]);
			worker(w + 1, fds[1]);
		}
		CHECK(pids[w] > 0);
	}
	close(fds[1]);
	int total = 0, busy = 0;
	for (int w = 0; w < WORKERS; w++) {
		int status = 0;
		CHECK(waitpid(pids[w], &status, 0) == pids[w]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	int taken;
	while (read(fds[0], &taken, sizeof(taken)) == (ssize_t)sizeof(taken)) {
		total += taken;
		busy += taken > 0;
	}
	close(fds[0]);
	/* Every job done, and taken once: the takes add up to the jobs. */
	CHECK_INT(total, QUEUE_JOBS);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM jobs WHERE state = 'done'"), QUEUE_JOBS);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM jobs WHERE taken_by = 0"), 0);
	/* SKIP LOCKED: the workers ran side by side rather than in turn. */
	if (has_row_locks())
		CHECK(busy >= 2);
	printf("  %d jobs taken by %d workers (%d of them took some)\n", total, WORKERS, busy);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_skip_and_nowait);
	RT_RUN(test_share);
	RT_RUN(test_locked_row_refreshes);
	RT_RUN(test_refusals);
	RT_RUN(test_job_queue);
	rt_engine_free(engine);
	return rt_test_done();
}
