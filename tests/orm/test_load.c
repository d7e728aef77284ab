/*
 * test_load.c - get by primary key, refresh, expire, and explicit loading
 * of every kind of relationship (many-to-one, one-to-one from both sides,
 * one-to-many, many-to-many from both sides, the self-referential
 * Category with its `order by`), with their back sides and loaded marks.
 * Statements are counted through the engine's echo.
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

static void test_get(void)
{
	rt_session *s = open_session();
	Author *ann = NULL, *again = NULL;
	echo_selects(&log_, &log_at);
	CHECK_OK(Author_get(&ann, s, 1));
	CHECK(ann && strcmp(ann->name, "Ann") == 0 && ann->karma == 10);
	CHECK(ann && strcmp(ann->email, "ann@x.org") == 0);
	CHECK(ann && ann->created_at.date.year >= 2024);
	CHECK_INT(echo_selects(&log_, &log_at), 1);
	/* The identity map answers the second time, without SQL. */
	CHECK_OK(Author_get(&again, s, 1));
	CHECK(again == ann);
	CHECK_INT(echo_selects(&log_, &log_at), 0);
	/* Relationships are not loaded by a get. */
	CHECK(ann && !ann->books.loaded && ann->bio == NULL);
	CHECK(!is_loaded(ann, "books") && !is_loaded(ann, "bio"));

	Author *none = (Author *)1;
	CHECK_INT(Author_get(&none, s, 99), RT_ENOTFOUND);
	CHECK(none == NULL);
	CHECK(strstr(rt_error_last()->message, "Author") != NULL);
	CHECK(strstr(rt_error_last()->message, "99") != NULL);

	/* The generic call, and its misuse. */
	rt_value_ref key = rt_int(2);
	void *bob = NULL;
	CHECK_OK(rt_object_get(&bob, s, &Author_model, &key));
	CHECK(bob && strcmp(((Author *)bob)->name, "bob") == 0 && ((Author *)bob)->email == NULL);
	rt_value_ref bad = rt_text("2");
	CHECK_INT(rt_object_get(&bob, s, &Author_model, &bad), RT_EINVAL);
	CHECK_INT(rt_object_get(&bob, s, &Author_model, NULL), RT_EINVAL);
	CHECK_INT(rt_object_get(&bob, NULL, &Author_model, &key), RT_EINVAL);
	rt_value_ref null_key = rt_null();
	CHECK_INT(rt_object_get(&bob, s, &Author_model, &null_key), RT_EINVAL);
	rt_session_close(s);
}

static void test_expire_and_refresh(void)
{
	rt_session *s = open_session();
	Author *ann = NULL;
	CHECK_OK(Author_get(&ann, s, 1));
	rt_rows *rows = NULL;
	rt_value_ref params[] = {rt_int(99), rt_int(1)};
	CHECK_OK(rt_session_sql(&rows, s, "UPDATE authors SET karma = ? WHERE id = ?", params, 2));
	rt_rows_free(rows);
	/* The session keeps what it has... */
	Author *again = NULL;
	CHECK_OK(Author_get(&again, s, 1));
	CHECK(again == ann && ann->karma == 10);
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.id, 1)));
	CHECK_OK(rt_query_one(q, &again));
	CHECK(again == ann && ann->karma == 10);
	/* ...until the object is expired: then the next load takes the row. */
	CHECK_OK(rt_object_expire(ann));
	CHECK_OK(rt_query_one(q, &again));
	CHECK(again == ann && ann->karma == 99);
	rt_query_free(q);
	params[0] = rt_int(50);
	CHECK_OK(rt_session_sql(&rows, s, "UPDATE authors SET karma = ? WHERE id = ?", params, 2));
	rt_rows_free(rows);
	CHECK_OK(rt_object_expire(ann));
	CHECK_OK(Author_get(&again, s, 1));
	CHECK(again == ann && ann->karma == 50);

	/* refresh reads now, and drops what the program changed. */
	params[0] = rt_int(60);
	CHECK_OK(rt_session_sql(&rows, s, "UPDATE authors SET karma = ? WHERE id = ?", params, 2));
	rt_rows_free(rows);
	ann->karma = 1234;
	CHECK_OK(rt_object_refresh(ann));
	CHECK_INT(ann->karma, 60);
	CHECK_STR(ann->name, "Ann");
	/* A pending object has no row to refresh from. */
	Tag *t = NULL;
	CHECK_OK(Tag_new(&t, s));
	CHECK_INT(rt_object_refresh(t), RT_EINVAL);
	int local = 0;
	CHECK_INT(rt_object_refresh(&local), RT_EINVAL);
	rt_session_close(s); /* rolls the updates back */
}

static void test_load_many_to_one(void)
{
	rt_session *s = open_session();
	Book *alpha = NULL, *gamma = NULL;
	CHECK_OK(Book_get(&alpha, s, 1));
	CHECK(alpha->author == NULL && !is_loaded(alpha, "author"));
	echo_selects(&log_, &log_at);
	CHECK_OK(Book_load_author(alpha));
	CHECK_INT(echo_selects(&log_, &log_at), 1);
	CHECK(alpha->author && alpha->author->id == 1 && is_loaded(alpha, "author"));
	/* The author's books are not known from this: left unloaded. */
	CHECK(!alpha->author->books.loaded && !is_loaded(alpha->author, "books"));
	Author *ann = NULL;
	CHECK_OK(Author_get(&ann, s, 1));
	CHECK(alpha->author == ann);
	/* A target the session has costs no statement. */
	CHECK_OK(Book_get(&gamma, s, 3));
	echo_selects(&log_, &log_at);
	CHECK_OK(Book_load_author(gamma));
	CHECK_INT(echo_selects(&log_, &log_at), 0);
	CHECK(gamma->author == ann);

	/* A NULL key: loaded, and NULL. */
	Category *root = NULL, *leaf = NULL;
	CHECK_OK(Category_get(&root, s, 1));
	CHECK_OK(Category_load_parent(root));
	CHECK(root->parent == NULL && is_loaded(root, "parent"));
	CHECK_OK(Category_get(&leaf, s, 5));
	CHECK_OK(Category_load_parent(leaf));
	CHECK(leaf->parent && strcmp(leaf->parent->name, "alpha") == 0);
	CHECK(!leaf->parent->children.loaded);

	CHECK_INT(rt_object_load(alpha, "nothing"), RT_EINVAL);
	CHECK_INT(rt_object_load(NULL, "author"), RT_EINVAL);
	rt_session_close(s);
}

static void test_load_one_to_one(void)
{
	rt_session *s = open_session();
	Author *ann = NULL, *bob = NULL;
	CHECK_OK(Author_get(&ann, s, 1));
	CHECK_OK(Author_get(&bob, s, 2));
	CHECK_OK(Author_load_bio(ann));
	CHECK(ann->bio && strcmp(ann->bio->text, "Ann bio") == 0 && is_loaded(ann, "bio"));
	/* The back side is settled too. */
	CHECK(ann->bio && ann->bio->author == ann && is_loaded(ann->bio, "author"));
	CHECK_OK(Author_load_bio(bob));
	CHECK(bob->bio == NULL && is_loaded(bob, "bio"));

	/* From the side holding the key. */
	Bio *cy_bio = NULL;
	CHECK_OK(Bio_get(&cy_bio, s, 2));
	CHECK_OK(Bio_load_author(cy_bio));
	CHECK(cy_bio->author && strcmp(cy_bio->author->name, "Cy") == 0);
	CHECK(cy_bio->author && cy_bio->author->bio == cy_bio && is_loaded(cy_bio->author, "bio"));
	rt_session_close(s);
}

static void test_load_one_to_many(void)
{
	rt_session *s = open_session();
	Author *ann = NULL, *bob = NULL;
	Book *gamma = NULL;
	CHECK_OK(Book_get(&gamma, s, 3));
	CHECK_OK(Author_get(&ann, s, 1));
	echo_selects(&log_, &log_at);
	CHECK_OK(Author_load_books(ann));
	CHECK_INT(echo_selects(&log_, &log_at), 1);
	CHECK(ann->books.loaded && is_loaded(ann, "books"));
	CHECK_INT(ann->books.count, 3);
	bool has_gamma = false;
	for (size_t i = 0; i < ann->books.count; i++) {
		Book *b = ann->books.items[i];
		/* Each book's author is this author (back_populates). */
		CHECK(b->author == ann && is_loaded(b, "author"));
		has_gamma = has_gamma || b == gamma;
	}
	CHECK(has_gamma);
	/* The collection's snapshot is what the flush will diff against. */
	rt_object *h = rt__object_header(ann);
	const rt_list *snaps = h ? rt__more(h)->collection_snapshots : NULL;
	CHECK(snaps && snaps[0].count == 3 && snaps[0].loaded);
	/* Loading again gives the same objects, not more. */
	CHECK_OK(Author_load_books(ann));
	CHECK_INT(ann->books.count, 3);

	/* No rows: loaded and empty. */
	CHECK_OK(Author_get(&bob, s, 2));
	rt_rows *rows = NULL;
	CHECK_OK(rt_session_sql(&rows, s, "DELETE FROM books WHERE author_id = 2", NULL, 0));
	rt_rows_free(rows);
	CHECK_OK(Author_load_books(bob));
	CHECK(bob->books.loaded && bob->books.count == 0);

	/* Self-referential, in the relationship's order (by name). */
	Category *root = NULL;
	CHECK_OK(Category_get(&root, s, 1));
	CHECK_OK(Category_load_children(root));
	CHECK_STR(list_texts(&root->children, offsetof(Category, name)), "alpha,mid,zeta");
	for (size_t i = 0; i < root->children.count; i++) {
		Category *child = root->children.items[i];
		CHECK(child->parent == root && is_loaded(child, "parent"));
		CHECK(!child->children.loaded);
	}
	Category *alpha = root->children.count ? root->children.items[0] : NULL;
	if (alpha) {
		CHECK_OK(Category_load_children(alpha));
		CHECK_STR(list_texts(&alpha->children, offsetof(Category, name)), "leaf");
	}
	rt_session_close(s);
}

static void test_load_many_to_many(void)
{
	rt_session *s = open_session();
	Author *ann = NULL;
	Tag *sql = NULL;
	CHECK_OK(Author_get(&ann, s, 1));
	CHECK_OK(Author_load_tags(ann));
	CHECK(ann->tags.loaded && is_loaded(ann, "tags"));
	CHECK_STR(list_texts(&ann->tags, offsetof(Tag, label)), "c,sql");
	/* The tags' authors are not known from this. */
	for (size_t i = 0; i < ann->tags.count; i++)
		CHECK(!((Tag *)ann->tags.items[i])->authors.loaded);
	CHECK_OK(Tag_get(&sql, s, 2));
	CHECK(sql == ann->tags.items[1]);
	CHECK_OK(Tag_load_authors(sql));
	CHECK_STR(list_texts(&sql->authors, offsetof(Author, name)), "Ann,bob");
	CHECK(sql->authors.items[0] == ann);
	rt_session_close(s);
}

static void test_load_many_at_once(void)
{
	/* rt__load_relationship_many: one statement for many parents, each
	 * parent getting its own rows. */
	rt_session *s = open_session();
	rt_query *q = NULL;
	rt_list authors = {0};
	CHECK_OK(Author_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	CHECK_OK(rt_query_all(q, &authors));
	rt_query_free(q);
	echo_selects(&log_, &log_at);
	CHECK_OK(rt__load_relationship_many(s, &Author_model, 0, authors.items, authors.count));
	CHECK_INT(echo_selects(&log_, &log_at), 1);
	int expected[] = {3, 1, 1, 2};
	for (size_t i = 0; i < authors.count && i < 4; i++) {
		Author *a = authors.items[i];
		CHECK_INT(a->books.count, expected[i]);
		for (size_t j = 0; j < a->books.count; j++)
			CHECK(((Book *)a->books.items[j])->author_id == a->id);
	}
	CHECK_OK(rt__load_relationship_many(s, &Author_model, 2, authors.items, authors.count));
	CHECK_INT(echo_selects(&log_, &log_at), 1);
	CHECK_STR(list_texts(&((Author *)authors.items[2])->tags, offsetof(Tag, label)), "go");
	CHECK(((Author *)authors.items[3])->tags.loaded &&
	      ((Author *)authors.items[3])->tags.count == 0);
	rt_session_close(s);
}

int main(void)
{
	engine = echo_engine(&log_);
	seed_library(engine);
	RT_RUN(test_get);
	RT_RUN(test_expire_and_refresh);
	RT_RUN(test_load_many_to_one);
	RT_RUN(test_load_one_to_one);
	RT_RUN(test_load_one_to_many);
	RT_RUN(test_load_many_to_many);
	RT_RUN(test_load_many_at_once);
	rt_engine_free(engine);
	echo_log_free(&log_);
	return rt_test_done();
}
