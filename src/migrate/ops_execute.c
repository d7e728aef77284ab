/*
 * ops_execute.c - carrying out a migration operation on a live connection
 * (rt__op_execute): the plan ops_render.c makes, run statement by
 * statement, with `insert` values bound as parameters, and the checks a
 * table rebuild needs before and after it (foreign-key enforcement, the
 * rebuilt table's integrity and keys).
 */
#include "migrate/ops.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "engine/engine.h"
#include "migrate/ops_state.h"
#include "migrate/rebuild.h"

/* The error just recorded, prefixed with the operation's position (ops.h). */
int rt__op_wrap(const rt_op *op, int rc)
{
	rt__error_wrap("%s:%d:%d: %s", op->pos.file ? op->pos.file : "<script>", op->pos.line,
		       op->pos.col, rt__op_verb(op->kind));
	return rc;
}

/* Is 64-bit integer text? */
static bool integer_text(const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	long long value = strtoll(text, &end, 10);
	if (errno || end == text || *end)
		return false;
	*out = value;
	return true;
}

/* Binds one literal, or reports that it is an expression written inline. */
static int bind_value(rt_stmt *stmt, int index, const rt_literal *value)
{
	const char *text = value->text ? value->text : "";
	int64_t i;
	switch (value->kind) {
	case RT_LITERAL_NONE:
		return rt_stmt_bind_null(stmt, index);
	case RT_LITERAL_BOOL:
		return rt_stmt_bind_bool(stmt, index, strcmp(text, "true") == 0);
	case RT_LITERAL_NUMBER:
		/* Integers as integers; decimals as their exact text (a NUMERIC
		 * keeps every digit); numbers with an exponent as doubles. */
		if (integer_text(text + (*text == '+'), &i))
			return rt_stmt_bind_int64(stmt, index, i);
		if (!strpbrk(text, "eE"))
			return rt_stmt_bind_text(stmt, index, text + (*text == '+'), -1);
		return rt_stmt_bind_double(stmt, index, strtod(text, NULL));
	case RT_LITERAL_STRING:
	case RT_LITERAL_ENUM:
		return rt_stmt_bind_text(stmt, index, text, -1);
	case RT_LITERAL_NOW:
	case RT_LITERAL_SQL:
		break;
	}
	return RT_OK;
}

static bool is_expression(const rt_literal *value)
{
	return value->kind == RT_LITERAL_NOW || value->kind == RT_LITERAL_SQL;
}

/* One row: the statement text (placeholders, and expressions inline). */
static void put_row_statement(rt_buf *buf, const rt_op *op, const rt_schema *state,
			      const rt_literal *row, const rt_dialect *d)
{
	rt__op_insert_head(buf, op, state, d);
	rt__buf_putc(buf, '(');
	for (size_t i = 0; i < op->column_count; i++) {
		if (i > 0)
			rt__buf_puts(buf, ", ");
		if (is_expression(&row[i]))
			rt__ddl_literal(buf, &row[i], d);
		else
			rt__buf_putc(buf, '?');
	}
	rt__buf_putc(buf, ')');
}

/* Rows are inserted one statement each, the statement prepared again only
 * when a row's expressions make its text differ from the previous one. */
static int execute_insert(rt_conn *conn, const rt_op *op, const rt_schema *state, size_t *ran)
{
	int rc = rt__op_insert_check(op);
	if (rc < 0)
		return rc;
	rt_buf sql = RT_BUF_INIT, previous = RT_BUF_INIT;
	rt_stmt *stmt = NULL;
	for (size_t row = 0; rc == RT_OK && row < op->row_count; row++) {
		const rt_literal *values = op->rows[row];
		rt__buf_clear(&sql);
		put_row_statement(&sql, op, state, values, conn->dialect);
		if (rt__buf_failed(&sql) || rt__buf_failed(&previous)) {
			rc = rt__error_nomem();
			break;
		}
		if (stmt && strcmp(rt__buf_cstr(&sql), rt__buf_cstr(&previous)) == 0) {
			rc = rt_stmt_reset(stmt);
		} else {
			rt_stmt_finalize(stmt);
			stmt = NULL;
			rc = rt_stmt_prepare(&stmt, conn, rt__buf_cstr(&sql));
			rt__buf_clear(&previous);
			rt__buf_puts(&previous, rt__buf_cstr(&sql));
		}
		int index = 1;
		for (size_t i = 0; rc == RT_OK && i < op->column_count; i++)
			if (!is_expression(&values[i]))
				rc = bind_value(stmt, index++, &values[i]);
		if (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_DONE) {
			rc = RT_OK;
			(*ran)++;
		} else if (rc == RT_ROW)
			rc = rt__error_set(RT_EINVAL, "INSERT returned rows");
	}
	rt_stmt_finalize(stmt);
	rt__buf_free(&sql);
	rt__buf_free(&previous);
	return rc < 0 ? rt__op_wrap(op, rc) : RT_OK;
}

/* Is foreign-key enforcement on for this connection? */
static int foreign_keys_enabled(rt_conn *conn, bool *on)
{
	*on = false;
	const char *query = conn->dialect->foreign_keys_enabled;
	if (!query)
		return RT_OK;
	rt_stmt *stmt = NULL;
	int rc = rt_stmt_prepare(&stmt, conn, query);
	if (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_ROW) {
		*on = rt_stmt_column_int64(stmt, 0) != 0;
		rc = RT_OK;
	} else if (rc == RT_DONE) {
		rc = RT_OK;
	}
	rt_stmt_finalize(stmt);
	return rc;
}

/* A rebuilt table that foreign keys reference (its own included) cannot
 * be dropped while keys are enforced: its rows would be deleted first,
 * through the keys' ON DELETE actions, or counted as broken. Refused
 * before any statement runs. */
static int check_rebuilds_allowed(rt_conn *conn, const rt_op *op, const rt_op_plan *plan,
				  const rt_schema *after)
{
	const char *referenced = NULL;
	for (size_t i = 0; after && !referenced && i < plan->rebuilt_count; i++) {
		const rt_table *table = rt__schema_find_table(after, plan->rebuilt[i]);
		if (table && rt__rebuild_is_referenced(after, table))
			referenced = table->name;
	}
	if (!referenced)
		return RT_OK;
	bool on;
	int rc = foreign_keys_enabled(conn, &on);
	if (rc < 0 || !on)
		return rc < 0 ? rt__op_wrap(op, rc) : RT_OK;
	return rt__op_fail(op, "table %s must be rebuilt on %s, and foreign keys reference "
			   "it: with foreign keys enforced, dropping the old table would "
			   "delete the referencing rows or leave them broken; run the "
			   "migration with foreign keys off (%s before the transaction), as "
			   "the retort runner does",
			   referenced, conn->dialect->name,
			   conn->dialect->foreign_keys_off ? conn->dialect->foreign_keys_off
							   : "enforcement off");
}

/* After a rebuild, the rebuilt tables' rows and indexes are checked, and
 * their rows and those of every table referencing them against their
 * keys. */
static int check_rebuilt_tables(rt_conn *conn, const rt_op_plan *plan, const rt_schema *after)
{
	int rc = RT_OK;
	const rt_dialect *d = conn->dialect;
	for (size_t i = 0; rc == RT_OK && i < plan->rebuilt_count; i++) {
		if (d->check_integrity &&
		    (rc = d->check_integrity(d, conn->driver, plan->rebuilt[i])) < 0)
			break;
		rc = rt__op_check_foreign_keys(conn, plan->rebuilt[i]);
		for (size_t t = 0; rc == RT_OK && after && t < after->table_count; t++) {
			const rt_table *other = after->tables[t];
			for (size_t k = 0; k < other->constraint_count; k++) {
				const rt_constraint *c = other->constraints[k];
				if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
				    strcmp(c->ref_table, plan->rebuilt[i]) == 0 &&
				    strcmp(other->name, plan->rebuilt[i]) != 0) {
					rc = rt__op_check_foreign_keys(conn, other->name);
					break;
				}
			}
		}
	}
	return rc;
}

/*
 * The operation is planned once from the model; when that plan rebuilds
 * a table, the rebuild is checked to be allowed, and the operation is
 * planned again on the connection, which runs the statements before each
 * rebuild and lets the dialect read what the rebuild must keep.
 */
static int execute_plan(rt_conn *conn, const rt_op *op, const rt_schema *state, size_t *ran)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_sql_list list = {0};
	rt_op_plan plan = {.arena = arena, .sql = &list};
	rt_schema *after = NULL;
	int rc = rt__op_plan(&plan, op, state, conn->dialect, &after);
	if (rc == RT_OK && plan.rebuilt_count > 0)
		rc = check_rebuilds_allowed(conn, op, &plan, after);
	if (rc == RT_OK && plan.rebuilt_count > 0 && conn->dialect->rebuild_carry) {
		rt_schema_free(after);
		after = NULL;
		list = (rt_sql_list){0};
		plan = (rt_op_plan){.arena = arena, .sql = &list, .conn = conn};
		rc = rt__op_plan(&plan, op, state, conn->dialect, &after);
	}
	/* The statements the second plan ran before a rebuild count too. */
	*ran = plan.ran;
	for (size_t i = plan.ran; rc == RT_OK && i < list.count; i++)
		if ((rc = rt_conn_execute(conn, list.items[i])) < 0) {
			rt__rebuild_error_names(&plan);
			rc = rt__op_wrap(op, rc);
		} else {
			(*ran)++;
		}
	if (rc == RT_OK && plan.rebuilt_count > 0 &&
	    (rc = check_rebuilt_tables(conn, &plan, after)) < 0)
		rc = rt__op_wrap(op, rc);
	rt_schema_free(after);
	rt__arena_free(arena);
	return rc;
}

/*
 * A dialect that restates a column whole to change it (restate_check)
 * checks, on the database, that the restatement loses nothing: the
 * column an alter column changes, the columns a change of a table's
 * collation restates with it (those that follow the table's), and where
 * an enum's values are the column's own type (RT_ENUM_INLINE), every
 * column of the enum a value goes into or out of.
 */
static int check_restated(rt_conn *conn, const rt_op *op, const rt_schema *state)
{
	const rt_dialect *d = conn->dialect;
	if (!d->restate_check)
		return RT_OK;
	int rc = RT_OK;
	if (op->kind == RT_OP_ALTER_COLUMN) {
		const rt_table *table = op->table ? rt__schema_find_table(state, op->table) : NULL;
		const rt_column *column =
			table && op->name ? rt__table_find_column(table, op->name) : NULL;
		if (column)
			rc = d->restate_check(d, conn->driver, table->name, column);
	} else if (op->kind == RT_OP_ALTER_TABLE && op->collation_change != RT_ALTER_COLLATION_KEEP) {
		const rt_table *table = op->table ? rt__schema_find_table(state, op->table) : NULL;
		for (size_t i = 0; table && rc == RT_OK && i < table->column_count; i++)
			if (rt__column_follows_table_collation(table->columns[i],
							       d->verbatim_takes_collation))
				rc = d->restate_check(d, conn->driver, table->name,
						      table->columns[i]);
	} else if ((op->kind == RT_OP_ALTER_ENUM_ADD || op->kind == RT_OP_ALTER_ENUM_DROP) &&
		   d->caps.enum_kind == RT_ENUM_INLINE) {
		const rt_enum *e = op->name ? rt__state_find_enum(state, op->name) : NULL;
		for (size_t t = 0; e && rc == RT_OK && t < state->table_count; t++) {
			const rt_table *table = state->tables[t];
			for (size_t i = 0; rc == RT_OK && i < table->column_count; i++)
				if (table->columns[i]->type.kind == RT_TYPE_ENUM &&
				    table->columns[i]->type.enum_type == e)
					rc = d->restate_check(d, conn->driver, table->name,
							      table->columns[i]);
		}
	}
	return rc < 0 ? rt__op_wrap(op, rc) : RT_OK;
}

int rt__op_execute(rt_conn *conn, const rt_op *op, const rt_schema *state)
{
	size_t ran;
	return rt__op_execute_counted(conn, op, state, &ran);
}

int rt__op_execute_counted(rt_conn *conn, const rt_op *op, const rt_schema *state, size_t *ran)
{
	size_t unused;
	if (!ran)
		ran = &unused;
	*ran = 0;
	if (!conn || !op || !state)
		return rt__error_set(RT_EINVAL, "rt__op_execute: NULL argument");
	if (op->kind == RT_OP_INSERT)
		return execute_insert(conn, op, state, ran);
	if (op->kind == RT_OP_EXECUTE && op->sql && !rt__op_runs_here(op, conn->dialect))
		return RT_OK;
	if (op->kind == RT_OP_ALTER_ENUM_DROP) {
		/* A value still held by a row is refused before any statement. */
		int rc = rt__op_check_enum_rows(conn, op, state);
		if (rc < 0)
			return rc;
	}
	int rc = check_restated(conn, op, state);
	return rc < 0 ? rc : execute_plan(conn, op, state, ran);
}
