/*
 * test_setwrite.c - set-based UPDATE and DELETE (rt_query_update,
 * rt_query_delete) on every backend: the count returned, the rows changed
 * in the database, the session's matching objects updated or removed and
 * the others untouched, a changed object flushed before the statement,
 * column + value, joins, rollback and savepoints, an empty match, filters on text, enum
 * and NULL columns, and the refusals.
 */
#include "author_test.h"
#include "session_test.h"

static rt_engine *engine;

static Book *new_book(rt_session *s, Author *author, const char *title, int score)
{
	Book *b = NULL;
	CHECK_OK(Book_new(&b, s));
	if (!b)
		exit(1);
	CHECK_OK(Book_set_title(b, title));
	b->score = score;
	CHECK_OK(rt_object_link(author, "books", b));
	return b;
}

static rt_query *author_query(rt_session *s)
{
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	if (!q)
		exit(1);
	return q;
}

static Author *get_author(rt_session *s, const char *name)
{
	rt_query *q = author_query(s);
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, name)));
	Author *a = NULL;
	CHECK_OK(rt_query_one(q, &a));
	rt_query_free(q);
	if (!a)
		exit(1);
	return a;
}

static long long count_where(const char *table, const char *condition)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE %s", table, condition);
	return db_int(engine, sql);
}

/* Authors u1..u4 (karma 1, 5, 20, 30) and their books. */
static void seed(void)
{
	rt_session *s = open_session(engine);
	Author *a[4] = {new_author(s, "u1", "u1@x", 1), new_author(s, "u2", NULL, 5),
			new_author(s, "u3", "u3@x", 20), new_author(s, "u4", NULL, 30)};
	new_book(s, a[0], "b1a", 1);
	new_book(s, a[0], "b1b", 2);
	new_book(s, a[2], "b3a", 3);
	new_book(s, a[3], "b4a", 4);
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

/* The count, the rows, the matching object updated, the other one not. */
static void test_update(void)
{
	rt_session *s = open_session(engine);
	Author *low = get_author(s, "u1");
	Author *high = get_author(s, "u3");
	rt_query *q = author_query(s);
	CHECK_OK(rt_query_filter(q, rt_gt(q, Author_c.karma, 10)));
	rt_assignment set[] = {rt_set(Author_c.email, "vip@x"), rt_set(Author_c.karma, 100)};
	int64_t count = -1;
	CHECK_OK(rt_query_update(q, &count, set, 2));
	CHECK_INT(count, 2);
	rt_query_free(q);
	CHECK_STR(high->email, "vip@x");
	CHECK_INT(high->karma, 100);
	CHECK_STR(low->email, "u1@x");
	CHECK_INT(low->karma, 1);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("authors", "email = 'vip@x' AND karma = 100"), 2);
	CHECK_INT(count_where("authors", "name = 'u1' AND karma = 1"), 1);
	/* Not dirty: a change of another field writes only that one. */
	CHECK_OK(Author_set_email(high, "u3@x"));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("authors", "name = 'u3' AND karma = 100 AND email = 'u3@x'"), 1);
	rt_session_close(s);
}

/* A changed object is flushed before the statement, which then sees it. */
static void test_dirty_flushed_first(void)
{
	rt_session *s = open_session(engine);
	Author *a = get_author(s, "u2");
	a->karma = 77;
	rt_query *q = author_query(s);
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.karma, 77)));
	rt_assignment set[] = {rt_set(Author_c.email, "seen@x")};
	int64_t count = 0;
	CHECK_OK(rt_query_update(q, &count, set, 1));
	CHECK_INT(count, 1);
	rt_query_free(q);
	CHECK_STR(a->email, "seen@x");
	CHECK_INT(a->karma, 77);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("authors", "name = 'u2' AND karma = 77 AND email = 'seen@x'"), 1);
	rt_session_close(s);
}

/* column = column + value, read back into the object; a join picks the
 * rows by another model's column. */
static void test_add_and_join(void)
{
	rt_session *s = open_session(engine);
	Book *b = NULL;
	rt_query *q = NULL;
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.title, "b1a")));
	CHECK_OK(rt_query_one(q, &b));
	rt_query_free(q);
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "u1")));
	rt_assignment set[] = {rt_set_add(Book_c.score, 10), rt_set(Book_c.price, "9.50")};
	int64_t count = 0;
	CHECK_OK(rt_query_update(q, &count, set, 2));
	CHECK_INT(count, 2);
	rt_query_free(q);
	CHECK_INT(b->score, 11);
	CHECK_STR(b->price, "9.50");
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("books", "score = 11 OR score = 12"), 2);
	CHECK_INT(count_where("books", "price = 9.5"), 2);
	rt_session_close(s);
}

/* No row matches: count 0, nothing changes. */
static void test_empty_match(void)
{
	rt_session *s = open_session(engine);
	Author *a = get_author(s, "u1");
	rt_query *q = author_query(s);
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "nobody")));
	rt_assignment set[] = {rt_set(Author_c.karma, -1)};
	int64_t count = -1;
	CHECK_OK(rt_query_update(q, &count, set, 1));
	CHECK_INT(count, 0);
	CHECK_OK(rt_query_delete(q, &count));
	CHECK_INT(count, 0);
	rt_query_free(q);
	CHECK_INT(a->karma, 1);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("authors", "karma = -1"), 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 4);
	rt_session_close(s);
}

/* Rolled back: the rows and the objects as they were, the deleted object
 * back in the session and in its author's books. */
static void test_rollback(void)
{
	rt_session *s = open_session(engine);
	Author *a = get_author(s, "u1");
	CHECK_OK(rt_object_load(a, "books"));
	CHECK_INT(a->books.count, 2);
	Book *first = a->books.items[0];
	int score = first->score;
	rt_query *q = NULL;
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.author_id, a->id)));
	rt_assignment set[] = {rt_set(Book_c.score, 0)};
	CHECK_OK(rt_query_update(q, NULL, set, 1));
	CHECK_INT(first->score, 0);
	CHECK_OK(rt_query_delete(q, NULL));
	rt_query_free(q);
	CHECK_INT(a->books.count, 0);
	CHECK_OK(rt_session_rollback(s));
	/* Loaded in the undone transaction, the collection is unknown again
	 * (as after any rollback); loaded anew it holds the same objects. */
	if (a->books.loaded)
		CHECK_INT(a->books.count, 2);
	CHECK_OK(rt_object_load(a, "books"));
	CHECK_INT(a->books.count, 2);
	if (a->books.count != 2)
		exit(1);
	CHECK(a->books.items[0] == first || a->books.items[1] == first);
	CHECK_INT(first->score, score);
	Book *again = NULL;
	CHECK_OK(rt_object_get(&again, s, &Book_model, (rt_value_ref[]){rt_int(first->id)}));
	CHECK(again == first);
	CHECK_INT(count_where("books", "author_id IS NOT NULL"), 4);
	rt_session_close(s);
}

/* Deleted objects leave the session and their relatives; the others stay;
 * a later flush writes nothing for them. */
static void test_delete(void)
{
	rt_session *s = open_session(engine);
	Author *a = get_author(s, "u1");
	CHECK_OK(rt_object_load(a, "books"));
	CHECK_INT(a->books.count, 2);
	Book *gone = a->books.items[0];
	int64_t gone_id = gone->id;
	Book *kept = NULL;
	rt_query *q = NULL;
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.title, "b3a")));
	CHECK_OK(rt_query_one(q, &kept));
	rt_query_free(q);
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.author_id, a->id)));
	int64_t count = 0;
	CHECK_OK(rt_query_delete(q, &count));
	CHECK_INT(count, 2);
	rt_query_free(q);
	CHECK_INT(a->books.count, 0);
	Book *missing = NULL;
	CHECK(rt_object_get(&missing, s, &Book_model, (rt_value_ref[]){rt_int(gone_id)}) ==
	      RT_ENOTFOUND);
	CHECK(rt_object_delete(gone) == RT_EINVAL); /* out of the session */
	CHECK_STR(kept->title, "b3a");
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("books", "title LIKE 'b1%'"), 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 2);
	/* The author's collection stays right after the commit. */
	CHECK_OK(rt_object_load(a, "books"));
	CHECK_INT(a->books.count, 0);
	rt_session_close(s);
}

/* A delete through a to-many join ("authors with a book titled b4a"); a
 * book pointing to the deleted author lets go of it though the author's
 * books were never loaded; a savepoint's rollback brings both back. */
static void test_delete_join_savepoint(void)
{
	rt_session *s = open_session(engine);
	Book *book = NULL;
	rt_query *q = NULL;
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.title, "b4a")));
	CHECK_OK(rt_query_eager(q, &Book_model, "author"));
	CHECK_OK(rt_query_one(q, &book));
	rt_query_free(q);
	if (!book || !book->author)
		exit(1);
	Author *author = book->author;
	rt_savepoint *sp = NULL;
	CHECK_OK(rt_session_begin_nested(&sp, s));
	q = author_query(s);
	CHECK_OK(rt_query_join(q, &Author_model, "books"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.title, "b4a")));
	int64_t count = 0;
	CHECK_OK(rt_query_delete(q, &count));
	CHECK_INT(count, 1);
	CHECK(book->author == NULL);
	Author *missing = NULL;
	CHECK(rt_object_get(&missing, s, &Author_model, (rt_value_ref[]){rt_int(author->id)}) ==
	      RT_ENOTFOUND);
	CHECK_OK(rt_savepoint_rollback(sp));
	CHECK(book->author == author);
	Author *back = NULL;
	CHECK_OK(rt_object_get(&back, s, &Author_model, (rt_value_ref[]){rt_int(author->id)}));
	CHECK(back == author);
	CHECK_OK(rt_query_delete(q, &count));
	CHECK_INT(count, 1);
	rt_query_free(q);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("authors", "name = 'u4'"), 0);
	CHECK_INT(count_where("books", "title = 'b4a'"), 0); /* ON DELETE CASCADE */
	rt_session_close(s);
}

static Ticket *new_ticket(rt_session *s, const char *title, Mood state, const char *note)
{
	Ticket *t = NULL;
	CHECK_OK(Ticket_new(&t, s));
	if (!t)
		exit(1);
	CHECK_OK(Ticket_set_title(t, title));
	CHECK_OK(Ticket_set_note(t, note));
	t->state = state;
	return t;
}

/* Filters on an enum, a NULL text and a text column; an enum assigned;
 * column + value on a numeric. */
static void test_enum_null_text(void)
{
	rt_session *s = open_session(engine);
	Ticket *t1 = new_ticket(s, "t1", MOOD_HAPPY, NULL);
	Ticket *t2 = new_ticket(s, "t2", MOOD_SAD, "n2");
	Ticket *t3 = new_ticket(s, "t3", MOOD_SO_SO, NULL);
	CHECK_OK(Ticket_set_cost(t3, "1.25"));
	rt_query *q = NULL;
	CHECK_OK(Ticket_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Ticket_c.state, MOOD_SAD)));
	rt_assignment note[] = {rt_set(Ticket_c.note, "sad one")};
	int64_t count = 0;
	CHECK_OK(rt_query_update(q, &count, note, 1)); /* flushes the three first */
	CHECK_INT(count, 1);
	rt_query_free(q);
	CHECK_STR(t2->note, "sad one");
	CHECK(t1->note == NULL);

	CHECK_OK(Ticket_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_is_null(q, Ticket_c.note)));
	rt_assignment state[] = {rt_set(Ticket_c.state, MOOD_SO_SO), rt_set_add(Ticket_c.hits, 2)};
	CHECK_OK(rt_query_update(q, &count, state, 2));
	CHECK_INT(count, 2);
	rt_query_free(q);
	CHECK_INT(t1->state, MOOD_SO_SO);
	CHECK_INT(t1->hits, 2);
	CHECK_INT(t2->state, MOOD_SAD);
	CHECK_INT(t2->hits, 0);

	CHECK_OK(Ticket_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Ticket_c.title, "t3")));
	rt_assignment cost[] = {rt_set_add(Ticket_c.cost, "0.50"), rt_set_null(Ticket_c.note)};
	CHECK_OK(rt_query_update(q, &count, cost, 2));
	CHECK_INT(count, 1);
	CHECK_STR(t3->cost, "1.75");
	CHECK_OK(rt_query_delete(q, &count));
	CHECK_INT(count, 1);
	rt_query_free(q);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("tickets", "state = 'so-so'"), 1);
	CHECK_INT(count_where("tickets", "hits = 2"), 1);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM tickets"), 2);
	rt_session_close(s);
}

static void test_refusals(void)
{
	rt_session *s = open_session(engine);
	rt_query *q = author_query(s);
	rt_assignment set[] = {rt_set(Author_c.karma, 1)};
	CHECK_OK(rt_query_limit(q, 1));
	CHECK(rt_query_update(q, NULL, set, 1) == RT_EINVAL);
	CHECK(message_has("a limit"));
	CHECK(rt_query_delete(q, NULL) == RT_EINVAL);
	rt_query_free(q);
	q = author_query(s);
	rt_assignment key[] = {rt_set(Author_c.id, 5)};
	CHECK(rt_query_update(q, NULL, key, 1) == RT_EINVAL);
	CHECK(message_has("primary key"));
	CHECK(rt_query_update(q, NULL, set, 0) == RT_EINVAL);
	rt_assignment other[] = {rt_set(Book_c.score, 1)};
	CHECK(rt_query_update(q, NULL, other, 1) == RT_EINVAL);
	rt_assignment null[] = {rt_set_null(Author_c.name)};
	CHECK(rt_query_update(q, NULL, null, 1) == RT_EINVAL);
	CHECK(message_has("cannot be NULL"));
	rt_query_free(q);
	CHECK_INT(count_where("authors", "karma = 1 AND name <> 'u1'"), 0);
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	seed();
	RT_RUN(test_update);
	RT_RUN(test_dirty_flushed_first);
	RT_RUN(test_add_and_join);
	RT_RUN(test_empty_match);
	RT_RUN(test_rollback);
	RT_RUN(test_delete);
	RT_RUN(test_delete_join_savepoint);
	RT_RUN(test_enum_null_text);
	RT_RUN(test_refusals);
	rt_engine_free(engine);
	return rt_test_done();
}
