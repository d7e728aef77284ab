/*
 * test_version.c - the version table and retort_history on a live
 * database: Alembic's exact table (read when Alembic made it, and made as
 * Alembic makes it), rows changed with bound values, the history and the
 * detection of edited scripts, and the offline text. What each backend
 * writes and reads back differently (quoting, the primary key's name) is
 * in tests/integration/data/version/<case>.<backend>.txt.
 */
#include <stdlib.h>

#include "test.h"

#include "migrate/graph.h"
#include "migrate/version.h"
#include "support/migrate_db.h"
#include "support/migrations.h"
#include "support/test_data.h"

static rt_engine *engine;
static rt_conn *conn;

static const char *const TABLES[] = {"alembic_version", "retort_history", "my_versions",
				     NULL};

static void test_alembic_ddl(void)
{
	rt_buf buf = RT_BUF_INIT;
	CHECK_OK(rt__version_table_ddl(&buf, conn->dialect, "alembic_version"));
	test_data_expect(rt__buf_cstr(&buf), "version", "alembic_ddl", conn->dialect->name);
	rt__buf_free(&buf);
}

/* A table made by Alembic (its DDL, unquoted) is read as ours. */
static void test_reads_alembics_table(void)
{
	mdb_drop(conn, TABLES);
	CHECK(!mdb_exists(conn, "alembic_version"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "");
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE alembic_version (version_num VARCHAR(32) "
				       "NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY "
				       "(version_num))"));
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO alembic_version (version_num) VALUES "
				       "('1975ea83b712'), ('ae1027a6acf0')"));
	CHECK(mdb_exists(conn, "alembic_version"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "1975ea83b712 ae1027a6acf0");
	mdb_drop(conn, TABLES);
}

/* Ours reflects as Alembic's: one VARCHAR(32) NOT NULL column, the key
 * named alembic_version_pkc where the backend keeps the names of primary
 * keys (data/version/reflected.<backend>.txt says what it reads back). */
static void test_creates_alembics_table(void)
{
	rt_version_writer w;
	rt__version_writer_init(&w, conn->dialect, conn, NULL, NULL);
	CHECK_OK(rt__version_create(&w));
	CHECK_OK(rt__version_create(&w)); /* already there: nothing to do */
	rt_schema *schema = NULL;
	CHECK_OK(rt_schema_reflect(&schema, conn));
	rt_table *table = schema ? rt__schema_find_table(schema, "alembic_version") : NULL;
	CHECK(table != NULL);
	if (table) {
		CHECK_INT(table->column_count, 1);
		CHECK_STR(table->columns[0]->name, "version_num");
		CHECK_INT(table->columns[0]->type.kind, RT_TYPE_STRING);
		CHECK_INT(table->columns[0]->type.length, 32);
		CHECK(!table->columns[0]->nullable);
		char pk[64];
		CHECK(table->primary_key != NULL);
		if (table->primary_key)
			CHECK_STR(table->primary_key->name,
				  test_data_value(pk, sizeof(pk), "version", "reflected",
						  conn->dialect->name, "primary_key"));
	}
	rt_table *history = schema ? rt__schema_find_table(schema, "retort_history") : NULL;
	CHECK(history && history->column_count == 6);
	rt_schema_free(schema);

	CHECK_OK(rt__version_insert(&w, "aaa"));
	CHECK_OK(rt__version_insert(&w, "bbb"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "aaa bbb");
	CHECK_OK(rt__version_update(&w, "aaa", "ccc"));
	CHECK_OK(rt__version_delete(&w, "bbb"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "ccc");
	/* A row that is not there any more (another run moved the table on)
	 * fails the step rather than changing nothing in silence. */
	CHECK_INT(rt__version_update(&w, "aaa", "ddd"), RT_ELOCKED);
	CHECK(strstr(rt_error_last()->message, "has no row aaa any more") != NULL);
	CHECK_INT(rt__version_delete(&w, "bbb"), RT_ELOCKED);
	CHECK_STR(mdb_heads(conn, "alembic_version"), "ccc");
	/* Values are bound: a quote is just a character. */
	CHECK_OK(rt__version_insert(&w, "it's"));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "ccc it's");
	CHECK_OK(rt__version_clear(&w));
	CHECK_STR(mdb_heads(conn, "alembic_version"), "");
	rt__version_writer_close(&w);
	rt__version_writer_close(&w);
	mdb_drop(conn, TABLES);
}

static void test_custom_name(void)
{
	rt_version_writer w;
	rt__version_writer_init(&w, conn->dialect, conn, NULL, "my_versions");
	CHECK_OK(rt__version_create(&w));
	CHECK_OK(rt__version_insert(&w, "abc"));
	rt__version_writer_close(&w);
	CHECK_STR(mdb_heads(conn, "my_versions"), "abc");
	CHECK(!mdb_exists(conn, "alembic_version"));
	if (mdb_is_postgres(conn))
		CHECK_INT(mdb_count(conn, "SELECT count(*) FROM pg_catalog.pg_constraint "
					  "WHERE conname = 'my_versions_pkc'"),
			  1);
	mdb_drop(conn, TABLES);
}

static void test_history_and_edits(void)
{
	fx_set *s = fx_set_new();
	rt_migration *a = fx_rev(s, "aaaa00000001", NULL, "one");
	rt_migration *b = fx_rev(s, "bbbb00000002", "aaaa00000001", "two");
	fx_rev(s, "cccc00000003", "bbbb00000002", "three");
	rt_graph *g = NULL;
	CHECK_OK(rt__graph_build(&g, &s->set));
	rt_arena *arena = rt__arena_new();
	if (!g || !arena)
		return;

	rt_history_entry *entries;
	size_t count;
	CHECK_OK(rt__version_history(conn, NULL, arena, &entries, &count)); /* no table yet */
	CHECK_INT(count, 0);

	rt_version_writer w;
	rt__version_writer_init(&w, conn->dialect, conn, NULL, NULL);
	CHECK_OK(rt__version_create(&w));
	CHECK_OK(rt__version_record(&w, "aaaa00000001", true, a->checksum, 12));
	CHECK_OK(rt__version_record(&w, "bbbb00000002", true, "sha256:old", 3));
	CHECK_OK(rt__version_record(&w, "bbbb00000002", false, b->checksum, -1));
	CHECK_OK(rt__version_record(&w, "bbbb00000002", true, "sha256:older", 4));
	rt__version_writer_close(&w);

	CHECK_OK(rt__version_history(conn, NULL, arena, &entries, &count));
	CHECK_INT(count, 4);
	if (count == 4) {
		CHECK_STR(entries[0].revision, "aaaa00000001");
		CHECK(entries[0].upgrade);
		CHECK_STR(entries[0].checksum, a->checksum);
		CHECK_INT(entries[0].duration_ms, 12);
		CHECK(entries[0].applied_at && strlen(entries[0].applied_at) >= 19);
		CHECK(!entries[2].upgrade);
		CHECK_INT(entries[2].duration_ms, -1);
	}

	/* b was last applied as "sha256:older": its script differs now. */
	rt_revlist current = {0}, edited = {0};
	const char *head = "bbbb00000002";
	CHECK_OK(rt__graph_current(g, arena, &head, 1, &current));
	const char **applied;
	CHECK_OK(rt__version_edited(conn, NULL, g, arena, &current, &edited, &applied));
	CHECK_INT(edited.count, 1);
	if (edited.count == 1) {
		CHECK_STR(edited.items[0]->id, "bbbb00000002");
		CHECK_STR(applied[0], "sha256:older");
	}
	/* Only applied revisions count: at a, b's record does not matter. */
	rt_revlist at_a = {0}, none = {0};
	head = "aaaa00000001";
	CHECK_OK(rt__graph_current(g, arena, &head, 1, &at_a));
	CHECK_OK(rt__version_edited(conn, NULL, g, arena, &at_a, &none, &applied));
	CHECK_INT(none.count, 0);

	rt__arena_free(arena);
	rt__graph_free(g);
	fx_set_free(s);
	mdb_drop(conn, TABLES);
}

/* Offline: the statements as text, values as SQL literals. */
static void test_offline_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		return;
	rt_version_writer w;
	rt__version_writer_init(&w, conn->dialect, NULL, out, NULL);
	CHECK_OK(rt__version_insert(&w, "it's"));
	CHECK_OK(rt__version_update(&w, "a", "b"));
	CHECK_OK(rt__version_delete(&w, "b"));
	CHECK_OK(rt__version_record(&w, "b", false, NULL, -1));
	rt__version_writer_close(&w);
	fclose(out);
	test_data_expect(text, "version", "offline", conn->dialect->name);
	free(text);
}

int main(void)
{
	conn = mdb_connect(&engine);
	mdb_drop(conn, TABLES);
	RT_RUN(test_alembic_ddl);
	RT_RUN(test_reads_alembics_table);
	RT_RUN(test_creates_alembics_table);
	RT_RUN(test_custom_name);
	RT_RUN(test_history_and_edits);
	RT_RUN(test_offline_text);
	mdb_drop(conn, TABLES);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
