/*
 * ops_apply_part.c - declarative partitioning in the replay of operations
 * on a schema in memory (rt__op_apply, ops_apply.c, whose rules these
 * follow: what the database would refuse is refused, naming the
 * operation's position, before anything changes):
 *
 *   - a new partition's partitioned table exists at that point and is
 *     partitioned;
 *   - a partition's columns, keys and indexes are its partitioned
 *     table's: an operation that would give it its own (add, drop, alter
 *     or rename a column, create an index, add a primary key or a unique
 *     constraint) is refused, naming the table to change instead; its own
 *     foreign keys and checks come and go like any table's;
 *   - a partitioned table goes after its partitions (PostgreSQL's DROP
 *     TABLE would take them along, rows and all, without a word);
 *   - a partitioned table's partitions follow it when it is renamed, as
 *     they do in the database.
 */
#include <string.h>

#include "base/error.h"
#include "migrate/ops.h"
#include "migrate/ops_state.h"

int rt__op_check_new_partition(const rt_op *op, const rt_schema *state, const rt_table *def)
{
	if (!def->partition_of)
		return RT_OK;
	const rt_table *parent = rt__schema_find_table(state, def->partition_of);
	if (!parent)
		return rt__op_fail(op, "table %s is to be a partition of %s, which does not exist "
				   "at this point", def->name, def->partition_of);
	if (parent->partition_by == RT_PARTITION_NONE)
		return rt__op_fail(op, "table %s is to be a partition of %s, which is not "
				   "partitioned", def->name, parent->name);
	if (!def->partition_bound && parent->partition_by == RT_PARTITION_HASH)
		return rt__op_fail(op, "table %s is partitioned by hash, which has no default "
				   "partition", parent->name);
	return RT_OK;
}

/* Does the operation give its table a column or key of its own? (An
 * index of a partition's own is the partition's.) */
static bool shapes_table(const rt_op *op)
{
	switch (op->kind) {
	case RT_OP_ADD_COLUMN:
	case RT_OP_DROP_COLUMN:
	case RT_OP_ALTER_COLUMN:
	case RT_OP_RENAME_COLUMN:
		return true;
	case RT_OP_ADD_CONSTRAINT:
		return op->constraint && (op->constraint->kind == RT_CONSTRAINT_PRIMARY_KEY ||
					  op->constraint->kind == RT_CONSTRAINT_UNIQUE);
	default:
		return false;
	}
}

int rt__op_check_partition_shape(const rt_op *op, const rt_schema *state)
{
	const rt_table *table = op->table ? rt__schema_find_table(state, op->table) : NULL;
	if (!table || !table->partition_of || !shapes_table(op))
		return RT_OK;
	return rt__op_fail(op, "table %s is a partition of %s: its columns and keys are "
			   "those of %s; change %s instead", table->name,
			   table->partition_of, table->partition_of, table->partition_of);
}

int rt__op_check_no_partitions(const rt_op *op, const rt_schema *state, const rt_table *table)
{
	const rt_table *partition = rt__schema_first_partition(state, table);
	if (!partition)
		return RT_OK;
	return rt__op_fail(op, "table %s still has partition %s, whose rows would go with it; "
			   "drop the partitions first", table->name, partition->name);
}

void rt__op_rename_partitioned(rt_schema *state, const char *old, const char *new_name)
{
	for (size_t t = 0; t < state->table_count; t++) {
		rt_table *other = state->tables[t];
		if (other->partition_of && strcmp(other->partition_of, old) == 0)
			other->partition_of = new_name;
	}
}
