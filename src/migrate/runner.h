/*
 * runner.h - running migrations: upgrade, downgrade and stamp.
 *
 * A run reads the version table, finds the revisions to apply or remove
 * (graph.h), takes the migration lock (lock.h), and carries out each
 * revision's operations (ops.h) together with its version-table change
 * (version.h) in one transaction: by default one for the whole run, as
 * Alembic does; with transaction_per_revision one per revision. A failing
 * operation rolls its transaction back, so the database stays at the
 * revision it last committed, and the message names the script file, the
 * operation's line and the database's own error.
 *
 * The schema the database is at is known by replaying the applied
 * scripts from base in memory (rt__op_apply), never by reflection; a run
 * with nothing to do reads the version table and nothing else.
 *
 * With sql_only the run needs no connection: it writes the whole SQL,
 * transactions and version-table statements included, for a DBA to read
 * (`upgrade --sql`). The target may then be `FROM:TO`; without FROM an
 * upgrade starts at base, and a downgrade must name it.
 */
#ifndef RT_MIGRATE_RUNNER_H
#define RT_MIGRATE_RUNNER_H

#include <stdbool.h>
#include <stdio.h>

#include "dialect/dialect.h"
#include "migrate/lock.h"
#include "migrate/migration.h"
#include "retort/engine.h"

typedef enum rt_run_direction {
	RT_RUN_UPGRADE,
	RT_RUN_DOWNGRADE
} rt_run_direction;

typedef struct rt_run_options {
	const char *version_table;      /* NULL: alembic_version */
	bool transaction_per_revision;  /* commit after each revision */
	bool sql_only;                  /* write the SQL to sql_out, run nothing */
	FILE *sql_out;
	const rt_dialect *dialect;      /* sql_only without a connection */
	bool ignore_checksums;          /* run even if applied scripts were edited */
	int lock_timeout_ms;            /* 0: 60 s */
	int lock_method;                /* RT_LOCK_METHOD_DEFAULT: the dialect's */
	/* Receives one line per revision, as Alembic logs it, with the time
	 * it took: "INFO  Running upgrade a -> b, message (12 ms)"; and a
	 * line when waiting for the lock. */
	void (*progress)(void *ctx, const char *line);
	void *progress_ctx;
	size_t *steps;                  /* when set, receives the revisions run */
} rt_run_options;

#define RT_RUN_OPTIONS_INIT                                                   \
	{NULL, false, false, NULL, NULL, false, 0, RT_LOCK_METHOD_DEFAULT, NULL, NULL, NULL}

/* Upgrades or downgrades the database on conn to target (graph.h). opts
 * may be NULL. conn may be NULL with sql_only. RT_EDRIFT when an applied
 * script was edited (unless ignore_checksums). */
int rt__migrate_run(rt_conn *conn, const rt_migration_set *set, const char *target,
		    rt_run_direction direction, const rt_run_options *opts);

/* Sets the version table to target without running any operation; purge
 * first deletes every row (even of revisions no script defines). */
int rt__migrate_stamp(rt_conn *conn, const rt_migration_set *set, const char *target,
		      bool purge, const rt_run_options *opts);

#endif
