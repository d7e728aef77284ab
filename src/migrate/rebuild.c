/*
 * rebuild.c - rebuilding a table whose definition the dialect cannot alter
 * in place (SQLite: column types, nullability, defaults, constraints), and
 * the foreign-key switches a migration run needs around it.
 *
 * The rebuild is SQLite's own recipe ("Making Other Kinds Of Table Schema
 * Changes"), driven by the dialect's capability record and statements, not
 * by its name:
 *
 *   PRAGMA defer_foreign_keys = ON          (dialect->defer_foreign_keys)
 *   CREATE TABLE "_rt_new_t" (...the new definition...)
 *   INSERT INTO "_rt_new_t" (a, b) SELECT a, b FROM "t"
 *                       (b's `using` expression in place of b, if any)
 *   DROP TABLE "t"
 *   PRAGMA legacy_alter_table = ON          (dialect->rename_quietly_begin)
 *   ALTER TABLE "_rt_new_t" RENAME TO "t"
 *   PRAGMA legacy_alter_table = OFF         (dialect->rename_quietly_end)
 *   CREATE INDEX ... / CREATE TRIGGER ...   every index and trigger of t
 *
 * Online, the rebuild is faithful: before it starts, the dialect's
 * rebuild_carry reads the database as it stands and gives the CREATE
 * TABLE what the model does not describe (table options, collations,
 * declared types) and every index and trigger of t as stored, partial
 * and expression indexes included; what cannot survive (a view or
 * trigger naming a column the rebuild drops) is refused by name before
 * any statement of the rebuild runs. Offline (`upgrade --sql`) there is
 * no database to read: the rebuild is made from the model alone, and the
 * triggers the scripts made on t (the state's SQL objects) are made again
 * as the scripts wrote them.
 *
 * Other tables' foreign keys name t by its name, so they point at the new
 * table once it is renamed; views keep naming t. The quiet rename
 * matters: a normal one re-checks every view and trigger, and one naming
 * t fails while t is missing. Dropping t with foreign-key enforcement on
 * would first delete its rows, cascading into the tables that reference
 * it; rt__op_execute refuses that case and the runner turns enforcement
 * off (ops.h).
 */
#include "migrate/rebuild.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "engine/engine.h"
#include "migrate/ops.h"

#define NEW_TABLE_PREFIX "_rt_new_"

int rt__plan_push(rt_op_plan *plan, rt_buf *buf, rt_stmt_kind kind)
{
	if (rt__buf_failed(buf))
		return rt__error_nomem();
	const char *sql = rt__arena_strdup(plan->arena, rt__buf_cstr(buf));
	rt__buf_clear(buf);
	if (!sql)
		return rt__error_nomem();
	return rt__sql_list_push(plan->arena, plan->sql, sql, kind);
}

int rt__plan_push_text(rt_op_plan *plan, const char *sql, rt_stmt_kind kind)
{
	return rt__sql_list_push(plan->arena, plan->sql, sql, kind);
}

int rt__plan_run(rt_op_plan *plan, const rt_op *op)
{
	if (!plan->conn)
		return RT_OK;
	for (; plan->ran < plan->sql->count; plan->ran++) {
		int rc = rt_conn_execute(plan->conn, plan->sql->items[plan->ran]);
		if (rc < 0) {
			rt__rebuild_error_names(plan);
			return rt__op_wrap(op, rc);
		}
	}
	return RT_OK;
}

void rt__rebuild_error_names(const rt_op_plan *plan)
{
	for (size_t i = 0; i < plan->rebuilt_count; i++) {
		char temporary[512];
		int n = snprintf(temporary, sizeof(temporary), NEW_TABLE_PREFIX "%s",
				 plan->rebuilt[i]);
		if (n > 0 && (size_t)n < sizeof(temporary))
			rt__error_replace(temporary, plan->rebuilt[i]);
	}
}

/* The table itself counts: during the rebuild the new table's key to
 * itself names the old table, so dropping it breaks the copied rows. */
bool rt__rebuild_is_referenced(const rt_schema *schema, const rt_table *table)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		const rt_table *other = schema->tables[t];
		for (size_t i = 0; i < other->constraint_count; i++) {
			const rt_constraint *c = other->constraints[i];
			if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->ref_table &&
			    strcmp(c->ref_table, table->name) == 0)
				return true;
		}
	}
	return false;
}

/* Can a column the old rows lack be filled? A default fills it, NULL does,
 * a generated column's expression does, and so does the rowid of SQLite's
 * integer primary key. */
static bool fillable(const rt_table *table, const rt_column *column, const rt_dialect *d)
{
	if (column->nullable || column->server_default.kind != RT_LITERAL_NONE ||
	    column->generated)
		return true;
	const rt_constraint *pk = table->primary_key;
	return column->autoincrement && rt__type_is_integer(column->type.kind) &&
	       (d->caps.autoincrement == RT_AUTOINCREMENT_CLAUSE ||
		(pk && pk->column_count == 1 && strcmp(pk->columns[0], column->name) == 0));
}

/* The expression a column's rows are copied through: an `alter column
 * ... using '<expr>'` of this table's column, written (as PostgreSQL's
 * USING) in terms of the column's old value, which the SELECT from the
 * old table reads under the column's name; NULL: the value as it is. */
static const char *copy_expr(const rt_op *op, const rt_table *table, const char *column)
{
	if (!op || op->kind != RT_OP_ALTER_COLUMN || !op->set_type || !op->using_expr ||
	    !op->table || !op->name)
		return NULL;
	if (strcmp(op->table, table->name) != 0 || strcmp(op->name, column) != 0)
		return NULL;
	return op->using_expr;
}

/* INSERT INTO "_rt_new_t" (shared columns) SELECT shared columns FROM "t".
 * The shared columns are those of both definitions, and those the
 * dialect keeps that the model does not have (carry). A column the
 * operation converts with `using` is copied through the expression. A
 * generated column is not copied: the new table computes it. */
static void put_copy(rt_buf *buf, const rt_op *op, const rt_table *table,
		     const rt_table *current, const rt_rebuild_carry *carry,
		     const char *new_name, const rt_dialect *d)
{
	rt__buf_puts(buf, "INSERT INTO ");
	d->quote_ident(buf, new_name);
	rt__buf_puts(buf, " (");
	rt_buf select = RT_BUF_INIT;
	const char *sep = "";
	size_t count = table->column_count + carry->copy_count;
	for (size_t i = 0; i < count; i++) {
		const char *name = i < table->column_count ? table->columns[i]->name
							   : carry->copy_columns[i - table->column_count];
		if (i < table->column_count && (!rt__table_find_column(current, name) ||
						 table->columns[i]->generated))
			continue;
		rt__buf_puts(buf, sep);
		d->quote_ident(buf, name);
		rt__buf_puts(&select, sep);
		const char *expr = i < table->column_count ? copy_expr(op, table, name) : NULL;
		if (expr)
			rt__buf_printf(&select, "(%s)", expr);
		else
			d->quote_ident(&select, name);
		sep = ", ";
	}
	rt__buf_puts(buf, ") SELECT ");
	rt__buf_puts(buf, rt__buf_cstr(&select));
	rt__buf_puts(buf, " FROM ");
	d->quote_ident(buf, table->name);
	if (rt__buf_failed(&select))
		buf->failed = true;
	rt__buf_free(&select);
}

static bool shares_a_column(const rt_table *table, const rt_table *current)
{
	for (size_t i = 0; i < table->column_count; i++)
		if (rt__table_find_column(current, table->columns[i]->name))
			return true;
	return false;
}

static bool in_list(const char *const *items, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(items[i], name) == 0)
			return true;
	return false;
}

/* Online, buf's CREATE TABLE becomes the one the dialect makes faithful,
 * and carry what else to keep; the statements before the rebuild run
 * first, so that the database is read as the rebuild finds it. */
static int read_carry(rt_op_plan *plan, const rt_op *op, rt_buf *buf, const rt_table *table,
		      const rt_table *current, const char *new_name, const rt_dialect *d,
		      rt_rebuild_carry *carry)
{
	memset(carry, 0, sizeof(*carry));
	if (!plan->conn || !d->rebuild_carry)
		return RT_OK;
	int rc = rt__plan_run(plan, op);
	if (rc < 0)
		return rc;
	if (rt__buf_failed(buf))
		return rt__error_nomem();
	rt_rebuild_request request = {.table = table->name, .new_name = new_name,
				      .before = current, .after = table,
				      .create_sql = rt__buf_cstr(buf)};
	if ((rc = d->rebuild_carry(carry, plan->arena, d, plan->conn->driver, &request)) < 0)
		return rt__op_wrap(op, rc);
	rt__buf_clear(buf);
	rt__buf_puts(buf, carry->create_sql);
	return RT_OK;
}

static int rebuild(rt_op_plan *plan, const rt_op *op, rt_buf *buf, const rt_schema *after,
		   const rt_table *table, const rt_table *current, const rt_dialect *d)
{
	int rc;
	rt_rebuild_carry carry;
	const char *new_name = rt__arena_printf(plan->arena, NEW_TABLE_PREFIX "%s", table->name);
	if (!new_name)
		return rt__error_nomem();
	if (d->defer_foreign_keys && !plan->deferred) {
		if ((rc = rt__plan_push_text(plan, d->defer_foreign_keys, RT_STMT_OTHER)) < 0)
			return rc;
		plan->deferred = true;
	}
	rt__ddl_create_table_as(buf, after, table, new_name, d);
	if ((rc = read_carry(plan, op, buf, table, current, new_name, d, &carry)) < 0)
		return rc;
	if ((rc = rt__plan_push(plan, buf, RT_STMT_CREATE_TABLE)) < 0)
		return rc;
	if (shares_a_column(table, current) || carry.copy_count > 0) {
		put_copy(buf, op, table, current, &carry, new_name, d);
		if ((rc = rt__plan_push(plan, buf, RT_STMT_OTHER)) < 0)
			return rc;
	}
	rt__buf_puts(buf, "DROP TABLE ");
	d->quote_ident(buf, table->name);
	if ((rc = rt__plan_push(plan, buf, RT_STMT_DROP_TABLE)) < 0)
		return rc;
	if (d->rename_quietly_begin && (rc = rt__plan_push_text(plan, d->rename_quietly_begin, RT_STMT_OTHER)) < 0)
		return rc;
	rt__buf_puts(buf, "ALTER TABLE ");
	d->quote_ident(buf, new_name);
	rt__buf_puts(buf, " RENAME TO ");
	d->quote_ident(buf, table->name);
	if ((rc = rt__plan_push(plan, buf, RT_STMT_ALTER_TABLE)) < 0)
		return rc;
	if (d->rename_quietly_end && (rc = rt__plan_push_text(plan, d->rename_quietly_end, RT_STMT_OTHER)) < 0)
		return rc;
	for (size_t i = 0; i < table->index_count; i++) {
		if (in_list(carry.kept_indexes, carry.kept_count, table->indexes[i]->name))
			continue;
		rt__ddl_create_index(buf, table, table->indexes[i], d);
		if ((rc = rt__plan_push(plan, buf, RT_STMT_OTHER)) < 0)
			return rc;
	}
	for (size_t i = 0; i < carry.restore_count; i++)
		if ((rc = rt__plan_push_text(plan, carry.restore[i], RT_STMT_OTHER)) < 0)
			return rc;
	/* Offline, the triggers the scripts made on the table, as written. */
	bool carried = plan->conn && d->rebuild_carry;
	for (size_t i = 0; !carried && i < after->sql_object_count; i++) {
		const rt_sql_object *o = after->sql_objects[i];
		if (o->kind == RT_SQL_TRIGGER && o->table && strcmp(o->table, table->name) == 0 &&
		    (rc = rt__ddl_sql_object(plan->arena, plan->sql, o, RT_SQL_CREATE, d)) < 0)
			return rc;
	}
	if ((rc = rt__ddl_comments(plan->arena, plan->sql, after, table, d)) < 0)
		return rc;
	if (RT_ARENA_PUSH(plan->arena, plan->rebuilt, plan->rebuilt_count, plan->rebuilt_cap,
			  table->name) < 0)
		return rt__error_nomem();
	return RT_OK;
}

int rt__rebuild_table(rt_op_plan *plan, const rt_op *op, const rt_schema *after,
		      const rt_table *table, const rt_table *current, const rt_dialect *d)
{
	/* Where every DDL statement commits by itself, a rebuild stopped
	 * part-way (the old table dropped, the new one not yet renamed) would
	 * leave the rows in a table of another name: refused, by name, before
	 * any statement. Such a dialect changes in place what its operations
	 * need (its capabilities), so this is only reached by an operation it
	 * does not say it can do. */
	if (!d->caps.transactional_ddl)
		return rt__op_fail(op, "this needs table %s rebuilt on %s (created anew, its "
				   "rows copied, the old one dropped), whose DDL is not "
				   "transactional: a failure part-way would leave the rows in "
				   "another table, so retort does not do it",
				   table->name, d->name);
	for (size_t i = 0; i < table->column_count; i++) {
		const rt_column *column = table->columns[i];
		if (!rt__table_find_column(current, column->name) && !fillable(table, column, d))
			return rt__op_fail(op, "%s.%s is NOT NULL without a server default, "
					   "and rebuilding %s on %s cannot fill it for the rows "
					   "the table has; give it a server default, or add it "
					   "nullable, fill it, then make it not null", table->name,
					   column->name, table->name, d->name);
	}
	rt_buf buf = RT_BUF_INIT;
	int rc = rebuild(plan, op, &buf, after, table, current, d);
	rt__buf_free(&buf);
	return rc;
}

/* --- foreign keys around a migration run ------------------------------------------ */

static int switch_foreign_keys(rt_conn *conn, const char *sql, const char *who)
{
	if (!conn)
		return rt__error_set(RT_EINVAL, "%s: NULL connection", who);
	if (!sql)
		return RT_OK;
	/* SQLite ignores the switch inside a transaction; say so rather than
	 * let a rebuild find out later. */
	if (conn->in_transaction)
		return rt__error_set(RT_EINVAL, "%s: foreign-key enforcement can only be "
				     "switched outside a transaction", who);
	return rt_conn_execute(conn, sql);
}

int rt__op_foreign_keys_off(rt_conn *conn)
{
	return switch_foreign_keys(conn, conn ? conn->dialect->foreign_keys_off : NULL,
				   "rt__op_foreign_keys_off");
}

int rt__op_foreign_keys_on(rt_conn *conn)
{
	return switch_foreign_keys(conn, conn ? conn->dialect->foreign_keys_on : NULL,
				   "rt__op_foreign_keys_on");
}

int rt__op_check_foreign_keys(rt_conn *conn, const char *table)
{
	if (!conn)
		return rt__error_set(RT_EINVAL, "rt__op_check_foreign_keys: NULL connection");
	if (!conn->dialect->check_foreign_keys)
		return RT_OK;
	return conn->dialect->check_foreign_keys(conn->dialect, conn->driver, table);
}
