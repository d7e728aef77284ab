/*
 * engine_schema.c - the schema operations that need a database
 * (retort/engine.h): reflection of the connected database (the schemas
 * retort.ini lists where the backend has them), the DDL text of a schema
 * for the connection's dialect, and create/drop all, in one transaction
 * where the dialect can roll DDL back.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "dialect/registry.h"
#include "sql/ddl.h"

int rt_schema_reflect(rt_schema **out, rt_conn *conn)
{
	return rt__conn_reflect(out, conn, NULL, 0);
}

int rt__conn_reflect(rt_schema **out, rt_conn *conn, const char *const *schemas, size_t count)
{
	if (!out || !conn)
		return rt__error_set(RT_EINVAL, "rt_schema_reflect: NULL argument");
	*out = NULL;
	/* Schemas besides the default one, where the backend has none, would
	 * be read as nothing without a word. */
	for (size_t i = 0; !conn->dialect->read_schemas && i < count; i++)
		if (strcmp(schemas[i], RT_DEFAULT_SCHEMA) != 0)
			return rt__error_set(RT_EINVAL,
					     "schemas lists %s: %s has no schemas of tables "
					     "(PostgreSQL's); list none, or public alone",
					     schemas[i], conn->dialect->name);
	if (conn->dialect->read_schemas) {
		int rc = conn->dialect->read_schemas(conn->dialect, conn->driver, schemas, count);
		if (rc < 0)
			return rt__conn_check(conn, rc);
	}
	return conn->dialect->reflect(out, conn->dialect, conn->driver);
}

int rt__conn_render_sql_objects(rt_conn *conn, rt_schema *schema)
{
	if (!conn || !schema)
		return rt__error_set(RT_EINVAL, "rt__conn_render_sql_objects: NULL argument");
	if (!conn->dialect->render_sql_objects)
		return RT_OK;
	return rt__conn_check(conn, conn->dialect->render_sql_objects(conn->dialect, conn->driver,
								      schema));
}

static int render(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
		  const rt_dialect *dialect, rt_ddl_kind kind)
{
	memset(list, 0, sizeof(*list));
	return kind == RT_DDL_DROP ? rt__ddl_drop_all(arena, list, schema, dialect)
				   : rt__ddl_create_all(arena, list, schema, dialect);
}

int rt_schema_ddl(char **out, const rt_schema *schema, const char *dialect_name,
		  rt_ddl_kind kind)
{
	if (!out || !schema || !dialect_name)
		return rt__error_set(RT_EINVAL, "rt_schema_ddl: NULL argument");
	*out = NULL;
	const rt_dialect *dialect = rt__dialect_find(dialect_name);
	if (!dialect)
		return rt__backend_error(dialect_name, "dialect", NULL);
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_sql_list list;
	int rc = render(arena, &list, schema, dialect, kind);
	if (rc == RT_OK) {
		rt_buf buf = RT_BUF_INIT;
		rt__ddl_join(&buf, &list);
		if (!(*out = rt__buf_detach(&buf)))
			rc = rt__error_nomem();
	}
	rt__arena_free(arena);
	return rc;
}

/* Runs the statements, in one transaction when the dialect can roll DDL
 * back and the caller has none open; on failure nothing is left half done
 * (where the database allows) and the first error is what is reported. */
static int run_all(rt_conn *conn, const rt_schema *schema, rt_ddl_kind kind)
{
	if (!conn || !schema)
		return rt__error_set(RT_EINVAL, "%s: NULL argument",
				     kind == RT_DDL_DROP ? "rt_schema_drop_all" : "rt_schema_create_all");
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_sql_list list;
	int rc = render(arena, &list, schema, conn->dialect, kind);
	bool own_transaction = rc == RT_OK && conn->dialect->caps.transactional_ddl &&
			       !conn->in_transaction;
	if (own_transaction)
		rc = rt_conn_begin(conn);
	for (size_t i = 0; rc == RT_OK && i < list.count; i++)
		rc = rt_conn_execute(conn, list.items[i]);
	if (own_transaction && conn->in_transaction) {
		if (rc == RT_OK) {
			rc = rt_conn_commit(conn);
		}
		if (rc < 0 && conn->in_transaction) {
			/* Keep the statement's error, not the rollback's. */
			rt_error saved = *rt_error_last();
			char *message = strdup(saved.message);
			char *constraint = strdup(saved.constraint_name);
			char sqlstate[6];
			snprintf(sqlstate, sizeof(sqlstate), "%s", saved.sqlstate);
			rt_conn_rollback(conn);
			rt__error_set_db(saved.code, sqlstate, saved.driver_code,
					 saved.constraint_kind, constraint, "%s",
					 message ? message : "DDL failed");
			free(message);
			free(constraint);
		}
	}
	rt__arena_free(arena);
	return rc;
}

int rt_schema_create_all(rt_conn *conn, const rt_schema *schema)
{
	return run_all(conn, schema, RT_DDL_CREATE);
}

int rt_schema_drop_all(rt_conn *conn, const rt_schema *schema)
{
	return run_all(conn, schema, RT_DDL_DROP);
}
