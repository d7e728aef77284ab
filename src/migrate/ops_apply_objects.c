/*
 * ops_apply_objects.c - replaying the operations on domains, sequences,
 * functions, aggregates, procedures, views, materialized views and
 * triggers (create, replace, drop, rename) on a schema in memory
 * (ops_state.h), and what the table operations do to them: a dropped
 * table takes its triggers with it, a renamed one keeps them.
 *
 * The state keeps the objects in the order they were created, which is an
 * order the database accepted. What the database would refuse is refused
 * here first: making an object that exists, replacing or dropping one that
 * does not, a trigger on a table the state does not have, renaming to a
 * name taken. A renamed object's CREATE statement says its new name
 * (rt__sql_object_rename), as the database will render it.
 */
#include <string.h>

#include "base/error.h"
#include "migrate/ops.h"
#include "migrate/ops_state.h"

static const char *label(const rt_schema *state, const rt_sql_object *o)
{
	const char *text = rt__sql_object_label(state->arena, o);
	return text ? text : o->name;
}

/* Is name a table or a view of the state (a trigger's place)? */
static bool has_relation(const rt_schema *state, const char *name)
{
	if (rt__schema_find_table(state, name))
		return true;
	for (size_t i = 0; i < state->sql_object_count; i++) {
		const rt_sql_object *o = state->sql_objects[i];
		if ((o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW) &&
		    strcmp(o->name, name) == 0)
			return true;
	}
	return false;
}

static int apply_create(rt_schema *state, const rt_op *op)
{
	const rt_sql_object *o = op->object;
	if (rt__schema_find_sql_object(state, o))
		return rt__op_fail(op, "%s exists already", label(state, o));
	if (o->kind == RT_SQL_TRIGGER && (!o->table || !has_relation(state, o->table)))
		return rt__op_fail(op, "trigger %s: no table %s", o->name, o->table ? o->table : "?");
	if ((o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW ||
	     o->kind == RT_SQL_SEQUENCE) &&
	    rt__schema_find_table(state, o->name))
		return rt__op_fail(op, "%s: a table has the name", label(state, o));
	if (!o->sql || !*o->sql)
		return rt__op_fail(op, "%s has no SQL", label(state, o));
	return rt__schema_copy_sql_object(state, o) ? RT_OK : RT_ENOMEM;
}

static int apply_replace(rt_schema *state, const rt_op *op)
{
	rt_sql_object *o = rt__schema_find_sql_object(state, op->object);
	if (!o)
		return rt__op_fail(op, "there is no %s to replace", label(state, op->object));
	if (!op->object->sql || !*op->object->sql)
		return rt__op_fail(op, "%s has no SQL", label(state, op->object));
	if (!(o->sql = rt__arena_strdup(state->arena, op->object->sql)) ||
	    rt__sql_object_copy_matview(state->arena, o, op->object) < 0)
		return rt__error_nomem();
	o->rendered = NULL;
	return RT_OK;
}

static int apply_drop(rt_schema *state, const rt_op *op)
{
	rt_sql_object *o = rt__schema_find_sql_object(state, op->object);
	if (!o)
		return rt__op_fail(op, "there is no %s to drop", label(state, op->object));
	rt__schema_remove_sql_object(state, o);
	return RT_OK;
}

static int apply_rename(rt_schema *state, const rt_op *op)
{
	rt_sql_object *o = rt__schema_find_sql_object(state, op->object);
	if (!o)
		return rt__op_fail(op, "there is no %s to rename", label(state, op->object));
	if (!op->new_name || !*op->new_name)
		return rt__op_fail(op, "%s: no new name", label(state, o));
	rt_sql_object renamed = *o;
	renamed.name = op->new_name;
	const rt_sql_object *taken = rt__schema_find_sql_object(state, &renamed);
	if (taken)
		return rt__op_fail(op, "cannot rename %s to %s: %s exists already",
				   label(state, o), op->new_name, label(state, taken));
	if ((o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW ||
	     o->kind == RT_SQL_SEQUENCE) &&
	    (rt__schema_find_table(state, op->new_name) || has_relation(state, op->new_name)))
		return rt__op_fail(op, "cannot rename %s to %s: a table or view has the name",
				   label(state, o), op->new_name);
	const char *old = o->name;
	int rc = rt__sql_object_rename(state->arena, o, op->new_name);
	/* Triggers on a renamed view are on it by its new name, and the
	 * columns of a renamed domain of it by its new name. */
	if (rc == RT_OK && (o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW))
		rt__state_rename_triggers(state, old, o->name);
	if (rc == RT_OK && o->kind == RT_SQL_DOMAIN)
		rc = rt__schema_rename_domain_uses(state, old, o->name);
	return rc;
}

int rt__op_apply_sql_object(rt_schema *state, const rt_op *op)
{
	if (!op->object)
		return rt__op_fail(op, "no SQL object");
	switch (op->kind) {
	case RT_OP_CREATE_OBJECT: return apply_create(state, op);
	case RT_OP_REPLACE_OBJECT: return apply_replace(state, op);
	case RT_OP_RENAME_OBJECT: return apply_rename(state, op);
	default: return apply_drop(state, op);
	}
}

void rt__state_drop_triggers(rt_schema *state, const char *table)
{
	size_t kept = 0;
	for (size_t i = 0; i < state->sql_object_count; i++) {
		rt_sql_object *o = state->sql_objects[i];
		if (o->kind != RT_SQL_TRIGGER || !o->table || strcmp(o->table, table) != 0)
			state->sql_objects[kept++] = o;
	}
	state->sql_object_count = kept;
}

void rt__state_rename_triggers(rt_schema *state, const char *old, const char *new_name)
{
	for (size_t i = 0; i < state->sql_object_count; i++) {
		rt_sql_object *o = state->sql_objects[i];
		if (o->kind == RT_SQL_TRIGGER && o->table && strcmp(o->table, old) == 0)
			o->table = new_name;
	}
}
