/*
 * test_onupdate.c - a column the database sets on update (`server
 * onupdate now`, MariaDB's ON UPDATE CURRENT_TIMESTAMP) through the ORM
 * (model Note of tests/orm/onupdate/models.rt; MariaDB only).
 *
 * The rule under test: after an UPDATE of a row, the object's field holds
 * the value the server set, read back by the row's key, as a generated
 * column's is; the model's description says the column is such a one.
 */
#define ORM_TEST_MODELS_RT "tests/orm/onupdate/models.rt"
#include "session_test.h"

static rt_engine *engine;

static const rt_timestamp long_ago = {{2000, 1, 2}, {3, 4, 5, 0}};

/* A note whose touched_at the program set to long ago. */
static int64_t insert_old_note(void)
{
	rt_session *s = open_session(engine);
	Note *note = NULL;
	CHECK_OK(Note_new(&note, s));
	if (!note)
		return 0;
	CHECK_OK(Note_set_title(note, "first"));
	note->touched_at = long_ago;
	CHECK_OK(rt_session_commit(s));
	int64_t id = note->id;
	rt_session_close(s);
	CHECK_INT(db_int(engine, "SELECT YEAR(touched_at) FROM notes"), 2000);
	return id;
}

/* An UPDATE of the title makes the server set touched_at to now: the
 * object holds what the row holds. */
static void test_update_reads_onupdate_back(void)
{
	int64_t id = insert_old_note();
	rt_session *s = open_session(engine);
	Note *note = NULL;
	CHECK_OK(Note_get(&note, s, id));
	if (!note)
		return;
	CHECK_INT(note->touched_at.date.year, 2000);
	CHECK_OK(Note_set_title(note, "second"));
	CHECK_OK(rt_session_commit(s));
	CHECK(note->touched_at.date.year > 2000);
	char held[64], stored[64];
	rt_timestamp_format(held, note->touched_at);
	db_text(engine, "SELECT DATE_FORMAT(touched_at, '%Y-%m-%d %H:%i:%s') FROM notes", stored,
		sizeof(stored));
	CHECK(strncmp(held, stored, strlen(stored)) == 0);
	rt_session_close(s);
}

/* A set-based update (rt_query_update) makes the server set touched_at
 * too: the session's object is read back with it. */
static void test_set_based_update_reads_onupdate_back(void)
{
	/* The note of the test before, set long ago again. */
	db_exec(engine, "UPDATE notes SET touched_at = '2000-01-02 03:04:05'");
	int64_t id = db_int(engine, "SELECT MIN(id) FROM notes");
	rt_session *s = open_session(engine);
	Note *note = NULL;
	CHECK_OK(Note_get(&note, s, id));
	if (!note)
		return;
	CHECK_INT(note->touched_at.date.year, 2000);
	rt_query *q = NULL;
	CHECK_OK(Note_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Note_c.id, id)));
	rt_assignment set[] = {rt_set(Note_c.title, "third")};
	int64_t count = 0;
	CHECK_OK(rt_query_update(q, &count, set, 1));
	rt_query_free(q);
	CHECK_INT(count, 1);
	CHECK_STR(note->title, "third");
	CHECK(note->touched_at.date.year > 2000);
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

/* The model's description says what the generated code does. */
static void test_description(void)
{
	const rt_column_desc *touched = NULL;
	for (int i = 0; i < Note_model.column_count; i++)
		if (strcmp(Note_model.columns[i].name, "touched_at") == 0)
			touched = &Note_model.columns[i];
	CHECK(touched && (touched->flags & RT_COLUMN_SERVER_ONUPDATE) &&
	      !(touched->flags & RT_COLUMN_GENERATED));
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_update_reads_onupdate_back);
	RT_RUN(test_set_based_update_reads_onupdate_back);
	RT_RUN(test_description);
	rt_engine_free(engine);
	return rt_test_done();
}
