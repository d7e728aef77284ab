/*
 * test_data.h - the per-backend data of an integration test: the SQL it
 * runs and the text it expects where each backend has its own, kept as
 * files rather than as branches in C, so that a backend is one more file:
 *
 *   tests/integration/data/<test>/<case>.<backend>.sql   SQL to run
 *   tests/integration/data/<test>/<case>.<backend>.txt   text expected
 *
 * <backend> is the dialect's name (rt_engine_dialect). A backend without
 * the file of a case fails the test, naming the file, rather than skip
 * it. With RETORT_UPDATE_GOLDEN=1, test_data_expect writes the .txt
 * files from what the test got instead of comparing; review the diff
 * before committing it. Include after test.h.
 */
#ifndef RT_TESTS_TEST_DATA_H
#define RT_TESTS_TEST_DATA_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/file.h"

/* The path of a data file, into out. */
static inline void test_data_path(char *out, size_t size, const char *test, const char *name,
				  const char *backend, const char *ext)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	snprintf(out, size, "%s/tests/integration/data/%s/%s.%s.%s", source ? source : "../..",
		 test, name, backend, ext);
}

/* The text of a data file (free it), or NULL, with the failure counted
 * and the file named. */
static inline char *test_data_read(const char *test, const char *name, const char *backend,
				   const char *ext)
{
	char path[4096], why[256];
	test_data_path(path, sizeof(path), test, name, backend, ext);
	rt_buf buf = RT_BUF_INIT;
	rt_test_checks++;
	if (rt__file_read(&buf, path, RT_FILE_MAX_BYTES, why, sizeof(why)) != 0) {
		rt_test_failures++;
		fprintf(stderr, "%s: cannot read '%s': %s\n", rt_test_current, path, why);
		rt__buf_free(&buf);
		return NULL;
	}
	return rt__buf_detach(&buf);
}

/* Checks that got is the text of <test>/<name>.<backend>.txt (or writes
 * the file, with RETORT_UPDATE_GOLDEN=1); false, with both texts printed,
 * when they differ. */
static inline bool test_data_expect(const char *got, const char *test, const char *name,
				    const char *backend)
{
	const char *update = getenv("RETORT_UPDATE_GOLDEN");
	if (update && strcmp(update, "1") == 0) {
		char path[4096];
		test_data_path(path, sizeof(path), test, name, backend, "txt");
		FILE *f = fopen(path, "wb");
		rt_test_checks++;
		if (!f || fputs(got ? got : "", f) < 0) {
			rt_test_failures++;
			fprintf(stderr, "%s: cannot write '%s'\n", rt_test_current, path);
		}
		if (f)
			fclose(f);
		return true;
	}
	char *want = test_data_read(test, name, backend, "txt");
	if (!want)
		return false;
	bool same = got && strcmp(got, want) == 0;
	rt_test_checks++;
	if (!same) {
		rt_test_failures++;
		fprintf(stderr, "%s: differs from %s/%s.%s.txt\n--- got:\n%s\n--- expected:\n%s\n",
			rt_test_current, test, name, backend, got ? got : "(null)", want);
	}
	free(want);
	return same;
}

/* The value of key in data file <test>/<name>.<backend>.txt, whose lines
 * are "key value" ('#' starts a comment line), into out; "" (with the
 * failure counted) when the file or the key is missing. */
static inline const char *test_data_value(char *out, size_t size, const char *test,
					  const char *name, const char *backend, const char *key)
{
	out[0] = '\0';
	char *text = test_data_read(test, name, backend, "txt");
	if (!text)
		return out;
	size_t n = strlen(key);
	bool found = false;
	for (char *line = text; line && *line && !found;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (line[0] != '#' && strncmp(line, key, n) == 0 && line[n] == ' ') {
			snprintf(out, size, "%s", line + n + 1);
			found = true;
		}
		line = end ? end + 1 : NULL;
	}
	rt_test_checks++;
	if (!found) {
		rt_test_failures++;
		fprintf(stderr, "%s: no %s in %s/%s.%s.txt\n", rt_test_current, key, test, name,
			backend);
	}
	free(text);
	return out;
}

#endif
