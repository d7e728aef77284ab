/*
 * diff_objects.c - autogenerate's steps for domains, sequences, functions,
 * aggregates, procedures, views, materialized views and triggers
 * (diff_impl.h).
 *
 * An object the models renamed (`was`) has been renamed in base first
 * (diff_objects_rename.c), so it is compared under its new name here.
 * An object of the models that the database lacks is created; one whose
 * SQL differs (compared as the database renders it where autogenerate
 * could have it rendered, else with whitespace aside:
 * rt__sql_object_equal; a materialized view's WITH NO DATA and indexes
 * with it) is replaced, the downgrade putting the old SQL back; one the database has that the models dropped is dropped, with its
 * SQL so the downgrade makes it again. Domains and sequences are made and
 * changed before the tables (a column's type or default names them) and
 * dropped after them; the other kinds are made and replaced after the
 * tables are made and changed, in the models' order (each object after
 * what it reads), and dropped first, newest first, before the tables they
 * read go. What reads a replaced view or materialized view (a view on it,
 * a trigger on it) is dropped first and made again after it, as a view
 * cannot be dropped under another (objects_to_remake). A domain's or
 * sequence's replacement is written from both definitions as the
 * database renders them, where known: ALTER SEQUENCE then sets every
 * option and ALTER DOMAIN finds every constraint by name. An object of
 * the database that neither the models nor the scripts made is not
 * managed (DESIGN §6.1): listed, and left alone.
 */
#include <string.h>

#include "base/error.h"
#include "migrate/diff_impl.h"
#include "sql/ddl.h"

/* A copy of o in the scratch arena, for an operation; sql replaced by
 * sql when given, and a materialized view's WITH NO DATA and indexes
 * those of parts. */
static rt_sql_object *def(rt_differ *d, const rt_sql_object *o, const char *sql,
			  const rt_sql_object *parts)
{
	rt_sql_object *copy = rt__arena_alloc(d->arena, sizeof(*copy));
	if (!copy) {
		rt__error_nomem();
		return NULL;
	}
	copy->kind = o->kind;
	copy->pos = o->pos;
	if (!(copy->name = rt__diff_keep(d, o->name)) ||
	    (o->schema && !(copy->schema = rt__diff_keep(d, o->schema))) || (o->args && !(copy->args = rt__diff_keep(d, o->args))) ||
	    (o->table && !(copy->table = rt__diff_keep(d, o->table))) ||
	    !(copy->sql = rt__diff_keep(d, sql ? sql : o->sql)) ||
	    rt__sql_object_copy_matview(d->arena, copy, parts) < 0) {
		rt__error_nomem();
		return NULL;
	}
	return copy;
}

rt_op *rt__diff_object_op(rt_differ *d, rt_op_kind kind, const rt_sql_object *o, const char *sql,
			  const rt_sql_object *parts)
{
	rt_op *op = rt__diff_op(d, kind, NULL);
	if (op && !(op->object = def(d, o, sql, parts ? parts : o)))
		return NULL;
	if (op) {
		op->name = op->object->name;
		op->table = op->object->table;
	}
	return op;
}

/* The models' spelling of a `to` object (the same unless a dialect
 * rewrote it). */
static const rt_sql_object *model_of(const rt_differ *d, const rt_sql_object *o)
{
	const rt_sql_object *m = rt__schema_find_sql_object(d->models, o);
	return m ? m : o;
}

static rt_diff_phase create_phase(const rt_sql_object *o)
{
	return rt__sql_kind_is_early(o->kind) ? RT_DIFF_CREATE_EARLY_OBJECT
					      : RT_DIFF_CREATE_SQL_OBJECT;
}

static int create(rt_differ *d, const rt_sql_object *o)
{
	rt_op *up = rt__diff_object_op(d, RT_OP_CREATE_OBJECT, model_of(d, o), NULL, NULL);
	rt_op *down = up ? rt__diff_object_op(d, RT_OP_DROP_OBJECT, model_of(d, o), NULL, NULL)
			 : NULL;
	return down ? rt__diff_step(d, create_phase(o), up, down) : RT_ENOMEM;
}

/* Does sql hold a name this revision renames (a table's, a column's or
 * a SQL object's old name)? The renames are filed before the objects are
 * compared. */
static bool names_renamed(const rt_differ *d, const char *sql)
{
	static const rt_diff_phase renames[] = {RT_DIFF_RENAME_TABLE, RT_DIFF_RENAME_COLUMN};
	if (rt__diff_names_renamed_object(d, sql))
		return true;
	for (size_t p = 0; p < sizeof(renames) / sizeof(renames[0]); p++) {
		const rt_diff_steps *steps = &d->phases[renames[p]];
		for (size_t i = 0; i < steps->count; i++) {
			const rt_op *up = steps->items[i].up[0];
			const char *old = up->kind == RT_OP_RENAME_COLUMN ? up->name : up->table;
			if (old && rt__sql_mentions(sql, old))
				return true;
		}
	}
	return false;
}

/* The upgrade replaces the object once the tables are changed; the
 * downgrade puts the old SQL back first, before the tables are changed
 * back (a column the new SQL reads is then no longer read when the
 * downgrade drops it). But old SQL that holds a name the revision renames
 * only makes sense once the renames are undone: its downgrade comes last,
 * after them (a trigger naming the old column name would otherwise stop
 * the rename back on SQLite, or be refused on PostgreSQL). */
static int replace(rt_differ *d, const rt_sql_object *now, const rt_sql_object *o)
{
	const rt_sql_object *model = model_of(d, o);
	/* A domain or sequence is altered from its definitions: the whole
	 * of each as the database renders it (o's rendering is the models'). */
	const char *new_sql = model->sql;
	if (rt__sql_kind_is_early(o->kind) && (o->rendered || model->rendered))
		new_sql = o->rendered ? o->rendered : model->rendered;
	rt_op *up = rt__diff_object_op(d, RT_OP_REPLACE_OBJECT, model, new_sql, NULL);
	rt_op *down = up ? rt__diff_object_op(d, RT_OP_REPLACE_OBJECT, model, now->sql, now) : NULL;
	if (!down || !(up->old_sql = rt__diff_keep(d, now->sql)) ||
	    !(down->old_sql = rt__diff_keep(d, new_sql)))
		return rt__error_nomem();
	if (!names_renamed(d, now->sql))
		return rt__diff_step(d, create_phase(o), up, down);
	int rc = rt__diff_step(d, create_phase(o), up, NULL);
	return rc < 0 ? rc : rt__diff_step2(d, RT_DIFF_DROP_SQL_OBJECT, NULL, NULL, down, NULL);
}

static int drop(rt_differ *d, const rt_sql_object *o)
{
	rt_op *up = rt__diff_object_op(d, RT_OP_DROP_OBJECT, o, NULL, NULL);
	rt_op *down = up ? rt__diff_object_op(d, RT_OP_CREATE_OBJECT, o, NULL, NULL) : NULL;
	rt_diff_phase phase = rt__sql_kind_is_early(o->kind) ? RT_DIFF_DROP_EARLY_OBJECT
							      : RT_DIFF_DROP_SQL_OBJECT;
	return down ? rt__diff_step(d, phase, up, down) : RT_ENOMEM;
}

/* Not managed, to be dropped: the scripts' state has no such object, so
 * the steps are the database's statements (the making of a materialized
 * view is several: its indexes after it). */
static int drop_unmanaged(rt_differ *d, const rt_sql_object *o)
{
	if (!d->dialect)
		return rt__error_set(RT_EINVAL, "dropping what is not managed needs the database's "
						"dialect");
	rt_sql_list drop = {0}, make = {0};
	if (rt__ddl_sql_object(d->tmp, &drop, o, RT_SQL_DROP, d->dialect) < 0 || drop.count != 1 ||
	    rt__ddl_sql_object(d->tmp, &make, o, RT_SQL_CREATE, d->dialect) < 0 || !make.count)
		return rt_error_last()->code ? rt_error_last()->code : RT_ENOMEM;
	/* A domain or sequence once no column names it. */
	rt_diff_phase phase = rt__sql_kind_is_early(o->kind) ? RT_DIFF_DROP_LATE_OBJECT
							      : RT_DIFF_DROP_OBJECT;
	return rt__diff_file_statements(d, phase, drop.items[0], &make);
}

/* Does object x of the database read v, so that v cannot be dropped
 * under it (a view or materialized view naming v; a trigger on v, which
 * goes with it)? The database's SQL of x may name v by the name this
 * revision renames it from: PostgreSQL reads v by identity, and the
 * rename comes first, so x reads v all the same. */
static bool reads(const rt_differ *d, const rt_sql_object *x, const rt_sql_object *v)
{
	if (x == v)
		return false;
	if (x->kind == RT_SQL_TRIGGER)
		return x->table && strcmp(x->table, v->name) == 0;
	if (x->kind != RT_SQL_VIEW && x->kind != RT_SQL_MATERIALIZED_VIEW)
		return false;
	const char *old = rt__diff_old_name(d, v);
	return rt__sql_mentions(x->sql, rt__sql_object_sql_name(v)) ||
	       (old && rt__sql_mentions(x->sql, old));
}

/* Which objects of the database (d->base's, by index) must be dropped
 * and made again around a replaced view or materialized view: replacing
 * one is DROP and CREATE where the backend has no CREATE OR REPLACE for
 * it (a materialized view's, PostgreSQL's view when a column goes), and
 * PostgreSQL will not drop what another view reads. So what reads a
 * replaced one, and what reads that, is dropped first and made again
 * after it, as one would by hand; on a backend that replaces in place
 * this costs nothing but the statements. NULL when there is none (or
 * out of memory: rc). */
static bool *objects_to_remake(rt_differ *d, int *rc)
{
	size_t n = d->base->sql_object_count;
	bool *remake = NULL, any = false;
	*rc = RT_OK;
	for (size_t i = 0; i < n && !any; i++) {
		const rt_sql_object *o = d->base->sql_objects[i];
		const rt_sql_object *m = rt__schema_find_sql_object(d->to, o);
		any = m && (o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW) &&
		      !rt__sql_object_equal(m, o);
	}
	if (!any)
		return NULL;
	bool *replaced = rt__arena_alloc(d->tmp, n * sizeof(*replaced));
	remake = replaced ? rt__arena_alloc(d->tmp, n * sizeof(*remake)) : NULL;
	if (!remake) {
		*rc = rt__error_nomem();
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const rt_sql_object *o = d->base->sql_objects[i];
		const rt_sql_object *m = rt__schema_find_sql_object(d->to, o);
		replaced[i] = m && (o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW) &&
			      !rt__sql_object_equal(m, o);
		remake[i] = false;
	}
	/* what reads a replaced or remade object, until nothing more comes */
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			const rt_sql_object *x = d->base->sql_objects[i];
			if (remake[i] || !rt__schema_find_sql_object(d->to, x))
				continue;
			for (size_t j = 0; j < n && !remake[i]; j++)
				if ((replaced[j] || remake[j]) && reads(d, x, d->base->sql_objects[j]))
					remake[i] = grew = true;
		}
	}
	return remake;
}

int rt__diff_sql_objects(rt_differ *d)
{
	int rc = RT_OK;
	bool *remake = objects_to_remake(d, &rc);
	if (rc < 0)
		return rc;
	/* Newest first: an object is dropped before what it reads. */
	for (size_t i = d->base->sql_object_count; rc == RT_OK && i-- > 0;) {
		const rt_sql_object *o = d->base->sql_objects[i];
		if (remake && remake[i]) {
			rc = drop(d, o);
			continue;
		}
		if (rt__schema_find_sql_object(d->to, o))
			continue;
		if (d->opts->scripts && !rt__schema_find_sql_object(d->opts->scripts, o)) {
			rc = rt__diff_list_unmanaged(d, rt__sql_kind_name(o->kind),
						     o->args ? rt__arena_printf(d->arena, "%s%s",
										o->name, o->args)
							     : o->name,
						     o->table);
			if (rc == RT_OK && d->opts->drop_unmanaged)
				rc = drop_unmanaged(d, o);
			continue;
		}
		rc = drop(d, o);
	}
	for (size_t i = 0; rc == RT_OK && i < d->to->sql_object_count; i++) {
		const rt_sql_object *o = d->to->sql_objects[i];
		const rt_sql_object *now = rt__schema_find_sql_object(d->base, o);
		bool remade = false;
		for (size_t j = 0; remake && now && j < d->base->sql_object_count; j++)
			remade = remade || (remake[j] && d->base->sql_objects[j] == now);
		if (!now || remade)
			rc = create(d, o);
		else if (!rt__sql_object_equal(o, now))
			rc = replace(d, now, o);
	}
	return rc;
}
