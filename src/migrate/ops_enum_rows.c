/*
 * ops_enum_rows.c - before a value leaves an enum, the rows that still
 * hold it (rt__op_check_enum_rows, ops.h).
 *
 * Dropping a value some row holds cannot be done without changing that
 * row, and retort never changes data behind the user's back: the
 * operation is refused before any statement runs, naming every column
 * that holds the value, how many rows do, and the first rows by their
 * primary key, so the user can fix them (or write the data migration)
 * first. The statements would fail on such a row anyway; this says why
 * in the user's terms.
 */
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "engine/engine.h"
#include "migrate/ops.h"
#include "migrate/ops_state.h"

/* Rows named in the message, per column. */
#define SHOWN_ROWS 5

/* SELECT <key columns, or the column> FROM t WHERE c = ?; for an array
 * of the enum, the dialect's words for "c holds ?" (array_holds). */
static void put_query(rt_buf *sql, const rt_dialect *d, const rt_table *table,
		      const rt_column *column)
{
	const rt_constraint *pk = table->primary_key;
	rt__buf_puts(sql, "SELECT ");
	if (pk && pk->column_count) {
		for (size_t i = 0; i < pk->column_count; i++) {
			rt__buf_puts(sql, i ? ", " : "");
			d->quote_ident(sql, pk->columns[i]);
		}
	} else {
		d->quote_ident(sql, column->name);
	}
	rt__buf_puts(sql, " FROM ");
	rt__ddl_put_table(sql, d, table);
	rt__buf_puts(sql, " WHERE ");
	rt_buf operand = RT_BUF_INIT;
	d->quote_ident(&operand, column->name);
	if (column->type.array && d->array_holds) {
		d->array_holds(sql, rt__buf_cstr(&operand));
	} else {
		rt__buf_puts(sql, rt__buf_cstr(&operand));
		rt__buf_puts(sql, " = ?");
	}
	if (rt__buf_failed(&operand))
		sql->failed = true;
	rt__buf_free(&operand);
}

/* Appends "t.c in N rows (id 1, id 3, ...)" to out when rows of the column
 * hold value. */
static int rows_holding(rt_conn *conn, const rt_table *table, const rt_column *column,
			const char *value, rt_buf *out)
{
	rt_buf sql = RT_BUF_INIT, keys = RT_BUF_INIT;
	put_query(&sql, conn->dialect, table, column);
	if (rt__buf_failed(&sql)) {
		rt__buf_free(&sql);
		return rt__error_nomem();
	}
	rt_stmt *stmt = NULL;
	int rc = rt_stmt_prepare(&stmt, conn, rt__buf_cstr(&sql));
	if (rc == RT_OK)
		rc = rt_stmt_bind_text(stmt, 1, value, -1);
	const rt_constraint *pk = table->primary_key;
	size_t count = 0;
	while (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_ROW) {
		rc = RT_OK;
		if (++count > SHOWN_ROWS || !pk || !pk->column_count)
			continue;
		rt__buf_puts(&keys, count > 1 ? ", " : "");
		for (size_t i = 0; i < pk->column_count; i++) {
			const char *text = rt_stmt_column_text(stmt, (int)i);
			rt__buf_printf(&keys, "%s%s %s", i ? " " : "", pk->columns[i],
				       text ? text : "NULL");
		}
	}
	if (rc == RT_DONE)
		rc = RT_OK;
	rt_stmt_finalize(stmt);
	if (rc == RT_OK && count > 0) {
		rt__buf_printf(out, "%s%s.%s in %zu row%s", out->len ? "; " : "", table->name,
			       column->name, count, count == 1 ? "" : "s");
		if (keys.len)
			rt__buf_printf(out, " (%s%s)", rt__buf_cstr(&keys),
				       count > SHOWN_ROWS ? ", ..." : "");
	}
	if (rc == RT_OK && (rt__buf_failed(&keys) || rt__buf_failed(out)))
		rc = rt__error_nomem();
	rt__buf_free(&sql);
	rt__buf_free(&keys);
	return rc;
}

int rt__op_check_enum_rows(rt_conn *conn, const rt_op *op, const rt_schema *state)
{
	if (!conn || !op || !state)
		return rt__error_set(RT_EINVAL, "rt__op_check_enum_rows: NULL argument");
	const rt_enum *e = op->name ? rt__state_find_enum(state, op->name) : NULL;
	if (!e || !op->value)
		return RT_OK; /* the operation itself reports what it lacks */
	rt_buf found = RT_BUF_INIT;
	int rc = RT_OK;
	for (size_t t = 0; rc == RT_OK && t < state->table_count; t++) {
		const rt_table *table = state->tables[t];
		for (size_t i = 0; rc == RT_OK && i < table->column_count; i++) {
			const rt_column *column = table->columns[i];
			if (column->type.kind == RT_TYPE_ENUM && column->type.enum_type == e)
				rc = rows_holding(conn, table, column, op->value, &found);
		}
	}
	if (rc < 0) {
		rt__error_wrap("%s:%d:%d: %s", op->pos.file ? op->pos.file : "<script>",
			       op->pos.line, op->pos.col, rt__op_verb(op->kind));
	} else if (found.len) {
		rc = rt__op_fail(op, "cannot drop value '%s' from enum %s: rows still hold it: "
				 "%s; change or delete them first",
				 op->value, e->name, rt__buf_cstr(&found));
	}
	rt__buf_free(&found);
	return rc;
}
