/*
 * embed.h - the pieces of the public migration API (embed.c) that its
 * blocking and non-blocking forms share: checking a call and parsing the
 * scripts (no database, so it is done at the call), then the run or the
 * reading of the version table (the database work, which the non-blocking
 * form runs on a fiber, embed_async.c).
 */
#ifndef RT_MIGRATE_EMBED_H
#define RT_MIGRATE_EMBED_H

#include "migrate/script.h"
#include "retort/migrate.h"

/* Checks a run's arguments and parses the scripts into *set (free it
 * with rt__migration_set_free). */
int rt__embedded_check(const rt_migrations *migrations, rt_migrate_direction direction,
		       const char *target, const rt_migrate_options *opts, rt_migration_set **set);
/* Checks the scripts and parses them into *set. */
int rt__embedded_load(const rt_migrations *migrations, rt_migration_set **set);

/* rt_migrate_run's database work, on a connection of its own. */
int rt__embedded_run(rt_engine *engine, const rt_migrations *migrations,
		     const rt_migration_set *set, rt_migrate_direction direction,
		     const char *target, const rt_migrate_options *opts);
/* rt_migrate_current's database work. */
int rt__embedded_current(rt_engine *engine, const rt_migrations *migrations,
			 const rt_migration_set *set, char **out);

#endif
