/*
 * test_graph.c - the revision graph: checks of a script set (each error
 * naming its files), heads and bases, targets, upgrade and downgrade
 * paths, how the version table's rows change (Alembic's rules), history
 * ranges and the ASCII drawing.
 */
#include "test.h"

#include "base/error.h"
#include "migrate/graph.h"
#include "support/migrations.h"

static rt_graph *build(fx_set *s)
{
	rt_graph *g = NULL;
	CHECK_OK(rt__graph_build(&g, &s->set));
	return g;
}

/* The ids of a list, space-separated, in an arena. */
static const char *ids(rt_arena *arena, const rt_revlist *list)
{
	rt_buf buf = RT_BUF_INIT;
	for (size_t i = 0; i < list->count; i++)
		rt__buf_printf(&buf, "%s%s", i ? " " : "", list->items[i]->id);
	const char *text = rt__arena_strdup(arena, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	return text;
}

/* The heads named by a space-separated list of ids. */
static rt_revlist heads(rt_graph *g, rt_arena *arena, const char *text)
{
	rt_revlist list = {0};
	size_t count;
	const char **words = fx_words(arena, text, &count);
	CHECK_OK(rt__graph_current(g, arena, words, count, &list));
	return list;
}

static const char *upgrade(rt_graph *g, rt_arena *arena, const char *from, const char *target)
{
	rt_revlist current = heads(g, arena, from), path = {0};
	int rc = rt__graph_upgrade_path(g, arena, &current, target, &path);
	return rc == RT_OK ? ids(arena, &path) : rt__arena_printf(arena, "error %d", rc);
}

static const char *downgrade(rt_graph *g, rt_arena *arena, const char *from, const char *target)
{
	rt_revlist current = heads(g, arena, from), path = {0};
	int rc = rt__graph_downgrade_path(g, arena, &current, target, &path);
	return rc == RT_OK ? ids(arena, &path) : rt__arena_printf(arena, "error %d", rc);
}

static bool message_has(const char *text)
{
	bool found = strstr(rt_error_last()->message, text) != NULL;
	if (!found)
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", rt_error_last()->message, text);
	return found;
}

/* --- checks of the set -------------------------------------------------------- */

static void test_duplicate_id(void)
{
	fx_set *s = fx_set_new();
	fx_rev(s, "aaa", NULL, "one");
	fx_rev(s, "aaa", NULL, "two");
	rt_graph *g = (rt_graph *)1;
	CHECK_INT(rt__graph_build(&g, &s->set), RT_EPARSE);
	CHECK(g == NULL);
	CHECK(message_has("revision aaa is defined twice: in versions/aaa_one.rt and in "
			  "versions/aaa_two.rt"));
	fx_set_free(s);
}

static void test_missing_parent(void)
{
	fx_set *s = fx_set_new();
	fx_rev(s, "a1b2c3d4e5f6", NULL, "one");
	fx_rev(s, "bbb", "a1b2c3", "two");
	fx_rev(s, "ccc", "zzz", "three");
	rt_graph *g;
	CHECK_INT(rt__graph_build(&g, &s->set), RT_ENOTFOUND);
	CHECK(message_has("versions/bbb_two.rt: revision bbb revises a1b2c3, which no script "
			  "defines (did you mean a1b2c3d4e5f6, in versions/a1b2c3d4e5f6_one.rt?)"));
	CHECK(message_has("\nversions/ccc_three.rt: revision ccc revises zzz, which no script "
			  "defines"));
	fx_set_free(s);
}

static void test_missing_depends(void)
{
	fx_set *s = fx_set_new();
	fx_rev(s, "aaa", NULL, "one");
	fx_depends(s, fx_rev(s, "bbb", "aaa", "two"), "nope");
	rt_graph *g;
	CHECK_INT(rt__graph_build(&g, &s->set), RT_ENOTFOUND);
	CHECK(message_has("versions/bbb_two.rt: revision bbb depends on nope, which is neither a "
			  "revision nor a branch label"));
	fx_set_free(s);
}

static void test_cycle(void)
{
	fx_set *s = fx_set_new();
	fx_rev(s, "aaa", NULL, "root");
	fx_rev(s, "bbb", "aaa ddd", "b");
	fx_rev(s, "ccc", "bbb", "c");
	fx_rev(s, "ddd", "ccc", "d");
	rt_graph *g;
	CHECK_INT(rt__graph_build(&g, &s->set), RT_EPARSE);
	CHECK(message_has("revisions form a cycle"));
	CHECK(message_has("bbb (versions/bbb_b.rt) -> ddd (versions/ddd_d.rt) -> ccc "
			  "(versions/ccc_c.rt) -> bbb"));
	fx_set_free(s);

	s = fx_set_new();
	fx_rev(s, "aaa", "aaa", "self");
	CHECK_INT(rt__graph_build(&g, &s->set), RT_EPARSE);
	CHECK(message_has("aaa (versions/aaa_self.rt) -> aaa"));
	fx_set_free(s);
}

static void test_bad_names(void)
{
	fx_set *s = fx_set_new();
	fx_rev(s, "ab-cd", NULL, "dash");
	fx_rev(s, "head", NULL, "word");
	fx_labels(s, fx_rev(s, "ccc", NULL, "c"), "x@y");
	fx_labels(s, fx_rev(s, "ddd", NULL, "d"), "shop");
	fx_labels(s, fx_rev(s, "eee", NULL, "e"), "shop");
	rt_graph *g;
	CHECK_INT(rt__graph_build(&g, &s->set), RT_EPARSE);
	CHECK(message_has("versions/ab-cd_dash.rt: revision id 'ab-cd' may not contain"));
	CHECK(message_has("revision id 'head' is a reserved word"));
	/* Labels are checked once the ids are sound. */
	fx_set_free(s);

	s = fx_set_new();
	fx_labels(s, fx_rev(s, "ccc", NULL, "c"), "x@y");
	fx_labels(s, fx_rev(s, "ddd", NULL, "d"), "shop");
	fx_labels(s, fx_rev(s, "eee", NULL, "e"), "shop");
	CHECK_INT(rt__graph_build(&g, &s->set), RT_EPARSE);
	CHECK(message_has("versions/ccc_c.rt: branch label 'x@y' may not contain"));
	CHECK(message_has("branch label 'shop' is declared twice: by ddd (versions/ddd_d.rt) and "
			  "by eee (versions/eee_e.rt)"));
	fx_set_free(s);
}

/* --- a straight line ----------------------------------------------------------------- */

static void test_linear(void)
{
	fx_set *s = fx_set_new();
	/* Files in an order unlike the graph's. */
	fx_rev(s, "cc3333333333", "bb2222222222", "three");
	fx_rev(s, "aa1111111111", NULL, "one");
	fx_rev(s, "bb2222222222", "aa1111111111", "two");
	rt_graph *g = build(s);
	rt_arena *a = rt__arena_new();
	if (!g || !a)
		return;
	CHECK_INT(g->count, 3);
	CHECK_STR(g->revisions[0]->id, "aa1111111111");
	CHECK_STR(ids(a, &g->heads), "cc3333333333");
	CHECK_STR(ids(a, &g->bases), "aa1111111111");

	CHECK_STR(upgrade(g, a, "", "head"), "aa1111111111 bb2222222222 cc3333333333");
	CHECK_STR(upgrade(g, a, "", "heads"), "aa1111111111 bb2222222222 cc3333333333");
	CHECK_STR(upgrade(g, a, "aa1111111111", "head"), "bb2222222222 cc3333333333");
	CHECK_STR(upgrade(g, a, "cc3333333333", "head"), "");
	CHECK_STR(upgrade(g, a, "", "bb"), "aa1111111111 bb2222222222");
	CHECK_STR(upgrade(g, a, "", "+1"), "aa1111111111");
	CHECK_STR(upgrade(g, a, "aa1111111111", "+2"), "bb2222222222 cc3333333333");
	CHECK_STR(upgrade(g, a, "", "aa+1"), "aa1111111111 bb2222222222");
	CHECK_STR(upgrade(g, a, "", "cc-1"), "aa1111111111 bb2222222222");
	CHECK_STR(upgrade(g, a, "cc3333333333", "-1"), "error -3");
	CHECK(message_has("'-1' is not an upgrade target"));
	CHECK_STR(upgrade(g, a, "aa1111111111", "+3"), "error -4");
	CHECK(message_has("cannot go '+3': aa1111111111 is only 2 revision(s) below the head"));
	CHECK_STR(upgrade(g, a, "", "zz"), "error -4");
	CHECK(message_has("no revision 'zz'"));

	CHECK_STR(downgrade(g, a, "cc3333333333", "-1"), "cc3333333333");
	CHECK_STR(downgrade(g, a, "cc3333333333", "-2"), "cc3333333333 bb2222222222");
	CHECK_STR(downgrade(g, a, "cc3333333333", "-3"), "cc3333333333 bb2222222222 aa1111111111");
	CHECK_STR(downgrade(g, a, "cc3333333333", "-4"), "error -4");
	CHECK(message_has("cc3333333333 is only 3 revision(s) above base"));
	CHECK_STR(downgrade(g, a, "cc3333333333", "base"), "cc3333333333 bb2222222222 aa1111111111");
	CHECK_STR(downgrade(g, a, "cc3333333333", "aa"), "cc3333333333 bb2222222222");
	CHECK_STR(downgrade(g, a, "cc3333333333", "cc"), "");
	CHECK_STR(downgrade(g, a, "bb2222222222", "cc"), "error -3");
	CHECK(message_has("cannot downgrade to cc3333333333: it is not applied; the database is "
			  "at bb2222222222"));
	CHECK_STR(downgrade(g, a, "cc3333333333", "head"), "error -3");
	CHECK_STR(downgrade(g, a, "", "-1"), "error -4");
	CHECK(message_has("the database is at base"));

	const char *unknown = "ffffffffffff";
	rt_revlist current = {0};
	CHECK_INT(rt__graph_current(g, a, &unknown, 1, &current), RT_ENOTFOUND);
	CHECK(message_has("the database is at revision ffffffffffff, which no script defines"));
	rt__arena_free(a);
	rt__graph_free(g);
	fx_set_free(s);
}

static void test_prefixes(void)
{
	fx_set *s = fx_set_new();
	fx_rev(s, "ab1000000000", NULL, "one");
	fx_rev(s, "ab2000000000", "ab1000000000", "two");
	rt_graph *g = build(s);
	rt_revision *rev;
	if (!g)
		return;
	CHECK_INT(rt__graph_find(g, "ab", &rev), RT_EMULTIPLE);
	CHECK(message_has("revision 'ab' is ambiguous; it starts: ab1000000000 "
			  "(versions/ab1000000000_one.rt), ab2000000000 (versions/ab2000000000_two.rt)"));
	CHECK_OK(rt__graph_find(g, "ab2", &rev));
	CHECK_STR(rev->id, "ab2000000000");
	CHECK_OK(rt__graph_find(g, "ab1000000000", &rev));
	CHECK_STR(rev->id, "ab1000000000");
	rt__graph_free(g);
	fx_set_free(s);
}

/* --- branches, labels, merges, dependencies ------------------------------------------ */

/*        root
 *       /    \
 *   (shop)s1  (blog)b1
 *      |        |
 *      s2       |
 *       \      /
 *        merge
 */
static fx_set *branchy(void)
{
	fx_set *s = fx_set_new();
	fx_rev(s, "root00000000", NULL, "root");
	fx_labels(s, fx_rev(s, "s10000000000", "root00000000", "shop one"), "shop");
	fx_rev(s, "s20000000000", "s10000000000", "shop two");
	fx_labels(s, fx_rev(s, "b10000000000", "root00000000", "blog one"), "blog");
	return s;
}

static void test_branches(void)
{
	fx_set *s = branchy();
	rt_graph *g = build(s);
	rt_arena *a = rt__arena_new();
	if (!g || !a)
		return;
	CHECK_STR(ids(a, &g->heads), "s20000000000 b10000000000");
	CHECK_STR(upgrade(g, a, "", "head"), "error -10");
	CHECK(message_has("several heads match 'head'"));
	CHECK(message_has("s20000000000 (versions/s20000000000_shop two.rt), b10000000000"));
	CHECK_STR(upgrade(g, a, "", "heads"),
		  "root00000000 s10000000000 s20000000000 b10000000000");
	CHECK_STR(upgrade(g, a, "", "shop@head"), "root00000000 s10000000000 s20000000000");
	CHECK_STR(upgrade(g, a, "", "blog@head"), "root00000000 b10000000000");
	CHECK_STR(upgrade(g, a, "", "shop"), "root00000000 s10000000000");
	CHECK_STR(upgrade(g, a, "root00000000", "shop@+1"), "s10000000000");
	CHECK_STR(upgrade(g, a, "", "shop@+2"), "root00000000 s10000000000 s20000000000");
	CHECK_STR(upgrade(g, a, "root00000000", "+1"), "error -5");
	CHECK(message_has("'+1' is ambiguous: the revisions branch at root00000000"));
	CHECK_STR(upgrade(g, a, "s20000000000 b10000000000", "+1"), "error -10");
	CHECK(message_has("the database has several heads"));
	CHECK_STR(upgrade(g, a, "s10000000000", "blog@head"), "b10000000000");

	/* Labels spread to the branch, not past the branch point. */
	rt_revision *s2 = rt__graph_get(g, "s20000000000"), *root = rt__graph_get(g, "root00000000");
	CHECK_INT(s2->label_count, 1);
	CHECK_STR(s2->labels[0], "shop");
	CHECK_INT(root->label_count, 0);

	CHECK_STR(downgrade(g, a, "s20000000000 b10000000000", "shop@base"),
		  "s20000000000 s10000000000");
	CHECK_STR(downgrade(g, a, "s20000000000 b10000000000", "shop@-1"), "s20000000000");
	CHECK_STR(downgrade(g, a, "s20000000000 b10000000000", "root"),
		  "b10000000000 s20000000000 s10000000000");
	CHECK_STR(downgrade(g, a, "s20000000000 b10000000000", "-1"), "error -10");
	/* REV-N names a revision: everything above it goes, both branches. */
	CHECK_STR(downgrade(g, a, "s20000000000 b10000000000", "b1-1"),
		  "b10000000000 s20000000000 s10000000000");
	CHECK_STR(downgrade(g, a, "s20000000000 b10000000000", "blog@-1"), "b10000000000");
	rt__arena_free(a);
	rt__graph_free(g);
	fx_set_free(s);
}

/* Walks the version table's rows through a path. */
static const char *rows_after(rt_graph *g, rt_arena *a, bool *rows, const rt_revlist *path,
			      bool up, rt_buf *log)
{
	for (size_t i = 0; i < path->count; i++) {
		rt_heads_change c;
		CHECK_OK(rt__graph_heads_step(g, a, rows, path->items[i], up, &c));
		for (size_t k = 0; k < c.deletes.count; k++)
			rt__buf_printf(log, "delete %.2s; ", c.deletes.items[k]->id);
		if (c.update_from)
			rt__buf_printf(log, "update %.2s->%.2s; ", c.update_from->id, c.update_to->id);
		for (size_t k = 0; k < c.inserts.count; k++)
			rt__buf_printf(log, "insert %.2s; ", c.inserts.items[k]->id);
	}
	rt_revlist list = {0};
	for (size_t i = 0; i < g->count; i++)
		if (rows[i])
			rt__revlist_push(a, &list, g->revisions[i]);
	return ids(a, &list);
}

static void test_merge_rows(void)
{
	fx_set *s = branchy();
	fx_rev(s, "mm0000000000", "s20000000000 b10000000000", "merge");
	rt_graph *g = build(s);
	rt_arena *a = rt__arena_new();
	if (!g || !a)
		return;
	rt_revision *m = rt__graph_get(g, "mm0000000000");
	CHECK_INT(m->parents.count, 2);
	CHECK_STR(ids(a, &g->heads), "mm0000000000");

	rt_revlist none = {0}, path = {0};
	CHECK_OK(rt__graph_upgrade_path(g, a, &none, "head", &path));
	CHECK_STR(ids(a, &path),
		  "root00000000 s10000000000 s20000000000 b10000000000 mm0000000000");
	bool *rows = rt__graph_closure(g, a, NULL);
	rt_buf log = RT_BUF_INIT;
	CHECK_STR(rows_after(g, a, rows, &path, true, &log), "mm0000000000");
	CHECK_STR(rt__buf_cstr(&log), "insert ro; update ro->s1; update s1->s2; insert b1; "
				      "delete s2; update b1->mm; ");

	/* Down by one: the merge comes apart into its two parents. */
	rt_revlist current = heads(g, a, "mm0000000000"), down = {0};
	CHECK_OK(rt__graph_downgrade_path(g, a, &current, "-1", &down));
	rt__buf_clear(&log);
	CHECK_STR(rows_after(g, a, rows, &down, false, &log), "s20000000000 b10000000000");
	CHECK_STR(rt__buf_cstr(&log), "update mm->b1; insert s2; ");

	/* Then the blog branch goes: its row is deleted, as root is below s2. */
	current = heads(g, a, "s20000000000 b10000000000");
	rt_revlist blog = {0};
	CHECK_OK(rt__graph_downgrade_path(g, a, &current, "blog@base", &blog));
	rt__buf_clear(&log);
	CHECK_STR(rows_after(g, a, rows, &blog, false, &log), "s20000000000");
	CHECK_STR(rt__buf_cstr(&log), "delete b1; ");

	/* And everything: down to root, then root itself. */
	rt_revlist all = {0};
	current = heads(g, a, "s20000000000");
	CHECK_OK(rt__graph_downgrade_path(g, a, &current, "base", &all));
	rt__buf_clear(&log);
	CHECK_STR(rows_after(g, a, rows, &all, false, &log), "");
	CHECK_STR(rt__buf_cstr(&log), "update s2->s1; update s1->ro; delete ro; ");
	rt__buf_free(&log);
	rt__arena_free(a);
	rt__graph_free(g);
	fx_set_free(s);
}

static void test_depends(void)
{
	/* Two independent lines; b2 needs a1 applied first (by label). */
	fx_set *s = fx_set_new();
	fx_labels(s, fx_rev(s, "a10000000000", NULL, "accounts"), "accounts");
	fx_rev(s, "a20000000000", "a10000000000", "accounts two");
	fx_rev(s, "b10000000000", NULL, "billing");
	fx_depends(s, fx_rev(s, "b20000000000", "b10000000000", "billing two"), "accounts");
	fx_depends(s, fx_rev(s, "b30000000000", "b20000000000", "billing three"), "a10000000000");
	rt_graph *g = build(s);
	rt_arena *a = rt__arena_new();
	if (!g || !a)
		return;
	rt_revision *b2 = rt__graph_get(g, "b20000000000"), *b3 = rt__graph_get(g, "b30000000000");
	CHECK_STR(ids(a, &b2->depends), "a10000000000");
	CHECK_STR(ids(a, &b2->down), "b10000000000 a10000000000");
	/* b3's dependency is implied by its parent's: not a down revision. */
	CHECK_STR(ids(a, &b3->down), "b20000000000");
	CHECK_STR(ids(a, &g->heads), "a20000000000 b30000000000");

	CHECK_STR(upgrade(g, a, "", "b2"), "a10000000000 b10000000000 b20000000000");
	rt_revlist none = {0}, path = {0};
	CHECK_OK(rt__graph_upgrade_path(g, a, &none, "b30000000000", &path));
	bool *rows = rt__graph_closure(g, a, NULL);
	rt_buf log = RT_BUF_INIT;
	/* Applying b2 merges a1's row into it, as Alembic does. */
	CHECK_STR(rows_after(g, a, rows, &path, true, &log), "b30000000000");
	CHECK_STR(rt__buf_cstr(&log), "insert a1; insert b1; delete b1; update a1->b2; "
				      "update b2->b3; ");
	/* Removing a1 takes what depends on it first. */
	CHECK_STR(downgrade(g, a, "b30000000000", "accounts@base"),
		  "b30000000000 b20000000000 a10000000000");
	CHECK_STR(downgrade(g, a, "b30000000000", "b1"), "b30000000000 b20000000000");
	rt_revlist current = heads(g, a, "b30000000000"), down = {0};
	CHECK_OK(rt__graph_downgrade_path(g, a, &current, "b1", &down));
	rt__buf_clear(&log);
	CHECK_STR(rows_after(g, a, rows, &down, false, &log), "a10000000000 b10000000000");
	CHECK_STR(rt__buf_cstr(&log), "update b3->b2; update b2->a1; insert b1; ");
	rt__buf_free(&log);
	rt__arena_free(a);
	rt__graph_free(g);
	fx_set_free(s);
}

/* --- history -------------------------------------------------------------------------- */

static const char *history(rt_graph *g, rt_arena *a, const char *range, const char *current)
{
	rt_revlist cur = heads(g, a, current), list = {0};
	int rc = rt__graph_history(g, a, range, &cur, &list);
	return rc == RT_OK ? ids(a, &list) : rt__arena_printf(a, "error %d", rc);
}

static void test_history(void)
{
	fx_set *s = branchy();
	fx_rev(s, "mm0000000000", "s20000000000 b10000000000", "merge");
	rt_graph *g = build(s);
	rt_arena *a = rt__arena_new();
	if (!g || !a)
		return;
	CHECK_STR(history(g, a, NULL, ""),
		  "mm0000000000 b10000000000 s20000000000 s10000000000 root00000000");
	CHECK_STR(history(g, a, "s1:", ""), "mm0000000000 s20000000000 s10000000000");
	CHECK_STR(history(g, a, ":s1", ""), "s10000000000 root00000000");
	CHECK_STR(history(g, a, "base:s2", ""), "s20000000000 s10000000000 root00000000");
	CHECK_STR(history(g, a, "current:", "b10000000000"), "mm0000000000 b10000000000");
	CHECK_STR(history(g, a, "-1:current", "b10000000000"), "b10000000000 root00000000");
	CHECK_STR(history(g, a, "s1", ""), "error -3");
	CHECK(message_has("expected A:B"));

	rt_buf line = RT_BUF_INIT;
	rt_revlist cur = heads(g, a, "mm0000000000");
	rt__history_line(&line, g, rt__graph_get(g, "mm0000000000"), &cur);
	CHECK_STR(rt__buf_cstr(&line),
		  "s20000000000, b10000000000 -> mm0000000000 (shop, blog) (head) (current) "
		  "(mergepoint), merge");
	rt__buf_clear(&line);
	rt__history_line(&line, g, rt__graph_get(g, "root00000000"), &cur);
	CHECK_STR(rt__buf_cstr(&line), "<base> -> root00000000 (branchpoint), root");
	rt__buf_clear(&line);
	rt__history_line(&line, g, rt__graph_get(g, "s20000000000"), NULL);
	CHECK_STR(rt__buf_cstr(&line), "s10000000000 -> s20000000000 (shop), shop two");
	rt__buf_clear(&line);
	rt__history_verbose(&line, g, rt__graph_get(g, "mm0000000000"), NULL);
	CHECK_STR(rt__buf_cstr(&line), "Rev: mm0000000000 (head) (mergepoint)\n"
				       "Merges: s20000000000, b10000000000\n"
				       "Branch names: shop, blog\n"
				       "Path: versions/mm0000000000_merge.rt\n"
				       "\n"
				       "    merge\n"
				       "\n"
				       "    Revision ID: mm0000000000\n"
				       "    Revises: s20000000000, b10000000000\n"
				       "    Create Date: 2024-09-14 16:38:00\n"
				       "\n");
	rt__buf_free(&line);
	rt__arena_free(a);
	rt__graph_free(g);
	fx_set_free(s);
}

static const char *drawing(rt_graph *g, rt_arena *a, const char *range)
{
	rt_revlist none = {0}, list = {0};
	CHECK_OK(rt__graph_history(g, a, range, &none, &list));
	rt_buf buf = RT_BUF_INIT;
	CHECK_OK(rt__history_graph(&buf, g, &list, NULL));
	const char *text = rt__arena_strdup(a, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	return text;
}

static void test_drawing(void)
{
	fx_set *s = fx_set_new();
	fx_rev(s, "r1", NULL, "root");
	fx_rev(s, "a1", "r1", "a one");
	fx_rev(s, "a2", "a1", "a two");
	fx_rev(s, "b1", "r1", "b one");
	fx_rev(s, "m1", "a2 b1", "merge");
	fx_rev(s, "c1", "m1", "after");
	fx_rev(s, "d1", "m1", "other head");
	rt_graph *g = build(s);
	rt_arena *a = rt__arena_new();
	if (!g || !a)
		return;
	CHECK_STR(drawing(g, a, NULL), "* m1 -> d1 (head), other head\n"
				       "| * m1 -> c1 (head), after\n"
				       "|/\n"
				       "* a2, b1 -> m1 (branchpoint) (mergepoint), merge\n"
				       "|\\\n"
				       "| * r1 -> b1, b one\n"
				       "* | a1 -> a2, a two\n"
				       "* | r1 -> a1, a one\n"
				       "|/\n"
				       "* <base> -> r1 (branchpoint), root\n");
	/* A range cut below: lanes end where the parents are not shown. */
	CHECK_STR(drawing(g, a, "a2:"), "* m1 -> d1 (head), other head\n"
					"| * m1 -> c1 (head), after\n"
					"|/\n"
					"* a2, b1 -> m1 (branchpoint) (mergepoint), merge\n"
					"* a1 -> a2, a two\n");
	rt__arena_free(a);
	rt__graph_free(g);
	fx_set_free(s);

	/* Two independent lines, one after the other. */
	s = fx_set_new();
	fx_rev(s, "x1", NULL, "x one");
	fx_rev(s, "y1", NULL, "y one");
	fx_rev(s, "x2", "x1", "x two");
	fx_rev(s, "y2", "y1", "y two");
	g = build(s);
	a = rt__arena_new();
	if (!g || !a)
		return;
	CHECK_STR(drawing(g, a, NULL), "* y1 -> y2 (head), y two\n"
				       "* <base> -> y1, y one\n"
				       "* x1 -> x2 (head), x two\n"
				       "* <base> -> x1, x one\n");
	rt__arena_free(a);
	rt__graph_free(g);
	fx_set_free(s);
}

/* A long chain: no recursion, and ancestry questions stay linear. */
static void test_long_chain(void)
{
	fx_set *s = fx_set_new();
	char id[32], parent[32] = "";
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "r%011d", i);
		fx_rev(s, id, i ? parent : NULL, "step");
		memcpy(parent, id, sizeof(id));
	}
	rt_graph *g = build(s);
	rt_arena *a = rt__arena_new();
	if (!g || !a)
		return;
	rt_revlist none = {0}, path = {0};
	CHECK_OK(rt__graph_upgrade_path(g, a, &none, "head", &path));
	CHECK_INT(path.count, 5000);
	CHECK_STR(path.items[4999]->id, "r00000004999");
	rt_revlist current = heads(g, a, "r00000004999"), down = {0};
	CHECK_OK(rt__graph_downgrade_path(g, a, &current, "-10", &down));
	CHECK_INT(down.count, 10);
	rt__arena_free(a);
	rt__graph_free(g);
	fx_set_free(s);
}

int main(void)
{
	RT_RUN(test_duplicate_id);
	RT_RUN(test_missing_parent);
	RT_RUN(test_missing_depends);
	RT_RUN(test_cycle);
	RT_RUN(test_bad_names);
	RT_RUN(test_linear);
	RT_RUN(test_prefixes);
	RT_RUN(test_branches);
	RT_RUN(test_merge_rows);
	RT_RUN(test_depends);
	RT_RUN(test_history);
	RT_RUN(test_drawing);
	RT_RUN(test_long_chain);
	return rt_test_done();
}
