/*
 * ops_render_enums.c - the SQL of the enum operations (create, drop, add a
 * value, drop a value), planned as ops_render.h describes, by where the
 * dialect keeps an enum's values (caps.enum_kind):
 *   RT_ENUM_TYPE    a type object: the dialect's hooks;
 *   RT_ENUM_INLINE  each column's own type: no object to create or drop,
 *                   and a value added or dropped restates every column of
 *                   the enum with its new values (alter_column);
 *   RT_ENUM_CHECK   each enum column's CHECK: adding or dropping a value
 *                   rebuilds every table with a column of the enum.
 */
#include "migrate/ops_render.h"

#include "base/error.h"
#include "migrate/ops_state.h"

/* --- enums ------------------------------------------------------------------------------- */

int rt__render_create_enum(renderer *r)
{
	const rt_enum *e = r->op->enum_def;
	if (!e)
		return rt__op_fail(r->op, "no enum definition");
	if (rt__ddl_check_enum_schema(r->d, e) < 0)
		return rt_error_last()->code;
	if (r->d->caps.enum_kind != RT_ENUM_TYPE)
		return RT_OK; /* the values live in each column */
	r->d->create_enum(&r->buf, r->d, e->schema, e->sql_name ? e->sql_name : e->name,
			  e->values, e->value_count);
	return rt__render_push(r, RT_STMT_CREATE_TYPE);
}

int rt__render_drop_enum(renderer *r)
{
	const rt_op *op = r->op;
	const char *name = op->enum_def ? op->enum_def->name : op->name;
	const rt_enum *e = rt__state_find_enum(r->state, name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point", name ? name : "?");
	if (r->d->caps.enum_kind != RT_ENUM_TYPE)
		return RT_OK;
	r->d->drop_enum(&r->buf, r->d, e->schema, e->sql_name);
	return rt__render_push(r, RT_STMT_DROP_TYPE);
}

/* Rebuilds every table with a column of enum e (the state's before the
 * operation): with RT_ENUM_CHECK the values live in each such column's
 * CHECK. */
static int rebuild_enum_tables(renderer *r, const rt_enum *e)
{
	for (size_t t = 0; t < r->state->table_count; t++) {
		const rt_table *table = r->state->tables[t];
		bool uses = false;
		for (size_t i = 0; i < table->column_count && !uses; i++)
			uses = rt__render_is_enum(table->columns[i]) && table->columns[i]->type.enum_type == e;
		int rc;
		if (uses && (rc = rt__render_rebuild_as(r, table->name, table)) < 0)
			return rc;
	}
	return RT_OK;
}

/*
 * RT_ENUM_INLINE: every column of enum e (the state's before the
 * operation) restated with the enum as the operation leaves it, through
 * the dialect's alter_column: the values are the column's type. A row
 * holding a value that goes makes the statement fail (the online run
 * refuses earlier, naming the rows: ops_enum_rows.c).
 */
static int restate_enum_columns(renderer *r, const rt_enum *e)
{
	rt_schema *after = rt__render_state_after(r); /* checks the value and the defaults */
	if (!after)
		return rt_error_last()->code;
	const rt_dialect *d = r->d;
	for (size_t t = 0; t < r->state->table_count; t++) {
		const rt_table *table = r->state->tables[t];
		for (size_t i = 0; i < table->column_count; i++) {
			const rt_column *column = table->columns[i];
			if (!rt__render_is_enum(column) || column->type.enum_type != e)
				continue;
			const rt_table *new_table = rt__schema_find_table(after, table->name);
			const rt_column *new_column =
				new_table ? rt__table_find_column(new_table, column->name) : NULL;
			if (!new_column)
				return rt__op_fail(r->op, "column %s.%s is gone after the operation",
						   table->name, column->name);
			rt_column_change change = {
				.schema = r->state,
				.table = table,
				.before = column,
				.after = new_column,
				.set_type = true,
			};
			if (new_column->server_default.kind != RT_LITERAL_NONE) {
				rt__ddl_literal(&r->buf, &new_column->server_default, d);
				if (!(change.default_sql = rt__render_keep_sql(r)))
					return RT_ENOMEM;
			}
			rt__ddl_column(&r->buf, after, new_table, new_column, d);
			if (!(change.definition_sql = rt__render_keep_sql(r)))
				return RT_ENOMEM;
			int rc = d->alter_column(d, &change, rt__render_plan_sink, r->plan);
			if (rc < 0)
				return rc;
		}
	}
	return RT_OK;
}

/* A value added: to the type (RT_ENUM_TYPE), to each column's type
 * (RT_ENUM_INLINE), or to each column's CHECK by rebuilding its table
 * (RT_ENUM_CHECK). */
int rt__render_alter_enum_add(renderer *r)
{
	const rt_op *op = r->op;
	const rt_enum *e = rt__state_find_enum(r->state, op->name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point",
				   op->name ? op->name : "?");
	if (!op->value)
		return rt__op_fail(op, "no value to add to enum %s", e->name);
	switch (r->d->caps.enum_kind) {
	case RT_ENUM_TYPE:
		r->d->enum_add_value(&r->buf, r->d, e->schema, e->sql_name, op->value);
		return rt__render_push(r, RT_STMT_OTHER);
	case RT_ENUM_INLINE:
		return restate_enum_columns(r, e);
	case RT_ENUM_CHECK:
		break;
	}
	return rebuild_enum_tables(r, e);
}

/*
 * A value leaves an enum. RT_ENUM_TYPE: the dialect replaces the type
 * (enum_replace), converting every column of it; RT_ENUM_INLINE: every
 * column of it is restated with the shorter values; RT_ENUM_CHECK: every
 * table with a column of the enum is rebuilt with the shorter CHECK. In
 * each case a row still holding the value fails the statements (the
 * online run refuses earlier, naming the rows: ops_enum_rows.c).
 */
int rt__render_alter_enum_drop(renderer *r)
{
	const rt_op *op = r->op;
	const rt_enum *e = rt__state_find_enum(r->state, op->name);
	if (!e)
		return rt__op_fail(op, "enum %s does not exist at this point",
				   op->name ? op->name : "?");
	rt_schema *after = rt__render_state_after(r); /* checks the value and the defaults */
	if (!after)
		return rt_error_last()->code;
	if (r->d->caps.enum_kind == RT_ENUM_INLINE)
		return restate_enum_columns(r, e);
	if (r->d->caps.enum_kind == RT_ENUM_CHECK)
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
			if (!rt__render_is_enum(column) || column->type.enum_type != e)
				continue;
			columns[n] = (rt_enum_use){.schema = table->schema,
						    .table = rt__table_sql_name(table),
						    .column = column->name,
						    .array = column->type.array};
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
	return r->d->enum_replace(r->d, e->schema, e->sql_name, shorter->values, shorter->value_count,
				  columns, n, rt__render_plan_sink, r->plan);
}
