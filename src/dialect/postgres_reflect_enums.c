/*
 * postgres_reflect_enums.c - the enum types of the schemas reflection
 * reads (public, and retort.ini's schemas: RT_PG_IN_SCHEMAS), each an
 * enum of the schema language, named in CamelCase (cart_status ->
 * CartStatus), with its PostgreSQL schema when it is not public
 * (billing.invoice_state -> enum billing.InvoiceState); and the enum a
 * column's type names (postgres_reflect.c).
 */
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "dialect/postgres.h"
#include "schema/naming.h"

/* A column of the current row as text; NULL for SQL NULL. */
static const char *text_at(const rt_pg_query *q, int column)
{
	return q->row[column].type == RT_VALUE_TEXT ? q->row[column].s : NULL;
}

/* The enum types of every schema read, public's first (an enum of another
 * schema whose name in CamelCase one before it has is left out: the
 * language names enums in one namespace, the C types'). */
const char rt__pg_enums_sql[] =
	"SELECT n.nspname, t.typname, e.enumlabel"
	" FROM pg_type t"
	" JOIN pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_enum e ON e.enumtypid = t.oid"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND t.typtype = 'e'"
	" ORDER BY n.nspname <> 'public', n.nspname COLLATE \"C\", t.typname COLLATE \"C\","
	" e.enumsortorder";

/* *out: the enum (CamelCase name) of the type nsp.type, or NULL when an
 * enum of another schema has that name: such a type is named as not kept
 * and its columns keep their type verbatim. */
static int add_enum(rt_schema *schema, const char *nsp, const char *type, rt_enum **out)
{
	*out = NULL;
	const char *name = rt__name_camel_case(schema->arena, type);
	if (!name)
		return rt__error_nomem();
	const rt_enum *other = rt__schema_find_enum(schema, name);
	if (other)
		return rt__schema_not_kept(schema,
					   "enum type %s.%s: the enum %s of schema %s has its "
					   "name in the language (%s); its columns keep it verbatim",
					   nsp, type, other->sql_name,
					   other->schema ? other->schema : RT_DEFAULT_SCHEMA, name);
	rt_enum *e = rt__schema_add_enum(schema, name, type);
	if (!e || rt__enum_set_schema(schema, e, nsp) < 0)
		return rt__error_nomem();
	*out = e;
	return RT_OK;
}

int rt__pg_reflect_enums(rt_schema *schema, const rt_dialect *dialect, rt_driver_conn *conn)
{
	rt_pg_query q;
	int rc = rt__pg_query_open(&q, dialect, conn, schema->arena, rt__pg_enums_sql, 3);
	rt_enum *current = NULL;
	rt_buf seen = RT_BUF_INIT; /* the type of the rows read: "<nsp>.<type>" */
	rt_buf row = RT_BUF_INIT;
	while (rc >= 0 && (rc = rt__pg_query_next(&q)) == RT_ROW) {
		const char *nsp = text_at(&q, 0), *type = text_at(&q, 1), *label = text_at(&q, 2);
		rt__buf_clear(&row);
		rt__buf_printf(&row, "%s.%s", nsp, type);
		if (rt__buf_failed(&row)) {
			rc = rt__error_nomem();
			break;
		}
		if (!seen.len || strcmp(rt__buf_cstr(&seen), rt__buf_cstr(&row)) != 0) {
			rt__buf_clear(&seen);
			rt__buf_puts(&seen, rt__buf_cstr(&row));
			if ((rc = add_enum(schema, nsp, type, &current)) < 0)
				break;
		}
		if (current)
			rc = rt__enum_add_value(schema, current, label);
	}
	rt__buf_free(&seen);
	rt__buf_free(&row);
	rt__pg_query_close(&q);
	return rc < 0 ? rc : RT_OK;
}

rt_enum *rt__pg_enum_of_type(const rt_schema *schema, const char *qualified)
{
	for (size_t i = 0; qualified && i < schema->enum_count; i++) {
		rt_enum *e = schema->enums[i];
		const char *rest = qualified;
		size_t n = e->schema ? strlen(e->schema) : 0;
		if (n && (strncmp(rest, e->schema, n) != 0 || rest[n] != '.'))
			continue;
		if (strcmp(rest + (n ? n + 1 : 0), e->sql_name) == 0)
			return e;
	}
	return NULL;
}
