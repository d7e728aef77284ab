/*
 * test_dialect.h - the dialect of RETORT_TEST_URL and its connection
 * parameters, for the tests that drive a dialect's functions directly
 * (dialect.h) rather than through an engine. Include after test.h.
 */
#ifndef RT_TESTS_TEST_DIALECT_H
#define RT_TESTS_TEST_DIALECT_H

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "dialect/dialect.h"
#include "engine/url.h"

/* RETORT_TEST_URL's dialect, its parameters in *params (strings in
 * arena); want, when not NULL, the dialect it must be. NULL, with the
 * reason printed, when the URL does not parse or names another. */
static inline const rt_dialect *test_dialect_open(rt_connect_params *params, rt_arena *arena,
						  const char *want)
{
	if (!arena || rt__url_parse(params, arena, rt_test_url()) != RT_OK) {
		fprintf(stderr, "cannot parse RETORT_TEST_URL %s: %s\n", rt_test_url(),
			rt_error_last()->message);
		return NULL;
	}
	const rt_dialect *dialect = rt__dialect_find(params->scheme);
	if (!dialect || (want && strcmp(dialect->name, want) != 0)) {
		fprintf(stderr, "RETORT_TEST_URL %s is not a %s URL\n", rt_test_url(),
			want ? want : "known");
		return NULL;
	}
	return dialect;
}

#endif
