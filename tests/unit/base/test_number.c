/*
 * test_number.c - number literals taken apart (base/number.h): signs,
 * points, exponents folded into the point, and what is not a number.
 */
#include "test.h"

#include "base/number.h"

static void check_parts(rt_arena *arena, const char *text, bool negative, const char *digits,
			long point)
{
	rt_number_parts num;
	CHECK(rt__number_parse(arena, text, 400, &num));
	CHECK_INT(num.negative, negative);
	CHECK_STR(num.digits, digits);
	CHECK_INT(num.count, strlen(digits));
	CHECK_INT(num.point, point);
}

static void test_numbers(void)
{
	rt_arena *arena = rt__arena_new();
	check_parts(arena, "007", false, "007", 3);
	check_parts(arena, "-120.000", true, "120000", 3);
	check_parts(arena, "+0.250", false, "0250", 1);
	check_parts(arena, "1.5e3", false, "15", 4);
	check_parts(arena, "2.50E-1", false, "250", 0);
	check_parts(arena, ".5", false, "5", 0);
	check_parts(arena, "5.", false, "5", 1);
	rt__arena_free(arena);
}

static void test_not_numbers(void)
{
	rt_arena *arena = rt__arena_new();
	rt_number_parts num;
	const char *bad[] = {"", "-", ".", "1e", "1e+", "1.2.3", "12a", "0x10", "1e401",
			     "1e-401", "1e99999999999999999999", " 1", "'1'"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!rt__number_parse(arena, bad[i], 400, &num));
	rt__arena_free(arena);
}

int main(void)
{
	RT_RUN(test_numbers);
	RT_RUN(test_not_numbers);
	return rt_test_done();
}
