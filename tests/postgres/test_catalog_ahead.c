/*
 * test_catalog_ahead.c - a catalog reading's queries sent ahead in one
 * pipeline (src/dialect/postgres_catalog.c): each statement whose text is
 * the next sent ahead takes its result; any other statement, an error in
 * the middle, or a reading that stops early leaves the connection as the
 * unshared driver knows it (out of pipeline mode, usable), in its own
 * transaction or in a savepoint of the caller's.
 */
#include "test.h"

#include "base/arena.h"
#include "base/error.h"
#include "dialect/postgres.h"
#include "engine/url.h"
#include "schema/metadata.h"
#include "support/test_dialect.h"

static rt_arena *arena;
static rt_connect_params params;
static const rt_dialect *dialect;
static rt_driver_conn *conn;

/* The single integer sql gives, or -1 with the error printed. */
static long long one_value(const char *sql)
{
	rt_driver_stmt *stmt = NULL;
	long long got = -1;
	int rc = dialect->prepare(&stmt, conn, sql);
	if (rc == RT_OK && (rc = dialect->step(stmt)) == RT_ROW) {
		rt_value v;
		if (dialect->column_value(stmt, 0, &v) == RT_OK && v.type == RT_VALUE_INT64)
			got = v.i;
	} else if (rc < 0) {
		fprintf(stderr, "(expected or not) %s: %s\n", sql, rt_error_last()->message);
	}
	if (stmt)
		dialect->finalize(stmt);
	return got;
}

static bool idle(void)
{
	return conn->ahead == NULL && PQpipelineStatus(conn->pg) == PQ_PIPELINE_OFF &&
	       PQtransactionStatus(conn->pg) == PQTRANS_IDLE;
}

static const char *const three[] = {"SELECT 1", "SELECT 2", "SELECT 3"};

static void test_all_taken(void)
{
	rt_pg_reading how;
	CHECK_OK(rt__pg_reading_begin(dialect, conn, &how, three, 3));
	CHECK_INT(how, RT_PG_READING_OWN);
	CHECK(conn->ahead != NULL);
	CHECK_INT((int)one_value("SELECT 1"), 1);
	CHECK_INT(conn->ahead_next, 1);
	CHECK_INT((int)one_value("SELECT 2"), 2);
	CHECK_INT((int)one_value("SELECT 3"), 3);
	/* The last taken: the pipeline is left at once. */
	CHECK(conn->ahead == NULL);
	CHECK_INT((int)PQpipelineStatus(conn->pg), (int)PQ_PIPELINE_OFF);
	rt__pg_reading_end(dialect, conn, how);
	CHECK(idle());
	CHECK_INT((int)one_value("SELECT 7"), 7);
}

static void test_other_statement(void)
{
	rt_pg_reading how;
	CHECK_OK(rt__pg_reading_begin(dialect, conn, &how, three, 3));
	CHECK_INT((int)one_value("SELECT 1"), 1);
	/* Not the next: what was sent ahead is read and dropped first. */
	CHECK_INT((int)one_value("SELECT 42"), 42);
	CHECK(conn->ahead == NULL);
	CHECK_INT((int)one_value("SELECT 2"), 2);
	rt__pg_reading_end(dialect, conn, how);
	CHECK(idle());
}

static void test_error_in_the_middle(void)
{
	static const char *const failing[] = {"SELECT 1", "SELECT 1/0", "SELECT 3"};
	rt_pg_reading how;
	CHECK_OK(rt__pg_reading_begin(dialect, conn, &how, failing, 3));
	CHECK_INT((int)one_value("SELECT 1"), 1);
	CHECK_INT((int)one_value("SELECT 1/0"), -1);
	CHECK(strstr(rt_error_last()->message, "division by zero") != NULL);
	/* After it, the pipeline's queries were not run: an error, not an
	 * empty result. */
	CHECK_INT((int)one_value("SELECT 3"), -1);
	rt__pg_reading_end(dialect, conn, how);
	CHECK(idle());
	CHECK_INT((int)one_value("SELECT 8"), 8);
}

static void test_stopped_early(void)
{
	rt_pg_reading how;
	CHECK_OK(rt__pg_reading_begin(dialect, conn, &how, three, 3));
	CHECK_INT((int)one_value("SELECT 1"), 1);
	rt__pg_reading_end(dialect, conn, how);
	CHECK(idle());
	CHECK_INT((int)one_value("SELECT 9"), 9);
	/* Nothing taken at all. */
	CHECK_OK(rt__pg_reading_begin(dialect, conn, &how, three, 3));
	rt__pg_reading_end(dialect, conn, how);
	CHECK(idle());
	CHECK_OK(dialect->exec(conn, "SELECT 1"));
}

/* In the caller's transaction: a savepoint, which sees the caller's own
 * changes, and leaves the transaction open and unharmed. */
static void test_in_a_transaction(void)
{
	static const char *const count[] = {
		"SELECT count(*) FROM pg_class WHERE relname = 'ahead_mine'", "SELECT 1/0"};
	CHECK_OK(dialect->exec(conn, "BEGIN"));
	CHECK_OK(dialect->exec(conn, "CREATE TEMP TABLE ahead_mine (id int)"));
	rt_pg_reading how;
	CHECK_OK(rt__pg_reading_begin(dialect, conn, &how, count, 2));
	CHECK_INT(how, RT_PG_READING_SAVEPOINT);
	CHECK_INT((int)one_value(count[0]), 1);
	CHECK_INT((int)one_value(count[1]), -1);
	rt__pg_reading_end(dialect, conn, how);
	CHECK_INT((int)PQtransactionStatus(conn->pg), (int)PQTRANS_INTRANS);
	CHECK_OK(dialect->exec(conn, "INSERT INTO ahead_mine VALUES (1)"));
	CHECK_INT((int)one_value("SELECT count(*) FROM ahead_mine"), 1);
	CHECK_OK(dialect->exec(conn, "ROLLBACK"));
	CHECK(idle());
}

/* The whole schema read (every query of the reading sent ahead) twice:
 * the same tables each time, every query's result taken in the order
 * they were sent (none dropped: a query read out of its place drops the
 * rest, which then run a second time), and the connection idle after. */
static void test_reflect(void)
{
	CHECK_OK(dialect->exec(conn, "DROP TABLE IF EXISTS ahead_t2; DROP TABLE IF EXISTS ahead_t1;"
				     "CREATE TABLE ahead_t1 (id int PRIMARY KEY, name text);"
				     "CREATE TABLE ahead_t2 (id int PRIMARY KEY,"
				     " t1 int REFERENCES ahead_t1 (id));"
				     "CREATE INDEX ix_ahead_t2_t1 ON ahead_t2 (t1)"));
	for (int i = 0; i < 2; i++) {
		rt_schema *schema = NULL;
		long dropped = conn->ahead_dropped;
		CHECK_OK(dialect->reflect(&schema, dialect, conn));
		CHECK(schema != NULL);
		CHECK_INT(conn->ahead_dropped, dropped);
		if (schema) {
			const rt_table *t2 = rt__schema_find_table(schema, "ahead_t2");
			CHECK(t2 != NULL);
			CHECK(t2 && t2->index_count == 1);
			CHECK(rt__schema_find_table(schema, "ahead_t1") != NULL);
		}
		rt_schema_free(schema);
		CHECK(idle());
	}
	CHECK_OK(dialect->exec(conn, "DROP TABLE ahead_t2; DROP TABLE ahead_t1"));
}

int main(void)
{
	arena = rt__arena_new();
	if (!(dialect = test_dialect_open(&params, arena, "postgresql")))
		return 1;
	CHECK_OK(dialect->connect(&conn, &params));
	if (conn) {
		RT_RUN(test_all_taken);
		RT_RUN(test_other_statement);
		RT_RUN(test_error_in_the_middle);
		RT_RUN(test_stopped_early);
		RT_RUN(test_in_a_transaction);
		RT_RUN(test_reflect);
		dialect->disconnect(conn);
	}
	rt__arena_free(arena);
	return rt_test_done();
}
