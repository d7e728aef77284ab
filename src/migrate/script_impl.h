/*
 * script_impl.h - the state of one script being parsed, shared by
 * script_parse.c (the header and the two blocks) and script_ops.c (the
 * operations). Not used elsewhere; script.h is the interface.
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
	rt_diag_list *diags;
	/* Enums the block created so far, name -> const rt_enum* (values as
	 * the block left them): what column defaults are checked against. */
	rt_map enums;
	bool unknown_header_line; /* a header line was not understood */
	rt_pos header_end;        /* just after the header's last text */
} rt_script;

/* Does the current token start an operation (or a block) on a new line? */
bool rt__script_starts_op(rt_parser *p);

/* Reads one operation at the current token and appends it to list.
 * Returns 0, or -1 after reporting (the caller skips the rest). */
int rt__script_op(rt_script *s, rt_op_list *list);

/* A copy of text in the migration's arena (NULL stays NULL); NULL with
 * nomem recorded when out of memory. */
const char *rt__script_keep(rt_script *s, const char *text);

#endif
