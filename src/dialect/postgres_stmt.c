/*
 * postgres_stmt.c - PostgreSQL statements: bind, run, fetch, and the three
 * ways the engine runs them fast (prepared, streamed, pipelined).
 *
 * Every value is a parameter of the extended query protocol: text format
 * with the type left to the server to infer from context, except blobs,
 * which go as binary bytea. Results come back in text format and are turned
 * into rt_values by the column's type OID.
 *
 *   - A statement from prepare runs as an unnamed statement each time
 *     (PQexecParams): parse, plan, execute in one round trip.
 *   - A statement from prepare_cached (the engine's statement cache) is a
 *     named server-side prepared statement, rt_<n>, prepared and described
 *     at once (one round trip) so the server's parameter types are known;
 *     later runs only bind and execute (PQexecPrepared). Should a run bind
 *     a blob where the server expects no bytea, that run goes unnamed.
 *     Finalizing it queues a DEALLOCATE, sent before the connection's next
 *     statement (never inside a failed transaction, where it would fail).
 *   - A streamed run (set_streaming) is sent with PQsend* in single-row
 *     mode: each step reads one row's PGresult, so memory stays constant
 *     for any number of rows. Until it has been read to the end, nothing
 *     else can run on the connection; a reset abandons it (cancelling the
 *     query when it runs in no transaction, else reading the rest).
 *   - A batch (run_batch) runs one statement for many parameter sets in
 *     pipeline mode (postgres_batch.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "dialect/postgres_stmt.h"

/* --- results --------------------------------------------------------------- */

void rt__pg_stmt_free_blobs(rt_driver_stmt *stmt)
{
	for (int i = 0; i < stmt->blob_slots; i++) {
		if (stmt->blobs[i]) {
			PQfreemem(stmt->blobs[i]);
			stmt->blobs[i] = NULL;
		}
	}
}

/* Makes res the statement's current result (the statement owns it). */
int rt__pg_stmt_adopt_result(rt_driver_stmt *stmt, PGresult *res)
{
	rt__pg_stmt_free_blobs(stmt);
	if (stmt->result != res)
		PQclear(stmt->result);
	stmt->result = res;
	stmt->row = -1;
	stmt->row_count = PQntuples(res);
	int fields = PQnfields(res);
	if (fields > stmt->blob_slots) {
		unsigned char **blobs = calloc((size_t)fields, sizeof(*blobs));
		size_t *lengths = calloc((size_t)fields, sizeof(*lengths));
		if (!blobs || !lengths) {
			free(blobs);
			free(lengths);
			return rt__error_nomem();
		}
		free(stmt->blobs);
		free(stmt->blob_lengths);
		stmt->blobs = blobs;
		stmt->blob_lengths = lengths;
		stmt->blob_slots = fields;
	}
	return RT_OK;
}

uint64_t rt__pg_stmt_command_tuples(PGresult *res)
{
	return strtoull(PQcmdTuples(res), NULL, 10);
}

/* Reads and drops results until the current command's end. */
static void drain(rt_driver_conn *conn)
{
	PGresult *res;
	while ((res = rt__pg_io_result(conn)) != NULL)
		PQclear(res);
}

/* A streamed run is over: the connection is free for other statements
 * (and, shared, for the other users: postgres_pipe.c). */
static void fetch_end(rt_driver_stmt *stmt)
{
	rt_driver_conn *conn = stmt->conn;
	conn->fetching = NULL;
	bool locked = stmt->locked;
	stmt->locked = false;
	if (locked && PQstatus(conn->pg) == CONNECTION_OK && conn->io_rc == 0) {
		/* libpq keeps single-row mode on after the stream until a query
		 * is sent out of pipeline mode: the first statement the shared
		 * pipeline sent next would come back one row at a time. An empty
		 * query, out of pipeline mode, turns it off. */
		PQclear(rt__pg_io_exec(conn, ""));
	}
	rt__pg_pipe_unlock(conn, locked);
}

/* Ends an unfinished streamed run: the rest of its rows are not wanted. */
static void stream_abandon(rt_driver_stmt *stmt)
{
	rt_driver_conn *conn = stmt->conn;
	if (stmt->implicit) {
		/* Cancelling is cheaper than reading a million rows, and harmless
		 * here: no transaction of the caller's can be hurt by it. */
		rt__pg_cancel_request(conn);
	}
	drain(conn);
	fetch_end(stmt);
	stmt->state = RUN_STREAM_DONE;
}

void rt__pg_stmt_clear_result(rt_driver_stmt *stmt)
{
	if (stmt->state == RUN_STREAM && stmt->conn->fetching == stmt)
		stream_abandon(stmt);
	rt__pg_stmt_free_blobs(stmt);
	PQclear(stmt->result);
	stmt->result = NULL;
	stmt->row = -1;
	stmt->row_count = 0;
	stmt->state = RUN_NONE;
}

/* DEALLOCATEs of finalized statements, on a shared connection: SQL text,
 * so with the connection to itself. */
static int shared_stale(rt_driver_conn *conn)
{
	bool locked;
	int rc = rt__pg_pipe_lock(conn, &locked);
	if (rc < 0)
		return rc;
	rc = rt__pg_conn_ready(conn, NULL, false);
	rt__pg_pipe_unlock(conn, locked);
	return rc;
}

int rt__pg_conn_ready(rt_driver_conn *conn, const rt_driver_stmt *stmt, bool carry)
{
	/* Anything but the next catalog query sent ahead: what was sent
	 * ahead is read first (postgres_catalog.c). */
	if (conn->ahead) {
		PGresult *unused;
		int rc = rt__pg_ahead_take(conn, NULL, &unused);
		if (rc < 0)
			return rc;
	}
	/* Shared, the statement waits its turn (a streamed query of another
	 * user has the connection locked meanwhile); autocommit has no
	 * transaction control to settle. */
	if (rt__pg_pipe_shared(conn))
		return conn->stale.len ? shared_stale(conn) : RT_OK;
	if (conn->fetching && conn->fetching != stmt)
		return rt__error_set(RT_EINVAL,
				     "a streamed query on this connection has rows still to read: "
				     "step it to the end or reset it before running another statement");
	if (!carry || conn->stale.len) {
		int rc = rt__pg_io_settle(conn);
		if (rc < 0)
			return rc;
	}
	if (conn->stale.len && PQtransactionStatus(conn->pg) != PQTRANS_INERROR) {
		/* DEALLOCATEs of finalized statements. Their failure is no
		 * failure of the statement about to run: a name already gone
		 * (after DISCARD ALL) is harmless. */
		PGresult *res = rt__pg_io_exec(conn, rt__buf_cstr(&conn->stale));
		PQclear(res);
		rt__buf_clear(&conn->stale);
	}
	return RT_OK;
}

/* --- preparing --------------------------------------------------------------- */

void rt__pg_finalize(rt_driver_stmt *stmt)
{
	if (!stmt)
		return;
	rt__pg_stmt_clear_result(stmt);
	if (stmt->prepared) {
		rt__buf_printf(&stmt->conn->stale, "DEALLOCATE %s;", stmt->name);
		if (rt__buf_failed(&stmt->conn->stale))
			rt__buf_clear(&stmt->conn->stale); /* the server keeps it: harmless */
	}
	for (int i = 0; i < stmt->param_count; i++)
		free(stmt->params[i].data);
	free(stmt->params);
	free(stmt->values);
	free(stmt->lengths);
	free(stmt->formats);
	free(stmt->types);
	free(stmt->server_types);
	free(stmt->blobs);
	free(stmt->blob_lengths);
	free(stmt->sql);
	free(stmt);
}

int rt__pg_prepare(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql)
{
	*out = NULL;
	rt_driver_stmt *stmt = calloc(1, sizeof(*stmt));
	if (!stmt)
		return rt__error_nomem();
	stmt->conn = conn;
	stmt->row = -1;

	rt_buf text = RT_BUF_INIT;
	rt__postgres_translate_placeholders(&text, sql, &stmt->param_count);
	rt__buf_putc(&text, '\0'); /* an empty statement still gets a string */
	stmt->sql = rt__buf_detach(&text);

	size_t n = (size_t)stmt->param_count + 1; /* never a zero-size calloc */
	stmt->params = calloc(n, sizeof(*stmt->params));
	stmt->values = calloc(n, sizeof(*stmt->values));
	stmt->lengths = calloc(n, sizeof(*stmt->lengths));
	stmt->formats = calloc(n, sizeof(*stmt->formats));
	stmt->types = calloc(n, sizeof(*stmt->types));
	if (!stmt->sql || !stmt->params || !stmt->values || !stmt->lengths || !stmt->formats ||
	    !stmt->types) {
		rt__pg_finalize(stmt);
		return rt__error_nomem();
	}
	/* Unbound parameters are NULL, as in SQLite. */
	for (int i = 0; i < stmt->param_count; i++)
		stmt->params[i].is_null = true;
	*out = stmt;
	return RT_OK;
}

/* Prepared on the server now, so that bad SQL fails here as on SQLite. */
int rt__pg_prepare_cached(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql)
{
	int rc = rt__pg_conn_ready(conn, NULL, false);
	if (rc == RT_OK)
		rc = rt__pg_prepare(out, conn, sql);
	if (rc < 0)
		return rc;
	rt_driver_stmt *stmt = *out;
	stmt->named = true;
	snprintf(stmt->name, sizeof(stmt->name), "rt_%" PRIu64, ++conn->statement_counter);
	if ((rc = rt__pg_stmt_ensure_prepared(stmt)) < 0) {
		rt__pg_finalize(stmt);
		*out = NULL;
	}
	return rc;
}

/* Parameter types for the server: bytea where a blob is bound, else left
 * to the server to infer, as an unnamed run does. */
static void null_values(rt_driver_stmt *stmt)
{
	for (int i = 0; i < stmt->param_count; i++)
		if (stmt->params[i].is_null)
			stmt->values[i] = NULL;
}

/* Prepares the named statement on the server and learns the parameter
 * types the server gave it: both requests in one round trip (a pipeline
 * of two). */
static int ensure_prepared_shared(rt_driver_stmt *stmt);
static int take_description(rt_driver_stmt *stmt, const PGresult *res);

int rt__pg_stmt_ensure_prepared(rt_driver_stmt *stmt)
{
	if (stmt->prepared)
		return RT_OK;
	rt_driver_conn *conn = stmt->conn;
	if (rt__pg_pipe_shared(conn))
		return ensure_prepared_shared(stmt);
	PGconn *pg = conn->pg;
	if (!PQenterPipelineMode(pg))
		return rt__pg_connection_error(conn);
	if (!PQsendPrepare(pg, stmt->name, stmt->sql, stmt->param_count, stmt->types) ||
	    !PQsendDescribePrepared(pg, stmt->name) || !PQpipelineSync(pg)) {
		int rc = rt__pg_connection_error(conn);
		PQexitPipelineMode(pg);
		return rc;
	}
	int rc = RT_OK;
	int step = 0; /* 0: the prepare's result, 1: the description's, 2: the sync */
	int nulls = 0;
	while (step < 3) {
		PGresult *res = rt__pg_io_result(conn);
		if (!res) {
			if (++nulls > 1)
				break; /* nothing more will come: the connection broke */
			continue;
		}
		nulls = 0;
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (rc == RT_OK && status != PGRES_PIPELINE_ABORTED) {
			rc = rt__pg_check_result(conn, res);
			if (rc == RT_OK && step == 0)
				stmt->prepared = true;
			if (rc == RT_OK && step == 1)
				rc = take_description(stmt, res);
		}
		step++;
		PQclear(res);
	}
	if (!PQexitPipelineMode(pg) && rc == RT_OK)
		rc = rt__pg_connection_error(conn);
	if (rc == RT_OK && !stmt->server_types)
		rc = rt__error_set(RT_EDATABASE, "PostgreSQL did not describe statement %s",
				   stmt->name);
	return rc;
}

/* The statement's parameter types, as the server described them. */
static int take_description(rt_driver_stmt *stmt, const PGresult *res)
{
	int n = PQnparams(res);
	free(stmt->server_types);
	stmt->server_types = calloc((size_t)stmt->param_count + 1, sizeof(Oid));
	if (!stmt->server_types)
		return rt__error_nomem();
	for (int i = 0; i < n && i < stmt->param_count; i++)
		stmt->server_types[i] = PQparamtype(res, i);
	return RT_OK;
}

/* Results of a shared request (postgres_pipe.c), as the caller reads them. */
typedef struct shared_run {
	rt_driver_stmt *stmt;
	int rc;            /* the first error, recorded when it came */
	PGresult *kept;    /* run: the last result, or the first failure */
} shared_run;

static int send_prepare(rt_driver_conn *conn, void *ctx)
{
	rt_driver_stmt *stmt = ((shared_run *)ctx)->stmt;
	return PQsendPrepare(conn->pg, stmt->name, stmt->sql, stmt->param_count, stmt->types) &&
			       PQsendDescribePrepared(conn->pg, stmt->name)
		       ? RT_OK
		       : RT_ECONNECT;
}

static void take_prepare(void *ctx, int index, PGresult *res)
{
	shared_run *r = ctx;
	if (r->rc == RT_OK && PQresultStatus(res) != PGRES_PIPELINE_ABORTED) {
		r->rc = rt__pg_check_result(r->stmt->conn, res);
		if (r->rc == RT_OK && index == 0)
			r->stmt->prepared = true;
		if (r->rc == RT_OK && index == 1)
			r->rc = take_description(r->stmt, res);
	}
	PQclear(res);
}

/* ensure_prepared on a shared connection: the Parse and the Describe go
 * in the pipeline like any statement. Each user of the connection has its
 * own statements (the engine's cache gives a statement to one user at a
 * time), so two never prepare one name. */
static int ensure_prepared_shared(rt_driver_stmt *stmt)
{
	shared_run r = {stmt, RT_OK, NULL};
	int rc = rt__pg_pipe_run(stmt->conn, send_prepare, take_prepare, &r);
	if (rc == RT_OK)
		rc = r.rc;
	if (rc == RT_OK && !stmt->server_types)
		rc = rt__error_set(RT_EDATABASE, "PostgreSQL did not describe statement %s",
				   stmt->name);
	return rc;
}

/* Can this run use the named statement? Only a blob (sent binary) cares:
 * the server must expect a bytea there. */
static bool fits_prepared(const rt_driver_stmt *stmt)
{
	for (int i = 0; i < stmt->param_count; i++)
		if (!stmt->params[i].is_null && stmt->formats[i] == 1 &&
		    stmt->server_types[i] != PG_OID_BYTEA)
			return false;
	return true;
}

/* --- binding ----------------------------------------------------------------- */

/* Copies len bytes (plus a NUL) into the parameter's buffer. */
static int param_store(pg_param *param, const char *data, size_t len)
{
	if (param->cap < len + 1) {
		size_t cap = len + 1 < 32 ? 32 : len + 1;
		char *grown = realloc(param->data, cap);
		if (!grown)
			return rt__error_nomem();
		param->data = grown;
		param->cap = cap;
	}
	if (len)
		memcpy(param->data, data, len);
	param->data[len] = '\0';
	param->is_null = false;
	return RT_OK;
}

/* Doubles as PostgreSQL's float input reads them, in the C locale. */
static void format_double(rt_driver_conn *conn, char *out, size_t size, double d)
{
	if (isnan(d)) {
		snprintf(out, size, "NaN");
	} else if (isinf(d)) {
		snprintf(out, size, "%sInfinity", d < 0 ? "-" : "");
	} else {
		locale_t previous = uselocale(conn->c_numeric);
		snprintf(out, size, "%.17g", d);
		uselocale(previous);
	}
}

/* Decimal digits of v, written backwards from end; returns the start.
 * (snprintf's format parsing costs more than the conversion itself.) */
static char *format_int64(char *end, int64_t v)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char *p = end;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return p;
}

int rt__pg_bind(rt_driver_stmt *stmt, int index, const rt_value *value)
{
	if (index < 1 || index > stmt->param_count)
		return rt__error_set(RT_EINVAL, "parameter %d out of range: the statement has %d",
				     index, stmt->param_count);
	int i = index - 1;
	pg_param *param = &stmt->params[i];
	char number[64];
	const char *data = number;
	size_t len;
	int format = 0;
	Oid type = 0;

	switch (value->type) {
	case RT_VALUE_NULL:
		param->is_null = true;
		stmt->values[i] = NULL;
		return RT_OK;
	case RT_VALUE_INT64:
		data = format_int64(number + sizeof(number), value->i);
		len = (size_t)(number + sizeof(number) - data);
		break;
	case RT_VALUE_DOUBLE:
		format_double(stmt->conn, number, sizeof(number), value->d);
		len = strlen(number);
		break;
	case RT_VALUE_BOOL:
		data = value->i ? "true" : "false";
		len = strlen(data);
		break;
	case RT_VALUE_TEXT:
		data = value->s ? value->s : "";
		len = value->s ? value->len : 0;
		if (memchr(data, '\0', len))
			return rt__error_set(RT_EINVAL, "parameter %d: PostgreSQL text cannot "
						      "hold a NUL byte; bind it as a blob",
					     index);
		break;
	case RT_VALUE_BLOB:
		data = value->s ? value->s : "";
		len = value->s ? value->len : 0;
		format = 1;
		type = PG_OID_BYTEA;
		break;
	default:
		return rt__error_set(RT_EINVAL, "parameter %d: unknown value type %d", index,
				     (int)value->type);
	}
	if (len > INT32_MAX)
		return rt__error_set(RT_EINVAL, "parameter %d: %zu bytes is more than a "
					      "PostgreSQL value can hold", index, len);
	int rc = param_store(param, data, len);
	if (rc < 0)
		return rc;
	stmt->values[i] = param->data;
	stmt->lengths[i] = (int)len;
	stmt->formats[i] = format;
	stmt->types[i] = type;
	return RT_OK;
}

/* --- running ----------------------------------------------------------------- */

/* Sends the statement with its bound values without waiting (streaming,
 * pipelines): through its named statement when it has one that fits. */
int rt__pg_stmt_send_run(rt_driver_stmt *stmt)
{
	rt_driver_conn *conn = stmt->conn;
	null_values(stmt);
	int sent;
	if (stmt->named && stmt->prepared && fits_prepared(stmt))
		sent = PQsendQueryPrepared(conn->pg, stmt->name, stmt->param_count, stmt->values,
					   stmt->lengths, stmt->formats, 0);
	else
		sent = PQsendQueryParams(conn->pg, stmt->sql, stmt->param_count, stmt->types,
					 stmt->values, stmt->lengths, stmt->formats, 0);
	return sent ? RT_OK : rt__pg_connection_error(conn);
}

/* Starts a streamed run: rows will come one PGresult at a time. */
static int stream_start(rt_driver_stmt *stmt)
{
	rt_driver_conn *conn = stmt->conn;
	stmt->implicit = PQtransactionStatus(conn->pg) == PQTRANS_IDLE;
	int rc = rt__pg_stmt_send_run(stmt);
	if (rc < 0)
		return rc;
	if (!PQsetSingleRowMode(conn->pg)) {
		drain(conn);
		return rt__error_set(RT_EDATABASE, "PostgreSQL refused single-row mode");
	}
	conn->fetching = stmt;
	stmt->state = RUN_STREAM;
	return RT_OK;
}

/* The next row of a streamed run: RT_ROW, RT_DONE or an error. */
static int stream_next(rt_driver_stmt *stmt)
{
	rt_driver_conn *conn = stmt->conn;
	for (;;) {
		PGresult *res = rt__pg_io_result(conn);
		if (!res) {
			fetch_end(stmt);
			stmt->state = RUN_STREAM_DONE;
			if (stmt->result)
				stmt->row = stmt->row_count;
			return RT_DONE;
		}
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK ||
		    status == PGRES_COMMAND_OK) {
			int rc = rt__pg_stmt_adopt_result(stmt, res);
			if (rc < 0) {
				stream_abandon(stmt);
				return rc;
			}
			if (status == PGRES_SINGLE_TUPLE) {
				stmt->row = 0;
				return RT_ROW;
			}
			/* The end: no rows, only the count (and the columns). */
			stmt->changes = rt__pg_stmt_command_tuples(res);
			continue;
		}
		int rc = rt__pg_check_result(conn, res);
		PQclear(res);
		drain(conn);
		fetch_end(stmt);
		stmt->state = RUN_STREAM_DONE;
		return rc < 0 ? rc : rt__error_set(RT_EDATABASE, "unexpected streamed result");
	}
}

static bool is_failure(const PGresult *res)
{
	ExecStatusType status = PQresultStatus(res);
	return status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE;
}

static int send_shared(rt_driver_conn *conn, void *ctx)
{
	(void)conn;
	return rt__pg_stmt_send_run(((shared_run *)ctx)->stmt);
}

/* Keeps what PQexec would return: the first failure, else the last. */
static void take_run(void *ctx, int index, PGresult *res)
{
	(void)index;
	shared_run *r = ctx;
	if (r->kept && is_failure(r->kept)) {
		PQclear(res);
	} else {
		PQclear(r->kept);
		r->kept = res;
	}
}

/* Runs the statement and receives its whole result. */
/* res (an error result included) as the statement's whole result. */
static int take_whole(rt_driver_stmt *stmt, PGresult *res)
{
	int rc = rt__pg_check_result(stmt->conn, res);
	if (rc == RT_OK)
		rc = rt__pg_stmt_adopt_result(stmt, res);
	if (rc < 0) {
		if (stmt->result != res)
			PQclear(res);
		return rc;
	}
	stmt->changes = rt__pg_stmt_command_tuples(res);
	stmt->state = RUN_RESULT;
	return RT_OK;
}

static int run_whole(rt_driver_stmt *stmt)
{
	rt_driver_conn *conn = stmt->conn;
	null_values(stmt);
	PGresult *res;
	if (rt__pg_pipe_shared(conn)) {
		shared_run r = {stmt, RT_OK, NULL};
		if (rt__pg_pipe_run(conn, send_shared, take_run, &r) < 0) {
			PQclear(r.kept);
			return rt_error_last()->code;
		}
		res = r.kept;
	} else if (stmt->named && fits_prepared(stmt))
		res = rt__pg_io_exec_prepared(conn, stmt->name, stmt->param_count,
					      (const char *const *)stmt->values, stmt->lengths,
					      stmt->formats);
	else
		res = rt__pg_io_exec_params(conn, stmt->sql, stmt->param_count, stmt->types,
					    (const char *const *)stmt->values, stmt->lengths,
					    stmt->formats);
	return take_whole(stmt, res);
}

/* The result a catalog reading sent ahead for this statement
 * (postgres_catalog.c): 1 when taken, 0 when there is none. */
static int run_ahead(rt_driver_stmt *stmt)
{
	PGresult *res;
	bool plain = !stmt->streaming && !stmt->named && !stmt->param_count;
	int rc = rt__pg_ahead_take(stmt->conn, plain ? stmt->sql : NULL, &res);
	if (rc <= 0)
		return rc;
	rc = take_whole(stmt, res);
	return rc < 0 ? rc : 1;
}

static int run(rt_driver_stmt *stmt)
{
	if (stmt->conn->ahead) {
		int taken = run_ahead(stmt);
		if (taken != 0)
			return taken < 0 ? taken : RT_OK;
	}
	/* A run whose whole result is read at once carries the connection's
	 * pending BEGIN and unread ROLLBACK (postgres_io.c): one round trip
	 * for the three. A streamed run, or one that prepares first, settles
	 * them before. */
	bool carry = !stmt->streaming && (!stmt->named || stmt->prepared);
	int rc = rt__pg_conn_ready(stmt->conn, stmt, carry);
	if (rc < 0)
		return rc;
	/* A shared connection is the streamed run's alone until it ends
	 * (fetch_end): its rows come one at a time. */
	bool locked = false;
	if (stmt->streaming && (rc = rt__pg_pipe_lock(stmt->conn, &locked)) < 0)
		return rc;
	if (stmt->named)
		rc = rt__pg_stmt_ensure_prepared(stmt);
	if (rc == RT_OK)
		rc = stmt->streaming ? stream_start(stmt) : run_whole(stmt);
	if (rc == RT_OK && stmt->state == RUN_STREAM)
		stmt->locked = locked;
	else
		rt__pg_pipe_unlock(stmt->conn, locked);
	return rc;
}

int rt__pg_step(rt_driver_stmt *stmt)
{
	switch (stmt->state) {
	case RUN_NONE: {
		int rc = run(stmt);
		if (rc < 0)
			return rc;
		if (stmt->state == RUN_STREAM)
			return stream_next(stmt);
		break;
	}
	case RUN_STREAM:
		return stream_next(stmt);
	case RUN_STREAM_DONE:
		return RT_DONE;
	case RUN_RESULT:
		break;
	}
	rt__pg_stmt_free_blobs(stmt);
	if (stmt->row + 1 < stmt->row_count) {
		stmt->row++;
		return RT_ROW;
	}
	stmt->row = stmt->row_count;
	return RT_DONE;
}

int rt__pg_result_rows(const rt_driver_stmt *stmt)
{
	return stmt->state == RUN_RESULT ? stmt->row_count : -1;
}

int64_t rt__pg_rows_held(rt_driver_stmt *stmt)
{
	return rt__pg_result_rows(stmt);
}

int rt__pg_result_seek(rt_driver_stmt *stmt, int row)
{
	if (stmt->state != RUN_RESULT || row < 0 || row >= stmt->row_count)
		return rt__error_set(RT_EINVAL, "row %d of a result of %d", row,
				     stmt->state == RUN_RESULT ? stmt->row_count : 0);
	rt__pg_stmt_free_blobs(stmt);
	stmt->row = row;
	return RT_OK;
}

int rt__pg_reset(rt_driver_stmt *stmt)
{
	rt__pg_stmt_clear_result(stmt);
	stmt->streaming = false;
	return RT_OK;
}

int rt__pg_set_streaming(rt_driver_stmt *stmt, bool on)
{
	if (stmt->state != RUN_NONE)
		return rt__error_set(RT_EINVAL, "streaming must be asked for before the first step");
	stmt->streaming = on;
	return RT_OK;
}

uint64_t rt__pg_changes(rt_driver_stmt *stmt)
{
	return stmt->changes;
}
