/*
 * script_impl.h - the state of one script being parsed, shared by
 * script_parse.c (the header and the two blocks), script_ops.c (the
 * operations on tables, columns and enums, and which operation a line
 * holds), script_keys.c (indexes and constraints), script_data.c
 * (execute, insert) and script_objects.c (views, functions, triggers). Not used elsewhere; script.h is the interface.
 */
#ifndef RT_MIGRATE_SCRIPT_IMPL_H
#define RT_MIGRATE_SCRIPT_IMPL_H

#include "base/arena.h"
#include "base/map.h"
#include "migrate/migration.h"
#include "schema/diag.h"
#include "schema/parser_impl.h"

typedef struct rt_script {
	rt_parser p;          /* the schema language's parser, on the blocks */
	rt_parse_ctx ctx;
	rt_migration *m;
	rt_arena *keep;       /* m->scratch's arena: what the migration keeps */
	rt_arena *tmp;        /* tokens and syntax trees, dropped after the parse */
	rt_arena *body;       /* a table body's tree and its validation's
	                       * temporaries, dropped once it is built (or NULL) */
	rt_diag_list *diags;
	/* Enums the block created so far, name -> const rt_enum* (values as
	 * the block left them): what column defaults are checked against. */
	rt_map enums;
	bool unknown_header_line; /* a header line was not understood */
	rt_pos header_end;        /* just after the header's last text */
} rt_script;

/* Does the current token start an operation (or a block) on a new line? */
bool rt__script_starts_op(rt_parser *p);

/* Pieces script_ops.c shares with script_alter.c: table.column into
 * op->table and op->name; a new declaration of the script's own; a member
 * appended to it; a declaration validated alone into schema. */
int rt__script_take_column_ref(rt_script *s, rt_op *op, rt_pos *column_pos);
rt_ast_decl *rt__script_new_decl(rt_script *s, rt_ast_decl_kind kind, rt_pos pos);
int rt__script_push_member(rt_script *s, rt_ast_decl *decl, rt_ast_member *m);
void rt__script_build(rt_script *s, rt_schema *schema, rt_ast_decl *decl);
/* alter column t.c ... and alter table t ... (script_alter.c). */
int rt__script_op_alter_column(rt_script *s, rt_op *op);
int rt__script_op_alter_table(rt_script *s, rt_op *op);
/* The table options after a table's name, up to the end of the line or
 * what is not one: their bits in *options. set false reads the words that
 * clear one (alter table t not strict) instead (script_ops.c). */
int rt__script_table_options(rt_script *s, unsigned *options, bool set);

/* Reads one operation at the current token and appends it to list.
 * Returns 0, or -1 after reporting (the caller skips the rest). */
int rt__script_op(rt_script *s, rt_op_list *list);

/* A copy of text in the migration's arena (NULL stays NULL); NULL with
 * nomem recorded when out of memory. */
const char *rt__script_keep(rt_script *s, const char *text);

/* --- pieces of the operations' grammar (script_ops.c) ---------------------------
 * Those that read return 0, or -1 after reporting. */

/* A name the operation creates obeys PostgreSQL's 63-byte limit. */
int rt__script_check_length(rt_script *s, rt_pos pos, const char *what, const char *name);
/* A SQL name (identifier or "quoted"), kept in the migration; pos may be
 * NULL. */
int rt__script_take_sql_name(rt_script *s, const char **out, rt_pos *pos, const char *what);
/* A table's name, schema.name for one in a PostgreSQL schema. */
int rt__script_take_table_name(rt_script *s, const char **out, const char *what);
/* `on t`, into op->table. */
int rt__script_take_on_table(rt_script *s, rt_op *op);
/* (a, b): a column list, each column once, kept in the migration. */
int rt__script_take_columns(rt_script *s, const char ***out, size_t *count,
			    const char *what);
/* Has the operation's line ended (a new line, '}' or the end)? */
bool rt__script_at_line_end(rt_script *s);
/* Is the current token `word`, on the operation's line? */
bool rt__script_is_word(rt_script *s, const char *word);

/* --- the readers of some operations, after their first words ------------------ */

/* script_keys.c: at `[unique] index` / `unique|primary|foreign|check` /
 * after `constraint`'s first word. */
int rt__script_create_index(rt_script *s, rt_op *op);
int rt__script_drop_index(rt_script *s, rt_op *op);
int rt__script_add_constraint(rt_script *s, rt_op *op);
int rt__script_drop_constraint(rt_script *s, rt_op *op);
/* script_data.c: after `execute` / at `into`. */
int rt__script_execute(rt_script *s, rt_op *op);
int rt__script_insert(rt_script *s, rt_op *op);
/* script_objects.c: at `view`, `materialized view`, `function`,
 * `trigger`, ... after create, replace, drop or rename. */
int rt__script_sql_object(rt_script *s, rt_op *op);

#endif
