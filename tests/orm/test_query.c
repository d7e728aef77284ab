/*
 * test_query.c - queries for objects: every operator, order, limit and
 * offset, first / one / one_or_none / all / count / exists with their error
 * codes, joins along every kind of relationship with filters on the joined
 * model, and the identity map seen through queries. Runs on the rows of
 * query_seed.h, on SQLite and PostgreSQL.
 */
#include <stddef.h>

#include "query_seed.h"

static rt_engine *engine;
static rt_session *session;

#define AUTHOR_NAMES(list) list_texts((list), offsetof(Author, name))
#define BOOK_TITLES(list) list_texts((list), offsetof(Book, title))

static rt_query *author_query(void)
{
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	return q;
}

/* The names of the authors matching one condition, in id order. */
static const char *authors_where(rt_query *q, rt_expr *condition)
{
	static char names[512];
	rt_list list = {0};
	names[0] = '\0';
	int rc = rt_query_filter(q, condition);
	if (rc == RT_OK)
		rc = rt_query_all(q, &list);
	if (rc != RT_OK)
		snprintf(names, sizeof(names), "error %d: %s", rc, rt_error_last()->message);
	else
		snprintf(names, sizeof(names), "%s", AUTHOR_NAMES(&list));
	rt_query_free(q);
	return names;
}

static void test_compare_operators(void)
{
	rt_query *q;
	q = author_query();
	CHECK_STR(authors_where(q, rt_eq(q, Author_c.name, "Ann")), "Ann");
	q = author_query();
	CHECK_STR(authors_where(q, rt_ne(q, Author_c.karma, 5)), "Ann,Cy,O'Brien");
	q = author_query();
	CHECK_STR(authors_where(q, rt_lt(q, Author_c.karma, 5)), "Cy");
	q = author_query();
	CHECK_STR(authors_where(q, rt_le(q, Author_c.karma, 5)), "bob,Cy");
	q = author_query();
	CHECK_STR(authors_where(q, rt_gt(q, Author_c.karma, 5)), "Ann,O'Brien");
	q = author_query();
	CHECK_STR(authors_where(q, rt_ge(q, Author_c.karma, 7)), "Ann,O'Brien");
	q = author_query();
	CHECK_STR(authors_where(q, rt_between(q, Author_c.karma, 5, 7)), "bob,O'Brien");
	/* A value with a quote is a value. */
	q = author_query();
	CHECK_STR(authors_where(q, rt_eq(q, Author_c.name, "O'Brien")), "O'Brien");
}

static void test_null_operators(void)
{
	rt_query *q;
	q = author_query();
	CHECK_STR(authors_where(q, rt_is_null(q, Author_c.email)), "bob");
	q = author_query();
	CHECK_STR(authors_where(q, rt_is_not_null(q, Author_c.email)), "Ann,Cy,O'Brien");
	/* == NULL is IS NULL, != NULL IS NOT NULL, as in SQLAlchemy. */
	q = author_query();
	CHECK_STR(authors_where(q, rt_where_compare(q, Author_c.email.ref, RT_OP_EQ, rt_null())),
		  "bob");
	q = author_query();
	CHECK_STR(authors_where(q, rt_where_compare(q, Author_c.email.ref, RT_OP_NE,
						    rt_text(NULL))),
		  "Ann,Cy,O'Brien");
	/* An order against NULL is a mistake, reported. */
	q = author_query();
	CHECK(rt_where_compare(q, Author_c.karma.ref, RT_OP_LT, rt_null()) == NULL);
	rt_list list = {0};
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	rt_query_free(q);
}

static void test_like(void)
{
	rt_query *q;
	/* LIKE tells case apart on every backend (SQLite's own does not). */
	q = author_query();
	CHECK_STR(authors_where(q, rt_like(q, Author_c.name, "%b%")), "bob");
	q = author_query();
	CHECK_STR(authors_where(q, rt_like(q, Author_c.name, "%B%")), "O'Brien");
	q = author_query();
	CHECK_STR(authors_where(q, rt_like(q, Author_c.name, "C_")), "Cy");
	q = author_query();
	CHECK_STR(authors_where(q, rt_like(q, Author_c.name, "ann")), "");
	/* ILIKE does not. */
	q = author_query();
	CHECK_STR(authors_where(q, rt_ilike(q, Author_c.name, "%B%")), "bob,O'Brien");
	q = author_query();
	CHECK_STR(authors_where(q, rt_ilike(q, Author_c.name, "ann")), "Ann");

	/* `\` makes % and _ plain; characters special to GLOB are plain. */
	rt_list list = {0};
	CHECK_OK(Book_query(&q, session));
	CHECK_OK(rt_query_order_by(q, Book_c.id.ref, false));
	CHECK_OK(rt_query_filter(q, rt_like(q, Book_c.title, "%\\%%")));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(BOOK_TITLES(&list), "100% pure");
	rt_query_free(q);
	const char *patterns[][2] = {
		{"[draft]%", "[draft] *x*?"}, {"%*x*?", "[draft] *x*?"}, {"%?", "[draft] *x*?"},
		{"A%", "Alpha"}, {"a%", "alpha two"}, {"_lpha%", "Alpha,alpha two"},
		{"alpha\\_two", ""}, {"%\\_%", ""}, {"%[%]%", "[draft] *x*?"}, {"", ""},
	};
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		memset(&list, 0, sizeof(list));
		CHECK_OK(Book_query(&q, session));
		CHECK_OK(rt_query_order_by(q, Book_c.id.ref, false));
		CHECK_OK(rt_query_filter(q, rt_like(q, Book_c.title, patterns[i][0])));
		CHECK_OK(rt_query_all(q, &list));
		CHECK_STR(BOOK_TITLES(&list), patterns[i][1]);
		rt_query_free(q);
	}
	memset(&list, 0, sizeof(list));
	CHECK_OK(Book_query(&q, session));
	CHECK_OK(rt_query_order_by(q, Book_c.id.ref, false));
	CHECK_OK(rt_query_filter(q, rt_ilike(q, Book_c.title, "ALPHA%")));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(BOOK_TITLES(&list), "Alpha,alpha two");
	rt_query_free(q);
}

static void test_in(void)
{
	rt_query *q;
	rt_value_ref karmas[] = {rt_int(10), rt_int(0), rt_int(42)};
	q = author_query();
	CHECK_STR(authors_where(q, rt_in(q, Author_c.karma, karmas, 3)), "Ann,Cy");
	rt_value_ref names[] = {rt_text("bob"), rt_text("O'Brien")};
	q = author_query();
	CHECK_STR(authors_where(q, rt_in(q, Author_c.name, names, 2)), "bob,O'Brien");
	/* Nothing is in an empty list, and everything is not in it. */
	q = author_query();
	CHECK_STR(authors_where(q, rt_in(q, Author_c.karma, NULL, 0)), "");
	q = author_query();
	CHECK_STR(authors_where(q, rt_not(q, rt_in(q, Author_c.karma, NULL, 0))),
		  "Ann,bob,Cy,O'Brien");
	/* A value of the wrong kind in the list. */
	rt_value_ref mixed[] = {rt_int(1), rt_text("two")};
	q = author_query();
	CHECK(rt_in(q, Author_c.karma, mixed, 2) == NULL);
	rt_query_free(q);
}

static void test_and_or_not(void)
{
	rt_query *q = author_query();
	CHECK_STR(authors_where(q, rt_or(q, rt_and(q, rt_gt(q, Author_c.karma, 6),
						       rt_is_not_null(q, Author_c.email)),
					 rt_eq(q, Author_c.name, "bob"))),
		  "Ann,bob,O'Brien");
	q = author_query();
	CHECK_STR(authors_where(q, rt_not(q, rt_eq(q, Author_c.name, "Ann"))),
		  "bob,Cy,O'Brien");
	q = author_query();
	CHECK_STR(authors_where(q, rt_and(q, rt_not(q, rt_or(q, rt_eq(q, Author_c.karma, 10),
							      rt_eq(q, Author_c.karma, 0))),
					  rt_ge(q, Author_c.karma, 5))),
		  "bob,O'Brien");
	/* Several filters are ANDed. */
	rt_list list = {0};
	q = author_query();
	CHECK_OK(rt_query_filter(q, rt_ge(q, Author_c.karma, 5)));
	CHECK_OK(rt_query_filter(q, rt_is_not_null(q, Author_c.email)));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(AUTHOR_NAMES(&list), "Ann,O'Brien");
	rt_query_free(q);
}

static void test_wrong_kind(void)
{
	rt_query *q = author_query();
	rt_expr *e = rt_where_compare(q, Author_c.name.ref, RT_OP_EQ, rt_int(3));
	CHECK(e == NULL);
	CHECK_INT(rt_query_filter(q, e), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "name") != NULL);
	/* Later calls report the same error, whatever happened since. */
	rt_error_clear();
	rt_list list = {0};
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "name") != NULL);
	int64_t n;
	CHECK_INT(rt_query_count(q, &n), RT_EINVAL);
	rt_query_free(q);

	/* like takes a text column; an enum value must be one of the enum's. */
	q = author_query();
	CHECK(rt_where_compare(q, Author_c.karma.ref, RT_OP_LIKE, rt_text("1%")) == NULL);
	rt_query_free(q);
	CHECK_OK(Sample_query(&q, session));
	CHECK(rt_where_compare(q, Sample_c.mood.ref, RT_OP_EQ, rt_enum_int(7)) == NULL);
	rt_query_free(q);
	/* A column of a model the query never joins. */
	q = author_query();
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.title, "Alpha")));
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "Book") != NULL);
	rt_query_free(q);
	/* Misuse. */
	CHECK_INT(rt_query_filter(NULL, NULL), RT_EINVAL);
	CHECK_INT(rt_query_new(&q, session, NULL), RT_EINVAL);
	CHECK(q == NULL);
	CHECK_INT(rt_query_limit(NULL, 1), RT_EINVAL);
}

static void test_enum_and_types(void)
{
	/* Two samples through raw SQL with bound values of every kind. */
	static const char *insert =
		"INSERT INTO samples (id, i16, i32, i64, flag, r, d, amount, label_text, body, "
		"data, day, clock, at, at_tz, uid, doc, mood) VALUES "
		"(?, 1, 2, ?, ?, 1.5, 2.5, ?, ?, 'b', ?, ?, ?, ?, ?, ?, ?, ?)";
	rt_uuid uid = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
	rt_timestamp at = {{2026, 11, 21}, {13, 45, 7, 250000}};
	for (int i = 1; i <= 2; i++) {
		rt_value_ref values[] = {
			rt_int(i), rt_int(i == 1 ? INT64_MAX : INT64_MIN), rt_bool(i == 1),
			rt_numeric(i == 1 ? "12.5000" : "-3.0001"), rt_text(i == 1 ? "one" : "two"),
			rt_blob("a\0b", 3), rt_date_value(at.date), rt_time_value(at.time),
			rt_timestamp_value(at), rt_timestamptz_value(at), rt_uuid_value(uid),
			rt_json("{\"k\": 1}"), rt_enum_value(&Mood_enum, i == 1 ? MOOD_SAD : MOOD_SO_SO)};
		rt_rows *rows = NULL;
		CHECK_OK(rt_session_sql(&rows, session, insert, values,
					sizeof(values) / sizeof(values[0])));
		rt_rows_free(rows);
	}
	rt_query *q;
	Sample *s = NULL;
	CHECK_OK(Sample_query(&q, session));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Sample_c.mood, MOOD_SO_SO)));
	CHECK_OK(rt_query_one(q, &s));
	CHECK(s && s->id == 2 && s->mood == MOOD_SO_SO && s->i64 == INT64_MIN);
	rt_query_free(q);

	CHECK_OK(Sample_query(&q, session));
	CHECK_OK(rt_query_filter(q, rt_and(q, rt_eq(q, Sample_c.at, at),
					   rt_and(q, rt_eq(q, Sample_c.uid, uid),
						  rt_eq(q, Sample_c.i64, INT64_MAX)))));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Sample_c.flag, true)));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Sample_c.day, at.date)));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Sample_c.label, "one")));
	CHECK_OK(rt_query_filter(q, rt_gt(q, Sample_c.amount, "12.4999")));
	CHECK_OK(rt_query_filter(q, rt_is_null(q, Sample_c.n_mood)));
	CHECK_OK(rt_query_one(q, &s));
	CHECK(s && s->id == 1 && s->data.len == 3 && memcmp(s->data.data, "a\0b", 3) == 0);
	rt_query_free(q);
}

static void test_order_limit_offset(void)
{
	rt_query *q;
	rt_list list = {0};
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_order_by(q, Author_c.karma.ref, true));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(AUTHOR_NAMES(&list), "Ann,O'Brien,bob,Cy");
	CHECK_OK(rt_query_limit(q, 2));
	CHECK_OK(rt_query_offset(q, 1));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(AUTHOR_NAMES(&list), "O'Brien,bob");
	int64_t n = -1;
	CHECK_OK(rt_query_count(q, &n));
	CHECK_INT(n, 2);
	CHECK_OK(rt_query_limit(q, 100));
	CHECK_OK(rt_query_offset(q, 3));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(AUTHOR_NAMES(&list), "Cy");
	CHECK_OK(rt_query_limit(q, 0));
	CHECK_OK(rt_query_offset(q, 0));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_INT(list.count, 0);
	CHECK_INT(rt_query_limit(q, -1), RT_EINVAL);
	rt_query_free(q);

	/* An offset without a limit. */
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_order_by(q, Author_c.karma.ref, false));
	CHECK_OK(rt_query_offset(q, 2));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(AUTHOR_NAMES(&list), "O'Brien,Ann");
	CHECK_OK(rt_query_count(q, &n));
	CHECK_INT(n, 2);
	rt_query_free(q);

	/* Several orders; results are appended to what the list holds. */
	CHECK_OK(Book_query(&q, session));
	CHECK_OK(rt_query_order_by(q, Book_c.author_id.ref, true));
	CHECK_OK(rt_query_order_by(q, Book_c.score.ref, false));
	CHECK_OK(rt_query_offset(q, 2));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(BOOK_TITLES(&list), "alpha two,Delta,beta,Alpha,Gamma,"
				      "alpha two,Delta,beta,Alpha,Gamma");
	rt_query_free(q);
}

static void test_results(void)
{
	rt_query *q;
	Author *a = NULL;
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_order_by(q, Author_c.karma.ref, false));
	CHECK_OK(rt_query_first(q, &a));
	CHECK(a && strcmp(a->name, "Cy") == 0);
	int64_t n = 0;
	CHECK_OK(rt_query_count(q, &n));
	CHECK_INT(n, 4);
	bool exists = false;
	CHECK_OK(rt_query_exists(q, &exists));
	CHECK(exists);
	CHECK_INT(rt_query_one(q, &a), RT_EMULTIPLE);
	CHECK(a == NULL);
	CHECK_INT(rt_query_one_or_none(q, &a), RT_EMULTIPLE);
	CHECK_OK(rt_query_filter(q, rt_ge(q, Author_c.karma, 10)));
	CHECK_OK(rt_query_one(q, &a));
	CHECK(a && a->id == 1);
	CHECK_OK(rt_query_one_or_none(q, &a));
	CHECK(a && a->id == 1);
	CHECK_OK(rt_query_filter(q, rt_lt(q, Author_c.karma, 0)));
	CHECK_INT(rt_query_first(q, &a), RT_ENOTFOUND);
	CHECK_INT(rt_query_one(q, &a), RT_ENOTFOUND);
	CHECK(strstr(rt_error_last()->message, "Author") != NULL);
	a = (Author *)1;
	CHECK_OK(rt_query_one_or_none(q, &a));
	CHECK(a == NULL);
	CHECK_OK(rt_query_count(q, &n));
	CHECK_INT(n, 0);
	CHECK_OK(rt_query_exists(q, &exists));
	CHECK(!exists);
	CHECK_INT(rt_query_first(q, NULL), RT_EINVAL);
	rt_query_free(q);
}

static void test_identity_map(void)
{
	rt_query *q;
	rt_list first = {0}, second = {0};
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	CHECK_OK(rt_query_all(q, &first));
	CHECK_OK(rt_query_all(q, &second));
	CHECK_INT(first.count, 4);
	CHECK_INT(second.count, 4);
	for (size_t i = 0; i < first.count && i < second.count; i++)
		CHECK(first.items[i] == second.items[i]);
	Author *ann = NULL;
	CHECK_OK(Author_get(&ann, session, 1));
	CHECK(ann == first.items[0]);
	/* What the program holds wins over the row until it is expired. */
	CHECK_OK(Author_set_name(ann, "Ann changed"));
	Author *again = NULL;
	rt_query_free(q);
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.id, 1)));
	CHECK_OK(rt_query_one(q, &again));
	CHECK(again == ann);
	CHECK_STR(again->name, "Ann changed");
	rt_query_free(q);
	CHECK_OK(rt_session_rollback(session));
}

static void test_join(void)
{
	rt_query *q;
	rt_list list = {0};
	/* Many-to-one: books of Ann. */
	CHECK_OK(Book_query(&q, session));
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "Ann")));
	CHECK_OK(rt_query_order_by(q, Author_c.karma.ref, false));
	CHECK_OK(rt_query_order_by(q, Book_c.id.ref, false));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(BOOK_TITLES(&list), "Alpha,beta,Gamma");
	rt_query_free(q);

	/* One-to-many: each author once, however many books match. */
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_join(q, &Author_model, "books"));
	CHECK_OK(rt_query_filter(q, rt_gt(q, Book_c.score, 2)));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(AUTHOR_NAMES(&list), "Ann,Cy");
	int64_t n = 0;
	CHECK_OK(rt_query_count(q, &n));
	CHECK_INT(n, 2);
	CHECK_OK(rt_query_limit(q, 1));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(AUTHOR_NAMES(&list), "Ann");
	/* Ordering by the to-many side's columns has no meaning here. */
	CHECK_OK(rt_query_order_by(q, Book_c.score.ref, false));
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	rt_query_free(q);

	/* One-to-one. */
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_join(q, &Author_model, "bio"));
	CHECK_OK(rt_query_filter(q, rt_like(q, Bio_c.text, "Cy%")));
	Author *a = NULL;
	CHECK_OK(rt_query_one(q, &a));
	CHECK(a && a->id == 3);
	rt_query_free(q);

	/* Many-to-many, both ways. */
	CHECK_OK(Author_query(&q, session));
	CHECK_OK(rt_query_join(q, &Author_model, "tags"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Tag_c.label, "sql")));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(AUTHOR_NAMES(&list), "Ann,bob");
	rt_query_free(q);
	CHECK_OK(Tag_query(&q, session));
	CHECK_OK(rt_query_join(q, &Tag_model, "authors"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "Ann")));
	CHECK_OK(rt_query_order_by(q, Tag_c.label.ref, false));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(list_texts(&list, offsetof(Tag, label)), "c,sql");
	rt_query_free(q);

	/* Two joins in a row: authors of books of tag 'go' through Author. */
	CHECK_OK(Book_query(&q, session));
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_join(q, &Author_model, "tags"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Tag_c.label, "go")));
	memset(&list, 0, sizeof(list));
	CHECK_OK(rt_query_all(q, &list));
	CHECK_STR(BOOK_TITLES(&list), "alpha two");
	rt_query_free(q);

	/* Self-referential: the columns name the latest join of Category. */
	CHECK_OK(Category_query(&q, session));
	CHECK_OK(rt_query_join(q, &Category_model, "children"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Category_c.name, "leaf")));
	Category *c = NULL;
	CHECK_OK(rt_query_one(q, &c));
	CHECK(c && strcmp(c->name, "alpha") == 0);
	rt_query_free(q);

	/* Joins that do not exist. */
	CHECK_OK(Author_query(&q, session));
	CHECK_INT(rt_query_join(q, &Author_model, "nothing"), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "nothing") != NULL);
	rt_query_free(q);
	CHECK_OK(Author_query(&q, session));
	CHECK_INT(rt_query_join(q, &Book_model, "author"), RT_EINVAL);
	rt_query_free(q);
}

static void test_autoflush(void)
{
	/* A query sees the session's pending changes. */
	Tag *t = NULL;
	CHECK_OK(Tag_new(&t, session));
	t->id = 100;
	CHECK_OK(Tag_set_label(t, "pending"));
	rt_query *q;
	CHECK_OK(Tag_query(&q, session));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Tag_c.label, "pending")));
	Tag *found = NULL;
	CHECK_OK(rt_query_one(q, &found));
	CHECK(found == t);
	rt_query_free(q);
	CHECK_OK(rt_session_rollback(session));
}

int main(void)
{
	engine = orm_test_engine();
	seed_library(engine);
	if (rt_session_open(&session, engine) != RT_OK) {
		fprintf(stderr, "%s\n", rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_compare_operators);
	RT_RUN(test_null_operators);
	RT_RUN(test_like);
	RT_RUN(test_in);
	RT_RUN(test_and_or_not);
	RT_RUN(test_wrong_kind);
	RT_RUN(test_enum_and_types);
	RT_RUN(test_order_limit_offset);
	RT_RUN(test_results);
	RT_RUN(test_identity_map);
	RT_RUN(test_join);
	RT_RUN(test_autoflush);
	rt_session_close(session);
	rt_engine_free(engine);
	return rt_test_done();
}
