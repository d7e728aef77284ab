/*
 * sqlite.c - the SQLite dialect: the driver over libsqlite3 (the only file
 * that calls it), SQL rendering hooks, and the dialect table.
 *
 * Connections open with foreign keys enforced, a 5 s busy timeout and
 * extended result codes, so that constraint violations can be told apart.
 * SQLite names no constraint in its messages except CHECKs, so a violation
 * is handed to sqlite_violation.c to find which constraint it was.
 */
#include "dialect/sqlite.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fiber.h"

struct rt_driver_conn {
	sqlite3 *db;
	int busy_ms;    /* the busy timeout it opened with (set_lock_wait) */
	bool resolving; /* finding a violated constraint's name: no recursion */
};

struct rt_driver_stmt {
	sqlite3_stmt *stmt;
	rt_driver_conn *conn;
	/* The connection's total changes when this run began (its first
	 * step), and the rows the last completed run changed. */
	bool running;
	bool done;              /* finished: stays so until a reset */
	bool borrowed;          /* a value is bound in place (rt_value.borrowed) */
	int64_t total_before;
	uint64_t changes;
};

/* --- errors --------------------------------------------------------------- */

static rt_constraint_violation violation_kind(int extended)
{
	switch (extended) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_ROWID:
		return RT_VIOLATION_UNIQUE;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return RT_VIOLATION_FOREIGN_KEY;
	case SQLITE_CONSTRAINT_NOTNULL:
		return RT_VIOLATION_NOT_NULL;
	case SQLITE_CONSTRAINT_CHECK:
		return RT_VIOLATION_CHECK;
	default:
		return RT_VIOLATION_NONE;
	}
}

/* SQLite has no SQLSTATE; give violations the standard ones, so that a
 * program can test for them the same way on every backend. */
static const char *violation_sqlstate(rt_constraint_violation kind)
{
	switch (kind) {
	case RT_VIOLATION_UNIQUE: return "23505";
	case RT_VIOLATION_FOREIGN_KEY: return "23503";
	case RT_VIOLATION_NOT_NULL: return "23502";
	case RT_VIOLATION_CHECK: return "23514";
	default: return "";
	}
}

/* Records the connection's current error; returns its RT_E code. stmt is
 * the statement that failed, if any. */
static int record_error(rt_driver_conn *conn, rt_driver_stmt *stmt)
{
	int extended = sqlite3_extended_errcode(conn->db);
	int primary = extended & 0xff;
	if (primary == SQLITE_NOMEM)
		return rt__error_nomem();

	/* Looking the constraint up runs statements that replace the
	 * connection's message, so keep a copy. */
	char *message = strdup(sqlite3_errmsg(conn->db));
	if (!message)
		return rt__error_nomem();
	int rc;
	if (primary == SQLITE_CONSTRAINT) {
		rt_constraint_violation kind = violation_kind(extended);
		const char *name = NULL;
		rt_arena *arena = NULL;
		if (kind != RT_VIOLATION_NONE && !conn->resolving && (arena = rt__arena_new())) {
			conn->resolving = true;
			name = rt__sqlite_violation_name(arena, &rt__dialect_sqlite, conn, stmt,
							 kind, message);
			conn->resolving = false;
		}
		rc = rt__error_set_db(RT_ECONSTRAINT, violation_sqlstate(kind), extended, kind,
				      name, "%s", message);
		rt__arena_free(arena);
	} else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
		rc = rt__error_set_db(RT_ELOCKED, "", extended, RT_VIOLATION_NONE, NULL,
				      "database is locked: %s", message);
	} else {
		rc = rt__error_set_db(RT_EDATABASE, "", extended, RT_VIOLATION_NONE, NULL, "%s",
				      message);
	}
	free(message);
	return rc;
}

/* --- connections ------------------------------------------------------------- */

static int connect_error(sqlite3 *db, const rt_connect_params *params)
{
	int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
	int rc = rt__error_set_db(RT_ECONNECT, "", code, RT_VIOLATION_NONE, NULL,
				  "cannot open %s: %s", params->masked_url,
				  db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close(db);
	return rc;
}

/* Opens the database with the URL's options read: pragmas (may be "")
 * run once the file is known to be a database. */
static int open_checked(rt_driver_conn **out, const rt_connect_params *params, int flags,
			int timeout_ms, const char *pragmas)
{
	const char *path = params->path && *params->path ? params->path : ":memory:";
	bool memory = strcmp(path, ":memory:") == 0;
	if (params->must_exist && !memory) {
		/* Only a command that reads asks this: opening must not leave an
		 * empty file behind where the user expected a database. */
		flags &= ~SQLITE_OPEN_CREATE;
		if (access(path, F_OK) != 0 && errno == ENOENT)
			return rt__error_set(RT_ENOTFOUND,
					     "the database file '%s' does not exist (%s)", path,
					     params->masked_url);
	}
	sqlite3 *db = NULL;
	/* A connection is used by one thread at a time (the engine's pool
	 * hands it out whole), so SQLite's per-call mutex is only overhead. */
	if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return connect_error(db, params);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, timeout_ms);
	/* Reading the schema here makes a file that is not a database fail now,
	 * as a connection error, rather than at the first query. */
	if (sqlite3_exec(db, "PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_master",
			 NULL, NULL, NULL) != SQLITE_OK)
		return connect_error(db, params);
	if (pragmas && *pragmas && sqlite3_exec(db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
		return connect_error(db, params);

	rt_driver_conn *conn = calloc(1, sizeof(*conn));
	if (!conn) {
		sqlite3_close(db);
		return rt__error_nomem();
	}
	conn->db = db;
	conn->busy_ms = timeout_ms;
	*out = conn;
	return RT_OK;
}

static int connect_now(rt_driver_conn **out, const rt_connect_params *params)
{
	*out = NULL;
	int flags, timeout_ms;
	rt_buf pragmas = RT_BUF_INIT;
	int rc = rt__sqlite_read_options(params, &flags, &timeout_ms, &pragmas);
	if (rc < 0) {
		rt__buf_free(&pragmas);
		return rc;
	}
	rc = open_checked(out, params, flags, timeout_ms, rt__buf_cstr(&pragmas));
	rt__buf_free(&pragmas);
	return rc;
}

static void sqlite_set_lock_wait(rt_driver_conn *conn, int ms)
{
	sqlite3_busy_timeout(conn->db, ms < 0 ? conn->busy_ms : ms);
}

static void sqlite_disconnect(rt_driver_conn *conn)
{
	if (!conn)
		return;
	sqlite3_close_v2(conn->db);
	free(conn);
}

/* Runs each statement of sql in turn, stepping through any rows. */
static int exec_now(rt_driver_conn *conn, const char *sql)
{
	const char *tail = sql;
	while (tail && *tail) {
		rt_driver_stmt stmt = {.stmt = NULL, .conn = conn};
		if (sqlite3_prepare_v2(conn->db, tail, -1, &stmt.stmt, &tail) != SQLITE_OK)
			return record_error(conn, NULL);
		if (!stmt.stmt)
			break; /* only whitespace or comments were left */
		int step;
		while ((step = sqlite3_step(stmt.stmt)) == SQLITE_ROW)
			;
		int rc = step == SQLITE_DONE ? RT_OK : record_error(conn, &stmt);
		sqlite3_finalize(stmt.stmt);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* --- statements -------------------------------------------------------------- */

static int prepare_now(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql,
		       unsigned int flags)
{
	*out = NULL;
	rt_driver_stmt *stmt = calloc(1, sizeof(*stmt));
	if (!stmt)
		return rt__error_nomem();
	const char *tail = NULL;
	if (sqlite3_prepare_v3(conn->db, sql, -1, flags, &stmt->stmt, &tail) != SQLITE_OK) {
		free(stmt);
		return record_error(conn, NULL);
	}
	if (!stmt->stmt) {
		free(stmt);
		return rt__error_set(RT_EINVAL, "no SQL statement to prepare");
	}
	while (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';')
		tail++;
	if (*tail) {
		sqlite3_finalize(stmt->stmt);
		free(stmt);
		return rt__error_set(RT_EINVAL, "a prepared statement holds one SQL statement; "
				     "found more after the first");
	}
	stmt->conn = conn;
	*out = stmt;
	return RT_OK;
}


/* --- off the loop's thread ------------------------------------------------------
 * Opening, running and preparing read the database file and can wait for
 * another connection's lock: the non-blocking API runs them on the
 * engine's worker threads (rt__offload, docs/async.md), and a cancel
 * interrupts them. Outside it, rt__offload calls them directly. */

typedef struct call {
	rt_driver_conn **conn_out;
	rt_driver_stmt **stmt_out;
	const rt_connect_params *params;
	rt_driver_conn *conn;
	rt_driver_stmt *stmt;
	const char *sql;
	unsigned int flags;
} call;

static void interrupt_db(void *db)
{
	sqlite3_interrupt(db);
}

static int connect_job(void *arg)
{
	call *c = arg;
	return connect_now(c->conn_out, c->params);
}

static int sqlite_connect(rt_driver_conn **out, const rt_connect_params *params)
{
	call c = {.conn_out = out, .params = params};
	return rt__offload(connect_job, &c, NULL, NULL);
}

static int exec_job(void *arg)
{
	call *c = arg;
	return exec_now(c->conn, c->sql);
}

static int sqlite_exec(rt_driver_conn *conn, const char *sql)
{
	call c = {.conn = conn, .sql = sql};
	return rt__offload(exec_job, &c, interrupt_db, conn->db);
}

static int prepare_job(void *arg)
{
	call *c = arg;
	return prepare_now(c->stmt_out, c->conn, c->sql, c->flags);
}

static int prepare(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql,
		   unsigned int flags)
{
	call c = {.stmt_out = out, .conn = conn, .sql = sql, .flags = flags};
	return rt__offload(prepare_job, &c, interrupt_db, conn->db);
}

static int sqlite_prepare(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql)
{
	return prepare(out, conn, sql, 0);
}

/* A statement the engine keeps for the connection's life: SQLite is told
 * so it can take its memory from the heap rather than the lookaside
 * slots meant for short-lived ones. */
static int sqlite_prepare_cached(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql)
{
	return prepare(out, conn, sql, SQLITE_PREPARE_PERSISTENT);
}

static int sqlite_bind(rt_driver_stmt *stmt, int index, const rt_value *value)
{
	sqlite3_stmt *s = stmt->stmt;
	if (index < 1 || index > sqlite3_bind_parameter_count(s))
		return rt__error_set(RT_EINVAL, "no parameter %d (the statement has %d)", index,
				     sqlite3_bind_parameter_count(s));
	int rc;
	switch (value->type) {
	case RT_VALUE_NULL:
		rc = sqlite3_bind_null(s, index);
		break;
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		rc = sqlite3_bind_int64(s, index, value->i);
		break;
	case RT_VALUE_DOUBLE:
		rc = sqlite3_bind_double(s, index, value->d);
		break;
	case RT_VALUE_TEXT:
		/* SQLITE_STATIC where the bytes stay put: a copy is a malloc
		 * and a memcpy a value, most of a text binding's cost. */
		rc = sqlite3_bind_text64(s, index, value->s, value->len,
					 value->borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT,
					 SQLITE_UTF8);
		stmt->borrowed |= value->borrowed;
		break;
	case RT_VALUE_BLOB:
		/* A zero-length blob must stay a blob, not become NULL. */
		rc = value->len ? sqlite3_bind_blob64(s, index, value->s, value->len,
						      value->borrowed ? SQLITE_STATIC
								      : SQLITE_TRANSIENT)
				: sqlite3_bind_zeroblob(s, index, 0);
		stmt->borrowed |= value->borrowed;
		break;
	default:
		return rt__error_set(RT_EINVAL, "unknown value type %d", (int)value->type);
	}
	return rc == SQLITE_OK ? RT_OK : record_error(stmt->conn, NULL);
}

static int step_now(rt_driver_stmt *stmt)
{
	sqlite3 *db = stmt->conn->db;
	/* SQLite would start the statement over; PostgreSQL's, and the
	 * engine's contract, stay done until a reset. */
	if (stmt->done)
		return RT_DONE;
	if (!stmt->running) {
		stmt->running = true;
		stmt->total_before = sqlite3_total_changes64(db);
	}
	int rc = sqlite3_step(stmt->stmt);
	if (rc == SQLITE_ROW)
		return RT_ROW;
	if (rc == SQLITE_DONE) {
		/* sqlite3_changes64 keeps the count of the last INSERT, UPDATE or
		 * DELETE, so a statement that changed nothing (DDL, SELECT)
		 * would report an older one's; the total tells them apart. */
		stmt->changes = sqlite3_total_changes64(db) != stmt->total_before
					? (uint64_t)sqlite3_changes64(db)
					: 0;
		stmt->running = false;
		stmt->done = true;
		return RT_DONE;
	}
	stmt->running = false;
	return record_error(stmt->conn, stmt);
}

static int step_job(void *arg)
{
	return step_now(arg);
}

static int sqlite_step(rt_driver_stmt *stmt)
{
	return rt__offload(step_job, stmt, interrupt_db, stmt->conn->db);
}

void rt__sqlite_stmt_rewind(rt_driver_stmt *stmt)
{
	sqlite3_reset(stmt->stmt);
	stmt->running = false;
	stmt->done = false;
}

static int sqlite_reset(rt_driver_stmt *stmt)
{
	/* sqlite3_reset repeats the last step's error; that error was already
	 * reported by the step, and the statement is rewound regardless. */
	sqlite3_reset(stmt->stmt);
	/* Values bound in place may be gone once the run is over: no
	 * binding keeps pointing at them (rt_value.borrowed). */
	if (stmt->borrowed) {
		sqlite3_clear_bindings(stmt->stmt);
		stmt->borrowed = false;
	}
	stmt->running = false;
	stmt->done = false;
	return RT_OK;
}

static uint64_t sqlite_changes(rt_driver_stmt *stmt)
{
	return stmt->changes;
}

static int64_t sqlite_last_insert_id(rt_driver_stmt *stmt)
{
	return (int64_t)sqlite3_last_insert_rowid(stmt->conn->db);
}

static rt_driver_status sqlite_conn_status(rt_driver_conn *conn)
{
	return sqlite3_get_autocommit(conn->db) ? RT_DRIVER_IDLE : RT_DRIVER_IN_TRANSACTION;
}

/* Every connection to ":memory:" is a database of its own. */
static int sqlite_max_connections(const rt_connect_params *params)
{
	const char *path = params->path;
	return !path || !*path || strcmp(path, ":memory:") == 0 ? 1 : 0;
}

static void sqlite_finalize(rt_driver_stmt *stmt)
{
	if (!stmt)
		return;
	sqlite3_finalize(stmt->stmt);
	free(stmt);
}

static int sqlite_column_count(rt_driver_stmt *stmt)
{
	return sqlite3_column_count(stmt->stmt);
}

static int sqlite_param_count(rt_driver_stmt *stmt)
{
	return sqlite3_bind_parameter_count(stmt->stmt);
}

static const char *sqlite_column_name(rt_driver_stmt *stmt, int column)
{
	return sqlite3_column_name(stmt->stmt, column);
}

static int sqlite_column_value(rt_driver_stmt *stmt, int column, rt_value *out)
{
	sqlite3_stmt *s = stmt->stmt;
	/* One lookup of the column's value, then its accessors: this runs for
	 * every column of every row the ORM loads, so the column's number is
	 * checked only when the value is NULL (SQLite's answer for a column
	 * out of range). */
	sqlite3_value *value = sqlite3_column_value(s, column);
	memset(out, 0, sizeof(*out));
	switch (sqlite3_value_type(value)) {
	case SQLITE_INTEGER:
		out->type = RT_VALUE_INT64;
		out->i = sqlite3_value_int64(value);
		return RT_OK;
	case SQLITE_FLOAT:
		out->type = RT_VALUE_DOUBLE;
		out->d = sqlite3_value_double(value);
		return RT_OK;
	case SQLITE_TEXT:
		out->type = RT_VALUE_TEXT;
		out->s = (const char *)sqlite3_value_text(value);
		out->len = (size_t)sqlite3_value_bytes(value);
		if (!out->s)
			return rt__error_nomem();
		return RT_OK;
	case SQLITE_BLOB:
		out->type = RT_VALUE_BLOB;
		out->s = sqlite3_value_blob(value);
		out->len = (size_t)sqlite3_value_bytes(value);
		if (!out->s) {
			if (out->len || sqlite3_errcode(stmt->conn->db) == SQLITE_NOMEM)
				return rt__error_nomem();
			out->s = ""; /* zero-length blob */
		}
		return RT_OK;
	default:
		if (column < 0 || column >= sqlite3_column_count(s))
			return rt__error_set(RT_EINVAL, "no column %d (the result has %d)", column,
					     sqlite3_column_count(s));
		out->type = RT_VALUE_NULL;
		return RT_OK;
	}
}

const char *rt__sqlite_stmt_sql(rt_driver_stmt *stmt)
{
	return stmt ? sqlite3_sql(stmt->stmt) : NULL;
}

/* --- SQL rendering ---------------------------------------------------------------- */

static void sqlite_quote_ident(rt_buf *buf, const char *ident)
{
	rt__buf_put_quoted(buf, ident, '"');
}

/* The drop_index hook: index names are the database's, so the table is
 * not needed. */
static int sqlite_drop_index(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
			     const char *index)
{
	(void)dialect;
	(void)table;
	if (!buf || !index)
		return rt__error_set(RT_EINVAL, "sqlite_drop_index: NULL argument");
	rt__buf_puts(buf, "DROP INDEX ");
	sqlite_quote_ident(buf, index);
	return RT_OK;
}

/* Is column the table's one-column primary key? */
static bool sole_primary_key(const rt_table *table, const rt_column *column)
{
	const rt_constraint *pk = table->primary_key;
	return pk && pk->column_count == 1 && strcmp(pk->columns[0], column->name) == 0;
}

/* Characters (not bytes) of the longest value: VARCHAR(n) counts characters. */
static int longest_value(const rt_enum *e)
{
	int longest = 1;
	for (size_t i = 0; i < e->value_count; i++) {
		int chars = 0;
		for (const unsigned char *p = (const unsigned char *)e->values[i]; *p; p++)
			if ((*p & 0xC0) != 0x80)
				chars++;
		if (chars > longest)
			longest = chars;
	}
	return longest;
}

/* The type a column of a STRICT table is declared with. STRICT allows
 * only INT, INTEGER, REAL, TEXT, BLOB and ANY, so each kind is declared
 * as what the ORM stores in it: an integer for a bool, text for dates,
 * times, UUIDs, JSON and enums, ANY for numeric (its value kept as given,
 * as NUMERIC affinity would not); INT for an integer primary key that is
 * no rowid (INTEGER would make it one). Reflection reads these back, and
 * canonicalize maps a model's types the same way (strict_canonical). A
 * verbatim type is written as it is, for SQLite to accept or refuse. */
static const char *strict_declared(const rt_table *table, const rt_column *column)
{
	switch (column->type.kind) {
	case RT_TYPE_SMALLINT:
	case RT_TYPE_INT:
	case RT_TYPE_BIGINT:
		return sole_primary_key(table, column) && !column->autoincrement ? "INT"
										  : "INTEGER";
	case RT_TYPE_BOOL: return "INTEGER";
	case RT_TYPE_REAL:
	case RT_TYPE_DOUBLE: return "REAL";
	case RT_TYPE_NUMERIC: return "ANY";
	case RT_TYPE_BLOB: return "BLOB";
	case RT_TYPE_SQL: return column->type.sql ? column->type.sql : "";
	default: return "TEXT";
	}
}

static bool sqlite_same_declared_type(const rt_table *ta, const rt_column *a,
				      const rt_table *tb, const rt_column *b)
{
	bool strict_a = ta && (ta->options & RT_TABLE_STRICT);
	bool strict_b = tb && (tb->options & RT_TABLE_STRICT);
	if (!strict_a && !strict_b)
		return false;
	/* An enum is TEXT with a CHECK of its values: a change to, from or
	 * between enums shows, in the CHECK. */
	if (a->type.kind == RT_TYPE_ENUM || b->type.kind == RT_TYPE_ENUM)
		return false;
	/* Across a change of STRICT the table is rebuilt with the model's
	 * types: only a change the STRICT declaration shows is a change. */
	return strcasecmp(strict_declared(ta, a), strict_declared(tb, b)) == 0;
}

static void sqlite_column_type(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			       const rt_column *column)
{
	const rt_type *type = &column->type;
	if (table && (table->options & RT_TABLE_STRICT)) {
		rt__buf_puts(buf, strict_declared(table, column));
		return;
	}
	if (rt__type_is_integer(type->kind) && sole_primary_key(table, column)) {
		/* Declared exactly INTEGER, a one-column primary key is the rowid;
		 * any other spelling (INT) is not, which is what a primary key
		 * marked `no autoincrement` needs. */
		rt__buf_puts(buf, column->autoincrement ? "INTEGER"
				  : type->kind == RT_TYPE_INT ? "INT"
				  : type->kind == RT_TYPE_SMALLINT ? "SMALLINT" : "BIGINT");
		return;
	}
	switch (type->kind) {
	case RT_TYPE_SMALLINT: rt__buf_puts(buf, "SMALLINT"); break;
	case RT_TYPE_INT: rt__buf_puts(buf, "INTEGER"); break;
	case RT_TYPE_BIGINT: rt__buf_puts(buf, "BIGINT"); break;
	case RT_TYPE_BOOL: rt__buf_puts(buf, "BOOLEAN"); break;
	case RT_TYPE_REAL: rt__buf_puts(buf, "REAL"); break;
	case RT_TYPE_DOUBLE: rt__buf_puts(buf, "DOUBLE"); break;
	case RT_TYPE_NUMERIC:
		if (type->precision > 0)
			rt__buf_printf(buf, "NUMERIC(%d,%d)", type->precision, type->scale);
		else
			rt__buf_puts(buf, "NUMERIC");
		break;
	case RT_TYPE_STRING:
		if (type->length > 0)
			rt__buf_printf(buf, "VARCHAR(%d)", type->length);
		else
			rt__buf_puts(buf, "VARCHAR");
		break;
	/* CHARACTER, not CHAR: uuid is declared CHAR(32), and SQLite keeps the
	 * declared text, so char(32) reads back as itself. */
	case RT_TYPE_CHAR: rt__buf_printf(buf, "CHARACTER(%d)", type->length); break;
	case RT_TYPE_TEXT: rt__buf_puts(buf, "TEXT"); break;
	case RT_TYPE_BLOB: rt__buf_puts(buf, "BLOB"); break;
	case RT_TYPE_DATE: rt__buf_puts(buf, "DATE"); break;
	case RT_TYPE_TIME: rt__buf_puts(buf, "TIME"); break;
	case RT_TYPE_TIMESTAMP:
	case RT_TYPE_TIMESTAMPTZ: rt__buf_puts(buf, "DATETIME"); break;
	case RT_TYPE_UUID: rt__buf_puts(buf, "CHAR(32)"); break;
	case RT_TYPE_JSON: rt__buf_puts(buf, "JSON"); break;
	case RT_TYPE_ENUM: {
		const rt_enum *e = type->enum_type;
		if (!e && type->enum_name)
			e = rt__schema_find_enum(schema, type->enum_name);
		if (e)
			rt__buf_printf(buf, "VARCHAR(%d)", longest_value(e));
		else
			rt__buf_puts(buf, "VARCHAR");
		break;
	}
	case RT_TYPE_SQL:
		/* The user's own SQL, as written, like a check's expression. */
		rt__buf_puts(buf, type->sql ? type->sql : "");
		break;
	}
}

/* A verbatim type as reflection reads it back: the language's word where
 * it has one (sql 'int8' is bigint), else the declared text exactly as
 * written, which is what SQLite keeps. */
static void canonical_verbatim(rt_type *type)
{
	rt_type read = rt__sqlite_type_from_declared(type->sql);
	if (read.kind != RT_TYPE_SQL)
		*type = read;
}

/* What SQLite stores cannot tell timestamp from timestamptz, nor a
 * foreign key DEFERRABLE INITIALLY IMMEDIATE from one NOT DEFERRABLE,
 * keeps no comments, and makes a one-column integer primary key its 64-bit rowid,
 * the only column that can autoincrement. A verbatim type is kept as
 * declared (canonical_verbatim). Collation names do not tell case apart:
 * lower case, as reflection reads them. */
static void sqlite_canonicalize(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		table->comment = NULL;
		/* A deferrable key checked at once is any key here. */
		for (size_t k = 0; k < table->constraint_count; k++)
			if (table->constraints[k]->deferrable == RT_DEFERRABLE_IMMEDIATE)
				table->constraints[k]->deferrable = RT_NOT_DEFERRABLE;
		for (size_t c = 0; c < table->column_count; c++) {
			rt_column *column = table->columns[c];
			column->comment = NULL;
			/* A STRICT table's column is what its declaration reads as. */
			if ((table->options & RT_TABLE_STRICT) && column->type.kind != RT_TYPE_SQL &&
			    column->type.kind != RT_TYPE_ENUM)
				column->type = rt__sqlite_type_from_declared(
					strict_declared(table, column));
			if (column->type.kind == RT_TYPE_SQL)
				canonical_verbatim(&column->type);
			if (column->type.kind == RT_TYPE_TIMESTAMPTZ)
				column->type.kind = RT_TYPE_TIMESTAMP;
			if (!column->autoincrement)
				continue;
			/* Only the rowid autoincrements. */
			if (rt__type_is_integer(column->type.kind) && sole_primary_key(table, column))
				column->type.kind = RT_TYPE_BIGINT;
			else
				column->autoincrement = false;
		}
	}
	rt__schema_lower_collations(schema);
}

/* --- the dialect --------------------------------------------------------------- */

#define SQLITE_DIALECT(with_returning)                                          \
	{                                                                       \
		.name = "sqlite",                                               \
		.caps = {                                                       \
			.transactional_ddl = true,                              \
			.ddl_per_transaction = 0,                               \
			.lock_method = RT_LOCK_DATABASE_WRITE,                  \
			.returning = (with_returning),                          \
			.enum_kind = RT_ENUM_CHECK,                             \
			.alter_add_constraint = false,                          \
			.comments = false,                                      \
			.max_identifier_length = 0,                             \
			.autoincrement = RT_AUTOINCREMENT_ROWID,                \
			.alter_column_in_place = false,                         \
			/* DROP COLUMN came with RETURNING, in 3.35 */          \
			.drop_column_in_place = (with_returning),               \
			.drop_constraint_in_place = false,                      \
			.index_unbounded = true,                                \
			.add_column_any_default = false,                        \
			.returning_slow = true,                                 \
			/* SQLITE_MAX_VARIABLE_NUMBER's default since 3.32 */   \
			.max_parameters = 32766,                                \
			/* 100,000 posts inserted in statements of 100 rows   \
			 * took 1,617M instructions, of 200 1,629M, of 1,000   \
			 * 1,674M, of 5,000 1,750M, of 20 1,721M (RETURNING     \
			 * fills a temporary table per execution) */            \
			.rows_per_insert = 100,                                 \
			/* index names share sqlite_schema with the tables */   \
			.index_names_per_table = false,                         \
			.foreign_key_names_per_schema = false,                  \
			.sql_object_kinds = 1u << RT_SQL_VIEW | 1u << RT_SQL_TRIGGER, \
			.driver_blocks = true,                                  \
			.deferrable_foreign_keys = true,                        \
			/* B-trees only: no methods, no INCLUDE */              \
			.index_where = true,                                    \
			.index_expressions = true,                              \
			.index_include = false,                                 \
			.index_desc = true,                                     \
			.generated_virtual = true,                              \
			.generated_not_null = true,                             \
			/* "cannot add a STORED column": a rebuild */           \
			.add_column_generated_stored = false,                   \
			.collation_case_matters = false,                        \
		},                                                              \
		.connect = sqlite_connect,                                      \
		.disconnect = sqlite_disconnect,                                \
		.exec = sqlite_exec,                                            \
		.prepare = sqlite_prepare,                                      \
		.bind = sqlite_bind,                                            \
		.step = sqlite_step,                                            \
		.reset = sqlite_reset,                                          \
		.finalize = sqlite_finalize,                                    \
		.column_count = sqlite_column_count,                            \
		.param_count = sqlite_param_count,                              \
		.column_name = sqlite_column_name,                              \
		.column_value = sqlite_column_value,                            \
		.conn_status = sqlite_conn_status,                              \
		.max_connections = sqlite_max_connections,                      \
		.prepare_cached = sqlite_prepare_cached,                        \
		.changes = sqlite_changes,                                      \
		.last_insert_id = sqlite_last_insert_id,                        \
		.quote_ident = sqlite_quote_ident,                              \
		.column_type = sqlite_column_type,                              \
		/* no alter_column: a column changes by a table rebuild */      \
		.drop_index = sqlite_drop_index,                                \
		/* no comment: SQLite keeps no comments */                      \
		.render_like = rt__sqlite_render_like,                          \
		.insert_defaults = " DEFAULT VALUES",                           \
		.upsert_clause = rt__dialect_on_conflict,                       \
		.table_option_sql = {"STRICT", "WITHOUT ROWID"},                \
		.defer_foreign_keys = "PRAGMA defer_foreign_keys = ON",         \
		.rename_quietly_begin = "PRAGMA legacy_alter_table = ON",       \
		.rename_quietly_end = "PRAGMA legacy_alter_table = OFF",        \
		.foreign_keys_off = "PRAGMA foreign_keys = OFF",                \
		.foreign_keys_on = "PRAGMA foreign_keys = ON",                  \
		.foreign_keys_enabled = "PRAGMA foreign_keys",                  \
		.check_foreign_keys = rt__sqlite_check_foreign_keys,            \
		.rebuild_carry = rt__sqlite_rebuild_carry,                      \
		.check_integrity = rt__sqlite_check_integrity,                  \
		.reflect = rt__sqlite_reflect,                                  \
		.canonicalize = sqlite_canonicalize,                            \
		.same_declared_type = sqlite_same_declared_type,                \
		.table_exists_query = "SELECT 1 FROM sqlite_master "            \
				      "WHERE type = 'table' AND name = ?",      \
		.begin_write = "BEGIN IMMEDIATE",                               \
		.set_lock_wait = sqlite_set_lock_wait,                          \
	}

const rt_dialect rt__dialect_sqlite = SQLITE_DIALECT(true);

/* For a library older than 3.35, which has no RETURNING. */
static const rt_dialect sqlite_without_returning = SQLITE_DIALECT(false);

const rt_dialect *rt__dialect_sqlite_runtime(void)
{
	return sqlite3_libversion_number() >= 3035000 ? &rt__dialect_sqlite
						      : &sqlite_without_returning;
}
