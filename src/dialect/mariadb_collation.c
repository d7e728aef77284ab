/*
 * mariadb_collation.c - a table's default collation on MariaDB (`collate
 * NAME` after a table's name): the clause CREATE TABLE ends with, and the
 * statement that changes an existing table's (the dialect's
 * table_collation and alter_table_collation hooks).
 *
 * MariaDB's DEFAULT COLLATE=x sets the table's character set with it
 * (utf8mb3_general_ci makes it utf8mb3). A column takes the table's
 * collation when it is made, and keeps it: ALTER TABLE t DEFAULT COLLATE
 * = x alone changes the default for columns made later. So the text
 * columns that follow the table's collation (no collation of their own)
 * are restated in the same statement, without a COLLATE, and take the new
 * one; a column with a collation of its own keeps it. A verbatim column
 * of a text type (sql 'tinytext') follows the table's collation too.
 */
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "dialect/mariadb.h"

/* A collation name: bare when it is a word (utf8mb4_bin), else quoted. */
static void put_collation(rt_buf *buf, const char *name)
{
	if (*name && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
			     strlen(name))
		rt__buf_puts(buf, name);
	else
		rt__buf_put_quoted(buf, name, '`');
}

void rt__mariadb_table_collation(rt_buf *buf, const rt_dialect *dialect, const char *collation)
{
	(void)dialect;
	rt__buf_puts(buf, " DEFAULT COLLATE=");
	put_collation(buf, collation);
}

bool rt__mariadb_verbatim_takes_collation(const char *sql)
{
	static const char *const text_types[] = {
		"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set",
	};
	size_t n = strspn(sql, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	for (size_t i = 0; i < sizeof(text_types) / sizeof(text_types[0]); i++)
		if (strlen(text_types[i]) == n && strncasecmp(sql, text_types[i], n) == 0)
			return true;
	return false;
}

/* ", MODIFY COLUMN <definition> [COMMENT '...']" for each column that
 * follows the table's collation (the comment is part of the definition:
 * left out, it would be dropped). */
static void put_columns(rt_buf *buf, const rt_table_collation_change *change)
{
	for (size_t i = 0; i < change->column_count; i++) {
		rt__buf_puts(buf, ", MODIFY COLUMN ");
		rt__buf_puts(buf, change->column_sql[i]);
		if (change->columns[i]->comment) {
			rt__buf_puts(buf, " COMMENT ");
			rt__buf_put_sql_string(buf, change->columns[i]->comment);
		}
	}
}

/* ALTER TABLE t DEFAULT COLLATE = x, MODIFY COLUMN ... Back to the
 * database's default, whose name only the server knows when the statement
 * runs (`upgrade --sql` writes it without a database), the statement is
 * made there: EXECUTE IMMEDIATE CONCAT('ALTER TABLE t DEFAULT COLLATE = ',
 * @@collation_database, ', MODIFY COLUMN ...'). */
int rt__mariadb_alter_table_collation(const rt_dialect *dialect,
				      const rt_table_collation_change *change,
				      rt_statement_sink push, void *ctx)
{
	(void)dialect;
	if (!change || !change->table || !push || (change->column_count && !change->column_sql))
		return rt__error_set(RT_EINVAL, "rt__mariadb_alter_table_collation: NULL argument");
	rt_buf head = RT_BUF_INIT, rest = RT_BUF_INIT, buf = RT_BUF_INIT;
	rt__buf_puts(&head, "ALTER TABLE ");
	rt__buf_put_quoted(&head, change->table->name, '`');
	rt__buf_puts(&head, " DEFAULT COLLATE = ");
	put_columns(&rest, change);
	if (change->collation) {
		rt__buf_puts(&buf, rt__buf_cstr(&head));
		put_collation(&buf, change->collation);
		rt__buf_puts(&buf, rt__buf_cstr(&rest));
	} else {
		rt__buf_puts(&buf, "EXECUTE IMMEDIATE CONCAT(");
		rt__buf_put_sql_string(&buf, rt__buf_cstr(&head));
		rt__buf_puts(&buf, ", @@collation_database");
		if (change->column_count) {
			rt__buf_puts(&buf, ", ");
			rt__buf_put_sql_string(&buf, rt__buf_cstr(&rest));
		}
		rt__buf_putc(&buf, ')');
	}
	int rc = rt__buf_failed(&head) || rt__buf_failed(&rest) || rt__buf_failed(&buf)
			 ? rt__error_nomem()
			 : push(ctx, &buf, RT_STMT_ALTER_TABLE);
	rt__buf_free(&head);
	rt__buf_free(&rest);
	rt__buf_free(&buf);
	return rc;
}
