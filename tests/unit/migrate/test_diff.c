/* Unit tests for src/migrate/diff*.c (autogenerate): pairs of parsed
 * schemas, one per kind of difference. Each test checks the operations
 * (kinds and fields, written out as one line each), and every diff is
 * checked for the properties that make it a migration (diff_check.h).
 * Enum types have their own file, test_diff_enums.c. */
#include "diff_check.h"

/* --- schemas ------------------------------------------------------------------------- */

#define USERS                                                                   \
	"table users {\n"                                                       \
	"  id    bigint      primary key\n"                                     \
	"  name  string(50)\n"                                                  \
	"}\n"

#define POSTS                                                                   \
	"table posts {\n"                                                       \
	"  id       bigint  primary key\n"                                      \
	"  user_id  bigint  references users(id)\n"                             \
	"}\n"

/* --- tests ------------------------------------------------------------------------- */

static void test_no_changes(void)
{
	diff(USERS POSTS, POSTS USERS);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	CHECK_STR(downgrade(), "");
	CHECK_INT(r.warnings.count, 0);
}

static void test_create_tables_in_key_order(void)
{
	diff("table other { x int }\n", POSTS USERS "table other { x int }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "create table users | id name primary key (id)\n"
		  "create table posts | id user_id primary key (id) foreign key (user_id) "
		  "references users(id)\n");
	CHECK_STR(downgrade(),
		  "drop table posts | id user_id primary key (id) foreign key (user_id) "
		  "references users(id)\n"
		  "drop table users | id name primary key (id)\n");
}

static void test_drop_tables_with_definitions(void)
{
	diff(USERS POSTS "table tags { name text  index }\n", "table tags { name text  index }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop table posts | id user_id primary key (id) foreign key (user_id) "
		  "references users(id)\n"
		  "drop table users | id name primary key (id)\n");
	const rt_table *users = r.m.upgrade.items[1]->def;
	CHECK_INT(users->columns[1]->type.kind, RT_TYPE_STRING);
	CHECK_INT(users->columns[1]->type.length, 50);
	CHECK_STR(users->primary_key->name, "pk_users");
}

static void test_foreign_key_cycles(void)
{
	const char *cycle = "table a { id int primary key\n b_id int? references b(id) }\n"
			    "table b { id int primary key\n a_id int? references a(id) }\n";
	diff("table z { x int }\n", cycle);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop table z | x\n"
		  "create table a | id b_id primary key (id)\n"
		  "create table b | id a_id primary key (id) foreign key (a_id) references a(id)\n"
		  "add fk_a_b_id_b on a | foreign key (b_id) references b(id)\n");
	diff(cycle, "table z { x int }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop constraint fk_b_a_id_a on b | foreign key (a_id) references a(id)\n"
		  "drop table a | id b_id primary key (id) foreign key (b_id) references b(id)\n"
		  "drop table b | id a_id primary key (id)\n"
		  "create table z | x\n");
}

#define TREE "table nodes { id int primary key\n parent_id int? references nodes(id) }\n"

static void test_self_reference(void)
{
	diff(USERS, USERS TREE);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "create table nodes | id parent_id primary key (id) foreign key "
			     "(parent_id) references nodes(id)\n");
	diff(USERS "table nodes { id int primary key }\n", USERS TREE);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "add column nodes.parent_id | int?\n"
			     "add fk_nodes_parent_id_nodes on nodes | foreign key (parent_id) "
			     "references nodes(id)\n");
	diff(USERS TREE, USERS);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "drop table nodes | id parent_id primary key (id) foreign key "
			     "(parent_id) references nodes(id)\n");
}

static void test_add_and_drop_columns(void)
{
	diff(USERS, "table users {\n id bigint primary key\n email string?\n"
		    " age int server default 0\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "add column users.email | string?\n"
		  "add column users.age | int\n"
		  "drop column users.name | string(50)\n");
	/* Without a server default, a NOT NULL column is added nullable and
	 * then made NOT NULL; its drop carries the full definition. */
	CHECK_STR(downgrade(),
		  "add column users.name | string(50)?\n"
		  "alter column users.name not null\n"
		  "drop column users.age | int\n"
		  "drop column users.email | string?\n");
	const rt_column *age = r.m.upgrade.items[1]->def->columns[0];
	CHECK_INT(age->server_default.kind, RT_LITERAL_NUMBER);
	CHECK_STR(age->server_default.text, "0");
}

static void test_alter_columns(void)
{
	diff("table t {\n id int primary key\n a string(50)\n b text?\n c int server default 1\n"
	     " d text server default 'x'\n}\n",
	     "table t {\n id int primary key\n a string(100)\n b text\n c int server default 2\n"
	     " d text\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "alter column t.a type string(100)\n"
		  "alter column t.b not null\n"
		  "alter column t.c server default 2\n"
		  "alter column t.d drop server default\n");
	CHECK_STR(downgrade(),
		  "alter column t.d server default 'x'\n"
		  "alter column t.c server default 1\n"
		  "alter column t.b null\n"
		  "alter column t.a type string(50)\n");
}

static void test_alter_several_things_at_once(void)
{
	diff("table t {\n id int primary key\n a int?\n}\n",
	     "table t {\n id int primary key\n a bigint server default 5\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter column t.a type bigint not null server default 5\n");
	CHECK_STR(downgrade(), "alter column t.a type int null drop server default\n");
}

static void test_equal_expressions_are_not_changes(void)
{
	/* What PostgreSQL hands back for what the models say. */
	diff("table t {\n id int primary key\n price numeric(10,2) check '(price >= (0)::numeric)'\n"
	     " d text server default sql '(''a''::text)'\n}\n",
	     "table t {\n id int primary key\n price numeric(10,2) check 'price >= 0'\n"
	     " d text server default sql '''a'''\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
}

static void test_rename_column_by_was(void)
{
	diff(USERS POSTS, "table users {\n id bigint primary key\n full_name string(50) was name\n"
			  "}\n" POSTS);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "rename column users.name to full_name\n");
	CHECK_STR(downgrade(), "rename column users.full_name to name\n");
}

static void test_rename_column_follows_keys_and_checks(void)
{
	/* The referenced column and the check follow the rename: no drop/add. */
	diff("table a {\n code int primary key\n n int check 'n > 0 AND \"n\" < 10'\n}\n"
	     "table b {\n id int primary key\n a_code int references a(code)\n}\n",
	     "table a {\n key int primary key was code\n"
	     " m int was n check 'm > 0 AND m < 10'\n}\n"
	     "table b {\n id int primary key\n a_code int references a(key)\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "rename column a.code to key\n"
		  "rename column a.n to m\n"
		  "drop constraint ck_a_n on a | check 'm > 0 AND m < 10'\n"
		  "add ck_a_m on a | check 'm > 0 AND m < 10'\n");
}

static void test_rename_table_by_was(void)
{
	diff(USERS POSTS, "table people was users {\n id bigint primary key\n name string(50)\n}\n"
			  "table posts {\n id bigint primary key\n user_id bigint references "
			  "people(id)\n}\n");
	CHECK_OK(r.rc);
	/* The key names keep their old spelling in the database, as the
	 * models' default names change with the table: dropped and added. */
	CHECK_STR(upgrade(),
		  "rename table users to people\n"
		  "drop constraint fk_posts_user_id_users on posts | foreign key (user_id) "
		  "references people(id)\n"
		  "drop constraint pk_users on people | primary key (id)\n"
		  "add pk_people on people | primary key (id)\n"
		  "add fk_posts_user_id_people on posts | foreign key (user_id) references "
		  "people(id)\n");
}

/* A SQL object's `was`: renamed when the database has the old name and
 * not the new one; its SQL compared beyond the name, the change a
 * replace after the rename; the downgrade the exact inverse. */
static void test_rename_sql_objects_by_was(void)
{
	diff(USERS "view v1 $$ SELECT id FROM users $$\n"
		   "function f1(integer) $$ CREATE FUNCTION f1(integer) RETURNS int AS 1 $$\n",
	     USERS "view v2 was v1 $$ SELECT id FROM users $$\n"
		   "function f2(integer) was f1 $$ CREATE FUNCTION f2(integer) RETURNS int AS 2 $$\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "rename function f1(integer) to f2\n"
		  "rename view v1 to v2\n"
		  "replace function f2 | CREATE FUNCTION f2(integer) RETURNS int AS 2 was "
		  "CREATE FUNCTION f2(integer) RETURNS int AS 1\n");
	CHECK_STR(downgrade(),
		  "replace function f2 | CREATE FUNCTION f2(integer) RETURNS int AS 1 was "
		  "CREATE FUNCTION f2(integer) RETURNS int AS 2\n"
		  "rename view v2 to v1\n"
		  "rename function f2(integer) to f1\n");

	/* Done already (the new name there), or nothing to rename: the
	 * `was` changes nothing. */
	diff(USERS "view v2 $$ SELECT id FROM users $$\n",
	     USERS "view v2 was v1 $$ SELECT id FROM users $$\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	diff(USERS, USERS "view v2 was v1 $$ SELECT id FROM users $$\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "create view v2 | SELECT id FROM users\n");
}

/* MariaDB keeps no name of a primary key's own (it is always PRIMARY):
 * renaming its table renames nothing more there, so nothing is dropped
 * and added for it (dropping the key of an AUTO_INCREMENT column fails). */
static void test_rename_table_keeps_unnamed_primary_key(void)
{
	/* The replay keeps the key's old name, which MariaDB has not. */
	inexact = true;
	diff_with(USERS POSTS,
		  "table people was users {\n id bigint primary key\n name string(50)\n}\n"
		  "table posts {\n id bigint primary key\n user_id bigint references "
		  "people(id)\n}\n",
		  &rt__dialect_mariadb, NULL);
	inexact = false;
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "rename table users to people\n"
		  "drop constraint fk_posts_user_id_users on posts | foreign key (user_id) "
		  "references people(id)\n"
		  "add fk_posts_user_id_people on posts | foreign key (user_id) references "
		  "people(id)\n");
}

/* A unique index the scripts made, on a table renamed in the same step:
 * MariaDB reads it as a unique key, and the drop names it as the scripts
 * made it, which know the table by its old name (a drop constraint of
 * it did not replay). */
static void test_rename_table_keeps_scripted_unique_index(void)
{
	rt_schema *scripts = parse("table t76 {\n id bigint primary key\n a int\n"
				   " unique index ix_t76_a_id (a, id)\n}\n");
	rt_diff_options opts = {.scripts = scripts};
	/* The replay keeps the primary key's old name, which MariaDB has not. */
	replay_scripts = inexact = true;
	diff_with("table t76 {\n id bigint primary key\n a int\n unique ix_t76_a_id (a, id)\n}\n",
		  "table t95 was t76 {\n id bigint primary key\n a int\n unique index (a, id)\n}\n",
		  &rt__dialect_mariadb, &opts);
	replay_scripts = inexact = false;
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "rename table t76 to t95\n"
			     "drop unique index ix_t76_a_id on t95 (a, id)\n"
			     "create unique index ix_t95_a_id on t95 (a, id)\n");
	rt_schema_free(scripts);
}

/* A dropped table's definition spells a unique index the scripts made as
 * one, though MariaDB reads it as a unique key: the downgrade makes it
 * again as what an earlier script's downgrade drops. */
static void test_dropped_table_keeps_scripted_unique_index(void)
{
	rt_schema *scripts = parse("table t1 {\n id bigint primary key\n a int\n"
				   " unique index ix_t1_a (a)\n}\n"
				   "table t2 {\n id bigint primary key\n}\n");
	rt_diff_options opts = {.scripts = scripts};
	replay_scripts = true;
	diff_with("table t1 {\n id bigint primary key\n a int\n unique ix_t1_a (a)\n}\n"
		  "table t2 {\n id bigint primary key\n}\n",
		  "table t2 {\n id bigint primary key\n}\n", &rt__dialect_mariadb, &opts);
	replay_scripts = false;
	CHECK_OK(r.rc);
	const rt_op *create = r.m.downgrade.count == 1 ? r.m.downgrade.items[0] : NULL;
	CHECK(create && create->kind == RT_OP_CREATE_TABLE && create->def);
	if (create && create->def) {
		CHECK_INT(create->def->constraint_count, 0);
		CHECK_INT(create->def->index_count, 1);
	}
	rt_schema_free(scripts);
}

static void test_rename_model_by_was(void)
{
	diff("model User {\n id bigint primary key\n}\n",
	     "model Person was User {\n id bigint primary key\n table 'users'\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	diff("model User {\n id bigint primary key\n}\n",
	     "model Member was User {\n id bigint primary key\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "rename table users to members\n"
		  "drop constraint pk_users on members | primary key (id)\n"
		  "add pk_members on members | primary key (id)\n");
}

static void test_stated_renames(void)
{
	rt_diff_rename renames[] = {{NULL, "users", "people"}, {"users", "name", "full_name"}};
	rt_diff_options opts = {.renames = renames, .rename_count = 2};
	diff_with(USERS, "table people {\n id bigint primary key\n full_name string(50)\n}\n", NULL,
		  &opts);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "rename table users to people\n"
		  "rename column people.name to full_name\n"
		  "drop constraint pk_users on people | primary key (id)\n"
		  "add pk_people on people | primary key (id)\n");

	rt_diff_rename bad[] = {{"users", "nope", "full_name"}};
	opts = (rt_diff_options){.renames = bad, .rename_count = 1};
	diff_with(USERS, "table users {\n id bigint primary key\n full_name string(50)\n}\n",
		  NULL, &opts);
	CHECK_INT(r.rc, RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "has no column nope") != NULL);

	rt_diff_rename no_table[] = {{NULL, "ghosts", "people"}};
	opts = (rt_diff_options){.renames = no_table, .rename_count = 1};
	diff_with(USERS, "table people {\n id bigint primary key\n}\n", NULL, &opts);
	CHECK_INT(r.rc, RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "the database has no table ghosts") != NULL);
}

static void test_renames_in_a_chain_and_a_cycle(void)
{
	/* b -> c must go before a -> b. */
	diff("table t {\n id int primary key\n a int\n b int\n}\n",
	     "table t {\n id int primary key\n b int was a\n c int was b\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "rename column t.b to c\nrename column t.a to b\n");
	diff("table t {\n id int primary key\n a int\n b int\n}\n",
	     "table t {\n id int primary key\n b int was a\n a int was b\n}\n");
	CHECK_INT(r.rc, RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "two revisions") != NULL);
}

static int answer_yes(void *ctx, const char *table, const char *from, const char *to)
{
	char *log = ctx;
	size_t len = strlen(log);
	snprintf(log + len, 256 - len, "%s:%s->%s;", table ? table : "-", from, to);
	return 1;
}

static int answer_no(void *ctx, const char *table, const char *from, const char *to)
{
	(void)table, (void)from, (void)to;
	++*(int *)ctx;
	return 0;
}

static int answer_error(void *ctx, const char *table, const char *from, const char *to)
{
	(void)ctx, (void)table, (void)from, (void)to;
	return rt__error_set(RT_EIO, "stdin closed");
}

static void test_likely_renames(void)
{
	const char *renamed = "table users {\n id bigint primary key\n nick string(50)\n}\n";
	/* Without a callback: drop + add and a warning naming both. */
	diff(USERS, renamed);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "add column users.nick | string(50)?\n"
			     "alter column users.nick not null\n"
			     "drop column users.name | string(50)\n");
	check_warned("column users.nick has the type of name");

	char log[256] = "";
	rt_diff_options opts = {.ask_rename = answer_yes, .ask_ctx = log};
	diff_with(USERS, renamed, NULL, &opts);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "rename column users.name to nick\n");
	CHECK_STR(log, "users:name->nick;");
	CHECK_INT(r.warnings.count, 0);

	int asked = 0;
	opts = (rt_diff_options){.ask_rename = answer_no, .ask_ctx = &asked};
	diff_with(USERS, renamed, NULL, &opts);
	CHECK_OK(r.rc);
	CHECK_INT(asked, 1);
	CHECK_STR(upgrade(), "add column users.nick | string(50)?\n"
			     "alter column users.nick not null\n"
			     "drop column users.name | string(50)\n");
	CHECK_INT(r.warnings.count, 0);

	opts = (rt_diff_options){.ask_rename = answer_error};
	diff_with(USERS, renamed, NULL, &opts);
	CHECK_INT(r.rc, RT_EIO);
	CHECK_INT(r.m.upgrade.count, 0);

	/* A different type is no candidate. */
	diff(USERS, "table users {\n id bigint primary key\n nick string(60)\n}\n");
	CHECK_INT(r.warnings.count, 0);

	/* Tables with the same columns. */
	log[0] = '\0';
	opts = (rt_diff_options){.ask_rename = answer_yes, .ask_ctx = log};
	diff_with(USERS, "table members {\n id bigint primary key\n name string(50)\n}\n", NULL,
		  &opts);
	CHECK_OK(r.rc);
	CHECK_STR(log, "-:users->members;");
	CHECK(strncmp(upgrade(), "rename table users to members\n", 30) == 0);
	diff(USERS, "table members {\n id bigint primary key\n name string(50)\n}\n");
	check_warned("table members has the columns of users");
}

static void test_primary_key_change(void)
{
	diff("table t {\n a text\n b text\n primary key (a)\n}\n"
	     "table u {\n id int primary key\n t_a text references t(a)\n}\n",
	     "table t {\n a text\n b text\n primary key (a, b)\n}\n"
	     "table u {\n id int primary key\n t_a text\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop constraint fk_u_t_a_t on u | foreign key (t_a) references t(a)\n"
		  "drop constraint pk_t on t | primary key (a)\n"
		  "add pk_t on t | primary key (a, b)\n");
}

static void test_foreign_key_follows_its_key(void)
{
	/* The unique key users.code is replaced: the unchanged foreign key to
	 * it is dropped before and added after. */
	diff("table users {\n id int primary key\n code int unique\n}\n"
	     "table posts {\n id int primary key\n code int references users(code)\n}\n",
	     "table users {\n id int primary key\n code int\n unique users_code_key (code)\n}\n"
	     "table posts {\n id int primary key\n code int references users(code)\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop constraint fk_posts_code_users on posts | foreign key (code) references "
		  "users(code)\n"
		  "drop constraint uq_users_code on users | unique (code)\n"
		  "add users_code_key on users | unique (code)\n"
		  "add fk_posts_code_users on posts | foreign key (code) references users(code)\n");
}

static void test_constraints_and_indexes(void)
{
	diff("table t {\n id int primary key\n a int unique\n b int index\n c int check 'c > 0'\n"
	     " d int\n}\n",
	     "table t {\n id int primary key\n a int\n b int\n c int check 'c > 1'\n"
	     " d int\n e int? references t(id) on delete cascade\n"
	     " index (a, b)\n unique index (d)\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop constraint uq_t_a on t | unique (a)\n"
		  "drop constraint ck_t_c on t | check 'c > 0'\n"
		  "drop index ix_t_b on t (b)\n"
		  "add column t.e | int?\n"
		  "create unique index ix_t_d on t (d)\n"
		  "add ck_t_c on t | check 'c > 1'\n"
		  "create index ix_t_a_b on t (a, b)\n"
		  "add fk_t_e_t on t | foreign key (e) references t(id) on delete cascade\n");
}

static void test_index_changes_are_drop_and_create(void)
{
	diff("table t {\n id int primary key\n a int\n b int\n index ix (a)\n}\n",
	     "table t {\n id int primary key\n a int\n b int\n unique index ix (a, b)\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "drop index ix on t (a)\ncreate unique index ix on t (a, b)\n");
}

/* Index names are per table: one of a name in a second table is its own
 * index, added and dropped with its table; where the database shares
 * index names between tables (PostgreSQL), models with one in two tables
 * are refused before any operation is written. An index of the database
 * is managed when the models declare one of its name on its table: an
 * index of that name on another table does not make it so. */
static void test_index_names_per_table(void)
{
	static const char *const one =
		"table t1 {\n id int primary key\n a int\n index ix (a)\n}\n"
		"table t2 {\n id int primary key\n b int\n}\n";
	static const char *const both =
		"table t1 {\n id int primary key\n a int\n index ix (a)\n}\n"
		"table t2 {\n id int primary key\n b int\n index ix (b)\n}\n";
	diff(one, both);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "create index ix on t2 (b)\n");
	CHECK_STR(downgrade(), "drop index ix on t2 (b)\n");
	diff(both, one);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "drop index ix on t2 (b)\n");

	diff_with(one, both, &rt__dialect_postgres, NULL);
	CHECK_INT(r.rc, RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "index ix of table t2: the index of table t1 has "
					       "that name, and on postgresql") != NULL);
	CHECK_INT(r.m.upgrade.count, 0);

	rt_schema *scripts = parse(one);
	rt_diff_warnings unmanaged = {0};
	rt_diff_options opts = {.scripts = scripts, .unmanaged = &unmanaged};
	diff_with(both, one, NULL, &opts);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	CHECK_INT(unmanaged.count, 1);
	if (unmanaged.count == 1)
		CHECK_STR(unmanaged.items[0], "index ix on t2");
	rt_schema_free(scripts);
}

static void test_sqlite_canonical_forms(void)
{
	/* SQLite tells no timestamptz from timestamp and keeps no comments. */
	const char *a = "table t {\n id int primary key\n at timestamp\n}\n";
	const char *b = "table t {\n id int primary key\n at timestamptz  comment 'when'\n"
			"} \n";
	diff_with(a, b, &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	CHECK_INT(r.warnings.count, 0);
	/* What operations carry is what the models say, so that the script
	 * keeps it for PostgreSQL. */
	diff_with("table u { id int primary key }\n", b, &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "drop table u | id primary key (id)\n"
			     "create table t | id at primary key (id)\n");
	const rt_table *t = r.m.upgrade.count == 2 ? r.m.upgrade.items[1]->def : NULL;
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(t->columns[1]->type.kind, RT_TYPE_TIMESTAMPTZ);
	CHECK_STR(t->columns[1]->comment, "when");
	CHECK_INT(t->columns[0]->type.kind, RT_TYPE_INT);
	diff_with("table t {\n id int primary key\n at timestamp?\n}\n", b, &rt__dialect_sqlite,
		  NULL);
	CHECK_STR(upgrade(), "alter column t.at not null\n");
	diff_with("table t {\n id int primary key\n at date\n}\n", b, &rt__dialect_sqlite, NULL);
	CHECK_STR(upgrade(), "alter column t.at type timestamptz\n");

	inexact = true;
	diff_with(a, b, &rt__dialect_postgres, NULL);
	inexact = false;
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter column t.at type timestamptz comment 'when'\n");
	CHECK_STR(downgrade(), "alter column t.at type timestamp drop comment\n");
}

/* Comments are migrated where the database keeps them: a table's by
 * alter table, a column's by alter column (with its other changes), each
 * undone exactly by the downgrade. */
static void test_comment_changes(void)
{
	const char *a = "table t {\n comment 'old'\n id int primary key\n"
			" a int comment 'first'\n b int\n c int comment 'gone'\n}\n";
	const char *b = "table t {\n id int primary key\n a int comment 'second'\n"
			" b int? comment 'new'\n c int\n}\n";
	diff_with(a, b, &rt__dialect_postgres, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter table t drop comment\n"
			     "alter column t.a comment 'second'\n"
			     "alter column t.b null comment 'new'\n"
			     "alter column t.c drop comment\n");
	CHECK_STR(downgrade(), "alter column t.c comment 'gone'\n"
			       "alter column t.b not null drop comment\n"
			       "alter column t.a comment 'first'\n"
			       "alter table t comment 'old'\n");
	/* SQLite keeps no comments: nothing to do, and no drift. */
	diff_with(a, b, &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter column t.b null\n");
}

static void test_ignored_tables(void)
{
	const char *versions = "table alembic_version { version_num string(32) primary key }\n"
			       "table retort_history { revision string(32) }\n"
			       "table locks { id int }\n";
	const char *ignore[] = {"locks"};
	rt_diff_options opts = {.ignore_tables = ignore, .ignore_count = 1};
	diff_with(USERS, USERS, NULL, &opts);
	diff_with(USERS "table locks { id int }\n", USERS, NULL, &opts);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	rt_schema *from = parse(versions), *to = parse(USERS);
	rt_migration m = {0};
	CHECK_OK(rt__diff_schemas(&m, from, to, NULL, &opts));
	CHECK_STR(ops_text(&m.upgrade), "create table users | id name primary key (id)\n");
	rt_schema_free(m.scratch);
	rt_schema_free(from);
	rt_schema_free(to);

	/* The enum an ignored table uses is not dropped. */
	inexact = true;
	diff_with("enum Lock { held, free }\ntable locks { id int\n state Lock }\n" USERS, USERS,
		  NULL, &opts);
	inexact = false;
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
}

static void test_autoincrement_is_a_warning(void)
{
	inexact = true;
	diff("table t {\n id int\n}\n", "table t {\n id int primary key\n}\n");
	inexact = false;
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "add pk_t on t | primary key (id)\n");
	check_warned("column t.id: autoincrement is off in the database and on in the models");
}

static void test_parse_rename(void)
{
	rt_arena *arena = rt__arena_new();
	rt_diff_rename rn;
	CHECK_OK(rt__diff_parse_rename(&rn, arena, "users.name=full_name"));
	CHECK_STR(rn.table, "users");
	CHECK_STR(rn.from, "name");
	CHECK_STR(rn.to, "full_name");
	CHECK_OK(rt__diff_parse_rename(&rn, arena, "old=new"));
	CHECK(rn.table == NULL);
	CHECK_STR(rn.from, "old");
	CHECK_STR(rn.to, "new");
	CHECK_INT(rt__diff_parse_rename(&rn, arena, "users.name"), RT_EUSAGE);
	CHECK_INT(rt__diff_parse_rename(&rn, arena, "a=b.c"), RT_EUSAGE);
	CHECK_INT(rt__diff_parse_rename(&rn, arena, "=b"), RT_EUSAGE);
	CHECK_INT(rt__diff_parse_rename(&rn, arena, ".a=b"), RT_EUSAGE);
	rt__arena_free(arena);
}

static void test_appends_to_lists_and_scratch(void)
{
	rt_schema *from = parse(USERS), *to = parse(USERS POSTS);
	rt_migration m = {0};
	CHECK_OK(rt__diff_schemas(&m, from, to, NULL, NULL));
	CHECK(m.scratch != NULL);
	CHECK_INT(m.upgrade.count, 1);
	CHECK_OK(rt__diff_schemas(&m, from, to, NULL, NULL));
	CHECK_INT(m.upgrade.count, 2);
	CHECK_INT(m.downgrade.count, 2);
	CHECK_INT(rt__diff_schemas(&m, NULL, to, NULL, NULL), RT_EINVAL);
	rt_schema_free(m.scratch);
	rt_schema_free(from);
	rt_schema_free(to);
}

int main(void)
{
	RT_RUN(test_no_changes);
	RT_RUN(test_create_tables_in_key_order);
	RT_RUN(test_drop_tables_with_definitions);
	RT_RUN(test_foreign_key_cycles);
	RT_RUN(test_self_reference);
	RT_RUN(test_add_and_drop_columns);
	RT_RUN(test_alter_columns);
	RT_RUN(test_alter_several_things_at_once);
	RT_RUN(test_equal_expressions_are_not_changes);
	RT_RUN(test_rename_column_by_was);
	RT_RUN(test_rename_column_follows_keys_and_checks);
	RT_RUN(test_rename_table_by_was);
	RT_RUN(test_rename_sql_objects_by_was);
	RT_RUN(test_rename_table_keeps_unnamed_primary_key);
	RT_RUN(test_rename_table_keeps_scripted_unique_index);
	RT_RUN(test_dropped_table_keeps_scripted_unique_index);
	RT_RUN(test_rename_model_by_was);
	RT_RUN(test_stated_renames);
	RT_RUN(test_renames_in_a_chain_and_a_cycle);
	RT_RUN(test_likely_renames);
	RT_RUN(test_primary_key_change);
	RT_RUN(test_foreign_key_follows_its_key);
	RT_RUN(test_constraints_and_indexes);
	RT_RUN(test_index_changes_are_drop_and_create);
	RT_RUN(test_index_names_per_table);
	RT_RUN(test_sqlite_canonical_forms);
	RT_RUN(test_comment_changes);
	RT_RUN(test_ignored_tables);
	RT_RUN(test_autoincrement_is_a_warning);
	RT_RUN(test_parse_rename);
	RT_RUN(test_appends_to_lists_and_scratch);
	result_free();
	return rt_test_done();
}
