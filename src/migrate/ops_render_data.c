/*
 * ops_render_data.c - the SQL of the data operations, planned as
 * ops_render.h describes: `execute` (on the dialects it names) and
 * `insert`. Offline the rows are written as SQL literals; online (ops.h's
 * rt__op_insert_head / rt__op_insert_check, used by ops_execute.c) the
 * values are bound parameters, and only `now` and `sql '...'` expressions,
 * which are SQL by nature, are written into the statement.
 */
#include "migrate/ops_render.h"

#include <string.h>

#include "base/error.h"

/* --- data ------------------------------------------------------------------------------------ */

bool rt__op_runs_here(const rt_op *op, const rt_dialect *d)
{
	return !op->only_dialect || strcmp(op->only_dialect, d->name) == 0;
}

int rt__render_execute(renderer *r)
{
	if (!r->op->sql)
		return rt__op_fail(r->op, "no SQL to execute");
	if (!rt__op_runs_here(r->op, r->d))
		return RT_OK;
	const char *sql = rt__arena_strdup(r->plan->arena, r->op->sql);
	return sql ? rt__plan_push_text(r->plan, sql, RT_STMT_OTHER) : rt__error_nomem();
}

void rt__op_insert_head(rt_buf *buf, const rt_op *op, const rt_schema *state,
			const rt_dialect *d)
{
	rt__buf_puts(buf, "INSERT INTO ");
	rt__ddl_put_table_named(buf, d, state, op->table);
	rt__buf_puts(buf, " (");
	for (size_t i = 0; i < op->column_count; i++) {
		if (i > 0)
			rt__buf_puts(buf, ", ");
		d->quote_ident(buf, op->columns[i]);
	}
	rt__buf_puts(buf, ") VALUES ");
}

static void put_value(rt_buf *buf, const rt_literal *value, const rt_dialect *d)
{
	if (value->kind == RT_LITERAL_NONE)
		rt__buf_puts(buf, "NULL");
	else
		rt__ddl_literal(buf, value, d);
}

int rt__op_insert_check(const rt_op *op)
{
	if (!op->table || op->column_count == 0)
		return rt__op_fail(op, "no table or columns to insert into");
	if (op->row_count == 0)
		return rt__op_fail(op, "no rows to insert into %s", op->table);
	return RT_OK;
}

/* Offline, the rows are written as SQL literals, all in one statement. */
int rt__render_insert(renderer *r)
{
	const rt_op *op = r->op;
	int rc = rt__op_insert_check(op);
	if (rc < 0)
		return rc;
	rt__op_insert_head(&r->buf, op, r->state, r->d);
	for (size_t row = 0; row < op->row_count; row++) {
		rt__buf_puts(&r->buf, row > 0 ? ", (" : "(");
		for (size_t i = 0; i < op->column_count; i++) {
			if (i > 0)
				rt__buf_puts(&r->buf, ", ");
			put_value(&r->buf, &op->rows[row][i], r->d);
		}
		rt__buf_putc(&r->buf, ')');
	}
	return rt__render_push(r, RT_STMT_OTHER);
}
