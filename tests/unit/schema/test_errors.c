/*
 * test_errors.c - the malformed-schema corpus: every tests/schema_errors/
 * <case>.rt must fail with exactly the message in <case>.expected
 * (tests/support/golden_errors.h runs them; RETORT_UPDATE_GOLDEN=1
 * rewrites the expected files).
 *
 * Files under tests/schema_errors/include/ are only there to be included by
 * the cases.
 */
#include "test.h"

#include "support/golden_errors.h"

static int parse_schema(const char *file)
{
	rt_schema *schema = NULL;
	int rc = rt_schema_parse_file(&schema, file, NULL);
	if (schema) {
		rt_schema_free(schema);
		return RT_OK;
	}
	return rc;
}

static void test_corpus(void)
{
	golden_run_corpus("schema_errors", 45, parse_schema);
}

int main(void)
{
	RT_RUN(test_corpus);
	return rt_test_done();
}
