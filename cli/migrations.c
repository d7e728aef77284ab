/*
 * migrations.c - what the migration commands share (migrations.h):
 * retort.ini's migration keys, the scripts and their graph, the database
 * and its version table, progress and error messages.
 */
#include "migrations.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/file.h"
#include "engine/engine.h"
#include "migrate/script.h"
#include "migrate/version.h"

/* --- settings ------------------------------------------------------------------ */

/* Alembic's default file name: the revision id, then the message's slug. */
#define DEFAULT_FILE_TEMPLATE "%(rev)s_%(slug)s"

static int read_string(cli_ctx *ctx, const char *key, const char *fallback, const char **out)
{
	int status = cli_setting(ctx, key, out);
	if (status == CLI_EXIT_OK && (!*out || !**out))
		*out = fallback;
	return status;
}

int cli_migrate_config_read(cli_ctx *ctx, cli_migrate_config *out)
{
	memset(out, 0, sizeof(*out));
	if (!ctx->config)
		return cli_error("%s not found; 'retort init DIR' creates it with a folder of "
				 "migration scripts, or use -c CONFIG",
				 ctx->config_name);
	const cli_config *config = ctx->config;
	if (cli_config_get_path(config, CLI_CONFIG_SECTION, "script_location",
				&out->script_location) != RT_OK)
		return cli_library_error(NULL);
	if (!out->script_location || !*out->script_location)
		return cli_error("%s has no script_location: the folder of the migration "
				 "scripts ('retort init DIR' writes it)",
				 ctx->config_name);
	out->versions = rt__arena_printf(ctx->arena, "%s/versions", out->script_location);
	out->template_path = rt__arena_printf(ctx->arena, "%s/script.rt.tmpl",
					      out->script_location);
	if (!out->versions || !out->template_path)
		return cli_error("out of memory");

	int status = read_string(ctx, "file_template", DEFAULT_FILE_TEMPLATE, &out->file_template);
	if (status == CLI_EXIT_OK)
		status = cli_version_table_setting(ctx, &out->version_table);
	if (status == CLI_EXIT_OK)
		status = cli_schemas_setting(ctx, &out->schemas, &out->schema_count);
	if (status == CLI_EXIT_OK)
		status = read_string(ctx, "include_objects", NULL, &out->include_objects);
	if (status == CLI_EXIT_OK)
		status = read_string(ctx, "exclude_objects", NULL, &out->exclude_objects);
	if (status != CLI_EXIT_OK)
		return status;
	if (cli_config_get_bool(config, CLI_CONFIG_SECTION, "transaction_per_revision",
				&out->transaction_per_revision) != RT_OK ||
	    cli_config_get_seconds(config, CLI_CONFIG_SECTION, "lock_timeout",
				   &out->lock_timeout_ms) != RT_OK)
		return cli_library_error(NULL);
	return CLI_EXIT_OK;
}

int cli_version_table_setting(cli_ctx *ctx, const char **table)
{
	const char *name = NULL, *schema = NULL;
	int status = read_string(ctx, "version_table", RT_VERSION_TABLE_DEFAULT, &name);
	if (status == CLI_EXIT_OK)
		status = read_string(ctx, "version_table_schema", NULL, &schema);
	if (status != CLI_EXIT_OK)
		return status;
	if (schema && strchr(schema, '.'))
		return cli_error("%s: version_table_schema '%s': a schema's name holds no '.'",
				 ctx->config_name, schema);
	if (schema && strchr(name, '.'))
		return cli_error("%s: version_table '%s' holds a '.': with version_table_schema "
				 "the version table's name is its own",
				 ctx->config_name, name);
	*table = schema && strcmp(schema, RT_DEFAULT_SCHEMA) != 0
			 ? rt__version_table_name(ctx->arena, schema, name)
			 : name;
	return *table ? CLI_EXIT_OK : cli_error("out of memory");
}

int cli_schemas_setting(cli_ctx *ctx, const char ***names, size_t *count)
{
	*names = NULL;
	*count = 0;
	const char *text = NULL;
	int status = cli_setting(ctx, "schemas", &text);
	size_t cap = 0;
	for (const char *s = text; status == CLI_EXIT_OK && s && *s;) {
		const char *end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		const char *a = s, *b = end;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (a == b)
			return cli_error("%s: schemas lists an empty name ('%s')", ctx->config_name,
					 text);
		const char *name = rt__arena_strndup(ctx->arena, a, (size_t)(b - a));
		if (!name || RT_ARENA_PUSH(ctx->arena, *names, *count, cap, name) < 0)
			return cli_error("out of memory");
		s = *end ? end + 1 : end;
	}
	return status;
}

/* The error for what (a table, an enum, a view, ...) in schema, which
 * retort.ini's schemas does not list; CLI_EXIT_OK when it does. */
static int schema_listed(cli_ctx *ctx, const char *what, const char *name, const char *schema,
			 const char *const *names, size_t count)
{
	schema = schema ? schema : RT_DEFAULT_SCHEMA;
	bool listed = count == 0 && strcmp(schema, RT_DEFAULT_SCHEMA) == 0;
	for (size_t k = 0; !listed && k < count; k++)
		listed = strcmp(names[k], schema) == 0;
	if (listed)
		return CLI_EXIT_OK;
	rt_buf list = RT_BUF_INIT;
	for (size_t k = 0; k < count; k++)
		rt__buf_printf(&list, "%s%s", k ? ", " : "", names[k]);
	int status = cli_error("%s %s is in schema %s, which %s's schemas does not "
			       "list (schemas = %s): retort reads only the schemas "
			       "listed there; add %s to it",
			       what, name, schema, ctx->config_name,
			       count ? rt__buf_cstr(&list) : RT_DEFAULT_SCHEMA, schema);
	rt__buf_free(&list);
	return status;
}

int cli_schemas_cover(cli_ctx *ctx, const rt_schema *models, const char *const *names,
		      size_t count)
{
	int status = CLI_EXIT_OK;
	for (size_t i = 0; status == CLI_EXIT_OK && i < models->table_count; i++)
		status = schema_listed(ctx, "table", models->tables[i]->name,
				       models->tables[i]->schema, names, count);
	for (size_t i = 0; status == CLI_EXIT_OK && i < models->enum_count; i++)
		status = schema_listed(ctx, "enum", models->enums[i]->name,
				       models->enums[i]->schema, names, count);
	for (size_t i = 0; status == CLI_EXIT_OK && i < models->sql_object_count; i++) {
		const rt_sql_object *o = models->sql_objects[i];
		status = schema_listed(ctx, rt__sql_kind_name(o->kind), o->name, o->schema, names,
				       count);
	}
	return status;
}

/* --- scripts ---------------------------------------------------------------------- */

int cli_scripts_load(cli_ctx *ctx, const cli_migrate_config *config, cli_scripts *out)
{
	memset(out, 0, sizeof(*out));
	cli_debug(ctx, "Reading the scripts of %s", config->versions);
	if (rt__migration_set_load(&out->set, config->versions, 0) != RT_OK)
		return cli_migrate_error(NULL);
	if (rt__graph_build(&out->graph, out->set) != RT_OK) {
		int status = cli_migrate_error(NULL);
		cli_scripts_free(out);
		return status;
	}
	return CLI_EXIT_OK;
}

void cli_scripts_free(cli_scripts *scripts)
{
	rt__graph_free(scripts->graph);
	rt__migration_set_free(scripts->set);
	scripts->graph = NULL;
	scripts->set = NULL;
}

/* --- the database -------------------------------------------------------------------- */

int cli_database_open(cli_ctx *ctx, cli_database *db, bool connect)
{
	memset(db, 0, sizeof(*db));
	const char *url = NULL;
	int status = cli_resolve_url(ctx, &url);
	if (status != CLI_EXIT_OK)
		return status;
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.echo = ctx->verbosity >= 3;
	if (rt_engine_open(&db->engine, url, &opts) != RT_OK)
		return cli_library_error(NULL);
	if (!connect)
		return CLI_EXIT_OK;
	cli_debug(ctx, "Connecting to %s", rt_engine_url(db->engine));
	if (rt_conn_open(&db->conn, db->engine) != RT_OK) {
		status = cli_library_error(NULL);
		cli_database_close(db);
	}
	return status;
}

int cli_database_open_existing(cli_ctx *ctx, cli_database *db, bool *missing)
{
	if (missing)
		*missing = false;
	int status = cli_database_open(ctx, db, false);
	if (status != CLI_EXIT_OK)
		return status;
	rt__engine_set_must_exist(db->engine);
	cli_debug(ctx, "Connecting to %s", rt_engine_url(db->engine));
	int rc = rt_conn_open(&db->conn, db->engine);
	if (rc == RT_ENOTFOUND && missing) {
		*missing = true;
		return CLI_EXIT_OK;
	}
	if (rc != RT_OK) {
		status = cli_library_error(NULL);
		cli_database_close(db);
	}
	return status;
}

void cli_database_close(cli_database *db)
{
	rt_conn_close(db->conn);
	rt_engine_free(db->engine);
	db->conn = NULL;
	db->engine = NULL;
}

int cli_database_heads(cli_ctx *ctx, const cli_database *db, const cli_migrate_config *config,
		       const cli_scripts *scripts, rt_revlist *out)
{
	memset(out, 0, sizeof(*out));
	const char **ids = NULL;
	size_t count = 0;
	if (rt__version_heads(db->conn, config->version_table, ctx->arena, &ids, &count) != RT_OK ||
	    rt__graph_current(scripts->graph, ctx->arena, ids, count, out) != RT_OK)
		return cli_migrate_error(NULL);
	return CLI_EXIT_OK;
}

/* --- messages ------------------------------------------------------------------------ */

void cli_progress(void *ctx, const char *line)
{
	const cli_ctx *cli = ctx;
	/* A warning is shown even with -q: the user has something to do. */
	if (cli->verbosity >= 1 || strncmp(line, "WARN", 4) == 0) {
		fputs(line, stderr);
		fputc('\n', stderr);
	}
}

/* Messages the migration modules write themselves, one problem a line;
 * a database's message (which may wrap, with hints) is not one. */
static bool keeps_its_lines(const rt_error *err)
{
	if (!err->message || !strchr(err->message, '\n'))
		return false;
	if (err->sqlstate[0] || err->driver_code)
		return false;
	switch (err->code) {
	case RT_EDRIFT:
	case RT_EPARSE:
	case RT_ENOTFOUND:
	case RT_EMULTIPLE:
	case RT_EMULTIHEAD:
		return true;
	default:
		return false;
	}
}

int cli_migrate_error(const char *context)
{
	const rt_error *err = rt_error_last();
	if (!keeps_its_lines(err) || (err->code == RT_EPARSE && strstr(err->message, ": error: ")))
		return cli_library_error(context);
	size_t len = strlen(err->message);
	fprintf(stderr, "retort: error: %s%s%s%s", context ? context : "", context ? ": " : "",
		err->message, len && err->message[len - 1] == '\n' ? "" : "\n");
	return CLI_EXIT_ERROR;
}

int cli_read_file(cli_ctx *ctx, const char *path, bool optional, const char **text,
		  size_t *len)
{
	*text = NULL;
	*len = 0;
	rt_buf buf = RT_BUF_INIT;
	char why[256];
	int rc = rt__file_read(&buf, path, RT_FILE_MAX_BYTES, why, sizeof(why));
	if (rc < 0) {
		rt__buf_free(&buf);
		if (optional && rc == RT_ENOTFOUND)
			return CLI_EXIT_OK;
		return cli_error("cannot read '%s': %s", path, why);
	}
	char *copy = rt__arena_alloc(ctx->arena, buf.len + 1);
	if (copy) {
		if (buf.len)
			memcpy(copy, buf.ptr, buf.len);
		copy[buf.len] = '\0';
		*text = copy;
		*len = buf.len;
	}
	rt__buf_free(&buf);
	return copy ? CLI_EXIT_OK : cli_error("out of memory");
}

bool cli_is_revision_id(const char *text)
{
	if (!text || !*text || strlen(text) > 32)
		return false;
	for (const char *p = text; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '_';
		if (!ok)
			return false;
	}
	return true;
}
