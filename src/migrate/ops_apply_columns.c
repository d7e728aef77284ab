/*
 * ops_apply_columns.c - the column operations of rt__op_apply
 * (ops_apply.c, whose header comment gives the rules): add, drop, alter
 * and rename a column, and alter a table's options and comment.
 *
 * A dropped column takes the indexes and constraints that use it; a
 * renamed one is renamed in every key, index and CHECK that names it and
 * in other tables' foreign keys, as the databases do.
 */
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "migrate/ops.h"
#include "migrate/ops_state.h"

/* The column an add/drop column op is about, in its definition table. */
static const rt_column *def_column(const rt_op *op)
{
	if (!op->def)
		return NULL;
	if (op->name)
		return rt__table_find_column(op->def, op->name);
	return op->def->column_count == 1 ? op->def->columns[0] : NULL;
}

int rt__op_apply_add_column(rt_schema *state, const rt_op *op)
{
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	const rt_column *src = def_column(op);
	if (!src)
		return rt__op_fail(op, "no definition for column %s", op->name ? op->name : "?");
	if (rt__table_find_column(table, src->name))
		return rt__op_fail(op, "table %s already has a column %s", table->name, src->name);
	const rt_table *def = op->def;
	if (def->primary_key && table->primary_key)
		return rt__op_fail(op, "table %s already has a primary key (%s)", table->name,
				   table->primary_key->name ? table->primary_key->name : "unnamed");
	int rc;
	rt_type scratch;
	if ((rc = rt__state_resolve_type(op, state, &scratch, &src->type, src->name)) < 0)
		return rc;
	/* The new keys and indexes: names free in the table. */
	for (size_t i = 0; i < def->constraint_count; i++) {
		const rt_constraint *c = def->constraints[i];
		if (c->name && rt__table_find_constraint(table, c->name))
			return rt__op_fail(op, "table %s already has a constraint %s",
					   table->name, c->name);
		if (rt__op_makes_index(c) && c->name && (rc = rt__op_check_new_key(op, table, c->name)) < 0)
			return rc;
	}
	for (size_t i = 0; i < def->index_count; i++)
		if (def->indexes[i]->name &&
		    (rc = rt__op_check_new_key(op, table, def->indexes[i]->name)) < 0)
			return rc;

	size_t constraints_before = table->constraint_count;
	if ((rc = rt__state_copy_column(op, state, table, src)) < 0)
		return rc;
	if (def->primary_key &&
	    (rc = rt__state_copy_constraint(state, table, def->primary_key)) < 0)
		return rc;
	for (size_t i = 0; i < def->constraint_count; i++)
		if ((rc = rt__state_copy_constraint(state, table, def->constraints[i])) < 0)
			return rc;
	for (size_t i = 0; i < def->index_count; i++)
		if ((rc = rt__state_copy_index(state, table, def->indexes[i])) < 0)
			return rc;
	for (size_t i = constraints_before; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c->kind == RT_CONSTRAINT_FOREIGN_KEY &&
		    (rc = rt__op_check_foreign_key(op, state, table, c)) < 0)
			return rc;
	}
	return RT_OK;
}

int rt__op_apply_drop_column(rt_schema *state, const rt_op *op)
{
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	const char *name = op->name ? op->name : def_column(op) ? def_column(op)->name : NULL;
	rt_column *column = rt__op_need_column(op, table, name);
	if (!column)
		return RT_EINVAL;
	if (table->column_count == 1)
		return rt__op_fail(op, "%s is the last column of table %s; drop the table instead",
				   column->name, table->name);
	const rt_table *owner = NULL;
	const rt_constraint *fk = rt__op_dependent_foreign_key(state, table, NULL, column->name, &owner);
	if (fk)
		return rt__op_fail(op, "foreign key %s of table %s references %s.%s; drop it first",
			    fk->name ? fk->name : "?", owner->name, table->name, column->name);

	/* What uses the column goes with it, as PostgreSQL does. (A key
	 * pointing at those columns was refused above.) */
	if (table->primary_key && rt__op_constraint_uses(table->primary_key, column->name))
		table->primary_key = NULL;
	for (size_t i = table->constraint_count; i-- > 0;)
		if (rt__op_constraint_uses(table->constraints[i], column->name))
			RT_REMOVE_AT(table->constraints, table->constraint_count, i);
	for (size_t i = table->index_count; i-- > 0;)
		if (rt__state_index_mentions(table->indexes[i], column->name))
			RT_REMOVE_AT(table->indexes, table->index_count, i);
	for (size_t i = 0; i < table->column_count; i++) {
		if (table->columns[i] == column) {
			RT_REMOVE_AT(table->columns, table->column_count, i);
			break;
		}
	}
	return rt__table_reindex_columns(state, table);
}

/* The comment after op's comment change, copied into the state. */
static int changed_comment(rt_schema *state, const rt_op *op, const char **comment)
{
	if (op->comment_change == RT_ALTER_COMMENT_DROP) {
		*comment = NULL;
	} else if (op->comment_change == RT_ALTER_COMMENT_SET) {
		if (!op->comment)
			return rt__op_fail(op, "no comment to set");
		if (!(*comment = rt__arena_strdup(state->arena, op->comment)))
			return rt__error_nomem();
	}
	return RT_OK;
}

int rt__op_apply_alter_column(rt_schema *state, const rt_op *op)
{
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	rt_column *column = rt__op_need_column(op, table, op->name);
	if (!column)
		return RT_EINVAL;
	int rc;
	rt_type type = column->type;
	if (op->set_type &&
	    (rc = rt__state_resolve_type(op, state, &type, &op->type, column->name)) < 0)
		return rc;
	const rt_constraint *pk = table->primary_key;
	if (op->null_change == RT_ALTER_NULL_SET && pk &&
	    rt__names_contain(pk->columns, pk->column_count, column->name))
		return rt__op_fail(op, "%s.%s is in the primary key and cannot be null",
				   table->name, column->name);
	if (op->set_type && column->autoincrement && !rt__type_is_integer(type.kind))
		return rt__op_fail(op, "%s.%s autoincrements and must stay an integer", table->name,
				   column->name);
	rt_literal server_default = column->server_default;
	if (op->default_change == RT_ALTER_DEFAULT_SET &&
	    (rc = rt__state_copy_literal(state->arena, &server_default, &op->server_default)) < 0)
		return rc;
	const char *comment = column->comment;
	if ((rc = changed_comment(state, op, &comment)) < 0)
		return rc;
	const char *collation = column->collation;
	if (op->collation_change == RT_ALTER_COLLATION_DROP) {
		collation = NULL;
	} else if (op->collation_change == RT_ALTER_COLLATION_SET) {
		if (!op->collation)
			return rt__op_fail(op, "no collation to set");
		if (!(collation = rt__arena_strdup(state->arena, op->collation)))
			return rt__error_nomem();
	}

	column->type = type;
	if (op->null_change == RT_ALTER_NULL_SET)
		column->nullable = true;
	else if (op->null_change == RT_ALTER_NULL_DROP)
		column->nullable = false;
	if (op->default_change == RT_ALTER_DEFAULT_SET)
		column->server_default = server_default;
	else if (op->default_change == RT_ALTER_DEFAULT_DROP)
		column->server_default = (rt_literal){RT_LITERAL_NONE, NULL};
	column->comment = comment;
	column->collation = collation;
	if (op->onupdate_change != RT_ALTER_ONUPDATE_KEEP)
		column->server_onupdate = op->onupdate_change == RT_ALTER_ONUPDATE_SET;
	return RT_OK;
}

/* A one-column integer primary key autoincrements as the language says
 * (schema/validate_keys.c): never in a table `without rowid` (its key is
 * the table's own), else unless it said `no autoincrement`. A table made
 * without rowid, or back, changes what its key is. */
static void settle_autoincrement(rt_table *table)
{
	const rt_constraint *pk = table->primary_key;
	rt_column *only = pk && pk->column_count == 1
				  ? rt__table_find_column(table, pk->columns[0])
				  : NULL;
	if (!only || !rt__type_is_integer(only->type.kind))
		return;
	if (table->options & RT_TABLE_WITHOUT_ROWID)
		only->autoincrement = false;
	else if (!only->autoincrement_set)
		only->autoincrement = true;
}

/* alter table t comment '...' | drop comment | collate NAME | drop collate
 * | <options> */
int rt__op_apply_alter_table(rt_schema *state, const rt_op *op)
{
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	if (op->comment_change == RT_ALTER_COMMENT_KEEP && !op->options_set &&
	    !op->options_clear && op->collation_change == RT_ALTER_COLLATION_KEEP)
		return rt__op_fail(op, "no change to table %s", table->name);
	const char *comment = table->comment;
	int rc = changed_comment(state, op, &comment);
	if (rc == RT_OK && op->collation_change != RT_ALTER_COLLATION_KEEP) {
		const char *collation = op->collation_change == RT_ALTER_COLLATION_SET
						? rt__arena_strdup(state->arena, op->collation)
						: NULL;
		if (op->collation_change == RT_ALTER_COLLATION_SET && !collation)
			return op->collation ? rt__error_nomem()
					     : rt__op_fail(op, "no collation to set");
		table->collation = collation;
	}
	if (rc == RT_OK) {
		table->comment = comment;
		unsigned options = (table->options | op->options_set) & ~op->options_clear;
		bool rowid_changes = (options ^ table->options) & RT_TABLE_WITHOUT_ROWID;
		table->options = options;
		if (rowid_changes)
			settle_autoincrement(table);
	}
	return rc;
}

static void rename_in_names(const char **names, size_t count, const char *old,
			    const char *new_name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(names[i], old) == 0)
			names[i] = new_name;
}

int rt__op_apply_rename_column(rt_schema *state, const rt_op *op)
{
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	rt_column *column = rt__op_need_column(op, table, op->name);
	if (!column)
		return RT_EINVAL;
	if (!op->new_name)
		return rt__op_fail(op, "no new name for column %s", column->name);
	if (rt__table_find_column(table, op->new_name))
		return rt__op_fail(op, "table %s already has a column %s", table->name,
				   op->new_name);
	rt_arena *arena = state->arena;
	const char *old = column->name;
	const char *new_name = rt__arena_strdup(arena, op->new_name);
	if (!new_name)
		return rt__error_nomem();

	rt_constraint *pk = table->primary_key;
	if (pk)
		rename_in_names(pk->columns, pk->column_count, old, new_name);
	for (size_t i = 0; i < table->constraint_count; i++) {
		rt_constraint *c = table->constraints[i];
		rename_in_names(c->columns, c->column_count, old, new_name);
		if (c->check_column && strcmp(c->check_column, old) == 0)
			c->check_column = new_name;
		if (c->check && rt__expr_mentions(c->check, old) &&
		    !(c->check = rt__expr_rename_column(arena, c->check, old, new_name)))
			return rt__error_nomem();
	}
	for (size_t i = 0; i < table->index_count; i++)
		if (rt__state_index_rename_column(arena, table->indexes[i], old, new_name) < 0)
			return RT_ENOMEM;
	/* Keys pointing at the column follow it. */
	for (size_t t = 0; t < state->table_count; t++) {
		rt_table *other = state->tables[t];
		for (size_t i = 0; i < other->constraint_count; i++) {
			rt_constraint *c = other->constraints[i];
			if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
			    strcmp(c->ref_table, table->name) == 0)
				rename_in_names(c->ref_columns, c->ref_column_count, old, new_name);
		}
	}
	column->name = new_name;
	if (column->field && strcmp(column->field, old) == 0)
		column->field = new_name;
	return rt__table_reindex_columns(state, table);
}
