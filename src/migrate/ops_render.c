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
 *   drop_constraint_in_place  the drop_constraint hook
 *   drop_column_in_place      DROP COLUMN of a column no constraint uses
 *   add_column_any_default    ADD COLUMN with an expression default or NOT
 *                             NULL without one
 *   enum_kind                 RT_ENUM_TYPE: the dialect's enum types;
 *                             RT_ENUM_INLINE: the column's own type, so a
 *                             value added or dropped restates each column
 *                             of the enum (alter_column); RT_ENUM_CHECK: an
 *                             enum column carries a CHECK named after its
 *                             table and column, so renaming either, or
 *                             adding a value to the enum or dropping one,
 *                             rebuilds the table
 *
 * This file has the helpers the others share (ops_render.h), tables,
 * indexes and constraints, and the planning entry points.
 */
#include "migrate/ops_render.h"

#include <string.h>

#include "base/error.h"
#include "migrate/ops_state.h"

/* --- helpers (ops_render.h) ------------------------------------------------------- */

void rt__render_put_ident(renderer *r, const char *name)
{
	r->d->quote_ident(&r->buf, name);
}

int rt__render_push(renderer *r, rt_stmt_kind kind)
{
	return rt__plan_push(r->plan, &r->buf, kind);
}

void rt__render_put_table(renderer *r, const char *table)
{
	rt__ddl_put_table_named(&r->buf, r->d, r->state, table);
}

void rt__render_put_alter_table(renderer *r, const char *table)
{
	rt__buf_puts(&r->buf, "ALTER TABLE ");
	rt__render_put_table(r, table);
	rt__buf_putc(&r->buf, ' ');
}

rt_table *rt__render_need_table(renderer *r, const char *name)
{
	rt_table *table = name ? rt__schema_find_table(r->state, name) : NULL;
	if (!table)
		rt__op_fail(r->op, "table %s does not exist at this point", name ? name : "?");
	return table;
}

rt_column *rt__render_need_column(renderer *r, const rt_table *table, const char *name)
{
	rt_column *column = name ? rt__table_find_column(table, name) : NULL;
	if (!column)
		rt__op_fail(r->op, "table %s has no column %s", table->name, name ? name : "?");
	return column;
}

bool rt__render_is_enum(const rt_column *column)
{
	return column->type.kind == RT_TYPE_ENUM;
}

/* Does the table carry an enum CHECK (RT_ENUM_CHECK)? */
bool rt__render_has_enum_check(const rt_table *table, const rt_dialect *d)
{
	for (size_t i = 0; d->caps.enum_kind == RT_ENUM_CHECK && i < table->column_count; i++)
		if (rt__render_is_enum(table->columns[i]))
			return true;
	return false;
}

/* --- rebuilds --------------------------------------------------------------------- */

/* The schema after the operation, replayed on a copy of the state. */
rt_schema *rt__render_state_after(renderer *r)
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
int rt__render_rebuild_as(renderer *r, const char *name, const rt_table *current)
{
	rt_schema *after = rt__render_state_after(r);
	if (!after)
		return rt_error_last()->code;
	const rt_table *table = rt__schema_find_table(after, name);
	if (!table)
		return rt__op_fail(r->op, "table %s does not exist after the operation", name);
	return rt__rebuild_table(r->plan, r->op, after, table, current ? current : table, r->d);
}

/* --- statements ------------------------------------------------------------------- */

int rt__render_before_drop_index(renderer *r, const rt_table *table, const char *name)
{
	if (!r->d->before_drop_index || !table || !name)
		return RT_OK;
	int rc = r->d->before_drop_index(&r->buf, r->d, table, name);
	if (rc < 0)
		return rc;
	return r->buf.len ? rt__render_push(r, RT_STMT_ALTER_TABLE) : RT_OK;
}

int rt__render_drop_constraint(renderer *r, const rt_table *table, const char *name,
			       const rt_constraint *constraint)
{
	int rc = RT_OK;
	if (constraint && constraint->kind != RT_CONSTRAINT_FOREIGN_KEY &&
	    constraint->kind != RT_CONSTRAINT_CHECK)
		rc = rt__render_before_drop_index(r, table, name);
	if (rc == RT_OK)
		rc = r->d->drop_constraint(&r->buf, r->d, table, name, constraint);
	return rc < 0 ? rc : rt__render_push(r, RT_STMT_ALTER_TABLE);
}

/* Constraint name of table as the schema before the operation has it, or
 * NULL. */
static const rt_constraint *find_constraint(const rt_table *table, const char *name)
{
	if (table->primary_key && table->primary_key->name &&
	    strcmp(table->primary_key->name, name) == 0)
		return table->primary_key;
	for (size_t i = 0; i < table->constraint_count; i++)
		if (table->constraints[i]->name && strcmp(table->constraints[i]->name, name) == 0)
			return table->constraints[i];
	return NULL;
}

/* Hands the dialect's statements to the plan. */
int rt__render_plan_sink(void *ctx, rt_buf *sql, rt_stmt_kind kind)
{
	return rt__plan_push(ctx, sql, kind);
}

/* SQL text of the DDL module's, kept in the plan's arena; NULL when out
 * of memory (recorded). */
const char *rt__render_keep_sql(renderer *r)
{
	const char *sql = rt__buf_failed(&r->buf)
				  ? NULL
				  : rt__arena_strdup(r->plan->arena, rt__buf_cstr(&r->buf));
	rt__buf_clear(&r->buf);
	if (!sql)
		rt__error_nomem();
	return sql;
}

/* --- tables ------------------------------------------------------------------------- */

/* def as the state sees it: enum columns take the state's enum (its values
 * may have grown since the script's definition was written). */
const rt_table *rt__render_with_state_enums(renderer *r, const rt_table *def, const char *name)
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
		if (!rt__render_is_enum(columns[i]))
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
	const char *name = op->table ? op->table : op->def->name;
	const rt_table *table = rt__render_with_state_enums(r, op->def, name);
	if (!table)
		return rt_error_last()->code;
	rt__ddl_create_table(&r->buf, r->state, table, r->d, true);
	int rc = rt__render_push(r, RT_STMT_CREATE_TABLE);
	return rc < 0 ? rc : rt__ddl_create_table_rest(r->plan->arena, r->plan->sql, r->state,
						       table, r->d);
}

/* DROP TABLE; a partition detached first where the dialect says so. */
static int render_drop_table(renderer *r)
{
	const rt_op *op = r->op;
	const char *name = op->table ? op->table : op->def ? op->def->name : NULL;
	const rt_table *table = rt__render_need_table(r, name);
	if (!table)
		return RT_EINVAL;
	if (table->partition_of && r->d->detach_partition) {
		r->d->detach_partition(&r->buf, table);
		int rc = rt__render_push(r, RT_STMT_ALTER_TABLE);
		if (rc < 0)
			return rc;
	}
	rt__buf_puts(&r->buf, "DROP TABLE ");
	rt__render_put_table(r, name);
	return rt__render_push(r, RT_STMT_DROP_TABLE);
}

static int render_rename_table(renderer *r)
{
	const rt_op *op = r->op;
	const rt_table *table = rt__render_need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	if (!op->new_name)
		return rt__op_fail(op, "no new name for table %s", table->name);
	rt__render_put_alter_table(r, table->name);
	rt__buf_puts(&r->buf, "RENAME TO ");
	rt__render_put_ident(r, op->new_name);
	int rc = rt__render_push(r, RT_STMT_ALTER_TABLE);
	/* The enum CHECKs are named after the table: renamed with it. */
	if (rc == RT_OK && rt__render_has_enum_check(table, r->d))
		rc = rt__render_rebuild_as(r, op->new_name, NULL);
	return rc;
}

/* --- indexes and constraints ---------------------------------------------------------- */

static int render_create_index(renderer *r)
{
	const rt_op *op = r->op;
	if (!op->index || !op->index->name)
		return rt__op_fail(op, "no index definition");
	const rt_table *table = rt__render_need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	rt__ddl_create_index(&r->buf, table, op->index, r->d);
	return rt__render_push(r, RT_STMT_OTHER);
}

static int render_drop_index(renderer *r)
{
	const rt_op *op = r->op;
	const char *name = op->index && op->index->name ? op->index->name : op->name;
	if (!name)
		return rt__op_fail(op, "no index name");
	/* The index's table: the script's, else the one holding it now. */
	rt_index *index = NULL;
	const rt_table *table = rt__op_index_table(r->state, op, name, &index);
	if (!table)
		return RT_EINVAL;
	int rc = rt__render_before_drop_index(r, table, name);
	if (rc == RT_OK)
		rc = r->d->drop_index(&r->buf, r->d, table, name);
	return rc < 0 ? rc : rt__render_push(r, RT_STMT_OTHER);
}

static int render_add_constraint(renderer *r)
{
	const rt_op *op = r->op;
	if (!op->constraint || !op->constraint->name)
		return rt__op_fail(op, "no constraint definition");
	const rt_table *table = rt__render_need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	if (!r->d->caps.alter_add_constraint)
		return rt__render_rebuild_as(r, table->name, table);
	rt__render_put_alter_table(r, table->name);
	rt__buf_puts(&r->buf, "ADD ");
	rt__ddl_constraint(&r->buf, r->state, table, op->constraint, r->d);
	return rt__render_push(r, RT_STMT_ALTER_TABLE);
}

static int render_drop_constraint(renderer *r)
{
	const rt_op *op = r->op;
	const char *name = op->constraint && op->constraint->name ? op->constraint->name
								  : op->name;
	const rt_table *table = rt__render_need_table(r, op->table);
	if (!table)
		return RT_EINVAL;
	if (!name)
		return rt__op_fail(op, "no constraint name");
	if (!r->d->caps.drop_constraint_in_place)
		return rt__render_rebuild_as(r, table->name, table);
	/* Its kind, for a dialect that spells the drop by kind: the script's
	 * definition, else the schema's. */
	const rt_constraint *constraint = op->constraint && op->constraint->name
						  ? op->constraint
						  : find_constraint(table, name);
	return rt__render_drop_constraint(r, table, name, constraint);
}

/* --- planning --------------------------------------------------------------------------------- */

/* The indexes the operation makes are kept by the dialect as the schema
 * says them (sql/ddl.h). A type change of an indexed column is the
 * dialect's own to refuse (its alter_column hook). */
static int check_new_keys(renderer *r)
{
	const rt_op *op = r->op;
	const rt_dialect *d = r->d;
	const rt_table *table = op->table ? rt__schema_find_table(r->state, op->table) : NULL;
	switch (op->kind) {
	case RT_OP_CREATE_TABLE:
		if (op->def && (rt__ddl_check_table_schema(d, op->def) < 0 ||
				rt__ddl_check_table_options(d, op->def->name,
							    op->def->options) < 0 ||
				rt__ddl_check_table_collation(d, op->def->name,
							      op->def->collation) < 0 ||
				rt__ddl_check_partitioning(d, op->def) < 0))
			return RT_EINVAL;
		return op->def ? rt__ddl_check_keys(d, op->def) : RT_OK;
	case RT_OP_ADD_COLUMN:
		return op->def ? rt__ddl_check_keys(d, op->def) : RT_OK;
	case RT_OP_ALTER_COLUMN:
		if (op->onupdate_change == RT_ALTER_ONUPDATE_SET) {
			rt_column onupdate = {.name = op->name ? op->name : "?",
					      .server_onupdate = true};
			if (rt__ddl_check_onupdate(d, op->table ? op->table : "?", &onupdate) < 0)
				return RT_EINVAL;
		}
		return op->set_type ? rt__ddl_check_type(d, op->table ? op->table : "?",
							 op->name ? op->name : "?", &op->type)
				    : RT_OK;
	case RT_OP_ALTER_TABLE:
		/* Going back to the database's default is a change of the
		 * table's collation too. */
		if (op->collation_change != RT_ALTER_COLLATION_KEEP &&
		    rt__ddl_check_table_collation(d, op->table ? op->table : "?",
						  op->collation ? op->collation : "default") < 0)
			return RT_EINVAL;
		return rt__ddl_check_table_options(d, op->table ? op->table : "?",
						   op->options_set | op->options_clear);
	case RT_OP_CREATE_INDEX:
		return table && op->index ? rt__ddl_check_index(d, table, op->index) : RT_OK;
	default:
		return RT_OK;
	}
}

/* The kind of name a constraint has, for which names tables share. */
static rt_name_kind constraint_name_kind(const rt_constraint *c)
{
	return c->kind == RT_CONSTRAINT_FOREIGN_KEY ? RT_NAME_FOREIGN_KEY : RT_NAME_INDEX;
}

/* The names the operation creates fit the dialect's identifier limit (the
 * script was checked against the language's, without a dialect), and are
 * free of the other tables where the dialect shares them between tables
 * (the replay checks them in their own table only), and its indexes
 * are kept as written. */
static int check_new_names(renderer *r)
{
	const rt_op *op = r->op;
	const rt_dialect *d = r->d;
	const rt_schema *state = r->state;
	const char *table = op->table ? op->table : op->def ? op->def->name : NULL;
	int rc = check_new_keys(r);
	if (rc < 0)
		return rt__op_wrap(op, rc);
	switch (op->kind) {
	case RT_OP_CREATE_TABLE:
	case RT_OP_ADD_COLUMN:
		if (!op->def || !table)
			break;
		if (op->kind == RT_OP_CREATE_TABLE)
			rc = rt__ddl_check_name(d, "table", table);
		if (rc == RT_OK)
			rc = rt__ddl_check_names(d, op->def, false);
		if (rc == RT_OK)
			rc = rt__ddl_check_table_free(d, state, op->def, table,
						      op->kind == RT_OP_CREATE_TABLE);
		break;
	case RT_OP_RENAME_TABLE:
	case RT_OP_RENAME_COLUMN:
		rc = rt__ddl_check_name(d, op->kind == RT_OP_RENAME_TABLE ? "table" : "column",
					op->new_name);
		if (rc == RT_OK && op->kind == RT_OP_RENAME_TABLE && op->new_name)
			rc = rt__ddl_check_name_free(d, state, op->new_name, RT_NAME_TABLE,
						     op->new_name);
		break;
	case RT_OP_CREATE_INDEX:
		rc = rt__ddl_check_name(d, "index", op->index ? op->index->name : NULL);
		if (rc == RT_OK && op->index && table)
			rc = rt__ddl_check_name_free(d, state, table, RT_NAME_INDEX,
						     op->index->name);
		break;
	case RT_OP_ADD_CONSTRAINT:
		rc = rt__ddl_check_constraint(d, op->table, op->constraint);
		if (rc == RT_OK && op->constraint && table &&
		    op->constraint->kind != RT_CONSTRAINT_CHECK)
			rc = rt__ddl_check_name_free(d, state, table,
						     constraint_name_kind(op->constraint),
						     op->constraint->name);
		break;
	case RT_OP_CREATE_ENUM:
		if (d->caps.enum_kind == RT_ENUM_TYPE && op->enum_def)
			rc = rt__ddl_check_name(d, "enum type", op->enum_def->sql_name);
		break;
	default:
		break;
	}
	return rc < 0 ? rt__op_wrap(op, rc) : RT_OK;
}

/* --- domains, sequences, routines, views, triggers ----------------------------------- */

/* The statements of sql/ddl_objects.c. A replace is written from the SQL
 * it replaces (a domain is altered clause by clause): the script's `was`,
 * else the state's. */
static int render_sql_object(renderer *r)
{
	const rt_op *op = r->op;
	if (!op->object)
		return rt__op_fail(op, "no SQL object");
	rt_sql_kind kind = op->object->kind;
	if (!rt__ddl_has_sql_kind(r->d, kind))
		return rt__op_wrap(op, rt__ddl_check_sql_object(r->d, op->object));
	if (op->kind == RT_OP_REPLACE_OBJECT) {
		const rt_sql_object *now = rt__schema_find_sql_object(r->state, op->object);
		const char *old_sql = op->old_sql ? op->old_sql : now ? now->sql : NULL;
		return rt__ddl_replace_sql_object(r->plan->arena, r->plan->sql, op->object, old_sql,
						  r->d);
	}
	rt_ddl_action action = op->kind == RT_OP_CREATE_OBJECT ? RT_SQL_CREATE : RT_SQL_DROP;
	return rt__ddl_sql_object(r->plan->arena, r->plan->sql, op->object, action, r->d);
}

/* The state's definition of the object (whose SQL a backend that cannot
 * rename it makes again under the new name), else the script's. */
static int render_rename_object(renderer *r)
{
	const rt_op *op = r->op;
	if (!op->object || !op->new_name)
		return rt__op_fail(op, "no SQL object or no new name");
	const rt_sql_object *now = rt__schema_find_sql_object(r->state, op->object);
	int rc = rt__ddl_rename_sql_object(r->plan->arena, r->plan->sql, now ? now : op->object,
					   op->new_name, r->state, r->d);
	return rc < 0 ? rt__op_wrap(op, rc) : rc;
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
	case RT_OP_ADD_COLUMN: return rt__render_add_column(r);
	case RT_OP_DROP_COLUMN: return rt__render_drop_column(r);
	case RT_OP_ALTER_COLUMN: return rt__render_alter_column(r);
	case RT_OP_ALTER_TABLE: return rt__render_alter_table(r);
	case RT_OP_RENAME_COLUMN: return rt__render_rename_column(r);
	case RT_OP_CREATE_INDEX: return render_create_index(r);
	case RT_OP_DROP_INDEX: return render_drop_index(r);
	case RT_OP_ADD_CONSTRAINT: return render_add_constraint(r);
	case RT_OP_DROP_CONSTRAINT: return render_drop_constraint(r);
	case RT_OP_CREATE_ENUM: return rt__render_create_enum(r);
	case RT_OP_DROP_ENUM: return rt__render_drop_enum(r);
	case RT_OP_ALTER_ENUM_ADD: return rt__render_alter_enum_add(r);
	case RT_OP_ALTER_ENUM_DROP: return rt__render_alter_enum_drop(r);
	case RT_OP_EXECUTE: return rt__render_execute(r);
	case RT_OP_INSERT: return rt__render_insert(r);
	case RT_OP_CREATE_OBJECT:
	case RT_OP_REPLACE_OBJECT:
	case RT_OP_DROP_OBJECT: return render_sql_object(r);
	case RT_OP_RENAME_OBJECT: return render_rename_object(r);
	case RT_OP_CREATE_SCHEMA:
	case RT_OP_DROP_SCHEMA: return rt__render_schema(r);
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
