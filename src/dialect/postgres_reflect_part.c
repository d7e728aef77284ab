/*
 * postgres_reflect_part.c - declarative partitioning in PostgreSQL
 * reflection (postgres_reflect.c), once the tables, their columns,
 * constraints and indexes are read:
 *
 *   - a partitioned table gets its PARTITION BY (pg_get_partkeydef):
 *     method and keys, a key that is a column of the table by its name,
 *     any other (an expression, a column with a collation or an operator
 *     class) as the text PostgreSQL gives;
 *   - a partition is a table with its partitioned table and its bound
 *     (pg_get_expr(relpartbound) after FOR VALUES, or DEFAULT). Its
 *     columns and keys are its partitioned table's: reflection reads none
 *     of them for it (postgres_reflect.c leaves out a partition's columns,
 *     the indexes attached to its partitioned table's, and every
 *     constraint it inherited); what it has of its own is kept where the
 *     language can say it (its foreign keys, checks and indexes) and named
 *     otherwise: a column that is NOT NULL or has a DEFAULT of its own,
 *     its own primary key or unique constraints (not kept), its own
 *     triggers (objects not managed, postgres_reflect_objects.c).
 */
#include "dialect/postgres.h"

#include <ctype.h>
#include <string.h>

#include "base/error.h"

/* Partitioned tables and partitions of schema public: name, partitioned
 * table, bound, key. */
const char rt__pg_partitions_sql[] =
	"SELECT" RT_PG_TABLE_NAME("n.nspname", "c.relname") ","
	RT_PG_TABLE_NAME("pn.nspname", "p.relname") ","
	" CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,"
	" CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_inherits h ON c.relispartition AND h.inhrelid = c.oid"
	" LEFT JOIN pg_class p ON p.oid = h.inhparent"
	" LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND c.relkind IN ('r', 'p')"
	" AND (c.relkind = 'p' OR c.relispartition)"
	" ORDER BY (" RT_PG_TABLE_NAME("n.nspname", "c.relname") ") COLLATE \"C\"";

/* A partition's columns that differ from its partitioned table's: NOT
 * NULL of its own, a DEFAULT of its own (or none where the table has
 * one). A default is rendered without its table, as in the columns
 * query (postgres_reflect.c says why). */
const char rt__pg_partition_columns_sql[] =
	"SELECT" RT_PG_TABLE_NAME("n.nspname", "c.relname") ", a.attname,"
	" CASE WHEN a.attnotnull AND NOT pa.attnotnull THEN 'NOT NULL' END,"
	" CASE WHEN pg_get_expr(d.adbin, 0) IS DISTINCT FROM pg_get_expr(pd.adbin, 0)"
	"   THEN COALESCE('DEFAULT ' || pg_get_expr(d.adbin, 0), 'no DEFAULT') END,"
	" pg_get_expr(pd.adbin, 0)"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_inherits h ON h.inhrelid = c.oid"
	" JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
	" JOIN pg_attribute pa ON pa.attrelid = h.inhparent AND pa.attname = a.attname"
	" LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
	" LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND c.relispartition"
	" AND c.relkind IN ('r', 'p')"
	" AND (a.attnotnull AND NOT pa.attnotnull"
	"  OR pg_get_expr(d.adbin, 0) IS DISTINCT FROM pg_get_expr(pd.adbin, 0))"
	" ORDER BY (" RT_PG_TABLE_NAME("n.nspname", "c.relname") ") COLLATE \"C\", a.attnum";

static const char *text_at(const rt_pg_query *q, int column)
{
	return q->row[column].type == RT_VALUE_TEXT ? q->row[column].s : NULL;
}

/* --- PARTITION BY ------------------------------------------------------------------ */

/* The end of one key in "a, lower(b), (c + d)": the top-level comma or
 * closing parenthesis; quotes and parentheses skipped. */
static const char *key_end(const char *s)
{
	int depth = 0;
	for (; *s; s++) {
		if (*s == '\'' || *s == '"') {
			char quote = *s;
			for (s++; *s && *s != quote; s++)
				;
			if (!*s)
				return s;
		} else if (*s == '(') {
			depth++;
		} else if (*s == ')') {
			if (depth-- == 0)
				return s;
		} else if (*s == ',' && depth == 0) {
			return s;
		}
	}
	return s;
}

/* The column a key names, when it is a bare or "quoted" name of one of
 * table's columns; NULL for any other key. */
static const char *key_column(rt_arena *arena, const rt_table *table, const char *key,
			      size_t len)
{
	char *name = rt__arena_strndup(arena, key, len);
	if (!name)
		return NULL;
	if (len > 2 && key[0] == '"' && key[len - 1] == '"') {
		size_t n = 0;
		for (size_t i = 1; i + 1 < len; i++) {
			if (key[i] == '"' && key[i + 1] == '"')
				i++;
			name[n++] = key[i];
		}
		name[n] = '\0';
	} else {
		for (size_t i = 0; i < len; i++)
			if (!isalnum((unsigned char)key[i]) && key[i] != '_' && key[i] != '$')
				return NULL;
	}
	const rt_column *column = rt__table_find_column(table, name);
	return column ? column->name : NULL;
}

/* "RANGE (payment_date)" -> range and its keys, each as text;
 * *understood false when the text reads otherwise. */
static int read_key(rt_arena *arena, rt_table *table, const char *def, bool *understood)
{
	static const char *const methods[] = {"RANGE (", "LIST (", "HASH ("};
	*understood = false;
	const char *s = NULL;
	for (int m = 0; m < 3 && !s; m++)
		if (strncmp(def, methods[m], strlen(methods[m])) == 0) {
			table->partition_by = (rt_partition_method)(RT_PARTITION_RANGE + m);
			s = def + strlen(methods[m]);
		}
	if (!s)
		return RT_OK;
	size_t cap = 1;
	for (const char *c = s; *c; c++)
		cap += *c == ',';
	table->partition_keys = rt__arena_alloc(arena, cap * sizeof(*table->partition_keys));
	if (!table->partition_keys)
		return rt__error_nomem();
	for (;;) {
		while (*s == ' ')
			s++;
		const char *end = key_end(s);
		if (!*end || end == s || table->partition_key_count == cap)
			return RT_OK;
		size_t len = (size_t)(end - s);
		rt_partition_key *key = &table->partition_keys[table->partition_key_count++];
		if (!(key->expression = rt__arena_strndup(arena, s, len)))
			return rt__error_nomem();
		if (*end == ')') {
			*understood = end[1] == '\0';
			return RT_OK;
		}
		s = end + 1;
	}
}

/* --- partitions -------------------------------------------------------------------- */

static int read_bound(rt_arena *arena, rt_table *table, const char *bound)
{
	static const char prefix[] = "FOR VALUES ";
	if (strcmp(bound, "DEFAULT") == 0)
		return RT_OK;
	if (strncmp(bound, prefix, sizeof(prefix) - 1) == 0)
		bound += sizeof(prefix) - 1;
	table->partition_bound = rt__arena_strdup(arena, bound);
	return table->partition_bound ? RT_OK : rt__error_nomem();
}

static int read_partition_row(rt_schema *schema, const rt_pg_query *q)
{
	rt_table *table = rt__schema_find_table(schema, text_at(q, 0));
	const char *parent = text_at(q, 1), *bound = text_at(q, 2), *key = text_at(q, 3);
	if (!table)
		return RT_OK;
	if (bound && parent && rt__schema_find_table(schema, parent)) {
		if (!(table->partition_of = rt__arena_strdup(schema->arena, parent)))
			return rt__error_nomem();
		int rc = read_bound(schema->arena, table, bound);
		if (rc < 0)
			return rc;
	} else if (bound) {
		/* A partition of a table of another schema: not a table the
		 * file can say it is a partition of. */
		int rc = rt__schema_not_kept(schema, "%s: PARTITION OF %s %s (a table of another "
					     "schema)", table->name, parent ? parent : "?", bound);
		if (rc < 0)
			return rc;
	}
	if (!key)
		return RT_OK;
	/* Every key is read as text here: which are columns (of the root's
	 * table, for a partition) is known once every row is (settle_keys). */
	bool understood;
	int rc = read_key(schema->arena, table, key, &understood);
	if (rc == RT_OK && !understood) {
		table->partition_by = RT_PARTITION_NONE;
		table->partition_key_count = 0;
		rc = rt__schema_not_kept(schema, "%s: PARTITION BY %s (not read as keys)",
					 table->name, key);
	}
	return rc;
}

/* Keys naming a column of the table (its root's, for a partition) are
 * column keys: known once every partition's parent is. */
static int settle_keys(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		const rt_table *columns = rt__schema_partition_root(schema, table);
		for (size_t i = 0; columns && i < table->partition_key_count; i++) {
			rt_partition_key *key = &table->partition_keys[i];
			if (!key->expression)
				continue;
			const char *column = key_column(schema->arena, columns, key->expression,
							strlen(key->expression));
			if (column) {
				key->column = column;
				key->expression = NULL;
			}
		}
	}
	return RT_OK;
}

/* What a partition has of its own that the language gives it no words
 * for: its own primary key and unique constraints, named and left out
 * (its foreign keys and checks stay). */
static int settle_own_keys(rt_schema *schema, rt_table *table)
{
	int rc = RT_OK;
	if (table->primary_key) {
		rc = rt__schema_not_kept(schema, "%s: primary key %s of its own (a partition has "
					 "the keys of its partitioned table %s)",
					 table->name, table->primary_key->name, table->partition_of);
		table->primary_key = NULL;
	}
	size_t kept = 0;
	for (size_t i = 0; i < table->constraint_count; i++) {
		rt_constraint *c = table->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE) {
			if (rc == RT_OK)
				rc = rt__schema_not_kept(schema, "%s: unique constraint %s of its own "
							 "(a partition has the keys of its "
							 "partitioned table %s)",
							 table->name, c->name, table->partition_of);
			continue;
		}
		table->constraints[kept++] = c;
	}
	table->constraint_count = kept;
	return rc;
}

static int read_partitions(rt_schema *schema, const rt_dialect *dialect, rt_driver_conn *conn)
{
	rt_pg_query q;
	int rc = rt__pg_query_open(&q, dialect, conn, schema->arena, rt__pg_partitions_sql, 4);
	while (rc >= 0 && (rc = rt__pg_query_next(&q)) == RT_ROW)
		rc = read_partition_row(schema, &q);
	rt__pg_query_close(&q);
	if (rc < 0)
		return rc;
	rc = RT_OK;
	for (size_t t = 0; rc == RT_OK && t < schema->table_count; t++)
		if (schema->tables[t]->partition_of)
			rc = settle_own_keys(schema, schema->tables[t]);
	return rc == RT_OK ? settle_keys(schema) : rc;
}

static int read_partition_columns(rt_schema *schema, const rt_dialect *dialect,
				  rt_driver_conn *conn)
{
	rt_pg_query q;
	int rc = rt__pg_query_open(&q, dialect, conn, schema->arena,
				   rt__pg_partition_columns_sql, 5);
	while (rc >= 0 && (rc = rt__pg_query_next(&q)) == RT_ROW) {
		const rt_table *table = rt__schema_find_table(schema, text_at(&q, 0));
		const char *not_null = text_at(&q, 2), *dflt = text_at(&q, 3);
		const char *theirs = text_at(&q, 4);
		if (!table || !table->partition_of)
			continue;
		rc = RT_OK;
		if (not_null)
			rc = rt__schema_not_kept(schema, "%s.%s: NOT NULL of the partition's own (the "
						 "column of %s is nullable)",
						 table->name, text_at(&q, 1), table->partition_of);
		if (rc == RT_OK && dflt)
			rc = rt__schema_not_kept(schema, "%s.%s: %s of the partition's own (the "
						 "column of %s has %s%s)",
						 table->name, text_at(&q, 1), dflt,
						 table->partition_of, theirs ? "DEFAULT " : "none",
						 theirs ? theirs : "");
	}
	rt__pg_query_close(&q);
	return rc < 0 ? rc : RT_OK;
}

int rt__pg_reflect_partitions(rt_schema *schema, const rt_dialect *dialect,
			      rt_driver_conn *conn)
{
	int rc = read_partitions(schema, dialect, conn);
	return rc == RT_OK ? read_partition_columns(schema, dialect, conn) : rc;
}
