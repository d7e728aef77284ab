/*
 * flush_joined.c - the flush's statements for a model of joined-table
 * inheritance, whose row is one row in each table of its chain
 * (joined.c's rt_table_part, root first).
 *
 * INSERT writes the root's table first (the discriminator is among its
 * columns, and its generated key is read back into the struct), then each
 * joined table top down with that key. UPDATE writes only the tables
 * whose columns changed, except that a versioned root's row is always
 * updated (the version counts changes to the object, whichever table
 * holds them). DELETE removes the rows bottom up, the root's last: the
 * foreign keys' ON DELETE CASCADE would do it on a database that enforces
 * them, but SQLite does so only with foreign_keys on, so the flush does
 * not count on it.
 */
#include "orm/flush.h"

#include "base/error.h"
#include "orm/joined.h"

int rt__joined_insert(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		      rt_object *const *objects, size_t count, const rt_colset *columns)
{
	const rt_table_part *parts;
	int part_count;
	int rc = rt__joined_parts(session, model, &parts, &part_count);
	for (int p = 0; p < part_count && rc == RT_OK; p++) {
		const rt_model_desc *table = &parts[p].desc;
		rt_colset written;
		rt__joined_columns(&parts[p], columns, &written);
		/* Below the root the key is the root row's, known now. */
		for (int k = 0; p > 0 && k < table->primary_key_count; k++)
			rt__colset_add(&written, table->primary_key[k]);
		rc = rt__flush_insert(session, conn, table, objects, count, &written);
		if (rc < 0 && p > 0)
			rt__error_wrap("inserting into %s", table->table);
	}
	return rc;
}

int rt__joined_update(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		      rt_object *const *objects, size_t count, const rt_colset *columns)
{
	const rt_model_desc *root = rt__model_root(model);
	for (int k = 0; k < root->primary_key_count; k++)
		if (rt__colset_has(columns, root->primary_key[k]))
			return rt__error_set(RT_EINVAL, "%s: the primary key of a model whose "
						      "rows span tables (joined-table inheritance) "
						      "cannot change; delete the object and add a new one",
					     model->name);
	const rt_table_part *parts;
	int part_count;
	int rc = rt__joined_parts(session, model, &parts, &part_count);
	for (int p = 0; p < part_count && rc == RT_OK; p++) {
		const rt_model_desc *table = &parts[p].desc;
		rt_colset changed;
		rt__joined_columns(&parts[p], columns, &changed);
		if (rt__colset_empty(&changed) && rt__version_column(table) < 0)
			continue;
		rc = rt__flush_update(session, conn, table, objects, count, &changed);
		if (rc == RT_OK)
			rc = rt__flush_read_generated(session, conn, table, objects, count);
		if (rc < 0 && p > 0)
			rt__error_wrap("updating %s", table->table);
	}
	return rc;
}

int rt__joined_delete(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		      rt_object *const *objects, size_t count)
{
	const rt_table_part *parts;
	int part_count;
	int rc = rt__joined_parts(session, model, &parts, &part_count);
	for (int p = part_count - 1; p >= 0 && rc == RT_OK; p--) {
		rc = rt__flush_delete(session, conn, &parts[p].desc, objects, count);
		if (rc < 0 && p > 0)
			rt__error_wrap("deleting from %s", parts[p].desc.table);
	}
	return rc;
}

int rt__joined_refuse(const rt_model_desc *model, const char *what)
{
	if (!rt__model_joined_tree(model))
		return RT_OK;
	return rt__error_set(RT_EINVAL, "%s of %s is not supported: its rows span tables "
					"(joined-table inheritance)", what, model->name);
}
