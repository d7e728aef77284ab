/*
 * test_rows.c - results as rows: raw SQL with bound parameters (values
 * with quotes and SQL in them stay values), the rt_rows accessors, and
 * aggregate queries with group by.
 */
#include <stddef.h>

#include "query_seed.h"

static rt_engine *engine;
static rt_session *session;

static void test_raw_sql(void)
{
	static const char *evil = "x'); DROP TABLE authors; --";
	rt_rows *rows = NULL;
	rt_value_ref params[] = {rt_text(evil)};
	CHECK_OK(rt_session_sql(&rows, session, "SELECT id FROM authors WHERE name = ?", params, 1));
	CHECK_INT(rt_rows_next(rows), RT_DONE);
	CHECK_INT(rt_rows_next(rows), RT_DONE);
	rt_rows_free(rows);

	/* Stored as given, read back equal; the table is still there. */
	rt_value_ref insert[] = {rt_int(50), rt_text(evil)};
	CHECK_OK(rt_session_sql(&rows, session, "INSERT INTO tags (id, label) VALUES (?, ?)",
				insert, 2));
	CHECK_INT(rt_rows_next(rows), RT_DONE);
	rt_rows_free(rows);
	rt_value_ref id[] = {rt_int(50)};
	CHECK_OK(rt_session_sql(&rows, session, "SELECT label, id FROM tags WHERE id = ?", id, 1));
	CHECK_INT(rt_rows_column_count(rows), 2);
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_STR(rt_rows_text(rows, 0), evil);
	CHECK_INT(rt_rows_int64(rows, 1), 50);
	CHECK_INT(rt_rows_next(rows), RT_DONE);
	rt_rows_free(rows);
	CHECK_OK(rt_session_sql(&rows, session, "SELECT COUNT(*) FROM authors", NULL, 0));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_INT(rt_rows_int64(rows, 0), 4);
	rt_rows_free(rows);

	/* In the session's transaction: a rollback takes the insert away. */
	CHECK_OK(rt_session_rollback(session));
	CHECK_OK(rt_session_sql(&rows, session, "SELECT COUNT(*) FROM tags WHERE id = ?", id, 1));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_INT(rt_rows_int64(rows, 0), 0);
	rt_rows_free(rows);
}

static void test_accessors(void)
{
	rt_rows *rows = NULL;
	rt_value_ref params[] = {rt_int(7), rt_double(2.5), rt_blob("a\0b", 3), rt_null(),
				 rt_bool(true)};
	CHECK_OK(rt_session_sql(&rows, session,
				"SELECT name, email, karma, karma * ?, ? FROM authors "
				"WHERE id IN (1, 2) ORDER BY id",
				params, 2));
	CHECK_INT(rt_rows_column_count(rows), 5);
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_STR(rt_rows_text(rows, 0), "Ann");
	CHECK(!rt_rows_is_null(rows, 1));
	CHECK_INT(rt_rows_int64(rows, 2), 10);
	CHECK_INT(rt_rows_int64(rows, 3), 70);
	CHECK(rt_rows_double(rows, 4) == 2.5);
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_STR(rt_rows_text(rows, 0), "bob");
	CHECK(rt_rows_is_null(rows, 1));
	CHECK(rt_rows_text(rows, 1) == NULL);
	CHECK_INT(rt_rows_next(rows), RT_DONE);
	rt_rows_free(rows);

	/* Blobs with NUL bytes, and NULL parameters. */
	CHECK_OK(rt_session_sql(&rows, session, "SELECT ?, ?", params + 2, 2));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	rt_bytes b = rt_rows_blob(rows, 0);
	CHECK(b.len == 3 && b.data && memcmp(b.data, "a\0b", 3) == 0);
	CHECK(rt_rows_is_null(rows, 1));
	rt_rows_free(rows);

	/* Errors: bad SQL, missing parameters, misuse. */
	CHECK(rt_session_sql(&rows, session, "SELEC nothing", NULL, 0) < 0);
	CHECK(rows == NULL);
	CHECK_INT(rt_session_sql(&rows, session, NULL, NULL, 0), RT_EINVAL);
	CHECK_INT(rt_session_sql(&rows, NULL, "SELECT 1", NULL, 0), RT_EINVAL);
	CHECK(rt_session_sql(&rows, session, "SELECT ?", params, 2) < 0);
	CHECK_INT(rt_rows_next(NULL), RT_EINVAL);
	rt_rows_free(NULL);
	CHECK_OK(rt_session_rollback(session));
}

static void test_aggregates(void)
{
	rt_query *q = NULL;
	rt_rows *rows = NULL;
	/* Books per author: count, sum, min, max. */
	CHECK_OK(Book_query(&q, session));
	CHECK_OK(rt_query_group_by(q, Book_c.author_id.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_COUNT, (rt_column_ref){NULL, 0}));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_SUM, Book_c.score.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_MIN, Book_c.score.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_MAX, Book_c.score.ref));
	CHECK_OK(rt_query_order_by(q, Book_c.author_id.ref, false));
	CHECK_OK(rt_query_rows(q, &rows));
	CHECK_INT(rt_rows_column_count(rows), 5);
	long long expected[][5] = {{1, 3, 16, 3, 8}, {2, 1, 1, 1, 1}, {3, 1, 10, 10, 10},
				   {4, 2, 2, 0, 2}};
	for (int i = 0; i < 4; i++) {
		CHECK_INT(rt_rows_next(rows), RT_ROW);
		for (int c = 0; c < 5; c++)
			CHECK_INT(rt_rows_int64(rows, c), expected[i][c]);
	}
	CHECK_INT(rt_rows_next(rows), RT_DONE);
	rt_rows_free(rows);
	rt_query_free(q);

	/* Over a join, with a filter, grouped by the joined model's column. */
	CHECK_OK(Book_query(&q, session));
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_filter(q, rt_gt(q, Book_c.score, 1)));
	CHECK_OK(rt_query_group_by(q, Author_c.name.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_AVG, Book_c.score.ref));
	CHECK_OK(rt_query_order_by(q, Author_c.name.ref, false));
	CHECK_OK(rt_query_rows(q, &rows));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_STR(rt_rows_text(rows, 0), "Ann");
	CHECK(rt_rows_double(rows, 1) > 5.33 && rt_rows_double(rows, 1) < 5.34);
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_STR(rt_rows_text(rows, 0), "Cy");
	CHECK(rt_rows_double(rows, 1) == 10.0);
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_STR(rt_rows_text(rows, 0), "O'Brien");
	CHECK_INT(rt_rows_next(rows), RT_DONE);
	rt_rows_free(rows);
	rt_query_free(q);

	/* No group: one row. Authors with tags, counted through the join. */
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_join(q, &Author_model, "tags"));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_COUNT, Author_c.id.ref));
	CHECK_OK(rt_query_rows(q, &rows));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_INT(rt_rows_int64(rows, 0), 4);
	rt_rows_free(rows);
	rt_query_free(q);

	/* Nothing to select, and a function without a column. */
	CHECK_OK(Author_query(&q, session));
	CHECK_INT(rt_query_rows(q, &rows), RT_EINVAL);
	CHECK(rows == NULL);
	CHECK_INT(rt_query_aggregate(q, RT_AGGREGATE_SUM, (rt_column_ref){NULL, 0}), RT_EINVAL);
	rt_query_free(q);
}

int main(void)
{
	engine = orm_test_engine();
	seed_library(engine);
	if (rt_session_open(&session, engine) != RT_OK) {
		fprintf(stderr, "%s\n", rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_raw_sql);
	RT_RUN(test_accessors);
	RT_RUN(test_aggregates);
	rt_session_close(session);
	rt_engine_free(engine);
	return rt_test_done();
}
