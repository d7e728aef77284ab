/*
 * printer_text.c - the words of schema-language text (schema/printer.h):
 * SQL names bare or quoted, table names with their schema, strings,
 * literals, name lists and references clauses, a table's options,
 * collation and partitioning, the same for the schema
 * printer (printer.c) and the migration script printer, so that both
 * write what the parser reads back unchanged.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "schema/metadata.h"
#include "schema/printer.h"

bool rt__print_is_identifier(const char *s)
{
	if (!s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* A SQL name: bare when it is an identifier, else "quoted" (with "" for a
 * quote inside), which the schema language reads wherever a SQL name goes.
 * Quoted also when asked: where a bare word would read as a keyword. */
void rt__print_name_quoted_if(rt_buf *out, const char *name, bool quote)
{
	if (rt__print_is_identifier(name) && !quote)
		rt__buf_puts(out, name);
	else
		rt__buf_put_quoted(out, name ? name : "", '"');
}

void rt__print_sql_name(rt_buf *out, const char *name)
{
	rt__print_name_quoted_if(out, name, false);
}

/* A table's name as rt_table.name has it: billing.accounts for a table in
 * schema billing. The schema language reads schema.table and the quoted
 * "schema.table" as the same name, so the first dot may be written bare;
 * where lookup (the schema printed, or NULL) has the table, a name that
 * holds a dot of its own is written quoted, as its declaration is. */
void rt__print_table_name(rt_buf *out, const char *name, const rt_schema *lookup)
{
	const char *dot = name ? strchr(name, '.') : NULL;
	const rt_table *table = dot && lookup ? rt__schema_find_table(lookup, name) : NULL;
	if (!dot || dot == name || !dot[1] || (table && !table->schema)) {
		rt__print_sql_name(out, name);
		return;
	}
	size_t len = (size_t)(dot - name);
	char *schema = malloc(len + 1);
	if (!schema) {
		out->failed = true;
		return;
	}
	memcpy(schema, name, len);
	schema[len] = '\0';
	rt__print_sql_name(out, schema);
	free(schema);
	rt__buf_putc(out, '.');
	rt__print_sql_name(out, dot + 1);
}

void rt__print_qualified_name(rt_buf *out, const char *schema, const char *name)
{
	if (schema) {
		rt__print_sql_name(out, schema);
		rt__buf_putc(out, '.');
	}
	rt__print_sql_name(out, name);
}

/* enum Name { a, b, c } on one line when it fits, else a value a line. */
void rt__print_enum(rt_buf *out, const rt_enum *e)
{
	rt_buf values = RT_BUF_INIT;
	for (size_t i = 0; i < e->value_count; i++) {
		rt__buf_puts(&values, i ? ", " : "");
		if (rt__print_is_identifier(e->values[i]))
			rt__buf_puts(&values, e->values[i]);
		else
			rt__print_string(&values, e->values[i]);
	}
	rt_buf name = RT_BUF_INIT; /* State, or billing.State */
	rt__print_qualified_name(&name, e->schema, e->name);
	if (values.failed || name.failed)
		out->failed = true;
	if (name.len + values.len + 12 <= 80) {
		rt__buf_printf(out, "enum %s { %s }\n", rt__buf_cstr(&name), rt__buf_cstr(&values));
	} else {
		rt__buf_printf(out, "enum %s {\n", rt__buf_cstr(&name));
		for (size_t i = 0; i < e->value_count; i++) {
			rt__buf_puts(out, "  ");
			if (rt__print_is_identifier(e->values[i]))
				rt__buf_puts(out, e->values[i]);
			else
				rt__print_string(out, e->values[i]);
			rt__buf_puts(out, i + 1 < e->value_count ? ",\n" : "\n");
		}
		rt__buf_puts(out, "}\n");
	}
	rt__buf_free(&values);
	rt__buf_free(&name);
}

/* A string in the schema language: 'SQL quoted' on one line, or a $$ block
 * for text that spans lines. */
void rt__print_string(rt_buf *out, const char *text)
{
	if (strchr(text, '\n') && !strstr(text, "$$")) {
		rt__buf_printf(out, "$$%s$$", text);
		return;
	}
	rt__buf_put_sql_string(out, text);
}

void rt__print_literal(rt_buf *out, const rt_literal *lit)
{
	const char *text = lit->text ? lit->text : "";
	switch (lit->kind) {
	case RT_LITERAL_NONE:
		break;
	case RT_LITERAL_NUMBER:
		/* the schema language has no unary plus; +1 and 1 are equal */
		rt__buf_puts(out, text + (*text == '+'));
		break;
	case RT_LITERAL_STRING:
		rt__print_string(out, text);
		break;
	case RT_LITERAL_BOOL:
		rt__buf_puts(out, text);
		break;
	case RT_LITERAL_ENUM:
		/* a value that is no identifier can only be written as a string,
		 * which compares equal to it */
		if (rt__print_is_identifier(text))
			rt__buf_puts(out, text);
		else
			rt__print_string(out, text);
		break;
	case RT_LITERAL_NOW:
		rt__buf_puts(out, "now");
		break;
	case RT_LITERAL_SQL:
		rt__buf_puts(out, "sql ");
		rt__print_string(out, text);
		break;
	}
}

void rt__print_name_list(rt_buf *out, const char *const *names, size_t count)
{
	rt__buf_putc(out, '(');
	for (size_t i = 0; i < count; i++) {
		rt__buf_puts(out, i ? ", " : "");
		rt__print_sql_name(out, names[i]);
	}
	rt__buf_putc(out, ')');
}

/* references t(x, y) [on delete ...] [on update ...] [deferrable ...];
 * "no action" is what an absent clause means, so it is left out. */
void rt__print_references(rt_buf *out, const rt_constraint *fk, const rt_schema *lookup)
{
	rt__buf_puts(out, "references ");
	rt__print_table_name(out, fk->ref_table, lookup);
	rt__print_name_list(out, fk->ref_columns, fk->ref_column_count);
	if (fk->on_delete != RT_FK_NO_ACTION)
		rt__buf_printf(out, " on delete %s", rt__fk_action_name(fk->on_delete));
	if (fk->on_update != RT_FK_NO_ACTION)
		rt__buf_printf(out, " on update %s", rt__fk_action_name(fk->on_update));
	if (fk->deferrable != RT_NOT_DEFERRABLE)
		rt__buf_printf(out, " %s", rt__deferrable_words(fk->deferrable));
}

/* --- table options, collation, partitioning (printer.h) ------------------------ */

void rt__print_table_options(rt_buf *out, unsigned options)
{
	for (size_t i = 0; i < RT_TABLE_OPTION_COUNT; i++) {
		if (options & rt__table_option_bit(i)) {
			rt__buf_putc(out, ' ');
			rt__buf_puts(out, rt__table_option_word(i));
		}
	}
}

void rt__print_table_collation(rt_buf *out, const rt_table *table)
{
	if (!table->collation)
		return;
	rt__buf_puts(out, " collate ");
	rt__print_sql_name(out, table->collation);
}

void rt__print_partitioning(rt_buf *out, const rt_table *table)
{
	if (table->partition_of) {
		rt__buf_puts(out, " partition of ");
		rt__print_table_name(out, table->partition_of, NULL);
		if (table->partition_bound) {
			rt__buf_puts(out, " for values ");
			rt__print_string(out, table->partition_bound);
		} else {
			rt__buf_puts(out, " default");
		}
	}
	if (table->partition_by == RT_PARTITION_NONE)
		return;
	rt__buf_printf(out, " partition by %s (", rt__partition_method_word(table->partition_by));
	for (size_t i = 0; i < table->partition_key_count; i++) {
		const rt_partition_key *key = &table->partition_keys[i];
		rt__buf_puts(out, i ? ", " : "");
		if (key->column)
			rt__print_sql_name(out, key->column);
		else
			rt__print_string(out, key->expression ? key->expression : "");
	}
	rt__buf_putc(out, ')');
}

bool rt__print_has_body(const rt_table *table)
{
	/* A partition's columns and keys are its partitioned table's. */
	return !table->partition_of || table->column_count || table->constraint_count ||
	       table->index_count || table->primary_key || (table->comment && *table->comment);
}
