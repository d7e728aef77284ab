/*
 * migrate_db.h - database helpers for the migration runner's integration
 * tests: connecting to the test database, dropping what a test created,
 * reading the version table and counting rows.
 */
#ifndef RT_TESTS_SUPPORT_MIGRATE_DB_H
#define RT_TESTS_SUPPORT_MIGRATE_DB_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "engine/engine.h"
#include "migrate/version.h"
#include "retort.h"

static inline bool mdb_is_postgres(rt_conn *conn)
{
	return strcmp(conn->dialect->name, "postgresql") == 0;
}

static inline rt_conn *mdb_connect(rt_engine **engine)
{
	rt_conn *conn = NULL;
	if (rt_engine_open(engine, rt_test_url(), NULL) != RT_OK ||
	    rt_conn_open(&conn, *engine) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", rt_test_url(),
			rt_error_last()->message);
		exit(2);
	}
	return conn;
}

/* Drops each table named (a NULL-terminated list), if it exists. */
static inline void mdb_drop(rt_conn *conn, const char *const *tables)
{
	for (const char *const *t = tables; *t; t++) {
		char sql[256];
		snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS \"%s\"%s", *t,
			 mdb_is_postgres(conn) ? " CASCADE" : "");
		if (rt_conn_execute(conn, sql) != RT_OK)
			fprintf(stderr, "%s: %s\n", sql, rt_error_last()->message);
	}
}

static inline bool mdb_exists(rt_conn *conn, const char *table)
{
	bool exists = false;
	if (rt__version_table_exists(conn, table, &exists) != RT_OK)
		fprintf(stderr, "exists %s: %s\n", table, rt_error_last()->message);
	return exists;
}

/* The version table's rows, sorted and space-separated ("" when empty
 * or absent); static storage. */
static inline const char *mdb_heads(rt_conn *conn, const char *table)
{
	static char text[1024];
	rt_arena *arena = rt__arena_new();
	const char **ids = NULL;
	size_t count = 0;
	text[0] = '\0';
	if (!arena || rt__version_heads(conn, table, arena, &ids, &count) != RT_OK) {
		snprintf(text, sizeof(text), "error: %s", rt_error_last()->message);
		rt__arena_free(arena);
		return text;
	}
	for (size_t i = 0; i < count; i++)
		for (size_t j = i + 1; j < count; j++)
			if (strcmp(ids[j], ids[i]) < 0) {
				const char *tmp = ids[i];
				ids[i] = ids[j];
				ids[j] = tmp;
			}
	for (size_t i = 0; i < count; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s", i ? " " : "",
			 ids[i]);
	rt__arena_free(arena);
	return text;
}

/* The single integer a query returns, or -1. */
static inline long long mdb_count(rt_conn *conn, const char *sql)
{
	rt_stmt *stmt;
	long long n = -1;
	if (rt_stmt_prepare(&stmt, conn, sql) != RT_OK) {
		fprintf(stderr, "%s: %s\n", sql, rt_error_last()->message);
		return -1;
	}
	if (rt_stmt_step(stmt) == RT_ROW)
		n = rt_stmt_column_int64(stmt, 0);
	rt_stmt_finalize(stmt);
	return n;
}

#endif
