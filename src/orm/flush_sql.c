/*
 * flush_sql.c - the SQL text of a flush's statements (orm/flush.h):
 * INSERT (with RETURNING where the dialect reads generated columns back
 * that way), UPDATE of a set of columns, the SELECT that reads generated
 * columns back, EXISTS and DELETE by key, and the association tables'
 * INSERT and DELETE.
 *
 * Each text is built once per session for each (model or relationship,
 * kind, column set) and kept in a small open-addressing table keyed by
 * all three: the pointer of the model and a bit set of columns are what
 * identify a statement, which no string key would say as cheaply, and
 * the flush of 100,000 objects asks for the same text 100,000 times.
 */
#include "orm/flush.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* ------------------------------------------------------------------------ */
/* The SQL cache                                                             */
/* ------------------------------------------------------------------------ */



typedef struct sql_entry {
	const void *owner; /* model or relationship; NULL = empty slot */
	int kind;
	rt_colset columns;
	const char *sql;
} sql_entry;

struct rt_sql_cache {
	sql_entry *entries;
	size_t count, cap; /* cap a power of two */
};

static uint64_t key_hash(const void *owner, int kind, const rt_colset *columns)
{
	uint64_t h = (uint64_t)(uintptr_t)owner * 0x9e3779b97f4a7c15ull ^ (uint64_t)kind;
	for (size_t i = 0; i < sizeof(columns->w) / sizeof(columns->w[0]); i++)
		h = (h ^ columns->w[i]) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

void rt__flush_cache_free(rt_session *session)
{
	if (session->sql_cache) {
		free(session->sql_cache->entries);
		free(session->sql_cache);
		session->sql_cache = NULL;
	}
}

static sql_entry *cache_slot(struct rt_sql_cache *cache, const void *owner, int kind,
			     const rt_colset *columns)
{
	size_t mask = cache->cap - 1;
	for (size_t i = (size_t)key_hash(owner, kind, columns) & mask;; i = (i + 1) & mask) {
		sql_entry *e = &cache->entries[i];
		if (!e->owner || (e->owner == owner && e->kind == kind &&
				  rt__colset_equal(&e->columns, columns)))
			return e;
	}
}

static int cache_grow(struct rt_sql_cache *cache)
{
	size_t cap = cache->cap ? cache->cap * 2 : 32;
	sql_entry *entries = calloc(cap, sizeof(*entries));
	if (!entries)
		return rt__error_nomem();
	struct rt_sql_cache grown = {entries, 0, cap};
	for (size_t i = 0; i < cache->cap; i++) {
		sql_entry *e = &cache->entries[i];
		if (e->owner) {
			*cache_slot(&grown, e->owner, e->kind, &e->columns) = *e;
			grown.count++;
		}
	}
	free(cache->entries);
	*cache = grown;
	return RT_OK;
}

/* The cached SQL, or NULL when there is none yet. */
static const char *cache_get(rt_session *session, const void *owner, int kind,
			     const rt_colset *columns)
{
	struct rt_sql_cache *cache = session->sql_cache;
	if (!cache || !cache->cap)
		return NULL;
	sql_entry *e = cache_slot(cache, owner, kind, columns);
	return e->owner ? e->sql : NULL;
}

/* Keeps a copy of the SQL built in buf; returns it (NULL: out of memory). */
static const char *cache_put(rt_session *session, const void *owner, int kind,
			     const rt_colset *columns, rt_buf *buf)
{
	if (rt__buf_failed(buf)) {
		rt__error_nomem();
		return NULL;
	}
	if (!session->sql_cache && !(session->sql_cache = calloc(1, sizeof(*session->sql_cache)))) {
		rt__error_nomem();
		return NULL;
	}
	struct rt_sql_cache *cache = session->sql_cache;
	if ((cache->count + 1) * 2 > cache->cap && cache_grow(cache) < 0)
		return NULL;
	const char *sql = rt__arena_strdup(session->arena, rt__buf_cstr(buf));
	if (!sql) {
		rt__error_nomem();
		return NULL;
	}
	sql_entry *e = cache_slot(cache, owner, kind, columns);
	e->owner = owner;
	e->kind = kind;
	e->columns = *columns;
	e->sql = sql;
	cache->count++;
	return sql;
}

/* ------------------------------------------------------------------------ */
/* Building SQL                                                              */
/* ------------------------------------------------------------------------ */

static void put_ident(rt_buf *buf, const rt_dialect *d, const char *name)
{
	d->quote_ident(buf, name);
}

/* WHERE "k1" = ? AND "k2" = ? over the primary key. */
static void where_key(rt_buf *buf, const rt_dialect *d, const rt_model_desc *model)
{
	rt__buf_puts(buf, " WHERE ");
	for (int k = 0; k < model->primary_key_count; k++) {
		if (k)
			rt__buf_puts(buf, " AND ");
		put_ident(buf, d, model->columns[model->primary_key[k]].name);
		rt__buf_puts(buf, " = ?");
	}
}

/* " AND v = ?" of a model with a `version` column (optimistic locking:
 * an UPDATE or DELETE of a row someone else changed matches nothing). */
static void where_version(rt_buf *buf, const rt_dialect *d, const rt_model_desc *model)
{
	int version = rt__version_column(model);
	if (version < 0)
		return;
	rt__buf_puts(buf, " AND ");
	put_ident(buf, d, model->columns[version].name);
	rt__buf_puts(buf, " = ?");
}

/* Whether the dialect reads generated keys back without RETURNING. */
bool rt__flush_returning_usable(const rt_dialect *d)
{
	return d->caps.returning && !d->caps.returning_slow;
}

int rt__flush_max_parameters(const rt_dialect *d)
{
	return d->caps.max_parameters > 0 ? d->caps.max_parameters : 999; /* SQLite's oldest */
}

/* 1,000 by default rather than 100: on MariaDB, 100,000 new users took
 * 0.38-0.40 s instead of 0.47-0.50 s (PostgreSQL the same either way). */
int rt__flush_rows_per_insert(const rt_dialect *d)
{
	return d->caps.rows_per_insert > 0 ? d->caps.rows_per_insert : 1000;
}

/* INSERT INTO t (columns) VALUES (?, ...)[, (?, ...) for `rows` rows]
 * [RETURNING the columns not in `columns`]; the dialect's insert_defaults
 * (DEFAULT VALUES) when `columns` is empty (one row). */
void rt__flush_put_insert(rt_buf *buf, const rt_dialect *d, const rt_model_desc *model,
		       const rt_colset *columns, size_t rows, bool returning)
{
	rt__buf_puts(buf, "INSERT INTO ");
	rt__sql_table(buf, d, model->schema, model->table);
	int n = 0;
	for (int i = 0; i < model->column_count; i++) {
		if (!rt__colset_has(columns, i))
			continue;
		rt__buf_puts(buf, n++ ? ", " : " (");
		put_ident(buf, d, model->columns[i].name);
	}
	if (n) {
		rt__buf_puts(buf, ") VALUES ");
		for (size_t r = 0; r < rows; r++) {
			rt__buf_puts(buf, r ? ", (" : "(");
			for (int i = 0; i < n; i++)
				rt__buf_puts(buf, i ? ", ?" : "?");
			rt__buf_putc(buf, ')');
		}
	} else {
		rt__buf_puts(buf, d->insert_defaults);
	}
	int returned = 0;
	for (int i = 0; i < model->column_count && returning; i++) {
		if (rt__colset_has(columns, i))
			continue;
		rt__buf_puts(buf, returned++ ? ", " : " RETURNING ");
		put_ident(buf, d, model->columns[i].name);
	}
}

/* INSERT ... [RETURNING the columns not in `columns`] (plain: never). */
const char *rt__flush_insert_sql(rt_session *session, const rt_dialect *d,
			      const rt_model_desc *model, const rt_colset *columns, bool plain)
{
	int kind = plain ? SQL_INSERT_PLAIN : SQL_INSERT;
	const char *sql = cache_get(session, model, kind, columns);
	if (sql)
		return sql;
	rt_buf buf = RT_BUF_INIT;
	rt__flush_put_insert(&buf, d, model, columns, 1, !plain);
	sql = cache_put(session, model, kind, columns, &buf);
	rt__buf_free(&buf);
	return sql;
}

const char *rt__flush_update_sql(rt_session *session, const rt_dialect *d,
			      const rt_model_desc *model, const rt_colset *columns)
{
	const char *sql = cache_get(session, model, SQL_UPDATE, columns);
	if (sql)
		return sql;
	rt_buf buf = RT_BUF_INIT;
	rt__buf_puts(&buf, "UPDATE ");
	rt__sql_table(&buf, d, model->schema, model->table);
	int n = 0;
	int version = rt__version_column(model);
	for (int i = 0; i < model->column_count; i++) {
		if (!rt__colset_has(columns, i) || i == version)
			continue;
		rt__buf_puts(&buf, n++ ? ", " : " SET ");
		put_ident(&buf, d, model->columns[i].name);
		rt__buf_puts(&buf, " = ?");
	}
	/* Optimistic locking: the version the object was loaded with, bumped. */
	if (version >= 0) {
		rt__buf_puts(&buf, n++ ? ", " : " SET ");
		put_ident(&buf, d, model->columns[version].name);
		rt__buf_puts(&buf, " = ");
		put_ident(&buf, d, model->columns[version].name);
		rt__buf_puts(&buf, " + 1");
	}
	where_key(&buf, d, model);
	where_version(&buf, d, model);
	/* One row back per row updated: tells which row is gone. */
	if (rt__flush_returning_usable(d) && !d->caps.returning_insert_only)
		rt__buf_puts(&buf, " RETURNING 1");
	sql = cache_put(session, model, SQL_UPDATE, columns, &buf);
	rt__buf_free(&buf);
	return sql;
}

/* SELECT key, <generated columns> FROM t WHERE key IN (?, ... ?), the key
 * being the model's one primary-key column. */
const char *rt__flush_read_back_sql(rt_session *session, const rt_dialect *d,
				 const rt_model_desc *model, const rt_colset *columns, bool range)
{
	int kind = range ? SQL_READ_RANGE : SQL_READ_BACK;
	const char *sql = cache_get(session, model, kind, columns);
	if (sql)
		return sql;
	rt_buf buf = RT_BUF_INIT;
	const char *key = model->columns[model->primary_key[0]].name;
	rt__buf_puts(&buf, "SELECT ");
	put_ident(&buf, d, key);
	for (int i = 0; i < model->column_count; i++) {
		if (rt__colset_has(columns, i))
			continue;
		rt__buf_puts(&buf, ", ");
		put_ident(&buf, d, model->columns[i].name);
	}
	rt__buf_puts(&buf, " FROM ");
	rt__sql_table(&buf, d, model->schema, model->table);
	rt__buf_puts(&buf, " WHERE ");
	put_ident(&buf, d, key);
	if (range) {
		rt__buf_puts(&buf, " BETWEEN ? AND ?");
	} else {
		rt__buf_puts(&buf, " IN (");
		for (int i = 0; i < RT_FLUSH_READ_BACK_CHUNK; i++)
			rt__buf_puts(&buf, i ? ", ?" : "?");
		rt__buf_putc(&buf, ')');
	}
	sql = cache_put(session, model, kind, columns, &buf);
	rt__buf_free(&buf);
	return sql;
}

/* `verb` t WHERE <key>: SELECT 1 FROM (exists) or DELETE FROM. */
static const char *keyed_sql(rt_session *session, const rt_dialect *d,
			     const rt_model_desc *model, int kind, const char *verb)
{
	rt_colset none = {{0}};
	const char *sql = cache_get(session, model, kind, &none);
	if (sql)
		return sql;
	rt_buf buf = RT_BUF_INIT;
	rt__buf_puts(&buf, verb);
	rt__sql_table(&buf, d, model->schema, model->table);
	where_key(&buf, d, model);
	if (kind == SQL_DELETE)
		where_version(&buf, d, model);
	sql = cache_put(session, model, kind, &none, &buf);
	rt__buf_free(&buf);
	return sql;
}

const char *rt__flush_exists_sql(rt_session *session, const rt_dialect *d,
			      const rt_model_desc *model)
{
	return keyed_sql(session, d, model, SQL_EXISTS, "SELECT 1 FROM ");
}

const char *rt__flush_delete_sql(rt_session *session, const rt_dialect *d,
			      const rt_model_desc *model)
{
	return keyed_sql(session, d, model, SQL_DELETE, "DELETE FROM ");
}

/* INSERT INTO sec (a, b) VALUES (?, ?) / DELETE FROM sec WHERE a = ? AND b = ?
 * / DELETE FROM sec WHERE a = ? (clear: the left side's columns only). */
const char *rt__flush_assoc_sql(rt_session *session, const rt_dialect *d,
			     const rt_relationship_desc *rel, int kind)
{
	rt_colset none = {{0}};
	const char *sql = cache_get(session, rel, kind, &none);
	if (sql)
		return sql;
	rt_buf buf = RT_BUF_INIT;
	int n = rel->column_count;
	if (kind == SQL_ASSOC_INSERT) {
		rt__buf_puts(&buf, "INSERT INTO ");
		rt__sql_table(&buf, d, rel->secondary_schema, rel->secondary);
		rt__buf_puts(&buf, " (");
		for (int i = 0; i < n; i++) {
			put_ident(&buf, d, rel->secondary_columns[i]);
			rt__buf_puts(&buf, ", ");
		}
		for (int i = 0; i < n; i++) {
			if (i)
				rt__buf_puts(&buf, ", ");
			put_ident(&buf, d, rel->secondary_target_columns[i]);
		}
		rt__buf_puts(&buf, ") VALUES (");
		for (int i = 0; i < 2 * n; i++)
			rt__buf_puts(&buf, i ? ", ?" : "?");
		rt__buf_putc(&buf, ')');
	} else {
		rt__buf_puts(&buf, "DELETE FROM ");
		rt__sql_table(&buf, d, rel->secondary_schema, rel->secondary);
		rt__buf_puts(&buf, " WHERE ");
		for (int i = 0; i < n; i++) {
			if (i)
				rt__buf_puts(&buf, " AND ");
			put_ident(&buf, d, rel->secondary_columns[i]);
			rt__buf_puts(&buf, " = ?");
		}
		for (int i = 0; kind == SQL_ASSOC_DELETE && i < n; i++) {
			rt__buf_puts(&buf, " AND ");
			put_ident(&buf, d, rel->secondary_target_columns[i]);
			rt__buf_puts(&buf, " = ?");
		}
	}
	sql = cache_put(session, rel, kind, &none, &buf);
	rt__buf_free(&buf);
	return sql;
}
