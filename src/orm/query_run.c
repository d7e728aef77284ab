/*
 * query_run.c - running a query for objects: first, one, one_or_none,
 * all, count, exists, and streaming.
 *
 * Every run first writes the session's pending changes (autoflush, as
 * SQLAlchemy does), so a query sees what the program did. The compiled
 * SQL goes through the connection's statement cache, so running the same
 * shape of query again reuses its prepared statement. Rows become objects
 * through the identity map (rt__object_from_row); eager options are
 * loaded after the main rows, one statement per relationship and chunk.
 *
 * Streaming is different: the query gets a statement of its own (so that
 * other queries may run between two rows on SQLite), asks the driver for
 * one row at a time (PostgreSQL's single-row mode), and reads each row
 * into one detached object that the next row overwrites. Its text and
 * blob fields live in a small arena that is renewed as rows go by, so the
 * memory used does not grow with the number of rows.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/query.h"

/* A streamed row's strings are kept until this many bytes have been used
 * for them, then their arena is renewed: memory stays bounded, and most
 * rows cost no allocation at all. */
#define STREAM_ARENA_LIMIT (256 * 1024)

/* Flushes, compiles and binds: *out is ready to step. */
static int start(rt_query *query, rt_select_shape shape, int64_t limit_cap, rt_stmt **out)
{
	*out = NULL;
	int rc = rt__query_check(query);
	if (rc < 0)
		return rc;
	rc = rt__session_check(query->session);
	if (rc < 0)
		return rc;
	if (shape == RT_SELECT_OBJECTS)
		rc = rt__query_lock_begin(query);
	if (rc == RT_OK)
		rc = rt__flush(query->session);
	if (rc < 0)
		return rc;
	rc = rt__query_compile(query, shape, limit_cap);
	if (rc < 0)
		return rc;
	rt_conn *conn;
	rc = rt__session_conn(query->session, &conn);
	if (rc < 0)
		return rc;
	rt_stmt *stmt;
	rc = rt__conn_statement(conn, rt__buf_cstr(&query->sql), &stmt);
	if (rc < 0)
		return rc;
	rc = rt__query_bind(query, stmt);
	if (rc < 0) {
		rt_stmt_reset(stmt);
		return rc;
	}
	*out = stmt;
	return RT_OK;
}

static bool has_joined_eager(const rt_query *query)
{
	for (size_t i = 0; i < query->eager_count; i++)
		if (query->eager[i].joined)
			return true;
	return false;
}

/* Does a joined eager option bring objects of the query's own model? If
 * not, and the identity map is empty as the run begins (a fresh session
 * loading its first objects), every row's object can be made without
 * asking the map: a query gives each of its objects once (a to-many join
 * selects them by key). */
static bool joins_own_model(const rt_query *query)
{
	for (size_t i = 0; i < query->eager_count; i++)
		if (query->eager[i].joined && query->eager[i].model == query->model)
			return true;
	return false;
}

/* Where the rows of a run go: the first `max` of them into `some`, or all
 * of them appended to `list`. Those go to a heap array first and into the
 * list (session memory) once, at its final size: doubling the list in the
 * session's arena would leave every smaller copy behind in it, twice the
 * list's own size for as long as the session lives. */
typedef struct collector {
	rt_list *list;
	void **staged;
	size_t staged_count, staged_cap;
	void *some[2];
	size_t count;
	size_t max;
} collector;

static int collect(rt_query *query, collector *into, void *body)
{
	if (into->list) {
		if (into->staged_count == into->staged_cap) {
			size_t cap = into->staged_cap ? into->staged_cap * 2 : 64;
			void **grown = realloc(into->staged, cap * sizeof(*grown));
			if (!grown)
				return rt__error_nomem();
			into->staged = grown;
			into->staged_cap = cap;
		}
		into->staged[into->staged_count++] = body;
		return RT_OK;
	}
	if (into->count < into->max)
		into->some[into->count] = body;
	into->count++;
	return RT_OK;
}

/* Appends the staged rows to the list, which grows to exactly its new
 * count when it has no room; frees the staging. */
static int unstage(rt_session *session, collector *into)
{
	rt_list *list = into->list;
	size_t n = into->staged_count;
	int rc = RT_OK;
	if (n && list->capacity - list->count < n) {
		void **items = rt__arena_alloc(session->arena, (list->count + n) * sizeof(*items));
		if (!items) {
			rc = rt__error_nomem();
		} else {
			if (list->count)
				memcpy(items, list->items, list->count * sizeof(*items));
			list->items = items;
			list->capacity = list->count + n;
		}
	}
	if (rc == RT_OK && n) {
		memcpy(list->items + list->count, into->staged, n * sizeof(*into->staged));
		list->count += n;
	}
	free(into->staged);
	into->staged = NULL;
	into->staged_count = into->staged_cap = 0;
	return rc;
}

/* The most rows a limit reserves room for before they come: a limit is
 * often a bound no result reaches. */
#define RESERVE_MAX 65536

/* Runs the query and turns its rows into objects, with their eager
 * relationships loaded. */
static int run_objects(rt_query *query, int64_t limit_cap, collector *into)
{
	rt_stmt *stmt;
	int rc = start(query, RT_SELECT_OBJECTS, limit_cap, &stmt);
	if (rc < 0)
		return rc;
	size_t first = into->list ? into->list->count : 0;
	bool joined = has_joined_eager(query);
	bool map_was_empty = rt__identity_count(query->session->identity) == 0;
	bool fresh = map_was_empty && !joins_own_model(query);
	bool special = rt__query_reads_specially(query);
	/* A limit says how many objects a fresh map is to file: its room is
	 * made once, not doubled five times on the way to a page of 1,000. */
	int64_t rows = limit_cap >= 0 && (query->limit < 0 || query->limit > limit_cap)
			       ? limit_cap
			       : query->limit;
	if (fresh && rows > 0 && rows <= RESERVE_MAX)
		rc = rt__identity_reserve(query->session->identity, query->model, (size_t)rows);
	if (rc >= 0)
		rc = rt_stmt_step(stmt);
	/* Without a limit, a driver that holds the whole result says how
	 * many rows it has: the same room made once. */
	if (rc == RT_ROW && fresh && rows < 0) {
		int64_t held = rt__stmt_rows_held(stmt);
		if (held > 0 && (rc = rt__identity_reserve(query->session->identity, query->model,
							   (size_t)held)) >= 0)
			rc = RT_ROW;
	}
	for (; rc == RT_ROW; rc = rt_stmt_step(stmt)) {
		void *body;
		if (special)
			rc = rt__object_from_query_row(query, stmt, &body);
		else if (fresh)
			rc = rt__object_from_new_row(query->session, query->model, stmt, 0, &body);
		else
			rc = rt__object_from_row(query->session, query->model, stmt, 0, &body);
		if (rc == RT_OK && joined)
			rc = rt__eager_read_joined(query, stmt, body);
		if (rc == RT_OK)
			rc = collect(query, into, body);
		if (rc < 0)
			break;
	}
	/* Done with the rows: free the statement for the eager loads and for
	 * the next run. */
	rt_stmt_reset(stmt);
	if (into->list) {
		int put = unstage(query->session, into);
		if (put < 0 && rc == RT_DONE)
			rc = put;
	}
	if (rc != RT_DONE)
		return rc < 0 ? rc : rt__error_set(RT_ERROR, "unexpected step result %d", rc);
	if (query->eager_count == 0)
		return RT_OK;
	if (into->list) {
		if (into->list->count == first)
			return RT_OK; /* no row: items may still be NULL */
		return rt__eager_load(query, into->list->items + first, into->list->count - first,
				      map_was_empty);
	}
	return rt__eager_load(query, into->some, into->count < into->max ? into->count : into->max,
			      map_was_empty);
}

static int out_check(void *out, const char *what)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "%s: out is NULL", what);
	*(void **)out = NULL;
	return RT_OK;
}

int rt_query_first(rt_query *query, void *out)
{
	int rc = out_check(out, "rt_query_first");
	if (rc < 0)
		return rc;
	collector into = {.max = 1};
	rc = run_objects(query, 1, &into);
	if (rc < 0)
		return rc;
	if (into.count == 0)
		return rt__error_set(RT_ENOTFOUND, "no %s matches the query", query->model->name);
	*(void **)out = into.some[0];
	return RT_OK;
}

/* one and one_or_none: at most two rows tell none, one and several apart. */
static int run_one(rt_query *query, void *out, bool none_ok, const char *what)
{
	int rc = out_check(out, what);
	if (rc < 0)
		return rc;
	collector into = {.max = 2};
	rc = run_objects(query, 2, &into);
	if (rc < 0)
		return rc;
	if (into.count > 1)
		return rt__error_set(RT_EMULTIPLE, "%s: more than one %s matches the query", what,
				     query->model->name);
	if (into.count == 0)
		return none_ok ? RT_OK
			       : rt__error_set(RT_ENOTFOUND, "%s: no %s matches the query", what,
					       query->model->name);
	*(void **)out = into.some[0];
	return RT_OK;
}

int rt_query_one(rt_query *query, void *out)
{
	return run_one(query, out, false, "rt_query_one");
}

int rt_query_one_or_none(rt_query *query, void *out)
{
	return run_one(query, out, true, "rt_query_one_or_none");
}

int rt_query_all(rt_query *query, rt_list *out)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_query_all: out is NULL");
	collector into = {.list = out};
	int rc = run_objects(query, -1, &into);
	if (rc == RT_OK)
		out->loaded = true;
	return rc;
}

/* Runs a one-row, one-column query. */
static int run_scalar(rt_query *query, rt_select_shape shape, int64_t *value, bool *row)
{
	rt_stmt *stmt;
	int rc = start(query, shape, -1, &stmt);
	if (rc < 0)
		return rc;
	rc = rt_stmt_step(stmt);
	*row = rc == RT_ROW;
	if (rc == RT_ROW && value)
		*value = rt_stmt_column_int64(stmt, 0);
	rt_stmt_reset(stmt);
	return rc < 0 ? rc : RT_OK;
}

int rt_query_count(rt_query *query, int64_t *out)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_query_count: out is NULL");
	*out = 0;
	bool row;
	return run_scalar(query, RT_SELECT_COUNT, out, &row);
}

int rt_query_exists(rt_query *query, bool *out)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_query_exists: out is NULL");
	*out = false;
	return run_scalar(query, RT_SELECT_EXISTS, NULL, out);
}

/* --- streaming ---------------------------------------------------------------------- */

void rt__query_stream_end(rt_query *query)
{
	rt_stmt_finalize(query->stream);
	query->stream = NULL;
	query->stream_done = true;
}

int rt_query_stream(rt_query *query)
{
	int rc = rt__query_check(query);
	if (rc < 0)
		return rc;
	if (query->eager_count)
		return rt__error_set(RT_EINVAL, "rt_query_stream: streamed objects are not in the "
						"session, so they cannot load relationships eagerly "
						"(load them with rt_query_all, or in pages)");
	rt__query_stream_end(query);
	query->stream_done = false;
	rc = rt__session_check(query->session);
	if (rc == RT_OK)
		rc = rt__query_lock_begin(query);
	if (rc == RT_OK)
		rc = rt__flush(query->session);
	if (rc == RT_OK)
		rc = rt__query_compile(query, RT_SELECT_OBJECTS, -1);
	rt_conn *conn = NULL;
	if (rc == RT_OK)
		rc = rt__session_conn(query->session, &conn);
	if (rc == RT_OK)
		rc = rt_stmt_prepare(&query->stream, conn, rt__buf_cstr(&query->sql));
	if (rc == RT_OK)
		rc = rt__stmt_set_streaming(query->stream);
	if (rc == RT_OK)
		rc = rt__query_bind(query, query->stream);
	if (rc == RT_OK && !query->stream_object) {
		rc = rt__object_alloc(query->session, query->model, &query->stream_object);
		if (rc == RT_OK)
			query->stream_object->state = RT_STATE_DETACHED;
	}
	if (rc < 0) {
		rt__query_stream_end(query);
		return rc;
	}
	query->stream_done = false;
	return RT_OK;
}

/* Reads the current row into the stream's object. */
static int stream_read(rt_query *query)
{
	if (!query->stream_arena || rt__arena_used(query->stream_arena) > STREAM_ARENA_LIMIT) {
		rt__arena_free(query->stream_arena);
		if (!(query->stream_arena = rt__arena_new()))
			return rt__error_nomem();
	}
	const rt_model_desc *model = query->model;
	void *body = RT_OBJECT_BODY(query->stream_object);
	memset(body, 0, model->size);
	for (int i = 0, position = 0; i < model->column_count; i++) {
		if (!rt__query_reads(query, i))
			continue; /* load_only: left zero */
		int rc = rt__field_read(query->stream, position++, model, i, body,
					query->stream_arena);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

int rt_query_next(rt_query *query, void *out)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_query_next: out is NULL");
	*(void **)out = NULL;
	int rc = rt__query_check(query);
	if (rc < 0)
		return rc;
	if (query->stream_done)
		return RT_DONE;
	if (!query->stream)
		return rt__error_set(RT_EINVAL, "rt_query_next: call rt_query_stream first");
	rc = rt_stmt_step(query->stream);
	if (rc == RT_ROW) {
		rc = stream_read(query);
		if (rc == RT_OK) {
			*(void **)out = RT_OBJECT_BODY(query->stream_object);
			return RT_ROW;
		}
	}
	/* The end, or an error: give the connection back to other queries. */
	rt__query_stream_end(query);
	return rc;
}
