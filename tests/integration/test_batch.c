/*
 * test_batch.c - one statement run for many parameter sets
 * (rt__stmt_run_batch; pipelined on PostgreSQL), on a real database:
 *
 *   - 1,200 INSERT ... RETURNING rows (more than one pipeline chunk): every
 *     row delivered, in order, with the affected count;
 *   - NULLs, blobs and text in the sets; UPDATE and DELETE batches;
 *   - a unique violation in set 700: the error names the set, keeps the
 *     SQLSTATE, kind and constraint, and the connection works after
 *     ROLLBACK; a failing bind callback and a failing row callback;
 *   - an empty batch; a batch on a statement that is not cached.
 *
 * RETORT_BENCH_BATCH=1 also times 100,000 single-row INSERTs in one
 * transaction, batch against a plain bind/step/reset loop, and prints both.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "engine/engine.h"
#include "retort.h"
#include "test.h"

#include "support/test_data.h"

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

/* The table, made by the dialect's own DDL: the test is about batches,
 * not about writing each backend's CREATE TABLE. */
static const char batch_schema[] = "table batch_rows {\n"
				   "  id    bigint      primary key\n"
				   "  name  string(50)  unique\n"
				   "  n     int?\n"
				   "  data  blob?\n"
				   "}\n";

static void make_table(void)
{
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS batch_rows"));
	rt_schema *schema = NULL;
	CHECK_OK(rt_schema_parse_string(&schema, batch_schema, strlen(batch_schema), "batch.rt",
					NULL));
	if (schema)
		CHECK_OK(rt_schema_create_all(conn, schema));
	rt_schema_free(schema);
}

/* --- inserting rows ---------------------------------------------------------- */

typedef struct insert_ctx {
	size_t duplicate_at;    /* set that repeats set 0's name; SIZE_MAX: none */
	size_t bind_fails_at;   /* SIZE_MAX: none */
	size_t row_fails_at;
	int64_t *ids;           /* returned, per set */
	size_t rows;            /* row() calls */
	size_t out_of_order;    /* row() calls for a set before the last seen */
	size_t last_index;
	int bad_rows;           /* rows whose name is not the set's */
} insert_ctx;

static void name_of(char *out, size_t size, size_t i)
{
	snprintf(out, size, "name-%zu", i);
}

static int bind_insert(void *p, size_t i, rt_stmt *stmt)
{
	insert_ctx *ctx = p;
	if (i == ctx->bind_fails_at)
		return rt__error_set(RT_EINVAL, "no value for this set");
	char name[32];
	name_of(name, sizeof(name), i == ctx->duplicate_at ? 0 : i);
	int rc = rt_stmt_bind_text(stmt, 1, name, -1);
	if (rc == RT_OK)
		rc = i % 3 == 0 ? rt_stmt_bind_null(stmt, 2) : rt_stmt_bind_int64(stmt, 2, (int64_t)i);
	if (rc == RT_OK) {
		unsigned char data[4] = {0, (unsigned char)i, 0, 0xff};
		rc = i % 2 ? rt_stmt_bind_blob(stmt, 3, data, sizeof(data)) : rt_stmt_bind_null(stmt, 3);
	}
	return rc;
}

static int row_insert(void *p, size_t i, rt_stmt *stmt)
{
	insert_ctx *ctx = p;
	if (i == ctx->row_fails_at)
		return rt__error_set(RT_EINVAL, "the program did not want this row");
	if (ctx->rows && i < ctx->last_index)
		ctx->out_of_order++;
	ctx->last_index = i;
	ctx->rows++;
	ctx->ids[i] = rt_stmt_column_int64(stmt, 0);
	char name[32];
	name_of(name, sizeof(name), i);
	const char *got = rt_stmt_column_text(stmt, 1);
	if (!got || strcmp(got, name) != 0)
		ctx->bad_rows++;
	return RT_OK;
}

static insert_ctx new_ctx(size_t count)
{
	insert_ctx ctx = {SIZE_MAX, SIZE_MAX, SIZE_MAX, calloc(count, sizeof(int64_t)), 0, 0, 0, 0};
	CHECK(ctx.ids != NULL);
	return ctx;
}

static const char insert_sql[] =
	"INSERT INTO batch_rows (name, n, data) VALUES (?, ?, ?) RETURNING id, name";

static void test_insert_returning(void)
{
	make_table();
	const size_t count = 1200;
	insert_ctx ctx = new_ctx(count);
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt__conn_statement(conn, insert_sql, &stmt));
	rt_batch batch = {count, bind_insert, row_insert, &ctx};
	uint64_t affected = 0;
	CHECK_OK(rt__stmt_run_batch(stmt, &batch, &affected));
	CHECK_OK(rt_conn_commit(conn));
	CHECK_INT(affected, count);
	CHECK_INT(ctx.rows, count);
	CHECK_INT(ctx.out_of_order, 0);
	CHECK_INT(ctx.bad_rows, 0);
	int increasing = 1;
	for (size_t i = 1; i < count; i++)
		if (ctx.ids[i] <= ctx.ids[i - 1])
			increasing = 0;
	CHECK(increasing);
	CHECK_INT(query_int("SELECT count(*) FROM batch_rows"), count);
	CHECK_INT(query_int("SELECT count(*) FROM batch_rows WHERE n IS NULL"), count / 3);
	CHECK_INT(query_int("SELECT count(*) FROM batch_rows WHERE data IS NULL"), count / 2);

	/* The blob of set 5 came back whole. */
	rt_stmt *check = NULL;
	CHECK_OK(rt__conn_statement(conn, "SELECT data FROM batch_rows WHERE name = ?", &check));
	CHECK_OK(rt_stmt_bind_text(check, 1, "name-5", -1));
	CHECK_INT(rt_stmt_step(check), RT_ROW);
	size_t len = 0;
	const unsigned char *data = rt_stmt_column_blob(check, 0, &len);
	CHECK_INT(len, 4);
	CHECK(data && data[0] == 0 && data[1] == 5 && data[2] == 0 && data[3] == 0xff);
	rt_stmt_reset(check);

	/* The statement is usable on its own after a batch. */
	CHECK_OK(rt__conn_statement(conn, insert_sql, &stmt));
	CHECK_OK(rt_stmt_bind_text(stmt, 1, "single", -1));
	CHECK_INT(rt_stmt_step(stmt), RT_ROW);
	CHECK_STR(rt_stmt_column_text(stmt, 1), "single");
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
	free(ctx.ids);
}

/* UPDATE and DELETE batches count what they changed, without rows. */
typedef struct update_ctx {
	const int64_t *values;
} update_ctx;

static int bind_update(void *p, size_t i, rt_stmt *stmt)
{
	update_ctx *ctx = p;
	int rc = rt_stmt_bind_int64(stmt, 1, 1000 + (int64_t)i);
	return rc < 0 ? rc : rt_stmt_bind_int64(stmt, 2, ctx->values[i]);
}

static void test_update_delete(void)
{
	make_table();
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO batch_rows (name, n) VALUES "
				       "('a', 1), ('b', 1), ('c', 2), ('d', 3)"));
	int64_t values[] = {1, 2, 99};
	update_ctx ctx = {values};
	rt_stmt *stmt = NULL;
	CHECK_OK(rt__conn_statement(conn, "UPDATE batch_rows SET n = ? WHERE n = ?", &stmt));
	rt_batch batch = {3, bind_update, NULL, &ctx};
	uint64_t affected = 0;
	CHECK_OK(rt__stmt_run_batch(stmt, &batch, &affected));
	CHECK_INT(affected, 3); /* two rows, one row, none */
	CHECK_INT(query_int("SELECT count(*) FROM batch_rows WHERE n >= 1000"), 3);

	/* An empty batch does nothing and succeeds. */
	rt_batch empty = {0, NULL, NULL, NULL};
	affected = 7;
	CHECK_OK(rt__stmt_run_batch(stmt, &empty, &affected));
	CHECK_INT(affected, 0);

	/* A statement outside the cache batches too. */
	rt_stmt *plain = NULL;
	CHECK_OK(rt_stmt_prepare(&plain, conn, "DELETE FROM batch_rows WHERE n = ? OR n = ?"));
	int64_t keys[] = {1000, 1001, 5};
	update_ctx del = {keys};
	rt_batch deletes = {2, bind_update, NULL, &del};
	CHECK_OK(rt__stmt_run_batch(plain, &deletes, &affected));
	CHECK_INT(affected, 3);
	rt_stmt_finalize(plain);
	CHECK_INT(query_int("SELECT count(*) FROM batch_rows"), 1);
}

/* --- errors ------------------------------------------------------------------ */

static void run_failing(insert_ctx *ctx, size_t count, int expected, const char *where)
{
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt__conn_statement(conn, insert_sql, &stmt));
	rt_batch batch = {count, bind_insert, row_insert, ctx};
	uint64_t affected = 99;
	CHECK_INT(rt__stmt_run_batch(stmt, &batch, &affected), expected);
	CHECK_INT(affected, 0);
	const char *message = rt_error_last()->message;
	if (!strstr(message, where))
		fprintf(stderr, "message: %s\n", message);
	CHECK(strstr(message, where) != NULL);
	CHECK_OK(rt_conn_rollback(conn));
	/* The connection works, and nothing of the batch is left. */
	CHECK_INT(query_int("SELECT count(*) FROM batch_rows"), 0);
}

static void test_violation(void)
{
	make_table();
	insert_ctx ctx = new_ctx(1000);
	ctx.duplicate_at = 700;
	run_failing(&ctx, 1000, RT_ECONSTRAINT, "parameter set 700 of 1000");
	/* Run again to read the error record of a fresh failure. */
	ctx.rows = 0;
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt__conn_statement(conn, insert_sql, &stmt));
	rt_batch batch = {1000, bind_insert, row_insert, &ctx};
	CHECK_INT(rt__stmt_run_batch(stmt, &batch, NULL), RT_ECONSTRAINT);
	const rt_error *e = rt_error_last();
	char sqlstate[16];
	CHECK_STR(e->sqlstate, test_data_value(sqlstate, sizeof(sqlstate), "violation", "sqlstate",
					      rt_engine_dialect(engine), "unique"));
	CHECK_INT(e->constraint_kind, RT_VIOLATION_UNIQUE);
	CHECK_STR(e->constraint_name, "uq_batch_rows_name");
	/* Rows of the sets before the failure were delivered, none after. */
	CHECK(ctx.rows <= 700);
	CHECK_OK(rt_conn_rollback(conn));
	CHECK_INT(query_int("SELECT count(*) FROM batch_rows"), 0);
	/* The same statement works again. */
	insert_ctx fine = new_ctx(10);
	CHECK_OK(rt__conn_statement(conn, insert_sql, &stmt));
	rt_batch ok = {10, bind_insert, row_insert, &fine};
	CHECK_OK(rt__stmt_run_batch(stmt, &ok, NULL));
	CHECK_INT(fine.rows, 10);
	CHECK_OK(rt_conn_execute(conn, "DELETE FROM batch_rows"));
	free(fine.ids);
	free(ctx.ids);
}

static void test_callback_errors(void)
{
	make_table();
	insert_ctx ctx = new_ctx(900);
	ctx.bind_fails_at = 612;
	run_failing(&ctx, 900, RT_EINVAL, "parameter set 612 of 900: no value for this set");
	insert_ctx rows = new_ctx(900);
	rows.row_fails_at = 3;
	run_failing(&rows, 900, RT_EINVAL, "parameter set 3 of 900: the program did not want");
	free(ctx.ids);
	free(rows.ids);
}

/* --- timing ------------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bind_bench(void *p, size_t i, rt_stmt *stmt)
{
	(void)p;
	char text[32];
	snprintf(text, sizeof(text), "user %zu", i);
	int rc = rt_stmt_bind_int64(stmt, 1, (int64_t)i);
	if (rc == RT_OK)
		rc = rt_stmt_bind_text(stmt, 2, text, -1);
	if (rc == RT_OK)
		rc = rt_stmt_bind_int64(stmt, 3, (int64_t)(i % 100));
	return rc;
}

static void bench(void)
{
	const size_t count = 100000;
	static const char sql[] = "INSERT INTO batch_bench (id, name, n) VALUES (?, ?, ?)";
	for (int batched = 0; batched < 2; batched++) {
		CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS batch_bench"));
		CHECK_OK(rt_conn_execute(conn, "CREATE TABLE batch_bench (id BIGINT PRIMARY KEY, "
					       "name VARCHAR(50), n INTEGER)"));
		double start = now_s();
		CHECK_OK(rt_conn_begin(conn));
		rt_stmt *stmt = NULL;
		CHECK_OK(rt__conn_statement(conn, sql, &stmt));
		if (batched) {
			rt_batch batch = {count, bind_bench, NULL, NULL};
			CHECK_OK(rt__stmt_run_batch(stmt, &batch, NULL));
		} else {
			for (size_t i = 0; i < count; i++) {
				CHECK_OK(rt_stmt_reset(stmt));
				CHECK_OK(bind_bench(NULL, i, stmt));
				CHECK_INT(rt_stmt_step(stmt), RT_DONE);
			}
		}
		CHECK_OK(rt_conn_commit(conn));
		printf("%s: %zu single-row INSERTs in one transaction, %s: %.3f s\n",
		       rt_engine_dialect(engine), count, batched ? "batch" : "plain loop",
		       now_s() - start);
	}
	CHECK_INT(query_int("SELECT count(*) FROM batch_bench"), count);
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE batch_bench"));
}

int main(void)
{
	const char *url = rt_test_url();
	if (rt_engine_open(&engine, url, NULL) != RT_OK || rt__engine_acquire(engine, &conn) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", url, rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_insert_returning);
	RT_RUN(test_update_delete);
	RT_RUN(test_violation);
	RT_RUN(test_callback_errors);
	const char *b = getenv("RETORT_BENCH_BATCH");
	if (b && *b && strcmp(b, "0") != 0)
		RT_RUN(bench);
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS batch_rows"));
	rt__engine_release(engine, conn);
	rt_engine_free(engine);
	return rt_test_done();
}
