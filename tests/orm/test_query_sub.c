/*
 * test_query_sub.c - the richer queries: columns compared with columns,
 * EXISTS / NOT EXISTS along relationships ("authors with no books") and
 * over any query, IN over a subquery, correlated subqueries, LEFT OUTER
 * joins, joins on an explicit condition with an alias (a self-join),
 * DISTINCT, HAVING, UNION, and raw SQL rows as objects (a recursive CTE
 * over the category tree, ROW_NUMBER over a partition). Runs on the rows
 * of query_seed.h, on every backend.
 */
#include <stddef.h>

#include "query_seed.h"

static rt_engine *engine;
static rt_session *session;

#define AUTHOR_NAMES(list) list_texts((list), offsetof(Author, name))
#define BOOK_TITLES(list) list_texts((list), offsetof(Book, title))
#define CATEGORY_NAMES(list) list_texts((list), offsetof(Category, name))

/* The results of q as names (field at offset), in the order of `order`;
 * or the error. Frees q. */
static const char *names_of(rt_query *q, rt_column_ref order, size_t offset)
{
	static char names[512];
	rt_list list = {0};
	int rc = rt_query_order_by(q, order, false);
	if (rc == RT_OK)
		rc = rt_query_all(q, &list);
	if (rc != RT_OK)
		snprintf(names, sizeof(names), "error %d: %s", rc, rt_error_last()->message);
	else
		snprintf(names, sizeof(names), "%s", list_texts(&list, offset));
	rt_query_free(q);
	return names;
}

#define AUTHORS(q) names_of((q), Author_c.id.ref, offsetof(Author, name))
#define BOOKS(q) names_of((q), Book_c.id.ref, offsetof(Book, title))
#define CATEGORIES(q) names_of((q), Category_c.id.ref, offsetof(Category, name))

static rt_query *authors(void)
{
	rt_query *q = NULL;
	CHECK_OK(Author_query(&q, session));
	return q;
}

static rt_query *books(void)
{
	rt_query *q = NULL;
	CHECK_OK(Book_query(&q, session));
	return q;
}

static rt_query *categories(void)
{
	rt_query *q = NULL;
	CHECK_OK(Category_query(&q, session));
	return q;
}

static void test_column_compare(void)
{
	/* Columns of one model. */
	rt_query *q = books();
	CHECK_OK(rt_query_filter(q, rt_gt_col(q, Book_c.score, Book_c.id)));
	CHECK_STR(BOOKS(q), "Alpha,beta,Gamma,alpha two");
	q = books();
	CHECK_OK(rt_query_filter(q, rt_le_col(q, Book_c.score, Book_c.id)));
	CHECK_STR(BOOKS(q), "Delta,100% pure,[draft] *x*?");
	/* A column of a joined model (int and bigint compare). */
	q = books();
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_filter(q, rt_gt_col(q, Book_c.score, Author_c.karma)));
	CHECK_STR(BOOKS(q), "alpha two");
	q = books();
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_filter(q, rt_and(q, rt_ne_col(q, Book_c.score, Author_c.karma),
					   rt_ge_col(q, Book_c.author_id, Author_c.id))));
	CHECK_STR(BOOKS(q), "Alpha,beta,Gamma,Delta,alpha two,100% pure,[draft] *x*?");
	/* A change the session holds is flushed before the query runs. */
	Author *cy = NULL;
	CHECK_OK(Author_get(&cy, session, 3));
	cy->karma = 20;
	q = books();
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_filter(q, rt_lt_col(q, Book_c.score, Author_c.karma)));
	CHECK_STR(BOOKS(q), "Alpha,beta,Gamma,Delta,alpha two,100% pure,[draft] *x*?");
	CHECK_OK(rt_session_rollback(session));
	CHECK_INT(cy->karma, 0);
	/* Different kinds: refused when the query runs (the typed macros
	 * do not compile: tests/orm/compile_generated.sh). */
	q = authors();
	CHECK(rt_where_compare_columns(q, Author_c.name.ref, RT_OP_EQ, Author_c.karma.ref) == NULL);
	rt_list list = {0};
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "different kinds") != NULL);
	rt_query_free(q);
}

static void test_has(void)
{
	/* Every seeded author has books: add one without, pending (the
	 * query flushes it first), and one book more for Cy. */
	Author *dee = NULL;
	CHECK_OK(Author_new(&dee, session));
	dee->id = 5;
	CHECK_OK(Author_set_name(dee, "Dee"));
	rt_query *q = authors();
	CHECK_OK(rt_query_filter(q, rt_not(q, rt_has(q, Author, "books", NULL))));
	Author *found = NULL;
	CHECK_OK(rt_query_one(q, &found));
	CHECK(found == dee); /* the session's object */
	rt_query_free(q);

	q = authors();
	CHECK_OK(rt_query_filter(q, rt_has(q, Author, "books", NULL)));
	CHECK_STR(AUTHORS(q), "Ann,bob,Cy,O'Brien");
	/* The generated form: the relationship's name checked by the
	 * compiler. */
	q = authors();
	CHECK_OK(rt_query_filter(q, rt_not(q, Author_has_books(q, NULL))));
	CHECK_STR(AUTHORS(q), "Dee");
	/* With a condition on the related rows. */
	q = authors();
	CHECK_OK(rt_query_filter(q, rt_has(q, Author, "books", rt_ge(q, Book_c.score, 8))));
	CHECK_STR(AUTHORS(q), "Ann,Cy");
	/* A condition naming the outer row too. */
	q = authors();
	CHECK_OK(rt_query_filter(q, rt_has(q, Author, "books",
					   rt_gt_col(q, Book_c.score, Author_c.karma))));
	CHECK_STR(AUTHORS(q), "Cy");
	/* Many-to-many, one-to-one, many-to-one. */
	q = authors();
	CHECK_OK(rt_query_filter(q, rt_has(q, Author, "tags", rt_eq(q, Tag_c.label, "sql"))));
	CHECK_STR(AUTHORS(q), "Ann,bob");
	q = authors();
	CHECK_OK(rt_query_filter(q, rt_not(q, rt_has(q, Author, "bio", NULL))));
	CHECK_STR(AUTHORS(q), "bob,O'Brien,Dee");
	q = books();
	CHECK_OK(rt_query_filter(q, rt_has(q, Book, "author", rt_gt(q, Author_c.karma, 6))));
	CHECK_STR(BOOKS(q), "Alpha,beta,Gamma,100% pure,[draft] *x*?");
	/* From a joined model: books whose author has the tag "go". */
	q = books();
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_filter(q, rt_or(q, rt_has(q, Author, "tags", rt_eq(q, Tag_c.label, "go")),
					  rt_eq(q, Book_c.title, "Delta"))));
	CHECK_STR(BOOKS(q), "Delta,alpha two");
	/* Along a self-referencing relationship: the condition names the
	 * children. */
	q = categories();
	CHECK_OK(rt_query_filter(q, rt_has(q, Category, "children", NULL)));
	CHECK_STR(CATEGORIES(q), "root,alpha");
	q = categories();
	CHECK_OK(rt_query_filter(q, rt_has(q, Category, "children",
					   rt_eq(q, Category_c.name, "leaf"))));
	CHECK_STR(CATEGORIES(q), "alpha");
	/* Counted and tested for existence the same way. */
	q = authors();
	CHECK_OK(rt_query_filter(q, rt_not(q, rt_has(q, Author, "tags", NULL))));
	int64_t count = 0;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 2);
	rt_query_free(q);
	/* Unknown relationship. */
	q = authors();
	CHECK(rt_has(q, Author, "nothing", NULL) == NULL);
	rt_list list = {0};
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	rt_query_free(q);
	CHECK_OK(rt_session_rollback(session));
}

static void test_subqueries(void)
{
	/* IN over any query. */
	rt_query *q = authors();
	rt_query *sub = books();
	CHECK_OK(rt_query_filter(sub, rt_is_not_null(sub, Book_c.price)));
	CHECK_OK(rt_query_filter(q, rt_in_query(q, Author_c.id, sub, Book_c.author_id)));
	CHECK_STR(AUTHORS(q), "Ann,bob");
	q = authors();
	sub = books();
	CHECK_OK(rt_query_filter(sub, rt_is_not_null(sub, Book_c.price)));
	CHECK_OK(rt_query_filter(q, rt_not(q, rt_in_query(q, Author_c.id, sub,
							  Book_c.author_id))));
	CHECK_STR(AUTHORS(q), "Cy,O'Brien");
	/* A correlated EXISTS: the subquery names the outer author. Values
	 * of both queries are bound in the order of the text. */
	q = authors();
	sub = books();
	CHECK_OK(rt_query_filter(sub, rt_eq_col(sub, Book_c.author_id, Author_c.id)));
	CHECK_OK(rt_query_filter(sub, rt_ge(sub, Book_c.score, 3)));
	CHECK_OK(rt_query_filter(q, rt_and(q, rt_gt(q, Author_c.karma, 0), rt_exists(q, sub))));
	CHECK_OK(rt_query_filter(q, rt_ne(q, Author_c.name, "Zed")));
	CHECK_STR(AUTHORS(q), "Ann");
	/* A subquery with a join of its own, inside a subquery. */
	q = authors();
	sub = books();
	rt_query *inner = NULL;
	CHECK_OK(Tag_query(&inner, session));
	CHECK_OK(rt_query_join(inner, &Tag_model, "authors"));
	CHECK_OK(rt_query_filter(inner, rt_eq(inner, Tag_c.label, "go")));
	CHECK_OK(rt_query_filter(sub, rt_in_query(sub, Book_c.author_id, inner, Author_c.id)));
	CHECK_OK(rt_query_filter(q, rt_in_query(q, Author_c.id, sub, Book_c.author_id)));
	CHECK_STR(AUTHORS(q), "Cy");
	/* A limit inside is refused; a query of another session too. */
	q = authors();
	sub = books();
	CHECK_OK(rt_query_limit(sub, 1));
	CHECK_OK(rt_query_filter(q, rt_exists(q, sub)));
	rt_list list = {0};
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	rt_query_free(q);
	rt_session *other = NULL;
	CHECK_OK(rt_session_open(&other, engine));
	q = authors();
	CHECK_OK(Book_query(&sub, other));
	CHECK(rt_exists(q, sub) == NULL);
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	rt_query_free(q);
	rt_session_close(other);
}

static void test_outer_join(void)
{
	/* Authors without a bio: LEFT OUTER JOIN, the joined key NULL. */
	rt_query *q = authors();
	CHECK_OK(rt_query_outerjoin(q, &Author_model, "bio"));
	CHECK_OK(rt_query_filter(q, rt_is_null(q, Bio_c.id)));
	CHECK_STR(AUTHORS(q), "bob,O'Brien");
	/* Books per author, an author with none counted as 0. */
	Author *dee = NULL;
	CHECK_OK(Author_new(&dee, session));
	dee->id = 5;
	CHECK_OK(Author_set_name(dee, "Dee"));
	q = authors();
	CHECK_OK(rt_query_outerjoin(q, &Author_model, "books"));
	CHECK_OK(rt_query_group_by(q, Author_c.id.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_COUNT, Book_c.id.ref));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	rt_rows *rows = NULL;
	CHECK_OK(rt_query_rows(q, &rows));
	char counts[64] = "";
	while (rt_rows_next(rows) == RT_ROW)
		snprintf(counts + strlen(counts), sizeof(counts) - strlen(counts), "%s%lld",
			 counts[0] ? "," : "", (long long)rt_rows_int64(rows, 1));
	CHECK_STR(counts, "3,1,1,2,0");
	rt_rows_free(rows);
	rt_query_free(q);
	/* An outer join along a to-many relationship keeps objects distinct. */
	q = authors();
	CHECK_OK(rt_query_outerjoin(q, &Author_model, "books"));
	CHECK_OK(rt_query_filter(q, rt_or(q, rt_is_null(q, Book_c.id),
					  rt_lt(q, Book_c.score, 4))));
	CHECK_STR(AUTHORS(q), "Ann,bob,O'Brien,Dee");
	CHECK_OK(rt_session_rollback(session));
}

static void test_self_join(void)
{
	/* Categories and their parents (employees and their managers):
	 * an alias of the same table, joined on an explicit condition. */
	rt_query *q = categories();
	const rt_model_desc *parent = NULL;
	CHECK_OK(rt_query_alias(&parent, q, &Category_model));
	CHECK_OK(rt_query_join_on(q, parent, rt_eq_col(q, Category_c.parent_id,
						       rt_alias_col(parent, Category_c.id)),
				  false));
	CHECK_OK(rt_query_filter(q, rt_eq(q, rt_alias_col(parent, Category_c.name), "root")));
	CHECK_STR(CATEGORIES(q), "zeta,alpha,mid");
	/* A column compared with the alias's. */
	q = categories();
	CHECK_OK(rt_query_alias(&parent, q, &Category_model));
	CHECK_OK(rt_query_join_on(q, parent, rt_eq_col(q, Category_c.parent_id,
						       rt_alias_col(parent, Category_c.id)),
				  false));
	CHECK_OK(rt_query_filter(q, rt_lt_col(q, Category_c.name,
					      rt_alias_col(parent, Category_c.name))));
	CHECK_STR(CATEGORIES(q), "alpha,mid");
	/* Outer: the categories without a parent row. */
	q = categories();
	CHECK_OK(rt_query_alias(&parent, q, &Category_model));
	CHECK_OK(rt_query_join_on(q, parent, rt_eq_col(q, Category_c.parent_id,
						       rt_alias_col(parent, Category_c.id)),
				  true));
	CHECK_OK(rt_query_filter(q, rt_is_null(q, rt_alias_col(parent, Category_c.id))));
	CHECK_STR(CATEGORIES(q), "root");
	/* Grandparents: two aliases. */
	q = categories();
	const rt_model_desc *grand = NULL;
	CHECK_OK(rt_query_alias(&parent, q, &Category_model));
	CHECK_OK(rt_query_alias(&grand, q, &Category_model));
	CHECK_OK(rt_query_join_on(q, parent, rt_eq_col(q, Category_c.parent_id,
						       rt_alias_col(parent, Category_c.id)),
				  false));
	CHECK_OK(rt_query_join_on(q, grand, rt_eq_col(q, rt_alias_col(parent, Category_c.parent_id),
						      rt_alias_col(grand, Category_c.id)),
				  false));
	CHECK_OK(rt_query_filter(q, rt_eq(q, rt_alias_col(grand, Category_c.name), "root")));
	CHECK_STR(CATEGORIES(q), "leaf");
	/* A column of another model as the alias's is refused. */
	q = categories();
	CHECK_OK(rt_query_alias(&parent, q, &Category_model));
	CHECK(rt_eq(q, rt_alias_col(parent, Author_c.name), "x") == NULL);
	rt_list list = {0};
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	rt_query_free(q);
}

/* The rows of an aggregate query as "group:value,...". */
static const char *rows_text(rt_query *q)
{
	static char out[256];
	out[0] = '\0';
	rt_rows *rows = NULL;
	if (rt_query_rows(q, &rows) != RT_OK) {
		snprintf(out, sizeof(out), "error: %s", rt_error_last()->message);
		rt_query_free(q);
		return out;
	}
	while (rt_rows_next(rows) == RT_ROW) {
		size_t len = strlen(out);
		snprintf(out + len, sizeof(out) - len, "%s%s:%lld", len ? "," : "",
			 rt_rows_text(rows, 0), (long long)rt_rows_int64(rows, 1));
	}
	rt_rows_free(rows);
	rt_query_free(q);
	return out;
}

static void test_distinct_having(void)
{
	/* Authors with at least two books. */
	rt_query *q = books();
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_group_by(q, Author_c.name.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_COUNT, (rt_column_ref){0}));
	CHECK_OK(rt_query_having(q, RT_AGGREGATE_COUNT, (rt_column_ref){0}, RT_OP_GE, rt_int(2)));
	CHECK_OK(rt_query_order_by(q, Author_c.name.ref, false));
	CHECK_STR(rows_text(q), "Ann:3,O'Brien:2");
	/* Two conditions, on another aggregate than the one selected. */
	q = books();
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_group_by(q, Author_c.name.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_SUM, Book_c.score.ref));
	CHECK_OK(rt_query_having(q, RT_AGGREGATE_SUM, Book_c.score.ref, RT_OP_GT, rt_int(9)));
	CHECK_OK(rt_query_having(q, RT_AGGREGATE_MAX, Book_c.score.ref, RT_OP_LT, rt_int(10)));
	CHECK_STR(rows_text(q), "Ann:16");
	q = books();
	CHECK_OK(rt_query_join(q, &Book_model, "author"));
	CHECK_OK(rt_query_group_by(q, Author_c.name.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_COUNT, (rt_column_ref){0}));
	CHECK_OK(rt_query_having(q, RT_AGGREGATE_AVG, Book_c.score.ref, RT_OP_GE, rt_double(5.25)));
	CHECK_OK(rt_query_order_by(q, Author_c.name.ref, false));
	CHECK_STR(rows_text(q), "Ann:3,Cy:1");
	q = books();
	CHECK(rt_query_having(q, RT_AGGREGATE_SUM, Book_c.score.ref, RT_OP_GT, rt_text("9")) ==
	      RT_EINVAL);
	rt_query_free(q);
	/* DISTINCT: the tag labels of authors, each once; COUNT(DISTINCT). */
	q = NULL;
	CHECK_OK(Tag_query(&q, session));
	CHECK_OK(rt_query_join(q, &Tag_model, "authors"));
	CHECK_OK(rt_query_distinct(q));
	CHECK_OK(rt_query_group_by(q, Tag_c.label.ref));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_COUNT_DISTINCT, Author_c.karma.ref));
	CHECK_OK(rt_query_order_by(q, Tag_c.label.ref, false));
	CHECK_STR(rows_text(q), "c:1,go:1,sql:2");
	q = books();
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_COUNT_DISTINCT, Book_c.author_id.ref));
	rt_rows *rows = NULL;
	CHECK_OK(rt_query_rows(q, &rows));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_INT(rt_rows_int64(rows, 0), 4);
	rt_rows_free(rows);
	rt_query_free(q);
}

static void test_union(void)
{
	rt_query *q = authors();
	rt_query *other = authors();
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "Ann")));
	CHECK_OK(rt_query_filter(other, rt_lt(other, Author_c.karma, 6)));
	CHECK_OK(rt_query_union(q, other));
	CHECK_STR(AUTHORS(q), "Ann,bob,Cy");
	/* Three queries, one joined along a to-many relationship; an
	 * author in two of them comes once; limit and count apply to the
	 * union. */
	q = authors();
	other = authors();
	rt_query *third = authors();
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.name, "O'Brien")));
	CHECK_OK(rt_query_join(other, &Author_model, "books"));
	CHECK_OK(rt_query_filter(other, rt_ge(other, Book_c.score, 8)));
	CHECK_OK(rt_query_filter(third, rt_eq(third, Author_c.karma, 10)));
	CHECK_OK(rt_query_union(q, other));
	CHECK_OK(rt_query_union(q, third));
	int64_t count = 0;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 3);
	CHECK_OK(rt_query_limit(q, 2));
	CHECK_STR(AUTHORS(q), "Ann,Cy");
	/* With an eager option, streamed, and first. */
	q = authors();
	other = authors();
	CHECK_OK(rt_query_filter(q, rt_eq(q, Author_c.id, 2)));
	CHECK_OK(rt_query_filter(other, rt_eq(other, Author_c.id, 3)));
	CHECK_OK(rt_query_union(q, other));
	CHECK_OK(rt_query_eager(q, &Author_model, "books"));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, true));
	Author *first = NULL;
	CHECK_OK(rt_query_first(q, &first));
	CHECK_STR(first->name, "Cy");
	CHECK(first->books.loaded);
	CHECK_STR(BOOK_TITLES(&first->books), "alpha two");
	rt_query_free(q);
	q = authors();
	CHECK_OK(rt_query_filter(q, rt_has(q, Author, "books", rt_eq(q, Book_c.title, "Delta"))));
	rt_query *more = authors();
	CHECK_OK(rt_query_filter(more, rt_has(more, Author, "bio", NULL)));
	CHECK_OK(rt_query_union(q, more));
	CHECK_OK(rt_query_order_by(q, Author_c.id.ref, false));
	CHECK_OK(rt_query_stream(q));
	Author *row = NULL;
	char streamed[64] = "";
	while (rt_query_next(q, &row) == RT_ROW)
		snprintf(streamed + strlen(streamed), sizeof(streamed) - strlen(streamed), "%s%s",
			 streamed[0] ? "," : "", row->name);
	CHECK_STR(streamed, "Ann,bob,Cy");
	rt_query_free(q);
	/* Aggregate rows of a union are refused. */
	q = authors();
	CHECK_OK(rt_query_union(q, authors()));
	CHECK_OK(rt_query_aggregate(q, RT_AGGREGATE_COUNT, (rt_column_ref){0}));
	rt_rows *rows = NULL;
	CHECK_INT(rt_query_rows(q, &rows), RT_EINVAL);
	rt_query_free(q);
	/* A query of another model is refused. */
	q = authors();
	CHECK_INT(rt_query_union(q, books()), RT_EINVAL);
	rt_list list = {0};
	CHECK_INT(rt_query_all(q, &list), RT_EINVAL);
	rt_query_free(q);
}

static void test_raw_cte(void)
{
	/* The subtree of a category, by a recursive CTE: the rows are the
	 * session's Category objects, the depth an extra column. */
	Category *alpha = NULL;
	CHECK_OK(Category_get(&alpha, session, 3));
	const char *sql =
		"WITH RECURSIVE tree (id, depth) AS ("
		" SELECT id, 0 FROM categories WHERE name = ?"
		" UNION ALL"
		" SELECT c.id, tree.depth + 1 FROM categories c JOIN tree ON c.parent_id = tree.id)"
		" SELECT c.*, tree.depth FROM categories c JOIN tree ON c.id = tree.id"
		" ORDER BY tree.depth, c.name";
	rt_value_ref root = rt_text("root");
	rt_rows *rows = NULL;
	CHECK_OK(rt_session_sql(&rows, session, sql, &root, 1));
	Category *c = NULL;
	CHECK_INT(rt_rows_object(rows, &Category_model, 0, &c), RT_EINVAL); /* no row yet */
	char tree[128] = "";
	bool saw_alpha = false;
	while (rt_rows_next(rows) == RT_ROW) {
		CHECK_OK(Category_from_row(&c, rows, 0));
		saw_alpha = saw_alpha || c == alpha;
		snprintf(tree + strlen(tree), sizeof(tree) - strlen(tree), "%s%s:%lld",
			 tree[0] ? "," : "", c->name, (long long)rt_rows_int64(rows, 3));
	}
	CHECK_STR(tree, "root:0,alpha:1,mid:1,zeta:1,leaf:2");
	CHECK(saw_alpha); /* the identity map's object */
	rt_rows_free(rows);
	/* Too few columns for the model. */
	CHECK_OK(rt_session_sql(&rows, session, "SELECT id, name FROM categories", NULL, 0));
	CHECK_INT(rt_rows_next(rows), RT_ROW);
	CHECK_INT(rt_rows_object(rows, &Category_model, 0, &c), RT_EINVAL);
	rt_rows_free(rows);
}

static void test_raw_window(void)
{
	/* Each author's best book: ROW_NUMBER over a partition, typed rows
	 * (a Book and its rank). */
	const char *sql =
		"SELECT b.*, ROW_NUMBER() OVER (PARTITION BY b.author_id ORDER BY b.score DESC, b.id)"
		" AS rn FROM books b ORDER BY b.author_id, rn";
	rt_rows *rows = NULL;
	CHECK_OK(rt_session_sql(&rows, session, sql, NULL, 0));
	char best[256] = "";
	int n = 0;
	while (rt_rows_next(rows) == RT_ROW) {
		Book *b = NULL;
		CHECK_OK(Book_from_row(&b, rows, 0));
		n++;
		if (rt_rows_int64(rows, 5) == 1)
			snprintf(best + strlen(best), sizeof(best) - strlen(best), "%s%s(%d)",
				 best[0] ? "," : "", b->title, (int)b->score);
	}
	CHECK_INT(n, 7);
	CHECK_STR(best, "Gamma(8),Delta(1),alpha two(10),100% pure(2)");
	rt_rows_free(rows);
}

int main(void)
{
	engine = orm_test_engine();
	seed_library(engine);
	if (rt_session_open(&session, engine) != RT_OK) {
		fprintf(stderr, "%s\n", rt_error_last()->message);
		return 1;
	}
	RT_RUN(test_column_compare);
	RT_RUN(test_has);
	RT_RUN(test_subqueries);
	RT_RUN(test_outer_join);
	RT_RUN(test_self_join);
	RT_RUN(test_distinct_having);
	RT_RUN(test_union);
	RT_RUN(test_raw_cte);
	RT_RUN(test_raw_window);
	rt_session_close(session);
	rt_engine_free(engine);
	return rt_test_done();
}
