/*
 * sqlite_reflect_objects.c - what a SQLite database holds besides the
 * tables the schema language describes: views and triggers, which become
 * the schema's SQL objects (a view's query is the text after AS, as SQLite
 * keeps it; a trigger's SQL its whole CREATE TRIGGER statement), and what
 * the language cannot say (a view with a column list; indexes on
 * expressions or with a WHERE), listed as the database's own objects
 * (rt_db_object in metadata.h).
 *
 * One query reads them all from sqlite_master, in the order they were
 * made, with the CREATE statement SQLite keeps for each, so that
 * autogenerate can name the database's own and, when told to drop one,
 * write the exact statement that brings it back. Indexes that reflection already turned
 * into the table's indexes are not repeated.
 */
#include <ctype.h>
#include <string.h>

#include "base/error.h"
#include "dialect/sqlite.h"

/* "DROP VIEW "v"": the kind in capitals, the name quoted. */
static const char *drop_statement(rt_arena *arena, const rt_dialect *d, const char *kind,
				  const char *name)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "DROP ");
	for (const char *p = kind; *p; p++)
		rt__buf_putc(&sql, (char)toupper((unsigned char)*p));
	rt__buf_putc(&sql, ' ');
	d->quote_ident(&sql, name);
	const char *out = rt__buf_failed(&sql) ? NULL : rt__arena_strdup(arena, rt__buf_cstr(&sql));
	rt__buf_free(&sql);
	return out;
}

/* An index the table's reflection kept is part of the table. */
static bool modeled_index(const rt_schema *schema, const char *table, const char *name)
{
	const rt_table *t = table ? rt__schema_find_table(schema, table) : NULL;
	return t && rt__table_find_index(t, name);
}

int rt__sqlite_reflect_objects(rt_schema *schema, const rt_dialect *d, rt_driver_conn *conn)
{
	rt_arena *arena = schema->arena;
	rt_driver_stmt *stmt = NULL;
	/* Indexes SQLite makes for PRIMARY KEY and UNIQUE keep no SQL. */
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT type, name, tbl_name, sql FROM sqlite_master "
				  "WHERE type IN ('view', 'trigger', 'index') AND sql IS NOT NULL "
				  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
				  NULL);
	if (rc < 0)
		return rc;
	while ((rc = d->step(stmt)) == RT_ROW) {
		const char *kind, *name, *table, *sql, *drop;
		if ((rc = rt__sqlite_column_text(&kind, arena, d, stmt, 0)) < 0 ||
		    (rc = rt__sqlite_column_text(&name, arena, d, stmt, 1)) < 0 ||
		    (rc = rt__sqlite_column_text(&table, arena, d, stmt, 2)) < 0 ||
		    (rc = rt__sqlite_column_text(&sql, arena, d, stmt, 3)) < 0)
			break;
		if (!kind || !name)
			continue;
		bool is_view = strcmp(kind, "view") == 0;
		if (strcmp(kind, "index") == 0 && modeled_index(schema, table, name))
			continue;
		/* A view or trigger the language can say is one of the
		 * schema's SQL objects; a view with a column list is not. */
		const char *query = is_view && sql ? rt__sqlite_view_query(arena, sql) : NULL;
		bool trigger = strcmp(kind, "trigger") == 0 && sql && table;
		if (query || trigger) {
			if (!rt__schema_add_sql_object(schema, trigger ? RT_SQL_TRIGGER : RT_SQL_VIEW,
						       name, NULL, trigger ? table : NULL,
						       trigger ? sql : query)) {
				rc = rt__error_nomem();
				break;
			}
			continue;
		}
		if (!(drop = drop_statement(arena, d, kind, name)) ||
		    !rt__schema_add_object(schema, kind, name, is_view ? NULL : table, sql, drop)) {
			rc = rt__error_nomem();
			break;
		}
	}
	rt__sqlite_query_done(d, stmt);
	if (rc >= 0)
		rc = rt__schema_order_sql_objects(schema);
	return rc < 0 ? rc : RT_OK;
}
