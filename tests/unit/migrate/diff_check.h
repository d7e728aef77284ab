/*
 * diff_check.h - what the differ's unit tests (test_diff*.c) share: two
 * schemas parsed and diffed, the operations written one per line, and the
 * properties every diff must have, checked on each:
 *   - replaying the upgrade onto the base gives the models as the dialect
 *     stores them, and replaying the downgrade then gives the base back;
 *   - the downgrade is the upgrade's inverse, operation by operation;
 *   - the operations print as a script that reads back the same.
 */
#ifndef RT_TESTS_UNIT_MIGRATE_DIFF_CHECK_H
#define RT_TESTS_UNIT_MIGRATE_DIFF_CHECK_H

#include "test.h"

#include "base/buf.h"
#include "base/error.h"
#include "migrate/diff.h"
#include "migrate/diff_impl.h"
#include "migrate/ops.h"
#include "migrate/script.h"
#include "retort.h"
#include "schema/printer.h"

static inline rt_schema *parse(const char *text)
{
	rt_schema *s = NULL;
	if (rt_schema_parse_string(&s, text, strlen(text), "models.rt", NULL) != RT_OK)
		fprintf(stderr, "parse: %s\n", rt_error_last()->message);
	return s;
}

/* --- operations as text -------------------------------------------------------- */

static inline void put_names(rt_buf *b, const char *const *names, size_t count)
{
	rt__buf_putc(b, '(');
	for (size_t i = 0; i < count; i++)
		rt__buf_printf(b, "%s%s", i ? ", " : "", names[i]);
	rt__buf_putc(b, ')');
}

static inline void put_literal(rt_buf *b, const rt_literal *lit)
{
	if (lit->kind == RT_LITERAL_STRING)
		rt__buf_put_sql_string(b, lit->text);
	else if (lit->kind == RT_LITERAL_SQL)
		rt__buf_printf(b, "sql '%s'", lit->text);
	else
		rt__buf_puts(b, lit->text ? lit->text : "?");
}

static inline void put_type(rt_buf *b, const rt_type *type)
{
	rt_arena *arena = rt__arena_new();
	rt__buf_puts(b, rt__type_name(arena, type));
	rt__arena_free(arena);
}

static inline void put_constraint(rt_buf *b, const rt_constraint *c)
{
	switch (c->kind) {
	case RT_CONSTRAINT_PRIMARY_KEY:
		rt__buf_puts(b, " primary key ");
		put_names(b, c->columns, c->column_count);
		break;
	case RT_CONSTRAINT_UNIQUE:
		rt__buf_puts(b, " unique ");
		put_names(b, c->columns, c->column_count);
		break;
	case RT_CONSTRAINT_FOREIGN_KEY:
		rt__buf_puts(b, " foreign key ");
		put_names(b, c->columns, c->column_count);
		rt__buf_printf(b, " references %s", c->ref_table);
		put_names(b, c->ref_columns, c->ref_column_count);
		if (c->on_delete)
			rt__buf_printf(b, " on delete %s", rt__fk_action_name(c->on_delete));
		break;
	case RT_CONSTRAINT_CHECK:
		rt__buf_printf(b, " check '%s'", c->check);
		break;
	}
}

/* One line per operation, close to the script syntax; drops show the
 * definition they carry after a `|`. */
static inline void put_op(rt_buf *b, const rt_op *op)
{
	switch (op->kind) {
	case RT_OP_CREATE_TABLE:
	case RT_OP_DROP_TABLE: {
		const rt_table *t = op->def;
		rt__buf_printf(b, "%s table %s |", op->kind == RT_OP_CREATE_TABLE ? "create" : "drop",
			       op->table);
		for (size_t i = 0; i < t->column_count; i++)
			rt__buf_printf(b, " %s", t->columns[i]->name);
		if (t->primary_key)
			put_constraint(b, t->primary_key);
		for (size_t i = 0; i < t->constraint_count; i++)
			put_constraint(b, t->constraints[i]);
		for (size_t i = 0; i < t->index_count; i++)
			rt__buf_printf(b, " index %s", t->indexes[i]->name);
		break;
	}
	case RT_OP_RENAME_TABLE:
		rt__buf_printf(b, "rename table %s to %s", op->table, op->new_name);
		break;
	case RT_OP_CREATE_SCHEMA:
	case RT_OP_DROP_SCHEMA:
		rt__buf_printf(b, "%s schema %s",
			       op->kind == RT_OP_CREATE_SCHEMA ? "create" : "drop", op->name);
		break;
	case RT_OP_ADD_COLUMN:
	case RT_OP_DROP_COLUMN: {
		const rt_column *c = op->def->columns[0];
		rt__buf_printf(b, "%s column %s.%s | ", op->kind == RT_OP_ADD_COLUMN ? "add" : "drop",
			       op->table, op->name);
		put_type(b, &c->type);
		if (c->nullable)
			rt__buf_putc(b, '?');
		break;
	}
	case RT_OP_ALTER_COLUMN:
		rt__buf_printf(b, "alter column %s.%s", op->table, op->name);
		if (op->set_type) {
			rt__buf_puts(b, " type ");
			put_type(b, &op->type);
		}
		if (op->null_change)
			rt__buf_puts(b, op->null_change == RT_ALTER_NULL_SET ? " null" : " not null");
		if (op->default_change == RT_ALTER_DEFAULT_DROP)
			rt__buf_puts(b, " drop server default");
		if (op->default_change == RT_ALTER_DEFAULT_SET) {
			rt__buf_puts(b, " server default ");
			put_literal(b, &op->server_default);
		}
		if (op->comment_change)
			rt__buf_printf(b, op->comment_change == RT_ALTER_COMMENT_SET ? " comment '%s'"
										  : " drop comment",
				       op->comment);
		break;
	case RT_OP_ALTER_TABLE:
		rt__buf_printf(b, "alter table %s", op->table);
		rt__buf_printf(b, op->comment_change == RT_ALTER_COMMENT_SET ? " comment '%s'"
									  : " drop comment",
			       op->comment);
		break;
	case RT_OP_RENAME_COLUMN:
		rt__buf_printf(b, "rename column %s.%s to %s", op->table, op->name, op->new_name);
		break;
	case RT_OP_CREATE_INDEX:
	case RT_OP_DROP_INDEX:
		rt__buf_printf(b, "%s %sindex %s on %s ",
			       op->kind == RT_OP_CREATE_INDEX ? "create" : "drop",
			       op->index->unique ? "unique " : "", op->name, op->table);
		rt__print_index_body(b, op->index);
		break;
	case RT_OP_ADD_CONSTRAINT:
	case RT_OP_DROP_CONSTRAINT:
		rt__buf_printf(b, "%s %s on %s |",
			       op->kind == RT_OP_ADD_CONSTRAINT ? "add" : "drop constraint", op->name,
			       op->table);
		put_constraint(b, op->constraint);
		break;
	case RT_OP_CREATE_ENUM:
	case RT_OP_DROP_ENUM:
		rt__buf_printf(b, "%s enum %s ", op->kind == RT_OP_CREATE_ENUM ? "create" : "drop",
			       op->name);
		put_names(b, op->enum_def->values, op->enum_def->value_count);
		break;
	case RT_OP_ALTER_ENUM_ADD:
	case RT_OP_ALTER_ENUM_DROP:
		rt__buf_printf(b, "alter enum %s %s value '%s'", op->name,
			       op->kind == RT_OP_ALTER_ENUM_ADD ? "add" : "drop", op->value);
		break;
	case RT_OP_EXECUTE:
	case RT_OP_INSERT:
		rt__buf_puts(b, "?");
		break;
	case RT_OP_CREATE_OBJECT:
	case RT_OP_REPLACE_OBJECT:
	case RT_OP_DROP_OBJECT:
		rt__buf_printf(b, "%s %s %s | %s",
			       op->kind == RT_OP_CREATE_OBJECT    ? "create"
			       : op->kind == RT_OP_REPLACE_OBJECT ? "replace"
								  : "drop",
			       rt__sql_kind_name(op->object->kind), op->object->name,
			       op->object->sql ? op->object->sql : "");
		if (op->old_sql)
			rt__buf_printf(b, " was %s", op->old_sql);
		break;
	case RT_OP_RENAME_OBJECT:
		rt__buf_printf(b, "rename %s %s%s to %s", rt__sql_kind_name(op->object->kind),
			       op->object->name, op->object->args ? op->object->args : "",
			       op->new_name);
		break;
	}
	rt__buf_putc(b, '\n');
}

static char ops_buf[16384];

static inline const char *ops_text(const rt_op_list *list)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < list->count; i++)
		put_op(&b, list->items[i]);
	snprintf(ops_buf, sizeof(ops_buf), "%s", rt__buf_cstr(&b));
	rt__buf_free(&b);
	return ops_buf;
}

/* --- the properties ------------------------------------------------------------- */

/* The enum types, as a database with native enums holds them. */
static inline bool same_enums(const rt_schema *a, const rt_schema *b)
{
	if (a->enum_count != b->enum_count)
		return false;
	for (size_t i = 0; i < a->enum_count; i++) {
		const rt_enum *ea = a->enums[i], *eb = NULL;
		for (size_t j = 0; j < b->enum_count && !eb; j++)
			if (strcmp(b->enums[j]->sql_name, ea->sql_name) == 0)
				eb = b->enums[j];
		if (!eb || ea->value_count != eb->value_count)
			return false;
		for (size_t v = 0; v < ea->value_count; v++)
			if (strcmp(ea->values[v], eb->values[v]) != 0)
				return false;
	}
	return true;
}

static inline int by_column_name(const void *a, const void *b)
{
	return strcmp((*(rt_column *const *)a)->name, (*(rt_column *const *)b)->name);
}

/* A database appends added columns; the models may place them anywhere. */
static inline void sort_columns(const rt_schema *schema)
{
	for (size_t i = 0; i < schema->table_count; i++)
		qsort(schema->tables[i]->columns, schema->tables[i]->column_count,
		      sizeof(rt_column *), by_column_name);
}

static inline void check_same(const rt_schema *a, const rt_schema *b, const char *what,
			      bool enums)
{
	sort_columns(a);
	sort_columns(b);
	bool equal = rt_schema_equal(a, b, RT_COMPARE_DATABASE) && (!enums || same_enums(a, b));
	CHECK(equal);
	if (equal)
		return;
	char *diff = NULL;
	if (rt_schema_differences(&diff, a, b, RT_COMPARE_DATABASE) == RT_OK)
		fprintf(stderr, "%s: differences:\n%s(enums %s)\n", what, diff,
			same_enums(a, b) ? "same" : "differ");
	rt_free(diff);
}

static inline bool replay(rt_schema *state, const rt_op_list *list, const char *what)
{
	for (size_t i = 0; i < list->count; i++) {
		if (rt__op_apply(state, list->items[i]) != RT_OK) {
			fprintf(stderr, "%s: operation %zu: %s\n", what, i + 1,
				rt_error_last()->message);
			CHECK(!"replay failed");
			return false;
		}
	}
	return true;
}

/* An operation, or an add column with the alter column that makes it NOT
 * NULL afterwards (a column without a server default is added in two). */
typedef struct unit {
	const rt_op *op;
	bool then_not_null;
	size_t at;
} unit;

static inline bool makes_not_null(const rt_op *add, const rt_op *next)
{
	return add->kind == RT_OP_ADD_COLUMN && next && next->kind == RT_OP_ALTER_COLUMN &&
	       !strcmp(add->table, next->table) && !strcmp(add->name, next->name) &&
	       !next->set_type && next->null_change == RT_ALTER_NULL_DROP &&
	       next->default_change == RT_ALTER_DEFAULT_KEEP;
}

/* The units of list. */
static inline size_t units(const rt_op_list *list, unit *out)
{
	size_t n = 0;
	for (size_t i = 0; i < list->count && n < 256; i++) {
		const rt_op *op = list->items[i];
		const rt_op *next = i + 1 < list->count ? list->items[i + 1] : NULL;
		out[n] = (unit){op, makes_not_null(op, next), i};
		i += out[n++].then_not_null;
	}
	return n;
}

/* Is b the inverse of a? */
static inline bool inverse(const unit *ua, const unit *ub)
{
	static const rt_op_kind pairs[][2] = {
		{RT_OP_CREATE_TABLE, RT_OP_DROP_TABLE}, {RT_OP_ADD_COLUMN, RT_OP_DROP_COLUMN},
		{RT_OP_CREATE_INDEX, RT_OP_DROP_INDEX}, {RT_OP_ADD_CONSTRAINT, RT_OP_DROP_CONSTRAINT},
		{RT_OP_CREATE_ENUM, RT_OP_DROP_ENUM},
	};
	const rt_op *a = ua->op, *b = ub->op;
	if (ua->then_not_null || ub->then_not_null) {
		const rt_op *add = ua->then_not_null ? a : b, *drop = ua->then_not_null ? b : a;
		return drop->kind == RT_OP_DROP_COLUMN && !strcmp(add->table, drop->table) &&
		       !strcmp(add->name, drop->name) && add->def->columns[0]->nullable &&
		       !drop->def->columns[0]->nullable;
	}
	if (a->kind == RT_OP_RENAME_TABLE)
		return b->kind == a->kind && !strcmp(a->table, b->new_name) &&
		       !strcmp(a->new_name, b->table);
	if (a->kind == RT_OP_RENAME_OBJECT)
		return b->kind == a->kind && a->object->kind == b->object->kind &&
		       !strcmp(a->object->name, b->new_name) && !strcmp(a->new_name, b->object->name);
	if (a->kind == RT_OP_REPLACE_OBJECT)
		return b->kind == a->kind && a->object->kind == b->object->kind &&
		       !strcmp(a->object->name, b->object->name) && a->old_sql && b->old_sql &&
		       !strcmp(a->old_sql, b->object->sql) && !strcmp(b->old_sql, a->object->sql);
	if (a->kind == RT_OP_CREATE_OBJECT || a->kind == RT_OP_DROP_OBJECT)
		return b->kind == (a->kind == RT_OP_CREATE_OBJECT ? RT_OP_DROP_OBJECT
								  : RT_OP_CREATE_OBJECT) &&
		       a->object->kind == b->object->kind && !strcmp(a->object->name, b->object->name);
	if (a->kind == RT_OP_RENAME_COLUMN)
		return b->kind == a->kind && !strcmp(a->name, b->new_name) &&
		       !strcmp(a->new_name, b->name) && !strcmp(a->table, b->table);
	if (a->kind == RT_OP_ALTER_ENUM_ADD || a->kind == RT_OP_ALTER_ENUM_DROP)
		return b->kind == (a->kind == RT_OP_ALTER_ENUM_ADD ? RT_OP_ALTER_ENUM_DROP
								   : RT_OP_ALTER_ENUM_ADD) &&
		       !strcmp(a->name, b->name) && !strcmp(a->value, b->value);
	if (a->kind == RT_OP_ALTER_COLUMN)
		return b->kind == a->kind && !strcmp(a->table, b->table) &&
		       !strcmp(a->name, b->name) && a->set_type == b->set_type &&
		       (a->null_change == RT_ALTER_NULL_KEEP
				? b->null_change == RT_ALTER_NULL_KEEP
				: b->null_change != RT_ALTER_NULL_KEEP &&
					  b->null_change != a->null_change) &&
		       (a->default_change == RT_ALTER_DEFAULT_KEEP) ==
			       (b->default_change == RT_ALTER_DEFAULT_KEEP) &&
		       (a->comment_change == RT_ALTER_COMMENT_KEEP) ==
			       (b->comment_change == RT_ALTER_COMMENT_KEEP);
	if (a->kind == RT_OP_ALTER_TABLE)
		return b->kind == a->kind && !strcmp(a->table, b->table) &&
		       a->comment_change != RT_ALTER_COMMENT_KEEP &&
		       b->comment_change != RT_ALTER_COMMENT_KEEP;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		for (int k = 0; k < 2; k++) {
			if (a->kind != pairs[i][k])
				continue;
			return b->kind == pairs[i][!k] && a->def == b->def && a->index == b->index &&
			       a->constraint == b->constraint && a->enum_def == b->enum_def &&
			       (!a->table || !strcmp(a->table, b->table)) &&
			       (!a->name || !strcmp(a->name, b->name));
		}
	}
	return false;
}

/* The operations can be written as a script, and read back as the same. */
static inline void check_script(rt_migration *m)
{
	m->revision = "aaaaaaaaaaaa";
	m->message = "autogenerated";
	char *text = NULL, *again = NULL;
	rt_migration *back = NULL;
	CHECK_OK(rt__script_print(&text, m, true));
	if (text)
		CHECK_OK(rt__script_parse(&back, "script.rt", text, strlen(text), 0));
	if (back) {
		CHECK_INT(back->upgrade.count, m->upgrade.count);
		CHECK_INT(back->downgrade.count, m->downgrade.count);
		CHECK_OK(rt__script_print(&again, back, true));
		CHECK_STR(again, text);
	}
	rt__migration_free(back);
	free(again);
	free(text);
}

typedef struct result {
	rt_migration m;
	rt_diff_warnings warnings;
	int rc;
} result;

static result r;
/* Set by a test whose differences are (by design) not all migrated. */
static bool inexact;
/* The operations are replayed on the scripts' schema (the options'
 * scripts) rather than on the database's, as the runner does: where the
 * two spell an object differently (MariaDB's unique keys). */
static bool replay_scripts;

static inline void result_free(void)
{
	rt_schema_free(r.m.scratch);
	memset(&r, 0, sizeof(r));
}

/* The same diff on a copy of the models made ahead (what a caller reading
 * the database on another thread does) gives the same operations and
 * warnings. Not where the options ask about renames: that would ask
 * twice. */
static inline void check_prepared_models(const rt_schema *from, const rt_schema *to,
					 const rt_dialect *dialect, const rt_diff_options *opts)
{
	rt_diff_options again = *opts;
	rt_diff_warnings warnings = {0}, unmanaged = {0};
	rt_migration m = {0};
	again.warnings = &warnings;
	again.base = NULL;
	if (opts->unmanaged)
		again.unmanaged = &unmanaged;
	CHECK_OK(rt__diff_prepare_models(&again.to_prepared, to, dialect, &again));
	CHECK_OK(rt__diff_schemas(&m, from, to, dialect, &again));
	char *up = strdup(ops_text(&r.m.upgrade)), *down = strdup(ops_text(&r.m.downgrade));
	CHECK_STR(ops_text(&m.upgrade), up ? up : "");
	CHECK_STR(ops_text(&m.downgrade), down ? down : "");
	CHECK_INT((int)warnings.count, (int)r.warnings.count);
	free(up);
	free(down);
	rt_schema_free(again.to_prepared);
	rt_schema_free(m.scratch);
}

/* Diffs from_text against to_text for dialect (NULL: none) and checks the
 * properties; the operations and warnings are left in r. */
static inline void diff_with(const char *from_text, const char *to_text,
			     const rt_dialect *dialect, rt_diff_options *opts)
{
	result_free();
	rt_schema *from = parse(from_text), *to = parse(to_text), *base = NULL;
	CHECK(from && to);
	if (!from || !to) {
		rt_schema_free(from);
		rt_schema_free(to);
		r.rc = RT_EPARSE;
		return;
	}
	rt_diff_options defaults = {0};
	if (!opts)
		opts = &defaults;
	opts->warnings = &r.warnings;
	opts->base = &base;
	r.rc = rt__diff_schemas(&r.m, from, to, dialect, opts);
	if (r.rc == RT_OK && !opts->ask_rename)
		check_prepared_models(from, to, dialect, opts);
	if (r.rc == RT_OK) {
		/* The downgrade mirrors the upgrade, enum values added included. */
		unit up[256], down[256];
		size_t nu = units(&r.m.upgrade, up), nd = units(&r.m.downgrade, down);
		CHECK_INT(nd, nu);
		for (size_t i = 0; i < nu && i < nd; i++) {
			bool ok = inverse(&up[i], &down[nd - 1 - i]);
			CHECK(ok);
			if (!ok)
				fprintf(stderr, "upgrade op %zu has no inverse at downgrade op %zu\n",
					up[i].at + 1, down[nd - 1 - i].at + 1);
		}
		check_script(&r.m);
		/* Replays: base -> to -> base; with replay_scripts, on what the
		 * scripts made, as the runner replays them. */
		rt_schema *want = parse(to_text), *start = NULL;
		if (want && dialect && !replay_scripts)
			dialect->canonicalize(want);
		if (replay_scripts && opts->scripts) {
			rt_schema_free(base);
			base = NULL;
			CHECK_OK(rt__diff_copy_schema(&base, opts->scripts, NULL, NULL));
		}
		CHECK_OK(rt__diff_copy_schema(&start, base, NULL, NULL));
		bool enums = !dialect || dialect->caps.enum_kind == RT_ENUM_TYPE;
		/* Operations carry the models' spelling; the database stores
		 * the canonical one. */
		if (want && start && replay(base, &r.m.upgrade, "upgrade")) {
			if (dialect && !replay_scripts)
				dialect->canonicalize(base);
			if (!inexact)
				check_same(base, want, "after upgrade", enums);
			if (replay(base, &r.m.downgrade, "downgrade") && !inexact)
				check_same(base, start, "after downgrade", enums);
		}
		rt_schema_free(start);
		rt_schema_free(want);
	}
	opts->base = NULL;
	opts->warnings = NULL;
	rt_schema_free(base);
	rt_schema_free(from);
	rt_schema_free(to);
}

static inline void diff(const char *from_text, const char *to_text)
{
	diff_with(from_text, to_text, NULL, NULL);
}

static inline const char *upgrade(void)
{
	return ops_text(&r.m.upgrade);
}

static inline const char *downgrade(void)
{
	return ops_text(&r.m.downgrade);
}

static inline bool warned(const char *text)
{
	for (size_t i = 0; i < r.warnings.count; i++)
		if (strstr(r.warnings.items[i], text))
			return true;
	return false;
}

static inline void check_warned(const char *text)
{
	bool found = warned(text);
	CHECK(found);
	if (!found) {
		fprintf(stderr, "no warning contains \"%s\"; warnings:\n", text);
		for (size_t i = 0; i < r.warnings.count; i++)
			fprintf(stderr, "  %s\n", r.warnings.items[i]);
	}
}

#endif
