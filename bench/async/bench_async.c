/*
 * bench_async.c - 10,000 gets by key on PostgreSQL, three ways (issue 11,
 * acceptance 4(a)):
 *
 *   async     the non-blocking API: 64 operations in flight on one thread,
 *             over the engine's pool (BENCH_POOL connections, default 4),
 *             on the shipped epoll loop; twice: with sessions in
 *             transactions (each holds its connection until it ends),
 *             and on an engine in autocommit (isolation_level=autocommit),
 *             where the operations share the connections and their
 *             statements are pipelined (docs/async.md);
 *   blocking  the blocking API, one get at a time, on one thread;
 *   hand      libpq written by hand in pipeline mode: the same prepared
 *             SELECT, 64 in flight on one thread over as many connections
 *             as the pool has, each get its own sync, the rows read into
 *             structs; and the same code with one get in flight per
 *             connection (the shape a session's transaction has: its
 *             connection to itself for the transaction), for reference.
 *
 * Every get of retort is a short session of its own: open, User_get by
 * primary key, the fields copied out, close (the same work in the async
 * and blocking variants; the hand-written one copies the same fields into
 * a struct). Every variant checks that each get found its row.
 *
 *   bench_async postgresql://...
 *
 * Prints the median of BENCH_RUNS runs (default 5) of each variant and
 * the ratios async/hand and async/blocking, with the target of the issue
 * (async within 1.2x of the hand-written pipeline). BENCH_ONLY=async,
 * "async autocommit", blocking or hand runs one variant (for profiling).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <retort.h>
#include <retort/async.h>
#include <retort/async_epoll.h>

#include "bench_async_models.h"

#ifndef BENCH_MODELS_PATH
#error "BENCH_MODELS_PATH must name bench/orm/models.rt"
#endif

#define GETS 10000
#define USERS 10000
#define IN_FLIGHT 64
#define MAX_RUNS 50
#define MAX_POOL 64
#define TARGET 1.2

/* The statement User_get runs (the hand-written side prepares the same). */
static const char get_sql[] = "SELECT users.id, users.username, users.email, users.created_at "
			      "FROM users WHERE users.id = $1";

typedef struct user_row {
	int64_t id;
	char username[64];
	char email[256];
	rt_timestamp created_at;
} user_row;

static int64_t keys[GETS];
static user_row rows[GETS];
static rt_engine *engine;      /* sessions in transactions */
static rt_engine *engine_auto; /* isolation_level=autocommit */
static rt_engine *active;      /* the one the gets use */
static int pool_size = 4;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	fprintf(stderr, "bench_async: %s: %s\n", what, rt_error_last()->message);
	return -1;
}

static void copy_text(char *out, size_t size, const char *text)
{
	snprintf(out, size, "%s", text ? text : "");
}

/* Each get found the row of its key. */
static int verify(const char *variant)
{
	for (int i = 0; i < GETS; i++) {
		char expected[64];
		snprintf(expected, sizeof(expected), "user%06lld", (long long)keys[i]);
		if (rows[i].id != keys[i] || strcmp(rows[i].username, expected) != 0 ||
		    rows[i].created_at.date.year < 2000) {
			fprintf(stderr, "bench_async: %s: get %d of key %lld read id %lld '%s'\n",
				variant, i, (long long)keys[i], (long long)rows[i].id,
				rows[i].username);
			return -1;
		}
	}
	return 0;
}

/* --- retort: one short session per get ------------------------------------------ */

static void user_copy(user_row *row, const User *user)
{
	row->id = user->id;
	copy_text(row->username, sizeof(row->username), user->username);
	copy_text(row->email, sizeof(row->email), user->email);
	row->created_at = user->created_at;
}

static int get_one(void *arg)
{
	int i = (int)(intptr_t)arg;
	rt_session *s;
	int rc = rt_session_open(&s, active);
	if (rc < 0)
		return rc;
	User *user = NULL;
	rc = User_get(&user, s, keys[i]);
	if (rc == RT_OK && user)
		user_copy(&rows[i], user);
	rt_session_close(s);
	return rc;
}

static double run_blocking(void)
{
	active = engine;
	double start = now();
	for (int i = 0; i < GETS; i++)
		if (get_one((void *)(intptr_t)i) < 0)
			return fail("blocking get");
	return now() - start;
}

typedef struct async_state {
	rt_async *async;
	int next, done, failed;
} async_state;

static void on_done(rt_async_op *op, int rc, void *user);

static int start_next(async_state *st)
{
	int i = st->next++;
	if (rt_async_run(st->async, NULL, get_one, (void *)(intptr_t)i, on_done, st) < 0)
		return fail("rt_async_run");
	return 0;
}

static void on_done(rt_async_op *op, int rc, void *user)
{
	async_state *st = user;
	(void)op;
	st->done++;
	if (rc < 0 && !st->failed++)
		fail("async get");
	if (!st->failed && st->next < GETS && start_next(st) < 0)
		st->failed++;
}

static double run_async(rt_engine *on)
{
	rt_epoll_loop loop;
	async_state st = {0};
	active = on;
	if (rt_epoll_loop_init(&loop) < 0 ||
	    rt_async_new(&st.async, on, &loop.callbacks, &loop) < 0)
		return fail("rt_async_new");
	loop.async = st.async;
	double start = now();
	for (int i = 0; i < IN_FLIGHT && !st.failed; i++)
		if (start_next(&st) < 0)
			st.failed++;
	while (rt_async_running(st.async))
		rt_epoll_loop_run_once(&loop, -1);
	double seconds = now() - start;
	rt_async_free(st.async);
	rt_epoll_loop_close(&loop);
	return st.failed || st.done != GETS ? -1 : seconds;
}

/* --- by hand: libpq's pipeline mode ------------------------------------------------ */

typedef struct hand_conn {
	PGconn *pg;
	int queue[IN_FLIGHT]; /* gets sent, results unread, in order */
	int head, count;
} hand_conn;

static int hand_failed(PGconn *pg, PGresult *res, const char *what)
{
	fprintf(stderr, "bench_async: hand: %s: %s", what,
		res ? PQresultErrorMessage(res) : PQerrorMessage(pg));
	PQclear(res);
	return -1;
}

static void hand_read_row(user_row *row, const PGresult *res)
{
	row->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	copy_text(row->username, sizeof(row->username), PQgetvalue(res, 0, 1));
	copy_text(row->email, sizeof(row->email),
		  PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2));
	rt_timestamp_parse(&row->created_at, PQgetvalue(res, 0, 3));
}

static int hand_send(hand_conn *c, int i)
{
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)keys[i]);
	const char *values[1] = {id};
	if (!PQsendQueryPrepared(c->pg, "get_user", 1, values, NULL, NULL, 0) ||
	    !PQpipelineSync(c->pg))
		return hand_failed(c->pg, NULL, "send");
	c->queue[(c->head + c->count++) % IN_FLIGHT] = i;
	return 0;
}

/* Reads every complete result libpq has: a get's row, its end, the sync. */
static int hand_read(hand_conn *c, int *done)
{
	while (c->count && !PQisBusy(c->pg)) {
		PGresult *res = PQgetResult(c->pg);
		if (!res)
			continue; /* the end of a get's results */
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			c->head = (c->head + 1) % IN_FLIGHT;
			c->count--;
			(*done)++;
			continue;
		}
		if (status != PGRES_TUPLES_OK || PQntuples(res) != 1)
			return hand_failed(c->pg, res, "get");
		hand_read_row(&rows[c->queue[c->head]], res);
		PQclear(res);
	}
	return 0;
}

/* window: gets in flight per connection (IN_FLIGHT / connections, or 1). */
static double run_hand(const char *url, int per_connection)
{
	hand_conn conns[MAX_POOL];
	int n = pool_size, rc = 0;
	memset(conns, 0, sizeof(conns));
	for (int k = 0; k < n && rc == 0; k++) {
		hand_conn *c = &conns[k];
		c->pg = PQconnectdb(url);
		if (PQstatus(c->pg) != CONNECTION_OK) {
			rc = hand_failed(c->pg, NULL, "connect");
			break;
		}
		PGresult *res = PQprepare(c->pg, "get_user", get_sql, 1, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = hand_failed(c->pg, res, "prepare");
		else
			PQclear(res);
		if (rc == 0 && (PQsetnonblocking(c->pg, 1) != 0 || !PQenterPipelineMode(c->pg)))
			rc = hand_failed(c->pg, NULL, "pipeline mode");
	}
	double start = now();
	int sent = 0, done = 0, window = per_connection;
	struct pollfd fds[MAX_POOL];
	while (rc == 0 && done < GETS) {
		for (int k = 0; k < n && rc == 0; k++) {
			while (sent < GETS && conns[k].count < window && rc == 0)
				rc = hand_send(&conns[k], sent++);
			fds[k].fd = PQsocket(conns[k].pg);
			fds[k].events = POLLIN | (PQflush(conns[k].pg) > 0 ? POLLOUT : 0);
		}
		if (rc || poll(fds, (nfds_t)n, -1) < 0)
			break;
		for (int k = 0; k < n && rc == 0; k++) {
			if (!(fds[k].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			if (!PQconsumeInput(conns[k].pg))
				rc = hand_failed(conns[k].pg, NULL, "read");
			else
				rc = hand_read(&conns[k], &done);
		}
	}
	double seconds = now() - start;
	for (int k = 0; k < n; k++)
		PQfinish(conns[k].pg);
	return rc == 0 && done == GETS ? seconds : -1;
}

/* --- set-up and report ------------------------------------------------------------ */

static int setup(void)
{
	rt_schema *schema = NULL;
	rt_conn *conn = NULL;
	int rc = rt_schema_parse_file(&schema, BENCH_MODELS_PATH, NULL);
	if (rc == RT_OK)
		rc = rt_conn_open(&conn, engine);
	if (rc == RT_OK)
		rc = rt_conn_execute(conn, "DROP TABLE IF EXISTS posts");
	if (rc == RT_OK)
		rc = rt_conn_execute(conn, "DROP TABLE IF EXISTS users");
	if (rc == RT_OK)
		rc = rt_schema_create_all(conn, schema);
	if (rc == RT_OK) {
		char sql[256];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO users (id, username, email) SELECT i, "
			 "'user' || lpad(i::text, 6, '0'), 'user' || i || '@example.com' "
			 "FROM generate_series(1, %d) AS i",
			 USERS);
		rc = rt_conn_execute(conn, sql);
	}
	if (rc == RT_OK)
		rc = rt_conn_execute(conn, "VACUUM ANALYZE users");
	rt_conn_close(conn);
	rt_schema_free(schema);
	return rc < 0 ? fail("set-up") : 0;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), compare);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

enum { V_ASYNC, V_ASYNC_AUTO, V_BLOCKING, V_HAND, V_HAND_ONE, V_COUNT };
static const char *variant_names[V_COUNT] = {"async, 64 in flight",
					     "async autocommit, 64 in flight",
					     "blocking, one at a time",
					     "hand-written libpq pipeline",
					     "hand-written, 1 per connection"};

int main(int argc, char **argv)
{
	if (argc != 2 || strncmp(argv[1], "postgres", 8) != 0) {
		fprintf(stderr, "usage: bench_async postgresql://...\n");
		return 2;
	}
	const char *url = argv[1];
	const char *env = getenv("BENCH_RUNS");
	int runs = env ? atoi(env) : 5;
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	if ((env = getenv("BENCH_POOL")) && atoi(env) > 0 && atoi(env) <= MAX_POOL)
		pool_size = atoi(env);
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.pool_size = pool_size;
	if (rt_engine_open(&engine, url, &opts) < 0)
		return fail("rt_engine_open") ? 1 : 1;
	opts.isolation_level = "autocommit";
	if (rt_engine_open(&engine_auto, url, &opts) < 0)
		return fail("rt_engine_open (autocommit)") ? 1 : 1;
	if (setup() < 0)
		return 1;
	uint64_t seed = 12345;
	for (int i = 0; i < GETS; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		keys[i] = (int64_t)((seed >> 33) % USERS) + 1;
	}

	/* BENCH_ONLY=async, blocking or hand runs that variant alone (for
	 * profiling it). */
	const char *only = getenv("BENCH_ONLY");
	static double times[V_COUNT][MAX_RUNS];
	for (int run = 0; run < runs; run++) {
		for (int v = 0; v < V_COUNT; v++) {
			times[v][run] = 0;
			if (only && (strncmp(variant_names[v], only, strlen(only)) != 0 ||
				     (v == V_ASYNC && strcmp(only, "async") != 0 &&
				      strncmp(only, "async,", 6) != 0)))
				continue;
			memset(rows, 0, sizeof(rows));
			int window = IN_FLIGHT / pool_size > 0 ? IN_FLIGHT / pool_size : 1;
			double t = v == V_ASYNC	       ? run_async(engine)
				   : v == V_ASYNC_AUTO ? run_async(engine_auto)
				   : v == V_BLOCKING   ? run_blocking()
				   : v == V_HAND     ? run_hand(url, window)
						     : run_hand(url, 1);
			if (t < 0 || verify(variant_names[v]) < 0) {
				fprintf(stderr, "bench_async: %s: failed\n", variant_names[v]);
				return 1;
			}
			times[v][run] = t;
		}
	}
	double m[V_COUNT];
	for (int v = 0; v < V_COUNT; v++)
		m[v] = median(times[v], runs);
	if (only) {
		for (int v = 0; v < V_COUNT; v++)
			if (m[v] > 0)
				printf("%s: median %.3f s\n", variant_names[v], m[v]);
		rt_engine_free(engine);
		rt_engine_free(engine_auto);
		return 0;
	}
	printf("PostgreSQL, %d gets by primary key (a short session each), %d connections, "
	       "median of %d runs\n",
	       GETS, pool_size, runs);
	for (int v = 0; v < V_COUNT; v++)
		printf("  %-30s %8.3f s %9.0f gets/s\n", variant_names[v], m[v], GETS / m[v]);
	double ratio = m[V_ASYNC_AUTO] / m[V_HAND];
	printf("  async autocommit/hand %.2fx (target %.1fx)%s, async autocommit/blocking %.2fx\n",
	       ratio, TARGET, ratio > TARGET ? "  MISS" : "", m[V_ASYNC_AUTO] / m[V_BLOCKING]);
	printf("  async in transactions/hand %.2fx, async/blocking %.2fx, "
	       "async/hand-1-per-connection %.2fx\n",
	       m[V_ASYNC] / m[V_HAND], m[V_ASYNC] / m[V_BLOCKING], m[V_ASYNC] / m[V_HAND_ONE]);
	printf("  (hand-written pipeline: %d gets in flight per connection, a sync after "
	       "each; 1 per connection: one round trip per get, as a session's "
	       "transaction has its connection to itself)\n",
	       IN_FLIGHT / pool_size > 0 ? IN_FLIGHT / pool_size : 1);
	rt_engine_free(engine);
	rt_engine_free(engine_auto);
	return 0;
}
