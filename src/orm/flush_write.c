/*
 * flush_write.c - the statements of a flush: INSERT (reading generated
 * columns back with RETURNING), UPDATE of the changed columns, DELETE, and
 * the rows of many-to-many association tables.
 *
 * Each statement's SQL is built once per session for each (model or
 * relationship, kind, column set) by flush_sql.c; the
 * connection's statement cache then gives the prepared statement, and
 * every statement of a flush runs its rows as one batch (a pipeline on
 * PostgreSQL). So inserting 100,000 objects builds one SQL text, prepares
 * it once and binds 100,000 parameter sets.
 */
#include "orm/flush.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* ------------------------------------------------------------------------ */
/* Running                                                                   */
/* ------------------------------------------------------------------------ */

/* Which columns an INSERT writes. A generated column never is. A column
 * is left to the database only
 * when it has a server default or autoincrements, has no client default
 * (that value, or whatever the program put in its place, is the program's
 * value: always written), was not marked as set, and still holds what
 * rt_object_new gave it (the snapshot of a pending object). Comparing with
 * the client default instead would take a value the program set to that
 * default for "unset" and store the server's: the flags decide first. */
void rt__flush_insert_columns(const rt_object *object, rt_colset *out)
{
	/* Once per new object of a flush or upsert: the model's fields and
	 * the object's snapshot taken once, the set built in a local (stores
	 * through out would make the compiler load the model again each
	 * column), and a column's flags asked before its value. */
	const rt_model_desc *model = object->model;
	const rt_column_desc *columns = model->columns;
	int count = model->column_count;
	const void *body = RT_OBJECT_BODY((rt_object *)object);
	const void *snapshot = rt__object_snapshot(object);
	const uint64_t *assigned = rt__more(object)->assigned;
	rt_colset set;
	memset(&set, 0, sizeof(set));
	for (int i = 0; i < count; i++) {
		const rt_column_desc *c = &columns[i];
		/* A generated column is the database's always. */
		if (c->flags & RT_COLUMN_GENERATED)
			continue;
		if ((c->flags & (RT_COLUMN_AUTOINCREMENT | RT_COLUMN_SERVER_DEFAULT)) &&
		    !(c->flags & RT_COLUMN_CLIENT_DEFAULT) &&
		    !(assigned && (assigned[i / 64] >> (i % 64) & 1)) &&
		    rt__field_equal(c, body, snapshot))
			continue;
		rt__colset_add(&set, i);
	}
	*out = set;
}

typedef struct write_ctx {
	rt_session *session;
	int version;                     /* the model's version column, or -1 */
	const rt_model_desc *model;
	rt_object *const *objects;
	const rt_colset *columns;
	const rt_relationship_desc *rel; /* association rows */
	const rt_assoc_pair *pairs;
	bool *seen;                      /* UPDATE: rows that came back */
} write_ctx;

/* Binds the fields of body in `columns` but `skip`, in column order, from
 * parameter *p on; *p ends past the last one bound. */
static int bind_colset(rt_stmt *stmt, int *p, const rt_model_desc *model,
			const rt_colset *columns, const void *body, int skip)
{
	for (int i = 0; i < model->column_count; i++) {
		if (!rt__colset_has(columns, i) || i == skip)
			continue;
		int rc = rt__field_bind(stmt, (*p)++, model, i, body);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static int bind_insert(void *ctx, size_t index, rt_stmt *stmt)
{
	write_ctx *w = ctx;
	int p = 1;
	return bind_colset(stmt, &p, w->model, w->columns, RT_OBJECT_BODY(w->objects[index]), -1);
}

static int read_generated(void *ctx, size_t index, rt_stmt *stmt)
{
	write_ctx *w = ctx;
	const rt_model_desc *model = w->model;
	void *body = RT_OBJECT_BODY(w->objects[index]);
	int result = 0;
	for (int i = 0; i < model->column_count; i++) {
		if (rt__colset_has(w->columns, i))
			continue;
		int rc = rt__field_read(stmt, result++, model, i, body, w->session->arena);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static size_t columns_count(const rt_model_desc *model, const rt_colset *columns)
{
	size_t n = 0;
	for (int i = 0; i < model->column_count; i++)
		n += rt__colset_has(columns, i);
	return n;
}

static bool all_columns(const rt_model_desc *model, const rt_colset *columns)
{
	for (int i = 0; i < model->column_count; i++)
		if (!rt__colset_has(columns, i))
			return false;
	return true;
}

/* The one integer primary-key column a dialect's last_insert_id can
 * give, or -1. */
static int rowid_key(const rt_conn *conn, const rt_model_desc *model)
{
	if (!conn->dialect->last_insert_id || model->primary_key_count != 1)
		return -1;
	const rt_column_desc *c = &model->columns[model->primary_key[0]];
	bool integer = c->kind == RT_FIELD_INT16 || c->kind == RT_FIELD_INT32 ||
		       c->kind == RT_FIELD_INT64;
	return integer && !(c->flags & RT_COLUMN_NULLABLE) ? model->primary_key[0] : -1;
}

/* One INSERT per object, its generated key taken from last_insert_id. */
static int insert_plain(write_ctx *w, rt_stmt *stmt, size_t count, int key)
{
	const rt_column_desc *kc = &w->model->columns[key];
	bool key_generated = !rt__colset_has(w->columns, key);
	int64_t (*last_id)(rt_driver_stmt *) = stmt->conn->dialect->last_insert_id;
	for (size_t i = 0; i < count; i++) {
		int rc = rt_stmt_reset(stmt);
		if (rc == RT_OK)
			rc = bind_insert(w, i, stmt);
		while (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_ROW)
			rc = RT_OK;
		if (rc < 0) {
			rt_stmt_reset(stmt);
			return rt__error_wrap("parameter set %zu of %zu", i, count);
		}
		if (key_generated)
			rt__int_field_set(kc, RT_OBJECT_BODY(w->objects[i]), last_id(stmt->driver));
	}
	return rt_stmt_reset(stmt);
}

/* Object index by integer key: direct when the keys run consecutively
 * (rowids of one batch almost always do), else open addressing over
 * (index + 1, 0 = empty). */
typedef struct key_index {
	const int64_t *keys;
	size_t count;
	bool consecutive;
	size_t *slots;
	size_t mask;
} key_index;

static size_t key_slot(const key_index *ix, int64_t key)
{
	uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ull;
	return (size_t)(h ^ (h >> 32)) & ix->mask;
}

static int key_index_build(key_index *ix, const int64_t *keys, size_t count)
{
	memset(ix, 0, sizeof(*ix));
	ix->keys = keys;
	ix->count = count;
	ix->consecutive = true;
	for (size_t i = 1; i < count && ix->consecutive; i++)
		ix->consecutive = keys[i] == keys[0] + (int64_t)i;
	if (ix->consecutive)
		return RT_OK;
	size_t cap = 16;
	while (cap < count * 2)
		cap *= 2;
	ix->slots = calloc(cap, sizeof(*ix->slots));
	if (!ix->slots)
		return rt__error_nomem();
	ix->mask = cap - 1;
	for (size_t i = 0; i < count; i++) {
		size_t at = key_slot(ix, keys[i]);
		while (ix->slots[at])
			at = (at + 1) & ix->mask;
		ix->slots[at] = i + 1;
	}
	return RT_OK;
}

/* The object index of key, or (size_t)-1. */
static size_t key_index_find(const key_index *ix, int64_t key)
{
	if (ix->consecutive) {
		uint64_t d = (uint64_t)key - (uint64_t)ix->keys[0];
		return ix->count && d < ix->count ? (size_t)d : (size_t)-1;
	}
	for (size_t at = key_slot(ix, key); ix->slots[at]; at = (at + 1) & ix->mask)
		if (ix->keys[ix->slots[at] - 1] == key)
			return ix->slots[at] - 1;
	return (size_t)-1;
}

/* The generated columns other than the key, read back by key in chunks. */
static int read_back(write_ctx *w, rt_conn *conn, size_t count, int key)
{
	const rt_model_desc *model = w->model;
	const rt_column_desc *kc = &model->columns[key];
	rt_colset read = *w->columns;
	rt__colset_add(&read, key); /* the key is known now */
	bool any = false;
	for (int i = 0; i < model->column_count; i++)
		any |= !rt__colset_has(&read, i);
	if (!any)
		return RT_OK;
	int64_t *keys = malloc((count ? count : 1) * sizeof(*keys));
	if (!keys)
		return rt__error_nomem();
	for (size_t i = 0; i < count; i++)
		keys[i] = rt__field_value(kc, RT_OBJECT_BODY(w->objects[i])).as.i;
	key_index ix;
	int rc = key_index_build(&ix, keys, count);
	/* Consecutive keys (rowids of one batch): one range scan; else the
	 * keys in lists of RT_FLUSH_READ_BACK_CHUNK. */
	bool range = rc == RT_OK && ix.consecutive;
	const char *sql = rc == RT_OK ? rt__flush_read_back_sql(w->session, conn->dialect, model, &read, range)
				      : NULL;
	rt_stmt *stmt = NULL;
	if (rc == RT_OK)
		rc = sql ? rt__conn_statement(conn, sql, &stmt) : RT_ENOMEM;
	size_t found = 0;
	size_t chunk = range ? count : RT_FLUSH_READ_BACK_CHUNK;
	for (size_t start = 0; start < count && rc == RT_OK; start += chunk) {
		if (range) {
			rc = rt_stmt_bind_int64(stmt, 1, keys[0]);
			if (rc == RT_OK)
				rc = rt_stmt_bind_int64(stmt, 2, keys[count - 1]);
		}
		/* Short last chunk: its last key again fills the list. */
		for (size_t k = 0; !range && k < RT_FLUSH_READ_BACK_CHUNK && rc == RT_OK; k++)
			rc = rt_stmt_bind_int64(stmt, (int)k + 1,
						keys[start + k < count ? start + k : count - 1]);
		while (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_ROW) {
			size_t i = key_index_find(&ix, rt_stmt_column_int64(stmt, 0));
			rc = RT_OK;
			if (i == (size_t)-1)
				continue;
			void *body = RT_OBJECT_BODY(w->objects[i]);
			int result = 1;
			for (int c = 0; c < model->column_count && rc == RT_OK; c++)
				if (!rt__colset_has(&read, c))
					rc = rt__field_read(stmt, result++, model, c, body,
							    w->session->arena);
			found++;
		}
		if (rc == RT_DONE)
			rc = rt_stmt_reset(stmt);
	}
	if (rc < 0 && stmt)
		rt_stmt_reset(stmt);
	free(ix.slots);
	free(keys);
	if (rc == RT_OK && found != count)
		rc = rt__error_set(RT_ERROR, "reading back the new rows of %s: %zu of %zu found",
				   model->table, found, count);
	return rc;
}

/* --- many rows per INSERT (databases with RETURNING) ----------------------- */


/* The column of a single integer primary key the database generates in
 * this insert (not among `columns`), or -1. */
static int generated_integer_key(const rt_model_desc *model, const rt_colset *columns)
{
	if (model->primary_key_count != 1)
		return -1;
	int key = model->primary_key[0];
	const rt_column_desc *c = &model->columns[key];
	bool integer = c->kind == RT_FIELD_INT16 || c->kind == RT_FIELD_INT32 ||
		       c->kind == RT_FIELD_INT64;
	return integer && (c->flags & RT_COLUMN_AUTOINCREMENT) && !rt__colset_has(columns, key)
		       ? key
		       : -1;
}

/* The multi-row INSERT ... RETURNING of `rows` rows, on the heap. */
static char *insert_rows_sql(const rt_dialect *d, const rt_model_desc *model,
			     const rt_colset *columns, size_t rows)
{
	rt_buf buf = RT_BUF_INIT;
	rt__flush_put_insert(&buf, d, model, columns, rows, true);
	char *sql = buf.ptr && !buf.failed ? strdup(buf.ptr) : NULL;
	rt__buf_free(&buf);
	return sql;
}

typedef struct rows_ctx {
	write_ctx *w;
	size_t first;          /* index of the first object of this group */
	size_t rows;           /* rows per statement in this group */
	size_t chunk;          /* the statement whose rows are being read */
	size_t row;            /* rows of it read so far */
	int key;               /* the generated integer key's column */
	int64_t last_key;
} rows_ctx;

static int bind_rows(void *ctx, size_t index, rt_stmt *stmt)
{
	rows_ctx *r = ctx;
	int p = 1;
	for (size_t j = 0; j < r->rows; j++) {
		const void *body = RT_OBJECT_BODY(r->w->objects[r->first + index * r->rows + j]);
		int rc = bind_colset(stmt, &p, r->w->model, r->w->columns, body, -1);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The database numbers the rows of one INSERT ... VALUES in the order of
 * the list and returns them in that order; the key is checked to rise so
 * that a database that did otherwise is an error, never rows matched to
 * the wrong objects. */
static int read_rows(void *ctx, size_t index, rt_stmt *stmt)
{
	rows_ctx *r = ctx;
	if (index != r->chunk) {
		r->chunk = index;
		r->row = 0;
	}
	if (r->row >= r->rows)
		return rt__error_set(RT_EDATABASE, "INSERT into %s returned more rows than it inserted",
				     r->w->model->table);
	size_t at = r->first + index * r->rows + r->row;
	int rc = read_generated(r->w, at, stmt);
	if (rc < 0)
		return rc;
	/* The key as read into its field: reading the column again would
	 * convert it a second time (text on PostgreSQL). */
	int64_t key = rt__int_field_get(&r->w->model->columns[r->key],
					RT_OBJECT_BODY(r->w->objects[at]));
	if (r->row > 0 && key <= r->last_key)
		return rt__error_set(RT_EDATABASE,
				     "INSERT into %s returned its rows out of order; "
				     "cannot tell which generated key is whose",
				     r->w->model->table);
	r->last_key = key;
	r->row++;
	return RT_OK;
}

/* Inserts the objects the dialect's rows_per_insert at a time (the last
 * statement takes the rest), reading the generated columns back. */
static int insert_many_rows(write_ctx *w, rt_conn *conn, size_t count, int key)
{
	const rt_model_desc *model = w->model;
	size_t columns = columns_count(model, w->columns);
	size_t per = (size_t)rt__flush_rows_per_insert(conn->dialect);
	size_t limit = (size_t)rt__flush_max_parameters(conn->dialect);
	if (columns * per > limit)
		per = limit / columns;
	size_t done = 0;
	while (done < count) {
		size_t rows = count - done >= per ? per : count - done;
		size_t statements = (count - done) / rows;
		char *sql = insert_rows_sql(conn->dialect, model, w->columns, rows);
		if (!sql)
			return rt__error_nomem();
		rt_stmt *stmt;
		int rc = rt__conn_statement(conn, sql, &stmt);
		free(sql);
		if (rc < 0)
			return rc;
		rows_ctx r = {w, done, rows, 0, 0, key, 0};
		rt_batch batch = {statements, bind_rows, read_rows, &r};
		uint64_t inserted = 0;
		rc = rt__stmt_run_batch(stmt, &batch, &inserted);
		if (rc < 0)
			return rc;
		done += statements * rows;
	}
	return RT_OK;
}

int rt__flush_insert(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		     rt_object *const *objects, size_t count, const rt_colset *columns)
{
	bool generated = !all_columns(model, columns);
	int key = rowid_key(conn, model);
	/* RETURNING, unless the dialect gives keys more cheaply (or has no
	 * RETURNING) and the generated columns can be found by key. */
	bool plain = generated && !rt__flush_returning_usable(conn->dialect) && key >= 0;
	if (generated && !plain && !conn->dialect->caps.returning)
		return rt__error_set(RT_EINVAL, "inserting into %s needs INSERT ... RETURNING to read "
					      "back its generated columns, which this database "
					      "lacks", model->table);
	write_ctx w = {session, -1, model, objects, columns, NULL, NULL, NULL};
	/* Many rows a statement where the generated key tells them apart: the
	 * server's cost is per statement, and one INSERT of 100 rows takes a
	 * fraction of the time of 100 INSERTs, even pipelined. Also where
	 * RETURNING is slow (SQLite): its cost is per execution, and 100,000
	 * new users took 0.15 s this way against 0.20 s inserted one a
	 * statement and read back by key range. */
	int generated_key =
		generated && conn->dialect->caps.returning ? generated_integer_key(model, columns) : -1;
	if (generated_key >= 0 && count > 1 && columns_count(model, columns) > 0)
		return insert_many_rows(&w, conn, count, generated_key);
	const char *sql = rt__flush_insert_sql(session, conn->dialect, model, columns, plain || !generated);
	if (!sql)
		return RT_ENOMEM;
	rt_stmt *stmt;
	int rc = rt__conn_statement(conn, sql, &stmt);
	if (rc < 0)
		return rc;
	if (plain) {
		rc = insert_plain(&w, stmt, count, key);
		return rc < 0 ? rc : read_back(&w, conn, count, key);
	}
	rt_batch batch = {count, bind_insert, generated ? read_generated : NULL, &w};
	return rt__stmt_run_batch(stmt, &batch, NULL);
}

/* "id = 42" of the row an object stands for (its snapshot's key). */
void rt__describe_key(rt_buf *buf, const rt_model_desc *model, const void *body)
{
	for (int k = 0; k < model->primary_key_count; k++) {
		const rt_column_desc *c = &model->columns[model->primary_key[k]];
		rt__buf_printf(buf, "%s%s=", k ? ", " : "", c->name);
		rt__field_describe(buf, c, body);
	}
}

static int bind_update(void *ctx, size_t index, rt_stmt *stmt)
{
	write_ctx *w = ctx;
	const rt_model_desc *model = w->model;
	const rt_object *object = w->objects[index];
	int p = 1;
	/* The version is the statement's own: SET v = v + 1. */
	int rc = bind_colset(stmt, &p, model, w->columns, RT_OBJECT_BODY((rt_object *)object),
			     w->version);
	if (rc < 0)
		return rc;
	for (int k = 0; k < model->primary_key_count && rc == RT_OK; k++)
		rc = rt__field_bind(stmt, p++, model, model->primary_key[k], rt__object_snapshot(object));
	if (rc == RT_OK && w->version >= 0)
		rc = rt__field_bind(stmt, p++, model, w->version, rt__object_snapshot(object));
	return rc;
}

static int update_seen(void *ctx, size_t index, rt_stmt *stmt)
{
	(void)stmt;
	write_ctx *w = ctx;
	w->seen[index] = true;
	return RT_OK;
}

static int stale(const rt_model_desc *model, const rt_object *object)
{
	rt_buf key = RT_BUF_INIT;
	rt__describe_key(&key, model, rt__object_snapshot(object));
	int rc = rt__error_set(RT_ENOTFOUND, "row of %s with %s was deleted or its key changed "
					     "by someone else", model->table,
			       rt__buf_failed(&key) ? "that key" : rt__buf_cstr(&key));
	rt__buf_free(&key);
	return rc;
}

/* After an UPDATE matched fewer rows than it had objects: the first
 * object whose row is gone, named in the error. */
static int find_stale(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		      rt_object *const *objects, size_t count)
{
	const char *sql = rt__flush_exists_sql(session, conn->dialect, model);
	rt_stmt *stmt;
	int rc = sql ? rt__conn_statement(conn, sql, &stmt) : RT_ENOMEM;
	for (size_t i = 0; i < count && rc == RT_OK; i++) {
		for (int k = 0; k < model->primary_key_count && rc == RT_OK; k++)
			rc = rt__field_bind(stmt, k + 1, model, model->primary_key[k],
					    rt__object_snapshot(objects[i]));
		if (rc == RT_OK)
			rc = rt_stmt_step(stmt);
		rt_stmt_reset(stmt);
		if (rc == RT_DONE)
			return stale(model, objects[i]);
		if (rc == RT_ROW)
			rc = RT_OK;
	}
	return rc < 0 ? rc
		      : rt__error_set(RT_ENOTFOUND, "rows of %s were deleted or their keys changed "
						    "by someone else", model->table);
}

/* A versioned model's UPDATEs where no row comes back to say which
 * matched: one execution per object, its count telling (a batch's total
 * would not say whose row someone else changed). */
static int update_each(write_ctx *w, rt_stmt *stmt, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		int rc = rt_stmt_reset(stmt);
		if (rc == RT_OK)
			rc = bind_update(w, i, stmt);
		while (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_ROW)
			rc = RT_OK;
		if (rc < 0) {
			rt_stmt_reset(stmt);
			return rt__error_wrap("parameter set %zu of %zu", i, count);
		}
		if (rt__stmt_changes(stmt) == 0) {
			rt_stmt_reset(stmt);
			return rt__version_stale(stmt->conn, w->model, w->objects[i]);
		}
	}
	rt__version_bumped(w->model, w->objects, count);
	return rt_stmt_reset(stmt);
}

int rt__flush_update(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		     rt_object *const *objects, size_t count, const rt_colset *columns)
{
	const char *sql = rt__flush_update_sql(session, conn->dialect, model, columns);
	if (!sql)
		return RT_ENOMEM;
	rt_stmt *stmt;
	int rc = rt__conn_statement(conn, sql, &stmt);
	if (rc < 0)
		return rc;
	bool returning = rt__flush_returning_usable(conn->dialect) && !conn->dialect->caps.returning_insert_only;
	bool *seen = returning ? calloc(count, sizeof(*seen)) : NULL;
	if (returning && !seen)
		return rt__error_nomem();
	int version = rt__version_column(model);
	write_ctx w = {session, version, model, objects, columns, NULL, NULL, seen};
	if (version >= 0 && !returning) {
		rc = update_each(&w, stmt, count);
		free(seen);
		return rc;
	}
	rt_batch batch = {count, bind_update, returning ? update_seen : NULL, &w};
	uint64_t affected = 0;
	rc = rt__stmt_run_batch(stmt, &batch, &affected);
	if (rc == RT_OK && version >= 0) {
		for (size_t i = 0; i < count && rc == RT_OK; i++)
			if (!seen[i])
				rc = rt__version_stale(conn, model, objects[i]);
		if (rc == RT_OK)
			rt__version_bumped(model, objects, count);
	} else if (rc == RT_OK && returning) {
		for (size_t i = 0; i < count && rc == RT_OK; i++)
			if (!seen[i])
				rc = stale(model, objects[i]);
	} else if (rc == RT_OK && affected != count) {
		rc = find_stale(session, conn, model, objects, count);
	}
	free(seen);
	return rc;
}

static int bind_delete(void *ctx, size_t index, rt_stmt *stmt)
{
	write_ctx *w = ctx;
	const rt_object *object = w->objects[index];
	int p = 1;
	for (int k = 0; k < w->model->primary_key_count; k++) {
		int rc = rt__field_bind(stmt, p++, w->model, w->model->primary_key[k],
					rt__object_snapshot(object));
		if (rc < 0)
			return rc;
	}
	return w->version >= 0 ? rt__field_bind(stmt, p, w->model, w->version, rt__object_snapshot(object))
			       : RT_OK;
}

int rt__flush_delete(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		     rt_object *const *objects, size_t count)
{
	const char *sql = rt__flush_delete_sql(session, conn->dialect, model);
	if (!sql)
		return RT_ENOMEM;
	rt_stmt *stmt;
	int rc = rt__conn_statement(conn, sql, &stmt);
	if (rc < 0)
		return rc;
	write_ctx w = {session, rt__version_column(model), model, objects, NULL, NULL, NULL, NULL};
	rt_batch batch = {count, bind_delete, NULL, &w};
	uint64_t affected = 0;
	rc = rt__stmt_run_batch(stmt, &batch, &affected);
	/* A row already gone is what was asked for, unless the model is
	 * versioned: then the row must be as it was loaded. */
	if (rc == RT_OK && w.version >= 0 && affected != count)
		rc = rt__version_find_stale_delete(conn, model, objects, count);
	return rc;
}

/* Binds the key columns `cols` of object (the values it references). */
static int bind_key_columns(rt_stmt *stmt, int *p, const rt_object *object, const int *cols,
			int n)
{
	for (int i = 0; i < n; i++) {
		int rc = rt__field_bind(stmt, (*p)++, object->model, cols[i],
					RT_OBJECT_BODY((rt_object *)object));
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static int bind_pair(void *ctx, size_t index, rt_stmt *stmt)
{
	write_ctx *w = ctx;
	const rt_assoc_pair *pair = &w->pairs[index];
	int p = 1;
	int rc = bind_key_columns(stmt, &p, pair->left, w->rel->columns, w->rel->column_count);
	if (rc == RT_OK)
		rc = bind_key_columns(stmt, &p, pair->right, w->rel->target_columns,
				  w->rel->column_count);
	return rc;
}

int rt__flush_assoc(rt_session *session, rt_conn *conn, const rt_assoc_pair *pairs,
		    size_t count, bool insert)
{
	if (!count)
		return RT_OK;
	const rt_relationship_desc *rel = pairs[0].rel;
	const char *sql = rt__flush_assoc_sql(session, conn->dialect, rel,
				    insert ? SQL_ASSOC_INSERT : SQL_ASSOC_DELETE);
	if (!sql)
		return RT_ENOMEM;
	rt_stmt *stmt;
	int rc = rt__conn_statement(conn, sql, &stmt);
	if (rc < 0)
		return rc;
	write_ctx w = {session, -1, NULL, NULL, NULL, rel, pairs, NULL};
	rt_batch batch = {count, bind_pair, NULL, &w};
	rc = rt__stmt_run_batch(stmt, &batch, NULL);
	return rc < 0 ? rt__error_wrap("%s of %s", insert ? "insert into" : "delete from",
				       rel->secondary)
		      : RT_OK;
}

static int bind_clear(void *ctx, size_t index, rt_stmt *stmt)
{
	write_ctx *w = ctx;
	int p = 1;
	/* The row as loaded: its key from the snapshot. */
	const rt_object *object = w->objects[index];
	for (int i = 0; i < w->rel->column_count; i++) {
		int rc = rt__field_bind(stmt, p++, object->model, w->rel->columns[i],
					rt__object_snapshot(object));
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

int rt__flush_assoc_clear(rt_session *session, rt_conn *conn, const rt_relationship_desc *rel,
			  rt_object *const *objects, size_t count)
{
	if (!count)
		return RT_OK;
	const char *sql = rt__flush_assoc_sql(session, conn->dialect, rel, SQL_ASSOC_CLEAR);
	if (!sql)
		return RT_ENOMEM;
	rt_stmt *stmt;
	int rc = rt__conn_statement(conn, sql, &stmt);
	if (rc < 0)
		return rc;
	write_ctx w = {session, -1, NULL, objects, NULL, rel, NULL, NULL};
	rt_batch batch = {count, bind_clear, NULL, &w};
	return rt__stmt_run_batch(stmt, &batch, NULL);
}
