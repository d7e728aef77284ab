/*
 * postgres_render.c - the models' SQL objects (domains, sequences,
 * routines, views, triggers) as PostgreSQL renders them (the dialect's
 * render_sql_objects, dialect.h), so that a view written by hand is
 * compared with what pg_get_viewdef says of it, not with its own text.
 *
 * In one transaction, rolled back at the end: each object, in the
 * schema's order, is dropped if it exists (CASCADE: what depends on it
 * comes later in the order, or is not the models' and never read) and
 * made from the models' SQL, and its definition is read back with the
 * same catalog functions reflection uses (postgres_reflect_objects.c).
 * Each under a savepoint: one the database refuses is rolled back alone
 * and keeps no rendering. Nothing is kept; while the transaction runs,
 * the objects it makes again are locked, as any DDL locks them.
 */
#include <string.h>

#include "base/error.h"
#include "dialect/postgres.h"
#include "sql/ddl.h"

/* The one text column of the one row sql returns with its parameters
 * bound (NULL ones skipped), copied into arena; NULL when none. */
static const char *read_one(const rt_dialect *d, rt_driver_conn *conn, rt_arena *arena,
			    const char *sql, const char *const *params, int count)
{
	rt_driver_stmt *stmt = NULL;
	const char *out = NULL;
	int rc = d->prepare(&stmt, conn, sql);
	for (int i = 0; rc >= 0 && i < count; i++) {
		rt_value v = {.type = RT_VALUE_TEXT, .s = params[i], .len = strlen(params[i])};
		rc = d->bind(stmt, i + 1, &v);
	}
	if (rc >= 0 && d->step(stmt) == RT_ROW) {
		rt_value v;
		if (d->column_value(stmt, 0, &v) >= 0 && v.type == RT_VALUE_TEXT)
			out = rt__arena_strdup(arena, v.s);
		/* Two rows: not the one object (an overload not told apart). */
		if (d->step(stmt) == RT_ROW)
			out = NULL;
	}
	d->finalize(stmt);
	return out;
}

/* The object of PostgreSQL schema ? (the first parameter) and name ?. */
#define IN_SCHEMA(catalog, ns) " JOIN pg_namespace n ON n.oid = " catalog "." ns \
			       " WHERE n.nspname = ?"

#define ROUTINE_NAMED IN_SCHEMA("p", "pronamespace") " AND p.proname = ? AND (? = '' OR " \
	RT_PG_ROUTINE_ARGS("p") " = ?)"

static const char *read_back(const rt_dialect *d, rt_driver_conn *conn, rt_arena *arena,
			     const rt_schema *schema, const rt_sql_object *o)
{
	const char *nsp = o->schema ? o->schema : RT_DEFAULT_SCHEMA;
	const char *name = rt__sql_object_sql_name(o);
	switch (o->kind) {
	case RT_SQL_VIEW:
	case RT_SQL_MATERIALIZED_VIEW: {
		const char *params[] = {nsp, name};
		return read_one(d, conn, arena,
				"SELECT " RT_PG_VIEW_QUERY("c.oid") " FROM pg_class c"
				IN_SCHEMA("c", "relnamespace") " AND c.relname = ?",
				params, 2);
	}
	case RT_SQL_FUNCTION:
	case RT_SQL_PROCEDURE:
	case RT_SQL_AGGREGATE: {
		/* The routine of that name and those arguments (any, when not
		 * given). */
		const char *args = o->args ? o->args : "";
		const char *sql = o->kind == RT_SQL_AGGREGATE
			? "SELECT " RT_PG_AGGREGATE_SQL("p", "ag") " FROM pg_proc p"
			  " JOIN pg_aggregate ag ON ag.aggfnoid = p.oid" ROUTINE_NAMED
			: "SELECT rtrim(pg_get_functiondef(p.oid), E' \\n') FROM pg_proc p"
			  ROUTINE_NAMED;
		return read_one(d, conn, arena, sql,
				(const char *const[]){nsp, name, args, args}, 4);
	}
	case RT_SQL_DOMAIN: {
		const char *params[] = {nsp, name};
		return read_one(d, conn, arena,
				"SELECT " RT_PG_DOMAIN_SQL("t") " FROM pg_type t"
				IN_SCHEMA("t", "typnamespace") " AND t.typtype = 'd' AND t.typname = ?",
				params, 2);
	}
	case RT_SQL_SEQUENCE: {
		const char *params[] = {nsp, name};
		return read_one(d, conn, arena,
				"SELECT " RT_PG_SEQUENCE_SQL("c", "s") " FROM pg_class c"
				" JOIN pg_sequence s ON s.seqrelid = c.oid"
				IN_SCHEMA("c", "relnamespace") " AND c.relname = ?",
				params, 2);
	}
	case RT_SQL_TRIGGER: {
		/* In its table's schema (billing.accounts: accounts of billing). */
		const rt_table *table = o->table ? rt__schema_find_table(schema, o->table) : NULL;
		const char *params[] = {table && table->schema ? table->schema : RT_DEFAULT_SCHEMA,
					o->name,
					table ? rt__table_sql_name(table) : o->table ? o->table : ""};
		return read_one(d, conn, arena,
				"SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t"
				" JOIN pg_class c ON c.oid = t.tgrelid"
				IN_SCHEMA("c", "relnamespace") " AND t.tgname = ? AND c.relname = ?",
				params, 3);
	}
	case RT_SQL_KIND_COUNT: break;
	}
	return NULL;
}

/* A domain or sequence of the name there already is renamed out of the
 * way rather than dropped: dropping it would take the columns whose type
 * or default names it with it, which the objects rendered after it
 * (views) read. (In a savepoint of its own: there may be none.) */
static int move_away(const rt_dialect *d, rt_driver_conn *conn, rt_arena *arena,
		     const rt_sql_object *o, size_t i)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, o->kind == RT_SQL_DOMAIN ? "ALTER DOMAIN " : "ALTER SEQUENCE ");
	rt__ddl_put_sql_object_name(&sql, d, o);
	rt__buf_printf(&sql, " RENAME TO retort_render_away_%zu", i);
	const char *text = rt__buf_failed(&sql) ? NULL : rt__arena_strdup(arena, rt__buf_cstr(&sql));
	rt__buf_free(&sql);
	if (!text)
		return rt__error_nomem();
	int rc = d->exec(conn, "SAVEPOINT retort_render_away");
	if (rc < 0)
		return rc;
	return d->exec(conn, d->exec(conn, text) < 0 ? "ROLLBACK TO SAVEPOINT retort_render_away"
						     : "RELEASE SAVEPOINT retort_render_away");
}

/* DROP ... IF EXISTS ... CASCADE (a domain or sequence: moved away), then
 * the statement that makes o (a materialized view WITH NO DATA: its query
 * is not run). */
static int make(const rt_dialect *d, rt_driver_conn *conn, rt_arena *arena,
		const rt_sql_object *o, size_t i)
{
	rt_sql_list list = {0};
	int rc;
	if (rt__sql_kind_is_early(o->kind)) {
		if ((rc = move_away(d, conn, arena, o, i)) < 0 ||
		    (rc = rt__ddl_sql_object(arena, &list, o, RT_SQL_CREATE, d)) < 0)
			return rc;
		return d->exec(conn, list.items[0]);
	}
	rc = rt__ddl_sql_object(arena, &list, o, RT_SQL_DROP, d);
	if (rc < 0 || list.count != 1)
		return rc < 0 ? rc : RT_EINVAL;
	const char *drop = list.items[0];
	/* "DROP VIEW x" -> "DROP VIEW IF EXISTS x CASCADE": the kind's words
	 * are the first two (MATERIALIZED VIEW: three). */
	size_t words = o->kind == RT_SQL_MATERIALIZED_VIEW ? 3 : 2, at = 0;
	for (size_t w = 0; w < words; w++)
		at += strcspn(drop + at, " ") + (w + 1 < words);
	const char *sql = rt__arena_printf(arena, "%.*s IF EXISTS%s CASCADE", (int)at, drop,
					   drop + at);
	if (!sql)
		return rt__error_nomem();
	if ((rc = d->exec(conn, sql)) < 0)
		return rc;
	list.count = 0;
	if ((rc = rt__ddl_sql_object(arena, &list, o, RT_SQL_CREATE, d)) < 0)
		return rc;
	const char *create = list.items[0];
	if (o->kind == RT_SQL_MATERIALIZED_VIEW && !o->no_data &&
	    !(create = rt__arena_printf(arena, "%s WITH NO DATA", create)))
		return rt__error_nomem();
	return d->exec(conn, create);
}

int rt__postgres_render_sql_objects(const rt_dialect *d, rt_driver_conn *conn, rt_schema *schema)
{
	if (!schema->sql_object_count)
		return RT_OK;
	rt_arena *tmp = rt__arena_new();
	if (!tmp)
		return rt__error_nomem();
	int rc = d->exec(conn, "BEGIN");
	for (size_t i = 0; rc >= 0 && i < schema->sql_object_count; i++) {
		rt_sql_object *o = schema->sql_objects[i];
		if ((rc = d->exec(conn, "SAVEPOINT retort_render")) < 0)
			break;
		const char *text = make(d, conn, tmp, o, i) < 0 ? NULL
									 : read_back(d, conn, tmp, schema, o);
		rc = d->exec(conn, text ? "RELEASE SAVEPOINT retort_render"
					: "ROLLBACK TO SAVEPOINT retort_render");
		if (rc >= 0 && text && !(o->rendered = rt__arena_strdup(schema->arena, text)))
			rc = rt__error_nomem();
	}
	int end = d->exec(conn, "ROLLBACK");
	rt__arena_free(tmp);
	return rc < 0 ? rc : end < 0 ? end : RT_OK;
}
