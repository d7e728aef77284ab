/*
 * ops_render_columns.c - the SQL of the column operations (add, drop,
 * alter, rename column) and of comment changes (alter column / alter
 * table comment), planned as ops_render.h describes. A column change in
 * place is the dialect's alter_column hook; a comment, its comment hook,
 * and nothing where the database keeps no comments.
 */
#include "migrate/ops_render.h"

#include <string.h>

#include "base/error.h"
#include "migrate/ops_state.h"

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
	if (column->generated && !column->generated_virtual &&
	    !d->caps.add_column_generated_stored)
		return false; /* SQLite: "cannot add a STORED column" */
	if (rt__render_is_enum(column) && d->caps.enum_kind == RT_ENUM_CHECK)
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
	r->d->comment(&r->buf, r->d, table, column ? column->name : NULL, column_sql,
		      text);
	return rt__render_push(r, RT_STMT_OTHER);
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

int rt__render_add_column(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = rt__render_need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	const rt_column *src = def_column(op);
	if (!src)
		return rt__op_fail(op, "no definition for column %s", op->name ? op->name : "?");
	if (!add_in_place(op->def, src, r->d))
		return rt__render_rebuild_as(r, table->name, table);

	const rt_table *def = rt__render_with_state_enums(r, op->def, table->name);
	if (!def)
		return rt_error_last()->code;
	const rt_column *column = src;
	for (size_t i = 0; i < def->column_count; i++)
		if (strcmp(def->columns[i]->name, src->name) == 0)
			column = def->columns[i];
	int rc;
	/* The column is declared as the table it joins declares its columns
	 * (a STRICT table: REAL, not DOUBLE); the definition has no options. */
	rt_table joined = *def;
	joined.options = table->options;
	rt__render_put_alter_table(r, table->name);
	rt__buf_puts(&r->buf, "ADD COLUMN ");
	rt__ddl_column(&r->buf, r->state, &joined, column, r->d);
	if ((rc = rt__render_push(r, RT_STMT_ALTER_TABLE)) < 0)
		return rc;
	for (size_t i = 0; i <= def->constraint_count; i++) {
		const rt_constraint *c = i == 0 ? def->primary_key : def->constraints[i - 1];
		if (!c)
			continue;
		rt__render_put_alter_table(r, table->name);
		rt__buf_puts(&r->buf, "ADD ");
		rt__ddl_constraint(&r->buf, r->state, def, c, r->d);
		if ((rc = rt__render_push(r, RT_STMT_ALTER_TABLE)) < 0)
			return rc;
	}
	for (size_t i = 0; i < def->index_count; i++) {
		rt__ddl_create_index(&r->buf, def, def->indexes[i], r->d);
		if ((rc = rt__render_push(r, RT_STMT_OTHER)) < 0)
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
	if (rt__render_is_enum(column) && d->caps.enum_kind == RT_ENUM_CHECK)
		return true;
	if (table->primary_key && rt__op_constraint_uses(table->primary_key, column->name))
		return true;
	for (size_t i = 0; i < table->constraint_count; i++)
		if (rt__op_constraint_uses(table->constraints[i], column->name))
			return true;
	return false;
}

int rt__render_drop_column(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = rt__render_need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	const char *name = op->name ? op->name : def_column(op) ? def_column(op)->name : NULL;
	const rt_column *column = rt__render_need_column(r, table, name);
	if (!column)
		return RT_EINVAL;
	const rt_dialect *d = r->d;
	bool keyed = column_in_constraint(table, column, d);
	if (!d->caps.drop_column_in_place || (keyed && !d->caps.drop_constraint_in_place))
		return rt__render_rebuild_as(r, table->name, table);

	/* What uses the column is dropped first, by name, so that the DROP
	 * COLUMN needs no cascading and the text says what goes. */
	int rc;
	for (size_t i = 0; i < table->index_count; i++) {
		/* (One whose expression or WHERE names it too.) */
		if (!rt__state_index_mentions(table->indexes[i], column->name))
			continue;
		if ((rc = rt__render_before_drop_index(r, table, table->indexes[i]->name)) < 0 ||
		    (rc = r->d->drop_index(&r->buf, r->d, table,
					   table->indexes[i]->name)) < 0 ||
		    (rc = rt__render_push(r, RT_STMT_OTHER)) < 0)
			return rc;
	}
	for (size_t i = 0; keyed && i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (rt__op_constraint_uses(c, column->name) &&
		    (rc = rt__render_drop_constraint(r, table, c->name, c)) < 0)
			return rc;
	}
	if (keyed && table->primary_key &&
	    rt__op_constraint_uses(table->primary_key, column->name) &&
	    (rc = rt__render_drop_constraint(r, table, table->primary_key->name,
					     table->primary_key)) < 0)
		return rc;
	rt__render_put_alter_table(r, table->name);
	rt__buf_puts(&r->buf, "DROP COLUMN ");
	rt__render_put_ident(r, column->name);
	return rt__render_push(r, RT_STMT_ALTER_TABLE);
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
	if (op->collation_change != RT_ALTER_COLLATION_KEEP)
		out->collation =
			op->collation_change == RT_ALTER_COLLATION_SET ? op->collation : NULL;
	if (op->onupdate_change != RT_ALTER_ONUPDATE_KEEP)
		out->server_onupdate = op->onupdate_change == RT_ALTER_ONUPDATE_SET;
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

int rt__render_alter_column(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = rt__render_need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	const rt_column *column = rt__render_need_column(r, table, op->name);
	if (!column)
		return RT_EINVAL;
	rt_type type;
	int rc = new_type(r, column, &type);
	if (rc < 0)
		return rc;
	rt_column after;
	column_after(op, column, &type, &after);
	const rt_dialect *d = r->d;
	bool enum_check_changes = op->set_type && d->caps.enum_kind == RT_ENUM_CHECK &&
				  (rt__render_is_enum(column) || type.kind == RT_TYPE_ENUM);
	bool changes_column = op->set_type || op->null_change != RT_ALTER_NULL_KEEP ||
			      op->default_change != RT_ALTER_DEFAULT_KEEP ||
			      op->collation_change != RT_ALTER_COLLATION_KEEP ||
			      op->onupdate_change != RT_ALTER_ONUPDATE_KEEP;
	if (!changes_column)
		return put_comment_change(r, table, &after);
	if (!d->caps.alter_column_in_place || enum_check_changes)
		return rt__render_rebuild_as(r, table->name, table);

	rt_column_change change = {
		.schema = r->state,
		.table = table,
		.before = column,
		.after = &after,
		.set_type = op->set_type,
		.set_null = op->null_change != RT_ALTER_NULL_KEEP,
		.set_default = op->default_change != RT_ALTER_DEFAULT_KEEP,
		.set_collation = op->collation_change != RT_ALTER_COLLATION_KEEP,
		.set_onupdate = op->onupdate_change != RT_ALTER_ONUPDATE_KEEP,
		.using_expr = op->using_expr,
	};
	if (after.server_default.kind != RT_LITERAL_NONE) {
		rt__ddl_literal(&r->buf, &after.server_default, d);
		if (!(change.default_sql = rt__render_keep_sql(r)))
			return RT_ENOMEM;
	}
	rt__ddl_column(&r->buf, r->state, table, &after, d);
	if (!(change.definition_sql = rt__render_keep_sql(r)))
		return RT_ENOMEM;
	if ((rc = d->alter_column(d, &change, rt__render_plan_sink, r->plan)) < 0)
		return rc;
	/* Restating the column set its comment too (dialect.h). */
	return d->restate_check ? RT_OK : put_comment_change(r, table, &after);
}

/* alter table t collate NAME | drop collate: the dialect's statements,
 * given the definitions of the columns that follow the table's
 * collation (a dialect without table collations refused it before). */
static int put_collation_change(renderer *r, const rt_table *table)
{
	const rt_op *op = r->op;
	const rt_dialect *d = r->d;
	if (op->collation_change == RT_ALTER_COLLATION_KEEP || !d->alter_table_collation)
		return RT_OK;
	rt_arena *arena = rt__arena_new();
	const rt_column **columns =
		arena ? rt__arena_alloc(arena, (table->column_count + 1) * sizeof(*columns)) : NULL;
	const char **sql =
		columns ? rt__arena_alloc(arena, (table->column_count + 1) * sizeof(*sql)) : NULL;
	if (!sql) {
		rt__arena_free(arena);
		return rt__error_nomem();
	}
	size_t count = 0;
	for (size_t i = 0; i < table->column_count; i++) {
		const rt_column *column = table->columns[i];
		if (!rt__column_follows_table_collation(column, d->verbatim_takes_collation))
			continue;
		rt__ddl_column(&r->buf, r->state, table, column, d);
		columns[count] = column;
		if (!(sql[count++] = rt__render_keep_sql(r))) {
			rt__arena_free(arena);
			return RT_ENOMEM;
		}
	}
	rt_table_collation_change change = {
		.table = table,
		.collation = op->collation_change == RT_ALTER_COLLATION_SET ? op->collation : NULL,
		.columns = columns,
		.column_sql = sql,
		.column_count = count,
	};
	int rc = d->alter_table_collation(d, &change, rt__render_plan_sink, r->plan);
	rt__arena_free(arena);
	return rc;
}

int rt__render_alter_table(renderer *r)
{
	const rt_table *table = rt__render_need_table(r, r->op->table);
	if (!table)
		return RT_EINVAL;
	const rt_op *op = r->op;
	if (op->comment_change == RT_ALTER_COMMENT_KEEP && !op->options_set &&
	    !op->options_clear && op->collation_change == RT_ALTER_COLLATION_KEEP)
		return rt__op_fail(op, "no change to table %s", table->name);
	int rc = put_collation_change(r, table);
	if (rc < 0)
		return rc;
	/* No ALTER TABLE changes a table option (rt_dialect.table_option_sql):
	 * the table is made again with the new ones, its comment with it. */
	unsigned options = (table->options | op->options_set) & ~op->options_clear;
	if (options != table->options)
		return rt__render_rebuild_as(r, table->name, table);
	return put_comment_change(r, table, NULL);
}

int rt__render_rename_column(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = rt__render_need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	const rt_column *column = rt__render_need_column(r, table, op->name);
	if (!column)
		return RT_EINVAL;
	if (!op->new_name)
		return rt__op_fail(op, "no new name for column %s", column->name);
	rt__render_put_alter_table(r, table->name);
	rt__buf_puts(&r->buf, "RENAME COLUMN ");
	rt__render_put_ident(r, column->name);
	rt__buf_puts(&r->buf, " TO ");
	rt__render_put_ident(r, op->new_name);
	int rc = rt__render_push(r, RT_STMT_ALTER_TABLE);
	/* An enum CHECK is named after its column: renamed with it. */
	if (rc == RT_OK && rt__render_is_enum(column) && r->d->caps.enum_kind == RT_ENUM_CHECK)
		rc = rt__render_rebuild_as(r, table->name, NULL);
	return rc;
}
