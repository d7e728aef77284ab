/*
 * test_stream.c - rt_query_stream / rt_query_next: 100,000 rows through
 * one reusable object, in memory that does not grow with the rows (the
 * session's arena and identity map stay as they were), with filters and
 * order, and the object outside the session.
 */
#include <stddef.h>

#include "query_seed.h"
#include "orm/query.h"

#define ROWS 100000

static rt_engine *engine;

/* Tag i, labelled "tag i". */
static int fill_tag(void *object, size_t i)
{
	Tag *t = object;
	char label[32];
	snprintf(label, sizeof(label), "tag %zu", i);
	t->id = (int64_t)i;
	return Tag_set_label(t, label);
}

static void test_stream_many(void)
{
	seed_objects(engine, &Tag_model, ROWS, fill_tag);
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	rt_query *q = NULL;
	CHECK_OK(Tag_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Tag_c.id.ref, false));
	CHECK_OK(rt_query_stream(q));
	size_t arena_before = rt__arena_used(s->arena);
	size_t objects_before = rt__identity_count(s->identity);
	size_t arena_at_1000 = 0;

	Tag *t = NULL, *first = NULL;
	int64_t count = 0, sum = 0;
	bool labels_ok = true;
	int rc;
	while ((rc = rt_query_next(q, &t)) == RT_ROW) {
		if (!first)
			first = t;
		count++;
		sum += t->id;
		char expected[32];
		snprintf(expected, sizeof(expected), "tag %lld", (long long)t->id);
		if (t != first || strcmp(t->label, expected) != 0 || t->id != count)
			labels_ok = false;
		if (count == 1000)
			arena_at_1000 = rt__arena_used(s->arena);
	}
	CHECK_INT(rc, RT_DONE);
	CHECK_INT(count, ROWS);
	CHECK(sum == (int64_t)ROWS * (ROWS + 1) / 2);
	CHECK(labels_ok);
	/* Nothing of the rows stayed in the session. */
	CHECK_INT(rt__arena_used(s->arena), arena_at_1000);
	CHECK(rt__arena_used(s->arena) - arena_before < 4096);
	CHECK_INT(rt__identity_count(s->identity), objects_before);
	CHECK(q->stream_arena == NULL || rt__arena_used(q->stream_arena) <= 512 * 1024);
	/* Done stays done; the object is the program's to read, not the
	 * session's to track. */
	CHECK_INT(rt_query_next(q, &t), RT_DONE);
	CHECK(t == NULL);
	CHECK(first && rt__object_header(first) && rt__object_header(first)->state ==
							    RT_STATE_DETACHED);

	/* The same query as a normal one still works, and so does a second
	 * stream with a filter. */
	CHECK_OK(rt_query_filter(q, rt_le(q, Tag_c.id, 10)));
	int64_t n = 0;
	CHECK_OK(rt_query_count(q, &n));
	CHECK_INT(n, 10);
	CHECK_OK(rt_query_stream(q));
	count = 0;
	while ((rc = rt_query_next(q, &t)) == RT_ROW)
		count++;
	CHECK_INT(rc, RT_DONE);
	CHECK_INT(count, 10);

	/* Streaming a query that was never started, and eager options. */
	rt_query *other = NULL;
	CHECK_OK(Tag_query(&other, s));
	CHECK_INT(rt_query_next(other, &t), RT_EINVAL);
	CHECK_OK(rt_query_eager(other, &Tag_model, "authors"));
	CHECK_INT(rt_query_stream(other), RT_EINVAL);
	rt_query_free(other);

	/* An abandoned stream is freed with its query. */
	CHECK_OK(rt_query_stream(q));
	CHECK_INT(rt_query_next(q, &t), RT_ROW);
	rt_query_free(q);
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_stream_many);
	rt_engine_free(engine);
	return rt_test_done();
}
