/*
 * sqlite_violation.c - which constraint did a failed SQLite statement
 * violate? PostgreSQL says so in every error; SQLite names only CHECKs:
 *
 *   UNIQUE constraint failed: users.username      -> the UNIQUE / PRIMARY KEY
 *                                                    constraint or unique index
 *                                                    on exactly those columns
 *   NOT NULL constraint failed: users.username     -> "users.username" (a NOT
 *                                                    NULL has no name anywhere)
 *   CHECK constraint failed: ck_products_price     -> the name; an unnamed
 *                                                    check shows its expression,
 *                                                    which leads to its default name
 *   FOREIGN KEY constraint failed                  -> nothing at all: see fk_name
 *
 * Everything here is best effort and runs only after a statement failed:
 * when a name cannot be found the caller reports the violation without one.
 */
#include "dialect/sqlite.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"

/* The text after "constraint failed: ", or NULL. */
static const char *detail_of(const char *message)
{
	const char *marker = "constraint failed: ";
	const char *p = strstr(message, marker);
	return p ? p + strlen(marker) : NULL;
}

static bool same_column_set(const char *const *a, size_t a_count, const char *const *b,
			    size_t b_count)
{
	if (a_count != b_count)
		return false;
	for (size_t i = 0; i < a_count; i++) {
		bool found = false;
		for (size_t j = 0; j < b_count && !found; j++)
			found = strcasecmp(a[i], b[j]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* "users.a, users.b" -> table "users", columns {a, b}. */
static int split_columns(rt_arena *arena, const char *detail, const char **table,
			 const char ***columns, size_t *count)
{
	size_t n = 1;
	for (const char *p = detail; *p; p++)
		if (*p == ',')
			n++;
	const char **names = rt__arena_alloc(arena, n * sizeof(char *));
	if (!names)
		return RT_ENOMEM;
	*count = 0;
	*table = NULL;
	const char *p = detail;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, ",");
		const char *dot = memchr(p, '.', len);
		if (!dot)
			return RT_ENOTFOUND;
		if (!*table && !(*table = rt__arena_strndup(arena, p, (size_t)(dot - p))))
			return RT_ENOMEM;
		if (!(names[(*count)++] = rt__arena_strndup(arena, dot + 1, len - (size_t)(dot - p) - 1)))
			return RT_ENOMEM;
		p += len;
		if (*p == ',')
			p++;
	}
	*columns = names;
	return *count ? RT_OK : RT_ENOTFOUND;
}

/* A unique index created with CREATE UNIQUE INDEX on exactly columns. */
static const char *unique_index_name(rt_arena *arena, const rt_dialect *d,
				     rt_driver_conn *conn, const char *table,
				     const char *const *columns, size_t count)
{
	rt_driver_stmt *stmt = NULL;
	if (rt__sqlite_query(&stmt, d, conn,
			     "SELECT il.name, ii.name FROM pragma_index_list(?1) AS il, "
			     "pragma_index_info(il.name) AS ii "
			     "WHERE il.\"unique\" = 1 AND il.origin = 'c' ORDER BY il.name, ii.seqno",
			     table) < 0)
		return NULL;
	const char *found = NULL;
	const char *current = NULL;
	const char *index_columns[64];
	size_t n = 0;
	int rc;
	for (;;) {
		const char *index = NULL, *column = NULL;
		rc = d->step(stmt);
		if (rc == RT_ROW && (rt__sqlite_column_text(&index, arena, d, stmt, 0) < 0 ||
				     rt__sqlite_column_text(&column, arena, d, stmt, 1) < 0))
			break;
		if (current && (rc != RT_ROW || !index || strcmp(index, current) != 0)) {
			if (same_column_set(index_columns, n, columns, count)) {
				found = current;
				break;
			}
			n = 0;
		}
		if (rc != RT_ROW)
			break;
		current = index;
		if (column && n < sizeof(index_columns) / sizeof(*index_columns))
			index_columns[n++] = column;
	}
	rt__sqlite_query_done(d, stmt);
	return found;
}

static const char *unique_name(rt_arena *arena, const rt_dialect *d, rt_driver_conn *conn,
			       const char *detail)
{
	/* An index on expressions is named in the message: index 'ix_x'. */
	if (strncmp(detail, "index '", 7) == 0) {
		size_t len = strcspn(detail + 7, "'");
		return rt__arena_strndup(arena, detail + 7, len);
	}
	const char *table;
	const char **columns;
	size_t count;
	if (split_columns(arena, detail, &table, &columns, &count) < 0)
		return NULL;
	rt_sqlite_table_def def;
	if (rt__sqlite_load_table_def(&def, arena, d, conn, table) == RT_OK) {
		for (size_t i = 0; i < def.constraint_count; i++) {
			const rt_sqlite_constraint *c = def.constraints[i];
			if ((c->kind == RT_CONSTRAINT_PRIMARY_KEY || c->kind == RT_CONSTRAINT_UNIQUE) &&
			    same_column_set(c->columns, c->column_count, columns, count))
				return rt__sqlite_constraint_name(arena, &def, c);
		}
	}
	const char *index = unique_index_name(arena, d, conn, table, columns, count);
	return index ? index : detail;
}

/* A named check is reported by name; an unnamed one by its expression,
 * which is looked up in every table to find its default name. */
static const char *check_name(rt_arena *arena, const rt_dialect *d, rt_driver_conn *conn,
			      const char *detail)
{
	rt_driver_stmt *stmt = NULL;
	if (rt__sqlite_query(&stmt, d, conn,
			     "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
			     "AND sql LIKE '%CHECK%' ORDER BY name",
			     NULL) < 0)
		return detail;
	const char *found = NULL;
	while (!found && d->step(stmt) == RT_ROW) {
		const char *table = NULL, *sql = NULL;
		rt_sqlite_table_def def;
		if (rt__sqlite_column_text(&table, arena, d, stmt, 0) < 0 ||
		    rt__sqlite_column_text(&sql, arena, d, stmt, 1) < 0 ||
		    rt__sqlite_parse_create_table(&def, arena, sql) < 0)
			break;
		def.name = table; /* default names use the stored name */
		for (size_t i = 0; i < def.constraint_count && !found; i++) {
			const rt_sqlite_constraint *c = def.constraints[i];
			if (c->kind != RT_CONSTRAINT_CHECK)
				continue;
			if (c->name ? strcmp(c->name, detail) == 0
				    : c->check && strcmp(c->check, detail) == 0)
				found = rt__sqlite_constraint_name(arena, &def, c);
		}
	}
	rt__sqlite_query_done(d, stmt);
	return found ? found : detail;
}

/* --- foreign keys ------------------------------------------------------------------ */

/* The first word of sql, upper-cased, after blanks and comments. */
static void first_keyword(const char *sql, char *out, size_t size)
{
	const char *p = sql;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else {
			break;
		}
	}
	size_t n = 0;
	while (n + 1 < size && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))) {
		out[n++] = (char)(*p >= 'a' ? *p - 'a' + 'A' : *p);
		p++;
	}
	out[n] = '\0';
}

/* The name of foreign key number fkid of table, as PRAGMA foreign_key_list
 * numbers them, matched to the CREATE TABLE text by columns and parent. */
static const char *foreign_key_by_id(rt_arena *arena, const rt_dialect *d,
				     rt_driver_conn *conn, const char *table, int64_t fkid)
{
	rt_driver_stmt *stmt = NULL;
	if (rt__sqlite_query(&stmt, d, conn,
			     "SELECT id, \"table\", \"from\" FROM pragma_foreign_key_list(?1) "
			     "ORDER BY id, seq",
			     table) < 0)
		return NULL;
	const char *parent = NULL;
	const char *columns[64];
	size_t count = 0;
	while (d->step(stmt) == RT_ROW) {
		const char *column = NULL;
		if (rt__sqlite_column_int(d, stmt, 0) != fkid)
			continue;
		if ((!parent && rt__sqlite_column_text(&parent, arena, d, stmt, 1) < 0) ||
		    rt__sqlite_column_text(&column, arena, d, stmt, 2) < 0)
			break;
		if (column && count < sizeof(columns) / sizeof(*columns))
			columns[count++] = column;
	}
	rt__sqlite_query_done(d, stmt);
	rt_sqlite_table_def def;
	if (!parent || rt__sqlite_load_table_def(&def, arena, d, conn, table) < 0)
		return NULL;
	for (size_t i = 0; i < def.constraint_count; i++) {
		const rt_sqlite_constraint *c = def.constraints[i];
		if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
		    strcasecmp(c->ref_table, parent) == 0 &&
		    same_column_set(c->columns, c->column_count, columns, count))
			return rt__sqlite_constraint_name(arena, &def, c);
	}
	return NULL;
}

/* The first row PRAGMA foreign_key_check reports, by name. */
static const char *first_broken_foreign_key(rt_arena *arena, const rt_dialect *d,
					    rt_driver_conn *conn)
{
	rt_driver_stmt *stmt = NULL;
	if (rt__sqlite_query(&stmt, d, conn, "PRAGMA foreign_key_check", NULL) < 0)
		return NULL;
	const char *table = NULL;
	int64_t fkid = -1;
	if (d->step(stmt) == RT_ROW && rt__sqlite_column_text(&table, arena, d, stmt, 0) == RT_OK)
		fkid = rt__sqlite_column_int(d, stmt, 3);
	rt__sqlite_query_done(d, stmt);
	return table ? foreign_key_by_id(arena, d, conn, table, fkid) : NULL;
}

/*
 * SQLite checks immediate foreign keys without saying which one failed.
 * When the failure comes at COMMIT (deferred keys), the transaction is still
 * open and PRAGMA foreign_key_check shows the broken row. When it comes from
 * an INSERT, UPDATE or DELETE, the statement is run once more inside a
 * savepoint with the checks deferred, the broken row is read the same way,
 * and the savepoint is rolled back: nothing of the probe remains.
 */
static const char *fk_name(rt_arena *arena, const rt_dialect *d, rt_driver_conn *conn,
			   rt_driver_stmt *stmt)
{
	const char *sql = rt__sqlite_stmt_sql(stmt);
	if (!sql)
		return NULL;
	char keyword[16];
	first_keyword(sql, keyword, sizeof(keyword));
	if (strcmp(keyword, "COMMIT") == 0 || strcmp(keyword, "END") == 0 ||
	    strcmp(keyword, "RELEASE") == 0)
		return first_broken_foreign_key(arena, d, conn);
	if (strcmp(keyword, "INSERT") != 0 && strcmp(keyword, "UPDATE") != 0 &&
	    strcmp(keyword, "DELETE") != 0 && strcmp(keyword, "REPLACE") != 0)
		return NULL;

	if (d->exec(conn, "SAVEPOINT retort_fk_probe") < 0)
		return NULL;
	const char *name = NULL;
	if (d->exec(conn, "PRAGMA defer_foreign_keys = ON") == RT_OK) {
		rt__sqlite_stmt_rewind(stmt); /* the same values once more */
		int rc;
		while ((rc = d->step(stmt)) == RT_ROW)
			;
		if (rc == RT_DONE)
			name = first_broken_foreign_key(arena, d, conn);
		d->reset(stmt);
		d->exec(conn, "PRAGMA defer_foreign_keys = OFF");
	}
	d->exec(conn, "ROLLBACK TO retort_fk_probe");
	d->exec(conn, "RELEASE retort_fk_probe");
	return name;
}

const char *rt__sqlite_violation_name(rt_arena *arena, const rt_dialect *dialect,
				      rt_driver_conn *conn, rt_driver_stmt *stmt,
				      rt_constraint_violation kind, const char *message)
{
	const char *detail = detail_of(message);
	switch (kind) {
	case RT_VIOLATION_UNIQUE:
		return detail ? unique_name(arena, dialect, conn, detail) : NULL;
	case RT_VIOLATION_NOT_NULL:
		return detail;
	case RT_VIOLATION_CHECK:
		return detail ? check_name(arena, dialect, conn, detail) : NULL;
	case RT_VIOLATION_FOREIGN_KEY:
		return fk_name(arena, dialect, conn, stmt);
	case RT_VIOLATION_NONE:
		break;
	}
	return NULL;
}

/*
 * Checks the rows of table (every table when NULL) against their foreign
 * keys, as a table rebuild or a run with enforcement off needs: the first
 * row PRAGMA foreign_key_check reports becomes an RT_ECONSTRAINT error
 * naming the table, the key and the row.
 */
int rt__sqlite_check_foreign_keys(const rt_dialect *d, rt_driver_conn *conn, const char *table)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT \"table\", rowid, parent, fkid "
				  "FROM pragma_foreign_key_check(?1)",
				  table);
	if (rc < 0) {
		rt__arena_free(arena);
		return rc;
	}
	const char *child = NULL, *parent = NULL;
	int64_t rowid = 0, fkid = -1;
	rc = d->step(stmt);
	if (rc == RT_ROW && (rc = rt__sqlite_column_text(&child, arena, d, stmt, 0)) == RT_OK &&
	    (rc = rt__sqlite_column_text(&parent, arena, d, stmt, 2)) == RT_OK) {
		rowid = rt__sqlite_column_int(d, stmt, 1);
		fkid = rt__sqlite_column_int(d, stmt, 3);
		rc = RT_ROW;
	}
	rt__sqlite_query_done(d, stmt);
	if (rc == RT_ROW && child) {
		const char *name = foreign_key_by_id(arena, d, conn, child, fkid);
		rc = rt__error_set_db(RT_ECONSTRAINT, "23503", 0, RT_VIOLATION_FOREIGN_KEY, name,
				      "foreign key %s of table %s is violated: row %lld references "
				      "a row of %s that does not exist",
				      name ? name : "(unnamed)", child, (long long)rowid,
				      parent ? parent : "?");
	} else if (rc == RT_DONE) {
		rc = RT_OK;
	}
	rt__arena_free(arena);
	return rc;
}
