/*
 * engine.c - the public face of engines, connections and statements
 * (retort/engine.h); the schema operations that need a database are
 * engine_schema.c's.
 *
 * An engine is a parsed URL, its dialect and a pool of connections
 * (pool.c); every call below goes through the dialect's table, so nothing
 * here knows which database it talks to.
 *
 * With echo on, each execution of a statement is logged once, at its first
 * step, with the values bound to it:
 *     retort.engine SELECT id FROM users WHERE name = ?
 *     retort.engine [params] ('bob')
 * The URL shown (there and in every error) is the masked one. Bound values
 * are only recorded while echo is on, so the bind path costs nothing more
 * when it is off.
 */
#include "engine/engine.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/workers.h"
#include "dialect/registry.h"
#include "engine/url.h"
#include "sql/ddl.h"

static void echo(const rt_engine *engine, const char *what, const char *sql)
{
	if (engine->echo)
		fprintf(engine->echo_stream, "retort.engine %s%s\n", what, sql);
}

void rt__echo_sql(rt_engine *engine, const char *sql)
{
	echo(engine, "", sql);
}

/* Longest text or number shown whole in a [params] line. */
#define ECHO_VALUE_MAX 80

/* Appends a value as the [params] line shows it. */
static void echo_format(rt_buf *buf, const rt_value *value)
{
	switch (value->type) {
	case RT_VALUE_NULL:
		rt__buf_puts(buf, "NULL");
		break;
	case RT_VALUE_INT64:
		rt__buf_printf(buf, "%" PRId64, value->i);
		break;
	case RT_VALUE_DOUBLE:
		rt__buf_printf(buf, "%.17g", value->d);
		break;
	case RT_VALUE_BOOL:
		rt__buf_puts(buf, value->i ? "true" : "false");
		break;
	case RT_VALUE_TEXT: {
		size_t len = value->len;
		if (len > ECHO_VALUE_MAX) {
			len = ECHO_VALUE_MAX;
			while (len > 0 && ((unsigned char)value->s[len] & 0xC0) == 0x80)
				len--; /* not in the middle of a UTF-8 character */
		}
		rt__buf_putc(buf, '\'');
		for (size_t i = 0; i < len; i++) {
			if (value->s[i] == '\'')
				rt__buf_putc(buf, '\'');
			rt__buf_putc(buf, value->s[i]);
		}
		rt__buf_putc(buf, '\'');
		if (len < value->len)
			rt__buf_printf(buf, "... (%zu bytes)", value->len);
		break;
	}
	case RT_VALUE_BLOB:
		rt__buf_printf(buf, "<blob %zu bytes>", value->len);
		break;
	}
}

/* Keeps the text of a bound value for the next [params] line. */
static void echo_record(rt_stmt *stmt, int index, const rt_value *value)
{
	rt_echo_params *p = &stmt->echo;
	if (index < 1 || index > 65535)
		return;
	if (index > p->count) {
		rt_buf *grown = realloc(p->values, (size_t)index * sizeof(*grown));
		if (!grown)
			return; /* echo is best effort; the bind itself went through */
		for (int i = p->count; i < index; i++) {
			grown[i] = (rt_buf)RT_BUF_INIT;
			rt__buf_puts(&grown[i], "NULL");
		}
		p->values = grown;
		p->count = index;
	}
	rt__buf_clear(&p->values[index - 1]);
	echo_format(&p->values[index - 1], value);
}

void rt__echo_params(rt_stmt *stmt)
{
	rt_echo_params *p = &stmt->echo;
	if (!p->count)
		return;
	FILE *out = stmt->conn->engine->echo_stream;
	fputs("retort.engine [params] (", out);
	for (int i = 0; i < p->count; i++) {
		const char *text = rt__buf_failed(&p->values[i]) ? "?" : rt__buf_cstr(&p->values[i]);
		fprintf(out, "%s%s", i ? ", " : "", text ? text : "?");
	}
	fputs(")\n", out);
}

/* The statement's SQL and values, once per execution (its first step). */
static void echo_execution(rt_stmt *stmt)
{
	FILE *out = stmt->conn->engine->echo_stream;
	flockfile(out); /* the two lines stay together when threads log at once */
	echo(stmt->conn->engine, "", stmt->sql);
	rt__echo_params(stmt);
	funlockfile(out);
}

int rt__conn_check(rt_conn *conn, int rc)
{
	if (rc == RT_ECONNECT)
		conn->broken = true;
	return rc;
}

/* --- engines ------------------------------------------------------------------ */

int rt_engine_open(rt_engine **out, const char *url, const rt_engine_options *opts)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_engine_open: out is NULL");
	*out = NULL;
	if (opts && (opts->version < 1 || opts->version > RT_ENGINE_OPTIONS_VERSION))
		return rt__error_set(RT_EINVAL, "rt_engine_open: unknown options version %d",
				     opts->version);
	rt_arena *arena = rt__arena_new();
	rt_engine *engine = arena ? rt__arena_alloc(arena, sizeof(*engine)) : NULL;
	if (!engine) {
		rt__arena_free(arena);
		return rt__error_nomem();
	}
	engine->arena = arena;
	int rc = rt__url_parse(&engine->params, arena, url);
	if (rc < 0) {
		rt__arena_free(arena);
		return rc;
	}
	engine->url_masked = engine->params.masked_url;
	engine->dialect = rt__dialect_find(engine->params.scheme);
	if (!engine->dialect) {
		rc = rt__backend_error(engine->params.scheme, "database", engine->url_masked);
		rt__arena_free(arena);
		return rc;
	}
	if (opts && opts->version >= 3 && opts->isolation_level) {
		rc = rt__isolation_level(&engine->params.autocommit, opts->isolation_level);
		if (rc < 0) {
			rt__arena_free(arena);
			return rt__error_wrap("rt_engine_open");
		}
	}
	engine->echo = opts ? opts->echo : 0;
	engine->echo_stream = opts && opts->version >= 2 && opts->echo_stream ? opts->echo_stream
									       : stderr;
	rc = rt__engine_setup_read(engine, opts);
	if (rc == RT_OK)
		rc = rt__pool_init(engine, opts);
	if (rc < 0) {
		rt__arena_free(arena);
		return rc;
	}
	*out = engine;
	return RT_OK;
}

void rt_engine_free(rt_engine *engine)
{
	if (!engine)
		return;
	/* Work in flight on the engine's connections (operations of the
	 * non-blocking API) ends first, each closer taking itself off the
	 * list; its operations give their connections back as they unwind. */
	for (;;) {
		pthread_mutex_lock(&engine->pool.mutex);
		rt_engine_closer *closer = engine->closers;
		if (closer) {
			engine->closers = closer->next;
			if (closer->next)
				closer->next->prev = NULL;
			closer->prev = closer->next = NULL;
		}
		pthread_mutex_unlock(&engine->pool.mutex);
		if (!closer)
			break;
		closer->close(closer->ctx);
	}
	/* Scoped sessions give their connections back to the pool first. */
	if (engine->scoped_destroy)
		engine->scoped_destroy(engine->scoped_state);
	engine->scoped_destroy = NULL;
	engine->scoped_state = NULL;
	rt__pool_destroy(engine);
	rt__workers_free(engine->workers);
	rt__arena_free(engine->arena);
}

rt_workers *rt__engine_workers(rt_engine *engine)
{
	pthread_mutex_lock(&engine->pool.mutex);
	/* One thread per connection the pool may open: a job that waits for
	 * another connection's lock (SQLite's busy timeout) must never keep
	 * the job that would release it from running. */
	if (!engine->workers)
		rt__workers_new(&engine->workers, engine->pool.size);
	rt_workers *w = engine->workers;
	pthread_mutex_unlock(&engine->pool.mutex);
	return w;
}

/* The offload hook of every operation's fiber (fiber.h): its job runs on
 * the engine's workers, made on first use, so a driver of a server never
 * starts a thread until it has a blocking call to hand over (a cancel
 * request). Without workers (no thread could start) the job runs here,
 * blocking, which is what the blocking API does anyway. */
int rt__engine_offload(void *ctx, int (*job)(void *arg), void *arg)
{
	rt_workers *workers = rt__engine_workers(ctx);
	if (!workers)
		return job(arg);
	return rt__workers_offload(workers, job, arg);
}

void rt__engine_add_closer(rt_engine *engine, rt_engine_closer *closer)
{
	pthread_mutex_lock(&engine->pool.mutex);
	closer->prev = NULL;
	closer->next = engine->closers;
	if (engine->closers)
		engine->closers->prev = closer;
	engine->closers = closer;
	pthread_mutex_unlock(&engine->pool.mutex);
}

void rt__engine_remove_closer(rt_engine *engine, rt_engine_closer *closer)
{
	pthread_mutex_lock(&engine->pool.mutex);
	if (closer->prev)
		closer->prev->next = closer->next;
	else if (engine->closers == closer)
		engine->closers = closer->next;
	if (closer->next)
		closer->next->prev = closer->prev;
	closer->prev = closer->next = NULL;
	pthread_mutex_unlock(&engine->pool.mutex);
}

void rt__engine_set_must_exist(rt_engine *engine)
{
	if (engine)
		engine->params.must_exist = true;
}

int rt__engine_set_scoped_state(rt_engine *engine, void *state, void (*destroy)(void *state))
{
	if (!engine)
		return rt__error_set(RT_EINVAL, "scoped state: NULL engine");
	pthread_mutex_lock(&engine->pool.mutex);
	engine->scoped_state = state;
	engine->scoped_destroy = destroy;
	pthread_mutex_unlock(&engine->pool.mutex);
	return RT_OK;
}

void *rt__engine_scoped_state(rt_engine *engine)
{
	if (!engine)
		return NULL;
	pthread_mutex_lock(&engine->pool.mutex);
	void *state = engine->scoped_state;
	pthread_mutex_unlock(&engine->pool.mutex);
	return state;
}

const char *rt_engine_dialect(const rt_engine *engine)
{
	return engine ? engine->dialect->name : NULL;
}

const char *rt_engine_url(const rt_engine *engine)
{
	return engine ? engine->url_masked : NULL;
}

/* --- connections -------------------------------------------------------------------- */

int rt_conn_open(rt_conn **out, rt_engine *engine)
{
	if (!out || !engine)
		return rt__error_set(RT_EINVAL, "rt_conn_open: NULL argument");
	*out = NULL;
	return rt__conn_create(engine, out);
}

int rt__conn_create(rt_engine *engine, rt_conn **out)
{
	*out = NULL;
	rt_conn *conn = calloc(1, sizeof(*conn));
	if (!conn)
		return rt__error_nomem();
	conn->engine = engine;
	conn->dialect = engine->dialect;
	echo(engine, "connect ", engine->url_masked);
	int rc = conn->dialect->connect(&conn->driver, &engine->params);
	if (rc < 0) {
		free(conn);
		return rc;
	}
	rc = rt__conn_setup(conn);
	if (rc < 0) {
		rt__conn_destroy(conn);
		return rc;
	}
	*out = conn;
	return RT_OK;
}

/* A connection taken from the pool goes back to it. */
void rt_conn_close(rt_conn *conn)
{
	if (!conn)
		return;
	if (conn->pooled)
		rt__engine_release(conn->engine, conn);
	else
		rt__conn_destroy(conn);
}

void rt__conn_destroy(rt_conn *conn)
{
	if (!conn)
		return;
	rt__stmt_cache_free(conn);
	conn->dialect->disconnect(conn->driver);
	free(conn);
}

int rt_conn_execute(rt_conn *conn, const char *sql)
{
	if (!conn || !sql)
		return rt__error_set(RT_EINVAL, "rt_conn_execute: NULL argument");
	echo(conn->engine, "", sql);
	return rt__conn_check(conn, conn->dialect->exec(conn->driver, sql));
}

int rt_conn_begin(rt_conn *conn)
{
	if (!conn)
		return rt__error_set(RT_EINVAL, "rt_conn_begin: NULL connection");
	if (conn->in_transaction)
		return rt__error_set(RT_EINVAL, "a transaction is already open on this connection");
	/* The dialect may send it with the next statement (dialect.h). */
	echo(conn->engine, "", "BEGIN");
	int rc = conn->dialect->begin
			 ? rt__conn_check(conn, conn->dialect->begin(conn->driver))
			 : rt__conn_check(conn, conn->dialect->exec(conn->driver, "BEGIN"));
	if (rc == RT_OK)
		conn->in_transaction = 1;
	return rc;
}

int rt_conn_commit(rt_conn *conn)
{
	if (!conn)
		return rt__error_set(RT_EINVAL, "rt_conn_commit: NULL connection");
	if (!conn->in_transaction)
		return rt__error_set(RT_EINVAL, "no transaction is open on this connection");
	/* A failed COMMIT (a deferred constraint) leaves the transaction to be
	 * rolled back by the caller. */
	int rc = rt_conn_execute(conn, "COMMIT");
	if (rc == RT_OK)
		conn->in_transaction = 0;
	return rc;
}

int rt_conn_rollback(rt_conn *conn)
{
	if (!conn)
		return rt__error_set(RT_EINVAL, "rt_conn_rollback: NULL connection");
	if (!conn->in_transaction)
		return rt__error_set(RT_EINVAL, "no transaction is open on this connection");
	conn->in_transaction = 0;
	return rt_conn_execute(conn, "ROLLBACK");
}

/* --- statements ----------------------------------------------------------------------- */

int rt_stmt_prepare(rt_stmt **out, rt_conn *conn, const char *sql)
{
	if (!out || !conn || !sql)
		return rt__error_set(RT_EINVAL, "rt_stmt_prepare: NULL argument");
	*out = NULL;
	rt_driver_stmt *driver = NULL;
	int rc = rt__conn_check(conn, conn->dialect->prepare(&driver, conn->driver, sql));
	if (rc < 0)
		return rc;
	rc = rt__stmt_wrap(conn, driver, sql, out);
	if (rc < 0)
		conn->dialect->finalize(driver);
	return rc;
}

int rt__stmt_wrap(rt_conn *conn, rt_driver_stmt *driver, const char *sql, rt_stmt **out)
{
	*out = NULL;
	size_t len = strlen(sql);
	/* The SQL text lives right after the struct: one allocation. */
	rt_stmt *stmt = calloc(1, sizeof(*stmt) + len + 1);
	if (!stmt)
		return rt__error_nomem();
	char *text = (char *)(stmt + 1);
	memcpy(text, sql, len + 1);
	stmt->sql = text;
	stmt->conn = conn;
	stmt->driver = driver;
	*out = stmt;
	return RT_OK;
}

static void clear_scratch(rt_stmt *stmt)
{
	for (int i = 0; i < stmt->scratch_count; i++)
		rt__buf_clear(&stmt->scratch[i]);
}

/* A statement of the connection's cache stays there (only rewound): the
 * cache finalizes it when the connection closes. */
void rt_stmt_finalize(rt_stmt *stmt)
{
	if (!stmt)
		return;
	if (stmt->cached)
		rt_stmt_reset(stmt);
	else
		rt__stmt_destroy(stmt);
}

void rt__stmt_destroy(rt_stmt *stmt)
{
	if (!stmt)
		return;
	stmt->conn->dialect->finalize(stmt->driver);
	for (int i = 0; i < stmt->scratch_count; i++)
		rt__buf_free(&stmt->scratch[i]);
	free(stmt->scratch);
	for (int i = 0; i < stmt->echo.count; i++)
		rt__buf_free(&stmt->echo.values[i]);
	free(stmt->echo.values);
	free(stmt);
}

static int bind(rt_stmt *stmt, int index, const rt_value *value)
{
	if (!stmt)
		return rt__error_set(RT_EINVAL, "bind: NULL statement");
	int rc = stmt->conn->dialect->bind(stmt->driver, index, value);
	if (stmt->conn->engine->echo && rc == RT_OK)
		echo_record(stmt, index, value);
	return rc;
}

int rt_stmt_bind_null(rt_stmt *stmt, int index)
{
	rt_value value = {.type = RT_VALUE_NULL};
	return bind(stmt, index, &value);
}

int rt_stmt_bind_int64(rt_stmt *stmt, int index, int64_t v)
{
	rt_value value = {.type = RT_VALUE_INT64, .i = v};
	return bind(stmt, index, &value);
}

int rt_stmt_bind_double(rt_stmt *stmt, int index, double v)
{
	rt_value value = {.type = RT_VALUE_DOUBLE, .d = v};
	return bind(stmt, index, &value);
}

int rt_stmt_bind_bool(rt_stmt *stmt, int index, int v)
{
	rt_value value = {.type = RT_VALUE_BOOL, .i = v != 0};
	return bind(stmt, index, &value);
}

int rt_stmt_bind_text(rt_stmt *stmt, int index, const char *text, ptrdiff_t len)
{
	if (!text)
		return rt_stmt_bind_null(stmt, index);
	rt_value value = {.type = RT_VALUE_TEXT, .s = text,
			  .len = len < 0 ? strlen(text) : (size_t)len};
	return bind(stmt, index, &value);
}

int rt_stmt_bind_blob(rt_stmt *stmt, int index, const void *data, size_t len)
{
	if (!data && len > 0)
		return rt__error_set(RT_EINVAL, "rt_stmt_bind_blob: NULL data of length %zu", len);
	rt_value value = {.type = RT_VALUE_BLOB, .s = data ? data : "", .len = len};
	return bind(stmt, index, &value);
}

int rt__stmt_bind_text_borrowed(rt_stmt *stmt, int index, const char *text, size_t len)
{
	if (!text)
		return rt_stmt_bind_null(stmt, index);
	rt_value value = {.type = RT_VALUE_TEXT, .s = text, .len = len, .borrowed = true};
	return bind(stmt, index, &value);
}

int rt__stmt_bind_blob_borrowed(rt_stmt *stmt, int index, const void *data, size_t len)
{
	if (!data || !len)
		return rt_stmt_bind_blob(stmt, index, data, len);
	rt_value value = {.type = RT_VALUE_BLOB, .s = data, .len = len, .borrowed = true};
	return bind(stmt, index, &value);
}

int rt_stmt_step(rt_stmt *stmt)
{
	if (!stmt)
		return rt__error_set(RT_EINVAL, "rt_stmt_step: NULL statement");
	if (stmt->scratch_count)
		clear_scratch(stmt);
	if (!stmt->started) {
		stmt->started = true;
		if (stmt->conn->engine->echo)
			echo_execution(stmt);
	}
	int rc = stmt->conn->dialect->step(stmt->driver);
	return rc < 0 ? rt__conn_check(stmt->conn, rc) : rc;
}

int rt_stmt_reset(rt_stmt *stmt)
{
	if (!stmt)
		return rt__error_set(RT_EINVAL, "rt_stmt_reset: NULL statement");
	if (stmt->scratch_count)
		clear_scratch(stmt);
	stmt->started = false;
	return rt__conn_check(stmt->conn, stmt->conn->dialect->reset(stmt->driver));
}

uint64_t rt__stmt_changes(rt_stmt *stmt)
{
	if (!stmt || !stmt->conn->dialect->changes)
		return 0;
	return stmt->conn->dialect->changes(stmt->driver);
}

int64_t rt__stmt_rows_held(rt_stmt *stmt)
{
	if (!stmt || !stmt->conn->dialect->rows_held)
		return -1;
	return stmt->conn->dialect->rows_held(stmt->driver);
}

int rt__stmt_param_count(rt_stmt *stmt)
{
	if (!stmt || !stmt->conn->dialect->param_count)
		return -1;
	return stmt->conn->dialect->param_count(stmt->driver);
}

int rt__stmt_set_streaming(rt_stmt *stmt)
{
	if (!stmt)
		return rt__error_set(RT_EINVAL, "set streaming: NULL statement");
	if (!stmt->conn->dialect->set_streaming)
		return RT_OK; /* the driver fetches one row at a time anyway */
	return stmt->conn->dialect->set_streaming(stmt->driver, true);
}

int rt_stmt_column_count(rt_stmt *stmt)
{
	return stmt ? stmt->conn->dialect->column_count(stmt->driver) : 0;
}

const char *rt_stmt_column_name(rt_stmt *stmt, int column)
{
	if (!stmt || column < 0 || column >= rt_stmt_column_count(stmt))
		return NULL;
	return stmt->conn->dialect->column_name(stmt->driver, column);
}

/* The current row's value; a NULL value when the column does not exist
 * (the error is recorded). */
static rt_value column(rt_stmt *stmt, int index)
{
	rt_value value = {.type = RT_VALUE_NULL};
	if (!stmt) {
		rt__error_set(RT_EINVAL, "column read: NULL statement");
		return value;
	}
	if (stmt->conn->dialect->column_value(stmt->driver, index, &value) < 0)
		value.type = RT_VALUE_NULL;
	return value;
}

/* A buffer for column text that lives until the next step. */
static rt_buf *scratch(rt_stmt *stmt, int index)
{
	if (index >= stmt->scratch_count) {
		int count = rt_stmt_column_count(stmt);
		if (index >= count)
			return NULL;
		rt_buf *grown = realloc(stmt->scratch, (size_t)count * sizeof(*grown));
		if (!grown)
			return NULL;
		for (int i = stmt->scratch_count; i < count; i++)
			grown[i] = (rt_buf)RT_BUF_INIT;
		stmt->scratch = grown;
		stmt->scratch_count = count;
	}
	rt__buf_clear(&stmt->scratch[index]);
	return &stmt->scratch[index];
}

int rt_stmt_column_is_null(rt_stmt *stmt, int index)
{
	return column(stmt, index).type == RT_VALUE_NULL;
}

int64_t rt_stmt_column_int64(rt_stmt *stmt, int index)
{
	rt_value v = column(stmt, index);
	switch (v.type) {
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		return v.i;
	case RT_VALUE_DOUBLE:
		return (int64_t)v.d;
	case RT_VALUE_TEXT:
		return strtoll(v.s, NULL, 10);
	default:
		return 0;
	}
}

double rt_stmt_column_double(rt_stmt *stmt, int index)
{
	rt_value v = column(stmt, index);
	switch (v.type) {
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		return (double)v.i;
	case RT_VALUE_DOUBLE:
		return v.d;
	case RT_VALUE_TEXT:
		return strtod(v.s, NULL);
	default:
		return 0.0;
	}
}

int rt_stmt_column_bool(rt_stmt *stmt, int index)
{
	rt_value v = column(stmt, index);
	switch (v.type) {
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		return v.i != 0;
	case RT_VALUE_DOUBLE:
		return v.d != 0.0;
	case RT_VALUE_TEXT:
		return v.s[0] == 't' || v.s[0] == 'T' || v.s[0] == 'y' || v.s[0] == 'Y' ||
		       (v.s[0] >= '1' && v.s[0] <= '9');
	default:
		return 0;
	}
}

const char *rt_stmt_column_text(rt_stmt *stmt, int index)
{
	rt_value v = column(stmt, index);
	if (v.type == RT_VALUE_NULL)
		return NULL;
	if (v.type == RT_VALUE_TEXT)
		return v.s;
	rt_buf *buf = scratch(stmt, index);
	if (!buf) {
		rt__error_nomem();
		return NULL;
	}
	switch (v.type) {
	case RT_VALUE_INT64:
		rt__buf_printf(buf, "%" PRId64, v.i);
		break;
	case RT_VALUE_BOOL:
		rt__buf_puts(buf, v.i ? "true" : "false");
		break;
	case RT_VALUE_DOUBLE:
		rt__buf_printf(buf, "%.17g", v.d);
		break;
	default: /* a blob: the copy is NUL-terminated */
		rt__buf_put(buf, v.s, v.len);
		break;
	}
	if (rt__buf_failed(buf)) {
		rt__error_nomem();
		return NULL;
	}
	return rt__buf_cstr(buf);
}

const void *rt_stmt_column_blob(rt_stmt *stmt, int index, size_t *len)
{
	rt_value v = column(stmt, index);
	if (v.type == RT_VALUE_BLOB || v.type == RT_VALUE_TEXT) {
		if (len)
			*len = v.len;
		return v.s;
	}
	if (v.type == RT_VALUE_NULL) {
		if (len)
			*len = 0;
		return NULL;
	}
	const char *text = rt_stmt_column_text(stmt, index);
	if (len)
		*len = text ? strlen(text) : 0;
	return text;
}
