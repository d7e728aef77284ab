/*
 * test_views.c - a model mapped onto a view (`model ProlificAuthor view
 * prolific_authors`, tests/orm/models.rt) on every backend: the models'
 * DDL makes the view and no table for the model; the ORM queries it and
 * loads its rows by primary key; it refuses, with an error naming the
 * model and the view, to make a new object, to write a changed one and
 * to delete one, and the session goes on.
 */
#include "session_test.h"

static rt_engine *engine;

static void seed(void)
{
	db_exec(engine, "INSERT INTO authors (id, name, karma) VALUES (1, 'ann', 20)");
	db_exec(engine, "INSERT INTO authors (id, name, karma) VALUES (2, 'bob', 3)");
	db_exec(engine, "INSERT INTO authors (id, name, karma) VALUES (3, 'cy', 11)");
}

static void test_query_reads_the_view(void)
{
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(ProlificAuthor_query(&q, s));
	CHECK_OK(rt_query_order_by(q, ProlificAuthor_c.id.ref, false));
	rt_list rows = {0};
	CHECK_OK(rt_query_all(q, &rows));
	CHECK_INT(rows.count, 2);
	if (rows.count == 2) {
		ProlificAuthor *first = rows.items[0], *second = rows.items[1];
		CHECK_INT(first->id, 1);
		CHECK_STR(first->name, "ann");
		CHECK_INT(second->karma, 11);
	}
	rt_query_free(q);
	ProlificAuthor *one = NULL;
	CHECK_OK(ProlificAuthor_get(&one, s, 3));
	CHECK(one && strcmp(one->name, "cy") == 0);
	rt_session_close(s);
}

static void test_writes_are_refused(void)
{
	rt_session *s = open_session(engine);
	ProlificAuthor *fresh = NULL;
	CHECK_INT(ProlificAuthor_new(&fresh, s), RT_EINVAL);
	CHECK(fresh == NULL);
	CHECK(message_has("ProlificAuthor is mapped onto the view prolific_authors, which is "
			  "read-only: no row can be inserted"));

	ProlificAuthor *one = NULL;
	CHECK_OK(ProlificAuthor_get(&one, s, 1));
	if (!one) {
		rt_session_close(s);
		return;
	}
	CHECK_INT(ProlificAuthor_delete(one), RT_EINVAL);
	CHECK(message_has("no row can be deleted"));

	one->karma = 99;
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK(message_has("ProlificAuthor is mapped onto the view prolific_authors, which is "
			  "read-only: its changed fields cannot be written"));
	CHECK_OK(rt_session_rollback(s));
	/* The session goes on: the row is what the view says. */
	ProlificAuthor *again = NULL;
	CHECK_OK(ProlificAuthor_get(&again, s, 1));
	CHECK(again && again->karma == 20);
	rt_session_close(s);
}

static void test_no_table_for_the_model(void)
{
	/* The view is there (it answered above); a table of its name would
	 * have made create_all fail. Rows added to authors show in it. */
	db_exec(engine, "INSERT INTO authors (id, name, karma) VALUES (4, 'dee', 50)");
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	int64_t n = -1;
	CHECK_OK(ProlificAuthor_query(&q, s));
	CHECK_OK(rt_query_count(q, &n));
	CHECK_INT(n, 3);
	rt_query_free(q);
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	seed();
	RT_RUN(test_query_reads_the_view);
	RT_RUN(test_writes_are_refused);
	RT_RUN(test_no_table_for_the_model);
	rt_engine_free(engine);
	return rt_test_done();
}
