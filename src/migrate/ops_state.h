/*
 * ops_state.h - the replay state's plumbing, shared by ops_apply*.c (which
 * applies operations) and ops_render.c: copying definitions from a
 * script's scratch schema into the state, taking objects out of it, and
 * finding column names inside CHECK expressions (ops_state.c).
 */
#ifndef RT_MIGRATE_OPS_STATE_H
#define RT_MIGRATE_OPS_STATE_H

#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/map.h"
#include "migrate/migration.h"
#include "schema/metadata.h"

/* create schema / drop schema, for rt__op_apply (ops_schemas.c). */
int rt__op_apply_schema(rt_schema *state, const rt_op *op);

/* The enum operations of rt__op_apply (ops_apply_enums.c). */
int rt__op_apply_create_enum(rt_schema *state, const rt_op *op);
int rt__op_apply_drop_enum(rt_schema *state, const rt_op *op);
int rt__op_apply_alter_enum_add(rt_schema *state, const rt_op *op);
int rt__op_apply_alter_enum_drop(rt_schema *state, const rt_op *op);

/* Create, replace or drop a view, function or trigger
 * (ops_apply_objects.c); and what a table dropped (its triggers go too)
 * or renamed (they follow: new_name outlives the state) does to them. */
int rt__op_apply_sql_object(rt_schema *state, const rt_op *op);
void rt__state_drop_triggers(rt_schema *state, const char *table);
void rt__state_rename_triggers(rt_schema *state, const char *old, const char *new_name);
/* Declarative partitioning in rt__op_apply (ops_apply_part.c): a new
 * partition's partitioned table exists and is partitioned; an operation
 * does not give a partition columns, keys or indexes of its own; a
 * partitioned table has no partitions left when it goes; its partitions
 * follow its rename (old -> new_name, a string of the state's). Each
 * check returns RT_OK or the error naming op's position. */
int rt__op_check_new_partition(const rt_op *op, const rt_schema *state, const rt_table *def);
int rt__op_check_partition_shape(const rt_op *op, const rt_schema *state);
int rt__op_check_no_partitions(const rt_op *op, const rt_schema *state, const rt_table *table);
void rt__op_rename_partitioned(rt_schema *state, const char *old, const char *new_name);


/* The state's enum called name (schema name, or SQL type name), or NULL. */
rt_enum *rt__state_find_enum(const rt_schema *state, const char *name);
/* in as the state holds it: an enum type points at the state's enum. An
 * unknown enum is an error naming op's position and the column. */
int rt__state_resolve_type(const rt_op *op, const rt_schema *state, rt_type *out,
			   const rt_type *in, const char *column);

/* Copies into the state's arena. op (may be NULL) positions errors. */
int rt__state_copy_literal(rt_arena *arena, rt_literal *out, const rt_literal *in);
rt_table *rt__state_copy_table(const rt_op *op, rt_schema *state, const rt_table *src,
			       const char *name);
int rt__state_copy_column(const rt_op *op, rt_schema *state, rt_table *table,
			  const rt_column *src);
int rt__state_copy_constraint(rt_schema *state, rt_table *table, const rt_constraint *src);
int rt__state_copy_index(rt_schema *state, rt_table *table, const rt_index *src);

/* Taking objects out. A name map forgets a key by mapping it to NULL. */
int rt__state_forget_name(rt_map *map, const char *key, const void *value);
int rt__state_remove_table(rt_schema *state, rt_table *table);
void rt__state_remove_constraint(rt_table *table, const rt_constraint *c);
void rt__state_remove_index(rt_table *table, const rt_index *index);

/* Removes items[at] from a pointer array, keeping the order. */
#define RT_REMOVE_AT(items, count, at)                                         \
	do {                                                                   \
		memmove(&(items)[at], &(items)[(at) + 1],                      \
			((count) - (at) - 1) * sizeof(*(items)));              \
		(count)--;                                                     \
	} while (0)

/* Does the index use the column: as a key or INCLUDE column, or in an
 * expression or its WHERE? */
bool rt__state_index_mentions(const rt_index *ix, const char *column);
/* Renames a column everywhere in the index, its SQL included; < 0 when
 * out of memory. */
int rt__state_index_rename_column(rt_arena *arena, rt_index *ix, const char *old,
				  const char *new_name);

/* Does a SQL expression name column (outside string literals; plain
 * names without case, "quoted" ones exactly)? */
bool rt__expr_mentions(const char *expr, const char *column);
/* The expression with every mention of column old renamed to new_name
 * (written bare when it is a plain lower-case name, else quoted); NULL
 * when out of memory. */
const char *rt__expr_rename_column(rt_arena *arena, const char *expr, const char *old,
				   const char *new_name);

/* Between ops_apply.c and ops_apply_columns.c. */
/* The column operations of rt__op_apply (ops_apply_columns.c). */
int rt__op_apply_add_column(rt_schema *state, const rt_op *op);
int rt__op_apply_drop_column(rt_schema *state, const rt_op *op);
int rt__op_apply_alter_column(rt_schema *state, const rt_op *op);
int rt__op_apply_alter_table(rt_schema *state, const rt_op *op);
int rt__op_apply_rename_column(rt_schema *state, const rt_op *op);
/* The table (or column of table) the operation names; NULL after
 * recording that it does not exist at this point. */
rt_table *rt__op_need_table(const rt_op *op, const rt_schema *state, const char *name);
rt_column *rt__op_need_column(const rt_op *op, const rt_table *table, const char *name);
/* RT_OK when name is new among table's keys and indexes, else failed. */
int rt__op_check_new_key(const rt_op *op, const rt_table *table, const char *name);
/* Is c a primary key or unique (so an index of its own)? */
bool rt__op_makes_index(const rt_constraint *c);
/* A foreign key of table fits when the table it references exists (table
 * itself counts) with those columns under a primary key or unique. */
int rt__op_check_foreign_key(const rt_op *op, const rt_schema *state, const rt_table *table,
			     const rt_constraint *fk);
/* The first foreign key (of any table) pointing at table that loses its
 * unique key when `going` (a constraint or index of table) is removed, or
 * that uses column `column` of table (when not NULL); its table in *owner. */
const rt_constraint *rt__op_dependent_foreign_key(const rt_schema *state, const rt_table *table,
						  const void *going, const char *column,
						  const rt_table **owner);

#endif
