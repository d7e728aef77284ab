/*
 * runner_steps.c - a revision run statement by statement, and undoing
 * the part of one that ran (runner_impl.h, progress.h).
 *
 * The unit of work is an operation: its statements (one, or several for a
 * SQLite table rebuild or an enum replaced) are counted in the revision's
 * statements, and the progress row moves past all of them at once. Where
 * DDL is transactional, an operation and its progress row commit together,
 * so the row always describes the database exactly, whenever the process
 * stops. An `execute` runs outside any transaction (what `transaction
 * none` is for: PostgreSQL's CREATE INDEX CONCURRENTLY refuses to run in
 * one), as every statement does where DDL is not transactional: the row
 * then first says the operation's statements are running, and only after
 * them that they ran. A process stopped in between leaves the row saying
 * so ("interrupted ... whether it took effect is unknown") rather than
 * claiming either; a statement that failed took no effect, so an
 * operation that failed before any of its statements completed (its first
 * failed, or it was refused before it: rows still holding an enum value
 * being dropped) leaves the row as it was before it, with its error.
 *
 * Undoing runs the inverse of each operation that ran, last first: a
 * rename renamed back, and for the rest the operations that turn the
 * schema after the operation into the schema before it, as autogenerate
 * works them out (diff.h), so that a drop gets the full definition back.
 * An `execute` or an `insert` has no inverse retort can know: undoing
 * one is refused by name before anything runs.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "engine/engine.h"
#include "migrate/diff.h"
#include "migrate/ops.h"
#include "migrate/rebuild.h"
#include "migrate/runner_impl.h"

/* The statements each operation of a block renders to, from r->state. */
typedef struct plan {
	const rt_op_list *ops;
	int64_t *counts;
	int64_t total;
} plan;

static int make_plan(run *r, rt_arena *scratch, const rt_op_list *ops, plan *out)
{
	out->ops = ops;
	out->total = 0;
	out->counts = rt__arena_alloc(scratch, (ops->count + 1) * sizeof(*out->counts));
	rt_schema *work = rt__op_state_copy(r->state);
	if (!out->counts || !work) {
		rt_schema_free(work);
		return rt__error_nomem();
	}
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < ops->count; i++) {
		rt_sql_list list = {0};
		const rt_op *op = ops->items[i];
		rc = rt__op_render(scratch, &list, op, work, r->dialect);
		if (rc == RT_OK)
			rc = rt__op_apply(work, op);
		out->counts[i] = (int64_t)list.count;
		out->total += (int64_t)list.count;
	}
	rt_schema_free(work);
	return rc;
}

/* "versions/x.rt:14", in scratch. */
static const char *position(rt_arena *scratch, const rt_op *op)
{
	const char *text = rt__arena_printf(scratch, "%s:%d",
					    op->pos.file ? op->pos.file : "<script>", op->pos.line);
	return text ? text : "?";
}

/* The progress row as it now stands: written, or deleted when nothing
 * of the revision is applied (the database is then exactly where the
 * version table says). */
static int save(run *r, const rt_progress *p)
{
	if (p->done == 0 && p->running_to == 0)
		return rt__progress_delete(r->conn, p->revision);
	return rt__progress_write(r->conn, p);
}

/* Commits what the transaction holds, the progress row with it. */
static int save_and_commit(run *r, const rt_progress *p)
{
	int rc = save(r, p);
	return rc < 0 ? rc : rt__run_commit(r);
}

/* After a failed operation: the row with its error, in a transaction of
 * its own; the failure's message is the one kept. */
static void save_failure(run *r, rt_progress *p, const rt_op *op, rt_arena *scratch)
{
	rt_saved_error *saved = rt__run_error_save();
	rt__run_rollback(r);
	p->failed_at = position(scratch, op);
	p->error = rt_error_last()->message;
	p->error = p->error ? rt__arena_strdup(scratch, p->error) : NULL;
	if (rt__run_begin(r) == RT_OK && save_and_commit(r, p) == RT_OK) {
		rt__run_error_restore(saved);
		return;
	}
	rt__run_rollback(r);
	rt__run_error_restore(saved);
}

/* Carries out one operation, in the transaction open on entry (atomic)
 * or outside any transaction, the row saying it runs. Returns with the
 * transaction committed in either case, the row moved past it unless
 * it completes the revision (then *open stays true for the caller). */
static int run_operation(run *r, rt_arena *scratch, rt_progress *p, const rt_op *op,
			 int64_t count, bool last, bool *open)
{
	bool atomic = r->dialect->caps.transactional_ddl && op->kind != RT_OP_EXECUTE;
	int rc = RT_OK;
	if (!atomic && count > 0) {
		/* The row saying it runs commits in a transaction of its own
		 * before the statements: the operation before may have left
		 * none open (every operation commits where DDL is not
		 * transactional). */
		if (!*open && (rc = rt__run_begin(r)) < 0)
			return rc;
		*open = true;
		p->running_to = p->done + count;
		p->failed_at = position(scratch, op);
		p->error = NULL;
		if ((rc = save_and_commit(r, p)) < 0)
			return rc;
		*open = false;
	} else if (!*open) {
		/* The operation and the row that says it ran commit together. */
		if ((rc = rt__run_begin(r)) < 0)
			return rc;
		*open = true;
	}
	size_t ran = 0;
	if ((rc = rt__op_execute_counted(r->conn, op, r->state, &ran)) < 0) {
		/* A statement that failed took no effect: when none completed
		 * (the operation was refused before its first statement, or
		 * that one failed) nothing changed; once some did, the
		 * operation is half done. */
		if (ran == 0)
			p->running_to = 0;
		save_failure(r, p, op, scratch);
		*open = false;
		return rc;
	}
	if ((rc = rt__op_apply(r->state, op)) < 0)
		return rc;
	p->done += count;
	p->running_to = 0;
	p->failed_at = NULL;
	p->error = NULL;
	if (!*open) {
		if ((rc = rt__run_begin(r)) < 0)
			return rc;
		*open = true;
	}
	if (!last) {
		if ((rc = save_and_commit(r, p)) < 0)
			return rc;
		*open = false;
	}
	return r->lock ? rt__lock_renew(r->lock) : RT_OK;
}

/* The message of a failure part-way: what ran, what failed, what next. */
static int wrap_failure(run *r, const rt_revision *rev, const rt_progress *p, int rc)
{
	const char *what = r->upgrade ? "upgrade" : "downgrade";
	if (p->running_to > p->done)
		return rt__error_wrap("%s of %s stopped in statements %" PRId64 "-%" PRId64
				      " of %" PRId64 " (%s), which ran outside a transaction: "
				      "whether they took effect is unknown",
				      what, rev->id, p->done + 1, p->running_to, p->statements,
				      p->failed_at ? p->failed_at : "?"),
		       rc;
	if (p->done == 0)
		return rt__error_wrap("%s of %s failed at its first statement (%s); nothing of it "
				      "was applied",
				      what, rev->id, p->failed_at ? p->failed_at : "?"),
		       rc;
	return rt__error_wrap("%s of %s stopped at statement %" PRId64 " of %" PRId64
			      " (%s); the %" PRId64 " before it ran and stay applied (`retort "
			      "current` shows them): fix the cause and run %s again to go on "
			      "from there, or %s to undo them",
			      what, rev->id, p->done + 1, p->statements,
			      p->failed_at ? p->failed_at : "?", p->done, what,
			      r->upgrade ? "downgrade" : "upgrade"),
	       rc;
}

int rt__run_steps(run *r, rt_arena *scratch, rt_revision *rev, const rt_progress *from)
{
	const rt_migration *m = rev->migration;
	const rt_op_list *ops = r->upgrade ? &m->upgrade : &m->downgrade;
	plan pl;
	int rc = rt__progress_create(r->conn);
	if (rc == RT_OK)
		rc = make_plan(r, scratch, ops, &pl);
	if (rc < 0)
		return rc;
	rt_progress p = {
		.revision = rev->id,
		.upgrade = r->upgrade,
		.checksum = m->checksum,
		.statements = pl.total,
		.done = from ? from->done : 0,
	};
	int64_t start = rt__run_now_us();
	/* The operations that ran before are replayed onto the state. */
	size_t i = 0;
	int64_t at = 0;
	while (i < ops->count && at + pl.counts[i] <= p.done && !(pl.counts[i] == 0 && at == p.done)) {
		if ((rc = rt__op_apply(r->state, ops->items[i])) < 0)
			return rc;
		at += pl.counts[i++];
	}
	if (at != p.done)
		return rt__error_set(RT_EINVAL,
				     "%s records %" PRId64 " statements of %s run, which is not "
				     "where an operation ends: repair by hand and `retort stamp`",
				     RT_PROGRESS_TABLE, p.done, rev->id);
	if (p.done > 0) {
		rt__buf_clear(&r->text);
		rt__buf_printf(&r->text, "INFO  Resuming %s of %s at statement %" PRId64 " of %" PRId64,
			       r->upgrade ? "upgrade" : "downgrade", rev->id, p.done + 1,
			       p.statements);
		if (!rt__buf_failed(&r->text))
			rt__run_progress(r, rt__buf_cstr(&r->text));
	}
	bool open = true;
	for (; rc == RT_OK && i < ops->count; i++)
		rc = run_operation(r, scratch, &p, ops->items[i], pl.counts[i],
				   i + 1 == ops->count, &open);
	if (rc < 0) {
		if (open)
			rt__run_rollback(r);
		r->replayed = false;
		return wrap_failure(r, rev, &p, rc);
	}
	/* Complete: the row goes, the version table moves, and the history
	 * row is written, in the transaction of the last operation. */
	rt_heads_change change;
	rc = rt__progress_delete(r->conn, rev->id);
	if (rc == RT_OK)
		rc = rt__graph_heads_step(r->graph, scratch, r->rows, rev, r->upgrade, &change);
	int64_t elapsed = rt__run_now_us() - start;
	if (rc == RT_OK)
		rc = rt__run_record(r, rev, (elapsed + 500) / 1000);
	if (rc == RT_OK)
		rc = rt__run_commit(r);
	if (rc < 0) {
		rt__run_rollback(r);
		r->replayed = false;
		return rt__error_wrap("recording the end of the %s of %s",
				      r->upgrade ? "upgrade" : "downgrade", rev->id);
	}
	r->steps++;
	rt__buf_clear(&r->text);
	rt__buf_puts(&r->text, "INFO  Running ");
	rt__run_describe_step(&r->text, r, rev);
	double ms = (double)elapsed / 1000.0;
	rt__buf_printf(&r->text, ms < 10 ? " (%.1f ms)" : " (%.0f ms)", ms);
	if (rt__buf_failed(&r->text))
		return rt__error_nomem();
	rt__run_progress(r, rt__buf_cstr(&r->text));
	return RT_OK;
}

/* --- undoing --------------------------------------------------------------------------- */

static int push(rt_arena *arena, rt_op_list *list, rt_op *op)
{
	return RT_ARENA_PUSH(arena, list->items, list->count, list->cap, op) < 0
		       ? rt__error_nomem()
		       : RT_OK;
}

/* The operations that undo op, which took the schema from before to after;
 * allocated in holder's scratch. */
static int inverse(run *r, rt_migration *holder, const rt_op *op, const rt_schema *before,
		   const rt_schema *after, rt_op_list *out)
{
	rt_arena *arena = holder->scratch->arena;
	if (op->kind == RT_OP_EXECUTE && !rt__op_runs_here(op, r->dialect))
		return RT_OK;
	if (op->kind == RT_OP_EXECUTE || op->kind == RT_OP_INSERT)
		return rt__op_fail(op, "ran, and retort cannot know its inverse: undo it by hand, "
				   "then `retort stamp` the revision before");
	if (op->kind == RT_OP_RENAME_TABLE || op->kind == RT_OP_RENAME_COLUMN ||
	    op->kind == RT_OP_RENAME_OBJECT) {
		rt_op *back = rt__arena_alloc(arena, sizeof(*back));
		rt_sql_object *object = op->object ? rt__arena_alloc(arena, sizeof(*object)) : NULL;
		if (!back || (op->object && !object))
			return rt__error_nomem();
		*back = *op;
		if (op->kind == RT_OP_RENAME_OBJECT) {
			*object = *op->object;
			object->name = op->new_name;
			back->object = object;
			back->new_name = op->object->name;
		} else if (op->kind == RT_OP_RENAME_TABLE) {
			back->table = op->new_name;
			back->new_name = op->table;
		} else {
			back->name = op->new_name;
			back->new_name = op->name;
		}
		return push(arena, out, back);
	}
	rt_migration diff = {.scratch = holder->scratch};
	rt_diff_warnings warnings = {0};
	rt_diff_options opts = {.warnings = &warnings};
	int rc = rt__diff_schemas(&diff, after, before, NULL, &opts);
	if (rc < 0)
		return rt__op_wrap(op, rc);
	if (warnings.count > 0)
		return rt__op_fail(op, "ran, and its inverse cannot be written as operations (%s): "
				   "undo it by hand, then `retort stamp` the revision before",
				   warnings.items[0]);
	for (size_t i = 0; i < diff.upgrade.count; i++) {
		diff.upgrade.items[i]->pos = op->pos;
		if ((rc = push(arena, out, diff.upgrade.items[i])) < 0)
			return rc;
	}
	return RT_OK;
}

int rt__run_undo(run *r, rt_arena *scratch, rt_revision *rev, const rt_progress *from)
{
	const rt_migration *m = rev->migration;
	const rt_op_list *ops = from->upgrade ? &m->upgrade : &m->downgrade;
	plan pl;
	int rc = make_plan(r, scratch, ops, &pl);
	if (rc < 0)
		return rc;
	/* The schema before each operation that ran, and after the last. */
	size_t ran = 0;
	int64_t at = 0;
	while (ran < ops->count && at + pl.counts[ran] <= from->done && at < from->done)
		at += pl.counts[ran++];
	if (at != from->done)
		return rt__error_set(RT_EINVAL,
				     "%s records %" PRId64 " statements of %s run, which is not "
				     "where an operation ends: repair by hand and `retort stamp`",
				     RT_PROGRESS_TABLE, from->done, rev->id);
	rt_schema **states = calloc(ran + 1, sizeof(*states));
	rt_op_list *undo = calloc(ran + 1, sizeof(*undo));
	rt_migration holder = {0};
	if (!states || !undo || !(holder.scratch = rt__schema_new()))
		rc = rt__error_nomem();
	for (size_t i = 0; rc == RT_OK && i <= ran; i++) {
		states[i] = rt__op_state_copy(i ? states[i - 1] : r->state);
		if (!states[i])
			rc = RT_ENOMEM;
		else if (i > 0)
			rc = rt__op_apply(states[i], ops->items[i - 1]);
	}
	/* Every inverse is worked out before any runs: one that cannot be is
	 * refused with the database untouched. */
	for (size_t i = 0; rc == RT_OK && i < ran; i++)
		rc = inverse(r, &holder, ops->items[i], states[i], states[i + 1], &undo[i]);
	if (rc < 0)
		rt__error_wrap("the partial %s of %s cannot be undone",
			       from->upgrade ? "upgrade" : "downgrade", rev->id);

	rt_progress p = *from;
	p.failed_at = NULL;
	p.error = NULL;
	int64_t start = rt__run_now_us();
	bool open = true;
	for (size_t k = ran; rc == RT_OK && k-- > 0;) {
		bool atomic = r->dialect->caps.transactional_ddl;
		if (!open && (rc = rt__run_begin(r)) < 0)
			break;
		open = true;
		if (!atomic) {
			p.running_to = p.done;
			p.done -= pl.counts[k];
			p.failed_at = position(scratch, ops->items[k]);
			if ((rc = save_and_commit(r, &p)) < 0)
				break;
			open = false;
		}
		rt_schema *work = states[k + 1];
		size_t completed = 0; /* statements of the undo that ran */
		for (size_t j = 0; rc == RT_OK && j < undo[k].count; j++) {
			size_t n = 0;
			rc = rt__op_execute_counted(r->conn, undo[k].items[j], work, &n);
			completed += n;
			if (rc == RT_OK)
				rc = rt__op_apply(work, undo[k].items[j]);
		}
		if (rc < 0 && !atomic && completed == 0) {
			/* Refused, or failed at its first statement: nothing of
			 * the undo ran, the operation stays applied. */
			p.done = p.running_to;
			p.running_to = 0;
			save_failure(r, &p, ops->items[k], scratch);
			open = false;
			rt__error_wrap("undoing %s (statements %" PRId64 "-%" PRId64 " of %s) changed "
				       "nothing; the partial %s stays as it was",
				       position(scratch, ops->items[k]), p.done - pl.counts[k] + 1,
				       p.done, rev->id, from->upgrade ? "upgrade" : "downgrade");
			break;
		}
		if (rc < 0) {
			if (atomic) {
				save_failure(r, &p, ops->items[k], scratch);
				open = false;
			}
			rt__error_wrap("undoing %s (statements %" PRId64 "-%" PRId64 " of %s)",
				       position(scratch, ops->items[k]),
				       (atomic ? p.done : p.running_to) - pl.counts[k] + 1,
				       atomic ? p.done : p.running_to, rev->id);
			break;
		}
		if (atomic)
			p.done -= pl.counts[k];
		p.running_to = 0;
		p.failed_at = NULL;
		if (!open && (rc = rt__run_begin(r)) < 0)
			break;
		open = true;
		if ((rc = save_and_commit(r, &p)) < 0)
			break;
		open = false;
	}
	if (rc == RT_OK && open) /* nothing ran: only the row goes */
		rc = save_and_commit(r, &(rt_progress){.revision = rev->id});
	if (rc < 0 && r->conn->in_transaction)
		rt__run_rollback(r);
	r->replayed = false; /* states[] were the replay's copies; read again */
	if (rc == RT_OK) {
		double ms = (double)(rt__run_now_us() - start) / 1000.0;
		rt__buf_clear(&r->text);
		rt__buf_printf(&r->text, "INFO  Undoing the partial %s of %s: the %" PRId64
					 " statement(s) that ran, of %" PRId64,
			       from->upgrade ? "upgrade" : "downgrade", rev->id, from->done,
			       from->statements);
		rt__buf_printf(&r->text, ms < 10 ? " (%.1f ms)" : " (%.0f ms)", ms);
		if (!rt__buf_failed(&r->text))
			rt__run_progress(r, rt__buf_cstr(&r->text));
	}
	for (size_t i = 0; states && i <= ran; i++)
		rt_schema_free(states[i]);
	free(states);
	free(undo);
	rt_schema_free(holder.scratch);
	return rc;
}
