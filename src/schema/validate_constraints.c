/*
 * validate_constraints.c - the third pass of validation (validate.h): the
 * normal form of a table's constraints and indexes.
 *
 * Keys, uniques, checks, references and indexes may be written on a column
 * or as table members; this pass turns both into one list of named
 * constraints and indexes per table, with every written column resolved to
 * its SQL name, so that nothing later needs to know how they were written.
 */
#include "schema/validate.h"

#include <string.h>

/* --- pass 3: constraints and indexes (the normal form) ----------------------- */

/* Resolves a written column (C field or SQL name) to its column of owner
 * (the table, or a partition's partitioned table), once in a list (seen:
 * the SQL names listed so far). NULL (reported) for an unknown or repeated
 * column. */
static rt_column *resolve_column(rt_build *b, rt_build_table *bt, const rt_table *owner,
				 const rt_ast_name *name, rt_map *seen)
{
	rt_column *column = rt__table_find_field(owner, name->text);
	if (!column && owner != bt->table) {
		rt__build_find_column(b, (rt_table *)owner, name, NULL);
		return NULL;
	}
	if (!column) {
		/* A member by that name that is no column is either a
		 * relationship or a column that failed (reported). */
		rt_build_member *bm = rt__map_get(&bt->members_by_name, name->text);
		if (!bm)
			rt__diag_error(b->diags, name->pos, "%s has no column '%s'",
				       rt__build_owner(b, bt->table), name->text);
		else if (bm->ast->kind == RT_AST_FIELD && !bm->ast->builtin &&
			 rt__schema_find_model(b->schema, bm->ast->type_name.text))
			rt__diag_error(b->diags, name->pos,
				       "'%s' is a relationship, not a column; name "
				       "the column that holds its key",
				       name->text);
		return NULL;
	}
	if (rt__map_get(seen, column->name)) {
		rt__diag_error(b->diags, name->pos, "column '%s' is listed twice", name->text);
		return NULL;
	}
	if (rt__map_put(seen, column->name, column) < 0)
		rt__build_nomem(b);
	return column;
}

/* Resolves a written column list to SQL names, appending each through
 * add. Returns false (reported) on an unknown or repeated column. */
static bool resolve_columns(rt_build *b, rt_build_table *bt, const rt_ast_names *names,
			    void *target, int (*add)(rt_schema *, void *, const char *))
{
	bool ok = true;
	rt_map seen;
	rt__map_init(&seen, b->scratch);
	/* A partition's constraints name its partitioned table's columns; in
	 * a script that table is the database's, its names taken as written,
	 * as are a materialized view's (no bt: its columns are its query's). */
	const rt_table *owner = bt ? rt__build_columns_of(b, bt->table) : NULL;
	for (size_t i = 0; i < names->count; i++) {
		const rt_ast_name *name = &names->items[i];
		if (!owner) {
			if (add(b->schema, target, name->text) < 0)
				rt__build_nomem(b);
			continue;
		}
		rt_column *column = resolve_column(b, bt, owner, name, &seen);
		if (!column)
			ok = false;
		else if (add(b->schema, target, column->name) < 0)
			rt__build_nomem(b);
	}
	return ok;
}

static int add_constraint_column(rt_schema *schema, void *c, const char *column)
{
	return rt__constraint_add_column(schema, c, column, false);
}

static int add_index_include(rt_schema *schema, void *index, const char *column)
{
	return rt__index_add_include(schema, index, column);
}

/* An index's keys, method, INCLUDE columns and WHERE. A column key must be
 * one of the table's columns (bt NULL: a materialized view's, whose
 * columns are its query's, taken as written); an expression or a WHERE is
 * SQL, kept as written and not checked. */
void rt__build_index(rt_build *b, rt_build_table *bt, rt_index *index, const rt_ast_index *ast)
{
	rt_map seen;
	rt__map_init(&seen, b->scratch);
	/* A partition's own index names its partitioned table's columns (in
	 * a script, the database's: taken as written). */
	const rt_table *owner = bt ? rt__build_columns_of(b, bt->table) : NULL;
	for (size_t i = 0; i < ast->key_count; i++) {
		const rt_ast_index_key *key = &ast->keys[i];
		const char *column = NULL;
		if (!key->expr && owner) {
			const rt_column *c = resolve_column(b, bt, owner, &key->text, &seen);
			if (!c)
				continue;
			column = c->name;
		} else if (!key->expr) {
			column = key->text.text;
		}
		if (rt__index_add_key(b->schema, index, column,
				      key->expr ? key->text.text : NULL, key->desc) < 0)
			rt__build_nomem(b);
	}
	resolve_columns(b, bt, &ast->include, index, add_index_include);
	if ((ast->method.text && !(index->method = rt__build_keep(b, ast->method.text))) ||
	    (ast->where.text && !(index->where = rt__build_keep(b, ast->where.text))))
		rt__build_nomem(b);
}

static rt_constraint *new_constraint(rt_build *b, rt_build_table *bt,
				     rt_constraint_kind kind, const rt_ast_name *name,
				     rt_pos pos)
{
	rt_constraint *c =
		rt__table_add_constraint(b->schema, bt->table, kind, name->text);
	if (!c) {
		rt__build_nomem(b);
		return NULL;
	}
	c->name_given = name->text != NULL;
	c->pos = pos;
	return c;
}

static void new_foreign_key(rt_build *b, rt_build_table *bt, rt_constraint *fk,
			    const rt_ast_ref *ref, const rt_ast_names *columns,
			    const rt_ast_member *column)
{
	rt_build_fk *bf = rt__arena_alloc(b->scratch, sizeof(*bf));
	if (!bf || RT_ARENA_PUSH(b->scratch, b->fks, b->fk_count, b->fk_cap, bf) < 0) {
		rt__build_nomem(b);
		return;
	}
	bf->owner = bt;
	bf->fk = fk;
	bf->ref = ref;
	bf->columns = columns;
	bf->column = column;
	bf->valid = true;
	fk->on_delete = ref->on_delete;
	fk->on_update = ref->on_update;
	fk->deferrable = ref->deferrable;
}

/* unique / references / check / index written on a column. */
static void column_constraints(rt_build *b, rt_build_table *bt, rt_build_member *bm)
{
	const rt_ast_member *m = bm->ast;
	rt_column *column = bm->column;
	static const rt_ast_name unnamed = {NULL, {NULL, 0, 0}};
	rt_constraint *c;
	if (RT_POS_SET(m->col->unique) &&
	    (c = new_constraint(b, bt, RT_CONSTRAINT_UNIQUE, &unnamed, m->col->unique)) &&
	    add_constraint_column(b->schema, c, column->name) < 0)
		rt__build_nomem(b);
	if (RT_POS_SET(m->col->references.pos) &&
	    (c = new_constraint(b, bt, RT_CONSTRAINT_FOREIGN_KEY, &unnamed,
				m->col->references.pos))) {
		if (add_constraint_column(b->schema, c, column->name) < 0)
			rt__build_nomem(b);
		new_foreign_key(b, bt, c, &m->col->references, NULL, m);
	}
	if (m->col->check.text && (c = new_constraint(b, bt, RT_CONSTRAINT_CHECK,
						      &unnamed, m->col->check.pos))) {
		c->check = rt__build_keep(b, m->col->check.text);
		c->check_column = column->name;
		if (add_constraint_column(b->schema, c, column->name) < 0)
			rt__build_nomem(b);
	}
	if (RT_POS_SET(m->col->index)) {
		rt_index *index = rt__table_add_index(b->schema, bt->table, NULL, false);
		if (!index || rt__index_add_column(b->schema, index, column->name) < 0) {
			rt__build_nomem(b);
			return;
		}
		index->pos = m->col->index;
	}
}

static void table_constraint(rt_build *b, rt_build_table *bt, const rt_ast_member *m)
{
	rt_constraint *c;
	switch (m->kind) {
	case RT_AST_UNIQUE:
		if ((c = new_constraint(b, bt, RT_CONSTRAINT_UNIQUE, &m->name, m->pos)))
			resolve_columns(b, bt, &m->columns, c, add_constraint_column);
		break;
	case RT_AST_CHECK:
		if ((c = new_constraint(b, bt, RT_CONSTRAINT_CHECK, &m->name, m->pos)))
			c->check = rt__build_keep(b, m->text.text);
		break;
	case RT_AST_FOREIGN_KEY:
		if ((c = new_constraint(b, bt, RT_CONSTRAINT_FOREIGN_KEY, &m->name,
					m->pos))) {
			bool ok = resolve_columns(b, bt, &m->columns, c,
						  add_constraint_column);
			new_foreign_key(b, bt, c, m->ref, &m->columns, NULL);
			if (!ok && b->fk_count)
				b->fks[b->fk_count - 1]->valid = false;
		}
		break;
	case RT_AST_INDEX: {
		rt_index *index = rt__table_add_index(b->schema, bt->table, m->name.text,
						      m->unique_index);
		if (!index) {
			rt__build_nomem(b);
			break;
		}
		index->name_given = m->name.text != NULL;
		index->pos = m->pos;
		rt__build_index(b, bt, index, m->index);
		break;
	}
	default:
		break;
	}
}

/* Was a primary key written at all (on a column that may have failed)? */
static bool pk_written(const rt_build_table *bt)
{
	for (size_t i = 0; i < bt->member_count; i++) {
		const rt_ast_member *m = bt->members[i].ast;
		if (m->kind == RT_AST_PRIMARY_KEY ||
		    (m->kind == RT_AST_FIELD && RT_POS_SET(m->col->primary_key)))
			return true;
	}
	return false;
}

static rt_pos pos_of(const rt_ast_member *table_level, const rt_build_member *column_level)
{
	return table_level ? table_level->pos : column_level->ast->col->primary_key;
}

/* The primary key, from `primary key` on columns (several make a composite
 * key, in column order) or one table-level `primary key (a, b)`. */
static void primary_key(rt_build *b, rt_build_table *bt)
{
	const rt_ast_member *table_level = NULL;
	const rt_build_member *column_level = NULL;
	for (size_t i = 0; i < bt->member_count; i++) {
		const rt_build_member *bm = &bt->members[i];
		const rt_ast_member *m = bm->ast;
		if (m->kind == RT_AST_FIELD && RT_POS_SET(m->col->primary_key) &&
		    bm->column && !column_level)
			column_level = bm;
		if (m->kind != RT_AST_PRIMARY_KEY)
			continue;
		if (table_level) {
			rt__diag_error(b->diags, m->pos, "the primary key is given twice "
							 "(first at %s)",
				       rt__build_where(b, table_level->pos, m->pos));
			continue;
		}
		table_level = m;
	}
	if (table_level && column_level) {
		rt__diag_error(
			b->diags, table_level->pos,
			"the primary key is given twice: column '%s' (%s) is marked "
			"'primary key' too",
			column_level->ast->name.text,
			rt__build_where(b, column_level->ast->col->primary_key,
					table_level->pos));
		return;
	}
	if ((table_level || column_level) && bt->decl && bt->decl->joined_table.text) {
		rt__diag_error(b->diags, pos_of(table_level, column_level),
			       "the primary key of model %s is its parent's, %s: its table "
			       "takes it from there", bt->decl->name.text,
			       bt->decl->extends.text);
		return;
	}
	if (!table_level && !column_level) {
		if (bt->table->model && bt->table->column_count > 0 && !pk_written(bt) &&
		    !(bt->decl && bt->decl->joined_table.text))
			rt__diag_error(b->diags, bt->table->pos,
				       "model %s has no primary key; mark a column with "
				       "'primary key' (a table without a model may do "
				       "without one)", bt->table->model);
		return;
	}
	static const rt_ast_name unnamed = {NULL, {NULL, 0, 0}};
	rt_pos pos = table_level ? table_level->pos : column_level->ast->col->primary_key;
	rt_constraint *pk =
		new_constraint(b, bt, RT_CONSTRAINT_PRIMARY_KEY,
			       table_level ? &table_level->name : &unnamed, pos);
	if (!pk)
		return;
	if (table_level) {
		resolve_columns(b, bt, &table_level->columns, pk, add_constraint_column);
		return;
	}
	for (size_t i = 0; i < bt->member_count; i++) {
		const rt_build_member *bm = &bt->members[i];
		if (bm->ast->kind == RT_AST_FIELD &&
		    RT_POS_SET(bm->ast->col->primary_key) && bm->column &&
		    add_constraint_column(b->schema, pk, bm->column->name) < 0)
			rt__build_nomem(b);
	}
}

void rt__build_constraints(rt_build *b, rt_build_table *bt)
{
	primary_key(b, bt);
	for (size_t i = 0; i < bt->member_count; i++) {
		rt_build_member *bm = &bt->members[i];
		if (bm->ast->kind == RT_AST_FIELD) {
			if (bm->column)
				column_constraints(b, bt, bm);
		} else {
			table_constraint(b, bt, bm->ast);
		}
	}
}
