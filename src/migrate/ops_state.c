/*
 * ops_state.c - the replay state's plumbing (ops_state.h): a new state and
 * a deep copy of one, definitions copied in from a script's scratch schema
 * (an enum column made to point at the state's enum), objects taken out
 * with the name maps kept in step, and the column names inside CHECK
 * expressions, which follow a renamed column and decide what a dropped
 * column takes with it.
 */
#include "migrate/ops_state.h"

#include <strings.h>

#include "base/buf.h"
#include "base/error.h"
#include "migrate/ops.h"

/* A state is built only through the add helpers, so its index, key and
 * foreign key names are all in relation_owner (metadata.h) and the check
 * of names two tables may not share (sql/ddl_names.c) looks them up
 * instead of scanning every table: replaying a script that creates 10,000
 * tables is otherwise quadratic. */
rt_schema *rt__op_state_new(void)
{
	rt_schema *state = rt__schema_new();
	if (state)
		state->relations_indexed = true;
	return state;
}

/* --- small helpers ------------------------------------------------------------- */

/* Copies a name list into the state's arena. */
static int copy_names(rt_arena *arena, const char ***out, const char *const *names,
		      size_t count)
{
	*out = NULL;
	if (count == 0)
		return RT_OK;
	const char **copy = rt__arena_alloc(arena, count * sizeof(*copy));
	if (!copy)
		return rt__error_nomem();
	for (size_t i = 0; i < count; i++)
		if (!(copy[i] = rt__arena_strdup(arena, names[i])))
			return rt__error_nomem();
	*out = copy;
	return RT_OK;
}

/* strdup into the arena that keeps NULL as NULL; sets *failed on OOM. */
static const char *dup_or_null(rt_arena *arena, const char *text, bool *failed)
{
	if (!text)
		return NULL;
	const char *copy = rt__arena_strdup(arena, text);
	if (!copy)
		*failed = true;
	return copy;
}

int rt__state_copy_literal(rt_arena *arena, rt_literal *out, const rt_literal *in)
{
	bool failed = false;
	out->kind = in->kind;
	out->text = dup_or_null(arena, in->text, &failed);
	return failed ? rt__error_nomem() : RT_OK;
}

/* The state's enum a type names (by schema name, or by SQL type name). */
rt_enum *rt__state_find_enum(const rt_schema *state, const char *name)
{
	if (!name)
		return NULL;
	rt_enum *e = rt__schema_find_enum(state, name);
	for (size_t i = 0; !e && i < state->enum_count; i++)
		if (strcmp(state->enums[i]->sql_name, name) == 0)
			e = state->enums[i];
	return e;
}

/* A type as the state holds it: an enum type points at the state's enum. */
int rt__state_resolve_type(const rt_op *op, const rt_schema *state, rt_type *out,
			   const rt_type *in, const char *column)
{
	*out = *in;
	out->enum_type = NULL;
	if (in->kind == RT_TYPE_SQL) {
		out->sql = in->sql ? rt__arena_strdup(state->arena, in->sql) : NULL;
		return !in->sql || out->sql ? RT_OK : rt__error_nomem();
	}
	if (in->kind != RT_TYPE_ENUM)
		return RT_OK;
	const char *name = in->enum_name ? in->enum_name
			   : in->enum_type ? in->enum_type->name : NULL;
	rt_enum *e = rt__state_find_enum(state, name);
	if (!e)
		return rt__op_fail(op, "column %s has type %s, but no such enum exists at "
				   "this point", column, name ? name : "?");
	out->enum_name = e->name;
	out->enum_type = e;
	return RT_OK;
}

/* --- copying definitions into the state ------------------------------------------ */

int rt__state_copy_column(const rt_op *op, rt_schema *state, rt_table *table,
			  const rt_column *src)
{
	rt_arena *arena = state->arena;
	rt_column *column = rt__table_add_column(state, table, src->name);
	if (!column)
		return RT_ENOMEM;
	bool failed = false;
	int rc = rt__state_resolve_type(op, state, &column->type, &src->type, src->name);
	if (rc < 0)
		return rc;
	column->nullable = src->nullable;
	column->autoincrement = src->autoincrement;
	column->autoincrement_set = src->autoincrement_set;
	column->comment = dup_or_null(arena, src->comment, &failed);
	column->collation = dup_or_null(arena, src->collation, &failed);
	column->generated = dup_or_null(arena, src->generated, &failed);
	column->generated_virtual = src->generated_virtual;
	column->server_onupdate = src->server_onupdate;
	column->pos = src->pos;
	if (failed ||
	    rt__state_copy_literal(arena, &column->default_value, &src->default_value) < 0 ||
	    rt__state_copy_literal(arena, &column->server_default, &src->server_default) < 0)
		return rt__error_nomem();
	return RT_OK;
}

static int fill_constraint(rt_arena *arena, rt_constraint *c, const rt_constraint *src)
{
	bool failed = false;
	c->name_given = src->name_given;
	c->on_delete = src->on_delete;
	c->on_update = src->on_update;
	c->deferrable = src->deferrable;
	c->ref_table = dup_or_null(arena, src->ref_table, &failed);
	c->check = dup_or_null(arena, src->check, &failed);
	c->check_column = dup_or_null(arena, src->check_column, &failed);
	c->pos = src->pos;
	c->column_count = src->column_count;
	c->ref_column_count = src->ref_column_count;
	if (failed || copy_names(arena, &c->columns, src->columns, src->column_count) < 0 ||
	    copy_names(arena, &c->ref_columns, src->ref_columns, src->ref_column_count) < 0)
		return rt__error_nomem();
	return RT_OK;
}

int rt__state_copy_constraint(rt_schema *state, rt_table *table, const rt_constraint *src)
{
	rt_constraint *c = rt__table_add_constraint(state, table, src->kind, src->name);
	if (!c)
		return RT_ENOMEM;
	return fill_constraint(state->arena, c, src);
}

int rt__state_copy_index(rt_schema *state, rt_table *table, const rt_index *src)
{
	rt_index *index = rt__table_add_index(state, table, src->name, src->unique);
	if (!index)
		return RT_ENOMEM;
	index->name_given = src->name_given;
	index->pos = src->pos;
	return rt__index_copy_parts(state->arena, index, src);
}

/* Copies a whole table definition into the state under name. */
rt_table *rt__state_copy_table(const rt_op *op, rt_schema *state, const rt_table *src,
			       const char *name)
{
	rt_table *table = rt__schema_add_table(state, name, NULL);
	if (!table || rt__table_copy_schema(state->arena, table, src) < 0)
		return NULL;
	bool failed = false;
	table->comment = dup_or_null(state->arena, src->comment, &failed);
	table->collation = dup_or_null(state->arena, src->collation, &failed);
	table->options = src->options;
	table->pos = src->pos;
	if (failed || rt__table_copy_partitioning(state->arena, table, src) < 0) {
		rt__error_nomem();
		return NULL;
	}
	if (src->primary_key && rt__state_copy_constraint(state, table, src->primary_key) < 0)
		return NULL;
	for (size_t i = 0; i < src->column_count; i++)
		if (rt__state_copy_column(op, state, table, src->columns[i]) < 0)
			return NULL;
	for (size_t i = 0; i < src->constraint_count; i++)
		if (rt__state_copy_constraint(state, table, src->constraints[i]) < 0)
			return NULL;
	for (size_t i = 0; i < src->index_count; i++)
		if (rt__state_copy_index(state, table, src->indexes[i]) < 0)
			return NULL;
	return table;
}

rt_schema *rt__op_state_copy(const rt_schema *state)
{
	rt_schema *copy = rt__op_state_new();
	if (!copy)
		return NULL;
	for (size_t i = 0; i < state->namespace_count; i++)
		if (rt__schema_add_namespace(copy, state->namespaces[i]) < 0)
			goto fail;
	for (size_t i = 0; i < state->enum_count; i++) {
		const rt_enum *src = state->enums[i];
		rt_enum *e = rt__schema_add_enum(copy, src->name, src->sql_name);
		if (!e || rt__enum_set_schema(copy, e, src->schema) < 0)
			goto fail;
		e->pos = src->pos;
		for (size_t v = 0; v < src->value_count; v++)
			if (rt__enum_add_value(copy, e, src->values[v]) < 0)
				goto fail;
	}
	for (size_t i = 0; i < state->table_count; i++)
		if (!rt__state_copy_table(NULL, copy, state->tables[i], state->tables[i]->name))
			goto fail;
	for (size_t i = 0; i < state->sql_object_count; i++)
		if (!rt__schema_copy_sql_object(copy, state->sql_objects[i]))
			goto fail;
	return copy;
fail:
	rt_schema_free(copy);
	return NULL;
}

/* --- removing from the state ------------------------------------------------------ */


/* A NULL value in a name map reads as "absent". */
int rt__state_forget_name(rt_map *map, const char *key, const void *value)
{
	if (key && rt__map_get(map, key) == value && rt__map_put(map, key, NULL) < 0)
		return rt__error_nomem();
	return RT_OK;
}

int rt__state_remove_table(rt_schema *state, rt_table *table)
{
	for (size_t i = 0; i < state->table_count; i++) {
		if (state->tables[i] != table)
			continue;
		RT_REMOVE_AT(state->tables, state->table_count, i);
		break;
	}
	if (rt__state_forget_name(&state->table_by_name, table->name, table) < 0 ||
	    rt__state_forget_name(&state->table_by_model, table->model, table) < 0)
		return RT_ENOMEM;
	return RT_OK;
}

void rt__state_remove_constraint(rt_table *table, const rt_constraint *c)
{
	if (table->primary_key == c) {
		table->primary_key = NULL;
		return;
	}
	for (size_t i = 0; i < table->constraint_count; i++) {
		if (table->constraints[i] == c) {
			RT_REMOVE_AT(table->constraints, table->constraint_count, i);
			return;
		}
	}
}

void rt__state_remove_index(rt_table *table, const rt_index *index)
{
	for (size_t i = 0; i < table->index_count; i++) {
		if (table->indexes[i] == index) {
			RT_REMOVE_AT(table->indexes, table->index_count, i);
			return;
		}
	}
}

/* --- SQL identifiers inside CHECK expressions ------------------------------------ */

/* Calls visit for each identifier of a SQL expression outside string
 * literals: plain ones compare without case, "quoted" ones exactly. The
 * callback gets the token's span. Stops early when visit returns true. */
typedef bool (*ident_visit)(void *ctx, const char *start, size_t len, bool matches);

static bool ident_matches(const char *start, size_t len, bool quoted, const char *name)
{
	if (!quoted)
		return strlen(name) == len && strncasecmp(start, name, len) == 0;
	/* "a""b" reads as a"b */
	const char *p = start + 1, *end = start + len - 1;
	const char *n = name;
	while (p < end) {
		if (*p == '"')
			p++;
		if (*n != *p)
			return false;
		n++;
		p++;
	}
	return *n == '\0';
}

static void scan_identifiers(const char *expr, const char *name, ident_visit visit, void *ctx)
{
	const char *p = expr;
	while (p && *p) {
		if (*p == '\'') {
			p++;
			while (*p && !(*p == '\'' && p[1] != '\''))
				p += *p == '\'' ? 2 : 1;
			if (*p)
				p++;
		} else if (*p == '"') {
			const char *start = p++;
			while (*p && !(*p == '"' && p[1] != '"'))
				p += *p == '"' ? 2 : 1;
			if (*p)
				p++;
			size_t len = (size_t)(p - start);
			bool matches = len >= 2 && ident_matches(start, len, true, name);
			if (visit(ctx, start, len, matches))
				return;
		} else if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_') {
			const char *start = p;
			while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			       (*p >= '0' && *p <= '9') || *p == '_' || *p == '$')
				p++;
			size_t len = (size_t)(p - start);
			if (visit(ctx, start, len, ident_matches(start, len, false, name)))
				return;
		} else if (*p >= '0' && *p <= '9') {
			while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
			       (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')
				p++;
		} else {
			p++;
		}
	}
}

static bool found_visit(void *ctx, const char *start, size_t len, bool matches)
{
	(void)start;
	(void)len;
	if (matches)
		*(bool *)ctx = true;
	return matches;
}

bool rt__expr_mentions(const char *expr, const char *column)
{
	bool found = false;
	scan_identifiers(expr, column, found_visit, &found);
	return found;
}

typedef struct rewrite_ctx {
	rt_buf *out;
	const char *expr;  /* text not yet copied starts here */
	const char *new_name;
} rewrite_ctx;

static bool is_plain_lower(const char *name)
{
	if (!((*name >= 'a' && *name <= 'z') || *name == '_'))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static bool rewrite_visit(void *ctx, const char *start, size_t len, bool matches)
{
	rewrite_ctx *r = ctx;
	if (!matches)
		return false;
	rt__buf_put(r->out, r->expr, (size_t)(start - r->expr));
	if (is_plain_lower(r->new_name))
		rt__buf_puts(r->out, r->new_name);
	else
		rt__buf_put_quoted(r->out, r->new_name, '"');
	r->expr = start + len;
	return false;
}

/* The expression with every reference to column old renamed; NULL on OOM. */
const char *rt__expr_rename_column(rt_arena *arena, const char *expr, const char *old,
				   const char *new_name)
{
	rt_buf out = RT_BUF_INIT;
	rewrite_ctx r = {&out, expr, new_name};
	scan_identifiers(expr, old, rewrite_visit, &r);
	rt__buf_puts(&out, r.expr);
	const char *copy = rt__buf_failed(&out) ? NULL
				: rt__arena_strdup(arena, rt__buf_cstr(&out));
	rt__buf_free(&out);
	return copy;
}

bool rt__op_constraint_uses(const rt_constraint *c, const char *column)
{
	if (rt__names_contain(c->columns, c->column_count, column))
		return true;
	return c->kind == RT_CONSTRAINT_CHECK &&
	       ((c->check_column && strcmp(c->check_column, column) == 0) ||
		(c->check && rt__expr_mentions(c->check, column)));
}

/* Does the index use the column: as a key or INCLUDE column, or in an
 * expression or its WHERE? */
bool rt__state_index_mentions(const rt_index *ix, const char *column)
{
	if (rt__index_uses_column(ix, column) || (ix->where && rt__expr_mentions(ix->where, column)))
		return true;
	for (size_t i = 0; i < ix->key_count; i++)
		if (ix->keys[i].expr && rt__expr_mentions(ix->keys[i].expr, column))
			return true;
	return false;
}

/* Renames a column everywhere in the index, its SQL included. */
int rt__state_index_rename_column(rt_arena *arena, rt_index *ix, const char *old,
				  const char *new_name)
{
	rt__index_rename_column(ix, old, new_name);
	for (size_t i = 0; i < ix->key_count; i++) {
		const char **expr = &ix->keys[i].expr;
		if (*expr && rt__expr_mentions(*expr, old) &&
		    !(*expr = rt__expr_rename_column(arena, *expr, old, new_name)))
			return rt__error_nomem();
	}
	if (ix->where && rt__expr_mentions(ix->where, old) &&
	    !(ix->where = rt__expr_rename_column(arena, ix->where, old, new_name)))
		return rt__error_nomem();
	return RT_OK;
}
