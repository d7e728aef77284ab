/*
 * evolve_enums.c - the evolution test's changes of enums (evolve.h): an
 * enum made with a column of it, a value added, a string column moved to
 * an enum (its rows get values of it first, a data migration) and back,
 * and an enum no column uses dropped.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

static int new_enum(void)
{
	if (w.nenums >= MAX_ENUMS)
		return -1;
	enum_def *e = &w.enums[w.nenums];
	e->live = true;
	snprintf(e->name, sizeof(e->name), "E%d", ++w.name_counter);
	e->nvalues = 2 + rnd(2);
	return w.nenums++;
}

bool ch_create_enum(rt_conn *conn)
{
	(void)conn;
	int ti = pick_table(-1);
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	column *c = add_slot(t);
	if (!c)
		return false;
	int e = new_enum();
	if (e < 0) {
		t->ncols--;
		return false;
	}
	new_column(c, (col_type){ TK_ENUM, 0, e }, chance(40));
	if (!c->nullable || chance(50))
		c->sdefault = 1 + rnd(2);
	c->dup = true;
	t->touched = w.step;
	note("create enum %s, add column %s.%s", w.enums[e].name, t->name, c->name);
	return true;
}

static bool enum_used(int e)
{
	for (int i = 0; i < w.ntables; i++)
		for (int s = 0; s < w.tables[i].ncols; s++)
			if (w.tables[i].live && w.tables[i].cols[s].live &&
			    w.tables[i].cols[s].type.kind == TK_ENUM && w.tables[i].cols[s].type.e == e)
				return true;
	return false;
}

/* Does a view read a column of enum e, on a backend where that column
 * keeps its type? The downgrade of an added value makes the type again
 * and retypes its columns (PostgreSQL has no DROP VALUE), which a view
 * reading one stops. */
static bool enum_pinned(int e)
{
	for (int i = 0; w.views_pin_types && i < w.ntables; i++)
		for (int s = 0; w.tables[i].live && s < w.tables[i].ncols; s++)
			if (w.tables[i].cols[s].live && w.tables[i].cols[s].type.kind == TK_ENUM &&
			    w.tables[i].cols[s].type.e == e && read_by_view(i, s))
				return true;
	return false;
}

bool ch_add_enum_value(rt_conn *conn)
{
	(void)conn;
	/* An enum a column uses (an unused one does not exist on SQLite). */
	int seen = 0, chosen = -1;
	for (int e = 0; e < w.nenums; e++)
		if (w.enums[e].live && w.enums[e].nvalues < MAX_VALUES && enum_used(e) &&
		    !enum_pinned(e) && rnd(++seen) == 0)
			chosen = e;
	if (chosen < 0)
		return false;
	w.enums[chosen].nvalues++;
	note("alter enum %s add value %s", w.enums[chosen].name,
	     enum_value(chosen, w.enums[chosen].nvalues - 1));
	return true;
}

static bool enum_movable(const table *t, int s)
{
	const column *c = &t->cols[s];
	return c->role == ROLE_PLAIN && is_string(c->type.kind) && !c->check && !c->collate &&
	       !in_cons(t, s, UNIQUE_CONS | (1u << CONS_CHECK)) && !in_special_index(t, s) &&
	       !type_pinned(t, s);
}

bool ch_column_to_enum(rt_conn *conn)
{
	int ti = -1, s = -1;
	if (!pick_column(enum_movable, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	int seen = 0, e = -1;
	for (int i = 0; i < w.nenums; i++)
		if (w.enums[i].live && rnd(++seen) == 0)
			e = i;
	if (e < 0 || chance(30))
		e = new_enum();
	if (e < 0)
		return false;
	/* The rows get values of the enum first (a data migration). */
	if (fill_column(conn, t, s, false, enum_value(e, 1)) != 0)
		return false;
	char from[32];
	type_text(from, sizeof(from), c->type);
	c->type = (col_type){ TK_ENUM, 0, e };
	c->dup = true;
	t->touched = w.step;
	note("alter column %s.%s type %s -> %s", t->name, c->name, from, w.enums[e].name);
	return true;
}

static bool is_enum_column(const table *t, int s)
{
	return t->cols[s].type.kind == TK_ENUM && !type_pinned(t, s);
}

bool ch_enum_to_string(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	return pick_column(is_enum_column, &ti, &s) && alter_type_at(ti, s);
}

bool ch_drop_enum(rt_conn *conn)
{
	(void)conn;
	for (int e = 0; e < w.nenums; e++)
		if (w.enums[e].live && !enum_used(e)) {
			w.enums[e].live = false;
			if (!w.native_enums && !w.enums[e].in_scripts)
				w.invisible++; /* no enum types but the scripts' */
			note("drop enum %s", w.enums[e].name);
			return true;
		}
	return false;
}

/* After a step: the enums its script created (enum_def.in_scripts). */
void remember_script_enums(void)
{
	for (int e = 0; e < w.nenums; e++)
		if (w.enums[e].live && enum_used(e))
			w.enums[e].in_scripts = true;
}
