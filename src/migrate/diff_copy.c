/*
 * diff_copy.c - deep copies of schema pieces for the differ.
 *
 * The differ never changes the schemas it is given: it canonicalizes and
 * renames copies, and the definitions its operations carry are copies in
 * the migration's scratch arena, so they outlive both inputs. Relationships
 * are left out (no operation needs them), and so are enum pointers of
 * detached copies: an operation names its enum types, which are resolved
 * against the schema it is applied to.
 */
#include <string.h>

#include "base/error.h"
#include "migrate/diff_impl.h"

static int copy_text(rt_arena *arena, const char **out, const char *src)
{
	*out = NULL;
	if (!src)
		return RT_OK;
	*out = rt__arena_strdup(arena, src);
	return *out ? RT_OK : rt__error_nomem();
}

static int copy_names(rt_arena *arena, const char ***out, const char *const *src, size_t count)
{
	*out = NULL;
	if (!count)
		return RT_OK;
	const char **names = rt__arena_alloc(arena, count * sizeof(*names));
	if (!names)
		return rt__error_nomem();
	for (size_t i = 0; i < count; i++)
		if (copy_text(arena, &names[i], src[i]) < 0)
			return RT_ENOMEM;
	*out = names;
	return RT_OK;
}

int rt__diff_copy_literal(rt_arena *arena, rt_literal *out, const rt_literal *src)
{
	out->kind = src->kind;
	return copy_text(arena, &out->text, src->text);
}

rt_constraint *rt__diff_copy_constraint(rt_arena *arena, const rt_constraint *src)
{
	rt_constraint *c = rt__arena_alloc(arena, sizeof(*c));
	if (!c) {
		rt__error_nomem();
		return NULL;
	}
	*c = *src;
	c->inherited = false; /* a copy belongs to a table, not to a model tree */
	if (copy_text(arena, &c->name, src->name) < 0 ||
	    copy_names(arena, &c->columns, src->columns, src->column_count) < 0 ||
	    copy_text(arena, &c->ref_table, src->ref_table) < 0 ||
	    copy_names(arena, &c->ref_columns, src->ref_columns, src->ref_column_count) < 0 ||
	    copy_text(arena, &c->check, src->check) < 0 ||
	    copy_text(arena, &c->check_column, src->check_column) < 0)
		return NULL;
	c->pos = (rt_pos){0};
	return c;
}

rt_index *rt__diff_copy_index(rt_arena *arena, const rt_index *src)
{
	rt_index *index = rt__arena_alloc(arena, sizeof(*index));
	if (!index) {
		rt__error_nomem();
		return NULL;
	}
	*index = *src;
	if (copy_text(arena, &index->name, src->name) < 0 ||
	    rt__index_copy_parts(arena, index, src) < 0)
		return NULL;
	index->pos = (rt_pos){0};
	return index;
}

rt_enum *rt__diff_copy_enum(rt_arena *arena, const rt_enum *src)
{
	rt_enum *e = rt__arena_alloc(arena, sizeof(*e));
	if (!e) {
		rt__error_nomem();
		return NULL;
	}
	if (copy_text(arena, &e->name, src->name) < 0 ||
	    copy_text(arena, &e->sql_name, src->sql_name) < 0 ||
	    copy_text(arena, &e->schema, src->schema) < 0 ||
	    copy_names(arena, &e->values, src->values, src->value_count) < 0)
		return NULL;
	e->value_count = e->value_cap = src->value_count;
	return e;
}

rt_table *rt__diff_new_table(rt_arena *arena, const char *name)
{
	rt_table *table = rt__arena_alloc(arena, sizeof(*table));
	if (!table || !(table->name = rt__arena_strdup(arena, name))) {
		rt__error_nomem();
		return NULL;
	}
	rt__map_init(&table->column_by_name, arena);
	return table;
}

rt_column *rt__diff_copy_column(rt_schema *dst, rt_table *table, const rt_column *src)
{
	rt_arena *arena = dst->arena;
	rt_column *column = rt__table_add_column(dst, table, src->name);
	if (!column)
		return NULL;
	const char *name = column->name;
	*column = *src;
	column->name = name;
	column->pos = (rt_pos){0};
	/* A copy is a column of a table, of no model's inheritance tree. */
	column->subclass = NULL;
	column->inherited = false;
	column->type.enum_type = NULL;
	if (copy_text(arena, &column->field, src->field) < 0 ||
	    copy_text(arena, &column->type.enum_name, src->type.enum_name) < 0 ||
	    copy_text(arena, &column->type.sql, src->type.sql) < 0 ||
	    rt__diff_copy_literal(arena, &column->default_value, &src->default_value) < 0 ||
	    rt__diff_copy_literal(arena, &column->server_default, &src->server_default) < 0 ||
	    copy_text(arena, &column->comment, src->comment) < 0 ||
	    copy_text(arena, &column->collation, src->collation) < 0 ||
	    copy_text(arena, &column->generated, src->generated) < 0 ||
	    copy_text(arena, &column->was, src->was) < 0)
		return NULL;
	return column;
}

rt_table *rt__diff_copy_table(rt_schema *dst, const rt_table *src, bool add)
{
	rt_arena *arena = dst->arena;
	rt_table *table = add ? rt__schema_add_table(dst, src->name, src->model)
			      : rt__diff_new_table(arena, src->name);
	if (!table || rt__table_copy_schema(arena, table, src) < 0)
		return NULL;
	if ((!add && copy_text(arena, &table->model, src->model) < 0) ||
	    copy_text(arena, &table->was, src->was) < 0 ||
	    copy_text(arena, &table->comment, src->comment) < 0 ||
	    copy_text(arena, &table->collation, src->collation) < 0)
		return NULL;
	table->options = src->options;
	if (rt__table_copy_partitioning(arena, table, src) < 0)
		return NULL;
	for (size_t i = 0; i < src->column_count; i++)
		if (!rt__diff_copy_column(dst, table, src->columns[i]))
			return NULL;
	if (src->primary_key &&
	    !(table->primary_key = rt__diff_copy_constraint(arena, src->primary_key)))
		return NULL;
	for (size_t i = 0; i < src->constraint_count; i++) {
		rt_constraint *c = rt__diff_copy_constraint(arena, src->constraints[i]);
		if (!c)
			return NULL;
		if (RT_ARENA_PUSH(arena, table->constraints, table->constraint_count,
				  table->constraint_cap, c) < 0) {
			rt__error_nomem();
			return NULL;
		}
	}
	for (size_t i = 0; i < src->index_count; i++) {
		rt_index *index = rt__diff_copy_index(arena, src->indexes[i]);
		if (!index)
			return NULL;
		if (RT_ARENA_PUSH(arena, table->indexes, table->index_count, table->index_cap,
				  index) < 0) {
			rt__error_nomem();
			return NULL;
		}
	}
	return table;
}

rt_table *rt__diff_def_table(rt_differ *d, const rt_table *src)
{
	rt_table *def = rt__diff_copy_table(d->out->scratch, src, false);
	if (!def)
		return NULL;
	def->was = NULL;
	for (size_t i = 0; i < def->column_count; i++)
		def->columns[i]->was = NULL;
	return def;
}

void rt__diff_remove_constraint(rt_table *table, const rt_constraint *c)
{
	size_t kept = 0;
	for (size_t i = 0; i < table->constraint_count; i++)
		if (table->constraints[i] != c)
			table->constraints[kept++] = table->constraints[i];
	table->constraint_count = kept;
}

int rt__diff_own_from(rt_differ *d)
{
	if (d->from != d->base)
		return RT_OK;
	rt_schema *copy = NULL;
	int rc = rt__diff_copy_schema(&copy, d->base, NULL, NULL);
	if (rc < 0)
		return rc;
	d->from = copy;
	return RT_OK;
}

int rt__diff_reindex_schema(rt_schema *schema)
{
	rt__map_init(&schema->table_by_name, schema->arena);
	rt__map_init(&schema->table_by_model, schema->arena);
	rt__map_init(&schema->enum_by_name, schema->arena);
	for (size_t i = 0; i < schema->table_count; i++) {
		rt_table *t = schema->tables[i];
		if (!rt__map_get(&schema->table_by_name, t->name) &&
		    rt__map_put(&schema->table_by_name, t->name, t) < 0)
			return rt__error_nomem();
		if (t->model && !rt__map_get(&schema->table_by_model, t->model) &&
		    rt__map_put(&schema->table_by_model, t->model, t) < 0)
			return rt__error_nomem();
	}
	for (size_t i = 0; i < schema->enum_count; i++) {
		rt_enum *e = schema->enums[i];
		if (!rt__map_get(&schema->enum_by_name, e->name) &&
		    rt__map_put(&schema->enum_by_name, e->name, e) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* Points every enum column at the copy's enum of that name. */
static void resolve_enums(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_type *type = &table->columns[c]->type;
			if (type->kind == RT_TYPE_ENUM && type->enum_name)
				type->enum_type = rt__schema_find_enum(schema, type->enum_name);
		}
	}
}

int rt__diff_copy_schema(rt_schema **out, const rt_schema *src,
			 bool (*ignore)(const void *ctx, const char *table), const void *ctx)
{
	*out = NULL;
	rt_schema *copy = rt__schema_new();
	if (!copy)
		return RT_ENOMEM;
	int rc = copy_text(copy->arena, &copy->path, src->path);
	for (size_t i = 0; rc == RT_OK && i < src->namespace_count; i++)
		rc = rt__schema_add_namespace(copy, src->namespaces[i]);
	for (size_t i = 0; rc == RT_OK && i < src->enum_count; i++) {
		rt_enum *e = rt__diff_copy_enum(copy->arena, src->enums[i]);
		if (!e || RT_ARENA_PUSH(copy->arena, copy->enums, copy->enum_count,
					copy->enum_cap, e) < 0)
			rc = rt__error_nomem();
	}
	for (size_t i = 0; rc == RT_OK && i < src->table_count; i++) {
		const rt_table *table = src->tables[i];
		/* A model mapped onto a view is no table: its view is compared. */
		if (table->is_view || (ignore && ignore(ctx, table->name)))
			continue;
		if (!rt__diff_copy_table(copy, table, true))
			rc = RT_ENOMEM;
	}
	/* Views, functions and triggers; an excluded name is left out, as
	 * is a trigger of a table left out. */
	for (size_t i = 0; rc == RT_OK && i < src->sql_object_count; i++) {
		const rt_sql_object *o = src->sql_objects[i];
		if (ignore && (ignore(ctx, o->name) || (o->table && ignore(ctx, o->table))))
			continue;
		if (!rt__schema_copy_sql_object(copy, o))
			rc = RT_ENOMEM;
	}
	if (rc == RT_OK)
		rc = rt__diff_reindex_schema(copy);
	if (rc != RT_OK) {
		rt_schema_free(copy);
		return rc;
	}
	resolve_enums(copy);
	*out = copy;
	return RT_OK;
}
