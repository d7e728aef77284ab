/*
 * evolve_schemas.c - the evolution test's second schema (evolve.h): on a
 * backend whose tables may live in schemas (caps.schemas: PostgreSQL),
 * the run's retort.ini lists `schemas = public, billing`, and a table, an
 * enum, a view or a sequence may be made in schema billing:
 *
 *   table t12 { schema 'billing' ... }     enum billing.E3 { ... }
 *   view billing.v7 $$ ... $$              sequence billing.q9 $$ ... $$
 *
 * They then change and go by the kinds of change of their kind (columns
 * added, a view replaced, an enum value added, a sequence renamed ...),
 * and by a replace and a drop of their own here so that each comes up.
 * Whatever names them names them with the schema (billing.t12 in a
 * view's query, a trigger's table, a foreign key; nextval('billing.q9')),
 * except an enum as a column's type, whose name is one namespace. Nothing
 * moves between schemas (refused by design), and a partitioned table
 * stays in public.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

#define SCHEMA "billing"

/* Four texts at a time: a format's arguments may each be one. */
static const char *qualified(bool billing, const char *name)
{
	static char texts[4][48];
	static int next;
	char *out = texts[next++ % 4];
	snprintf(out, sizeof(texts[0]), "%s%s", billing ? SCHEMA "." : "", name);
	return out;
}

const char *table_ref(const table *t)
{
	return qualified(t->billing, t->name);
}

const char *obj_ref(const sql_obj *o)
{
	return qualified(o->billing, o->name);
}

const char *enum_ref(const enum_def *e)
{
	return qualified(e->billing, e->name);
}

bool ch_create_billing_table(rt_conn *conn)
{
	(void)conn;
	if (!w.schemas || !make_table(false))
		return false;
	table *t = &w.tables[w.ntables - 1];
	t->billing = true;
	note("(in schema " SCHEMA ")");
	return true;
}

bool ch_create_billing_enum(rt_conn *conn)
{
	if (!w.schemas || !ch_create_enum(conn))
		return false;
	w.enums[w.nenums - 1].billing = true;
	note(" (in schema " SCHEMA ")");
	return true;
}

/* A view or sequence made by make(), moved into billing before anything
 * names it. */
static bool billing_obj(bool (*make)(rt_conn *), rt_conn *conn)
{
	int before = w.nobjs;
	if (!w.schemas || !make(conn) || w.nobjs == before)
		return false;
	w.objs[w.nobjs - 1].billing = true;
	note(" (in schema " SCHEMA ")");
	return true;
}

bool ch_create_billing_view(rt_conn *conn)
{
	return billing_obj(ch_create_view, conn);
}

bool ch_create_billing_sequence(rt_conn *conn)
{
	return billing_obj(ch_create_sequence, conn);
}

static bool in_billing(const sql_obj *o)
{
	return o->billing;
}

bool ch_replace_billing_obj(rt_conn *conn)
{
	(void)conn;
	int kind = chance(50) ? OBJ_VIEW : OBJ_SEQUENCE;
	int i = pick_obj(kind, in_billing);
	if (i < 0)
		return false;
	w.objs[i].variant = (w.objs[i].variant + 1) % 2;
	w.objs[i].touched = w.step;
	note("replace %s", obj_ref(&w.objs[i]));
	return true;
}

/* A sequence goes once no column's default takes it. */
static bool dropped_billing(const sql_obj *o)
{
	return o->billing && (o->kind != OBJ_SEQUENCE || no_default_takes(o));
}

bool ch_drop_billing_obj(rt_conn *conn)
{
	(void)conn;
	return drop_kind(chance(50) ? OBJ_VIEW : OBJ_SEQUENCE, dropped_billing);
}
