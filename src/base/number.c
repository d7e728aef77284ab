/*
 * number.c - a number literal taken apart (number.h).
 *
 * The exponent is folded into the point's position rather than applied to
 * a double: "1.5e3" must become "1500" digit for digit, and a DECIMAL(30,
 * 10) default has more digits than a double holds.
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
