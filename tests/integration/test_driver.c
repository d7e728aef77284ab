/*
 * test_driver.c - connections, statements and errors against a real
 * database (RETORT_TEST_URL, any backend): every value type both ways,
 * transactions, each kind of constraint violation with its name (and the
 * backend's SQLSTATE, tests/integration/data/violation), bad SQL, bad
 * URLs, and create_all / drop_all in one transaction where the backend
 * has transactional DDL.
 */
#include <stdint.h>
#include <string.h>

#include "engine/engine.h"
#include "retort.h"
#include "schema/metadata.h"
#include "test.h"

#include "support/test_data.h"
#include "support/test_db.h"

static rt_engine *engine;
static rt_conn *conn;
static bool postgres;


static int64_t count_rows(const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", table);
	rt_stmt *stmt = NULL;
	int64_t n = -1;
	CHECK_OK(rt_stmt_prepare(&stmt, conn, sql));
	if (stmt && rt_stmt_step(stmt) == RT_ROW)
		n = rt_stmt_column_int64(stmt, 0);
	rt_stmt_finalize(stmt);
	return n;
}

/* --- values ------------------------------------------------------------------------ */

static const char utf8_text[] = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac";
static const unsigned char blob_bytes[] = {0x00, 0x01, 0x02, 0x00, 0xff, 0x7f, 0x00};

static void insert_row(rt_stmt *stmt, int64_t id, int64_t i, double d, int b, const char *text,
		       ptrdiff_t text_len, const void *blob, size_t blob_len)
{
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_OK(rt_stmt_bind_int64(stmt, 1, id));
	CHECK_OK(rt_stmt_bind_int64(stmt, 2, i));
	CHECK_OK(rt_stmt_bind_double(stmt, 3, d));
	CHECK_OK(rt_stmt_bind_bool(stmt, 4, b));
	CHECK_OK(rt_stmt_bind_text(stmt, 5, text, text_len));
	CHECK_OK(rt_stmt_bind_blob(stmt, 6, blob, blob_len));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
}

/* The table, made by the dialect's own DDL. */
static const char values_schema[] = "table driver_values {\n"
				    "  id  bigint  primary key\n"
				    "  i   bigint?\n"
				    "  d   double?\n"
				    "  b   bool?\n"
				    "  t   text?\n"
				    "  bl  blob?\n"
				    "}\n";

static void test_values(void)
{
	rt_schema *schema = NULL;
	CHECK_OK(rt_schema_parse_string(&schema, values_schema, strlen(values_schema),
					"values.rt", NULL));
	if (schema)
		CHECK_OK(rt_schema_create_all(conn, schema));
	rt_schema_free(schema);

	rt_stmt *ins = NULL;
	CHECK_OK(rt_stmt_prepare(&ins, conn,
				 "INSERT INTO driver_values (id, i, d, b, t, bl) VALUES (?, ?, ?, ?, ?, ?)"));
	if (!ins)
		return;
	insert_row(ins, 1, INT64_MAX, 3.5, 1, utf8_text, -1, blob_bytes, sizeof(blob_bytes));
	insert_row(ins, 2, INT64_MIN, -1e300, 0, "partial text", 7, "", 0);
	insert_row(ins, 3, 0, 0.0, 0, "", -1, "x", 1);
	/* Row 4: every value NULL, bound explicitly. */
	CHECK_OK(rt_stmt_reset(ins));
	CHECK_OK(rt_stmt_bind_int64(ins, 1, 4));
	for (int p = 2; p <= 6; p++)
		CHECK_OK(rt_stmt_bind_null(ins, p));
	CHECK_INT(rt_stmt_step(ins), RT_DONE);
	/* A NULL text pointer binds NULL too. */
	CHECK_OK(rt_stmt_reset(ins));
	CHECK_OK(rt_stmt_bind_int64(ins, 1, 5));
	CHECK_OK(rt_stmt_bind_text(ins, 5, NULL, -1));
	CHECK_INT(rt_stmt_bind_int64(ins, 7, 1), RT_EINVAL);
	CHECK_INT(rt_stmt_bind_int64(ins, 0, 1), RT_EINVAL);
	rt_stmt_finalize(ins);

	rt_stmt *sel = NULL;
	CHECK_OK(rt_stmt_prepare(&sel, conn,
				 "SELECT id, i, d, b, t, bl FROM driver_values WHERE id >= ? ORDER BY id"));
	if (!sel)
		return;
	CHECK_OK(rt_stmt_bind_int64(sel, 1, 1));

	CHECK_INT(rt_stmt_step(sel), RT_ROW);
	CHECK_INT(rt_stmt_column_count(sel), 6);
	CHECK_STR(rt_stmt_column_name(sel, 4), "t");
	CHECK(rt_stmt_column_name(sel, 6) == NULL);
	CHECK_INT(rt_stmt_column_int64(sel, 0), 1);
	CHECK(rt_stmt_column_int64(sel, 1) == INT64_MAX);
	CHECK(rt_stmt_column_double(sel, 2) == 3.5);
	CHECK_INT(rt_stmt_column_bool(sel, 3), 1);
	CHECK_STR(rt_stmt_column_text(sel, 4), utf8_text);
	size_t len = 0;
	const void *blob = rt_stmt_column_blob(sel, 5, &len);
	CHECK_INT(len, sizeof(blob_bytes));
	CHECK(blob && memcmp(blob, blob_bytes, sizeof(blob_bytes)) == 0);
	/* Numbers read as text. */
	CHECK_STR(rt_stmt_column_text(sel, 1), "9223372036854775807");
	CHECK_INT(rt_stmt_column_is_null(sel, 1), 0);

	CHECK_INT(rt_stmt_step(sel), RT_ROW);
	CHECK(rt_stmt_column_int64(sel, 1) == INT64_MIN);
	CHECK(rt_stmt_column_double(sel, 2) == -1e300);
	CHECK_INT(rt_stmt_column_bool(sel, 3), 0);
	CHECK_STR(rt_stmt_column_text(sel, 4), "partial");
	blob = rt_stmt_column_blob(sel, 5, &len);
	CHECK_INT(len, 0);
	CHECK(blob != NULL);
	CHECK_INT(rt_stmt_column_is_null(sel, 5), 0);

	CHECK_INT(rt_stmt_step(sel), RT_ROW);
	CHECK_STR(rt_stmt_column_text(sel, 4), "");
	CHECK_INT(rt_stmt_column_is_null(sel, 4), 0);

	CHECK_INT(rt_stmt_step(sel), RT_ROW);
	for (int c = 1; c <= 5; c++)
		CHECK_INT(rt_stmt_column_is_null(sel, c), 1);
	CHECK(rt_stmt_column_text(sel, 4) == NULL);
	CHECK(rt_stmt_column_blob(sel, 5, &len) == NULL);
	CHECK_INT(len, 0);
	CHECK_INT(rt_stmt_column_int64(sel, 1), 0);

	CHECK_INT(rt_stmt_step(sel), RT_DONE);

	/* Run again with another binding. */
	CHECK_OK(rt_stmt_reset(sel));
	CHECK_OK(rt_stmt_bind_int64(sel, 1, 4));
	CHECK_INT(rt_stmt_step(sel), RT_ROW);
	CHECK_INT(rt_stmt_column_int64(sel, 0), 4);
	CHECK_INT(rt_stmt_step(sel), RT_DONE);
	rt_stmt_finalize(sel);
	rt_stmt_finalize(NULL);
}

/* --- transactions ------------------------------------------------------------------- */

static void test_transactions(void)
{
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE driver_ok (n INTEGER)"));
	CHECK_OK(rt_conn_begin(conn));
	CHECK_INT(rt_conn_begin(conn), RT_EINVAL);
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO driver_ok (n) VALUES (1)"));
	CHECK_INT(count_rows("driver_ok"), 1);
	CHECK_OK(rt_conn_rollback(conn));
	CHECK_INT(count_rows("driver_ok"), 0);

	CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO driver_ok (n) VALUES (1); "
				       "INSERT INTO driver_ok (n) VALUES (2)"));
	CHECK_OK(rt_conn_commit(conn));
	CHECK_INT(count_rows("driver_ok"), 2);

	CHECK_INT(rt_conn_commit(conn), RT_EINVAL);
	CHECK_INT(rt_conn_rollback(conn), RT_EINVAL);
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE driver_ok"));
}

/* Runs a query that must fail with code, whether the backend reports it
 * at prepare time (SQLite) or at the first step (PostgreSQL). */
static void check_query_fails(const char *sql, int code)
{
	rt_stmt *stmt = NULL;
	int rc = rt_stmt_prepare(&stmt, conn, sql);
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	CHECK_INT(rc, code);
	rt_stmt_finalize(stmt);
}

/* --- errors ------------------------------------------------------------------------------- */

/* Two tables made by create_all, so constraint names are the schema's. */
static rt_schema *people_schema(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *people = rt__schema_add_table(s, "driver_people", NULL);
	rt_column *id = rt__table_add_column(s, people, "id");
	id->type.kind = RT_TYPE_BIGINT;
	id->autoincrement = true;
	rt_constraint *pk = rt__table_add_constraint(s, people, RT_CONSTRAINT_PRIMARY_KEY,
						     "pk_driver_people");
	rt__constraint_add_column(s, pk, "id", false);
	rt_column *name = rt__table_add_column(s, people, "name");
	name->type.kind = RT_TYPE_TEXT;
	rt_column *email = rt__table_add_column(s, people, "email");
	email->type.kind = RT_TYPE_STRING;
	email->type.length = 100;
	rt_column *age = rt__table_add_column(s, people, "age");
	age->type.kind = RT_TYPE_INT;
	age->nullable = true;
	rt_column *nick = rt__table_add_column(s, people, "nick");
	nick->type.kind = RT_TYPE_STRING;
	nick->nullable = true;
	rt_constraint *uq = rt__table_add_constraint(s, people, RT_CONSTRAINT_UNIQUE,
						     "uq_driver_people_email");
	rt__constraint_add_column(s, uq, "email", false);
	rt_constraint *ck = rt__table_add_constraint(s, people, RT_CONSTRAINT_CHECK,
						     "ck_driver_people_age");
	ck->check = "age >= 0";
	rt_index *ix = rt__table_add_index(s, people, "ix_driver_people_nick", true);
	rt__index_add_column(s, ix, "nick");

	rt_table *pets = rt__schema_add_table(s, "driver_pets", NULL);
	rt_column *owner = rt__table_add_column(s, pets, "owner_id");
	owner->type.kind = RT_TYPE_BIGINT;
	rt_constraint *fk = rt__table_add_constraint(s, pets, RT_CONSTRAINT_FOREIGN_KEY,
						     "fk_driver_pets_owner_id_driver_people");
	rt__constraint_add_column(s, fk, "owner_id", false);
	rt__constraint_add_column(s, fk, "id", true);
	fk->ref_table = "driver_people";
	return s;
}

/* sqlstate names the line of data/violation/sqlstate.<backend>.txt with
 * the SQLSTATE the backend reports. */
static void check_violation(const char *sql, rt_constraint_violation kind, const char *name,
			    const char *sqlstate)
{
	char expected[16];
	test_data_value(expected, sizeof(expected), "violation", "sqlstate",
			rt_engine_dialect(engine), sqlstate);
	CHECK_INT(rt_conn_execute(conn, sql), RT_ECONSTRAINT);
	const rt_error *e = rt_error_last();
	if (e->constraint_kind != kind || strcmp(e->constraint_name, name) != 0)
		fprintf(stderr, "  after %s:\n  %s\n", sql, e->message);
	CHECK_INT(e->code, RT_ECONSTRAINT);
	CHECK_INT(e->constraint_kind, kind);
	CHECK_STR(e->constraint_name, name);
	CHECK_STR(e->sqlstate, expected);
	CHECK(strlen(e->message) > 0);
}

static void test_constraint_violations(void)
{
	rt_schema *s = people_schema();
	CHECK_OK(rt_schema_create_all(conn, s));
	/* Ann gets id 1 from the autoincrement. */
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO driver_people (name, email, age, nick) "
				       "VALUES ('Ann', 'ann@example.com', 30, 'annie')"));
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO driver_pets (owner_id) VALUES (1)"));

	check_violation("INSERT INTO driver_people (name, email) VALUES ('Bob', 'ann@example.com')",
			RT_VIOLATION_UNIQUE, "uq_driver_people_email", "unique");
	check_violation("INSERT INTO driver_people (id, name, email) VALUES (1, 'Bob', 'b@x')",
			RT_VIOLATION_UNIQUE, "pk_driver_people", "unique");
	check_violation("INSERT INTO driver_people (name, email, nick) VALUES ('Bob', 'b@x', 'annie')",
			RT_VIOLATION_UNIQUE, "ix_driver_people_nick", "unique");
	check_violation("INSERT INTO driver_people (email) VALUES ('c@x')",
			RT_VIOLATION_NOT_NULL, "driver_people.name", "not_null_missing");
	check_violation("INSERT INTO driver_people (name, email, age) VALUES ('Bob', 'b@x', -1)",
			RT_VIOLATION_CHECK, "ck_driver_people_age", "check");
	check_violation("INSERT INTO driver_pets (owner_id) VALUES (42)",
			RT_VIOLATION_FOREIGN_KEY, "fk_driver_pets_owner_id_driver_people", "foreign_key");
	check_violation("DELETE FROM driver_people WHERE id = 1",
			RT_VIOLATION_FOREIGN_KEY, "fk_driver_pets_owner_id_driver_people", "foreign_key");

	/* Through a prepared statement with bound values, and the failing
	 * statement can be reset and run again with other values. */
	rt_stmt *stmt = NULL;
	CHECK_OK(rt_stmt_prepare(&stmt, conn, "INSERT INTO driver_pets (owner_id) VALUES (?)"));
	if (stmt) {
		CHECK_OK(rt_stmt_bind_int64(stmt, 1, 7));
		CHECK_INT(rt_stmt_step(stmt), RT_ECONSTRAINT);
		CHECK_INT(rt_error_last()->constraint_kind, RT_VIOLATION_FOREIGN_KEY);
		CHECK_STR(rt_error_last()->constraint_name, "fk_driver_pets_owner_id_driver_people");
		CHECK_OK(rt_stmt_reset(stmt));
		CHECK_OK(rt_stmt_bind_int64(stmt, 1, 1));
		CHECK_INT(rt_stmt_step(stmt), RT_DONE);
		rt_stmt_finalize(stmt);
	}
	/* Nothing of the failed statements (nor of finding their names) stayed. */
	CHECK_INT(count_rows("driver_people"), 1);
	CHECK_INT(count_rows("driver_pets"), 2);

	/* Inside a transaction the violation is reported the same way, and the
	 * transaction can still be rolled back. */
	CHECK_OK(rt_conn_begin(conn));
	check_violation("INSERT INTO driver_pets (owner_id) VALUES (99)",
			RT_VIOLATION_FOREIGN_KEY, "fk_driver_pets_owner_id_driver_people", "foreign_key");
	CHECK_OK(rt_conn_rollback(conn));
	CHECK_INT(count_rows("driver_pets"), 2);

	CHECK_OK(rt_schema_drop_all(conn, s));
	rt_schema_free(s);
}

static void test_bad_sql(void)
{
	CHECK_INT(rt_conn_execute(conn, "SELEKT 1"), RT_EDATABASE);
	CHECK_INT(rt_error_last()->code, RT_EDATABASE);
	CHECK(strstr(rt_error_last()->message, "SELEKT") != NULL ||
	      strstr(rt_error_last()->message, "syntax") != NULL);
	CHECK_INT(rt_error_last()->constraint_kind, RT_VIOLATION_NONE);
	if (postgres)
		CHECK_STR(rt_error_last()->sqlstate, "42601");
	check_query_fails("SELECT * FROM no_such_table_here", RT_EDATABASE);
	CHECK(strstr(rt_error_last()->message, "no_such_table_here") != NULL);
	CHECK_INT(rt_conn_execute(NULL, "SELECT 1"), RT_EINVAL);
	/* The connection still works. */
	CHECK_OK(rt_conn_execute(conn, "SELECT 1"));
}

static void check_connect_fails(const char *url, const char *secret)
{
	rt_engine *e = NULL;
	rt_conn *c = NULL;
	CHECK_OK(rt_engine_open(&e, url, NULL));
	if (!e)
		return;
	CHECK_INT(rt_conn_open(&c, e), RT_ECONNECT);
	CHECK(c == NULL);
	const char *message = rt_error_last()->message;
	CHECK(strlen(message) > 0);
	if (secret) {
		if (strstr(message, secret))
			fprintf(stderr, "password in message: %s\n", message);
		CHECK(strstr(message, secret) == NULL);
		CHECK(strstr(message, "***") != NULL);
	}
	rt_engine_free(e);
}

static void test_bad_urls(void)
{
#ifdef RETORT_WITH_POSTGRESQL /* a server URL needs a server backend */
	check_connect_fails("postgresql://retort:s3cretpw@127.0.0.1:1/nowhere", "s3cretpw");
	check_connect_fails("postgresql://retort:s3cretpw@127.0.0.1:1/nowhere?connect_timeout=2",
			    "s3cretpw");
#endif
	check_connect_fails("sqlite:////nonexistent-directory/sub/x.db", NULL);
	check_connect_fails("sqlite:///x-not-there.db?mode=rw", NULL);
}

/* create_all runs in one transaction where the backend's DDL can be
 * rolled back: when a statement fails, the tables made before it are gone
 * again, and the error is the statement's. Where every DDL statement
 * commits by itself (MariaDB), the error is the statement's as well, and
 * the tables made before it stay, as documented. */
static void test_create_all_is_atomic(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *ok = rt__schema_add_table(s, "driver_ok", NULL);
	rt__table_add_column(s, ok, "n")->type.kind = RT_TYPE_INT;
	rt_table *broken = rt__schema_add_table(s, "driver_broken", NULL);
	rt__table_add_column(s, broken, "n")->type.kind = RT_TYPE_INT;
	rt_constraint *ck = rt__table_add_constraint(s, broken, RT_CONSTRAINT_CHECK, "ck_broken");
	ck->check = "n >>>> 0";
	CHECK_INT(rt_schema_create_all(conn, s), RT_EDATABASE);
	CHECK(strstr(rt_error_last()->message, ">>") != NULL ||
	      strstr(rt_error_last()->message, "syntax") != NULL);
	if (conn->dialect->caps.transactional_ddl) {
		check_query_fails("SELECT n FROM driver_ok", RT_EDATABASE);
	} else {
		CHECK_INT(count_rows("driver_ok"), 0);
		CHECK_OK(rt_conn_execute(conn, "DROP TABLE driver_ok"));
	}
	/* The connection is usable and not left inside a transaction. */
	CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt_conn_rollback(conn));
	rt_schema_free(s);
}

/* drop_all removes tables whose keys form a cycle, rows and all. */
static void test_drop_cycle_with_rows(void)
{
	rt_schema *s = rt__schema_new();
	const char *names[2] = {"driver_a", "driver_b"};
	for (int i = 0; i < 2; i++) {
		rt_table *t = rt__schema_add_table(s, names[i], NULL);
		rt_column *id = rt__table_add_column(s, t, "id");
		id->type.kind = RT_TYPE_BIGINT;
		rt_constraint *pk = rt__table_add_constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY,
							     i ? "pk_driver_b" : "pk_driver_a");
		rt__constraint_add_column(s, pk, "id", false);
		rt_column *other = rt__table_add_column(s, t, "other_id");
		other->type.kind = RT_TYPE_BIGINT;
		other->nullable = true;
		rt_constraint *fk = rt__table_add_constraint(s, t, RT_CONSTRAINT_FOREIGN_KEY,
							     i ? "fk_b_other" : "fk_a_other");
		rt__constraint_add_column(s, fk, "other_id", false);
		rt__constraint_add_column(s, fk, "id", true);
		fk->ref_table = names[1 - i];
	}
	CHECK_OK(rt_schema_create_all(conn, s));
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO driver_a (id) VALUES (1); "
				       "INSERT INTO driver_b (id, other_id) VALUES (1, 1); "
				       "UPDATE driver_a SET other_id = 1"));
	CHECK_OK(rt_schema_drop_all(conn, s));
	check_query_fails("SELECT id FROM driver_a", RT_EDATABASE);
	check_query_fails("SELECT id FROM driver_b", RT_EDATABASE);
	rt_schema_free(s);
}

static void test_echo(void)
{
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.echo = 1;
	rt_engine *e = NULL;
	rt_conn *c = NULL;
	CHECK_OK(rt_engine_open(&e, rt_test_url(), &opts));
	CHECK_OK(rt_conn_open(&c, e));
	CHECK_OK(rt_conn_execute(c, "SELECT 1"));
	rt_conn_close(c);
	rt_engine_free(e);
	rt_conn_close(NULL);
}

int main(void)
{
	const char *url = rt_test_url();
	if (rt_engine_open(&engine, url, NULL) != RT_OK || rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", url, rt_error_last()->message);
		return 1;
	}
	postgres = strcmp(rt_engine_dialect(engine), "postgresql") == 0;
	/* Whatever a failed run left, its tables with keys between them too. */
	CHECK_OK(test_db_fresh(engine, &conn));
	RT_RUN(test_values);
	RT_RUN(test_transactions);
	RT_RUN(test_constraint_violations);
	RT_RUN(test_bad_sql);
	RT_RUN(test_bad_urls);
	RT_RUN(test_create_all_is_atomic);
	RT_RUN(test_drop_cycle_with_rows);
	RT_RUN(test_echo);
	CHECK_OK(test_db_fresh(engine, &conn));
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
