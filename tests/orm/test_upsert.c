/*
 * test_upsert.c - rt_session_upsert on every backend: a new row, an
 * existing row updated, do-nothing keeping the stored row, a batch of
 * half new rows, the identity map showing the stored values, and
 * conflicts on the primary key and on a unique column that is not the key
 * (authors.name, tags.id of tests/orm/models.rt), and the row found under
 * the column's collation.
 */
#include "author_test.h"
#include "session_test.h"

static rt_engine *engine;

static const char *const by_name[] = {"name"};

static rt_upsert_options on_name(rt_upsert_action action)
{
	rt_upsert_options o = RT_UPSERT_OPTIONS_INIT;
	o.conflict_columns = by_name;
	o.conflict_count = 1;
	o.action = action;
	return o;
}

static const char *stored_email(const char *name, char *out, size_t size)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT email FROM authors WHERE name = '%s'", name);
	return db_text(engine, sql, out, size);
}

/* No row with the name: inserted, with the generated key and the server
 * default read back. */
static void test_new_row(void)
{
	rt_session *s = open_session(engine);
	Author *a = new_author(s, "ada", "ada@x", 3);
	void *out[1] = {NULL};
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	CHECK_OK(rt_session_upsert(out, s, (void *const *)&a, 1, &o));
	CHECK(out[0] == a);
	CHECK(a->id > 0);
	CHECK(a->created_at.date.year > 2000);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'ada'"), 1);
	/* Persistent: a change is flushed as an UPDATE. */
	CHECK_OK(Author_set_email(a, "ada@y"));
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(stored_email("ada", text, sizeof(text)), "ada@y");
	rt_session_close(s);
}

/* A row with the name: updated from the object; the object shows the
 * stored row (its key, the server default it did not write). */
static void test_existing_row_updated(void)
{
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('bob', 'old', 5)");
	long long id = db_int(engine, "SELECT id FROM authors WHERE name = 'bob'");
	rt_session *s = open_session(engine);
	Author *a = new_author(s, "bob", "new", 7);
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	CHECK_OK(rt_session_upsert(NULL, s, (void *const *)&a, 1, &o));
	CHECK_INT(a->id, id);
	CHECK_STR(a->email, "new");
	CHECK_INT(a->karma, 7);
	CHECK(a->created_at.date.year > 2000);
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(stored_email("bob", text, sizeof(text)), "new");
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE name = 'bob'"), 7);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'bob'"), 1);
	rt_session_close(s);
}

/* Do-nothing: the stored row stays, and the object shows it. */
static void test_do_nothing(void)
{
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('cy', 'kept', 2)");
	rt_session *s = open_session(engine);
	Author *a = new_author(s, "cy", "lost", 9);
	rt_upsert_options o = on_name(RT_UPSERT_NOTHING);
	CHECK_OK(rt_session_upsert(NULL, s, (void *const *)&a, 1, &o));
	CHECK_STR(a->email, "kept");
	CHECK_INT(a->karma, 2);
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(stored_email("cy", text, sizeof(text)), "kept");
	rt_session_close(s);
}

/* Four objects, two of them with stored rows, in one statement. */
static void test_batch_half_new(void)
{
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('b1', 'old1', 1)");
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('b2', 'old2', 1)");
	long long id1 = db_int(engine, "SELECT id FROM authors WHERE name = 'b1'");
	rt_session *s = open_session(engine);
	Author *a[4] = {new_author(s, "b1", "new1", 11), new_author(s, "n1", "n1@x", 12),
			new_author(s, "b2", "new2", 13), new_author(s, "n2", "n2@x", 14)};
	Author *out[4] = {NULL};
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	CHECK_OK(Author_upsert(out, s, a, 4, &o)); /* the generated, typed form */
	for (int i = 0; i < 4; i++) {
		CHECK(out[i] == a[i]);
		CHECK(a[i]->id > 0);
		CHECK_INT(a[i]->karma, 11 + i);
	}
	CHECK_INT(a[0]->id, id1);
	CHECK(a[1]->id != a[3]->id);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name IN "
				 "('b1', 'b2', 'n1', 'n2')"), 4);
	char text[64];
	CHECK_STR(stored_email("b2", text, sizeof(text)), "new2");
	rt_session_close(s);
}

#define MANY 2500

/* 2,500 objects, every other one with a stored row: more rows than one
 * statement takes (1,000), so three statements, all read back. */
static void test_batch_many(void)
{
	static char sql[64 + MANY / 2 * 24];
	size_t n = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO authors (name, email, karma) VALUES ");
	for (int i = 0; i < MANY; i += 2)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s('m%04d', 'old', 0)", i ? ", " : "",
				      i);
	db_exec(engine, sql);
	rt_session *s = open_session(engine);
	Author *a[MANY];
	for (int i = 0; i < MANY; i++) {
		char name[16];
		snprintf(name, sizeof(name), "m%04d", i);
		a[i] = new_author(s, name, "new", i);
	}
	Author *out[MANY];
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	CHECK_OK(Author_upsert(out, s, a, MANY, &o));
	int same = 0, shown = 0;
	for (int i = 0; i < MANY; i++) {
		same += out[i] == a[i];
		shown += a[i]->id > 0 && a[i]->karma == i && !strcmp(a[i]->email, "new");
	}
	CHECK_INT(same, MANY);
	CHECK_INT(shown, MANY);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name LIKE 'm%' AND "
				 "email = 'new'"), MANY);
	rt_session_close(s);
}

/* One key named by two objects of a call: the second resolves to the
 * first's object, which shows the row as stored at the end. In one
 * statement (not on PostgreSQL, which refuses to update a row twice in
 * one statement) and in two statements of one call (objects 0 and 1,000),
 * where the first statement returns its rows and the second's object
 * finds the first's in the session. */
static void test_one_key_twice(void)
{
	rt_session *s = open_session(engine);
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	if (!orm_test_is_postgres()) {
		Author *pair[2] = {new_author(s, "twin", "first", 1),
				   new_author(s, "twin", "second", 2)};
		Author *out[2] = {NULL};
		CHECK_OK(Author_upsert(out, s, pair, 2, &o));
		CHECK(out[0] == pair[0] && out[1] == pair[0]);
		CHECK_STR(pair[0]->email, "second");
		CHECK_INT(pair[0]->karma, 2);
	}
	Author *a[1001];
	for (int i = 0; i < 1001; i++) {
		char name[16];
		snprintf(name, sizeof(name), "t%04d", i == 1000 ? 0 : i);
		a[i] = new_author(s, name, i == 1000 ? "later" : "early", i);
	}
	Author *out[1001];
	CHECK_OK(Author_upsert(out, s, a, 1001, &o));
	CHECK(out[0] == a[0] && out[1000] == a[0] && out[999] == a[999]);
	CHECK_STR(a[0]->email, "later");
	CHECK_INT(a[0]->karma, 1000);
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(stored_email("t0000", text, sizeof(text)), "later");
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name LIKE 't0%'"), 1000);
	rt_session_close(s);
}

/* Do-nothing with one key named twice in a statement (every backend takes
 * it: the second row is a conflict, kept), between a kept stored row and a
 * new one: the backend returns fewer rows than objects, and each object
 * still gets its own row, the second of the key the first's object. On
 * SQLite and MariaDB also do-update with the key twice apart, a new key
 * between. */
static void test_one_key_twice_apart(void)
{
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('dk', 'kept', 1)");
	rt_session *s = open_session(engine);
	rt_upsert_options o = on_name(RT_UPSERT_NOTHING);
	Author *a[4] = {new_author(s, "dk", "lost", 2), new_author(s, "dtwin", "first", 3),
			new_author(s, "dtwin", "second", 4), new_author(s, "dnew", "d", 5)};
	Author *out[4] = {NULL};
	CHECK_OK(Author_upsert(out, s, a, 4, &o));
	CHECK(out[0] == a[0] && out[1] == a[1] && out[2] == a[1] && out[3] == a[3]);
	CHECK_STR(a[0]->email, "kept");
	CHECK_INT(a[0]->karma, 1);
	CHECK_STR(a[1]->email, "first");
	CHECK_INT(a[1]->karma, 3);
	CHECK_STR(a[3]->email, "d");
	CHECK(a[1]->id > 0 && a[3]->id > 0 && a[1]->id != a[3]->id);
	if (!orm_test_is_postgres()) {
		o = on_name(RT_UPSERT_UPDATE);
		Author *b[3] = {new_author(s, "etwin", "first", 6), new_author(s, "emid", "m", 7),
				new_author(s, "etwin", "second", 8)};
		Author *bout[3] = {NULL};
		CHECK_OK(Author_upsert(bout, s, b, 3, &o));
		CHECK(bout[0] == b[0] && bout[1] == b[1] && bout[2] == b[0]);
		CHECK_STR(b[0]->email, "second");
		CHECK_INT(b[0]->karma, 8);
		CHECK_STR(b[1]->email, "m");
	}
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(stored_email("dk", text, sizeof(text)), "kept");
	CHECK_STR(stored_email("dtwin", text, sizeof(text)), "first");
	if (!orm_test_is_postgres())
		CHECK_STR(stored_email("etwin", text, sizeof(text)), "second");
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'dtwin'"), 1);
	rt_session_close(s);
}

/* The session already holds the row's object: it takes the stored values
 * and is the result; update_columns limits what is set. */
static void test_identity_map(void)
{
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('dee', 'old', 4)");
	long long id = db_int(engine, "SELECT id FROM authors WHERE name = 'dee'");
	rt_session *s = open_session(engine);
	Author *held = NULL;
	CHECK_OK(Author_get(&held, s, id));
	if (!held)
		return;
	Author *a = new_author(s, "dee", "new", 40);
	static const char *const email_only[] = {"email"};
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	o.update_columns = email_only;
	o.update_count = 1;
	Author *out = NULL;
	CHECK_OK(rt_session_upsert((void **)&out, s, (void *const *)&a, 1, &o));
	CHECK(out == held);
	CHECK_STR(held->email, "new");
	CHECK_INT(held->karma, 4); /* not updated: the stored value */
	Author *again = NULL;
	CHECK_OK(Author_get(&again, s, id));
	CHECK(again == held);
	/* A rollback gives the held object its values back. */
	CHECK_OK(rt_session_rollback(s));
	CHECK_STR(held->email, "old");
	char text[64];
	CHECK_STR(stored_email("dee", text, sizeof(text)), "old");
	rt_session_close(s);
}

/* A batch that updates only the email: a returned row gives its object
 * what the statement did not take from it (the key, the stored karma),
 * the object keeps the email it wrote; a row whose object the session
 * holds already is read back whole into that one. */
static void test_batch_update_some_columns(void)
{
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('p1', 'old1', 7)");
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('p2', 'old2', 8)");
	long long id1 = db_int(engine, "SELECT id FROM authors WHERE name = 'p1'");
	long long id2 = db_int(engine, "SELECT id FROM authors WHERE name = 'p2'");
	rt_session *s = open_session(engine);
	Author *held = NULL;
	CHECK_OK(Author_get(&held, s, id2));
	if (!held)
		return;
	Author *a[3] = {new_author(s, "p1", "new1", 71), new_author(s, "p2", "new2", 72),
			new_author(s, "p3", "new3", 73)};
	Author *out[3] = {NULL};
	static const char *const email_only[] = {"email"};
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	o.update_columns = email_only;
	o.update_count = 1;
	CHECK_OK(Author_upsert(out, s, a, 3, &o));
	CHECK(out[0] == a[0]);
	CHECK_INT(a[0]->id, id1);
	CHECK_STR(a[0]->email, "new1");
	CHECK_INT(a[0]->karma, 7); /* not updated: the stored value */
	CHECK(out[1] == held);
	CHECK_STR(held->email, "new2");
	CHECK_INT(held->karma, 8);
	CHECK(out[2] == a[2]);
	CHECK(a[2]->id > 0 && a[2]->id != id1 && a[2]->id != id2);
	CHECK_STR(a[2]->email, "new3");
	CHECK_INT(a[2]->karma, 73); /* a new row: as written */
	CHECK(a[2]->created_at.date.year > 2000);
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(stored_email("p1", text, sizeof(text)), "new1");
	CHECK_INT(db_int(engine, "SELECT karma FROM authors WHERE name = 'p1'"), 7);
	rt_session_close(s);
}

/* The row is found by the key under the column's collation, as the
 * conflict was: on MariaDB (case-insensitive) 'Gus' hits 'gus', elsewhere
 * it is a new row. Either way the object is the row the database finds. */
static void test_collation(void)
{
	db_exec(engine, "INSERT INTO authors (name, email, karma) VALUES ('gus', 'old', 1)");
	rt_session *s = open_session(engine);
	Author *a = new_author(s, "Gus", "new", 2);
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	CHECK_OK(rt_session_upsert(NULL, s, (void *const *)&a, 1, &o));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(a->id, db_int(engine, "SELECT id FROM authors WHERE name = 'Gus'"));
	char text[64];
	CHECK_STR(stored_email("Gus", text, sizeof(text)), "new");
	rt_session_close(s);
}

/* A conflict on another unique key than the target: PostgreSQL and SQLite
 * refuse the row; MariaDB's ON DUPLICATE KEY UPDATE updates the row that
 * holds the name and returns it under its own key, which no object has,
 * so the object finds no row under its key. Either way an error, the
 * stored row's other values untouched by the session, and a rollback
 * brings the session back. The row with the other object's key, in the
 * same statement, is written and read back as usual before the error. */
static void test_other_unique_key(void)
{
	db_exec(engine, "INSERT INTO authors (id, name, email, karma) VALUES (7100, 'clash', 'old', 1)");
	rt_session *s = open_session(engine);
	Author *a[2] = {new_author(s, "fine", "f@x", 2), new_author(s, "clash", "new", 3)};
	a[0]->id = 7200;
	a[1]->id = 7300;
	CHECK(rt_session_upsert(NULL, s, (void *const *)a, 2, NULL) < 0);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE id IN (7200, 7300)"), 0);
	CHECK_INT(db_int(engine, "SELECT id FROM authors WHERE name = 'clash'"), 7100);
	char text[64];
	CHECK_STR(stored_email("clash", text, sizeof(text)), "old");
	rt_session_close(s);
}

/* A rollback takes an upserted new row's object out of the session. */
static void test_rollback(void)
{
	rt_session *s = open_session(engine);
	Author *a = new_author(s, "fay", "f@x", 1);
	rt_upsert_options o = on_name(RT_UPSERT_UPDATE);
	CHECK_OK(rt_session_upsert(NULL, s, (void *const *)&a, 1, &o));
	int64_t id = a->id;
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'fay'"), 0);
	Author *got = NULL;
	CHECK(Author_get(&got, s, id) == RT_ENOTFOUND);
	rt_session_close(s);
}

/* The default conflict key is the primary key. */
static void test_primary_key(void)
{
	rt_session *s = open_session(engine);
	Tag *t = NULL;
	CHECK_OK(Tag_new(&t, s));
	if (!t)
		return;
	t->id = 500;
	CHECK_OK(rt_object_mark_set(t, &t->id));
	CHECK_OK(Tag_set_label(t, "first"));
	CHECK_OK(rt_session_upsert(NULL, s, (void *const *)&t, 1, NULL));
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);

	s = open_session(engine);
	Tag *u = NULL;
	CHECK_OK(Tag_new(&u, s));
	if (!u)
		return;
	u->id = 500;
	CHECK_OK(rt_object_mark_set(u, &u->id));
	CHECK_OK(Tag_set_label(u, "second"));
	CHECK_OK(rt_session_upsert(NULL, s, (void *const *)&u, 1, NULL));
	CHECK_STR(u->label, "second");
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(db_text(engine, "SELECT label FROM tags WHERE id = 500", text, sizeof(text)),
		  "second");
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM tags"), 1);
	rt_session_close(s);
}

static void test_refusals(void)
{
	rt_session *s = open_session(engine);
	Author *a = new_author(s, "eve", NULL, 0);
	static const char *const nowhere[] = {"nope"};
	rt_upsert_options o = RT_UPSERT_OPTIONS_INIT;
	o.conflict_columns = nowhere;
	o.conflict_count = 1;
	CHECK(rt_session_upsert(NULL, s, (void *const *)&a, 1, &o) == RT_EINVAL);
	CHECK(message_has("no column 'nope'"));
	/* The same object twice, and one that is not new. */
	Author *twice[2] = {a, a};
	CHECK(rt_session_upsert(NULL, s, (void *const *)twice, 2, NULL) == RT_EINVAL);
	CHECK(message_has("each once"));
	CHECK_OK(rt_session_flush(s)); /* a is inserted: no longer new */
	CHECK(rt_session_upsert(NULL, s, (void *const *)&a, 1, NULL) == RT_EINVAL);
	CHECK(message_has("not new"));
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_new_row);
	RT_RUN(test_existing_row_updated);
	RT_RUN(test_do_nothing);
	RT_RUN(test_batch_half_new);
	RT_RUN(test_batch_many);
	RT_RUN(test_one_key_twice);
	RT_RUN(test_one_key_twice_apart);
	RT_RUN(test_identity_map);
	RT_RUN(test_batch_update_some_columns);
	RT_RUN(test_collation);
	RT_RUN(test_other_unique_key);
	RT_RUN(test_rollback);
	RT_RUN(test_primary_key);
	RT_RUN(test_refusals);
	rt_engine_free(engine);
	return rt_test_done();
}
