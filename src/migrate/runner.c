/*
 * runner.c - upgrade, downgrade and stamp runs (runner.h).
 *
 * Online, a run goes:
 *   1. read the version table; nothing to do -> return (no lock, no replay);
 *   2. take the migration lock; on SQLite switch foreign-key enforcement
 *      off, as its manual prescribes for table rebuilds;
 *   3. per transaction: begin, read the version table again (another run
 *      may have moved it while we waited), work out the revisions left,
 *      replay the applied scripts to know the schema (only when the rows
 *      are not the ones this run left), refuse edited scripts, carry out
 *      one revision (or all of them) with its version-table change and
 *      history row, check the foreign keys, commit;
 *   4. release the lock.
 * Reading the rows again in every transaction is what makes two runs at
 * once safe even where the lock is only each transaction's write lock.
 *
 * Offline (sql_only) the same steps write SQL text instead.
 */
#include "migrate/runner.h"
#include "migrate/runner_impl.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "engine/engine.h"
#include "migrate/graph.h"
#include "migrate/ops.h"
#include "migrate/version.h"

static const rt_run_options default_options = RT_RUN_OPTIONS_INIT;

int64_t rt__run_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void rt__run_progress(const run *r, const char *line)
{
	if (r->opts->progress)
		r->opts->progress(r->opts->progress_ctx, line);
}

void rt__run_progress_waiting(void *ctx, const char *line)
{
	rt__run_progress(ctx, line);
}

/* Offline output: one statement and a blank line. */
static int emit(const run *r, const char *sql)
{
	if (fprintf(r->opts->sql_out, "%s;\n\n", sql) < 0)
		return rt__error_set(RT_EIO, "cannot write the SQL script");
	return RT_OK;
}

/* "a, b" or "base" (for messages). */
static void put_rows(rt_buf *buf, const rt_graph *g, const bool *rows)
{
	size_t start = buf->len;
	for (size_t i = 0; i < g->count; i++)
		if (rows[i])
			rt__buf_printf(buf, "%s%s", buf->len > start ? ", " : "", g->revisions[i]->id);
	if (buf->len == start)
		rt__buf_puts(buf, "base");
}

/* --- the schema the database is at ----------------------------------------------- */

/* Replays the upgrades of every applied revision from base. */
static int replay(run *r, rt_arena *scratch)
{
	rt_schema_free(r->state);
	r->state = rt__op_state_new();
	if (!r->state)
		return RT_ENOMEM;
	bool *applied = rt__graph_closure(r->graph, scratch, NULL);
	if (!applied)
		return RT_ENOMEM;
	memcpy(applied, r->rows, r->graph->count);
	rt__graph_mark_ancestors(r->graph, applied);
	int rc;
	for (size_t i = 0; i < r->graph->count; i++) {
		if (!applied[i])
			continue;
		const rt_migration *m = r->graph->revisions[i]->migration;
		for (size_t k = 0; k < m->upgrade.count; k++)
			if ((rc = rt__op_apply(r->state, m->upgrade.items[k])) < 0)
				return rt__error_wrap("replaying the applied scripts");
	}
	r->replayed = true;
	return RT_OK;
}

/* --- checks ------------------------------------------------------------------------- */

/* An applied script edited since: refused unless told to ignore it. */
static int check_checksums(run *r, rt_arena *scratch, const rt_revlist *current)
{
	if (r->opts->ignore_checksums || !r->conn)
		return RT_OK;
	rt_revlist edited = {0};
	const char **applied;
	int rc = rt__version_edited(r->conn, r->opts->version_table, r->graph, scratch,
				    current, &edited, &applied);
	if (rc < 0 || edited.count == 0)
		return rc;
	rt_buf msg = RT_BUF_INIT;
	rt__buf_printf(&msg, "%zu applied script(s) changed since they were applied; restore "
			     "them, or run with --ignore-checksums:", edited.count);
	for (size_t i = 0; i < edited.count; i++)
		rt__buf_printf(&msg, "\n  %s (revision %s): applied %s, now %s",
			       rt__revision_file(edited.items[i]), edited.items[i]->id, applied[i],
			       edited.items[i]->migration->checksum);
	rc = rt__buf_failed(&msg) ? rt__error_nomem()
				  : rt__error_set(RT_EDRIFT, "%s", rt__buf_cstr(&msg));
	rt__buf_free(&msg);
	return rc;
}

/* --- one revision -------------------------------------------------------------------- */

static int run_op(run *r, rt_arena *scratch, const rt_op *op)
{
	int rc;
	if (r->conn) {
		rc = rt__op_execute(r->conn, op, r->state);
	} else {
		rt_sql_list list = {0};
		rc = rt__op_render(scratch, &list, op, r->state, r->dialect);
		for (size_t i = 0; rc == RT_OK && i < list.count; i++)
			rc = emit(r, list.items[i]);
	}
	return rc < 0 ? rc : rt__op_apply(r->state, op);
}

static void put_parents(rt_buf *buf, const rt_revision *rev)
{
	for (size_t i = 0; i < rev->parents.count; i++)
		rt__buf_printf(buf, "%s%s", i ? ", " : "", rev->parents.items[i]->id);
}

/* "upgrade a, b -> c, message" as Alembic logs a step. */
void rt__run_describe_step(rt_buf *buf, const run *r, const rt_revision *rev)
{
	if (r->upgrade) {
		rt__buf_puts(buf, "upgrade ");
		put_parents(buf, rev);
		rt__buf_printf(buf, " -> %s", rev->id);
	} else {
		rt__buf_printf(buf, "downgrade %s -> ", rev->id);
		put_parents(buf, rev);
	}
	const char *message = rev->migration->message;
	rt__buf_printf(buf, ", %s", message && *message ? message : "empty message");
}

/* The history row of a revision run: written at once offline, at the
 * end of the transaction online. */
int rt__run_record(run *r, const rt_revision *rev, int64_t duration_ms)
{
	if (!r->conn)
		return rt__version_record(&r->writer, rev->id, r->upgrade,
					  rev->migration->checksum, duration_ms);
	if (r->pending_count == r->pending_cap) {
		size_t cap = r->pending_cap ? 2 * r->pending_cap : 16;
		rt_history_entry *grown = realloc(r->pending, cap * sizeof(*grown));
		if (!grown)
			return rt__error_nomem();
		r->pending = grown;
		r->pending_cap = cap;
	}
	r->pending[r->pending_count++] = (rt_history_entry){
		.revision = rev->id,
		.upgrade = r->upgrade,
		.checksum = rev->migration->checksum,
		.duration_ms = duration_ms,
	};
	return RT_OK;
}

static int run_revision(run *r, rt_arena *scratch, rt_revision *rev)
{
	const rt_migration *m = rev->migration;
	const rt_op_list *ops = r->upgrade ? &m->upgrade : &m->downgrade;
	int64_t start = rt__run_now_us();
	rt__buf_clear(&r->text);
	if (!r->conn) {
		rt__buf_puts(&r->text, "-- Running ");
		rt__run_describe_step(&r->text, r, rev);
		if (rt__buf_failed(&r->text))
			return rt__error_nomem();
		if (fprintf(r->opts->sql_out, "%s\n\n", rt__buf_cstr(&r->text)) < 0)
			return rt__error_set(RT_EIO, "cannot write the SQL script");
	}
	int rc = RT_OK;
	for (size_t i = 0; i < ops->count && rc == RT_OK; i++)
		rc = run_op(r, scratch, ops->items[i]);
	rt_heads_change change;
	if (rc == RT_OK)
		rc = rt__graph_heads_step(r->graph, scratch, r->rows, rev, r->upgrade, &change);
	if (rc == RT_OK && !r->conn)
		rc = rt__version_apply(&r->writer, &change); /* offline: step by step */
	int64_t elapsed = rt__run_now_us() - start;
	if (rc == RT_OK)
		rc = rt__run_record(r, rev, r->conn ? (elapsed + 500) / 1000 : -1);
	if (rc < 0)
		return rc;
	r->steps++;
	rt__buf_clear(&r->text);
	rt__buf_puts(&r->text, "INFO  Running ");
	rt__run_describe_step(&r->text, r, rev);
	if (r->conn) {
		double ms = (double)elapsed / 1000.0;
		rt__buf_printf(&r->text, ms < 10 ? " (%.1f ms)" : " (%.0f ms)", ms);
	}
	if (rt__buf_failed(&r->text))
		return rt__error_nomem();
	rt__run_progress(r, rt__buf_cstr(&r->text));
	return r->lock ? rt__lock_renew(r->lock) : RT_OK;
}

/* --- transactions ------------------------------------------------------------------------ */

int rt__run_begin(run *r)
{
	if (r->conn)
		return rt__lock_begin(r->lock);
	return emit(r, "BEGIN");
}

/* The next revision index from `from` in a but not in b, or count. */
static size_t next_only_in(const bool *a, const bool *b, size_t from, size_t count)
{
	while (from < count && !(a[from] && !b[from]))
		from++;
	return from;
}

/* Writes the version table as the transaction leaves it, and the history
 * rows it owes. A row that went and one that came are written as one
 * UPDATE, as Alembic writes a step, so a straight run is one UPDATE. */
static int flush(run *r)
{
	const bool *was = r->begin_rows, *now = r->rows;
	size_t n = r->graph->count;
	rt_revision **revs = r->graph->revisions;
	size_t gone = next_only_in(was, now, 0, n), came = next_only_in(now, was, 0, n);
	int rc = RT_OK;
	for (; rc == RT_OK && gone < n && came < n;
	     gone = next_only_in(was, now, gone + 1, n), came = next_only_in(now, was, came + 1, n))
		rc = rt__version_update(&r->writer, revs[gone]->id, revs[came]->id);
	for (; rc == RT_OK && gone < n; gone = next_only_in(was, now, gone + 1, n))
		rc = rt__version_delete(&r->writer, revs[gone]->id);
	for (; rc == RT_OK && came < n; came = next_only_in(now, was, came + 1, n))
		rc = rt__version_insert(&r->writer, revs[came]->id);
	if (rc < 0)
		return rt__error_wrap("updating the version table %s", r->writer.table);
	rc = rt__version_record_many(&r->writer, r->pending, r->pending_count);
	r->pending_count = 0;
	return rc;
}

/* Foreign keys of a dialect that can switch them off are checked before
 * COMMIT, so a broken row fails the revision, not a later query. */
int rt__run_commit(run *r)
{
	if (!r->conn)
		return emit(r, "COMMIT");
	int rc = flush(r);
	if (rc == RT_OK && r->keys_off)
		rc = rt__op_check_foreign_keys(r->conn, NULL);
	if (rc == RT_OK)
		rc = rt_conn_commit(r->conn);
	return rc;
}

/* A failure's error record, kept across the clean-up after it. */
struct rt_saved_error {
	rt_error record;
	char sqlstate[6];
	char constraint_name[256];
	char message[16384];
};

rt_saved_error *rt__run_error_save(void)
{
	rt_saved_error *saved = malloc(sizeof(*saved));
	if (saved) {
		const rt_error *e = rt_error_last();
		saved->record = *e;
		snprintf(saved->sqlstate, sizeof(saved->sqlstate), "%s", e->sqlstate);
		snprintf(saved->constraint_name, sizeof(saved->constraint_name), "%s",
			 e->constraint_name);
		snprintf(saved->message, sizeof(saved->message), "%s", e->message);
	}
	return saved;
}

void rt__run_error_restore(rt_saved_error *saved)
{
	if (saved)
		rt__error_set_db(saved->record.code, saved->sqlstate, saved->record.driver_code,
				 saved->record.constraint_kind, saved->constraint_name, "%s",
				 saved->message);
	free(saved);
}

/* Runs a clean-up step (rollback, keys back on) after a failure; if the
 * step fails too, the first failure's message is the one kept. */
static void clean_up(rt_conn *conn, int (*step)(rt_conn *))
{
	rt_saved_error *saved = rt__run_error_save();
	if (step(conn) < 0 && saved) {
		rt__run_error_restore(saved);
		return;
	}
	free(saved);
}

void rt__run_rollback(run *r)
{
	if (r->conn && r->conn->in_transaction)
		clean_up(r->conn, rt_conn_rollback);
}

int rt__run_read_heads(run *r, rt_arena *arena, rt_revlist *current)
{
	const char **ids;
	size_t count;
	int rc = rt__version_heads(r->conn, r->writer.table, arena, &ids, &count);
	return rc < 0 ? rc : rt__graph_current(r->graph, arena, ids, count, current);
}

/* The rows as they are now, read inside the transaction. */
static int read_rows(run *r, rt_arena *scratch, rt_revlist *current, bool **rows)
{
	int rc = rt__run_read_heads(r, scratch, current);
	if (rc < 0)
		return rc;
	*rows = rt__graph_closure(r->graph, scratch, NULL);
	if (!*rows)
		return RT_ENOMEM;
	for (size_t i = 0; i < current->count; i++)
		(*rows)[current->items[i]->index] = true;
	return RT_OK;
}

static int path(run *r, rt_arena *scratch, const rt_revlist *current, rt_revlist *out)
{
	return r->upgrade ? rt__graph_upgrade_path(r->graph, scratch, current, r->target, out)
			  : rt__graph_downgrade_path(r->graph, scratch, current, r->target, out);
}

/* What is left of the goal given the rows now: the goal's revisions not
 * applied yet (upgrade, graph order) or still applied (downgrade,
 * reverse order). The first call fixes the goal. */
static int remaining(run *r, rt_arena *scratch, const rt_revlist *current, rt_revlist *out)
{
	if (!r->goal) {
		int rc = path(r, scratch, current, out);
		if (rc < 0)
			return rc;
		if (!(r->goal = calloc(r->graph->count ? r->graph->count : 1, sizeof(bool))))
			return rt__error_nomem();
		for (size_t i = 0; i < out->count; i++)
			r->goal[out->items[i]->index] = true;
		return RT_OK;
	}
	bool *applied = rt__graph_closure(r->graph, scratch, current);
	if (!applied)
		return RT_ENOMEM;
	for (size_t k = 0; k < r->graph->count; k++) {
		size_t i = r->upgrade ? k : r->graph->count - 1 - k;
		if (r->goal[i] && applied[i] != r->upgrade &&
		    rt__revlist_push(scratch, out, r->graph->revisions[i]) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* Brings r->state and r->rows to the rows read in this transaction
 * (replaying only when they are not the ones this run left), and starts
 * the transaction's bookkeeping. */
static int prepare(run *r, rt_arena *scratch, const rt_revlist *current, bool *rows)
{
	int rc = RT_OK;
	if (!r->replayed || memcmp(rows, r->rows, r->graph->count) != 0) {
		memcpy(r->rows, rows, r->graph->count);
		rc = check_checksums(r, scratch, current);
		if (rc == RT_OK)
			rc = replay(r, scratch);
	}
	if (rc == RT_OK)
		rc = rt__version_create(&r->writer);
	if (rc < 0)
		return rc;
	memcpy(r->begin_rows, r->rows, r->graph->count);
	r->pending_count = 0;
	return RT_OK;
}

/* Carries out the first count revisions of to_run and commits. */
static int run_revisions(run *r, rt_arena *scratch, const rt_revlist *to_run, size_t count)
{
	int rc = RT_OK;
	rt_buf before = RT_BUF_INIT;
	put_rows(&before, r->graph, r->rows);
	if (rt__buf_failed(&before)) {
		rt__buf_free(&before);
		return rt__error_nomem();
	}
	const char *what = r->upgrade ? "upgrade" : "downgrade";
	for (size_t i = 0; i < count && rc == RT_OK; i++)
		if ((rc = run_revision(r, scratch, to_run->items[i])) < 0)
			rt__error_wrap("%s of %s failed and was rolled back; the database stays at %s",
				       what, to_run->items[i]->id, rt__buf_cstr(&before));
	if (rc == RT_OK && (rc = rt__run_commit(r)) < 0) {
		if (rc == RT_ECONNECT)
			/* The server may have committed before the connection
			 * broke: saying "rolled back" could be false. */
			rt__error_wrap("the connection was lost at the COMMIT of the %s to %s: "
				       "whether it was applied is unknown (`retort current` tells; "
				       "it was at %s before)",
				       what, to_run->items[count - 1]->id, rt__buf_cstr(&before));
		else
			rt__error_wrap("%s to %s failed at commit and was rolled back; the "
				       "database stays at %s",
				       what, to_run->items[count - 1]->id, rt__buf_cstr(&before));
	}
	rt__buf_free(&before);
	return rc;
}

bool rt__run_stepwise(const run *r, const rt_revision *rev)
{
	return !r->dialect->caps.transactional_ddl || rev->migration->no_transaction;
}

/* How many revisions from the start of to_run go in this transaction:
 * one with transaction_per_revision, else all up to the first that runs
 * statement by statement. */
static size_t transactional_prefix(const run *r, const rt_revlist *to_run)
{
	size_t count = 0;
	while (count < to_run->count && !rt__run_stepwise(r, to_run->items[count]))
		count++;
	return r->opts->transaction_per_revision && count > 1 ? 1 : count;
}

/* A revision left partly applied by an earlier run: the one row of the
 * progress table, refused by name when it cannot be taken up again. */
static int partial_revision(run *r, const rt_progress *rows, size_t count, rt_revision **out)
{
	*out = NULL;
	if (count == 0)
		return RT_OK;
	if (count > 1)
		return rt__error_set(RT_EINVAL,
				     "%s names %zu partly applied revisions (%s, %s, ...): retort "
				     "leaves at most one; repair the schema by hand, then `retort "
				     "stamp` where it is",
				     RT_PROGRESS_TABLE, count, rows[0].revision, rows[1].revision);
	const rt_progress *p = &rows[0];
	rt_revision *rev = rt__graph_get(r->graph, p->revision);
	if (!rev)
		return rt__error_set(RT_EINVAL,
				     "revision %s is partly applied (%s), and no script defines it; "
				     "restore its script",
				     p->revision, RT_PROGRESS_TABLE);
	const char *now = rev->migration->checksum;
	if (!p->checksum || !now || strcmp(p->checksum, now) != 0)
		return rt__error_set(RT_EDRIFT,
				     "revision %s is partly applied, and its script %s changed since "
				     "(%s when it ran, now %s): which statements ran is known only "
				     "for the script as it was; restore it, then upgrade to finish "
				     "the revision or downgrade to undo what ran",
				     rev->id, rt__revision_file(rev), p->checksum ? p->checksum : "?",
				     now ? now : "?");
	if (p->running_to > p->done)
		return rt__error_set(RT_EINVAL,
				     "revision %s is partly applied and its %s was interrupted at "
				     "statement %lld (%s): whether that statement took effect is "
				     "unknown; look at the database, finish or undo the revision by "
				     "hand, then `retort stamp` the revision it is at",
				     rev->id, p->upgrade ? "upgrade" : "downgrade",
				     (long long)p->done + 1, p->failed_at ? p->failed_at : "?");
	*out = rev;
	return RT_OK;
}

/* After undoing a partial revision, a relative target (-N, +N) has taken
 * one of its steps: the rest is N - 1. Sets *done when none is left. */
static int take_step(run *r, bool *done)
{
	const char *t = r->target;
	if ((*t != '-' && *t != '+') || r->goal)
		return RT_OK;
	char *end;
	long n = strtol(t + 1, &end, 10);
	if (*end || n <= 0)
		return RT_OK;
	if (n == 1) {
		*done = true;
		return RT_OK;
	}
	free(r->target_copy);
	size_t size = 24;
	if (!(r->target_copy = malloc(size)))
		return rt__error_nomem();
	snprintf(r->target_copy, size, "%c%ld", *t, n - 1);
	r->target = r->target_copy;
	return RT_OK;
}

/* Which revision this transaction runs, and how: a partial revision
 * taken up again (or undone, when the run goes the other way), a
 * revision statement by statement, or revisions in this transaction. */
static int next_work(run *r, rt_arena *scratch, const rt_revlist *current, bool *rows,
		     bool *done)
{
	rt_progress *partials = NULL;
	size_t partial_count = 0;
	rt_revision *partial = NULL;
	int rc = rt__progress_read(r->conn, scratch, &partials, &partial_count);
	if (rc == RT_OK)
		rc = partial_revision(r, partials, partial_count, &partial);
	if (rc == RT_OK)
		rc = prepare(r, scratch, current, rows);
	if (rc < 0)
		return rc;
	if (partial && partials[0].upgrade != r->upgrade) {
		if ((rc = rt__run_undo(r, scratch, partial, &partials[0])) < 0)
			return rc;
		return take_step(r, done);
	}
	rt_revlist to_run = {0};
	if ((rc = remaining(r, scratch, current, &to_run)) < 0)
		return rc;
	if (partial) {
		if (!rt__revlist_has(&to_run, partial))
			return rt__error_set(RT_EINVAL,
					     "revision %s is partly %s (%s); this %s does not take "
					     "it further: `retort %s %s` finishes it, `retort %s` to "
					     "a revision before it undoes what ran",
					     partial->id, r->upgrade ? "applied" : "removed",
					     partials[0].failed_at ? partials[0].failed_at : "",
					     r->upgrade ? "upgrade" : "downgrade",
					     r->upgrade ? "upgrade" : "downgrade", partial->id,
					     r->upgrade ? "downgrade" : "upgrade");
		return rt__run_steps(r, scratch, partial, &partials[0]);
	}
	if (to_run.count == 0) {
		*done = true;
		return rt_conn_commit(r->conn);
	}
	if (rt__run_stepwise(r, to_run.items[0]))
		return rt__run_steps(r, scratch, to_run.items[0], NULL);
	return run_revisions(r, scratch, &to_run, transactional_prefix(r, &to_run));
}

/* One transaction: the next revision, or all that are left (a revision
 * run statement by statement commits more than once). *done is set when
 * nothing was left. */
static int transaction(run *r, bool *done)
{
	*done = false;
	rt_arena *scratch = rt__arena_new();
	if (!scratch)
		return rt__error_nomem();
	int rc = rt__run_begin(r);
	if (rc < 0) {
		rt__run_rollback(r);
		rt__arena_free(scratch);
		return rc;
	}
	rt_revlist current = {0};
	bool *rows = NULL;
	rc = read_rows(r, scratch, &current, &rows);
	if (rc == RT_OK)
		rc = next_work(r, scratch, &current, rows, done);
	if (rc < 0) {
		rt__run_rollback(r);
		r->replayed = false;
	}
	rt__arena_free(scratch);
	return rc;
}

/* --- online ----------------------------------------------------------------------------------- */

static int lock(run *r)
{
	rt_lock_options lo = {
		.method = r->opts->lock_method,
		.timeout_ms = r->opts->lock_timeout_ms,
		.name = r->writer.table,
		.waiting = rt__run_progress_waiting,
		.warning = rt__run_progress_waiting,
		.ctx = r,
	};
	int rc = rt__lock_acquire(&r->lock, r->conn, &lo);
	if (rc == RT_OK && r->dialect->foreign_keys_off) {
		if ((rc = rt__op_foreign_keys_off(r->conn)) == RT_OK)
			r->keys_off = true;
	}
	return rc;
}

static int keys_on(rt_conn *conn)
{
	return rt__op_foreign_keys_on(conn);
}

static void unlock(run *r)
{
	if (r->keys_off)
		clean_up(r->conn, keys_on);
	r->keys_off = false;
	rt__lock_release(r->lock);
	r->lock = NULL;
}

static int run_online(run *r)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	/* Nothing to do is found without the lock, reading only the rows. */
	rt_revlist current = {0}, to_run = {0};
	rt_progress *partials = NULL;
	size_t partial_count = 0;
	int rc = rt__run_read_heads(r, arena, &current);
	if (rc == RT_OK)
		rc = path(r, arena, &current, &to_run);
	if (rc == RT_OK) /* a partial revision is work even at the target */
		rc = rt__progress_read(r->conn, arena, &partials, &partial_count);
	rt__arena_free(arena);
	if (rc < 0 || (to_run.count == 0 && partial_count == 0))
		return rc;

	if ((rc = lock(r)) == RT_OK) {
		bool done = false;
		while (rc == RT_OK && !done)
			rc = transaction(r, &done);
	}
	unlock(r);
	return rc;
}

/* --- offline ---------------------------------------------------------------------------------- */

/* `FROM:TO`: where the database is taken to be, and the target. */
int rt__run_offline_start(run *r, rt_arena *arena, rt_revlist *current)
{
	const char *colon = strchr(r->target, ':');
	if (!colon) {
		if (!r->upgrade)
			return rt__error_set(RT_EINVAL,
					     "a downgrade with --sql must say where the database is: "
					     "FROM:TO, e.g. head:-1");
		return RT_OK;
	}
	char *from = rt__arena_strndup(arena, r->target, (size_t)(colon - r->target));
	if (!from)
		return rt__error_nomem();
	r->target = colon + 1;
	rt_target t;
	rt_revlist none = {0};
	int rc = rt__graph_resolve(r->graph, arena, from, &none, &t);
	if (rc < 0)
		return rt__error_wrap("in the start of '%s'", from);
	bool *set = rt__graph_closure(r->graph, arena, &t.revs);
	return set ? rt__graph_heads_of(r->graph, arena, set, current) : RT_ENOMEM;
}

static int run_offline(run *r)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_revlist current = {0}, to_run = {0};
	int rc = rt__run_offline_start(r, arena, &current);
	if (rc == RT_OK)
		rc = path(r, arena, &current, &to_run);
	for (size_t i = 0; rc == RT_OK && i < current.count; i++)
		r->rows[current.items[i]->index] = true;
	if (rc == RT_OK)
		rc = replay(r, arena);
	if (rc == RT_OK && to_run.count > 0 && r->dialect->foreign_keys_off)
		rc = emit(r, r->dialect->foreign_keys_off);
	/* A revision that runs statement by statement is written outside
	 * BEGIN ... COMMIT: each of its statements commits by itself. */
	bool per_revision = r->opts->transaction_per_revision, open = false;
	for (size_t i = 0; rc == RT_OK && i < to_run.count; i++) {
		bool stepwise = rt__run_stepwise(r, to_run.items[i]);
		if (open && (stepwise || per_revision)) {
			rc = rt__run_commit(r);
			open = false;
		}
		if (rc == RT_OK && !open && !stepwise) {
			rc = rt__run_begin(r);
			open = true;
		}
		if (rc == RT_OK && i == 0 && current.count == 0 && r->upgrade)
			rc = rt__version_create(&r->writer);
		if (rc == RT_OK)
			rc = run_revision(r, arena, to_run.items[i]);
	}
	if (rc == RT_OK && open)
		rc = rt__run_commit(r);
	if (rc == RT_OK && to_run.count > 0 && r->dialect->foreign_keys_on)
		rc = emit(r, r->dialect->foreign_keys_on);
	rt__arena_free(arena);
	return rc;
}

/* --- entry points ------------------------------------------------------------------------------- */

int rt__run_init(run *r, rt_conn *conn, const rt_migration_set *set, const char *target,
		    bool upgrade, const rt_run_options *opts)
{
	memset(r, 0, sizeof(*r));
	r->opts = opts ? opts : &default_options;
	r->conn = r->opts->sql_only ? NULL : conn;
	r->dialect = conn ? conn->dialect : r->opts->dialect;
	r->upgrade = upgrade;
	r->target = target;
	if (!set || !target)
		return rt__error_set(RT_EINVAL, "migrate: no scripts or no target");
	if (!r->dialect)
		return rt__error_set(RT_EINVAL, "migrate: no connection and no dialect");
	if (r->opts->sql_only && !r->opts->sql_out)
		return rt__error_set(RT_EINVAL, "migrate: sql_only without a file to write to");
	rt__version_writer_init(&r->writer, r->dialect, r->conn, r->opts->sql_out,
				r->opts->version_table);
	int rc = rt__version_check_place(&r->writer);
	if (rc == RT_OK)
		rc = rt__graph_build(&r->graph, set);
	if (rc < 0)
		return rc;
	size_t n = r->graph->count ? r->graph->count : 1;
	r->rows = calloc(n, sizeof(bool));
	r->begin_rows = calloc(n, sizeof(bool));
	return r->rows && r->begin_rows ? RT_OK : rt__error_nomem();
}

void rt__run_free(run *r)
{
	rt__version_writer_close(&r->writer);
	rt_schema_free(r->state);
	rt__graph_free(r->graph);
	free(r->rows);
	free(r->begin_rows);
	free(r->goal);
	free(r->target_copy);
	free(r->pending);
	rt__buf_free(&r->text);
}

int rt__migrate_run(rt_conn *conn, const rt_migration_set *set, const char *target,
		    rt_run_direction direction, const rt_run_options *opts)
{
	run r;
	int rc = rt__run_init(&r, conn, set, target, direction == RT_RUN_UPGRADE, opts);
	if (rc == RT_OK)
		rc = r.conn ? run_online(&r) : run_offline(&r);
	if (r.opts->steps)
		*r.opts->steps = r.steps;
	rt__run_free(&r);
	return rc;
}
