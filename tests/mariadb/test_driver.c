/*
 * test_driver.c - the MariaDB dialect's driver functions (dialect.h)
 * against the real server of the mariadb_server fixture (RETORT_TEST_URL):
 * every type of the schema language created through column_type, bound
 * and read back, NULLs, long values, constraint violations with their
 * kind and name, lock timeouts and deadlocks as their own codes, changed
 * rows and generated keys, streamed rows, the time zone kept UTC, a killed
 * connection, and the password never shown.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "support/test_dialect.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "dialect/dialect.h"
#include "engine/url.h"

static rt_arena *arena;
static rt_connect_params params;
static const rt_dialect *dialect;
static rt_driver_conn *conn;

static int exec_rc(rt_driver_conn *c, const char *sql)
{
	int rc = dialect->exec(c, sql);
	if (rc != RT_OK)
		fprintf(stderr, "exec %s: %s\n", sql, rt_error_last()->message);
	return rc;
}

#define EXEC_OK(c, sql) CHECK_INT(exec_rc((c), (sql)), RT_OK)

static rt_driver_conn *connect_url(const char *url)
{
	rt_connect_params p;
	rt_driver_conn *c = NULL;
	if (rt__url_parse(&p, arena, url) != RT_OK)
		return NULL;
	if (dialect->connect(&c, &p) != RT_OK)
		return NULL;
	return c;
}

static void test_connect(void)
{
	CHECK(dialect != NULL);
	if (!dialect)
		return;
	CHECK_STR(dialect->name, "mariadb");
	CHECK_OK(dialect->connect(&conn, &params));
	if (!conn)
		return;
	EXEC_OK(conn, "DROP TABLE IF EXISTS drv_child, drv_parent, drv_types, `we``ird`, drv_many,"
		      " drv_like, drv_ret_child, drv_ret_parent");
	CHECK_INT(dialect->conn_status(conn), RT_DRIVER_IDLE);
	/* The session: UTC, strict, standard string literals. */
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "SELECT @@time_zone, @@sql_mode, @@character_set_client"));
	if (stmt && dialect->step(stmt) == RT_ROW) {
		rt_value v;
		CHECK_OK(dialect->column_value(stmt, 0, &v));
		CHECK_STR(v.s, "+00:00");
		CHECK_OK(dialect->column_value(stmt, 1, &v));
		CHECK(v.s && strstr(v.s, "STRICT_ALL_TABLES") && strstr(v.s, "NO_BACKSLASH_ESCAPES") &&
		      strstr(v.s, "ANSI_QUOTES"));
		CHECK_OK(dialect->column_value(stmt, 2, &v));
		CHECK_STR(v.s, "utf8mb4");
	}
	dialect->finalize(stmt);
}

/* Every type of the schema language, one column each, made by column_type. */
typedef struct type_case {
	const char *name;
	rt_type type;
	rt_value value;     /* bound */
	rt_value_type read; /* the type read back */
	const char *text;   /* text read back (NULL: compare with value) */
} type_case;

static void test_every_type(void)
{
	if (!conn)
		return;
	static const char blob[] = {'\0', '\x01', '\xff', '\\', '\'', '\0'};
	static const char *enum_values[] = {"open", "it's", "back\\slash"};
	rt_enum e = {.name = "Status", .sql_name = "status", .values = enum_values,
		     .value_count = 3};
	static char long_text[100001];
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[0] = 'L';
	type_case cases[] = {
		{"c_smallint", {.kind = RT_TYPE_SMALLINT}, {RT_VALUE_INT64, -32768, 0, NULL, 0, false}, RT_VALUE_INT64, NULL},
		{"c_int", {.kind = RT_TYPE_INT}, {RT_VALUE_INT64, 2147483647, 0, NULL, 0, false}, RT_VALUE_INT64, NULL},
		{"c_bigint", {.kind = RT_TYPE_BIGINT}, {RT_VALUE_INT64, INT64_MIN, 0, NULL, 0, false}, RT_VALUE_INT64, NULL},
		{"c_bool", {.kind = RT_TYPE_BOOL}, {RT_VALUE_BOOL, 1, 0, NULL, 0, false}, RT_VALUE_INT64, NULL},
		{"c_real", {.kind = RT_TYPE_REAL}, {RT_VALUE_DOUBLE, 0, 1.5, NULL, 0, false}, RT_VALUE_DOUBLE, NULL},
		{"c_double", {.kind = RT_TYPE_DOUBLE}, {RT_VALUE_DOUBLE, 0, 0.1, NULL, 0, false}, RT_VALUE_DOUBLE, NULL},
		{"c_numeric", {.kind = RT_TYPE_NUMERIC, .precision = 20, .scale = 2},
		 {RT_VALUE_TEXT, 0, 0, "123456789012345678.90", 21, false}, RT_VALUE_TEXT, NULL},
		{"c_numeric_any", {.kind = RT_TYPE_NUMERIC},
		 {RT_VALUE_TEXT, 0, 0, "0.5", 3, false}, RT_VALUE_TEXT, "0.500000000000000000000000000000"},
		{"c_string", {.kind = RT_TYPE_STRING, .length = 20},
		 {RT_VALUE_TEXT, 0, 0, "h\xc3\xa9llo \xf0\x9f\x98\x80 '?", 15, false}, RT_VALUE_TEXT, NULL},
		{"c_string_any", {.kind = RT_TYPE_STRING}, {RT_VALUE_TEXT, 0, 0, "any", 3, false}, RT_VALUE_TEXT, NULL},
		{"c_text", {.kind = RT_TYPE_TEXT},
		 {RT_VALUE_TEXT, 0, 0, long_text, sizeof(long_text) - 1, false}, RT_VALUE_TEXT, NULL},
		{"c_blob", {.kind = RT_TYPE_BLOB}, {RT_VALUE_BLOB, 0, 0, blob, sizeof(blob), false}, RT_VALUE_BLOB, NULL},
		{"c_date", {.kind = RT_TYPE_DATE}, {RT_VALUE_TEXT, 0, 0, "2024-02-29", 10, false}, RT_VALUE_TEXT, NULL},
		{"c_time", {.kind = RT_TYPE_TIME},
		 {RT_VALUE_TEXT, 0, 0, "13:14:15.123456", 15, false}, RT_VALUE_TEXT, NULL},
		{"c_timestamp", {.kind = RT_TYPE_TIMESTAMP},
		 {RT_VALUE_TEXT, 0, 0, "2999-01-02 03:04:05.678901", 26, false}, RT_VALUE_TEXT, NULL},
		{"c_timestamptz", {.kind = RT_TYPE_TIMESTAMPTZ},
		 {RT_VALUE_TEXT, 0, 0, "2030-06-01 12:00:00.000001", 26, false}, RT_VALUE_TEXT, NULL},
		{"c_uuid", {.kind = RT_TYPE_UUID},
		 {RT_VALUE_TEXT, 0, 0, "123e4567e89b12d3a456426614174000", 32, false}, RT_VALUE_TEXT, NULL},
		{"c_json", {.kind = RT_TYPE_JSON},
		 {RT_VALUE_TEXT, 0, 0, "{\"a\": [1, 2]}", 13, false}, RT_VALUE_TEXT, NULL},
		{"c_enum", {.kind = RT_TYPE_ENUM, .enum_name = "Status", .enum_type = &e},
		 {RT_VALUE_TEXT, 0, 0, "back\\slash", 10, false}, RT_VALUE_TEXT, NULL},
		{"c_sql", {.kind = RT_TYPE_SQL, .sql = "MEDIUMINT UNSIGNED"},
		 {RT_VALUE_INT64, 16777215, 0, NULL, 0, false}, RT_VALUE_INT64, NULL},
	};
	size_t n = sizeof(cases) / sizeof(cases[0]);

	rt_buf ddl = RT_BUF_INIT, insert = RT_BUF_INIT, select = RT_BUF_INIT;
	rt__buf_puts(&ddl, "CREATE TABLE drv_types (id INT PRIMARY KEY");
	rt__buf_puts(&insert, "INSERT INTO drv_types VALUES (?");
	rt__buf_puts(&select, "SELECT id");
	for (size_t i = 0; i < n; i++) {
		rt_column column = {.name = (char *)cases[i].name, .type = cases[i].type};
		rt__buf_puts(&ddl, ", ");
		dialect->quote_ident(&ddl, cases[i].name);
		rt__buf_putc(&ddl, ' ');
		dialect->column_type(&ddl, NULL, NULL, &column);
		rt__buf_puts(&insert, ", ?");
		rt__buf_puts(&select, ", ");
		dialect->quote_ident(&select, cases[i].name);
	}
	rt__buf_puts(&ddl, ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	rt__buf_putc(&insert, ')');
	rt__buf_puts(&select, " FROM drv_types ORDER BY id");
	EXEC_OK(conn, rt__buf_cstr(&ddl));

	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, rt__buf_cstr(&insert)));
	if (stmt) {
		CHECK_INT(dialect->param_count(stmt), (int)n + 1);
		rt_value id = {RT_VALUE_INT64, 1, 0, NULL, 0, false};
		CHECK_OK(dialect->bind(stmt, 1, &id));
		for (size_t i = 0; i < n; i++)
			CHECK_OK(dialect->bind(stmt, (int)i + 2, &cases[i].value));
		CHECK_INT(dialect->step(stmt), RT_DONE);
		CHECK_INT(dialect->changes(stmt), 1);
		/* A second row of NULLs: bindings are kept across reset, so
		 * each is rebound. */
		CHECK_OK(dialect->reset(stmt));
		id.i = 2;
		rt_value null = {RT_VALUE_NULL, 0, 0, NULL, 0, false};
		CHECK_OK(dialect->bind(stmt, 1, &id));
		for (size_t i = 0; i < n; i++)
			CHECK_OK(dialect->bind(stmt, (int)i + 2, &null));
		CHECK_INT(dialect->step(stmt), RT_DONE);
		dialect->finalize(stmt);
	}

	stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, rt__buf_cstr(&select)));
	if (stmt) {
		CHECK_INT(dialect->column_count(stmt), (int)n + 1);
		CHECK_INT(dialect->step(stmt), RT_ROW);
		CHECK_STR(dialect->column_name(stmt, 1), "c_smallint");
		for (size_t i = 0; i < n; i++) {
			rt_value out;
			const type_case *tc = &cases[i];
			CHECK_OK(dialect->column_value(stmt, (int)i + 1, &out));
			if (out.type != tc->read)
				fprintf(stderr, "%s: read type %d\n", tc->name, (int)out.type);
			CHECK_INT(out.type, tc->read);
			switch (tc->read) {
			case RT_VALUE_INT64:
				if (out.i != tc->value.i)
					fprintf(stderr, "%s: read %lld\n", tc->name, (long long)out.i);
				CHECK(out.i == tc->value.i);
				break;
			case RT_VALUE_DOUBLE:
				CHECK(out.d == tc->value.d);
				break;
			default: {
				const char *want = tc->text ? tc->text : tc->value.s;
				size_t want_len = tc->text ? strlen(tc->text) : tc->value.len;
				if (out.len != want_len || memcmp(out.s, want, want_len) != 0)
					fprintf(stderr, "%s: read %.80s (%zu bytes)\n", tc->name,
						out.s ? out.s : "(null)", out.len);
				CHECK_INT(out.len, want_len);
				CHECK(out.s && memcmp(out.s, want, want_len) == 0);
				if (tc->read == RT_VALUE_TEXT)
					CHECK(out.s && out.s[out.len] == '\0');
				break;
			}
			}
		}
		CHECK_INT(dialect->step(stmt), RT_ROW);
		for (size_t i = 0; i < n; i++) {
			rt_value out;
			CHECK_OK(dialect->column_value(stmt, (int)i + 1, &out));
			CHECK_INT(out.type, RT_VALUE_NULL);
		}
		CHECK_INT(dialect->step(stmt), RT_DONE);
		CHECK_INT(dialect->changes(stmt), 0); /* a query changes nothing */
		dialect->finalize(stmt);
	}

	/* A value an enum does not hold, and a timestamptz outside
	 * TIMESTAMP's range, are refused (strict mode), never changed. */
	stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "UPDATE drv_types SET c_enum = ? WHERE id = 1"));
	if (stmt) {
		rt_value bad = {RT_VALUE_TEXT, 0, 0, "closed", 6, false};
		CHECK_OK(dialect->bind(stmt, 1, &bad));
		CHECK(dialect->step(stmt) < 0);
		dialect->finalize(stmt);
	}
	stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "UPDATE drv_types SET c_timestamptz = ? WHERE id = 1"));
	if (stmt) {
		rt_value late = {RT_VALUE_TEXT, 0, 0, "2040-01-01 00:00:00", 19, false};
		CHECK_OK(dialect->bind(stmt, 1, &late));
		CHECK(dialect->step(stmt) < 0);
		dialect->finalize(stmt);
	}
	rt__buf_free(&ddl);
	rt__buf_free(&insert);
	rt__buf_free(&select);
}

static void test_quote_ident(void)
{
	if (!conn)
		return;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "CREATE TABLE ");
	dialect->quote_ident(&sql, "we`ird");
	rt__buf_puts(&sql, " (");
	dialect->quote_ident(&sql, "select");
	rt__buf_puts(&sql, " INT)");
	CHECK_STR(rt__buf_cstr(&sql), "CREATE TABLE `we``ird` (`select` INT)");
	EXEC_OK(conn, rt__buf_cstr(&sql));
	EXEC_OK(conn, "INSERT INTO `we``ird` VALUES (1); DROP TABLE `we``ird`");
	rt__buf_free(&sql);
}

static void expect_violation(const char *sql, rt_constraint_violation kind, const char *name)
{
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, sql));
	if (!stmt)
		return;
	int rc = dialect->step(stmt);
	const rt_error *err = rt_error_last();
	if (rc != RT_ECONSTRAINT || err->constraint_kind != kind ||
	    strcmp(err->constraint_name, name) != 0)
		fprintf(stderr, "%s: %d kind %d name '%s': %s\n", sql, rc, (int)err->constraint_kind,
			err->constraint_name, err->message);
	CHECK_INT(rc, RT_ECONSTRAINT);
	CHECK_INT(err->constraint_kind, kind);
	CHECK_STR(err->constraint_name, name);
	CHECK(err->driver_code > 0);
	CHECK_INT(strlen(err->sqlstate), 5);
	dialect->finalize(stmt);
}

static void test_constraints(void)
{
	if (!conn)
		return;
	EXEC_OK(conn, "CREATE TABLE drv_parent (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
		      " name VARCHAR(20) NOT NULL, flag INT NOT NULL DEFAULT 0,"
		      " CONSTRAINT uq_parent_name UNIQUE (name),"
		      " CONSTRAINT ck_parent_name CHECK (name <> 'bad'))");
	EXEC_OK(conn, "CREATE TABLE drv_child (id INT AUTO_INCREMENT PRIMARY KEY,"
		      " parent_id BIGINT NOT NULL,"
		      " CONSTRAINT `fk_child_parent` FOREIGN KEY (parent_id) REFERENCES drv_parent (id))");

	/* Generated keys and changed rows. */
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "INSERT INTO drv_parent (name) VALUES (?)"));
	if (stmt) {
		rt_value name = {RT_VALUE_TEXT, 0, 0, "a", 1, false};
		CHECK_OK(dialect->bind(stmt, 1, &name));
		CHECK_INT(dialect->step(stmt), RT_DONE);
		CHECK_INT(dialect->last_insert_id(stmt), 1);
		CHECK_OK(dialect->reset(stmt));
		name.s = "b";
		CHECK_OK(dialect->bind(stmt, 1, &name));
		CHECK_INT(dialect->step(stmt), RT_DONE);
		CHECK_INT(dialect->last_insert_id(stmt), 2);
		CHECK_INT(dialect->changes(stmt), 1);
		dialect->finalize(stmt);
	}
	EXEC_OK(conn, "INSERT INTO drv_child (parent_id) VALUES (1)");
	/* An UPDATE counts the rows it matched, as on the other backends,
	 * not only those whose values it changed. */
	stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "UPDATE drv_parent SET flag = 0"));
	if (stmt) {
		CHECK_INT(dialect->step(stmt), RT_DONE);
		CHECK_INT(dialect->changes(stmt), 2);
		dialect->finalize(stmt);
	}
	/* RETURNING (MariaDB 10.5 and later): its rows are the rows changed. */
	stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn,
				  "INSERT INTO drv_parent (name) VALUES ('c'), ('d') RETURNING id, name"));
	if (stmt) {
		CHECK_INT(dialect->step(stmt), RT_ROW);
		rt_value v;
		CHECK_OK(dialect->column_value(stmt, 0, &v));
		CHECK_INT(v.i, 3);
		CHECK_INT(dialect->step(stmt), RT_ROW);
		CHECK_INT(dialect->step(stmt), RT_DONE);
		CHECK_INT(dialect->changes(stmt), 2);
		dialect->finalize(stmt);
	}

	expect_violation("INSERT INTO drv_parent (name) VALUES ('a')", RT_VIOLATION_UNIQUE,
			 "uq_parent_name");
	expect_violation("INSERT INTO drv_parent (id, name) VALUES (1, 'z')", RT_VIOLATION_UNIQUE,
			 "pk_drv_parent");
	expect_violation("INSERT INTO drv_child (parent_id) VALUES (99)",
			 RT_VIOLATION_FOREIGN_KEY, "fk_child_parent");
	expect_violation("DELETE FROM drv_parent WHERE id = 1", RT_VIOLATION_FOREIGN_KEY,
			 "fk_child_parent");
	expect_violation("INSERT INTO `drv_parent` (name) VALUES (NULL)", RT_VIOLATION_NOT_NULL,
			 "drv_parent.name");
	expect_violation("UPDATE drv_parent SET name = NULL WHERE id = 2", RT_VIOLATION_NOT_NULL,
			 "drv_parent.name");
	expect_violation("INSERT INTO drv_parent (flag) VALUES (1)", RT_VIOLATION_NOT_NULL,
			 "drv_parent.name");
	expect_violation("INSERT INTO drv_parent (name) VALUES ('bad')", RT_VIOLATION_CHECK,
			 "ck_parent_name");
	expect_violation("INSERT INTO \"drv_parent\" (flag) VALUES (1)", RT_VIOLATION_NOT_NULL,
			 "drv_parent.name");
	/* "name" is the column, as in standard SQL, not the string 'name':
	 * a check written so is not silently always true. */
	EXEC_OK(conn, "ALTER TABLE drv_parent ADD CONSTRAINT ck_parent_quoted CHECK (\"name\" <> 'q')");
	expect_violation("INSERT INTO drv_parent (name) VALUES ('q')", RT_VIOLATION_CHECK,
			 "ck_parent_quoted");

	/* Bad SQL fails at prepare, with the server's message. */
	stmt = NULL;
	CHECK_INT(dialect->prepare(&stmt, conn, "SELEC 1"), RT_EDATABASE);
	CHECK(stmt == NULL);
	CHECK(strstr(rt_error_last()->message, "SQL syntax") != NULL);
	CHECK_INT(dialect->conn_status(conn), RT_DRIVER_IDLE);
}

/* conn2 runs sql on its own thread (it waits for a lock conn holds). */
typedef struct blocked_run {
	rt_driver_conn *conn;
	const char *sql;
	int rc;
	int code_seen;
} blocked_run;

static void *run_blocked(void *arg)
{
	blocked_run *run = arg;
	run->rc = dialect->exec(run->conn, run->sql);
	return NULL;
}

/* Runs a prepared INSERT ... RETURNING of one name; the step's result. */
static int insert_returning(rt_driver_stmt *stmt, const char *name)
{
	rt_value v = {RT_VALUE_TEXT, 0, 0, name, strlen(name), false};
	int rc = dialect->bind(stmt, 1, &v);
	if (rc == RT_OK)
		rc = dialect->step(stmt);
	while (rc == RT_ROW)
		rc = dialect->step(stmt);
	dialect->reset(stmt);
	return rc;
}

/* A prepared INSERT ... RETURNING that breaks a constraint gets its error
 * after the server sent the columns. Once two such statements had failed,
 * running the first again waited forever (or crashed in Connector/C) unless
 * the failed run was reset: the ORM's flush meets exactly this sequence. */
static void test_returning_after_errors(void)
{
	if (!conn)
		return;
	EXEC_OK(conn, "CREATE TABLE drv_ret_parent (id INT AUTO_INCREMENT PRIMARY KEY,"
		      " name VARCHAR(20) NOT NULL UNIQUE)");
	EXEC_OK(conn, "CREATE TABLE drv_ret_child (id INT AUTO_INCREMENT PRIMARY KEY,"
		      " parent_id INT NOT NULL REFERENCES drv_ret_parent (id), note VARCHAR(20))");
	rt_driver_stmt *parent = NULL, *child = NULL;
	CHECK_OK(dialect->prepare(&parent, conn,
				  "INSERT INTO drv_ret_parent (name) VALUES (?) RETURNING id"));
	CHECK_OK(dialect->prepare(&child, conn, "INSERT INTO drv_ret_child (parent_id, note)"
						" VALUES (424242, ?) RETURNING id"));
	if (parent && child) {
		/* A hang is the failure this test looks for: make it one. */
		alarm(60);
		CHECK_INT(insert_returning(parent, "Ann"), RT_DONE);
		CHECK_INT(insert_returning(parent, "Ann"), RT_ECONSTRAINT);
		CHECK_INT(rt_error_last()->constraint_kind, RT_VIOLATION_UNIQUE);
		CHECK_INT(insert_returning(child, "orphan"), RT_ECONSTRAINT);
		CHECK_INT(rt_error_last()->constraint_kind, RT_VIOLATION_FOREIGN_KEY);
		CHECK_INT(insert_returning(parent, "Cy"), RT_DONE);
		CHECK_INT(dialect->changes(parent), 1);
		CHECK_INT(insert_returning(child, "again"), RT_ECONSTRAINT);
		CHECK_INT(insert_returning(parent, "Dee"), RT_DONE);
		alarm(0);
	}
	dialect->finalize(parent);
	dialect->finalize(child);
	EXEC_OK(conn, "DROP TABLE drv_ret_child, drv_ret_parent");
}

static void test_locks(void)
{
	if (!conn)
		return;
	rt_driver_conn *other = NULL;
	CHECK_OK(dialect->connect(&other, &params));
	if (!other)
		return;

	/* A lock wait that times out: RT_ELOCKED, the transaction still open. */
	EXEC_OK(other, "SET SESSION innodb_lock_wait_timeout = 1");
	EXEC_OK(conn, "BEGIN");
	CHECK_INT(dialect->conn_status(conn), RT_DRIVER_IN_TRANSACTION);
	EXEC_OK(conn, "UPDATE drv_parent SET flag = 1 WHERE id = 1");
	EXEC_OK(other, "BEGIN");
	CHECK_INT(dialect->exec(other, "UPDATE drv_parent SET flag = 2 WHERE id = 1"), RT_ELOCKED);
	CHECK_INT(rt_error_last()->driver_code, 1205);
	EXEC_OK(other, "ROLLBACK");
	EXEC_OK(conn, "ROLLBACK");

	/* A deadlock: each holds a row the other wants. The server rolls the
	 * victim's transaction back: RT_ESERIALIZE, retryable. */
	EXEC_OK(other, "SET SESSION innodb_lock_wait_timeout = 30");
	EXEC_OK(conn, "BEGIN");
	EXEC_OK(other, "BEGIN");
	EXEC_OK(conn, "UPDATE drv_parent SET flag = 1 WHERE id = 1");
	EXEC_OK(other, "UPDATE drv_parent SET flag = 1 WHERE id = 2");
	blocked_run run = {other, "UPDATE drv_parent SET flag = 2 WHERE id = 1", 0, 0};
	pthread_t thread;
	CHECK_INT(pthread_create(&thread, NULL, run_blocked, &run), 0);
	/* Give the other thread time to wait on row 1. */
	struct timespec pause = {0, 300 * 1000 * 1000};
	nanosleep(&pause, NULL);
	int rc = dialect->exec(conn, "UPDATE drv_parent SET flag = 2 WHERE id = 2");
	int code = rc < 0 ? rt_error_last()->code : 0;
	pthread_join(thread, NULL);
	/* One of the two is the victim, the other goes on. */
	if (!((rc == RT_ESERIALIZE && run.rc == RT_OK) || (rc == RT_OK && run.rc == RT_ESERIALIZE)))
		fprintf(stderr, "deadlock: main %d (%d), other %d\n", rc, code, run.rc);
	CHECK((rc == RT_ESERIALIZE && run.rc == RT_OK) || (rc == RT_OK && run.rc == RT_ESERIALIZE));
	CHECK_STR(rt_error_code_name(RT_ESERIALIZE), "RT_ESERIALIZE");
	/* The victim's transaction is gone. */
	rt_driver_conn *victim = rc == RT_ESERIALIZE ? conn : other;
	rt_driver_conn *winner = rc == RT_ESERIALIZE ? other : conn;
	CHECK_INT(dialect->conn_status(victim), RT_DRIVER_IDLE);
	CHECK_INT(dialect->conn_status(winner), RT_DRIVER_IN_TRANSACTION);
	EXEC_OK(winner, "ROLLBACK");
	dialect->disconnect(other);
}

/* Rows of drv_like matching operand LIKE/ILIKE pattern, as render_like
 * writes them. */
static int like_count(const char *pattern, bool insensitive)
{
	rt_buf sql = RT_BUF_INIT, bound = RT_BUF_INIT;
	rt__buf_puts(&sql, "SELECT COUNT(*) FROM drv_like WHERE ");
	dialect->render_like(&sql, &bound, "s", pattern, insensitive);
	rt_driver_stmt *stmt = NULL;
	int count = -1;
	if (dialect->prepare(&stmt, conn, rt__buf_cstr(&sql)) == RT_OK) {
		rt_value v = {RT_VALUE_TEXT, 0, 0, rt__buf_cstr(&bound), bound.len, false};
		rt_value out;
		if (dialect->bind(stmt, 1, &v) == RT_OK && dialect->step(stmt) == RT_ROW &&
		    dialect->column_value(stmt, 0, &out) == RT_OK)
			count = (int)out.i;
	} else {
		fprintf(stderr, "%s: %s\n", rt__buf_cstr(&sql), rt_error_last()->message);
	}
	dialect->finalize(stmt);
	rt__buf_free(&sql);
	rt__buf_free(&bound);
	return count;
}

/* LIKE tells case apart and ILIKE does not, whatever the column's
 * collation (utf8mb4_unicode_ci ignores case and accents); `_` is one
 * character, `\` makes the next one plain. */
static void test_like(void)
{
	if (!conn)
		return;
	EXEC_OK(conn, "CREATE TABLE drv_like (s VARCHAR(20) COLLATE utf8mb4_unicode_ci)");
	EXEC_OK(conn, "INSERT INTO drv_like VALUES ('Bob'), ('bob'), ('b\xc3\xb6" "b'), ('50%'), ('5x')");
	CHECK_INT(like_count("bob", false), 1);
	CHECK_INT(like_count("B%", false), 1);
	CHECK_INT(like_count("bob", true), 2);
	CHECK_INT(like_count("b_b", false), 2); /* bob, and böb: one character */
	CHECK_INT(like_count("50\\%", false), 1);
	CHECK_INT(like_count("5\\%", false), 0);
	CHECK_INT(like_count("5%", false), 2);
	CHECK_INT(like_count("B\xc3\x96" "B", true), 1);
	EXEC_OK(conn, "DROP TABLE drv_like");
}

static void test_streaming(void)
{
	if (!conn)
		return;
	EXEC_OK(conn, "CREATE TABLE drv_many (n INT PRIMARY KEY, t VARCHAR(300))");
	EXEC_OK(conn, "INSERT INTO drv_many SELECT seq, REPEAT('y', seq % 300) FROM seq_1_to_2000");
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "SELECT n, t FROM drv_many ORDER BY n"));
	if (!stmt)
		return;
	for (int round = 0; round < 2; round++) {
		CHECK_OK(dialect->set_streaming(stmt, true));
		int rows = 0, rc;
		bool lengths_ok = true;
		while ((rc = dialect->step(stmt)) == RT_ROW) {
			rt_value v;
			dialect->column_value(stmt, 1, &v);
			lengths_ok = lengths_ok && v.len == (size_t)((rows + 1) % 300);
			if (++rows == 10 && round == 0) {
				/* Nothing else runs while rows are unread. */
				rt_driver_stmt *other = NULL;
				CHECK_INT(dialect->prepare(&other, conn, "SELECT 1"), RT_EINVAL);
				CHECK_INT(dialect->exec(conn, "SELECT 1"), RT_EINVAL);
				CHECK_INT(dialect->conn_status(conn), RT_DRIVER_BROKEN);
			}
			if (rows == 100 && round == 1)
				break; /* abandoned half-way: reset ends it */
		}
		CHECK(lengths_ok);
		if (round == 0) {
			CHECK_INT(rc, RT_DONE);
			CHECK_INT(rows, 2000);
		}
		CHECK_OK(dialect->reset(stmt));
		CHECK_INT(dialect->conn_status(conn), RT_DRIVER_IDLE);
	}
	/* Stored (the default): other statements run between its rows. */
	CHECK_INT(dialect->step(stmt), RT_ROW);
	EXEC_OK(conn, "SELECT 1");
	CHECK_INT(dialect->step(stmt), RT_ROW);
	dialect->finalize(stmt);
}

static void test_killed_connection(void)
{
	if (!conn)
		return;
	rt_driver_conn *victim = NULL;
	CHECK_OK(dialect->connect(&victim, &params));
	if (!victim)
		return;
	rt_driver_stmt *stmt = NULL, *kept = NULL;
	CHECK_OK(dialect->prepare(&stmt, victim, "SELECT CONNECTION_ID()"));
	CHECK_OK(dialect->prepare(&kept, victim, "SELECT 1"));
	int64_t id = 0;
	if (stmt && dialect->step(stmt) == RT_ROW) {
		rt_value v;
		dialect->column_value(stmt, 0, &v);
		id = v.i;
	}
	dialect->finalize(stmt);
	char kill[64];
	snprintf(kill, sizeof(kill), "KILL CONNECTION %lld", (long long)id);
	EXEC_OK(conn, kill);
	CHECK_INT(dialect->exec(victim, "SELECT 1"), RT_ECONNECT);
	CHECK(strstr(rt_error_last()->message, "lost") != NULL);
	CHECK_INT(dialect->conn_status(victim), RT_DRIVER_BROKEN);
	/* Statements prepared before, and new ones, fail cleanly. */
	if (kept)
		CHECK_INT(dialect->step(kept), RT_ECONNECT);
	stmt = NULL;
	CHECK_INT(dialect->prepare(&stmt, victim, "SELECT 1"), RT_ECONNECT);
	dialect->finalize(kept);
	dialect->disconnect(victim);
}

/* The connection's time zone stays UTC: a statement that sets another
 * (as text, among others, or prepared) is refused by name and undone,
 * since timestamptz values are read and written as UTC text that MariaDB
 * would convert through the zone into other instants. */
static const char *zone_of(rt_driver_conn *c, char *out, size_t size)
{
	rt_driver_stmt *stmt = NULL;
	snprintf(out, size, "(error)");
	if (dialect->prepare(&stmt, c, "SELECT @@time_zone") == RT_OK &&
	    dialect->step(stmt) == RT_ROW) {
		rt_value v;
		dialect->column_value(stmt, 0, &v);
		snprintf(out, size, "%.*s", (int)v.len, v.s ? v.s : "");
	}
	dialect->finalize(stmt);
	return out;
}

static void test_time_zone_kept(void)
{
	if (!conn)
		return;
	char zone[64];
	CHECK_STR(zone_of(conn, zone, sizeof(zone)), "+00:00");
	CHECK_INT(dialect->exec(conn, "SELECT 1; SET time_zone = '+01:00'; SELECT 2"), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "time_zone '+01:00'") != NULL);
	CHECK_STR(zone_of(conn, zone, sizeof(zone)), "+00:00");
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn, "SET time_zone = '-03:00'"));
	if (stmt) {
		CHECK_INT(dialect->step(stmt), RT_EINVAL);
		CHECK(strstr(rt_error_last()->message, "time_zone '-03:00'") != NULL);
		dialect->finalize(stmt);
	}
	CHECK_STR(zone_of(conn, zone, sizeof(zone)), "+00:00");
	/* Setting UTC again is no change of zone. */
	EXEC_OK(conn, "SET time_zone = '+00:00'");
}

/* column_when gives what column_value's text says, field for field: a
 * fraction cut to the column's digits, a date at midnight; and nothing
 * for NULL, text, or a column past the row. */
static void test_column_when(void)
{
	if (!conn)
		return;
	rt_driver_stmt *stmt = NULL;
	CHECK_OK(dialect->prepare(&stmt, conn,
				  "SELECT CAST('2026-11-21 13:45:07.123456' AS DATETIME(3)),"
				  " CAST('2026-11-21 13:45:07.123456' AS DATETIME(6)),"
				  " CAST('2024-02-29' AS DATE), CAST(NULL AS DATETIME),"
				  " '2026-11-21 13:45:07', CAST('1999-12-31 23:59:59' AS DATETIME)"));
	if (!stmt)
		return;
	CHECK_INT(dialect->step(stmt), RT_ROW);
	static const struct {
		const char *text;
		rt_value_when when;
	} want[] = {
		{"2026-11-21 13:45:07.123", {2026, 11, 21, 13, 45, 7, 123000}},
		{"2026-11-21 13:45:07.123456", {2026, 11, 21, 13, 45, 7, 123456}},
		{"2024-02-29", {2024, 2, 29, 0, 0, 0, 0}},
		{NULL, {0}},
		{NULL, {0}},
		{"1999-12-31 23:59:59", {1999, 12, 31, 23, 59, 59, 0}},
	};
	for (int i = 0; i < 6; i++) {
		rt_value text;
		rt_value_when w;
		CHECK_OK(dialect->column_value(stmt, i, &text));
		int rc = dialect->column_when(stmt, i, &w);
		if (!want[i].text) {
			CHECK_INT(rc, 1);
			continue;
		}
		CHECK_INT(rc, RT_OK);
		CHECK_STR(text.s, want[i].text);
		CHECK(memcmp(&w, &want[i].when, sizeof(w)) == 0);
	}
	rt_value_when w;
	CHECK_INT(dialect->column_when(stmt, 6, &w), 1);
	CHECK_INT(dialect->step(stmt), RT_DONE);
	CHECK_INT(dialect->column_when(stmt, 0, &w), 1);
	dialect->finalize(stmt);
}

static void test_connect_errors(void)
{
	if (!dialect)
		return;
	/* A password the server refuses: the message names the masked URL,
	 * never the password. */
	char url[512];
	const char *at = strchr(rt_test_url(), '@');
	snprintf(url, sizeof(url), "mysql://retort:s3cretpw@%s", at ? at + 1 : "");
	rt_connect_params p;
	CHECK_OK(rt__url_parse(&p, arena, url));
	rt_driver_conn *c = NULL;
	CHECK_INT(dialect->connect(&c, &p), RT_ECONNECT);
	const char *message = rt_error_last()->message;
	CHECK(strstr(message, "s3cretpw") == NULL);
	CHECK(strstr(message, "***") != NULL);
	CHECK(strstr(message, "Access denied") != NULL);

	/* A database that is not there. */
	snprintf(url, sizeof(url), "mysql://retort@%s", at ? at + 1 : "");
	char *slash = strrchr(url, '/');
	if (slash)
		snprintf(slash, sizeof(url) - (size_t)(slash - url), "/no_such_db");
	CHECK_OK(rt__url_parse(&p, arena, url));
	CHECK_INT(dialect->connect(&c, &p), RT_ENOTFOUND);
	CHECK(strstr(rt_error_last()->message, "no_such_db") != NULL);

	/* An unknown option is refused by name; mysql+pymysql:// is mysql://. */
	snprintf(url, sizeof(url), "mysql+pymysql://%s?sslmode=require", at ? at + 1 : "");
	CHECK_OK(rt__url_parse(&p, arena, url));
	CHECK(rt__dialect_find(p.scheme) == dialect);
	CHECK_INT(dialect->connect(&c, &p), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "sslmode") != NULL);
	CHECK(c == NULL);

	/* The unix socket, and a charset chosen in the URL. */
	const char *socket = getenv("RETORT_MARIADB_SOCKET");
	if (socket && *socket) {
		snprintf(url, sizeof(url), "mariadb://retort@/retort?unix_socket=%s&charset=latin1",
			 socket);
		c = connect_url(url);
		CHECK(c != NULL);
		rt_driver_stmt *stmt = NULL;
		if (c && dialect->prepare(&stmt, c, "SELECT @@character_set_client") == RT_OK &&
		    dialect->step(stmt) == RT_ROW) {
			rt_value v;
			dialect->column_value(stmt, 0, &v);
			CHECK_STR(v.s, "latin1");
		}
		dialect->finalize(stmt);
		dialect->disconnect(c);
	}
}

int main(void)
{
	arena = rt__arena_new();
	if (!(dialect = test_dialect_open(&params, arena, "mariadb")))
		return 1;
	RT_RUN(test_connect);
	RT_RUN(test_every_type);
	RT_RUN(test_quote_ident);
	RT_RUN(test_constraints);
	RT_RUN(test_returning_after_errors);
	RT_RUN(test_locks);
	RT_RUN(test_like);
	RT_RUN(test_streaming);
	RT_RUN(test_time_zone_kept);
	RT_RUN(test_column_when);
	RT_RUN(test_killed_connection);
	RT_RUN(test_connect_errors);
	if (conn)
		dialect->exec(conn, "DROP TABLE IF EXISTS drv_child, drv_parent, drv_types, drv_many");
	dialect->disconnect(conn);
	rt__arena_free(arena);
	return rt_test_done();
}
