/*
 * relload.c - loading a relationship of one or many objects: the selectin
 * strategy. For N parents it runs one
 *     SELECT <target columns> FROM target WHERE <key> IN (?, ...)
 * per chunk of CHUNK distinct keys (a many-to-many joins its association
 * table and selects its key columns too), never one statement per parent,
 * and hands each row to the parents whose key it carries. A many-to-one
 * looks in the identity map first and selects only the targets the
 * session does not have.
 *
 * The IN list is padded to a power of two (repeating the last key), so a
 * relationship compiles to a handful of distinct statements that the
 * connection's statement cache keeps prepared.
 *
 * Back sides: loading Author.books also sets each book's `author` (it is
 * that author) and marks it loaded; loading a one-to-one sets the other
 * side's pointer. A collection on the other side (Author.books when
 * loading Book.author, Tag.authors when loading Author.tags) is left
 * alone: these rows do not say what else is in it.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/query.h"
#include "orm/joined.h"

#define CHUNK 512

typedef struct loader {
	rt_session *session;
	const rt_model_desc *model;      /* the parents' model */
	int index;                       /* the relationship's index in it */
	const rt_relationship_desc *rel;
	const rt_dialect *dialect;
	rt_conn *conn;
	rt_object **parents;
	size_t parent_count;
	rt_keyset *keys;                 /* distinct parent keys */
	long *first;                     /* per key group: first parent, -1 */
	long *next;                      /* per parent: next of its group, -1 */
	long *to_select;                    /* groups to select */
	size_t to_select_count;
	void *probe;                     /* a parent body to read keys into */
	rt_buf sql;
	size_t prefix_len;               /* SQL up to "IN (" */
	int sql_keys;                    /* keys of the full SQL in sql, 0 = none */
	bool fresh;                      /* the session has no target objects yet */
	/* To-many: (parent, child) in row order, made into the parents'
	 * collections at the end, each exactly as long as it needs. */
	struct pair *pairs;
	size_t pair_count, pair_cap;
} loader;

typedef struct pair {
	size_t parent;
	void *child;
} pair;

static void *body_of(rt_object *object)
{
	return RT_OBJECT_BODY(object);
}

static rt_object *header_of(void *body)
{
	return (rt_object *)((char *)body - rt__object_header_size());
}

static rt_list *list_of(rt_object *object, const rt_relationship_desc *rel)
{
	return (rt_list *)((char *)body_of(object) + rel->offset);
}

static void loader_free(loader *l)
{
	rt__keyset_free(l->keys);
	free(l->parents);
	free(l->first);
	free(l->next);
	free(l->to_select);
	free(l->probe);
	free(l->pairs);
	rt__buf_free(&l->sql);
}

/* The key parent i is matched on; false when part of it is NULL. */
static bool parent_key(const loader *l, rt_object *parent, rt_value_ref *key)
{
	const void *body = body_of(parent);
	for (int k = 0; k < l->rel->column_count; k++) {
		const rt_column_desc *column = &l->model->columns[l->rel->columns[k]];
		if (rt__field_is_null(column, body))
			return false;
		key[k] = rt__field_value(column, body);
	}
	return true;
}

/* Groups the parents by key; a parent without a key is left out (its
 * relationship stays as the caller reset it: NULL or empty). */
static int group_parents(loader *l)
{
	int width = l->rel->column_count;
	int rc = rt__keyset_new(&l->keys, width, l->parent_count);
	if (rc < 0)
		return rc;
	l->first = malloc((l->parent_count + 1) * sizeof(*l->first));
	l->next = malloc((l->parent_count + 1) * sizeof(*l->next));
	l->to_select = malloc((l->parent_count + 1) * sizeof(*l->to_select));
	if (!l->first || !l->next || !l->to_select)
		return rt__error_nomem();
	rt_value_ref key[16];
	if (width > 16)
		return rt__error_set(RT_EINVAL, "relationship %s.%s: more than 16 key columns",
				     l->model->name, l->rel->name);
	for (size_t i = 0; i < l->parent_count; i++) {
		l->next[i] = -1;
		if (!parent_key(l, l->parents[i], key))
			continue;
		bool added;
		long g = rt__keyset_add(l->keys, key, &added);
		if (g < 0)
			return rt__error_nomem();
		if (added) {
			l->first[g] = (long)i;
			l->to_select[l->to_select_count++] = g;
		} else {
			/* Several parents share a key only through a many-to-one
			 * (many books, one author): order does not matter. */
			l->next[i] = l->first[g];
			l->first[g] = (long)i;
		}
	}
	return RT_OK;
}

/* --- the SQL ----------------------------------------------------------------------- */

/* The expression of key column k in the SELECT: the association table's
 * column for a many-to-many, else the target's column that matches the
 * parent's column k. */
static void key_expr(loader *l, int k)
{
	const rt_relationship_desc *rel = l->rel;
	if (rel->kind == RT_RELATIONSHIP_MANY_TO_MANY) {
		rt__buf_puts(&l->sql, "s.");
		l->dialect->quote_ident(&l->sql, rel->secondary_columns[k]);
	} else {
		rt__sql_column(&l->sql, l->dialect, "t0", rel->target, rel->target_columns[k]);
	}
}

/* Key columns selected ahead of the target's columns. */
static int key_width(const loader *l)
{
	return l->rel->kind == RT_RELATIONSHIP_MANY_TO_MANY ? l->rel->column_count : 0;
}

static void build_prefix(loader *l)
{
	const rt_relationship_desc *rel = l->rel;
	rt_buf *sql = &l->sql;
	rt__buf_puts(sql, "SELECT ");
	/* A many-to-many row says whose it is in the association table's
	 * columns; any other row in its own key columns. */
	for (int k = 0; k < key_width(l); k++) {
		key_expr(l, k);
		rt__buf_puts(sql, ", ");
	}
	rt__select_columns(sql, l->dialect, rel->target, "t0");
	rt__buf_puts(sql, " FROM ");
	rt__sql_model_source(sql, l->dialect, rel->target);
	rt__buf_puts(sql, " AS t0");
	if (rel->kind == RT_RELATIONSHIP_MANY_TO_MANY) {
		rt__buf_puts(sql, " JOIN ");
		rt__sql_table(sql, l->dialect, rel->secondary_schema, rel->secondary);
		rt__buf_puts(sql, " AS s ON ");
		for (int k = 0; k < rel->column_count; k++) {
			if (k)
				rt__buf_puts(sql, " AND ");
			rt__buf_puts(sql, "s.");
			l->dialect->quote_ident(sql, rel->secondary_target_columns[k]);
			rt__buf_puts(sql, " = ");
			rt__sql_column(sql, l->dialect, "t0", rel->target, rel->target_columns[k]);
		}
	}
	rt__buf_puts(sql, " WHERE ");
	if (rel->column_count > 1)
		rt__buf_putc(sql, '(');
	for (int k = 0; k < rel->column_count; k++) {
		if (k)
			rt__buf_puts(sql, ", ");
		key_expr(l, k);
	}
	rt__buf_puts(sql, rel->column_count > 1 ? ") IN (" : " IN (");
	l->prefix_len = sql->len;
}

/* The full statement for n keys. */
static void build_sql(loader *l, int n)
{
	rt_buf *sql = &l->sql;
	sql->len = l->prefix_len;
	if (sql->ptr)
		sql->ptr[sql->len] = '\0';
	int width = l->rel->column_count;
	for (int i = 0; i < n; i++) {
		if (i)
			rt__buf_puts(sql, ", ");
		if (width > 1) {
			rt__buf_putc(sql, '(');
			for (int k = 0; k < width; k++)
				rt__buf_puts(sql, k ? ", ?" : "?");
			rt__buf_putc(sql, ')');
		} else {
			rt__buf_putc(sql, '?');
		}
	}
	rt__buf_putc(sql, ')');
	const rt_relationship_desc *rel = l->rel;
	bool collection = rel->kind == RT_RELATIONSHIP_ONE_TO_MANY ||
			  rel->kind == RT_RELATIONSHIP_MANY_TO_MANY;
	if (collection && rel->order_by >= 0) {
		rt__buf_puts(sql, " ORDER BY ");
		rt__sql_column(sql, l->dialect, "t0", rel->target, rel->order_by);
		if (rel->flags & RT_RELATIONSHIP_ORDER_DESC)
			rt__buf_puts(sql, " DESC");
	}
	l->sql_keys = n;
}

/* --- rows to parents ------------------------------------------------------------------ */

static int add_pair(loader *l, size_t parent, void *child)
{
	if (l->pair_count == l->pair_cap) {
		size_t cap = l->pair_cap ? l->pair_cap * 2 : 256;
		pair *grown = realloc(l->pairs, cap * sizeof(*grown));
		if (!grown)
			return rt__error_nomem();
		l->pairs = grown;
		l->pair_cap = cap;
	}
	l->pairs[l->pair_count].parent = parent;
	l->pairs[l->pair_count].child = child;
	l->pair_count++;
	return RT_OK;
}

/* Hands the row's object to every parent of group g. */
static int attach(loader *l, long g, void *child)
{
	const rt_relationship_desc *rel = l->rel;
	for (long i = l->first[g]; i >= 0; i = l->next[i]) {
		rt_object *parent = l->parents[i];
		int rc = RT_OK;
		switch (rel->kind) {
		case RT_RELATIONSHIP_MANY_TO_ONE:
		case RT_RELATIONSHIP_ONE_TO_ONE:
			rc = rt__relationship_set_one(parent, l->index, child);
			break;
		case RT_RELATIONSHIP_ONE_TO_MANY:
			rc = add_pair(l, (size_t)i, child);
			/* The child's many-to-one is this parent. */
			if (rc == RT_OK && rel->back >= 0)
				rc = rt__relationship_set_one(header_of(child), rel->back,
							      body_of(parent));
			break;
		case RT_RELATIONSHIP_MANY_TO_MANY:
			rc = add_pair(l, (size_t)i, child);
			break;
		}
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The parent key a row belongs to: from the association table's columns
 * ahead of the object's (many-to-many), else from the object itself. */
static int row_key(loader *l, rt_stmt *stmt, void *child, rt_value_ref *key)
{
	const rt_relationship_desc *rel = l->rel;
	for (int k = 0; k < rel->column_count; k++) {
		if (rel->kind == RT_RELATIONSHIP_MANY_TO_MANY) {
			int column = rel->columns[k];
			int rc = rt__field_read(stmt, k, l->model, column, l->probe,
						l->session->arena);
			if (rc < 0)
				return rc;
			key[k] = rt__field_value(&l->model->columns[column], l->probe);
		} else {
			key[k] = rt__field_value(&rel->target->columns[rel->target_columns[k]],
						 child);
		}
	}
	return RT_OK;
}

static int read_rows(loader *l, rt_stmt *stmt)
{
	const rt_relationship_desc *rel = l->rel;
	int first = key_width(l);
	rt_value_ref key[16];
	int rc = rt_stmt_step(stmt);
	for (; rc == RT_ROW; rc = rt_stmt_step(stmt)) {
		void *child;
		rc = l->fresh ? rt__object_from_new_row(l->session, rel->target, stmt, first, &child)
			      : rt__object_from_row(l->session, rel->target, stmt, first, &child);
		if (rc == RT_OK)
			rc = row_key(l, stmt, child, key);
		if (rc < 0)
			return rc;
		long g = rt__keyset_find(l->keys, key);
		if (g >= 0 && (rc = attach(l, g, child)) < 0)
			return rc;
	}
	return rc == RT_DONE ? RT_OK : rc;
}

static size_t padded(size_t n)
{
	size_t p = 1;
	while (p < n)
		p *= 2;
	return p;
}

/* Selects the rows of the groups in l->to_select, CHUNK keys at a time. */
static int select_chunks(loader *l)
{
	const rt_relationship_desc *rel = l->rel;
	int width = rel->column_count;
	build_prefix(l);
	for (size_t start = 0; start < l->to_select_count; start += CHUNK) {
		size_t n = l->to_select_count - start < CHUNK ? l->to_select_count - start : CHUNK;
		size_t p = padded(n);
		if (l->sql_keys != (int)p)
			build_sql(l, (int)p);
		if (rt__buf_failed(&l->sql))
			return rt__error_nomem();
		rt_stmt *stmt;
		int rc = rt__conn_statement(l->conn, rt__buf_cstr(&l->sql), &stmt);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < p && rc == RT_OK; i++) {
			long g = l->to_select[start + (i < n ? i : n - 1)];
			const rt_value_ref *key = rt__keyset_key(l->keys, g);
			for (int k = 0; k < width && rc == RT_OK; k++)
				rc = rt__value_bind(stmt, (int)i * width + k + 1, &key[k],
						    &l->model->columns[rel->columns[k]]);
		}
		if (rc == RT_OK)
			rc = read_rows(l, stmt);
		rt_stmt_reset(stmt);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* --- many-to-one: the identity map first ----------------------------------------------- */

/* true when the relationship's target columns are the target's primary
 * key, in its order: then a key finds the target in the identity map. */
static bool targets_primary_key(const rt_relationship_desc *rel)
{
	const rt_model_desc *target = rel->target;
	if (rel->column_count != target->primary_key_count)
		return false;
	for (int k = 0; k < rel->column_count; k++)
		if (rel->target_columns[k] != target->primary_key[k])
			return false;
	return true;
}

/* Resolves the groups whose target the session already has, and leaves
 * the others in l->to_select. */
static int resolve_from_identity_map(loader *l)
{
	const rt_relationship_desc *rel = l->rel;
	const rt_model_desc *target = rel->target;
	if (!targets_primary_key(rel))
		return RT_OK;
	void *probe = calloc(1, target->size);
	if (!probe)
		return rt__error_nomem();
	size_t kept = 0;
	int rc = RT_OK;
	for (size_t t = 0; t < l->to_select_count && rc == RT_OK; t++) {
		long g = l->to_select[t];
		const rt_value_ref *key = rt__keyset_key(l->keys, g);
		rt_object *found = NULL;
		bool stored = true;
		for (int k = 0; k < rel->column_count && stored; k++)
			stored = rt__field_store(&target->columns[rel->target_columns[k]], probe,
						 &key[k]) == RT_OK;
		if (stored)
			found = rt__identity_find(l->session->identity, target, probe);
		if (found && !found->expired && found->state == RT_STATE_PERSISTENT)
			rc = attach(l, g, body_of(found));
		else
			l->to_select[kept++] = g;
	}
	free(probe);
	l->to_select_count = kept;
	return rc;
}

/* --- the entry points -------------------------------------------------------------------- */

/* Empties what is about to be loaded, so that parents without rows end
 * up NULL or empty. */
static int reset_parents(loader *l)
{
	const rt_relationship_desc *rel = l->rel;
	int rc = RT_OK;
	for (size_t i = 0; i < l->parent_count && rc == RT_OK; i++) {
		rt_object *parent = l->parents[i];
		if (rel->kind == RT_RELATIONSHIP_ONE_TO_MANY ||
		    rel->kind == RT_RELATIONSHIP_MANY_TO_MANY) {
			rt_list *list = list_of(parent, rel);
			list->count = 0;
			list->loaded = false;
		} else {
			rc = rt__relationship_set_one(parent, l->index, NULL);
		}
	}
	return rc;
}

/* Fills the collections from the pairs: one block of session memory for
 * every parent's items and one for their snapshots, cut to size. */
static int finish_collections(loader *l)
{
	const rt_relationship_desc *rel = l->rel;
	if (rel->kind != RT_RELATIONSHIP_ONE_TO_MANY && rel->kind != RT_RELATIONSHIP_MANY_TO_MANY)
		return RT_OK;
	rt_arena *arena = l->session->arena;
	size_t *counts = calloc(l->parent_count + 1, sizeof(*counts));
	void **items = l->pair_count
			       ? rt__arena_alloc(arena, 2 * l->pair_count * sizeof(void *))
			       : NULL;
	if (!counts || (l->pair_count && !items)) {
		free(counts);
		return rt__error_nomem();
	}
	for (size_t p = 0; p < l->pair_count; p++)
		counts[l->pairs[p].parent]++;
	size_t offset = 0;
	for (size_t i = 0; i < l->parent_count; i++) {
		rt_list *list = list_of(l->parents[i], rel);
		list->count = 0;
		if (counts[i]) {
			list->items = items + offset;
			list->capacity = counts[i];
			offset += counts[i];
		}
	}
	for (size_t p = 0; p < l->pair_count; p++) {
		rt_list *list = list_of(l->parents[l->pairs[p].parent], rel);
		list->items[list->count++] = l->pairs[p].child;
	}
	free(counts);
	int rc = RT_OK;
	for (size_t i = 0; i < l->parent_count && rc == RT_OK; i++) {
		rt_object *parent = l->parents[i];
		rt_list *list = list_of(parent, rel);
		list->loaded = true;
		rc = rt__rel_mark_loaded(parent, l->index);
		if (rc < 0)
			break;
		/* The snapshot's items sit in the second half of the block, at
		 * the same place. */
		void **snapshot = list->count ? items + l->pair_count + (list->items - items) : NULL;
		rc = rt__collection_snapshot_into(parent, l->index, snapshot);
	}
	return rc;
}

int rt__load_relationship_many(rt_session *session, const rt_model_desc *model, int relationship,
			       void *const *bodies, size_t count)
{
	return rt__load_relationship_fresh(session, model, relationship, bodies, count, false);
}

int rt__load_relationship_fresh(rt_session *session, const rt_model_desc *model,
				int relationship, void *const *bodies, size_t count, bool fresh)
{
	if (count == 0)
		return RT_OK;
	loader l = {.session = session, .model = model, .index = relationship,
		    .rel = &model->relationships[relationship], .sql = RT_BUF_INIT};
	/* A target row comes once per key unless it is many-to-many. */
	l.fresh = fresh && l.rel->kind != RT_RELATIONSHIP_MANY_TO_MANY;
	int rc = rt__session_conn(session, &l.conn);
	if (rc < 0)
		return rc;
	l.dialect = l.conn->dialect;
	l.parents = malloc(count * sizeof(*l.parents));
	l.probe = calloc(1, model->size);
	if (!l.parents || !l.probe) {
		loader_free(&l);
		return rt__error_nomem();
	}
	for (size_t i = 0; i < count; i++)
		l.parents[i] = header_of(bodies[i]);
	l.parent_count = count;

	rc = reset_parents(&l);
	if (rc == RT_OK)
		rc = group_parents(&l);
	if (rc == RT_OK && l.rel->kind == RT_RELATIONSHIP_MANY_TO_ONE)
		rc = resolve_from_identity_map(&l);
	if (rc == RT_OK && l.to_select_count)
		rc = select_chunks(&l);
	if (rc == RT_OK)
		rc = finish_collections(&l);
	loader_free(&l);
	return rc;
}

int rt_object_load(void *object, const char *name)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return RT_EINVAL;
	rt_session *session = header->session;
	int rc = rt__session_check(session);
	if (rc < 0)
		return rc;
	if (!name)
		return rt__error_set(RT_EINVAL, "rt_object_load: NULL relationship name");
	int index;
	if (!rt__relationship_find(header->model, name, &index))
		return RT_EINVAL;
	/* What the program changed is written first, so that the load sees
	 * it (and a pending object gets its key). */
	rc = rt__flush(session);
	if (rc < 0)
		return rc;
	if (header->state != RT_STATE_PERSISTENT)
		return rt__error_set(RT_EINVAL, "rt_object_load: the %s is %s; only an object "
					      "with a row can load %s", header->model->name,
				     header->state == RT_STATE_PENDING ? "not inserted"
								       : "deleted or expunged",
				     name);
	return rt__load_relationship_many(session, header->model, index, &object, 1);
}
