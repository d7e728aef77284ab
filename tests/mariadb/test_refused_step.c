/*
 * test_refused_step.c - an operation refused before its first statement,
 * on MariaDB, where a revision runs statement by statement outside any
 * transaction (migrate/runner_steps.c).
 *
 * `alter enum E drop value 'x'` becomes several statements here (each
 * column of the enum restated); while a row holds the value it is refused
 * before any of them runs. The refusal must leave the revision exactly
 * as applied as it was: no progress row claiming that its statements may
 * have run, the version table unchanged, the columns as they were; once
 * the rows no longer hold the value, the same downgrade runs. Likewise
 * when the undoing of a partly applied revision fails before any of its
 * statements completed.
 */
#include <string.h>

#include "test.h"

#include "migrate/progress.h"
#include "migrate/runner.h"
#include "migrate/script.h"
#include "support/migrate_db.h"

static rt_engine *engine;
static rt_conn *conn;

static void exec_ok(const char *sql)
{
	int rc = rt_conn_execute(conn, sql);
	if (rc != RT_OK)
		fprintf(stderr, "exec %s: %s\n", sql, rt_error_last()->message);
	CHECK_INT(rc, RT_OK);
}

static bool has(const char *text, const char *part)
{
	bool found = text && strstr(text, part) != NULL;
	if (!found)
		fprintf(stderr, "  \"%s\"\n  lacks \"%s\"\n", text ? text : "(null)", part);
	return found;
}

/* The column's type as the server reports it, in static storage. */
static const char *column_type(const char *column)
{
	static char text[256];
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
		 "DATABASE() AND TABLE_NAME = 'rf_items' AND COLUMN_NAME = '%s'",
		 column);
	rt_stmt *stmt = NULL;
	snprintf(text, sizeof(text), "(none)");
	if (rt_stmt_prepare(&stmt, conn, sql) == RT_OK && rt_stmt_step(stmt) == RT_ROW)
		snprintf(text, sizeof(text), "%s", rt_stmt_column_text(stmt, 0));
	rt_stmt_finalize(stmt);
	return text;
}

static const char FIRST[] = "revision rf0000000001\n"
			    "revises base\n"
			    "upgrade {\n"
			    "  create enum RfColor { red, green }\n"
			    "  create table rf_items {\n"
			    "    id     bigint   primary key\n"
			    "    color  RfColor  server default red\n"
			    "    other  RfColor?\n"
			    "  }\n"
			    "}\n"
			    "downgrade {\n"
			    "  drop table rf_items\n"
			    "  drop enum RfColor\n"
			    "}\n";

static const char SECOND[] = "revision rf0000000002\n"
			     "revises rf0000000001\n"
			     "upgrade {\n"
			     "  alter enum RfColor add value 'blue'\n"
			     "}\n"
			     "downgrade {\n"
			     "  alter enum RfColor drop value 'blue'\n"
			     "}\n";

static void test_refused_drop_value(void)
{
	const rt_script_source sources[] = {
		{"versions/rf0000000001.rt", FIRST, 0},
		{"versions/rf0000000002.rt", SECOND, 0},
	};
	rt_migration_set *set = NULL;
	CHECK_OK(rt__migration_set_parse(&set, sources, 2, 0));
	if (!set)
		return;
	rt_run_options o = RT_RUN_OPTIONS_INIT;
	CHECK_OK(rt__migrate_run(conn, set, "head", RT_RUN_UPGRADE, &o));
	CHECK_STR(column_type("other"), "enum('red','green','blue')");
	exec_ok("INSERT INTO rf_items (id, color, other) VALUES (1, 'blue', 'blue'), "
		"(2, 'green', 'blue')");

	/* Refused, naming the rows; nothing of the revision undone, and no
	 * progress row saying its statements might have run. */
	CHECK(rt__migrate_run(conn, set, "rf0000000001", RT_RUN_DOWNGRADE, &o) < 0);
	const char *message = rt_error_last()->message;
	CHECK(has(message, "rows still hold it"));
	CHECK(has(message, "nothing of it was applied"));
	CHECK(!strstr(message, "unknown"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "rf0000000002");
	CHECK_INT(mdb_count(conn, "SELECT count(*) FROM " RT_PROGRESS_TABLE), 0);
	CHECK_STR(column_type("color"), "enum('red','green','blue')");
	CHECK_STR(column_type("other"), "enum('red','green','blue')");

	/* The next run is an ordinary downgrade, not the repair of a partly
	 * applied revision. */
	exec_ok("UPDATE rf_items SET color = 'red', other = NULL");
	CHECK_OK(rt__migrate_run(conn, set, "rf0000000001", RT_RUN_DOWNGRADE, &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "rf0000000001");
	CHECK_INT(mdb_count(conn, "SELECT count(*) FROM " RT_PROGRESS_TABLE), 0);
	CHECK_STR(column_type("color"), "enum('red','green')");
	CHECK_STR(column_type("other"), "enum('red','green')");
	rt__migration_set_free(set);
}

static const char THIRD[] = "revision rf0000000003\n"
			    "revises rf0000000001\n"
			    "upgrade {\n"
			    "  add column rf_items.code int?\n"
			    "  execute 'INSERT INTO rf_missing (id) VALUES (1)'\n"
			    "}\n"
			    "downgrade {\n"
			    "  drop column rf_items.code\n"
			    "}\n";

/* The progress row of revision: statements done and running_to, or -1. */
static void progress_of(const char *revision, int64_t *done, int64_t *running_to)
{
	rt_arena *arena = rt__arena_new();
	rt_progress *rows = NULL;
	size_t count = 0;
	*done = *running_to = -1;
	if (arena && rt__progress_read(conn, arena, &rows, &count) == RT_OK) {
		const rt_progress *p = rt__progress_find(rows, count, revision);
		if (p) {
			*done = p->done;
			*running_to = p->running_to;
		}
	}
	rt__arena_free(arena);
}

/* Undoing a partial revision: the inverse of the operation that ran
 * fails at its first statement (a key of another table needs the column
 * it would drop), so the revision stays partly applied exactly as it was,
 * not "interrupted, effect unknown"; once that key is gone, the
 * downgrade undoes it. */
static void test_refused_undo(void)
{
	const rt_script_source sources[] = {
		{"versions/rf0000000001.rt", FIRST, 0},
		{"versions/rf0000000003.rt", THIRD, 0},
	};
	rt_migration_set *set = NULL;
	CHECK_OK(rt__migration_set_parse(&set, sources, 2, 0));
	if (!set)
		return;
	rt_run_options o = RT_RUN_OPTIONS_INIT;
	CHECK(rt__migrate_run(conn, set, "head", RT_RUN_UPGRADE, &o) < 0);
	int64_t done, running_to;
	progress_of("rf0000000003", &done, &running_to);
	CHECK(done > 0);
	CHECK_INT(running_to, 0);
	int64_t applied = done;
	exec_ok("CREATE INDEX ix_rf_items_code ON rf_items (code)");
	exec_ok("CREATE TABLE rf_ref (code INT, FOREIGN KEY (code) REFERENCES rf_items (code))");

	CHECK(rt__migrate_run(conn, set, "rf0000000001", RT_RUN_DOWNGRADE, &o) < 0);
	const char *message = rt_error_last()->message;
	CHECK(has(message, "changed nothing"));
	CHECK(has(message, "needed in a foreign key constraint"));
	progress_of("rf0000000003", &done, &running_to);
	CHECK_INT(done, applied);
	CHECK_INT(running_to, 0);
	CHECK_STR(column_type("code"), "int(11)");

	exec_ok("DROP TABLE rf_ref");
	CHECK_OK(rt__migrate_run(conn, set, "rf0000000001", RT_RUN_DOWNGRADE, &o));
	CHECK_INT(mdb_count(conn, "SELECT count(*) FROM " RT_PROGRESS_TABLE), 0);
	CHECK_STR(mdb_heads(conn, "alembic_version"), "rf0000000001");
	CHECK_STR(column_type("code"), "(none)");
	rt__migration_set_free(set);
}

int main(void)
{
	conn = mdb_connect(&engine);
	/* A database of its own. */
	exec_ok("DROP DATABASE IF EXISTS retort_refused_step");
	exec_ok("CREATE DATABASE retort_refused_step");
	exec_ok("USE retort_refused_step");
	RT_RUN(test_refused_drop_value);
	/* The first test leaves rf0000000001 applied: start from nothing. */
	exec_ok("DROP DATABASE retort_refused_step");
	exec_ok("CREATE DATABASE retort_refused_step");
	exec_ok("USE retort_refused_step");
	RT_RUN(test_refused_undo);
	exec_ok("DROP DATABASE retort_refused_step");
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
