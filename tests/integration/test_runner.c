/*
 * test_runner.c - upgrade, downgrade and stamp runs on a live database:
 * the tables and version rows after each, progress lines, a run with
 * nothing to do, failures with file:line in the message (rolled back to
 * the last committed revision, one transaction per run or per revision,
 * where DDL is transactional; else stopped at the failing statement,
 * resumed and undone from there), edited scripts refused, branches and merges, SQLite table
 * rebuilds under foreign keys, Alembic's table picked up, and `--sql`.
 */
#include <stdlib.h>
#include <time.h>

#include "test.h"

#include "migrate/progress.h"
#include "migrate/runner.h"
#include "support/migrate_db.h"
#include "support/migrations.h"

static rt_engine *engine;
static rt_conn *conn;

static const char *const TABLES[] = {"rn_child", "rn_parent", "rn_one", "rn_two", "rn_three",
				     "alembic_version", "retort_history",
				     "retort_migration_progress", NULL};

static rt_buf log_text = RT_BUF_INIT;

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	rt__buf_printf(&log_text, "%s\n", line);
}

static rt_run_options options(size_t *steps)
{
	rt_run_options o = RT_RUN_OPTIONS_INIT;
	o.progress = log_line;
	o.steps = steps;
	return o;
}

static int upgrade(fx_set *s, const char *target, const rt_run_options *o)
{
	return rt__migrate_run(conn, &s->set, target, RT_RUN_UPGRADE, o);
}

static int downgrade(fx_set *s, const char *target, const rt_run_options *o)
{
	return rt__migrate_run(conn, &s->set, target, RT_RUN_DOWNGRADE, o);
}

static bool has(const char *text, const char *part)
{
	bool found = text && strstr(text, part) != NULL;
	if (!found)
		fprintf(stderr, "  \"%s\"\n  lacks \"%s\"\n", text ? text : "(null)", part);
	return found;
}

static fx_set *three_tables(void)
{
	fx_set *s = fx_set_new();
	fx_table_rev(s, "aaaa00000001", NULL, "rn_one");
	fx_table_rev(s, "bbbb00000002", "aaaa00000001", "rn_two");
	fx_table_rev(s, "cccc00000003", "bbbb00000002", "rn_three");
	return s;
}

static double elapsed_ms(struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static void test_upgrade_downgrade(void)
{
	mdb_drop(conn, TABLES);
	fx_set *s = three_tables();
	size_t steps = 99;
	rt_run_options o = options(&steps);
	rt__buf_clear(&log_text);
	CHECK_OK(upgrade(s, "head", &o));
	CHECK_INT(steps, 3);
	CHECK(mdb_exists(conn, "rn_one") && mdb_exists(conn, "rn_two") &&
	      mdb_exists(conn, "rn_three"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "cccc00000003");
	CHECK_INT(mdb_count(conn, "SELECT count(*) FROM retort_history "
				  "WHERE direction = 'upgrade' AND checksum LIKE 'sha256:%'"),
		  3);
	CHECK(has(rt__buf_cstr(&log_text),
		  "INFO  Running upgrade  -> aaaa00000001, create rn_one ("));
	CHECK(has(rt__buf_cstr(&log_text),
		  " ms)\nINFO  Running upgrade aaaa00000001 -> bbbb00000002, create rn_two ("));

	/* At head: the version table is read, nothing else is done. */
	rt__buf_clear(&log_text);
	CHECK_OK(upgrade(s, "head", &o));
	CHECK_INT(steps, 0);
	CHECK_STR(rt__buf_cstr(&log_text), "");

	CHECK_OK(downgrade(s, "-1", &o));
	CHECK_INT(steps, 1);
	CHECK(!mdb_exists(conn, "rn_three") && mdb_exists(conn, "rn_two"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "bbbb00000002");
	CHECK(has(rt__buf_cstr(&log_text),
		  "INFO  Running downgrade cccc00000003 -> bbbb00000002, create rn_three ("));
	CHECK_INT(mdb_count(conn, "SELECT count(*) FROM retort_history "
				  "WHERE direction = 'downgrade' AND revision = 'cccc00000003'"),
		  1);

	CHECK_OK(downgrade(s, "base", &o));
	CHECK_INT(steps, 2);
	CHECK(!mdb_exists(conn, "rn_one") && !mdb_exists(conn, "rn_two"));
	CHECK(mdb_exists(conn, "alembic_version"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "");
	CHECK(has(rt__buf_cstr(&log_text), "INFO  Running downgrade aaaa00000001 -> , create rn_one"));

	CHECK_OK(upgrade(s, "+2", &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "bbbb00000002");
	CHECK_INT(upgrade(s, "+2", &o), RT_ENOTFOUND);
	CHECK(has(rt_error_last()->message, "cannot go '+2'"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "bbbb00000002");
	CHECK_INT(downgrade(s, "cccc", &o), RT_EINVAL);
	CHECK(has(rt_error_last()->message, "cannot downgrade to cccc00000003: it is not applied"));
	fx_set_free(s);
	mdb_drop(conn, TABLES);
}

/* A revision whose second operation fails. */
static fx_set *failing(void)
{
	fx_set *s = fx_set_new();
	fx_table_rev(s, "aaaa00000001", NULL, "rn_one");
	rt_migration *b = fx_rev(s, "bbbb00000002", "aaaa00000001", "add extra");
	fx_add_column(s, b, true, "rn_one", "extra string?");
	fx_execute(s, b, true, "INSERT INTO rn_nope (id) VALUES (1)", NULL);
	fx_drop_column(s, b, false, "rn_one", "extra");
	return s;
}

static bool column_exists(const char *table, const char *column)
{
	rt_schema *schema = NULL;
	bool found = false;
	if (rt_schema_reflect(&schema, conn) == RT_OK) {
		rt_table *t = rt__schema_find_table(schema, table);
		found = t && rt__table_find_column(t, column);
	}
	rt_schema_free(schema);
	return found;
}

static void check_failure_message(void)
{
	const char *message = rt_error_last()->message;
	CHECK(has(message, "upgrade of bbbb00000002 failed and was rolled back; the database "
			   "stays at "));
	CHECK(has(message, "versions/bbbb00000002_add extra.rt:2:3: execute"));
	CHECK(has(message, "rn_nope")); /* the database's own words */
}

/* Where DDL is transactional a failed revision is rolled back whole. */
static void failure_rolled_back(void)
{
	for (int per_revision = 0; per_revision < 2; per_revision++) {
		mdb_drop(conn, TABLES);
		fx_set *s = failing();
		size_t steps;
		rt_run_options o = options(&steps);
		o.transaction_per_revision = per_revision;

		/* From base: one transaction loses both; one per revision keeps a. */
		CHECK(upgrade(s, "head", &o) < 0);
		check_failure_message();
		CHECK_STR(mdb_heads(conn, "alembic_version"), per_revision ? "aaaa00000001" : "");
		CHECK(mdb_exists(conn, "rn_one") == (per_revision != 0));
		CHECK(!column_exists("rn_one", "extra"));

		/* From a: either way the database stays at a. */
		CHECK_OK(upgrade(s, "aaaa00000001", &o));
		CHECK(upgrade(s, "head", &o) < 0);
		check_failure_message();
		CHECK(has(rt_error_last()->message, "stays at aaaa00000001"));
		CHECK_STR(mdb_heads(conn, "alembic_version"), "aaaa00000001");
		CHECK(mdb_exists(conn, "rn_one"));
		CHECK(!column_exists("rn_one", "extra"));
		CHECK_INT(mdb_count(conn, "SELECT count(*) FROM retort_history"), 1);
		fx_set_free(s);
	}
	mdb_drop(conn, TABLES);
}

/* The progress row of bbbb00000002, as `current` and `history` print it
 * ("" when there is none). */
static const char *partial(void)
{
	static char text[1024];
	rt_arena *arena = rt__arena_new();
	rt_progress *rows = NULL;
	size_t count = 0;
	text[0] = '\0';
	if (!arena || rt__progress_read(conn, arena, &rows, &count) != RT_OK) {
		snprintf(text, sizeof(text), "error: %s", rt_error_last()->message);
	} else if (count == 1) {
		rt_buf b = RT_BUF_INIT;
		rt__progress_describe(&b, &rows[0]);
		snprintf(text, sizeof(text), "%s (%s); %s", rows[0].revision, rt__buf_cstr(&b),
			 rows[0].error ? rows[0].error : "");
		rt__buf_free(&b);
	} else if (count > 1) {
		snprintf(text, sizeof(text), "%zu rows", count);
	}
	rt__arena_free(arena);
	return text;
}

/* Where every DDL statement commits by itself the revision stops at the
 * statement that failed and keeps what ran before it: the progress row
 * names the statement, upgrade resumes there once the cause is fixed,
 * and a downgrade from the partial state undoes exactly what ran. One
 * transaction per run or per revision makes no difference there. */
static void failure_kept_in_part(void)
{
	for (int per_revision = 0; per_revision < 2; per_revision++) {
		mdb_drop(conn, TABLES);
		CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS rn_nope"));
		fx_set *s = failing();
		size_t steps;
		rt_run_options o = options(&steps);
		o.transaction_per_revision = per_revision;

		CHECK(upgrade(s, "head", &o) < 0);
		const char *message = rt_error_last()->message;
		CHECK(has(message, "upgrade of bbbb00000002 stopped at statement 2 of 2 "
				   "(versions/bbbb00000002_add extra.rt:2); the 1 before it ran "
				   "and stay applied"));
		CHECK(has(message, "versions/bbbb00000002_add extra.rt:2:3: execute"));
		CHECK(has(message, "rn_nope"));
		CHECK_STR(mdb_heads(conn, "alembic_version"), "aaaa00000001");
		CHECK(column_exists("rn_one", "extra"));
		CHECK(has(partial(), "bbbb00000002 (partial: 1 of 2 statements, failed at "
				     "versions/bbbb00000002_add extra.rt:2); "));
		CHECK(has(partial(), "rn_nope"));

		/* Not fixed: it stops at the same statement (the column is not
		 * added twice). */
		CHECK(upgrade(s, "head", &o) < 0);
		CHECK(has(rt_error_last()->message, "stopped at statement 2 of 2"));
		CHECK(has(partial(), "(partial: 1 of 2 statements"));

		/* Downgrade from the partial state: the column goes, a stays. */
		rt__buf_clear(&log_text);
		CHECK_OK(downgrade(s, "aaaa00000001", &o));
		CHECK(has(rt__buf_cstr(&log_text), "INFO  Undoing the partial upgrade of "
						   "bbbb00000002: the 1 statement(s) that ran, of 2"));
		CHECK_STR(partial(), "");
		CHECK_STR(mdb_heads(conn, "alembic_version"), "aaaa00000001");
		CHECK(mdb_exists(conn, "rn_one"));
		CHECK(!column_exists("rn_one", "extra"));

		/* Fails again; fixed, upgrade resumes at the statement that failed. */
		CHECK(upgrade(s, "head", &o) < 0);
		CHECK(has(partial(), "(partial: 1 of 2 statements"));
		CHECK_OK(rt_conn_execute(conn, "CREATE TABLE rn_nope (id BIGINT)"));
		rt__buf_clear(&log_text);
		CHECK_OK(upgrade(s, "head", &o));
		CHECK(has(rt__buf_cstr(&log_text),
			  "INFO  Resuming upgrade of bbbb00000002 at statement 2 of 2"));
		CHECK_STR(partial(), "");
		CHECK_STR(mdb_heads(conn, "alembic_version"), "bbbb00000002");
		CHECK(column_exists("rn_one", "extra"));
		CHECK_INT(mdb_count(conn, "SELECT count(*) FROM rn_nope"), 1);
		CHECK_INT(mdb_count(conn, "SELECT count(*) FROM retort_history"), 2);
		fx_set_free(s);
	}
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE IF EXISTS rn_nope"));
	mdb_drop(conn, TABLES);
}

/* What a failed revision leaves follows the capability, not the backend. */
static void test_failure(void)
{
	if (conn->dialect->caps.transactional_ddl)
		failure_rolled_back();
	else
		failure_kept_in_part();
}

static void test_edited_script(void)
{
	mdb_drop(conn, TABLES);
	fx_set *s = three_tables();
	size_t steps;
	rt_run_options o = options(&steps);
	CHECK_OK(upgrade(s, "bbbb00000002", &o));
	const char *original = s->set.items[1]->checksum;
	s->set.items[1]->checksum = "sha256:0123";
	CHECK_INT(upgrade(s, "head", &o), RT_EDRIFT);
	CHECK(has(rt_error_last()->message, "versions/bbbb00000002_create rn_two.rt (revision "
					    "bbbb00000002): applied sha256:"));
	CHECK(has(rt_error_last()->message, "now sha256:0123"));
	CHECK(has(rt_error_last()->message, "--ignore-checksums"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "bbbb00000002");
	o.ignore_checksums = true;
	CHECK_OK(upgrade(s, "head", &o));
	CHECK_INT(steps, 1);
	s->set.items[1]->checksum = original;
	fx_set_free(s);
	mdb_drop(conn, TABLES);
}

static void test_stamp(void)
{
	mdb_drop(conn, TABLES);
	fx_set *s = three_tables();
	size_t steps;
	rt_run_options o = options(&steps);
	rt__buf_clear(&log_text);
	CHECK_OK(rt__migrate_stamp(conn, &s->set, "head", false, &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "cccc00000003");
	CHECK(!mdb_exists(conn, "rn_one"));
	CHECK_STR(rt__buf_cstr(&log_text), "INFO  Running stamp_revision  -> cccc00000003\n");
	CHECK_OK(rt__migrate_stamp(conn, &s->set, "aaaa", false, &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "aaaa00000001");
	CHECK_OK(rt__migrate_stamp(conn, &s->set, "base", false, &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "");

	/* A row no script knows: refused, until a purge clears it. */
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO alembic_version VALUES ('ffffffffffff')"));
	CHECK_INT(upgrade(s, "head", &o), RT_ENOTFOUND);
	CHECK(has(rt_error_last()->message, "revision ffffffffffff, which no script defines"));
	CHECK_INT(rt__migrate_stamp(conn, &s->set, "head", false, &o), RT_ENOTFOUND);
	CHECK_OK(rt__migrate_stamp(conn, &s->set, "bbbb00000002", true, &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "bbbb00000002");
	fx_set_free(s);
	mdb_drop(conn, TABLES);
}

/*        root
 *       /    \
 *   (shop)s1  (blog)b1
 *       \    /
 *        merge
 */
static void test_branches(void)
{
	mdb_drop(conn, TABLES);
	fx_set *s = fx_set_new();
	fx_table_rev(s, "root00000000", NULL, "rn_one");
	fx_labels(s, fx_table_rev(s, "s10000000000", "root00000000", "rn_two"), "shop");
	fx_labels(s, fx_table_rev(s, "b10000000000", "root00000000", "rn_three"), "blog");
	fx_rev(s, "mm0000000000", "s10000000000 b10000000000", "merge");
	size_t steps;
	rt_run_options o = options(&steps);

	/* Labels reach the merge: shop@head would be mm. */
	CHECK_OK(upgrade(s, "s1", &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "s10000000000");
	CHECK_OK(upgrade(s, "blog@+1", &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "b10000000000 s10000000000");
	CHECK_INT(downgrade(s, "-1", &o), RT_EMULTIHEAD);
	CHECK_OK(downgrade(s, "blog@-1", &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "s10000000000");
	CHECK(!mdb_exists(conn, "rn_three") && mdb_exists(conn, "rn_two"));

	rt__buf_clear(&log_text);
	CHECK_OK(upgrade(s, "head", &o));
	CHECK_INT(steps, 2);
	CHECK_STR(mdb_heads(conn, "alembic_version"), "mm0000000000");
	CHECK(has(rt__buf_cstr(&log_text),
		  "INFO  Running upgrade s10000000000, b10000000000 -> mm0000000000, merge ("));
	CHECK_OK(downgrade(s, "-1", &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "b10000000000 s10000000000");
	CHECK_OK(downgrade(s, "shop@base", &o));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "b10000000000");
	CHECK(!mdb_exists(conn, "rn_two") && mdb_exists(conn, "rn_three"));
	fx_set_free(s);
	mdb_drop(conn, TABLES);
}

/* An alter SQLite does by rebuilding a table other tables reference: the
 * runner turns foreign keys off around its transaction, so no row is
 * lost, and checks them before COMMIT. */
static void test_rebuild_with_foreign_keys(void)
{
	mdb_drop(conn, TABLES);
	fx_set *s = fx_set_new();
	rt_migration *a = fx_rev(s, "aaaa00000001", NULL, "parent and child");
	fx_create_table(s, a, true, "rn_parent", "id bigint primary key\n name string(50)");
	fx_create_table_in(s, a, true, "rn_child",
			   "id bigint primary key\n"
			   " parent_id bigint references rn_parent(id) on delete cascade",
			   "table rn_parent { id bigint primary key }");
	fx_execute(s, a, true, "INSERT INTO rn_parent (id, name) VALUES (1, 'p')", NULL);
	fx_execute(s, a, true, "INSERT INTO rn_child (id, parent_id) VALUES (10, 1)", NULL);
	fx_drop_table(s, a, false, "rn_child");
	fx_drop_table(s, a, false, "rn_parent");
	rt_migration *b = fx_rev(s, "bbbb00000002", "aaaa00000001", "name nullable");
	fx_alter_null(s, b, true, "rn_parent", "name", true);
	fx_alter_null(s, b, false, "rn_parent", "name", false);
	size_t steps;
	rt_run_options o = options(&steps);
	CHECK_OK(upgrade(s, "head", &o));
	CHECK_INT(mdb_count(conn, "SELECT count(*) FROM rn_child"), 1);
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO rn_parent (id, name) VALUES (2, NULL)"));
	CHECK_OK(rt_conn_execute(conn, "DELETE FROM rn_parent WHERE id = 2"));
	CHECK_OK(downgrade(s, "-1", &o));
	CHECK_INT(mdb_count(conn, "SELECT count(*) FROM rn_child"), 1);
	CHECK(rt_conn_execute(conn, "INSERT INTO rn_parent (id, name) VALUES (3, NULL)") < 0);
	/* Keys are enforced again after the run. */
	CHECK_INT(rt_conn_execute(conn, "INSERT INTO rn_child (id, parent_id) VALUES (11, 99)"),
		  RT_ECONSTRAINT);
	fx_set_free(s);
	mdb_drop(conn, TABLES);
}

/* A database Alembic migrated to a: retort carries on from there. */
static void test_continues_alembic(void)
{
	mdb_drop(conn, TABLES);
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE alembic_version (version_num VARCHAR(32) "
				       "NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY "
				       "(version_num))"));
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE rn_one (id BIGINT NOT NULL, label "
				       "VARCHAR(50), CONSTRAINT pk_rn_one PRIMARY KEY (id))"));
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO alembic_version VALUES ('aaaa00000001')"));
	fx_set *s = three_tables();
	size_t steps;
	rt_run_options o = options(&steps);
	CHECK_OK(upgrade(s, "head", &o));
	CHECK_INT(steps, 2);
	CHECK_STR(mdb_heads(conn, "alembic_version"), "cccc00000003");
	CHECK_OK(downgrade(s, "base", &o));
	CHECK(!mdb_exists(conn, "rn_one"));
	fx_set_free(s);
	mdb_drop(conn, TABLES);
}

static char *offline(fx_set *s, const char *target, rt_run_direction direction,
		     bool per_revision, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	rt_run_options o = options(NULL);
	o.sql_only = true;
	o.sql_out = out;
	o.dialect = conn->dialect;
	o.transaction_per_revision = per_revision;
	*rc = rt__migrate_run(NULL, &s->set, target, direction, &o);
	fclose(out);
	return text;
}

static int occurrences(const char *text, const char *part)
{
	int n = 0;
	for (const char *p = text; p && (p = strstr(p, part)); p++)
		n++;
	return n;
}

/* text with each "identifier" quoted as the dialect quotes it; static
 * storage, four at a time. */
static const char *quoted(const char *text)
{
	static char out[4][512];
	static int next;
	char *to = out[next++ % 4];
	rt_buf b = RT_BUF_INIT;
	for (const char *p = text; *p; p++) {
		const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
		if (!end) {
			rt__buf_putc(&b, *p);
			continue;
		}
		char name[128];
		snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
		conn->dialect->quote_ident(&b, name);
		p = end;
	}
	snprintf(to, sizeof(out[0]), "%s", rt__buf_failed(&b) ? "" : rt__buf_cstr(&b));
	rt__buf_free(&b);
	return to;
}

static void test_sql_only(void)
{
	mdb_drop(conn, TABLES);
	fx_set *s = three_tables();
	/* Where DDL is not transactional a revision runs outside BEGIN ...
	 * COMMIT, statement by statement. */
	bool transactional = conn->dialect->caps.transactional_ddl;
	int rc;
	char *sql = offline(s, "head", RT_RUN_UPGRADE, false, &rc);
	CHECK_OK(rc);
	CHECK(has(sql, quoted("CREATE TABLE \"alembic_version\" (\n")));
	CHECK(!transactional || has(sql, quoted("BEGIN;\n\nCREATE TABLE \"alembic_version\" (\n")));
	CHECK(has(sql, quoted("CREATE TABLE \"retort_history\"")));
	CHECK(has(sql, quoted("-- Running upgrade  -> aaaa00000001, create rn_one\n\nCREATE TABLE "
			      "\"rn_one\"")));
	CHECK(has(sql, quoted("INSERT INTO \"alembic_version\" (\"version_num\") VALUES "
			      "('aaaa00000001');")));
	CHECK(has(sql, quoted("UPDATE \"alembic_version\" SET \"version_num\" = 'bbbb00000002' "
			      "WHERE \"version_num\" = 'aaaa00000001';")));
	CHECK(has(sql, "VALUES ('cccc00000003', 'upgrade', 'sha256:"));
	CHECK(!transactional || has(sql, "COMMIT;\n\n"));
	CHECK_INT(occurrences(sql, "BEGIN;"), transactional ? 1 : 0);
	CHECK_INT(occurrences(sql, "COMMIT;"), transactional ? 1 : 0);
	free(sql);
	/* Nothing ran. */
	CHECK(!mdb_exists(conn, "alembic_version") && !mdb_exists(conn, "rn_one"));

	sql = offline(s, "aaaa00000001:head", RT_RUN_UPGRADE, true, &rc);
	CHECK_OK(rc);
	CHECK_INT(occurrences(sql, "BEGIN;"), transactional ? 2 : 0);
	CHECK_INT(occurrences(sql, "COMMIT;"), transactional ? 2 : 0);
	CHECK(!strstr(sql, quoted("CREATE TABLE \"alembic_version\"")));
	CHECK(!strstr(sql, quoted("\"rn_one\"")));
	CHECK(has(sql, quoted("CREATE TABLE \"rn_three\"")));
	free(sql);

	sql = offline(s, "-1", RT_RUN_DOWNGRADE, false, &rc);
	CHECK_INT(rc, RT_EINVAL);
	CHECK(has(rt_error_last()->message, "FROM:TO"));
	free(sql);
	sql = offline(s, "head:-2", RT_RUN_DOWNGRADE, false, &rc);
	CHECK_OK(rc);
	CHECK(has(sql, quoted("-- Running downgrade cccc00000003 -> bbbb00000002, create rn_three\n\n"
			      "DROP TABLE \"rn_three\";")));
	CHECK(has(sql, quoted("UPDATE \"alembic_version\" SET \"version_num\" = 'aaaa00000001' "
			      "WHERE \"version_num\" = 'bbbb00000002';")));
	CHECK(!strstr(sql, quoted("\"rn_one\"")));
	free(sql);
	fx_set_free(s);
}

/* `upgrade head` at head reads the version table and stops: far cheaper
 * than any real work, however long the history. */
static void test_at_head_is_fast(void)
{
	mdb_drop(conn, TABLES);
	fx_set *s = fx_set_new();
	char id[16], parent[16] = "";
	for (int i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "f%011d", i);
		rt_migration *m = fx_rev(s, id, i ? parent : NULL, "step");
		fx_execute(s, m, true, "SELECT 1", NULL);
		memcpy(parent, id, sizeof(id));
	}
	fx_table_rev(s, "f99999999999", parent, "rn_one");
	size_t steps;
	rt_run_options o = options(&steps);
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	CHECK_OK(upgrade(s, "head", &o));
	double full = elapsed_ms(&start);
	CHECK_INT(steps, 201);
	/* History rows go in batches: all of them arrive. */
	CHECK_INT(mdb_count(conn, "SELECT count(DISTINCT revision) FROM retort_history"), 201);
	/* The best of five, so that a busy machine's hiccup does not count. */
	double noop = full;
	for (int i = 0; i < 5; i++) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		CHECK_OK(upgrade(s, "head", &o));
		double once = elapsed_ms(&start);
		noop = once < noop ? once : noop;
		CHECK_INT(steps, 0);
	}
	printf("upgrade of 201 revisions: %.1f ms; upgrade head at head: %.2f ms\n", full, noop);
	CHECK(noop * 10 < full);
	fx_set_free(s);
	mdb_drop(conn, TABLES);
}

int main(void)
{
	conn = mdb_connect(&engine);
	RT_RUN(test_upgrade_downgrade);
	RT_RUN(test_failure);
	RT_RUN(test_edited_script);
	RT_RUN(test_stamp);
	RT_RUN(test_branches);
	RT_RUN(test_rebuild_with_foreign_keys);
	RT_RUN(test_continues_alembic);
	RT_RUN(test_sql_only);
	RT_RUN(test_at_head_is_fast);
	rt__buf_free(&log_text);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
