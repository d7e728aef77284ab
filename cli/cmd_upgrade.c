/*
 * cmd_upgrade.c - moving the database between revisions: `retort
 * upgrade`, `downgrade` and `stamp`.
 *
 * The runner (src/migrate/runner.c) does the work; these commands read
 * the settings, load the scripts and hand it a connection, or with --sql
 * only the dialect: offline mode writes the whole SQL to stdout for a DBA
 * to review, transactions and version-table statements included, and
 * touches no database. Progress lines go to stderr as Alembic prints
 * them, one per revision with the time it took:
 *     INFO  Running upgrade  -> bb7e42472e18, init migration (4.2 ms)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "migrate/runner.h"
#include "migrations.h"

#define LOCK_TIMEOUT_HELP                                                     \
	"how long to wait for another run to finish\n"                          \
	"(default: lock_timeout of retort.ini, else 60)"

static const cli_option upgrade_options[] = {
	{"sql", 0, NULL, "print the SQL instead of running it (offline mode);\n"
			 "TARGET may be FROM:TO", NULL},
	{"ignore-checksums", 0, NULL, "run even if applied scripts were edited since", NULL},
	{"lock-timeout", 0, "SECONDS", LOCK_TIMEOUT_HELP, NULL},
	{0},
};

static const cli_option downgrade_options[] = {
	{"sql", 0, NULL, "print the SQL instead of running it (offline mode);\n"
			 "TARGET must be FROM:TO, e.g. head:-1", NULL},
	{"ignore-checksums", 0, NULL, "run even if applied scripts were edited since", NULL},
	{"lock-timeout", 0, "SECONDS", LOCK_TIMEOUT_HELP, NULL},
	{0},
};

static const cli_option stamp_options[] = {
	{"purge", 0, NULL, "first delete every row of the version table, even\n"
			   "rows naming revisions no script defines", NULL},
	{"sql", 0, NULL, "print the SQL instead of running it (offline mode)", NULL},
	{"lock-timeout", 0, "SECONDS", LOCK_TIMEOUT_HELP, NULL},
	{0},
};

/* --lock-timeout beats retort.ini's lock_timeout. */
static int lock_timeout(cli_ctx *ctx, const cli_migrate_config *config, int *ms)
{
	*ms = config->lock_timeout_ms;
	const char *text = cli_option_value(ctx, "lock-timeout");
	if (!text)
		return CLI_EXIT_OK;
	char *end = NULL;
	double seconds = strtod(text, &end);
	if (end == text || *end || !(seconds >= 0) || seconds > 2000000.0)
		return cli_usage_error(ctx->command, "--lock-timeout takes a number of seconds, "
				       "not '%s'", text);
	*ms = (int)(seconds * 1000.0 + 0.5);
	if (*ms < 1)
		*ms = 1; /* 0 would mean the default: "don't wait" is as short as can be */
	return CLI_EXIT_OK;
}

typedef enum action { ACTION_UPGRADE, ACTION_DOWNGRADE, ACTION_STAMP } action;

static int carry_out(cli_ctx *ctx, action what, const cli_scripts *scripts, rt_conn *conn,
		     const char *target, const rt_run_options *opts)
{
	int rc;
	if (what == ACTION_STAMP)
		rc = rt__migrate_stamp(conn, scripts->set, target,
				       cli_option_value(ctx, "purge") != NULL, opts);
	else
		rc = rt__migrate_run(conn, scripts->set, target,
				     what == ACTION_UPGRADE ? RT_RUN_UPGRADE : RT_RUN_DOWNGRADE,
				     opts);
	if (rc != RT_OK)
		return cli_migrate_error(NULL);
	if (opts->sql_only && fflush(stdout) != 0)
		return cli_error("cannot write to standard output");
	return CLI_EXIT_OK;
}

static int run(cli_ctx *ctx, action what)
{
	if (ctx->arg_count != 1)
		return cli_usage_error(ctx->command, "%s needs a target revision: %s",
				       ctx->command->name,
				       what == ACTION_DOWNGRADE ? "-1, base or a revision"
								: "head, +1 or a revision");
	bool offline = cli_option_value(ctx, "sql") != NULL;
	cli_migrate_config config;
	cli_scripts scripts = {0};
	cli_database db = {0};
	rt_run_options opts = RT_RUN_OPTIONS_INIT;
	int status = cli_migrate_config_read(ctx, &config);
	if (status == CLI_EXIT_OK)
		status = lock_timeout(ctx, &config, &opts.lock_timeout_ms);
	if (status == CLI_EXIT_OK)
		status = cli_scripts_load(ctx, &config, &scripts);
	if (status == CLI_EXIT_OK)
		status = cli_database_open(ctx, &db, !offline);
	if (status == CLI_EXIT_OK) {
		opts.version_table = config.version_table;
		opts.transaction_per_revision = config.transaction_per_revision;
		opts.sql_only = offline;
		opts.sql_out = offline ? stdout : NULL;
		opts.dialect = db.engine->dialect;
		opts.ignore_checksums = cli_option_value(ctx, "ignore-checksums") != NULL;
		opts.progress = cli_progress;
		opts.progress_ctx = ctx;
		status = carry_out(ctx, what, &scripts, db.conn, ctx->args[0], &opts);
	}
	cli_database_close(&db);
	cli_scripts_free(&scripts);
	return status;
}

static int run_upgrade(cli_ctx *ctx)
{
	return run(ctx, ACTION_UPGRADE);
}

static int run_downgrade(cli_ctx *ctx)
{
	return run(ctx, ACTION_DOWNGRADE);
}

static int run_stamp(cli_ctx *ctx)
{
	return run(ctx, ACTION_STAMP);
}

const cli_command cli_command_upgrade = {
	.name = "upgrade",
	.summary = "apply the scripts up to a revision",
	.usage = "upgrade TARGET [--sql] [--ignore-checksums] [--lock-timeout S]",
	.description =
		"Applies every revision the database lacks up to TARGET: head (the newest;\n"
		"an error when the scripts have several heads), heads (all of them), an\n"
		"id or unique prefix, +N (N revisions up), REV+N, a branch label or\n"
		"label@head. Each revision's operations and its version-table row commit\n"
		"together: one transaction for the run, or one per revision with\n"
		"transaction_per_revision = true in retort.ini. A failing operation rolls\n"
		"back, the database stays at the revision it last committed, and the\n"
		"message names the script, the line and the database's error.\n"
		"\n"
		"An applied script that was edited since is refused (--ignore-checksums\n"
		"runs anyway). One run at a time per database: a second waits for the\n"
		"lock, then finds the work done. With --sql nothing runs: the SQL of the\n"
		"upgrade is printed, from base or from FROM in FROM:TO.",
	.options = upgrade_options,
	.max_args = 1,
	.run = run_upgrade,
	.arg_values = "@revision",
	.examples = "    retort upgrade head\n"
		    "    retort upgrade +1\n"
		    "    retort upgrade head --sql > upgrade.sql",
	.see_also = "downgrade stamp current history revision",
};

const cli_command cli_command_downgrade = {
	.name = "downgrade",
	.summary = "revert the scripts down to a revision",
	.usage = "downgrade TARGET [--sql] [--ignore-checksums] [--lock-timeout S]",
	.description =
		"Runs the downgrade blocks of the applied revisions above TARGET, newest\n"
		"first: -N (N revisions down), base (everything), an id or unique prefix,\n"
		"REV-N, label@base. Transactions, locking and failures as for upgrade.\n"
		"With --sql the SQL is printed instead; the target must then say where the\n"
		"database is: FROM:TO, e.g. head:-1 or ae1027a6acf0:base.",
	.options = downgrade_options,
	.max_args = 1,
	.run = run_downgrade,
	.arg_values = "@revision",
	.examples = "Undo the last migration, then every migration:\n"
		    "\n"
		    "    retort downgrade -1\n"
		    "    retort downgrade base\n"
		    "\n"
		    "Print the SQL that undoes the last migration, without running it:\n"
		    "\n"
		    "    retort downgrade head:-1 --sql",
	.see_also = "upgrade stamp history",
};

const cli_command cli_command_stamp = {
	.name = "stamp",
	.summary = "set the version table to a revision without running anything",
	.usage = "stamp TARGET [--purge] [--sql]",
	.description =
		"Writes TARGET into the version table without running any operation: for\n"
		"a database whose tables were made another way, or to move the record\n"
		"after a manual fix. TARGET as for upgrade or downgrade; base empties\n"
		"the table. --purge first deletes every row, even rows naming revisions\n"
		"no script defines (after scripts were deleted).",
	.options = stamp_options,
	.max_args = 1,
	.run = run_stamp,
	.arg_values = "@revision",
	.examples = "A database whose tables were made another way:\n"
		    "\n"
		    "    retort stamp head",
	.see_also = "upgrade downgrade current",
};
