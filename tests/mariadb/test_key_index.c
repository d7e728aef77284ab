/*
 * test_key_index.c - a foreign key's index on MariaDB. InnoDB keeps a
 * foreign key's lookup in an index beginning with the key's columns: a
 * unique key or index of the table's when there is one (else one of its
 * own, named as the key), and refuses to drop the one a key uses
 * ("Cannot drop index ...: needed in a foreign key constraint"). Dropping
 * such a unique key or index gives the key its own index first, so the
 * drop goes through, the key keeps working, and the database reads back
 * as the schema after the drop; again when the key's own index is
 * already there.
 *
 * And an index on a column of unbounded length (text: LONGTEXT), which
 * MariaDB would silently make an index on the first 768 characters, is
 * refused by name before any statement: in a new table, as a new index,
 * and as a type change of an indexed column (the dialect's own refusal). A unique key on such a
 * column is kept whole (a hash of the value) and reads back as written.
 */
#include <string.h>

#include "test.h"

#include "base/buf.h"
#include "engine/engine.h"
#include "migrate/diff_impl.h"
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

static rt_schema *parse(const char *text)
{
	rt_schema *s = NULL;
	if (rt_schema_parse_string(&s, text, strlen(text), "keys.rt", NULL) != RT_OK)
		fprintf(stderr, "parse: %s\n", rt_error_last()->message);
	return s;
}

/* Carries op out on the database and on the state, as the runner does. */
static void step_ok(rt_schema *state, rt_op *op)
{
	static int line;
	op->pos = (rt_pos){"keys.rt", ++line, 3};
	int rc = rt__op_execute(conn, op, state);
	if (rc == RT_OK)
		rc = rt__op_apply(state, op);
	if (rc < 0)
		fprintf(stderr, "  %s\n", rt_error_last()->message);
	CHECK_OK(rc);
}

/* The database, reflected, is state (canonicalized as the dialect reads
 * it back). */
static void check_reflects(const rt_schema *state)
{
	rt_schema *db = NULL, *want = NULL;
	CHECK_OK(rt_schema_reflect(&db, conn));
	CHECK_OK(rt__diff_copy_schema(&want, state, NULL, NULL));
	if (db && want) {
		engine->dialect->canonicalize(want);
		unsigned flags = RT_COMPARE_DATABASE;
		bool same = rt_schema_equal(db, want, flags);
		char *diff = NULL;
		if (!same && rt_schema_differences(&diff, db, want, flags) == RT_OK)
			fprintf(stderr, "  differences (database, expected):\n%s", diff);
		rt_free(diff);
		CHECK(same);
	}
	rt_schema_free(db);
	rt_schema_free(want);
}

static void test_unique_then_index(void)
{
	rt_schema *s = parse("table k_node {\n"
			     "  id      bigint   primary key\n"
			     "  parent  bigint?  unique  references k_node(id)\n"
			     "  index ix_k_node_parent_id (parent, id)\n"
			     "}\n");
	rt_schema *state = rt__op_state_new();
	if (!s || !state)
		goto done;
	rt_table *def = rt__schema_find_table(s, "k_node");
	rt_op op = {.kind = RT_OP_CREATE_TABLE, .table = "k_node", .def = def};
	step_ok(state, &op);
	exec_ok("INSERT INTO k_node (id, parent) VALUES (1, NULL), (2, 1)");

	/* The unique key goes: the other index begins with parent too and
	 * serves the key. */
	const rt_constraint *unique = NULL;
	for (size_t i = 0; i < def->constraint_count; i++)
		if (def->constraints[i]->kind == RT_CONSTRAINT_UNIQUE)
			unique = def->constraints[i];
	CHECK(unique != NULL);
	if (!unique)
		goto done;
	op = (rt_op){.kind = RT_OP_DROP_CONSTRAINT, .table = "k_node", .constraint =
		     (rt_constraint *)unique};
	step_ok(state, &op);
	check_reflects(state);
	exec_ok("INSERT INTO k_node (id, parent) VALUES (3, 1)");
	CHECK_INT(rt_conn_execute(conn, "INSERT INTO k_node (id, parent) VALUES (4, 99)"),
		  RT_ECONSTRAINT);

	/* The other index goes as well: the key gets an index of its own. */
	op = (rt_op){.kind = RT_OP_DROP_INDEX, .table = "k_node", .name = "ix_k_node_parent_id"};
	step_ok(state, &op);
	check_reflects(state);

	/* The unique key back, then gone again: the key's index is there
	 * already (unseen by the model). */
	exec_ok("DELETE FROM k_node WHERE id = 3");
	op = (rt_op){.kind = RT_OP_ADD_CONSTRAINT, .table = "k_node",
		     .constraint = (rt_constraint *)unique};
	step_ok(state, &op);
	op = (rt_op){.kind = RT_OP_DROP_CONSTRAINT, .table = "k_node", .constraint =
		     (rt_constraint *)unique};
	step_ok(state, &op);
	check_reflects(state);
	CHECK_INT(rt_conn_execute(conn, "INSERT INTO k_node (id, parent) VALUES (5, 99)"),
		  RT_ECONSTRAINT);
	exec_ok("DROP TABLE k_node");
done:
	rt_schema_free(state);
	rt_schema_free(s);
}

/* rc is RT_EINVAL naming the key and the column; nothing was made. */
static void refused(int rc, const char *key, const char *column)
{
	CHECK_INT(rc, RT_EINVAL);
	const char *message = rt_error_last()->message;
	bool named = strstr(message, key) && strstr(message, column) &&
		     strstr(message, "of unbounded length, which mariadb keeps only a part of");
	if (!named)
		fprintf(stderr, "  message: %s\n", message);
	CHECK(named);
}

static void test_unbounded_key_refused(void)
{
	rt_schema *s = parse("table k_doc {\n"
			     "  id     bigint  primary key\n"
			     "  title  string(40)  index\n"
			     "  body   text?   index\n"
			     "}\n"
			     "table k_page {\n"
			     "  id     bigint  primary key\n"
			     "  title  string(40)  index\n"
			     "  body   text?\n"
			     "}\n");
	rt_schema *state = rt__op_state_new();
	if (!s || !state)
		goto done;
	rt_op op = {.kind = RT_OP_CREATE_TABLE, .table = "k_doc",
		    .def = rt__schema_find_table(s, "k_doc"), .pos = {"keys.rt", 20, 3}};
	refused(rt__op_execute(conn, &op, state), "index ix_k_doc_body", "column body is text");
	CHECK(rt_conn_execute(conn, "SELECT 1 FROM k_doc") < 0);

	op = (rt_op){.kind = RT_OP_CREATE_TABLE, .table = "k_page",
		     .def = rt__schema_find_table(s, "k_page")};
	step_ok(state, &op);
	rt_index body = {.name = "ix_k_page_body", .keys = (rt_index_key[]){{.column = "body"}},
			 .key_count = 1};
	op = (rt_op){.kind = RT_OP_CREATE_INDEX, .table = "k_page", .index = &body,
		     .pos = {"keys.rt", 21, 3}};
	refused(rt__op_execute(conn, &op, state), "index ix_k_page_body", "column body is text");
	op = (rt_op){.kind = RT_OP_ALTER_COLUMN, .table = "k_page", .name = "title",
		     .set_type = true, .type = {.kind = RT_TYPE_TEXT}, .pos = {"keys.rt", 23, 3}};
	/* (The dialect's alter_column refuses this one, in its words.) */
	CHECK_INT(rt__op_execute(conn, &op, state), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "index ix_k_page_title uses the column") != NULL);
	check_reflects(state);
	/* A unique key is kept whole, and reads back. */
	rt_constraint unique = {.kind = RT_CONSTRAINT_UNIQUE, .name = "uq_k_page_body",
				.columns = (const char *[]){"body"}, .column_count = 1};
	op = (rt_op){.kind = RT_OP_ADD_CONSTRAINT, .table = "k_page", .constraint = &unique};
	step_ok(state, &op);
	check_reflects(state);
	/* A bounded string is kept whole. */
	op = (rt_op){.kind = RT_OP_ALTER_COLUMN, .table = "k_page", .name = "title",
		     .set_type = true, .type = {.kind = RT_TYPE_STRING, .length = 200}};
	step_ok(state, &op);
	check_reflects(state);
done:
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
	exec_ok("DROP DATABASE IF EXISTS retort_key_index");
	exec_ok("CREATE DATABASE retort_key_index");
	exec_ok("USE retort_key_index");
	RT_RUN(test_unique_then_index);
	RT_RUN(test_unbounded_key_refused);
	exec_ok("DROP DATABASE retort_key_index");
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
