/*
 * bench_queue.c - W10 (keyset pages through 100,000 users) and W11 (a job
 * queue taken by 4 worker processes with FOR UPDATE SKIP LOCKED) through
 * retort's ORM, next to the same work written by hand (hand_queue.c), in
 * one run. Prints per workload the median of BENCH_RUNS runs (default 5)
 * and the ratio to the hand-written code; W11 also in jobs per second,
 * after checking that every job was taken exactly once.
 *
 *   bench_queue sqlite:///FILE.db | postgresql://... | mysql://...
 *
 * W11 runs on PostgreSQL and MariaDB (SQLite has no row locks: its
 * workers would take turns on the database's write lock).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <retort.h>

#include "bench_models.h"
#include "bench_db.h"
#include "bench_queue.h"

#ifndef BENCH_MODELS_PATH
#error "BENCH_MODELS_PATH must name bench/orm/models.rt"
#endif

#define MAX_RUNS 50
#define TARGET 1.1 /* issue 13: within 1.1x of the hand-written code */

typedef enum backend { SQLITE, POSTGRESQL, MARIADB } backend;

static rt_engine *engine;
static backend db_backend;

/* The tables afresh, QUEUE_USERS users in them (not timed). */
static int set_up(void)
{
	rt_schema *schema = NULL;
	rt_conn *conn;
	if (rt_schema_parse_file(&schema, BENCH_MODELS_PATH, NULL) < 0 ||
	    rt_conn_open(&conn, engine) < 0)
		return bench_fail("set-up");
	int rc = rt_conn_execute(conn, "DROP TABLE IF EXISTS jobs");
	rc = rc < 0 ? rc : rt_conn_execute(conn, "DROP TABLE IF EXISTS posts");
	rc = rc < 0 ? rc : rt_conn_execute(conn, "DROP TABLE IF EXISTS users");
	rc = rc < 0 ? rc : rt_schema_create_all(conn, schema);
	rt_conn_close(conn);
	rt_schema_free(schema);
	if (rc < 0)
		return bench_fail("create tables");
	rt_session *s;
	if (rt_session_open(&s, engine) < 0)
		return bench_fail("session");
	char name[32], email[64];
	for (long i = 1; i <= QUEUE_USERS && rc == 0; i++) {
		User *u;
		snprintf(name, sizeof(name), "user%06ld", i);
		snprintf(email, sizeof(email), "user%06ld@example.com", i);
		rc = User_new(&u, s) < 0 || User_set_username(u, name) < 0 ||
				     User_set_email(u, email) < 0
			     ? -1
			     : 0;
	}
	rc = rc < 0 || rt_session_commit(s) < 0 ? bench_fail("users") : 0;
	rt_session_close(s);
	return rc == 0 && db_backend == POSTGRESQL ? bench_execute(engine, "VACUUM ANALYZE") : rc;
}

/* --- W10 through the ORM --------------------------------------------------------- */

/* A page request of a service: a session, the query after the last key. */
static double orm_pages(const char *url)
{
	double start = bench_now();
	rt_engine *e;
	if (rt_engine_open(&e, url, NULL) < 0)
		return bench_fail("engine");
	int64_t last = 0;
	long total = 0;
	int rc = 0;
	for (;;) {
		rt_session *s;
		rt_query *q;
		rt_list page = {0};
		if (rt_session_open(&s, e) < 0) {
			rc = bench_fail("session");
			break;
		}
		rc = User_query(&q, s) < 0 ? -1 : 0;
		rc = rc ? rc : rt_query_order_by(q, User_c.id.ref, false);
		rc = rc ? rc : rt_query_limit(q, QUEUE_PAGE);
		if (rc == 0 && last) {
			rt_value_ref after = rt_int(last);
			rc = rt_query_after(q, &after, 1);
		}
		rc = rc ? rc : rt_query_all(q, &page);
		if (rc == 0 && page.count)
			last = ((const User *)page.items[page.count - 1])->id;
		total += (long)page.count;
		rt_query_free(q);
		rt_session_close(s);
		if (rc < 0) {
			bench_fail("page");
			break;
		}
		if (page.count == 0)
			break;
	}
	rt_engine_free(e);
	return rc == 0 && total == QUEUE_USERS ? bench_now() - start : -1;
}

/* --- W11: the job queue ------------------------------------------------------------ */

/* One ORM worker: its own engine, a session per job. */
static long orm_worker(const char *url, int worker)
{
	rt_engine *e;
	if (rt_engine_open(&e, url, NULL) < 0)
		return bench_fail("engine");
	long taken = 0;
	int rc = 0;
	while (rc == 0) {
		rt_session *s;
		rt_query *q;
		Job *job = NULL;
		if (rt_session_open(&s, e) < 0)
			return bench_fail("session");
		rc = Job_query(&q, s) < 0 ? -1 : 0;
		rc = rc ? rc : rt_query_filter(q, rt_eq(q, Job_c.state, "ready"));
		rc = rc ? rc : rt_query_order_by(q, Job_c.id.ref, false);
		rc = rc ? rc : rt_query_lock(q, RT_ROW_LOCK_UPDATE, RT_ROW_LOCK_SKIP_LOCKED);
		rc = rc ? rc : rt_query_first(q, &job);
		rt_query_free(q);
		if (rc == RT_ENOTFOUND) {
			rt_session_close(s);
			rc = 0;
			break;
		}
		if (rc == 0) {
			rc = Job_set_state(job, "done");
			job->taken_by = worker;
		}
		rc = rc ? rc : rt_session_commit(s);
		rt_session_close(s);
		if (rc < 0)
			return bench_fail("job");
		taken++;
	}
	rt_engine_free(e);
	return taken;
}

/* The jobs afresh (not timed). */
static int prepare_jobs(void)
{
	if (bench_execute(engine, "DELETE FROM jobs") < 0)
		return -1;
	rt_session *s;
	if (rt_session_open(&s, engine) < 0)
		return bench_fail("session");
	int rc = 0;
	for (int i = 0; i < QUEUE_JOBS && rc == 0; i++) {
		Job *j;
		rc = Job_new(&j, s) < 0 || Job_set_payload(j, "payload") < 0 ? -1 : 0;
	}
	rc = rc < 0 || rt_session_commit(s) < 0 ? bench_fail("jobs") : 0;
	rt_session_close(s);
	return rc == 0 && db_backend == POSTGRESQL ? bench_execute(engine, "VACUUM ANALYZE jobs") : rc;
}

/* Seconds for QUEUE_WORKERS processes to empty the queue; -1 unless every
 * job was taken exactly once. */
static double run_queue(const char *url, int orm)
{
	if (prepare_jobs() < 0)
		return -1;
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	double start = bench_now();
	pid_t pids[QUEUE_WORKERS];
	for (int w = 0; w < QUEUE_WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			/* The child never touches the parent's engine: _exit. */
			close(fds[0]);
			long taken = orm ? orm_worker(url, w + 1)
					 : db_backend == POSTGRESQL ? hand_worker_postgres(url, w + 1)
								    : hand_worker_mariadb(url, w + 1);
			ssize_t n = write(fds[1], &taken, sizeof(taken));
			_exit(taken >= 0 && n == (ssize_t)sizeof(taken) ? 0 : 1);
		}
	}
	close(fds[1]);
	int ok = 1;
	for (int w = 0; w < QUEUE_WORKERS; w++) {
		int status = 0;
		ok &= pids[w] > 0 && waitpid(pids[w], &status, 0) == pids[w] && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0;
	}
	double seconds = bench_now() - start;
	long total = 0, taken;
	while (read(fds[0], &taken, sizeof(taken)) == (ssize_t)sizeof(taken))
		total += taken;
	close(fds[0]);
	/* Every job done, and the takes add up to the jobs: none twice. */
	if (!ok || total != QUEUE_JOBS ||
	    bench_count(engine, "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND taken_by > 0") !=
		    QUEUE_JOBS) {
		fprintf(stderr, "bench_queue: W11 %s: %ld takes of %d jobs\n",
			orm ? "retort" : "hand", total, QUEUE_JOBS);
		return -1;
	}
	return seconds;
}

/* --- main ------------------------------------------------------------------------ */

static double hand_pages(const char *url)
{
	switch (db_backend) {
	case SQLITE: return hand_pages_sqlite(url + strlen("sqlite:///"));
	case POSTGRESQL: return hand_pages_postgres(url);
	case MARIADB: return hand_pages_mariadb(url);
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_queue sqlite:///FILE.db | postgresql://... | mysql://...\n");
		return 2;
	}
	const char *url = argv[1];
	const char *env_runs = getenv("BENCH_RUNS");
	int runs = env_runs ? atoi(env_runs) : 5;
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	db_backend = strncmp(url, "postgres", 8) == 0 ? POSTGRESQL
		     : strncmp(url, "mysql", 5) == 0 || strncmp(url, "mariadb", 7) == 0 ? MARIADB
											 : SQLITE;
	if (rt_engine_open(&engine, url, NULL) < 0 || set_up() < 0)
		return 1;
	static double times[2][2][MAX_RUNS]; /* [workload][hand, retort][run] */
	bool queue = db_backend != SQLITE;
	/* BENCH_VARIANT=retort or hand: that variant alone (for profiling). */
	const char *only = getenv("BENCH_VARIANT");
	for (int run = 0; run < runs; run++) {
		for (int v = 0; v < 2; v++) {
			if (only && strcmp(only, v ? "retort" : "hand") != 0) {
				times[0][v][run] = times[1][v][run] = 1;
				continue;
			}
			times[0][v][run] = v ? orm_pages(url) : hand_pages(url);
			if (queue)
				times[1][v][run] = run_queue(url, v);
			if (times[0][v][run] < 0 || (queue && times[1][v][run] < 0)) {
				fprintf(stderr, "bench_queue: %s failed\n", v ? "retort" : "hand");
				return 1;
			}
		}
	}
	static const char *names[] = {"SQLite", "PostgreSQL", "MariaDB"};
	printf("%s, median of %d runs (seconds)\n", names[db_backend], runs);
	printf("%-46s %10s %10s %8s %8s\n", "workload", "hand", "retort", "ratio", "target");
	static const char *workloads[] = {"W10 keyset pages through 100,000 users",
					  "W11 job queue, 4 workers, 4,000 jobs"};
	for (int w = 0; w < (queue ? 2 : 1); w++) {
		double hand = bench_median(times[w][0], runs), orm = bench_median(times[w][1], runs);
		printf("%-46s %10.3f %10.3f %7.2fx %7.1fx%s\n", workloads[w], hand, orm, orm / hand,
		       TARGET, orm / hand > TARGET ? "  MISS" : "");
		if (w == 1)
			printf("%-46s %10.0f %10.0f   (jobs per second, none taken twice)\n", "",
			       QUEUE_JOBS / hand, QUEUE_JOBS / orm);
	}
	rt_engine_free(engine);
	return 0;
}
