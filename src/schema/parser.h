/*
 * parser.h - the schema language's syntax tree and the parser that builds
 * it from text (one file and everything it includes).
 *
 * The tree records what was written and where, nothing more: whether
 * `user User` is a relationship or `status CartStatus` an enum column, and
 * every cross-reference, is decided by validation (validate.h) once every
 * file has been read, so declarations may come in any order. Keeping the
 * positions of every part of a member lets validation put its caret on
 * the exact word at fault.
 */
#ifndef RT_SCHEMA_PARSER_H
#define RT_SCHEMA_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/map.h"
#include "schema/diag.h"
#include "schema/metadata.h"

/* A word as written and where; text is NULL when absent. */
typedef struct rt_ast_name {
	const char *text;
	rt_pos pos;
} rt_ast_name;

typedef struct rt_ast_names {
	rt_ast_name *items;
	size_t count, cap;
} rt_ast_names;

/* A position that may be absent (line 0). */
#define RT_POS_SET(p) ((p).line > 0)

typedef struct rt_ast_literal {
	rt_literal value; /* kind RT_LITERAL_NONE when absent */
	rt_pos pos;
} rt_ast_literal;

/* references t(a, b) [on delete ...] [on update ...] */
typedef struct rt_ast_ref {
	rt_pos pos;          /* the `references` keyword; unset when absent */
	rt_ast_name table;
	rt_ast_names columns;
	rt_fk_action on_delete, on_update;
	rt_deferrable deferrable;
} rt_ast_ref;

/* One key of an index: a column as written, or an expression's SQL. */
typedef struct rt_ast_index_key {
	rt_ast_name text;
	bool expr;          /* (a + b) or lower(email): kept verbatim */
	bool desc;
} rt_ast_index_key;

/* What an index says besides its name:
 * [using M] (key [asc|desc], ...) [include (a, b)] [where '<predicate>'] */
typedef struct rt_ast_index {
	rt_ast_index_key *keys;
	size_t key_count, key_cap;
	rt_ast_name method;    /* text NULL: the default (`using btree` too) */
	rt_ast_names include;
	rt_ast_name where;     /* text NULL: none */
} rt_ast_index;

typedef enum rt_ast_member_kind {
	RT_AST_FIELD,       /* name Type ...: a column or a relationship */
	RT_AST_PRIMARY_KEY, /* primary key (a, b) */
	RT_AST_UNIQUE,      /* unique [name] (a, b) */
	RT_AST_INDEX,       /* [unique] index [name] (a, b) */
	RT_AST_CHECK,       /* check [name] '<expr>' */
	RT_AST_FOREIGN_KEY, /* foreign key [name] (a, b) references t(x, y) ... */
	RT_AST_TABLE_NAME,  /* table 'sql_name' */
	RT_AST_COMMENT,     /* comment '...' */
	RT_AST_SCHEMA_NAME, /* schema 'name': the table's PostgreSQL schema */
	RT_AST_DISCRIMINATOR /* discriminator column: the column whose value
			      * tells which model of an inheritance tree a row
			      * is (the name in `name`) */
} rt_ast_member_kind;

typedef enum rt_ast_autoincrement {
	RT_AST_AUTOINCREMENT_UNSET = 0,
	RT_AST_AUTOINCREMENT_ON,
	RT_AST_AUTOINCREMENT_OFF
} rt_ast_autoincrement;

/* Constraints written on a column; positions unset when not written. */
typedef struct rt_ast_column_options {
	rt_ast_name first;      /* the first one written, for the error when
				 * the member turns out to be a relationship */
	rt_pos primary_key, unique, index;
	rt_ast_autoincrement autoincrement;
	rt_pos autoincrement_pos;
	rt_ast_literal default_value, server_default;
	rt_ast_ref references;
	rt_ast_name check;      /* text is the expression */
	rt_ast_name comment;
	rt_ast_name sql_name;   /* column 'sql_name' */
	rt_ast_name was;
	rt_ast_name collation;  /* collate NAME */
	rt_ast_name generated;  /* generated '<expr>': text is the expression */
	bool generated_virtual; /* ... virtual (else stored) */
	rt_pos server_onupdate; /* server onupdate now */
	rt_pos version;         /* version: the optimistic-locking counter */
	rt_pos onupdate;        /* onupdate now: the ORM sets it on each UPDATE */
} rt_ast_column_options;

/* Options written on a relationship. */
typedef struct rt_ast_relationship_options {
	rt_ast_name first;      /* the first one written, for the error when
				 * the member turns out to be a column */
	rt_ast_name back, through;
	rt_ast_name on_table, on_column; /* on [table.]column */
	rt_ast_name order_by;
	bool order_desc;
	rt_pos cascade_delete, delete_orphan;
} rt_ast_relationship_options;

/* What members without options point to, so that readers never test for
 * NULL. (Options live apart from the member because most members have
 * few of them: a big schema's tree stays small.) */
extern const rt_ast_column_options rt__ast_no_column_options;
extern const rt_ast_relationship_options rt__ast_no_relationship_options;

typedef struct rt_ast_member {
	rt_ast_member_kind kind;
	rt_pos pos;             /* first token of the member */
	rt_ast_name name;       /* the field's name, or a constraint's given name */

	/* RT_AST_FIELD */
	rt_ast_name type_name;  /* as written: bigint, CartStatus */
	bool builtin;           /* type is filled in; else type_name names an
				 * enum or a model, resolved by validation */
	rt_type type;
	bool optional;          /* Type? */
	rt_pos optional_pos;    /* where the '?' is */
	bool is_list;           /* Name[]: a relationship to many rows of a
				 * model, or an array of an enum (a built-in
				 * type's array is type.array) */
	const rt_ast_column_options *col;       /* never NULL */
	const rt_ast_relationship_options *rel; /* never NULL */

	/* table-level members */
	rt_ast_names columns;   /* primary key, unique, foreign key */
	bool unique_index;      /* unique index */
	const rt_ast_index *index; /* index; NULL for the others */
	const rt_ast_ref *ref;  /* foreign key; NULL for the others */
	rt_ast_name text;       /* check expression, table name, comment */
	bool verbatim;          /* table "name": a quoted SQL name, taken as it
				 * is (table 'a.b' reads as schema a, table b) */
} rt_ast_member;

typedef enum rt_ast_decl_kind {
	RT_AST_MODEL,
	RT_AST_TABLE,
	RT_AST_MIXIN,
	RT_AST_ENUM,
	RT_AST_SQL_OBJECT   /* view, materialized view, function, trigger */
} rt_ast_decl_kind;

/* A key of `partition by m (a, 'lower(b)')`: a column's name, or an
 * expression in quotes. */
typedef struct rt_ast_partition_key {
	rt_ast_name text;
	bool expression;
} rt_ast_partition_key;

/* table t ... partition of p for values '...' | default,
 * model M / table t ... partition by m (keys): absent parts unset. */
typedef struct rt_ast_partitioning {
	rt_ast_name of;         /* the partitioned table's name */
	rt_ast_name bound;      /* text after 'for values' */
	rt_pos is_default;      /* `default` instead of a bound */
	rt_ast_name method;     /* range, list or hash, as written */
	rt_ast_partition_key *keys;
	size_t key_count, key_cap;
} rt_ast_partitioning;

typedef struct rt_ast_decl {
	rt_ast_decl_kind kind;
	rt_pos pos;             /* the keyword */
	rt_ast_name name;
	rt_ast_names uses;      /* model ... uses A, B */
	rt_ast_name was;
	rt_ast_name view;       /* model Name view v: the view it reads; text NULL when absent */
	/* model Name extends Parent identity 'x': the model it inherits from
	 * (its rows live in the parent's table) and the discriminator value
	 * of its rows; text NULL when absent. A root may have an identity. */
	rt_ast_name extends;
	rt_ast_name identity;
	/* model Name extends Parent table t: joined-table inheritance, the
	 * model's own columns in table t, whose primary key is its parent's
	 * and references it; text NULL when absent. */
	rt_ast_name joined_table;
	unsigned options;       /* model / table ... strict without rowid: rt_table_option bits */
	rt_ast_name collation;  /* model / table ... collate NAME; text NULL when absent */
	rt_ast_partitioning partition;
	bool no_body;           /* a partition declared without { ... } */
	rt_ast_member **members;
	size_t member_count, member_cap;
	rt_ast_names values;    /* enum values */
	/* enum billing.State, view billing.v, ...: the PostgreSQL schema
	 * before the dot; text NULL when the name has none. An object's name
	 * then holds it too ("billing.v", as a table's does); an enum's
	 * does not (State: the C type's name). */
	rt_ast_name schema;

	/* RT_AST_SQL_OBJECT: view v $$...$$, function f(args) $$...$$,
	 * trigger t on table $$...$$ */
	rt_sql_kind sql_kind;
	rt_ast_name args;       /* "(integer, text)", normalized; text NULL when absent */
	rt_ast_name on_table;   /* a trigger's table */
	rt_ast_name body;       /* the SQL; text NULL when absent (a script's drop) */
	rt_pos no_data;         /* materialized view v with no data: where it says so */
	rt_pos security_invoker; /* view v security invoker: where it says so */
	bool has_indexes;       /* materialized view v $$...$$ { index ... }: members */
} rt_ast_decl;

/* Every declaration of every file, in reading order (an included file's
 * declarations where its include stands). */
typedef struct rt_ast {
	rt_ast_decl **decls;
	size_t count, cap;
} rt_ast;

/* Reads a whole file for an include. Returns 0 with the text (allocated in
 * arena), or -1 with *reason saying why (e.g. "No such file or directory"). */
typedef int (*rt_schema_read_fn)(void *user, rt_arena *arena, const char *path,
				 const char **text, size_t *len, const char **reason);

typedef struct rt_parse_ctx {
	rt_arena *arena;        /* the tree, token values, file contents */
	rt_arena *keep;         /* file names, which positions point to: they
				 * must outlive the parse (the schema's arena) */
	rt_diag_list *diags;
	rt_schema_read_fn read; /* NULL: includes are refused */
	void *read_user;
	rt_ast ast;
	rt_map files;           /* normalized path -> "active" or "done" */
	const char **stack;     /* the files being read, outermost first */
	size_t depth, stack_cap;
	size_t total;           /* bytes of every file read so far */
} rt_parse_ctx;

/* The most a schema's files may hold together, includes and all (each
 * file on its own at most RT_FILE_MAX_BYTES, base/file.h). */
#define RT_SCHEMA_MAX_TOTAL_BYTES ((size_t)64 << 20)

void rt__parse_init(rt_parse_ctx *ctx, rt_arena *arena, rt_arena *keep,
		    rt_diag_list *diags, rt_schema_read_fn read, void *read_user);

/* Parses text as the file named file (the base of its relative includes)
 * and appends its declarations to ctx->ast. Errors go to ctx->diags. */
void rt__parse_source(rt_parse_ctx *ctx, const char *file, const char *text, size_t len);

/* The reader for real files. */
int rt__schema_read_file(void *user, rt_arena *arena, const char *path,
			 const char **text, size_t *len, const char **reason);

/* Joins a relative path to the folder of base and normalizes it lexically
 * ("a/./b/../c" -> "a/c"). An absolute path is only normalized. */
char *rt__path_resolve(rt_arena *arena, const char *base, const char *path);

/* The front door behind rt_schema_parse_file/string (parse.c), with the
 * include reader chosen by the caller (the fuzzer refuses includes). When
 * path is set the main file is read through read; else text/len/name are
 * parsed. */
int rt__schema_parse(rt_schema **out, const char *path, const char *text, size_t len,
		     const char *name, int max_errors, rt_schema_read_fn read,
		     void *read_user);

/* Built-in type names, for messages and suggestions. */
extern const char *const rt__builtin_type_names[];
extern const size_t rt__builtin_type_count;

#endif
