/*
 * cmd_embed.c - `retort embed [-o FILE.c]`: the versions folder as a C
 * source, for programs that migrate their own database (retort/migrate.h).
 *
 * The file defines one `const rt_migrations` (named `migrations` unless
 * --name says otherwise) holding every script's text byte for byte, so the
 * checksums retort_history records are the same whether `retort upgrade`
 * or the program applied a script, plus retort.ini's version_table and
 * transaction_per_revision. The scripts are parsed and their graph checked
 * first: a broken script fails the build, not the program at start-up.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "migrate/script.h"
#include "migrations.h"

static const cli_option options[] = {
	{"output", 'o', "FILE", "write the C source to FILE instead of stdout", NULL},
	{"name", 0, "NAME", "the name of the rt_migrations it defines\n"
			    "(default: migrations)", NULL},
	{0},
};

static bool is_c_identifier(const char *name)
{
	if (!name || !*name || (*name >= '0' && *name <= '9'))
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

/* Text as C string literals, one per line of it, each on a line of the
 * source after indent. Every byte survives: quotes, backslashes, control
 * and non-ASCII bytes are escaped (octal, always three digits, so a digit
 * after one stays a digit), and a '?' after a '?' too (no trigraphs). */
static void put_literal(rt_buf *out, const char *text, size_t len, const char *indent)
{
	if (len == 0) {
		rt__buf_printf(out, "%s\"\"", indent);
		return;
	}
	bool open = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (!open) {
			rt__buf_printf(out, "%s%s\"", i ? "\n" : "", indent);
			open = true;
		}
		if (c == '\n')
			rt__buf_puts(out, "\\n");
		else if (c == '\t')
			rt__buf_puts(out, "\\t");
		else if (c == '"' || c == '\\')
			rt__buf_printf(out, "\\%c", c);
		else if (c == '?' && i > 0 && text[i - 1] == '?')
			rt__buf_puts(out, "\\?");
		else if (c < 0x20 || c >= 0x7f)
			rt__buf_printf(out, "\\%03o", c);
		else
			rt__buf_putc(out, (char)c);
		if (c == '\n' || i + 1 == len) {
			rt__buf_putc(out, '"');
			open = false;
		}
	}
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int put_scripts(cli_ctx *ctx, rt_buf *out, const cli_scripts *scripts)
{
	if (scripts->set->count == 0)
		return CLI_EXIT_OK;
	rt__buf_puts(out, "static const rt_migration_script scripts[] = {\n");
	for (size_t i = 0; i < scripts->set->count; i++) {
		const char *path = scripts->set->items[i]->path;
		const char *text;
		size_t len;
		int status = cli_read_file(ctx, path, false, &text, &len);
		if (status != CLI_EXIT_OK)
			return status;
		const char *name = base_name(path);
		rt__buf_puts(out, "\t{");
		put_literal(out, name, strlen(name), "");
		rt__buf_puts(out, ",\n");
		put_literal(out, text, len, "\t ");
		rt__buf_printf(out, ",\n\t %zu},\n", len);
	}
	rt__buf_puts(out, "};\n\n");
	return CLI_EXIT_OK;
}

static int write_source(cli_ctx *ctx, const cli_migrate_config *config,
			const cli_scripts *scripts, const char *name, const char *output)
{
	rt_buf out = RT_BUF_INIT;
	rt__buf_printf(&out,
		       "/*\n"
		       " * %s - the migration scripts of %s,\n"
		       " * compiled in for rt_migrate_upgrade. Written by `retort embed`: do not\n"
		       " * edit; edit the scripts and run it again.\n"
		       " */\n"
		       "#include <retort.h>\n"
		       "\n",
		       output ? base_name(output) : "migrations", config->versions);
	int status = put_scripts(ctx, &out, scripts);
	if (status != CLI_EXIT_OK) {
		rt__buf_free(&out);
		return status;
	}
	size_t count = scripts->set->count;
	rt__buf_printf(&out,
		       "extern const rt_migrations %s;\n"
		       "const rt_migrations %s = {\n\tRT_MIGRATIONS_VERSION,\n\t%s,\n\t%zu,\n\t",
		       name, name, count ? "scripts" : "NULL", count);
	put_literal(&out, config->version_table, strlen(config->version_table), "");
	rt__buf_printf(&out, ",\n\t%d,\n};\n", config->transaction_per_revision ? 1 : 0);
	if (rt__buf_failed(&out))
		status = cli_error("out of memory");
	else
		status = cli_write_output(ctx, output, out.ptr, out.len);
	rt__buf_free(&out);
	return status;
}

static int run_embed(cli_ctx *ctx)
{
	const char *name = cli_option_value(ctx, "name");
	if (!name)
		name = "migrations";
	if (!is_c_identifier(name))
		return cli_usage_error(ctx->command, "--name '%s' is not a C identifier", name);
	cli_migrate_config config;
	cli_scripts scripts = {0};
	int status = cli_migrate_config_read(ctx, &config);
	if (status == CLI_EXIT_OK)
		status = cli_scripts_load(ctx, &config, &scripts);
	if (status == CLI_EXIT_OK)
		status = write_source(ctx, &config, &scripts, name, cli_option_value(ctx, "output"));
	cli_scripts_free(&scripts);
	return status;
}

const cli_command cli_command_embed = {
	.name = "embed",
	.summary = "write the scripts as a C source, for a program that migrates itself",
	.usage = "embed [-o FILE.c] [--name NAME]",
	.description =
		"Writes every script of the versions folder, byte for byte, into a C source\n"
		"that defines `const rt_migrations migrations` (with retort.ini's\n"
		"version_table and transaction_per_revision). Compiled into a program, it\n"
		"lets the program migrate its database with no retort command and no\n"
		"script files:\n"
		"    extern const rt_migrations migrations;\n"
		"    rt_migrate_upgrade(engine, &migrations, \"head\");\n"
		"The scripts are checked first, as upgrade reads them.",
	.options = options,
	.max_args = 0,
	.run = run_embed,
	.examples = "    retort embed -o migrations.c --name app_migrations",
	.see_also = "init upgrade",
};
