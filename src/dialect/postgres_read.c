/*
 * postgres_read.c - a PostgreSQL statement's parameters and result
 * columns: counts, names, and each value of the current row as an
 * rt_value. Results come in text format and are turned into values by
 * the column's type OID (bytea decoded on demand and kept until the row
 * changes).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/number.h"
#include "dialect/postgres_stmt.h"

int rt__pg_param_count(rt_driver_stmt *stmt)
{
	return stmt->param_count;
}

int rt__pg_column_count(rt_driver_stmt *stmt)
{
	return stmt->result ? PQnfields(stmt->result) : 0;
}

const char *rt__pg_column_name(rt_driver_stmt *stmt, int column)
{
	if (!stmt->result || column < 0 || column >= PQnfields(stmt->result))
		return NULL;
	return PQfname(stmt->result, column);
}

static int read_int64(const char *text, int64_t *out)
{
	if (!rt__int64_parse(text, out))
		return rt__error_set(RT_EDATABASE, "unreadable integer from PostgreSQL: %s", text);
	return RT_OK;
}

static int read_double(rt_driver_conn *conn, const char *text, double *out)
{
	locale_t previous = uselocale(conn->c_numeric);
	char *end;
	double v = strtod(text, &end);
	uselocale(previous);
	if (end == text || *end)
		return rt__error_set(RT_EDATABASE, "unreadable number from PostgreSQL: %s", text);
	*out = v;
	return RT_OK;
}

static int read_blob(rt_driver_stmt *stmt, int column, const char *text, rt_value *out)
{
	if (!stmt->blobs[column]) {
		size_t len = 0;
		stmt->blobs[column] = PQunescapeBytea((const unsigned char *)text, &len);
		if (!stmt->blobs[column])
			return rt__error_nomem();
		stmt->blob_lengths[column] = len;
	}
	out->type = RT_VALUE_BLOB;
	out->s = (const char *)stmt->blobs[column];
	out->len = stmt->blob_lengths[column];
	return RT_OK;
}

int rt__pg_column_value(rt_driver_stmt *stmt, int column, rt_value *out)
{
	memset(out, 0, sizeof(*out));
	PGresult *res = stmt->result;
	if (!res || stmt->row < 0 || stmt->row >= stmt->row_count)
		return rt__error_set(RT_EINVAL, "no current row: step the statement first");
	if (column < 0 || column >= PQnfields(res))
		return rt__error_set(RT_EINVAL, "column %d out of range: the result has %d",
				     column, PQnfields(res));
	/* libpq gives a NULL as empty text: only an empty value needs the
	 * question (each call checks its arguments; this runs for every
	 * column of every row). */
	const char *text = PQgetvalue(res, stmt->row, column);
	if (!text[0] && PQgetisnull(res, stmt->row, column)) {
		out->type = RT_VALUE_NULL;
		return RT_OK;
	}
	switch (PQftype(res, column)) {
	case PG_OID_INT2:
	case PG_OID_INT4:
	case PG_OID_INT8:
		out->type = RT_VALUE_INT64;
		return read_int64(text, &out->i);
	case PG_OID_FLOAT4:
	case PG_OID_FLOAT8:
		out->type = RT_VALUE_DOUBLE;
		return read_double(stmt->conn, text, &out->d);
	case PG_OID_BOOL:
		out->type = RT_VALUE_BOOL;
		out->i = text[0] == 't';
		return RT_OK;
	case PG_OID_BYTEA:
		return read_blob(stmt, column, text, out);
	default:
		/* numeric stays text: it is exact, a double is not. */
		out->type = RT_VALUE_TEXT;
		out->s = text;
		out->len = (size_t)PQgetlength(res, stmt->row, column);
		return RT_OK;
	}
}
