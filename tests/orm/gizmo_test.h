/*
 * gizmo_test.h - what the hook and validator tests of tests/orm/models.rt
 * share: a new Gizmo with its fields set, the rows of a name, and the
 * hooks every one of them registers (a counter, a price check).
 */
#ifndef RT_TESTS_GIZMO_TEST_H
#define RT_TESTS_GIZMO_TEST_H

#include "session_test.h"

/* A pending Gizmo of session s; exits when it cannot be made. */
static inline Gizmo *new_gizmo(rt_session *s, const char *name, int price)
{
	Gizmo *g = NULL;
	CHECK_OK(Gizmo_new(&g, s));
	if (!g)
		exit(1);
	CHECK_OK(Gizmo_set_name(g, name));
	g->price = price;
	return g;
}

/* The committed gizmos called name. */
static inline long long gizmos_named(rt_engine *engine, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM gizmos WHERE name = '%s'", name);
	return db_int(engine, sql);
}

/* A hook or validator that counts its calls in *(int *)user. */
static inline int count_calls(rt_session *session, void *object, void *user)
{
	(void)session;
	(void)object;
	++*(int *)user;
	return RT_OK;
}

/* A validator of a Gizmo's price. */
static inline int no_negative_price(rt_session *session, void *object, void *user)
{
	(void)session;
	(void)user;
	const Gizmo *g = object;
	return g->price < 0 ? rt_error_set_str(RT_EINVAL, "price must not be negative") : RT_OK;
}

#endif
