/*
 * evolve_rows.c - the rows of the evolution test (evolve.h): each row's
 * value of a column (bound, never written into the SQL; identifiers
 * quoted), inserted, read back and compared with what was stored after
 * every step, columns filled as a change needs, and every row deleted
 * before downgrade base.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evolution/evolve.h"

static void quote(rt_buf *b, const char *ident)
{
	rt__buf_printf(b, "\"%s\"", ident); /* our names are [a-z0-9_] */
}

/* A table's name, with its schema when it is not the default one. */
static void quote_table(rt_buf *b, const table *t)
{
	if (t->billing)
		rt__buf_puts(b, "\"billing\".");
	quote(b, t->name);
}

/* Binds row r's value for column c (of table t) to parameter index. */
static int bind_value(rt_stmt *stmt, int index, const table *t, const column *c, int s, int r)
{
	char text[64];
	switch (c->role) {
	case ROLE_ID: return rt_stmt_bind_int64(stmt, index, r + 1);
	/* zero-padded: rows are read back in key order */
	case ROLE_K1: snprintf(text, sizeof(text), "k%03d", r); return rt_stmt_bind_text(stmt, index, text, -1);
	case ROLE_K2: snprintf(text, sizeof(text), "m%03d", r); return rt_stmt_bind_text(stmt, index, text, -1);
	default: break;
	}
	if (c->fk >= 0) {
		const table *target = &w.tables[c->fk];
		int rows = target == t ? r : target->nrows; /* a row may point at an earlier one */
		if (rows == 0 || chance(30))
			return rt_stmt_bind_null(stmt, index);
		return rt_stmt_bind_int64(stmt, index, rnd(rows) + 1);
	}
	switch (c->type.kind) {
	case TK_SMALLINT:
	case TK_INT:
	case TK_BIGINT: return rt_stmt_bind_int64(stmt, index, r * 10 + s % 10);
	case TK_BOOL: return rt_stmt_bind_bool(stmt, index, r % 2);
	case TK_REAL:
	case TK_DOUBLE: return rt_stmt_bind_double(stmt, index, r + 0.5);
	case TK_NUMERIC: return rt_stmt_bind_double(stmt, index, r + 0.25);
	case TK_STRINGN:
	case TK_STRING:
	case TK_TEXT:
	case TK_CHARN: snprintf(text, sizeof(text), "v%d_%d", r, s); break;
	case TK_DATE: snprintf(text, sizeof(text), "2024-01-%02d", r % 28 + 1); break;
	case TK_TIMESTAMP: snprintf(text, sizeof(text), "2024-01-02 03:04:%02d", r % 60); break;
	case TK_JSON: snprintf(text, sizeof(text), "{\"r\": %d}", r); break;
	case TK_ENUM:
		snprintf(text, sizeof(text), "%s", enum_value(c->type.e, r % w.enums[c->type.e].nvalues));
		break;
	case TK_DOMAIN: return rt_stmt_bind_int64(stmt, index, r * 10 + s % 10); /* >= 0 */
	/* arrays: empty, of two, with a NULL element (and a space to quote) */
	case TK_INT_ARRAY:
		snprintf(text, sizeof(text), r % 3 == 0 ? "{}" : r % 3 == 1 ? "{%d,%d}" : "{%d,NULL}",
			 r, s);
		break;
	case TK_TEXT_ARRAY:
		snprintf(text, sizeof(text),
			 r % 3 == 0 ? "{}" : r % 3 == 1 ? "{a%d,\"b %d\"}" : "{a%d,NULL}", r, s);
		break;
	case TK_VERBATIM: snprintf(text, sizeof(text), "w%d_%d", r, s); break;
	default: return RT_EINVAL;
	}
	return rt_stmt_bind_text(stmt, index, text, -1);
}

/* The ORDER BY of a table's rows: its key. */
static void order_by(rt_buf *b, const table *t)
{
	rt__buf_puts(b, " ORDER BY ");
	quote(b, t->cols[0].name);
}

int insert_row(rt_conn *conn, table *t)
{
	if (t->nrows >= MAX_ROWS)
		return 0;
	int r = t->nrows;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "INSERT INTO ");
	quote_table(&sql, t);
	rt__buf_puts(&sql, " (");
	int n = 0;
	for (int s = 0; s < t->ncols; s++) {
		if (!t->cols[s].live || t->cols[s].generated) /* the database fills it */
			continue;
		if (n++)
			rt__buf_puts(&sql, ", ");
		quote(&sql, t->cols[s].name);
	}
	rt__buf_puts(&sql, ") VALUES (");
	for (int i = 0; i < n; i++)
		rt__buf_puts(&sql, i ? ", ?" : "?");
	rt__buf_puts(&sql, ")");
	rt_stmt *stmt = NULL;
	int rc = rt_stmt_prepare(&stmt, conn, sql.ptr);
	int index = 1;
	for (int s = 0; rc == RT_OK && s < t->ncols; s++)
		if (t->cols[s].live && !t->cols[s].generated)
			rc = bind_value(stmt, index++, t, &t->cols[s], s, r);
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	rt_stmt_finalize(stmt);
	rt__buf_free(&sql);
	if (rc < 0) {
		fprintf(stderr, "evolve: insert into %s: %s\n", t->name, rt_error_last()->message);
		return -1;
	}
	t->nrows++;
	for (int s = 0; s < t->ncols; s++)
		t->cols[s].resnap = t->cols[s].live;
	return 0;
}

/* Reads the values of t's columns: those marked resnap are stored, the
 * others must equal what was stored. Returns the number of mismatches. */
int read_rows(rt_conn *conn, table *t)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "SELECT ");
	int slots[COL_SLOTS], n = 0;
	for (int s = 0; s < t->ncols; s++) {
		if (!t->cols[s].live)
			continue;
		if (n)
			rt__buf_puts(&sql, ", ");
		quote(&sql, t->cols[s].name);
		slots[n++] = s;
	}
	rt__buf_puts(&sql, " FROM ");
	quote_table(&sql, t);
	order_by(&sql, t);
	rt_stmt *stmt = NULL;
	int rc = rt_stmt_prepare(&stmt, conn, sql.ptr);
	rt__buf_free(&sql);
	int r = 0, bad = 0;
	while (rc >= 0 && (rc = rt_stmt_step(stmt)) == RT_ROW) {
		if (r >= t->nrows) {
			r++;
			continue;
		}
		for (int i = 0; i < n; i++) {
			column *c = &t->cols[slots[i]];
			const char *v = rt_stmt_column_is_null(stmt, i) ? NULL : rt_stmt_column_text(stmt, i);
			if (c->resnap) {
				free(c->vals[r]);
				c->vals[r] = v ? strdup(v) : NULL;
			} else if ((v == NULL) != (c->vals[r] == NULL) ||
				   (v && strcmp(v, c->vals[r]) != 0)) {
				fprintf(stderr, "evolve: %s.%s row %d: expected %s, found %s\n", t->name,
					c->name, r, c->vals[r] ? c->vals[r] : "NULL", v ? v : "NULL");
				bad++;
			}
		}
		r++;
	}
	rt_stmt_finalize(stmt);
	if (rc < 0) {
		fprintf(stderr, "evolve: reading %s: %s\n", t->name, rt_error_last()->message);
		return bad + 1;
	}
	if (r != t->nrows) {
		fprintf(stderr, "evolve: %s has %d rows, expected %d\n", t->name, r, t->nrows);
		bad++;
	}
	for (int i = 0; i < n; i++)
		t->cols[slots[i]].resnap = false;
	return bad;
}

/* UPDATE t SET c = <row r's value> for every row (where it is NULL if
 * only_nulls), or to text when text is given; then the column is re-read. */
int fill_column(rt_conn *conn, table *t, int s, bool only_nulls, const char *text)
{
	column *c = &t->cols[s];
	for (int r = 0; r < t->nrows; r++) {
		if (only_nulls && c->vals[r])
			continue;
		rt_buf sql = RT_BUF_INIT;
		rt__buf_puts(&sql, "UPDATE ");
		quote_table(&sql, t);
		rt__buf_puts(&sql, " SET ");
		quote(&sql, c->name);
		rt__buf_puts(&sql, " = ? WHERE ");
		quote(&sql, t->cols[0].name);
		rt__buf_puts(&sql, " = ?");
		rt_stmt *stmt = NULL;
		int rc = rt_stmt_prepare(&stmt, conn, sql.ptr);
		rt__buf_free(&sql);
		if (rc == RT_OK)
			rc = text ? rt_stmt_bind_text(stmt, 1, text, -1) : bind_value(stmt, 1, t, c, s, r);
		if (rc == RT_OK)
			rc = bind_value(stmt, 2, t, &t->cols[0], 0, r);
		if (rc == RT_OK)
			rc = rt_stmt_step(stmt);
		rt_stmt_finalize(stmt);
		if (rc < 0) {
			fprintf(stderr, "evolve: update %s.%s: %s\n", t->name, c->name,
				rt_error_last()->message);
			return -1;
		}
	}
	c->resnap = true;
	onupdate_columns_changed(t);
	return 0;
}

/* Deletes every row (before downgrade base: downgrades put back older
 * types and constraints the newer rows need not satisfy). */
int delete_rows(rt_conn *conn)
{
	rt_buf sql = RT_BUF_INIT;
	if (w.postgres) {
		rt__buf_puts(&sql, "TRUNCATE ");
		int n = 0;
		for (int i = 0; i < w.ntables; i++) {
			if (!w.tables[i].live)
				continue;
			if (n++)
				rt__buf_puts(&sql, ", ");
			quote_table(&sql, &w.tables[i]);
		}
		rt__buf_puts(&sql, " CASCADE");
		int rc = n ? rt_conn_execute(conn, sql.ptr) : RT_OK;
		rt__buf_free(&sql);
		return rc;
	}
	int rc = w.keys_off ? rt_conn_execute(conn, w.keys_off) : RT_OK;
	for (int i = 0; rc == RT_OK && i < w.ntables; i++) {
		if (!w.tables[i].live)
			continue;
		rt__buf_clear(&sql);
		rt__buf_puts(&sql, "DELETE FROM ");
		quote_table(&sql, &w.tables[i]);
		rc = rt_conn_execute(conn, sql.ptr);
	}
	rt__buf_free(&sql);
	return rc;
}
