/*
 * test_query_eager.c - eager loading (rt_query_eager): collections by one
 * SELECT ... IN per chunk of keys, to-one relationships by a LEFT JOIN in
 * the main query, nested and repeated options. The engine's echo counts
 * the SELECTs, so a load that went one statement per object (N+1) fails.
 */
#include <stddef.h>

#include "query_seed.h"
#include "orm/orm.h"

static rt_engine *engine;
static echo_log log_;
static size_t log_at;

static rt_session *open_session(void)
{
	rt_session *s = NULL;
	if (rt_session_open(&s, engine) != RT_OK) {
		fprintf(stderr, "%s\n", rt_error_last()->message);
		exit(1);
	}
	return s;
}

static bool is_loaded(const void *object, const char *name)
{
	rt_object *h = rt__object_header(object);
	int index = -1;
	if (!h || !rt__relationship_find(h->model, name, &index))
		return false;
	return (h->loaded >> index) & 1;
}

static void test_collection(void)
{
	rt_session *s = open_session();
	rt_query *q = NULL;
	rt_list authors = {0};
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	CHECK_OK(rt_query_eager(q, &Author_model, "books"));
	echo_selects(&log_, &log_at);
	CHECK_OK(rt_query_all(q, &authors));
	CHECK_INT(echo_selects(&log_, &log_at), 2);
	CHECK_INT(authors.count, 4);
	int expected[] = {3, 1, 1, 2};
	for (size_t i = 0; i < authors.count && i < 4; i++) {
		Author *a = authors.items[i];
		CHECK(a->books.loaded && is_loaded(a, "books"));
		CHECK_INT(a->books.count, expected[i]);
		for (size_t j = 0; j < a->books.count; j++) {
			Book *b = a->books.items[j];
			CHECK(b->author == a && b->author_id == a->id && is_loaded(b, "author"));
		}
	}
	rt_query_free(q);

	/* first / one load the option for their object too. */
	Author *cy = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "Cy")));
	CHECK_OK(rt_query_eager(q, &Author_model, "tags"));
	CHECK_OK(rt_query_one(q, &cy));
	CHECK(cy && cy->tags.loaded && cy->tags.count == 1);
	rt_query_free(q);

	/* No row: an empty list, no load run (the list has no items yet). */
	rt_list none = {0};
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "nobody")));
	CHECK_OK(rt_query_eager(q, &Author_model, "books"));
	echo_selects(&log_, &log_at);
	CHECK_OK(rt_query_all(q, &none));
	CHECK_INT(none.count, 0);
	CHECK_INT(echo_selects(&log_, &log_at), 1);
	rt_query_free(q);
	rt_session_close(s);
}

static void test_joined_to_one(void)
{
	rt_session *s = open_session();
	rt_query *q = NULL;
	rt_list books = {0};
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Book_c.id.ref, false));
	CHECK_OK(rt_query_eager(q, &Book_model, "author"));
	/* nested to-one: still the one statement */
	CHECK_OK(rt_query_eager(q, &Author_model, "bio"));
	echo_selects(&log_, &log_at);
	CHECK_OK(rt_query_all(q, &books));
	CHECK_INT(echo_selects(&log_, &log_at), 1);
	CHECK_INT(books.count, 7);
	for (size_t i = 0; i < books.count; i++) {
		Book *b = books.items[i];
		CHECK(b->author && b->author->id == b->author_id && is_loaded(b, "author"));
		CHECK(b->author && is_loaded(b->author, "bio"));
	}
	Book *alpha = books.items[0], *delta = books.items[3];
	CHECK(alpha->author->bio && strcmp(alpha->author->bio->text, "Ann bio") == 0);
	CHECK(alpha->author->bio && alpha->author->bio->author == alpha->author);
	CHECK(delta->author->bio == NULL);
	/* Ann's three books share one Author object. */
	CHECK(books.items[1] && ((Book *)books.items[1])->author == alpha->author);
	rt_query_free(q);

	/* Options added between two runs of one query. */
	rt_list again = {0};
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.id, 4)));
	CHECK_OK(rt_query_all(q, &again));
	CHECK_OK(rt_query_eager(q, &Book_model, "author"));
	CHECK_OK(rt_query_eager(q, &Author_model, "tags"));
	CHECK_OK(rt_query_eager(q, &Author_model, "bio"));
	CHECK_OK(rt_query_all(q, &again));
	CHECK_INT(again.count, 2);
	Book *delta_again = again.count == 2 ? again.items[1] : NULL;
	CHECK(delta_again == delta && delta->author->tags.loaded && delta->author->tags.count == 1);
	rt_query_free(q);

	/* A NULL key gives a NULL pointer, marked loaded. */
	rt_list categories = {0};
	CHECK_OK(Category_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Category_c.id.ref, false));
	CHECK_OK(rt_query_eager(q, &Category_model, "parent"));
	CHECK_OK(rt_query_all(q, &categories));
	CHECK_INT(categories.count, 5);
	Category *root = categories.items[0], *leaf = categories.items[4];
	CHECK(root->parent == NULL && is_loaded(root, "parent"));
	CHECK(leaf->parent == categories.items[2]);
	rt_query_free(q);

	/* Joined with a filter join and a limit. */
	Author *a = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_join(q, &Author_model, "books"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Book_c.title, "Delta")));
	CHECK_OK(rt_query_eager(q, &Author_model, "bio"));
	CHECK_OK(rt_query_one(q, &a));
	CHECK(a && a->id == 2 && a->bio == NULL && is_loaded(a, "bio"));
	rt_query_free(q);
	rt_session_close(s);
}

static void test_nested(void)
{
	rt_session *s = open_session();
	rt_query *q = NULL;
	rt_list authors = {0};
	/* Author.books, then Book.author: the authors are in the session
	 * already, so the second option costs no statement. */
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_eager(q, &Author_model, "books"));
	CHECK_OK(rt_query_eager(q, &Book_model, "author"));
	CHECK_OK(rt_query_eager(q, &Author_model, "tags"));
	CHECK_OK(rt_query_eager(q, &Tag_model, "authors"));
	echo_selects(&log_, &log_at);
	CHECK_OK(rt_query_all(q, &authors));
	CHECK_INT(echo_selects(&log_, &log_at), 4);
	for (size_t i = 0; i < authors.count; i++) {
		Author *a = authors.items[i];
		CHECK(a->books.loaded && a->tags.loaded);
		for (size_t j = 0; j < a->tags.count; j++)
			CHECK(((Tag *)a->tags.items[j])->authors.loaded);
	}
	rt_query_free(q);

	/* Category.children twice: two levels, one statement each. */
	Category *root = NULL;
	CHECK_OK(Category_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_is_null(q, Category_c.parent_id)));
	CHECK_OK(rt_query_eager(q, &Category_model, "children"));
	CHECK_OK(rt_query_eager(q, &Category_model, "children"));
	echo_selects(&log_, &log_at);
	CHECK_OK(rt_query_one(q, &root));
	CHECK_INT(echo_selects(&log_, &log_at), 3);
	CHECK(root && root->children.loaded);
	CHECK_STR(list_texts(&root->children, offsetof(Category, name)), "alpha,mid,zeta");
	for (size_t i = 0; root && i < root->children.count; i++) {
		Category *child = root->children.items[i];
		CHECK(child->children.loaded && child->parent == root);
	}
	Category *alpha = root && root->children.count ? root->children.items[0] : NULL;
	CHECK(alpha && alpha->children.count == 1);
	if (alpha && alpha->children.count)
		CHECK(!((Category *)alpha->children.items[0])->children.loaded);
	rt_query_free(q);

	/* Options on models the query does not reach are errors. */
	CHECK_OK(Author_query(&q, s));
	CHECK_INT(rt_query_eager(q, &Category_model, "children"), RT_EINVAL);
	rt_query_free(q);
	CHECK_OK(Author_query(&q, s));
	CHECK_INT(rt_query_eager(q, &Author_model, "nothing"), RT_EINVAL);
	rt_query_free(q);
	rt_session_close(s);
}

/* Author i ("author i", karma i % 7) and its books 2i ("first of i",
 * score 1) and 2i + 1 ("second of i", score 2). */
static int fill_author(void *object, size_t i)
{
	Author *a = object;
	char name[32];
	snprintf(name, sizeof(name), "author %zu", i);
	a->id = (int64_t)i;
	a->karma = (int32_t)(i % 7);
	return Author_set_name(a, name);
}

static int fill_book(void *object, size_t i)
{
	Book *b = object;
	size_t author = (i + 1) / 2;
	char title[32];
	snprintf(title, sizeof(title), "%s of %zu", i % 2 ? "first" : "second", author);
	b->id = (int64_t)(2 * author + (i % 2 ? 0 : 1));
	b->author_id = (int64_t)author;
	b->score = i % 2 ? 1 : 2;
	int rc = rt_object_mark_set(b, &b->author_id);
	return rc < 0 ? rc : Book_set_title(b, title);
}

static void test_many_parents(void)
{
	/* 1,200 authors with two books each: one main SELECT and one per
	 * chunk of 512 keys, not 1,200. */
	static const char *const sql[] = {
		"DELETE FROM author_tags", "DELETE FROM bios", "DELETE FROM books",
		"DELETE FROM authors",
	};
	seed_exec(engine, sql, sizeof(sql) / sizeof(sql[0]));
	seed_objects(engine, &Author_model, 1200, fill_author);
	seed_objects(engine, &Book_model, 2400, fill_book);
	rt_session *s = open_session();
	rt_query *q = NULL;
	rt_list authors = {0};
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_eager(q, &Author_model, "books"));
	echo_selects(&log_, &log_at);
	CHECK_OK(rt_query_all(q, &authors));
	CHECK_INT(echo_selects(&log_, &log_at), 1 + 3);
	CHECK_INT(authors.count, 1200);
	size_t wrong = 0;
	for (size_t i = 0; i < authors.count; i++) {
		Author *a = authors.items[i];
		if (a->books.count != 2 || ((Book *)a->books.items[0])->author != a ||
		    ((Book *)a->books.items[1])->author_id != a->id)
			wrong++;
	}
	CHECK_INT(wrong, 0);
	rt_query_free(q);

	/* 2,400 books with their authors (joined: no statement of its own)
	 * and those authors' books (selectin under the join: 3 chunks). */
	rt_list books = {0};
	CHECK_OK(Book_query(&q, s));
	CHECK_OK(rt_query_eager(q, &Book_model, "author"));
	CHECK_OK(rt_query_eager(q, &Author_model, "books"));
	echo_selects(&log_, &log_at);
	CHECK_OK(rt_query_all(q, &books));
	CHECK_INT(echo_selects(&log_, &log_at), 1 + 3);
	CHECK_INT(books.count, 2400);
	rt_query_free(q);
	rt_session_close(s);
}

int main(void)
{
	engine = echo_engine(&log_);
	seed_library(engine);
	RT_RUN(test_collection);
	RT_RUN(test_joined_to_one);
	RT_RUN(test_nested);
	RT_RUN(test_many_parents);
	rt_engine_free(engine);
	echo_log_free(&log_);
	return rt_test_done();
}
