/*
 * test_mariadb_types.c - a user's spelling of a verbatim type brought to
 * the one information_schema.COLUMNS.COLUMN_TYPE gives on MariaDB
 * (mariadb_types.c), so that sql 'INT UNSIGNED' in the models compares
 * equal to the int(10) unsigned the database reports: the display width
 * an integer type gets (narrower when unsigned), YEAR's, synonyms, and
 * UNSIGNED / ZEROFILL after the width.
 */
#include "test.h"

#include "base/arena.h"
#include "dialect/mariadb.h"

static rt_arena *arena;

static const char *spelled(const char *text)
{
	const char *got = rt__mariadb_type_spelling(arena, text);
	return got ? got : "(null)";
}

/* Two spellings of one type come out the same. */
static void expect_same(const char *user, const char *column_type)
{
	CHECK_STR(spelled(user), spelled(column_type));
}

static void test_spelling(void)
{
	CHECK_STR(spelled("INT"), "int(11)");
	CHECK_STR(spelled("integer"), "int(11)");
	CHECK_STR(spelled("Character ( 3 )"), "char(3)");
	CHECK_STR(spelled("NUMERIC(8, 2)"), "decimal(8,2)");
	CHECK_STR(spelled("INT UNSIGNED"), "int(10)unsigned");
	CHECK_STR(spelled("year"), "year(4)");
}

static void test_as_the_database_says(void)
{
	expect_same("INT UNSIGNED", "int(10) unsigned");
	expect_same("integer unsigned", "int(10) unsigned");
	expect_same("int(10) UNSIGNED", "int(10) unsigned");
	expect_same("BIGINT UNSIGNED", "bigint(20) unsigned");
	expect_same("smallint unsigned", "smallint(5) unsigned");
	expect_same("TINYINT UNSIGNED", "tinyint(3) unsigned");
	expect_same("mediumint unsigned", "mediumint(8) unsigned");
	expect_same("int zerofill", "int(10) unsigned zerofill");
	expect_same("INT UNSIGNED ZEROFILL", "int(10) unsigned zerofill");
	expect_same("smallint", "smallint(6)");
	expect_same("YEAR", "year(4)");
	expect_same("integer(5)", "int(5)");
	/* A different width is a different type. */
	CHECK(strcmp(spelled("int(5) unsigned"), spelled("int(10) unsigned")) != 0);
	CHECK(strcmp(spelled("int unsigned"), spelled("int(11)")) != 0);
}

int main(void)
{
	arena = rt__arena_new();
	RT_RUN(test_spelling);
	RT_RUN(test_as_the_database_says);
	rt__arena_free(arena);
	return rt_test_done();
}
