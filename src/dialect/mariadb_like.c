/*
 * mariadb_like.c - LIKE and ILIKE for the ORM on MariaDB (the dialect's
 * render_like hook).
 *
 * MariaDB's LIKE follows the column's collation, and the usual ones
 * (utf8mb4_unicode_ci, utf8mb4_general_ci, ...) ignore case and accents;
 * the ORM promises a case-sensitive LIKE and a case-insensitive ILIKE on
 * every backend, with `\` escaping as on PostgreSQL. So the operand is
 * converted to utf8mb4 and compared under utf8mb4_bin, which tells every
 * character apart and still matches `_` to one character (not one byte);
 * ILIKE lowers both sides first. ESCAPE '\' is written out: with
 * NO_BACKSLASH_ESCAPES (which every connection has) LIKE has no escape
 * character of its own.
 */
#include "dialect/mariadb.h"

void rt__mariadb_render_like(rt_buf *sql, rt_buf *pattern, const char *operand,
			     const char *like_pattern, bool insensitive)
{
	if (insensitive) {
		rt__buf_puts(sql, "LOWER(CONVERT(");
		rt__buf_puts(sql, operand);
		rt__buf_puts(sql, " USING utf8mb4)) COLLATE utf8mb4_bin"
				  " LIKE LOWER(CONVERT(? USING utf8mb4)) ESCAPE '\\'");
	} else {
		rt__buf_puts(sql, "CONVERT(");
		rt__buf_puts(sql, operand);
		rt__buf_puts(sql, " USING utf8mb4) COLLATE utf8mb4_bin LIKE ? ESCAPE '\\'");
	}
	/* An empty pattern still binds as text, not as NULL. */
	rt__buf_puts(pattern, "");
	rt__buf_puts(pattern, like_pattern);
}
