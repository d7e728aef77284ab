/*
 * upsert_read.c - the rows an upsert stored, given to its objects
 * (upsert.h): each object gets its row as the database holds it, into the
 * object the identity map already has for that key if there is one.
 *
 * Two ways, the first where it can:
 *
 * - The statement's own RETURNING rows (PostgreSQL, SQLite 3.35+,
 *   MariaDB 10.5+, whose ON DUPLICATE KEY UPDATE returns the row it
 *   updated too). A row is matched to its object by the conflict key, not
 *   by its place: no backend promises the order. This saves a second
 *   statement per hundred rows, which was a third of a 100,000-row upsert.
 * - A SELECT ... WHERE key IN (...) per hundred objects, for whatever the
 *   first left: a dialect without RETURNING, a statement naming one key
 *   twice where the dialect needs keys distinct (PostgreSQL), the rows DO
 *   NOTHING kept (no backend returns those), a row out of place or of an
 *   object the session holds, and a row whose key the database matched
 *   but C compares otherwise (a case-insensitive collation), which is
 *   then read by itself.
 */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "orm/upsert.h"

/* Keys per SELECT of the read-back. */
#define READ_BACK_KEYS 100

static int read_fields(rt_upsert_run *u, rt_stmt *stmt, void *body)
{
	for (int c = 0; c < u->model->column_count; c++) {
		int rc = rt__field_read(stmt, c, u->model, c, body, u->session->arena);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* What a RETURNING row gives its object (its key compared equal): the
 * columns of the list but the key; the object holds the others already
 * (upsert.h). */
static int read_returned(rt_upsert_run *u, rt_stmt *stmt, void *body)
{
	for (int i = 0; i < u->read_count; i++) {
		int at = u->read_at[i];
		int rc = rt__field_read(stmt, at, u->model, u->returned[at], body,
					u->session->arena);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The stored row of objects[index]: into the object the identity map holds
 * for its key when there is one (journaled first, so that a rollback gives
 * it its values back), else into the object given, which becomes
 * persistent as an inserted one does. A RETURNING row (`returned`) that
 * belongs to an object the map holds is left to the read-back by key: it
 * lacks the columns the object given holds, and the one held does not. */
static int read_row(rt_upsert_run *u, size_t index, rt_stmt *stmt, bool returned)
{
	rt_session *session = u->session;
	rt_object *h = u->objects[index];
	void *body = RT_OBJECT_BODY(h);
	if (u->out[index])
		return rt__error_set(RT_EDATABASE, "upsert into %s: the key of object %zu found "
						   "more than one row", u->model->table, index);
	int rc = returned ? read_returned(u, stmt, body) : read_fields(u, stmt, body);
	if (rc < 0)
		return rc;
	rt_object *held = rt__identity_find(session->identity, u->model, body);
	void *result = body;
	if (held && held != h && returned && !u->returned_all)
		return RT_OK;
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

/* The conflict key of a row, read into u->probe (its text into scratch);
 * at: where the row has each key column (NULL: at the column's index). */
static int row_key(rt_upsert_run *u, rt_stmt *stmt, const int *at, rt_arena *scratch,
		   rt_value_ref *key)
{
	const rt_model_desc *model = u->model;
	for (int k = 0; k < u->target_count; k++) {
		int c = u->target[k];
		int rc = rt__field_read(stmt, at ? at[k] : c, model, c, u->probe, scratch);
		if (rc < 0)
			return rc;
		key[k] = rt__field_value(&model->columns[c], u->probe);
	}
	return RT_OK;
}

/* --- the statement's RETURNING rows --------------------------------------------- */

bool rt__upsert_returning_begin(rt_upsert_run *u, const rt_dialect *d, int *rc)
{
	*rc = RT_OK;
	if (!d->caps.returning)
		return false;
	const rt_model_desc *model = u->model;
	u->returned_rows = 0;
	u->probe = calloc(1, model->size);
	u->scratch = u->probe ? rt__arena_new() : NULL;
	if (!u->scratch) {
		*rc = rt__error_nomem();
		rt__upsert_returning_end(u);
		return false;
	}
	/* The statement's keys, each once (and the object of each, for a row
	 * out of place), only where the dialect needs them distinct: else a
	 * row out of place is left to the read-back by key, as rare as it is
	 * (a conflict on another unique key, a case-insensitive match). */
	if (!d->caps.upsert_keys_distinct)
		return true;
	*rc = rt__keyset_new(&u->returned_keys, u->target_count, u->rows);
	u->returned_object = *rc == RT_OK ? malloc(u->rows * sizeof(*u->returned_object)) : NULL;
	if (*rc == RT_OK && !u->returned_object)
		*rc = rt__error_nomem();
	rt_value_ref key[RT_FLUSH_MAX_COLUMNS];
	for (size_t i = 0; i < u->rows && *rc == RT_OK; i++) {
		const void *body = RT_OBJECT_BODY(u->objects[u->first + i]);
		for (int k = 0; k < u->target_count; k++)
			key[k] = rt__field_value(&model->columns[u->target[k]], body);
		bool added;
		long g = rt__keyset_add(u->returned_keys, key, &added);
		if (g < 0)
			*rc = rt__error_nomem();
		else if (!added)
			break; /* one key twice: read back by key afterwards */
		else
			u->returned_object[g] = u->first + i;
	}
	if (*rc < 0 || rt__keyset_count(u->returned_keys) != u->rows) {
		rt__upsert_returning_end(u);
		return false;
	}
	return true;
}

/* Whether the row's conflict key is that of u->objects[object]: a text
 * key compared where the driver holds it (no copy), any other read into
 * u->probe and compared as the flush compares fields. */
static int key_is(rt_upsert_run *u, rt_stmt *stmt, size_t object, bool *same)
{
	const rt_model_desc *model = u->model;
	const void *body = RT_OBJECT_BODY(u->objects[object]);
	*same = false;
	for (int k = 0; k < u->target_count; k++) {
		const rt_column_desc *column = &model->columns[u->target[k]];
		int c = u->key_at[k];
		if (column->kind == RT_FIELD_TEXT) {
			const char *text = *(const char *const *)(const void *)((const char *)body +
										  column->offset);
			rt_value v;
			if (stmt->conn->dialect->column_value(stmt->driver, c, &v) < 0)
				return rt__error_wrap("%s.%s", model->table, column->name);
			if (v.type != RT_VALUE_TEXT || !text || strlen(text) != v.len ||
			    memcmp(text, v.s, v.len) != 0)
				return RT_OK;
			continue;
		}
		int rc = rt__field_read(stmt, c, model, u->target[k], u->probe, u->scratch);
		if (rc < 0)
			return rc;
		if (!rt__field_equal(column, u->probe, body))
			return RT_OK;
	}
	*same = true;
	return RT_OK;
}

int rt__upsert_returned_row(void *ctx, size_t index, rt_stmt *stmt)
{
	(void)index; /* the statement's one parameter set */
	rt_upsert_run *u = ctx;
	/* Every backend returns the rows in the order of the VALUES in
	 * practice, though none promises it: the object in the row's place
	 * is tried first, and the key's lookup is for a row out of place
	 * (the lookup cost W8 a tenth of the ORM's own work). */
	size_t place = u->returned_rows++;
	if (place < u->rows && !u->out[u->first + place]) {
		bool same;
		int rc = key_is(u, stmt, u->first + place, &same);
		if (rc < 0)
			return rc;
		if (same)
			return read_row(u, u->first + place, stmt, true);
	}
	/* Out of place: the row of another object's key, which holds that
	 * object's values only if it came from that object's own row of the
	 * statement; with columns left out of the list, the read-back by key
	 * reads it whole instead (MariaDB: a conflict on another unique key
	 * updates a row under another object's key). */
	if (!u->returned_all || !u->returned_keys)
		return RT_OK;
	rt_value_ref key[RT_FLUSH_MAX_COLUMNS];
	int rc = row_key(u, stmt, u->key_at, u->scratch, key);
	if (rc < 0)
		return rc;
	long g = rt__keyset_find(u->returned_keys, key);
	/* No object's key (a case-insensitive match), or an object that has
	 * its row already (MariaDB's conflict on another unique key updated
	 * a row under an object's key): left to the read-back by key, which
	 * gives each object the row that holds its key at the end. */
	if (g < 0 || u->out[u->returned_object[g]])
		return RT_OK;
	return read_row(u, u->returned_object[g], stmt, true);
}

void rt__upsert_returning_end(rt_upsert_run *u)
{
	rt__keyset_free(u->returned_keys);
	free(u->returned_object);
	free(u->probe);
	rt__arena_free(u->scratch);
	u->returned_keys = NULL;
	u->returned_object = NULL;
	u->probe = NULL;
	u->scratch = NULL;
}

/* --- reading back by key -------------------------------------------------------- */

static int bind_key(void *ctx, size_t index, rt_stmt *stmt)
{
	rt_upsert_run *u = ctx;
	const void *body = RT_OBJECT_BODY(u->objects[u->pick[index]]);
	for (int k = 0; k < u->target_count; k++) {
		int rc = rt__field_bind(stmt, k + 1, u->model, u->target[k], body);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static int read_picked_row(void *ctx, size_t index, rt_stmt *stmt)
{
	rt_upsert_run *u = ctx;
	return read_row(u, u->pick[index], stmt, false);
}

/* SELECT <the model's columns> FROM <its table> */
static void put_select(rt_buf *sql, const rt_dialect *d, const rt_upsert_run *u)
{
	rt__buf_puts(sql, "SELECT ");
	rt__select_columns(sql, d, u->model, NULL);
	rt__buf_puts(sql, " FROM ");
	rt__sql_table(sql, d, u->model->schema, u->model->table);
}

/* The connection's prepared statement of sql, which is freed. */
static int statement_of(rt_buf *sql, rt_conn *conn, rt_stmt **out)
{
	int rc = rt__buf_failed(sql) ? rt__error_nomem()
				     : rt__conn_statement(conn, rt__buf_cstr(sql), out);
	rt__buf_free(sql);
	return rc;
}

/* Reads back the rows of the objects in `pick` (indices into u->objects)
 * one statement execution each: for an object whose row the chunked
 * SELECT did not return under its own key. */
static int read_back_each(rt_upsert_run *u, rt_conn *conn, const size_t *pick, size_t count)
{
	const rt_dialect *d = conn->dialect;
	rt_buf sql = RT_BUF_INIT;
	put_select(&sql, d, u);
	for (int k = 0; k < u->target_count; k++) {
		rt__buf_puts(&sql, k ? " AND " : " WHERE ");
		d->quote_ident(&sql, u->target_names[k]);
		rt__buf_puts(&sql, " = ?");
	}
	rt_stmt *stmt;
	int rc = statement_of(&sql, conn, &stmt);
	if (rc < 0)
		return rc;
	u->pick = pick;
	rt_batch batch = {count, bind_key, read_picked_row, u};
	rc = rt__stmt_run_batch(stmt, &batch, NULL);
	u->pick = NULL;
	return rc;
}

/* SELECT ... WHERE (key) IN ((?, ...), ...) for n distinct keys. */
static int chunk_statement(rt_upsert_run *u, rt_conn *conn, size_t n, rt_stmt **out)
{
	const rt_dialect *d = conn->dialect;
	rt_buf sql = RT_BUF_INIT;
	put_select(&sql, d, u);
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
	return statement_of(&sql, conn, out);
}

/* One chunk of the read-back: the objects pick[0..n), grouped by key (two
 * objects of one call may name the same key; the second then resolves to
 * the first's object, as a second upsert would), one SELECT for the
 * distinct keys, each row given to the objects of its key. */
static int read_chunk(rt_upsert_run *u, rt_conn *conn, const size_t *pick, size_t n)
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
		const void *body = RT_OBJECT_BODY(u->objects[pick[i]]);
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
			group_object[groups++] = pick[i];
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
		int read = row_key(u, stmt, NULL, scratch, key);
		if (read < 0) {
			step = read;
			break;
		}
		/* A key the database matched but C's comparison does not (a
		 * case-insensitive collation): left to read_back_each. */
		long g = rt__keyset_find(keys, key);
		for (long i = g < 0 ? -1 : head[g]; i >= 0 && step == RT_ROW; i = next[i]) {
			read = read_row(u, pick[i], stmt, false);
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

/* The objects without their row yet, in call order, into pick; how many. */
static size_t unresolved(const rt_upsert_run *u, size_t count, size_t *pick)
{
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		if (!u->out[i])
			pick[n++] = i;
	}
	return n;
}

int rt__upsert_read_back(rt_upsert_run *u, rt_conn *conn, size_t count)
{
	size_t *pick = malloc(count * sizeof(*pick));
	u->probe = calloc(1, u->model->size);
	int rc = pick && u->probe ? RT_OK : rt__error_nomem();
	size_t n = rc == RT_OK ? unresolved(u, count, pick) : 0;
	for (size_t first = 0; first < n && rc == RT_OK; first += READ_BACK_KEYS)
		rc = read_chunk(u, conn, pick + first,
				n - first < READ_BACK_KEYS ? n - first : READ_BACK_KEYS);
	n = rc == RT_OK ? unresolved(u, count, pick) : 0;
	if (n)
		rc = read_back_each(u, conn, pick, n);
	free(pick);
	free(u->probe);
	u->probe = NULL;
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
