/*
 * golden_errors.h - the runner shared by the malformed-input corpora
 * (tests/schema_errors/, tests/script_errors/): every <case>.rt in the
 * folder must fail with RT_EPARSE and exactly the message in
 * <case>.expected (the message plus a final newline).
 *
 * The test runs from inside the folder, so messages name files as the
 * cases do. With RETORT_UPDATE_GOLDEN=1 it rewrites the .expected files
 * from the current messages instead of comparing; review the diff before
 * committing it. Include after test.h.
 */
#ifndef RT_TESTS_GOLDEN_ERRORS_H
#define RT_TESTS_GOLDEN_ERRORS_H

#include <dirent.h>
#include <stdbool.h>
#include <unistd.h>

#include "retort.h"

/* Parses one case file; returns the parse's code (the object it made, if
 * any, already freed). */
typedef int (*golden_parse_fn)(const char *file);

static int golden_compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whole file, NUL-terminated; *out_len (may be NULL) gets its size. */
static char *golden_read_all(const char *path, size_t *out_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *text = malloc(cap);
	size_t n;
	while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len <= 1) {
			char *grown = realloc(text, cap * 2);
			if (!grown) {
				free(text);
				fclose(f);
				return NULL;
			}
			text = grown;
			cap *= 2;
		}
	}
	fclose(f);
	if (text)
		text[len] = '\0';
	if (out_len)
		*out_len = len;
	return text;
}

/* Prints the first line where two texts differ, for a readable failure. */
static void golden_show_difference(const char *name, const char *want, const char *got)
{
	int line = 1;
	const char *w = want, *g = got;
	while (*w && *w == *g) {
		if (*w == '\n')
			line++;
		w++;
		g++;
	}
	fprintf(stderr, "%s: message differs from %s.expected at line %d\n--- got:\n%s--- "
			"expected:\n%s", name, name, line, got, want);
}

static void golden_run_case(const char *file, golden_parse_fn parse, bool update)
{
	char name[256], expected_path[300];
	snprintf(name, sizeof(name), "%.*s", (int)(strlen(file) - 3), file);
	snprintf(expected_path, sizeof(expected_path), "%s.expected", name);

	int rc = parse(file);
	rt_test_checks++;
	if (rc != RT_EPARSE) {
		rt_test_failures++;
		fprintf(stderr, "%s: expected RT_EPARSE, got %s\n", file, rt_error_code_name(rc));
		return;
	}
	size_t len = strlen(rt_error_last()->message);
	char *got = malloc(len + 2);
	if (!got)
		return;
	memcpy(got, rt_error_last()->message, len);
	memcpy(got + len, "\n", 2);

	if (update) {
		FILE *f = fopen(expected_path, "wb");
		CHECK(f != NULL);
		if (f) {
			fputs(got, f);
			fclose(f);
		}
		free(got);
		return;
	}
	char *want = golden_read_all(expected_path, NULL);
	rt_test_checks++;
	if (!want) {
		rt_test_failures++;
		fprintf(stderr, "%s: missing %s (run with RETORT_UPDATE_GOLDEN=1)\n", file,
			expected_path);
	} else if (strcmp(want, got) != 0) {
		rt_test_failures++;
		golden_show_difference(name, want, got);
	}
	free(want);
	free(got);
}

/* Runs every case of tests/<folder>, which must hold at least min_cases. */
static void golden_run_corpus(const char *folder, size_t min_cases, golden_parse_fn parse)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/%s", source ? source : "../..", folder);
	CHECK_INT(chdir(dir), 0);
	const char *update_env = getenv("RETORT_UPDATE_GOLDEN");
	bool update = update_env && strcmp(update_env, "1") == 0;

	DIR *d = opendir(".");
	CHECK(d != NULL);
	if (!d)
		return;
	char *names[512];
	size_t count = 0;
	struct dirent *entry;
	while ((entry = readdir(d)) && count < 512) {
		size_t len = strlen(entry->d_name);
		if (len > 3 && strcmp(entry->d_name + len - 3, ".rt") == 0)
			names[count++] = strdup(entry->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof(names[0]), golden_compare_names);
	for (size_t i = 0; i < count; i++) {
		if (names[i])
			golden_run_case(names[i], parse, update);
		free(names[i]);
	}
	CHECK(count >= min_cases);
	printf("%zu cases%s\n", count, update ? " (expected files rewritten)" : "");
}

#endif
