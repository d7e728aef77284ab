/*
 * test_keyset.c - keyset pagination (rt_query_after, rt_query_after_object)
 * on every backend: 10,000 rows whose sort column has many ties, paged
 * through in ascending and in mixed order, every row coming once and in
 * order, the ties resolved by the key; rows inserted behind the reader do
 * not shift the pages; and the orders it refuses.
 */
#include "session_test.h"

static rt_engine *engine;

#define ROWS 10000
#define PAGE 250

/* ROWS jobs, priority i % 7: each priority ties with 1,400-odd others. */
static void seed(void)
{
	db_exec(engine, "DELETE FROM jobs");
	rt_session *s = open_session(engine);
	for (int i = 0; i < ROWS; i++) {
		Job *j = NULL;
		char payload[16];
		snprintf(payload, sizeof(payload), "p%05d", i);
		CHECK_OK(Job_new(&j, s));
		if (!j)
			exit(1);
		CHECK_OK(Job_set_payload(j, payload));
		CHECK_OK(Job_set_state(j, "ready"));
		j->priority = (i * 3) % 7;
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

/* Pages through the jobs ordered by priority (descending when asked),
 * then id, each page after the previous page's last object; checks the
 * order and that every row comes once. by_values: rt_query_after with
 * the values instead of the object. */
static void page_through(bool descending, bool by_values)
{
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Job_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Job_c.priority.ref, descending));
	CHECK_OK(rt_query_order_by(q, Job_c.id.ref, false));
	CHECK_OK(rt_query_limit(q, PAGE));
	int seen = 0, pages = 0;
	int64_t last_priority = descending ? INT64_MAX : INT64_MIN, last_id = INT64_MIN;
	for (;;) {
		rt_list page = {0};
		CHECK_OK(rt_query_all(q, &page));
		if (page.count == 0)
			break;
		pages++;
		for (size_t i = 0; i < page.count; i++) {
			const Job *j = page.items[i];
			bool later = descending ? j->priority < last_priority
						: j->priority > last_priority;
			bool tie_later = j->priority == last_priority && j->id > last_id;
			if (!later && !tie_later) {
				CHECK(later || tie_later);
				fprintf(stderr, "  out of order: (%d, %lld) after (%lld, %lld)\n",
					j->priority, (long long)j->id, (long long)last_priority,
					(long long)last_id);
				break;
			}
			last_priority = j->priority;
			last_id = j->id;
			seen++;
		}
		const Job *end = page.items[page.count - 1];
		if (by_values) {
			rt_value_ref after[2] = {rt_int(end->priority), rt_int(end->id)};
			CHECK_OK(rt_query_after(q, after, 2));
		} else {
			CHECK_OK(rt_query_after_object(q, end));
		}
	}
	CHECK_INT(seen, ROWS);
	CHECK_INT(pages, ROWS / PAGE);
	rt_query_free(q);
	rt_session_close(s);
}

static void test_ascending(void)
{
	page_through(false, false);
}

static void test_mixed_order(void)
{
	page_through(true, true);
}

/* A row inserted before the reader's position shifts nothing: the next
 * page starts after the last row read (an OFFSET would repeat one). */
static void test_insert_behind(void)
{
	int64_t fourth = db_int(engine, "SELECT id FROM jobs ORDER BY priority, id "
					"LIMIT 1 OFFSET 3");
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Job_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Job_c.priority.ref, false));
	CHECK_OK(rt_query_order_by(q, Job_c.id.ref, false));
	CHECK_OK(rt_query_limit(q, 3));
	rt_list page = {0};
	CHECK_OK(rt_query_all(q, &page));
	CHECK_INT(page.count, 3);
	CHECK_OK(rt_query_after_object(q, page.items[2]));
	/* A job that sorts before every other one. */
	Job *early = NULL;
	CHECK_OK(Job_new(&early, s));
	CHECK_OK(Job_set_payload(early, "early"));
	CHECK_OK(Job_set_state(early, "ready"));
	early->priority = -1;
	rt_list next = {0};
	CHECK_OK(rt_query_all(q, &next)); /* autoflush inserts it */
	CHECK_INT(next.count, 3);
	CHECK_INT(((const Job *)next.items[0])->id, fourth);
	CHECK_OK(rt_session_rollback(s));
	rt_query_free(q);
	rt_session_close(s);
}

static void test_refusals(void)
{
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	rt_value_ref v[2] = {rt_int(1), rt_int(2)};
	/* No order by. */
	CHECK_OK(Job_query(&q, s));
	CHECK(rt_query_after(q, v, 1) == RT_EINVAL);
	CHECK(message_has("no order by"));
	rt_query_free(q);
	/* An order that could tie: no key. */
	CHECK_OK(Job_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Job_c.priority.ref, false));
	CHECK(rt_query_after(q, v, 1) == RT_EINVAL);
	CHECK(message_has("primary key"));
	rt_query_free(q);
	/* A column that may be NULL. */
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Author_c.email.ref, false));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	rt_value_ref e[2] = {rt_text("a"), rt_int(1)};
	CHECK(rt_query_after(q, e, 2) == RT_EINVAL);
	CHECK(message_has("NOT NULL"));
	rt_query_free(q);
	/* Values that do not match the order. */
	CHECK_OK(Job_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Job_c.id.ref, false));
	CHECK(rt_query_after(q, v, 2) == RT_EINVAL);
	rt_value_ref null_value[1] = {rt_null()};
	rt_query_free(q);
	CHECK_OK(Job_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Job_c.id.ref, false));
	CHECK(rt_query_after(q, null_value, 1) == RT_EINVAL);
	/* The query keeps the error. */
	rt_list out = {0};
	CHECK(rt_query_all(q, &out) == RT_EINVAL);
	rt_query_free(q);
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	seed();
	RT_RUN(test_ascending);
	RT_RUN(test_mixed_order);
	RT_RUN(test_insert_behind);
	RT_RUN(test_refusals);
	rt_engine_free(engine);
	return rt_test_done();
}
