/*
 * test_infer.c - model names and relationships guessed for a reflected
 * schema (schema/infer.h), as `retort inspect` prints them.
 *
 * A "reflected" schema is made here by parsing plain `table` declarations,
 * which gives the same model a reflector builds: tables, columns and keys,
 * no models, no relationships. After inference, the printed schema must
 * parse (the parser checks every relationship and its foreign key) and
 * describe the same database.
 */
#include "test.h"

#include "retort.h"
#include "schema/infer.h"
#include "schema/metadata.h"

static rt_schema *parse(const char *text)
{
	rt_schema *schema = NULL;
	int rc = rt_schema_parse_string(&schema, text, strlen(text), "reflected.rt", NULL);
	if (rc != RT_OK)
		fprintf(stderr, "%s\n", rt_error_last()->message);
	return schema;
}

static const rt_relationship *find_rel(const rt_schema *s, const char *table,
				       const char *name)
{
	const rt_table *t = s ? rt__schema_find_table(s, table) : NULL;
	for (size_t i = 0; t && i < t->relationship_count; i++)
		if (strcmp(t->relationships[i]->name, name) == 0)
			return t->relationships[i];
	return NULL;
}

/* The relationship as the printer writes it: "Post[] back user". */
static const char *rel_text(const rt_schema *s, const char *table, const char *name)
{
	static char text[256];
	const rt_relationship *r = find_rel(s, table, name);
	if (!r)
		return "(missing)";
	snprintf(text, sizeof(text), "%s%s%s%s%s%s%s%s", r->target,
		 r->is_list ? "[]" : r->optional ? "?" : "", r->back ? " back " : "",
		 r->back ? r->back : "", r->through ? " through " : "",
		 r->through ? r->through : "", r->on_column ? " on " : "",
		 r->on_column ? r->on_column : "");
	return text;
}

static const char *model_of(const rt_schema *s, const char *table)
{
	const rt_table *t = s ? rt__schema_find_table(s, table) : NULL;
	return !t ? "(no table)" : t->model ? t->model : "(table)";
}

/* Infers on one copy of text, prints, re-parses and compares the database
 * side with another copy. Returns the inferred schema (caller frees). */
static rt_schema *infer_and_check(const char *text, const char *const *skip)
{
	rt_schema *schema = parse(text);
	rt_schema *original = parse(text);
	CHECK(schema && original);
	if (!schema || !original) {
		rt_schema_free(schema);
		rt_schema_free(original);
		return NULL;
	}
	CHECK_OK(rt__schema_infer(schema, skip));

	char *printed = NULL;
	CHECK_OK(rt_schema_print(&printed, schema));
	rt_schema *again = printed ? parse(printed) : NULL;
	CHECK(again != NULL);
	if (!again && printed)
		fprintf(stderr, "the inferred schema does not parse:\n%s\n", printed);
	if (again && !skip) {
		CHECK(rt_schema_equal(original, again, RT_COMPARE_DATABASE));
		/* Printing what was parsed back gives the same text. */
		char *reprinted = NULL;
		CHECK_OK(rt_schema_print(&reprinted, again));
		CHECK_STR(reprinted, printed);
		rt_free(reprinted);
	}
	rt_free(printed);
	rt_schema_free(again);
	rt_schema_free(original);
	return schema;
}

static const char shop[] =
	"table users {\n"
	"  id        bigint      primary key\n"
	"  username  string(50)  unique\n"
	"}\n"
	"table profiles {\n"
	"  id       bigint  primary key\n"
	"  user_id  bigint  unique references users(id) on delete cascade\n"
	"}\n"
	"table posts {\n"
	"  id       bigint  primary key\n"
	"  title    string(50)\n"
	"  user_id  bigint? references users(id)\n"
	"  index (title)\n"
	"}\n"
	"table products {\n"
	"  id    bigint  primary key\n"
	"  name  string(20)\n"
	"}\n"
	"table carts {\n"
	"  id       bigint  primary key\n"
	"  user_id  bigint  references users(id)\n"
	"}\n"
	"table cart_product {\n"
	"  cart_id     bigint  references carts(id) on delete cascade\n"
	"  product_id  bigint  references products(id)\n"
	"  quantity    int     server default 1\n"
	"  primary key (cart_id, product_id)\n"
	"}\n"
	"table favorites {\n"
	"  user_id     bigint  references users(id)\n"
	"  product_id  bigint  references products(id)\n"
	"  primary key (user_id, product_id)\n"
	"}\n";

static void test_models_are_camel_case_singular(void)
{
	rt_schema *s = infer_and_check(shop, NULL);
	CHECK_STR(model_of(s, "users"), "User");
	CHECK_STR(model_of(s, "profiles"), "Profile");
	CHECK_STR(model_of(s, "cart_product"), "CartProduct"); /* has more than its keys */
	CHECK_STR(model_of(s, "favorites"), "(table)");        /* a pure association */
	rt_schema_free(s);
}

static void test_foreign_keys_become_relationships(void)
{
	rt_schema *s = infer_and_check(shop, NULL);
	CHECK_STR(rel_text(s, "posts", "user"), "User? back posts");
	CHECK_STR(rel_text(s, "users", "posts"), "Post[] back user");
	CHECK_STR(rel_text(s, "carts", "user"), "User back carts");
	CHECK_STR(rel_text(s, "users", "carts"), "Cart[] back user");
	/* A unique foreign key is a one-to-one. */
	CHECK_STR(rel_text(s, "profiles", "user"), "User back profile");
	CHECK_STR(rel_text(s, "users", "profile"), "Profile? back user");
	const rt_relationship *profile = find_rel(s, "users", "profile");
	CHECK(profile && profile->kind == RT_REL_ONE_TO_ONE);
	/* An association object: two many-to-ones. */
	CHECK_STR(rel_text(s, "cart_product", "cart"), "Cart back cart_products");
	CHECK_STR(rel_text(s, "products", "cart_products"), "CartProduct[] back product");
	rt_schema_free(s);
}

static void test_association_table_gives_many_to_many(void)
{
	rt_schema *s = infer_and_check(shop, NULL);
	CHECK_STR(rel_text(s, "users", "products"), "Product[] back users through favorites");
	CHECK_STR(rel_text(s, "products", "users"), "User[] back products through favorites");
	const rt_relationship *r = find_rel(s, "users", "products");
	CHECK(r && r->kind == RT_REL_MANY_TO_MANY);
	rt_schema_free(s);
}

static void test_several_foreign_keys_to_one_table(void)
{
	rt_schema *s = infer_and_check(
		"table users {\n"
		"  id  bigint  primary key\n"
		"}\n"
		"table messages {\n"
		"  id            bigint  primary key\n"
		"  sender_id     bigint  references users(id)\n"
		"  recipient_id  bigint? references users(id)\n"
		"}\n",
		NULL);
	CHECK_STR(rel_text(s, "messages", "sender"), "User back sender_messages on sender_id");
	CHECK_STR(rel_text(s, "messages", "recipient"),
		  "User? back recipient_messages on recipient_id");
	CHECK_STR(rel_text(s, "users", "sender_messages"), "Message[] back sender on sender_id");
	rt_schema_free(s);
}

static void test_self_reference(void)
{
	rt_schema *s = infer_and_check(
		"table categories {\n"
		"  id         bigint  primary key\n"
		"  name       text\n"
		"  parent_id  bigint? references categories(id)\n"
		"}\n",
		NULL);
	CHECK_STR(model_of(s, "categories"), "Category");
	CHECK_STR(rel_text(s, "categories", "parent"), "Category? back categories");
	CHECK_STR(rel_text(s, "categories", "categories"), "Category[] back parent");
	rt_schema_free(s);
}

static void test_foreign_keys_both_ways(void)
{
	rt_schema *s = infer_and_check(
		"table users {\n"
		"  id               bigint   primary key\n"
		"  current_cart_id  bigint?  references carts(id)\n"
		"}\n"
		"table carts {\n"
		"  id       bigint  primary key\n"
		"  user_id  bigint  references users(id)\n"
		"}\n",
		NULL);
	/* Two foreign keys join the tables: both sides say which one. */
	CHECK_STR(rel_text(s, "users", "current_cart"),
		  "Cart? back current_cart_users on current_cart_id");
	CHECK_STR(rel_text(s, "carts", "user"), "User back user_carts on user_id");
	rt_schema_free(s);
}

static void test_composite_keys(void)
{
	rt_schema *s = infer_and_check(
		"table regions {\n"
		"  country  string(2)\n"
		"  code     string(5)\n"
		"  primary key (country, code)\n"
		"}\n"
		"table shops {\n"
		"  id       bigint  primary key\n"
		"  country  string(2)?\n"
		"  region   string(5)?\n"
		"  foreign key (country, region) references regions(country, code)\n"
		"}\n"
		"table shop_regions {\n"
		"  shop_id  bigint  references shops(id)\n"
		"  country  string(2)\n"
		"  code     string(5)\n"
		"  foreign key (country, code) references regions(country, code)\n"
		"  primary key (shop_id, country, code)\n"
		"}\n",
		NULL);
	/* A many-to-many through composite keys; a composite foreign key of
	 * a model gives no relationship of its own. */
	CHECK_STR(model_of(s, "shop_regions"), "(table)");
	CHECK_STR(rel_text(s, "shops", "regions"), "Region[] back shops through shop_regions");
	CHECK_INT(rt__schema_find_table(s, "shops")->relationship_count, 1);
	rt_schema_free(s);
}

static void test_names_avoid_columns_and_each_other(void)
{
	rt_schema *s = infer_and_check(
		"table users {\n"
		"  id     bigint  primary key\n"
		"  posts  int\n"
		"}\n"
		"table posts {\n"
		"  id       bigint  primary key\n"
		"  user     text\n"
		"  user_id  bigint  references users(id)\n"
		"  owner    bigint  references users(id)\n"
		"}\n",
		NULL);
	/* user_id -> user, taken by a column; owner (no _id) -> user again. */
	CHECK_STR(rel_text(s, "posts", "user2"), "User back user2_posts on user_id");
	CHECK_STR(rel_text(s, "posts", "user3"), "User back user3_posts on owner");
	CHECK_STR(rel_text(s, "users", "user2_posts"), "Post[] back user2 on user_id");
	rt_schema_free(s);

	s = infer_and_check(
		"table users {\n"
		"  id     bigint  primary key\n"
		"  posts  int\n"
		"}\n"
		"table posts {\n"
		"  id       bigint  primary key\n"
		"  user_id  bigint  references users(id)\n"
		"}\n",
		NULL);
	CHECK_STR(rel_text(s, "users", "posts2"), "Post[] back user");
	rt_schema_free(s);
}

static void test_model_names_stay_apart(void)
{
	rt_schema *s = infer_and_check(
		"enum Status { a, b }\n"
		"table user { id bigint primary key }\n"
		"table users { id bigint primary key }\n"
		"table statuses { id bigint primary key\n s Status }\n"
		"table log { line text }\n"
		"table order_2fa_codes { id bigint primary key }\n",
		NULL);
	CHECK_STR(model_of(s, "user"), "User");
	CHECK_STR(model_of(s, "users"), "User2");
	CHECK_STR(model_of(s, "statuses"), "Status2"); /* the enum has Status */
	CHECK_STR(model_of(s, "log"), "(table)");      /* no primary key */
	CHECK_STR(model_of(s, "order_2fa_codes"), "Order2faCode");
	rt_schema_free(s);
}

static void test_enums_get_type_names(void)
{
	rt_schema *s = parse("enum CartStatus { open, paid }\n"
			     "table carts { id bigint primary key\n status CartStatus }\n");
	CHECK(s != NULL);
	if (!s)
		return;
	/* A reflector knows the enum by its SQL type name. */
	s->enums[0]->name = "cart_status";
	s->tables[0]->columns[1]->type.enum_name = "cart_status";
	CHECK_OK(rt__schema_infer(s, NULL));
	CHECK_STR(s->enums[0]->name, "CartStatus");
	CHECK_STR(s->tables[0]->columns[1]->type.enum_name, "CartStatus");
	CHECK(rt__schema_find_enum(s, "CartStatus") == s->enums[0]);
	rt_schema_free(s);
}

static void test_columns_get_field_names(void)
{
	const char text[] = "table notes {\n"
			    "  id    bigint  primary key\n"
			    "  x     text    column 'Display Name'\n"
			    "  y     text    column 'display_name'\n"
			    "}\n";
	rt_schema *s = parse(text);
	rt_schema *original = parse(text);
	CHECK(s && original);
	if (!s || !original)
		return;
	/* A reflector knows columns only by their SQL names. */
	rt_table *t = s->tables[0];
	for (size_t i = 0; i < t->column_count; i++)
		t->columns[i]->field = t->columns[i]->name;
	CHECK_OK(rt__schema_infer(s, NULL));
	CHECK_STR(t->columns[1]->field, "display_name2"); /* display_name is taken */
	CHECK_STR(t->columns[2]->field, "display_name");

	char *printed = NULL;
	CHECK_OK(rt_schema_print(&printed, s));
	rt_schema *again = printed ? parse(printed) : NULL;
	CHECK(again && rt_schema_equal(original, again, RT_COMPARE_DATABASE));
	rt_free(printed);
	rt_schema_free(again);
	rt_schema_free(original);
	rt_schema_free(s);
}

static void test_bookkeeping_tables_are_skipped(void)
{
	static const char *const skip[] = {"alembic_version", "retort_history", NULL};
	rt_schema *s = infer_and_check(
		"table alembic_version { version_num string(32) primary key }\n"
		"table retort_history { id bigint primary key }\n"
		"table notes { id bigint primary key\n history_id bigint? "
		"references retort_history(id) }\n",
		skip);
	CHECK_INT(rt_schema_table_count(s), 2);
	CHECK_STR(model_of(s, "alembic_version"), "(no table)");
	/* Kept: another table refers to it. */
	CHECK_STR(model_of(s, "retort_history"), "RetortHistory");
	rt_schema_free(s);
}

int main(void)
{
	RT_RUN(test_models_are_camel_case_singular);
	RT_RUN(test_foreign_keys_become_relationships);
	RT_RUN(test_association_table_gives_many_to_many);
	RT_RUN(test_several_foreign_keys_to_one_table);
	RT_RUN(test_self_reference);
	RT_RUN(test_foreign_keys_both_ways);
	RT_RUN(test_composite_keys);
	RT_RUN(test_names_avoid_columns_and_each_other);
	RT_RUN(test_model_names_stay_apart);
	RT_RUN(test_enums_get_type_names);
	RT_RUN(test_columns_get_field_names);
	RT_RUN(test_bookkeeping_tables_are_skipped);
	return rt_test_done();
}
