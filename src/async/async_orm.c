/*
 * async_orm.c - the typed operations of the non-blocking API
 * (retort/async.h): flush, commit, rollback, get, the query results,
 * streaming and relationship loading, each the blocking call of the same
 * name run by rt_async_run on the session's own objects, with its
 * out-parameter handed to a callback typed on it.
 *
 * One operation at a time per session: the session points to its operation
 * (session->async_op) from the start until done is called. While it does,
 * the session refuses every other use but its operation's fiber's
 * (session.c), and rt_session_close only marks it closed and calls
 * session_closed here: the operation is cancelled (or, not started yet,
 * sees the close when it starts), and frees the session when its code has
 * unwound - on its own fiber, where even the rollback of the close does not
 * block the loop - since that code's stack points into the session.
 */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/fiber.h"
#include "orm/orm.h"
#include "orm/query.h"
#include "retort/async.h"

typedef enum op_kind {
	OP_FLUSH,
	OP_COMMIT,
	OP_ROLLBACK,
	OP_GET,
	OP_FIRST,
	OP_ONE,
	OP_ONE_OR_NONE,
	OP_ALL,
	OP_COUNT,
	OP_EXISTS,
	OP_STREAM,
	OP_LOAD
} op_kind;

typedef struct typed_op {
	op_kind kind;
	rt_async_op *op;
	rt_session *session;  /* NULL once the operation freed a closed session */
	rt_query *query;
	const rt_model_desc *model;
	void *object;         /* OP_LOAD: the object whose relationship loads */
	const char *name;     /* OP_LOAD: the relationship (a copy) */
	rt_value_ref *key;    /* OP_GET: a copy of the key */
	rt_arena *arena;      /* the copies */
	bool started;         /* its code runs (or ran) on its fiber */
	bool returned;        /* its code has returned */

	/* Results, handed to the callback when rc is RT_OK. */
	void *result;
	rt_list *list;
	int64_t count;
	bool exists;

	/* The program's callback: one of these, by kind. */
	rt_async_done done;
	rt_async_invoke invoke;
	rt_async_fn typed;
	rt_async_list_done list_done;
	rt_async_count_done count_done;
	rt_async_exists_done exists_done;
	rt_async_row row;
	void *user;
} typed_op;

static const char *const op_names[] = {
	[OP_FLUSH] = "rt_async_session_flush",
	[OP_COMMIT] = "rt_async_session_commit",
	[OP_ROLLBACK] = "rt_async_session_rollback",
	[OP_GET] = "rt_async_object_get",
	[OP_FIRST] = "rt_async_query_first",
	[OP_ONE] = "rt_async_query_one",
	[OP_ONE_OR_NONE] = "rt_async_query_one_or_none",
	[OP_ALL] = "rt_async_query_all",
	[OP_COUNT] = "rt_async_query_count",
	[OP_EXISTS] = "rt_async_query_exists",
	[OP_STREAM] = "rt_async_query_stream",
	[OP_LOAD] = "rt_async_object_load",
};

static int closed_error(void)
{
	return rt__error_set(RT_ECANCELED, "the session was closed with the operation in flight");
}

/* --- on the operation's fiber ---------------------------------------------------- */

static int stream_rows(typed_op *t)
{
	int rc = rt_query_stream(t->query);
	while (rc == RT_OK) {
		void *object = NULL;
		rc = rt_query_next(t->query, &object);
		if (rc == RT_DONE)
			return RT_OK;
		if (rc != RT_ROW)
			break;
		rc = t->row(object, t->user);
		if (rc == RT_DONE)
			rc = RT_OK;
		else if (rc == RT_OK)
			continue;
		else if (rc > 0)
			rc = rt__error_set(RT_EINVAL, "rt_async_query_stream: the row callback "
						      "returned %d (RT_OK, RT_DONE or an error)", rc);
		break;
	}
	/* Stopped early or failed: the statement ends here, so the
	 * connection is free for the session's next statement. */
	rt__query_stream_end(t->query);
	return rc;
}

static int run(typed_op *t)
{
	switch (t->kind) {
	case OP_FLUSH:
		return rt_session_flush(t->session);
	case OP_COMMIT:
		return rt_session_commit(t->session);
	case OP_ROLLBACK:
		return rt_session_rollback(t->session);
	case OP_GET:
		return rt_object_get(&t->result, t->session, t->model, t->key);
	case OP_FIRST:
		return rt_query_first(t->query, &t->result);
	case OP_ONE:
		return rt_query_one(t->query, &t->result);
	case OP_ONE_OR_NONE:
		return rt_query_one_or_none(t->query, &t->result);
	case OP_ALL:
		t->list = rt_session_alloc(t->session, sizeof(*t->list));
		if (!t->list)
			return rt__error_nomem();
		return rt_query_all(t->query, t->list);
	case OP_COUNT:
		return rt_query_count(t->query, &t->count);
	case OP_EXISTS:
		return rt_query_exists(t->query, &t->exists);
	case OP_STREAM:
		return stream_rows(t);
	case OP_LOAD:
		return rt_object_load(t->object, t->name);
	}
	return rt__error_set(RT_EINVAL, "unknown operation");
}

static int work(void *arg)
{
	typed_op *t = arg;
	rt_session *session = t->session;
	t->started = true;
	session->async_fiber = rt__fiber_current();
	int rc = session->closed ? closed_error() : run(t);
	session->async_fiber = NULL;
	if (session->closed) {
		/* Closed meanwhile: this code has unwound, so the session can
		 * go. Its rollback waits here, on the fiber (at once when the
		 * operation was cancelled: the connection is then dropped). */
		rc = closed_error();
		rt__session_destroy(session);
		t->session = NULL;
	}
	t->returned = true;
	return rc;
}

/* --- on the loop's side ------------------------------------------------------------- */

/* rt_session_close with the operation in flight (session->closed is set). */
static void session_closed(void *arg)
{
	typed_op *t = arg;
	/* Not started: it runs, finds the session closed and frees it, its
	 * waits still real, so the rollback is a clean one. Started: its
	 * current wait ends now. */
	if (t->started && !t->returned)
		rt_async_cancel(t->op);
}

static void invoke_plain(rt_async_fn done, rt_async_op *op, int rc, void *object, void *user)
{
	((rt_async_object_done)done)(op, rc, object, user);
}

static void finished(rt_async_op *op, int rc, void *user)
{
	typed_op *t = user;
	rt_session *session = t->session;
	if (session) {
		session->async_op = NULL;
		session->async_close = NULL;
		if (session->closed) {
			/* Closed while its code was not running: it never ran
			 * (cancelled before it started), or had returned. Nothing
			 * points into the session. An open transaction's
			 * connection is dropped rather than rolled back here,
			 * which would wait on the loop's thread. What the work
			 * read went with the session, so done gets RT_ECANCELED
			 * in every case. */
			if (session->conn && session->in_transaction)
				session->conn->broken = true;
			rt__session_destroy(session);
			rc = closed_error();
		}
	}
	bool ok = rc == RT_OK;
	switch (t->kind) {
	case OP_GET:
	case OP_FIRST:
	case OP_ONE:
	case OP_ONE_OR_NONE:
		t->invoke(t->typed, op, rc, ok ? t->result : NULL, t->user);
		break;
	case OP_ALL:
		t->list_done(op, rc, ok ? t->list : NULL, t->user);
		break;
	case OP_COUNT:
		t->count_done(op, rc, ok ? t->count : 0, t->user);
		break;
	case OP_EXISTS:
		t->exists_done(op, rc, ok && t->exists, t->user);
		break;
	default:
		if (t->done)
			t->done(op, rc, t->user);
		break;
	}
	rt__arena_free(t->arena);
	free(t);
}

/* --- starting ----------------------------------------------------------------------- */

static typed_op *op_new(op_kind kind)
{
	typed_op *t = calloc(1, sizeof(*t));
	if (!t) {
		rt__error_nomem();
		return NULL;
	}
	t->kind = kind;
	return t;
}

static void op_free(typed_op *t)
{
	if (t) {
		rt__arena_free(t->arena);
		free(t);
	}
}

/* Runs t on its session, or fails at once (t freed either way on failure). */
static int start(rt_async *async, rt_async_op **out, typed_op *t)
{
	rt_session *session = t->session;
	/* Refuses a closed session and a busy one (RT_EINVAL). */
	int rc = rt__session_check(session);
	if (rc < 0) {
		op_free(t);
		return rc;
	}
	rc = rt_async_run(async, &t->op, work, t, finished, t);
	if (rc < 0) {
		op_free(t);
		return rc;
	}
	session->async_op = t;
	session->async_close = session_closed;
	if (out)
		*out = t->op;
	return RT_OK;
}

static int start_session_op(rt_async *async, rt_async_op **out, rt_session *session,
			    op_kind kind, rt_async_done done, void *user)
{
	if (out)
		*out = NULL;
	if (!done)
		return rt__error_set(RT_EINVAL, "%s: done is NULL", op_names[kind]);
	typed_op *t = op_new(kind);
	if (!t)
		return RT_ENOMEM;
	t->session = session;
	t->done = done;
	t->user = user;
	return start(async, out, t);
}

/* A query operation: the query's session, and its model checked against
 * the one a typed callback expects (NULL: any). */
static typed_op *query_op(op_kind kind, rt_query *query, const rt_model_desc *model, void *user,
			  bool has_done)
{
	const char *what = op_names[kind];
	if (!query) {
		rt__error_set(RT_EINVAL, "%s: NULL query", what);
		return NULL;
	}
	if (!has_done) {
		rt__error_set(RT_EINVAL, "%s: done is NULL", what);
		return NULL;
	}
	if (model && query->model != model) {
		rt__error_set(RT_EINVAL, "%s: the query is of %s, the callback takes %s", what,
			      query->model ? query->model->name : "no model", model->name);
		return NULL;
	}
	typed_op *t = op_new(kind);
	if (!t)
		return NULL;
	t->query = query;
	t->session = query->session;
	t->model = query->model;
	t->user = user;
	return t;
}

static int start_object_query(rt_async *async, rt_async_op **out, op_kind kind, rt_query *query,
			      const rt_model_desc *model, rt_async_invoke invoke, rt_async_fn done,
			      void *user)
{
	if (out)
		*out = NULL;
	typed_op *t = query_op(kind, query, model, user, invoke && done);
	if (!t)
		return rt_error_last()->code;
	t->invoke = invoke;
	t->typed = done;
	return start(async, out, t);
}

/* --- the API ------------------------------------------------------------------------ */

int rt_async_session_flush(rt_async *async, rt_async_op **op, rt_session *session,
			   rt_async_done done, void *user)
{
	return start_session_op(async, op, session, OP_FLUSH, done, user);
}

int rt_async_session_commit(rt_async *async, rt_async_op **op, rt_session *session,
			    rt_async_done done, void *user)
{
	return start_session_op(async, op, session, OP_COMMIT, done, user);
}

int rt_async_session_rollback(rt_async *async, rt_async_op **op, rt_session *session,
			      rt_async_done done, void *user)
{
	return start_session_op(async, op, session, OP_ROLLBACK, done, user);
}

/* Copies the key's values, strings and blobs into t's arena. */
static int copy_key(typed_op *t, const rt_model_desc *model, const rt_value_ref *key)
{
	int count = model->primary_key_count;
	t->arena = rt__arena_new();
	t->key = t->arena ? rt__arena_alloc(t->arena, (size_t)count * sizeof(*t->key)) : NULL;
	if (!t->key)
		return rt__error_nomem();
	for (int i = 0; i < count; i++) {
		rt_value_ref v = key[i];
		switch (v.kind) {
		case RT_FIELD_TEXT:
		case RT_FIELD_NUMERIC:
		case RT_FIELD_JSON:
			if (v.as.s && !(v.as.s = rt__arena_strdup(t->arena, v.as.s)))
				return rt__error_nomem();
			break;
		case RT_FIELD_BLOB:
			if (v.as.bytes.data) {
				void *copy = rt__arena_alloc(t->arena, v.as.bytes.len + 1);
				if (!copy)
					return rt__error_nomem();
				memcpy(copy, v.as.bytes.data, v.as.bytes.len);
				v.as.bytes.data = copy;
			}
			break;
		default:
			break;
		}
		t->key[i] = v;
	}
	return RT_OK;
}

int rt_async_object_get_as(rt_async *async, rt_async_op **op, rt_session *session,
			   const rt_model_desc *model, const rt_value_ref *key,
			   rt_async_invoke invoke, rt_async_fn done, void *user)
{
	if (op)
		*op = NULL;
	if (!model || model->version != RT_MODEL_DESC_VERSION || !key || !invoke || !done)
		return rt__error_set(RT_EINVAL, "rt_async_object_get: a model, a key and done are "
						"needed");
	if (model->primary_key_count < 1)
		return rt__error_set(RT_EINVAL, "rt_async_object_get: model %s has no primary key",
				     model->name);
	typed_op *t = op_new(OP_GET);
	if (!t)
		return RT_ENOMEM;
	t->session = session;
	t->model = model;
	t->invoke = invoke;
	t->typed = done;
	t->user = user;
	int rc = copy_key(t, model, key);
	if (rc < 0) {
		op_free(t);
		return rc;
	}
	return start(async, op, t);
}

int rt_async_object_get(rt_async *async, rt_async_op **op, rt_session *session,
			const rt_model_desc *model, const rt_value_ref *key,
			rt_async_object_done done, void *user)
{
	return rt_async_object_get_as(async, op, session, model, key, invoke_plain,
				      (rt_async_fn)done, user);
}

int rt_async_query_first_as(rt_async *async, rt_async_op **op, rt_query *query,
			    const rt_model_desc *model, rt_async_invoke invoke, rt_async_fn done,
			    void *user)
{
	return start_object_query(async, op, OP_FIRST, query, model, invoke, done, user);
}

int rt_async_query_one_as(rt_async *async, rt_async_op **op, rt_query *query,
			  const rt_model_desc *model, rt_async_invoke invoke, rt_async_fn done,
			  void *user)
{
	return start_object_query(async, op, OP_ONE, query, model, invoke, done, user);
}

int rt_async_query_one_or_none_as(rt_async *async, rt_async_op **op, rt_query *query,
				  const rt_model_desc *model, rt_async_invoke invoke,
				  rt_async_fn done, void *user)
{
	return start_object_query(async, op, OP_ONE_OR_NONE, query, model, invoke, done, user);
}

int rt_async_query_first(rt_async *async, rt_async_op **op, rt_query *query,
			 rt_async_object_done done, void *user)
{
	return start_object_query(async, op, OP_FIRST, query, NULL, invoke_plain,
				  (rt_async_fn)done, user);
}

int rt_async_query_one(rt_async *async, rt_async_op **op, rt_query *query,
		       rt_async_object_done done, void *user)
{
	return start_object_query(async, op, OP_ONE, query, NULL, invoke_plain,
				  (rt_async_fn)done, user);
}

int rt_async_query_one_or_none(rt_async *async, rt_async_op **op, rt_query *query,
			       rt_async_object_done done, void *user)
{
	return start_object_query(async, op, OP_ONE_OR_NONE, query, NULL, invoke_plain,
				  (rt_async_fn)done, user);
}

int rt_async_query_all(rt_async *async, rt_async_op **op, rt_query *query,
		       rt_async_list_done done, void *user)
{
	if (op)
		*op = NULL;
	typed_op *t = query_op(OP_ALL, query, NULL, user, done != NULL);
	if (!t)
		return rt_error_last()->code;
	t->list_done = done;
	return start(async, op, t);
}

int rt_async_query_count(rt_async *async, rt_async_op **op, rt_query *query,
			 rt_async_count_done done, void *user)
{
	if (op)
		*op = NULL;
	typed_op *t = query_op(OP_COUNT, query, NULL, user, done != NULL);
	if (!t)
		return rt_error_last()->code;
	t->count_done = done;
	return start(async, op, t);
}

int rt_async_query_exists(rt_async *async, rt_async_op **op, rt_query *query,
			  rt_async_exists_done done, void *user)
{
	if (op)
		*op = NULL;
	typed_op *t = query_op(OP_EXISTS, query, NULL, user, done != NULL);
	if (!t)
		return rt_error_last()->code;
	t->exists_done = done;
	return start(async, op, t);
}

int rt_async_query_stream(rt_async *async, rt_async_op **op, rt_query *query, rt_async_row row,
			  rt_async_done done, void *user)
{
	if (op)
		*op = NULL;
	if (!row)
		return rt__error_set(RT_EINVAL, "rt_async_query_stream: row is NULL");
	typed_op *t = query_op(OP_STREAM, query, NULL, user, done != NULL);
	if (!t)
		return rt_error_last()->code;
	t->row = row;
	t->done = done;
	return start(async, op, t);
}

int rt_async_object_load(rt_async *async, rt_async_op **op, void *object, const char *name,
			 rt_async_done done, void *user)
{
	if (op)
		*op = NULL;
	if (!name || !done)
		return rt__error_set(RT_EINVAL, "rt_async_object_load: a relationship name and done "
						"are needed");
	rt_session *session = rt_object_session(object);
	if (!session)
		return rt_error_last()->code;
	typed_op *t = op_new(OP_LOAD);
	if (!t)
		return RT_ENOMEM;
	t->session = session;
	t->object = object;
	t->done = done;
	t->user = user;
	t->arena = rt__arena_new();
	t->name = t->arena ? rt__arena_strdup(t->arena, name) : NULL;
	if (!t->name) {
		op_free(t);
		return rt__error_nomem();
	}
	return start(async, op, t);
}
