/*
 * evolve_renames.c - the evolution test's renames of SQL objects
 * (evolve.h): a view, materialized view, function, trigger, domain,
 * sequence, aggregate or procedure gets a new name, declared with
 * `was <old name>` for one step, now and then with a change of its SQL
 * in the same step (the other of its texts). Whatever names it (a view
 * on a view, a trigger's function, a column of a domain or a default
 * taking a sequence's nextval) says the new name, as the model writes
 * every text from the names of the moment.
 *
 * The backends keep the rows: a rename touches no table. PostgreSQL
 * renames in place; MariaDB and SQLite drop and make again the kinds
 * they cannot rename, which autogenerate orders for them.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

static const char prefix[OBJ_KIND_COUNT] = { 'v', 'm', 'f', 'g', 'd', 'q', 'a', 'p' };

static const char *const kind_words[OBJ_KIND_COUNT] = {
	"view", "materialized view", "function", "trigger",
	"domain", "sequence", "aggregate", "procedure",
};

bool rename_obj(int kind)
{
	int i = pick_obj(kind, NULL);
	if (i < 0)
		return false;
	sql_obj *o = &w.objs[i];
	memcpy(o->was, o->name, sizeof(o->was)); /* both [24] */
	fresh_name(o->name, sizeof(o->name), prefix[kind]);
	o->touched = w.step;
	note("rename %s %s to %s", kind_words[kind], o->was, o->name);
	if (chance(30)) {
		o->variant = (o->variant + 1) % 2;
		note("(and its SQL changes)");
	}
	return true;
}

void write_was(rt_buf *out, const sql_obj *o)
{
	if (o->was[0])
		rt__buf_printf(out, " was %s", o->was);
}

void forget_renames(void)
{
	for (int i = 0; i < w.ntables; i++) {
		w.tables[i].was[0] = '\0';
		for (int s = 0; s < w.tables[i].ncols; s++)
			w.tables[i].cols[s].was[0] = '\0';
	}
	for (int i = 0; i < w.nobjs; i++)
		w.objs[i].was[0] = '\0';
}
