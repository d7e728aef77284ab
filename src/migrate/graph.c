/*
 * graph.c - the revision graph (graph.h): building and checking it from a
 * script set, resolving targets, the paths of upgrades and downgrades, and
 * how each step changes the version table's rows.
 *
 * The revisions are kept in a topological order, parents and dependencies
 * first. Ancestry questions then need no search: the ancestors of a set
 * are found in one backward sweep over that order, the descendants in one
 * forward sweep.
 */
#include "migrate/graph.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

int rt__revlist_push(rt_arena *arena, rt_revlist *list, rt_revision *rev)
{
	return RT_ARENA_PUSH(arena, list->items, list->count, list->cap, rev);
}

bool rt__revlist_has(const rt_revlist *list, const rt_revision *rev)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i] == rev)
			return true;
	return false;
}

const char *rt__revision_file(const rt_revision *rev)
{
	const char *path = rev->migration->path;
	return path && *path ? path : "(unnamed script)";
}

/* --- checking the scripts -------------------------------------------------------- */

/* Problems found while building, reported together. */
typedef struct builder {
	rt_graph *graph;
	rt_revision **by_file;   /* the revisions in script-set order */
	rt_buf problems;
	int code;                /* of the first problem */
} builder;

static void problem(builder *b, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(builder *b, int code, const char *fmt, ...)
{
	if (b->problems.len > 0)
		rt__buf_putc(&b->problems, '\n');
	va_list ap;
	va_start(ap, fmt);
	rt__buf_vprintf(&b->problems, fmt, ap);
	va_end(ap);
	if (b->code == 0)
		b->code = code;
}

/* Words a revision id or branch label cannot be, and characters it cannot
 * hold, because targets give them a meaning (`a@head`, `a+2`, `a:b`). */
static const char *const RESERVED_WORDS[] = {"base", "head", "heads", "current", NULL};

static const char *bad_name_reason(const char *name)
{
	if (!name || !*name)
		return "is empty";
	for (const char *const *w = RESERVED_WORDS; *w; w++)
		if (strcmp(name, *w) == 0)
			return "is a reserved word";
	for (const char *p = name; *p; p++) {
		if (*p == '@' || *p == '+' || *p == '-' || *p == ':')
			return "may not contain '@', '+', '-' or ':' (they have a meaning in targets)";
		if ((unsigned char)*p <= ' ')
			return "may not contain spaces";
	}
	return NULL;
}

static int add_revisions(builder *b)
{
	rt_graph *g = b->graph;
	const rt_migration_set *set = g->set;
	for (size_t i = 0; i < set->count; i++) {
		const rt_migration *m = set->items[i];
		rt_revision *rev = rt__arena_alloc(g->arena, sizeof(*rev));
		if (!rev)
			return rt__error_nomem();
		rev->id = m->revision;
		rev->migration = m;
		rev->file_index = i;
		b->by_file[i] = rev;
		const char *reason = bad_name_reason(m->revision);
		if (reason) {
			problem(b, RT_EPARSE, "%s: revision id '%s' %s", rt__revision_file(rev),
				m->revision ? m->revision : "", reason);
			continue;
		}
		rt_revision *other = rt__map_get(&g->by_id, rev->id);
		if (other) {
			problem(b, RT_EPARSE, "revision %s is defined twice: in %s and in %s", rev->id,
				rt__revision_file(other), rt__revision_file(rev));
			continue;
		}
		if (rt__map_put(&g->by_id, rev->id, rev) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* The message part suggesting the revision a misspelt id may mean. */
static const char *did_you_mean(const rt_graph *g, rt_arena *arena, const char *id)
{
	const rt_revision *found = NULL;
	size_t len = strlen(id);
	for (size_t i = 0; i < g->set->count; i++) {
		const char *other = g->set->items[i]->revision;
		if (other && len > 0 && strncmp(other, id, len) == 0) {
			if (found)
				return "";
			found = rt__map_get(&g->by_id, other);
		}
	}
	return found ? rt__arena_printf(arena, " (did you mean %s, in %s?)", found->id,
					rt__revision_file(found))
		     : "";
}

static int link_parents(builder *b, rt_revision *rev)
{
	rt_graph *g = b->graph;
	const rt_migration *m = rev->migration;
	for (size_t i = 0; i < m->revises_count; i++) {
		rt_revision *parent = rt__map_get(&g->by_id, m->revises[i]);
		if (!parent) {
			problem(b, RT_ENOTFOUND, "%s: revision %s revises %s, which no script defines%s",
				rt__revision_file(rev), rev->id, m->revises[i],
				did_you_mean(g, g->arena, m->revises[i]));
			continue;
		}
		if (rt__revlist_has(&rev->parents, parent))
			continue;
		if (rt__revlist_push(g->arena, &rev->parents, parent) < 0 ||
		    rt__revlist_push(g->arena, &parent->children, rev) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* A dependency names a revision, or a branch label (the revision that
 * declares it), as Alembic's depends_on does. */
static int link_depends(builder *b, rt_revision *rev)
{
	rt_graph *g = b->graph;
	const rt_migration *m = rev->migration;
	for (size_t i = 0; i < m->depends_count; i++) {
		rt_revision *dep = rt__map_get(&g->by_id, m->depends[i]);
		if (!dep)
			dep = rt__map_get(&g->label_owner, m->depends[i]);
		if (!dep) {
			problem(b, RT_ENOTFOUND,
				"%s: revision %s depends on %s, which is neither a revision nor a "
				"branch label of any script%s",
				rt__revision_file(rev), rev->id, m->depends[i],
				did_you_mean(g, g->arena, m->depends[i]));
			continue;
		}
		if (rt__revlist_has(&rev->parents, dep) || rt__revlist_has(&rev->depends, dep))
			continue;
		if (rt__revlist_push(g->arena, &rev->depends, dep) < 0 ||
		    rt__revlist_push(g->arena, &dep->dependents, rev) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

static int declare_labels(builder *b, rt_revision *rev)
{
	rt_graph *g = b->graph;
	const rt_migration *m = rev->migration;
	for (size_t i = 0; i < m->branch_count; i++) {
		const char *label = m->branches[i];
		const char *reason = bad_name_reason(label);
		if (reason) {
			problem(b, RT_EPARSE, "%s: branch label '%s' %s", rt__revision_file(rev),
				label ? label : "", reason);
			continue;
		}
		rt_revision *owner = rt__map_get(&g->label_owner, label);
		if (owner) {
			if (owner != rev)
				problem(b, RT_EPARSE,
					"branch label '%s' is declared twice: by %s (%s) and by %s (%s)",
					label, owner->id, rt__revision_file(owner), rev->id, rt__revision_file(rev));
			continue;
		}
		rt_revision *same = rt__map_get(&g->by_id, label);
		if (same) {
			problem(b, RT_EPARSE, "%s: branch label '%s' is also the id of revision %s (%s)",
				rt__revision_file(rev), label, same->id, rt__revision_file(same));
			continue;
		}
		if (rt__map_put(&g->label_owner, label, rev) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* The edges a revision stands on: parents, then dependencies. */
static size_t down_edge_count(const rt_revision *rev)
{
	return rev->parents.count + rev->depends.count;
}

static rt_revision *down_edge(const rt_revision *rev, size_t i)
{
	return i < rev->parents.count ? rev->parents.items[i]
				      : rev->depends.items[i - rev->parents.count];
}

/* Depth-first search, without recursion (a chain may be thousands of
 * revisions long); the first cycle found is reported with its files. */
static int find_cycle(builder *b)
{
	size_t n = b->graph->set->count;
	unsigned char *color = calloc(n, 1);      /* 0 new, 1 on the path, 2 done */
	size_t *edge = calloc(n, sizeof(size_t)); /* next edge to follow, per revision */
	rt_revision **path = calloc(n, sizeof(*path));
	if (!color || !edge || !path) {
		free(color), free(edge), free(path);
		return rt__error_nomem();
	}
	bool found = false;
	for (size_t start = 0; start < n && !found; start++) {
		if (color[start])
			continue;
		size_t depth = 0;
		path[depth++] = b->by_file[start];
		color[start] = 1;
		while (depth > 0 && !found) {
			rt_revision *top = path[depth - 1];
			if (edge[top->file_index] == down_edge_count(top)) {
				color[top->file_index] = 2;
				depth--;
				continue;
			}
			rt_revision *next = down_edge(top, edge[top->file_index]++);
			if (color[next->file_index] == 0) {
				color[next->file_index] = 1;
				path[depth++] = next;
			} else if (color[next->file_index] == 1) {
				size_t from = depth;
				while (path[from - 1] != next)
					from--;
				rt_buf text = RT_BUF_INIT;
				for (size_t i = from - 1; i < depth; i++)
					rt__buf_printf(&text, "%s (%s) -> ", path[i]->id, rt__revision_file(path[i]));
				rt__buf_puts(&text, next->id);
				problem(b, RT_EPARSE,
					"revisions form a cycle (-> is revises or depends on): %s",
					rt__buf_cstr(&text));
				rt__buf_free(&text);
				found = true;
			}
		}
	}
	free(color), free(edge), free(path);
	return RT_OK;
}

/* --- order ------------------------------------------------------------------------ */

/* A min-heap of script-set positions, so that among revisions ready at
 * once the one whose file comes first goes first. */
static void heap_push(size_t *heap, size_t *count, size_t value)
{
	size_t i = (*count)++;
	heap[i] = value;
	while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
		size_t parent = (i - 1) / 2, tmp = heap[parent];
		heap[parent] = heap[i];
		heap[i] = tmp;
		i = parent;
	}
}

static size_t heap_pop(size_t *heap, size_t *count)
{
	size_t top = heap[0];
	heap[0] = heap[--*count];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, least = i;
		if (l < *count && heap[l] < heap[least])
			least = l;
		if (r < *count && heap[r] < heap[least])
			least = r;
		if (least == i)
			break;
		size_t tmp = heap[least];
		heap[least] = heap[i];
		heap[i] = tmp;
		i = least;
	}
	return top;
}

/* Kahn's algorithm. After a revision, one of its children goes next when
 * it is ready, so a branch reads as one run in history and upgrades. */
static int sort_revisions(builder *b)
{
	rt_graph *g = b->graph;
	size_t n = g->set->count;
	size_t *waiting = calloc(n, sizeof(size_t)); /* unplaced down edges */
	size_t *heap = calloc(n, sizeof(size_t));
	bool *placed = calloc(n, sizeof(bool));
	g->revisions = rt__arena_alloc(g->arena, (n ? n : 1) * sizeof(*g->revisions));
	if (!waiting || !heap || !placed || !g->revisions) {
		free(waiting), free(heap), free(placed);
		return rt__error_nomem();
	}
	size_t heap_count = 0;
	for (size_t i = 0; i < n; i++) {
		waiting[i] = down_edge_count(b->by_file[i]);
		if (waiting[i] == 0)
			heap_push(heap, &heap_count, i);
	}
	rt_revision *last = NULL;
	while (g->count < n) {
		rt_revision *next = NULL;
		for (size_t i = 0; last && i < last->children.count && !next; i++) {
			rt_revision *child = last->children.items[i];
			if (!placed[child->file_index] && waiting[child->file_index] == 0)
				next = child;
		}
		while (!next && heap_count > 0) {
			size_t i = heap_pop(heap, &heap_count);
			if (!placed[i])
				next = b->by_file[i];
		}
		if (!next)
			break; /* a cycle, reported by find_cycle */
		placed[next->file_index] = true;
		next->index = g->count;
		g->revisions[g->count++] = next;
		for (size_t k = 0; k < next->children.count + next->dependents.count; k++) {
			rt_revision *up = k < next->children.count
						  ? next->children.items[k]
						  : next->dependents.items[k - next->children.count];
			if (--waiting[up->file_index] == 0)
				heap_push(heap, &heap_count, up->file_index);
		}
		last = next;
	}
	free(waiting), free(heap), free(placed);
	return RT_OK;
}

/* --- what follows from the order ------------------------------------------------------ */

void rt__graph_mark_ancestors(const rt_graph *g, bool *set)
{
	for (size_t i = g->count; i-- > 0;) {
		if (!set[i])
			continue;
		const rt_revision *rev = g->revisions[i];
		for (size_t k = 0; k < down_edge_count(rev); k++)
			set[down_edge(rev, k)->index] = true;
	}
}

void rt__graph_mark_descendants(const rt_graph *g, bool *set)
{
	for (size_t i = 0; i < g->count; i++) {
		if (!set[i])
			continue;
		const rt_revision *rev = g->revisions[i];
		for (size_t k = 0; k < rev->children.count; k++)
			set[rev->children.items[k]->index] = true;
		for (size_t k = 0; k < rev->dependents.count; k++)
			set[rev->dependents.items[k]->index] = true;
	}
}

static bool *new_set(const rt_graph *g, rt_arena *arena)
{
	bool *set = rt__arena_alloc(arena, g->count ? g->count : 1);
	if (!set)
		rt__error_nomem();
	return set;
}

bool *rt__graph_closure(const rt_graph *g, rt_arena *arena, const rt_revlist *revs)
{
	bool *set = new_set(g, arena);
	if (!set)
		return NULL;
	for (size_t i = 0; revs && i < revs->count; i++)
		set[revs->items[i]->index] = true;
	rt__graph_mark_ancestors(g, set);
	return set;
}

/* The strict ancestors of revs' members (not the members themselves,
 * unless one is an ancestor of another), as a flag per revision index. */
static bool *strict_ancestors(const rt_graph *g, rt_arena *arena, const rt_revlist *revs)
{
	bool *set = new_set(g, arena);
	if (!set)
		return NULL;
	for (size_t i = 0; i < revs->count; i++)
		for (size_t k = 0; k < down_edge_count(revs->items[i]); k++)
			set[down_edge(revs->items[i], k)->index] = true;
	rt__graph_mark_ancestors(g, set);
	return set;
}

int rt__graph_check_unrelated(const rt_graph *g, const rt_revlist *revs)
{
	rt_arena *arena = rt__arena_new();
	bool *below = arena ? strict_ancestors(g, arena, revs) : NULL;
	if (!below) {
		rt__arena_free(arena);
		return rt__error_nomem();
	}
	int rc = RT_OK;
	for (size_t i = 0; i < revs->count && rc == RT_OK; i++) {
		const rt_revision *older = revs->items[i];
		if (!below[older->index])
			continue;
		/* The first of the others it lies under, for the message. */
		for (size_t k = 0; k < revs->count && rc == RT_OK; k++) {
			if (k == i)
				continue;
			rt_revlist one = {0};
			if (rt__revlist_push(arena, &one, revs->items[k]) < 0) {
				rc = rt__error_nomem();
				break;
			}
			bool *under = strict_ancestors(g, arena, &one);
			if (!under)
				rc = rt__error_nomem();
			else if (under[older->index])
				rc = rt__error_set(
					RT_EINVAL,
					"revision %s (%s) is an ancestor of %s (%s): both lie on "
					"one branch, and joining them would leave the version "
					"table holding a revision and its own ancestor; join the "
					"heads of separate branches ('retort heads' lists them)",
					older->id, rt__revision_file(older), revs->items[k]->id,
					rt__revision_file(revs->items[k]));
		}
	}
	rt__arena_free(arena);
	return rc;
}

int rt__graph_heads_of(const rt_graph *g, rt_arena *arena, const bool *set, rt_revlist *out)
{
	for (size_t i = 0; i < g->count; i++) {
		if (!set[i])
			continue;
		const rt_revision *rev = g->revisions[i];
		bool covered = false;
		for (size_t k = 0; k < rev->children.count && !covered; k++)
			covered = set[rev->children.items[k]->index];
		for (size_t k = 0; k < rev->dependents.count && !covered; k++)
			covered = set[rev->dependents.items[k]->index];
		if (!covered && rt__revlist_push(arena, out, g->revisions[i]) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* Alembic's normalized down revisions: the parents, and those
 * dependencies that no ancestor (through parents) depends on already. */
static int normalize_down(rt_graph *g, rt_revision *rev, bool *seen)
{
	for (size_t i = 0; i < rev->parents.count; i++)
		if (rt__revlist_push(g->arena, &rev->down, rev->parents.items[i]) < 0)
			return rt__error_nomem();
	if (rev->depends.count == 0)
		return RT_OK;
	memset(seen, 0, g->count);
	for (size_t i = 0; i < rev->parents.count; i++)
		seen[rev->parents.items[i]->index] = true;
	for (size_t i = rev->index; i-- > 0;) {
		if (!seen[i])
			continue;
		for (size_t k = 0; k < g->revisions[i]->parents.count; k++)
			seen[g->revisions[i]->parents.items[k]->index] = true;
	}
	for (size_t i = 0; i < rev->depends.count; i++) {
		rt_revision *dep = rev->depends.items[i];
		bool implied = false;
		for (size_t a = 0; a < rev->index && !implied; a++)
			implied = seen[a] && rt__revlist_has(&g->revisions[a]->depends, dep);
		if (!implied && rt__revlist_push(g->arena, &rev->down, dep) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

static int add_label(rt_graph *g, rt_revision *rev, const char *label)
{
	for (size_t i = 0; i < rev->label_count; i++)
		if (strcmp(rev->labels[i], label) == 0)
			return RT_OK;
	if (RT_ARENA_PUSH(g->arena, rev->labels, rev->label_count, rev->label_cap, label) < 0)
		return rt__error_nomem();
	return RT_OK;
}

/* A label belongs to the revision declaring it, to its descendants, and to
 * its ancestors down to the nearest branch or merge point (Alembic's
 * rule: the label names the whole branch, not only where it is written). */
static int spread_labels(rt_graph *g, bool *seen)
{
	for (size_t r = 0; r < g->count; r++) {
		rt_revision *owner = g->revisions[r];
		const rt_migration *m = owner->migration;
		if (m->branch_count == 0)
			continue;
		memset(seen, 0, g->count);
		seen[owner->index] = true;
		for (size_t i = owner->index; i < g->count; i++) {
			if (!seen[i])
				continue;
			rt_revision *rev = g->revisions[i];
			for (size_t k = 0; k < rev->children.count; k++)
				seen[rev->children.items[k]->index] = true;
		}
		for (rt_revision *rev = owner;
		     rev && rev->children.count <= 1 && rev->parents.count <= 1;
		     rev = rev->parents.count == 1 ? rev->parents.items[0] : NULL)
			seen[rev->index] = true;
		for (size_t i = 0; i < g->count; i++)
			for (size_t l = 0; seen[i] && l < m->branch_count; l++)
				if (add_label(g, g->revisions[i], m->branches[l]) < 0)
					return RT_ENOMEM;
	}
	return RT_OK;
}

static int finish(rt_graph *g)
{
	bool *seen = new_set(g, g->arena);
	if (!seen)
		return RT_ENOMEM;
	for (size_t i = 0; i < g->count; i++) {
		rt_revision *rev = g->revisions[i];
		if (normalize_down(g, rev, seen) < 0)
			return RT_ENOMEM;
		if (rev->children.count == 0 && rt__revlist_push(g->arena, &g->heads, rev) < 0)
			return rt__error_nomem();
		if (rev->parents.count == 0 && rt__revlist_push(g->arena, &g->bases, rev) < 0)
			return rt__error_nomem();
	}
	return spread_labels(g, seen);
}

static int build(builder *b)
{
	rt_graph *g = b->graph;
	int rc = add_revisions(b);
	if (rc < 0 || b->code)
		return rc;
	for (size_t i = 0; i < g->set->count && rc == RT_OK; i++)
		rc = declare_labels(b, b->by_file[i]);
	for (size_t i = 0; i < g->set->count && rc == RT_OK; i++)
		rc = link_parents(b, b->by_file[i]);
	for (size_t i = 0; i < g->set->count && rc == RT_OK; i++)
		rc = link_depends(b, b->by_file[i]);
	if (rc < 0 || b->code)
		return rc;
	if ((rc = find_cycle(b)) < 0 || b->code)
		return rc;
	if ((rc = sort_revisions(b)) < 0)
		return rc;
	return finish(g);
}

int rt__graph_build(rt_graph **out, const rt_migration_set *set)
{
	*out = NULL;
	rt_arena *arena = rt__arena_new();
	rt_graph *g = arena ? rt__arena_alloc(arena, sizeof(*g)) : NULL;
	if (!g) {
		rt__arena_free(arena);
		return rt__error_nomem();
	}
	g->arena = arena;
	g->set = set;
	rt__map_init(&g->by_id, arena);
	rt__map_init(&g->label_owner, arena);
	builder b = {.graph = g, .problems = RT_BUF_INIT};
	b.by_file = rt__arena_alloc(arena, (set->count ? set->count : 1) * sizeof(*b.by_file));
	int rc = b.by_file ? build(&b) : rt__error_nomem();
	if (rc == RT_OK && b.code) {
		rc = rt__buf_failed(&b.problems) ? rt__error_nomem()
						 : rt__error_set(b.code, "%s", rt__buf_cstr(&b.problems));
	}
	rt__buf_free(&b.problems);
	if (rc < 0) {
		rt__arena_free(arena);
		return rc;
	}
	*out = g;
	return RT_OK;
}

void rt__graph_free(rt_graph *graph)
{
	if (graph)
		rt__arena_free(graph->arena);
}

/* --- finding revisions ----------------------------------------------------------------- */

rt_revision *rt__graph_get(const rt_graph *g, const char *id)
{
	return id ? rt__map_get(&g->by_id, id) : NULL;
}

void rt__revlist_put(rt_buf *buf, const rt_revlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		rt__buf_printf(buf, "%s%s (%s)", i ? ", " : "", list->items[i]->id,
			       rt__revision_file(list->items[i]));
}

/* Records code with "<what>: a (file), b (file)". */
int rt__graph_error_listing(int code, const char *what, const rt_revlist *list)
{
	rt_buf text = RT_BUF_INIT;
	rt__revlist_put(&text, list);
	int rc = rt__buf_failed(&text) ? rt__error_nomem()
				       : rt__error_set(code, "%s: %s", what, rt__buf_cstr(&text));
	rt__buf_free(&text);
	return rc;
}

int rt__graph_find(const rt_graph *g, const char *text, rt_revision **out)
{
	*out = NULL;
	if ((*out = rt__graph_get(g, text)) || (*out = rt__map_get(&g->label_owner, text)))
		return RT_OK;
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_revlist found = {0};
	size_t len = strlen(text);
	int rc = RT_OK;
	for (size_t i = 0; i < g->count && rc == RT_OK; i++)
		if (strncmp(g->revisions[i]->id, text, len) == 0)
			if (rt__revlist_push(arena, &found, g->revisions[i]) < 0)
				rc = rt__error_nomem();
	if (rc == RT_OK && found.count == 1) {
		*out = found.items[0];
	} else if (rc == RT_OK && found.count > 1) {
		char *what = rt__arena_printf(arena, "revision '%s' is ambiguous; it starts",
					      text);
		rc = what ? rt__graph_error_listing(RT_EMULTIPLE, what, &found) : rt__error_nomem();
	} else if (rc == RT_OK) {
		rc = rt__error_set(RT_ENOTFOUND,
				   "no revision '%s': no script has that id, id prefix or branch label",
				   text);
	}
	rt__arena_free(arena);
	return rc;
}

int rt__graph_current(const rt_graph *g, rt_arena *arena, const char *const *ids, size_t count,
		      rt_revlist *out)
{
	for (size_t i = 0; i < count; i++) {
		rt_revision *rev = rt__graph_get(g, ids[i]);
		if (!rev)
			return rt__error_set(RT_ENOTFOUND,
					     "the database is at revision %s, which no script defines "
					     "(a script was deleted, or these are another project's "
					     "migrations)",
					     ids[i]);
		if (!rt__revlist_has(out, rev) && rt__revlist_push(arena, out, rev) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* --- the version table's rows ----------------------------------------------------------- */

/* Those of rev's down revisions that the rows hold (upgrade), or that no
 * other row has as an ancestor already (downgrade: what to bring back). */
static int down_rows(const rt_graph *g, rt_arena *arena, const bool *heads,
		     const rt_revision *rev, bool upgrade, rt_revlist *out)
{
	bool *others = NULL;
	bool any_other = false;
	for (size_t i = 0; i < g->count && !any_other; i++)
		any_other = heads[i] && g->revisions[i] != rev &&
			    !(upgrade && rt__revlist_has(&rev->down, g->revisions[i]));
	if (any_other) {
		if (!(others = new_set(g, arena)))
			return RT_ENOMEM;
		for (size_t i = 0; i < g->count; i++)
			others[i] = heads[i] && g->revisions[i] != rev &&
				    !(upgrade && rt__revlist_has(&rev->down, g->revisions[i]));
		rt__graph_mark_ancestors(g, others);
	}
	/* A downgrade brings back no revision that another one brought back
	 * already has as an ancestor: a merge of a revision with its own
	 * ancestor (which scripts written by hand may hold) must not leave
	 * both in the version table. */
	bool *below = upgrade ? NULL : strict_ancestors(g, arena, &rev->down);
	if (!upgrade && !below)
		return RT_ENOMEM;
	for (size_t i = 0; i < rev->down.count; i++) {
		rt_revision *down = rev->down.items[i];
		if (upgrade && !heads[down->index])
			continue;
		if ((others && others[down->index]) || (below && below[down->index]))
			continue;
		if (rt__revlist_push(arena, out, down) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

int rt__graph_heads_step(const rt_graph *g, rt_arena *arena, bool *heads,
			 const rt_revision *rev, bool upgrade, rt_heads_change *out)
{
	memset(out, 0, sizeof(*out));
	rt_revision *self = g->revisions[rev->index];
	rt_revlist rows = {0};
	int rc = down_rows(g, arena, heads, rev, upgrade, &rows);
	if (rc < 0)
		return rc;
	if (upgrade) {
		/* The merged parents' rows go, but one that becomes this. */
		if (rows.count == 0) {
			if (rt__revlist_push(arena, &out->inserts, self) < 0)
				return rt__error_nomem();
		} else {
			for (size_t i = 0; i + 1 < rows.count; i++)
				if (rt__revlist_push(arena, &out->deletes, rows.items[i]) < 0)
					return rt__error_nomem();
			out->update_from = rows.items[rows.count - 1];
			out->update_to = self;
		}
	} else {
		if (!heads[rev->index])
			return rt__error_set(RT_EINVAL,
					     "cannot remove revision %s: the version table does not "
					     "list it as a head",
					     rev->id);
		if (rows.count == 0) {
			if (rt__revlist_push(arena, &out->deletes, self) < 0)
				return rt__error_nomem();
		} else {
			out->update_from = self;
			out->update_to = rows.items[rows.count - 1];
			for (size_t i = 0; i + 1 < rows.count; i++)
				if (rt__revlist_push(arena, &out->inserts, rows.items[i]) < 0)
					return rt__error_nomem();
		}
	}
	for (size_t i = 0; i < out->deletes.count; i++)
		heads[out->deletes.items[i]->index] = false;
	if (out->update_from) {
		heads[out->update_from->index] = false;
		heads[out->update_to->index] = true;
	}
	for (size_t i = 0; i < out->inserts.count; i++)
		heads[out->inserts.items[i]->index] = true;
	return RT_OK;
}
