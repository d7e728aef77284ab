/*
 * cmd_init.c - `retort init [-t generic|embedded|async] DIR`: a new folder
 * of migration scripts and the retort.ini that points to it.
 *
 * As `alembic init` does: DIR/ with versions/, a README and the template
 * new scripts are made from (script.rt.tmpl, the library's default), and
 * retort.ini beside the command (or where -c says) with script_location =
 * DIR. An existing retort.ini or a non-empty DIR is refused before
 * anything is written, so init never overwrites a thing. The embedded
 * template adds what a program that migrates itself needs: a C file that
 * calls rt_migrate_upgrade, and the build rules (CMake and make) that turn
 * the scripts into C with `retort embed`. The async template writes the
 * same build rules with the start-up of an event-loop program instead
 * (init_async.c): a migrate.c that upgrades without blocking the loop,
 * and a main.c around it.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "migrate/script.h"
#include "cli.h"

static const cli_option options[] = {
	{"template", 't', "NAME", "generic (the default); embedded: also a C file and\n"
				  "build rules for a program that migrates itself;\n"
				  "async: the same for an event-loop program, which\n"
				  "migrates from its loop",
	 "generic|embedded|async"},
	{0},
};

/* --- the files' texts ------------------------------------------------------------- */

static const char readme_text[] =
	"Migration scripts, managed by retort (see its docs/migrations.md).\n"
	"\n"
	"versions/        one script per revision, named by file_template in retort.ini\n"
	"script.rt.tmpl   the template new scripts are made from\n"
	"\n"
	"    retort revision --autogenerate -m \"add a column\"   # a script from the models\n"
	"    retort upgrade head                                # apply the scripts\n"
	"    retort downgrade -1                                # undo the last one\n"
	"    retort history                                     # list them\n"
	"    retort current                                     # where the database is\n";

static const char embedded_readme_text[] =
	"\n"
	"This folder was set up for embedded migrations: the program carries the\n"
	"scripts and migrates its own database at start-up, with no retort command\n"
	"and no script files where it runs.\n"
	"\n"
	"migrate.c           app_migrate(engine): rt_migrate_upgrade(engine, &migrations, \"head\")\n"
	"migrations.cmake    CMake: include() it, then retort_embed_migrations(<target>)\n"
	"migrations.mk       make: include it, and add $(RETORT_MIGRATIONS_C) to the sources\n"
	"\n"
	"Both build rules run `retort embed`, which writes the scripts of versions/\n"
	"as a C file defining `const rt_migrations migrations`.\n";

static const char async_readme_text[] =
	"\n"
	"This folder was set up for an event-loop program that migrates its own\n"
	"database from its loop at start-up, with no retort command and no script\n"
	"files where it runs.\n"
	"\n"
	"main.c              the program's start-up: engine, loop, upgrade, a first query\n"
	"migrate.c           app_migrate_async(async, done, user): the upgrade to head,\n"
	"                    without blocking the loop (rt_async_migrate_run)\n"
	"migrations.cmake    CMake: include() it, then retort_embed_migrations(<target>)\n"
	"migrations.mk       make: include it, and add $(RETORT_MIGRATIONS_C) to the sources\n"
	"\n"
	"Both build rules run `retort embed`, which writes the scripts of versions/\n"
	"as a C file defining `const rt_migrations migrations`, and add migrate.c.\n"
	"main.c is the program: build it with them (migrations.mk says how), or\n"
	"copy what you need into your own main.\n";

/* %s: the template's name, then the ini file's path relative to DIR (twice). */
static const char cmake_format[] =
	"# migrations.cmake - compiles the migration scripts into a program\n"
	"# (written by `retort init -t %s`).\n"
	"#\n"
	"#     include(<this folder>/migrations.cmake)\n"
	"#     retort_embed_migrations(app)\n"
	"#\n"
	"# adds to target app the C file `retort embed` makes of versions/*.rt\n"
	"# (remade when a script changes) and migrate.c, which upgrades the\n"
	"# database. Link app with retort::retort or retort::retort_static.\n"
	"find_program(RETORT_COMMAND retort REQUIRED)\n"
	"set(RETORT_MIGRATIONS_DIR ${CMAKE_CURRENT_LIST_DIR})\n"
	"\n"
	"function(retort_embed_migrations target)\n"
	"  set(dir ${RETORT_MIGRATIONS_DIR})\n"
	"  file(GLOB scripts CONFIGURE_DEPENDS ${dir}/versions/*.rt)\n"
	"  set(out ${CMAKE_CURRENT_BINARY_DIR}/retort_migrations.c)\n"
	"  add_custom_command(OUTPUT ${out}\n"
	"    COMMAND ${RETORT_COMMAND} -q -c ${dir}/%s embed -o ${out}\n"
	"    DEPENDS ${scripts} ${dir}/%s\n"
	"    COMMENT \"Embedding the migration scripts\"\n"
	"    VERBATIM)\n"
	"  target_sources(${target} PRIVATE ${out} ${dir}/migrate.c)\n"
	"endfunction()\n";

/* %s: the template's name, the program's first object, then DIR as given
 * and the ini file as given (both from the current folder). */
static const char make_format[] =
	"# migrations.mk - compiles the migration scripts into a program\n"
	"# (written by `retort init -t %s`). In the Makefile of the folder\n"
	"# retort init ran in:\n"
	"#\n"
	"#     include %s/migrations.mk\n"
	"#     app: %s $(RETORT_MIGRATIONS_C:.c=.o) %s/migrate.o\n"
	"#\n"
	"# and link with $(shell pkg-config --libs retort).\n"
	"RETORT ?= retort\n"
	"RETORT_MIGRATIONS_C = retort_migrations.c\n"
	"\n"
	"$(RETORT_MIGRATIONS_C): $(wildcard %s/versions/*.rt) %s\n"
	"\t$(RETORT) -q -c %s embed -o $@\n";

static const char migrate_c_text[] =
	"/*\n"
	" * migrate.c - brings the database up to date when the program starts\n"
	" * (written by `retort init -t embedded`; make it your own).\n"
	" *\n"
	" * The migration scripts are compiled in: `retort embed` turns versions/\n"
	" * into a C file that defines `migrations` (migrations.cmake and\n"
	" * migrations.mk hold the build rule), so the program needs neither the\n"
	" * retort command nor the script files where it runs.\n"
	" */\n"
	"#include <stdio.h>\n"
	"\n"
	"#include <retort.h>\n"
	"\n"
	"extern const rt_migrations migrations;\n"
	"\n"
	"int app_migrate(rt_engine *engine);\n"
	"\n"
	"/* Upgrades the database of engine to the newest revision. Returns RT_OK,\n"
	" * or the error after printing it. */\n"
	"int app_migrate(rt_engine *engine)\n"
	"{\n"
	"\tint rc = rt_migrate_upgrade(engine, &migrations, \"head\");\n"
	"\tif (rc != RT_OK)\n"
	"\t\tfprintf(stderr, \"cannot migrate the database: %s\\n\", rt_error_last()->message);\n"
	"\treturn rc;\n"
	"}\n";

/* %s: script_location. */
static const char ini_format[] =
	"# retort.ini - settings of the retort command (written by retort init).\n"
	"# Relative paths are relative to the folder of this file; ${VAR} and\n"
	"# ${VAR:-default} read the environment; --url and RETORT_URL beat url.\n"
	"\n"
	"[retort]\n"
	"# the folder of the migration scripts\n"
	"script_location = %s\n"
	"\n"
	"# the models: the schema file `retort revision --autogenerate` compares\n"
	"# the database with\n"
	"schema = models.rt\n"
	"\n"
	"# the database: sqlite:///file.db or postgresql://user:pass@host/db\n"
	"url = ${DATABASE_URL:-sqlite:///app.db}\n"
	"\n"
	"# the names of new scripts, with Alembic's tokens rev, slug, year, month,\n"
	"# day, hour, minute, second, epoch (each %% written %%%%), e.g.\n"
	"# %%%%(year)d_%%%%(month).2d_%%%%(day).2d_%%%%(hour).2d%%%%(minute).2d-%%%%(rev)s_%%%%(slug)s\n"
	"file_template = %%%%(rev)s_%%%%(slug)s\n"
	"\n"
	"# the table where the database records its revision (Alembic's)\n"
	"version_table = alembic_version\n"
	"\n"
	"# true: commit after each revision; false: one transaction per run\n"
	"transaction_per_revision = false\n"
	"\n"
	"# seconds to wait for another migration run on the same database\n"
	"lock_timeout = 60\n";

/* --- writing -------------------------------------------------------------------------- */

static void say(const cli_ctx *ctx, const char *fmt, const char *what)
{
	if (ctx->verbosity >= 1) {
		fprintf(stderr, fmt, what);
		fputc('\n', stderr);
	}
}

/* Writes a new file; one that exists already is an error, not replaced. */
static int write_new_file(const cli_ctx *ctx, const char *path, const char *text)
{
	FILE *f = fopen(path, "wx");
	if (!f)
		return cli_error("cannot create '%s': %s", path, strerror(errno));
	size_t len = strlen(text);
	bool ok = fwrite(text, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = false;
	if (!ok)
		return cli_error("cannot write '%s': %s", path, strerror(errno));
	say(ctx, "  Generating %s ...  done", path);
	return CLI_EXIT_OK;
}

/* Creates path, and the folders above it that are missing (as Alembic's
 * os.makedirs); only the last one may exist already, and only if told. */
static int make_folder(const cli_ctx *ctx, const char *path, bool may_exist)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", path);
	for (char *p = parent + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(parent, 0777) != 0 && errno != EEXIST)
			return cli_error("cannot create directory '%s': %s", parent, strerror(errno));
		*p = '/';
	}
	if (mkdir(path, 0777) != 0 && !(may_exist && errno == EEXIST))
		return cli_error("cannot create directory '%s': %s", path, strerror(errno));
	say(ctx, "  Creating directory '%s' ...  done", path);
	return CLI_EXIT_OK;
}

/* --- checks before writing ----------------------------------------------------------- */

static int folder_state(const char *path, bool *exists)
{
	struct stat st;
	*exists = false;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return CLI_EXIT_OK;
		return cli_error("cannot read '%s': %s", path, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return cli_error("'%s' exists and is not a directory", path);
	DIR *dir = opendir(path);
	if (!dir)
		return cli_error("cannot read directory '%s': %s", path, strerror(errno));
	bool empty = true;
	for (struct dirent *e; empty && (e = readdir(dir)) != NULL;)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(dir);
	if (!empty)
		return cli_error("directory '%s' already exists and is not empty", path);
	*exists = true;
	return CLI_EXIT_OK;
}

/* --- paths ------------------------------------------------------------------------------ */

static const char *folder_of(rt_arena *arena, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	return slash == path ? "/" : rt__arena_strndup(arena, path, (size_t)(slash - path));
}

/* The path of file `to` seen from folder `from` (both existing): up from
 * `from` to the folder both are in, then down to `to`. */
static const char *relative_path(cli_ctx *ctx, const char *from, const char *to)
{
	char a[PATH_MAX + 1], b[PATH_MAX + 1];
	if (!realpath(from, a) || !realpath(folder_of(ctx->arena, to), b))
		return NULL;
	/* Both end with '/', so a common prefix ending in '/' is a folder. */
	if (a[strlen(a) - 1] != '/')
		strcat(a, "/");
	if (b[strlen(b) - 1] != '/')
		strcat(b, "/");
	size_t common = 0;
	for (size_t i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			common = i + 1;
	const char *name = strrchr(to, '/');
	rt_buf path = RT_BUF_INIT;
	for (const char *p = a + common; *p; p++)
		if (*p == '/')
			rt__buf_puts(&path, "../");
	rt__buf_puts(&path, b + common);
	rt__buf_puts(&path, name ? name + 1 : to);
	const char *out = rt__buf_failed(&path) ? NULL : rt__arena_strdup(ctx->arena, path.ptr);
	rt__buf_free(&path);
	return out;
}

/* script_location as retort.ini must say it: relative to the file's
 * folder (DIR must exist by now). DIR as given serves when the file is in
 * the current folder, or when DIR is absolute. */
static const char *script_location(cli_ctx *ctx, const char *ini, const char *dir)
{
	if (dir[0] == '/' || strcmp(folder_of(ctx->arena, ini), ".") == 0)
		return dir;
	const char *from = folder_of(ctx->arena, ini);
	return from ? relative_path(ctx, from, dir) : NULL;
}

/* --- the command ------------------------------------------------------------------------ */

/* The embedded or the async template's files. */
static int write_embedded(cli_ctx *ctx, const char *dir, const char *ini, bool async)
{
	const char *name = async ? "async" : "embedded";
	const char *ini_from_dir = relative_path(ctx, dir, ini);
	const char *cmake = ini_from_dir ? rt__arena_printf(ctx->arena, cmake_format, name,
							    ini_from_dir, ini_from_dir)
					 : NULL;
	const char *first = async ? rt__arena_printf(ctx->arena, "%s/main.o", dir) : "app.o";
	const char *make = first ? rt__arena_printf(ctx->arena, make_format, name, dir, first, dir,
						    dir, ini, ini)
				 : NULL;
	const char *files[][2] = {
		{"migrate.c", async ? cli_init_async_migrate_c : migrate_c_text},
		{"migrations.cmake", cmake},
		{"migrations.mk", make},
		{"main.c", async ? cli_init_async_main_c : NULL},
	};
	int status = CLI_EXIT_OK;
	for (size_t i = 0; status == CLI_EXIT_OK && i < sizeof(files) / sizeof(files[0]); i++) {
		if (!async && strcmp(files[i][0], "main.c") == 0)
			continue;
		const char *path = rt__arena_printf(ctx->arena, "%s/%s", dir, files[i][0]);
		if (!path || !files[i][1])
			return cli_error("out of memory");
		status = write_new_file(ctx, path, files[i][1]);
	}
	return status;
}

/* template: "generic", "embedded" or "async". */
static int write_all(cli_ctx *ctx, const char *dir, const char *ini, const char *template_name,
		     bool dir_exists)
{
	bool embedded = strcmp(template_name, "embedded") == 0;
	bool async = strcmp(template_name, "async") == 0;
	const char *versions = rt__arena_printf(ctx->arena, "%s/versions", dir);
	const char *readme = rt__arena_printf(ctx->arena, "%s/README", dir);
	const char *tmpl = rt__arena_printf(ctx->arena, "%s/script.rt.tmpl", dir);
	const char *readme_body = rt__arena_printf(ctx->arena, "%s%s", readme_text,
						   embedded ? embedded_readme_text
						   : async  ? async_readme_text
							    : "");
	if (!versions || !readme || !tmpl || !readme_body)
		return cli_error("out of memory");

	int status = make_folder(ctx, dir, dir_exists);
	if (status == CLI_EXIT_OK)
		status = make_folder(ctx, versions, false);
	if (status == CLI_EXIT_OK)
		status = write_new_file(ctx, readme, readme_body);
	if (status == CLI_EXIT_OK)
		status = write_new_file(ctx, tmpl, rt__script_default_template);
	if (status == CLI_EXIT_OK && (embedded || async))
		status = write_embedded(ctx, dir, ini, async);
	if (status != CLI_EXIT_OK)
		return status;
	const char *location = script_location(ctx, ini, dir);
	const char *ini_body = location ? rt__arena_printf(ctx->arena, ini_format, location) : NULL;
	if (!ini_body)
		return cli_error("cannot find %s from the folder of %s", dir, ini);
	return write_new_file(ctx, ini, ini_body);
}

static int run_init(cli_ctx *ctx)
{
	if (ctx->arg_count != 1)
		return cli_usage_error(&cli_command_init, "init needs the folder to create, "
				       "e.g. 'retort init migrations'");
	const char *template_name = cli_option_value(ctx, "template");
	if (!template_name)
		template_name = "generic";
	if (strcmp(template_name, "generic") != 0 && strcmp(template_name, "embedded") != 0 &&
	    strcmp(template_name, "async") != 0)
		return cli_usage_error(&cli_command_init, "unknown template '%s': expected generic, "
				       "embedded or async", template_name);

	/* The folder without a trailing slash: it is joined to file names. */
	size_t len = strlen(ctx->args[0]);
	while (len > 1 && ctx->args[0][len - 1] == '/')
		len--;
	const char *dir = rt__arena_strndup(ctx->arena, ctx->args[0], len);
	const char *ini = ctx->config_option ? ctx->config_option : "retort.ini";
	if (!dir)
		return cli_error("out of memory");

	if (access(ini, F_OK) == 0)
		return cli_error("%s already exists; init writes a new one (remove it, or name "
				 "another with -c FILE)", ini);
	const char *ini_folder = folder_of(ctx->arena, ini);
	if (!ini_folder || access(ini_folder, W_OK) != 0)
		return cli_error("cannot write %s: no folder %s to write in", ini,
				 ini_folder ? ini_folder : "");
	bool dir_exists;
	int status = folder_state(dir, &dir_exists);
	if (status == CLI_EXIT_OK)
		status = write_all(ctx, dir, ini, template_name, dir_exists);
	if (status == CLI_EXIT_OK)
		say(ctx, "  Please edit the url and schema settings in '%s' before proceeding.",
		    ini);
	return status;
}

const cli_command cli_command_init = {
	.name = "init",
	.summary = "create a folder of migration scripts and its retort.ini",
	.usage = "init [-t generic|embedded|async] DIR",
	.description =
		"Creates DIR with versions/ (the scripts), a README and script.rt.tmpl (the\n"
		"template new scripts are made from), and retort.ini in the current folder\n"
		"(or the -c FILE) with script_location = DIR. Refuses to overwrite an\n"
		"existing retort.ini or a DIR that is not empty.\n"
		"\n"
		"-t embedded also writes DIR/migrate.c, which calls rt_migrate_upgrade, and\n"
		"the build rules that compile the scripts into the program with `retort\n"
		"embed`: DIR/migrations.cmake and DIR/migrations.mk.\n"
		"\n"
		"-t async writes the same build rules for an event-loop program that\n"
		"migrates from its loop: DIR/migrate.c starts the non-blocking upgrade\n"
		"(rt_async_migrate_run), and DIR/main.c is the program's start-up on an\n"
		"epoll loop: it opens the engine, upgrades to head, runs a first query.",
	.options = options,
	.max_args = 1,
	.run = run_init,
	.no_config = true,
	.arg_values = "@dir",
	.examples = "    retort init migrations\n"
		    "    retort init -t embedded db/migrations\n"
		    "    retort init -t async db/migrations",
	.see_also = "revision embed",
};
