/*
 * test_arrays.c - array columns through the ORM (test_arrays.rt): every
 * element type written and read back exactly; text elements that the
 * array text form must quote (commas, quotes, braces, backslashes, blanks,
 * the word NULL beside an SQL NULL element, the empty string); empty and
 * NULL arrays kept apart; large arrays; updates; a query on an array; and
 * what C cannot hold (a NULL int element, two dimensions) refused by name.
 */
#include "test.h"

#include <math.h>

#include "retort.h"
#include "support/test_db.h"
#include "postgres/pg_models.h"
#include "test_arrays_models.h"

static rt_engine *engine;

/* The text of the one row sql gives (no parameters), until the next call. */
static const char *row_text(const char *sql)
{
	static char buf[256];
	return pg_first_text(engine, sql, NULL, 0, buf, sizeof(buf));
}

static void run_sql(const char *sql)
{
	rt_session *s = NULL;
	rt_rows *rows = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	CHECK_OK(rt_session_sql(&rows, s, sql, NULL, 0));
	rt_rows_free(rows);
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

static Film *new_film(rt_session *s, int64_t id, const char *title)
{
	Film *f = NULL;
	CHECK_OK(Film_new(&f, s));
	if (!f)
		return NULL;
	f->id = id;
	CHECK_OK(rt_object_mark_set(f, &f->id));
	CHECK_OK(Film_set_title(f, title));
	return f;
}

/* The film with this key, read in a session of its own (not the identity
 * map's copy); the session is the caller's to close. */
static Film *load_film(rt_session **s, int64_t id)
{
	Film *f = NULL;
	CHECK_OK(rt_session_open(s, engine));
	CHECK_OK(Film_get(&f, *s, id));
	return f;
}

/* Elements the array text form must quote or escape, an SQL NULL element
 * next to the text "NULL", and the empty string. */
static const char *const hostile[] = {
	"plain", "a,b", "say \"hi\"", "{braces}", "back\\slash", "NULL", NULL, "",
	"  blanks  ", "caf\xc3\xa9", "line\nbreak", "null", "\\\"", "}", ",",
};
#define HOSTILE_COUNT (sizeof(hostile) / sizeof(hostile[0]))

static void test_text_elements(void)
{
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	Film *f = new_film(s, 1, "hostile");
	if (f)
		CHECK_OK(Film_set_special_features(f, hostile, HOSTILE_COUNT));
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);

	/* As the database holds them, element by element. */
	CHECK_STR(row_text("SELECT array_length(special_features, 1)::text FROM films "
			     "WHERE id = 1"), "15");
	CHECK_STR(row_text("SELECT special_features[3] FROM films WHERE id = 1"), "say \"hi\"");
	CHECK_STR(row_text("SELECT special_features[6] FROM films WHERE id = 1"), "NULL");
	CHECK_STR(row_text("SELECT (special_features[7] IS NULL)::text FROM films WHERE id = 1"),
		  "true");
	CHECK_STR(row_text("SELECT '[' || special_features[8] || ']' FROM films WHERE id = 1"),
		  "[]");

	Film *g = load_film(&s, 1);
	CHECK(g && g->special_features.items);
	if (g && g->special_features.items) {
		CHECK_INT(g->special_features.count, HOSTILE_COUNT);
		for (size_t i = 0; i < HOSTILE_COUNT && i < g->special_features.count; i++) {
			const char *got = g->special_features.items[i];
			if (!hostile[i])
				CHECK(got == NULL);
			else
				CHECK_STR(got, hostile[i]);
		}
	}
	rt_session_close(s);
}

static void test_empty_and_null(void)
{
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	Film *f = new_film(s, 2, "empty");
	static const char *const none[1] = {NULL};
	if (f) {
		/* items set, count 0: the empty array; items NULL: SQL NULL. */
		CHECK_OK(Film_set_special_features(f, none, 0));
		CHECK_OK(Film_set_small(f, NULL, 0));
	}
	CHECK_OK(rt_session_commit(s));
	/* scores was left to its server default '{}', read back. */
	CHECK(f && f->scores.items && f->scores.count == 0);
	rt_session_close(s);

	CHECK_STR(row_text("SELECT special_features::text || ' ' || (small IS NULL)::text "
			     "FROM films WHERE id = 2"),
		  "{} true");
	Film *g = load_film(&s, 2);
	CHECK(g != NULL);
	if (g) {
		CHECK(g->special_features.items != NULL);
		CHECK_INT(g->special_features.count, 0);
		CHECK(g->small.items == NULL);
		CHECK(g->weights.items == NULL);
		CHECK(g->scores.items != NULL && g->scores.count == 0);
	}
	rt_session_close(s);
}

static void test_every_element_type(void)
{
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	Film *f = new_film(s, 3, "types");
	const int32_t scores[] = {1, -2, 2147483647};
	const double weights[] = {0.1, -1e300, INFINITY, NAN};
	const int16_t small[] = {-32768, 32767};
	const int64_t big[] = {INT64_MIN, INT64_MAX};
	const bool flags[] = {true, false, true};
	const char *const prices[] = {"12.50", "-0.01", NULL};
	const rt_date days[] = {{2024, 2, 29}, {1, 1, 1}};
	const rt_time times[] = {{23, 59, 58, 123456}};
	const rt_timestamp shown[] = {{{2024, 5, 6}, {7, 8, 9, 10}}};
	const rt_timestamp seen[] = {{{2024, 12, 31}, {23, 0, 0, 0}}};
	rt_uuid ids[1];
	CHECK_OK(rt_uuid_parse(&ids[0], "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
	const char *const docs[] = {"{\"a\": [1, \"x,y\"]}", "null"};
	const char *const codes[] = {"ab", "c"};
	const Mood moods[] = {MOOD_SAD, MOOD_HAPPY, MOOD_MEH};
	if (f) {
		CHECK_OK(Film_set_scores(f, scores, 3));
		CHECK_OK(Film_set_weights(f, weights, 4));
		CHECK_OK(Film_set_small(f, small, 2));
		CHECK_OK(Film_set_big(f, big, 2));
		CHECK_OK(Film_set_flags(f, flags, 3));
		CHECK_OK(Film_set_prices(f, prices, 3));
		CHECK_OK(Film_set_days(f, days, 2));
		CHECK_OK(Film_set_times(f, times, 1));
		CHECK_OK(Film_set_shown_at(f, shown, 1));
		CHECK_OK(Film_set_seen_at(f, seen, 1));
		CHECK_OK(Film_set_ids(f, ids, 1));
		CHECK_OK(Film_set_docs(f, docs, 2));
		CHECK_OK(Film_set_codes(f, codes, 2));
		CHECK_OK(Film_set_moods(f, moods, 3));
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);

	CHECK_STR(row_text("SELECT weights::text FROM films WHERE id = 3"),
		  "{0.1,-1e+300,Infinity,NaN}");
	CHECK_STR(row_text("SELECT seen_at[1]::text FROM films WHERE id = 3"),
		  "2024-12-31 23:00:00+00");
	CHECK_STR(row_text("SELECT moods::text FROM films WHERE id = 3"), "{sad,happy,meh}");

	Film *g = load_film(&s, 3);
	CHECK(g != NULL);
	if (g) {
		CHECK(g->scores.count == 3 && g->scores.items[2] == 2147483647);
		CHECK(g->weights.count == 4 && g->weights.items[0] == 0.1 &&
		      g->weights.items[1] == -1e300 && isinf(g->weights.items[2]) &&
		      isnan(g->weights.items[3]));
		CHECK(g->small.count == 2 && g->small.items[0] == -32768);
		CHECK(g->big.count == 2 && g->big.items[0] == INT64_MIN &&
		      g->big.items[1] == INT64_MAX);
		CHECK(g->flags.count == 3 && g->flags.items[0] && !g->flags.items[1]);
		CHECK(g->prices.count == 3);
		if (g->prices.count == 3) {
			CHECK_STR(g->prices.items[0], "12.50");
			CHECK_STR(g->prices.items[1], "-0.01");
			CHECK(g->prices.items[2] == NULL);
		}
		CHECK(g->days.count == 2 && g->days.items[0].year == 2024 &&
		      g->days.items[0].day == 29 && g->days.items[1].year == 1);
		CHECK(g->times.count == 1 && g->times.items[0].microsecond == 123456);
		CHECK(g->shown_at.count == 1 && g->shown_at.items[0].time.microsecond == 10);
		CHECK(g->seen_at.count == 1 && g->seen_at.items[0].time.hour == 23 &&
		      g->seen_at.items[0].date.day == 31);
		CHECK(g->ids.count == 1 && memcmp(&g->ids.items[0], &ids[0], sizeof(rt_uuid)) == 0);
		CHECK(g->docs.count == 2);
		if (g->docs.count == 2) {
			CHECK_STR(g->docs.items[0], "{\"a\": [1, \"x,y\"]}");
			CHECK_STR(g->docs.items[1], "null");
		}
		CHECK(g->codes.count == 2);
		if (g->codes.count == 2)
			CHECK_STR(g->codes.items[1], "c "); /* PostgreSQL pads char(n) */
		CHECK(g->moods.count == 3 && g->moods.items[0] == MOOD_SAD &&
		      g->moods.items[2] == MOOD_MEH);
	}
	rt_session_close(s);
}

static void test_large(void)
{
	enum { N = 20000 };
	int32_t *numbers = malloc(N * sizeof(*numbers));
	const char **texts = malloc(N * sizeof(*texts));
	char (*storage)[24] = malloc(N * sizeof(*storage));
	if (!numbers || !texts || !storage) {
		CHECK(!"out of memory");
		free(numbers);
		free(texts);
		free(storage);
		return;
	}
	for (int i = 0; i < N; i++) {
		numbers[i] = i * 7 - N;
		snprintf(storage[i], sizeof(storage[i]), "e\"%d,\\}", i);
		texts[i] = storage[i];
	}
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	Film *f = new_film(s, 4, "large");
	if (f) {
		CHECK_OK(Film_set_scores(f, numbers, N));
		CHECK_OK(Film_set_special_features(f, texts, N));
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);

	Film *g = load_film(&s, 4);
	CHECK(g && g->scores.count == N && g->special_features.count == N);
	if (g && g->scores.count == N && g->special_features.count == N) {
		bool same = true;
		for (int i = 0; i < N && same; i++)
			same = g->scores.items[i] == numbers[i] &&
			       strcmp(g->special_features.items[i], texts[i]) == 0;
		CHECK(same);
	}
	rt_session_close(s);
	free(numbers);
	free(texts);
	free(storage);
}

static void test_update(void)
{
	rt_session *s = NULL;
	Film *f = load_film(&s, 3);
	if (f) {
		const int32_t scores[] = {9, 8};
		CHECK_OK(Film_set_scores(f, scores, 2));
		CHECK_OK(Film_set_moods(f, NULL, 0)); /* to NULL */
	}
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
	CHECK_STR(row_text("SELECT scores::text || ' ' || (moods IS NULL)::text FROM films "
			     "WHERE id = 3"), "{9,8} true");
}

static void test_query(void)
{
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	rt_query *q = NULL;
	CHECK_OK(Film_query(&q, s));
	const int32_t wanted[] = {9, 8};
	CHECK_OK(rt_query_filter(q, rt_eq(q, Film_c.scores, ((rt_array){wanted, 2}))));
	Film *f = NULL;
	CHECK_OK(rt_query_one(q, &f));
	CHECK(f && f->id == 3);
	rt_query_free(q);

	CHECK_OK(Film_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_is_null(q, Film_c.moods)));
	int64_t count = -1;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 4);
	rt_query_free(q);

	/* A raw parameter of its own element kind. */
	const char *const words[] = {"x,y", NULL};
	rt_value_ref params[] = {rt_array_value(RT_FIELD_TEXT, words, 2)};
	char buf[64];
	CHECK_STR(pg_first_text(engine, "SELECT (?::text[])::text", params, 1, buf, sizeof(buf)),
		  "{\"x,y\",NULL}");
	rt_session_close(s);
}

static void test_refused(void)
{
	/* A NULL element of an int array has no C value. */
	run_sql("UPDATE films SET small = '{1,NULL}' WHERE id = 2");
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	Film *f = NULL;
	CHECK(Film_get(&f, s, 2) == RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "films.small: element 2 is NULL") != NULL);
	rt_session_close(s);

	/* Nor has a second dimension. */
	run_sql("UPDATE films SET small = '{{1,2},{3,4}}' WHERE id = 2");
	CHECK_OK(rt_session_open(&s, engine));
	CHECK(Film_get(&f, s, 2) == RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "more than one dimension") != NULL);
	rt_session_close(s);

	/* An array that does not start at 1 reads as its elements. */
	run_sql("UPDATE films SET small = '[0:1]={5,6}' WHERE id = 2");
	Film *g = load_film(&s, 2);
	CHECK(g && g->small.count == 2 && g->small.items[0] == 5);
	rt_session_close(s);

	/* A setter given the wrong field. */
	CHECK_OK(rt_session_open(&s, engine));
	CHECK_OK(Film_new(&f, s));
	if (f)
		CHECK(rt_object_set_array(f, &f->title, NULL, 0) == RT_EINVAL);
	rt_session_close(s);
}

int main(void)
{
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", rt_test_url(), rt_error_last()->message);
		return 1;
	}
	if (pg_fresh_tables(engine, "test_arrays.rt") != RT_OK)
		return 1;
	RT_RUN(test_text_elements);
	RT_RUN(test_empty_and_null);
	RT_RUN(test_every_element_type);
	RT_RUN(test_large);
	RT_RUN(test_update);
	RT_RUN(test_query);
	RT_RUN(test_refused);
	rt_engine_free(engine);
	return rt_test_done();
}
