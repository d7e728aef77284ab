/*
 * progress.c - reading and writing retort_migration_progress (progress.h).
 *
 * Statements are built from identifiers quoted by the dialect; every
 * value is bound. The table is made from a model through the DDL layer,
 * like the version tables, so each dialect gets its own types.
 */
#include "migrate/progress.h"

#include <inttypes.h>
#include <string.h>

#include "base/error.h"
#include "engine/engine.h"
#include "migrate/version.h"
#include "sql/ddl.h"

static const char *const columns[] = {"revision", "statements", "done",   "running_to",
				      "direction", "checksum",   "failed_at", "error"};
#define COLUMN_COUNT 8
#define INTEGER_COLUMNS 3 /* columns[1..3] */

static void put_ident(rt_buf *buf, const rt_conn *conn, const char *ident)
{
	conn->dialect->quote_ident(buf, ident);
}

static int exists(rt_conn *conn, bool *found)
{
	return rt__version_table_exists(conn, RT_PROGRESS_TABLE, found);
}

/* --- reading ------------------------------------------------------------------ */

static const char *copy_column(rt_arena *arena, rt_stmt *stmt, int column, bool *failed)
{
	const char *text = rt_stmt_column_text(stmt, column);
	if (!text)
		return NULL;
	char *copy = rt__arena_strdup(arena, text);
	if (!copy)
		*failed = true;
	return copy;
}

int rt__progress_read(rt_conn *conn, rt_arena *arena, rt_progress **rows, size_t *count)
{
	*rows = NULL;
	*count = 0;
	bool found;
	int rc = exists(conn, &found);
	if (rc < 0 || !found)
		return rc;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "SELECT ");
	for (size_t i = 0; i < COLUMN_COUNT; i++) {
		if (i)
			rt__buf_puts(&sql, ", ");
		put_ident(&sql, conn, columns[i]);
	}
	rt__buf_puts(&sql, " FROM ");
	put_ident(&sql, conn, RT_PROGRESS_TABLE);
	rt__buf_puts(&sql, " ORDER BY ");
	put_ident(&sql, conn, "revision");
	if (rt__buf_failed(&sql)) {
		rt__buf_free(&sql);
		return rt__error_nomem();
	}
	rt_stmt *stmt = NULL;
	rc = rt_stmt_prepare(&stmt, conn, rt__buf_cstr(&sql));
	rt__buf_free(&sql);
	size_t cap = 0;
	while (rc >= 0 && (rc = rt_stmt_step(stmt)) == RT_ROW) {
		if (rt__arena_reserve(arena, (void **)rows, &cap, *count + 1, sizeof(**rows)) < 0) {
			rc = rt__error_nomem();
			break;
		}
		rt_progress *p = &(*rows)[(*count)++];
		bool failed = false;
		const char *direction = rt_stmt_column_text(stmt, 4);
		p->revision = copy_column(arena, stmt, 0, &failed);
		p->statements = rt_stmt_column_int64(stmt, 1);
		p->done = rt_stmt_column_int64(stmt, 2);
		p->running_to = rt_stmt_column_is_null(stmt, 3) ? 0 : rt_stmt_column_int64(stmt, 3);
		p->upgrade = !direction || strcmp(direction, "downgrade") != 0;
		p->checksum = copy_column(arena, stmt, 5, &failed);
		p->failed_at = copy_column(arena, stmt, 6, &failed);
		p->error = copy_column(arena, stmt, 7, &failed);
		if (failed || !p->revision) {
			rc = failed ? rt__error_nomem()
				    : rt__error_set(RT_EINVAL, "%s holds a row without a revision",
						    RT_PROGRESS_TABLE);
			break;
		}
	}
	rt_stmt_finalize(stmt);
	return rc < 0 ? rt__error_wrap("reading %s", RT_PROGRESS_TABLE) : RT_OK;
}

const rt_progress *rt__progress_find(const rt_progress *rows, size_t count,
				     const char *revision)
{
	for (size_t i = 0; revision && i < count; i++)
		if (strcmp(rows[i].revision, revision) == 0)
			return &rows[i];
	return NULL;
}

/* --- the table ---------------------------------------------------------------------- */

static rt_table *progress_table(rt_schema *schema)
{
	rt_table *table = rt__schema_add_table(schema, RT_PROGRESS_TABLE, NULL);
	if (!table)
		return NULL;
	bool ok = rt__version_add_column(schema, table, "revision", RT_TYPE_STRING, 32, false) &&
		  rt__version_add_column(schema, table, "direction", RT_TYPE_STRING, 9, false) &&
		  rt__version_add_column(schema, table, "checksum", RT_TYPE_STRING, 100, false) &&
		  rt__version_add_column(schema, table, "statements", RT_TYPE_BIGINT, 0, false) &&
		  rt__version_add_column(schema, table, "done", RT_TYPE_BIGINT, 0, false) &&
		  rt__version_add_column(schema, table, "running_to", RT_TYPE_BIGINT, 0, true) &&
		  rt__version_add_column(schema, table, "failed_at", RT_TYPE_STRING, 1000, true) &&
		  rt__version_add_column(schema, table, "error", RT_TYPE_TEXT, 0, true) &&
		  rt__version_set_primary_key(schema, table, "pk_" RT_PROGRESS_TABLE, "revision");
	return ok ? table : NULL;
}

int rt__progress_create(rt_conn *conn)
{
	bool found;
	int rc = exists(conn, &found);
	if (rc < 0 || found)
		return rc;
	rt_schema *schema = rt__schema_new();
	if (!schema)
		return rt__error_nomem();
	rt_buf sql = RT_BUF_INIT;
	rt_table *table = progress_table(schema);
	if (table)
		rt__ddl_create_table(&sql, schema, table, conn->dialect, true);
	rc = !table || rt__buf_failed(&sql) ? rt__error_nomem()
					    : rt_conn_execute(conn, rt__buf_cstr(&sql));
	rt__buf_free(&sql);
	rt_schema_free(schema);
	return rc < 0 ? rt__error_wrap("creating %s", RT_PROGRESS_TABLE) : RT_OK;
}

/* --- writing ------------------------------------------------------------------------- */

/* DELETE FROM the table [WHERE revision = ?]. */
static int delete_rows(rt_conn *conn, const char *revision)
{
	bool found;
	int rc = exists(conn, &found);
	if (rc < 0 || !found)
		return rc;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "DELETE FROM ");
	put_ident(&sql, conn, RT_PROGRESS_TABLE);
	if (revision) {
		rt__buf_puts(&sql, " WHERE ");
		put_ident(&sql, conn, "revision");
		rt__buf_puts(&sql, " = ?");
	}
	if (rt__buf_failed(&sql)) {
		rt__buf_free(&sql);
		return rt__error_nomem();
	}
	rt_stmt *stmt;
	rc = rt_stmt_prepare(&stmt, conn, rt__buf_cstr(&sql));
	rt__buf_free(&sql);
	if (rc < 0)
		return rc;
	if (revision)
		rc = rt_stmt_bind_text(stmt, 1, revision, -1);
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	rt_stmt_finalize(stmt);
	return rc < 0 ? rt__error_wrap("updating %s", RT_PROGRESS_TABLE) : RT_OK;
}

int rt__progress_delete(rt_conn *conn, const char *revision)
{
	return revision ? delete_rows(conn, revision) : RT_OK;
}

int rt__progress_clear(rt_conn *conn)
{
	return delete_rows(conn, NULL);
}

int rt__progress_write(rt_conn *conn, const rt_progress *p)
{
	int rc = rt__progress_delete(conn, p->revision);
	if (rc < 0)
		return rc;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "INSERT INTO ");
	put_ident(&sql, conn, RT_PROGRESS_TABLE);
	rt__buf_puts(&sql, " (");
	for (size_t i = 0; i < COLUMN_COUNT; i++) {
		if (i)
			rt__buf_puts(&sql, ", ");
		put_ident(&sql, conn, columns[i]);
	}
	rt__buf_puts(&sql, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (rt__buf_failed(&sql)) {
		rt__buf_free(&sql);
		return rt__error_nomem();
	}
	rt_stmt *stmt;
	rc = rt_stmt_prepare(&stmt, conn, rt__buf_cstr(&sql));
	rt__buf_free(&sql);
	if (rc < 0)
		return rt__error_wrap("updating %s", RT_PROGRESS_TABLE);
	const int64_t numbers[INTEGER_COLUMNS] = {p->statements, p->done, p->running_to};
	const char *texts[] = {p->revision, p->upgrade ? "upgrade" : "downgrade", p->checksum,
			       p->failed_at, p->error};
	rc = rt_stmt_bind_text(stmt, 1, texts[0], -1);
	for (int i = 0; rc == RT_OK && i < INTEGER_COLUMNS; i++)
		rc = i == 2 && p->running_to <= p->done ? rt_stmt_bind_null(stmt, 2 + i)
							: rt_stmt_bind_int64(stmt, 2 + i, numbers[i]);
	for (int i = 1; rc == RT_OK && i < 5; i++)
		rc = texts[i] ? rt_stmt_bind_text(stmt, 4 + i, texts[i], -1)
			      : rt_stmt_bind_null(stmt, 4 + i);
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	rt_stmt_finalize(stmt);
	return rc < 0 ? rt__error_wrap("updating %s", RT_PROGRESS_TABLE) : RT_OK;
}

/* --- describing ------------------------------------------------------------------------- */

void rt__progress_describe(rt_buf *buf, const rt_progress *p)
{
	rt__buf_printf(buf, "partial%s: %" PRId64 " of %" PRId64 " statements",
		       p->upgrade ? "" : " downgrade", p->done, p->statements);
	if (p->running_to > p->done + 1)
		rt__buf_printf(buf, ", interrupted in statements %" PRId64 "-%" PRId64
				    " at %s: whether they took effect is unknown",
			       p->done + 1, p->running_to, p->failed_at ? p->failed_at : "?");
	else if (p->running_to > p->done)
		rt__buf_printf(buf, ", interrupted in statement %" PRId64
				    " at %s: whether it took effect is unknown",
			       p->done + 1, p->failed_at ? p->failed_at : "?");
	else if (p->failed_at)
		rt__buf_printf(buf, ", failed at %s", p->failed_at);
}
