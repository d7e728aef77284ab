/*
 * test_bulk.c - the MariaDB dialect's run_batch hook (mariadb_batch.c):
 * many parameter sets sent in one execution by array binding, on the
 * mariadb_server fixture's server (RETORT_TEST_URL).
 *
 *   - 2,500 UPDATEs (three chunks) with text, NULL, integers and doubles:
 *     every row written, the affected count summed, a handful of
 *     executions on the server instead of 2,500;
 *   - a value type that changes within a parameter (text, then an
 *     integer) starts a new chunk and stays exact;
 *   - a unique violation at set 1,700: the error names that set with its
 *     kind and constraint, the rows of the sets before it are written and
 *     none after (as with one execution a set), and the connection works;
 *   - outside a transaction, and for a statement that returns rows, the
 *     sets run one at a time: same results.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "engine/engine.h"
#include "retort.h"
#include "test.h"

#define ROWS 2500

static rt_engine *engine;
static rt_conn *conn;

static int64_t query_int(const char *sql)
{
	rt_stmt *stmt = NULL;
	int64_t v = -1;
	CHECK_OK(rt__conn_statement(conn, sql, &stmt));
	if (stmt && rt_stmt_step(stmt) == RT_ROW)
		v = rt_stmt_column_int64(stmt, 0);
	if (stmt)
		rt_stmt_reset(stmt);
	return v;
}

/* bulk_rows: ROWS rows with id 1..ROWS, names "row <id>". */
static void make_table(void)
{
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS bulk_rows"));
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE bulk_rows (id INT PRIMARY KEY,"
				       " name VARCHAR(40) NOT NULL UNIQUE, note TEXT, n BIGINT,"
				       " x DOUBLE, tag VARCHAR(20))"
				       /* The connection's collation, whatever the
					* database's: the checks compare columns with
					* expressions made of literals. */
				       " DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_general_ci"));
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO bulk_rows (id, name) SELECT seq,"
				       " CONCAT('row ', seq) FROM seq_1_to_2500"));
}

typedef struct update_ctx {
	size_t duplicate_at; /* set whose name repeats set 0's; 0: none */
	bool mixed_tag;      /* tag bound as text for even sets, integer for odd */
} update_ctx;

/* UPDATE bulk_rows SET name = ?, note = ?, n = ?, x = ?, tag = ? WHERE id = ? */
static int bind_update(void *p, size_t i, rt_stmt *stmt)
{
	update_ctx *ctx = p;
	char name[40], note[40];
	snprintf(name, sizeof(name), "new %zu", ctx->duplicate_at == i ? (size_t)0 : i);
	snprintf(note, sizeof(note), "note %zu", i);
	int rc = rt_stmt_bind_text(stmt, 1, name, -1);
	if (rc == RT_OK)
		rc = i % 3 == 0 ? rt_stmt_bind_null(stmt, 2) : rt_stmt_bind_text(stmt, 2, note, -1);
	if (rc == RT_OK)
		rc = rt_stmt_bind_int64(stmt, 3, (int64_t)i * 1000000007LL);
	if (rc == RT_OK)
		rc = rt_stmt_bind_double(stmt, 4, (double)i + 0.25);
	if (rc == RT_OK)
		rc = ctx->mixed_tag && i % 2 ? rt_stmt_bind_int64(stmt, 5, (int64_t)i)
					     : rt_stmt_bind_text(stmt, 5, "t", -1);
	if (rc == RT_OK)
		rc = rt_stmt_bind_int64(stmt, 6, (int64_t)i + 1);
	return rc;
}

static const char update_sql[] =
	"UPDATE bulk_rows SET name = ?, note = ?, n = ?, x = ?, tag = ? WHERE id = ?";

/* Every row as bind_update(i = id - 1) wrote it, up to row `upto`. */
static void check_rows(size_t upto, bool mixed_tag)
{
	CHECK_INT(query_int("SELECT COUNT(*) FROM bulk_rows WHERE name LIKE 'new %'"), upto);
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM bulk_rows WHERE id <= %zu AND name = CONCAT('new ', id - 1)"
		 " AND n = (id - 1) * 1000000007 AND x = id - 1 + 0.25"
		 " AND (note <=> IF((id - 1) %% 3 = 0, NULL, CONCAT('note ', id - 1)))"
		 " AND tag = IF(%d AND (id - 1) %% 2 = 1, CAST(id - 1 AS CHAR), 't')",
		 upto, mixed_tag ? 1 : 0);
	CHECK_INT(query_int(sql), upto);
}

static void run_updates(update_ctx *ctx, bool in_transaction, int expected, uint64_t *affected)
{
	rt_stmt *stmt = NULL;
	if (in_transaction)
		CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt__conn_statement(conn, update_sql, &stmt));
	rt_batch batch = {ROWS, bind_update, NULL, ctx};
	CHECK_INT(rt__stmt_run_batch(stmt, &batch, affected), expected);
}

/* Commands the server counted for this session (a bulk execution is one). */
static int64_t executions(void)
{
	rt_stmt *stmt = NULL;
	int64_t v = -1;
	CHECK_OK(rt__conn_statement(conn, "SELECT VARIABLE_VALUE FROM information_schema."
					  "SESSION_STATUS WHERE VARIABLE_NAME = 'QUESTIONS'",
				    &stmt));
	if (stmt && rt_stmt_step(stmt) == RT_ROW)
		v = strtoll(rt_stmt_column_text(stmt, 0), NULL, 10);
	if (stmt)
		rt_stmt_reset(stmt);
	return v;
}

static void test_bulk_updates(void)
{
	make_table();
	update_ctx ctx = {0, false};
	uint64_t affected = 0;
	int64_t before = executions();
	run_updates(&ctx, true, RT_OK, &affected);
	int64_t ran = executions() - before;
	CHECK_OK(rt_conn_commit(conn));
	CHECK_INT(affected, ROWS);
	check_rows(ROWS, false);
	/* Three chunks (1,000 + 1,000 + 500), not 2,500 executions. */
	if (ran >= 50)
		fprintf(stderr, "%lld executions for %d sets\n", (long long)ran, ROWS);
	CHECK(ran < 50);
}

static void test_mixed_types(void)
{
	make_table();
	update_ctx ctx = {0, true};
	uint64_t affected = 0;
	run_updates(&ctx, true, RT_OK, &affected);
	CHECK_OK(rt_conn_commit(conn));
	CHECK_INT(affected, ROWS);
	check_rows(ROWS, true);
}

static void test_violation(void)
{
	make_table();
	update_ctx ctx = {1700, false};
	uint64_t affected = 0;
	run_updates(&ctx, true, RT_ECONSTRAINT, &affected);
	const rt_error *e = rt_error_last();
	if (!strstr(e->message, "parameter set 1700 of 2500"))
		fprintf(stderr, "message: %s\n", e->message);
	CHECK(strstr(e->message, "parameter set 1700 of 2500") != NULL);
	CHECK_INT(e->constraint_kind, RT_VIOLATION_UNIQUE);
	/* As with one execution a set: the sets before the failing one are
	 * written, none after. */
	CHECK_INT(query_int("SELECT COUNT(*) FROM bulk_rows WHERE name LIKE 'new %'"), 1700);
	CHECK_OK(rt_conn_rollback(conn));
	CHECK_INT(query_int("SELECT COUNT(*) FROM bulk_rows WHERE name LIKE 'new %'"), 0);
	/* The statement and the connection work again. */
	ctx.duplicate_at = 0;
	run_updates(&ctx, true, RT_OK, &affected);
	CHECK_OK(rt_conn_commit(conn));
	check_rows(ROWS, false);
}

typedef struct returned_ctx {
	int64_t count, sum;
} returned_ctx;

static int bind_limit(void *p, size_t i, rt_stmt *stmt)
{
	return rt_stmt_bind_int64(stmt, 1, 10 * ((int64_t)i + 1));
}

static int row_returned(void *p, size_t i, rt_stmt *stmt)
{
	returned_ctx *ctx = p;
	ctx->count++;
	ctx->sum += rt_stmt_column_int64(stmt, 0);
	return RT_OK;
}

static void test_one_at_a_time(void)
{
	/* Outside a transaction: each set commits as it runs. */
	make_table();
	update_ctx ctx = {1700, false};
	uint64_t affected = 0;
	int64_t before = executions();
	run_updates(&ctx, false, RT_ECONSTRAINT, &affected);
	CHECK(executions() - before > 1700);
	CHECK(strstr(rt_error_last()->message, "parameter set 1700 of 2500") != NULL);
	CHECK_INT(query_int("SELECT COUNT(*) FROM bulk_rows WHERE name LIKE 'new %'"), 1700);

	/* A statement that returns rows: each set's rows are delivered. */
	CHECK_OK(rt_conn_begin(conn));
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, "DELETE FROM bulk_rows WHERE id <= ? RETURNING id",
				    &stmt));
	returned_ctx rows = {0, 0};
	rt_batch batch = {3, bind_limit, row_returned, &rows};
	CHECK_OK(rt__stmt_run_batch(stmt, &batch, &affected));
	CHECK_INT(rows.count, 30); /* ids up to 10, 20, 30 */
	CHECK_INT(rows.sum, 30 * 31 / 2);
	CHECK_INT(affected, 30);
	CHECK_OK(rt_conn_rollback(conn));
}

int main(void)
{
	const char *url = rt_test_url();
	if (rt_engine_open(&engine, url, NULL) != RT_OK || rt__engine_acquire(engine, &conn) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", url, rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_bulk_updates);
	RT_RUN(test_mixed_types);
	RT_RUN(test_violation);
	RT_RUN(test_one_at_a_time);
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS bulk_rows"));
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
	return rt_test_done();
}
