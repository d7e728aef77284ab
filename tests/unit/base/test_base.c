/* Unit tests for src/base: arena, buffer, map, last error. */
#include "test.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/map.h"

static void test_arena_strings_and_growth(void)
{
	rt_arena *arena = rt__arena_new();
	CHECK(arena != NULL);
	CHECK_STR(rt__arena_strdup(arena, "hello"), "hello");
	CHECK_STR(rt__arena_printf(arena, "%s-%d", "x", 42), "x-42");
	/* big allocations get their own block and stay zeroed */
	char *big = rt__arena_alloc(arena, 200000);
	CHECK(big != NULL && big[0] == 0 && big[199999] == 0);
	const char **items = NULL;
	size_t count = 0, cap = 0;
	for (int i = 0; i < 1000; i++)
		CHECK_INT(RT_ARENA_PUSH(arena, items, count, cap, "v"), 0);
	CHECK_INT(count, 1000);
	CHECK_STR(items[999], "v");
	rt__arena_free(arena);
	rt__arena_free(NULL);
}

static void test_buf(void)
{
	rt_buf buf = RT_BUF_INIT;
	CHECK_STR(rt__buf_cstr(&buf), "");
	rt__buf_puts(&buf, "a");
	rt__buf_printf(&buf, "%d", 12);
	rt__buf_put_sql_string(&buf, "it's");
	CHECK_STR(rt__buf_cstr(&buf), "a12'it''s'");
	char *s = rt__buf_detach(&buf);
	CHECK_STR(s, "a12'it''s'");
	free(s);
	rt__buf_free(&buf);
}

static void test_map(void)
{
	rt_arena *arena = rt__arena_new();
	rt_map map;
	rt__map_init(&map, arena);
	char *keys[500];
	for (int i = 0; i < 500; i++) {
		keys[i] = rt__arena_printf(arena, "key%d", i);
		CHECK_INT(rt__map_put(&map, keys[i], keys[i]), 0);
	}
	CHECK(rt__map_get(&map, "key7") == keys[7]);
	CHECK(rt__map_get(&map, "key499") == keys[499]);
	CHECK(rt__map_get(&map, "nope") == NULL);

	rt_map ci;
	rt__map_init(&ci, arena);
	CHECK_INT(rt__map_put_nocase(&ci, "Users", keys[1]), 0);
	CHECK(rt__map_get_nocase(&ci, "USERS") == keys[1]);
	rt__arena_free(arena);
}

static void test_last_error(void)
{
	rt_error_clear();
	CHECK_INT(rt_error_last()->code, RT_OK);
	CHECK_INT(rt__error_set(RT_ENOTFOUND, "no table %s", "x"), RT_ENOTFOUND);
	CHECK_STR(rt_error_last()->message, "no table x");
	rt__error_wrap("reflecting");
	CHECK_STR(rt_error_last()->message, "reflecting: no table x");
	rt__error_set_db(RT_ECONSTRAINT, "23505", 2067, RT_VIOLATION_UNIQUE, "uq_users_name",
			 "duplicate");
	CHECK_INT(rt_error_last()->constraint_kind, RT_VIOLATION_UNIQUE);
	CHECK_STR(rt_error_last()->constraint_name, "uq_users_name");
	CHECK_STR(rt_error_last()->sqlstate, "23505");
	CHECK_STR(rt_error_code_name(RT_EPARSE), "RT_EPARSE");
}

int main(void)
{
	RT_RUN(test_arena_strings_and_growth);
	RT_RUN(test_buf);
	RT_RUN(test_map);
	RT_RUN(test_last_error);
	return rt_test_done();
}
