/*
 * ddl_objects.c - the statements that create, replace and drop views,
 * materialized views, functions and triggers (rt_sql_object), for any
 * dialect, from its capabilities (dialect.h: sql_object_kinds and the
 * ways it replaces and drops them).
 *
 * A view's SQL is its query: CREATE [MATERIALIZED] VIEW name AS <query>.
 * A function's and a trigger's is the whole CREATE statement, run as it
 * is. Replacing is CREATE OR REPLACE where the backend has it (a view; a
 * function whose statement says CREATE FUNCTION is made to say CREATE OR
 * REPLACE FUNCTION), else DROP and CREATE. A kind the backend lacks is
 * refused by name before any statement is written.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "dialect/registry.h"
#include "sql/ddl.h"

static const char *title(const rt_dialect *dialect)
{
	const rt_backend *backend = rt__backend_find(dialect->name, -1);
	return backend && backend->title ? backend->title : dialect->name;
}

bool rt__ddl_has_sql_kind(const rt_dialect *dialect, rt_sql_kind kind)
{
	return (dialect->caps.sql_object_kinds >> kind) & 1u;
}

int rt__ddl_check_sql_object(const rt_dialect *dialect, const rt_sql_object *o)
{
	if (rt__ddl_has_sql_kind(dialect, o->kind))
		return rt__ddl_check_name(dialect, rt__sql_kind_name(o->kind), o->name);
	const char *kinds = o->kind == RT_SQL_FUNCTION ? "functions"
			    : o->kind == RT_SQL_MATERIALIZED_VIEW ? "materialized views"
			    : o->kind == RT_SQL_VIEW ? "views"
						     : "triggers";
	return rt__error_set(RT_EINVAL, "%s %s: %s has no %s", rt__sql_kind_name(o->kind), o->name,
			     title(dialect), kinds);
}

int rt__ddl_check_sql_objects(const rt_dialect *dialect, const rt_schema *schema)
{
	for (size_t i = 0; i < schema->sql_object_count; i++) {
		int rc = rt__ddl_check_sql_object(dialect, schema->sql_objects[i]);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The SQL as one statement: without the whitespace and ';' it ends with. */
static void put_statement(rt_buf *buf, const char *sql)
{
	size_t len = strlen(sql);
	while (len && (isspace((unsigned char)sql[len - 1]) || sql[len - 1] == ';'))
		len--;
	rt__buf_put(buf, sql, len);
}

static int push(rt_arena *arena, rt_sql_list *list, rt_buf *buf)
{
	if (rt__buf_failed(buf))
		return rt__error_nomem();
	const char *sql = rt__arena_strdup(arena, rt__buf_cstr(buf));
	rt__buf_clear(buf);
	return sql ? rt__sql_list_push(arena, list, sql, RT_STMT_OTHER) : rt__error_nomem();
}

/* A trigger's table, as rt_table.name has it: billing.accounts is table
 * accounts of schema billing where the dialect has schemas (a trigger
 * names no rt_table to ask; a table of public whose own name holds a dot
 * is read so too there). */
static void put_table(rt_buf *buf, const rt_dialect *dialect, const char *table)
{
	const char *dot = dialect->caps.schemas ? strchr(table, '.') : NULL;
	if (dot && dot != table && dot[1]) {
		rt_buf schema = RT_BUF_INIT;
		rt__buf_put(&schema, table, (size_t)(dot - table));
		dialect->quote_ident(buf, rt__buf_cstr(&schema));
		rt__buf_free(&schema);
		rt__buf_putc(buf, '.');
		table = dot + 1;
	}
	dialect->quote_ident(buf, table);
}

static void put_view_keyword(rt_buf *buf, const rt_sql_object *o)
{
	rt__buf_puts(buf, o->kind == RT_SQL_MATERIALIZED_VIEW ? "MATERIALIZED VIEW " : "VIEW ");
}

static void put_create(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o,
		       bool or_replace)
{
	if (o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW) {
		rt__buf_puts(buf, or_replace ? "CREATE OR REPLACE " : "CREATE ");
		put_view_keyword(buf, o);
		dialect->quote_ident(buf, o->name);
		rt__buf_puts(buf, " AS ");
	}
	put_statement(buf, o->sql);
}

static void put_drop(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o)
{
	rt__buf_puts(buf, "DROP ");
	switch (o->kind) {
	case RT_SQL_VIEW:
	case RT_SQL_MATERIALIZED_VIEW: put_view_keyword(buf, o); break;
	case RT_SQL_FUNCTION: rt__buf_puts(buf, "FUNCTION "); break;
	case RT_SQL_TRIGGER:
	case RT_SQL_KIND_COUNT: rt__buf_puts(buf, "TRIGGER "); break;
	}
	dialect->quote_ident(buf, o->name);
	if (o->kind == RT_SQL_FUNCTION && o->args && dialect->caps.function_drop_args)
		rt__buf_puts(buf, o->args);
	if (o->kind == RT_SQL_TRIGGER && o->table && dialect->caps.trigger_names_per_table) {
		rt__buf_puts(buf, " ON ");
		put_table(buf, dialect, o->table);
	}
}

/* "CREATE FUNCTION" at the start of sql (any case and spacing): the length
 * of "CREATE", after which " OR REPLACE" goes; 0 when it is not there. */
static size_t create_function_at(const char *sql)
{
	const char *p = sql;
	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "CREATE", 6) != 0 || !isspace((unsigned char)p[6]))
		return 0;
	const char *q = p + 6;
	while (isspace((unsigned char)*q))
		q++;
	return strncasecmp(q, "FUNCTION", 8) == 0 && !isalnum((unsigned char)q[8])
		       ? (size_t)(p - sql) + 6
		       : 0;
}

static bool says_or_replace(const char *sql)
{
	const char *p = sql;
	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "CREATE", 6) != 0)
		return false;
	p += 6;
	while (isspace((unsigned char)*p))
		p++;
	return strncasecmp(p, "OR", 2) == 0 && isspace((unsigned char)p[2]);
}

/* Writes the replacement in place when the backend can, else nothing
 * (the caller drops and creates): true when written. */
static bool put_in_place(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o)
{
	if (o->kind == RT_SQL_VIEW && dialect->caps.view_or_replace) {
		put_create(buf, dialect, o, true);
		return true;
	}
	if (o->kind != RT_SQL_FUNCTION || !dialect->caps.function_or_replace)
		return false;
	if (says_or_replace(o->sql)) {
		put_statement(buf, o->sql);
		return true;
	}
	size_t at = create_function_at(o->sql);
	if (!at)
		return false;
	rt__buf_put(buf, o->sql, at);
	rt__buf_puts(buf, " OR REPLACE");
	put_statement(buf, o->sql + at);
	return true;
}

int rt__ddl_sql_object(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
		       rt_ddl_action action, const rt_dialect *dialect)
{
	int rc = rt__ddl_check_sql_object(dialect, o);
	if (rc < 0)
		return rc;
	rt_buf buf = RT_BUF_INIT;
	if (action == RT_SQL_REPLACE && put_in_place(&buf, dialect, o)) {
		rc = push(arena, list, &buf);
	} else {
		if (action != RT_SQL_CREATE) {
			put_drop(&buf, dialect, o);
			rc = push(arena, list, &buf);
		}
		if (rc == RT_OK && action != RT_SQL_DROP) {
			put_create(&buf, dialect, o, false);
			rc = push(arena, list, &buf);
		}
	}
	rt__buf_free(&buf);
	return rc;
}

int rt__ddl_create_sql_objects(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
			       const rt_dialect *dialect)
{
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < schema->sql_object_count; i++)
		rc = rt__ddl_sql_object(arena, list, schema->sql_objects[i], RT_SQL_CREATE, dialect);
	return rc;
}

int rt__ddl_drop_sql_objects(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
			     const rt_dialect *dialect)
{
	int rc = RT_OK;
	for (size_t i = schema->sql_object_count; rc == RT_OK && i-- > 0;)
		rc = rt__ddl_sql_object(arena, list, schema->sql_objects[i], RT_SQL_DROP, dialect);
	return rc;
}
