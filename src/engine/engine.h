/*
 * engine.h - internals of engines, connections and statements shared by the
 * modules above the dialect layer (DDL execution, reflection, migrations,
 * the ORM).
 */
#ifndef RT_ENGINE_ENGINE_H
#define RT_ENGINE_ENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/workers.h"
#include "dialect/dialect.h"
#include "retort/engine.h"

/* The engine's connections (pool.c). Every field is guarded by mutex. */
typedef struct rt_pool {
	pthread_mutex_t mutex;
	pthread_cond_t returned;   /* signalled when a connection is given back */
	rt_conn **idle;            /* most recently returned last */
	size_t idle_count;
	int open;                  /* pooled connections open: idle and in use */
	int size;                  /* at most this many open */
	int timeout_ms;            /* wait for a free one; < 0 = not at all */
	/* Fibers (operations of the non-blocking API) waiting for a
	 * connection, first come first served: a fiber never waits on the
	 * condition, which would stop its whole thread. */
	struct pool_waiter *fibers_first, *fibers_last;
	/* Autocommit on a dialect with caps.shared_pipeline: a connection is
	 * lent to up to share_depth fibers of one thread at once
	 * (rt__engine_acquire_shared); lent: those lent so, in use. */
	bool share;
	int share_depth;
	rt_conn **lent;
	size_t lent_count;
	/* Pool health (conn_setup.c reads them): check a connection idle at
	 * least pre_ping_idle_ms before handing it out again (pre_ping);
	 * close one older than recycle_ms (> 0) instead of reusing it. */
	bool pre_ping;
	int64_t pre_ping_idle_ms;
	int64_t recycle_ms;
} rt_pool;

struct rt_engine {
	rt_arena *arena;
	const rt_dialect *dialect;
	rt_connect_params params;
	const char *url_masked;
	int echo;
	FILE *echo_stream;         /* where echo writes; never NULL */
	rt_pool pool;
	/* The ORM's scoped sessions (rt__engine_set_scoped_state). */
	void *scoped_state;
	void (*scoped_destroy)(void *state);
	/* The ORM's lifecycle hooks of every session (src/orm/hooks.c), in
	 * the arena; NULL until one is added. */
	struct rt_hook_list *hooks;
	/* Threads that run a blocking driver's calls for the non-blocking
	 * API (caps.driver_blocks); made by its first user, under pool.mutex. */
	rt_workers *workers;
	/* Users above the engine with work in flight on its connections
	 * (rt__engine_add_closer): finished first when the engine is freed. */
	struct rt_engine_closer *closers;
	/* Run on every new connection (rt_engine_options version 4). */
	const char *init_sql;
	int (*on_connect)(rt_conn *conn, void *user);
	void *on_connect_user;
};

/* A user of the engine that must finish its work in flight before the
 * engine goes (a scheduler of the non-blocking API, whose operations hold
 * connections): rt_engine_free calls close(ctx) first, on its own thread,
 * and the user detaches itself from the engine there. The struct is the
 * user's (embedded in it), linked here while registered. */
typedef struct rt_engine_closer {
	void (*close)(void *ctx);
	void *ctx;
	struct rt_engine_closer *prev, *next;
} rt_engine_closer;

typedef struct rt_stmt_cache rt_stmt_cache;

struct rt_conn {
	rt_engine *engine;
	const rt_dialect *dialect;
	rt_driver_conn *driver;
	int in_transaction;
	bool pooled;               /* taken from the engine's pool */
	bool broken;               /* a driver call reported the connection lost */
	rt_stmt_cache *cache;      /* stmt_cache.c; NULL until first used */
	/* Lent by the pool to several fibers at once (pool.c): how many hold
	 * it, and their thread (under pool.mutex). */
	int leases;
	pthread_t lease_thread;
	/* rt__now_ms() when it connected and when it was last given back
	 * to the pool: its age for recycling, its idle time for pre-ping. */
	int64_t created_ms;
	int64_t returned_ms;
};

/* The values bound to a statement, as echo shows them (kept only while
 * echo is on). */
typedef struct rt_echo_params {
	rt_buf *values;            /* one per parameter, text as logged */
	int count;
} rt_echo_params;

struct rt_stmt {
	rt_conn *conn;
	rt_driver_stmt *driver;
	/* Per column, text made for the current row when a number is read
	 * as text or a blob as a string (valid until the next step). */
	rt_buf *scratch;
	int scratch_count;
	const char *sql;           /* as given (`?` placeholders), for echo */
	bool started;              /* stepped since the last reset: echoed */
	bool cached;               /* owned by the connection's cache */
	/* Of a shared connection's cache: the user (fiber) it was given to,
	 * until that user gives its lease back; NULL when free. */
	void *owner;
	rt_echo_params echo;
	/* stmt_cache.c: hash chain and recency list. */
	struct rt_stmt *cache_next, *lru_prev, *lru_next;
	uint32_t hash;
};

/* --- between the engine's files ----------------------------------------------- */

/* Opens a connection of the engine (not pooled) / closes one for good. */
int rt__conn_create(rt_engine *engine, rt_conn **out);
void rt__conn_destroy(rt_conn *conn);
/* Finalizes every cached statement of conn (stmt_cache.c). */
void rt__stmt_cache_free(rt_conn *conn);
/* Resets every cached statement, ending any unfinished fetch. */
void rt__stmt_cache_reset_all(rt_conn *conn);
/* On a shared connection: the statements given to owner are free again. */
void rt__stmt_cache_disown(rt_conn *conn, void *owner);
/* Who asks for a statement: the fiber, or the thread (a connection is
 * never shared between threads). */
void *rt__conn_user(rt_conn *conn);
/* Makes a statement object around a driver statement (engine.c). */
int rt__stmt_wrap(rt_conn *conn, rt_driver_stmt *driver, const char *sql, rt_stmt **out);
/* Frees a statement object and its driver statement. */
void rt__stmt_destroy(rt_stmt *stmt);
/* The engine's worker threads, started at the first call (thread-safe);
 * NULL when they cannot be started (the error is recorded). */
rt_workers *rt__engine_workers(rt_engine *engine);
/* rt_offload_fn (fiber.h) with ctx the engine: job on its workers. */
int rt__engine_offload(void *ctx, int (*job)(void *arg), void *arg);

/* Connection set-up and pool health (conn_setup.c). Reads the options'
 * and the URL's init_sql, on_connect, pool_pre_ping and pool_recycle
 * into the engine, the URL's taken out of its driver options; before
 * rt__pool_init. */
int rt__engine_setup_read(rt_engine *engine, const rt_engine_options *opts);
/* Runs init_sql and on_connect on a connection just opened. */
int rt__conn_setup(rt_conn *conn);
/* Whether conn has lived longer than the pool's recycle_ms. */
bool rt__conn_expired(const rt_conn *conn, int64_t now_ms);
/* Whether conn, taken from the idle ones, still answers: checked with a
 * round trip when pre-ping is on and it has been idle long enough. */
bool rt__conn_alive(rt_conn *conn, int64_t now_ms);

/* Pool set-up and tear-down (pool.c), from rt_engine_open / _free. */
int rt__pool_init(rt_engine *engine, const rt_engine_options *opts);
void rt__pool_destroy(rt_engine *engine);
/* Echo of a statement's SQL and bound values (engine.c). */
void rt__echo_sql(rt_engine *engine, const char *sql);
void rt__echo_params(rt_stmt *stmt);
/* Notes a driver result: RT_ECONNECT marks the connection broken. */
int rt__conn_check(rt_conn *conn, int rc);

/* The database's rendering of the schema's views, functions and triggers
 * (the dialect's render_sql_objects: each made where nothing is kept and
 * read back), set as their `rendered` text, for a comparison with what
 * the database holds. RT_OK at once where the backend keeps the text as
 * given. */
int rt__conn_render_sql_objects(rt_conn *conn, rt_schema *schema);
/* rt_schema_reflect reading these schemas (retort.ini's schemas; none:
 * the default one alone) where the backend has schemas. */
int rt__conn_reflect(rt_schema **out, rt_conn *conn, const char *const *schemas, size_t count);

/* --- for the ORM: pool, statement cache, batches (pool.c, stmt_cache.c,
 * batch.c) --------------------------------------------------------------- */

/* A connection from the engine's pool (thread-safe), opened when the pool
 * has none idle. */
int rt__engine_acquire(rt_engine *engine, rt_conn **out);
/* Gives a connection back to the pool, rolled back first if a transaction
 * is open; a broken connection is closed instead. NULL-safe. */
void rt__engine_release(rt_engine *engine, rt_conn *conn);
/* For a session in autocommit: where the pool shares connections
 * (rt_pool share) and the caller is a fiber, a connection possibly lent
 * to other fibers of its thread at the same time, whose statements the
 * dialect pipelines; else as rt__engine_acquire. Given back with
 * rt__engine_release. Only statements (rt__conn_statement) may run on it:
 * no transaction control. */
int rt__engine_acquire_shared(rt_engine *engine, rt_conn **out);
/* Whether the engine's sessions run in autocommit. */
bool rt__engine_autocommit(const rt_engine *engine);

/* The connection's prepared statement for sql, prepared on first use and
 * kept in the connection's cache: reset, ready to bind. The cache owns it
 * (rt_stmt_finalize only resets it). It stays valid until 256 other
 * distinct statements have been taken from the connection (least recently
 * used ones are finalized) or the connection closes; taking the same sql
 * again resets it, so finish a loop over its rows before running that sql
 * again. sql must use `?` placeholders. */
int rt__conn_statement(rt_conn *conn, const char *sql, rt_stmt **out);

/* rt__conn_statement for SQL that depends only on what it is built from:
 * an owner that outlives the connection (a model description, which is
 * static) and a kind of statement. build(sql, dialect, owner) writes the
 * text the first time on this connection; later calls take the text
 * remembered with its hash (stmt_cache.c, "the memo"). */
typedef void (*rt_sql_builder)(rt_buf *sql, const rt_dialect *dialect, const void *owner);
int rt__conn_statement_for(rt_conn *conn, const void *owner, int kind, rt_sql_builder build,
			   rt_stmt **out);

/* One statement run once per parameter set. bind(ctx, i, stmt) binds set
 * i; row(ctx, i, stmt), when not NULL, is called for each row set i
 * returns (INSERT ... RETURNING), in set order. On PostgreSQL the
 * executions are pipelined (one round trip per 500 sets, not one per
 * set), so bind(j) may run before row(i) for i < j: binding a set must
 * not depend on the rows of earlier sets. Run batches inside a
 * transaction: outside one, the sets before a failure stay done. */
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
/* The rows the current run's result holds on the client (the dialect's
 * rows_held), or -1 when unknown. */
int64_t rt__stmt_rows_held(rt_stmt *stmt);
/* The number of parameters stmt takes, or -1 when the dialect cannot say. */
int rt__stmt_param_count(rt_stmt *stmt);
/* rt_stmt_bind_text and rt_stmt_bind_blob for bytes that stay as they
 * are until the statement's next reset: the driver may bind them in place
 * (rt_value.borrowed). */
int rt__stmt_bind_text_borrowed(rt_stmt *stmt, int index, const char *text, size_t len);
int rt__stmt_bind_blob_borrowed(rt_stmt *stmt, int index, const void *data, size_t len);
/* Asks for rows one at a time from the server (PostgreSQL single-row
 * mode) instead of the whole result at once: constant memory for any
 * result size. Call before the first step; it holds for that run only
 * (a reset ends it). While such a run is unfinished, the connection can
 * run nothing else: step it to RT_DONE or reset it first. */
int rt__stmt_set_streaming(rt_stmt *stmt);

/* Per-engine slot for the ORM's scoped sessions: the engine calls
 * destroy(state) when it is freed. */
/* Connections of this engine never create the database (rt_connect_params
 * must_exist): for commands that only read. */
void rt__engine_set_must_exist(rt_engine *engine);

/* Registers and unregisters a closer (above), under the pool's mutex. */
void rt__engine_add_closer(rt_engine *engine, rt_engine_closer *closer);
void rt__engine_remove_closer(rt_engine *engine, rt_engine_closer *closer);

int rt__engine_set_scoped_state(rt_engine *engine, void *state, void (*destroy)(void *state));
void *rt__engine_scoped_state(rt_engine *engine);

#endif
