/*
 * flush.c - the unit of work: what a flush writes and in which order
 * (its plan, steps 1 to 4 below, is in flush_plan.c; deletes, their
 * cascades and association rows in flush_delete.c).
 *
 * A flush, in order:
 *  1. objects linked to tracked ones but expunged and never inserted are
 *     added back (SQLAlchemy's save-update cascade);
 *  2. children removed from a collection (or a one-to-one pointer) since
 *     its snapshot are orphans: deleted under `delete orphan`, else their
 *     foreign key is set to NULL;
 *  3. each relationship link becomes a key dependency: the child's foreign
 *     key takes the parent's key, now when the parent has a row, else once
 *     its INSERT has run;
 *  4. models are visited parents first (topological order of their
 *     foreign keys); per model, new rows are inserted in an order where a
 *     row's parent of the same model comes first (a batch ends where a row
 *     needs a key the batch is producing), then changed rows are updated,
 *     grouped by the set of columns that changed;
 *  5. rows of a cycle of new rows get the cycle's nullable key in a second
 *     UPDATE (SQLAlchemy's post_update); a NOT NULL cycle is an error;
 *  6. many-to-many association rows are deleted and inserted from the
 *     difference of each collection with its snapshot;
 *  7. deleted rows go last, models children first, a self-referential
 *     model's rows children first;
 *  8. snapshots are taken of everything written.
 * Every object is entered in the undo journal before its row or snapshot
 * changes, so a rollback can put it back.
 */
#include "orm/flush.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/joined.h"

int rt__objlist_push(rt_objlist *list, rt_object *object)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		rt_object **items = realloc(list->items, cap * sizeof(*items));
		if (!items)
			return rt__error_nomem();
		list->items = items;
		list->cap = cap;
	}
	list->items[list->count++] = object;
	return RT_OK;
}

/* The statement connection, begun on first use. */
int rt__flush_conn(rt_flush_run *run)
{
	if (!run->conn) {
		int rc = rt__session_conn(run->session, &run->conn);
		if (rc < 0)
			return rc;
	}
	run->wrote = true;
	return RT_OK;
}

/* ------------------------------------------------------------------------ */
/* Inserts                                                                   */
/* ------------------------------------------------------------------------ */

/* Pending rows of one model, parents of the same model first. */
static int order_rows(rt_flush_run *run, rt_object *object, rt_objlist *out)
{
	object->flush_state = RT_VISIT_PATH;
	for (int32_t i = rt__flush_dep_head(run, object); i >= 0; i = run->deps[i].next) {
		rt_object *parent = run->deps[i].parent;
		if (parent->model == object->model && parent->state == RT_STATE_PENDING &&
		    parent->flush_state == RT_VISIT_NEW) {
			int rc = order_rows(run, parent, out);
			if (rc < 0)
				return rc;
		}
	}
	object->flush_state = RT_VISIT_DONE;
	return rt__objlist_push(out, object);
}

/* The columns left out of an INSERT writing `columns`, bit per column. */
static uint64_t generated_mask(const rt_model_desc *model, const rt_colset *columns)
{
	uint64_t generated = 0;
	for (int i = 0; i < model->column_count && i < 64; i++)
		if (!rt__colset_has(columns, i))
			generated |= (uint64_t)1 << i;
	return generated;
}

static void mark_inserted(rt_session *session, rt_object *object, uint64_t generated)
{
	/* Inserted objects have their rarely used part (flush_inserts). */
	if (object->more)
		object->more->generated = generated;
	object->state = RT_STATE_PERSISTENT;
	object->persisted = true;
	object->flush_state = RT_VISIT_INSERTED;
	if (session->pending_count)
		session->pending_count--;
	rt__object_take_snapshot(object);
	/* A clash (a new row with the key of one the session has) was already
	 * refused by the database's primary key. */
	rt__identity_put(session->identity, object);
}

/* A batch whose INSERT failed: a backend that runs it row by row (SQLite)
 * may have read keys and server values into the rows before the failing
 * one. Those rows are gone with the failed transaction, so the fields go
 * back to their new-object values (still in the snapshot, which only a
 * successful insert retakes); else adding the objects again after the
 * rollback would insert the stale keys. */
static void forget_generated(rt_object *object, const rt_colset *columns)
{
	const rt_model_desc *model = object->model;
	void *body = RT_OBJECT_BODY(object);
	for (int i = 0; i < model->column_count; i++)
		if (!rt__colset_has(columns, i))
			rt__field_copy(&model->columns[i], body, rt__object_snapshot(object));
}

static int run_insert_batch(rt_flush_run *run, const rt_model_desc *model,
			    const rt_colset *columns)
{
	if (!run->batch.count)
		return RT_OK;
	int rc = rt__flush_conn(run);
	if (rc == RT_OK && rt__model_multi_table(model))
		rc = rt__joined_insert(run->session, run->conn, model, run->batch.items,
				       run->batch.count, columns);
	else if (rc == RT_OK)
		rc = rt__flush_insert(run->session, run->conn, model, run->batch.items,
				      run->batch.count, columns);
	if (rc == RT_OK)
		rc = rt__identity_reserve(run->session->identity, model, run->batch.count);
	if (rc < 0) {
		for (size_t i = 0; i < run->batch.count; i++)
			forget_generated(run->batch.items[i], columns);
		return rt__error_wrap("inserting into %s", model->table);
	}
	uint64_t generated = generated_mask(model, columns);
	for (size_t i = 0; i < run->batch.count; i++)
		mark_inserted(run->session, run->batch.items[i], generated);
	size_t count = run->batch.count;
	run->batch.count = 0;
	for (size_t i = 0; i < count && rt__hooks_any(run->session, RT_HOOK_AFTER_INSERT); i++)
		if ((rc = rt__hooks_run(run->session, RT_HOOK_AFTER_INSERT, run->batch.items[i])) < 0)
			return rc;
	return RT_OK;
}

/* The keys of a row's new parents, taken just before it is written; a
 * parent not inserted yet (a cycle) leaves a nullable key for later. */
static int resolve_deps(rt_flush_run *run, rt_object *object, bool *deferred)
{
	*deferred = false;
	for (int32_t i = rt__flush_dep_head(run, object); i >= 0; i = run->deps[i].next) {
		rt_flush_dep *d = &run->deps[i];
		if (d->parent->state == RT_STATE_PERSISTENT) {
			rt__flush_apply_dep(d);
			continue;
		}
		const int *cols = rt__flush_child_columns(d);
		if (!rt__columns_nullable(object->model, cols, d->rel->column_count)) {
			const rt_column_desc *c = &object->model->columns[cols[0]];
			return rt__error_set(RT_EINVAL, "cannot order the flush: new %s rows depend "
						      "on each other through %s.%s, which is NOT NULL",
					     object->model->name, object->model->table, c->name);
		}
		rt__columns_set_null(object, cols, d->rel->column_count);
		*deferred = true;
	}
	return RT_OK;
}

/* Whether a calendar field holds a value that exists (NULL does). */
static bool calendar_valid(const rt_column_desc *c, const void *body)
{
	/* The kind first: most columns are not calendar ones, and asking a
	 * field whether it is NULL costs more than this compare. */
	if (c->kind != RT_FIELD_DATE && c->kind != RT_FIELD_TIME &&
	    c->kind != RT_FIELD_TIMESTAMP && c->kind != RT_FIELD_TIMESTAMPTZ)
		return true;
	if (rt__field_is_null(c, body))
		return true;
	rt_value_ref v = rt__field_value(c, body);
	switch (c->kind) {
	case RT_FIELD_DATE:
		return rt__date_valid(v.as.date);
	case RT_FIELD_TIME:
		return rt__time_valid(v.as.time);
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		return rt__date_valid(v.as.timestamp.date) && rt__time_valid(v.as.timestamp.time);
	default:
		return true;
	}
}

/* Values no statement can take are refused before any is sent, so that
 * nothing is written and the program can fix them: an enum outside its
 * values, NULL (0) in a NOT NULL enum, a date like 0000-00-00. Only the
 * columns the statement writes are looked at. */
static int check_values(const rt_object *object, const rt_colset *columns)
{
	const rt_model_desc *model = object->model;
	const void *body = RT_OBJECT_BODY((rt_object *)object);
	for (int i = 0; i < model->column_count; i++) {
		const rt_column_desc *c = &model->columns[i];
		if (!rt__colset_has(columns, i))
			continue; /* not written: left to the database */
		if ((c->kind == RT_FIELD_DOUBLE || c->kind == RT_FIELD_FLOAT) &&
		    !rt__field_is_null(c, body) && isnan(rt__field_value(c, body).as.d)) {
			const rt_dialect *dialect = object->session->engine->dialect;
			if (!dialect->caps.stores_nan)
				return rt__error_set(RT_EINVAL, "%s.%s (%s.%s): NaN is not a value a "
							      "%s database can store (it would "
							      "become NULL)",
						     model->table, c->name, model->name, c->field,
						     dialect->name);
		}
		if (!calendar_valid(c, body)) {
			rt_buf what = RT_BUF_INIT;
			rt__field_describe(&what, c, body);
			int rc = rt__error_set(RT_EINVAL, "%s.%s (%s.%s): %s is not a valid %s",
					       model->table, c->name, model->name, c->field,
					       rt__buf_failed(&what) ? "the value" : rt__buf_cstr(&what),
					       c->kind == RT_FIELD_DATE ? "date" :
					       c->kind == RT_FIELD_TIME ? "time" : "timestamp");
			rt__buf_free(&what);
			return rc;
		}
		if (c->kind != RT_FIELD_ENUM || !c->enum_type)
			continue;
		int value = *(const int *)(const void *)((const char *)body + c->offset);
		if (value == 0 && !(c->flags & RT_COLUMN_NULLABLE))
			return rt__error_set(RT_EINVAL, "%s.%s is not set", model->table, c->name);
		if (value < 0 || value > c->enum_type->value_count)
			return rt__error_set(RT_EINVAL, "%s.%s (%s.%s): %d is not a value of enum %s",
					     model->table, c->name, model->name, c->field, value,
					     c->enum_type->name);
	}
	return RT_OK;
}

/* Whether check_values has anything to look at in a row of model: a
 * floating-point, calendar or enum column. Asked once per model, not for
 * every column of every row. */
static bool values_need_check(const rt_model_desc *model)
{
	for (int i = 0; i < model->column_count; i++) {
		switch (model->columns[i].kind) {
		case RT_FIELD_DOUBLE:
		case RT_FIELD_FLOAT:
		case RT_FIELD_DATE:
		case RT_FIELD_TIME:
		case RT_FIELD_TIMESTAMP:
		case RT_FIELD_TIMESTAMPTZ:
		case RT_FIELD_ENUM:
			return true;
		default:
			break;
		}
	}
	return false;
}

static int insert_model(rt_flush_run *run, rt_model_plan *plan)
{
	if (!plan->pending.count)
		return RT_OK;
	rt_objlist ordered = {0};
	int rc = RT_OK;
	for (size_t i = 0; i < plan->pending.count && rc == RT_OK; i++)
		if (plan->pending.items[i]->flush_state == RT_VISIT_NEW)
			rc = order_rows(run, plan->pending.items[i], &ordered);
	rt_colset batch_columns = {{0}};
	bool checks = values_need_check(plan->model);
	bool versioned = rt__version_column(plan->model) >= 0;
	for (size_t i = 0; i < ordered.count && rc == RT_OK; i++) {
		rt_object *object = ordered.items[i];
		/* A parent in the running batch has no key yet: run it first. */
		for (int32_t d = rt__flush_dep_head(run, object); d >= 0 && rc == RT_OK;
		     d = run->deps[d].next)
			if (run->deps[d].parent->flush_state == RT_VISIT_IN_BATCH)
				rc = run_insert_batch(run, plan->model, &batch_columns);
		bool deferred = false;
		if (rc == RT_OK)
			rc = resolve_deps(run, object, &deferred);
		/* The program's last word, its keys known: hooks, validators. */
		if (versioned)
			rt__version_start(object);
		if (rc == RT_OK)
			rc = rt__hooks_run(run->session, RT_HOOK_BEFORE_INSERT, object);
		if (rc == RT_OK)
			rc = rt__validators_run(run->session, object, NULL);
		rt_colset columns;
		rt__flush_insert_columns(object, &columns);
		if (rc == RT_OK && checks)
			rc = check_values(object, &columns);
		if (rc == RT_OK && deferred)
			rc = rt__objlist_push(&run->post_update, object);
		if (rc < 0)
			break;
		/* What a rollback needs to undo the insert (rt_object_new made
		 * the object with its rarely used part; an object added again
		 * after a rollback has it too). */
		rt_object_more *more = rt__more_make(object);
		if (!more) {
			rc = RT_ENOMEM;
			break;
		}
		more->inserted_txn = run->session->txn;
		more->inserted_level = run->session->level;
		if (run->batch.count && !rt__colset_equal(&columns, &batch_columns))
			rc = run_insert_batch(run, plan->model, &batch_columns);
		batch_columns = columns;
		if (rc == RT_OK)
			rc = rt__objlist_push(&run->batch, object);
		object->flush_state = RT_VISIT_IN_BATCH;
	}
	if (rc == RT_OK)
		rc = run_insert_batch(run, plan->model, &batch_columns);
	free(ordered.items);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Updates                                                                   */
/* ------------------------------------------------------------------------ */

/* The columns whose fields differ from the snapshot; never a generated
 * one, which the database computes (the update reads it back). */
static void changed_columns(const rt_object *object, rt_colset *out)
{
	const rt_model_desc *model = object->model;
	const void *body = RT_OBJECT_BODY((rt_object *)object);
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < model->column_count; i++)
		if (!(model->columns[i].flags & RT_COLUMN_GENERATED) &&
		    !rt__field_equal(&model->columns[i], body, rt__object_snapshot(object)))
			rt__colset_add(out, i);
}

/* A changed object about to be updated by the program's flush: its
 * before-update hooks and validators (a column's when its column
 * changed), then its `onupdate now` columns
 * set to the time; columns is what changed, again. */
static int before_update(rt_session *session, rt_object *object, rt_colset *columns)
{
	/* columns stands unless something here may change a field: a hook,
	 * or an `onupdate now` column. */
	bool hooked = rt__hooks_any(session, RT_HOOK_BEFORE_UPDATE);
	int rc = hooked ? rt__hooks_run(session, RT_HOOK_BEFORE_UPDATE, object) : RT_OK;
	/* A column's validator runs when the UPDATE writes its column,
	 * changed by the program or by a before-update hook. */
	if (rc == RT_OK && rt__hooks_any(session, RT_HOOK_VALIDATE)) {
		changed_columns(object, columns);
		rc = rt__validators_run(session, object, columns);
	}
	if (rc < 0)
		return rc;
	const rt_model_desc *model = object->model;
	bool have_now = false;
	rt_timestamp now;
	for (int i = 0; i < model->column_count; i++) {
		if (!(model->columns[i].flags & RT_COLUMN_ONUPDATE_NOW))
			continue;
		if (!have_now) {
			now = rt_timestamp_now();
			have_now = true;
		}
		rt__field_set_now(&model->columns[i], RT_OBJECT_BODY(object), now);
	}
	if (hooked || have_now)
		changed_columns(object, columns);
	return RT_OK;
}

typedef struct update_group {
	rt_colset columns;
	rt_objlist objects;
} update_group;

/* program: an update of the program's changes (hooks run, `onupdate
 * now` set), not the second UPDATE of a cycle's new rows. */
static int update_objects(rt_flush_run *run, const rt_model_desc *model,
			  rt_object *const *objects, size_t count, bool program)
{
	update_group *groups = NULL;
	size_t group_count = 0;
	int rc = RT_OK;
	bool checks = values_need_check(model);
	for (size_t i = 0; i < count && rc == RT_OK; i++) {
		rt_object *object = objects[i];
		/* Field by field, not memcmp: padding bytes a struct assignment
		 * left are not values. */
		rt_colset columns;
		changed_columns(object, &columns);
		if (rt__colset_empty(&columns))
			continue; /* only relationships changed */
		if (model->view) {
			rc = rt__error_set(RT_EINVAL, "%s is mapped onto the view %s, which is "
						      "read-only: its changed fields cannot be written",
					   model->name, model->view);
			break;
		}
		if (program)
			rc = before_update(run->session, object, &columns);
		if (rc == RT_OK && rt__colset_empty(&columns))
			continue; /* a hook put every change back */
		if (rc == RT_OK && checks)
			rc = check_values(object, &columns);
		if (rc == RT_OK)
			rc = rt__object_journal(object);
		if (rc < 0)
			break;
		size_t g = 0;
		while (g < group_count && !rt__colset_equal(&groups[g].columns, &columns))
			g++;
		if (rc == RT_OK && g == group_count) {
			update_group *grown = realloc(groups, (group_count + 1) * sizeof(*groups));
			if (!grown) {
				rc = rt__error_nomem();
				break;
			}
			groups = grown;
			memset(&groups[g], 0, sizeof(groups[g]));
			groups[g].columns = columns;
			group_count++;
		}
		if (rc == RT_OK)
			rc = rt__objlist_push(&groups[g].objects, object);
	}
	for (size_t g = 0; g < group_count; g++) {
		if (rc == RT_OK)
			rc = rt__flush_conn(run);
		if (rc == RT_OK && rt__model_multi_table(model)) {
			rc = rt__joined_update(run->session, run->conn, model, groups[g].objects.items,
					       groups[g].objects.count, &groups[g].columns);
			if (rc < 0)
				rt__error_wrap("updating %s", model->name);
		} else if (rc == RT_OK) {
			rc = rt__flush_update(run->session, run->conn, model, groups[g].objects.items,
					      groups[g].objects.count, &groups[g].columns);
			if (rc == RT_OK)
				rc = rt__flush_read_generated(run->session, run->conn, model,
							      groups[g].objects.items,
							      groups[g].objects.count);
			if (rc < 0)
				rt__error_wrap("updating %s", model->table);
		}
		for (size_t i = 0; rc == RT_OK && i < groups[g].objects.count; i++) {
			rt_object *object = groups[g].objects.items[i];
			rt__object_take_snapshot(object);
			/* A changed primary key: filed again under the new one. */
			for (int k = 0; k < model->primary_key_count; k++)
				if (rt__colset_has(&groups[g].columns, model->primary_key[k])) {
					rc = rt__identity_put(run->session->identity, object);
					break;
				}
			if (rc == RT_OK && program)
				rc = rt__hooks_run(run->session, RT_HOOK_AFTER_UPDATE, object);
		}
		free(groups[g].objects.items);
	}
	free(groups);
	return rc;
}

static int update_model(rt_flush_run *run, rt_model_plan *plan)
{
	int rc = RT_OK;
	for (size_t i = 0; i < plan->persistent.count && rc == RT_OK; i++) {
		rt_object *object = plan->persistent.items[i];
		bool deferred = false;
		if (rt__flush_dep_head(run, object) >= 0)
			rc = resolve_deps(run, object, &deferred);
		if (rc == RT_OK && deferred)
			rc = rt__objlist_push(&run->post_update, object);
	}
	if (rc == RT_OK)
		rc = update_objects(run, plan->model, plan->persistent.items, plan->persistent.count,
				    true);
	return rc;
}

/* Rows of cycles: their parents have keys now. */
static int post_update(rt_flush_run *run)
{
	int rc = RT_OK;
	for (size_t i = 0; i < run->post_update.count && rc == RT_OK; i++) {
		rt_object *object = run->post_update.items[i];
		for (int32_t d = rt__flush_dep_head(run, object); d >= 0; d = run->deps[d].next)
			if (run->deps[d].parent->state == RT_STATE_PERSISTENT)
				rt__flush_apply_dep(&run->deps[d]);
		rc = update_objects(run, object->model, &object, 1, false);
	}
	return rc;
}

/* ------------------------------------------------------------------------ */
/* After the statements                                                      */
/* ------------------------------------------------------------------------ */

static int snapshot_collection(rt_object *object, int index)
{
	const rt_model_desc *model = object->model;
	rt_arena *arena = object->session->arena;
	rt_object_more *more = rt__more_make(object);
	if (!more)
		return RT_ENOMEM;
	if (!more->collection_snapshots) {
		more->collection_snapshots =
			rt__arena_alloc(arena, (size_t)model->relationship_count * sizeof(rt_list));
		if (!more->collection_snapshots)
			return rt__error_nomem();
	}
	const rt_list *list = rt__rel_list(RT_OBJECT_BODY(object), &model->relationships[index]);
	rt_list *snap = &more->collection_snapshots[index];
	/* A fresh array: the journal may hold the old one. */
	void **items = NULL;
	if (list->count) {
		items = rt__arena_alloc(arena, list->count * sizeof(*items));
		if (!items)
			return rt__error_nomem();
		memcpy(items, list->items, list->count * sizeof(*items));
	}
	snap->items = items;
	snap->count = snap->capacity = list->count;
	snap->loaded = true; /* what was written: association rows diff against it */
	if (index < 64) {
		if (list->loaded)
			more->partial &= ~((uint64_t)1 << index);
		else
			more->partial |= (uint64_t)1 << index;
	}
	return RT_OK;
}

/* Whether a column or a to-one pointer differs from the snapshot. */
static bool fields_differ(const rt_object *object)
{
	const rt_model_desc *model = object->model;
	void *body = RT_OBJECT_BODY((rt_object *)object);
	void *snapshot = rt__object_snapshot(object);
	/* Field by field, not one memcmp: padding bytes a struct assignment
	 * left are not values (and memcheck calls them uninitialised). */
	for (int i = 0; i < model->column_count; i++)
		if (!rt__field_equal(&model->columns[i], body, snapshot))
			return true;
	for (int r = 0; r < model->relationship_count; r++) {
		const rt_relationship_desc *rel = &model->relationships[r];
		if (!rt__rel_is_to_many(rel) &&
		    *rt__rel_pointer(body, rel) != *rt__rel_pointer(snapshot, rel))
			return true;
	}
	return false;
}

/* New snapshots of everything the flush wrote or settled. A row this
 * flush inserted had its snapshot taken as it was stored, and nothing of
 * the flush after that changes its fields (a cycle's second UPDATE takes
 * its own snapshot): unless an after-insert hook ran, which may have
 * changed them, its fields are not compared again. */
static int settle(rt_session *session)
{
	bool inserted_settled = !rt__hooks_any(session, RT_HOOK_AFTER_INSERT);
	for (size_t i = 0; i < session->object_count; i++) {
		rt_object *object = session->objects[i];
		if (!object)
			continue;
		if (object->state == RT_STATE_DELETED) {
			rt__session_untrack(session, object);
			object->state = RT_STATE_GONE;
			continue;
		}
		if (object->state != RT_STATE_PERSISTENT)
			continue;
		const rt_model_desc *model = object->model;
		void *body = RT_OBJECT_BODY(object);
		bool settled = inserted_settled && object->flush_state == RT_VISIT_INSERTED;
		if (!settled && fields_differ(object)) {
			int rc = rt__object_journal(object);
			if (rc < 0)
				return rc;
			rt__object_take_snapshot(object);
		}
		for (int r = 0; r < model->relationship_count; r++) {
			const rt_relationship_desc *rel = &model->relationships[r];
			if (!rt__rel_is_to_many(rel))
				continue;
			rt_list *list = rt__rel_list(body, rel);
			const rt_list *snapshots = rt__more(object)->collection_snapshots;
			const rt_list *snap = snapshots ? &snapshots[r] : NULL;
			/* No snapshot and nothing in it: nothing to remember (a new
			 * object's empty collection). */
			if (snap && snap->loaded ? rt__list_same_items(list, snap) : list->count == 0)
				continue;
			int rc = rt__object_journal(object);
			if (rc == RT_OK)
				rc = snapshot_collection(object, r);
			if (rc < 0)
				return rc;
		}
	}
	return RT_OK;
}

/* ------------------------------------------------------------------------ */
/* The flush                                                                 */
/* ------------------------------------------------------------------------ */

static int flush_all(rt_flush_run *run)
{
	rt_session *session = run->session;
	int rc = rt__flush_cascade_adds(session);
	if (rc == RT_OK)
		rc = rt__flush_find_orphans(session);
	if (rc == RT_OK)
		rc = rt__flush_gather(run);
	for (size_t i = 0; i < session->object_count && rc == RT_OK; i++)
		if (rt__object_is_live(session->objects[i]))
			rc = rt__flush_collect_deps(run, session->objects[i]);
	if (rc == RT_OK)
		rc = rt__flush_order_models(run);
	for (size_t m = 0; m < run->model_count && rc == RT_OK; m++) {
		rc = insert_model(run, run->order[m]);
		if (rc == RT_OK)
			rc = update_model(run, run->order[m]);
	}
	if (rc == RT_OK)
		rc = post_update(run);
	if (rc == RT_OK)
		rc = rt__flush_write_associations(run);
	if (rc == RT_OK)
		rc = rt__flush_write_deletes(run);
	if (rc == RT_OK)
		rc = settle(session);
	return rc;
}

static void run_free(rt_flush_run *run)
{
	for (size_t m = 0; m < run->model_count; m++) {
		free(run->models[m].pending.items);
		free(run->models[m].persistent.items);
		free(run->models[m].deleted.items);
	}
	free(run->models);
	free(run->order);
	free(run->deps);
	free(run->first_dep);
	free(run->post_update.items);
	free(run->batch.items);
}

int rt__flush(rt_session *session)
{
	int rc = rt__session_usable(session);
	if (rc < 0 || session->flushing || session->object_count == 0)
		return rc;
	rt_flush_run run;
	memset(&run, 0, sizeof(run));
	run.session = session;
	session->flushing = true;
	rc = flush_all(&run);
	session->flushing = false;
	if (rc < 0 && run.wrote) {
		/* Some rows may be written, and the database may have aborted
		 * the transaction: only a rollback makes sense now. */
		session->failed = true;
		session->failed_level = session->level;
	} else if (rc == RT_OK) {
		session->has_deletes = false;
	}
	run_free(&run);
	return rc;
}

int rt__flush_if_pending(rt_session *session)
{
	int rc = rt__session_usable(session);
	if (rc < 0 || (session->pending_count == 0 && !session->has_deletes))
		return rc;
	return rt__flush(session);
}
