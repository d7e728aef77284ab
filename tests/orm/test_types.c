/*
 * test_types.c - every field kind round-trips exactly through a flush and
 * a load in another session, nullable and not: 64-bit extremes, floats,
 * numeric as exact text, blobs with NUL bytes, non-ASCII UTF-8, dates,
 * times and timestamps with microseconds, timestamptz in UTC whatever the
 * server's zone, uuids, json, enums (including 'so-so'). Also what is
 * stored: SQLAlchemy's text forms on SQLite, native values on PostgreSQL,
 * rows written by others in each backend's forms (foreign_forms/), a
 * session in another time zone, and the reading of values a column
 * cannot hold.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "session_test.h"
#include "orm/orm.h"

static rt_engine *engine;

static const uint8_t blob_bytes[] = {0, 1, 0, 255, 'x', 0};
static const rt_uuid uid1 = {{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23, 0x45,
			       0x67, 0x89, 0xab, 0xcd, 0xef}};
static const rt_uuid uid2 = {{0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
static const char label_utf8[] = "ünïcødé ✓";
static const char body_text[] = "it's \"quoted\"\nsecond line\t🐧 end";
static const char doc_json[] = "{\"a\": [1, 2, {\"b\": null}], \"c\": \"é\"}";

static rt_timestamp ts(int y, int mo, int d, int h, int mi, int s, uint32_t us)
{
	rt_timestamp t = {{y, (uint8_t)mo, (uint8_t)d}, {(uint8_t)h, (uint8_t)mi, (uint8_t)s, us}};
	return t;
}

/* Row one: maximums, every nullable set. */
static void fill_max(Sample *x)
{
	x->i16 = INT16_MAX;
	x->i32 = INT32_MAX;
	x->i64 = INT64_MAX;
	x->flag = true;
	x->r = 3.4028235e38f;
	x->d = 1.7976931348623157e308;
	CHECK_OK(Sample_set_amount(x, "12345678.1234"));
	CHECK_OK(Sample_set_label(x, label_utf8));
	CHECK_OK(Sample_set_body(x, body_text));
	CHECK_OK(Sample_set_data(x, blob_bytes, sizeof(blob_bytes)));
	x->day = (rt_date){9999, 12, 31};
	x->clock = (rt_time){23, 59, 59, 999999};
	x->at = ts(2026, 11, 21, 13, 45, 7, 250001);
	x->at_tz = ts(2026, 12, 31, 23, 59, 59, 1);
	x->uid = uid1;
	CHECK_OK(Sample_set_doc(x, doc_json));
	x->mood = MOOD_SO_SO;
	x->n_i16 = (rt_opt_int16){true, -1};
	x->n_i32 = (rt_opt_int32){true, 0};
	x->n_i64 = (rt_opt_int64){true, INT64_MIN};
	x->n_flag = (rt_opt_bool){true, false};
	x->n_r = (rt_opt_float){true, -0.1f};
	x->n_d = (rt_opt_double){true, 0.1};
	CHECK_OK(Sample_set_n_amount(x, "-0.0001"));
	CHECK_OK(Sample_set_n_label(x, ""));
	CHECK_OK(Sample_set_n_body(x, "x"));
	CHECK_OK(Sample_set_n_data(x, "", 0)); /* empty, not NULL */
	x->n_day = (rt_opt_date){true, {1, 1, 1}};
	x->n_clock = (rt_opt_time){true, {0, 0, 0, 0}};
	x->n_at = (rt_opt_timestamp){true, ts(2000, 2, 29, 0, 0, 0, 0)};
	x->n_at_tz = (rt_opt_timestamp){true, ts(1999, 12, 31, 23, 30, 0, 500000)};
	x->n_uid = (rt_opt_uuid){true, uid2};
	CHECK_OK(Sample_set_n_doc(x, "[]"));
	x->n_mood = MOOD_SAD;
	CHECK_OK(Sample_set_n_code(x, "ab"));
}

/* Row two: minimums, every nullable NULL. */
static void fill_min(Sample *x)
{
	x->i16 = INT16_MIN;
	x->i32 = INT32_MIN;
	x->i64 = INT64_MIN;
	x->flag = false;
	x->r = -1.5f;
	x->d = -2.2250738585072014e-308;
	CHECK_OK(Sample_set_amount(x, "100.5")); /* comes back as 100.5000 */
	CHECK_OK(Sample_set_label(x, "plain"));
	CHECK_OK(Sample_set_body(x, ""));
	CHECK_OK(Sample_set_data(x, "\0", 1));
	x->day = (rt_date){2024, 2, 29};
	x->clock = (rt_time){0, 0, 1, 0};
	x->at = ts(1970, 1, 1, 0, 0, 0, 0);
	x->at_tz = ts(2026, 6, 1, 12, 0, 0, 0);
	memset(&x->uid, 0, sizeof(x->uid));
	CHECK_OK(Sample_set_doc(x, "null"));
	x->mood = MOOD_HAPPY;
}

static bool same_bytes(rt_bytes a, const void *data, size_t len)
{
	return a.data && a.len == len && (len == 0 || !memcmp(a.data, data, len));
}

static void check_max(const Sample *x)
{
	CHECK_INT(x->i16, INT16_MAX);
	CHECK_INT(x->i32, INT32_MAX);
	CHECK(x->i64 == INT64_MAX);
	CHECK(x->flag == true);
	CHECK(x->r == 3.4028235e38f);
	CHECK(x->d == 1.7976931348623157e308);
	CHECK_STR(x->amount, "12345678.1234");
	CHECK_STR(x->label, label_utf8);
	CHECK_STR(x->body, body_text);
	CHECK(same_bytes(x->data, blob_bytes, sizeof(blob_bytes)));
	CHECK(x->day.year == 9999 && x->day.month == 12 && x->day.day == 31);
	CHECK(x->clock.hour == 23 && x->clock.second == 59 && x->clock.microsecond == 999999);
	CHECK(x->at.date.year == 2026 && x->at.time.hour == 13 && x->at.time.microsecond == 250001);
	CHECK(x->at_tz.date.year == 2026 && x->at_tz.date.day == 31 && x->at_tz.time.hour == 23 &&
	      x->at_tz.time.minute == 59 && x->at_tz.time.microsecond == 1);
	CHECK(!memcmp(&x->uid, &uid1, sizeof(uid1)));
	CHECK_STR(x->doc, doc_json);
	CHECK_INT(x->mood, MOOD_SO_SO);
	CHECK(x->n_i16.present && x->n_i16.value == -1);
	CHECK(x->n_i32.present && x->n_i32.value == 0);
	CHECK(x->n_i64.present && x->n_i64.value == INT64_MIN);
	CHECK(x->n_flag.present && x->n_flag.value == false);
	CHECK(x->n_r.present && x->n_r.value == -0.1f);
	CHECK(x->n_d.present && x->n_d.value == 0.1);
	CHECK_STR(x->n_amount, "-0.0001");
	CHECK_STR(x->n_label, "");
	CHECK_STR(x->n_body, "x");
	CHECK(same_bytes(x->n_data, "", 0));
	CHECK(x->n_day.present && x->n_day.value.year == 1 && x->n_day.value.month == 1);
	CHECK(x->n_clock.present && x->n_clock.value.hour == 0 && x->n_clock.value.microsecond == 0);
	CHECK(x->n_at.present && x->n_at.value.date.month == 2 && x->n_at.value.date.day == 29);
	CHECK(x->n_at_tz.present && x->n_at_tz.value.date.year == 1999 &&
	      x->n_at_tz.value.time.minute == 30 && x->n_at_tz.value.time.microsecond == 500000);
	CHECK(x->n_uid.present && !memcmp(&x->n_uid.value, &uid2, sizeof(uid2)));
	CHECK_STR(x->n_doc, "[]");
	CHECK_INT(x->n_mood, MOOD_SAD);
	/* A verbatim type travels as the text the database reads and prints:
	 * PostgreSQL pads a character(3), SQLite keeps what it was given. */
	CHECK_STR(x->n_code, orm_test_is_postgres() ? "ab " : "ab");
}

static void check_min(const Sample *x)
{
	CHECK_INT(x->i16, INT16_MIN);
	CHECK_INT(x->i32, INT32_MIN);
	CHECK(x->i64 == INT64_MIN);
	CHECK(x->flag == false);
	CHECK(x->r == -1.5f);
	CHECK(x->d == -2.2250738585072014e-308);
	CHECK_STR(x->amount, "100.5000");
	CHECK_STR(x->body, "");
	CHECK(same_bytes(x->data, "\0", 1));
	CHECK(x->day.year == 2024 && x->day.month == 2 && x->day.day == 29);
	CHECK(x->at.date.year == 1970 && x->at.time.hour == 0 && x->at.time.microsecond == 0);
	CHECK(x->at_tz.date.month == 6 && x->at_tz.time.hour == 12);
	CHECK_STR(x->doc, "null");
	CHECK_INT(x->mood, MOOD_HAPPY);
	CHECK(!x->n_i16.present && !x->n_i32.present && !x->n_i64.present && !x->n_flag.present);
	CHECK(!x->n_r.present && !x->n_d.present && !x->n_day.present && !x->n_clock.present);
	CHECK(!x->n_at.present && !x->n_at_tz.present && !x->n_uid.present);
	CHECK(x->n_amount == NULL && x->n_label == NULL && x->n_body == NULL && x->n_doc == NULL);
	CHECK(x->n_code == NULL);
	CHECK(x->n_data.data == NULL);
	CHECK_INT(x->n_mood, 0);
}

static void test_round_trip(void)
{
	rt_session *s = open_session(engine);
	Sample *a = NULL, *b = NULL;
	CHECK_OK(Sample_new(&a, s));
	CHECK_OK(Sample_new(&b, s));
	if (!a || !b)
		return;
	CHECK_INT(a->mood, MOOD_HAPPY); /* the client default */
	fill_max(a);
	fill_min(b);
	CHECK_OK(rt_session_commit(s));
	int64_t ida = a->id, idb = b->id;
	rt_session_close(s);

	s = open_session(engine);
	Sample *x = NULL, *y = NULL;
	CHECK_OK(Sample_get(&x, s, ida));
	CHECK_OK(Sample_get(&y, s, idb));
	if (x)
		check_max(x);
	if (y)
		check_min(y);
	/* Loaded values compare equal to their snapshot: nothing to write. */
	rt_object *h = x ? rt__object_header(x) : NULL;
	for (int i = 0; h && i < Sample_model.column_count; i++)
		CHECK(rt__field_equal(&Sample_model.columns[i], x, rt__object_snapshot(h)));
	rt_session_close(s);
}

static void test_stored_forms(void)
{
	char text[128];
	if (orm_test_is_postgres()) {
		CHECK_STR(db_text(engine, "SELECT to_char(at_tz AT TIME ZONE 'UTC', "
					  "'YYYY-MM-DD HH24:MI:SS.US') FROM samples WHERE i16 = 32767",
				  text, sizeof(text)),
			  "2026-12-31 23:59:59.000001");
		CHECK_STR(db_text(engine, "SELECT uid::text FROM samples WHERE i16 = 32767", text,
				  sizeof(text)),
			  "12345678-9abc-def0-0123-456789abcdef");
		CHECK_STR(db_text(engine, "SELECT mood::text FROM samples WHERE i16 = 32767", text,
				  sizeof(text)),
			  "so-so");
		return;
	}
	/* What SQLAlchemy writes on SQLite (MariaDB reads the same text). */
	CHECK_STR(db_text(engine, "SELECT at FROM samples WHERE i16 = 32767", text, sizeof(text)),
		  "2026-11-21 13:45:07.250001");
	CHECK_STR(db_text(engine, "SELECT at FROM samples WHERE i16 = -32768", text, sizeof(text)),
		  "1970-01-01 00:00:00.000000");
	CHECK_STR(db_text(engine, "SELECT at_tz FROM samples WHERE i16 = 32767", text,
			  sizeof(text)),
		  "2026-12-31 23:59:59.000001");
	CHECK_STR(db_text(engine, "SELECT day FROM samples WHERE i16 = 32767", text, sizeof(text)),
		  "9999-12-31");
	CHECK_STR(db_text(engine, "SELECT clock FROM samples WHERE i16 = 32767", text,
			  sizeof(text)),
		  "23:59:59.999999");
	CHECK_STR(db_text(engine, "SELECT uid FROM samples WHERE i16 = 32767", text, sizeof(text)),
		  "123456789abcdef00123456789abcdef");
	CHECK_STR(db_text(engine, "SELECT mood FROM samples WHERE i16 = 32767", text, sizeof(text)),
		  "so-so");
	CHECK_INT(db_int(engine, "SELECT length(data) FROM samples WHERE i16 = 32767"),
		  sizeof(blob_bytes));
}

/* tests/orm/foreign_forms/<backend><suffix>, read whole (NULL when there is
 * no such file); free() it. */
static char *foreign_forms_sql(const char *suffix)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/orm/foreign_forms/%s%s", source ? source : ".",
		 rt_engine_dialect(engine), suffix);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *text = calloc(1, 65536);
	size_t n = text ? fread(text, 1, 65535, f) : 0;
	fclose(f);
	if (text)
		text[n] = '\0';
	return text;
}

/* Rows written by others, in the forms each backend may hold
 * (tests/orm/foreign_forms/README.md). */
static void test_reading_foreign_forms(void)
{
	char *sql = foreign_forms_sql(".sql");
	CHECK(sql != NULL);
	if (!sql)
		return;
	db_exec(engine, sql);
	free(sql);
	rt_session *s = open_session(engine);
	Sample *x = NULL;
	CHECK_OK(Sample_get(&x, s, 900));
	if (x) {
		CHECK(x->at.date.day == 2 && x->at.time.hour == 3 && x->at.time.second == 5 &&
		      x->at.time.microsecond == 0);
		CHECK(x->at_tz.time.hour == 1 && x->at_tz.time.microsecond == 500000); /* UTC */
		CHECK(x->clock.hour == 10 && x->clock.minute == 11 && x->clock.second == 0);
		CHECK(!memcmp(&x->uid, &uid1, sizeof(uid1)));
		CHECK_STR(x->amount, "7.0000");
		CHECK_INT(x->mood, MOOD_SAD);
	}
	rt_session_close(s);

	/* A session in another time zone still reads timestamptz as UTC, or
	 * the backend refuses the zone by name and the session stays UTC:
	 * never the same text read as another instant. */
	if ((sql = foreign_forms_sql(".zone.sql")) != NULL) {
		s = open_session(engine);
		rt_rows *rows = NULL;
		int rc = rt_session_sql(&rows, s, sql, NULL, 0);
		if (rc == RT_OK) {
			if (rows)
				CHECK_INT(rt_rows_next(rows), RT_DONE);
		} else {
			CHECK_INT(rc, RT_EINVAL);
			CHECK(strstr(rt_error_last()->message, "time_zone") != NULL);
		}
		rt_rows_free(rows);
		rt_query *q = NULL;
		x = NULL;
		CHECK_OK(Sample_query(&q, s));
		CHECK_OK(rt_query_filter(q, rt_eq(q, Sample_c.i16, INT16_MAX)));
		CHECK_OK(rt_query_one(q, &x));
		rt_query_free(q);
		CHECK(x && x->at_tz.time.hour == 23 && x->at_tz.date.day == 31);
		CHECK_OK(rt_session_rollback(s)); /* a SET goes with it */
		rt_session_close(s);
		free(sql);
	}
	if (!orm_test_is_file_database()) {
		/* A server backend refuses a value its column cannot hold. */
		db_exec(engine, "DELETE FROM samples WHERE id = 900");
		return;
	}

	/* A value the field cannot hold is an error naming the column. */
	db_exec(engine, "UPDATE samples SET i16 = 40000 WHERE id = 900");
	s = open_session(engine);
	x = NULL;
	CHECK_INT(Sample_get(&x, s, 900), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "samples.i16") != NULL);
	rt_session_close(s);
	db_exec(engine, "PRAGMA ignore_check_constraints = ON; "
			"UPDATE samples SET i16 = 1, mood = 'angry' WHERE id = 900");
	s = open_session(engine);
	CHECK_INT(Sample_get(&x, s, 900), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "samples.mood") != NULL);
	rt_session_close(s);
	db_exec(engine, "UPDATE samples SET mood = 'sad', i32 = 'abc' WHERE id = 900");
	s = open_session(engine);
	CHECK_INT(Sample_get(&x, s, 900), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "samples.i32") != NULL);
	rt_session_close(s);
	db_exec(engine, "DELETE FROM samples WHERE id = 900");
}

static void test_text_forms(void)
{
	char out[RT_TIMESTAMP_TEXT_MAX];
	rt_timestamp t;
	CHECK_OK(rt_timestamp_parse(&t, "2026-11-21 13:45:07.25"));
	CHECK(t.time.microsecond == 250000);
	rt_timestamp_format(out, t);
	CHECK_STR(out, "2026-11-21 13:45:07.250000");
	CHECK_OK(rt_timestamp_parse(&t, "2026-11-21T13:45:07Z"));
	rt_timestamp_format(out, t);
	CHECK_STR(out, "2026-11-21 13:45:07");
	/* An offset is converted to UTC, across midnight and a year. */
	CHECK_OK(rt_timestamp_parse(&t, "2027-01-01 01:30:00+05:30"));
	rt_timestamp_format(out, t);
	CHECK_STR(out, "2026-12-31 20:00:00");
	CHECK_OK(rt_timestamp_parse(&t, "2024-02-28 23:00:00-02"));
	rt_timestamp_format(out, t);
	CHECK_STR(out, "2024-02-29 01:00:00");
	CHECK_INT(rt_timestamp_parse(&t, "2026-13-01 00:00:00"), RT_EINVAL);
	CHECK_INT(rt_timestamp_parse(&t, "2025-02-29"), RT_EINVAL);
	CHECK_INT(rt_timestamp_parse(&t, "yesterday"), RT_EINVAL);
	/* The shape backends print, read at fixed places, and its near
	 * misses, which the general reading judges. */
	CHECK_OK(rt_timestamp_parse(&t, "2024-02-29 12:00:00"));
	CHECK_INT(rt_timestamp_parse(&t, "2025-02-29 12:00:00"), RT_EINVAL);
	CHECK_INT(rt_timestamp_parse(&t, "2026-11-21 24:00:00"), RT_EINVAL);
	CHECK_INT(rt_timestamp_parse(&t, "2026-11-21 13:60:00"), RT_EINVAL);
	CHECK_INT(rt_timestamp_parse(&t, "0000-01-01 00:00:00"), RT_EINVAL);
	CHECK_INT(rt_timestamp_parse(&t, "2026-11-21 13:45:07."), RT_EINVAL);
	CHECK_INT(rt_timestamp_parse(&t, "2026-11-21 13:45:07x"), RT_EINVAL);
	CHECK_INT(rt_timestamp_parse(&t, "2026-11-21 13:4"), RT_EINVAL);
	CHECK_OK(rt_timestamp_parse(&t, "2026-11-21 13:45:60"));
	CHECK(t.time.second == 60);
	CHECK_OK(rt_timestamp_parse(&t, "2026-11-21 13:45:07.1234567"));
	CHECK(t.time.microsecond == 123456);
	CHECK_OK(rt_timestamp_parse(&t, "2026-11-21 13:45"));
	CHECK(t.time.minute == 45 && t.time.second == 0);
	CHECK_OK(rt_timestamp_parse(&t, "2026-11-21 13:45:07.5+01"));
	rt_timestamp_format(out, t);
	CHECK_STR(out, "2026-11-21 12:45:07.500000");
	rt_date d;
	CHECK_OK(rt_date_parse(&d, "0001-01-01"));
	CHECK_INT(rt_date_parse(&d, "2026-1-1"), RT_EINVAL);
	rt_time tm;
	CHECK_OK(rt_time_parse(&tm, "07:08:09.123456"));
	rt_time_format(out, tm);
	CHECK_STR(out, "07:08:09.123456");
	rt_uuid u;
	char text[RT_UUID_TEXT_MAX];
	CHECK_OK(rt_uuid_parse(&u, "123456789abcdef00123456789abcdef"));
	rt_uuid_format(text, u);
	CHECK_STR(text, "12345678-9abc-def0-0123-456789abcdef");
	CHECK_INT(rt_uuid_parse(&u, "12345678-9abc"), RT_EINVAL);
	CHECK_INT(rt_uuid_parse(&u, "g23456789abcdef00123456789abcdef"), RT_EINVAL);
	rt_timestamp now = rt_timestamp_now();
	CHECK(now.date.year >= 2024 && now.time.microsecond < 1000000);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_round_trip);
	RT_RUN(test_stored_forms);
	RT_RUN(test_reading_foreign_forms);
	RT_RUN(test_text_forms);
	rt_engine_free(engine);
	return rt_test_done();
}
