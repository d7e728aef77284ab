/*
 * conn_setup.c - what happens to every new connection of an engine, and
 * how the pool judges an old one (engine.h).
 *
 * Set-up: the engine's init_sql, then its on_connect callback, run on each
 * connection as it opens (SQLAlchemy's "connect" event), so that settings
 * a session relies on (statement_timeout, search_path, a cipher key) hold
 * on whichever connection the pool hands out.
 *
 * Health: pre-ping checks a connection that has sat idle before the pool
 * hands it out again (a server restarted or a firewall dropped it
 * meanwhile), and recycling closes one older than a lifetime (a server's
 * wait_timeout, a proxy's idle limit). Both are the engine's options or
 * the URL's query parameters pool_pre_ping and pool_recycle, taken out of
 * the URL here before the driver reads the rest, as isolation_level is.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/wait.h"
#include "engine/engine.h"
#include "engine/url.h"

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool same_word(const char *value, const char *word)
{
	for (; *value && *word; value++, word++)
		if (ascii_lower(*value) != *word)
			return false;
	return !*value && !*word;
}

/* A number of seconds (a fraction allowed) as milliseconds; false when
 * value is not one, or is negative or beyond a day's worth of weeks. */
static bool seconds_ms(const char *value, int64_t *ms)
{
	char *end;
	double seconds = strtod(value, &end);
	if (!*value || *end || !(seconds >= 0 && seconds <= 1e7))
		return false;
	*ms = (int64_t)(seconds * 1000 + 0.5);
	return true;
}

/* ?pool_pre_ping=true|false|<seconds idle>. */
static int read_pre_ping(rt_pool *pool, const char *value, const char *url)
{
	if (same_word(value, "true") || same_word(value, "on")) {
		pool->pre_ping = true;
		pool->pre_ping_idle_ms = 0;
	} else if (same_word(value, "false") || same_word(value, "off")) {
		pool->pre_ping = false;
	} else if (seconds_ms(value, &pool->pre_ping_idle_ms)) {
		pool->pre_ping = true;
	} else {
		return rt__error_set(RT_EPARSE,
				     "bad pool_pre_ping '%s' in %s: expected true, false or the "
				     "seconds a connection must have been idle to be checked",
				     value, url);
	}
	return RT_OK;
}

/* ?pool_recycle=<seconds>; -1 (SQLAlchemy's "never") or 0: never. */
static int read_recycle(rt_pool *pool, const char *value, const char *url)
{
	if (strcmp(value, "-1") == 0) {
		pool->recycle_ms = 0;
		return RT_OK;
	}
	if (!seconds_ms(value, &pool->recycle_ms))
		return rt__error_set(RT_EPARSE,
				     "bad pool_recycle '%s' in %s: expected a connection's "
				     "lifetime in seconds (-1 or 0: never recycled)",
				     value, url);
	return RT_OK;
}

int rt__engine_setup_read(rt_engine *engine, const rt_engine_options *opts)
{
	rt_pool *pool = &engine->pool;
	const char *url = engine->url_masked;
	pool->pre_ping = false;
	pool->pre_ping_idle_ms = 0;
	pool->recycle_ms = 0;
	/* The URL's first, so that the program's options, when set, win. */
	const char *value = rt__url_take_option(&engine->params, "pool_pre_ping");
	if (value && read_pre_ping(pool, value, url) < 0)
		return RT_EPARSE;
	value = rt__url_take_option(&engine->params, "pool_recycle");
	if (value && read_recycle(pool, value, url) < 0)
		return RT_EPARSE;
	if (!opts || opts->version < 4)
		return RT_OK;
	if (opts->pool_pre_ping_idle_ms < 0 || opts->pool_recycle_ms < 0)
		return rt__error_set(RT_EINVAL, "rt_engine_open: pool_pre_ping_idle_ms and "
						"pool_recycle_ms cannot be negative");
	if (opts->pool_pre_ping) {
		pool->pre_ping = true;
		pool->pre_ping_idle_ms = opts->pool_pre_ping_idle_ms;
	}
	if (opts->pool_recycle_ms)
		pool->recycle_ms = opts->pool_recycle_ms;
	if (opts->init_sql && !(engine->init_sql = rt__arena_strdup(engine->arena, opts->init_sql)))
		return rt__error_nomem();
	engine->on_connect = opts->on_connect;
	engine->on_connect_user = opts->on_connect_user;
	return RT_OK;
}

int rt__conn_setup(rt_conn *conn)
{
	rt_engine *engine = conn->engine;
	conn->created_ms = conn->returned_ms = rt__now_ms();
	if (engine->init_sql && rt_conn_execute(conn, engine->init_sql) < 0)
		return rt__error_wrap("init_sql of %s", engine->url_masked);
	if (!engine->on_connect)
		return RT_OK;
	rt_error_clear();
	int rc = engine->on_connect(conn, engine->on_connect_user);
	if (rc >= 0)
		return RT_OK;
	/* The callback's own message when it set one, else say who failed. */
	if (rt_error_last()->code == RT_OK)
		return rt__error_set(rc, "on_connect refused a connection to %s (%s)",
				     engine->url_masked, rt_error_code_name(rc));
	return rc;
}

bool rt__conn_expired(const rt_conn *conn, int64_t now_ms)
{
	int64_t lifetime = conn->engine->pool.recycle_ms;
	return lifetime > 0 && now_ms - conn->created_ms >= lifetime;
}

bool rt__conn_alive(rt_conn *conn, int64_t now_ms)
{
	const rt_pool *pool = &conn->engine->pool;
	if (!pool->pre_ping || !conn->dialect->ping ||
	    now_ms - conn->returned_ms < pool->pre_ping_idle_ms)
		return true;
	if (conn->engine->echo)
		rt__echo_sql(conn->engine, "pre-ping");
	if (conn->dialect->ping(conn->driver) == RT_OK)
		return true;
	/* Dead: the caller gets a new connection, not this error. */
	rt_error_clear();
	return false;
}
