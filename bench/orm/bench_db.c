/*
 * bench_db.c - the clock and the set-up statements of the ORM benchmarks
 * (bench_db.h).
 */
#define _GNU_SOURCE
#include "bench_db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double bench_median(double *values, int count)
{
	for (int i = 0; i < count; i++)
		if (values[i] < 0)
			return -1;
	qsort(values, (size_t)count, sizeof(*values), compare_double);
	return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

int bench_fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		rt_error_last()->message);
	return -1;
}

int bench_execute(rt_engine *engine, const char *sql)
{
	rt_conn *conn;
	if (rt_conn_open(&conn, engine) < 0)
		return bench_fail("connect");
	int rc = rt_conn_execute(conn, sql);
	rt_conn_close(conn);
	return rc < 0 ? bench_fail(sql) : 0;
}

int64_t bench_count(rt_engine *engine, const char *sql)
{
	rt_conn *conn;
	rt_stmt *stmt;
	int64_t n = -1;
	if (rt_conn_open(&conn, engine) < 0)
		return bench_fail("connect");
	if (rt_stmt_prepare(&stmt, conn, sql) == RT_OK) {
		if (rt_stmt_step(stmt) == RT_ROW)
			n = rt_stmt_column_int64(stmt, 0);
		rt_stmt_finalize(stmt);
	}
	rt_conn_close(conn);
	return n;
}
