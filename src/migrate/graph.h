/*
 * graph.h - the revision graph of a script set, and what targets mean in it.
 *
 * Revisions are joined by `revises` (their parents; several make a merge
 * point) and by `depends` (revisions of other branches that must be
 * applied first). The graph is built once from an rt_migration_set, which
 * it checks as Alembic does: one script per id, every parent and
 * dependency present, no cycle; each error names the files involved.
 *
 * Which revisions are applied is read from the version table (version.h):
 * its rows are the database's heads, and a revision is applied when it is
 * one of them or an ancestor (through parents or dependencies) of one.
 *
 * Targets (`head`, `heads`, `base`, an id or unique prefix, a branch label,
 * `+N`, `-N`, `REV+N`, `REV-N`, `label@head`, `label@base`, `label@+N`,
 * `current`) are resolved against the graph and the current heads; from
 * them come the revisions an upgrade applies (parents and dependencies
 * first), those a downgrade removes (children first), and the revisions
 * `history -r A:B` lists (newest first). history.c renders them.
 */
#ifndef RT_MIGRATE_GRAPH_H
#define RT_MIGRATE_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "migrate/migration.h"

typedef struct rt_revision rt_revision;

/* A list of revisions, in the arena it was built in. */
typedef struct rt_revlist {
	rt_revision **items;
	size_t count, cap;
} rt_revlist;

struct rt_revision {
	const char *id;
	const rt_migration *migration;
	size_t index;            /* position in graph->revisions */
	size_t file_index;       /* position in the script set */

	rt_revlist parents;      /* `revises`, as written */
	rt_revlist depends;      /* `depends`, resolved */
	/* Parents, then the dependencies no ancestor already depends on:
	 * Alembic's "normalized down revisions", which decide how the version
	 * table changes when this revision is applied or removed. */
	rt_revlist down;
	rt_revlist children;     /* revisions that revise this one */
	rt_revlist dependents;   /* revisions that depend on this one */

	const char **labels;     /* branch labels, own and inherited */
	size_t label_count, label_cap;
};

typedef struct rt_graph {
	rt_arena *arena;
	const rt_migration_set *set;
	/* Topological order: every revision after its parents and
	 * dependencies; a branch is kept together where the order allows. */
	rt_revision **revisions;
	size_t count;
	rt_revlist heads;        /* revisions no other revises, in order */
	rt_revlist bases;        /* revisions that revise nothing, in order */
	rt_map by_id;            /* id -> rt_revision* */
	rt_map label_owner;      /* branch label -> the revision declaring it */
} rt_graph;

/* Builds and checks the graph of set (which must outlive it). Errors
 * (RT_EPARSE, or RT_ENOTFOUND for a missing parent or dependency) list
 * every problem found, one a line, naming the files. */
int rt__graph_build(rt_graph **out, const rt_migration_set *set);
void rt__graph_free(rt_graph *graph);

/* The revision with exactly this id, or NULL. */
rt_revision *rt__graph_get(const rt_graph *graph, const char *id);

/* An id, a unique id prefix or a branch label: RT_ENOTFOUND or
 * RT_EMULTIPLE (listing the candidates) when it names none or several. */
int rt__graph_find(const rt_graph *graph, const char *text, rt_revision **out);

/* The database's heads as revisions. RT_ENOTFOUND when the version table
 * names a revision no script defines. */
int rt__graph_current(const rt_graph *graph, rt_arena *arena, const char *const *ids,
		      size_t count, rt_revlist *out);

/* What a target text names. */
typedef struct rt_target {
	rt_revlist revs;         /* the revisions named; empty for base */
	bool base;               /* base, label@base, or a -N walk below a base */
	const char *label;       /* label@base: the branch to take down */
	/* A -N walk ended just under this revision (a base or a merge point):
	 * revs holds its parents. */
	rt_revision *below;
	/* A -N walk started at this head: a downgrade removes only what lies
	 * between it and the target (and what depends on that). */
	rt_revision *from;
} rt_target;

int rt__graph_resolve(const rt_graph *graph, rt_arena *arena, const char *text,
		      const rt_revlist *current, rt_target *out);

/* The revisions an upgrade from current to target applies, in order
 * (parents and dependencies first). Empty when the target is applied. */
int rt__graph_upgrade_path(const rt_graph *graph, rt_arena *arena, const rt_revlist *current,
			   const char *target, rt_revlist *out);

/* The revisions a downgrade from current to target removes, in order
 * (children and dependents first). RT_EINVAL when the target is not
 * applied, or is not a downgrade target (`head`, `+N`). */
int rt__graph_downgrade_path(const rt_graph *graph, rt_arena *arena,
			     const rt_revlist *current, const char *target, rt_revlist *out);

/* Ancestors of revs (inclusive, through parents and dependencies), as a
 * flag per revision index, allocated in arena; NULL when out of memory. */
bool *rt__graph_closure(const rt_graph *graph, rt_arena *arena, const rt_revlist *revs);

/* RT_OK when no member of revs is an ancestor of another (through parents
 * or dependencies); else RT_EINVAL naming the pair and their files, as a
 * merge of a revision with its own ancestor is refused. */
int rt__graph_check_unrelated(const rt_graph *graph, const rt_revlist *revs);

/* The heads of a set of revisions closed under ancestry: the members no
 * other member has as parent or dependency, in graph order. */
int rt__graph_heads_of(const rt_graph *graph, rt_arena *arena, const bool *set,
		       rt_revlist *out);

/* How the version table changes when rev is applied (upgrade) or removed
 * given the heads before (a flag per revision index, updated in place to
 * the heads after). Alembic's rules: a linear step updates its row, a new
 * branch inserts one, a merge deletes the rows of all merged parents but
 * one, which it updates; a downgrade does the reverse. */
typedef struct rt_heads_change {
	rt_revlist deletes;      /* rows to delete */
	rt_revision *update_from, *update_to; /* the row to update, or NULL */
	rt_revlist inserts;      /* rows to insert */
} rt_heads_change;

int rt__graph_heads_step(const rt_graph *graph, rt_arena *arena, bool *heads,
			 const rt_revision *rev, bool upgrade, rt_heads_change *out);

/* --- history (history.c) ------------------------------------------------------ */

/* The revisions `history -r range` lists, newest first. range is "A:B"
 * (either side may be empty: base and heads), or NULL / "" for all. */
int rt__graph_history(const rt_graph *graph, rt_arena *arena, const char *range,
		      const rt_revlist *current, rt_revlist *out);

/* Alembic's one-line entry: "a -> b (label) (head) (current)
 * (branchpoint), message". current may be NULL. */
void rt__history_line(rt_buf *buf, const rt_graph *graph, const rt_revision *rev,
		      const rt_revlist *current);

/* Alembic's verbose entry (`history -v`, `show`): Rev, Parent, Path, the
 * message and the header, ending with a blank line. */
void rt__history_verbose(rt_buf *buf, const rt_graph *graph, const rt_revision *rev,
			 const rt_revlist *current);

/* revs (newest first) as an ASCII graph of branches and merges, one line
 * per revision with its one-line entry, and connecting lines between. */
int rt__history_graph(rt_buf *buf, const rt_graph *graph, const rt_revlist *revs,
		      const rt_revlist *current);

/* --- helpers shared by the graph's files --------------------------------------- */

/* Appends rev to list; -1 when out of memory. */
int rt__revlist_push(rt_arena *arena, rt_revlist *list, rt_revision *rev);
bool rt__revlist_has(const rt_revlist *list, const rt_revision *rev);
/* Appends "a (file), b (file)". */
void rt__revlist_put(rt_buf *buf, const rt_revlist *list);
/* Records code with the message "<what>: a (file), b (file)". */
int rt__graph_error_listing(int code, const char *what, const rt_revlist *list);
/* The script file of rev, for messages. */
const char *rt__revision_file(const rt_revision *rev);
/* Adds to set (a flag per revision index) the ancestors, or the
 * descendants, through parents and dependencies, of its members. */
void rt__graph_mark_ancestors(const rt_graph *graph, bool *set);
void rt__graph_mark_descendants(const rt_graph *graph, bool *set);

#endif
