/*
 * ddl.c - CREATE and DROP statements for a whole schema, for any dialect
 * (sql/ddl.h), in order; one table's statements are ddl_table.c's.
 *
 * What differs between backends comes from the dialect: identifier quoting
 * and column types from its hooks, the rest from its capability record:
 *   enum_kind             the dialect's enum types (create_enum,
 *                         drop_enum), the column's own type (MariaDB's
 *                         ENUM), or VARCHAR + a CHECK
 *   alter_add_constraint  a foreign key closing a cycle is added by ALTER
 *                         TABLE after the tables exist; without it (SQLite,
 *                         which checks keys only when rows change) every
 *                         key is written inline. So are a unique
 *                         constraint on the columns of the primary key or
 *                         of another unique constraint (PostgreSQL's
 *                         CREATE TABLE leaves such a duplicate out without
 *                         a word, and its name with it) and a foreign key
 *                         to its own table through a unique index (made
 *                         after the table)
 *   comments              the comment hook's statements (COMMENT ON on
 *                         PostgreSQL), or none
 *   autoincrement         the dialect's autoincrement_clause, or SQLite's
 *                         INTEGER PRIMARY KEY rowid
 *
 * Tables come in foreign-key order (a partition after its partitioned
 * table), ties broken by schema order, so the output reads like the
 * schema file and is stable from run to run. A partition is made with
 * the dialect's partition_of and partition_clause: its columns and keys
 * are its partitioned table's, only its own constraints are written.
 */
#include "sql/ddl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "schema/naming.h"

/* --- statement lists -------------------------------------------------------------- */

int rt__sql_list_push(rt_arena *arena, rt_sql_list *list, const char *sql, rt_stmt_kind kind)
{
	if (!arena || !list || !sql)
		return rt__error_set(RT_EINVAL, "rt__sql_list_push: NULL argument");
	if (rt__arena_reserve(arena, (void **)&list->kinds, &list->kind_cap, list->count + 1,
			      sizeof(*list->kinds)) < 0 ||
	    RT_ARENA_PUSH(arena, list->items, list->count, list->cap, sql) < 0)
		return rt__error_nomem();
	/* Statements a caller appended to items by hand have no kind; a
	 * caller that emptied the list by its count emptied the kinds. */
	if (list->kind_count > list->count - 1)
		list->kind_count = list->count - 1;
	while (list->kind_count < list->count - 1)
		list->kinds[list->kind_count++] = RT_STMT_OTHER;
	list->kinds[list->kind_count++] = kind;
	return RT_OK;
}

/* Moves buf's text into the list as one statement of kind. */
int rt__ddl_push(rt_arena *arena, rt_sql_list *list, rt_buf *buf, rt_stmt_kind kind)
{
	if (rt__buf_failed(buf))
		return rt__error_nomem();
	const char *sql = rt__arena_strdup(arena, rt__buf_cstr(buf));
	rt__buf_clear(buf);
	if (!sql)
		return rt__error_nomem();
	return rt__sql_list_push(arena, list, sql, kind);
}

/* ALTER TABLE t ADD CONSTRAINT ... for constraint k of table. */
static int add_constraint(rt_arena *arena, rt_sql_list *list, rt_buf *buf,
			  const rt_schema *schema, const rt_table *table, size_t k,
			  const rt_dialect *dialect)
{
	rt__buf_puts(buf, "ALTER TABLE ");
	rt__ddl_put_table(buf, dialect, table);
	rt__buf_puts(buf, " ADD ");
	rt__ddl_constraint(buf, schema, table, table->constraints[k], dialect);
	return rt__ddl_push(arena, list, buf, RT_STMT_ALTER_TABLE);
}

/* ALTER TABLE ... ADD for the constraints of kind that come late. */
static int add_late(rt_arena *arena, rt_sql_list *list, rt_buf *buf, const rt_schema *schema,
		    const rt_table *table, rt_constraint_kind kind, const rt_dialect *dialect)
{
	for (size_t k = 0; k < table->constraint_count; k++) {
		int rc = table->constraints[k]->kind == kind && rt__ddl_comes_late(table, k, dialect)
				 ? add_constraint(arena, list, buf, schema, table, k, dialect)
				 : RT_OK;
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The order tables are created in, and which foreign keys wait for ALTER
 * TABLE because they close a cycle. */
typedef struct table_plan {
	size_t *order;   /* indexes into schema->tables */
	bool **deferred; /* per table, parallel to its constraints; NULL = none */
	bool any_deferred;
	bool cyclic;     /* some keys form a cycle */
} table_plan;

/* A min-heap of table indexes: among the tables ready to create, the one
 * declared first goes first. */
typedef struct heap {
	size_t *items;
	size_t count;
} heap;

static void heap_push(heap *h, size_t value)
{
	size_t i = h->count++;
	h->items[i] = value;
	while (i > 0 && h->items[(i - 1) / 2] > h->items[i]) {
		size_t parent = (i - 1) / 2;
		size_t tmp = h->items[parent];
		h->items[parent] = h->items[i];
		h->items[i] = tmp;
		i = parent;
	}
}

static size_t heap_pop(heap *h)
{
	size_t top = h->items[0];
	h->items[0] = h->items[--h->count];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->count && h->items[l] < h->items[m])
			m = l;
		if (r < h->count && h->items[r] < h->items[m])
			m = r;
		if (m == i)
			break;
		size_t tmp = h->items[m];
		h->items[m] = h->items[i];
		h->items[i] = tmp;
		i = m;
	}
	return top;
}

/* The schema index of table `name`, or -1 when it is not in the schema
 * (or is the table itself: no ordering needed). */
static long table_at(const rt_map *index_of, const char *name, size_t self)
{
	size_t plus_one = (size_t)(uintptr_t)rt__map_get(index_of, name);
	if (plus_one == 0 || plus_one - 1 == self)
		return -1;
	return (long)(plus_one - 1);
}

/* The schema index of the table a foreign key points to, or -1 (table_at). */
static long fk_target(const rt_map *index_of, const rt_constraint *c, size_t self)
{
	if (c->kind != RT_CONSTRAINT_FOREIGN_KEY || !c->ref_table)
		return -1;
	return table_at(index_of, c->ref_table, self);
}

/* The schema index of a partition's partitioned table, or -1: it is
 * created first, and dropped last, like a table a key references. */
static long parent_of(const rt_map *index_of, const rt_table *table, size_t self)
{
	return table->partition_of ? table_at(index_of, table->partition_of, self) : -1;
}

/*
 * Kahn's algorithm: a table is created once every table it references
 * exists. When a cycle leaves no table ready, the first remaining table in
 * schema order is created anyway; its keys to tables not yet created are
 * deferred to ALTER TABLE (or, without that capability, stay inline: SQLite
 * does not check a reference when the table is created).
 */
static int plan_tables(rt_arena *arena, const rt_schema *schema, const rt_dialect *dialect,
		       table_plan *plan)
{
	size_t n = schema->table_count;
	rt_map index_of;
	rt__map_init(&index_of, arena);
	plan->order = rt__arena_alloc(arena, (n + 1) * sizeof(size_t));
	plan->deferred = rt__arena_alloc(arena, (n + 1) * sizeof(bool *));
	size_t *waiting = rt__arena_alloc(arena, (n + 1) * sizeof(size_t));
	size_t **dependents = rt__arena_alloc(arena, (n + 1) * sizeof(size_t *));
	size_t *dependent_count = rt__arena_alloc(arena, (n + 1) * sizeof(size_t));
	bool *created = rt__arena_alloc(arena, (n + 1) * sizeof(bool));
	heap ready = {rt__arena_alloc(arena, (n + 1) * sizeof(size_t)), 0};
	if (!plan->order || !plan->deferred || !waiting || !dependents || !dependent_count ||
	    !created || !ready.items)
		return rt__error_nomem();
	plan->any_deferred = false;
	plan->cyclic = false;
	for (size_t i = 0; i < n; i++)
		if (!rt__map_get(&index_of, schema->tables[i]->name) &&
		    rt__map_put(&index_of, schema->tables[i]->name, (void *)(uintptr_t)(i + 1)) < 0)
			return rt__error_nomem();

	/* dependents[j]: the tables referencing j, once per key, and its
	 * partitions. */
	for (size_t i = 0; i < n; i++) {
		const rt_table *table = schema->tables[i];
		for (size_t k = 0; k < table->constraint_count; k++) {
			long j = fk_target(&index_of, table->constraints[k], i);
			if (j >= 0)
				dependent_count[j]++;
		}
		long parent = parent_of(&index_of, table, i);
		if (parent >= 0)
			dependent_count[parent]++;
	}
	for (size_t j = 0; j < n; j++) {
		dependents[j] = rt__arena_alloc(arena, (dependent_count[j] + 1) * sizeof(size_t));
		if (!dependents[j])
			return rt__error_nomem();
		dependent_count[j] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		const rt_table *table = schema->tables[i];
		for (size_t k = 0; k < table->constraint_count; k++) {
			long j = fk_target(&index_of, table->constraints[k], i);
			if (j >= 0) {
				dependents[j][dependent_count[j]++] = i;
				waiting[i]++;
			}
		}
		long parent = parent_of(&index_of, table, i);
		if (parent >= 0) {
			dependents[parent][dependent_count[parent]++] = i;
			waiting[i]++;
		}
		if (waiting[i] == 0)
			heap_push(&ready, i);
	}

	size_t emitted = 0, first_remaining = 0;
	while (emitted < n) {
		size_t i;
		if (ready.count > 0) {
			i = heap_pop(&ready);
		} else {
			while (created[first_remaining])
				first_remaining++;
			i = first_remaining;
			plan->cyclic = true;
			const rt_table *table = schema->tables[i];
			if (dialect->caps.alter_add_constraint) {
				bool *deferred = rt__arena_alloc(arena, table->constraint_count *
									sizeof(bool));
				if (!deferred)
					return rt__error_nomem();
				for (size_t k = 0; k < table->constraint_count; k++) {
					long j = fk_target(&index_of, table->constraints[k], i);
					deferred[k] = j >= 0 && !created[j];
				}
				plan->deferred[i] = deferred;
				plan->any_deferred = true;
			}
		}
		if (created[i])
			continue;
		created[i] = true;
		plan->order[emitted++] = i;
		for (size_t d = 0; d < dependent_count[i]; d++) {
			size_t dep = dependents[i][d];
			if (--waiting[dep] == 0 && !created[dep])
				heap_push(&ready, dep);
		}
	}
	return RT_OK;
}

static int create_enum_types(rt_arena *arena, rt_sql_list *list, rt_buf *buf,
			     const rt_schema *schema, const rt_dialect *dialect)
{
	for (size_t i = 0; i < schema->enum_count; i++) {
		const rt_enum *e = schema->enums[i];
		dialect->create_enum(buf, dialect, e->schema, e->sql_name, e->values, e->value_count);
		int rc = rt__ddl_push(arena, list, buf, RT_STMT_CREATE_TYPE);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The comment hook's statements for table's comment and its columns'. */
static int create_comments(rt_arena *arena, rt_sql_list *list, rt_buf *buf,
			   const rt_schema *schema, const rt_table *table,
			   const rt_dialect *dialect)
{
	int rc = RT_OK;
	if (table->comment) {
		dialect->comment(buf, dialect, table, NULL, NULL, table->comment);
		if ((rc = rt__ddl_push(arena, list, buf, RT_STMT_OTHER)) < 0)
			return rc;
	}
	rt_buf definition = RT_BUF_INIT;
	for (size_t i = 0; rc == RT_OK && i < table->column_count; i++) {
		const rt_column *column = table->columns[i];
		if (!column->comment)
			continue;
		rt__buf_clear(&definition);
		rt__ddl_column(&definition, schema, table, column, dialect);
		if (rt__buf_failed(&definition)) {
			rc = rt__error_nomem();
			break;
		}
		dialect->comment(buf, dialect, table, column->name,
				 rt__buf_cstr(&definition), column->comment);
		rc = rt__ddl_push(arena, list, buf, RT_STMT_OTHER);
	}
	rt__buf_free(&definition);
	return rc;
}

int rt__ddl_comments(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
		     const rt_table *table, const rt_dialect *dialect)
{
	rt_buf buf = RT_BUF_INIT;
	int rc = dialect->caps.comments
			 ? create_comments(arena, list, &buf, schema, table, dialect)
			 : RT_OK;
	rt__buf_free(&buf);
	return rc;
}

/* What follows a table's CREATE TABLE: the unique constraints that come
 * late, the indexes, the foreign keys that needed one, the comments. */
static int create_table_rest(rt_arena *arena, rt_sql_list *list, rt_buf *buf,
			     const rt_schema *schema, const rt_table *table,
			     const rt_dialect *dialect)
{
	int rc = add_late(arena, list, buf, schema, table, RT_CONSTRAINT_UNIQUE, dialect);
	for (size_t k = 0; rc == RT_OK && k < table->index_count; k++) {
		rt__ddl_create_index(buf, table, table->indexes[k], dialect);
		rc = rt__ddl_push(arena, list, buf, RT_STMT_OTHER);
	}
	if (rc == RT_OK)
		rc = add_late(arena, list, buf, schema, table, RT_CONSTRAINT_FOREIGN_KEY, dialect);
	if (rc == RT_OK && dialect->caps.comments)
		rc = create_comments(arena, list, buf, schema, table, dialect);
	return rc;
}

int rt__ddl_create_table_rest(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
			      const rt_table *table, const rt_dialect *dialect)
{
	rt_buf buf = RT_BUF_INIT;
	int rc = create_table_rest(arena, list, &buf, schema, table, dialect);
	rt__buf_free(&buf);
	return rc;
}

/* The schema as the database holds it: without the models mapped onto
 * views (`model Name view v`), whose rows the view gives. schema itself
 * when it has none; else a shallow copy in *copy, its table list of the
 * tables only (in arena). NULL when out of memory. */
static const rt_schema *database_tables(rt_arena *arena, const rt_schema *schema,
					rt_schema *copy)
{
	size_t kept = 0;
	for (size_t i = 0; i < schema->table_count; i++)
		kept += !schema->tables[i]->is_view;
	if (kept == schema->table_count)
		return schema;
	rt_table **tables = rt__arena_alloc(arena, (kept + 1) * sizeof(*tables));
	if (!tables) {
		rt__error_nomem();
		return NULL;
	}
	*copy = *schema;
	copy->tables = tables;
	copy->table_count = copy->table_cap = 0;
	for (size_t i = 0; i < schema->table_count; i++)
		if (!schema->tables[i]->is_view)
			tables[copy->table_count++] = schema->tables[i];
	copy->table_cap = copy->table_count;
	return copy;
}

static int create_all(rt_arena *arena, rt_sql_list *list, rt_buf *buf,
		      const rt_schema *all, const rt_dialect *dialect)
{
	rt_schema copy;
	const rt_schema *schema = database_tables(arena, all, &copy);
	if (!schema)
		return RT_ENOMEM;
	table_plan plan;
	int rc = rt__ddl_check_schema_names(dialect, schema);
	if (rc == RT_OK)
		rc = rt__ddl_check_sql_objects(dialect, schema);
	if (rc == RT_OK)
		rc = plan_tables(arena, schema, dialect, &plan);
	/* The PostgreSQL schemas the tables are in (the check above refused
	 * them where the dialect has none); one already there is kept. */
	for (size_t i = 0; rc == RT_OK && i < schema->namespace_count; i++) {
		rt__buf_puts(buf, "CREATE SCHEMA IF NOT EXISTS ");
		dialect->quote_ident(buf, schema->namespaces[i]);
		rc = rt__ddl_push(arena, list, buf, RT_STMT_OTHER);
	}
	if (rc < 0)
		return rc;
	if (dialect->caps.enum_kind == RT_ENUM_TYPE &&
	    (rc = create_enum_types(arena, list, buf, schema, dialect)) < 0)
		return rc;
	/* Domains and sequences: a column's type or default names them. */
	if ((rc = rt__ddl_create_sql_objects(arena, list, schema, true, dialect)) < 0)
		return rc;
	for (size_t n = 0; n < schema->table_count; n++) {
		size_t i = plan.order[n];
		const rt_table *table = schema->tables[i];
		rt__ddl_create_table_deferred(buf, schema, table, dialect, plan.deferred[i]);
		if ((rc = rt__ddl_push(arena, list, buf, RT_STMT_CREATE_TABLE)) < 0 ||
		    (rc = create_table_rest(arena, list, buf, schema, table, dialect)) < 0)
			return rc;
	}
	/* The keys that closed a cycle, now that every table exists. */
	for (size_t n = 0; plan.any_deferred && n < schema->table_count; n++) {
		size_t i = plan.order[n];
		const rt_table *table = schema->tables[i];
		for (size_t k = 0; plan.deferred[i] && k < table->constraint_count; k++)
			if (plan.deferred[i][k] &&
			    (rc = add_constraint(arena, list, buf, schema, table, k, dialect)) < 0)
				return rc;
	}
	/* Views, functions and triggers read the tables: after them. */
	return rt__ddl_create_sql_objects(arena, list, schema, false, dialect);
}

int rt__ddl_create_all(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
		       const rt_dialect *dialect)
{
	rt_buf buf = RT_BUF_INIT;
	int rc = create_all(arena, list, &buf, schema, dialect);
	rt__buf_free(&buf);
	return rc;
}

static int drop_all(rt_arena *arena, rt_sql_list *list, rt_buf *buf,
		    const rt_schema *all, const rt_dialect *dialect)
{
	rt_schema copy;
	const rt_schema *schema = database_tables(arena, all, &copy);
	if (!schema)
		return RT_ENOMEM;
	table_plan plan;
	int rc = plan_tables(arena, schema, dialect, &plan);
	if (rc == RT_OK)
		rc = rt__ddl_drop_sql_objects(arena, list, schema, false, dialect);
	if (rc < 0)
		return rc;
	/* Keys in a cycle that cannot be dropped first are checked at COMMIT
	 * instead, when the tables on both sides are gone. */
	if (plan.cyclic && !plan.any_deferred && dialect->defer_foreign_keys) {
		rt__buf_puts(buf, dialect->defer_foreign_keys);
		if ((rc = rt__ddl_push(arena, list, buf, RT_STMT_OTHER)) < 0)
			return rc;
	}
	/* First the keys that close cycles, so each table can then go in
	 * reverse creation order; indexes go with their tables. */
	for (size_t n = schema->table_count; plan.any_deferred && n-- > 0;) {
		size_t i = plan.order[n];
		const rt_table *table = schema->tables[i];
		for (size_t k = 0; plan.deferred[i] && k < table->constraint_count; k++) {
			if (!plan.deferred[i][k])
				continue;
			const rt_constraint *key = table->constraints[k];
			if ((rc = dialect->drop_constraint(buf, dialect, table, key->name,
							   key)) < 0 ||
			    (rc = rt__ddl_push(arena, list, buf, RT_STMT_ALTER_TABLE)) < 0)
				return rc;
		}
	}
	for (size_t n = schema->table_count; n-- > 0;) {
		const rt_table *table = schema->tables[plan.order[n]];
		/* a partition a foreign key reaches is detached first (dialect.h) */
		if (table->partition_of && dialect->detach_partition) {
			dialect->detach_partition(buf, table);
			if ((rc = rt__ddl_push(arena, list, buf, RT_STMT_ALTER_TABLE)) < 0)
				return rc;
		}
		rt__buf_puts(buf, "DROP TABLE ");
		rt__ddl_put_table(buf, dialect, table);
		if ((rc = rt__ddl_push(arena, list, buf, RT_STMT_DROP_TABLE)) < 0)
			return rc;
	}
	/* Domains and sequences once no column uses them. */
	if ((rc = rt__ddl_drop_sql_objects(arena, list, schema, true, dialect)) < 0)
		return rc;
	for (size_t i = schema->enum_count; dialect->caps.enum_kind == RT_ENUM_TYPE && i-- > 0;) {
		dialect->drop_enum(buf, dialect, schema->enums[i]->schema, schema->enums[i]->sql_name);
		if ((rc = rt__ddl_push(arena, list, buf, RT_STMT_DROP_TYPE)) < 0)
			return rc;
	}
	return RT_OK;
}

int rt__ddl_drop_all(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
		     const rt_dialect *dialect)
{
	rt_buf buf = RT_BUF_INIT;
	int rc = drop_all(arena, list, &buf, schema, dialect);
	rt__buf_free(&buf);
	return rc;
}

/* --- text ---------------------------------------------------------------------------- */

/* A blank line opens each table and each run of statements of a new kind
 * (the types, the deferred keys), so the text reads in blocks. The kinds
 * are what the writers said of the statements, not read from their text,
 * whose words are each backend's. */
static bool opens_block(rt_stmt_kind previous, rt_stmt_kind kind)
{
	switch (kind) {
	case RT_STMT_CREATE_TABLE:
		return true;
	case RT_STMT_CREATE_TYPE:
	case RT_STMT_ALTER_TABLE:
	case RT_STMT_DROP_TABLE:
	case RT_STMT_DROP_TYPE:
		return previous != kind;
	default:
		return false;
	}
}

static rt_stmt_kind kind_of(const rt_sql_list *list, size_t i)
{
	return i < list->kind_count && i < list->count ? list->kinds[i] : RT_STMT_OTHER;
}

void rt__ddl_join(rt_buf *buf, const rt_sql_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		if (i > 0 && opens_block(kind_of(list, i - 1), kind_of(list, i)))
			rt__buf_putc(buf, '\n');
		rt__buf_puts(buf, list->items[i]);
		rt__buf_puts(buf, ";\n");
	}
}
