/*
 * diff_enums.c - enum types: which type of the database is which of the
 * models, and the steps that create, extend and drop them.
 *
 * A database with native enums (PostgreSQL) names its types: a type of the
 * database is the model's enum with the same SQL name. SQLite keeps no
 * types, only each column's CHECK of values, which reflection turns into
 * an enum per column named after the table and column. There the types
 * are the scripts' when they are known (the CLI replays them): a column
 * the scripts typed with an enum holding the same values uses it, and
 * the scripts' enums no column uses are there too, so that autogenerate
 * drops only what a script created and runs as it would on PostgreSQL.
 * Otherwise the column decides: a column of the database takes the enum
 * of the model's column it matches when that enum holds all the column's
 * values (it may have more: added values), so the models' names are used
 * throughout and only real changes show; a column whose values the
 * model's enum lacks is moving to another type. Enums no column uses and
 * no script created do not exist on SQLite and are left out on both
 * sides.
 *
 * Values can be added (at the end; the downgrade keeps them). Removing or
 * reordering values would mean recreating the type and every column using
 * it; it is reported as a warning and nothing is generated for it.
 */
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "migrate/diff_impl.h"
#include "schema/naming.h"

bool rt__diff_same_enum_values(const rt_enum *a, const rt_enum *b)
{
	if (!a || !b || a->value_count != b->value_count)
		return false;
	for (size_t i = 0; i < a->value_count; i++)
		if (strcmp(a->values[i], b->values[i]) != 0)
			return false;
	return true;
}

const rt_enum *rt__diff_column_enum(const rt_schema *schema, const rt_column *column)
{
	if (column->type.kind != RT_TYPE_ENUM)
		return NULL;
	if (column->type.enum_type)
		return column->type.enum_type;
	return column->type.enum_name ? rt__schema_find_enum(schema, column->type.enum_name)
				      : NULL;
}

const rt_enum *rt__diff_scripts_enum(const rt_differ *d, const char *sql_name)
{
	const rt_schema *scripts = d->opts->scripts;
	if (d->native_enums || !scripts || !sql_name)
		return NULL;
	for (size_t i = 0; i < scripts->enum_count; i++)
		if (strcmp(scripts->enums[i]->sql_name, sql_name) == 0)
			return scripts->enums[i];
	return NULL;
}

/* Searches the array: names may have changed since the map was built. */
static rt_enum *find_enum(const rt_schema *schema, const char *name)
{
	for (size_t i = 0; i < schema->enum_count; i++)
		if (strcmp(schema->enums[i]->name, name) == 0)
			return schema->enums[i];
	return NULL;
}

static bool has_value(const rt_enum *e, const char *value)
{
	for (size_t i = 0; i < e->value_count; i++)
		if (strcmp(e->values[i], value) == 0)
			return true;
	return false;
}

/* --- native enums: the same SQL name is the same type ------------------------ */

static int name_native_enums(rt_differ *d)
{
	rt_schema *base = d->base;
	for (size_t i = 0; i < base->enum_count; i++) {
		rt_enum *e = base->enums[i];
		const rt_enum *model = NULL;
		for (size_t j = 0; j < d->to->enum_count && !model; j++)
			if (rt__enum_same_type(d->to->enums[j], e))
				model = d->to->enums[j];
		if (!model || strcmp(model->name, e->name) == 0 || find_enum(base, model->name))
			continue;
		if (!(e->name = rt__arena_strdup(base->arena, model->name)))
			return rt__error_nomem();
	}
	for (size_t t = 0; t < base->table_count; t++) {
		rt_table *table = base->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_type *type = &table->columns[c]->type;
			if (type->kind == RT_TYPE_ENUM && type->enum_type)
				type->enum_name = type->enum_type->name;
		}
	}
	return rt__diff_reindex_schema(base);
}

/* --- SQLite: a column's values, under the name its model gives them --------- */

typedef struct naming {
	rt_differ *d;
	rt_enum **list;      /* the enums of base, rebuilt */
	size_t count, cap;
	rt_map by_name;
} naming;

/* The enum called name holding values, made if new; NULL when the name is
 * taken by other values (or out of memory, with the error recorded). */
static rt_enum *claim(naming *n, const char *name, const char *sql_name, const rt_enum *values,
		      bool *nomem)
{
	rt_enum *e = rt__map_get(&n->by_name, name);
	if (e)
		return rt__diff_same_enum_values(e, values) ? e : NULL;
	rt_arena *arena = n->d->base->arena;
	e = rt__diff_copy_enum(arena, values);
	if (e && ((e->name = rt__arena_strdup(arena, name)) == NULL ||
		  (e->sql_name = rt__arena_strdup(arena, sql_name)) == NULL))
		e = NULL;
	if (!e || rt__map_put(&n->by_name, e->name, e) < 0 ||
	    RT_ARENA_PUSH(n->d->tmp, n->list, n->count, n->cap, e) < 0) {
		*nomem = true;
		return NULL;
	}
	return e;
}

static void use_enum(rt_column *column, rt_enum *e)
{
	column->type.enum_name = e->name;
	column->type.enum_type = e;
}

static bool is_claimed(const naming *n, const rt_column *column)
{
	const rt_type *type = &column->type;
	return type->enum_name && rt__map_get(&n->by_name, type->enum_name) == type->enum_type;
}

/* Does e hold every value of part? */
static bool holds_values(const rt_enum *e, const rt_enum *part)
{
	for (size_t i = 0; i < part->value_count; i++)
		if (!has_value(e, part->values[i]))
			return false;
	return true;
}

/* The name an enum of the scripts goes by: the models' when they have
 * the same type (the same SQL name), as on PostgreSQL. */
static const char *scripts_enum_name(const rt_differ *d, const rt_enum *e)
{
	for (size_t i = 0; i < d->to->enum_count; i++)
		if (strcmp(d->to->enums[i]->sql_name, e->sql_name) == 0)
			return d->to->enums[i]->name;
	return e->name;
}

/* The enum the scripts gave a column of the database, when it allows just
 * the values the database's CHECK does; NULL otherwise (a database the
 * scripts did not make, or no scripts). */
static const rt_enum *scripts_column_enum(const rt_differ *d, const rt_table *table,
					  const rt_column *column, const rt_enum *values)
{
	const rt_schema *scripts = d->opts->scripts;
	if (!scripts)
		return NULL;
	const rt_table *st = rt__schema_find_table(scripts, table->name);
	const rt_column *sc = st ? rt__table_find_column(st, column->name) : NULL;
	const rt_enum *e = sc ? rt__diff_column_enum(scripts, sc) : NULL;
	return e && holds_values(e, values) && holds_values(values, e) ? e : NULL;
}

/* Columns the scripts typed with an enum use it, under its name. */
static int name_by_scripts(naming *n)
{
	rt_differ *d = n->d;
	bool nomem = false;
	for (size_t t = 0; t < d->base->table_count; t++) {
		rt_table *table = d->base->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_column *column = table->columns[c];
			const rt_enum *values = rt__diff_column_enum(d->base, column);
			const rt_enum *e = values ? scripts_column_enum(d, table, column, values)
						  : NULL;
			if (!e)
				continue;
			rt_enum *named = claim(n, scripts_enum_name(d, e), e->sql_name, e, &nomem);
			if (named)
				use_enum(column, named);
			if (nomem)
				return RT_ENOMEM;
		}
	}
	return RT_OK;
}

/* The scripts' enums no column uses exist as well: the models may still
 * declare them, or autogenerate drops them. */
static int add_unused_scripts_enums(naming *n)
{
	const rt_schema *scripts = n->d->opts->scripts;
	bool nomem = false;
	for (size_t i = 0; scripts && i < scripts->enum_count; i++) {
		const rt_enum *e = scripts->enums[i];
		const char *name = scripts_enum_name(n->d, e);
		if (!rt__map_get(&n->by_name, name))
			claim(n, name, e->sql_name, e, &nomem);
		if (nomem)
			return RT_ENOMEM;
	}
	return RT_OK;
}

/* Columns matched with an enum column of the models take its name, when
 * the model's enum holds every value the column allows (values may have
 * been added since); otherwise the column is moving to another type. */
static int name_by_model(naming *n)
{
	rt_differ *d = n->d;
	bool nomem = false;
	for (size_t t = 0; t < d->base->table_count; t++) {
		rt_table *table = d->base->tables[t];
		rt_diff_pair *pair = rt__map_get(&d->pair_of_from, table->name);
		for (size_t c = 0; pair && c < table->column_count; c++) {
			rt_column *column = table->columns[c];
			if (is_claimed(n, column))
				continue;
			const rt_enum *values = rt__diff_column_enum(d->base, column);
			const rt_column *model = rt__map_get(&pair->to_of_from, column->name);
			const rt_enum *target = model ? rt__diff_column_enum(d->to, model) : NULL;
			if (!values || !target || !holds_values(target, values))
				continue;
			rt_enum *e = claim(n, target->name, target->sql_name, values, &nomem);
			if (e)
				use_enum(column, e);
			if (nomem)
				return RT_ENOMEM;
		}
	}
	return RT_OK;
}

/* The rest take the name of a model enum with the same values, or keep
 * their own (numbered when the models use it for other values). */
static int name_the_rest(naming *n)
{
	rt_differ *d = n->d;
	bool nomem = false;
	for (size_t t = 0; t < d->base->table_count; t++) {
		rt_table *table = d->base->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_column *column = table->columns[c];
			const rt_enum *values = rt__diff_column_enum(d->base, column);
			if (!values || is_claimed(n, column))
				continue;
			rt_enum *e = NULL;
			for (size_t i = 0; i < d->to->enum_count && !e && !nomem; i++)
				if (rt__diff_same_enum_values(d->to->enums[i], values))
					e = claim(n, d->to->enums[i]->name, d->to->enums[i]->sql_name,
						  values, &nomem);
			for (int k = 1; !e && !nomem; k++) {
				const char *name = k == 1 ? values->name
						  : rt__arena_printf(d->tmp, "%s%d", values->name, k);
				const char *sql = name ? rt__name_snake_case(d->tmp, name) : NULL;
				if (!sql)
					return rt__error_nomem();
				if (!rt__schema_find_enum(d->to, name))
					e = claim(n, name, sql, values, &nomem);
			}
			if (nomem)
				return RT_ENOMEM;
			use_enum(column, e);
		}
	}
	return RT_OK;
}

static int name_enums_by_column(rt_differ *d)
{
	naming n = {.d = d};
	rt__map_init(&n.by_name, d->tmp);
	int rc = name_by_scripts(&n);
	if (rc == RT_OK)
		rc = name_by_model(&n);
	if (rc == RT_OK)
		rc = add_unused_scripts_enums(&n);
	if (rc == RT_OK)
		rc = name_the_rest(&n);
	if (rc < 0)
		return rc;
	d->base->enums = n.list;
	d->base->enum_count = d->base->enum_cap = n.count;
	return rt__diff_reindex_schema(d->base);
}

int rt__diff_name_enums(rt_differ *d)
{
	return d->native_enums ? name_native_enums(d) : name_enums_by_column(d);
}

/* --- steps -------------------------------------------------------------------------- */

static int file_create(rt_differ *d, const rt_enum *model)
{
	rt_enum *def = rt__diff_copy_enum(d->arena, model);
	rt_op *up = rt__diff_op(d, RT_OP_CREATE_ENUM, NULL);
	rt_op *down = rt__diff_op(d, RT_OP_DROP_ENUM, NULL);
	if (!def || !up || !down)
		return RT_ENOMEM;
	up->name = down->name = def->name;
	up->enum_def = down->enum_def = def;
	return rt__diff_step(d, RT_DIFF_CREATE_ENUM, up, down);
}

static int file_drop(rt_differ *d, const rt_enum *old)
{
	rt_enum *def = rt__diff_copy_enum(d->arena, old);
	rt_op *up = rt__diff_op(d, RT_OP_DROP_ENUM, NULL);
	rt_op *down = rt__diff_op(d, RT_OP_CREATE_ENUM, NULL);
	if (!def || !up || !down)
		return RT_ENOMEM;
	up->name = down->name = def->name;
	up->enum_def = down->enum_def = def;
	return rt__diff_step(d, RT_DIFF_DROP_ENUM, up, down);
}

/* "'a', 'b'" for a warning. */
static const char *value_list(rt_differ *d, const char *const *values, size_t count)
{
	rt_buf buf = RT_BUF_INIT;
	for (size_t i = 0; i < count; i++) {
		if (i)
			rt__buf_puts(&buf, ", ");
		rt__buf_put_sql_string(&buf, values[i]);
	}
	const char *text = rt__buf_failed(&buf) ? NULL : rt__diff_keep(d, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	return text;
}

/* The values of a that b lacks, in a's order. */
static const char **values_not_in(rt_differ *d, const rt_enum *a, const rt_enum *b,
				  size_t *count)
{
	const char **out = rt__arena_alloc(d->tmp, (a->value_count + 1) * sizeof(*out));
	*count = 0;
	for (size_t i = 0; out && i < a->value_count; i++)
		if (!has_value(b, a->values[i]))
			out[(*count)++] = a->values[i];
	if (!out)
		rt__error_nomem();
	return out;
}

/* Do from's values followed by the added ones give exactly model's order? */
static bool appending_gives(const rt_enum *from, const rt_enum *model,
			    const char *const *added, size_t added_count)
{
	if (from->value_count + added_count != model->value_count)
		return false;
	for (size_t i = 0; i < model->value_count; i++) {
		const char *v = i < from->value_count ? from->values[i]
						      : added[i - from->value_count];
		if (strcmp(v, model->values[i]) != 0)
			return false;
	}
	return true;
}

static int compare_values(rt_differ *d, const rt_enum *from, const rt_enum *model)
{
	size_t added_count, removed_count;
	const char **added = values_not_in(d, model, from, &added_count);
	const char **removed = values_not_in(d, from, model, &removed_count);
	if (!added || !removed)
		return RT_ENOMEM;
	/* Each added value is dropped again by the downgrade (the type is
	 * recreated, or the CHECK rebuilt, refusing while a row holds it). */
	for (size_t i = 0; i < added_count; i++) {
		rt_op *up = rt__diff_op(d, RT_OP_ALTER_ENUM_ADD, NULL);
		rt_op *down = rt__diff_op(d, RT_OP_ALTER_ENUM_DROP, NULL);
		if (!up || !down || !(up->name = rt__diff_keep(d, model->name)) ||
		    !(up->value = rt__diff_keep(d, added[i])))
			return rt__error_nomem();
		down->name = up->name;
		down->value = up->value;
		int rc = rt__diff_step(d, RT_DIFF_ADD_ENUM_VALUE, up, down);
		if (rc < 0)
			return rc;
	}
	if (removed_count) {
		const char *list = value_list(d, removed, removed_count);
		if (!list || rt__diff_warn(d, "enum %s: the database has values %s the models "
					      "do not; removing enum values is not supported, "
					      "nothing is generated for them",
					   model->name, list) < 0)
			return RT_ENOMEM;
	} else if (!appending_gives(from, model, added, added_count)) {
		const char *list = value_list(d, model->values, model->value_count);
		if (!list || rt__diff_warn(d, "enum %s: the database keeps its own order of the "
					      "values, not %s (added values go at the end; "
					      "reordering is not supported)",
					   model->name, list) < 0)
			return RT_ENOMEM;
	}
	return RT_OK;
}

/* An enum the models put in another PostgreSQL schema than the
 * database's type of its name: its columns would have to change type;
 * refused by name, as a table's move is (diff_schemas.c). */
static int moved(const rt_enum *old, const rt_enum *model)
{
	const char *from = old->schema ? old->schema : RT_DEFAULT_SCHEMA;
	const char *to = model->schema ? model->schema : RT_DEFAULT_SCHEMA;
	return rt__error_set(RT_EINVAL,
			     "enum %s: the models move its type from schema %s to schema %s; "
			     "autogenerate does not move a type between schemas: move it in a "
			     "script of its own (execute 'ALTER TYPE %s.%s SET SCHEMA %s'), or "
			     "keep it in schema %s",
			     model->name, from, to, from, old->sql_name, to, from);
}

int rt__diff_enums(rt_differ *d)
{
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < d->to->enum_count; i++) {
		const rt_enum *model = d->to->enums[i];
		const rt_enum *old = find_enum(d->from, model->name);
		if (old && d->native_enums && strcmp(old->sql_name, model->sql_name) == 0 &&
		    !rt__enum_same_type(old, model))
			rc = moved(old, model);
		else
			rc = old ? compare_values(d, old, model) : file_create(d, model);
	}
	for (size_t i = 0; rc == RT_OK && i < d->from->enum_count; i++) {
		const rt_enum *old = d->from->enums[i];
		if (!find_enum(d->to, old->name) && !rt__map_get(&d->kept_enums, old->sql_name))
			rc = file_drop(d, old);
	}
	return rc;
}
