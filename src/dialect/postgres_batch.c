/*
 * postgres_batch.c - a PostgreSQL statement run for many parameter sets
 * at once (the run_batch hook) in libpq's pipeline mode.
 *
 * The sets of a chunk are all sent, then a sync, then their results are
 * read in order; inside a transaction the next chunk goes out before the
 * results of the last are read, so the server is never idle waiting for
 * us. One round trip per chunk instead of one per set is what makes a
 * bulk insert close to COPY's speed without COPY's loss of per-row
 * errors.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "dialect/postgres_stmt.h"

/* Parameter sets sent before each pipeline sync. */
#define PIPELINE_CHUNK 500

/* Reads the results of sets [first, end) of a pipelined batch and the sync
 * after them, delivering rows in order. Keeps the first error (and the
 * index of its set) in *rc and *failed; reads everything regardless, so the
 * connection is left ready. */
static void read_chunk(rt_driver_stmt *stmt, const rt_driver_batch *batch, size_t first,
		       size_t end, uint64_t *affected, int *rc)
{
	rt_driver_conn *conn = stmt->conn;
	size_t index = first;
	int nulls = 0;
	for (;;) {
		PGresult *res = rt__pg_io_result(conn);
		if (!res) {
			/* The end of one set's results; two in a row: nothing
			 * more will come (a broken connection). */
			if (++nulls > 1 || PQstatus(conn->pg) == CONNECTION_BAD)
				break;
			index++;
			continue;
		}
		nulls = 0;
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (*rc < 0 || status == PGRES_PIPELINE_ABORTED) {
			PQclear(res);
			continue;
		}
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			*rc = rt__pg_check_result(conn, res);
			if (*rc == RT_OK)
				*rc = rt__error_set(RT_EDATABASE, "unexpected result in a pipeline");
			*batch->failed = index < end ? index : end - 1;
			PQclear(res);
			continue;
		}
		*affected += rt__pg_stmt_command_tuples(res);
		if (batch->row && PQntuples(res) > 0) {
			*rc = rt__pg_stmt_adopt_result(stmt, res);
			for (int r = 0; *rc == RT_OK && r < stmt->row_count; r++) {
				rt__pg_stmt_free_blobs(stmt);
				stmt->row = r;
				*rc = batch->row(batch->ctx, index);
			}
			if (*rc < 0)
				*batch->failed = index;
			rt__pg_stmt_free_blobs(stmt);
			stmt->result = NULL; /* cleared below */
		}
		PQclear(res);
	}
	if (*rc == RT_OK && PQstatus(conn->pg) == CONNECTION_BAD) {
		*rc = rt__pg_connection_error(conn);
		*batch->failed = index < end ? index : end - 1;
	}
}

/* A failure kept aside while other results are read (their errors would
 * replace it in the thread's error record). */
typedef struct kept_error {
	int code;
	char *message;
} kept_error;

static void keep_error(kept_error *kept, int code)
{
	kept->code = code;
	kept->message = strdup(rt_error_last()->message);
}

static int restore_error(kept_error *kept)
{
	int rc = rt__error_set(kept->code, "%s", kept->message ? kept->message : "batch failed");
	free(kept->message);
	kept->message = NULL;
	return rc;
}

/* Binds and sends sets [first, end); *sent: the end of what was sent. */
static int send_chunk(rt_driver_stmt *stmt, const rt_driver_batch *batch, size_t first,
		      size_t end, size_t *sent)
{
	*sent = first;
	for (size_t i = first; i < end; i++) {
		int rc = batch->bind(batch->ctx, i);
		if (rc == RT_OK)
			rc = rt__pg_stmt_send_run(stmt);
		if (rc < 0)
			return rc;
		*sent = i + 1;
	}
	return RT_OK;
}

/*
 * Chunks of PIPELINE_CHUNK sets, each followed by a sync. Inside a
 * transaction the next chunk is sent before the results of the one before
 * are read, so the server never waits for us (libpq reads while a send
 * would block, so the two cannot deadlock): all sets of a chunk are bound
 * before the rows of the chunk before it are delivered. Outside a
 * transaction each sync commits, so a chunk is sent only once the one
 * before succeeded: nothing runs after a failed set.
 */
static int run_batch(rt_driver_stmt *stmt, const rt_driver_batch *batch, uint64_t *affected);

/* A batch keeps a pipeline of its own: on a shared connection it has the
 * connection to itself meanwhile. */
int rt__pg_run_batch(rt_driver_stmt *stmt, const rt_driver_batch *batch, uint64_t *affected)
{
	bool locked;
	int rc = rt__pg_pipe_lock(stmt->conn, &locked);
	if (rc < 0)
		return rc;
	rc = run_batch(stmt, batch, affected);
	rt__pg_pipe_unlock(stmt->conn, locked);
	return rc;
}

static int run_batch(rt_driver_stmt *stmt, const rt_driver_batch *batch, uint64_t *affected)
{
	rt_driver_conn *conn = stmt->conn;
	rt__pg_stmt_clear_result(stmt);
	*batch->failed = 0;
	int rc = rt__pg_conn_ready(conn, stmt, false);
	if (rc == RT_OK && stmt->named)
		rc = rt__pg_stmt_ensure_prepared(stmt);
	if (rc < 0)
		return rc;
	int ahead = PQtransactionStatus(conn->pg) == PQTRANS_INTRANS ? 2 : 1;
	if (!PQenterPipelineMode(conn->pg))
		return rt__error_set(RT_EDATABASE, "cannot enter pipeline mode: %s",
				     PQerrorMessage(conn->pg));

	size_t flight_first[2], flight_end[2]; /* chunks sent, results unread */
	int in_flight = 0;
	size_t next = 0, send_failed = 0;
	int send_rc = RT_OK, read_rc = RT_OK;
	kept_error kept = {0, NULL};
	for (;;) {
		while (send_rc == RT_OK && read_rc == RT_OK && next < batch->count &&
		       in_flight < ahead) {
			size_t end = next + PIPELINE_CHUNK < batch->count ? next + PIPELINE_CHUNK
									  : batch->count;
			size_t sent;
			if ((send_rc = send_chunk(stmt, batch, next, end, &sent)) < 0) {
				send_failed = sent;
				keep_error(&kept, send_rc);
			}
			if (!PQpipelineSync(conn->pg)) {
				read_rc = rt__pg_connection_error(conn);
				*batch->failed = next;
				in_flight = 0;
				break;
			}
			flight_first[in_flight] = next;
			flight_end[in_flight] = sent;
			in_flight++;
			next = end;
		}
		if (!in_flight)
			break;
		read_chunk(stmt, batch, flight_first[0], flight_end[0], affected, &read_rc);
		flight_first[0] = flight_first[1];
		flight_end[0] = flight_end[1];
		in_flight--;
	}
	/* Results come from sets sent before any failed send: a database
	 * error, if any, is the earlier one. */
	rc = read_rc;
	if (rc == RT_OK && send_rc < 0) {
		*batch->failed = send_failed;
		rc = restore_error(&kept);
	}
	free(kept.message);
	if (!PQexitPipelineMode(conn->pg) && rc == RT_OK)
		rc = rt__error_set(RT_EDATABASE, "cannot leave pipeline mode: %s",
				   PQerrorMessage(conn->pg));
	stmt->row = -1;
	stmt->row_count = 0;
	return rc;
}
