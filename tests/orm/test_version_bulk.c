/*
 * test_version_bulk.c - set-based UPDATEs (rt_query_update) and upserts
 * (rt_session_upsert) keep optimistic locking and `onupdate now` as the
 * flush does, on every backend (model Ledger of tests/orm/models.rt).
 *
 * The rules under test: a set-based UPDATE adds 1 to the version of each
 * row it matches and sets its `onupdate now` column, unless its
 * assignments name them, and the session's objects of those rows read
 * both back (so a session that loaded a row before sees the change as a
 * conflict: RT_ESTALE); an upsert that updates a stored row adds 1 to its
 * version and sets the time, one that inserts starts at 1 and leaves the
 * time alone, one that keeps the row (RT_UPSERT_NOTHING) changes neither;
 * an upsert runs the validators of every object before any SQL, and no
 * other hook.
 */
#include "gizmo_test.h"

static rt_engine *engine;

static const rt_timestamp long_ago = {{2000, 1, 2}, {3, 4, 5, 0}};

static Ledger *new_ledger(rt_session *s, int64_t id, const char *owner, int balance)
{
	Ledger *l = NULL;
	CHECK_OK(Ledger_new(&l, s));
	if (!l)
		exit(1);
	l->id = id;
	CHECK_OK(Ledger_set_owner(l, owner));
	l->balance = balance;
	return l;
}

/* Rows 1..n of owner, committed, version 1. */
static void seed(int64_t first, int n, const char *owner)
{
	rt_session *s = open_session(engine);
	for (int i = 0; i < n; i++)
		new_ledger(s, first + i, owner, 10);
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

static long long stored(const char *column, int64_t id)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT %s FROM ledgers WHERE id = %lld", column,
		 (long long)id);
	return db_int(engine, sql);
}

/* Rows of id whose updated_at is after 2001 (0 or 1). */
static long long stamped_recently(int64_t id)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM ledgers WHERE id = %lld AND "
				   "updated_at > '2001-01-01'",
		 (long long)id);
	return db_int(engine, sql);
}

static int64_t update_owner(rt_session *s, const char *owner, const rt_assignment *set,
			    size_t count)
{
	rt_query *q = NULL;
	CHECK_OK(Ledger_query(&q, s));
	if (!q)
		exit(1);
	CHECK_OK(rt_query_filter(q, rt_eq(q, Ledger_c.owner, owner)));
	int64_t n = -1;
	CHECK_OK(rt_query_update(q, &n, set, count));
	rt_query_free(q);
	return n;
}

/* A set-based UPDATE adds 1 to each matched row's version and sets its
 * `onupdate now` column; an object the session holds reads both back and
 * is not dirty afterwards. */
static void test_setwrite_bumps_version(void)
{
	seed(1, 3, "set");
	rt_session *s = open_session(engine);
	Ledger *held = NULL;
	CHECK_OK(Ledger_get(&held, s, 2));
	if (!held)
		return;
	CHECK_INT(held->revision, 1);
	CHECK(!held->updated_at.present);
	rt_assignment set[] = {rt_set(Ledger_c.balance, 50)};
	CHECK_INT(update_owner(s, "set", set, 1), 3);
	CHECK_INT(held->revision, 2);
	CHECK_INT(held->balance, 50);
	CHECK(held->updated_at.present && held->updated_at.value.date.year > 2000);
	CHECK_OK(rt_session_commit(s));
	for (int64_t id = 1; id <= 3; id++) {
		CHECK_INT(stored("revision", id), 2);
		CHECK_INT(stamped_recently(id), 1);
	}
	/* Nothing dirty: the commit wrote no UPDATE of its own. */
	CHECK_INT(held->revision, 2);
	/* A second one adds 1 again. */
	CHECK_INT(update_owner(s, "set", set, 1), 3);
	CHECK_INT(held->revision, 3);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(stored("revision", 1), 3);
	rt_session_close(s);
}

/* An object another session loaded before a set-based UPDATE is stale
 * afterwards: its own UPDATE is RT_ESTALE, not a silent overwrite. */
static void test_setwrite_makes_others_stale(void)
{
	seed(11, 1, "stale");
	rt_session *mine = open_session(engine);
	Ledger *l = NULL;
	CHECK_OK(Ledger_get(&l, mine, 11));
	if (!l)
		return;
	/* Its read transaction over, so that SQLite lets the other writer in. */
	CHECK_OK(rt_session_commit(mine));
	rt_session *theirs = open_session(engine);
	rt_assignment set[] = {rt_set_add(Ledger_c.balance, 5)};
	CHECK_INT(update_owner(theirs, "stale", set, 1), 1);
	CHECK_OK(rt_session_commit(theirs));
	rt_session_close(theirs);
	l->balance = 99;
	CHECK_INT(rt_session_commit(mine), RT_ESTALE);
	CHECK(message_has("Ledger id=11 is stale"));
	CHECK_OK(rt_session_rollback(mine));
	CHECK_INT(stored("balance", 11), 15);
	CHECK_INT(stored("revision", 11), 2);
	rt_session_close(mine);
}

/* Assignments that name the version or the time are the program's: the
 * ORM adds neither. */
static void test_setwrite_program_assigns(void)
{
	seed(21, 1, "own");
	rt_session *s = open_session(engine);
	rt_assignment set[] = {rt_set_add(Ledger_c.revision, 10),
			       rt_set(Ledger_c.updated_at, long_ago)};
	CHECK_INT(update_owner(s, "own", set, 2), 1);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(stored("revision", 21), 11);
	CHECK_INT(stamped_recently(21), 0);
	CHECK_INT(stored("COUNT(updated_at)", 21), 1);
	rt_session_close(s);
}

static rt_upsert_options by_id(rt_upsert_action action)
{
	static const char *const id[] = {"id"};
	rt_upsert_options o = RT_UPSERT_OPTIONS_INIT;
	o.conflict_columns = id;
	o.conflict_count = 1;
	o.action = action;
	return o;
}

/* An upsert that updates a stored row sets its time and adds 1 to its
 * version, whatever the object held; one that inserts leaves the time as
 * given (NULL) and starts at 1; a kept row (RT_UPSERT_NOTHING) changes
 * neither. The session's objects read the rows back. */
static void test_upsert_sets_time(void)
{
	seed(31, 2, "up");
	rt_session *s = open_session(engine);
	Ledger *held = NULL;
	CHECK_OK(Ledger_get(&held, s, 31));
	Ledger *objects[2] = {new_ledger(s, 31, "up2", 70), new_ledger(s, 39, "up2", 71)};
	objects[0]->revision = 40; /* the ORM's: not written */
	objects[0]->updated_at = (rt_opt_timestamp){true, long_ago};
	rt_upsert_options o = by_id(RT_UPSERT_UPDATE);
	Ledger *out[2] = {NULL, NULL};
	CHECK_OK(Ledger_upsert(out, s, objects, 2, &o));
	CHECK(out[0] == held);
	CHECK_INT(held->revision, 2);
	CHECK_INT(held->balance, 70);
	CHECK(held->updated_at.present && held->updated_at.value.date.year > 2000);
	CHECK(out[1] && out[1]->revision == 1 && !out[1]->updated_at.present);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(stored("revision", 31), 2);
	CHECK_INT(stamped_recently(31), 1);
	CHECK_INT(stored("revision", 39), 1);
	CHECK_INT(stored("COUNT(updated_at)", 39), 0);

	/* update_columns naming the version and the time: still the ORM's. */
	static const char *const columns[] = {"balance", "revision", "updated_at"};
	o.update_columns = columns;
	o.update_count = 3;
	Ledger *again = new_ledger(s, 31, "up3", 80);
	again->updated_at = (rt_opt_timestamp){true, long_ago};
	CHECK_OK(Ledger_upsert(out, s, &again, 1, &o));
	CHECK_INT(held->revision, 3);
	CHECK_INT(held->balance, 80);
	CHECK(held->updated_at.value.date.year > 2000);

	/* Kept as stored: neither changes. */
	rt_upsert_options keep = by_id(RT_UPSERT_NOTHING);
	Ledger *kept = new_ledger(s, 32, "up4", 90);
	CHECK_OK(Ledger_upsert(out, s, &kept, 1, &keep));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(stored("revision", 31), 3);
	CHECK_INT(stored("revision", 32), 1);
	CHECK_INT(stored("COUNT(updated_at)", 32), 0);
	CHECK_INT(stored("balance", 32), 10);
	rt_session_close(s);
}

static int no_big_balance(rt_session *session, void *object, void *user)
{
	(void)session;
	(void)user;
	const Ledger *l = object;
	return l->balance > 1000 ? rt_error_set_str(RT_EINVAL, "balance too big") : RT_OK;
}

/* An upsert runs the validators (the model's and the columns') of every
 * object before any SQL, and no other hook: a failing one stops it with
 * nothing written, the objects still new. */
static void test_upsert_validators(void)
{
	seed(41, 1, "val");
	rt_session *s = open_session(engine);
	int hooks = 0, model_checks = 0, column_checks = 0;
	static const rt_hook_event others[] = {RT_HOOK_BEFORE_INSERT, RT_HOOK_AFTER_INSERT,
					       RT_HOOK_BEFORE_UPDATE, RT_HOOK_AFTER_UPDATE};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		CHECK_OK(rt_session_hook_add(s, &Ledger_model, others[i], count_calls, &hooks));
	CHECK_OK(rt_session_hook_add(s, &Ledger_model, RT_HOOK_VALIDATE, count_calls,
				     &model_checks));
	CHECK_OK(rt_session_validator_add(s, &Ledger_model, "owner", count_calls,
					  &column_checks));
	CHECK_OK(rt_session_validator_add(s, &Ledger_model, "balance", no_big_balance, NULL));
	Ledger *objects[2] = {new_ledger(s, 41, "val2", 5), new_ledger(s, 42, "val2", 5000)};
	rt_upsert_options o = by_id(RT_UPSERT_UPDATE);
	CHECK_INT(Ledger_upsert(NULL, s, objects, 2, &o), RT_EINVAL);
	CHECK(message_has("validator of Ledger.balance (new): balance too big"));
	CHECK_INT(stored("balance", 41), 10);
	CHECK_INT(stored("COUNT(*)", 42), 0);
	/* Still new: fixed, they go. */
	objects[1]->balance = 6;
	model_checks = column_checks = 0;
	CHECK_OK(Ledger_upsert(NULL, s, objects, 2, &o));
	CHECK_INT(model_checks, 2);
	CHECK_INT(column_checks, 2);
	CHECK_INT(hooks, 0);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(stored("balance", 41), 5);
	CHECK_INT(stored("revision", 41), 2);
	CHECK_INT(stored("balance", 42), 6);
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_setwrite_bumps_version);
	RT_RUN(test_setwrite_makes_others_stale);
	RT_RUN(test_setwrite_program_assigns);
	RT_RUN(test_upsert_sets_time);
	RT_RUN(test_upsert_validators);
	rt_engine_free(engine);
	return rt_test_done();
}
