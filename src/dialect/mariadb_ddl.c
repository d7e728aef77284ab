/*
 * mariadb_ddl.c - the DDL MariaDB writes differently from the DDL module:
 * changing a column in place, commenting, dropping an index and dropping
 * a constraint, renaming a view or a sequence (the dialect's
 * alter_column, restate_check, comment, drop_index, before_drop_index,
 * drop_constraint and rename_sql_object hooks).
 *
 * MariaDB changes a column only by restating it whole (MODIFY COLUMN
 * <definition>): whatever the definition leaves out is reset, not kept.
 * So the definition carries everything the schema language describes
 * (type, NULL-ness, default, AUTO_INCREMENT, comment), and restate_check
 * refuses, by name and before any statement, a column that holds what the
 * language cannot describe and the restatement would silently drop.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "dialect/mariadb.h"

static void put_ident(rt_buf *buf, const char *ident)
{
	rt__buf_put_quoted(buf, ident, '`');
}

/* Is a column of this type LONGTEXT or LONGBLOB on MariaDB (mariadb_types.c),
 * which an index can hold only a prefix of? */
static bool stored_long(const rt_type *type)
{
	return type->kind == RT_TYPE_TEXT || type->kind == RT_TYPE_BLOB ||
	       type->kind == RT_TYPE_JSON || (type->kind == RT_TYPE_STRING && type->length == 0);
}

/* The first plain (not unique) index of table that uses column, or NULL.
 * A unique one keeps its meaning over a long column (MariaDB checks it
 * through a hash of the whole value). */
static const rt_index *plain_index_on(const rt_table *table, const char *column)
{
	for (size_t i = 0; i < table->index_count; i++) {
		const rt_index *index = table->indexes[i];
		/* A FULLTEXT index holds a long column whole. */
		if (!index->unique && !index->method && rt__index_uses_column(index, column))
			return index;
	}
	return NULL;
}

/* The dialect's alter_column hook. MariaDB restates the whole column in
 * one statement (ALTER TABLE t MODIFY COLUMN <definition>), which changes
 * type, NULL-ness and default at once and converts the rows itself; a
 * row that does not fit the new type fails the statement (strict mode).
 * A conversion of the script's own (USING) has no place in it: refused
 * by name rather than dropped. So is a change to LONGTEXT or LONGBLOB of
 * a column a plain index uses: MariaDB would shorten the index to a
 * prefix of each value with only a note, an index the schema cannot
 * describe (and a CREATE INDEX on such a column fails). */
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
	const rt_index *index = change->set_type && stored_long(&change->after->type) &&
					!stored_long(&change->before->type)
				? plain_index_on(change->table, change->before->name)
				: NULL;
	if (index)
		return rt__error_set(RT_EINVAL,
				     "%s.%s: index %s uses the column, and MariaDB would keep only "
				     "a prefix of each value of a LONGTEXT or LONGBLOB column in it, "
				     "an index the schema cannot describe (drop the index in a step "
				     "before, or give the column a string(n) type)",
				     change->table->name, change->before->name, index->name);
	rt_buf buf = RT_BUF_INIT;
	rt__buf_puts(&buf, "ALTER TABLE ");
	put_ident(&buf, change->table->name);
	rt__buf_puts(&buf, " MODIFY COLUMN ");
	rt__buf_puts(&buf, change->definition_sql);
	/* The comment is part of the definition: left out, it is dropped. */
	if (change->after->comment) {
		rt__buf_puts(&buf, " COMMENT ");
		rt__buf_put_sql_string(&buf, change->after->comment);
	}
	int rc = rt__buf_failed(&buf) ? rt__error_nomem() : push(ctx, &buf, RT_STMT_ALTER_TABLE);
	rt__buf_free(&buf);
	return rc;
}

/* The dialect's drop_index hook: MariaDB's index names are per table, so
 * the table must be known. */
int rt__mariadb_drop_index(rt_buf *buf, const rt_dialect *dialect, const rt_table *of,
			   const char *index)
{
	const char *table = of ? of->name : NULL;
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

/* Do columns (count of them) begin with prefix? */
static bool begins_with(const char *const *columns, size_t count, const char *const *prefix,
			size_t prefix_count)
{
	if (prefix_count == 0 || prefix_count > count)
		return false;
	for (size_t i = 0; i < prefix_count; i++)
		if (strcmp(columns[i], prefix[i]) != 0)
			return false;
	return true;
}

/* The most index keys the lookups below look at: MariaDB's limit. */
#define MAX_KEY_PARTS 32

/* The leading column keys of an index of the default method (those
 * InnoDB can look a foreign key up by: descending ones too, which it
 * takes for a key added after the index), in out (MAX_KEY_PARTS). */
static size_t lead_columns(const rt_index *x, const char **out)
{
	size_t n = 0;
	while (!x->method && n < x->key_count && n < MAX_KEY_PARTS && x->keys[n].column) {
		out[n] = x->keys[n].column;
		n++;
	}
	return n;
}

/* The columns of index, unique key or primary key `name` of table (an
 * index's in buffer, MAX_KEY_PARTS long). */
static bool key_columns(const rt_table *table, const char *name, const char **buffer,
			const char *const **columns, size_t *count)
{
	for (size_t i = 0; i < table->index_count; i++)
		if (strcmp(table->indexes[i]->name, name) == 0) {
			*count = lead_columns(table->indexes[i], buffer);
			*columns = buffer;
			return true;
		}
	for (size_t i = 0; i <= table->constraint_count; i++) {
		const rt_constraint *c = i ? table->constraints[i - 1] : table->primary_key;
		if (c && c->name && c->kind != RT_CONSTRAINT_FOREIGN_KEY &&
		    c->kind != RT_CONSTRAINT_CHECK && strcmp(c->name, name) == 0) {
			*columns = c->columns;
			*count = c->column_count;
			return true;
		}
	}
	return false;
}

/* Does an index or key of table other than `dropped` begin with the
 * columns of foreign key fk, as InnoDB needs? */
static bool served_elsewhere(const rt_table *table, const rt_constraint *fk, const char *dropped)
{
	for (size_t i = 0; i < table->index_count; i++) {
		const rt_index *x = table->indexes[i];
		const char *lead[MAX_KEY_PARTS];
		if (strcmp(x->name, dropped) != 0 &&
		    begins_with(lead, lead_columns(x, lead), fk->columns, fk->column_count))
			return true;
	}
	for (size_t i = 0; i <= table->constraint_count; i++) {
		const rt_constraint *c = i ? table->constraints[i - 1] : table->primary_key;
		/* A foreign key has no index in the model (InnoDB's own, if
		 * any, is not known here). */
		if (!c || c->kind == RT_CONSTRAINT_CHECK || c->kind == RT_CONSTRAINT_FOREIGN_KEY ||
		    (c->name && strcmp(c->name, dropped) == 0))
			continue;
		if (begins_with(c->columns, c->column_count, fk->columns, fk->column_count))
			return true;
	}
	return false;
}

/* The dialect's before_drop_index hook. InnoDB keeps a foreign key's
 * lookup in an index beginning with the key's columns; it makes one,
 * named as the key, only when the table has none, and refuses to drop
 * the one a key uses ("needed in a foreign key constraint"). Before such
 * an index or unique key goes, the key gets an index of its own, named
 * as the key: the index InnoDB would have made, which reflection counts
 * as the key's and drop_constraint drops with it. */
int rt__mariadb_before_drop_index(rt_buf *buf, const rt_dialect *dialect,
				  const rt_table *table, const char *name)
{
	(void)dialect;
	if (!buf || !table || !name)
		return rt__error_set(RT_EINVAL, "rt__mariadb_before_drop_index: NULL argument");
	const char *buffer[MAX_KEY_PARTS];
	const char *const *columns = NULL;
	size_t count = 0;
	if (!key_columns(table, name, buffer, &columns, &count))
		return RT_OK;
	const char *sep = NULL;
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *fk = table->constraints[i];
		if (fk->kind != RT_CONSTRAINT_FOREIGN_KEY || !fk->name ||
		    !begins_with(columns, count, fk->columns, fk->column_count) ||
		    served_elsewhere(table, fk, name))
			continue;
		/* An index made here for an earlier key serves this one too. */
		bool served = false;
		for (size_t j = 0; j < i && !served; j++) {
			const rt_constraint *earlier = table->constraints[j];
			served = earlier->kind == RT_CONSTRAINT_FOREIGN_KEY && earlier->name &&
				 begins_with(columns, count, earlier->columns, earlier->column_count) &&
				 !served_elsewhere(table, earlier, name) &&
				 begins_with(earlier->columns, earlier->column_count, fk->columns,
					     fk->column_count);
		}
		if (served)
			continue;
		if (!sep) {
			rt__buf_puts(buf, "ALTER TABLE ");
			put_ident(buf, table->name);
			sep = " ";
		}
		rt__buf_puts(buf, sep);
		/* IF NOT EXISTS: InnoDB's own may be there, unseen by the
		 * model (reflection counts it as the key's). */
		rt__buf_puts(buf, "ADD INDEX IF NOT EXISTS ");
		put_ident(buf, fk->name);
		rt__buf_puts(buf, " (");
		for (size_t k = 0; k < fk->column_count; k++) {
			if (k)
				rt__buf_puts(buf, ", ");
			put_ident(buf, fk->columns[k]);
		}
		rt__buf_putc(buf, ')');
		sep = ", ";
	}
	return rt__buf_failed(buf) ? rt__error_nomem() : RT_OK;
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
int rt__mariadb_drop_constraint(rt_buf *buf, const rt_dialect *dialect, const rt_table *of,
				const char *name, const rt_constraint *constraint)
{
	const char *table = of ? of->name : NULL;
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

/* The dialect's comment hook. A table's comment is a table option; a
 * column's is part of its definition, so the column is restated whole
 * (restate_check has made sure nothing else of it is lost). MariaDB has
 * no "no comment": the empty comment is none, and reads back as none. */
void rt__mariadb_comment(rt_buf *buf, const rt_dialect *dialect, const rt_table *of,
			 const char *column, const char *column_sql, const char *text)
{
	const char *table = of ? of->name : NULL;
	(void)dialect;
	rt__buf_puts(buf, "ALTER TABLE ");
	put_ident(buf, table ? table : "");
	if (column && column_sql) {
		rt__buf_puts(buf, " MODIFY COLUMN ");
		rt__buf_puts(buf, column_sql);
		rt__buf_puts(buf, " COMMENT ");
	} else {
		rt__buf_puts(buf, " COMMENT = ");
	}
	rt__buf_put_sql_string(buf, text ? text : "");
}

/* --- restate_check ------------------------------------------------------------ */

/* What the server keeps of the column beyond the language's description:
 * its collation and the table's, EXTRA (ON UPDATE, generated, INVISIBLE),
 * its comment, and its column-level checks. */
static const char RESTATE_SQL[] =
	"SELECT c.COLLATION_NAME, t.TABLE_COLLATION, c.EXTRA, c.COLUMN_COMMENT,"
	" (SELECT GROUP_CONCAT(k.CHECK_CLAUSE SEPARATOR ' AND ')"
	"  FROM information_schema.CHECK_CONSTRAINTS k"
	"  WHERE k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME"
	"  AND k.LEVEL = 'Column' AND k.CONSTRAINT_NAME = c.COLUMN_NAME)"
	" FROM information_schema.COLUMNS c"
	" JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA"
	"  AND t.TABLE_NAME = c.TABLE_NAME"
	" WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME = ? AND c.COLUMN_NAME = ?";

static const char *text_of(const rt_value *v)
{
	return v->type == RT_VALUE_TEXT ? v->s : NULL;
}

static bool has_word(const char *extra, const char *word)
{
	return extra && strstr(extra, word) != NULL;
}

/* Does a json column's column-level check hold only the json_valid check
 * that MODIFY ... JSON makes again? */
static bool only_json_check(const rt_column *column, const char *check)
{
	if (column->type.kind != RT_TYPE_JSON)
		return false;
	/* Quoted with double quotes under ANSI_QUOTES, backticks without. */
	char ansi[160], plain[160];
	snprintf(ansi, sizeof(ansi), "json_valid(\"%s\")", column->name);
	snprintf(plain, sizeof(plain), "json_valid(`%s`)", column->name);
	return strcmp(check, ansi) == 0 || strcmp(check, plain) == 0;
}

/* The reason the restatement of column would lose something, written to
 * why; false when it loses nothing. */
static bool restate_loses(rt_buf *why, const rt_column *column, const rt_value *row)
{
	const char *collation = text_of(&row[0]), *table_collation = text_of(&row[1]);
	const char *extra = text_of(&row[2]), *comment = text_of(&row[3]);
	const char *check = text_of(&row[4]);
	static const char *const extras[] = {"on update", "VIRTUAL", "STORED", "INVISIBLE"};
	for (size_t i = 0; i < sizeof(extras) / sizeof(*extras); i++) {
		/* VIRTUAL, STORED: a generated column, restated whole when the
		 * schema has it so; ON UPDATE too, when the schema says
		 * `server onupdate now` */
		bool generation = i == 1 || i == 2;
		bool kept = generation ? column->generated != NULL
			    : i == 0   ? column->server_onupdate
				       : false;
		if (has_word(extra, extras[i]) && !kept) {
			rt__buf_printf(why, "its %s", extra);
			return true;
		}
	}
	/* json is utf8mb4_bin by MariaDB's own doing, and MODIFY ... JSON
	 * makes it so again; a collation the schema has is restated. */
	if (collation && table_collation && strcmp(collation, table_collation) != 0 &&
	    column->type.kind != RT_TYPE_JSON &&
	    !(column->collation && strcasecmp(column->collation, collation) == 0)) {
		rt__buf_printf(why, "its collation %s (the table's is %s)", collation,
			       table_collation);
		return true;
	}
	if (check && *check && !only_json_check(column, check)) {
		rt__buf_printf(why, "its column check CHECK (%s)", check);
		return true;
	}
	if (comment && *comment && (!column->comment || strcmp(comment, column->comment) != 0)) {
		rt__buf_puts(why, "its comment ");
		rt__buf_put_sql_string(why, comment);
		rt__buf_puts(why, column->comment ? " (the schema says another)"
						  : " (the schema has none)");
		return true;
	}
	return false;
}

/* The dialect's restate_check hook: run on the live connection before a
 * statement restates column `column` of `table` (alter_column, a column's
 * comment). */
int rt__mariadb_restate_check(const rt_dialect *dialect, rt_driver_conn *conn,
			      const char *table, const rt_column *column)
{
	if (!dialect || !conn || !table || !column)
		return rt__error_set(RT_EINVAL, "rt__mariadb_restate_check: NULL argument");
	rt_driver_stmt *stmt = NULL;
	int rc = dialect->prepare(&stmt, conn, RESTATE_SQL);
	rt_value name = {.type = RT_VALUE_TEXT, .s = table, .len = strlen(table)};
	if (rc == RT_OK)
		rc = dialect->bind(stmt, 1, &name);
	name = (rt_value){.type = RT_VALUE_TEXT, .s = column->name, .len = strlen(column->name)};
	if (rc == RT_OK)
		rc = dialect->bind(stmt, 2, &name);
	if (rc == RT_OK)
		rc = dialect->step(stmt);
	rt_value row[5] = {{0}};
	for (int i = 0; rc == RT_ROW && i < 5; i++)
		if (dialect->column_value(stmt, i, &row[i]) < 0)
			rc = rt_error_last()->code;
	if (rc == RT_ROW) {
		rt_buf why = RT_BUF_INIT;
		rc = RT_OK;
		if (restate_loses(&why, column, row))
			rc = rt__error_set(RT_EINVAL,
					   "%s.%s: MariaDB changes a column only by restating it "
					   "whole (MODIFY COLUMN), which would silently drop %s: "
					   "the schema language cannot describe it, so retort "
					   "refuses rather than lose it (change the column with "
					   "an execute step written for MariaDB)",
					   table, column->name,
					   rt__buf_failed(&why) ? "?" : rt__buf_cstr(&why));
		rt__buf_free(&why);
	} else if (rc == RT_DONE) {
		rc = RT_OK; /* no such column yet: the statement's own error says so */
	}
	dialect->finalize(stmt);
	return rc < 0 ? rc : RT_OK;
}

/* RENAME TABLE renames a view or a sequence (both are tables to MariaDB),
 * a sequence keeping its value. Triggers, functions and procedures have
 * no rename: 1, and the DDL drops and makes them again. */
int rt__mariadb_rename_sql_object(const rt_dialect *dialect, const rt_sql_object *o,
				  const rt_sql_object *renamed, rt_statement_sink push, void *ctx)
{
	(void)dialect;
	if (o->kind != RT_SQL_VIEW && o->kind != RT_SQL_SEQUENCE)
		return 1;
	rt_buf buf = RT_BUF_INIT;
	rt__buf_puts(&buf, "RENAME TABLE ");
	put_ident(&buf, o->name);
	rt__buf_puts(&buf, " TO ");
	put_ident(&buf, renamed->name);
	int rc = rt__buf_failed(&buf) ? rt__error_nomem() : push(ctx, &buf, RT_STMT_OTHER);
	rt__buf_free(&buf);
	return rc;
}
