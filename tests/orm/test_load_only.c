/*
 * test_load_only.c - queries that load only some columns
 * (rt_query_load_only) on every backend: the other fields left zero and
 * marked unloaded (rt_object_is_loaded), never written back by a flush
 * unless the program sets them, filled in by rt_object_load_unloaded, by
 * rt_object_refresh and by a later query of every column, without losing
 * the program's changes to the fields it had; streaming reads the same
 * columns.
 */
#include "session_test.h"

static rt_engine *engine;

static void seed(void)
{
	db_exec(engine, "DELETE FROM authors");
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('ada', 'ada@x', 3)");
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('bob', 'bob@x', 5)");
}

/* The authors by name, loading only the name. */
static Author *load_name_only(rt_session *s, const char *name)
{
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	rt_column_ref only[] = {Author_c.name.ref};
	CHECK_OK(rt_query_load_only(q, only, 1));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, name)));
	Author *a = NULL;
	CHECK_OK(rt_query_one(q, &a));
	rt_query_free(q);
	if (!a)
		exit(1);
	return a;
}

static void test_unloaded_marked(void)
{
	seed();
	rt_session *s = open_session(engine);
	Author *a = load_name_only(s, "ada");
	CHECK(a->id > 0);
	CHECK_STR(a->name, "ada");
	CHECK(a->email == NULL);
	CHECK_INT(a->karma, 0);
	CHECK_INT(rt_object_is_loaded(a, Author_c.id.ref), 1);
	CHECK_INT(rt_object_is_loaded(a, Author_c.name.ref), 1);
	CHECK_INT(rt_object_is_loaded(a, Author_c.email.ref), 0);
	CHECK_INT(rt_object_is_loaded(a, Author_c.karma.ref), 0);
	CHECK(rt_object_is_loaded(a, Book_c.title.ref) == RT_EINVAL);
	rt_session_close(s);
}

/* A change to a loaded field is written; the unloaded ones are not. */
static void test_never_written_back(void)
{
	seed();
	rt_session *s = open_session(engine);
	Author *a = load_name_only(s, "ada");
	CHECK_OK(Author_set_name(a, "ada2"));
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(db_text(engine, "SELECT email FROM authors WHERE name = 'ada2'", text,
			  sizeof(text)),
		  "ada@x");
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE name = 'ada2'"), 3);
	/* Set by the program: written, as any change. */
	Author *b = load_name_only(s, "bob");
	b->karma = 9;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE name = 'bob'"), 9);
	CHECK_STR(db_text(engine, "SELECT email FROM authors WHERE name = 'bob'", text,
			  sizeof(text)),
		  "bob@x");
	rt_session_close(s);
}

/* rt_object_load_unloaded reads the rest and keeps the program's change. */
static void test_load_unloaded(void)
{
	seed();
	rt_session *s = open_session(engine);
	Author *a = load_name_only(s, "ada");
	CHECK_OK(Author_set_name(a, "changed"));
	CHECK_OK(rt_object_load_unloaded(a));
	CHECK_STR(a->name, "changed");
	CHECK_STR(a->email, "ada@x");
	CHECK_INT(a->karma, 3);
	CHECK(a->created_at.date.year > 2000);
	CHECK_INT(rt_object_is_loaded(a, Author_c.email.ref), 1);
	/* Loaded fields are clean: only the name is written. */
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'changed' AND "
				 "karma = 3 AND email = 'ada@x'"),
		  1);
	rt_session_close(s);
}

/* A later query of every column fills the unloaded fields of the same
 * object; a load-only query of an object the session has loses nothing. */
static void test_later_query_fills(void)
{
	seed();
	rt_session *s = open_session(engine);
	Author *a = load_name_only(s, "ada");
	CHECK_OK(Author_set_name(a, "kept"));
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.karma, 3)));
	Author *full = NULL;
	CHECK_OK(rt_query_one(q, &full)); /* autoflush writes "kept" first */
	rt_query_free(q);
	CHECK(full == a);
	CHECK_STR(a->name, "kept");
	CHECK_STR(a->email, "ada@x");
	CHECK_INT(rt_object_is_loaded(a, Author_c.karma.ref), 1);
	Author *again = load_name_only(s, "kept");
	CHECK(again == a);
	CHECK_STR(a->email, "ada@x");
	CHECK_INT(a->karma, 3);
	CHECK_INT(rt_object_is_loaded(a, Author_c.email.ref), 1);
	CHECK_OK(rt_session_rollback(s));
	rt_session_close(s);
}

/* refresh reads every column; an expired object loaded by a load-only
 * query has only those columns again. */
static void test_refresh_and_expire(void)
{
	seed();
	rt_session *s = open_session(engine);
	Author *a = load_name_only(s, "bob");
	CHECK_OK(rt_object_refresh(a));
	CHECK_STR(a->email, "bob@x");
	CHECK_INT(rt_object_is_loaded(a, Author_c.email.ref), 1);
	CHECK_OK(rt_object_expire(a));
	Author *b = load_name_only(s, "bob");
	CHECK(b == a);
	CHECK_INT(rt_object_is_loaded(a, Author_c.email.ref), 0);
	CHECK(a->email == NULL);
	CHECK_INT(rt_object_is_loaded(a, Author_c.name.ref), 1);
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(db_text(engine, "SELECT email FROM authors WHERE name = 'bob'", (char[64]){0},
			  64),
		  "bob@x");
	rt_session_close(s);
}

static void test_stream(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	rt_column_ref only[] = {Author_c.karma.ref};
	CHECK_OK(rt_query_load_only(q, only, 1));
	CHECK_OK(rt_query_order_by(q, Author_c.karma.ref, false));
	CHECK_OK(rt_query_stream(q));
	Author *a = NULL;
	int rows = 0;
	while (rt_query_next(q, &a) == RT_ROW) {
		CHECK(a->id > 0);
		CHECK(a->name == NULL);
		CHECK_INT(a->karma, rows == 0 ? 3 : 5);
		rows++;
	}
	CHECK_INT(rows, 2);
	rt_query_free(q);
	rt_session_close(s);
}

static void test_refusals(void)
{
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	rt_column_ref other[] = {Book_c.title.ref};
	CHECK(rt_query_load_only(q, other, 1) == RT_EINVAL);
	CHECK(message_has("not a column of Author"));
	rt_list out = {0};
	CHECK(rt_query_all(q, &out) == RT_EINVAL);
	rt_query_free(q);
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_unloaded_marked);
	RT_RUN(test_never_written_back);
	RT_RUN(test_load_unloaded);
	RT_RUN(test_later_query_fills);
	RT_RUN(test_refresh_and_expire);
	RT_RUN(test_stream);
	RT_RUN(test_refusals);
	rt_engine_free(engine);
	return rt_test_done();
}
