/*
 * evolve_changes.c - the kinds of change the evolution test makes to the
 * tables, columns, keys, indexes and checks of its model (evolve.h), one
 * function each (the enums' are in evolve_enums.c, the random choice
 * among all kinds in evolve_kinds.c).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evolution/evolve.h"

/* ---- the changes --------------------------------------------------------
 * Each returns true when it changed the model (false: not applicable now).
 * A change that needs data prepared does it through conn. */

void new_column(column *c, col_type type, bool nullable)
{
	memset(c, 0, sizeof(*c));
	c->live = true;
	fresh_name(c->name, sizeof(c->name), 'c');
	c->type = type;
	c->nullable = nullable;
	c->fk = -1;
	c->seq = -1;
	c->resnap = true;
}

column *add_slot(table *t)
{
	if (t->ncols >= COL_SLOTS || live_columns(t) >= MAX_COLS)
		return NULL;
	return &t->cols[t->ncols++];
}

/* ---- collations and generated columns ----------------------------------- */

/* On PostgreSQL the column a view reads keeps its type and collation. */
bool type_pinned(const table *t, int s)
{
	return w.views_pin_types && read_by_view((int)(t - w.tables), s);
}

static bool collatable(const table *t, int s)
{
	const column *c = &t->cols[s];
	return c->role == ROLE_PLAIN && c->fk < 0 && is_text(c->type.kind) && !type_pinned(t, s);
}

/* A text column gains the backend's collation, or loses it. */
bool ch_alter_collation(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(collatable, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	c->collate = !c->collate;
	t->touched = w.step;
	note("alter column %s.%s %s", t->name, c->name, c->collate ? "collate" : "drop collate");
	/* The table's collation is the column's: the database cannot tell
	 * its own from the table's (MariaDB). */
	if (table_collation_name(t) && strcmp(table_collation_name(t), w.collation) == 0) {
		note("(the table's collation: no change the database sees)");
		w.invisible++;
	}
	return true;
}

/* Column s of table ti goes, with the indexes and constraints that use
 * it and the views that read it. */
void drop_column_at(int ti, int s)
{
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	for (int k = t->ncons - 1; k >= 0; k--) {
		int cols[4], n = cons_columns(&t->cons[k], cols);
		for (int j = 0; j < n; j++)
			if (cols[j] == s) {
				remove_cons(t, k);
				break;
			}
	}
	drop_objects_on(ti, s);
	c->live = false;
	for (int r = 0; r < t->nrows; r++) {
		free(c->vals[r]);
		c->vals[r] = NULL;
	}
	t->touched = w.step;
}

/* A generated column: its rows get the value of its expression. */
bool ch_add_generated(rt_conn *conn)
{
	(void)conn;
	int ti = pick_table(-1);
	column *c = ti >= 0 ? add_slot(&w.tables[ti]) : NULL;
	if (!c)
		return false;
	table *t = &w.tables[ti];
	new_column(c, (col_type){ TK_BIGINT, 0, -1 }, chance(30));
	c->generated = true;
	c->gen_virtual = w.generated_virtual && chance(50);
	c->dup = true; /* every row holds 2 */
	t->touched = w.step;
	note("add column %s.%s generated %s", t->name, c->name,
	     c->gen_virtual ? "virtual" : "stored");
	return true;
}

bool ch_drop_generated(rt_conn *conn)
{
	(void)conn;
	int seen = 0, ti = -1, si = -1;
	for (int i = 0; i < w.ntables; i++)
		for (int s = 0; w.tables[i].live && w.tables[i].touched != w.step &&
				s < w.tables[i].ncols; s++)
			if (w.tables[i].cols[s].live && w.tables[i].cols[s].generated &&
			    rnd(++seen) == 0) {
				ti = i;
				si = s;
			}
	if (ti < 0)
		return false;
	drop_column_at(ti, si);
	note("drop column %s.%s (generated)", w.tables[ti].name, w.tables[ti].cols[si].name);
	return true;
}

/* How many live tables are keyed (or not)? */
static int live_keyed(bool keyed)
{
	int n = 0;
	for (int i = 0; i < w.ntables; i++)
		n += w.tables[i].live && w.tables[i].keyed == keyed;
	return n;
}

bool make_table(bool partitioned)
{
	if (live_tables() >= MAX_TABLES || w.ntables >= TABLE_SLOTS)
		return false;
	table *t = &w.tables[w.ntables++];
	memset(t, 0, sizeof(*t));
	t->live = true;
	fresh_name(t->name, sizeof(t->name), 't');
	/* Mostly integer ids; but one table of each kind stays around, or
	 * some kinds of change (a primary key altered, a foreign key to an
	 * id) would find no table for a whole run. A partitioned table is
	 * split by its id. */
	int keyed = live_keyed(true), plain = live_keyed(false);
	t->keyed = keyed == 0 && plain > 0 ? true : plain == 0 && keyed > 0 ? false : chance(30);
	if (partitioned) {
		t->keyed = false;
		t->partitioned = true;
		new_partition(t, 0); /* where the rows live */
		if (chance(50))
			new_partition(t, -1);
		t->next_range = 1;
	}
	if (t->keyed) {
		new_column(add_slot(t), (col_type){ TK_STRINGN, 20, -1 }, false);
		t->cols[0].role = ROLE_K1;
		new_column(add_slot(t), (col_type){ TK_STRINGN, 20, -1 }, false);
		t->cols[1].role = ROLE_K2;
		t->pk2 = chance(50);
	} else {
		new_column(add_slot(t), (col_type){ TK_BIGINT, 0, -1 }, false);
		t->cols[0].role = ROLE_ID;
		snprintf(t->cols[0].name, sizeof(t->cols[0].name), "id");
	}
	int extra = 1 + rnd(4);
	for (int i = 0; i < extra; i++) {
		column *c = add_slot(t);
		new_column(c, random_plain_type(), chance(40));
		if (chance(30))
			c->sdefault = 1 + rnd(2);
		if (checkable(c) && chance(20))
			c->check = true;
	}
	if (chance(40)) {
		int target = pick_table(0);
		column *c = add_slot(t);
		if (target >= 0 && c) {
			new_column(c, (col_type){ TK_BIGINT, 0, -1 }, true);
			c->fk = target;
			c->dup = true; /* rows may point at the same row */
			c->on_delete = rnd(5);
			c->deferred = w.deferrable && chance(20);
		} else if (c) {
			t->ncols--;
		}
	}
	if (chance(40)) {
		int s = t->ncols - 1;
		if (t->cols[s].fk < 0 && t->cols[s].type.kind != TK_JSON && key_ok(&t->cols[s])) {
			tcons *k = &t->cons[t->ncons++];
			memset(k, 0, sizeof(*k));
			/* a partitioned table's unique keys must hold its id */
			k->kind = unique_safe(&t->cols[s]) && !partitioned && chance(50) ? CONS_UNIQUE
											  : CONS_INDEX;
			k->cols[0] = s;
			k->ncols = 1;
		}
	}
	t->touched = w.step;
	note("create %stable %s", partitioned ? "partitioned " : "", t->name);
	return true;
}

bool ch_create_table(rt_conn *conn)
{
	(void)conn;
	return make_table(false);
}

bool ch_drop_table(rt_conn *conn)
{
	(void)conn;
	if (live_tables() <= 3)
		return false;
	int ti = pick_table(-1);
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	t->live = false;
	drop_objects_on(ti, -1); /* the views and triggers on it go first */
	for (int s = 0; s < t->ncols; s++)
		for (int r = 0; r < t->nrows; r++) {
			free(t->cols[s].vals[r]);
			t->cols[s].vals[r] = NULL;
		}
	/* The foreign keys to it go with it (their columns stay). */
	for (int i = 0; i < w.ntables; i++)
		for (int s = 0; s < w.tables[i].ncols; s++)
			if (w.tables[i].live && w.tables[i].cols[s].live && w.tables[i].cols[s].fk == ti) {
				w.tables[i].cols[s].fk = -1;
				w.tables[i].touched = w.step;
				note("drop foreign key %s.%s", w.tables[i].name, w.tables[i].cols[s].name);
			}
	note("drop table %s", t->name);
	return true;
}

bool ch_rename_table(rt_conn *conn)
{
	(void)conn;
	int ti = pick_table(-1);
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	memcpy(t->was, t->name, sizeof(t->was));
	fresh_name(t->name, sizeof(t->name), 't');
	t->touched = w.step;
	note("rename table %s to %s (was)", t->was, t->name);
	return true;
}

bool ch_add_column(rt_conn *conn)
{
	(void)conn;
	int ti = pick_table(-1);
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	column *c = add_slot(t);
	if (!c)
		return false;
	new_column(c, random_plain_type(), chance(50));
	/* A NOT NULL column added to a table with rows needs a server default
	 * (autogenerate adds it nullable, then sets NOT NULL). */
	if (!c->nullable && (t->nrows > 0 || chance(50)))
		c->sdefault = 1 + rnd(2);
	else if (chance(30))
		c->sdefault = 1 + rnd(2);
	if (checkable(c) && chance(20))
		c->check = true;
	/* the rows there get the server default, all the same */
	c->dup = t->nrows >= 2 && c->sdefault;
	t->touched = w.step;
	note("add column %s.%s", t->name, c->name);
	return true;
}

static bool droppable(const table *t, int s)
{
	return t->cols[s].role == ROLE_PLAIN && live_columns(t) > 2;
}

bool ch_drop_column(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(droppable, &ti, &s))
		return false;
	drop_column_at(ti, s);
	note("drop column %s.%s", w.tables[ti].name, w.tables[ti].cols[s].name);
	return true;
}

static bool renamable(const table *t, int s)
{
	return t->cols[s].role != ROLE_ID;
}

bool ch_rename_column(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(renamable, &ti, &s))
		return false;
	column *c = &w.tables[ti].cols[s];
	memcpy(c->was, c->name, sizeof(c->was));
	fresh_name(c->name, sizeof(c->name), 'c');
	w.tables[ti].touched = w.step;
	note("rename column %s.%s to %s (was)", w.tables[ti].name, c->was, c->name);
	return true;
}

static bool retypable(const table *t, int s)
{
	const column *c = &t->cols[s];
	/* (a sequence's nextval is no string's default) */
	if (c->role != ROLE_PLAIN || c->fk >= 0 || c->seq >= 0 || type_pinned(t, s))
		return false;
	type_kind k = c->type.kind;
	return is_number(k) || is_text(k) || k == TK_ENUM;
}

bool alter_type_at(int ti, int s)
{
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	col_type old = c->type, nt = old;
	bool constrained = in_cons(t, s, ANY_CONS) || c->check;
	switch (old.kind) {
	case TK_SMALLINT:
	case TK_INT:
	case TK_BIGINT:
		/* widen or narrow (the values are small), or to a string when no
		 * check compares it with a number */
		if (!constrained && chance(25)) {
			nt.kind = chance(50) ? TK_TEXT : TK_STRINGN;
			nt.n = nt.kind == TK_STRINGN ? 32 : 0;
		} else {
			do
				nt.kind = (type_kind)(TK_SMALLINT + rnd(3));
			while (nt.kind == old.kind);
		}
		break;
	case TK_REAL: nt.kind = TK_DOUBLE; break;
	case TK_DOUBLE: nt.kind = TK_REAL; break;
	case TK_NUMERIC: nt.n = old.n >= 14 ? old.n - 2 : old.n + 2; break;
	case TK_CHARN:
		nt.kind = TK_STRINGN;
		nt.n = 32;
		break;
	case TK_STRINGN:
	case TK_STRING:
	case TK_TEXT:
		if (chance(15)) {
			nt.kind = TK_CHARN; /* fixed length, bounded */
			nt.n = 24;
			break;
		}
		/* A column of a key stays bounded where keys must be. */
		do {
			nt.kind = (type_kind)(TK_STRINGN + rnd(3));
			nt.n = nt.kind == TK_STRINGN ? 16 + 8 * rnd(6) : 0;
		} while ((nt.kind == old.kind && nt.n == old.n) ||
			 (!w.index_unbounded && constrained && nt.kind != TK_STRINGN) ||
			 (w.string_is_text && nt.kind != TK_STRINGN && old.kind != TK_STRINGN));
		break;
	case TK_ENUM:
		nt.kind = chance(50) ? TK_TEXT : TK_STRINGN;
		if (!w.index_unbounded && constrained)
			nt.kind = TK_STRINGN;
		nt.n = nt.kind == TK_STRINGN ? 32 : 0;
		nt.e = -1;
		break;
	default: return false;
	}
	c->type = nt;
	c->resnap = true;
	if (type_change_invisible(t, old, nt))
		w.invisible++; /* a STRICT table declares both the same */
	char from[32], to[32];
	type_text(from, sizeof(from), old);
	type_text(to, sizeof(to), nt);
	t->touched = w.step;
	note("alter column %s.%s type %s -> %s", t->name, c->name, from, to);
	return true;
}

bool ch_alter_type(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	return pick_column(retypable, &ti, &s) && alter_type_at(ti, s);
}

static bool nullable_changeable(const table *t, int s)
{
	const column *c = &t->cols[s];
	return c->role == ROLE_PLAIN && c->fk < 0;
}

bool ch_alter_nullable(rt_conn *conn)
{
	int ti = -1, s = -1;
	if (!pick_column(nullable_changeable, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	if (c->nullable) {
		/* NOT NULL needs values in every row first. */
		if (fill_column(conn, t, s, true, NULL) != 0)
			return false;
		c->nullable = false;
	} else {
		c->nullable = true;
	}
	t->touched = w.step;
	note("alter column %s.%s %s", t->name, c->name, c->nullable ? "null" : "not null");
	return true;
}

/* (A verbatim type has no literal the test knows.) */
static bool defaultable(const table *t, int s)
{
	return t->cols[s].role == ROLE_PLAIN && t->cols[s].fk < 0 &&
	       t->cols[s].type.kind != TK_VERBATIM;
}

bool ch_alter_default(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(defaultable, &ti, &s))
		return false;
	column *c = &w.tables[ti].cols[s];
	int old = c->sdefault;
	/* a sequence's nextval goes for a literal or none */
	bool had_seq = c->seq >= 0;
	c->seq = -1;
	do
		c->sdefault = rnd(3);
	while (!had_seq && c->sdefault == old);
	w.tables[ti].touched = w.step;
	note("alter column %s.%s server default %s -> %s", w.tables[ti].name, c->name,
	     had_seq ? "nextval" : old ? default_text(c->type, old) : "none",
	     c->sdefault ? default_text(c->type, c->sdefault) : "none");
	return true;
}

bool ch_alter_pk(rt_conn *conn)
{
	(void)conn;
	int ti = pick_table(1);
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	t->pk2 = !t->pk2;
	t->touched = w.step;
	note("primary key of %s on %s", t->name, t->pk2 ? "(k1, k2)" : "(k1)");
	return true;
}

bool cons_exists(const table *t, int kind, const int *cols, int ncols)
{
	for (int i = 0; i < t->ncons; i++) {
		const tcons *c = &t->cons[i];
		bool same_kind = c->kind == kind ||
				 ((kind == CONS_UNIQUE || kind == CONS_UNIQUE_INDEX) &&
				  (c->kind == CONS_UNIQUE || c->kind == CONS_UNIQUE_INDEX)) ||
				 (kind == CONS_INDEX && c->kind == CONS_UNIQUE_INDEX) ||
				 (kind == CONS_UNIQUE_INDEX && c->kind == CONS_INDEX);
		if (!same_kind || c->ncols != ncols)
			continue;
		if (kind == CONS_CHECK)
			return c->cols[0] == cols[0];
		bool same = true;
		for (int j = 0; j < ncols; j++)
			same = same && c->cols[j] == cols[j];
		if (same)
			return true;
	}
	return false;
}

/* (A partitioned table's unique keys would have to hold its id.) */
static bool uniquable(const table *t, int s)
{
	return unique_safe(&t->cols[s]) && t->cols[s].fk < 0 && t->ncons < MAX_CONS &&
	       key_ok(&t->cols[s]) && !t->partitioned;
}

static bool indexable(const table *t, int s)
{
	return t->cols[s].type.kind != TK_JSON && t->ncons < MAX_CONS && key_ok(&t->cols[s]);
}

static bool ch_add_cons(int kind)
{
	int ti = -1, s = -1;
	if (!pick_column(kind == CONS_INDEX ? indexable : uniquable, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	int cols[2] = { s, -1 }, n = 1;
	if (chance(40)) {
		/* a second column of the same table */
		for (int tries = 0; tries < 8 && n == 1; tries++) {
			int o = rnd(t->ncols);
			if (o != s && t->cols[o].live && t->cols[o].type.kind != TK_JSON &&
			    key_ok(&t->cols[o]))
				cols[n++] = o;
		}
	}
	if (cons_exists(t, kind, cols, n))
		return false;
	tcons *k = &t->cons[t->ncons++];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->ncols = n;
	memcpy(k->cols, cols, sizeof(cols));
	if (chance(30))
		fresh_name(k->name, sizeof(k->name), kind == CONS_UNIQUE ? 'u' : 'x');
	t->touched = w.step;
	static const char *const words[] = { "unique", "index", "unique index", "check" };
	note("add %s %s on %s (%s%s%s)", words[kind], k->name[0] ? k->name : "(default name)",
	     t->name, t->cols[cols[0]].name, n > 1 ? ", " : "", n > 1 ? t->cols[cols[1]].name : "");
	return true;
}

static bool drop_cons(int kinds_mask, const char *what)
{
	int seen = 0, ti = -1, ki = -1;
	for (int i = 0; i < w.ntables; i++) {
		if (!w.tables[i].live || w.tables[i].touched == w.step)
			continue;
		for (int k = 0; k < w.tables[i].ncons; k++)
			if ((kinds_mask & (1u << w.tables[i].cons[k].kind)) && rnd(++seen) == 0) {
				ti = i;
				ki = k;
			}
	}
	if (ti < 0)
		return false;
	w.tables[ti].touched = w.step;
	note("drop %s on %s", what, w.tables[ti].name);
	remove_cons(&w.tables[ti], ki);
	return true;
}

bool ch_add_unique(rt_conn *conn)
{
	(void)conn;
	return ch_add_cons(chance(70) ? CONS_UNIQUE : CONS_UNIQUE_INDEX);
}

bool ch_drop_unique(rt_conn *conn)
{
	(void)conn;
	return drop_cons(UNIQUE_CONS, "a unique constraint or unique index");
}

bool ch_add_index(rt_conn *conn)
{
	(void)conn;
	return ch_add_cons(CONS_INDEX);
}

bool ch_drop_index(rt_conn *conn)
{
	(void)conn;
	return drop_cons(1u << CONS_INDEX, "an index");
}

bool ch_add_fk(rt_conn *conn)
{
	(void)conn;
	int ti = pick_table(-1), target = pick_table(0);
	if (ti < 0 || target < 0)
		return false;
	table *t = &w.tables[ti];
	column *c = add_slot(t);
	if (!c)
		return false;
	new_column(c, (col_type){ TK_BIGINT, 0, -1 }, true);
	c->fk = target;
	c->dup = true; /* rows may point at the same row */
	c->on_delete = rnd(5);
	c->deferred = w.deferrable && chance(20);
	t->touched = w.step;
	note("add column %s.%s references %s(id)%s%s%s", t->name, c->name, w.tables[target].name,
	     c->on_delete ? " on delete " : "", fk_actions[c->on_delete],
	     c->deferred ? " deferrable initially deferred" : "");
	return true;
}

static bool has_fk(const table *t, int s)
{
	return t->cols[s].fk >= 0;
}

static int action_class(int action)
{
	return action == 4 || (action == 3 && !w.restrict_kept) ? 0 : action;
}

bool ch_change_fk_action(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(has_fk, &ti, &s))
		return false;
	column *c = &w.tables[ti].cols[s];
	/* no action is what a foreign key without on delete does, and
	 * restrict too where the database does not tell them apart */
	int old = c->on_delete, old_class = action_class(old);
	do
		c->on_delete = rnd(5);
	while (action_class(c->on_delete) == old_class);
	w.tables[ti].touched = w.step;
	note("foreign key %s.%s on delete %s -> %s", w.tables[ti].name, c->name,
	     old ? fk_actions[old] : "(none)", c->on_delete ? fk_actions[c->on_delete] : "(none)");
	return true;
}

bool ch_drop_fk(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(has_fk, &ti, &s))
		return false;
	column *c = &w.tables[ti].cols[s];
	c->fk = -1;
	w.tables[ti].touched = w.step;
	note("drop foreign key on %s.%s", w.tables[ti].name, c->name);
	return true;
}

static bool check_target(const table *t, int s)
{
	return checkable(&t->cols[s]) && t->cols[s].fk < 0 && t->cols[s].role == ROLE_PLAIN;
}

bool ch_add_check(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(check_target, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	if (!c->check && chance(50)) {
		c->check = true;
		t->touched = w.step;
		note("add column check on %s.%s", t->name, c->name);
		return true;
	}
	int cols[2] = { s, -1 };
	if (t->ncons >= MAX_CONS || cons_exists(t, CONS_CHECK, cols, 1))
		return false;
	tcons *k = &t->cons[t->ncons++];
	memset(k, 0, sizeof(*k));
	k->kind = CONS_CHECK;
	k->ncols = 1;
	k->cols[0] = s;
	fresh_name(k->name, sizeof(k->name), 'k');
	t->touched = w.step;
	note("add check %s on %s (%s)", k->name, t->name, c->name);
	return true;
}

static bool has_column_check(const table *t, int s)
{
	return t->cols[s].check;
}

bool ch_drop_check(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (chance(50) && pick_column(has_column_check, &ti, &s)) {
		w.tables[ti].cols[s].check = false;
		w.tables[ti].touched = w.step;
		note("drop column check on %s.%s", w.tables[ti].name, w.tables[ti].cols[s].name);
		return true;
	}
	return drop_cons(1u << CONS_CHECK, "a check");
}
