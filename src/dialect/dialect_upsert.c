/*
 * dialect_upsert.c - the ON CONFLICT clause of the ORM's upsert as SQL
 * writes it, shared by the dialects whose backends take it (SQLite 3.24+,
 * PostgreSQL 9.5+) as their upsert_clause hook.
 */
#include "dialect/dialect.h"

#include "base/buf.h"

void rt__dialect_on_conflict(rt_buf *sql, const rt_dialect *d, const char *const *target,
			     int target_count, const char *const *update, int update_count)
{
	rt__buf_puts(sql, " ON CONFLICT (");
	for (int i = 0; i < target_count; i++) {
		if (i)
			rt__buf_puts(sql, ", ");
		d->quote_ident(sql, target[i]);
	}
	rt__buf_puts(sql, ")");
	if (update_count == 0) {
		rt__buf_puts(sql, " DO NOTHING");
		return;
	}
	/* excluded is the row the INSERT proposed. */
	for (int i = 0; i < update_count; i++) {
		rt__buf_puts(sql, i ? ", " : " DO UPDATE SET ");
		d->quote_ident(sql, update[i]);
		rt__buf_puts(sql, " = excluded.");
		d->quote_ident(sql, update[i]);
	}
}
