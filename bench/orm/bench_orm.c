/*
 * bench_orm.c - the ORM workloads (W1-W7 of issue 4, W8 and W9 of issue 13)
 * through retort's ORM, next to the same work written by hand (hand_sqlite.c, hand_postgres.c, hand_mariadb.c)
 * and, when
 * Debian's python3-sqlalchemy is installed, SQLAlchemy's ORM, all in one
 * run. Prints per workload the median of BENCH_RUNS runs (default 5) and
 * the ratios to the best hand-written variant.
 *
 *   bench_orm sqlite:///FILE.db | postgresql://... | mysql://...
 *
 * BENCH_SQLALCHEMY=0 leaves SQLAlchemy out.
 *
 * Before each variant of a workload the database is brought to the same
 * state (not timed): W1 starts from empty tables, W3 from no posts, W8 from
 * the odd half of its users, W9 from the users W8 left; W3, W6 and W7 time
 * only the changes and the commit, not the loading before them. Each
 * workload is one row of `workloads` below.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <retort.h>

#include "bench_models.h"
#include "orm/orm.h"
#include "bench_orm.h"

#ifndef BENCH_MODELS_PATH
#error "BENCH_MODELS_PATH must name bench/orm/models.rt"
#endif
#ifndef BENCH_SQLALCHEMY_SCRIPT
#error "BENCH_SQLALCHEMY_SCRIPT must name bench/orm/bench_sqlalchemy.py"
#endif

#define MAX_RUNS 50

/* --- shared helpers (declared in bench_orm.h) ------------------------------ */

void bench_username(char *out, size_t size, long i)
{
	snprintf(out, size, "user%06ld", i);
}

void bench_email(char *out, size_t size, long i, int version)
{
	snprintf(out, size, "user%06ld.v%d@example.com", i, version);
}

void bench_title(char *out, size_t size, long user, long n)
{
	snprintf(out, size, "post %ld of user %ld", n, user);
}

void bench_set_email(char *out, size_t size, int version)
{
	/* Fixed width: every variant writes values of one length (a longer
	 * value than the row holds makes InnoDB move rows, a shorter one not). */
	snprintf(out, size, "w9.v%06d@example.com", version);
}

const char bench_post_body[] =
	"A post body of a few dozen bytes, the same for every post of the benchmark.";

/* Reads `count` digits as a number; -1 when one is not a digit. */
static int digits(const char *text, int count)
{
	int value = 0;
	for (int i = 0; i < count; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		value = value * 10 + (text[i] - '0');
	}
	return value;
}

/* "YYYY-MM-DD HH:MM:SS[.ffffff]", parsed directly: the hand-written code
 * gets a parser as quick as the ORM's, not sscanf. */
int hand_timestamp_parse(hand_timestamp *out, const char *text)
{
	memset(out, 0, sizeof(*out));
	if (strlen(text) < 19)
		return -1;
	out->year = digits(text, 4);
	out->month = digits(text + 5, 2);
	out->day = digits(text + 8, 2);
	out->hour = digits(text + 11, 2);
	out->minute = digits(text + 14, 2);
	out->second = digits(text + 17, 2);
	if (text[19] == '.') {
		int scale = 100000;
		for (const char *p = text + 20; *p >= '0' && *p <= '9' && scale > 0; p++) {
			out->microsecond += (*p - '0') * scale;
			scale /= 10;
		}
	}
	return out->year < 0 || out->month < 0 || out->day < 0 || out->hour < 0 ||
			       out->minute < 0 || out->second < 0
		       ? -1
		       : 0;
}

/* --- the database's state between variants ---------------------------------- */

typedef enum bench_backend { BACKEND_SQLITE, BACKEND_POSTGRESQL, BACKEND_MARIADB } bench_backend;

static rt_engine *engine;
static rt_schema *schema;

static int recreate_tables(void)
{
	rt_conn *conn;
	if (rt_conn_open(&conn, engine) < 0)
		return bench_fail("connect");
	/* Every table of bench/orm/models.rt, children first (jobs: W10's
	 * and W11's, bench_queue.c). */
	int rc = rt_conn_execute(conn, "DROP TABLE IF EXISTS jobs");
	rc = rc < 0 ? rc : rt_conn_execute(conn, "DROP TABLE IF EXISTS posts");
	rc = rc < 0 ? rc : rt_conn_execute(conn, "DROP TABLE IF EXISTS users");
	rc = rc < 0 ? rc : rt_schema_create_all(conn, schema);
	rt_conn_close(conn);
	return rc < 0 ? bench_fail("create tables") : 0;
}

/* Brings the database to what a read workload starts from: PostgreSQL's
 * VACUUM ANALYZE, because right after 100,000 inserts its statistics still
 * say the tables are empty, and the first reader would pay for setting
 * every row's hint bits; either would make the order of the variants
 * decide the result. */
static int prepare_reads(bench_backend backend)
{
	return backend == BACKEND_POSTGRESQL ? bench_execute(engine, "VACUUM ANALYZE") : 0;
}

static int prepare_none(bench_backend backend)
{
	(void)backend;
	return 0;
}

static int prepare_empty(bench_backend backend)
{
	(void)backend;
	return recreate_tables();
}

static int prepare_no_posts(bench_backend backend)
{
	(void)backend;
	return bench_execute(engine, "DELETE FROM posts");
}

/* W8 starts from empty tables but for the odd users of BENCH_UPSERTS
 * (email version 0), written through the ORM (not timed). */
static int prepare_upsert(bench_backend backend)
{
	(void)backend;
	rt_session *s;
	if (recreate_tables() < 0 || rt_session_open(&s, engine) < 0)
		return bench_fail("prepare W8");
	char name[64], email[96];
	int rc = 0;
	for (long i = 1; i <= BENCH_UPSERTS && rc == 0; i += 2) {
		User *user;
		bench_username(name, sizeof(name), i);
		bench_email(email, sizeof(email), i, 0);
		rc = User_new(&user, s);
		rc = rc < 0 ? rc : User_set_username(user, name);
		rc = rc < 0 ? rc : User_set_email(user, email);
	}
	rc = rc < 0 ? rc : rt_session_commit(s);
	rt_session_close(s);
	return rc < 0 ? bench_fail("prepare W8") : 0;
}

/* Checks that a variant did the work (a benchmark of nothing is fast). */
static int verify_none(void)
{
	return 0;
}

static int verify_users(void)
{
	return bench_count(engine, "SELECT COUNT(*) FROM users") == BENCH_USERS ? 0 : -1;
}

static int verify_posts(void)
{
	int64_t posts = (int64_t)BENCH_POST_USERS * BENCH_POSTS_PER_USER;
	return bench_count(engine, "SELECT COUNT(*) FROM posts") == posts ? 0 : -1;
}

/* Every one of W8's users, with the upsert's email (new and old alike). */
static int verify_upsert(void)
{
	char pattern[32];
	snprintf(pattern, sizeof(pattern), "%%.v%d@%%", BENCH_UPSERT_VERSION);
	rt_conn *conn;
	rt_stmt *stmt;
	if (rt_conn_open(&conn, engine) < 0)
		return bench_fail("connect");
	int64_t n = -1;
	if (rt_stmt_prepare(&stmt, conn, "SELECT COUNT(*) FROM users WHERE email LIKE ?") == RT_OK) {
		if (rt_stmt_bind_text(stmt, 1, pattern, -1) == RT_OK && rt_stmt_step(stmt) == RT_ROW)
			n = rt_stmt_column_int64(stmt, 0);
		rt_stmt_finalize(stmt);
	}
	rt_conn_close(conn);
	return n == BENCH_UPSERTS &&
			       bench_count(engine, "SELECT COUNT(*) FROM users") == BENCH_UPSERTS
		       ? 0
		       : -1;
}

/* W9's users, each with the email of a set-based update. */
static int verify_set_update(void)
{
	rt_conn *conn;
	rt_stmt *stmt;
	if (rt_conn_open(&conn, engine) < 0)
		return bench_fail("connect");
	int64_t n = -1;
	if (rt_stmt_prepare(&stmt, conn, "SELECT COUNT(*) FROM users WHERE email LIKE 'w9.v%'") ==
	    RT_OK) {
		if (rt_stmt_step(stmt) == RT_ROW)
			n = rt_stmt_column_int64(stmt, 0);
		rt_stmt_finalize(stmt);
	}
	rt_conn_close(conn);
	return n == BENCH_SET_UPDATES ? 0 : -1;
}

/* --- the workloads through retort's ORM -------------------------------------- */

static int orm_insert_users(rt_session *s, double *seconds)
{
	(void)seconds;
	char name[64], email[96];
	for (long i = 1; i <= BENCH_USERS; i++) {
		User *user;
		bench_username(name, sizeof(name), i);
		bench_email(email, sizeof(email), i, 0);
		if (User_new(&user, s) < 0 || User_set_username(user, name) < 0 ||
		    User_set_email(user, email) < 0)
			return bench_fail("new user");
	}
	return rt_session_commit(s) < 0 ? bench_fail("commit") : 0;
}

static int orm_load_users(rt_session *s, double *seconds)
{
	(void)seconds;
	rt_query *q;
	rt_list users = {0};
	if (User_query(&q, s) < 0)
		return bench_fail("query");
	int rc = rt_query_all(q, &users);
	rt_query_free(q);
	if (rc < 0)
		return bench_fail("load users");
	return users.count == BENCH_USERS ? 0 : -1;
}

/* The first `limit` users (posts loaded eagerly when eager is set). */
static int orm_first_users(rt_session *s, int limit, int eager, rt_list *out)
{
	rt_query *q;
	if (User_query(&q, s) < 0)
		return bench_fail("query");
	int rc = rt_query_order_by(q, User_c.id.ref, false);
	rc = rc < 0 ? rc : rt_query_limit(q, limit);
	if (eager && rc == 0)
		rc = rt_query_eager(q, &User_model, "posts");
	rc = rc < 0 ? rc : rt_query_all(q, out);
	rt_query_free(q);
	if (rc < 0)
		return bench_fail("load users");
	return (int)out->count == limit ? 0 : -1;
}

static int orm_eager(rt_session *s, double *seconds)
{
	(void)seconds;
	rt_list users = {0};
	return orm_first_users(s, BENCH_EAGER_USERS, 1, &users);
}

static int orm_insert_posts(rt_session *s, double *seconds)
{
	rt_list users = {0};
	if (orm_first_users(s, BENCH_POST_USERS, 0, &users) < 0)
		return -1;
	double start = bench_now();
	char title[96];
	for (size_t u = 0; u < users.count; u++) {
		for (long n = 0; n < BENCH_POSTS_PER_USER; n++) {
			Post *post;
			bench_title(title, sizeof(title), (long)u, n);
			if (Post_new(&post, s) < 0 || Post_set_title(post, title) < 0 ||
			    Post_set_body(post, bench_post_body) < 0 ||
			    Post_set_user(post, users.items[u]) < 0)
				return bench_fail("new post");
		}
	}
	int rc = rt_session_commit(s) < 0 ? bench_fail("commit") : 0;
	*seconds = bench_now() - start;
	return rc;
}

static int orm_gets(rt_session *s, double *seconds)
{
	(void)seconds;
	uint64_t seed = 12345;
	for (int i = 0; i < BENCH_GETS; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		User *user;
		if (User_get(&user, s, (int64_t)(seed >> 33) % BENCH_USERS + 1) < 0)
			return bench_fail("get");
	}
	return 0;
}

static int orm_update_users(rt_session *s, double *seconds)
{
	static int version = 1000;
	rt_list users = {0};
	if (orm_first_users(s, BENCH_UPDATES, 0, &users) < 0)
		return -1;
	version++;
	double start = bench_now();
	char email[96];
	for (size_t i = 0; i < users.count; i++) {
		User *user = users.items[i];
		bench_email(email, sizeof(email), (long)user->id, version);
		if (User_set_email(user, email) < 0)
			return bench_fail("set email");
	}
	int rc = rt_session_commit(s) < 0 ? bench_fail("commit") : 0;
	*seconds = bench_now() - start;
	return rc;
}

static int orm_delete_posts(rt_session *s, double *seconds)
{
	rt_query *q;
	rt_list posts = {0};
	if (Post_query(&q, s) < 0)
		return bench_fail("query");
	int rc = rt_query_order_by(q, Post_c.id.ref, false);
	rc = rc < 0 ? rc : rt_query_limit(q, BENCH_DELETES);
	rc = rc < 0 ? rc : rt_query_all(q, &posts);
	rt_query_free(q);
	if (rc < 0 || posts.count != BENCH_DELETES)
		return bench_fail("load posts");
	double start = bench_now();
	for (size_t i = 0; i < posts.count; i++)
		if (Post_delete(posts.items[i]) < 0)
			return bench_fail("delete");
	rc = rt_session_commit(s) < 0 ? bench_fail("commit") : 0;
	*seconds = bench_now() - start;
	return rc;
}

/* W8: every user new to the session, upserted on username in one call
 * (batched statements), then committed. */
static int orm_upsert_users(rt_session *s, double *seconds)
{
	(void)seconds;
	void **users = malloc(BENCH_UPSERTS * sizeof(*users));
	if (!users)
		return -1;
	char name[64], email[96];
	int rc = 0;
	for (long i = 1; i <= BENCH_UPSERTS && rc == 0; i++) {
		User *user;
		bench_username(name, sizeof(name), i);
		bench_email(email, sizeof(email), i, BENCH_UPSERT_VERSION);
		rc = User_new(&user, s);
		rc = rc < 0 ? rc : User_set_username(user, name);
		rc = rc < 0 ? rc : User_set_email(user, email);
		users[i - 1] = user;
	}
	static const char *const key[] = {"username"}, *const set[] = {"email"};
	rt_upsert_options options = RT_UPSERT_OPTIONS_INIT;
	options.conflict_columns = key;
	options.conflict_count = 1;
	options.update_columns = set;
	options.update_count = 1;
	rc = rc < 0 ? rc : rt_session_upsert(NULL, s, users, BENCH_UPSERTS, &options);
	rc = rc < 0 ? rc : rt_session_commit(s);
	free(users);
	return rc < 0 ? bench_fail("upsert") : 0;
}

/* W9: one UPDATE of the users after BENCH_SET_AFTER, set-based: no row is
 * loaded (the session holds none, so no key is fetched either). */
static int orm_set_update(rt_session *s, double *seconds)
{
	(void)seconds;
	static int version = 1000;
	char email[96];
	bench_set_email(email, sizeof(email), ++version);
	rt_query *q;
	if (User_query(&q, s) < 0)
		return bench_fail("query");
	int rc = rt_query_filter(q, rt_gt(q, User_c.username, BENCH_SET_AFTER));
	rt_assignment set[] = {rt_set(User_c.email, email)};
	int64_t count = 0;
	rc = rc < 0 ? rc : rt_query_update(q, &count, set, 1);
	rt_query_free(q);
	if (rc < 0 || count != BENCH_SET_UPDATES)
		return bench_fail("set-based update");
	return rt_session_commit(s) < 0 ? bench_fail("commit") : 0;
}

/* --- the workloads ------------------------------------------------------------- */

/* One workload: how the ORM runs it, what it starts from, how its result is
 * checked, and which hand-written variants apply. */
typedef struct workload_def {
	const char *name;
	double target; /* issue 13's target: retort / best hand-written */
	/* Sets *seconds itself when only part of its work is timed (the
	 * loading before the changes is not); otherwise the whole run,
	 * closing the session included, is timed. */
	int (*orm)(rt_session *s, double *seconds);
	int (*prepare)(bench_backend backend);
	int (*verify)(void);
	int batched;  /* the hand-written code has a batched variant (writes) */
	int multirow; /* and a multi-row INSERT variant */
} workload_def;

static const workload_def workloads[WORKLOAD_COUNT] = {
	[W1_INSERT_USERS] = {"W1 insert 100,000 users", 1.1, orm_insert_users, prepare_empty,
			     verify_users, 1, 1},
	[W2_LOAD_USERS] = {"W2 load 100,000 users", 1.1, orm_load_users, prepare_reads, verify_none,
			   0, 0},
	[W3_INSERT_POSTS] = {"W3 insert 100,000 posts via relationship", 1.1, orm_insert_posts,
			     prepare_no_posts, verify_posts, 1, 1},
	[W4_EAGER] = {"W4 10,000 users + posts, eager", 1.1, orm_eager, prepare_reads, verify_none, 0,
		      0},
	[W5_GETS] = {"W5 10,000 gets by primary key", 1.1, orm_gets, prepare_reads, verify_none, 0, 0},
	[W6_UPDATE] = {"W6 update 10,000 users, commit", 1.1, orm_update_users, prepare_none,
		       verify_none, 1, 0},
	[W7_DELETE] = {"W7 delete 10,000 posts, commit", 1.1, orm_delete_posts, prepare_none,
		       verify_none, 1, 0},
	[W8_UPSERT] = {"W8 upsert 100,000 users, half new", 1.1, orm_upsert_users, prepare_upsert,
		       verify_upsert, 1, 1},
	/* One statement: no batched variant. */
	[W9_SET_UPDATE] = {"W9 set-based update of 50,000 users", 1.1, orm_set_update,
			   prepare_reads, verify_set_update, 0, 0},
};

/* Seconds for workload w through the ORM, on a fresh engine (connecting is
 * part of the time, as in the hand-written variants) in a fresh session. */
static double orm_run(bench_workload w, const char *url)
{
	double start = bench_now(), seconds = -1;
	rt_engine *fresh;
	rt_session *s;
	if (rt_engine_open(&fresh, url, NULL) < 0)
		return bench_fail("engine");
	if (rt_session_open(&s, fresh) < 0) {
		rt_engine_free(fresh);
		return bench_fail("session");
	}
	int rc = workloads[w].orm(s, &seconds);
	/* Closing frees every object: part of the work unless the workload
	 * timed itself. */
	int timed_itself = seconds >= 0;
	rt_session_close(s);
	if (!timed_itself)
		seconds = bench_now() - start;
	rt_engine_free(fresh);
	return rc < 0 ? -1 : seconds;
}

/* --- memory ------------------------------------------------------------------------ */

/* Prints what a session holds per loaded object beyond the struct and its
 * strings (the object header, the snapshot the flush compares with, the
 * identity map's slot, the session's list), next to the struct's size:
 * issue 13's memory figure. Every user of the table, in one session. */
static int print_memory(void)
{
	rt_session *s;
	rt_query *q;
	rt_list users = {0};
	if (rt_session_open(&s, engine) < 0)
		return bench_fail("session");
	int rc = User_query(&q, s);
	if (rc == RT_OK) {
		rc = rt_query_all(q, &users);
		rt_query_free(q);
	}
	if (rc < 0 || users.count == 0) {
		rt_session_close(s);
		return bench_fail("load users");
	}
	size_t strings = 0;
	for (size_t i = 0; i < users.count; i++) {
		const User *u = users.items[i];
		strings += (u->username ? strlen(u->username) + 1 : 0) +
			   (u->email ? strlen(u->email) + 1 : 0);
	}
	/* The list of the results is the program's, as a hand-written
	 * program's array of rows would be: counted apart. */
	double n = (double)users.count;
	double per = (double)rt__session_memory(s) / n;
	double list = (double)(users.capacity * sizeof(void *)) / n;
	double own = per - (double)sizeof(User) - (double)strings / n - list;
	printf("memory: %zu users in one session, %.0f bytes each: the struct %zu, its strings "
	       "%.0f, the result list %.0f, the session's own %.0f = %.2fx the struct (target "
	       "1.5x)%s\n",
	       users.count, per, sizeof(User), (double)strings / n, list, own,
	       own / (double)sizeof(User), own / (double)sizeof(User) > 1.5 ? "  MISS" : "");
	rt_session_close(s);
	return 0;
}

/* --- SQLAlchemy, as a child process ----------------------------------------- */

/* Runs the SQLAlchemy script, which prints "W<n> <median seconds>" lines.
 * Leaves the entries at -1 when python3-sqlalchemy (or, on MariaDB,
 * python3-pymysql) is missing. */
static void run_sqlalchemy(const char *url, bench_backend backend, int runs, double *medians)
{
	for (int w = 0; w < WORKLOAD_COUNT; w++)
		medians[w] = -1;
	const char *wanted = getenv("BENCH_SQLALCHEMY");
	if (wanted && strcmp(wanted, "0") == 0)
		return;
	const char *python = "/usr/bin/python3";
	/* SQLAlchemy names MariaDB's driver in the scheme. */
	char sa_url[1024];
	const char *rest = strstr(url, "://");
	if (backend == BACKEND_MARIADB && rest)
		snprintf(sa_url, sizeof(sa_url), "mysql+pymysql%s", rest);
	else
		snprintf(sa_url, sizeof(sa_url), "%s", url);
	char command[4096];
	snprintf(command, sizeof(command),
		 "%s -c 'import sqlalchemy%s' 2>/dev/null && SQLALCHEMY_SILENCE_UBER_WARNING=1 %s '%s' '%s' %d",
		 python, backend == BACKEND_MARIADB ? ", pymysql" : "", python,
		 BENCH_SQLALCHEMY_SCRIPT, sa_url, runs);
	FILE *out = popen(command, "r");
	if (!out)
		return;
	char line[256];
	while (fgets(line, sizeof(line), out)) {
		int w;
		double seconds;
		if (sscanf(line, "W%d %lf", &w, &seconds) == 2 && w >= 1 && w <= WORKLOAD_COUNT)
			medians[w - 1] = seconds;
		else
			fputs(line, stderr);
	}
	pclose(out);
}

/* --- main ------------------------------------------------------------------------ */

/* VARIANT_HAND_BATCH is libpq's pipeline mode on PostgreSQL and
 * Connector/C's array binding on MariaDB. */
enum { VARIANT_HAND, VARIANT_HAND_BATCH, VARIANT_HAND_MULTIROW, VARIANT_ORM, VARIANT_COUNT };
static const char *variant_names[VARIANT_COUNT] = {"plain", "batched", "multi-row", "retort"};

static double run_variant(int variant, bench_workload w, const char *url, bench_backend backend,
			  const char *sqlite_path)
{
	if (variant == VARIANT_ORM)
		return orm_run(w, url);
	int hand_variant = variant == VARIANT_HAND_BATCH ? 1 : variant == VARIANT_HAND_MULTIROW ? 2 : 0;
	switch (backend) {
	case BACKEND_SQLITE:
		return variant == VARIANT_HAND ? hand_sqlite_run(w, sqlite_path) : -1;
	case BACKEND_POSTGRESQL:
		return hand_postgres_run(w, url, hand_variant);
	case BACKEND_MARIADB:
#ifdef BENCH_WITH_MARIADB
		return hand_mariadb_run(w, url, hand_variant);
#else
		fprintf(stderr, "bench_orm: built without MariaDB Connector/C\n");
		return -1;
#endif
	}
	return -1;
}

static int applies(int variant, bench_workload w, bench_backend backend)
{
	if (variant == VARIANT_HAND_MULTIROW)
		return backend != BACKEND_SQLITE && workloads[w].multirow;
	if (variant == VARIANT_HAND_BATCH)
		return backend != BACKEND_SQLITE && workloads[w].batched;
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_orm sqlite:///FILE.db | postgresql://... | mysql://...\n");
		return 2;
	}
	const char *url = argv[1];
	const char *env_runs = getenv("BENCH_RUNS");
	int runs = env_runs ? atoi(env_runs) : 5;
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	bench_backend backend = strncmp(url, "postgres", 8) == 0 ? BACKEND_POSTGRESQL
				: strncmp(url, "mysql", 5) == 0 || strncmp(url, "mariadb", 7) == 0
					? BACKEND_MARIADB
					: BACKEND_SQLITE;
	const char *sqlite_path = backend == BACKEND_SQLITE ? url + strlen("sqlite:///") : NULL;
	if (rt_engine_open(&engine, url, NULL) < 0 ||
	    rt_schema_parse_file(&schema, BENCH_MODELS_PATH, NULL) < 0)
		return bench_fail("set-up") ? 1 : 1;

	/* BENCH_ONLY=5 runs W5 alone, on the tables a previous run left (for
	 * profiling one workload). */
	const char *only = getenv("BENCH_ONLY");
	int only_workload = only ? atoi(only) - 1 : -1;
	static double times[WORKLOAD_COUNT][VARIANT_COUNT][MAX_RUNS];
	for (int run = 0; run < runs; run++) {
		for (int w = 0; w < WORKLOAD_COUNT; w++) {
			for (int v = 0; v < VARIANT_COUNT; v++) {
				times[w][v][run] = -1;
				if (!applies(v, (bench_workload)w, backend) ||
				    (only_workload >= 0 && w != only_workload))
					continue;
				if (workloads[w].prepare(backend) < 0)
					return 1;
				double t = run_variant(v, (bench_workload)w, url, backend, sqlite_path);
				if (t < 0 || workloads[w].verify() < 0) {
					fprintf(stderr, "bench_orm: %s, %s: failed\n", workloads[w].name,
						variant_names[v]);
					return 1;
				}
				times[w][v][run] = t;
			}
		}
	}

	double sqlalchemy[WORKLOAD_COUNT];
	if (only_workload >= 0) {
		for (int v = 0; v < VARIANT_COUNT; v++)
			if (times[only_workload][v][0] >= 0)
				printf("%s, %s: median %.4f s\n", workloads[only_workload].name,
				       variant_names[v], bench_median(times[only_workload][v], runs));
		return 0;
	}
	run_sqlalchemy(url, backend, runs, sqlalchemy);

	static const char *backend_names[] = {"SQLite", "PostgreSQL", "MariaDB"};
	printf("%s, median of %d runs (seconds)\n", backend_names[backend], runs);
	printf("%-42s %10s %10s %8s %8s %11s %8s\n", "workload", "hand-best", "retort",
	       "ratio", "target", "SQLAlchemy", "SA/hand");
	int misses = 0;
	for (int w = 0; w < WORKLOAD_COUNT; w++) {
		double best = -1, m[VARIANT_COUNT];
		int best_variant = VARIANT_HAND;
		for (int v = 0; v < VARIANT_COUNT; v++) {
			m[v] = applies(v, (bench_workload)w, backend) ? bench_median(times[w][v], runs) : -1;
			if (v != VARIANT_ORM && m[v] >= 0 && (best < 0 || m[v] < best)) {
				best = m[v];
				best_variant = v;
			}
		}
		double ratio = m[VARIANT_ORM] / best;
		int miss = ratio > workloads[w].target;
		misses += miss;
		char hand[32], sa[16] = "-", sa_ratio[16] = "-";
		snprintf(hand, sizeof(hand), "%.3f%s", best,
			 best_variant == VARIANT_HAND_BATCH
				 ? (backend == BACKEND_MARIADB ? "a" : "p")
			 : best_variant == VARIANT_HAND_MULTIROW ? "m"
								 : "");
		if (sqlalchemy[w] >= 0) {
			snprintf(sa, sizeof(sa), "%.3f", sqlalchemy[w]);
			snprintf(sa_ratio, sizeof(sa_ratio), "%.1fx", sqlalchemy[w] / best);
		}
		printf("%-42s %10s %10.3f %7.2fx %7.1fx %11s %8s%s\n", workloads[w].name, hand,
		       m[VARIANT_ORM], ratio, workloads[w].target, sa, sa_ratio, miss ? "  MISS" : "");
	}
	if (backend == BACKEND_MARIADB)
		printf("(hand-best: the fastest hand-written variant; a = Connector/C array "
		       "binding, 1,000 rows an execution, m = 100-row INSERTs)\n");
	else
		printf("(hand-best: the fastest hand-written variant; p = libpq pipeline mode, "
		       "m = 100-row INSERTs, pipelined)\n");
	if (misses)
		printf("%d workload(s) over target\n", misses);
	if (print_memory() < 0)
		return 1;
	rt_schema_free(schema);
	rt_engine_free(engine);
	return 0;
}
