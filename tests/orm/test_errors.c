/*
 * test_errors.c - database errors through a flush or commit keep their
 * code, kind and constraint name (unique, foreign key, not null, check),
 * the session needs a rollback after them and works after it; and misuse
 * of the API (pointers no session made, objects of another session or of
 * a closed one, a closed session, NULLs, wrong fields and models) is
 * RT_EINVAL with a message, never a crash.
 */
#include <stdlib.h>

#include "session_test.h"
#include "orm/orm.h"

static rt_engine *engine;

static Author *author(rt_session *s, const char *name)
{
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	if (a)
		CHECK_OK(Author_set_name(a, name));
	return a;
}

static void expect_violation(int rc, rt_constraint_violation kind, const char *name)
{
	CHECK_INT(rc, RT_ECONSTRAINT);
	const rt_error *e = rt_error_last();
	CHECK_INT(e->code, RT_ECONSTRAINT);
	CHECK_INT(e->constraint_kind, kind);
	if (name)
		CHECK_STR(e->constraint_name, name);
	if (orm_test_is_postgres())
		CHECK(strncmp(e->sqlstate, "23", 2) == 0);
}

static void test_unique(void)
{
	rt_session *s = open_session(engine);
	author(s, "Ann");
	CHECK_OK(rt_session_commit(s));
	Author *dup = author(s, "Ann");
	expect_violation(rt_session_commit(s), RT_VIOLATION_UNIQUE, "uq_authors_name");
	/* The message says what the flush was doing. */
	CHECK(strstr(rt_error_last()->message, "authors") != NULL);
	/* The program's values are kept to look at. */
	CHECK_STR(dup->name, "Ann");
	/* Until the rollback, the session refuses work. */
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	Author *other = NULL;
	CHECK_INT(Author_new(&other, s), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "rollback") != NULL);
	CHECK_OK(rt_session_rollback(s));
	/* Usable again, for new work and for the fixed object. */
	author(s, "Bob");
	CHECK_OK(Author_set_name(dup, "Ann 2"));
	CHECK_OK(rt_object_add(s, dup));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 3);
	rt_session_close(s);
}

static void test_foreign_key(void)
{
	rt_session *s = open_session(engine);
	Book *b = NULL;
	CHECK_OK(Book_new(&b, s));
	if (!b)
		return;
	CHECK_OK(Book_set_title(b, "orphan"));
	b->author_id = 424242; /* no such author */
	expect_violation(rt_session_commit(s), RT_VIOLATION_FOREIGN_KEY,
			 "fk_books_author_id_authors");
	CHECK_OK(rt_session_rollback(s));
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

static void test_not_null_and_check(void)
{
	rt_session *s = open_session(engine);
	Author *a = author(s, "Cy");
	CHECK_OK(rt_session_commit(s));
	Book *b = NULL;
	CHECK_OK(Book_new(&b, s));
	if (!b || !a)
		return;
	CHECK_OK(Book_set_author(b, a)); /* title left NULL */
	expect_violation(rt_session_flush(s), RT_VIOLATION_NOT_NULL, NULL);
	CHECK_OK(rt_session_rollback(s));

	CHECK_OK(Book_new(&b, s));
	CHECK_OK(Book_set_title(b, "cheap"));
	CHECK_OK(Book_set_price(b, "-1.00"));
	CHECK_OK(Book_set_author(b, a));
	expect_violation(rt_session_commit(s), RT_VIOLATION_CHECK, "ck_books_price");
	CHECK_OK(rt_session_rollback(s));

	/* A violation inside a savepoint: rolling back the savepoint is
	 * enough, the outer work stays. */
	Author *d = author(s, "Dee");
	rt_savepoint *sp = NULL;
	CHECK_OK(rt_session_begin_nested(&sp, s));
	author(s, "Cy");
	expect_violation(rt_session_flush(s), RT_VIOLATION_UNIQUE, "uq_authors_name");
	CHECK_OK(rt_savepoint_rollback(sp));
	CHECK_OK(rt_session_commit(s));
	CHECK(d && d->id > 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors WHERE name = 'Dee'"), 1);
	rt_session_close(s);
}

static void test_enum_not_set(void)
{
	rt_session *s = open_session(engine);
	Sample *x = NULL;
	CHECK_OK(Sample_new(&x, s));
	if (!x)
		return;
	CHECK_OK(Sample_set_amount(x, "1"));
	CHECK_OK(Sample_set_label(x, "l"));
	CHECK_OK(Sample_set_body(x, "b"));
	CHECK_OK(Sample_set_data(x, "", 0));
	CHECK_OK(Sample_set_doc(x, "{}"));
	/* A calendar value that does not exist. */
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "samples.day") != NULL);
	CHECK(strstr(rt_error_last()->message, "0000-00-00") != NULL);
	x->day = (rt_date){2026, 2, 28};
	x->clock = (rt_time){12, 0, 0, 0};
	x->at = x->at_tz = (rt_timestamp){{2026, 2, 28}, {12, 0, 0, 0}};
	x->n_at = (rt_opt_timestamp){true, {{2026, 2, 29}, {0, 0, 0, 0}}};
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "samples.n_at") != NULL);
	x->n_at.present = false;
	x->mood = 0;
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "samples.mood is not set") != NULL);
	/* Nothing reached the database: fix it and go on, no rollback. */
	x->mood = MOOD_SAD;
	x->n_mood = 7; /* not a Mood */
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "n_mood") != NULL);
	x->n_mood = 0;
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

static void test_foreign_pointers(void)
{
	rt_session *s = open_session(engine);
	Author *a = author(s, "Eve");
	if (!a)
		return;
	/* A struct on the stack, on the heap, a pointer inside an object. */
	Author fake;
	memset(&fake, 0, sizeof(fake));
	CHECK_INT(Author_set_name(&fake, "x"), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "not an object made by a retort session") != NULL);
	Author *heap = calloc(1, sizeof(*heap));
	CHECK_INT(Author_set_name(heap, "x"), RT_EINVAL);
	CHECK_INT(rt_object_delete(heap), RT_EINVAL);
	CHECK_INT(rt_object_expunge(heap), RT_EINVAL);
	CHECK(rt_object_session(heap) == NULL);
	free(heap);
	CHECK_INT(Author_set_name((Author *)(void *)((char *)a + 8), "x"), RT_EINVAL);
	CHECK_INT(Author_set_name(NULL, "x"), RT_EINVAL);
	CHECK(rt_object_session(a) == s);

	/* Objects of two sessions. */
	rt_session *t = open_session(engine);
	Book *b = NULL;
	CHECK_OK(Book_new(&b, t));
	CHECK_INT(Book_set_author(b, a), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "two different sessions") != NULL);
	CHECK_INT(Author_add_books(a, b), RT_EINVAL);
	CHECK_INT(rt_object_add(s, b), RT_EINVAL);
	/* Wrong model, unknown relationship, a field that is not text. */
	Tag *tag = NULL;
	CHECK_OK(Tag_new(&tag, s));
	CHECK_INT(rt_object_link(a, "books", tag), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "takes a Book") != NULL);
	CHECK_INT(rt_object_link(a, "nope", tag), RT_EINVAL);
	CHECK_INT(rt_object_set_text(a, (const char **)(void *)&a->karma, "x"), RT_EINVAL);
	CHECK_INT(rt_object_set_text(a, &fake.name, "x"), RT_EINVAL);
	CHECK_INT(rt_object_set_blob(a, NULL, "x", 1), RT_EINVAL);

	/* After close: its objects, savepoints and the session itself are
	 * refused. */
	rt_session *u = open_session(engine);
	rt_savepoint *sp = NULL;
	CHECK_OK(rt_session_begin_nested(&sp, u));
	rt_session_close(u);
	CHECK_INT(rt_savepoint_release(sp), RT_EINVAL);
	CHECK_INT(rt_savepoint_rollback(sp), RT_EINVAL);
	rt_session_close(t);
	CHECK_INT(Book_set_title(b, "x"), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "closed") != NULL);
	CHECK_INT(rt_session_flush(t), RT_EINVAL);
	CHECK_INT(rt_session_commit(t), RT_EINVAL);
	CHECK_INT(rt_session_rollback(t), RT_EINVAL);
	CHECK(rt_session_engine(t) == NULL);
	rt_session_close(t); /* a second close is harmless */
	rt_session_close(NULL);
	CHECK_OK(rt_session_rollback(s));
	rt_session_close(s);
}

static void test_bad_arguments(void)
{
	rt_session *s = open_session(engine);
	void *out = (void *)1;
	CHECK_INT(rt_session_open(NULL, engine), RT_EINVAL);
	rt_session *none = (rt_session *)1;
	CHECK_INT(rt_session_open(&none, NULL), RT_EINVAL);
	CHECK(none == NULL);
	CHECK_INT(rt_object_new(&out, NULL, &Author_model), RT_EINVAL);
	CHECK(out == NULL);
	CHECK_INT(rt_object_new(&out, s, NULL), RT_EINVAL);
	CHECK_INT(rt_object_new(NULL, s, &Author_model), RT_EINVAL);
	rt_model_desc future = Author_model;
	future.version = 99;
	CHECK_INT(rt_object_new(&out, s, &future), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "version") != NULL);
	CHECK_INT(rt_session_flush(NULL), RT_EINVAL);
	CHECK_INT(rt_session_begin_nested(NULL, s), RT_EINVAL);
	CHECK_INT(rt_savepoint_release(NULL), RT_EINVAL);
	CHECK_INT(rt_savepoint_rollback(NULL), RT_EINVAL);
	CHECK(rt_session_alloc(NULL, 8) == NULL);
	CHECK(rt_session_strdup(s, NULL) == NULL);
	const char *copy = rt_session_strdup(s, "kept");
	CHECK(copy && strcmp(copy, "kept") == 0);
	rt_session_close(s);
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_unique);
	RT_RUN(test_foreign_key);
	RT_RUN(test_not_null_and_check);
	RT_RUN(test_enum_not_set);
	RT_RUN(test_foreign_pointers);
	RT_RUN(test_bad_arguments);
	rt_engine_free(engine);
	return rt_test_done();
}
