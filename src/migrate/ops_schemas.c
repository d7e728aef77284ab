/*
 * ops_schemas.c - the operations on PostgreSQL schemas (namespaces):
 * `create schema billing` and `drop schema billing`, replayed on a schema
 * in memory (for rt__op_apply) and written as SQL (for rt__op_render).
 *
 * A migration state knows the schemas its scripts made (rt_schema's
 * namespaces): a script drops only one of them, and only once no table,
 * enum type or SQL object of the state is left in it, so that a schema the scripts did not make (or
 * public) is never dropped. DROP SCHEMA without CASCADE makes the database
 * refuse too when something else is still in it.
 */
#include <string.h>

#include "base/error.h"
#include "migrate/ops.h"
#include "migrate/ops_render.h"
#include "migrate/ops_state.h"

static bool in_schema(const char *schema, const char *name)
{
	return schema && strcmp(schema, name) == 0;
}

/* Is anything of state still in schema name? *what and *label say the
 * first: "table" "billing.accounts", "enum" "InvoiceState", "view"
 * "billing.v". */
static bool held_in(const rt_schema *state, const char *name, const char **what,
		    const char **label)
{
	for (size_t i = 0; i < state->table_count; i++)
		if (in_schema(state->tables[i]->schema, name)) {
			*what = "table";
			*label = state->tables[i]->name;
			return true;
		}
	for (size_t i = 0; i < state->enum_count; i++)
		if (in_schema(state->enums[i]->schema, name)) {
			*what = "enum";
			*label = state->enums[i]->name;
			return true;
		}
	for (size_t i = 0; i < state->sql_object_count; i++)
		if (in_schema(state->sql_objects[i]->schema, name)) {
			*what = rt__sql_kind_name(state->sql_objects[i]->kind);
			*label = state->sql_objects[i]->name;
			return true;
		}
	return false;
}

static void forget_namespace(rt_schema *state, const char *name)
{
	for (size_t i = 0; i < state->namespace_count; i++) {
		if (strcmp(state->namespaces[i], name) != 0)
			continue;
		memmove(&state->namespaces[i], &state->namespaces[i + 1],
			(state->namespace_count - i - 1) * sizeof(*state->namespaces));
		state->namespace_count--;
		return;
	}
}

int rt__op_apply_schema(rt_schema *state, const rt_op *op)
{
	const char *name = op->name;
	if (!name || !*name)
		return rt__op_fail(op, "no schema name");
	if (strcmp(name, RT_DEFAULT_SCHEMA) == 0)
		return rt__op_fail(op, "schema %s is the database's own; no script %s it", name,
				   op->kind == RT_OP_CREATE_SCHEMA ? "creates" : "drops");
	bool known = rt__schema_has_namespace(state, name);
	if (op->kind == RT_OP_CREATE_SCHEMA) {
		if (known)
			return rt__op_fail(op, "schema %s already exists at this point", name);
		return rt__schema_add_namespace(state, name);
	}
	if (!known)
		return rt__op_fail(op, "schema %s was not created by the scripts before this "
				       "point; a script drops only a schema a script created",
				   name);
	const char *what, *label;
	if (held_in(state, name, &what, &label))
		return rt__op_fail(op, "schema %s still holds %s %s; drop or move it first", name,
				   what, label);
	forget_namespace(state, name);
	return RT_OK;
}

int rt__render_schema(renderer *r)
{
	const rt_op *op = r->op;
	bool create = op->kind == RT_OP_CREATE_SCHEMA;
	if (!op->name)
		return rt__op_fail(op, "no schema name");
	if (!r->d->caps.schemas)
		return rt__op_fail(op, "%s has no schemas of tables (PostgreSQL's CREATE SCHEMA); "
				       "leave the operation out for %s, or give it "
				       "'only postgresql' through execute",
				   r->d->name, r->d->name);
	rt__buf_puts(&r->buf, create ? "CREATE SCHEMA " : "DROP SCHEMA ");
	rt__render_put_ident(r, op->name);
	return rt__render_push(r, RT_STMT_OTHER);
}
