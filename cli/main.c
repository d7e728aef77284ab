/*
 * main.c - the `retort` command: the command table, global options,
 * dispatch (help.c prints the help, man.c the man pages).
 *
 *     retort [global options] <command> [command options and arguments]
 *
 * Global options (DESIGN §3) are accepted before and after the command
 * name; the command's own options after it. The first problem with the
 * command line is remembered rather than reported at once, so that
 * `--help` or `--version` anywhere still answers. Commands live in the
 * table below, one cmd_*.c file each.
 */
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "cli.h"

const cli_command *const cli_commands[] = {
	&cli_command_branches,
	&cli_command_check,
	&cli_command_completion,
	&cli_command_current,
	&cli_command_diagram,
	&cli_command_downgrade,
	&cli_command_embed,
	&cli_command_gen,
	&cli_command_heads,
	&cli_command_history,
	&cli_command_init,
	&cli_command_inspect,
	&cli_command_merge,
	&cli_command_revision,
	&cli_command_show,
	&cli_command_sql,
	&cli_command_stamp,
	&cli_command_upgrade,
	&cli_command_help,
};
#define COMMAND_COUNT (sizeof(cli_commands) / sizeof(cli_commands[0]))
const size_t cli_command_count = COMMAND_COUNT;

enum {
	GLOBAL_CONFIG,
	GLOBAL_URL,
	GLOBAL_SCHEMA,
	GLOBAL_QUIET,
	GLOBAL_VERBOSE,
	GLOBAL_HELP,
	GLOBAL_VERSION
};

/* In the order of the enum above. */
const cli_option cli_global_options[] = {
	{"config", 'c', "FILE", "configuration file (default: ./retort.ini)", NULL},
	{"url", 0, "URL", "database URL; beats $RETORT_URL and retort.ini", NULL},
	{"schema", 0, "FILE", "schema file; beats retort.ini", NULL},
	{"quiet", 'q', NULL, "no progress messages on stderr", NULL},
	{"verbose", 'v', NULL, "more progress messages (-vv: the SQL too)", NULL},
	{"help", 'h', NULL, "show this help and exit", NULL},
	{"version", 0, NULL, "print the version and exit", NULL},
	{0},
};

/* --- reading the command line ------------------------------------------------ */

typedef struct command_line {
	cli_ctx *ctx;
	bool help, version, quiet;
	int verbose;
	bool only_args; /* after "--" */
	/* The first problem found; reported unless --help or --version. */
	char problem[512];
	bool has_problem;
} command_line;

static void note_problem(command_line *cl, const char *fmt, const char *what)
{
	if (cl->has_problem)
		return;
	cl->has_problem = true;
	snprintf(cl->problem, sizeof(cl->problem), fmt, what);
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t lb = strlen(b);
	if (lb >= 32)
		return lb;
	size_t row[33];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; a[i - 1]; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diagonal + cost;
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	return row[lb];
}

static void unknown_command(command_line *cl, const char *name)
{
	if (cl->has_problem)
		return;
	const char *closest = NULL;
	size_t best = 3; /* suggest only close matches */
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		if (cli_commands[i]->hidden)
			continue;
		size_t d = distance(name, cli_commands[i]->name);
		if (d < best) {
			best = d;
			closest = cli_commands[i]->name;
		}
	}
	int n = snprintf(cl->problem, sizeof(cl->problem), "unknown command '%s'", name);
	if (closest && n > 0 && (size_t)n < sizeof(cl->problem))
		snprintf(cl->problem + n, sizeof(cl->problem) - (size_t)n,
			 " (did you mean '%s'?)", closest);
	cl->has_problem = true;
}

const cli_command *cli_find_command(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(cli_commands[i]->name, name) == 0)
			return cli_commands[i];
	return NULL;
}

static void positional(command_line *cl, const char *arg)
{
	cli_ctx *ctx = cl->ctx;
	if (!ctx->command) {
		ctx->command = cli_find_command(arg);
		if (!ctx->command)
			unknown_command(cl, arg);
		return;
	}
	if (ctx->arg_count >= ctx->command->max_args || ctx->arg_count >= CLI_MAX_ARGS) {
		note_problem(cl, "unexpected argument '%s'", arg);
		return;
	}
	ctx->args[ctx->arg_count++] = arg;
}

static void apply_global(command_line *cl, size_t which, const char *value)
{
	cli_ctx *ctx = cl->ctx;
	switch (which) {
	case GLOBAL_CONFIG: ctx->config_option = value; break;
	case GLOBAL_URL: ctx->url_option = value; break;
	case GLOBAL_SCHEMA: ctx->schema_option = value; break;
	case GLOBAL_QUIET: cl->quiet = true; break;
	case GLOBAL_VERBOSE: cl->verbose++; break;
	case GLOBAL_HELP: cl->help = true; break;
	case GLOBAL_VERSION: cl->version = true; break;
	}
}

/* Finds an option by long name (letter 0) or by letter, among the
 * command's options and then the global ones (*global = true): after its
 * name a command's own -v (current -v, history -v) is its own. */
static const cli_option *find_option(const cli_ctx *ctx, const char *name, size_t name_len,
				     char letter, bool *global, size_t *index)
{
	const cli_option *tables[2] = {ctx->command ? ctx->command->options : NULL,
				       cli_global_options};
	for (int t = 0; t < 2; t++) {
		for (size_t i = 0; tables[t] && tables[t][i].name; i++) {
			const cli_option *o = &tables[t][i];
			bool match = letter ? o->letter == letter
					    : strlen(o->name) == name_len &&
						      strncmp(o->name, name, name_len) == 0;
			if (match) {
				*global = t == 1;
				*index = i;
				return o;
			}
		}
	}
	return NULL;
}

static void apply_option(command_line *cl, bool global, size_t index, const char *value)
{
	cli_ctx *ctx = cl->ctx;
	if (global) {
		apply_global(cl, index, value);
		return;
	}
	if (index >= CLI_MAX_OPTIONS)
		return;
	ctx->values[index] = value ? value : "";
	if (RT_ARENA_PUSH(ctx->arena, ctx->lists[index], ctx->list_counts[index],
			  ctx->list_caps[index], ctx->values[index]) < 0)
		note_problem(cl, "%s", "out of memory");
}

/* --name, --name=value or --name value. Returns how many extra arguments
 * it used. */
static int long_option(command_line *cl, const char *arg, const char *next)
{
	const char *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
	bool global;
	size_t index;
	const cli_option *o = find_option(cl->ctx, name, name_len, 0, &global, &index);
	if (!o) {
		note_problem(cl, "unknown option '%s'", arg);
		return 0;
	}
	if (!o->arg) {
		if (eq)
			note_problem(cl, "option '--%s' takes no value", o->name);
		apply_option(cl, global, index, NULL);
		return 0;
	}
	if (eq) {
		apply_option(cl, global, index, eq + 1);
		return 0;
	}
	if (!next) {
		note_problem(cl, "option '--%s' needs a value", o->name);
		return 0;
	}
	apply_option(cl, global, index, next);
	return 1;
}

/* -x, -xVALUE, -x VALUE, or flags together (-qv). */
static int short_options(command_line *cl, const char *arg, const char *next)
{
	for (const char *p = arg + 1; *p; p++) {
		bool global;
		size_t index;
		const cli_option *o = find_option(cl->ctx, NULL, 0, *p, &global, &index);
		if (!o) {
			char name[3] = {'-', *p, '\0'};
			note_problem(cl, "unknown option '%s'", name);
			return 0;
		}
		if (!o->arg) {
			apply_option(cl, global, index, NULL);
			continue;
		}
		if (p[1]) {
			apply_option(cl, global, index, p + 1);
			return 0;
		}
		if (!next) {
			note_problem(cl, "option '-%s' needs a value", (char[2]){*p, '\0'});
			return 0;
		}
		apply_option(cl, global, index, next);
		return 1;
	}
	return 0;
}

static void read_command_line(command_line *cl, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		/* "-1" is a relative revision (downgrade -1), not an option. */
		bool negative = arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9';
		if (cl->only_args || arg[0] != '-' || arg[1] == '\0' || negative)
			positional(cl, arg);
		else if (strcmp(arg, "--") == 0)
			cl->only_args = true;
		else if (arg[1] == '-')
			i += long_option(cl, arg, next);
		else
			i += short_options(cl, arg, next);
	}
	cl->ctx->verbosity = cl->quiet ? 0 : 1 + cl->verbose;
}

/* --- running -------------------------------------------------------------------- */

static int load_config(cli_ctx *ctx)
{
	const char *path = ctx->config_option ? ctx->config_option : "retort.ini";
	ctx->config_name = path;
	int rc = cli_config_read(&ctx->config, path);
	if (rc == RT_ENOTFOUND && !ctx->config_option) {
		cli_debug(ctx, "No %s here; using the command line and environment only", path);
		return CLI_EXIT_OK;
	}
	if (rc != RT_OK)
		return cli_library_error(NULL);
	cli_debug(ctx, "Configuration from %s", path);
	return CLI_EXIT_OK;
}

static int usage_problem(const command_line *cl)
{
	const cli_command *command = cl->ctx->command;
	fprintf(stderr, "retort: error: %s\n", cl->problem);
	if (!command) {
		fputs("usage: retort [options] <command> [<args>]\ncommands:", stderr);
		for (size_t i = 0; i < COMMAND_COUNT; i++)
			if (!cli_commands[i]->hidden)
				fprintf(stderr, "%s %s", i ? "," : "", cli_commands[i]->name);
		fputc('\n', stderr);
	}
	if (command)
		fprintf(stderr, "hint: 'retort %s --help' lists its options\n", command->name);
	else
		fputs("hint: 'retort --help' lists the commands and options\n", stderr);
	return CLI_EXIT_USAGE;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
	command_line cl = {.ctx = ctx};
	read_command_line(&cl, argc, argv);

	if (cl.help) {
		if (ctx->command)
			cli_print_command_help(stdout, ctx->command);
		else
			cli_print_global_help(stdout);
		return CLI_EXIT_OK;
	}
	if (cl.version) {
		printf("retort %s\n", rt_version());
		return CLI_EXIT_OK;
	}
	if (cl.has_problem)
		return usage_problem(&cl);
	if (!ctx->command) {
		note_problem(&cl, "%s", "no command given");
		return usage_problem(&cl);
	}

	if (!ctx->command->no_config) {
		int status = load_config(ctx);
		if (status != CLI_EXIT_OK)
			return status;
	}
	return ctx->command->run(ctx);
}

int main(int argc, char **argv)
{
	cli_ctx ctx = {0};
	ctx.verbosity = 1;
	ctx.config_name = "retort.ini";
	/* One command, then exit: the big arenas it frees (a script's parse)
	 * are worth keeping for the ones it builds next (arena.c). */
	rt__arena_keep_spare(128);
	ctx.arena = rt__arena_new();
	if (!ctx.arena) {
		fputs("retort: error: out of memory\n", stderr);
		return CLI_EXIT_ERROR;
	}
	int status = run(&ctx, argc, argv);
	cli_config_free(ctx.config);
	rt__arena_free(ctx.arena);
	return status;
}
