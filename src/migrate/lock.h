/*
 * lock.h - one migration run at a time per database.
 *
 * Two `retort upgrade head` started at once must apply every revision
 * exactly once: the second waits for the first, then reads the version
 * table again and finds the work done. How the lock is taken follows the
 * dialect's capability record (dialect.h, caps.lock_method):
 *
 *   RT_LOCK_ADVISORY        a transaction advisory lock (PostgreSQL):
 *                           each transaction of the run begins by taking
 *                           it, tried until the timeout (the error names
 *                           the holder), and it ends with the transaction.
 *                           A session lock would not hold through a pooler
 *                           in transaction mode (PgBouncer), which runs
 *                           each transaction on any server connection.
 *   RT_LOCK_LEASE_TABLE     a row in `retort_lock` with an expiry, kept on
 *                           a connection of its own so that it commits
 *                           apart from the run, renewed between steps; a
 *                           run killed mid-way holds it only until expiry.
 *   RT_LOCK_DATABASE_WRITE  the database's own write lock (SQLite): each
 *                           transaction of the run begins holding it
 *                           (BEGIN IMMEDIATE), waited for up to the timeout.
 *   RT_LOCK_NAMED           a named lock of the server held by the run's
 *                           session (MariaDB GET_LOCK), across the
 *                           statements that commit by themselves; it ends
 *                           with the session, so a killed run leaves none.
 * A dialect whose method depends on the server (dialect.h,
 * lock_method_for) is asked on the run's connection.
 */
#ifndef RT_MIGRATE_LOCK_H
#define RT_MIGRATE_LOCK_H

#include "dialect/dialect.h"
#include "retort/engine.h"

#define RT_LOCK_TABLE "retort_lock"
#define RT_LOCK_TIMEOUT_MS_DEFAULT 60000
#define RT_LOCK_LEASE_MS_DEFAULT 300000

/* rt_lock_options.method: the dialect's own method. */
#define RT_LOCK_METHOD_DEFAULT (-1)

typedef struct rt_lock rt_lock;

typedef struct rt_lock_options {
	int method;            /* RT_LOCK_METHOD_DEFAULT or an rt_lock_method */
	int timeout_ms;        /* how long to wait; 0 = the default, 60 s */
	int lease_ms;          /* lease table: a lease's life; 0 = the default, 300 s */
	const char *name;      /* what is locked: the version table's name */
	/* Told once, with a line for the user, when the lock is busy. */
	void (*waiting)(void *ctx, const char *line);
	/* Told a line for the user when the lock could not be released. */
	void (*warning)(void *ctx, const char *line);
	void *ctx;
} rt_lock_options;

/* Takes the lock (for the database write lock and the advisory lock:
 * prepares to; each rt__lock_begin takes it). RT_ELOCKED when it stays busy past the
 * timeout, naming the holder when the database can tell. */
int rt__lock_acquire(rt_lock **out, rt_conn *conn, const rt_lock_options *opts);

/* Begins a transaction of the run on the locked connection, holding the
 * lock where the lock belongs to transactions. On failure a transaction
 * may be open: the caller rolls it back. */
int rt__lock_begin(rt_lock *lock);

/* Lease table: pushes the expiry back (RT_ELOCKED if the lease was lost);
 * nothing for the other methods. */
int rt__lock_renew(rt_lock *lock);

/* Releases the lock and frees it; NULL-safe. Call outside a transaction. */
void rt__lock_release(rt_lock *lock);

#endif
