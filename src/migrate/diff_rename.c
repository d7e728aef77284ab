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
 * The renames are then applied to `from` the way a database applies them:
 * foreign keys elsewhere follow a renamed table or column, and so do the
 * column lists of constraints and indexes and the CHECK expressions that
 * name the column. Everything the differ compares afterwards is by name.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/error.h"
#include "migrate/diff_impl.h"
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
	if (a->nullable != b->nullable || a->type.kind != b->type.kind)
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
		const char *name = rt__name_table_for_model(d->tmp, to->was);
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

static bool is_plain_identifier(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static void put_identifier(rt_buf *buf, const char *name)
{
	if (is_plain_identifier(name))
		rt__buf_puts(buf, name);
	else
		rt__buf_put_quoted(buf, name, '"');
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* Length of the quoted token at p (quote char q, doubled inside). */
static size_t quoted_length(const char *p, char q)
{
	size_t n = 1;
	while (p[n]) {
		if (p[n] == q) {
			if (p[n + 1] != q)
				return n + 1;
			n++;
		}
		n++;
	}
	return n;
}

/* Does the quoted identifier at p (length n, quotes included) spell name? */
static bool quoted_is(const char *p, size_t n, const char *name)
{
	const char *q = p + 1, *end = p + n - 1;
	for (; q < end && *name; q++, name++) {
		if (*q != *name)
			return false;
		if (*q == '"')
			q++; /* the doubled quote */
	}
	return q == end && !*name;
}

/* The next non-blank character after p. */
static char next_char(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return *p;
}

/*
 * A SQL expression with every reference to column `old` renamed to `new`,
 * as the database rewrites a CHECK when the column is renamed: bare or
 * quoted names, not strings, function names or the type after `::`.
 * Returns expr itself when nothing changed, NULL when out of memory.
 */
static const char *rename_in_expr(rt_differ *d, const char *expr, const char *old,
				  const char *new)
{
	rt_buf buf = RT_BUF_INIT;
	bool changed = false;
	const char *p = expr;
	while (*p) {
		if (*p == '\'' || *p == '"') {
			size_t n = quoted_length(p, *p);
			if (*p == '"' && quoted_is(p, n, old)) {
				rt__buf_put_quoted(&buf, new, '"');
				changed = true;
			} else {
				rt__buf_put(&buf, p, n);
			}
			p += n;
		} else if (is_word_char(*p) && !isdigit((unsigned char)*p)) {
			size_t n = 1;
			while (is_word_char(p[n]))
				n++;
			bool after_cast = p - expr >= 2 && p[-1] == ':' && p[-2] == ':';
			if (n == strlen(old) && strncasecmp(p, old, n) == 0 && !after_cast &&
			    next_char(p + n) != '(') {
				put_identifier(&buf, new);
				changed = true;
			} else {
				rt__buf_put(&buf, p, n);
			}
			p += n;
		} else if (isdigit((unsigned char)*p)) {
			size_t n = 1;
			while (is_word_char(p[n]) || p[n] == '.')
				n++;
			rt__buf_put(&buf, p, n);
			p += n;
		} else {
			rt__buf_putc(&buf, *p++);
		}
	}
	const char *result = changed ? rt__arena_strdup(d->from->arena, rt__buf_cstr(&buf)) : expr;
	if (rt__buf_failed(&buf))
		result = NULL;
	rt__buf_free(&buf);
	return result;
}

static void rename_in_list(const char **names, size_t count, const char *old, const char *new)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(names[i], old) == 0)
			names[i] = new;
}

static int rename_column_in_table(rt_differ *d, rt_table *table, const char *old,
				  const char *new)
{
	rt_constraint *pk = table->primary_key;
	if (pk)
		rename_in_list(pk->columns, pk->column_count, old, new);
	for (size_t i = 0; i < table->constraint_count; i++) {
		rt_constraint *c = table->constraints[i];
		rename_in_list(c->columns, c->column_count, old, new);
		if (c->kind != RT_CONSTRAINT_CHECK)
			continue;
		if (c->check_column && strcmp(c->check_column, old) == 0)
			c->check_column = new;
		if (c->check && !(c->check = rename_in_expr(d, c->check, old, new)))
			return rt__error_nomem();
	}
	for (size_t i = 0; i < table->index_count; i++)
		rename_in_list(table->indexes[i]->columns, table->indexes[i]->column_count, old,
			       new);
	return RT_OK;
}

static int apply_column_rename(rt_differ *d, rt_table *table, const char *old, const char *new)
{
	rt_column *column = rt__table_find_column(table, old);
	const char *name = rt__arena_strdup(d->from->arena, new);
	if (!column || !name)
		return column ? rt__error_nomem()
			      : rt__error_set(RT_ERROR, "diff: lost column %s.%s", table->name, old);
	column->name = name;
	if (rt__table_reindex_columns(d->from, table) < 0 ||
	    rename_column_in_table(d, table, old, name) < 0)
		return RT_ENOMEM;
	for (size_t t = 0; t < d->from->table_count; t++) {
		rt_table *other = d->from->tables[t];
		for (size_t i = 0; i < other->constraint_count; i++) {
			rt_constraint *c = other->constraints[i];
			if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
			    strcmp(c->ref_table, table->name) == 0)
				rename_in_list(c->ref_columns, c->ref_column_count, old, name);
		}
	}
	return RT_OK;
}

static int apply_table_rename(rt_differ *d, const char *old, const char *new)
{
	rt_table *table = rt__schema_find_table(d->from, old);
	const char *name = rt__arena_strdup(d->from->arena, new);
	if (!table || !name)
		return table ? rt__error_nomem()
			     : rt__error_set(RT_ERROR, "diff: lost table %s", old);
	for (size_t t = 0; t < d->from->table_count; t++) {
		rt_table *other = d->from->tables[t];
		for (size_t i = 0; i < other->constraint_count; i++) {
			rt_constraint *c = other->constraints[i];
			if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
			    strcmp(c->ref_table, old) == 0)
				c->ref_table = name;
		}
	}
	table->name = name;
	return rt__diff_reindex_schema(d->from);
}

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
	up->new_name = rt__diff_keep(d, p->new);
	down->new_name = rt__diff_keep(d, p->old);
	if (!up->new_name || !down->new_name || (p->table && (!up->name || !down->name)))
		return rt__error_nomem();
	return rt__diff_step(d, phase, up, down);
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
		int rc = next->table ? apply_column_rename(d, rt__schema_find_table(d->from,
										    next->table),
							   next->old, next->new)
				     : apply_table_rename(d, next->old, next->new);
		if (rc < 0 || (rc = file_rename(d, next)) < 0)
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
