/*
 * test_stream.c - rows fetched one at a time (rt__stmt_set_streaming;
 * PostgreSQL single-row mode), on a real database:
 *
 *   - a 1,000,000-row result read whole with the heap in use staying flat
 *     (glibc's mallinfo2, sampled as the rows go by; 100,000 rows and no
 *     memory check under valgrind or a sanitizer, which replace malloc);
 *   - a stream abandoned half-way, in and outside a transaction, leaves the
 *     connection usable; another statement while rows are unread is a clear
 *     error on PostgreSQL;
 *   - an error half-way through a stream, an empty result, a streamed
 *     statement that is not cached;
 *   - a result the server cuts short (MariaDB stops a recursive CTE at
 *     max_recursive_iterations with only a warning) is an error, streamed
 *     or not, never fewer rows taken for the whole result.
 *
 * The queries are each backend's (tests/integration/data/stream/): a
 * series of rows, and one that fails half-way.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "engine/engine.h"
#include "retort.h"
#include "test.h"

#include "support/test_data.h"

static rt_engine *engine;
static rt_conn *conn;
static bool postgres;
static char *series;  /* data/stream/series.<backend>.sql */
static char *midway;  /* data/stream/midway.<backend>.sql */

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

static bool under_valgrind(void)
{
	const char *preload = getenv("LD_PRELOAD");
	return preload && strstr(preload, "vgpreload");
}

/* Bytes of heap in use, or 0 where it cannot be known. */
static size_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	if (!SANITIZED && !under_valgrind())
		return mallinfo2().uordblks;
#endif
	return 0;
}

/* g and 'row g' for g from 1 to the parameter. */
static const char *series_sql(void)
{
	return series ? series : "";
}

static int64_t query_int(const char *sql)
{
	rt_stmt *stmt = NULL;
	int64_t v = -1;
	CHECK_OK(rt__conn_statement(conn, sql, &stmt));
	if (stmt && rt_stmt_step(stmt) == RT_ROW)
		v = rt_stmt_column_int64(stmt, 0);
	if (stmt)
		rt_stmt_reset(stmt);
	return v;
}

static void test_million_rows(void)
{
	const int64_t rows = under_valgrind() || SANITIZED ? 100000 : 1000000;
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, series_sql(), &stmt));
	CHECK_OK(rt__stmt_set_streaming(stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, rows));
	int64_t count = 0, sum = 0, bad = 0;
	size_t baseline = heap_in_use(), peak = 0;
	int rc;
	char expected[32];
	while ((rc = rt_stmt_step(stmt)) == RT_ROW) {
		int64_t g = rt_stmt_column_int64(stmt, 0);
		count++;
		sum += g;
		snprintf(expected, sizeof(expected), "row %lld", (long long)g);
		const char *text = rt_stmt_column_text(stmt, 1);
		if (g != count || !text || strcmp(text, expected) != 0)
			bad++;
		if (count % 50000 == 1) {
			size_t now = heap_in_use();
			if (now > peak)
				peak = now;
		}
	}
	CHECK_INT(rc, RT_DONE);
	CHECK_INT(count, rows);
	CHECK_INT(sum, rows * (rows + 1) / 2);
	CHECK_INT(bad, 0);
	if (baseline) {
		/* The whole result would be tens of megabytes. */
		size_t growth = peak > baseline ? peak - baseline : 0;
		if (growth >= 1024 * 1024)
			fprintf(stderr, "heap grew by %zu bytes while streaming\n", growth);
		CHECK(growth < 1024 * 1024);
	}
	CHECK_INT(rt_stmt_step(stmt), RT_DONE); /* stays done */
	CHECK_INT(query_int("SELECT 5"), 5);
}

static void abandon(bool in_transaction)
{
	CHECK_INT(query_int("SELECT 7"), 7); /* prepared before the stream */
	if (in_transaction)
		CHECK_OK(rt_conn_begin(conn));
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, series_sql(), &stmt));
	CHECK_OK(rt__stmt_set_streaming(stmt));
	/* Inside a transaction the rest is read and dropped (cancelling
	 * would abort the transaction); outside, the query is cancelled. */
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 300000));
	for (int i = 0; i < 10; i++)
		CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	CHECK_INT(rt_stmt_column_int64(stmt, 0), 10);
	if (postgres) {
		/* Nothing else can run while its rows are unread. */
		CHECK_INT(rt_conn_execute(conn, "SELECT 1"), RT_EINVAL);
		CHECK(strstr(rt_error_last()->message, "streamed query"));
		rt_stmt *other = NULL;
		CHECK_INT(rt__conn_statement(conn, "SELECT 6", &other), RT_EINVAL);
		CHECK_OK(rt__conn_statement(conn, "SELECT 7", &other)); /* prepared before */
		CHECK_INT(rt_stmt_step(other), RT_EINVAL);
		rt_stmt_reset(other);
	}
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_INT(query_int("SELECT 7"), 7);
	if (in_transaction)
		CHECK_OK(rt_conn_commit(conn)); /* the transaction was not hurt */
	/* The statement runs again, unstreamed now (a reset ends streaming). */
	CHECK_OK(rt__conn_statement(conn, series_sql(), &stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 3));
	int n = 0;
	while (rt_stmt_step(stmt) == RT_ROW)
		n++;
	CHECK_INT(n, 3);
}

static void test_abandon(void)
{
	abandon(false);
	abandon(true);
}

static void test_error_midway(void)
{
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt__conn_statement(conn, midway ? midway : "", &stmt));
	CHECK_OK(rt__stmt_set_streaming(stmt));
	int rc, rows = 0;
	while ((rc = rt_stmt_step(stmt)) == RT_ROW)
		rows++;
	CHECK(rc < 0);
	CHECK(rows <= 499);
	/* The error is the server's, in its words (data/stream/midway.<backend>.txt
	 * holds a part of them). */
	char *words = test_data_read("stream", "midway", rt_engine_dialect(engine), "txt");
	if (words && !strstr(rt_error_last()->message, words))
		fprintf(stderr, "midway error: %s\n", rt_error_last()->message);
	CHECK(words && strstr(rt_error_last()->message, words));
	free(words);
	CHECK_OK(rt_conn_rollback(conn));
	CHECK_INT(query_int("SELECT 8"), 8);
}

static void test_empty_and_uncached(void)
{
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_stmt_prepare(&stmt, conn, series_sql()));
	CHECK_OK(rt__stmt_set_streaming(stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 0));
	int rows = 0;
	while (rt_stmt_step(stmt) == RT_ROW)
		rows++;
	CHECK_INT(rows, 0);
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_OK(rt__stmt_set_streaming(stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 2500));
	rows = 0;
	while (rt_stmt_step(stmt) == RT_ROW)
		rows++;
	CHECK_INT(rows, 2500);
	CHECK_STR(rt_stmt_column_name(stmt, 0), "g");
	/* Finalizing a statement in the middle of a stream frees the
	 * connection too. */
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_OK(rt__stmt_set_streaming(stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	rt_stmt_finalize(stmt);
	CHECK_INT(query_int("SELECT 9"), 9);
}

/* 5000 rows of a recursive CTE (standard SQL every backend takes): all
 * of them, or an error saying the result is incomplete. */
static void recursive_rows(bool streamed)
{
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_stmt_prepare(&stmt, conn,
				 "WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM c "
				 "WHERE g < ?) SELECT g FROM c"));
	if (!stmt)
		return;
	if (streamed)
		CHECK_OK(rt__stmt_set_streaming(stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 5000));
	int rc, rows = 0;
	while ((rc = rt_stmt_step(stmt)) == RT_ROW)
		rows++;
	if (rc == RT_DONE) {
		CHECK_INT(rows, 5000);
	} else {
		CHECK_INT(rc, RT_EDATABASE);
		CHECK(strstr(rt_error_last()->message, "incomplete") != NULL);
	}
	rt_stmt_finalize(stmt);
	CHECK_INT(query_int("SELECT 10"), 10);
}

static void test_cut_short(void)
{
	recursive_rows(false);
	recursive_rows(true);
}

int main(void)
{
	const char *url = rt_test_url();
	if (rt_engine_open(&engine, url, NULL) != RT_OK || rt__engine_acquire(engine, &conn) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", url, rt_error_last()->message);
		return 1;
	}
	postgres = strcmp(rt_engine_dialect(engine), "postgresql") == 0;
	series = test_data_read("stream", "series", rt_engine_dialect(engine), "sql");
	midway = test_data_read("stream", "midway", rt_engine_dialect(engine), "sql");
	RT_RUN(test_million_rows);
	RT_RUN(test_abandon);
	RT_RUN(test_error_midway);
	RT_RUN(test_empty_and_uncached);
	RT_RUN(test_cut_short);
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
	free(series);
	free(midway);
	return rt_test_done();
}
