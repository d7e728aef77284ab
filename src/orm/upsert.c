/*
 * upsert.c - rt_session_upsert: INSERT ... with the dialect's conflict
 * clause (ON CONFLICT ... DO UPDATE / DO NOTHING, ON DUPLICATE KEY UPDATE)
 * for new objects of one model; upsert_read.c then gives each object its
 * row as stored, into the identity map (docs/orm.md, "Upserts").
 *
 * A row the conflict clause updates is updated as the flush updates one:
 * its `version` column gets `v = v + 1` (the stored row's counter, not the
 * new object's 1) and its `onupdate now` columns the time, bound. A new
 * row starts at version 1 and leaves `onupdate now` columns as given, as
 * an INSERT does. Validators run on every object before any SQL; the
 * other hooks do not run (docs/orm.md, "Upserts").
 */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "orm/joined.h"
#include "orm/orm.h"
#include "orm/upsert.h"

/* The index of the model's column called name, or -1 with RT_EINVAL. */
static int column_index(const rt_model_desc *model, const char *name)
{
	for (int i = 0; name && i < model->column_count; i++) {
		if (!strcmp(model->columns[i].name, name))
			return i;
	}
	return rt__error_set(RT_EINVAL, "upsert: %s has no column '%s'", model->name,
			     name ? name : "(null)");
}

/* The objects' headers, checked: new objects of one model of the session,
 * each once (the state is DETACHED meanwhile to find one given twice). */
static int check_objects(rt_upsert_run *u, void *const *objects, size_t count, size_t *checked)
{
	for (size_t i = 0; i < count; i++) {
		rt_object *h = rt__object_header(objects[i]);
		if (!h)
			return RT_EINVAL;
		if (h->session != u->session)
			return rt__error_set(RT_EINVAL, "upsert: object %zu belongs to another session",
					     i);
		if (h->state != RT_STATE_PENDING)
			return rt__error_set(RT_EINVAL, "upsert: object %zu is not new (upsert takes "
						      "objects made by rt_object_new, each once)", i);
		if (i == 0)
			u->model = h->model;
		else if (h->model != u->model)
			return rt__error_set(RT_EINVAL, "upsert: object %zu is a %s, not a %s", i,
					     h->model->name, u->model->name);
		u->objects[i] = h;
		h->state = RT_STATE_DETACHED;
		*checked = i + 1;
	}
	if (u->model->view)
		return rt__error_set(RT_EINVAL, "upsert: %s is mapped onto a view", u->model->name);
	/* ON CONFLICT writes one table; a joined tree's rows span several,
	 * and a conflicting row may be another model's. */
	return rt__joined_refuse(u->model, "upsert");
}

static int take_objects(rt_upsert_run *u, void *const *objects, size_t count)
{
	size_t checked = 0;
	int rc = check_objects(u, objects, count, &checked);
	for (size_t i = 0; i < checked; i++)
		u->objects[i]->state = RT_STATE_PENDING;
	return rc;
}

static int resolve_target(rt_upsert_run *u, const rt_upsert_options *o)
{
	const rt_model_desc *model = u->model;
	if (o->conflict_count <= 0) {
		u->target_count = model->primary_key_count;
		for (int k = 0; k < model->primary_key_count; k++)
			u->target[k] = model->primary_key[k];
	} else {
		if (!o->conflict_columns || o->conflict_count > RT_FLUSH_MAX_COLUMNS)
			return rt__error_set(RT_EINVAL, "upsert: bad conflict_columns");
		u->target_count = o->conflict_count;
		for (int k = 0; k < o->conflict_count; k++) {
			int c = column_index(model, o->conflict_columns[k]);
			if (c < 0)
				return c;
			u->target[k] = c;
		}
	}
	if (u->target_count == 0)
		return rt__error_set(RT_EINVAL, "upsert: %s has no primary key; name the conflict "
					      "columns", model->name);
	for (int k = 0; k < u->target_count; k++)
		u->target_names[k] = model->columns[u->target[k]].name;
	return RT_OK;
}

static bool is_key(const rt_model_desc *model, int column)
{
	for (int k = 0; k < model->primary_key_count; k++) {
		if (model->primary_key[k] == column)
			return true;
	}
	return false;
}

static bool in_target(const rt_upsert_run *u, int column)
{
	for (int k = 0; k < u->target_count; k++) {
		if (u->target[k] == column)
			return true;
	}
	return false;
}

/* A `version` or `onupdate now` column: set by the ORM (orm_columns),
 * never to the value the INSERT proposed. */
static bool orm_set(const rt_column_desc *column)
{
	return (column->flags & (RT_COLUMN_VERSION | RT_COLUMN_ONUPDATE_NOW)) != 0;
}

/* The columns the conflict clause sets from the object: the ones asked
 * for, or every written column but the conflict key and the primary key
 * (an upsert never moves a row to another key); never a column orm_set
 * takes. None: keep the stored row. */
static int update_columns(const rt_upsert_run *u, const rt_upsert_options *o,
			  const char **names, int *count, rt_colset *updated)
{
	*count = 0;
	memset(updated, 0, sizeof(*updated));
	if (o->action == RT_UPSERT_NOTHING)
		return RT_OK;
	const rt_model_desc *model = u->model;
	if (o->update_count > 0) {
		if (!o->update_columns)
			return rt__error_set(RT_EINVAL, "upsert: update_columns is NULL");
		for (int k = 0; k < o->update_count; k++) {
			int c = column_index(model, o->update_columns[k]);
			if (c < 0)
				return c;
			if (!rt__colset_has(u->columns, c))
				return rt__error_set(RT_EINVAL, "upsert: %s.%s is to be updated but "
							      "the INSERT does not write it",
						     model->table, model->columns[c].name);
			if (!orm_set(&model->columns[c])) {
				names[(*count)++] = model->columns[c].name;
				rt__colset_add(updated, c);
			}
		}
		return RT_OK;
	}
	for (int c = 0; c < model->column_count; c++) {
		if (rt__colset_has(u->columns, c) && !in_target(u, c) && !is_key(model, c) &&
		    !orm_set(&model->columns[c])) {
			names[(*count)++] = model->columns[c].name;
			rt__colset_add(updated, c);
		}
	}
	return RT_OK;
}

/* The RETURNING list (upsert.h). A row that comes back was inserted from
 * its object or updated by its object's conflict clause; either way a
 * column the clause sets from the object (`"c" = excluded."c"`) holds the
 * object's value as bound, as a column a flush's INSERT writes does (the
 * flush reads back only what the database made). So the statement returns
 * the rest: the conflict key (to match a row to its object), the primary
 * key (the identity map's), the columns the INSERT leaves to the database
 * and those an updated row keeps or the ORM sets (version, onupdate now).
 * Without an update (DO NOTHING) every column: a kept row may come back
 * (MariaDB's no-op update) with none of the object's values. W8 returns
 * id, username and created_at, not email too: a fourth less to send and
 * read. */
static void returned_columns(rt_upsert_run *u, const rt_colset *updated, int update_count)
{
	const rt_model_desc *model = u->model;
	u->returned_count = 0;
	u->read_count = 0;
	u->returned_all = true;
	for (int c = 0; c < model->column_count; c++) {
		bool key = in_target(u, c);
		if (update_count && !key && !is_key(model, c) && rt__colset_has(updated, c)) {
			u->returned_all = false;
			continue;
		}
		for (int k = 0; k < u->target_count; k++) {
			if (u->target[k] == c)
				u->key_at[k] = u->returned_count;
		}
		/* A row's key is compared with its object's, which keeps its own. */
		if (!key)
			u->read_at[u->read_count++] = u->returned_count;
		u->returned[u->returned_count++] = c;
	}
}

/* After the dialect's SET list of an updating conflict clause, what the
 * ORM sets in a row it updates: `"v" = "t"."v" + 1` (the stored row's
 * value, named by its table: PostgreSQL finds a bare name ambiguous with
 * excluded's) and `"c" = ?` for each `onupdate now` column. */
static void orm_columns(rt_upsert_run *u, rt_buf *sql, const rt_dialect *d)
{
	const rt_model_desc *model = u->model;
	u->now_binds = 0;
	for (int c = 0; c < model->column_count; c++) {
		const rt_column_desc *column = &model->columns[c];
		if (!orm_set(column))
			continue;
		rt__buf_puts(sql, ", ");
		d->quote_ident(sql, column->name);
		rt__buf_puts(sql, " = ");
		if (column->flags & RT_COLUMN_VERSION) {
			d->quote_ident(sql, model->table);
			rt__buf_putc(sql, '.');
			d->quote_ident(sql, column->name);
			rt__buf_puts(sql, " + 1");
		} else {
			rt__buf_puts(sql, "?");
			u->now_binds++;
		}
	}
}

static int bind_rows(void *ctx, size_t index, rt_stmt *stmt)
{
	(void)index;
	rt_upsert_run *u = ctx;
	int p = 1;
	for (size_t r = 0; r < u->rows; r++) {
		const void *body = RT_OBJECT_BODY(u->objects[u->first + r]);
		for (int c = 0; c < u->model->column_count; c++) {
			if (!rt__colset_has(u->columns, c))
				continue;
			int rc = rt__field_bind(stmt, p++, u->model, c, body);
			if (rc < 0)
				return rc;
		}
	}
	for (int c = 0, n = 0; n < u->now_binds; c++) {
		const rt_column_desc *column = &u->model->columns[c];
		if (!(column->flags & RT_COLUMN_ONUPDATE_NOW))
			continue;
		rt_value_ref now;
		memset(&now, 0, sizeof(now));
		now.kind = column->kind;
		now.as.timestamp = u->now;
		int rc = rt__value_bind(stmt, p++, &now, column);
		if (rc < 0)
			return rc;
		n++;
	}
	return RT_OK;
}

/* The INSERT ... VALUES (...), ... <conflict clause> [RETURNING ...] of
 * u->rows objects, prepared, into u->stmt (u->now_binds set). */
static int statement(rt_upsert_run *u, rt_conn *conn, const char *const *update,
		     int update_count, bool returning)
{
	const rt_dialect *d = conn->dialect;
	rt_buf sql = RT_BUF_INIT;
	rt__flush_put_insert(&sql, d, u->model, u->columns, u->rows, false);
	d->upsert_clause(&sql, d, u->target_names, u->target_count, update, update_count);
	u->now_binds = 0;
	if (update_count)
		orm_columns(u, &sql, d);
	for (int i = 0; returning && i < u->returned_count; i++) {
		rt__buf_puts(&sql, i ? ", " : " RETURNING ");
		d->quote_ident(&sql, u->model->columns[u->returned[i]].name);
	}
	u->stmt = NULL;
	int rc = rt__buf_failed(&sql) ? rt__error_nomem()
				      : rt__conn_statement(conn, rt__buf_cstr(&sql), &u->stmt);
	rt__buf_free(&sql);
	if (rc < 0) {
		u->stmt = NULL;
		return rc;
	}
	u->stmt_rows = u->rows;
	u->stmt_columns = *u->columns;
	u->stmt_returning = returning;
	return RT_OK;
}

/* One INSERT ... VALUES (...), ... <conflict clause> of u->rows objects. */
static int write_rows(rt_upsert_run *u, rt_conn *conn, const rt_upsert_options *o)
{
	const rt_dialect *d = conn->dialect;
	const rt_model_desc *model = u->model;
	for (int k = 0; k < u->target_count; k++) {
		if (!rt__colset_has(u->columns, u->target[k]))
			return rt__error_set(RT_EINVAL, "upsert into %s: the conflict column %s is "
						      "not set (the database would make it)",
					     model->table, u->target_names[k]);
	}
	const char *update[RT_FLUSH_MAX_COLUMNS];
	int update_count;
	rt_colset updated;
	int rc = update_columns(u, o, update, &update_count, &updated);
	if (rc < 0)
		return rc;
	returned_columns(u, &updated, update_count);
	bool returning = rt__upsert_returning_begin(u, d, &rc);
	if (rc < 0)
		return rc;
	if (!u->stmt || u->stmt_rows != u->rows || u->stmt_returning != returning ||
	    !rt__colset_equal(&u->stmt_columns, u->columns))
		rc = statement(u, conn, update, update_count, returning);
	if (rc == RT_OK) {
		rt_batch batch = {1, bind_rows, returning ? rt__upsert_returned_row : NULL, u};
		rc = rt__stmt_run_batch(u->stmt, &batch, NULL);
	}
	rt__upsert_returning_end(u);
	return rc;
}

/* --- the call ---------------------------------------------------------------- */

static int run_upsert(rt_upsert_run *u, size_t count, const rt_upsert_options *o)
{
	rt_session *session = u->session;
	if (o->action != RT_UPSERT_UPDATE && o->action != RT_UPSERT_NOTHING)
		return rt__error_set(RT_EINVAL, "upsert: unknown action %d", (int)o->action);
	int rc = resolve_target(u, o);
	/* Validators first: one failing stops the upsert before any SQL, the
	 * objects still new (fix them and call again). */
	for (size_t i = 0; i < count && rc == RT_OK; i++)
		rc = rt__validators_run(session, u->objects[i], NULL);
	if (rc < 0)
		return rc;
	u->now = rt_timestamp_now();
	/* Out of the unit of work: the flush of the session's other changes
	 * must not insert them. */
	for (size_t i = 0; i < count; i++) {
		rt__session_untrack(session, u->objects[i]);
		u->objects[i]->state = RT_STATE_DETACHED;
	}
	rc = rt__flush(session);
	if (rc < 0)
		return rc;
	rt_conn *conn;
	rc = rt__session_conn(session, &conn);
	if (rc < 0)
		return rc;
	if (!conn->dialect->upsert_clause)
		return rt__error_set(RT_EINVAL, "upsert: the %s dialect has none",
				     conn->dialect->name);
	for (size_t i = 0; i < count; i++)
		rt__version_start(u->objects[i]); /* a new row's, as a flush's */
	/* The identity map sized once for the objects it may take, not by
	 * doubling on the way (13 rebuilds for W8's 100,000), as the flush
	 * does for its inserts. */
	rc = rt__identity_reserve(session->identity, u->model, count);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < count;) {
		rt_colset columns;
		rt__flush_insert_columns(u->objects[i], &columns);
		size_t written = 0;
		for (int c = 0; c < u->model->column_count; c++)
			written += rt__colset_has(&columns, c);
		/* Rows per statement as for the flush's multi-row inserts
		 * (the dialect's rows_per_insert, within its max_parameters):
		 * 1,000 took W8 (100,000 users, half new) from 1.3x to 1.2x of
		 * hand-written code on MariaDB and PostgreSQL; SQLite's 100
		 * cost it 1,776M instructions, 50 1,789M, 200 1,802M, 1,000
		 * 1,878M. The conflict clause binds one time per `onupdate
		 * now` column. */
		size_t room = (size_t)rt__flush_max_parameters(conn->dialect) - (size_t)u->model->column_count;
		size_t per = (size_t)rt__flush_rows_per_insert(conn->dialect);
		if (written && written * per > room)
			per = room / written;
		size_t n = 1;
		while (i + n < count && n < per) {
			rt_colset next;
			rt__flush_insert_columns(u->objects[i + n], &next);
			if (!rt__colset_equal(&next, &columns))
				break;
			n++;
		}
		u->first = i;
		u->rows = n;
		u->columns = &columns;
		rc = write_rows(u, conn, o);
		if (rc < 0)
			goto failed;
		i += n;
	}
	rc = rt__upsert_read_back(u, conn, count);
	if (rc == RT_OK)
		return RT_OK;
failed:
	/* Rows may be written, and the database may have aborted the
	 * transaction: only a rollback makes sense now, as after a flush. */
	session->failed = true;
	session->failed_level = session->level;
	return rc;
}

int rt_session_upsert(void **out, rt_session *session, void *const *objects, size_t count,
		      const rt_upsert_options *options)
{
	static const rt_upsert_options defaults = RT_UPSERT_OPTIONS_INIT;
	int rc = rt__session_usable(session);
	if (rc < 0)
		return rc;
	if (count == 0)
		return RT_OK;
	if (!objects)
		return rt__error_set(RT_EINVAL, "upsert: objects is NULL");
	rt_upsert_run u;
	memset(&u, 0, sizeof(u));
	u.session = session;
	u.objects = calloc(count, sizeof(*u.objects));
	u.out = calloc(count, sizeof(*u.out));
	if (!u.objects || !u.out) {
		free(u.objects);
		free(u.out);
		return rt__error_nomem();
	}
	rc = take_objects(&u, objects, count);
	if (rc == RT_OK)
		rc = run_upsert(&u, count, options ? options : &defaults);
	if (rc == RT_OK && out)
		memcpy(out, u.out, count * sizeof(*out));
	free(u.objects);
	free(u.out);
	return rc;
}
