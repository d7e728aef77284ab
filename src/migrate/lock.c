/*
 * lock.c - the migration lock (lock.h), by the dialect's lock method.
 *
 * Waiting is a loop of tries with a growing pause (SQLite: each try waits
 * in the database's busy handler, at most what is left of the timeout),
 * never a blocking call with no end, so that the timeout holds on every
 * backend and the user is told who holds the lock while we wait. The
 * pauses are rt__sleep_ms: in an operation of the non-blocking API they
 * stop only its fiber, so a run waiting for the lock never stops the
 * program's loop (and a cancel ends the wait at once).
 */
#include "migrate/lock.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/wait.h"
#include "engine/engine.h"
#include "sql/ddl.h"

struct rt_lock {
	rt_conn *conn;
	rt_lock_method method;
	int timeout_ms, lease_ms;
	const char *name;
	bool held;               /* lease taken */
	int64_t key;             /* advisory lock, taken by each transaction */
	rt_conn *lease_conn;     /* lease table */
	char holder[160];        /* lease table: who we are */
	void (*waiting)(void *ctx, const char *line);
	void (*warning)(void *ctx, const char *line);
	void *ctx;
	bool told;
	char name_buf[];
};

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Leases are compared across machines, so they use the wall clock. */
static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The pause before try number `tries`: short at first, so that a lock
 * released soon is taken soon, then at most half a second. */
static int backoff_ms(int tries)
{
	int ms = 20 << (tries < 5 ? tries : 5);
	return ms > 500 ? 500 : ms;
}

static void tell_waiting(rt_lock *lock, const char *holder)
{
	if (lock->told || !lock->waiting)
		return;
	lock->told = true;
	char line[512];
	snprintf(line, sizeof(line), "INFO  Waiting for the migration lock%s%s%s",
		 holder && *holder ? " (held by " : "", holder && *holder ? holder : "",
		 holder && *holder ? ")" : "");
	lock->waiting(lock->ctx, line);
}

/* A lock that could not be released is not an error of the run (its work
 * is committed), but the user must know that the next run may wait. */
static void warn_release(rt_lock *lock, const char *what)
{
	if (!lock->warning)
		return;
	char line[1024];
	snprintf(line, sizeof(line),
		 "WARN  could not release %s: %s; the next run may wait for it until it expires",
		 what, rt_error_last()->message);
	lock->warning(lock->ctx, line);
}

static int timed_out(rt_lock *lock, const char *holder)
{
	return rt__error_set(RT_ELOCKED,
			     "could not take the migration lock on %s within %d.%03d s%s%s%s",
			     rt_engine_url(lock->conn->engine), lock->timeout_ms / 1000,
			     lock->timeout_ms % 1000, holder && *holder ? ": it is held by " : "",
			     holder && *holder ? holder : "",
			     holder && *holder ? "" : ": another migration is running");
}

/* Runs a one-row query with one int64 parameter; *row tells whether a row
 * came back, and text (when not NULL) receives its first value. */
static int query_key(rt_conn *conn, const char *sql, int64_t key, bool *value, char *text,
		     size_t size)
{
	rt_stmt *stmt;
	int rc = rt_stmt_prepare(&stmt, conn, sql);
	if (rc < 0)
		return rc;
	if ((rc = rt_stmt_bind_int64(stmt, 1, key)) == RT_OK)
		rc = rt_stmt_step(stmt);
	if (rc == RT_ROW) {
		if (value)
			*value = rt_stmt_column_bool(stmt, 0);
		const char *t = rt_stmt_column_text(stmt, 0);
		if (text)
			snprintf(text, size, "%s", t ? t : "");
	} else if (text && size) {
		text[0] = '\0';
	}
	rt_stmt_finalize(stmt);
	return rc < 0 ? rc : RT_OK;
}

/* --- advisory lock -------------------------------------------------------------- */

/* The lock's key: a hash of the version table's name, so that two
 * projects sharing a database (each its own version table) do not wait
 * for each other. FNV-1a, kept positive. */
static int64_t advisory_key(const char *name)
{
	uint64_t h = 14695981039346656037ULL;
	for (const char *p = "retort:"; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (int64_t)(h & 0x3fffffffffffffffULL);
}

static int advisory_prepare(rt_lock *lock)
{
	const rt_dialect *d = lock->conn->dialect;
	if (!d->advisory_xact_try_lock)
		return rt__error_set(RT_EINVAL, "the %s dialect has no advisory locks", d->name);
	lock->key = advisory_key(lock->name);
	return RT_OK;
}

/* Begins a transaction and takes the lock inside it, so that the lock,
 * the reading of the version table and the revisions all run in one
 * transaction: through a pooler in transaction mode that is one server
 * connection, where a session lock would stay on whichever server
 * connection the pooler handed the statement that took it. The lock ends
 * with the transaction, on COMMIT or ROLLBACK, and never outlives it. */
static int advisory_begin(rt_lock *lock)
{
	const rt_dialect *d = lock->conn->dialect;
	int rc = rt_conn_begin(lock->conn);
	if (rc < 0)
		return rc;
	int64_t deadline = monotonic_ms() + lock->timeout_ms;
	char holder[256] = "";
	for (int tries = 0;; tries++) {
		bool taken = false;
		rc = query_key(lock->conn, d->advisory_xact_try_lock, lock->key, &taken, NULL, 0);
		if (rc < 0) {
			rc = rt__error_wrap("taking the migration lock");
			break;
		}
		if (taken)
			return RT_OK;
		if (d->advisory_holder && (!lock->told || monotonic_ms() >= deadline))
			query_key(lock->conn, d->advisory_holder, lock->key, NULL, holder,
				  sizeof(holder));
		tell_waiting(lock, holder);
		if (monotonic_ms() >= deadline) {
			rc = timed_out(lock, holder);
			break;
		}
		if ((rc = rt__sleep_ms(backoff_ms(tries))) < 0)
			break;
	}
	return rc; /* the transaction is open: the caller rolls it back */
}

/* --- named lock ------------------------------------------------------------------ */

/* Runs a one-row query of a named lock with the lock's name as its one
 * parameter; *value gets its first value as a boolean, text its text. */
static int query_name(rt_lock *lock, const char *sql, bool *value, char *text, size_t size)
{
	rt_stmt *stmt;
	int rc = rt_stmt_prepare(&stmt, lock->conn, sql);
	if (rc < 0)
		return rc;
	if ((rc = rt_stmt_bind_text(stmt, 1, lock->name, -1)) == RT_OK)
		rc = rt_stmt_step(stmt);
	if (value)
		*value = rc == RT_ROW && rt_stmt_column_bool(stmt, 0);
	if (text && size) {
		const char *t = rc == RT_ROW ? rt_stmt_column_text(stmt, 0) : NULL;
		snprintf(text, size, "%s", t ? t : "");
	}
	rt_stmt_finalize(stmt);
	return rc < 0 ? rc : RT_OK;
}

/* Takes the lock once for the whole run: it belongs to the session, not
 * to a transaction, so it holds through the run's many commits (every
 * DDL statement commits by itself where the method is used). */
static int named_acquire(rt_lock *lock)
{
	const rt_dialect *d = lock->conn->dialect;
	if (!d->named_lock_take || !d->named_lock_release)
		return rt__error_set(RT_EINVAL, "the %s dialect has no named locks", d->name);
	int64_t deadline = monotonic_ms() + lock->timeout_ms;
	char holder[256] = "";
	for (int tries = 0;; tries++) {
		bool taken = false;
		int rc = query_name(lock, d->named_lock_take, &taken, NULL, 0);
		if (rc < 0)
			return rt__error_wrap("taking the migration lock");
		if (taken) {
			lock->held = true;
			return RT_OK;
		}
		if (d->named_lock_holder && (!lock->told || monotonic_ms() >= deadline))
			query_name(lock, d->named_lock_holder, NULL, holder, sizeof(holder));
		tell_waiting(lock, holder);
		if (monotonic_ms() >= deadline)
			return timed_out(lock, holder);
		if ((rc = rt__sleep_ms(backoff_ms(tries))) < 0)
			return rc;
	}
}

static void named_release(rt_lock *lock)
{
	if (lock->held && query_name(lock, lock->conn->dialect->named_lock_release, NULL, NULL,
				     0) < 0)
		warn_release(lock, "the migration lock");
	lock->held = false;
}

/* --- lease table ----------------------------------------------------------------- */

static void put_ident(rt_buf *buf, const rt_lock *lock, const char *ident)
{
	lock->conn->dialect->quote_ident(buf, ident);
}

static int lease_table_create(rt_lock *lock)
{
	const rt_dialect *d = lock->conn->dialect;
	rt_stmt *stmt;
	int rc = rt_stmt_prepare(&stmt, lock->lease_conn, d->table_exists_query);
	if (rc < 0)
		return rc;
	if ((rc = rt_stmt_bind_text(stmt, 1, RT_LOCK_TABLE, -1)) == RT_OK)
		rc = rt_stmt_step(stmt);
	rt_stmt_finalize(stmt);
	if (rc < 0 || rc == RT_ROW)
		return rc < 0 ? rc : RT_OK;

	rt_schema *schema = rt__schema_new();
	rt_table *table = schema ? rt__schema_add_table(schema, RT_LOCK_TABLE, NULL) : NULL;
	rt_constraint *pk = table ? rt__arena_alloc(schema->arena, sizeof(*pk)) : NULL;
	static const char *const names[] = {"name", "holder", "expires_at"};
	for (size_t i = 0; pk && i < 3; i++) {
		rt_column *column = rt__table_add_column(schema, table, names[i]);
		if (!column) {
			pk = NULL;
			break;
		}
		column->type.kind = i < 2 ? RT_TYPE_STRING : RT_TYPE_BIGINT;
		column->type.length = i < 2 ? 255 : 0;
	}
	if (!pk || rt__constraint_add_column(schema, pk, "name", false) < 0) {
		rt_schema_free(schema);
		return rt__error_nomem();
	}
	pk->kind = RT_CONSTRAINT_PRIMARY_KEY;
	pk->name = "pk_" RT_LOCK_TABLE;
	table->primary_key = pk;
	rt_buf sql = RT_BUF_INIT;
	rt__ddl_create_table(&sql, schema, table, d, true);
	rt_schema_free(schema);
	rc = rt__buf_failed(&sql) ? rt__error_nomem()
				  : rt_conn_execute(lock->lease_conn, rt__buf_cstr(&sql));
	rt__buf_free(&sql);
	return rc;
}

/* A statement on the lease table with text and number parameters, in the
 * order the SQL names them: 't' for text, 'n' for a number. */
static int lease_run(rt_lock *lock, const char *sql, const char *types, const char *const *texts,
		     const int64_t *numbers, char *holder, size_t size, int64_t *expires)
{
	rt_stmt *stmt;
	int rc = rt_stmt_prepare(&stmt, lock->lease_conn, sql);
	for (int i = 0, t = 0, n = 0; rc == RT_OK && types[i]; i++)
		rc = types[i] == 't' ? rt_stmt_bind_text(stmt, i + 1, texts[t++], -1)
				     : rt_stmt_bind_int64(stmt, i + 1, numbers[n++]);
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	if (rc == RT_ROW && holder) {
		const char *text = rt_stmt_column_text(stmt, 0);
		snprintf(holder, size, "%s", text ? text : "");
		if (expires)
			*expires = rt_stmt_column_int64(stmt, 1);
	}
	rt_stmt_finalize(stmt);
	return rc;
}

typedef struct lease_sql {
	rt_buf clear, take, read, renew, drop;
} lease_sql;

static void lease_sql_build(const rt_lock *lock, lease_sql *s)
{
	rt_buf *b = &s->clear;
	rt__buf_puts(b, "DELETE FROM ");
	put_ident(b, lock, RT_LOCK_TABLE);
	rt__buf_puts(b, " WHERE ");
	put_ident(b, lock, "name");
	rt__buf_puts(b, " = ? AND ");
	put_ident(b, lock, "expires_at");
	rt__buf_puts(b, " < ?");

	b = &s->take;
	rt__buf_puts(b, "INSERT INTO ");
	put_ident(b, lock, RT_LOCK_TABLE);
	rt__buf_puts(b, " (");
	put_ident(b, lock, "name");
	rt__buf_puts(b, ", ");
	put_ident(b, lock, "holder");
	rt__buf_puts(b, ", ");
	put_ident(b, lock, "expires_at");
	rt__buf_puts(b, ") VALUES (?, ?, ?)");

	b = &s->read;
	rt__buf_puts(b, "SELECT ");
	put_ident(b, lock, "holder");
	rt__buf_puts(b, ", ");
	put_ident(b, lock, "expires_at");
	rt__buf_puts(b, " FROM ");
	put_ident(b, lock, RT_LOCK_TABLE);
	rt__buf_puts(b, " WHERE ");
	put_ident(b, lock, "name");
	rt__buf_puts(b, " = ?");

	b = &s->renew;
	rt__buf_puts(b, "UPDATE ");
	put_ident(b, lock, RT_LOCK_TABLE);
	rt__buf_puts(b, " SET ");
	put_ident(b, lock, "expires_at");
	rt__buf_puts(b, " = ? WHERE ");
	put_ident(b, lock, "name");
	rt__buf_puts(b, " = ? AND ");
	put_ident(b, lock, "holder");
	rt__buf_puts(b, " = ?");

	b = &s->drop;
	rt__buf_puts(b, "DELETE FROM ");
	put_ident(b, lock, RT_LOCK_TABLE);
	rt__buf_puts(b, " WHERE ");
	put_ident(b, lock, "name");
	rt__buf_puts(b, " = ? AND ");
	put_ident(b, lock, "holder");
	rt__buf_puts(b, " = ?");
}

static void lease_sql_free(lease_sql *s)
{
	rt__buf_free(&s->clear);
	rt__buf_free(&s->take);
	rt__buf_free(&s->read);
	rt__buf_free(&s->renew);
	rt__buf_free(&s->drop);
}

static bool lease_sql_failed(const lease_sql *s)
{
	return rt__buf_failed(&s->clear) || rt__buf_failed(&s->take) ||
	       rt__buf_failed(&s->read) || rt__buf_failed(&s->renew) || rt__buf_failed(&s->drop);
}

/* "host pid 1234 (until 12:34:56 UTC)" for messages. */
static void describe_lease(char *out, size_t size, const char *holder, int64_t expires)
{
	time_t t = (time_t)(expires / 1000);
	struct tm tm;
	char when[32] = "?";
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(out, size, "%s, lease until %s", holder, when);
}

static int lease_acquire(rt_lock *lock)
{
	char host[64] = "localhost";
	gethostname(host, sizeof(host) - 1);
	snprintf(lock->holder, sizeof(lock->holder), "%s pid %ld at %" PRId64, host,
		 (long)getpid(), wall_ms());
	int rc = rt_conn_open(&lock->lease_conn, lock->conn->engine);
	if (rc < 0)
		return rc;
	if ((rc = lease_table_create(lock)) < 0) {
		/* Another run may have created it at the same moment. */
		int again = lease_table_create(lock);
		if (again < 0)
			return rt__error_wrap("creating %s", RT_LOCK_TABLE);
	}
	lease_sql s = {RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT};
	lease_sql_build(lock, &s);
	if (lease_sql_failed(&s)) {
		lease_sql_free(&s);
		return rt__error_nomem();
	}
	int64_t deadline = monotonic_ms() + lock->timeout_ms;
	char who[256] = "";
	rc = RT_OK;
	for (int tries = 0;; tries++) {
		int64_t now = wall_ms();
		const char *name_only[] = {lock->name};
		const char *take[] = {lock->name, lock->holder};
		int64_t clear_at[] = {now}, expires_at[] = {now + lock->lease_ms};
		rc = lease_run(lock, rt__buf_cstr(&s.clear), "tn", name_only, clear_at, NULL, 0,
			       NULL);
		if (rc >= 0)
			rc = lease_run(lock, rt__buf_cstr(&s.take), "ttn", take, expires_at, NULL, 0,
				       NULL);
		if (rc >= 0) {
			lock->held = true;
			rc = RT_OK;
			break;
		}
		/* RT_ECONSTRAINT: another run holds the lease. RT_ESERIALIZE: two
		 * runs' statements deadlocked on the lease table (InnoDB's gap
		 * locks, when several start at once) and this one was rolled
		 * back: nobody may hold it yet; either way, try again. */
		if (rc != RT_ECONSTRAINT && rc != RT_ESERIALIZE)
			break;
		if (rc == RT_ECONSTRAINT) {
			char holder[160] = "";
			int64_t expires = 0;
			if (lease_run(lock, rt__buf_cstr(&s.read), "t", name_only, NULL, holder,
				      sizeof(holder), &expires) == RT_ROW)
				describe_lease(who, sizeof(who), holder, expires);
			tell_waiting(lock, who);
		}
		if (monotonic_ms() >= deadline) {
			rc = timed_out(lock, who);
			break;
		}
		if ((rc = rt__sleep_ms(backoff_ms(tries))) < 0)
			break;
	}
	lease_sql_free(&s);
	return rc < 0 ? rt__error_wrap("taking the migration lease in %s", RT_LOCK_TABLE) : RT_OK;
}

static int lease_renew(rt_lock *lock)
{
	lease_sql s = {RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT};
	lease_sql_build(lock, &s);
	const char *renew[] = {lock->name, lock->holder};
	int64_t expires_at[] = {wall_ms() + lock->lease_ms};
	char holder[160] = "";
	int rc = lease_sql_failed(&s) ? rt__error_nomem()
				      : lease_run(lock, rt__buf_cstr(&s.renew), "ntt", renew,
						  expires_at, NULL, 0, NULL);
	if (rc >= 0)
		rc = lease_run(lock, rt__buf_cstr(&s.read), "t", renew, NULL, holder,
			       sizeof(holder), NULL);
	lease_sql_free(&s);
	if (rc < 0)
		return rt__error_wrap("renewing the migration lease");
	if (rc != RT_ROW || strcmp(holder, lock->holder) != 0)
		return rt__error_set(RT_ELOCKED,
				     "the migration lease in %s was lost: it expired and %s took it",
				     RT_LOCK_TABLE, *holder ? holder : "nobody");
	return RT_OK;
}

static void lease_release(rt_lock *lock)
{
	if (lock->held) {
		lease_sql s = {RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT};
		lease_sql_build(lock, &s);
		const char *drop[] = {lock->name, lock->holder};
		int rc = lease_sql_failed(&s) ? rt__error_nomem()
					      : lease_run(lock, rt__buf_cstr(&s.drop), "tt", drop,
							  NULL, NULL, 0, NULL);
		lease_sql_free(&s);
		if (rc < 0)
			warn_release(lock, "the migration lease in " RT_LOCK_TABLE);
	}
	lock->held = false;
	rt_conn_close(lock->lease_conn);
	lock->lease_conn = NULL;
}

/* --- the database's write lock ----------------------------------------------------- */

/* Each try waits at most what is left of the timeout (the connection's
 * own busy timeout, 5 s by default, would otherwise make a 1 s timeout
 * last 5 s); the first does not wait, so that the user is told at once
 * that another run holds the database. */
static int write_try(rt_lock *lock, int wait_ms)
{
	const rt_dialect *d = lock->conn->dialect;
	if (d->set_lock_wait)
		d->set_lock_wait(lock->conn->driver, wait_ms);
	int rc = rt_conn_execute(lock->conn, d->begin_write);
	if (d->set_lock_wait)
		d->set_lock_wait(lock->conn->driver, -1);
	return rc;
}

static int write_begin(rt_lock *lock)
{
	const char *begin = lock->conn->dialect->begin_write;
	if (!begin)
		return rt_conn_begin(lock->conn);
	if (lock->conn->in_transaction)
		return rt__error_set(RT_EINVAL, "a transaction is already open on this connection");
	int64_t deadline = monotonic_ms() + lock->timeout_ms;
	for (int tries = 0;; tries++) {
		int64_t left = deadline - monotonic_ms();
		int wait = tries == 0 || left <= 0 ? 0 : (int)(left < 500 ? left : 500);
		int rc = write_try(lock, wait);
		if (rc == RT_OK) {
			lock->conn->in_transaction = 1;
			return RT_OK;
		}
		if (rc != RT_ELOCKED)
			return rc;
		tell_waiting(lock, "another connection writing to the database");
		if (monotonic_ms() >= deadline)
			return timed_out(lock, "another connection writing to the database");
	}
}

/* --- the interface ------------------------------------------------------------------- */

int rt__lock_acquire(rt_lock **out, rt_conn *conn, const rt_lock_options *opts)
{
	*out = NULL;
	const char *name = opts && opts->name ? opts->name : "alembic_version";
	rt_lock *lock = calloc(1, sizeof(*lock) + strlen(name) + 1);
	if (!lock)
		return rt__error_nomem();
	memcpy(lock->name_buf, name, strlen(name) + 1);
	lock->name = lock->name_buf;
	lock->conn = conn;
	lock->method = conn->dialect->caps.lock_method;
	int rc = RT_OK;
	if (opts && opts->method >= 0)
		lock->method = (rt_lock_method)opts->method;
	else if (conn->dialect->lock_method_for)
		rc = conn->dialect->lock_method_for(&lock->method, conn->dialect, conn->driver);
	if (rc < 0) {
		free(lock);
		return rt__error_wrap("choosing the migration lock");
	}
	lock->timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms
							: RT_LOCK_TIMEOUT_MS_DEFAULT;
	lock->lease_ms = opts && opts->lease_ms > 0 ? opts->lease_ms : RT_LOCK_LEASE_MS_DEFAULT;
	lock->waiting = opts ? opts->waiting : NULL;
	lock->warning = opts ? opts->warning : NULL;
	lock->ctx = opts ? opts->ctx : NULL;
	if (lock->method == RT_LOCK_ADVISORY)
		rc = advisory_prepare(lock);
	else if (lock->method == RT_LOCK_LEASE_TABLE)
		rc = lease_acquire(lock);
	else if (lock->method == RT_LOCK_NAMED)
		rc = named_acquire(lock);
	if (rc < 0) {
		rt__lock_release(lock);
		return rc;
	}
	*out = lock;
	return RT_OK;
}

int rt__lock_begin(rt_lock *lock)
{
	if (lock->method == RT_LOCK_DATABASE_WRITE)
		return write_begin(lock);
	if (lock->method == RT_LOCK_ADVISORY)
		return advisory_begin(lock);
	return rt_conn_begin(lock->conn);
}

int rt__lock_renew(rt_lock *lock)
{
	return lock->method == RT_LOCK_LEASE_TABLE ? lease_renew(lock) : RT_OK;
}

void rt__lock_release(rt_lock *lock)
{
	if (!lock)
		return;
	if (lock->method == RT_LOCK_LEASE_TABLE)
		lease_release(lock);
	else if (lock->method == RT_LOCK_NAMED)
		named_release(lock);
	free(lock);
}
