/*
 * printer.c - a schema back to schema-language text (rt_schema_print).
 *
 * The output parses to a schema equal to the input (rt_schema_equal with
 * no flags) and reads like a file written by hand: enums first, then the
 * tables in schema order, then the views, functions and triggers in the
 * order to create them; members aligned in columns; a constraint or an
 * index written on its column (`unique`, `references users(id)`) when it has
 * one column and the name the rules would give it anyway, at table level
 * with its name otherwise. Mixins are not kept in the schema model, so their
 * members appear spelled out in each model that used them. A SQL name that
 * is no identifier ("Weird Table", as databases made by hand may hold) is
 * written quoted; C names (models, fields, relationships) always are
 * identifiers.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "schema/metadata.h"
#include "schema/naming.h"
#include "schema/printer.h"

typedef struct printer {
	const rt_schema *schema; /* NULL when printing one table's body */
	rt_buf *out;
	rt_arena *arena; /* default names, member rows */
	const char *indent; /* before each member */
	bool sql_names;  /* the column is named by its SQL name (no `column '...'`) */
	bool named;      /* the declaration around the body names the table */
	bool failed;     /* an arena allocation failed */
} printer;

/* A name from the arena, or "" after recording the failure (the output is
 * thrown away then). */
static const char *checked(printer *p, const char *name)
{
	if (name)
		return name;
	p->failed = true;
	return "";
}

/* --- which objects fit on their column ------------------------------------ */

static bool one_column(const char *const *columns, size_t count, const rt_column *column)
{
	return count == 1 && strcmp(columns[0], column->name) == 0;
}

static bool same_name(printer *p, const char *name, const char *default_name)
{
	return name && strcmp(name, checked(p, default_name)) == 0;
}

static bool pk_on_column(printer *p, const rt_table *t, const rt_column *column)
{
	const rt_constraint *pk = t->primary_key;
	return pk && !pk->name_given && one_column(pk->columns, pk->column_count, column) &&
	       same_name(p, pk->name, rt__name_primary_key(p->arena, rt__table_sql_name(t)));
}

static bool constraint_on_column(printer *p, const rt_table *t, const rt_constraint *c,
				 const rt_column *column)
{
	if (c->name_given)
		return false;
	const char *const *self = &column->name;
	const char *table = rt__table_sql_name(t); /* default names use it */
	switch (c->kind) {
	case RT_CONSTRAINT_UNIQUE:
		return one_column(c->columns, c->column_count, column) &&
		       same_name(p, c->name, rt__name_unique(p->arena, table, self, 1));
	case RT_CONSTRAINT_FOREIGN_KEY:
		return one_column(c->columns, c->column_count, column) &&
		       c->ref_column_count == 1 && c->ref_table &&
		       same_name(p, c->name,
				 rt__name_foreign_key(p->arena, table, self, 1,
						      rt__schema_table_sql_name(p->schema,
										c->ref_table)));
	case RT_CONSTRAINT_CHECK:
		return c->check_column && strcmp(c->check_column, column->name) == 0 &&
		       same_name(p, c->name, rt__name_column_check(p->arena, table, column->name));
	case RT_CONSTRAINT_PRIMARY_KEY:
		break;
	}
	return false;
}

static bool index_on_column(printer *p, const rt_table *t, const rt_index *index,
			    const rt_column *column)
{
	return !index->unique && !index->name_given &&
	       rt__index_plain_on(index, &column->name, 1, true) &&
	       same_name(p, index->name,
			 rt__name_index(p->arena, rt__table_sql_name(t), &column->name, 1));
}

/* Is this constraint written on one of the table's columns? */
static bool constraint_on_some_column(printer *p, const rt_table *t, const rt_constraint *c)
{
	for (size_t i = 0; i < t->column_count; i++)
		if (constraint_on_column(p, t, c, t->columns[i]))
			return true;
	return false;
}

static bool index_on_some_column(printer *p, const rt_table *t, const rt_index *index)
{
	for (size_t i = 0; i < t->column_count; i++)
		if (index_on_column(p, t, index, t->columns[i]))
			return true;
	return false;
}

/* The rule when nothing is written: a single integer primary key column
 * autoincrements. */
static bool autoincrements_by_default(const rt_table *t, const rt_column *column)
{
	const rt_constraint *pk = t->primary_key;
	return pk && one_column(pk->columns, pk->column_count, column) &&
	       rt__type_is_integer(column->type.kind);
}

/* --- member rows ---------------------------------------------------------- */

/* One field line, in three aligned parts: name, type, options. */
typedef struct row {
	const char *name, *type, *options;
} row;

static const char *type_text(printer *p, const rt_column *column)
{
	const char *name;
	if (column->type.kind == RT_TYPE_ENUM) {
		name = column->type.enum_name ? column->type.enum_name
		     : column->type.enum_type ? column->type.enum_type->name : "";
		if (column->type.array)
			name = checked(p, rt__arena_printf(p->arena, "%s[]", name));
	} else
		name = checked(p, rt__type_name(p->arena, &column->type));
	return column->nullable ? checked(p, rt__arena_printf(p->arena, "%s?", name)) : name;
}

/* The field name a column's line starts with. A column that has no C
 * field of its own and a SQL name that is no identifier ("Display Name",
 * reflected) gets one made from its name: display_name, numbered when
 * another column has it; `column '...'` then gives the SQL name. */
static const char *field_text(printer *p, const rt_table *t, const rt_column *column)
{
	const char *field = column->field ? column->field : column->name;
	if (rt__print_is_identifier(field))
		return field;
	char *made = rt__arena_alloc(p->arena, strlen(field) + 3);
	if (!made)
		return checked(p, NULL);
	size_t n = 0;
	if (!(*field >= 'a' && *field <= 'z') && !(*field >= 'A' && *field <= 'Z') &&
	    *field != '_') {
		made[n++] = 'c';
		made[n++] = '_';
	}
	for (const char *c = field; *c; c++) {
		bool word = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || *c == '_';
		if (word)
			made[n++] = *c;
		else if (n > 0 && made[n - 1] != '_')
			made[n++] = '_';
	}
	while (n > 1 && made[n - 1] == '_')
		n--;
	made[n] = '\0';
	const char *name = made;
	for (int i = 2; rt__table_find_field(t, name) && rt__table_find_field(t, name) != column;
	     i++)
		name = checked(p, rt__arena_printf(p->arena, "%s_%d", made, i));
	return name;
}

/* Appends " word" to the options of a row being built. */
static void option(rt_buf *b, const char *word)
{
	rt__buf_printf(b, " %s", word);
}

static void column_options(printer *p, rt_buf *b, const rt_table *t, const rt_column *column)
{
	if (column->collation) {
		option(b, "collate ");
		rt__print_sql_name(b, column->collation);
	}
	if (column->generated) {
		option(b, "generated ");
		rt__print_string(b, column->generated);
		rt__buf_puts(b, column->generated_virtual ? " virtual" : " stored");
	}
	if (pk_on_column(p, t, column))
		option(b, "primary key");
	bool by_default = autoincrements_by_default(t, column);
	if (column->autoincrement && !by_default)
		option(b, "autoincrement");
	if (!column->autoincrement && by_default)
		option(b, "no autoincrement");
	for (size_t i = 0; i < t->constraint_count; i++) {
		const rt_constraint *c = t->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE && constraint_on_column(p, t, c, column))
			option(b, "unique");
	}
	for (size_t i = 0; i < t->index_count; i++)
		if (index_on_column(p, t, t->indexes[i], column))
			option(b, "index");
	if (column->default_value.kind != RT_LITERAL_NONE) {
		option(b, "default ");
		rt__print_literal(b, &column->default_value);
	}
	if (column->server_default.kind != RT_LITERAL_NONE) {
		option(b, "server default ");
		rt__print_literal(b, &column->server_default);
	}
	if (column->server_onupdate)
		option(b, "server onupdate now");
	if (column->onupdate_now)
		option(b, "onupdate now");
	if (column->version)
		option(b, "version");
	for (size_t i = 0; i < t->constraint_count; i++) {
		const rt_constraint *c = t->constraints[i];
		if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && constraint_on_column(p, t, c, column)) {
			rt__buf_putc(b, ' ');
			rt__print_references(b, c, p->schema);
		}
	}
	for (size_t i = 0; i < t->constraint_count; i++) {
		const rt_constraint *c = t->constraints[i];
		if (c->kind == RT_CONSTRAINT_CHECK && constraint_on_column(p, t, c, column)) {
			option(b, "check ");
			rt__print_string(b, c->check ? c->check : "");
		}
	}
	if (!p->sql_names && strcmp(field_text(p, t, column), column->name) != 0) {
		option(b, "column ");
		rt__print_string(b, column->name);
	}
	if (column->comment && *column->comment) {
		option(b, "comment ");
		rt__print_string(b, column->comment);
	}
	if (column->was) {
		option(b, "was ");
		rt__print_sql_name(b, column->was);
	}
}

/* Is name a table's SQL name or a model's name? */
static bool names_table(const printer *p, const char *name)
{
	if (!p->schema)
		return false;
	return rt__schema_find_table(p->schema, name) || rt__schema_find_model(p->schema, name);
}

/* `on column` or `on table.column`. The relationship keeps the text as
 * one, "t.c"; with quoted names either part may hold a dot, so the split is
 * at the first dot before which the text names a table (or model), and
 * nowhere when the whole text names a column of either side. A column
 * named delete or update is quoted: `on delete` starts a foreign key
 * action. */
static void put_on(printer *p, rt_buf *b, const rt_table *t, const rt_relationship *rel)
{
	const char *on = rel->on_column;
	option(b, "on ");
	const rt_table *target = rel->target_table;
	bool column = rt__table_find_field(t, on) ||
		      (target && rt__table_find_field(target, on));
	for (const char *dot = strchr(on, '.'); dot && !column; dot = strchr(dot + 1, '.')) {
		char *table = rt__arena_strndup(p->arena, on, (size_t)(dot - on));
		if (!table) {
			p->failed = true;
			return;
		}
		if (dot[1] && names_table(p, table)) {
			rt__print_sql_name(b, table);
			rt__buf_putc(b, '.');
			rt__print_sql_name(b, dot + 1);
			return;
		}
	}
	rt__print_name_quoted_if(b, on, strcmp(on, "delete") == 0 || strcmp(on, "update") == 0);
}

static void relationship_options(printer *p, rt_buf *b, const rt_table *t,
				 const rt_relationship *rel)
{
	if (rel->through) {
		option(b, "through ");
		rt__print_table_name(b, rel->through, p->schema);
	}
	if (rel->back)
		rt__buf_printf(b, " back %s", rel->back);
	if (rel->on_column)
		put_on(p, b, t, rel);
	if (rel->order_by) {
		option(b, "order by ");
		rt__print_sql_name(b, rel->order_by);
		rt__buf_puts(b, rel->order_desc ? " desc" : "");
	}
	if (rel->cascade_delete)
		option(b, "cascade delete");
	if (rel->delete_orphan)
		option(b, "delete orphan");
}

/* The options text of a row, copied into the arena ("" when none; the
 * leading space is dropped). */
static const char *finish_options(printer *p, rt_buf *b)
{
	if (b->failed)
		p->failed = true;
	const char *text = rt__buf_cstr(b);
	const char *copy = checked(p, rt__arena_strdup(p->arena, *text ? text + 1 : text));
	rt__buf_clear(b);
	return copy;
}

static row column_row(printer *p, rt_buf *b, const rt_table *t, const rt_column *column)
{
	column_options(p, b, t, column);
	return (row){field_text(p, t, column), type_text(p, column), finish_options(p, b)};
}

static row relationship_row(printer *p, rt_buf *b, const rt_table *t,
			    const rt_relationship *rel)
{
	relationship_options(p, b, t, rel);
	const char *type = checked(p, rt__arena_printf(p->arena, "%s%s", rel->target,
						       rel->is_list ? "[]"
						       : rel->optional ? "?" : ""));
	return (row){rel->name, type, finish_options(p, b)};
}

/* Was a declared before b? Only positions in the same file compare;
 * reflected objects have none. */
static bool declared_before(const rt_pos *a, const rt_pos *b)
{
	if (a->line == 0 || b->line == 0 || !a->file || !b->file || strcmp(a->file, b->file) != 0)
		return false;
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

/* The table's fields: columns in their (SQL) order, relationships in
 * theirs, merged by where they were declared so that a parsed model reads
 * as it was written; without positions the relationships come last. */
static row *field_rows(printer *p, const rt_table *t, size_t *count)
{
	size_t n = t->column_count + t->relationship_count;
	row *rows = rt__arena_alloc(p->arena, (n ? n : 1) * sizeof(*rows));
	if (!rows) {
		p->failed = true;
		*count = 0;
		return NULL;
	}
	rt_buf b = RT_BUF_INIT;
	size_t c = 0, r = 0, k = 0;
	/* A subclass of single-table inheritance prints its own columns and
	 * no relationships (its root's); a root, none of its subclasses'. */
	size_t relationship_count = t->single_table ? 0 : t->relationship_count;
	while (c < t->column_count || r < relationship_count) {
		bool take_relationship =
			r < relationship_count &&
			(c == t->column_count ||
			 declared_before(&t->relationships[r]->pos, &t->columns[c]->pos));
		if (take_relationship) {
			rows[k++] = relationship_row(p, &b, t, t->relationships[r++]);
		} else {
			const rt_column *column = t->columns[c++];
			if (column->inherited && !p->named)
				continue; /* a joined subclass's key: `extends` says it */
			/* In a script's table every column is the table's. */
			if (!p->named &&
			    (t->single_table ? !column->subclass || strcmp(column->subclass, t->model) != 0
					     : column->subclass != NULL))
				continue;
			rows[k++] = column_row(p, &b, t, column);
		}
	}
	rt__buf_free(&b);
	*count = k;
	return rows;
}

static void put_padded(rt_buf *out, const char *text, size_t width)
{
	rt__buf_puts(out, text);
	for (size_t i = strlen(text); i < width; i++)
		rt__buf_putc(out, ' ');
}

static void put_rows(printer *p, const row *rows, size_t count)
{
	size_t name_width = 0, type_width = 0;
	for (size_t i = 0; i < count; i++) {
		size_t n = strlen(rows[i].name), t = strlen(rows[i].type);
		name_width = n > name_width ? n : name_width;
		type_width = t > type_width ? t : type_width;
	}
	for (size_t i = 0; i < count; i++) {
		rt__buf_puts(p->out, p->indent);
		put_padded(p->out, rows[i].name, name_width + 2);
		if (*rows[i].options) {
			put_padded(p->out, rows[i].type, type_width + 2);
			rt__buf_puts(p->out, rows[i].options);
		} else {
			rt__buf_puts(p->out, rows[i].type);
		}
		rt__buf_putc(p->out, '\n');
	}
}

/* --- table-level members -------------------------------------------------- */

/* A constraint's or index's name, before its columns. */
static void put_given_name(rt_buf *out, const char *name)
{
	rt__print_sql_name(out, name);
	rt__buf_putc(out, ' ');
}

static void put_table_constraint(printer *p, const rt_table *t, const rt_constraint *c,
				 int *unnamed_checks)
{
	rt_buf *out = p->out;
	const char *const *cols = c->columns;
	size_t n = c->column_count;
	const char *name = c->name ? c->name : "";
	const char *table = rt__table_sql_name(t); /* default names use it */
	switch (c->kind) {
	case RT_CONSTRAINT_UNIQUE:
		rt__buf_printf(out, "%sunique ", p->indent);
		/* a bare `unique index (a)` would be a unique index */
		if (c->name_given ||
		    !same_name(p, c->name, rt__name_unique(p->arena, table, cols, n))) {
			rt__print_name_quoted_if(out, name, strcmp(name, "index") == 0);
			rt__buf_putc(out, ' ');
		}
		rt__print_name_list(out, cols, n);
		break;
	case RT_CONSTRAINT_FOREIGN_KEY:
		rt__buf_printf(out, "%sforeign key ", p->indent);
		if (c->name_given ||
		    !same_name(p, c->name,
			       rt__name_foreign_key(p->arena, table, cols, n,
						    c->ref_table ? rt__schema_table_sql_name(
									   p->schema, c->ref_table)
								 : "")))
			put_given_name(out, name);
		rt__print_name_list(out, cols, n);
		rt__buf_putc(out, ' ');
		rt__print_references(out, c, p->schema);
		break;
	case RT_CONSTRAINT_CHECK:
		rt__buf_printf(out, "%scheck ", p->indent);
		/* unnamed table-level checks are numbered in order: ck_<table>_<n> */
		if (c->name_given ||
		    !same_name(p, c->name, rt__name_table_check(p->arena, table,
								 *unnamed_checks + 1)))
			put_given_name(out, name);
		else
			++*unnamed_checks;
		rt__print_string(out, c->check ? c->check : "");
		break;
	case RT_CONSTRAINT_PRIMARY_KEY:
		return;
	}
	rt__buf_putc(out, '\n');
}

void rt__print_index_body(rt_buf *out, const rt_index *index)
{
	if (index->method)
		rt__buf_printf(out, "using %s ", index->method);
	rt__buf_putc(out, '(');
	for (size_t i = 0; i < index->key_count; i++) {
		const rt_index_key *key = &index->keys[i];
		if (i > 0)
			rt__buf_puts(out, ", ");
		if (key->column)
			rt__print_sql_name(out, key->column);
		else if (rt__index_expr_is_call(key->expr))
			rt__buf_puts(out, key->expr);
		else
			rt__buf_printf(out, "(%s)", key->expr);
		if (key->desc)
			rt__buf_puts(out, " desc");
	}
	rt__buf_putc(out, ')');
	if (index->include_count) {
		rt__buf_puts(out, " include ");
		rt__print_name_list(out, index->include, index->include_count);
	}
	if (index->where) {
		rt__buf_puts(out, " where ");
		rt__print_string(out, index->where);
	}
}

/* An index of the table (or materialized view) named owner. */
static void put_index(printer *p, const char *owner, const rt_index *index)
{
	rt_buf *out = p->out;
	rt__buf_printf(out, "%s%s", p->indent, index->unique ? "unique index " : "index ");
	if (index->name_given ||
	    !same_name(p, index->name, rt__name_index_keys(p->arena, owner, index))) {
		/* a bare `index using gin (a)` would name the method */
		const char *name = index->name ? index->name : "";
		rt__print_name_quoted_if(out, name, strcmp(name, "using") == 0);
		rt__buf_putc(out, ' ');
	}
	rt__print_index_body(out, index);
	rt__buf_putc(out, '\n');
}

static void put_table_members(printer *p, const rt_table *t)
{
	const rt_constraint *pk = t->primary_key;
	if (pk && !(pk->inherited && !p->named)) {
		const rt_column *only = pk->column_count == 1
						? rt__table_find_column(t, pk->columns[0])
						: NULL;
		if (!only || !pk_on_column(p, t, only)) {
			rt__buf_printf(p->out, "%sprimary key ", p->indent);
			if (pk->name_given ||
			    !same_name(p, pk->name,
				       rt__name_primary_key(p->arena, rt__table_sql_name(t))))
				put_given_name(p->out, pk->name ? pk->name : "");
			rt__print_name_list(p->out, pk->columns, pk->column_count);
			rt__buf_putc(p->out, '\n');
		}
	}
	int unnamed_checks = 0;
	for (size_t i = 0; i < t->constraint_count; i++) {
		const rt_constraint *c = t->constraints[i];
		if (!(c->inherited && !p->named) && !constraint_on_some_column(p, t, c))
			put_table_constraint(p, t, c, &unnamed_checks);
	}
	for (size_t i = 0; i < t->index_count; i++)
		if (!index_on_some_column(p, t, t->indexes[i]))
			put_index(p, rt__table_sql_name(t), t->indexes[i]);
}

/* --- declarations --------------------------------------------------------- */

/* Everything between a table's braces. */
static void put_body(printer *p, const rt_table *t)
{
	rt_buf *out = p->out;
	const char *sql_name = rt__table_sql_name(t);
	if (t->schema && !p->named) {
		rt__buf_printf(out, "%sschema ", p->indent);
		rt__print_string(out, t->schema);
		rt__buf_putc(out, '\n');
	}
	if (t->model && !p->named && !t->is_view && !t->joined &&
	    strcmp(sql_name, checked(p, rt__name_table_for_model(p->arena, t->model))) != 0) {
		rt__buf_printf(out, "%stable ", p->indent);
		/* 'a.b' would read as table b in schema a: a name holding a dot
		 * is the quoted SQL name "a.b". */
		if (strchr(sql_name, '.'))
			rt__print_name_quoted_if(out, sql_name, true);
		else
			rt__print_string(out, sql_name);
		rt__buf_putc(out, '\n');
	}
	if (t->comment && *t->comment) {
		rt__buf_printf(out, "%scomment ", p->indent);
		rt__print_string(out, t->comment);
		rt__buf_putc(out, '\n');
	}
	size_t count;
	row *rows = field_rows(p, t, &count);
	put_rows(p, rows, count);
	if (t->discriminator) {
		rt__buf_printf(out, "%sdiscriminator ", p->indent);
		rt__print_sql_name(out, t->discriminator);
		rt__buf_putc(out, '\n');
	}
	put_table_members(p, t);
}

/* model Manager extends Employee identity 'manager' { own columns } */
static void put_subclass(printer *p, const rt_table *t)
{
	rt__buf_printf(p->out, "model %s extends %s identity ", t->model, t->parent->model);
	rt__print_string(p->out, t->identity);
	rt__buf_puts(p->out, " {\n");
	size_t count;
	row *rows = field_rows(p, t, &count);
	put_rows(p, rows, count);
	rt__buf_puts(p->out, "}\n");
}

static void put_table(printer *p, const rt_table *t)
{
	rt_buf *out = p->out;
	if (t->model) {
		rt__buf_printf(out, "model %s", t->model);
		if (t->is_view) { /* its schema, if any, in the body */
			rt__buf_puts(out, " view ");
			rt__print_sql_name(out, rt__table_sql_name(t));
		}
		if (t->joined) {
			rt__buf_printf(out, " extends %s table ", t->parent->model);
			rt__print_sql_name(out, rt__table_sql_name(t));
		}
		if (t->identity) {
			rt__buf_puts(out, " identity ");
			rt__print_string(out, t->identity);
		}
	} else {
		rt__buf_puts(out, "table ");
		rt__print_sql_name(out, rt__table_sql_name(t));
	}
	if (t->was) {
		/* A table's previous name is in its own schema. */
		rt__buf_puts(out, " was ");
		rt__print_sql_name(out, rt__table_unqualified(t, t->was));
	}
	rt__print_table_options(out, t->options);
	rt__print_table_collation(out, t);
	rt__print_partitioning(out, t);
	if (!rt__print_has_body(t) && !t->schema) {
		rt__buf_putc(out, '\n');
		return;
	}
	rt__buf_puts(out, " {\n");
	put_body(p, t);
	rt__buf_puts(out, "}\n");
}

void rt__print_sql_block(rt_buf *out, const char *sql, size_t before, const char *indent)
{
	char tag[32] = "$$";
	for (int n = 0; strstr(sql, tag); n++)
		snprintf(tag, sizeof(tag), n ? "$rt%d$" : "$rt$", n);
	if (!strchr(sql, '\n') && before + strlen(sql) + 2 * strlen(tag) + 3 <= 100)
		rt__buf_printf(out, " %s %s %s", tag, sql, tag);
	else
		rt__buf_printf(out, " %s\n%s\n%s%s", tag, sql, indent, tag);
}

/* A materialized view's body: " {", its indexes a line each, indented
 * under the declaration's indent, "}". */
static void put_matview_body(printer *p, const rt_sql_object *o, const char *indent)
{
	if (!o->index_count)
		return;
	const char *member_indent = p->indent;
	rt__buf_puts(p->out, " {\n");
	if (!(p->indent = rt__arena_printf(p->arena, "%s  ", indent))) {
		p->failed = true;
		p->indent = member_indent;
		return;
	}
	for (size_t i = 0; i < o->index_count; i++)
		put_index(p, rt__sql_object_sql_name(o), o->indexes[i]);
	p->indent = member_indent;
	rt__buf_printf(p->out, "%s}", indent);
}

/* view v $$ ... $$, function f(args) $$ ... $$, trigger t on users $$ ... $$,
 * materialized view m with no data $$ ... $$ { index ... } */
static void put_sql_object(printer *p, const rt_sql_object *o)
{
	rt_buf *out = p->out;
	size_t start = out->len;
	rt__print_sql_object_head(out, o);
	rt__print_sql_block(out, o->sql, out->len - start, "");
	put_matview_body(p, o, "");
	rt__buf_putc(out, '\n');
}

void rt__print_sql_object_head(rt_buf *out, const rt_sql_object *o)
{
	rt__buf_printf(out, "%s ", rt__sql_kind_name(o->kind));
	rt__print_qualified_name(out, o->schema, rt__sql_object_sql_name(o));
	if (o->args)
		rt__buf_puts(out, o->args);
	if (o->table) {
		rt__buf_puts(out, " on ");
		rt__print_table_name(out, o->table, NULL);
	}
	if (o->no_data)
		rt__buf_puts(out, " with no data");
	if (o->security_invoker)
		rt__buf_puts(out, " security invoker");
	if (o->was) {
		rt__buf_puts(out, " was ");
		rt__print_sql_name(out, o->was);
	}
}

int rt__print_matview_body(rt_buf *out, const rt_sql_object *o, const char *indent)
{
	printer p = {.out = out, .arena = rt__arena_new(), .indent = indent};
	if (!p.arena)
		return rt__error_nomem();
	put_matview_body(&p, o, indent);
	rt__arena_free(p.arena);
	return p.failed || rt__buf_failed(out) ? rt__error_nomem() : RT_OK;
}

int rt_schema_print(char **out, const rt_schema *schema)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_schema_print: out is NULL");
	*out = NULL;
	if (!schema)
		return rt__error_set(RT_EINVAL, "rt_schema_print: schema is NULL");
	rt_buf buf = RT_BUF_INIT;
	printer p = {.schema = schema, .out = &buf, .arena = rt__arena_new(), .indent = "  "};
	if (!p.arena)
		return rt__error_nomem();
	const char *sep = "";
	for (size_t i = 0; i < schema->enum_count; i++) {
		rt__buf_puts(&buf, sep);
		rt__print_enum(p.out, schema->enums[i]);
		sep = "\n";
	}
	for (size_t i = 0; i < schema->table_count; i++) {
		rt__buf_puts(&buf, sep);
		put_table(&p, schema->tables[i]);
		sep = "\n";
	}
	for (size_t i = 0; i < schema->subclass_count; i++) {
		rt__buf_puts(&buf, sep);
		put_subclass(&p, schema->subclasses[i]);
		sep = "\n";
	}
	for (size_t i = 0; i < schema->sql_object_count; i++) {
		rt__buf_puts(&buf, sep);
		put_sql_object(&p, schema->sql_objects[i]);
		sep = "\n";
	}
	rt__arena_free(p.arena);
	if (p.failed) {
		rt__buf_free(&buf);
		return rt__error_nomem();
	}
	*out = rt__buf_detach(&buf);
	return *out ? RT_OK : rt__error_nomem();
}

/* --- pieces for migration scripts (printer.h) --------------------------------- */

int rt__print_table_body(rt_buf *out, const rt_table *table, const char *indent)
{
	/* A script's `create table name { ... }` names the table itself: a
	 * model's `table 'name'` inside would read as a second name. */
	printer p = {.out = out, .arena = rt__arena_new(), .indent = indent, .named = true};
	if (!p.arena)
		return rt__error_nomem();
	put_body(&p, table);
	rt__arena_free(p.arena);
	return p.failed || rt__buf_failed(out) ? rt__error_nomem() : RT_OK;
}

int rt__print_column(rt_buf *out, const rt_table *table, const rt_column *column)
{
	printer p = {.out = out, .arena = rt__arena_new(), .indent = "", .sql_names = true};
	if (!p.arena)
		return rt__error_nomem();
	rt_buf options = RT_BUF_INIT;
	column_options(&p, &options, table, column);
	rt__buf_puts(out, type_text(&p, column));
	rt__buf_puts(out, rt__buf_cstr(&options));
	bool failed = p.failed || rt__buf_failed(&options) || rt__buf_failed(out);
	rt__buf_free(&options);
	rt__arena_free(p.arena);
	return failed ? rt__error_nomem() : RT_OK;
}

int rt__print_fits_column(const rt_table *table, const rt_column *column, bool *fits)
{
	printer p = {.arena = rt__arena_new(), .indent = ""};
	if (!p.arena)
		return rt__error_nomem();
	bool ok = !table->primary_key || pk_on_column(&p, table, column);
	for (size_t i = 0; ok && i < table->constraint_count; i++)
		ok = constraint_on_column(&p, table, table->constraints[i], column);
	for (size_t i = 0; ok && i < table->index_count; i++)
		ok = index_on_column(&p, table, table->indexes[i], column);
	ok = ok && table->relationship_count == 0;
	rt__arena_free(p.arena);
	if (p.failed)
		return rt__error_nomem();
	*fits = ok;
	return RT_OK;
}
