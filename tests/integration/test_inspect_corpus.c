/*
 * test_inspect_corpus.c - the inspect property on the backend of
 * RETORT_TEST_URL: for every schema of the test corpus (the .rt files under
 * tests/schemas/, the shop example, the ORM test models, and the SQL of
 * tests/inspect_corpus/<backend>/, written by hand as databases retort did
 * not create hold them),
 *
 *     db1 = the schema, made in a fresh database
 *     text = inspect(db1)              must parse, with no error
 *     db2 = a fresh database made from text
 *     reflect(db1) == reflect(db2)     (as a database sees it)
 *
 * so every file inspect writes parses and describes the database exactly.
 * A failing case prints the inspected text and the differences.
 */
#include <dirent.h>
#include <stdlib.h>

#include "test.h"

#include "base/arena.h"
#include "base/buf.h"
#include "engine/engine.h"
#include "engine/url.h"
#include "retort.h"
#include "schema/infer.h"
#include "support/schema_backends.h"
#include "support/test_db.h"

static rt_engine *engine;
static rt_conn *conn;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files directly under dir whose names end in suffix, sorted. */
static size_t list_files(char ***out, const char *dir, const char *suffix)
{
	size_t count = 0, cap = 0, n = strlen(suffix);
	char **paths = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len <= n || strcmp(e->d_name + len - n, suffix) != 0)
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 32;
			char **grown = realloc(paths, cap * sizeof(*paths));
			if (!grown)
				break;
			paths = grown;
		}
		size_t size = strlen(dir) + len + 2;
		if (!(paths[count] = malloc(size)))
			break;
		snprintf(paths[count++], size, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(paths, count, sizeof(*paths), by_name);
	*out = paths;
	return count;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	rt_buf buf = RT_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rt__buf_put(&buf, chunk, n);
	fclose(f);
	rt__buf_putc(&buf, '\0');
	return rt__buf_detach(&buf);
}

/* A corpus case: how to make the first database, and what both need. */
typedef struct corpus_case {
	const char *path;
	rt_schema *schema; /* a .rt case */
	char *sql;         /* a .sql case: the tables */
	char *prelude;     /* a .sql case: what both databases need, or NULL */
} corpus_case;

/* Splits a .sql file at its line "-- tables" (tests/inspect_corpus/README.md). */
static bool load_sql(corpus_case *c)
{
	char *text = read_file(c->path);
	if (!text)
		return false;
	char *marker = strstr(text, "\n-- tables\n");
	if (marker) {
		marker[1] = '\0';
		c->prelude = text;
		c->sql = strdup(marker + strlen("\n-- tables\n"));
		return c->sql != NULL;
	}
	c->sql = text;
	return true;
}

static bool make_first(corpus_case *c)
{
	if (c->schema) {
		if (rt_schema_create_all(conn, c->schema) == RT_OK)
			return true;
		fprintf(stderr, "  create_all: %s\n", rt_error_last()->message);
		return false;
	}
	if ((c->prelude && rt_conn_execute(conn, c->prelude) != RT_OK) ||
	    rt_conn_execute(conn, c->sql) != RT_OK) {
		fprintf(stderr, "  the corpus SQL: %s\n", rt_error_last()->message);
		return false;
	}
	return true;
}

/* What `retort inspect` writes for the connected database. */
static char *inspect(rt_schema **reflected)
{
	static const char *const skip[] = {"alembic_version", "retort_history", NULL};
	char *text = NULL;
	if (rt_schema_reflect(reflected, conn) != RT_OK ||
	    rt__schema_infer(*reflected, skip) != RT_OK ||
	    rt_schema_print(&text, *reflected) != RT_OK) {
		fprintf(stderr, "  inspect: %s\n", rt_error_last()->message);
		return NULL;
	}
	return text;
}

static bool check_case(corpus_case *c)
{
	const rt_dialect *dialect = engine->dialect;
	unsigned flags = RT_COMPARE_DATABASE |
			 (dialect->caps.comments ? 0 : RT_COMPARE_IGNORE_COMMENTS);
	rt_schema *first = NULL, *inspected = NULL, *second = NULL;
	char *text = NULL;
	bool ok = false;

	if (!make_first(c) || !(text = inspect(&first)))
		goto done;
	if (rt_schema_parse_string(&inspected, text, strlen(text), "inspected.rt", NULL) !=
	    RT_OK) {
		fprintf(stderr, "  the inspected file does not parse:\n%s\n--- file:\n%s",
			rt_error_last()->message, text);
		goto done;
	}
	if (test_db_fresh(engine, &conn) != RT_OK ||
	    (c->prelude && rt_conn_execute(conn, c->prelude) != RT_OK) ||
	    rt_schema_create_all(conn, inspected) != RT_OK) {
		fprintf(stderr, "  a database from the inspected file: %s\n--- file:\n%s",
			rt_error_last()->message, text);
		goto done;
	}
	if (rt_schema_reflect(&second, conn) != RT_OK) {
		fprintf(stderr, "  reflect: %s\n", rt_error_last()->message);
		goto done;
	}
	if (!rt_schema_equal(first, second, flags)) {
		char *diff = NULL;
		if (rt_schema_differences(&diff, first, second, flags) == RT_OK)
			fprintf(stderr, "  differences (original, made from the file):\n%s", diff);
		fprintf(stderr, "--- file:\n%s", text);
		rt_free(diff);
		goto done;
	}
	ok = true;
done:
	rt_free(text);
	rt_schema_free(first);
	rt_schema_free(inspected);
	rt_schema_free(second);
	return ok;
}

static void run_one(const char *path)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	corpus_case c = {path, NULL, NULL, NULL};
	bool loaded;
	size_t len = strlen(path);
	/* A schema not for this backend, or one its DDL refuses (the round
	 * trip test checks the refusal): nothing to inspect. */
	schema_target target = schema_target_of(path, rt_engine_dialect(engine));
	if (target != SCHEMA_FOR_BACKEND) {
		printf("skip   %s (%s %s)\n", name,
		       target == SCHEMA_REFUSED ? "refused on" : "not for", rt_engine_dialect(engine));
		return;
	}
	if (len > 4 && strcmp(path + len - 4, ".sql") == 0) {
		loaded = load_sql(&c);
	} else {
		loaded = rt_schema_parse_file(&c.schema, path, NULL) == RT_OK;
		if (!loaded)
			fprintf(stderr, "  parse: %s\n", rt_error_last()->message);
	}
	bool ok = loaded && test_db_fresh(engine, &conn) == RT_OK && check_case(&c);
	printf("%s   %s\n", ok ? "ok  " : "FAIL", name);
	fflush(stdout);
	CHECK(ok);
	if (!ok)
		fprintf(stderr, "%s: inspect property failed on %s\n", name,
			rt_engine_dialect(engine));
	rt_schema_free(c.schema);
	free(c.sql);
	free(c.prelude);
}

static void run_dir(const char *dir, const char *suffix, size_t at_least)
{
	char **paths = NULL;
	size_t count = list_files(&paths, dir, suffix);
	CHECK(count >= at_least);
	for (size_t i = 0; i < count; i++) {
		run_one(paths[i]);
		free(paths[i]);
	}
	free(paths);
}

static void test_corpus(void)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char path[4096];
	source = source ? source : ".";
	snprintf(path, sizeof(path), "%s/tests/schemas", source);
	run_dir(path, ".rt", 22);
	snprintf(path, sizeof(path), "%s/examples/shop/models.rt", source);
	run_one(path);
	snprintf(path, sizeof(path), "%s/tests/orm/models.rt", source);
	run_one(path);
	snprintf(path, sizeof(path), "%s/tests/inspect_corpus/%s", source,
		 rt_engine_dialect(engine));
	run_dir(path, ".sql", 1);
}

int main(void)
{
	test_db_remove_sqlite_file();
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK ||
	    rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", rt_test_url(),
			rt_error_last()->message);
		rt_engine_free(engine);
		return 1;
	}
	RT_RUN(test_corpus);
	test_db_fresh(engine, &conn);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
