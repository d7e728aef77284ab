/*
 * test_datetime.c - dates and times as text: the shapes accepted, and
 * days, months, hours and minutes that do not exist refused (the end of
 * each month, 29 February in leap and common years, 24:00, 99:99:99).
 */
#include "test.h"

#include "base/datetime.h"

/* The whole text is one date (or one time). */
static bool date_is(const char *text)
{
	const char *p = text;
	return rt__datetime_date(&p) && !*p;
}

static bool time_is(const char *text)
{
	const char *p = text;
	return rt__datetime_time(&p) && !*p;
}

static void test_dates(void)
{
	CHECK(date_is("2024-09-14"));
	CHECK(date_is("2024-01-31"));
	CHECK(date_is("2024-12-31"));
	CHECK(date_is("2024-02-29")); /* leap year */
	CHECK(date_is("2000-02-29")); /* divisible by 400 */
	CHECK(!date_is("2023-02-29"));
	CHECK(!date_is("1900-02-29")); /* divisible by 100, not by 400 */
	CHECK(!date_is("2024-04-31"));
	CHECK(!date_is("2024-13-45"));
	CHECK(!date_is("2024-00-10"));
	CHECK(!date_is("2024-01-00"));
	CHECK(!date_is("2024-1-01"));
	CHECK(!date_is("24-01-01"));
	CHECK(!date_is(""));
	const char *p = NULL;
	CHECK(!rt__datetime_date(&p));
	CHECK(!rt__datetime_date(NULL));
}

static void test_times(void)
{
	CHECK(time_is("16:38"));
	CHECK(time_is("16:38:00"));
	CHECK(time_is("23:59:60")); /* a leap second */
	CHECK(time_is("00:00:00.123456"));
	CHECK(!time_is("24:00"));
	CHECK(!time_is("99:99:99"));
	CHECK(!time_is("12:60"));
	CHECK(!time_is("12:00:61"));
	CHECK(!time_is("12:00:00."));
	CHECK(!time_is("1:00"));
	CHECK(!time_is(""));
}

/* A date followed by more text stops after the date. */
static void test_advances(void)
{
	const char *p = "2024-09-14 16:38:00";
	CHECK(rt__datetime_date(&p));
	CHECK_STR(p, " 16:38:00");
	p++;
	CHECK(rt__datetime_time(&p));
	CHECK_STR(p, "");
}

int main(void)
{
	RT_RUN(test_dates);
	RT_RUN(test_times);
	RT_RUN(test_advances);
	return rt_test_done();
}
