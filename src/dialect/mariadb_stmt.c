/*
 * mariadb_stmt.c - MariaDB statements: server-side prepared statements
 * (MYSQL_STMT) with `?` placeholders, values only ever bound, rows read in
 * the binary protocol.
 *
 *   - prepare sends the statement to the server at once, so bad SQL fails
 *     there as on the other backends; its runs only execute.
 *   - Integers and doubles are bound and read as 64-bit integers and
 *     doubles; text and blobs as bytes; booleans as 0/1 (BOOLEAN is
 *     TINYINT(1)). Every other column (DECIMAL, dates and times, JSON,
 *     ENUM, UUID) is read as the server's text, which is exact.
 *   - A run's rows are stored on the client at once (mysql_stmt_store_result),
 *     so other statements can run while they are read; a streamed run
 *     (set_streaming) reads them one at a time from the server instead
 *     (constant memory), and until they are all read nothing else can run
 *     on the connection.
 *   - Variable-length values are fetched into per-column buffers that grow
 *     to the longest value seen.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "base/error.h"
#include "dialect/mariadb.h"

/* Bytes a column buffer starts with; it grows to the longest value read. */
#define INITIAL_BUFFER 64

/* One parameter's value, copied at bind time (the statement only runs at
 * its first step). */
typedef struct param_slot {
	long long i;
	double d;
	char *data;
	size_t cap;
	unsigned long length;
	my_bool is_null;
} param_slot;

/* How a result column is read. */
typedef enum column_kind {
	COLUMN_INT,     /* LONGLONG */
	COLUMN_DOUBLE,  /* DOUBLE */
	COLUMN_TEXT,    /* STRING buffer, text */
	COLUMN_BLOB,    /* STRING buffer, binary */
	COLUMN_WHEN,    /* DATE, DATETIME, TIMESTAMP: a MYSQL_TIME, written as text here */
	COLUMN_NULL     /* the NULL type */
} column_kind;

typedef struct column_slot {
	column_kind kind;
	bool is_unsigned;
	long long i;
	double d;
	char *data;
	size_t cap;
	unsigned long length;
	my_bool is_null;
	my_bool error;
	char number[24]; /* an unsigned BIGINT above INT64_MAX, as text */
	MYSQL_TIME when; /* COLUMN_WHEN */
	int decimals;    /* COLUMN_WHEN: fraction digits, as the column's type says (-1: as needed) */
	bool date_only;  /* COLUMN_WHEN: a DATE */
	char when_text[32];
} column_slot;

typedef enum run_state {
	RUN_NONE = 0, /* not run since the last reset */
	RUN_ROWS,     /* run; rows (stored or streamed) are being read */
	RUN_DONE      /* run and read to the end */
} run_state;

struct rt_driver_stmt {
	rt_driver_conn *conn;
	MYSQL_STMT *st;
	char *sql;             /* for messages that name the table */
	bool writes;           /* INSERT, UPDATE, DELETE or REPLACE */
	bool returns;          /* may have a RETURNING clause (prepare cannot tell) */
	int param_count;
	MYSQL_BIND *param_binds;
	param_slot *params;

	int field_count;
	MYSQL_RES *meta;
	MYSQL_FIELD *fields;
	MYSQL_BIND *result_binds;
	column_slot *columns;
	int column_slots;

	bool streaming;
	run_state state;
	bool has_row;
	uint64_t rows_read;
	uint64_t changes;
	int64_t insert_id;
};

static int stmt_error(rt_driver_stmt *stmt)
{
	/* An error the server sends in the middle of a streamed run's rows
	 * (mysql_stmt_fetch returning 1) is the connection's, not the
	 * statement's, in Connector/C: read there, it is the server's
	 * number and words rather than "unknown error". */
	if (mysql_stmt_errno(stmt->st) == 0 && mysql_errno(stmt->conn->my) != 0)
		return rt__mariadb_conn_error(stmt->conn, stmt->sql);
	return rt__mariadb_error(stmt->conn, mysql_stmt_errno(stmt->st), mysql_stmt_sqlstate(stmt->st),
				 mysql_stmt_error(stmt->st), stmt->sql);
}

/* --- what mariadb_batch.c reads of a statement ------------------------------ */

int rt__mariadb_stmt_error(rt_driver_stmt *stmt)
{
	return stmt_error(stmt);
}

MYSQL_STMT *rt__mariadb_handle(rt_driver_stmt *stmt)
{
	return stmt->st;
}

rt_driver_conn *rt__mariadb_stmt_conn(rt_driver_stmt *stmt)
{
	return stmt->conn;
}

bool rt__mariadb_bulk_ok(const rt_driver_stmt *stmt)
{
	return stmt->writes && !stmt->returns && stmt->param_count > 0;
}

const MYSQL_BIND *rt__mariadb_bound(rt_driver_stmt *stmt, int index)
{
	return &stmt->param_binds[index];
}

/* The statement writes rows: its first word is INSERT, UPDATE, DELETE or
 * REPLACE (with RETURNING, its rows count as the rows changed). */
static bool sql_writes(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r' || *sql == '(')
		sql++;
	static const char *const words[] = {"INSERT", "UPDATE", "DELETE", "REPLACE"};
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t n = strlen(words[w]), i = 0;
		while (i < n && sql[i] && (sql[i] | 0x20) == (words[w][i] | 0x20))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* The word RETURNING appears in sql, in any case, outside identifiers:
 * MariaDB's prepare reports no result columns for a write with RETURNING,
 * so the text is all there is to know it by before it runs. Erring on the
 * side of yes (the word inside a string or a quoted name) only costs a
 * batch its bulk execution (mariadb_batch.c). */
static bool sql_may_return(const char *sql)
{
	static const char word[] = "returning";
	for (const char *p = sql; *p; p++) {
		size_t i = 0;
		while (word[i] && (p[i] | 0x20) == word[i])
			i++;
		if (word[i])
			continue;
		bool before = p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool after = isalnum((unsigned char)p[i]) || p[i] == '_';
		if (!before && !after)
			return true;
	}
	return false;
}

/* --- preparing --------------------------------------------------------------- */

static void free_columns(rt_driver_stmt *stmt)
{
	for (int i = 0; i < stmt->column_slots; i++)
		free(stmt->columns[i].data);
	free(stmt->columns);
	free(stmt->result_binds);
	stmt->columns = NULL;
	stmt->result_binds = NULL;
	stmt->column_slots = 0;
	if (stmt->meta)
		mysql_free_result(stmt->meta);
	stmt->meta = NULL;
	stmt->fields = NULL;
	stmt->field_count = 0;
}

/* Ends the current run: unread streamed rows are read and dropped (the
 * protocol has no other way to end them), stored rows freed. */
static void end_run(rt_driver_stmt *stmt)
{
	if (stmt->state == RUN_ROWS)
		rt__mdb_stmt_free_result(stmt->conn, stmt->st);
	if (stmt->conn->fetching == stmt)
		stmt->conn->fetching = NULL;
	stmt->state = RUN_NONE;
	stmt->has_row = false;
}

/* A run that failed after the server began sending its rows (an INSERT ...
 * RETURNING that breaks a constraint sends the columns, then the error):
 * the error is recorded, then the statement is reset on both sides.
 * Without mysql_stmt_reset, Connector/C keeps part of the failed run's
 * state, and a later execution of the statement, once another statement
 * has failed the same way, waits forever for a reply or crashes (seen with
 * Connector/C 3.3 and MariaDB 10.11; tests/mariadb/test_driver.c). */
static int fail_run(rt_driver_stmt *stmt)
{
	int rc = stmt_error(stmt);
	end_run(stmt);
	rt__mdb_stmt_reset(stmt->conn, stmt->st);
	return rc;
}

void rt__mariadb_finalize(rt_driver_stmt *stmt)
{
	if (!stmt)
		return;
	if (stmt->st) {
		end_run(stmt);
		rt__mdb_stmt_close(stmt->conn, stmt->st);
	}
	free_columns(stmt);
	for (int i = 0; i < stmt->param_count; i++)
		free(stmt->params[i].data);
	free(stmt->params);
	free(stmt->param_binds);
	free(stmt->sql);
	free(stmt);
}

int rt__mariadb_prepare(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql)
{
	*out = NULL;
	if (!sql)
		return rt__error_set(RT_EINVAL, "no SQL to prepare");
	int rc = rt__mariadb_conn_ready(conn, NULL);
	if (rc < 0)
		return rc;
	rt_driver_stmt *stmt = calloc(1, sizeof(*stmt));
	if (!stmt)
		return rt__error_nomem();
	stmt->conn = conn;
	stmt->sql = strdup(sql);
	stmt->st = mysql_stmt_init(conn->my);
	if (!stmt->sql || !stmt->st) {
		rt__mariadb_finalize(stmt);
		return rt__error_nomem();
	}
	stmt->writes = sql_writes(sql);
	stmt->returns = sql_may_return(sql);
	if (rt__mdb_stmt_prepare(conn, stmt->st, sql, (unsigned long)strlen(sql)) != 0) {
		rc = stmt_error(stmt);
		rt__mariadb_finalize(stmt);
		return rc;
	}
	stmt->param_count = (int)mysql_stmt_param_count(stmt->st);
	size_t n = (size_t)stmt->param_count + 1; /* never a zero-size calloc */
	stmt->params = calloc(n, sizeof(*stmt->params));
	stmt->param_binds = calloc(n, sizeof(*stmt->param_binds));
	if (!stmt->params || !stmt->param_binds) {
		rt__mariadb_finalize(stmt);
		return rt__error_nomem();
	}
	/* Unbound parameters are NULL, as on the other backends. */
	for (int i = 0; i < stmt->param_count; i++) {
		stmt->params[i].is_null = 1;
		stmt->param_binds[i].buffer_type = MYSQL_TYPE_NULL;
		stmt->param_binds[i].is_null = &stmt->params[i].is_null;
	}
	*out = stmt;
	return RT_OK;
}

/* --- binding ----------------------------------------------------------------- */

static int slot_store(param_slot *slot, const char *data, size_t len)
{
	if (slot->cap < len + 1) {
		size_t cap = len + 1 < 32 ? 32 : len + 1;
		char *grown = realloc(slot->data, cap);
		if (!grown)
			return rt__error_nomem();
		slot->data = grown;
		slot->cap = cap;
	}
	if (len)
		memcpy(slot->data, data, len);
	slot->data[len] = '\0';
	return RT_OK;
}

int rt__mariadb_bind(rt_driver_stmt *stmt, int index, const rt_value *value)
{
	if (index < 1 || index > stmt->param_count)
		return rt__error_set(RT_EINVAL, "parameter %d out of range: the statement has %d",
				     index, stmt->param_count);
	if (!value)
		return rt__error_set(RT_EINVAL, "parameter %d: no value", index);
	param_slot *slot = &stmt->params[index - 1];
	MYSQL_BIND *b = &stmt->param_binds[index - 1];
	memset(b, 0, sizeof(*b));
	b->is_null = &slot->is_null;
	slot->is_null = 0;
	switch (value->type) {
	case RT_VALUE_NULL:
		slot->is_null = 1;
		b->buffer_type = MYSQL_TYPE_NULL;
		return RT_OK;
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		slot->i = value->type == RT_VALUE_BOOL ? (value->i != 0) : (long long)value->i;
		b->buffer_type = MYSQL_TYPE_LONGLONG;
		b->buffer = &slot->i;
		return RT_OK;
	case RT_VALUE_DOUBLE:
		slot->d = value->d;
		b->buffer_type = MYSQL_TYPE_DOUBLE;
		b->buffer = &slot->d;
		return RT_OK;
	case RT_VALUE_TEXT:
	case RT_VALUE_BLOB: {
		size_t len = value->s ? value->len : 0;
		if (len > UINT32_MAX)
			return rt__error_set(RT_EINVAL, "parameter %d: %zu bytes is more than a "
						      "MariaDB value can hold", index, len);
		int rc = slot_store(slot, value->s ? value->s : "", len);
		if (rc < 0)
			return rc;
		slot->length = (unsigned long)len;
		b->buffer_type = value->type == RT_VALUE_TEXT ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
		b->buffer = slot->data;
		b->buffer_length = (unsigned long)len;
		b->length = &slot->length;
		return RT_OK;
	}
	}
	return rt__error_set(RT_EINVAL, "parameter %d: unknown value type %d", index,
			     (int)value->type);
}

/* --- result columns ------------------------------------------------------------ */

static column_kind kind_of(const MYSQL_FIELD *f)
{
	switch (f->type) {
	case MYSQL_TYPE_TINY:
	case MYSQL_TYPE_SHORT:
	case MYSQL_TYPE_INT24:
	case MYSQL_TYPE_LONG:
	case MYSQL_TYPE_LONGLONG:
	case MYSQL_TYPE_YEAR:
		return COLUMN_INT;
	case MYSQL_TYPE_FLOAT:
	case MYSQL_TYPE_DOUBLE:
		return COLUMN_DOUBLE;
	case MYSQL_TYPE_NULL:
		return COLUMN_NULL;
	case MYSQL_TYPE_BIT:
		return COLUMN_BLOB;
	case MYSQL_TYPE_STRING:
	case MYSQL_TYPE_VAR_STRING:
	case MYSQL_TYPE_VARCHAR:
	case MYSQL_TYPE_TINY_BLOB:
	case MYSQL_TYPE_MEDIUM_BLOB:
	case MYSQL_TYPE_LONG_BLOB:
	case MYSQL_TYPE_BLOB:
	case MYSQL_TYPE_GEOMETRY:
		/* Character set 63 is "binary": BINARY, VARBINARY, BLOB. */
		return f->charsetnr == 63 ? COLUMN_BLOB : COLUMN_TEXT;
	case MYSQL_TYPE_DATE:
	case MYSQL_TYPE_DATETIME:
	case MYSQL_TYPE_TIMESTAMP:
		/* Read as MYSQL_TIME: asked for text, the client library
		 * writes each one with sprintf, a quarter of the time of a
		 * load of 100,000 rows. */
		return COLUMN_WHEN;
	default:
		return COLUMN_TEXT; /* DECIMAL, TIME, ENUM, SET, JSON */
	}
}

static void bind_column(rt_driver_stmt *stmt, int i)
{
	column_slot *c = &stmt->columns[i];
	MYSQL_BIND *b = &stmt->result_binds[i];
	memset(b, 0, sizeof(*b));
	b->is_null = &c->is_null;
	b->error = &c->error;
	b->length = &c->length;
	switch (c->kind) {
	case COLUMN_INT:
		b->buffer_type = MYSQL_TYPE_LONGLONG;
		b->buffer = &c->i;
		b->is_unsigned = c->is_unsigned;
		break;
	case COLUMN_DOUBLE:
		b->buffer_type = MYSQL_TYPE_DOUBLE;
		b->buffer = &c->d;
		break;
	case COLUMN_NULL:
		b->buffer_type = MYSQL_TYPE_NULL;
		break;
	case COLUMN_WHEN:
		b->buffer_type = c->date_only ? MYSQL_TYPE_DATE : MYSQL_TYPE_DATETIME;
		b->buffer = &c->when;
		b->buffer_length = sizeof(c->when);
		break;
	case COLUMN_TEXT:
	case COLUMN_BLOB:
		b->buffer_type = c->kind == COLUMN_TEXT ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
		b->buffer = c->data;
		/* One byte kept for the NUL a text value gets. */
		b->buffer_length = (unsigned long)(c->cap - 1);
		break;
	}
}

/* Binds the result columns of the run just executed (their number and
 * types can change when the server re-prepares after a schema change). */
static int setup_columns(rt_driver_stmt *stmt)
{
	int count = (int)mysql_stmt_field_count(stmt->st);
	if (stmt->meta)
		mysql_free_result(stmt->meta);
	stmt->meta = NULL;
	stmt->fields = NULL;
	stmt->field_count = count;
	if (count == 0)
		return RT_OK;
	stmt->meta = mysql_stmt_result_metadata(stmt->st);
	if (!stmt->meta)
		return stmt_error(stmt);
	stmt->fields = mysql_fetch_fields(stmt->meta);
	if (count > stmt->column_slots) {
		column_slot *columns = realloc(stmt->columns, (size_t)count * sizeof(*columns));
		if (!columns)
			return rt__error_nomem();
		memset(columns + stmt->column_slots, 0,
		       (size_t)(count - stmt->column_slots) * sizeof(*columns));
		stmt->columns = columns;
		stmt->column_slots = count;
		MYSQL_BIND *binds = realloc(stmt->result_binds, (size_t)count * sizeof(*binds));
		if (!binds)
			return rt__error_nomem();
		stmt->result_binds = binds;
	}
	for (int i = 0; i < count; i++) {
		column_slot *c = &stmt->columns[i];
		c->kind = kind_of(&stmt->fields[i]);
		c->is_unsigned = (stmt->fields[i].flags & UNSIGNED_FLAG) != 0;
		c->date_only = stmt->fields[i].type == MYSQL_TYPE_DATE;
		/* More than 6: not fixed (an expression), 6 when there is a fraction. */
		c->decimals = stmt->fields[i].decimals <= 6 ? (int)stmt->fields[i].decimals : -1;
		if ((c->kind == COLUMN_TEXT || c->kind == COLUMN_BLOB) && !c->data) {
			c->data = malloc(INITIAL_BUFFER);
			if (!c->data)
				return rt__error_nomem();
			c->cap = INITIAL_BUFFER;
		}
		bind_column(stmt, i);
	}
	if (mysql_stmt_bind_result(stmt->st, stmt->result_binds) != 0)
		return stmt_error(stmt);
	return RT_OK;
}

/* After a fetch that truncated some values: grows their buffers and reads
 * them again from the row (no round trip). */
static int refetch_truncated(rt_driver_stmt *stmt)
{
	bool grown = false;
	for (int i = 0; i < stmt->field_count; i++) {
		column_slot *c = &stmt->columns[i];
		if ((c->kind != COLUMN_TEXT && c->kind != COLUMN_BLOB) || c->is_null ||
		    (size_t)c->length < c->cap)
			continue;
		size_t cap = (size_t)c->length + 1;
		char *data = realloc(c->data, cap);
		if (!data)
			return rt__error_nomem();
		c->data = data;
		c->cap = cap;
		bind_column(stmt, i);
		if (mysql_stmt_fetch_column(stmt->st, &stmt->result_binds[i], (unsigned int)i, 0) != 0)
			return stmt_error(stmt);
		grown = true;
	}
	/* The next fetches write into the new buffers. */
	if (grown && mysql_stmt_bind_result(stmt->st, stmt->result_binds) != 0)
		return stmt_error(stmt);
	return RT_OK;
}

/* --- running ----------------------------------------------------------------- */

/* Warnings with which the server says the run's result is not whole:
 * 1931, a recursive CTE stopped at max_recursive_iterations (1000 by
 * default) or LIMIT ROWS EXAMINED reached, and 1260, a GROUP_CONCAT value
 * cut at group_concat_max_len. MariaDB delivers the rows it has and only
 * a warning; the other backends return the whole result or fail. */
enum { WARN_RESULT_INCOMPLETE = 1931, WARN_GROUP_CONCAT_CUT = 1260 };

/* RT_OK, or the error of a run whose result the server cut short: its
 * warnings are read (SHOW WARNINGS) when the run had any. A streamed run
 * always reads them: Connector/C keeps no warning count from the end of
 * rows fetched one at a time (one round trip for a run that is large by
 * nature). */
static int check_whole(rt_driver_stmt *stmt, bool streamed)
{
	if (!streamed && mysql_stmt_warning_count(stmt->st) <= 0)
		return RT_OK;
	static const char show[] = "SHOW WARNINGS";
	if (rt__mdb_query(stmt->conn, show, sizeof(show) - 1) != 0)
		return rt__mariadb_conn_error(stmt->conn, show);
	MYSQL_RES *res = rt__mdb_store_result(stmt->conn);
	if (!res)
		return rt__mariadb_conn_error(stmt->conn, show);
	int rc = RT_OK;
	MYSQL_ROW row;
	while (rc == RT_OK && (row = mysql_fetch_row(res)) != NULL) {
		unsigned long code = row[1] ? strtoul(row[1], NULL, 10) : 0;
		if (code == WARN_RESULT_INCOMPLETE || code == WARN_GROUP_CONCAT_CUT)
			rc = rt__mariadb_error(stmt->conn, (unsigned int)code, "HY000",
					       row[2] ? row[2] : "the result is incomplete",
					       stmt->sql);
	}
	mysql_free_result(res);
	return rc;
}

static int execute(rt_driver_stmt *stmt)
{
	rt_driver_conn *conn = stmt->conn;
	int rc = rt__mariadb_conn_ready(conn, stmt);
	if (rc < 0)
		return rc;
	if (stmt->param_count > 0 && mysql_stmt_bind_param(stmt->st, stmt->param_binds) != 0)
		return stmt_error(stmt);
	stmt->changes = 0;
	stmt->rows_read = 0;
	if (rt__mdb_stmt_execute(stmt->conn, stmt->st) != 0)
		return stmt_error(stmt);
	conn->rolled_back = false;
	stmt->insert_id = (int64_t)mysql_stmt_insert_id(stmt->st);
	if ((rc = setup_columns(stmt)) < 0) {
		rt__mdb_stmt_free_result(stmt->conn, stmt->st);
		return rc;
	}
	if (stmt->field_count == 0) {
		my_ulonglong affected = mysql_stmt_affected_rows(stmt->st);
		stmt->changes = affected == (my_ulonglong)-1 ? 0 : (uint64_t)affected;
		stmt->state = RUN_DONE;
		if ((rc = rt__mariadb_keep_utc(conn)) < 0)
			return rc;
		/* An INSERT ... SELECT from a cut result wrote only part. */
		return check_whole(stmt, false);
	}
	stmt->state = RUN_ROWS;
	if (stmt->streaming) {
		conn->fetching = stmt;
	} else if (rt__mdb_stmt_store_result(stmt->conn, stmt->st) != 0) {
		return fail_run(stmt);
	} else if ((rc = check_whole(stmt, false)) < 0) {
		end_run(stmt); /* no row of a cut result is handed out */
		return rc;
	}
	return RT_OK;
}

/* The end of the rows: a write's RETURNING rows are the rows it changed.
 * A streamed result the server cut short ends in an error (its rows have
 * gone by; a stored one was checked before its first row). */
static int rows_done(rt_driver_stmt *stmt)
{
	if (stmt->writes)
		stmt->changes = stmt->rows_read;
	bool streamed = stmt->conn->fetching == stmt;
	rt__mdb_stmt_free_result(stmt->conn, stmt->st);
	if (stmt->conn->fetching == stmt)
		stmt->conn->fetching = NULL;
	stmt->state = RUN_DONE;
	stmt->has_row = false;
	int rc = streamed ? check_whole(stmt, true) : RT_OK;
	return rc < 0 ? rc : RT_DONE;
}

int rt__mariadb_step(rt_driver_stmt *stmt)
{
	if (stmt->state == RUN_NONE) {
		int rc = execute(stmt);
		if (rc < 0)
			return rc;
	}
	if (stmt->state == RUN_DONE)
		return RT_DONE;
	stmt->has_row = false;
	int f = rt__mdb_stmt_fetch(stmt->conn, stmt->st);
	if (f == MYSQL_NO_DATA)
		return rows_done(stmt);
	if (f == 1)
		return fail_run(stmt);
	if (f == MYSQL_DATA_TRUNCATED) {
		int rc = refetch_truncated(stmt);
		if (rc < 0) {
			end_run(stmt);
			return rc;
		}
	}
	stmt->rows_read++;
	stmt->has_row = true;
	return RT_ROW;
}

int rt__mariadb_reset(rt_driver_stmt *stmt)
{
	end_run(stmt);
	stmt->streaming = false;
	return RT_OK;
}

int64_t rt__mariadb_rows_held(rt_driver_stmt *stmt)
{
	/* Stored rows only: a streamed run's count is not known until its
	 * end. */
	if (stmt->state != RUN_ROWS || stmt->streaming)
		return -1;
	return (int64_t)mysql_stmt_num_rows(stmt->st);
}

int rt__mariadb_set_streaming(rt_driver_stmt *stmt, bool on)
{
	if (stmt->state != RUN_NONE)
		return rt__error_set(RT_EINVAL, "streaming must be asked for before the first step");
	stmt->streaming = on;
	return RT_OK;
}

uint64_t rt__mariadb_changes(rt_driver_stmt *stmt)
{
	return stmt->changes;
}

int64_t rt__mariadb_last_insert_id(rt_driver_stmt *stmt)
{
	return stmt->insert_id;
}

/* --- reading ---------------------------------------------------------------------- */

int rt__mariadb_param_count(rt_driver_stmt *stmt)
{
	return stmt->param_count;
}

int rt__mariadb_column_count(rt_driver_stmt *stmt)
{
	if (stmt->state == RUN_NONE) /* not run yet: what the prepare said */
		return (int)mysql_stmt_field_count(stmt->st);
	return stmt->field_count;
}

const char *rt__mariadb_column_name(rt_driver_stmt *stmt, int column)
{
	if (column < 0 || column >= rt__mariadb_column_count(stmt))
		return NULL;
	if (!stmt->fields) {
		/* Not run yet: the prepare's description. */
		if (!stmt->meta && !(stmt->meta = mysql_stmt_result_metadata(stmt->st)))
			return NULL;
		stmt->fields = mysql_fetch_fields(stmt->meta);
		if (!stmt->fields || column >= (int)mysql_num_fields(stmt->meta))
			return NULL;
	}
	return stmt->fields[column].name;
}

/* Writes n as `width` digits at out (n < 10^width). */
static char *digits(char *out, unsigned long n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + n % 10);
		n /= 10;
	}
	return out + width;
}

/* The text the server writes for a DATE, DATETIME or TIMESTAMP value:
 * YYYY-MM-DD[ HH:MM:SS[.fraction]], the fraction with the column's
 * digits. Its length. */
static size_t format_when(column_slot *c)
{
	const MYSQL_TIME *t = &c->when;
	char *p = c->when_text;
	p = digits(p, t->year % 10000, 4);
	*p++ = '-';
	p = digits(p, t->month % 100, 2);
	*p++ = '-';
	p = digits(p, t->day % 100, 2);
	if (!c->date_only) {
		*p++ = ' ';
		p = digits(p, t->hour % 100, 2);
		*p++ = ':';
		p = digits(p, t->minute % 100, 2);
		*p++ = ':';
		p = digits(p, t->second % 100, 2);
		int shown = c->decimals >= 0 ? c->decimals : t->second_part ? 6 : 0;
		if (shown > 0) {
			char fraction[6];
			digits(fraction, t->second_part % 1000000, 6);
			*p++ = '.';
			memcpy(p, fraction, (size_t)shown);
			p += shown;
		}
	}
	*p = '\0';
	return (size_t)(p - c->when_text);
}

int rt__mariadb_column_when(rt_driver_stmt *stmt, int column, rt_value_when *out)
{
	if (!stmt->has_row || column < 0 || column >= stmt->field_count)
		return 1; /* column_value says what is wrong */
	const column_slot *c = &stmt->columns[column];
	if (c->kind != COLUMN_WHEN || c->is_null)
		return 1;
	static const uint32_t unit[7] = {1000000, 100000, 10000, 1000, 100, 10, 1};
	const MYSQL_TIME *t = &c->when;
	memset(out, 0, sizeof(*out));
	out->year = (int32_t)(t->year % 10000);
	out->month = (uint8_t)(t->month % 100);
	out->day = (uint8_t)(t->day % 100);
	if (c->date_only)
		return RT_OK;
	out->hour = (uint8_t)(t->hour % 100);
	out->minute = (uint8_t)(t->minute % 100);
	out->second = (uint8_t)(t->second % 100);
	/* As format_when writes it: the column's digits of the fraction. */
	uint32_t micro = (uint32_t)(t->second_part % 1000000);
	if (c->decimals >= 0 && c->decimals < 6)
		micro -= micro % unit[c->decimals];
	out->microsecond = micro;
	return RT_OK;
}

int rt__mariadb_column_value(rt_driver_stmt *stmt, int column, rt_value *out)
{
	memset(out, 0, sizeof(*out));
	if (!stmt->has_row)
		return rt__error_set(RT_EINVAL, "no current row: step the statement first");
	if (column < 0 || column >= stmt->field_count)
		return rt__error_set(RT_EINVAL, "column %d out of range: the result has %d",
				     column, stmt->field_count);
	column_slot *c = &stmt->columns[column];
	if (c->is_null || c->kind == COLUMN_NULL) {
		out->type = RT_VALUE_NULL;
		return RT_OK;
	}
	switch (c->kind) {
	case COLUMN_INT:
		if (c->is_unsigned && (unsigned long long)c->i > (unsigned long long)INT64_MAX) {
			/* An unsigned BIGINT beyond int64: exact, as text. */
			snprintf(c->number, sizeof(c->number), "%llu", (unsigned long long)c->i);
			out->type = RT_VALUE_TEXT;
			out->s = c->number;
			out->len = strlen(c->number);
			return RT_OK;
		}
		out->type = RT_VALUE_INT64;
		out->i = (int64_t)c->i;
		return RT_OK;
	case COLUMN_DOUBLE:
		out->type = RT_VALUE_DOUBLE;
		out->d = c->d;
		return RT_OK;
	case COLUMN_TEXT:
	case COLUMN_BLOB:
		c->data[c->length] = '\0';
		out->type = c->kind == COLUMN_TEXT ? RT_VALUE_TEXT : RT_VALUE_BLOB;
		out->s = c->data;
		out->len = (size_t)c->length;
		return RT_OK;
	case COLUMN_WHEN:
		out->type = RT_VALUE_TEXT;
		out->len = format_when(c);
		out->s = c->when_text;
		return RT_OK;
	case COLUMN_NULL:
		break;
	}
	out->type = RT_VALUE_NULL;
	return RT_OK;
}
