/*
 * query_lock.c - row locks of a query for objects (rt_query_lock):
 * SELECT ... FOR UPDATE / FOR SHARE [NOWAIT | SKIP LOCKED], in the words
 * of the dialect's row_lock_clause hook, after the LIMIT.
 *
 * A backend without row locks (SQLite) has no such hook. There the
 * nearest thing is the database's write lock: a locking query that opens
 * the session's transaction opens it with the dialect's begin_write
 * (BEGIN IMMEDIATE), so that the read and the writes that follow it run
 * alone among writers, as a worker taking the next job needs. Begun with
 * a plain BEGIN, a SQLite transaction reads under a shared lock, and two
 * of them that then both write fail with SQLITE_BUSY instead of waiting.
 *
 * The rows a locking query returns replace the values of the objects the
 * session already holds (load_only.c reads them): the session flushed its
 * changes before the query ran, and the row as locked is the one the
 * program works on from then.
 */
#include "base/error.h"
#include "orm/joined.h"
#include "orm/query.h"

int rt_query_lock(rt_query *query, rt_row_lock mode, unsigned flags)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_lock: NULL query");
	if (mode != RT_ROW_LOCK_NONE && mode != RT_ROW_LOCK_UPDATE && mode != RT_ROW_LOCK_SHARE)
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_lock: %d is not "
									"a lock mode", (int)mode));
	if (flags & ~(RT_ROW_LOCK_NOWAIT | RT_ROW_LOCK_SKIP_LOCKED))
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_lock: unknown "
									"flags 0x%x", flags));
	if ((flags & RT_ROW_LOCK_NOWAIT) && (flags & RT_ROW_LOCK_SKIP_LOCKED))
		return rt__query_fail(query, rt__error_set(RT_EINVAL,
							   "rt_query_lock: NOWAIT and SKIP "
							   "LOCKED exclude each other"));
	/* A joined tree is read through a derived table (joined.c), which
	 * the backends lock differently or not at all. */
	if (mode != RT_ROW_LOCK_NONE && query->model &&
	    rt__joined_refuse(query->model, "rt_query_lock") < 0)
		return rt__query_fail(query, RT_EINVAL);
	query->lock = mode;
	query->lock_flags = mode == RT_ROW_LOCK_NONE ? 0 : flags;
	return RT_OK;
}

void rt__query_put_lock(const rt_query *query, const rt_dialect *dialect, rt_buf *sql)
{
	if (query->lock == RT_ROW_LOCK_NONE || !dialect->row_lock_clause)
		return;
	dialect->row_lock_clause(sql, "t0", query->lock == RT_ROW_LOCK_SHARE,
				 (query->lock_flags & RT_ROW_LOCK_NOWAIT) != 0,
				 (query->lock_flags & RT_ROW_LOCK_SKIP_LOCKED) != 0);
}

int rt__query_lock_begin(rt_query *query)
{
	rt_session *session = query->session;
	rt_engine *engine = session->engine;
	const rt_dialect *dialect = engine->dialect;
	if (query->lock == RT_ROW_LOCK_NONE || dialect->row_lock_clause || !dialect->begin_write ||
	    session->in_transaction || rt__engine_autocommit(engine))
		return RT_OK;
	int rc = rt__session_usable(session);
	if (rc < 0)
		return rc;
	if (!session->conn) {
		rc = rt__engine_acquire(engine, &session->conn);
		if (rc < 0) {
			session->conn = NULL;
			return rc;
		}
	}
	rc = rt_conn_execute(session->conn, dialect->begin_write);
	if (rc < 0) {
		/* As rt__session_conn: a connection that cannot begin is not kept. */
		rt__engine_release(engine, session->conn);
		session->conn = NULL;
		return rc;
	}
	session->conn->in_transaction = 1;
	session->in_transaction = true;
	return RT_OK;
}
