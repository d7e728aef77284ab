/*
 * engine.h - internals of engines, connections and statements shared by the
 * modules above the dialect layer (DDL execution, reflection, migrations,
 * the ORM).
 */
#ifndef RT_ENGINE_ENGINE_H
#define RT_ENGINE_ENGINE_H

#include "base/arena.h"
#include "dialect/dialect.h"
#include "retort/engine.h"

struct rt_engine {
	rt_arena *arena;
	const rt_dialect *dialect;
	rt_connect_params params;
	const char *url_masked;
	int echo;
};

struct rt_conn {
	rt_engine *engine;
	const rt_dialect *dialect;
	rt_driver_conn *driver;
	int in_transaction;
};

struct rt_stmt {
	rt_conn *conn;
	rt_driver_stmt *driver;
	/* Per column, text made for the current row when a number is read
	 * as text or a blob as a string (valid until the next step). */
	rt_buf *scratch;
	int scratch_count;
};

/* --- for the ORM: pool, statement cache, batches (pool.c, stmt_cache.c,
 * batch.c) --------------------------------------------------------------- */

/* A connection from the engine's pool (thread-safe), opened when the pool
 * has none idle. */
int rt__engine_acquire(rt_engine *engine, rt_conn **out);
/* Gives a connection back to the pool, rolled back first if a transaction
 * is open; a broken connection is closed instead. NULL-safe. */
void rt__engine_release(rt_engine *engine, rt_conn *conn);

/* The connection's prepared statement for sql, prepared on first use and
 * kept in the connection's cache: reset, ready to bind. The cache owns it:
 * never finalize it. sql must use `?` placeholders. */
int rt__conn_statement(rt_conn *conn, const char *sql, rt_stmt **out);

/* One statement run once per parameter set. bind(ctx, i, stmt) binds set
 * i; row(ctx, i, stmt), when not NULL, is called for each row set i
 * returns (INSERT ... RETURNING). On PostgreSQL the executions are
 * pipelined (one round trip per few hundred rows, not one per row). */
typedef struct rt_batch {
	size_t count;
	int (*bind)(void *ctx, size_t index, rt_stmt *stmt);
	int (*row)(void *ctx, size_t index, rt_stmt *stmt);
	void *ctx;
} rt_batch;
/* Runs the batch; *affected (may be NULL) receives the total number of
 * rows the executions inserted, updated or deleted. On error the message
 * names the failing set's index and the database's error. */
int rt__stmt_run_batch(rt_stmt *stmt, const rt_batch *batch, uint64_t *affected);
/* Rows changed by the last completed execution of stmt (INSERT, UPDATE,
 * DELETE). */
uint64_t rt__stmt_changes(rt_stmt *stmt);
/* Asks for rows one at a time from the server (PostgreSQL single-row
 * mode) instead of the whole result at once: constant memory for any
 * result size. Call before the first step. */
int rt__stmt_set_streaming(rt_stmt *stmt);

/* Per-engine slot for the ORM's scoped sessions: the engine calls
 * destroy(state) when it is freed. */
int rt__engine_set_scoped_state(rt_engine *engine, void *state, void (*destroy)(void *state));
void *rt__engine_scoped_state(rt_engine *engine);

#endif
