/*
 * test_db.h - an empty database for the integration tests that need one,
 * on whichever backend RETORT_TEST_URL names. Include after test.h.
 */
#ifndef RT_TESTS_TEST_DB_H
#define RT_TESTS_TEST_DB_H

#include <stdio.h>
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

#endif
