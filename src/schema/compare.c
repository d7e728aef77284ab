/*
 * compare.c - are two schemas equal, and if not, how do they differ?
 *
 * One walk over both schemas serves rt_schema_equal (it only counts) and
 * rt_schema_differences (it also writes one line per difference). Tables
 * are matched by SQL name; columns are an ordered list; constraints,
 * indexes, relationships and enums are sets matched by name. Lines come out
 * in the first schema's order, then whatever only the second one has, so
 * the output is deterministic.
 *
 * RT_COMPARE_DATABASE narrows the comparison to what a database can hold,
 * for round trips through DDL and reflection: model and field names,
 * client-side defaults, `was` markers, relationships, enum names and
 * whether a constraint name was written by hand are then ignored.
 */
#include "schema/compare.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "schema/printer.h"

/* --- literals ------------------------------------------------------------- */

static const char *text_of(const char *s)
{
	return s ? s : "";
}

static bool same_text(const char *a, const char *b)
{
	return strcmp(text_of(a), text_of(b)) == 0;
}

static bool is_stringish(rt_literal_kind kind)
{
	return kind == RT_LITERAL_STRING || kind == RT_LITERAL_ENUM;
}

bool rt__literal_equal(const rt_literal *a, const rt_literal *b)
{
	if (is_stringish(a->kind) && is_stringish(b->kind))
		return same_text(a->text, b->text);
	if (a->kind != b->kind)
		return false;
	const char *ta = text_of(a->text), *tb = text_of(b->text);
	switch (a->kind) {
	case RT_LITERAL_NONE:
	case RT_LITERAL_NOW:
		return true;
	case RT_LITERAL_NUMBER:
		return strcmp(ta + (*ta == '+'), tb + (*tb == '+')) == 0;
	case RT_LITERAL_BOOL:
		return strcasecmp(ta, tb) == 0;
	case RT_LITERAL_SQL:
		return rt__sql_expr_equal(ta, tb);
	case RT_LITERAL_STRING:
	case RT_LITERAL_ENUM:
		break;
	}
	return strcmp(ta, tb) == 0;
}

/* --- the walk ------------------------------------------------------------- */

typedef struct differ {
	const rt_schema *a, *b;
	unsigned flags;
	rt_buf *out;        /* NULL: only count */
	rt_arena *arena;    /* descriptions for messages; NULL when only counting */
	size_t count;
	const char *table;  /* prefix "table <name>: ", or NULL */
	const char *object; /* prefix "<object>: ", or NULL */
} differ;

static void report(differ *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(differ *d, const char *fmt, ...)
{
	d->count++;
	if (!d->out)
		return;
	if (d->table)
		rt__buf_printf(d->out, "table %s: ", d->table);
	if (d->object)
		rt__buf_printf(d->out, "%s: ", d->object);
	va_list ap;
	va_start(ap, fmt);
	rt__buf_vprintf(d->out, fmt, ap);
	va_end(ap);
	rt__buf_putc(d->out, '\n');
}

static bool by_database(const differ *d)
{
	return d->flags & RT_COMPARE_DATABASE;
}

/* Descriptions are built only when someone will read them; when counting
 * they are "". An arena failure shows as "?" and is reported at the end by
 * the buffer check of the caller's output. */
static const char *describe(differ *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *describe(differ *d, const char *fmt, ...)
{
	if (!d->arena)
		return "";
	va_list ap;
	va_start(ap, fmt);
	const char *s = rt__arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	if (!s && d->out)
		d->out->failed = true;
	return s ? s : "?";
}

static const char *quoted(differ *d, const char *s)
{
	if (!s)
		return "none";
	if (!d->arena)
		return "";
	rt_buf buf = RT_BUF_INIT;
	rt__buf_put_sql_string(&buf, s);
	const char *copy = describe(d, "%s", rt__buf_cstr(&buf));
	if (buf.failed && d->out)
		d->out->failed = true;
	rt__buf_free(&buf);
	return copy;
}

static const char *name_list(differ *d, const char *const *names, size_t count)
{
	if (!d->arena)
		return "";
	rt_buf buf = RT_BUF_INIT;
	rt__buf_putc(&buf, '(');
	for (size_t i = 0; i < count; i++)
		rt__buf_printf(&buf, "%s%s", i ? ", " : "", names[i]);
	rt__buf_putc(&buf, ')');
	const char *copy = describe(d, "%s", rt__buf_cstr(&buf));
	if (buf.failed && d->out)
		d->out->failed = true;
	rt__buf_free(&buf);
	return copy;
}

static const char *literal_text(differ *d, const rt_literal *lit)
{
	switch (lit->kind) {
	case RT_LITERAL_NONE: return "none";
	case RT_LITERAL_STRING: return quoted(d, text_of(lit->text));
	case RT_LITERAL_SQL: return describe(d, "sql %s", quoted(d, text_of(lit->text)));
	case RT_LITERAL_NOW: return "now";
	case RT_LITERAL_NUMBER:
	case RT_LITERAL_BOOL:
	case RT_LITERAL_ENUM:
		break;
	}
	return text_of(lit->text);
}

static const char *type_text(differ *d, const rt_type *type)
{
	if (!d->arena)
		return "";
	const char *name = rt__type_name(d->arena, type);
	return name ? name : "?";
}

static const char *yes_no(bool value)
{
	return value ? "yes" : "no";
}

static const char *constraint_kind_name(rt_constraint_kind kind)
{
	switch (kind) {
	case RT_CONSTRAINT_PRIMARY_KEY: return "primary key";
	case RT_CONSTRAINT_UNIQUE: return "unique";
	case RT_CONSTRAINT_FOREIGN_KEY: return "foreign key";
	case RT_CONSTRAINT_CHECK: return "check";
	}
	return "?";
}

static bool same_names(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Compares a string-valued property; NULL and "" are the same. */
static void compare_text(differ *d, const char *what, const char *a, const char *b)
{
	if (!same_text(a, b))
		report(d, "%s %s != %s", what, quoted(d, a), quoted(d, b));
}

static void compare_flag(differ *d, const char *what, bool a, bool b)
{
	if (a != b)
		report(d, "%s %s != %s", what, yes_no(a), yes_no(b));
}

static void compare_literal(differ *d, const char *what, const rt_literal *a,
			    const rt_literal *b)
{
	if (!rt__literal_equal(a, b))
		report(d, "%s %s != %s", what, literal_text(d, a), literal_text(d, b));
}

/* --- columns -------------------------------------------------------------- */

/* The enum an enum column uses: resolved by validation, or looked up by
 * name in a schema that was built by hand. */
static const rt_enum *column_enum(const rt_schema *schema, const rt_column *column)
{
	if (column->type.enum_type)
		return column->type.enum_type;
	return column->type.enum_name ? rt__schema_find_enum(schema, column->type.enum_name)
				      : NULL;
}

static bool same_type_shape(const rt_type *a, const rt_type *b)
{
	if (a->kind != b->kind || a->array != b->array)
		return false;
	if (a->kind == RT_TYPE_STRING || a->kind == RT_TYPE_CHAR)
		return a->length == b->length;
	if (a->kind == RT_TYPE_NUMERIC)
		return a->precision == b->precision && a->scale == b->scale;
	if (a->kind == RT_TYPE_SQL)
		return same_text(a->sql, b->sql); /* as the database spells it */
	return true;
}

static void compare_enum_values(differ *d, const rt_enum *a, const rt_enum *b)
{
	static const char *const none[1] = {NULL};
	const char *const *va = a ? a->values : none, *const *vb = b ? b->values : none;
	size_t na = a ? a->value_count : 0, nb = b ? b->value_count : 0;
	if (!same_names(va, na, vb, nb))
		report(d, "enum values %s != %s", name_list(d, va, na), name_list(d, vb, nb));
}

static void compare_column_type(differ *d, const rt_column *ca, const rt_column *cb)
{
	const rt_type *a = &ca->type, *b = &cb->type;
	if (!same_type_shape(a, b) ||
	    (a->kind == RT_TYPE_ENUM && !by_database(d) &&
	     !same_text(a->enum_name, b->enum_name))) {
		report(d, "type %s != %s", type_text(d, a), type_text(d, b));
		return;
	}
	if (a->kind == RT_TYPE_ENUM)
		compare_enum_values(d, column_enum(d->a, ca), column_enum(d->b, cb));
}

bool rt__column_generation_equal(const rt_column *a, const rt_column *b)
{
	if (!a->generated || !b->generated)
		return !a->generated && !b->generated;
	return a->generated_virtual == b->generated_virtual &&
	       rt__sql_expr_equal(a->generated, b->generated);
}

/* "none", or "'net + tax' stored", for messages. */
static const char *generation_text(differ *d, const rt_column *c)
{
	if (!c->generated)
		return "none";
	return describe(d, "%s %s", quoted(d, c->generated),
			c->generated_virtual ? "virtual" : "stored");
}

/* A generated column's expression compares as a check's does: the way
 * the database reprints it (rt__sql_expr_equal). */
static void compare_generated(differ *d, const rt_column *a, const rt_column *b)
{
	if (!rt__column_generation_equal(a, b))
		report(d, "generated %s != %s", generation_text(d, a), generation_text(d, b));
}

static void compare_column(differ *d, const rt_column *a, const rt_column *b)
{
	d->object = describe(d, "column %s", a->name);
	compare_column_type(d, a, b);
	compare_flag(d, "nullable", a->nullable, b->nullable);
	compare_flag(d, "autoincrement", a->autoincrement, b->autoincrement);
	compare_literal(d, "server default", &a->server_default, &b->server_default);
	compare_flag(d, "server onupdate now", a->server_onupdate, b->server_onupdate);
	compare_text(d, "collation", a->collation, b->collation);
	compare_generated(d, a, b);
	if (!(d->flags & RT_COMPARE_IGNORE_COMMENTS))
		compare_text(d, "comment", a->comment, b->comment);
	if (!by_database(d)) {
		compare_text(d, "field", a->field, b->field);
		compare_literal(d, "default", &a->default_value, &b->default_value);
		compare_flag(d, "onupdate now", a->onupdate_now, b->onupdate_now);
		compare_flag(d, "version", a->version, b->version);
		compare_text(d, "was", a->was, b->was);
	}
	d->object = NULL;
}

/* Do the columns both tables have come in the same order? */
static bool same_column_order(const rt_table *a, const rt_table *b)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->column_count && !rt__table_find_column(b, a->columns[i]->name))
			i++;
		while (j < b->column_count && !rt__table_find_column(a, b->columns[j]->name))
			j++;
		if (i == a->column_count || j == b->column_count)
			return i == a->column_count && j == b->column_count;
		if (strcmp(a->columns[i]->name, b->columns[j]->name) != 0)
			return false;
		i++;
		j++;
	}
}

static const char *shared_column_names(differ *d, const rt_table *t, const rt_table *other)
{
	if (!d->arena)
		return "";
	const char **names = rt__arena_alloc(d->arena, (t->column_count + 1) * sizeof(*names));
	if (!names) {
		d->out->failed = true;
		return "?";
	}
	size_t n = 0;
	for (size_t i = 0; i < t->column_count; i++)
		if (rt__table_find_column(other, t->columns[i]->name))
			names[n++] = t->columns[i]->name;
	return name_list(d, names, n);
}

static void compare_columns(differ *d, const rt_table *a, const rt_table *b)
{
	for (size_t i = 0; i < a->column_count; i++) {
		const rt_column *ca = a->columns[i];
		const rt_column *cb = rt__table_find_column(b, ca->name);
		if (cb)
			compare_column(d, ca, cb);
		else
			report(d, "missing in second: column %s", ca->name);
	}
	for (size_t i = 0; i < b->column_count; i++)
		if (!rt__table_find_column(a, b->columns[i]->name))
			report(d, "missing in first: column %s", b->columns[i]->name);
	if (!same_column_order(a, b))
		report(d, "column order %s != %s", shared_column_names(d, a, b),
		       shared_column_names(d, b, a));
}

/* --- constraints and indexes ---------------------------------------------- */

static void compare_constraint_body(differ *d, const rt_constraint *a, const rt_constraint *b)
{
	if (a->kind != RT_CONSTRAINT_CHECK &&
	    !same_names(a->columns, a->column_count, b->columns, b->column_count))
		report(d, "columns %s != %s", name_list(d, a->columns, a->column_count),
		       name_list(d, b->columns, b->column_count));
	if (a->kind == RT_CONSTRAINT_FOREIGN_KEY) {
		if (!same_text(a->ref_table, b->ref_table) ||
		    !same_names(a->ref_columns, a->ref_column_count, b->ref_columns,
				b->ref_column_count))
			report(d, "references %s%s != %s%s", text_of(a->ref_table),
			       name_list(d, a->ref_columns, a->ref_column_count),
			       text_of(b->ref_table),
			       name_list(d, b->ref_columns, b->ref_column_count));
		if (a->on_delete != b->on_delete)
			report(d, "on delete %s != %s", rt__fk_action_name(a->on_delete),
			       rt__fk_action_name(b->on_delete));
		if (a->on_update != b->on_update)
			report(d, "on update %s != %s", rt__fk_action_name(a->on_update),
			       rt__fk_action_name(b->on_update));
		if (a->deferrable != b->deferrable)
			report(d, "deferrable '%s' != '%s'", rt__deferrable_words(a->deferrable),
			       rt__deferrable_words(b->deferrable));
	}
	if (a->kind == RT_CONSTRAINT_CHECK && !rt__sql_expr_equal(a->check, b->check))
		report(d, "expression %s != %s", quoted(d, text_of(a->check)),
		       quoted(d, text_of(b->check)));
	if (!by_database(d)) {
		compare_flag(d, "named explicitly", a->name_given, b->name_given);
		if (a->kind == RT_CONSTRAINT_CHECK)
			compare_text(d, "column", a->check_column, b->check_column);
	}
}

static void compare_constraint(differ *d, const rt_constraint *a, const rt_constraint *b)
{
	if (a->kind != b->kind) {
		d->object = describe(d, "constraint %s", text_of(a->name));
		report(d, "kind %s != %s", constraint_kind_name(a->kind),
		       constraint_kind_name(b->kind));
	} else {
		d->object = describe(d, "%s %s", constraint_kind_name(a->kind), text_of(a->name));
		compare_constraint_body(d, a, b);
	}
	d->object = NULL;
}

static void compare_primary_keys(differ *d, const rt_table *a, const rt_table *b)
{
	const rt_constraint *pa = a->primary_key, *pb = b->primary_key;
	if (!pa && !pb)
		return;
	if (!pb) {
		report(d, "missing in second: primary key %s", text_of(pa->name));
		return;
	}
	if (!pa) {
		report(d, "missing in first: primary key %s", text_of(pb->name));
		return;
	}
	d->object = "primary key";
	compare_text(d, "name", pa->name, pb->name);
	compare_constraint_body(d, pa, pb);
	d->object = NULL;
}

/* Constraint names are unique per table but a table holds few of them, so
 * a linear search is fine; the primary key is compared separately. */
static const rt_constraint *find_constraint(const rt_table *table, const char *name)
{
	for (size_t i = 0; i < table->constraint_count; i++)
		if (same_text(table->constraints[i]->name, name))
			return table->constraints[i];
	return NULL;
}

static void compare_constraints(differ *d, const rt_table *a, const rt_table *b)
{
	for (size_t i = 0; i < a->constraint_count; i++) {
		const rt_constraint *ca = a->constraints[i];
		const rt_constraint *cb = find_constraint(b, ca->name);
		if (cb)
			compare_constraint(d, ca, cb);
		else
			report(d, "missing in second: %s %s", constraint_kind_name(ca->kind),
			       text_of(ca->name));
	}
	for (size_t i = 0; i < b->constraint_count; i++) {
		const rt_constraint *cb = b->constraints[i];
		if (!find_constraint(a, cb->name))
			report(d, "missing in first: %s %s", constraint_kind_name(cb->kind),
			       text_of(cb->name));
	}
}

static bool same_optional_expr(const char *a, const char *b)
{
	return a && b ? rt__sql_expr_equal(a, b) : !a && !b;
}

/* The keys, method, INCLUDE columns and WHERE, unique aside. */
static bool same_index_body(const rt_index *a, const rt_index *b)
{
	if (a->key_count != b->key_count || !same_text(a->method, b->method) ||
	    !same_names(a->include, a->include_count, b->include, b->include_count) ||
	    !same_optional_expr(a->where, b->where))
		return false;
	for (size_t i = 0; i < a->key_count; i++) {
		const rt_index_key *ka = &a->keys[i], *kb = &b->keys[i];
		if (ka->desc != kb->desc || !ka->column != !kb->column ||
		    (ka->column ? !same_text(ka->column, kb->column)
				: !same_optional_expr(ka->expr, kb->expr)))
			return false;
	}
	return true;
}

bool rt__index_same_definition(const rt_index *a, const rt_index *b)
{
	return a->unique == b->unique && same_index_body(a, b);
}

/* "using gin (a, (b + c) desc) where '...'", for messages. */
static const char *index_body(differ *d, const rt_index *index)
{
	if (!d->arena)
		return "";
	rt_buf buf = RT_BUF_INIT;
	rt__print_index_body(&buf, index);
	const char *s = rt__buf_failed(&buf) ? NULL
					     : rt__arena_strdup(d->arena, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	if (!s && d->out)
		d->out->failed = true;
	return s ? s : "?";
}

static const rt_index *find_index(const rt_table *table, const char *name)
{
	for (size_t i = 0; i < table->index_count; i++)
		if (same_text(table->indexes[i]->name, name))
			return table->indexes[i];
	return NULL;
}

static const char *index_kind_name(const rt_index *index)
{
	return index->unique ? "unique index" : "index";
}

static void compare_index(differ *d, const rt_index *a, const rt_index *b)
{
	d->object = describe(d, "index %s", text_of(a->name));
	compare_flag(d, "unique", a->unique, b->unique);
	if (!same_index_body(a, b))
		report(d, "definition %s != %s", index_body(d, a), index_body(d, b));
	if (!by_database(d))
		compare_flag(d, "named explicitly", a->name_given, b->name_given);
	d->object = NULL;
}

static void compare_indexes(differ *d, const rt_table *a, const rt_table *b)
{
	for (size_t i = 0; i < a->index_count; i++) {
		const rt_index *ia = a->indexes[i];
		const rt_index *ib = find_index(b, ia->name);
		if (ib)
			compare_index(d, ia, ib);
		else
			report(d, "missing in second: %s %s", index_kind_name(ia),
			       text_of(ia->name));
	}
	for (size_t i = 0; i < b->index_count; i++)
		if (!find_index(a, b->indexes[i]->name))
			report(d, "missing in first: %s %s", index_kind_name(b->indexes[i]),
			       text_of(b->indexes[i]->name));
}

/* --- relationships -------------------------------------------------------- */

static const char *relationship_kind_name(rt_rel_kind kind)
{
	switch (kind) {
	case RT_REL_MANY_TO_ONE: return "many-to-one";
	case RT_REL_ONE_TO_MANY: return "one-to-many";
	case RT_REL_ONE_TO_ONE: return "one-to-one";
	case RT_REL_MANY_TO_MANY: return "many-to-many";
	}
	return "?";
}

/* `on sender_id` and `on messages.sender_id` name the same column. */
static const char *on_column_name(const char *on)
{
	const char *dot = on ? strrchr(on, '.') : NULL;
	return dot ? dot + 1 : on;
}

static const rt_relationship *find_relationship(const rt_table *table, const char *name)
{
	for (size_t i = 0; i < table->relationship_count; i++)
		if (strcmp(table->relationships[i]->name, name) == 0)
			return table->relationships[i];
	return NULL;
}

static void compare_relationship(differ *d, const rt_relationship *a,
				 const rt_relationship *b)
{
	d->object = describe(d, "relationship %s", a->name);
	compare_text(d, "target", a->target, b->target);
	compare_flag(d, "list", a->is_list, b->is_list);
	compare_flag(d, "optional", a->optional, b->optional);
	if (a->kind != b->kind)
		report(d, "kind %s != %s", relationship_kind_name(a->kind),
		       relationship_kind_name(b->kind));
	compare_text(d, "back", a->back, b->back);
	compare_text(d, "through", a->through, b->through);
	compare_text(d, "on", on_column_name(a->on_column), on_column_name(b->on_column));
	if (a->fk && b->fk)
		compare_text(d, "foreign key", a->fk->name, b->fk->name);
	compare_text(d, "order by", a->order_by, b->order_by);
	compare_flag(d, "order desc", a->order_desc, b->order_desc);
	compare_flag(d, "cascade delete", a->cascade_delete, b->cascade_delete);
	compare_flag(d, "delete orphan", a->delete_orphan, b->delete_orphan);
	d->object = NULL;
}

static void compare_relationships(differ *d, const rt_table *a, const rt_table *b)
{
	for (size_t i = 0; i < a->relationship_count; i++) {
		const rt_relationship *ra = a->relationships[i];
		const rt_relationship *rb = find_relationship(b, ra->name);
		if (rb)
			compare_relationship(d, ra, rb);
		else
			report(d, "missing in second: relationship %s", ra->name);
	}
	for (size_t i = 0; i < b->relationship_count; i++)
		if (!find_relationship(a, b->relationships[i]->name))
			report(d, "missing in first: relationship %s", b->relationships[i]->name);
}

/* --- partitioning ---------------------------------------------------------- */

static bool same_keys(const rt_table *a, const rt_table *b)
{
	if (a->partition_key_count != b->partition_key_count)
		return false;
	for (size_t i = 0; i < a->partition_key_count; i++) {
		const rt_partition_key *ka = &a->partition_keys[i], *kb = &b->partition_keys[i];
		if (ka->column || kb->column ? !ka->column || !kb->column ||
						       strcmp(ka->column, kb->column) != 0
					     : !rt__sql_expr_equal(text_of(ka->expression),
								   text_of(kb->expression)))
			return false;
	}
	return true;
}

const char *rt__partitioning_difference(const rt_table *a, const rt_table *b)
{
	if (a->partition_by != b->partition_by || !same_keys(a, b))
		return "partition by";
	if (!same_text(a->partition_of, b->partition_of))
		return "partition of";
	if (!a->partition_bound != !b->partition_bound ||
	    (a->partition_bound && !rt__sql_bound_equal(a->partition_bound, b->partition_bound)))
		return "bound";
	return NULL;
}

/* "partition of t for values '...' partition by range (a)", or "none". */
static const char *partitioning_text(differ *d, const rt_table *t)
{
	if (!d->arena)
		return "";
	rt_buf buf = RT_BUF_INIT;
	rt__print_partitioning(&buf, t);
	const char *text = buf.len ? describe(d, "%s", rt__buf_cstr(&buf) + 1) : "none";
	if (buf.failed && d->out)
		d->out->failed = true;
	rt__buf_free(&buf);
	return text;
}

static void compare_partitioning(differ *d, const rt_table *a, const rt_table *b)
{
	if (rt__partitioning_difference(a, b))
		report(d, "partitioning %s != %s", partitioning_text(d, a), partitioning_text(d, b));
}

/* --- tables, enums, schemas ----------------------------------------------- */

static void compare_table(differ *d, const rt_table *a, const rt_table *b)
{
	d->table = a->name;
	if (!by_database(d)) {
		compare_text(d, "model", a->model, b->model);
		compare_text(d, "was", a->was, b->was);
	}
	if (!(d->flags & RT_COMPARE_IGNORE_COMMENTS))
		compare_text(d, "comment", a->comment, b->comment);
	for (size_t i = 0; i < RT_TABLE_OPTION_COUNT; i++) {
		unsigned bit = rt__table_option_bit(i);
		compare_flag(d, rt__table_option_word(i), a->options & bit, b->options & bit);
	}
	compare_text(d, "collation", a->collation, b->collation);
	compare_partitioning(d, a, b);
	compare_columns(d, a, b);
	compare_primary_keys(d, a, b);
	compare_constraints(d, a, b);
	compare_indexes(d, a, b);
	if (!by_database(d))
		compare_relationships(d, a, b);
	d->table = NULL;
}

/* A schema declares few enums; searching the array (not the name map)
 * also sees an enum renamed in place. */
static const rt_enum *find_enum(const rt_schema *schema, const char *name)
{
	for (size_t i = 0; i < schema->enum_count; i++)
		if (strcmp(schema->enums[i]->name, name) == 0)
			return schema->enums[i];
	return NULL;
}

static void compare_enums(differ *d)
{
	for (size_t i = 0; i < d->a->enum_count; i++) {
		const rt_enum *ea = d->a->enums[i];
		const rt_enum *eb = find_enum(d->b, ea->name);
		if (!eb) {
			report(d, "missing in second: enum %s", ea->name);
			continue;
		}
		d->object = describe(d, "enum %s", ea->name);
		compare_text(d, "sql name", ea->sql_name, eb->sql_name);
		compare_text(d, "schema", ea->schema, eb->schema);
		if (!same_names(ea->values, ea->value_count, eb->values, eb->value_count))
			report(d, "values %s != %s", name_list(d, ea->values, ea->value_count),
			       name_list(d, eb->values, eb->value_count));
		d->object = NULL;
	}
	for (size_t i = 0; i < d->b->enum_count; i++)
		if (!find_enum(d->a, d->b->enums[i]->name))
			report(d, "missing in first: enum %s", d->b->enums[i]->name);
}

/* Views, functions and triggers: the same objects, with the same SQL
 * (whitespace aside, rt__sql_text_equal); models, the same `was`. */
static void compare_sql_objects(differ *d)
{
	for (size_t i = 0; i < d->a->sql_object_count; i++) {
		const rt_sql_object *oa = d->a->sql_objects[i];
		const rt_sql_object *ob = rt__schema_find_sql_object(d->b, oa);
		if (!ob) {
			report(d, "missing in second: %s %s", rt__sql_kind_name(oa->kind), oa->name);
			continue;
		}
		if (oa->security_invoker != ob->security_invoker)
			report(d, "%s %s: security invoker %s != %s", rt__sql_kind_name(oa->kind),
			       oa->name, yes_no(oa->security_invoker), yes_no(ob->security_invoker));
		else if (!rt__sql_object_equal(oa, ob))
			report(d, "%s %s: SQL differs", rt__sql_kind_name(oa->kind), oa->name);
		if (!by_database(d)) {
			d->object = describe(d, "%s %s", rt__sql_kind_name(oa->kind), oa->name);
			compare_text(d, "was", oa->was, ob->was);
			d->object = NULL;
		}
	}
	for (size_t i = 0; i < d->b->sql_object_count; i++) {
		const rt_sql_object *ob = d->b->sql_objects[i];
		if (!rt__schema_find_sql_object(d->a, ob))
			report(d, "missing in first: %s %s", rt__sql_kind_name(ob->kind), ob->name);
	}
}

static void compare_schemas(differ *d)
{
	/* A model mapped onto a view is no table of the database: its view
	 * is compared with the SQL objects. */
	for (size_t i = 0; i < d->a->table_count; i++) {
		const rt_table *ta = d->a->tables[i];
		const rt_table *tb = rt__schema_find_table(d->b, ta->name);
		if (ta->is_view && by_database(d))
			continue;
		if (tb && ta->is_view != tb->is_view && !by_database(d))
			report(d, "%s: a model on a view in %s only", ta->name,
			       ta->is_view ? "first" : "second");
		if (tb && !(tb->is_view && by_database(d)))
			compare_table(d, ta, tb);
		else
			report(d, "missing in second: table %s", ta->name);
	}
	for (size_t i = 0; i < d->b->table_count; i++) {
		const rt_table *tb = d->b->tables[i];
		if (!(tb->is_view && by_database(d)) && !rt__schema_find_table(d->a, tb->name))
			report(d, "missing in first: table %s", tb->name);
	}
	if (!by_database(d))
		compare_enums(d);
	compare_sql_objects(d);
}

int rt_schema_equal(const rt_schema *a, const rt_schema *b, unsigned flags)
{
	if (!a || !b)
		return a == b;
	differ d = {.a = a, .b = b, .flags = flags};
	compare_schemas(&d);
	return d.count == 0;
}

int rt_schema_differences(char **out, const rt_schema *a, const rt_schema *b,
			  unsigned flags)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_schema_differences: out is NULL");
	*out = NULL;
	if (!a || !b)
		return rt__error_set(RT_EINVAL, "rt_schema_differences: a schema is NULL");
	rt_buf buf = RT_BUF_INIT;
	differ d = {.a = a, .b = b, .flags = flags, .out = &buf, .arena = rt__arena_new()};
	if (!d.arena)
		return rt__error_nomem();
	compare_schemas(&d);
	rt__arena_free(d.arena);
	*out = rt__buf_detach(&buf);
	return *out ? RT_OK : rt__error_nomem();
}
