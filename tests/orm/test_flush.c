/*
 * test_flush.c - the unit of work's order and relationships: parents
 * before children whatever order the program made them in (including
 * self-referential rows made child first and a cycle of new rows), keys
 * copied along links from both sides, one-to-one, many-to-many rows
 * inserted and deleted from either side, cascade delete (loaded or not),
 * delete orphan, children let go of a deleted parent, and unlinking a NOT
 * NULL key refused with a clear error. Also what the randomized test
 * (test_uow.c) found: new children deleted or orphaned before their insert,
 * a cascade over a child already deleted, collections loaded during work
 * that is rolled back.
 */
#include "session_test.h"
#include "orm/orm.h"

static rt_engine *engine;

static void fresh_engine(void)
{
	rt_engine_free(engine);
	engine = orm_test_engine();
}

static rt_object_state state_of(const void *object)
{
	rt_object *h = rt__object_header(object);
	return h ? h->state : (rt_object_state)0;
}

static Category *category(rt_session *s, const char *name)
{
	Category *c = NULL;
	CHECK_OK(Category_new(&c, s));
	if (c)
		CHECK_OK(Category_set_name(c, name));
	return c;
}

static void test_self_referential_child_first(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	/* Made leaf first, root last: the flush inserts root, mid, leaf. */
	Category *leaf = category(s, "leaf");
	Category *mid = category(s, "mid");
	Category *root = category(s, "root");
	if (!leaf || !mid || !root)
		return;
	CHECK_OK(Category_set_parent(leaf, mid));
	CHECK_OK(Category_add_children(root, mid)); /* the other side */
	CHECK(mid->parent == root);
	CHECK(root->children.count == 1 && mid->children.count == 1);
	CHECK_OK(rt_session_commit(s));
	CHECK(root->id > 0 && mid->id > 0 && leaf->id > 0);
	CHECK(!root->parent_id.present);
	CHECK(mid->parent_id.present && mid->parent_id.value == root->id);
	CHECK(leaf->parent_id.present && leaf->parent_id.value == mid->id);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT parent_id FROM categories WHERE id = %lld",
		 (long long)leaf->id);
	CHECK_INT(db_int(engine, sql), mid->id);
	/* Parents got lower ids: inserted first. */
	CHECK(root->id < mid->id && mid->id < leaf->id);

	/* Deleting a parent and child together deletes the child first. */
	CHECK_OK(Category_delete(mid));
	CHECK_OK(Category_delete(leaf));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM categories"), 1);
	CHECK_INT(state_of(leaf), RT_STATE_GONE);
	rt_session_close(s);
}

static void test_cycle_of_new_rows(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Category *a = category(s, "a");
	Category *b = category(s, "b");
	if (!a || !b)
		return;
	/* Each is the other's parent: insert with NULL, then UPDATE. */
	CHECK_OK(Category_set_parent(a, b));
	CHECK_OK(Category_set_parent(b, a));
	CHECK_OK(rt_session_commit(s));
	CHECK(a->parent_id.present && a->parent_id.value == b->id);
	CHECK(b->parent_id.present && b->parent_id.value == a->id);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT parent_id FROM categories WHERE id = %lld",
		 (long long)a->id);
	CHECK_INT(db_int(engine, sql), b->id);
	snprintf(sql, sizeof(sql), "SELECT parent_id FROM categories WHERE id = %lld",
		 (long long)b->id);
	CHECK_INT(db_int(engine, sql), a->id);
	rt_session_close(s);
}

static void test_keys_from_both_sides(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Book *b1 = NULL, *b2 = NULL;
	Author *a = NULL;
	/* Children made before their parent. */
	CHECK_OK(Book_new(&b1, s));
	CHECK_OK(Book_new(&b2, s));
	CHECK_OK(Author_new(&a, s));
	if (!a || !b1 || !b2)
		return;
	CHECK_OK(Book_set_title(b1, "one"));
	CHECK_OK(Book_set_title(b2, "two"));
	CHECK_OK(Author_set_name(a, "A"));
	CHECK_OK(Book_set_author(b1, a));   /* from the child */
	CHECK_OK(Author_add_books(a, b2));  /* from the parent */
	CHECK(b2->author == a);
	CHECK_INT(a->books.count, 2);
	Bio *bio = NULL;
	CHECK_OK(Bio_new(&bio, s));
	CHECK_OK(Bio_set_text(bio, "about A"));
	CHECK_OK(Author_set_bio(a, bio));
	CHECK(bio->author == a);
	CHECK_OK(rt_session_commit(s));
	CHECK(b1->author_id == a->id && b2->author_id == a->id && bio->author_id == a->id);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM books WHERE author_id = %lld",
		 (long long)a->id);
	CHECK_INT(db_int(engine, sql), 2);

	/* Moving a book to another author: both collections follow. */
	Author *c = NULL;
	CHECK_OK(Author_new(&c, s));
	CHECK_OK(Author_set_name(c, "C"));
	CHECK_OK(Book_set_author(b1, c));
	CHECK_INT(a->books.count, 1);
	CHECK_INT(c->books.count, 1);
	CHECK_OK(rt_session_commit(s));
	CHECK(b1->author_id == c->id);
	snprintf(sql, sizeof(sql), "SELECT author_id FROM books WHERE id = %lld", (long long)b1->id);
	CHECK_INT(db_int(engine, sql), c->id);
	/* b1 moved, not orphaned: delete orphan left it alone. */
	CHECK_INT(state_of(b1), RT_STATE_PERSISTENT);
	rt_session_close(s);
}

static void test_many_to_many(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *a = NULL, *b = NULL;
	Tag *c = NULL, *sql_tag = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Author_new(&b, s));
	CHECK_OK(Tag_new(&c, s));
	CHECK_OK(Tag_new(&sql_tag, s));
	if (!a || !b || !c || !sql_tag)
		return;
	CHECK_OK(Author_set_name(a, "A"));
	CHECK_OK(Author_set_name(b, "B"));
	CHECK_OK(Tag_set_label(c, "c"));
	CHECK_OK(Tag_set_label(sql_tag, "sql"));
	CHECK_OK(Author_add_tags(a, c));
	CHECK_OK(Author_add_tags(a, sql_tag));
	CHECK_OK(Tag_add_authors(sql_tag, b)); /* from the other side */
	CHECK(c->authors.count == 1 && sql_tag->authors.count == 2);
	CHECK(b->tags.count == 1);
	CHECK_OK(rt_session_commit(s));
	/* Each pair once, though both sides list it. */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM author_tags"), 3);

	CHECK_OK(Author_remove_tags(a, c));
	CHECK(c->authors.count == 0);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM author_tags"), 2);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM author_tags WHERE tag_id = %lld",
		 (long long)c->id);
	CHECK_INT(db_int(engine, sql), 0);

	/* Removed and added back in one flush: still one row. */
	CHECK_OK(Tag_remove_authors(sql_tag, b));
	CHECK_OK(Tag_add_authors(sql_tag, b));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM author_tags"), 2);

	/* Deleting a tag deletes its association rows first. */
	CHECK_OK(Tag_delete(sql_tag));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM author_tags"), 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM tags"), 1);
	rt_session_close(s);
}

/* Long collections (past the linear-scan size): differences by hash. */
static void test_long_collections(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	enum { N = 40 };
	Author *a = NULL;
	Tag *tags[N];
	Book *books[N];
	CHECK_OK(Author_new(&a, s));
	if (!a)
		return;
	CHECK_OK(Author_set_name(a, "A"));
	for (int i = 0; i < N; i++) {
		char label[16];
		snprintf(label, sizeof(label), "t%d", i);
		CHECK_OK(Tag_new(&tags[i], s));
		CHECK_OK(Tag_set_label(tags[i], label));
		CHECK_OK(Author_add_tags(a, tags[i]));
		CHECK_OK(Book_new(&books[i], s));
		CHECK_OK(Book_set_title(books[i], label));
		CHECK_OK(Author_add_books(a, books[i]));
	}
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM author_tags"), N);
	/* Every other one removed (from both sides in turn), plus one re-added. */
	for (int i = 0; i < N; i += 2) {
		if (i % 4)
			CHECK_OK(Author_remove_tags(a, tags[i]));
		else
			CHECK_OK(Tag_remove_authors(tags[i], a));
		CHECK_OK(Author_remove_books(a, books[i]));
	}
	CHECK_OK(Author_add_tags(a, tags[0]));
	CHECK_INT(a->tags.count, N / 2 + 1);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM author_tags"), N / 2 + 1);
	/* Orphans of a delete-orphan collection are deleted. */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), N / 2);
	rt_session_close(s);
}

static void test_cascade_delete(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	if (!a)
		return;
	CHECK_OK(Author_set_name(a, "A"));
	for (int i = 0; i < 3; i++) {
		Book *b = NULL;
		CHECK_OK(Book_new(&b, s));
		CHECK_OK(Book_set_title(b, "t"));
		CHECK_OK(Author_add_books(a, b));
	}
	Tag *t = NULL;
	CHECK_OK(Tag_new(&t, s));
	CHECK_OK(Tag_set_label(t, "x"));
	CHECK_OK(Author_add_tags(a, t));
	CHECK_OK(rt_session_commit(s));
	int64_t id = a->id;
	rt_session_close(s);

	/* A fresh session: the books are not loaded; deleting the author
	 * loads them (it was asked for) and deletes them first. */
	s = open_session(engine);
	Author *again = NULL;
	CHECK_OK(Author_get(&again, s, id));
	if (!again)
		return;
	CHECK(!again->books.loaded);
	CHECK_OK(Author_delete(again));
	CHECK(again->books.loaded && again->books.count == 3);
	for (size_t i = 0; i < again->books.count; i++)
		CHECK_INT(state_of(again->books.items[i]), RT_STATE_DELETED);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM author_tags"), 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM tags"), 1);
	rt_session_close(s);
}

static void test_delete_orphan(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *a = NULL;
	Book *keep = NULL, *drop = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Book_new(&keep, s));
	CHECK_OK(Book_new(&drop, s));
	if (!a || !keep || !drop)
		return;
	CHECK_OK(Author_set_name(a, "A"));
	CHECK_OK(Book_set_title(keep, "keep"));
	CHECK_OK(Book_set_title(drop, "drop"));
	CHECK_OK(Author_add_books(a, keep));
	CHECK_OK(Author_add_books(a, drop));
	CHECK_OK(rt_session_commit(s));

	CHECK_OK(Author_remove_books(a, drop));
	CHECK(drop->author == NULL);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(state_of(drop), RT_STATE_GONE);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 1);
	rt_session_close(s);
}

static void test_children_let_go(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Category *root = category(s, "root");
	Category *kid = category(s, "kid");
	if (!root || !kid)
		return;
	CHECK_OK(Category_add_children(root, kid));
	CHECK_OK(rt_session_commit(s));
	/* No cascade on children: a deleted parent's loaded children keep
	 * their rows, with the key set to NULL (it is nullable). */
	CHECK_OK(Category_delete(root));
	CHECK(!kid->parent_id.present && kid->parent == NULL);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM categories"), 1);
	char text[32];
	CHECK_STR(db_text(engine, "SELECT parent_id FROM categories", text, sizeof(text)), "NULL");

	/* Unlinking a child from a parent without delete orphan: NULL key. */
	Category *p = category(s, "p");
	CHECK_OK(Category_add_children(p, kid));
	CHECK_OK(rt_session_commit(s));
	CHECK(kid->parent_id.present);
	CHECK_OK(Category_remove_children(p, kid));
	CHECK_OK(rt_session_commit(s));
	CHECK(!kid->parent_id.present);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM categories WHERE parent_id IS NULL"), 2);
	rt_session_close(s);
}

static void test_unlink_not_null(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *a = NULL;
	Book *b = NULL;
	Bio *bio = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Book_new(&b, s));
	CHECK_OK(Bio_new(&bio, s));
	if (!a || !b || !bio)
		return;
	CHECK_OK(Author_set_name(a, "A"));
	CHECK_OK(Book_set_title(b, "b"));
	CHECK_OK(Bio_set_text(bio, "x"));
	CHECK_OK(Book_set_author(b, a));
	CHECK_OK(Bio_set_author(bio, a));
	CHECK_OK(rt_session_commit(s));
	/* bios.author_id is NOT NULL and Author.bio has no delete orphan. */
	CHECK_OK(Author_set_bio(a, NULL));
	CHECK(bio->author == NULL);
	CHECK_INT(rt_session_flush(s), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "bios.author_id") != NULL);
	/* Nothing was written: the program can fix it and go on. */
	CHECK_OK(Bio_delete(bio));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM bios"), 0);
	rt_session_close(s);
}

static void test_pending_delete(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *a = NULL;
	Book *b = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Book_new(&b, s));
	if (!a || !b)
		return;
	CHECK_OK(Author_set_name(a, "A"));
	CHECK_OK(Book_set_title(b, "b"));
	CHECK_OK(Author_add_books(a, b));
	/* Never inserted: deleting just drops it (and its cascade). */
	CHECK_OK(Author_delete(a));
	CHECK_INT(state_of(a), RT_STATE_DETACHED);
	CHECK_INT(state_of(b), RT_STATE_DETACHED);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 0);
	rt_session_close(s);
}

/* Found by the randomized unit-of-work test (test_uow.c). A new child
 * deleted, or unlinked under delete orphan, before it was ever inserted is
 * not inserted by a later flush through the parent that still held it; a
 * parent whose child's DELETE was flushed is deleted without an error. */
static void test_pending_child_deleted_or_orphaned(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Category *root = category(s, "root");
	Category *gone = category(s, "gone");
	Author *a = NULL;
	Book *orphan = NULL, *kept = NULL;
	CHECK_OK(Author_new(&a, s));
	CHECK_OK(Book_new(&orphan, s));
	CHECK_OK(Book_new(&kept, s));
	if (!root || !gone || !a || !orphan || !kept)
		return;
	CHECK_OK(Author_set_name(a, "ann"));
	CHECK_OK(Book_set_title(orphan, "orphan"));
	CHECK_OK(Book_set_title(kept, "kept"));
	CHECK_OK(Category_set_parent(gone, root));
	CHECK_OK(Author_add_books(a, orphan));
	CHECK_OK(Author_add_books(a, kept));
	CHECK_OK(Category_delete(gone));
	CHECK_INT(root->children.count, 0);
	CHECK_OK(Author_remove_books(a, orphan));
	CHECK_INT(state_of(orphan), RT_STATE_DETACHED);
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM categories"), 1);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 1);
	/* The kept book deleted and flushed, then its author: the cascade
	 * passes over the book already gone. */
	CHECK_OK(Book_delete(kept));
	CHECK_OK(rt_session_flush(s));
	CHECK_OK(Author_delete(a));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM authors"), 0);
	rt_session_close(s);
}

/* A collection that a rollback forgets: loaded during the undone work, it
 * may hold rows of that work, so it is unloaded again (and a reload shows
 * what the database holds). */
static void test_rollback_forgets_collection_loaded_since(void)
{
	fresh_engine();
	rt_session *s = open_session(engine);
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	if (!a)
		return;
	CHECK_OK(Author_set_name(a, "ann"));
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
	s = open_session(engine);
	Author *again = NULL;
	CHECK_OK(Author_get(&again, s, 1));
	Book *b = NULL;
	CHECK_OK(Book_new(&b, s));
	if (!again || !b)
		return;
	CHECK_OK(Book_set_title(b, "undone"));
	b->author_id = again->id; /* by key, the collection not loaded */
	CHECK_OK(Author_load_books(again)); /* autoflush: holds the new row */
	CHECK_INT(again->books.count, 1);
	CHECK_OK(rt_session_rollback(s));
	CHECK(!again->books.loaded || again->books.count == 0);
	CHECK_OK(rt_session_commit(s)); /* nothing comes back through it */
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM books"), 0);
	rt_session_close(s);
}

int main(void)
{
	RT_RUN(test_pending_child_deleted_or_orphaned);
	RT_RUN(test_rollback_forgets_collection_loaded_since);
	RT_RUN(test_self_referential_child_first);
	RT_RUN(test_cycle_of_new_rows);
	RT_RUN(test_keys_from_both_sides);
	RT_RUN(test_many_to_many);
	RT_RUN(test_long_collections);
	RT_RUN(test_cascade_delete);
	RT_RUN(test_delete_orphan);
	RT_RUN(test_children_let_go);
	RT_RUN(test_unlink_not_null);
	RT_RUN(test_pending_delete);
	rt_engine_free(engine);
	return rt_test_done();
}
