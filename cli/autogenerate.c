/*
 * autogenerate.c - the operations that bring a schema to the models, for
 * `retort revision --autogenerate` and `retort check` (migrations.h).
 *
 * The state compared with the models is, by default, the live database,
 * reflected; as in Alembic it must stand at the revision the new script
 * revises, or the script would repeat (or miss) what the scripts between
 * do. With --against history the state is the scripts' own: their
 * upgrades replayed in memory up to that revision, so a script can be
 * written with no database at hand, as Django does. A live database is
 * read with the replayed scripts beside it: what neither they nor the
 * models made is not managed, listed and left alone (and where the
 * database keeps no enum types, the scripts' are its). The differ (src/migrate/diff.c) does the
 * comparing; here are the sides, the renames the user states or is asked
 * about, and the messages.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "migrate/lock.h"
#include "migrate/ops.h"
#include "migrate/version.h"
#include "migrations.h"

int cli_against_option(cli_ctx *ctx, cli_against *out)
{
	const char *text = cli_option_value(ctx, "against");
	*out = CLI_AGAINST_DATABASE;
	if (!text || strcmp(text, "database") == 0)
		return CLI_EXIT_OK;
	if (strcmp(text, "history") == 0) {
		*out = CLI_AGAINST_HISTORY;
		return CLI_EXIT_OK;
	}
	return cli_usage_error(ctx->command, "unknown --against '%s': expected database or history",
			       text);
}

/* --- the state ----------------------------------------------------------------------- */

static void put_ids(rt_buf *buf, const rt_revlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		rt__buf_printf(buf, "%s%s", i ? ", " : "", list->items[i]->id);
	if (list->count == 0)
		rt__buf_puts(buf, "base");
}

static bool same_revisions(const rt_revlist *a, const rt_revlist *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (!rt__revlist_has(b, a->items[i]))
			return false;
	return true;
}

/* Alembic's rule: the database must be where the new revision starts. */
static int check_up_to_date(const rt_revlist *current, const rt_revlist *parents)
{
	if (same_revisions(current, parents))
		return CLI_EXIT_OK;
	rt_buf at = RT_BUF_INIT, from = RT_BUF_INIT;
	put_ids(&at, current);
	put_ids(&from, parents);
	int status = rt__buf_failed(&at) || rt__buf_failed(&from)
			     ? cli_error("out of memory")
			     : cli_error("Target database is not up to date: it is at %s, and the new "
					 "revision revises %s. Run 'retort upgrade' first, or compare "
					 "with the scripts: --against history",
					 rt__buf_cstr(&at), rt__buf_cstr(&from));
	rt__buf_free(&at);
	rt__buf_free(&from);
	return status;
}

/* Opens the database when it is not open, and checks that it stands at
 * parents. */
static int check_database(cli_ctx *ctx, const cli_migrate_config *config,
			  const cli_scripts *scripts, const rt_revlist *parents, cli_database *db)
{
	rt_revlist current;
	int status = db->conn ? CLI_EXIT_OK : cli_database_open(ctx, db, true);
	if (status == CLI_EXIT_OK)
		status = cli_database_heads(ctx, db, config, scripts, &current);
	if (status == CLI_EXIT_OK)
		status = check_up_to_date(&current, parents);
	return status;
}

/* The schema the reading found (*state), or its error. */
static int reflected(cli_reflection *reading, rt_schema **state)
{
	if (cli_reflection_finish(reading, state) != RT_OK)
		return cli_library_error("cannot read the database");
	/* What the models cannot describe is compared by nobody: say so. */
	for (size_t i = 0; i < (*state)->not_kept_count; i++)
		fprintf(stderr, "WARN  not kept: %s\n", (*state)->not_kept[i]);
	return CLI_EXIT_OK;
}

/* The scripts' upgrades up to parents (and their ancestors), replayed. */
static int replay_history(cli_ctx *ctx, const cli_scripts *scripts, const rt_revlist *parents,
			  rt_schema **state)
{
	const rt_graph *graph = scripts->graph;
	bool *applied = rt__graph_closure(graph, ctx->arena, parents);
	if (!applied || !(*state = rt__op_state_new()))
		return cli_error("out of memory");
	for (size_t i = 0; i < graph->count; i++) {
		if (!applied[i])
			continue;
		const rt_migration *m = graph->revisions[i]->migration;
		for (size_t k = 0; k < m->upgrade.count; k++)
			if (rt__op_apply(*state, m->upgrade.items[k]) != RT_OK)
				return cli_library_error("cannot replay the scripts");
	}
	return CLI_EXIT_OK;
}

/* --- renames ------------------------------------------------------------------------- */

/* Asks on the terminal; anything but y or yes is a no. */
static int ask_rename(void *ctx, const char *table, const char *from, const char *to)
{
	(void)ctx;
	if (table)
		fprintf(stderr, "Did you rename the column %s.%s to %s? [y/N] ", table, from, to);
	else
		fprintf(stderr, "Did you rename the table %s to %s? [y/N] ", from, to);
	fflush(stderr);
	char answer[64];
	if (!fgets(answer, sizeof(answer), stdin))
		return 0;
	answer[strcspn(answer, "\r\n")] = '\0';
	return strcmp(answer, "y") == 0 || strcmp(answer, "Y") == 0 || strcmp(answer, "yes") == 0;
}

static int stated_renames(cli_ctx *ctx, const cli_autogen *how, rt_diff_rename **out)
{
	*out = NULL;
	if (how->rename_count == 0)
		return CLI_EXIT_OK;
	*out = rt__arena_alloc(ctx->arena, how->rename_count * sizeof(**out));
	if (!*out)
		return cli_error("out of memory");
	for (size_t i = 0; i < how->rename_count; i++)
		if (rt__diff_parse_rename(&(*out)[i], ctx->arena, how->renames[i]) != RT_OK)
			return cli_usage_error(ctx->command, "--%s",
					       rt_error_last()->message);
	return CLI_EXIT_OK;
}

/* --- what is looked at -------------------------------------------------------------- */

/* Name patterns (`*`, `?`, `[...]`, as the shell has them). */
typedef struct patterns {
	const char **items;
	size_t count, cap;
} patterns;

typedef struct object_filter {
	patterns include;   /* empty: every name */
	patterns exclude;
} object_filter;

/* Adds the comma-separated patterns of text, each trimmed of spaces. */
static int add_patterns(cli_ctx *ctx, patterns *out, const char *text)
{
	while (text && *text) {
		size_t len = strcspn(text, ",");
		const char *start = text, *end = text + len;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > start) {
			const char *p = rt__arena_strndup(ctx->arena, start, (size_t)(end - start));
			if (!p || RT_ARENA_PUSH(ctx->arena, out->items, out->count, out->cap, p) < 0)
				return cli_error("out of memory");
		}
		text += len + (text[len] == ',');
	}
	return CLI_EXIT_OK;
}

/* The command's options when given, else retort.ini's key. */
static int read_patterns(cli_ctx *ctx, patterns *out, const char *option, const char *setting)
{
	size_t count = 0;
	const char *const *given = cli_option_values(ctx, option, &count);
	if (count == 0)
		return add_patterns(ctx, out, setting);
	for (size_t i = 0; i < count; i++) {
		int status = add_patterns(ctx, out, given[i]);
		if (status != CLI_EXIT_OK)
			return status;
	}
	return CLI_EXIT_OK;
}

static bool matches(const patterns *list, const char *name)
{
	for (size_t i = 0; i < list->count; i++)
		if (fnmatch(list->items[i], name, 0) == 0)
			return true;
	return false;
}

/* The differ's exclude: outside include_objects, or inside exclude_objects. */
static bool excluded(void *ctx, const char *name)
{
	const object_filter *filter = ctx;
	return (filter->include.count > 0 && !matches(&filter->include, name)) ||
	       matches(&filter->exclude, name);
}

/* --- the comparison ----------------------------------------------------------------- */

/* What the differ is told: the options and what they point to. */
typedef struct diff_setup {
	object_filter filter;
	const char *ignore[3];
	rt_diff_warnings warnings, unmanaged;
	rt_diff_options opts;
} diff_setup;

static int setup_diff(cli_ctx *ctx, const cli_migrate_config *config, const cli_autogen *how,
		      const rt_schema *scripts, diff_setup *s)
{
	*s = (diff_setup){.ignore = {config->version_table,
				     rt__version_history_name(ctx->arena, config->version_table),
				     RT_LOCK_TABLE}};
	rt_diff_rename *renames = NULL;
	int status = stated_renames(ctx, how, &renames);
	if (status == CLI_EXIT_OK)
		status = read_patterns(ctx, &s->filter.include, "include-object",
				       config->include_objects);
	if (status == CLI_EXIT_OK)
		status = read_patterns(ctx, &s->filter.exclude, "exclude-object",
				       config->exclude_objects);
	s->opts = (rt_diff_options){
		.renames = renames,
		.rename_count = how->rename_count,
		.ask_rename = how->ask ? ask_rename : NULL,
		.warnings = &s->warnings,
		.ignore_tables = s->ignore,
		.ignore_count = sizeof(s->ignore) / sizeof(s->ignore[0]),
		.scripts = scripts,
		.exclude = excluded,
		.exclude_ctx = &s->filter,
		.unmanaged = &s->unmanaged,
		.drop_unmanaged = how->drop_unmanaged,
	};
	return status;
}

static int compare(cli_ctx *ctx, const cli_autogen *how, diff_setup *s, const rt_schema *state,
		   const rt_schema *models, const rt_dialect *dialect, rt_migration *out)
{
	int rc = rt__diff_schemas(out, state, models, dialect, &s->opts);
	for (size_t i = 0; i < s->warnings.count; i++)
		fprintf(stderr, "WARN  %s\n", s->warnings.items[i]);
	for (size_t i = 0; rc == RT_OK && i < s->unmanaged.count; i++) {
		if (how->drop_unmanaged)
			cli_info(ctx, "Dropping what is not managed: %s", s->unmanaged.items[i]);
		else
			fprintf(stderr, "not managed: %s\n", s->unmanaged.items[i]);
	}
	if (rc != RT_OK)
		return rc == RT_EUSAGE ? cli_usage_error(ctx->command, "%s", rt_error_last()->message)
				       : cli_library_error("autogenerate");
	return CLI_EXIT_OK;
}

int cli_autogenerate(cli_ctx *ctx, const cli_migrate_config *config, const cli_scripts *scripts,
		     const cli_autogen *how, rt_migration *out)
{
	rt_schema *models = NULL, *state = NULL, *replayed = NULL;
	cli_database own = {0};
	cli_database *db = how->db ? how->db : &own;
	bool live = how->against == CLI_AGAINST_DATABASE;
	cli_reflection own_reading;
	cli_reflection *reading = how->reflection;
	int status = CLI_EXIT_OK;
	if (live && !reading) {
		/* Where the database stands first; then its schema is read on a
		 * thread of its own while the models are parsed. */
		status = check_database(ctx, config, scripts, how->parents, db);
		if (status == CLI_EXIT_OK) {
			cli_debug(ctx, "Reading the schema of %s", rt_engine_url(db->engine));
			if (cli_reflection_start(&own_reading, db->conn, config->schemas,
						 config->schema_count) != RT_OK)
				status = cli_error("out of memory");
			else
				reading = &own_reading;
		}
	}
	if (status == CLI_EXIT_OK)
		status = cli_load_schema(ctx, &models);
	/* A table in a schema reflection does not read would be created again
	 * at every run. */
	if (status == CLI_EXIT_OK && live && db->engine && db->engine->dialect->caps.schemas)
		status = cli_schemas_cover(ctx, models, config->schemas, config->schema_count);
	/* What the scripts made up to the database's revision is managed, as
	 * are, where it keeps no enum types, the enum types they made. */
	if (status == CLI_EXIT_OK && live)
		status = replay_history(ctx, scripts, how->parents, &replayed);
	/* Scripts are portable: replayed ones are compared as written, a
	 * live database as its dialect stores things. */
	const rt_dialect *dialect = live && db->engine ? db->engine->dialect : NULL;
	diff_setup setup;
	int set_up = setup_diff(ctx, config, how, replayed, &setup);
	if (status == CLI_EXIT_OK)
		status = set_up;
	/* The differ's copy of the models, made while the schema is read. */
	if (status == CLI_EXIT_OK && reading &&
	    rt__diff_prepare_models(&setup.opts.to_prepared, models, dialect, &setup.opts) != RT_OK)
		status = cli_library_error("autogenerate");
	if (reading) {
		int read = reflected(reading, &state);
		if (status == CLI_EXIT_OK)
			status = read;
	}
	/* A reading the caller started began before the scripts were read:
	 * where the database stands is checked now that the connection is
	 * free again. */
	if (status == CLI_EXIT_OK && live && how->reflection)
		status = check_database(ctx, config, scripts, how->parents, db);
	if (status == CLI_EXIT_OK && !live)
		status = replay_history(ctx, scripts, how->parents, &state);
	/* The models' views, functions and triggers as this database renders
	 * them, to compare with what it read. */
	if (status == CLI_EXIT_OK && live && setup.opts.to_prepared &&
	    rt__conn_render_sql_objects(db->conn, setup.opts.to_prepared) != RT_OK)
		status = cli_library_error("cannot render the models' views, functions and triggers");
	if (status == CLI_EXIT_OK)
		status = compare(ctx, how, &setup, state, models, dialect, out);
	rt_schema_free(setup.opts.to_prepared);
	rt_schema_free(replayed);
	rt_schema_free(state);
	rt_schema_free(models);
	cli_database_close(&own);
	return status;
}

/* --- what was found ------------------------------------------------------------------- */

static const char *constraint_kind(const rt_constraint *c)
{
	switch (c ? c->kind : RT_CONSTRAINT_CHECK) {
	case RT_CONSTRAINT_PRIMARY_KEY: return "primary key";
	case RT_CONSTRAINT_UNIQUE: return "unique constraint";
	case RT_CONSTRAINT_FOREIGN_KEY: return "foreign key";
	case RT_CONSTRAINT_CHECK: break;
	}
	return "check constraint";
}

static void report_alter(cli_ctx *ctx, const rt_op *op)
{
	if (op->set_type) {
		const char *type = op->type.kind == RT_TYPE_ENUM && op->type.enum_name
					   ? op->type.enum_name
					   : rt__type_name(ctx->arena, &op->type);
		cli_info(ctx, "Detected type change to %s on '%s.%s'", type ? type : "?", op->table,
			 op->name);
	}
	if (op->null_change != RT_ALTER_NULL_KEEP)
		cli_info(ctx, "Detected %s on column '%s.%s'",
			 op->null_change == RT_ALTER_NULL_SET ? "NULL" : "NOT NULL", op->table,
			 op->name);
	if (op->default_change != RT_ALTER_DEFAULT_KEEP)
		cli_info(ctx, "Detected %s server default on column '%s.%s'",
			 op->default_change == RT_ALTER_DEFAULT_SET ? "changed" : "removed", op->table,
			 op->name);
	if (op->comment_change != RT_ALTER_COMMENT_KEEP)
		cli_info(ctx, "Detected %s comment on column '%s.%s'",
			 op->comment_change == RT_ALTER_COMMENT_SET ? "changed" : "removed", op->table,
			 op->name);
}

static void report(cli_ctx *ctx, const rt_op *op)
{
	const char *table = op->table ? op->table : "";
	const char *name = op->name ? op->name : "";
	switch (op->kind) {
	case RT_OP_CREATE_TABLE: cli_info(ctx, "Detected added table '%s'", table); break;
	case RT_OP_DROP_TABLE: cli_info(ctx, "Detected removed table '%s'", table); break;
	case RT_OP_RENAME_TABLE:
		cli_info(ctx, "Detected renamed table '%s' to '%s'", table, op->new_name);
		break;
	case RT_OP_ADD_COLUMN: cli_info(ctx, "Detected added column '%s.%s'", table, name); break;
	case RT_OP_DROP_COLUMN: cli_info(ctx, "Detected removed column '%s.%s'", table, name); break;
	case RT_OP_ALTER_COLUMN: report_alter(ctx, op); break;
	case RT_OP_ALTER_TABLE:
		cli_info(ctx, "Detected %s comment on table '%s'",
			 op->comment_change == RT_ALTER_COMMENT_SET ? "changed" : "removed", table);
		break;
	case RT_OP_RENAME_COLUMN:
		cli_info(ctx, "Detected renamed column '%s.%s' to '%s'", table, name, op->new_name);
		break;
	case RT_OP_CREATE_INDEX:
	case RT_OP_DROP_INDEX:
		cli_info(ctx, "Detected %s index '%s'%s%s%s",
			 op->kind == RT_OP_CREATE_INDEX ? "added" : "removed",
			 op->index && op->index->name ? op->index->name : name,
			 *table ? " on '" : "", table, *table ? "'" : "");
		break;
	case RT_OP_ADD_CONSTRAINT:
	case RT_OP_DROP_CONSTRAINT:
		cli_info(ctx, "Detected %s %s '%s' on '%s'",
			 op->kind == RT_OP_ADD_CONSTRAINT ? "added" : "removed",
			 constraint_kind(op->constraint), name, table);
		break;
	case RT_OP_CREATE_SCHEMA: cli_info(ctx, "Detected added schema '%s'", name); break;
	case RT_OP_DROP_SCHEMA: cli_info(ctx, "Detected removed schema '%s'", name); break;
	case RT_OP_CREATE_ENUM: cli_info(ctx, "Detected added enum '%s'", name); break;
	case RT_OP_DROP_ENUM: cli_info(ctx, "Detected removed enum '%s'", name); break;
	case RT_OP_ALTER_ENUM_ADD:
		cli_info(ctx, "Detected added value '%s' to enum '%s'", op->value, name);
		break;
	case RT_OP_ALTER_ENUM_DROP:
		cli_info(ctx, "Detected removed value '%s' from enum '%s'", op->value, name);
		break;
	case RT_OP_CREATE_OBJECT:
	case RT_OP_REPLACE_OBJECT:
	case RT_OP_DROP_OBJECT:
		cli_info(ctx, "Detected %s %s '%s'%s%s%s",
			 op->kind == RT_OP_CREATE_OBJECT    ? "added"
			 : op->kind == RT_OP_REPLACE_OBJECT ? "changed"
							    : "removed",
			 rt__sql_kind_name(op->object->kind), op->object->name,
			 op->object->table ? " on '" : "", op->object->table ? op->object->table : "",
			 op->object->table ? "'" : "");
		break;
	case RT_OP_RENAME_OBJECT:
		cli_info(ctx, "Detected renamed %s '%s' to '%s'",
			 rt__sql_kind_name(op->object->kind), op->object->name, op->new_name);
		break;
	case RT_OP_EXECUTE:
	case RT_OP_INSERT: break;
	}
}

void cli_report_operations(cli_ctx *ctx, const rt_op_list *ops)
{
	for (size_t i = 0; i < ops->count; i++)
		report(ctx, ops->items[i]);
}
