/*
 * pool.c - the engine's connection pool.
 *
 * An engine shared by threads hands each a connection (rt__engine_acquire)
 * and takes it back (rt__engine_release). At most pool_size connections
 * are open at once; an idle one is reused (most recently returned first,
 * so a warm connection with its statement cache serves the next caller); a
 * caller finding none idle and the limit reached waits pool_timeout_ms for
 * one to be given back, then fails with RT_ELOCKED.
 *
 * A returned connection is made clean for the next user: unfinished
 * fetches ended, an open transaction rolled back. One that is broken, or
 * cannot be rolled back, is closed instead and its place freed.
 *
 * Health (conn_setup.c): a connection past the engine's pool_recycle is
 * closed when given back or taken; one idle longer than pool_pre_ping's
 * threshold is pinged when taken. Either is replaced by a new connection
 * in its place, so the caller never sees a dead one.
 *
 * An in-memory SQLite database is private to its connection, so for it the
 * pool holds one connection (the dialect's max_connections says so):
 * threads take turns with it, and every session sees the same database.
 *
 * Connections are opened and closed outside the mutex: connecting to a
 * server takes a round trip, and other threads must not queue behind it.
 *
 * An operation of the non-blocking API runs on a fiber (docs/async.md); a
 * fiber that finds no connection must not wait on the condition, which
 * would stop every fiber of its thread. It queues instead (fibers_first)
 * and stops; whoever gives a connection back hands it to the first queued
 * fiber and makes that fiber ready (rt__fiber_ready), and its scheduler
 * resumes it. Handed on so, a connection's rollback may go to the server
 * with the fiber's first statement (the dialect's rollback_unwaited).
 *
 * Shared connections. In autocommit, on a dialect whose connection can
 * carry the statements of several users at once (caps.shared_pipeline),
 * a session's fiber asks with rt__engine_acquire_shared: it gets an idle
 * connection, else a new one, else a share of the least busy connection
 * already lent to fibers of its thread (up to share_depth at once), else
 * it queues. The connection is lent (in pool->lent) until its last user
 * gives it back; then it is made clean and goes back as any other. A
 * broken one is lent to nobody more, and closed once its last user is
 * gone. Exclusive users (rt__engine_acquire: migrations, the blocking API)
 * never get a lent connection.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "base/fiber.h"
#include "base/wait.h"
#include "engine/engine.h"

/* A fiber queued for a connection (on its own stack while it waits). */
typedef struct pool_waiter {
	rt_fiber *fiber;
	struct pool_waiter *next;
	bool woken;
	rt_conn *conn; /* handed to it by rt__engine_release, or NULL */
	bool shared;   /* takes a share of a lent connection */
	pthread_t thread;
} pool_waiter;

#define SHARE_DEPTH 16

/* With the mutex held: conn starts being lent (its first user). */
static void lend(rt_pool *pool, rt_conn *conn)
{
	conn->leases = 1;
	conn->lease_thread = pthread_self();
	pool->lent[pool->lent_count++] = conn;
}

/* With the mutex held: one user of a lent connection is done. True when
 * it was the last: the connection is no longer lent. */
static bool unlend(rt_pool *pool, rt_conn *conn)
{
	if (--conn->leases > 0)
		return false;
	for (size_t i = 0; i < pool->lent_count; i++) {
		if (pool->lent[i] == conn) {
			pool->lent[i] = pool->lent[--pool->lent_count];
			break;
		}
	}
	return true;
}

/* With the mutex held: the lent connection of this thread with the
 * fewest users, below the depth; NULL when none. */
static rt_conn *least_busy(rt_pool *pool, pthread_t thread)
{
	rt_conn *best = NULL;
	for (size_t i = 0; i < pool->lent_count; i++) {
		rt_conn *c = pool->lent[i];
		if (c->broken || c->leases >= pool->share_depth ||
		    !pthread_equal(c->lease_thread, thread))
			continue;
		if (!best || c->leases < best->leases)
			best = c;
	}
	return best;
}

/* With the mutex held: hands shares of a lent connection to fibers of
 * its thread queued for one, up to the depth. */
static void share_out(rt_pool *pool, rt_conn *conn)
{
	pool_waiter **p = &pool->fibers_first, *prev = NULL;
	while (*p && !conn->broken && conn->leases < pool->share_depth) {
		pool_waiter *w = *p;
		if (!w->shared || !pthread_equal(w->thread, conn->lease_thread)) {
			prev = w;
			p = &w->next;
			continue;
		}
		*p = w->next;
		if (pool->fibers_last == w)
			pool->fibers_last = prev;
		conn->leases++;
		w->woken = true;
		w->conn = conn;
		rt__fiber_ready(w->fiber, 1);
	}
}

static bool clean(rt_conn *conn, bool handed_on);
static void wake_fiber(rt_pool *pool);

/* With the mutex held: gives conn to the first queued fiber. */
static void hand_over(rt_pool *pool, rt_conn *conn)
{
	pool_waiter *first = pool->fibers_first;
	pool->fibers_first = first->next;
	if (!pool->fibers_first)
		pool->fibers_last = NULL;
	first->woken = true;
	first->conn = conn;
	if (first->shared) {
		lend(pool, conn);
		share_out(pool, conn);
	}
	rt__fiber_ready(first->fiber, 1);
}

/* With the mutex held (released meanwhile): puts a connection nobody
 * waits for back among the idle ones, made clean, or closes it. */
static void put_back(rt_pool *pool, rt_conn *conn)
{
	pthread_mutex_unlock(&pool->mutex);
	bool keep = clean(conn, false);
	if (!keep)
		rt__conn_destroy(conn);
	pthread_mutex_lock(&pool->mutex);
	if (keep)
		pool->idle[pool->idle_count++] = conn;
	else
		pool->open--;
	pthread_cond_signal(&pool->returned);
	wake_fiber(pool); /* one may have queued while the mutex was free */
}

#define POOL_SIZE_DEFAULT 5
#define POOL_TIMEOUT_DEFAULT_MS 30000

int rt__pool_init(rt_engine *engine, const rt_engine_options *opts)
{
	rt_pool *pool = &engine->pool;
	int size = POOL_SIZE_DEFAULT, timeout = POOL_TIMEOUT_DEFAULT_MS;
	if (opts && opts->version >= 2) {
		if (opts->pool_size < 0)
			return rt__error_set(RT_EINVAL, "rt_engine_open: pool_size %d is negative",
					     opts->pool_size);
		if (opts->pool_size > 0)
			size = opts->pool_size;
		if (opts->pool_timeout_ms)
			timeout = opts->pool_timeout_ms < 0 ? -1 : opts->pool_timeout_ms;
	}
	const rt_dialect *d = engine->dialect;
	int max = d->max_connections ? d->max_connections(&engine->params) : 0;
	if (max > 0 && size > max)
		size = max;
	pool->size = size;
	pool->timeout_ms = timeout;
	pool->idle = rt__arena_alloc(engine->arena, (size_t)size * sizeof(*pool->idle));
	if (!pool->idle)
		return rt__error_nomem();
	pool->idle_count = 0;
	pool->open = 0;
	pool->share = engine->params.autocommit && d->caps.shared_pipeline;
	pool->share_depth = SHARE_DEPTH;
	pool->lent = rt__arena_alloc(engine->arena, (size_t)size * sizeof(*pool->lent));
	if (!pool->lent)
		return rt__error_nomem();
	pool->lent_count = 0;

	/* The condition waits on CLOCK_MONOTONIC: a clock change must not
	 * stretch or cut a wait short. */
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr) != 0)
		return rt__error_nomem();
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int rc = pthread_cond_init(&pool->returned, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0)
		return rt__error_set(RT_ERROR, "cannot create the pool's condition: %s",
				     strerror(rc));
	if ((rc = pthread_mutex_init(&pool->mutex, NULL)) != 0) {
		pthread_cond_destroy(&pool->returned);
		return rt__error_set(RT_ERROR, "cannot create the pool's mutex: %s", strerror(rc));
	}
	return RT_OK;
}

/* Closes the idle connections. Connections still in use at this point are
 * the program's bug; they are not touched (their memory would be freed
 * under the user). */
void rt__pool_destroy(rt_engine *engine)
{
	rt_pool *pool = &engine->pool;
	for (size_t i = 0; i < pool->idle_count; i++)
		rt__conn_destroy(pool->idle[i]);
	pool->idle_count = 0;
	pthread_mutex_destroy(&pool->mutex);
	pthread_cond_destroy(&pool->returned);
}

/* The moment timeout_ms from now, on the condition's clock. */
static struct timespec deadline_after(int timeout_ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += timeout_ms / 1000;
	t.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* With the mutex held, in a fiber: queues it and stops it until a
 * connection comes back (1), the pool's timeout passes (0) or the
 * operation is cancelled (RT_ECANCELED). The mutex is held again on
 * return, and the fiber is out of the queue. */
static int wait_as_fiber(rt_pool *pool, rt_conn **handed, bool shared)
{
	pool_waiter me = {rt__fiber_current(), NULL, false, NULL, shared, pthread_self()};
	if (pool->fibers_last)
		pool->fibers_last->next = &me;
	else
		pool->fibers_first = &me;
	pool->fibers_last = &me;
	pthread_mutex_unlock(&pool->mutex);
	int64_t deadline = rt__now_ms() + pool->timeout_ms;
	int got = rt__fiber_wait(-1, 0, deadline);
	pthread_mutex_lock(&pool->mutex);
	if (!me.woken) { /* still queued: take it out */
		pool_waiter **p = &pool->fibers_first, *prev = NULL;
		while (*p && *p != &me) {
			prev = *p;
			p = &(*p)->next;
		}
		if (*p)
			*p = me.next;
		if (pool->fibers_last == &me)
			pool->fibers_last = prev;
	} else if (me.conn && got > 0) {
		*handed = me.conn;
		return 1;
	} else if (me.conn && me.conn->leases > 0 && !unlend(pool, me.conn)) {
		/* Handed a share, but gone: others still use the connection. */
		share_out(pool, me.conn);
	} else if (me.conn) {
		/* Handed a connection, but gone (cancelled or timed out
		 * meanwhile): it is the next one's, or goes back. */
		if (pool->fibers_first)
			hand_over(pool, me.conn);
		else
			put_back(pool, me.conn);
	} else if (got <= 0 && pool->fibers_first) {
		/* Woken, but gone (cancelled or timed out meanwhile): the
		 * connection that woke it is for the next in the queue. */
		pool_waiter *next = pool->fibers_first;
		pool->fibers_first = next->next;
		if (!pool->fibers_first)
			pool->fibers_last = NULL;
		next->woken = true;
		rt__fiber_ready(next->fiber, 1);
	}
	if (got < 0)
		return rt__error_set(RT_ECANCELED, "the operation was cancelled while it waited "
						   "for a connection");
	return got > 0 ? 1 : 0;
}

/* With the mutex held: wakes the first fiber queued for a connection. */
static void wake_fiber(rt_pool *pool)
{
	pool_waiter *first = pool->fibers_first;
	if (!first)
		return;
	pool->fibers_first = first->next;
	if (!pool->fibers_first)
		pool->fibers_last = NULL;
	first->woken = true;
	rt__fiber_ready(first->fiber, 1);
}

/* With the mutex held: an idle connection (*from_idle: the caller checks
 * its health, and lends it when shared), or a place for a new one
 * (*open_new), waiting for either as long as the pool's timeout allows. */
static int take(rt_pool *pool, rt_conn **out, bool *open_new, bool *from_idle, bool shared)
{
	struct timespec deadline;
	bool have_deadline = false;
	for (;;) {
		if (pool->idle_count) {
			*out = pool->idle[--pool->idle_count];
			*from_idle = true;
			return RT_OK;
		}
		if (pool->open < pool->size) {
			pool->open++; /* the place is ours while we connect */
			*open_new = true;
			return RT_OK;
		}
		rt_conn *busy = shared ? least_busy(pool, pthread_self()) : NULL;
		if (busy) {
			busy->leases++;
			*out = busy;
			return RT_OK;
		}
		if (pool->timeout_ms < 0)
			break;
		if (rt__fiber_current()) {
			rt_conn *handed = NULL;
			int rc = wait_as_fiber(pool, &handed, shared);
			if (rc < 0)
				return rc;
			if (handed) {
				*out = handed;
				return RT_OK;
			}
			if (rc == 0 && !pool->idle_count && pool->open >= pool->size)
				break;
			continue;
		}
		if (!have_deadline) {
			deadline = deadline_after(pool->timeout_ms);
			have_deadline = true;
		}
		int rc = pthread_cond_timedwait(&pool->returned, &pool->mutex, &deadline);
		if (rc == ETIMEDOUT && !pool->idle_count && pool->open >= pool->size)
			break;
	}
	return rt__error_set(RT_ELOCKED,
			     "no free connection in the pool after %d ms: all %d are in use "
			     "(raise pool_size or pool_timeout_ms, or give connections back sooner)",
			     pool->timeout_ms < 0 ? 0 : pool->timeout_ms, pool->size);
}

static int acquire(rt_engine *engine, rt_conn **out, bool shared)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "acquire: out is NULL");
	*out = NULL;
	if (!engine)
		return rt__error_set(RT_EINVAL, "acquire: NULL engine");
	rt_pool *pool = &engine->pool;
	rt_conn *conn = NULL;
	bool open_new = false, from_idle = false;
	pthread_mutex_lock(&pool->mutex);
	int rc = take(pool, &conn, &open_new, &from_idle, shared);
	pthread_mutex_unlock(&pool->mutex);
	if (rc < 0)
		return rc;
	if (from_idle && (pool->recycle_ms > 0 || pool->pre_ping)) {
		/* Past its lifetime, or dead while idle: replaced in its place
		 * (the count of open ones stays), out of the mutex. */
		int64_t now = rt__now_ms();
		if (rt__conn_expired(conn, now) || !rt__conn_alive(conn, now)) {
			rt__conn_destroy(conn);
			conn = NULL;
			open_new = true;
		}
	}
	if (from_idle && conn && shared) {
		pthread_mutex_lock(&pool->mutex);
		lend(pool, conn);
		pthread_mutex_unlock(&pool->mutex);
	}
	if (open_new) {
		rc = rt__conn_create(engine, &conn);
		if (rc < 0) {
			pthread_mutex_lock(&pool->mutex);
			pool->open--;
			pthread_cond_signal(&pool->returned);
			wake_fiber(pool);
			pthread_mutex_unlock(&pool->mutex);
			return rc;
		}
		conn->pooled = true;
		if (shared) {
			/* Fibers that queued while it connected share it. */
			pthread_mutex_lock(&pool->mutex);
			lend(pool, conn);
			share_out(pool, conn);
			pthread_mutex_unlock(&pool->mutex);
		}
	}
	*out = conn;
	return RT_OK;
}

int rt__engine_acquire(rt_engine *engine, rt_conn **out)
{
	return acquire(engine, out, false);
}

int rt__engine_acquire_shared(rt_engine *engine, rt_conn **out)
{
	return acquire(engine, out, engine && engine->pool.share && rt__fiber_current());
}

bool rt__engine_autocommit(const rt_engine *engine)
{
	return engine->params.autocommit;
}

/* The calling thread's last error, copied out of its thread-local home. */
typedef struct error_copy {
	rt_error error;
	char *message, *constraint;
	char sqlstate[6];
} error_copy;

static void error_save(error_copy *copy)
{
	copy->error = *rt_error_last();
	copy->message = copy->error.code ? strdup(copy->error.message) : NULL;
	copy->constraint = copy->error.code ? strdup(copy->error.constraint_name) : NULL;
	snprintf(copy->sqlstate, sizeof(copy->sqlstate), "%s", copy->error.sqlstate);
}

static void error_restore(error_copy *copy)
{
	if (copy->error.code == RT_OK)
		rt_error_clear();
	else
		rt__error_set_db(copy->error.code, copy->sqlstate, copy->error.driver_code,
				 copy->error.constraint_kind,
				 copy->constraint && *copy->constraint ? copy->constraint : NULL,
				 "%s", copy->message ? copy->message : "");
	free(copy->message);
	free(copy->constraint);
}

/* Makes a connection fit for its next user: true when it is. handed_on:
 * it goes straight to a fiber waiting for one (rollback_unwaited). */
static bool clean(rt_conn *conn, bool handed_on)
{
	const rt_pool *pool = &conn->engine->pool;
	if (pool->pre_ping || pool->recycle_ms > 0) { /* the clock only when asked */
		conn->returned_ms = rt__now_ms();
		if (rt__conn_expired(conn, conn->returned_ms))
			return false;
	}
	if (conn->broken)
		return false;
	rt__stmt_cache_reset_all(conn);
	rt_driver_status status = conn->dialect->conn_status
					  ? conn->dialect->conn_status(conn->driver)
					  : (conn->in_transaction ? RT_DRIVER_IN_TRANSACTION
								  : RT_DRIVER_IDLE);
	if (status == RT_DRIVER_BROKEN)
		return false;
	if (status == RT_DRIVER_IN_TRANSACTION || conn->in_transaction) {
		/* The rollback's own error, if any, is not the caller's concern:
		 * keep the error the caller may be reporting. */
		error_copy saved;
		error_save(&saved);
		/* Nobody needs its result before the connection's next use:
		 * the dialect may read it then (dialect.h). */
		int rc = conn->dialect->rollback_unwaited
				 ? conn->dialect->rollback_unwaited(conn->driver, handed_on)
				 : conn->dialect->exec(conn->driver, "ROLLBACK");
		conn->in_transaction = 0;
		error_restore(&saved);
		if (rc < 0)
			return false;
	}
	return true;
}

void rt__engine_release(rt_engine *engine, rt_conn *conn)
{
	if (!conn)
		return;
	if (!engine || !conn->pooled || conn->engine != engine) {
		/* Not from this pool: close it rather than corrupt the count. */
		if (conn->pooled && conn->engine)
			engine = conn->engine;
		else {
			rt__conn_destroy(conn);
			return;
		}
	}
	rt_pool *pool = &engine->pool;
	if (pool->share) {
		/* Its statements are free for the other users (stmt_cache.c). */
		rt__stmt_cache_disown(conn, rt__conn_user(conn));
	}
	pthread_mutex_lock(&pool->mutex);
	if (conn->leases > 0 && !unlend(pool, conn)) {
		/* Others still use it: the share is the next queued fiber's. */
		share_out(pool, conn);
		pthread_mutex_unlock(&pool->mutex);
		return;
	}
	/* A fiber waiting for a connection gets this one straight away, so
	 * its rollback may go with that fiber's first statement. */
	bool waiter = pool->fibers_first != NULL;
	pthread_mutex_unlock(&pool->mutex);
	bool keep = clean(conn, waiter);
	if (!keep)
		rt__conn_destroy(conn);
	pthread_mutex_lock(&pool->mutex);
	if (keep && pool->fibers_first) {
		hand_over(pool, conn);
	} else if (keep && waiter) {
		put_back(pool, conn); /* the waiter went meanwhile */
	} else {
		/* idle_count < open <= size: there is always room. */
		if (keep)
			pool->idle[pool->idle_count++] = conn;
		else
			pool->open--;
		pthread_cond_signal(&pool->returned);
		wake_fiber(pool);
	}
	pthread_mutex_unlock(&pool->mutex);
}
