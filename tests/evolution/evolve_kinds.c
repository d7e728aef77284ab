/*
 * evolve_kinds.c - the evolution test's kinds of change (evolve.h): each
 * with its weight, whether the dialect has it, and the kind that makes
 * what it changes; the random choice of one change, which covers every
 * kind early, and the count of each a run made.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

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
static bool has_schemas(void) { return w.schemas; }
static bool has_onupdate(void) { return w.onupdate; }
static bool has_table_collation(void) { return w.table_collation; }
static bool has_view_invoker(void) { return w.view_invoker; }

static bool ch_rename_view(rt_conn *conn) { (void)conn; return rename_obj(OBJ_VIEW); }
static bool ch_rename_matview(rt_conn *conn) { (void)conn; return rename_obj(OBJ_MATVIEW); }
static bool ch_rename_function(rt_conn *conn) { (void)conn; return rename_obj(OBJ_FUNCTION); }
static bool ch_rename_trigger(rt_conn *conn) { (void)conn; return rename_obj(OBJ_TRIGGER); }
static bool ch_rename_domain(rt_conn *conn) { (void)conn; return rename_obj(OBJ_DOMAIN); }
static bool ch_rename_sequence(rt_conn *conn) { (void)conn; return rename_obj(OBJ_SEQUENCE); }
static bool ch_rename_aggregate(rt_conn *conn) { (void)conn; return rename_obj(OBJ_AGGREGATE); }
static bool ch_rename_procedure(rt_conn *conn) { (void)conn; return rename_obj(OBJ_PROCEDURE); }

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
	{ "rename view", ch_rename_view, 1, has_views, "create view", 0 },
	{ "create materialized view", ch_create_matview, 2, has_matviews, NULL, 0 },
	{ "replace materialized view", ch_replace_matview, 2, has_matviews, "create materialized view", 0 },
	{ "drop materialized view", ch_drop_matview, 1, has_matviews, "create materialized view", 0 },
	{ "rename materialized view", ch_rename_matview, 1, has_matviews, "create materialized view", 0 },
	{ "create function", ch_create_function, 1, has_functions, NULL, 0 },
	{ "replace function", ch_replace_function, 2, has_functions, "create function", 0 },
	{ "drop function", ch_drop_function, 1, has_functions, "create function", 0 },
	{ "rename function", ch_rename_function, 1, has_functions, "create function", 0 },
	{ "create trigger", ch_create_trigger, 2, has_triggers, NULL, 0 },
	{ "replace trigger", ch_replace_trigger, 2, has_triggers, "create trigger", 0 },
	{ "drop trigger", ch_drop_trigger, 1, has_triggers, "create trigger", 0 },
	{ "rename trigger", ch_rename_trigger, 1, has_triggers, "create trigger", 0 },
	{ "create domain", ch_create_domain, 2, has_domains, NULL, 0 },
	{ "replace domain", ch_replace_domain, 2, has_domains, "create domain", 0 },
	{ "column to domain", ch_column_to_domain, 1, has_domains, "create domain", 0 },
	{ "domain to int", ch_domain_to_int, 1, has_domains, "create domain", 0 },
	{ "drop domain", ch_drop_domain, 1, has_domains, "create domain", 0 },
	{ "rename domain", ch_rename_domain, 1, has_domains, "create domain", 0 },
	{ "create sequence", ch_create_sequence, 1, has_sequences, NULL, 0 },
	{ "replace sequence", ch_replace_sequence, 2, has_sequences, "create sequence", 0 },
	{ "drop sequence", ch_drop_sequence, 1, has_sequences, "create sequence", 0 },
	{ "rename sequence", ch_rename_sequence, 1, has_sequences, "create sequence", 0 },
	{ "default from a sequence", ch_sequence_default, 1, has_sequences, "create sequence", 0 },
	{ "create aggregate", ch_create_aggregate, 1, has_aggregates, NULL, 0 },
	{ "replace aggregate", ch_replace_aggregate, 2, has_aggregates, "create aggregate", 0 },
	{ "drop aggregate", ch_drop_aggregate, 1, has_aggregates, "create aggregate", 0 },
	{ "rename aggregate", ch_rename_aggregate, 1, has_aggregates, "create aggregate", 0 },
	{ "create procedure", ch_create_procedure, 1, has_procedures, NULL, 0 },
	{ "replace procedure", ch_replace_procedure, 2, has_procedures, "create procedure", 0 },
	{ "drop procedure", ch_drop_procedure, 1, has_procedures, "create procedure", 0 },
	{ "rename procedure", ch_rename_procedure, 1, has_procedures, "create procedure", 0 },
	{ "add array column", ch_add_array_column, 3, has_arrays, NULL, 0 },
	{ "column to array", ch_column_to_array, 2, has_arrays, NULL, 0 },
	{ "drop array column", ch_drop_array_column, 1, has_arrays, "add array column", 0 },
	{ "add verbatim column", ch_add_verbatim_column, 2, has_verbatim, NULL, 0 },
	{ "drop verbatim column", ch_drop_verbatim_column, 1, has_verbatim, "add verbatim column", 0 },
	{ "create table in billing", ch_create_billing_table, 2, has_schemas, NULL, 0 },
	{ "create enum in billing", ch_create_billing_enum, 1, has_schemas, NULL, 0 },
	{ "create view in billing", ch_create_billing_view, 1, has_schemas, NULL, 0 },
	{ "create sequence in billing", ch_create_billing_sequence, 1, has_schemas, NULL, 0 },
	{ "replace object in billing", ch_replace_billing_obj, 1, has_schemas, "create view in billing", 0 },
	{ "drop object in billing", ch_drop_billing_obj, 1, has_schemas, "create view in billing", 0 },
	{ "add server onupdate", ch_add_onupdate, 2, has_onupdate, "add column", 0 },
	{ "drop server onupdate", ch_drop_onupdate, 1, has_onupdate, "add server onupdate", 0 },
	{ "set table collation", ch_set_table_collation, 2, has_table_collation, NULL, 0 },
	{ "change table collation", ch_change_table_collation, 1, has_table_collation, "set table collation", 0 },
	{ "drop table collation", ch_drop_table_collation, 1, has_table_collation, "set table collation", 0 },
	{ "view security invoker", ch_view_invoker, 1, has_view_invoker, "create view", 0 },
	{ "view security definer", ch_view_definer, 1, has_view_invoker, "view security invoker", 0 },
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
