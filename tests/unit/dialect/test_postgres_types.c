/*
 * test_postgres_types.c - types as PostgreSQL spells them: format_type()
 * text read into schema types (the language's words only where exact, a
 * verbatim type otherwise), and a user's spelling of a type brought to
 * format_type()'s, so that sql 'varchar(20)' compares equal to the
 * character varying(20) the database reports.
 */
#include "test.h"

#include "base/arena.h"
#include "dialect/postgres.h"

static void expect_spelling(const char *text, const char *spelled)
{
	rt_arena *arena = rt__arena_new();
	const char *got = rt__pg_type_spelling(arena, text);
	CHECK_STR(got ? got : "(null)", spelled);
	rt__arena_free(arena);
}

static void test_spelling(void)
{
	expect_spelling("tsvector", "tsvector");
	expect_spelling("TEXT []", "text[]");
	expect_spelling("text[][]", "text[]");
	expect_spelling("integer ARRAY", "integer[]");
	expect_spelling("int4", "integer");
	expect_spelling("INT", "integer");
	expect_spelling("int8[]", "bigint[]");
	expect_spelling("float8", "double precision");
	expect_spelling("float(10)", "real");
	expect_spelling("float", "double precision");
	expect_spelling("bool", "boolean");
	expect_spelling("varchar(20)", "character varying(20)");
	expect_spelling("varchar", "character varying");
	expect_spelling("char(3)", "character(3)");
	expect_spelling("char", "character(1)");
	expect_spelling("Character ( 3 )", "character(3)");
	expect_spelling("bpchar", "bpchar");
	expect_spelling("decimal(10, 2)", "numeric(10,2)");
	expect_spelling("numeric(5)", "numeric(5,0)");
	expect_spelling("timestamp", "timestamp without time zone");
	expect_spelling("timestamp(3)", "timestamp(3) without time zone");
	expect_spelling("timestamptz", "timestamp with time zone");
	expect_spelling("timestamp(0) with time zone", "timestamp(0) with time zone");
	expect_spelling("timetz", "time with time zone");
	expect_spelling("time(2)", "time(2) without time zone");
	expect_spelling("bit", "bit(1)");
	expect_spelling("varbit(10)", "bit varying(10)");
	expect_spelling("interval  day to second", "interval day to second");
	expect_spelling("pg_catalog.inet", "inet");
	expect_spelling("public.positive_int", "positive_int");
	expect_spelling("\"My Domain\"", "\"My Domain\"");
	expect_spelling("other.mood", "other.mood");
}

static void expect_read(const char *spelling, rt_type_kind kind, int a, int b)
{
	rt_type type;
	rt__pg_type_read(&type, spelling);
	CHECK_INT(type.kind, kind);
	if (kind == RT_TYPE_SQL)
		CHECK_STR(type.sql, spelling);
	else if (kind == RT_TYPE_STRING || kind == RT_TYPE_CHAR)
		CHECK_INT(type.length, a);
	else if (kind == RT_TYPE_NUMERIC) {
		CHECK_INT(type.precision, a);
		CHECK_INT(type.scale, b);
	}
}

static void test_read(void)
{
	expect_read("integer", RT_TYPE_INT, 0, 0);
	expect_read("character varying(50)", RT_TYPE_STRING, 50, 0);
	expect_read("character varying", RT_TYPE_STRING, 0, 0);
	expect_read("numeric(10,2)", RT_TYPE_NUMERIC, 10, 2);
	expect_read("numeric", RT_TYPE_NUMERIC, 0, 0);
	expect_read("jsonb", RT_TYPE_JSON, 0, 0);
	expect_read("timestamp with time zone", RT_TYPE_TIMESTAMPTZ, 0, 0);
	expect_read("time without time zone", RT_TYPE_TIME, 0, 0);
	/* Not exactly one of the language's words: verbatim. */
	expect_read("json", RT_TYPE_SQL, 0, 0);
	expect_read("character(3)", RT_TYPE_CHAR, 3, 0);
	expect_read("bytea[]", RT_TYPE_SQL, 0, 0); /* no array of blob */
	expect_read("positive_int[]", RT_TYPE_SQL, 0, 0);
	expect_read("timestamp(3) without time zone[]", RT_TYPE_SQL, 0, 0);
	expect_read("tsvector", RT_TYPE_SQL, 0, 0);
	expect_read("timestamp(3) without time zone", RT_TYPE_SQL, 0, 0);
	expect_read("time with time zone", RT_TYPE_SQL, 0, 0);
	expect_read("interval", RT_TYPE_SQL, 0, 0);
	expect_read("numeric(1001,2)", RT_TYPE_SQL, 0, 0);
	expect_read("positive_int", RT_TYPE_SQL, 0, 0);
}

/* An array of one of the language's types is its array. */
static void expect_array(const char *spelling, rt_type_kind kind, int a)
{
	rt_type type;
	rt__pg_type_read(&type, spelling);
	CHECK_INT(type.kind, kind);
	CHECK(type.array);
	if (kind == RT_TYPE_STRING || kind == RT_TYPE_CHAR)
		CHECK_INT(type.length, a);
	else if (kind == RT_TYPE_NUMERIC)
		CHECK_INT(type.precision, a);
}

static void test_read_arrays(void)
{
	expect_array("text[]", RT_TYPE_TEXT, 0);
	expect_array("integer[]", RT_TYPE_INT, 0);
	expect_array("character varying(20)[]", RT_TYPE_STRING, 20);
	expect_array("character(3)[]", RT_TYPE_CHAR, 3);
	expect_array("numeric(10,2)[]", RT_TYPE_NUMERIC, 10);
	expect_array("timestamp with time zone[]", RT_TYPE_TIMESTAMPTZ, 0);
	expect_array("jsonb[]", RT_TYPE_JSON, 0);
	rt_type type;
	rt__pg_type_read(&type, "integer");
	CHECK(!type.array);
}

int main(void)
{
	RT_RUN(test_spelling);
	RT_RUN(test_read);
	RT_RUN(test_read_arrays);
	return rt_test_done();
}
