/*
 * test_threads.c - eight threads, each with its own scoped session on one
 * shared engine, doing 1,000 mixed operations each: inserts with children,
 * gets, updates, queries, deletes with cascade, raw SQL. Checks that no
 * operation fails and that the database ends up holding exactly what the
 * threads left. Built also under ThreadSanitizer (make test) to find races
 * in the pool, the statement cache and the scoped-session registry.
 *
 * On server backends only: SQLite has one writer at a time, so eight threads
 * that each hold a write transaction would mostly be testing SQLITE_BUSY.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orm_test.h"

#define THREADS 8
#define OPERATIONS 1000

static rt_engine *engine;

typedef struct worker {
	int number;
	int failures;
	int64_t authors_left;   /* authors this thread inserted and did not delete */
	char first_error[256];
} worker;

static void record_failure(worker *w, const char *what)
{
	if (w->failures++ == 0)
		snprintf(w->first_error, sizeof(w->first_error), "thread %d: %s: %s", w->number, what,
			 rt_error_last()->message);
}

static int insert_author(rt_session *s, worker *w, int op, int64_t *id)
{
	char name[64];
	snprintf(name, sizeof(name), "t%d-op%d", w->number, op);
	Author *author;
	if (Author_new(&author, s) < 0 || Author_set_name(author, name) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		Book *book;
		if (Book_new(&book, s) < 0 || Book_set_title(book, "a book") < 0 ||
		    Author_add_books(author, book) < 0)
			return -1;
	}
	if (rt_session_commit(s) < 0)
		return -1;
	*id = author->id;
	return 0;
}

static int update_author(rt_session *s, int64_t id)
{
	Author *author;
	if (Author_get(&author, s, id) < 0)
		return -1;
	author->karma++;
	return rt_session_commit(s);
}

static int query_mine(rt_session *s, worker *w, int64_t *count)
{
	char pattern[32];
	snprintf(pattern, sizeof(pattern), "t%d-%%", w->number);
	rt_query *q;
	if (Author_query(&q, s) < 0)
		return -1;
	rt_query_filter(q, rt_like(q, Author_c.name, pattern));
	int rc = rt_query_count(q, count);
	rt_query_free(q);
	return rc < 0 ? -1 : rt_session_commit(s);
}

static int delete_author(rt_session *s, int64_t id)
{
	Author *author;
	if (Author_get(&author, s, id) < 0 || Author_delete(author) < 0)
		return -1;
	return rt_session_commit(s);
}

static void *work(void *arg)
{
	worker *w = arg;
	rt_session *s;
	if (rt_session_scoped(&s, engine) < 0) {
		record_failure(w, "scoped session");
		return NULL;
	}
	int64_t ids[OPERATIONS];
	int live = 0;
	for (int op = 0; op < OPERATIONS; op++) {
		int rc = 0;
		int64_t count;
		switch (op % 5) {
		case 0:
		case 1:
			rc = insert_author(s, w, op, &ids[live]);
			if (rc == 0)
				live++;
			break;
		case 2:
			rc = live ? update_author(s, ids[live - 1]) : 0;
			break;
		case 3:
			rc = query_mine(s, w, &count);
			if (rc == 0 && count != live) {
				rt_session_rollback(s);
				if (w->failures++ == 0)
					snprintf(w->first_error, sizeof(w->first_error),
						 "thread %d: counted %lld authors, expected %d", w->number,
						 (long long)count, live);
			}
			break;
		case 4:
			rc = live ? delete_author(s, ids[--live]) : 0;
			break;
		}
		if (rc < 0) {
			record_failure(w, "operation");
			rt_session_rollback(s);
		}
	}
	w->authors_left = live;
	rt_session_scoped_remove(engine);
	return NULL;
}

int main(void)
{
	if (orm_test_is_file_database()) {
		printf("SKIP: the thread test runs on server backends only\n");
		return 0;
	}
	rt_test_current = "threads";
	engine = orm_test_engine();

	pthread_t threads[THREADS];
	worker workers[THREADS];
	for (int i = 0; i < THREADS; i++) {
		memset(&workers[i], 0, sizeof(workers[i]));
		workers[i].number = i;
		if (pthread_create(&threads[i], NULL, work, &workers[i]) != 0) {
			fprintf(stderr, "cannot start thread %d\n", i);
			return 1;
		}
	}
	int64_t expected = 0;
	int failures = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(threads[i], NULL);
		if (workers[i].failures) {
			fprintf(stderr, "%d failures; first: %s\n", workers[i].failures,
				workers[i].first_error);
			failures += workers[i].failures;
		}
		expected += workers[i].authors_left;
	}
	CHECK_INT(failures, 0);

	rt_session *s;
	rt_rows *rows;
	CHECK_OK(rt_session_open(&s, engine));
	CHECK_OK(rt_session_sql(&rows, s, "SELECT COUNT(*) FROM authors", NULL, 0));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_INT(rt_rows_int64(rows, 0), expected);
	rt_rows_free(rows);
	CHECK_OK(rt_session_sql(&rows, s, "SELECT COUNT(*) FROM books", NULL, 0));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_INT(rt_rows_int64(rows, 0), 2 * expected);
	rt_rows_free(rows);
	rt_session_close(s);
	rt_engine_free(engine);
	printf("%d threads x %d operations, %lld authors left\n", THREADS, OPERATIONS,
	       (long long)expected);
	return rt_test_done();
}
