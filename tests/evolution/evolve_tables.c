/*
 * evolve_tables.c - the evolution test's changes of whole tables and of
 * keys beyond the plain ones (evolve.h): SQLite's table options `strict`
 * and `without rowid` set and cleared (a rebuild: the rows must survive
 * it), foreign keys made `deferrable initially deferred` and back, and
 * PostgreSQL's partitioned tables (`partition by range (id)`), made with
 * their partitions, which are then added and dropped. Each is made only
 * where the dialect has it.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

/* A live table no change of this step touched, passing ok, at random;
 * -1 when there is none. */
static int pick_table_if(bool (*ok)(const table *t))
{
	int seen = 0, chosen = -1;
	for (int i = 0; i < w.ntables; i++) {
		const table *t = &w.tables[i];
		if (t->live && t->touched != w.step && ok(t) && rnd(++seen) == 0)
			chosen = i;
	}
	return chosen;
}

/* ---- table options (SQLite) ---------------------------------------------- */

/* A STRICT table refuses a value of another type than its column's. The
 * values the test writes are bound as their column's type (see
 * bind_value), and the ones a type change left are what the new type
 * reads (a number made text is text), so every table's rows fit. */
static bool set_option(bool strict, bool on)
{
	if (!w.table_options)
		return false;
	int seen = 0, ti = -1;
	for (int i = 0; i < w.ntables; i++) {
		const table *t = &w.tables[i];
		bool now = strict ? t->strict : t->no_rowid;
		/* a strict table takes no verbatim type */
		bool fits = !(strict && on && has_column_of(t, TK_VERBATIM));
		if (t->live && t->touched != w.step && now != on && fits && rnd(++seen) == 0)
			ti = i;
	}
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	*(strict ? &t->strict : &t->no_rowid) = on;
	t->touched = w.step;
	note("alter table %s %s", t->name,
	     strict ? (on ? "strict" : "not strict") : (on ? "without rowid" : "with rowid"));
	return true;
}

bool ch_set_strict(rt_conn *conn)
{
	(void)conn;
	return set_option(true, true);
}

bool ch_clear_strict(rt_conn *conn)
{
	(void)conn;
	return set_option(true, false);
}

bool ch_set_without_rowid(rt_conn *conn)
{
	(void)conn;
	return set_option(false, true);
}

bool ch_clear_without_rowid(rt_conn *conn)
{
	(void)conn;
	return set_option(false, false);
}

/* What a STRICT table declares a type as (SQLite: INTEGER, REAL, ANY or
 * TEXT; see docs/sqlite.md); -1 for an enum, whose CHECK always shows. */
static int strict_class(col_type t)
{
	switch (t.kind) {
	case TK_SMALLINT:
	case TK_INT:
	case TK_BIGINT:
	case TK_BOOL: return 0;
	case TK_REAL:
	case TK_DOUBLE: return 1;
	case TK_NUMERIC: return 2;
	case TK_ENUM: return -1;
	default: return 3;
	}
}

bool type_change_invisible(const table *t, col_type from, col_type to)
{
	return t->strict && strict_class(from) >= 0 && strict_class(from) == strict_class(to);
}

/* ---- deferrable foreign keys --------------------------------------------- */

static bool fk_immediate(const table *t, int s)
{
	return t->cols[s].fk >= 0 && !t->cols[s].deferred;
}

static bool fk_deferred(const table *t, int s)
{
	return t->cols[s].fk >= 0 && t->cols[s].deferred;
}

static bool set_deferred(column_filter filter, bool on)
{
	int ti = -1, s = -1;
	if (!w.deferrable || !pick_column(filter, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	t->cols[s].deferred = on;
	t->touched = w.step;
	note("foreign key %s.%s %s", t->name, t->cols[s].name,
	     on ? "deferrable initially deferred" : "not deferrable");
	return true;
}

bool ch_fk_deferrable(rt_conn *conn)
{
	(void)conn;
	return set_deferred(fk_immediate, true);
}

bool ch_fk_not_deferrable(rt_conn *conn)
{
	(void)conn;
	return set_deferred(fk_deferred, false);
}

/* ---- partitioned tables (PostgreSQL) --------------------------------------- */

void new_partition(table *t, int from)
{
	if (t->nparts >= MAX_PARTS)
		return;
	partition *p = &t->parts[t->nparts++];
	p->live = true;
	p->from = from;
	fresh_name(p->name, sizeof(p->name), 'p');
}

bool ch_create_partitioned(rt_conn *conn)
{
	(void)conn;
	return w.partitioning && make_table(true);
}

static bool partitioned_with_room(const table *t)
{
	return t->partitioned && t->nparts < MAX_PARTS;
}

/* A partition no row lives in: the default one, or the next range. */
bool ch_add_partition(rt_conn *conn)
{
	(void)conn;
	int ti = pick_table_if(partitioned_with_room);
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	bool has_default = false;
	for (int i = 0; i < t->nparts; i++)
		has_default = has_default || (t->parts[i].live && t->parts[i].from < 0);
	new_partition(t, !has_default && chance(40) ? -1 : t->next_range++);
	t->touched = w.step;
	note("add partition %s of %s", t->parts[t->nparts - 1].name, t->name);
	return true;
}

/* A partition no row lives in goes (rows of ids from 1000 up, never
 * written, or the default one). */
bool ch_drop_partition(rt_conn *conn)
{
	(void)conn;
	int seen = 0, ti = -1, pi = -1;
	for (int i = 0; i < w.ntables; i++) {
		const table *t = &w.tables[i];
		if (!t->live || !t->partitioned || t->touched == w.step)
			continue;
		for (int p = 0; p < t->nparts; p++)
			if (t->parts[p].live && t->parts[p].from != 0 && rnd(++seen) == 0) {
				ti = i;
				pi = p;
			}
	}
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	t->parts[pi].live = false;
	t->touched = w.step;
	note("drop partition %s of %s", t->parts[pi].name, t->name);
	return true;
}

void write_partitions(rt_buf *out, const table *t)
{
	for (int i = 0; t->partitioned && i < t->nparts; i++) {
		const partition *p = &t->parts[i];
		if (!p->live)
			continue;
		rt__buf_printf(out, "\ntable %s partition of %s", p->name, t->name);
		if (p->from < 0)
			rt__buf_puts(out, " default\n");
		else if (p->from == 0)
			rt__buf_puts(out, " for values 'FROM (MINVALUE) TO (1000)'\n");
		else
			rt__buf_printf(out, " for values 'FROM (%d) TO (%d)'\n", p->from * 1000,
				       (p->from + 1) * 1000);
	}
}
