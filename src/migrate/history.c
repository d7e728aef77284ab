/*
 * history.c - the revision graph as `history`, `heads`, `show` print it
 * (graph.h): which revisions a range `-r A:B` covers, Alembic's one-line
 * and verbose entries, and an ASCII drawing of branches and merges.
 *
 * The drawing works as `git log --graph` does. Revisions come newest
 * first; each lane (a column of `|`) waits for the revision it leads to.
 * A revision with several parents (a merge point) opens a lane per extra
 * parent (`|\`); several lanes waiting for one revision (a branch point)
 * are joined before it is drawn (`|/`). A lane moves at most one column
 * per line, so lanes in the way are crossed (`X`).
 */
#include "migrate/graph.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* --- ranges ------------------------------------------------------------------ */

/* The revisions at or above what text names (lower end of a range). */
static int lower_bound(const rt_graph *g, rt_arena *arena, const char *text,
		       const rt_revlist *current, bool *set)
{
	rt_target t;
	int rc = rt__graph_resolve(g, arena, text, current, &t);
	if (rc < 0)
		return rc;
	if (t.label) {
		for (size_t i = 0; i < g->count; i++)
			for (size_t l = 0; l < g->revisions[i]->label_count; l++)
				set[i] = set[i] || strcmp(g->revisions[i]->labels[l], t.label) == 0;
	} else if (t.base) {
		memset(set, 1, g->count);
		return RT_OK;
	} else {
		for (size_t i = 0; i < t.revs.count; i++)
			set[t.revs.items[i]->index] = true;
	}
	rt__graph_mark_descendants(g, set);
	return RT_OK;
}

/* The revisions at or below what text names (upper end of a range). */
static int upper_bound(const rt_graph *g, rt_arena *arena, const char *text,
		       const rt_revlist *current, bool *set)
{
	rt_target t;
	int rc = rt__graph_resolve(g, arena, text, current, &t);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < t.revs.count; i++)
		set[t.revs.items[i]->index] = true;
	rt__graph_mark_ancestors(g, set);
	return RT_OK;
}

int rt__graph_history(const rt_graph *g, rt_arena *arena, const char *range,
		      const rt_revlist *current, rt_revlist *out)
{
	bool *low = rt__graph_closure(g, arena, NULL);
	bool *high = rt__graph_closure(g, arena, NULL);
	if (!low || !high)
		return RT_ENOMEM;
	memset(low, 1, g->count);
	memset(high, 1, g->count);
	if (range && *range) {
		const char *colon = strchr(range, ':');
		if (!colon)
			return rt__error_set(RT_EINVAL,
					     "bad revision range '%s': expected A:B, A: or :B", range);
		char *lower = rt__arena_strndup(arena, range, (size_t)(colon - range));
		if (!lower)
			return rt__error_nomem();
		int rc = RT_OK;
		if (*lower) {
			memset(low, 0, g->count);
			rc = lower_bound(g, arena, lower, current, low);
		}
		if (rc == RT_OK && colon[1]) {
			memset(high, 0, g->count);
			rc = upper_bound(g, arena, colon + 1, current, high);
		}
		if (rc < 0)
			return rt__error_wrap("in range '%s'", range);
	}
	for (size_t i = g->count; i-- > 0;)
		if (low[i] && high[i] && rt__revlist_push(arena, out, g->revisions[i]) < 0)
			return rt__error_nomem();
	return RT_OK;
}

/* --- entries ---------------------------------------------------------------------- */

static void put_ids(rt_buf *buf, const rt_revlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		rt__buf_printf(buf, "%s%s", i ? ", " : "", list->items[i]->id);
}

static void put_parents(rt_buf *buf, const rt_revision *rev)
{
	if (rev->parents.count == 0)
		rt__buf_puts(buf, "<base>");
	else
		put_ids(buf, &rev->parents);
}

static bool is_current(const rt_revision *rev, const rt_revlist *current)
{
	return current && rt__revlist_has(current, rev);
}

void rt__history_line(rt_buf *buf, const rt_graph *graph, const rt_revision *rev,
		      const rt_revlist *current)
{
	(void)graph;
	put_parents(buf, rev);
	if (rev->depends.count > 0) {
		rt__buf_puts(buf, " (");
		put_ids(buf, &rev->depends);
		rt__buf_putc(buf, ')');
	}
	rt__buf_printf(buf, " -> %s", rev->id);
	for (size_t i = 0; i < rev->label_count; i++)
		rt__buf_printf(buf, "%s%s%s", i ? ", " : " (", rev->labels[i],
			       i + 1 == rev->label_count ? ")" : "");
	if (rev->children.count == 0)
		rt__buf_puts(buf, " (head)");
	if (is_current(rev, current))
		rt__buf_puts(buf, " (current)");
	if (rev->children.count > 1)
		rt__buf_puts(buf, " (branchpoint)");
	if (rev->parents.count > 1)
		rt__buf_puts(buf, " (mergepoint)");
	const char *message = rev->migration->message;
	rt__buf_printf(buf, ", %s", message && *message ? message : "empty message");
}

void rt__history_verbose(rt_buf *buf, const rt_graph *graph, const rt_revision *rev,
			 const rt_revlist *current)
{
	(void)graph;
	const rt_migration *m = rev->migration;
	rt__buf_printf(buf, "Rev: %s%s%s%s%s\n", rev->id, rev->children.count == 0 ? " (head)" : "",
		       rev->children.count > 1 ? " (branchpoint)" : "",
		       rev->parents.count > 1 ? " (mergepoint)" : "",
		       is_current(rev, current) ? " (current)" : "");
	rt__buf_puts(buf, rev->parents.count > 1 ? "Merges: " : "Parent: ");
	put_parents(buf, rev);
	rt__buf_putc(buf, '\n');
	if (rev->depends.count > 0) {
		rt__buf_puts(buf, "Also depends on: ");
		put_ids(buf, &rev->depends);
		rt__buf_putc(buf, '\n');
	}
	if (rev->children.count > 1) {
		rt__buf_puts(buf, "Branches into: ");
		put_ids(buf, &rev->children);
		rt__buf_putc(buf, '\n');
	}
	for (size_t i = 0; i < rev->label_count; i++)
		rt__buf_printf(buf, "%s%s", i ? ", " : "Branch names: ", rev->labels[i]);
	if (rev->label_count)
		rt__buf_putc(buf, '\n');
	rt__buf_printf(buf, "Path: %s\n\n", rt__revision_file(rev));
	rt__buf_printf(buf, "    %s\n\n", m->message && *m->message ? m->message : "empty message");
	rt__buf_printf(buf, "    Revision ID: %s\n    Revises: ", rev->id);
	if (rev->parents.count == 0)
		rt__buf_puts(buf, "base");
	put_ids(buf, &rev->parents);
	rt__buf_putc(buf, '\n');
	if (m->created)
		rt__buf_printf(buf, "    Create Date: %s\n", m->created);
	rt__buf_putc(buf, '\n');
}

/* --- the ASCII graph -------------------------------------------------------------------- */

/* The lanes, each waiting for a revision, and the line being drawn. */
typedef struct lanes {
	const rt_revision **wait;
	size_t count, cap;
	char *line;              /* two columns per lane */
	rt_buf *out;
} lanes;

/* Starts a drawing line with every lane as a straight `|`. */
static void line_start(lanes *l, size_t width)
{
	memset(l->line, ' ', 2 * width + 2);
	for (size_t i = 0; i < l->count; i++)
		l->line[2 * i] = '|';
}

/* Writes the line (trailing spaces cut) followed by text, if any. */
static void line_end(lanes *l, size_t width, const char *text)
{
	size_t len = 2 * width;
	if (!text)
		while (len > 0 && l->line[len - 1] == ' ')
			len--;
	rt__buf_put(l->out, l->line, len);
	if (text)
		rt__buf_puts(l->out, text);
	rt__buf_putc(l->out, '\n');
}

/* Lane d joins lane d - 1, which waits for the same revision; lanes to
 * its right move one column left. */
static void join_left(lanes *l, size_t d)
{
	line_start(l, l->count);
	for (size_t i = d; i < l->count; i++) {
		l->line[2 * i] = ' ';
		l->line[2 * i - 1] = '/';
	}
	line_end(l, l->count, NULL);
	memmove(&l->wait[d], &l->wait[d + 1], (l->count - d - 1) * sizeof(*l->wait));
	l->count--;
}

/* Lanes d - 1 and d change places. */
static void cross(lanes *l, size_t d)
{
	line_start(l, l->count);
	l->line[2 * d - 2] = l->line[2 * d] = ' ';
	l->line[2 * d - 1] = 'X';
	line_end(l, l->count, NULL);
	const rt_revision *tmp = l->wait[d - 1];
	l->wait[d - 1] = l->wait[d];
	l->wait[d] = tmp;
}

/* A new lane opens right of col for another parent; lanes to its right
 * move one column right. */
static void open_right(lanes *l, size_t col, const rt_revision *parent)
{
	line_start(l, l->count + 1);
	l->line[2 * col + 1] = '\\';
	for (size_t i = col + 1; i < l->count; i++) {
		l->line[2 * i] = ' ';
		l->line[2 * i + 1] = '\\';
	}
	line_end(l, l->count + 1, NULL);
	memmove(&l->wait[col + 2], &l->wait[col + 1], (l->count - col - 1) * sizeof(*l->wait));
	l->wait[col + 1] = parent;
	l->count++;
}

/* Lane col ends (a base, or a parent outside the range). */
static void close_lane(lanes *l, size_t col)
{
	if (col + 1 < l->count) {
		line_start(l, l->count);
		l->line[2 * col] = ' ';
		for (size_t i = col + 1; i < l->count; i++) {
			l->line[2 * i] = ' ';
			l->line[2 * i - 1] = '/';
		}
		line_end(l, l->count, NULL);
	}
	memmove(&l->wait[col], &l->wait[col + 1], (l->count - col - 1) * sizeof(*l->wait));
	l->count--;
}

static size_t lane_of(const lanes *l, const rt_revision *rev, bool rightmost)
{
	size_t found = l->count;
	for (size_t i = 0; i < l->count; i++)
		if (l->wait[i] == rev && (found == l->count || rightmost))
			found = i;
	return found;
}

static void draw(lanes *l, const rt_graph *graph, const rt_revision *rev, const bool *shown,
		 const rt_revlist *current, rt_buf *text)
{
	/* Every lane waiting for rev comes together first. */
	for (;;) {
		size_t first = lane_of(l, rev, false), last = lane_of(l, rev, true);
		if (first == last)
			break;
		if (l->wait[last - 1] == rev)
			join_left(l, last);
		else
			cross(l, last);
	}
	size_t col = lane_of(l, rev, false);
	if (col == l->count)
		l->wait[l->count++] = rev; /* a head of the range */

	line_start(l, l->count);
	l->line[2 * col] = '*';
	rt__buf_clear(text);
	rt__history_line(text, graph, rev, current);
	line_end(l, l->count, rt__buf_cstr(text));

	size_t opened = 0;
	for (size_t i = 0; i < rev->parents.count; i++) {
		const rt_revision *parent = rev->parents.items[i];
		if (!shown[parent->index])
			continue;
		if (opened++ == 0)
			l->wait[col] = parent;
		else
			open_right(l, col + opened - 2, parent);
	}
	if (opened == 0)
		close_lane(l, col);
}

int rt__history_graph(rt_buf *buf, const rt_graph *graph, const rt_revlist *revs,
		      const rt_revlist *current)
{
	size_t edges = 0;
	for (size_t i = 0; i < revs->count; i++)
		edges += revs->items[i]->parents.count;
	lanes l = {.cap = revs->count + edges + 1, .out = buf};
	l.wait = calloc(l.cap, sizeof(*l.wait));
	l.line = malloc(2 * l.cap + 8);
	bool *shown = calloc(graph->count ? graph->count : 1, sizeof(bool));
	if (!l.wait || !l.line || !shown) {
		free(l.wait), free(l.line), free(shown);
		return rt__error_nomem();
	}
	for (size_t i = 0; i < revs->count; i++)
		shown[revs->items[i]->index] = true;
	rt_buf text = RT_BUF_INIT;
	for (size_t i = 0; i < revs->count; i++)
		draw(&l, graph, revs->items[i], shown, current, &text);
	bool failed = rt__buf_failed(&text) || rt__buf_failed(buf);
	rt__buf_free(&text);
	free(l.wait), free(l.line), free(shown);
	return failed ? rt__error_nomem() : RT_OK;
}
