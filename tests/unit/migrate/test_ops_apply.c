/* Unit tests for src/migrate/ops_apply.c: replaying operations on a schema
 * in memory. Operations are built by hand; table definitions come from
 * schema text, parsed into a scratch schema the way a script holds them.
 * The main property: replaying a script gives the schema that declaring
 * its end result directly gives (as a database sees it). */
#include "test.h"

#include "migrate/ops.h"
#include "retort.h"

static rt_schema *scratch;
static rt_op ops[64];
static size_t op_count;

static rt_schema *parse(const char *text)
{
	rt_schema *s = NULL;
	if (rt_schema_parse_string(&s, text, strlen(text), "defs.rt", NULL) != RT_OK)
		fprintf(stderr, "parse: %s\n", rt_error_last()->message);
	return s;
}

/* A fresh operation at line n of "m.rt". */
static rt_op *op_at(rt_op_kind kind, int line)
{
	rt_op *op = &ops[op_count++ % 64];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->pos = (rt_pos){"m.rt", line, 3};
	return op;
}

static rt_table *def(const char *table)
{
	return rt__schema_find_table(scratch, table);
}

static int apply(rt_schema *state, rt_op *op)
{
	return rt__op_apply(state, op);
}

static void check_equal(const rt_schema *a, const rt_schema *b)
{
	int equal = rt_schema_equal(a, b, RT_COMPARE_DATABASE);
	CHECK(equal);
	if (!equal) {
		char *diff = NULL;
		if (rt_schema_differences(&diff, a, b, RT_COMPARE_DATABASE) == RT_OK)
			fprintf(stderr, "differences:\n%s", diff);
		rt_free(diff);
	}
}

/* Applies op and expects an error whose message contains text. */
static void check_refused(rt_schema *state, rt_op *op, const char *text)
{
	int rc = apply(state, op);
	CHECK_INT(rc, RT_EINVAL);
	const char *message = rt_error_last()->message;
	CHECK(strstr(message, text) != NULL);
	if (!strstr(message, text))
		fprintf(stderr, "  message: %s\n  expected to contain: %s\n", message, text);
}

static const char *defs_text =
	"enum Mood { happy, sad }\n"
	"table users {\n"
	"  id    bigint      primary key\n"
	"  name  string(50)  unique\n"
	"  mood  Mood?\n"
	"  age   int?        check 'age >= 0'\n"
	"  index (name, age)\n"
	"}\n"
	"table posts {\n"
	"  id       bigint  primary key\n"
	"  title    text    server default 'untitled'\n"
	"  user_id  bigint  references users(id) on delete cascade\n"
	"}\n"
	"table extra {\n"
	"  note  string(10)?  unique\n"
	"}\n"
	"table loose {\n"
	"  id  int  primary key\n"
	"  a   int\n"
	"}\n";

/* enum + users + posts, replayed from create operations. */
static rt_schema *base_state(void)
{
	rt_schema *state = rt__op_state_new();
	rt_op *op = op_at(RT_OP_CREATE_ENUM, 1);
	op->enum_def = rt__schema_find_enum(scratch, "Mood");
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_CREATE_TABLE, 2);
	op->table = "users";
	op->def = def("users");
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_CREATE_TABLE, 3);
	op->table = "posts";
	op->def = def("posts");
	CHECK_OK(apply(state, op));
	return state;
}

static void test_create_matches_declaration(void)
{
	rt_schema *state = base_state();
	rt_schema *expected = parse("enum Mood { happy, sad }\n"
				    "table users {\n"
				    "  id    bigint      primary key\n"
				    "  name  string(50)  unique\n"
				    "  mood  Mood?\n"
				    "  age   int?        check 'age >= 0'\n"
				    "  index (name, age)\n"
				    "}\n"
				    "table posts {\n"
				    "  id       bigint  primary key\n"
				    "  title    text    server default 'untitled'\n"
				    "  user_id  bigint  references users(id) on delete cascade\n"
				    "}\n");
	check_equal(state, expected);
	CHECK_INT(state->enum_count, 1);
	/* The state holds its own copies: the enum column points at its enum. */
	rt_table *users = rt__schema_find_table(state, "users");
	CHECK(users && rt__table_find_column(users, "mood")->type.enum_type == state->enums[0]);
	rt_schema_free(expected);
	rt_schema_free(state);
}

static void test_create_refusals(void)
{
	rt_schema *state = base_state();
	rt_op *op = op_at(RT_OP_CREATE_TABLE, 7);
	op->table = "users";
	op->def = def("users");
	check_refused(state, op,
		      "m.rt:7:3: create table: the name users is already used by a table");

	/* posts references users: without users it cannot be created. */
	rt_schema *empty = rt__op_state_new();
	op = op_at(RT_OP_CREATE_TABLE, 9);
	op->table = "posts";
	op->def = def("posts");
	check_refused(empty, op, "references table users, which does not exist");
	CHECK_INT(empty->table_count, 0);
	CHECK(rt__schema_find_table(empty, "posts") == NULL);

	/* An enum column needs its enum. */
	op = op_at(RT_OP_CREATE_TABLE, 10);
	op->table = "users";
	op->def = def("users");
	check_refused(empty, op, "column mood has type Mood, but no such enum exists");
	rt_schema_free(empty);
	rt_schema_free(state);
}

static void test_rename_table(void)
{
	rt_schema *state = base_state();
	rt_op *op = op_at(RT_OP_RENAME_TABLE, 4);
	op->table = "users";
	op->new_name = "members";
	CHECK_OK(apply(state, op));
	CHECK(rt__schema_find_table(state, "users") == NULL);
	rt_table *members = rt__schema_find_table(state, "members");
	CHECK(members != NULL);
	/* Names stay as the database keeps them; keys follow the table. */
	CHECK_STR(members->primary_key->name, "pk_users");
	CHECK(rt__table_find_constraint(members, "uq_users_name") != NULL);
	rt_table *posts = rt__schema_find_table(state, "posts");
	CHECK_STR(rt__table_find_constraint(posts, "fk_posts_user_id_users")->ref_table, "members");

	op = op_at(RT_OP_RENAME_TABLE, 5);
	op->table = "members";
	op->new_name = "posts";
	check_refused(state, op, "m.rt:5:3: rename table: the name posts is already used");
	op = op_at(RT_OP_RENAME_TABLE, 6);
	op->table = "ix_users_name_age";
	op->new_name = "x";
	check_refused(state, op, "table ix_users_name_age does not exist");
	rt_schema_free(state);
}

/* A SQL object renamed: its CREATE statement says the new name, a
 * materialized view's default-named indexes follow it, a domain's
 * columns stay of it; the old must exist and the new name be free. */
static void test_rename_sql_object(void)
{
	const char *text = "model Film {\n"
			   "  id    bigint  primary key\n"
			   "  year  sql 'year'?\n"
			   "}\n"
			   "domain year $$ CREATE DOMAIN year AS integer $$\n"
			   "function label(integer) $$ CREATE FUNCTION label(integer) ... $$\n"
			   "materialized view sums $$ SELECT 1 AS one $$ {\n"
			   "  index (one)\n"
			   "}\n"
			   "view titles $$ SELECT 1 AS one $$\n";
	rt_schema *state = parse(text);
	CHECK(state != NULL);
	if (!state)
		return;
	rt_sql_object function = {.kind = RT_SQL_FUNCTION, .name = "label", .args = "(integer)"};
	rt_op *op = op_at(RT_OP_RENAME_OBJECT, 3);
	op->object = &function;
	op->new_name = "title";
	CHECK_OK(apply(state, op));
	rt_sql_object key = {.kind = RT_SQL_FUNCTION, .name = "title", .args = "(integer)"};
	const rt_sql_object *o = rt__schema_find_sql_object(state, &key);
	CHECK(o && strncmp(o->sql, "CREATE FUNCTION title(integer) ...", 34) == 0);
	check_refused(state, op, "m.rt:3:3: rename: there is no function label(integer) to rename");

	rt_sql_object sums = {.kind = RT_SQL_MATERIALIZED_VIEW, .name = "sums"};
	op = op_at(RT_OP_RENAME_OBJECT, 4);
	op->object = &sums;
	op->new_name = "titles";
	check_refused(state, op, "cannot rename materialized view sums to titles: a table or "
				 "view has the name");
	op->new_name = "films";
	check_refused(state, op, "cannot rename materialized view sums to films: a table or view "
				 "has the name");
	op->new_name = "totals";
	CHECK_OK(apply(state, op));
	key = (rt_sql_object){.kind = RT_SQL_MATERIALIZED_VIEW, .name = "totals"};
	o = rt__schema_find_sql_object(state, &key);
	CHECK(o && o->index_count == 1 && strcmp(o->indexes[0]->name, "ix_totals_one") == 0);

	rt_sql_object year = {.kind = RT_SQL_DOMAIN, .name = "year"};
	op = op_at(RT_OP_RENAME_OBJECT, 5);
	op->object = &year;
	op->new_name = "film_year";
	CHECK_OK(apply(state, op));
	const rt_table *films = rt__schema_find_table(state, "films");
	const rt_column *column = films ? rt__table_find_column(films, "year") : NULL;
	CHECK(column && strcmp(column->type.sql, "film_year") == 0);
	rt_schema_free(state);
}

/* A renamed table's primary key keeps its name; a database naming every
 * primary key alike (MariaDB) reads it back under the table's default
 * name, which autogenerate then writes. A drop of the primary key that
 * gives its definition means the table's one primary key. */
static void test_drop_primary_key_by_kind(void)
{
	rt_schema *state = rt__op_state_new();
	rt_op *op = op_at(RT_OP_CREATE_TABLE, 2);
	op->table = "loose";
	op->def = def("loose");
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_RENAME_TABLE, 3);
	op->table = "loose";
	op->new_name = "tight";
	CHECK_OK(apply(state, op));
	rt_table *tight = rt__schema_find_table(state, "tight");
	CHECK(tight && tight->primary_key && strcmp(tight->primary_key->name, "pk_loose") == 0);

	/* On other columns it is not that key. */
	rt_constraint other = {.kind = RT_CONSTRAINT_PRIMARY_KEY, .name = "pk_tight",
			       .columns = (const char *[]){"a"}, .column_count = 1};
	op = op_at(RT_OP_DROP_CONSTRAINT, 4);
	op->table = "tight";
	op->constraint = &other;
	check_refused(state, op, "m.rt:4:3: drop constraint: table tight has no constraint pk_tight");
	rt_constraint key = {.kind = RT_CONSTRAINT_PRIMARY_KEY, .name = "pk_tight",
			     .columns = (const char *[]){"id"}, .column_count = 1};
	op = op_at(RT_OP_DROP_CONSTRAINT, 5);
	op->table = "tight";
	op->constraint = &key;
	CHECK_OK(apply(state, op));
	CHECK(tight && tight->primary_key == NULL);
	rt_schema_free(state);
}

static void test_drop_table(void)
{
	rt_schema *state = base_state();
	rt_op *op = op_at(RT_OP_DROP_TABLE, 12);
	op->table = "users";
	check_refused(state, op, "foreign key fk_posts_user_id_users of table posts still "
				 "references users");
	op = op_at(RT_OP_DROP_TABLE, 13);
	op->table = "posts";
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_DROP_TABLE, 14);
	op->table = "users";
	CHECK_OK(apply(state, op));
	CHECK_INT(state->table_count, 0);
	CHECK(rt__schema_find_table(state, "users") == NULL);
	/* The name is free again. */
	op = op_at(RT_OP_CREATE_TABLE, 15);
	op->table = "users";
	op->def = def("users");
	CHECK_OK(apply(state, op));
	rt_schema_free(state);
}

static void test_add_and_drop_column(void)
{
	rt_schema *state = base_state();
	/* add column users.note string(10)? unique (def: table extra) */
	rt_op *op = op_at(RT_OP_ADD_COLUMN, 20);
	op->table = "users";
	op->name = "note";
	op->def = def("extra");
	CHECK_OK(apply(state, op));
	rt_table *users = rt__schema_find_table(state, "users");
	CHECK(rt__table_find_column(users, "note") != NULL);
	CHECK_STR(users->columns[users->column_count - 1]->name, "note");
	CHECK(rt__table_find_constraint(users, "uq_extra_note") != NULL);
	check_refused(state, op, "table users already has a column note");

	/* Dropping age takes its check and the index on (name, age). */
	op = op_at(RT_OP_DROP_COLUMN, 21);
	op->table = "users";
	op->name = "age";
	CHECK_OK(apply(state, op));
	CHECK(rt__table_find_column(users, "age") == NULL);
	CHECK(rt__table_find_constraint(users, "ck_users_age") == NULL);
	CHECK(rt__table_find_index(users, "ix_users_name_age") == NULL);
	CHECK(rt__table_find_constraint(users, "uq_users_name") != NULL);

	/* users.id is what posts.user_id references. */
	op = op_at(RT_OP_DROP_COLUMN, 22);
	op->table = "users";
	op->name = "id";
	check_refused(state, op, "m.rt:22:3: drop column: foreign key fk_posts_user_id_users "
				 "of table posts references users.id");
	op = op_at(RT_OP_DROP_COLUMN, 23);
	op->table = "posts";
	op->name = "user_id";
	CHECK_OK(apply(state, op));
	CHECK_INT(rt__schema_find_table(state, "posts")->constraint_count, 0);
	op = op_at(RT_OP_DROP_COLUMN, 24);
	op->table = "users";
	op->name = "id";
	CHECK_OK(apply(state, op));
	CHECK(users->primary_key == NULL);
	op = op_at(RT_OP_DROP_COLUMN, 25);
	op->table = "users";
	op->name = "nope";
	check_refused(state, op, "table users has no column nope");
	rt_schema_free(state);
}

static void test_alter_column(void)
{
	rt_schema *state = base_state();
	rt_op *op = op_at(RT_OP_ALTER_COLUMN, 30);
	op->table = "posts";
	op->name = "title";
	op->set_type = true;
	op->type = (rt_type){.kind = RT_TYPE_STRING, .length = 100};
	op->null_change = RT_ALTER_NULL_SET;
	op->default_change = RT_ALTER_DEFAULT_DROP;
	CHECK_OK(apply(state, op));
	rt_column *title = rt__table_find_column(rt__schema_find_table(state, "posts"), "title");
	CHECK_INT(title->type.kind, RT_TYPE_STRING);
	CHECK_INT(title->type.length, 100);
	CHECK(title->nullable);
	CHECK_INT(title->server_default.kind, RT_LITERAL_NONE);

	op = op_at(RT_OP_ALTER_COLUMN, 31);
	op->table = "posts";
	op->name = "title";
	op->set_type = true;
	op->type = (rt_type){.kind = RT_TYPE_ENUM, .enum_name = "Mood"};
	op->null_change = RT_ALTER_NULL_DROP;
	op->default_change = RT_ALTER_DEFAULT_SET;
	op->server_default = (rt_literal){RT_LITERAL_ENUM, "sad"};
	CHECK_OK(apply(state, op));
	CHECK(title->type.enum_type == state->enums[0]);
	CHECK(!title->nullable);
	CHECK_STR(title->server_default.text, "sad");

	op = op_at(RT_OP_ALTER_COLUMN, 32);
	op->table = "posts";
	op->name = "id";
	op->null_change = RT_ALTER_NULL_SET;
	check_refused(state, op, "posts.id is in the primary key");
	op->null_change = RT_ALTER_NULL_KEEP;
	op->set_type = true;
	op->type = (rt_type){.kind = RT_TYPE_ENUM, .enum_name = "Color"};
	check_refused(state, op, "no such enum");
	rt_schema_free(state);
}

static void test_rename_column(void)
{
	rt_schema *state = base_state();
	rt_op *op = op_at(RT_OP_RENAME_COLUMN, 40);
	op->table = "users";
	op->name = "age";
	op->new_name = "Years";
	CHECK_OK(apply(state, op));
	rt_table *users = rt__schema_find_table(state, "users");
	CHECK(rt__table_find_column(users, "age") == NULL);
	CHECK(rt__table_find_column(users, "Years") != NULL);
	rt_constraint *check = rt__table_find_constraint(users, "ck_users_age");
	CHECK(check != NULL);
	if (check)
		CHECK_STR(check->check, "\"Years\" >= 0");
	CHECK_STR(rt__table_find_index(users, "ix_users_name_age")->keys[1].column, "Years");

	op = op_at(RT_OP_RENAME_COLUMN, 41);
	op->table = "users";
	op->name = "id";
	op->new_name = "user_id";
	CHECK_OK(apply(state, op));
	CHECK_STR(users->primary_key->columns[0], "user_id");
	rt_table *posts = rt__schema_find_table(state, "posts");
	CHECK_STR(rt__table_find_constraint(posts, "fk_posts_user_id_users")->ref_columns[0],
		  "user_id");

	op = op_at(RT_OP_RENAME_COLUMN, 42);
	op->table = "users";
	op->name = "name";
	op->new_name = "mood";
	check_refused(state, op, "table users already has a column mood");
	rt_schema_free(state);
}

static void test_indexes_and_constraints(void)
{
	rt_schema *state = base_state();
	rt_index index = {.name = "ix_posts_title", .keys = (rt_index_key[]){{.column = "title"}},
			  .key_count = 1};
	rt_op *op = op_at(RT_OP_CREATE_INDEX, 50);
	op->table = "posts";
	op->index = &index;
	CHECK_OK(apply(state, op));
	check_refused(state, op, "the name ix_posts_title is already used by an index");
	rt_index clash = {.name = "pk_posts", .keys = (rt_index_key[]){{.column = "title"}},
			  .key_count = 1};
	op->index = &clash;
	check_refused(state, op, "the name pk_posts is already used by a primary key of table "
				 "posts");

	/* Index names are per table: users may have one of the same name;
	 * a drop that names no table must then say which. (Whether the
	 * database takes a second one is checked where the operation is
	 * planned for it: test_ops_render.c.) */
	rt_index same = {.name = "ix_posts_title", .keys = (rt_index_key[]){{.column = "name"}},
			 .key_count = 1};
	op->table = "users";
	op->index = &same;
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_DROP_INDEX, 51);
	op->name = "ix_posts_title";
	check_refused(state, op, "tables users and posts both have an index ix_posts_title; say "
				 "which: drop index ix_posts_title on users");
	op->table = "users";
	CHECK_OK(apply(state, op));
	CHECK_INT(rt__schema_find_table(state, "users")->index_count, 1);
	check_refused(state, op, "no index ix_posts_title on table users");
	op->table = NULL;
	CHECK_OK(apply(state, op));
	CHECK_INT(rt__schema_find_table(state, "posts")->index_count, 0);
	check_refused(state, op, "no index ix_posts_title");

	/* A foreign key must point at a key. */
	rt_constraint fk = {.kind = RT_CONSTRAINT_FOREIGN_KEY, .name = "fk_posts_title_users",
			    .columns = (const char *[]){"title"}, .column_count = 1,
			    .ref_table = "users", .ref_columns = (const char *[]){"mood"},
			    .ref_column_count = 1};
	op = op_at(RT_OP_ADD_CONSTRAINT, 52);
	op->table = "posts";
	op->constraint = &fk;
	check_refused(state, op,
		      "references columns of users that are not its primary key or unique");
	fk.ref_columns = (const char *[]){"name"};
	CHECK_OK(apply(state, op));

	/* uq_users_name now backs that key. */
	op = op_at(RT_OP_DROP_CONSTRAINT, 53);
	op->table = "users";
	op->name = "uq_users_name";
	check_refused(state, op,
		      "foreign key fk_posts_title_users of table posts needs uq_users_name");
	op = op_at(RT_OP_DROP_CONSTRAINT, 54);
	op->table = "posts";
	op->name = "fk_posts_title_users";
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_DROP_CONSTRAINT, 55);
	op->table = "users";
	op->name = "uq_users_name";
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_DROP_CONSTRAINT, 56);
	op->table = "users";
	op->name = "pk_users";
	check_refused(state, op, "needs pk_users");

	rt_constraint check = {.kind = RT_CONSTRAINT_CHECK, .name = "ck_posts_title",
			       .check = "length(title) > 0"};
	op = op_at(RT_OP_ADD_CONSTRAINT, 57);
	op->table = "posts";
	op->constraint = &check;
	CHECK_OK(apply(state, op));
	check_refused(state, op, "table posts already has a constraint ck_posts_title");
	rt_schema_free(state);
}

static void test_enums(void)
{
	rt_schema *state = base_state();
	rt_op *op = op_at(RT_OP_ALTER_ENUM_ADD, 60);
	op->name = "Mood";
	op->value = "meh";
	CHECK_OK(apply(state, op));
	CHECK_INT(state->enums[0]->value_count, 3);
	CHECK_STR(state->enums[0]->values[2], "meh");
	check_refused(state, op, "enum Mood already has the value 'meh'");

	op = op_at(RT_OP_DROP_ENUM, 61);
	op->name = "Mood";
	check_refused(state, op, "column users.mood still uses enum Mood");
	op = op_at(RT_OP_DROP_COLUMN, 62);
	op->table = "users";
	op->name = "mood";
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_DROP_ENUM, 63);
	op->name = "Mood";
	CHECK_OK(apply(state, op));
	CHECK_INT(state->enum_count, 0);
	CHECK(rt__schema_find_enum(state, "Mood") == NULL);
	op = op_at(RT_OP_CREATE_ENUM, 64);
	op->enum_def = rt__schema_find_enum(scratch, "Mood");
	CHECK_OK(apply(state, op));
	check_refused(state, op, "enum Mood already exists");
	rt_schema_free(state);
}

static void test_data_operations(void)
{
	rt_schema *state = base_state();
	rt_literal row[2] = {{RT_LITERAL_NUMBER, "1"}, {RT_LITERAL_STRING, "it's"}};
	rt_literal *rows[1] = {row};
	rt_op *op = op_at(RT_OP_INSERT, 70);
	op->table = "users";
	op->columns = (const char *[]){"id", "name"};
	op->column_count = 2;
	op->rows = rows;
	op->row_count = 1;
	CHECK_OK(apply(state, op));
	op->columns = (const char *[]){"id", "nick"};
	check_refused(state, op, "m.rt:70:3: insert: table users has no column nick");
	op = op_at(RT_OP_EXECUTE, 71);
	op->sql = "UPDATE users SET name = 'x'";
	CHECK_OK(apply(state, op));
	rt_schema_free(state);
}

/* Replaying a script and its inverse gives back where it started. */
static void test_round_trip(void)
{
	rt_schema *state = base_state();
	rt_schema *before = base_state();
	rt_op *op = op_at(RT_OP_ADD_COLUMN, 80);
	op->table = "users";
	op->name = "note";
	op->def = def("extra");
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_RENAME_COLUMN, 81);
	op->table = "posts";
	op->name = "title";
	op->new_name = "headline";
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_RENAME_TABLE, 82);
	op->table = "posts";
	op->new_name = "articles";
	CHECK_OK(apply(state, op));

	op = op_at(RT_OP_RENAME_TABLE, 83);
	op->table = "articles";
	op->new_name = "posts";
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_RENAME_COLUMN, 84);
	op->table = "posts";
	op->name = "headline";
	op->new_name = "title";
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_DROP_COLUMN, 85);
	op->table = "users";
	op->name = "note";
	CHECK_OK(apply(state, op));
	check_equal(state, before);
	rt_schema_free(before);
	rt_schema_free(state);
}

/* A partition comes after its partitioned table, has no columns or keys of
 * its own (indexes it may have), keeps the table from going, and follows
 * its rename. */
static void test_partitions(void)
{
	rt_schema *defs = parse("table events partition by range (at) {\n"
				"  id  bigint\n"
				"  at  timestamp\n"
				"  primary key (id, at)\n"
				"}\n"
				"table events_old partition of events for values "
				"'FROM (MINVALUE) TO (''2024-01-01'')' {\n"
				"  check old_id 'id > 0'\n"
				"}\n"
				"table loose partition by list (a) {\n"
				"  a  int\n"
				"}\n"
				"table loose_rest partition of loose default\n");
	CHECK(defs != NULL);
	if (!defs)
		return;
	rt_schema *state = rt__op_state_new();
	rt_op *op = op_at(RT_OP_CREATE_TABLE, 1);
	op->table = "events_old";
	op->def = rt__schema_find_table(defs, "events_old");
	check_refused(state, op, "m.rt:1:3: create table: table events_old is to be a partition "
				 "of events, which does not exist at this point");
	op = op_at(RT_OP_CREATE_TABLE, 2);
	op->table = "events";
	op->def = rt__schema_find_table(defs, "events");
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_CREATE_TABLE, 3);
	op->table = "events_old";
	op->def = rt__schema_find_table(defs, "events_old");
	CHECK_OK(apply(state, op));
	rt_table *old = rt__schema_find_table(state, "events_old");
	CHECK(old && old->column_count == 0 && old->partition_bound &&
	      strcmp(old->partition_of, "events") == 0 && old->constraint_count == 1);

	/* A table that is not partitioned takes no partition. */
	op = op_at(RT_OP_CREATE_TABLE, 4);
	op->table = "loose";
	op->def = def("loose");
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_CREATE_TABLE, 5);
	op->table = "loose_rest";
	op->def = rt__schema_find_table(defs, "loose_rest");
	check_refused(state, op, "table loose_rest is to be a partition of loose, which is not "
				 "partitioned");

	/* Its columns are its partitioned table's; its indexes are its own,
	 * on those columns. */
	op = op_at(RT_OP_ADD_COLUMN, 6);
	op->table = "events_old";
	op->name = "id";
	op->def = def("loose");
	check_refused(state, op, "table events_old is a partition of events: its columns and "
				 "keys are those of events; change events instead");
	rt_index bad = {.name = "ix_bad", .keys = (rt_index_key[]){{.column = "a"}}, .key_count = 1};
	op = op_at(RT_OP_CREATE_INDEX, 7);
	op->table = "events_old";
	op->index = &bad;
	check_refused(state, op, "uses column a, which table events does not have");
	rt_index ix = {.name = "ix_old", .keys = (rt_index_key[]){{.column = "id"}}, .key_count = 1};
	op->index = &ix;
	CHECK_OK(apply(state, op));
	CHECK(rt__table_find_index(rt__schema_find_table(state, "events_old"), "ix_old") != NULL);

	/* The partitioned table goes after its partitions. */
	op = op_at(RT_OP_DROP_TABLE, 8);
	op->table = "events";
	check_refused(state, op, "table events still has partition events_old");

	/* A rename of the partitioned table carries its partitions along. */
	op = op_at(RT_OP_RENAME_TABLE, 9);
	op->table = "events";
	op->new_name = "happenings";
	CHECK_OK(apply(state, op));
	old = rt__schema_find_table(state, "events_old");
	CHECK(old && strcmp(old->partition_of, "happenings") == 0);
	op = op_at(RT_OP_DROP_TABLE, 10);
	op->table = "events_old";
	CHECK_OK(apply(state, op));
	op = op_at(RT_OP_DROP_TABLE, 11);
	op->table = "happenings";
	CHECK_OK(apply(state, op));
	rt_schema_free(state);
	rt_schema_free(defs);
}

int main(void)
{
	scratch = parse(defs_text);
	if (!scratch)
		return 1;
	RT_RUN(test_create_matches_declaration);
	RT_RUN(test_create_refusals);
	RT_RUN(test_rename_table);
	RT_RUN(test_rename_sql_object);
	RT_RUN(test_drop_primary_key_by_kind);
	RT_RUN(test_drop_table);
	RT_RUN(test_add_and_drop_column);
	RT_RUN(test_alter_column);
	RT_RUN(test_rename_column);
	RT_RUN(test_indexes_and_constraints);
	RT_RUN(test_enums);
	RT_RUN(test_data_operations);
	RT_RUN(test_round_trip);
	RT_RUN(test_partitions);
	rt_schema_free(scratch);
	return rt_test_done();
}
