/*
 * test_recovery.c - the documented recovery after a flush fails: roll the
 * session back, add the new objects again, commit. After the rollback no
 * new object holds a key or server value the failed transaction gave it,
 * whatever statement failed and however far the flush got, so the second
 * commit inserts every row afresh.
 */
#include "session_test.h"
#include "orm/orm.h"

static rt_engine *engine;

static void fresh_engine(void)
{
	rt_engine_free(engine);
	engine = orm_test_engine();
}

static rt_object_state state_of(const void *object)
{
	rt_object *h = rt__object_header(object);
	return h ? h->state : (rt_object_state)0;
}

static Author *author(rt_session *s, const char *name)
{
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	if (a)
		CHECK_OK(Author_set_name(a, name));
	return a;
}

/* Several new authors, one of them a duplicate: the INSERT of the batch
 * fails part-way (some rows were inserted and got their ids first). */
static void test_failed_insert_batch(int count, int duplicate_at)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('taken', 0)");
	rt_session *s = open_session(engine);
	Author *made[16] = {0};
	char name[32];
	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "a%d", i);
		made[i] = author(s, i == duplicate_at ? "taken" : name);
		if (!made[i])
			return;
	}
	CHECK_INT(rt_session_commit(s), RT_ECONSTRAINT);
	CHECK_OK(rt_session_rollback(s));
	for (int i = 0; i < count; i++) {
		CHECK_INT(made[i]->id, 0);
		CHECK_INT(state_of(made[i]), RT_STATE_DETACHED);
		CHECK_INT(made[i]->created_at.date.year, 0);
	}
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 1);
	/* The recovery: fix the value, add them all again, commit. */
	CHECK_OK(Author_set_name(made[duplicate_at], "fixed"));
	for (int i = 0; i < count; i++)
		CHECK_OK(rt_object_add(s, made[i]));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), count + 1);
	for (int i = 0; i < count; i++) {
		CHECK(made[i]->id > 0);
		CHECK(made[i]->created_at.date.year > 2000);
	}
	rt_session_close(s);
}

static void test_duplicate_last(void)
{
	test_failed_insert_batch(5, 4);
}

static void test_duplicate_first(void)
{
	test_failed_insert_batch(5, 0);
}

static void test_single_insert(void)
{
	test_failed_insert_batch(1, 0);
}

/* Parents inserted, then a child's INSERT fails (a CHECK constraint): the
 * parents' ids are cleared too, and the children's copies of them. */
static void test_failed_child_insert(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *a = author(s, "parent");
	Book *good = NULL, *bad = NULL;
	CHECK_OK(Book_new(&good, s));
	CHECK_OK(Book_new(&bad, s));
	if (!a || !good || !bad)
		return;
	CHECK_OK(Book_set_title(good, "good"));
	CHECK_OK(Book_set_title(bad, "bad"));
	CHECK_OK(Book_set_price(bad, "-1.00"));
	CHECK_OK(Book_set_author(good, a));
	CHECK_OK(Book_set_author(bad, a));
	CHECK_INT(rt_session_commit(s), RT_ECONSTRAINT);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(a->id, 0);
	CHECK_INT(good->id, 0);
	CHECK_INT(bad->id, 0);
	CHECK_OK(Book_set_price(bad, "1.00"));
	CHECK_OK(rt_object_add(s, a));
	CHECK_OK(rt_object_add(s, good));
	CHECK_OK(rt_object_add(s, bad));
	CHECK_OK(rt_session_commit(s));
	CHECK(a->id > 0 && good->id > 0 && bad->id > 0);
	CHECK_INT(good->author_id, a->id);
	CHECK_INT(bad->author_id, a->id);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 2);
	rt_session_close(s);
}

/* The same inside a savepoint: rolling the savepoint back clears what the
 * failed flush gave, and the outer transaction commits the retry. */
static void test_failed_flush_in_savepoint(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('taken', 0)");
	rt_session *s = open_session(engine);
	Author *keep = author(s, "keep");
	CHECK_OK(rt_session_flush(s));
	rt_savepoint *sp = NULL;
	CHECK_OK(rt_session_begin_nested(&sp, s));
	Author *x = author(s, "x");
	Author *dup = author(s, "taken");
	if (!keep || !x || !dup || !sp)
		return;
	CHECK_INT(rt_session_flush(s), RT_ECONSTRAINT);
	CHECK_OK(rt_savepoint_rollback(sp));
	CHECK_INT(x->id, 0);
	CHECK_INT(dup->id, 0);
	CHECK(keep->id > 0);
	CHECK_OK(Author_set_name(dup, "free"));
	CHECK_OK(rt_object_add(s, x));
	CHECK_OK(rt_object_add(s, dup));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 4);
	rt_session_close(s);
}

/* A new child of a persistent parent, detached by the rollback and added
 * again: the parent's collection holds it again, once, so unlinking it
 * later is seen as an orphan and deletes it. */
static void test_readded_child_rejoins_parent(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (name, karma) VALUES ('taken', 0)");
	rt_session *s = open_session(engine);
	Author *a = author(s, "parent");
	CHECK_OK(rt_session_commit(s));
	Book *b = NULL;
	CHECK_OK(Book_new(&b, s));
	if (!a || !b)
		return;
	CHECK_OK(Book_set_title(b, "child"));
	CHECK_OK(Book_set_author(b, a));
	CHECK_INT(a->books.count, 1);
	Author *dup = author(s, "taken");
	CHECK_INT(rt_session_commit(s), RT_ECONSTRAINT);
	CHECK_OK(rt_session_rollback(s));
	CHECK(b->author == a); /* the program's link, kept */
	CHECK_OK(rt_object_add(s, b));
	CHECK_OK(rt_session_commit(s));
	/* The rollback may leave the collection unknown (unloaded); loaded,
	 * it holds the child exactly once. */
	if (!a->books.loaded)
		CHECK_OK(Author_load_books(a));
	CHECK(a->books.count == 1 && a->books.items[0] == b);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 1);
	CHECK_OK(Author_remove_books(a, b)); /* delete orphan */
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 0);
	(void)dup;
	rt_session_close(s);
}

int main(void)
{
	RT_RUN(test_duplicate_last);
	RT_RUN(test_duplicate_first);
	RT_RUN(test_single_insert);
	RT_RUN(test_failed_child_insert);
	RT_RUN(test_failed_flush_in_savepoint);
	RT_RUN(test_readded_child_rejoins_parent);
	rt_engine_free(engine);
	return rt_test_done();
}
