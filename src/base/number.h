/*
 * number.h - a number literal taken apart ("-1.50e3": minus, the digits
 * "150", the point after 4 of them), for the dialects that bring a
 * database's spelling of a number back to the schema language's: each
 * lays the digits out its own way (MariaDB drops zeros PostgreSQL keeps),
 * but reading the literal is one job.
 */
#ifndef RT_BASE_NUMBER_H
#define RT_BASE_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

typedef struct rt_number_parts {
	bool negative;
	char *digits;  /* every digit written, before and after the point, in arena */
	size_t count;  /* strlen(digits) */
	long point;    /* the point falls after this many digits (may be < 0
			* or > count once the exponent is applied) */
} rt_number_parts;

/* Takes apart text, a plain number literal: an optional sign, digits with
 * at most one point, an optional exponent of at most max_exponent either
 * way. False when text is anything else (or memory ran out: out->digits
 * is NULL then). */
bool rt__number_parse(rt_arena *arena, const char *text, long max_exponent,
		      rt_number_parts *out);

/* A whole decimal integer, all of text: an optional sign and 1 to 19 or so
 * digits that fit an int64_t. False for anything else (empty, a space, a
 * point, a number out of range). What strtoll does for a database's
 * integer text, in a fifth of its instructions (no locale, no base, no
 * errno): it runs for every integer column of every row read as text. */
bool rt__int64_parse(const char *text, int64_t *out);

#endif
