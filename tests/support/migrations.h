/*
 * migrations.h - migration scripts built in C for tests of the revision
 * graph, the version table and the runner, so that they need no script
 * parser: a set of revisions with `create table`, `add column`, `drop
 * table`, `drop column` and `execute` operations.
 *
 *     fx_set *s = fx_set_new();
 *     rt_migration *a = fx_rev(s, "aaaa00000001", NULL, "create users");
 *     fx_create_table(s, a, "users", "id bigint primary key\n name string(50)");
 *     rt_migration *b = fx_rev(s, "bbbb00000002", "aaaa00000001", "add email");
 *     fx_add_column(s, b, "users", "email string?");
 *     ... fx_set_free(s);
 *
 * Definitions are written in the schema language and parsed; every
 * operation gets a line number (its place among the script's operations,
 * from 1), so error messages can be checked for file:line.
 */
#ifndef RT_TESTS_SUPPORT_MIGRATIONS_H
#define RT_TESTS_SUPPORT_MIGRATIONS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "migrate/migration.h"
#include "retort.h"

#define FX_MAX_SCHEMAS 4096

typedef struct fx_set {
	rt_migration_set set;
	rt_schema *schemas[FX_MAX_SCHEMAS]; /* parsed definitions, freed with the set */
	size_t schema_count;
} fx_set;

static inline fx_set *fx_set_new(void)
{
	fx_set *s = calloc(1, sizeof(*s));
	if (!s || !(s->set.arena = rt__arena_new())) {
		fprintf(stderr, "fx_set_new: out of memory\n");
		exit(2);
	}
	return s;
}

static inline void fx_set_free(fx_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->schema_count; i++)
		rt_schema_free(s->schemas[i]);
	rt__arena_free(s->set.arena);
	free(s);
}

static inline void fx_die(const char *what)
{
	fprintf(stderr, "fixture: %s: %s\n", what, rt_error_last()->message);
	exit(2);
}

/* Splits a space-separated list into an arena array. */
static inline const char **fx_words(rt_arena *arena, const char *text, size_t *count)
{
	*count = 0;
	if (!text || !*text)
		return NULL;
	const char **words = rt__arena_alloc(arena, (strlen(text) / 2 + 2) * sizeof(*words));
	char *copy = rt__arena_strdup(arena, text);
	if (!words || !copy)
		fx_die("words");
	for (char *word = strtok(copy, " "); word; word = strtok(NULL, " "))
		words[(*count)++] = word;
	return words;
}

/* A revision; revises is a space-separated list of parents, or NULL. The
 * checksum is made from the id, so an "edit" is a change of it. */
static inline rt_migration *fx_rev(fx_set *s, const char *id, const char *revises,
				   const char *message)
{
	rt_arena *arena = s->set.arena;
	rt_migration *m = rt__arena_alloc(arena, sizeof(*m));
	if (!m)
		fx_die("revision");
	m->revision = rt__arena_strdup(arena, id);
	m->message = rt__arena_strdup(arena, message ? message : "");
	m->path = rt__arena_printf(arena, "versions/%s_%s.rt", id, message ? message : "x");
	m->revises = fx_words(arena, revises, &m->revises_count);
	m->checksum = rt__arena_printf(arena, "sha256:%064x", (unsigned)strlen(id) * 7919u);
	m->created = "2024-09-14 16:38:00";
	if (RT_ARENA_PUSH(arena, s->set.items, s->set.count, s->set.cap, m) < 0)
		fx_die("revision");
	return m;
}

static inline void fx_labels(fx_set *s, rt_migration *m, const char *labels)
{
	m->branches = fx_words(s->set.arena, labels, &m->branch_count);
}

static inline void fx_depends(fx_set *s, rt_migration *m, const char *depends)
{
	m->depends = fx_words(s->set.arena, depends, &m->depends_count);
}

static inline rt_op *fx_op(fx_set *s, rt_migration *m, bool upgrade, rt_op_kind kind)
{
	rt_arena *arena = s->set.arena;
	rt_op *op = rt__arena_alloc(arena, sizeof(*op));
	rt_op_list *list = upgrade ? &m->upgrade : &m->downgrade;
	if (!op)
		fx_die("operation");
	op->kind = kind;
	op->pos.file = m->path;
	op->pos.line = (int)(m->upgrade.count + m->downgrade.count + 1);
	op->pos.col = 3;
	if (RT_ARENA_PUSH(arena, list->items, list->count, list->cap, op) < 0)
		fx_die("operation");
	return op;
}

/* Parses `table <name> { <body> }`, after context (other tables it
 * references, or ""), and returns its table. */
static inline rt_table *fx_table_in(fx_set *s, const char *name, const char *body,
				    const char *context)
{
	char text[8192];
	snprintf(text, sizeof(text), "%s\ntable %s {\n %s\n}\n", context, name, body);
	rt_schema *schema;
	if (rt_schema_parse_string(&schema, text, strlen(text), "fixture.rt", NULL) != RT_OK)
		fx_die(text);
	if (s->schema_count == FX_MAX_SCHEMAS)
		fx_die("too many definitions");
	s->schemas[s->schema_count++] = schema;
	return rt__schema_find_table(schema, name);
}

static inline rt_table *fx_table(fx_set *s, const char *name, const char *body)
{
	return fx_table_in(s, name, body, "");
}

static inline rt_op *fx_create_table(fx_set *s, rt_migration *m, bool upgrade,
				     const char *table, const char *body)
{
	rt_op *op = fx_op(s, m, upgrade, RT_OP_CREATE_TABLE);
	op->def = fx_table(s, table, body);
	op->table = op->def->name;
	return op;
}

/* create table with a foreign key: context declares the tables it
 * references (as the schema language would). */
static inline rt_op *fx_create_table_in(fx_set *s, rt_migration *m, bool upgrade,
					const char *table, const char *body, const char *context)
{
	rt_op *op = fx_op(s, m, upgrade, RT_OP_CREATE_TABLE);
	op->def = fx_table_in(s, table, body, context);
	op->table = op->def->name;
	return op;
}

/* alter column t.c null / not null */
static inline rt_op *fx_alter_null(fx_set *s, rt_migration *m, bool upgrade, const char *table,
				   const char *column, bool nullable)
{
	rt_op *op = fx_op(s, m, upgrade, RT_OP_ALTER_COLUMN);
	op->table = rt__arena_strdup(s->set.arena, table);
	op->name = rt__arena_strdup(s->set.arena, column);
	op->null_change = nullable ? RT_ALTER_NULL_SET : RT_ALTER_NULL_DROP;
	return op;
}

static inline rt_op *fx_drop_table(fx_set *s, rt_migration *m, bool upgrade, const char *table)
{
	rt_op *op = fx_op(s, m, upgrade, RT_OP_DROP_TABLE);
	op->table = rt__arena_strdup(s->set.arena, table);
	return op;
}

/* column: "name type ...", one column of the schema language. */
static inline rt_op *fx_add_column(fx_set *s, rt_migration *m, bool upgrade, const char *table,
				   const char *column)
{
	rt_op *op = fx_op(s, m, upgrade, RT_OP_ADD_COLUMN);
	op->def = fx_table(s, table, column);
	op->table = op->def->name;
	op->name = op->def->columns[0]->name;
	return op;
}

static inline rt_op *fx_drop_column(fx_set *s, rt_migration *m, bool upgrade, const char *table,
				    const char *column)
{
	rt_op *op = fx_op(s, m, upgrade, RT_OP_DROP_COLUMN);
	op->table = rt__arena_strdup(s->set.arena, table);
	op->name = rt__arena_strdup(s->set.arena, column);
	return op;
}

/* only: "sqlite", "postgresql" or NULL for both. */
static inline rt_op *fx_execute(fx_set *s, rt_migration *m, bool upgrade, const char *sql,
				const char *only)
{
	rt_op *op = fx_op(s, m, upgrade, RT_OP_EXECUTE);
	op->sql = rt__arena_strdup(s->set.arena, sql);
	op->only_dialect = only;
	return op;
}

/* A revision that creates table name (id, label) and drops it on the way
 * down; the common step of runner tests. */
static inline rt_migration *fx_table_rev(fx_set *s, const char *id, const char *revises,
					 const char *table)
{
	char message[128];
	snprintf(message, sizeof(message), "create %s", table);
	rt_migration *m = fx_rev(s, id, revises, message);
	fx_create_table(s, m, true, table, "id bigint primary key\n label string(50)?");
	fx_drop_table(s, m, false, table);
	return m;
}

#endif
