/*
 * test_hooks.c - lifecycle hooks and validators (rt_session_hook_add,
 * rt_engine_hook_add; SQLAlchemy's mapper events and @validates) on every
 * backend (model Gizmo of tests/orm/models.rt).
 *
 * The rules under test: the order the hooks of one object run in (engine
 * before session, registration order, before -> validate -> statement ->
 * after); what a before-hook writes into the object is written; a hook or
 * validator that fails stops the flush with its code and its message,
 * named by event, model and key, the session as after any failed flush;
 * after-load runs once per row made an object; a hook of no model runs for
 * every model; the generated <Model>_hook_add takes a callback typed on
 * the model's struct.
 */
#include "gizmo_test.h"

static rt_engine *engine;

/* What the hooks saw, in order: "tag:event:name " per call. */
static char trail[2048];

typedef struct hook_arg {
	const char *tag;
	const char *event;
	int fail;             /* return this code when non-zero */
	const char *message;  /* with this message (NULL: none) */
} hook_arg;

static int record(rt_session *session, void *object, void *user)
{
	(void)session;
	hook_arg *a = user;
	const Gizmo *g = object;
	size_t n = strlen(trail);
	snprintf(trail + n, sizeof(trail) - n, "%s:%s:%s ", a->tag, a->event, g->name);
	if (a->fail)
		return a->message ? rt_error_set_str(a->fail, a->message) : a->fail;
	return RT_OK;
}

static const rt_hook_event all_events[] = {
	RT_HOOK_BEFORE_INSERT, RT_HOOK_AFTER_INSERT, RT_HOOK_BEFORE_UPDATE, RT_HOOK_AFTER_UPDATE,
	RT_HOOK_BEFORE_DELETE, RT_HOOK_AFTER_DELETE, RT_HOOK_AFTER_LOAD,   RT_HOOK_VALIDATE,
};
static const char *const event_names[] = {"bi", "ai", "bu", "au", "bd", "ad", "load", "valid"};

static long long count_named(const char *name)
{
	return gizmos_named(engine, name);
}

/* Every event, in its place: engine hooks before the session's, each
 * list in registration order; before -> validator -> after. */
static void test_order(void)
{
	rt_engine *own = NULL;
	CHECK_OK(rt_engine_open(&own, rt_test_url(), NULL));
	if (!own)
		return;
	hook_arg e[8], s1[8], s2[8];
	for (int i = 0; i < 8; i++) {
		e[i] = (hook_arg){"E", event_names[i], 0, NULL};
		s1[i] = (hook_arg){"S1", event_names[i], 0, NULL};
		s2[i] = (hook_arg){"S2", event_names[i], 0, NULL};
	}
	rt_session *s = open_session(own);
	/* The session's first, then the engine's: the engine's still run
	 * first. */
	for (int i = 0; i < 8; i++)
		CHECK_OK(rt_session_hook_add(s, &Gizmo_model, all_events[i], record, &s1[i]));
	for (int i = 0; i < 8; i++)
		CHECK_OK(rt_engine_hook_add(own, &Gizmo_model, all_events[i], record, &e[i]));
	for (int i = 0; i < 8; i++)
		CHECK_OK(rt_session_hook_add(s, &Gizmo_model, all_events[i], record, &s2[i]));
	trail[0] = '\0';
	Gizmo *g = new_gizmo(s, "alpha", 1);
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(trail, "E:bi:alpha S1:bi:alpha S2:bi:alpha E:valid:alpha S1:valid:alpha "
			 "S2:valid:alpha E:ai:alpha S1:ai:alpha S2:ai:alpha ");
	trail[0] = '\0';
	g->price = 2;
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(trail, "E:bu:alpha S1:bu:alpha S2:bu:alpha E:valid:alpha S1:valid:alpha "
			 "S2:valid:alpha E:au:alpha S1:au:alpha S2:au:alpha ");
	/* Nothing changed: no update, no hook. */
	trail[0] = '\0';
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(trail, "");
	int64_t id = g->id;
	rt_session_close(s);

	/* A new session has the engine's hooks alone. */
	s = open_session(own);
	trail[0] = '\0';
	CHECK_OK(Gizmo_get(&g, s, id));
	CHECK_STR(trail, "E:load:alpha ");
	/* The identity map gives the same object: not loaded again. */
	Gizmo *again = NULL;
	CHECK_OK(Gizmo_get(&again, s, id));
	CHECK(again == g);
	CHECK_STR(trail, "E:load:alpha ");
	trail[0] = '\0';
	CHECK_OK(rt_object_delete(g));
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(trail, "E:bd:alpha E:ad:alpha ");
	rt_session_close(s);
	rt_engine_free(own);
}

static int stamp(rt_session *session, void *object, void *user)
{
	(void)session;
	Gizmo *g = object;
	g->price += *(int *)user;
	return rt_object_set_text(g, &g->note, "stamped");
}

/* What a before-hook puts in the object is written with it. */
static void test_before_hook_writes(void)
{
	rt_session *s = open_session(engine);
	int add = 100;
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_BEFORE_INSERT, stamp, &add));
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_BEFORE_UPDATE, stamp, &add));
	Gizmo *g = new_gizmo(s, "beta", 1);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(g->price, 101);
	CHECK_INT(db_int(engine, "SELECT price FROM gizmos WHERE name = 'beta'"), 101);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM gizmos WHERE name = 'beta' AND "
				 "note = 'stamped'"),
		  1);
	CHECK_OK(rt_object_set_text(g, &g->note, "plain"));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT price FROM gizmos WHERE name = 'beta'"), 201);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM gizmos WHERE name = 'beta' AND "
				 "note = 'stamped'"),
		  1);
	rt_session_close(s);
}

/* A before-insert hook that fails before any statement ran: the flush
 * stops with its code and message, nothing is written, and the session
 * goes on (the object still pending) once the hook agrees. */
static void test_before_hook_error_aborts(void)
{
	rt_session *s = open_session(engine);
	hook_arg no = {"S", "bi", RT_EINVAL, "no gizmos today"};
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_BEFORE_INSERT, record, &no));
	new_gizmo(s, "gamma", 1);
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	CHECK(message_has("no gizmos today"));
	CHECK(message_has("before-insert hook of Gizmo"));
	CHECK_INT(count_named("gamma"), 0);
	no.fail = 0;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_named("gamma"), 1);
	rt_session_close(s);
}

/* A before-update hook that fails after the flush wrote a row: as any
 * failed flush, only a rollback is taken, and it undoes that row. A hook
 * failing without a message of its own is named with its code. */
static void test_hook_error_after_writes(void)
{
	rt_session *s = open_session(engine);
	Gizmo *old = new_gizmo(s, "delta", 1);
	CHECK_OK(rt_session_commit(s));
	hook_arg no = {"S", "bu", RT_ERROR, NULL};
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_BEFORE_UPDATE, record, &no));
	new_gizmo(s, "epsilon", 1);
	old->price = 9;
	CHECK_INT(rt_session_commit(s), RT_ERROR);
	CHECK(message_has("before-update hook of Gizmo"));
	CHECK(message_has("RT_ERROR"));
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(count_named("epsilon"), 0);
	CHECK_INT(db_int(engine, "SELECT price FROM gizmos WHERE name = 'delta'"), 1);
	rt_session_close(s);
}

/* A validator's message reaches the caller; it runs before INSERTs and
 * UPDATEs alike. */
static void test_validator_message(void)
{
	rt_session *s = open_session(engine);
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_VALIDATE, no_negative_price, NULL));
	Gizmo *g = new_gizmo(s, "zeta", -5);
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	CHECK(message_has("validator of Gizmo"));
	CHECK(message_has("price must not be negative"));
	CHECK_INT(count_named("zeta"), 0);
	g->price = 5;
	CHECK_OK(rt_session_commit(s));
	g->price = -1;
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	char key[32];
	snprintf(key, sizeof(key), "id=%lld", (long long)g->id);
	CHECK(message_has(key));
	CHECK(message_has("price must not be negative"));
	CHECK_INT(db_int(engine, "SELECT price FROM gizmos WHERE name = 'zeta'"), 5);
	rt_session_close(s);
}

/* A hook of no model runs for every model; an unknown event or a NULL
 * function is refused. */
static void test_every_model(void)
{
	rt_session *s = open_session(engine);
	int calls = 0;
	CHECK_OK(rt_session_hook_add(s, NULL, RT_HOOK_BEFORE_INSERT, count_calls, &calls));
	CHECK_INT(rt_session_hook_add(s, NULL, (rt_hook_event)99, count_calls, &calls), RT_EINVAL);
	CHECK_INT(rt_session_hook_add(s, NULL, RT_HOOK_AFTER_LOAD, NULL, NULL), RT_EINVAL);
	new_gizmo(s, "eta", 1);
	Ledger *l = NULL;
	CHECK_OK(Ledger_new(&l, s));
	if (l)
		CHECK_OK(Ledger_set_owner(l, "hooked"));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(calls, 2);
	rt_session_close(s);
}

static int put_price_back(rt_session *session, void *object, void *user)
{
	(void)session;
	Gizmo *g = object;
	g->price = *(int *)user;
	return RT_OK;
}

/* A before-update hook that puts every change back: no UPDATE, no
 * after-update hook. */
static void test_hook_reverts_change(void)
{
	rt_session *s = open_session(engine);
	Gizmo *g = new_gizmo(s, "iota", 7);
	CHECK_OK(rt_session_commit(s));
	int seven = 7;
	hook_arg after = {"S", "au", 0, NULL};
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_BEFORE_UPDATE, put_price_back,
				     &seven));
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_AFTER_UPDATE, record, &after));
	trail[0] = '\0';
	g->price = 8;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(g->price, 7);
	CHECK_STR(trail, "");
	CHECK_INT(db_int(engine, "SELECT price FROM gizmos WHERE name = 'iota'"), 7);
	rt_session_close(s);
}

/* An after-load hook that fails: the get fails with its message. */
static void test_after_load_error(void)
{
	rt_session *s = open_session(engine);
	Gizmo *g = new_gizmo(s, "kappa", 1);
	CHECK_OK(rt_session_commit(s));
	int64_t id = g->id;
	rt_session_close(s);
	s = open_session(engine);
	hook_arg no = {"S", "load", RT_EINVAL, "not this one"};
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_AFTER_LOAD, record, &no));
	g = NULL;
	CHECK_INT(Gizmo_get(&g, s, id), RT_EINVAL);
	CHECK(message_has("after-load hook of Gizmo"));
	CHECK(message_has("not this one"));
	rt_session_close(s);
}

/* The generated, typed registration: the hook takes a Gizmo *. */
static int typed_hook(rt_session *session, Gizmo *gizmo, void *user)
{
	(void)session;
	if (gizmo->price > 1000)
		return rt_error_set_str(RT_EINVAL, "too dear");
	++*(int *)user;
	return RT_OK;
}

static void test_typed(void)
{
	rt_engine *own = NULL;
	CHECK_OK(rt_engine_open(&own, rt_test_url(), NULL));
	if (!own)
		return;
	int session_calls = 0, engine_calls = 0;
	CHECK_OK(Gizmo_engine_hook_add(own, RT_HOOK_VALIDATE, typed_hook, &engine_calls));
	rt_session *s = open_session(own);
	CHECK_OK(Gizmo_hook_add(s, RT_HOOK_VALIDATE, typed_hook, &session_calls));
	CHECK_INT(Gizmo_hook_add(s, RT_HOOK_VALIDATE, NULL, NULL), RT_EINVAL);
	Gizmo *g = new_gizmo(s, "theta", 5000);
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	CHECK(message_has("validator of Gizmo (new): too dear"));
	g->price = 50;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(engine_calls, 1);
	CHECK_INT(session_calls, 1);
	rt_session_close(s);
	rt_engine_free(own);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_order);
	RT_RUN(test_before_hook_writes);
	RT_RUN(test_before_hook_error_aborts);
	RT_RUN(test_hook_error_after_writes);
	RT_RUN(test_validator_message);
	RT_RUN(test_every_model);
	RT_RUN(test_typed);
	RT_RUN(test_hook_reverts_change);
	RT_RUN(test_after_load_error);
	rt_engine_free(engine);
	return rt_test_done();
}
