/*
 * test_parser.c - schemas that parse: the shop example and small schemas
 * covering every construct of the language, checked against the normal
 * form of metadata.h (derived names, relationship kinds, mixins, enums,
 * autoincrement, defaults).
 */
#include "test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "retort.h"
#include "schema/metadata.h"

static rt_schema *parse(const char *text)
{
	rt_schema *schema = NULL;
	int rc = rt_schema_parse_string(&schema, text, strlen(text), "test.rt", NULL);
	if (rc != RT_OK)
		fprintf(stderr, "parse failed (%d):\n%s\n", rc, rt_error_last()->message);
	return schema;
}

static rt_table *table(const rt_schema *schema, const char *name)
{
	rt_table *t = schema ? rt__schema_find_table(schema, name) : NULL;
	if (!t)
		fprintf(stderr, "no table %s\n", name);
	return t;
}

static rt_column *column(const rt_table *t, const char *name)
{
	return t ? rt__table_find_column(t, name) : NULL;
}

static rt_relationship *rel(const rt_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->relationship_count; i++)
		if (strcmp(t->relationships[i]->name, name) == 0)
			return t->relationships[i];
	return NULL;
}

static rt_constraint *find_constraint(const rt_table *t, const char *name)
{
	return t ? rt__table_find_constraint(t, name) : NULL;
}

static rt_index *find_index(const rt_table *t, const char *name)
{
	return t ? rt__table_find_index(t, name) : NULL;
}

static char *example_path(void)
{
	const char *dir = getenv("RETORT_SOURCE_DIR");
	static char path[4096];
	snprintf(path, sizeof(path), "%s/examples/shop/models.rt", dir ? dir : "../..");
	return path;
}

static void test_shop_example(void)
{
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_file(&s, example_path(), NULL));
	if (!s)
		return;
	CHECK_INT(s->table_count, 6);
	const char *order[] = {"users", "profiles", "posts", "products", "carts",
			       "cart_product"};
	for (size_t i = 0; i < 6 && i < s->table_count; i++)
		CHECK_STR(s->tables[i]->name, order[i]);
	CHECK_STR(s->path, example_path());

	rt_table *users = table(s, "users");
	CHECK_STR(users ? users->model : NULL, "User");
	CHECK_STR(users->primary_key ? users->primary_key->name : NULL, "pk_users");
	CHECK(column(users, "id")->autoincrement);
	CHECK(!column(users, "id")->autoincrement_set);
	CHECK(!column(users, "username")->nullable);
	CHECK(column(users, "email")->nullable);
	CHECK_INT(column(users, "username")->type.kind, RT_TYPE_STRING);
	CHECK_INT(column(users, "username")->type.length, 50);
	rt_constraint *uq = find_constraint(users, "uq_users_username");
	CHECK(uq && uq->kind == RT_CONSTRAINT_UNIQUE && !uq->name_given);
	CHECK(uq && uq->pos.line == 8);
	/* The mixin's column comes after the model's own. */
	CHECK_INT(users->column_count, 4);
	CHECK_STR(users->columns[3]->name, "created_at");
	CHECK_INT(users->columns[3]->server_default.kind, RT_LITERAL_NOW);
	CHECK_INT(users->mixin_count, 1);
	CHECK_STR(users->mixins[0], "Timestamped");

	rt_relationship *posts = rel(users, "posts");
	CHECK(posts && posts->kind == RT_REL_ONE_TO_MANY && posts->is_list);
	CHECK(posts && !posts->fk_is_local && posts->target_table == table(s, "posts"));
	CHECK_STR(posts && posts->fk ? posts->fk->name : NULL, "fk_posts_user_id_users");
	rt_relationship *profile = rel(users, "profile");
	CHECK(profile && profile->kind == RT_REL_ONE_TO_ONE && profile->optional);

	rt_table *profiles = table(s, "profiles");
	rt_constraint *fk = find_constraint(profiles, "fk_profiles_user_id_users");
	CHECK(fk && fk->kind == RT_CONSTRAINT_FOREIGN_KEY);
	CHECK_STR(fk ? fk->ref_table : NULL, "users");
	CHECK(fk && fk->ref_column_count == 1 && strcmp(fk->ref_columns[0], "id") == 0);
	CHECK_INT(fk ? (int)fk->on_delete : -1, RT_FK_CASCADE);
	CHECK_INT(fk ? (int)fk->on_update : -1, RT_FK_NO_ACTION);
	rt_relationship *user = rel(profiles, "user");
	CHECK(user && user->kind == RT_REL_ONE_TO_ONE && user->fk_is_local && user->fk == fk);
	CHECK(profile && profile->fk == fk);

	rt_table *post_table = table(s, "posts");
	rt_index *ix = find_index(post_table, "ix_posts_title");
	CHECK(ix && !ix->unique && ix->key_count == 1);
	rt_column *body = column(post_table, "body");
	CHECK(body && body->default_value.kind == RT_LITERAL_STRING &&
	      strcmp(body->default_value.text, "") == 0);
	CHECK(body && body->server_default.kind == RT_LITERAL_STRING);
	CHECK_INT(rel(post_table, "user")->kind, RT_REL_MANY_TO_ONE);

	rt_table *products = table(s, "products");
	rt_constraint *ck = find_constraint(products, "ck_products_price");
	CHECK(ck && ck->kind == RT_CONSTRAINT_CHECK);
	CHECK_STR(ck ? ck->check : NULL, "price >= 0");
	CHECK_STR(ck ? ck->check_column : NULL, "price");
	rt_column *price = column(products, "price");
	CHECK(price && price->type.precision == 10 && price->type.scale == 2);

	rt_table *carts = table(s, "carts");
	rt_column *status = column(carts, "status");
	CHECK(status && status->type.kind == RT_TYPE_ENUM);
	CHECK(status && status->type.enum_type == rt__schema_find_enum(s, "CartStatus"));
	CHECK(status && status->default_value.kind == RT_LITERAL_ENUM &&
	      strcmp(status->default_value.text, "open") == 0);
	rt_relationship *m2m = rel(carts, "products");
	CHECK(m2m && m2m->kind == RT_REL_MANY_TO_MANY);
	CHECK_STR(m2m && m2m->fk ? m2m->fk->name : NULL, "fk_cart_product_cart_id_carts");
	CHECK_STR(m2m && m2m->target_fk ? m2m->target_fk->name : NULL,
		  "fk_cart_product_product_id_products");
	CHECK(m2m && m2m->through_table == table(s, "cart_product"));
	rt_relationship *back = rel(products, "carts");
	CHECK(back && m2m && back->fk == m2m->target_fk && back->target_fk == m2m->fk);

	rt_enum *e = rt__schema_find_enum(s, "CartStatus");
	CHECK_STR(e ? e->sql_name : NULL, "cart_status");
	CHECK_INT(e ? e->value_count : 0, 3);

	rt_table *assoc = table(s, "cart_product");
	CHECK(assoc && assoc->model == NULL);
	CHECK_STR(assoc && assoc->primary_key ? assoc->primary_key->name : NULL,
		  "pk_cart_product");
	CHECK_INT(assoc && assoc->primary_key ? assoc->primary_key->column_count : 0, 2);
	CHECK(!column(assoc, "cart_id")->autoincrement);
	rt_column *qty = column(assoc, "quantity");
	CHECK(qty && qty->default_value.kind == RT_LITERAL_NUMBER &&
	      strcmp(qty->default_value.text, "1") == 0);
	rt_schema_free(s);
}

static void test_table_names(void)
{
	rt_schema *s = parse("model CartItem { id int primary key }\n"
			     "model Category { id int primary key }\n"
			     "model Address { id int primary key }\n"
			     "model Box { id int primary key }\n"
			     "model Person { id int primary key\n table 'folk' }\n");
	if (!s)
		return;
	CHECK(table(s, "cart_items") && table(s, "categories") && table(s, "addresses") &&
	      table(s, "boxes") && table(s, "folk"));
	CHECK_STR(rt__schema_find_model(s, "Person")->name, "folk");
	rt_schema_free(s);
}

static void test_all_types(void)
{
	rt_schema *s = parse(
		"table t {\n"
		"  a smallint\n  b int\n  c bigint\n  d bool\n  e real\n  f double\n"
		"  g numeric(12,4)\n  h numeric\n  i string(7)\n  j string\n  k text\n"
		"  l blob\n  m date\n  n time\n  o timestamp\n  p timestamptz\n"
		"  q uuid\n  r json\n  s numeric(5)\n  u Color?\n"
		"}\n"
		"enum Color { red, green }\n");
	if (!s)
		return;
	rt_table *t = table(s, "t");
	rt_type_kind kinds[] = {RT_TYPE_SMALLINT, RT_TYPE_INT, RT_TYPE_BIGINT, RT_TYPE_BOOL,
				RT_TYPE_REAL, RT_TYPE_DOUBLE, RT_TYPE_NUMERIC, RT_TYPE_NUMERIC,
				RT_TYPE_STRING, RT_TYPE_STRING, RT_TYPE_TEXT, RT_TYPE_BLOB,
				RT_TYPE_DATE, RT_TYPE_TIME, RT_TYPE_TIMESTAMP,
				RT_TYPE_TIMESTAMPTZ, RT_TYPE_UUID, RT_TYPE_JSON,
				RT_TYPE_NUMERIC, RT_TYPE_ENUM};
	CHECK_INT(t->column_count, 20);
	for (size_t i = 0; i < 20 && i < t->column_count; i++)
		CHECK_INT(t->columns[i]->type.kind, kinds[i]);
	CHECK_INT(column(t, "g")->type.precision, 12);
	CHECK_INT(column(t, "g")->type.scale, 4);
	CHECK_INT(column(t, "h")->type.precision, 0);
	CHECK_INT(column(t, "s")->type.precision, 5);
	CHECK_INT(column(t, "s")->type.scale, 0);
	CHECK_INT(column(t, "i")->type.length, 7);
	CHECK_INT(column(t, "j")->type.length, 0);
	CHECK(column(t, "u")->nullable);
	CHECK_STR(column(t, "u")->type.enum_name, "Color");
	CHECK(t->primary_key == NULL);
	rt_schema_free(s);
}

static void test_column_constraints(void)
{
	rt_schema *s = parse(
		"table accounts {\n"
		"  id        int  primary key no autoincrement\n"
		"  code      string(10) unique index comment 'the code' column 'acct_code'\n"
		"  balance   numeric(10,2) default -1.50 server default sql 'round(0, 2)'\n"
		"  parent_id int? references accounts(id) on update cascade on delete set null\n"
		"  renamed   text? was old_name check $$ renamed <> '' $$\n"
		"  active    bool default true server default false\n"
		"  seen      timestamptz server default now default '2024-01-02 03:04:05+02:00'\n"
		"}\n");
	if (!s)
		return;
	rt_table *t = table(s, "accounts");
	rt_column *id = column(t, "id");
	CHECK(id && !id->autoincrement && id->autoincrement_set);
	rt_column *code = column(t, "acct_code");
	CHECK_STR(code ? code->field : NULL, "code");
	CHECK_STR(code ? code->comment : NULL, "the code");
	CHECK(find_constraint(t, "uq_accounts_acct_code") != NULL);
	CHECK(find_index(t, "ix_accounts_acct_code") != NULL);
	rt_column *balance = column(t, "balance");
	CHECK_STR(balance->default_value.text, "-1.50");
	CHECK_INT(balance->server_default.kind, RT_LITERAL_SQL);
	CHECK_STR(balance->server_default.text, "round(0, 2)");
	rt_constraint *fk = find_constraint(t, "fk_accounts_parent_id_accounts");
	CHECK(fk && fk->on_delete == RT_FK_SET_NULL && fk->on_update == RT_FK_CASCADE);
	rt_column *renamed = column(t, "renamed");
	CHECK_STR(renamed->was, "old_name");
	CHECK_STR(find_constraint(t, "ck_accounts_renamed")->check, "renamed <> ''");
	CHECK_INT(column(t, "active")->default_value.kind, RT_LITERAL_BOOL);
	CHECK_STR(column(t, "active")->server_default.text, "false");
	CHECK_INT(column(t, "seen")->server_default.kind, RT_LITERAL_NOW);
	/* Constraint order: per column unique, foreign key, check. */
	CHECK_INT(t->constraint_count, 3);
	rt_schema_free(s);
}

static void test_table_level_members(void)
{
	rt_schema *s = parse(
		"table a { id int primary key\n x int\n y int }\n"
		"table b {\n"
		"  k1 int\n  k2 int\n  code string(5)\n  label text\n  comment text?\n"
		"  primary key (k1, k2)\n"
		"  unique acct_code_key (code)\n"
		"  unique (label, code)\n"
		"  index (label)\n"
		"  index by_code (code, label)\n"
		"  unique index (k2, label)\n"
		"  unique index named_ux (label)\n"
		"  check 'k1 > 0'\n"
		"  check positive_k2 'k2 > 0'\n"
		"  check 'k1 <> k2'\n"
		"  foreign key (k1) references a(id) on delete restrict\n"
		"  foreign key pair_fk (k1, k2) references pairs(x, y) on delete no action on update set default\n"
		"  comment 'the b table'\n"
		"}\n"
		"table pairs { x int\n y int\n primary key (x, y) }\n");
	if (!s)
		return;
	rt_table *t = table(s, "b");
	CHECK_STR(t->comment, "the b table");
	CHECK(column(t, "comment") && column(t, "comment")->nullable);
	CHECK_STR(t->primary_key->name, "pk_b");
	CHECK_INT(t->primary_key->column_count, 2);
	CHECK(!column(t, "k1")->autoincrement);
	rt_constraint *named = find_constraint(t, "acct_code_key");
	CHECK(named && named->name_given && named->kind == RT_CONSTRAINT_UNIQUE);
	CHECK(find_constraint(t, "uq_b_label_code") != NULL);
	CHECK(find_index(t, "ix_b_label") != NULL);
	CHECK(find_index(t, "by_code") && find_index(t, "by_code")->name_given);
	rt_index *ux = find_index(t, "ix_b_k2_label");
	CHECK(ux && ux->unique);
	CHECK(find_index(t, "named_ux") && find_index(t, "named_ux")->unique);
	CHECK_STR(find_constraint(t, "ck_b_1")->check, "k1 > 0");
	CHECK(find_constraint(t, "positive_k2") != NULL);
	CHECK_STR(find_constraint(t, "ck_b_2")->check, "k1 <> k2");
	CHECK(find_constraint(t, "ck_b_2")->check_column == NULL);
	rt_constraint *fk = find_constraint(t, "fk_b_k1_a");
	CHECK(fk && fk->on_delete == RT_FK_RESTRICT);
	rt_constraint *pair = find_constraint(t, "pair_fk");
	CHECK(pair && pair->column_count == 2 && pair->ref_column_count == 2);
	CHECK(pair && pair->on_update == RT_FK_SET_DEFAULT && pair->on_delete == RT_FK_NO_ACTION);
	/* Every table-level object keeps where it was declared. */
	CHECK_INT(pair ? pair->pos.line : 0, 21);
	CHECK_INT(find_index(t, "by_code")->pos.line, 14);
	rt_schema_free(s);
}

static void test_members_by_field_name(void)
{
	/* Constraint lists may name the C field or the SQL name. */
	rt_schema *s = parse("table t {\n"
			     "  id int primary key\n"
			     "  code string column 'the_code'\n"
			     "  unique (code)\n"
			     "  index (the_code, id)\n"
			     "}\n");
	if (!s)
		return;
	rt_table *t = table(s, "t");
	rt_constraint *uq = find_constraint(t, "uq_t_the_code");
	CHECK(uq && strcmp(uq->columns[0], "the_code") == 0);
	CHECK(find_index(t, "ix_t_the_code_id") != NULL);
	rt_schema_free(s);
}

static void test_relationship_options(void)
{
	rt_schema *s = parse(
		"model Message {\n"
		"  id           bigint primary key\n"
		"  sender_id    bigint references users(id)\n"
		"  recipient_id bigint references users(id)\n"
		"  sent_at      timestamp\n"
		"  sender       User on sender_id back sent\n"
		"  recipient    User on messages.recipient_id back received\n"
		"}\n"
		"model User {\n"
		"  id        bigint primary key\n"
		"  sent      Message[] on sender_id back sender order by sent_at desc cascade delete delete orphan\n"
		"  received  Message[] delete orphan back recipient on recipient_id order by id\n"
		"}\n");
	if (!s)
		return;
	rt_table *users = table(s, "users"), *messages = table(s, "messages");
	rt_relationship *sent = rel(users, "sent");
	CHECK(sent && sent->kind == RT_REL_ONE_TO_MANY);
	CHECK_STR(sent && sent->fk ? sent->fk->columns[0] : NULL, "sender_id");
	CHECK_STR(sent ? sent->order_by : NULL, "sent_at");
	CHECK(sent && sent->order_desc && sent->cascade_delete && sent->delete_orphan);
	CHECK_STR(sent ? sent->on_column : NULL, "sender_id");
	rt_relationship *received = rel(users, "received");
	CHECK(received && !received->order_desc && !received->cascade_delete &&
	      received->delete_orphan);
	CHECK_STR(received && received->fk ? received->fk->columns[0] : NULL, "recipient_id");
	rt_relationship *recipient = rel(messages, "recipient");
	CHECK_STR(recipient ? recipient->on_column : NULL, "messages.recipient_id");
	CHECK(recipient && recipient->fk == received->fk && recipient->fk_is_local);
	CHECK_INT(recipient ? (int)recipient->kind : -1, RT_REL_MANY_TO_ONE);
	rt_schema_free(s);
}

static void test_self_referential(void)
{
	rt_schema *s = parse(
		"model Category {\n"
		"  id         int primary key\n"
		"  parent_id  int? references categories(id)\n"
		"  parent     Category? on parent_id back children\n"
		"  children   Category[] back parent\n"
		"}\n"
		"model Person {\n"
		"  id       int primary key\n"
		"  friends  Person[] through friendships on person_id back friends\n"
		"}\n"
		"table friendships {\n"
		"  person_id int references people(id)\n"
		"  friend_id int references people(id)\n"
		"  primary key (person_id, friend_id)\n"
		"}\n");
	if (!s)
		return;
	rt_table *c = table(s, "categories");
	rt_relationship *parent = rel(c, "parent"), *children = rel(c, "children");
	CHECK(parent && parent->kind == RT_REL_MANY_TO_ONE && parent->fk_is_local);
	CHECK(children && children->kind == RT_REL_ONE_TO_MANY && !children->fk_is_local);
	CHECK(parent && children && parent->fk == children->fk);
	rt_relationship *friends = rel(table(s, "people"), "friends");
	CHECK(friends && friends->kind == RT_REL_MANY_TO_MANY);
	CHECK_STR(friends && friends->fk ? friends->fk->columns[0] : NULL, "person_id");
	CHECK_STR(friends && friends->target_fk ? friends->target_fk->columns[0] : NULL,
		  "friend_id");
	rt_schema_free(s);
}

static void test_one_to_one_kinds(void)
{
	rt_schema *s = parse(
		"model Account { id int primary key\n"
		"  settings Settings\n  owner_id int references owners(id)\n"
		"  owner Owner? }\n"
		"model Settings { id int primary key\n"
		"  account_id int unique references accounts(id)\n  account Account }\n"
		"model Owner { id int primary key\n  accounts Account[] }\n");
	if (!s)
		return;
	CHECK_INT(rel(table(s, "accounts"), "settings")->kind, RT_REL_ONE_TO_ONE);
	CHECK(!rel(table(s, "accounts"), "settings")->fk_is_local);
	CHECK_INT(rel(table(s, "settings"), "account")->kind, RT_REL_ONE_TO_ONE);
	CHECK_INT(rel(table(s, "accounts"), "owner")->kind, RT_REL_MANY_TO_ONE);
	CHECK(rel(table(s, "accounts"), "owner")->optional);
	CHECK_INT(rel(table(s, "owners"), "accounts")->kind, RT_REL_ONE_TO_MANY);
	rt_schema_free(s);
}

static void test_mixins(void)
{
	rt_schema *s = parse(
		"model Note uses Audited, Keyed was Memo {\n"
		"  body text\n"
		"}\n"
		"mixin Keyed { id bigint primary key }\n"
		"mixin Audited {\n"
		"  created_at timestamp server default now\n"
		"  updated_at timestamp?\n"
		"  index (created_at)\n"
		"}\n"
		"table logs was old_logs { line text }\n");
	if (!s)
		return;
	rt_table *t = table(s, "notes");
	CHECK_INT(t->column_count, 4);
	const char *order[] = {"body", "created_at", "updated_at", "id"};
	for (size_t i = 0; i < 4 && i < t->column_count; i++)
		CHECK_STR(t->columns[i]->name, order[i]);
	CHECK(find_index(t, "ix_notes_created_at") != NULL);
	CHECK_STR(t->primary_key ? t->primary_key->name : NULL, "pk_notes");
	CHECK(column(t, "id")->autoincrement);
	CHECK_STR(t->was, "Memo");
	CHECK_INT(t->mixin_count, 2);
	CHECK_STR(table(s, "logs")->was, "old_logs");
	rt_schema_free(s);
}

static void test_enums(void)
{
	rt_schema *s = parse(
		"enum HTTPMethod {\n  get\n  post,\n  put, delete,\n}\n"
		"table requests {\n"
		"  method HTTPMethod default 'post' server default get\n"
		"}\n"
		"enum Flag { now, later }\n"
		"table flags { f Flag default now }\n");
	if (!s)
		return;
	rt_enum *e = rt__schema_find_enum(s, "HTTPMethod");
	CHECK_STR(e ? e->sql_name : NULL, "http_method");
	CHECK_INT(e ? e->value_count : 0, 4);
	CHECK_STR(e ? e->values[3] : NULL, "delete");
	rt_column *m = column(table(s, "requests"), "method");
	/* A quoted enum value is normalized to a bare one. */
	CHECK_INT(m->default_value.kind, RT_LITERAL_ENUM);
	CHECK_STR(m->default_value.text, "post");
	/* `now` is the enum's value here, not the clock. */
	CHECK_INT(column(table(s, "flags"), "f")->default_value.kind, RT_LITERAL_ENUM);
	rt_schema_free(s);
}

static void test_lexical(void)
{
	rt_schema *s = parse(
		"# a comment line\r\n"
		"table t { # after a brace\r\n"
		"  a text default 'it''s' # trailing\r\n"
		"  b text check $$\n    b <> 'x'\n  $$\n"
		"  c double default -2.5e3\n"
		"  d string(3) default 'héé'\n"
		"  text text\n"
		"  \tcomment text? comment 'a column called comment'\n"
		"}");
	if (!s)
		return;
	rt_table *t = table(s, "t");
	CHECK_STR(column(t, "a")->default_value.text, "it's");
	CHECK_STR(find_constraint(t, "ck_t_b")->check, "b <> 'x'");
	CHECK_STR(column(t, "c")->default_value.text, "-2.5e3");
	CHECK_INT(column(t, "text")->type.kind, RT_TYPE_TEXT);
	CHECK_STR(column(t, "comment")->comment, "a column called comment");
	CHECK(t->comment == NULL);
	rt_schema_free(s);
}

static void test_one_line_bodies(void)
{
	rt_schema *s = parse("model A { id int primary key }  model B { id int primary key\n"
			     "a_id int references as(id)\n a A }\n"
			     "enum E { x }");
	if (!s)
		return;
	CHECK_INT(s->table_count, 2);
	CHECK_INT(rel(table(s, "bs"), "a")->kind, RT_REL_MANY_TO_ONE);
	rt_schema_free(s);
}

static void test_empty_schema(void)
{
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_string(&s, "", 0, NULL, NULL));
	CHECK(s && s->table_count == 0);
	rt_schema_free(s);
	CHECK_OK(rt_schema_parse_string(&s, NULL, 0, "empty.rt", NULL));
	CHECK(s && s->path == NULL);
	rt_schema_free(s);
}

/* A temporary folder with files, for include tests. */
static char *make_dir(void)
{
	static char dir[] = "/tmp/retort-include-XXXXXX";
	return mkdtemp(dir);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static void test_includes(void)
{
	char *dir = make_dir();
	CHECK(dir != NULL);
	if (!dir)
		return;
	char sub[512], path[512];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	mkdir(sub, 0700);
	write_file(dir, "main.rt", "include 'sub/users.rt'\ninclude './enums.rt'\n"
				   "model Post { id int primary key\n"
				   "  user_id int references users(id)\n  user User\n"
				   "  kind Kind }\n"
				   "include 'sub/users.rt'   # twice is harmless\n");
	write_file(dir, "enums.rt", "enum Kind { a, b }\n");
	/* Relative to the including file; reaching back up works too. */
	write_file(dir, "sub/users.rt", "include '../enums.rt'\nmodel User { id int primary key\n"
					"  posts Post[] }\n");
	snprintf(path, sizeof(path), "%s/main.rt", dir);
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_file(&s, path, NULL));
	CHECK(s && s->table_count == 2 && s->enum_count == 1);
	if (s) {
		CHECK_STR(s->tables[0]->name, "users");
		CHECK(strstr(s->tables[0]->pos.file, "sub/users.rt") != NULL);
		CHECK_INT(rel(table(s, "users"), "posts")->kind, RT_REL_ONE_TO_MANY);
	}
	rt_schema_free(s);
	/* Also through parse_string, relative to its name. */
	const char *text = "include 'enums.rt'\ntable t { k Kind }\n";
	CHECK_OK(rt_schema_parse_string(&s, text, strlen(text), path, NULL));
	rt_schema_free(s);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

static void test_errors_api(void)
{
	rt_schema *s = (rt_schema *)&s;
	const char *bad = "model User { id bigint primary key\n name strng }\n";
	CHECK_INT(rt_schema_parse_string(&s, bad, strlen(bad), "bad.rt", NULL), RT_EPARSE);
	CHECK(s == NULL);
	CHECK_INT(rt_error_last()->code, RT_EPARSE);
	CHECK(strncmp(rt_error_last()->message, "bad.rt:2:7: error: unknown type 'strng'",
		      39) == 0);

	CHECK_INT(rt_schema_parse_file(&s, "/nonexistent/models.rt", NULL), RT_EIO);
	CHECK(s == NULL);
	CHECK(strstr(rt_error_last()->message, "/nonexistent/models.rt") != NULL);
	CHECK_INT(rt_schema_parse_file(&s, NULL, NULL), RT_EINVAL);
	CHECK_INT(rt_schema_parse_string(NULL, "", 0, NULL, NULL), RT_EINVAL);

	/* max_errors caps the list. */
	const char *many = "table t {\n a x1\n b x2\n c x3\n d x4\n}\n";
	rt_parse_options opts = RT_PARSE_OPTIONS_INIT;
	opts.max_errors = 2;
	CHECK_INT(rt_schema_parse_string(&s, many, strlen(many), "many.rt", &opts), RT_EPARSE);
	const char *m = rt_error_last()->message;
	CHECK(strstr(m, "x2") != NULL && strstr(m, "x3") == NULL);
	CHECK(strstr(m, "stopped after 2 errors") != NULL);
	/* NUL bytes and broken UTF-8 are errors with a position, and make
	 * the text one that is not a schema: none of it is shown. */
	const char nul[] = "table t {\n a int\0\n}\n";
	CHECK_INT(rt_schema_parse_string(&s, nul, sizeof(nul) - 1, "nul.rt", NULL), RT_EPARSE);
	CHECK_STR(rt_error_last()->message, "nul.rt:2:7: error: this is not a schema file (a NUL "
					    "byte); it is not read, and none of it is shown");
	/* A file that begins with no declaration (nor a likely typo of one)
	 * is not a schema either: a password file says nothing of itself. */
	const char shadow[] = "root:$6$saltsalt$c2VjcmV0aGFzaA:19000:0:99999:7:::\n"
			      "daemon:*:19000:0:99999:7:::\n";
	CHECK_INT(rt_schema_parse_string(&s, shadow, sizeof(shadow) - 1, "shadow", NULL),
		  RT_EPARSE);
	CHECK_STR(rt_error_last()->message, "shadow:1:1: error: this is not a schema file (it does "
					    "not begin with a declaration); it is not read, and "
					    "none of it is shown");
}

/* Enum values that are not identifiers are strings, defaults name them. */
static void test_enum_string_values(void)
{
	rt_schema *s = parse("enum Priority { low, 'very high', 'it''s' }\n"
			     "model Task {\n"
			     "  id  bigint    primary key\n"
			     "  p   Priority  server default 'very high'\n"
			     "}\n");
	rt_enum *e = s ? rt__schema_find_enum(s, "Priority") : NULL;
	CHECK(e != NULL);
	if (e) {
		CHECK_INT(e->value_count, 3);
		CHECK_STR(e->values[1], "very high");
		CHECK_STR(e->values[2], "it's");
	}
	rt_column *p = column(table(s, "tasks"), "p");
	CHECK(p != NULL && p->server_default.text && strcmp(p->server_default.text, "very high") == 0);
	rt_schema_free(s);
}

/* SQL names that are no identifiers are written "quoted" wherever a SQL
 * name goes; the schema holds them unquoted. */
static void test_quoted_sql_names(void)
{
	rt_schema *s = parse(
		"model Person {\n"
		"  table 'Weird Table'\n"
		"  id            bigint  primary key\n"
		"  display_name  text?   column 'Display Name' was \"old name\"\n"
		"  a             int\n"
		"  notes  Note[]  back person on \"my.notes\".\"person id\" order by \"Written At\" desc\n"
		"  tags   Tag[]   through \"a b\" back people\n"
		"  unique \"name key\" (\"Display Name\")\n"
		"  index \"my index\" (a)\n"
		"  unique index \"say \"\"hi\"\"\" (a, \"Display Name\")\n"
		"  check \"a > 0\" 'a > 0'\n"
		"}\n"
		"model Note {\n"
		"  table \"my.notes\"\n"
		"  id          bigint     primary key\n"
		"  person_id   bigint     column 'person id' references \"Weird Table\"(\"id\")\n"
		"  written_at  timestamp  column 'Written At'\n"
		"  person      Person     back notes\n"
		"}\n"
		"model Tag { id bigint primary key\n people Person[] through \"a b\" back tags }\n"
		"table \"a b\" was \"old \"\"ab\"\"\" {\n"
		"  p  bigint\n"
		"  t  bigint\n"
		"  primary key \"My PK\" (p, t)\n"
		"  foreign key \"fk p\" (p) references \"Weird Table\"(id)\n"
		"  foreign key \"fk t\" (\"t\") references tags(id)\n"
		"}\n");
	if (!s)
		return;
	rt_table *people = table(s, "Weird Table");
	CHECK_STR(column(people, "Display Name")->field, "display_name");
	CHECK_STR(column(people, "Display Name")->was, "old name");
	CHECK_STR(find_constraint(people, "name key")->columns[0], "Display Name");
	CHECK_STR(find_constraint(people, "a > 0")->check, "a > 0");
	CHECK(!find_index(people, "my index")->unique);
	rt_index *ix = find_index(people, "say \"hi\"");
	CHECK(ix && ix->unique && ix->key_count == 2);
	CHECK_STR(ix ? ix->keys[1].column : NULL, "Display Name");
	rt_relationship *notes = rel(people, "notes");
	CHECK_INT(notes->kind, RT_REL_ONE_TO_MANY);
	CHECK_STR(notes->on_column, "my.notes.person id");
	CHECK_STR(notes->order_by, "Written At");
	CHECK(notes->order_desc);
	CHECK_INT(rel(people, "tags")->kind, RT_REL_MANY_TO_MANY);
	CHECK_STR(rel(people, "tags")->through, "a b");
	rt_constraint *fk = find_constraint(table(s, "my.notes"), "fk_my.notes_person id_Weird Table");
	CHECK_STR(fk ? fk->ref_table : NULL, "Weird Table");
	rt_table *link = table(s, "a b");
	CHECK_STR(link ? link->was : NULL, "old \"ab\"");
	CHECK_STR(link && link->primary_key ? link->primary_key->name : NULL, "My PK");
	CHECK_STR(find_constraint(link, "fk p")->ref_table, "Weird Table");
	CHECK_STR(find_constraint(link, "fk t")->columns[0], "t");
	rt_schema_free(s);
}

/* Files that are not to be read: a FIFO (opening it would wait for a
 * writer for ever), a file past the size limit (sparse here, so the test
 * writes nothing), a device. Each is refused at once with a clear
 * reason, as the schema or as an include. */
static void refused(const char *path, const char *reason)
{
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	rt_schema *s = NULL;
	CHECK_INT(rt_schema_parse_file(&s, path, NULL), RT_EIO);
	clock_gettime(CLOCK_MONOTONIC, &end);
	CHECK(s == NULL);
	CHECK(strstr(rt_error_last()->message, reason) != NULL);
	if (!strstr(rt_error_last()->message, reason))
		printf("%s: %s\n", path, rt_error_last()->message);
	CHECK(end.tv_sec - start.tv_sec < 2);

	char include[256];
	snprintf(include, sizeof(include), "include '%s'\n", path);
	CHECK_INT(rt_schema_parse_string(&s, include, strlen(include), "inc.rt", NULL),
		  RT_EPARSE);
	CHECK(strstr(rt_error_last()->message, reason) != NULL);
}

static void test_unreadable_files(void)
{
	char dir[] = "/tmp/retort-parser-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char fifo[300], big[300];
	snprintf(fifo, sizeof(fifo), "%s/models.rt", dir);
	snprintf(big, sizeof(big), "%s/big.rt", dir);
	CHECK(mkfifo(fifo, 0600) == 0);
	refused(fifo, "it is a FIFO, not a regular file");
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && ftruncate(fd, ((off_t)16 << 20) + 1) == 0);
	if (fd >= 0)
		close(fd);
	refused(big, "it is larger than the limit of 16 MiB");
	refused("/dev/zero", "it is a device, not a regular file");
	refused(dir, "it is a directory");
	unlink(fifo);
	unlink(big);
	rmdir(dir);
}

int main(void)
{
	RT_RUN(test_shop_example);
	RT_RUN(test_table_names);
	RT_RUN(test_all_types);
	RT_RUN(test_column_constraints);
	RT_RUN(test_table_level_members);
	RT_RUN(test_members_by_field_name);
	RT_RUN(test_relationship_options);
	RT_RUN(test_self_referential);
	RT_RUN(test_one_to_one_kinds);
	RT_RUN(test_mixins);
	RT_RUN(test_enums);
	RT_RUN(test_lexical);
	RT_RUN(test_one_line_bodies);
	RT_RUN(test_empty_schema);
	RT_RUN(test_includes);
	RT_RUN(test_errors_api);
	RT_RUN(test_unreadable_files);
	RT_RUN(test_enum_string_values);
	RT_RUN(test_quoted_sql_names);
	return rt_test_done();
}
