/*
 * session.c - sessions: open and close, the connection and transaction a
 * session holds, commit and rollback, savepoints, the undo journal that
 * lets a rollback put objects back as they were, and scoped sessions (one
 * per engine and thread).
 *
 * The journal: before a flush changes an object (inserts, updates or
 * deletes its row, or takes a new snapshot of it), rt__object_journal
 * records its snapshot - the values the database held for it - once per
 * transaction level. Rolling back to a level replays the records of that
 * level and deeper, newest first, then puts every tracked object's fields
 * back to its snapshot, so changes never flushed are undone too, and
 * expunges objects that were new. Nothing is reloaded: a rollback does no
 * I/O beyond the ROLLBACK itself.
 */
#include "orm/flush.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/fiber.h"


/* ------------------------------------------------------------------------ */
/* Open, close, checks                                                       */
/* ------------------------------------------------------------------------ */

int rt_session_open(rt_session **out, rt_engine *engine)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_session_open: out is NULL");
	*out = NULL;
	if (!engine)
		return rt__error_set(RT_EINVAL, "rt_session_open: NULL engine");
	rt_session *session = calloc(1, sizeof(*session));
	if (!session)
		return rt__error_nomem();
	session->engine = engine;
	session->arena = rt__arena_new();
	session->identity = session->arena ? rt__identity_new(session) : NULL;
	if (!session->identity || rt__registry_add(session, sizeof(*session), session) < 0) {
		rt__arena_free(session->arena);
		free(session);
		return rt__error_nomem();
	}
	session->magic = RT_SESSION_MAGIC;
	session->txn = 1;
	*out = session;
	return RT_OK;
}

int rt__session_check(rt_session *session)
{
	if (!session)
		return rt__error_set(RT_EINVAL, "NULL session");
	/* Looked up before it is read: a closed session's memory is gone. */
	if (!rt__registry_has_session(session) || session->magic != RT_SESSION_MAGIC ||
	    session->closed)
		return rt__error_set(RT_EINVAL, "not an open session (closed, or not made by "
					      "rt_session_open)");
	return rt__session_busy(session) ? RT_EINVAL : RT_OK;
}

bool rt__session_busy(const rt_session *session)
{
	/* Its operation's own fiber uses it freely; anyone else would change
	 * what that code, stopped in a wait, is in the middle of. */
	if (!session->async_op ||
	    (session->async_fiber && session->async_fiber == rt__fiber_current()))
		return false;
	rt__error_set(RT_EINVAL, "an operation of the non-blocking API is in flight on this "
				 "session (one at a time: start the next from its done callback)");
	return true;
}

int rt__session_usable(rt_session *session)
{
	int rc = rt__session_check(session);
	if (rc < 0)
		return rc;
	if (session->failed)
		return rt__error_set(RT_EINVAL, "a flush failed in this session's transaction; "
					      "call rt_session_rollback (or roll back the "
					      "savepoint) before using it again");
	return RT_OK;
}

rt_engine *rt_session_engine(rt_session *session)
{
	/* Not refused while an operation is in flight: reading the engine
	 * changes nothing the operation is in the middle of. */
	if (session && rt__registry_has_session(session) && session->magic == RT_SESSION_MAGIC &&
	    !session->closed)
		return session->engine;
	rt__session_check(session); /* records why not */
	return NULL;
}

static void scoped_forget(rt_session *session);

static void journal_clear(rt_session *session)
{
	session->journal_count = 0;
	rt__arena_free(session->journal_arena);
	session->journal_arena = NULL;
	session->txn++;
}

static void savepoints_clear(rt_session *session)
{
	for (int i = 1; i <= session->level && i <= RT_SAVEPOINT_MAX; i++) {
		if (session->savepoints[i])
			session->savepoints[i]->active = false;
		session->savepoints[i] = NULL;
	}
	session->level = 0;
}

void rt_session_close(rt_session *session)
{
	/* A second close, or a pointer that is no session, is ignored:
	 * closing must never be the thing that crashes. */
	if (!session || !rt__registry_has_session(session) || session->magic != RT_SESSION_MAGIC)
		return;
	if (session->closed)
		return; /* closed with an operation in flight: it frees the session */
	if (session->scoped)
		scoped_forget(session);
	session->closed = true;
	if (session->async_op) {
		/* An operation in flight runs on a stack that points into the
		 * session: it is told to end, and frees the session once it
		 * has unwound (rt__session_destroy). */
		session->async_close(session->async_op);
		return;
	}
	rt__session_destroy(session);
}

void rt__session_destroy(rt_session *session)
{
	session->closed = true;
	session->magic = 0;
	/* Unregistered first: from here no object of this session passes
	 * rt__object_header. */
	rt__registry_remove_session(session);
	if (session->conn)
		rt__engine_release(session->engine, session->conn); /* rolls back */
	session->conn = NULL;
	rt__flush_cache_free(session);
	rt__identity_free(session->identity);
	free(session->objects);
	free(session->journal);
	rt__arena_free(session->journal_arena);
	rt__buf_free(&session->scratch);
	rt__object_slabs_free(session);
	rt__arena_free(session->arena);
	free(session);
}

/* ------------------------------------------------------------------------ */
/* Tracked objects                                                           */
/* ------------------------------------------------------------------------ */

int rt__session_track(rt_session *session, rt_object *object)
{
	if (object->tracked)
		return RT_OK;
	if (session->object_count >= UINT32_MAX)
		return rt__error_set(RT_ENOMEM, "a session holds at most %u objects", UINT32_MAX);
	if (session->object_count == session->object_capacity) {
		/* By half again, not double: a session holding 100,000 rows
		 * pays 8 to 12 bytes per row for this list, not 8 to 16. */
		size_t cap = session->object_capacity ? session->object_capacity / 2 * 3 : 256;
		rt_object **grown = realloc(session->objects, cap * sizeof(*grown));
		if (!grown)
			return rt__error_nomem();
		session->objects = grown;
		session->object_capacity = cap;
	}
	object->slot = (uint32_t)session->object_count;
	session->objects[session->object_count++] = object;
	object->tracked = true;
	if (object->state == RT_STATE_PENDING)
		session->pending_count++;
	return RT_OK;
}

void rt__session_untrack(rt_session *session, rt_object *object)
{
	rt__identity_remove(session->identity, object);
	if (!object->tracked)
		return;
	if (object->slot < session->object_count && session->objects[object->slot] == object)
		session->objects[object->slot] = NULL;
	object->tracked = false;
	if (object->state == RT_STATE_PENDING && session->pending_count)
		session->pending_count--;
}

/* ------------------------------------------------------------------------ */
/* Connection and transaction                                                */
/* ------------------------------------------------------------------------ */

int rt__session_conn(rt_session *session, rt_conn **out)
{
	*out = NULL;
	int rc = rt__session_usable(session);
	if (rc < 0)
		return rc;
	bool autocommit = rt__engine_autocommit(session->engine);
	if (!session->conn) {
		/* In autocommit a fiber's session may share its connection
		 * with other fibers' (pool.c): it runs statements only. */
		rc = autocommit ? rt__engine_acquire_shared(session->engine, &session->conn)
				: rt__engine_acquire(session->engine, &session->conn);
		if (rc < 0) {
			session->conn = NULL;
			return rc;
		}
	}
	if (!session->in_transaction && !autocommit) {
		rc = rt_conn_begin(session->conn);
		if (rc < 0) {
			/* A connection that cannot begin is not kept. */
			rt__engine_release(session->engine, session->conn);
			session->conn = NULL;
			return rc;
		}
		session->in_transaction = true;
	}
	*out = session->conn;
	return RT_OK;
}

static void release_conn(rt_session *session)
{
	if (session->conn)
		rt__engine_release(session->engine, session->conn);
	session->conn = NULL;
	session->in_transaction = false;
}

/* ------------------------------------------------------------------------ */
/* The journal                                                               */
/* ------------------------------------------------------------------------ */

static rt_list *copy_collections(rt_session *session, const rt_object *object)
{
	int n = object->model->relationship_count;
	const rt_list *snapshots = rt__more(object)->collection_snapshots;
	if (!snapshots || n == 0)
		return NULL;
	rt_list *copy = rt__arena_alloc(session->journal_arena, (size_t)n * sizeof(*copy));
	if (!copy)
		return NULL;
	for (int i = 0; i < n; i++) {
		const rt_list *from = &snapshots[i];
		copy[i] = *from;
		copy[i].items = NULL;
		copy[i].capacity = from->count;
		if (from->count) {
			copy[i].items = rt__arena_alloc(session->journal_arena,
							from->count * sizeof(void *));
			if (!copy[i].items)
				return NULL;
			memcpy(copy[i].items, from->items, from->count * sizeof(void *));
		}
	}
	return copy;
}

int rt__object_journal(rt_object *object)
{
	rt_session *session = object->session;
	const rt_object_more *had = rt__more(object);
	if (had->journal_txn == session->txn && had->journal_level >= session->level)
		return RT_OK;
	rt_object_more *more = rt__more_make(object);
	if (!more)
		return RT_ENOMEM;
	if (!session->journal_arena && !(session->journal_arena = rt__arena_new()))
		return rt__error_nomem();
	if (session->journal_count == session->journal_capacity) {
		size_t cap = session->journal_capacity ? session->journal_capacity * 2 : 256;
		rt_journal_entry *grown = realloc(session->journal, cap * sizeof(*grown));
		if (!grown)
			return rt__error_nomem();
		session->journal = grown;
		session->journal_capacity = cap;
	}
	rt_journal_entry *e = &session->journal[session->journal_count];
	memset(e, 0, sizeof(*e));
	e->object = object;
	e->level = session->level;
	e->state = object->state;
	e->loaded = rt__rel_loaded_mask(object);
	if (object->state != RT_STATE_PENDING) {
		size_t size = rt__snapshot_size(session, object->model);
		e->snapshot = rt__arena_alloc(session->journal_arena, size);
		if (!e->snapshot)
			return rt__error_nomem();
		memcpy(e->snapshot, rt__object_snapshot(object), size);
		if (more->collection_snapshots &&
		    !(e->collections = copy_collections(session, object)))
			return rt__error_nomem();
	}
	session->journal_count++;
	more->journal_txn = session->txn;
	more->journal_level = session->level;
	return RT_OK;
}

/* An inserted object whose insert is undone: the columns the database
 * filled go back to what rt_object_new gave them, so that adding it
 * again inserts it afresh. */
static void undo_insert(rt_object *object)
{
	const rt_model_desc *model = object->model;
	void *body = RT_OBJECT_BODY(object);
	uint64_t generated = rt__more(object)->generated;
	for (int i = 0; i < model->column_count && i < 64; i++) {
		if (!(generated & ((uint64_t)1 << i)))
			continue;
		const rt_column_desc *c = &model->columns[i];
		if (model->defaults)
			rt__field_copy(c, body, model->defaults);
		else
			rt__field_set_null(c, body);
		rt__field_copy(c, rt__object_snapshot(object), body);
	}
	if (object->more)
		object->more->generated = 0;
	object->persisted = false;
}

static void restore_entry(rt_session *session, rt_journal_entry *e)
{
	rt_object *object = e->object;
	/* A journal entry was made through rt__object_journal, which made the
	 * object's rarely used part. */
	rt_object_more *more = rt__more_make(object);
	if (!more)
		return;
	more->journal_level = -1;
	if (!e->snapshot) {
		/* Inserted at this level: it leaves the session. */
		rt__session_untrack(session, object);
		undo_insert(object);
		object->state = RT_STATE_DETACHED;
		return;
	}
	memcpy(rt__object_snapshot(object), e->snapshot, rt__snapshot_size(session, object->model));
	if (!e->collections) {
		/* No collection was known then: none is now (one loaded since
		 * may hold rows of the undone work). */
		more->collection_snapshots = NULL;
	} else if (!more->collection_snapshots) {
		more->collection_snapshots = rt__arena_alloc(
			session->arena, (size_t)object->model->relationship_count * sizeof(rt_list));
	}
	if (e->collections && more->collection_snapshots) {
		/* Copied out of the journal's memory, which a commit frees. */
		for (int i = 0; i < object->model->relationship_count; i++) {
			rt_list *to = &more->collection_snapshots[i];
			const rt_list *from = &e->collections[i];
			*to = *from;
			to->items = NULL;
			to->capacity = 0;
			if (from->count &&
			    !(to->items = rt__arena_alloc(session->arena, from->count * sizeof(void *)))) {
				to->count = 0;
				to->loaded = false; /* out of memory: reload it */
				continue;
			}
			if (from->count)
				memcpy(to->items, from->items, from->count * sizeof(void *));
			to->capacity = from->count;
		}
	}
	rt__rel_loaded_restore(object, e->loaded);
	object->state = e->state;
	if (object->state == RT_STATE_PERSISTENT || object->state == RT_STATE_DELETED) {
		/* Back in the session (a deleted row, or its key restored). */
		rt__session_track(session, object);
		rt__identity_put(session->identity, object);
	}
}

/* A collection as its snapshot has it (a fresh array in the session). */
static void restore_collection(rt_session *session, rt_object *object, int index)
{
	const rt_relationship_desc *rel = &object->model->relationships[index];
	rt_list *list = (rt_list *)(void *)((char *)RT_OBJECT_BODY(object) + rel->offset);
	rt_object_more *more = object->more;
	const rt_list *snap = more && more->collection_snapshots ? &more->collection_snapshots[index]
								 : NULL;
	memset(list, 0, sizeof(*list));
	if (!snap || !snap->loaded) {
		rt__rel_unmark_loaded(object, index);
		return;
	}
	/* A collection that was not loaded when its snapshot was taken holds
	 * only what the program added: it is not complete now either. */
	list->loaded = !(index < 64 && (more->partial >> index & 1));
	for (size_t i = 0; i < snap->count; i++)
		if (rt__list_append(session, list, snap->items[i]) < 0)
			break; /* out of memory: the collection stays short */
}

/* Every tracked object back to its snapshot; pending ones leave, and so
 * do the ones inserted at `level` or deeper. */
static void restore_objects(rt_session *session, int level)
{
	for (size_t i = 0; i < session->object_count; i++) {
		rt_object *object = session->objects[i];
		if (!object)
			continue;
		if (object->state == RT_STATE_PENDING) {
			rt__session_untrack(session, object);
			object->state = RT_STATE_DETACHED;
			continue;
		}
		rt_object_more *more = object->more;
		if (more && more->inserted_txn == session->txn && more->inserted_level >= level) {
			rt__session_untrack(session, object);
			undo_insert(object);
			object->state = RT_STATE_DETACHED;
			more->inserted_txn = 0;
			continue;
		}
		const rt_model_desc *model = object->model;
		memcpy(RT_OBJECT_BODY(object), rt__object_snapshot(object),
		       rt__snapshot_size(session, model));
		if (more && more->collections_txn == session->txn && more->collections_level >= level) {
			/* Loaded during the undone work: unknown again. */
			more->collection_snapshots = NULL;
			more->collections_txn = 0;
		}
		for (int r = 0; r < model->relationship_count; r++) {
			const rt_relationship_desc *rel = &model->relationships[r];
			if (rel->kind == RT_RELATIONSHIP_ONE_TO_MANY ||
			    rel->kind == RT_RELATIONSHIP_MANY_TO_MANY)
				restore_collection(session, object, r);
		}
		if (object->state == RT_STATE_DELETED)
			object->state = RT_STATE_PERSISTENT;
	}
}

/* Undoes, in memory, everything since level began. */
static void journal_rollback(rt_session *session, int level)
{
	while (session->journal_count > 0 &&
	       session->journal[session->journal_count - 1].level >= level) {
		restore_entry(session, &session->journal[session->journal_count - 1]);
		session->journal_count--;
	}
	restore_objects(session, level);
}

/* ------------------------------------------------------------------------ */
/* Commit and rollback                                                       */
/* ------------------------------------------------------------------------ */

int rt_session_flush(rt_session *session)
{
	int rc = rt__session_usable(session);
	return rc < 0 ? rc : rt__flush(session);
}

int rt_session_commit(rt_session *session)
{
	int rc = rt__session_usable(session);
	if (rc < 0)
		return rc;
	rc = rt__flush(session);
	if (rc < 0)
		return rc;
	if (session->conn && session->in_transaction) {
		rc = rt_conn_commit(session->conn);
		if (rc < 0) {
			/* A deferred constraint failed at COMMIT: the program
			 * rolls back, as after a failed flush. */
			session->failed = true;
			session->failed_level = 0;
			return rt__error_wrap("commit");
		}
	}
	release_conn(session);
	savepoints_clear(session);
	journal_clear(session);
	return RT_OK;
}

int rt_session_rollback(rt_session *session)
{
	int rc = rt__session_check(session);
	if (rc < 0)
		return rc;
	if (session->conn && session->in_transaction && session->conn->in_transaction)
		rc = rt_conn_rollback(session->conn);
	/* Even when the ROLLBACK itself failed (a broken connection), the
	 * transaction is over: the connection goes back to the pool, which
	 * closes a broken one, and the objects are restored. */
	release_conn(session);
	if (rt__engine_autocommit(session->engine)) {
		/* What was flushed is committed: the objects keep it. Only
		 * what was not flushed is undone (pending objects leave,
		 * changed fields go back to what the database holds); the
		 * journal is dropped unreplayed, and the objects inserted are
		 * no longer of the transaction that ends (journal_clear). */
		journal_clear(session);
		restore_objects(session, 0);
	} else {
		journal_rollback(session, 0);
	}
	savepoints_clear(session);
	journal_clear(session);
	session->failed = false;
	return rc < 0 ? rt__error_wrap("rollback") : RT_OK;
}

/* ------------------------------------------------------------------------ */
/* Savepoints                                                                */
/* ------------------------------------------------------------------------ */

int rt_session_begin_nested(rt_savepoint **out, rt_session *session)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_session_begin_nested: out is NULL");
	*out = NULL;
	int rc = rt__session_usable(session);
	if (rc < 0)
		return rc;
	if (session->level >= RT_SAVEPOINT_MAX)
		return rt__error_set(RT_EINVAL, "more than %d nested savepoints", RT_SAVEPOINT_MAX);
	if (rt__engine_autocommit(session->engine))
		return rt__error_set(RT_EINVAL, "rt_session_begin_nested: the engine is in autocommit "
						"(isolation_level=autocommit): there is no transaction to "
						"hold a savepoint");
	rc = rt__flush(session);
	rt_conn *conn;
	if (rc == RT_OK)
		rc = rt__session_conn(session, &conn);
	if (rc < 0)
		return rc;
	/* In the session's registered memory, never freed before the
	 * session: a released savepoint stays readable, so using it again is
	 * an error, and one of a closed session is recognised as such. */
	rt_savepoint *savepoint = rt__session_registered_alloc(session, sizeof(*savepoint));
	if (!savepoint)
		return RT_ENOMEM;
	savepoint->session = session;
	savepoint->level = session->level + 1;
	snprintf(savepoint->name, sizeof(savepoint->name), "sa_%d", savepoint->level);
	char sql[64];
	snprintf(sql, sizeof(sql), "SAVEPOINT %s", savepoint->name);
	rc = rt_conn_execute(conn, sql);
	if (rc < 0)
		return rc;
	savepoint->active = true;
	session->level = savepoint->level;
	session->savepoints[savepoint->level] = savepoint;
	*out = savepoint;
	return RT_OK;
}

static int savepoint_check(rt_savepoint *savepoint, const char *what)
{
	if (!savepoint)
		return rt__error_set(RT_EINVAL, "%s: NULL savepoint", what);
	if (!rt__registry_owner(savepoint, sizeof(*savepoint)))
		return rt__error_set(RT_EINVAL, "%s: not a savepoint of an open session (its session "
					      "was closed?)", what);
	int rc = rt__session_check(savepoint->session);
	if (rc < 0)
		return rt__error_wrap("%s", what);
	if (!savepoint->active)
		return rt__error_set(RT_EINVAL, "%s: the savepoint was already released or rolled "
					      "back (or its transaction ended)", what);
	if (savepoint->level != savepoint->session->level)
		return rt__error_set(RT_EINVAL, "%s: savepoint %s is not the innermost one (%d "
					      "are open); release or roll back those inside it first",
				     what, savepoint->name, savepoint->session->level);
	return RT_OK;
}

int rt_savepoint_release(rt_savepoint *savepoint)
{
	int rc = savepoint_check(savepoint, "rt_savepoint_release");
	if (rc < 0)
		return rc;
	rt_session *session = savepoint->session;
	rc = rt__session_usable(session);
	if (rc == RT_OK)
		rc = rt__flush(session);
	if (rc < 0)
		return rc;
	char sql[64];
	snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT %s", savepoint->name);
	rc = rt_conn_execute(session->conn, sql);
	if (rc < 0)
		return rc;
	/* Its undo records and its inserts now belong to the enclosing level. */
	int level = savepoint->level;
	for (size_t i = 0; i < session->object_count; i++) {
		rt_object *object = session->objects[i];
		rt_object_more *more = object ? object->more : NULL;
		if (more && more->inserted_txn == session->txn && more->inserted_level >= level)
			more->inserted_level = level - 1;
	}
	for (size_t i = session->journal_count; i > 0; i--) {
		rt_journal_entry *e = &session->journal[i - 1];
		if (e->level < level)
			break;
		e->level = level - 1;
		rt_object_more *more = e->object->more;
		if (more && more->journal_txn == session->txn && more->journal_level >= level)
			more->journal_level = level - 1;
	}
	savepoint->active = false;
	session->savepoints[level] = NULL;
	session->level = level - 1;
	return RT_OK;
}

int rt_savepoint_rollback(rt_savepoint *savepoint)
{
	int rc = savepoint_check(savepoint, "rt_savepoint_rollback");
	if (rc < 0)
		return rc;
	rt_session *session = savepoint->session;
	int level = savepoint->level;
	if (session->failed && session->failed_level < level)
		return rt__error_set(RT_EINVAL, "rt_savepoint_rollback: the failed flush happened "
					      "outside this savepoint; call rt_session_rollback");
	char sql[64];
	snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT %s", savepoint->name);
	rc = session->conn ? rt_conn_execute(session->conn, sql)
			   : rt__error_set(RT_EINVAL, "rt_savepoint_rollback: no transaction");
	if (rc < 0)
		return rc;
	journal_rollback(session, level);
	savepoint->active = false;
	session->savepoints[level] = NULL;
	session->level = level - 1;
	session->failed = false;
	return RT_OK;
}

/* ------------------------------------------------------------------------ */
/* Scoped sessions                                                           */
/* ------------------------------------------------------------------------ */

/* Per engine: a thread-local key holding each thread's session, and the
 * list of them all so that freeing the engine closes them. */
typedef struct scoped_state {
	rt_engine *engine;
	pthread_key_t key;
	pthread_mutex_t lock;
	rt_session **sessions;
	size_t count, capacity;
} scoped_state;

static pthread_mutex_t scoped_create_lock = PTHREAD_MUTEX_INITIALIZER;

static void scoped_list_remove(scoped_state *state, rt_session *session)
{
	pthread_mutex_lock(&state->lock);
	for (size_t i = 0; i < state->count; i++) {
		if (state->sessions[i] == session) {
			state->sessions[i] = state->sessions[--state->count];
			break;
		}
	}
	pthread_mutex_unlock(&state->lock);
}

/* A thread ended without rt_session_scoped_remove: close its session. */
static void scoped_thread_exit(void *value)
{
	rt_session *session = value;
	if (rt__registry_has_session(session) && session->magic == RT_SESSION_MAGIC)
		rt_session_close(session);
}

/* The engine is being freed: close every scoped session. */
static void scoped_destroy(void *value)
{
	scoped_state *state = value;
	pthread_key_delete(state->key);
	while (state->count > 0) {
		rt_session *session = state->sessions[state->count - 1];
		session->scoped = false;
		state->count--;
		rt_session_close(session);
	}
	pthread_mutex_destroy(&state->lock);
	free(state->sessions);
	free(state);
}

static scoped_state *scoped_get(rt_engine *engine, bool create)
{
	pthread_mutex_lock(&scoped_create_lock);
	scoped_state *state = rt__engine_scoped_state(engine);
	if (!state && create) {
		state = calloc(1, sizeof(*state));
		if (state && pthread_key_create(&state->key, scoped_thread_exit) != 0) {
			free(state);
			state = NULL;
		}
		if (state) {
			state->engine = engine;
			pthread_mutex_init(&state->lock, NULL);
			if (rt__engine_set_scoped_state(engine, state, scoped_destroy) < 0) {
				pthread_key_delete(state->key);
				pthread_mutex_destroy(&state->lock);
				free(state);
				state = NULL;
			}
		}
	}
	pthread_mutex_unlock(&scoped_create_lock);
	return state;
}

/* Called by rt_session_close for a scoped session closed directly. */
static void scoped_forget(rt_session *session)
{
	session->scoped = false;
	scoped_state *state = scoped_get(session->engine, false);
	if (!state)
		return;
	scoped_list_remove(state, session);
	if (pthread_getspecific(state->key) == session)
		pthread_setspecific(state->key, NULL);
}

int rt_session_scoped(rt_session **out, rt_engine *engine)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_session_scoped: out is NULL");
	*out = NULL;
	if (!engine)
		return rt__error_set(RT_EINVAL, "rt_session_scoped: NULL engine");
	scoped_state *state = scoped_get(engine, true);
	if (!state)
		return rt__error_nomem();
	rt_session *session = pthread_getspecific(state->key);
	if (session) {
		*out = session;
		return RT_OK;
	}
	int rc = rt_session_open(&session, engine);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&state->lock);
	if (state->count == state->capacity) {
		size_t cap = state->capacity ? state->capacity * 2 : 8;
		rt_session **grown = realloc(state->sessions, cap * sizeof(*grown));
		if (grown) {
			state->sessions = grown;
			state->capacity = cap;
		}
	}
	bool added = state->count < state->capacity;
	if (added)
		state->sessions[state->count++] = session;
	pthread_mutex_unlock(&state->lock);
	if (!added || pthread_setspecific(state->key, session) != 0) {
		if (added)
			scoped_list_remove(state, session);
		rt_session_close(session);
		return rt__error_nomem();
	}
	session->scoped = true;
	*out = session;
	return RT_OK;
}

void rt_session_scoped_remove(rt_engine *engine)
{
	if (!engine)
		return;
	scoped_state *state = scoped_get(engine, false);
	if (!state)
		return;
	rt_session *session = pthread_getspecific(state->key);
	if (session)
		rt_session_close(session); /* forgets itself (scoped_forget) */
}
