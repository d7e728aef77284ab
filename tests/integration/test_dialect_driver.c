/*
 * test_dialect_driver.c - the dialect driver functions (dialect.h) on the
 * backend of RETORT_TEST_URL: binding and reading every value type,
 * placeholders, constraint violations as distinct errors, connection
 * failures with the password masked. PostgreSQL-only behaviour (dollar
 * quoting, `??`, exact numeric text) is checked where the backend is it.
 * The tables are made by the dialect's own DDL (rt_schema_ddl): the test
 * is about the driver, not about each backend's CREATE TABLE.
 */
#include <math.h>
#include <stdint.h>

#include "test.h"

#include "base/arena.h"
#include "base/error.h"
#include "dialect/dialect.h"
#include "engine/url.h"
#include "retort.h"
#include "support/test_data.h"
#include "support/test_dialect.h"

static rt_arena *arena;
static rt_connect_params params;
static const rt_dialect *dialect;
static rt_driver_conn *conn;

static bool is_postgres(void)
{
	return strcmp(dialect->name, "postgresql") == 0;
}

static void exec_ok(const char *sql)
{
	int rc = dialect->exec(conn, sql);
	if (rc != RT_OK)
		fprintf(stderr, "exec %s: %s\n", sql, rt_error_last()->message);
	CHECK_INT(rc, RT_OK);
}

static void drop_tables(void)
{
	exec_ok("DROP TABLE IF EXISTS drv_child; DROP TABLE IF EXISTS drv_values;"
		"DROP TABLE IF EXISTS drv_parent");
}

/* The tables, as the schema language declares them; constraints get the
 * default names (pk_drv_parent, uq_drv_parent_code, ...). */
static const char tables_schema[] =
	"table drv_values {\n"
	"  i bigint?\n"
	"  d double?\n"
	"  b bool?\n"
	"  t text?\n"
	"  x blob?\n"
	"  n numeric(10,2)?\n"
	"  s smallint?\n"
	"}\n"
	"table drv_parent {\n"
	"  id     int            primary key\n"
	"  code   string(10)     unique\n"
	"  price  numeric(10,2)  check 'price >= 0'\n"
	"}\n"
	"table drv_child {\n"
	"  id         int\n"
	"  parent_id  int?  references drv_parent(id)\n"
	"}\n";

static void create_tables(void)
{
	rt_schema *schema = NULL;
	char *ddl = NULL;
	CHECK_OK(rt_schema_parse_string(&schema, tables_schema, strlen(tables_schema), "drv.rt",
					NULL));
	if (schema)
		CHECK_OK(rt_schema_ddl(&ddl, schema, dialect->name, RT_DDL_CREATE));
	if (ddl)
		exec_ok(ddl);
	rt_free(ddl);
	rt_schema_free(schema);
}

/* Runs sql with one text parameter and returns the first row's column 0. */
static rt_driver_stmt *query_one(const char *sql)
{
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, sql));
	if (stmt)
		CHECK_INT(dialect->step(stmt), RT_ROW);
	return stmt;
}

static void test_connect(void)
{
	CHECK_OK(dialect->connect(&conn, &params));
	CHECK(conn != NULL);
	if (conn) {
		drop_tables();
		create_tables();
	}
}

static void test_values_round_trip(void)
{
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn,
				  "INSERT INTO drv_values (i, d, b, t, x, n, s)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?)"));
	if (!stmt)
		return;
	static const char blob[] = {'\0', '\x01', '\xff', '\\', 'x', '\0'};
	rt_value v[7] = {
		{RT_VALUE_INT64, INT64_MIN + 1, 0, NULL, 0, false},
		{RT_VALUE_DOUBLE, 0, 0.1, NULL, 0, false},
		{RT_VALUE_BOOL, 1, 0, NULL, 0, false},
		{RT_VALUE_TEXT, 0, 0, "it's \"quoted\" ? ünïcode", strlen("it's \"quoted\" ? ünïcode"), false},
		{RT_VALUE_BLOB, 0, 0, blob, sizeof(blob), false},
		{RT_VALUE_TEXT, 0, 0, "12345678.90", 11, false},
		{RT_VALUE_INT64, -32768, 0, NULL, 0, false},
	};
	for (int i = 0; i < 7; i++)
		CHECK_OK(dialect->bind(stmt, i + 1, &v[i]));
	CHECK_INT(dialect->step(stmt), RT_DONE);
	/* Run again with other values and a NULL: bindings are kept across
	 * reset, so only what changes is rebound. */
	CHECK_OK(dialect->reset(stmt));
	rt_value null = {RT_VALUE_NULL, 0, 0, NULL, 0, false};
	rt_value zero = {RT_VALUE_INT64, 0, 0, NULL, 0, false};
	CHECK_OK(dialect->bind(stmt, 1, &zero));
	CHECK_OK(dialect->bind(stmt, 5, &null));
	CHECK_INT(dialect->step(stmt), RT_DONE);
	dialect->finalize(stmt);

	stmt = query_one("SELECT i, d, b, t, x, n, s FROM drv_values ORDER BY i");
	if (!stmt)
		return;
	CHECK_INT(dialect->column_count(stmt), 7);
	CHECK_STR(dialect->column_name(stmt, 3), "t");
	rt_value out;
	CHECK_OK(dialect->column_value(stmt, 0, &out));
	CHECK_INT(out.type, RT_VALUE_INT64);
	CHECK(out.i == INT64_MIN + 1);
	CHECK_OK(dialect->column_value(stmt, 1, &out));
	CHECK_INT(out.type, RT_VALUE_DOUBLE);
	CHECK(out.d == 0.1);
	CHECK_OK(dialect->column_value(stmt, 2, &out));
	/* SQLite has no boolean storage class, and MariaDB's BOOLEAN is
	 * TINYINT(1): it reads back as 1. */
	CHECK_INT(out.type, is_postgres() ? RT_VALUE_BOOL : RT_VALUE_INT64);
	CHECK_INT(out.i, 1);
	CHECK_OK(dialect->column_value(stmt, 3, &out));
	CHECK_INT(out.type, RT_VALUE_TEXT);
	CHECK_STR(out.s, v[3].s);
	CHECK_INT(out.len, v[3].len);
	CHECK_OK(dialect->column_value(stmt, 4, &out));
	CHECK_INT(out.type, RT_VALUE_BLOB);
	CHECK_INT(out.len, sizeof(blob));
	CHECK(out.s && memcmp(out.s, blob, sizeof(blob)) == 0);
	CHECK_OK(dialect->column_value(stmt, 6, &out));
	CHECK_INT(out.type, RT_VALUE_INT64);
	CHECK_INT(out.i, -32768);
	if (is_postgres()) {
		/* numeric stays exact text */
		CHECK_OK(dialect->column_value(stmt, 5, &out));
		CHECK_INT(out.type, RT_VALUE_TEXT);
		CHECK_STR(out.s, "12345678.90");
	}

	CHECK_INT(dialect->step(stmt), RT_ROW);
	CHECK_OK(dialect->column_value(stmt, 0, &out));
	CHECK_INT(out.i, 0);
	CHECK_OK(dialect->column_value(stmt, 4, &out));
	CHECK_INT(out.type, RT_VALUE_NULL);
	CHECK_INT(dialect->step(stmt), RT_DONE);
	dialect->finalize(stmt);
}

static void test_empty_blob_and_text(void)
{
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "SELECT ?, ?"));
	if (!stmt)
		return;
	rt_value empty_blob = {RT_VALUE_BLOB, 0, 0, "", 0, false};
	rt_value empty_text = {RT_VALUE_TEXT, 0, 0, "", 0, false};
	CHECK_OK(dialect->bind(stmt, 1, &empty_blob));
	CHECK_OK(dialect->bind(stmt, 2, &empty_text));
	CHECK_INT(dialect->step(stmt), RT_ROW);
	rt_value out;
	CHECK_OK(dialect->column_value(stmt, 0, &out));
	CHECK_INT(out.type, RT_VALUE_BLOB);
	CHECK_INT(out.len, 0);
	CHECK_OK(dialect->column_value(stmt, 1, &out));
	CHECK_INT(out.type, RT_VALUE_TEXT);
	CHECK_STR(out.s, "");
	dialect->finalize(stmt);
}

/* `?` inside strings, quoted identifiers and comments is not a
 * parameter; the one real placeholder is. */
static void test_placeholders(void)
{
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn,
				  "SELECT '?' AS \"q?\", /* ? */ ? AS p -- ?\n, 'a''?' AS r"));
	if (!stmt)
		return;
	rt_value seven = {RT_VALUE_INT64, 7, 0, NULL, 0, false};
	CHECK_OK(dialect->bind(stmt, 1, &seven));
	CHECK_INT(dialect->bind(stmt, 2, &seven), RT_EINVAL);
	CHECK_INT(dialect->step(stmt), RT_ROW);
	CHECK_STR(dialect->column_name(stmt, 0), "q?");
	rt_value out;
	CHECK_OK(dialect->column_value(stmt, 0, &out));
	CHECK_STR(out.s, "?");
	CHECK_OK(dialect->column_value(stmt, 1, &out));
	CHECK(out.type == RT_VALUE_INT64 || out.type == RT_VALUE_TEXT);
	if (out.type == RT_VALUE_INT64)
		CHECK_INT(out.i, 7);
	else
		CHECK_STR(out.s, "7");
	CHECK_OK(dialect->column_value(stmt, 2, &out));
	CHECK_STR(out.s, "a'?");
	CHECK_INT(dialect->step(stmt), RT_DONE);
	dialect->finalize(stmt);
}

/* rows_held: a result held whole on the client says its size from the
 * first row on; a streamed one, whose rows come one at a time, does not. */
static void rows_held_run(bool streamed)
{
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3"));
	if (!stmt)
		return;
	if (streamed)
		CHECK_OK(dialect->set_streaming(stmt, true));
	CHECK_INT(dialect->step(stmt), RT_ROW);
	CHECK(dialect->rows_held(stmt) == (streamed ? -1 : 3));
	CHECK_INT(dialect->step(stmt), RT_ROW);
	CHECK_INT(dialect->step(stmt), RT_ROW);
	CHECK_INT(dialect->step(stmt), RT_DONE);
	dialect->finalize(stmt);
}

static void test_rows_held(void)
{
	if (!dialect->rows_held)
		return; /* rows come one at a time (SQLite): nothing to say */
	rows_held_run(false);
	if (dialect->set_streaming)
		rows_held_run(true);
}

static void test_postgres_sql_forms(void)
{
	if (!is_postgres())
		return;
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn,
				  "SELECT $$?$$, $tag$ '? $$ $tag$, E'\\'?', ?::int + 1,"
				  " '{\"a\": 1}'::jsonb ?? 'a', 1.50::numeric, 'NaN'::float8,"
				  " '-Infinity'::float8, 2::int2"));
	if (!stmt)
		return;
	rt_value v = {RT_VALUE_INT64, 41, 0, NULL, 0, false};
	CHECK_OK(dialect->bind(stmt, 1, &v));
	CHECK_INT(dialect->bind(stmt, 2, &v), RT_EINVAL);
	CHECK_INT(dialect->step(stmt), RT_ROW);
	rt_value out;
	CHECK_OK(dialect->column_value(stmt, 0, &out));
	CHECK_STR(out.s, "?");
	CHECK_OK(dialect->column_value(stmt, 1, &out));
	CHECK_STR(out.s, " '? $$ ");
	CHECK_OK(dialect->column_value(stmt, 2, &out));
	CHECK_STR(out.s, "'?");
	CHECK_OK(dialect->column_value(stmt, 3, &out));
	CHECK_INT(out.type, RT_VALUE_INT64);
	CHECK_INT(out.i, 42);
	CHECK_OK(dialect->column_value(stmt, 4, &out));
	CHECK_INT(out.type, RT_VALUE_BOOL);
	CHECK_INT(out.i, 1);
	CHECK_OK(dialect->column_value(stmt, 5, &out));
	CHECK_INT(out.type, RT_VALUE_TEXT);
	CHECK_STR(out.s, "1.50");
	CHECK_OK(dialect->column_value(stmt, 6, &out));
	CHECK(out.type == RT_VALUE_DOUBLE && isnan(out.d));
	CHECK_OK(dialect->column_value(stmt, 7, &out));
	CHECK(out.type == RT_VALUE_DOUBLE && isinf(out.d) && out.d < 0);
	CHECK_OK(dialect->column_value(stmt, 8, &out));
	CHECK_INT(out.type, RT_VALUE_INT64);
	CHECK_INT(out.i, 2);
	dialect->finalize(stmt);

	/* Doubles go out as text the server reads exactly. */
	CHECK_OK(dialect->prepare(&stmt, conn, "SELECT ?::float8, ?::float8, ?::float8"));
	if (!stmt)
		return;
	rt_value d[3] = {{RT_VALUE_DOUBLE, 0, 1.0 / 3.0, NULL, 0, false},
			 {RT_VALUE_DOUBLE, 0, INFINITY, NULL, 0, false},
			 {RT_VALUE_DOUBLE, 0, NAN, NULL, 0, false}};
	for (int i = 0; i < 3; i++)
		CHECK_OK(dialect->bind(stmt, i + 1, &d[i]));
	CHECK_INT(dialect->step(stmt), RT_ROW);
	CHECK_OK(dialect->column_value(stmt, 0, &out));
	CHECK(out.d == 1.0 / 3.0);
	CHECK_OK(dialect->column_value(stmt, 1, &out));
	CHECK(isinf(out.d) && out.d > 0);
	CHECK_OK(dialect->column_value(stmt, 2, &out));
	CHECK(isnan(out.d));
	dialect->finalize(stmt);

	/* PostgreSQL text cannot hold NUL: refused at bind, not cut short. */
	CHECK_OK(dialect->prepare(&stmt, conn, "SELECT ?"));
	rt_value nul = {RT_VALUE_TEXT, 0, 0, "a\0b", 3, false};
	CHECK_INT(dialect->bind(stmt, 1, &nul), RT_EINVAL);
	dialect->finalize(stmt);
}

static void expect_violation(const char *sql, rt_constraint_violation kind, const char *name)
{
	rt_error_clear();
	int rc = dialect->exec(conn, sql);
	CHECK_INT(rc, RT_ECONSTRAINT);
	CHECK_INT(rt_error_last()->constraint_kind, kind);
	CHECK_STR(rt_error_last()->constraint_name, name);
	if (rc != RT_ECONSTRAINT)
		fprintf(stderr, "  %s: %s\n", sql, rt_error_last()->message);
}

static void test_constraint_errors(void)
{
	exec_ok("INSERT INTO drv_parent (id, code, price) VALUES (1, 'a', 1)");
	expect_violation("INSERT INTO drv_parent (id, code, price) VALUES (2, 'a', 1)",
			 RT_VIOLATION_UNIQUE, "uq_drv_parent_code");
	expect_violation("INSERT INTO drv_parent (id, code, price) VALUES (3, 'c', -1)",
			 RT_VIOLATION_CHECK, "ck_drv_parent_price");
	expect_violation("INSERT INTO drv_child (id, parent_id) VALUES (1, 99)",
			 RT_VIOLATION_FOREIGN_KEY, "fk_drv_child_parent_id_drv_parent");
	expect_violation("INSERT INTO drv_parent (id, code, price) VALUES (4, NULL, 1)",
			 RT_VIOLATION_NOT_NULL, "drv_parent.code");

	/* Through a prepared statement too, with the backend's SQLSTATE. */
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn,
				  "INSERT INTO drv_parent (id, code, price) VALUES (?, ?, 0)"));
	if (!stmt)
		return; /* a NULL statement is the caller's to check, not the driver's */
	rt_value id = {RT_VALUE_INT64, 5, 0, NULL, 0, false};
	rt_value code = {RT_VALUE_TEXT, 0, 0, "a", 1, false};
	CHECK_OK(dialect->bind(stmt, 1, &id));
	CHECK_OK(dialect->bind(stmt, 2, &code));
	CHECK_INT(dialect->step(stmt), RT_ECONSTRAINT);
	CHECK_INT(rt_error_last()->constraint_kind, RT_VIOLATION_UNIQUE);
	char sqlstate[16];
	CHECK_STR(rt_error_last()->sqlstate, test_data_value(sqlstate, sizeof(sqlstate), "violation",
							    "sqlstate", dialect->name, "unique"));
	dialect->finalize(stmt);

	rt_error_clear();
	CHECK_INT(dialect->exec(conn, "SELECT * FROM no_such_table"), RT_EDATABASE);
	CHECK(strstr(rt_error_last()->message, "no_such_table") != NULL);
	if (is_postgres())
		CHECK_STR(rt_error_last()->sqlstate, "42P01");
}

/* A failed connection says where it tried, never with the password: a
 * server backend's at a port where nothing listens, a file backend's in a
 * folder that does not exist. */
static void test_connect_failure(void)
{
	char url[256];
	bool server = params.host != NULL;
	if (server)
		snprintf(url, sizeof(url), "%s://alice:s3cr%%21t@127.0.0.1:1/db?connect_timeout=2",
			 params.scheme);
	else
		snprintf(url, sizeof(url), "%s:////nonexistent-dir/sub/x.db", params.scheme);
	rt_connect_params bad;
	CHECK_OK(rt__url_parse(&bad, arena, url));
	rt_driver_conn *c = NULL;
	rt_error_clear();
	CHECK_INT(dialect->connect(&c, &bad), RT_ECONNECT);
	CHECK(c == NULL);
	const char *message = rt_error_last()->message;
	if (server) {
		CHECK(strstr(message, "s3cr") == NULL);
		CHECK(strstr(message, "alice:***@127.0.0.1:1/db") != NULL);
	} else {
		CHECK(strstr(message, "x.db") != NULL);
	}
	dialect->disconnect(c);
}

/* Query options reach libpq as connection keywords; retort's own
 * defaults apply only where the URL says nothing. */
static void test_connect_options(void)
{
	if (!is_postgres())
		return;
	rt_driver_stmt *stmt = query_one("SELECT current_setting('application_name'),"
					 " current_setting('client_encoding')");
	rt_value out;
	if (stmt) {
		CHECK_OK(dialect->column_value(stmt, 0, &out));
		CHECK_STR(out.s, "retort");
		CHECK_OK(dialect->column_value(stmt, 1, &out));
		CHECK_STR(out.s, "UTF8");
		dialect->finalize(stmt);
	}

	char url[1024];
	snprintf(url, sizeof(url), "%s%capplication_name=rt_options&client_encoding=LATIN1",
		 rt_test_url(), strchr(rt_test_url(), '?') ? '&' : '?');
	rt_connect_params with_options;
	CHECK_OK(rt__url_parse(&with_options, arena, url));
	rt_driver_conn *other = NULL;
	CHECK_OK(dialect->connect(&other, &with_options));
	if (!other)
		return;
	stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, other, "SELECT current_setting('application_name'),"
					       " current_setting('client_encoding')"));
	CHECK_INT(dialect->step(stmt), RT_ROW);
	CHECK_OK(dialect->column_value(stmt, 0, &out));
	CHECK_STR(out.s, "rt_options");
	CHECK_OK(dialect->column_value(stmt, 1, &out));
	CHECK_STR(out.s, "LATIN1");
	dialect->finalize(stmt);
	dialect->disconnect(other);
}

static void test_disconnect(void)
{
	drop_tables();
	dialect->disconnect(conn);
	conn = NULL;
	dialect->disconnect(NULL);
	dialect->finalize(NULL);
}

int main(void)
{
	arena = rt__arena_new();
	if (!(dialect = test_dialect_open(&params, arena, NULL)))
		return 1;
	RT_RUN(test_connect);
	if (conn) {
		RT_RUN(test_values_round_trip);
		RT_RUN(test_empty_blob_and_text);
		RT_RUN(test_placeholders);
		RT_RUN(test_rows_held);
		RT_RUN(test_postgres_sql_forms);
		RT_RUN(test_constraint_errors);
		RT_RUN(test_connect_failure);
		RT_RUN(test_connect_options);
		RT_RUN(test_disconnect);
	}
	rt__arena_free(arena);
	return rt_test_done();
}
