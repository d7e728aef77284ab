/*
 * sqlite_like.c - LIKE and ILIKE for the ORM on SQLite (the dialect's
 * render_like hook).
 *
 * SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not;
 * the ORM promises a case-sensitive LIKE and a case-insensitive ILIKE on
 * every backend, with `\` escaping as on PostgreSQL. So on SQLite:
 *   LIKE  becomes GLOB, which tells case apart (for every character), with
 *         the pattern rewritten into GLOB's syntax: `%` -> `*`, `_` -> `?`,
 *         and GLOB's own special characters made plain (`*` -> `[*]`, ...);
 *   ILIKE is LIKE with ESCAPE '\', which ignores the case of ASCII letters
 *         only (SQLite folds no other case without the ICU extension).
 * The connection-wide PRAGMA case_sensitive_like would do the first too,
 * but it is deprecated and would change the program's own raw SQL as well.
 */
#include "dialect/sqlite.h"

/* Appends c as GLOB matches it literally. */
static void glob_literal(rt_buf *out, char c)
{
	if (c == '*' || c == '?' || c == '[') {
		char bracket[4] = {'[', c, ']', '\0'};
		rt__buf_puts(out, bracket);
	} else {
		rt__buf_putc(out, c);
	}
}

void rt__sqlite_render_like(rt_buf *sql, rt_buf *pattern, const char *operand,
			    const char *like_pattern, bool insensitive)
{
	rt__buf_puts(sql, operand);
	if (insensitive) {
		rt__buf_puts(sql, " LIKE ? ESCAPE '\\'");
		rt__buf_puts(pattern, like_pattern);
		return;
	}
	rt__buf_puts(sql, " GLOB ?");
	/* An empty pattern still binds as text, not as NULL. */
	rt__buf_puts(pattern, "");
	for (const char *p = like_pattern; *p; p++) {
		if (*p == '%')
			rt__buf_putc(pattern, '*');
		else if (*p == '_')
			rt__buf_putc(pattern, '?');
		else if (*p == '\\' && p[1])
			glob_literal(pattern, *++p);
		else
			glob_literal(pattern, *p);
	}
}
