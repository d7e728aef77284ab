/*
 * evolve_changes.c - the kinds of change the evolution test makes to its
 * model (evolve.h), one function each, and the random choice among them.
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
static bool ch_alter_collation(rt_conn *conn)
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
static bool ch_add_generated(rt_conn *conn)
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

static bool ch_drop_generated(rt_conn *conn)
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

static bool ch_create_table(rt_conn *conn)
{
	(void)conn;
	return make_table(false);
}

static bool ch_drop_table(rt_conn *conn)
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

static bool ch_rename_table(rt_conn *conn)
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

static bool ch_add_column(rt_conn *conn)
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

static bool ch_drop_column(rt_conn *conn)
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

static bool ch_rename_column(rt_conn *conn)
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
	if (c->role != ROLE_PLAIN || c->fk >= 0 || type_pinned(t, s))
		return false;
	type_kind k = c->type.kind;
	return is_number(k) || is_text(k) || k == TK_ENUM;
}

static bool alter_type_at(int ti, int s)
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

static bool ch_alter_type(rt_conn *conn)
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

static bool ch_alter_nullable(rt_conn *conn)
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

static bool ch_alter_default(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	if (!pick_column(defaultable, &ti, &s))
		return false;
	column *c = &w.tables[ti].cols[s];
	int old = c->sdefault;
	do
		c->sdefault = rnd(3);
	while (c->sdefault == old);
	w.tables[ti].touched = w.step;
	note("alter column %s.%s server default %s -> %s", w.tables[ti].name, c->name,
	     old ? default_text(c->type, old) : "none",
	     c->sdefault ? default_text(c->type, c->sdefault) : "none");
	return true;
}

static bool ch_alter_pk(rt_conn *conn)
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

static bool ch_add_unique(rt_conn *conn)
{
	(void)conn;
	return ch_add_cons(chance(70) ? CONS_UNIQUE : CONS_UNIQUE_INDEX);
}

static bool ch_drop_unique(rt_conn *conn)
{
	(void)conn;
	return drop_cons(UNIQUE_CONS, "a unique constraint or unique index");
}

static bool ch_add_index(rt_conn *conn)
{
	(void)conn;
	return ch_add_cons(CONS_INDEX);
}

static bool ch_drop_index(rt_conn *conn)
{
	(void)conn;
	return drop_cons(1u << CONS_INDEX, "an index");
}

static bool ch_add_fk(rt_conn *conn)
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

static bool ch_change_fk_action(rt_conn *conn)
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

static bool ch_drop_fk(rt_conn *conn)
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

static bool ch_add_check(rt_conn *conn)
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

static bool ch_drop_check(rt_conn *conn)
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

static bool ch_create_enum(rt_conn *conn)
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

static bool ch_add_enum_value(rt_conn *conn)
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

static bool ch_column_to_enum(rt_conn *conn)
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

static bool ch_enum_to_string(rt_conn *conn)
{
	(void)conn;
	int ti = -1, s = -1;
	return pick_column(is_enum_column, &ti, &s) && alter_type_at(ti, s);
}

static bool ch_drop_enum(rt_conn *conn)
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

/* ---- the kinds of change ---------------------------------------------------- */

static bool ch_add_partial_index(rt_conn *conn)
{
	(void)conn;
	return add_index_kind(IX_WHERE);
}

static bool ch_add_expression_index(rt_conn *conn)
{
	(void)conn;
	return add_index_kind(IX_EXPRESSION);
}

static bool ch_add_desc_index(rt_conn *conn)
{
	(void)conn;
	return add_index_kind(IX_DESC);
}

static bool ch_add_method_index(rt_conn *conn)
{
	(void)conn;
	return add_index_kind(IX_METHOD);
}

static bool ch_add_covering_index(rt_conn *conn)
{
	(void)conn;
	return add_index_kind(IX_INCLUDE);
}

/* Which kinds the dialect has (a kind it lacks is never made, nor
 * expected of the run). */
static bool has_where(void) { return w.index_where; }
static bool has_expressions(void) { return w.index_expressions; }
static bool has_desc(void) { return w.index_desc; }
static bool has_methods(void) { return w.nmethods > 0; }
static bool has_include(void) { return w.index_include; }
static bool has_options(void) { return w.table_options; }
static bool has_deferrable(void) { return w.deferrable; }
static bool has_partitions(void) { return w.partitioning; }
static bool has_views(void) { return w.sql_kinds & (1u << OBJ_VIEW); }
static bool has_matviews(void) { return w.sql_kinds & (1u << OBJ_MATVIEW); }
static bool has_functions(void) { return w.sql_kinds & (1u << OBJ_FUNCTION); }
static bool has_triggers(void) { return w.sql_kinds & (1u << OBJ_TRIGGER); }
static bool has_domains(void) { return w.sql_kinds & (1u << OBJ_DOMAIN); }
static bool has_sequences(void) { return w.sql_kinds & (1u << OBJ_SEQUENCE); }
static bool has_aggregates(void) { return w.sql_kinds & (1u << OBJ_AGGREGATE); }
static bool has_procedures(void) { return w.sql_kinds & (1u << OBJ_PROCEDURE); }
static bool has_arrays(void) { return w.arrays; }
static bool has_verbatim(void) { return w.verbatim != NULL; }

typedef struct change_kind {
	const char *name;
	bool (*apply)(rt_conn *conn);
	int weight;
	bool (*has)(void); /* NULL: every dialect has it */
	const char *needs; /* the kind that makes what it changes (to cover it) */
	int done;
} change_kind;

static change_kind kinds[] = {
	{ "create table", ch_create_table, 6, NULL, NULL, 0 },
	{ "drop table", ch_drop_table, 3, NULL, NULL, 0 },
	{ "rename table", ch_rename_table, 3, NULL, NULL, 0 },
	{ "add column", ch_add_column, 8, NULL, NULL, 0 },
	{ "drop column", ch_drop_column, 5, NULL, NULL, 0 },
	{ "rename column", ch_rename_column, 4, NULL, NULL, 0 },
	{ "alter type", ch_alter_type, 6, NULL, NULL, 0 },
	{ "alter nullability", ch_alter_nullable, 5, NULL, NULL, 0 },
	{ "alter server default", ch_alter_default, 5, NULL, NULL, 0 },
	{ "alter primary key", ch_alter_pk, 2, NULL, NULL, 0 },
	{ "add unique", ch_add_unique, 4, NULL, NULL, 0 },
	{ "drop unique", ch_drop_unique, 2, NULL, NULL, 0 },
	{ "add index", ch_add_index, 4, NULL, NULL, 0 },
	{ "drop index", ch_drop_index, 3, NULL, NULL, 0 },
	{ "add foreign key", ch_add_fk, 4, NULL, NULL, 0 },
	{ "change foreign key action", ch_change_fk_action, 2, NULL, NULL, 0 },
	{ "drop foreign key", ch_drop_fk, 2, NULL, NULL, 0 },
	{ "add check", ch_add_check, 3, NULL, NULL, 0 },
	{ "drop check", ch_drop_check, 2, NULL, NULL, 0 },
	{ "create enum", ch_create_enum, 3, NULL, NULL, 0 },
	{ "add enum value", ch_add_enum_value, 3, NULL, "create enum", 0 },
	{ "column to enum", ch_column_to_enum, 2, NULL, NULL, 0 },
	{ "enum to string", ch_enum_to_string, 2, NULL, "create enum", 0 },
	{ "drop enum", ch_drop_enum, 2, NULL, NULL, 0 },
	{ "alter collation", ch_alter_collation, 2, NULL, NULL, 0 },
	{ "add generated column", ch_add_generated, 2, NULL, NULL, 0 },
	{ "drop generated column", ch_drop_generated, 2, NULL, "add generated column", 0 },
	{ "add partial index", ch_add_partial_index, 2, has_where, NULL, 0 },
	{ "add expression index", ch_add_expression_index, 2, has_expressions, NULL, 0 },
	{ "add descending index", ch_add_desc_index, 2, has_desc, NULL, 0 },
	{ "add index using a method", ch_add_method_index, 2, has_methods, NULL, 0 },
	{ "add covering index", ch_add_covering_index, 2, has_include, NULL, 0 },
	{ "change index", ch_change_index, 3, NULL, "add index", 0 },
	{ "alter table strict", ch_set_strict, 2, has_options, NULL, 0 },
	{ "alter table not strict", ch_clear_strict, 2, has_options, "alter table strict", 0 },
	{ "alter table without rowid", ch_set_without_rowid, 2, has_options, NULL, 0 },
	{ "alter table with rowid", ch_clear_without_rowid, 2, has_options, "alter table without rowid", 0 },
	{ "foreign key deferrable", ch_fk_deferrable, 2, has_deferrable, NULL, 0 },
	{ "foreign key not deferrable", ch_fk_not_deferrable, 2, has_deferrable, "foreign key deferrable", 0 },
	{ "create partitioned table", ch_create_partitioned, 2, has_partitions, NULL, 0 },
	{ "add partition", ch_add_partition, 2, has_partitions, "create partitioned table", 0 },
	{ "drop partition", ch_drop_partition, 2, has_partitions, "create partitioned table", 0 },
	{ "create view", ch_create_view, 2, has_views, NULL, 0 },
	{ "create view of two tables", ch_create_view2, 1, has_views, NULL, 0 },
	{ "create view on a view", ch_create_view_on_view, 1, has_views, "create view", 0 },
	{ "replace view", ch_replace_view, 2, has_views, "create view", 0 },
	{ "drop view", ch_drop_view, 1, has_views, "create view", 0 },
	{ "create materialized view", ch_create_matview, 2, has_matviews, NULL, 0 },
	{ "replace materialized view", ch_replace_matview, 2, has_matviews, "create materialized view", 0 },
	{ "drop materialized view", ch_drop_matview, 1, has_matviews, "create materialized view", 0 },
	{ "create function", ch_create_function, 1, has_functions, NULL, 0 },
	{ "replace function", ch_replace_function, 2, has_functions, "create function", 0 },
	{ "drop function", ch_drop_function, 1, has_functions, "create function", 0 },
	{ "create trigger", ch_create_trigger, 2, has_triggers, NULL, 0 },
	{ "replace trigger", ch_replace_trigger, 2, has_triggers, "create trigger", 0 },
	{ "drop trigger", ch_drop_trigger, 1, has_triggers, "create trigger", 0 },
	{ "create domain", ch_create_domain, 2, has_domains, NULL, 0 },
	{ "replace domain", ch_replace_domain, 2, has_domains, "create domain", 0 },
	{ "column to domain", ch_column_to_domain, 1, has_domains, "create domain", 0 },
	{ "domain to int", ch_domain_to_int, 1, has_domains, "create domain", 0 },
	{ "drop domain", ch_drop_domain, 1, has_domains, "create domain", 0 },
	{ "create sequence", ch_create_sequence, 1, has_sequences, NULL, 0 },
	{ "replace sequence", ch_replace_sequence, 2, has_sequences, "create sequence", 0 },
	{ "drop sequence", ch_drop_sequence, 1, has_sequences, "create sequence", 0 },
	{ "create aggregate", ch_create_aggregate, 1, has_aggregates, NULL, 0 },
	{ "replace aggregate", ch_replace_aggregate, 2, has_aggregates, "create aggregate", 0 },
	{ "drop aggregate", ch_drop_aggregate, 1, has_aggregates, "create aggregate", 0 },
	{ "create procedure", ch_create_procedure, 1, has_procedures, NULL, 0 },
	{ "replace procedure", ch_replace_procedure, 2, has_procedures, "create procedure", 0 },
	{ "drop procedure", ch_drop_procedure, 1, has_procedures, "create procedure", 0 },
	{ "add array column", ch_add_array_column, 3, has_arrays, NULL, 0 },
	{ "column to array", ch_column_to_array, 2, has_arrays, NULL, 0 },
	{ "drop array column", ch_drop_array_column, 1, has_arrays, "add array column", 0 },
	{ "add verbatim column", ch_add_verbatim_column, 2, has_verbatim, NULL, 0 },
	{ "drop verbatim column", ch_drop_verbatim_column, 1, has_verbatim, "add verbatim column", 0 },
};
#define KIND_COUNT ((int)(sizeof(kinds) / sizeof(kinds[0])))

static bool kind_here(const change_kind *k)
{
	return !k->has || k->has();
}

static int kind_named(const char *name)
{
	for (int k = 0; name && k < KIND_COUNT; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	return -1;
}

/* One change: a kind not done yet while some are left (so that every kind
 * is covered early), otherwise by weight. */
bool random_change(rt_conn *conn)
{
	for (int tries = 0; tries < 50; tries++) {
		int k = -1;
		/* more and more so as the run goes on: some kinds need
		 * another first (a trigger to replace) */
		if (tries < 10 && chance(w.step < 100 ? 30 : 90)) {
			int seen = 0;
			for (int i = 0; i < KIND_COUNT; i++)
				if (kinds[i].done == 0 && kind_here(&kinds[i]) && rnd(++seen) == 0)
					k = i;
		}
		if (k < 0) {
			int total = 0;
			for (int i = 0; i < KIND_COUNT; i++)
				total += kind_here(&kinds[i]) ? kinds[i].weight : 0;
			int pick = rnd(total);
			for (k = 0; !kind_here(&kinds[k]) || pick >= kinds[k].weight; k++)
				pick -= kind_here(&kinds[k]) ? kinds[k].weight : 0;
		}
		if (kinds[k].apply(conn)) {
			kinds[k].done++;
			return true;
		}
		/* A kind not covered yet that found nothing to change: make
		 * something for it, so that a later step can. */
		int maker = kinds[k].done == 0 ? kind_named(kinds[k].needs) : -1;
		if (maker >= 0 && kinds[maker].apply(conn)) {
			kinds[maker].done++;
			return true;
		}
	}
	return false;
}

bool first_tables_change(rt_conn *conn)
{
	if (!ch_create_table(conn))
		return false;
	kinds[0].done++;
	return true;
}

const char *kind_never_made(void)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if (kinds[k].done == 0 && kind_here(&kinds[k]))
			return kinds[k].name;
	return NULL;
}

void print_kinds(void)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if (kind_here(&kinds[k]))
			printf("  %-26s %d\n", kinds[k].name, kinds[k].done);
}
