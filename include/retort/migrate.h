/*
 * retort/migrate.h - running migrations from a program (embedded
 * migrations).
 *
 * `retort embed -o migrations.c` turns the scripts of a versions folder
 * into a C source that defines an rt_migrations value; a program built
 * with it migrates its own database at start-up, with no CLI and no script
 * files at run time:
 *
 *     extern const rt_migrations migrations;
 *     ...
 *     if (rt_migrate_upgrade(engine, &migrations, "head") != RT_OK)
 *         fprintf(stderr, "%s\n", rt_error_last()->message);
 *
 * The runs are those of `retort upgrade` and `retort downgrade`: the same
 * targets (head, heads, base, an id or unique prefix, +N, -N, label@head),
 * the same version table (Alembic's alembic_version, plus retort_history),
 * the same lock, one transaction per run unless told otherwise, and a
 * failure leaves the database at the revision it last committed.
 *
 * An event-loop program migrates from its loop with the non-blocking
 * forms, rt_async_migrate_* (below; retort/async.h): the same runs, whose
 * waits for the database and for the lock yield to the loop.
 */
#ifndef RETORT_MIGRATE_H
#define RETORT_MIGRATE_H

#include <stddef.h>
#include "retort/async.h"
#include "retort/common.h"
#include "retort/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One script: the name of its file (used in messages, "file:line") and
 * its text. len 0 means the text is NUL-terminated. */
typedef struct rt_migration_script {
	const char *name;
	const char *text;
	size_t len;
} rt_migration_script;

/* The scripts of a versions folder, in file-name order, with the
 * settings of retort.ini that describe the database's bookkeeping. */
typedef struct rt_migrations {
	int version;                        /* RT_MIGRATIONS_VERSION */
	const rt_migration_script *scripts;
	size_t count;
	const char *version_table;          /* NULL: alembic_version */
	int transaction_per_revision;       /* non-zero: commit after each revision */
} rt_migrations;

#define RT_MIGRATIONS_VERSION 1

typedef enum rt_migrate_direction {
	RT_MIGRATE_UPGRADE,
	RT_MIGRATE_DOWNGRADE
} rt_migrate_direction;

typedef struct rt_migrate_options {
	int version;                /* RT_MIGRATE_OPTIONS_VERSION */
	int lock_timeout_ms;        /* how long to wait for another run; 0: 60 s */
	int ignore_checksums;       /* non-zero: run even if applied scripts were edited */
	/* Called with one line per revision run, as the command prints it:
	 * "INFO  Running upgrade  -> 855e78fafd96, init (2.1 ms)". NULL: quiet. */
	void (*progress)(void *ctx, const char *line);
	void *progress_ctx;
} rt_migrate_options;

#define RT_MIGRATE_OPTIONS_VERSION 1
#define RT_MIGRATE_OPTIONS_INIT {RT_MIGRATE_OPTIONS_VERSION, 0, 0, NULL, NULL}

/* Upgrades the database of engine to target ("head" for the newest). */
RT_API int rt_migrate_upgrade(rt_engine *engine, const rt_migrations *migrations,
			      const char *target);
/* Downgrades it to target ("-1", "base", a revision). */
RT_API int rt_migrate_downgrade(rt_engine *engine, const rt_migrations *migrations,
				const char *target);
/* Either, with options (opts may be NULL). */
RT_API int rt_migrate_run(rt_engine *engine, const rt_migrations *migrations,
			  rt_migrate_direction direction, const char *target,
			  const rt_migrate_options *opts);

/*
 * The revisions the database is at (the rows of its version table), as
 * one string of ids separated by spaces, "" for a database at base (or
 * never migrated). Free it with rt_free. RT_ENOTFOUND when the version
 * table names a revision none of the scripts defines.
 */
RT_API int rt_migrate_current(rt_engine *engine, const rt_migrations *migrations, char **out);

/*
 * The non-blocking forms, for event-loop programs (retort/async.h): the
 * same runs on the engine of async, as operations that never block the
 * loop - their database waits, and the pauses of a run waiting for
 * another's lock, yield to it. done(op, rc, user) is called exactly once,
 * from the loop's side; a call that fails at once (bad arguments, a script
 * that does not parse) returns the error and never calls it. The call
 * copies target and opts; migrations must stay valid until done (the
 * `const rt_migrations` of `retort embed` always is). opts->progress is
 * called from inside the loop's calls, on the operation's stack, and must
 * not start operations itself. rt_async_cancel ends a run at its next wait
 * with RT_ECANCELED, its transaction rolled back.
 *
 *     static void migrated(rt_async_op *op, int rc, void *user)
 *     {
 *         if (rc != RT_OK)
 *             fprintf(stderr, "%s\n", rt_error_last()->message);
 *         else
 *             start_serving(user);
 *     }
 *     ...
 *     rt_async_migrate_upgrade(async, NULL, &migrations, "head", migrated, app);
 */
RT_API int rt_async_migrate_run(rt_async *async, rt_async_op **op,
				const rt_migrations *migrations, rt_migrate_direction direction,
				const char *target, const rt_migrate_options *opts,
				rt_async_done done, void *user);
RT_API int rt_async_migrate_upgrade(rt_async *async, rt_async_op **op,
				    const rt_migrations *migrations, const char *target,
				    rt_async_done done, void *user);
RT_API int rt_async_migrate_downgrade(rt_async *async, rt_async_op **op,
				      const rt_migrations *migrations, const char *target,
				      rt_async_done done, void *user);
/* rt_migrate_current's answer is in *out when done is called with RT_OK
 * (free it with rt_free); *out stays NULL otherwise. */
RT_API int rt_async_migrate_current(rt_async *async, rt_async_op **op,
				    const rt_migrations *migrations, char **out,
				    rt_async_done done, void *user);

#ifdef __cplusplus
}
#endif
#endif
