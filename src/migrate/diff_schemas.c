/*
 * diff_schemas.c - the PostgreSQL schemas (namespaces) of a comparison:
 * a schema the models' tables use and the database lacks is created
 * before them (`create schema`, its inverse `drop schema` in the
 * downgrade, which the database refuses while anything is left in it). A
 * schema the models no longer use is never dropped: it may hold what
 * retort does not manage, and it is the database's, not the scripts'.
 *
 * A table is told by its schema and name, so a table the models move to
 * another schema would read as one dropped and one created, losing its
 * rows: refused by name instead (docs/migrations.md says how to move one).
 */
#include <string.h>

#include "base/error.h"
#include "migrate/diff_impl.h"

/* The table of base no pair holds whose SQL name is table's, in another
 * schema, or NULL. */
static const rt_table *moved_from(const rt_differ *d, const rt_table *table)
{
	const char *name = rt__table_sql_name(table);
	for (size_t i = 0; i < d->base->table_count; i++) {
		const rt_table *old = d->base->tables[i];
		if (rt__map_get(&d->pair_of_from, old->name) ||
		    strcmp(rt__table_sql_name(old), name) != 0)
			continue;
		bool same_schema = old->schema && table->schema
					   ? strcmp(old->schema, table->schema) == 0
					   : old->schema == table->schema;
		if (!same_schema)
			return old;
	}
	return NULL;
}

int rt__diff_namespaces(rt_differ *d)
{
	for (size_t i = 0; i < d->to->table_count; i++) {
		const rt_table *table = d->to->tables[i];
		if (rt__map_get(&d->pair_of_to, table->name))
			continue;
		const rt_table *old = moved_from(d, table);
		if (old)
			return rt__error_set(
				RT_EINVAL,
				"table %s: the models move it from schema %s to schema %s; "
				"autogenerate does not move a table between schemas (a drop "
				"and a create would lose its rows): move it in a script of its "
				"own, execute 'ALTER TABLE %s SET SCHEMA %s' only postgresql, "
				"or keep it in schema %s",
				rt__table_sql_name(table),
				old->schema ? old->schema : RT_DEFAULT_SCHEMA,
				table->schema ? table->schema : RT_DEFAULT_SCHEMA, old->name,
				table->schema ? table->schema : RT_DEFAULT_SCHEMA,
				old->schema ? old->schema : RT_DEFAULT_SCHEMA);
	}
	for (size_t i = 0; i < d->to->namespace_count; i++) {
		const char *name = d->to->namespaces[i];
		if (rt__schema_has_namespace(d->base, name))
			continue;
		rt_op *up = rt__diff_op(d, RT_OP_CREATE_SCHEMA, NULL);
		rt_op *down = rt__diff_op(d, RT_OP_DROP_SCHEMA, NULL);
		if (!up || !down || !(up->name = rt__diff_keep(d, name)) ||
		    !(down->name = up->name))
			return rt__error_nomem();
		int rc = rt__diff_step(d, RT_DIFF_CREATE_SCHEMA, up, down);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}
