/*
 * diff_tables.c - the steps for a table both sides have: its columns
 * (add, drop, alter), primary key, constraints and indexes.
 *
 * After the renames a table of `from` and its table of `to` share names
 * for everything they share, so columns, constraints and indexes are
 * matched by name. Equality is rt_schema_equal's under
 * RT_COMPARE_DATABASE (schema/compare.h): what a database holds, with
 * expressions and literals compared the way a database reprints them. A
 * constraint or index that changed is dropped and added again; there is no
 * altering one in place.
 *
 * A foreign key depends on the key it references: PostgreSQL refuses to
 * drop a primary key, unique constraint or unique index while a foreign
 * key uses it. So a foreign key referencing the columns of a key that is
 * dropped or changed is dropped first and added back afterwards, even when
 * it did not change itself. The same for a key that is added: the
 * downgrade drops it, and by then a foreign key may use it rather than
 * the key it was made with (PostgreSQL ties a new foreign key to the
 * oldest unique index on its columns, and a key re-created since, as a
 * renamed table's primary key is, is younger).
 */
#include <string.h>

#include "base/error.h"
#include "migrate/diff_impl.h"
#include "schema/compare.h"

/* --- equality ---------------------------------------------------------------- */

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

bool rt__diff_same_type(const rt_type *a, const rt_type *b)
{
	if (a->kind != b->kind || a->array != b->array)
		return false;
	switch (a->kind) {
	case RT_TYPE_STRING:
	case RT_TYPE_CHAR:
		return a->length == b->length;
	case RT_TYPE_NUMERIC:
		return a->precision == b->precision && a->scale == b->scale;
	case RT_TYPE_ENUM:
		return same_text(a->enum_name, b->enum_name);
	case RT_TYPE_SQL:
		/* Both as the dialect spells them (canonicalize). */
		return same_text(a->sql, b->sql);
	default:
		return true;
	}
}

static bool same_names(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

static bool same_constraint(const rt_constraint *a, const rt_constraint *b)
{
	if (a->kind != b->kind || !same_text(a->name, b->name))
		return false;
	if (a->kind == RT_CONSTRAINT_CHECK)
		return rt__sql_expr_equal(a->check ? a->check : "", b->check ? b->check : "");
	if (!same_names(a->columns, a->column_count, b->columns, b->column_count))
		return false;
	if (a->kind != RT_CONSTRAINT_FOREIGN_KEY)
		return true;
	return same_text(a->ref_table, b->ref_table) &&
	       same_names(a->ref_columns, a->ref_column_count, b->ref_columns,
			  b->ref_column_count) &&
	       a->on_delete == b->on_delete && a->on_update == b->on_update &&
	       a->deferrable == b->deferrable;
}

static bool same_index(const rt_index *a, const rt_index *b)
{
	return rt__index_same_definition(a, b);
}

static const rt_constraint *find_constraint(const rt_table *table, const char *name)
{
	for (size_t i = 0; i < table->constraint_count; i++)
		if (same_text(table->constraints[i]->name, name))
			return table->constraints[i];
	return NULL;
}

static const rt_index *find_index(const rt_table *table, const char *name)
{
	for (size_t i = 0; i < table->index_count; i++)
		if (same_text(table->indexes[i]->name, name))
			return table->indexes[i];
	return NULL;
}

/* Are comments something this database keeps? */
static bool compares_comments(const rt_differ *d)
{
	return !d->dialect || d->dialect->caps.comments;
}

/* --- columns ------------------------------------------------------------------ */

/* The definition an add or drop column carries: its table, holding only
 * the column (nullable when asked). */
static rt_table *column_def(rt_differ *d, const char *table, const rt_column *column,
			    bool nullable)
{
	rt_table *def = rt__diff_new_table(d->arena, table);
	rt_column *copy = def ? rt__diff_copy_column(d->out->scratch, def, column) : NULL;
	if (!copy)
		return NULL;
	copy->nullable |= nullable;
	copy->was = NULL;
	return def;
}

/*
 * A NOT NULL column without a server default cannot be added to a table
 * that has rows: it is added nullable and then made NOT NULL, which works
 * on an empty table everywhere (SQLite included, whose rebuild could not
 * fill it) and fails with a plain NOT NULL error otherwise; between the
 * two the user can fill it (`execute 'UPDATE ...'`). A generated column
 * fills itself from its expression: added at once.
 */
static bool added_in_two(const rt_column *column)
{
	return !column->nullable && column->server_default.kind == RT_LITERAL_NONE &&
	       !column->autoincrement && !column->generated;
}

/* The operations that add column to table: up[0], and up[1] when the
 * column is added in two. drop receives the inverse. */
static int adding(rt_differ *d, const rt_table *table, const rt_column *column, rt_op *up[2],
		  rt_op **drop)
{
	bool two = added_in_two(column);
	rt_table *def = column_def(d, table->name, column, two);
	rt_table *full = two ? column_def(d, table->name, column, false) : def;
	up[0] = rt__diff_op(d, RT_OP_ADD_COLUMN, table->name);
	up[1] = two ? rt__diff_op(d, RT_OP_ALTER_COLUMN, table->name) : NULL;
	*drop = rt__diff_op(d, RT_OP_DROP_COLUMN, table->name);
	if (!def || !full || !up[0] || (two && !up[1]) || !*drop)
		return RT_ENOMEM;
	up[0]->name = (*drop)->name = def->columns[0]->name;
	up[0]->def = def;
	(*drop)->def = full;
	if (two) {
		up[1]->name = up[0]->name;
		up[1]->null_change = RT_ALTER_NULL_DROP;
	}
	return RT_OK;
}

static int file_add_column(rt_differ *d, const rt_table *table, const rt_column *column)
{
	rt_op *up[2], *down;
	int rc = adding(d, table, rt__diff_model_column(d, table, column), up, &down);
	return rc < 0 ? rc : rt__diff_step2(d, RT_DIFF_ADD_COLUMN, up[0], up[1], down, NULL);
}

const rt_column *rt__diff_as_scripts_made(const rt_differ *d, const rt_table *table,
					  const rt_column *column)
{
	const rt_table *made = d->opts->scripts
				       ? rt__schema_find_table(d->opts->scripts, table->name)
				       : NULL;
	const rt_column *c = made ? rt__table_find_column(made, column->name) : NULL;
	if (!c || c->nullable != column->nullable || c->generated != column->generated ||
	    !rt__literal_equal(&c->server_default, &column->server_default))
		return column;
	bool same = rt__diff_same_type(&c->type, &column->type) ||
		    (d->dialect && d->dialect->same_declared_type &&
		     d->dialect->same_declared_type(made, c, table, column));
	return same ? c : column;
}

static int file_drop_column(rt_differ *d, const rt_table *table, const rt_column *column)
{
	rt_op *down[2], *up;
	int rc = adding(d, table, rt__diff_as_scripts_made(d, table, column), down, &up);
	return rc < 0 ? rc : rt__diff_step2(d, RT_DIFF_DROP_COLUMN, up, NULL, down[0], down[1]);
}

/* Fills one side of an alter column: what `to` says where it differs from
 * `from` (both as the database stores them), in the spelling of
 * `spelled` (the models' column for an upgrade). */
static int fill_alter(rt_differ *d, rt_op *op, const rt_column *from, const rt_column *to,
		      const rt_column *spelled, bool same_type)
{
	op->name = rt__diff_keep(d, to->name);
	if (!op->name)
		return rt__error_nomem();
	if (!same_type) {
		op->set_type = true;
		op->type = spelled->type;
		op->type.enum_type = NULL;
		if (spelled->type.enum_name &&
		    !(op->type.enum_name = rt__diff_keep(d, spelled->type.enum_name)))
			return rt__error_nomem();
		if (spelled->type.sql && !(op->type.sql = rt__diff_keep(d, spelled->type.sql)))
			return rt__error_nomem();
	}
	if (from->nullable != to->nullable)
		op->null_change = to->nullable ? RT_ALTER_NULL_SET : RT_ALTER_NULL_DROP;
	if (!same_text(from->collation, to->collation)) {
		op->collation_change =
			to->collation ? RT_ALTER_COLLATION_SET : RT_ALTER_COLLATION_DROP;
		if (to->collation && !(op->collation = rt__diff_keep(d, spelled->collation)))
			return rt__error_nomem();
	}
	if (from->server_onupdate != to->server_onupdate)
		op->onupdate_change =
			to->server_onupdate ? RT_ALTER_ONUPDATE_SET : RT_ALTER_ONUPDATE_DROP;
	if (compares_comments(d) && !same_text(from->comment, to->comment)) {
		op->comment_change = to->comment ? RT_ALTER_COMMENT_SET : RT_ALTER_COMMENT_DROP;
		if (to->comment && !(op->comment = rt__diff_keep(d, spelled->comment)))
			return rt__error_nomem();
	}
	if (!rt__literal_equal(&from->server_default, &to->server_default)) {
		if (to->server_default.kind == RT_LITERAL_NONE) {
			op->default_change = RT_ALTER_DEFAULT_DROP;
		} else {
			op->default_change = RT_ALTER_DEFAULT_SET;
			if (rt__diff_copy_literal(d->arena, &op->server_default,
						  &spelled->server_default) < 0)
				return RT_ENOMEM;
		}
	}
	return RT_OK;
}

/* Are the two columns of one type, in the models' words or as the
 * dialect declares them in their tables? A table whose options change is
 * made again (a rebuild) with the types the scripts gave its columns,
 * where they are known: out of SQLite's STRICT, a change STRICT declared
 * the same (int to bigint, both INTEGER), and so wrote no script, shows
 * again, so the column's type as the scripts left it is compared with
 * the models' own words. */
static bool same_column_type(const rt_differ *d, const rt_table *from_table,
			     const rt_column *from, const rt_table *to_table, const rt_column *to)
{
	const rt_table *made = from_table->options != to_table->options && d->opts->scripts
				       ? rt__schema_find_table(d->opts->scripts, from_table->name)
				       : NULL;
	const rt_column *as_made = made ? rt__table_find_column(made, from->name) : NULL;
	if (as_made)
		return rt__diff_same_type(&as_made->type,
					  &rt__diff_model_column(d, to_table, to)->type);
	return rt__diff_same_type(&from->type, &to->type) ||
	       (d->dialect && d->dialect->same_declared_type &&
		d->dialect->same_declared_type(from_table, from, to_table, to));
}

/*
 * A column whose generation changed (its expression, stored or virtual,
 * or generated at all) is dropped and added again: no database alters a
 * generation in place everywhere, and a generated column's values are
 * computed, so nothing is lost. A plain column that becomes generated
 * does lose its values (they are computed from then on), and one that
 * stops being generated comes back empty: the note says which.
 */
static int file_replace_column(rt_differ *d, const rt_table *table, const rt_column *from,
			       const rt_column *to)
{
	rt_op *add_new[2], *drop_new, *add_old[2], *drop_old;
	int rc;
	if ((rc = adding(d, table, rt__diff_model_column(d, table, to), add_new, &drop_new)) < 0 ||
	    (rc = adding(d, table, from, add_old, &drop_old)) < 0)
		return rc;
	const char *why =
		from->generated && to->generated
			? "its generation changed: dropped and added again (its values are "
			  "computed, nothing is lost)"
		: to->generated
			? "it becomes generated: dropped and added again (its values are "
			  "computed from now on; the ones it holds are lost)"
			: "it is no longer generated: dropped and added again, empty (copy "
			  "its values first if they are to be kept)";
	drop_old->note = rt__arena_printf(d->arena, "%s.%s: %s", table->name, to->name, why);
	drop_new->note = rt__arena_printf(d->arena, "%s.%s: its generation goes back: dropped "
					  "and added again", table->name, to->name);
	if (!drop_old->note || !drop_new->note)
		return rt__error_nomem();
	/* Two steps, so that each inverse keeps its order: the upgrade drops
	 * (DROP_COLUMN phase) then adds (ALTER_COLUMN, later); the downgrade
	 * drops the new column, then adds the old one back. */
	if ((rc = rt__diff_step2(d, RT_DIFF_DROP_COLUMN, drop_old, NULL, add_old[0],
				 add_old[1])) < 0)
		return rc;
	return rt__diff_step2(d, RT_DIFF_ALTER_COLUMN, add_new[0], add_new[1], drop_new, NULL);
}

static int compare_column(rt_differ *d, const rt_table *from_table, const rt_table *table,
			  const rt_column *from, const rt_column *to)
{
	if (!rt__column_generation_equal(from, to))
		return file_replace_column(d, table, from, to);
	if (from->autoincrement != to->autoincrement &&
	    rt__diff_warn(d, "column %s.%s: autoincrement is %s in the database and %s in the "
			     "models; no operation changes it", table->name, to->name,
			  from->autoincrement ? "on" : "off", to->autoincrement ? "on" : "off") < 0)
		return RT_ENOMEM;
	bool same_type = same_column_type(d, from_table, from, table, to);
	if (same_type && from->nullable == to->nullable &&
	    rt__literal_equal(&from->server_default, &to->server_default) &&
	    same_text(from->collation, to->collation) &&
	    from->server_onupdate == to->server_onupdate &&
	    (!compares_comments(d) || same_text(from->comment, to->comment)))
		return RT_OK;
	rt_op *up = rt__diff_op(d, RT_OP_ALTER_COLUMN, table->name);
	rt_op *down = rt__diff_op(d, RT_OP_ALTER_COLUMN, table->name);
	int rc;
	if (!up || !down)
		return RT_ENOMEM;
	if ((rc = fill_alter(d, up, from, to, rt__diff_model_column(d, table, to), same_type)) < 0 ||
	    (rc = fill_alter(d, down, to, from, from, same_type)) < 0)
		return rc;
	/* Back from an array to one value (but text, which takes its {...}
	 * form) would lose the other elements: the downgrade is refused
	 * until the script says how, and the script says so where it will
	 * be read. */
	rt_type_kind one = from->type.kind;
	if (to->type.array && !from->type.array && one != RT_TYPE_STRING && one != RT_TYPE_CHAR &&
	    one != RT_TYPE_TEXT && one != RT_TYPE_SQL &&
	    !(down->note = rt__arena_printf(d->arena,
					    "%s.%s: an array back to one value would lose its "
					    "other elements; this is refused until it says how, "
					    "e.g. using '%s[1]' (the first)",
					    table->name, to->name, to->name)))
		return rt__error_nomem();
	/* A default naming an object the revision renames (nextval of a
	 * renamed sequence) is put back once the object has its old name
	 * again, after the downgrade's renames. */
	if (from->server_default.text &&
	    rt__diff_names_renamed_object(d, from->server_default.text)) {
		rc = rt__diff_step(d, RT_DIFF_ALTER_COLUMN, up, NULL);
		return rc < 0 ? rc
			      : rt__diff_step2(d, RT_DIFF_DROP_SQL_OBJECT, NULL, NULL, down, NULL);
	}
	return rt__diff_step(d, RT_DIFF_ALTER_COLUMN, up, down);
}

static int compare_columns(rt_differ *d, const rt_table *from, const rt_table *to)
{
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < to->column_count; i++) {
		const rt_column *column = rt__table_find_column(from, to->columns[i]->name);
		rc = column ? compare_column(d, from, to, column, to->columns[i])
			    : file_add_column(d, to, to->columns[i]);
	}
	/* Last column first: the downgrade, which runs the steps the other
	 * way round, then adds them back in the table's order. */
	for (size_t i = from->column_count; rc == RT_OK && i-- > 0;)
		if (!rt__table_find_column(to, from->columns[i]->name))
			rc = file_drop_column(d, from, from->columns[i]);
	return rc;
}

/* --- constraints and indexes ---------------------------------------------------- */

static rt_diff_phase add_phase(const rt_constraint *c)
{
	switch (c->kind) {
	case RT_CONSTRAINT_PRIMARY_KEY:
	case RT_CONSTRAINT_UNIQUE:
		return RT_DIFF_ADD_KEY;
	case RT_CONSTRAINT_FOREIGN_KEY:
		return RT_DIFF_ADD_FOREIGN_KEY;
	case RT_CONSTRAINT_CHECK:
		break;
	}
	return RT_DIFF_ADD_CONSTRAINT;
}

static int file_index(rt_differ *d, const rt_table *table, const rt_index *index, bool add);

const rt_index *rt__diff_spelled_as_index(const rt_schema *spelling, const char *table,
					  const rt_constraint *c)
{
	const rt_table *t = spelling ? rt__schema_find_table(spelling, table) : NULL;
	const rt_index *index = t && c->kind == RT_CONSTRAINT_UNIQUE ? find_index(t, c->name)
								      : NULL;
	/* By name and width, not by column names: the scripts know a column
	 * renamed in this same revision by the name it had. */
	return index && index->unique && rt__index_is_plain(index) &&
			       index->key_count == c->column_count
		       ? index
		       : NULL;
}

/* Adding c to table (up) and dropping it (down); swapped for a drop. */
static int file_constraint(rt_differ *d, const rt_table *table, const rt_constraint *c,
			   bool add)
{
	/* The scripts know a renamed table by the name it had. */
	const char *spelled = table->name;
	const rt_diff_pair *pair = add ? NULL : rt__map_get(&d->pair_of_to, table->name);
	if (pair && pair->from)
		spelled = pair->from->name;
	const rt_index *index =
		rt__diff_spelled_as_index(add ? d->models : d->opts->scripts, spelled, c);
	if (index) {
		/* As the scripts made it, on the columns as they are named now
		 * (a plain index: its keys are ascending columns). */
		rt_index now = *index;
		rt_index_key *keys = rt__arena_alloc(d->arena, c->column_count * sizeof(*keys));
		if (!keys)
			return rt__error_nomem();
		for (size_t i = 0; i < c->column_count; i++)
			keys[i] = (rt_index_key){.column = c->columns[i]};
		now.keys = keys;
		now.key_count = c->column_count;
		return file_index(d, table, &now, add);
	}
	rt_constraint *def = rt__diff_copy_constraint(d->arena, c);
	rt_op *added = rt__diff_op(d, RT_OP_ADD_CONSTRAINT, table->name);
	rt_op *dropped = rt__diff_op(d, RT_OP_DROP_CONSTRAINT, table->name);
	if (!def || !added || !dropped)
		return RT_ENOMEM;
	added->name = dropped->name = def->name;
	added->constraint = dropped->constraint = def;
	if (add)
		return rt__diff_step(d, add_phase(c), added, dropped);
	rt_diff_phase phase = c->kind == RT_CONSTRAINT_FOREIGN_KEY ? RT_DIFF_DROP_FOREIGN_KEY
								   : RT_DIFF_DROP_CONSTRAINT;
	return rt__diff_step(d, phase, dropped, added);
}

int rt__diff_add_foreign_key(rt_differ *d, const rt_table *table, const rt_constraint *c)
{
	return file_constraint(d, table, c, true);
}

int rt__diff_drop_foreign_key(rt_differ *d, const rt_table *table, const rt_constraint *c)
{
	return file_constraint(d, table, c, false);
}

static int file_index(rt_differ *d, const rt_table *table, const rt_index *index, bool add)
{
	rt_index *def = rt__diff_copy_index(d->arena, index);
	rt_op *created = rt__diff_op(d, RT_OP_CREATE_INDEX, table->name);
	rt_op *dropped = rt__diff_op(d, RT_OP_DROP_INDEX, table->name);
	if (!def || !created || !dropped)
		return RT_ENOMEM;
	created->name = dropped->name = def->name;
	created->index = dropped->index = def;
	if (add)
		return rt__diff_step(d, index->unique ? RT_DIFF_ADD_KEY : RT_DIFF_ADD_CONSTRAINT,
				     created, dropped);
	return rt__diff_step(d, RT_DIFF_DROP_CONSTRAINT, dropped, created);
}

/* A key (primary, unique constraint or unique index) that the upgrade
 * drops, or adds and so the downgrade drops: foreign keys referencing its
 * columns must be dropped before it. */
typedef struct lost_key {
	const char *table;
	const char *const *columns;
	size_t column_count;
} lost_key;

typedef struct lost_keys {
	lost_key *items;
	size_t count, cap;
} lost_keys;

static int lose(rt_differ *d, lost_keys *lost, const char *table, const char *const *columns,
		size_t count)
{
	lost_key key = {table, columns, count};
	return RT_ARENA_PUSH(d->tmp, lost->items, lost->count, lost->cap, key) < 0
		       ? rt__error_nomem()
		       : RT_OK;
}

/* Could a database tie a foreign key to this unique index? PostgreSQL
 * takes any unique index on the key's columns that is on every row and
 * has no expression key: DESC keys and INCLUDE columns too, though the
 * language only lets a plain one stand for a key (rt__index_is_plain). */
static bool may_serve_foreign_key(const rt_index *index)
{
	if (!index->unique || index->where)
		return false;
	for (size_t i = 0; i < index->key_count; i++)
		if (!index->keys[i].column)
			return false;
	return true;
}

/* The keys of table `a` that `b`, the same table on the other side, lacks
 * or has changed. */
static int collect_keys_gone(rt_differ *d, lost_keys *lost, const rt_table *a,
			     const rt_table *b)
{
	const rt_constraint *pk = a->primary_key;
	if (pk && !(b->primary_key && same_constraint(pk, b->primary_key)) &&
	    lose(d, lost, a->name, pk->columns, pk->column_count) < 0)
		return RT_ENOMEM;
	for (size_t i = 0; i < a->constraint_count; i++) {
		const rt_constraint *c = a->constraints[i];
		const rt_constraint *other = find_constraint(b, c->name);
		if (c->kind == RT_CONSTRAINT_UNIQUE && !(other && same_constraint(c, other)) &&
		    lose(d, lost, a->name, c->columns, c->column_count) < 0)
			return RT_ENOMEM;
	}
	for (size_t i = 0; i < a->index_count; i++) {
		const rt_index *index = a->indexes[i];
		const rt_index *other = find_index(b, index->name);
		if (!may_serve_foreign_key(index) || (other && same_index(index, other)))
			continue;
		const char **columns = rt__arena_alloc(d->tmp, index->key_count * sizeof(*columns));
		if (!columns && index->key_count)
			return rt__error_nomem();
		for (size_t k = 0; k < index->key_count; k++)
			columns[k] = index->keys[k].column;
		if (lose(d, lost, a->name, columns, index->key_count) < 0)
			return RT_ENOMEM;
	}
	return RT_OK;
}

/* Only tables both sides have: a table that goes takes the foreign keys
 * to it first, and one that comes has none yet. */
static int collect_lost_keys(rt_differ *d, lost_keys *lost)
{
	for (size_t t = 0; t < d->from->table_count; t++) {
		const rt_table *from = d->from->tables[t];
		const rt_table *to = rt__schema_find_table(d->to, from->name);
		int rc = to ? collect_keys_gone(d, lost, from, to) : RT_OK;
		if (rc == RT_OK && to)
			rc = collect_keys_gone(d, lost, to, from);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static bool references_lost_key(const lost_keys *lost, const rt_constraint *fk)
{
	for (size_t i = 0; i < lost->count; i++) {
		const lost_key *key = &lost->items[i];
		if (same_text(key->table, fk->ref_table) &&
		    rt__names_same_set(key->columns, key->column_count, fk->ref_columns,
				  fk->ref_column_count))
			return true;
	}
	return false;
}

static int file_table_options(rt_differ *d, const rt_table *table, unsigned from, unsigned to,
			      rt_diff_phase phase);

/* The options of a table stored by its primary key (SQLite's WITHOUT
 * ROWID) that a change of that key must clear around it: from the table
 * as it is (before the key is dropped), or as it will be (after the new
 * key is added). No table can be without one in between. */
static unsigned keyed_options(const rt_table *from, const rt_table *to, bool before)
{
	const rt_constraint *a = from->primary_key, *b = to->primary_key;
	if (a && b && same_constraint(a, b))
		return 0;
	const rt_table *side = before ? from : to;
	return side->primary_key ? side->options & RT_TABLE_OPTIONS_NEED_KEY : 0;
}

static int compare_primary_keys(rt_differ *d, const rt_table *from, const rt_table *to)
{
	const rt_constraint *a = from->primary_key, *b = to->primary_key;
	if (a && b && same_constraint(a, b))
		return RT_OK;
	unsigned held_before = keyed_options(from, to, true);
	unsigned held_after = keyed_options(from, to, false);
	int rc = RT_OK;
	if (held_before)
		rc = file_table_options(d, to, held_before, 0, RT_DIFF_DROP_CONSTRAINT);
	if (rc == RT_OK && a)
		rc = file_constraint(d, from, a, false);
	if (rc == RT_OK && b)
		rc = file_constraint(d, to, b, true);
	if (rc == RT_OK && held_after)
		rc = file_table_options(d, to, 0, held_after, RT_DIFF_ADD_KEY);
	return rc;
}

static int compare_constraints(rt_differ *d, const rt_table *from, const rt_table *to,
			       const lost_keys *lost)
{
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < from->constraint_count; i++) {
		const rt_constraint *c = from->constraints[i];
		const rt_constraint *now = find_constraint(to, c->name);
		bool keep = now && same_constraint(c, now) &&
			    !(c->kind == RT_CONSTRAINT_FOREIGN_KEY && references_lost_key(lost, c));
		if (!keep)
			rc = file_constraint(d, from, c, false);
	}
	for (size_t i = 0; rc == RT_OK && i < to->constraint_count; i++) {
		const rt_constraint *c = to->constraints[i];
		const rt_constraint *was = find_constraint(from, c->name);
		bool kept = was && same_constraint(was, c) &&
			    !(c->kind == RT_CONSTRAINT_FOREIGN_KEY && references_lost_key(lost, was));
		if (!kept)
			rc = file_constraint(d, to, c, true);
	}
	return rc;
}

static int compare_indexes(rt_differ *d, const rt_table *from, const rt_table *to)
{
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < from->index_count; i++) {
		const rt_index *index = from->indexes[i];
		const rt_index *now = find_index(to, index->name);
		if (!now || !same_index(index, now))
			rc = file_index(d, from, index, false);
	}
	for (size_t i = 0; rc == RT_OK && i < to->index_count; i++) {
		const rt_index *index = to->indexes[i];
		const rt_index *was = find_index(from, index->name);
		if (!was || !same_index(was, index))
			rc = file_index(d, to, index, true);
	}
	return rc;
}

/* alter table t [collate NAME | drop collate] [comment '...' | drop
 * comment], and back: what of the table's collation (none: the
 * database's default) and comment differs, in the models' spelling. */
static int file_table_alter(rt_differ *d, const rt_table *from, const rt_table *to)
{
	bool comment = compares_comments(d) && !same_text(from->comment, to->comment);
	bool collation = !same_text(from->collation, to->collation);
	if (!comment && !collation)
		return RT_OK;
	const rt_table *models = rt__diff_model_table(d, to);
	rt_op *up = rt__diff_op(d, RT_OP_ALTER_TABLE, to->name);
	rt_op *down = rt__diff_op(d, RT_OP_ALTER_TABLE, to->name);
	if (!up || !down)
		return RT_ENOMEM;
	if (comment) {
		up->comment_change = to->comment ? RT_ALTER_COMMENT_SET : RT_ALTER_COMMENT_DROP;
		down->comment_change = from->comment ? RT_ALTER_COMMENT_SET : RT_ALTER_COMMENT_DROP;
		if ((to->comment && !(up->comment = rt__diff_keep(
					      d, models->comment ? models->comment : to->comment))) ||
		    (from->comment && !(down->comment = rt__diff_keep(d, from->comment))))
			return rt__error_nomem();
	}
	if (collation) {
		up->collation_change =
			to->collation ? RT_ALTER_COLLATION_SET : RT_ALTER_COLLATION_DROP;
		down->collation_change =
			from->collation ? RT_ALTER_COLLATION_SET : RT_ALTER_COLLATION_DROP;
		if ((to->collation &&
		     !(up->collation = rt__diff_keep(d, models->collation ? models->collation
									 : to->collation))) ||
		    (from->collation && !(down->collation = rt__diff_keep(d, from->collation))))
			return rt__error_nomem();
	}
	return rt__diff_step(d, RT_DIFF_ALTER_COLUMN, up, down);
}

/* alter table t strict (or without rowid, not strict, ...): the options
 * from become to, and back. */
static int file_table_options(rt_differ *d, const rt_table *table, unsigned from, unsigned to,
			      rt_diff_phase phase)
{
	rt_op *up = rt__diff_op(d, RT_OP_ALTER_TABLE, table->name);
	rt_op *down = rt__diff_op(d, RT_OP_ALTER_TABLE, table->name);
	if (!up || !down)
		return RT_ENOMEM;
	up->options_set = down->options_clear = to & ~from;
	up->options_clear = down->options_set = from & ~to;
	return rt__diff_step(d, phase, up, down);
}

static int compare_table(rt_differ *d, const rt_table *from, const rt_table *to,
			 const lost_keys *lost)
{
	int rc;
	if ((rc = rt__diff_check_partitioning(d, from, to)) < 0)
		return rc;
	/* Options a change of the primary key clears around it are put back
	 * after it (compare_primary_keys), not here. */
	unsigned options_from = from->options & ~keyed_options(from, to, true);
	unsigned options_to = to->options & ~keyed_options(from, to, false);
	if (options_from != options_to &&
	    (rc = file_table_options(d, to, options_from, options_to, RT_DIFF_ALTER_COLUMN)) < 0)
		return rc;
	if ((rc = file_table_alter(d, from, to)) < 0)
		return rc;
	if ((rc = compare_columns(d, from, to)) < 0 ||
	    (rc = compare_primary_keys(d, from, to)) < 0 ||
	    (rc = compare_constraints(d, from, to, lost)) < 0)
		return rc;
	return compare_indexes(d, from, to);
}

int rt__diff_tables(rt_differ *d)
{
	lost_keys lost = {0};
	int rc = collect_lost_keys(d, &lost);
	for (size_t i = 0; rc == RT_OK && i < d->to->table_count; i++) {
		const rt_table *to = d->to->tables[i];
		const rt_table *from = rt__schema_find_table(d->from, to->name);
		if (from)
			rc = compare_table(d, from, to, &lost);
	}
	return rc;
}
