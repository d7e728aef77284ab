/*
 * test_version.c - optimistic locking (`version`, SQLAlchemy's
 * version_id_col) and `onupdate now` through the ORM, on every backend
 * (model Ledger of tests/orm/models.rt).
 *
 * The rules under test: a new row's version is 1; each UPDATE the flush
 * writes adds 1 (in the row and in the object); a row someone else
 * changed or deleted since the object was loaded makes the UPDATE or
 * DELETE match nothing, which is RT_ESTALE naming the model and the key,
 * the flush failing as any failed flush does (rollback, then the session
 * is usable again); `onupdate now` is set by each UPDATE, not by an
 * INSERT.
 */
#include "session_test.h"

static rt_engine *engine;

static const rt_timestamp long_ago = {{2000, 1, 2}, {3, 4, 5, 0}};

static int64_t new_ledger(const char *owner, int balance)
{
	rt_session *s = open_session(engine);
	Ledger *l = NULL;
	CHECK_OK(Ledger_new(&l, s));
	if (!l)
		exit(1);
	CHECK_OK(Ledger_set_owner(l, owner));
	l->balance = balance;
	CHECK_OK(rt_session_commit(s));
	int64_t id = l->id;
	rt_session_close(s);
	return id;
}

static Ledger *get_ledger(rt_session *s, int64_t id)
{
	Ledger *l = NULL;
	CHECK_OK(Ledger_get(&l, s, id));
	if (!l)
		exit(1);
	return l;
}

static long long stored(const char *column, int64_t id)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT %s FROM ledgers WHERE id = %lld", column,
		 (long long)id);
	return db_int(engine, sql);
}

/* INSERT: version 1, and `onupdate now` left alone (NULL). */
static void test_insert_starts_at_one(void)
{
	rt_session *s = open_session(engine);
	Ledger *l = NULL;
	CHECK_OK(Ledger_new(&l, s));
	if (!l)
		return;
	CHECK_OK(Ledger_set_owner(l, "ada"));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(l->revision, 1);
	CHECK(!l->updated_at.present);
	CHECK_INT(stored("revision", l->id), 1);
	char sql[128], text[64];
	snprintf(sql, sizeof(sql), "SELECT updated_at FROM ledgers WHERE id = %lld",
		 (long long)l->id);
	CHECK_STR(db_text(engine, sql, text, sizeof(text)), "NULL");
	rt_session_close(s);
}

/* Each UPDATE adds 1, in the row and in the object; a flush with nothing
 * changed writes nothing and keeps the version. */
static void test_update_bumps(void)
{
	int64_t id = new_ledger("bob", 10);
	rt_session *s = open_session(engine);
	Ledger *l = get_ledger(s, id);
	CHECK_INT(l->revision, 1);
	l->balance = 20;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(l->revision, 2);
	CHECK_INT(stored("revision", id), 2);
	l->balance = 30;
	CHECK_OK(rt_session_flush(s));
	CHECK_INT(l->revision, 3);
	CHECK_OK(rt_session_commit(s));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(l->revision, 3);
	CHECK_INT(stored("revision", id), 3);
	CHECK_INT(stored("balance", id), 30);
	rt_session_close(s);
}

/* The version is the ORM's: a value the program writes into it is not
 * what the UPDATE checks or writes. */
static void test_program_cannot_skip_check(void)
{
	int64_t id = new_ledger("cy", 1);
	rt_session *s = open_session(engine);
	Ledger *l = get_ledger(s, id);
	l->revision = 40;
	l->balance = 2;
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(l->revision, 2);
	CHECK_INT(stored("revision", id), 2);
	rt_session_close(s);
}

/* What a concurrent writer does to a row: sets its balance, or deletes
 * it (balance < 0), and commits. */
static void elsewhere(int64_t id, int balance)
{
	rt_session *first = open_session(engine);
	Ledger *theirs = get_ledger(first, id);
	if (balance < 0)
		CHECK_OK(rt_object_delete(theirs));
	else
		theirs->balance = balance;
	CHECK_OK(rt_session_commit(first));
	rt_session_close(first);
}

/* A session holding the row as loaded, its read transaction over (so
 * that SQLite lets the other writer in), the row then changed by
 * elsewhere(id, balance). */
static rt_session *load_then_elsewhere(int64_t id, Ledger **mine, int balance)
{
	rt_session *late = open_session(engine);
	*mine = get_ledger(late, id);
	CHECK_OK(rt_session_commit(late));
	elsewhere(id, balance);
	return late;
}

/* Two sessions load the row; one changes it; the other's UPDATE is
 * RT_ESTALE naming model and key, and nothing of it is written. After the
 * rollback the session works again: a refresh gives the row as it is. */
static void test_concurrent_update(void)
{
	int64_t id = new_ledger("dee", 100);
	Ledger *mine;
	rt_session *late = load_then_elsewhere(id, &mine, 150);
	mine->balance = 90;
	CHECK_INT(rt_session_commit(late), RT_ESTALE);
	CHECK_INT(rt_error_last()->code, RT_ESTALE);
	char key[32];
	snprintf(key, sizeof(key), "id=%lld", (long long)id);
	CHECK(message_has("Ledger"));
	CHECK(message_has(key));
	CHECK(message_has("changed"));
	CHECK_STR(rt_error_code_name(RT_ESTALE), "RT_ESTALE");
	CHECK_INT(stored("balance", id), 150);
	CHECK_INT(stored("revision", id), 2);
	/* As after any failed flush: only a rollback is taken. */
	CHECK_INT(rt_session_flush(late), RT_EINVAL);
	CHECK_OK(rt_session_rollback(late));
	CHECK_OK(rt_object_refresh(mine));
	CHECK_INT(mine->balance, 150);
	CHECK_INT(mine->revision, 2);
	mine->balance = 95;
	CHECK_OK(rt_session_commit(late));
	CHECK_INT(mine->revision, 3);
	CHECK_INT(stored("balance", id), 95);
	rt_session_close(late);
}

/* The row deleted by someone else: RT_ESTALE too, saying so. */
static void test_concurrent_delete(void)
{
	int64_t id = new_ledger("eve", 5);
	Ledger *mine;
	rt_session *late = load_then_elsewhere(id, &mine, -1);
	mine->balance = 6;
	CHECK_INT(rt_session_commit(late), RT_ESTALE);
	CHECK(message_has("deleted"));
	CHECK_OK(rt_session_rollback(late));
	rt_session_close(late);
}

/* A DELETE checks the version too: a row changed since it was loaded is
 * not deleted. */
static void test_stale_delete(void)
{
	int64_t id = new_ledger("fay", 7);
	Ledger *mine;
	rt_session *late = load_then_elsewhere(id, &mine, 8);
	CHECK_OK(rt_object_delete(mine));
	CHECK_INT(rt_session_commit(late), RT_ESTALE);
	CHECK(message_has("Ledger"));
	CHECK_OK(rt_session_rollback(late));
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM ledgers WHERE id = %lld", (long long)id);
	CHECK_INT(db_int(engine, sql), 1);
	/* Loaded again, the delete goes through. */
	CHECK_OK(rt_object_refresh(mine));
	CHECK_OK(rt_object_delete(mine));
	CHECK_OK(rt_session_commit(late));
	CHECK_INT(db_int(engine, sql), 0);
	rt_session_close(late);
}

/* Many rows in one flush (one batch of UPDATEs), one of them stale: the
 * error names that one, and the rollback leaves every row as it was. */
static void test_batch_one_stale(void)
{
	int64_t ids[5];
	for (int i = 0; i < 5; i++)
		ids[i] = new_ledger("many", i);
	rt_session *late = open_session(engine);
	Ledger *mine[5];
	for (int i = 0; i < 5; i++)
		mine[i] = get_ledger(late, ids[i]);
	CHECK_OK(rt_session_commit(late));
	elsewhere(ids[3], 333);
	for (int i = 0; i < 5; i++)
		mine[i]->balance = 1000 + i;
	CHECK_INT(rt_session_commit(late), RT_ESTALE);
	char key[32];
	snprintf(key, sizeof(key), "id=%lld", (long long)ids[3]);
	CHECK(message_has(key));
	CHECK_OK(rt_session_rollback(late));
	/* The objects are as loaded again, versions included. */
	for (int i = 0; i < 5; i++) {
		CHECK_INT(mine[i]->revision, 1);
		CHECK_INT(mine[i]->balance, i);
	}
	CHECK_INT(stored("balance", ids[0]), 0);
	CHECK_INT(stored("balance", ids[3]), 333);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM ledgers WHERE owner = 'many' AND "
				 "revision = 1"),
		  4);
	rt_session_close(late);
}

/* `onupdate now`: every UPDATE the flush writes sets it, whatever the
 * program put there; an INSERT does not. */
static void test_onupdate_now(void)
{
	int64_t id = new_ledger("gus", 1);
	CHECK_INT(stored("COUNT(updated_at)", id), 0);
	rt_session *s = open_session(engine);
	Ledger *l = get_ledger(s, id);
	CHECK(!l->updated_at.present);
	l->balance = 2;
	rt_timestamp before = rt_timestamp_now();
	CHECK_OK(rt_session_commit(s));
	CHECK(l->updated_at.present);
	CHECK(l->updated_at.value.date.year >= before.date.year);
	CHECK_INT(stored("COUNT(updated_at)", id), 1);
	/* The program's value is replaced by the time of the UPDATE. */
	l->updated_at = (rt_opt_timestamp){true, long_ago};
	l->balance = 3;
	CHECK_OK(rt_session_commit(s));
	CHECK(l->updated_at.value.date.year > 2000);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM ledgers WHERE id = %lld AND "
				   "updated_at > '2001-01-01'",
		 (long long)id);
	CHECK_INT(db_int(engine, sql), 1);
	/* Nothing changed: no UPDATE, the time stays. */
	rt_timestamp kept = l->updated_at.value;
	CHECK_OK(rt_session_commit(s));
	CHECK(memcmp(&kept, &l->updated_at.value, sizeof(kept)) == 0);
	rt_session_close(s);
}

/* An upsert: a new row starts at 1; a row met on its key is updated as
 * an UPDATE is, its stored version plus 1 (the object reads it back). */
static void test_upsert_bumps_version(void)
{
	int64_t id = new_ledger("hal", 1);
	elsewhere(id, 2); /* version 2 */
	rt_session *s = open_session(engine);
	static const char *const by_id[] = {"id"};
	rt_upsert_options o = RT_UPSERT_OPTIONS_INIT;
	o.conflict_columns = by_id;
	o.conflict_count = 1;
	Ledger *objects[2] = {NULL, NULL};
	for (int i = 0; i < 2; i++) {
		CHECK_OK(Ledger_new(&objects[i], s));
		if (!objects[i])
			return;
		CHECK_OK(Ledger_set_owner(objects[i], "upserted"));
		objects[i]->balance = 70 + i;
	}
	objects[0]->id = id;
	objects[1]->id = id + 1000;
	Ledger *out[2] = {NULL, NULL};
	CHECK_OK(Ledger_upsert(out, s, objects, 2, &o));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(stored("revision", id), 3);
	CHECK_INT(stored("balance", id), 70);
	CHECK_INT(stored("revision", id + 1000), 1);
	CHECK(out[0] && out[0]->revision == 3);
	CHECK(out[1] && out[1]->revision == 1);
	rt_session_close(s);
}

/* The description says what the generated code does. */
static void test_description(void)
{
	unsigned version = 0, onupdate = 0;
	for (int i = 0; i < Ledger_model.column_count; i++) {
		if (strcmp(Ledger_model.columns[i].name, "revision") == 0)
			version = Ledger_model.columns[i].flags;
		if (strcmp(Ledger_model.columns[i].name, "updated_at") == 0)
			onupdate = Ledger_model.columns[i].flags;
	}
	CHECK(version & RT_COLUMN_VERSION);
	CHECK(!(version & RT_COLUMN_ONUPDATE_NOW));
	CHECK(onupdate & RT_COLUMN_ONUPDATE_NOW);
	CHECK(!(onupdate & RT_COLUMN_VERSION));
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_insert_starts_at_one);
	RT_RUN(test_update_bumps);
	RT_RUN(test_program_cannot_skip_check);
	RT_RUN(test_concurrent_update);
	RT_RUN(test_concurrent_delete);
	RT_RUN(test_stale_delete);
	RT_RUN(test_batch_one_stale);
	RT_RUN(test_onupdate_now);
	RT_RUN(test_upsert_bumps_version);
	RT_RUN(test_description);
	rt_engine_free(engine);
	return rt_test_done();
}
