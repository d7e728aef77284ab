/*
 * orm_test.h - what every ORM test shares: the test harness (tests/test.h),
 * the code generated from tests/orm/models.rt, and a fresh database with
 * those models' tables on the backend RETORT_TEST_URL names.
 *
 *     rt_engine *engine = orm_test_engine();   // fresh tables, or exits
 *     ...
 *     rt_engine_free(engine);
 */
#ifndef RT_TESTS_ORM_TEST_H
#define RT_TESTS_ORM_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "support/test_db.h"
#include "models.h"

/* The models whose generated code "models.h" is: tests/orm/models.rt,
 * unless a test of models of its own says which before including this. */
#ifndef ORM_TEST_MODELS_RT
#define ORM_TEST_MODELS_RT "tests/orm/models.rt"
#endif

/* ORM_TEST_MODELS_RT, found through RETORT_SOURCE_DIR (set by ctest). */
static inline rt_schema *orm_test_schema(void)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", source ? source : ".", ORM_TEST_MODELS_RT);
	rt_schema *schema = NULL;
	if (rt_schema_parse_file(&schema, path, NULL) != RT_OK) {
		fprintf(stderr, "cannot parse %s: %s\n", path, rt_error_last()->message);
		exit(1);
	}
	return schema;
}

/* Drops whatever is there and creates the models' tables afresh. */
static inline void orm_test_reset(rt_engine *engine)
{
	rt_conn *conn = NULL;
	rt_schema *schema = orm_test_schema();
	if (rt_conn_open(&conn, engine) != RT_OK || test_db_fresh(engine, &conn) != RT_OK ||
	    rt_schema_create_all(conn, schema) != RT_OK) {
		fprintf(stderr, "cannot create the test tables on %s: %s\n", rt_test_url(),
			rt_error_last()->message);
		exit(1);
	}
	rt_conn_close(conn);
	rt_schema_free(schema);
}

/* An engine on RETORT_TEST_URL whose database holds the models' empty
 * tables; exits the test when that cannot be had. */
static inline rt_engine *orm_test_engine_at(const char *url, const rt_engine_options *options)
{
	rt_engine *engine = NULL;
	if (rt_engine_open(&engine, url, options) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", url, rt_error_last()->message);
		exit(1);
	}
	orm_test_reset(engine);
	return engine;
}

static inline rt_engine *orm_test_engine_with(const rt_engine_options *options)
{
	return orm_test_engine_at(rt_test_url(), options);
}

static inline rt_engine *orm_test_engine(void)
{
	return orm_test_engine_with(NULL);
}

/* A database in a file (one writer at a time), not on a server. */
static inline int orm_test_is_file_database(void)
{
	return strncmp(rt_test_url(), "sqlite", 6) == 0;
}

static inline int orm_test_is_postgres(void)
{
	return strncmp(rt_test_url(), "postgres", 8) == 0;
}

#endif
