/*
 * orm.h - internals shared by the ORM's files: the header every mapped
 * object carries, the session, and the calls between the session (unit of
 * work, identity map), the value codec and the queries.
 *
 * Files:
 *   values.c    field <-> driver value
 *   values_text.c  date/time/uuid text forms, rt_value_ref constructors
 *   object_memory.c  slabs, the layout of an object, rt__session_memory
 *   object.c    header checks, new objects, link/unlink
 *   object_set.c  setters, rt_object_mark_set
 *   identity.c  identity map (model + primary key -> object)
 *   session.c   open/close, transactions, savepoints, the undo journal
 *   flush.c     unit of work: plan, order, cascades, rt_object_delete
 *   flush_write.c  its statements: INSERT/UPDATE/DELETE, association rows
 *   load.c      rows -> objects, get, refresh, relationship loading
 *   query*.c    expressions, SQL compilation, results, eager loading
 *   rows.c      raw SQL and aggregate rows
 *   joined.c, flush_joined.c  joined-table inheritance: reads, writes
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

/* The kinds of statement the ORM has each connection remember by model
 * (rt__conn_statement_for): one value per builder. */
enum { RT_SQL_GET_BY_KEY = 1 };

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
 * What an object needs only now and then: collections, inserts, load-only
 * columns, assigned marks. A loaded object that is only read or updated
 * never needs it, so it is not part of every header: the header stays
 * small (a session may hold millions of loaded rows) and this part is made
 * on first need (rt__more_make), in the slab with a new object and in the
 * session arena for a loaded one. Read it through rt__more, which gives
 * the defaults when there is none.
 */
typedef struct rt_object_more {
	/* For each to-many relationship, its items as of the last load or
	 * flush (an rt_list per relationship, NULL until loaded): the flush
	 * inserts and deletes association rows and sets children's keys from
	 * the difference. */
	rt_list *collection_snapshots;
	uint64_t loaded;           /* bit i: relationship i (16..63) has been loaded */
	/* Bit i: the snapshot of collection i was taken while the collection
	 * was not loaded (it holds only what the program added): a rollback
	 * restores those items, and the collection stays unloaded. */
	uint64_t partial;
	/* The transaction and level of the last load of a collection: a
	 * rollback to that level or below forgets the collections (a load
	 * may hold rows of the undone work), whether or not the object has a
	 * journal entry there. */
	uint64_t collections_txn;
	int collections_level;
	/* Columns left out of its INSERT (read back from the database), bit
	 * per column; restored to their new-object values when the insert is
	 * rolled back. */
	uint64_t generated;
	/* Columns a load-only query left unloaded, bit per column
	 * (load_only.c): zero in body and snapshot, never written back. */
	uint64_t unloaded;
	/* Columns the program marked as set (object_set.c), a bit per column,
	 * NULL until the first mark: an INSERT writes them even when they
	 * hold the new-object value of a server-default column. */
	uint64_t *assigned;
	/* The transaction and level that inserted it: a rollback to that
	 * level or below expunges it (no journal entry per new row). */
	uint64_t inserted_txn;
	int inserted_level;
} rt_object_more;

/*
 * Every object lives right after this header in session memory, so the
 * session, model and state of any `User *` are one subtraction away and
 * the generated functions need no session argument. The magic number lets
 * the API reject a pointer the session did not make (a stack struct, an
 * object of another session) with an error instead of a crash.
 *
 * The header is 48 bytes on purpose: it is paid for every loaded row.
 * Behind the struct follows its snapshot (rt__object_snapshot): the
 * columns and to-one pointers as of the last load or flush, which a flush
 * compares with (UPDATE ... SET only what differs); the struct's
 * collections are not in it (they have snapshots of their own, in `more`).
 */
typedef struct rt_object {
	uint32_t magic;
	uint8_t state;             /* rt_object_state */
	bool expired : 1;          /* take the database's values on next load */
	bool in_identity : 1;      /* filed in the identity map under identity_hash */
	bool tracked : 1;          /* on session->objects, at index `slot` */
	bool persisted : 1;        /* has (had) a row: inserted or loaded */
	/* Scratch of a running flush (flush.c): visit state, index of its
	 * model (its key dependencies are the run's: rt_flush_run.first_dep). */
	uint8_t flush_state;
	uint16_t flush_model;
	/* Bit i: relationship i has been loaded, for the first 16 (the rest
	 * in more->loaded): rt__rel_loaded and friends. A to-one loaded for
	 * every row of a query must not cost every row its `more`. */
	uint16_t loaded;
	uint32_t slot;
	/* Undo journal: 1 + the index in session->journal of its newest
	 * entry, 0 for none. The entry is this object's current one while it
	 * is within the journal's count and names this object: a commit or
	 * rollback that empties the journal needs no pass over the objects
	 * (session.c). Here, not in `more`, because an update of a loaded row
	 * journals it, and that must not cost the row its `more`. */
	uint32_t journal_index;
	uint32_t identity_hash;
	rt_session *session;
	const rt_model_desc *model;
	rt_object_more *more;      /* NULL until needed (above) */
} rt_object;

/* The rarely used part of an object's header, or the defaults (all zero)
 * when it has none. */
extern const rt_object_more rt__object_more_none;
static inline const rt_object_more *rt__more(const rt_object *object)
{
	return object->more ? object->more : &rt__object_more_none;
}
/* The rarely used part, made on first need; NULL when out of memory
 * (recorded). */
rt_object_more *rt__more_make(rt_object *object);
/* Whether relationship index of object has been loaded (its pointer or
 * collection holds what the database has); marking it (RT_ENOMEM only
 * past the first 16); unmarking it; all of them as a mask, and back (the
 * undo journal). Relationships past 63 are never marked. */
bool rt__rel_loaded(const rt_object *object, int index);
int rt__rel_mark_loaded(rt_object *object, int index);
void rt__rel_unmark_loaded(rt_object *object, int index);
uint64_t rt__rel_loaded_mask(const rt_object *object);
void rt__rel_loaded_restore(rt_object *object, uint64_t mask);

/* The struct of an object and back. */
#define RT_OBJECT_BODY(header) ((void *)((char *)(header) + sizeof(rt_object)))
/* The snapshot of an object (rt_object): after its struct, which is
 * rounded up to 8 bytes, the most any field needs. */
static inline void *rt__object_snapshot(const rt_object *object)
{
	return (char *)RT_OBJECT_BODY(object) + ((object->model->size + 7) & ~(size_t)7);
}
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
	void *snapshot;         /* copy of the snapshot (the values to restore);
				 * NULL for an object inserted at this level */
	rt_list *collections;   /* copies of the collection snapshots, or NULL */
	uint64_t loaded;
} rt_journal_entry;

struct rt_savepoint {
	rt_session *session;
	int level;               /* 1 for the first savepoint */
	bool active;             /* false once released or rolled back */
	char name[32];           /* sa_1, sa_2, ... */
};

#define RT_SAVEPOINT_MAX 64
#define RT_SNAPSHOT_SIZES 8

struct rt_session {
	uint32_t magic;          /* RT_SESSION_MAGIC while open */
	rt_engine *engine;
	rt_arena *arena;         /* every string, snapshot and collection */
	rt_conn *conn;           /* from the pool on first use, NULL before */
	bool in_transaction;
	int level;               /* open savepoints */
	bool closed;
	/* A flush failed at level failed_level: the database transaction may
	 * be aborted, so everything but a rollback is refused until then. */
	bool failed;
	int failed_level;
	bool flushing;           /* inside rt__flush (no nested autoflush) */
	bool has_deletes;        /* rt_object_delete since the last flush */
	bool scoped;             /* owned by the engine's scoped registry */
	uint64_t txn;            /* counts transactions, for the journal */

	/* Object memory: slabs of headers + structs, registered so that any
	 * pointer can be checked before its header is read (object_memory.c). */
	struct rt_slab *slabs;
	char *slab_next, *slab_end;

	/* Identity map: (model, primary key) -> object header. */
	struct rt_identity_map *identity;

	/* Every object the session tracks (pending, persistent, deleted), in
	 * the order they were made or loaded; NULL holes where objects left,
	 * squeezed out by the next flush. */
	rt_object **objects;
	size_t object_count, object_capacity;
	size_t pending_count;    /* pending objects among them */

	rt_journal_entry *journal;
	size_t journal_count, journal_capacity;
	rt_arena *journal_arena; /* the entries' copies; freed at commit */

	rt_savepoint *savepoints[RT_SAVEPOINT_MAX + 1];

	/* SQL of the flush's statements, per (model, kind, column set). */
	struct rt_sql_cache *sql_cache;
	/* The tables of the joined-table models flushed (joined.c), in the
	 * arena. */
	struct rt_joined_cache *joined_parts;

	/* Scratch text for keys and SQL, reused across calls. */
	rt_buf scratch;

	/* Snapshot sizes of the models met (rt__snapshot_size), a small
	 * direct-mapped cache by model. */
	const rt_model_desc *snapshot_models[RT_SNAPSHOT_SIZES];
	size_t snapshot_sizes[RT_SNAPSHOT_SIZES];

	/* An operation of the non-blocking API in flight on this session
	 * (src/async/async_orm.c), or NULL: one at a time. Only its own fiber
	 * (async_fiber, once it runs) may use the session meanwhile. A close
	 * meanwhile marks the session closed and calls async_close, which
	 * ends the operation; the operation frees the session
	 * (rt__session_destroy) once its code has unwound, since its stack
	 * still points into it. */
	void *async_op;
	void (*async_close)(void *async_op);
	struct rt_fiber *async_fiber;

	/* Lifecycle hooks of this session (hooks.c), run after the engine's;
	 * NULL until one is added. */
	struct rt_hook_list *hooks;
};

#define RT_SESSION_MAGIC 0x52545345u /* "RTSE" */

/* --- hooks.c: lifecycle hooks and validators ------------------------------ */

typedef struct rt_hook_list rt_hook_list;
/* Whether the session or its engine has a hook for event (cheap). */
bool rt__hooks_any(const rt_session *session, rt_hook_event event);
/* Runs the engine's, then the session's hooks of event for object; the
 * first failure's code, with its message naming event, model and key. */
int rt__hooks_run(rt_session *session, rt_hook_event event, rt_object *object);
/* Runs the engine's, then the session's hooks of a set-based write of
 * model (count: the rows it matched; -1 before it). */
int rt__bulk_hooks_run(rt_session *session, rt_bulk_event event, const rt_model_desc *model,
		       int64_t count);
/* "id=42" of the key of body, for messages (flush_write.c). */
void rt__describe_key(rt_buf *buf, const rt_model_desc *model, const void *body);
/* Sets a date, time or timestamp field to now (object.c). */
void rt__field_set_now(const rt_column_desc *column, void *body, rt_timestamp now);

/* Frees a session rt_session_close has marked closed: rolls back and gives
 * the connection back, frees every object. */
void rt__session_destroy(rt_session *session);

/* Appends a table's name quoted: "schema"."table", or "table" when schema
 * is NULL (a model's schema, rt_model_desc; query_sql.c). */
void rt__sql_table(rt_buf *sql, const rt_dialect *d, const char *schema, const char *table);
/* Fails with RT_EINVAL when session is NULL or closed, or busy (below). */
int rt__session_check(rt_session *session);
/* Whether an operation of the non-blocking API is in flight on session and
 * this code is not that operation's (error recorded: RT_EINVAL). */
bool rt__session_busy(const rt_session *session);
/* The session's connection, taken from the pool and with a transaction
 * begun on first use. */
int rt__session_conn(rt_session *session, rt_conn **out);

/* The session of an object after rt__object_header checked it; fails with
 * RT_EINVAL when that session cannot take work (closed, or a failed flush
 * waiting for its rollback). */
int rt__session_usable(rt_session *session);
/* Adds an object to session->objects. */
int rt__session_track(rt_session *session, rt_object *object);
/* Takes an object off session->objects (and out of the identity map). */
void rt__session_untrack(rt_session *session, rt_object *object);

/* --- values.c ------------------------------------------------------------ */

/* Binds field `column` of object body to parameter index (1-based). Its
 * text or bytes are bound in place where the driver can (rt_value.borrowed):
 * they must stay as they are until the statement is next reset. */
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
/* Sets the field to SQL NULL (zero when the column is NOT NULL). */
void rt__field_set_null(const rt_column_desc *column, void *body);
/* What each field kind is in a struct (values.c's table): its name for
 * messages, the bytes of its plain field and, for the kinds a nullable
 * column wraps in {bool present; T value;}, the wrapper's bytes and the
 * value's place in it (opt_size 0: NULL through the value itself). */
typedef struct rt_field_kind_info {
	const char *name;
	uint8_t size;
	uint8_t opt_size;
	uint8_t opt_value;
} rt_field_kind_info;
extern const rt_field_kind_info rt__field_kinds[RT_FIELD_ARRAY + 1];

static inline const rt_field_kind_info *rt__field_kind(rt_field_kind kind)
{
	return (unsigned)kind <= RT_FIELD_ARRAY ? &rt__field_kinds[kind] : &rt__field_kinds[0];
}
static inline const char *rt__field_kind_name(rt_field_kind kind)
{
	return (unsigned)kind <= RT_FIELD_ARRAY ? rt__field_kinds[kind].name : "unknown";
}
static inline size_t rt__field_plain_size(rt_field_kind kind)
{
	return rt__field_kind(kind)->size;
}
/* True when the column's field is a nullable wrapper (its first member
 * the present flag). */
static inline bool rt__field_wrapped(const rt_column_desc *column)
{
	return (column->flags & RT_COLUMN_NULLABLE) && rt__field_kind(column->kind)->opt_size;
}
/* The address of the value inside a nullable wrapper (or the field). */
static inline const void *rt__field_value_address(const rt_column_desc *column,
						   const void *body)
{
	const char *field = (const char *)body + column->offset;
	return rt__field_wrapped(column) ? field + rt__field_kind(column->kind)->opt_value : field;
}
/* Sets a nullable wrapper's present flag; nothing for other fields. */
static inline void rt__field_set_present(const rt_column_desc *column, void *body,
					 bool present)
{
	if (rt__field_wrapped(column))
		*(bool *)(void *)((char *)body + column->offset) = present;
}
/* Where the field of column ends in its struct (its offset plus the
 * size of the value or of its nullable wrapper). */
size_t rt__field_end(const rt_column_desc *column);
/* Sets column `to` of `to_body` from column `from` of `from_body` (a key
 * copied along a relationship; the two may differ in nullability). */
void rt__field_assign(const rt_column_desc *to, void *to_body, const rt_column_desc *from,
		      const void *from_body);
/* Copies one field (shallow: strings and blobs are shared). */
void rt__field_copy(const rt_column_desc *column, void *dst, const void *src);
/* Appends a readable form of the field, for messages ("42", "'bob'"). */
void rt__field_describe(rt_buf *buf, const rt_column_desc *column, const void *body);
/* The size of a field of this kind when NOT NULL (int32_t, rt_date, ...). */
/* Stores a non-NULL driver value into the field of column in body,
 * converted and checked as a read does (strings copied into arena). */
int rt__field_store_value(const rt_model_desc *model, const rt_column_desc *column,
		    const rt_value *value, void *body, rt_arena *arena);

/* --- values_array.c ------------------------------------------------------ */

/* The size of one element of an array of kind element; 0 for a kind no
 * array has (blob, array). */
size_t rt__array_element_size(rt_field_kind element);
/* Appends the array's text form ({1,2}, {"a",NULL}); column (may be NULL
 * but for an enum, whose type it gives) names the elements' column;
 * tz_offset: timestamptz elements are written with "+00". */
int rt__array_format(rt_buf *out, const rt_column_desc *column, rt_field_kind element,
		     const rt_array *array, bool tz_offset);
/* Binds value (an RT_FIELD_ARRAY of value->element) to parameter index as
 * the array's text form; enum_type gives an enum element's values, what
 * names the value in errors. RT_EINVAL where the backend has no arrays. */
int rt__array_bind(rt_stmt *stmt, int index, const rt_value_ref *value,
		   const rt_enum_desc *enum_type, const char *what);
/* Reads the text form of an array of column's elements into out (items in
 * arena); an error names the column and the element. */
int rt__array_parse(const rt_model_desc *model, const rt_column_desc *column, const char *text,
		    size_t len, rt_array *out, rt_arena *arena);
/* out = a copy in arena of count items of kind element (and of the strings
 * of text-like ones); items NULL is SQL NULL. */
int rt__array_copy(rt_array *out, rt_field_kind element, const void *items, size_t count,
		   rt_arena *arena);
/* Element by element, as fields of column's element kind compare. */
bool rt__array_equal(const rt_column_desc *column, const rt_array *a, const rt_array *b);
/* {1, 2, ... (n elements)}, for messages. */
void rt__array_describe(rt_buf *buf, const rt_column_desc *column, const rt_array *array);

/* SQLite-compatible text forms (as SQLAlchemy writes them: always six
 * fraction digits; uuid as 32 hex digits). */
void rt__timestamp_format_fixed(char *out, rt_timestamp value);
void rt__time_format_fixed(char *out, rt_time value);
void rt__uuid_format_hex(char *out, rt_uuid value);
/* Lenient parsers of what backends hand back (values_text.c): a timestamp
 * with an optional offset (applied when to_utc, else ignored), a time with
 * an optional offset (ignored), a uuid with or without dashes. */
bool rt__timestamp_from_text(const char *text, bool to_utc, rt_timestamp *out);
bool rt__time_from_text(const char *text, rt_time *out);
bool rt__uuid_from_text(const char *text, size_t len, rt_uuid *out);
/* Whether a date (1..9999) or time of day can be written. */
bool rt__date_valid(rt_date value);
bool rt__time_valid(rt_time value);

/* --- identity.c ---------------------------------------------------------- */

struct rt_identity_map *rt__identity_new(rt_session *session);
/* The object of model whose primary key fields equal those of body, or NULL. */
rt_object *rt__identity_find(struct rt_identity_map *map, const rt_model_desc *model,
			     const void *body);
/* Files the object under its current key (moving it if it was filed); it
 * must be tracked (on session->objects) first. */
int rt__identity_put(struct rt_identity_map *map, rt_object *object);
void rt__identity_remove(struct rt_identity_map *map, rt_object *object);
/* The object moved in session->objects from old_slot to object->slot (a
 * flush squeezing out holes): the map follows. */
void rt__identity_moved(struct rt_identity_map *map, rt_object *object, uint32_t old_slot);
/* Makes room for `more` objects of model at once (a batch about to be
 * filed). */
int rt__identity_reserve(struct rt_identity_map *map, const rt_model_desc *model, size_t more);
/* Releases the slot table (the map itself is in the session arena). */
void rt__identity_free(struct rt_identity_map *map);
size_t rt__identity_count(const struct rt_identity_map *map);
/* The bytes the map holds (its tables of slots). */
size_t rt__identity_bytes(const struct rt_identity_map *map);
/* The bytes a session holds for its objects: object slabs in use, its
 * arena (strings, collections), the identity map and the object list
 * (the benchmark's memory figure, bench/orm). */
size_t rt__session_memory(const rt_session *session);
/* The hash of model and the primary key fields of body. */
uint64_t rt__identity_hash(const rt_model_desc *model, const void *body);

/* --- object.c ------------------------------------------------------------ */

/* Allocates a zeroed object of model in the session (no defaults, not
 * tracked); its snapshot is uninitialised until taken. */
int rt__object_alloc(rt_session *session, const rt_model_desc *model, rt_object **out);
/* The same for rt_object_new, with the header's rarely used part, which
 * the flush of a new object needs anyway. */
int rt__object_alloc_new(rt_session *session, const rt_model_desc *model, rt_object **out);
/* Starts tracking a loaded object as persistent: identity map, snapshot. */
int rt__object_track_persistent(rt_session *session, rt_object *object);
/* How many bytes of a struct of model its snapshot holds (object_memory.c). */
size_t rt__snapshot_size(rt_session *session, const rt_model_desc *model);
/* Copies the current fields into the snapshot (after load or flush). */
void rt__object_take_snapshot(rt_object *object);
/* Records the object's current state in the undo journal at the session's
 * level, once per level; called before a flush writes it. */
int rt__object_journal(rt_object *object);
/* Takes the object out of the back side of every object it is linked to
 * (their collections and pointers), keeping its own links: a pending
 * object deleted before it was inserted leaves its relatives, so that no
 * flush adds it back through them. */
void rt__object_leave_back_sides(rt_object *object);
/* The relationship called name on model, or NULL with RT_EINVAL recorded. */
const rt_relationship_desc *rt__relationship_find(const rt_model_desc *model, const char *name,
						  int *index);
/* Object memory (slabs) and the process-wide registry of live session
 * memory that lets rt__object_header and rt__session_check reject a
 * pointer without reading through it. */
int rt__registry_add(const void *start, size_t size, rt_session *session);
void rt__registry_remove_session(rt_session *session);
bool rt__registry_has_session(const rt_session *session);
/* The open session whose registered memory holds [memory, memory + size),
 * or NULL: checks a pointer before anything is read through it. */
rt_session *rt__registry_owner(const void *memory, size_t size);
/* Zeroed memory in the session's registered slabs (for handles such as
 * savepoints, which must be checkable after the session closed). */
void *rt__session_registered_alloc(rt_session *session, size_t size);
void rt__object_slabs_free(rt_session *session);
/* Appends to a collection in session memory (no back-side update). */
int rt__list_append(rt_session *session, rt_list *list, void *item);
bool rt__list_contains(const rt_list *list, const void *item);
void rt__list_remove(rt_list *list, const void *item);

/* --- load.c -------------------------------------------------------------- */

/* The columns of model for a SELECT, each as "alias"."column", separated
 * by commas, in model->columns order; then its subclasses' own columns
 * (rt__select_subclass_columns). */
void rt__select_columns(rt_buf *sql, const rt_dialect *dialect, const rt_model_desc *model,
			const char *alias);
/* --- inherit.c: single-table inheritance ------------------------------------ */

/* The root of model's tree (model itself when it extends none). */
const rt_model_desc *rt__model_root(const rt_model_desc *model);
/* Is model ancestor, or below it? */
bool rt__model_is_a(const rt_model_desc *model, const rt_model_desc *ancestor);
/* ", a.x, a.y": the columns model's subclasses have beyond model's, after
 * rt__select_columns, so that a row can be of any of them. */
void rt__select_subclass_columns(rt_buf *sql, const rt_dialect *dialect,
				 const rt_model_desc *model, const char *alias);
/* How many columns rt__select_columns writes for model. */
int rt__select_width(const rt_model_desc *model);
/* Where column of actual (queried or one of its subclasses) is in a row
 * of queried, counted from its first column; -1 when it is not. */
int rt__inherit_column_position(const rt_model_desc *queried, const rt_model_desc *actual,
				int column);
/* The model a row of queried is of: the subclass its discriminator names,
 * else queried. */
const rt_model_desc *rt__row_model(const rt_model_desc *queried, rt_stmt *stmt,
				   int first_column);
/* A subclass's query reads only the rows of it and its subclasses: their
 * identities, as values for discriminator IN (...), at most cap; 0 for a
 * root. */
int rt__where_identities(const rt_model_desc *model, rt_value_ref *values, int cap);

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

/* Writes every pending change (the autoflush of queries). On a failure
 * after a statement ran, the session needs a rollback (session->failed). */
int rt__flush(rt_session *session);
/* The autoflush of a get by primary key: flushes only when objects are
 * pending or deleted (changed fields of other rows cannot change which row
 * a key finds), so a loop of gets does not rescan every object. */
int rt__flush_if_pending(rt_session *session);

#endif
