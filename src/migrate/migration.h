/*
 * migration.h - migration scripts in memory: the header of each script, its
 * upgrade and downgrade operations, and the set of scripts of a versions
 * folder.
 *
 * A script (DESIGN §2) is parsed once into an rt_migration; everything
 * later works on these structures: the revision graph (graph.h), rendering
 * an operation as SQL for a dialect and applying it to an in-memory schema
 * (ops.h), the runner (runner.h), autogenerate (diff.h) and the script
 * printer. A script set owns all of its memory: its arena, plus the
 * scratch schema of each script, freed with the set.
 *
 * Definitions inside operations reuse the metadata model (metadata.h): the
 * body of `create table`, the column of `add column`, the constraint of
 * `add unique|foreign key|check` are rt_table / rt_column / rt_constraint
 * values, in normal form, held by one scratch rt_schema per script (their
 * `def` table). Cross-table references in them (a foreign key to a table
 * the database already has) are not resolved at parse time: the schema the
 * script runs against is only known when it runs.
 */
#ifndef RT_MIGRATE_MIGRATION_H
#define RT_MIGRATE_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "schema/metadata.h"

typedef enum rt_op_kind {
	RT_OP_CREATE_TABLE,      /* create table t { ... }            def: the table */
	RT_OP_DROP_TABLE,        /* drop table t [{ ... }]            def: the table, or NULL */
	RT_OP_RENAME_TABLE,      /* rename table a to b               table, new_name */
	RT_OP_ALTER_TABLE,       /* alter table t [strict | not strict] [without rowid |
				  *   with rowid] [comment '...' | drop comment]
				  *                                  table, options_set/clear,
				  *                                  comment_change */
	RT_OP_ADD_COLUMN,        /* add column t.c <column>          def: table t holding c
				  *                                  and c's column-level
				  *                                  constraints/index */
	RT_OP_DROP_COLUMN,       /* drop column t.c [<column>]        def as above, or NULL */
	RT_OP_ALTER_COLUMN,      /* alter column t.c [type T] [null|not null]
				  *   [server default X | drop server default] [using '<expr>']
				  *   [collate NAME | drop collate]
				  *   [server onupdate now | drop server onupdate]
				  *   [comment '...' | drop comment] */
	RT_OP_RENAME_COLUMN,     /* rename column t.c to d            table, name, new_name */
	RT_OP_CREATE_INDEX,      /* create [unique] index n on t (a, b)   index */
	RT_OP_DROP_INDEX,        /* drop index n [on t (a, b)]         index (columns may be empty) */
	RT_OP_ADD_CONSTRAINT,    /* add unique|foreign key|check n on t ...   constraint */
	RT_OP_DROP_CONSTRAINT,   /* drop constraint n on t [<definition>]     constraint */
	RT_OP_CREATE_ENUM,       /* create enum E { a, b }            enum_def */
	RT_OP_DROP_ENUM,         /* drop enum E [{ a, b }]            enum_def (values may be empty) */
	RT_OP_ALTER_ENUM_ADD,    /* alter enum E add value 'x'        name = E, value */
	RT_OP_ALTER_ENUM_DROP,   /* alter enum E drop value 'x'       name = E, value */
	RT_OP_EXECUTE,           /* execute '<sql>' [only <backend>] */
	RT_OP_INSERT,            /* insert into t (a, b) values (...), (...) */
	/* Views, materialized views, functions, triggers (rt_sql_object):
	 * create view v $$...$$, create function f(args) $$...$$,
	 * create trigger t on users $$...$$, ...      object */
	RT_OP_CREATE_OBJECT,
	RT_OP_REPLACE_OBJECT,    /* replace view v $$new$$ [was $$old$$]   object, old_sql */
	RT_OP_DROP_OBJECT,       /* drop view v [$$old$$]   object (its sql NULL when not given) */
	RT_OP_RENAME_OBJECT,     /* rename view a to b, rename function f(int) to g,
				  * rename trigger t on users to u, ...
				  *                                  object (old name, no sql),
				  *                                  new_name */
	RT_OP_CREATE_SCHEMA,     /* create schema s (PostgreSQL)     name */
	RT_OP_DROP_SCHEMA        /* drop schema s: an empty one       name */
} rt_op_kind;

/* What `alter column` changes; the rest is left as it is. */
typedef enum rt_alter_default {
	RT_ALTER_DEFAULT_KEEP = 0,
	RT_ALTER_DEFAULT_SET,    /* server default X */
	RT_ALTER_DEFAULT_DROP    /* drop server default */
} rt_alter_default;

/* What `alter column` and `alter table` do to the comment. */
typedef enum rt_alter_comment {
	RT_ALTER_COMMENT_KEEP = 0,
	RT_ALTER_COMMENT_SET,    /* comment '...' */
	RT_ALTER_COMMENT_DROP    /* drop comment */
} rt_alter_comment;

/* What `alter column` does to the collation. */
typedef enum rt_alter_collation {
	RT_ALTER_COLLATION_KEEP = 0,
	RT_ALTER_COLLATION_SET,  /* collate NAME */
	RT_ALTER_COLLATION_DROP  /* drop collate: the type's default */
} rt_alter_collation;

/* What `alter column` does to `server onupdate now`. */
typedef enum rt_alter_onupdate {
	RT_ALTER_ONUPDATE_KEEP = 0,
	RT_ALTER_ONUPDATE_SET,   /* server onupdate now */
	RT_ALTER_ONUPDATE_DROP   /* drop server onupdate */
} rt_alter_onupdate;

typedef enum rt_alter_null {
	RT_ALTER_NULL_KEEP = 0,
	RT_ALTER_NULL_SET,       /* null */
	RT_ALTER_NULL_DROP       /* not null */
} rt_alter_null;

typedef struct rt_op {
	rt_op_kind kind;
	rt_pos pos;                /* the operation's first word in the script */

	const char *table;         /* SQL name of the table it acts on */
	const char *name;          /* column, index, constraint or enum name */
	const char *new_name;      /* renames */

	rt_table *def;             /* create/drop table, add/drop column */
	rt_index *index;           /* create/drop index */
	rt_constraint *constraint; /* add/drop constraint (kind, columns, ...) */
	rt_enum *enum_def;         /* create/drop enum */
	const char *value;         /* alter enum add value / drop value */

	/* alter column */
	bool set_type;
	rt_type type;              /* enum types by enum name (type.enum_name) */
	rt_alter_null null_change;
	rt_alter_default default_change;
	rt_literal server_default; /* RT_ALTER_DEFAULT_SET */
	const char *using_expr;    /* USING cast for a type change, or NULL */
	rt_alter_collation collation_change;
	const char *collation;     /* RT_ALTER_COLLATION_SET */
	rt_alter_onupdate onupdate_change;

	/* alter table: the table options it sets and clears (rt_table_option bits) */
	unsigned options_set, options_clear;

	/* alter column, alter table */
	rt_alter_comment comment_change;
	const char *comment;       /* RT_ALTER_COMMENT_SET */

	/* A line the script printer writes above the operation, as a `# `
	 * comment: why autogenerate wrote it so (a generated column dropped
	 * and added again). NULL: none. Not read back from a script. */
	const char *note;

	/* execute */
	const char *sql;
	const char *only_dialect;  /* a backend's name (dialect/registry.h), or NULL for all */

	/* create, replace, drop a view, function or trigger */
	rt_sql_object *object;
	const char *old_sql;       /* replace: the SQL it had (`was`), or NULL */

	/* insert: column_count names, row_count rows of column_count literals */
	const char **columns;
	size_t column_count;
	rt_literal **rows;
	size_t row_count;
} rt_op;

typedef struct rt_op_list {
	rt_op **items;
	size_t count, cap;
} rt_op_list;

typedef struct rt_migration {
	const char *path;          /* the file, or the name it was embedded as */
	const char *message;       /* the first comment line: "create account table" */
	const char *revision;      /* 12 hex digits (any id the user chose) */
	const char **revises;      /* parents; empty for a first revision (`base`) */
	size_t revises_count;
	const char **branches;     /* branch labels */
	size_t branch_count;
	const char **depends;      /* depends_on revisions */
	size_t depends_count;
	const char *created;       /* "2024-09-14 16:38:00", or NULL */
	bool no_transaction;       /* `transaction none`: statement by statement,
				    * outside a transaction (runner.h) */
	rt_op_list upgrade;
	rt_op_list downgrade;
	rt_pos upgrade_pos, downgrade_pos;
	const char *checksum;      /* "sha256:<64 hex>" of the file's bytes */
	rt_schema *scratch;        /* holds the operations' definitions */
} rt_migration;

/* The scripts of one versions folder (or of an embedded array). */
typedef struct rt_migration_set {
	rt_arena *arena;
	rt_migration **items;      /* in file-name order */
	size_t count, cap;
} rt_migration_set;

#endif
