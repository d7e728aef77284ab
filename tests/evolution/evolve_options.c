/*
 * evolve_options.c - the evolution test's column, table and view options
 * of issue 12 (evolve.h), each only where the dialect has it:
 *
 *   server onupdate now     on a timestamp column, added and taken away
 *                           (caps.server_onupdate: MariaDB)
 *   table t collate NAME    a table's default collation set, changed and
 *                           dropped (the dialect's table_collation:
 *                           MariaDB); the rows stay (their text is ASCII)
 *   view v security invoker set and cleared on a view (the dialect's
 *                           view_invoker_*: PostgreSQL, MariaDB)
 *
 * A column with `server onupdate now` takes the time of any UPDATE of its
 * row: the test's own UPDATEs (fill_column) read it again after. It is
 * nullable or has a server default (see onupdate_written).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

/* MariaDB's collations the test moves tables between: case-insensitive
 * and binary ones of utf8mb4, and one of utf8mb3 (another character set:
 * the text columns are converted). Not the database's default
 * (utf8mb4_unicode_ci on the test's server): a table of that collation
 * reads as one without (docs/mariadb.md). */
static const char *const table_collations[] = {
	"utf8mb4_general_ci", "utf8mb4_bin", "utf8mb3_general_ci",
};
#define TABLE_COLLATIONS ((int)(sizeof(table_collations) / sizeof(table_collations[0])))

/* ---- server onupdate now ------------------------------------------------ */

static bool onupdate_target(const table *t, int s)
{
	return !t->cols[s].onupdate && t->cols[s].type.kind == TK_TIMESTAMP &&
	       (t->cols[s].nullable || t->cols[s].sdefault);
}

bool onupdate_written(const column *c)
{
	/* MariaDB gives a NOT NULL timestamp with ON UPDATE and no default
	 * the default '0000-00-00 00:00:00', which the models do not say:
	 * such a column (made so by a later change) has it no more, nor one
	 * whose type changed from timestamp */
	return c->onupdate && c->type.kind == TK_TIMESTAMP && (c->nullable || c->sdefault);
}

static bool has_onupdate(const table *t, int s)
{
	return onupdate_written(&t->cols[s]);
}

static bool toggle_onupdate(column_filter filter, bool on)
{
	int ti = -1, s = -1;
	if (!w.onupdate || !pick_column(filter, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	t->cols[s].onupdate = on;
	t->touched = w.step;
	note("alter column %s.%s %sserver onupdate now", t->name, t->cols[s].name,
	     on ? "" : "drop ");
	return true;
}

bool ch_add_onupdate(rt_conn *conn)
{
	(void)conn;
	return toggle_onupdate(onupdate_target, true);
}

bool ch_drop_onupdate(rt_conn *conn)
{
	(void)conn;
	return toggle_onupdate(has_onupdate, false);
}

void onupdate_columns_changed(table *t)
{
	for (int s = 0; s < t->ncols; s++)
		if (t->cols[s].live && t->cols[s].onupdate)
			t->cols[s].resnap = true;
}

/* ---- a table's collation ------------------------------------------------- */

/* A table (with a collation of its own: with, else without) no change of
 * this step touched; -1: none. */
static int pick_collated(bool with)
{
	int seen = 0, chosen = -1;
	for (int i = 0; i < w.ntables; i++) {
		const table *t = &w.tables[i];
		if (t->live && t->touched != w.step && (t->collation > 0) == with && rnd(++seen) == 0)
			chosen = i;
	}
	return chosen;
}

static bool set_collation(int ti, int collation)
{
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	t->collation = collation;
	t->touched = w.step;
	note("alter table %s collate %s", t->name,
	     collation ? table_collations[collation - 1] : "(dropped)");
	return true;
}

bool ch_set_table_collation(rt_conn *conn)
{
	(void)conn;
	return w.table_collation && set_collation(pick_collated(false), 1 + rnd(TABLE_COLLATIONS));
}

bool ch_change_table_collation(rt_conn *conn)
{
	(void)conn;
	int ti = w.table_collation ? pick_collated(true) : -1;
	if (ti < 0)
		return false;
	/* another of the names */
	int next = (w.tables[ti].collation + rnd(TABLE_COLLATIONS - 1)) % TABLE_COLLATIONS;
	return set_collation(ti, next + 1);
}

bool ch_drop_table_collation(rt_conn *conn)
{
	(void)conn;
	return w.table_collation && set_collation(pick_collated(true), 0);
}

const char *table_collation_name(const table *t)
{
	return t->collation > 0 ? table_collations[t->collation - 1] : NULL;
}

/* ---- a view's security invoker ------------------------------------------- */

static bool definer(const sql_obj *o)
{
	return !o->invoker;
}

static bool invoker(const sql_obj *o)
{
	return o->invoker;
}

static bool toggle_invoker(bool (*ok)(const sql_obj *o), bool on)
{
	int i = w.view_invoker ? pick_obj(OBJ_VIEW, ok) : -1;
	if (i < 0)
		return false;
	w.objs[i].invoker = on;
	w.objs[i].touched = w.step;
	note("view %s %s", w.objs[i].name, on ? "security invoker" : "no longer security invoker");
	return true;
}

bool ch_view_invoker(rt_conn *conn)
{
	(void)conn;
	return toggle_invoker(definer, true);
}

bool ch_view_definer(rt_conn *conn)
{
	(void)conn;
	return toggle_invoker(invoker, false);
}
