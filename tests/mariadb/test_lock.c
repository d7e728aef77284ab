/*
 * test_lock.c - the migration lock on MariaDB (migrate/lock.h,
 * dialect/mariadb_lock.c), on the mariadb_server fixture's server.
 *
 * On a single server the lock is GET_LOCK, held by the run's session
 * across the commits its DDL makes: a second run waits, then fails after
 * its timeout naming the connection that holds it, and takes the lock
 * once it is released or the holder's session ends. On a Galera node
 * (wsrep_on = ON) GET_LOCK is node-local, so the lock is the lease row.
 * A Galera cluster cannot be started here: the choice is tested on the
 * value the server reports (this server's real wsrep_on, OFF) and on the
 * values a Galera node and MySQL report ("ON", no variable).
 */
#include <stdio.h>
#include <string.h>

#include "test.h"

#include "base/error.h"
#include "dialect/mariadb.h"
#include "engine/engine.h"
#include "migrate/lock.h"

static rt_engine *engine;

static rt_buf waiting = RT_BUF_INIT;

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	rt__buf_printf(&waiting, "%s\n", line);
}

/* The choice, on what a server says its wsrep_on is. */
static void test_choice(void)
{
	CHECK_INT(rt__mariadb_lock_method_of("ON"), RT_LOCK_LEASE_TABLE);
	CHECK_INT(rt__mariadb_lock_method_of("1"), RT_LOCK_LEASE_TABLE);
	CHECK_INT(rt__mariadb_lock_method_of("OFF"), RT_LOCK_NAMED);
	CHECK_INT(rt__mariadb_lock_method_of(NULL), RT_LOCK_NAMED);

	/* This server: wsrep_on is read, and is OFF. */
	rt_conn *conn = NULL;
	CHECK_OK(rt_conn_open(&conn, engine));
	if (!conn)
		return;
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_stmt_prepare(&stmt, conn, "SELECT @@wsrep_on"));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	CHECK_INT(rt_stmt_column_int64(stmt, 0), 0);
	rt_stmt_finalize(stmt);
	rt_lock_method method = RT_LOCK_LEASE_TABLE;
	CHECK_OK(conn->dialect->lock_method_for(&method, conn->dialect, conn->driver));
	CHECK_INT(method, RT_LOCK_NAMED);
	rt_conn_close(conn);
}

/* A second run waits for the first, fails after its timeout naming the
 * holder, and takes the lock once the first releases it. */
static void test_held_elsewhere(void)
{
	rt_conn *first = NULL, *second = NULL;
	CHECK_OK(rt_conn_open(&first, engine));
	CHECK_OK(rt_conn_open(&second, engine));
	if (!first || !second)
		return;
	rt_lock *held = NULL, *lock = NULL;
	rt_lock_options lo = {.method = RT_LOCK_METHOD_DEFAULT, .name = "alembic_version"};
	CHECK_OK(rt__lock_acquire(&held, first, &lo));
	/* It holds across commits: DDL commits by itself on MariaDB. */
	CHECK_OK(rt__lock_begin(held));
	CHECK_OK(rt_conn_execute(first, "CREATE TABLE IF NOT EXISTS lock_probe (id INT)"));
	CHECK_OK(rt_conn_commit(first));

	rt_lock_options wait = lo;
	wait.timeout_ms = 300;
	wait.waiting = log_line;
	CHECK_INT(rt__lock_acquire(&lock, second, &wait), RT_ELOCKED);
	const char *message = rt_error_last()->message;
	printf("lock timeout: %s\n", message);
	CHECK(strstr(message, "could not take the migration lock") != NULL);
	CHECK(strstr(message, "within 0.300 s: it is held by connection ") != NULL);
	CHECK(strstr(rt__buf_cstr(&waiting), "INFO  Waiting for the migration lock (held by "
					     "connection ") != NULL);
	CHECK(lock == NULL);

	/* Another version table (another project) is another lock. */
	rt_lock_options other = wait;
	other.name = "other_version";
	CHECK_OK(rt__lock_acquire(&lock, second, &other));
	rt__lock_release(lock);
	lock = NULL;

	rt__lock_release(held);
	CHECK_OK(rt__lock_acquire(&lock, second, &wait));
	rt__lock_release(lock);

	/* A holder whose session ends (killed) leaves no lock behind. */
	CHECK_OK(rt_conn_execute(first, "DROP TABLE lock_probe"));
	CHECK_OK(rt__lock_acquire(&held, first, &lo));
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_stmt_prepare(&stmt, first, "SELECT CONNECTION_ID()"));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	char kill[64];
	snprintf(kill, sizeof(kill), "KILL CONNECTION %lld",
		 (long long)rt_stmt_column_int64(stmt, 0));
	rt_stmt_finalize(stmt);
	CHECK_OK(rt_conn_execute(second, kill));
	lock = NULL;
	CHECK_OK(rt__lock_acquire(&lock, second, &wait));
	rt__lock_release(lock);
	/* Releasing on the dead session fails quietly (nothing is held). */
	rt__lock_release(held);
	rt_conn_close(first);
	rt_conn_close(second);
}

int main(void)
{
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", rt_test_url(), rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_choice);
	RT_RUN(test_held_elsewhere);
	rt_engine_free(engine);
	rt__buf_free(&waiting);
	return rt_test_done();
}
