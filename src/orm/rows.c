/*
 * rows.c - results that are rows, not objects: raw SQL (rt_session_sql)
 * and aggregate queries (rt_query_rows), read with the rt_rows_*
 * accessors.
 *
 * Both run in the session's transaction after its pending changes are
 * flushed. The statement is the rows' own (not the connection's cached
 * one), so other queries may run while the rows are read; the first step
 * is taken at once, so that a statement without rows (UPDATE ...) has run
 * when rt_session_sql returns and an error is reported there.
 *
 * rt_rows_object maps columns of the current row to an object of the
 * session, as a query's rows are (the identity map's object when the
 * session has it): raw SQL, a CTE or a window function, with typed rows.
 */
#include <stdlib.h>

#include "base/error.h"
#include "orm/query.h"

struct rt_rows {
	rt_session *session;  /* whose objects rt_rows_object returns */
	rt_stmt *stmt;
	int first;       /* the first step's result, until rt_rows_next takes it */
	bool done;
};

static int rows_start(rt_rows **out, rt_session *session, rt_stmt *stmt)
{
	rt_rows *rows = calloc(1, sizeof(*rows));
	if (!rows) {
		rt_stmt_finalize(stmt);
		return rt__error_nomem();
	}
	rows->session = session;
	rows->stmt = stmt;
	int rc = rt_stmt_step(stmt);
	if (rc < 0) {
		rt_rows_free(rows);
		return rc;
	}
	rows->first = rc;
	*out = rows;
	return RT_OK;
}

int rt_session_sql(rt_rows **out, rt_session *session, const char *sql,
		   const rt_value_ref *params, size_t param_count)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_session_sql: out is NULL");
	*out = NULL;
	int rc = rt__session_check(session);
	if (rc < 0)
		return rc;
	if (!sql || (param_count && !params))
		return rt__error_set(RT_EINVAL, "rt_session_sql: NULL %s", sql ? "params" : "sql");
	rc = rt__flush(session);
	rt_conn *conn = NULL;
	if (rc == RT_OK)
		rc = rt__session_conn(session, &conn);
	rt_stmt *stmt = NULL;
	if (rc == RT_OK)
		rc = rt_stmt_prepare(&stmt, conn, sql);
	/* Too few values would leave placeholders bound to NULL, too many
	 * would be dropped: either is the program's mistake, said before the
	 * statement runs (and before a failed bind could disturb the
	 * transaction). */
	int expected = rc == RT_OK ? rt__stmt_param_count(stmt) : -1;
	if (expected >= 0 && (size_t)expected != param_count)
		rc = rt__error_set(RT_EINVAL, "rt_session_sql: the statement has %d parameter%s "
					      "(placeholders), %zu value%s given",
				   expected, expected == 1 ? "" : "s", param_count,
				   param_count == 1 ? "" : "s");
	for (size_t i = 0; rc == RT_OK && i < param_count; i++)
		rc = rt__value_bind(stmt, (int)i + 1, &params[i], NULL);
	if (rc < 0) {
		rt_stmt_finalize(stmt);
		return rc;
	}
	return rows_start(out, session, stmt);
}

int rt_query_rows(rt_query *query, rt_rows **out)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_query_rows: out is NULL");
	*out = NULL;
	int rc = rt__query_check(query);
	if (rc == RT_OK)
		rc = rt__session_check(query->session);
	if (rc == RT_OK)
		rc = rt__flush(query->session);
	if (rc == RT_OK)
		rc = rt__query_compile(query, RT_SELECT_ROWS, -1);
	rt_conn *conn = NULL;
	if (rc == RT_OK)
		rc = rt__session_conn(query->session, &conn);
	rt_stmt *stmt = NULL;
	if (rc == RT_OK)
		rc = rt_stmt_prepare(&stmt, conn, rt__buf_cstr(&query->sql));
	if (rc == RT_OK)
		rc = rt__query_bind(query, stmt);
	if (rc < 0) {
		rt_stmt_finalize(stmt);
		return rc;
	}
	return rows_start(out, query->session, stmt);
}

int rt_rows_next(rt_rows *rows)
{
	if (!rows)
		return rt__error_set(RT_EINVAL, "rt_rows_next: NULL rows");
	if (rows->done)
		return RT_DONE;
	int rc;
	if (rows->first) {
		rc = rows->first;
		rows->first = 0;
	} else {
		rc = rt_stmt_step(rows->stmt);
	}
	if (rc != RT_ROW)
		rows->done = true;
	return rc;
}

int rt_rows_column_count(rt_rows *rows)
{
	return rows ? rt_stmt_column_count(rows->stmt) : 0;
}

bool rt_rows_is_null(rt_rows *rows, int column)
{
	return !rows || rt_stmt_column_is_null(rows->stmt, column);
}

int64_t rt_rows_int64(rt_rows *rows, int column)
{
	return rows ? rt_stmt_column_int64(rows->stmt, column) : 0;
}

double rt_rows_double(rt_rows *rows, int column)
{
	return rows ? rt_stmt_column_double(rows->stmt, column) : 0.0;
}

const char *rt_rows_text(rt_rows *rows, int column)
{
	return rows ? rt_stmt_column_text(rows->stmt, column) : NULL;
}

rt_bytes rt_rows_blob(rt_rows *rows, int column)
{
	rt_bytes bytes = {NULL, 0};
	if (rows)
		bytes.data = rt_stmt_column_blob(rows->stmt, column, &bytes.len);
	return bytes;
}

void rt_rows_free(rt_rows *rows)
{
	if (!rows)
		return;
	rt_stmt_finalize(rows->stmt);
	free(rows);
}

int rt_rows_object(rt_rows *rows, const rt_model_desc *model, int first_column, void *out)
{
	if (!rows || !model || !out)
		return rt__error_set(RT_EINVAL, "rt_rows_object: NULL %s",
				     !rows ? "rows" : !model ? "model" : "out");
	*(void **)out = NULL;
	if (model->version != RT_MODEL_DESC_VERSION)
		return rt__error_set(RT_EINVAL, "rt_rows_object: unknown model description "
						"version (regenerate the code)");
	if (rows->done || rows->first)
		return rt__error_set(RT_EINVAL, "rt_rows_object: no current row (call "
						"rt_rows_next first)");
	int columns = rt_stmt_column_count(rows->stmt);
	if (first_column < 0 || first_column + model->column_count > columns)
		return rt__error_set(RT_EINVAL, "rt_rows_object: %s has %d columns, the row %d "
						"from column %d",
				     model->name, model->column_count,
				     columns - first_column, first_column);
	int rc = rt__session_check(rows->session);
	return rc < 0 ? rc
		      : rt__object_from_row(rows->session, model, rows->stmt, first_column,
					    (void **)out);
}
