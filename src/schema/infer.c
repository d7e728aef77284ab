/*
 * infer.c - model names and relationships for a reflected schema (infer.h).
 *
 * Works in four passes over the schema: drop the bookkeeping tables,
 * recognise the pure association tables, name the enums and models, then
 * add the relationships, foreign key by foreign key. Names are chosen in
 * declaration order, so the same database always gives the same file.
 */
#include "schema/infer.h"

#include <stdbool.h>
#include <string.h>

#include "base/error.h"
#include "schema/naming.h"

typedef struct infer {
	rt_schema *schema;
	rt_arena *arena;
	rt_map association; /* SQL table name -> rt_table*, the pure association tables */
} infer;

/* --- small helpers ------------------------------------------------------------ */

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool same_columns(const char *const *a, size_t a_count, const char *const *b,
			 size_t b_count)
{
	if (a_count != b_count)
		return false;
	for (size_t i = 0; i < a_count; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

static bool is_foreign_key(const rt_constraint *c)
{
	return c->kind == RT_CONSTRAINT_FOREIGN_KEY;
}

/* Is the column alone a primary key, a unique constraint or a unique index? */
static bool column_is_unique(const rt_table *t, const char *column)
{
	const char *const one[] = {column};
	if (t->primary_key && same_columns(t->primary_key->columns,
					   t->primary_key->column_count, one, 1))
		return true;
	for (size_t i = 0; i < t->constraint_count; i++) {
		const rt_constraint *c = t->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE && same_columns(c->columns, c->column_count,
								    one, 1))
			return true;
	}
	for (size_t i = 0; i < t->index_count; i++) {
		const rt_index *ix = t->indexes[i];
		if (ix->unique && rt__index_plain_on(ix, one, 1, true))
			return true;
	}
	return false;
}

/* Foreign keys joining a and b, either way. */
static size_t foreign_keys_between(const rt_table *a, const rt_table *b)
{
	size_t n = 0;
	for (size_t i = 0; i < a->constraint_count; i++)
		if (is_foreign_key(a->constraints[i]) &&
		    strcmp(a->constraints[i]->ref_table, b->name) == 0)
			n++;
	if (a == b)
		return n;
	for (size_t i = 0; i < b->constraint_count; i++)
		if (is_foreign_key(b->constraints[i]) &&
		    strcmp(b->constraints[i]->ref_table, a->name) == 0)
			n++;
	return n;
}

/* Foreign keys of a to b on exactly this one column. Two of them (a key
 * made twice, with different actions) cannot be told apart by `on
 * <column>`, so such a column gets no relationship: a relationship is
 * optional, and the keys themselves are still written. */
static size_t foreign_keys_on(const rt_table *a, const rt_table *b, const char *column)
{
	size_t n = 0;
	for (size_t i = 0; i < a->constraint_count; i++) {
		const rt_constraint *c = a->constraints[i];
		if (is_foreign_key(c) && strcmp(c->ref_table, b->name) == 0 &&
		    same_columns(c->columns, c->column_count, &column, 1))
			n++;
	}
	return n;
}

/* Makes SQL text (already snake_case) identifier words, in place: each run
 * of characters an identifier cannot hold (blanks, quotes, dots, non-ASCII
 * bytes) becomes one '_', and none is left at either end, so `say "hi"`
 * gives say_hi rather than say__hi_. The result may be empty. */
static void identifier_words(char *text)
{
	char *o = text;
	bool gap = false;
	for (const char *p = text; *p; p++) {
		if (!is_alpha(*p) && !is_digit(*p) && *p != '_') {
			gap = true;
			continue;
		}
		if (gap && o > text && o[-1] != '_' && *p != '_')
			*o++ = '_';
		gap = false;
		*o++ = *p;
	}
	*o = '\0';
}

/* --- removing the bookkeeping tables ----------------------------------------- */

static bool referenced_by_others(const rt_schema *schema, const rt_table *t)
{
	for (size_t i = 0; i < schema->table_count; i++) {
		const rt_table *other = schema->tables[i];
		for (size_t j = 0; other != t && j < other->constraint_count; j++)
			if (is_foreign_key(other->constraints[j]) &&
			    strcmp(other->constraints[j]->ref_table, t->name) == 0)
				return true;
	}
	return false;
}

static bool listed(const char *const *names, const char *name)
{
	for (size_t i = 0; names && names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static int remove_skipped(rt_schema *schema, const char *const *skip)
{
	size_t kept = 0;
	for (size_t i = 0; i < schema->table_count; i++) {
		rt_table *t = schema->tables[i];
		if (!listed(skip, t->name) || referenced_by_others(schema, t))
			schema->tables[kept++] = t;
	}
	if (kept == schema->table_count)
		return RT_OK;
	schema->table_count = kept;
	/* The name map has no removal: build it again. */
	rt__map_init(&schema->table_by_name, schema->arena);
	for (size_t i = 0; i < kept; i++)
		if (!rt__map_get(&schema->table_by_name, schema->tables[i]->name) &&
		    rt__map_put(&schema->table_by_name, schema->tables[i]->name,
				schema->tables[i]) < 0)
			return rt__error_nomem();
	return RT_OK;
}

/* --- association tables -------------------------------------------------------- */

/* Two foreign keys to two other, different tables; their columns are all
 * the columns and the primary key. */
static bool looks_like_association(const rt_schema *schema, const rt_table *t)
{
	const rt_constraint *fks[2];
	size_t fk_count = 0;
	for (size_t i = 0; i < t->constraint_count; i++) {
		if (!is_foreign_key(t->constraints[i]))
			continue;
		if (fk_count == 2)
			return false;
		fks[fk_count++] = t->constraints[i];
	}
	if (fk_count != 2 || !t->primary_key)
		return false;
	const rt_table *x = rt__schema_find_table(schema, fks[0]->ref_table);
	const rt_table *y = rt__schema_find_table(schema, fks[1]->ref_table);
	if (!x || !y || x == y || x == t || y == t)
		return false;

	size_t fk_columns = fks[0]->column_count + fks[1]->column_count;
	if (fk_columns != t->column_count || t->primary_key->column_count != fk_columns)
		return false;
	for (size_t i = 0; i < t->column_count; i++) {
		const char *name = t->columns[i]->name;
		bool in_fk = false, in_pk = false;
		for (size_t f = 0; f < 2; f++)
			for (size_t c = 0; c < fks[f]->column_count; c++)
				in_fk = in_fk || strcmp(fks[f]->columns[c], name) == 0;
		for (size_t c = 0; c < t->primary_key->column_count; c++)
			in_pk = in_pk || strcmp(t->primary_key->columns[c], name) == 0;
		if (!in_fk || !in_pk)
			return false;
	}
	return true;
}

/* Will the table be a model? (Decided before the models get names.) */
static bool becomes_model(const infer *inf, const rt_table *t)
{
	return t->primary_key && !rt__map_get(&inf->association, t->name);
}

static int find_associations(infer *inf)
{
	rt_schema *schema = inf->schema;
	rt_map candidates;
	rt__map_init(&candidates, inf->arena);
	for (size_t i = 0; i < schema->table_count; i++) {
		rt_table *t = schema->tables[i];
		if (looks_like_association(schema, t) && rt__map_put(&candidates, t->name, t) < 0)
			return rt__error_nomem();
	}
	/* Both ends must be models, and nothing may refer to the table: a
	 * relationship can only point at a model. */
	for (size_t i = 0; i < schema->table_count; i++) {
		rt_table *t = schema->tables[i];
		if (!rt__map_get(&candidates, t->name) || referenced_by_others(schema, t))
			continue;
		bool ends_are_models = true;
		for (size_t j = 0; j < t->constraint_count; j++) {
			const rt_constraint *fk = t->constraints[j];
			const rt_table *end = is_foreign_key(fk)
						      ? rt__schema_find_table(schema, fk->ref_table)
						      : NULL;
			if (end && (!end->primary_key || rt__map_get(&candidates, end->name)))
				ends_are_models = false;
		}
		if (ends_are_models && rt__map_put(&inf->association, t->name, t) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* --- model and enum names -------------------------------------------------------- */

/* A type-like name (CartItem) from SQL text: snake_case words, runs of
 * characters an identifier cannot hold as _, then CamelCase; singular when
 * asked. Always an identifier that starts with an upper-case letter. */
static char *type_identifier(rt_arena *arena, const char *sql_name, bool singular)
{
	char *snake = rt__name_snake_case(arena, sql_name);
	if (!snake)
		return NULL;
	identifier_words(snake);
	char *word = singular ? rt__name_singular(arena, snake) : snake;
	char *camel = word ? rt__name_camel_case(arena, word) : NULL;
	if (!camel)
		return NULL;
	/* Model and enum names start with an upper-case letter. */
	if (!(camel[0] >= 'A' && camel[0] <= 'Z'))
		return rt__arena_printf(arena, "T%s", camel);
	return camel;
}

static bool type_name_taken(const rt_schema *schema, const char *name)
{
	return rt__schema_find_model(schema, name) || rt__schema_find_enum(schema, name);
}

/* base, or base2, base3, ... : the first that is free. */
static const char *free_type_name(rt_schema *schema, const char *base)
{
	if (!type_name_taken(schema, base))
		return base;
	for (int n = 2;; n++) {
		char *name = rt__arena_printf(schema->arena, "%s%d", base, n);
		if (!name || !type_name_taken(schema, name))
			return name;
	}
}

static bool is_type_identifier(const char *name)
{
	if (!(name[0] >= 'A' && name[0] <= 'Z'))
		return false;
	for (const char *p = name; *p; p++)
		if (!is_alpha(*p) && !is_digit(*p) && *p != '_')
			return false;
	return true;
}

/* The columns of enum e, known by its old name, take its new one. */
static void retype_columns(rt_schema *schema, const rt_enum *e, const char *old)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_type *type = &table->columns[c]->type;
			if (type->kind == RT_TYPE_ENUM &&
			    (type->enum_type == e ||
			     (!type->enum_type && strcmp(type->enum_name, old) == 0)))
				type->enum_name = e->name;
		}
	}
}

/* Reflection names an enum after its SQL type where it has one; the
 * schema language wants CamelCase. */
static int name_enums(infer *inf)
{
	rt_schema *schema = inf->schema;
	rt__map_init(&schema->enum_by_name, schema->arena);
	for (size_t i = 0; i < schema->enum_count; i++) {
		rt_enum *e = schema->enums[i];
		const char *old = e->name;
		const char *name = old;
		if (!is_type_identifier(old) || rt__schema_find_enum(schema, old)) {
			char *base = type_identifier(inf->arena, e->sql_name ? e->sql_name : old,
						     false);
			if (!base || !(name = free_type_name(schema, base)))
				return rt__error_nomem();
		}
		e->name = name;
		if (rt__map_put(&schema->enum_by_name, e->name, e) < 0)
			return rt__error_nomem();
		if (name != old)
			retype_columns(schema, e, old);
	}
	return RT_OK;
}

static int name_models(infer *inf)
{
	rt_schema *schema = inf->schema;
	rt__map_init(&schema->table_by_model, schema->arena);
	for (size_t i = 0; i < schema->table_count; i++) {
		rt_table *t = schema->tables[i];
		t->model = NULL;
		if (!becomes_model(inf, t))
			continue;
		char *base = type_identifier(inf->arena, rt__table_sql_name(t), true);
		const char *name = base ? free_type_name(schema, base) : NULL;
		if (!name || rt__map_put(&schema->table_by_model, name, t) < 0)
			return rt__error_nomem();
		t->model = name;
	}
	return RT_OK;
}

/* --- relationship names ------------------------------------------------------- */

/* A member-like name (cart_items) from SQL text. */
static char *field_identifier(rt_arena *arena, const char *text)
{
	char *snake = rt__name_snake_case(arena, text);
	if (!snake)
		return NULL;
	identifier_words(snake);
	if (snake[0] == '\0' || is_digit(snake[0]))
		return rt__arena_printf(arena, "_%s", snake);
	return snake;
}

/* The table's name as a word in the singular or plural: cart_items ->
 * cart_item / cart_items, person -> person / people. */
static char *table_word(rt_arena *arena, const rt_table *t, bool plural)
{
	char *word = field_identifier(arena, rt__table_sql_name(t));
	char *singular = word ? rt__name_singular(arena, word) : NULL;
	if (!singular || !plural)
		return singular;
	return rt__name_plural(arena, singular);
}

static bool member_name_taken(const rt_table *t, const char *name)
{
	if (rt__table_find_field(t, name))
		return true;
	for (size_t i = 0; i < t->relationship_count; i++)
		if (strcmp(t->relationships[i]->name, name) == 0)
			return true;
	return false;
}

/* Adds a relationship to t named base, or base2, base3, ... */
static rt_relationship *add_relationship(infer *inf, rt_table *t, const char *base)
{
	const char *name = base;
	for (int n = 2; name && member_name_taken(t, name); n++)
		name = rt__arena_printf(inf->arena, "%s%d", base, n);
	if (!name) {
		rt__error_nomem();
		return NULL;
	}
	return rt__table_add_relationship(inf->schema, t, name);
}

/* user_id -> user; owner (no _id) -> the referenced table in the singular. */
static char *many_to_one_name(rt_arena *arena, const char *column, const rt_table *target)
{
	size_t len = strlen(column);
	if (len > 3 && (strcmp(column + len - 3, "_id") == 0 ||
			strcmp(column + len - 3, "_ID") == 0)) {
		char *stem = rt__arena_strndup(arena, column, len - 3);
		return stem ? field_identifier(arena, stem) : NULL;
	}
	return table_word(arena, target, false);
}

/* --- field names ------------------------------------------------------------------ */

static bool is_field_identifier(const char *name)
{
	if (!(is_alpha(name[0]) || name[0] == '_'))
		return false;
	for (const char *p = name; *p; p++)
		if (!is_alpha(*p) && !is_digit(*p) && *p != '_')
			return false;
	return true;
}

/* A column whose SQL name is no identifier ("Display Name") gets a field
 * name that is one (display_name); the printer then writes the SQL name
 * with `column '...'`. */
static int name_fields(infer *inf, rt_table *t)
{
	for (size_t i = 0; i < t->column_count; i++) {
		rt_column *column = t->columns[i];
		if (is_field_identifier(column->field))
			continue;
		char *base = field_identifier(inf->arena, column->name);
		const char *name = base;
		for (int n = 2; name && member_name_taken(t, name); n++)
			name = rt__arena_printf(inf->arena, "%s%d", base, n);
		if (!name)
			return rt__error_nomem();
		column->field = name;
	}
	return RT_OK;
}

/* --- relationships --------------------------------------------------------------- */

/* The many-to-one (or one-to-one) relationship of a foreign key from a to
 * b, and the other side in b. */
static int relate_foreign_key(infer *inf, rt_table *a, rt_constraint *fk)
{
	rt_table *b = rt__schema_find_table(inf->schema, fk->ref_table);
	rt_column *column = fk->column_count == 1 ? rt__table_find_column(a, fk->columns[0])
						  : NULL;
	if (!b || !column || !a->model || !b->model ||
	    foreign_keys_on(a, b, column->name) > 1)
		return RT_OK;
	rt_arena *arena = inf->arena;
	bool unique = column_is_unique(a, column->name);
	bool several = foreign_keys_between(a, b) > 1;

	char *base = many_to_one_name(arena, column->name, b);
	rt_relationship *one = base ? add_relationship(inf, a, base) : NULL;
	if (!one)
		return rt__error_nomem();
	char *word = table_word(arena, a, !unique);
	char *other_base = word && several ? rt__arena_printf(arena, "%s_%s", one->name, word)
					   : word;
	rt_relationship *other = other_base ? add_relationship(inf, b, other_base) : NULL;
	if (!other)
		return rt__error_nomem();

	const char *on = NULL;
	if (several) {
		/* `on` names the column in whichever table holds it; qualified
		 * when b has a column of the same name. */
		on = a != b && rt__table_find_column(b, column->name)
			     ? rt__arena_printf(arena, "%s.%s", a->name, column->name)
			     : column->name;
		if (!on)
			return rt__error_nomem();
	}

	one->target = b->model;
	one->target_table = b;
	one->optional = column->nullable;
	one->kind = unique ? RT_REL_ONE_TO_ONE : RT_REL_MANY_TO_ONE;
	one->back = other->name;
	one->on_column = on;
	one->fk = fk;
	one->fk_is_local = true;

	other->target = a->model;
	other->target_table = a;
	other->is_list = !unique;
	other->optional = unique;
	other->kind = unique ? RT_REL_ONE_TO_ONE : RT_REL_ONE_TO_MANY;
	other->back = one->name;
	other->on_column = on;
	other->fk = fk;
	other->fk_is_local = false;
	return RT_OK;
}

/* x.<ys> Y[] through t, and y.<xs> X[] through t. */
static int relate_association(infer *inf, rt_table *t)
{
	rt_constraint *fks[2];
	size_t n = 0;
	for (size_t i = 0; i < t->constraint_count && n < 2; i++)
		if (is_foreign_key(t->constraints[i]))
			fks[n++] = t->constraints[i];
	rt_table *x = rt__schema_find_table(inf->schema, fks[0]->ref_table);
	rt_table *y = rt__schema_find_table(inf->schema, fks[1]->ref_table);

	char *ys = table_word(inf->arena, y, true);
	rt_relationship *to_y = ys ? add_relationship(inf, x, ys) : NULL;
	char *xs = to_y ? table_word(inf->arena, x, true) : NULL;
	rt_relationship *to_x = xs ? add_relationship(inf, y, xs) : NULL;
	if (!to_x)
		return rt__error_nomem();

	rt_relationship *sides[2] = {to_y, to_x};
	rt_table *targets[2] = {y, x};
	for (int s = 0; s < 2; s++) {
		rt_relationship *r = sides[s];
		r->target = targets[s]->model;
		r->target_table = targets[s];
		r->is_list = true;
		r->kind = RT_REL_MANY_TO_MANY;
		r->back = sides[1 - s]->name;
		r->through = t->name;
		r->through_table = t;
		r->fk = fks[s];
		r->target_fk = fks[1 - s];
	}
	return RT_OK;
}

int rt__schema_infer(rt_schema *schema, const char *const *skip)
{
	infer inf = {schema, schema->arena, {0}};
	rt__map_init(&inf.association, schema->arena);
	int rc = remove_skipped(schema, skip);
	if (rc == RT_OK)
		rc = find_associations(&inf);
	if (rc == RT_OK)
		rc = name_enums(&inf);
	if (rc == RT_OK)
		rc = name_models(&inf);
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++)
		rc = name_fields(&inf, schema->tables[i]);
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++) {
		rt_table *t = schema->tables[i];
		for (size_t j = 0; rc == RT_OK && j < t->constraint_count; j++)
			if (is_foreign_key(t->constraints[j]))
				rc = relate_foreign_key(&inf, t, t->constraints[j]);
	}
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++)
		if (rt__map_get(&inf.association, schema->tables[i]->name))
			rc = relate_association(&inf, schema->tables[i]);
	return rc;
}
