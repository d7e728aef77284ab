/*
 * script_print.c - writing migrations as script text (script.h): each
 * operation as a line a person would have written, and the whole script
 * through a template.
 *
 * What it writes parses back to an equal migration: drops carry their
 * full definitions when the operation holds them, definitions are written
 * by the schema printer's own pieces (printer.h), aligned as in a schema
 * file, and every name or string goes through the same quoting. An
 * operation whose definition no script line can say (a hand-built one) is
 * an error, not a line that would read back as something else.
 */
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "migrate/ops.h"
#include "migrate/script.h"
#include "schema/printer.h"

const char rt__script_default_template[] =
	"# ${message}\n"
	"${generated}\n"
	"${header}\n"
	"\n"
	"upgrade {\n"
	"${upgrade}\n"
	"}\n"
	"\n"
	"downgrade {\n"
	"${downgrade}\n"
	"}\n";

/* --- operations ---------------------------------------------------------------------- */

typedef struct writer {
	rt_buf *out;
	const char *indent;   /* before the operation */
	const char *inner;    /* before the lines of a body inside it */
	int rc;               /* the first error */
} writer;

/* Records the first operation that cannot be written, and why. */
static void fail(writer *w, const rt_op *op, const char *why)
{
	if (w->rc != RT_OK)
		return;
	const char *name = op->table ? op->table : op->name ? op->name : "";
	w->rc = rt__error_set(RT_EINVAL, "cannot write the %s operation%s%s as a script line: %s",
			      rt__op_verb(op->kind), *name ? " on " : "", name, why);
}

static void put_name(writer *w, const char *name)
{
	rt__print_sql_name(w->out, name ? name : "");
}

/* A table's name: schema.table for one in a PostgreSQL schema. */
static void put_table(writer *w, const char *name)
{
	rt__print_table_name(w->out, name ? name : "", NULL);
}

/* The name of a table a definition is given for: only here does
 * schema.table differ from the quoted "schema.table" (a table whose own
 * name holds the dot). */
static void put_def_table(writer *w, const rt_table *def, const char *name)
{
	if (!def || !def->schema || strcmp(def->name, name) != 0) {
		put_name(w, name);
		return;
	}
	put_name(w, def->schema);
	rt__buf_putc(w->out, '.');
	put_name(w, rt__table_sql_name(def));
}

/* A string of the script language: 'quoted' on one line, or for text
 * that spans lines a $$ block on lines of its own, its first line
 * indented under the operation (the block's surrounding blanks are not
 * part of the text). Text that spans lines and holds $$ fits neither. */
static void put_text(writer *w, const rt_op *op, const char *text)
{
	if (!strchr(text, '\n')) {
		rt__print_string(w->out, text);
		return;
	}
	if (strstr(text, "$$"))
		fail(w, op, "its text spans lines and holds '$$', which no script string "
			    "can hold");
	rt__buf_printf(w->out, "$$\n%s%s\n%s$$", w->inner, text, w->indent);
}

static void put_columns(writer *w, const char *const *names, size_t count)
{
	rt__print_name_list(w->out, names, count);
}

/* t.c */
static void put_column_ref(writer *w, const rt_op *op)
{
	put_table(w, op->table);
	rt__buf_putc(w->out, '.');
	put_name(w, op->name);
}

static void put_body(writer *w, const rt_table *def)
{
	rt__buf_puts(w->out, " {\n");
	int rc = rt__print_table_body(w->out, def, w->inner);
	if (rc < 0 && w->rc == RT_OK)
		w->rc = rc;
	rt__buf_printf(w->out, "%s}", w->indent);
}

/* The column an add or drop column carries: the definition must hold
 * just it and what its options say. */
static void put_column_def(writer *w, const rt_op *op)
{
	const rt_table *def = op->def;
	const rt_column *column = NULL;
	if (op->name)
		column = rt__table_find_column(def, op->name);
	else if (def->column_count == 1)
		column = def->columns[0];
	bool fits = false;
	if (!column || def->column_count != 1) {
		fail(w, op, "its definition must hold exactly the one column");
		return;
	}
	int rc = rt__print_fits_column(def, column, &fits);
	if (rc == RT_OK && !fits)
		fail(w, op, "its definition holds a key, constraint or index that the "
			    "column's options cannot say (name it apart: add unique, add "
			    "foreign key, create index)");
	else if (rc < 0 && w->rc == RT_OK)
		w->rc = rc;
	rt__buf_putc(w->out, ' ');
	rc = rt__print_column(w->out, def, column);
	if (rc < 0 && w->rc == RT_OK)
		w->rc = rc;
}

static const char *enum_type_name(const rt_type *type)
{
	if (type->enum_name)
		return type->enum_name;
	return type->enum_type ? type->enum_type->name : NULL;
}

static void put_type(writer *w, const rt_op *op)
{
	if (op->type.kind != RT_TYPE_ENUM) {
		rt_arena *arena = rt__arena_new();
		const char *name = arena ? rt__type_name(arena, &op->type) : NULL;
		if (name)
			rt__buf_printf(w->out, " type %s", name);
		else if (w->rc == RT_OK)
			w->rc = rt__error_nomem();
		rt__arena_free(arena);
		return;
	}
	const char *name = enum_type_name(&op->type);
	if (!name)
		fail(w, op, "its new type is an enum without a name");
	else
		rt__buf_printf(w->out, " type %s%s", name, op->type.array ? "[]" : "");
}

/* collate NAME | drop collate, after alter column t.c or alter table t */
static void put_collation_change(writer *w, const rt_op *op)
{
	if (op->collation_change == RT_ALTER_COLLATION_SET) {
		if (!op->collation)
			fail(w, op, "it sets a collation but holds none");
		rt__buf_puts(w->out, " collate ");
		rt__print_sql_name(w->out, op->collation ? op->collation : "");
	} else if (op->collation_change == RT_ALTER_COLLATION_DROP) {
		rt__buf_puts(w->out, " drop collate");
	}
}

/* comment '...' | drop comment, after alter column t.c or alter table t */
static void put_comment_change(writer *w, const rt_op *op)
{
	if (op->comment_change == RT_ALTER_COMMENT_SET) {
		if (!op->comment)
			fail(w, op, "it sets a comment but holds none");
		rt__buf_puts(w->out, " comment ");
		put_text(w, op, op->comment ? op->comment : "");
	} else if (op->comment_change == RT_ALTER_COMMENT_DROP) {
		rt__buf_puts(w->out, " drop comment");
	}
}

static void put_alter_column(writer *w, const rt_op *op)
{
	rt__buf_puts(w->out, "alter column ");
	put_column_ref(w, op);
	if (op->set_type)
		put_type(w, op);
	if (op->using_expr) {
		rt__buf_puts(w->out, " using ");
		put_text(w, op, op->using_expr);
	}
	if (op->null_change == RT_ALTER_NULL_SET)
		rt__buf_puts(w->out, " null");
	else if (op->null_change == RT_ALTER_NULL_DROP)
		rt__buf_puts(w->out, " not null");
	if (op->default_change == RT_ALTER_DEFAULT_SET) {
		if (op->server_default.kind == RT_LITERAL_NONE)
			fail(w, op, "it sets a server default but holds none");
		rt__buf_puts(w->out, " server default ");
		rt__print_literal(w->out, &op->server_default);
	} else if (op->default_change == RT_ALTER_DEFAULT_DROP) {
		rt__buf_puts(w->out, " drop server default");
	}
	put_collation_change(w, op);
	if (op->onupdate_change == RT_ALTER_ONUPDATE_SET)
		rt__buf_puts(w->out, " server onupdate now");
	else if (op->onupdate_change == RT_ALTER_ONUPDATE_DROP)
		rt__buf_puts(w->out, " drop server onupdate");
	put_comment_change(w, op);
	if (!op->set_type && op->null_change == RT_ALTER_NULL_KEEP &&
	    op->default_change == RT_ALTER_DEFAULT_KEEP &&
	    op->collation_change == RT_ALTER_COLLATION_KEEP &&
	    op->onupdate_change == RT_ALTER_ONUPDATE_KEEP &&
	    op->comment_change == RT_ALTER_COMMENT_KEEP)
		fail(w, op, "it changes nothing");
}

static const char *index_name(const rt_op *op)
{
	return op->index && op->index->name ? op->index->name : op->name;
}

/* create [unique] index n on t (a, b) | drop [unique] index n [on t [(a, b)]] */
static void put_index(writer *w, const rt_op *op)
{
	const rt_index *index = op->index;
	bool create = op->kind == RT_OP_CREATE_INDEX;
	rt__buf_puts(w->out, create ? "create " : "drop ");
	rt__buf_puts(w->out, index && index->unique ? "unique index " : "index ");
	put_name(w, index_name(op));
	bool columns = index && index->key_count > 0;
	if (create && (!op->table || !columns)) {
		fail(w, op, "an index is created on a table and its columns");
		return;
	}
	if (!op->table) {
		if (columns)
			fail(w, op, "its columns are written after 'on' and the table, which "
				    "it lacks");
		return;
	}
	rt__buf_puts(w->out, " on ");
	put_table(w, op->table);
	if (columns) {
		rt__buf_putc(w->out, ' ');
		rt__print_index_body(w->out, index);
	}
}

/* The definition after add <kind> n on t / drop constraint n on t <kind>. */
static void put_constraint_body(writer *w, const rt_op *op, const rt_constraint *c)
{
	if (c->kind == RT_CONSTRAINT_CHECK) {
		put_text(w, op, c->check ? c->check : "");
		return;
	}
	put_columns(w, c->columns, c->column_count);
	if (c->kind == RT_CONSTRAINT_FOREIGN_KEY) {
		rt__buf_putc(w->out, ' ');
		rt__print_references(w->out, c, NULL);
	}
}

static const char *constraint_word(rt_constraint_kind kind)
{
	switch (kind) {
	case RT_CONSTRAINT_PRIMARY_KEY: return "primary key";
	case RT_CONSTRAINT_UNIQUE: return "unique";
	case RT_CONSTRAINT_FOREIGN_KEY: return "foreign key";
	case RT_CONSTRAINT_CHECK: return "check";
	}
	return "?";
}

/* A constraint's definition must say what the grammar can. */
static bool constraint_is_whole(const rt_constraint *c)
{
	switch (c->kind) {
	case RT_CONSTRAINT_CHECK:
		return c->check && *c->check;
	case RT_CONSTRAINT_FOREIGN_KEY:
		return c->column_count > 0 && c->ref_table &&
		       c->ref_column_count == c->column_count;
	default:
		return c->column_count > 0;
	}
}

static void put_constraint(writer *w, const rt_op *op)
{
	const rt_constraint *c = op->constraint;
	const char *name = c && c->name ? c->name : op->name;
	if (op->kind == RT_OP_ADD_CONSTRAINT) {
		if (!c || !constraint_is_whole(c)) {
			fail(w, op, "it has no whole constraint definition");
			return;
		}
		rt__buf_printf(w->out, "add %s ", constraint_word(c->kind));
	} else {
		rt__buf_puts(w->out, "drop constraint ");
	}
	put_name(w, name);
	rt__buf_puts(w->out, " on ");
	put_table(w, op->table);
	if (op->kind == RT_OP_DROP_CONSTRAINT) {
		if (!c)
			return;
		if (!constraint_is_whole(c)) {
			fail(w, op, "its definition is not whole");
			return;
		}
		rt__buf_printf(w->out, " %s", constraint_word(c->kind));
	}
	rt__buf_putc(w->out, ' ');
	put_constraint_body(w, op, c);
}

static bool is_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* An enum value: bare when it is an identifier, as the schema printer
 * writes it, else a string. */
static void put_enum_value(writer *w, const rt_op *op, const char *value)
{
	if (is_identifier(value))
		rt__buf_puts(w->out, value);
	else
		put_text(w, op, value);
}

/* { a, b } on the operation's line, or a value a line when long. */
static void put_enum_values(writer *w, const rt_op *op, const rt_enum *e)
{
	size_t width = strlen(w->indent) + strlen(e->name) + 16;
	for (size_t i = 0; i < e->value_count; i++)
		width += strlen(e->values[i]) + 4;
	bool one_line = width <= 80;
	rt__buf_puts(w->out, one_line ? " { " : " {\n");
	for (size_t i = 0; i < e->value_count; i++) {
		if (!one_line)
			rt__buf_puts(w->out, w->inner);
		put_enum_value(w, op, e->values[i]);
		if (i + 1 < e->value_count)
			rt__buf_puts(w->out, one_line ? ", " : ",\n");
	}
	if (one_line)
		rt__buf_puts(w->out, " }");
	else
		rt__buf_printf(w->out, "\n%s}", w->indent);
}

static void put_enum(writer *w, const rt_op *op)
{
	const rt_enum *e = op->enum_def;
	const char *name = e && e->name ? e->name : op->name;
	bool create = op->kind == RT_OP_CREATE_ENUM;
	rt__buf_printf(w->out, "%s enum ", create ? "create" : "drop");
	rt__print_qualified_name(w->out, e ? e->schema : NULL, name ? name : "");
	if (!name)
		fail(w, op, "the enum has no name");
	if (e && e->value_count)
		put_enum_values(w, op, e);
	else if (create)
		fail(w, op, "a new enum needs its values");
}

static void put_execute(writer *w, const rt_op *op)
{
	rt__buf_puts(w->out, "execute ");
	if (!op->sql || !*op->sql)
		fail(w, op, "it has no SQL");
	put_text(w, op, op->sql ? op->sql : "");
	if (op->only_dialect)
		rt__buf_printf(w->out, " only %s", op->only_dialect);
}

static void put_value(writer *w, const rt_op *op, const rt_literal *value)
{
	switch (value->kind) {
	case RT_LITERAL_NONE:
		rt__buf_puts(w->out, "null");
		break;
	case RT_LITERAL_NUMBER:
	case RT_LITERAL_BOOL:
		rt__buf_puts(w->out, value->text ? value->text : "");
		break;
	case RT_LITERAL_STRING:
	case RT_LITERAL_ENUM:
		put_text(w, op, value->text ? value->text : "");
		break;
	default:
		fail(w, op, "an inserted value is a number, a string, true, false or null");
	}
}

/* insert into t (a, b) values (1, 'x') - a row a line when several. */
static void put_insert(writer *w, const rt_op *op)
{
	rt__buf_puts(w->out, "insert into ");
	put_table(w, op->table);
	rt__buf_putc(w->out, ' ');
	put_columns(w, op->columns, op->column_count);
	rt__buf_puts(w->out, " values");
	if (!op->column_count || !op->row_count)
		fail(w, op, "it has no columns or no rows");
	for (size_t r = 0; r < op->row_count; r++) {
		if (op->row_count > 1)
			rt__buf_printf(w->out, "%s\n%s", r ? "," : "", w->inner);
		else
			rt__buf_putc(w->out, ' ');
		rt__buf_putc(w->out, '(');
		for (size_t i = 0; i < op->column_count; i++) {
			if (i)
				rt__buf_puts(w->out, ", ");
			put_value(w, op, &op->rows[r][i]);
		}
		rt__buf_putc(w->out, ')');
	}
}

static bool named(const char *name)
{
	return name && *name;
}

/* The names each kind of operation cannot do without. */
static bool has_names(writer *w, const rt_op *op, const char *table)
{
	rt_op_kind k = op->kind;
	bool object = k == RT_OP_CREATE_OBJECT || k == RT_OP_REPLACE_OBJECT ||
		      k == RT_OP_DROP_OBJECT || k == RT_OP_RENAME_OBJECT;
	bool schema = k == RT_OP_CREATE_SCHEMA || k == RT_OP_DROP_SCHEMA;
	bool on_table = k != RT_OP_CREATE_ENUM && k != RT_OP_DROP_ENUM && !schema &&
			k != RT_OP_ALTER_ENUM_ADD && k != RT_OP_ALTER_ENUM_DROP && k != RT_OP_EXECUTE &&
			k != RT_OP_DROP_INDEX && !object;
	bool on_column = k == RT_OP_ADD_COLUMN || k == RT_OP_DROP_COLUMN ||
			 k == RT_OP_ALTER_COLUMN || k == RT_OP_RENAME_COLUMN;
	const char *why = NULL;
	if (object && (!op->object || !named(op->object->name)))
		why = "it names no view, function or trigger";
	else if (object && (k == RT_OP_CREATE_OBJECT || k == RT_OP_REPLACE_OBJECT) &&
		 !op->object->sql)
		why = "it has no SQL";
	else if (schema && !named(op->name))
		why = "it names no schema";
	else if (on_table && !named(table))
		why = "it names no table";
	else if (on_column && !named(op->name))
		why = "it names no column";
	else if ((k == RT_OP_RENAME_TABLE || k == RT_OP_RENAME_COLUMN ||
		  k == RT_OP_RENAME_OBJECT) && !named(op->new_name))
		why = "it has no new name";
	else if ((k == RT_OP_ALTER_ENUM_ADD || k == RT_OP_ALTER_ENUM_DROP) &&
		 (!named(op->name) || !op->value))
		why = "it names no enum or no value";
	else if ((k == RT_OP_CREATE_INDEX || k == RT_OP_DROP_INDEX) && !named(index_name(op)))
		why = "it names no index";
	if (why)
		fail(w, op, why);
	return !why;
}

/* create view v $$...$$, replace function f(a) $$new$$ was $$old$$,
 * drop trigger t on users $$old$$: the SQL as it is, in a block;
 * rename function f(a) to g: the new name. */
static void put_sql_object(writer *w, const rt_op *op)
{
	const rt_sql_object *o = op->object;
	size_t start = w->out->len;
	rt__buf_printf(w->out, "%s ", rt__op_verb(op->kind));
	rt__print_sql_object_head(w->out, o);
	if (op->kind == RT_OP_RENAME_OBJECT) {
		/* Without the schema, which the object keeps. */
		size_t n = o->schema ? strlen(o->schema) : 0;
		const char *to = op->new_name;
		if (n && strncmp(to, o->schema, n) == 0 && to[n] == '.')
			to += n + 1;
		rt__buf_puts(w->out, " to ");
		put_name(w, to);
		return;
	}
	size_t before = w->out->len - start + strlen(w->indent);
	if (o->sql)
		rt__print_sql_block(w->out, o->sql, before, w->indent);
	if (o->sql && rt__print_matview_body(w->out, o, w->indent) < 0)
		fail(w, op, "out of memory");
	if (op->kind == RT_OP_REPLACE_OBJECT && op->old_sql) {
		rt__buf_puts(w->out, " was");
		rt__print_sql_block(w->out, op->old_sql, before, w->indent);
	}
}

static void put_op(writer *w, const rt_op *op)
{
	rt_buf *out = w->out;
	const char *table = op->table ? op->table : op->def ? op->def->name : NULL;
	if (!has_names(w, op, table))
		return;
	switch (op->kind) {
	case RT_OP_CREATE_TABLE:
	case RT_OP_DROP_TABLE:
		rt__buf_puts(out, op->kind == RT_OP_CREATE_TABLE ? "create table " : "drop table ");
		put_def_table(w, op->def, table);
		if (op->def) {
			rt__print_table_options(out, op->def->options);
			rt__print_table_collation(out, op->def);
			rt__print_partitioning(out, op->def);
			if (rt__print_has_body(op->def))
				put_body(w, op->def);
		}
		else if (op->kind == RT_OP_CREATE_TABLE)
			fail(w, op, "a new table needs its definition");
		break;
	case RT_OP_RENAME_TABLE:
	case RT_OP_RENAME_COLUMN:
		if (op->kind == RT_OP_RENAME_TABLE) {
			rt__buf_puts(out, "rename table ");
			put_table(w, op->table);
		} else {
			rt__buf_puts(out, "rename column ");
			put_column_ref(w, op);
		}
		rt__buf_puts(out, " to ");
		put_name(w, op->new_name);
		break;
	case RT_OP_ADD_COLUMN:
	case RT_OP_DROP_COLUMN:
		rt__buf_puts(out, op->kind == RT_OP_ADD_COLUMN ? "add column " : "drop column ");
		put_column_ref(w, op);
		if (op->def)
			put_column_def(w, op);
		else if (op->kind == RT_OP_ADD_COLUMN)
			fail(w, op, "a new column needs its definition");
		break;
	case RT_OP_ALTER_COLUMN: put_alter_column(w, op); break;
	case RT_OP_ALTER_TABLE:
		rt__buf_puts(out, "alter table ");
		put_table(w, op->table);
		for (size_t i = 0; i < RT_TABLE_OPTION_COUNT; i++) {
			unsigned bit = rt__table_option_bit(i);
			if (op->options_set & bit)
				rt__buf_printf(out, " %s", rt__table_option_word(i));
			else if (op->options_clear & bit)
				rt__buf_printf(out, " %s", rt__table_option_unword(i));
		}
		put_collation_change(w, op);
		put_comment_change(w, op);
		if (op->comment_change == RT_ALTER_COMMENT_KEEP && !op->options_set &&
		    !op->options_clear && op->collation_change == RT_ALTER_COLLATION_KEEP)
			fail(w, op, "it changes nothing");
		break;
	case RT_OP_CREATE_INDEX:
	case RT_OP_DROP_INDEX: put_index(w, op); break;
	case RT_OP_ADD_CONSTRAINT:
	case RT_OP_DROP_CONSTRAINT: put_constraint(w, op); break;
	case RT_OP_CREATE_ENUM:
	case RT_OP_DROP_ENUM: put_enum(w, op); break;
	case RT_OP_ALTER_ENUM_ADD:
	case RT_OP_ALTER_ENUM_DROP:
		rt__buf_printf(out, "alter enum %s %s value ", op->name ? op->name : "",
			       op->kind == RT_OP_ALTER_ENUM_ADD ? "add" : "drop");
		put_text(w, op, op->value ? op->value : "");
		break;
	case RT_OP_EXECUTE: put_execute(w, op); break;
	case RT_OP_INSERT: put_insert(w, op); break;
	case RT_OP_CREATE_OBJECT:
	case RT_OP_REPLACE_OBJECT:
	case RT_OP_DROP_OBJECT:
	case RT_OP_RENAME_OBJECT: put_sql_object(w, op); break;
	case RT_OP_CREATE_SCHEMA:
	case RT_OP_DROP_SCHEMA:
		rt__buf_printf(out, "%s ", rt__op_verb(op->kind));
		put_name(w, op->name);
		break;
	}
}

int rt__script_print_ops(rt_buf *out, const rt_op_list *ops, const char *indent)
{
	rt_buf inner = RT_BUF_INIT;
	rt__buf_printf(&inner, "%s  ", indent);
	writer w = {out, indent, rt__buf_cstr(&inner), RT_OK};
	for (size_t i = 0; i < ops->count && w.rc == RT_OK; i++) {
		if (i)
			rt__buf_putc(out, '\n');
		if (ops->items[i]->note)
			rt__buf_printf(out, "%s# %s\n", indent, ops->items[i]->note);
		rt__buf_puts(out, indent);
		put_op(&w, ops->items[i]);
	}
	bool failed = rt__buf_failed(&inner) || rt__buf_failed(out);
	rt__buf_free(&inner);
	if (w.rc != RT_OK)
		return w.rc;
	return failed ? rt__error_nomem() : RT_OK;
}

/* --- the whole script ---------------------------------------------------------------- */

/* The header lines: keyword, padded, then its words. */
static void put_header_line(rt_buf *out, const char *keyword, const char *const *words,
			    size_t count)
{
	if (out->len)
		rt__buf_putc(out, '\n');
	rt__buf_printf(out, "%-9s ", keyword); /* a blank after the longest, "transaction" */
	for (size_t i = 0; i < count; i++)
		rt__buf_printf(out, "%s%s", i ? " " : "", words[i]);
}

static void put_words(rt_buf *out, const char *const *words, size_t count)
{
	for (size_t i = 0; i < count; i++)
		rt__buf_printf(out, "%s%s", i ? " " : "", words[i]);
}

/* What a placeholder stands for, appended to out; -1 for an unknown
 * name. */
static int expand(rt_buf *out, const char *name, size_t len, const rt_migration *m,
		  bool autogenerated)
{
#define IS(word) (len == strlen(word) && memcmp(name, word, len) == 0)
	static const char *const base[] = {"base"};
	static const char *const none[] = {"none"};
	if (IS("message")) {
		for (const char *c = m->message ? m->message : ""; *c; c++)
			rt__buf_putc(out, *c == '\n' || *c == '\r' ? ' ' : *c);
	} else if (IS("generated")) {
		if (autogenerated)
			rt__buf_puts(out, RT_SCRIPT_AUTOGENERATED_COMMENT);
	} else if (IS("header")) {
		rt_buf lines = RT_BUF_INIT;
		put_header_line(&lines, "revision", &m->revision, 1);
		if (m->revises_count)
			put_header_line(&lines, "revises", m->revises, m->revises_count);
		else
			put_header_line(&lines, "revises", base, 1);
		if (m->created)
			put_header_line(&lines, "created", &m->created, 1);
		if (m->branch_count)
			put_header_line(&lines, "branch", m->branches, m->branch_count);
		if (m->depends_count)
			put_header_line(&lines, "depends", m->depends, m->depends_count);
		if (m->no_transaction)
			put_header_line(&lines, "transaction", none, 1);
		rt__buf_puts(out, rt__buf_cstr(&lines));
		if (rt__buf_failed(&lines))
			out->failed = true;
		rt__buf_free(&lines);
	} else if (IS("revision")) {
		rt__buf_puts(out, m->revision);
	} else if (IS("revises")) {
		if (m->revises_count)
			put_words(out, m->revises, m->revises_count);
		else
			rt__buf_puts(out, "base");
	} else if (IS("created")) {
		rt__buf_puts(out, m->created ? m->created : "");
	} else if (IS("branches")) {
		put_words(out, m->branches, m->branch_count);
	} else if (IS("depends")) {
		put_words(out, m->depends, m->depends_count);
	} else if (IS("upgrade") || IS("downgrade")) {
		return rt__script_print_ops(out, IS("upgrade") ? &m->upgrade : &m->downgrade, "  ");
	} else {
		return -1;
	}
	return RT_OK;
#undef IS
}

/* One template line (without its line break) into out. A line that is
 * only a placeholder expanding to nothing is dropped (returns 1); blanks
 * that end a line go, unless a placeholder wrote them ("# " for no
 * message becomes "#"). */
static int render_line(rt_buf *out, const char *line, size_t len, int number,
		       const rt_migration *m, bool autogenerated)
{
	size_t start = out->len, keep = out->len;
	bool only_placeholder = len > 3 && line[0] == '$' && line[1] == '{' &&
				line[len - 1] == '}' && !memchr(line + 2, '}', len - 3);
	for (size_t i = 0; i < len;) {
		if (line[i] != '$' || i + 1 >= len || line[i + 1] != '{') {
			rt__buf_putc(out, line[i]);
			if (line[i] != ' ' && line[i] != '\t')
				keep = out->len;
			i++;
			continue;
		}
		const char *close = memchr(line + i + 2, '}', len - i - 2);
		if (!close)
			return rt__error_set(RT_EINVAL,
					     "script template, line %d: '${' without its '}'",
					     number);
		const char *name = line + i + 2;
		size_t name_len = (size_t)(close - name);
		size_t before = out->len;
		int rc = expand(out, name, name_len, m, autogenerated);
		if (rc == -1)
			return rt__error_set(
				RT_EINVAL,
				"script template, line %d: unknown placeholder ${%.*s}; the "
				"placeholders are message, generated, header, revision, revises, "
				"created, branches, depends, upgrade and downgrade",
				number, (int)name_len, name);
		if (rc < 0)
			return rc;
		if (out->len > before)
			keep = out->len;
		i = (size_t)(close - line) + 1;
	}
	if (only_placeholder && out->len == start) {
		return 1; /* dropped, with its line break */
	}
	while (out->len > keep && (out->ptr[out->len - 1] == ' ' || out->ptr[out->len - 1] == '\t'))
		out->ptr[--out->len] = '\0';
	return RT_OK;
}

int rt__script_render(char **out, const rt_migration *m, const char *template_text,
		      bool autogenerated)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt__script_render: out is NULL");
	*out = NULL;
	if (!m || !m->revision || !*m->revision)
		return rt__error_set(RT_EINVAL, "rt__script_render: the migration has no "
						"revision id");
	const char *text = template_text ? template_text : rt__script_default_template;
	rt_buf buf = RT_BUF_INIT;
	int rc = RT_OK, number = 1;
	for (const char *line = text; *line && rc >= 0; number++) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		size_t text_len = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
		rc = render_line(&buf, line, text_len, number, m, autogenerated);
		if (rc == RT_OK && nl)
			rt__buf_putc(&buf, '\n');
		line = nl ? nl + 1 : line + len;
	}
	if (rc < 0) {
		rt__buf_free(&buf);
		return rc;
	}
	*out = rt__buf_detach(&buf);
	return *out ? RT_OK : rt__error_nomem();
}

int rt__script_print(char **out, const rt_migration *m, bool autogenerated)
{
	return rt__script_render(out, m, NULL, autogenerated);
}
