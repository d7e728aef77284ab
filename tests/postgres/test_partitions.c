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

/* The partition a reading's row is in (its tableoid). */
static const char *partition_of(int64_t id, char *buf, size_t size)
{
	rt_value_ref params[] = {rt_int(id)};
	return test_db_first_text(engine, "SELECT tableoid::regclass::text FROM readings WHERE id = ?",
				  params, 1, buf, size);
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
	CHECK_STR(test_db_first_text(engine, "SELECT count(*)::text FROM readings_rest", NULL, 0,
				     buf, sizeof(buf)),
		  "1");
	rt_session_close(s);
}

int main(void)
{
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", rt_test_url(), rt_error_last()->message);
		return 1;
	}
	if (test_db_fresh_models(engine, "postgres/test_partitions.rt", NULL) != RT_OK)
		return 1;
	RT_RUN(test_insert_routes_rows);
	RT_RUN(test_read_update_delete);
	rt_engine_free(engine);
	return rt_test_done();
}
