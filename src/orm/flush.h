/*
 * flush.h - what the files of the unit of work share: column sets, the
 * statements a flush runs (flush_write.c) and the plan that orders them
 * (flush.c).
 */
#ifndef RT_ORM_FLUSH_H
#define RT_ORM_FLUSH_H

#include "orm/orm.h"

/* A set of columns of one model, by index. */
#define RT_FLUSH_MAX_COLUMNS 256
typedef struct rt_colset {
	uint64_t w[RT_FLUSH_MAX_COLUMNS / 64];
} rt_colset;

static inline void rt__colset_add(rt_colset *set, int i)
{
	set->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline bool rt__colset_has(const rt_colset *set, int i)
{
	return (set->w[i / 64] >> (i % 64)) & 1;
}

static inline bool rt__colset_equal(const rt_colset *a, const rt_colset *b)
{
	for (size_t i = 0; i < sizeof(a->w) / sizeof(a->w[0]); i++)
		if (a->w[i] != b->w[i])
			return false;
	return true;
}

/* Runs the validators of object (hooks.c): the model's, and the columns'
 * of the columns in changed (before an UPDATE: the columns it writes;
 * NULL, for a new row: every column's). */
int rt__validators_run(rt_session *session, rt_object *object, const rt_colset *changed);

static inline bool rt__colset_empty(const rt_colset *set)
{
	for (size_t i = 0; i < sizeof(set->w) / sizeof(set->w[0]); i++)
		if (set->w[i])
			return false;
	return true;
}

/* The columns a new object leaves to the database: an autoincrement or
 * server default column whose field still holds what rt_object_new put
 * there. The INSERT names the others and reads these back. */
void rt__flush_insert_columns(const rt_object *object, rt_colset *out);

/* INSERT of objects of one model sharing one column set, in one batch;
 * generated columns are read back into the objects. */
int rt__flush_insert(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		     rt_object *const *objects, size_t count, const rt_colset *columns);
/* UPDATE of the columns in `columns` of each object, located by the key
 * in its snapshot; RT_ENOTFOUND naming the row when one is gone. */
int rt__flush_update(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		     rt_object *const *objects, size_t count, const rt_colset *columns);
/* After an UPDATE: the model's generated and `server onupdate now`
 * columns read back into each object, by its key (flush_generated.c);
 * nothing for a model without. */
int rt__flush_read_generated(rt_session *session, rt_conn *conn, const rt_model_desc *model,
			     rt_object *const *objects, size_t count);
/* DELETE of the objects' rows, by the key in their snapshots. */
int rt__flush_delete(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		     rt_object *const *objects, size_t count);

/* Optimistic locking (flush_version.c): the model's `version` column or
 * -1; an integer field read and set; a new object's version (1 unless
 * the program gave one); the objects' versions after their UPDATE (the
 * snapshot's plus 1); RT_ESTALE for an object whose UPDATE matched no
 * row (changed or deleted by someone else: the message says which); and
 * after a DELETE matched fewer rows than it had objects, RT_ESTALE naming
 * the first object whose row is still there. */
int rt__version_column(const rt_model_desc *model);
int64_t rt__int_field_get(const rt_column_desc *c, const void *body);
void rt__int_field_set(const rt_column_desc *c, void *body, int64_t value);
void rt__version_start(rt_object *object);
void rt__version_bumped(const rt_model_desc *model, rt_object *const *objects, size_t count);
int rt__version_stale(rt_conn *conn, const rt_model_desc *model, const rt_object *object);
int rt__version_find_stale_delete(rt_conn *conn, const rt_model_desc *model,
				  rt_object *const *objects, size_t count);

/* One row of a many-to-many association table: `left` is the object of
 * the model that owns `rel`, `right` an item of its collection. */
typedef struct rt_assoc_pair {
	const rt_relationship_desc *rel;
	rt_object *left, *right;
} rt_assoc_pair;
/* Inserts (insert true) or deletes association rows; pairs all of one
 * relationship. */
int rt__flush_assoc(rt_session *session, rt_conn *conn, const rt_assoc_pair *pairs,
		    size_t count, bool insert);
/* Deletes every association row of rel that names object. */
int rt__flush_assoc_clear(rt_session *session, rt_conn *conn, const rt_relationship_desc *rel,
			  rt_object *const *objects, size_t count);

void rt__flush_cache_free(rt_session *session);

/* The SQL of a flush's statements (flush_sql.c), cached per session. */
/* Keys per SELECT that reads generated columns back. */
#define RT_FLUSH_READ_BACK_CHUNK 500
enum rt_flush_sql_kind { SQL_INSERT = 1, SQL_INSERT_PLAIN, SQL_READ_BACK, SQL_READ_RANGE, SQL_EXISTS,
		SQL_UPDATE,
		SQL_DELETE, SQL_ASSOC_INSERT, SQL_ASSOC_DELETE, SQL_ASSOC_CLEAR };
bool rt__flush_returning_usable(const rt_dialect *d);
/* The bound parameters one statement may take on d. */
int rt__flush_max_parameters(const rt_dialect *d);
/* Rows per multi-row INSERT or upsert statement (the dialect's
 * rows_per_insert, else 1,000). */
int rt__flush_rows_per_insert(const rt_dialect *d);
void rt__flush_put_insert(rt_buf *buf, const rt_dialect *d, const rt_model_desc *model,
			  const rt_colset *columns, size_t rows, bool returning);
const char *rt__flush_insert_sql(rt_session *session, const rt_dialect *d,
				 const rt_model_desc *model, const rt_colset *columns, bool plain);
const char *rt__flush_update_sql(rt_session *session, const rt_dialect *d,
				 const rt_model_desc *model, const rt_colset *columns);
const char *rt__flush_read_back_sql(rt_session *session, const rt_dialect *d,
				    const rt_model_desc *model, const rt_colset *columns,
				    bool range);
const char *rt__flush_exists_sql(rt_session *session, const rt_dialect *d,
				 const rt_model_desc *model);
const char *rt__flush_delete_sql(rt_session *session, const rt_dialect *d,
				 const rt_model_desc *model);
const char *rt__flush_assoc_sql(rt_session *session, const rt_dialect *d,
				const rt_relationship_desc *rel, int kind);

/* ------------------------------------------------------------------------ */
/* A running flush (flush.c, flush_delete.c)                                 */
/* ------------------------------------------------------------------------ */

/* A key to copy from parent to child when the parent has one. */
typedef struct rt_flush_dep {
	rt_object *child, *parent;
	const rt_relationship_desc *rel; /* of the child (child_side) or the parent */
	bool child_side;
	int32_t next;                    /* next dependency of the same child, or -1 */
} rt_flush_dep;

/* A growable array of object pointers. */
typedef struct rt_objlist {
	rt_object **items;
	size_t count, cap;
} rt_objlist;

typedef struct rt_model_plan {
	const rt_model_desc *model;
	rt_objlist pending, persistent, deleted;
	int visit; /* topological sort: 0 new, 1 on the path, 2 done */
} rt_model_plan;

typedef struct rt_flush_run {
	rt_session *session;
	rt_conn *conn;            /* taken on the first statement */
	bool wrote;               /* a statement ran */
	rt_model_plan *models;
	size_t model_count, model_cap;
	rt_model_plan **order;    /* parents first */
	rt_flush_dep *deps;
	size_t dep_count, dep_cap;
	/* Per object, by its place in session->objects (numbered by
	 * rt__flush_gather): its first dependency in deps, or -1. Kept here,
	 * not in every object's header, which a loaded row pays for. */
	int32_t *first_dep;
	size_t first_dep_count;
	rt_objlist post_update;   /* children of cycles, keys set after insert */
	rt_objlist batch;
} rt_flush_run;

/* Where the first of object's dependencies is noted, or NULL for an
 * object the gathering did not number (one loaded during the flush: it
 * has none). */
static inline int32_t *rt__flush_first_dep(rt_flush_run *run, const rt_object *object)
{
	return object->tracked && object->slot < run->first_dep_count &&
			       run->session->objects[object->slot] == object
		       ? &run->first_dep[object->slot]
		       : NULL;
}
/* Its first dependency, or -1. */
static inline int32_t rt__flush_dep_head(rt_flush_run *run, const rt_object *object)
{
	const int32_t *first = rt__flush_first_dep(run, object);
	return first ? *first : -1;
}

/* Object visit states of a flush (rt_object.flush_state). */
enum { RT_VISIT_NEW = 0, RT_VISIT_PATH, RT_VISIT_DONE, RT_VISIT_IN_BATCH, RT_VISIT_INSERTED };

int rt__objlist_push(rt_objlist *list, rt_object *object);
/* Marks an object deleted, with its cascades (flush_delete.c). */
int rt__flush_delete_object(rt_object *object);
/* The run's connection, with its transaction begun (flush.c). */
int rt__flush_conn(rt_flush_run *run);
/* The plan (flush_plan.c): steps 1 to 4 of flush.c's header comment. */
int rt__flush_cascade_adds(rt_session *session);
int rt__flush_find_orphans(rt_session *session);
int rt__flush_gather(rt_flush_run *run);
int rt__flush_collect_deps(rt_flush_run *run, rt_object *object);
int rt__flush_order_models(rt_flush_run *run);
/* A dependency's child key columns, and the parent's key copied into them. */
const int *rt__flush_child_columns(const rt_flush_dep *d);
void rt__flush_apply_dep(const rt_flush_dep *d);
/* Many-to-many rows from the collections' differences (flush_delete.c). */
int rt__flush_write_associations(rt_flush_run *run);
/* Association rows of deleted objects, then the rows, children first. */
int rt__flush_write_deletes(rt_flush_run *run);
/* Whether two collections hold the same items in the same order. */
bool rt__list_same_items(const rt_list *a, const rt_list *b);

/* Membership in a collection in O(1): a hash set of its items when it is
 * long, the list itself when short (no allocation). */
typedef struct rt_list_lookup {
	const rt_list *list;
	void **slots;  /* NULL: search the list */
	size_t mask;
} rt_list_lookup;
int rt__list_lookup_init(rt_list_lookup *lookup, const rt_list *list);
bool rt__list_lookup_has(const rt_list_lookup *lookup, const void *item);
void rt__list_lookup_free(rt_list_lookup *lookup);

/* Small accessors the flush files share. */
static inline rt_object *rt__flush_header(void *body)
{
	return (rt_object *)(void *)((char *)body - rt__object_header_size());
}

static inline bool rt__rel_is_to_many(const rt_relationship_desc *rel)
{
	return rel->kind == RT_RELATIONSHIP_ONE_TO_MANY || rel->kind == RT_RELATIONSHIP_MANY_TO_MANY;
}

static inline void **rt__rel_pointer(void *body, const rt_relationship_desc *rel)
{
	return (void **)(void *)((char *)body + rel->offset);
}

static inline rt_list *rt__rel_list(void *body, const rt_relationship_desc *rel)
{
	return (rt_list *)(void *)((char *)body + rel->offset);
}

static inline bool rt__object_is_live(const rt_object *object)
{
	return object->state == RT_STATE_PENDING || object->state == RT_STATE_PERSISTENT;
}

/* Whether every column in cols of model may hold NULL. */
static inline bool rt__columns_nullable(const rt_model_desc *model, const int *cols, int n)
{
	for (int i = 0; i < n; i++)
		if (!(model->columns[cols[i]].flags & RT_COLUMN_NULLABLE))
			return false;
	return true;
}

static inline void rt__columns_set_null(rt_object *object, const int *cols, int n)
{
	for (int i = 0; i < n; i++)
		rt__field_set_null(&object->model->columns[cols[i]], RT_OBJECT_BODY(object));
}

#endif
