/*
 * metadata.c - building and looking up the schema model (metadata.h).
 *
 * The add helpers keep the per-table and per-schema name maps in step with
 * the arrays, so lookups stay O(1) for schemas with thousands of tables.
 */
#include "schema/metadata.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "schema/lexer.h"

rt_schema *rt__schema_new(void)
{
	rt_arena *arena = rt__arena_new();
	if (!arena) {
		rt__error_nomem();
		return NULL;
	}
	rt_schema *schema = rt__arena_alloc(arena, sizeof(*schema));
	if (!schema) {
		rt__arena_free(arena);
		rt__error_nomem();
		return NULL;
	}
	schema->arena = arena;
	rt__map_init(&schema->table_by_name, arena);
	rt__map_init(&schema->table_by_model, arena);
	rt__map_init(&schema->relation_owner, arena);
	rt__map_init(&schema->enum_by_name, arena);
	return schema;
}

void rt_schema_free(rt_schema *schema)
{
	if (schema)
		rt__arena_free(schema->arena);
}

static void *nomem_null(void)
{
	rt__error_nomem();
	return NULL;
}

rt_table *rt__schema_add_table(rt_schema *schema, const char *name, const char *model)
{
	rt_arena *arena = schema->arena;
	rt_table *table = rt__arena_alloc(arena, sizeof(*table));
	if (!table)
		return nomem_null();
	table->name = rt__arena_strdup(arena, name);
	table->model = model ? rt__arena_strdup(arena, model) : NULL;
	if (!table->name || (model && !table->model))
		return nomem_null();
	rt__map_init(&table->column_by_name, arena);
	if (RT_ARENA_PUSH(arena, schema->tables, schema->table_count, schema->table_cap,
			  table) < 0)
		return nomem_null();
	/* The first declaration of a name wins the lookup; validation reports
	 * the duplicate. */
	if (!rt__map_get(&schema->table_by_name, table->name) &&
	    rt__map_put(&schema->table_by_name, table->name, table) < 0)
		return nomem_null();
	if (table->model && !rt__map_get(&schema->table_by_model, table->model) &&
	    rt__map_put(&schema->table_by_model, table->model, table) < 0)
		return nomem_null();
	return table;
}

rt_enum *rt__schema_add_enum(rt_schema *schema, const char *name, const char *sql_name)
{
	rt_arena *arena = schema->arena;
	rt_enum *e = rt__arena_alloc(arena, sizeof(*e));
	if (!e)
		return nomem_null();
	e->name = rt__arena_strdup(arena, name);
	e->sql_name = rt__arena_strdup(arena, sql_name ? sql_name : name);
	if (!e->name || !e->sql_name)
		return nomem_null();
	if (RT_ARENA_PUSH(arena, schema->enums, schema->enum_count, schema->enum_cap, e) < 0)
		return nomem_null();
	if (!rt__map_get(&schema->enum_by_name, e->name) &&
	    rt__map_put(&schema->enum_by_name, e->name, e) < 0)
		return nomem_null();
	return e;
}

rt_db_object *rt__schema_add_object(rt_schema *schema, const char *kind, const char *name,
				 const char *table, const char *create_sql, const char *drop_sql)
{
	rt_arena *arena = schema->arena;
	rt_db_object *o = rt__arena_alloc(arena, sizeof(*o));
	if (!o || !kind || !name || !drop_sql)
		return o ? (rt__error_set(RT_EINVAL, "an object needs a kind, a name and a drop"),
			    NULL)
			 : nomem_null();
	o->kind = rt__arena_strdup(arena, kind);
	o->name = rt__arena_strdup(arena, name);
	o->table = table ? rt__arena_strdup(arena, table) : NULL;
	o->create_sql = create_sql ? rt__arena_strdup(arena, create_sql) : NULL;
	o->drop_sql = rt__arena_strdup(arena, drop_sql);
	if (!o->kind || !o->name || (table && !o->table) || (create_sql && !o->create_sql) ||
	    !o->drop_sql)
		return nomem_null();
	if (RT_ARENA_PUSH(arena, schema->objects, schema->object_count, schema->object_cap, o) < 0)
		return nomem_null();
	return o;
}

rt_sql_object *rt__schema_add_sql_object(rt_schema *schema, rt_sql_kind kind, const char *name,
					 const char *args, const char *table, const char *sql)
{
	rt_arena *arena = schema->arena;
	rt_sql_object *o = rt__arena_alloc(arena, sizeof(*o));
	if (!o)
		return nomem_null();
	o->kind = kind;
	o->name = rt__arena_strdup(arena, name);
	o->args = args ? rt__arena_strdup(arena, args) : NULL;
	o->table = table ? rt__arena_strdup(arena, table) : NULL;
	o->sql = rt__arena_strdup(arena, sql ? sql : "");
	if (!o->name || (args && !o->args) || (table && !o->table) || !o->sql ||
	    RT_ARENA_PUSH(arena, schema->sql_objects, schema->sql_object_count,
			  schema->sql_object_cap, o) < 0)
		return nomem_null();
	return o;
}

const char *rt__schema_own_name(const char *nsp)
{
	return nsp && *nsp && strcmp(nsp, RT_DEFAULT_SCHEMA) != 0 ? nsp : NULL;
}

int rt__enum_set_schema(rt_schema *schema, rt_enum *e, const char *nsp)
{
	nsp = rt__schema_own_name(nsp);
	e->schema = nsp ? rt__arena_strdup(schema->arena, nsp) : NULL;
	return nsp && !e->schema ? rt__error_nomem() : RT_OK;
}

bool rt__enum_same_type(const rt_enum *a, const rt_enum *b)
{
	bool same_schema = a->schema && b->schema ? strcmp(a->schema, b->schema) == 0
						  : a->schema == b->schema;
	return same_schema && strcmp(a->sql_name, b->sql_name) == 0;
}

rt_enum *rt__schema_find_enum_type(const rt_schema *schema, const char *nsp,
				   const char *sql_name)
{
	rt_enum probe = {.sql_name = sql_name, .schema = rt__schema_own_name(nsp)};
	for (size_t i = 0; schema && sql_name && i < schema->enum_count; i++)
		if (rt__enum_same_type(schema->enums[i], &probe))
			return schema->enums[i];
	return NULL;
}

int rt__enum_add_value(rt_schema *schema, rt_enum *e, const char *value)
{
	const char *copy = rt__arena_strdup(schema->arena, value);
	if (!copy ||
	    RT_ARENA_PUSH(schema->arena, e->values, e->value_count, e->value_cap, copy) < 0)
		return rt__error_nomem();
	return RT_OK;
}

int rt__schema_not_kept(rt_schema *schema, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *line = rt__arena_vprintf(schema->arena, fmt, ap);
	va_end(ap);
	if (!line || RT_ARENA_PUSH(schema->arena, schema->not_kept, schema->not_kept_count,
				   schema->not_kept_cap, line) < 0)
		return rt__error_nomem();
	return RT_OK;
}

rt_column *rt__table_add_column(rt_schema *schema, rt_table *table, const char *name)
{
	rt_arena *arena = schema->arena;
	rt_column *column = rt__arena_alloc(arena, sizeof(*column));
	if (!column)
		return nomem_null();
	column->name = rt__arena_strdup(arena, name);
	if (!column->name)
		return nomem_null();
	column->field = column->name;
	if (RT_ARENA_PUSH(arena, table->columns, table->column_count, table->column_cap,
			  column) < 0)
		return nomem_null();
	if (!rt__map_get(&table->column_by_name, column->name) &&
	    rt__map_put(&table->column_by_name, column->name, column) < 0)
		return nomem_null();
	return column;
}

int rt__table_reindex_columns(rt_schema *schema, rt_table *table)
{
	rt__map_init(&table->column_by_name, schema->arena);
	for (size_t i = 0; i < table->column_count; i++) {
		rt_column *column = table->columns[i];
		if (!rt__map_get(&table->column_by_name, column->name) &&
		    rt__map_put(&table->column_by_name, column->name, column) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

rt_constraint *rt__table_add_constraint(rt_schema *schema, rt_table *table,
					rt_constraint_kind kind, const char *name)
{
	rt_arena *arena = schema->arena;
	rt_constraint *c = rt__arena_alloc(arena, sizeof(*c));
	if (!c)
		return nomem_null();
	c->kind = kind;
	if (name && !(c->name = rt__arena_strdup(arena, name)))
		return nomem_null();
	if (kind != RT_CONSTRAINT_CHECK && c->name &&
	    rt__map_put(&schema->relation_owner, c->name, table) < 0)
		return nomem_null();
	if (kind == RT_CONSTRAINT_PRIMARY_KEY) {
		table->primary_key = c;
		return c;
	}
	if (RT_ARENA_PUSH(arena, table->constraints, table->constraint_count,
			  table->constraint_cap, c) < 0)
		return nomem_null();
	return c;
}

rt_index *rt__table_add_index(rt_schema *schema, rt_table *table, const char *name,
			      bool unique)
{
	rt_arena *arena = schema->arena;
	rt_index *index = rt__arena_alloc(arena, sizeof(*index));
	if (!index)
		return nomem_null();
	index->unique = unique;
	if (name && !(index->name = rt__arena_strdup(arena, name)))
		return nomem_null();
	if (index->name && rt__map_put(&schema->relation_owner, index->name, table) < 0)
		return nomem_null();
	if (RT_ARENA_PUSH(arena, table->indexes, table->index_count, table->index_cap,
			  index) < 0)
		return nomem_null();
	return index;
}

rt_relationship *rt__table_add_relationship(rt_schema *schema, rt_table *table,
					    const char *name)
{
	rt_arena *arena = schema->arena;
	rt_relationship *rel = rt__arena_alloc(arena, sizeof(*rel));
	if (!rel)
		return nomem_null();
	rel->name = rt__arena_strdup(arena, name);
	if (!rel->name)
		return nomem_null();
	if (RT_ARENA_PUSH(arena, table->relationships, table->relationship_count,
			  table->relationship_cap, rel) < 0)
		return nomem_null();
	return rel;
}

/* Column-name lists carry no capacity field: they are short (a handful of
 * names), so each append re-allocates at count + 1. */
static int push_name(rt_arena *arena, const char ***items, size_t *count, const char *name)
{
	const char *copy = rt__arena_strdup(arena, name);
	const char **grown = rt__arena_alloc(arena, (*count + 1) * sizeof(*grown));
	if (!copy || !grown)
		return rt__error_nomem();
	if (*count)
		memcpy(grown, *items, *count * sizeof(*grown));
	grown[(*count)++] = copy;
	*items = grown;
	return RT_OK;
}

int rt__constraint_add_column(rt_schema *schema, rt_constraint *c, const char *column,
			      bool ref)
{
	if (!ref)
		return push_name(schema->arena, &c->columns, &c->column_count, column);
	return push_name(schema->arena, &c->ref_columns, &c->ref_column_count, column);
}

int rt__index_add_key(rt_schema *schema, rt_index *index, const char *column,
		      const char *expr, bool desc)
{
	rt_arena *arena = schema->arena;
	rt_index_key key = {.desc = desc};
	if ((column && !(key.column = rt__arena_strdup(arena, column))) ||
	    (expr && !(key.expr = rt__arena_strdup(arena, expr))))
		return rt__error_nomem();
	/* Like the name lists: short, re-allocated at count + 1. */
	rt_index_key *grown = rt__arena_alloc(arena, (index->key_count + 1) * sizeof(*grown));
	if (!grown)
		return rt__error_nomem();
	if (index->key_count)
		memcpy(grown, index->keys, index->key_count * sizeof(*grown));
	grown[index->key_count++] = key;
	index->keys = grown;
	return RT_OK;
}

int rt__index_add_column(rt_schema *schema, rt_index *index, const char *column)
{
	return rt__index_add_key(schema, index, column, NULL, false);
}

int rt__index_add_include(rt_schema *schema, rt_index *index, const char *column)
{
	return push_name(schema->arena, &index->include, &index->include_count, column);
}

static const char *copy_or_null(rt_arena *arena, const char *text, bool *failed)
{
	const char *copy = text ? rt__arena_strdup(arena, text) : NULL;
	*failed |= text && !copy;
	return copy;
}

int rt__index_copy_parts(rt_arena *arena, rt_index *dst, const rt_index *src)
{
	bool failed = false;
	dst->keys = NULL;
	dst->include = NULL;
	dst->key_count = src->key_count;
	dst->include_count = src->include_count;
	if (src->key_count &&
	    !(dst->keys = rt__arena_alloc(arena, src->key_count * sizeof(*dst->keys))))
		return rt__error_nomem();
	for (size_t i = 0; i < src->key_count; i++) {
		dst->keys[i].column = copy_or_null(arena, src->keys[i].column, &failed);
		dst->keys[i].expr = copy_or_null(arena, src->keys[i].expr, &failed);
		dst->keys[i].desc = src->keys[i].desc;
	}
	if (src->include_count &&
	    !(dst->include = rt__arena_alloc(arena, src->include_count * sizeof(*dst->include))))
		return rt__error_nomem();
	for (size_t i = 0; i < src->include_count; i++)
		dst->include[i] = copy_or_null(arena, src->include[i], &failed);
	dst->method = copy_or_null(arena, src->method, &failed);
	dst->where = copy_or_null(arena, src->where, &failed);
	return failed ? rt__error_nomem() : RT_OK;
}

bool rt__index_is_plain(const rt_index *index)
{
	if (index->method || index->where || index->include_count)
		return false;
	for (size_t i = 0; i < index->key_count; i++)
		if (!index->keys[i].column || index->keys[i].desc)
			return false;
	return true;
}

bool rt__index_plain_on(const rt_index *index, const char *const *columns, size_t count,
			bool ordered)
{
	if (!rt__index_is_plain(index) || index->key_count != count)
		return false;
	for (size_t i = 0; i < count; i++) {
		bool found = false;
		for (size_t j = ordered ? i : 0; !found && j < (ordered ? i + 1 : count); j++)
			found = strcmp(index->keys[i].column, columns[j]) == 0;
		if (!found)
			return false;
	}
	return true;
}

bool rt__index_uses_column(const rt_index *index, const char *column)
{
	for (size_t i = 0; i < index->key_count; i++)
		if (index->keys[i].column && strcmp(index->keys[i].column, column) == 0)
			return true;
	for (size_t i = 0; i < index->include_count; i++)
		if (strcmp(index->include[i], column) == 0)
			return true;
	return false;
}

void rt__index_rename_column(rt_index *index, const char *old_name, const char *new_name)
{
	for (size_t i = 0; i < index->key_count; i++)
		if (index->keys[i].column && strcmp(index->keys[i].column, old_name) == 0)
			index->keys[i].column = new_name;
	for (size_t i = 0; i < index->include_count; i++)
		if (strcmp(index->include[i], old_name) == 0)
			index->include[i] = new_name;
}

bool rt__index_expr_is_call(const char *expr)
{
	/* name(...) or schema.name(...), the ')' closing the first '(' last. */
	const char *p = expr;
	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return false;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
		p++;
	if (*p != '(')
		return false;
	char quote;
	const char *close = rt__sql_group_end(p + 1, p + strlen(p), &quote);
	return close && close[1] == '\0';
}

rt_table *rt__schema_add_table_in(rt_schema *schema, const char *sql_schema,
				  const char *sql_name, const char *model)
{
	if (!sql_schema || strcmp(sql_schema, RT_DEFAULT_SCHEMA) == 0)
		return rt__schema_add_table(schema, sql_name, model);
	const char *name = rt__arena_printf(schema->arena, "%s.%s", sql_schema, sql_name);
	if (!name)
		return nomem_null();
	rt_table *table = rt__schema_add_table(schema, name, model);
	if (!table)
		return NULL;
	/* The schema's name is the start of the table's, kept apart. */
	table->schema = rt__arena_strndup(schema->arena, name, strlen(sql_schema));
	return table->schema ? table : nomem_null();
}

int rt__schema_add_namespace(rt_schema *schema, const char *name)
{
	if (rt__schema_has_namespace(schema, name))
		return RT_OK;
	const char *copy = rt__arena_strdup(schema->arena, name);
	if (!copy || RT_ARENA_PUSH(schema->arena, schema->namespaces, schema->namespace_count,
				   schema->namespace_cap, copy) < 0)
		return rt__error_nomem();
	return RT_OK;
}

bool rt__schema_has_namespace(const rt_schema *schema, const char *name)
{
	for (size_t i = 0; i < schema->namespace_count; i++)
		if (strcmp(schema->namespaces[i], name) == 0)
			return true;
	return false;
}

bool rt__names_contain(const char *const *names, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

bool rt__names_same_set(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!rt__names_contain(b, nb, a[i]))
			return false;
	return true;
}

const char *rt__table_sql_name(const rt_table *table)
{
	return table->schema ? table->name + strlen(table->schema) + 1 : table->name;
}

const char *rt__table_unqualified(const rt_table *table, const char *name)
{
	size_t n = table->schema ? strlen(table->schema) : 0;
	if (n && strncmp(name, table->schema, n) == 0 && name[n] == '.')
		return name + n + 1;
	return name;
}

int rt__table_copy_schema(rt_arena *arena, rt_table *to, const rt_table *from)
{
	to->schema = NULL;
	if (!from->schema || rt__table_unqualified(from, to->name) == to->name)
		return RT_OK;
	to->schema = rt__arena_strdup(arena, from->schema);
	return to->schema ? RT_OK : rt__error_nomem();
}

const char *rt__schema_table_sql_name(const rt_schema *schema, const char *name)
{
	const rt_table *table = schema && name ? rt__schema_find_table(schema, name) : NULL;
	if (table)
		return rt__table_sql_name(table);
	/* Not to be looked up: billing.accounts is taken for table accounts
	 * of schema billing. */
	const char *dot = name ? strchr(name, '.') : NULL;
	return dot && dot != name && dot[1] ? dot + 1 : name;
}

const char *rt__table_renamed(rt_arena *arena, const rt_table *table, const char *new_sql_name)
{
	if (!table->schema)
		return rt__arena_strdup(arena, new_sql_name);
	return rt__arena_printf(arena, "%s.%s", table->schema, new_sql_name);
}

rt_table *rt__schema_find_table(const rt_schema *schema, const char *name)
{
	return rt__map_get(&schema->table_by_name, name);
}

rt_table *rt__schema_find_model(const rt_schema *schema, const char *model)
{
	return rt__map_get(&schema->table_by_model, model);
}

rt_enum *rt__schema_find_enum(const rt_schema *schema, const char *name)
{
	return rt__map_get(&schema->enum_by_name, name);
}

rt_column *rt__table_find_column(const rt_table *table, const char *name)
{
	return rt__map_get(&table->column_by_name, name);
}

rt_column *rt__table_find_field(const rt_table *table, const char *field)
{
	for (size_t i = 0; i < table->column_count; i++)
		if (strcmp(table->columns[i]->field, field) == 0)
			return table->columns[i];
	return rt__table_find_column(table, field);
}

rt_constraint *rt__table_find_constraint(const rt_table *table, const char *name)
{
	if (table->primary_key && table->primary_key->name &&
	    strcmp(table->primary_key->name, name) == 0)
		return table->primary_key;
	for (size_t i = 0; i < table->constraint_count; i++)
		if (table->constraints[i]->name &&
		    strcmp(table->constraints[i]->name, name) == 0)
			return table->constraints[i];
	return NULL;
}

rt_index *rt__table_find_index(const rt_table *table, const char *name)
{
	for (size_t i = 0; i < table->index_count; i++)
		if (table->indexes[i]->name && strcmp(table->indexes[i]->name, name) == 0)
			return table->indexes[i];
	return NULL;
}

/* Each table option once: its bit, the word that sets it and the words
 * that clear it in an `alter table`. */
static const struct {
	unsigned bit;
	const char *word;
	const char *unword;
} table_options[RT_TABLE_OPTION_COUNT] = {
	{RT_TABLE_STRICT, "strict", "not strict"},
	{RT_TABLE_WITHOUT_ROWID, "without rowid", "with rowid"},
};

unsigned rt__table_option_bit(size_t i)
{
	return i < RT_TABLE_OPTION_COUNT ? table_options[i].bit : 0;
}

const char *rt__table_option_word(size_t i)
{
	return i < RT_TABLE_OPTION_COUNT ? table_options[i].word : NULL;
}

const char *rt__table_option_unword(size_t i)
{
	return i < RT_TABLE_OPTION_COUNT ? table_options[i].unword : NULL;
}

const char *rt__partition_method_word(rt_partition_method method)
{
	switch (method) {
	case RT_PARTITION_NONE: return "";
	case RT_PARTITION_RANGE: return "range";
	case RT_PARTITION_LIST: return "list";
	case RT_PARTITION_HASH: return "hash";
	}
	return "";
}

rt_partition_method rt__partition_method_of(const char *word)
{
	for (rt_partition_method m = RT_PARTITION_RANGE; m <= RT_PARTITION_HASH; m++)
		if (word && strcmp(word, rt__partition_method_word(m)) == 0)
			return m;
	return RT_PARTITION_NONE;
}

int rt__table_copy_partitioning(rt_arena *arena, rt_table *to, const rt_table *from)
{
	to->partition_by = from->partition_by;
	to->partition_key_count = 0;
	to->partition_keys = NULL;
	if (from->partition_key_count) {
		to->partition_keys = rt__arena_alloc(arena, from->partition_key_count *
								   sizeof(*to->partition_keys));
		if (!to->partition_keys)
			return rt__error_nomem();
	}
	bool failed = false;
	for (size_t i = 0; i < from->partition_key_count; i++) {
		rt_partition_key *key = &to->partition_keys[i];
		key->column = copy_or_null(arena, from->partition_keys[i].column, &failed);
		key->expression = copy_or_null(arena, from->partition_keys[i].expression, &failed);
	}
	to->partition_key_count = from->partition_key_count;
	to->partition_of = copy_or_null(arena, from->partition_of, &failed);
	to->partition_bound = copy_or_null(arena, from->partition_bound, &failed);
	return failed ? rt__error_nomem() : RT_OK;
}

const rt_table *rt__schema_partition_root(const rt_schema *schema, const rt_table *table)
{
	/* A chain longer than the schema has tables comes back on itself. */
	for (size_t steps = 0; table && table->partition_of; steps++) {
		if (steps > schema->table_count)
			return NULL;
		table = rt__schema_find_table(schema, table->partition_of);
	}
	return table;
}

const rt_table *rt__schema_first_partition(const rt_schema *schema, const rt_table *table)
{
	for (size_t i = 0; i < schema->table_count; i++) {
		const rt_table *t = schema->tables[i];
		if (t->partition_of && strcmp(t->partition_of, table->name) == 0)
			return t;
	}
	return NULL;
}

const char *rt__deferrable_words(rt_deferrable deferrable)
{
	switch (deferrable) {
	case RT_NOT_DEFERRABLE: return "";
	case RT_DEFERRABLE_IMMEDIATE: return "deferrable";
	case RT_DEFERRABLE_DEFERRED: return "deferrable initially deferred";
	}
	return "";
}

const char *rt__fk_action_name(rt_fk_action action)
{
	switch (action) {
	case RT_FK_NO_ACTION: return "no action";
	case RT_FK_RESTRICT: return "restrict";
	case RT_FK_CASCADE: return "cascade";
	case RT_FK_SET_NULL: return "set null";
	case RT_FK_SET_DEFAULT: return "set default";
	}
	return "no action";
}

bool rt__column_follows_table_collation(const rt_column *column,
					 bool (*verbatim_text)(const char *sql))
{
	switch (column->type.kind) {
	case RT_TYPE_STRING:
	case RT_TYPE_CHAR:
	case RT_TYPE_TEXT:
	case RT_TYPE_ENUM: break;
	case RT_TYPE_SQL:
		if (verbatim_text && column->type.sql && verbatim_text(column->type.sql))
			break;
		return false;
	default: return false;
	}
	return !column->type.array && !column->collation && !column->generated;
}

void rt__schema_lower_collations(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		const char *table_lower =
			table->collation ? rt__arena_strdup_lower(schema->arena, table->collation)
					 : NULL;
		if (table_lower)
			table->collation = table_lower;
		for (size_t c = 0; c < table->column_count; c++) {
			rt_column *column = table->columns[c];
			const char *lower = column->collation
						    ? rt__arena_strdup_lower(schema->arena,
									     column->collation)
						    : NULL;
			if (lower) /* out of memory keeps the name: compared unequal, said */
				column->collation = lower;
		}
	}
}

bool rt__type_is_integer(rt_type_kind kind)
{
	return kind == RT_TYPE_SMALLINT || kind == RT_TYPE_INT || kind == RT_TYPE_BIGINT;
}

bool rt__type_is_number(rt_type_kind kind)
{
	return rt__type_is_integer(kind) || kind == RT_TYPE_REAL || kind == RT_TYPE_DOUBLE ||
	       kind == RT_TYPE_NUMERIC;
}

bool rt__column_autoincrements(const rt_column *column)
{
	return column && column->autoincrement && !column->type.array &&
	       (rt__type_is_integer(column->type.kind) || column->type.kind == RT_TYPE_SQL);
}

/* The name of one value of the type: the element's, for an array. */
static const char *element_name(rt_arena *arena, const rt_type *type)
{
	switch (type->kind) {
	case RT_TYPE_SMALLINT: return "smallint";
	case RT_TYPE_INT: return "int";
	case RT_TYPE_BIGINT: return "bigint";
	case RT_TYPE_BOOL: return "bool";
	case RT_TYPE_REAL: return "real";
	case RT_TYPE_DOUBLE: return "double";
	case RT_TYPE_NUMERIC:
		if (type->precision == 0)
			return "numeric";
		return rt__arena_printf(arena, "numeric(%d,%d)", type->precision, type->scale);
	case RT_TYPE_STRING:
		if (type->length == 0)
			return "string";
		return rt__arena_printf(arena, "string(%d)", type->length);
	case RT_TYPE_CHAR:
		return rt__arena_printf(arena, "char(%d)", type->length);
	case RT_TYPE_TEXT: return "text";
	case RT_TYPE_BLOB: return "blob";
	case RT_TYPE_DATE: return "date";
	case RT_TYPE_TIME: return "time";
	case RT_TYPE_TIMESTAMP: return "timestamp";
	case RT_TYPE_TIMESTAMPTZ: return "timestamptz";
	case RT_TYPE_UUID: return "uuid";
	case RT_TYPE_JSON: return "json";
	case RT_TYPE_ENUM: return type->enum_name ? type->enum_name : "?enum";
	case RT_TYPE_SQL: {
		/* sql '<text>' with the quotes doubled, as the parser reads it. */
		rt_buf buf = RT_BUF_INIT;
		rt__buf_puts(&buf, "sql ");
		rt__buf_put_sql_string(&buf, type->sql ? type->sql : "");
		const char *name = rt__buf_failed(&buf)
					   ? NULL
					   : rt__arena_strdup(arena, rt__buf_cstr(&buf));
		rt__buf_free(&buf);
		return name;
	}
	}
	return "?";
}

const char *rt__type_name(rt_arena *arena, const rt_type *type)
{
	const char *name = element_name(arena, type);
	if (!type->array || !name)
		return name;
	return rt__arena_printf(arena, "%s[]", name);
}

size_t rt_schema_table_count(const rt_schema *schema)
{
	return schema ? schema->table_count : 0;
}

const char *rt_schema_table_name(const rt_schema *schema, size_t i)
{
	if (!schema || i >= schema->table_count)
		return NULL;
	return schema->tables[i]->name;
}

void rt_free(void *ptr)
{
	free(ptr);
}
