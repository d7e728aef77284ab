/*
 * ops.h - what a migration operation does: to a live database (as SQL for
 * a dialect) and to a schema in memory (replay).
 *
 * The runner keeps the schema the database is at by replaying every
 * script from base (rt__op_apply); each operation is rendered against that
 * state (rt__op_render), which is how SQLite, which cannot alter a column
 * or a constraint in place, gets the full definition it needs to rebuild
 * the table. Autogenerate and `revision --autogenerate --against history`
 * use the same replay.
 */
#ifndef RT_MIGRATE_OPS_H
#define RT_MIGRATE_OPS_H

#include "base/arena.h"
#include "dialect/dialect.h"
#include "migrate/migration.h"
#include "schema/metadata.h"
#include "sql/ddl.h"

/* Applies op to state (the schema before it), leaving the schema after it.
 * Errors (RT_EINVAL, message naming the script position) when op does not
 * fit the state: a table that does not exist, a column already there, ... */
int rt__op_apply(rt_schema *state, const rt_op *op);

/* Appends to list the SQL text that carries out op on dialect, given
 * state, the schema before op, for reading (`upgrade --sql`, offline
 * mode): values of `insert` are written as SQL literals there. Statements
 * are allocated in arena. On SQLite an operation it cannot do in place
 * becomes a table rebuild (create new, copy, drop, rename, recreate
 * indexes), keeping rows and foreign keys. */
int rt__op_render(rt_arena *arena, rt_sql_list *list, const rt_op *op,
		  const rt_schema *state, const rt_dialect *dialect);

/* Carries out op on a live connection (inside the runner's transaction),
 * given state, the schema before op: the same statements as rt__op_render
 * except that `insert` values are bound parameters, never SQL text, and a
 * SQLite table rebuild is followed by PRAGMA foreign_key_check (a
 * violation is an error naming the table). */
struct rt_conn;
int rt__op_execute(struct rt_conn *conn, const rt_op *op, const rt_schema *state);

/* A new empty schema for replay, or NULL (error recorded). */
rt_schema *rt__op_state_new(void);

#endif
