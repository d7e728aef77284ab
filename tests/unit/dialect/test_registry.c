/*
 * test_registry.c - the table of backends (dialect/registry.h): which ones
 * this build has (the build's list, RETORT_TEST_BACKENDS), finding one by
 * name, URL scheme or alias, the lists messages give, and what a backend
 * left out of the build does: its URL is refused naming the option that
 * adds it, and a migration script that names it still parses, its
 * statements skipped.
 */
#include <string.h>

#include "test.h"

#include "dialect/registry.h"
#include "migrate/migration.h"
#include "migrate/rebuild.h"
#include "migrate/script.h"
#include "retort.h"

/* The built set, names separated by one space. */
static void built_names(char *out, size_t size)
{
	rt__backend_list(out, size, RT_BACKENDS_BUILT, " ", " ");
}

static void test_built_is_the_build_list(void)
{
	const char *expected = getenv("RETORT_BUILT_BACKENDS");
	CHECK(expected != NULL);
	char names[256];
	built_names(names, sizeof(names));
	CHECK_STR(names, expected ? expected : "");
	size_t built = rt__backend_count(RT_BACKENDS_BUILT);
	CHECK(built >= 1);
	CHECK(rt__backend_count(RT_BACKENDS_KNOWN) >= built);
	for (size_t i = 0; i < built; i++) {
		const rt_backend *b = rt__backend_at(RT_BACKENDS_BUILT, i);
		const rt_dialect *d = rt__backend_dialect(b);
		CHECK(d != NULL);
		CHECK_STR(d ? d->name : NULL, b->name);
		CHECK(rt__dialect_find(b->name) == d);
	}
	CHECK(rt__backend_at(RT_BACKENDS_BUILT, built) == NULL);
}

static void test_find(void)
{
	const rt_backend *pg = rt__backend_find("postgresql", -1);
	CHECK(pg != NULL);
	CHECK(rt__backend_find("postgres", -1) == pg);
	CHECK(rt__backend_find("PostgreSQL+psycopg2", -1) == pg);
	CHECK(rt__backend_find("postgres+asyncpg", -1) == pg);
	/* Only the first scheme_len bytes count. */
	CHECK(rt__backend_find("postgresql://host/db", 10) == pg);
	CHECK(rt__backend_find("postgresql", 8) == pg); /* "postgres" */
	CHECK(rt__backend_find("postgresql", 7) == NULL);

	const rt_backend *lite = rt__backend_find("SQLite+pysqlite", -1);
	CHECK(lite != NULL && lite->file_url);
	CHECK(pg && !pg->file_url);
	CHECK(lite != pg);

	CHECK(rt__backend_find("oracle", -1) == NULL);
	CHECK(rt__backend_find("", -1) == NULL);
	CHECK(rt__backend_find("+x", -1) == NULL);
	CHECK(rt__backend_find(NULL, -1) == NULL);
	CHECK(rt__dialect_find(NULL) == NULL);
	CHECK(rt__dialect_find("oracle") == NULL);
}

static void test_lists(void)
{
	char all[256];
	rt__backend_list(all, sizeof(all), RT_BACKENDS_KNOWN, ", ", " or ");
	CHECK(strncmp(all, "sqlite, postgresql", 18) == 0 ||
	      strcmp(all, "sqlite or postgresql") == 0);

	const char *names[16];
	size_t n = rt__backend_names(names, 16, RT_BACKENDS_KNOWN);
	CHECK_INT(n, rt__backend_count(RT_BACKENDS_KNOWN));
	CHECK_STR(names[0], "sqlite");
	CHECK_STR(names[1], "postgresql");
	/* A short array gets what fits; the count is still all of them. */
	CHECK_INT(rt__backend_names(names, 1, RT_BACKENDS_KNOWN), n);

	/* A short buffer is cut, never overrun, and always terminated. */
	char small[8];
	memset(small, 'x', sizeof(small));
	rt__backend_list(small, 7, RT_BACKENDS_KNOWN, ", ", " or ");
	CHECK_STR(small, "sqlite");
	CHECK(small[7] == 'x');
	rt__backend_list(small, 1, RT_BACKENDS_KNOWN, ", ", " or ");
	CHECK_STR(small, "");
}

/* A backend this build has opens; one it leaves out is refused by name,
 * with the option that adds it; one retort does not know lists the
 * backends there are. */
static void test_engine_messages(void)
{
	char built[256], expected[512];
	rt__backend_list(built, sizeof(built), RT_BACKENDS_BUILT, ", ", " or ");
	for (size_t i = 0; i < rt__backend_count(RT_BACKENDS_KNOWN); i++) {
		const rt_backend *b = rt__backend_at(RT_BACKENDS_KNOWN, i);
		char url[128];
		snprintf(url, sizeof(url), "%s://%s", b->schemes[0] ? b->schemes[0] : b->name,
			 b->file_url ? "" : "u@localhost/db");
		rt_engine *engine = NULL;
		int rc = rt_engine_open(&engine, url, NULL);
		char *ddl = NULL;
		rt_schema *schema = NULL;
		static const char model[] = "table t {\n  id int primary key\n}\n";
		CHECK_INT(rt_schema_parse_string(&schema, model, strlen(model), "t.rt", NULL),
			  RT_OK);
		int ddl_rc = rt_schema_ddl(&ddl, schema, b->name, RT_DDL_CREATE);
		if (b->dialect) {
			CHECK_INT(rc, RT_OK);
			CHECK_STR(engine ? rt_engine_dialect(engine) : NULL, b->name);
			CHECK_INT(ddl_rc, RT_OK);
		} else {
			CHECK_INT(rc, RT_EINVAL);
			snprintf(expected, sizeof(expected),
				 "this build of retort has no %s backend (configure with -D%s=ON)",
				 b->name, b->option);
			CHECK_STR(rt_error_last()->message, expected);
			CHECK_INT(ddl_rc, RT_EINVAL);
			CHECK_STR(rt_error_last()->message, expected);
		}
		rt_free(ddl);
		rt_schema_free(schema);
		rt_engine_free(engine);
	}

	rt_engine *engine = NULL;
	CHECK_INT(rt_engine_open(&engine, "oracle://scott:tiger@db/orcl", NULL), RT_EINVAL);
	snprintf(expected, sizeof(expected),
		 "unsupported database 'oracle' in oracle://scott:***@db/orcl: expected %s", built);
	CHECK_STR(rt_error_last()->message, expected);
	CHECK(engine == NULL);
}

/* `execute ... only <backend>` parses for every backend retort knows, built
 * or not, and runs only on that backend's dialect. */
static void test_script_only(void)
{
	for (size_t i = 0; i < rt__backend_count(RT_BACKENDS_KNOWN); i++) {
		const rt_backend *b = rt__backend_at(RT_BACKENDS_KNOWN, i);
		char text[512];
		snprintf(text, sizeof(text),
			 "revision  aaaaaaaaaaaa\nrevises   base\ncreated   2024-01-01 00:00:00\n\n"
			 "upgrade {\n  execute 'SELECT 1' only %s\n}\n\ndowngrade {\n}\n",
			 b->name);
		rt_migration *m = NULL;
		int rc = rt__script_parse(&m, "versions/a.rt", text, strlen(text), 0);
		if (rc != RT_OK)
			fprintf(stderr, "%s\n", rt_error_last()->message);
		CHECK_INT(rc, RT_OK);
		if (!m)
			continue;
		CHECK_INT(m->upgrade.count, 1);
		const rt_op *op = m->upgrade.items[0];
		CHECK_STR(op->only_dialect, b->name);
		for (size_t k = 0; k < rt__backend_count(RT_BACKENDS_BUILT); k++) {
			const rt_backend *here = rt__backend_at(RT_BACKENDS_BUILT, k);
			CHECK(rt__op_runs_here(op, rt__backend_dialect(here)) == (here == b));
		}
		rt__migration_free(m);
	}
}

int main(void)
{
	RT_RUN(test_built_is_the_build_list);
	RT_RUN(test_find);
	RT_RUN(test_lists);
	RT_RUN(test_engine_messages);
	RT_RUN(test_script_only);
	return rt_test_done();
}
