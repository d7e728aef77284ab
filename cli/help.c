/*
 * help.c - `retort --help`, `retort <command> --help`, the hidden `retort
 * help` command, and the texts of retort(1) that belong to no command.
 *
 * Every text here and in the commands' tables (cli.h says how they are
 * written) is the one source of the documentation: the --help printers
 * below, man.c's man pages and completion.c's script all read it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* --- retort(1) ------------------------------------------------------------------ */

const char cli_manual_summary[] = "schema migrations and C models for SQLite, PostgreSQL and MariaDB";

const char cli_manual_synopsis[] =
	"[-c FILE] [--url URL] [--schema FILE] [-q] [-v] COMMAND [ARGS]\n"
	"[COMMAND] --help\n"
	"--version";

const char cli_manual_overview[] =
	"retort turns a schema file (the models, in the .rt language) into SQL,\n"
	"C code, diagrams and migrations, migrates SQLite, PostgreSQL and MariaDB\n"
	"databases as Alembic does, and reads a live database back into a schema\n"
	"file.";

const char cli_manual_description[] =
	"A project keeps its settings in retort.ini: the schema file, the database\n"
	"URL and the folder of migration scripts (`retort init` writes one). Data\n"
	"goes to standard output; progress messages (\"INFO  ...\") and errors go\n"
	"to standard error.\n"
	"\n"
	"The migration commands (init, revision, merge, upgrade, downgrade, stamp,\n"
	"current, history, heads, branches, show, check, embed) work as Alembic's\n"
	"do, on Alembic's version table, so both tools can share a database. The\n"
	"others work on the schema: sql prints its DDL, gen writes the C code of\n"
	"its models, diagram draws it, and inspect writes the schema of a live\n"
	"database.";

const char cli_manual_options[] =
	"Global options are accepted before and after the command's name. After\n"
	"the name, the command's own options come first: `retort current -v` is\n"
	"current's verbose form, not the global -v. An argument such as -1 is a\n"
	"revision, not an option (`retort downgrade -1`).\n"
	"\n"
	"Options take their value as the next argument or after '='\n"
	"(`--url=sqlite:///x.db`); short ones also glued (`-ox.rt`); flags combine\n"
	"(`-qv`). `--` ends the options.";

static const cli_manual_item config_keys[] = {
	{"schema", "the schema file, the models. --schema beats it"},
	{"url", "the database URL. --url and RETORT_URL beat it"},
	{"script_location", "the folder of the migration scripts: versions/, script.rt.tmpl\n"
			    "and a README"},
	{"file_template", "the name of new scripts, with Alembic's tokens (default:\n"
			  "%%(rev)s_%%(slug)s); .rt is added"},
	{"version_table", "the table that records the database's revision (default:\n"
			  "alembic_version)"},
	{"transaction_per_revision", "true: commit after each revision; false (the default):\n"
				     "one transaction for the whole run"},
	{"lock_timeout", "seconds a run waits for another run on the same database\n"
			 "(default: 60); --lock-timeout beats it"},
	{"%%, %(key)s, %(here)s", "expand, in any value, to %, to the value of another key of\n"
				  "the section (or of [DEFAULT]), and to the folder of the file"},
	{"${VAR}, ${VAR:-default}", "expand to the environment variable VAR (an error when it\n"
				    "is not set), or to default when VAR is not set or empty"},
	{0},
};

static const cli_manual_item urls[] = {
	{"sqlite:///relative.db", "a SQLite file, relative to the current folder (or to the\n"
				  "folder of retort.ini, for a URL written there)"},
	{"sqlite:////absolute/path.db", "a SQLite file by absolute path"},
	{"sqlite://", "a SQLite database in memory"},
	{"postgresql://user:password@host:port/database?option=value",
	 "PostgreSQL. Every part but the scheme may be left out (libpq's\n"
	 "defaults and PG* variables fill them in), and the options go to libpq\n"
	 "(sslmode=require, ...). postgres:// and SQLAlchemy's\n"
	 "postgresql+psycopg2:// are read the same, so Alembic's URLs work."},
	{"mysql://user:password@host:port/database?option=value",
	 "MariaDB 10.5 or later (mariadb:// and SQLAlchemy's mysql+pymysql://\n"
	 "and mysql+mysqldb:// are read the same). Options: unix_socket=PATH,\n"
	 "charset (default utf8mb4), connect_timeout. A MySQL server is refused\n"
	 "by name."},
	{0},
};

static const cli_manual_item environment[] = {
	{"RETORT_URL", "the database URL when not empty: beats the url of retort.ini,\n"
		       "and --url beats it"},
	{"DATABASE_URL", "read by the retort.ini that `retort init` writes:\n"
			 "`url = ${DATABASE_URL:-sqlite:///app.db}`"},
	{"RETORT_NOW", "a time written YYYY-MM-DD HH:MM:SS: the clock of revision\n"
		       "and merge (the created line, file_template's time tokens), for\n"
		       "reproducible scripts"},
	{"PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, ...",
	 "libpq's variables, for what a postgresql:// URL leaves out"},
	{"PATH", "where diagram --format svg finds Graphviz's dot"},
	{0},
};

static const cli_manual_item files[] = {
	{"retort.ini", "the settings, in the current folder unless -c names another"},
	{"SCRIPT_LOCATION/versions/*.rt", "the migration scripts, one per revision"},
	{"SCRIPT_LOCATION/script.rt.tmpl", "the template new scripts are made from"},
	{0},
};

static const cli_manual_item exit_status[] = {
	{"0", "success"},
	{"1", "a user error: no schema or URL configured, a schema that does not\n"
	      "parse, a database that cannot be reached, a migration that failed,\n"
	      "drift found by check, ... The reason is on standard error, one line\n"
	      "`retort: error: ...`, or a schema's diagnostics in full"},
	{"2", "a malformed command line: an unknown command or option, a missing\n"
	      "value, an unexpected argument; with a hint naming the --help to read"},
	{0},
};

const cli_manual_section cli_manual_sections[] = {
	{"CONFIGURATION",
	 "Settings are read from the [retort] section of retort.ini in the current\n"
	 "folder, or of the file -c names; a missing retort.ini is not an error\n"
	 "unless -c named it. The format is that of Python's configparser, as for\n"
	 "alembic.ini: [section] headers, key = value lines, comments starting\n"
	 "with # or ;, values continued on indented lines.\n"
	 "\n"
	 "    [retort]\n"
	 "    script_location = migrations\n"
	 "    schema = models.rt\n"
	 "    url = ${DATABASE_URL:-sqlite:///app.db}\n"
	 "\n"
	 "Relative paths in schema, script_location and in a sqlite:/// URL\n"
	 "written in the file are relative to the folder that holds it. The keys,\n"
	 "and how values are expanded:",
	 config_keys},
	{"URLS",
	 "A database is named by a URL, as in SQLAlchemy. Special characters in\n"
	 "the user, password, host or database are percent-encoded (p%40ss for\n"
	 "p@ss). Messages never show a password: postgresql://app:***@host/db.",
	 urls},
	{"ENVIRONMENT", NULL, environment},
	{"FILES", NULL, files},
	{"EXIT STATUS", NULL, exit_status},
	{"EXAMPLES",
	 "Start a project (then set schema and url in retort.ini), write the\n"
	 "first migration from the models, and apply it:\n"
	 "\n"
	 "    retort init migrations\n"
	 "    retort revision --autogenerate -m \"create tables\"\n"
	 "    retort upgrade head\n"
	 "\n"
	 "Where the database is, and the scripts' history:\n"
	 "\n"
	 "    retort current\n"
	 "    retort history -i\n"
	 "\n"
	 "Undo the last migration, and print the SQL of the upgrade instead of\n"
	 "running it:\n"
	 "\n"
	 "    retort downgrade -1\n"
	 "    retort upgrade head --sql\n"
	 "\n"
	 "The DDL of the models for PostgreSQL, with no database at all:\n"
	 "\n"
	 "    retort --schema models.rt sql create --dialect postgresql",
	 NULL},
	{0},
};

const char cli_manual_see_also[] =
	"`retort COMMAND --help`; and in retort's source tree, docs/cli.md (the\n"
	"command), docs/migrations.md (migrations, for users of Alembic too),\n"
	"docs/schema-language.md (the .rt language) and docs/codegen.md (the\n"
	"C code of the models).";

/* --- --help ------------------------------------------------------------------------- */

static size_t option_label(char *out, size_t size, const cli_option *option)
{
	const char *arg = option->arg ? option->arg : "";
	const char *space = option->arg ? " " : "";
	int n = option->letter ? snprintf(out, size, "  -%c, --%s%s%s", option->letter,
					  option->name, space, arg)
			       : snprintf(out, size, "      --%s%s%s", option->name, space, arg);
	return n < 0 ? 0 : (size_t)n;
}

static size_t label_width(const cli_option *options, size_t width)
{
	char label[128];
	for (size_t i = 0; options && options[i].name; i++) {
		size_t len = option_label(label, sizeof(label), &options[i]);
		if (len > width)
			width = len;
	}
	return width;
}

/* Each option on its line, help texts lined up; a help text's further
 * lines start under its first. */
static void print_options(FILE *out, const cli_option *options, size_t width)
{
	char label[128];
	for (size_t i = 0; options && options[i].name; i++) {
		option_label(label, sizeof(label), &options[i]);
		fprintf(out, "%-*s  ", (int)width, label);
		for (const char *p = options[i].help; *p; p++) {
			fputc(*p, out);
			if (*p == '\n')
				fprintf(out, "%-*s  ", (int)width, "");
		}
		fputc('\n', out);
	}
}

void cli_print_global_help(FILE *out)
{
	fprintf(out, "usage: retort [options] <command> [<args>]\n\n%s\n\ncommands:\n",
		cli_manual_overview);
	int width = 0;
	for (size_t i = 0; i < cli_command_count; i++)
		if (!cli_commands[i]->hidden && (int)strlen(cli_commands[i]->name) > width)
			width = (int)strlen(cli_commands[i]->name);
	for (size_t i = 0; i < cli_command_count; i++)
		if (!cli_commands[i]->hidden)
			fprintf(out, "  %-*s  %s\n", width, cli_commands[i]->name,
				cli_commands[i]->summary);
	fputs("\nglobal options (before or after the command):\n", out);
	print_options(out, cli_global_options, label_width(cli_global_options, 0));
	fputs("\n"
	      "Settings come from retort.ini ([retort] section: schema, url, ...).\n"
	      "'retort <command> --help' shows a command's options. Exit status: 0 on\n"
	      "success, 1 on an error, 2 on a malformed command line.\n", out);
}

void cli_print_command_help(FILE *out, const cli_command *command)
{
	size_t width = label_width(cli_global_options, label_width(command->options, 0));
	fprintf(out, "usage: retort %s\n\n%s\n", command->usage, command->description);
	if (command->options && command->options[0].name) {
		fputs("\noptions:\n", out);
		print_options(out, command->options, width);
	}
	fputs("\nglobal options:\n", out);
	print_options(out, cli_global_options, width);
}

/* --- retort help ------------------------------------------------------------------- */

static const cli_option help_options[] = {
	{"man", 0, NULL, "print the man page instead, as roff (man(7))", NULL},
	{"man-dir", 0, "DIR", "write every man page into DIR: retort.1 and\n"
			      "retort-COMMAND.1 for each command", NULL},
	{0},
};

static int write_page(cli_ctx *ctx, const char *path, const cli_command *command)
{
	rt_buf page = RT_BUF_INIT;
	cli_man_page(&page, command);
	int status = rt__buf_failed(&page) ? cli_error("out of memory")
		     : cli_write_output(ctx, path, rt__buf_cstr(&page), page.len);
	rt__buf_free(&page);
	return status;
}

/* retort.1 and retort-<command>.1 for every command that is listed. */
static int write_pages(cli_ctx *ctx, const char *dir)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cli_error("cannot create '%s': %s", dir, strerror(errno));
	const char *path = rt__arena_printf(ctx->arena, "%s/retort.1", dir);
	int status = path ? write_page(ctx, path, NULL) : cli_error("out of memory");
	for (size_t i = 0; status == CLI_EXIT_OK && i < cli_command_count; i++) {
		const cli_command *command = cli_commands[i];
		if (command->hidden)
			continue;
		path = rt__arena_printf(ctx->arena, "%s/retort-%s.1", dir, command->name);
		status = path ? write_page(ctx, path, command) : cli_error("out of memory");
	}
	return status;
}

static int run_help(cli_ctx *ctx)
{
	const char *dir = cli_option_value(ctx, "man-dir");
	const cli_command *command = NULL;
	if (dir) {
		if (ctx->arg_count > 0 || cli_option_value(ctx, "man"))
			return cli_usage_error(ctx->command, "--man-dir writes every page: it takes "
					       "no COMMAND and no --man");
		return write_pages(ctx, dir);
	}
	if (ctx->arg_count > 0) {
		command = cli_find_command(ctx->args[0]);
		if (!command)
			return cli_usage_error(ctx->command, "unknown command '%s'", ctx->args[0]);
	}
	if (cli_option_value(ctx, "man"))
		return write_page(ctx, NULL, command);
	if (command)
		cli_print_command_help(stdout, command);
	else
		cli_print_global_help(stdout);
	return fflush(stdout) == 0 ? CLI_EXIT_OK
				   : cli_error("cannot write to standard output: %s", strerror(errno));
}

const cli_command cli_command_help = {
	.name = "help",
	.summary = "the help of a command, or its man page",
	.usage = "help [--man] [COMMAND] | --man-dir DIR",
	.description =
		"Prints the help of COMMAND (as `retort COMMAND --help` does), or of\n"
		"retort. With --man, the man page instead, as roff: `retort help --man\n"
		"upgrade | man -l -` reads it. --man-dir DIR writes every page, as the\n"
		"build does before installing them.",
	.options = help_options,
	.max_args = 1,
	.run = run_help,
	.no_config = true,
	.hidden = true,
};
