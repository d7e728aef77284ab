/*
 * upsert.c - rt_session_upsert: INSERT ... with the dialect's conflict
 * clause (ON CONFLICT ... DO UPDATE / DO NOTHING, ON DUPLICATE KEY UPDATE)
 * for new objects of one model, then each row read back as stored into the
 * identity map (docs/orm.md, "Upserts").
 *
 * The rows are read back by a SELECT on the conflict key, not RETURNING:
 * DO NOTHING returns no row for the row it kept, and MariaDB's ON
 * DUPLICATE KEY UPDATE cannot say which row it touched, while the key
 * finds the stored row in every case. One SELECT ... WHERE key IN (...)
 * serves a hundred objects; its rows are matched to them by key.
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
#include "orm/flush.h"
#include "orm/orm.h"
#include "orm/joined.h"
#include "orm/query.h"

/* Rows per INSERT, and the parameters a statement may take (PostgreSQL's
 * and MariaDB's limit), as for the flush's multi-row inserts. */
#define UPSERT_ROWS 100
#define UPSERT_MAX_PARAMETERS 65535
/* Keys per SELECT of the read-back. */
#define READ_BACK_KEYS 100

typedef struct upsert_run {
	rt_session *session;
	const rt_model_desc *model;
	rt_object **objects;
	void **out;                   /* the session's object of each row */
	size_t first;                 /* the statement's first object */
	size_t rows;                  /* and how many it writes */
	const rt_colset *columns;     /* the columns it writes */
	int target[RT_FLUSH_MAX_COLUMNS];
	const char *target_names[RT_FLUSH_MAX_COLUMNS];
	int target_count;
	const size_t *pick;           /* read_back_each: the objects to read */
	rt_timestamp now;             /* the `onupdate now` columns' time */
	int now_binds;                /* how many the statement binds */
} upsert_run;

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
static int check_objects(upsert_run *u, void *const *objects, size_t count, size_t *checked)
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

static int take_objects(upsert_run *u, void *const *objects, size_t count)
{
	size_t checked = 0;
	int rc = check_objects(u, objects, count, &checked);
	for (size_t i = 0; i < checked; i++)
		u->objects[i]->state = RT_STATE_PENDING;
	return rc;
}

static int resolve_target(upsert_run *u, const rt_upsert_options *o)
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
static int update_columns(const upsert_run *u, const rt_upsert_options *o,
			  const char **names, int *count)
{
	*count = 0;
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
			if (!orm_set(&model->columns[c]))
				names[(*count)++] = model->columns[c].name;
		}
		return RT_OK;
	}
	for (int c = 0; c < model->column_count; c++) {
		bool in_target = false;
		for (int k = 0; k < u->target_count; k++)
			in_target |= u->target[k] == c;
		if (rt__colset_has(u->columns, c) && !in_target && !is_key(model, c) &&
		    !orm_set(&model->columns[c]))
			names[(*count)++] = model->columns[c].name;
	}
	return RT_OK;
}

/* After the dialect's SET list of an updating conflict clause, what the
 * ORM sets in a row it updates: `"v" = "t"."v" + 1` (the stored row's
 * value, named by its table: PostgreSQL finds a bare name ambiguous with
 * excluded's) and `"c" = ?` for each `onupdate now` column. */
static void orm_columns(upsert_run *u, rt_buf *sql, const rt_dialect *d)
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
	upsert_run *u = ctx;
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

/* One INSERT ... VALUES (...), ... <conflict clause> of u->rows objects. */
static int write_rows(upsert_run *u, rt_conn *conn, const rt_upsert_options *o)
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
	int rc = update_columns(u, o, update, &update_count);
	if (rc < 0)
		return rc;
	rt_buf sql = RT_BUF_INIT;
	rt__flush_put_insert(&sql, d, model, u->columns, u->rows, false);
	d->upsert_clause(&sql, d, u->target_names, u->target_count, update, update_count);
	u->now_binds = 0;
	if (update_count)
		orm_columns(u, &sql, d);
	if (rt__buf_failed(&sql)) {
		rt__buf_free(&sql);
		return rt__error_nomem();
	}
	rt_stmt *stmt;
	rc = rt__conn_statement(conn, rt__buf_cstr(&sql), &stmt);
	rt__buf_free(&sql);
	if (rc < 0)
		return rc;
	rt_batch batch = {1, bind_rows, NULL, u};
	return rt__stmt_run_batch(stmt, &batch, NULL);
}

/* --- reading the rows back ------------------------------------------------ */

static int bind_key(void *ctx, size_t index, rt_stmt *stmt)
{
	upsert_run *u = ctx;
	if (u->pick)
		index = u->pick[index];
	const void *body = RT_OBJECT_BODY(u->objects[index]);
	for (int k = 0; k < u->target_count; k++) {
		int rc = rt__field_bind(stmt, k + 1, u->model, u->target[k], body);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static int read_fields(upsert_run *u, rt_stmt *stmt, void *body)
{
	for (int c = 0; c < u->model->column_count; c++) {
		int rc = rt__field_read(stmt, c, u->model, c, body, u->session->arena);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The stored row of objects[index]: into the object the identity map holds
 * for its key when there is one (journaled first, so that a rollback gives
 * it its values back), else into the object given, which becomes
 * persistent as an inserted one does. */
static int read_row(void *ctx, size_t index, rt_stmt *stmt)
{
	upsert_run *u = ctx;
	if (u->pick)
		index = u->pick[index];
	rt_session *session = u->session;
	rt_object *h = u->objects[index];
	void *body = RT_OBJECT_BODY(h);
	if (u->out[index])
		return rt__error_set(RT_EDATABASE, "upsert into %s: the key of object %zu found "
						   "more than one row", u->model->table, index);
	int rc = read_fields(u, stmt, body);
	if (rc < 0)
		return rc;
	rt_object *held = rt__identity_find(session->identity, u->model, body);
	void *result = body;
	if (held && held != h) {
		rc = rt__object_journal(held);
		if (rc == RT_OK)
			rc = read_fields(u, stmt, RT_OBJECT_BODY(held));
		if (rc < 0)
			return rc;
		rt__object_take_snapshot(held);
		held->expired = false;
		h->state = RT_STATE_DETACHED;
		result = RT_OBJECT_BODY(held);
	} else {
		rt_object_more *more = rt__more_make(h);
		if (!more)
			return RT_ENOMEM;
		more->inserted_txn = session->txn;
		more->inserted_level = session->level;
		more->generated = 0;
		rc = rt__object_track_persistent(session, h);
		if (rc < 0)
			return rc;
	}
	u->out[index] = result;
	return RT_OK;
}

/* Reads back the rows of the objects in `pick` (indices into u->objects)
 * one statement execution each: the fallback of read_back for an object
 * whose row the chunked SELECT did not return under its own key. */
static int read_back_each(upsert_run *u, rt_conn *conn, const size_t *pick, size_t count)
{
	const rt_dialect *d = conn->dialect;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "SELECT ");
	rt__select_columns(&sql, d, u->model, NULL);
	rt__buf_puts(&sql, " FROM ");
	rt__sql_table(&sql, d, u->model->schema, u->model->table);
	for (int k = 0; k < u->target_count; k++) {
		rt__buf_puts(&sql, k ? " AND " : " WHERE ");
		d->quote_ident(&sql, u->target_names[k]);
		rt__buf_puts(&sql, " = ?");
	}
	if (rt__buf_failed(&sql)) {
		rt__buf_free(&sql);
		return rt__error_nomem();
	}
	rt_stmt *stmt;
	int rc = rt__conn_statement(conn, rt__buf_cstr(&sql), &stmt);
	rt__buf_free(&sql);
	if (rc < 0)
		return rc;
	u->pick = pick;
	rt_batch batch = {count, bind_key, read_row, u};
	rc = rt__stmt_run_batch(stmt, &batch, NULL);
	u->pick = NULL;
	return rc;
}

/* SELECT ... WHERE (key) IN ((?, ...), ...) for the n distinct keys of
 * chunk c. */
static int chunk_statement(upsert_run *u, rt_conn *conn, size_t n, rt_stmt **out)
{
	const rt_dialect *d = conn->dialect;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "SELECT ");
	rt__select_columns(&sql, d, u->model, NULL);
	rt__buf_puts(&sql, " FROM ");
	rt__sql_table(&sql, d, u->model->schema, u->model->table);
	rt__buf_puts(&sql, u->target_count > 1 ? " WHERE (" : " WHERE ");
	for (int k = 0; k < u->target_count; k++) {
		if (k)
			rt__buf_puts(&sql, ", ");
		d->quote_ident(&sql, u->target_names[k]);
	}
	rt__buf_puts(&sql, u->target_count > 1 ? ") IN (" : " IN (");
	for (size_t i = 0; i < n; i++) {
		rt__buf_puts(&sql, i ? ", " : "");
		if (u->target_count > 1)
			rt__buf_putc(&sql, '(');
		for (int k = 0; k < u->target_count; k++)
			rt__buf_puts(&sql, k ? ", ?" : "?");
		if (u->target_count > 1)
			rt__buf_putc(&sql, ')');
	}
	rt__buf_putc(&sql, ')');
	if (rt__buf_failed(&sql)) {
		rt__buf_free(&sql);
		return rt__error_nomem();
	}
	int rc = rt__conn_statement(conn, rt__buf_cstr(&sql), out);
	rt__buf_free(&sql);
	return rc;
}

/* One chunk of read_back: objects [first, first + n), grouped by key (two
 * objects of one call may name the same key; the second then resolves to
 * the first's object, as a second upsert would), one SELECT for the
 * distinct keys, each row given to the objects of its key. */
static int read_chunk(upsert_run *u, rt_conn *conn, size_t first, size_t n, void *probe)
{
	const rt_model_desc *model = u->model;
	rt_keyset *keys;
	int rc = rt__keyset_new(&keys, u->target_count, n);
	if (rc < 0)
		return rc;
	long *head = malloc(n * sizeof(*head)), *next = malloc(n * sizeof(*next));
	size_t *group_object = malloc(n * sizeof(*group_object));
	rt_value_ref key[RT_FLUSH_MAX_COLUMNS];
	size_t groups = 0;
	if (!head || !next || !group_object)
		rc = rt__error_nomem();
	for (size_t i = 0; i < n && rc == RT_OK; i++) {
		const void *body = RT_OBJECT_BODY(u->objects[first + i]);
		for (int k = 0; k < u->target_count; k++)
			key[k] = rt__field_value(&model->columns[u->target[k]], body);
		bool added;
		long g = rt__keyset_add(keys, key, &added);
		if (g < 0) {
			rc = rt__error_nomem();
			break;
		}
		/* Chained in call order, so the first object given for a key
		 * is the one that becomes persistent. */
		next[i] = -1;
		if (added) {
			head[g] = (long)i;
			group_object[groups++] = first + i;
		} else {
			long j = head[g];
			while (next[j] >= 0)
				j = next[j];
			next[j] = (long)i;
		}
	}
	rt_stmt *stmt = NULL;
	if (rc == RT_OK)
		rc = chunk_statement(u, conn, groups, &stmt);
	for (size_t g = 0, p = 1; g < groups && rc == RT_OK; g++) {
		const void *body = RT_OBJECT_BODY(u->objects[group_object[g]]);
		for (int k = 0; k < u->target_count && rc == RT_OK; k++)
			rc = rt__field_bind(stmt, (int)p++, model, u->target[k], body);
	}
	rt_arena *scratch = rc == RT_OK ? rt__arena_new() : NULL;
	if (rc == RT_OK && !scratch)
		rc = rt__error_nomem();
	int step = rc == RT_OK ? rt_stmt_step(stmt) : rc;
	for (; step == RT_ROW; step = rt_stmt_step(stmt)) {
		for (int k = 0; k < u->target_count && step == RT_ROW; k++) {
			int c = u->target[k];
			int read = rt__field_read(stmt, c, model, c, probe, scratch);
			if (read < 0)
				step = read;
			key[k] = rt__field_value(&model->columns[c], probe);
		}
		if (step != RT_ROW)
			break;
		/* A key the database matched but C's comparison does not (a
		 * case-insensitive collation): left to read_back_each. */
		long g = rt__keyset_find(keys, key);
		for (long i = g < 0 ? -1 : head[g]; i >= 0 && step == RT_ROW; i = next[i]) {
			int read = read_row(u, first + (size_t)i, stmt);
			if (read < 0)
				step = read;
		}
	}
	if (stmt)
		rt_stmt_reset(stmt);
	rc = rc < 0 ? rc : step == RT_DONE ? RT_OK : step;
	rt__arena_free(scratch);
	rt__keyset_free(keys);
	free(head);
	free(next);
	free(group_object);
	return rc;
}

/* Every object's row as stored, READ_BACK_KEYS keys a SELECT; an object
 * whose row did not come back under its key is read by itself. */
static int read_back(upsert_run *u, rt_conn *conn, size_t count)
{
	void *probe = calloc(1, u->model->size);
	size_t *missing = malloc(count * sizeof(*missing));
	int rc = probe && missing ? RT_OK : rt__error_nomem();
	for (size_t first = 0; first < count && rc == RT_OK; first += READ_BACK_KEYS)
		rc = read_chunk(u, conn, first, count - first < READ_BACK_KEYS ? count - first
									: READ_BACK_KEYS,
				probe);
	size_t missed = 0;
	for (size_t i = 0; i < count && rc == RT_OK; i++) {
		if (!u->out[i])
			missing[missed++] = i;
	}
	if (rc == RT_OK && missed)
		rc = read_back_each(u, conn, missing, missed);
	free(probe);
	free(missing);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < count; i++) {
		if (!u->out[i])
			return rt__error_set(RT_EDATABASE, "upsert into %s: no row has the key of "
							   "object %zu after the upsert (a conflict "
							   "on another unique key?)", u->model->table, i);
	}
	return RT_OK;
}

/* --- the call ---------------------------------------------------------------- */

static int run_upsert(upsert_run *u, size_t count, const rt_upsert_options *o)
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
	for (size_t i = 0; i < count;) {
		rt_colset columns;
		rt__flush_insert_columns(u->objects[i], &columns);
		size_t written = 0;
		for (int c = 0; c < u->model->column_count; c++)
			written += rt__colset_has(&columns, c);
		/* The conflict clause binds one time per `onupdate now` column. */
		size_t room = UPSERT_MAX_PARAMETERS - (size_t)u->model->column_count;
		size_t per = UPSERT_ROWS;
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
	rc = read_back(u, conn, count);
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
	upsert_run u;
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
