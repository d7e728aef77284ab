/*
 * mariadb_ddl.c - the DDL MariaDB writes differently from the DDL module:
 * changing a column in place, dropping an index and dropping a constraint
 * (the dialect's alter_column, drop_index and drop_constraint hooks).
 */
#include "base/error.h"
#include "dialect/mariadb.h"

static void put_ident(rt_buf *buf, const char *ident)
{
	rt__buf_put_quoted(buf, ident, '`');
}

/* The dialect's alter_column hook. MariaDB restates the whole column in
 * one statement (ALTER TABLE t MODIFY COLUMN <definition>), which changes
 * type, NULL-ness and default at once and converts the rows itself; a
 * row that does not fit the new type fails the statement (strict mode).
 * A conversion of the script's own (USING) has no place in it: refused
 * by name rather than dropped. */
int rt__mariadb_alter_column(const rt_dialect *dialect, const rt_column_change *change,
			     rt_statement_sink push, void *ctx)
{
	(void)dialect;
	if (!change || !change->table || !change->before || !change->after || !push ||
	    !change->definition_sql)
		return rt__error_set(RT_EINVAL, "rt__mariadb_alter_column: NULL argument");
	if (change->set_type && change->using_expr)
		return rt__error_set(RT_EINVAL,
				     "%s.%s: MariaDB converts a column's values itself; the "
				     "conversion USING %s cannot be run there (convert the rows "
				     "with an UPDATE in a step of their own)",
				     change->table->name, change->before->name, change->using_expr);
	rt_buf buf = RT_BUF_INIT;
	rt__buf_puts(&buf, "ALTER TABLE ");
	put_ident(&buf, change->table->name);
	rt__buf_puts(&buf, " MODIFY COLUMN ");
	rt__buf_puts(&buf, change->definition_sql);
	int rc = rt__buf_failed(&buf) ? rt__error_nomem() : push(ctx, &buf, RT_STMT_ALTER_TABLE);
	rt__buf_free(&buf);
	return rc;
}

/* The dialect's drop_index hook: MariaDB's index names are per table, so
 * the table must be known. */
int rt__mariadb_drop_index(rt_buf *buf, const rt_dialect *dialect, const char *table,
			   const char *index)
{
	(void)dialect;
	if (!buf || !index)
		return rt__error_set(RT_EINVAL, "rt__mariadb_drop_index: NULL argument");
	if (!table)
		return rt__error_set(RT_EINVAL,
				     "drop index %s: MariaDB names an index within its table, "
				     "and neither the script nor the schema says which table",
				     index);
	rt__buf_puts(buf, "DROP INDEX ");
	put_ident(buf, index);
	rt__buf_puts(buf, " ON ");
	put_ident(buf, table);
	return RT_OK;
}

/* The dialect's drop_constraint hook. MariaDB spells the drop by the
 * constraint's kind: a unique constraint is an index of the table, a
 * foreign key has DROP FOREIGN KEY, the primary key DROP PRIMARY KEY
 * (its name is always PRIMARY there), a CHECK DROP CONSTRAINT. A foreign
 * key on columns no index began with got one from InnoDB, named as the
 * key, which DROP FOREIGN KEY leaves behind: an index nobody declared,
 * which reflection would then read as the table's own. The same statement
 * drops it (IF EXISTS: a key that used an index of the table's own has
 * none, and that index stays). Without
 * the definition the kind is unknown: refused by name rather than
 * guessed. */
int rt__mariadb_drop_constraint(rt_buf *buf, const rt_dialect *dialect, const char *table,
				const char *name, const rt_constraint *constraint)
{
	(void)dialect;
	if (!buf || !table || !name)
		return rt__error_set(RT_EINVAL, "rt__mariadb_drop_constraint: NULL argument");
	if (!constraint)
		return rt__error_set(RT_EINVAL,
				     "drop constraint %s on %s: MariaDB drops a constraint by "
				     "its kind, and neither the script nor the schema has its "
				     "definition (give it in the script: drop constraint %s on "
				     "%s unique (a), foreign key (a) references r(x), or check "
				     "'...')",
				     name, table, name, table);
	rt__buf_puts(buf, "ALTER TABLE ");
	put_ident(buf, table);
	switch (constraint->kind) {
	case RT_CONSTRAINT_PRIMARY_KEY:
		rt__buf_puts(buf, " DROP PRIMARY KEY");
		return RT_OK;
	case RT_CONSTRAINT_UNIQUE:
		rt__buf_puts(buf, " DROP INDEX ");
		break;
	case RT_CONSTRAINT_FOREIGN_KEY:
		rt__buf_puts(buf, " DROP FOREIGN KEY ");
		put_ident(buf, name);
		rt__buf_puts(buf, ", DROP INDEX IF EXISTS ");
		break;
	case RT_CONSTRAINT_CHECK:
		rt__buf_puts(buf, " DROP CONSTRAINT ");
		break;
	}
	put_ident(buf, name);
	return RT_OK;
}
