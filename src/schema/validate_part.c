/*
 * validate_part.c - declarative partitioning (validate.h): a partitioned
 * table's `partition by` and a partition's `partition of`, from the
 * declaration into the table (metadata.h), and their rules:
 *
 *   - a partition is a `table`, never a model: its rows are read and
 *     written through its partitioned table;
 *   - a partition has no columns, primary key, unique constraints or
 *     relationships of its own (they are its partitioned table's): its
 *     body holds only what it has of its own, foreign keys, checks,
 *     indexes (unique or not) and a comment, naming the partitioned
 *     table's columns;
 *   - the table it is a partition of exists and is partitioned; `default`
 *     is for range and list partitioning (hash has none);
 *   - a partition key names columns of the table (or is an expression in
 *     quotes); list partitioning takes one key;
 *   - a partitioned table's primary key and unique keys hold every
 *     partition key column (PostgreSQL's rule: each partition checks its
 *     own rows only), and none can stand beside an expression key.
 *
 * In a migration script's definition (an open world, validate.h) the
 * partitioned table is the database's: only the declaration's own shape
 * is checked, and the migration state checks the rest (ops_apply.c).
 */
#include <string.h>

#include "schema/validate.h"

/* --- from the declaration ------------------------------------------------- */

void rt__build_partitioning(rt_build *b, rt_table *table, const rt_ast_decl *decl)
{
	const rt_ast_partitioning *part = &decl->partition;
	if (part->of.text && decl->kind == RT_AST_MODEL) {
		rt__diag_error(b->diags, part->of.pos,
			       "a partition is declared as a table, not a model: its rows are "
			       "read and written through its partitioned table's model; write "
			       "'table <name> partition of %s ...'",
			       part->of.text);
		/* Read on as a partition, so that nothing more is said of it. */
	}
	if (part->of.text) {
		table->partition_of = rt__build_keep(b, part->of.text);
		table->partition_bound = rt__build_keep(b, part->bound.text);
	}
	if (!part->method.text)
		return;
	table->partition_by = rt__partition_method_of(part->method.text);
	table->partition_keys = rt__arena_alloc(b->arena, (part->key_count + 1) *
								  sizeof(*table->partition_keys));
	if (!table->partition_keys) {
		rt__build_nomem(b);
		return;
	}
	/* Column keys as written (a field's name or a column's); the names
	 * are settled once the columns exist (check_keys). */
	for (size_t i = 0; i < part->key_count; i++) {
		const char *text = rt__build_keep(b, part->keys[i].text.text);
		if (part->keys[i].expression)
			table->partition_keys[i].expression = text;
		else
			table->partition_keys[i].column = text;
	}
	table->partition_key_count = part->key_count;
}

bool rt__build_partition_member(rt_build *b, const rt_build_table *bt, const rt_ast_member *m)
{
	if (!bt->table->partition_of)
		return true;
	switch (m->kind) {
	case RT_AST_FOREIGN_KEY:
	case RT_AST_CHECK:
	case RT_AST_INDEX:
	case RT_AST_COMMENT:
	case RT_AST_SCHEMA_NAME:
		return true;
	case RT_AST_FIELD:
		rt__diag_error(b->diags, m->pos,
			       "a partition has the columns of its partitioned table %s; "
			       "declare '%s' there",
			       bt->table->partition_of, m->name.text ? m->name.text : "");
		return false;
	default:
		rt__diag_error(b->diags, m->pos,
			       "a partition's primary key and unique constraints are those of "
			       "its partitioned table %s; its body holds only foreign keys, "
			       "checks, indexes and a comment of its own",
			       bt->table->partition_of);
		return false;
	}
}

const rt_table *rt__build_columns_of(rt_build *b, const rt_table *table)
{
	return table->partition_of ? rt__schema_partition_root(b->schema, table) : table;
}

/* --- the rules ------------------------------------------------------------- */

/* The table the partition is of: it exists and is partitioned, and the
 * bound fits its method. */
static void check_parent(rt_build *b, const rt_build_table *bt)
{
	const rt_table *table = bt->table;
	const rt_ast_partitioning *part = &bt->decl->partition;
	if (b->fragment)
		return; /* the database's table */
	const rt_table *parent = rt__schema_find_table(b->schema, table->partition_of);
	if (!parent) {
		rt__build_unknown_table(b, &part->of, "'partition of'");
		return;
	}
	if (parent == table || !rt__schema_partition_root(b->schema, table)) {
		rt__diag_error(b->diags, part->of.pos,
			       "table %s is a partition of itself, through its chain of "
			       "'partition of'",
			       table->name);
		return;
	}
	if (parent->partition_by == RT_PARTITION_NONE) {
		rt__diag_error(b->diags, part->of.pos,
			       "table %s is not partitioned: add 'partition by range|list|hash "
			       "(...)' after its name, or declare %s as a table of its own",
			       parent->name, table->name);
		return;
	}
	if (!table->partition_bound && parent->partition_by == RT_PARTITION_HASH)
		rt__diag_error(b->diags, part->is_default,
			       "table %s is partitioned by hash, which has no default "
			       "partition; give %s its bound: for values 'WITH (modulus N, "
			       "remainder R)'",
			       parent->name, table->name);
}

/* Each column key names a column of the table (settled to its SQL name). */
static void check_keys(rt_build *b, const rt_build_table *bt)
{
	rt_table *table = bt->table;
	const rt_ast_partitioning *part = &bt->decl->partition;
	const rt_table *columns = rt__build_columns_of(b, table);
	if (table->partition_by == RT_PARTITION_LIST && table->partition_key_count > 1)
		rt__diag_error(b->diags, part->method.pos,
			       "list partitioning takes one key, and table %s has %zu; partition by "
			       "range for several",
			       table->name, table->partition_key_count);
	for (size_t i = 0; i < table->partition_key_count; i++) {
		rt_partition_key *key = &table->partition_keys[i];
		if (!key->column || !columns)
			continue; /* an expression, or columns the database has */
		rt_column *column = rt__build_find_column(b, (rt_table *)columns,
							  &part->keys[i].text, "the partition key");
		if (column)
			key->column = column->name;
		for (size_t j = 0; column && j < i; j++)
			if (table->partition_keys[j].column &&
			    strcmp(table->partition_keys[j].column, column->name) == 0)
				rt__diag_error(b->diags, part->keys[i].text.pos,
					       "column '%s' is in the partition key twice",
					       part->keys[i].text.text);
	}
}

/* Is column among columns, or among the column keys of index (when not
 * NULL; an expression key holds no column)? */
static bool holds(const char *const *columns, size_t count, const rt_index *index,
		  const char *column)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(columns[i], column) == 0)
			return true;
	for (size_t i = 0; index && i < index->key_count; i++)
		if (index->keys[i].column && strcmp(index->keys[i].column, column) == 0)
			return true;
	return false;
}

/* A key of owner (its primary key, a unique constraint: columns; a unique
 * index: index) holds every partition key column of table: owner itself,
 * or a partition of it that is partitioned in turn (its keys are owner's). */
static void check_unique_key(rt_build *b, const rt_table *table, const rt_table *owner,
			     const char *what, const char *const *columns, size_t count,
			     const rt_index *index, rt_pos pos)
{
	for (size_t i = 0; i < table->partition_key_count; i++) {
		const rt_partition_key *key = &table->partition_keys[i];
		if (!key->column) {
			rt__diag_error(b->diags, pos,
				       "table %s is partitioned on an expression ('%s'), and "
				       "PostgreSQL keeps no %s on table %s then: each partition "
				       "could check its own rows only",
				       table->name, key->expression, what, owner->name);
			return;
		}
		if (!holds(columns, count, index, key->column)) {
			rt__diag_error(b->diags, pos,
				       "the %s of table %s must include the column '%s' that "
				       "table %s is partitioned on (PostgreSQL's rule: each "
				       "partition checks its own rows only); add it to the %s",
				       what, owner->name, key->column, table->name, what);
			return;
		}
	}
}

static void check_unique_keys(rt_build *b, const rt_table *table)
{
	const rt_table *owner = rt__build_columns_of(b, table);
	if (!owner)
		return;
	const rt_constraint *pk = owner->primary_key;
	if (pk)
		check_unique_key(b, table, owner, "primary key", pk->columns, pk->column_count,
				 NULL, pk->pos);
	for (size_t i = 0; i < owner->constraint_count; i++) {
		const rt_constraint *c = owner->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE)
			check_unique_key(b, table, owner, "unique constraint", c->columns,
					 c->column_count, NULL, c->pos);
	}
	for (size_t i = 0; i < owner->index_count; i++) {
		const rt_index *index = owner->indexes[i];
		if (index->unique)
			check_unique_key(b, table, owner, "unique index", NULL, 0, index,
					 index->pos);
	}
	/* A partitioned partition's own unique indexes, under the same rule. */
	for (size_t i = 0; table != owner && i < table->index_count; i++) {
		const rt_index *index = table->indexes[i];
		if (index->unique)
			check_unique_key(b, table, table, "unique index", NULL, 0, index,
					 index->pos);
	}
}

void rt__build_partitions(rt_build *b)
{
	for (size_t i = 0; i < b->table_count && !b->diags->nomem; i++) {
		const rt_build_table *bt = b->tables[i];
		if (bt->table->partition_of)
			check_parent(b, bt);
		if (bt->table->partition_by != RT_PARTITION_NONE) {
			check_keys(b, bt);
			check_unique_keys(b, bt->table);
		}
	}
}
