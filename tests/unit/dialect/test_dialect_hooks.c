/*
 * test_dialect_hooks.c - every dialect's capability record and hooks agree
 * (a capability that says "done in place" comes with the hook that does
 * it, and none without), its identifier limit is not below the schema
 * language's, and the names a dialect makes up obey its own limit.
 */
#include "test.h"

#include <string.h>

#include "dialect/postgres.h"
#include "dialect/registry.h"
#include "schema/naming.h"

/* Every dialect this build has. */
static void test_caps_and_hooks_agree(void)
{
	size_t count = rt__backend_count(RT_BACKENDS_BUILT);
	CHECK(count > 0);
	for (size_t i = 0; i < count; i++) {
		const rt_dialect *d = rt__backend_dialect(rt__backend_at(RT_BACKENDS_BUILT, i));
		CHECK(d != NULL);
		if (!d)
			continue;
		/* The ORM's LIKE / ILIKE is always the dialect's words. */
		CHECK(d->quote_ident && d->column_type && d->drop_index && d->render_like &&
		      d->insert_defaults);
		CHECK((d->caps.drop_constraint_in_place || d->caps.alter_add_constraint) ==
		      (d->drop_constraint != NULL));
		CHECK(d->caps.alter_column_in_place == (d->alter_column != NULL));
		CHECK(d->caps.comments == (d->comment != NULL));
		bool enum_types = d->caps.enum_kind == RT_ENUM_TYPE;
		CHECK(enum_types == (d->create_enum != NULL));
		CHECK(enum_types == (d->drop_enum != NULL));
		CHECK(enum_types == (d->enum_add_value != NULL));
		CHECK(enum_types == (d->enum_replace != NULL));
		/* Inline enum values change by restating the column. */
		CHECK(d->caps.enum_kind != RT_ENUM_INLINE || d->alter_column != NULL);
		CHECK((d->caps.autoincrement == RT_AUTOINCREMENT_CLAUSE) ==
		      (d->autoincrement_clause != NULL));
		/* The language's limit is the smallest: a name the schema
		 * accepts, every dialect takes. */
		CHECK(d->caps.max_identifier_length == 0 ||
		      d->caps.max_identifier_length >= RT_MAX_IDENTIFIER_LENGTH);
	}
}

static void test_name_with_prefix(void)
{
	rt_arena *arena = rt__arena_new();
	CHECK_STR(rt__name_with_prefix(arena, "_rt_", "abc", 0), "_rt_abc");
	CHECK_STR(rt__name_with_prefix(arena, "_rt_", "abc", 7), "_rt_abc");
	CHECK_STR(rt__name_with_prefix(arena, "_rt_", "abcdef", 7), "_rt_abc");
	/* Never inside a character: "é" is two bytes. */
	CHECK_STR(rt__name_with_prefix(arena, "_rt_", "ab\xc3\xa9", 7), "_rt_ab");
	CHECK_STR(rt__name_with_prefix(arena, "_rt_", "abc", 2), "_rt_");
	rt__arena_free(arena);
}

static int collect(void *ctx, rt_buf *sql, rt_stmt_kind kind)
{
	(void)kind;
	rt_buf *all = ctx;
	rt__buf_puts(all, rt__buf_cstr(sql));
	rt__buf_puts(all, ";\n");
	rt__buf_clear(sql);
	return RT_OK;
}

/* The old type of a replaced enum steps aside under a name cut to the
 * dialect's limit, whatever that limit is. */
static void test_enum_replace_old_name(void)
{
	rt_dialect short_names = rt__dialect_postgres;
	short_names.caps.max_identifier_length = 16;
	static const char *const values[] = {"a"};
	rt_buf all = RT_BUF_INIT;
	CHECK_OK(rt__pg_enum_replace(&short_names, NULL, "cart_status_long", values, 1, NULL, 0,
				     collect, &all));
	CHECK_STR(rt__buf_cstr(&all),
		  "ALTER TYPE \"cart_status_long\" RENAME TO \"_rt_old_cart_sta\";\n"
		  "CREATE TYPE \"cart_status_long\" AS ENUM ('a');\n"
		  "DROP TYPE \"_rt_old_cart_sta\";\n");
	rt__buf_clear(&all);
	CHECK_OK(rt__pg_enum_replace(&rt__dialect_postgres, NULL, "cart_status_long", values, 1,
				     NULL, 0, collect, &all));
	CHECK(strstr(rt__buf_cstr(&all), "\"_rt_old_cart_status_long\"") != NULL);
	/* A type of another schema is named with it; the old one stays there. */
	rt__buf_clear(&all);
	CHECK_OK(rt__pg_enum_replace(&rt__dialect_postgres, "billing", "state", values, 1, NULL,
				     0, collect, &all));
	CHECK_STR(rt__buf_cstr(&all),
		  "ALTER TYPE \"billing\".\"state\" RENAME TO \"_rt_old_state\";\n"
		  "CREATE TYPE \"billing\".\"state\" AS ENUM ('a');\n"
		  "DROP TYPE \"billing\".\"_rt_old_state\";\n");
	rt__buf_free(&all);
}

int main(void)
{
	RT_RUN(test_caps_and_hooks_agree);
	RT_RUN(test_name_with_prefix);
	RT_RUN(test_enum_replace_old_name);
	return rt_test_done();
}
