/*
 * test_setwrite_hooks.c - a set-based write's hooks (rt_session_bulk_hook_add,
 * rt_engine_bulk_hook_add; SQLAlchemy's after_bulk_update and
 * after_bulk_delete) on every backend (model Gizmo of tests/orm/models.rt).
 *
 * The rules under test: rt_query_update and rt_query_delete run their
 * before- and after-hooks once per statement, the after-hook with the
 * count of rows matched, engine before session; no object's hook runs; a
 * failing before-hook stops the write with nothing done and the session
 * usable; a failing after-hook leaves the session needing a rollback,
 * which undoes the write; bad registrations are RT_EINVAL.
 */
#include "gizmo_test.h"

static rt_engine *engine;

/* What the hooks saw, in order: "tag:event:model:count ". */
static char trail[512];

static int record(rt_session *session, const rt_model_desc *model, int64_t count, void *user)
{
	(void)session;
	const char *tag = user;
	size_t n = strlen(trail);
	snprintf(trail + n, sizeof(trail) - n, "%s:%s:%lld ", tag, model->name, (long long)count);
	return RT_OK;
}

static int refuse(rt_session *session, const rt_model_desc *model, int64_t count, void *user)
{
	(void)session;
	(void)model;
	(void)count;
	(void)user;
	return rt_error_set_str(RT_EINVAL, "not in bulk");
}

static void seed(const char *name, int n)
{
	rt_session *s = open_session(engine);
	for (int i = 0; i < n; i++)
		new_gizmo(s, name, i);
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

static rt_query *named(rt_session *s, const char *name)
{
	rt_query *q = NULL;
	CHECK_OK(Gizmo_query(&q, s));
	if (!q)
		exit(1);
	CHECK_OK(rt_query_filter(q, rt_eq(q, Gizmo_c.name, name)));
	return q;
}

static long long count_named(const char *name)
{
	return gizmos_named(engine, name);
}

/* Once per statement, around it, with the count; engine's first; no
 * object's hook, though the session holds objects of the rows. */
static void test_order_and_count(void)
{
	seed("bulk-a", 3);
	rt_engine *own = NULL;
	CHECK_OK(rt_engine_open(&own, rt_test_url(), NULL));
	if (!own)
		return;
	static const rt_bulk_event events[] = {RT_BULK_BEFORE_UPDATE, RT_BULK_AFTER_UPDATE,
					       RT_BULK_BEFORE_DELETE, RT_BULK_AFTER_DELETE};
	static char *const tags[] = {"bu", "au", "bd", "ad"};
	static char *const engine_tags[] = {"E-bu", "E-au", "E-bd", "E-ad"};
	rt_session *s = open_session(own);
	int object_calls = 0;
	for (int i = 0; i < 4; i++) {
		CHECK_OK(rt_session_bulk_hook_add(s, &Gizmo_model, events[i], record, tags[i]));
		CHECK_OK(rt_engine_bulk_hook_add(own, NULL, events[i], record, engine_tags[i]));
	}
	static const rt_hook_event object_events[] = {RT_HOOK_BEFORE_UPDATE,
						      RT_HOOK_AFTER_UPDATE, RT_HOOK_BEFORE_DELETE,
						      RT_HOOK_AFTER_DELETE, RT_HOOK_VALIDATE};
	for (int i = 0; i < 5; i++)
		CHECK_OK(rt_session_hook_add(s, &Gizmo_model, object_events[i], count_calls,
					     &object_calls));
	rt_query *q = named(s, "bulk-a");
	rt_list all = {0};
	CHECK_OK(rt_query_all(q, &all));
	trail[0] = '\0';
	rt_assignment set[] = {rt_set(Gizmo_c.price, 7)};
	int64_t n = 0;
	CHECK_OK(rt_query_update(q, &n, set, 1));
	CHECK_INT(n, 3);
	CHECK_STR(trail, "E-bu:Gizmo:-1 bu:Gizmo:-1 E-au:Gizmo:3 au:Gizmo:3 ");
	trail[0] = '\0';
	CHECK_OK(rt_query_delete(q, &n));
	CHECK_STR(trail, "E-bd:Gizmo:-1 bd:Gizmo:-1 E-ad:Gizmo:3 ad:Gizmo:3 ");
	CHECK_INT(object_calls, 0);
	rt_query_free(q);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_named("bulk-a"), 0);
	/* A hook of another model does not run. */
	trail[0] = '\0';
	rt_session *other = open_session(engine);
	CHECK_OK(rt_session_bulk_hook_add(other, &Ledger_model, RT_BULK_BEFORE_DELETE, record,
					  "ledger"));
	q = named(other, "none");
	CHECK_OK(rt_query_delete(q, NULL));
	CHECK_STR(trail, "");
	rt_query_free(q);
	rt_session_close(other);
	rt_session_close(s);
	rt_engine_free(own);
}

/* A before-hook refusing: nothing done, the session usable. */
static void test_before_refuses(void)
{
	seed("bulk-b", 2);
	rt_session *s = open_session(engine);
	CHECK_OK(rt_session_bulk_hook_add(s, &Gizmo_model, RT_BULK_BEFORE_DELETE, refuse, NULL));
	rt_query *q = named(s, "bulk-b");
	CHECK_INT(rt_query_delete(q, NULL), RT_EINVAL);
	CHECK(message_has("before-bulk-delete hook of Gizmo: not in bulk"));
	rt_query_free(q);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_named("bulk-b"), 2);
	rt_session_close(s);
}

/* An after-hook refusing: the statement ran, so only a rollback is
 * taken, and it undoes the write (rows and objects). */
static void test_after_refuses(void)
{
	seed("bulk-c", 2);
	rt_session *s = open_session(engine);
	CHECK_OK(rt_session_bulk_hook_add(s, NULL, RT_BULK_AFTER_UPDATE, refuse, NULL));
	rt_query *q = named(s, "bulk-c");
	Gizmo *g = NULL;
	CHECK_OK(rt_query_first(q, &g));
	int before = g ? g->price : -1;
	rt_assignment set[] = {rt_set(Gizmo_c.price, 70)};
	CHECK_INT(rt_query_update(q, NULL, set, 1), RT_EINVAL);
	CHECK(message_has("after-bulk-update hook of Gizmo: not in bulk"));
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK_OK(rt_session_rollback(s));
	CHECK(g && g->price == before);
	rt_query_free(q);
	rt_session_close(s);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM gizmos WHERE price = 70"), 0);
}

static void test_refusals(void)
{
	rt_session *s = open_session(engine);
	CHECK_INT(rt_session_bulk_hook_add(s, NULL, (rt_bulk_event)9, record, NULL), RT_EINVAL);
	CHECK_INT(rt_session_bulk_hook_add(s, NULL, RT_BULK_AFTER_DELETE, NULL, NULL), RT_EINVAL);
	CHECK_INT(rt_engine_bulk_hook_add(NULL, NULL, RT_BULK_AFTER_DELETE, record, NULL),
		  RT_EINVAL);
	/* A bulk event's number is not an object's event. */
	CHECK_INT(rt_session_hook_add(s, NULL, (rt_hook_event)17, count_calls, NULL), RT_EINVAL);
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_order_and_count);
	RT_RUN(test_before_refuses);
	RT_RUN(test_after_refuses);
	RT_RUN(test_refusals);
	rt_engine_free(engine);
	return rt_test_done();
}
