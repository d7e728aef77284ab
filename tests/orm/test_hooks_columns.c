/*
 * test_hooks_columns.c - a column's validators (rt_session_validator_add,
 * rt_engine_validator_add, the generated <Model>_validator_add;
 * SQLAlchemy's @validates("price")) on every backend (model Gizmo of
 * tests/orm/models.rt).
 *
 * The rules under test: a column's validator runs before the INSERT of
 * every new object, and before an UPDATE only when its column changed
 * (by the program or by a before-update hook); a failing one stops the
 * flush with its code and its message, named by model.field and key, the
 * session as after any failed flush; the column is named by its SQL name
 * or its field; a column the model lacks or a NULL function is RT_EINVAL.
 */
#include "gizmo_test.h"

static rt_engine *engine;

static long long count_named(const char *name)
{
	return gizmos_named(engine, name);
}

/* A new object: every column's validator runs; a failing one names
 * model.field, nothing is written, and the session goes on once fixed. */
static void test_insert(void)
{
	rt_session *s = open_session(engine);
	int names = 0;
	CHECK_OK(rt_session_validator_add(s, &Gizmo_model, "price", no_negative_price, NULL));
	CHECK_OK(rt_session_validator_add(s, &Gizmo_model, "name", count_calls, &names));
	Gizmo *g = new_gizmo(s, "col-a", -1);
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	CHECK(message_has("validator of Gizmo.price (new): price must not be negative"));
	CHECK_INT(count_named("col-a"), 0);
	g->price = 1;
	names = 0;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(names, 1);
	CHECK_INT(count_named("col-a"), 1);
	rt_session_close(s);
}

/* An update: a column's validator runs when its column changed, not for
 * a change of another column; the model's validators run for any. */
static void test_update_changed_only(void)
{
	rt_session *s = open_session(engine);
	Gizmo *g = new_gizmo(s, "col-b", 1);
	CHECK_OK(rt_session_commit(s));
	int prices = 0, names = 0, model = 0;
	CHECK_OK(rt_session_validator_add(s, &Gizmo_model, "price", count_calls, &prices));
	CHECK_OK(rt_session_validator_add(s, &Gizmo_model, "name", count_calls, &names));
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_VALIDATE, count_calls, &model));
	CHECK_OK(rt_session_validator_add(s, &Gizmo_model, "price", no_negative_price, NULL));
	CHECK_OK(Gizmo_set_name(g, "col-b2"));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(names, 1);
	CHECK_INT(prices, 0);
	CHECK_INT(model, 1);
	g->price = -3;
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	char key[48];
	snprintf(key, sizeof(key), "validator of Gizmo.price id=%lld", (long long)g->id);
	CHECK(message_has(key));
	CHECK_INT(prices, 1);
	CHECK_INT(names, 1);
	/* Nothing was written: the session goes on. */
	g->price = 3;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(prices, 2);
	CHECK_INT(db_int(engine, "SELECT price FROM gizmos WHERE name = 'col-b2'"), 3);
	/* Nothing changed: no validator. */
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(prices + names, 3);
	rt_session_close(s);
}

static int make_negative(rt_session *session, void *object, void *user)
{
	(void)session;
	(void)user;
	((Gizmo *)object)->price = -100;
	return RT_OK;
}

/* A before-update hook's change counts: the validator of the column it
 * changed runs (it sees the hook's value). A failure after a statement
 * ran leaves the session needing a rollback, as any failed flush. */
static void test_hook_changes_column(void)
{
	rt_session *s = open_session(engine);
	Gizmo *g = new_gizmo(s, "col-c", 1);
	CHECK_OK(rt_session_commit(s));
	CHECK_OK(rt_session_hook_add(s, &Gizmo_model, RT_HOOK_BEFORE_UPDATE, make_negative,
				     NULL));
	CHECK_OK(rt_session_validator_add(s, &Gizmo_model, "price", no_negative_price, NULL));
	new_gizmo(s, "col-c-new", 1);
	CHECK_OK(rt_object_set_text(g, &g->note, "only the note"));
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	CHECK(message_has("validator of Gizmo.price"));
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(count_named("col-c-new"), 0);
	CHECK_INT(db_int(engine, "SELECT price FROM gizmos WHERE name = 'col-c'"), 1);
	rt_session_close(s);
}

/* Typed on the struct, by the generated code. */
static int typed_price(rt_session *session, Gizmo *gizmo, void *user)
{
	(void)session;
	++*(int *)user;
	return gizmo->price > 1000 ? rt_error_set_str(RT_EINVAL, "too dear") : RT_OK;
}

/* The engine's validators run in each of its sessions, before the
 * session's; the field's name works as the SQL name does; bad
 * registrations are refused. */
static void test_engine_typed_and_refusals(void)
{
	rt_engine *own = NULL;
	CHECK_OK(rt_engine_open(&own, rt_test_url(), NULL));
	if (!own)
		return;
	int engine_calls = 0, session_calls = 0, raw_calls = 0;
	CHECK_OK(Gizmo_engine_validator_add(own, "price", typed_price, &engine_calls));
	CHECK_OK(rt_engine_validator_add(own, &Gizmo_model, "note", count_calls, &raw_calls));
	rt_session *s = open_session(own);
	CHECK_OK(Gizmo_validator_add(s, "price", typed_price, &session_calls));
	CHECK_INT(Gizmo_validator_add(s, "colour", typed_price, &session_calls), RT_EINVAL);
	CHECK(message_has("Gizmo has no column 'colour'"));
	CHECK_INT(Gizmo_validator_add(s, "price", NULL, NULL), RT_EINVAL);
	CHECK_INT(rt_session_validator_add(s, NULL, "price", count_calls, NULL), RT_EINVAL);
	CHECK_INT(rt_engine_validator_add(NULL, &Gizmo_model, "price", count_calls, NULL),
		  RT_EINVAL);
	Gizmo *g = new_gizmo(s, "col-d", 5000);
	CHECK_INT(rt_session_commit(s), RT_EINVAL);
	CHECK(message_has("validator of Gizmo.price (new): too dear"));
	/* The engine's failed first: the session's did not run. */
	CHECK_INT(engine_calls, 1);
	CHECK_INT(session_calls, 0);
	g->price = 50;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(engine_calls, 2);
	CHECK_INT(session_calls, 1);
	CHECK_INT(raw_calls, 1);
	rt_session_close(s);
	rt_engine_free(own);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_insert);
	RT_RUN(test_update_changed_only);
	RT_RUN(test_hook_changes_column);
	RT_RUN(test_engine_typed_and_refusals);
	rt_engine_free(engine);
	return rt_test_done();
}
