/* Unit tests for src/schema/compare.c: schema equality, the differences
 * report, literal equality and canonical SQL expressions. Schemas are built
 * with the metadata builders so each test can change exactly one thing. */
#include "test.h"

#include "base/buf.h"
#include "schema/compare.h"
#include "schema/metadata.h"

/* enum CartStatus { open, paid }
 * users(id bigint pk, username string(50) unique, email string(255)? index)
 * posts(id, title string(50) check, user_id fk -> users(id) on delete cascade,
 *       relationship user, server default on title) */
static rt_schema *blog(void)
{
	rt_schema *s = rt__schema_new();
	rt_enum *status = rt__schema_add_enum(s, "CartStatus", "cart_status");
	rt__enum_add_value(s, status, "open");
	rt__enum_add_value(s, status, "paid");

	rt_table *users = rt__schema_add_table(s, "users", "User");
	rt_column *c = rt__table_add_column(s, users, "id");
	c->type.kind = RT_TYPE_BIGINT;
	c->autoincrement = true;
	c = rt__table_add_column(s, users, "username");
	c->type.kind = RT_TYPE_STRING;
	c->type.length = 50;
	c = rt__table_add_column(s, users, "email");
	c->type.kind = RT_TYPE_STRING;
	c->type.length = 255;
	c->nullable = true;
	c = rt__table_add_column(s, users, "status");
	c->type.kind = RT_TYPE_ENUM;
	c->type.enum_name = "CartStatus";
	c->type.enum_type = status;
	c->server_default = (rt_literal){RT_LITERAL_ENUM, "open"};
	rt_constraint *k = rt__table_add_constraint(s, users, RT_CONSTRAINT_PRIMARY_KEY, "pk_users");
	rt__constraint_add_column(s, k, "id", false);
	k = rt__table_add_constraint(s, users, RT_CONSTRAINT_UNIQUE, "uq_users_username");
	rt__constraint_add_column(s, k, "username", false);
	rt_index *ix = rt__table_add_index(s, users, "ix_users_email", false);
	rt__index_add_column(s, ix, "email");

	rt_table *posts = rt__schema_add_table(s, "posts", "Post");
	c = rt__table_add_column(s, posts, "id");
	c->type.kind = RT_TYPE_BIGINT;
	c->autoincrement = true;
	c = rt__table_add_column(s, posts, "title");
	c->type.kind = RT_TYPE_STRING;
	c->type.length = 50;
	c->server_default = (rt_literal){RT_LITERAL_STRING, "untitled"};
	c = rt__table_add_column(s, posts, "user_id");
	c->type.kind = RT_TYPE_BIGINT;
	k = rt__table_add_constraint(s, posts, RT_CONSTRAINT_PRIMARY_KEY, "pk_posts");
	rt__constraint_add_column(s, k, "id", false);
	k = rt__table_add_constraint(s, posts, RT_CONSTRAINT_FOREIGN_KEY,
				     "fk_posts_user_id_users");
	rt__constraint_add_column(s, k, "user_id", false);
	rt__constraint_add_column(s, k, "id", true);
	k->ref_table = "users";
	k->on_delete = RT_FK_CASCADE;
	rt_constraint *fk = k;
	k = rt__table_add_constraint(s, posts, RT_CONSTRAINT_CHECK, "ck_posts_title");
	k->check = "length(title) > 0";
	k->check_column = "title";
	rt_relationship *r = rt__table_add_relationship(s, posts, "user");
	r->target = "User";
	r->target_table = users;
	r->kind = RT_REL_MANY_TO_ONE;
	r->back = "posts";
	r->fk = fk;
	r->fk_is_local = true;
	r = rt__table_add_relationship(s, users, "posts");
	r->target = "Post";
	r->target_table = posts;
	r->is_list = true;
	r->kind = RT_REL_ONE_TO_MANY;
	r->back = "user";
	r->fk = fk;
	return s;
}

static char *diff(const rt_schema *a, const rt_schema *b, unsigned flags)
{
	char *out = NULL;
	CHECK_OK(rt_schema_differences(&out, a, b, flags));
	return out;
}

/* Checks that a and b differ in exactly the expected line under flags, and
 * that rt_schema_equal agrees. */
#define CHECK_DIFF(a, b, flags, expected)                                     \
	do {                                                                  \
		char *d_ = diff((a), (b), (flags));                           \
		CHECK_STR(d_, (expected));                                    \
		CHECK_INT(rt_schema_equal((a), (b), (flags)), *(expected) == '\0'); \
		rt_free(d_);                                                  \
	} while (0)

static rt_column *column(rt_schema *s, const char *table, const char *name)
{
	return rt__table_find_column(rt__schema_find_table(s, table), name);
}

static void test_identical_schemas_are_equal(void)
{
	rt_schema *a = blog(), *b = blog();
	CHECK_DIFF(a, b, 0, "");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	CHECK_DIFF(a, a, RT_COMPARE_IGNORE_COMMENTS, "");
	CHECK_INT(rt_schema_equal(NULL, NULL, 0), 1);
	CHECK_INT(rt_schema_equal(a, NULL, 0), 0);
	char *out = (char *)"x";
	CHECK_INT(rt_schema_differences(&out, a, NULL, 0), RT_EINVAL);
	CHECK(out == NULL);
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_table_order_does_not_matter(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_table *t = b->tables[0];
	b->tables[0] = b->tables[1];
	b->tables[1] = t;
	CHECK_DIFF(a, b, 0, "");
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_missing_tables(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_table *extra = rt__schema_add_table(b, "tags", NULL);
	rt__table_add_column(b, extra, "name")->type.kind = RT_TYPE_TEXT;
	rt__schema_add_table(a, "audit", NULL);
	CHECK_DIFF(a, b, 0, "missing in second: table audit\nmissing in first: table tags\n");
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_column_differences(void)
{
	rt_schema *a = blog(), *b = blog();
	column(b, "posts", "title")->type.length = 100;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: column title: type string(50) != string(100)\n");
	column(b, "posts", "title")->type.kind = RT_TYPE_TEXT;
	CHECK_DIFF(a, b, 0, "table posts: column title: type string(50) != text\n");
	rt_schema_free(b);

	b = blog();
	column(b, "users", "email")->nullable = false;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "table users: column email: nullable yes != no\n");
	rt_schema_free(b);

	b = blog();
	column(b, "users", "id")->autoincrement = false;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "table users: column id: autoincrement yes != no\n");
	rt_schema_free(b);

	b = blog();
	column(b, "posts", "title")->server_default = (rt_literal){RT_LITERAL_STRING, "it's"};
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: column title: server default 'untitled' != 'it''s'\n");
	column(b, "posts", "title")->server_default = (rt_literal){RT_LITERAL_NONE, NULL};
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: column title: server default 'untitled' != none\n");
	rt_schema_free(b);

	b = blog();
	rt_column *n = rt__table_add_column(b, rt__schema_find_table(b, "users"), "age");
	n->type.kind = RT_TYPE_INT;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "table users: missing in first: column age\n");
	CHECK_DIFF(b, a, RT_COMPARE_DATABASE, "table users: missing in second: column age\n");
	rt_schema_free(b);

	rt_schema_free(a);
}

static void test_numeric_precision_and_scale(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_column *ca = column(a, "posts", "user_id"), *cb = column(b, "posts", "user_id");
	ca->type = (rt_type){.kind = RT_TYPE_NUMERIC, .precision = 10, .scale = 2};
	cb->type = (rt_type){.kind = RT_TYPE_NUMERIC, .precision = 10, .scale = 3};
	CHECK_DIFF(a, b, 0, "table posts: column user_id: type numeric(10,2) != numeric(10,3)\n");
	cb->type.scale = 2;
	CHECK_DIFF(a, b, 0, "");
	rt_schema_free(a);
	rt_schema_free(b);
}

/* char(n) by its length; a collation by its name; a generated column by
 * its storage and its expression as the database reprints it. */
static void test_char_collation_and_generation(void)
{
	rt_schema *a = blog(), *b = blog();
	column(a, "posts", "title")->type = (rt_type){.kind = RT_TYPE_CHAR, .length = 3};
	column(b, "posts", "title")->type = (rt_type){.kind = RT_TYPE_CHAR, .length = 4};
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: column title: type char(3) != char(4)\n");
	column(b, "posts", "title")->type.length = 3;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");

	column(b, "users", "email")->collation = "C";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: column email: collation none != 'C'\n");
	column(a, "users", "email")->collation = "C";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");

	rt__schema_find_table(b, "users")->collation = "utf8mb3_general_ci";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: collation none != 'utf8mb3_general_ci'\n");
	rt__schema_find_table(a, "users")->collation = "utf8mb3_general_ci";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");

	column(b, "users", "email")->server_onupdate = true;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: column email: server onupdate now no != yes\n");
	column(a, "users", "email")->server_onupdate = true;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");

	rt_column *ga = column(a, "posts", "user_id"), *gb = column(b, "posts", "user_id");
	ga->generated = "id * 2";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: column user_id: generated 'id * 2' stored != none\n");
	/* PostgreSQL's reprint of what was written */
	gb->generated = "(id * (2)::bigint)";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	CHECK(rt__column_generation_equal(ga, gb));
	gb->generated_virtual = true;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: column user_id: generated 'id * 2' stored != "
		   "'(id * (2)::bigint)' virtual\n");
	gb->generated_virtual = false;
	gb->generated = "id * 3";
	CHECK(!rt__column_generation_equal(ga, gb));
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_column_order(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_table *t = rt__schema_find_table(b, "users");
	rt_column *first = t->columns[1];
	t->columns[1] = t->columns[2];
	t->columns[2] = first;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: column order (id, username, email, status) != "
		   "(id, email, username, status)\n");
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_comments(void)
{
	rt_schema *a = blog(), *b = blog();
	column(b, "users", "email")->comment = "where we write";
	rt__schema_find_table(b, "users")->comment = "people";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: comment none != 'people'\n"
		   "table users: column email: comment none != 'where we write'\n");
	CHECK_DIFF(a, b, RT_COMPARE_IGNORE_COMMENTS, "");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE | RT_COMPARE_IGNORE_COMMENTS, "");
	/* an empty comment is no comment */
	column(b, "users", "email")->comment = "";
	rt__schema_find_table(b, "users")->comment = "";
	CHECK_DIFF(a, b, 0, "");
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_model_only_properties(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_column *email = column(b, "users", "email");
	email->field = "mail";
	email->default_value = (rt_literal){RT_LITERAL_STRING, "x@y"};
	email->was = "e_mail";
	rt_table *users = rt__schema_find_table(b, "users");
	users->model = "Person";
	users->was = "people";
	CHECK_DIFF(a, b, 0,
		   "table users: model 'User' != 'Person'\n"
		   "table users: was none != 'people'\n"
		   "table users: column email: field 'email' != 'mail'\n"
		   "table users: column email: default none != 'x@y'\n"
		   "table users: column email: was none != 'e_mail'\n");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_primary_key(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_constraint *pk = rt__schema_find_table(b, "users")->primary_key;
	pk->name = "users_pkey";
	rt__constraint_add_column(b, pk, "username", false);
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: primary key: name 'pk_users' != 'users_pkey'\n"
		   "table users: primary key: columns (id) != (id, username)\n");
	rt__schema_find_table(b, "users")->primary_key = NULL;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "table users: missing in second: primary key pk_users\n");
	CHECK_DIFF(b, a, RT_COMPARE_DATABASE, "table users: missing in first: primary key pk_users\n");
	rt_schema_free(a);
	rt_schema_free(b);
}

static rt_constraint *constraint(rt_schema *s, const char *table, const char *name)
{
	return rt__table_find_constraint(rt__schema_find_table(s, table), name);
}

static void test_unique_and_missing_constraints(void)
{
	rt_schema *a = blog(), *b = blog();
	rt__constraint_add_column(b, constraint(b, "users", "uq_users_username"), "email", false);
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: unique uq_users_username: columns (username) != "
		   "(username, email)\n");
	constraint(b, "users", "uq_users_username")->name = "username_key";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: missing in second: unique uq_users_username\n"
		   "table users: missing in first: unique username_key\n");
	rt_schema_free(b);

	b = blog();
	rt_constraint *u = constraint(b, "users", "uq_users_username");
	u->kind = RT_CONSTRAINT_CHECK;
	u->check = "username <> ''";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: constraint uq_users_username: kind unique != check\n");
	rt_schema_free(b);
	rt_schema_free(a);
}

static void test_foreign_keys(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_constraint *fk = constraint(b, "posts", "fk_posts_user_id_users");
	fk->on_delete = RT_FK_SET_NULL;
	fk->on_update = RT_FK_RESTRICT;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: foreign key fk_posts_user_id_users: on delete cascade != set null\n"
		   "table posts: foreign key fk_posts_user_id_users: on update no action != restrict\n");
	rt_schema_free(b);

	b = blog();
	fk = constraint(b, "posts", "fk_posts_user_id_users");
	fk->ref_table = "accounts";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: foreign key fk_posts_user_id_users: references users(id) != "
		   "accounts(id)\n");
	fk->ref_table = "users";
	fk->ref_columns[0] = "username";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: foreign key fk_posts_user_id_users: references users(id) != "
		   "users(username)\n");
	fk->ref_columns[0] = "id";
	fk->columns[0] = "id";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: foreign key fk_posts_user_id_users: columns (user_id) != (id)\n");
	rt_schema_free(b);
	rt_schema_free(a);
}

static void test_checks(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_constraint *ck = constraint(b, "posts", "ck_posts_title");
	/* what PostgreSQL hands back for the same expression */
	ck->check = "(length((title)::text) > 0)";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	ck->check = "length(title) > 1";
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table posts: check ck_posts_title: expression 'length(title) > 0' != "
		   "'length(title) > 1'\n");
	ck->check = "length(title) > 0";
	ck->check_column = NULL;
	ck->name_given = true;
	CHECK_DIFF(a, b, 0,
		   "table posts: check ck_posts_title: named explicitly no != yes\n"
		   "table posts: check ck_posts_title: column 'title' != none\n");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_indexes(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_index *ix = rt__table_find_index(rt__schema_find_table(b, "users"), "ix_users_email");
	ix->unique = true;
	ix->name_given = true;
	CHECK_DIFF(a, b, 0,
		   "table users: index ix_users_email: unique no != yes\n"
		   "table users: index ix_users_email: named explicitly no != yes\n");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: index ix_users_email: unique no != yes\n");
	ix->unique = false;
	rt__index_add_column(b, ix, "username");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: index ix_users_email: definition (email) != (email, username)\n");
	ix->name = "ix_other";
	ix->unique = true;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: missing in second: index ix_users_email\n"
		   "table users: missing in first: unique index ix_other\n");
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_relationships(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_relationship *r = rt__schema_find_table(b, "users")->relationships[0];
	r->order_by = "title";
	r->order_desc = true;
	r->cascade_delete = true;
	r->delete_orphan = true;
	r->back = NULL;
	CHECK_DIFF(a, b, 0,
		   "table users: relationship posts: back 'user' != none\n"
		   "table users: relationship posts: order by none != 'title'\n"
		   "table users: relationship posts: order desc no != yes\n"
		   "table users: relationship posts: cascade delete no != yes\n"
		   "table users: relationship posts: delete orphan no != yes\n");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	rt_schema_free(b);

	b = blog();
	r = rt__schema_find_table(b, "posts")->relationships[0];
	r->target = "Person";
	r->optional = true;
	r->kind = RT_REL_ONE_TO_ONE;
	r->on_column = "posts.user_id";
	CHECK_DIFF(a, b, 0,
		   "table posts: relationship user: target 'User' != 'Person'\n"
		   "table posts: relationship user: optional no != yes\n"
		   "table posts: relationship user: kind many-to-one != one-to-one\n"
		   "table posts: relationship user: on none != 'user_id'\n");
	rt_schema_free(b);

	b = blog();
	r = rt__schema_find_table(b, "posts")->relationships[0];
	r->name = "author";
	r->through = "post_authors";
	CHECK_DIFF(a, b, 0,
		   "table posts: missing in second: relationship user\n"
		   "table posts: missing in first: relationship author\n");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	rt_schema_free(b);
	rt_schema_free(a);
}

static void test_enums(void)
{
	rt_schema *a = blog(), *b = blog();
	/* a database knows the values, not the schema's name for the enum */
	rt_enum *renamed = b->enums[0];
	renamed->name = "Status";
	renamed->sql_name = "status";
	column(b, "users", "status")->type.enum_name = "Status";
	rt__map_put(&b->enum_by_name, "Status", renamed);
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	CHECK_DIFF(a, b, 0,
		   "table users: column status: type CartStatus != Status\n"
		   "missing in second: enum CartStatus\n"
		   "missing in first: enum Status\n");
	rt_schema_free(b);

	b = blog();
	rt__enum_add_value(b, b->enums[0], "shipped");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: column status: enum values (open, paid) != (open, paid, shipped)\n");
	CHECK_DIFF(a, b, 0,
		   "table users: column status: enum values (open, paid) != (open, paid, shipped)\n"
		   "enum CartStatus: values (open, paid) != (open, paid, shipped)\n");
	rt_schema_free(b);

	/* an unresolved enum column (built by hand) is looked up by name */
	b = blog();
	column(b, "users", "status")->type.enum_type = NULL;
	CHECK_DIFF(a, b, 0, "");
	/* an enum the column does not use still counts without the flag */
	rt__schema_add_enum(b, "Mood", "mood");
	CHECK_DIFF(a, b, 0, "missing in first: enum Mood\n");
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	rt_schema_free(b);

	/* an enum column against a plain string column differs in type */
	b = blog();
	column(b, "users", "status")->type = (rt_type){.kind = RT_TYPE_STRING, .length = 4};
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: column status: type CartStatus != string(4)\n");
	rt_schema_free(b);
	rt_schema_free(a);
}

static void test_enum_default_equals_string_default(void)
{
	rt_schema *a = blog(), *b = blog();
	column(b, "users", "status")->server_default = (rt_literal){RT_LITERAL_STRING, "open"};
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	column(b, "users", "status")->server_default = (rt_literal){RT_LITERAL_STRING, "paid"};
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: column status: server default open != 'paid'\n");
	rt_schema_free(a);
	rt_schema_free(b);
}

static void test_several_differences_in_order(void)
{
	rt_schema *a = blog(), *b = blog();
	column(b, "posts", "title")->type.length = 100;
	column(b, "users", "email")->nullable = false;
	rt__schema_add_table(b, "zebra", NULL);
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE,
		   "table users: column email: nullable yes != no\n"
		   "table posts: column title: type string(50) != string(100)\n"
		   "missing in first: table zebra\n");
	rt_schema_free(a);
	rt_schema_free(b);
}

static bool lit_eq(rt_literal_kind ka, const char *ta, rt_literal_kind kb, const char *tb)
{
	rt_literal a = {ka, ta}, b = {kb, tb};
	return rt__literal_equal(&a, &b);
}

static void test_literal_equality(void)
{
	CHECK(lit_eq(RT_LITERAL_NONE, NULL, RT_LITERAL_NONE, NULL));
	CHECK(!lit_eq(RT_LITERAL_NONE, NULL, RT_LITERAL_STRING, ""));
	CHECK(lit_eq(RT_LITERAL_NUMBER, "1", RT_LITERAL_NUMBER, "+1"));
	CHECK(lit_eq(RT_LITERAL_NUMBER, "-2.5", RT_LITERAL_NUMBER, "-2.5"));
	CHECK(!lit_eq(RT_LITERAL_NUMBER, "1.0", RT_LITERAL_NUMBER, "1"));
	CHECK(!lit_eq(RT_LITERAL_NUMBER, "1", RT_LITERAL_STRING, "1"));
	CHECK(lit_eq(RT_LITERAL_STRING, "open", RT_LITERAL_ENUM, "open"));
	CHECK(lit_eq(RT_LITERAL_ENUM, "open", RT_LITERAL_ENUM, "open"));
	CHECK(!lit_eq(RT_LITERAL_ENUM, "open", RT_LITERAL_ENUM, "Open"));
	CHECK(lit_eq(RT_LITERAL_STRING, "", RT_LITERAL_STRING, ""));
	CHECK(!lit_eq(RT_LITERAL_STRING, "a", RT_LITERAL_STRING, "A"));
	CHECK(lit_eq(RT_LITERAL_BOOL, "true", RT_LITERAL_BOOL, "TRUE"));
	CHECK(!lit_eq(RT_LITERAL_BOOL, "true", RT_LITERAL_BOOL, "false"));
	CHECK(lit_eq(RT_LITERAL_NOW, "now", RT_LITERAL_NOW, NULL));
	CHECK(!lit_eq(RT_LITERAL_NOW, "now", RT_LITERAL_SQL, "now()"));
	CHECK(lit_eq(RT_LITERAL_SQL, "lower('X')", RT_LITERAL_SQL, "LOWER('X'::text)"));
	CHECK(!lit_eq(RT_LITERAL_SQL, "lower('X')", RT_LITERAL_SQL, "lower('x')"));
}

static const char *canonical(rt_buf *buf, const char *expr)
{
	rt__buf_clear(buf);
	rt__sql_expr_canonical(buf, expr);
	return rt__buf_cstr(buf);
}

static void test_sql_expression_canonical_form(void)
{
	rt_buf buf = RT_BUF_INIT;
	CHECK_STR(canonical(&buf, "price >= 0"), "price>=0");
	CHECK_STR(canonical(&buf, "CHECK ((price >= (0)::numeric))"), "checkprice>=0");
	CHECK_STR(canonical(&buf, "(name)::character varying(20) = 'It''s'::text"),
		  "name='It''s'");
	CHECK_STR(canonical(&buf, "x::timestamp without time zone > now()"), "x>now");
	CHECK_STR(canonical(&buf, "(x)::double precision < 1.5"), "x<1.5");
	CHECK_STR(canonical(&buf, "tags::text[] <> '{}'::text[]"), "tags<>'{}'");
	CHECK_STR(canonical(&buf, "\"price\" > \"Total\""), "price>\"Total\"");
	CHECK_STR(canonical(&buf, "x >= '-1'::integer"), "x>=-1");
	CHECK_STR(canonical(&buf, "x = '-1'::text"), "x='-1'");
	CHECK_STR(canonical(&buf, "a != b"), "a<>b");
	CHECK_STR(canonical(&buf, "((name)::text ~~ 'A%'::text)"), "namelike'A%'");
	CHECK_STR(canonical(&buf, "name !~~* 'a'"), "namenotilike'a'");
	CHECK_STR(canonical(&buf, "((status)::text = ANY ((ARRAY['a'::character varying, "
				  "'b'::character varying])::text[]))"),
		  "statusin'a','b'");
	CHECK_STR(canonical(&buf, "status IN ('a', 'b')"), "statusin'a','b'");
	CHECK_STR(canonical(&buf, "(n <> ALL (ARRAY[1, 2]))"), "nnotin1,2");
	CHECK_STR(canonical(&buf, "a[1] = ANY (ARRAY[b[2], 3])"), "a[1]inb[2],3");
	CHECK_STR(canonical(&buf, "qty BETWEEN 0 AND 1000"), "qty>=0andqty<=1000");
	CHECK_STR(canonical(&buf, "((qty >= 0) AND (qty <= 1000))"), "qty>=0andqty<=1000");
	CHECK_STR(canonical(&buf, "a > 1 and t.x not between -5 and 'z' or b"),
		  "a>1andt.x<-5ort.x>'z'orb");
	CHECK_STR(canonical(&buf, "(x between 1 and 2)"), "x>=1andx<=2");
	/* not a lone value on either side: left alone */
	CHECK_STR(canonical(&buf, "a + b BETWEEN 1 AND 2"), "a+bbetween1and2");
	CHECK_STR(canonical(&buf, "x BETWEEN 1 AND 2 * 3"), "xbetween1and2*3");
	CHECK_STR(canonical(&buf, "x BETWEEN 1"), "xbetween1");
	CHECK_STR(canonical(&buf, "'unterminated"), "'unterminated");
	CHECK_STR(canonical(&buf, "\"odd"), "\"odd");
	CHECK_STR(canonical(&buf, "x::"), "x");
	CHECK_STR(canonical(&buf, ""), "");
	rt__buf_free(&buf);
}

static void test_sql_expression_equality(void)
{
	CHECK(rt__sql_expr_equal("price >= 0", "(price >= (0)::numeric)"));
	CHECK(rt__sql_expr_equal("price >= 0", "PRICE>=0"));
	CHECK(rt__sql_expr_equal("status in ('open', 'paid')",
				 "((status)::text = ANY ((ARRAY['open'::character varying, "
				 "'paid'::character varying])::text[]))"));
	CHECK(rt__sql_expr_equal("name NOT LIKE 'a%'", "((name)::text !~~ 'a%'::text)"));
	CHECK(rt__sql_expr_equal("qty >= -1", "(qty >= '-1'::integer)"));
	/* CAST(x AS t) reads back as (x)::t */
	CHECK(rt__sql_expr_equal("CAST(price * 2 AS numeric) > CAST(discount AS numeric) OR discount IS NULL",
				 "((price * (2)::numeric) > (discount)::numeric) OR (discount IS NULL)"));
	CHECK(rt__sql_expr_equal("cast(cast(a as int) as text) = 'as'", "((a)::integer)::text = 'as'::text"));
	CHECK(!rt__sql_expr_equal("CAST(a AS int) > 1", "b > 1"));
	CHECK(rt__sql_expr_equal(NULL, ""));
	CHECK(rt__sql_expr_equal("qty BETWEEN 0 AND 1000", "((qty >= 0) AND (qty <= 1000))"));
	CHECK(rt__sql_expr_equal("size NOT BETWEEN 0.5 AND 2",
				 "((size < 0.5) OR (size > (2)::numeric))"));
	CHECK(!rt__sql_expr_equal("qty BETWEEN 0 AND 1000", "((qty >= 0) AND (qty <= 100))"));
	/* string literals keep their case and spaces */
	CHECK(!rt__sql_expr_equal("name = 'A b'", "name = 'a b'"));
	CHECK(!rt__sql_expr_equal("name = 'a b'", "name = 'ab'"));
	CHECK(!rt__sql_expr_equal("price >= 0", "price > 0"));
	CHECK(!rt__sql_expr_equal("\"Price\" > 0", "price > 0"));
}

/* PostgreSQL renders every value of a partition bound quoted. */
static void test_partition_bound_equality(void)
{
	CHECK(rt__sql_bound_equal("FROM (1) TO (100)", "FROM ('1') TO ('100')"));
	CHECK(rt__sql_bound_equal("FROM (MINVALUE) TO (1000)", "FROM (MINVALUE) TO ('1000')"));
	CHECK(rt__sql_bound_equal("FROM (-5) TO (2.5)", "FROM ('-5') TO ('2.5')"));
	CHECK(rt__sql_bound_equal("IN ('de', 'fr')", "IN ('de', 'fr')"));
	CHECK(rt__sql_bound_equal("FROM ('2024-01-01 00:00:00') TO ('2024-02-01 00:00:00')",
				  "FROM ('2024-01-01 00:00:00'::timestamp without time zone) TO "
				  "('2024-02-01 00:00:00'::timestamp without time zone)"));
	CHECK(!rt__sql_bound_equal("FROM (1) TO (100)", "FROM ('1') TO ('101')"));
	CHECK(!rt__sql_bound_equal("IN ('1x')", "IN (1)"));
	CHECK(!rt__sql_bound_equal("IN ('it''s')", "IN ('its')"));
}

/* A view's security invoker is part of it: the same query with another
 * security is another view. */
static void test_view_security(void)
{
	rt_schema *a = blog(), *b = blog();
	rt_sql_object *va = rt__schema_add_sql_object(a, RT_SQL_VIEW, "recent", NULL, NULL,
						      "SELECT id FROM posts");
	rt_sql_object *vb = rt__schema_add_sql_object(b, RT_SQL_VIEW, "recent", NULL, NULL,
						      "SELECT id FROM posts");
	CHECK(va && vb);
	if (!va || !vb)
		return;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	vb->security_invoker = true;
	CHECK(!rt__sql_object_equal(va, vb));
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "view recent: security invoker no != yes\n");
	va->security_invoker = true;
	CHECK_DIFF(a, b, RT_COMPARE_DATABASE, "");
	rt_schema_free(a);
	rt_schema_free(b);
}

int main(void)
{
	RT_RUN(test_identical_schemas_are_equal);
	RT_RUN(test_table_order_does_not_matter);
	RT_RUN(test_missing_tables);
	RT_RUN(test_column_differences);
	RT_RUN(test_numeric_precision_and_scale);
	RT_RUN(test_char_collation_and_generation);
	RT_RUN(test_column_order);
	RT_RUN(test_comments);
	RT_RUN(test_model_only_properties);
	RT_RUN(test_primary_key);
	RT_RUN(test_unique_and_missing_constraints);
	RT_RUN(test_foreign_keys);
	RT_RUN(test_checks);
	RT_RUN(test_indexes);
	RT_RUN(test_relationships);
	RT_RUN(test_enums);
	RT_RUN(test_enum_default_equals_string_default);
	RT_RUN(test_several_differences_in_order);
	RT_RUN(test_literal_equality);
	RT_RUN(test_sql_expression_canonical_form);
	RT_RUN(test_sql_expression_equality);
	RT_RUN(test_partition_bound_equality);
	RT_RUN(test_view_security);
	return rt_test_done();
}
