/*
 * rebuild.h - the statements one migration operation becomes (a plan), and
 * the table rebuild for what a dialect cannot alter in place. Shared by
 * ops_render.c (which plans every operation), ops_execute.c (which runs
 * plans) and rebuild.c.
 */
#ifndef RT_MIGRATE_REBUILD_H
#define RT_MIGRATE_REBUILD_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/buf.h"
#include "dialect/dialect.h"
#include "schema/metadata.h"
#include "sql/ddl.h"

typedef struct rt_op_plan {
	rt_arena *arena;
	rt_sql_list *sql;         /* the statements, in order */
	const char **rebuilt;     /* tables rebuilt, by their name after the operation */
	size_t rebuilt_count, rebuilt_cap;
	bool deferred;            /* the foreign-key deferral was written */
	/* Online: the connection the plan is carried out on, and how many of
	 * its statements have run there. A rebuild runs the statements before
	 * it first, then reads the database as it stands for what the model
	 * does not describe (the dialect's rebuild_carry). NULL offline, where
	 * a rebuild is made from the model alone. */
	struct rt_conn *conn;
	size_t ran;
} rt_op_plan;

/* Moves buf's text into the plan as one statement of kind (buf is
 * cleared). */
int rt__plan_push(rt_op_plan *plan, rt_buf *buf, rt_stmt_kind kind);
/* Appends a constant statement. */
int rt__plan_push_text(rt_op_plan *plan, const char *sql, rt_stmt_kind kind);

struct rt_op;

/*
 * Appends the rebuild of a table: create "_rt_new_<t>" with table's new
 * definition, copy into it the columns that current (the table as the
 * database holds it at this point, under the same name) has too, drop the
 * old table, rename the new one, and recreate the indexes (online, with
 * what the dialect's rebuild_carry keeps). after is the
 * schema after the operation (enum values, other tables). A new NOT NULL
 * column without a server default cannot be filled from the old rows: an
 * error before any statement. op gives the error its position.
 */
int rt__rebuild_table(rt_op_plan *plan, const struct rt_op *op, const rt_schema *after,
		      const rt_table *table, const rt_table *current,
		      const rt_dialect *dialect);

/* Plans op (ops_render.c): appends its statements to plan, given state,
 * the schema before it. When a rebuild needed the schema after op, *after
 * receives it (the caller frees it; NULL otherwise); after may be NULL. */
int rt__op_plan(rt_op_plan *plan, const struct rt_op *op, const rt_schema *state,
		const rt_dialect *dialect, rt_schema **after);
/* Pieces of `insert` shared by the text and the live statements. */
/* state: the schema before the operation (its table's PostgreSQL schema). */
void rt__op_insert_head(rt_buf *buf, const struct rt_op *op, const rt_schema *state,
			const rt_dialect *dialect);
int rt__op_insert_check(const struct rt_op *op);
/* Does an `execute` run on this dialect (no `only`, or `only` it)? */
bool rt__op_runs_here(const struct rt_op *op, const rt_dialect *dialect);

/* Runs, on plan->conn, the statements of the plan not run yet; errors
 * name op's position. */
int rt__plan_run(rt_op_plan *plan, const struct rt_op *op);

/* A failed statement of a rebuild names the new table under its
 * temporary name: the recorded message is made to name the user's table. */
void rt__rebuild_error_names(const rt_op_plan *plan);

/* Is table referenced by a foreign key (its own ones included)? */
bool rt__rebuild_is_referenced(const rt_schema *schema, const rt_table *table);

#endif
