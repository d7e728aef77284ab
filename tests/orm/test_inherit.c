/*
 * test_inherit.c - single-table inheritance on every backend (Staff,
 * Manager, Engineer, Director and Vehicle, Truck of tests/orm/models.rt):
 * inserting writes the discriminator; a query of the root gives each row
 * as an object of its own model; a query of a subclass reads only its rows
 * (and its subclasses'); get by key; update and delete; one object per row
 * whichever model found it; an enum discriminator.
 */
#include "session_test.h"

static rt_engine *engine;

static void seed(void)
{
	rt_session *s = open_session(engine);
	Staff *st = NULL;
	Manager *m = NULL;
	Engineer *e = NULL;
	Director *d = NULL;
	CHECK_OK(Staff_new(&st, s));
	st->id = 1;
	CHECK_OK(Staff_set_name(st, "sam"));
	CHECK_OK(Manager_new(&m, s));
	m->base.id = 2;
	CHECK_OK(Manager_set_name(m, "meg"));
	m->budget = (rt_opt_int32){true, 100};
	CHECK_OK(Engineer_new(&e, s));
	e->base.id = 3;
	CHECK_OK(Engineer_set_name(e, "eve"));
	CHECK_OK(Director_new(&d, s));
	d->base.base.id = 4;
	CHECK_OK(Director_set_name(d, "dan"));
	d->base.budget = (rt_opt_int32){true, 900};
	CHECK_OK(Director_set_board_seat(d, "chair"));
	/* A new object holds its identity already. */
	CHECK_STR(m->base.kind, "manager");
	CHECK_STR(e->language, "c");
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

static void clear(void)
{
	db_exec(engine, "DELETE FROM staff");
	db_exec(engine, "DELETE FROM vehicles");
}

/* Each INSERT wrote its model's identity and columns. */
static void test_insert_writes_discriminator(void)
{
	seed();
	char text[64];
	CHECK_STR(db_text(engine, "SELECT kind FROM staff WHERE id = 1", text, sizeof(text)),
		  "staff");
	CHECK_STR(db_text(engine, "SELECT kind FROM staff WHERE id = 2", text, sizeof(text)),
		  "manager");
	CHECK_STR(db_text(engine, "SELECT kind FROM staff WHERE id = 3", text, sizeof(text)),
		  "engineer");
	CHECK_STR(db_text(engine, "SELECT kind FROM staff WHERE id = 4", text, sizeof(text)),
		  "director");
	CHECK_INT(db_int(engine, "SELECT budget FROM staff WHERE id = 4"), 900);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM staff WHERE budget IS NULL"), 2);
	clear();
}

/* A query of the root: every row, each as its own model's object. */
static void test_polymorphic_query(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Staff_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Staff_c.id.ref, false));
	rt_list list = {0};
	CHECK_OK(rt_query_all(q, &list));
	rt_query_free(q);
	CHECK_INT((long long)list.count, 4);
	if (list.count == 4) {
		CHECK(rt_object_model(list.items[0]) == &Staff_model);
		CHECK(rt_object_model(list.items[1]) == &Manager_model);
		CHECK(rt_object_model(list.items[2]) == &Engineer_model);
		CHECK(rt_object_model(list.items[3]) == &Director_model);
		Manager *m = list.items[1];
		CHECK_STR(m->base.name, "meg");
		CHECK(m->budget.present && m->budget.value == 100);
		Engineer *e = list.items[2];
		CHECK_STR(e->language, "c");
		Director *d = list.items[3];
		CHECK(d->base.budget.present && d->base.budget.value == 900);
		CHECK_STR(d->board_seat, "chair");
		CHECK(rt_object_is_a(d, &Manager_model));
		CHECK(!rt_object_is_a(e, &Manager_model));
		/* The same row is the same object, whichever model found it. */
		Manager *again = NULL;
		CHECK_OK(Manager_get(&again, s, 2));
		CHECK(again == m);
		Staff *by_root = NULL;
		CHECK_OK(Staff_get(&by_root, s, 4));
		CHECK(by_root == &d->base.base);
	}
	rt_session_close(s);
	clear();
}

/* A query of a subclass reads its rows and its subclasses' only. */
static void test_subclass_query(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Manager_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Manager_c.id.ref, false));
	rt_list list = {0};
	CHECK_OK(rt_query_all(q, &list));
	rt_query_free(q);
	CHECK_INT((long long)list.count, 2);
	if (list.count == 2) {
		CHECK(rt_object_model(list.items[0]) == &Manager_model);
		CHECK(rt_object_model(list.items[1]) == &Director_model);
	}
	/* A filter and a count. */
	CHECK_OK(Manager_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_gt(q, Manager_c.budget, 500)));
	int64_t count = 0;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 1);
	rt_query_free(q);
	CHECK_OK(Engineer_query(&q, s));
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 1);
	rt_query_free(q);
	/* Get by a key whose row is another model's: not found. */
	Engineer *e = NULL;
	CHECK(Engineer_get(&e, s, 2) == RT_ENOTFOUND);
	CHECK(e == NULL);
	rt_session_close(s);
	clear();
}

/* Update and delete through a subclass object. */
static void test_update_delete(void)
{
	seed();
	rt_session *s = open_session(engine);
	Director *d = NULL;
	CHECK_OK(Director_get(&d, s, 4));
	if (d) {
		d->base.budget.value = 950;
		CHECK_OK(Director_set_board_seat(d, "member"));
		CHECK_OK(Director_set_name(d, "dana"));
		CHECK_OK(rt_session_commit(s));
	}
	char text[64];
	CHECK_INT(db_int(engine, "SELECT budget FROM staff WHERE id = 4"), 950);
	CHECK_STR(db_text(engine, "SELECT board_seat FROM staff WHERE id = 4", text,
			  sizeof(text)), "member");
	CHECK_STR(db_text(engine, "SELECT name FROM staff WHERE id = 4", text, sizeof(text)),
		  "dana");
	CHECK_STR(db_text(engine, "SELECT kind FROM staff WHERE id = 4", text, sizeof(text)),
		  "director");
	Engineer *e = NULL;
	CHECK_OK(Engineer_get(&e, s, 3));
	if (e) {
		CHECK_OK(Engineer_delete(e));
		CHECK_OK(rt_session_commit(s));
	}
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM staff"), 3);
	/* The session no longer shows it. */
	Staff *gone = NULL;
	CHECK(Staff_get(&gone, s, 3) == RT_ENOTFOUND);
	rt_session_close(s);
	clear();
}

/* An enum discriminator; the root's rows carry the root's identity. */
static void test_enum_discriminator(void)
{
	rt_session *s = open_session(engine);
	Vehicle *v = NULL;
	Truck *t = NULL;
	CHECK_OK(Vehicle_new(&v, s));
	v->id = 1;
	v->wheels = 4;
	CHECK_OK(Truck_new(&t, s));
	t->base.id = 2;
	t->base.wheels = 6;
	t->payload = (rt_opt_int32){true, 20};
	CHECK_INT(v->kind, VEHICLE_KIND_CAR);
	CHECK_INT(t->base.kind, VEHICLE_KIND_TRUCK);
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);

	s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Vehicle_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Vehicle_c.id.ref, false));
	rt_list list = {0};
	CHECK_OK(rt_query_all(q, &list));
	rt_query_free(q);
	CHECK_INT((long long)list.count, 2);
	if (list.count == 2) {
		CHECK(rt_object_model(list.items[0]) == &Vehicle_model);
		CHECK(rt_object_model(list.items[1]) == &Truck_model);
		CHECK_INT(((Truck *)list.items[1])->payload.value, 20);
	}
	CHECK_OK(Truck_query(&q, s));
	int64_t count = 0;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 1);
	rt_query_free(q);
	rt_session_close(s);
	clear();
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_insert_writes_discriminator);
	RT_RUN(test_polymorphic_query);
	RT_RUN(test_subclass_query);
	RT_RUN(test_update_delete);
	RT_RUN(test_enum_discriminator);
	rt_engine_free(engine);
	return rt_test_done();
}
