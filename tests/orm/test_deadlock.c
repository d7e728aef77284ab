/*
 * test_deadlock.c - a deadlock between two sessions reaches the program
 * as RT_ESERIALIZE, the retryable code: two threads, each with its own
 * session on one engine, change two authors in opposite orders; the
 * database ends the deadlock by rolling one transaction back. That
 * session's flush returns RT_ESERIALIZE, it rolls back and runs its work
 * again, and both changes are in the database at the end.
 *
 * On server backends only: SQLite has one writer at a time, so the second
 * writer waits for the first instead of deadlocking.
 */
#include <pthread.h>

#include "session_test.h"

static rt_engine *engine;
static pthread_barrier_t both_hold_one;
static int64_t ids[2];

typedef struct worker {
	int first;          /* index of the author this one changes first */
	int serialize_rcs;  /* RT_ESERIALIZE seen */
	int other_failures; /* anything else that failed */
	char message[512];
} worker;

/* Sets the author's name in s and flushes: the row is locked after. */
static int rename_author(rt_session *s, int64_t id, const char *name)
{
	Author *a = NULL;
	int rc = Author_get(&a, s, id);
	if (rc == RT_OK)
		rc = Author_set_name(a, name);
	if (rc == RT_OK)
		rc = rt_session_flush(s);
	return rc;
}

static void *work(void *arg)
{
	worker *w = arg;
	rt_session *s = open_session(engine);
	char name[64];
	bool waited = false;
	for (int attempt = 0; attempt < 5; attempt++) {
		snprintf(name, sizeof(name), "by %d, first", w->first);
		int rc = rename_author(s, ids[w->first], name);
		if (!waited) {
			/* Each holds its first row before either asks for the other's. */
			pthread_barrier_wait(&both_hold_one);
			waited = true;
		}
		if (rc == RT_OK) {
			snprintf(name, sizeof(name), "by %d, second", w->first);
			rc = rename_author(s, ids[1 - w->first], name);
		}
		if (rc == RT_OK)
			rc = rt_session_commit(s);
		if (rc == RT_OK)
			break;
		if (rc == RT_ESERIALIZE) {
			w->serialize_rcs++;
		} else {
			w->other_failures++;
			snprintf(w->message, sizeof(w->message), "%d: %s", rc,
				 rt_error_last()->message);
		}
		rt_session_rollback(s);
	}
	rt_session_close(s);
	return NULL;
}

static void test_deadlock(void)
{
	rt_session *s = open_session(engine);
	Author *a = NULL, *b = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Author_new(&b, s));
	if (!a || !b)
		return;
	CHECK_OK(Author_set_name(a, "a"));
	CHECK_OK(Author_set_name(b, "b"));
	CHECK_OK(rt_session_commit(s));
	ids[0] = a->id;
	ids[1] = b->id;
	rt_session_close(s);

	pthread_barrier_init(&both_hold_one, NULL, 2);
	worker workers[2] = {{.first = 0}, {.first = 1}};
	pthread_t threads[2];
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
	for (int i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&both_hold_one);

	for (int i = 0; i < 2; i++) {
		if (workers[i].other_failures)
			fprintf(stderr, "  worker %d: %s\n", i, workers[i].message);
		CHECK_INT(workers[i].other_failures, 0);
	}
	/* The deadlock was reported as such, to one of them at least. */
	CHECK(workers[0].serialize_rcs + workers[1].serialize_rcs >= 1);
	/* Both ran to the end: whoever retried wrote both rows last. */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name LIKE 'by %'"), 2);
}

int main(void)
{
	if (orm_test_is_file_database()) {
		printf("SKIP: a deadlock needs two writers at once (server backends)\n");
		return 0;
	}
	rt_test_current = "deadlock";
	engine = orm_test_engine();
	RT_RUN(test_deadlock);
	rt_engine_free(engine);
	return rt_test_done();
}
