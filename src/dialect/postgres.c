/*
 * postgres.c - the PostgreSQL dialect: libpq connections and errors, SQL
 * rendering hooks and capability record (the table rt__dialect_postgres).
 *
 * With postgres_stmt.c (statements) and postgres_reflect.c, the only
 * files in retort that call libpq.
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
#include "base/number.h"
#include "schema/naming.h"

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

int rt__pg_connection_error(rt_driver_conn *conn)
{
	if (conn->io_rc < 0)
		return conn->io_rc; /* recorded when the wait failed */
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
int rt__pg_result_error(rt_driver_conn *conn, const PGresult *res)
{
	if (!res || PQstatus(conn->pg) == CONNECTION_BAD)
		return rt__pg_connection_error(conn);
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
	} else if (strncmp(sqlstate, "08", 2) == 0 || strncmp(sqlstate, "57P0", 4) == 0) {
		/* 57P01-57P03: the server ended the session (shut down,
		 * pg_terminate_backend, crashed): the connection is over. */
		code = RT_ECONNECT;
	} else if (strcmp(sqlstate, "55P03") == 0) {
		code = RT_ELOCKED; /* lock_not_available: NOWAIT or lock_timeout */
	} else if (strcmp(sqlstate, "40P01") == 0 || strcmp(sqlstate, "40001") == 0) {
		/* deadlock_detected, serialization_failure: the transaction is
		 * lost, running it again may succeed (as MariaDB's 1213). */
		code = RT_ESERIALIZE;
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
	while ((res = rt__pg_io_result(conn)) != NULL) {
		if (PQresultStatus(res) == PGRES_COPY_OUT)
			rt__pg_io_skip_copy_out(conn);
		PQclear(res);
	}
}

/* Checks a result of exec or of a statement run. */
int rt__pg_check_result(rt_driver_conn *conn, const PGresult *res)
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
		return rt__pg_result_error(conn, res);
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

	PGconn *pg = NULL;
	const char *why = NULL;
	int rc = rt__pg_io_connect(&pg, (const char *const *)kw.keys,
				   (const char *const *)kw.values, &why);
	free(kw.keys);
	free(kw.values);
	if (rc == RT_ECONNECT) {
		char url[1024], message[2048];
		/* libpq's message names host, port and user, never the
		 * password; the URL is the masked one. */
		rc = rt__error_set(RT_ECONNECT, "could not connect to %s: %s",
				   url_for_messages(url, sizeof(url), params),
				   why ? why : trimmed(message, sizeof(message), PQerrorMessage(pg)));
	} else if (rc == RT_ENOMEM) {
		rt__error_nomem();
	}
	if (rc < 0) {
		PQfinish(pg);
		free(conn);
		return rc;
	}
	PQsetNoticeProcessor(pg, ignore_notice, NULL);
	conn->pg = pg;
	conn->pipelined = params->autocommit;
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
	rt__pg_pipe_free(conn);
	freelocale(conn->c_numeric);
	rt__buf_free(&conn->stale);
	free(conn);
}

static int pg_exec(rt_driver_conn *conn, const char *sql)
{
	/* SQL text goes by the simple protocol, which a shared pipeline
	 * does not take: it has the connection to itself. */
	bool locked;
	int rc = rt__pg_pipe_lock(conn, &locked);
	if (rc < 0)
		return rc;
	/* rt__pg_io_exec carries a pending BEGIN in the same query string. */
	rc = rt__pg_conn_ready(conn, NULL, true);
	if (rc == RT_OK) {
		PGresult *res = rt__pg_io_exec(conn, sql);
		rc = rt__pg_check_result(conn, res);
		PQclear(res);
	}
	rt__pg_pipe_unlock(conn, locked);
	return rc;
}

/* The pool's pre-ping: a statement of no effect, one round trip. */
static int pg_ping(rt_driver_conn *conn)
{
	return pg_exec(conn, "SELECT 1");
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

/* --- connection state ------------------------------------------------------ */

static rt_driver_status pg_conn_status(rt_driver_conn *conn)
{
	if (PQstatus(conn->pg) != CONNECTION_OK || conn->io_rc < 0)
		return RT_DRIVER_BROKEN;
	/* Shared (postgres_pipe.c): results owed to operations that went
	 * away are read now (taking the connection alone drains them), so the
	 * next user, who may begin a transaction, finds it out of pipeline
	 * mode with nothing pending. */
	if (conn->turns) {
		bool locked;
		if (!rt__pg_pipe_idle(conn) || rt__pg_pipe_lock(conn, &locked) < 0)
			return RT_DRIVER_BROKEN;
		rt__pg_pipe_unlock(conn, locked);
		if (conn->turns || conn->io_rc < 0)
			return RT_DRIVER_BROKEN;
	}
	/* What the server will see with the next statement (postgres_io.c):
	 * a ROLLBACK whose result is unread has ended the transaction (if it
	 * failed, that statement finds out and the connection is dropped). */
	if (conn->begin_pending || conn->rollback_held)
		return RT_DRIVER_IN_TRANSACTION;
	if (conn->rollback_sent)
		return RT_DRIVER_IDLE;
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

/* --- SQL rendering -------------------------------------------------------- */

static void pg_quote_ident(rt_buf *buf, const char *ident)
{
	rt__buf_put_quoted(buf, ident, '"');
}

/* An enum column's type: "cart_status", "billing"."invoice_state". */
static void put_enum_type(rt_buf *buf, const rt_schema *schema, const rt_type *type)
{
	const rt_enum *e = type->enum_type;
	if (!e && schema && type->enum_name)
		e = rt__schema_find_enum(schema, type->enum_name);
	if (e) {
		if (e->schema) {
			pg_quote_ident(buf, e->schema);
			rt__buf_putc(buf, '.');
		}
		pg_quote_ident(buf, e->sql_name);
		return;
	}
	/* An unresolved enum (a schema built by hand): the default type name. */
	const char *snake = schema && type->enum_name
				    ? rt__name_snake_case(schema->arena, type->enum_name)
				    : NULL;
	pg_quote_ident(buf, snake ? snake : type->enum_name ? type->enum_name : "");
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
	case RT_TYPE_CHAR: rt__buf_printf(buf, "CHARACTER(%d)", type->length); break;
	case RT_TYPE_TEXT: rt__buf_puts(buf, "TEXT"); break;
	case RT_TYPE_BLOB: rt__buf_puts(buf, "BYTEA"); break;
	case RT_TYPE_DATE: rt__buf_puts(buf, "DATE"); break;
	case RT_TYPE_TIME: rt__buf_puts(buf, "TIME"); break;
	case RT_TYPE_TIMESTAMP: rt__buf_puts(buf, "TIMESTAMP"); break;
	case RT_TYPE_TIMESTAMPTZ: rt__buf_puts(buf, "TIMESTAMPTZ"); break;
	case RT_TYPE_UUID: rt__buf_puts(buf, "UUID"); break;
	case RT_TYPE_JSON: rt__buf_puts(buf, "JSONB"); break;
	case RT_TYPE_ENUM: put_enum_type(buf, schema, type); break;
	case RT_TYPE_SQL:
		/* The user's own SQL, as written, like a check's expression. */
		rt__buf_puts(buf, type->sql ? type->sql : "");
		break;
	}
	if (type->array)
		rt__buf_puts(buf, "[]");
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
	rt_number_parts num;
	if (!rt__number_parse(arena, text, 1000, &num))
		return NULL;
	bool negative = num.negative;
	const char *digits = num.digits;
	size_t ndigits = num.count;
	long point = num.point;
	char *out = rt__arena_alloc(arena, ndigits + (size_t)labs(point) + 4);
	if (!out)
		return NULL;

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
 * defaults, which it reprints in its own notation, and of verbatim types,
 * which it reports as format_type() spells them (varchar(20) as character
 * varying(20), which is the language's string(20)). */
static void pg_canonicalize(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_type *type = &table->columns[c]->type;
			const char *spelling = type->kind == RT_TYPE_SQL
						       ? rt__pg_type_spelling(schema->arena, type->sql)
						       : NULL;
			if (spelling)
				rt__pg_type_read(type, spelling);
			rt_literal *lit = &table->columns[c]->server_default;
			if (lit->kind != RT_LITERAL_NUMBER || !lit->text)
				continue;
			char *text = postgres_number_text(schema->arena, lit->text);
			if (text)
				lit->text = text;
		}
	}
}

/* The index access methods PostgreSQL ships besides btree: CREATE INDEX
 * ... USING gin (...). */
static const rt_index_method pg_index_methods[] = {
	{"hash", NULL, "hash"},
	{"gist", NULL, "gist"},
	{"gin", NULL, "gin"},
	{"brin", NULL, "brin"},
	{"spgist", NULL, "spgist"},
	{NULL, NULL, NULL},
};

/* FOR UPDATE / FOR SHARE OF the query's own table: a joined table's rows
 * stay unlocked, and a LEFT JOIN of eager loading is allowed (PostgreSQL
 * refuses to lock the nullable side of an outer join). */
static void pg_row_lock_clause(rt_buf *sql, const char *alias, bool share, bool nowait,
			       bool skip_locked)
{
	rt__buf_puts(sql, share ? " FOR SHARE OF " : " FOR UPDATE OF ");
	rt__buf_puts(sql, alias);
	if (nowait)
		rt__buf_puts(sql, " NOWAIT");
	else if (skip_locked)
		rt__buf_puts(sql, " SKIP LOCKED");
}

const rt_dialect rt__dialect_postgres = {
	.name = "postgresql",
	.caps = {
		.transactional_ddl = true,
		.shared_pipeline = true,
		.ddl_per_transaction = 0,
		.lock_method = RT_LOCK_ADVISORY,
		.returning = true,
		.upsert_keys_distinct = true, /* ON CONFLICT: a row once a statement */
		.max_parameters = 65535,
		.enum_kind = RT_ENUM_TYPE,
		.alter_add_constraint = true,
		.comments = true,
		.max_identifier_length = 63, /* NAMEDATALEN - 1 */
		.autoincrement = RT_AUTOINCREMENT_CLAUSE,
		.alter_column_in_place = true,
		.drop_column_in_place = true,
		.drop_constraint_in_place = true,
		.schemas = true,
		.index_unbounded = true,
		.add_column_any_default = true,
		.timestamptz_offset = true,
		.stores_nan = true,
		.deferrable_foreign_keys = true,
		/* Indexes (those of keys too) are relations of the schema,
		 * beside the tables; constraint names are the table's. */
		.index_names_per_table = false,
		.foreign_key_names_per_schema = false,
		.index_where = true,
		.index_expressions = true,
		.index_include = true,
		.index_desc = true,
		.sql_object_kinds = 1u << RT_SQL_VIEW | 1u << RT_SQL_MATERIALIZED_VIEW |
				    1u << RT_SQL_FUNCTION | 1u << RT_SQL_TRIGGER |
				    1u << RT_SQL_DOMAIN | 1u << RT_SQL_SEQUENCE |
				    1u << RT_SQL_AGGREGATE | 1u << RT_SQL_PROCEDURE,
		/* CREATE OR REPLACE VIEW cannot take a column away, which
		 * the downgrade of an added one does: DROP and CREATE, in
		 * the migration's transaction. */
		.view_or_replace = false,
		/* CREATE OR REPLACE AGGREGATE came in 12, PROCEDURE in 11. */
		.or_replace_kinds = 1u << RT_SQL_FUNCTION | 1u << RT_SQL_AGGREGATE |
				    1u << RT_SQL_PROCEDURE,
		.function_drop_args = true,
		.sequence_alter = true,
		.domain_alter = true,
		.trigger_names_per_table = true,
		/* VIRTUAL came in PostgreSQL 18 */
		.generated_virtual = false,
		.arrays = true,
		.generated_not_null = true,
		.add_column_generated_stored = true,
		.collation_case_matters = true,
	},
	.index_methods = pg_index_methods,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.prepare = rt__pg_prepare,
	.bind = rt__pg_bind,
	.step = rt__pg_step,
	.reset = rt__pg_reset,
	.finalize = rt__pg_finalize,
	.column_count = rt__pg_column_count,
	.param_count = rt__pg_param_count,
	.column_name = rt__pg_column_name,
	.column_value = rt__pg_column_value,
	.rows_held = rt__pg_rows_held,
	.conn_status = pg_conn_status,
	.prepare_cached = rt__pg_prepare_cached,
	.set_streaming = rt__pg_set_streaming,
	.run_batch = rt__pg_run_batch,
	.begin = rt__pg_io_begin,
	.rollback_unwaited = rt__pg_io_rollback_unwaited,
	.changes = rt__pg_changes,
	.quote_ident = pg_quote_ident,
	.column_type = pg_column_type,
	.render_like = rt__pg_render_like,
	.array_holds = rt__pg_array_holds,
	.insert_defaults = " DEFAULT VALUES",
	.upsert_clause = rt__dialect_on_conflict,
	.row_lock_clause = pg_row_lock_clause,
	.autoincrement_clause = "GENERATED BY DEFAULT AS IDENTITY",
	.alter_column = rt__pg_alter_column,
	.drop_index = rt__pg_drop_index,
	.drop_constraint = rt__pg_drop_constraint,
	.comment = rt__pg_comment,
	.view_invoker_after = "WITH (security_invoker = true)",
	.partition_of = rt__pg_partition_of,
	.partition_clause = rt__pg_partition_clause,
	.detach_partition = rt__pg_detach_partition,
	.create_enum = rt__pg_create_enum,
	.drop_enum = rt__pg_drop_enum,
	.rename_sql_object = rt__pg_rename_sql_object,
	.enum_add_value = rt__pg_enum_add_value,
	.enum_replace = rt__pg_enum_replace,
	.reflect = rt__postgres_reflect,
	.read_schemas = rt__postgres_read_schemas,
	.render_sql_objects = rt__postgres_render_sql_objects,
	.canonicalize = pg_canonicalize,
	.table_exists_query = "SELECT 1 FROM pg_catalog.pg_tables "
			      "WHERE schemaname = current_schema() AND tablename = ?",
	.table_in_schema_exists_query = "SELECT 1 FROM pg_catalog.pg_tables "
					"WHERE schemaname = ? AND tablename = ?",
	.advisory_xact_try_lock = "SELECT pg_try_advisory_xact_lock(CAST(? AS BIGINT))",
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
	.ping = pg_ping,
};
