/*
 * test_refusals.c - input that means one thing on one backend and another
 * (or an error that aborts the transaction) on the other is refused the
 * same way on every backend, with an error that says what is wrong, before
 * any SQL is sent, so the session's transaction goes on:
 *   - a like pattern ending in an escape `\` with nothing after it;
 *   - rt_session_sql given fewer or more values than the statement's
 *     placeholders;
 *   - a NaN double where the backend would store NULL instead (where it
 *     can store NaN, NaN is stored and read back).
 */
#include <math.h>

#include "session_test.h"

static rt_engine *engine;

static void fresh_engine(void)
{
	rt_engine_free(engine);
	engine = orm_test_engine();
}

static void test_like_trailing_escape(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('ab\\', 0)");
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('abc', 0)");
	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	if (!a)
		return;
	CHECK_OK(Author_set_name(a, "pending"));
	for (int insensitive = 0; insensitive < 2; insensitive++) {
		rt_query *q = NULL;
		CHECK_OK(Author_query(&q, s));
		const char *pattern = "ab\\";
		CHECK_INT(rt_query_filter(q, insensitive ? rt_ilike(q, Author_c.name, pattern)
							 : rt_like(q, Author_c.name, pattern)),
			  RT_EINVAL);
		CHECK(message_has("Author.name: the like pattern 'ab\\' ends in an escape `\\` "
				  "with nothing after it (write `\\\\` for a backslash)"));
		/* The query stays failed: running it sends nothing. */
		int64_t n = -1;
		CHECK_INT(rt_query_count(q, &n), RT_EINVAL);
		rt_query_free(q);
		/* An escaped backslash is the backslash. */
		CHECK_OK(Author_query(&q, s));
		CHECK_OK(rt_query_filter(q, insensitive ? rt_ilike(q, Author_c.name, "AB\\\\")
							: rt_like(q, Author_c.name, "ab\\\\")));
		CHECK_OK(rt_query_count(q, &n));
		CHECK_INT(n, 1);
		rt_query_free(q);
	}
	/* A pattern whose last `\` escapes the one before it is fine. */
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_like(q, Author_c.name, "a%\\\\")));
	int64_t n = -1;
	CHECK_OK(rt_query_count(q, &n));
	CHECK_INT(n, 1);
	rt_query_free(q);
	/* Nothing was poisoned: the transaction commits. */
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 3);
	rt_session_close(s);
}

static void test_sql_parameter_count(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('ann', 1)");
	rt_session *s = open_session(engine);
	const char *sql = "SELECT COUNT(*) FROM authors WHERE name = ? OR name = ?";
	rt_value_ref params[3] = {rt_text("ann"), rt_text("bob"), rt_text("cid")};
	rt_rows *rows = NULL;
	CHECK_INT(rt_session_sql(&rows, s, sql, params, 1), RT_EINVAL);
	CHECK(rows == NULL);
	CHECK(message_has("the statement has 2 parameters (placeholders), 1 value given"));
	CHECK_INT(rt_session_sql(&rows, s, sql, params, 0), RT_EINVAL);
	CHECK(message_has("2 parameters (placeholders), 0 values given"));
	CHECK_INT(rt_session_sql(&rows, s, sql, params, 3), RT_EINVAL);
	CHECK(message_has("2 parameters (placeholders), 3 values given"));
	CHECK_INT(rt_session_sql(&rows, s, "SELECT COUNT(*) FROM authors", params, 1),
		  RT_EINVAL);
	CHECK(message_has("0 parameters (placeholders), 1 value given"));
	/* The right number works, in the same transaction. */
	CHECK_OK(rt_session_sql(&rows, s, sql, params, 2));
	if (rows) {
		CHECK_INT(rt_rows_next(rows), RT_ROW);
		CHECK_INT(rt_rows_int64(rows, 0), 1);
		rt_rows_free(rows);
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

/* The NOT NULL fields of a Sample, with plain values. */
static void fill(Sample *x)
{
	x->i16 = 1;
	x->i32 = 2;
	x->i64 = 3;
	x->r = 1.5f;
	x->d = 2.5;
	CHECK_OK(Sample_set_amount(x, "1.0000"));
	CHECK_OK(Sample_set_label(x, "l"));
	CHECK_OK(Sample_set_body(x, "b"));
	CHECK_OK(Sample_set_data(x, "", 0));
	x->day = (rt_date){2026, 1, 2};
	x->clock = (rt_time){1, 2, 3, 0};
	x->at = (rt_timestamp){{2026, 1, 2}, {1, 2, 3, 0}};
	x->at_tz = x->at;
	CHECK_OK(Sample_set_doc(x, "{}"));
}

static void test_nan(void)
{
	fresh_engine();
	bool stores = orm_test_is_postgres();
	rt_session *s = open_session(engine);
	Sample *x = NULL, *y = NULL;
	CHECK_OK(Sample_new(&x, s));
	CHECK_OK(Sample_new(&y, s));
	if (!x || !y)
		return;
	fill(x);
	fill(y);
	x->d = NAN;
	y->n_r = (rt_opt_float){true, NAN};
	if (!stores) {
		/* Refused by name, before any statement: nothing written, the
		 * session goes on once the value is fixed. */
		CHECK_INT(rt_session_commit(s), RT_EINVAL);
		char expected[200];
		snprintf(expected, sizeof(expected),
			 "samples.d (Sample.d): NaN is not a value a %s database "
			 "can store (it would become NULL)",
			 rt_engine_dialect(engine));
		CHECK(message_has(expected));
		CHECK(!strstr(rt_error_last()->message, "NOT NULL"));
		x->d = 4.5;
		CHECK_INT(rt_session_commit(s), RT_EINVAL);
		CHECK(message_has("samples.n_r (Sample.n_r): NaN"));
		y->n_r = (rt_opt_float){true, 0.5f};
		CHECK_OK(rt_session_commit(s));
		CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM samples"), 2);
		CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM samples WHERE n_r IS NULL"), 1);
		/* An update too, and a NaN parameter of raw SQL. */
		x->n_d = (rt_opt_double){true, NAN};
		CHECK_INT(rt_session_flush(s), RT_EINVAL);
		CHECK(message_has("samples.n_d (Sample.n_d): NaN"));
		x->n_d = (rt_opt_double){false, 0};
		rt_rows *rows = NULL;
		rt_value_ref nan_param = rt_double(NAN);
		CHECK_INT(rt_session_sql(&rows, s, "SELECT ?", &nan_param, 1), RT_EINVAL);
		CHECK(message_has("parameter 1: NaN"));
		CHECK_OK(rt_session_commit(s));
		rt_session_close(s);
		return;
	}
	/* Stored as NaN, read back as NaN. */
	CHECK_OK(rt_session_commit(s));
	int64_t xid = x->id, yid = y->id;
	rt_session_close(s);
	s = open_session(engine);
	Sample *a = NULL, *b = NULL;
	CHECK_OK(Sample_get(&a, s, xid));
	CHECK_OK(Sample_get(&b, s, yid));
	CHECK(a && isnan(a->d));
	CHECK(b && b->n_r.present && isnan(b->n_r.value));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM samples WHERE d = 'NaN'"), 1);
	rt_session_close(s);
}

int main(void)
{
	RT_RUN(test_like_trailing_escape);
	RT_RUN(test_sql_parameter_count);
	RT_RUN(test_nan);
	rt_engine_free(engine);
	return rt_test_done();
}
