/*
 * retort/engine.h - engines, connections and statements.
 *
 * An engine is made from a URL (sqlite:///file.db, postgresql://...) and
 * knows its dialect. A connection runs SQL; a statement is prepared once
 * and run with bound values as often as needed. SQL given to rt_stmt_prepare
 * uses `?` for parameters on every backend. Values always travel as bound
 * parameters.
 */
#ifndef RETORT_ENGINE_H
#define RETORT_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "retort/common.h"
#include "retort/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rt_engine rt_engine;
typedef struct rt_conn rt_conn;
typedef struct rt_stmt rt_stmt;

typedef struct rt_engine_options {
	int version; /* RT_ENGINE_OPTIONS_VERSION */
	/* Non-zero: log each execution of a statement, with its bound
	 * values, to echo_stream (passwords masked). */
	int echo;
	/* --- version 2 ------------------------------------------------------ */
	/* Connections the engine's pool keeps open at most (idle and in use);
	 * 0 = 5. An in-memory SQLite database is one connection whatever
	 * this says: each connection would be a different database. */
	int pool_size;
	/* How long taking a connection waits for one to be given back when
	 * pool_size are in use, in milliseconds; 0 = 30000, negative = fail
	 * at once. Running out of time is RT_ELOCKED. */
	int pool_timeout_ms;
	/* Where echo writes; NULL = stderr. */
	FILE *echo_stream;
	/* --- version 3 ------------------------------------------------------ */
	/* NULL: sessions run in transactions (BEGIN ... COMMIT). "autocommit"
	 * (as SQLAlchemy's isolation_level="AUTOCOMMIT"; the URL's
	 * ?isolation_level=autocommit says the same): no BEGIN, COMMIT or
	 * ROLLBACK is sent, each statement commits by itself, and on
	 * PostgreSQL the operations of the non-blocking API share the pool's
	 * connections, their statements pipelined (docs/async.md). Any other
	 * level is refused. */
	const char *isolation_level;
	/* --- version 4: connection set-up and pool health ------------------- */
	/* SQL run on every new connection, pooled or not, before it is used
	 * (SQLAlchemy's "connect" event): "SET statement_timeout = 5000",
	 * "PRAGMA cache_size = -20000"; may hold several statements. It is
	 * echoed like any SQL: put secrets (a cipher key) in on_connect. */
	const char *init_sql;
	/* Called on every new connection after init_sql, with on_connect_user;
	 * a negative return refuses the connection (closed, the code given
	 * to whoever asked for it). It runs on the thread that connects and
	 * must not take another connection of the engine. */
	int (*on_connect)(rt_conn *conn, void *user);
	void *on_connect_user;
	/* Pre-ping (SQLAlchemy's pool_pre_ping): non-zero checks a connection
	 * taken from the pool with a round trip when it has been idle at
	 * least pool_pre_ping_idle_ms (0: every time); a dead one is closed
	 * and replaced without the caller noticing. The URL's
	 * ?pool_pre_ping=true or =<seconds idle> says the same. */
	int pool_pre_ping;
	int pool_pre_ping_idle_ms;
	/* Recycle (SQLAlchemy's pool_recycle): > 0 closes a connection older
	 * than this many milliseconds when it is given back or taken, and
	 * opens a new one in its place; 0 = never. The URL's
	 * ?pool_recycle=<seconds> says the same. */
	int pool_recycle_ms;
} rt_engine_options;

/* Versions 1 (version and echo only), 2 and 3 are still accepted. */
#define RT_ENGINE_OPTIONS_VERSION 4
#define RT_ENGINE_OPTIONS_INIT \
	{RT_ENGINE_OPTIONS_VERSION, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 0}

/* Parses url and picks its dialect; does not connect yet. opts may be NULL. */
RT_API int rt_engine_open(rt_engine **out, const char *url, const rt_engine_options *opts);
RT_API void rt_engine_free(rt_engine *engine);
/* The canonical name of the engine's backend, from its URL's scheme:
 * postgres:// and postgresql+psycopg2:// URLs both give postgresql. */
RT_API const char *rt_engine_dialect(const rt_engine *engine);
/* The URL with any password replaced by ***. */
RT_API const char *rt_engine_url(const rt_engine *engine);

RT_API int rt_conn_open(rt_conn **out, rt_engine *engine);
RT_API void rt_conn_close(rt_conn *conn);
/* Runs SQL without parameters or results; may hold several statements. */
RT_API int rt_conn_execute(rt_conn *conn, const char *sql);
RT_API int rt_conn_begin(rt_conn *conn);
RT_API int rt_conn_commit(rt_conn *conn);
RT_API int rt_conn_rollback(rt_conn *conn);

RT_API int rt_stmt_prepare(rt_stmt **out, rt_conn *conn, const char *sql);
RT_API void rt_stmt_finalize(rt_stmt *stmt);
/* Parameters are numbered from 1. */
RT_API int rt_stmt_bind_null(rt_stmt *stmt, int index);
RT_API int rt_stmt_bind_int64(rt_stmt *stmt, int index, int64_t value);
RT_API int rt_stmt_bind_double(rt_stmt *stmt, int index, double value);
RT_API int rt_stmt_bind_bool(rt_stmt *stmt, int index, int value);
/* len < 0: text is NUL-terminated. The text is copied. */
RT_API int rt_stmt_bind_text(rt_stmt *stmt, int index, const char *text, ptrdiff_t len);
RT_API int rt_stmt_bind_blob(rt_stmt *stmt, int index, const void *data, size_t len);
/* RT_ROW, RT_DONE, or a negative error code. */
RT_API int rt_stmt_step(rt_stmt *stmt);
/* Rewinds the statement so it can run again; bindings are kept. */
RT_API int rt_stmt_reset(rt_stmt *stmt);
/* Columns of the current row, numbered from 0. Pointers stay valid until
 * the next step, reset or finalize. */
RT_API int rt_stmt_column_count(rt_stmt *stmt);
RT_API const char *rt_stmt_column_name(rt_stmt *stmt, int column);
RT_API int rt_stmt_column_is_null(rt_stmt *stmt, int column);
RT_API int64_t rt_stmt_column_int64(rt_stmt *stmt, int column);
RT_API double rt_stmt_column_double(rt_stmt *stmt, int column);
RT_API int rt_stmt_column_bool(rt_stmt *stmt, int column);
RT_API const char *rt_stmt_column_text(rt_stmt *stmt, int column);
RT_API const void *rt_stmt_column_blob(rt_stmt *stmt, int column, size_t *len);

/* Reads the live database into a schema (tables, columns, keys, indexes,
 * checks, enums). */
RT_API int rt_schema_reflect(rt_schema **out, rt_conn *conn);

/* What rt_schema_ddl renders. */
typedef enum rt_ddl_kind { RT_DDL_CREATE, RT_DDL_DROP } rt_ddl_kind;

/* The DDL that creates (or drops) every table, type and index of the schema
 * for a dialect, named as a URL's scheme names it (what rt_engine_dialect
 * returns), as one text of statements each ending in ";\n". RT_EINVAL for
 * a backend this build does not have. Free with rt_free. */
RT_API int rt_schema_ddl(char **out, const rt_schema *schema, const char *dialect,
			 rt_ddl_kind kind);

/* Creates (or drops) everything in the schema on conn, in one transaction
 * where the dialect allows. */
RT_API int rt_schema_create_all(rt_conn *conn, const rt_schema *schema);
RT_API int rt_schema_drop_all(rt_conn *conn, const rt_schema *schema);

#ifdef __cplusplus
}
#endif
#endif
