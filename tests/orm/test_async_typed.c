/*
 * test_async_typed.c - the typed operations of the non-blocking API
 * (retort/async.h) and the typed variants `retort gen` writes, on a real
 * database driven by the shipped epoll loop: each operation with its
 * result checked, errors included (one() with no row, a unique violation
 * at commit); one operation at a time per session; 1,000 typed operations
 * in flight over a pool of 4; closing a session with an operation in
 * flight, before it starts, while it waits for a connection and while it
 * waits for the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/wait.h"
#include "session_test.h"
#include "retort/async.h"
#include "retort/async_epoll.h"

#define AUTHORS 50
#define OPS 1000

static rt_engine *engine;

/* --- the loop ------------------------------------------------------------------------ */

typedef struct loop {
	rt_epoll_loop epoll;
	rt_async *async;
} loop;

static void loop_open(loop *l)
{
	memset(l, 0, sizeof(*l));
	CHECK_INT(rt_epoll_loop_init(&l->epoll), 0);
	CHECK_OK(rt_async_new(&l->async, engine, &l->epoll.callbacks, &l->epoll));
	l->epoll.async = l->async;
}

static void loop_close(loop *l)
{
	rt_async_free(l->async);
	rt_epoll_loop_close(&l->epoll);
}

/* Turns the loop until *calls is non-zero (or a minute passed). */
static void drive(loop *l, const int *calls)
{
	int64_t began = rt__now_ms();
	while (!*calls && rt__now_ms() - began < 60000)
		rt_epoll_loop_run_once(&l->epoll, 100);
	CHECK(*calls);
}

/* --- what the callbacks got ------------------------------------------------------------ */

typedef struct result {
	int calls;
	int rc;
	char error[200];
	rt_async_op *op;
	Author *author;
	Book *book;
	rt_list *list;
	int64_t count;
	bool exists;
	int rows;
	int64_t id_sum;
	int stop_after; /* the row callback's RT_DONE after this many rows */
	int fail_after; /* its error after this many rows */
} result;

static void got(result *r, rt_async_op *op, int rc)
{
	r->calls++;
	r->rc = rc;
	r->op = op;
	snprintf(r->error, sizeof(r->error), "%s", rc < 0 ? rt_error_last()->message : "");
}

static void on_done(rt_async_op *op, int rc, void *user)
{
	got(user, op, rc);
}

static void on_author(rt_async_op *op, int rc, Author *author, void *user)
{
	result *r = user;
	got(r, op, rc);
	r->author = author;
}

static void on_book(rt_async_op *op, int rc, Book *book, void *user)
{
	result *r = user;
	got(r, op, rc);
	r->book = book;
}

static void on_object(rt_async_op *op, int rc, void *object, void *user)
{
	result *r = user;
	got(r, op, rc);
	r->author = object;
}

static void on_list(rt_async_op *op, int rc, rt_list *list, void *user)
{
	result *r = user;
	got(r, op, rc);
	r->list = list;
}

static void on_count(rt_async_op *op, int rc, int64_t count, void *user)
{
	result *r = user;
	got(r, op, rc);
	r->count = count;
}

static void on_exists(rt_async_op *op, int rc, bool exists, void *user)
{
	result *r = user;
	got(r, op, rc);
	r->exists = exists;
}

static int on_row(void *object, void *user)
{
	result *r = user;
	const Author *a = object;
	r->rows++;
	r->id_sum += a->id;
	if (r->fail_after && r->rows == r->fail_after)
		return RT_ENOTFOUND;
	if (r->stop_after && r->rows == r->stop_after)
		return RT_DONE;
	return RT_OK;
}

/* --- seed ----------------------------------------------------------------------------- */

static void seed(void)
{
	rt_session *s = open_session(engine);
	for (int i = 1; i <= AUTHORS; i++) {
		Author *a = NULL;
		char name[32];
		snprintf(name, sizeof(name), "author %d", i);
		CHECK_OK(Author_new(&a, s));
		CHECK_OK(Author_set_name(a, name));
	}
	CHECK_OK(rt_session_commit(s));
	for (int i = 1; i <= 3; i++) {
		Book *b = NULL;
		char title[32];
		snprintf(title, sizeof(title), "book %d", i);
		CHECK_OK(Book_new(&b, s));
		if (!b)
			exit(1); /* the seed must hold for every test after it */
		CHECK_OK(Book_set_title(b, title));
		b->author_id = 1;
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

/* A query of authors named like pattern, ordered by id. */
static rt_query *authors_like(rt_session *s, const char *pattern)
{
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_like(q, Author_c.name, pattern)));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	return q;
}

/* --- each operation ---------------------------------------------------------------------- */

static void test_get(void)
{
	loop l;
	loop_open(&l);
	rt_session *s = open_session(engine);
	result r = {0};
	rt_async_op *op = NULL;
	CHECK_OK(Author_get_async(l.async, &op, s, 3, on_author, &r));
	CHECK(op != NULL);
	CHECK_INT(r.calls, 0); /* never from the starting call */
	drive(&l, &r.calls);
	CHECK_INT(r.calls, 1);
	CHECK_INT(r.rc, RT_OK);
	CHECK(r.op == op);
	CHECK(r.author != NULL);
	if (r.author) {
		CHECK_INT(r.author->id, 3);
		CHECK_STR(r.author->name, "author 3");
	}
	/* The same identity map as the blocking API. */
	Author *same = NULL;
	CHECK_OK(Author_get(&same, s, 3));
	CHECK(same == r.author);

	/* A missing key: RT_ENOTFOUND and no object. */
	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_get_async(l.async, NULL, s, 9999, on_author, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_ENOTFOUND);
	CHECK(r.author == NULL);

	/* The untyped form, with a text key copied before the call returns. */
	memset(&r, 0, sizeof(r));
	rt_value_ref key[1] = {rt_int(7)};
	CHECK_OK(rt_async_object_get(l.async, NULL, s, &Author_model, key, on_object, &r));
	key[0] = rt_int(8);
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(r.author && r.author->id == 7);

	/* Bad arguments fail at once. */
	CHECK_INT(rt_async_object_get(l.async, NULL, s, &Author_model, NULL, on_object, &r),
		  RT_EINVAL);
	CHECK_INT(Author_get_async(NULL, NULL, s, 1, on_author, &r), RT_EINVAL);
	rt_session_close(s);
	loop_close(&l);
}

static void test_query_results(void)
{
	loop l;
	loop_open(&l);
	rt_session *s = open_session(engine);
	result r = {0};

	rt_query *q = authors_like(s, "author 1_");
	CHECK_OK(Author_first_async(l.async, NULL, q, on_author, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(r.author && r.author->id == 10);

	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_one_async(l.async, NULL, q, on_author, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_EMULTIPLE);
	CHECK(r.author == NULL);

	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_query_all(l.async, NULL, q, on_list, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(r.list != NULL);
	if (r.list) {
		CHECK_INT(r.list->count, 10);
		for (size_t i = 0; i < r.list->count; i++)
			CHECK_INT(((Author *)r.list->items[i])->id, 10 + (int64_t)i);
	}

	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_query_count(l.async, NULL, q, on_count, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK_INT(r.count, 10);

	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_query_exists(l.async, NULL, q, on_exists, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(r.exists);
	rt_query_free(q);

	/* No row: one() is RT_ENOTFOUND, one_or_none() RT_OK with NULL,
	 * first() RT_ENOTFOUND, exists() false, count() 0. */
	q = authors_like(s, "nobody%");
	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_one_async(l.async, NULL, q, on_author, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_ENOTFOUND);
	CHECK(r.author == NULL);
	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_one_or_none_async(l.async, NULL, q, on_author, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(r.author == NULL);
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_query_first(l.async, NULL, q, on_object, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_ENOTFOUND);
	memset(&r, 0, sizeof(r));
	r.exists = true;
	CHECK_OK(rt_async_query_exists(l.async, NULL, q, on_exists, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(!r.exists);
	memset(&r, 0, sizeof(r));
	r.count = -1;
	CHECK_OK(rt_async_query_count(l.async, NULL, q, on_count, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.count, 0);
	rt_query_free(q);

	/* Exactly one: the same object as the identity map's. */
	q = authors_like(s, "author 42");
	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_one_async(l.async, NULL, q, on_author, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	Author *same = NULL;
	CHECK_OK(Author_get(&same, s, 42));
	CHECK(r.author != NULL && r.author == same);

	/* A callback typed on another model is refused at once. */
	memset(&r, 0, sizeof(r));
	CHECK_INT(Book_first_async(l.async, NULL, q, on_book, &r), RT_EINVAL);
	CHECK_INT(rt_async_query_count(l.async, NULL, NULL, on_count, &r), RT_EINVAL);
	rt_query_free(q);
	drive(&l, &(int){1});
	CHECK_INT(r.calls, 0);
	rt_session_close(s);
	loop_close(&l);
}

static void test_stream(void)
{
	loop l;
	loop_open(&l);
	rt_session *s = open_session(engine);
	rt_query *q = authors_like(s, "author %");
	result r = {0};
	CHECK_OK(rt_async_query_stream(l.async, NULL, q, on_row, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK_INT(r.rows, AUTHORS);
	CHECK_INT(r.id_sum, AUTHORS * (AUTHORS + 1) / 2);

	/* Stopped early: RT_OK, and the session's connection free for the
	 * next operation. */
	memset(&r, 0, sizeof(r));
	r.stop_after = 10;
	CHECK_OK(rt_async_query_stream(l.async, NULL, q, on_row, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK_INT(r.rows, 10);
	CHECK_INT(r.id_sum, 55);
	result c = {0};
	CHECK_OK(rt_async_query_count(l.async, NULL, q, on_count, &c));
	drive(&l, &c.calls);
	CHECK_INT(c.rc, RT_OK);
	CHECK_INT(c.count, AUTHORS);

	/* An error from the row callback ends the stream with it. */
	memset(&r, 0, sizeof(r));
	r.fail_after = 3;
	CHECK_OK(rt_async_query_stream(l.async, NULL, q, on_row, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_ENOTFOUND);
	CHECK_INT(r.rows, 3);
	rt_query_free(q);
	rt_session_close(s);
	loop_close(&l);
}

static void test_load(void)
{
	loop l;
	loop_open(&l);
	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_get(&a, s, 1));
	CHECK(!a->books.loaded);
	result r = {0};
	CHECK_OK(Author_load_books_async(l.async, NULL, a, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(a->books.loaded);
	CHECK_INT(a->books.count, 3);
	/* A to-one, the other way. */
	Book *b = a->books.count ? a->books.items[0] : NULL;
	memset(&r, 0, sizeof(r));
	CHECK_OK(Book_load_author_async(l.async, NULL, b, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(b && b->author == a);
	/* No such relationship: the blocking call's error, through done. */
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_object_load(l.async, NULL, a, "nonesuch", on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_EINVAL);
	/* Not an object: at once. */
	Author fake = {0};
	CHECK_INT(Author_load_books_async(l.async, NULL, &fake, on_done, &r), RT_EINVAL);
	rt_session_close(s);
	loop_close(&l);
}

static void test_flush_commit_rollback(void)
{
	loop l;
	loop_open(&l);
	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Author_set_name(a, "typed new"));
	result r = {0};
	CHECK_OK(rt_async_session_flush(l.async, NULL, s, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(a->id > AUTHORS);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'typed new'"), 0);

	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_session_commit(l.async, NULL, s, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'typed new'"), 1);

	/* A change rolled back: the object takes its committed value back. */
	CHECK_OK(Author_set_name(a, "typed changed"));
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_session_flush(l.async, NULL, s, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_session_rollback(l.async, NULL, s, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK_STR(a->name, "typed new");

	/* A unique violation at commit: RT_ECONSTRAINT, then a rollback
	 * makes the session usable again. */
	Author *dup = NULL;
	CHECK_OK(Author_new(&dup, s));
	CHECK_OK(Author_set_name(dup, "author 1"));
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_session_commit(l.async, NULL, s, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_ECONSTRAINT);
	CHECK(strlen(r.error) > 0);
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_session_rollback(l.async, NULL, s, on_done, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'author 1'"), 1);
	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_get_async(l.async, NULL, s, 2, on_author, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);

	/* Clean up for the other tests. */
	CHECK_OK(Author_delete(a));
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
	loop_close(&l);
}

/* --- one operation at a time per session ---------------------------------------------- */

typedef struct chain {
	rt_async *async;
	rt_session *session;
	result get, commit;
	int start_rc;
} chain;

/* The session is free again in done: its next operation starts there. */
static void chain_got(rt_async_op *op, int rc, Author *author, void *user)
{
	chain *c = user;
	got(&c->get, op, rc);
	c->get.author = author;
	if (rc == RT_OK && author && Author_set_name(author, "author 5 renamed") == RT_OK)
		c->start_rc = rt_async_session_commit(c->async, NULL, c->session, on_done,
						      &c->commit);
}

static void test_one_at_a_time(void)
{
	loop l;
	loop_open(&l);
	rt_session *s = open_session(engine);
	result r = {0}, second = {0};
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(Author_get_async(l.async, NULL, s, 5, on_author, &r));
	/* A second operation on the busy session fails at once... */
	CHECK_INT(rt_async_session_commit(l.async, NULL, s, on_done, &second), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "in flight") != NULL);
	CHECK_INT(rt_async_query_count(l.async, NULL, q, on_count, &second), RT_EINVAL);
	/* ...and so does the blocking API on it, outside the operation. */
	Author *other = NULL;
	rt_query *other_query = NULL;
	CHECK_INT(Author_get(&other, s, 6), RT_EINVAL);
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	CHECK_INT(Author_new(&other, s), RT_EINVAL);
	CHECK_INT(Author_query(&other_query, s), RT_EINVAL);
	CHECK(rt_session_engine(s) == engine); /* reading it changes nothing */
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK_INT(second.calls, 0);
	/* Free again once done ran. */
	CHECK_OK(rt_async_query_count(l.async, NULL, q, on_count, &second));
	drive(&l, &second.calls);
	CHECK_INT(second.rc, RT_OK);
	CHECK_INT(second.count, AUTHORS);
	CHECK_OK(Author_get(&other, s, 6));
	rt_query_free(q);

	/* The next operation started from done. */
	chain c = {.async = l.async, .session = s, .start_rc = -100};
	CHECK_OK(Author_get_async(l.async, NULL, s, 5, chain_got, &c));
	drive(&l, &c.commit.calls);
	CHECK_INT(c.start_rc, RT_OK);
	CHECK_INT(c.commit.rc, RT_OK);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'author 5 renamed'"),
		  1);
	CHECK_OK(Author_set_name(c.get.author, "author 5"));
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
	loop_close(&l);
}

/* --- 1,000 typed operations in flight over a pool of 4 ------------------------------- */

typedef struct job {
	int number;
	rt_session *session;
	int calls;
	int rc;
	char error[200];
	char name[64];
} job;

static void job_finish(job *j, rt_async_op *op, int rc)
{
	(void)op;
	j->calls++;
	j->rc = rc;
	if (rc < 0)
		snprintf(j->error, sizeof(j->error), "%s", rt_error_last()->message);
	rt_session_close(j->session);
	j->session = NULL;
}

static void job_got_author(rt_async_op *op, int rc, Author *author, void *user)
{
	job *j = user;
	if (rc == RT_OK && author)
		snprintf(j->name, sizeof(j->name), "%s", author->name ? author->name : "");
	job_finish(j, op, rc);
}

static void job_committed(rt_async_op *op, int rc, void *user)
{
	job_finish(user, op, rc);
}

static void test_thousand_typed(void)
{
	loop l;
	loop_open(&l);
	static job jobs[OPS];
	for (int i = 0; i < OPS; i++) {
		job *j = &jobs[i];
		memset(j, 0, sizeof(*j));
		j->number = i;
		j->session = open_session(engine);
		int64_t id = 1 + i % AUTHORS;
		if (i % 2 == 0) {
			CHECK_OK(Author_get_async(l.async, NULL, j->session, id, job_got_author, j));
		} else {
			/* Inserts without reading first (see test_async.c on
			 * SQLite's readers turned writers). */
			Book *b = NULL;
			char title[32];
			snprintf(title, sizeof(title), "typed %d", i);
			CHECK_OK(Book_new(&b, j->session));
			CHECK_OK(Book_set_title(b, title));
			b->author_id = id;
			CHECK_OK(rt_async_session_commit(l.async, NULL, j->session, job_committed,
							 j));
		}
	}
	CHECK_INT(rt_async_running(l.async), OPS);
	int64_t began = rt__now_ms();
	while (rt_async_running(l.async) && rt__now_ms() - began < 120000)
		rt_epoll_loop_run_once(&l.epoll, 100);
	CHECK_INT(rt_async_running(l.async), 0);
	int bad = 0;
	for (int i = 0; i < OPS; i++) {
		char expected[32] = "";
		if (i % 2 == 0)
			snprintf(expected, sizeof(expected), "author %d", 1 + i % AUTHORS);
		if (jobs[i].calls != 1 || jobs[i].rc != RT_OK || strcmp(jobs[i].name, expected)) {
			if (bad++ < 3)
				fprintf(stderr, "job %d: %d calls, rc %d (%s), name '%s'\n", i,
					jobs[i].calls, jobs[i].rc, jobs[i].error, jobs[i].name);
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books WHERE title LIKE 'typed %'"), OPS / 2);
	printf("%d typed operations over 4 connections in %lld ms\n", OPS,
	       (long long)(rt__now_ms() - began));
	loop_close(&l);
}

/* --- closing a session with an operation in flight ------------------------------------ */

/* Holds a connection until its flag is set (an rt_async_run operation). */
typedef struct holder {
	volatile int release;
	const char *insert;  /* or NULL: an author to insert (and lock) first */
} holder;

static int hold_connection(void *arg)
{
	holder *h = arg;
	rt_session *s = NULL;
	int rc = rt_session_open(&s, engine);
	Author *author = NULL;
	if (rc == RT_OK && h->insert) {
		/* The new row's unique name stays locked until the end. */
		rc = Author_new(&author, s);
		if (rc == RT_OK)
			rc = Author_set_name(author, h->insert);
		if (rc == RT_OK)
			rc = rt_session_flush(s);
	} else if (rc == RT_OK) {
		rc = Author_get(&author, s, 1); /* takes a connection */
	}
	while (rc == RT_OK && !h->release)
		rc = rt__wait_fd(0, RT_WAIT_READ, 5) < 0 ? RT_ECANCELED : RT_OK;
	rt_session_close(s);
	return rc;
}

static void test_close_in_flight(void)
{
	loop l;
	loop_open(&l);

	/* Before it started: done comes later, from the loop, RT_ECANCELED. */
	rt_session *s = open_session(engine);
	result r = {0};
	CHECK_OK(Author_get_async(l.async, NULL, s, 1, on_author, &r));
	rt_session_close(s);
	CHECK_INT(r.calls, 0);
	drive(&l, &r.calls);
	CHECK_INT(r.calls, 1);
	CHECK_INT(r.rc, RT_ECANCELED);
	CHECK(strstr(r.error, "closed") != NULL);
	CHECK(r.author == NULL);

	/* With a transaction open on its connection, before it started. */
	s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_get(&a, s, 2));
	Author_set_name(a, "never written");
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_session_commit(l.async, NULL, s, on_done, &r));
	rt_session_close(s);
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_ECANCELED);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'never written'"), 0);

	/* While it waits for a connection: four operations hold the pool's
	 * four connections. */
	holder h = {0};
	result holders[4];
	for (int i = 0; i < 4; i++) {
		memset(&holders[i], 0, sizeof(holders[i]));
		CHECK_OK(rt_async_run(l.async, NULL, hold_connection, &h, on_done, &holders[i]));
	}
	for (int k = 0; k < 20; k++)
		rt_epoll_loop_run_once(&l.epoll, 10);
	s = open_session(engine);
	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_get_async(l.async, NULL, s, 3, on_author, &r));
	for (int k = 0; k < 5; k++)
		rt_epoll_loop_run_once(&l.epoll, 10);
	CHECK_INT(r.calls, 0);
	rt_session_close(s);
	CHECK_INT(r.calls, 0);
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_ECANCELED);
	h.release = 1;
	for (int i = 0; i < 4; i++) {
		drive(&l, &holders[i].calls);
		CHECK_INT(holders[i].rc, RT_OK);
	}

	/* While it waits for the database: inserting a name another
	 * transaction inserted and holds (SQLite: the database's write lock,
	 * its busy wait on a worker thread). */
	holder locker = {.insert = "locked name"};
	result lr = {0};
	CHECK_OK(rt_async_run(l.async, NULL, hold_connection, &locker, on_done, &lr));
	for (int k = 0; k < 20; k++)
		rt_epoll_loop_run_once(&l.epoll, 10);
	CHECK_INT(lr.calls, 0);
	s = open_session(engine);
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Author_set_name(a, "locked name"));
	memset(&r, 0, sizeof(r));
	CHECK_OK(rt_async_session_commit(l.async, NULL, s, on_done, &r));
	for (int k = 0; k < 20; k++)
		rt_epoll_loop_run_once(&l.epoll, 10);
	CHECK_INT(r.calls, 0); /* still waiting */
	rt_session_close(s);
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_ECANCELED);
	locker.release = 1;
	drive(&l, &lr.calls);
	CHECK_INT(lr.rc, RT_OK);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'locked name'"), 0);

	/* The pool recovered: a new session's operation runs. */
	s = open_session(engine);
	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_get_async(l.async, NULL, s, 4, on_author, &r));
	drive(&l, &r.calls);
	CHECK_INT(r.rc, RT_OK);
	CHECK(r.author && strcmp(r.author->name, "author 4") == 0);
	rt_session_close(s);

	/* Freeing the scheduler with an operation in flight completes it;
	 * the session stays open and usable by the blocking API. */
	s = open_session(engine);
	memset(&r, 0, sizeof(r));
	CHECK_OK(Author_get_async(l.async, NULL, s, 5, on_author, &r));
	loop_close(&l);
	CHECK_INT(r.calls, 1);
	CHECK_INT(r.rc, RT_ECANCELED);
	CHECK_OK(Author_get(&a, s, 5));
	rt_session_close(s);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), AUTHORS);
}

int main(void)
{
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.pool_size = 4;
	options.pool_timeout_ms = 60000;
	engine = orm_test_engine_with(&options);
	seed();
	RT_RUN(test_get);
	RT_RUN(test_query_results);
	RT_RUN(test_stream);
	RT_RUN(test_load);
	RT_RUN(test_flush_commit_rollback);
	RT_RUN(test_one_at_a_time);
	RT_RUN(test_thousand_typed);
	RT_RUN(test_close_in_flight);
	rt_engine_free(engine);
	return rt_test_done();
}
