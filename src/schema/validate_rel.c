/*
 * validate_rel.c - relationships (validate.h): which foreign key joins the
 * two sides, what kind of relationship that makes, and whether `back`
 * pairs the two sides consistently.
 *
 * The foreign key is inferred as SQLAlchemy infers it. Every foreign key
 * between the two tables, in either direction, is a candidate; `on` narrows
 * them down; exactly one must remain. Which table holds it gives the kind:
 *   - in this table (`user User`): many-to-one, or one-to-one when the key's
 *     columns are unique;
 *   - in the target (`posts Post[]`, `profile Profile?`): one-to-many for a
 *     list, one-to-one for a single row;
 *   - `through t`: many-to-many, t holding a key to each side.
 * A self-referential relationship sees each key from both ends, so the
 * cardinality mark decides: a single row (`parent Category?`) reads the
 * key in this row, a list (`children Category[]`) the key in the others.
 */
#include <string.h>

#include "schema/validate.h"

typedef struct candidate {
	rt_constraint *fk;
	rt_table *holder; /* the table the foreign key is declared in */
} candidate;

typedef struct candidates {
	candidate *items;
	size_t count, cap;
} candidates;

/* Appends the foreign keys of holder that reference target. */
static void collect(rt_build *b, candidates *out, rt_table *holder,
		    const rt_table *target)
{
	for (size_t i = 0; i < holder->constraint_count; i++) {
		rt_constraint *c = holder->constraints[i];
		if (c->kind != RT_CONSTRAINT_FOREIGN_KEY || !c->ref_table ||
		    strcmp(c->ref_table, target->name) != 0)
			continue;
		if (rt__arena_reserve(b->scratch, (void **)&out->items, &out->cap,
				      out->count + 1, sizeof(*out->items)) < 0) {
			rt__build_nomem(b);
			return;
		}
		out->items[out->count].fk = c;
		out->items[out->count].holder = holder;
		out->count++;
	}
}

/* "posts.user_id", or "posts(a, b)" for a composite key. */
static const char *fk_text(rt_build *b, const candidate *c)
{
	rt_buf buf = RT_BUF_INIT;
	if (c->fk->column_count == 1) {
		rt__buf_printf(&buf, "%s.%s", c->holder->name, c->fk->columns[0]);
	} else {
		rt__buf_printf(&buf, "%s(", c->holder->name);
		for (size_t i = 0; i < c->fk->column_count; i++)
			rt__buf_printf(&buf, "%s%s", i ? ", " : "", c->fk->columns[i]);
		rt__buf_putc(&buf, ')');
	}
	const char *text = rt__buf_failed(&buf)
				   ? NULL
				   : rt__arena_strdup(b->scratch, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	return text ? text : "?";
}

/* "a, b and c" */
static const char *fk_list_text(rt_build *b, const candidates *list)
{
	rt_buf buf = RT_BUF_INIT;
	for (size_t i = 0; i < list->count; i++) {
		const char *sep = i == 0 ? "" : i + 1 == list->count ? " and " : ", ";
		rt__buf_printf(&buf, "%s%s", sep, fk_text(b, &list->items[i]));
	}
	const char *text = rt__buf_failed(&buf)
				   ? NULL
				   : rt__arena_strdup(b->scratch, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	return text ? text : "?";
}

static bool holder_matches(const rt_table *holder, const char *name)
{
	return strcmp(holder->name, name) == 0 ||
	       (holder->model && strcmp(holder->model, name) == 0);
}

/* Keeps the candidates whose key includes the `on` column. */
static void filter_on(candidates *list, const rt_ast_member *m)
{
	size_t kept = 0;
	for (size_t i = 0; i < list->count; i++) {
		candidate *c = &list->items[i];
		if (m->rel->on_table.text &&
		    !holder_matches(c->holder, m->rel->on_table.text))
			continue;
		rt_column *column =
			rt__table_find_field(c->holder, m->rel->on_column.text);
		bool uses = false;
		for (size_t k = 0; column && k < c->fk->column_count; k++)
			uses |= strcmp(c->fk->columns[k], column->name) == 0;
		if (uses)
			list->items[kept++] = *c;
	}
	list->count = kept;
}

static const char *model_of(const rt_table *table)
{
	return table->model ? table->model : table->name;
}

/* Narrows candidates to one, reporting none or several; missing words the
 * error when there is none (built only then: it is rarely needed). */
static const candidate *choose(rt_build *b, rt_build_rel *br, candidates *list,
			       const char *(*missing)(rt_build *, const rt_build_rel *))
{
	const rt_ast_member *m = br->ast;
	const rt_table *from = br->owner->table, *to = br->rel->target_table;
	if (m->rel->on_column.text) {
		filter_on(list, m);
		if (list->count == 0) {
			rt__diag_error(
				b->diags, m->rel->on_column.pos,
				"no foreign key between %s and %s uses column '%s%s%s'",
				model_of(from), model_of(to),
				m->rel->on_table.text ? m->rel->on_table.text : "",
				m->rel->on_table.text ? "." : "", m->rel->on_column.text);
			return NULL;
		}
	}
	if (list->count == 0) {
		/* A foreign key that failed to resolve (reported) is likely the
		 * one meant: do not report its absence again. */
		rt_build_table *bt_to = rt__build_table(b, to);
		bool broken = br->owner->broken_fk || (bt_to && bt_to->broken_fk);
		if (m->rel->through.text) {
			rt_build_table *bt_through =
				rt__build_table(b, br->rel->through_table);
			broken = bt_through && bt_through->broken_fk;
		}
		if (!broken)
			rt__diag_error(b->diags, m->type_name.pos, "%s", missing(b, br));
		return NULL;
	}
	if (list->count > 1) {
		const char *between =
			from == to ? rt__arena_printf(b->scratch, "of %s to itself",
						      model_of(from))
				   : rt__arena_printf(b->scratch, "between %s and %s",
						      model_of(from), model_of(to));
		rt__diag_error(
			b->diags, m->type_name.pos,
			"ambiguous relationship '%s' %s: the foreign keys %s %s %s; "
			"choose one with 'on <column>'",
			m->name.text, between ? between : "", fk_list_text(b, list),
			list->count == 2 ? "both" : "all",
			from == to ? "qualify" : "link them");
		return NULL;
	}
	return &list->items[0];
}

static const char *missing_through(rt_build *b, const rt_build_rel *br)
{
	const rt_table *from = br->owner->table, *to = br->rel->target_table;
	const rt_table *through = br->rel->through_table;
	const char *text = rt__arena_printf(
		b->scratch, "table %s has no foreign key to %s (model %s), so it cannot "
			    "link %s and %s", through->name, from->name, model_of(from),
		model_of(from), model_of(to));
	return text ? text : "?";
}

/* through t: a key in t to each side. */
static void resolve_through(rt_build *b, rt_build_rel *br)
{
	rt_relationship *rel = br->rel;
	const rt_ast_member *m = br->ast;
	rt_table *from = br->owner->table, *to = rel->target_table;
	rt_table *through = rt__schema_find_table(b->schema, m->rel->through.text);
	if (!through) {
		rt__build_unknown_table(b, &m->rel->through, "'through'");
		return;
	}
	rel->through_table = through;
	rel->through = through->name;
	rel->kind = RT_REL_MANY_TO_MANY;
	if (!rel->is_list) {
		rt__diag_error(b->diags, m->rel->through.pos,
			       "a relationship 'through' an association table is a list: "
			       "write %s[]", rel->target);
		return;
	}
	candidates mine = {0}, theirs = {0};
	collect(b, &mine, through, from);
	collect(b, &theirs, through, to);
	const candidate *own = choose(b, br, &mine, missing_through);
	if (!own)
		return;
	/* For a self-referential many-to-many both keys reference the same
	 * table: the other side is whichever key `on` did not pick. */
	size_t kept = 0;
	for (size_t i = 0; i < theirs.count; i++)
		if (theirs.items[i].fk != own->fk)
			theirs.items[kept++] = theirs.items[i];
	theirs.count = kept;
	if (theirs.count != 1) {
		rt_build_table *bt_through = rt__build_table(b, through);
		if (theirs.count == 0 && bt_through && bt_through->broken_fk)
			return; /* the key meant is the one that failed */
		if (theirs.count == 0)
			rt__diag_error(
				b->diags, m->rel->through.pos,
				"table %s has no %sforeign key to %s (model %s), so it "
				"cannot link %s and %s",
				through->name, from == to ? "second " : "", to->name,
				model_of(to), model_of(from), model_of(to));
		else
			rt__diag_error(
				b->diags, m->rel->through.pos,
				"ambiguous relationship '%s': table %s has several "
				"foreign keys to %s (%s)",
				m->name.text, through->name, to->name,
				fk_list_text(b, &theirs));
		return;
	}
	rel->fk = own->fk;
	rel->target_fk = theirs.items[0].fk;
	rel->fk_is_local = false;
	br->resolved = true;
}

static const char *missing_direct(rt_build *b, const rt_build_rel *br)
{
	const rt_relationship *rel = br->rel;
	const rt_table *from = br->owner->table, *to = rel->target_table;
	const char *text;
	if (from == to)
		text = rt__arena_printf(b->scratch,
					"no foreign key links %s to itself: '%s' needs a "
					"column of %s that references %s", model_of(from),
					rel->name, from->name, from->name);
	else if (rel->is_list)
		text = rt__arena_printf(
			b->scratch,
			"no foreign key links %s and %s: the list '%s' needs "
			"one in table %s that references %s (or 'through' an "
			"association table)",
			model_of(from), model_of(to), rel->name, to->name, from->name);
	else
		text = rt__arena_printf(
			b->scratch,
			"no foreign key links %s and %s: '%s' needs one in "
			"table %s that references %s, or in %s that "
			"references %s",
			model_of(from), model_of(to), rel->name, from->name, to->name,
			to->name, from->name);
	return text ? text : "?";
}

static void resolve_direct(rt_build *b, rt_build_rel *br)
{
	rt_relationship *rel = br->rel;
	rt_table *from = br->owner->table, *to = rel->target_table;
	candidates list = {0};
	collect(b, &list, from, to);
	if (from != to)
		collect(b, &list, to, from);
	const candidate *c = choose(b, br, &list, missing_direct);
	if (!c)
		return;
	bool local = from == to ? !rel->is_list : c->holder == from;
	if (local && rel->is_list) {
		rt__diag_error(
			b->diags, br->ast->type_name.pos,
			"'%s' is a list, so its foreign key must be in %s, but the "
			"one linking %s and %s is %s, in this table; write "
			"'%s %s' for a single row",
			rel->name, to->name, model_of(from), model_of(to), fk_text(b, c),
			rel->name, rel->target);
		return;
	}
	rel->fk = c->fk;
	rel->fk_is_local = local;
	if (local)
		rel->kind = rt__build_columns_unique(from, c->fk->columns,
						     c->fk->column_count)
				    ? RT_REL_ONE_TO_ONE
				    : RT_REL_MANY_TO_ONE;
	else
		rel->kind = rel->is_list ? RT_REL_ONE_TO_MANY : RT_REL_ONE_TO_ONE;
	br->resolved = true;
}

static void resolve(rt_build *b, rt_build_rel *br)
{
	rt_relationship *rel = br->rel;
	const rt_ast_member *m = br->ast;
	rel->target_table = rt__schema_find_model(b->schema, rel->target);
	if (!rel->target_table)
		return;
	if (m->rel->order_by.text) {
		rt_column *column = rt__build_find_column(
			b, rel->target_table, &m->rel->order_by, "'order by'");
		if (column)
			rel->order_by = column->name;
	}
	if (m->rel->through.text)
		resolve_through(b, br);
	else
		resolve_direct(b, br);
}

/* --- back ------------------------------------------------------------------- */

static rt_build_rel *find_rel(rt_build_table *bt, const char *name)
{
	for (size_t i = 0; i < bt->rel_count; i++)
		if (strcmp(bt->rels[i]->rel->name, name) == 0)
			return bt->rels[i];
	return NULL;
}

static void missing_back(rt_build *b, const rt_build_rel *br, rt_build_table *target)
{
	const rt_ast_member *m = br->ast;
	const char *model = model_of(target->table);
	rt_build_member *member =
		rt__map_get(&target->members_by_name, m->rel->back.text);
	if (member) {
		rt__diag_error(b->diags, m->rel->back.pos,
			       "'back %s': %s.%s is a column, not a relationship",
			       m->rel->back.text, model, m->rel->back.text);
		return;
	}
	rt_suggest s;
	rt__suggest_init(&s, m->rel->back.text);
	for (size_t i = 0; i < target->rel_count; i++)
		rt__suggest_consider(&s, target->rels[i]->rel->name);
	if (rt__suggest_result(&s))
		rt__diag_error(
			b->diags, m->rel->back.pos,
			"'back %s': %s has no relationship '%s'; did you mean '%s'?",
			m->rel->back.text, model, m->rel->back.text,
			rt__suggest_result(&s));
	else
		rt__diag_error(
			b->diags, m->rel->back.pos,
			"'back %s': %s has no relationship '%s' pointing back to %s",
			m->rel->back.text, model, m->rel->back.text,
			model_of(br->owner->table));
}

/* Why two resolved sides do not describe one link, or NULL when they do. */
static const char *disagreement(rt_build *b, const rt_build_rel *mine,
				const rt_build_rel *other)
{
	const rt_relationship *a = mine->rel, *o = other->rel;
	candidate ca = {a->fk, mine->owner->table}, co = {o->fk, other->owner->table};
	if ((a->kind == RT_REL_MANY_TO_MANY) != (o->kind == RT_REL_MANY_TO_MANY))
		return rt__arena_printf(b->scratch, "only one of them goes 'through' an "
						    "association table");
	if (a->kind == RT_REL_MANY_TO_MANY) {
		if (a->through_table != o->through_table)
			return rt__arena_printf(b->scratch,
						"one goes through %s, the other "
						"through %s",
						a->through, o->through);
		if (a->fk != o->target_fk || a->target_fk != o->fk)
			return rt__arena_printf(b->scratch, "they use the keys of %s the "
							    "same way round",
						a->through);
		return NULL;
	}
	if (a->fk != o->fk) {
		if (!a->fk_is_local)
			ca.holder = a->target_table;
		if (!o->fk_is_local)
			co.holder = o->target_table;
		return rt__arena_printf(b->scratch, "one joins on %s, the other on %s",
					fk_text(b, &ca), fk_text(b, &co));
	}
	if (a->fk_is_local == o->fk_is_local) {
		if (!a->fk_is_local)
			ca.holder = a->target_table;
		return rt__arena_printf(b->scratch,
					"both read %s as the key of their own "
					"row; make one of them a list (%s[])",
					fk_text(b, &ca), a->target);
	}
	return NULL;
}

static void check_back(rt_build *b, rt_build_rel *br)
{
	rt_relationship *rel = br->rel;
	const rt_ast_member *m = br->ast;
	rt_build_table *target = rt__build_table(b, rel->target_table);
	rt_build_rel *other = target ? find_rel(target, m->rel->back.text) : NULL;
	if (!target)
		return;
	if (!other) {
		missing_back(b, br, target);
		return;
	}
	const char *from_model = model_of(br->owner->table);
	const char *to_model = model_of(target->table);
	if (other->rel->target_table != br->owner->table) {
		rt__diag_error(b->diags, m->rel->back.pos,
			       "'back %s': %s.%s points to %s, not to %s",
			       m->rel->back.text, to_model, other->rel->name,
			       other->rel->target, from_model);
		return;
	}
	if (other->rel->back && strcmp(other->rel->back, rel->name) != 0) {
		rt__diag_error(b->diags, m->rel->back.pos,
			       "'back %s': %s.%s pairs with '%s', not with '%s'",
			       m->rel->back.text, to_model, other->rel->name,
			       other->rel->back, rel->name);
		return;
	}
	if (!br->resolved || !other->resolved || other == br)
		return;
	/* When both sides name each other, say it once, from the first. */
	if (other->rel->back && other->index < br->index)
		return;
	const char *why = disagreement(b, br, other);
	if (why)
		rt__diag_error(b->diags, m->rel->back.pos,
			       "%s.%s and %s.%s do not describe the same link: %s",
			       from_model, rel->name, to_model, other->rel->name, why);
}

void rt__build_relationships(rt_build *b)
{
	for (size_t i = 0; i < b->rel_count && !b->diags->nomem; i++)
		resolve(b, b->rels[i]);
	for (size_t i = 0; i < b->rel_count && !b->diags->nomem; i++)
		if (b->rels[i]->ast->rel->back.text)
			check_back(b, b->rels[i]);
}
