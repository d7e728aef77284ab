/*
 * test_async_pipe.c - engines in autocommit (isolation_level=autocommit)
 * under the non-blocking API. On PostgreSQL the pool lends a connection
 * to several operations at once and their statements share its pipeline
 * (docs/async.md); on the other backends the option works without
 * sharing. Checked on every backend:
 *   - 1,000 operations in flight over a pool of 4, each reading its own
 *     row by key (or inserting one), every result checked; on PostgreSQL
 *     the connections were shared (several operations on one at once);
 *   - what commit, rollback and savepoints mean in autocommit;
 * and on PostgreSQL, on a pool of one connection shared by every
 * operation:
 *   - a failing statement between good ones fails only its operation;
 *   - a cancelled operation waiting for its results leaves the others
 *     their results, and the connection usable;
 *   - a connection lost with several operations waiting fails each of
 *     them, and the pool opens a new one for the next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/wait.h"
#include "engine/engine.h"
#include "orm/orm.h"
#include "session_test.h"
#include "retort/async.h"
#include "async_loop.h"

#define OPS 1000
#define AUTHORS 600

static rt_engine *engine;

typedef struct job {
	int number;
	int64_t key;       /* the row it reads */
	double sleep_s;    /* raw: the server sleeps this long first */
	bool insert;       /* inserts an author named "new <number>" */
	const char *name;  /* insert: this name instead */
	int rc;
	int done_calls;
	char error[300];
	int64_t got;       /* what it read */
	int64_t last;      /* stream: the last key read */
	char text[64];
} job;

static void on_done(rt_async_op *op, int rc, void *user)
{
	job *j = user;
	(void)op;
	j->done_calls++;
	j->rc = rc;
	if (rc < 0)
		snprintf(j->error, sizeof(j->error), "%s", rt_error_last()->message);
}

/* A get by key, or an insert committed. */
static int orm_work(void *arg)
{
	job *j = arg;
	rt_session *s = NULL;
	int rc = rt_session_open(&s, engine);
	if (rc < 0)
		return rc;
	if (!j->insert) {
		Author *author = NULL;
		rc = Author_get(&author, s, j->key);
		if (rc == RT_OK && author) {
			j->got = author->id;
			snprintf(j->text, sizeof(j->text), "%s", author->name ? author->name : "");
		}
	} else {
		Author *author = NULL;
		char name[32];
		snprintf(name, sizeof(name), "new %d", j->number);
		if ((rc = Author_new(&author, s)) == RT_OK &&
		    (rc = Author_set_name(author, j->name ? j->name : name)) == RT_OK)
			rc = rt_session_commit(s);
		if (rc == RT_OK)
			j->got = author->id;
	}
	rt_session_close(s);
	return rc;
}

/* Streams every author (a streamed query has the shared connection to
 * itself while it runs): got = the rows, text = "ok" when each was read
 * whole. */
static int stream_work(void *arg)
{
	job *j = arg;
	rt_session *s = NULL;
	int rc = rt_session_open(&s, engine);
	if (rc < 0)
		return rc;
	rt_query *q = NULL;
	if ((rc = Author_query(&q, s)) == RT_OK &&
	    (rc = rt_query_order_by(q, Author_c.id.ref, false)) == RT_OK)
		rc = rt_query_stream(q);
	Author *a = NULL;
	bool whole = true;
	while (rc == RT_OK && (rc = rt_query_next(q, &a)) == RT_ROW) {
		if (a->id <= j->last)
			whole = false;
		j->last = a->id;
		j->got++;
		rc = RT_OK;
	}
	if (rc == RT_DONE)
		rc = RT_OK;
	snprintf(j->text, sizeof(j->text), "%s", whole ? "ok" : "out of order");
	rt_query_free(q);
	rt_session_close(s);
	return rc;
}

/* PostgreSQL: a statement on the session's connection that sleeps on the
 * server, then returns the job's key. */
static int sleep_work(void *arg)
{
	job *j = arg;
	rt_session *s = NULL;
	int rc = rt_session_open(&s, engine);
	if (rc < 0)
		return rc;
	rt_conn *conn = NULL;
	rt_stmt *stmt = NULL;
	rc = rt__session_conn(s, &conn);
	if (rc == RT_OK)
		rc = rt__conn_statement(conn, "SELECT CAST(? AS bigint), pg_sleep(CAST(? AS float8))",
					&stmt);
	if (rc == RT_OK && (rc = rt_stmt_bind_int64(stmt, 1, j->key)) == RT_OK &&
	    (rc = rt_stmt_bind_double(stmt, 2, j->sleep_s)) == RT_OK)
		rc = rt_stmt_step(stmt);
	if (rc == RT_ROW) {
		j->got = rt_stmt_column_int64(stmt, 0);
		rc = RT_OK;
	} else if (rc == RT_DONE) {
		rc = RT_EDATABASE;
	}
	rt_session_close(s);
	return rc;
}

static void seed(void)
{
	rt_session *s = open_session(engine);
	for (int i = 1; i <= AUTHORS; i++) {
		Author *a = NULL;
		char name[32];
		snprintf(name, sizeof(name), "author %d", i);
		CHECK_OK(Author_new(&a, s));
		CHECK_OK(Author_set_name(a, name));
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

/* The most operations one connection of the pool was lent to at once. */
static int most_shared(void)
{
	int most = 0;
	pthread_mutex_lock(&engine->pool.mutex);
	for (size_t i = 0; i < engine->pool.lent_count; i++)
		if (engine->pool.lent[i]->leases > most)
			most = engine->pool.lent[i]->leases;
	pthread_mutex_unlock(&engine->pool.mutex);
	return most;
}

static int run_all(loop *l, rt_async *a, int64_t limit_ms, int *shared)
{
	int64_t began = rt__now_ms();
	while (rt_async_running(a) && rt__now_ms() - began < limit_ms) {
		loop_once(l, a);
		int most = most_shared();
		if (shared && most > *shared)
			*shared = most;
	}
	return (int)rt_async_running(a);
}

static void test_thousand_in_flight(void)
{
	loop l;
	rt_async *a = new_async(&l, engine);
	static job jobs[OPS];
	for (int i = 0; i < OPS; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].number = i;
		/* Every fourth inserts; the others read a row of their own. */
		jobs[i].insert = i % 4 == 3;
		jobs[i].key = 1 + (i * 7) % AUTHORS;
		CHECK_OK(rt_async_run(a, NULL, orm_work, &jobs[i], on_done, &jobs[i]));
	}
	int shared = 0;
	int64_t began = rt__now_ms();
	CHECK_INT(run_all(&l, a, 120000, &shared), 0);
	int bad = 0;
	for (int i = 0; i < OPS; i++) {
		char expected[32] = "";
		if (!jobs[i].insert)
			snprintf(expected, sizeof(expected), "author %lld", (long long)jobs[i].key);
		bool ok = jobs[i].done_calls == 1 && jobs[i].rc == RT_OK &&
			  strcmp(jobs[i].text, expected) == 0 &&
			  (jobs[i].insert ? jobs[i].got > AUTHORS : jobs[i].got == jobs[i].key);
		if (!ok && bad++ < 3)
			fprintf(stderr, "job %d: %d calls, rc %d (%s), read %lld '%s'\n", i,
				jobs[i].done_calls, jobs[i].rc, jobs[i].error,
				(long long)jobs[i].got, jobs[i].text);
	}
	CHECK_INT(bad, 0);
	/* Committed by themselves: another connection sees every insert. */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name LIKE 'new %'"), OPS / 4);
	printf("%d operations in autocommit over a pool of %d in %lld ms; at most %d on one "
	       "connection at once\n",
	       OPS, engine->pool.size, (long long)(rt__now_ms() - began), shared);
	if (orm_test_is_postgres())
		CHECK(shared > 1); /* caps.shared_pipeline */
	else
		CHECK_INT(shared, 0);
	CHECK(engine->pool.open <= 4);
	rt_async_free(a);
	loop_close(&l);
}

/* commit, rollback and savepoints in autocommit (blocking API). */
static void test_session_semantics(void)
{
	rt_session *s = open_session(engine);
	Author *kept = NULL, *dropped = NULL;
	CHECK_OK(Author_new(&kept, s));
	CHECK_OK(Author_set_name(kept, "flushed"));
	CHECK_OK(rt_session_flush(s));
	/* Flushed is committed: another connection sees it at once. */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'flushed'"), 1);
	CHECK_OK(Author_set_name(kept, "changed, never flushed"));
	CHECK_OK(Author_new(&dropped, s));
	CHECK_OK(Author_set_name(dropped, "pending"));
	/* A rollback cannot undo what was committed: it only puts back what
	 * was not flushed. */
	CHECK_OK(rt_session_rollback(s));
	CHECK_STR(kept->name, "flushed");
	CHECK_INT(rt__object_header(kept)->state, RT_STATE_PERSISTENT);
	CHECK_INT(rt__object_header(dropped)->state, RT_STATE_DETACHED);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'flushed'"), 1);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'pending'"), 0);
	/* No transaction, so no savepoint. */
	rt_savepoint *sp = NULL;
	CHECK_INT(rt_session_begin_nested(&sp, s), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "autocommit") != NULL);
	rt_session_close(s);
}

/* Runs jobs on work, all at once, to the end. */
static void run_jobs(loop *l, rt_async *a, job *jobs, int n, int (*work)(void *),
		     rt_async_op **ops)
{
	for (int i = 0; i < n; i++)
		CHECK_OK(rt_async_run(a, ops ? &ops[i] : NULL, work, &jobs[i], on_done, &jobs[i]));
	(void)l;
}

/* A duplicate name between good reads and inserts, all on one connection. */
static void test_error_in_the_middle(void)
{
	loop l;
	rt_async *a = new_async(&l, engine);
	job jobs[9];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 9; i++) {
		jobs[i].number = 5000 + i;
		jobs[i].key = 10 + i;
		jobs[i].insert = i % 2 == 1;
	}
	jobs[5].name = "author 1"; /* taken: a unique violation */
	run_jobs(&l, a, jobs, 9, orm_work, NULL);
	int shared = 0;
	CHECK_INT(run_all(&l, a, 30000, &shared), 0);
	CHECK(shared > 1);
	for (int i = 0; i < 9; i++) {
		CHECK_INT(jobs[i].done_calls, 1);
		if (i == 5) {
			CHECK_INT(jobs[i].rc, RT_ECONSTRAINT);
			continue;
		}
		CHECK_INT(jobs[i].rc, RT_OK);
		if (!jobs[i].insert)
			CHECK_INT(jobs[i].got, jobs[i].key);
	}
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name LIKE 'new 500%'"), 3);
	rt_async_free(a);
	loop_close(&l);
}

/* Gets in the pipeline, then a streamed query, then more gets, on one
 * connection: the stream waits for the gets sent before it, the later
 * ones wait for the stream. */
static void test_stream_among_gets(void)
{
	loop l;
	rt_async *a = new_async(&l, engine);
	job jobs[9];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 9; i++)
		jobs[i].key = 20 + i;
	long long authors = db_int(engine, "SELECT COUNT(*) FROM authors");
	for (int i = 0; i < 9; i++)
		CHECK_OK(rt_async_run(a, NULL, i == 4 ? stream_work : orm_work, &jobs[i], on_done,
				      &jobs[i]));
	int shared = 0;
	CHECK_INT(run_all(&l, a, 30000, &shared), 0);
	CHECK(shared > 1);
	for (int i = 0; i < 9; i++) {
		CHECK_INT(jobs[i].done_calls, 1);
		CHECK_INT(jobs[i].rc, RT_OK);
		if (i != 4)
			CHECK_INT(jobs[i].got, jobs[i].key);
	}
	CHECK_INT(jobs[4].got, authors);
	CHECK_STR(jobs[4].text, "ok");
	/* The statement after the stream reads its row whole (libpq's
	 * single-row mode ended with the stream). */
	job after = {.key = 30};
	CHECK_OK(rt_async_run(a, NULL, orm_work, &after, on_done, &after));
	CHECK_INT(run_all(&l, a, 30000, NULL), 0);
	CHECK_INT(after.rc, RT_OK);
	CHECK_INT(after.got, 30);
	rt_async_free(a);
	loop_close(&l);
}

/* Five statements in the connection's pipeline; the third cancelled while
 * it waits for its results. */
static void test_cancel_one(void)
{
	loop l;
	rt_async *a = new_async(&l, engine);
	job jobs[5];
	rt_async_op *ops[5];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 5; i++) {
		jobs[i].key = 100 + i;
		jobs[i].sleep_s = 0.4;
	}
	run_jobs(&l, a, jobs, 5, sleep_work, ops);
	/* All five sent (the server runs them one after the other: 2 s). */
	int shared = 0;
	int64_t began = rt__now_ms();
	while (rt__now_ms() - began < 150) {
		loop_once(&l, a);
		int most = most_shared();
		if (most > shared)
			shared = most;
	}
	CHECK_INT(shared, 5);
	CHECK_INT(jobs[2].done_calls, 0);
	CHECK_OK(rt_async_cancel(ops[2]));
	CHECK_INT(run_all(&l, a, 30000, NULL), 0);
	for (int i = 0; i < 5; i++) {
		CHECK_INT(jobs[i].done_calls, 1);
		if (i == 2) {
			CHECK_INT(jobs[i].rc, RT_ECANCELED);
			continue;
		}
		CHECK_INT(jobs[i].rc, RT_OK);
		CHECK_INT(jobs[i].got, 100 + i);
	}
	/* The connection is still the pool's, and serves the next. */
	job after = {.key = 7};
	CHECK_OK(rt_async_run(a, NULL, orm_work, &after, on_done, &after));
	CHECK_INT(run_all(&l, a, 30000, NULL), 0);
	CHECK_INT(after.rc, RT_OK);
	CHECK_INT(after.got, 7);
	CHECK_INT(engine->pool.open, 1);
	rt_async_free(a);
	loop_close(&l);
}

/* The server ends the connection while four operations wait on it. */
static void test_lost_connection(void)
{
	loop l;
	rt_async *a = new_async(&l, engine);
	job jobs[4];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 4; i++) {
		jobs[i].key = 200 + i;
		jobs[i].sleep_s = 2;
	}
	run_jobs(&l, a, jobs, 4, sleep_work, NULL);
	int64_t began = rt__now_ms();
	while (rt__now_ms() - began < 150)
		loop_once(&l, a);
	CHECK_INT(most_shared(), 4);
	/* Another engine (in transactions) ends every other backend of the
	 * database. */
	rt_engine *killer = NULL;
	CHECK_OK(rt_engine_open(&killer, rt_test_url(), NULL));
	CHECK(db_int(killer, "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM "
			     "pg_stat_activity WHERE datname = current_database() AND pid <> "
			     "pg_backend_pid() AND query LIKE '%pg_sleep%') t") >= 1);
	rt_engine_free(killer);
	CHECK_INT(run_all(&l, a, 30000, NULL), 0);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(jobs[i].done_calls, 1);
		CHECK_INT(jobs[i].rc, RT_ECONNECT);
		CHECK(strstr(jobs[i].error, "connection") != NULL);
	}
	/* The pool dropped it and opens another for the next operation. */
	CHECK_INT(engine->pool.open, 0);
	job after = {.key = 9};
	CHECK_OK(rt_async_run(a, NULL, orm_work, &after, on_done, &after));
	CHECK_INT(run_all(&l, a, 30000, NULL), 0);
	CHECK_INT(after.rc, RT_OK);
	CHECK_INT(after.got, 9);
	rt_async_free(a);
	loop_close(&l);
}

int main(void)
{
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.pool_size = 4;
	options.pool_timeout_ms = 60000;
	options.isolation_level = "autocommit";
	engine = orm_test_engine_with(&options);
	seed();
	RT_RUN(test_thousand_in_flight);
	RT_RUN(test_session_semantics);
	rt_engine_free(engine);

	if (orm_test_is_postgres()) {
		/* One connection for everyone: every operation shares it. */
		options.pool_size = 1;
		if (rt_engine_open(&engine, rt_test_url(), &options) != RT_OK) {
			fprintf(stderr, "cannot open %s: %s\n", rt_test_url(),
				rt_error_last()->message);
			return 1;
		}
		RT_RUN(test_stream_among_gets);
		RT_RUN(test_error_in_the_middle);
		RT_RUN(test_cancel_one);
		RT_RUN(test_lost_connection);
		rt_engine_free(engine);
	}
	return rt_test_done();
}
