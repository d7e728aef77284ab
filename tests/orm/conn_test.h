/*
 * conn_test.h - what the connection set-up, pool health and retry tests
 * share: URLs with options added, a session's round trip, and which
 * server connection a connection is.
 */
#ifndef RT_TESTS_CONN_TEST_H
#define RT_TESTS_CONN_TEST_H

#include <stdio.h>
#include <string.h>

#include "session_test.h"

/* The test URL with "k=v&..." added to its query string (static). */
static inline const char *url_with(const char *options)
{
	static char url[2048];
	const char *base = rt_test_url();
	snprintf(url, sizeof(url), "%s%s%s", base, strchr(base, '?') ? "&" : "?", options);
	return url;
}

static inline int orm_test_is_mariadb(void)
{
	return strncmp(rt_test_url(), "mysql", 5) == 0 || strncmp(rt_test_url(), "mariadb", 7) == 0;
}

/* One round trip in a new session, committed: RT_OK or the error. */
static inline int session_round_trip(rt_engine *engine)
{
	rt_session *s = NULL;
	rt_rows *rows = NULL;
	int rc = rt_session_open(&s, engine);
	if (rc == RT_OK)
		rc = rt_session_sql(&rows, s, "SELECT 1", NULL, 0);
	if (rc == RT_OK)
		rc = rt_rows_next(rows) == RT_ROW ? RT_OK : RT_ERROR;
	rt_rows_free(rows);
	if (rc == RT_OK)
		rc = rt_session_commit(s);
	rt_session_close(s);
	return rc;
}

/* The server's id of conn's session (PostgreSQL's backend pid, MariaDB's
 * connection id), to end it from elsewhere; 0 on SQLite. */
static inline long long server_conn_id(rt_conn *conn)
{
	const char *sql = orm_test_is_postgres()  ? "SELECT pg_backend_pid()"
			  : orm_test_is_mariadb() ? "SELECT CONNECTION_ID()"
						  : NULL;
	if (!sql)
		return 0;
	rt_stmt *stmt = NULL;
	long long id = -1;
	if (rt_stmt_prepare(&stmt, conn, sql) == RT_OK && rt_stmt_step(stmt) == RT_ROW)
		id = rt_stmt_column_int64(stmt, 0);
	rt_stmt_finalize(stmt);
	return id;
}

/* Ends the server's session id from a connection of another engine (the
 * database's administrator command), and waits until it is gone. */
static inline void kill_server_conn(long long id)
{
	rt_engine *admin = NULL;
	char sql[128];
	if (rt_engine_open(&admin, rt_test_url(), NULL) != RT_OK)
		return;
	if (orm_test_is_postgres())
		snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)", id);
	else
		snprintf(sql, sizeof(sql), "KILL %lld", id);
	db_exec(admin, sql);
	const char *gone = orm_test_is_postgres()
				   ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = %lld"
				   : "SELECT COUNT(*) FROM information_schema.processlist WHERE id = %lld";
	snprintf(sql, sizeof(sql), gone, id);
	for (int i = 0; i < 200 && db_int(admin, sql) != 0; i++) {
		struct timespec t = {0, 10 * 1000000L};
		nanosleep(&t, NULL);
	}
	rt_engine_free(admin);
}

#endif
