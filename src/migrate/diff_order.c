/*
 * diff_order.c - tables created and dropped, in an order the database
 * accepts.
 *
 * New tables come in foreign-key order, ties in the models' order: a table
 * is created once the new tables it references (and its partitioned
 * table, for a partition) exist, with its foreign keys inline. Keys of existing tables are all in place by then (their
 * phase runs first), so references to them are inline too. Tables whose
 * keys form a cycle cannot all be created with their keys: the first table
 * of the cycle is created without the keys to tables not made yet, and
 * those keys are added once every table exists.
 *
 * Tables go the other way round: a table is dropped once no other table
 * that goes references it (or is a partition of it). In a cycle the keys pointing to one table are
 * dropped first (each a step of its own, with its definition), and that
 * table's drop no longer waits. The downgrade, being the reverse, creates
 * the tables in foreign-key order and adds those keys last.
 */
#include <stdint.h>
#include <string.h>

#include "base/error.h"
#include "migrate/diff_impl.h"

static bool is_foreign_key(const rt_constraint *c)
{
	return c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table;
}

/* --- create ------------------------------------------------------------------- */

typedef struct plan {
	const rt_table **tables;
	bool *done;
	size_t count;
	rt_map index_of; /* name -> position + 1 (as a pointer-sized integer) */
} plan;

static int plan_init(rt_differ *d, plan *p, size_t cap)
{
	p->tables = rt__arena_alloc(d->tmp, (cap + 1) * sizeof(*p->tables));
	p->done = rt__arena_alloc(d->tmp, cap + 1);
	p->count = 0;
	rt__map_init(&p->index_of, d->tmp);
	return p->tables && p->done ? RT_OK : rt__error_nomem();
}

static int plan_add(plan *p, const rt_table *table)
{
	p->tables[p->count] = table;
	p->count++;
	return rt__map_put(&p->index_of, table->name, (void *)(uintptr_t)p->count) < 0
		       ? rt__error_nomem()
		       : RT_OK;
}

/* Is name a table of the plan not yet done? */
static bool pending(const plan *p, const char *name)
{
	uintptr_t at = (uintptr_t)rt__map_get(&p->index_of, name);
	return at && !p->done[at - 1];
}

/* Does table wait for another pending table of the plan (one its keys
 * reference, or its partitioned table)? */
static bool waits(const plan *p, const rt_table *table)
{
	if (table->partition_of && pending(p, table->partition_of))
		return true;
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (is_foreign_key(c) && strcmp(c->ref_table, table->name) != 0 &&
		    pending(p, c->ref_table))
			return true;
	}
	return false;
}

static int file_create(rt_differ *d, const plan *p, const rt_table *table)
{
	rt_table *def = rt__diff_def_table(d, rt__diff_model_table(d, table));
	rt_op *up = rt__diff_op(d, RT_OP_CREATE_TABLE, table->name);
	rt_op *down = rt__diff_op(d, RT_OP_DROP_TABLE, table->name);
	if (!def || !up || !down)
		return RT_ENOMEM;
	up->def = down->def = def;
	/* Keys to tables of a cycle not made yet come after all tables. */
	for (size_t i = 0; i < def->constraint_count;) {
		rt_constraint *c = def->constraints[i];
		if (is_foreign_key(c) && strcmp(c->ref_table, table->name) != 0 &&
		    pending(p, c->ref_table)) {
			int rc = rt__diff_add_foreign_key(d, table, c);
			if (rc < 0)
				return rc;
			rt__diff_remove_constraint(def, c);
		} else {
			i++;
		}
	}
	return rt__diff_step(d, RT_DIFF_CREATE_TABLE, up, down);
}

int rt__diff_create_tables(rt_differ *d)
{
	plan p;
	int rc = plan_init(d, &p, d->to->table_count);
	for (size_t i = 0; rc == RT_OK && i < d->to->table_count; i++)
		if (!rt__schema_find_table(d->from, d->to->tables[i]->name))
			rc = plan_add(&p, d->to->tables[i]);
	for (size_t done = 0; rc == RT_OK && done < p.count; done++) {
		size_t next = p.count;
		for (size_t i = 0; i < p.count && next == p.count; i++)
			if (!p.done[i] && !waits(&p, p.tables[i]))
				next = i;
		for (size_t i = 0; i < p.count && next == p.count; i++)
			if (!p.done[i])
				next = i; /* a cycle: the first of it breaks it */
		rc = file_create(d, &p, p.tables[next]);
		p.done[next] = true;
	}
	return rc;
}

/* --- drop ------------------------------------------------------------------------ */

/* Does foreign key c reach table's rows? A key to a partitioned table
 * reaches its partitions' too: PostgreSQL will not detach a partition
 * (nor drop it) while a row references one of its rows. */
static bool reaches(const rt_constraint *c, const rt_table *table)
{
	return is_foreign_key(c) &&
	       (strcmp(c->ref_table, table->name) == 0 ||
		(table->partition_of && strcmp(c->ref_table, table->partition_of) == 0));
}

/* Is table referenced by another pending table of the plan, or the
 * partitioned table of one? */
static bool referenced(const plan *p, const rt_table *table)
{
	for (size_t i = 0; i < p->count; i++) {
		const rt_table *other = p->tables[i];
		if (p->done[i] || other == table)
			continue;
		if (other->partition_of && strcmp(other->partition_of, table->name) == 0)
			return true;
		for (size_t j = 0; j < other->constraint_count; j++)
			if (reaches(other->constraints[j], table))
				return true;
	}
	return false;
}

/* Drops, each as a step of its own, the keys of pending tables that point
 * to table (or reach it through its partitioned table), so that it can
 * go. The tables are the differ's own copies. */
static int unhook(rt_differ *d, const plan *p, const rt_table *table)
{
	for (size_t i = 0; i < p->count; i++) {
		rt_table *other = (rt_table *)p->tables[i];
		if (p->done[i] || other == table)
			continue;
		for (size_t j = 0; j < other->constraint_count;) {
			rt_constraint *c = other->constraints[j];
			if (!reaches(c, table)) {
				j++;
				continue;
			}
			int rc = rt__diff_drop_foreign_key(d, other, c);
			if (rc < 0)
				return rc;
			rt__diff_remove_constraint(other, c);
		}
	}
	return RT_OK;
}

/* A dropped table's unique keys as the scripts made them: a unique index
 * the database reads as a unique key (MariaDB) is one in the definition,
 * so that the downgrade makes it again as what later scripts drop. */
static int spell_as_scripts(rt_differ *d, rt_table *def)
{
	rt_arena *arena = d->out->scratch->arena;
	size_t kept = 0;
	for (size_t i = 0; i < def->constraint_count; i++) {
		rt_constraint *c = def->constraints[i];
		const rt_index *index = rt__diff_spelled_as_index(d->opts->scripts, def->name, c);
		if (!index) {
			def->constraints[kept++] = c;
			continue;
		}
		rt_index *copy = rt__diff_copy_index(arena, index);
		if (!copy || RT_ARENA_PUSH(arena, def->indexes, def->index_count, def->index_cap,
					   copy) < 0)
			return rt__error_nomem();
	}
	def->constraint_count = kept;
	return RT_OK;
}

static int file_drop(rt_differ *d, const rt_table *table)
{
	rt_table *def = rt__diff_def_table(d, table);
	rt_op *up = rt__diff_op(d, RT_OP_DROP_TABLE, table->name);
	rt_op *down = rt__diff_op(d, RT_OP_CREATE_TABLE, table->name);
	if (!def || !up || !down)
		return RT_ENOMEM;
	int rc = spell_as_scripts(d, def);
	if (rc < 0)
		return rc;
	/* the columns' types as the scripts gave them, where the database
	 * declares the same (rt__diff_as_scripts_made) */
	for (size_t i = 0; i < def->column_count; i++) {
		rt_column *c = def->columns[i];
		const rt_column *made = rt__diff_as_scripts_made(d, table, c);
		bool plain = made->type.kind != RT_TYPE_ENUM && made->type.kind != RT_TYPE_SQL &&
			     c->type.kind != RT_TYPE_ENUM;
		/* (an array stays one: int[] is no int) */
		if (made != c && plain)
			c->type = (rt_type){.kind = made->type.kind, .length = made->type.length,
					    .precision = made->type.precision,
					    .scale = made->type.scale, .array = made->type.array};
	}
	up->def = down->def = def;
	return rt__diff_step(d, RT_DIFF_DROP_TABLE, up, down);
}

int rt__diff_drop_tables(rt_differ *d)
{
	plan p;
	int rc = plan_init(d, &p, d->from->table_count);
	for (size_t i = 0; rc == RT_OK && i < d->from->table_count; i++)
		if (!rt__schema_find_table(d->to, d->from->tables[i]->name))
			rc = plan_add(&p, d->from->tables[i]);
	for (size_t done = 0; rc == RT_OK && done < p.count; done++) {
		size_t next = p.count;
		for (size_t i = 0; i < p.count && next == p.count; i++)
			if (!p.done[i] && !referenced(&p, p.tables[i]))
				next = i;
		if (next == p.count) {
			/* A cycle: a partition breaks it if one is in it (the
			 * keys reaching it go, and its table still waits for
			 * it), else the first table. */
			for (size_t i = 0; i < p.count && next == p.count; i++)
				if (!p.done[i] && p.tables[i]->partition_of)
					next = i;
			for (size_t i = 0; i < p.count && next == p.count; i++)
				if (!p.done[i])
					next = i;
			rc = unhook(d, &p, p.tables[next]);
		}
		if (rc == RT_OK)
			rc = file_drop(d, p.tables[next]);
		p.done[next] = true;
	}
	return rc;
}
