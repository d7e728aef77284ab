/*
 * test_conn_setup.c - what runs on every new connection: the engine's
 * init_sql and on_connect callback (SQLAlchemy's "connect" event), and
 * SQLite's pragmas given in the URL; options refused by name and values
 * checked before anything reaches the database.
 */
#include <pthread.h>

#include "conn_test.h"

typedef struct connects {
	int count;
	int refuse; /* non-zero: on_connect fails with this code */
} connects;

static int count_connect(rt_conn *conn, void *user)
{
	connects *c = user;
	c->count++;
	if (c->refuse)
		return c->refuse;
	return RT_OK;
}

/* Per backend: SQL for init_sql, a query reading back what it set, and
 * the value the query gives. */
typedef struct setting {
	const char *init, *query, *expected;
} setting;

static setting backend_setting(void)
{
	if (orm_test_is_postgres())
		return (setting){"SET statement_timeout = 4321; SET search_path = public",
				 "SELECT current_setting('statement_timeout')", "4321ms"};
	if (orm_test_is_mariadb())
		return (setting){"SET SESSION lock_wait_timeout = 17",
				 "SELECT @@SESSION.lock_wait_timeout", "17"};
	return (setting){"PRAGMA cache_size = -1234", "PRAGMA cache_size", "-1234"};
}

/* The setting as the session's own connection sees it. */
static void session_setting(rt_engine *engine, char *out, size_t size)
{
	rt_session *s = open_session(engine);
	rt_rows *rows = NULL;
	snprintf(out, size, "(error)");
	const char *sql = backend_setting().query;
	if (rt_session_sql(&rows, s, sql, NULL, 0) == RT_OK && rt_rows_next(rows) == RT_ROW)
		snprintf(out, size, "%s", rt_rows_text(rows, 0));
	else
		fprintf(stderr, "  %s: %s\n", sql, rt_error_last()->message);
	rt_rows_free(rows);
	rt_session_close(s);
}

/* init_sql and on_connect run once on each new connection, pooled or
 * not, and what they set holds in the sessions that use it. */
static void test_init_sql_and_on_connect(void)
{
	connects c = {0, 0};
	setting set = backend_setting();
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.init_sql = set.init;
	opts.on_connect = count_connect;
	opts.on_connect_user = &c;
	opts.pool_size = 1;
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, rt_test_url(), &opts));
	if (!engine)
		return;
	char value[64];
	session_setting(engine, value, sizeof(value));
	CHECK_STR(value, set.expected);
	CHECK_INT(c.count, 1);
	/* The pooled connection again: not set up twice. */
	session_setting(engine, value, sizeof(value));
	CHECK_STR(value, set.expected);
	CHECK_INT(c.count, 1);
	/* A connection outside the pool gets the same. */
	CHECK_STR(db_text(engine, set.query, value, sizeof(value)), set.expected);
	CHECK_INT(c.count, 2);
	rt_engine_free(engine);
}

/* A callback that fails refuses the connection: the caller gets its code
 * and a message naming on_connect; nothing is left in the pool. */
static void test_on_connect_refuses(void)
{
	connects c = {0, RT_EDATABASE};
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.on_connect = count_connect;
	opts.on_connect_user = &c;
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, rt_test_url(), &opts));
	if (!engine)
		return;
	CHECK_INT(session_round_trip(engine), RT_EDATABASE);
	CHECK(message_has("on_connect"));
	c.refuse = 0;
	CHECK_OK(session_round_trip(engine));
	CHECK_INT(c.count, 2);
	rt_engine_free(engine);
}

/* init_sql that fails refuses the connection with the database's error. */
static void test_init_sql_fails(void)
{
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.init_sql = "SELECT no_such_column FROM no_such_table";
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, rt_test_url(), &opts));
	if (!engine)
		return;
	CHECK(session_round_trip(engine) < 0);
	CHECK(message_has("init_sql"));
	rt_engine_free(engine);
}

/* The engine's pool options in the URL are the engine's (the driver never
 * sees them: libpq and Connector/C would refuse them), and checked. */
static void test_url_pool_options(void)
{
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, url_with("pool_pre_ping=true&pool_recycle=3600"), NULL));
	if (engine)
		CHECK_OK(session_round_trip(engine));
	rt_engine_free(engine);
	engine = NULL;
	CHECK_OK(rt_engine_open(&engine, url_with("pool_pre_ping=2.5&pool_recycle=-1"), NULL));
	if (engine)
		CHECK_OK(session_round_trip(engine));
	rt_engine_free(engine);
	engine = NULL;
	CHECK_INT(rt_engine_open(&engine, url_with("pool_pre_ping=sometimes"), NULL), RT_EPARSE);
	CHECK(message_has("pool_pre_ping 'sometimes'"));
	CHECK_INT(rt_engine_open(&engine, url_with("pool_recycle=soon"), NULL), RT_EPARSE);
	CHECK(message_has("pool_recycle 'soon'"));
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_recycle_ms = -5;
	CHECK_INT(rt_engine_open(&engine, rt_test_url(), &opts), RT_EINVAL);
	CHECK(engine == NULL);
}

/* A PRAGMA's value as text, on a connection of the engine's pool. */
static void pragma(rt_engine *engine, const char *name, char *out, size_t size)
{
	rt_session *s = open_session(engine);
	rt_rows *rows = NULL;
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA %s", name);
	snprintf(out, size, "(error)");
	if (rt_session_sql(&rows, s, sql, NULL, 0) == RT_OK && rt_rows_next(rows) == RT_ROW)
		snprintf(out, size, "%s", rt_rows_text(rows, 0));
	rt_rows_free(rows);
	rt_session_close(s);
}

/* SQLite's common pragmas from the URL, on every connection. */
static void test_sqlite_url_pragmas(void)
{
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine,
				url_with("journal_mode=WAL&busy_timeout=1234&synchronous=normal&"
					 "foreign_keys=off"),
				NULL));
	if (!engine)
		return;
	char value[64];
	pragma(engine, "journal_mode", value, sizeof(value));
	CHECK_STR(value, "wal");
	pragma(engine, "busy_timeout", value, sizeof(value));
	CHECK_STR(value, "1234");
	pragma(engine, "synchronous", value, sizeof(value));
	CHECK_STR(value, "1");
	pragma(engine, "foreign_keys", value, sizeof(value));
	CHECK_STR(value, "0");
	rt_engine_free(engine);

	/* Back to the rollback journal for the other tests' sake. */
	CHECK_OK(rt_engine_open(&engine, url_with("journal_mode=delete&foreign_keys=1"), NULL));
	if (!engine)
		return;
	pragma(engine, "journal_mode", value, sizeof(value));
	CHECK_STR(value, "delete");
	pragma(engine, "foreign_keys", value, sizeof(value));
	CHECK_STR(value, "1");
	rt_engine_free(engine);
}

/* Unknown options are refused by name, values outside a pragma's words
 * are refused (never pasted into SQL), at the first connection. */
static void test_sqlite_url_refusals(void)
{
	static const struct {
		const char *options, *message;
	} bad[] = {
		{"journal_mod=wal", "unknown option 'journal_mod'"},
		{"journal_mode=wal;DROP TABLE authors", "bad journal_mode 'wal;DROP TABLE authors'"},
		{"synchronous=sometimes", "bad synchronous 'sometimes'"},
		{"foreign_keys=2", "bad foreign_keys '2'"},
		{"busy_timeout=5s", "bad busy_timeout '5s'"},
		{"busy_timeout=-1", "bad busy_timeout '-1'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rt_engine *engine = NULL;
		CHECK_OK(rt_engine_open(&engine, url_with(bad[i].options), NULL));
		if (!engine)
			continue;
		CHECK_INT(session_round_trip(engine), RT_EPARSE);
		CHECK(message_has(bad[i].message));
		rt_engine_free(engine);
	}
	char count[32];
	rt_engine *engine = orm_test_engine();
	CHECK_STR(db_text(engine, "SELECT COUNT(*) FROM authors", count, sizeof(count)), "0");
	rt_engine_free(engine);
}

/* Whether a lock taken by the pool's own timeout, or by the database, is
 * one to retry: only the database's. */
static void test_pool_timeout_not_retryable(void)
{
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_size = 1;
	opts.pool_timeout_ms = -1;
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, rt_test_url(), &opts));
	if (!engine)
		return;
	rt_session *a = open_session(engine);
	rt_rows *rows = NULL;
	CHECK_OK(rt_session_sql(&rows, a, "SELECT 1", NULL, 0));
	rt_rows_free(rows);
	CHECK_INT(session_round_trip(engine), RT_ELOCKED);
	CHECK(!rt_error_is_retryable(NULL));
	rt_session_close(a);
	rt_engine_free(engine);
}

int main(void)
{
	rt_test_current = "conn_setup";
	rt_engine *engine = orm_test_engine(); /* a fresh database */
	rt_engine_free(engine);
	RT_RUN(test_init_sql_and_on_connect);
	RT_RUN(test_on_connect_refuses);
	RT_RUN(test_init_sql_fails);
	RT_RUN(test_url_pool_options);
	RT_RUN(test_pool_timeout_not_retryable);
	if (orm_test_is_file_database()) {
		RT_RUN(test_sqlite_url_pragmas);
		RT_RUN(test_sqlite_url_refusals);
	}
	return rt_test_done();
}
