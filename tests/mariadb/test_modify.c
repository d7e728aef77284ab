/*
 * test_modify.c - a column changed in place on MariaDB (MODIFY COLUMN,
 * which restates the column whole): what the schema describes is carried
 * (the comment, AUTO_INCREMENT), and what it cannot describe but the
 * restatement would silently reset (a collation of the column's own, ON
 * UPDATE, a column check, a comment the schema lacks) is refused by name
 * before any statement, the column left as it was; so is a type change
 * to text of a column an index uses, which MariaDB would make a prefix
 * index with only a note. And a primary key,
 * which MariaDB knows only as PRIMARY, is dropped by the name the schema
 * gives it.
 */
#include <string.h>

#include "test.h"

#include "base/buf.h"
#include "engine/engine.h"
#include "migrate/ops.h"
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

/* The first row of sql, its values joined by '|'. */
static char *row_of(const char *sql)
{
	rt_stmt *stmt = NULL;
	rt_buf out = RT_BUF_INIT;
	int rc = rt_stmt_prepare(&stmt, conn, sql);
	if (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_ROW)
		for (int i = 0; i < rt_stmt_column_count(stmt); i++) {
			if (i > 0)
				rt__buf_putc(&out, '|');
			rt__buf_puts(&out, rt_stmt_column_is_null(stmt, i)
						   ? "NULL"
						   : rt_stmt_column_text(stmt, i));
		}
	if (rc != RT_ROW)
		fprintf(stderr, "  %s: %s\n", sql, rt_error_last()->message);
	rt_stmt_finalize(stmt);
	return rt__buf_detach(&out);
}

static rt_schema *parse(const char *text)
{
	rt_schema *s = NULL;
	if (rt_schema_parse_string(&s, text, strlen(text), "modify.rt", NULL) != RT_OK)
		fprintf(stderr, "parse: %s\n", rt_error_last()->message);
	return s;
}

static int execute(rt_op *op, const rt_schema *state)
{
	op->pos = (rt_pos){"modify.rt", 1, 1};
	return rt__op_execute(conn, op, state);
}

#define COLUMN_SQL(table, column)                                                        \
	"SELECT COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT,"        \
	" COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()" \
	" AND TABLE_NAME = '" table "' AND COLUMN_NAME = '" column "'"

/* A table made from the models: its comments are made, and a type change
 * keeps the column's comment and AUTO_INCREMENT. */
static void test_carried(void)
{
	rt_schema *s = parse("table m_note {\n"
			     "  id    int         primary key  comment 'the key'\n"
			     "  body  string(20)  comment 'it''s the text'\n"
			     "  comment 'notes'\n"
			     "}\n");
	if (!s)
		return;
	rt_op create = {.kind = RT_OP_CREATE_TABLE, .table = "m_note"};
	create.def = rt__schema_find_table(s, "m_note");
	rt_schema *empty = rt__op_state_new();
	CHECK_OK(execute(&create, empty));
	rt_schema_free(empty);
	rt_op op = {.kind = RT_OP_ALTER_COLUMN, .table = "m_note", .name = "body",
		    .set_type = true, .type = {.kind = RT_TYPE_STRING, .length = 40}};
	CHECK_OK(execute(&op, s));
	char *row = row_of(COLUMN_SQL("m_note", "body"));
	CHECK_STR(row, "varchar(40)|NO|NULL||it's the text|utf8mb4_unicode_ci");
	free(row);
	rt_op id = {.kind = RT_OP_ALTER_COLUMN, .table = "m_note", .name = "id",
		    .set_type = true, .type = {.kind = RT_TYPE_BIGINT}};
	CHECK_OK(execute(&id, s));
	row = row_of(COLUMN_SQL("m_note", "id"));
	CHECK_STR(row, "bigint(20)|NO|NULL|auto_increment|the key|NULL");
	free(row);
	row = row_of("SELECT TABLE_COMMENT FROM information_schema.TABLES"
		     " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'm_note'");
	CHECK_STR(row, "notes");
	free(row);
	rt_schema_free(s);
}

/* A change of NULL-ness, default and comment at once is one statement:
 * the restated column carries the comment (it was restated a second time
 * for the comment alone). */
static void test_one_statement(void)
{
	rt_schema *s = parse("table m_once {\n"
			     "  id     int         primary key\n"
			     "  title  string(20)  server default 'x'  comment 'shown'\n"
			     "}\n");
	if (!s)
		return;
	rt_op create = {.kind = RT_OP_CREATE_TABLE, .table = "m_once"};
	create.def = rt__schema_find_table(s, "m_once");
	rt_schema *empty = rt__op_state_new();
	CHECK_OK(execute(&create, empty));
	rt_schema_free(empty);
	rt_op op = {.kind = RT_OP_ALTER_COLUMN, .table = "m_once", .name = "title",
		    .null_change = RT_ALTER_NULL_SET, .default_change = RT_ALTER_DEFAULT_DROP,
		    .comment_change = RT_ALTER_COMMENT_SET, .comment = "the title"};
	rt_arena *arena = rt__arena_new();
	rt_sql_list list = {0};
	CHECK_OK(rt__op_render(arena, &list, &op, s, conn->dialect));
	CHECK_INT(list.count, 1);
	if (list.count > 0)
		CHECK_STR(list.items[0], "ALTER TABLE `m_once` MODIFY COLUMN `title` VARCHAR(20)"
					 " COMMENT 'the title'");
	rt__arena_free(arena);
	CHECK_OK(execute(&op, s));
	char *row = row_of(COLUMN_SQL("m_once", "title"));
	CHECK_STR(row, "varchar(20)|YES|NULL||the title|utf8mb4_unicode_ci");
	free(row);
	rt_schema_free(s);
}

/* op on a column made by hand must be refused naming what, the column
 * left as it was. */
static void refused(const rt_schema *s, rt_op *op, const char *what, const char *column_sql)
{
	char *before = row_of(column_sql);
	int rc = execute(op, s);
	CHECK_INT(rc, RT_EINVAL);
	const char *message = rt_error_last()->message;
	bool named = rc < 0 && strstr(message, what) && strstr(message, op->name);
	CHECK(named);
	if (!named)
		fprintf(stderr, "  message: %s\n  expected: %s\n", rc < 0 ? message : "(none)",
			what);
	char *after = row_of(column_sql);
	CHECK_STR(after, before);
	free(before);
	free(after);
}

/* A table made by hand with what the language cannot describe. */
static void test_refused(void)
{
	exec_ok("CREATE TABLE m_hand (id INT PRIMARY KEY,"
		" a VARCHAR(10) COLLATE utf8mb4_bin NOT NULL,"
		" u TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
		" c INT CHECK (c > 0), n VARCHAR(5) COMMENT 'kept', j JSON)");
	rt_schema *s = parse("table m_hand {\n"
			     "  id  int  primary key  no autoincrement\n"
			     "  a   string(10)\n"
			     "  u   timestamptz  default now\n"
			     "  c   int?\n"
			     "  n   string(5)?\n"
			     "  j   json?\n"
			     "}\n");
	if (!s)
		return;
	rt_op op = {.kind = RT_OP_ALTER_COLUMN, .table = "m_hand", .name = "a", .set_type = true,
		    .type = {.kind = RT_TYPE_STRING, .length = 20}};
	refused(s, &op, "collation utf8mb4_bin", COLUMN_SQL("m_hand", "a"));
	op = (rt_op){.kind = RT_OP_ALTER_COLUMN, .table = "m_hand", .name = "u",
		     .null_change = RT_ALTER_NULL_SET};
	refused(s, &op, "on update current_timestamp()", COLUMN_SQL("m_hand", "u"));
	op = (rt_op){.kind = RT_OP_ALTER_COLUMN, .table = "m_hand", .name = "c",
		     .set_type = true, .type = {.kind = RT_TYPE_BIGINT}};
	refused(s, &op, "CHECK (\"c\" > 0)", COLUMN_SQL("m_hand", "c"));
	op = (rt_op){.kind = RT_OP_ALTER_COLUMN, .table = "m_hand", .name = "n",
		     .set_type = true, .type = {.kind = RT_TYPE_STRING, .length = 9}};
	refused(s, &op, "comment 'kept'", COLUMN_SQL("m_hand", "n"));
	/* A change of the table's collation restates the columns that follow
	 * it: the first whose restatement would lose something is named (its
	 * name given as the operation's, for refused()). */
	op = (rt_op){.kind = RT_OP_ALTER_TABLE, .table = "m_hand", .name = "a",
		     .collation_change = RT_ALTER_COLLATION_SET, .collation = "utf8mb4_general_ci"};
	refused(s, &op, "collation utf8mb4_bin", COLUMN_SQL("m_hand", "a"));
	/* json's own collation and json_valid check come back with JSON. */
	op = (rt_op){.kind = RT_OP_ALTER_COLUMN, .table = "m_hand", .name = "j",
		     .null_change = RT_ALTER_NULL_DROP};
	op.pos = (rt_pos){"modify.rt", 1, 1};
	int rc = rt__op_execute(conn, &op, s);
	if (rc < 0)
		fprintf(stderr, "  json: %s\n", rt_error_last()->message);
	CHECK_OK(rc);
	char *row = row_of(COLUMN_SQL("m_hand", "j"));
	CHECK_STR(row, "longtext|NO|NULL|||utf8mb4_bin");
	free(row);
	rt_schema_free(s);
}

/* A column an index uses, changed to a type MariaDB stores as LONGTEXT or
 * LONGBLOB: MariaDB would keep only a prefix of each value in the index
 * (768 characters) with a note, an index the schema cannot describe.
 * Refused by name before any statement; the index and column stay. */
static void test_indexed_to_text(void)
{
	rt_schema *s = parse("table m_indexed {\n"
			     "  id     int          primary key\n"
			     "  title  string(100)\n"
			     "  index (title)\n"
			     "}\n");
	if (!s)
		return;
	rt_schema *empty = rt__op_state_new();
	rt_op create = {.kind = RT_OP_CREATE_TABLE, .table = "m_indexed"};
	create.def = rt__schema_find_table(s, "m_indexed");
	CHECK_OK(execute(&create, empty));
	rt_schema_free(empty);
	static const rt_type_kind kinds[] = {RT_TYPE_TEXT, RT_TYPE_STRING, RT_TYPE_BLOB};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		rt_op op = {.kind = RT_OP_ALTER_COLUMN, .table = "m_indexed", .name = "title",
			    .set_type = true, .type = {.kind = kinds[i]}};
		refused(s, &op, "index ix_m_indexed_title", COLUMN_SQL("m_indexed", "title"));
	}
	char *row = row_of("SELECT SUB_PART IS NULL FROM information_schema.STATISTICS"
			   " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'm_indexed'"
			   " AND INDEX_NAME = 'ix_m_indexed_title'");
	CHECK_STR(row, "1");
	free(row);
	rt_schema_free(s);
}

static void test_drop_primary_key(void)
{
	rt_schema *s = parse("table m_pair {\n"
			     "  a  int\n"
			     "  b  int\n"
			     "  primary key (a, b)\n"
			     "}\n");
	if (!s)
		return;
	rt_schema *empty = rt__op_state_new();
	rt_op create = {.kind = RT_OP_CREATE_TABLE, .table = "m_pair"};
	create.def = rt__schema_find_table(s, "m_pair");
	CHECK_OK(execute(&create, empty));
	rt_schema_free(empty);
	rt_op drop = {.kind = RT_OP_DROP_CONSTRAINT, .table = "m_pair"};
	drop.constraint = create.def->primary_key;
	int rc = execute(&drop, s);
	if (rc < 0)
		fprintf(stderr, "  drop primary key: %s\n", rt_error_last()->message);
	CHECK_OK(rc);
	char *row = row_of("SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS"
			   " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'm_pair'");
	CHECK_STR(row, "0");
	free(row);
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
	exec_ok("DROP DATABASE IF EXISTS retort_modify");
	exec_ok("CREATE DATABASE retort_modify");
	exec_ok("USE retort_modify");
	RT_RUN(test_carried);
	RT_RUN(test_one_statement);
	RT_RUN(test_refused);
	RT_RUN(test_indexed_to_text);
	RT_RUN(test_drop_primary_key);
	exec_ok("DROP DATABASE retort_modify");
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
