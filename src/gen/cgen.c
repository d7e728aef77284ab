/*
 * cgen.c - the C code generator's entry (cgen.h) and its plan
 * (cgen_impl.h): every C name of the output, claimed once so two things
 * with one name are an error before anything is written, and every
 * relationship and foreign key turned into column indexes.
 */
#include "gen/cgen.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "gen/cgen_impl.h"

/* --- small helpers ----------------------------------------------------------- */

static bool oom(cg_plan *plan, const void *p)
{
	if (p)
		return false;
	if (plan->error == RT_OK)
		plan->error = rt__error_nomem();
	return true;
}

static void *alloc_array(cg_plan *plan, size_t count, size_t size)
{
	void *p = rt__arena_alloc(plan->arena, (count ? count : 1) * size);
	oom(plan, p);
	return p;
}

static const char *printf_name(cg_plan *plan, const char *fmt, const char *a, const char *b)
{
	const char *s = rt__arena_printf(plan->arena, fmt, a, b);
	oom(plan, s);
	return s;
}

static int column_index(const rt_table *t, const char *sql_name)
{
	for (size_t i = 0; i < t->column_count; i++)
		if (strcmp(t->columns[i]->name, sql_name) == 0)
			return (int)i;
	return -1;
}

static void fail(cg_plan *plan, const rt_pos *pos, const char *fmt, const char *a,
		 const char *b)
{
	if (plan->error != RT_OK)
		return;
	const char *where = pos && pos->file
				    ? rt__arena_printf(plan->arena, "%s:%d:%d: ", pos->file,
						       pos->line, pos->col)
				    : "";
	const char *what = rt__arena_printf(plan->arena, fmt, a, b);
	if (oom(plan, where) || oom(plan, what))
		return;
	plan->error = rt__error_set(RT_EPARSE, "%serror: %s", where, what);
}

/* --- enums ------------------------------------------------------------------- */

static void plan_enum(cg_plan *plan, cg_enum *ce, const rt_enum *e)
{
	rt_arena *a = plan->arena;
	ce->e = e;
	ce->c_name = e->name;
	rt__cg_claim(plan, e->name, rt__arena_printf(a, "enum %s", e->name), &e->pos);
	rt__cg_claim(plan, printf_name(plan, "%s_enum", e->name, NULL),
		     rt__arena_printf(a, "the description of enum %s", e->name), &e->pos);
	rt__cg_claim(plan, printf_name(plan, "%s__values", e->name, NULL),
		     rt__arena_printf(a, "the value names of enum %s", e->name), &e->pos);
	ce->constants = alloc_array(plan, e->value_count, sizeof(char *));
	const char *prefix = rt__cg_upper_snake(a, e->name);
	if (!ce->constants || oom(plan, prefix))
		return;
	for (size_t i = 0; i < e->value_count; i++) {
		const char *value = rt__cg_upper_snake(a, e->values[i]);
		ce->constants[i] = value ? rt__arena_printf(a, "%s_%s", prefix, value) : NULL;
		rt__cg_claim(plan, ce->constants[i],
			     rt__arena_printf(a, "value '%s' of enum %s", e->values[i], e->name),
			     &e->pos);
	}
}

static const cg_enum *find_enum(const cg_plan *plan, const rt_enum *e)
{
	for (size_t i = 0; i < plan->enum_count; i++)
		if (plan->enums[i].e == e)
			return &plan->enums[i];
	return NULL;
}

/* --- models: names and columns ------------------------------------------------- */

static bool in_primary_key(const rt_table *t, const rt_column *column)
{
	const rt_constraint *pk = t->primary_key;
	for (size_t i = 0; pk && i < pk->column_count; i++)
		if (strcmp(pk->columns[i], column->name) == 0)
			return true;
	return false;
}

/* A struct member: claimed in the model's own namespace of members. */
static const char *member_name(cg_plan *plan, rt_map *members, const cg_model *m,
			       const char *name, const rt_pos *pos)
{
	const char *field = rt__cg_escape(plan->arena, name);
	if (oom(plan, field))
		return NULL;
	const char *other = rt__map_get(members, field);
	if (other) {
		fail(plan, pos, "two members of %s would both be called %s in C; rename one",
		     m->name, field);
		return field;
	}
	if (rt__map_put(members, field, (void *)name) != 0)
		oom(plan, NULL);
	return field;
}

/* A function or object of the model: Author_set_name and the like. */
static void claim_model_name(cg_plan *plan, const cg_model *m, const char *suffix,
			     const char *arg, const char *what, const rt_pos *pos)
{
	const char *name = rt__arena_printf(plan->arena, suffix, m->name, arg);
	const char *desc = rt__arena_printf(plan->arena, what, m->name, arg);
	rt__cg_claim(plan, name, desc, pos);
}

static bool has_setter(const rt_column *column)
{
	if (column->generated)
		return false; /* read-only: the database computes it */
	if (column->type.array)
		return true;
	switch (column->type.kind) {
	case RT_TYPE_NUMERIC:
	case RT_TYPE_STRING:
	case RT_TYPE_CHAR:
	case RT_TYPE_TEXT:
	case RT_TYPE_JSON:
	case RT_TYPE_SQL:
	case RT_TYPE_BLOB:
		return true;
	default:
		return false;
	}
}

static void plan_column(cg_plan *plan, cg_model *m, rt_map *members, cg_column *cc,
			const rt_column *column)
{
	const rt_table *t = m->table;
	cc->column = column;
	cc->type = rt__cg_type(&column->type);
	cc->field = member_name(plan, members, m, column->field, &column->pos);
	cc->path = cc->field;
	if (!cc->type) {
		fail(plan, &column->pos, "column '%s' of %s has a type the generator does not know",
		     column->field, m->name);
		return;
	}
	if (column->type.kind == RT_TYPE_ENUM) {
		cc->enum_type = find_enum(plan, column->type.enum_type);
		if (!cc->enum_type) {
			fail(plan, &column->pos, "column '%s' of %s has no known enum type",
			     column->field, m->name);
			return;
		}
		/* An array of the enum holds its values as ints. */
		cc->decl_type = column->type.array ? cc->type->c_type : cc->enum_type->c_name;
	} else {
		cc->decl_type = column->nullable && cc->type->opt_type ? cc->type->opt_type
								       : cc->type->c_type;
	}
	cc->primary_key = in_primary_key(t, column);
	if (cc->primary_key)
		cc->flags |= CG_COLUMN_PRIMARY_KEY;
	if (column->nullable)
		cc->flags |= CG_COLUMN_NULLABLE;
	if (column->autoincrement && rt__type_is_integer(column->type.kind))
		cc->flags |= CG_COLUMN_AUTOINCREMENT;
	if (column->server_default.kind != RT_LITERAL_NONE)
		cc->flags |= CG_COLUMN_SERVER_DEFAULT;
	if (column->default_value.kind == RT_LITERAL_NOW)
		cc->flags |= CG_COLUMN_DEFAULT_NOW;
	if (column->default_value.kind != RT_LITERAL_NONE)
		cc->flags |= CG_COLUMN_CLIENT_DEFAULT;
	if (column->generated)
		cc->flags |= CG_COLUMN_GENERATED;
	if (column->server_onupdate)
		cc->flags |= CG_COLUMN_SERVER_ONUPDATE;
	if (column->version)
		cc->flags |= CG_COLUMN_VERSION;
	if (column->onupdate_now)
		cc->flags |= CG_COLUMN_ONUPDATE_NOW;
	cc->has_default = column->default_value.kind != RT_LITERAL_NONE &&
			  column->default_value.kind != RT_LITERAL_NOW;
	if (cc->has_default)
		m->has_defaults = true;
	if (cc->has_default && has_setter(column) && column->default_value.text &&
	    strlen(column->default_value.text) >= CG_MAX_STRING_LITERAL) {
		cc->long_default = true;
		claim_model_name(plan, m, "%s__%s_default", cc->field,
				 "the default value of %s.%s", &column->pos);
	}
	if (has_setter(column))
		claim_model_name(plan, m, "%s_set_%s", cc->field, "the setter of %s.%s",
				 &column->pos);
}

/* The index among m's columns of the SQL column sql_name (a joined
 * subclass's differ from its table's), or -1. */
static int model_column_index(const cg_model *m, const char *sql_name)
{
	for (size_t i = 0; i < m->column_count; i++)
		if (m->columns[i].column && strcmp(m->columns[i].column->name, sql_name) == 0)
			return (int)i;
	return -1;
}

static void plan_key_params(cg_plan *plan, cg_model *m)
{
	const rt_constraint *pk = m->table->primary_key;
	m->primary_key_count = pk ? pk->column_count : 0;
	m->primary_key = alloc_array(plan, m->primary_key_count, sizeof(int));
	m->key_params = alloc_array(plan, m->primary_key_count, sizeof(char *));
	if (!m->primary_key || !m->key_params)
		return;
	for (size_t i = 0; i < m->primary_key_count; i++) {
		int index = model_column_index(m, pk->columns[i]);
		if (index < 0) {
			fail(plan, &pk->pos, "the primary key of %s names a missing column '%s'",
			     m->name, pk->columns[i]);
			return;
		}
		m->primary_key[i] = index;
		/* The get functions' own parameters are out, session, async,
		 * op, done and user, and their bodies have a key array: a key
		 * column of one of these names gets an underscore. */
		static const char *const taken[] = {"out", "session", "key", "async",
						    "op", "done", "user"};
		const char *param = m->columns[index].field;
		for (size_t k = 0; param && k < sizeof(taken) / sizeof(taken[0]); k++)
			if (strcmp(param, taken[k]) == 0) {
				param = rt__arena_printf(plan->arena, "%s_", param);
				break;
			}
		m->key_params[i] = param;
	}
}

static const cg_model *model_of_table(const cg_plan *plan, const rt_table *t);

/* The key columns a joined subclass's table copies from its parent, in
 * front of its own. */
static size_t joined_key_count(const rt_table *t)
{
	size_t n = 0;
	while (t->joined && n < t->column_count && t->columns[n]->inherited)
		n++;
	return n;
}

/* Column i of model m: a joined subclass's columns are its parent's
 * followed by its table's own (the table's key copies left out: the
 * parent's key columns are the same values). */
static const rt_column *joined_column(const cg_model *m, size_t i)
{
	const rt_table *t = m->table;
	if (!t->joined)
		return t->columns[i];
	if (i < m->inherited)
		return m->parent->columns[i].column;
	return t->columns[joined_key_count(t) + i - m->inherited];
}

/* Column i of m; for the discriminator of a model with an identity, a
 * copy whose client-side default is the identity, so that a new object
 * holds it and every INSERT writes it. */
static const rt_column *identity_column(cg_plan *plan, const cg_model *m, size_t i)
{
	const rt_table *t = m->table;
	const rt_table *root = t;
	while (root->parent)
		root = root->parent;
	const rt_column *column = joined_column(m, i);
	if (!t->identity || !root->discriminator || strcmp(column->name, root->discriminator) != 0)
		return column;
	rt_column *copy = rt__arena_alloc(plan->arena, sizeof(*copy));
	if (oom(plan, copy))
		return column;
	*copy = *column;
	copy->default_value.kind =
		column->type.kind == RT_TYPE_ENUM ? RT_LITERAL_ENUM : RT_LITERAL_STRING;
	copy->default_value.text = t->identity;
	return copy;
}

/* A joined subclass (a table of its own, keyed by its parent's key): its
 * columns are its parent's then its table's own, which must not share a
 * name with any other column of the tree (a polymorphic query reads them
 * all side by side); its relationships are its root's. */
static bool plan_joined(cg_plan *plan, cg_model *m)
{
	const rt_table *t = m->table;
	size_t keys = joined_key_count(t);
	m->column_count = m->inherited + t->column_count - keys;
	m->columns = alloc_array(plan, m->column_count, sizeof(cg_column));
	if (!m->columns)
		return false;
	if (t->relationship_count) {
		fail(plan, &t->pos, "model %s has a table of its own (joined-table inheritance) "
		     "and relationships: declare them on its root model %s", m->name,
		     m->root->name);
		return false;
	}
	for (size_t i = 0; i < t->constraint_count; i++)
		if (t->constraints[i]->kind == RT_CONSTRAINT_FOREIGN_KEY &&
		    !t->constraints[i]->inherited) {
			fail(plan, &t->constraints[i]->pos, "model %s has a table of its own "
			     "(joined-table inheritance) and a foreign key: declare it on its "
			     "root model %s", m->name, m->root->name);
			return false;
		}
	const rt_table *root = m->root->table;
	for (size_t i = keys; i < t->column_count; i++) {
		const char *name = t->columns[i]->name;
		const cg_model *clash = column_index(root, name) >= 0 ? m->root : NULL;
		for (size_t j = 0; !clash && j < plan->model_count; j++) {
			const cg_model *other = &plan->models[j];
			if (other != m && other->root == m->root && other->table->joined &&
			    column_index(other->table, name) >= 0)
				clash = other;
		}
		if (clash) {
			fail(plan, &t->columns[i]->pos, "column '%s' of model %s has the name of "
			     "a column of another model of its tree: the models of a tree with "
			     "tables of their own need distinct column names", name, m->name);
			return false;
		}
	}
	return true;
}

static void plan_model(cg_plan *plan, cg_model *m, const rt_table *t)
{
	rt_arena *a = plan->arena;
	m->table = t;
	m->name = t->model;
	rt_map members;
	rt__map_init(&members, a);

	rt__cg_claim(plan, m->name, rt__arena_printf(a, "model %s", m->name), &t->pos);
	static const struct {
		const char *format, *what;
	} names[] = {
		{"%s_model", "the description of %s"},
		{"%s_c", "the column handles of %s"},
		{"%s_columns", "the struct of the column handles of %s"},
		{"%s_r", "the relationship handles of %s"},
		{"%s_relationships", "the struct of the relationship handles of %s"},
		{"%s_defaults", "the defaults of %s"},
		{"%s_new", "the constructor of %s"},
		{"%s_get", "the get function of %s"},
		{"%s_query", "the query function of %s"},
		{"%s_delete", "the delete function of %s"},
		{"%s_upsert", "the upsert function of %s"},
		{"%s_from_row", "the raw-row reader of %s"},
		{"%s_hook", "the hook type of %s"},
		{"%s_hook_add", "the hook registration of %s"},
		{"%s_engine_hook_add", "the engine hook registration of %s"},
		{"%s_validator_add", "the validator registration of %s"},
		{"%s_engine_validator_add", "the engine validator registration of %s"},
		{"%s__hook_call", "the hook caller of %s"},
		{"%s_async_done", "the callback type of %s's non-blocking functions"},
		{"%s__deliver", "the callback caller of %s's non-blocking functions"},
		{"%s_get_async", "the non-blocking get function of %s"},
		{"%s_first_async", "the non-blocking first function of %s"},
		{"%s_one_async", "the non-blocking one function of %s"},
		{"%s_one_or_none_async", "the non-blocking one_or_none function of %s"},
		{"%s__columns", "the column descriptions of %s"},
		{"%s__primary_key", "the primary key of %s"},
		{"%s__relationships", "the relationship descriptions of %s"},
		{"%s__foreign_keys", "the foreign key descriptions of %s"},
		{"%s__subclasses", "the list of the subclasses of %s"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		claim_model_name(plan, m, names[i].format, NULL, names[i].what, &t->pos);

	/* A root's table holds its subclasses' columns too, after its own:
	 * its struct has only its own. */
	m->column_count = t->column_count;
	while (m->column_count && !t->single_table && t->columns[m->column_count - 1]->subclass)
		m->column_count--;
	m->columns = alloc_array(plan, t->column_count, sizeof(cg_column));
	if (!m->columns)
		return;
	if (t->column_count == 0)
		fail(plan, &t->pos, "model %s has no columns", m->name, NULL);
	m->root = m;
	if (t->parent) {
		m->parent = model_of_table(plan, t->parent);
		if (!m->parent) {
			fail(plan, &t->pos, "model %s extends a model not planned", m->name, NULL);
			return;
		}
		m->root = m->parent->root;
		m->inherited = m->parent->column_count;
		member_name(plan, &members, m, "base", &t->pos);
	}
	if (t->joined && !plan_joined(plan, m))
		return;
	for (size_t i = 0; i < m->column_count; i++)
		plan_column(plan, m, &members, &m->columns[i], identity_column(plan, m, i));
	for (size_t i = 0; i < m->inherited; i++)
		m->columns[i].path =
			rt__arena_printf(plan->arena, "base.%s", m->parent->columns[i].path);
	plan_key_params(plan, m);
	if (t->single_table || t->joined)
		return; /* the root's relationships, in the root's struct */

	m->relationship_count = t->relationship_count;
	m->relationships = alloc_array(plan, t->relationship_count, sizeof(cg_relationship));
	if (!m->relationships)
		return;
	for (size_t i = 0; i < t->relationship_count; i++) {
		const rt_relationship *rel = t->relationships[i];
		cg_relationship *cr = &m->relationships[i];
		cr->rel = rel;
		cr->field = member_name(plan, &members, m, rel->name, &rel->pos);
		cr->to_many = rel->kind == RT_REL_MANY_TO_MANY || rel->is_list;
		claim_model_name(plan, m, "%s_load_%s", cr->field, "the loader of %s.%s",
				 &rel->pos);
		claim_model_name(plan, m, "%s_load_%s_async", cr->field,
				 "the non-blocking loader of %s.%s", &rel->pos);
		if (cr->to_many) {
			claim_model_name(plan, m, "%s_add_%s", cr->field, "the adder of %s.%s",
					 &rel->pos);
			claim_model_name(plan, m, "%s_remove_%s", cr->field,
					 "the remover of %s.%s", &rel->pos);
		} else {
			claim_model_name(plan, m, "%s_set_%s", cr->field, "the setter of %s.%s",
					 &rel->pos);
		}
		claim_model_name(plan, m, "%s_has_%s", cr->field, "the EXISTS condition of %s.%s",
				 &rel->pos);
		claim_model_name(plan, m, "%s__%s_columns", cr->field,
				 "the key columns of %s.%s", &rel->pos);
		claim_model_name(plan, m, "%s__%s_target_columns", cr->field,
				 "the target key columns of %s.%s", &rel->pos);
		claim_model_name(plan, m, "%s__%s_secondary_columns", cr->field,
				 "the association columns of %s.%s", &rel->pos);
		claim_model_name(plan, m, "%s__%s_secondary_target_columns", cr->field,
				 "the association target columns of %s.%s", &rel->pos);
	}
}

/* --- relationships and foreign keys, once every model is planned ------------- */

static const cg_model *model_of_table(const cg_plan *plan, const rt_table *t)
{
	for (size_t i = 0; t && i < plan->model_count; i++)
		if (plan->models[i].table == t)
			return &plan->models[i];
	return NULL;
}

/* indexes[i] = the index in t of the SQL column names[i]. */
static int *indexes_of(cg_plan *plan, const rt_table *t, const char *const *names, size_t count,
		       const rt_pos *pos)
{
	int *out = alloc_array(plan, count, sizeof(int));
	for (size_t i = 0; out && i < count; i++) {
		out[i] = column_index(t, names[i]);
		if (out[i] < 0)
			fail(plan, pos, "a relationship names a missing column '%s' of %s",
			     names[i], t->name);
	}
	return out;
}

static int find_back(const cg_model *m, const rt_relationship *rel, const cg_model *target)
{
	for (size_t i = 0; i < target->relationship_count; i++) {
		const rt_relationship *other = target->relationships[i].rel;
		if (rel->back && strcmp(other->name, rel->back) == 0)
			return (int)i;
		/* No `back` here: the target's relationship that names this
		 * one as its back (a self-referential parent/children pair
		 * writes `back` on one side only). */
		if (!rel->back && other->back && other->target_table == m->table &&
		    strcmp(other->back, rel->name) == 0 && other != rel)
			return (int)i;
	}
	return -1;
}

static void resolve_relationship(cg_plan *plan, const cg_model *m, cg_relationship *cr)
{
	const rt_relationship *rel = cr->rel;
	cr->target = model_of_table(plan, rel->target_table);
	const rt_constraint *fk = rel->fk;
	if (!cr->target || !fk) {
		fail(plan, &rel->pos, "relationship '%s' of %s is not resolved", rel->name,
		     m->name);
		return;
	}
	const rt_table *here = m->table, *there = cr->target->table;
	cr->column_count = (int)fk->column_count;
	if (rel->kind == RT_REL_MANY_TO_MANY) {
		const rt_constraint *tfk = rel->target_fk;
		if (!tfk || !rel->through_table) {
			fail(plan, &rel->pos, "relationship '%s' of %s has no association table",
			     rel->name, m->name);
			return;
		}
		if (tfk->column_count != fk->column_count) {
			fail(plan, &rel->pos,
			     "relationship '%s' of %s: the two foreign keys of its association "
			     "table have different numbers of columns, which the ORM cannot map",
			     rel->name, m->name);
			return;
		}
		cr->kind = "RT_RELATIONSHIP_MANY_TO_MANY";
		cr->columns = indexes_of(plan, here, fk->ref_columns, fk->column_count, &rel->pos);
		cr->target_columns = indexes_of(plan, there, tfk->ref_columns, tfk->column_count,
						&rel->pos);
		cr->secondary = rt__table_sql_name(rel->through_table);
		cr->secondary_schema = rel->through_table->schema;
		cr->secondary_columns = fk->columns;
		cr->secondary_target_columns = tfk->columns;
	} else if (rel->fk_is_local) {
		/* The key is here: a pointer to the row it references (also
		 * the key side of a one-to-one). */
		cr->kind = "RT_RELATIONSHIP_MANY_TO_ONE";
		cr->columns = indexes_of(plan, here, fk->columns, fk->column_count, &rel->pos);
		cr->target_columns = indexes_of(plan, there, fk->ref_columns, fk->column_count,
						&rel->pos);
	} else {
		cr->kind = rel->is_list ? "RT_RELATIONSHIP_ONE_TO_MANY"
					: "RT_RELATIONSHIP_ONE_TO_ONE";
		cr->columns = indexes_of(plan, here, fk->ref_columns, fk->column_count, &rel->pos);
		cr->target_columns = indexes_of(plan, there, fk->columns, fk->column_count,
						&rel->pos);
	}
	cr->back = find_back(m, rel, cr->target);
	cr->order_by = rel->order_by ? column_index(there, rel->order_by) : -1;
	if (rel->order_by && cr->order_by < 0)
		fail(plan, &rel->pos, "'order by' of relationship '%s' names a missing column '%s'",
		     rel->name, rel->order_by);
	cr->flags = (rel->cascade_delete ? CG_RELATIONSHIP_CASCADE_DELETE : 0) |
		    (rel->delete_orphan ? CG_RELATIONSHIP_DELETE_ORPHAN : 0) |
		    (rel->order_desc ? CG_RELATIONSHIP_ORDER_DESC : 0);
}

static void plan_foreign_keys(cg_plan *plan, cg_model *m)
{
	const rt_table *t = m->table;
	if (t->joined)
		return; /* the root's, as its relationships (plan_joined) */
	size_t count = 0;
	for (size_t i = 0; i < t->constraint_count; i++)
		count += t->constraints[i]->kind == RT_CONSTRAINT_FOREIGN_KEY;
	m->foreign_keys = alloc_array(plan, count, sizeof(cg_foreign_key));
	if (!m->foreign_keys)
		return;
	for (size_t i = 0; i < t->constraint_count; i++) {
		const rt_constraint *c = t->constraints[i];
		if (c->kind != RT_CONSTRAINT_FOREIGN_KEY)
			continue;
		cg_foreign_key *fk = &m->foreign_keys[m->foreign_key_count];
		char n[32];
		snprintf(n, sizeof(n), "%zu", m->foreign_key_count);
		claim_model_name(plan, m, "%s__fk%s_columns", n,
				 "the columns of foreign key %s.%s", &c->pos);
		m->foreign_key_count++;
		fk->columns = indexes_of(plan, t, c->columns, c->column_count, &c->pos);
		fk->column_count = (int)c->column_count;
		fk->target_table = c->ref_table;
		fk->target = model_of_table(plan, rt__schema_find_table(plan->schema, c->ref_table));
	}
}

/* --- the plan and the output ---------------------------------------------------- */

/* Each model's subclasses (every model below it), each after its parent. */
static void plan_subclasses(cg_plan *plan)
{
	for (size_t i = 0; i < plan->model_count; i++) {
		cg_model *m = &plan->models[i];
		for (size_t j = i + 1; j < plan->model_count; j++) {
			const cg_model *up = plan->models[j].parent;
			while (up && up != m)
				up = up->parent;
			if (!up)
				continue;
			if (!m->subclasses)
				m->subclasses = alloc_array(plan, plan->model_count, sizeof(cg_model *));
			if (!m->subclasses)
				return;
			m->subclasses[m->subclass_count++] = &plan->models[j];
		}
	}
}

static void plan_schema(cg_plan *plan)
{
	const rt_schema *s = plan->schema;
	rt__cg_claim(plan, printf_name(plan, "%s_models", plan->name, NULL),
		     "the model set", NULL);
	rt__cg_claim(plan, printf_name(plan, "%s__list", plan->name, NULL),
		     "the list of models", NULL);

	plan->enum_count = s->enum_count;
	plan->enums = alloc_array(plan, s->enum_count, sizeof(cg_enum));
	for (size_t i = 0; plan->enums && i < s->enum_count; i++)
		plan_enum(plan, &plan->enums[i], s->enums[i]);

	size_t models = s->subclass_count;
	for (size_t i = 0; i < s->table_count; i++)
		models += s->tables[i]->model != NULL;
	plan->models = alloc_array(plan, models, sizeof(cg_model));
	if (!plan->models || plan->error != RT_OK)
		return;
	for (size_t i = 0; i < s->table_count; i++)
		if (s->tables[i]->model && !s->tables[i]->joined)
			plan_model(plan, &plan->models[plan->model_count++], s->tables[i]);
	/* Joined subclasses after their parents, whatever the order of the
	 * declarations: a pass plans those whose parent is planned. */
	for (size_t pass = 0; pass < s->table_count && plan->error == RT_OK; pass++)
		for (size_t i = 0; i < s->table_count && plan->error == RT_OK; i++) {
			const rt_table *t = s->tables[i];
			if (t->model && t->joined && !model_of_table(plan, t) &&
			    model_of_table(plan, t->parent))
				plan_model(plan, &plan->models[plan->model_count++], t);
		}
	for (size_t i = 0; i < s->subclass_count && plan->error == RT_OK; i++)
		plan_model(plan, &plan->models[plan->model_count++], s->subclasses[i]);
	plan_subclasses(plan);
	for (size_t i = 0; i < plan->model_count && plan->error == RT_OK; i++) {
		cg_model *m = &plan->models[i];
		for (size_t r = 0; r < m->relationship_count; r++)
			resolve_relationship(plan, m, &m->relationships[r]);
		plan_foreign_keys(plan, m);
	}
}

int rt__cgen(rt_buf *header, rt_buf *source, const rt_schema *schema,
	     const rt_cgen_options *opts)
{
	if (!header || !source || !schema || !opts)
		return rt__error_set(RT_EINVAL, "rt__cgen: NULL argument");
	if (!rt__cgen_is_identifier(opts->name))
		return rt__error_set(RT_EINVAL, "the name of the generated code, '%s', is not a "
				     "C identifier", opts->name ? opts->name : "(null)");
	cg_plan plan = {0};
	plan.arena = rt__arena_new();
	if (!plan.arena)
		return rt__error_nomem();
	plan.schema = schema;
	plan.name = opts->name;
	plan.source_name = opts->source_name ? opts->source_name : "a schema";
	rt__map_init(&plan.names, plan.arena);
	const char *upper = rt__cg_upper_snake(plan.arena, opts->name);
	plan.guard = upper ? rt__arena_printf(plan.arena, "RETORT_GENERATED_%s_H", upper) : NULL;
	oom(&plan, plan.guard);

	plan_schema(&plan);
	int rc = plan.error;
	if (rc == RT_OK) {
		rt__cg_write_header(header, &plan);
		rc = rt__cg_write_source(source, &plan);
	}
	if (rc == RT_OK && (rt__buf_failed(header) || rt__buf_failed(source)))
		rc = rt__error_nomem();
	rt__arena_free(plan.arena);
	return rc;
}
