/*
 * ops_render.h - what the files that plan a migration operation share
 * (ops.h's rt__op_plan and rt__op_render): the renderer of one operation
 * and its helpers (ops_render.c), and each file's operations:
 *
 *   ops_render.c          tables, indexes, constraints, and the planning
 *   ops_render_columns.c  columns and comments
 *   ops_render_enums.c    enum types
 *   ops_render_data.c     execute and insert
 *   ops_schemas.c         PostgreSQL schemas
 */
#ifndef RT_MIGRATE_OPS_RENDER_H
#define RT_MIGRATE_OPS_RENDER_H

#include "migrate/ops.h"
#include "migrate/rebuild.h"

/* One operation being planned. */
typedef struct renderer {
	rt_op_plan *plan;
	rt_buf buf;
	const rt_op *op;
	const rt_schema *state; /* before the operation */
	const rt_dialect *d;
	rt_schema *after;       /* the state after it, made when a rebuild needs it */
} renderer;

/* --- helpers (ops_render.c) ----------------------------------------------------- */

/* Appends name quoted by the dialect to r->buf. */
void rt__render_put_ident(renderer *r, const char *name);
/* Moves r->buf's statement into the plan. */
int rt__render_push(renderer *r, rt_stmt_kind kind);
/* Table `table` of the state, by its name: "schema"."name" for one in a
 * PostgreSQL schema. */
void rt__render_put_table(renderer *r, const char *table);
/* "ALTER TABLE t " */
void rt__render_put_alter_table(renderer *r, const char *table);
/* The table / its column in the state, or NULL after reporting. */
rt_table *rt__render_need_table(renderer *r, const char *name);
rt_column *rt__render_need_column(renderer *r, const rt_table *table, const char *name);
bool rt__render_is_enum(const rt_column *column);
/* Does the table carry an enum CHECK (caps.enum_kind RT_ENUM_CHECK)? */
bool rt__render_has_enum_check(const rt_table *table, const rt_dialect *d);
/* The schema after the operation (made once), or NULL (error recorded). */
rt_schema *rt__render_state_after(renderer *r);
/* Rebuilds table `name` (its name after the operation) into its new
 * definition; current is the table as the database holds it now. */
int rt__render_rebuild_as(renderer *r, const char *name, const rt_table *current);
/* def as the state sees it, named name: enum columns take the state's
 * enum. NULL (error recorded) on failure. */
const rt_table *rt__render_with_state_enums(renderer *r, const rt_table *def, const char *name);
/* The dialect's statement, if any, before index or key name of table
 * (the state's) is dropped (before_drop_index), into the plan. */
int rt__render_before_drop_index(renderer *r, const rt_table *table, const char *name);
/* The dialect's drop of constraint name of table (its definition, or NULL
 * when unknown), into the plan. */
int rt__render_drop_constraint(renderer *r, const rt_table *table, const char *name,
			       const rt_constraint *constraint);
/* A statement sink (dialect.h) into the plan ctx. */
int rt__render_plan_sink(void *ctx, rt_buf *sql, rt_stmt_kind kind);
/* r->buf's text kept in the plan's arena (r->buf cleared); NULL when out
 * of memory (recorded). */
const char *rt__render_keep_sql(renderer *r);

/* --- the operations of the other files ------------------------------------------- */

int rt__render_add_column(renderer *r);
int rt__render_drop_column(renderer *r);
int rt__render_alter_column(renderer *r);
int rt__render_alter_table(renderer *r);
int rt__render_rename_column(renderer *r);
int rt__render_create_enum(renderer *r);
/* create schema / drop schema (ops_schemas.c). */
int rt__render_schema(renderer *r);
int rt__render_drop_enum(renderer *r);
int rt__render_alter_enum_add(renderer *r);
int rt__render_alter_enum_drop(renderer *r);
int rt__render_execute(renderer *r);
int rt__render_insert(renderer *r);

#endif
