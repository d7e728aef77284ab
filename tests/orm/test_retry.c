/*
 * test_retry.c - rt_session_run, a transaction run again after the
 * database ended it to settle a conflict, each attempt in a new session
 * (rolled back in between), and rt_error_is_retryable:
 *   - a real serialization failure: two SERIALIZABLE transactions (set by
 *     the engine's init_sql) that each count rows then insert one; the
 *     database lets one through and fails the other (PostgreSQL 40001; on
 *     MariaDB, whose SERIALIZABLE reads take shared locks, a deadlock), so
 *     that the rows end as if the two had run one after the other;
 *   - a deadlock: two transactions updating two rows in opposite orders;
 *   - SQLite: a write while another connection holds the write lock,
 *     with busy_timeout=0 in the URL, is SQLITE_BUSY and retried;
 *   - the limits: attempts exhausted, errors that are not retried.
 */
#include <pthread.h>
#include <time.h>

#include "conn_test.h"

static pthread_barrier_t both_read;

typedef struct worker {
	rt_engine *engine;
	const char *tag;
	int attempts;
	int64_t ids[2]; /* deadlock: the rows, in the order this one takes them */
	int rc;
	char message[512];
	int lost_code;      /* what ended its first attempt, when it had to */
	char lost_sqlstate[8];
	int lost_driver_code;
} worker;

/* At the start of a second attempt the thread's last error is still what
 * ended the first. */
static void note_lost(worker *w)
{
	if (w->attempts != 2)
		return;
	const rt_error *e = rt_error_last();
	w->lost_code = e->code;
	snprintf(w->lost_sqlstate, sizeof(w->lost_sqlstate), "%s", e->sqlstate);
	w->lost_driver_code = e->driver_code;
}

static void *run_worker(void *arg);

/* Counts the skew rows, waits for the other worker to have counted too
 * (first attempts only), then inserts its own named after the count. */
static int write_skew(rt_session *s, void *user)
{
	worker *w = user;
	w->attempts++;
	note_lost(w);
	rt_rows *rows = NULL;
	int rc = rt_session_sql(&rows, s, "SELECT COUNT(*) FROM authors WHERE name LIKE 'skew%'",
				NULL, 0);
	long long seen = -1;
	if (rc == RT_OK && (rc = rt_rows_next(rows)) == RT_ROW) {
		seen = rt_rows_int64(rows, 0);
		rc = RT_OK;
	}
	rt_rows_free(rows);
	if (w->attempts == 1)
		pthread_barrier_wait(&both_read);
	if (rc < 0)
		return rc;
	Author *a = NULL;
	char name[64];
	snprintf(name, sizeof(name), "skew %s saw %lld", w->tag, seen);
	if ((rc = Author_new(&a, s)) == RT_OK && (rc = Author_set_name(a, name)) == RT_OK)
		rc = rt_session_flush(s);
	return rc;
}

/* Renames its two rows in its order, both holding the first before either
 * asks for the second (first attempts only). */
static int cross_update(rt_session *s, void *user)
{
	worker *w = user;
	w->attempts++;
	note_lost(w);
	char name[64];
	for (int i = 0; i < 2; i++) {
		Author *a = NULL;
		snprintf(name, sizeof(name), "%s %d", w->tag, i);
		int rc = Author_get(&a, s, w->ids[i]);
		if (rc == RT_OK)
			rc = Author_set_name(a, name);
		if (rc == RT_OK)
			rc = rt_session_flush(s);
		if (i == 0 && w->attempts == 1)
			pthread_barrier_wait(&both_read);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static rt_session_fn worker_fn;

static void *run_worker(void *arg)
{
	worker *w = arg;
	w->rc = rt_session_run(w->engine, worker_fn, w, 5);
	if (w->rc < 0)
		snprintf(w->message, sizeof(w->message), "%s", rt_error_last()->message);
	return NULL;
}

static void run_two(worker *w)
{
	pthread_barrier_init(&both_read, NULL, 2);
	pthread_t threads[2];
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&threads[i], NULL, run_worker, &w[i]) == 0);
	for (int i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&both_read);
	for (int i = 0; i < 2; i++) {
		if (w[i].rc != RT_OK)
			fprintf(stderr, "  worker %s: %d: %s\n", w[i].tag, w[i].rc, w[i].message);
		CHECK_INT(w[i].rc, RT_OK);
	}
	/* One of them lost its first attempt and ran again. */
	CHECK(w[0].attempts + w[1].attempts >= 3);
}

/* The database's code for the first attempt that was lost. */
static void check_lost(const worker *w, const char *sqlstate, int mariadb_code)
{
	const worker *lost = w[0].attempts > 1 ? &w[0] : &w[1];
	CHECK_INT(lost->lost_code, RT_ESERIALIZE);
	if (orm_test_is_postgres())
		CHECK_STR(lost->lost_sqlstate, sqlstate);
	else
		CHECK_INT(lost->lost_driver_code, mariadb_code);
}

static void test_serialization_failure(void)
{
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.init_sql = orm_test_is_postgres()
				? "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "
				  "SERIALIZABLE"
				: "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE";
	rt_engine *engine = orm_test_engine_with(&opts);
	worker w[2] = {{.engine = engine, .tag = "a"}, {.engine = engine, .tag = "b"}};
	worker_fn = write_skew;
	run_two(w);
	check_lost(w, "40001", 1213); /* serialization_failure; ER_LOCK_DEADLOCK */
	/* As if one after the other: one saw no row, the other saw it. */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name LIKE 'skew % saw 0'"), 1);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name LIKE 'skew % saw 1'"), 1);
	rt_engine_free(engine);
}

static void test_deadlock(void)
{
	rt_engine *engine = orm_test_engine();
	rt_session *s = open_session(engine);
	Author *a = NULL, *b = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Author_new(&b, s));
	if (!a || !b)
		return;
	CHECK_OK(Author_set_name(a, "first"));
	CHECK_OK(Author_set_name(b, "second"));
	CHECK_OK(rt_session_commit(s));
	worker w[2] = {{.engine = engine, .tag = "x", .ids = {a->id, b->id}},
		       {.engine = engine, .tag = "y", .ids = {b->id, a->id}}};
	rt_session_close(s);
	worker_fn = cross_update;
	run_two(w);
	check_lost(w, "40P01", 1213); /* deadlock_detected; ER_LOCK_DEADLOCK */
	/* Whoever ran again wrote both rows last. */
	char first[64], second[64];
	db_text(engine, "SELECT name FROM authors WHERE name LIKE '_ 0'", first, sizeof(first));
	db_text(engine, "SELECT name FROM authors WHERE name LIKE '_ 1'", second, sizeof(second));
	CHECK(first[0] == second[0]);
	rt_engine_free(engine);
}

/* --- SQLite: a busy database --------------------------------------------------- */

static rt_conn *holder;
static int holder_rc; /* the holder's COMMIT, checked once joined */

static void *release_later(void *arg)
{
	struct timespec t = {0, 150 * 1000000L};
	nanosleep(&t, NULL);
	holder_rc = rt_conn_execute(holder, "COMMIT");
	return NULL;
}

typedef struct busy_run {
	int attempts;
	int first_rc;
	int first_retryable;
} busy_run;

static int insert_busy(rt_session *s, void *user)
{
	busy_run *r = user;
	r->attempts++;
	Author *a = NULL;
	int rc = Author_new(&a, s);
	if (rc == RT_OK)
		rc = Author_set_name(a, "written when free");
	if (rc == RT_OK)
		rc = rt_session_flush(s);
	if (r->attempts == 1) {
		r->first_rc = rc;
		r->first_retryable = rc < 0 && rt_error_is_retryable(NULL);
	}
	return rc;
}

static void test_sqlite_busy(void)
{
	rt_engine *engine = orm_test_engine();
	CHECK_OK(rt_conn_open(&holder, engine));
	CHECK_OK(rt_conn_execute(holder, "BEGIN IMMEDIATE"));
	rt_engine *impatient = NULL;
	CHECK_OK(rt_engine_open(&impatient, url_with("busy_timeout=0"), NULL));
	if (!impatient || !holder)
		return;
	pthread_t thread;
	CHECK(pthread_create(&thread, NULL, release_later, NULL) == 0);
	busy_run r = {0, 0, 0};
	CHECK_OK(rt_session_run(impatient, insert_busy, &r, 10));
	pthread_join(thread, NULL);
	CHECK_OK(holder_rc);
	CHECK_INT(r.first_rc, RT_ELOCKED);
	CHECK(r.first_retryable);
	CHECK(r.attempts >= 2);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'written when free'"),
		  1);
	rt_conn_close(holder);
	rt_engine_free(impatient);
	rt_engine_free(engine);
}

/* --- the limits -------------------------------------------------------------- */

typedef struct counted {
	int attempts;
	int fail_until; /* attempts before this one fail with RT_ESERIALIZE */
	const char *run; /* names the rows */
} counted;

/* Inserts a row named after the attempt, then asks for another run until
 * fail_until: the rows of failed attempts must not survive. */
static int insert_then_conflict(rt_session *s, void *user)
{
	counted *c = user;
	c->attempts++;
	Author *a = NULL;
	char name[32];
	snprintf(name, sizeof(name), "%s attempt %d", c->run, c->attempts);
	int rc = Author_new(&a, s);
	if (rc == RT_OK)
		rc = Author_set_name(a, name);
	if (rc == RT_OK)
		rc = rt_session_flush(s);
	if (rc == RT_OK && c->attempts < c->fail_until)
		rc = RT_ESERIALIZE;
	return rc;
}

static void test_rolled_back_between_attempts(void)
{
	rt_engine *engine = orm_test_engine();
	counted c = {0, 3, "first"};
	CHECK_OK(rt_session_run(engine, insert_then_conflict, &c, 0));
	CHECK_INT(c.attempts, 3);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 1);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'first attempt 3'"), 1);

	/* Out of attempts: the last error, saying so. */
	c = (counted){0, 100, "second"};
	CHECK_INT(rt_session_run(engine, insert_then_conflict, &c, 4), RT_ESERIALIZE);
	CHECK_INT(c.attempts, 4);
	CHECK(message_has("still failing after 4 attempts"));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 1);
	rt_engine_free(engine);
}

static int get_missing(rt_session *s, void *user)
{
	(*(int *)user)++;
	Author *a = NULL;
	return Author_get(&a, s, 999999);
}

static void test_not_retried(void)
{
	rt_engine *engine = orm_test_engine();
	int attempts = 0;
	CHECK_INT(rt_session_run(engine, get_missing, &attempts, 5), RT_ENOTFOUND);
	CHECK_INT(attempts, 1);
	CHECK(!rt_error_is_retryable(NULL));
	CHECK_INT(rt_session_run(engine, get_missing, &attempts, -1), RT_EINVAL);
	CHECK_INT(rt_session_run(NULL, get_missing, &attempts, 1), RT_EINVAL);
	rt_engine_free(engine);
}

int main(void)
{
	rt_test_current = "retry";
	RT_RUN(test_rolled_back_between_attempts);
	RT_RUN(test_not_retried);
	if (orm_test_is_file_database()) {
		RT_RUN(test_sqlite_busy);
	} else {
		RT_RUN(test_serialization_failure);
		RT_RUN(test_deadlock);
	}
	return rt_test_done();
}
