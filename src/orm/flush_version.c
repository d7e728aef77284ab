/*
 * flush_version.c - optimistic locking (a column declared `version`,
 * SQLAlchemy's version_id_col) in the flush (orm/flush.h).
 *
 * A new row's version is 1. Each UPDATE the flush writes of the row says
 * `SET ..., v = v + 1 WHERE <key> AND v = ?` with the version the object
 * was loaded with (its snapshot), and each DELETE `... AND v = ?`: a
 * row someone else changed or deleted since then matches nothing. The
 * flush counts the rows its statements matched (on MariaDB the found
 * rows, CLIENT_FOUND_ROWS; the version's own change makes every matched
 * row an affected one anyway), and a short count is RT_ESTALE naming the
 * model and the key of the row, found by reading the rows' versions.
 */
#include "orm/flush.h"

#include "base/error.h"

int rt__version_column(const rt_model_desc *model)
{
	for (int i = 0; i < model->column_count; i++)
		if (model->columns[i].flags & RT_COLUMN_VERSION)
			return i;
	return -1;
}

int64_t rt__int_field_get(const rt_column_desc *c, const void *body)
{
	const char *f = (const char *)body + c->offset;
	switch (c->kind) {
	case RT_FIELD_INT16: return *(const int16_t *)(const void *)f;
	case RT_FIELD_INT32: return *(const int32_t *)(const void *)f;
	default: return *(const int64_t *)(const void *)f;
	}
}

void rt__int_field_set(const rt_column_desc *c, void *body, int64_t value)
{
	char *f = (char *)body + c->offset;
	switch (c->kind) {
	case RT_FIELD_INT16: *(int16_t *)(void *)f = (int16_t)value; break;
	case RT_FIELD_INT32: *(int32_t *)(void *)f = (int32_t)value; break;
	default: *(int64_t *)(void *)f = value; break;
	}
}

void rt__version_start(rt_object *object)
{
	int v = rt__version_column(object->model);
	if (v < 0)
		return;
	const rt_column_desc *c = &object->model->columns[v];
	void *body = RT_OBJECT_BODY(object);
	/* A value the program gave (a row copied from elsewhere) is kept. */
	if (rt__int_field_get(c, body) == 0)
		rt__int_field_set(c, body, 1);
}

void rt__version_bumped(const rt_model_desc *model, rt_object *const *objects, size_t count)
{
	int v = rt__version_column(model);
	if (v < 0)
		return;
	const rt_column_desc *c = &model->columns[v];
	for (size_t i = 0; i < count; i++)
		rt__int_field_set(c, RT_OBJECT_BODY(objects[i]),
				rt__int_field_get(c, rt__object_snapshot(objects[i])) + 1);
}

/* SELECT v FROM t WHERE <key>: a row's version now, or none. */
static int read_version(rt_conn *conn, const rt_model_desc *model, int v, const void *key_body,
			bool *found, int64_t *version)
{
	const rt_dialect *d = conn->dialect;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "SELECT ");
	d->quote_ident(&sql, model->columns[v].name);
	rt__buf_puts(&sql, " FROM ");
	rt__sql_table(&sql, d, model->schema, model->table);
	for (int k = 0; k < model->primary_key_count; k++) {
		rt__buf_puts(&sql, k ? " AND " : " WHERE ");
		d->quote_ident(&sql, model->columns[model->primary_key[k]].name);
		rt__buf_puts(&sql, " = ?");
	}
	rt_stmt *stmt = NULL;
	int rc = rt__buf_failed(&sql) ? rt__error_nomem()
				      : rt__conn_statement(conn, rt__buf_cstr(&sql), &stmt);
	rt__buf_free(&sql);
	for (int k = 0; k < model->primary_key_count && rc == RT_OK; k++)
		rc = rt__field_bind(stmt, k + 1, model, model->primary_key[k], key_body);
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	*found = rc == RT_ROW;
	if (rc == RT_ROW)
		*version = rt_stmt_column_int64(stmt, 0);
	if (stmt) {
		int reset = rt_stmt_reset(stmt);
		if (rc >= 0)
			rc = reset;
	}
	return rc < 0 ? rc : RT_OK;
}

static int stale_message(const rt_model_desc *model, const rt_object *object, int64_t expected,
			 bool found, int64_t now)
{
	rt_buf key = RT_BUF_INIT;
	rt__describe_key(&key, model, rt__object_snapshot(object));
	const char *k = rt__buf_failed(&key) ? "its key" : rt__buf_cstr(&key);
	int rc = found ? rt__error_set(RT_ESTALE, "%s %s is stale: someone else changed the row "
						  "(version %lld, not %lld as loaded)",
				       model->name, k, (long long)now, (long long)expected)
		       : rt__error_set(RT_ESTALE, "%s %s is stale: someone else deleted the row "
						  "(version %lld as loaded)",
				       model->name, k, (long long)expected);
	rt__buf_free(&key);
	return rc;
}

int rt__version_stale(rt_conn *conn, const rt_model_desc *model, const rt_object *object)
{
	int v = rt__version_column(model);
	bool found = false;
	int64_t now = 0;
	int rc = read_version(conn, model, v, rt__object_snapshot(object), &found, &now);
	if (rc < 0)
		return rc;
	return stale_message(model, object,
			     rt__int_field_get(&model->columns[v], rt__object_snapshot(object)), found, now);
}

int rt__version_find_stale_delete(rt_conn *conn, const rt_model_desc *model,
				  rt_object *const *objects, size_t count)
{
	int v = rt__version_column(model);
	for (size_t i = 0; i < count; i++) {
		bool found = false;
		int64_t now = 0;
		int rc = read_version(conn, model, v, rt__object_snapshot(objects[i]), &found, &now);
		if (rc < 0)
			return rc;
		/* Its DELETE matched nothing: someone else changed it. */
		if (found)
			return stale_message(model, objects[i],
					     rt__int_field_get(&model->columns[v],
							       rt__object_snapshot(objects[i])),
					     true, now);
	}
	/* Every row is gone: one was deleted by someone else first. */
	return rt__error_set(RT_ESTALE, "%s: a row was deleted by someone else since it was "
					"loaded",
			     model->name);
}
