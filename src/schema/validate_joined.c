/*
 * validate_joined.c - joined-table inheritance in validation:
 * `model Engineer extends Staff identity 'engineer' table engineers`.
 *
 * The subclass is a table of its own holding its own columns; once the
 * primary keys are built, its table gets its parent's key columns in
 * front, as its primary key and as a foreign key to the parent's table
 * with on delete cascade (deleting the parent's row deletes this one).
 * Both are marked inherited, so the printer writes the declaration as it
 * was written; DDL, the differ and reflection see an ordinary table.
 * The discriminator and identities are checked with the single-table
 * subclasses' (validate_inherit.c).
 */
#include <string.h>

#include "schema/validate.h"

static rt_build_table *table_of_decl(rt_build *b, const rt_ast_decl *decl)
{
	for (size_t i = 0; i < b->table_count; i++)
		if (b->tables[i]->decl == decl)
			return b->tables[i];
	return NULL;
}

/* Copies of the parent's key columns in front of the table's columns. */
static bool take_key_columns(rt_build *b, rt_table *table, const rt_table *parent,
			     rt_pos pos)
{
	const rt_constraint *pk = parent->primary_key;
	size_t n = pk->column_count;
	for (size_t k = 0; k < n; k++) {
		const rt_column *from = rt__table_find_column(parent, pk->columns[k]);
		if (!from || rt__table_find_column(table, from->name)) {
			if (from)
				rt__diag_error(b->diags, rt__table_find_column(table, from->name)->pos,
					       "column '%s' of model %s is the primary key it "
					       "takes from model %s: declare no column of that "
					       "name", from->name, table->model, parent->model);
			return false;
		}
		rt_column *column = rt__table_add_column(b->schema, table, from->name);
		if (!column) {
			rt__build_nomem(b);
			return false;
		}
		const char *name = column->name;
		*column = *from;
		column->name = name;
		column->field = rt__build_keep(b, from->field);
		column->nullable = false;
		column->autoincrement = false;
		column->autoincrement_set = true; /* as `no autoincrement`: the parent's row gives it */
		column->default_value = (rt_literal){RT_LITERAL_NONE, NULL};
		column->server_default = (rt_literal){RT_LITERAL_NONE, NULL};
		column->generated = NULL;
		column->was = NULL;
		column->comment = NULL;
		column->subclass = NULL;
		column->inherited = true;
		column->pos = pos;
	}
	/* Move them to the front, in the key's order. */
	size_t total = table->column_count;
	rt_column **moved = rt__arena_alloc(b->scratch, (n ? n : 1) * sizeof(*moved));
	if (!moved) {
		rt__build_nomem(b);
		return false;
	}
	memcpy(moved, table->columns + total - n, n * sizeof(*moved));
	memmove(table->columns + n, table->columns, (total - n) * sizeof(*moved));
	memcpy(table->columns, moved, n * sizeof(*moved));
	return true;
}

static void add_keys(rt_build *b, rt_table *table, const rt_table *parent)
{
	const rt_constraint *ppk = parent->primary_key;
	rt_constraint *pk = rt__table_add_constraint(b->schema, table,
						     RT_CONSTRAINT_PRIMARY_KEY, NULL);
	rt_constraint *fk = rt__table_add_constraint(b->schema, table,
						     RT_CONSTRAINT_FOREIGN_KEY, NULL);
	if (!pk || !fk) {
		rt__build_nomem(b);
		return;
	}
	pk->inherited = fk->inherited = true;
	pk->pos = fk->pos = table->pos;
	fk->ref_table = parent->name;
	fk->on_delete = RT_FK_CASCADE;
	for (size_t k = 0; k < ppk->column_count; k++)
		if (rt__constraint_add_column(b->schema, pk, ppk->columns[k], false) < 0 ||
		    rt__constraint_add_column(b->schema, fk, ppk->columns[k], false) < 0 ||
		    rt__constraint_add_column(b->schema, fk, ppk->columns[k], true) < 0)
			rt__build_nomem(b);
}

/* Joins bt's table to its parent's, the parent's first when it is a
 * joined subclass too; depth bounds a cycle. */
static void join(rt_build *b, rt_build_table *bt, size_t depth)
{
	rt_table *table = bt->table;
	const rt_ast_decl *decl = bt->decl;
	if (table->joined || depth > b->table_count)
		return;
	const rt_ast_decl *parent = rt__build_parent_decl(b, decl, depth == 0);
	if (!parent)
		return;
	if (parent->extends.text && !parent->joined_table.text) {
		rt__diag_error(b->diags, decl->extends.pos,
			       "model %s has a table of its own, but model %s keeps its rows "
			       "in its parent's table: a model with a table extends only a "
			       "model with a table", decl->name.text, parent->name.text);
		return;
	}
	rt_build_table *pbt = table_of_decl(b, parent);
	if (!pbt)
		return;
	if (parent->joined_table.text && !pbt->table->joined) {
		if (depth >= b->table_count) {
			rt__diag_error(b->diags, decl->extends.pos,
				       "model %s extends itself: the chain of 'extends' comes "
				       "back to it", decl->name.text);
			return;
		}
		join(b, pbt, depth + 1);
		if (!pbt->table->joined)
			return;
	}
	if (!pbt->table->primary_key || !take_key_columns(b, table, pbt->table, decl->extends.pos))
		return;
	add_keys(b, table, pbt->table);
	table->parent = pbt->table;
	table->joined = true;
}

void rt__build_joined(rt_build *b)
{
	for (size_t i = 0; i < b->table_count && !b->diags->nomem; i++)
		if (b->tables[i]->decl && b->tables[i]->decl->joined_table.text)
			join(b, b->tables[i], 0);
}
