/*
 * test_naming.c - table names from model names and back, default
 * constraint and index names (DESIGN §1 "Names").
 */
#include "test.h"

#include "retort.h"
#include "schema/naming.h"

static rt_arena *arena;

static void test_snake_case(void)
{
	CHECK_STR(rt__name_snake_case(arena, "User"), "user");
	CHECK_STR(rt__name_snake_case(arena, "CartItem"), "cart_item");
	CHECK_STR(rt__name_snake_case(arena, "CartStatus"), "cart_status");
	CHECK_STR(rt__name_snake_case(arena, "HTTPServer"), "http_server");
	CHECK_STR(rt__name_snake_case(arena, "UserID"), "user_id");
	CHECK_STR(rt__name_snake_case(arena, "Oauth2Token"), "oauth2_token");
	CHECK_STR(rt__name_snake_case(arena, "already_snake"), "already_snake");
	CHECK_STR(rt__name_snake_case(arena, "Two_Words"), "two_words");
	CHECK_STR(rt__name_snake_case(arena, ""), "");
}

static void test_camel_case(void)
{
	CHECK_STR(rt__name_camel_case(arena, "cart_item"), "CartItem");
	CHECK_STR(rt__name_camel_case(arena, "user"), "User");
	CHECK_STR(rt__name_camel_case(arena, "a__b_"), "AB");
}

static void test_plural(void)
{
	CHECK_STR(rt__name_plural(arena, "user"), "users");
	CHECK_STR(rt__name_plural(arena, "category"), "categories");
	CHECK_STR(rt__name_plural(arena, "day"), "days");
	CHECK_STR(rt__name_plural(arena, "address"), "addresses");
	CHECK_STR(rt__name_plural(arena, "box"), "boxes");
	CHECK_STR(rt__name_plural(arena, "batch"), "batches");
	CHECK_STR(rt__name_plural(arena, "wish"), "wishes");
	CHECK_STR(rt__name_plural(arena, "person"), "people");
	CHECK_STR(rt__name_plural(arena, "sales_person"), "sales_people");
	CHECK_STR(rt__name_plural(arena, "cart_item"), "cart_items");
	CHECK_STR(rt__name_plural(arena, "cart_status"), "cart_statuses");
	CHECK_STR(rt__name_plural(arena, "news"), "news");
	CHECK_STR(rt__name_plural(arena, "child"), "children");
	CHECK_STR(rt__name_plural(arena, "quiz"), "quizzes");
	CHECK_STR(rt__name_plural(arena, "settings"), "settings");
	CHECK_STR(rt__name_plural(arena, "analysis"), "analyses");
	CHECK_STR(rt__name_plural(arena, "bus"), "buses");
	CHECK_STR(rt__name_plural(arena, "campus"), "campuses");
}

static void test_singular(void)
{
	CHECK_STR(rt__name_singular(arena, "users"), "user");
	CHECK_STR(rt__name_singular(arena, "categories"), "category");
	CHECK_STR(rt__name_singular(arena, "addresses"), "address");
	CHECK_STR(rt__name_singular(arena, "boxes"), "box");
	CHECK_STR(rt__name_singular(arena, "batches"), "batch");
	CHECK_STR(rt__name_singular(arena, "houses"), "house");
	CHECK_STR(rt__name_singular(arena, "statuses"), "status");
	CHECK_STR(rt__name_singular(arena, "status"), "status");
	CHECK_STR(rt__name_singular(arena, "address"), "address");
	CHECK_STR(rt__name_singular(arena, "people"), "person");
	CHECK_STR(rt__name_singular(arena, "movies"), "movie");
	CHECK_STR(rt__name_singular(arena, "cart_product"), "cart_product");
	CHECK_STR(rt__name_singular(arena, "analysis"), "analysis");
	CHECK_STR(rt__name_singular(arena, "analyses"), "analysis");
	CHECK_STR(rt__name_singular(arena, "courses"), "course");
	CHECK_STR(rt__name_singular(arena, "campuses"), "campus");
	CHECK_STR(rt__name_singular(arena, "warehouses"), "warehouse");
	CHECK_STR(rt__name_singular(arena, "settings"), "setting");
}

static void test_tables_and_models(void)
{
	CHECK_STR(rt__name_table_for_model(arena, "User"), "users");
	CHECK_STR(rt__name_table_for_model(arena, "CartItem"), "cart_items");
	CHECK_STR(rt__name_table_for_model(arena, "Category"), "categories");
	CHECK_STR(rt__name_table_for_model(arena, "Address"), "addresses");
	CHECK_STR(rt__name_table_for_model(arena, "Box"), "boxes");
	CHECK_STR(rt__name_table_for_model(arena, "Person"), "people");
	CHECK_STR(rt__name_model_for_table(arena, "cart_items"), "CartItem");
	CHECK_STR(rt__name_model_for_table(arena, "categories"), "Category");
	CHECK_STR(rt__name_model_for_table(arena, "cart_product"), "CartProduct");
	CHECK_STR(rt__name_model_for_table(arena, "Users"), "User");
	/* The round trip holds for the usual names. */
	const char *models[] = {"User", "CartItem", "Category", "Address", "Box", "Person",
				"OrderLine", "Status", "House", "Course", "Campus", "Analysis",
				"Quiz", "Wish", "Batch", "Company", "Day"};
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		char *table = rt__name_table_for_model(arena, models[i]);
		CHECK_STR(rt__name_model_for_table(arena, table), models[i]);
	}
}

static void test_default_names(void)
{
	const char *one[] = {"username"};
	const char *two[] = {"cart_id", "product_id"};
	CHECK_STR(rt__name_primary_key(arena, "users"), "pk_users");
	CHECK_STR(rt__name_unique(arena, "users", one, 1), "uq_users_username");
	CHECK_STR(rt__name_unique(arena, "cart_product", two, 2),
		  "uq_cart_product_cart_id_product_id");
	CHECK_STR(rt__name_index(arena, "posts", (const char *[]){"title"}, 1),
		  "ix_posts_title");
	CHECK_STR(rt__name_foreign_key(arena, "profiles", (const char *[]){"user_id"}, 1,
				       "users"),
		  "fk_profiles_user_id_users");
	CHECK_STR(rt__name_column_check(arena, "products", "price"), "ck_products_price");
	CHECK_STR(rt__name_table_check(arena, "products", 2), "ck_products_2");
	CHECK_STR(rt__name_enum_check(arena, "carts", "status"), "ck_carts_status_enum");
}

int main(void)
{
	arena = rt__arena_new();
	RT_RUN(test_snake_case);
	RT_RUN(test_camel_case);
	RT_RUN(test_plural);
	RT_RUN(test_singular);
	RT_RUN(test_tables_and_models);
	RT_RUN(test_default_names);
	rt__arena_free(arena);
	return rt_test_done();
}
