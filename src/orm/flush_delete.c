/*
 * flush_delete.c - deleting: rt_object_delete with its cascades (which may
 * load a collection, since the program asked for the delete), and the
 * statements a flush runs for deleted rows and for many-to-many rows.
 *
 * Association rows of a deleted object go first, then the rows, models
 * children first and a self-referential model's rows children first (a
 * row's parent found through its pointer, or by key in the identity map).
 * A pair of a many-to-many collection is one row whichever side reports
 * it: the pairs are named from the side with the lower descriptor address.
 */
#include "orm/flush.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/joined.h"

/* ------------------------------------------------------------------------ */
/* Delete and its cascades                                                   */
/* ------------------------------------------------------------------------ */


/* Loads relationship index of object when the program has not. */
static int ensure_loaded(rt_object *object, int index)
{
	const rt_relationship_desc *rel = &object->model->relationships[index];
	bool loaded = rt__rel_is_to_many(rel) ? rt__rel_list(RT_OBJECT_BODY(object), rel)->loaded
				      : rt__rel_loaded(object, index);
	if (loaded || !object->persisted)
		return RT_OK;
	void *body = RT_OBJECT_BODY(object);
	return rt__load_relationship_many(object->session, object->model, index, &body, 1);
}

/* A delete cascading to a child: one already deleted (its DELETE flushed
 * or not) or out of the session is left as it is; the program's own
 * rt_object_delete of such an object is the error. */
static int cascade_to(void *child)
{
	rt_object *header = rt__flush_header(child);
	if (!rt__object_is_live(header))
		return RT_OK;
	return rt__flush_delete_object(header);
}

static int cascade_delete(rt_object *object)
{
	const rt_model_desc *model = object->model;
	void *body = RT_OBJECT_BODY(object);
	for (int r = 0; r < model->relationship_count; r++) {
		const rt_relationship_desc *rel = &model->relationships[r];
		if (rel->kind == RT_RELATIONSHIP_MANY_TO_MANY)
			continue; /* association rows only: the flush deletes them */
		if (rel->flags & RT_RELATIONSHIP_CASCADE_DELETE) {
			int rc = ensure_loaded(object, r);
			if (rc < 0)
				return rt__error_wrap("deleting %s: loading %s", model->name,
						      rel->name);
			if (rt__rel_is_to_many(rel)) {
				/* From the end: a pending child leaves the list as
				 * it is deleted. */
				rt_list *list = rt__rel_list(body, rel);
				for (size_t i = list->count; i-- > 0;)
					if (i < list->count &&
					    (rc = cascade_to(list->items[i])) < 0)
						return rc;
			} else if (*rt__rel_pointer(body, rel)) {
				if ((rc = cascade_to(*rt__rel_pointer(body, rel))) < 0)
					return rc;
			}
			continue;
		}
		/* No cascade: loaded children let go of the parent (their key
		 * set to NULL, as SQLAlchemy does) where the key may be NULL;
		 * else the database decides (ON DELETE, or an error). */
		if (rel->kind != RT_RELATIONSHIP_ONE_TO_MANY && rel->kind != RT_RELATIONSHIP_ONE_TO_ONE)
			continue;
		if (!rt__columns_nullable(rel->target, rel->target_columns, rel->column_count))
			continue;
		void **items;
		size_t count;
		void *single = *rt__rel_pointer(body, rel);
		if (rel->kind == RT_RELATIONSHIP_ONE_TO_MANY) {
			items = rt__rel_list(body, rel)->items;
			count = rt__rel_list(body, rel)->count;
		} else {
			items = &single;
			count = single ? 1 : 0;
		}
		for (size_t i = 0; i < count; i++) {
			rt_object *child = rt__flush_header(items[i]);
			if (!rt__object_is_live(child))
				continue;
			rt__columns_set_null(child, rel->target_columns, rel->column_count);
			if (rel->back >= 0) {
				void **back = rt__rel_pointer(items[i], &rel->target->relationships[rel->back]);
				if (*back == body)
					*back = NULL;
			}
		}
	}
	return RT_OK;
}

int rt__flush_delete_object(rt_object *object)
{
	rt_session *session = object->session;
	switch (object->state) {
	case RT_STATE_DELETED:
		return RT_OK;
	case RT_STATE_GONE:
	case RT_STATE_DETACHED:
		return rt__error_set(RT_EINVAL, "rt_object_delete: the %s is not in the session "
					      "(already deleted, or expunged)", object->model->name);
	case RT_STATE_PENDING: {
		/* Never inserted: it just leaves, with what it cascades to, and
		 * leaves the collections and pointers of its relatives too, or
		 * the next flush would add it back through them (the save-update
		 * cascade that brings back an expunged object). */
		rt__session_untrack(session, object);
		object->state = RT_STATE_DETACHED;
		int rc = cascade_delete(object);
		if (rc == RT_OK)
			rt__object_leave_back_sides(object);
		return rc;
	}
	case RT_STATE_PERSISTENT:
		break;
	}
	object->state = RT_STATE_DELETED;
	session->has_deletes = true;
	return cascade_delete(object);
}

int rt_object_delete(void *object)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__error_wrap("rt_object_delete");
	int rc = rt__session_usable(header->session);
	if (rc == RT_OK && header->model->view)
		rc = rt__error_set(RT_EINVAL, "rt_object_delete: %s is mapped onto the view %s, "
					      "which is read-only: no row can be deleted",
				   header->model->name, header->model->view);
	return rc < 0 ? rc : rt__flush_delete_object(header);
}

/* ------------------------------------------------------------------------ */
/* Many-to-many association rows                                             */
/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* Membership without quadratic scans                                        */
/* ------------------------------------------------------------------------ */

#define LOOKUP_LINEAR 16

static uint64_t pointer_hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

int rt__list_lookup_init(rt_list_lookup *lookup, const rt_list *list)
{
	lookup->list = list;
	lookup->slots = NULL;
	lookup->mask = 0;
	if (!list || list->count <= LOOKUP_LINEAR)
		return RT_OK;
	size_t cap = 64;
	while (cap < list->count * 2)
		cap *= 2;
	lookup->slots = calloc(cap, sizeof(*lookup->slots));
	if (!lookup->slots)
		return rt__error_nomem();
	lookup->mask = cap - 1;
	for (size_t i = 0; i < list->count; i++) {
		size_t at = (size_t)pointer_hash(list->items[i]) & lookup->mask;
		while (lookup->slots[at] && lookup->slots[at] != list->items[i])
			at = (at + 1) & lookup->mask;
		lookup->slots[at] = list->items[i];
	}
	return RT_OK;
}

bool rt__list_lookup_has(const rt_list_lookup *lookup, const void *item)
{
	if (!lookup->list)
		return false;
	if (!lookup->slots)
		return rt__list_contains(lookup->list, item);
	for (size_t at = (size_t)pointer_hash(item) & lookup->mask; lookup->slots[at];
	     at = (at + 1) & lookup->mask)
		if (lookup->slots[at] == item)
			return true;
	return false;
}

void rt__list_lookup_free(rt_list_lookup *lookup)
{
	free(lookup->slots);
	lookup->slots = NULL;
}

/* ------------------------------------------------------------------------ */
/* Many-to-many pairs                                                        */
/* ------------------------------------------------------------------------ */

/* Pairs to insert or delete, with a hash index (pair + 1, 0 = empty) so
 * that a pair reported from both sides is kept once in O(1). */
typedef struct pair_list {
	rt_assoc_pair *items;
	size_t count, cap;
	size_t *index;
	size_t index_mask;
} pair_list;

/* One row seen from either side is one pair: the relationship with the
 * lower address of the two (it and its back) names the orientation. */
static rt_assoc_pair canonical(const rt_relationship_desc *rel, rt_object *object,
			       rt_object *item)
{
	rt_assoc_pair pair = {rel, object, item};
	if (rel->back >= 0) {
		const rt_relationship_desc *back = &rel->target->relationships[rel->back];
		if ((uintptr_t)back < (uintptr_t)rel) {
			pair.rel = back;
			pair.left = item;
			pair.right = object;
		}
	}
	return pair;
}

static bool same_pair(const rt_assoc_pair *a, const rt_assoc_pair *b)
{
	return a->rel == b->rel && a->left == b->left && a->right == b->right;
}

static size_t pair_slot(const pair_list *list, const rt_assoc_pair *pair)
{
	uint64_t h = pointer_hash(pair->rel) ^ (pointer_hash(pair->left) * 31) ^
		     (pointer_hash(pair->right) * 1000003);
	return (size_t)h & list->index_mask;
}

static int pair_index_grow(pair_list *list)
{
	size_t cap = list->index ? (list->index_mask + 1) * 2 : 64;
	size_t *index = calloc(cap, sizeof(*index));
	if (!index)
		return rt__error_nomem();
	free(list->index);
	list->index = index;
	list->index_mask = cap - 1;
	for (size_t i = 0; i < list->count; i++) {
		size_t at = pair_slot(list, &list->items[i]);
		while (list->index[at])
			at = (at + 1) & list->index_mask;
		list->index[at] = i + 1;
	}
	return RT_OK;
}

static int pair_add(pair_list *list, rt_assoc_pair pair)
{
	if ((list->count + 1) * 2 > (list->index ? list->index_mask + 1 : 0) &&
	    pair_index_grow(list) < 0)
		return RT_ENOMEM;
	size_t at = pair_slot(list, &pair);
	for (; list->index[at]; at = (at + 1) & list->index_mask)
		if (same_pair(&list->items[list->index[at] - 1], &pair))
			return RT_OK; /* both sides reported it */
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		rt_assoc_pair *items = realloc(list->items, cap * sizeof(*items));
		if (!items)
			return rt__error_nomem();
		list->items = items;
		list->cap = cap;
	}
	list->items[list->count++] = pair;
	list->index[at] = list->count;
	return RT_OK;
}

static int pair_compare(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const rt_assoc_pair *)a)->rel;
	uintptr_t y = (uintptr_t)((const rt_assoc_pair *)b)->rel;
	return x < y ? -1 : x > y;
}

static int run_pairs(rt_flush_run *run, pair_list *list, bool insert)
{
	if (!list->count)
		return RT_OK;
	/* Stable enough: pairs of one relationship run as one batch. */
	qsort(list->items, list->count, sizeof(*list->items), pair_compare);
	int rc = rt__flush_conn(run);
	for (size_t start = 0; start < list->count && rc == RT_OK;) {
		size_t end = start;
		while (end < list->count && list->items[end].rel == list->items[start].rel)
			end++;
		rc = rt__flush_assoc(run->session, run->conn, &list->items[start], end - start,
				     insert);
		start = end;
	}
	return rc;
}

bool rt__list_same_items(const rt_list *a, const rt_list *b)
{
	return a->count == b->count &&
	       (a->count == 0 || !memcmp(a->items, b->items, a->count * sizeof(void *)));
}

static int collect_pairs(rt_object *object, pair_list *adds, pair_list *removes)
{
	const rt_model_desc *model = object->model;
	for (int r = 0; r < model->relationship_count; r++) {
		const rt_relationship_desc *rel = &model->relationships[r];
		if (rel->kind != RT_RELATIONSHIP_MANY_TO_MANY)
			continue;
		rt_list *list = rt__rel_list(RT_OBJECT_BODY(object), rel);
		const rt_list *snapshots = rt__more(object)->collection_snapshots;
		const rt_list *snap = snapshots && snapshots[r].loaded ? &snapshots[r] : NULL;
		if (snap ? rt__list_same_items(list, snap) : list->count == 0)
			continue;
		rt_list_lookup in_snap, in_list;
		int rc = rt__list_lookup_init(&in_snap, snap);
		if (rc == RT_OK)
			rc = rt__list_lookup_init(&in_list, list);
		else
			in_list.slots = NULL;
		for (size_t i = 0; i < list->count && rc == RT_OK; i++) {
			rt_object *item = rt__flush_header(list->items[i]);
			if (item->state == RT_STATE_PERSISTENT &&
			    !rt__list_lookup_has(&in_snap, list->items[i]))
				rc = pair_add(adds, canonical(rel, object, item));
		}
		for (size_t i = 0; snap && i < snap->count && rc == RT_OK; i++) {
			rt_object *item = rt__flush_header(snap->items[i]);
			if (item->state == RT_STATE_PERSISTENT &&
			    !rt__list_lookup_has(&in_list, snap->items[i]))
				rc = pair_add(removes, canonical(rel, object, item));
		}
		rt__list_lookup_free(&in_snap);
		rt__list_lookup_free(&in_list);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

int rt__flush_write_associations(rt_flush_run *run)
{
	pair_list adds = {0}, removes = {0};
	rt_session *session = run->session;
	int rc = RT_OK;
	for (size_t i = 0; i < session->object_count && rc == RT_OK; i++) {
		rt_object *object = session->objects[i];
		if (object && object->state == RT_STATE_PERSISTENT)
			rc = collect_pairs(object, &adds, &removes);
	}
	/* Removed first: a pair removed and added back is one row again. */
	if (rc == RT_OK)
		rc = run_pairs(run, &removes, false);
	if (rc == RT_OK)
		rc = run_pairs(run, &adds, true);
	free(adds.items);
	free(adds.index);
	free(removes.items);
	free(removes.index);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Deletes                                                                   */
/* ------------------------------------------------------------------------ */

/* The deleted row of the same model that object's key points to, if the
 * session has it: through the relationship pointer, else the key. */
static rt_object *deleted_parent(const rt_model_desc *model, rt_object *object, void *probe)
{
	rt_session *session = object->session;
	void *body = RT_OBJECT_BODY(object);
	for (int r = 0; r < model->relationship_count; r++) {
		const rt_relationship_desc *rel = &model->relationships[r];
		if (rel->kind == RT_RELATIONSHIP_MANY_TO_ONE && rel->target == model &&
		    *rt__rel_pointer(body, rel)) {
			rt_object *parent = rt__flush_header(*rt__rel_pointer(body, rel));
			return parent->state == RT_STATE_DELETED ? parent : NULL;
		}
	}
	for (int f = 0; f < model->foreign_key_count; f++) {
		const rt_foreign_key_desc *fk = &model->foreign_keys[f];
		if (fk->target != model || fk->column_count != model->primary_key_count)
			continue;
		/* The key is assumed to reference the primary key, in order. */
		bool has_null = false;
		for (int k = 0; k < fk->column_count; k++) {
			const rt_column_desc *from = &model->columns[fk->columns[k]];
			if (rt__field_is_null(from, rt__object_snapshot(object)))
				has_null = true;
			rt__field_assign(&model->columns[model->primary_key[k]], probe, from,
					 rt__object_snapshot(object));
		}
		if (has_null)
			continue;
		rt_object *parent = rt__identity_find(session->identity, model, probe);
		if (parent && parent != object && parent->state == RT_STATE_DELETED)
			return parent;
	}
	return NULL;
}

static int order_deletes(const rt_model_desc *model, rt_object *object, rt_objlist *out,
			 void *probe)
{
	object->flush_state = RT_VISIT_PATH;
	rt_object *parent = deleted_parent(model, object, probe);
	if (parent && parent->flush_state == RT_VISIT_NEW) {
		int rc = order_deletes(model, parent, out, probe);
		if (rc < 0)
			return rc;
	}
	object->flush_state = RT_VISIT_DONE;
	return rt__objlist_push(out, object);
}

static bool self_referencing(const rt_model_desc *model)
{
	for (int f = 0; f < model->foreign_key_count; f++)
		if (model->foreign_keys[f].target == model)
			return true;
	return false;
}

static int delete_model(rt_flush_run *run, rt_model_plan *plan)
{
	const rt_model_desc *model = plan->model;
	rt_objlist *rows = &plan->deleted;
	rt_objlist ordered = {0};
	int rc = RT_OK;
	if (self_referencing(model) && rows->count > 1) {
		void *probe = calloc(1, model->size);
		if (!probe)
			return rt__error_nomem();
		for (size_t i = 0; i < rows->count && rc == RT_OK; i++)
			if (rows->items[i]->flush_state == RT_VISIT_NEW)
				rc = order_deletes(model, rows->items[i], &ordered, probe);
		free(probe);
		/* Parents came first; children must go first. */
		for (size_t i = 0; i < ordered.count / 2; i++) {
			rt_object *t = ordered.items[i];
			ordered.items[i] = ordered.items[ordered.count - 1 - i];
			ordered.items[ordered.count - 1 - i] = t;
		}
		rows = &ordered;
	}
	for (size_t i = 0; i < rows->count && rc == RT_OK; i++)
		rc = rt__object_journal(rows->items[i]);
	for (size_t i = 0; i < rows->count && rc == RT_OK; i++)
		rc = rt__hooks_run(run->session, RT_HOOK_BEFORE_DELETE, rows->items[i]);
	if (rc == RT_OK)
		rc = rt__flush_conn(run);
	if (rc == RT_OK && rt__model_multi_table(model)) {
		if (rt__joined_delete(run->session, run->conn, model, rows->items, rows->count) < 0)
			rc = rt__error_wrap("deleting %s", model->name);
	} else if (rc == RT_OK && rt__flush_delete(run->session, run->conn, model, rows->items,
						    rows->count) < 0)
		rc = rt__error_wrap("deleting from %s", model->table);
	for (size_t i = 0; i < rows->count && rc == RT_OK; i++)
		rc = rt__hooks_run(run->session, RT_HOOK_AFTER_DELETE, rows->items[i]);
	free(ordered.items);
	return rc;
}

int rt__flush_write_deletes(rt_flush_run *run)
{
	int rc = RT_OK;
	/* Association rows naming a deleted row go before any row. */
	for (size_t m = 0; m < run->model_count && rc == RT_OK; m++) {
		rt_model_plan *plan = &run->models[m];
		const rt_model_desc *model = plan->model;
		for (int r = 0; r < model->relationship_count && rc == RT_OK && plan->deleted.count;
		     r++) {
			const rt_relationship_desc *rel = &model->relationships[r];
			if (rel->kind != RT_RELATIONSHIP_MANY_TO_MANY)
				continue;
			rc = rt__flush_conn(run);
			if (rc == RT_OK)
				rc = rt__flush_assoc_clear(run->session, run->conn, rel,
							   plan->deleted.items, plan->deleted.count);
			if (rc < 0)
				rt__error_wrap("deleting from %s", rel->secondary);
		}
	}
	/* Children first: the reverse of the insert order. */
	for (size_t m = run->model_count; m > 0 && rc == RT_OK; m--)
		if (run->order[m - 1]->deleted.count)
			rc = delete_model(run, run->order[m - 1]);
	return rc;
}
