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
 * bad), the failure is kept in conn->io_rc: the connection is in the
 * middle of a conversation nobody will finish, so every later call fails
 * alike and conn_status reports it broken; rt__pg_connection_error
 * reports that failure rather than a generic "connection lost".
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/wait.h"
#include "dialect/postgres.h"

/* Waits for the connection's socket; RT_OK, or the failure kept. */
static int wait_socket(rt_driver_conn *conn, int events)
{
	if (conn->io_rc < 0)
		return conn->io_rc;
	int got = rt__wait_fd(PQsocket(conn->pg), events, -1);
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

PGresult *rt__pg_io_exec(rt_driver_conn *conn, const char *sql)
{
	if (conn->io_rc < 0 || !PQsendQuery(conn->pg, sql))
		return NULL;
	return collect(conn);
}

PGresult *rt__pg_io_exec_prepared(rt_driver_conn *conn, const char *name, int count,
				  const char *const *values, const int *lengths, const int *formats)
{
	if (conn->io_rc < 0 ||
	    !PQsendQueryPrepared(conn->pg, name, count, values, lengths, formats, 0))
		return NULL;
	return collect(conn);
}

PGresult *rt__pg_io_exec_params(rt_driver_conn *conn, const char *sql, int count, const Oid *types,
				const char *const *values, const int *lengths, const int *formats)
{
	if (conn->io_rc < 0 ||
	    !PQsendQueryParams(conn->pg, sql, count, types, values, lengths, formats, 0))
		return NULL;
	return collect(conn);
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
				      poll == PGRES_POLLING_READING ? RT_WAIT_READ : RT_WAIT_WRITE, left);
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
