/*
 * retort/orm.h - mapped structs, sessions, queries and relationships.
 *
 * `retort gen` turns each model of a schema into a C struct plus a static
 * description of it (rt_model_desc: table, columns with their offsetof,
 * relationships) and typed functions that call the generic API below. A
 * program can use either; the generated functions only add types.
 *
 * Ownership, the one rule: a session owns every object it creates or loads
 * and every string or blob stored in them, and frees them all when it is
 * closed. Nothing is freed object by object. Strings given to an object
 * through a setter are copied into the session.
 *
 * No hidden I/O: reading a field never touches the database. Relationships
 * load when the program asks: rt_object_load() for one object, or an eager
 * option on a query for many.
 */
#ifndef RETORT_ORM_H
#define RETORT_ORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "retort/common.h"
#include "retort/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Value types of mapped fields                                              */
/* ------------------------------------------------------------------------ */

/* Nullable scalars carry an explicit null state: `present` is false for SQL
 * NULL, so NULL can never be confused with 0. A zeroed value is NULL. Text,
 * numeric and json fields are `const char *` and NULL means SQL NULL; a blob
 * is NULL when its data pointer is NULL. */
typedef struct rt_opt_int16 { bool present; int16_t value; } rt_opt_int16;
typedef struct rt_opt_int32 { bool present; int32_t value; } rt_opt_int32;
typedef struct rt_opt_int64 { bool present; int64_t value; } rt_opt_int64;
typedef struct rt_opt_bool { bool present; bool value; } rt_opt_bool;
typedef struct rt_opt_float { bool present; float value; } rt_opt_float;
typedef struct rt_opt_double { bool present; double value; } rt_opt_double;

/* Bytes of a blob column; data == NULL is SQL NULL, len == 0 with data set
 * is the empty blob. May contain NUL bytes. */
typedef struct rt_bytes {
	const uint8_t *data;
	size_t len;
} rt_bytes;

/* Calendar values, no time zone arithmetic: what the database stores is
 * what the struct holds. A timestamptz value is always in UTC. */
typedef struct rt_date {
	int32_t year;   /* 1..9999 */
	uint8_t month;  /* 1..12 */
	uint8_t day;    /* 1..31 */
} rt_date;

typedef struct rt_time {
	uint8_t hour;         /* 0..23 */
	uint8_t minute;       /* 0..59 */
	uint8_t second;       /* 0..59 (60 for a leap second) */
	uint32_t microsecond; /* 0..999999 */
} rt_time;

typedef struct rt_timestamp {
	rt_date date;
	rt_time time;
} rt_timestamp;

typedef struct rt_uuid {
	uint8_t bytes[16];
} rt_uuid;

/* Nullable calendar and uuid values. */
typedef struct rt_opt_date { bool present; rt_date value; } rt_opt_date;
typedef struct rt_opt_time { bool present; rt_time value; } rt_opt_time;
typedef struct rt_opt_timestamp { bool present; rt_timestamp value; } rt_opt_timestamp;
typedef struct rt_opt_uuid { bool present; rt_uuid value; } rt_opt_uuid;

/* Text forms: "2026-11-21", "13:45:07.250000", "2026-11-21 13:45:07.250000"
 * (microseconds only when non-zero), uuid as 36 characters with dashes.
 * The buffers must hold RT_TIMESTAMP_TEXT_MAX / RT_UUID_TEXT_MAX bytes.
 * Parsing returns RT_OK or RT_EINVAL; it accepts 'T' for the space, an
 * optional fraction of up to 6 digits, and for timestamps a trailing "Z" or
 * "+00" / "+00:00" offset. A uuid parses with or without dashes. */
#define RT_TIMESTAMP_TEXT_MAX 32
#define RT_UUID_TEXT_MAX 37
RT_API void rt_date_format(char *out, rt_date value);
RT_API void rt_time_format(char *out, rt_time value);
RT_API void rt_timestamp_format(char *out, rt_timestamp value);
RT_API void rt_uuid_format(char *out, rt_uuid value);
RT_API int rt_date_parse(rt_date *out, const char *text);
RT_API int rt_time_parse(rt_time *out, const char *text);
RT_API int rt_timestamp_parse(rt_timestamp *out, const char *text);
RT_API int rt_uuid_parse(rt_uuid *out, const char *text);
/* The current time in UTC, with microseconds. */
RT_API rt_timestamp rt_timestamp_now(void);

/* Array columns (PostgreSQL's int[], text[], ...; one dimension): the
 * elements and their number, one struct per element type. items == NULL
 * is SQL NULL; count 0 with items set is the empty array. The elements
 * are owned by the session: set them with rt_object_set_array (or the
 * generated _set_ function), which copies them; never change them in
 * place. A NULL element is a NULL string in an rt_text_array (text,
 * string, char, numeric and json elements); the other element types have
 * no NULL, and reading an array that holds one is an error naming the
 * column and the element. */
typedef struct rt_int16_array { const int16_t *items; size_t count; } rt_int16_array;
typedef struct rt_int32_array { const int32_t *items; size_t count; } rt_int32_array;
typedef struct rt_int64_array { const int64_t *items; size_t count; } rt_int64_array;
typedef struct rt_bool_array { const bool *items; size_t count; } rt_bool_array;
typedef struct rt_float_array { const float *items; size_t count; } rt_float_array;
typedef struct rt_double_array { const double *items; size_t count; } rt_double_array;
typedef struct rt_text_array { const char *const *items; size_t count; } rt_text_array;
typedef struct rt_date_array { const rt_date *items; size_t count; } rt_date_array;
typedef struct rt_time_array { const rt_time *items; size_t count; } rt_time_array;
typedef struct rt_timestamp_array { const rt_timestamp *items; size_t count; } rt_timestamp_array;
typedef struct rt_uuid_array { const rt_uuid *items; size_t count; } rt_uuid_array;
/* The values of an array of an enum, as the C enum's ints (from 1). */
typedef struct rt_enum_array { const int *items; size_t count; } rt_enum_array;
/* Any of them, as the library sees them (the same layout). */
typedef struct rt_array { const void *items; size_t count; } rt_array;

/* A to-many relationship as a struct member: the related objects, and
 * whether the collection has been loaded (an unloaded collection is empty
 * and `loaded` is false, which is not the same as "no rows"). Items are
 * owned by the session; change a collection only with rt_object_link /
 * rt_object_unlink (or the generated add_/remove_ functions). */
typedef struct rt_list {
	void **items;
	size_t count;
	size_t capacity;
	bool loaded;
} rt_list;

/* ------------------------------------------------------------------------ */
/* Model descriptions (written by `retort gen`, static data)                  */
/* ------------------------------------------------------------------------ */

/* How a mapped field is laid out in its struct. Nullable columns use the
 * rt_opt_* wrapper of the same kind, except text-like and blob fields,
 * which are null through their pointer, and enums, whose value 0 is null
 * (generated C enums number their values from 1). */
typedef enum rt_field_kind {
	RT_FIELD_INT16 = 1,
	RT_FIELD_INT32,
	RT_FIELD_INT64,
	RT_FIELD_BOOL,
	RT_FIELD_FLOAT,
	RT_FIELD_DOUBLE,
	RT_FIELD_NUMERIC,     /* const char *: exact decimal text */
	RT_FIELD_TEXT,        /* const char *: UTF-8 */
	RT_FIELD_JSON,        /* const char *: JSON text */
	RT_FIELD_BLOB,        /* rt_bytes */
	RT_FIELD_DATE,        /* rt_date */
	RT_FIELD_TIME,        /* rt_time */
	RT_FIELD_TIMESTAMP,   /* rt_timestamp */
	RT_FIELD_TIMESTAMPTZ, /* rt_timestamp, UTC */
	RT_FIELD_UUID,        /* rt_uuid */
	RT_FIELD_ENUM,        /* int-sized C enum, values from 1, 0 = NULL */
	RT_FIELD_ARRAY        /* an rt_*_array of the column's `element` kind */
} rt_field_kind;

/* Column flags. */
#define RT_COLUMN_PRIMARY_KEY    0x01u
#define RT_COLUMN_NULLABLE       0x02u
#define RT_COLUMN_AUTOINCREMENT  0x04u /* the database assigns it on insert */
#define RT_COLUMN_SERVER_DEFAULT 0x08u /* DDL DEFAULT: left out of an INSERT
					* when the program did not set it */
#define RT_COLUMN_DEFAULT_NOW    0x10u /* `default now`: new objects get the
					* current time (client side) */
#define RT_COLUMN_CLIENT_DEFAULT 0x20u /* `default <literal>` or `default now`:
					* always written by an INSERT (the
					* server default serves other writers) */
#define RT_COLUMN_GENERATED      0x40u /* `generated '...'`: computed by the
					* database, never written by an INSERT
					* or UPDATE, read back after each */
#define RT_COLUMN_SERVER_ONUPDATE 0x80u /* `server onupdate now`: the
					* database sets it when it updates the
					* row; read back after each UPDATE */
#define RT_COLUMN_VERSION        0x100u /* `version`: the optimistic-locking
					* counter; 1 on INSERT, checked and
					* bumped by each UPDATE, checked by
					* each DELETE (RT_ESTALE) */
#define RT_COLUMN_ONUPDATE_NOW   0x200u /* `onupdate now`: the flush sets it
					* to the current time in each UPDATE */

typedef struct rt_enum_desc {
	const char *name;            /* the schema's name: "CartStatus" */
	const char *sql_name;        /* PostgreSQL type: "cart_status", or
				      * "billing.invoice_state" outside public */
	const char *const *values;   /* C value k is values[k - 1] */
	int value_count;
} rt_enum_desc;

typedef struct rt_column_desc {
	const char *name;      /* SQL name */
	const char *field;     /* C field name */
	rt_field_kind kind;
	size_t offset;         /* offsetof(struct, field) */
	unsigned flags;        /* RT_COLUMN_* */
	const rt_enum_desc *enum_type; /* RT_FIELD_ENUM only */
	/* numeric(precision, scale); 0 when not numeric. A backend that
	 * hands numerics back as numbers (SQLite) is read back with exactly
	 * `scale` decimals, so "12.50" stays "12.50". */
	int precision;
	int scale;
	/* RT_FIELD_ARRAY: the kind of its elements (RT_FIELD_INT32 for
	 * int[]; RT_FIELD_ENUM with enum_type, RT_FIELD_NUMERIC with
	 * precision and scale); 0 for any other field. */
	rt_field_kind element;
} rt_column_desc;

typedef enum rt_relationship_kind {
	RT_RELATIONSHIP_MANY_TO_ONE = 1, /* `user User`: the key is here; a pointer field */
	RT_RELATIONSHIP_ONE_TO_ONE,      /* `profile Profile?`: the key is there; a pointer field */
	RT_RELATIONSHIP_ONE_TO_MANY,     /* `posts Post[]`: the key is there; an rt_list */
	RT_RELATIONSHIP_MANY_TO_MANY     /* `products Product[] through t`: an rt_list */
} rt_relationship_kind;

#define RT_RELATIONSHIP_CASCADE_DELETE 0x01u /* deleting this object deletes the related ones */
#define RT_RELATIONSHIP_DELETE_ORPHAN  0x02u /* a child unlinked from this object is deleted */
#define RT_RELATIONSHIP_ORDER_DESC     0x04u

typedef struct rt_model_desc rt_model_desc;

typedef struct rt_relationship_desc {
	const char *name;
	rt_relationship_kind kind;
	const rt_model_desc *target;
	size_t offset;             /* the pointer or rt_list field */
	unsigned flags;            /* RT_RELATIONSHIP_* */
	/* The key columns, as indexes into the columns of this model and of
	 * the target, pairwise: for MANY_TO_ONE `columns` is the foreign key
	 * here and `target_columns` what it references; for ONE_TO_ONE and
	 * ONE_TO_MANY `columns` is what the target's foreign key
	 * (`target_columns`) references; for MANY_TO_MANY both are what the
	 * association table references. */
	const int *columns;
	const int *target_columns;
	int column_count;
	/* MANY_TO_MANY: the association table and its two foreign keys (SQL
	 * column names, in the order of columns / target_columns). */
	const char *secondary;
	const char *const *secondary_columns;
	const char *const *secondary_target_columns;
	/* The relationship on the target that points back here, or -1. */
	int back;
	/* `order by`: a column index of the target, or -1. */
	int order_by;
	/* MANY_TO_MANY: the association table's PostgreSQL schema, or NULL
	 * for the default one. */
	const char *secondary_schema;
} rt_relationship_desc;

/* A foreign key of the model's table, used to order a flush (parents are
 * inserted before children, deleted after them). */
typedef struct rt_foreign_key_desc {
	const int *columns;          /* column indexes here */
	int column_count;
	const char *target_table;    /* SQL name */
	const rt_model_desc *target; /* NULL when that table has no model */
} rt_foreign_key_desc;

struct rt_model_desc {
	int version;               /* RT_MODEL_DESC_VERSION */
	const char *name;          /* "User" */
	const char *table;         /* "users" */
	size_t size;               /* sizeof(User) */
	/* A struct holding the client-side defaults (`default ...`), copied
	 * into every new object; NULL when there are none. */
	const void *defaults;
	const rt_column_desc *columns;
	int column_count;
	const int *primary_key;    /* column indexes */
	int primary_key_count;
	const rt_relationship_desc *relationships;
	int relationship_count;
	const rt_foreign_key_desc *foreign_keys;
	int foreign_key_count;
	/* A model mapped onto a view (`model Name view v`): the view's name
	 * (then `table` too), and the model is read-only: queries read it,
	 * rt_object_new, a changed object's flush and rt_object_delete are
	 * RT_EINVAL. NULL for a model of a table. */
	const char *view;
	/* The table's PostgreSQL schema (`schema 'billing'`), or NULL for the
	 * default one: queries name the table "billing"."accounts". */
	const char *schema;

	/* Inheritance, single-table (`model Manager extends Employee
	 * identity 'manager'`: the rows of every model of the tree in the
	 * root's table). parent: the model extended, whose struct begins
	 * this one's and whose columns begin this one's, at the same
	 * indexes (NULL for a root). identity: the discriminator value of
	 * this model's rows, which new objects get (NULL when none).
	 * discriminator: the index of the column holding it, the same in
	 * every model of the tree; read only when parent or subclasses are
	 * set. subclasses: every model below this one, each after its
	 * parent. A query of a model with subclasses reads their columns
	 * too and gives each row as an object of the model its
	 * discriminator names (rt_object_model tells which); a query of a
	 * subclass reads only the rows of it and of its own subclasses.
	 * The identity map knows an object by its root and key. */
	const rt_model_desc *parent;
	const char *identity;
	int discriminator;
	const rt_model_desc *const *subclasses;
	int subclass_count;

	/* Joined-table inheritance (`model Engineer extends Staff table
	 * engineers`): this model's own columns (those after its parent's)
	 * live in `table`, a table of its own whose primary key is a copy of
	 * the parent's, named as the parent's key columns; the parent's
	 * columns live where the parent's do. Inserting writes every table
	 * from the root down, deleting removes the rows from this model's
	 * table up, and reads join the tables on the key. false for a root
	 * and for single-table inheritance. */
	bool joined;
};

#define RT_MODEL_DESC_VERSION 3

/* All models of one schema, as `retort gen` writes them (e.g. shop_models). */
typedef struct rt_model_set {
	const rt_model_desc *const *models;
	int model_count;
} rt_model_set;

/* ------------------------------------------------------------------------ */
/* Values for queries and raw SQL                                            */
/* ------------------------------------------------------------------------ */

/* A value handed to a query or raw SQL: a typed union, always bound. */
typedef struct rt_value_ref {
	rt_field_kind kind;   /* 0 = SQL NULL */
	union {
		int64_t i;        /* INT16/32/64, BOOL, ENUM */
		double d;         /* FLOAT, DOUBLE */
		const char *s;    /* TEXT, NUMERIC, JSON */
		rt_bytes bytes;   /* BLOB */
		rt_date date;
		rt_time time;
		rt_timestamp timestamp;
		rt_uuid uuid;
		rt_array array;   /* ARRAY: items of the kind `element` says */
	} as;
	const rt_enum_desc *enum_type; /* ENUM: the value is bound as its name */
	/* ARRAY: the kind of its elements; 0 = the column's (a query's
	 * condition on an array column). */
	rt_field_kind element;
} rt_value_ref;

RT_API rt_value_ref rt_null(void);
RT_API rt_value_ref rt_int(int64_t value);
RT_API rt_value_ref rt_bool(bool value);
RT_API rt_value_ref rt_double(double value);
RT_API rt_value_ref rt_text(const char *value);    /* NULL gives SQL NULL */
RT_API rt_value_ref rt_numeric(const char *value);
RT_API rt_value_ref rt_json(const char *value);
RT_API rt_value_ref rt_blob(const void *data, size_t len);
RT_API rt_value_ref rt_date_value(rt_date value);
RT_API rt_value_ref rt_time_value(rt_time value);
RT_API rt_value_ref rt_timestamp_value(rt_timestamp value);
RT_API rt_value_ref rt_timestamptz_value(rt_timestamp value);
RT_API rt_value_ref rt_uuid_value(rt_uuid value);
RT_API rt_value_ref rt_enum_value(const rt_enum_desc *type, int value);
/* An array of count elements of kind element (RT_FIELD_INT32: items is an
 * int32_t array; RT_FIELD_TEXT: a const char * array), bound as the
 * backend's array; items NULL gives SQL NULL. Not copied here: a query's
 * condition copies it, raw SQL binds it at once. */
RT_API rt_value_ref rt_array_value(rt_field_kind element, const void *items, size_t count);

/* ------------------------------------------------------------------------ */
/* Sessions                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct rt_session rt_session;
typedef struct rt_query rt_query;
typedef struct rt_rows rt_rows;
typedef struct rt_savepoint rt_savepoint;

/* Opens a session on a connection taken from the engine's pool when the
 * first statement needs one. The session begins a transaction on first use
 * and keeps it until commit or rollback. */
RT_API int rt_session_open(rt_session **out, rt_engine *engine);
/* Rolls back anything uncommitted, returns the connection to the pool and
 * frees every object of the session. NULL-safe. */
RT_API void rt_session_close(rt_session *session);
/* This thread's session on engine, opened on first call (SQLAlchemy's
 * scoped_session). Closed by rt_session_scoped_remove() or when the engine
 * is freed. */
RT_API int rt_session_scoped(rt_session **out, rt_engine *engine);
RT_API void rt_session_scoped_remove(rt_engine *engine);

RT_API rt_engine *rt_session_engine(rt_session *session);

/* A new object of the model, owned by the session, filled with the schema's
 * client-side defaults and pending: the next flush inserts it. Every column
 * with a client default is written, with whatever value the field holds.
 * A column without one that has a server default or an autoincrement is
 * left out of the INSERT and read back from the database while its field
 * holds what rt_object_new gave it (0, NULL) and was not marked as set
 * (rt_object_mark_set, or any setter). */
RT_API int rt_object_new(void *out, rt_session *session, const rt_model_desc *model);
/* Adds a pending object made by rt_object_new back after it was expunged. */
RT_API int rt_object_add(rt_session *session, void *object);
/* The object with this primary key: from the identity map when the session
 * has it, else loaded. RT_ENOTFOUND when there is no such row. `key` holds
 * one value per primary-key column, in the order of model->primary_key. */
RT_API int rt_object_get(void *out, rt_session *session, const rt_model_desc *model,
			 const rt_value_ref *key);
/* Marks the object for deletion at the next flush; cascades as its
 * relationships declare. */
RT_API int rt_object_delete(void *object);
/* Stores a copy of text (NULL for SQL NULL) in the field at *field, which
 * must be a const char * field of object. */
RT_API int rt_object_set_text(void *object, const char **field, const char *text);
RT_API int rt_object_set_blob(void *object, rt_bytes *field, const void *data, size_t len);
/* Stores a copy of count items (and of the strings of a text array) in
 * the array field at *field, which must be an rt_*_array field of object;
 * items NULL stores SQL NULL. */
RT_API int rt_object_set_array(void *object, void *field, const void *items, size_t count);
/* Marks the field at *field (any column field of object) as set by the
 * program, so that the INSERT writes it even when it holds the value
 * rt_object_new gave it: `obj->count = 0; rt_object_mark_set(obj,
 * &obj->count);` stores 0, not the column's server default. The text and
 * blob setters mark their field themselves. */
RT_API int rt_object_mark_set(void *object, const void *field);

/* Links target to object through relationship `name` of object's model,
 * keeping the back side consistent in memory: for a to-one relationship it
 * sets the pointer (target NULL unlinks), for a to-many one it appends. */
RT_API int rt_object_link(void *object, const char *name, void *target);
/* Removes target from the to-many relationship `name` of object (and
 * unlinks the back side). */
RT_API int rt_object_unlink(void *object, const char *name, void *target);
/* Loads relationship `name` of object from the database now. */
RT_API int rt_object_load(void *object, const char *name);

/* Makes the object take the database's values the next time a query or get
 * returns its row (instead of keeping what the identity map holds). */
RT_API int rt_object_expire(void *object);
/* Reloads the object's columns from the database now. */
RT_API int rt_object_refresh(void *object);
/* Removes the object from its session: the session no longer tracks it, but
 * its memory stays valid until the session closes. */
RT_API int rt_object_expunge(void *object);
/* The session that owns object, or NULL (with RT_EINVAL) when object was not
 * made by a session. */
RT_API rt_session *rt_object_session(const void *object);

/* Writes every pending change to the database, in foreign-key order, in the
 * session's transaction. */
RT_API int rt_session_flush(rt_session *session);
/* Flushes, then commits. Objects stay readable and keep their values. */
RT_API int rt_session_commit(rt_session *session);
/* Rolls back the transaction. Objects changed or deleted since the last
 * commit return to their committed values; objects inserted since then are
 * expunged. The session is usable afterwards. */
RT_API int rt_session_rollback(rt_session *session);

/* A nested transaction (SQL SAVEPOINT). Flushes first. Release keeps its
 * changes in the enclosing transaction; rollback undoes them, in the
 * database and in the objects, as rt_session_rollback does. Either frees
 * the savepoint; they must be used innermost first. */
RT_API int rt_session_begin_nested(rt_savepoint **out, rt_session *session);
RT_API int rt_savepoint_release(rt_savepoint *savepoint);
RT_API int rt_savepoint_rollback(rt_savepoint *savepoint);

/* Upserts (docs/orm.md, "Upserts"): insert a row, or settle a conflict on
 * a unique key by updating the stored row or keeping it. */
typedef enum rt_upsert_action {
	RT_UPSERT_UPDATE = 0, /* a row with the key is updated from the object */
	RT_UPSERT_NOTHING     /* a row with the key is kept as stored */
} rt_upsert_action;

typedef struct rt_upsert_options {
	/* The unique key a new row may collide on: SQL names of the columns
	 * of the primary key or of one unique constraint or index of the
	 * model; NULL (count 0): the primary key. */
	const char *const *conflict_columns;
	int conflict_count;
	rt_upsert_action action;
	/* RT_UPSERT_UPDATE: the columns to set from the object (SQL names);
	 * NULL (count 0): every column the INSERT writes, but the key.
	 * An updated row's `version` (+ 1) and `onupdate now` columns
	 * (the time) are the ORM's, named here or not. */
	const char *const *update_columns;
	int update_count;
} rt_upsert_options;

#define RT_UPSERT_OPTIONS_INIT {NULL, 0, RT_UPSERT_UPDATE, NULL, 0}

/* Upserts count new objects of one model (made by rt_object_new, fields
 * set; options NULL: the defaults above) now, in the session's
 * transaction, after flushing its other changes; then reads each row back
 * as stored. out[i] (out may be NULL) is the session's object for the row
 * of objects[i]: objects[i] itself, now persistent, or the object the
 * session already held for that row, which took the stored values. */
RT_API int rt_session_upsert(void **out, rt_session *session, void *const *objects, size_t count,
			     const rt_upsert_options *options);

/* Allocates size zeroed bytes owned by the session (freed when it closes). */
RT_API void *rt_session_alloc(rt_session *session, size_t size);
RT_API const char *rt_session_strdup(rt_session *session, const char *text);

/* ------------------------------------------------------------------------ */
/* Lifecycle hooks and validators (SQLAlchemy's mapper events, @validates)    */
/* ------------------------------------------------------------------------ */

/* When a hook runs. The before- and after- hooks of a write run inside the
 * flush, around the object's statement; RT_HOOK_VALIDATE runs before each
 * INSERT and UPDATE, after the before-hooks (so it sees their values);
 * RT_HOOK_AFTER_LOAD when a row becomes an object (or refreshes an
 * expired one). */
typedef enum rt_hook_event {
	RT_HOOK_BEFORE_INSERT = 1,
	RT_HOOK_AFTER_INSERT,
	RT_HOOK_BEFORE_UPDATE,
	RT_HOOK_AFTER_UPDATE,
	RT_HOOK_BEFORE_DELETE,
	RT_HOOK_AFTER_DELETE,
	RT_HOOK_AFTER_LOAD,
	RT_HOOK_VALIDATE
} rt_hook_event;

/* A hook: object is the struct (User *); user is what was registered.
 * RT_OK goes on; a negative code stops the operation, which returns that
 * code with the hook's message (rt_error_set_str) prefixed by the event,
 * model and key. A before-hook or validator may change the object's
 * fields (they are written); no hook may add, delete, flush or commit
 * objects of the session. */
typedef int (*rt_hook_fn)(rt_session *session, void *object, void *user);

/* Registers fn for event on objects of model (NULL: every model), after
 * the hooks registered before it. Hooks of the engine run in every
 * session it opens, before the session's own; register them before the
 * engine is shared between threads. RT_EINVAL for an unknown event or a
 * NULL fn. */
RT_API int rt_session_hook_add(rt_session *session, const rt_model_desc *model,
			       rt_hook_event event, rt_hook_fn fn, void *user);
RT_API int rt_engine_hook_add(rt_engine *engine, const rt_model_desc *model,
			      rt_hook_event event, rt_hook_fn fn, void *user);

/* The typed forms the generated code uses (<Model>_hook_add(session,
 * event, fn, user) with fn taking a <Model> *): fn is the program's typed
 * callback converted to rt_hook_any, and call calls it as its own type
 * (calling it as another type would not be valid C). */
typedef void (*rt_hook_any)(void);
typedef int (*rt_hook_call)(rt_hook_any fn, rt_session *session, void *object, void *user);
RT_API int rt_session_hook_add_as(rt_session *session, const rt_model_desc *model,
				  rt_hook_event event, rt_hook_call call, rt_hook_any fn,
				  void *user);
RT_API int rt_engine_hook_add_as(rt_engine *engine, const rt_model_desc *model,
				 rt_hook_event event, rt_hook_call call, rt_hook_any fn,
				 void *user);

/* ------------------------------------------------------------------------ */
/* Retrying a transaction (docs/orm.md, "Retrying a transaction")           */
/* ------------------------------------------------------------------------ */

/* The work of one transaction: uses session, returns RT_OK or an error
 * code (RT_ESERIALIZE asks for another run). */
typedef int (*rt_session_fn)(rt_session *session, void *user);
/* Runs fn(session, user) in a new session and commits. When fn or the
 * commit fails with an error rt_error_is_retryable accepts (a deadlock,
 * a serialization failure, a lock wait that timed out, SQLite's busy
 * database), the session is rolled back and closed, and after a short
 * randomized wait (10 ms, doubling up to 1 s) fn runs again in a new
 * one, up to max_attempts runs in all (0 = 3). Returns RT_OK or the last
 * attempt's error. Objects of a session are gone when its attempt ends:
 * fn must not keep them, and must leave effects outside the database
 * until rt_session_run has succeeded (fn may run more than once). For
 * the blocking API (the wait blocks the thread). */
RT_API int rt_session_run(rt_engine *engine, rt_session_fn fn, void *user, int max_attempts);

/* ------------------------------------------------------------------------ */
/* Inheritance (single-table)                                                */
/* ------------------------------------------------------------------------ */

/* The model an object is of: with inheritance, the subclass its row's
 * discriminator named (a query of Employee gives a Manager's row as a
 * Manager); NULL when object is not a session's object. */
RT_API const rt_model_desc *rt_object_model(const void *object);
/* Is object of model, or of a model below it? */
RT_API bool rt_object_is_a(const void *object, const rt_model_desc *model);

/* ------------------------------------------------------------------------ */
/* A column's validators (SQLAlchemy's @validates("email"))                  */
/* ------------------------------------------------------------------------ */

/* Registers fn as a validator of one column of model (its SQL name or its
 * field's name): it runs in the flush before the INSERT of each new
 * object, and before the UPDATE of an object when that column changed,
 * after the before-hooks and with the model's validators (RT_HOOK_VALIDATE);
 * and before an upsert, for each object given. A negative code stops the
 * flush as a failing hook does, the message naming model.field and the
 * key. RT_EINVAL for a column the model lacks or a NULL fn. */
RT_API int rt_session_validator_add(rt_session *session, const rt_model_desc *model,
				    const char *column, rt_hook_fn fn, void *user);
RT_API int rt_engine_validator_add(rt_engine *engine, const rt_model_desc *model,
				   const char *column, rt_hook_fn fn, void *user);
/* The typed forms of the generated <Model>_validator_add (as
 * rt_session_hook_add_as). */
RT_API int rt_session_validator_add_as(rt_session *session, const rt_model_desc *model,
				       const char *column, rt_hook_call call, rt_hook_any fn,
				       void *user);
RT_API int rt_engine_validator_add_as(rt_engine *engine, const rt_model_desc *model,
				      const char *column, rt_hook_call call, rt_hook_any fn,
				      void *user);

/* ------------------------------------------------------------------------ */
/* A set-based write's hooks (SQLAlchemy's after_bulk_update, after_bulk_delete) */
/* ------------------------------------------------------------------------ */

/* rt_query_update and rt_query_delete run no object's hooks (they load no
 * objects); these run once per statement instead. Before-hooks run
 * before anything else (a failing one stops the write, nothing done);
 * after-hooks once the statement ran and the session's objects were
 * brought in line (a failing one leaves the session needing
 * rt_session_rollback, as a failed flush does). */
typedef enum rt_bulk_event {
	RT_BULK_BEFORE_UPDATE = 1,
	RT_BULK_AFTER_UPDATE,
	RT_BULK_BEFORE_DELETE,
	RT_BULK_AFTER_DELETE
} rt_bulk_event;

/* model: the query's; count: the rows the statement matched, -1 in a
 * before-hook. RT_OK goes on; a negative code fails the write with it,
 * the message (rt_error_set_str) prefixed by the event and the model. */
typedef int (*rt_bulk_hook_fn)(rt_session *session, const rt_model_desc *model, int64_t count,
			       void *user);
/* Registers fn for event on writes of model (NULL: every model), as
 * rt_session_hook_add and rt_engine_hook_add do. */
RT_API int rt_session_bulk_hook_add(rt_session *session, const rt_model_desc *model,
				    rt_bulk_event event, rt_bulk_hook_fn fn, void *user);
RT_API int rt_engine_bulk_hook_add(rt_engine *engine, const rt_model_desc *model,
				   rt_bulk_event event, rt_bulk_hook_fn fn, void *user);

#ifdef __cplusplus
}
#endif

/* The query API (rt_query and its conditions) is in its own header. */
#include "retort/orm_query.h"

#endif
