/*
 * postgres_reflect.c - reads a live PostgreSQL database (schema `public`,
 * and the other schemas retort.ini lists: rt__postgres_read_schemas)
 * back into the metadata model, in its normal form (schema/metadata.h).
 *
 * The catalog is read from pg_catalog rather than information_schema: the
 * latter is a stack of views that costs seconds on databases with many
 * tables. Five queries cover the whole schema (enums, tables, columns,
 * constraints, indexes; the enums' in postgres_reflect_enums.c), each
 * ordered by table, so the cost does not grow
 * with round trips per table. Queries go through the dialect's own driver
 * functions, never libpq directly.
 *
 * Types the schema language has no word for are kept verbatim
 * (postgres_types.c). What it cannot say at all is named in the schema's
 * not_kept lines (a domain's definition, an identity that is ALWAYS); an
 * index with a key the language cannot say is one of the schema's objects
 * (docs/postgresql.md).
 */
#include "dialect/postgres.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "schema/naming.h"

/* A column of the current row as text; NULL for SQL NULL. */
static const char *text_at(const rt_pg_query *q, int column)
{
	return q->row[column].type == RT_VALUE_TEXT ? q->row[column].s : NULL;
}

static bool bool_at(const rt_pg_query *q, int column)
{
	return q->row[column].type == RT_VALUE_BOOL && q->row[column].i;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The context of a reflection: the schema being built and where to read. */
typedef struct reflector {
	rt_schema *schema;
	const rt_dialect *dialect;
	rt_driver_conn *conn;
	/* A materialized view's name -> an object holding its indexes, read
	 * before the view itself is (attach_matview_indexes). */
	rt_map matviews;
} reflector;

static int reflector_open(reflector *r, rt_pg_query *q, const char *sql, int columns)
{
	return rt__pg_query_open(q, r->dialect, r->conn, r->schema->arena, sql, columns);
}

/* The same, its rows sorted here (postgres_catalog.c says why). */
static int reflector_open_sorted(reflector *r, rt_pg_query *q, const char *sql, int columns,
				 const int *keys, int key_count)
{
	return rt__pg_query_open_sorted(q, r->dialect, r->conn, r->schema->arena, sql, columns,
					keys, key_count);
}

/* --- tables ----------------------------------------------------------------- */

/* Ordinary and partitioned tables of schema public, partitions among
 * them (TABLES_SQL)... */
#define ANY_TABLE_FILTER RT_PG_IN_SCHEMAS("n.nspname") " AND c.relkind IN ('r', 'p')"
#define TABLE_NAME RT_PG_TABLE_NAME("n.nspname", "c.relname")
/* ...but a partition's columns are its partitioned table's, and so are
 * the constraints it inherited: only those of its own are read
 * (postgres_reflect_part.c). A constraint with a parent (conparentid) is
 * one PostgreSQL made from another: a foreign key to a partitioned table
 * gets one more on the referencing table for each partition it
 * references (t_c_fkey, t_c_fkey1, ...). */
#define TABLE_FILTER ANY_TABLE_FILTER " AND NOT c.relispartition"
/* Its indexes are its own but for those attached to an index of its
 * partitioned table (i.relispartition), which are that table's. A
 * materialized view's are read too, when the language declares the view
 * (no options: postgres_reflect_objects.c). */
#define OWN_INDEX_FILTER RT_PG_IN_SCHEMAS("n.nspname") " AND (c.relkind IN ('r', 'p')" \
	" OR c.relkind = 'm' AND c.reloptions IS NULL) AND NOT i.relispartition"
#define OWN_CONSTRAINT_FILTER                                                             \
	ANY_TABLE_FILTER " AND (NOT c.relispartition OR co.coninhcount = 0)"                 \
			 " AND co.conparentid = 0"

/* A comment is a row of pg_description (objsubid 0 for the table, the
 * column's number for a column), joined once: obj_description() and
 * col_description() look it up again per row, which at 10,000 tables made
 * the columns query take half as long again. (The key objoid, classoid,
 * objsubid is unique: the join never repeats a row.) */
#define COMMENT_JOIN(alias, subid)                                                   \
	" LEFT JOIN pg_description " alias " ON " alias ".objoid = c.oid AND " alias     \
	".classoid = 'pg_class'::regclass AND " alias ".objsubid = " subid

static const char TABLES_SQL[] =
	"SELECT" TABLE_NAME ", ds.description, n.nspname, c.relname"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	COMMENT_JOIN("ds", "0")
	" WHERE" ANY_TABLE_FILTER
	" ORDER BY (" TABLE_NAME ") COLLATE \"C\"";

/* The schemas besides public that exist among those read. */
static const char NAMESPACES_SQL[] =
	"SELECT n.nspname FROM pg_namespace n"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND n.nspname <> 'public'"
	" ORDER BY n.nspname COLLATE \"C\"";

static int reflect_namespaces(reflector *r)
{
	rt_pg_query q;
	int rc = reflector_open(r, &q, NAMESPACES_SQL, 1);
	while (rc >= 0 && (rc = rt__pg_query_next(&q)) == RT_ROW)
		rc = rt__schema_add_namespace(r->schema, text_at(&q, 0));
	rt__pg_query_close(&q);
	return rc < 0 ? rc : RT_OK;
}

static int reflect_tables(reflector *r)
{
	rt_pg_query q;
	int rc = reflector_open(r, &q, TABLES_SQL, 4);
	while (rc >= 0 && (rc = rt__pg_query_next(&q)) == RT_ROW) {
		rt_table *table = rt__schema_add_table_in(r->schema, text_at(&q, 2),
							  text_at(&q, 3), NULL);
		const char *comment = text_at(&q, 1);
		if (!table || (comment && !(table->comment =
						    rt__arena_strdup(r->schema->arena, comment))))
			rc = rt__error_nomem();
	}
	rt__pg_query_close(&q);
	return rc < 0 ? rc : RT_OK;
}

/* The table a catalog row belongs to, remembered across consecutive rows. */
static rt_table *row_table(reflector *r, rt_table **last, const char *name)
{
	if (!*last || strcmp((*last)->name, name) != 0)
		*last = rt__schema_find_table(r->schema, name);
	return *last;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* --- columns ----------------------------------------------------------------- */

/* Every column's type as format_type() spells it: a domain by its name,
 * an enum outside public schema-qualified (and an enum's, or the element
 * enum's of an array of one, name beside: "mood" of public, else
 * "billing.mood"; rt__pg_enum_of_type); a generated column's
 * expression and whether it is virtual (PostgreSQL 18; 15 has stored
 * ones only); a collation other than the type's, by its name. Beside
 * them what the language cannot keep, for the warnings: a domain's base
 * type, default and checks where the language cannot declare the domain
 * (of a schema not read, or an extension's; postgres_reflect_objects.c
 * reads the others), an identity that is ALWAYS (the language's
 * autoincrement is BY DEFAULT).
 * Generated columns keep no default: their expression is not one. A
 * domain's description is made once per domain, in the join `dom`:
 * written inline per column it made the query twice as slow at 10,000
 * tables. A default is rendered without its table (pg_get_expr(.., 0)):
 * a DEFAULT cannot name a column, so the text is the same, and given the
 * table pg_get_expr opens it, which in a new connection builds the
 * table's cache entry and takes a lock: at 10,000 tables that was 40% of
 * the query. A generated column's expression names columns: it keeps its
 * table. */
static const char COLUMNS_SQL[] =
	"SELECT" TABLE_NAME ", a.attname, format_type(a.atttypid, a.atttypmod),"
	" a.attnotnull, a.attidentity <> '',"
	" CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) END,"
	" CASE WHEN t.typtype = 'e' THEN" RT_PG_TABLE_NAME("tn.nspname", "t.typname") " END,"
	" ds.description,"
	" dom.description,"
	" CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,"
	" CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN"
	"   (SELECT co.collname FROM pg_collation co"
	"    WHERE co.oid = a.attcollation) END,"
	" a.attidentity = 'a', a.attnum, a.attgenerated = 'v',"
	" CASE WHEN et.oid IS NOT NULL THEN" RT_PG_TABLE_NAME("etn.nspname", "et.typname") " END"
	" FROM pg_attribute a"
	" JOIN pg_class c ON c.oid = a.attrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_type t ON t.oid = a.atttypid"
	" LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'"
	"   AND et.typtype = 'e'"
	" JOIN pg_namespace tn ON tn.oid = t.typnamespace"
	" LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace"
	COMMENT_JOIN("ds", "a.attnum")
	" LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
	" LEFT JOIN (SELECT dt.oid, format_type(dt.typbasetype, dt.typtypmod)"
	"   || COALESCE(' DEFAULT ' || dt.typdefault, '')"
	"   || CASE WHEN dt.typnotnull THEN ' NOT NULL' ELSE '' END"
	"   || COALESCE((SELECT ' ' || string_agg(pg_get_constraintdef(dc.oid), ' '"
	"                ORDER BY dc.conname) FROM pg_constraint dc"
	"                WHERE dc.contypid = dt.oid), '') AS description"
	"   FROM pg_type dt JOIN pg_namespace dn ON dn.oid = dt.typnamespace"
	"   WHERE dt.typtype = 'd' AND (NOT" RT_PG_IN_SCHEMAS("dn.nspname") " OR EXISTS (SELECT 1"
	"    FROM pg_depend de WHERE de.classid = 'pg_type'::regclass AND de.objid = dt.oid"
	"    AND de.deptype = 'e'))) dom ON dom.oid = a.atttypid"
	" WHERE" TABLE_FILTER " AND a.attnum > 0 AND NOT a.attisdropped";
/* ORDER BY c.relname COLLATE "C", a.attnum, done here */
static const int COLUMNS_ORDER[] = {0, 12};

/* Names what the file cannot say about a column (DESIGN.md §6: nothing
 * is changed silently). */
static int note_lost(reflector *r, const rt_table *table, const rt_column *column,
		     const rt_pg_query *q)
{
	const char *domain = text_at(q, 8);
	int rc = RT_OK;
	if (bool_at(q, 11))
		rc = rt__schema_not_kept(r->schema,
					 "%s.%s: GENERATED ALWAYS AS IDENTITY (a value of the "
					 "program's own is refused); the language's autoincrement is "
					 "BY DEFAULT",
					 table->name, column->name);
	if (rc == RT_OK && domain)
		rc = rt__schema_not_kept(r->schema,
					 "%s.%s: domain %s (%s) is not managed by retort; the "
					 "file names it, a database made from the file needs it",
					 table->name, column->name, text_at(q, 2), domain);
	return rc;
}

static int add_column(reflector *r, rt_table *table, const rt_pg_query *q)
{
	rt_schema *schema = r->schema;
	rt_column *column = rt__table_add_column(schema, table, text_at(q, 1));
	if (!column)
		return rt__error_nomem();
	/* An enum of a schema read, or an array of one; another stays the
	 * verbatim type format_type spells. */
	const char *enum_type = text_at(q, 6), *element_enum = text_at(q, 14);
	rt_enum *e = enum_type      ? rt__pg_enum_of_type(schema, enum_type)
		   : element_enum ? rt__pg_enum_of_type(schema, element_enum)
				  : NULL;
	if (e) {
		column->type.kind = RT_TYPE_ENUM;
		column->type.enum_name = e->name;
		column->type.enum_type = e;
		column->type.array = !enum_type;
	} else {
		const char *spelling = rt__arena_strdup(schema->arena, text_at(q, 2));
		if (!spelling)
			return rt__error_nomem();
		rt__pg_type_read(&column->type, spelling);
	}
	column->nullable = !bool_at(q, 3);
	column->autoincrement = bool_at(q, 4);
	const char *comment = text_at(q, 7);
	if (comment && !(column->comment = rt__arena_strdup(schema->arena, comment)))
		return rt__error_nomem();
	const char *collation = text_at(q, 10);
	if (collation && !(column->collation = rt__arena_strdup(schema->arena, collation)))
		return rt__error_nomem();
	const char *generated = text_at(q, 9);
	if (generated) {
		/* pg_get_expr wraps it in parentheses: (net + tax) */
		const char *s = generated;
		size_t len = strlen(generated);
		rt__pg_unwrap(&s, &len);
		if (!(column->generated = rt__arena_strndup(schema->arena, s, len)))
			return rt__error_nomem();
		column->generated_virtual = bool_at(q, 13);
	}
	const char *expr = text_at(q, 5);
	int rc = expr ? rt__pg_parse_default(schema, column, expr) : RT_OK;
	return rc == RT_OK ? note_lost(r, table, column, q) : rc;
}

static int reflect_columns(reflector *r)
{
	rt_pg_query q;
	rt_table *table = NULL;
	int rc = reflector_open_sorted(r, &q, COLUMNS_SQL, 15, COLUMNS_ORDER, 2);
	while (rc >= 0 && (rc = rt__pg_query_next(&q)) == RT_ROW)
		if (row_table(r, &table, text_at(&q, 0)))
			rc = add_column(r, table, &q);
	rt__pg_query_close(&q);
	return rc < 0 ? rc : RT_OK;
}

/* --- constraints -------------------------------------------------------------- */

/* One row per constraint column, in key order, with the referenced column
 * beside it for foreign keys; whether it is DEFERRABLE (a foreign key's is
 * kept, another key's named in start_constraint, as is NOT VALID). */
static const char CONSTRAINTS_SQL[] =
	"SELECT" TABLE_NAME ", co.conname, co.contype, a.attname,"
	RT_PG_TABLE_NAME("rn.nspname", "r.relname") ", ra.attname,"
	" co.confdeltype, co.confupdtype,"
	" CASE WHEN co.contype = 'c' THEN pg_get_constraintdef(co.oid) END, k.position,"
	" CASE WHEN co.condeferrable THEN 'DEFERRABLE'"
	"   || CASE WHEN co.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END END,"
	" NOT co.convalidated"
	" FROM pg_constraint co"
	" JOIN pg_class c ON c.oid = co.conrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN LATERAL unnest(co.conkey, co.confkey) WITH ORDINALITY"
	"   AS k(attnum, refnum, position) ON true"
	" LEFT JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum"
	" LEFT JOIN pg_class r ON r.oid = co.confrelid"
	" LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace"
	" LEFT JOIN pg_attribute ra ON ra.attrelid = co.confrelid AND ra.attnum = k.refnum"
	" WHERE" OWN_CONSTRAINT_FILTER " AND co.contype IN ('p', 'u', 'f', 'c')";
/* ORDER BY c.relname COLLATE "C", co.conname COLLATE "C", k.position */
static const int CONSTRAINTS_ORDER[] = {0, 1, 9};

static rt_fk_action fk_action(const char *code)
{
	switch (code ? code[0] : 'a') {
	case 'r': return RT_FK_RESTRICT;
	case 'c': return RT_FK_CASCADE;
	case 'n': return RT_FK_SET_NULL;
	case 'd': return RT_FK_SET_DEFAULT;
	default: return RT_FK_NO_ACTION;
	}
}

/* "CHECK ((price >= (0)::numeric)) NOT VALID" -> "price >= (0)::numeric" */
static const char *check_body(rt_arena *arena, const char *def)
{
	const char *s = def;
	size_t len = strlen(def);
	if (starts_with(s, "CHECK ")) {
		s += 6;
		len -= 6;
	}
	static const char *const suffixes[] = {" NOT VALID", " NO INHERIT"};
	for (int again = 1; again;) {
		again = 0;
		for (size_t i = 0; i < 2; i++) {
			size_t n = strlen(suffixes[i]);
			if (len > n && strncmp(s + len - n, suffixes[i], n) == 0) {
				len -= n;
				again = 1;
			}
		}
	}
	rt__pg_unwrap(&s, &len);
	return rt__arena_strndup(arena, s, len);
}

static rt_constraint_kind constraint_kind(const char *code)
{
	switch (code ? code[0] : 'c') {
	case 'p': return RT_CONSTRAINT_PRIMARY_KEY;
	case 'u': return RT_CONSTRAINT_UNIQUE;
	case 'f': return RT_CONSTRAINT_FOREIGN_KEY;
	default: return RT_CONSTRAINT_CHECK;
	}
}

static int start_constraint(reflector *r, rt_table *table, const rt_pg_query *q, rt_constraint **out)
{
	rt_constraint_kind kind = constraint_kind(text_at(q, 2));
	rt_constraint *c = rt__table_add_constraint(r->schema, table, kind, text_at(q, 1));
	if (!c)
		return rt__error_nomem();
	const char *deferrable = text_at(q, 10);
	if (kind == RT_CONSTRAINT_FOREIGN_KEY) {
		c->ref_table = rt__arena_strdup(r->schema->arena, text_at(q, 4));
		c->on_delete = fk_action(text_at(q, 6));
		c->on_update = fk_action(text_at(q, 7));
		if (!c->ref_table)
			return rt__error_nomem();
		if (deferrable)
			c->deferrable = strstr(deferrable, "DEFERRED") ? RT_DEFERRABLE_DEFERRED
								       : RT_DEFERRABLE_IMMEDIATE;
		deferrable = NULL;
	} else if (kind == RT_CONSTRAINT_CHECK) {
		if (!(c->check = check_body(r->schema->arena, text_at(q, 8))))
			return rt__error_nomem();
	}
	*out = c;
	int rc = RT_OK;
	if (deferrable)
		rc = rt__schema_not_kept(r->schema,
					 "%s: constraint %s is %s (the language has words for it only "
					 "on a foreign key; a database made from the file checks it "
					 "at once)",
					 table->name, c->name, deferrable);
	if (rc == RT_OK && bool_at(q, 11))
		rc = rt__schema_not_kept(r->schema,
					 "%s: constraint %s is NOT VALID (rows older than it were not "
					 "checked; a database made from the file checks every row)",
					 table->name, c->name);
	return rc;
}

static int add_constraint_column(reflector *r, rt_constraint *c, const rt_pg_query *q)
{
	const char *column = text_at(q, 3);
	if (!column)
		return RT_OK; /* a check on no column: CHECK (true) */
	if (c->kind == RT_CONSTRAINT_CHECK) {
		/* A check keeps no column list; the one column it names is
		 * kept aside to tell a column-level check (settle_check),
		 * "" when it names several. */
		c->check_column = c->check_column ? "" : rt__arena_strdup(r->schema->arena, column);
		return c->check_column ? RT_OK : rt__error_nomem();
	}
	int rc = rt__constraint_add_column(r->schema, c, column, false);
	if (rc == RT_OK && c->kind == RT_CONSTRAINT_FOREIGN_KEY && text_at(q, 5))
		rc = rt__constraint_add_column(r->schema, c, text_at(q, 5), true);
	return rc;
}

/* A check on exactly one column, carrying that column's default check
 * name, was written on the column; any other is a table-level check. */
static int settle_check(reflector *r, const rt_table *table, rt_constraint *c)
{
	if (!c || c->kind != RT_CONSTRAINT_CHECK || !c->check_column)
		return RT_OK;
	const char *name = *c->check_column
				   ? rt__name_column_check(r->schema->arena,
							   rt__table_sql_name(table),
							   c->check_column)
				   : "";
	if (!name)
		return rt__error_nomem();
	if (strcmp(name, c->name) != 0)
		c->check_column = NULL;
	return RT_OK;
}

static int reflect_constraints(reflector *r)
{
	rt_pg_query q;
	rt_table *last = NULL, *owner = NULL;
	rt_constraint *c = NULL;
	int rc = reflector_open_sorted(r, &q, CONSTRAINTS_SQL, 12, CONSTRAINTS_ORDER, 3);
	while (rc >= 0 && (rc = rt__pg_query_next(&q)) == RT_ROW) {
		rt_table *table = row_table(r, &last, text_at(&q, 0));
		if (!table)
			continue;
		rc = RT_OK;
		if (!c || table != owner || !same(c->name, text_at(&q, 1)) ||
		    c->kind != constraint_kind(text_at(&q, 2))) {
			rc = settle_check(r, owner, c);
			owner = table;
			if (rc == RT_OK)
				rc = start_constraint(r, table, &q, &c);
		}
		if (rc == RT_OK)
			rc = add_constraint_column(r, c, &q);
	}
	if (rc >= 0)
		rc = settle_check(r, owner, c);
	rt__pg_query_close(&q);
	return rc < 0 ? rc : RT_OK;
}

/* --- indexes ------------------------------------------------------------------ */

/* Indexes made with CREATE INDEX (a partition's own among them): not those
 * behind a primary key or unique constraint (they are the constraint), nor
 * those attached to a partitioned table's index (they are that index), nor
 * those the language cannot
 * declare (RT_PG_MODELABLE_INDEX: an operator class of its own, NULLS
 * FIRST, an extension's method; postgres_reflect_objects.c lists them as
 * objects). One row per key and INCLUDE column: the column, or for an
 * expression (attnum 0) its text as PostgreSQL prints it; whether it is
 * an INCLUDE column and DESC; the method and the WHERE. */
static const char INDEXES_SQL[] =
	"SELECT" TABLE_NAME ", i.relname, x.indisunique, a.attname, k.position,"
	RT_PG_MODELABLE_INDEX("x", "i") ","
	" CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.position::int, true) END,"
	" k.position > x.indnkeyatts,"
	" COALESCE(x.indoption[k.position - 1] & 1 = 1, false),"
	" (SELECT m.amname FROM pg_am m WHERE m.oid = i.relam),"
	" pg_get_expr(x.indpred, x.indrelid, true)"
	" FROM pg_index x"
	" JOIN pg_class i ON i.oid = x.indexrelid"
	" JOIN pg_class c ON c.oid = x.indrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, position) ON true"
	" LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum"
	"   AND k.attnum > 0"
	" WHERE" OWN_INDEX_FILTER
	" AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = x.indexrelid"
	"   AND co.conrelid = x.indrelid AND co.contype IN ('p', 'u', 'x'))";
/* ORDER BY c.relname COLLATE "C", i.relname COLLATE "C", k.position. Whether
 * the index is one the language declares is a column, the index passed
 * over here when it is not: in the WHERE, the planner took the test for
 * a rare one and chose nested loops over every join (0.11 -> 0.20 s at
 * 10,000 tables). */
static const int INDEXES_ORDER[] = {0, 1, 4};

/* SQL text PostgreSQL printed, on one line and without the parentheses
 * around it all (the language's expression keys and WHERE are one line,
 * and the printer puts back what an expression needs). */
static const char *one_line(rt_arena *arena, const char *sql)
{
	char *out = rt__arena_strdup(arena, sql);
	if (!out)
		return NULL;
	char *o = out;
	for (const char *p = out; *p; p++) {
		bool blank = *p == '\n' || *p == '\r' || *p == '\t' || *p == ' ';
		if (blank && (o == out || o[-1] == ' '))
			continue;
		*o++ = blank ? ' ' : *p;
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	/* "(a + b)": its first '(' closes last, as a call's would after a
	 * name ("f(a + b)"); "(a) + (b)" is not wrapped. */
	size_t len = (size_t)(o - out);
	const char *as_call = len >= 2 && out[0] == '(' ? rt__arena_printf(arena, "f%s", out)
						      : NULL;
	if (as_call && rt__index_expr_is_call(as_call)) {
		out[len - 1] = '\0';
		return out + 1;
	}
	return out;
}

/* One row of INDEXES_SQL into index: a key or an INCLUDE column. */
static int add_index_row(reflector *r, rt_index *index, const rt_pg_query *q)
{
	rt_arena *arena = r->schema->arena;
	const char *column = text_at(q, 3), *expr = text_at(q, 6);
	if (bool_at(q, 7))
		return column ? rt__index_add_include(r->schema, index, column) : RT_OK;
	if (index->key_count == 0) {
		const char *method = text_at(q, 9), *where = text_at(q, 10);
		if (method && strcmp(method, "btree") != 0 &&
		    !(index->method = rt__arena_strdup(arena, method)))
			return rt__error_nomem();
		if (where && !(index->where = one_line(arena, where)))
			return rt__error_nomem();
	}
	if (!column && (!expr || !(expr = one_line(arena, expr))))
		return rt__error_nomem();
	return rt__index_add_key(r->schema, index, column, column ? NULL : expr, bool_at(q, 8));
}

/* The holder of the indexes of materialized view name, made at its first
 * index. */
static rt_sql_object *matview_holder(reflector *r, const char *name)
{
	rt_sql_object *o = rt__map_get(&r->matviews, name);
	if (o)
		return o;
	rt_arena *arena = r->schema->arena;
	if (!(o = rt__arena_alloc(arena, sizeof(*o))) ||
	    !(o->name = rt__arena_strdup(arena, name)) || rt__map_put(&r->matviews, o->name, o) < 0)
		return NULL;
	return o;
}

/* A new index of table name, or of materialized view name when no table
 * has it. */
static rt_index *new_index(reflector *r, rt_table **last, const char *owner, const char *name,
			   bool unique)
{
	rt_table *table = row_table(r, last, owner);
	if (table)
		return rt__table_add_index(r->schema, table, name, unique);
	rt_sql_object *matview = matview_holder(r, owner);
	return matview ? rt__sql_object_add_index(r->schema->arena, matview, name, unique) : NULL;
}

static int reflect_indexes(reflector *r)
{
	rt_pg_query q;
	rt_table *last = NULL;
	rt_index *index = NULL;
	int rc = reflector_open_sorted(r, &q, INDEXES_SQL, 11, INDEXES_ORDER, 3);
	while (rc >= 0 && (rc = rt__pg_query_next(&q)) == RT_ROW) {
		if (!bool_at(&q, 5))
			continue;
		const char *name = text_at(&q, 1);
		/* Index names are unique per schema, so the name alone tells
		 * a new index. */
		if (!index || !same(index->name, name)) {
			index = new_index(r, &last, text_at(&q, 0), name, bool_at(&q, 2));
			if (!index) {
				rc = rt__error_nomem();
				break;
			}
		}
		rc = add_index_row(r, index, &q);
	}
	rt__pg_query_close(&q);
	return rc < 0 ? rc : RT_OK;
}

/* Each materialized view the language declares takes the indexes read
 * for it; those of one it does not declare are objects not managed
 * (postgres_reflect_objects.c reads them so). */
static void attach_matview_indexes(reflector *r)
{
	rt_schema *schema = r->schema;
	for (size_t i = 0; i < schema->sql_object_count; i++) {
		rt_sql_object *o = schema->sql_objects[i];
		const rt_sql_object *holder = o->kind == RT_SQL_MATERIALIZED_VIEW
						      ? rt__map_get(&r->matviews, o->name)
						      : NULL;
		if (!holder)
			continue;
		o->indexes = holder->indexes;
		o->index_count = o->index_cap = holder->index_count;
	}
}

/* --- names ---------------------------------------------------------------------- */

/* The default name a constraint would get from the schema language, or
 * NULL when none applies (table-level checks are numbered: any
 * ck_<table>_<n> counts as default). */
static const char *default_constraint_name(rt_arena *arena, const rt_table *table,
					   const rt_constraint *c)
{
	const char *const *cols = c->columns;
	switch (c->kind) {
	case RT_CONSTRAINT_PRIMARY_KEY:
		return rt__name_primary_key(arena, rt__table_sql_name(table));
	case RT_CONSTRAINT_UNIQUE:
		return rt__name_unique(arena, rt__table_sql_name(table), cols, c->column_count);
	case RT_CONSTRAINT_FOREIGN_KEY:
		return rt__name_foreign_key(arena, rt__table_sql_name(table), cols, c->column_count,
					    rt__schema_table_sql_name(NULL, c->ref_table));
	case RT_CONSTRAINT_CHECK:
		if (c->check_column)
			return rt__name_column_check(arena, rt__table_sql_name(table),
						     c->check_column);
		break;
	}
	return NULL;
}

static bool is_numbered_check(const rt_table *table, const char *name)
{
	size_t n = strlen(rt__table_sql_name(table));
	if (strncmp(name, "ck_", 3) != 0 || strncmp(name + 3, rt__table_sql_name(table), n) != 0 ||
	    name[3 + n] != '_' || !name[4 + n])
		return false;
	for (const char *p = name + 4 + n; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* The indexes of owner (a table or materialized view) whose names are
 * not the language's default for their keys. */
static int mark_index_names(rt_arena *arena, const char *owner, rt_index **indexes,
			    size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const char *name = rt__name_index_keys(arena, owner, indexes[i]);
		if (!name)
			return -1;
		indexes[i]->name_given = strcmp(name, indexes[i]->name) != 0;
	}
	return 0;
}

/* name_given tells the printer which names must be written out: those
 * that differ from the name the schema language would derive. */
static int mark_given_names(rt_schema *schema)
{
	rt_arena *arena = schema->arena;
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		for (size_t i = 0; i <= table->constraint_count; i++) {
			rt_constraint *c = i < table->constraint_count ? table->constraints[i]
								       : table->primary_key;
			if (!c)
				continue;
			if (c->kind == RT_CONSTRAINT_CHECK && !c->check_column) {
				c->name_given = !is_numbered_check(table, c->name);
				continue;
			}
			const char *name = default_constraint_name(arena, table, c);
			if (!name)
				return rt__error_nomem();
			c->name_given = strcmp(name, c->name) != 0;
		}
		if (mark_index_names(arena, rt__table_sql_name(table), table->indexes, table->index_count) < 0)
			return rt__error_nomem();
	}
	for (size_t i = 0; i < schema->sql_object_count; i++) {
		const rt_sql_object *o = schema->sql_objects[i];
		if (mark_index_names(arena, rt__sql_object_sql_name(o), o->indexes, o->index_count) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* --- the whole schema ------------------------------------------------------------ */

/* The read_schemas hook: the session setting the queries read
 * (RT_PG_IN_SCHEMAS), public when none is given. A name holding a comma
 * could not be told apart in the list: refused. */
int rt__postgres_read_schemas(const rt_dialect *dialect, rt_driver_conn *conn,
			      const char *const *names, size_t count)
{
	rt_buf list = RT_BUF_INIT, sql = RT_BUF_INIT;
	for (size_t i = 0; i < count; i++) {
		if (strchr(names[i], ',')) {
			rt__buf_free(&list);
			return rt__error_set(RT_EINVAL, "schema '%s': a name holding ',' cannot "
							"be listed in schemas",
					     names[i]);
		}
		rt__buf_printf(&list, "%s%s", i ? "," : "", names[i]);
	}
	rt__buf_puts(&sql, "SELECT set_config('retort.schemas', ");
	rt__buf_put_sql_string(&sql, count ? rt__buf_cstr(&list) : RT_DEFAULT_SCHEMA);
	rt__buf_puts(&sql, ", false)");
	int rc = rt__buf_failed(&sql) || rt__buf_failed(&list)
			 ? rt__error_nomem()
			 : dialect->exec(conn, rt__buf_cstr(&sql));
	rt__buf_free(&list);
	rt__buf_free(&sql);
	return rc;
}

int rt__postgres_reflect(rt_schema **out, const rt_dialect *dialect, rt_driver_conn *conn)
{
	*out = NULL;
	reflector r = {.schema = rt__schema_new(), .dialect = dialect, .conn = conn};
	if (!r.schema)
		return RT_ENOMEM;
	rt__map_init(&r.matviews, r.schema->arena);
	/* Every query below, in the order they run: sent ahead at once. */
	const char *queries[9 + RT_PG_OBJECT_QUERIES_MAX]; /* nine of the tables' own */
	int count = 0;
	queries[count++] = rt__pg_enums_sql;
	queries[count++] = TABLES_SQL;
	queries[count++] = NAMESPACES_SQL;
	queries[count++] = COLUMNS_SQL;
	queries[count++] = CONSTRAINTS_SQL;
	queries[count++] = INDEXES_SQL;
	for (int i = 0; i < rt__pg_object_query_count && i < RT_PG_OBJECT_QUERIES_MAX; i++)
		queries[count++] = rt__pg_object_queries[i];
	queries[count++] = rt__pg_left_out_sql;
	queries[count++] = rt__pg_partitions_sql;
	queries[count++] = rt__pg_partition_columns_sql;
	rt_pg_reading how;
	int rc = rt__pg_reading_begin(dialect, conn, &how, queries, count);
	if (rc == RT_OK)
		rc = rt__pg_reflect_enums(r.schema, dialect, conn);
	if (rc == RT_OK)
		rc = reflect_tables(&r);
	if (rc == RT_OK)
		rc = reflect_namespaces(&r);
	if (rc == RT_OK)
		rc = reflect_columns(&r);
	if (rc == RT_OK)
		rc = reflect_constraints(&r);
	if (rc == RT_OK)
		rc = reflect_indexes(&r);
	/* The objects before the settling, which asks whether a column's
	 * sequence is one of them. */
	if (rc == RT_OK)
		rc = rt__postgres_reflect_objects(r.schema, dialect, conn);
	if (rc == RT_OK)
		attach_matview_indexes(&r);
	if (rc == RT_OK) {
		rc = rt__pg_reflect_settle(r.schema, dialect, conn);
		if (rc == RT_OK)
			rc = rt__pg_reflect_partitions(r.schema, dialect, conn);
		if (rc == RT_OK)
			rc = mark_given_names(r.schema);
	}
	rt__pg_reading_end(dialect, conn, how);
	if (rc < 0) {
		rt_schema_free(r.schema);
		return rt__error_wrap("reading the PostgreSQL catalog");
	}
	*out = r.schema;
	return RT_OK;
}
