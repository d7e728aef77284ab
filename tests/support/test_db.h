/*
 * test_db.h - an empty database for the integration tests that need one,
 * on whichever backend RETORT_TEST_URL names. Include after test.h.
 */
#ifndef RT_TESTS_TEST_DB_H
#define RT_TESTS_TEST_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "engine/url.h"
#include "retort.h"

/* Removes the SQLite file of RETORT_TEST_URL (and its journals); nothing
 * on PostgreSQL or for an in-memory database. */
static inline void test_db_remove_sqlite_file(void)
{
	rt_arena *arena = rt__arena_new();
	rt_connect_params params;
	if (arena && rt__url_parse(&params, arena, rt_test_url()) == RT_OK &&
	    strcmp(params.scheme, "sqlite") == 0 && params.path && *params.path) {
		static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
		for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s%s", params.path, suffixes[i]);
			remove(path);
		}
	}
	rt__arena_free(arena);
}

/* Leaves *conn connected to an empty database, whatever a previous test
 * left behind when it failed: PostgreSQL's public schema is recreated
 * (tables and enum types go with it), MariaDB's database too; SQLite's file is removed and opened
 * again. RT_OK or the failing call's code. */
static inline int test_db_fresh(rt_engine *engine, rt_conn **conn)
{
	if (*conn && strcmp(rt_engine_dialect(engine), "postgresql") == 0)
		return rt_conn_execute(*conn, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	if (*conn && strcmp(rt_engine_dialect(engine), "mariadb") == 0) {
		/* The URL's database dropped and made again, empty. */
		rt_arena *arena = rt__arena_new();
		rt_connect_params params;
		int rc = arena ? rt__url_parse(&params, arena, rt_test_url()) : RT_ENOMEM;
		if (rc == RT_OK && (!params.database || strchr(params.database, '`')))
			rc = RT_EINVAL;
		char sql[512];
		if (rc == RT_OK) {
			snprintf(sql, sizeof(sql),
				 "DROP DATABASE IF EXISTS `%s`; CREATE DATABASE `%s` CHARACTER SET "
				 "utf8mb4; USE `%s`",
				 params.database, params.database, params.database);
			rc = rt_conn_execute(*conn, sql);
		}
		rt__arena_free(arena);
		return rc;
	}
	rt_conn_close(*conn);
	*conn = NULL;
	test_db_remove_sqlite_file();
	return rt_conn_open(conn, engine);
}

/* The models of a test, tests/<relative> under RETORT_SOURCE_DIR, parsed;
 * NULL (said on stderr) when they do not parse. */
static inline rt_schema *test_db_models(const char *relative)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/%s", source ? source : ".", relative);
	rt_schema *schema = NULL;
	if (rt_schema_parse_file(&schema, path, NULL) != RT_OK)
		fprintf(stderr, "cannot parse %s: %s\n", path, rt_error_last()->message);
	return schema;
}

/* An empty database (test_db_fresh), then before (SQL, or NULL: say a
 * schema a previous run left, which test_db_fresh does not drop), then
 * the tables of the models tests/<relative>. RT_OK or the failing call's
 * code, said on stderr. */
static inline int test_db_fresh_models(rt_engine *engine, const char *relative,
				       const char *before)
{
	rt_conn *conn = NULL;
	rt_schema *schema = test_db_models(relative);
	int rc = schema ? rt_conn_open(&conn, engine) : RT_EINVAL;
	if (rc == RT_OK)
		rc = test_db_fresh(engine, &conn);
	if (rc == RT_OK && before)
		rc = rt_conn_execute(conn, before);
	if (rc == RT_OK)
		rc = rt_schema_create_all(conn, schema);
	if (rc != RT_OK)
		fprintf(stderr, "cannot create the tables: %s\n", rt_error_last()->message);
	rt_conn_close(conn);
	rt_schema_free(schema);
	return rc;
}

/* The text of the first value of the one row sql gives (with its count
 * params), through a session of its own, in buf; "(none)" when there is
 * no row. */
static inline const char *test_db_first_text(rt_engine *engine, const char *sql,
					     const rt_value_ref *params, size_t count, char *buf,
					     size_t size)
{
	rt_session *s = NULL;
	rt_rows *rows = NULL;
	snprintf(buf, size, "(none)");
	if (rt_session_open(&s, engine) == RT_OK &&
	    rt_session_sql(&rows, s, sql, params, count) == RT_OK &&
	    rt_rows_next(rows) == RT_ROW && rt_rows_text(rows, 0))
		snprintf(buf, size, "%s", rt_rows_text(rows, 0));
	rt_rows_free(rows);
	rt_session_close(s);
	return buf;
}

#endif
