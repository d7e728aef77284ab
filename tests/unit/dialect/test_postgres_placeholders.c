/*
 * test_postgres_placeholders.c - `?` placeholders become $1, $2, ... for
 * PostgreSQL, except where a `?` is text: string literals (plain and E''),
 * quoted identifiers, comments (nested block comments too) and
 * dollar-quoted bodies. `??` is a literal `?` (the jsonb operators).
 */
#include "test.h"

#include "base/buf.h"
#include "dialect/postgres.h"

static void expect(const char *sql, const char *translated, int count)
{
	rt_buf buf = RT_BUF_INIT;
	int n = -1;
	rt__postgres_translate_placeholders(&buf, sql, &n);
	CHECK(!rt__buf_failed(&buf));
	CHECK_STR(rt__buf_cstr(&buf), translated);
	CHECK_INT(n, count);
	rt__buf_free(&buf);
}

static void test_plain(void)
{
	expect("", "", 0);
	expect("SELECT 1", "SELECT 1", 0);
	expect("INSERT INTO t (a, b) VALUES (?, ?)", "INSERT INTO t (a, b) VALUES ($1, $2)", 2);
	expect("?", "$1", 1);
	expect("a=?AND b=?", "a=$1AND b=$2", 2);
}

static void test_strings_and_identifiers(void)
{
	expect("SELECT '?', ?", "SELECT '?', $1", 1);
	expect("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1);
	expect("SELECT \"a?\"\"?\" FROM t WHERE x = ?", "SELECT \"a?\"\"?\" FROM t WHERE x = $1", 1);
	/* E'' strings take backslash escapes; a plain '' does not. */
	expect("SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1);
	expect("SELECT e'a\\\\', ?", "SELECT e'a\\\\', $1", 1);
	expect("SELECT '\\', ?", "SELECT '\\', $1", 1);
	/* An E ending an identifier is not a prefix. */
	expect("SELECT name'x', ?", "SELECT name'x', $1", 1);
	/* An unterminated string swallows the rest, placeholders included. */
	expect("SELECT 'abc ?", "SELECT 'abc ?", 0);
}

static void test_comments(void)
{
	expect("SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2", 2);
	expect("SELECT /* ? /* nested ? */ still ? */ ?", "SELECT /* ? /* nested ? */ still ? */ $1", 1);
	expect("SELECT 1 -- ?", "SELECT 1 -- ?", 0);
	expect("SELECT 1 - ?", "SELECT 1 - $1", 1);
}

static void test_dollar_quotes(void)
{
	expect("SELECT $$?$$, ?", "SELECT $$?$$, $1", 1);
	expect("SELECT $f$ $$ ? $f$, ?", "SELECT $f$ $$ ? $f$, $1", 1);
	expect("DO $body$ BEGIN RAISE NOTICE '?'; END $body$", "DO $body$ BEGIN RAISE NOTICE '?'; END $body$", 0);
	/* $1 is a parameter, a$b an identifier: neither opens a quote. */
	expect("SELECT $1, ?", "SELECT $1, $1", 1);
	expect("SELECT a$b, ?, c$", "SELECT a$b, $1, c$", 1);
	expect("SELECT $x$ unterminated ?", "SELECT $x$ unterminated ?", 0);
}

static void test_question_operators(void)
{
	expect("SELECT data ?? 'k' FROM t WHERE id = ?", "SELECT data ? 'k' FROM t WHERE id = $1", 1);
	expect("SELECT data ??| ARRAY['a'], ?", "SELECT data ?| ARRAY['a'], $1", 1);
	expect("SELECT ???", "SELECT ?$1", 1);
}

int main(void)
{
	RT_RUN(test_plain);
	RT_RUN(test_strings_and_identifiers);
	RT_RUN(test_comments);
	RT_RUN(test_dollar_quotes);
	RT_RUN(test_question_operators);
	return rt_test_done();
}
