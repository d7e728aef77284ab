/*
 * progress.h - the progress of a revision run statement by statement.
 *
 * Where DDL is not transactional (the dialect's caps.transactional_ddl),
 * and for a revision written `transaction none`, a revision runs one
 * operation at a time, each committed by itself; a failure in the middle
 * leaves part of the revision applied. retort then records how far it
 * got in a table of its own, in the same database:
 *
 *     CREATE TABLE retort_migration_progress (
 *         revision    VARCHAR(32) NOT NULL PRIMARY KEY,
 *         direction   VARCHAR(9)  NOT NULL,  -- 'upgrade' or 'downgrade'
 *         checksum    VARCHAR(100) NOT NULL, -- the script's, sha256:<hex>
 *         statements  BIGINT NOT NULL,       -- of the revision, that way
 *         done        BIGINT NOT NULL,       -- statements that ran
 *         running_to  BIGINT,                -- statements done+1..running_to
 *                                            -- were started, outcome unknown
 *         failed_at   VARCHAR(1000),         -- file:line of the operation
 *         error       TEXT)                  -- the database's message
 *
 * A row exists only while a revision is partly applied (or partly
 * removed): the version table keeps the revision before it (Alembic's
 * table is never changed in shape or meaning), and the row goes when the
 * revision completes or is undone. Like the version tables, the table is
 * never compared with the models nor dropped (diff.c).
 */
#ifndef RT_MIGRATE_PROGRESS_H
#define RT_MIGRATE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "retort/engine.h"

#define RT_PROGRESS_TABLE "retort_migration_progress"

typedef struct rt_progress {
	const char *revision;
	bool upgrade;            /* the direction the revision was running */
	const char *checksum;    /* the script's when it started */
	int64_t statements;      /* of the revision in that direction */
	int64_t done;            /* statements that ran, in order */
	int64_t running_to;      /* > done: statements started, outcome unknown; else 0 */
	const char *failed_at;   /* "file:line" of the operation that failed, or NULL */
	const char *error;       /* its error, or NULL */
} rt_progress;

/* The rows (none when the table does not exist), copied into arena. */
int rt__progress_read(rt_conn *conn, rt_arena *arena, rt_progress **rows, size_t *count);

/* The row of revision in rows, or NULL. */
const rt_progress *rt__progress_find(const rt_progress *rows, size_t count,
				     const char *revision);

/* Creates the table where missing. */
int rt__progress_create(rt_conn *conn);

/* Writes p as the row of its revision (replacing one there). */
int rt__progress_write(rt_conn *conn, const rt_progress *p);

/* Deletes the row of revision (nothing when there is none, or no table). */
int rt__progress_delete(rt_conn *conn, const char *revision);

/* Deletes every row, when the table exists (stamp). */
int rt__progress_clear(rt_conn *conn);

/* "partial: 3 of 7 statements, failed at versions/x.rt:14", as `current`
 * and `history` print it after the revision id. */
void rt__progress_describe(rt_buf *buf, const rt_progress *p);

#endif
