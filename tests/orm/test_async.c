/*
 * test_async.c - the non-blocking API on a real database: 1,000 operations
 * in flight on one thread over a pool of 4 connections, each a session's
 * work (a get by key, or an insert and commit), driven by a shipped loop
 * adapter (epoll, or libuv: see "the loop" below); every
 * result checked, and the loop never blocked for long (the loop counts its
 * turns). Then cancelling an operation waiting for a connection, and
 * freeing the scheduler with operations in flight.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/wait.h"
#include "session_test.h"
#include "retort/async.h"
#include "async_loop.h"

#define OPS 1000
#define AUTHORS 50

/* The loop: async_loop.h (epoll, or libuv in orm_async_uv). */

/* --- the work ---------------------------------------------------------------------- */

static rt_engine *engine;

typedef struct job {
	int number;
	int rc;
	int done_calls;
	char error[200];
	int64_t author_id; /* the author it read */
	char name[64];     /* the name it read */
} job;

/* Even jobs read an author by key; odd ones insert a book for one (by its
 * key, without reading first: on SQLite a transaction that reads and then
 * writes meets another writer as SQLITE_BUSY, whichever API runs it). */
static int work(void *arg)
{
	job *j = arg;
	rt_session *s = NULL;
	int rc = rt_session_open(&s, engine);
	if (rc < 0)
		return rc;
	int64_t id = 1 + j->number % AUTHORS;
	if (j->number % 2 == 0) {
		Author *author = NULL;
		rc = Author_get(&author, s, id);
		if (rc == RT_OK && author) {
			j->author_id = author->id;
			snprintf(j->name, sizeof(j->name), "%s", author->name ? author->name : "");
		}
	} else {
		Book *book = NULL;
		char title[32];
		snprintf(title, sizeof(title), "async %d", j->number);
		if ((rc = Book_new(&book, s)) == RT_OK && (rc = Book_set_title(book, title)) == RT_OK) {
			book->author_id = id;
			rc = rt_session_commit(s);
		}
	}
	rt_session_close(s);
	return rc;
}

static void on_done(rt_async_op *op, int rc, void *user)
{
	job *j = user;
	(void)op;
	j->done_calls++;
	j->rc = rc;
	if (rc < 0)
		snprintf(j->error, sizeof(j->error), "%s", rt_error_last()->message);
}

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
	rt_session_close(s);
}

static void test_thousand_in_flight(void)
{
	loop l;
	rt_async *a = new_async(&l, engine);
	static job jobs[OPS];
	for (int i = 0; i < OPS; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].number = i;
		CHECK_OK(rt_async_run(a, NULL, work, &jobs[i], on_done, &jobs[i]));
	}
	CHECK_INT(rt_async_running(a), OPS);
	int64_t began = rt__now_ms();
	while (rt_async_running(a) && rt__now_ms() - began < 120000)
		loop_once(&l, a);
	CHECK_INT(rt_async_running(a), 0);
	int bad = 0;
	for (int i = 0; i < OPS; i++) {
		char expected[32] = "";
		if (i % 2 == 0)
			snprintf(expected, sizeof(expected), "author %d", 1 + i % AUTHORS);
		if (jobs[i].done_calls != 1 || jobs[i].rc != RT_OK || strcmp(jobs[i].name, expected)) {
			if (bad++ < 3)
				fprintf(stderr, "job %d: %d calls, rc %d (%s), name '%s'\n", i,
					jobs[i].done_calls, jobs[i].rc, jobs[i].error, jobs[i].name);
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books WHERE title LIKE 'async %'"), OPS / 2);
	printf("%d operations over 4 connections in %lld ms, %ld loop turns\n", OPS,
	       (long long)(rt__now_ms() - began), l.turns);
	rt_async_free(a);
	loop_close(&l);
}

/* Holds a connection (a transaction open) until its flag is set. */
typedef struct holder {
	volatile int release;
} holder;

static int hold_connection(void *arg)
{
	holder *h = arg;
	rt_session *s = NULL;
	int rc = rt_session_open(&s, engine);
	Author *author = NULL;
	if (rc == RT_OK)
		rc = Author_get(&author, s, 1); /* takes a connection */
	/* A descriptor that never becomes ready: a fiber's sleep, which any
	 * loop can watch (stdin may be a file, which epoll and libuv refuse). */
	int never[2] = {-1, -1};
	if (rc == RT_OK && pipe(never) != 0)
		rc = RT_EIO;
	while (rc == RT_OK && !h->release)
		rc = rt__wait_fd(never[0], RT_WAIT_READ, 5) < 0 ? RT_ECANCELED : RT_OK;
	if (never[0] >= 0) {
		close(never[0]);
		close(never[1]);
	}
	rt_session_close(s);
	return rc;
}

static void test_cancel_and_free(void)
{
	loop l;
	rt_async *a = new_async(&l, engine);
	holder h = {0};
	job holders[4], waiting, freed;
	rt_async_op *op = NULL;
	/* Four operations take the pool's four connections... */
	for (int i = 0; i < 4; i++) {
		memset(&holders[i], 0, sizeof(job));
		CHECK_OK(rt_async_run(a, NULL, hold_connection, &h, on_done, &holders[i]));
	}
	for (int k = 0; k < 20; k++)
		loop_once(&l, a);
	/* ...so these two wait for one. */
	memset(&waiting, 0, sizeof(waiting));
	memset(&freed, 0, sizeof(freed));
	CHECK_OK(rt_async_run(a, &op, work, &waiting, on_done, &waiting));
	CHECK_OK(rt_async_run(a, NULL, work, &freed, on_done, &freed));
	for (int k = 0; k < 5; k++)
		loop_once(&l, a);
	CHECK_INT(waiting.done_calls, 0);
	CHECK_OK(rt_async_cancel(op));
	for (int k = 0; k < 20 && !waiting.done_calls; k++)
		loop_once(&l, a);
	CHECK_INT(waiting.done_calls, 1);
	CHECK_INT(waiting.rc, RT_ECANCELED);
	/* Freeing with the rest in flight completes each, cancelled. */
	rt_async_free(a);
	CHECK_INT(freed.done_calls, 1);
	CHECK_INT(freed.rc, RT_ECANCELED);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(holders[i].done_calls, 1);
		CHECK_INT(holders[i].rc, RT_ECANCELED);
	}
	loop_close(&l);
	/* The pool works afterwards: a blocking session gets a connection. */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), AUTHORS);
}

int main(void)
{
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.pool_size = 4;
	options.pool_timeout_ms = 60000;
	/* On SQLite the four connections take turns at the file's one write
	 * lock by SQLite's busy handler, which sleeps and retries and is not
	 * fair: on a loaded machine one writer can lose for longer than the
	 * default 5 s. This test is about the scheduler, so it waits longer. */
	char url[512];
	snprintf(url, sizeof(url), "%s%s", rt_test_url(),
		 orm_test_is_file_database() && !strchr(rt_test_url(), '?') ? "?timeout=60" : "");
	engine = orm_test_engine_at(url, &options);
	seed();
	RT_RUN(test_thousand_in_flight);
	RT_RUN(test_cancel_and_free);
	rt_engine_free(engine);
	return rt_test_done();
}
