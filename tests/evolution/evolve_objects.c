/*
 * evolve_objects.c - the evolution test's views, materialized views,
 * functions and triggers (evolve.h): made, replaced (their SQL changes)
 * and dropped where the dialect has them, their SQL written at each step
 * with the names the tables and columns have then.
 *
 * The shapes:
 *   view (one table)    SELECT <key> AS k, <column> AS v FROM t [WHERE ...]
 *   view (two tables)   SELECT (SELECT count(*) FROM t) AS a, (...) AS b
 *   view on a view      SELECT k AS n FROM v ..., or SELECT a + b AS n ...
 *   materialized view   a query of the first two shapes (PostgreSQL)
 *   function            x + <n> of an integer (PostgreSQL, MariaDB)
 *   trigger             a guard refusing a row without a key, BEFORE
 *                       INSERT or UPDATE (on PostgreSQL through a trigger
 *                       function); the row never comes, so the rows the
 *                       test checks stay as it wrote them
 * A replace keeps a view's columns (PostgreSQL's CREATE OR REPLACE VIEW
 * cannot change them): its WHERE or its arithmetic changes.
 *
 * The tables they read change only as the backends allow: an object goes
 * with the table or column it reads (in the same step, as a user would
 * drop it), and on PostgreSQL the column a view reads keeps its type,
 * collation and enum (w.views_pin_types: PostgreSQL refuses to change
 * what a view reads).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

/* Live objects of one kind at once: fewer of the kinds that read no
 * table (domains, sequences, aggregates, procedures), as each object is
 * made again at every comparison (rendered by the database). */
#define MAX_LIVE 6
#define MAX_LIVE_ROUTINES 3

static const char *const kind_words[OBJ_KIND_COUNT] = {
	"view", "materialized view", "function", "trigger",
	"domain", "sequence", "aggregate", "procedure",
};

bool has_kind(int kind)
{
	return (w.sql_kinds & (1u << kind)) != 0;
}

static int live_of(int kind)
{
	int n = 0;
	for (int i = 0; i < w.nobjs; i++)
		n += w.objs[i].live && w.objs[i].kind == kind;
	return n;
}

sql_obj *new_obj(int kind)
{
	int most = kind >= OBJ_DOMAIN ? MAX_LIVE_ROUTINES : MAX_LIVE;
	if (!has_kind(kind) || w.nobjs >= MAX_OBJS || live_of(kind) >= most)
		return NULL;
	sql_obj *o = &w.objs[w.nobjs++];
	memset(o, 0, sizeof(*o));
	o->live = true;
	o->kind = kind;
	o->table = o->col = o->table2 = o->view = o->func = -1;
	o->touched = w.step;
	static const char prefix[OBJ_KIND_COUNT] = { 'v', 'm', 'f', 'g', 'd', 'q', 'a', 'p' };
	fresh_name(o->name, sizeof(o->name), prefix[kind]);
	return o;
}

/* A live object of the kind passing ok (NULL: any) that no change of
 * this step made or replaced, at random; -1: none. */
int pick_obj(int kind, bool (*ok)(const sql_obj *o))
{
	int seen = 0, chosen = -1;
	for (int i = 0; i < w.nobjs; i++)
		if (w.objs[i].live && w.objs[i].kind == kind && w.objs[i].touched != w.step &&
		    (!ok || ok(&w.objs[i])) && rnd(++seen) == 0)
			chosen = i;
	return chosen;
}

/* ---- what reads what ------------------------------------------------------ */

/* Drops object i and the views that read it, in the model. */
static void drop_obj(int i)
{
	w.objs[i].live = false;
	note("drop %s %s", kind_words[w.objs[i].kind], w.objs[i].name);
	for (int j = 0; j < w.nobjs; j++)
		if (w.objs[j].live && w.objs[j].view == i)
			drop_obj(j);
}

void drop_objects_on(int ti, int s)
{
	for (int i = 0; i < w.nobjs; i++) {
		const sql_obj *o = &w.objs[i];
		if (!o->live)
			continue;
		bool on_table = o->table == ti || o->table2 == ti;
		if (on_table && (s < 0 || o->col == s))
			drop_obj(i);
	}
}

bool read_by_view(int ti, int s)
{
	for (int i = 0; i < w.nobjs; i++) {
		const sql_obj *o = &w.objs[i];
		if (o->live && (o->kind == OBJ_VIEW || o->kind == OBJ_MATVIEW) && o->table == ti &&
		    o->col == s)
			return true;
	}
	return false;
}

/* ---- views and materialized views ------------------------------------------ */

/* Any column but the key (the view's k) may be its v. */
static bool view_column(const table *t, int s)
{
	return s != 0;
}

/* The first shape: one table, its key and a column. */
static bool make_view1(int kind)
{
	int ti = -1, s = -1;
	if (!pick_column(view_column, &ti, &s))
		return false;
	sql_obj *o = new_obj(kind);
	if (!o)
		return false;
	o->table = ti;
	o->col = s;
	o->variant = rnd(2);
	note("create %s %s on %s.%s", kind_words[kind], o->name, w.tables[ti].name,
	     w.tables[ti].cols[s].name);
	return true;
}

/* The second shape: the row counts of two tables. */
static bool make_view2(int kind)
{
	int a = pick_table(-1), b = pick_table(-1);
	if (a < 0 || b < 0 || a == b)
		return false;
	sql_obj *o = new_obj(kind);
	if (!o)
		return false;
	o->table = a;
	o->table2 = b;
	o->variant = rnd(2);
	note("create %s %s on %s and %s", kind_words[kind], o->name, w.tables[a].name,
	     w.tables[b].name);
	return true;
}

bool ch_create_view(rt_conn *conn)
{
	(void)conn;
	return make_view1(OBJ_VIEW);
}

bool ch_create_view2(rt_conn *conn)
{
	(void)conn;
	return make_view2(OBJ_VIEW);
}

static bool on_tables(const sql_obj *o)
{
	return o->view < 0;
}

bool ch_create_view_on_view(rt_conn *conn)
{
	(void)conn;
	int base = pick_obj(OBJ_VIEW, on_tables);
	sql_obj *o = base >= 0 ? new_obj(OBJ_VIEW) : NULL;
	if (!o)
		return false;
	o->view = base;
	o->variant = rnd(2);
	note("create view %s on view %s", o->name, w.objs[base].name);
	return true;
}

bool replace_obj(int kind)
{
	int i = pick_obj(kind, NULL);
	if (i < 0)
		return false;
	w.objs[i].variant = (w.objs[i].variant + 1) % 2;
	w.objs[i].touched = w.step;
	note("replace %s %s", kind_words[kind], w.objs[i].name);
	return true;
}

bool drop_kind(int kind, bool (*ok)(const sql_obj *o))
{
	int i = pick_obj(kind, ok);
	if (i < 0)
		return false;
	drop_obj(i);
	return true;
}

bool ch_replace_view(rt_conn *conn)
{
	(void)conn;
	return replace_obj(OBJ_VIEW);
}

bool ch_drop_view(rt_conn *conn)
{
	(void)conn;
	return drop_kind(OBJ_VIEW, NULL);
}

bool ch_create_matview(rt_conn *conn)
{
	(void)conn;
	return chance(50) ? make_view1(OBJ_MATVIEW) : make_view2(OBJ_MATVIEW);
}

bool ch_replace_matview(rt_conn *conn)
{
	(void)conn;
	return replace_obj(OBJ_MATVIEW);
}

bool ch_drop_matview(rt_conn *conn)
{
	(void)conn;
	return drop_kind(OBJ_MATVIEW, NULL);
}

/* ---- functions and triggers ------------------------------------------------ */

static bool is_postgres(void)
{
	return strcmp(w.backend, "postgresql") == 0;
}

bool ch_create_function(rt_conn *conn)
{
	(void)conn;
	sql_obj *o = new_obj(OBJ_FUNCTION);
	if (!o)
		return false;
	o->variant = rnd(2);
	note("create function %s", o->name);
	return true;
}

bool ch_replace_function(rt_conn *conn)
{
	(void)conn;
	return replace_obj(OBJ_FUNCTION);
}

/* Does no live trigger run function i? */
static bool unused(const sql_obj *f)
{
	int i = (int)(f - w.objs);
	for (int j = 0; j < w.nobjs; j++)
		if (w.objs[j].live && w.objs[j].func == i)
			return false;
	return true;
}

bool ch_drop_function(rt_conn *conn)
{
	(void)conn;
	return drop_kind(OBJ_FUNCTION, unused);
}

static bool runs_trigger(const sql_obj *f)
{
	return f->trigger_fn;
}

bool ch_create_trigger(rt_conn *conn)
{
	(void)conn;
	int ti = pick_table(-1);
	if (ti < 0 || live_of(OBJ_TRIGGER) >= MAX_LIVE || w.nobjs + 2 > MAX_OBJS)
		return false;
	/* On PostgreSQL a trigger runs a function: one there is, or a new one. */
	int fn = -1;
	if (is_postgres()) {
		fn = chance(50) ? pick_obj(OBJ_FUNCTION, runs_trigger) : -1;
		if (fn < 0) {
			sql_obj *f = new_obj(OBJ_FUNCTION);
			if (!f)
				return false;
			f->trigger_fn = true;
			f->variant = rnd(2);
			fn = (int)(f - w.objs);
			note("create function %s (for a trigger)", f->name);
		}
	}
	sql_obj *o = new_obj(OBJ_TRIGGER);
	if (!o)
		return false;
	o->table = ti;
	o->func = fn;
	o->variant = rnd(2);
	note("create trigger %s on %s", o->name, w.tables[ti].name);
	return true;
}

bool ch_replace_trigger(rt_conn *conn)
{
	(void)conn;
	return replace_obj(OBJ_TRIGGER);
}

bool ch_drop_trigger(rt_conn *conn)
{
	(void)conn;
	int i = pick_obj(OBJ_TRIGGER, NULL);
	if (i < 0)
		return false;
	drop_obj(i);
	/* its function too, now and then, when nothing else runs it */
	int fn = w.objs[i].func;
	if (fn >= 0 && unused(&w.objs[fn]) && chance(50))
		drop_obj(fn);
	return true;
}

/* ---- models.rt ------------------------------------------------------------ */

/* A view's or materialized view's query. */
static void query_sql(rt_buf *b, const sql_obj *o)
{
	if (o->view >= 0) {
		const sql_obj *base = &w.objs[o->view];
		if (base->table2 >= 0)
			rt__buf_printf(b, "SELECT a %s b AS n FROM %s", o->variant ? "-" : "+",
				       obj_ref(base));
		else
			rt__buf_printf(b, "SELECT k AS n FROM %s%s", obj_ref(base),
				       o->variant ? "" : " WHERE v IS NOT NULL");
		return;
	}
	const table *t = &w.tables[o->table];
	if (o->table2 >= 0) {
		const table *u = &w.tables[o->table2];
		rt__buf_printf(b, "SELECT (SELECT count(*) FROM %s) AS a, (SELECT count(*) FROM %s",
			       table_ref(t), table_ref(u));
		if (o->variant)
			rt__buf_printf(b, " WHERE %s IS NOT NULL", u->cols[0].name);
		rt__buf_puts(b, ") AS b");
		return;
	}
	const char *col = t->cols[o->col].name;
	rt__buf_printf(b, "SELECT %s AS k, %s AS v FROM %s", t->cols[0].name, col, table_ref(t));
	if (!o->variant)
		rt__buf_printf(b, " WHERE %s IS NOT NULL", col);
}

static void function_decl(rt_buf *b, const sql_obj *o)
{
	if (!is_postgres()) { /* MariaDB */
		rt__buf_printf(b, "function %s", o->name);
		write_was(b, o);
		rt__buf_printf(b, " $$ CREATE FUNCTION %s(x INT) RETURNS INT DETERMINISTIC "
				  "RETURN x + %d $$\n",
			       o->name, o->variant + 1);
	} else if (o->trigger_fn) {
		rt__buf_printf(b, "function %s()", o->name);
		write_was(b, o);
		rt__buf_printf(b, " $fn$ CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql "
				  "AS $$ BEGIN %sRETURN NEW; END $$ $fn$\n",
			       o->name,
			       o->variant ? "IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF; " : "");
	} else {
		rt__buf_printf(b, "function %s(integer)", o->name);
		write_was(b, o);
		rt__buf_printf(b, " $fn$ CREATE FUNCTION %s(x integer) RETURNS integer LANGUAGE sql "
				  "IMMUTABLE AS $$ SELECT x + %d $$ $fn$\n",
			       o->name, o->variant + 1);
	}
}

static void trigger_decl(rt_buf *b, const sql_obj *o)
{
	const table *t = &w.tables[o->table];
	const char *key = t->cols[0].name;
	rt__buf_printf(b, "trigger %s on %s", o->name, table_ref(t));
	write_was(b, o);
	rt__buf_printf(b, " $$ CREATE TRIGGER %s BEFORE ", o->name);
	if (is_postgres())
		rt__buf_printf(b, "%s ON %s FOR EACH ROW EXECUTE FUNCTION %s()",
			       o->variant ? "INSERT OR UPDATE" : "INSERT", table_ref(t),
			       w.objs[o->func].name);
	else if (strcmp(w.backend, "mariadb") == 0)
		rt__buf_printf(b, "%s ON %s FOR EACH ROW BEGIN IF NEW.%s IS NULL THEN SIGNAL "
				  "SQLSTATE '45000' SET MESSAGE_TEXT = 'no key'; END IF; END",
			       o->variant ? "UPDATE" : "INSERT", table_ref(t), key);
	else
		rt__buf_printf(b, "%s ON %s FOR EACH ROW WHEN NEW.%s IS NULL BEGIN SELECT "
				  "RAISE(ABORT, 'no key'); END",
			       o->variant ? "UPDATE" : "INSERT", table_ref(t), key);
	rt__buf_puts(b, " $$\n");
}

void write_objects(rt_buf *out)
{
	for (int i = 0; i < w.nobjs; i++) {
		const sql_obj *o = &w.objs[i];
		if (!o->live)
			continue;
		rt__buf_putc(out, '\n');
		switch (o->kind) {
		case OBJ_VIEW:
		case OBJ_MATVIEW:
			rt__buf_printf(out, "%s %s", kind_words[o->kind], obj_ref(o));
			write_was(out, o);
			if (o->invoker)
				rt__buf_puts(out, " security invoker");
			rt__buf_puts(out, " $$ ");
			query_sql(out, o);
			rt__buf_puts(out, " $$\n");
			break;
		case OBJ_FUNCTION: function_decl(out, o); break;
		case OBJ_TRIGGER: trigger_decl(out, o); break;
		default: write_routine(out, o); break;
		}
	}
}
