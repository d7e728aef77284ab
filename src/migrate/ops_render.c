/*
 * ops_render.c - the SQL a migration operation becomes on a dialect: as
 * text for reading (rt__op_render, `upgrade --sql`), and the plan that
 * ops_execute.c carries out on a connection (rt__op_execute).
 *
 * Each operation is planned against the schema before it (the replay
 * state), which supplies what the script does not repeat: a column's
 * current type and default, an enum's values, a table's full definition.
 * The capability record decides what is done in place and what needs a
 * table rebuild (rebuild.c):
 *
 *   alter_column_in_place     a column's type, NULL-ness and default changed
 *                             by the dialect's alter_column hook
 *   alter_add_constraint      ADD CONSTRAINT, and ADD COLUMN with keys
 *   drop_constraint_in_place  DROP CONSTRAINT
 *   drop_column_in_place      DROP COLUMN of a column no constraint uses
 *   add_column_any_default    ADD COLUMN with an expression default or NOT
 *                             NULL without one
 *   native_enums              the dialect's enum types; without it an enum
 *                             column carries a CHECK named after its table
 *                             and column, so renaming either, or adding a
 *                             value to the enum or dropping one, rebuilds
 *                             the table
 *
 * Online, `insert` values are bound parameters; only `now` and `sql '...'`
 * expressions, which are SQL by nature, are written into the statement.
 */
#include "migrate/ops.h"

#include <string.h>

#include "base/error.h"
#include "engine/engine.h"
#include "migrate/ops_state.h"
#include "migrate/rebuild.h"

typedef struct renderer {
	rt_op_plan *plan;
	rt_buf buf;
	const rt_op *op;
	const rt_schema *state; /* before the operation */
	const rt_dialect *d;
	rt_schema *after;       /* the state after it, made when a rebuild needs it */
} renderer;

static void put_ident(renderer *r, const char *name)
{
	r->d->quote_ident(&r->buf, name);
}

static int push(renderer *r)
{
	return rt__plan_push(r->plan, &r->buf);
}

static void alter_table(renderer *r, const char *table)
{
	rt__buf_puts(&r->buf, "ALTER TABLE ");
	put_ident(r, table);
	rt__buf_putc(&r->buf, ' ');
}

static rt_table *need_table(renderer *r, const char *name)
{
	rt_table *table = name ? rt__schema_find_table(r->state, name) : NULL;
	if (!table)
		rt__op_fail(r->op, "table %s does not exist at this point", name ? name : "?");
	return table;
}

static rt_column *need_column(renderer *r, const rt_table *table, const char *name)
{
	rt_column *column = name ? rt__table_find_column(table, name) : NULL;
	if (!column)
		rt__op_fail(r->op, "table %s has no column %s", table->name, name ? name : "?");
	return column;
}


static bool is_enum(const rt_column *column)
{
	return column->type.kind == RT_TYPE_ENUM;
}

/* Without native enums, does the table carry an enum CHECK? */
static bool has_enum_check(const rt_table *table, const rt_dialect *d)
{
	for (size_t i = 0; !d->caps.native_enums && i < table->column_count; i++)
		if (is_enum(table->columns[i]))
			return true;
	return false;
}

/* --- rebuilds --------------------------------------------------------------------- */

/* The schema after the operation, replayed on a copy of the state. */
static rt_schema *state_after(renderer *r)
{
	if (r->after)
		return r->after;
	rt_schema *after = rt__op_state_copy(r->state);
	if (!after)
		return NULL;
	if (rt__op_apply(after, r->op) < 0) {
		rt_schema_free(after);
		return NULL;
	}
	return r->after = after;
}

/* Rebuilds table `name` (its name after the operation) into its new
 * definition; current is the table as the database holds it now. */
static int rebuild_as(renderer *r, const char *name, const rt_table *current)
{
	rt_schema *after = state_after(r);
	if (!after)
		return rt_error_last()->code;
	const rt_table *table = rt__schema_find_table(after, name);
	if (!table)
		return rt__op_fail(r->op, "table %s does not exist after the operation", name);
	return rt__rebuild_table(r->plan, r->op, after, table, current ? current : table, r->d);
}

/* --- tables ------------------------------------------------------------------------- */

/* def as the state sees it: enum columns take the state's enum (its values
 * may have grown since the script's definition was written). */
static const rt_table *with_state_enums(renderer *r, const rt_table *def, const char *name)
{
	rt_arena *arena = r->plan->arena;
	rt_table *copy = rt__arena_alloc(arena, sizeof(*copy));
	rt_column **columns = rt__arena_alloc(arena, (def->column_count + 1) * sizeof(*columns));
	if (!copy || !columns) {
		rt__error_nomem();
		return NULL;
	}
	*copy = *def;
	copy->name = name;
	copy->columns = columns;
	for (size_t i = 0; i < def->column_count; i++) {
		columns[i] = def->columns[i];
		if (!is_enum(columns[i]))
			continue;
		const rt_type *type = &def->columns[i]->type;
		rt_enum *e = rt__state_find_enum(r->state, type->enum_name ? type->enum_name
					: type->enum_type ? type->enum_type->name : NULL);
		if (!e) {
			rt__op_fail(r->op, "column %s has type %s, but no such enum exists at "
				    "this point", columns[i]->name,
				    type->enum_name ? type->enum_name : "?");
			return NULL;
		}
		rt_column *column = rt__arena_alloc(arena, sizeof(*column));
		if (!column) {
			rt__error_nomem();
			return NULL;
		}
		*column = *columns[i];
		column->type.enum_name = e->name;
		column->type.enum_type = e;
		columns[i] = column;
	}
	return copy;
}

static int render_create_table(renderer *r)
{
	const rt_op *op = r->op;
	if (!op->def)
		return rt__op_fail(op, "no table definition");
	const rt_table *table = with_state_enums(r, op->def, op->table ? op->table : op->def->name);
	if (!table)
		return rt_error_last()->code;
	rt__ddl_create_table(&r->buf, r->state, table, r->d, true);
	int rc = push(r);
	return rc < 0 ? rc : rt__ddl_create_table_rest(r->plan->arena, r->plan->sql, r->state,
						       table, r->d);
}

static int render_drop_table(renderer *r)
{
	const rt_op *op = r->op;
	const char *name = op->table ? op->table : op->def ? op->def->name : NULL;
	if (!need_table(r, name))
		return RT_EINVAL;
	rt__buf_puts(&r->buf, "DROP TABLE ");
	put_ident(r, name);
	return push(r);
}

static int render_rename_table(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	if (!op->new_name)
		return rt__op_fail(op, "no new name for table %s", table->name);
	alter_table(r, table->name);
	rt__buf_puts(&r->buf, "RENAME TO ");
	put_ident(r, op->new_name);
	int rc = push(r);
	/* The enum CHECKs are named after the table: renamed with it. */
	if (rc == RT_OK && has_enum_check(table, r->d))
		rc = rebuild_as(r, op->new_name, NULL);
	return rc;
}

/* --- columns ---------------------------------------------------------------------- */

static const rt_column *def_column(const rt_op *op)
{
	if (!op->def)
		return NULL;
	if (op->name)
		return rt__table_find_column(op->def, op->name);
	return op->def->column_count == 1 ? op->def->columns[0] : NULL;
}

static bool expression_default(const rt_column *column)
{
	return column->server_default.kind == RT_LITERAL_NOW ||
	       column->server_default.kind == RT_LITERAL_SQL;
}

/* Can ADD COLUMN add this column, with everything that comes with it, in
 * place? */
static bool add_in_place(const rt_table *def, const rt_column *column, const rt_dialect *d)
{
	if (is_enum(column) && !d->caps.native_enums)
		return false; /* its CHECK is added inline only */
	if ((def->primary_key || def->constraint_count > 0) && !d->caps.alter_add_constraint)
		return false;
	if (d->caps.add_column_any_default)
		return true;
	if (expression_default(column))
		return false;
	return column->nullable || column->server_default.kind != RT_LITERAL_NONE;
}

/* The comment hook's statement setting table's comment (column NULL) or
 * that of its column (as it will be) to text, or removing it (NULL). */
static int push_comment(renderer *r, const rt_table *table, const rt_column *column,
			const char *text)
{
	const char *column_sql = NULL;
	if (column) {
		rt__ddl_column(&r->buf, r->state, table, column, r->d);
		column_sql = rt__buf_failed(&r->buf)
				     ? NULL
				     : rt__arena_strdup(r->plan->arena, rt__buf_cstr(&r->buf));
		rt__buf_clear(&r->buf);
		if (!column_sql)
			return rt__error_nomem();
	}
	r->d->comment(&r->buf, r->d, table->name, column ? column->name : NULL, column_sql,
		      text);
	return push(r);
}

/* An alter column's or alter table's comment change; nothing where the
 * database keeps no comments (SQLite), which is why it never rebuilds. */
static int put_comment_change(renderer *r, const rt_table *table, const rt_column *column)
{
	const rt_op *op = r->op;
	if (op->comment_change == RT_ALTER_COMMENT_KEEP || !r->d->caps.comments)
		return RT_OK;
	return push_comment(r, table, column,
			    op->comment_change == RT_ALTER_COMMENT_SET ? op->comment : NULL);
}

static int render_add_column(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	const rt_column *src = def_column(op);
	if (!src)
		return rt__op_fail(op, "no definition for column %s", op->name ? op->name : "?");
	if (!add_in_place(op->def, src, r->d))
		return rebuild_as(r, table->name, table);

	const rt_table *def = with_state_enums(r, op->def, table->name);
	if (!def)
		return rt_error_last()->code;
	const rt_column *column = src;
	for (size_t i = 0; i < def->column_count; i++)
		if (strcmp(def->columns[i]->name, src->name) == 0)
			column = def->columns[i];
	int rc;
	alter_table(r, table->name);
	rt__buf_puts(&r->buf, "ADD COLUMN ");
	rt__ddl_column(&r->buf, r->state, def, column, r->d);
	if ((rc = push(r)) < 0)
		return rc;
	for (size_t i = 0; i <= def->constraint_count; i++) {
		const rt_constraint *c = i == 0 ? def->primary_key : def->constraints[i - 1];
		if (!c)
			continue;
		alter_table(r, table->name);
		rt__buf_puts(&r->buf, "ADD ");
		rt__ddl_constraint(&r->buf, def, c, r->d);
		if ((rc = push(r)) < 0)
			return rc;
	}
	for (size_t i = 0; i < def->index_count; i++) {
		rt__ddl_create_index(&r->buf, def, def->indexes[i], r->d);
		if ((rc = push(r)) < 0)
			return rc;
	}
	if (column->comment && r->d->caps.comments)
		rc = push_comment(r, def, column, column->comment);
	return rc;
}

/* Does a constraint of table (an enum CHECK included) use the column? */
static bool column_in_constraint(const rt_table *table, const rt_column *column,
				 const rt_dialect *d)
{
	if (is_enum(column) && !d->caps.native_enums)
		return true;
	if (table->primary_key && rt__op_constraint_uses(table->primary_key, column->name))
		return true;
	for (size_t i = 0; i < table->constraint_count; i++)
		if (rt__op_constraint_uses(table->constraints[i], column->name))
			return true;
	return false;
}

static bool index_uses(const rt_index *index, const char *column)
{
	for (size_t i = 0; i < index->column_count; i++)
		if (strcmp(index->columns[i], column) == 0)
			return true;
	return false;
}

static int drop_constraint_named(renderer *r, const char *table, const char *name)
{
	alter_table(r, table);
	rt__buf_puts(&r->buf, "DROP CONSTRAINT ");
	put_ident(r, name);
	return push(r);
}

static int render_drop_column(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	const char *name = op->name ? op->name : def_column(op) ? def_column(op)->name : NULL;
	const rt_column *column = need_column(r, table, name);
	if (!column)
		return RT_EINVAL;
	const rt_dialect *d = r->d;
	bool keyed = column_in_constraint(table, column, d);
	if (!d->caps.drop_column_in_place || (keyed && !d->caps.drop_constraint_in_place))
		return rebuild_as(r, table->name, table);

	/* What uses the column is dropped first, by name, so that the DROP
	 * COLUMN needs no cascading and the text says what goes. */
	int rc;
	for (size_t i = 0; i < table->index_count; i++) {
		if (!index_uses(table->indexes[i], column->name))
			continue;
		if ((rc = r->d->drop_index(&r->buf, r->d, table->name,
					   table->indexes[i]->name)) < 0 ||
		    (rc = push(r)) < 0)
			return rc;
	}
	for (size_t i = 0; keyed && i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (rt__op_constraint_uses(c, column->name) &&
		    (rc = drop_constraint_named(r, table->name, c->name)) < 0)
			return rc;
	}
	if (keyed && table->primary_key &&
	    rt__op_constraint_uses(table->primary_key, column->name) &&
	    (rc = drop_constraint_named(r, table->name, table->primary_key->name)) < 0)
		return rc;
	alter_table(r, table->name);
	rt__buf_puts(&r->buf, "DROP COLUMN ");
	put_ident(r, column->name);
	return push(r);
}

/* Hands the dialect's statements to the plan. */
static int plan_sink(void *ctx, rt_buf *sql)
{
	return rt__plan_push(ctx, sql);
}

/* SQL text of the DDL module's, kept in the plan's arena; NULL when out
 * of memory (recorded). */
static const char *keep_sql(renderer *r)
{
	const char *sql = rt__buf_failed(&r->buf)
				  ? NULL
				  : rt__arena_strdup(r->plan->arena, rt__buf_cstr(&r->buf));
	rt__buf_clear(&r->buf);
	if (!sql)
		rt__error_nomem();
	return sql;
}

/* The column as the alter column operation leaves it. */
static void column_after(const rt_op *op, const rt_column *column, const rt_type *type,
			 rt_column *out)
{
	*out = *column;
	out->type = *type;
	if (op->null_change != RT_ALTER_NULL_KEEP)
		out->nullable = op->null_change == RT_ALTER_NULL_SET;
	if (op->default_change == RT_ALTER_DEFAULT_SET)
		out->server_default = op->server_default;
	else if (op->default_change == RT_ALTER_DEFAULT_DROP)
		out->server_default = (rt_literal){.kind = RT_LITERAL_NONE};
	if (op->comment_change != RT_ALTER_COMMENT_KEEP)
		out->comment = op->comment_change == RT_ALTER_COMMENT_SET ? op->comment : NULL;
}

/* The type the operation gives the column, its enum looked up in the
 * state; < 0 after reporting. */
static int new_type(renderer *r, const rt_column *column, rt_type *type)
{
	const rt_op *op = r->op;
	*type = column->type;
	if (!op->set_type)
		return RT_OK;
	*type = op->type;
	type->enum_type = NULL;
	if (type->kind == RT_TYPE_ENUM) {
		type->enum_type = rt__state_find_enum(r->state, type->enum_name);
		if (!type->enum_type)
			return rt__op_fail(op, "column %s has type %s, but no such enum "
					   "exists at this point", column->name,
					   type->enum_name ? type->enum_name : "?");
		type->enum_name = type->enum_type->name;
	}
	return RT_OK;
}

static int render_alter_column(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	const rt_column *column = need_column(r, table, op->name);
	if (!column)
		return RT_EINVAL;
	rt_type type;
	int rc = new_type(r, column, &type);
	if (rc < 0)
		return rc;
	rt_column after;
	column_after(op, column, &type, &after);
	const rt_dialect *d = r->d;
	bool enum_check_changes = op->set_type && !d->caps.native_enums &&
				  (is_enum(column) || type.kind == RT_TYPE_ENUM);
	bool changes_column = op->set_type || op->null_change != RT_ALTER_NULL_KEEP ||
			      op->default_change != RT_ALTER_DEFAULT_KEEP;
	if (!changes_column)
		return put_comment_change(r, table, &after);
	if (!d->caps.alter_column_in_place || enum_check_changes)
		return rebuild_as(r, table->name, table);

	rt_column_change change = {
		.schema = r->state,
		.table = table,
		.before = column,
		.after = &after,
		.set_type = op->set_type,
		.set_null = op->null_change != RT_ALTER_NULL_KEEP,
		.set_default = op->default_change != RT_ALTER_DEFAULT_KEEP,
		.using_expr = op->using_expr,
	};
	if (after.server_default.kind != RT_LITERAL_NONE) {
		rt__ddl_literal(&r->buf, &after.server_default, d);
		if (!(change.default_sql = keep_sql(r)))
			return RT_ENOMEM;
	}
	rt__ddl_column(&r->buf, r->state, table, &after, d);
	if (!(change.definition_sql = keep_sql(r)))
		return RT_ENOMEM;
	if ((rc = d->alter_column(d, &change, plan_sink, r->plan)) < 0)
		return rc;
	return put_comment_change(r, table, &after);
}

static int render_alter_table(renderer *r)
{
	const rt_table *table = need_table(r, r->op->table);
	if (!table)
		return RT_EINVAL;
	if (r->op->comment_change == RT_ALTER_COMMENT_KEEP)
		return rt__op_fail(r->op, "no change to table %s", table->name);
	return put_comment_change(r, table, NULL);
}

static int render_rename_column(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	const rt_column *column = need_column(r, table, op->name);
	if (!column)
		return RT_EINVAL;
	if (!op->new_name)
		return rt__op_fail(op, "no new name for column %s", column->name);
	alter_table(r, table->name);
	rt__buf_puts(&r->buf, "RENAME COLUMN ");
	put_ident(r, column->name);
	rt__buf_puts(&r->buf, " TO ");
	put_ident(r, op->new_name);
	int rc = push(r);
	/* An enum CHECK is named after its column: renamed with it. */
	if (rc == RT_OK && is_enum(column) && !r->d->caps.native_enums)
		rc = rebuild_as(r, table->name, NULL);
	return rc;
}

/* --- indexes and constraints ---------------------------------------------------------- */

static int render_create_index(renderer *r)
{
	const rt_op *op = r->op;
	if (!op->index || !op->index->name)
		return rt__op_fail(op, "no index definition");
	const rt_table *table = need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	rt__ddl_create_index(&r->buf, table, op->index, r->d);
	return push(r);
}

static int render_drop_index(renderer *r)
{
	const rt_op *op = r->op;
	const char *name = op->index && op->index->name ? op->index->name : op->name;
	if (!name)
		return rt__op_fail(op, "no index name");
	/* The index's table: the script's, else the one holding it now. */
	const char *table = op->table;
	for (size_t t = 0; !table && t < r->state->table_count; t++)
		for (size_t i = 0; i < r->state->tables[t]->index_count; i++)
			if (strcmp(r->state->tables[t]->indexes[i]->name, name) == 0)
				table = r->state->tables[t]->name;
	int rc = r->d->drop_index(&r->buf, r->d, table, name);
	return rc < 0 ? rc : push(r);
}

static int render_add_constraint(renderer *r)
{
	const rt_op *op = r->op;
	if (!op->constraint || !op->constraint->name)
		return rt__op_fail(op, "no constraint definition");
	const rt_table *table = need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	if (!r->d->caps.alter_add_constraint)
		return rebuild_as(r, table->name, table);
	alter_table(r, table->name);
	rt__buf_puts(&r->buf, "ADD ");
	rt__ddl_constraint(&r->buf, table, op->constraint, r->d);
	return push(r);
}

static int render_drop_constraint(renderer *r)
{
	const rt_op *op = r->op;
	const char *name = op->constraint && op->constraint->name ? op->constraint->name
								  : op->name;
	const rt_table *table = need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	if (!name)
		return rt__op_fail(op, "no constraint name");
	if (!r->d->caps.drop_constraint_in_place)
		return rebuild_as(r, table->name, table);
	return drop_constraint_named(r, table->name, name);
}

/* --- enums ------------------------------------------------------------------------------- */

static int render_create_enum(renderer *r)
{
	const rt_enum *e = r->op->enum_def;
	if (!e)
		return rt__op_fail(r->op, "no enum definition");
	if (!r->d->caps.native_enums)
		return RT_OK; /* the values live in each column's CHECK */
	r->d->create_enum(&r->buf, r->d, e->sql_name ? e->sql_name : e->name, e->values,
			  e->value_count);
	return push(r);
}

static int render_drop_enum(renderer *r)
{
	const rt_op *op = r->op;
	const char *name = op->enum_def ? op->enum_def->name : op->name;
	const rt_enum *e = rt__state_find_enum(r->state, name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point", name ? name : "?");
	if (!r->d->caps.native_enums)
		return RT_OK;
	r->d->drop_enum(&r->buf, r->d, e->sql_name);
	return push(r);
}

/* Rebuilds every table with a column of enum e (the state's before the
 * operation): without native enums the values live in each such column's
 * CHECK. */
static int rebuild_enum_tables(renderer *r, const rt_enum *e)
{
	for (size_t t = 0; t < r->state->table_count; t++) {
		const rt_table *table = r->state->tables[t];
		bool uses = false;
		for (size_t i = 0; i < table->column_count && !uses; i++)
			uses = is_enum(table->columns[i]) && table->columns[i]->type.enum_type == e;
		int rc;
		if (uses && (rc = rebuild_as(r, table->name, table)) < 0)
			return rc;
	}
	return RT_OK;
}

/* With native enums the dialect adds the value to the type; without them
 * every table with a column of the enum is rebuilt, since the column's
 * CHECK lists the values. */
static int render_alter_enum_add(renderer *r)
{
	const rt_op *op = r->op;
	const rt_enum *e = rt__state_find_enum(r->state, op->name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point",
				   op->name ? op->name : "?");
	if (!op->value)
		return rt__op_fail(op, "no value to add to enum %s", e->name);
	if (r->d->caps.native_enums) {
		r->d->enum_add_value(&r->buf, r->d, e->sql_name, op->value);
		return push(r);
	}
	return rebuild_enum_tables(r, e);
}

/*
 * A value leaves an enum. With native enums the dialect replaces the type
 * (enum_replace), converting every column of it; without them every
 * table with a column of the enum is rebuilt with the shorter CHECK. In
 * both cases a row still holding the value fails the statements (the
 * online run refuses earlier, naming the rows: ops_enum_rows.c).
 */
static int render_alter_enum_drop(renderer *r)
{
	const rt_op *op = r->op;
	const rt_enum *e = rt__state_find_enum(r->state, op->name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point",
				   op->name ? op->name : "?");
	rt_schema *after = state_after(r); /* checks the value and the defaults */
	if (!after)
		return rt_error_last()->code;
	if (!r->d->caps.native_enums)
		return rebuild_enum_tables(r, e);
	const rt_enum *shorter = rt__state_find_enum(after, op->name);
	if (!r->d->enum_replace || !shorter)
		return rt__op_fail(op, "%s cannot remove a value from an enum type", r->d->name);
	rt_arena *arena = r->plan->arena;
	size_t count = 0;
	for (size_t t = 0; t < r->state->table_count; t++)
		for (size_t i = 0; i < r->state->tables[t]->column_count; i++)
			count += r->state->tables[t]->columns[i]->type.enum_type == e;
	rt_enum_use *columns = rt__arena_alloc(arena, (count + 1) * sizeof(*columns));
	if (!columns)
		return rt__error_nomem();
	size_t n = 0;
	for (size_t t = 0; t < r->state->table_count; t++) {
		const rt_table *table = r->state->tables[t];
		for (size_t i = 0; i < table->column_count; i++) {
			const rt_column *column = table->columns[i];
			if (!is_enum(column) || column->type.enum_type != e)
				continue;
			columns[n] = (rt_enum_use){.table = table->name, .column = column->name};
			if (column->server_default.kind != RT_LITERAL_NONE) {
				rt__ddl_literal(&r->buf, &column->server_default, r->d);
				columns[n].default_sql = rt__buf_failed(&r->buf)
								 ? NULL
								 : rt__arena_strdup(arena, rt__buf_cstr(&r->buf));
				rt__buf_clear(&r->buf);
				if (!columns[n].default_sql)
					return rt__error_nomem();
			}
			n++;
		}
	}
	return r->d->enum_replace(r->d, e->sql_name, shorter->values, shorter->value_count,
				  columns, n, plan_sink, r->plan);
}

/* --- data ------------------------------------------------------------------------------------ */

bool rt__op_runs_here(const rt_op *op, const rt_dialect *d)
{
	return !op->only_dialect || strcmp(op->only_dialect, d->name) == 0;
}

static int render_execute(renderer *r)
{
	if (!r->op->sql)
		return rt__op_fail(r->op, "no SQL to execute");
	if (!rt__op_runs_here(r->op, r->d))
		return RT_OK;
	const char *sql = rt__arena_strdup(r->plan->arena, r->op->sql);
	return sql ? rt__plan_push_text(r->plan, sql) : rt__error_nomem();
}

void rt__op_insert_head(rt_buf *buf, const rt_op *op, const rt_dialect *d)
{
	rt__buf_puts(buf, "INSERT INTO ");
	d->quote_ident(buf, op->table);
	rt__buf_puts(buf, " (");
	for (size_t i = 0; i < op->column_count; i++) {
		if (i > 0)
			rt__buf_puts(buf, ", ");
		d->quote_ident(buf, op->columns[i]);
	}
	rt__buf_puts(buf, ") VALUES ");
}

static void put_value(rt_buf *buf, const rt_literal *value, const rt_dialect *d)
{
	if (value->kind == RT_LITERAL_NONE)
		rt__buf_puts(buf, "NULL");
	else
		rt__ddl_literal(buf, value, d);
}

int rt__op_insert_check(const rt_op *op)
{
	if (!op->table || op->column_count == 0)
		return rt__op_fail(op, "no table or columns to insert into");
	if (op->row_count == 0)
		return rt__op_fail(op, "no rows to insert into %s", op->table);
	return RT_OK;
}

/* Offline, the rows are written as SQL literals, all in one statement. */
static int render_insert(renderer *r)
{
	const rt_op *op = r->op;
	int rc = rt__op_insert_check(op);
	if (rc < 0)
		return rc;
	rt__op_insert_head(&r->buf, op, r->d);
	for (size_t row = 0; row < op->row_count; row++) {
		rt__buf_puts(&r->buf, row > 0 ? ", (" : "(");
		for (size_t i = 0; i < op->column_count; i++) {
			if (i > 0)
				rt__buf_puts(&r->buf, ", ");
			put_value(&r->buf, &op->rows[row][i], r->d);
		}
		rt__buf_putc(&r->buf, ')');
	}
	return push(r);
}

/* --- planning --------------------------------------------------------------------------------- */

/* The names the operation creates fit the dialect's identifier limit (the
 * script was checked against the language's, without a dialect). */
static int check_new_names(renderer *r)
{
	const rt_op *op = r->op;
	const rt_dialect *d = r->d;
	int rc = RT_OK;
	switch (op->kind) {
	case RT_OP_CREATE_TABLE:
		if (op->def)
			rc = rt__ddl_check_name(d, "table", op->table ? op->table : op->def->name);
		/* fall through */
	case RT_OP_ADD_COLUMN:
		if (rc == RT_OK && op->def)
			rc = rt__ddl_check_names(d, op->def, false);
		break;
	case RT_OP_RENAME_TABLE:
	case RT_OP_RENAME_COLUMN:
		rc = rt__ddl_check_name(d, op->kind == RT_OP_RENAME_TABLE ? "table" : "column",
					op->new_name);
		break;
	case RT_OP_CREATE_INDEX:
		rc = rt__ddl_check_name(d, "index", op->index ? op->index->name : NULL);
		break;
	case RT_OP_ADD_CONSTRAINT:
		rc = rt__ddl_check_name(d, "constraint",
					op->constraint ? op->constraint->name : NULL);
		break;
	case RT_OP_CREATE_ENUM:
		if (d->caps.native_enums && op->enum_def)
			rc = rt__ddl_check_name(d, "enum type", op->enum_def->sql_name);
		break;
	default:
		break;
	}
	return rc < 0 ? rt__op_wrap(op, rc) : RT_OK;
}

static int plan_op(renderer *r)
{
	int rc = check_new_names(r);
	if (rc < 0)
		return rc;
	switch (r->op->kind) {
	case RT_OP_CREATE_TABLE: return render_create_table(r);
	case RT_OP_DROP_TABLE: return render_drop_table(r);
	case RT_OP_RENAME_TABLE: return render_rename_table(r);
	case RT_OP_ADD_COLUMN: return render_add_column(r);
	case RT_OP_DROP_COLUMN: return render_drop_column(r);
	case RT_OP_ALTER_COLUMN: return render_alter_column(r);
	case RT_OP_ALTER_TABLE: return render_alter_table(r);
	case RT_OP_RENAME_COLUMN: return render_rename_column(r);
	case RT_OP_CREATE_INDEX: return render_create_index(r);
	case RT_OP_DROP_INDEX: return render_drop_index(r);
	case RT_OP_ADD_CONSTRAINT: return render_add_constraint(r);
	case RT_OP_DROP_CONSTRAINT: return render_drop_constraint(r);
	case RT_OP_CREATE_ENUM: return render_create_enum(r);
	case RT_OP_DROP_ENUM: return render_drop_enum(r);
	case RT_OP_ALTER_ENUM_ADD: return render_alter_enum_add(r);
	case RT_OP_ALTER_ENUM_DROP: return render_alter_enum_drop(r);
	case RT_OP_EXECUTE: return render_execute(r);
	case RT_OP_INSERT: return render_insert(r);
	}
	return rt__error_set(RT_EINVAL, "unknown operation kind %d", (int)r->op->kind);
}

static void renderer_init(renderer *r, rt_op_plan *plan, const rt_op *op,
			  const rt_schema *state, const rt_dialect *d)
{
	*r = (renderer){.plan = plan, .buf = RT_BUF_INIT, .op = op, .state = state, .d = d};
}

static void renderer_free(renderer *r)
{
	rt__buf_free(&r->buf);
	rt_schema_free(r->after);
	r->after = NULL;
}

int rt__op_plan(rt_op_plan *plan, const rt_op *op, const rt_schema *state,
		const rt_dialect *dialect, rt_schema **after)
{
	renderer r;
	renderer_init(&r, plan, op, state, dialect);
	int rc = plan_op(&r);
	if (after) {
		*after = r.after;
		r.after = NULL;
	}
	renderer_free(&r);
	return rc;
}

int rt__op_render(rt_arena *arena, rt_sql_list *list, const rt_op *op,
		  const rt_schema *state, const rt_dialect *dialect)
{
	if (!arena || !list || !op || !state || !dialect)
		return rt__error_set(RT_EINVAL, "rt__op_render: NULL argument");
	rt_op_plan plan = {.arena = arena, .sql = list};
	return rt__op_plan(&plan, op, state, dialect, NULL);
}
