/*
 * stmt_cache.c - each connection's prepared statements, by SQL text.
 *
 * The ORM runs the same few statements over and over (INSERT INTO users
 * ..., SELECT ... WHERE id = ?); preparing each once per connection saves
 * SQLite's parse and plan, and on PostgreSQL the dialect makes a cached
 * statement a named server-side prepared statement, so the server parses
 * and plans it once too.
 *
 * A chained hash table finds a statement by its text; a recency list
 * orders them. The cache holds at most CACHE_CAPACITY statements; taking
 * one more finalizes the least recently used. Consequences for callers:
 *   - a statement from rt__conn_statement stays valid until 256 other
 *     distinct statements have been taken from the connection, or the
 *     connection closes;
 *   - taking the same SQL again rewinds the one statement: finish (or
 *     abandon) a loop over its rows before running that SQL again.
 *
 * The memo: the SQL of a model's get-by-key is the same every time, yet
 * building it (quoting each column), hashing it and comparing it cost a
 * short session's get a tenth of its client time. rt__conn_statement_for
 * remembers such texts by what they were built from (an owner pointer
 * and a kind), with their hash, so a repeat costs a pointer hash. The
 * memo is small and emptied when half full: it holds the few statements
 * a program runs in a loop, not every text ever built.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fiber.h"
#include "engine/engine.h"

#define CACHE_CAPACITY 256
#define CACHE_BUCKETS 512 /* a power of two, twice the capacity */
#define MEMO_SLOTS 64     /* a power of two */

typedef struct sql_memo {
	const void *owner; /* NULL: an empty slot */
	int kind;
	uint32_t hash;     /* hash_text(sql) */
	char *sql;
} sql_memo;

struct rt_stmt_cache {
	rt_stmt *buckets[CACHE_BUCKETS];
	rt_stmt *newest, *oldest; /* the recency list: newest first */
	size_t count;
	sql_memo memo[MEMO_SLOTS];
	size_t memo_count;
};

/* FNV-1a: short, good enough for SQL texts, no allocation. */
static uint32_t hash_text(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void lru_unlink(rt_stmt_cache *cache, rt_stmt *stmt)
{
	if (stmt->lru_prev)
		stmt->lru_prev->lru_next = stmt->lru_next;
	else
		cache->newest = stmt->lru_next;
	if (stmt->lru_next)
		stmt->lru_next->lru_prev = stmt->lru_prev;
	else
		cache->oldest = stmt->lru_prev;
	stmt->lru_prev = stmt->lru_next = NULL;
}

static void lru_push(rt_stmt_cache *cache, rt_stmt *stmt)
{
	stmt->lru_prev = NULL;
	stmt->lru_next = cache->newest;
	if (cache->newest)
		cache->newest->lru_prev = stmt;
	else
		cache->oldest = stmt;
	cache->newest = stmt;
}

void *rt__conn_user(rt_conn *conn)
{
	rt_fiber *fiber = rt__fiber_current();
	return fiber ? (void *)fiber : (void *)conn;
}

static void evict(rt_stmt_cache *cache, rt_stmt *stmt)
{
	rt_stmt **link = &cache->buckets[stmt->hash & (CACHE_BUCKETS - 1)];
	while (*link != stmt)
		link = &(*link)->cache_next;
	*link = stmt->cache_next;
	lru_unlink(cache, stmt);
	cache->count--;
	rt__stmt_destroy(stmt);
}

static rt_stmt_cache *cache_of(rt_conn *conn)
{
	if (!conn->cache && !(conn->cache = calloc(1, sizeof(*conn->cache))))
		rt__error_nomem();
	return conn->cache;
}

/* The statement for sql, whose hash_text is hash, from the cache or new. */
static int statement(rt_conn *conn, rt_stmt_cache *cache, const char *sql, uint32_t hash,
		     rt_stmt **out)
{
	rt_stmt **bucket = &cache->buckets[hash & (CACHE_BUCKETS - 1)];
	bool shared = conn->engine && conn->engine->pool.share;
	void *me = shared ? rt__conn_user(conn) : NULL;
	for (rt_stmt *stmt = *bucket; stmt; stmt = stmt->cache_next) {
		if (stmt->hash == hash && (!stmt->owner || stmt->owner == me) &&
		    strcmp(stmt->sql, sql) == 0) {
			stmt->owner = me;
			if (cache->newest != stmt) {
				lru_unlink(cache, stmt);
				lru_push(cache, stmt);
			}
			if (stmt->started) {
				int rc = rt_stmt_reset(stmt);
				if (rc < 0)
					return rc;
			}
			*out = stmt;
			return RT_OK;
		}
	}

	const rt_dialect *d = conn->dialect;
	rt_driver_stmt *driver = NULL;
	int rc = (d->prepare_cached ? d->prepare_cached : d->prepare)(&driver, conn->driver, sql);
	if (rc < 0)
		return rt__conn_check(conn, rc);
	rt_stmt *stmt;
	if ((rc = rt__stmt_wrap(conn, driver, sql, &stmt)) < 0) {
		d->finalize(driver);
		return rc;
	}
	stmt->cached = true;
	stmt->owner = me;
	stmt->hash = hash;
	stmt->cache_next = *bucket;
	*bucket = stmt;
	lru_push(cache, stmt);
	if (++cache->count > CACHE_CAPACITY) {
		/* The least recently used one nobody holds. */
		rt_stmt *old = cache->oldest;
		while (old && old->owner)
			old = old->lru_prev;
		if (old)
			evict(cache, old);
	}
	*out = stmt;
	return RT_OK;
}

int rt__conn_statement(rt_conn *conn, const char *sql, rt_stmt **out)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "statement: out is NULL");
	*out = NULL;
	if (!conn || !sql)
		return rt__error_set(RT_EINVAL, "statement: NULL argument");
	rt_stmt_cache *cache = cache_of(conn);
	if (!cache)
		return RT_ENOMEM;
	return statement(conn, cache, sql, hash_text(sql), out);
}

static void memo_clear(rt_stmt_cache *cache)
{
	for (size_t i = 0; i < MEMO_SLOTS; i++) {
		free(cache->memo[i].sql);
		cache->memo[i] = (sql_memo){0};
	}
	cache->memo_count = 0;
}

/* The slot of (owner, kind): its own, or the empty one it would take. */
static sql_memo *memo_slot(rt_stmt_cache *cache, const void *owner, int kind)
{
	uint64_t h = ((uint64_t)(uintptr_t)owner ^ (uint64_t)kind) * 0x9e3779b97f4a7c15ull;
	for (size_t i = (size_t)(h >> 58);; i = (i + 1) & (MEMO_SLOTS - 1)) {
		sql_memo *m = &cache->memo[i];
		if (!m->owner || (m->owner == owner && m->kind == kind))
			return m;
	}
}

int rt__conn_statement_for(rt_conn *conn, const void *owner, int kind, rt_sql_builder build,
			   rt_stmt **out)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "statement: out is NULL");
	*out = NULL;
	if (!conn || !owner || !build)
		return rt__error_set(RT_EINVAL, "statement: NULL argument");
	rt_stmt_cache *cache = cache_of(conn);
	if (!cache)
		return RT_ENOMEM;
	sql_memo *m = memo_slot(cache, owner, kind);
	if (!m->owner) {
		rt_buf sql = RT_BUF_INIT;
		build(&sql, conn->dialect, owner);
		char *text = rt__buf_failed(&sql) ? NULL : strdup(rt__buf_cstr(&sql));
		rt__buf_free(&sql);
		if (!text)
			return rt__error_nomem();
		/* Less than half full after this one: probes stay short. */
		if (cache->memo_count + 1 > MEMO_SLOTS / 2) {
			memo_clear(cache);
			m = memo_slot(cache, owner, kind);
		}
		*m = (sql_memo){owner, kind, hash_text(text), text};
		cache->memo_count++;
	}
	return statement(conn, cache, m->sql, m->hash, out);
}

void rt__stmt_cache_reset_all(rt_conn *conn)
{
	if (!conn->cache)
		return;
	for (rt_stmt *stmt = conn->cache->newest; stmt; stmt = stmt->lru_next) {
		stmt->owner = NULL;
		if (stmt->started)
			rt_stmt_reset(stmt);
	}
}

void rt__stmt_cache_disown(rt_conn *conn, void *owner)
{
	if (!conn->cache)
		return;
	for (rt_stmt *stmt = conn->cache->newest; stmt; stmt = stmt->lru_next) {
		if (stmt->owner != owner)
			continue;
		stmt->owner = NULL;
		if (stmt->started)
			rt_stmt_reset(stmt);
	}
}

void rt__stmt_cache_free(rt_conn *conn)
{
	rt_stmt_cache *cache = conn->cache;
	if (!cache)
		return;
	rt_stmt *stmt = cache->newest;
	while (stmt) {
		rt_stmt *next = stmt->lru_next;
		rt__stmt_destroy(stmt);
		stmt = next;
	}
	memo_clear(cache);
	free(cache);
	conn->cache = NULL;
}
