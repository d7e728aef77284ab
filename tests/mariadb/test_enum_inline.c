/*
 * test_enum_inline.c - enums on MariaDB, where the values are the
 * column's own type (ENUM('a', 'b'); caps.enum_kind RT_ENUM_INLINE): a
 * value added or dropped restates every column of the enum in place
 * (MODIFY COLUMN), keeping the rows, the default, the comment and the
 * foreign keys around the table; a value some row holds is refused by
 * name before any statement; an enum column is added, renamed and its
 * table renamed in place. No table is rebuilt: a rebuild made its copy
 * with the table's constraint names, which InnoDB keeps unique per
 * database ("Can't create table ... errno: 121").
 */
#include <string.h>

#include "test.h"

#include "base/buf.h"
#include "engine/engine.h"
#include "migrate/ops.h"
#include "migrate/ops_state.h"
#include "retort.h"

static rt_engine *engine;
static rt_conn *conn;

static void exec_ok(const char *sql)
{
	int rc = rt_conn_execute(conn, sql);
	if (rc != RT_OK)
		fprintf(stderr, "exec %s: %s\n", sql, rt_error_last()->message);
	CHECK_INT(rc, RT_OK);
}

/* The rows of sql, values joined by '|', rows by ';'. */
static char *rows_of(const char *sql)
{
	rt_stmt *stmt = NULL;
	rt_buf out = RT_BUF_INIT;
	int rc = rt_stmt_prepare(&stmt, conn, sql);
	while (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_ROW) {
		rc = RT_OK;
		if (out.len)
			rt__buf_putc(&out, ';');
		for (int i = 0; i < rt_stmt_column_count(stmt); i++) {
			if (i > 0)
				rt__buf_putc(&out, '|');
			rt__buf_puts(&out, rt_stmt_column_is_null(stmt, i)
						   ? "NULL"
						   : rt_stmt_column_text(stmt, i));
		}
	}
	if (rc != RT_DONE)
		fprintf(stderr, "  %s: %s\n", sql, rt_error_last()->message);
	rt_stmt_finalize(stmt);
	rt__buf_puts(&out, "");
	return rt__buf_detach(&out);
}

static void check_rows(const char *sql, const char *want)
{
	char *got = rows_of(sql);
	CHECK_STR(got, want);
	free(got);
}

#define COLUMNS_SQL                                                                        \
	"SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,"       \
	" COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()" \
	" AND DATA_TYPE = 'enum' ORDER BY TABLE_NAME, COLUMN_NAME"

/* Carries op out on the database and on the state, as the runner does. */
static int step(rt_schema *state, rt_op *op)
{
	static int line;
	op->pos = (rt_pos){"enum.rt", ++line, 3};
	int rc = rt__op_execute(conn, op, state);
	if (rc < 0)
		return rc;
	return rt__op_apply(state, op);
}

static void step_ok(rt_schema *state, rt_op *op)
{
	int rc = step(state, op);
	if (rc < 0)
		fprintf(stderr, "  %s\n", rt_error_last()->message);
	CHECK_OK(rc);
}

static const char models[] = "enum Status { open, paid }\n"
			     "table m_cart {\n"
			     "  id      bigint  primary key\n"
			     "  status  Status  server default open  comment 'where it is'\n"
			     "}\n"
			     "table m_item {\n"
			     "  id       bigint   primary key\n"
			     "  cart_id  bigint   references m_cart(id)\n"
			     "  status   Status?\n"
			     "}\n";

static void test_values(void)
{
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_string(&s, models, strlen(models), "models.rt", NULL));
	rt_schema *state = rt__op_state_new();
	if (!s || !state) {
		rt_schema_free(s);
		rt_schema_free(state);
		return;
	}
	rt_op op = {.kind = RT_OP_CREATE_ENUM, .enum_def = rt__schema_find_enum(s, "Status")};
	step_ok(state, &op);
	op = (rt_op){.kind = RT_OP_CREATE_TABLE, .table = "m_cart",
		     .def = rt__schema_find_table(s, "m_cart")};
	step_ok(state, &op);
	op = (rt_op){.kind = RT_OP_CREATE_TABLE, .table = "m_item",
		     .def = rt__schema_find_table(s, "m_item")};
	step_ok(state, &op);
	/* The values are the column's type; no CHECK repeats them. */
	check_rows("SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS"
		   " WHERE CONSTRAINT_SCHEMA = DATABASE()",
		   "0");
	exec_ok("INSERT INTO m_cart (id, status) VALUES (1, 'open'), (2, 'paid')");
	exec_ok("INSERT INTO m_item (id, cart_id, status) VALUES (10, 2, 'paid'), (11, 1, NULL)");

	/* A value added: each column restated, rows, default, comment and
	 * the foreign key kept. */
	op = (rt_op){.kind = RT_OP_ALTER_ENUM_ADD, .name = "Status", .value = "shipped"};
	step_ok(state, &op);
	check_rows(COLUMNS_SQL,
		   "m_cart|status|enum('open','paid','shipped')|NO|'open'|where it is;"
		   "m_item|status|enum('open','paid','shipped')|YES|NULL|");
	check_rows("SELECT id, status FROM m_cart ORDER BY id", "1|open;2|paid");
	check_rows("SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
		   " WHERE CONSTRAINT_SCHEMA = DATABASE()",
		   "fk_m_item_cart_id_m_cart");
	exec_ok("UPDATE m_cart SET status = 'shipped' WHERE id = 1");

	/* A value rows hold: refused naming them, nothing changed. */
	op = (rt_op){.kind = RT_OP_ALTER_ENUM_DROP, .name = "Status", .value = "paid"};
	CHECK_INT(step(state, &op), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "m_cart.status in 1 row (id 2)") != NULL);
	CHECK(strstr(rt_error_last()->message, "m_item.status in 1 row (id 10)") != NULL);
	check_rows(COLUMNS_SQL,
		   "m_cart|status|enum('open','paid','shipped')|NO|'open'|where it is;"
		   "m_item|status|enum('open','paid','shipped')|YES|NULL|");

	/* Once no row holds it, it goes from every column. */
	exec_ok("UPDATE m_cart SET status = 'open' WHERE id = 2");
	exec_ok("UPDATE m_item SET status = 'shipped' WHERE id = 10");
	step_ok(state, &op);
	check_rows(COLUMNS_SQL,
		   "m_cart|status|enum('open','shipped')|NO|'open'|where it is;"
		   "m_item|status|enum('open','shipped')|YES|NULL|");
	check_rows("SELECT id, status FROM m_item ORDER BY id", "10|shipped;11|NULL");

	/* An enum column added, renamed, and its table renamed: in place. */
	rt_schema *more = NULL;
	static const char with_kind[] = "enum Status { open, shipped }\n"
					"table m_item {\n"
					"  kind  Status  server default shipped\n"
					"}\n";
	CHECK_OK(rt_schema_parse_string(&more, with_kind, strlen(with_kind), "more.rt", NULL));
	if (more) {
		op = (rt_op){.kind = RT_OP_ADD_COLUMN, .table = "m_item", .name = "kind",
			     .def = rt__schema_find_table(more, "m_item")};
		step_ok(state, &op);
	}
	op = (rt_op){.kind = RT_OP_RENAME_COLUMN, .table = "m_item", .name = "kind",
		     .new_name = "sort"};
	step_ok(state, &op);
	op = (rt_op){.kind = RT_OP_RENAME_TABLE, .table = "m_item", .new_name = "m_line"};
	step_ok(state, &op);
	check_rows(COLUMNS_SQL,
		   "m_cart|status|enum('open','shipped')|NO|'open'|where it is;"
		   "m_line|sort|enum('open','shipped')|NO|'shipped'|;"
		   "m_line|status|enum('open','shipped')|YES|NULL|");
	check_rows("SELECT id, status, sort FROM m_line ORDER BY id",
		   "10|shipped|shipped;11|NULL|shipped");
	check_rows("SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
		   " WHERE CONSTRAINT_SCHEMA = DATABASE()",
		   "fk_m_item_cart_id_m_cart");
	rt_schema_free(more);
	rt_schema_free(state);
	rt_schema_free(s);
}

int main(void)
{
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK ||
	    rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", rt_test_url(),
			rt_error_last()->message);
		rt_engine_free(engine);
		return 1;
	}
	/* A database of its own. */
	exec_ok("DROP DATABASE IF EXISTS retort_enum_inline");
	exec_ok("CREATE DATABASE retort_enum_inline");
	exec_ok("USE retort_enum_inline");
	RT_RUN(test_values);
	exec_ok("DROP DATABASE retort_enum_inline");
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
