/*
 * session_test.h - what the session, flush, type and error tests share:
 * opening sessions that must open, and looking at the database from a
 * connection of its own (outside every session, so it sees only what was
 * committed) to check what a flush or commit really wrote.
 */
#ifndef RT_TESTS_SESSION_TEST_H
#define RT_TESTS_SESSION_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orm_test.h"

static inline rt_session *open_session(rt_engine *engine)
{
	rt_session *s = NULL;
	if (rt_session_open(&s, engine) != RT_OK) {
		fprintf(stderr, "rt_session_open: %s\n", rt_error_last()->message);
		exit(1);
	}
	return s;
}

/* Does the last error's message hold text? Says what it holds when not. */
static inline bool message_has(const char *text)
{
	const char *m = rt_error_last()->message;
	if (m && strstr(m, text))
		return true;
	fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", m ? m : "(null)", text);
	return false;
}

/* Runs sql (no rows) on a connection of its own; exits on failure. */
static inline void db_exec(rt_engine *engine, const char *sql)
{
	rt_conn *conn = NULL;
	if (rt_conn_open(&conn, engine) != RT_OK || rt_conn_execute(conn, sql) != RT_OK) {
		fprintf(stderr, "%s: %s\n", sql, rt_error_last()->message);
		exit(1);
	}
	rt_conn_close(conn);
}

/* The first column of the first row of sql as text ("NULL" for NULL,
 * "(none)" without a row), copied into out. */
static inline const char *db_text(rt_engine *engine, const char *sql, char *out, size_t size)
{
	rt_conn *conn = NULL;
	rt_stmt *stmt = NULL;
	snprintf(out, size, "(error)");
	if (rt_conn_open(&conn, engine) != RT_OK || rt_stmt_prepare(&stmt, conn, sql) != RT_OK) {
		fprintf(stderr, "%s: %s\n", sql, rt_error_last()->message);
		rt_conn_close(conn);
		return out;
	}
	int rc = rt_stmt_step(stmt);
	if (rc == RT_ROW) {
		const char *text = rt_stmt_column_text(stmt, 0);
		snprintf(out, size, "%s", text ? text : "NULL");
	} else if (rc == RT_DONE) {
		snprintf(out, size, "(none)");
	} else {
		fprintf(stderr, "%s: %s\n", sql, rt_error_last()->message);
	}
	rt_stmt_finalize(stmt);
	rt_conn_close(conn);
	return out;
}

static inline long long db_int(rt_engine *engine, const char *sql)
{
	char text[64];
	db_text(engine, sql, text, sizeof(text));
	return strtoll(text, NULL, 10);
}

#endif
