/*
 * number.c - a number literal taken apart (number.h).
 *
 * The exponent is folded into the point's position rather than applied to
 * a double: "1.5e3" must become "1500" digit for digit, and a DECIMAL(30,
 * 10) default has more digits than a double holds.
 *
 * Also a whole integer read from text, which the drivers that hand values
 * over as text need for every integer column of every row.
 */
#include "base/number.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool rt__number_parse(rt_arena *arena, const char *text, long max_exponent,
		      rt_number_parts *out)
{
	memset(out, 0, sizeof(*out));
	const char *p = text;
	out->negative = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	size_t int_len = strspn(p, "0123456789");
	const char *frac = p + int_len;
	size_t frac_len = 0;
	if (*frac == '.') {
		frac++;
		frac_len = strspn(frac, "0123456789");
	}
	const char *rest = frac + frac_len;
	long exponent = 0;
	if (*rest == 'e' || *rest == 'E') {
		char *end;
		errno = 0;
		exponent = strtol(rest + 1, &end, 10);
		if (errno || end == rest + 1 || exponent > max_exponent || exponent < -max_exponent)
			return false;
		rest = end;
	}
	if (*rest || int_len + frac_len == 0)
		return false;
	out->count = int_len + frac_len;
	out->point = (long)int_len + exponent;
	out->digits = rt__arena_alloc(arena, out->count + 1);
	if (!out->digits)
		return false;
	memcpy(out->digits, p, int_len);
	memcpy(out->digits + int_len, frac, frac_len);
	out->digits[out->count] = '\0';
	return true;
}

bool rt__int64_parse(const char *text, int64_t *out)
{
	const char *p = text;
	bool negative = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	const char *digits = p;
	/* Eighteen digits cannot overflow: the usual key is read with no
	 * check but the digit's. */
	uint64_t v = 0;
	for (; (unsigned)(*p - '0') <= 9 && p - digits < 18; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (p == digits)
		return false;
	/* Past that, each digit checked against the magnitude the sign
	 * allows (INT64_MIN's is one more than INT64_MAX's). */
	uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; (unsigned)(*p - '0') <= 9; p++) {
		uint64_t digit = (uint64_t)(*p - '0');
		if (v > (limit - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	if (*p)
		return false;
	/* -v computed in unsigned arithmetic, then converted: for INT64_MIN's
	 * magnitude the conversion is the two's complement one C23 fixes and
	 * every compiler already does. */
	*out = negative ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}
