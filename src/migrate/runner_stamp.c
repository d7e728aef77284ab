/*
 * runner_stamp.c - `retort stamp` (rt__migrate_stamp): the version table
 * set to a revision without running any operation, as Alembic's stamp
 * does; with purge, whatever rows it held first taken out.
 *
 * A stamp replaces the heads its target descends from (or is an ancestor
 * of) and keeps the other branches' heads, so stamping one branch never
 * forgets another.
 */
#include "migrate/runner.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "engine/engine.h"
#include "migrate/graph.h"
#include "migrate/runner_impl.h"
#include "migrate/version.h"

/* Does stamping t replace the row of head? When the target is on the
 * head's line (an ancestor or a descendant of it), or takes its branch
 * (label@base) or everything (base) down. */
static bool stamp_replaces(const rt_target *t, const bool *line, const rt_revision *head)
{
	if (t->base && !t->label && !t->below)
		return true;
	if (line[head->index] || head == t->from)
		return true;
	for (size_t l = 0; t->label && l < head->label_count; l++)
		if (strcmp(head->labels[l], t->label) == 0)
			return true;
	return false;
}

/* The rows after stamping target: the target's heads, plus the current
 * heads of lines the target does not touch. */
static int stamp_rows(run *r, rt_arena *arena, const rt_revlist *current, rt_revlist *out)
{
	rt_target t;
	int rc = rt__graph_resolve(r->graph, arena, r->target, current, &t);
	if (rc < 0)
		return rc;
	/* The targets' line: their ancestors and descendants (and, for a
	 * walk below a base, what is above it). */
	bool *keep = rt__graph_closure(r->graph, arena, &t.revs);
	bool *line = rt__graph_closure(r->graph, arena, &t.revs);
	bool *up = rt__graph_closure(r->graph, arena, NULL);
	if (!keep || !line || !up)
		return RT_ENOMEM;
	for (size_t i = 0; i < t.revs.count; i++)
		up[t.revs.items[i]->index] = true;
	if (t.below)
		up[t.below->index] = true;
	rt__graph_mark_descendants(r->graph, up);
	for (size_t i = 0; i < r->graph->count; i++)
		line[i] = line[i] || up[i];
	for (size_t i = 0; i < current->count; i++)
		if (!stamp_replaces(&t, line, current->items[i]))
			keep[current->items[i]->index] = true;
	rt__graph_mark_ancestors(r->graph, keep);
	return rt__graph_heads_of(r->graph, arena, keep, out);
}

static int stamp(run *r, bool purge)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_revlist current = {0}, rows = {0};
	int rc = r->conn ? rt__run_begin(r) : RT_OK;
	if (rc == RT_OK && r->conn && !purge)
		rc = rt__run_read_heads(r, arena, &current);
	if (rc == RT_OK && !r->conn && !purge && (rc = rt__run_offline_start(r, arena, &current)) < 0)
		rt__error_wrap("stamp");
	if (rc == RT_OK)
		rc = stamp_rows(r, arena, &current, &rows);
	if (rc == RT_OK && !r->conn)
		rc = rt__run_begin(r);
	if (rc == RT_OK && (r->conn || current.count == 0))
		rc = rt__version_create(&r->writer);
	if (rc == RT_OK && purge)
		rc = rt__version_clear(&r->writer);
	/* A stamp says where the database is: a partial revision's record
	 * no longer describes it. */
	if (rc == RT_OK && r->conn)
		rc = rt__progress_clear(r->conn);
	for (size_t i = 0; rc == RT_OK && i < current.count; i++)
		if (!rt__revlist_has(&rows, current.items[i]))
			rc = rt__version_delete(&r->writer, current.items[i]->id);
	for (size_t i = 0; rc == RT_OK && i < rows.count; i++) {
		if (rt__revlist_has(&current, rows.items[i]))
			continue;
		rc = rt__version_insert(&r->writer, rows.items[i]->id);
		rt__buf_clear(&r->text);
		rt__buf_printf(&r->text, "INFO  Running stamp_revision  -> %s", rows.items[i]->id);
		if (rc == RT_OK && !rt__buf_failed(&r->text))
			rt__run_progress(r, rt__buf_cstr(&r->text));
	}
	if (rc == RT_OK)
		rc = rt__run_commit(r);
	if (rc < 0)
		rt__run_rollback(r);
	rt__arena_free(arena);
	return rc;
}

int rt__migrate_stamp(rt_conn *conn, const rt_migration_set *set, const char *target,
		      bool purge, const rt_run_options *opts)
{
	run r;
	int rc = rt__run_init(&r, conn, set, target, true, opts);
	if (rc == RT_OK && r.conn) {
		rt_lock_options lo = {.method = r.opts->lock_method,
				      .timeout_ms = r.opts->lock_timeout_ms,
				      .name = r.writer.table,
				      .waiting = rt__run_progress_waiting,
				      .warning = rt__run_progress_waiting,
				      .ctx = &r};
		rc = rt__lock_acquire(&r.lock, r.conn, &lo);
	}
	if (rc == RT_OK)
		rc = stamp(&r, purge);
	rt__lock_release(r.lock);
	rt__run_free(&r);
	return rc;
}
