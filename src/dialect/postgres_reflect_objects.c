/*
 * postgres_reflect_objects.c - what a PostgreSQL schema holds besides the
 * tables, columns, keys, indexes and enum types: the SQL objects the
 * schema language declares (domains, sequences no column owns, functions,
 * aggregates, procedures, views, materialized views, triggers) and what
 * it cannot (rt_db_object in metadata.h): indexes of an operator class of
 * their own or NULLS FIRST, a partition's own triggers, the
 * partitions that are foreign tables, composite and range types,
 * aggregates of other kinds.
 *
 * One catalog query per kind, whatever the number of tables, each in the
 * order the objects were made (their oids), with the statement that makes
 * each again as PostgreSQL renders it (pg_get_viewdef, pg_get_triggerdef,
 * ...), so that autogenerate can name them and, when told to drop one,
 * write the exact inverse. What an extension installed belongs to the
 * extension and is left out, as are the sequences behind serial and
 * identity columns (their column's) and the indexes reflection already
 * made part of a table.
 */
#include <ctype.h>
#include <string.h>

#include "base/error.h"
#include "dialect/postgres.h"

/* The object's schema when it is not public (a trigger's and an index's
 * is their table's, which names it): its name is then "<schema>.<name>". */
#define OWN_SCHEMA " CASE WHEN n.nspname <> 'public' THEN n.nspname END"

/* Not a member of an extension (catalog: the pg_* table of the object). */
#define NOT_EXTENSION(catalog, oid)                                                  \
	" AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" catalog     \
	"'::regclass AND e.objid = " oid " AND e.deptype = 'e')"

/*
 * Every query returns: kind, name, table (or NULL), the whole CREATE
 * statement (or NULL), else what follows "CREATE <KIND> <name>" (or NULL:
 * not known), what follows "DROP <KIND> " when the quoted name is not
 * enough (a function's signature), a function's arguments, and, for an
 * object the schema language declares (rt_sql_object), its SQL as the
 * language keeps it (a view's query, a function's or trigger's whole
 * statement), else NULL; and the kind's own flag: whether a materialized
 * view is unpopulated (WITH NO DATA), a view `security invoker`; and the
 * object's schema when it is not public.
 */
/* A view whose one option is security_invoker=true (`security invoker`). */
#define INVOKER_ONLY                                                                     \
	"COALESCE(c.relkind = 'v' AND c.reloptions = ARRAY['security_invoker=true'], false)"

const char *const rt__pg_object_queries[] = {
	/* Domains (the language's), composite types and ranges. A range's
	 * definition has more than its subtype (operator class, canonical
	 * function): unknown. */
	"SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, t.typname, NULL, NULL,"
	" CASE t.typtype"
	"  WHEN 'c' THEN ' AS (' || COALESCE((SELECT string_agg(quote_ident(a.attname) || ' '"
	"      || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)"
	"      FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0"
	"      AND NOT a.attisdropped), '') || ')'"
	" END," RT_PG_QUALIFIED("n.nspname", "t.typname") ", NULL,"
	" CASE WHEN t.typtype = 'd' THEN " RT_PG_DOMAIN_SQL("t") " END, false," OWN_SCHEMA
	" FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND (t.typtype IN ('d', 'r') OR (t.typtype = 'c'"
	"  AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))"
	NOT_EXTENSION("pg_type", "t.oid")
	" ORDER BY t.oid",

	/* Sequences no column owns (serial: 'a', identity: 'i'): the
	 * language's. One a column owns is that column's. */
	"SELECT 'sequence', c.relname, NULL, NULL, NULL, NULL, NULL, " RT_PG_SEQUENCE_SQL("c", "s")
	", false," OWN_SCHEMA " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_sequence s ON s.seqrelid = c.oid"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND c.relkind = 'S'"
	" AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass"
	"  AND e.objid = c.oid AND e.deptype IN ('a', 'i', 'e'))"
	" ORDER BY c.oid",

	/* Functions, procedures and aggregates, with their arguments' types,
	 * which tell overloads apart. pg_get_functiondef cannot render an
	 * aggregate: it is written from pg_aggregate (RT_PG_AGGREGATE_SQL),
	 * and one that cannot be so (ordered-set, moving) stays the
	 * database's, its statement unknown. Window functions stay the
	 * database's. */
	"SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'"
	"  ELSE 'function' END, p.proname, NULL,"
	" CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END, NULL,"
	" p.oid::regprocedure::text, " RT_PG_ROUTINE_ARGS("p") ","
	" CASE WHEN p.prokind IN ('f', 'p') THEN rtrim(pg_get_functiondef(p.oid), E' \\n')"
	"  WHEN p.prokind = 'a' THEN " RT_PG_AGGREGATE_SQL("p", "ag") " END, false," OWN_SCHEMA
	" FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
	" LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") NOT_EXTENSION("pg_proc", "p.oid")
	" ORDER BY p.oid",

	/* Views and materialized views, options (check_option, ...) kept;
	 * one with options is not what the language's `view` says, but for a
	 * view's security_invoker=true alone, its `security invoker`. A
	 * materialized view left unpopulated is `with no data`. (The last
	 * column is the kind's own flag.) */
	"SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END, c.relname,"
	" NULL, NULL,"
	" COALESCE(' WITH (' || array_to_string(c.reloptions, ', ') || ')', '') || ' AS '"
	" || " RT_PG_VIEW_QUERY("c.oid")
	" || CASE WHEN c.relkind = 'm' AND NOT c.relispopulated THEN ' WITH NO DATA' ELSE '' END,"
	RT_PG_QUALIFIED("n.nspname", "c.relname") ", NULL,"
	" CASE WHEN c.reloptions IS NULL OR " INVOKER_ONLY " THEN " RT_PG_VIEW_QUERY("c.oid") " END,"
	" CASE c.relkind WHEN 'm' THEN NOT c.relispopulated ELSE " INVOKER_ONLY " END," OWN_SCHEMA
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND c.relkind IN ('v', 'm')"
	NOT_EXTENSION("pg_class", "c.oid")
	" ORDER BY c.oid",

	/* Indexes no constraint stands behind that reflection did not make
	 * part of a table or materialized view: of an access method the
	 * language has no word for (an extension's), with a key in an
	 * operator class of its own or with NULLs where its order does not
	 * put them, or on a materialized view with options (which the
	 * language does not declare). (Tested first, this keeps the
	 * constraint test to those few: at 10,000 tables, testing every index
	 * took 0.3 s.) An index attached to a partitioned table's
	 * (i.relispartition) is that one's. */
	"SELECT 'index', i.relname," RT_PG_TABLE_NAME("n.nspname", "c.relname") ","
	" pg_get_indexdef(x.indexrelid), NULL," RT_PG_QUALIFIED("n.nspname", "i.relname") ","
	" NULL, NULL, false, NULL"
	" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
	" JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE (c.relkind = 'm' AND c.reloptions IS NOT NULL OR NOT"
	RT_PG_MODELABLE_INDEX("x", "i") ")"
	" AND" RT_PG_IN_SCHEMAS("n.nspname") " AND c.relkind IN ('r', 'p', 'm')"
	" AND NOT i.relispartition"
	" AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = x.indexrelid"
	"  AND co.conrelid = x.indrelid AND co.contype IN ('p', 'u', 'x'))"
	NOT_EXTENSION("pg_class", "i.oid")
	" ORDER BY i.oid",

	/* The partitions that are foreign tables (a partition that is a
	 * table is one of the schema's tables: postgres_reflect_part.c).
	 * Named, never dropped (diff_unmanaged.c): that would lose rows. */
	"SELECT 'partition', c.relname, p.relname, 'CREATE TABLE ' || quote_ident(c.relname)"
	" || ' PARTITION OF ' || quote_ident(p.relname) || ' ' || pg_get_expr(c.relpartbound, c.oid)"
	" || COALESCE(' PARTITION BY ' || CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
	"  ''), NULL, NULL, NULL, NULL, false, NULL"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_inherits h ON h.inhrelid = c.oid JOIN pg_class p ON p.oid = h.inhparent"
	" WHERE n.nspname = 'public' AND c.relispartition AND c.relkind = 'f'"
	NOT_EXTENSION("pg_class", "c.oid")
	" ORDER BY c.oid",

	/* Triggers the user made (not those behind foreign keys). */
	"SELECT 'trigger', t.tgname," RT_PG_TABLE_NAME("n.nspname", "c.relname") ","
	" pg_get_triggerdef(t.oid), NULL,"
	" CASE WHEN n.nspname <> 'public' THEN quote_ident(t.tgname) || ' ON '"
	"   || quote_ident(n.nspname) || '.' || quote_ident(c.relname) END, NULL,"
	" pg_get_triggerdef(t.oid), false, NULL"
	" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND NOT t.tgisinternal"
	" AND (NOT c.relispartition OR t.tgparentid = 0)"
	NOT_EXTENSION("pg_trigger", "t.oid")
	" ORDER BY t.oid",
};
const int rt__pg_object_query_count =
	(int)(sizeof(rt__pg_object_queries) / sizeof(rt__pg_object_queries[0]));

#define COLUMNS 10

static void put_kind(rt_buf *sql, const char *kind)
{
	for (const char *p = kind; *p; p++)
		rt__buf_putc(sql, (char)toupper((unsigned char)*p));
}

static const char *finish(rt_arena *arena, rt_buf *sql)
{
	const char *out = rt__buf_failed(sql) ? NULL : rt__arena_strdup(arena, rt__buf_cstr(sql));
	rt__buf_free(sql);
	return out;
}

/* "DROP TRIGGER "t" ON "users"", "DROP FUNCTION touch()", ...; target,
 * when the query gave one, is what follows the kind as it is (an index
 * or trigger of a table outside public, named with its schema). */
static const char *drop_statement(rt_arena *arena, const rt_dialect *d, const char *kind,
				  const char *name, const char *table, const char *target)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "DROP ");
	/* A partition is a table (dropped with its rows: diff never does). */
	put_kind(&sql, strcmp(kind, "partition") == 0 ? "table" : kind);
	rt__buf_putc(&sql, ' ');
	if (target)
		rt__buf_puts(&sql, target);
	else
		d->quote_ident(&sql, name);
	if (!target && strcmp(kind, "trigger") == 0 && table) {
		rt__buf_puts(&sql, " ON ");
		d->quote_ident(&sql, table);
	}
	return finish(arena, &sql);
}

/* "CREATE VIEW "v" AS ...": the rest of the statement after the name
 * ("billing"."v" for one of schema billing). */
static const char *create_statement(rt_arena *arena, const rt_dialect *d, const char *kind,
				    const char *schema, const char *name, const char *rest)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "CREATE ");
	put_kind(&sql, kind);
	rt__buf_putc(&sql, ' ');
	if (schema) {
		d->quote_ident(&sql, schema);
		rt__buf_putc(&sql, '.');
	}
	d->quote_ident(&sql, name);
	rt__buf_puts(&sql, rest);
	return finish(arena, &sql);
}

static const char *text_of(const rt_value *v)
{
	return v->type == RT_VALUE_TEXT ? v->s : NULL;
}

/* An object the language declares: one of the schema's SQL objects, of
 * PostgreSQL schema nsp (NULL: public); flag is the kind's own (a
 * materialized view's WITH NO DATA, a view's security invoker). */
static int add_sql_object(rt_schema *schema, const char *kind, const char *nsp,
			  const char *name, const char *args, const char *table, const char *sql,
			  bool flag)
{
	rt_sql_kind k = RT_SQL_TRIGGER;
	for (int i = 0; i < RT_SQL_KIND_COUNT; i++)
		if (strcmp(kind, rt__sql_kind_name((rt_sql_kind)i)) == 0)
			k = (rt_sql_kind)i;
	if (!rt__sql_kind_has_args(k))
		args = NULL;
	const char *normal = args ? rt__sql_args_normal(schema->arena, args) : NULL;
	rt_sql_object *o = args && !normal ? NULL
		: rt__schema_add_sql_object(schema, k, name, normal,
					    k == RT_SQL_TRIGGER ? table : NULL, sql);
	if (!o || rt__sql_object_set_schema(schema, o, nsp) < 0)
		return rt__error_nomem();
	o->no_data = k == RT_SQL_MATERIALIZED_VIEW && flag;
	o->security_invoker = k == RT_SQL_VIEW && flag;
	return RT_OK;
}

static int add_row(rt_schema *schema, const rt_dialect *d, const rt_value *row)
{
	const char *kind = text_of(&row[0]), *name = text_of(&row[1]), *table = text_of(&row[2]);
	const char *create = text_of(&row[3]), *rest = text_of(&row[4]);
	if (!kind || !name)
		return RT_OK;
	if (strcmp(kind, "index") == 0 && table) {
		const rt_table *t = rt__schema_find_table(schema, table);
		if (t && rt__table_find_index(t, name))
			return RT_OK;
	}
	rt_arena *arena = schema->arena;
	const char *model_sql = text_of(&row[7]), *args = text_of(&row[6]);
	const char *nsp = text_of(&row[9]);
	if (model_sql)
		return add_sql_object(schema, kind, nsp, name, args, table, model_sql,
				      row[8].type == RT_VALUE_BOOL && row[8].i);
	if (!create && rest && !(create = create_statement(arena, d, kind, nsp, name, rest)))
		return rt__error_nomem();
	const char *drop = drop_statement(arena, d, kind, name, table, text_of(&row[5]));
	/* Named as the schema language names a table of its schema. */
	const char *label = nsp ? rt__arena_printf(arena, "%s.%s", nsp, name) : name;
	rt_db_object *o = drop && label
				  ? rt__schema_add_object(schema, kind, label, table, create, drop)
				  : NULL;
	if (!o || (args && !(o->args = rt__arena_strdup(arena, args))))
		return rt__error_nomem();
	return RT_OK;
}

static int read_kind(rt_schema *schema, const rt_dialect *d, rt_driver_conn *conn,
		     const char *sql)
{
	rt_driver_stmt *stmt = NULL;
	int rc = d->prepare(&stmt, conn, sql);
	while (rc >= 0 && (rc = d->step(stmt)) == RT_ROW) {
		rt_value row[COLUMNS];
		for (int i = 0; rc >= 0 && i < COLUMNS; i++)
			rc = d->column_value(stmt, i, &row[i]);
		if (rc >= 0)
			rc = add_row(schema, d, row);
	}
	d->finalize(stmt);
	return rc < 0 ? rc : RT_OK;
}

int rt__postgres_reflect_objects(rt_schema *schema, const rt_dialect *d, rt_driver_conn *conn)
{
	for (int i = 0; i < rt__pg_object_query_count; i++) {
		int rc = read_kind(schema, d, conn, rt__pg_object_queries[i]);
		if (rc < 0)
			return rc;
	}
	return rt__schema_order_sql_objects(schema);
}
