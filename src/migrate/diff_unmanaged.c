/*
 * diff_unmanaged.c - what the database holds that is not retort's
 * (diff.h, DESIGN §6.1).
 *
 * A table, index or enum type of the database is managed when the models
 * declare it (a table also when a model's `was` or a stated rename names
 * it) or when the migration scripts created it: it is in the schema their
 * upgrades build up to the database's revision (opts->scripts). Views,
 * triggers, functions and the other objects reflection lists besides the
 * tables (rt_db_object) are never managed: the models cannot declare them
 * yet and the scripts make them only as SQL text.
 *
 * What is not managed is listed for the user (opts->unmanaged) and left
 * out of the comparison, so that nothing proposes to drop it; only with
 * opts->drop_unmanaged is it dropped (never a partition: its rows are its
 * partitioned table's), tables and indexes by the usual
 * steps (with their definitions), the other objects by the database's own
 * statements, undone in the downgrade by the statement the database gave
 * for making each again. When the scripts are not known (a comparison
 * with the scripts themselves) every table and index is managed.
 */
#include <string.h>

#include "base/error.h"
#include "migrate/diff_impl.h"
#include "sql/ddl.h"

int rt__diff_list_unmanaged(rt_differ *d, const char *kind, const char *name, const char *table)
{
	rt_diff_warnings *out = d->opts->unmanaged;
	if (!out)
		return RT_OK;
	/* A partition is "of" its table; the rest hangs "on" theirs. */
	const char *on = strcmp(kind, "partition") == 0 ? "of" : "on";
	const char *text = table ? rt__arena_printf(d->arena, "%s %s %s %s", kind, name, on, table)
				 : rt__arena_printf(d->arena, "%s %s", kind, name);
	if (!text || RT_ARENA_PUSH(d->arena, out->items, out->count, out->cap, text) < 0)
		return rt__error_nomem();
	return RT_OK;
}

static bool excluded(const rt_differ *d, const char *name)
{
	return d->opts->exclude && name && d->opts->exclude(d->opts->exclude_ctx, name);
}

/* --- tables --------------------------------------------------------------------- */

/* What the models know by name, read once (a lookup per table and index
 * of the database, not a scan of the models each time). */
typedef struct model_names {
	rt_map was;      /* tables a `was` or a stated rename names */
	rt_map indexes;  /* index_key(): index names per table, under each
			  * name the database may know the table by */
} model_names;

/* "table\x1findex": index names are per table (two tables may each have
 * one of a name), so an index is looked up with its table. */
static const char *index_key(rt_arena *arena, const char *table, const char *index)
{
	return rt__arena_printf(arena, "%s\x1f%s", table, index);
}

/* Puts the indexes of model table under the database name `as`. */
static int put_indexes(rt_differ *d, model_names *out, const char *as, rt_table *table)
{
	for (size_t i = 0; i < table->index_count; i++) {
		const char *key = index_key(d->tmp, as, table->indexes[i]->name);
		if (!key || rt__map_put(&out->indexes, key, table) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

static int read_model_names(rt_differ *d, model_names *out)
{
	rt__map_init(&out->was, d->tmp);
	rt__map_init(&out->indexes, d->tmp);
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < d->opts->rename_count; i++) {
		const rt_diff_rename *r = &d->opts->renames[i];
		if (r->table || !r->from)
			continue;
		if (rt__map_put(&out->was, r->from, (void *)r) < 0)
			return rt__error_nomem();
		rt_table *renamed = r->to ? rt__schema_find_table(d->to, r->to) : NULL;
		if (renamed)
			rc = put_indexes(d, out, r->from, renamed);
	}
	for (size_t t = 0; rc == RT_OK && t < d->to->table_count; t++) {
		rt_table *table = d->to->tables[t];
		if (table->was && rt__map_put(&out->was, table->was, table) < 0)
			return rt__error_nomem();
		rc = put_indexes(d, out, table->name, table);
		if (rc == RT_OK && table->was)
			rc = put_indexes(d, out, table->was, table);
	}
	return rc;
}

static bool table_managed(const rt_differ *d, const model_names *models, const char *name)
{
	return rt__schema_find_table(d->to, name) || rt__schema_find_table(d->opts->scripts, name) ||
	       rt__map_get(&models->was, name);
}

/* The enum types a table left alone uses stay too. */
static int keep_enums(rt_differ *d, const rt_table *table)
{
	for (size_t c = 0; c < table->column_count; c++) {
		const rt_enum *e = rt__diff_column_enum(d->base, table->columns[c]);
		if (e && rt__map_put(&d->kept_enums, e->sql_name, (void *)e) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* A partition neither the models nor the scripts have is listed as one
 * ("partition p of t") and never dropped, --drop-unmanaged or not: its
 * rows are its partitioned table's, and making it again would not bring
 * them back. Nor may that table go while it stands: PostgreSQL's DROP
 * TABLE would take the partition along, rows and all. */
static int sort_partition(rt_differ *d, const model_names *models, const rt_table *table)
{
	const char *parent = table->partition_of;
	if (table_managed(d, models, parent) && !rt__schema_find_table(d->to, parent) &&
	    !rt__map_get(&models->was, parent))
		return rt__error_set(RT_EINVAL,
				     "table %s goes, but its partition %s is neither the models' "
				     "nor the scripts': dropping %s would drop it with its rows; "
				     "declare %s in the models, or drop it by hand first",
				     parent, table->name, parent, table->name);
	return rt__diff_list_unmanaged(d, "partition", table->name, parent);
}

/* --- indexes -------------------------------------------------------------------- */

static bool index_managed(const rt_differ *d, const model_names *models, const rt_table *table,
			  const rt_index *index)
{
	const rt_table *scripted = rt__schema_find_table(d->opts->scripts, table->name);
	const char *key = index_key(d->tmp, table->name, index->name);
	return (key && rt__map_get(&models->indexes, key)) ||
	       (scripted && rt__table_find_index(scripted, index->name));
}

/* --- dropping tables and indexes ---------------------------------------------------- */

/* The scripts' state knows nothing of what is not managed, so the steps
 * that drop it are the database's statements (`execute`), not operations
 * on that state: rendered here from the reflected definitions. */
rt_op *rt__diff_execute(rt_differ *d, const char *sql)
{
	rt_op *op = rt__diff_op(d, RT_OP_EXECUTE, NULL);
	if (op && (!(op->sql = rt__diff_keep(d, sql)) ||
		   (d->dialect && !(op->only_dialect = rt__diff_keep(d, d->dialect->name)))))
		op = (rt__error_nomem(), NULL);
	return op;
}

static const char *statement(rt_differ *d, rt_buf *buf)
{
	const char *sql = rt__buf_failed(buf) ? NULL : rt__arena_strdup(d->arena, rt__buf_cstr(buf));
	rt__buf_free(buf);
	if (!sql)
		rt__error_nomem();
	return sql;
}

/* DROP TABLE of an unmanaged table, named with its schema. */
static const char *drop_table_statement(rt_differ *d, const rt_table *table)
{
	rt_buf buf = RT_BUF_INIT;
	rt__buf_puts(&buf, "DROP TABLE ");
	rt__ddl_put_table(&buf, d->dialect, table);
	return statement(d, &buf);
}

int rt__diff_file_statements(rt_differ *d, rt_diff_phase phase, const char *drop,
			     const rt_sql_list *make)
{
	for (size_t i = make->count; i-- > 1;) {
		rt_op *down = rt__diff_execute(d, make->items[i]);
		if (!down || rt__diff_step(d, phase, NULL, down) < 0)
			return RT_ENOMEM;
	}
	rt_op *up = drop ? rt__diff_execute(d, drop) : NULL;
	rt_op *down = up && make->count ? rt__diff_execute(d, make->items[0]) : NULL;
	return up && (down || !make->count) ? rt__diff_step(d, phase, up, down) : RT_ENOMEM;
}

static int file_index_drop(rt_differ *d, const rt_table *table, const rt_index *index)
{
	rt_buf buf = RT_BUF_INIT;
	rt__ddl_create_index(&buf, table, index, d->dialect);
	const char *make = statement(d, &buf);
	rt_sql_list list = {.items = &make, .count = 1, .cap = 1};
	if (!make)
		return RT_ENOMEM;
	int rc = d->dialect->drop_index(&buf, d->dialect, table, index->name);
	const char *drop = rc < 0 ? NULL : statement(d, &buf);
	if (rc < 0)
		rt__buf_free(&buf);
	return rc < 0 ? rc : drop ? rt__diff_file_statements(d, RT_DIFF_DROP_OBJECT, drop, &list)
				  : RT_ENOMEM;
}

static int file_table_drop(rt_differ *d, const rt_table *table)
{
	rt_buf buf = RT_BUF_INIT;
	rt_sql_list list = {0};
	rt__ddl_create_table(&buf, d->base, table, d->dialect, true);
	const char *create = statement(d, &buf);
	if (!create || RT_ARENA_PUSH(d->arena, list.items, list.count, list.cap, create) < 0 ||
	    rt__ddl_create_table_rest(d->arena, &list, d->base, table, d->dialect) < 0)
		return rt__error_nomem();
	const char *drop = drop_table_statement(d, table);
	return drop ? rt__diff_file_statements(d, RT_DIFF_DROP_TABLE, drop, &list) : RT_ENOMEM;
}

static bool references(const rt_table *from, const rt_table *to)
{
	for (size_t i = 0; i < from->constraint_count; i++) {
		const rt_constraint *c = from->constraints[i];
		if (from != to && c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
		    strcmp(c->ref_table, to->name) == 0)
			return true;
	}
	return false;
}

/* Drops the tables, those no other one references first (in a cycle of
 * keys, in any order: the database says what it refuses). */
static int file_table_drops(rt_differ *d, rt_table **tables, size_t count)
{
	for (size_t left = count; left > 0; left--) {
		size_t pick = count;
		for (size_t i = 0; i < count && pick == count; i++) {
			bool referenced = false;
			for (size_t k = 0; tables[i] && k < count && !referenced; k++)
				referenced = tables[k] && references(tables[k], tables[i]);
			if (tables[i] && !referenced)
				pick = i;
		}
		for (size_t i = 0; i < count && pick == count; i++)
			if (tables[i])
				pick = i;
		int rc = file_table_drop(d, tables[pick]);
		if (rc < 0)
			return rc;
		tables[pick] = NULL;
	}
	return RT_OK;
}

static int sort_indexes(rt_differ *d, const model_names *models, rt_table *table)
{
	size_t kept = 0;
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < table->index_count; i++) {
		rt_index *index = table->indexes[i];
		if (excluded(d, index->name))
			continue;
		if (index_managed(d, models, table, index)) {
			table->indexes[kept++] = index;
			continue;
		}
		rc = rt__diff_list_unmanaged(d, "index", index->name, table->name);
		if (rc == RT_OK && d->opts->drop_unmanaged)
			rc = file_index_drop(d, table, index);
	}
	table->index_count = kept;
	return rc;
}

/* --- enum types ------------------------------------------------------------------ */

static bool has_enum(const rt_schema *schema, const rt_enum *e)
{
	return schema && rt__schema_find_enum_type(schema, e->schema, e->sql_name);
}

/* DROP TYPE, and CREATE TYPE ... AS ENUM for the downgrade, as the DDL
 * module writes them for a schema of that one type. */
static int file_enum_drop(rt_differ *d, const rt_enum *e)
{
	rt_schema *alone = rt__schema_new();
	rt_enum *copy = alone ? rt__schema_add_enum(alone, e->name, e->sql_name) : NULL;
	int rc = copy && rt__enum_set_schema(alone, copy, e->schema) == RT_OK ? RT_OK : RT_ENOMEM;
	for (size_t v = 0; rc == RT_OK && v < e->value_count; v++)
		rc = rt__enum_add_value(alone, copy, e->values[v]) < 0 ? RT_ENOMEM : RT_OK;
	rt_sql_list make = {0}, drop = {0};
	if (rc == RT_OK)
		rc = rt__ddl_create_all(d->arena, &make, alone, d->dialect);
	if (rc == RT_OK)
		rc = rt__ddl_drop_all(d->arena, &drop, alone, d->dialect);
	rt_schema_free(alone);
	if (rc == RT_OK && drop.count == 1)
		rc = rt__diff_file_statements(d, RT_DIFF_DROP_LATE_OBJECT, drop.items[0], &make);
	return rc;
}

/* Only a database with enum types of its own has enum types nobody made:
 * elsewhere base's enums are its columns' CHECKs, which come with the
 * tables. */
static int sort_enums(rt_differ *d)
{
	if (!d->native_enums)
		return RT_OK;
	for (size_t i = 0; i < d->base->enum_count; i++) {
		const rt_enum *e = d->base->enums[i];
		if (has_enum(d->to, e) || has_enum(d->opts->scripts, e) ||
		    rt__map_get(&d->kept_enums, e->sql_name))
			continue;
		/* Not looked at: not listed, and kept. */
		if (excluded(d, e->sql_name)) {
			if (rt__map_put(&d->kept_enums, e->sql_name, (void *)e) < 0)
				return rt__error_nomem();
			continue;
		}
		/* Never the differ's `drop enum`: the scripts' state has no such
		 * type to drop. */
		if (rt__diff_list_unmanaged(d, "type", e->sql_name, NULL) < 0 ||
		    rt__map_put(&d->kept_enums, e->sql_name, (void *)e) < 0)
			return rt__error_nomem();
		int rc = d->opts->drop_unmanaged ? file_enum_drop(d, e) : RT_OK;
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

int rt__diff_sort_managed(rt_differ *d)
{
	if (!d->opts->scripts)
		return RT_OK;
	if (d->opts->drop_unmanaged && !d->dialect)
		return rt__error_set(RT_EINVAL, "dropping what is not managed needs the database's "
						"dialect");
	rt_schema *base = d->base;
	rt_table **dropped = NULL;
	size_t kept = 0, count = 0, cap = 0;
	model_names models;
	int rc = read_model_names(d, &models);
	for (size_t t = 0; rc == RT_OK && t < base->table_count; t++) {
		rt_table *table = base->tables[t];
		if (table_managed(d, &models, table->name)) {
			base->tables[kept++] = table;
			rc = sort_indexes(d, &models, table);
			continue;
		}
		if (table->partition_of) {
			rc = sort_partition(d, &models, table);
			continue;
		}
		rc = rt__diff_list_unmanaged(d, "table", table->name, NULL);
		if (rc == RT_OK && d->opts->drop_unmanaged)
			rc = RT_ARENA_PUSH(d->tmp, dropped, count, cap, table) < 0 ? rt__error_nomem()
										    : RT_OK;
		else if (rc == RT_OK)
			rc = keep_enums(d, table);
	}
	if (rc == RT_OK && count)
		rc = file_table_drops(d, dropped, count);
	if (rc != RT_OK)
		return rc;
	base->table_count = kept;
	if ((rc = rt__diff_reindex_schema(base)) < 0)
		return rc;
	return sort_enums(d);
}

/* --- the other objects ------------------------------------------------------------ */

static bool is_kind(const rt_db_object *o, const char *kind)
{
	return strcmp(o->kind, kind) == 0;
}

/* Views, triggers and indexes hang on tables; the rest (functions,
 * sequences, types) are what tables and triggers use. */
static bool on_tables(const rt_db_object *o)
{
	return is_kind(o, "view") || is_kind(o, "materialized view") || is_kind(o, "trigger") ||
	       is_kind(o, "index");
}

static int file_drop(rt_differ *d, rt_diff_phase phase, const rt_db_object *o)
{
	if (!o->create_sql)
		return rt__error_set(RT_EINVAL,
				     "cannot drop %s %s: the database does not tell how to make it "
				     "again, so the downgrade could not; drop it by hand, or leave "
				     "it out with exclude_objects",
				     o->kind, o->name);
	rt_op *up = rt__diff_execute(d, o->drop_sql);
	rt_op *down = up ? rt__diff_execute(d, o->create_sql) : NULL;
	return down ? rt__diff_step(d, phase, up, down) : RT_ENOMEM;
}

/* The objects to drop, by pass: the upgrade drops triggers, then indexes,
 * then views (the newest first, as a view may read an older one), and,
 * after the tables, functions, sequences and types; the downgrade makes
 * them again in the opposite order. Never a partition: its rows are rows of
 * its partitioned table, and the statement that makes it again would not
 * bring them back. */
static int file_drops(rt_differ *d, const rt_db_object *const *objects, size_t count)
{
	static const char *const early[] = {"trigger", "index", NULL};
	int rc = RT_OK;
	for (size_t k = 0; rc == RT_OK && early[k]; k++)
		for (size_t i = 0; rc == RT_OK && i < count; i++)
			if (is_kind(objects[i], early[k]))
				rc = file_drop(d, RT_DIFF_DROP_OBJECT, objects[i]);
	for (size_t i = count; rc == RT_OK && i-- > 0;)
		if (is_kind(objects[i], "view") || is_kind(objects[i], "materialized view"))
			rc = file_drop(d, RT_DIFF_DROP_OBJECT, objects[i]);
	for (size_t i = count; rc == RT_OK && i-- > 0;)
		if (!on_tables(objects[i]) && !is_kind(objects[i], "partition"))
			rc = file_drop(d, RT_DIFF_DROP_LATE_OBJECT, objects[i]);
	return rc;
}

int rt__diff_objects(rt_differ *d, const rt_schema *reflected,
		     bool (*ignored)(const void *ctx, const char *table))
{
	if (d->opts->drop_unmanaged && !d->dialect && reflected->object_count)
		return rt__error_set(RT_EINVAL, "dropping what is not managed needs the database's "
						"dialect");
	const rt_db_object **chosen = NULL;
	size_t count = 0, cap = 0;
	for (size_t i = 0; i < reflected->object_count; i++) {
		const rt_db_object *o = reflected->objects[i];
		if (excluded(d, o->name) || (o->table && ignored(d->opts, o->table)))
			continue;
		const char *name = o->args ? rt__arena_printf(d->arena, "%s%s", o->name, o->args)
					   : o->name;
		if (!name || rt__diff_list_unmanaged(d, o->kind, name, o->table) < 0 ||
		    RT_ARENA_PUSH(d->tmp, chosen, count, cap, o) < 0)
			return rt__error_nomem();
	}
	return d->opts->drop_unmanaged ? file_drops(d, chosen, count) : RT_OK;
}
