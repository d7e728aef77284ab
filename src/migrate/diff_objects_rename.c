/*
 * diff_objects_rename.c - autogenerate's renames of domains, sequences,
 * functions, aggregates, procedures, views, materialized views and
 * triggers (diff_impl.h).
 *
 * `view v2 was v1` in the models says that v1 became v2. Without it the
 * differ would drop v1 and make v2, which loses what the object holds (a
 * sequence's value, a materialized view's rows) and fails where another
 * object depends on it. So when the database has v1 (a routine with the
 * same arguments, a trigger on the same table), the models no longer
 * have it, and the database has no v2, the upgrade renames v1 to v2 and
 * the downgrade v2 back to v1. The object is then renamed in base too,
 * its CREATE statement saying the new name (rt__sql_object_rename): the
 * comparison of the objects that follows sees one object, and replaces
 * it after the rename when its SQL changed beyond the name.
 *
 * What names a renamed object by its old name and changes with the
 * revision (a column's default calling nextval of a renamed sequence)
 * is put back in the downgrade only once the object has its old name
 * again: rt__diff_names_renamed_object tells the differ so.
 *
 * An object no script made is not managed (DESIGN §6.1): the runner
 * could not rename what its scripts' state lacks, so it is left alone,
 * listed as such, and the new name is made.
 */
#include <string.h>

#include "base/error.h"
#include "migrate/diff_impl.h"

/* The object of base the models' o was, or NULL. */
static rt_sql_object *previous(const rt_differ *d, const rt_sql_object *o)
{
	if (!o->was || rt__schema_find_sql_object(d->base, o))
		return NULL;
	rt_sql_object key = *o;
	key.name = o->was;
	rt_sql_object *old = rt__schema_find_sql_object(d->base, &key);
	if (!old || rt__schema_find_sql_object(d->to, old))
		return NULL;
	if (d->opts->scripts && !rt__schema_find_sql_object(d->opts->scripts, old))
		return NULL;
	return old;
}

static int rename_one(rt_differ *d, rt_sql_object *old, const rt_sql_object *o)
{
	rt_op *up = rt__diff_object_op(d, RT_OP_RENAME_OBJECT, old, NULL, NULL);
	rt_op *down = up ? rt__diff_object_op(d, RT_OP_RENAME_OBJECT, old, NULL, NULL) : NULL;
	if (!down || !(up->new_name = rt__diff_keep(d, o->name)) ||
	    !(down->object->name = rt__diff_keep(d, o->name)) ||
	    !(down->new_name = rt__diff_keep(d, old->name)))
		return rt__error_nomem();
	down->name = down->object->name;
	const char *was = old->name;
	int rc = rt__diff_step(d, RT_DIFF_RENAME_SQL_OBJECT, up, down);
	if (rc == RT_OK)
		rc = rt__sql_object_rename(d->base->arena, old, o->name);
	/* The columns of a renamed domain follow it, as in the database:
	 * no column changes type. */
	if (rc == RT_OK && old->kind == RT_SQL_DOMAIN && (rc = rt__diff_own_from(d)) == RT_OK)
		rc = rt__schema_rename_domain_uses(d->from, was, o->name);
	return rc;
}

bool rt__diff_names_renamed_object(const rt_differ *d, const char *sql)
{
	const rt_diff_steps *steps = &d->phases[RT_DIFF_RENAME_SQL_OBJECT];
	for (size_t i = 0; sql && i < steps->count; i++)
		if (rt__sql_mentions(sql, steps->items[i].up[0]->object->name))
			return true;
	return false;
}

const char *rt__diff_old_name(const rt_differ *d, const rt_sql_object *v)
{
	const rt_diff_steps *steps = &d->phases[RT_DIFF_RENAME_SQL_OBJECT];
	for (size_t i = 0; i < steps->count; i++) {
		const rt_op *up = steps->items[i].up[0];
		if (up->object->kind == v->kind && strcmp(up->new_name, v->name) == 0)
			return rt__sql_object_sql_name(up->object);
	}
	return NULL;
}

int rt__diff_rename_sql_objects(rt_differ *d)
{
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < d->to->sql_object_count; i++) {
		const rt_sql_object *o = d->to->sql_objects[i];
		rt_sql_object *old = previous(d, o);
		if (old)
			rc = rename_one(d, old, o);
	}
	return rc;
}
