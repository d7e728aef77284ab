/*
 * test_orm_writes.c - how the ORM's flush writes on MariaDB (the
 * mariadb_server fixture's server, RETORT_TEST_URL), on the models of
 * tests/orm/models.rt.
 *
 * New rows with a generated key go many to an INSERT ... RETURNING, not one
 * statement each (the ORM's 100,000-row insert was 8x slower than
 * hand-written multi-row INSERTs when every row was a statement of its
 * own), and every object gets its own row's key and server default back.
 * UPDATE has no RETURNING on MariaDB: a row deleted under the session is
 * still found by the affected-row count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orm/session_test.h"

#define NEW_ROWS 2500

static char *contents(FILE *f)
{
	fflush(f);
	long size = ftell(f);
	char *text = malloc((size_t)(size > 0 ? size : 0) + 1);
	if (!text)
		return NULL;
	rewind(f);
	size_t got = fread(text, 1, (size_t)(size > 0 ? size : 0), f);
	text[got] = '\0';
	fseek(f, 0, SEEK_END);
	return text;
}

static int occurrences(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = text; p && (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static void test_insert_many_rows(void)
{
	FILE *out = tmpfile();
	CHECK(out != NULL);
	if (!out)
		return;
	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	opts.echo = 1;
	opts.echo_stream = out;
	rt_engine *engine = orm_test_engine_with(&opts);
	rt_session *s = open_session(engine);
	Author *authors[NEW_ROWS];
	char name[32];
	for (int i = 0; i < NEW_ROWS; i++) {
		snprintf(name, sizeof(name), "author %04d", i);
		CHECK_OK(Author_new(&authors[i], s));
		CHECK_OK(Author_set_name(authors[i], name));
	}
	long before = ftell(out);
	CHECK_OK(rt_session_commit(s));
	char *text = contents(out);
	const char *flush = text ? text + before : NULL;
	/* 1,000 rows a statement: for 2,500 rows, one 1,000-row INSERT run
	 * twice and one of 500 rows, each reading the keys back. */
	CHECK_INT(occurrences(flush, "retort.engine INSERT INTO `authors`"), 2);
	CHECK_INT(occurrences(flush, "retort.engine [params] ('author "), 3);
	CHECK(flush && strstr(flush, "VALUES (?, ?, ?), (?, ?, ?)") != NULL);
	CHECK_INT(occurrences(flush, " RETURNING "), 2);
	free(text);

	/* Each object has its own row's key and server default. */
	char sql[128], text_value[64];
	for (int i = 0; i < NEW_ROWS; i += 499) {
		CHECK(authors[i]->id > 0);
		snprintf(sql, sizeof(sql), "SELECT name FROM authors WHERE id = %lld",
			 (long long)authors[i]->id);
		snprintf(name, sizeof(name), "author %04d", i);
		CHECK_STR(db_text(engine, sql, text_value, sizeof(text_value)), name);
		CHECK(authors[i]->created_at.date.year >= 2000);
	}
	CHECK_INT(db_int(engine, "SELECT COUNT(DISTINCT id) FROM authors"), NEW_ROWS);

	/* UPDATE without RETURNING: a row gone under the session is named. */
	Author *gone = authors[7];
	snprintf(sql, sizeof(sql), "DELETE FROM authors WHERE id = %lld", (long long)gone->id);
	db_exec(engine, sql);
	authors[8]->karma = 5;
	gone->karma = 9;
	CHECK_INT(rt_session_commit(s), RT_ENOTFOUND);
	CHECK(strstr(rt_error_last()->message, "authors") != NULL);
	CHECK_OK(rt_session_rollback(s));
	authors[8]->karma = 6;
	CHECK_OK(rt_session_commit(s));
	snprintf(sql, sizeof(sql), "SELECT karma FROM authors WHERE id = %lld",
		 (long long)authors[8]->id);
	CHECK_INT(db_int(engine, sql), 6);

	rt_session_close(s);
	rt_engine_free(engine);
	fclose(out);
}

int main(void)
{
	RT_RUN(test_insert_many_rows);
	return rt_test_done();
}
