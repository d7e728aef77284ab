/*
 * postgres_io.c - the PostgreSQL driver's conversation with the server,
 * without ever blocking inside libpq.
 *
 * The connection is in libpq's non-blocking mode. Whenever libpq would
 * have to wait (to connect, to send what it could not write at once, to
 * receive a result), this file waits in rt__wait_fd instead: a poll() for
 * the blocking API, a stopped fiber for the non-blocking one (docs/async.md).
 * The rest of the driver calls these functions where it would call
 * PQconnectdbParams, PQexec, PQexecPrepared and PQgetResult, and reads the
 * same results.
 *
 * When a wait fails (the operation was cancelled, the descriptor went
 * bad), the failure is kept in conn->io_rc (a cancelled statement is
 * cancelled on the server too): the connection is in the
 * middle of a conversation nobody will finish, so every later call fails
 * alike and conn_status reports it broken; rt__pg_connection_error
 * reports that failure rather than a generic "connection lost".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/wait.h"
#include "dialect/postgres.h"

static int cancel_job(void *arg)
{
	char message[256];
	PQcancel(arg, message, sizeof(message));
	return RT_OK;
}

/* PQcancel is libpq's cancel request: a short connection of its own to
 * the server, made and waited for in the calling thread. Inside an
 * operation of the non-blocking API it runs on the engine's workers
 * (rt__offload), so the event loop never waits for it; the fiber does,
 * and nothing else touches conn meanwhile. Best effort: a request that
 * fails leaves the statement to end by itself. */
void rt__pg_cancel_request(rt_driver_conn *conn)
{
	PGcancel *cancel = PQgetCancel(conn->pg);
	if (cancel) {
		rt__offload(cancel_job, cancel, NULL, NULL);
		PQfreeCancel(cancel);
	}
}

/* A statement abandoned by a cancelled operation would go on running on
 * the server, holding its locks, until it ends by itself: ask the server
 * to stop it. The connection itself is closed by its owner, broken. */
static void cancel_abandoned(rt_driver_conn *conn)
{
	if (PQstatus(conn->pg) != CONNECTION_OK ||
	    PQtransactionStatus(conn->pg) != PQTRANS_ACTIVE)
		return; /* nothing running there */
	rt__pg_cancel_request(conn);
}

/* Waits for the connection's socket; RT_OK, or the failure kept. */
static int wait_socket(rt_driver_conn *conn, int events)
{
	if (conn->io_rc < 0)
		return conn->io_rc;
	int got = rt__wait_fd(PQsocket(conn->pg), events, -1);
	if (got == RT_ECANCELED)
		cancel_abandoned(conn);
	if (got < 0)
		conn->io_rc = got;
	return got < 0 ? got : RT_OK;
}

/* Sends what libpq still holds. While the server's socket is full, what it
 * sends us is read meanwhile, so that neither side waits for the other. */
int rt__pg_io_flush(rt_driver_conn *conn)
{
	for (;;) {
		int left = PQflush(conn->pg);
		if (left == 0)
			return RT_OK;
		if (left < 0)
			return rt__pg_connection_error(conn);
		int rc = wait_socket(conn, RT_WAIT_READ | RT_WAIT_WRITE);
		if (rc < 0)
			return rc;
		if (!PQconsumeInput(conn->pg))
			return rt__pg_connection_error(conn);
	}
}

PGresult *rt__pg_io_result(rt_driver_conn *conn)
{
	if (conn->io_rc < 0 || rt__pg_io_flush(conn) < 0)
		return NULL;
	while (PQisBusy(conn->pg)) {
		if (wait_socket(conn, RT_WAIT_READ) < 0)
			return NULL;
		if (!PQconsumeInput(conn->pg))
			return NULL;
	}
	return PQgetResult(conn->pg);
}

static bool is_failure(const PGresult *res)
{
	ExecStatusType status = PQresultStatus(res);
	return status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE;
}

/* Collects the results of what was sent as PQexec would: the first error
 * result, else the last result; a COPY's result at once (the caller ends
 * the COPY). NULL when nothing came (see io_rc and PQstatus). */
static PGresult *collect(rt_driver_conn *conn)
{
	PGresult *kept = NULL, *res;
	while ((res = rt__pg_io_result(conn)) != NULL) {
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
			PQclear(kept);
			return res;
		}
		if (kept && is_failure(kept)) {
			PQclear(res);
		} else {
			PQclear(kept);
			kept = res;
		}
	}
	if (conn->io_rc < 0) {
		PQclear(kept);
		return NULL;
	}
	return kept;
}

/* --- transaction control nobody waits for ------------------------------------ */

/* The conversation is out of step (a result missing or unexpected): the
 * connection is not used again. Returns the code kept. */
static int out_of_step(rt_driver_conn *conn)
{
	if (conn->io_rc == 0)
		conn->io_rc = rt__pg_connection_error(conn);
	return conn->io_rc;
}

/* In pipeline mode: one query's results up to the NULL that ends them,
 * as collect keeps them; NULL when none came (the connection broke). */
static PGresult *pipeline_result(rt_driver_conn *conn)
{
	PGresult *kept = NULL, *res;
	while ((res = rt__pg_io_result(conn)) != NULL) {
		if (kept && is_failure(kept)) {
			PQclear(res);
		} else {
			PQclear(kept);
			kept = res;
		}
	}
	if (conn->io_rc < 0 || PQstatus(conn->pg) == CONNECTION_BAD) {
		PQclear(kept);
		return NULL;
	}
	return kept;
}

/* In pipeline mode: the sync's result; false when something else came. */
static bool pipeline_sync(rt_driver_conn *conn)
{
	PGresult *res = rt__pg_io_result(conn);
	bool synced = res && PQresultStatus(res) == PGRES_PIPELINE_SYNC;
	PQclear(res);
	return synced;
}

/* The ROLLBACK sent by rt__pg_io_rollback_unwaited failed (res, or the
 * connection): the transaction it was to end may still be open, so the
 * connection is never used again, and the statement that found out fails
 * saying so. */
static int rollback_failed(rt_driver_conn *conn, PGresult *res)
{
	if (conn->io_rc < 0) {
		PQclear(res); /* a failed wait: its own error is the one to report */
		return conn->io_rc;
	}
	if (res && is_failure(res))
		rt__pg_result_error(conn, res);
	else
		rt__pg_connection_error(conn);
	PQclear(res);
	char why[1024];
	snprintf(why, sizeof(why), "%s", rt_error_last()->message);
	conn->io_rc = rt__error_set(RT_ECONNECT,
				    "the rollback of the connection's previous transaction failed, "
				    "so the connection is not used again: %s",
				    why);
	return conn->io_rc;
}

/* Reads the result of the ROLLBACK sent earlier, and its sync. */
static int read_rollback(rt_driver_conn *conn)
{
	if (!conn->rollback_sent)
		return RT_OK;
	conn->rollback_sent = false;
	PGresult *res = pipeline_result(conn);
	if (!res || is_failure(res) || !pipeline_sync(conn))
		return rollback_failed(conn, res);
	PQclear(res);
	return RT_OK;
}

int rt__pg_io_begin(rt_driver_conn *conn)
{
	if (conn->io_rc < 0)
		return conn->io_rc;
	conn->begin_pending = true;
	return RT_OK;
}

int rt__pg_io_rollback_unwaited(rt_driver_conn *conn, bool handed_on)
{
	if (conn->io_rc < 0)
		return conn->io_rc;
	if (PQstatus(conn->pg) != CONNECTION_OK)
		return rt__pg_connection_error(conn);
	if (conn->begin_pending) {
		/* Nothing of this transaction reached the server. */
		conn->begin_pending = false;
		if (!conn->rollback_held)
			return RT_OK;
	}
	if (handed_on) {
		/* Its next user's statement follows at once: both go in one
		 * write (carry_start). */
		conn->rollback_held = true;
		return RT_OK;
	}
	conn->rollback_held = false;
	if (conn->rollback_sent || PQpipelineStatus(conn->pg) != PQ_PIPELINE_OFF)
		return out_of_step(conn); /* never left so by this driver */
	/* In pipeline mode, so that the next statement can be sent before
	 * this result is read. */
	if (!PQenterPipelineMode(conn->pg) ||
	    !PQsendQueryParams(conn->pg, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0) ||
	    !PQpipelineSync(conn->pg))
		return out_of_step(conn);
	conn->rollback_sent = true;
	int rc = rt__pg_io_flush(conn);
	return rc < 0 ? out_of_step(conn) : RT_OK;
}

int rt__pg_io_settle(rt_driver_conn *conn)
{
	int rc = conn->rollback_held ? rt__pg_io_rollback_unwaited(conn, false) : RT_OK;
	if (rc == RT_OK)
		rc = read_rollback(conn);
	if (rc == RT_OK && PQpipelineStatus(conn->pg) != PQ_PIPELINE_OFF &&
	    !PQexitPipelineMode(conn->pg))
		rc = out_of_step(conn);
	if (rc == RT_OK && conn->begin_pending) {
		conn->begin_pending = false;
		PGresult *res = rt__pg_io_exec(conn, "BEGIN");
		rc = rt__pg_check_result(conn, res);
		PQclear(res);
	}
	return rc;
}

/* Before a statement is sent: what is pending goes first, in pipeline
 * mode (the ROLLBACK's result is in the pipeline already; a BEGIN is
 * queued now). *carried: whether the statement must be read with
 * carry_finish. */
typedef struct carried {
	bool any;        /* the statement goes in a pipeline: carry_finish reads it */
	bool rollback;   /* a held ROLLBACK queued before it, without a sync */
	bool begin;      /* a BEGIN queued before it */
} carried;

static int carry_start(rt_driver_conn *conn, carried *c)
{
	c->any = conn->rollback_sent || conn->rollback_held || conn->begin_pending;
	c->rollback = c->begin = false;
	if (!c->any)
		return RT_OK;
	if (PQpipelineStatus(conn->pg) == PQ_PIPELINE_OFF && !PQenterPipelineMode(conn->pg))
		return out_of_step(conn);
	if (conn->rollback_held) {
		/* No sync between it and the statement: one write. Should it
		 * fail, the statement is not run (the pipeline is aborted to
		 * the sync) and the connection is dropped. */
		conn->rollback_held = false;
		if (!PQsendQueryParams(conn->pg, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0))
			return out_of_step(conn);
		c->rollback = true;
	}
	if (conn->begin_pending) {
		conn->begin_pending = false;
		if (!PQsendQueryParams(conn->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0))
			return out_of_step(conn);
		c->begin = true;
	}
	return RT_OK;
}

/* After the statement was sent behind what carry_start queued: the sync,
 * then every result in order. The statement's result, or BEGIN's error
 * (the statement was then not run); NULL when the conversation failed
 * (io_rc, PQstatus). */
static PGresult *carry_finish(rt_driver_conn *conn, const carried *c)
{
	if (!PQpipelineSync(conn->pg)) {
		out_of_step(conn);
		return NULL;
	}
	if (read_rollback(conn) < 0)
		return NULL;
	if (c->rollback) {
		PGresult *res = pipeline_result(conn);
		if (!res || is_failure(res)) {
			rollback_failed(conn, res); /* the connection is dropped */
			return NULL;
		}
		PQclear(res);
	}
	PGresult *begin_error = NULL;
	if (c->begin) {
		PGresult *res = pipeline_result(conn);
		if (!res) {
			out_of_step(conn);
			return NULL;
		}
		if (is_failure(res))
			begin_error = res;
		else
			PQclear(res);
	}
	PGresult *res = pipeline_result(conn);
	if (!res || !pipeline_sync(conn) || !PQexitPipelineMode(conn->pg)) {
		PQclear(res);
		PQclear(begin_error);
		out_of_step(conn);
		return NULL;
	}
	if (begin_error) {
		PQclear(res); /* PGRES_PIPELINE_ABORTED: not run */
		return begin_error;
	}
	return res;
}

PGresult *rt__pg_io_exec(rt_driver_conn *conn, const char *sql)
{
	/* SQL text may hold several statements, which pipeline mode does not
	 * take: the ROLLBACK's result is read first, and a pending BEGIN goes
	 * in the same query string, whose first error is the one reported. */
	if (conn->io_rc < 0 ||
	    (conn->rollback_held && rt__pg_io_rollback_unwaited(conn, false) < 0) ||
	    read_rollback(conn) < 0)
		return NULL;
	if (PQpipelineStatus(conn->pg) != PQ_PIPELINE_OFF && !PQexitPipelineMode(conn->pg)) {
		out_of_step(conn);
		return NULL;
	}
	int sent;
	if (conn->begin_pending) {
		rt_buf text = RT_BUF_INIT;
		rt__buf_puts(&text, "BEGIN;");
		rt__buf_puts(&text, sql);
		if (rt__buf_failed(&text)) {
			rt__buf_free(&text);
			rt__error_nomem();
			return NULL;
		}
		conn->begin_pending = false;
		sent = PQsendQuery(conn->pg, rt__buf_cstr(&text));
		rt__buf_free(&text);
	} else {
		sent = PQsendQuery(conn->pg, sql);
	}
	return sent ? collect(conn) : NULL;
}

PGresult *rt__pg_io_exec_prepared(rt_driver_conn *conn, const char *name, int count,
				  const char *const *values, const int *lengths, const int *formats)
{
	carried c;
	if (conn->io_rc < 0 || carry_start(conn, &c) < 0)
		return NULL;
	if (!PQsendQueryPrepared(conn->pg, name, count, values, lengths, formats, 0)) {
		if (c.any)
			out_of_step(conn);
		return NULL;
	}
	return c.any ? carry_finish(conn, &c) : collect(conn);
}

PGresult *rt__pg_io_exec_params(rt_driver_conn *conn, const char *sql, int count, const Oid *types,
				const char *const *values, const int *lengths, const int *formats)
{
	carried c;
	if (conn->io_rc < 0 || carry_start(conn, &c) < 0)
		return NULL;
	if (!PQsendQueryParams(conn->pg, sql, count, types, values, lengths, formats, 0)) {
		if (c.any)
			out_of_step(conn);
		return NULL;
	}
	return c.any ? carry_finish(conn, &c) : collect(conn);
}

void rt__pg_io_skip_copy_out(rt_driver_conn *conn)
{
	char *line;
	for (;;) {
		int n = PQgetCopyData(conn->pg, &line, 1);
		if (n > 0) {
			PQfreemem(line);
		} else if (n == 0) {
			if (wait_socket(conn, RT_WAIT_READ) < 0 || !PQconsumeInput(conn->pg))
				return;
		} else {
			return; /* -1: the COPY ended; -2: the connection failed */
		}
	}
}

int rt__pg_io_connect(PGconn **out, const char *const *keys, const char *const *values,
		      const char **why)
{
	*why = NULL;
	/* expand_dbname = 0: a database name is only ever a name, never a
	 * connection string smuggled in through the URL. */
	PGconn *pg = PQconnectStartParams(keys, values, 0);
	*out = pg;
	if (!pg)
		return rt__error_nomem();
	if (PQstatus(pg) == CONNECTION_BAD)
		return RT_ECONNECT; /* PQerrorMessage says why */
	/* libpq's own connect_timeout is applied by PQconnectdb only: the
	 * deadline is kept here. */
	int timeout_s = 10;
	for (int i = 0; keys[i]; i++)
		if (strcmp(keys[i], "connect_timeout") == 0 && values[i])
			timeout_s = atoi(values[i]) > 0 ? atoi(values[i]) : 0;
	int64_t deadline = timeout_s ? rt__now_ms() + (int64_t)timeout_s * 1000 : -1;
	PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
	for (;;) {
		if (poll == PGRES_POLLING_OK)
			break;
		if (poll == PGRES_POLLING_FAILED)
			return RT_ECONNECT;
		int left = deadline < 0 ? -1 : (int)(deadline - rt__now_ms());
		if (deadline >= 0 && left <= 0) {
			*why = "timeout expired";
			return RT_ECONNECT;
		}
		int got = rt__wait_fd(PQsocket(pg),
				      (poll == PGRES_POLLING_READING ? RT_WAIT_READ : RT_WAIT_WRITE) |
					      RT_WAIT_NEW,
				      left);
		if (got < 0)
			return got; /* recorded: cancelled, or a bad descriptor */
		if (got == 0)
			continue; /* the deadline is checked above */
		poll = PQconnectPoll(pg);
	}
	if (PQsetnonblocking(pg, 1) != 0)
		return RT_ECONNECT;
	return RT_OK;
}
