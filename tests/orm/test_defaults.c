/*
 * test_defaults.c - what an INSERT writes for columns with defaults
 * (model Preset of tests/orm/models.rt: a client default and a different
 * server default on every kind of column that can carry both, and two
 * columns with only a server default).
 *
 * The rule under test: a value the program leaves or sets is the value
 * stored, and the object keeps it. A column with a client default is always
 * written (its server default serves writers other than the ORM); a column
 * with only a server default is left out of the INSERT, and read back, only
 * while it holds what rt_object_new gave it and the program did not mark it
 * as set (a setter, rt_object_mark_set).
 */
#include "session_test.h"

static rt_engine *engine;

/* Fresh tables and an engine whose pool has no connection to the old ones. */
static void fresh_engine(void)
{
	rt_engine_free(engine);
	engine = orm_test_engine();
}

/* The column of the only presets row, as the database's text. */
static const char *stored(const char *column, char *out, size_t size)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT %s FROM presets", column);
	return db_text(engine, sql, out, size);
}

static void expect_stored(const char *column, const char *expected)
{
	char text[96];
	stored(column, text, sizeof(text));
	CHECK_STR(text, expected);
	if (strcmp(text, expected) != 0)
		fprintf(stderr, "  (column %s)\n", column);
}

/* SQLite keeps what was bound (true as 1, a timestamp as ISO text with six
 * fraction digits, numerics as numbers); PostgreSQL prints its types. */
static const char *boolean(bool value)
{
	if (orm_test_is_postgres())
		return value ? "true" : "false";
	return value ? "1" : "0";
}

static void commit_one(rt_session *s)
{
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM presets"), 1);
}

/* Left as rt_object_new made it: the client defaults are written (and
 * the object still shows them after the commit); the server-only columns
 * get the server's values, read back into the object. */
static void test_left_alone(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Preset *p = NULL;
	CHECK_OK(Preset_new(&p, s));
	if (!p)
		return;
	commit_one(s);
	CHECK_STR(p->label, "client");
	CHECK_INT(p->count, 1);
	CHECK_INT(p->big, 10);
	CHECK(p->flag);
	CHECK_INT(p->mood, MOOD_HAPPY);
	CHECK_STR(p->amount, "1.50");
	CHECK(p->ratio == 0.5);
	CHECK_INT(p->day.year, 2020);
	CHECK_INT(p->at.date.year, 2020);
	CHECK_STR(p->n_label, "client");
	CHECK(p->n_count.present && p->n_count.value == 1);
	CHECK(p->n_flag.present && p->n_flag.value);
	CHECK_INT(p->n_mood, MOOD_HAPPY);
	CHECK_STR(p->n_amount, "1.50");
	CHECK(p->n_at.present && p->n_at.value.date.year == 2020);
	CHECK(p->s_count.present && p->s_count.value == 7);
	CHECK_STR(p->s_label, "server");
	expect_stored("label", "client");
	expect_stored("count", "1");
	expect_stored("big", "10");
	expect_stored("flag", boolean(true));
	expect_stored("mood", "happy");
	expect_stored("n_label", "client");
	expect_stored("n_count", "1");
	expect_stored("n_flag", boolean(true));
	expect_stored("n_mood", "happy");
	expect_stored("CAST(n_amount AS VARCHAR(40))", orm_test_is_file_database() ? "1.5" : "1.50");
	expect_stored("s_count", "7");
	expect_stored("s_label", "server");
	rt_session_close(s);
}

/* Set explicitly to the client default: written, never the server's. */
static void test_set_to_client_default(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Preset *p = NULL;
	CHECK_OK(Preset_new(&p, s));
	if (!p)
		return;
	p->label = "client";
	p->count = 1;
	p->big = 10;
	p->flag = true;
	p->mood = MOOD_HAPPY;
	p->amount = "1.50";
	p->ratio = 0.5;
	p->day = (rt_date){2020, 1, 2};
	p->at = (rt_timestamp){{2020, 1, 2}, {3, 4, 5, 0}};
	CHECK_OK(Preset_set_n_label(p, "client"));
	p->n_count = (rt_opt_int32){true, 1};
	p->n_flag = (rt_opt_bool){true, true};
	p->n_mood = MOOD_HAPPY;
	CHECK_OK(Preset_set_n_amount(p, "1.50"));
	commit_one(s);
	CHECK_STR(p->label, "client");
	CHECK_INT(p->count, 1);
	CHECK_INT(p->big, 10);
	CHECK(p->flag);
	CHECK_INT(p->mood, MOOD_HAPPY);
	CHECK_STR(p->amount, "1.50");
	CHECK_INT(p->day.year, 2020);
	CHECK_INT(p->at.time.second, 5);
	expect_stored("label", "client");
	expect_stored("count", "1");
	expect_stored("big", "10");
	expect_stored("flag", boolean(true));
	expect_stored("mood", "happy");
	expect_stored("CAST(amount AS VARCHAR(40))", orm_test_is_file_database() ? "1.5" : "1.50");
	expect_stored("CAST(ratio AS VARCHAR(40))", "0.5");
	expect_stored("CAST(day AS VARCHAR(40))", "2020-01-02");
	expect_stored("n_label", "client");
	expect_stored("n_count", "1");
	expect_stored("n_flag", boolean(true));
	expect_stored("n_mood", "happy");
	char text[96];
	CHECK(strncmp(stored("CAST(at AS VARCHAR(40))", text, sizeof(text)), "2020-01-02", 10) == 0);
	rt_session_close(s);
}

/* Set to NULL explicitly on nullable columns with defaults: NULL is
 * written and the object keeps NULL. On a column with only a server
 * default, NULL is rt_object_new's value too: a setter or
 * rt_object_mark_set says it was meant. */
static void test_set_to_null(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Preset *p = NULL;
	CHECK_OK(Preset_new(&p, s));
	if (!p)
		return;
	CHECK_OK(Preset_set_n_label(p, NULL));
	p->n_count = (rt_opt_int32){false, 0};
	p->n_flag = (rt_opt_bool){false, false};
	p->n_mood = 0;
	CHECK_OK(Preset_set_n_amount(p, NULL));
	p->n_at = (rt_opt_timestamp){0};
	CHECK_OK(Preset_set_s_label(p, NULL));
	CHECK_OK(rt_object_mark_set(p, &p->s_count));
	commit_one(s);
	CHECK(p->n_label == NULL);
	CHECK(!p->n_count.present);
	CHECK(!p->n_flag.present);
	CHECK_INT(p->n_mood, 0);
	CHECK(p->n_amount == NULL);
	CHECK(!p->n_at.present);
	CHECK(p->s_label == NULL);
	CHECK(!p->s_count.present);
	expect_stored("n_label", "NULL");
	expect_stored("n_count", "NULL");
	expect_stored("n_flag", "NULL");
	expect_stored("n_mood", "NULL");
	expect_stored("n_amount", "NULL");
	expect_stored("n_at", "NULL");
	expect_stored("s_label", "NULL");
	expect_stored("s_count", "NULL");
	rt_session_close(s);
}

/* Other values are written as they are, on a batch of several objects (the
 * multi-row INSERT groups objects by the columns they write). */
static void test_other_values_batched(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Preset *a = NULL, *b = NULL, *c = NULL;
	CHECK_OK(Preset_new(&a, s));
	CHECK_OK(Preset_new(&b, s));
	CHECK_OK(Preset_new(&c, s));
	if (!a || !b || !c)
		return;
	a->count = 5;
	a->s_count = (rt_opt_int32){true, 0};
	b->count = 1; /* the client default */
	b->s_count = (rt_opt_int32){true, 7};
	c->count = 2; /* the server default */
	CHECK_OK(rt_object_mark_set(c, &c->s_count)); /* NULL, meant */
	CHECK_OK(rt_session_commit(s));
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count FROM presets WHERE id = %lld", (long long)a->id);
	CHECK_INT(db_int(engine, sql), 5);
	snprintf(sql, sizeof(sql), "SELECT count FROM presets WHERE id = %lld", (long long)b->id);
	CHECK_INT(db_int(engine, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count FROM presets WHERE id = %lld", (long long)c->id);
	CHECK_INT(db_int(engine, sql), 2);
	char text[32];
	snprintf(sql, sizeof(sql), "SELECT s_count FROM presets WHERE id = %lld", (long long)a->id);
	CHECK_STR(db_text(engine, sql, text, sizeof(text)), "0");
	snprintf(sql, sizeof(sql), "SELECT s_count FROM presets WHERE id = %lld", (long long)c->id);
	CHECK_STR(db_text(engine, sql, text, sizeof(text)), "NULL");
	CHECK(a->s_count.present && a->s_count.value == 0);
	CHECK(!c->s_count.present);
	rt_session_close(s);
}

/* rt_object_mark_set checks what it is given. */
static void test_mark_set_errors(void)
{
	rt_session *s = open_session(engine);
	Preset *p = NULL;
	CHECK_OK(Preset_new(&p, s));
	if (!p)
		return;
	int local = 0;
	CHECK_INT(rt_object_mark_set(p, &local), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "not a column field") != NULL);
	CHECK_INT(rt_object_mark_set(p, NULL), RT_EINVAL);
	CHECK_INT(rt_object_mark_set(&local, &local), RT_EINVAL);
	rt_session_close(s);
}

int main(void)
{
	RT_RUN(test_left_alone);
	RT_RUN(test_set_to_client_default);
	RT_RUN(test_set_to_null);
	RT_RUN(test_other_values_batched);
	RT_RUN(test_mark_set_errors);
	rt_engine_free(engine);
	return rt_test_done();
}
