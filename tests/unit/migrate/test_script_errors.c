/*
 * test_script_errors.c - the malformed migration scripts: every
 * tests/script_errors/<case>.rt must fail to parse with exactly the
 * message in <case>.expected (tests/support/golden_errors.h runs them, as
 * for the schema corpus; RETORT_UPDATE_GOLDEN=1 rewrites the expected
 * files).
 */
#include "test.h"

#include "migrate/script.h"
#include "support/golden_errors.h"

static int parse_script(const char *file)
{
	size_t len;
	char *text = golden_read_all(file, &len);
	if (!text)
		return RT_EIO;
	rt_migration *m = NULL;
	int rc = rt__script_parse(&m, file, text, len, 0);
	free(text);
	if (m) {
		rt__migration_free(m);
		return RT_OK;
	}
	return rc;
}

static void test_corpus(void)
{
	golden_run_corpus("script_errors", 30, parse_script);
}

int main(void)
{
	RT_RUN(test_corpus);
	return rt_test_done();
}
