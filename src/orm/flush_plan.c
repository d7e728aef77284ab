/*
 * flush_plan.c - the plan of a flush (flush.c, steps 1 to 4 of its
 * header comment): expunged objects added back, orphans found, each
 * relationship link made a key dependency, every pending object filed
 * under its model, and the models put parents first.
 *
 * Nothing here writes to the database: the plan is all in memory, so a
 * flush that cannot be planned (a NOT NULL cycle) fails before its first
 * statement.
 */
#include "orm/flush.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* ------------------------------------------------------------------------ */
/* Plan: cascades of add, orphans, key dependencies                          */
/* ------------------------------------------------------------------------ */

/* A related object expunged before it was ever inserted comes back. */
static int cascade_add(rt_session *session, void *body)
{
	rt_object *other = rt__flush_header(body);
	if (other->state != RT_STATE_DETACHED || other->persisted)
		return RT_OK;
	return rt_object_add(session, body);
}

int rt__flush_cascade_adds(rt_session *session)
{
	/* By index: objects added here are visited too. */
	for (size_t i = 0; i < session->object_count; i++) {
		rt_object *object = session->objects[i];
		if (!object || !rt__object_is_live(object))
			continue;
		const rt_model_desc *model = object->model;
		void *body = RT_OBJECT_BODY(object);
		for (int r = 0; r < model->relationship_count; r++) {
			const rt_relationship_desc *rel = &model->relationships[r];
			int rc = RT_OK;
			if (rt__rel_is_to_many(rel)) {
				rt_list *list = rt__rel_list(body, rel);
				for (size_t k = 0; k < list->count && rc == RT_OK; k++)
					rc = cascade_add(session, list->items[k]);
			} else if (*rt__rel_pointer(body, rel)) {
				rc = cascade_add(session, *rt__rel_pointer(body, rel));
			}
			if (rc < 0)
				return rc;
		}
	}
	return RT_OK;
}

/* Whether the child's key columns still hold what the snapshot has: the
 * program did not point them elsewhere itself. */
static bool key_unchanged(const rt_object *child, const int *cols, int n)
{
	for (int i = 0; i < n; i++)
		if (!rt__field_equal(&child->model->columns[cols[i]], RT_OBJECT_BODY((rt_object *)child),
				     rt__object_snapshot(child)))
			return false;
	return true;
}

/* child left parent's relationship rel (one-to-many or one-to-one). */
static int orphan(rt_object *parent, const rt_relationship_desc *rel, rt_object *child)
{
	if (!rt__object_is_live(child))
		return RT_OK;
	void *child_body = RT_OBJECT_BODY(child);
	if (rel->back >= 0) {
		void *now = *rt__rel_pointer(child_body, &rel->target->relationships[rel->back]);
		if (now && now != RT_OBJECT_BODY(parent))
			return RT_OK; /* moved to another parent */
	}
	if (rel->flags & RT_RELATIONSHIP_DELETE_ORPHAN)
		return rt__flush_delete_object(child);
	if (child->state == RT_STATE_PENDING ||
	    !key_unchanged(child, rel->target_columns, rel->column_count))
		return RT_OK;
	if (!rt__columns_nullable(child->model, rel->target_columns, rel->column_count)) {
		const rt_column_desc *c = &child->model->columns[rel->target_columns[0]];
		return rt__error_set(RT_EINVAL, "%s.%s cannot be set to NULL: a %s was removed from "
					      "%s.%s, which has no 'delete orphan' (delete the %s, or "
					      "link it to another %s)", child->model->table, c->name,
				     child->model->name, parent->model->name, rel->name,
				     child->model->name, parent->model->name);
	}
	rt__columns_set_null(child, rel->target_columns, rel->column_count);
	return RT_OK;
}

int rt__flush_find_orphans(rt_session *session)
{
	for (size_t i = 0; i < session->object_count; i++) {
		rt_object *object = session->objects[i];
		if (!object || object->state != RT_STATE_PERSISTENT)
			continue;
		const rt_model_desc *model = object->model;
		void *body = RT_OBJECT_BODY(object);
		for (int r = 0; r < model->relationship_count; r++) {
			const rt_relationship_desc *rel = &model->relationships[r];
			int rc = RT_OK;
			if (rel->kind == RT_RELATIONSHIP_ONE_TO_MANY) {
				const rt_list *snapshots = rt__more(object)->collection_snapshots;
				const rt_list *snap = snapshots ? &snapshots[r] : NULL;
				rt_list *list = rt__rel_list(body, rel);
				if (!snap || !snap->loaded || rt__list_same_items(list, snap))
					continue; /* unknown, or unchanged: the common case */
				rt_list_lookup now;
				rc = rt__list_lookup_init(&now, list);
				for (size_t k = 0; k < snap->count && rc == RT_OK; k++)
					if (!rt__list_lookup_has(&now, snap->items[k]))
						rc = orphan(object, rel, rt__flush_header(snap->items[k]));
				rt__list_lookup_free(&now);
			} else if (rel->kind == RT_RELATIONSHIP_ONE_TO_ONE) {
				void *old = *rt__rel_pointer(rt__object_snapshot(object), rel);
				if (old && old != *rt__rel_pointer(body, rel))
					rc = orphan(object, rel, rt__flush_header(old));
			}
			if (rc < 0)
				return rc;
		}
	}
	return RT_OK;
}

const int *rt__flush_child_columns(const rt_flush_dep *d)
{
	return d->child_side ? d->rel->columns : d->rel->target_columns;
}

void rt__flush_apply_dep(const rt_flush_dep *d)
{
	const rt_relationship_desc *rel = d->rel;
	const int *to = rt__flush_child_columns(d);
	const int *from = d->child_side ? rel->target_columns : rel->columns;
	for (int k = 0; k < rel->column_count; k++)
		rt__field_assign(&d->child->model->columns[to[k]], RT_OBJECT_BODY(d->child),
				 &d->parent->model->columns[from[k]], RT_OBJECT_BODY(d->parent));
}

static int add_dep(rt_flush_run *run, rt_object *child, rt_object *parent,
		   const rt_relationship_desc *rel, bool child_side)
{
	if (!rt__object_is_live(child) || !rt__object_is_live(parent))
		return RT_OK;
	rt_flush_dep d = {child, parent, rel, child_side, -1};
	if (parent->state == RT_STATE_PERSISTENT) {
		rt__flush_apply_dep(&d); /* the key is known now */
		return RT_OK;
	}
	if (run->dep_count == run->dep_cap) {
		size_t cap = run->dep_cap ? run->dep_cap * 2 : 64;
		rt_flush_dep *deps = realloc(run->deps, cap * sizeof(*deps));
		if (!deps)
			return rt__error_nomem();
		run->deps = deps;
		run->dep_cap = cap;
	}
	d.next = child->flush_dep;
	child->flush_dep = (int32_t)run->dep_count;
	run->deps[run->dep_count++] = d;
	return RT_OK;
}

/* A many-to-one pointer the program unlinked: the key goes NULL. */
static int unlinked(rt_object *object, const rt_relationship_desc *rel)
{
	if (object->state != RT_STATE_PERSISTENT || !*rt__rel_pointer(rt__object_snapshot(object), rel) ||
	    !key_unchanged(object, rel->columns, rel->column_count))
		return RT_OK;
	if (!rt__columns_nullable(object->model, rel->columns, rel->column_count)) {
		const rt_column_desc *c = &object->model->columns[rel->columns[0]];
		return rt__error_set(RT_EINVAL, "%s.%s cannot be set to NULL: %s.%s was unlinked "
					      "(link another %s, or delete the %s)",
				     object->model->table, c->name, object->model->name, rel->name,
				     rel->target->name, object->model->name);
	}
	rt__columns_set_null(object, rel->columns, rel->column_count);
	return RT_OK;
}

int rt__flush_collect_deps(rt_flush_run *run, rt_object *object)
{
	const rt_model_desc *model = object->model;
	void *body = RT_OBJECT_BODY(object);
	for (int r = 0; r < model->relationship_count; r++) {
		const rt_relationship_desc *rel = &model->relationships[r];
		int rc = RT_OK;
		switch (rel->kind) {
		case RT_RELATIONSHIP_MANY_TO_ONE: {
			void *target = *rt__rel_pointer(body, rel);
			rc = target ? add_dep(run, object, rt__flush_header(target), rel, true)
				    : unlinked(object, rel);
			break;
		}
		case RT_RELATIONSHIP_ONE_TO_ONE: {
			void *child = *rt__rel_pointer(body, rel);
			if (child)
				rc = add_dep(run, rt__flush_header(child), object, rel, false);
			break;
		}
		case RT_RELATIONSHIP_ONE_TO_MANY: {
			rt_list *list = rt__rel_list(body, rel);
			for (size_t i = 0; i < list->count && rc == RT_OK; i++)
				rc = add_dep(run, rt__flush_header(list->items[i]), object, rel, false);
			break;
		}
		case RT_RELATIONSHIP_MANY_TO_MANY:
			break;
		}
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* ------------------------------------------------------------------------ */
/* Plan: models and their order                                              */
/* ------------------------------------------------------------------------ */

static rt_model_plan *plan_of(rt_flush_run *run, const rt_model_desc *model)
{
	for (size_t i = 0; i < run->model_count; i++)
		if (run->models[i].model == model)
			return &run->models[i];
	if (model->column_count > RT_FLUSH_MAX_COLUMNS || model->primary_key_count < 1) {
		rt__error_set(RT_EINVAL, "%s: a session writes models of 1 to %d columns with a "
					 "primary key (this one has %d columns, %d in its key)",
			      model->name, RT_FLUSH_MAX_COLUMNS, model->column_count,
			      model->primary_key_count);
		return NULL;
	}
	if (run->model_count > UINT16_MAX) { /* rt_object.flush_model */
		rt__error_set(RT_EINVAL, "a flush writes at most %d models", UINT16_MAX + 1);
		return NULL;
	}
	if (run->model_count == run->model_cap) {
		size_t cap = run->model_cap ? run->model_cap * 2 : 8;
		rt_model_plan *models = realloc(run->models, cap * sizeof(*models));
		if (!models) {
			rt__error_nomem();
			return NULL;
		}
		run->models = models;
		run->model_cap = cap;
	}
	rt_model_plan *plan = &run->models[run->model_count++];
	memset(plan, 0, sizeof(*plan));
	plan->model = model;
	return plan;
}

/* Squeezes the holes out of session->objects and files every object
 * under its model. */
int rt__flush_gather(rt_flush_run *run)
{
	rt_session *session = run->session;
	size_t kept = 0;
	for (size_t i = 0; i < session->object_count; i++) {
		rt_object *object = session->objects[i];
		if (!object)
			continue;
		if (kept != i) {
			object->slot = (uint32_t)kept;
			session->objects[kept] = object;
			rt__identity_moved(session->identity, object, (uint32_t)i);
		}
		kept++;
		object->flush_dep = -1;
		object->flush_state = 0;
	}
	session->object_count = kept;
	const rt_model_desc *last = NULL;
	rt_model_plan *plan = NULL;
	for (size_t i = 0; i < kept; i++) {
		rt_object *object = session->objects[i];
		if (object->model != last) {
			/* Indexes, not pointers: run->models may move as it grows. */
			plan = plan_of(run, object->model);
			if (!plan)
				return rt_error_last()->code;
			last = object->model;
		}
		object->flush_model = (uint16_t)(plan - run->models);
	}
	for (size_t i = 0; i < kept; i++) {
		rt_object *object = session->objects[i];
		plan = &run->models[object->flush_model];
		rt_objlist *list = object->state == RT_STATE_PENDING      ? &plan->pending
				: object->state == RT_STATE_PERSISTENT ? &plan->persistent
				: object->state == RT_STATE_DELETED    ? &plan->deleted
								       : NULL;
		if (list && rt__objlist_push(list, object) < 0)
			return RT_ENOMEM;
	}
	return RT_OK;
}

static int visit_model(rt_flush_run *run, rt_model_plan *plan, size_t *n)
{
	plan->visit = 1;
	const rt_model_desc *model = plan->model;
	for (int f = 0; f < model->foreign_key_count; f++) {
		const rt_model_desc *target = model->foreign_keys[f].target;
		if (!target || target == model)
			continue;
		for (size_t i = 0; i < run->model_count; i++) {
			rt_model_plan *other = &run->models[i];
			/* visit 1: a cycle of models; rows sort it out (post update).
			 * A subclass's rows are the target's rows too. */
			if (rt__model_is_a(other->model, target) && other->visit == 0)
				visit_model(run, other, n);
		}
	}
	plan->visit = 2;
	run->order[(*n)++] = plan;
	return RT_OK;
}

int rt__flush_order_models(rt_flush_run *run)
{
	run->order = calloc(run->model_count + 1, sizeof(*run->order));
	if (!run->order)
		return rt__error_nomem();
	size_t n = 0;
	for (size_t i = 0; i < run->model_count; i++)
		if (run->models[i].visit == 0)
			visit_model(run, &run->models[i], &n);
	return RT_OK;
}
