/*
 * evolve_types.c - the evolution test's columns of types beyond the plain
 * ones (evolve.h), each made only by its own kinds of change and only
 * where the backend has it:
 *   int[] and text[] (PostgreSQL's arrays): added, dropped, and made
 *     from a single value (a string -> text[]: each row's value becomes
 *     an array of itself) or from another array (int[] -> text[]);
 *     their rows hold arrays, empty ones and ones with a NULL element,
 *     which are read back after every step like any value;
 *   a domain's columns (PostgreSQL, `sql '<domain>'`): added with the
 *     domain (evolve_routines.c), made from an integer column and back;
 *   the backend's verbatim type (`sql 'tsvector'` on PostgreSQL,
 *     `sql 'tinytext'` on MariaDB, a type of no affinity's name on
 *     SQLite, never in a strict table): added and dropped.
 * Other changes leave such columns alone where they could not apply:
 * a check, a collation, an enum or another type change take none of
 * them (their filters ask for plain types).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

bool is_array(type_kind k)
{
	return k == TK_INT_ARRAY || k == TK_TEXT_ARRAY;
}

bool has_column_of(const table *t, type_kind k)
{
	for (int s = 0; s < t->ncols; s++)
		if (t->cols[s].live && t->cols[s].type.kind == k)
			return true;
	return false;
}

/* A new column of the type in a random table; NULL when none has room.
 * A NOT NULL one in a table with rows gets a server default, where the
 * type has them. *ti is the table. */
static column *add_typed_column(col_type type, bool defaults, bool (*table_ok)(const table *t),
				int *ti)
{
	int seen = 0;
	*ti = -1;
	for (int i = 0; i < w.ntables; i++) {
		const table *t = &w.tables[i];
		if (t->live && t->touched != w.step && (!table_ok || table_ok(t)) &&
		    rnd(++seen) == 0)
			*ti = i;
	}
	column *c = *ti >= 0 ? add_slot(&w.tables[*ti]) : NULL;
	if (!c)
		return NULL;
	table *t = &w.tables[*ti];
	new_column(c, type, !defaults || chance(50));
	if (defaults && (!c->nullable || chance(30)))
		c->sdefault = 1 + rnd(2);
	c->dup = true; /* no unique key on them: the rows may share values */
	t->touched = w.step;
	return c;
}

/* The kind drop_column_of drops a column of (TK_COUNT: any array). */
static type_kind wanted;

static bool of_wanted(const table *t, int s)
{
	type_kind have = t->cols[s].type.kind;
	return (wanted == TK_COUNT ? is_array(have) : have == wanted) && live_columns(t) > 2;
}

static bool drop_column_of(type_kind k, const char *what)
{
	int ti = -1, s = -1;
	wanted = k;
	if (!pick_column(of_wanted, &ti, &s))
		return false;
	drop_column_at(ti, s);
	note("drop column %s.%s (%s)", w.tables[ti].name, w.tables[ti].cols[s].name, what);
	return true;
}

/* ---- arrays ---------------------------------------------------------------- */

bool ch_add_array_column(rt_conn *conn)
{
	(void)conn;
	if (!w.arrays)
		return false;
	int ti;
	column *c = add_typed_column((col_type){ chance(50) ? TK_INT_ARRAY : TK_TEXT_ARRAY, 0, -1 },
				     true, NULL, &ti);
	if (!c)
		return false;
	char type[32];
	type_text(type, sizeof(type), c->type);
	note("add column %s.%s %s", w.tables[ti].name, c->name, type);
	return true;
}

bool ch_drop_array_column(rt_conn *conn)
{
	(void)conn;
	return drop_column_of(TK_COUNT, "an array");
}

/* A column that can become an array: a string without a check (it
 * compares a single value), a collation, a server default (the single
 * value's literal), a key or index of a method, a foreign key, or a view
 * that pins its type; or an int[]. (Not an integer: the downgrade, an
 * array back to a single integer, is refused unless the script says how,
 * as it would drop elements; a string takes the array's {...} form.) */
static bool arrayable(const table *t, int s)
{
	const column *c = &t->cols[s];
	type_kind k = c->type.kind;
	if (k == TK_INT_ARRAY)
		return !type_pinned(t, s);
	return is_string(k) && c->role == ROLE_PLAIN && c->fk < 0 && !c->check && !c->collate &&
	       !c->sdefault && !in_cons(t, s, 1u << CONS_CHECK) && !in_special_index(t, s) &&
	       !type_pinned(t, s);
}

bool ch_column_to_array(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!w.arrays || !pick_column(arrayable, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	char from[32], to[32];
	type_text(from, sizeof(from), c->type);
	c->type = (col_type){ TK_TEXT_ARRAY, 0, -1 };
	c->dup = true;
	c->resnap = true; /* x reads {x} now */
	type_text(to, sizeof(to), c->type);
	t->touched = w.step;
	note("alter column %s.%s type %s -> %s", t->name, c->name, from, to);
	return true;
}

/* ---- domains' columns ------------------------------------------------------ */

bool add_domain_column(int d)
{
	int ti;
	column *c = add_typed_column((col_type){ TK_DOMAIN, 0, d }, true, NULL, &ti);
	if (!c)
		return false;
	note("add column %s.%s %s", w.tables[ti].name, c->name, w.objs[d].name);
	return true;
}

void domain_column_to_int(table *t, int s)
{
	column *c = &t->cols[s];
	note("alter column %s.%s type %s -> int", t->name, c->name, w.objs[c->type.e].name);
	c->type = (col_type){ TK_INT, 0, -1 };
	c->resnap = true;
	t->touched = w.step;
}

/* An integer column a domain's check takes: its values are not negative
 * (bind_value), no view pins its type, no foreign key needs its type. */
static bool domainable(const table *t, int s)
{
	const column *c = &t->cols[s];
	return is_int(c->type.kind) && c->role == ROLE_PLAIN && c->fk < 0 && c->seq < 0 &&
	       !type_pinned(t, s);
}

bool ch_column_to_domain(rt_conn *conn)
{
	(void)conn;
	int d = pick_obj(OBJ_DOMAIN, NULL), ti = -1, s = -1;
	if (d < 0 || !pick_column(domainable, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	char from[32];
	type_text(from, sizeof(from), c->type);
	c->type = (col_type){ TK_DOMAIN, 0, d };
	c->resnap = true;
	t->touched = w.step;
	note("alter column %s.%s type %s -> %s", t->name, c->name, from, w.objs[d].name);
	return true;
}

static bool of_domain(const table *t, int s)
{
	return t->cols[s].type.kind == TK_DOMAIN && !type_pinned(t, s);
}

bool ch_domain_to_int(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(of_domain, &ti, &s))
		return false;
	domain_column_to_int(&w.tables[ti], s);
	return true;
}

/* ---- verbatim types -------------------------------------------------------- */

/* SQLite's strict tables take only their five type names. */
static bool verbatim_table(const table *t)
{
	return !t->strict;
}

bool ch_add_verbatim_column(rt_conn *conn)
{
	(void)conn;
	if (!w.verbatim)
		return false;
	int ti;
	column *c = add_typed_column((col_type){ TK_VERBATIM, 0, -1 }, false, verbatim_table, &ti);
	if (!c)
		return false;
	note("add column %s.%s sql '%s'", w.tables[ti].name, c->name, w.verbatim);
	return true;
}

bool ch_drop_verbatim_column(rt_conn *conn)
{
	(void)conn;
	return drop_column_of(TK_VERBATIM, "of a verbatim type");
}
