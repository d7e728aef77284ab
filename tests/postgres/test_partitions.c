/*
 * test_partitions.c - the ORM on a model whose table is partitioned
 * (test_partitions.rt): PostgreSQL routes each inserted row to the
 * partition its key admits, and the model reads, updates (moving the row
 * when its key changes partition), queries and deletes rows through the
 * partitioned table as through any other.
 */
#include "test.h"

#include "retort.h"
#include "support/test_db.h"
#include "test_partitions_models.h"

static rt_engine *engine;

/* The text of the one row sql gives, through a session of its own. */
static const char *first_text(const char *sql, const rt_value_ref *params, size_t count,
			      char *buf, size_t size)
{
	rt_session *s = NULL;
	rt_rows *rows = NULL;
	snprintf(buf, size, "(none)");
	if (rt_session_open(&s, engine) == RT_OK &&
	    rt_session_sql(&rows, s, sql, params, count) == RT_OK &&
	    rt_rows_next(rows) == RT_ROW && rt_rows_text(rows, 0))
		snprintf(buf, size, "%s", rt_rows_text(rows, 0));
	rt_rows_free(rows);
	rt_session_close(s);
	return buf;
}

/* The partition a reading's row is in (its tableoid). */
static const char *partition_of(int64_t id, char *buf, size_t size)
{
	rt_value_ref params[] = {rt_int(id)};
	return first_text("SELECT tableoid::regclass::text FROM readings WHERE id = ?", params, 1,
			  buf, size);
}

static rt_schema *models(void)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/postgres/test_partitions.rt", source ? source : ".");
	rt_schema *schema = NULL;
	if (rt_schema_parse_file(&schema, path, NULL) != RT_OK)
		fprintf(stderr, "cannot parse %s: %s\n", path, rt_error_last()->message);
	return schema;
}

static int fresh_tables(void)
{
	rt_conn *conn = NULL;
	rt_schema *schema = models();
	int rc = schema ? rt_conn_open(&conn, engine) : RT_EINVAL;
	if (rc == RT_OK)
		rc = test_db_fresh(engine, &conn);
	if (rc == RT_OK)
		rc = rt_schema_create_all(conn, schema);
	if (rc != RT_OK)
		fprintf(stderr, "cannot create the tables: %s\n", rt_error_last()->message);
	rt_conn_close(conn);
	rt_schema_free(schema);
	return rc;
}

static Reading *new_reading(rt_session *s, int64_t id, const char *sensor, double value)
{
	Reading *r = NULL;
	CHECK_OK(Reading_new(&r, s));
	if (!r)
		return NULL;
	r->id = id;
	CHECK_OK(rt_object_mark_set(r, &r->id));
	CHECK_OK(Reading_set_sensor(r, sensor));
	r->value = value;
	CHECK_OK(rt_object_mark_set(r, &r->value));
	return r;
}

static void test_insert_routes_rows(void)
{
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	new_reading(s, 1, "a", 1.5);
	new_reading(s, 2, "b", 2.5);
	CHECK_OK(rt_session_commit(s));
	char buf[64];
	CHECK_STR(partition_of(1, buf, sizeof(buf)), "readings_a");
	CHECK_STR(partition_of(2, buf, sizeof(buf)), "readings_rest");
	rt_session_close(s);
}

static void test_read_update_delete(void)
{
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	Reading *r = NULL;
	CHECK_OK(Reading_get(&r, s, 1, "a"));
	CHECK(r && r->value == 1.5);
	if (!r) {
		rt_session_close(s);
		return;
	}
	/* A change of the key moves the row to the partition that admits it. */
	CHECK_OK(Reading_set_note(r, "moved"));
	CHECK_OK(Reading_set_sensor(r, "c"));
	CHECK_OK(rt_session_commit(s));
	char buf[64];
	CHECK_STR(partition_of(1, buf, sizeof(buf)), "readings_rest");

	/* A query through the partitioned table sees every partition's rows. */
	rt_query *q = NULL;
	CHECK_OK(Reading_query(&q, s));
	int64_t count = -1;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT((int)count, 2);
	rt_query_free(q);

	Reading *two = NULL;
	CHECK_OK(Reading_get(&two, s, 2, "b"));
	CHECK(two != NULL);
	if (two)
		CHECK_OK(Reading_delete(two));
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(first_text("SELECT count(*)::text FROM readings_rest", NULL, 0, buf, sizeof(buf)),
		  "1");
	rt_session_close(s);
}

int main(void)
{
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", rt_test_url(), rt_error_last()->message);
		return 1;
	}
	if (fresh_tables() != RT_OK)
		return 1;
	RT_RUN(test_insert_routes_rows);
	RT_RUN(test_read_update_delete);
	rt_engine_free(engine);
	return rt_test_done();
}
