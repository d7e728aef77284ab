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

/* The table of state holding index `name` of op (drop index): op->table
 * when the script names it, else the one table with such an index (index
 * names are per table: one two tables have must be told by its table).
 * NULL with the error recorded, naming op, otherwise. */
rt_table *rt__op_index_table(const rt_schema *state, const rt_op *op, const char *name,
			     rt_index **index);

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
 * violation is an error naming the table). Errors name the operation's
 * script position before the database's message. */
struct rt_conn;
int rt__op_execute(struct rt_conn *conn, const rt_op *op, const rt_schema *state);
/* The same, and *ran says how many of op's statements completed, also on
 * failure: 0 when it failed before changing anything (a refusal before
 * the first statement, or the first statement failing), which a caller
 * running outside a transaction needs to know. */
int rt__op_execute_counted(struct rt_conn *conn, const rt_op *op, const rt_schema *state,
			   size_t *ran);

/*
 * Foreign keys around a migration transaction. A SQLite table rebuild
 * drops the old table; with foreign-key enforcement on, SQLite first
 * deletes its rows, firing the ON DELETE actions (CASCADE, SET NULL) of
 * the tables that reference it and leaving their rows counted as broken.
 * So rt__op_execute refuses to rebuild a table another table references
 * while enforcement is on, and a migration run does what SQLite's manual
 * prescribes: enforcement off before BEGIN, every key checked before
 * COMMIT, enforcement back on after COMMIT or ROLLBACK. On a dialect
 * that always enforces keys (PostgreSQL) these do nothing.
 */
int rt__op_foreign_keys_off(struct rt_conn *conn);   /* outside a transaction */
int rt__op_foreign_keys_on(struct rt_conn *conn);    /* outside a transaction */
/* Checks the rows of table (every table when NULL) against their foreign
 * keys: RT_OK, or RT_ECONSTRAINT naming the table, the key and the row. */
int rt__op_check_foreign_keys(struct rt_conn *conn, const char *table);

/* Before `alter enum E drop value 'x'` runs: RT_OK when no row of any
 * column of E (as state holds it) holds the value, else an error naming
 * each column with its row count and the first rows' keys, before any
 * statement has changed anything (ops_enum_rows.c). */
int rt__op_check_enum_rows(struct rt_conn *conn, const rt_op *op, const rt_schema *state);

/* Records "file:line:col: <operation>: <message>" for op (just the
 * message when op is NULL); returns RT_EINVAL. */
int rt__op_fail(const rt_op *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefixes the error just recorded with "file:line:col: <operation>"; returns rc. */
int rt__op_wrap(const rt_op *op, int rc);
/* The operation's words in messages: "add column", "drop index", ... */
const char *rt__op_verb(rt_op_kind kind);
/* Does constraint c use column: in its columns, or in its CHECK expression? */
bool rt__op_constraint_uses(const rt_constraint *c, const char *column);

/* A new empty schema for replay, or NULL (error recorded). */
rt_schema *rt__op_state_new(void);

/* A deep copy of a replay state (tables, keys, indexes, enums), with its
 * own arena, or NULL (error recorded). */
rt_schema *rt__op_state_copy(const rt_schema *state);

#endif
