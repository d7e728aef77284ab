/*
 * migrations.h - what the migration commands share (migrations.c,
 * autogenerate.c): the settings of retort.ini they read, the scripts of
 * the versions folder and their graph, the database and where it stands,
 * progress lines and the library's messages about migrations.
 *
 * Only the migration commands include this file; it brings the library's
 * internal migration headers with it.
 */
#ifndef RT_CLI_MIGRATIONS_H
#define RT_CLI_MIGRATIONS_H

#include <pthread.h>
#include <stdbool.h>

#include "base/error.h"
#include "cli.h"
#include "migrate/diff.h"
#include "migrate/graph.h"
#include "migrate/migration.h"

/* retort.ini's migration keys, with their defaults. */
typedef struct cli_migrate_config {
	const char *script_location;   /* as retort.ini names it, beside the file */
	const char *versions;          /* script_location/versions */
	const char *template_path;     /* script_location/script.rt.tmpl */
	const char *file_template;     /* expanded once: "%(rev)s_%(slug)s" */
	const char *version_table;     /* "alembic_version" */
	bool transaction_per_revision;
	int lock_timeout_ms;           /* 0: the library's default */
	/* Comma-separated name patterns of what autogenerate and check look
	 * at, or NULL: include_objects (default *), exclude_objects (none). */
	const char *include_objects;
	const char *exclude_objects;
	/* schemas: the PostgreSQL schemas reflection, check and autogenerate
	 * read ("public, billing"); none listed: public alone. */
	const char **schemas;
	size_t schema_count;
} cli_migrate_config;

/* retort.ini's version_table in its version_table_schema: the name the
 * version tables go by ("meta.alembic_version", migrate/version.h).
 * Returns an exit status. */
int cli_version_table_setting(cli_ctx *ctx, const char **table);
/* retort.ini's schemas, split at commas, blanks trimmed; none when unset.
 * Returns an exit status. */
int cli_schemas_setting(cli_ctx *ctx, const char ***names, size_t *count);
/* CLI_EXIT_OK when every table of models is in a schema of names (public
 * when there are none), else an error naming the first that is not. */
int cli_schemas_cover(cli_ctx *ctx, const rt_schema *models, const char *const *names,
		      size_t count);

/* Reads the keys; an error when script_location is missing. */
int cli_migrate_config_read(cli_ctx *ctx, cli_migrate_config *out);

/* The scripts of the versions folder and their checked graph. */
typedef struct cli_scripts {
	rt_migration_set *set;
	rt_graph *graph;
} cli_scripts;

int cli_scripts_load(cli_ctx *ctx, const cli_migrate_config *config, cli_scripts *out);
void cli_scripts_free(cli_scripts *scripts);

/* The configured database: an engine always, a connection when asked. */
typedef struct cli_database {
	rt_engine *engine;
	rt_conn *conn;
} cli_database;

/* Opens the engine of the configured URL; connects unless offline. */
int cli_database_open(cli_ctx *ctx, cli_database *db, bool connect);
/* The same, connected, for a command that only reads: a database that
 * does not exist (an SQLite file) is not created. With missing, that is
 * no error: *missing is set and db->conn stays NULL; without, the error
 * names the file. */
int cli_database_open_existing(cli_ctx *ctx, cli_database *db, bool *missing);
void cli_database_close(cli_database *db);

/* The database's heads (its version table's rows), as revisions of the
 * graph, in ctx's arena. */
int cli_database_heads(cli_ctx *ctx, const cli_database *db, const cli_migrate_config *config,
		       const cli_scripts *scripts, rt_revlist *out);

/* Receives the runner's progress lines; ctx is the cli_ctx. */
void cli_progress(void *ctx, const char *line);

/*
 * Reports the library's last error for the migration commands. Messages
 * the migration modules write over several lines (the scripts' problems,
 * the edited scripts) keep their lines; the rest are reported as
 * cli_library_error does. Returns CLI_EXIT_ERROR.
 */
int cli_migrate_error(const char *context);

/* Reads the whole file at path into ctx's arena, NUL-terminated. With
 * optional, a file that does not exist gives *text NULL, not an error. */
int cli_read_file(cli_ctx *ctx, const char *path, bool optional, const char **text,
		  size_t *len);

/* Can text be a revision id of --rev-id: letters, digits and _, at most
 * 32 of them (the version table's column is VARCHAR(32))? */
bool cli_is_revision_id(const char *text);

/* --- autogenerate (autogenerate.c) ------------------------------------------ */

typedef enum cli_against {
	CLI_AGAINST_DATABASE,   /* reflect the live database */
	CLI_AGAINST_HISTORY     /* replay the scripts in memory */
} cli_against;

/* Reads --against database|history (NULL: database). */
int cli_against_option(cli_ctx *ctx, cli_against *out);

/* A database's schema read on a thread of its own while the command
 * parses its files (reflection.c). Between start and finish the
 * connection is the thread's; finish is called once for every start. */
typedef struct cli_reflection {
	pthread_t thread;
	bool started, finished;
	rt_conn *conn;
	const char *const *schemas;  /* retort.ini's schemas: what is read */
	size_t schema_count;
	rt_schema *schema;
	int rc;
	rt_error_state *errors;  /* the thread's error record */
} cli_reflection;

/* RT_OK (where no thread can be made, the schema is read at once); an
 * error only when out of memory. */
int cli_reflection_start(cli_reflection *r, rt_conn *conn, const char *const *schemas,
			 size_t schema_count);
/* Waits for the thread: the connection is the caller's again. */
void cli_reflection_wait(cli_reflection *r);
/* Waits, then hands over: *out is the schema (the caller's to free), or
 * NULL with the reading's error as the caller's own. */
int cli_reflection_finish(cli_reflection *r, rt_schema **out);

typedef struct cli_autogen {
	cli_against against;
	/* The revisions the new one revises: the state is theirs. The live
	 * database must stand exactly there. */
	const rt_revlist *parents;
	const char *const *renames;   /* --rename texts */
	size_t rename_count;
	bool ask;                     /* ask about likely renames (a terminal) */
	bool drop_unmanaged;          /* drop what is not managed (--drop-unmanaged) */
	/* The configured database, already open and connected by the caller
	 * (check reads its version table first), used and left open; NULL:
	 * opened and closed here. Opening once matters on a big database:
	 * each connection reads the database's whole catalogue again. */
	cli_database *db;
	/* A reading of db's schema the caller started (check starts it before
	 * parsing the scripts), finished here; NULL: started here, once where
	 * the database stands is known, and finished after the models are
	 * parsed. */
	cli_reflection *reflection;
} cli_autogen;

/*
 * Fills out->upgrade and out->downgrade (out->scratch set) with what turns
 * the state (the database, or the scripts replayed) into the models. The
 * differ's warnings go to stderr, and so do the objects of the database
 * that are not managed, one "not managed: view v" line each. The command's
 * --include-object and --exclude-object, when given, stand for retort.ini's
 * include_objects and exclude_objects. Returns an exit status.
 */
int cli_autogenerate(cli_ctx *ctx, const cli_migrate_config *config, const cli_scripts *scripts,
		     const cli_autogen *how, rt_migration *out);

/* One line per upgrade operation, "Detected added table 'users'", as
 * Alembic reports what autogenerate found (progress). */
void cli_report_operations(cli_ctx *ctx, const rt_op_list *ops);

#endif
