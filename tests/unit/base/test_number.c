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

/* Whole integers as a driver's text: every int64, nothing else. */
static void test_int64(void)
{
	static const struct {
		const char *text;
		int64_t value;
	} good[] = {{"0", 0},
		    {"-0", 0},
		    {"+7", 7},
		    {"42", 42},
		    {"-42", -42},
		    {"000123", 123},
		    {"9223372036854775807", INT64_MAX},
		    {"-9223372036854775808", INT64_MIN},
		    {"-9223372036854775807", -INT64_MAX}};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int64_t v = 1;
		CHECK(rt__int64_parse(good[i].text, &v));
		CHECK(v == good[i].value);
	}
	const char *bad[] = {"", "-", "+", " 1", "1 ", "1.0", "1e3", "0x10", "--1", "12a",
			     "9223372036854775808", "-9223372036854775809",
			     "99999999999999999999", "-99999999999999999999",
			     "100000000000000000000000000000000000000000"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = 5;
		CHECK(!rt__int64_parse(bad[i], &v));
		CHECK(v == 5); /* untouched on failure */
	}
}

int main(void)
{
	RT_RUN(test_numbers);
	RT_RUN(test_not_numbers);
	RT_RUN(test_int64);
	return rt_test_done();
}
