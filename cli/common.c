/*
 * common.c - what the commands share (cli.h): messages, option values,
 * where the database URL and the schema file come from, and output.
 *
 * Precedence, as DESIGN §3 fixes it: --url beats $RETORT_URL beats the
 * url of retort.ini; --schema beats the schema of retort.ini.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "engine/url.h"

/* --- messages -------------------------------------------------------------- */

int cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("retort: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return CLI_EXIT_ERROR;
}

int cli_library_error(const char *context)
{
	const rt_error *err = rt_error_last();
	const char *message = err->message && *err->message ? err->message
							    : rt_error_code_name(err->code);
	/* Diagnostics ("file:line:col: error: ...") already say what and
	 * where; anything else gets the usual one-line form. */
	if (err->code == RT_EPARSE && strstr(message, ": error: ")) {
		size_t len = strlen(message);
		fprintf(stderr, "%s%s", message, len && message[len - 1] == '\n' ? "" : "\n");
		return CLI_EXIT_ERROR;
	}
	/* Driver messages may run over several lines (libpq adds hints on
	 * indented lines): a user error is reported on one. */
	fputs("retort: error: ", stderr);
	if (context)
		fprintf(stderr, "%s: ", context);
	bool space = false;
	for (const char *p = message; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == ' ') {
			space = true;
			continue;
		}
		if (space && p > message)
			fputc(' ', stderr);
		space = false;
		fputc(*p, stderr);
	}
	fputc('\n', stderr);
	return CLI_EXIT_ERROR;
}

int cli_usage_error(const cli_command *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("retort: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (command)
		fprintf(stderr, "hint: 'retort %s --help' lists its options\n", command->name);
	else
		fputs("hint: 'retort --help' lists the commands and options\n", stderr);
	return CLI_EXIT_USAGE;
}

static void vreport(const cli_ctx *ctx, int level, const char *fmt, va_list ap)
{
	if (ctx->verbosity < level)
		return;
	fputs("INFO  ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_info(const cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ctx, 1, fmt, ap);
	va_end(ap);
}

void cli_debug(const cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ctx, 2, fmt, ap);
	va_end(ap);
}

/* --- options and settings -------------------------------------------------- */

const char *cli_option_value(const cli_ctx *ctx, const char *name)
{
	const cli_option *options = ctx->command->options;
	for (size_t i = 0; options && options[i].name; i++)
		if (strcmp(options[i].name, name) == 0)
			return ctx->values[i];
	return NULL;
}

const char *const *cli_option_values(const cli_ctx *ctx, const char *name, size_t *count)
{
	const cli_option *options = ctx->command->options;
	*count = 0;
	for (size_t i = 0; options && options[i].name && i < CLI_MAX_OPTIONS; i++) {
		if (strcmp(options[i].name, name) == 0) {
			*count = ctx->list_counts[i];
			return ctx->lists[i];
		}
	}
	return NULL;
}

int cli_setting(cli_ctx *ctx, const char *key, const char **value)
{
	*value = NULL;
	if (!ctx->config)
		return CLI_EXIT_OK;
	if (cli_config_get(ctx->config, CLI_CONFIG_SECTION, key, value) != RT_OK)
		return cli_library_error(NULL);
	return CLI_EXIT_OK;
}

const char *cli_masked_url(cli_ctx *ctx, const char *url)
{
	const char *masked = rt__url_mask(ctx->arena, url);
	return masked ? masked : "(a URL)";
}

int cli_configured_url(cli_ctx *ctx, const char **url)
{
	*url = NULL;
	if (ctx->url_option) {
		*url = ctx->url_option;
		cli_debug(ctx, "Database URL from --url: %s", cli_masked_url(ctx, *url));
		return CLI_EXIT_OK;
	}
	const char *env = getenv("RETORT_URL");
	if (env && *env) {
		*url = env;
		cli_debug(ctx, "Database URL from RETORT_URL: %s", cli_masked_url(ctx, *url));
		return CLI_EXIT_OK;
	}
	if (!ctx->config)
		return CLI_EXIT_OK;
	if (cli_config_get_url(ctx->config, CLI_CONFIG_SECTION, "url", url) != RT_OK)
		return cli_library_error(NULL);
	if (*url && !**url)
		*url = NULL;
	if (*url)
		cli_debug(ctx, "Database URL from %s: %s", ctx->config_name,
			  cli_masked_url(ctx, *url));
	return CLI_EXIT_OK;
}

int cli_resolve_url(cli_ctx *ctx, const char **url)
{
	int status = cli_configured_url(ctx, url);
	if (status != CLI_EXIT_OK || *url)
		return status;
	if (!ctx->config)
		return cli_error("no database URL: %s not found; give --url URL, set "
				 "RETORT_URL or use -c CONFIG", ctx->config_name);
	return cli_error("no database URL: %s has no url; give --url URL or set "
			 "RETORT_URL", ctx->config_name);
}

int cli_load_schema(cli_ctx *ctx, rt_schema **schema)
{
	*schema = NULL;
	const char *path = ctx->schema_option;
	if (!path && ctx->config) {
		if (cli_config_get_path(ctx->config, CLI_CONFIG_SECTION, "schema", &path) !=
		    RT_OK)
			return cli_library_error(NULL);
		if (path && !*path)
			path = NULL;
	}
	if (!path) {
		if (!ctx->config)
			return cli_error("no schema file: %s not found; give --schema FILE or "
					 "use -c CONFIG", ctx->config_name);
		return cli_error("no schema file: %s has no schema; give --schema FILE",
				 ctx->config_name);
	}
	cli_debug(ctx, "Reading schema %s", path);
	if (rt_schema_parse_file(schema, path, NULL) != RT_OK)
		return cli_library_error(NULL);
	return CLI_EXIT_OK;
}

/* --- output ------------------------------------------------------------------ */

int cli_write_output(const cli_ctx *ctx, const char *path, const char *text, size_t len)
{
	if (!path) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
			return cli_error("cannot write to standard output: %s", strerror(errno));
		return CLI_EXIT_OK;
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return cli_error("cannot write '%s': %s", path, strerror(errno));
	bool ok = fwrite(text, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = false;
	if (!ok)
		return cli_error("cannot write '%s': %s", path, strerror(errno));
	cli_info(ctx, "Wrote %s", path);
	return CLI_EXIT_OK;
}
