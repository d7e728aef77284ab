/*
 * ops_apply.c - replaying a migration operation on a schema in memory
 * (rt__op_apply in ops.h).
 *
 * The schema after an operation must be exactly what reflecting the
 * database gives after the same operation ran there, so each operation
 * changes the state the way PostgreSQL and SQLite change their catalogs:
 *
 *   - Renaming a table or a column keeps every constraint and index name
 *     (pk_old stays pk_old), as both databases do; foreign keys of other
 *     tables follow the renamed table or column, and CHECK expressions are
 *     rewritten to the new column name.
 *   - Dropping a column drops the indexes and constraints that use it
 *     (PostgreSQL does so itself; on SQLite the rebuild leaves them out).
 *   - What a database would refuse is refused here, before anything
 *     changes: a table that other tables' foreign keys still reference, an
 *     enum a column still uses, a foreign key whose target columns are not
 *     a primary key or unique, a name already taken in its table (names
 *     two tables may not share on a database are refused where the
 *     operation is planned for it: ops_render.c).
 *   - `execute` and `insert` change no schema: raw SQL is opaque to replay.
 *
 * Definitions inside an operation (the table of `create table`, the
 * constraint of `add ...`) live in the script's scratch schema; they are
 * copied into the state's arena (ops_state.c), so the state outlives the
 * scripts. Every error names the operation's position in its script.
 */
#include "migrate/ops.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "migrate/ops_state.h"

/* --- errors ------------------------------------------------------------------ */

const char *rt__op_verb(rt_op_kind kind)
{
	switch (kind) {
	case RT_OP_CREATE_TABLE: return "create table";
	case RT_OP_DROP_TABLE: return "drop table";
	case RT_OP_RENAME_TABLE: return "rename table";
	case RT_OP_ALTER_TABLE: return "alter table";
	case RT_OP_ADD_COLUMN: return "add column";
	case RT_OP_DROP_COLUMN: return "drop column";
	case RT_OP_ALTER_COLUMN: return "alter column";
	case RT_OP_RENAME_COLUMN: return "rename column";
	case RT_OP_CREATE_INDEX: return "create index";
	case RT_OP_DROP_INDEX: return "drop index";
	case RT_OP_ADD_CONSTRAINT: return "add constraint";
	case RT_OP_DROP_CONSTRAINT: return "drop constraint";
	case RT_OP_CREATE_ENUM: return "create enum";
	case RT_OP_DROP_ENUM: return "drop enum";
	case RT_OP_ALTER_ENUM_ADD:
	case RT_OP_ALTER_ENUM_DROP: return "alter enum";
	case RT_OP_EXECUTE: return "execute";
	case RT_OP_INSERT: return "insert";
	case RT_OP_CREATE_OBJECT: return "create";
	case RT_OP_REPLACE_OBJECT: return "replace";
	case RT_OP_DROP_OBJECT: return "drop";
	case RT_OP_RENAME_OBJECT: return "rename";
	case RT_OP_CREATE_SCHEMA: return "create schema";
	case RT_OP_DROP_SCHEMA: return "drop schema";
	}
	return "operation";
}

int rt__op_fail(const rt_op *op, const char *fmt, ...)
{
	char what[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!op)
		return rt__error_set(RT_EINVAL, "%s", what);
	return rt__error_set(RT_EINVAL, "%s:%d:%d: %s: %s",
			     op->pos.file ? op->pos.file : "<script>", op->pos.line,
			     op->pos.col, rt__op_verb(op->kind), what);
}


/* --- what the database would refuse ------------------------------------------------ */


/* Is there a primary key, unique constraint or unique index on exactly the
 * columns cols of table (in any order), other than `except`? A foreign key
 * needs one to point at. */
static bool has_unique_key(const rt_table *table, const char *const *cols, size_t count,
			   const void *except)
{
	const rt_constraint *pk = table->primary_key;
	if (pk && pk != except && rt__names_same_set(pk->columns, pk->column_count, cols, count))
		return true;
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c != except && c->kind == RT_CONSTRAINT_UNIQUE &&
		    rt__names_same_set(c->columns, c->column_count, cols, count))
			return true;
	}
	for (size_t i = 0; i < table->index_count; i++) {
		const rt_index *ix = table->indexes[i];
		if (ix != except && ix->unique && rt__index_plain_on(ix, cols, count, false))
			return true;
	}
	return false;
}

/* The columns are table's (a partition's are its partitioned table's,
 * in state; a new partition's table is in state too). */
static int check_columns_exist(const rt_op *op, const rt_schema *state, const rt_table *table,
			       const char *what, const char *const *cols, size_t count)
{
	if (count == 0 && strcmp(what, "check") != 0)
		return rt__op_fail(op, "%s on %s names no columns", what, table->name);
	const rt_table *owner = table;
	if (table->partition_of && !(owner = rt__schema_find_table(state, table->partition_of)))
		return RT_OK; /* refused on its own (rt__op_check_new_partition) */
	owner = rt__schema_partition_root(state, owner);
	for (size_t i = 0; owner && i < count; i++)
		if (!rt__table_find_column(owner, cols[i]))
			return rt__op_fail(op, "%s uses column %s, which table %s does not have",
					   what, cols[i], owner->name);
	return RT_OK;
}

/* An index's column keys and INCLUDE columns are columns of table (its
 * expressions and WHERE are SQL, the database's to check). */
static int check_index_columns(const rt_op *op, const rt_schema *state, const rt_table *table,
			       const rt_index *ix)
{
	const char *what = ix->name ? ix->name : "index";
	if (ix->key_count == 0)
		return rt__op_fail(op, "%s on %s names no columns", what, table->name);
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < ix->key_count; i++)
		if (ix->keys[i].column)
			rc = check_columns_exist(op, state, table, what, &ix->keys[i].column, 1);
	if (rc == RT_OK && ix->include_count)
		rc = check_columns_exist(op, state, table, what, ix->include, ix->include_count);
	return rc;
}

/* A foreign key of table fits when the table it references exists (table
 * itself counts) with those columns under a primary key or unique. */
int rt__op_check_foreign_key(const rt_op *op, const rt_schema *state, const rt_table *table,
			     const rt_constraint *fk)
{
	const char *name = fk->name ? fk->name : "foreign key";
	int rc = check_columns_exist(op, state, table, name, fk->columns, fk->column_count);
	if (rc < 0)
		return rc;
	const char *ref = fk->ref_table ? fk->ref_table : "";
	const rt_table *target = strcmp(ref, table->name) == 0 ? table
							       : rt__schema_find_table(state, ref);
	if (!target)
		return rt__op_fail(op, "%s references table %s, which does not exist at this point",
				   name, fk->ref_table ? fk->ref_table : "?");
	if (fk->ref_column_count != fk->column_count)
		return rt__op_fail(op, "%s has %zu columns but references %zu", name,
				   fk->column_count, fk->ref_column_count);
	for (size_t i = 0; i < fk->ref_column_count; i++)
		if (!rt__table_find_column(target, fk->ref_columns[i]))
			return rt__op_fail(op, "%s references %s.%s, which does not exist", name,
					   target->name, fk->ref_columns[i]);
	if (!has_unique_key(target, fk->ref_columns, fk->ref_column_count, NULL))
		return rt__op_fail(op, "%s references columns of %s that are not its primary key "
				   "or unique", name, target->name);
	return RT_OK;
}

/* The first foreign key (of any table) pointing at table that loses its
 * unique key when `going` (a constraint or index of table) is removed, or
 * that uses column `column` of table (when not NULL). */
const rt_constraint *rt__op_dependent_foreign_key(const rt_schema *state, const rt_table *table,
						  const void *going, const char *column,
						  const rt_table **owner)
{
	for (size_t t = 0; t < state->table_count; t++) {
		const rt_table *other = state->tables[t];
		for (size_t i = 0; i < other->constraint_count; i++) {
			const rt_constraint *fk = other->constraints[i];
			if (fk->kind != RT_CONSTRAINT_FOREIGN_KEY || !fk->ref_table ||
			    strcmp(fk->ref_table, table->name) != 0)
				continue;
			/* A key of the table itself on the dropped column goes with it. */
			if (column && other == table &&
			    rt__names_contain(fk->columns, fk->column_count, column))
				continue;
			bool hit = column ? rt__names_contain(fk->ref_columns,
							      fk->ref_column_count, column)
					  : !has_unique_key(table, fk->ref_columns,
							    fk->ref_column_count, going);
			if (hit) {
				*owner = other;
				return fk;
			}
		}
	}
	return NULL;
}

/* What of table holds the index name `name` (an index, or the index of a
 * primary key or unique constraint), or NULL. The language scopes those
 * names per table; whether two tables may share one is the database's
 * rule, checked where the operation is planned for it (ops_render.c,
 * sql/ddl_names.c). */
static const char *key_in_table(const rt_table *table, const char *name)
{
	for (size_t i = 0; i < table->index_count; i++)
		if (table->indexes[i]->name && strcmp(table->indexes[i]->name, name) == 0)
			return "an index";
	if (table->primary_key && table->primary_key->name &&
	    strcmp(table->primary_key->name, name) == 0)
		return "a primary key";
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE && c->name && strcmp(c->name, name) == 0)
			return "a unique constraint";
	}
	return NULL;
}

bool rt__op_makes_index(const rt_constraint *c)
{
	return c->kind == RT_CONSTRAINT_PRIMARY_KEY || c->kind == RT_CONSTRAINT_UNIQUE;
}

rt_table *rt__op_need_table(const rt_op *op, const rt_schema *state, const char *name)
{
	rt_table *table = name ? rt__schema_find_table(state, name) : NULL;
	if (!table)
		rt__op_fail(op, "table %s does not exist at this point", name ? name : "?");
	return table;
}

rt_column *rt__op_need_column(const rt_op *op, const rt_table *table, const char *name)
{
	rt_column *column = name ? rt__table_find_column(table, name) : NULL;
	if (!column)
		rt__op_fail(op, "table %s has no column %s", table->name, name ? name : "?");
	return column;
}

/* --- tables ------------------------------------------------------------------------- */

static int check_new_table(const rt_op *op, const rt_schema *state, const char *name)
{
	return rt__schema_find_table(state, name)
		       ? rt__op_fail(op, "the name %s is already used by a table", name)
		       : RT_OK;
}

/* An index name new in table. */
int rt__op_check_new_key(const rt_op *op, const rt_table *table, const char *name)
{
	const char *taken = key_in_table(table, name);
	return taken ? rt__op_fail(op, "the name %s is already used by %s of table %s", name,
				   taken, table->name)
		     : RT_OK;
}

/* The keys and indexes of a new table: columns there. (Their names are
 * the new table's, told apart by the language; whether another table may
 * have them is the database's rule, ops_render.c.) */
static int check_table_def(const rt_op *op, const rt_schema *state, const rt_table *def)
{
	int rc;
	if ((rc = rt__op_check_new_partition(op, state, def)) < 0)
		return rc;
	if (def->column_count == 0 && !def->partition_of)
		return rt__op_fail(op, "table %s has no columns", def->name);
	if (def->primary_key &&
	    (rc = check_columns_exist(op, state, def, "primary key", def->primary_key->columns,
				      def->primary_key->column_count)) < 0)
		return rc;
	for (size_t i = 0; i < def->constraint_count; i++) {
		const rt_constraint *c = def->constraints[i];
		if (c->kind != RT_CONSTRAINT_FOREIGN_KEY && c->kind != RT_CONSTRAINT_CHECK &&
		    (rc = check_columns_exist(op, state, def, c->name ? c->name : "constraint",
					      c->columns, c->column_count)) < 0)
			return rc;
	}
	for (size_t i = 0; i < def->index_count; i++) {
		if ((rc = check_index_columns(op, state, def, def->indexes[i])) < 0)
			return rc;
	}
	return RT_OK;
}

static int apply_create_table(rt_schema *state, const rt_op *op)
{
	const rt_table *def = op->def;
	if (!def)
		return rt__op_fail(op, "no table definition");
	const char *name = op->table ? op->table : def->name;
	int rc;
	if ((rc = check_new_table(op, state, name)) < 0 ||
	    (rc = check_table_def(op, state, def)) < 0)
		return rc;
	for (size_t i = 0; i < def->column_count; i++)
		if (def->columns[i]->type.kind == RT_TYPE_ENUM &&
		    (rc = rt__state_resolve_type(op, state, &(rt_type){0}, &def->columns[i]->type,
						 def->columns[i]->name)) < 0)
			return rc;

	rt_table *table = rt__state_copy_table(op, state, def, name);
	if (!table)
		return rt_error_last()->code;
	/* Keys are checked once the table exists, so that it may reference
	 * itself; a key that does not fit takes the new table out again. */
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c->kind == RT_CONSTRAINT_FOREIGN_KEY &&
		    (rc = rt__op_check_foreign_key(op, state, table, c)) < 0) {
			rt_error saved = *rt_error_last();
			char message[1024];
			snprintf(message, sizeof(message), "%s", saved.message);
			if (rt__state_remove_table(state, table) < 0)
				return RT_ENOMEM;
			return rt__error_set(rc, "%s", message);
		}
	}
	return RT_OK;
}

/* Foreign keys of tables other than table that point at it. */
static const rt_constraint *referenced_by(const rt_schema *state, const rt_table *table,
					  const rt_table **owner)
{
	for (size_t t = 0; t < state->table_count; t++) {
		const rt_table *other = state->tables[t];
		if (other == table)
			continue;
		for (size_t i = 0; i < other->constraint_count; i++) {
			const rt_constraint *c = other->constraints[i];
			if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
			    strcmp(c->ref_table, table->name) == 0) {
				*owner = other;
				return c;
			}
		}
	}
	return NULL;
}

static int apply_drop_table(rt_schema *state, const rt_op *op)
{
	const char *name = op->table ? op->table : op->def ? op->def->name : NULL;
	rt_table *table = rt__op_need_table(op, state, name);
	if (!table)
		return RT_EINVAL;
	const rt_table *owner = NULL;
	const rt_constraint *fk = referenced_by(state, table, &owner);
	int rc = rt__op_check_no_partitions(op, state, table);
	if (rc < 0)
		return rc;
	if (fk)
		return rt__op_fail(op, "foreign key %s of table %s still references %s; "
				   "drop it first", fk->name ? fk->name : "?", owner->name,
				   table->name);
	rt__state_drop_triggers(state, table->name);
	return rt__state_remove_table(state, table);
}

static int apply_rename_table(rt_schema *state, const rt_op *op)
{
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	if (!op->new_name)
		return rt__op_fail(op, "no new name for table %s", table->name);
	/* The new name is in the table's schema: rename table billing.a to b
	 * makes billing.b. */
	const char *new_name = rt__table_renamed(state->arena, table, op->new_name);
	if (!new_name)
		return rt__error_nomem();
	int rc = check_new_table(op, state, new_name);
	if (rc < 0)
		return rc;
	const char *old = table->name;
	/* Both databases make other tables' keys follow the rename. */
	for (size_t t = 0; t < state->table_count; t++) {
		rt_table *other = state->tables[t];
		for (size_t i = 0; i < other->constraint_count; i++) {
			rt_constraint *c = other->constraints[i];
			if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
			    strcmp(c->ref_table, old) == 0)
				c->ref_table = new_name;
		}
	}
	rt__op_rename_partitioned(state, old, new_name);
	if (rt__state_forget_name(&state->table_by_name, old, table) < 0)
		return RT_ENOMEM;
	rt__state_rename_triggers(state, old, new_name);
	table->name = new_name;
	if (rt__map_put(&state->table_by_name, new_name, table) < 0)
		return rt__error_nomem();
	return RT_OK;
}

/* --- indexes and constraints ----------------------------------------------------------- */

rt_table *rt__op_index_table(const rt_schema *state, const rt_op *op, const char *name,
			     rt_index **out)
{
	if (op->table) {
		rt_table *table = rt__op_need_table(op, state, op->table);
		if (table && !(*out = rt__table_find_index(table, name))) {
			rt__op_fail(op, "no index %s on table %s", name, table->name);
			table = NULL;
		}
		return table;
	}
	rt_table *found = NULL;
	for (size_t t = 0; t < state->table_count; t++) {
		rt_table *table = state->tables[t];
		rt_index *index = rt__table_find_index(table, name);
		if (!index)
			continue;
		if (found) {
			rt__op_fail(op, "tables %s and %s both have an index %s; say which: drop "
				    "index %s on %s", found->name, table->name, name, name,
				    found->name);
			return NULL;
		}
		found = table;
		*out = index;
	}
	if (!found)
		rt__op_fail(op, "no index %s", name);
	return found;
}

static int apply_create_index(rt_schema *state, const rt_op *op)
{
	const rt_index *src = op->index;
	if (!src || !src->name)
		return rt__op_fail(op, "no index definition");
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	int rc;
	if ((rc = rt__op_check_new_key(op, table, src->name)) < 0 ||
	    (rc = check_index_columns(op, state, table, src)) < 0)
		return rc;
	return rt__state_copy_index(state, table, src);
}

static int apply_drop_index(rt_schema *state, const rt_op *op)
{
	const char *name = op->index && op->index->name ? op->index->name : op->name;
	if (!name)
		return rt__op_fail(op, "no index name");
	rt_index *index = NULL;
	rt_table *table = rt__op_index_table(state, op, name, &index);
	if (!table)
		return RT_EINVAL;
	const rt_table *owner = NULL;
	const rt_constraint *fk = index->unique
					  ? rt__op_dependent_foreign_key(state, table, index, NULL, &owner)
					  : NULL;
	if (fk)
		return rt__op_fail(op, "foreign key %s of table %s needs unique index %s",
				   fk->name ? fk->name : "?", owner->name, name);
	rt__state_remove_index(table, index);
	return RT_OK;
}

static int apply_add_constraint(rt_schema *state, const rt_op *op)
{
	const rt_constraint *src = op->constraint;
	if (!src || !src->name)
		return rt__op_fail(op, "no constraint definition");
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	if (rt__table_find_constraint(table, src->name))
		return rt__op_fail(op, "table %s already has a constraint %s", table->name,
				   src->name);
	if (src->kind == RT_CONSTRAINT_PRIMARY_KEY && table->primary_key)
		return rt__op_fail(op, "table %s already has a primary key (%s)", table->name,
				   table->primary_key->name ? table->primary_key->name : "unnamed");
	int rc;
	if (rt__op_makes_index(src) && (rc = rt__op_check_new_key(op, table, src->name)) < 0)
		return rc;
	if (src->kind == RT_CONSTRAINT_FOREIGN_KEY)
		rc = rt__op_check_foreign_key(op, state, table, src);
	else if (src->kind == RT_CONSTRAINT_CHECK)
		rc = src->check && *src->check
			     ? RT_OK : rt__op_fail(op, "check %s has no expression", src->name);
	else
		rc = check_columns_exist(op, state, table, src->name, src->columns,
					 src->column_count);
	if (rc < 0)
		return rc;
	return rt__state_copy_constraint(state, table, src);
}

static bool same_columns(const rt_constraint *a, const rt_constraint *b)
{
	if (a->column_count != b->column_count)
		return false;
	for (size_t i = 0; i < a->column_count; i++)
		if (strcmp(a->columns[i], b->columns[i]) != 0)
			return false;
	return true;
}

static int apply_drop_constraint(rt_schema *state, const rt_op *op)
{
	const char *name = op->constraint && op->constraint->name ? op->constraint->name
								  : op->name;
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	rt_constraint *c = name ? rt__table_find_constraint(table, name) : NULL;
	/* A table has one primary key: a script that says it drops the
	 * primary key on these columns means that one, whatever its name
	 * (a database that names every primary key alike, such as MariaDB's
	 * PRIMARY, reads it back under the table's default name, which a
	 * renamed table's key did not take). */
	const rt_constraint *said = op->constraint;
	if (!c && said && said->kind == RT_CONSTRAINT_PRIMARY_KEY && table->primary_key &&
	    same_columns(table->primary_key, said))
		c = table->primary_key;
	if (!c)
		return rt__op_fail(op, "table %s has no constraint %s", table->name,
				   name ? name : "?");
	const rt_table *owner = NULL;
	const rt_constraint *fk = rt__op_makes_index(c) ? rt__op_dependent_foreign_key(state, table, c, NULL,
									 &owner)
						 : NULL;
	if (fk)
		return rt__op_fail(op, "foreign key %s of table %s needs %s",
				   fk->name ? fk->name : "?", owner->name, name);
	rt__state_remove_constraint(table, c);
	return RT_OK;
}

/* --- data -------------------------------------------------------------------------------- */

static int check_insert(const rt_schema *state, const rt_op *op)
{
	rt_table *table = rt__op_need_table(op, state, op->table);
	if (!table)
		return RT_EINVAL;
	if (op->column_count == 0)
		return rt__op_fail(op, "no columns to insert into %s", table->name);
	for (size_t i = 0; i < op->column_count; i++) {
		if (!rt__table_find_column(table, op->columns[i]))
			return rt__op_fail(op, "table %s has no column %s", table->name,
					   op->columns[i]);
		if (rt__names_contain(op->columns, i, op->columns[i]))
			return rt__op_fail(op, "column %s is listed twice", op->columns[i]);
	}
	return RT_OK;
}

int rt__op_apply(rt_schema *state, const rt_op *op)
{
	if (!state || !op)
		return rt__error_set(RT_EINVAL, "rt__op_apply: NULL argument");
	int rc = rt__op_check_partition_shape(op, state);
	if (rc < 0)
		return rc;
	switch (op->kind) {
	case RT_OP_CREATE_TABLE: return apply_create_table(state, op);
	case RT_OP_DROP_TABLE: return apply_drop_table(state, op);
	case RT_OP_RENAME_TABLE: return apply_rename_table(state, op);
	case RT_OP_ALTER_TABLE: return rt__op_apply_alter_table(state, op);
	case RT_OP_ADD_COLUMN: return rt__op_apply_add_column(state, op);
	case RT_OP_DROP_COLUMN: return rt__op_apply_drop_column(state, op);
	case RT_OP_ALTER_COLUMN: return rt__op_apply_alter_column(state, op);
	case RT_OP_RENAME_COLUMN: return rt__op_apply_rename_column(state, op);
	case RT_OP_CREATE_INDEX: return apply_create_index(state, op);
	case RT_OP_DROP_INDEX: return apply_drop_index(state, op);
	case RT_OP_ADD_CONSTRAINT: return apply_add_constraint(state, op);
	case RT_OP_DROP_CONSTRAINT: return apply_drop_constraint(state, op);
	case RT_OP_CREATE_ENUM: return rt__op_apply_create_enum(state, op);
	case RT_OP_DROP_ENUM: return rt__op_apply_drop_enum(state, op);
	case RT_OP_ALTER_ENUM_ADD: return rt__op_apply_alter_enum_add(state, op);
	case RT_OP_ALTER_ENUM_DROP: return rt__op_apply_alter_enum_drop(state, op);
	case RT_OP_EXECUTE: return RT_OK;
	case RT_OP_INSERT: return check_insert(state, op);
	case RT_OP_CREATE_OBJECT:
	case RT_OP_REPLACE_OBJECT:
	case RT_OP_DROP_OBJECT:
	case RT_OP_RENAME_OBJECT: return rt__op_apply_sql_object(state, op);
	case RT_OP_CREATE_SCHEMA:
	case RT_OP_DROP_SCHEMA: return rt__op_apply_schema(state, op);
	}
	return rt__error_set(RT_EINVAL, "unknown operation kind %d", (int)op->kind);
}
