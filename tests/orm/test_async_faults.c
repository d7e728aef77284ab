/*
 * test_async_faults.c - the non-blocking API when things go wrong under
 * it, on a real database and one of the shipped loops (async_loop.h):
 *
 *   - the server ends the connections of operations in flight: each of
 *     them completes with an error that says so, none hangs, and the pool
 *     recovers: the operations after them succeed on new connections;
 *   - a server that never answers: the connect timeout ends the operation
 *     with a timeout error while the loop goes on turning;
 *   - SQLite has no server to lose: instead, another process holds the
 *     database file's lock while operations are in flight: each ends with
 *     RT_ELOCKED after the URL's busy timeout, and once the lock is gone
 *     new operations succeed (a file made unreadable is no test here: the
 *     tests may run as root, whom file modes do not stop);
 *   - the engine freed with operations in flight (with and without the
 *     scheduler freed first): each completes once with RT_ECANCELED and a
 *     message naming the cause, nothing leaks (valgrind, ASan), and the
 *     scheduler refuses new operations until the program frees it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "async_loop.h"
#include "base/wait.h"
#include "engine/engine.h"
#include "session_test.h"
#include "retort/async.h"

#define POOL 4

static rt_engine *engine;

/* What one operation did, as its done callback saw it. */
typedef struct result {
	int done_calls;
	int rc;
	char error[300];
} result;

static void on_done(rt_async_op *op, int rc, void *user)
{
	result *r = user;
	(void)op;
	r->done_calls++;
	r->rc = rc;
	snprintf(r->error, sizeof(r->error), "%s", rc < 0 ? rt_error_last()->message : "");
}

/* Runs the loop until no operation is in flight or limit_ms pass. */
static void run_until_idle(loop *l, rt_async *a, int limit_ms)
{
	int64_t began = rt__now_ms();
	while (rt_async_running(a) && rt__now_ms() - began < limit_ms)
		loop_once(l, a);
}

static bool backend_is(const char *name)
{
	return strcmp(rt_engine_dialect(engine), name) == 0;
}

/* --- the work ------------------------------------------------------------------ */

/* A statement that keeps the server busy for seconds: an operation in
 * flight that the test can end from outside. Its text names this process,
 * so the test finds its own statements among those of earlier tests
 * (whose abandoned statements may still be running on the server). */
static char sleep_text[64], sleep_pattern[64];

static const char *sleep_sql(void)
{
	snprintf(sleep_pattern, sizeof(sleep_pattern), "%%sleeper of %ld%%", (long)getpid());
	snprintf(sleep_text, sizeof(sleep_text), "SELECT %s(30), 'sleeper of %ld'",
		 backend_is("postgresql") ? "pg_sleep" : "SLEEP", (long)getpid());
	return sleep_text;
}

/* sql with the sleepers' LIKE pattern in it, in out. */
static const char *with_pattern(char *out, size_t size, const char *sql)
{
	snprintf(out, size, sql, sleep_pattern);
	return out;
}

typedef struct sleeper {
	rt_engine *engine;
	int64_t hold_ms; /* SQLite: how long to hold the connection */
} sleeper;

/* Takes a pooled connection and keeps it busy: on a server, a long
 * statement; on SQLite (nothing runs long there), a transaction held
 * open while the fiber waits. */
static int sleep_work(void *arg)
{
	sleeper *s = arg;
	rt_conn *conn = NULL;
	int rc = rt__engine_acquire(s->engine, &conn);
	if (rc < 0)
		return rc;
	if (strcmp(rt_engine_dialect(s->engine), "sqlite") == 0) {
		rc = rt_conn_execute(conn, "BEGIN");
		if (rc == RT_OK)
			rc = rt_conn_execute(conn, "SELECT COUNT(*) FROM authors");
		int64_t until = rt__now_ms() + s->hold_ms;
		int pipe_fd[2];
		if (rc == RT_OK && pipe(pipe_fd) == 0) {
			/* A descriptor that never becomes ready: a fiber's sleep. */
			while (rc == RT_OK && rt__now_ms() < until) {
				int got = rt__wait_fd(pipe_fd[0], RT_WAIT_READ, 10);
				rc = got < 0 ? got : RT_OK;
			}
			close(pipe_fd[0]);
			close(pipe_fd[1]);
		}
	} else {
		rc = rt_conn_execute(conn, sleep_sql());
	}
	rt_conn_close(conn);
	return rc;
}

/* A short session's work: reads an author, then adds a book for it. */
static int quick_work(void *arg)
{
	rt_engine *e = arg;
	rt_session *s = NULL;
	int rc = rt_session_open(&s, e);
	if (rc < 0)
		return rc;
	Author *author = NULL;
	rc = Author_get(&author, s, 1);
	if (rc == RT_OK && !author)
		rc = rt__error_set(RT_ENOTFOUND, "author 1 is missing");
	/* The read's transaction ends before the write's begins: on SQLite
	 * a transaction that reads and then writes meets another writer as
	 * SQLITE_BUSY at once, whichever API runs it. */
	if (rc == RT_OK)
		rc = rt_session_rollback(s);
	Book *book = NULL;
	if (rc == RT_OK && (rc = Book_new(&book, s)) == RT_OK &&
	    (rc = Book_set_title(book, "after the fault")) == RT_OK) {
		book->author_id = 1;
		rc = rt_session_commit(s);
	}
	rt_session_close(s);
	return rc;
}

/* Runs count quick operations to their end; all must succeed. */
static void check_quick_ops(loop *l, rt_async *a, int count, const char *when)
{
	result r[16];
	memset(r, 0, sizeof(r));
	for (int i = 0; i < count; i++)
		CHECK_OK(rt_async_run(a, NULL, quick_work, engine, on_done, &r[i]));
	run_until_idle(l, a, 30000);
	CHECK_INT(rt_async_running(a), 0);
	for (int i = 0; i < count; i++) {
		if (r[i].done_calls != 1 || r[i].rc != RT_OK)
			fprintf(stderr, "%s: quick op %d: %d calls, rc %d: %s\n", when, i,
				r[i].done_calls, r[i].rc, r[i].error);
		CHECK_INT(r[i].done_calls, 1);
		CHECK_INT(r[i].rc, RT_OK);
	}
}

/* --- the server goes away -------------------------------------------------------- */

/* How many of the sleepers' statements the server is running now (in
 * this test's database: other tests share the server). This query names
 * the pattern too: one of its own, still shown on a connection the
 * server has not finished closing, is not a sleeper. */
static long long sleeping_on_server(void)
{
	char sql[300];
	return db_int(engine, with_pattern(sql, sizeof(sql),
			backend_is("postgresql")
				? "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' "
				  "AND query LIKE '%s' AND pid <> pg_backend_pid() "
				  "AND query NOT LIKE '%%pg_stat_activity%%'"
				: "SELECT COUNT(*) FROM information_schema.processlist "
				  "WHERE info LIKE '%s' AND id <> CONNECTION_ID() "
				  "AND command <> 'Killed' AND info NOT LIKE '%%processlist%%'"));
}

/* KILL CONNECTION id. A connection that ended between the processlist
 * query and the KILL ("Unknown thread id") is gone, as wanted: no
 * failure. */
static void kill_connection(long long id)
{
	char kill[64];
	snprintf(kill, sizeof(kill), "KILL CONNECTION %lld", id);
	rt_conn *conn = NULL;
	CHECK_OK(rt_conn_open(&conn, engine));
	if (conn && rt_conn_execute(conn, kill) != RT_OK)
		CHECK(strstr(rt_error_last()->message, "Unknown thread id") != NULL);
	rt_conn_close(conn);
}

/* Ends the sleepers' server sessions, from a connection of the test's
 * own (outside the pool), as an administrator or a restart would. */
static void terminate_sleepers(void)
{
	char sql[300];
	if (backend_is("postgresql")) {
		db_int(engine, with_pattern(sql, sizeof(sql),
					    "SELECT COUNT(pg_terminate_backend(pid)) "
					    "FROM pg_stat_activity WHERE state = 'active' "
					    "AND query LIKE '%s' AND pid <> pg_backend_pid() "
					    "AND query NOT LIKE '%%pg_stat_activity%%'"));
		return;
	}
	for (int i = 0; i < POOL * 2; i++) {
		long long id = db_int(engine, with_pattern(sql, sizeof(sql),
					      "SELECT MIN(id) FROM information_schema.processlist "
					      "WHERE info LIKE '%s' AND id <> CONNECTION_ID() "
					      "AND command <> 'Killed' "
					      "AND info NOT LIKE '%%processlist%%'"));
		if (id <= 0)
			break;
		kill_connection(id);
	}
}

/* The pool's connections all busy in statements; more operations queued
 * for a connection; then the server ends the busy connections. */
static void test_server_goes_away(void)
{
	if (backend_is("sqlite"))
		return; /* no server: test_file_locked */
	sleep_sql(); /* sets sleep_pattern */
	loop l;
	rt_async *a = new_async(&l, engine);
	sleeper s = {engine, 0};
	result sleepers[POOL], queued[POOL];
	memset(sleepers, 0, sizeof(sleepers));
	memset(queued, 0, sizeof(queued));
	for (int i = 0; i < POOL; i++)
		CHECK_OK(rt_async_run(a, NULL, sleep_work, &s, on_done, &sleepers[i]));
	int64_t began = rt__now_ms();
	while (sleeping_on_server() < POOL && rt__now_ms() - began < 10000)
		for (int k = 0; k < 5; k++)
			loop_once(&l, a);
	CHECK_INT(sleeping_on_server(), POOL);
	for (int i = 0; i < POOL; i++)
		CHECK_OK(rt_async_run(a, NULL, quick_work, engine, on_done, &queued[i]));
	for (int k = 0; k < 5; k++)
		loop_once(&l, a);
	CHECK_INT(rt_async_running(a), 2 * POOL);

	terminate_sleepers();
	run_until_idle(&l, a, 20000);
	CHECK_INT(rt_async_running(a), 0);
	/* Each sleeper learnt that its connection was lost, by name. */
	for (int i = 0; i < POOL; i++) {
		CHECK_INT(sleepers[i].done_calls, 1);
		if (sleepers[i].rc != RT_ECONNECT)
			fprintf(stderr, "sleeper %d: rc %d: %s\n", i, sleepers[i].rc,
				sleepers[i].error);
		CHECK_INT(sleepers[i].rc, RT_ECONNECT);
		CHECK(strstr(sleepers[i].error, "connection") != NULL);
	}
	/* The queued ones got the freed places, on new connections. */
	for (int i = 0; i < POOL; i++) {
		if (queued[i].rc != RT_OK)
			fprintf(stderr, "queued %d: rc %d: %s\n", i, queued[i].rc, queued[i].error);
		CHECK_INT(queued[i].done_calls, 1);
		CHECK_INT(queued[i].rc, RT_OK);
	}
	/* And the pool serves whatever comes next. */
	check_quick_ops(&l, a, 2 * POOL, "after the server ended the connections");
	CHECK(engine->pool.open <= POOL);
	/* The blocking API takes the same pooled connections (which the
	 * loop watched, libuv setting them non-blocking) and works as well. */
	for (int i = 0; i < 2; i++)
		CHECK_OK(quick_work(engine));
	rt_async_free(a);
	loop_close(&l);
}

/* A listening socket that accepts connections (the kernel does) and
 * never says a word: a server that stopped answering. */
static int silent_server(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(addr);
	CHECK(fd >= 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	CHECK_INT(listen(fd, 16), 0);
	CHECK_INT(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	*port = ntohs(addr.sin_port);
	return fd;
}

static int connect_work(void *arg)
{
	rt_engine *e = arg;
	rt_conn *conn = NULL;
	int rc = rt__engine_acquire(e, &conn);
	if (rc == RT_OK)
		rc = rt_conn_execute(conn, "SELECT 1");
	rt_conn_close(conn);
	return rc;
}

/* The server accepts the connection and never answers: the connect
 * timeout (one second, from the URL) ends the operation, with a message
 * that says so, while the loop keeps turning. */
static void test_server_never_answers(void)
{
	if (backend_is("sqlite"))
		return;
	int port;
	int listener = silent_server(&port);
	char url[200];
	if (backend_is("postgresql"))
		snprintf(url, sizeof(url),
			 "postgresql://postgres@127.0.0.1:%d/postgres?connect_timeout=1", port);
	else
		snprintf(url, sizeof(url), "mysql://retort@127.0.0.1:%d/retort?connect_timeout=1",
			 port);
	rt_engine *silent = NULL;
	CHECK_OK(rt_engine_open(&silent, url, NULL));
	loop l;
	rt_async *a = new_async(&l, silent);
	result r[2];
	memset(r, 0, sizeof(r));
	for (int i = 0; i < 2; i++)
		CHECK_OK(rt_async_run(a, NULL, connect_work, silent, on_done, &r[i]));
	int64_t began = rt__now_ms();
	run_until_idle(&l, a, 15000);
	int64_t took = rt__now_ms() - began;
	CHECK_INT(rt_async_running(a), 0);
	for (int i = 0; i < 2; i++) {
		CHECK_INT(r[i].done_calls, 1);
		if (r[i].rc != RT_ECONNECT || !strstr(r[i].error, "timeout") ||
		    !strstr(r[i].error, "127.0.0.1"))
			fprintf(stderr, "op %d: rc %d: %s\n", i, r[i].rc, r[i].error);
		CHECK_INT(r[i].rc, RT_ECONNECT);
		CHECK(strstr(r[i].error, "timeout") != NULL || strstr(r[i].error, "Timeout"));
	}
	/* Both timed out together, after about the second asked for: the
	 * loop was never stopped by one of them. */
	CHECK(took >= 900 && took < 5000);
	CHECK(l.turns > 2);
	rt_async_free(a);
	loop_close(&l);
	rt_engine_free(silent);
	close(listener);
}

/* --- SQLite: the file locked by another process ------------------------------------ */

/* A child process that takes the database's write lock (BEGIN
 * IMMEDIATE), says so on `locked`, and holds it until `release` is
 * closed. */
static pid_t lock_in_child(const char *url, int *locked_fd, int *release_fd)
{
	int locked[2], release[2];
	CHECK_INT(pipe(locked), 0);
	CHECK_INT(pipe(release), 0);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(locked[0]);
		close(release[1]);
		rt_engine *e = NULL;
		rt_conn *c = NULL;
		if (rt_engine_open(&e, url, NULL) != RT_OK || rt_conn_open(&c, e) != RT_OK ||
		    rt_conn_execute(c, "BEGIN IMMEDIATE") != RT_OK)
			_exit(1);
		char byte = 'L';
		if (write(locked[1], &byte, 1) != 1)
			_exit(1);
		while (read(release[0], &byte, 1) > 0)
			;
		rt_conn_execute(c, "ROLLBACK");
		_exit(0);
	}
	CHECK(pid > 0);
	close(locked[1]);
	close(release[0]);
	*locked_fd = locked[0];
	*release_fd = release[1];
	return pid;
}

static void test_file_locked(void)
{
	if (!backend_is("sqlite"))
		return;
	/* The same file, with a busy timeout of a quarter second. */
	char url[600];
	snprintf(url, sizeof(url), "%s?timeout=0.25", rt_test_url());
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.pool_size = POOL;
	rt_engine *short_wait = NULL;
	CHECK_OK(rt_engine_open(&short_wait, url, &options));
	int locked, release;
	pid_t child = lock_in_child(rt_test_url(), &locked, &release);
	char byte;
	CHECK_INT(read(locked, &byte, 1), 1);

	loop l;
	rt_async *a = new_async(&l, short_wait);
	result r[2 * POOL];
	memset(r, 0, sizeof(r));
	for (int i = 0; i < 2 * POOL; i++)
		CHECK_OK(rt_async_run(a, NULL, quick_work, short_wait, on_done, &r[i]));
	run_until_idle(&l, a, 20000);
	CHECK_INT(rt_async_running(a), 0);
	for (int i = 0; i < 2 * POOL; i++) {
		CHECK_INT(r[i].done_calls, 1);
		if (r[i].rc != RT_ELOCKED)
			fprintf(stderr, "op %d: rc %d: %s\n", i, r[i].rc, r[i].error);
		CHECK_INT(r[i].rc, RT_ELOCKED);
	}
	/* The loop went on turning while the workers waited for the lock. */
	CHECK(l.turns > 2);

	close(release);
	int status = 0;
	CHECK_INT(waitpid(child, &status, 0), child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(locked);
	/* The lock gone, the same engine's connections work again. */
	result after[POOL];
	memset(after, 0, sizeof(after));
	for (int i = 0; i < POOL; i++)
		CHECK_OK(rt_async_run(a, NULL, quick_work, short_wait, on_done, &after[i]));
	run_until_idle(&l, a, 20000);
	for (int i = 0; i < POOL; i++) {
		if (after[i].rc != RT_OK)
			fprintf(stderr, "after %d: rc %d: %s\n", i, after[i].rc, after[i].error);
		CHECK_INT(after[i].done_calls, 1);
		CHECK_INT(after[i].rc, RT_OK);
	}
	rt_async_free(a);
	loop_close(&l);
	rt_engine_free(short_wait);
}

/* --- closing the engine with operations in flight ------------------------------------ */

/* An engine of its own (two connections), with two sleepers holding
 * them and two more operations queued for one. */
static rt_async *busy_engine(loop *l, rt_engine **out, sleeper *s, result *sleepers,
			     result *queued)
{
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.pool_size = 2;
	options.pool_timeout_ms = 60000;
	CHECK_OK(rt_engine_open(out, rt_test_url(), &options));
	rt_async *a = new_async(l, *out);
	s->engine = *out;
	s->hold_ms = 60000;
	sleep_sql(); /* sets sleep_pattern */
	for (int i = 0; i < 2; i++)
		CHECK_OK(rt_async_run(a, NULL, sleep_work, s, on_done, &sleepers[i]));
	/* On a server, until both statements run there; on SQLite, until
	 * both transactions are open. */
	int64_t began = rt__now_ms();
	for (int k = 0; k < 20 || (!backend_is("sqlite") && sleeping_on_server() < 2 &&
				    rt__now_ms() - began < 10000); k++)
		loop_once(l, a);
	for (int i = 0; i < 2; i++)
		CHECK_OK(rt_async_run(a, NULL, quick_work, *out, on_done, &queued[i]));
	for (int k = 0; k < 3; k++)
		loop_once(l, a);
	CHECK_INT(rt_async_running(a), 4);
	CHECK_INT((*out)->pool.open, 2);
	return a;
}

static void check_cancelled(const result *r, int count, const char *cause)
{
	for (int i = 0; i < count; i++) {
		CHECK_INT(r[i].done_calls, 1);
		CHECK_INT(r[i].rc, RT_ECANCELED);
		if (!strstr(r[i].error, cause))
			fprintf(stderr, "op %d: '%s' does not name %s\n", i, r[i].error, cause);
		CHECK(strstr(r[i].error, cause) != NULL);
	}
}

/* On a server: the statements of the ended operations do not go on
 * running there (the driver cancels what it abandons). A killed one may
 * linger a moment on a loaded machine; an abandoned one would run 30 s. */
static void check_no_statement_left(void)
{
	if (backend_is("sqlite"))
		return;
	/* None, three times in a row: a killed connection's statement can
	 * show in the processlist again a moment after it first did not
	 * (seen on MariaDB under load), then go. */
	int64_t began = rt__now_ms();
	int none = 0;
	long long left = 0;
	while (none < 3 && rt__now_ms() - began < 10000) {
		left = sleeping_on_server();
		none = left == 0 ? none + 1 : 0;
		nanosleep(&(struct timespec){0, 50 * 1000000L}, NULL);
	}
	CHECK_INT(left, 0);
	CHECK_INT(none, 3);
}

/* rt_engine_free while the scheduler has operations on its connections:
 * each completes with RT_ECANCELED inside rt_engine_free, the connections
 * come back and are closed, and the scheduler, still the program's to
 * free, refuses new operations. */
static void test_engine_freed_in_flight(void)
{
	loop l;
	rt_engine *e = NULL;
	sleeper s;
	result sleepers[2], queued[2];
	memset(sleepers, 0, sizeof(sleepers));
	memset(queued, 0, sizeof(queued));
	rt_async *a = busy_engine(&l, &e, &s, sleepers, queued);
	int64_t began = rt__now_ms();
	rt_engine_free(e);
	CHECK(rt__now_ms() - began < 5000); /* the sleepers did not run out */
	CHECK_INT(rt_async_running(a), 0);
	check_no_statement_left();
	check_cancelled(sleepers, 2, "engine was closed");
	check_cancelled(queued, 2, "engine was closed");
	result late;
	memset(&late, 0, sizeof(late));
	CHECK_INT(rt_async_run(a, NULL, quick_work, engine, on_done, &late), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "engine was closed") != NULL);
	for (int k = 0; k < 3; k++)
		loop_once(&l, a);
	CHECK_INT(late.done_calls, 0);
	rt_async_free(a);
	loop_close(&l);
}

/* rt_async_free first (each operation cancelled, naming the scheduler),
 * then rt_engine_free: the engine has nothing left to end. */
static void test_async_freed_then_engine(void)
{
	loop l;
	rt_engine *e = NULL;
	sleeper s;
	result sleepers[2], queued[2];
	memset(sleepers, 0, sizeof(sleepers));
	memset(queued, 0, sizeof(queued));
	rt_async *a = busy_engine(&l, &e, &s, sleepers, queued);
	rt_async_free(a);
	check_no_statement_left();
	check_cancelled(sleepers, 2, "scheduler was freed");
	check_cancelled(queued, 2, "scheduler was freed");
	loop_close(&l);
	CHECK_INT(e->pool.open, (int)e->pool.idle_count); /* every connection came back */
	rt_engine_free(e);
}

int main(void)
{
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.pool_size = POOL;
	options.pool_timeout_ms = 60000;
	engine = orm_test_engine_with(&options);
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('first', 0)");
	RT_RUN(test_file_locked); /* first: it forks, before any worker thread */
	RT_RUN(test_server_goes_away);
	RT_RUN(test_server_never_answers);
	RT_RUN(test_engine_freed_in_flight);
	RT_RUN(test_async_freed_then_engine);
	rt_engine_free(engine);
	return rt_test_done();
}
