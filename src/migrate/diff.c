/*
 * diff.c - autogenerate's entry point (diff.h): prepares the copies the
 * differ works on, runs its passes and joins their steps into an upgrade
 * and a downgrade.
 *
 * The passes, in order:
 *   1. copies of both schemas, canonicalized for the dialect, without the
 *      ignored tables; on SQLite without the enums no column uses and no
 *      script created (the models as written stay as they are, for the
 *      operations' definitions); then what the database holds and neither
 *      the models nor the scripts made is listed and left out, unless it
 *      is to be dropped (diff_unmanaged.c);
 *   2. matching tables and columns (diff_rename.c), then naming the
 *      database's enums as the models do (diff_enums.c): `base`;
 *   3. a copy of base with the renames applied: `from` (base itself when
 *      nothing is renamed);
 *   4. the steps for enums, tables both sides have, new and dropped tables,
 *      then views, functions and triggers (diff_objects.c).
 * Each step is filed under a phase (diff_impl.h); the upgrade is the steps
 * in phase order and the downgrade their inverses in reverse, so it undoes
 * the upgrade exactly, in an order the database accepts as well.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "migrate/diff_impl.h"
#include "sql/ddl.h"

/* The version tables (DESIGN §3) are the runner's, never the models'. */
static const char *const version_tables[] = {"alembic_version", "retort_history",
					      "retort_migration_progress"};

static bool ignored(const void *ctx, const char *table)
{
	const rt_diff_options *opts = ctx;
	for (size_t i = 0; i < sizeof(version_tables) / sizeof(version_tables[0]); i++)
		if (strcmp(table, version_tables[i]) == 0)
			return true;
	for (size_t i = 0; i < opts->ignore_count; i++)
		if (opts->ignore_tables[i] && strcmp(table, opts->ignore_tables[i]) == 0)
			return true;
	return opts->exclude && opts->exclude(opts->exclude_ctx, table);
}

/* --- helpers for the passes ----------------------------------------------------- */

rt_op *rt__diff_op(rt_differ *d, rt_op_kind kind, const char *table)
{
	rt_op *op = rt__arena_alloc(d->arena, sizeof(*op));
	if (!op || (table && !(op->table = rt__arena_strdup(d->arena, table)))) {
		rt__error_nomem();
		return NULL;
	}
	op->kind = kind;
	return op;
}

int rt__diff_step2(rt_differ *d, rt_diff_phase phase, rt_op *up, rt_op *up_then, rt_op *down,
		   rt_op *down_then)
{
	rt_diff_steps *steps = &d->phases[phase];
	rt_diff_step step = {{up, up_then}, {down, down_then}};
	return RT_ARENA_PUSH(d->tmp, steps->items, steps->count, steps->cap, step) < 0
		       ? rt__error_nomem()
		       : RT_OK;
}

int rt__diff_step(rt_differ *d, rt_diff_phase phase, rt_op *up, rt_op *down)
{
	return rt__diff_step2(d, phase, up, NULL, down, NULL);
}

int rt__diff_warn(rt_differ *d, const char *fmt, ...)
{
	rt_diff_warnings *warnings = d->opts->warnings;
	if (!warnings)
		return RT_OK;
	va_list ap;
	va_start(ap, fmt);
	const char *text = rt__arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	if (!text || RT_ARENA_PUSH(d->arena, warnings->items, warnings->count, warnings->cap,
				   text) < 0)
		return rt__error_nomem();
	return RT_OK;
}

const rt_table *rt__diff_model_table(const rt_differ *d, const rt_table *to)
{
	const rt_table *model = rt__schema_find_table(d->models, to->name);
	return model ? model : to;
}

const rt_column *rt__diff_model_column(const rt_differ *d, const rt_table *to,
				       const rt_column *column)
{
	const rt_column *model = rt__table_find_column(rt__diff_model_table(d, to), column->name);
	return model ? model : column;
}

const char *rt__diff_keep(rt_differ *d, const char *s)
{
	return s ? rt__arena_strdup(d->arena, s) : NULL;
}

/* --- preparing the copies ---------------------------------------------------------- */

static bool enum_used(const rt_schema *schema, const rt_enum *e)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		const rt_table *table = schema->tables[t];
		for (size_t c = 0; c < table->column_count; c++)
			if (rt__diff_column_enum(schema, table->columns[c]) == e)
				return true;
	}
	return false;
}

/* Without native enums, a type no column uses does not exist, unless the
 * scripts created it: then it lives on in them as it would on PostgreSQL,
 * until the models drop it. */
static int drop_unused_enums(const rt_differ *d, rt_schema *schema)
{
	size_t kept = 0;
	for (size_t i = 0; i < schema->enum_count; i++)
		if (enum_used(schema, schema->enums[i]) ||
		    rt__diff_scripts_enum(d, schema->enums[i]->sql_name))
			schema->enums[kept++] = schema->enums[i];
	schema->enum_count = kept;
	return rt__diff_reindex_schema(schema);
}

int rt__diff_prepare_models(rt_schema **out, const rt_schema *models, const rt_dialect *dialect,
			    const rt_diff_options *opts)
{
	static const rt_diff_options defaults = {0};
	*out = NULL;
	if (!models)
		return rt__error_set(RT_EINVAL, "rt__diff_prepare_models: no models");
	int rc = rt__diff_copy_schema(out, models, ignored, opts ? opts : &defaults);
	if (rc < 0)
		return rc;
	if (dialect)
		dialect->canonicalize(*out);
	return RT_OK;
}

/* A copy of one side, canonicalized for the dialect (or the models' copy
 * made ahead). */
static int copy_side(rt_differ *d, rt_schema **out, const rt_schema *src, rt_schema *prepared)
{
	int rc = RT_OK;
	if (prepared)
		*out = prepared;
	else
		rc = rt__diff_prepare_models(out, src, d->dialect, d->opts);
	if (rc < 0)
		return rc;
	return d->native_enums ? RT_OK : drop_unused_enums(d, *out);
}

/* The enum types tables the differ ignores use are theirs to keep. */
static int keep_enums_of_ignored(rt_differ *d, const rt_schema *from)
{
	for (size_t t = 0; t < from->table_count; t++) {
		const rt_table *table = from->tables[t];
		if (!ignored(d->opts, table->name))
			continue;
		for (size_t c = 0; c < table->column_count; c++) {
			const rt_enum *e = rt__diff_column_enum(from, table->columns[c]);
			if (e && rt__map_put(&d->kept_enums, e->sql_name, (void *)e) < 0)
				return rt__error_nomem();
		}
	}
	return RT_OK;
}

static int prepare(rt_differ *d, const rt_schema *from, const rt_schema *to)
{
	int rc;
	d->models = to;
	if ((rc = keep_enums_of_ignored(d, from)) < 0)
		return rc;
	if ((rc = copy_side(d, &d->base, from, NULL)) < 0 ||
	    (rc = copy_side(d, &d->to, to, d->opts->to_prepared)) < 0 ||
	    (rc = rt__diff_sort_managed(d)) < 0 || (rc = rt__diff_objects(d, from, ignored)) < 0 ||
	    (rc = rt__diff_match(d)) < 0 || (rc = rt__diff_name_enums(d)) < 0)
		return rc;
	if (d->opts->base) {
		rt_schema *copy = NULL;
		if ((rc = rt__diff_copy_schema(&copy, d->base, NULL, NULL)) < 0)
			return rc;
		*d->opts->base = copy;
	}
	d->from = d->base;
	return RT_OK;
}

/* --- joining the steps ------------------------------------------------------------- */

static int push_op(rt_arena *arena, rt_op_list *list, rt_op *op)
{
	return RT_ARENA_PUSH(arena, list->items, list->count, list->cap, op) < 0
		       ? rt__error_nomem()
		       : RT_OK;
}

static int push_ops(rt_arena *arena, rt_op_list *list, rt_op *const ops[2])
{
	for (int i = 0; i < 2; i++)
		if (ops[i] && push_op(arena, list, ops[i]) < 0)
			return RT_ENOMEM;
	return RT_OK;
}

/* Appends every step to copies of out's lists, so that out is only changed
 * once nothing can fail any more. */
static int join(rt_differ *d)
{
	rt_op_list up = d->out->upgrade, down = d->out->downgrade;
	for (size_t p = 0; p < RT_DIFF_PHASE_COUNT; p++) {
		const rt_diff_steps *steps = &d->phases[p];
		for (size_t i = 0; i < steps->count; i++)
			if (push_ops(d->arena, &up, steps->items[i].up) < 0)
				return RT_ENOMEM;
	}
	for (size_t p = RT_DIFF_PHASE_COUNT; p-- > 0;) {
		const rt_diff_steps *steps = &d->phases[p];
		for (size_t i = steps->count; i-- > 0;)
			if (push_ops(d->arena, &down, steps->items[i].down) < 0)
				return RT_ENOMEM;
	}
	d->out->upgrade = up;
	d->out->downgrade = down;
	return RT_OK;
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int run(rt_differ *d, const rt_schema *from, const rt_schema *to)
{
	int rc;
	if ((rc = prepare(d, from, to)) < 0 || (rc = rt__diff_rename(d)) < 0 ||
	    (rc = rt__diff_rename_sql_objects(d)) < 0 ||
	    (rc = rt__diff_namespaces(d)) < 0 ||
	    (rc = rt__diff_enums(d)) < 0 || (rc = rt__diff_tables(d)) < 0 ||
	    (rc = rt__diff_drop_tables(d)) < 0 || (rc = rt__diff_create_tables(d)) < 0 ||
	    (rc = rt__diff_sql_objects(d)) < 0)
		return rc;
	return join(d);
}

int rt__diff_schemas(rt_migration *out, const rt_schema *from, const rt_schema *to,
		     const rt_dialect *dialect, const rt_diff_options *opts)
{
	static const rt_diff_options defaults = {0};
	if (!out || !from || !to)
		return rt__error_set(RT_EINVAL, "rt__diff_schemas: a NULL argument");
	if (!opts)
		opts = &defaults;
	if (opts->base)
		*opts->base = NULL;
	/* Models the database would refuse (a name two tables share where
	 * it keeps such names per schema, one longer than it allows) are
	 * refused before a script is written for them. */
	int rc;
	if (dialect && ((rc = rt__ddl_check_schema_names(dialect, to)) < 0 ||
			(rc = rt__ddl_check_sql_objects(dialect, to)) < 0))
		return rc;
	if (!out->scratch && !(out->scratch = rt__schema_new()))
		return RT_ENOMEM;

	rt_differ d = {
		.out = out,
		.arena = out->scratch->arena,
		.tmp = rt__arena_new(),
		.dialect = dialect,
		.opts = opts,
		.native_enums = !dialect || dialect->caps.enum_kind == RT_ENUM_TYPE,
	};
	if (!d.tmp)
		return rt__error_nomem();
	rt__map_init(&d.pair_of_from, d.tmp);
	rt__map_init(&d.pair_of_to, d.tmp);
	rt__map_init(&d.kept_enums, d.tmp);
	size_t warnings = opts->warnings ? opts->warnings->count : 0;
	size_t unmanaged = opts->unmanaged ? opts->unmanaged->count : 0;

	rc = run(&d, from, to);
	if (rc == RT_OK && opts->unmanaged && opts->unmanaged->count > unmanaged)
		qsort(opts->unmanaged->items + unmanaged, opts->unmanaged->count - unmanaged,
		      sizeof(*opts->unmanaged->items), compare_lines);
	if (rc < 0) {
		if (opts->unmanaged)
			opts->unmanaged->count = unmanaged;
		if (opts->base) {
			rt_schema_free(*opts->base);
			*opts->base = NULL;
		}
		if (opts->warnings)
			opts->warnings->count = warnings;
	}
	rt_schema_free(d.base);
	if (d.from != d.base)
		rt_schema_free(d.from);
	if (d.to != opts->to_prepared)
		rt_schema_free(d.to);
	rt__arena_free(d.tmp);
	return rc;
}

/* --- renames as the user writes them --------------------------------------------- */

static bool is_name(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '.' || s[i] == '=' || s[i] == ' ')
			return false;
	return true;
}

int rt__diff_parse_rename(rt_diff_rename *out, rt_arena *arena, const char *text)
{
	*out = (rt_diff_rename){0};
	const char *eq = text ? strchr(text, '=') : NULL;
	if (!eq)
		return rt__error_set(RT_EUSAGE, "rename '%s': expected old=new or table.old=new",
				     text ? text : "");
	const char *dot = memchr(text, '.', (size_t)(eq - text));
	const char *old = dot ? dot + 1 : text, *new = eq + 1;
	if ((dot && !is_name(text, (size_t)(dot - text))) || !is_name(old, (size_t)(eq - old)) ||
	    !is_name(new, strlen(new)))
		return rt__error_set(RT_EUSAGE, "rename '%s': expected old=new or table.old=new",
				     text);
	if ((dot && !(out->table = rt__arena_strndup(arena, text, (size_t)(dot - text)))) ||
	    !(out->from = rt__arena_strndup(arena, old, (size_t)(eq - old))) ||
	    !(out->to = rt__arena_strdup(arena, new)))
		return rt__error_nomem();
	return RT_OK;
}
