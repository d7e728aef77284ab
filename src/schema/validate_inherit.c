/*
 * validate_inherit.c - single-table inheritance in validation:
 * `model Manager extends Employee identity 'manager' { ... }` with the
 * root naming the column that tells the models apart
 * (`discriminator kind`).
 *
 * A subclass has no table: its columns are added to its root's table
 * (nullable there, since the other models' rows have none), and once the
 * root's columns are built it becomes a model of its own in
 * schema->subclasses, whose columns are its parent's followed by its own.
 * So DDL, the differ and reflection see one ordinary table, and the code
 * generator and the ORM see one model per class.
 */
#include <string.h>

#include "schema/validate.h"

/* The declaration of a model, an enum or a mixin named name, or NULL. */
static const rt_ast_decl *type_decl(rt_build *b, const char *name)
{
	return rt__map_get(&b->types, name);
}

const rt_ast_decl *rt__build_parent_decl(rt_build *b, const rt_ast_decl *decl, bool report)
{
	const rt_ast_decl *parent = type_decl(b, decl->extends.text);
	if (parent && parent->kind == RT_AST_MODEL && !parent->view.text)
		return parent;
	if (!report)
		return NULL;
	if (parent && parent->kind == RT_AST_MODEL) {
		rt__diag_error(b->diags, decl->extends.pos,
			       "model %s is mapped onto a view: no model can extend it",
			       parent->name.text);
		return NULL;
	}
	if (parent) {
		rt__diag_error(b->diags, decl->extends.pos,
			       "'%s' is %s %s, not a model; 'extends' takes a model",
			       decl->extends.text, parent->kind == RT_AST_ENUM ? "an" : "a",
			       parent->kind == RT_AST_ENUM ? "enum" : "mixin");
		return NULL;
	}
	rt_suggest s;
	rt__suggest_init(&s, decl->extends.text);
	for (size_t i = 0; i < b->types.cap; i++) {
		const rt_ast_decl *d = b->types.entries[i].value;
		if (b->types.entries[i].key && d->kind == RT_AST_MODEL && d != decl)
			rt__suggest_consider(&s, b->types.entries[i].key);
	}
	if (rt__suggest_result(&s))
		rt__diag_error(b->diags, decl->extends.pos,
			       "unknown model '%s' after 'extends'; did you mean '%s'?",
			       decl->extends.text, rt__suggest_result(&s));
	else
		rt__diag_error(b->diags, decl->extends.pos, "unknown model '%s' after 'extends'",
			       decl->extends.text);
	return NULL;
}

/* The root of decl's tree (a model with a table), or NULL after reporting
 * an unknown parent or a cycle. */
static const rt_ast_decl *root_of(rt_build *b, const rt_ast_decl *decl)
{
	const rt_ast_decl *at = decl;
	for (size_t steps = 0; at->extends.text; steps++) {
		const rt_ast_decl *parent = rt__build_parent_decl(b, at, at == decl);
		if (!parent)
			return NULL; /* reported at the model that names it */
		if (parent->joined_table.text) {
			if (at == decl)
				rt__diag_error(b->diags, decl->extends.pos,
					       "model %s keeps its rows in its parent's table, but "
					       "model %s has a table of its own: give %s one too "
					       "(extends %s table <name>)", decl->name.text,
					       parent->name.text, decl->name.text, parent->name.text);
			return NULL;
		}
		if (parent == decl || steps > b->subclass_count) {
			rt__diag_error(b->diags, decl->extends.pos,
				       "model %s extends itself: the chain of 'extends' from "
				       "%s comes back to it through %s",
				       decl->name.text, decl->name.text, at->name.text);
			return NULL;
		}
		at = parent;
	}
	return at;
}

static rt_build_table *build_table_of(rt_build *b, const rt_ast_decl *decl)
{
	for (size_t i = 0; i < b->table_count; i++)
		if (b->tables[i]->decl == decl)
			return b->tables[i];
	return NULL;
}

/* How many 'extends' lead from decl to its root; 0 when the chain is
 * broken (reported by root_of). */
static size_t depth_of(rt_build *b, const rt_ast_decl *decl)
{
	size_t depth = 0;
	for (const rt_ast_decl *at = decl; at->extends.text; depth++) {
		at = type_decl(b, at->extends.text);
		if (!at || at->kind != RT_AST_MODEL || at->joined_table.text || at == decl ||
		    depth > b->subclass_count)
			return 0;
	}
	return depth;
}

/* Subclasses go by depth, then in declaration order: a parent's columns
 * before its subclasses' in the root's table, and each subclass model
 * after its parent in schema->subclasses, so that the printer writes
 * them in the order a parse makes them. */
#define FOR_SUBCLASSES_BY_DEPTH(b, decl)                                            \
	for (size_t depth_ = 1; depth_ <= (b)->subclass_count; depth_++)               \
		for (size_t i_ = 0; i_ < (b)->subclass_count; i_++)                    \
			if (depth_of((b), (decl) = (b)->subclasses[i_]) == depth_)

void rt__build_subclass_members(rt_build *b)
{
	for (size_t i = 0; i < b->subclass_count; i++)
		(void)root_of(b, b->subclasses[i]); /* reports a broken chain */
	const rt_ast_decl *decl;
	FOR_SUBCLASSES_BY_DEPTH(b, decl) {
		if (decl->uses.count || decl->view.text || decl->was.text || decl->options ||
		    decl->collation.text || decl->partition.method.text) {
			rt__diag_error(b->diags, decl->name.pos,
				       "model %s keeps its rows in the table of the model it "
				       "extends: it takes no 'uses', 'view', 'was', table "
				       "options, collation or partitioning",
				       decl->name.text);
			continue;
		}
		const rt_ast_decl *root = decl;
		while (root->extends.text)
			root = type_decl(b, root->extends.text);
		rt_build_table *bt = build_table_of(b, root);
		if (!bt)
			continue;
		for (size_t m = 0; m < decl->member_count; m++) {
			const rt_ast_member *member = decl->members[m];
			if (member->kind == RT_AST_FIELD)
				rt__build_push_member(b, bt, member, NULL, decl);
			else if (member->kind == RT_AST_DISCRIMINATOR)
				rt__diag_error(b->diags, member->pos,
					       "the discriminator is the root model's: "
					       "declare it in model %s",
					       root->name.text);
			else
				rt__diag_error(b->diags, member->pos,
					       "model %s keeps its rows in table %s of model %s: "
					       "its body declares columns only",
					       decl->name.text, bt->table->name, root->name.text);
		}
	}
}

/* --- the discriminator and the subclass models ------------------------------- */

static bool text_or_enum(const rt_type *type)
{
	return !type->array &&
	       (type->kind == RT_TYPE_STRING || type->kind == RT_TYPE_TEXT ||
		type->kind == RT_TYPE_CHAR || type->kind == RT_TYPE_ENUM);
}

/* The root's `discriminator` member resolved into table->discriminator. */
static void build_discriminator(rt_build *b, rt_build_table *bt)
{
	const rt_ast_member *found = NULL;
	for (size_t i = 0; i < bt->decl->member_count; i++) {
		const rt_ast_member *m = bt->decl->members[i];
		if (m->kind != RT_AST_DISCRIMINATOR)
			continue;
		if (found) {
			rt__diag_error(b->diags, m->pos, "the discriminator is given twice "
				       "(first at %s)", rt__build_where(b, found->pos, m->pos));
			return;
		}
		found = m;
	}
	if (!found)
		return;
	rt_column *column = rt__build_find_column(b, bt->table, &found->name,
						  "the discriminator");
	if (!column)
		return;
	if (!text_or_enum(&column->type)) {
		rt__diag_error(b->diags, found->name.pos,
			       "the discriminator '%s' must be a text or enum column",
			       found->name.text);
		return;
	}
	bt->table->discriminator = column->name;
}

/* Is identity a value the discriminator can hold? Reported when not. */
static bool identity_fits(rt_build *b, const rt_ast_decl *decl, const rt_column *column)
{
	const rt_enum *e = column->type.enum_type;
	if (column->type.kind == RT_TYPE_ENUM && e) {
		for (size_t i = 0; i < e->value_count; i++)
			if (strcmp(e->values[i], decl->identity.text) == 0)
				return true;
		rt__diag_error(b->diags, decl->identity.pos,
			       "identity '%s' is no value of enum %s, the type of the "
			       "discriminator '%s'",
			       decl->identity.text, e->name, column->name);
		return false;
	}
	size_t limit = (size_t)column->type.length;
	if (limit && strlen(decl->identity.text) > limit) {
		rt__diag_error(b->diags, decl->identity.pos,
			       "identity '%s' is longer than the discriminator '%s' holds "
			       "(%zu characters)", decl->identity.text, column->name, limit);
		return false;
	}
	return true;
}

/* The model made for decl, whose parent is parent (made before it). */
static rt_table *make_subclass(rt_build *b, const rt_ast_decl *decl, rt_table *parent,
			       const rt_table *root)
{
	rt_table *t = rt__arena_alloc(b->arena, sizeof(*t));
	if (!t) {
		rt__build_nomem(b);
		return NULL;
	}
	memset(t, 0, sizeof(*t));
	t->name = root->name;
	t->schema = root->schema;
	t->model = rt__build_keep(b, decl->name.text);
	t->parent = parent;
	t->identity = rt__build_keep(b, decl->identity.text);
	t->single_table = true;
	t->primary_key = root->primary_key;
	t->relationships = root->relationships;
	t->relationship_count = root->relationship_count;
	t->pos = decl->name.pos;
	rt__map_init(&t->column_by_name, b->arena);
	for (size_t i = 0; i < parent->column_count + root->column_count; i++) {
		rt_column *c = i < parent->column_count ? parent->columns[i]
							: root->columns[i - parent->column_count];
		/* The root's table holds every subclass's columns: from it,
		 * only its own; from a subclass, all (its line's). */
		bool own = i >= parent->column_count
				   ? c->subclass && strcmp(c->subclass, decl->name.text) == 0
				   : parent->single_table || !c->subclass;
		if (!own)
			continue;
		if (RT_ARENA_PUSH(b->arena, t->columns, t->column_count, t->column_cap, c) < 0 ||
		    rt__map_put(&t->column_by_name, c->name, c) < 0) {
			rt__build_nomem(b);
			return NULL;
		}
	}
	if (RT_ARENA_PUSH(b->arena, b->schema->subclasses, b->schema->subclass_count,
			  b->schema->subclass_cap, t) < 0 ||
	    rt__map_put(&b->schema->table_by_model, t->model, t) < 0) {
		rt__build_nomem(b);
		return NULL;
	}
	return t;
}

/* The model of a declaration: a root's table, or a subclass made now. */
static rt_table *model_of(rt_build *b, const rt_ast_decl *decl, size_t depth)
{
	if (!decl->extends.text) {
		rt_build_table *bt = build_table_of(b, decl);
		return bt ? bt->table : NULL;
	}
	rt_table *made = rt__schema_find_model(b->schema, decl->name.text);
	if (made && made->single_table)
		return made;
	const rt_ast_decl *root = depth_of(b, decl) ? decl : NULL;
	while (root && root->extends.text)
		root = type_decl(b, root->extends.text);
	rt_build_table *rbt = root ? build_table_of(b, root) : NULL;
	const rt_ast_decl *parent_decl = root ? type_decl(b, decl->extends.text) : NULL;
	rt_table *parent = parent_decl ? model_of(b, parent_decl, depth + 1) : NULL;
	if (!rbt || !parent)
		return NULL;
	const rt_table *rt = rbt->table;
	if (!rt->discriminator) {
		rt__diag_error(b->diags, decl->extends.pos,
			       "model %s extends %s, but model %s names no discriminator "
			       "column to tell their rows apart: add 'discriminator "
			       "<column>' to it", decl->name.text, decl->extends.text,
			       root->name.text);
		return NULL;
	}
	if (!decl->identity.text) {
		rt__diag_error(b->diags, decl->name.pos,
			       "model %s extends %s but has no identity: write "
			       "identity '<value>' after the parent, the value of %s.%s "
			       "in its rows", decl->name.text, decl->extends.text,
			       rt->name, rt->discriminator);
		return NULL;
	}
	return make_subclass(b, decl, parent, rt);
}

static const rt_table *root_table(const rt_table *t)
{
	while (t->parent)
		t = t->parent;
	return t;
}

/* The models of root's tree with an identity, root first: its subclasses
 * of both kinds. */
static size_t tree_models(rt_build *b, const rt_table *root, const rt_table **out)
{
	size_t n = 0;
	if (root->identity)
		out[n++] = root;
	for (size_t i = 0; i < b->table_count; i++) {
		const rt_table *t = b->tables[i]->table;
		if (t->joined && t->identity && root_table(t) == root)
			out[n++] = t;
	}
	for (size_t i = 0; i < b->schema->subclass_count; i++)
		if (root_table(b->schema->subclasses[i]) == root)
			out[n++] = b->schema->subclasses[i];
	return n;
}

/* Two models of one tree with one identity: reported at the later one. */
static void check_identities(rt_build *b, const rt_table *root)
{
	const rt_table **models = rt__arena_alloc(
		b->scratch, (1 + b->table_count + b->schema->subclass_count) * sizeof(*models));
	if (!models) {
		rt__build_nomem(b);
		return;
	}
	size_t n = tree_models(b, root, models);
	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(models[i]->identity, models[j]->identity) == 0) {
				rt__diag_error(b->diags, models[i]->pos,
					       "duplicate identity '%s': model %s at %s has it "
					       "already", models[i]->identity, models[j]->model,
					       rt__build_where(b, models[j]->pos, models[i]->pos));
				break;
			}
}

/* A joined subclass needs its root's discriminator and an identity. */
static void check_joined(rt_build *b, rt_build_table *bt)
{
	rt_table *t = bt->table;
	const rt_table *root = root_table(t);
	const rt_ast_decl *decl = bt->decl;
	for (size_t i = 0; i < decl->member_count; i++)
		if (decl->members[i]->kind == RT_AST_DISCRIMINATOR)
			rt__diag_error(b->diags, decl->members[i]->pos,
				       "the discriminator is the root model's: declare it in "
				       "model %s", root->model);
	if (!root->discriminator) {
		rt__diag_error(b->diags, decl->extends.pos,
			       "model %s extends %s, but model %s names no discriminator "
			       "column to tell their rows apart: add 'discriminator "
			       "<column>' to it", decl->name.text, decl->extends.text,
			       root->model);
		return;
	}
	if (!decl->identity.text) {
		rt__diag_error(b->diags, decl->name.pos,
			       "model %s extends %s but has no identity: write identity "
			       "'<value>' after the parent, the value of %s.%s in its rows",
			       decl->name.text, decl->extends.text, root->name, root->discriminator);
		return;
	}
	if (identity_fits(b, decl, rt__table_find_column(root, root->discriminator)))
		t->identity = rt__build_keep(b, decl->identity.text);
}

void rt__build_inheritance(rt_build *b)
{
	if (b->diags->nomem)
		return;
	for (size_t i = 0; i < b->table_count; i++) {
		rt_build_table *bt = b->tables[i];
		if (!bt->decl || !bt->table->model || bt->decl->extends.text)
			continue;
		build_discriminator(b, bt);
		if (bt->decl->identity.text) {
			rt_column *d = bt->table->discriminator
					       ? rt__table_find_column(bt->table,
								       bt->table->discriminator)
					       : NULL;
			if (!d)
				rt__diag_error(b->diags, bt->decl->identity.pos,
					       "model %s has an identity but no discriminator "
					       "column to hold it: add 'discriminator <column>'",
					       bt->decl->name.text);
			else if (identity_fits(b, bt->decl, d))
				bt->table->identity = rt__build_keep(b, bt->decl->identity.text);
		}
	}
	const rt_ast_decl *decl;
	FOR_SUBCLASSES_BY_DEPTH(b, decl) {
		rt_table *t = b->diags->nomem ? NULL : model_of(b, decl, 0);
		const rt_table *root = t;
		while (root && root->parent)
			root = root->parent;
		if (root)
			identity_fits(b, decl, rt__table_find_column(root, root->discriminator));
	}
	for (size_t i = 0; i < b->table_count; i++)
		if (b->tables[i]->table->joined)
			check_joined(b, b->tables[i]);
	for (size_t i = 0; i < b->table_count; i++)
		if (b->tables[i]->table->discriminator)
			check_identities(b, b->tables[i]->table);
}
