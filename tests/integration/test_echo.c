/*
 * test_echo.c - the engine's echo (rt_engine_options.echo), written to a
 * temporary file through echo_stream and read back:
 *
 *   - the connection line shows the URL with its password masked, and the
 *     password appears nowhere, not even when the connection fails;
 *   - each execution of a statement is logged once, at its first step,
 *     followed by its bound values: integers, text quoted ('it''s'), NULL,
 *     blobs as their size, booleans, doubles, long text cut short;
 *   - a batch logs its SQL once, one [params] line for each of its first
 *     ten sets, then how many more there were;
 *   - with echo off, nothing is written.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "retort.h"
#include "test.h"

static bool postgres;

/* Everything written to f so far (malloc'd). */
static char *contents(FILE *f)
{
	fflush(f);
	long size = ftell(f);
	char *text = calloc(1, (size_t)(size > 0 ? size : 0) + 1);
	if (!text)
		return NULL;
	rewind(f);
	size_t got = fread(text, 1, (size_t)(size > 0 ? size : 0), f);
	text[got] = '\0';
	fseek(f, 0, SEEK_END);
	return text;
}

static int occurrences(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = text; p && (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static rt_engine *echo_engine(const char *url, FILE *out)
{
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.echo = 1;
	opts.echo_stream = out;
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, url, &opts));
	return engine;
}

#ifdef RETORT_WITH_POSTGRESQL /* it echoes a server URL's connect */
static void test_password_masked(void)
{
	FILE *out = tmpfile();
	CHECK(out != NULL);
	if (!out)
		return;
	rt_engine *engine = echo_engine("postgresql://alice:s3cret@127.0.0.1:1/shop", out);
	rt_conn *conn = NULL;
	CHECK(rt_conn_open(&conn, engine) < 0); /* nothing listens on port 1 */
	CHECK(strstr(rt_error_last()->message, "s3cret") == NULL);
	char *text = contents(out);
	CHECK(text && strstr(text, "retort.engine connect postgresql://alice:***@127.0.0.1:1/shop\n"));
	CHECK(text && strstr(text, "s3cret") == NULL);
	free(text);
	rt_engine_free(engine);
	fclose(out);
}
#endif

static void test_values(void)
{
	FILE *out = tmpfile();
	CHECK(out != NULL);
	if (!out)
		return;
	rt_engine *engine = echo_engine(rt_test_url(), out);
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS echo_rows"));
	CHECK_OK(rt_conn_execute(conn, postgres
		? "CREATE TABLE echo_rows (id BIGINT, name TEXT, note TEXT, data BYTEA, "
		  "flag BOOLEAN, x DOUBLE PRECISION)"
		: "CREATE TABLE echo_rows (id BIGINT, name TEXT, note TEXT, data BLOB, "
		  "flag BOOLEAN, x DOUBLE)"));
	static const char insert[] =
		"INSERT INTO echo_rows (id, name, note, data, flag, x) VALUES (?, ?, ?, ?, ?, ?)";
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, insert, &stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 1));
	CHECK_OK(rt_stmt_bind_text(stmt, 2, "bob", -1));
	CHECK_OK(rt_stmt_bind_null(stmt, 3));
	CHECK_OK(rt_stmt_bind_blob(stmt, 4, "\0\1\2", 3));
	CHECK_OK(rt_stmt_bind_bool(stmt, 5, 1));
	CHECK_OK(rt_stmt_bind_double(stmt, 6, 1.5));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);

	char long_text[201];
	memset(long_text, 'a', 200);
	long_text[200] = '\0';
	CHECK_OK(rt__conn_statement(conn, insert, &stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, -2));
	CHECK_OK(rt_stmt_bind_text(stmt, 2, "it's", -1));
	CHECK_OK(rt_stmt_bind_text(stmt, 3, long_text, -1));
	CHECK_OK(rt_stmt_bind_null(stmt, 4));
	CHECK_OK(rt_stmt_bind_bool(stmt, 5, 0));
	CHECK_OK(rt_stmt_bind_null(stmt, 6));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);

	/* A query read row by row is one execution; run again, two. */
	CHECK_OK(rt__conn_statement(conn, "SELECT id FROM echo_rows WHERE id <> ? ORDER BY id",
				    &stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 99));
	while (rt_stmt_step(stmt) == RT_ROW)
		;
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_OK(rt__conn_statement(conn, "SELECT count(*) FROM echo_rows", &stmt));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	CHECK_OK(rt_stmt_reset(stmt));

	char *text = contents(out);
	CHECK(text != NULL);
	char expected[1024];
	snprintf(expected, sizeof(expected), "retort.engine %s\nretort.engine [params] "
		 "(1, 'bob', NULL, <blob 3 bytes>, true, 1.5)\n", insert);
	CHECK(text && strstr(text, expected));
	snprintf(expected, sizeof(expected), "retort.engine %s\nretort.engine [params] "
		 "(-2, 'it''s', '%.80s'... (200 bytes), NULL, false, NULL)\n", insert, long_text);
	if (text && !strstr(text, expected))
		fprintf(stderr, "echo:\n%s\nexpected:\n%s\n", text, expected);
	CHECK(text && strstr(text, expected));
	CHECK_INT(occurrences(text, "retort.engine SELECT id FROM echo_rows WHERE id <> ? "
				    "ORDER BY id\nretort.engine [params] (99)\n"), 2);
	/* No parameters: no [params] line. */
	CHECK(text && strstr(text, "retort.engine SELECT count(*) FROM echo_rows\n") &&
	      !strstr(text, "retort.engine SELECT count(*) FROM echo_rows\nretort.engine [params]"));
	CHECK(text && strstr(text, "retort.engine DROP TABLE IF EXISTS echo_rows\n"));
	free(text);
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE echo_rows"));
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
	fclose(out);
}

static int bind_set(void *ctx, size_t i, rt_stmt *stmt)
{
	(void)ctx;
	return rt_stmt_bind_int64(stmt, 1, (int64_t)i * 10);
}

static void test_batch(void)
{
	FILE *out = tmpfile();
	CHECK(out != NULL);
	if (!out)
		return;
	rt_engine *engine = echo_engine(rt_test_url(), out);
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS echo_batch"));
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE echo_batch (n INTEGER)"));
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, "INSERT INTO echo_batch (n) VALUES (?)", &stmt));
	rt_batch batch = {15, bind_set, NULL, NULL};
	uint64_t affected = 0;
	CHECK_OK(rt__stmt_run_batch(stmt, &batch, &affected));
	CHECK_INT(affected, 15);
	char *text = contents(out);
	CHECK_INT(occurrences(text, "retort.engine INSERT INTO echo_batch (n) VALUES (?)\n"), 1);
	CHECK_INT(occurrences(text, "retort.engine [params] ("), 10);
	CHECK(text && strstr(text, "retort.engine INSERT INTO echo_batch (n) VALUES (?)\n"
				   "retort.engine [params] (0)\nretort.engine [params] (10)\n"));
	CHECK(text && strstr(text, "retort.engine [params] (90)\n"
				   "retort.engine [params] ... 5 more parameter sets\n"));
	free(text);
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE echo_batch"));
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
	fclose(out);
}

static void test_echo_off(void)
{
	FILE *out = tmpfile();
	CHECK(out != NULL);
	if (!out)
		return;
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.echo_stream = out;
	rt_engine *engine = NULL;
	CHECK_OK(rt_engine_open(&engine, rt_test_url(), &opts));
	rt_conn *conn = NULL;
	CHECK_OK(rt__engine_acquire(engine, &conn));
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, "SELECT CAST(? AS INTEGER)", &stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, 3));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
	fflush(out);
	CHECK_INT(ftell(out), 0);
	fclose(out);
}

int main(void)
{
	rt_engine *engine = NULL;
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", rt_test_url(), rt_error_last()->message);
		return 1;
	}
	postgres = strcmp(rt_engine_dialect(engine), "postgresql") == 0;
	rt_engine_free(engine);
#ifdef RETORT_WITH_POSTGRESQL
	RT_RUN(test_password_masked);
#endif
	RT_RUN(test_values);
	RT_RUN(test_batch);
	RT_RUN(test_echo_off);
	return rt_test_done();
}
