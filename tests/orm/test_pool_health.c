/*
 * test_pool_health.c - the pool's pre-ping and recycling: a connection
 * the server ended while it sat idle in the pool is replaced before a
 * session sees it (PostgreSQL's pg_terminate_backend, MariaDB's KILL),
 * and one older than its lifetime is closed and replaced, from the
 * engine's options or the URL.
 */
#include <time.h>

#include "conn_test.h"

/* The server connections the engine opened, newest last. */
typedef struct opened {
	int count;
	long long ids[16];
} opened;

static int note_connect(rt_conn *conn, void *user)
{
	opened *o = user;
	long long id = server_conn_id(conn);
	if (o->count < 16)
		o->ids[o->count] = id;
	o->count++;
	return id < 0 ? RT_ERROR : RT_OK;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0) {
	}
}

static rt_engine *engine_with(const char *url, rt_engine_options *opts, opened *o)
{
	opts->on_connect = note_connect;
	opts->on_connect_user = o;
	opts->pool_size = 1;
	rt_engine *engine = NULL;
	if (rt_engine_open(&engine, url, opts) != RT_OK)
		fprintf(stderr, "  rt_engine_open: %s\n", rt_error_last()->message);
	return engine;
}

/* Pre-ping: the idle connection was ended by the server; the next session
 * runs on a new one without noticing, and its work is stored. */
static void test_pre_ping_replaces_killed(void)
{
	opened o = {0};
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_pre_ping = 1;
	rt_engine *engine = engine_with(rt_test_url(), &opts, &o);
	if (!engine)
		return;
	CHECK_OK(session_round_trip(engine));
	CHECK_INT(o.count, 1);
	kill_server_conn(o.ids[0]);

	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	if (a) {
		CHECK_OK(Author_set_name(a, "after the kill"));
		CHECK_OK(rt_session_commit(s));
		CHECK(a->id > 0);
	}
	rt_session_close(s);
	CHECK_INT(o.count, 2);
	CHECK(o.ids[1] != o.ids[0]);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'after the kill'"), 1);
	rt_engine_free(engine);
}

/* The pooled connection is killed at once after its first session: the
 * next session finds it dead (RT_ECONNECT), the pool does not put it
 * back, and the session after works on a new one. The engine, still
 * open, for more. */
static rt_engine *fails_once(const char *url, opened *o)
{
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	rt_engine *engine = engine_with(url, &opts, o);
	if (!engine)
		return NULL;
	CHECK_OK(session_round_trip(engine));
	kill_server_conn(o->ids[0]);
	CHECK_INT(session_round_trip(engine), RT_ECONNECT);
	CHECK_OK(session_round_trip(engine));
	CHECK_INT(o->count, 2);
	return engine;
}

/* Without pre-ping the dead connection reaches the session (which is what
 * pre-ping is for). */
static void test_without_pre_ping_fails_once(void)
{
	opened o = {0};
	rt_engine_free(fails_once(rt_test_url(), &o));
}

/* Pre-ping from the URL, checking only connections idle at least 0.2 s:
 * one given back just now is handed out unchecked (no round trip spent
 * on it), and found dead; one idle longer is checked and replaced. */
static void test_pre_ping_idle_threshold(void)
{
	opened o = {0};
	rt_engine *engine = fails_once(url_with("pool_pre_ping=0.2"), &o);
	if (!engine)
		return;
	kill_server_conn(o.ids[1]);
	sleep_ms(300);
	CHECK_OK(session_round_trip(engine));
	CHECK_INT(o.count, 3);
	rt_engine_free(engine);
}

/* Recycle: a connection older than its lifetime is closed and replaced,
 * whether it is taken from the pool or given back to it. */
static void test_recycle(const char *url, int recycle_ms)
{
	opened o = {0};
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_recycle_ms = recycle_ms;
	rt_engine *engine = engine_with(url, &opts, &o);
	if (!engine)
		return;
	CHECK_OK(session_round_trip(engine));
	CHECK_OK(session_round_trip(engine));
	CHECK_INT(o.count, 1); /* young: reused */
	sleep_ms(400);
	CHECK_OK(session_round_trip(engine)); /* taken old: replaced */
	CHECK_INT(o.count, 2);

	/* Given back old: closed then, the next session gets a new one. */
	rt_session *s = open_session(engine);
	rt_rows *rows = NULL;
	CHECK_OK(rt_session_sql(&rows, s, "SELECT 1", NULL, 0));
	rt_rows_free(rows);
	sleep_ms(400);
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
	CHECK_INT(o.count, 2);
	CHECK_OK(session_round_trip(engine));
	CHECK_INT(o.count, 3);
	rt_engine_free(engine);
}

static void test_recycle_option(void)
{
	test_recycle(rt_test_url(), 300);
}

static void test_recycle_url(void)
{
	test_recycle(url_with("pool_recycle=0.3"), 0);
}

int main(void)
{
	rt_test_current = "pool_health";
	rt_engine *engine = orm_test_engine(); /* a fresh database */
	rt_engine_free(engine);
	RT_RUN(test_recycle_option);
	RT_RUN(test_recycle_url);
	if (orm_test_is_file_database()) {
		printf("SKIP: pre-ping (a SQLite connection has no server to lose it)\n");
		return rt_test_done();
	}
	RT_RUN(test_pre_ping_replaces_killed);
	RT_RUN(test_without_pre_ping_fails_once);
	RT_RUN(test_pre_ping_idle_threshold);
	return rt_test_done();
}
