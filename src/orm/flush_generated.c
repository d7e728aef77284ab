/*
 * flush_generated.c - a model's generated columns (`generated '...'`) and
 * columns the database sets on update (`server onupdate now`) read back
 * after an UPDATE (orm/flush.h). The database computes them, so an UPDATE
 * changes them without the program writing them: each updated object
 * gets them again, by its key, in one SELECT per object; a model without
 * such a column costs nothing. (An INSERT reads generated columns back
 * with its other generated values: flush_write.c.)
 */
#include "orm/flush.h"

#include "base/error.h"

/* The columns an UPDATE may change behind the program's back. */
#define SET_BY_UPDATE (RT_COLUMN_GENERATED | RT_COLUMN_SERVER_ONUPDATE)

/* Does the model have a column an UPDATE sets? */
static bool has_generated(const rt_model_desc *model)
{
	for (int i = 0; i < model->column_count; i++)
		if (model->columns[i].flags & SET_BY_UPDATE)
			return true;
	return false;
}

/* SELECT <columns an UPDATE sets> FROM t WHERE k1 = ? AND k2 = ? */
static void put_select(rt_buf *buf, const rt_dialect *d, const rt_model_desc *model)
{
	rt__buf_puts(buf, "SELECT ");
	const char *sep = "";
	for (int i = 0; i < model->column_count; i++) {
		if (!(model->columns[i].flags & SET_BY_UPDATE))
			continue;
		rt__buf_puts(buf, sep);
		d->quote_ident(buf, model->columns[i].name);
		sep = ", ";
	}
	rt__buf_puts(buf, " FROM ");
	rt__sql_table(buf, d, model->schema, model->table);
	for (int k = 0; k < model->primary_key_count; k++) {
		rt__buf_puts(buf, k ? " AND " : " WHERE ");
		d->quote_ident(buf, model->columns[model->primary_key[k]].name);
		rt__buf_puts(buf, " = ?");
	}
}

/* One object's row: its key (as the object holds it now, the UPDATE
 * done) bound, its generated and on-update fields read. */
static int read_one(rt_stmt *stmt, rt_session *session, const rt_model_desc *model,
		    rt_object *object)
{
	void *body = RT_OBJECT_BODY(object);
	int rc = RT_OK;
	for (int k = 0; k < model->primary_key_count && rc == RT_OK; k++)
		rc = rt__field_bind(stmt, k + 1, model, model->primary_key[k], body);
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	if (rc == RT_ROW) {
		int result = 0;
		rc = RT_OK;
		for (int i = 0; i < model->column_count && rc == RT_OK; i++)
			if (model->columns[i].flags & SET_BY_UPDATE)
				rc = rt__field_read(stmt, result++, model, i, body, session->arena);
	} else if (rc == RT_DONE) {
		rc = rt__error_set(RT_ENOTFOUND, "reading back the columns the update set in %s: "
						 "the updated row is gone", model->table);
	}
	int reset = rt_stmt_reset(stmt);
	return rc < 0 ? rc : reset;
}

int rt__flush_read_generated(rt_session *session, rt_conn *conn, const rt_model_desc *model,
			     rt_object *const *objects, size_t count)
{
	if (!count || !has_generated(model) || model->primary_key_count == 0)
		return RT_OK;
	rt_buf sql = RT_BUF_INIT;
	put_select(&sql, conn->dialect, model);
	rt_stmt *stmt = NULL;
	int rc = rt__buf_failed(&sql) ? rt__error_nomem()
				      : rt__conn_statement(conn, rt__buf_cstr(&sql), &stmt);
	rt__buf_free(&sql);
	for (size_t i = 0; i < count && rc == RT_OK; i++)
		rc = read_one(stmt, session, model, objects[i]);
	return rc;
}
