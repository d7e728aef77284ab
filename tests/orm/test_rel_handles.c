/*
 * test_rel_handles.c - the relationship handles `retort gen` writes
 * (Author_r.books) on every backend: joins, eager loading, load, link and
 * unlink through them give what the string forms give, and a handle of
 * another model is refused. That a misspelt handle does not compile is
 * gen_relationship_names_* (compile_relationship_names.sh).
 */
#include "session_test.h"

static rt_engine *engine;

static void seed(void)
{
	db_exec(engine, "DELETE FROM authors");
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('ada', 1)");
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('bob', 2)");
	db_exec(engine, "INSERT INTO books (author_id, title, score) "
			"SELECT id, 'Notes', 5 FROM authors WHERE name = 'ada'");
}

static void test_join_and_eager(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_join_rel(q, Author_r.books));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.title, "Notes")));
	CHECK_OK(rt_query_eager_rel(q, Author_r.books));
	rt_list found = {0};
	CHECK_OK(rt_query_all(q, &found));
	CHECK_INT(found.count, 1);
	if (found.count == 1) {
		const Author *a = found.items[0];
		CHECK_STR(a->name, "ada");
		CHECK(a->books.loaded);
		CHECK_INT(a->books.count, 1);
	}
	rt_query_free(q);
	rt_session_close(s);
}

static void test_load_link_unlink(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "bob")));
	Author *bob = NULL;
	CHECK_OK(rt_query_one(q, &bob));
	rt_query_free(q);
	if (!bob)
		return;
	CHECK_OK(rt_object_load_rel(bob, Author_r.books));
	CHECK(bob->books.loaded);
	CHECK_INT(bob->books.count, 0);
	Book *b = NULL;
	CHECK_OK(Book_new(&b, s));
	CHECK_OK(Book_set_title(b, "Drafts"));
	CHECK_OK(rt_object_link_rel(bob, Author_r.books, b));
	CHECK(b->author == bob);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books b JOIN authors a ON a.id = "
				 "b.author_id WHERE a.name = 'bob'"),
		  1);
	CHECK_OK(rt_object_unlink_rel(bob, Author_r.books, b));
	CHECK_INT(bob->books.count, 0);
	/* A handle of another model. */
	CHECK(rt_object_load_rel(b, Author_r.books) == RT_EINVAL);
	CHECK(message_has("not a relationship of Book"));
	rt_relationship_ref bad = {&Author_model, 99};
	CHECK(rt_object_load_rel(bob, bad) == RT_EINVAL);
	CHECK_OK(rt_session_rollback(s));
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_join_and_eager);
	RT_RUN(test_load_link_unlink);
	rt_engine_free(engine);
	return rt_test_done();
}
