/*
 * cmd_revision.c - new scripts: `retort revision` and `retort merge`.
 *
 * A new script gets an id (random 12 hex digits, or --rev-id), revises the
 * head it builds on (or, for a merge, the revisions it joins), and is
 * written through the folder's script.rt.tmpl into versions/ under the
 * name file_template gives, as Alembic does:
 *     Generating migrations/versions/bb7e42472e18_init_migration.rt ...  done
 * With --autogenerate its operations are what brings the database (or the
 * scripts replayed, --against history) to the models; when nothing differs
 * no file is written. The text is parsed back before it is written, so a
 * broken template never leaves a script behind that the next command
 * would choke on.
 *
 * RETORT_NOW="2024-09-14 16:38:00" fixes the clock (the `created` line and
 * the time tokens of file_template), for reproducible files and tests.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "migrate/script.h"
#include "migrate/template.h"
#include "migrations.h"

static const cli_option revision_options[] = {
	{"message", 'm', "MSG", "the message: the script's first line, and the slug\n"
				"of its file name", NULL},
	{"autogenerate", 0, NULL, "write the operations that bring the database to the\n"
				  "models (retort.ini's schema)", NULL},
	{"against", 0, "WHAT", "with --autogenerate: database (the default) compares\n"
			       "with the live database; history with the scripts\n"
			       "replayed in memory (no database needed)", "database|history"},
	{"rename", 0, "T.A=B", "with --autogenerate: column A of table T is now B\n"
			       "(OLD=NEW for a table); may repeat", NULL},
	{"drop-unmanaged", 0, NULL, "with --autogenerate: drop what the database holds and\n"
				    "neither the models nor the scripts made (tables,\n"
				    "views, triggers, ...), rather than leave it alone", NULL},
	{"include-object", 0, "PAT", "with --autogenerate: look only at names matching PAT\n"
				     "(for retort.ini's include_objects); may repeat", NULL},
	{"exclude-object", 0, "PAT", "with --autogenerate: leave names matching PAT alone\n"
				     "(for retort.ini's exclude_objects); may repeat", NULL},
	{"head", 0, "REV", "the revision to build on (default: head); base starts\n"
			   "a new branch, label@head continues one", NULL},
	{"splice", 0, NULL, "allow --head to name a revision that is not a head", NULL},
	{"branch-label", 0, "LABEL", "a branch label for the new revision; may repeat", NULL},
	{"depends-on", 0, "REV", "a revision of another branch this one needs first;\n"
				 "may repeat", NULL},
	{"rev-id", 0, "ID", "the revision id, instead of a random one", NULL},
	{0},
};

static const cli_option merge_options[] = {
	{"message", 'm', "MSG", "the message of the merge revision", NULL},
	{"branch-label", 0, "LABEL", "a branch label for the new revision; may repeat", NULL},
	{"rev-id", 0, "ID", "the revision id, instead of a random one", NULL},
	{0},
};

/* --- the clock ------------------------------------------------------------------------- */

/* Now, or the moment RETORT_NOW names, in local time as Alembic takes it. */
static int creation_time(struct tm *tm, long long *epoch)
{
	const char *fixed = getenv("RETORT_NOW");
	memset(tm, 0, sizeof(*tm));
	if (!fixed || !*fixed) {
		time_t now = time(NULL);
		if (!localtime_r(&now, tm))
			return cli_error("cannot read the clock");
		*epoch = (long long)now;
		return CLI_EXIT_OK;
	}
	int year, month, day, hour, minute, second;
	char extra;
	if (sscanf(fixed, "%4d-%2d-%2d %2d:%2d:%2d%c", &year, &month, &day, &hour, &minute,
		   &second, &extra) != 6 ||
	    month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
	    second > 60 || year < 1970 || hour < 0 || minute < 0 || second < 0)
		return cli_error("RETORT_NOW must be a time written YYYY-MM-DD HH:MM:SS, such as "
				 "2024-09-14 16:38:00");
	tm->tm_year = year - 1900;
	tm->tm_mon = month - 1;
	tm->tm_mday = day;
	tm->tm_hour = hour;
	tm->tm_min = minute;
	tm->tm_sec = second;
	tm->tm_isdst = -1;
	struct tm copy = *tm; /* mktime normalizes what it is given */
	*epoch = (long long)mktime(&copy);
	return CLI_EXIT_OK;
}

/* --- the new script's header ------------------------------------------------------------- */

/* The revisions' ids, as the header lists them. */
static const char **ids_of(cli_ctx *ctx, const rt_revlist *list)
{
	const char **ids = rt__arena_alloc(ctx->arena, (list->count + 1) * sizeof(*ids));
	for (size_t i = 0; ids && i < list->count; i++)
		ids[i] = list->items[i]->id;
	return ids;
}

static bool id_reserved(const char *id)
{
	static const char *const words[] = {"base", "head", "heads", "current"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(id, words[i]) == 0)
			return true;
	return false;
}

/* --rev-id checked, or a fresh random id no script has. */
static int revision_id(cli_ctx *ctx, const cli_scripts *scripts, const char **out)
{
	const char *given = cli_option_value(ctx, "rev-id");
	if (given) {
		if (!cli_is_revision_id(given) || id_reserved(given))
			return cli_usage_error(ctx->command, "--rev-id '%s': a revision id is up to 32 "
					       "letters, digits and '_', and not base, head, heads "
					       "or current", given);
		rt_revision *taken = rt__graph_get(scripts->graph, given);
		if (taken)
			return cli_error("Revision %s is already present, in %s", given,
					 rt__revision_file(taken));
		*out = given;
		return CLI_EXIT_OK;
	}
	char id[13];
	do {
		if (rt__template_revision_id(id) != RT_OK)
			return cli_library_error(NULL);
	} while (rt__graph_get(scripts->graph, id));
	*out = rt__arena_strdup(ctx->arena, id);
	return *out ? CLI_EXIT_OK : cli_error("out of memory");
}

static int branch_labels(cli_ctx *ctx, const cli_scripts *scripts, rt_migration *m)
{
	size_t count;
	const char *const *labels = cli_option_values(ctx, "branch-label", &count);
	for (size_t i = 0; i < count; i++) {
		if (!cli_is_revision_id(labels[i]) || id_reserved(labels[i]))
			return cli_usage_error(ctx->command, "--branch-label '%s': a label is letters, "
					       "digits and '_', and not base, head, heads or "
					       "current", labels[i]);
		for (size_t r = 0; r < scripts->graph->count; r++) {
			const rt_revision *rev = scripts->graph->revisions[r];
			for (size_t l = 0; l < rev->label_count; l++)
				if (strcmp(rev->labels[l], labels[i]) == 0)
					return cli_error("Branch name '%s' is already used by "
							 "revision %s (%s)", labels[i], rev->id,
							 rt__revision_file(rev));
		}
	}
	m->branches = (const char **)labels;
	m->branch_count = count;
	return CLI_EXIT_OK;
}

static int dependencies(cli_ctx *ctx, const cli_scripts *scripts, rt_migration *m)
{
	size_t count;
	const char *const *given = cli_option_values(ctx, "depends-on", &count);
	const char **ids = rt__arena_alloc(ctx->arena, (count + 1) * sizeof(*ids));
	if (!ids)
		return cli_error("out of memory");
	for (size_t i = 0; i < count; i++) {
		rt_revision *rev;
		if (rt__graph_find(scripts->graph, given[i], &rev) != RT_OK)
			return cli_migrate_error("--depends-on");
		ids[i] = rev->id;
	}
	m->depends = ids;
	m->depends_count = count;
	return CLI_EXIT_OK;
}

/* --- writing ------------------------------------------------------------------------------- */

typedef struct new_script {
	rt_migration m;
	bool autogenerated;
	struct tm time;
	long long epoch;
	char created[20];
} new_script;

static int start_script(cli_ctx *ctx, const cli_scripts *scripts, new_script *s)
{
	memset(s, 0, sizeof(*s));
	int status = creation_time(&s->time, &s->epoch);
	if (status != CLI_EXIT_OK)
		return status;
	rt__template_created(s->created, &s->time);
	s->m.created = s->created;
	s->m.message = cli_option_value(ctx, "message");
	status = revision_id(ctx, scripts, &s->m.revision);
	if (status == CLI_EXIT_OK)
		status = branch_labels(ctx, scripts, &s->m);
	return status;
}

/* Parses the text back: what the next command will read. */
static int check_parses(const cli_migrate_config *config, const char *path, const char *text)
{
	rt_migration *parsed = NULL;
	if (rt__script_parse(&parsed, path, text, strlen(text), 0) != RT_OK) {
		fprintf(stderr, "retort: error: the script would not parse (is %s right?); "
				"it was not written:\n", config->template_path);
		return cli_migrate_error(NULL);
	}
	rt__migration_free(parsed);
	return CLI_EXIT_OK;
}

static int write_file(cli_ctx *ctx, const char *path, const char *text)
{
	FILE *f = fopen(path, "wx");
	if (!f)
		return cli_error("cannot create '%s': %s", path, strerror(errno));
	size_t len = strlen(text);
	bool ok = fwrite(text, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = false;
	if (!ok) {
		remove(path);
		return cli_error("cannot write '%s': %s", path, strerror(errno));
	}
	if (ctx->verbosity >= 1)
		fprintf(stderr, "  Generating %s ...  done\n", path);
	return CLI_EXIT_OK;
}

static int write_script(cli_ctx *ctx, const cli_migrate_config *config, new_script *s)
{
	const char *template_text;
	size_t template_len;
	int status = cli_read_file(ctx, config->template_path, true, &template_text, &template_len);
	if (status != CLI_EXIT_OK)
		return status;

	rt_template_values values = {
		.rev = s->m.revision,
		.message = s->m.message,
		.time = s->time,
		.epoch = s->epoch,
	};
	char *name = NULL, *text = NULL;
	const char *path = NULL;
	if (rt__template_file_name(&name, config->file_template, &values) != RT_OK)
		status = cli_library_error("file_template");
	else if (rt__script_render(&text, &s->m, template_text, s->autogenerated) != RT_OK)
		status = cli_library_error(config->template_path);
	else if (!(path = rt__arena_printf(ctx->arena, "%s/%s", config->versions, name)))
		status = cli_error("out of memory");
	if (status == CLI_EXIT_OK)
		status = check_parses(config, path, text);
	if (status == CLI_EXIT_OK)
		status = write_file(ctx, path, text);
	free(name);
	free(text);
	return status;
}

/* --- revision ---------------------------------------------------------------------------- */

/* The revisions the new one revises: the head, or what --head names. */
static int parents_of_new(cli_ctx *ctx, const cli_scripts *scripts, rt_revlist *out)
{
	const rt_graph *graph = scripts->graph;
	const char *head = cli_option_value(ctx, "head");
	memset(out, 0, sizeof(*out));
	if (!head || strcmp(head, "head") == 0) {
		if (graph->heads.count > 1) {
			rt__graph_error_listing(RT_EMULTIHEAD,
						"Multiple heads are present; give the head the new "
						"revision builds on with --head, or join them first "
						"with 'retort merge heads'. The heads are",
						&graph->heads);
			return cli_migrate_error(NULL);
		}
		*out = graph->heads;
		return CLI_EXIT_OK;
	}
	rt_target target;
	rt_revlist none = {0};
	if (rt__graph_resolve(graph, ctx->arena, head, &none, &target) != RT_OK)
		return cli_migrate_error("--head");
	bool splice = cli_option_value(ctx, "splice") != NULL;
	for (size_t i = 0; i < target.revs.count; i++)
		if (target.revs.items[i]->children.count > 0 && !splice)
			return cli_error("Revision %s is not a head revision; give --splice to start "
					 "a new branch from it", target.revs.items[i]->id);
	*out = target.revs;
	return CLI_EXIT_OK;
}

static int autogenerate(cli_ctx *ctx, const cli_migrate_config *config,
			const cli_scripts *scripts, const rt_revlist *parents, new_script *s,
			bool *nothing)
{
	cli_autogen how = {.parents = parents, .ask = isatty(STDIN_FILENO) != 0,
			   .drop_unmanaged = cli_option_value(ctx, "drop-unmanaged") != NULL};
	how.renames = cli_option_values(ctx, "rename", &how.rename_count);
	int status = cli_against_option(ctx, &how.against);
	if (status == CLI_EXIT_OK)
		status = cli_autogenerate(ctx, config, scripts, &how, &s->m);
	if (status != CLI_EXIT_OK)
		return status;
	s->autogenerated = true;
	*nothing = s->m.upgrade.count == 0;
	if (*nothing)
		cli_info(ctx, "No changes detected");
	else
		cli_report_operations(ctx, &s->m.upgrade);
	return CLI_EXIT_OK;
}

static int run_revision(cli_ctx *ctx)
{
	bool autogen = cli_option_value(ctx, "autogenerate") != NULL;
	if (!autogen && (cli_option_value(ctx, "against") || cli_option_value(ctx, "rename") ||
			 cli_option_value(ctx, "drop-unmanaged") ||
			 cli_option_value(ctx, "include-object") ||
			 cli_option_value(ctx, "exclude-object")))
		return cli_usage_error(ctx->command,
				       "--against, --rename, --drop-unmanaged, --include-object and "
				       "--exclude-object go with --autogenerate");
	cli_migrate_config config;
	cli_scripts scripts = {0};
	new_script s = {0};
	rt_revlist parents;
	bool nothing = false;
	int status = cli_migrate_config_read(ctx, &config);
	if (status == CLI_EXIT_OK)
		status = cli_scripts_load(ctx, &config, &scripts);
	if (status == CLI_EXIT_OK)
		status = start_script(ctx, &scripts, &s);
	if (status == CLI_EXIT_OK)
		status = parents_of_new(ctx, &scripts, &parents);
	if (status == CLI_EXIT_OK)
		status = dependencies(ctx, &scripts, &s.m);
	if (status == CLI_EXIT_OK) {
		s.m.revises = ids_of(ctx, &parents);
		s.m.revises_count = parents.count;
		if (!s.m.revises)
			status = cli_error("out of memory");
	}
	if (status == CLI_EXIT_OK && autogen)
		status = autogenerate(ctx, &config, &scripts, &parents, &s, &nothing);
	if (status == CLI_EXIT_OK && !nothing)
		status = write_script(ctx, &config, &s);
	rt_schema_free(s.m.scratch);
	cli_scripts_free(&scripts);
	return status;
}

const cli_command cli_command_revision = {
	.name = "revision",
	.summary = "write a new migration script",
	.usage = "revision -m MSG [--autogenerate] [--head REV] [--branch-label L]\n"
		 "                       [--depends-on REV] [--rev-id ID] [--splice]\n"
		 "                       [--rename T.A=B] [--against database|history]\n"
		 "                       [--drop-unmanaged] [--include-object PAT]\n"
		 "                       [--exclude-object PAT]",
	.description =
		"Writes a new script into the versions folder, named by file_template,\n"
		"revising the current head (or --head). Without --autogenerate its upgrade\n"
		"and downgrade blocks are empty, for you to fill.\n"
		"\n"
		"--autogenerate compares the models (retort.ini's schema) with the database,\n"
		"which must be at the head the script revises, and writes the operations\n"
		"that bring it to the models, with the downgrade that undoes them; when\n"
		"nothing differs it says \"No changes detected\" and writes nothing. A column\n"
		"or table dropped while one of the same shape is added may be a rename:\n"
		"on a terminal you are asked, otherwise a warning names the candidates and\n"
		"--rename states one. Review the script before upgrading.\n"
		"\n"
		"What the database holds and neither the models nor the scripts made\n"
		"(a table, view, index, trigger, ...) is not managed: it is listed once\n"
		"on stderr (\"not managed: view v\") and left alone, unless\n"
		"--drop-unmanaged is given. retort.ini's include_objects and\n"
		"exclude_objects (or --include-object, --exclude-object) narrow what is\n"
		"looked at.\n"
		"\n"
		"RETORT_NOW=\"YYYY-MM-DD HH:MM:SS\" in the environment fixes the clock\n"
		"(the created line and file_template's time tokens).",
	.options = revision_options,
	.max_args = 0,
	.run = run_revision,
	.examples = "A script of what differs between the models and the database (review\n"
		    "it before upgrading), then an empty one to fill by hand:\n"
		    "\n"
		    "    retort revision --autogenerate -m \"add a column\"\n"
		    "    retort revision -m \"move the data\"",
	.see_also = "upgrade merge check",
};

/* --- merge ------------------------------------------------------------------------------- */

static int merged_revisions(cli_ctx *ctx, const cli_scripts *scripts, rt_revlist *out)
{
	memset(out, 0, sizeof(*out));
	rt_revlist none = {0};
	for (size_t i = 0; i < ctx->arg_count; i++) {
		rt_target target;
		if (rt__graph_resolve(scripts->graph, ctx->arena, ctx->args[i], &none, &target) !=
		    RT_OK)
			return cli_migrate_error(NULL);
		for (size_t k = 0; k < target.revs.count; k++)
			if (!rt__revlist_has(out, target.revs.items[k]) &&
			    rt__revlist_push(ctx->arena, out, target.revs.items[k]) < 0)
				return cli_error("out of memory");
	}
	if (out->count < 2)
		return cli_error("nothing to merge: %s name%s %s revision; a merge joins two or "
				 "more ('retort heads' lists the heads)",
				 ctx->arg_count == 1 ? ctx->args[0] : "they",
				 ctx->arg_count == 1 ? "s" : "",
				 out->count ? "one" : "no");
	if (rt__graph_check_unrelated(scripts->graph, out) != RT_OK)
		return cli_migrate_error("cannot merge");
	return CLI_EXIT_OK;
}

static int run_merge(cli_ctx *ctx)
{
	if (ctx->arg_count == 0)
		return cli_usage_error(ctx->command, "merge needs the revisions to join, or heads");
	cli_migrate_config config;
	cli_scripts scripts = {0};
	new_script s = {0};
	rt_revlist parents;
	int status = cli_migrate_config_read(ctx, &config);
	if (status == CLI_EXIT_OK)
		status = cli_scripts_load(ctx, &config, &scripts);
	if (status == CLI_EXIT_OK)
		status = start_script(ctx, &scripts, &s);
	if (status == CLI_EXIT_OK)
		status = merged_revisions(ctx, &scripts, &parents);
	if (status == CLI_EXIT_OK) {
		s.m.revises = ids_of(ctx, &parents);
		s.m.revises_count = parents.count;
		status = s.m.revises ? write_script(ctx, &config, &s) : cli_error("out of memory");
	}
	cli_scripts_free(&scripts);
	return status;
}

const cli_command cli_command_merge = {
	.name = "merge",
	.summary = "join branches with a merge revision",
	.usage = "merge [-m MSG] [--branch-label L] [--rev-id ID] REV... | heads",
	.description =
		"Writes a script that revises each REV (ids, prefixes, branch labels, or\n"
		"heads for every head), so the scripts have one head again. Its blocks are\n"
		"empty: the branches' own scripts do the work, and an upgrade through the\n"
		"merge applies both branches first.",
	.options = merge_options,
	.max_args = CLI_MAX_ARGS,
	.run = run_merge,
	.arg_values = "@revision",
	.examples = "    retort merge heads -m \"join the branches\"",
	.see_also = "heads branches revision",
};
