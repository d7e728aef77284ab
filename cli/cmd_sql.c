/*
 * cmd_sql.c - `retort sql [create|drop]`: the DDL of the schema.
 *
 * Printing needs no database: the dialect comes from the URL's scheme
 * (sqlite:///x.db gives SQLite DDL whether or not x.db exists) or from
 * --dialect. --execute runs the same statements on the configured database
 * instead, which is how `make demo` and a quick prototype create tables
 * without writing a migration.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dialect/registry.h"

static const cli_option options[] = {
	{"dialect", 0, "NAME", "print for this dialect, a backend's name as in\n"
			       "a URL (no database URL needed)", "@dialect"},
	{"execute", 0, NULL, "run the statements on the configured database\n"
			     "instead of printing them", NULL},
	{0},
};

/* A backend of this build; else the backends it has, or the option that
 * adds a backend it leaves out. */
static int check_dialect(const char *name)
{
	if (rt__dialect_find(name))
		return CLI_EXIT_OK;
	if (rt__backend_find(name, -1)) {
		rt__backend_error(name, "dialect", NULL);
		return cli_usage_error(&cli_command_sql, "%s", rt_error_last()->message);
	}
	char names[256];
	rt__backend_list(names, sizeof(names), RT_BACKENDS_BUILT, ", ", " or ");
	return cli_usage_error(&cli_command_sql, "unknown dialect '%s': expected %s", name, names);
}

static int print_ddl(cli_ctx *ctx, const rt_schema *schema, const char *dialect,
		     rt_ddl_kind kind)
{
	char *ddl = NULL;
	if (rt_schema_ddl(&ddl, schema, dialect, kind) != RT_OK)
		return cli_library_error("cannot render the DDL");
	int status = cli_write_output(ctx, NULL, ddl, strlen(ddl));
	rt_free(ddl);
	return status;
}

static int execute_ddl(cli_ctx *ctx, const rt_schema *schema, rt_engine *engine,
		       rt_ddl_kind kind)
{
	const char *where = rt_engine_url(engine);
	rt_conn *conn = NULL;
	if (rt_conn_open(&conn, engine) != RT_OK)
		return cli_library_error(NULL);
	int rc = kind == RT_DDL_CREATE ? rt_schema_create_all(conn, schema)
				       : rt_schema_drop_all(conn, schema);
	rt_conn_close(conn);
	if (rc != RT_OK)
		return cli_library_error(kind == RT_DDL_CREATE ? "cannot create the tables"
							       : "cannot drop the tables");
	size_t tables = rt_schema_table_count(schema);
	cli_info(ctx, "%s %zu table%s %s %s", kind == RT_DDL_CREATE ? "Created" : "Dropped",
		 tables, tables == 1 ? "" : "s", kind == RT_DDL_CREATE ? "in" : "from", where);
	return CLI_EXIT_OK;
}

/* The URL is needed to execute, or to pick the dialect when --dialect
 * does not; else it is not looked at. */
static int find_url(cli_ctx *ctx, bool execute, const char *dialect, const char **url)
{
	*url = NULL;
	if (execute)
		return cli_resolve_url(ctx, url);
	if (dialect)
		return CLI_EXIT_OK;
	int status = cli_configured_url(ctx, url);
	if (status != CLI_EXIT_OK || *url)
		return status;
	char names[256];
	rt__backend_list(names, sizeof(names), RT_BACKENDS_BUILT, "|", "|");
	return cli_error("no database URL to take the dialect from: %s%s; give --url URL, "
			 "set RETORT_URL or use --dialect %s", ctx->config_name,
			 ctx->config ? " has no url" : " not found", names);
}

static int run_sql(cli_ctx *ctx)
{
	rt_ddl_kind kind = RT_DDL_CREATE;
	if (ctx->arg_count == 1 && strcmp(ctx->args[0], "drop") == 0)
		kind = RT_DDL_DROP;
	else if (ctx->arg_count == 1 && strcmp(ctx->args[0], "create") != 0)
		return cli_usage_error(&cli_command_sql, "unknown action '%s': expected create "
				       "or drop", ctx->args[0]);

	const char *dialect = cli_option_value(ctx, "dialect");
	bool execute = cli_option_value(ctx, "execute") != NULL;
	if (dialect && check_dialect(dialect) != CLI_EXIT_OK)
		return CLI_EXIT_USAGE;

	rt_schema *schema = NULL;
	int status = cli_load_schema(ctx, &schema);
	if (status != CLI_EXIT_OK)
		return status;

	const char *url = NULL;
	if ((status = find_url(ctx, execute, dialect, &url)) != CLI_EXIT_OK) {
		rt_schema_free(schema);
		return status;
	}

	rt_engine *engine = NULL;
	if (url) {
		rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
		opts.echo = ctx->verbosity >= 3;
		if (rt_engine_open(&engine, url, &opts) != RT_OK)
			status = cli_library_error(NULL);
	}
	if (status == CLI_EXIT_OK && engine && dialect && execute &&
	    rt__dialect_find(dialect) != rt__dialect_find(rt_engine_dialect(engine)))
		status = cli_error("--dialect %s does not match the database %s", dialect,
				   rt_engine_url(engine));
	if (status == CLI_EXIT_OK) {
		if (execute)
			status = execute_ddl(ctx, schema, engine, kind);
		else
			status = print_ddl(ctx, schema, dialect ? dialect : rt_engine_dialect(engine),
					   kind);
	}
	rt_engine_free(engine);
	rt_schema_free(schema);
	return status;
}

const cli_command cli_command_sql = {
	.name = "sql",
	.summary = "the SQL that creates or drops the schema's tables",
	.usage = "sql [create|drop] [--dialect NAME] [--execute]",
	.description =
		"Prints the DDL that creates (create, the default) or drops (drop) every\n"
		"table, enum type and index of the schema, for the dialect of the database\n"
		"URL, in foreign-key order. Printing connects to nothing: a sqlite:/// URL\n"
		"gives SQLite DDL even when the file does not exist, and --dialect needs\n"
		"no URL at all. With --execute the statements run on the database instead,\n"
		"in one transaction where the database allows.\n"
		"\n"
		"The schema is --schema FILE, else the schema of retort.ini; the URL is\n"
		"--url, else $RETORT_URL, else the url of retort.ini.",
	.options = options,
	.max_args = 1,
	.run = run_sql,
	.arg_values = "create|drop",
	.examples = "    retort --url sqlite:///x.db sql create\n"
		    "    retort sql drop --dialect postgresql\n"
		    "    retort --url sqlite:///x.db sql create --execute",
	.see_also = "gen diagram inspect",
};
