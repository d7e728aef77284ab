/*
 * eager.c - loading a query's eager options (rt_query_eager).
 *
 * The options form a tree: each loads one relationship of the objects at
 * its parent node (the query's results at the root). A to-one option
 * whose path from the root is all to-one is "joined": the main query
 * LEFT JOINs its table and each row carries the related object's columns,
 * read here row by row (rt__eager_read_joined); NULL columns mean no
 * related object. Every other option is loaded after the main rows by
 * rt__load_relationship_many for all objects of its parent node at once:
 * one statement per chunk of keys, whatever the number of objects.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/query.h"

static rt_object *header_of(void *body)
{
	return (rt_object *)((char *)body - rt__object_header_size());
}

/* --- joined options ---------------------------------------------------------------- */

static bool row_has_object(rt_stmt *stmt, const rt_model_desc *model, int first_column)
{
	for (int k = 0; k < model->primary_key_count; k++)
		if (!rt_stmt_column_is_null(stmt, first_column + model->primary_key[k]))
			return true;
	return false;
}

int rt__eager_read_joined(rt_query *query, rt_stmt *stmt, void *body)
{
	if (query->eager_row_count < query->eager_count) {
		/* Options may be added between runs: room for them all. */
		query->eager_row = rt__arena_alloc(query->arena,
						   query->eager_count * sizeof(void *));
		if (!query->eager_row)
			return rt__error_nomem();
		query->eager_row_count = query->eager_count;
	}
	for (size_t i = 0; i < query->eager_count; i++) {
		const rt_eager_node *node = &query->eager[i];
		query->eager_row[i] = NULL;
		if (!node->joined)
			continue;
		/* Nodes come after their parents, so the parent's object of
		 * this row is known. */
		void *parent = node->parent < 0 ? body : query->eager_row[node->parent];
		if (!parent)
			continue;
		void *target = NULL;
		if (row_has_object(stmt, node->model, node->first_column)) {
			int rc = rt__object_from_row(query->session, node->model, stmt,
						     node->first_column, &target);
			if (rc < 0)
				return rc;
		}
		int rc = rt__relationship_set_one(header_of(parent), node->relationship, target);
		if (rc < 0)
			return rc;
		query->eager_row[i] = target;
	}
	return RT_OK;
}

/* --- sets of objects --------------------------------------------------------------- */

/* Distinct objects, in the order first added. */
typedef struct object_set {
	void **items;
	size_t count, cap;
	void **slots;     /* open addressing by pointer */
	size_t slot_count;
} object_set;

static void set_free(object_set *set)
{
	free(set->items);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

static size_t slot_of(const void *p, size_t slot_count)
{
	uintptr_t h = (uintptr_t)p;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 7) & (slot_count - 1);
}

static int set_grow(object_set *set)
{
	size_t slot_count = set->slot_count ? set->slot_count * 2 : 64;
	void **slots = calloc(slot_count, sizeof(*slots));
	void **items = realloc(set->items, slot_count / 2 * sizeof(*items));
	if (!slots || !items) {
		free(slots);
		if (items)
			set->items = items;
		return rt__error_nomem();
	}
	set->items = items;
	set->cap = slot_count / 2;
	for (size_t i = 0; i < set->count; i++) {
		size_t s = slot_of(set->items[i], slot_count);
		while (slots[s])
			s = (s + 1) & (slot_count - 1);
		slots[s] = set->items[i];
	}
	free(set->slots);
	set->slots = slots;
	set->slot_count = slot_count;
	return RT_OK;
}

static int set_add(object_set *set, void *item)
{
	if (!item)
		return RT_OK;
	if (set->count + 1 > set->cap) {
		int rc = set_grow(set);
		if (rc < 0)
			return rc;
	}
	size_t s = slot_of(item, set->slot_count);
	for (; set->slots[s]; s = (s + 1) & (set->slot_count - 1))
		if (set->slots[s] == item)
			return RT_OK;
	set->slots[s] = item;
	set->items[set->count++] = item;
	return RT_OK;
}

/* Adds to set what relationship index of each object holds. */
static int gather(object_set *set, const rt_model_desc *model, int index, void *const *objects,
		  size_t count)
{
	const rt_relationship_desc *rel = &model->relationships[index];
	bool to_many = rel->kind == RT_RELATIONSHIP_ONE_TO_MANY ||
		       rel->kind == RT_RELATIONSHIP_MANY_TO_MANY;
	for (size_t i = 0; i < count; i++) {
		char *field = (char *)objects[i] + rel->offset;
		int rc = RT_OK;
		if (to_many) {
			const rt_list *list = (const rt_list *)field;
			for (size_t j = 0; j < list->count && rc == RT_OK; j++)
				rc = set_add(set, list->items[j]);
		} else {
			void *target;
			memcpy(&target, field, sizeof(target));
			rc = set_add(set, target);
		}
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* --- selectin options ---------------------------------------------------------------- */

static bool has_children(const rt_query *query, size_t node)
{
	for (size_t i = node + 1; i < query->eager_count; i++)
		if (query->eager[i].parent == (int)node)
			return true;
	return false;
}

/* Might the session have objects of model before node `before` loads?
 * Not when its identity map was empty as the run began and neither the
 * main rows nor an earlier option brought one: then the node's rows are
 * all new objects. */
static bool model_seen(const rt_query *query, size_t before, const rt_model_desc *model,
		       bool map_was_empty)
{
	if (!map_was_empty || model == query->model)
		return true;
	for (size_t i = 0; i < query->eager_count; i++)
		if (query->eager[i].model == model && (i < before || query->eager[i].joined))
			return true;
	return false;
}

int rt__eager_load(rt_query *query, void *const *results, size_t count, bool map_was_empty)
{
	size_t n = query->eager_count;
	object_set root = {0};
	object_set *nodes = calloc(n, sizeof(*nodes));
	if (!nodes)
		return rt__error_nomem();
	int rc = RT_OK;
	/* Results are distinct objects already; the set keeps it certain. */
	for (size_t i = 0; i < count && rc == RT_OK; i++)
		rc = set_add(&root, results[i]);
	for (size_t i = 0; i < n && rc == RT_OK; i++) {
		const rt_eager_node *node = &query->eager[i];
		const object_set *parents = node->parent < 0 ? &root : &nodes[node->parent];
		const rt_model_desc *parent_model =
			node->parent < 0 ? query->model : query->eager[node->parent].model;
		if (!node->joined && parents->count)
			rc = rt__load_relationship_fresh(
				query->session, parent_model, node->relationship, parents->items,
				parents->count, !model_seen(query, i, node->model, map_was_empty));
		if (rc == RT_OK && has_children(query, i))
			rc = gather(&nodes[i], parent_model, node->relationship, parents->items,
				    parents->count);
	}
	for (size_t i = 0; i < n; i++)
		set_free(&nodes[i]);
	free(nodes);
	set_free(&root);
	return rc;
}
