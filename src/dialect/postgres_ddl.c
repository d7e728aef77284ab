/*
 * postgres_ddl.c - the DDL hooks of the PostgreSQL dialect (dialect.h):
 * what PostgreSQL writes its own way where the DDL module (sql/ddl.c) and
 * the migration operations (migrate/ops_render.c) ask the dialect. That is
 * a column changed in place (ALTER COLUMN ... TYPE ... USING, SET/DROP NOT
 * NULL, SET/DROP DEFAULT), an index or constraint dropped, a comment set
 * (COMMENT ON), an enum type replaced by one with fewer values, a
 * partitioned table's PARTITION BY and a partition's PARTITION OF ... FOR
 * VALUES, a SQL object renamed (ALTER <kind> ... RENAME TO), and the
 * ORM's LIKE / ILIKE.
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
#include "sql/ddl.h"

static void put_ident(rt_buf *buf, const char *name)
{
	rt__buf_put_quoted(buf, name, '"');
}

/* A table's name: "billing"."accounts" for one in schema billing. */
static void put_table(rt_buf *buf, const rt_table *table)
{
	if (table && table->schema) {
		put_ident(buf, table->schema);
		rt__buf_putc(buf, '.');
	}
	put_ident(buf, table ? rt__table_sql_name(table) : "");
}

/* The old type's temporary name: "_rt_old_<type>", cut to the dialect's
 * identifier length at a character boundary (PostgreSQL would cut it
 * itself, with only a notice, and two long type names could then meet). */
static const char *old_name(rt_arena *arena, const rt_dialect *dialect, const char *type)
{
	size_t limit = dialect->caps.max_identifier_length > 0
			       ? (size_t)dialect->caps.max_identifier_length
			       : 0;
	return rt__name_with_prefix(arena, "_rt_old_", type, limit);
}

/* "ALTER TABLE t ALTER COLUMN c " */
static void alter_column_of(rt_buf *buf, const char *schema, const char *table,
			    const char *column)
{
	rt__buf_puts(buf, "ALTER TABLE ");
	if (schema) {
		put_ident(buf, schema);
		rt__buf_putc(buf, '.');
	}
	put_ident(buf, table);
	rt__buf_puts(buf, " ALTER COLUMN ");
	put_ident(buf, column);
	rt__buf_putc(buf, ' ');
}

static void alter_column(rt_buf *buf, const rt_enum_use *c)
{
	alter_column_of(buf, c->schema, c->table, c->column);
}

/* --- columns, indexes, comments ------------------------------------------------- */

static bool string_type(rt_type_kind kind)
{
	return kind == RT_TYPE_STRING || kind == RT_TYPE_CHAR || kind == RT_TYPE_TEXT;
}

/* Hands buf's statement, an ALTER TABLE, to push (clearing buf); RT_OK,
 * or the error. */
static int push_buf(rt_buf *buf, rt_statement_sink push, void *ctx)
{
	int rc = rt__buf_failed(buf) ? rt__error_nomem() : push(ctx, buf, RT_STMT_ALTER_TABLE);
	rt__buf_clear(buf);
	return rc;
}

/* TYPE t [COLLATE c] [USING ...]. The collation goes with the type: TYPE
 * without COLLATE gives the column the type's default. A column moved to
 * an enum type needs a cast
 * PostgreSQL will not make by itself: "c"::"e" from text, "c"::text::"e"
 * from anything else. So does a string column moved to any other type
 * ("c"::t): casts from text are explicit only (the other way PostgreSQL
 * casts by itself, and an explicit cast to a shorter string would
 * truncate silently, so none is added there). Arrays follow the same
 * rules element by element (text[] to int[] is "c"::INTEGER[]); a single
 * value becomes an array of that one value (NULL stays NULL), and an
 * array becomes a single value only as text (its {...} form) or by the
 * script's own `using`: any other way would drop elements, so it is
 * refused, naming the column. */
static int put_type_change(rt_buf *buf, const rt_dialect *d, const rt_column_change *change)
{
	const rt_column *before = change->before, *after = change->after;
	if (!change->using_expr && before->type.array && !after->type.array &&
	    !string_type(after->type.kind) && after->type.kind != RT_TYPE_SQL)
		return rt__error_set(RT_EINVAL,
				     "table %s: column %s is an array and would become a single "
				     "value, which would drop its other elements; write how with "
				     "alter column %s.%s type ... using '<expression>'",
				     change->table->name, before->name, change->table->name,
				     before->name);
	alter_column_of(buf, change->table->schema, rt__table_sql_name(change->table),
			before->name);
	rt__buf_puts(buf, "TYPE ");
	d->column_type(buf, change->schema, change->table, after);
	if (after->collation) {
		rt__buf_puts(buf, " COLLATE ");
		put_ident(buf, after->collation);
	}
	bool to_enum = after->type.kind == RT_TYPE_ENUM;
	if (change->using_expr) {
		rt__buf_printf(buf, " USING %s", change->using_expr);
	} else if (after->type.array && !before->type.array && before->type.kind != RT_TYPE_SQL) {
		rt__buf_puts(buf, " USING CASE WHEN ");
		put_ident(buf, before->name);
		rt__buf_puts(buf, " IS NULL THEN NULL ELSE ARRAY[");
		put_ident(buf, before->name);
		rt__buf_puts(buf, "] END::");
		d->column_type(buf, change->schema, change->table, after);
	} else if (to_enum && (before->type.kind != RT_TYPE_ENUM ||
			       before->type.enum_type != after->type.enum_type)) {
		rt__buf_puts(buf, " USING ");
		put_ident(buf, before->name);
		/* The same for an array of an enum, element by element. */
		rt__buf_puts(buf, string_type(before->type.kind) ? "::"
				  : before->type.array ? "::text[]::" : "::text::");
		d->column_type(buf, change->schema, change->table, after);
	} else if (string_type(before->type.kind) && !string_type(after->type.kind)) {
		rt__buf_puts(buf, " USING ");
		put_ident(buf, before->name);
		rt__buf_puts(buf, "::");
		d->column_type(buf, change->schema, change->table, after);
	}
	return RT_OK;
}

/* SET DEFAULT <default_sql>, or DROP DEFAULT when sql is NULL. */
static void put_default(rt_buf *buf, const rt_column_change *change, const char *sql)
{
	alter_column_of(buf, change->table->schema, rt__table_sql_name(change->table),
				change->before->name);
	if (sql) {
		rt__buf_puts(buf, "SET DEFAULT ");
		rt__buf_puts(buf, sql);
	} else {
		rt__buf_puts(buf, "DROP DEFAULT");
	}
}

/* The dialect's alter_column hook: one ALTER TABLE per part. A type change
 * takes the old default off first (it may not cast to the new type) and
 * puts the final one back after. A collation change alone restates the
 * type with its new COLLATE. */
int rt__pg_alter_column(const rt_dialect *dialect, const rt_column_change *change,
			rt_statement_sink push, void *ctx)
{
	if (!dialect || !change || !change->table || !change->before || !change->after ||
	    !push)
		return rt__error_set(RT_EINVAL, "rt__pg_alter_column: NULL argument");
	rt_buf buf = RT_BUF_INIT;
	int rc = RT_OK;
	if (change->set_type) {
		if (change->before->server_default.kind != RT_LITERAL_NONE) {
			put_default(&buf, change, NULL);
			rc = push_buf(&buf, push, ctx);
		}
		if (rc == RT_OK)
			rc = put_type_change(&buf, dialect, change);
		if (rc == RT_OK)
			rc = push_buf(&buf, push, ctx);
		if (rc == RT_OK && change->default_sql) {
			put_default(&buf, change, change->default_sql);
			rc = push_buf(&buf, push, ctx);
		}
	} else {
		if (change->set_collation && (rc = put_type_change(&buf, dialect, change)) == RT_OK)
			rc = push_buf(&buf, push, ctx);
		if (rc == RT_OK && change->set_default) {
			put_default(&buf, change, change->default_sql);
			rc = push_buf(&buf, push, ctx);
		}
	}
	if (rc == RT_OK && change->set_null) {
		alter_column_of(&buf, change->table->schema, rt__table_sql_name(change->table),
				change->before->name);
		rt__buf_puts(&buf, change->after->nullable ? "DROP NOT NULL" : "SET NOT NULL");
		rc = push_buf(&buf, push, ctx);
	}
	rt__buf_free(&buf);
	return rc;
}

/* The dialect's drop_index hook: index names are the schema's, so the
 * table is not needed. */
int rt__pg_drop_index(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
		      const char *index)
{
	(void)dialect;
	if (!buf || !index)
		return rt__error_set(RT_EINVAL, "rt__pg_drop_index: NULL argument");
	rt__buf_puts(buf, "DROP INDEX ");
	/* An index is in its table's schema. */
	if (table && table->schema) {
		put_ident(buf, table->schema);
		rt__buf_putc(buf, '.');
	}
	put_ident(buf, index);
	return RT_OK;
}

/* The drop_constraint hook: PostgreSQL drops every kind of constraint by
 * its name, so the definition is not needed. */
int rt__pg_drop_constraint(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
			   const char *name, const rt_constraint *constraint)
{
	(void)dialect;
	(void)constraint;
	if (!buf || !table || !name)
		return rt__error_set(RT_EINVAL, "rt__pg_drop_constraint: NULL argument");
	rt__buf_puts(buf, "ALTER TABLE ");
	put_table(buf, table);
	rt__buf_puts(buf, " DROP CONSTRAINT ");
	put_ident(buf, name);
	return RT_OK;
}

/* --- declarative partitioning -------------------------------------------------- */

/* The detach_partition hook: ALTER TABLE "parent" DETACH PARTITION "p". */
void rt__pg_detach_partition(rt_buf *buf, const rt_table *table)
{
	rt__buf_puts(buf, "ALTER TABLE ");
	put_ident(buf, table->partition_of ? table->partition_of : "");
	rt__buf_puts(buf, " DETACH PARTITION ");
	put_ident(buf, table->name);
}

/* The partition_of hook: PARTITION OF "parent". */
void rt__pg_partition_of(rt_buf *buf, const rt_table *table)
{
	rt__buf_puts(buf, " PARTITION OF ");
	/* The partitioned table of a partition in a schema is in the same
	 * one, or in public. */
	const char *parent = table->partition_of ? table->partition_of : "";
	const char *own = rt__table_unqualified(table, parent);
	if (own != parent) {
		put_ident(buf, table->schema);
		rt__buf_putc(buf, '.');
	}
	put_ident(buf, own);
}

/* The partition_clause hook: FOR VALUES <bound> or DEFAULT for a
 * partition, then PARTITION BY <method> (<keys>) for a partitioned table:
 * a column key quoted, an expression key as written (PostgreSQL wants it
 * in parentheses unless it is a function call; reflection hands it back
 * so). */
void rt__pg_partition_clause(rt_buf *buf, const rt_table *table)
{
	if (table->partition_of) {
		if (table->partition_bound)
			rt__buf_printf(buf, " FOR VALUES %s", table->partition_bound);
		else
			rt__buf_puts(buf, " DEFAULT");
	}
	if (table->partition_by == RT_PARTITION_NONE)
		return;
	const char *method = table->partition_by == RT_PARTITION_RANGE  ? "RANGE"
			     : table->partition_by == RT_PARTITION_LIST ? "LIST"
									: "HASH";
	rt__buf_printf(buf, " PARTITION BY %s (", method);
	for (size_t i = 0; i < table->partition_key_count; i++) {
		const rt_partition_key *key = &table->partition_keys[i];
		rt__buf_puts(buf, i ? ", " : "");
		if (key->column)
			put_ident(buf, key->column);
		else
			rt__buf_puts(buf, key->expression ? key->expression : "");
	}
	rt__buf_putc(buf, ')');
}

/* The render_like hook: PostgreSQL's LIKE tells case apart and ILIKE does
 * not, both with `\` as the escape, which is what the ORM promises; the
 * pattern is bound as given. */
void rt__pg_render_like(rt_buf *sql, rt_buf *pattern, const char *operand,
			const char *like_pattern, bool insensitive)
{
	rt__buf_puts(sql, operand ? operand : "");
	rt__buf_puts(sql, insensitive ? " ILIKE ?" : " LIKE ?");
	/* An empty pattern still binds as text, not as NULL. */
	rt__buf_puts(pattern, "");
	rt__buf_puts(pattern, like_pattern ? like_pattern : "");
}

/* The array_holds hook: an array holds a value when one of its elements
 * equals it. */
void rt__pg_array_holds(rt_buf *sql, const char *operand)
{
	rt__buf_printf(sql, "? = ANY (%s)", operand ? operand : "");
}

/* The dialect's comment hook: COMMENT ON TABLE t / COLUMN t.c IS '...',
 * or IS NULL to remove it. */
void rt__pg_comment(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
		    const char *column, const char *column_sql, const char *text)
{
	(void)dialect;
	(void)column_sql;
	rt__buf_puts(buf, column ? "COMMENT ON COLUMN " : "COMMENT ON TABLE ");
	put_table(buf, table);
	if (column) {
		rt__buf_putc(buf, '.');
		put_ident(buf, column);
	}
	rt__buf_puts(buf, " IS ");
	if (text)
		rt__buf_put_sql_string(buf, text);
	else
		rt__buf_puts(buf, "NULL");
}

/* --- enum types ------------------------------------------------------------------ */

/* An enum type's name: "t", or "billing"."t" in schema billing. */
static void put_type(rt_buf *buf, const char *schema, const char *name)
{
	if (schema) {
		put_ident(buf, schema);
		rt__buf_putc(buf, '.');
	}
	put_ident(buf, name ? name : "");
}

/* The create_enum hook: CREATE TYPE t AS ENUM ('a', 'b'). */
void rt__pg_create_enum(rt_buf *buf, const rt_dialect *dialect, const char *schema,
			const char *name, const char *const *values, size_t value_count)
{
	(void)dialect;
	rt__buf_puts(buf, "CREATE TYPE ");
	put_type(buf, schema, name);
	rt__buf_puts(buf, " AS ENUM (");
	for (size_t i = 0; values && i < value_count; i++) {
		rt__buf_puts(buf, i ? ", " : "");
		rt__buf_put_sql_string(buf, values[i]);
	}
	rt__buf_putc(buf, ')');
}

/* The drop_enum hook. */
void rt__pg_drop_enum(rt_buf *buf, const rt_dialect *dialect, const char *schema,
		      const char *name)
{
	(void)dialect;
	rt__buf_puts(buf, "DROP TYPE ");
	put_type(buf, schema, name);
}

/* The enum_add_value hook. ALTER TYPE ... ADD VALUE runs inside a
 * transaction on PostgreSQL 12 and later, but the new value cannot be used
 * before that transaction commits. */
void rt__pg_enum_add_value(rt_buf *buf, const rt_dialect *dialect, const char *schema,
			   const char *name, const char *value)
{
	(void)dialect;
	rt__buf_puts(buf, "ALTER TYPE ");
	put_type(buf, schema, name);
	rt__buf_puts(buf, " ADD VALUE ");
	rt__buf_put_sql_string(buf, value ? value : "");
}

int rt__pg_enum_replace(const rt_dialect *dialect, const char *schema, const char *type,
			const char *const *values,
			size_t value_count, const rt_enum_use *columns, size_t column_count,
			rt_statement_sink push, void *ctx)
{
	if (!dialect || !type || !push || (value_count && !values) || (column_count && !columns))
		return rt__error_set(RT_EINVAL, "rt__pg_enum_replace: NULL argument");
	rt_arena *arena = rt__arena_new();
	const char *old = arena ? old_name(arena, dialect, type) : NULL;
	if (!old) {
		rt__arena_free(arena);
		return rt__error_nomem();
	}
	rt_buf buf = RT_BUF_INIT;
	int rc = RT_OK;
#define PUSH(kind)                                                             \
	do {                                                                   \
		if (rc == RT_OK)                                               \
			rc = rt__buf_failed(&buf) ? rt__error_nomem()          \
						  : push(ctx, &buf, (kind));   \
		rt__buf_clear(&buf);                                           \
	} while (0)

	rt__buf_puts(&buf, "ALTER TYPE ");
	put_type(&buf, schema, type);
	rt__buf_puts(&buf, " RENAME TO "); /* in its schema */
	put_ident(&buf, old);
	PUSH(RT_STMT_OTHER);

	rt__pg_create_enum(&buf, dialect, schema, type, values, value_count);
	PUSH(RT_STMT_CREATE_TYPE);

	for (size_t i = 0; i < column_count; i++) {
		const rt_enum_use *c = &columns[i];
		if (c->default_sql) {
			alter_column(&buf, c);
			rt__buf_puts(&buf, "DROP DEFAULT");
			PUSH(RT_STMT_ALTER_TABLE);
		}
		alter_column(&buf, c);
		const char *array = c->array ? "[]" : "";
		rt__buf_puts(&buf, "TYPE ");
		put_type(&buf, schema, type);
		rt__buf_printf(&buf, "%s USING ", array);
		put_ident(&buf, c->column);
		rt__buf_printf(&buf, "::text%s::", array);
		put_type(&buf, schema, type);
		rt__buf_puts(&buf, array);
		PUSH(RT_STMT_ALTER_TABLE);
		if (c->default_sql) {
			alter_column(&buf, c);
			rt__buf_puts(&buf, "SET DEFAULT ");
			rt__buf_puts(&buf, c->default_sql);
			PUSH(RT_STMT_ALTER_TABLE);
		}
	}

	rt__pg_drop_enum(&buf, dialect, schema, old);
	PUSH(RT_STMT_DROP_TYPE);
#undef PUSH
	rt__buf_free(&buf);
	rt__arena_free(arena);
	return rc;
}

int rt__pg_rename_sql_object(const rt_dialect *dialect, const rt_sql_object *o,
			     const rt_sql_object *renamed, rt_statement_sink push, void *ctx)
{
	rt_buf buf = RT_BUF_INIT;
	rt__buf_puts(&buf, "ALTER ");
	for (const char *w = rt__sql_kind_name(o->kind); *w; w++)
		rt__buf_putc(&buf, (char)(*w >= 'a' && *w <= 'z' ? *w - 'a' + 'A' : *w));
	rt__buf_putc(&buf, ' ');
	rt__ddl_put_sql_object_name(&buf, dialect, o);
	if (rt__sql_kind_has_args(o->kind) && o->args)
		rt__buf_puts(&buf, o->args);
	if (o->kind == RT_SQL_TRIGGER && o->table) {
		rt__buf_puts(&buf, " ON ");
		rt__ddl_put_object_table(&buf, dialect, o->table);
	}
	rt__buf_puts(&buf, " RENAME TO ");
	put_ident(&buf, rt__sql_object_sql_name(renamed)); /* it stays in its schema */
	int rc = rt__buf_failed(&buf) ? rt__error_nomem() : push(ctx, &buf, RT_STMT_OTHER);
	/* A materialized view's indexes named after it. */
	for (size_t i = 0; rc == RT_OK && i < o->index_count && i < renamed->index_count; i++) {
		const char *from = o->indexes[i]->name, *to = renamed->indexes[i]->name;
		if (!from || !to || strcmp(from, to) == 0)
			continue;
		rt__buf_clear(&buf);
		rt__buf_puts(&buf, "ALTER INDEX ");
		if (o->schema) {
			put_ident(&buf, o->schema);
			rt__buf_putc(&buf, '.');
		}
		put_ident(&buf, from);
		rt__buf_puts(&buf, " RENAME TO ");
		put_ident(&buf, to);
		rc = rt__buf_failed(&buf) ? rt__error_nomem() : push(ctx, &buf, RT_STMT_OTHER);
	}
	rt__buf_free(&buf);
	return rc;
}
