/*
 * test_roundtrip.c - the round-trip property on the backend of
 * RETORT_TEST_URL: for every schema under tests/schemas/ and the shop
 * example,
 *
 *     reflect(create_all(s)) == canonicalize(s)     (as a database sees it)
 *
 * and drop_all(s) leaves the database empty again. A failing schema prints
 * the differences and the DDL that was run. A schema's "# backends:" and
 * "# refused on:" lines (support/schema_backends.h) skip it on the backends
 * it is not written for, and on those whose DDL must refuse it, check that
 * create_all refuses it by name and leaves the database untouched.
 */
#include <dirent.h>
#include <stdlib.h>

#include "test.h"

#include "base/arena.h"
#include "base/buf.h"
#include "engine/engine.h"
#include "engine/url.h"
#include "retort.h"
#include "support/schema_backends.h"
#include "support/test_db.h"

static rt_engine *engine;
static rt_conn *conn;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .rt files directly under dir, sorted (include/ holds parts). */
static size_t list_schemas(char ***out, const char *dir)
{
	size_t count = 0, cap = 0;
	char **paths = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".rt") != 0)
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

static void print_ddl(const rt_schema *schema)
{
	char *ddl = NULL;
	if (rt_schema_ddl(&ddl, schema, rt_engine_dialect(engine), RT_DDL_CREATE) == RT_OK)
		fprintf(stderr, "--- DDL:\n%s", ddl);
	rt_free(ddl);
}

static bool database_is_empty(void)
{
	rt_schema *left = NULL;
	if (rt_schema_reflect(&left, conn) != RT_OK) {
		fprintf(stderr, "  reflect after drop: %s\n", rt_error_last()->message);
		return false;
	}
	bool empty = left->table_count == 0 && left->enum_count == 0;
	for (size_t i = 0; i < left->table_count; i++)
		fprintf(stderr, "  left behind: table %s\n", left->tables[i]->name);
	for (size_t i = 0; i < left->enum_count; i++)
		fprintf(stderr, "  left behind: type %s\n", left->enums[i]->sql_name);
	rt_schema_free(left);
	return empty;
}

/* One schema through create, reflect, compare and drop; true when every
 * step held. */
static bool round_trip(const char *path)
{
	rt_schema *schema = NULL, *reflected = NULL;
	bool ok = false;
	const rt_dialect *dialect = engine->dialect;
	unsigned flags = RT_COMPARE_DATABASE |
			 (dialect->caps.comments ? 0 : RT_COMPARE_IGNORE_COMMENTS);

	if (rt_schema_parse_file(&schema, path, NULL) != RT_OK) {
		fprintf(stderr, "  parse: %s\n", rt_error_last()->message);
		goto done;
	}
	dialect->canonicalize(schema);
	if (rt_schema_create_all(conn, schema) != RT_OK) {
		fprintf(stderr, "  create_all: %s\n", rt_error_last()->message);
		print_ddl(schema);
		goto done;
	}
	if (rt_schema_reflect(&reflected, conn) != RT_OK) {
		fprintf(stderr, "  reflect: %s\n", rt_error_last()->message);
		goto done;
	}
	if (!rt_schema_equal(schema, reflected, flags)) {
		char *diff = NULL;
		if (rt_schema_differences(&diff, schema, reflected, flags) == RT_OK)
			fprintf(stderr, "  differences (schema, reflected):\n%s", diff);
		rt_free(diff);
		print_ddl(schema);
		goto done;
	}
	if (rt_schema_drop_all(conn, schema) != RT_OK) {
		fprintf(stderr, "  drop_all: %s\n", rt_error_last()->message);
		goto done;
	}
	ok = database_is_empty();
done:
	rt_schema_free(reflected);
	rt_schema_free(schema);
	return ok;
}

/* A schema the backend's DDL must refuse: create_all fails with RT_EINVAL
 * before running anything, so the database stays empty. */
static bool refused(const char *path)
{
	rt_schema *schema = NULL;
	bool ok = false;
	if (rt_schema_parse_file(&schema, path, NULL) != RT_OK) {
		fprintf(stderr, "  parse: %s\n", rt_error_last()->message);
		goto done;
	}
	engine->dialect->canonicalize(schema);
	int rc = rt_schema_create_all(conn, schema);
	if (rc != RT_EINVAL) {
		fprintf(stderr, "  create_all returned %d, expected a refusal (RT_EINVAL)%s%s\n", rc,
			rc < 0 ? ": " : "", rc < 0 ? rt_error_last()->message : "");
		goto done;
	}
	printf("       refused: %s\n", rt_error_last()->message);
	ok = database_is_empty();
done:
	rt_schema_free(schema);
	return ok;
}

static void run_one(const char *path)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	schema_target target = schema_target_of(path, rt_engine_dialect(engine));
	if (target == SCHEMA_SKIPPED) {
		printf("skip   %s (written for other backends)\n", name);
		return;
	}
	bool ok = test_db_fresh(engine, &conn) == RT_OK &&
		  (target == SCHEMA_REFUSED ? refused(path) : round_trip(path));
	printf("%s   %s\n", ok ? "ok  " : "FAIL", name);
	fflush(stdout);
	CHECK(ok);
	if (!ok)
		fprintf(stderr, "%s: round trip failed on %s\n", name, rt_engine_dialect(engine));
}

static void test_schemas(void)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/schemas", source ? source : ".");
	char **paths = NULL;
	size_t count = list_schemas(&paths, dir);
	CHECK(count >= 22);
	for (size_t i = 0; i < count; i++) {
		run_one(paths[i]);
		free(paths[i]);
	}
	free(paths);

	char shop[4096];
	snprintf(shop, sizeof(shop), "%s/examples/shop/models.rt", source ? source : ".");
	run_one(shop);
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
	RT_RUN(test_schemas);
	test_db_fresh(engine, &conn);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
