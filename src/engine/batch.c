/*
 * batch.c - one statement run for many parameter sets
 * (rt__stmt_run_batch), as a session's flush inserts a thousand rows.
 *
 * A dialect with round trips to a server (PostgreSQL) runs the sets in its
 * run_batch hook, pipelined: many executions per round trip. Otherwise
 * this file loops bind, step, reset, which for an embedded database is
 * already the fastest way.
 *
 * Either way the caller's bind(i) fills set i through the ordinary
 * rt_stmt_bind_* calls, its row(i) reads each returned row through the
 * ordinary rt_stmt_column_* calls, and an error names the failing set's
 * index in front of the database's message (the SQLSTATE and the violated
 * constraint are kept). With echo on, the SQL is logged once, then one
 * [params] line per set up to ECHO_SETS, then how many more there were.
 */
#include "base/error.h"
#include "engine/engine.h"

#define ECHO_SETS 10

typedef struct batch_run {
	rt_stmt *stmt;
	const rt_batch *batch;
} batch_run;

static int bind_set(void *ctx, size_t index)
{
	batch_run *run = ctx;
	int rc = run->batch->bind(run->batch->ctx, index, run->stmt);
	if (rc == RT_OK && run->stmt->conn->engine->echo && index < ECHO_SETS)
		rt__echo_params(run->stmt);
	return rc;
}

static int row_of_set(void *ctx, size_t index)
{
	batch_run *run = ctx;
	return run->batch->row(run->batch->ctx, index, run->stmt);
}

/* The plain loop, for dialects without run_batch. */
static int loop(rt_stmt *stmt, const rt_batch *batch, uint64_t *affected, size_t *failed)
{
	batch_run run = {stmt, batch};
	for (size_t i = 0; i < batch->count; i++) {
		*failed = i;
		int rc = rt_stmt_reset(stmt);
		if (rc == RT_OK)
			rc = bind_set(&run, i);
		if (rc < 0)
			return rc;
		stmt->started = true; /* echoed above, not again by the step */
		while ((rc = rt_stmt_step(stmt)) == RT_ROW)
			if (batch->row && (rc = batch->row(batch->ctx, i, stmt)) < 0)
				return rc;
		if (rc < 0)
			return rc;
		*affected += rt__stmt_changes(stmt);
	}
	return RT_OK;
}

int rt__stmt_run_batch(rt_stmt *stmt, const rt_batch *batch, uint64_t *affected)
{
	uint64_t total = 0;
	if (affected)
		*affected = 0;
	if (!stmt || !batch || (batch->count && !batch->bind))
		return rt__error_set(RT_EINVAL, "run batch: NULL statement, batch or bind");
	if (!batch->count)
		return RT_OK;
	rt_conn *conn = stmt->conn;
	rt_engine *engine = conn->engine;
	if (engine->echo)
		rt__echo_sql(engine, stmt->sql);

	size_t failed = 0;
	int rc = rt_stmt_reset(stmt);
	if (rc == RT_OK) {
		if (conn->dialect->run_batch) {
			batch_run run = {stmt, batch};
			rt_driver_batch driver_batch = {batch->count, bind_set,
							batch->row ? row_of_set : NULL, &run, &failed};
			stmt->started = true;
			rc = rt__conn_check(conn, conn->dialect->run_batch(stmt->driver, &driver_batch,
									   &total));
		} else {
			rc = loop(stmt, batch, &total, &failed);
		}
	}
	if (engine->echo && batch->count > ECHO_SETS)
		fprintf(engine->echo_stream, "retort.engine [params] ... %zu more parameter sets\n",
			batch->count - ECHO_SETS);
	if (rc < 0) {
		rt__error_wrap("parameter set %zu of %zu", failed, batch->count);
		rt_stmt_reset(stmt);
		return rc;
	}
	rc = rt_stmt_reset(stmt);
	if (affected)
		*affected = total;
	return rc;
}
