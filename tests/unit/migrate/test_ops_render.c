/* Unit tests for src/migrate/ops_render.c and rebuild.c: the SQL text of
 * operations on each dialect, offline (no database). What runs and what
 * the database makes of it is tests/integration/test_ops.c. */
#include "test.h"

#include "migrate/ops.h"
#include "retort.h"

static rt_schema *state;
static rt_schema *defs[32];
static size_t def_count;

static rt_schema *parse(const char *text)
{
	rt_schema *s = NULL;
	if (rt_schema_parse_string(&s, text, strlen(text), "defs.rt", NULL) != RT_OK)
		fprintf(stderr, "parse: %s\n", rt_error_last()->message);
	else if (def_count < sizeof(defs) / sizeof(defs[0]))
		defs[def_count++] = s;
	else
		CHECK(!"more schemas than defs[] keeps (to free at the end): make it larger");
	return s;
}

static rt_op make(rt_op_kind kind, const char *table)
{
	rt_op op = {.kind = kind, .table = table, .pos = {"m.rt", 7, 3}};
	return op;
}

/* The statements of op on dialect, joined as `retort sql` joins them;
 * NULL (error recorded) when rendering fails. Free with free(). */
static char *render(const rt_op *op, const rt_dialect *dialect)
{
	rt_arena *arena = rt__arena_new();
	rt_sql_list list = {0};
	char *text = NULL;
	if (rt__op_render(arena, &list, op, state, dialect) == RT_OK) {
		rt_buf buf = RT_BUF_INIT;
		rt__ddl_join(&buf, &list);
		text = rt__buf_detach(&buf);
	}
	rt__arena_free(arena);
	return text;
}

static void check_sql(const rt_op *op, const rt_dialect *dialect, const char *expected)
{
	char *text = render(op, dialect);
	if (!text)
		fprintf(stderr, "render: %s\n", rt_error_last()->message);
	CHECK_STR(text, expected);
	free(text);
}

static void test_create_table_and_enum(void)
{
	rt_schema *s = parse("enum Mood { happy, sad }\n"
			     "table notes { id int primary key\n mood Mood? }");
	rt_op op = make(RT_OP_CREATE_ENUM, NULL);
	op.enum_def = rt__schema_find_enum(s, "Mood");
	check_sql(&op, &rt__dialect_postgres, "CREATE TYPE \"mood\" AS ENUM ('happy', 'sad');\n");
	check_sql(&op, &rt__dialect_sqlite, "");

	op = make(RT_OP_CREATE_TABLE, "notes");
	op.def = rt__schema_find_table(s, "notes");
	/* The state's enum has grown a value since: the CHECK lists it. */
	check_sql(&op, &rt__dialect_sqlite,
		  "CREATE TABLE \"notes\" (\n"
		  "  \"id\" INTEGER NOT NULL CONSTRAINT \"pk_notes\" PRIMARY KEY,\n"
		  "  \"mood\" VARCHAR(5),\n"
		  "  CONSTRAINT \"ck_notes_mood_enum\" CHECK "
		  "(\"mood\" IN ('happy', 'sad', 'so-so'))\n"
		  ");\n");
}

static void test_alter_column(void)
{
	rt_op op = make(RT_OP_ALTER_COLUMN, "posts");
	op.name = "title";
	op.set_type = true;
	op.type = (rt_type){.kind = RT_TYPE_ENUM, .enum_name = "Mood"};
	op.null_change = RT_ALTER_NULL_SET;
	/* The old default is taken off around the type change and put back. */
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP DEFAULT;\n"
		  "ALTER TABLE \"posts\" ALTER COLUMN \"title\" TYPE \"mood\" "
		  "USING \"title\"::\"mood\";\n"
		  "ALTER TABLE \"posts\" ALTER COLUMN \"title\" SET DEFAULT 'untitled';\n"
		  "ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP NOT NULL;\n");
	op.using_expr = "upper(title)::mood";
	op.default_change = RT_ALTER_DEFAULT_DROP;
	op.null_change = RT_ALTER_NULL_KEEP;
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP DEFAULT;\n"
		  "ALTER TABLE \"posts\" ALTER COLUMN \"title\" TYPE \"mood\" "
		  "USING upper(title)::mood;\n");

	/* From an integer, the cast goes through text. */
	op = make(RT_OP_ALTER_COLUMN, "posts");
	op.name = "user_id";
	op.set_type = true;
	op.type = (rt_type){.kind = RT_TYPE_ENUM, .enum_name = "Mood"};
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"posts\" ALTER COLUMN \"user_id\" TYPE \"mood\" "
		  "USING \"user_id\"::text::\"mood\";\n");

	/* SQLite: the full rebuild, the index recreated. */
	op = make(RT_OP_ALTER_COLUMN, "posts");
	op.name = "title";
	op.null_change = RT_ALTER_NULL_SET;
	check_sql(&op, &rt__dialect_sqlite,
		  "PRAGMA defer_foreign_keys = ON;\n"
		  "\nCREATE TABLE \"_rt_new_posts\" (\n"
		  "  \"id\" INTEGER NOT NULL CONSTRAINT \"pk_posts\" PRIMARY KEY,\n"
		  "  \"user_id\" INTEGER NOT NULL,\n"
		  "  \"title\" TEXT DEFAULT 'untitled',\n"
		  "  CONSTRAINT \"fk_posts_user_id_users\" FOREIGN KEY (\"user_id\") "
		  "REFERENCES \"users\" (\"id\") ON DELETE CASCADE\n"
		  ");\n"
		  "INSERT INTO \"_rt_new_posts\" (\"id\", \"user_id\", \"title\") "
		  "SELECT \"id\", \"user_id\", \"title\" FROM \"posts\";\n"
		  "\nDROP TABLE \"posts\";\n"
		  "PRAGMA legacy_alter_table = ON;\n"
		  "\nALTER TABLE \"_rt_new_posts\" RENAME TO \"posts\";\n"
		  "PRAGMA legacy_alter_table = OFF;\n"
		  "CREATE INDEX \"ix_posts_title\" ON \"posts\" (\"title\");\n");
}

static void test_add_and_drop_column(void)
{
	rt_op op = make(RT_OP_ADD_COLUMN, "users");
	op.name = "score";
	op.def = rt__schema_find_table(parse("table users { score int server default 0 }"),
				       "users");
	check_sql(&op, &rt__dialect_sqlite,
		  "ALTER TABLE \"users\" ADD COLUMN \"score\" INTEGER NOT NULL DEFAULT 0;\n");

	op.name = "code";
	op.def = rt__schema_find_table(parse("table users { code string(8)? unique }"), "users");
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"users\" ADD COLUMN \"code\" VARCHAR(8);\n"
		  "ALTER TABLE \"users\" ADD CONSTRAINT \"uq_users_code\" UNIQUE (\"code\");\n");
	char *text = render(&op, &rt__dialect_sqlite);
	CHECK(text && strstr(text, "CREATE TABLE \"_rt_new_users\""));
	free(text);

	/* NOT NULL without a default: the rows cannot be filled on SQLite. */
	op.name = "rank";
	op.def = rt__schema_find_table(parse("table users { rank int }"), "users");
	CHECK(render(&op, &rt__dialect_sqlite) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: add column: users.rank is NOT NULL without a server default, and "
		  "rebuilding users on sqlite cannot fill it for the rows the table has; give it "
		  "a server default, or add it nullable, fill it, then make it not null");
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"users\" ADD COLUMN \"rank\" INTEGER NOT NULL;\n");

	/* In an index only: the index goes first, in place. */
	op = make(RT_OP_DROP_COLUMN, "posts");
	op.name = "title";
	check_sql(&op, &rt__dialect_sqlite,
		  "DROP INDEX \"ix_posts_title\";\n"
		  "\nALTER TABLE \"posts\" DROP COLUMN \"title\";\n");
	/* Under a key: PostgreSQL drops it by name, SQLite rebuilds. */
	op.name = "user_id";
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"posts\" DROP CONSTRAINT \"fk_posts_user_id_users\";\n"
		  "ALTER TABLE \"posts\" DROP COLUMN \"user_id\";\n");
	text = render(&op, &rt__dialect_sqlite);
	CHECK(text && strstr(text, "INSERT INTO \"_rt_new_posts\" (\"id\", \"title\") "
				   "SELECT \"id\", \"title\" FROM \"posts\""));
	free(text);
}

static void test_enums_on_sqlite(void)
{
	/* Every table with a column of the enum is rebuilt for its CHECK. */
	rt_op op = make(RT_OP_ALTER_ENUM_ADD, NULL);
	op.name = "Mood";
	op.value = "angry";
	check_sql(&op, &rt__dialect_postgres, "ALTER TYPE \"mood\" ADD VALUE 'angry';\n");
	char *text = render(&op, &rt__dialect_sqlite);
	CHECK(text && strstr(text, "CHECK (\"mood\" IN ('happy', 'sad', 'so-so', 'angry'))"));
	CHECK(text && strstr(text, "DROP TABLE \"users\"") &&
	      !strstr(text, "DROP TABLE \"posts\""));
	free(text);

	/* A value leaves: PostgreSQL recreates the type and converts the
	 * columns through text; SQLite rebuilds with the shorter CHECK. */
	op = make(RT_OP_ALTER_ENUM_DROP, NULL);
	op.name = "Mood";
	op.value = "sad";
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TYPE \"mood\" RENAME TO \"_rt_old_mood\";\n"
		  "\nCREATE TYPE \"mood\" AS ENUM ('happy', 'so-so');\n"
		  "\nALTER TABLE \"users\" ALTER COLUMN \"mood\" TYPE \"mood\" "
		  "USING \"mood\"::text::\"mood\";\n"
		  "\nDROP TYPE \"_rt_old_mood\";\n");
	text = render(&op, &rt__dialect_sqlite);
	CHECK(text && strstr(text, "CHECK (\"mood\" IN ('happy', 'so-so'))"));
	free(text);
	op.value = "angry"; /* not a value of Mood */
	text = render(&op, &rt__dialect_postgres);
	CHECK(text == NULL);
	CHECK(strstr(rt_error_last()->message, "enum Mood has no value 'angry'") != NULL);
	free(text);

	/* Renaming the table renames the CHECK named after it. */
	op = make(RT_OP_RENAME_TABLE, "users");
	op.new_name = "members";
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"users\" RENAME TO \"members\";\n");
	text = render(&op, &rt__dialect_sqlite);
	CHECK(text && strstr(text, "ALTER TABLE \"users\" RENAME TO \"members\";\n") &&
	      strstr(text, "CONSTRAINT \"ck_members_mood_enum\""));
	free(text);

	op = make(RT_OP_DROP_ENUM, NULL);
	op.name = "Mood";
	check_sql(&op, &rt__dialect_sqlite, "");
	check_sql(&op, &rt__dialect_postgres, "DROP TYPE \"mood\";\n");
}

static void test_constraints(void)
{
	rt_constraint check = {.kind = RT_CONSTRAINT_CHECK, .name = "ck_posts_title",
			       .check = "title <> ''"};
	rt_op op = make(RT_OP_ADD_CONSTRAINT, "posts");
	op.constraint = &check;
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"posts\" ADD CONSTRAINT \"ck_posts_title\" CHECK (title <> '');\n");
	char *text = render(&op, &rt__dialect_sqlite);
	CHECK(text && strstr(text, "CONSTRAINT \"ck_posts_title\" CHECK (title <> '')\n);"));
	free(text);
	op = make(RT_OP_DROP_CONSTRAINT, "users");
	op.name = "uq_users_name";
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"users\" DROP CONSTRAINT \"uq_users_name\";\n");
	text = render(&op, &rt__dialect_sqlite);
	CHECK(text && !strstr(text, "uq_users_name"));
	free(text);
}

static void test_data(void)
{
	rt_literal row1[3] = {{RT_LITERAL_NUMBER, "1"}, {RT_LITERAL_STRING, "it's"},
			      {RT_LITERAL_NONE, NULL}};
	rt_literal row2[3] = {{RT_LITERAL_NUMBER, "2"}, {RT_LITERAL_BOOL, "true"},
			      {RT_LITERAL_NOW, "now"}};
	rt_literal *rows[2] = {row1, row2};
	rt_op op = make(RT_OP_INSERT, "users");
	op.columns = (const char *[]){"id", "name", "bio"};
	op.column_count = 3;
	op.rows = rows;
	op.row_count = 2;
	check_sql(&op, &rt__dialect_sqlite,
		  "INSERT INTO \"users\" (\"id\", \"name\", \"bio\") VALUES "
		  "(1, 'it''s', NULL), (2, TRUE, CURRENT_TIMESTAMP);\n");

	op = make(RT_OP_EXECUTE, NULL);
	op.sql = "VACUUM";
	op.only_dialect = "sqlite";
	check_sql(&op, &rt__dialect_sqlite, "VACUUM;\n");
	check_sql(&op, &rt__dialect_postgres, "");
}

static void test_errors(void)
{
	rt_op op = make(RT_OP_ALTER_COLUMN, "ghosts");
	op.name = "x";
	CHECK(render(&op, &rt__dialect_postgres) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: alter column: table ghosts does not exist at this point");
	op = make(RT_OP_DROP_COLUMN, "users");
	op.name = "nope";
	CHECK(render(&op, &rt__dialect_sqlite) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: drop column: table users has no column nope");
}

/* A SQL object renamed: in place where the backend can, else dropped and
 * made again from the state's SQL under the new name; refused by name
 * where that would drop a view's triggers or the SQL is not known. */
static void test_rename_sql_objects(void)
{
	rt_schema *kept = state;
	state = parse("table accounts { id int primary key }\n"
		      "view open_accounts $$ SELECT id FROM accounts $$\n"
		      "view busy $$ SELECT id FROM accounts $$\n"
		      "trigger busy_insert on busy $$ CREATE TRIGGER busy_insert INSTEAD OF "
		      "INSERT ON busy BEGIN SELECT 1; END $$\n"
		      "function label(integer) $$ CREATE FUNCTION label(integer) ... $$\n"
		      "sequence ticket_seq $$ CREATE SEQUENCE ticket_seq $$\n");
	CHECK(state != NULL);
	if (!state) {
		state = kept;
		return;
	}
	rt_sql_object view = {.kind = RT_SQL_VIEW, .name = "open_accounts"};
	rt_op op = make(RT_OP_RENAME_OBJECT, NULL);
	op.object = &view;
	op.new_name = "active_accounts";
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER VIEW \"open_accounts\" RENAME TO \"active_accounts\";\n");
	check_sql(&op, &rt__dialect_mariadb,
		  "RENAME TABLE `open_accounts` TO `active_accounts`;\n");
	check_sql(&op, &rt__dialect_sqlite,
		  "DROP VIEW \"open_accounts\";\n"
		  "CREATE VIEW \"active_accounts\" AS SELECT id FROM accounts;\n");

	rt_sql_object function = {.kind = RT_SQL_FUNCTION, .name = "label", .args = "(integer)"};
	op.object = &function;
	op.new_name = "title";
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER FUNCTION \"label\"(integer) RENAME TO \"title\";\n");
	rt_sql_object sequence = {.kind = RT_SQL_SEQUENCE, .name = "ticket_seq"};
	op.object = &sequence;
	op.new_name = "order_seq";
	check_sql(&op, &rt__dialect_mariadb, "RENAME TABLE `ticket_seq` TO `order_seq`;\n");

	rt_sql_object busy = {.kind = RT_SQL_VIEW, .name = "busy"};
	op.object = &busy;
	op.new_name = "idle";
	CHECK(render(&op, &rt__dialect_sqlite) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: rename: rename view busy to idle: SQLite cannot rename a view, and "
		  "dropping it to make it again would drop its trigger busy_insert: drop the "
		  "trigger first and make it again on the new name");
	rt_sql_object ghost = {.kind = RT_SQL_VIEW, .name = "ghost"};
	op.object = &ghost;
	CHECK(render(&op, &rt__dialect_sqlite) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: rename: rename view ghost to idle: SQLite cannot rename a view, and "
		  "its SQL, to make it again under the new name, is not known");
	state = kept;
}

/* A dialect with a shorter identifier limit than the language's refuses,
 * by name, what an operation would create over it; the language's check
 * (made when the script is read) cannot know it. */
static void test_dialect_name_limit(void)
{
	rt_dialect short_names = rt__dialect_postgres;
	short_names.caps.max_identifier_length = 12;
	rt_index index = {.name = "ix_posts_title", .keys = (rt_index_key[]){{.column = "title"}},
			  .key_count = 1};
	rt_op op = make(RT_OP_CREATE_INDEX, "posts");
	op.index = &index;
	CHECK(render(&op, &short_names) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: create index: the index name 'ix_posts_title' is 14 bytes long; "
		  "names may have at most 12 on postgresql");
	check_sql(&op, &rt__dialect_postgres,
		  "CREATE INDEX \"ix_posts_title\" ON \"posts\" (\"title\");\n");

	op = make(RT_OP_RENAME_COLUMN, "posts");
	op.name = "title";
	op.new_name = "the_title_of_it";
	CHECK(render(&op, &short_names) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: rename column: the column name 'the_title_of_it' is 15 bytes "
		  "long; names may have at most 12 on postgresql");

	rt_schema *s = parse("table notes { id int primary key\n body text? index }");
	op = make(RT_OP_CREATE_TABLE, NULL);
	op.def = rt__schema_find_table(s, "notes");
	CHECK(render(&op, &short_names) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: create table: the index name 'ix_notes_body' is 13 bytes long; "
		  "names may have at most 12 on postgresql");
}

/* A rebuild is several statements: where DDL is not transactional a
 * failure between them would leave the rows in the new table under its
 * temporary name. A dialect there changes in place what its capabilities
 * say; anything else that would rebuild is refused by name. */
static void test_no_rebuild_without_transactional_ddl(void)
{
	rt_dialect autocommit = rt__dialect_sqlite;
	autocommit.caps.transactional_ddl = false;
	rt_op op = make(RT_OP_ALTER_COLUMN, "posts");
	op.name = "title";
	op.null_change = RT_ALTER_NULL_SET;
	CHECK(render(&op, &autocommit) == NULL);
	CHECK_STR(rt_error_last()->message,
		  "m.rt:7:3: alter column: this needs table posts rebuilt on sqlite (created "
		  "anew, its rows copied, the old one dropped), whose DDL is not "
		  "transactional: a failure part-way would leave the rows in another table, "
		  "so retort does not do it");
}

/* Names two tables may share are the database's rule, checked when an
 * operation is planned for it (the replay checks a name in its own table
 * only): posts' index ix_posts_title again on users, users' key
 * uq_users_name as an index of posts, an index named as a table, a table
 * renamed to an index's name and a new table holding posts' index name are
 * refused where index names are per schema (PostgreSQL, SQLite), naming
 * the name, both tables and the dialect; taken where they are per table.
 * A foreign key name two tables share is refused where foreign key names
 * are per schema (MariaDB's caps). */
static void check_refused(const rt_op *op, const rt_dialect *d, const char *message)
{
	char *text = render(op, d);
	CHECK(text == NULL);
	free(text);
	if (!strstr(rt_error_last()->message, message))
		fprintf(stderr, "  message: %s\n  expected: %s\n", rt_error_last()->message,
			message);
	CHECK(strstr(rt_error_last()->message, message) != NULL);
}

static void test_name_scopes(void)
{
	rt_dialect per_table = rt__dialect_postgres;
	per_table.caps.index_names_per_table = true;
	per_table.caps.foreign_key_names_per_schema = true;
	const rt_dialect *shared[] = {&rt__dialect_postgres, &rt__dialect_sqlite};
	rt_index again = {.name = "ix_posts_title", .keys = (rt_index_key[]){{.column = "name"}},
			  .key_count = 1};
	rt_index key = {.name = "uq_users_name", .keys = (rt_index_key[]){{.column = "title"}},
			.key_count = 1};
	rt_index table = {.name = "users", .keys = (rt_index_key[]){{.column = "title"}},
			  .key_count = 1};
	rt_op on_users = make(RT_OP_CREATE_INDEX, "users");
	on_users.index = &again;
	rt_op on_posts = make(RT_OP_CREATE_INDEX, "posts");
	on_posts.index = &key;
	rt_op as_table = make(RT_OP_CREATE_INDEX, "posts");
	as_table.index = &table;
	rt_op rename = make(RT_OP_RENAME_TABLE, "users");
	rename.new_name = "ix_posts_title";
	rt_schema *s = parse("table notes { id int primary key\n title text\n"
			     "  index ix_posts_title (title) }");
	rt_op create = make(RT_OP_CREATE_TABLE, NULL);
	create.def = s ? rt__schema_find_table(s, "notes") : NULL;
	rt_constraint fk = {.kind = RT_CONSTRAINT_FOREIGN_KEY, .name = "fk_posts_user_id_users",
			    .columns = (const char *[]){"id"}, .column_count = 1,
			    .ref_table = "users", .ref_columns = (const char *[]){"id"},
			    .ref_column_count = 1};
	rt_op add_fk = make(RT_OP_ADD_CONSTRAINT, "users");
	add_fk.constraint = &fk;
	for (size_t i = 0; i < 2; i++) {
		char message[256];
		snprintf(message, sizeof(message),
			 "m.rt:7:3: create index: index ix_posts_title of table users: the index "
			 "of table posts has that name, and on %s index and key names are shared "
			 "by all tables (and with the table names); rename one",
			 shared[i]->name);
		check_refused(&on_users, shared[i], message);
		check_refused(&on_posts, shared[i], "create index: index uq_users_name of table "
						    "posts: the unique constraint of table users has "
						    "that name");
		check_refused(&as_table, shared[i], "create index: index users of table posts: "
						    "table users has that name");
		check_refused(&rename, shared[i], "rename table: table ix_posts_title: the index "
						  "of table posts has that name");
		check_refused(&create, shared[i], "create table: index ix_posts_title of table "
						  "notes: the index of table posts has that name");
		char *text = render(&add_fk, shared[i]);
		CHECK(text != NULL);
		free(text);
	}
	check_sql(&on_users, &per_table,
		  "CREATE INDEX \"ix_posts_title\" ON \"users\" (\"name\");\n");
	check_sql(&on_posts, &per_table,
		  "CREATE INDEX \"uq_users_name\" ON \"posts\" (\"title\");\n");
	check_sql(&rename, &per_table, "ALTER TABLE \"users\" RENAME TO \"ix_posts_title\";\n");
	char *text = render(&create, &per_table);
	CHECK(text != NULL);
	free(text);
	check_refused(&add_fk, &per_table,
		      "m.rt:7:3: add constraint: foreign key fk_posts_user_id_users of table users: "
		      "the foreign key of table posts has that name, and on postgresql foreign "
		      "key names are shared by all tables; rename one");
}

/* users(id, name unique, mood Mood?), posts(id, user_id -> users, title
 * text default 'untitled', index on title); Mood has grown 'so-so'. */
/* PostgreSQL schemas: a schema made and dropped, a table in one written
 * "schema"."name" (its index dropped in its schema, a rename keeping it
 * there); SQLite refuses by name; a schema is dropped only empty and only
 * when the scripts made it. */
static void test_schemas(void)
{
	rt_schema *saved = state;
	state = rt__op_state_copy(saved);
	rt_op op = make(RT_OP_CREATE_SCHEMA, NULL);
	op.name = "billing";
	check_sql(&op, &rt__dialect_postgres, "CREATE SCHEMA \"billing\";\n");
	CHECK(render(&op, &rt__dialect_sqlite) == NULL);
	CHECK(strstr(rt_error_last()->message,
		     "m.rt:7:3: create schema: sqlite has no schemas of tables") != NULL);
	CHECK_OK(rt__op_apply(state, &op));
	CHECK_INT(rt__op_apply(state, &op), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "schema billing already exists") != NULL);

	rt_schema *s = parse("model Account {\n  schema 'billing'\n  id bigint primary key\n"
			     "  user_id bigint references users(id)\n  code string(10) index\n}\n"
			     "table users {\n  id bigint primary key\n}\n");
	op = make(RT_OP_CREATE_TABLE, "billing.accounts");
	op.def = s ? rt__schema_find_table(s, "billing.accounts") : NULL;
	check_sql(&op, &rt__dialect_postgres,
		  "CREATE TABLE \"billing\".\"accounts\" (\n"
		  "  \"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
		  "  \"user_id\" BIGINT NOT NULL,\n"
		  "  \"code\" VARCHAR(10) NOT NULL,\n"
		  "  CONSTRAINT \"pk_accounts\" PRIMARY KEY (\"id\"),\n"
		  "  CONSTRAINT \"fk_accounts_user_id_users\" FOREIGN KEY (\"user_id\") "
		  "REFERENCES \"users\" (\"id\")\n"
		  ");\n"
		  "CREATE INDEX \"ix_accounts_code\" ON \"billing\".\"accounts\" (\"code\");\n");
	CHECK(render(&op, &rt__dialect_sqlite) == NULL);
	CHECK(strstr(rt_error_last()->message, "table billing.accounts: schema 'billing' - "
					       "sqlite has no schemas of tables") != NULL);
	CHECK_OK(rt__op_apply(state, &op));
	const rt_table *t = rt__schema_find_table(state, "billing.accounts");
	CHECK(t && t->schema && strcmp(t->schema, "billing") == 0);

	op = make(RT_OP_DROP_INDEX, "billing.accounts");
	op.name = "ix_accounts_code";
	check_sql(&op, &rt__dialect_postgres, "DROP INDEX \"billing\".\"ix_accounts_code\";\n");
	op = make(RT_OP_ALTER_TABLE, "billing.accounts");
	op.comment_change = RT_ALTER_COMMENT_SET;
	op.comment = "ledger";
	check_sql(&op, &rt__dialect_postgres,
		  "COMMENT ON TABLE \"billing\".\"accounts\" IS 'ledger';\n");

	rt_literal row[2] = {{RT_LITERAL_NUMBER, "1"}, {RT_LITERAL_STRING, "A-1"}};
	rt_literal *rows[1] = {row};
	op = make(RT_OP_INSERT, "billing.accounts");
	op.columns = (const char *[]){"id", "code"};
	op.column_count = 2;
	op.rows = rows;
	op.row_count = 1;
	check_sql(&op, &rt__dialect_postgres,
		  "INSERT INTO \"billing\".\"accounts\" (\"id\", \"code\") VALUES (1, 'A-1');\n");

	op = make(RT_OP_RENAME_TABLE, "billing.accounts");
	op.new_name = "ledger";
	check_sql(&op, &rt__dialect_postgres,
		  "ALTER TABLE \"billing\".\"accounts\" RENAME TO \"ledger\";\n");
	CHECK_OK(rt__op_apply(state, &op));
	t = rt__schema_find_table(state, "billing.ledger");
	CHECK(t && t->schema && strcmp(t->schema, "billing") == 0);
	CHECK(rt__schema_find_table(state, "billing.accounts") == NULL);

	op = make(RT_OP_DROP_SCHEMA, NULL);
	op.name = "billing";
	CHECK_INT(rt__op_apply(state, &op), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "schema billing still holds table billing.ledger") !=
	      NULL);
	rt_op drop = make(RT_OP_DROP_TABLE, "billing.ledger");
	check_sql(&drop, &rt__dialect_postgres, "DROP TABLE \"billing\".\"ledger\";\n");
	CHECK_OK(rt__op_apply(state, &drop));
	check_sql(&op, &rt__dialect_postgres, "DROP SCHEMA \"billing\";\n");
	CHECK_OK(rt__op_apply(state, &op));
	op.name = "sales";
	CHECK_INT(rt__op_apply(state, &op), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "schema sales was not created by the scripts") !=
	      NULL);
	op.name = "public";
	CHECK_INT(rt__op_apply(state, &op), RT_EINVAL);
	rt_schema_free(state);
	state = saved;
}

static int build_state(void)
{
	rt_schema *s = parse("enum Mood { happy, sad }\n"
			     "table users { id int primary key\n name string(20) unique\n"
			     "  mood Mood? }\n"
			     "table posts { id int primary key\n"
			     "  user_id int references users(id) on delete cascade\n"
			     "  title text server default 'untitled'\n index (title) }\n");
	if (!s)
		return -1;
	state = rt__op_state_new();
	rt_op op = make(RT_OP_CREATE_ENUM, NULL);
	op.enum_def = rt__schema_find_enum(s, "Mood");
	int rc = rt__op_apply(state, &op);
	op = make(RT_OP_ALTER_ENUM_ADD, NULL);
	op.name = "Mood";
	op.value = "so-so";
	if (rc == RT_OK)
		rc = rt__op_apply(state, &op);
	static const char *const tables[] = {"users", "posts"};
	for (size_t i = 0; rc == RT_OK && i < 2; i++) {
		op = make(RT_OP_CREATE_TABLE, tables[i]);
		op.def = rt__schema_find_table(s, tables[i]);
		rc = rt__op_apply(state, &op);
	}
	if (rc != RT_OK)
		fprintf(stderr, "state: %s\n", rt_error_last()->message);
	return rc;
}

int main(void)
{
	if (build_state() != RT_OK)
		return 1;
	RT_RUN(test_create_table_and_enum);
	RT_RUN(test_alter_column);
	RT_RUN(test_add_and_drop_column);
	RT_RUN(test_enums_on_sqlite);
	RT_RUN(test_constraints);
	RT_RUN(test_data);
	RT_RUN(test_errors);
	RT_RUN(test_rename_sql_objects);
	RT_RUN(test_dialect_name_limit);
	RT_RUN(test_no_rebuild_without_transactional_ddl);
	RT_RUN(test_name_scopes);
	RT_RUN(test_schemas);
	rt_schema_free(state);
	for (size_t i = 0; i < def_count; i++)
		rt_schema_free(defs[i]);
	return rt_test_done();
}
