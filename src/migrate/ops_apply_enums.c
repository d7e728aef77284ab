/*
 * ops_apply_enums.c - replaying the enum operations on a schema in memory
 * (create enum, drop enum, alter enum add / drop value), for rt__op_apply
 * (ops_apply.c, whose rules they follow: what the database would refuse
 * is refused, naming the operation's position, before anything changes).
 */
#include <string.h>

#include "base/error.h"
#include "migrate/ops.h"
#include "migrate/ops_state.h"

static const char *enum_user(const rt_schema *state, const rt_enum *e, const rt_table **owner)
{
	for (size_t t = 0; t < state->table_count; t++)
		for (size_t i = 0; i < state->tables[t]->column_count; i++) {
			const rt_column *column = state->tables[t]->columns[i];
			if (column->type.kind == RT_TYPE_ENUM && column->type.enum_type == e) {
				*owner = state->tables[t];
				return column->name;
			}
		}
	return NULL;
}

int rt__op_apply_create_enum(rt_schema *state, const rt_op *op)
{
	const rt_enum *src = op->enum_def;
	if (!src || !src->name)
		return rt__op_fail(op, "no enum definition");
	if (rt__state_find_enum(state, src->name) ||
	    (src->sql_name && rt__state_find_enum(state, src->sql_name)))
		return rt__op_fail(op, "enum %s already exists", src->name);
	if (src->value_count == 0)
		return rt__op_fail(op, "enum %s has no values", src->name);
	for (size_t i = 0; i < src->value_count; i++)
		if (rt__names_contain(src->values, i, src->values[i]))
			return rt__op_fail(op, "enum %s lists '%s' twice", src->name,
					   src->values[i]);
	rt_enum *e = rt__schema_add_enum(state, src->name, src->sql_name);
	if (!e || rt__enum_set_schema(state, e, src->schema) < 0)
		return RT_ENOMEM;
	e->pos = src->pos;
	for (size_t i = 0; i < src->value_count; i++)
		if (rt__enum_add_value(state, e, src->values[i]) < 0)
			return RT_ENOMEM;
	return RT_OK;
}

int rt__op_apply_drop_enum(rt_schema *state, const rt_op *op)
{
	const char *name = op->enum_def ? op->enum_def->name : op->name;
	rt_enum *e = rt__state_find_enum(state, name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point", name ? name : "?");
	const rt_table *owner = NULL;
	const char *column = enum_user(state, e, &owner);
	if (column)
		return rt__op_fail(op, "column %s.%s still uses enum %s", owner->name, column,
				   e->name);
	for (size_t i = 0; i < state->enum_count; i++) {
		if (state->enums[i] == e) {
			RT_REMOVE_AT(state->enums, state->enum_count, i);
			break;
		}
	}
	return rt__state_forget_name(&state->enum_by_name, e->name, e);
}

int rt__op_apply_alter_enum_add(rt_schema *state, const rt_op *op)
{
	rt_enum *e = rt__state_find_enum(state, op->name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point",
				   op->name ? op->name : "?");
	if (!op->value)
		return rt__op_fail(op, "no value to add to enum %s", e->name);
	if (rt__names_contain(e->values, e->value_count, op->value))
		return rt__op_fail(op, "enum %s already has the value '%s'", e->name, op->value);
	return rt__enum_add_value(state, e, op->value);
}

/* A column of enum e whose server default or client default is value, or
 * NULL (*table_out names its table). */
static const rt_column *column_defaulting_to(const rt_schema *state, const rt_enum *e,
					     const char *value, const rt_table **table_out)
{
	for (size_t t = 0; t < state->table_count; t++) {
		const rt_table *table = state->tables[t];
		for (size_t i = 0; i < table->column_count; i++) {
			const rt_column *c = table->columns[i];
			if (c->type.kind != RT_TYPE_ENUM || c->type.enum_type != e)
				continue;
			const rt_literal *defaults[] = {&c->server_default, &c->default_value};
			for (size_t k = 0; k < 2; k++)
				if (defaults[k]->kind == RT_LITERAL_ENUM && defaults[k]->text &&
				    strcmp(defaults[k]->text, value) == 0) {
					*table_out = table;
					return c;
				}
		}
	}
	return NULL;
}

/* The value leaves the enum; columns keep the enum type (their rows are
 * checked when the operation runs, rt__op_execute). */
int rt__op_apply_alter_enum_drop(rt_schema *state, const rt_op *op)
{
	rt_enum *e = rt__state_find_enum(state, op->name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point",
				   op->name ? op->name : "?");
	if (!op->value)
		return rt__op_fail(op, "no value to drop from enum %s", e->name);
	size_t at = 0;
	while (at < e->value_count && strcmp(e->values[at], op->value) != 0)
		at++;
	if (at == e->value_count)
		return rt__op_fail(op, "enum %s has no value '%s'", e->name, op->value);
	if (e->value_count == 1)
		return rt__op_fail(op, "'%s' is the last value of enum %s; an enum keeps at "
				   "least one (drop enum removes the type)", op->value, e->name);
	const rt_table *table = NULL;
	const rt_column *column = column_defaulting_to(state, e, op->value, &table);
	if (column)
		return rt__op_fail(op, "column %s.%s defaults to '%s'; change its default "
				   "before dropping the value from enum %s",
				   table->name, column->name, op->value, e->name);
	RT_REMOVE_AT(e->values, e->value_count, at);
	return RT_OK;
}
