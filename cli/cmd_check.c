/*
 * cmd_check.c - `retort check`: the drift check for CI.
 *
 * Exits 1, listing each problem on stdout, when
 *   - the scripts have several heads (two branches each added a revision:
 *     'retort merge heads' joins them);
 *   - an applied script was edited after it was applied (its checksum in
 *     retort_history differs from the file's);
 *   - autogenerate would write operations: the models and the database
 *     (at the head) differ. As with `revision --autogenerate`, a database
 *     that is not at the head is an error.
 * Otherwise it prints Alembic's "No new upgrade operations detected." and
 * exits 0. With --against history the scripts replayed in memory stand in
 * for the database, and no database is needed (nor are edits looked for).
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "migrate/script.h"
#include "migrate/version.h"
#include "migrations.h"

static const cli_option options[] = {
	{"against", 0, "WHAT", "database (the default): compare the models with the\n"
			       "live database; history: with the scripts replayed",
	 "database|history"},
	{"include-object", 0, "PAT", "look only at names matching PAT (for retort.ini's\n"
				     "include_objects); may repeat", NULL},
	{"exclude-object", 0, "PAT", "leave names matching PAT alone (for retort.ini's\n"
				     "exclude_objects); may repeat", NULL},
	{0},
};

/* Alembic's words for a clean check. */
static const char all_clear[] = "No new upgrade operations detected.\n";

typedef struct findings {
	rt_buf out;       /* the listing, for stdout */
	rt_buf reasons;   /* the one-line summary */
} findings;

static void found(findings *f, const char *reason)
{
	rt__buf_printf(&f->reasons, "%s%s", f->reasons.len ? "; " : "", reason);
}

static void check_heads(findings *f, const cli_scripts *scripts)
{
	const rt_revlist *heads = &scripts->graph->heads;
	if (heads->count < 2)
		return;
	rt__buf_printf(&f->out, "Multiple heads are present; 'retort merge heads' joins them:\n");
	for (size_t i = 0; i < heads->count; i++)
		rt__buf_printf(&f->out, "  %s (%s)\n", heads->items[i]->id,
			       rt__revision_file(heads->items[i]));
	found(f, "multiple heads");
}

/* Looks for edited scripts in the open database. */
static int check_edited(cli_ctx *ctx, findings *f, const cli_migrate_config *config,
			const cli_scripts *scripts, cli_database *db)
{
	rt_revlist current, edited = {0};
	const char **applied = NULL;
	int status = cli_database_heads(ctx, db, config, scripts, &current);
	if (status == CLI_EXIT_OK && rt__version_edited(db->conn, config->version_table,
							scripts->graph, ctx->arena, &current,
							&edited, &applied) != RT_OK)
		status = cli_migrate_error(NULL);
	if (status != CLI_EXIT_OK || edited.count == 0)
		return status;
	rt__buf_puts(&f->out, "Applied scripts were edited since they were applied:\n");
	for (size_t i = 0; i < edited.count; i++)
		rt__buf_printf(&f->out, "  %s (revision %s): applied %s, now %s\n",
			       rt__revision_file(edited.items[i]), edited.items[i]->id, applied[i],
			       edited.items[i]->migration->checksum);
	found(f, "edited scripts");
	return CLI_EXIT_OK;
}

static int check_models(cli_ctx *ctx, findings *f, const cli_migrate_config *config,
			const cli_scripts *scripts, cli_against against, cli_database *db,
			cli_reflection *reading)
{
	cli_autogen how = {.against = against, .parents = &scripts->graph->heads,
			   .db = db->conn ? db : NULL, .reflection = reading};
	rt_migration m = {0};
	int status = cli_autogenerate(ctx, config, scripts, &how, &m);
	if (status == CLI_EXIT_OK && m.upgrade.count > 0) {
		rt__buf_puts(&f->out, "New upgrade operations detected:\n");
		if (rt__script_print_ops(&f->out, &m.upgrade, "  ") != RT_OK)
			status = cli_library_error(NULL);
		rt__buf_putc(&f->out, '\n');
		found(f, "the models and the database differ");
	}
	rt_schema_free(m.scratch);
	return status;
}

static int run_check(cli_ctx *ctx)
{
	cli_migrate_config config;
	cli_scripts scripts = {0};
	cli_against against;
	findings f = {RT_BUF_INIT, RT_BUF_INIT};
	findings differences = {RT_BUF_INIT, RT_BUF_INIT}; /* the models' */
	cli_database db = {0};
	cli_reflection reading;
	bool reading_started = false;
	int status = cli_against_option(ctx, &against);
	if (status == CLI_EXIT_OK)
		status = cli_migrate_config_read(ctx, &config);
	/* The database's schema is read on a thread of its own while the
	 * scripts are parsed (reflection.c says why). */
	if (status == CLI_EXIT_OK && against == CLI_AGAINST_DATABASE)
		status = cli_database_open_existing(ctx, &db, NULL);
	if (status == CLI_EXIT_OK && against == CLI_AGAINST_DATABASE) {
		cli_debug(ctx, "Reading the schema of %s", rt_engine_url(db.engine));
		if (cli_reflection_start(&reading, db.conn, config.schemas,
					 config.schema_count) != RT_OK)
			status = cli_error("out of memory");
		else
			reading_started = true;
	}
	if (status == CLI_EXIT_OK)
		status = cli_scripts_load(ctx, &config, &scripts);
	if (status == CLI_EXIT_OK)
		check_heads(&f, &scripts);
	/* The models go first, so that their parse and the scripts' replay
	 * overlap the reading too (check_models waits for it when it needs
	 * the database's schema); the edited scripts are looked for after,
	 * on the connection the reading gave back, and listed before the
	 * models' differences. */
	if (status == CLI_EXIT_OK) {
		status = check_models(ctx, &differences, &config, &scripts, against, &db,
				      reading_started ? &reading : NULL);
		reading_started = false; /* check_models finished it */
	}
	if (reading_started) {
		rt_schema *unused = NULL;
		cli_reflection_finish(&reading, &unused);
		rt_schema_free(unused);
	}
	if (status == CLI_EXIT_OK && against == CLI_AGAINST_DATABASE)
		status = check_edited(ctx, &f, &config, &scripts, &db);
	if (rt__buf_failed(&differences.out) || rt__buf_failed(&differences.reasons))
		status = cli_error("out of memory");
	else if (differences.out.len > 0)
		rt__buf_put(&f.out, differences.out.ptr, differences.out.len);
	if (differences.reasons.len > 0)
		found(&f, rt__buf_cstr(&differences.reasons));
	rt__buf_free(&differences.out);
	rt__buf_free(&differences.reasons);
	cli_database_close(&db);

	if (rt__buf_failed(&f.out) || rt__buf_failed(&f.reasons))
		status = cli_error("out of memory");
	else if (f.out.len > 0)
		cli_write_output(ctx, NULL, f.out.ptr, f.out.len);
	if (status == CLI_EXIT_OK && f.reasons.len > 0)
		status = cli_error("check failed: %s", rt__buf_cstr(&f.reasons));
	else if (status == CLI_EXIT_OK)
		status = cli_write_output(ctx, NULL, all_clear, strlen(all_clear));
	rt__buf_free(&f.out);
	rt__buf_free(&f.reasons);
	cli_scripts_free(&scripts);
	return status;
}

const cli_command cli_command_check = {
	.name = "check",
	.summary = "fail when the models, the database or the scripts drifted (for CI)",
	.usage = "check [--against database|history] [--include-object PAT]\n"
		 "                    [--exclude-object PAT]",
	.description =
		"Exits 1 and lists the problems when autogenerate would write operations\n"
		"(the models and the database differ), when the scripts have several\n"
		"heads, or when an applied script was edited since it was applied.\n"
		"Otherwise prints \"No new upgrade operations detected.\" and exits 0. The\n"
		"database must be at the head, as for `revision --autogenerate`.\n"
		"What the database holds and neither the models nor the scripts made is\n"
		"not drift: it is listed once on stderr (\"not managed: table t\").",
	.options = options,
	.max_args = 0,
	.run = run_check,
	.examples = "In CI: bring a fresh database to the head, then fail on any drift:\n"
		    "\n"
		    "    retort upgrade head\n"
		    "    retort check",
	.see_also = "revision upgrade",
};
