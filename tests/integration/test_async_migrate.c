/*
 * test_async_migrate.c - the non-blocking migration API (rt_async_migrate_*
 * in retort/migrate.h) on a live database, driven by the shipped epoll
 * loop:
 *   - an upgrade to head with other operations in flight (queries on
 *     their own connections, and a ticker that measures how late the loop
 *     resumes it): every one completes, progress lines come, the loop is
 *     never stopped for long, and done never runs from the starting call;
 *   - two upgrades at once on one database: one runs the revisions while
 *     the other waits for the migration lock without stopping the loop
 *     (the lock's pauses yield), then finds nothing to do;
 *   - current and downgrade through the loop;
 *   - cancelling a run that waits for the lock; calls that fail at once
 *     (bad target, a script that does not parse) never call done.
 */
#include <stdlib.h>

#include "test.h"

#include "base/wait.h"
#include "retort/async_epoll.h"
#include "support/migrate_db.h"

static rt_engine *engine;
static rt_conn *conn;

static const char *const TABLES[] = {"am_notes", "am_tags", "alembic_version",
				     "retort_history", "retort_migration_progress",
				     "retort_lock", NULL};

static const rt_migration_script SCRIPTS[] = {
	{"aa5e00000001_notes.rt",
	 "# notes\n"
	 "revision  aa5e00000001\n"
	 "revises   base\n"
	 "\n"
	 "upgrade {\n"
	 "  create table am_notes {\n"
	 "    id     bigint       primary key\n"
	 "    title  string(100)\n"
	 "  }\n"
	 "}\n"
	 "\n"
	 "downgrade {\n"
	 "  drop table am_notes\n"
	 "}\n",
	 0},
	{"aa5e00000002_tags.rt",
	 "# tags\n"
	 "revision  aa5e00000002\n"
	 "revises   aa5e00000001\n"
	 "\n"
	 "upgrade {\n"
	 "  add column am_notes.body text?\n"
	 "  create table am_tags {\n"
	 "    id    bigint       primary key\n"
	 "    name  string(50)\n"
	 "  }\n"
	 "}\n"
	 "\n"
	 "downgrade {\n"
	 "  drop table am_tags\n"
	 "  drop column am_notes.body text?\n"
	 "}\n",
	 0},
};

static const rt_migrations MIGRATIONS = {RT_MIGRATIONS_VERSION, SCRIPTS, 2, NULL, 0};

/* The longest the loop may be stopped: a run's own work between two waits
 * (slow under valgrind), under a pause of the lock's retries (a sleeping
 * pause would stop the loop 500 ms). */
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define STALL_MS (RUNNING_ON_VALGRIND ? 450 : 300)
#else
#define STALL_MS 300
#endif

/* --- the loop, and what runs beside the migrations ------------------------------------ */

typedef struct loop {
	rt_epoll_loop epoll;
	rt_async *async;
} loop;

static void loop_open(loop *l)
{
	memset(l, 0, sizeof(*l));
	CHECK_INT(rt_epoll_loop_init(&l->epoll), 0);
	CHECK_OK(rt_async_new(&l->async, engine, &l->epoll.callbacks, &l->epoll));
	l->epoll.async = l->async;
}

static void loop_close(loop *l)
{
	rt_async_free(l->async);
	rt_epoll_loop_close(&l->epoll);
}

/* Turns the loop until *flag is set or 60 s have passed. */
static void loop_until(loop *l, const volatile int *flag)
{
	int64_t began = rt__now_ms();
	while (!*flag && rt__now_ms() - began < 60000)
		rt_epoll_loop_run_once(&l->epoll, 50);
	CHECK(*flag);
}

/* An operation's outcome. */
typedef struct result {
	volatile int calls;
	int rc;
	char error[300];
	rt_buf lines;          /* its progress lines */
	int hold_ms;           /* progress: pause this long at the first revision */
	int64_t held_until;
} result;

static void on_done(rt_async_op *op, int rc, void *user)
{
	result *r = user;
	(void)op;
	r->calls++;
	r->rc = rc;
	if (rc != RT_OK)
		snprintf(r->error, sizeof(r->error), "%s", rt_error_last()->message);
}

/* Progress, on the run's fiber: records the line; the first revision run
 * pauses there when told to, holding the migration lock (the run's
 * transaction is open) while the loop goes on. */
static void on_progress(void *ctx, const char *line)
{
	result *r = ctx;
	rt__buf_printf(&r->lines, "%s\n", line);
	if (r->hold_ms && strstr(line, "Running upgrade")) {
		int ms = r->hold_ms;
		r->hold_ms = 0;
		CHECK_OK(rt__sleep_ms(ms));
		r->held_until = rt__now_ms();
	}
}

static void result_free(result *r)
{
	rt__buf_free(&r->lines);
}

static const char *lines(result *r)
{
	return r->lines.len ? rt__buf_cstr(&r->lines) : "";
}

/* The ticker: wakes every 5 ms until stopped and records the most the
 * loop was late to resume it, which is how long the loop was stopped. */
typedef struct ticker {
	volatile int stop;
	int ticks;
	int64_t worst_ms;
} ticker;

static int tick(void *arg)
{
	ticker *t = arg;
	while (!t->stop) {
		int64_t before = rt__now_ms();
		int rc = rt__sleep_ms(5);
		if (rc < 0)
			return rc;
		int64_t late = rt__now_ms() - before - 5;
		if (late > t->worst_ms)
			t->worst_ms = late;
		t->ticks++;
	}
	return RT_OK;
}

/* A query on a connection of its own, several times over, with pauses:
 * work of the program's that goes on while the database migrates. */
static int query(void *arg)
{
	(void)arg;
	rt_conn *c = NULL;
	int rc = rt_conn_open(&c, engine);
	for (int i = 0; rc == RT_OK && i < 5; i++) {
		rt_stmt *stmt = NULL;
		if ((rc = rt_stmt_prepare(&stmt, c, "SELECT 1")) < 0)
			break;
		rc = rt_stmt_step(stmt);
		if (rc == RT_ROW)
			rc = rt_stmt_column_int64(stmt, 0) == 1 ? RT_OK : RT_EINVAL;
		else if (rc >= 0)
			rc = RT_EINVAL; /* no row */
		rt_stmt_finalize(stmt);
		if (rc == RT_OK)
			rc = rt__sleep_ms(10);
	}
	rt_conn_close(c);
	return rc;
}

static void fresh(void)
{
	mdb_drop(conn, TABLES);
}

/* The blocking API's answer, for checking the non-blocking one. */
static const char *current_now(void)
{
	static char text[256];
	char *current = NULL;
	if (rt_migrate_current(engine, &MIGRATIONS, &current) != RT_OK)
		snprintf(text, sizeof(text), "error: %s", rt_error_last()->message);
	else
		snprintf(text, sizeof(text), "%s", current);
	rt_free(current);
	return text;
}

/* --- the tests --------------------------------------------------------------------------- */

static void test_upgrade_with_others_in_flight(void)
{
	fresh();
	loop l;
	loop_open(&l);
	ticker t = {0};
	result ticking = {0}, queries[4] = {{0}}, up = {0};
	CHECK_OK(rt_async_run(l.async, NULL, tick, &t, on_done, &ticking));
	for (int i = 0; i < 4; i++)
		CHECK_OK(rt_async_run(l.async, NULL, query, NULL, on_done, &queries[i]));
	rt_migrate_options opts = RT_MIGRATE_OPTIONS_INIT;
	opts.progress = on_progress;
	opts.progress_ctx = &up;
	CHECK_OK(rt_async_migrate_run(l.async, NULL, &MIGRATIONS, RT_MIGRATE_UPGRADE, "head",
				      &opts, on_done, &up));
	CHECK_INT(up.calls, 0); /* never from the starting call */
	loop_until(&l, &up.calls);
	for (int i = 0; i < 4; i++) {
		loop_until(&l, &queries[i].calls);
		CHECK_INT(queries[i].rc, RT_OK);
	}
	t.stop = 1;
	loop_until(&l, &ticking.calls);
	CHECK_INT(up.calls, 1);
	CHECK_INT(up.rc, RT_OK);
	if (up.rc != RT_OK)
		fprintf(stderr, "  upgrade: %s\n", up.error);
	CHECK(strstr(lines(&up), "Running upgrade  -> aa5e00000001, notes") != NULL);
	CHECK(strstr(lines(&up), "Running upgrade aa5e00000001 -> aa5e00000002, tags") != NULL);
	CHECK(t.ticks > 0);
	printf("  %d ticks; the loop was stopped for at most %lld ms\n", t.ticks,
	       (long long)t.worst_ms);
	CHECK(t.worst_ms < STALL_MS);
	loop_close(&l);
	CHECK_STR(current_now(), "aa5e00000002");
	CHECK(mdb_exists(conn, "am_notes"));
	CHECK(mdb_exists(conn, "am_tags"));
	result_free(&up);
}

static void test_two_upgrades_at_once(void)
{
	fresh();
	loop l;
	loop_open(&l);
	ticker t = {0};
	result ticking = {0}, a = {0}, b = {0};
	/* Whichever takes the lock first holds it 1.5 s at its first
	 * revision; the other waits, its pauses (up to 500 ms each) yielding
	 * to the loop. */
	a.hold_ms = b.hold_ms = 1500;
	rt_migrate_options oa = RT_MIGRATE_OPTIONS_INIT, ob = RT_MIGRATE_OPTIONS_INIT;
	oa.progress = ob.progress = on_progress;
	oa.progress_ctx = &a;
	ob.progress_ctx = &b;
	CHECK_OK(rt_async_run(l.async, NULL, tick, &t, on_done, &ticking));
	CHECK_OK(rt_async_migrate_run(l.async, NULL, &MIGRATIONS, RT_MIGRATE_UPGRADE, "head", &oa,
				      on_done, &a));
	CHECK_OK(rt_async_migrate_run(l.async, NULL, &MIGRATIONS, RT_MIGRATE_UPGRADE, "head", &ob,
				      on_done, &b));
	loop_until(&l, &a.calls);
	loop_until(&l, &b.calls);
	t.stop = 1;
	loop_until(&l, &ticking.calls);
	CHECK_INT(a.rc, RT_OK);
	CHECK_INT(b.rc, RT_OK);
	if (a.rc != RT_OK || b.rc != RT_OK)
		fprintf(stderr, "  a: %s\n  b: %s\n", a.error, b.error);
	/* One ran both revisions; the other waited, then had nothing to do. */
	result *ran = strstr(lines(&a), "Running upgrade") ? &a : &b;
	result *waited = ran == &a ? &b : &a;
	CHECK(strstr(lines(ran), "Running upgrade aa5e00000001 -> aa5e00000002") != NULL);
	CHECK(strstr(lines(waited), "Waiting for the migration lock") != NULL);
	CHECK(strstr(lines(waited), "Running") == NULL);
	if (!strstr(lines(waited), "Waiting") || strstr(lines(waited), "Running"))
		fprintf(stderr, "  ran:\n%s  waited:\n%s", lines(ran), lines(waited));
	printf("  %d ticks; the loop was stopped for at most %lld ms\n", t.ticks,
	       (long long)t.worst_ms);
	CHECK(t.worst_ms < STALL_MS);
	/* The ticker ran all along: the loop turned while the lock was held. */
	CHECK(t.ticks > 50);
	loop_close(&l);
	CHECK_STR(current_now(), "aa5e00000002");
	CHECK_INT(mdb_count(conn, "SELECT COUNT(*) FROM retort_history"), 2);
	result_free(&a);
	result_free(&b);
}

static void test_current_and_downgrade(void)
{
	/* From the previous test's head. */
	loop l;
	loop_open(&l);
	char *current = (char *)"not set";
	result r = {0};
	CHECK_OK(rt_async_migrate_current(l.async, NULL, &MIGRATIONS, &current, on_done, &r));
	CHECK(current == NULL); /* set only when done says RT_OK */
	loop_until(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK_STR(current, "aa5e00000002");
	rt_free(current);

	result down = {0};
	CHECK_OK(rt_async_migrate_downgrade(l.async, NULL, &MIGRATIONS, "-1", on_done, &down));
	loop_until(&l, &down.calls);
	CHECK_INT(down.rc, RT_OK);
	CHECK(!mdb_exists(conn, "am_tags"));
	CHECK(mdb_exists(conn, "am_notes"));

	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_migrate_current(l.async, NULL, &MIGRATIONS, &current, on_done, &r));
	loop_until(&l, &r.calls);
	CHECK_STR(current, "aa5e00000001");
	rt_free(current);

	memset(&down, 0, sizeof(down));
	CHECK_OK(rt_async_migrate_run(l.async, NULL, &MIGRATIONS, RT_MIGRATE_DOWNGRADE, "base",
				      NULL, on_done, &down));
	loop_until(&l, &down.calls);
	CHECK_INT(down.rc, RT_OK);
	CHECK(!mdb_exists(conn, "am_notes"));
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_migrate_current(l.async, NULL, &MIGRATIONS, &current, on_done, &r));
	loop_until(&l, &r.calls);
	CHECK_STR(current, "");
	rt_free(current);
	loop_close(&l);
}

static void test_cancel_waiting_for_the_lock(void)
{
	fresh();
	loop l;
	loop_open(&l);
	result a = {0}, b = {0};
	a.hold_ms = 800;
	rt_migrate_options oa = RT_MIGRATE_OPTIONS_INIT, ob = RT_MIGRATE_OPTIONS_INIT;
	oa.progress = ob.progress = on_progress;
	oa.progress_ctx = &a;
	ob.progress_ctx = &b;
	CHECK_OK(rt_async_migrate_run(l.async, NULL, &MIGRATIONS, RT_MIGRATE_UPGRADE, "head", &oa,
				      on_done, &a));
	/* b starts once a holds the lock (a's first revision has run). */
	int64_t began = rt__now_ms();
	while (!a.lines.len && rt__now_ms() - began < 30000)
		rt_epoll_loop_run_once(&l.epoll, 50);
	rt_async_op *op = NULL;
	CHECK_OK(rt_async_migrate_run(l.async, &op, &MIGRATIONS, RT_MIGRATE_UPGRADE, "head", &ob,
				      on_done, &b));
	began = rt__now_ms();
	while (!strstr(lines(&b), "Waiting") && !b.calls && rt__now_ms() - began < 30000)
		rt_epoll_loop_run_once(&l.epoll, 50);
	CHECK(strstr(lines(&b), "Waiting for the migration lock") != NULL);
	CHECK_OK(rt_async_cancel(op));
	loop_until(&l, &b.calls);
	CHECK_INT(b.rc, RT_ECANCELED);
	loop_until(&l, &a.calls);
	CHECK_INT(a.rc, RT_OK);
	loop_close(&l);
	CHECK_STR(current_now(), "aa5e00000002");
	result_free(&a);
	result_free(&b);
}

static void test_fails_at_once(void)
{
	loop l;
	loop_open(&l);
	result r = {0};
	rt_async_op *op = (rt_async_op *)&r;
	CHECK_INT(rt_async_migrate_upgrade(l.async, &op, &MIGRATIONS, "", on_done, &r), RT_EINVAL);
	CHECK(op == NULL);
	CHECK_INT(rt_async_migrate_upgrade(NULL, NULL, &MIGRATIONS, "head", on_done, &r),
		  RT_EINVAL);
	CHECK_INT(rt_async_migrate_current(l.async, NULL, &MIGRATIONS, NULL, on_done, &r),
		  RT_EINVAL);
	rt_migrate_options bad = RT_MIGRATE_OPTIONS_INIT;
	bad.version = 99;
	CHECK_INT(rt_async_migrate_run(l.async, NULL, &MIGRATIONS, RT_MIGRATE_UPGRADE, "head", &bad,
				       on_done, &r),
		  RT_EINVAL);
	/* A script that does not parse is reported at the call. */
	static const rt_migration_script broken[] = {
		{"ffff00000001_broken.rt", "revision ffff00000001\nrevises base\nupgrade {\n  nonsense\n}\n", 0}};
	static const rt_migrations broken_set = {RT_MIGRATIONS_VERSION, broken, 1, NULL, 0};
	int rc = rt_async_migrate_upgrade(l.async, NULL, &broken_set, "head", on_done, &r);
	CHECK(rc < 0);
	CHECK(strstr(rt_error_last()->message, "ffff00000001_broken.rt:") != NULL);
	CHECK_INT(rt_async_running(l.async), 0);
	for (int i = 0; i < 5; i++)
		rt_epoll_loop_run_once(&l.epoll, 10);
	CHECK_INT(r.calls, 0);
	/* An operation freed before it ran is completed, cancelled. */
	CHECK_OK(rt_async_migrate_upgrade(l.async, NULL, &MIGRATIONS, "head", on_done, &r));
	loop_close(&l);
	CHECK_INT(r.calls, 1);
	CHECK_INT(r.rc, RT_ECANCELED);
}

int main(void)
{
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.pool_size = 4;
	if (rt_engine_open(&engine, rt_test_url(), &options) != RT_OK ||
	    rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", rt_test_url(),
			rt_error_last()->message);
		return 2;
	}
	/* The runner's code once through the blocking API first, so that the
	 * first run from the loop is not slowed by what is done only once
	 * (valgrind's translation of the code above all). */
	mdb_drop(conn, TABLES);
	if (rt_migrate_upgrade(engine, &MIGRATIONS, "head") != RT_OK ||
	    rt_migrate_downgrade(engine, &MIGRATIONS, "base") != RT_OK) {
		fprintf(stderr, "the blocking runs failed: %s\n", rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_upgrade_with_others_in_flight);
	RT_RUN(test_two_upgrades_at_once);
	RT_RUN(test_current_and_downgrade);
	RT_RUN(test_cancel_waiting_for_the_lock);
	RT_RUN(test_fails_at_once);
	fresh();
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
