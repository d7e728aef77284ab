/*
 * postgres_reflect_settle.c - the last step of PostgreSQL reflection
 * (postgres_reflect.c), once every table, key and index is read:
 *   - serial and identity columns become autoincrement only where the
 *     schema language has that word, a table's single integer primary key
 *     column; anywhere else a serial keeps its nextval() server default
 *     (named as not kept unless the sequence is one the file declares)
 *     and an identity column is named as not kept, so the file inspect
 *     writes always parses;
 *   - what reflection leaves out of a table (INCLUDE columns, exclusion
 *     constraints) is named in the schema's not_kept lines, never dropped
 *     silently (DESIGN.md §6).
 */
#include "dialect/postgres.h"

#include <string.h>

#include "base/error.h"

static bool is_nextval(const rt_literal *lit)
{
	return lit->kind == RT_LITERAL_SQL && lit->text && strstr(lit->text, "nextval(");
}

/* Is the sequence a nextval() default names ('s'::regclass, 'public.s',
 * '"S"') one of the schema's SQL objects, which the file declares? */
static bool sequence_declared(const rt_schema *schema, const char *text)
{
	const char *from = strchr(text, '\'');
	const char *to = from ? strchr(from + 1, '\'') : NULL;
	if (!to)
		return false;
	from++;
	if (strncmp(from, "public.", 7) == 0)
		from += 7;
	char name[256];
	size_t len = 0;
	for (const char *p = from; p < to && len + 1 < sizeof(name); p++)
		if (*p != '"')
			name[len++] = *p;
	name[len] = '\0';
	rt_sql_object seq = {.kind = RT_SQL_SEQUENCE, .name = name};
	return rt__schema_find_sql_object(schema, &seq) != NULL;
}

static rt_column *sole_integer_key(const rt_table *table)
{
	const rt_constraint *pk = table->primary_key;
	rt_column *only = pk && pk->column_count == 1 ? rt__table_find_column(table, pk->columns[0])
						      : NULL;
	return only && rt__type_is_integer(only->type.kind) ? only : NULL;
}

static int settle_autoincrement(rt_schema *schema)
{
	int rc = RT_OK;
	for (size_t t = 0; t < schema->table_count && rc == RT_OK; t++) {
		rt_table *table = schema->tables[t];
		rt_column *key = sole_integer_key(table);
		/* A serial key: its DEFAULT nextval() is the autoincrement. */
		if (key && !key->autoincrement && is_nextval(&key->server_default)) {
			key->autoincrement = true;
			key->server_default = (rt_literal){0};
		}
		for (size_t c = 0; c < table->column_count && rc == RT_OK; c++) {
			rt_column *column = table->columns[c];
			if (column->autoincrement && column != key) {
				column->autoincrement = false;
				rc = rt__schema_not_kept(
					schema,
					"%s.%s: GENERATED AS IDENTITY, which the language "
					"says only of a single-column integer primary key; "
					"the file has a plain column",
					table->name, column->name);
			} else if (is_nextval(&column->server_default) &&
				   !sequence_declared(schema, column->server_default.text)) {
				rc = rt__schema_not_kept(
					schema,
					"%s.%s: the sequence of DEFAULT %s is not managed by "
					"retort; a database made from the file needs it",
					table->name, column->name, column->server_default.text);
			}
		}
	}
	return rc;
}

/* Constraints reflection does not read, with their definitions; tables
 * of schema public only, as everywhere. Indexes the language cannot
 * declare are not among them: reflection lists them with the other
 * objects it does not model (postgres_reflect_objects.c), which inspect,
 * check and autogenerate name. */
const char rt__pg_left_out_sql[] =
	"SELECT t, what FROM ("
	"SELECT" RT_PG_TABLE_NAME("n.nspname", "c.relname") " AS t,"
	" 'CONSTRAINT ' || quote_ident(co.conname) || ' '"
	"   || pg_get_constraintdef(co.oid) AS what"
	" FROM pg_constraint co"
	" JOIN pg_class c ON c.oid = co.conrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE" RT_PG_IN_SCHEMAS("n.nspname") " AND c.relkind IN ('r', 'p')"
	" AND NOT c.relispartition AND co.contype = 'x'"
	") AS left_out ORDER BY t COLLATE \"C\", what COLLATE \"C\"";

static int note_left_out(rt_schema *schema, const rt_dialect *d, rt_driver_conn *conn)
{
	rt_driver_stmt *stmt = NULL;
	int rc = d->prepare(&stmt, conn, rt__pg_left_out_sql);
	while (rc >= 0 && (rc = d->step(stmt)) == RT_ROW) {
		rt_value table, what;
		if ((rc = d->column_value(stmt, 0, &table)) < 0 ||
		    (rc = d->column_value(stmt, 1, &what)) < 0)
			break;
		if (table.type != RT_VALUE_TEXT || what.type != RT_VALUE_TEXT ||
		    !rt__schema_find_table(schema, table.s))
			continue;
		rc = rt__schema_not_kept(schema, "%s: %s (the language has no words for it)",
					 table.s, what.s);
	}
	if (stmt)
		d->finalize(stmt);
	return rc < 0 ? rc : RT_OK;
}

int rt__pg_reflect_settle(rt_schema *schema, const rt_dialect *dialect, rt_driver_conn *conn)
{
	int rc = settle_autoincrement(schema);
	return rc == RT_OK ? note_left_out(schema, dialect, conn) : rc;
}
