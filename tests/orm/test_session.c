/*
 * test_session.c - objects and sessions: new objects with client and
 * server defaults, ids read back, the identity map, UPDATE of only the
 * changed columns, commit, rollback (values restored, new objects
 * expunged and addable again), savepoints, expire/expunge, scoped
 * sessions. What was written is checked from a connection of its own.
 */
#include <pthread.h>

#include "session_test.h"
#include "orm/orm.h"

static rt_engine *engine;

/* Each test starts from empty tables on an engine of its own (a pooled
 * SQLite connection would keep the removed file of the last test open). */
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

static void test_new_and_commit(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *ann = NULL;
	CHECK_OK(Author_new(&ann, s));
	CHECK(ann != NULL);
	if (!ann)
		return;
	CHECK_INT(state_of(ann), RT_STATE_PENDING);
	CHECK_INT(ann->id, 0);
	CHECK(ann->books.loaded && ann->tags.loaded); /* new: nothing to load */
	CHECK_OK(Author_set_name(ann, "Ann"));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(state_of(ann), RT_STATE_PERSISTENT);
	/* Autoincrement and server defaults come back from the database. */
	CHECK(ann->id > 0);
	CHECK_INT(ann->karma, 0);
	CHECK(ann->created_at.date.year >= 2024);
	CHECK_STR(ann->name, "Ann"); /* still readable after commit */
	CHECK(ann->email == NULL);
	char text[128], sql[128];
	snprintf(sql, sizeof(sql), "SELECT name FROM authors WHERE id = %lld", (long long)ann->id);
	CHECK_STR(db_text(engine, sql, text, sizeof(text)), "Ann");

	/* Client-side defaults: Book.score defaults to 0 with no server
	 * default, so the INSERT names it; a field set differently wins. */
	Book *b1 = NULL, *b2 = NULL;
	CHECK_OK(Book_new(&b1, s));
	CHECK_OK(Book_new(&b2, s));
	CHECK_OK(Book_set_title(b1, "One"));
	CHECK_OK(Book_set_title(b2, "Two"));
	b2->score = 7;
	CHECK_OK(Book_set_author(b1, ann));
	CHECK_OK(Book_set_author(b2, ann));
	CHECK(ann->books.count == 2);
	CHECK_OK(rt_session_commit(s));
	CHECK(b1->author_id == ann->id && b2->author_id == ann->id);
	CHECK(b1->id > 0 && b2->id == b1->id + 1);
	snprintf(sql, sizeof(sql), "SELECT score FROM books WHERE id = %lld", (long long)b1->id);
	CHECK_INT(db_int(engine, sql), 0);
	snprintf(sql, sizeof(sql), "SELECT score FROM books WHERE id = %lld", (long long)b2->id);
	CHECK_INT(db_int(engine, sql), 7);

	/* A server-default column given a value of its own is written; so is
	 * an autoincrement key (PostgreSQL's identity takes it: BY DEFAULT). */
	Author *bob = NULL;
	CHECK_OK(Author_new(&bob, s));
	CHECK_OK(Author_set_name(bob, "bob"));
	bob->karma = 5;
	bob->id = 100;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE id = 100"), 5);
	CHECK_INT(bob->id, 100);

	/* Server defaults come back for every row of a batch: keys the
	 * database gave (consecutive) and keys the program gave (not). */
	Author *many[5];
	const char *names[5] = {"c1", "c2", "c3", "k1", "k2"};
	for (int i = 0; i < 5; i++) {
		CHECK_OK(Author_new(&many[i], s));
		if (!many[i])
			return;
		CHECK_OK(Author_set_name(many[i], names[i]));
	}
	many[3]->id = 700;
	many[4]->id = 500;
	CHECK_OK(rt_session_commit(s));
	for (int i = 0; i < 5; i++) {
		CHECK(many[i]->created_at.date.year >= 2024);
		CHECK(many[i]->created_at.date.month >= 1);
	}
	CHECK(many[1]->id == many[0]->id + 1 && many[2]->id == many[1]->id + 1);
	CHECK_INT(many[3]->id, 700);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 7);
	rt_session_close(s);
}

static void test_identity_map(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (id, name, karma) VALUES (1000, 'Ann', 3)");
	rt_session *s = open_session(engine);
	Author *a = NULL, *b = NULL;
	CHECK_OK(Author_get(&a, s, 1000));
	CHECK_OK(Author_get(&b, s, 1000));
	CHECK(a != NULL && a == b);
	/* A new object gets into the map when inserted. */
	Author *n = NULL, *again = NULL;
	CHECK_OK(Author_new(&n, s));
	CHECK_OK(Author_set_name(n, "New"));
	CHECK_OK(rt_session_flush(s));
	CHECK_OK(Author_get(&again, s, n->id));
	CHECK(again == n);
	/* Another session has its own objects. */
	rt_session *t = open_session(engine);
	Author *c = NULL;
	CHECK_OK(Author_get(&c, t, 1000));
	CHECK(c != NULL && c != a);
	rt_session_close(t);
	rt_session_close(s);
}

/* Keys that an identity map of integer hashes piles up: a stride of 65536
 * (every key in the same slot of any table up to that size) and a range
 * that wraps onto it. Each row is still one object, found again by key. */
static void test_identity_map_awkward_keys(void)
{
	enum { N = 3000 };
	fresh_engine();
	rt_session *s = open_session(engine);
	char name[32];
	for (int i = 1; i <= 2 * N; i++) {
		Author *a = NULL;
		CHECK_OK(Author_new(&a, s));
		if (!a)
			break;
		a->id = i <= N ? (int64_t)i * 65536 : (int64_t)(i - N);
		snprintf(name, sizeof(name), "a%d", i);
		CHECK_OK(Author_set_name(a, name));
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);

	s = open_session(engine);
	rt_query *q = NULL;
	rt_list all = {0};
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_all(q, &all));
	rt_query_free(q);
	CHECK_INT((int)all.count, 2 * N);
	int same = 0;
	for (size_t i = 0; i < all.count; i++) {
		Author *a = all.items[i], *again = NULL;
		CHECK_OK(Author_get(&again, s, a->id));
		same += again == a;
	}
	CHECK_INT(same, 2 * N);
	/* Deleted ones leave the map; the others stay found. */
	for (size_t i = 0; i < all.count; i += 2)
		CHECK_OK(Author_delete(all.items[i]));
	CHECK_OK(rt_session_flush(s));
	same = 0;
	for (size_t i = 1; i < all.count; i += 2) {
		Author *a = all.items[i], *again = NULL;
		CHECK_OK(Author_get(&again, s, a->id));
		same += again == a;
	}
	CHECK_INT(same, N);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), N);
	rt_session_close(s);
}

static void test_update_changed_columns_only(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (id, name, email, karma) VALUES (1000, 'Ann', 'a@x', 3)");
	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_get(&a, s, 1000));
	CHECK_OK(rt_session_commit(s)); /* ends the read transaction */
	/* Someone else changes the email meanwhile. */
	db_exec(engine, "UPDATE authors SET email = 'other@x' WHERE id = 1000");
	CHECK_OK(Author_set_name(a, "Anne"));
	a->karma = 4;
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(db_text(engine, "SELECT name FROM authors WHERE id = 1000", text, sizeof(text)),
		  "Anne");
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE id = 1000"), 4);
	/* The UPDATE named only name and karma: the email is the other one. */
	CHECK_STR(db_text(engine, "SELECT email FROM authors WHERE id = 1000", text, sizeof(text)),
		  "other@x");
	/* Nothing changed: a commit writes nothing (no error either). */
	CHECK_OK(rt_session_commit(s));

	/* The row vanished under the session: the update says so. */
	db_exec(engine, "DELETE FROM authors WHERE id = 1000");
	a->karma = 9;
	CHECK_INT(rt_session_commit(s), RT_ENOTFOUND);
	CHECK(strstr(rt_error_last()->message, "authors") != NULL);
	CHECK(strstr(rt_error_last()->message, "id=1000") != NULL);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(a->karma, 4);
	rt_session_close(s);
}

static void test_many_updates_batched(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	enum { N = 300 };
	Book *books[N];
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Author_set_name(a, "A"));
	for (int i = 0; i < N; i++) {
		CHECK_OK(Book_new(&books[i], s));
		char title[32];
		snprintf(title, sizeof(title), "b%d", i);
		CHECK_OK(Book_set_title(books[i], title));
		CHECK_OK(Author_add_books(a, books[i]));
	}
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), N);
	/* Two column sets: even books change the score, odd ones the title. */
	for (int i = 0; i < N; i++) {
		if (i % 2)
			CHECK_OK(Book_set_title(books[i], "odd"));
		else
			books[i]->score = i;
	}
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books WHERE title = 'odd'"), N / 2);
	CHECK_INT(db_int(engine, "SELECT SUM(score) FROM books"), (N / 2 - 1) * (N / 2));
	rt_session_close(s);
}

/* More new rows than one multi-row INSERT takes (100 a statement on an
 * embedded database, 1,000 on a server), and not a multiple of it: every
 * object gets the key of its own row, the last statement taking the rest. */
static void test_many_inserts_keys(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	enum { N = 1250 };
	static Book *books[N];
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Author_set_name(a, "A"));
	for (int i = 0; i < N; i++) {
		CHECK_OK(Book_new(&books[i], s));
		char title[32];
		snprintf(title, sizeof(title), "k%d", i);
		CHECK_OK(Book_set_title(books[i], title));
		CHECK_OK(Author_add_books(a, books[i]));
	}
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), N);
	int wrong = 0;
	for (int i = 0; i < N; i++) {
		char sql[96];
		snprintf(sql, sizeof(sql), "SELECT id FROM books WHERE title = 'k%d'", i);
		wrong += books[i] && db_int(engine, sql) != books[i]->id;
	}
	CHECK_INT(wrong, 0);
	rt_session_close(s);
}

static void test_rollback(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (id, name, karma) VALUES (1000, 'Ann', 3)");
	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_get(&a, s, 1000));
	if (!a)
		return;
	CHECK_OK(Author_set_name(a, "Changed"));
	a->karma = 99;
	Author *n = NULL;
	CHECK_OK(Author_new(&n, s));
	CHECK_OK(Author_set_name(n, "New"));
	CHECK_OK(rt_session_flush(s)); /* written, not committed */
	int64_t new_id = n->id;
	CHECK(new_id > 0);
	CHECK_OK(rt_session_rollback(s));
	/* Back to the committed values; the new object left the session. */
	CHECK_STR(a->name, "Ann");
	CHECK_INT(a->karma, 3);
	CHECK_INT(state_of(a), RT_STATE_PERSISTENT);
	CHECK_INT(state_of(n), RT_STATE_DETACHED);
	CHECK_STR(n->name, "New"); /* the program's values are kept */
	CHECK_INT(n->id, 0);        /* the database's id is not */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 1);
	Author *again = NULL;
	CHECK_OK(Author_get(&again, s, 1000));
	CHECK(again == a);

	/* Unflushed changes are undone too, and a deleted object comes back. */
	a->karma = 50;
	CHECK_OK(Author_delete(a));
	CHECK_INT(state_of(a), RT_STATE_DELETED);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(a->karma, 3);
	CHECK_INT(state_of(a), RT_STATE_PERSISTENT);

	/* A flushed delete, rolled back: persistent and in the map again. */
	CHECK_OK(Author_delete(a));
	CHECK_OK(rt_session_flush(s));
	CHECK_INT(state_of(a), RT_STATE_GONE);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(state_of(a), RT_STATE_PERSISTENT);
	CHECK_OK(Author_get(&again, s, 1000));
	CHECK(again == a);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 1);

	/* The expunged new object can be added again and committed. */
	CHECK_OK(rt_object_add(s, n));
	CHECK_INT(state_of(n), RT_STATE_PENDING);
	CHECK_OK(rt_session_commit(s));
	CHECK(n->id > 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'New'"), 1);
	rt_session_close(s);
}

static void test_rollback_collections(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *a = NULL;
	Book *b = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Author_set_name(a, "A"));
	CHECK_OK(Book_new(&b, s));
	CHECK_OK(Book_set_title(b, "kept"));
	CHECK_OK(Author_add_books(a, b));
	CHECK_OK(rt_session_commit(s));

	Book *c = NULL;
	CHECK_OK(Book_new(&c, s));
	CHECK_OK(Book_set_title(c, "dropped"));
	CHECK_OK(Author_add_books(a, c));
	CHECK_INT(a->books.count, 2);
	CHECK_OK(rt_session_flush(s));
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(a->books.count, 1);
	CHECK(a->books.count == 1 && a->books.items[0] == b);
	CHECK(a->books.loaded);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 1);

	/* A savepoint undone, then a commit (which frees the journal): the
	 * restored collection and its snapshot live on in the session. */
	rt_savepoint *sp = NULL;
	CHECK_OK(rt_session_begin_nested(&sp, s));
	CHECK_OK(Book_new(&c, s));
	CHECK_OK(Book_set_title(c, "inner"));
	CHECK_OK(Author_add_books(a, c));
	CHECK_OK(rt_session_flush(s));
	CHECK_OK(rt_savepoint_rollback(sp));
	CHECK_OK(rt_session_commit(s));
	CHECK(a->books.count == 1 && a->books.items[0] == b);
	Book *d = NULL;
	CHECK_OK(Book_new(&d, s));
	CHECK_OK(Book_set_title(d, "after"));
	CHECK_OK(Author_add_books(a, d));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 2);
	int64_t id = a->id;
	rt_session_close(s);

	/* Added to a collection never loaded, then rolled back: the
	 * collection is unloaded and empty again, and loads what is there. */
	s = open_session(engine);
	Author *again = NULL;
	CHECK_OK(Author_get(&again, s, id));
	if (!again)
		return;
	CHECK(!again->books.loaded);
	CHECK_OK(Book_new(&c, s));
	CHECK_OK(Book_set_title(c, "gone"));
	CHECK_OK(Author_add_books(again, c));
	CHECK_INT(again->books.count, 1);
	CHECK_OK(rt_session_flush(s));
	CHECK_OK(rt_session_rollback(s));
	CHECK(!again->books.loaded && again->books.count == 0);
	CHECK_OK(rt_session_commit(s));
	CHECK_OK(Author_load_books(again));
	CHECK(again->books.loaded);
	CHECK_INT(again->books.count, 2);
	rt_session_close(s);
}

static void test_savepoints(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (id, name, karma) VALUES (1000, 'Ann', 1)");
	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_get(&a, s, 1000));
	if (!a)
		return;
	a->karma = 2;
	rt_savepoint *sp = NULL;
	CHECK_OK(rt_session_begin_nested(&sp, s)); /* flushes karma = 2 */
	a->karma = 3;
	Author *n = NULL;
	CHECK_OK(Author_new(&n, s));
	CHECK_OK(Author_set_name(n, "inner"));
	CHECK_OK(rt_session_flush(s));
	CHECK_OK(rt_savepoint_rollback(sp));
	CHECK_INT(a->karma, 2);
	CHECK_INT(state_of(n), RT_STATE_DETACHED);
	/* The savepoint is done: using it again is an error, not a crash. */
	CHECK_INT(rt_savepoint_release(sp), RT_EINVAL);

	rt_savepoint *outer = NULL, *inner = NULL;
	CHECK_OK(rt_session_begin_nested(&outer, s));
	a->karma = 4;
	CHECK_OK(rt_session_begin_nested(&inner, s));
	a->karma = 5;
	/* Innermost first. */
	CHECK_INT(rt_savepoint_release(outer), RT_EINVAL);
	CHECK_OK(rt_savepoint_release(inner));
	CHECK_INT(a->karma, 5);
	CHECK_OK(rt_savepoint_rollback(outer));
	CHECK_INT(a->karma, 2);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE id = 1000"), 2);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 1);

	/* Released savepoints keep their work until the outer rollback. */
	CHECK_OK(rt_session_begin_nested(&sp, s));
	a->karma = 7;
	CHECK_OK(rt_savepoint_release(sp));
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(a->karma, 2);
	CHECK_OK(rt_session_begin_nested(&sp, s));
	a->karma = 8;
	CHECK_OK(rt_savepoint_release(sp));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE id = 1000"), 8);

	/* Inserted in a released savepoint: a later savepoint's rollback
	 * keeps it, the transaction's rollback does not. */
	CHECK_OK(rt_session_begin_nested(&sp, s));
	Author *x = NULL;
	CHECK_OK(Author_new(&x, s));
	CHECK_OK(Author_set_name(x, "x"));
	CHECK_OK(rt_savepoint_release(sp));
	CHECK_INT(state_of(x), RT_STATE_PERSISTENT);
	CHECK_OK(rt_session_begin_nested(&sp, s));
	CHECK_OK(rt_savepoint_rollback(sp));
	CHECK_INT(state_of(x), RT_STATE_PERSISTENT);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(state_of(x), RT_STATE_DETACHED);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 1);
	rt_session_close(s);
}

static void test_expire_expunge(void)
{
	fresh_engine();
	db_exec(engine, "INSERT INTO authors (id, name, karma) VALUES (1000, 'Ann', 1)");
	rt_session *s = open_session(engine);
	Author *a = NULL, *again = NULL;
	CHECK_OK(Author_get(&a, s, 1000));
	CHECK_OK(rt_session_commit(s));
	db_exec(engine, "UPDATE authors SET karma = 6 WHERE id = 1000");
	/* The identity map keeps the session's view until told otherwise. */
	CHECK_OK(Author_get(&again, s, 1000));
	CHECK_INT(again->karma, 1);
	CHECK_OK(rt_object_expire(a));
	rt_query *q = NULL;
	rt_list all = {0};
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_all(q, &all));
	rt_query_free(q);
	CHECK_INT(a->karma, 6);
	CHECK_OK(rt_object_refresh(a));

	CHECK_OK(rt_object_expunge(a));
	CHECK_INT(state_of(a), RT_STATE_DETACHED);
	CHECK_OK(Author_get(&again, s, 1000));
	CHECK(again != NULL && again != a);
	CHECK_INT(rt_object_expire(a), RT_EINVAL); /* not persistent any more */
	/* A change to the expunged one is not written. */
	a->karma = 100;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE id = 1000"), 6);
	/* While another object stands for the row, it cannot come back. */
	CHECK_INT(rt_object_add(s, a), RT_EINVAL);
	CHECK_OK(rt_object_expunge(again));
	/* Now it can, with the change made while it was out. */
	CHECK_OK(rt_object_add(s, a));
	CHECK_INT(state_of(a), RT_STATE_PERSISTENT);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE id = 1000"), 100);

	/* A new primary key: UPDATE ... WHERE the old one, map follows. */
	a->id = 2000;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE id = 2000"), 1);
	CHECK_OK(Author_get(&again, s, 2000));
	CHECK(again == a);
	rt_session_close(s);
}

static void *scoped_thread(void *arg)
{
	rt_session **out = arg;
	rt_session *s = NULL;
	if (rt_session_scoped(&s, engine) == RT_OK)
		*out = s;
	/* Ends without rt_session_scoped_remove: the thread's exit closes it. */
	return NULL;
}

static void test_scoped(void)
{
	rt_session *a = NULL, *b = NULL, *other = NULL;
	CHECK_OK(rt_session_scoped(&a, engine));
	CHECK_OK(rt_session_scoped(&b, engine));
	CHECK(a != NULL && a == b);
	pthread_t thread;
	CHECK_INT(pthread_create(&thread, NULL, scoped_thread, &other), 0);
	pthread_join(thread, NULL);
	CHECK(other != NULL && other != a);
	rt_session_scoped_remove(engine);
	/* a is closed: a new one comes. */
	CHECK_INT(rt_session_commit(a), RT_EINVAL);
	CHECK_OK(rt_session_scoped(&b, engine));
	CHECK(b != NULL);
	/* Freeing the engine (in main) closes this one. */
}

int main(void)
{
	RT_RUN(test_new_and_commit);
	RT_RUN(test_identity_map);
	RT_RUN(test_identity_map_awkward_keys);
	RT_RUN(test_update_changed_columns_only);
	RT_RUN(test_many_updates_batched);
	RT_RUN(test_many_inserts_keys);
	RT_RUN(test_rollback);
	RT_RUN(test_rollback_collections);
	RT_RUN(test_savepoints);
	RT_RUN(test_expire_expunge);
	RT_RUN(test_scoped);
	rt_engine_free(engine);
	return rt_test_done();
}
