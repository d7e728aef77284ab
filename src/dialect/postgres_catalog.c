/*
 * postgres_catalog.c - runs PostgreSQL reflection's catalog queries
 * (postgres_reflect.c): their rows as the server sends them, or sorted
 * here.
 *
 * Why sort here: the ORDER BY of the columns query sorted 50,000 rows of
 * some 450 bytes at 10,000 tables, more than work_mem holds, so the
 * server wrote them to disk and read them back: 0.2 s of the query's
 * 0.33 s. A larger work_mem made it slower still (the server's sort of
 * wide rows); sorting the rows' numbers here takes a few milliseconds.
 * Text keys compare byte by byte, as COLLATE "C" does, and NULLs come
 * last, as in an ascending ORDER BY, so the rows come in the order the
 * server would have given.
 *
 * The whole reading runs with JIT off: on a catalog autovacuum has not
 * analyzed yet (a database just made, as in a benchmark or CI) the
 * queries' cost estimates pass jit_above_cost, and compiling the domains
 * query took 0.1 s at 10,000 tables, five times its run. On an idle
 * connection the reading is a read-only transaction of its own, REPEATABLE
 * READ so that every query sees one snapshot, with SET LOCAL; inside the
 * caller's transaction it is a savepoint, rolled back at the end, which
 * takes the setting back with it (and reads the caller's own changes, as
 * it must).
 *
 * The queries of a reading are sent ahead, all at once in one pipeline,
 * when the reading has a transaction (or savepoint) of its own: the
 * server runs each while retort reads and sorts the one before, instead
 * of waiting for retort's request. At 10,000 tables retort's share was a
 * fifth of the reading. A statement whose text is the next sent ahead
 * takes its result (postgres_stmt.c asks rt__pg_ahead_take); any other
 * first drains what was sent ahead and runs as ever, so a change in the
 * reading's order costs speed, never a wrong result.
 */
#include "dialect/postgres.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"

int rt__pg_query_open(rt_pg_query *q, const rt_dialect *dialect, rt_driver_conn *conn,
		      rt_arena *arena, const char *sql, int columns)
{
	*q = (rt_pg_query){.dialect = dialect, .columns = columns};
	q->own = rt__arena_alloc(arena, (size_t)columns * sizeof(*q->own));
	if (!q->own)
		return rt__error_nomem();
	return dialect->prepare(&q->stmt, conn, sql);
}

/* --- sorted here ------------------------------------------------------------------- */

/* A row's number and its sort keys, read in place: text points into the
 * driver's result, held until the query is closed. */
typedef struct sort_item {
	int row;
	int key_count;
	rt_value keys[RT_PG_SORT_KEYS];
} sort_item;

static int compare_values(const rt_value *a, const rt_value *b)
{
	bool a_null = a->type == RT_VALUE_NULL, b_null = b->type == RT_VALUE_NULL;
	if (a_null || b_null)
		return a_null - b_null; /* NULLs last */
	if (a->type == RT_VALUE_TEXT && b->type == RT_VALUE_TEXT)
		return strcmp(a->s, b->s); /* as unsigned bytes: COLLATE "C" */
	if (a->type == RT_VALUE_DOUBLE || b->type == RT_VALUE_DOUBLE) {
		double x = a->type == RT_VALUE_DOUBLE ? a->d : (double)a->i;
		double y = b->type == RT_VALUE_DOUBLE ? b->d : (double)b->i;
		return (x > y) - (x < y);
	}
	return (a->i > b->i) - (a->i < b->i);
}

static int compare_rows(const void *pa, const void *pb)
{
	const sort_item *a = pa, *b = pb;
	for (int k = 0; k < a->key_count; k++) {
		int c = compare_values(&a->keys[k], &b->keys[k]);
		if (c)
			return c;
	}
	return a->row - b->row; /* qsort is not stable; this makes it so */
}

/* Runs the open query q and lists its rows with their keys. */
static int list_rows(rt_pg_query *q, const int *keys, int key_count)
{
	int rc = q->dialect->step(q->stmt);
	if (rc != RT_ROW)
		return rc == RT_DONE ? RT_OK : rc;
	int rows = rt__pg_result_rows(q->stmt);
	if (rows < 0)
		return rt__error_set(RT_EINVAL, "a sorted catalog query was streamed");
	q->sorted = malloc((size_t)rows * sizeof(*q->sorted));
	if (!q->sorted)
		return rt__error_nomem();
	for (int row = 0; row < rows; row++) {
		sort_item *item = &q->sorted[row];
		item->row = row;
		item->key_count = key_count;
		if ((rc = rt__pg_result_seek(q->stmt, row)) < 0)
			return rc;
		for (int k = 0; k < key_count; k++)
			if ((rc = q->dialect->column_value(q->stmt, keys[k], &item->keys[k])) < 0)
				return rc;
	}
	q->row_count = (size_t)rows;
	return RT_OK;
}

int rt__pg_query_open_sorted(rt_pg_query *q, const rt_dialect *dialect, rt_driver_conn *conn,
			     rt_arena *arena, const char *sql, int columns, const int *keys,
			     int key_count)
{
	int rc = rt__pg_query_open(q, dialect, conn, arena, sql, columns);
	if (rc < 0)
		return rc;
	if (key_count < 1 || key_count > RT_PG_SORT_KEYS)
		return rt__error_set(RT_EINVAL, "%d sort keys", key_count);
	for (int k = 0; k < key_count; k++)
		if (keys[k] < 0 || keys[k] >= columns)
			return rt__error_set(RT_EINVAL, "sort key %d of %d columns", keys[k],
					     columns);
	if ((rc = list_rows(q, keys, key_count)) < 0)
		return rc;
	if (q->row_count > 1)
		qsort(q->sorted, q->row_count, sizeof(*q->sorted), compare_rows);
	q->in_order = true;
	return RT_OK;
}

/* --- either -------------------------------------------------------------------------- */

int rt__pg_query_next(rt_pg_query *q)
{
	int rc;
	if (q->in_order) {
		if (q->next == q->row_count)
			return RT_DONE;
		if ((rc = rt__pg_result_seek(q->stmt, q->sorted[q->next++].row)) < 0)
			return rc;
	} else if ((rc = q->dialect->step(q->stmt)) != RT_ROW) {
		return rc;
	}
	for (int i = 0; i < q->columns; i++)
		if ((rc = q->dialect->column_value(q->stmt, i, &q->own[i])) < 0)
			return rc;
	q->row = q->own;
	return RT_ROW;
}

void rt__pg_query_close(rt_pg_query *q)
{
	if (q->stmt)
		q->dialect->finalize(q->stmt);
	q->stmt = NULL;
	free(q->sorted);
	q->sorted = NULL;
}

/* --- queries sent ahead ------------------------------------------------------------- */

/* The conversation is out of step (half a pipeline sent, or its end not
 * read): the connection is reported broken from now on, and the pool
 * drops it. */
static int broken(rt_driver_conn *conn)
{
	int rc = rt__pg_connection_error(conn);
	if (conn->io_rc == 0)
		conn->io_rc = rc;
	return rc;
}

/* The results of the next query sent ahead, up to the NULL that ends
 * them: the first kept, the others (none, for one SELECT) dropped. NULL
 * when the connection failed. */
static PGresult *take_next(rt_driver_conn *conn)
{
	PGresult *kept = NULL, *res;
	while ((res = rt__pg_io_result(conn)) != NULL) {
		if (!kept)
			kept = res;
		else
			PQclear(res);
	}
	conn->ahead_next++;
	return kept;
}

/* Reads and drops what is left of the queries sent ahead, and their sync,
 * and leaves pipeline mode. */
static int ahead_end(rt_driver_conn *conn)
{
	if (!conn->ahead)
		return RT_OK;
	int rc = RT_OK;
	conn->ahead_dropped += conn->ahead_count - conn->ahead_next;
	while (rc == RT_OK && conn->ahead_next < conn->ahead_count) {
		PGresult *res = take_next(conn);
		if (!res)
			rc = broken(conn);
		PQclear(res);
	}
	conn->ahead = NULL;
	conn->ahead_count = conn->ahead_next = 0;
	if (rc < 0)
		return rc;
	PGresult *sync = rt__pg_io_result(conn);
	bool synced = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
	PQclear(sync);
	if (!synced || !PQexitPipelineMode(conn->pg))
		return broken(conn);
	return RT_OK;
}

/* Sends sqls[0..count) in one pipeline, a sync after the last. */
static int ahead_send(rt_driver_conn *conn, const char *const *sqls, int count)
{
	if (count <= 0 || PQpipelineStatus(conn->pg) != PQ_PIPELINE_OFF)
		return RT_OK;
	if (!PQenterPipelineMode(conn->pg))
		return RT_OK; /* not idle after all: one by one */
	for (int i = 0; i < count; i++)
		if (!PQsendQueryParams(conn->pg, sqls[i], 0, NULL, NULL, NULL, NULL, 0))
			return broken(conn);
	if (!PQpipelineSync(conn->pg))
		return broken(conn);
	conn->ahead = sqls;
	conn->ahead_count = count;
	conn->ahead_next = 0;
	return rt__pg_io_flush(conn);
}

int rt__pg_ahead_take(rt_driver_conn *conn, const char *sql, PGresult **out)
{
	*out = NULL;
	if (!conn->ahead)
		return 0;
	if (!sql || conn->ahead_next >= conn->ahead_count ||
	    strcmp(conn->ahead[conn->ahead_next], sql) != 0) {
		int rc = ahead_end(conn);
		return rc < 0 ? rc : 0;
	}
	*out = take_next(conn);
	if (!*out)
		return broken(conn);
	if (conn->ahead_next == conn->ahead_count) {
		int rc = ahead_end(conn);
		if (rc < 0) {
			PQclear(*out);
			*out = NULL;
			return rc;
		}
	}
	return 1;
}

/* --- the reading's transaction -------------------------------------------------------- */

static const char JIT_OFF[] =
	"SELECT set_config('jit', 'off', true) WHERE current_setting('jit', true) IS NOT NULL";

int rt__pg_reading_begin(const rt_dialect *dialect, rt_driver_conn *conn, rt_pg_reading *how,
			 const char *const *sqls, int count)
{
	*how = RT_PG_READING_AS_IS;
	if (conn->pipelined || conn->fetching || conn->rollback_held || conn->rollback_sent)
		return RT_OK;
	PGTransactionStatusType status = PQtransactionStatus(conn->pg);
	const char *begin;
	if (status == PQTRANS_IDLE && !conn->begin_pending) {
		begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
		*how = RT_PG_READING_OWN;
	} else if (status == PQTRANS_INTRANS || conn->begin_pending) {
		begin = "SAVEPOINT retort_reflect";
		*how = RT_PG_READING_SAVEPOINT;
	} else {
		return RT_OK; /* a failed transaction: the queries say so */
	}
	int rc = dialect->exec(conn, begin);
	if (rc == RT_OK)
		rc = dialect->exec(conn, JIT_OFF);
	if (rc == RT_OK)
		rc = ahead_send(conn, sqls, count);
	return rc;
}

void rt__pg_reading_end(const rt_dialect *dialect, rt_driver_conn *conn, rt_pg_reading how)
{
	if (how == RT_PG_READING_AS_IS)
		return;
	/* Read only: ending either way is the same. What these say is never
	 * the reading's error, nor replaces it. */
	rt_error_state *own = rt__error_state_new();
	rt_error_state *before = own ? rt__error_state_swap(own) : NULL;
	ahead_end(conn); /* a reading that stopped early */
	if (how == RT_PG_READING_OWN) {
		dialect->exec(conn, "ROLLBACK");
	} else if (dialect->exec(conn, "ROLLBACK TO SAVEPOINT retort_reflect") == RT_OK) {
		dialect->exec(conn, "RELEASE SAVEPOINT retort_reflect");
	}
	if (own) {
		rt__error_state_swap(before);
		rt__error_state_free(own);
	}
}
