/*
 * query_seed.h - a small library of rows for the query and loading tests,
 * written with plain SQL (not through a session, so that these tests check
 * reading on its own), and a counter of the SELECTs a session runs, read
 * from the engine's echo.
 *
 *   authors  1 Ann (ann@x.org, karma 10)   2 bob (no email, 5)
 *            3 Cy (cy@x.org, 0)            4 O'Brien (ob@x.org, 7)
 *   bios     1 of Ann, 2 of Cy
 *   books    1 Alpha (Ann, 5, 9.99)  2 beta (Ann, 3)  3 Gamma (Ann, 8, 12.50)
 *            4 Delta (bob, 1, 5.00)  5 alpha two (Cy, 10)
 *            6 100% pure (O'Brien, 2)  7 [draft] *x*? (O'Brien, 0)
 *   tags     1 c, 2 sql, 3 go;  Ann: c, sql;  bob: sql;  Cy: go
 *   categories  1 root > 2 zeta, 3 alpha, 4 mid;  3 alpha > 5 leaf
 *
 * Tests that need thousands of rows make them with seed_objects: through a
 * session of their own, whose flush writes them as batched multi-row
 * INSERTs on every backend (generating them in SQL is not portable: a
 * recursive CTE before INSERT and || for concatenation are not MariaDB's,
 * and its recursive CTEs stop silently after 1,000 rounds).
 */
#ifndef RT_TESTS_QUERY_SEED_H
#define RT_TESTS_QUERY_SEED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orm_test.h"

static const char *const seed_sql[] = {
	("INSERT INTO authors (id, name, email, karma) VALUES "
	 "(1, 'Ann', 'ann@x.org', 10), (2, 'bob', NULL, 5), (3, 'Cy', 'cy@x.org', 0), "
	 "(4, 'O''Brien', 'ob@x.org', 7)"),
	"INSERT INTO bios (id, author_id, text) VALUES (1, 1, 'Ann bio'), (2, 3, 'Cy bio')",
	("INSERT INTO books (id, author_id, title, score, price) VALUES "
	 "(1, 1, 'Alpha', 5, 9.99), (2, 1, 'beta', 3, NULL), (3, 1, 'Gamma', 8, 12.50), "
	 "(4, 2, 'Delta', 1, 5.00), (5, 3, 'alpha two', 10, NULL), "
	 "(6, 4, '100% pure', 2, NULL), (7, 4, '[draft] *x*?', 0, NULL)"),
	"INSERT INTO tags (id, label) VALUES (1, 'c'), (2, 'sql'), (3, 'go')",
	"INSERT INTO author_tags (author_id, tag_id) VALUES (1, 1), (1, 2), (2, 2), (3, 3)",
	"INSERT INTO categories (id, name, parent_id) VALUES (1, 'root', NULL)",
	("INSERT INTO categories (id, name, parent_id) VALUES (2, 'zeta', 1), (3, 'alpha', 1), "
	 "(4, 'mid', 1)"),
	"INSERT INTO categories (id, name, parent_id) VALUES (5, 'leaf', 3)",
};

/* Runs SQL on a connection of its own, outside any session; exits on
 * failure (the tests cannot run without their rows). */
static inline void seed_exec(rt_engine *engine, const char *const *sql, size_t count)
{
	rt_conn *conn = NULL;
	if (rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "seed: %s\n", rt_error_last()->message);
		exit(1);
	}
	for (size_t i = 0; i < count; i++) {
		if (rt_conn_execute(conn, sql[i]) != RT_OK) {
			fprintf(stderr, "seed: %s: %s\n", sql[i], rt_error_last()->message);
			exit(1);
		}
	}
	rt_conn_close(conn);
}

/* Makes count new objects of model in a session of its own, fill(object,
 * i) setting object i (i from 1), and commits them; exits on failure. */
static inline void seed_objects(rt_engine *engine, const rt_model_desc *model, size_t count,
				int (*fill)(void *object, size_t i))
{
	rt_session *s = NULL;
	if (rt_session_open(&s, engine) != RT_OK) {
		fprintf(stderr, "seed: %s\n", rt_error_last()->message);
		exit(1);
	}
	for (size_t i = 1; i <= count; i++) {
		void *object = NULL;
		if (rt_object_new(&object, s, model) != RT_OK || fill(object, i) != RT_OK) {
			fprintf(stderr, "seed: %s %zu: %s\n", model->name, i,
				rt_error_last()->message);
			exit(1);
		}
	}
	if (rt_session_commit(s) != RT_OK) {
		fprintf(stderr, "seed: %zu rows of %s: %s\n", count, model->name,
			rt_error_last()->message);
		exit(1);
	}
	rt_session_close(s);
}

/* Fresh tables holding the rows above. */
static inline void seed_library(rt_engine *engine)
{
	orm_test_reset(engine);
	seed_exec(engine, seed_sql, sizeof(seed_sql) / sizeof(seed_sql[0]));
}

/* --- counting statements through echo ------------------------------------ */

typedef struct echo_log {
	char *text;
	size_t len;
	FILE *stream;
} echo_log;

/* An engine on the test database with echo into log (call echo_log_free
 * after rt_engine_free). */
static inline rt_engine *echo_engine(echo_log *log)
{
	memset(log, 0, sizeof(*log));
	log->stream = open_memstream(&log->text, &log->len);
	if (!log->stream) {
		fprintf(stderr, "open_memstream failed\n");
		exit(1);
	}
	rt_engine_options options = RT_ENGINE_OPTIONS_INIT;
	options.echo = 1;
	options.echo_stream = log->stream;
	return orm_test_engine_with(&options);
}

/* SELECTs logged since the last call. */
static inline int echo_selects(echo_log *log, size_t *from)
{
	fflush(log->stream);
	int n = 0;
	const char *p = log->text + *from;
	while ((p = strstr(p, "retort.engine SELECT")) != NULL) {
		n++;
		p += 20;
	}
	*from = log->len;
	return n;
}

static inline void echo_log_free(echo_log *log)
{
	if (log->stream)
		fclose(log->stream);
	free(log->text);
}

/* The objects of a list as a comma-separated string of one text field,
 * for comparing whole results at once: list_names(&l, offsetof(Author,
 * name)) -> "Ann,bob". */
static inline const char *list_texts(const rt_list *list, size_t field_offset)
{
	static char out[4096];
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < list->count && len < sizeof(out) - 64; i++) {
		const char *text;
		memcpy(&text, (const char *)list->items[i] + field_offset, sizeof(text));
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? "," : "",
					text ? text : "NULL");
	}
	return out;
}

#endif
