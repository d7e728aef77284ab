/*
 * test_ops.c - migration operations on the backend of RETORT_TEST_URL.
 *
 * One scenario walks every operation kind over populated tables (rows with
 * NULLs, UTF-8 text, quotes, blobs). Each operation is rendered offline,
 * executed in a transaction, committed and replayed on the in-memory
 * state; then the core assertion:
 *
 *     reflect(database) == canonicalize(replayed state)
 *
 * (as a database sees it, enum types included), and the rows of the
 * tables still hold what they held. Foreign keys to and from rebuilt
 * tables, a rebuild that would break a key, and what SQLite must refuse
 * are checked along the way.
 *
 * What each backend writes for an operation is in
 * tests/integration/data/ops/sql.<backend>.txt, one check per line (see
 * expect_sql).
 */
#include <stdlib.h>

#include "test.h"

#include "base/arena.h"
#include "engine/engine.h"
#include "engine/url.h"
#include "migrate/ops.h"
#include "retort.h"
#include "support/test_data.h"
#include "support/test_db.h"

static rt_engine *engine;
static rt_conn *conn;
static const rt_dialect *dialect;
static rt_schema *state;

/* Schemas parsed for definitions, freed at the end. */
static rt_schema *parsed[32];
static size_t parsed_count;

static rt_op op_pool[8];
static size_t op_next;
static int op_line;

/* --- set-up ------------------------------------------------------------------ */

static rt_schema *parse(const char *text)
{
	rt_schema *s = NULL;
	if (rt_schema_parse_string(&s, text, strlen(text), "defs.rt", NULL) != RT_OK) {
		fprintf(stderr, "parse: %s\n", rt_error_last()->message);
		return NULL;
	}
	if (parsed_count < sizeof(parsed) / sizeof(*parsed))
		parsed[parsed_count++] = s;
	return s;
}

/* A table definition from schema text (the others in the text only serve
 * its references). */
static rt_table *def_of(const char *text, const char *table)
{
	rt_schema *s = parse(text);
	return s ? rt__schema_find_table(s, table) : NULL;
}

static rt_op *new_op(rt_op_kind kind, const char *table)
{
	rt_op *op = &op_pool[op_next++ % 8];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->table = table;
	op->pos = (rt_pos){"ops.rt", ++op_line, 3};
	return op;
}

/* --- checks ------------------------------------------------------------------ */

static bool same_enums(const rt_schema *expected, const rt_schema *reflected)
{
	if (dialect->caps.enum_kind != RT_ENUM_TYPE)
		return true;
	bool ok = expected->enum_count == reflected->enum_count;
	for (size_t i = 0; i < expected->enum_count; i++) {
		const rt_enum *e = expected->enums[i];
		const rt_enum *r = NULL;
		for (size_t j = 0; j < reflected->enum_count; j++)
			if (strcmp(reflected->enums[j]->sql_name, e->sql_name) == 0)
				r = reflected->enums[j];
		bool same = r && r->value_count == e->value_count;
		for (size_t v = 0; same && v < e->value_count; v++)
			same = strcmp(r->values[v], e->values[v]) == 0;
		if (!same)
			fprintf(stderr, "  enum %s differs in the database\n", e->sql_name);
		ok = ok && same;
	}
	if (expected->enum_count != reflected->enum_count)
		fprintf(stderr, "  %zu enums replayed, %zu in the database\n", expected->enum_count,
			reflected->enum_count);
	return ok;
}

/* The core assertion: the database is what the replay says it is. */
static void check_replay_matches_database(void)
{
	unsigned flags = RT_COMPARE_DATABASE |
			 (dialect->caps.comments ? 0 : RT_COMPARE_IGNORE_COMMENTS);
	rt_schema *reflected = NULL, *expected = rt__op_state_copy(state);
	CHECK(expected != NULL);
	CHECK_OK(rt_schema_reflect(&reflected, conn));
	if (!expected || !reflected)
		goto done;
	dialect->canonicalize(expected);
	bool equal = rt_schema_equal(expected, reflected, flags) && same_enums(expected, reflected);
	CHECK(equal);
	if (!equal) {
		char *diff = NULL;
		if (rt_schema_differences(&diff, expected, reflected, flags) == RT_OK)
			fprintf(stderr, "  after op at line %d (replayed, reflected):\n%s", op_line,
				diff);
		rt_free(diff);
	}
done:
	rt_schema_free(expected);
	rt_schema_free(reflected);
}

static void put_hex(rt_buf *out, const unsigned char *bytes, size_t len)
{
	rt__buf_puts(out, "x'");
	for (size_t i = 0; i < len; i++)
		rt__buf_printf(out, "%02x", bytes[i]);
	rt__buf_putc(out, '\'');
}

/* The rows a query returns, as text: columns named like "avatar" (blobs)
 * in hex, NULL as NULL. Free with free(). */
static char *dump(const char *sql)
{
	rt_stmt *stmt = NULL;
	rt_buf out = RT_BUF_INIT;
	int rc = rt_stmt_prepare(&stmt, conn, sql);
	while (rc == RT_OK && (rc = rt_stmt_step(stmt)) == RT_ROW) {
		rc = RT_OK;
		for (int i = 0; i < rt_stmt_column_count(stmt); i++) {
			if (i > 0)
				rt__buf_putc(&out, '|');
			if (rt_stmt_column_is_null(stmt, i)) {
				rt__buf_puts(&out, "NULL");
			} else if (strcmp(rt_stmt_column_name(stmt, i), "avatar") == 0) {
				size_t len = 0;
				const void *blob = rt_stmt_column_blob(stmt, i, &len);
				put_hex(&out, blob, len);
			} else {
				rt__buf_puts(&out, rt_stmt_column_text(stmt, i));
			}
		}
		rt__buf_putc(&out, '\n');
	}
	if (rc != RT_DONE)
		fprintf(stderr, "  dump %s: %s\n", sql, rt_error_last()->message);
	rt_stmt_finalize(stmt);
	return rt__buf_detach(&out);
}

/* Every row of users and posts, on the columns that survive everything. */
#define USERS_ROWS "SELECT id, name, avatar FROM users ORDER BY id"
#define POSTS_ROWS "SELECT id, user_id, title FROM posts ORDER BY id"

static char *users_before, *posts_before;

static void remember_rows(void)
{
	free(users_before);
	free(posts_before);
	users_before = dump(USERS_ROWS);
	posts_before = dump(POSTS_ROWS);
}

static void check_rows_kept(const char *users_sql, const char *posts_sql)
{
	char *users = dump(users_sql ? users_sql : USERS_ROWS);
	char *posts = dump(posts_sql ? posts_sql : POSTS_ROWS);
	CHECK_STR(users, users_before);
	CHECK_STR(posts, posts_before);
	free(users);
	free(posts);
}

static int64_t count(const char *sql)
{
	rt_stmt *stmt = NULL;
	int64_t n = -1;
	if (rt_stmt_prepare(&stmt, conn, sql) == RT_OK && rt_stmt_step(stmt) == RT_ROW)
		n = rt_stmt_column_int64(stmt, 0);
	rt_stmt_finalize(stmt);
	return n;
}

/* --- running operations ------------------------------------------------------ */

/* The migration runner's way on a dialect that can switch keys off:
 * enforcement off around the transaction, every key checked before
 * COMMIT. */
static bool keys_off;

static int begin(void)
{
	int rc = keys_off ? rt__op_foreign_keys_off(conn) : RT_OK;
	return rc == RT_OK ? rt_conn_begin(conn) : rc;
}

static int commit(void)
{
	int rc = keys_off ? rt__op_check_foreign_keys(conn, NULL) : RT_OK;
	if (rc == RT_OK)
		rc = rt_conn_commit(conn);
	if (keys_off)
		rt__op_foreign_keys_on(conn);
	return rc;
}

static void rollback(void)
{
	rt_conn_rollback(conn);
	if (keys_off)
		rt__op_foreign_keys_on(conn);
}

/* Renders op offline (it must render), returning the statements' text. */
static char *render(const rt_op *op)
{
	rt_arena *arena = rt__arena_new();
	rt_sql_list list = {0};
	rt_buf text = RT_BUF_INIT;
	int rc = rt__op_render(arena, &list, op, state, dialect);
	CHECK_OK(rc);
	rt__ddl_join(&text, &list);
	rt__arena_free(arena);
	return rt__buf_detach(&text);
}

/* Carries op out, commits, replays it, and checks the database against
 * the replay. Returns the offline text (free it). */
static char *step(const rt_op *op)
{
	char *sql = render(op);
	int rc = begin();
	if (rc == RT_OK)
		rc = rt__op_execute(conn, op, state);
	if (rc == RT_OK && (rc = commit()) < 0)
		rt_conn_rollback(conn); /* a failed COMMIT leaves the transaction open */
	else if (rc < 0)
		rollback();
	CHECK_OK(rc);
	if (rc != RT_OK) {
		fprintf(stderr, "  SQL of the operation:\n%s", sql ? sql : "");
		return sql;
	}
	CHECK_OK(rt__op_apply(state, op));
	check_replay_matches_database();
	return sql;
}

static void run(const rt_op *op)
{
	free(step(op));
}

/* op must fail with a message holding each of the texts; afterwards the
 * database is as it was. */
static void run_failing(const rt_op *op, const char *text1, const char *text2)
{
	int rc = begin();
	CHECK_OK(rc);
	if (rc == RT_OK)
		rc = rt__op_execute(conn, op, state);
	if (rc == RT_OK)
		rc = commit(); /* a violation may only show at the key check */
	else
		rollback();
	CHECK(rc < 0);
	const char *message = rt_error_last()->message;
	bool found = strstr(message, text1) && (!text2 || strstr(message, text2));
	CHECK(found);
	if (!found)
		fprintf(stderr, "  message: %s\n  expected: %s / %s\n", message, text1,
			text2 ? text2 : "");
	if (rc == RT_OK)
		return;
	check_replay_matches_database();
	check_rows_kept(NULL, NULL);
}

/* data/ops/sql.<backend>.txt, read once. */
static char *expected_sql;

/* Checks the offline text of the operation called key against the lines
 * "key <what>" of the backend's file, each of:
 *   key -             nothing particular to check
 *   key =             the operation writes no SQL on this backend
 *   key <fragment>    the text holds fragment (\n for a line break), after
 *                     the fragment of the key's line before, if any
 *   key ! <words>     the backend refuses the operation by name, before
 *                     any SQL, in these words (see refusal)
 * Every key has at least one line in every backend's file. */
static void expect_sql(const char *sql, const char *key)
{
	size_t n = strlen(key);
	const char *after = sql ? sql : "";
	bool seen = false;
	for (const char *line = expected_sql ? expected_sql : ""; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > n && strncmp(line, key, n) == 0 && line[n] == ' ') {
			seen = true;
			char want[512];
			size_t w = 0;
			for (size_t i = n + 1; i < len && w + 1 < sizeof(want); i++) {
				if (line[i] == '\\' && i + 1 < len && line[i + 1] == 'n') {
					want[w++] = '\n';
					i++;
				} else {
					want[w++] = line[i];
				}
			}
			want[w] = '\0';
			bool ok;
			if (strcmp(want, "-") == 0 || strncmp(want, "! ", 2) == 0) {
				ok = true;
			} else if (strcmp(want, "=") == 0) {
				ok = !sql || !*sql;
			} else {
				const char *at = strstr(after, want);
				ok = at != NULL;
				if (at)
					after = at + strlen(want);
			}
			CHECK(ok);
			if (!ok)
				fprintf(stderr, "  %s: expected in the SQL (in this order): %s\n  SQL:\n%s",
					key, want, sql ? sql : "");
		}
		line += len + (end ? 1 : 0);
	}
	CHECK(seen);
	if (!seen)
		fprintf(stderr, "  %s: no line in data/ops/sql.%s.txt\n", key, dialect->name);
}

/* The words of a "key ! <words>" line of the backend's file: the backend
 * refuses the operation so; NULL when it carries it out. Static storage. */
static const char *refusal(const char *key)
{
	static char words[256];
	size_t n = strlen(key);
	for (const char *line = expected_sql ? expected_sql : ""; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > n + 3 && strncmp(line, key, n) == 0 && strncmp(line + n, " ! ", 3) == 0) {
			snprintf(words, sizeof(words), "%.*s", (int)(len - n - 3), line + n + 3);
			return words;
		}
		line += len + (end ? 1 : 0);
	}
	return NULL;
}

/* --- the scenario -------------------------------------------------------------- */

static const char *base_schema =
	"enum Mood { happy, sad }\n"
	"table users {\n"
	"  id      bigint      primary key\n"
	"  name    string(50)  unique\n"
	"  bio     text?\n"
	"  avatar  blob?\n"
	"  mood    Mood?\n"
	"  age     int?        check 'age >= 0'\n"
	"}\n"
	"table posts {\n"
	"  id       bigint        primary key\n"
	"  user_id  bigint        references users(id) on delete cascade\n"
	"  title    string(100)\n"
	"  body     text?\n"
	"  index (title)\n"
	"}\n"
	"table nodes {\n"
	"  id         bigint  primary key\n"
	"  parent_id  bigint? references nodes(id)\n"
	"  label      text?\n"
	"}\n";

static void test_create(void)
{
	rt_schema *s = parse(base_schema);
	if (!s)
		return;
	rt_op *op = new_op(RT_OP_CREATE_ENUM, NULL);
	op->enum_def = rt__schema_find_enum(s, "Mood");
	char *sql = step(op);
	expect_sql(sql, "create_enum");
	free(sql);
	static const char *const tables[] = {"users", "posts", "nodes"};
	for (size_t i = 0; i < 3; i++) {
		op = new_op(RT_OP_CREATE_TABLE, tables[i]);
		op->def = rt__schema_find_table(s, tables[i]);
		run(op);
	}
}

/* Seed rows through `insert` (values bound), then blobs. */
static void test_insert(void)
{
	rt_literal users[3][5] = {
		{{RT_LITERAL_NUMBER, "1"}, {RT_LITERAL_STRING, "ada"}, {RT_LITERAL_NONE, NULL},
		 {RT_LITERAL_ENUM, "happy"}, {RT_LITERAL_NUMBER, "36"}},
		{{RT_LITERAL_NUMBER, "2"}, {RT_LITERAL_STRING, "Zoë ñ 日本"},
		 {RT_LITERAL_STRING, "it's \"quoted\"; DROP TABLE users; --"},
		 {RT_LITERAL_NONE, NULL}, {RT_LITERAL_NONE, NULL}},
		{{RT_LITERAL_NUMBER, "3"}, {RT_LITERAL_STRING, "O'Brien"}, {RT_LITERAL_STRING, ""},
		 {RT_LITERAL_ENUM, "sad"}, {RT_LITERAL_NUMBER, "0"}},
	};
	rt_literal *user_rows[3] = {users[0], users[1], users[2]};
	rt_op *op = new_op(RT_OP_INSERT, "users");
	op->columns = (const char *[]){"id", "name", "bio", "mood", "age"};
	op->column_count = 5;
	op->rows = user_rows;
	op->row_count = 3;
	char *sql = step(op);
	expect_sql(sql, "insert_users");
	free(sql);
	char *rows = dump("SELECT id, name, bio, mood, age FROM users ORDER BY id");
	CHECK_STR(rows, "1|ada|NULL|happy|36\n"
			"2|Zoë ñ 日本|it's \"quoted\"; DROP TABLE users; --|NULL|NULL\n"
			"3|O'Brien||sad|0\n");
	free(rows);

	rt_literal posts[3][4] = {
		{{RT_LITERAL_NUMBER, "10"}, {RT_LITERAL_NUMBER, "1"}, {RT_LITERAL_STRING, "hello"},
		 {RT_LITERAL_NONE, NULL}},
		{{RT_LITERAL_NUMBER, "11"}, {RT_LITERAL_NUMBER, "2"}, {RT_LITERAL_STRING, "wörld"},
		 {RT_LITERAL_STRING, "x"}},
		{{RT_LITERAL_NUMBER, "12"}, {RT_LITERAL_NUMBER, "1"}, {RT_LITERAL_STRING, "again"},
		 {RT_LITERAL_NONE, NULL}},
	};
	rt_literal *post_rows[3] = {posts[0], posts[1], posts[2]};
	op = new_op(RT_OP_INSERT, "posts");
	op->columns = (const char *[]){"id", "user_id", "title", "body"};
	op->column_count = 4;
	op->rows = post_rows;
	op->row_count = 3;
	run(op);

	rt_literal nodes[3][3] = {
		{{RT_LITERAL_NUMBER, "1"}, {RT_LITERAL_NONE, NULL}, {RT_LITERAL_STRING, "root"}},
		{{RT_LITERAL_NUMBER, "2"}, {RT_LITERAL_NUMBER, "1"}, {RT_LITERAL_STRING, "leaf"}},
		{{RT_LITERAL_NUMBER, "3"}, {RT_LITERAL_NUMBER, "2"},
		 {RT_LITERAL_SQL, "lower('GENERATED')"}},
	};
	rt_literal *node_rows[3] = {nodes[0], nodes[1], nodes[2]};
	op = new_op(RT_OP_INSERT, "nodes");
	op->columns = (const char *[]){"id", "parent_id", "label"};
	op->column_count = 3;
	op->rows = node_rows;
	op->row_count = 3;
	run(op);
	rows = dump("SELECT label FROM nodes ORDER BY id");
	CHECK_STR(rows, "root\nleaf\ngenerated\n");
	free(rows);

	rt_stmt *stmt = NULL;
	CHECK_OK(rt_stmt_prepare(&stmt, conn, "UPDATE users SET avatar = ? WHERE id = ?"));
	static const unsigned char bytes[] = {0x00, 0xff, 0x10, 0x27};
	CHECK_OK(rt_stmt_bind_blob(stmt, 1, bytes, sizeof(bytes)));
	CHECK_OK(rt_stmt_bind_int64(stmt, 2, 1));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
	CHECK_OK(rt_stmt_reset(stmt));
	CHECK_OK(rt_stmt_bind_blob(stmt, 1, "", 0));
	CHECK_OK(rt_stmt_bind_int64(stmt, 2, 3));
	CHECK_INT(rt_stmt_step(stmt), RT_DONE);
	rt_stmt_finalize(stmt);
	rows = dump(USERS_ROWS);
	CHECK_STR(rows, "1|ada|x'00ff1027'\n2|Zoë ñ 日本|NULL\n3|O'Brien|x''\n");
	free(rows);
	remember_rows();
}

static void test_add_column(void)
{
	/* In place on both. */
	rt_op *op = new_op(RT_OP_ADD_COLUMN, "users");
	op->name = "nick";
	op->def = def_of("table users { nick string(20)? }", "users");
	run(op);
	op = new_op(RT_OP_ADD_COLUMN, "users");
	op->name = "score";
	op->def = def_of("table users { score int server default 0 }", "users");
	char *sql = step(op);
	expect_sql(sql, "add_column_score");
	free(sql);
	check_rows_kept(NULL, NULL);
	CHECK_INT(count("SELECT count(*) FROM users WHERE score = 0"), 3);

	/* SQLite: a CURRENT_TIMESTAMP default and a unique column need a
	 * rebuild of users, which posts references: the runner's way, keys off. */
	keys_off = true;
	op = new_op(RT_OP_ADD_COLUMN, "users");
	op->name = "created";
	op->def = def_of("table users { created timestamp? server default now }", "users");
	sql = step(op);
	expect_sql(sql, "add_column_created");
	free(sql);
	check_rows_kept(NULL, NULL);
	CHECK_INT(count("SELECT count(*) FROM users WHERE created IS NOT NULL"), 3);

	op = new_op(RT_OP_ADD_COLUMN, "users");
	op->name = "code";
	op->def = def_of("table users { code string(10)? unique }", "users");
	sql = step(op);
	expect_sql(sql, "add_column_code");
	free(sql);
	keys_off = false;
	check_rows_kept(NULL, NULL);

	/* A key from posts to users, added with the column. */
	op = new_op(RT_OP_ADD_COLUMN, "posts");
	op->name = "editor_id";
	op->def = def_of("table users { id bigint primary key }\n"
			 "table posts {\n"
			 "  editor_id bigint? references users(id) on delete set null\n"
			 "}",
			 "posts");
	run(op);
	check_rows_kept(NULL, NULL);
}

/* SQLite cannot add a NOT NULL column without a default to rows it has:
 * an error before any SQL. */
static void test_add_column_refused(void)
{
	if (dialect->caps.add_column_any_default)
		return;
	rt_op *op = new_op(RT_OP_ADD_COLUMN, "nodes");
	op->name = "weight";
	op->def = def_of("table nodes { weight int }", "nodes");
	rt_arena *arena = rt__arena_new();
	rt_sql_list list = {0};
	CHECK_INT(rt__op_render(arena, &list, op, state, dialect), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "ops.rt:") != NULL);
	CHECK(strstr(rt_error_last()->message,
		     "nodes.weight is NOT NULL without a server default") != NULL);
	CHECK_INT(list.count, 0);
	rt__arena_free(arena);
	run_failing(op, "nodes.weight is NOT NULL without a server default", NULL);
}

static void test_alter_column(void)
{
	keys_off = true; /* users is rebuilt on SQLite, and posts references it */
	rt_op *op = new_op(RT_OP_ALTER_COLUMN, "users");
	op->name = "bio";
	op->set_type = true;
	op->type = (rt_type){.kind = RT_TYPE_STRING, .length = 200};
	char *sql = step(op);
	expect_sql(sql, "alter_bio");
	free(sql);
	char *rows = dump("SELECT bio FROM users ORDER BY id");
	CHECK_STR(rows, "NULL\nit's \"quoted\"; DROP TABLE users; --\n\n");
	free(rows);

	op = new_op(RT_OP_ALTER_COLUMN, "users");
	op->name = "score";
	op->null_change = RT_ALTER_NULL_SET;
	op->default_change = RT_ALTER_DEFAULT_SET;
	op->server_default = (rt_literal){RT_LITERAL_NUMBER, "5"};
	run(op);
	op = new_op(RT_OP_ALTER_COLUMN, "users");
	op->name = "score";
	op->default_change = RT_ALTER_DEFAULT_DROP;
	run(op);
	keys_off = false;

	/* posts references users but nothing references posts: rebuilt on
	 * SQLite with keys on (and deferred). */
	op = new_op(RT_OP_ALTER_COLUMN, "posts");
	op->name = "title";
	op->set_type = true;
	op->type = (rt_type){.kind = RT_TYPE_TEXT};
	op->null_change = RT_ALTER_NULL_SET;
	op->default_change = RT_ALTER_DEFAULT_SET;
	op->server_default = (rt_literal){RT_LITERAL_STRING, "untitled"};
	if (refusal("alter_title")) {
		/* An index uses title: refused where text would shorten it. */
		run_failing(op, refusal("alter_title"), "ix_posts_title");
	} else {
		sql = step(op);
		expect_sql(sql, "alter_title");
		free(sql);
	}
	check_rows_kept(NULL, NULL);

	/* Back to NOT NULL: every row has a title. */
	op = new_op(RT_OP_ALTER_COLUMN, "posts");
	op->name = "title";
	op->null_change = RT_ALTER_NULL_DROP;
	run(op);

	/* A self-referencing table: its rows keep pointing at each other
	 * through the rebuild (its key names the old table meanwhile, so the
	 * rebuild needs keys off). */
	keys_off = true;
	op = new_op(RT_OP_ALTER_COLUMN, "nodes");
	op->name = "label";
	op->set_type = true;
	op->type = (rt_type){.kind = RT_TYPE_STRING, .length = 40};
	run(op);
	keys_off = false;
	rows = dump("SELECT id, parent_id, label FROM nodes ORDER BY id");
	CHECK_STR(rows, "1|NULL|root\n2|1|leaf\n3|2|generated\n");
	free(rows);
}

/* A type change with the script's `using`: the rows hold the expression's
 * value, written in terms of the column's old value, on every backend
 * (PostgreSQL: ALTER COLUMN ... USING; SQLite: the rebuild's row copy).
 * Then back, as a downgrade would write it. */
/* A backend that converts the values itself (MariaDB) refuses `using` by
 * name, before any SQL; the script then converts the rows with an UPDATE
 * of its own, as the message says. */
static void alter_age(const char *key, rt_type_kind kind, const char *using_expr,
		      const char *update, bool update_first)
{
	rt_op *op = new_op(RT_OP_ALTER_COLUMN, "users");
	op->name = "age";
	op->set_type = true;
	op->type = (rt_type){.kind = kind};
	op->using_expr = using_expr;
	const char *refused = refusal(key);
	if (!refused) {
		char *sql = step(op);
		expect_sql(sql, key);
		free(sql);
		return;
	}
	run_failing(op, refused, using_expr);
	rt_op *rows = new_op(RT_OP_EXECUTE, NULL);
	rows->sql = update;
	if (update_first)
		run(rows);
	op = new_op(RT_OP_ALTER_COLUMN, "users");
	op->name = "age";
	op->set_type = true;
	op->type = (rt_type){.kind = kind};
	run(op);
	if (!update_first)
		run(rows);
}

static void test_alter_using(void)
{
	keys_off = true; /* users is rebuilt on SQLite, and posts references it */
	alter_age("alter_using", RT_TYPE_BIGINT, "age * 10", "UPDATE users SET age = age * 10", false);
	char *rows = dump("SELECT id, age FROM users ORDER BY id");
	CHECK_STR(rows, "1|360\n2|NULL\n3|0\n");
	free(rows);
	alter_age("alter_using_back", RT_TYPE_INT, "age / 10", "UPDATE users SET age = age / 10", true);
	keys_off = false;
	rows = dump("SELECT id, age FROM users ORDER BY id");
	CHECK_STR(rows, "1|36\n2|NULL\n3|0\n");
	free(rows);
	check_rows_kept(NULL, NULL);
}

/* A text column moved to an enum type: USING on PostgreSQL, the CHECK on
 * SQLite. */
static void test_alter_to_enum(void)
{
	rt_op *op = new_op(RT_OP_ADD_COLUMN, "posts");
	op->name = "feeling";
	op->def = def_of("table posts { feeling string(10)? server default 'sad' }", "posts");
	run(op);
	op = new_op(RT_OP_EXECUTE, NULL);
	op->sql = "UPDATE posts SET feeling = 'happy' WHERE id = 11";
	run(op);
	op = new_op(RT_OP_ALTER_COLUMN, "posts");
	op->name = "feeling";
	op->set_type = true;
	op->type = (rt_type){.kind = RT_TYPE_ENUM, .enum_name = "Mood"};
	op->default_change = RT_ALTER_DEFAULT_SET;
	op->server_default = (rt_literal){RT_LITERAL_ENUM, "sad"};
	char *sql = step(op);
	expect_sql(sql, "alter_to_enum");
	free(sql);
	char *rows = dump("SELECT feeling FROM posts ORDER BY id");
	CHECK_STR(rows, "sad\nhappy\nsad\n");
	free(rows);
	check_rows_kept(NULL, NULL);
}

static void test_rename_column(void)
{
	keys_off = true;
	rt_op *op = new_op(RT_OP_RENAME_COLUMN, "users");
	op->name = "bio";
	op->new_name = "biography";
	run(op);
	/* The CHECK follows the column; its name stays. */
	op = new_op(RT_OP_RENAME_COLUMN, "users");
	op->name = "age";
	op->new_name = "years";
	run(op);
	/* An enum column: on SQLite its CHECK is named after it (rebuild). */
	op = new_op(RT_OP_RENAME_COLUMN, "users");
	op->name = "mood";
	op->new_name = "humour";
	run(op);
	keys_off = false;
	char *rows = dump("SELECT humour, years FROM users ORDER BY id");
	CHECK_STR(rows, "happy|36\nNULL|NULL\nsad|0\n");
	free(rows);
	/* A referenced column: the key in posts follows it. */
	op = new_op(RT_OP_RENAME_COLUMN, "users");
	op->name = "id";
	op->new_name = "user_no";
	run(op);
	op = new_op(RT_OP_RENAME_COLUMN, "users");
	op->name = "user_no";
	op->new_name = "id";
	run(op);
	check_rows_kept(NULL, NULL);
}

static void test_rename_table(void)
{
	/* posts has an enum column: on SQLite its CHECK is renamed by a rebuild. */
	rt_op *op = new_op(RT_OP_RENAME_TABLE, "posts");
	op->new_name = "articles";
	run(op);
	char *rows = dump("SELECT id, user_id, title FROM articles ORDER BY id");
	CHECK_STR(rows, posts_before);
	free(rows);
	/* users is referenced by articles: the key follows the rename (on
	 * SQLite, users is rebuilt for its enum CHECK: keys off). */
	keys_off = true;
	op = new_op(RT_OP_RENAME_TABLE, "users");
	op->new_name = "members";
	run(op);
	op = new_op(RT_OP_RENAME_TABLE, "members");
	op->new_name = "users";
	run(op);
	op = new_op(RT_OP_RENAME_TABLE, "articles");
	op->new_name = "posts";
	run(op);
	keys_off = false;
	check_rows_kept(NULL, NULL);
}

static void test_indexes(void)
{
	rt_index plain = {.name = "ix_users_nick",
			  .keys = (rt_index_key[]){{.column = "nick"}, {.column = "score"}},
			  .key_count = 2};
	rt_op *op = new_op(RT_OP_CREATE_INDEX, "users");
	op->index = &plain;
	run(op);
	rt_index unique = {.name = "ix_users_code", .unique = true,
			   .keys = (rt_index_key[]){{.column = "code"}}, .key_count = 1};
	op = new_op(RT_OP_CREATE_INDEX, "users");
	op->index = &unique;
	run(op);
	op = new_op(RT_OP_DROP_INDEX, NULL);
	op->name = "ix_users_code";
	run(op);
	check_rows_kept(NULL, NULL);
}

static void test_constraints(void)
{
	keys_off = true; /* users is rebuilt on SQLite */
	rt_constraint unique = {.kind = RT_CONSTRAINT_UNIQUE, .name = "uq_users_name_code",
				.columns = (const char *[]){"name", "code"}, .column_count = 2};
	rt_op *op = new_op(RT_OP_ADD_CONSTRAINT, "users");
	op->constraint = &unique;
	run(op);
	rt_constraint check = {.kind = RT_CONSTRAINT_CHECK, .name = "ck_users_score",
			       .check = "score >= 0 AND score < 1000"};
	op = new_op(RT_OP_ADD_CONSTRAINT, "users");
	op->constraint = &check;
	run(op);
	op = new_op(RT_OP_DROP_CONSTRAINT, "users");
	op->name = "uq_users_name_code";
	run(op);

	/* A key from a table whose rows fit it. */
	rt_constraint fk = {.kind = RT_CONSTRAINT_FOREIGN_KEY, .name = "fk_nodes_id_users",
			    .columns = (const char *[]){"id"}, .column_count = 1,
			    .ref_table = "users", .ref_columns = (const char *[]){"id"},
			    .ref_column_count = 1, .on_delete = RT_FK_CASCADE};
	op = new_op(RT_OP_ADD_CONSTRAINT, "nodes");
	op->constraint = &fk;
	run(op);
	op = new_op(RT_OP_DROP_CONSTRAINT, "nodes");
	op->name = "fk_nodes_id_users";
	run(op);
	keys_off = false;
	check_rows_kept(NULL, NULL);
}

/* A key the existing rows break: a clear error naming table and key, and
 * after the rollback the table is as it was. */
static void test_broken_foreign_key(void)
{
	rt_op *op = new_op(RT_OP_EXECUTE, NULL);
	op->sql = "UPDATE nodes SET label = 'x' WHERE id = 3";
	run(op);
	op = new_op(RT_OP_ADD_COLUMN, "nodes");
	op->name = "owner_id";
	op->def = def_of("table nodes { owner_id bigint? }", "nodes");
	run(op);
	op = new_op(RT_OP_EXECUTE, NULL);
	op->sql = "UPDATE nodes SET owner_id = 999 WHERE id = 2";
	run(op);
	char *nodes_before = dump("SELECT id, parent_id, label, owner_id FROM nodes ORDER BY id");

	rt_constraint fk = {.kind = RT_CONSTRAINT_FOREIGN_KEY, .name = "fk_nodes_owner",
			    .columns = (const char *[]){"owner_id"}, .column_count = 1,
			    .ref_table = "users", .ref_columns = (const char *[]){"id"},
			    .ref_column_count = 1};
	op = new_op(RT_OP_ADD_CONSTRAINT, "nodes");
	op->constraint = &fk;
	keys_off = true;
	run_failing(op, "fk_nodes_owner", "nodes");
	keys_off = false;
	CHECK(strstr(rt_error_last()->message, "ops.rt:") != NULL);
	CHECK_INT(rt_error_last()->code, RT_ECONSTRAINT);
	char *nodes = dump("SELECT id, parent_id, label, owner_id FROM nodes ORDER BY id");
	CHECK_STR(nodes, nodes_before);
	free(nodes);
	free(nodes_before);
}

/* SQLite: rebuilding a table others reference, with keys enforced, would
 * fire their ON DELETE actions: refused before any SQL. */
static void test_rebuild_refused_with_keys_on(void)
{
	if (!dialect->foreign_keys_enabled)
		return;
	rt_op *op = new_op(RT_OP_ALTER_COLUMN, "users");
	op->name = "nick";
	op->set_type = true;
	op->type = (rt_type){.kind = RT_TYPE_STRING, .length = 30};
	run_failing(op, "table users must be rebuilt", "PRAGMA foreign_keys = OFF");
	CHECK_INT(count("SELECT count(*) FROM posts"), 3);
}

static void test_drop_column(void)
{
	/* nick is in an index only: the index goes first, then the column
	 * (in place on both). */
	rt_op *op = new_op(RT_OP_DROP_COLUMN, "users");
	op->name = "nick";
	char *sql = step(op);
	expect_sql(sql, "drop_nick");
	free(sql);
	/* years has a CHECK: a rebuild on SQLite. */
	keys_off = true;
	op = new_op(RT_OP_DROP_COLUMN, "users");
	op->name = "years";
	run(op);
	op = new_op(RT_OP_DROP_COLUMN, "users");
	op->name = "code";
	run(op);
	keys_off = false;
	op = new_op(RT_OP_DROP_COLUMN, "posts");
	op->name = "body";
	run(op);
	check_rows_kept(NULL, NULL);
	CHECK_INT(count("SELECT count(*) FROM posts WHERE user_id = 1"), 2);
}

static void test_enums(void)
{
	keys_off = true; /* SQLite rebuilds users and posts, both enum users */
	rt_op *op = new_op(RT_OP_ALTER_ENUM_ADD, NULL);
	op->name = "Mood";
	op->value = "so-so";
	char *sql = step(op);
	expect_sql(sql, "enum_add");
	free(sql);
	keys_off = false;
	check_rows_kept(NULL, NULL);
	op = new_op(RT_OP_EXECUTE, NULL);
	op->sql = "UPDATE users SET humour = 'so-so' WHERE id = 2";
	run(op);
	char *rows = dump("SELECT humour FROM users ORDER BY id");
	CHECK_STR(rows, "happy\nso-so\nsad\n");
	free(rows);

	rt_schema *s = parse("enum Color { red, green }");
	op = new_op(RT_OP_CREATE_ENUM, NULL);
	op->enum_def = s ? rt__schema_find_enum(s, "Color") : NULL;
	run(op);
	op = new_op(RT_OP_DROP_ENUM, NULL);
	op->name = "Color";
	run(op);
}

/* A statement `only` for one backend runs there and nowhere else: one
 * per backend this build has, each naming its backend. */
static void test_execute_only(void)
{
	const char *names = getenv("RETORT_BUILT_BACKENDS");
	char list[256];
	snprintf(list, sizeof(list), "%s", names && *names ? names : dialect->name);
	char *save = NULL;
	for (char *name = strtok_r(list, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
		char update[128], expected[160];
		snprintf(update, sizeof(update), "UPDATE users SET name = '%s' WHERE id = 1", name);
		rt_op *op = new_op(RT_OP_EXECUTE, NULL);
		op->sql = update;
		op->only_dialect = name;
		char *sql = step(op);
		snprintf(expected, sizeof(expected), "%s;\n", update);
		CHECK_STR(sql, strcmp(name, dialect->name) == 0 ? expected : "");
		free(sql);
	}
	char *rows = dump("SELECT name FROM users WHERE id = 1");
	char expected[64];
	snprintf(expected, sizeof(expected), "%s\n", dialect->name);
	CHECK_STR(rows, expected);
	free(rows);
}

static void test_drop_tables(void)
{
	rt_op *op = new_op(RT_OP_DROP_TABLE, "users");
	int rc = rt__op_apply(state, op);
	CHECK_INT(rc, RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "still references users") != NULL);
	static const char *const tables[] = {"nodes", "posts", "users"};
	for (size_t i = 0; i < 3; i++)
		run(new_op(RT_OP_DROP_TABLE, tables[i]));
	op = new_op(RT_OP_DROP_ENUM, NULL);
	op->name = "Mood";
	run(op);
	CHECK_INT(state->table_count, 0);
}

int main(void)
{
	test_db_remove_sqlite_file();
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK ||
	    rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", rt_test_url(),
			rt_error_last()->message);
		rt_engine_free(engine);
		return 1;
	}
	dialect = engine->dialect;
	if (test_db_fresh(engine, &conn) != RT_OK) {
		fprintf(stderr, "cannot reset the database: %s\n", rt_error_last()->message);
		return 1;
	}
	state = rt__op_state_new();
	expected_sql = test_data_read("ops", "sql", dialect->name, "txt");
	RT_RUN(test_create);
	RT_RUN(test_insert);
	RT_RUN(test_add_column);
	RT_RUN(test_add_column_refused);
	RT_RUN(test_alter_column);
	RT_RUN(test_alter_using);
	RT_RUN(test_alter_to_enum);
	RT_RUN(test_rename_column);
	RT_RUN(test_rename_table);
	RT_RUN(test_indexes);
	RT_RUN(test_constraints);
	RT_RUN(test_broken_foreign_key);
	RT_RUN(test_rebuild_refused_with_keys_on);
	RT_RUN(test_drop_column);
	RT_RUN(test_enums);
	RT_RUN(test_execute_only);
	RT_RUN(test_drop_tables);
	free(users_before);
	free(posts_before);
	free(expected_sql);
	for (size_t i = 0; i < parsed_count; i++)
		rt_schema_free(parsed[i]);
	rt_schema_free(state);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
