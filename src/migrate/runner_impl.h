/*
 * runner_impl.h - what runner.c shares with runner_steps.c: the state of
 * a run, and the steps both use (transactions, the replayed schema, the
 * history rows, messages).
 */
#ifndef RT_MIGRATE_RUNNER_IMPL_H
#define RT_MIGRATE_RUNNER_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "migrate/graph.h"
#include "migrate/progress.h"
#include "migrate/runner.h"
#include "migrate/version.h"

typedef struct run {
	rt_conn *conn;                /* NULL offline */
	const rt_dialect *dialect;
	const rt_run_options *opts;
	bool upgrade;
	const char *target;
	char *target_copy;            /* a relative target less the step an undo took */
	rt_graph *graph;
	rt_schema *state;             /* the schema the database is at */
	bool *rows;                   /* the version table's rows, by revision index */
	bool replayed;                /* state and rows are this run's own */
	/* The revisions to apply (or remove), fixed when the target is first
	 * resolved under the lock: a relative target (-1, +2) means from
	 * where the run started, not from where each transaction starts. */
	bool *goal;
	/* Online, the version table and history are written once per
	 * transaction, at its end: the rows it began with, and the history
	 * rows it owes. */
	bool *begin_rows;
	rt_history_entry *pending;
	size_t pending_count, pending_cap;
	rt_version_writer writer;
	rt_lock *lock;
	bool keys_off;                /* foreign-key enforcement switched off */
	size_t steps;
	rt_buf text;
} run;

/* Does rev run statement by statement, each operation committed by
 * itself? Where DDL is not transactional, always; elsewhere when its
 * script says `transaction none`. */
bool rt__run_stepwise(const run *r, const rt_revision *rev);

/* runner.c */
int64_t rt__run_now_us(void);
void rt__run_progress(const run *r, const char *line);
/* The same as a lock's waiting and warning callback (ctx: the run). */
void rt__run_progress_waiting(void *ctx, const char *line);
void rt__run_describe_step(rt_buf *buf, const run *r, const rt_revision *rev);
int rt__run_record(run *r, const rt_revision *rev, int64_t duration_ms);
int rt__run_begin(run *r);
int rt__run_commit(run *r);
void rt__run_rollback(run *r);

/* A failure's error record, kept while more statements run after it. */
typedef struct rt_saved_error rt_saved_error;
rt_saved_error *rt__run_error_save(void);
/* Records the saved error again (if any) and frees it. */
void rt__run_error_restore(rt_saved_error *saved);

/* runner_steps.c. Both are called inside a transaction the caller began,
 * with r->state the schema of r->rows, and return with no transaction
 * open. */

/* Runs rev in the run's direction operation by operation from where p
 * (NULL: none) says it stopped, recording the progress after each one;
 * the last one moves the version table and writes the history row. */
int rt__run_steps(run *r, rt_arena *scratch, rt_revision *rev, const rt_progress *p);

/* Undoes the operations of rev that p says ran (p's direction, the
 * opposite of the run's), in reverse order, by their inverse; refused
 * before anything runs when one has none. The version table does not
 * move: it still holds where the revision started. */
int rt__run_undo(run *r, rt_arena *scratch, rt_revision *rev, const rt_progress *p);

/* Between runner.c and runner_stamp.c: a run set up for target (upgrade
 * or downgrade) and freed; the heads the version table holds; and an
 * offline run's `FROM:TO`, where the database is taken to be. */
int rt__run_init(run *r, rt_conn *conn, const rt_migration_set *set, const char *target,
		 bool upgrade, const rt_run_options *opts);
void rt__run_free(run *r);
int rt__run_read_heads(run *r, rt_arena *arena, rt_revlist *current);
int rt__run_offline_start(run *r, rt_arena *arena, rt_revlist *current);

#endif
