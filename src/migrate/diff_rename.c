/*
 * diff_rename.c - which table or column of the database is which of the
 * models, and the renames that follow.
 *
 * Matching goes from the surest evidence to the weakest: a rename the user
 * stated, a `was` marker in the models, the same name, and last a likely
 * rename (a dropped and an added column of the same type and nullability,
 * or a dropped and an added table with the same columns), which is a
 * rename only when the user says so through the ask callback; without one
 * it stays a drop + add and a warning names the candidates.
 *
 * The renames are then replayed on `from` (rt__op_apply), which changes
 * what refers to an old name the way a database does: foreign keys
 * elsewhere follow a renamed table or column, and so do the column lists
 * of constraints and indexes and the CHECK expressions that name the
 * column. Everything the differ compares afterwards is by name.
 */
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "migrate/diff_impl.h"
#include "migrate/ops.h"
#include "schema/naming.h"

/* --- pairs ------------------------------------------------------------------ */

static rt_diff_pair *add_pair(rt_differ *d, rt_table *from, rt_table *to)
{
	rt_diff_pair *pair = rt__arena_alloc(d->tmp, sizeof(*pair));
	if (!pair) {
		rt__error_nomem();
		return NULL;
	}
	pair->from = from;
	pair->to = to;
	rt__map_init(&pair->to_of_from, d->tmp);
	rt__map_init(&pair->from_of_to, d->tmp);
	if (RT_ARENA_PUSH(d->tmp, d->pairs, d->pair_count, d->pair_cap, pair) < 0 ||
	    rt__map_put(&d->pair_of_from, from->name, pair) < 0 ||
	    rt__map_put(&d->pair_of_to, to->name, pair) < 0) {
		rt__error_nomem();
		return NULL;
	}
	return pair;
}

static int pair_columns(rt_diff_pair *pair, rt_column *from, rt_column *to)
{
	if (rt__map_put(&pair->to_of_from, from->name, to) < 0 ||
	    rt__map_put(&pair->from_of_to, to->name, from) < 0)
		return rt__error_nomem();
	return RT_OK;
}

static bool from_table_paired(const rt_differ *d, const rt_table *t)
{
	return rt__map_get(&d->pair_of_from, t->name) != NULL;
}

static bool to_table_paired(const rt_differ *d, const rt_table *t)
{
	return rt__map_get(&d->pair_of_to, t->name) != NULL;
}

/* --- shapes, for likely renames ------------------------------------------------- */

static bool same_shape(const rt_differ *d, const rt_column *a, const rt_column *b)
{
	if (a->nullable != b->nullable || a->type.kind != b->type.kind ||
	    a->type.array != b->type.array)
		return false;
	if (a->type.kind == RT_TYPE_ENUM)
		return rt__diff_same_enum_values(rt__diff_column_enum(d->base, a),
						 rt__diff_column_enum(d->to, b));
	return rt__diff_same_type(&a->type, &b->type);
}

static bool same_columns(const rt_differ *d, const rt_table *a, const rt_table *b)
{
	if (a->column_count != b->column_count)
		return false;
	for (size_t i = 0; i < a->column_count; i++) {
		const rt_column *cb = rt__table_find_column(b, a->columns[i]->name);
		if (!cb || !same_shape(d, a->columns[i], cb))
			return false;
	}
	return true;
}

/* "a, b and c" for a warning, in the scratch arena. */
static const char *name_list(rt_differ *d, const char *const *names, size_t count)
{
	rt_buf buf = RT_BUF_INIT;
	for (size_t i = 0; i < count; i++)
		rt__buf_printf(&buf, "%s%s", i == 0 ? "" : i + 1 == count ? " or " : ", ",
			       names[i]);
	const char *text = rt__diff_keep(d, rt__buf_cstr(&buf));
	bool failed = rt__buf_failed(&buf);
	rt__buf_free(&buf);
	return failed ? NULL : text;
}

/* --- tables ---------------------------------------------------------------------- */

static int match_stated_tables(rt_differ *d)
{
	for (size_t i = 0; i < d->opts->rename_count; i++) {
		const rt_diff_rename *r = &d->opts->renames[i];
		if (r->table)
			continue;
		rt_table *from = rt__schema_find_table(d->base, r->from);
		rt_table *to = rt__schema_find_table(d->to, r->to);
		if (!from)
			return rt__error_set(RT_EINVAL, "rename %s=%s: the database has no table %s",
					     r->from, r->to, r->from);
		if (!to)
			return rt__error_set(RT_EINVAL, "rename %s=%s: the models have no table %s",
					     r->from, r->to, r->to);
		if (from_table_paired(d, from) || to_table_paired(d, to))
			return rt__error_set(RT_EINVAL,
					     "rename %s=%s: another rename names the same table",
					     r->from, r->to);
		if (!add_pair(d, from, to))
			return RT_ENOMEM;
	}
	return RT_OK;
}

static int match_tables_by_name(rt_differ *d)
{
	for (size_t i = 0; i < d->to->table_count; i++) {
		rt_table *to = d->to->tables[i];
		rt_table *from = rt__schema_find_table(d->base, to->name);
		if (from && !to_table_paired(d, to) && !from_table_paired(d, from) &&
		    !add_pair(d, from, to))
			return RT_ENOMEM;
	}
	return RT_OK;
}

/* The table of the database a `was` names: `table b was a`, or `model B
 * was A` (whose table was A's default name). NULL when there is none, or
 * when the models still have a table of that name that was not renamed
 * itself (a stale marker, the old name taken again). */
static rt_table *previous_table(rt_differ *d, const rt_table *to)
{
	if (!to->was)
		return NULL;
	rt_table *from = rt__schema_find_table(d->base, to->was);
	if (!from && to->model) {
		/* was A: A's default table name, in the table's own schema */
		const char *name =
			rt__name_table_for_model(d->tmp, rt__table_unqualified(to, to->was));
		if (name && to->schema)
			name = rt__arena_printf(d->tmp, "%s.%s", to->schema, name);
		from = name ? rt__schema_find_table(d->base, name) : NULL;
	}
	const rt_table *namesake = from ? rt__schema_find_table(d->to, from->name) : NULL;
	return namesake && !namesake->was ? NULL : from;
}

/* Is the database's table `name` renamed by a `was` of the models? */
static bool table_renamed_away(rt_differ *d, const char *name)
{
	for (size_t i = 0; i < d->to->table_count; i++) {
		const rt_table *from = previous_table(d, d->to->tables[i]);
		if (from && strcmp(from->name, name) == 0)
			return true;
	}
	return false;
}

/* `was` goes before same names, so that b was a, c was b renames both;
 * but a table the database has under the new name must be renamed away
 * itself, else the marker is stale. */
static int match_tables_by_was(rt_differ *d)
{
	for (size_t i = 0; i < d->to->table_count; i++) {
		rt_table *to = d->to->tables[i];
		rt_table *from = previous_table(d, to);
		if (!from || to_table_paired(d, to) || from_table_paired(d, from))
			continue;
		if (rt__schema_find_table(d->base, to->name) && !table_renamed_away(d, to->name))
			continue;
		if (!add_pair(d, from, to))
			return RT_ENOMEM;
	}
	return RT_OK;
}

static int ask(rt_differ *d, const char *table, const char *from, const char *to)
{
	int answer = d->opts->ask_rename(d->opts->ask_ctx, table, from, to);
	if (answer < 0)
		return answer;
	return answer > 0;
}

static int match_likely_tables(rt_differ *d)
{
	const char **candidates =
		rt__arena_alloc(d->tmp, (d->base->table_count + 1) * sizeof(*candidates));
	if (!candidates)
		return rt__error_nomem();
	for (size_t i = 0; i < d->to->table_count; i++) {
		rt_table *to = d->to->tables[i];
		if (to_table_paired(d, to))
			continue;
		size_t count = 0;
		for (size_t j = 0; j < d->base->table_count; j++) {
			rt_table *from = d->base->tables[j];
			if (from_table_paired(d, from) || !same_columns(d, from, to))
				continue;
			if (!d->opts->ask_rename) {
				candidates[count++] = from->name;
				continue;
			}
			int yes = ask(d, NULL, from->name, to->name);
			if (yes < 0)
				return yes;
			if (yes) {
				if (!add_pair(d, from, to))
					return RT_ENOMEM;
				break;
			}
		}
		if (count == 0)
			continue;
		const char *names = name_list(d, candidates, count);
		if (!names ||
		    rt__diff_warn(d, "likely rename: table %s has the columns of %s, which is "
				     "dropped; written as drop + create (mark the table `was %s` "
				     "or state the rename %s=%s to keep its rows)",
				  to->name, names, candidates[0], candidates[0], to->name) < 0)
			return RT_ENOMEM;
	}
	return RT_OK;
}

/* --- columns --------------------------------------------------------------------- */

static bool names_pair(const rt_diff_rename *r, const rt_diff_pair *pair)
{
	return r->table && (strcmp(r->table, pair->from->name) == 0 ||
			    strcmp(r->table, pair->to->name) == 0);
}

static int match_stated_columns(rt_differ *d, rt_diff_pair *pair)
{
	for (size_t i = 0; i < d->opts->rename_count; i++) {
		const rt_diff_rename *r = &d->opts->renames[i];
		if (!names_pair(r, pair))
			continue;
		rt_column *from = rt__table_find_column(pair->from, r->from);
		rt_column *to = rt__table_find_column(pair->to, r->to);
		if (!from)
			return rt__error_set(RT_EINVAL,
					     "rename %s.%s=%s: table %s of the database has no "
					     "column %s", r->table, r->from, r->to,
					     pair->from->name, r->from);
		if (!to)
			return rt__error_set(RT_EINVAL,
					     "rename %s.%s=%s: table %s of the models has no "
					     "column %s", r->table, r->from, r->to,
					     pair->to->name, r->to);
		if (rt__map_get(&pair->to_of_from, from->name) ||
		    rt__map_get(&pair->from_of_to, to->name))
			return rt__error_set(RT_EINVAL,
					     "rename %s.%s=%s: another rename names the same column",
					     r->table, r->from, r->to);
		if (pair_columns(pair, from, to) < 0)
			return RT_ENOMEM;
	}
	return RT_OK;
}

/* The column of the database a `was` names, as for tables: none when the
 * models still have a column of the old name that was not renamed itself. */
static rt_column *previous_column(const rt_diff_pair *pair, const rt_column *to)
{
	if (!to->was)
		return NULL;
	rt_column *from = rt__table_find_column(pair->from, to->was);
	const rt_column *namesake = from ? rt__table_find_column(pair->to, to->was) : NULL;
	return namesake && !namesake->was ? NULL : from;
}

static bool column_renamed_away(const rt_diff_pair *pair, const char *name)
{
	for (size_t i = 0; i < pair->to->column_count; i++) {
		const rt_column *from = previous_column(pair, pair->to->columns[i]);
		if (from && strcmp(from->name, name) == 0)
			return true;
	}
	return false;
}

static bool column_paired(const rt_map *map, const char *name)
{
	return rt__map_get(map, name) != NULL;
}

static int match_columns_by_was_and_name(rt_diff_pair *pair)
{
	for (size_t i = 0; i < pair->to->column_count; i++) {
		rt_column *to = pair->to->columns[i];
		rt_column *from = previous_column(pair, to);
		if (!from || column_paired(&pair->from_of_to, to->name) ||
		    column_paired(&pair->to_of_from, from->name))
			continue;
		if (rt__table_find_column(pair->from, to->name) &&
		    !column_renamed_away(pair, to->name))
			continue;
		if (pair_columns(pair, from, to) < 0)
			return RT_ENOMEM;
	}
	for (size_t i = 0; i < pair->to->column_count; i++) {
		rt_column *to = pair->to->columns[i];
		rt_column *from = rt__table_find_column(pair->from, to->name);
		if (from && !column_paired(&pair->from_of_to, to->name) &&
		    !column_paired(&pair->to_of_from, from->name) && pair_columns(pair, from, to) < 0)
			return RT_ENOMEM;
	}
	return RT_OK;
}

static int match_likely_columns(rt_differ *d, rt_diff_pair *pair)
{
	const rt_table *ft = pair->from;
	const char **candidates =
		rt__arena_alloc(d->tmp, (ft->column_count + 1) * sizeof(*candidates));
	if (!candidates)
		return rt__error_nomem();
	for (size_t i = 0; i < pair->to->column_count; i++) {
		rt_column *to = pair->to->columns[i];
		if (rt__map_get(&pair->from_of_to, to->name))
			continue;
		size_t count = 0;
		for (size_t j = 0; j < ft->column_count; j++) {
			rt_column *from = ft->columns[j];
			if (rt__map_get(&pair->to_of_from, from->name) || !same_shape(d, from, to))
				continue;
			if (!d->opts->ask_rename) {
				candidates[count++] = from->name;
				continue;
			}
			int yes = ask(d, pair->to->name, from->name, to->name);
			if (yes < 0)
				return yes;
			if (yes) {
				if (pair_columns(pair, from, to) < 0)
					return RT_ENOMEM;
				break;
			}
		}
		if (count == 0)
			continue;
		const char *names = name_list(d, candidates, count);
		if (!names ||
		    rt__diff_warn(d, "likely rename: column %s.%s has the type of %s, which is "
				     "dropped; written as drop + add (mark the column `was %s` or "
				     "state the rename %s.%s=%s to keep its values)",
				  pair->to->name, to->name, names, candidates[0], pair->to->name,
				  candidates[0], to->name) < 0)
			return RT_ENOMEM;
	}
	return RT_OK;
}

/* A stated column rename must name a table both sides have. */
static int check_stated_columns(rt_differ *d)
{
	for (size_t i = 0; i < d->opts->rename_count; i++) {
		const rt_diff_rename *r = &d->opts->renames[i];
		if (!r->table)
			continue;
		bool found = false;
		for (size_t j = 0; j < d->pair_count && !found; j++)
			found = names_pair(r, d->pairs[j]);
		if (!found)
			return rt__error_set(RT_EINVAL,
					     "rename %s.%s=%s: no table %s in both the database "
					     "and the models", r->table, r->from, r->to, r->table);
	}
	return RT_OK;
}

int rt__diff_match(rt_differ *d)
{
	int rc;
	if ((rc = match_stated_tables(d)) < 0 || (rc = match_tables_by_was(d)) < 0 ||
	    (rc = match_tables_by_name(d)) < 0 || (rc = match_likely_tables(d)) < 0 ||
	    (rc = check_stated_columns(d)) < 0)
		return rc;
	/* Columns in the models' table order, so questions and warnings come
	 * out in the order the user reads the models. */
	for (size_t i = 0; i < d->to->table_count; i++) {
		rt_diff_pair *pair = rt__map_get(&d->pair_of_to, d->to->tables[i]->name);
		if (pair && ((rc = match_stated_columns(d, pair)) < 0 ||
			     (rc = match_columns_by_was_and_name(pair)) < 0 ||
			     (rc = match_likely_columns(d, pair)) < 0))
			return rc;
	}
	return RT_OK;
}

/* --- applying renames ---------------------------------------------------------- */

/* One rename to carry out: of a table (table NULL) or of a column. */
typedef struct pending {
	const char *table, *old, *new;
	bool done;
} pending;

static bool name_taken(rt_differ *d, const pending *p)
{
	if (!p->table)
		return rt__schema_find_table(d->from, p->new) != NULL;
	const rt_table *table = rt__schema_find_table(d->from, p->table);
	return table && rt__table_find_column(table, p->new) != NULL;
}

/* Files the rename and replays it on `from`, which changes what refers to
 * the old name just as the database will (migrate/ops.h). */
static int file_rename(rt_differ *d, const pending *p)
{
	rt_op_kind kind = p->table ? RT_OP_RENAME_COLUMN : RT_OP_RENAME_TABLE;
	rt_diff_phase phase = p->table ? RT_DIFF_RENAME_COLUMN : RT_DIFF_RENAME_TABLE;
	rt_op *up = rt__diff_op(d, kind, p->table ? p->table : p->old);
	rt_op *down = rt__diff_op(d, kind, p->table ? p->table : p->new);
	if (!up || !down)
		return RT_ENOMEM;
	if (p->table) {
		up->name = rt__diff_keep(d, p->old);
		down->name = rt__diff_keep(d, p->new);
	}
	/* A table's new name is said without its schema: it stays in its
	 * own (a rename never moves it: diff_schemas.c). */
	const rt_table *old_table = p->table ? NULL : rt__schema_find_table(d->from, p->old);
	up->new_name = rt__diff_keep(d, old_table ? rt__table_unqualified(old_table, p->new)
						  : p->new);
	down->new_name = rt__diff_keep(d, old_table ? rt__table_unqualified(old_table, p->old)
						    : p->old);
	if (!up->new_name || !down->new_name || (p->table && (!up->name || !down->name)))
		return rt__error_nomem();
	int rc = rt__diff_own_from(d);
	if (rc == RT_OK)
		rc = rt__op_apply(d->from, up);
	/* The renamed table as the database will read it: where the database
	 * keeps no name of its own for something (MariaDB's primary key is
	 * always PRIMARY), that name follows the table's. */
	if (rc == RT_OK && !p->table && d->dialect)
		d->dialect->canonicalize(d->from);
	return rc < 0 ? rc : rt__diff_step(d, phase, up, down);
}

/* Carries out the renames in an order where each new name is free when its
 * turn comes (b -> c before a -> b); a cycle (a -> b, b -> a) has none. */
static int run_renames(rt_differ *d, pending *items, size_t count)
{
	for (size_t done = 0; done < count;) {
		pending *next = NULL;
		for (size_t i = 0; i < count && !next; i++)
			if (!items[i].done && !name_taken(d, &items[i]))
				next = &items[i];
		if (!next) {
			for (size_t i = 0; i < count && !next; i++)
				if (!items[i].done)
					next = &items[i];
			if (next->table)
				return rt__error_set(RT_EINVAL,
						     "cannot rename column %s.%s to %s: the "
						     "table still has a column %s (rename through "
						     "another name in two revisions)",
						     next->table, next->old, next->new, next->new);
			return rt__error_set(RT_EINVAL,
					     "cannot rename table %s to %s: the database still "
					     "has a table %s (rename through another name in two "
					     "revisions)", next->old, next->new, next->new);
		}
		int rc = file_rename(d, next);
		if (rc < 0)
			return rc;
		next->done = true;
		done++;
	}
	return RT_OK;
}

int rt__diff_rename(rt_differ *d)
{
	pending *items = rt__arena_alloc(d->tmp, (d->pair_count + 1) * sizeof(*items));
	if (!items)
		return rt__error_nomem();
	size_t count = 0;
	for (size_t i = 0; i < d->to->table_count; i++) {
		rt_diff_pair *pair = rt__map_get(&d->pair_of_to, d->to->tables[i]->name);
		if (pair && strcmp(pair->from->name, pair->to->name) != 0)
			items[count++] = (pending){.old = pair->from->name, .new = pair->to->name};
	}
	int rc = run_renames(d, items, count);
	for (size_t i = 0; rc == RT_OK && i < d->to->table_count; i++) {
		rt_diff_pair *pair = rt__map_get(&d->pair_of_to, d->to->tables[i]->name);
		if (!pair)
			continue;
		const rt_table *from = pair->from;
		pending *columns = rt__arena_alloc(d->tmp, (from->column_count + 1) *
								   sizeof(*columns));
		if (!columns)
			return rt__error_nomem();
		count = 0;
		for (size_t c = 0; c < from->column_count; c++) {
			const rt_column *to = rt__map_get(&pair->to_of_from, from->columns[c]->name);
			if (to && strcmp(to->name, from->columns[c]->name) != 0)
				columns[count++] = (pending){.table = pair->to->name,
							     .old = from->columns[c]->name,
							     .new = to->name};
		}
		rc = run_renames(d, columns, count);
	}
	return rc;
}
