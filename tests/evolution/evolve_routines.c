/*
 * evolve_routines.c - the evolution test's domains, sequences, aggregates
 * and procedures (evolve.h): made, replaced (their SQL changes) and
 * dropped where the dialect has them (its caps: domains and aggregates
 * on PostgreSQL, sequences and procedures on PostgreSQL and MariaDB).
 *
 * The shapes (each has two texts, its variants; a replace moves to the
 * other):
 *   domain      an integer that is not negative (PostgreSQL), its check
 *               bounded above or not, made with a column of it; the
 *               rows' values (bind_value: r * 10 + s % 10) fit both
 *   sequence    START WITH 100, INCREMENT BY 5 or 10 with a MAXVALUE;
 *               an integer column's server default may take its nextval
 *               (that column then keeps an integer type), and it goes
 *               only once no default does
 *   aggregate   aggregate(integer) of a built-in state function (int4pl,
 *               int4larger): it needs none of the test's functions
 *   procedure   one that sets a variable from its argument
 * None reads a table, so a table's renames and drops never reach them;
 * a domain goes only once no column is of it (its columns become int in
 * the same step, as a user would retype them first).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

static bool is_postgres(void)
{
	return strcmp(w.backend, "postgresql") == 0;
}

/* ---- domains --------------------------------------------------------------- */

bool domain_used(int d)
{
	for (int i = 0; i < w.ntables; i++)
		for (int s = 0; w.tables[i].live && s < w.tables[i].ncols; s++)
			if (w.tables[i].cols[s].live && w.tables[i].cols[s].type.kind == TK_DOMAIN &&
			    w.tables[i].cols[s].type.e == d)
				return true;
	return false;
}

bool ch_create_domain(rt_conn *conn)
{
	(void)conn;
	sql_obj *o = new_obj(OBJ_DOMAIN);
	if (!o)
		return false;
	o->variant = rnd(2);
	int d = (int)(o - w.objs);
	note("create domain %s", o->name);
	if (!add_domain_column(d)) {
		/* no table to put its column in: it is made alone */
		note("(no column of it yet)");
	}
	return true;
}

bool ch_replace_domain(rt_conn *conn)
{
	(void)conn;
	return replace_obj(OBJ_DOMAIN);
}

/* Can the columns of domain d become int in this step? Their tables are
 * not changed by another change of it, and no view pins their type. */
static bool retypable_now(const sql_obj *o)
{
	int d = (int)(o - w.objs);
	for (int i = 0; i < w.ntables; i++)
		for (int s = 0; w.tables[i].live && s < w.tables[i].ncols; s++) {
			const column *c = &w.tables[i].cols[s];
			if (c->live && c->type.kind == TK_DOMAIN && c->type.e == d &&
			    (w.tables[i].touched == w.step || type_pinned(&w.tables[i], s)))
				return false;
		}
	return true;
}

bool ch_drop_domain(rt_conn *conn)
{
	(void)conn;
	int d = pick_obj(OBJ_DOMAIN, retypable_now);
	if (d < 0)
		return false;
	for (int i = 0; i < w.ntables; i++)
		for (int s = 0; w.tables[i].live && s < w.tables[i].ncols; s++) {
			const column *c = &w.tables[i].cols[s];
			if (c->live && c->type.kind == TK_DOMAIN && c->type.e == d)
				domain_column_to_int(&w.tables[i], s);
		}
	w.objs[d].live = false;
	note("drop domain %s", w.objs[d].name);
	return true;
}

/* ---- sequences, aggregates, procedures ----------------------------------- */

static bool create_plain(int kind, const char *word)
{
	sql_obj *o = new_obj(kind);
	if (!o)
		return false;
	o->variant = rnd(2);
	note("create %s %s", word, o->name);
	return true;
}

bool ch_create_sequence(rt_conn *conn)
{
	(void)conn;
	return create_plain(OBJ_SEQUENCE, "sequence");
}

bool ch_replace_sequence(rt_conn *conn)
{
	(void)conn;
	return replace_obj(OBJ_SEQUENCE);
}

bool no_default_takes(const sql_obj *o)
{
	int q = (int)(o - w.objs);
	for (int i = 0; i < w.ntables; i++)
		for (int s = 0; w.tables[i].live && s < w.tables[i].ncols; s++)
			if (w.tables[i].cols[s].live && w.tables[i].cols[s].seq == q)
				return false;
	return true;
}

bool ch_drop_sequence(rt_conn *conn)
{
	(void)conn;
	return drop_kind(OBJ_SEQUENCE, no_default_takes);
}

/* An integer column whose server default may be a sequence's nextval
 * (no key's, no foreign key's). */
static bool sequence_target(const table *t, int s)
{
	const column *c = &t->cols[s];
	return is_int(c->type.kind) && c->role == ROLE_PLAIN && c->fk < 0 && c->seq < 0;
}

bool ch_sequence_default(rt_conn *conn)
{
	(void)conn;
	int q = pick_obj(OBJ_SEQUENCE, NULL), ti = -1, s = -1;
	if (q < 0 || !pick_column(sequence_target, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	column *c = &t->cols[s];
	c->sdefault = 0;
	c->seq = q;
	t->touched = w.step;
	note("alter column %s.%s server default nextval(%s)", t->name, c->name, w.objs[q].name);
	return true;
}

bool ch_create_aggregate(rt_conn *conn)
{
	(void)conn;
	return create_plain(OBJ_AGGREGATE, "aggregate");
}

bool ch_replace_aggregate(rt_conn *conn)
{
	(void)conn;
	return replace_obj(OBJ_AGGREGATE);
}

bool ch_drop_aggregate(rt_conn *conn)
{
	(void)conn;
	return drop_kind(OBJ_AGGREGATE, NULL);
}

bool ch_create_procedure(rt_conn *conn)
{
	(void)conn;
	return create_plain(OBJ_PROCEDURE, "procedure");
}

bool ch_replace_procedure(rt_conn *conn)
{
	(void)conn;
	return replace_obj(OBJ_PROCEDURE);
}

bool ch_drop_procedure(rt_conn *conn)
{
	(void)conn;
	return drop_kind(OBJ_PROCEDURE, NULL);
}

/* ---- models.rt ------------------------------------------------------------ */

void write_routine(rt_buf *out, const sql_obj *o)
{
	const char *n = o->name;
	switch (o->kind) {
	case OBJ_DOMAIN:
		rt__buf_printf(out, "domain %s", n);
		write_was(out, o);
		rt__buf_printf(out, " $$ CREATE DOMAIN %s AS integer CONSTRAINT %s_check "
				    "CHECK (VALUE >= 0%s) $$\n",
			       n, n, o->variant ? " AND VALUE < 1000000" : "");
		break;
	case OBJ_SEQUENCE:
		rt__buf_printf(out, "sequence %s", obj_ref(o));
		write_was(out, o);
		rt__buf_printf(out, " $$ CREATE SEQUENCE %s START WITH 100 INCREMENT BY %s $$\n",
			       obj_ref(o),
			       o->variant ? "10 MAXVALUE 1000000" : "5");
		break;
	case OBJ_AGGREGATE:
		rt__buf_printf(out, "aggregate %s(integer)", n);
		write_was(out, o);
		rt__buf_printf(out, " $$ CREATE AGGREGATE %s(integer) (SFUNC = %s, STYPE = integer%s) $$\n",
			       n, o->variant ? "int4larger" : "int4pl",
			       o->variant ? ", INITCOND = '0'" : "");
		break;
	case OBJ_PROCEDURE:
		rt__buf_printf(out, "procedure %s%s", n, is_postgres() ? "(integer)" : "");
		write_was(out, o);
		if (is_postgres())
			rt__buf_printf(out, " $fn$ CREATE PROCEDURE %s(x integer) LANGUAGE plpgsql AS "
					    "$$ BEGIN PERFORM x + %d; END $$ $fn$\n",
				       n, o->variant + 1);
		else /* MariaDB */
			rt__buf_printf(out, " $$ CREATE PROCEDURE %s(IN x INT) SET @evolve = x + %d $$\n",
				       n, o->variant + 1);
		break;
	default: break;
	}
}
