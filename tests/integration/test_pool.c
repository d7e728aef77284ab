/*
 * test_pool.c - the engine's connection pool and each connection's
 * statement cache, on a real database (RETORT_TEST_URL):
 *
 *   - a released connection is handed out again; at most pool_size are
 *     open, and the next caller waits pool_timeout_ms, then RT_ELOCKED;
 *   - release rolls back an open transaction; a broken connection
 *     (PostgreSQL: its server process terminated) is discarded;
 *   - 8 threads hammer acquire / statement / release on a pool of 3, with
 *     writes in transactions on a shared database;
 *   - a cached statement is the same statement on the second request, is
 *     a server-side prepared statement on PostgreSQL that survives a
 *     rollback, and the cache stays bounded;
 *   - rows changed by the last run (rt__stmt_changes).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "retort.h"
#include "retort/async.h"
#include "retort/async_epoll.h"
#include "test.h"

static bool postgres;

static rt_engine *open_engine(int size, int timeout_ms)
{
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_size = size;
	opts.pool_timeout_ms = timeout_ms;
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, rt_test_url(), &opts));
	return engine;
}

/* The one value of a query without parameters, -1 on failure. */
static int64_t query_int(rt_conn *conn, const char *sql)
{
	rt_stmt *stmt = NULL;
	int64_t v = -1;
	CHECK_OK(rt__conn_statement(conn, sql, &stmt));
	if (stmt && rt_stmt_step(stmt) == RT_ROW)
		v = rt_stmt_column_int64(stmt, 0);
	/* An unfinished SQLite statement would keep its table locked. */
	if (stmt)
		CHECK_OK(rt_stmt_reset(stmt));
	return v;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void test_reuse(void)
{
	rt_engine *engine = open_engine(2, 0);
	rt_conn *a = NULL, *b = NULL, *c = NULL;
	CHECK_OK(rt__engine_acquire(engine, &a));
	CHECK(a != NULL);
	rt__engine_release(engine, a);
	CHECK_OK(rt__engine_acquire(engine, &b));
	CHECK(b == a); /* the idle one, not a new connection */
	CHECK_OK(rt__engine_acquire(engine, &c));
	CHECK(c != NULL && c != b);
	CHECK_INT(query_int(c, "SELECT 7"), 7);
	rt__engine_release(engine, b);
	rt_conn_close(c); /* a pooled connection closed goes back to the pool */
	CHECK_INT(engine->pool.idle_count, 2);
	CHECK_INT(engine->pool.open, 2);
	rt__engine_release(engine, NULL);
	rt_engine_free(engine);
}

static void test_timeout(void)
{
	rt_engine *engine = open_engine(2, 150);
	rt_conn *a = NULL, *b = NULL, *c = (rt_conn *)1;
	CHECK_OK(rt__engine_acquire(engine, &a));
	CHECK_OK(rt__engine_acquire(engine, &b));
	double start = now_ms();
	CHECK_INT(rt__engine_acquire(engine, &c), RT_ELOCKED);
	double waited = now_ms() - start;
	CHECK(c == NULL);
	CHECK(waited >= 140 && waited < 5000);
	CHECK(strstr(rt_error_last()->message, "no free connection in the pool after 150 ms"));
	CHECK(strstr(rt_error_last()->message, "all 2 are in use"));
	rt__engine_release(engine, a);
	CHECK_OK(rt__engine_acquire(engine, &c));
	CHECK(c == a);
	rt__engine_release(engine, b);
	rt__engine_release(engine, c);
	rt_engine_free(engine);

	/* A negative timeout: fail at once. */
	engine = open_engine(1, -1);
	CHECK_OK(rt__engine_acquire(engine, &a));
	start = now_ms();
	CHECK_INT(rt__engine_acquire(engine, &b), RT_ELOCKED);
	CHECK(now_ms() - start < 100);
	rt__engine_release(engine, a);
	rt_engine_free(engine);
}

/* A waiting thread gets the connection another thread gives back. */
static void *give_back_later(void *arg)
{
	void **args = arg;
	struct timespec pause = {0, 50 * 1000000L};
	nanosleep(&pause, NULL);
	rt__engine_release(args[0], args[1]);
	return NULL;
}

static void test_wait_for_release(void)
{
	rt_engine *engine = open_engine(1, 5000);
	rt_conn *a = NULL, *b = NULL;
	CHECK_OK(rt__engine_acquire(engine, &a));
	void *args[2] = {engine, a};
	pthread_t thread;
	CHECK_INT(pthread_create(&thread, NULL, give_back_later, args), 0);
	CHECK_OK(rt__engine_acquire(engine, &b));
	CHECK(b == a);
	pthread_join(thread, NULL);
	rt__engine_release(engine, b);
	rt_engine_free(engine);
}

static void test_release_rolls_back(void)
{
	rt_engine *engine = open_engine(1, 0);
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS pool_rows"));
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE pool_rows (id INTEGER PRIMARY KEY)"));
	CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO pool_rows (id) VALUES (1)"));
	/* A streamed fetch left half-read goes too. */
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, "SELECT id FROM pool_rows", &stmt));
	CHECK_OK(rt__stmt_set_streaming(stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	rt__engine_release(engine, conn);

	rt_conn *again = NULL;
	CHECK_OK(rt__engine_acquire(engine, &again));
	CHECK(again == conn);
	CHECK(!again->in_transaction);
	CHECK_INT(query_int(again, "SELECT count(*) FROM pool_rows"), 0);
	/* A transaction begun with plain SQL is seen by the driver too. */
	CHECK_OK(rt_conn_execute(again, "BEGIN"));
	CHECK_OK(rt_conn_execute(again, "INSERT INTO pool_rows (id) VALUES (2)"));
	rt__engine_release(engine, again);
	CHECK_OK(rt__engine_acquire(engine, &again));
	CHECK_INT(query_int(again, "SELECT count(*) FROM pool_rows"), 0);
	CHECK_OK(rt_conn_execute(again, "DROP TABLE pool_rows"));
	rt__engine_release(engine, again);
	rt_engine_free(engine);
}

/* PostgreSQL: a connection whose server process is gone is not pooled. */
static void test_broken_discarded(void)
{
	if (!postgres)
		return;
	rt_engine *engine = open_engine(2, 0);
	rt_conn *victim = NULL, *killer = NULL;
	CHECK_OK(rt__engine_acquire(engine, &victim));
	CHECK_OK(rt__engine_acquire(engine, &killer));
	int64_t pid = query_int(victim, "SELECT pg_backend_pid()");
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(killer, "SELECT pg_terminate_backend(CAST(? AS INTEGER))",
				    &stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, pid));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	rt__engine_release(engine, killer);
	/* Give the server a moment to end the process. */
	struct timespec pause = {0, 200 * 1000000L};
	nanosleep(&pause, NULL);
	CHECK(rt_conn_execute(victim, "SELECT 1") < 0);
	rt__engine_release(engine, victim);
	CHECK_INT(engine->pool.open, 1);
	CHECK_INT(engine->pool.idle_count, 1);
	rt_conn *a = NULL, *b = NULL;
	CHECK_OK(rt__engine_acquire(engine, &a));
	CHECK_OK(rt__engine_acquire(engine, &b));
	CHECK_INT(query_int(a, "SELECT 1"), 1);
	CHECK_INT(query_int(b, "SELECT 2"), 2);
	rt__engine_release(engine, a);
	rt__engine_release(engine, b);
	rt_engine_free(engine);
}

/* Ends server process pid from killer. */
static void terminate(rt_conn *killer, int64_t pid)
{
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(killer, "SELECT pg_terminate_backend(CAST(? AS INTEGER))",
				    &stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, pid));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	CHECK_OK(rt_stmt_reset(stmt));
}

/* PostgreSQL sends a BEGIN with the transaction's first statement, in one
 * pipeline: its failure is that statement's error, and the transaction
 * goes on as one that failed. Here BEGIN fails because the connection is
 * in a failed transaction begun with plain SQL (the engine's flag does
 * not know of it). */
static void test_begin_error_at_statement(void)
{
	if (!postgres)
		return;
	rt_engine *engine = open_engine(1, 0);
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	CHECK_INT(query_int(conn, "SELECT 1"), 1); /* prepared: the statement rides */
	CHECK_OK(rt_conn_execute(conn, "BEGIN"));
	CHECK(rt_conn_execute(conn, "SELECT 1/0") < 0);
	CHECK_OK(rt_conn_begin(conn)); /* nothing sent yet */
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, "SELECT 1", &stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_EDATABASE);
	CHECK_STR(rt_error_last()->sqlstate, "25P02"); /* BEGIN's: transaction aborted */
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_OK(rt_conn_rollback(conn));
	CHECK_INT(query_int(conn, "SELECT 3"), 3);
	/* A connection lost before the BEGIN went out: the statement it rides
	 * with fails, and the connection is not pooled again. */
	rt_conn *killer = NULL;
	rt_engine *other = open_engine(1, 0);
	CHECK_OK(rt__engine_acquire(other, &killer));
	int64_t pid = query_int(conn, "SELECT pg_backend_pid()");
	CHECK_OK(rt_conn_begin(conn));
	terminate(killer, pid);
	struct timespec pause = {0, 200 * 1000000L};
	nanosleep(&pause, NULL);
	CHECK_OK(rt__conn_statement(conn, "SELECT 1", &stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_ECONNECT);
	rt__engine_release(engine, conn);
	CHECK_INT(engine->pool.open, 0);
	rt__engine_release(other, killer);
	rt_engine_free(other);
	rt_engine_free(engine);
}

/* PostgreSQL: the ROLLBACK of a released connection is sent at once (its
 * result is read with the connection's next statement): the locks of the
 * transaction are gone at release, not at the next use. */
static void test_release_rollback_sent(void)
{
	if (!postgres)
		return;
	rt_engine *engine = open_engine(2, 0);
	rt_conn *a = NULL, *b = NULL;
	CHECK_OK(rt__engine_acquire(engine, &a));
	CHECK_OK(rt_conn_execute(a, "DROP TABLE IF EXISTS pool_locked"));
	CHECK_OK(rt_conn_execute(a, "CREATE TABLE pool_locked (id INTEGER PRIMARY KEY, n INTEGER)"));
	CHECK_OK(rt_conn_execute(a, "INSERT INTO pool_locked VALUES (1, 0)"));
	CHECK_OK(rt_conn_begin(a));
	CHECK_OK(rt_conn_execute(a, "UPDATE pool_locked SET n = 1 WHERE id = 1"));
	CHECK_OK(rt__engine_acquire(engine, &b));
	rt__engine_release(engine, a); /* a stays idle in the pool */
	CHECK_OK(rt_conn_execute(b, "SET lock_timeout = '2s'"));
	CHECK_OK(rt_conn_execute(b, "UPDATE pool_locked SET n = 2 WHERE id = 1"));
	CHECK_INT(query_int(b, "SELECT n FROM pool_locked"), 2);
	CHECK_OK(rt_conn_execute(b, "DROP TABLE pool_locked"));
	rt__engine_release(engine, b);
	/* The rollback's result is read with the next statement. */
	CHECK_OK(rt__engine_acquire(engine, &a));
	CHECK_INT(query_int(a, "SELECT 4"), 4);
	rt__engine_release(engine, a);
	rt_engine_free(engine);
}

/* PostgreSQL: the server process of a connection in a transaction ends
 * before its release, so the ROLLBACK sent then fails or is never
 * answered. The connection is never used again: dropped at release when
 * the ROLLBACK cannot even be sent, else its next statement fails saying
 * the rollback failed (not as if it had run) and it is dropped then.
 * Either way the statements after run on a new connection. */
static void test_failed_rollback_not_reused(void)
{
	if (!postgres)
		return;
	rt_engine *engine = open_engine(1, 0);
	rt_engine *other = open_engine(1, 0);
	rt_conn *victim = NULL, *killer = NULL;
	CHECK_OK(rt__engine_acquire(other, &killer));
	int dropped_at_release = 0, failed_at_next = 0;
	for (int round = 0; round < 3; round++) {
		CHECK_OK(rt__engine_acquire(engine, &victim));
		CHECK_OK(rt_conn_begin(victim));
		int64_t pid = query_int(victim, "SELECT pg_backend_pid()"); /* with BEGIN */
		terminate(killer, pid);
		/* Gone for sure before release. */
		struct timespec pause = {0, 200 * 1000000L};
		nanosleep(&pause, NULL);
		rt__engine_release(engine, victim);
		if (engine->pool.open == 0)
			dropped_at_release++;
		CHECK_OK(rt__engine_acquire(engine, &victim));
		rt_stmt *stmt = NULL;
		CHECK_OK(rt__conn_statement(victim, "SELECT pg_backend_pid()", &stmt));
		int rc = rt_stmt_step(stmt);
		if (rc != RT_ROW) {
			failed_at_next++;
			CHECK_INT(rc, RT_ECONNECT);
			CHECK(strstr(rt_error_last()->message, "rollback") != NULL);
			rt__engine_release(engine, victim);
			CHECK_INT(engine->pool.open, 0);
			CHECK_OK(rt__engine_acquire(engine, &victim));
		} else {
			CHECK_OK(rt_stmt_reset(stmt));
		}
		CHECK(query_int(victim, "SELECT pg_backend_pid()") != pid);
		rt__engine_release(engine, victim);
	}
	CHECK_INT(dropped_at_release + failed_at_next, 3);
	printf("lost connections dropped at release %d times, at the next statement %d times\n",
	       dropped_at_release, failed_at_next);
	rt__engine_release(other, killer);
	rt_engine_free(other);
	rt_engine_free(engine);
}

/* An operation of the non-blocking API waiting for a connection is handed
 * the released one directly, and the ROLLBACK of that connection goes to
 * the server with the operation's first statement, in one write. Here
 * the connection's server process ended before its release, so that
 * ROLLBACK fails: the operation's statement fails saying so (it did not
 * run), and the connection is dropped. */
typedef struct handed_job {
	rt_engine *engine;
	int rc;
	int done_calls;
	char error[300];
} handed_job;

static int handed_work(void *arg)
{
	handed_job *j = arg;
	rt_conn *conn = NULL;
	int rc = rt__engine_acquire(j->engine, &conn); /* waits: the pool's one is in use */
	rt_stmt *stmt = NULL;
	if (rc == RT_OK)
		rc = rt__conn_statement(conn, "SELECT 1", &stmt);
	if (rc == RT_OK) {
		rc = rt_stmt_step(stmt);
		if (rc == RT_ROW)
			rc = RT_OK;
		if (rc < 0)
			snprintf(j->error, sizeof(j->error), "%s", rt_error_last()->message);
		rt_stmt_reset(stmt);
	}
	rt__engine_release(j->engine, conn);
	return rc;
}

static void handed_done(rt_async_op *op, int rc, void *user)
{
	handed_job *j = user;
	(void)op;
	j->rc = rc;
	j->done_calls++;
}

static void test_handed_on_rollback_fails(void)
{
	if (!postgres)
		return;
	rt_engine *engine = open_engine(1, 0);
	rt_engine *other = open_engine(1, 0);
	rt_conn *victim = NULL, *killer = NULL;
	CHECK_OK(rt__engine_acquire(other, &killer));
	CHECK_OK(rt__engine_acquire(engine, &victim));
	CHECK_INT(query_int(victim, "SELECT 1"), 1); /* the statement is prepared */
	rt__engine_release(engine, victim);

	rt_epoll_loop loop;
	rt_async *async = NULL;
	CHECK_INT(rt_epoll_loop_init(&loop), 0);
	CHECK_OK(rt_async_new(&async, engine, &loop.callbacks, &loop));
	loop.async = async;
	for (int round = 0; round < 2; round++) {
		/* round 0: the ROLLBACK succeeds and the operation's statement
		 * runs; round 1: the server process is gone. */
		CHECK_OK(rt__engine_acquire(engine, &victim));
		CHECK_OK(rt_conn_begin(victim));
		int64_t pid = query_int(victim, "SELECT pg_backend_pid()"); /* with BEGIN */
		handed_job job = {engine, 0, 0, ""};
		CHECK_OK(rt_async_run(async, NULL, handed_work, &job, handed_done, &job));
		for (int k = 0; k < 5; k++)
			rt_epoll_loop_run_once(&loop, 10); /* it queues for the connection */
		CHECK_INT(job.done_calls, 0);
		if (round == 1) {
			terminate(killer, pid);
			struct timespec pause = {0, 200 * 1000000L};
			nanosleep(&pause, NULL);
		}
		rt__engine_release(engine, victim); /* handed to the operation */
		for (int k = 0; k < 200 && !job.done_calls; k++)
			rt_epoll_loop_run_once(&loop, 10);
		CHECK_INT(job.done_calls, 1);
		if (round == 0) {
			CHECK_INT(job.rc, RT_OK);
			CHECK_INT(engine->pool.open, 1);
		} else {
			CHECK_INT(job.rc, RT_ECONNECT);
			CHECK(strstr(job.error, "rollback") != NULL);
			CHECK_INT(engine->pool.open, 0);
		}
	}
	rt_async_free(async);
	rt_epoll_loop_close(&loop);
	/* The next statement runs on a new connection. */
	CHECK_OK(rt__engine_acquire(engine, &victim));
	CHECK_INT(query_int(victim, "SELECT 5"), 5);
	rt__engine_release(engine, victim);
	rt__engine_release(other, killer);
	rt_engine_free(other);
	rt_engine_free(engine);
}

/* --- threads --------------------------------------------------------------------- */

#define THREADS 8
#define ROUNDS 150

typedef struct worker {
	rt_engine *engine;
	int id;
	int failures;
	char message[256];
} worker;

static void worker_fail(worker *w, const char *what)
{
	if (!w->failures++)
		snprintf(w->message, sizeof(w->message), "%s: %s", what, rt_error_last()->message);
}

static void *hammer(void *arg)
{
	worker *w = arg;
	for (int i = 0; i < ROUNDS; i++) {
		rt_conn *conn = NULL;
		if (rt__engine_acquire(w->engine, &conn) != RT_OK) {
			worker_fail(w, "acquire");
			continue;
		}
		rt_stmt *stmt = NULL;
		if (rt__conn_statement(conn, "SELECT CAST(? AS INTEGER) * 2", &stmt) != RT_OK ||
		    rt_stmt_bind_int64(stmt, 1, w->id * 1000 + i) != RT_OK ||
		    rt_stmt_step(stmt) != RT_ROW ||
		    rt_stmt_column_int64(stmt, 0) != (w->id * 1000 + i) * 2)
			worker_fail(w, "select");
		/* Every fifth round writes, in a transaction. */
		if (i % 5 == 0) {
			if (rt_conn_begin(conn) != RT_OK ||
			    rt__conn_statement(conn, "INSERT INTO pool_hammer (worker, round) "
						     "VALUES (?, ?)", &stmt) != RT_OK ||
			    rt_stmt_bind_int64(stmt, 1, w->id) != RT_OK ||
			    rt_stmt_bind_int64(stmt, 2, i) != RT_OK || rt_stmt_step(stmt) != RT_DONE ||
			    rt_conn_commit(conn) != RT_OK)
				worker_fail(w, "insert");
		}
		rt__engine_release(w->engine, conn);
	}
	return NULL;
}

static void test_threads(void)
{
	rt_engine *engine = open_engine(3, 20000);
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS pool_hammer"));
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE pool_hammer (worker INTEGER, round INTEGER)"));
	rt__engine_release(engine, conn);

	pthread_t threads[THREADS];
	worker workers[THREADS];
	for (int i = 0; i < THREADS; i++) {
		workers[i] = (worker){engine, i + 1, 0, ""};
		CHECK_INT(pthread_create(&threads[i], NULL, hammer, &workers[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(threads[i], NULL);
		if (workers[i].failures)
			fprintf(stderr, "worker %d: %d failures, first: %s\n", i + 1,
				workers[i].failures, workers[i].message);
		CHECK_INT(workers[i].failures, 0);
	}
	CHECK(engine->pool.open <= 3);
	CHECK_OK(rt__engine_acquire(engine, &conn));
	CHECK_INT(query_int(conn, "SELECT count(*) FROM pool_hammer"), THREADS * (ROUNDS / 5));
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE pool_hammer"));
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
}

/* --- statement cache ------------------------------------------------------------- */

static void test_cache_hit(void)
{
	rt_engine *engine = open_engine(1, 0);
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	rt_stmt *a = NULL, *b = NULL, *c = NULL;
	CHECK_OK(rt__conn_statement(conn, "SELECT CAST(? AS INTEGER) + 1", &a));
	CHECK_OK(rt_stmt_bind_int64(a, 1, 41));
	CHECK_INT(rt_stmt_step(a), RT_ROW);
	CHECK_INT(rt_stmt_column_int64(a, 0), 42);
	/* Same text: the same statement, rewound, its bindings kept. */
	CHECK_OK(rt__conn_statement(conn, "SELECT CAST(? AS INTEGER) + 1", &b));
	CHECK(b == a);
	CHECK_INT(rt_stmt_step(b), RT_ROW);
	CHECK_INT(rt_stmt_column_int64(b, 0), 42);
	CHECK_OK(rt__conn_statement(conn, "SELECT CAST(? AS INTEGER) + 2", &c));
	CHECK(c != a);
	/* Finalizing a cached statement only rewinds it. */
	rt_stmt_finalize(b);
	CHECK_OK(rt__conn_statement(conn, "SELECT CAST(? AS INTEGER) + 1", &b));
	CHECK(b == a);
	CHECK_OK(rt_stmt_bind_int64(b, 1, 1));
	CHECK_INT(rt_stmt_step(b), RT_ROW);
	CHECK_INT(rt_stmt_column_int64(b, 0), 2);

	/* A bad statement is an error, and nothing is cached for it. */
	CHECK(rt__conn_statement(conn, "SELEC nonsense", &c) < 0);
	CHECK(c == NULL);
	CHECK(rt__conn_statement(conn, "SELEC nonsense", &c) < 0);

	if (postgres) {
		CHECK(query_int(conn, "SELECT count(*) FROM pg_prepared_statements "
				      "WHERE name LIKE 'rt_%'") >= 2);
		/* Prepared inside a transaction that rolls back: still there. */
		CHECK_OK(rt_conn_begin(conn));
		CHECK_INT(query_int(conn, "SELECT 12345"), 12345);
		CHECK_OK(rt_conn_rollback(conn));
		CHECK_INT(query_int(conn, "SELECT 12345"), 12345);
		/* A blob where the server expects no bytea: run unnamed. */
		CHECK_OK(rt__conn_statement(conn, "SELECT length(?)", &c));
		CHECK_OK(rt_stmt_bind_text(c, 1, "abc", -1));
		CHECK_INT(rt_stmt_step(c), RT_ROW);
		CHECK_INT(rt_stmt_column_int64(c, 0), 3);
		CHECK_OK(rt__conn_statement(conn, "SELECT length(?)", &c));
		CHECK_OK(rt_stmt_bind_blob(c, 1, "\0\1\2\3", 4));
		CHECK_INT(rt_stmt_step(c), RT_ROW);
		CHECK_INT(rt_stmt_column_int64(c, 0), 4);
	}
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
}

/* Many distinct statements: the cache keeps a bounded number and every
 * statement still works, the evicted ones prepared again. */
static void test_cache_bounded(void)
{
	rt_engine *engine = open_engine(1, 0);
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 300; i++) {
			char sql[64];
			snprintf(sql, sizeof(sql), "SELECT %d", i);
			CHECK_INT(query_int(conn, sql), i);
		}
	}
	if (postgres) {
		/* The evicted ones are deallocated on the server. */
		int64_t n = query_int(conn, "SELECT count(*) FROM pg_prepared_statements");
		CHECK(n > 200 && n <= 257);
	}
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
}

static void test_changes(void)
{
	rt_engine *engine = open_engine(1, 0);
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS pool_changes"));
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, "CREATE TABLE pool_changes (id INTEGER, n INTEGER)",
				    &stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
	CHECK_INT(rt__stmt_changes(stmt), 0);
	CHECK_OK(rt__conn_statement(conn, "INSERT INTO pool_changes (id, n) VALUES (1, 0), (2, 0), "
					  "(3, 5)", &stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
	CHECK_INT(rt__stmt_changes(stmt), 3);
	CHECK_OK(rt__conn_statement(conn, "UPDATE pool_changes SET n = n + 1 WHERE n = ?", &stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 0));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
	CHECK_INT(rt__stmt_changes(stmt), 2);
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 99));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
	CHECK_INT(rt__stmt_changes(stmt), 0);
	CHECK_OK(rt__conn_statement(conn, "SELECT id FROM pool_changes", &stmt));
	while (rt_stmt_step(stmt) == RT_ROW)
		;
	CHECK_INT(rt__stmt_changes(stmt), postgres ? 3 : 0); /* PostgreSQL counts rows read */
	CHECK_OK(rt__conn_statement(conn, "DELETE FROM pool_changes", &stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
	CHECK_INT(rt__stmt_changes(stmt), 3);
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE pool_changes"));
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
}

/* Options of version 1 (no pool fields) still work; bad ones are refused. */
static void test_options(void)
{
	struct {
		int version;
		int echo;
	} v1 = {1, 0};
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, rt_test_url(), (const rt_engine_options *)&v1));
	CHECK_INT(engine->pool.size, 5);
	rt_engine_free(engine);
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_size = -1;
	CHECK_INT(rt_engine_open(&engine, rt_test_url(), &opts), RT_EINVAL);
	opts.version = RT_ENGINE_OPTIONS_VERSION + 1;
	opts.pool_size = 0;
	CHECK_INT(rt_engine_open(&engine, rt_test_url(), &opts), RT_EINVAL);
	/* isolation_level: autocommit (any case), in the options or the URL;
	 * any other level is refused by name. */
	opts.version = RT_ENGINE_OPTIONS_VERSION;
	opts.isolation_level = "AUTOCOMMIT";
	CHECK_OK(rt_engine_open(&engine, rt_test_url(), &opts));
	CHECK(engine->params.autocommit);
	rt_engine_free(engine);
	opts.isolation_level = "SERIALIZABLE";
	CHECK_INT(rt_engine_open(&engine, rt_test_url(), &opts), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "isolation_level 'SERIALIZABLE' is not supported"));
	rt_engine_free(NULL);
}

int main(void)
{
	rt_engine *engine = NULL;
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", rt_test_url(), rt_error_last()->message);
		return 1;
	}
	postgres = strcmp(rt_engine_dialect(engine), "postgresql") == 0;
	rt_engine_free(engine);
	RT_RUN(test_reuse);
	RT_RUN(test_timeout);
	RT_RUN(test_wait_for_release);
	RT_RUN(test_release_rolls_back);
	RT_RUN(test_broken_discarded);
	RT_RUN(test_begin_error_at_statement);
	RT_RUN(test_release_rollback_sent);
	RT_RUN(test_failed_rollback_not_reused);
	RT_RUN(test_handed_on_rollback_fails);
	RT_RUN(test_threads);
	RT_RUN(test_cache_hit);
	RT_RUN(test_cache_bounded);
	RT_RUN(test_changes);
	RT_RUN(test_options);
	return rt_test_done();
}
