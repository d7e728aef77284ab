/*
 * postgres.c - the PostgreSQL dialect: libpq driver, SQL rendering hooks and
 * capability record (the table rt__dialect_postgres).
 *
 * This is the only file in retort that calls libpq. Statements use the
 * extended query protocol with every value sent as a parameter: text format
 * with the type left to the server to infer from context, except blobs,
 * which go as binary bytea. Results come back in text format and are turned
 * into rt_values by the column's type OID, so an integer column reads as an
 * integer whatever SQL produced it.
 *
 * Reading a statement is split into run (send it, receive the result) and
 * moving along the rows of that result, so that a single-row or pipeline
 * mode can later replace the fetching without touching the callers.
 */
#include "dialect/postgres.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/error.h"
#include "schema/naming.h"

/* Type OIDs, fixed in PostgreSQL's catalog (pg_type.dat). */
enum {
	PG_OID_BOOL = 16,
	PG_OID_BYTEA = 17,
	PG_OID_INT8 = 20,
	PG_OID_INT2 = 21,
	PG_OID_INT4 = 23,
	PG_OID_FLOAT4 = 700,
	PG_OID_FLOAT8 = 701
};

struct rt_driver_conn {
	PGconn *pg;
	/* Numbers cross the wire as text; they are written and read in the
	 * "C" locale whatever LC_NUMERIC the program chose. */
	locale_t c_numeric;
};

/* One parameter's value as libpq takes it. The bytes are copied at bind
 * time because the statement only runs at its first step. */
typedef struct pg_param {
	char *data;
	size_t cap;
	bool is_null;
} pg_param;

struct rt_driver_stmt {
	rt_driver_conn *conn;
	char *sql;              /* with $n placeholders */
	int param_count;
	pg_param *params;
	/* The arrays PQexecParams reads, kept in step with params by bind. */
	const char **values;
	int *lengths;
	int *formats;
	Oid *types;

	PGresult *result;       /* NULL until the statement has run */
	int row;                /* current row; -1 before the first */
	int row_count;
	uint64_t changes;       /* rows the last completed run changed */
	/* bytea values of the current row, decoded on demand. */
	unsigned char **blobs;
	size_t *blob_lengths;
	int blob_slots;
};

/* --- errors ----------------------------------------------------------------- */

/* libpq messages end with a newline; messages in rt_error do not. */
static const char *trimmed(char *scratch, size_t size, const char *message)
{
	size_t len = strlen(message);
	while (len && (message[len - 1] == '\n' || message[len - 1] == ' '))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(scratch, message, len);
	scratch[len] = '\0';
	return scratch;
}

static int connection_error(rt_driver_conn *conn)
{
	char scratch[2048];
	return rt__error_set(RT_ECONNECT, "connection to PostgreSQL lost: %s",
			     trimmed(scratch, sizeof(scratch), PQerrorMessage(conn->pg)));
}

static rt_constraint_violation violation_of(const char *sqlstate)
{
	if (strcmp(sqlstate, "23505") == 0)
		return RT_VIOLATION_UNIQUE;
	if (strcmp(sqlstate, "23503") == 0)
		return RT_VIOLATION_FOREIGN_KEY;
	if (strcmp(sqlstate, "23502") == 0)
		return RT_VIOLATION_NOT_NULL;
	if (strcmp(sqlstate, "23514") == 0)
		return RT_VIOLATION_CHECK;
	return RT_VIOLATION_NONE;
}

/* Records the error a failed result carries: SQLSTATE, the violated
 * constraint, and the server's primary message with its detail line. */
static int result_error(rt_driver_conn *conn, const PGresult *res)
{
	if (!res || PQstatus(conn->pg) == CONNECTION_BAD)
		return connection_error(conn);
	const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	char scratch[2048];
	if (!sqlstate)
		sqlstate = "";
	if (!primary)
		primary = trimmed(scratch, sizeof(scratch), PQresultErrorMessage(res));

	rt_constraint_violation kind = violation_of(sqlstate);
	int code = RT_EDATABASE;
	char column_ref[512];
	if (kind != RT_VIOLATION_NONE) {
		code = RT_ECONSTRAINT;
		/* A NOT NULL violation names a column, not a constraint; say
		 * table.column as SQLite does. */
		const char *table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
		const char *column = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
		if (!constraint && table && column) {
			snprintf(column_ref, sizeof(column_ref), "%s.%s", table, column);
			constraint = column_ref;
		}
	} else if (strncmp(sqlstate, "08", 2) == 0) {
		code = RT_ECONNECT;
	} else if (strcmp(sqlstate, "55P03") == 0) {
		code = RT_ELOCKED; /* lock_not_available: NOWAIT or lock_timeout */
	}
	return rt__error_set_db(code, sqlstate, 0, kind, constraint, "%s%s%s", primary,
				detail ? "\nDETAIL: " : "", detail ? detail : "");
}

/* A COPY started by exec would leave the connection waiting for data that
 * never comes: end it and drain what the server sends back. */
static void abandon_copy(rt_driver_conn *conn, ExecStatusType status)
{
	if (status == PGRES_COPY_IN)
		PQputCopyEnd(conn->pg, "COPY FROM STDIN is not available through retort");
	PGresult *res;
	while ((res = PQgetResult(conn->pg)) != NULL) {
		if (PQresultStatus(res) == PGRES_COPY_OUT) {
			char *line;
			while (PQgetCopyData(conn->pg, &line, 0) > 0)
				PQfreemem(line);
		}
		PQclear(res);
	}
}

/* Checks a result of exec or of a statement run. */
static int check_result(rt_driver_conn *conn, const PGresult *res)
{
	ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	switch (status) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		return RT_OK;
	case PGRES_COPY_IN:
	case PGRES_COPY_OUT:
	case PGRES_COPY_BOTH:
		abandon_copy(conn, status);
		return rt__error_set(RT_EINVAL, "COPY to or from the client is not available "
					      "through retort statements; use INSERT or COPY with a file");
	default:
		return result_error(conn, res);
	}
}

/* --- connections ---------------------------------------------------------- */

/* libpq keywords for a connection, built from the URL's parts and its query
 * options. An option named like a URL part (?host=/run/postgresql)
 * replaces it. */
typedef struct conn_keywords {
	const char **keys;
	const char **values;
	size_t count;
} conn_keywords;

static void keyword_set(conn_keywords *kw, const char *key, const char *value)
{
	if (!value)
		return;
	for (size_t i = 0; i < kw->count; i++) {
		if (strcmp(kw->keys[i], key) == 0) {
			kw->values[i] = value;
			return;
		}
	}
	kw->keys[kw->count] = key;
	kw->values[kw->count] = value;
	kw->count++;
}

static void keyword_default(conn_keywords *kw, const char *key, const char *value)
{
	for (size_t i = 0; i < kw->count; i++)
		if (strcmp(kw->keys[i], key) == 0)
			return;
	keyword_set(kw, key, value);
}

/* libpq prints NOTICE messages (DROP ... IF EXISTS, implicit sequences) to
 * stderr by default; a library must not write to the program's stderr. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The URL to name in connection errors, without the password. */
static const char *url_for_messages(char *scratch, size_t size, const rt_connect_params *p)
{
	if (p->masked_url)
		return p->masked_url;
	char port[16] = "";
	if (p->port)
		snprintf(port, sizeof(port), ":%d", p->port);
	snprintf(scratch, size, "postgresql://%s%s%s%s%s/%s", p->user ? p->user : "",
		 p->password ? ":***" : "", p->user || p->password ? "@" : "",
		 p->host ? p->host : "", port, p->database ? p->database : "");
	return scratch;
}

static int pg_connect(rt_driver_conn **out, const rt_connect_params *params)
{
	*out = NULL;
	size_t max = 8 + params->option_count;
	conn_keywords kw = {calloc(max + 1, sizeof(char *)), calloc(max + 1, sizeof(char *)), 0};
	rt_driver_conn *conn = calloc(1, sizeof(*conn));
	if (!kw.keys || !kw.values || !conn) {
		free(kw.keys);
		free(kw.values);
		free(conn);
		return rt__error_nomem();
	}

	char port[16];
	snprintf(port, sizeof(port), "%d", params->port);
	keyword_set(&kw, "host", params->host && *params->host ? params->host : NULL);
	keyword_set(&kw, "port", params->port ? port : NULL);
	keyword_set(&kw, "user", params->user);
	keyword_set(&kw, "password", params->password);
	keyword_set(&kw, "dbname", params->database && *params->database ? params->database : NULL);
	for (size_t i = 0; i < params->option_count; i++)
		keyword_set(&kw, params->option_keys[i], params->option_values[i]);
	keyword_default(&kw, "connect_timeout", "10");
	keyword_default(&kw, "client_encoding", "UTF8");
	keyword_default(&kw, "fallback_application_name", "retort");

	/* expand_dbname = 0: a database name is only ever a name, never a
	 * connection string smuggled in through the URL. */
	PGconn *pg = PQconnectdbParams(kw.keys, kw.values, 0);
	free(kw.keys);
	free(kw.values);
	if (!pg) {
		free(conn);
		return rt__error_nomem();
	}
	if (PQstatus(pg) != CONNECTION_OK) {
		char url[1024], message[2048];
		/* libpq's message names host, port and user, never the
		 * password; the URL is the masked one. */
		int rc = rt__error_set(RT_ECONNECT, "could not connect to %s: %s",
				       url_for_messages(url, sizeof(url), params),
				       trimmed(message, sizeof(message), PQerrorMessage(pg)));
		PQfinish(pg);
		free(conn);
		return rc;
	}
	PQsetNoticeProcessor(pg, ignore_notice, NULL);
	conn->pg = pg;
	conn->c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (conn->c_numeric == (locale_t)0) {
		PQfinish(pg);
		free(conn);
		return rt__error_nomem();
	}
	*out = conn;
	return RT_OK;
}

static void pg_disconnect(rt_driver_conn *conn)
{
	if (!conn)
		return;
	PQfinish(conn->pg);
	freelocale(conn->c_numeric);
	free(conn);
}

static int pg_exec(rt_driver_conn *conn, const char *sql)
{
	PGresult *res = PQexec(conn->pg, sql);
	int rc = check_result(conn, res);
	PQclear(res);
	return rc;
}

/* --- placeholders ----------------------------------------------------------- */

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* The end of a quoted run starting at p (on the opening quote): doubled
 * quotes stay inside; with backslash escapes (E'...'), \x does too. */
static const char *skip_quoted(const char *p, char quote, bool backslash)
{
	for (p++; *p; p++) {
		if (backslash && *p == '\\' && p[1]) {
			p++;
		} else if (*p == quote) {
			if (p[1] != quote)
				return p + 1;
			p++;
		}
	}
	return p;
}

/* Block comments nest in PostgreSQL. */
static const char *skip_block_comment(const char *p)
{
	int depth = 0;
	while (*p) {
		if (p[0] == '/' && p[1] == '*') {
			depth++;
			p += 2;
		} else if (p[0] == '*' && p[1] == '/') {
			p += 2;
			if (--depth == 0)
				return p;
		} else {
			p++;
		}
	}
	return p;
}

/* If p starts a dollar quote ($$ or $tag$), the end of its body; else NULL. */
static const char *skip_dollar_quoted(const char *p)
{
	const char *tag_end = p + 1;
	if (*tag_end >= '0' && *tag_end <= '9')
		return NULL; /* $1: a positional parameter */
	while (*tag_end && *tag_end != '$' && is_ident_char(*tag_end))
		tag_end++;
	if (*tag_end != '$')
		return NULL;
	size_t tag_len = (size_t)(tag_end - p) + 1;
	for (const char *close = strchr(tag_end + 1, '$'); close; close = strchr(close + 1, '$'))
		if (strncmp(close, p, tag_len) == 0)
			return close + tag_len;
	return p + strlen(p);
}

void rt__postgres_translate_placeholders(rt_buf *buf, const char *sql, int *count)
{
	*count = 0;
	const char *p = sql;
	while (*p) {
		const char *start = p, *body_end;
		bool after_ident = p > sql && is_ident_char(p[-1]);
		if (*p == '\'') {
			/* E'...' takes backslash escapes; a plain '' does not
			 * (standard_conforming_strings, on since 9.1). */
			bool escapes = p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
				       !(p - 1 > sql && is_ident_char(p[-2]));
			p = skip_quoted(p, '\'', escapes);
		} else if (*p == '"') {
			p = skip_quoted(p, '"', false);
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			p = skip_block_comment(p);
		} else if (*p == '$' && !after_ident && (body_end = skip_dollar_quoted(p))) {
			p = body_end;
		} else if (p[0] == '?' && p[1] == '?') {
			rt__buf_putc(buf, '?');
			p += 2;
			continue;
		} else if (*p == '?') {
			rt__buf_printf(buf, "$%d", ++*count);
			p++;
			continue;
		} else {
			p++;
		}
		rt__buf_put(buf, start, (size_t)(p - start));
	}
}

/* --- statements ------------------------------------------------------------- */

static void stmt_free_blobs(rt_driver_stmt *stmt)
{
	for (int i = 0; i < stmt->blob_slots; i++) {
		if (stmt->blobs[i]) {
			PQfreemem(stmt->blobs[i]);
			stmt->blobs[i] = NULL;
		}
	}
}

static void stmt_clear_result(rt_driver_stmt *stmt)
{
	stmt_free_blobs(stmt);
	PQclear(stmt->result);
	stmt->result = NULL;
	stmt->row = -1;
	stmt->row_count = 0;
}

static void pg_finalize(rt_driver_stmt *stmt)
{
	if (!stmt)
		return;
	stmt_clear_result(stmt);
	for (int i = 0; i < stmt->param_count; i++)
		free(stmt->params[i].data);
	free(stmt->params);
	free(stmt->values);
	free(stmt->lengths);
	free(stmt->formats);
	free(stmt->types);
	free(stmt->blobs);
	free(stmt->blob_lengths);
	free(stmt->sql);
	free(stmt);
}

static int pg_prepare(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql)
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
		pg_finalize(stmt);
		return rt__error_nomem();
	}
	/* Unbound parameters are NULL, as in SQLite. */
	for (int i = 0; i < stmt->param_count; i++)
		stmt->params[i].is_null = true;
	*out = stmt;
	return RT_OK;
}

/* Copies len bytes (plus a NUL) into the parameter's buffer. */
static int param_store(pg_param *param, const char *data, size_t len)
{
	if (param->cap < len + 1) {
		char *grown = realloc(param->data, len + 1);
		if (!grown)
			return rt__error_nomem();
		param->data = grown;
		param->cap = len + 1;
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

static int pg_bind(rt_driver_stmt *stmt, int index, const rt_value *value)
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
		snprintf(number, sizeof(number), "%" PRId64, value->i);
		len = strlen(number);
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

/* Sends the statement with its parameters and receives the whole result. */
static int stmt_run(rt_driver_stmt *stmt)
{
	for (int i = 0; i < stmt->param_count; i++)
		if (stmt->params[i].is_null)
			stmt->values[i] = NULL;
	PGresult *res = PQexecParams(stmt->conn->pg, stmt->sql, stmt->param_count,
				     stmt->types, stmt->values, stmt->lengths, stmt->formats,
				     0);
	int rc = check_result(stmt->conn, res);
	if (rc < 0) {
		PQclear(res);
		return rc;
	}
	int fields = PQnfields(res);
	if (fields > stmt->blob_slots) {
		unsigned char **blobs = calloc((size_t)fields, sizeof(*blobs));
		size_t *lengths = calloc((size_t)fields, sizeof(*lengths));
		if (!blobs || !lengths) {
			free(blobs);
			free(lengths);
			PQclear(res);
			return rt__error_nomem();
		}
		free(stmt->blobs);
		free(stmt->blob_lengths);
		stmt->blobs = blobs;
		stmt->blob_lengths = lengths;
		stmt->blob_slots = fields;
	}
	stmt->result = res;
	stmt->row = -1;
	stmt->row_count = PQntuples(res);
	stmt->changes = strtoull(PQcmdTuples(res), NULL, 10);
	return RT_OK;
}

static int pg_step(rt_driver_stmt *stmt)
{
	if (!stmt->result) {
		int rc = stmt_run(stmt);
		if (rc < 0)
			return rc;
	}
	stmt_free_blobs(stmt);
	if (stmt->row + 1 < stmt->row_count) {
		stmt->row++;
		return RT_ROW;
	}
	stmt->row = stmt->row_count;
	return RT_DONE;
}

static int pg_reset(rt_driver_stmt *stmt)
{
	stmt_clear_result(stmt);
	return RT_OK;
}

static uint64_t pg_changes(rt_driver_stmt *stmt)
{
	return stmt->changes;
}

static rt_driver_status pg_conn_status(rt_driver_conn *conn)
{
	if (PQstatus(conn->pg) != CONNECTION_OK)
		return RT_DRIVER_BROKEN;
	switch (PQtransactionStatus(conn->pg)) {
	case PQTRANS_IDLE:
		return RT_DRIVER_IDLE;
	case PQTRANS_INTRANS:
	case PQTRANS_INERROR:
		return RT_DRIVER_IN_TRANSACTION;
	default: /* a command still running, or unknown: not reusable */
		return RT_DRIVER_BROKEN;
	}
}

static int pg_column_count(rt_driver_stmt *stmt)
{
	return stmt->result ? PQnfields(stmt->result) : 0;
}

static const char *pg_column_name(rt_driver_stmt *stmt, int column)
{
	if (!stmt->result || column < 0 || column >= PQnfields(stmt->result))
		return NULL;
	return PQfname(stmt->result, column);
}

static int read_int64(const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || end == text || *end)
		return rt__error_set(RT_EDATABASE, "unreadable integer from PostgreSQL: %s", text);
	*out = (int64_t)v;
	return RT_OK;
}

static int read_double(rt_driver_conn *conn, const char *text, double *out)
{
	locale_t previous = uselocale(conn->c_numeric);
	char *end;
	double v = strtod(text, &end);
	uselocale(previous);
	if (end == text || *end)
		return rt__error_set(RT_EDATABASE, "unreadable number from PostgreSQL: %s", text);
	*out = v;
	return RT_OK;
}

static int read_blob(rt_driver_stmt *stmt, int column, const char *text, rt_value *out)
{
	if (!stmt->blobs[column]) {
		size_t len = 0;
		stmt->blobs[column] = PQunescapeBytea((const unsigned char *)text, &len);
		if (!stmt->blobs[column])
			return rt__error_nomem();
		stmt->blob_lengths[column] = len;
	}
	out->type = RT_VALUE_BLOB;
	out->s = (const char *)stmt->blobs[column];
	out->len = stmt->blob_lengths[column];
	return RT_OK;
}

static int pg_column_value(rt_driver_stmt *stmt, int column, rt_value *out)
{
	memset(out, 0, sizeof(*out));
	PGresult *res = stmt->result;
	if (!res || stmt->row < 0 || stmt->row >= stmt->row_count)
		return rt__error_set(RT_EINVAL, "no current row: step the statement first");
	if (column < 0 || column >= PQnfields(res))
		return rt__error_set(RT_EINVAL, "column %d out of range: the result has %d",
				     column, PQnfields(res));
	if (PQgetisnull(res, stmt->row, column)) {
		out->type = RT_VALUE_NULL;
		return RT_OK;
	}
	const char *text = PQgetvalue(res, stmt->row, column);
	switch (PQftype(res, column)) {
	case PG_OID_INT2:
	case PG_OID_INT4:
	case PG_OID_INT8:
		out->type = RT_VALUE_INT64;
		return read_int64(text, &out->i);
	case PG_OID_FLOAT4:
	case PG_OID_FLOAT8:
		out->type = RT_VALUE_DOUBLE;
		return read_double(stmt->conn, text, &out->d);
	case PG_OID_BOOL:
		out->type = RT_VALUE_BOOL;
		out->i = text[0] == 't';
		return RT_OK;
	case PG_OID_BYTEA:
		return read_blob(stmt, column, text, out);
	default:
		/* numeric stays text: it is exact, a double is not. */
		out->type = RT_VALUE_TEXT;
		out->s = text;
		out->len = (size_t)PQgetlength(res, stmt->row, column);
		return RT_OK;
	}
}

/* --- SQL rendering -------------------------------------------------------- */

static void pg_quote_ident(rt_buf *buf, const char *ident)
{
	rt__buf_put_quoted(buf, ident, '"');
}

static const char *enum_type_name(const rt_schema *schema, const rt_type *type)
{
	const rt_enum *e = type->enum_type;
	if (!e && schema && type->enum_name)
		e = rt__schema_find_enum(schema, type->enum_name);
	if (e)
		return e->sql_name;
	/* An unresolved enum (a schema built by hand): the default type name. */
	const char *snake = schema && type->enum_name
				    ? rt__name_snake_case(schema->arena, type->enum_name)
				    : NULL;
	return snake ? snake : type->enum_name ? type->enum_name : "";
}

static void pg_column_type(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			   const rt_column *column)
{
	(void)table;
	const rt_type *type = &column->type;
	switch (type->kind) {
	case RT_TYPE_SMALLINT: rt__buf_puts(buf, "SMALLINT"); break;
	case RT_TYPE_INT: rt__buf_puts(buf, "INTEGER"); break;
	case RT_TYPE_BIGINT: rt__buf_puts(buf, "BIGINT"); break;
	case RT_TYPE_BOOL: rt__buf_puts(buf, "BOOLEAN"); break;
	case RT_TYPE_REAL: rt__buf_puts(buf, "REAL"); break;
	case RT_TYPE_DOUBLE: rt__buf_puts(buf, "DOUBLE PRECISION"); break;
	case RT_TYPE_NUMERIC:
		if (type->precision)
			rt__buf_printf(buf, "NUMERIC(%d,%d)", type->precision, type->scale);
		else
			rt__buf_puts(buf, "NUMERIC");
		break;
	case RT_TYPE_STRING:
		if (type->length)
			rt__buf_printf(buf, "VARCHAR(%d)", type->length);
		else
			rt__buf_puts(buf, "VARCHAR");
		break;
	case RT_TYPE_TEXT: rt__buf_puts(buf, "TEXT"); break;
	case RT_TYPE_BLOB: rt__buf_puts(buf, "BYTEA"); break;
	case RT_TYPE_DATE: rt__buf_puts(buf, "DATE"); break;
	case RT_TYPE_TIME: rt__buf_puts(buf, "TIME"); break;
	case RT_TYPE_TIMESTAMP: rt__buf_puts(buf, "TIMESTAMP"); break;
	case RT_TYPE_TIMESTAMPTZ: rt__buf_puts(buf, "TIMESTAMPTZ"); break;
	case RT_TYPE_UUID: rt__buf_puts(buf, "UUID"); break;
	case RT_TYPE_JSON: rt__buf_puts(buf, "JSONB"); break;
	case RT_TYPE_ENUM: pg_quote_ident(buf, enum_type_name(schema, type)); break;
	}
}

/*
 * A number literal as PostgreSQL prints it back from a column default: it
 * reads a literal with a point or an exponent as NUMERIC and prints that
 * in plain decimal notation, keeping the digits after the point the
 * exponent leaves (1.5e3 -> 1500, 2.50e1 -> 25.0, 1e-2 -> 0.01) and
 * dropping leading zeros and a plus sign (007 -> 7, +5 -> 5). Returns
 * NULL when text is not a plain number or memory runs out.
 */
static char *postgres_number_text(rt_arena *arena, const char *text)
{
	const char *p = text;
	bool negative = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	size_t int_len = strspn(p, "0123456789");
	const char *frac = p + int_len;
	size_t frac_len = 0;
	if (*frac == '.') {
		frac++;
		frac_len = strspn(frac, "0123456789");
	}
	const char *rest = frac + frac_len;
	long exponent = 0;
	if (*rest == 'e' || *rest == 'E') {
		char *end;
		errno = 0;
		exponent = strtol(rest + 1, &end, 10);
		if (errno || end == rest + 1 || exponent > 1000 || exponent < -1000)
			return NULL;
		rest = end;
	}
	if (*rest || int_len + frac_len == 0)
		return NULL;

	/* All the digits, and where the point falls among them. */
	size_t ndigits = int_len + frac_len;
	long point = (long)int_len + exponent;
	size_t cap = ndigits + (size_t)labs(exponent) + 4;
	char *digits = rt__arena_alloc(arena, ndigits + 1);
	char *out = rt__arena_alloc(arena, cap);
	if (!digits || !out)
		return NULL;
	memcpy(digits, p, int_len);
	memcpy(digits + int_len, frac, frac_len);

	size_t n = 0;
	if (negative && strspn(digits, "0") < ndigits)
		out[n++] = '-';
	if (point <= 0) {
		out[n++] = '0';
		out[n++] = '.';
		for (long i = point; i < 0; i++)
			out[n++] = '0';
		memcpy(out + n, digits, ndigits);
		n += ndigits;
	} else {
		/* The integer part, without leading zeros but at least "0". */
		size_t whole = (size_t)point, start = n;
		for (size_t i = 0; i < whole; i++) {
			char digit = i < ndigits ? digits[i] : '0';
			if (digit != '0' || n > start || i + 1 == whole)
				out[n++] = digit;
		}
		if (whole < ndigits) {
			out[n++] = '.';
			memcpy(out + n, digits + whole, ndigits - whole);
			n += ndigits - whole;
		}
	}
	out[n] = '\0';
	return out;
}

/* PostgreSQL keeps everything the schema language says (JSONB reflects as
 * json, identity columns as autoincrement) except the spelling of number
 * defaults, which it reprints in its own notation. */
static void pg_canonicalize(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_literal *lit = &table->columns[c]->server_default;
			if (lit->kind != RT_LITERAL_NUMBER || !lit->text)
				continue;
			char *text = postgres_number_text(schema->arena, lit->text);
			if (text)
				lit->text = text;
		}
	}
}

const rt_dialect rt__dialect_postgres = {
	.name = "postgresql",
	.caps = {
		.transactional_ddl = true,
		.ddl_per_transaction = 0,
		.lock_method = RT_LOCK_ADVISORY,
		.returning = true,
		.native_enums = true,
		.alter_add_constraint = true,
		.comments = true,
		.max_identifier_length = RT_MAX_IDENTIFIER_LENGTH,
		.autoincrement = RT_AUTOINCREMENT_IDENTITY,
		.alter_column_in_place = true,
		.drop_column_in_place = true,
		.drop_constraint_in_place = true,
		.add_column_any_default = true,
		.timestamptz_offset = true,
	},
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind = pg_bind,
	.step = pg_step,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.column_value = pg_column_value,
	.conn_status = pg_conn_status,
	.changes = pg_changes,
	.quote_ident = pg_quote_ident,
	.column_type = pg_column_type,
	.reflect = rt__postgres_reflect,
	.canonicalize = pg_canonicalize,
	.table_exists_query = "SELECT 1 FROM pg_catalog.pg_tables "
			      "WHERE schemaname = current_schema() AND tablename = ?",
	.advisory_try_lock = "SELECT pg_try_advisory_lock(CAST(? AS BIGINT))",
	.advisory_unlock = "SELECT pg_advisory_unlock(CAST(? AS BIGINT))",
	/* pg_locks splits a bigint key: high half in classid, low in objid. */
	.advisory_holder =
		"SELECT 'PostgreSQL process ' || a.pid"
		" || COALESCE(', application ' || NULLIF(a.application_name, ''), '')"
		" || COALESCE(', client ' || host(a.client_addr), '')"
		" || ', since ' || to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS')"
		" FROM pg_catalog.pg_locks l"
		" JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
		" WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
		" AND l.database = (SELECT oid FROM pg_catalog.pg_database"
		"                   WHERE datname = current_database())"
		" AND ((l.classid::bigint << 32) | l.objid::bigint) = CAST(? AS BIGINT)"
		" LIMIT 1",
};
