/*
 * orm.h - internals shared by the ORM's files: the header every mapped
 * object carries, the session, and the calls between the session (unit of
 * work, identity map), the value codec and the queries.
 *
 * Files:
 *   values.c    field <-> driver value, rt_value_ref, date/time/uuid text
 *   object.c    object memory, header, setters, link/unlink
 *   identity.c  identity map (model + primary key -> object)
 *   session.c   open/close, transactions, savepoints, the undo journal
 *   flush.c     unit of work: order, INSERT/UPDATE/DELETE, cascades
 *   load.c      rows -> objects, get, refresh, relationship loading
 *   query*.c    expressions, SQL compilation, results, eager loading
 *   rows.c      raw SQL and aggregate rows
 */
#ifndef RT_ORM_ORM_H
#define RT_ORM_ORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "dialect/dialect.h"
#include "engine/engine.h"
#include "retort/orm.h"

/* Where an object stands in its session (SQLAlchemy's object states). */
typedef enum rt_object_state {
	RT_STATE_PENDING = 1, /* made by rt_object_new, not yet inserted */
	RT_STATE_PERSISTENT,  /* has a row; in the identity map */
	RT_STATE_DELETED,     /* rt_object_delete called, not yet flushed */
	RT_STATE_GONE,        /* its DELETE was flushed */
	RT_STATE_DETACHED     /* expunged, or inserted by a rolled-back transaction */
} rt_object_state;

#define RT_OBJECT_MAGIC 0x52544f42u /* "RTOB" */

/*
 * Every object lives right after this header in session memory, so the
 * session, model and state of any `User *` are one subtraction away and
 * the generated functions need no session argument. The magic number lets
 * the API reject a pointer the session did not make (a stack struct, an
 * object of another session) with an error instead of a crash.
 */
typedef struct rt_object {
	uint32_t magic;
	rt_object_state state;
	rt_session *session;
	const rt_model_desc *model;
	/* The field values as of the last load or flush: a flush writes the
	 * columns whose values differ from it (UPDATE ... SET only those). */
	void *snapshot;
	/* For each to-many relationship, its items as of the last load or
	 * flush (an rt_list per relationship, NULL until loaded): the flush
	 * inserts and deletes association rows and sets children's keys from
	 * the difference. */
	rt_list *collection_snapshots;
	uint64_t loaded;           /* bit i: relationship i has been loaded */
	bool expired;              /* take the database's values on next load */
	bool in_dirty_scan;        /* on session->objects (all tracked objects) */
	int journal_level;         /* deepest transaction level with an undo entry */
	struct rt_object *next_new;/* pending objects, in the order they were made */
} rt_object;

/* The struct of an object and back. */
#define RT_OBJECT_BODY(header) ((void *)((char *)(header) + rt__object_header_size()))
size_t rt__object_header_size(void);
/* The header of a struct made by a session, or NULL (error recorded:
 * RT_EINVAL) when the pointer is not one, or belongs to a closed session. */
rt_object *rt__object_header(const void *body);

/*
 * One undo record: what an object looked like before the transaction at
 * `level` first changed it (0 = the outermost transaction, 1 = the first
 * savepoint, ...). Rolling back to a level restores every record at that
 * level or deeper; releasing a savepoint folds its records into the level
 * below.
 */
typedef struct rt_journal_entry {
	rt_object *object;
	int level;
	rt_object_state state;  /* the state to restore */
	void *fields;           /* copy of the struct (model->size bytes) */
	void *snapshot;         /* copy of the snapshot */
} rt_journal_entry;

struct rt_savepoint {
	rt_session *session;
	int level;               /* 1 for the first savepoint */
	char name[32];           /* sa_1, sa_2, ... */
};

struct rt_session {
	uint32_t magic;          /* RT_SESSION_MAGIC while open */
	rt_engine *engine;
	rt_arena *arena;         /* every object, string and snapshot */
	rt_conn *conn;           /* from the pool on first use, NULL before */
	bool in_transaction;
	int level;               /* open savepoints */
	bool closed;

	/* Identity map: (model, primary key) -> object header. */
	struct rt_identity_map *identity;

	/* Every tracked object, for the dirty scan at flush; pending ones in
	 * creation order. */
	rt_object **objects;
	size_t object_count, object_capacity;
	rt_object *first_new, *last_new;

	rt_journal_entry *journal;
	size_t journal_count, journal_capacity;

	rt_savepoint *savepoints[64];

	/* Scratch text for keys and SQL, reused across calls. */
	rt_buf scratch;
};

#define RT_SESSION_MAGIC 0x52545345u /* "RTSE" */

/* Fails with RT_EINVAL when session is NULL or closed. */
int rt__session_check(rt_session *session);
/* The session's connection, taken from the pool and with a transaction
 * begun on first use. */
int rt__session_conn(rt_session *session, rt_conn **out);

/* --- values.c ------------------------------------------------------------ */

/* Binds field `column` of object body to parameter index (1-based). */
int rt__field_bind(rt_stmt *stmt, int index, const rt_model_desc *model, int column,
		   const void *body);
/* Binds a query value (kind checked against column when column is not
 * NULL; the enum type is taken from it). */
int rt__value_bind(rt_stmt *stmt, int index, const rt_value_ref *value,
		   const rt_column_desc *column);
/* Reads result column `result_column` of the current row of stmt into
 * field `column` of body; strings and blobs are copied into arena. */
int rt__field_read(rt_stmt *stmt, int result_column, const rt_model_desc *model, int column,
		   void *body, rt_arena *arena);
/* true when the field holds the same value in a and b (text compared by
 * content, not pointer). */
bool rt__field_equal(const rt_column_desc *column, const void *a, const void *b);
/* true when the field is SQL NULL. */
bool rt__field_is_null(const rt_column_desc *column, const void *body);
/* The field as a query value (pointing into body). */
rt_value_ref rt__field_value(const rt_column_desc *column, const void *body);
/* Appends a readable form of the field, for messages ("42", "'bob'"). */
void rt__field_describe(rt_buf *buf, const rt_column_desc *column, const void *body);
/* SQLite-compatible text forms (as SQLAlchemy writes them: always six
 * fraction digits; uuid as 32 hex digits). */
void rt__timestamp_format_fixed(char *out, rt_timestamp value);
void rt__time_format_fixed(char *out, rt_time value);
void rt__uuid_format_hex(char *out, rt_uuid value);

/* --- identity.c ---------------------------------------------------------- */

struct rt_identity_map *rt__identity_new(rt_arena *arena);
/* The object of model whose primary key fields equal those of body, or NULL. */
rt_object *rt__identity_find(struct rt_identity_map *map, const rt_model_desc *model,
			     const void *body);
int rt__identity_put(struct rt_identity_map *map, rt_object *object);
void rt__identity_remove(struct rt_identity_map *map, rt_object *object);

/* --- object.c ------------------------------------------------------------ */

/* Allocates a zeroed object of model in the session (no defaults, not
 * tracked); its snapshot too. */
int rt__object_alloc(rt_session *session, const rt_model_desc *model, rt_object **out);
/* Starts tracking a loaded object as persistent: identity map, snapshot. */
int rt__object_track_persistent(rt_session *session, rt_object *object);
/* Copies the current fields into the snapshot (after load or flush). */
void rt__object_take_snapshot(rt_object *object);
/* Records the object's current state in the undo journal at the session's
 * level, once per level; called before a flush writes it. */
int rt__object_journal(rt_object *object);
/* The relationship called name on model, or NULL with RT_EINVAL recorded. */
const rt_relationship_desc *rt__relationship_find(const rt_model_desc *model, const char *name,
						  int *index);
/* Appends to a collection in session memory (no back-side update). */
int rt__list_append(rt_session *session, rt_list *list, void *item);
bool rt__list_contains(const rt_list *list, const void *item);
void rt__list_remove(rt_list *list, const void *item);

/* --- load.c -------------------------------------------------------------- */

/* The columns of model for a SELECT, each as "alias"."column", separated
 * by commas, in model->columns order. */
void rt__select_columns(rt_buf *sql, const rt_dialect *dialect, const rt_model_desc *model,
			const char *alias);
/* Turns the current row of stmt, whose columns from first_column on are
 * the model's columns in order, into an object: the identity map's object
 * when the session has it (its fields kept unless expired), else a new
 * persistent one. */
int rt__object_from_row(rt_session *session, const rt_model_desc *model, rt_stmt *stmt,
			int first_column, void **out_body);
/* Fills a collection or pointer of many objects of one model in a
 * batched SELECT ... WHERE key IN (...): the selectin strategy, used by
 * rt_object_load and by eager queries. */
int rt__load_relationship_many(rt_session *session, const rt_model_desc *model, int relationship,
			       void *const *bodies, size_t count);

/* --- flush.c ------------------------------------------------------------- */

int rt__flush(rt_session *session);

#endif
