/*
 * postgres_ddl.c - DDL that PostgreSQL needs beyond what the DDL module
 * (sql/ddl.c) writes for every dialect: replacing an enum type by one
 * with fewer values.
 *
 * ALTER TYPE can add a value to an enum but never remove one. So the old
 * type steps aside under a temporary name, the new type takes its name,
 * each column using it is converted through text (a row holding a removed
 * value fails the cast, and the transaction with it), and the old type is
 * dropped. A column default names the old type, so it is dropped first
 * and set again after the conversion.
 */
#include <string.h>

#include "base/error.h"
#include "dialect/postgres.h"
#include "schema/naming.h"

static void put_ident(rt_buf *buf, const char *name)
{
	rt__buf_put_quoted(buf, name, '"');
}

/* The old type's temporary name: "_rt_old_<type>", cut to PostgreSQL's
 * identifier length at a character boundary. */
static void put_old_name(rt_buf *buf, const char *type)
{
	static const char prefix[] = "_rt_old_";
	size_t room = RT_MAX_IDENTIFIER_LENGTH - (sizeof(prefix) - 1);
	size_t len = strlen(type);
	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)type[len] & 0xC0) == 0x80)
			len--; /* not inside a UTF-8 sequence */
	}
	char name[RT_MAX_IDENTIFIER_LENGTH + 1];
	memcpy(name, prefix, sizeof(prefix) - 1);
	memcpy(name + sizeof(prefix) - 1, type, len);
	name[sizeof(prefix) - 1 + len] = '\0';
	put_ident(buf, name);
}

static void alter_column(rt_buf *buf, const rt_enum_use *c)
{
	rt__buf_puts(buf, "ALTER TABLE ");
	put_ident(buf, c->table);
	rt__buf_puts(buf, " ALTER COLUMN ");
	put_ident(buf, c->column);
	rt__buf_putc(buf, ' ');
}

int rt__pg_enum_replace(const rt_dialect *dialect, const char *type, const char *const *values,
			size_t value_count, const rt_enum_use *columns, size_t column_count,
			rt_statement_sink push, void *ctx)
{
	(void)dialect;
	if (!type || !push || (value_count && !values) || (column_count && !columns))
		return rt__error_set(RT_EINVAL, "rt__pg_enum_replace: NULL argument");
	rt_buf buf = RT_BUF_INIT;
	int rc = RT_OK;
#define PUSH()                                                                 \
	do {                                                                   \
		if (rc == RT_OK)                                               \
			rc = rt__buf_failed(&buf) ? rt__error_nomem()          \
						  : push(ctx, &buf);           \
		rt__buf_clear(&buf);                                           \
	} while (0)

	rt__buf_puts(&buf, "ALTER TYPE ");
	put_ident(&buf, type);
	rt__buf_puts(&buf, " RENAME TO ");
	put_old_name(&buf, type);
	PUSH();

	rt__buf_puts(&buf, "CREATE TYPE ");
	put_ident(&buf, type);
	rt__buf_puts(&buf, " AS ENUM (");
	for (size_t i = 0; i < value_count; i++) {
		rt__buf_puts(&buf, i ? ", " : "");
		rt__buf_put_sql_string(&buf, values[i]);
	}
	rt__buf_putc(&buf, ')');
	PUSH();

	for (size_t i = 0; i < column_count; i++) {
		const rt_enum_use *c = &columns[i];
		if (c->default_sql) {
			alter_column(&buf, c);
			rt__buf_puts(&buf, "DROP DEFAULT");
			PUSH();
		}
		alter_column(&buf, c);
		rt__buf_puts(&buf, "TYPE ");
		put_ident(&buf, type);
		rt__buf_puts(&buf, " USING ");
		put_ident(&buf, c->column);
		rt__buf_puts(&buf, "::text::");
		put_ident(&buf, type);
		PUSH();
		if (c->default_sql) {
			alter_column(&buf, c);
			rt__buf_puts(&buf, "SET DEFAULT ");
			rt__buf_puts(&buf, c->default_sql);
			PUSH();
		}
	}

	rt__buf_puts(&buf, "DROP TYPE ");
	put_old_name(&buf, type);
	PUSH();
#undef PUSH
	rt__buf_free(&buf);
	return rc;
}
