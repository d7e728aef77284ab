/*
 * cmd_gen.c - `retort gen [-o DIR] [--name NAME]`: the C code for the
 * models, DIR/NAME.h and DIR/NAME.c (src/gen/cgen.h; docs/codegen.md).
 *
 * A file is written only when its text changed, through a temporary file
 * renamed over it, so a build that runs gen on every schema change
 * recompiles only what really changed and never sees half a file.
 * --depfile writes the schema files read as a Makefile rule, for build
 * systems (retort_generate() in CMake) that track included files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli.h"
#include "gen/cgen.h"
#include "schema/metadata.h"

static const cli_option options[] = {
	{"output", 'o', "DIR", "write NAME.h and NAME.c into DIR (default: the\n"
			       "current folder; made when missing)", NULL},
	{"name", 0, "NAME", "the files' name and the prefix of the model set\n"
			    "NAME_models (default: the schema file's name)", NULL},
	{"depfile", 0, "FILE", "also write the schema files read, as a Makefile\n"
			       "rule for DIR/NAME.h (for build systems)", NULL},
	{0},
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The default NAME: the schema file's name without its extension, made a
 * C identifier (my-models.rt -> my_models). */
static const char *default_name(cli_ctx *ctx, const char *path)
{
	const char *base = base_name(path);
	const char *dot = strrchr(base, '.');
	size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *name = rt__arena_strndup(ctx->arena, base, len);
	if (!name)
		return NULL;
	for (char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (p > name && *p >= '0' && *p <= '9')))
			*p = '_';
	if (!*name || !rt__cgen_is_identifier(name))
		return rt__arena_printf(ctx->arena, "%s_", *name ? name : "models");
	return name;
}

/* mkdir -p */
static int make_dir(cli_ctx *ctx, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? CLI_EXIT_OK
					   : cli_error("'%s' exists and is not a folder", dir);
	char *copy = rt__arena_strdup(ctx->arena, dir);
	if (!copy)
		return cli_error("out of memory");
	char *slash = strrchr(copy, '/');
	while (slash && slash > copy && slash[-1] == '/')
		slash--;
	if (slash && slash != copy) {
		*slash = '\0';
		int status = make_dir(ctx, copy);
		if (status != CLI_EXIT_OK)
			return status;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cli_error("cannot make the folder '%s': %s", dir, strerror(errno));
	return CLI_EXIT_OK;
}

/* Does the file at path hold exactly text? */
static bool same_content(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	bool same = true;
	char chunk[8192];
	size_t at = 0, n;
	while (same && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		same = at + n <= len && memcmp(chunk, text + at, n) == 0;
		at += n;
	}
	same = same && !ferror(f) && at == len;
	fclose(f);
	return same;
}

static int write_if_changed(cli_ctx *ctx, const char *path, const rt_buf *text)
{
	const char *data = rt__buf_cstr(text);
	if (same_content(path, data, text->len)) {
		cli_info(ctx, "Unchanged %s", path);
		return CLI_EXIT_OK;
	}
	const char *tmp = rt__arena_printf(ctx->arena, "%s.tmp%ld", path, (long)getpid());
	if (!tmp)
		return cli_error("out of memory");
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return cli_error("cannot write '%s': %s", path, strerror(errno));
	bool ok = fwrite(data, 1, text->len, f) == text->len;
	int saved = errno;
	if (fclose(f) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		remove(tmp);
		return cli_error("cannot write '%s': %s", path, strerror(saved));
	}
	cli_info(ctx, "Wrote %s", path);
	return CLI_EXIT_OK;
}

/* --- the depfile --------------------------------------------------------------- */

/* A path in a Makefile rule: spaces, '#' and '$' escaped. */
static void put_make_path(rt_buf *out, const char *path)
{
	for (const char *p = path; *p; p++) {
		if (*p == ' ' || *p == '#' || *p == '\\')
			rt__buf_putc(out, '\\');
		if (*p == '$')
			rt__buf_putc(out, '$');
		rt__buf_putc(out, *p);
	}
}

static void add_file(rt_buf *out, rt_map *seen, const char *file)
{
	if (!file || rt__map_get(seen, file))
		return;
	if (rt__map_put(seen, file, (void *)file) != 0) {
		out->failed = true;
		return;
	}
	rt__buf_puts(out, " \\\n  ");
	put_make_path(out, file);
}

/* Every file that declared something of the schema: the main file and
 * the files it includes (their declarations carry their file name). */
static int write_depfile(cli_ctx *ctx, const char *depfile, const char *target,
			 const rt_schema *schema)
{
	rt_buf out = RT_BUF_INIT;
	rt_map seen;
	rt__map_init(&seen, ctx->arena);
	put_make_path(&out, target);
	rt__buf_putc(&out, ':');
	add_file(&out, &seen, schema->path);
	for (size_t i = 0; i < schema->enum_count; i++)
		add_file(&out, &seen, schema->enums[i]->pos.file);
	for (size_t i = 0; i < schema->table_count; i++) {
		const rt_table *t = schema->tables[i];
		add_file(&out, &seen, t->pos.file);
		for (size_t c = 0; c < t->column_count; c++)
			add_file(&out, &seen, t->columns[c]->pos.file);
		for (size_t r = 0; r < t->relationship_count; r++)
			add_file(&out, &seen, t->relationships[r]->pos.file);
	}
	rt__buf_putc(&out, '\n');
	int status = rt__buf_failed(&out) ? cli_error("out of memory")
					  : write_if_changed(ctx, depfile, &out);
	rt__buf_free(&out);
	return status;
}

/* --- the command ----------------------------------------------------------------- */

static int run_gen(cli_ctx *ctx)
{
	const char *dir = cli_option_value(ctx, "output");
	const char *name = cli_option_value(ctx, "name");
	const char *depfile = cli_option_value(ctx, "depfile");
	if (name && !rt__cgen_is_identifier(name))
		return cli_usage_error(ctx->command, "--name '%s' is not a C identifier", name);
	if (dir && !*dir)
		return cli_usage_error(ctx->command, "-o needs a folder");

	rt_schema *schema = NULL;
	int status = cli_load_schema(ctx, &schema);
	if (status != CLI_EXIT_OK)
		return status;
	const char *path = schema->path ? schema->path : "schema.rt";
	if (!name)
		name = default_name(ctx, path);
	if (!name) {
		rt_schema_free(schema);
		return cli_error("out of memory");
	}

	rt_buf header = RT_BUF_INIT, source = RT_BUF_INIT;
	rt_cgen_options opts = {name, base_name(path)};
	if (rt__cgen(&header, &source, schema, &opts) != RT_OK) {
		status = cli_library_error("cannot generate the C code");
	} else {
		const char *h = rt__arena_printf(ctx->arena, "%s/%s.h", dir ? dir : ".", name);
		const char *c = rt__arena_printf(ctx->arena, "%s/%s.c", dir ? dir : ".", name);
		if (!h || !c)
			status = cli_error("out of memory");
		if (status == CLI_EXIT_OK && dir)
			status = make_dir(ctx, dir);
		if (status == CLI_EXIT_OK)
			status = write_if_changed(ctx, h, &header);
		if (status == CLI_EXIT_OK)
			status = write_if_changed(ctx, c, &source);
		if (status == CLI_EXIT_OK && depfile)
			status = write_depfile(ctx, depfile, h, schema);
	}
	rt__buf_free(&header);
	rt__buf_free(&source);
	rt_schema_free(schema);
	return status;
}

const cli_command cli_command_gen = {
	.name = "gen",
	.summary = "write the C code for the models: structs, descriptions, functions",
	.usage = "gen [-o DIR] [--name NAME] [--depfile FILE]",
	.description =
		"Writes DIR/NAME.h and DIR/NAME.c for the models of the schema: a struct\n"
		"per model, a C enum per enum, the static description the ORM reads\n"
		"(NAME_models lists them all), typed column handles for queries, and\n"
		"typed functions: Model_new, Model_get, Model_query, Model_delete, setters\n"
		"for text and blob fields, and load/add/remove/set for relationships;\n"
		"and their non-blocking forms for event-loop programs (Model_get_async,\n"
		"Model_first_async, ..., Model_load_REL_async) with callbacks typed on\n"
		"the model's struct.\n"
		"A file whose text would not change is left alone, so builds do not\n"
		"recompile needlessly. The output is the same for the same schema and\n"
		"compiles as strict C11 (docs/codegen.md).",
	.options = options,
	.max_args = 0,
	.run = run_gen,
	.examples = "    retort --schema models.rt gen -o generated",
	.see_also = "sql diagram",
};
