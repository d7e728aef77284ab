/*
 * graph_target.c - what a target names in the revision graph (graph.h):
 * `head`, `heads`, `base`, `current`, ids and prefixes, branch labels,
 * relative steps (`+N`, `-N`, `REV+N`, `label@-N`), and from them the
 * revisions an upgrade applies and a downgrade removes.
 */
#include "migrate/graph.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* Relative steps beyond this are certainly a typo, not a request. */
#define MAX_RELATIVE_STEPS 1000000

/* --- targets ------------------------------------------------------------------------- */

/* "12" -> 12; false unless text is all digits and in range. */
static bool parse_count(const char *text, size_t *out)
{
	if (!*text)
		return false;
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (size_t)(*p - '0');
		if (n > MAX_RELATIVE_STEPS)
			return false;
	}
	*out = n;
	return true;
}

/* The revisions a branch selector (`label` or `rev` before '@') stands
 * for: a label's members, or a revision with its ancestors and
 * descendants. */
static int branch_members(const rt_graph *g, rt_arena *arena, const char *name, bool **out)
{
	bool *set = rt__graph_closure(g, arena, NULL);
	if (!set)
		return RT_ENOMEM;
	if (rt__map_get(&g->label_owner, name)) {
		for (size_t i = 0; i < g->count; i++)
			for (size_t l = 0; l < g->revisions[i]->label_count; l++)
				if (strcmp(g->revisions[i]->labels[l], name) == 0)
					set[i] = true;
		*out = set;
		return RT_OK;
	}
	rt_revision *rev;
	int rc = rt__graph_find(g, name, &rev);
	if (rc < 0)
		return rt__error_wrap("before '@'");
	bool *up = rt__graph_closure(g, arena, NULL);
	if (!up)
		return RT_ENOMEM;
	set[rev->index] = up[rev->index] = true;
	rt__graph_mark_ancestors(g, set);
	rt__graph_mark_descendants(g, up);
	for (size_t i = 0; i < g->count; i++)
		set[i] = set[i] || up[i];
	*out = set;
	return RT_OK;
}

/* Appends the members of list that are in members (all when NULL). */
static int filter(rt_arena *arena, const rt_revlist *list, const bool *members,
		  rt_revlist *out)
{
	for (size_t i = 0; list && i < list->count; i++)
		if ((!members || members[list->items[i]->index]) &&
		    rt__revlist_push(arena, out, list->items[i]) < 0)
			return rt__error_nomem();
	return RT_OK;
}

/* Where a walk of +N / -N ends. */
typedef struct walk_end {
	rt_revision *rev;
	rt_revision *below; /* the walk went past this base revision */
} walk_end;

/* Where one step up from at (NULL: from base) can go, within members. */
static int steps_up(const rt_graph *g, rt_arena *arena, const rt_revision *at,
		    const bool *members, rt_revlist *out)
{
	if (at)
		return filter(arena, &at->children, members, out);
	if (!members)
		return filter(arena, &g->bases, NULL, out);
	/* From base into a branch: its members none of whose parents is one. */
	for (size_t i = 0; i < g->count; i++) {
		rt_revision *rev = g->revisions[i];
		bool root = members[i];
		for (size_t k = 0; root && k < rev->parents.count; k++)
			root = !members[rev->parents.items[k]->index];
		if (root && rt__revlist_push(arena, out, rev) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

static int walk_up(const rt_graph *g, rt_arena *arena, rt_revision *from, size_t n,
		   const bool *members, const char *text, walk_end *out)
{
	rt_revision *at = from;
	for (size_t step = 0; step < n; step++) {
		rt_revlist next = {0};
		int rc = steps_up(g, arena, at, members, &next);
		if (rc < 0)
			return rc;
		if (next.count == 0 && !from)
			return rt__error_set(RT_ENOTFOUND,
					     "cannot go '%s': there are only %zu revision(s) to go to",
					     text, step);
		if (next.count == 0)
			return rt__error_set(RT_ENOTFOUND,
					     "cannot go '%s': %s is only %zu revision(s) below the head",
					     text, from->id, step);
		if (next.count > 1) {
			char *what = rt__arena_printf(arena,
						      "'%s' is ambiguous: the revisions branch at %s; "
						      "name a revision or use label@+N. The branches "
						      "start at",
						      text, at ? at->id : "base");
			return what ? rt__graph_error_listing(RT_EMULTIPLE, what, &next) : RT_ENOMEM;
		}
		at = next.items[0];
	}
	out->rev = at;
	out->below = NULL;
	return RT_OK;
}

/* n steps down from `from`. The last step may leave a base or a merge
 * point (the state just under it); an earlier merge point is ambiguous. */
static int walk_down(rt_arena *arena, rt_revision *from, size_t n, const char *text,
		     walk_end *out)
{
	rt_revision *at = from;
	out->rev = out->below = NULL;
	for (size_t step = 0; step < n; step++) {
		if (at->parents.count != 1 && step == n - 1) {
			out->below = at;
			return RT_OK;
		}
		if (at->parents.count == 0)
			return rt__error_set(RT_ENOTFOUND,
					     "cannot go '%s': %s is only %zu revision(s) above base",
					     text, from->id, step + 1);
		if (at->parents.count > 1) {
			char *what = rt__arena_printf(arena,
						      "'%s' is ambiguous: %s is a merge point; name a "
						      "revision. Its parents are",
						      text, at->id);
			return what ? rt__graph_error_listing(RT_EMULTIPLE, what, &at->parents)
				    : RT_ENOMEM;
		}
		at = at->parents.items[0];
	}
	out->rev = at;
	return RT_OK;
}

static int set_walk_end(rt_arena *arena, const walk_end *end, rt_target *out)
{
	if (end->below) {
		out->below = end->below;
		out->base = end->below->parents.count == 0;
		for (size_t i = 0; i < end->below->parents.count; i++)
			if (rt__revlist_push(arena, &out->revs, end->below->parents.items[i]) < 0)
				return rt__error_nomem();
		return RT_OK;
	}
	return end->rev && rt__revlist_push(arena, &out->revs, end->rev) < 0 ? rt__error_nomem()
									       : RT_OK;
}

/* +N / -N from the current head (within members, when a label is given). */
static int resolve_relative(const rt_graph *g, rt_arena *arena, const char *text,
			    const char *rel, const rt_revlist *current, const bool *members,
			    rt_target *out)
{
	size_t n;
	if (!parse_count(rel + 1, &n))
		return rt__error_set(RT_EINVAL, "bad target '%s': expected a number after '%c'",
				     text, rel[0]);
	rt_revlist heads = {0};
	int rc = filter(arena, current, members, &heads);
	if (rc < 0)
		return rc;
	if (heads.count > 1) {
		char *what = rt__arena_printf(arena,
					      "'%s' is ambiguous: the database has several heads; "
					      "use REV%s or label@%s. The heads are",
					      text, rel, rel);
		return what ? rt__graph_error_listing(RT_EMULTIHEAD, what, &heads) : RT_ENOMEM;
	}
	walk_end end = {0};
	if (rel[0] == '+') {
		rc = walk_up(g, arena, heads.count ? heads.items[0] : NULL, n, members, text, &end);
	} else if (heads.count == 0) {
		return n == 0 ? (out->base = true, RT_OK)
			      : rt__error_set(RT_ENOTFOUND,
					      "cannot go '%s': the database is at base", text);
	} else {
		out->from = heads.items[0];
		rc = walk_down(arena, heads.items[0], n, text, &end);
	}
	return rc < 0 ? rc : set_walk_end(arena, &end, out);
}

static int one_head(const rt_graph *g, rt_arena *arena, const char *text, const bool *members,
		    rt_target *out)
{
	rt_revlist heads = {0};
	int rc = filter(arena, &g->heads, members, &heads);
	if (rc < 0)
		return rc;
	if (heads.count == 0)
		return rt__error_set(RT_ENOTFOUND, "'%s': there are no revisions", text);
	if (heads.count > 1) {
		char *what = rt__arena_printf(
			arena,
			"several heads match '%s'; name one, use label@head to pick a branch, or "
			"'heads' for all. The heads are",
			text);
		return what ? rt__graph_error_listing(RT_EMULTIHEAD, what, &heads) : RT_ENOMEM;
	}
	return rt__revlist_push(arena, &out->revs, heads.items[0]) < 0 ? rt__error_nomem()
									  : RT_OK;
}

/* `X@Y`: Y (head, heads, base, +N, -N or a revision) within branch X. */
static int resolve_at(const rt_graph *g, rt_arena *arena, const char *text, const char *at,
		      const rt_revlist *current, rt_target *out)
{
	char *branch = rt__arena_strndup(arena, text, (size_t)(at - text));
	if (!branch)
		return rt__error_nomem();
	bool *members = NULL;
	int rc = branch_members(g, arena, branch, &members);
	if (rc < 0)
		return rc;
	const char *what = at + 1;
	if (strcmp(what, "head") == 0)
		return one_head(g, arena, text, members, out);
	if (strcmp(what, "heads") == 0)
		return filter(arena, &g->heads, members, &out->revs);
	if (strcmp(what, "base") == 0) {
		if (!rt__map_get(&g->label_owner, branch))
			return rt__error_set(RT_EINVAL,
					     "'%s': only a branch label can be taken to base", text);
		out->base = true;
		out->label = branch;
		return RT_OK;
	}
	if (what[0] == '+' || what[0] == '-')
		return resolve_relative(g, arena, text, what, current, members, out);
	rt_revision *rev;
	if ((rc = rt__graph_find(g, what, &rev)) < 0)
		return rc;
	if (!members[rev->index])
		return rt__error_set(RT_EINVAL, "'%s': revision %s is not on branch %s", text,
				     rev->id, branch);
	return rt__revlist_push(arena, &out->revs, rev) < 0 ? rt__error_nomem() : RT_OK;
}

/* The position of the '+' or '-' of `REV+N` / `REV-N`, or NULL. */
static const char *relative_suffix(const char *text)
{
	const char *sign = NULL;
	for (const char *p = text + 1; *p; p++)
		if (*p == '+' || *p == '-')
			sign = p;
	size_t n;
	return sign && parse_count(sign + 1, &n) ? sign : NULL;
}

int rt__graph_resolve(const rt_graph *g, rt_arena *arena, const char *text,
		      const rt_revlist *current, rt_target *out)
{
	memset(out, 0, sizeof(*out));
	if (!text || !*text)
		return rt__error_set(RT_EINVAL, "empty revision target");
	if (strcmp(text, "base") == 0) {
		out->base = true;
		return RT_OK;
	}
	if (strcmp(text, "head") == 0)
		return one_head(g, arena, text, NULL, out);
	if (strcmp(text, "heads") == 0)
		return filter(arena, &g->heads, NULL, &out->revs);
	if (strcmp(text, "current") == 0) {
		out->base = !current || current->count == 0;
		return filter(arena, current, NULL, &out->revs);
	}
	const char *at = strchr(text, '@');
	if (at)
		return resolve_at(g, arena, text, at, current, out);
	if (text[0] == '+' || text[0] == '-')
		return resolve_relative(g, arena, text, text, current, NULL, out);

	const char *sign = relative_suffix(text);
	char *name = sign ? rt__arena_strndup(arena, text, (size_t)(sign - text))
			  : rt__arena_strdup(arena, text);
	if (!name)
		return rt__error_nomem();
	rt_revision *rev;
	int rc = rt__graph_find(g, name, &rev);
	if (rc < 0 || !sign)
		return rc < 0 ? rc
			      : (rt__revlist_push(arena, &out->revs, rev) < 0 ? rt__error_nomem()
									       : RT_OK);
	size_t n = 0;
	parse_count(sign + 1, &n);
	walk_end end = {0};
	rc = *sign == '+' ? walk_up(g, arena, rev, n, NULL, text, &end)
			  : walk_down(arena, rev, n, text, &end);
	return rc < 0 ? rc : set_walk_end(arena, &end, out);
}

/* --- paths ------------------------------------------------------------------------------ */

int rt__graph_upgrade_path(const rt_graph *g, rt_arena *arena, const rt_revlist *current,
			   const char *target, rt_revlist *out)
{
	if (target && (target[0] == '-' || strstr(target, "@-") || strstr(target, "@base")))
		return rt__error_set(RT_EINVAL,
				     "'%s' is not an upgrade target: use head, heads, +N, label@head "
				     "or a revision",
				     target);
	rt_target t;
	int rc = rt__graph_resolve(g, arena, target, current, &t);
	if (rc < 0)
		return rc;
	bool *need = rt__graph_closure(g, arena, &t.revs);
	bool *applied = rt__graph_closure(g, arena, current);
	if (!need || !applied)
		return RT_ENOMEM;
	for (size_t i = 0; i < g->count; i++)
		if (need[i] && !applied[i] && rt__revlist_push(arena, out, g->revisions[i]) < 0)
			return rt__error_nomem();
	return RT_OK;
}

static int not_applied(const rt_revision *rev, const rt_revlist *current)
{
	if (current->count == 0)
		return rt__error_set(RT_EINVAL,
				     "cannot downgrade to %s: the database is at base (nothing applied)",
				     rev->id);
	rt_buf heads = RT_BUF_INIT;
	rt__revlist_put(&heads, current);
	int rc = rt__buf_failed(&heads)
			 ? rt__error_nomem()
			 : rt__error_set(RT_EINVAL,
					 "cannot downgrade to %s: it is not applied; the database is "
					 "at %s",
					 rev->id, rt__buf_cstr(&heads));
	rt__buf_free(&heads);
	return rc;
}

int rt__graph_downgrade_path(const rt_graph *g, rt_arena *arena, const rt_revlist *current,
			     const char *target, rt_revlist *out)
{
	if (target && (strcmp(target, "head") == 0 || strcmp(target, "heads") == 0 ||
		       target[0] == '+' || strstr(target, "@+") || strstr(target, "@head")))
		return rt__error_set(RT_EINVAL,
				     "'%s' is not a downgrade target: use -N, base, label@base or a "
				     "revision",
				     target);
	rt_target t;
	int rc = rt__graph_resolve(g, arena, target, current, &t);
	if (rc < 0)
		return rc;
	bool *applied = rt__graph_closure(g, arena, current);
	bool *remove = rt__graph_closure(g, arena, NULL);
	if (!applied || !remove)
		return RT_ENOMEM;
	if (t.below) {
		remove[t.below->index] = true;
	} else if (t.label) {
		for (size_t i = 0; i < g->count; i++)
			for (size_t l = 0; l < g->revisions[i]->label_count; l++)
				remove[i] = remove[i] ||
					    strcmp(g->revisions[i]->labels[l], t.label) == 0;
	} else if (t.base) {
		memcpy(remove, applied, g->count);
	} else {
		for (size_t i = 0; i < t.revs.count; i++)
			if (!applied[t.revs.items[i]->index])
				return not_applied(t.revs.items[i], current);
		/* Everything above the targets goes; the targets stay. */
		for (size_t i = 0; i < t.revs.count; i++) {
			const rt_revision *rev = t.revs.items[i];
			for (size_t k = 0; k < rev->children.count; k++)
				remove[rev->children.items[k]->index] = true;
			for (size_t k = 0; k < rev->dependents.count; k++)
				remove[rev->dependents.items[k]->index] = true;
		}
	}
	rt__graph_mark_descendants(g, remove);
	if (t.from) {
		/* -N from one head: only that head's line comes down, with
		 * whatever depends on it. */
		rt_revlist from = {0};
		if (rt__revlist_push(arena, &from, t.from) < 0)
			return rt__error_nomem();
		bool *line = rt__graph_closure(g, arena, &from);
		if (!line)
			return RT_ENOMEM;
		for (size_t i = 0; i < g->count; i++)
			remove[i] = remove[i] && line[i];
		rt__graph_mark_descendants(g, remove);
	}
	bool *keep = rt__graph_closure(g, arena, &t.revs);
	if (!keep)
		return RT_ENOMEM;
	for (size_t i = g->count; i-- > 0;)
		if (remove[i] && applied[i] && !keep[i] &&
		    rt__revlist_push(arena, out, g->revisions[i]) < 0)
			return rt__error_nomem();
	return RT_OK;
}

