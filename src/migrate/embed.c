/*
 * embed.c - the public migration API (retort/migrate.h): runs the scripts
 * a program carries in memory, as `retort embed` wrote them out.
 *
 * Each call parses the scripts into a set, opens one connection of the
 * engine and hands both to the runner, which does the work of `retort
 * upgrade` and `retort downgrade`; nothing outlives the call. Parsing
 * every time costs little next to the database round trips, and keeps the
 * program free of state to set up or tear down. The non-blocking forms
 * (embed_async.c) check and parse at the call and run the rest on a fiber
 * through the pieces below (embed.h).
 */
#include "retort/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "migrate/embed.h"
#include "migrate/graph.h"
#include "migrate/runner.h"
#include "migrate/script.h"
#include "migrate/version.h"

static int check_migrations(const rt_migrations *migrations)
{
	if (!migrations)
		return rt__error_set(RT_EINVAL, "migrate: migrations is NULL");
	if (migrations->version < 1 || migrations->version > RT_MIGRATIONS_VERSION)
		return rt__error_set(RT_EINVAL,
				     "migrate: migrations of version %d; this library reads "
				     "version %d (regenerate them with `retort embed`)",
				     migrations->version, RT_MIGRATIONS_VERSION);
	if (migrations->count > 0 && !migrations->scripts)
		return rt__error_set(RT_EINVAL, "migrate: %zu scripts announced but none given",
				     migrations->count);
	for (size_t i = 0; i < migrations->count; i++)
		if (!migrations->scripts[i].name || !migrations->scripts[i].text)
			return rt__error_set(RT_EINVAL, "migrate: script %zu has no name or no text",
					     i + 1);
	return RT_OK;
}

/* The scripts as a set, parsed and checked. */
static int load_set(rt_migration_set **out, const rt_migrations *migrations)
{
	*out = NULL;
	int rc = check_migrations(migrations);
	if (rc < 0)
		return rc;
	size_t count = migrations->count;
	rt_script_source *sources = calloc(count ? count : 1, sizeof(*sources));
	if (!sources)
		return rt__error_nomem();
	for (size_t i = 0; i < count; i++) {
		sources[i].name = migrations->scripts[i].name;
		sources[i].text = migrations->scripts[i].text;
		sources[i].len = migrations->scripts[i].len;
	}
	rc = rt__migration_set_parse(out, sources, count, 0);
	free(sources);
	return rc;
}

static const char *version_table(const rt_migrations *migrations)
{
	const char *table = migrations->version_table;
	return table && *table ? table : RT_VERSION_TABLE_DEFAULT;
}

static int open_conn(rt_conn **conn, rt_engine *engine)
{
	*conn = NULL;
	if (!engine)
		return rt__error_set(RT_EINVAL, "migrate: engine is NULL");
	return rt_conn_open(conn, engine);
}

int rt__embedded_check(const rt_migrations *migrations, rt_migrate_direction direction,
		       const char *target, const rt_migrate_options *opts, rt_migration_set **set)
{
	*set = NULL;
	if (!target || !*target)
		return rt__error_set(RT_EINVAL, "migrate: no target revision");
	if (direction != RT_MIGRATE_UPGRADE && direction != RT_MIGRATE_DOWNGRADE)
		return rt__error_set(RT_EINVAL, "migrate: unknown direction %d", (int)direction);
	if (opts && (opts->version < 1 || opts->version > RT_MIGRATE_OPTIONS_VERSION))
		return rt__error_set(RT_EINVAL, "migrate: options of unknown version %d",
				     opts->version);
	return load_set(set, migrations);
}

int rt__embedded_run(rt_engine *engine, const rt_migrations *migrations,
		     const rt_migration_set *set, rt_migrate_direction direction,
		     const char *target, const rt_migrate_options *opts)
{
	rt_conn *conn = NULL;
	int rc = open_conn(&conn, engine);
	if (rc == RT_OK) {
		rt_run_options run = RT_RUN_OPTIONS_INIT;
		run.version_table = version_table(migrations);
		run.transaction_per_revision = migrations->transaction_per_revision != 0;
		if (opts) {
			run.lock_timeout_ms = opts->lock_timeout_ms;
			run.ignore_checksums = opts->ignore_checksums != 0;
			run.progress = opts->progress;
			run.progress_ctx = opts->progress_ctx;
		}
		rc = rt__migrate_run(conn, set, target,
				     direction == RT_MIGRATE_UPGRADE ? RT_RUN_UPGRADE
								     : RT_RUN_DOWNGRADE,
				     &run);
	}
	rt_conn_close(conn);
	return rc;
}

int rt_migrate_run(rt_engine *engine, const rt_migrations *migrations,
		   rt_migrate_direction direction, const char *target,
		   const rt_migrate_options *opts)
{
	rt_migration_set *set = NULL;
	int rc = rt__embedded_check(migrations, direction, target, opts, &set);
	if (rc == RT_OK)
		rc = rt__embedded_run(engine, migrations, set, direction, target, opts);
	rt__migration_set_free(set);
	return rc;
}

int rt_migrate_upgrade(rt_engine *engine, const rt_migrations *migrations, const char *target)
{
	return rt_migrate_run(engine, migrations, RT_MIGRATE_UPGRADE, target, NULL);
}

int rt_migrate_downgrade(rt_engine *engine, const rt_migrations *migrations,
			 const char *target)
{
	return rt_migrate_run(engine, migrations, RT_MIGRATE_DOWNGRADE, target, NULL);
}

/* The rows, checked against the scripts' graph, as "a b". */
static int current_text(rt_conn *conn, const rt_migrations *migrations,
			const rt_migration_set *set, char **out)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_graph *graph = NULL;
	const char **ids = NULL;
	size_t count = 0;
	rt_revlist current = {0};
	int rc = rt__graph_build(&graph, set);
	if (rc == RT_OK)
		rc = rt__version_heads(conn, version_table(migrations), arena, &ids, &count);
	if (rc == RT_OK)
		rc = rt__graph_current(graph, arena, ids, count, &current);
	if (rc == RT_OK) {
		rt_buf buf = RT_BUF_INIT;
		rt__buf_puts(&buf, "");
		for (size_t i = 0; i < current.count; i++)
			rt__buf_printf(&buf, "%s%s", i ? " " : "", current.items[i]->id);
		*out = rt__buf_failed(&buf) ? NULL : rt__buf_detach(&buf);
		rt__buf_free(&buf);
		if (!*out)
			rc = rt__error_nomem();
	}
	rt__graph_free(graph);
	rt__arena_free(arena);
	return rc;
}

int rt__embedded_load(const rt_migrations *migrations, rt_migration_set **set)
{
	return load_set(set, migrations);
}

int rt__embedded_current(rt_engine *engine, const rt_migrations *migrations,
			 const rt_migration_set *set, char **out)
{
	*out = NULL;
	rt_conn *conn = NULL;
	int rc = open_conn(&conn, engine);
	if (rc == RT_OK)
		rc = current_text(conn, migrations, set, out);
	rt_conn_close(conn);
	return rc;
}

int rt_migrate_current(rt_engine *engine, const rt_migrations *migrations, char **out)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "migrate: out is NULL");
	*out = NULL;
	rt_migration_set *set = NULL;
	int rc = load_set(&set, migrations);
	if (rc == RT_OK)
		rc = rt__embedded_current(engine, migrations, set, out);
	rt__migration_set_free(set);
	return rc;
}
