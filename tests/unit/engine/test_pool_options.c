/*
 * test_pool_options.c - engine options and the pool without a database
 * server (in-memory SQLite only):
 *
 *   - options of version 1 and 2, defaults, bad values;
 *   - an in-memory database is one connection, whatever pool_size says,
 *     so every user of the engine sees the same data;
 *   - the scoped-state slot: destroy runs once, when the engine is freed;
 *   - the statement cache: same SQL, same statement; an evicted statement
 *     is prepared again and works; rt_stmt_finalize leaves a cached one;
 *   - misuse: NULL arguments are RT_EINVAL, release of NULL is harmless.
 */
#include <string.h>

#include "engine/engine.h"
#include "retort.h"
#include "test.h"

static void test_defaults(void)
{
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, "sqlite:///pool_options.db", NULL));
	CHECK_INT(engine->pool.size, 5);
	CHECK_INT(engine->pool.timeout_ms, 30000);
	CHECK(engine->echo_stream == stderr);
	rt_engine_free(engine);

	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	CHECK_INT(opts.version, 4);
	opts.pool_size = 12;
	opts.pool_timeout_ms = -5;
	CHECK_OK(rt_engine_open(&engine, "sqlite:///pool_options.db", &opts));
	CHECK_INT(engine->pool.size, 12);
	CHECK_INT(engine->pool.timeout_ms, -1);
	rt_engine_free(engine);
	remove("pool_options.db");

	/* A version-1 caller's struct ends after echo: nothing past it is read. */
	struct {
		int version;
		int echo;
	} v1 = {1, 0};
	CHECK_OK(rt_engine_open(&engine, "sqlite://", (const rt_engine_options *)&v1));
	CHECK_INT(engine->pool.size, 1);
	rt_engine_free(engine);

	opts.version = 0;
	CHECK_INT(rt_engine_open(&engine, "sqlite://", &opts), RT_EINVAL);
	CHECK(engine == NULL);
	opts.version = 2;
	opts.pool_size = -3;
	CHECK_INT(rt_engine_open(&engine, "sqlite://", &opts), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "pool_size"));
}

/* Pre-ping and recycle: from the options, from the URL (taken out of the
 * driver's options), the options winning over the URL. */
static void test_pool_health_options(void)
{
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, "sqlite://", NULL));
	CHECK(!engine->pool.pre_ping);
	CHECK_INT(engine->pool.recycle_ms, 0);
	rt_engine_free(engine);

	CHECK_OK(rt_engine_open(&engine, "postgresql://h/db?pool_pre_ping=1.5&pool_recycle=60&"
					 "sslmode=disable", NULL));
	CHECK(engine->pool.pre_ping);
	CHECK_INT(engine->pool.pre_ping_idle_ms, 1500);
	CHECK_INT(engine->pool.recycle_ms, 60000);
	CHECK_INT((int)engine->params.option_count, 1);
	CHECK_STR(engine->params.option_keys[0], "sslmode");
	rt_engine_free(engine);

	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_pre_ping = 1;
	opts.pool_pre_ping_idle_ms = 250;
	opts.pool_recycle_ms = 900;
	CHECK_OK(rt_engine_open(&engine, "sqlite://?pool_pre_ping=false&pool_recycle=-1", &opts));
	CHECK(engine->pool.pre_ping);
	CHECK_INT(engine->pool.pre_ping_idle_ms, 250);
	CHECK_INT(engine->pool.recycle_ms, 900);
	rt_engine_free(engine);

	/* A version-3 caller's struct has none of them: the URL's hold. */
	opts.version = 3;
	CHECK_OK(rt_engine_open(&engine, "sqlite://?pool_pre_ping=true", &opts));
	CHECK(engine->pool.pre_ping);
	CHECK_INT(engine->pool.pre_ping_idle_ms, 0);
	CHECK_INT(engine->pool.recycle_ms, 0);
	rt_engine_free(engine);
	engine = NULL;

	CHECK_INT(rt_engine_open(&engine, "sqlite://?pool_recycle=1h", NULL), RT_EPARSE);
	CHECK_INT(rt_engine_open(&engine, "sqlite://?pool_pre_ping=-2", NULL), RT_EPARSE);
	CHECK(engine == NULL);
}

static void test_memory_is_one_connection(void)
{
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_size = 4;
	opts.pool_timeout_ms = -1;
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, "sqlite://", &opts));
	CHECK_INT(engine->pool.size, 1);
	rt_conn *a = NULL, *b = NULL;
	CHECK_OK(rt__engine_acquire(engine, &a));
	CHECK_OK(rt_conn_execute(a, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42)"));
	CHECK_INT(rt__engine_acquire(engine, &b), RT_ELOCKED);
	rt__engine_release(engine, a);
	CHECK_OK(rt__engine_acquire(engine, &b));
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(b, "SELECT x FROM t", &stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	CHECK_INT(rt_stmt_column_int64(stmt, 0), 42); /* the same database */
	rt__engine_release(engine, b);
	rt_engine_free(engine);

	CHECK_OK(rt_engine_open(&engine, "sqlite:///:memory:", &opts));
	CHECK_INT(engine->pool.size, 1);
	rt_engine_free(engine);
}

static int destroyed;

static void destroy_state(void *state)
{
	destroyed += *(int *)state;
}

static void test_scoped_state(void)
{
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, "sqlite://", NULL));
	CHECK(rt__engine_scoped_state(engine) == NULL);
	static int state = 3;
	CHECK_OK(rt__engine_set_scoped_state(engine, &state, destroy_state));
	CHECK(rt__engine_scoped_state(engine) == &state);
	CHECK_INT(destroyed, 0);
	rt_engine_free(engine);
	CHECK_INT(destroyed, 3);
	CHECK_INT(rt__engine_set_scoped_state(NULL, &state, destroy_state), RT_EINVAL);
	CHECK(rt__engine_scoped_state(NULL) == NULL);
}

static void test_cache(void)
{
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, "sqlite://", NULL));
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	rt_stmt *first = NULL, *again = NULL;
	CHECK_OK(rt__conn_statement(conn, "SELECT 1", &first));
	CHECK_OK(rt__conn_statement(conn, "SELECT 1", &again));
	CHECK(first == again);
	CHECK(first->cached);
	rt_stmt_finalize(first); /* stays in the cache */
	CHECK_OK(rt__conn_statement(conn, "SELECT 1", &again));
	CHECK(first == again);
	/* 300 others: "SELECT 1" is evicted, then prepared anew. */
	for (int i = 0; i < 300; i++) {
		char sql[32];
		rt_stmt *stmt = NULL;
		snprintf(sql, sizeof(sql), "SELECT %d + 1", i);
		CHECK_OK(rt__conn_statement(conn, sql, &stmt));
		CHECK_INT(rt_stmt_step(stmt), RT_ROW);
		CHECK_INT(rt_stmt_column_int64(stmt, 0), i + 1);
	}
	CHECK_OK(rt__conn_statement(conn, "SELECT 1", &again));
	CHECK_INT(rt_stmt_step(again), RT_ROW);
	CHECK_INT(rt_stmt_column_int64(again, 0), 1);

	/* Misuse. */
	rt_stmt *stmt = (rt_stmt *)1;
	CHECK_INT(rt__conn_statement(NULL, "SELECT 1", &stmt), RT_EINVAL);
	CHECK(stmt == NULL);
	CHECK_INT(rt__conn_statement(conn, NULL, &stmt), RT_EINVAL);
	CHECK_INT(rt__conn_statement(conn, "SELECT 1", NULL), RT_EINVAL);
	rt_conn *none = (rt_conn *)1;
	CHECK_INT(rt__engine_acquire(NULL, &none), RT_EINVAL);
	CHECK(none == NULL);
	CHECK_INT(rt__stmt_run_batch(NULL, NULL, NULL), RT_EINVAL);
	CHECK_INT(rt__stmt_set_streaming(NULL), RT_EINVAL);
	CHECK_INT(rt__stmt_changes(NULL), 0);
	rt__engine_release(engine, NULL);
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
}

int main(void)
{
	RT_RUN(test_defaults);
	RT_RUN(test_pool_health_options);
	RT_RUN(test_memory_is_one_connection);
	RT_RUN(test_scoped_state);
	RT_RUN(test_cache);
	return rt_test_done();
}
