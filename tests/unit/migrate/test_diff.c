/* Unit tests for src/migrate/diff*.c (autogenerate): pairs of parsed
 * schemas, one per kind of difference. Each test checks the operations
 * (kinds and fields, written out as one line each), and every diff is
 * checked for the two properties that make it a migration:
 *   - replaying the upgrade onto the base gives the models as the dialect
 *     stores them, and replaying the downgrade then gives the base back;
 *   - the downgrade is the upgrade's inverse, operation by operation. */
#include "test.h"

#include "base/buf.h"
#include "base/error.h"
#include "migrate/diff.h"
#include "migrate/diff_impl.h"
#include "migrate/ops.h"
#include "migrate/script.h"
#include "retort.h"

static rt_schema *parse(const char *text)
{
	rt_schema *s = NULL;
	if (rt_schema_parse_string(&s, text, strlen(text), "models.rt", NULL) != RT_OK)
		fprintf(stderr, "parse: %s\n", rt_error_last()->message);
	return s;
}

/* --- operations as text -------------------------------------------------------- */

static void put_names(rt_buf *b, const char *const *names, size_t count)
{
	rt__buf_putc(b, '(');
	for (size_t i = 0; i < count; i++)
		rt__buf_printf(b, "%s%s", i ? ", " : "", names[i]);
	rt__buf_putc(b, ')');
}

static void put_literal(rt_buf *b, const rt_literal *lit)
{
	if (lit->kind == RT_LITERAL_STRING)
		rt__buf_put_sql_string(b, lit->text);
	else if (lit->kind == RT_LITERAL_SQL)
		rt__buf_printf(b, "sql '%s'", lit->text);
	else
		rt__buf_puts(b, lit->text ? lit->text : "?");
}

static void put_type(rt_buf *b, const rt_type *type)
{
	rt_arena *arena = rt__arena_new();
	rt__buf_puts(b, rt__type_name(arena, type));
	rt__arena_free(arena);
}

static void put_constraint(rt_buf *b, const rt_constraint *c)
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
static void put_op(rt_buf *b, const rt_op *op)
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
		break;
	case RT_OP_RENAME_COLUMN:
		rt__buf_printf(b, "rename column %s.%s to %s", op->table, op->name, op->new_name);
		break;
	case RT_OP_CREATE_INDEX:
	case RT_OP_DROP_INDEX:
		rt__buf_printf(b, "%s %sindex %s on %s ",
			       op->kind == RT_OP_CREATE_INDEX ? "create" : "drop",
			       op->index->unique ? "unique " : "", op->name, op->table);
		put_names(b, op->index->columns, op->index->column_count);
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
		rt__buf_printf(b, "alter enum %s add value '%s'", op->name, op->value);
		break;
	case RT_OP_EXECUTE:
	case RT_OP_INSERT:
		rt__buf_puts(b, "?");
		break;
	}
	rt__buf_putc(b, '\n');
}

static char ops_buf[16384];

static const char *ops_text(const rt_op_list *list)
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
static bool same_enums(const rt_schema *a, const rt_schema *b)
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

static int by_column_name(const void *a, const void *b)
{
	return strcmp((*(rt_column *const *)a)->name, (*(rt_column *const *)b)->name);
}

/* A database appends added columns; the models may place them anywhere. */
static void sort_columns(const rt_schema *schema)
{
	for (size_t i = 0; i < schema->table_count; i++)
		qsort(schema->tables[i]->columns, schema->tables[i]->column_count,
		      sizeof(rt_column *), by_column_name);
}

static void check_same(const rt_schema *a, const rt_schema *b, const char *what, bool enums)
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

static bool replay(rt_schema *state, const rt_op_list *list, const char *what)
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

static bool makes_not_null(const rt_op *add, const rt_op *next)
{
	return add->kind == RT_OP_ADD_COLUMN && next && next->kind == RT_OP_ALTER_COLUMN &&
	       !strcmp(add->table, next->table) && !strcmp(add->name, next->name) &&
	       !next->set_type && next->null_change == RT_ALTER_NULL_DROP &&
	       next->default_change == RT_ALTER_DEFAULT_KEEP;
}

/* The units of list; enum values added (no inverse) left out when asked. */
static size_t units(const rt_op_list *list, unit *out, bool skip_enum_adds)
{
	size_t n = 0;
	for (size_t i = 0; i < list->count && n < 256; i++) {
		const rt_op *op = list->items[i];
		if (skip_enum_adds && op->kind == RT_OP_ALTER_ENUM_ADD)
			continue;
		const rt_op *next = i + 1 < list->count ? list->items[i + 1] : NULL;
		out[n] = (unit){op, makes_not_null(op, next), i};
		i += out[n++].then_not_null;
	}
	return n;
}

/* Is b the inverse of a? */
static bool inverse(const unit *ua, const unit *ub)
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
	if (a->kind == RT_OP_RENAME_COLUMN)
		return b->kind == a->kind && !strcmp(a->name, b->new_name) &&
		       !strcmp(a->new_name, b->name) && !strcmp(a->table, b->table);
	if (a->kind == RT_OP_ALTER_COLUMN)
		return b->kind == a->kind && !strcmp(a->table, b->table) &&
		       !strcmp(a->name, b->name) && a->set_type == b->set_type &&
		       (a->null_change == RT_ALTER_NULL_KEEP
				? b->null_change == RT_ALTER_NULL_KEEP
				: b->null_change != RT_ALTER_NULL_KEEP &&
					  b->null_change != a->null_change) &&
		       (a->default_change == RT_ALTER_DEFAULT_KEEP) ==
			       (b->default_change == RT_ALTER_DEFAULT_KEEP);
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
static void check_script(rt_migration *m)
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

static void result_free(void)
{
	rt_schema_free(r.m.scratch);
	memset(&r, 0, sizeof(r));
}

/* Diffs from_text against to_text for dialect (NULL: none) and checks the
 * properties; the operations and warnings are left in r. */
static void diff_with(const char *from_text, const char *to_text, const rt_dialect *dialect,
		      rt_diff_options *opts)
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
	if (r.rc == RT_OK) {
		/* The downgrade mirrors the upgrade; enum values added have no inverse. */
		unit up[256], down[256];
		size_t nu = units(&r.m.upgrade, up, true), nd = units(&r.m.downgrade, down, false);
		CHECK_INT(nd, nu);
		for (size_t i = 0; i < nu && i < nd; i++) {
			bool ok = inverse(&up[i], &down[nd - 1 - i]);
			CHECK(ok);
			if (!ok)
				fprintf(stderr, "upgrade op %zu has no inverse at downgrade op %zu\n",
					up[i].at + 1, down[nd - 1 - i].at + 1);
		}
		check_script(&r.m);
		/* Replays: base -> to -> base. Values added to enums stay. */
		rt_schema *want = parse(to_text), *start = NULL;
		if (want && dialect)
			dialect->canonicalize(want);
		CHECK_OK(rt__diff_copy_schema(&start, base, NULL, NULL));
		for (size_t i = 0; start && i < r.m.upgrade.count; i++)
			if (r.m.upgrade.items[i]->kind == RT_OP_ALTER_ENUM_ADD)
				CHECK_OK(rt__op_apply(start, r.m.upgrade.items[i]));
		bool enums = !dialect || dialect->caps.native_enums;
		/* Operations carry the models' spelling; the database stores
		 * the canonical one. */
		if (want && start && replay(base, &r.m.upgrade, "upgrade")) {
			if (dialect)
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

static void diff(const char *from_text, const char *to_text)
{
	diff_with(from_text, to_text, NULL, NULL);
}

static const char *upgrade(void)
{
	return ops_text(&r.m.upgrade);
}

static const char *downgrade(void)
{
	return ops_text(&r.m.downgrade);
}

static bool warned(const char *text)
{
	for (size_t i = 0; i < r.warnings.count; i++)
		if (strstr(r.warnings.items[i], text))
			return true;
	return false;
}

static void check_warned(const char *text)
{
	bool found = warned(text);
	CHECK(found);
	if (!found) {
		fprintf(stderr, "no warning contains \"%s\"; warnings:\n", text);
		for (size_t i = 0; i < r.warnings.count; i++)
			fprintf(stderr, "  %s\n", r.warnings.items[i]);
	}
}

/* --- schemas ------------------------------------------------------------------------- */

#define USERS                                                                   \
	"table users {\n"                                                       \
	"  id    bigint      primary key\n"                                     \
	"  name  string(50)\n"                                                  \
	"}\n"

#define POSTS                                                                   \
	"table posts {\n"                                                       \
	"  id       bigint  primary key\n"                                      \
	"  user_id  bigint  references users(id)\n"                             \
	"}\n"

/* --- tests ------------------------------------------------------------------------- */

static void test_no_changes(void)
{
	diff(USERS POSTS, POSTS USERS);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	CHECK_STR(downgrade(), "");
	CHECK_INT(r.warnings.count, 0);
}

static void test_create_tables_in_key_order(void)
{
	diff("table other { x int }\n", POSTS USERS "table other { x int }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "create table users | id name primary key (id)\n"
		  "create table posts | id user_id primary key (id) foreign key (user_id) "
		  "references users(id)\n");
	CHECK_STR(downgrade(),
		  "drop table posts | id user_id primary key (id) foreign key (user_id) "
		  "references users(id)\n"
		  "drop table users | id name primary key (id)\n");
}

static void test_drop_tables_with_definitions(void)
{
	diff(USERS POSTS "table tags { name text  index }\n", "table tags { name text  index }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop table posts | id user_id primary key (id) foreign key (user_id) "
		  "references users(id)\n"
		  "drop table users | id name primary key (id)\n");
	const rt_table *users = r.m.upgrade.items[1]->def;
	CHECK_INT(users->columns[1]->type.kind, RT_TYPE_STRING);
	CHECK_INT(users->columns[1]->type.length, 50);
	CHECK_STR(users->primary_key->name, "pk_users");
}

static void test_foreign_key_cycles(void)
{
	const char *cycle = "table a { id int primary key\n b_id int? references b(id) }\n"
			    "table b { id int primary key\n a_id int? references a(id) }\n";
	diff("table z { x int }\n", cycle);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop table z | x\n"
		  "create table a | id b_id primary key (id)\n"
		  "create table b | id a_id primary key (id) foreign key (a_id) references a(id)\n"
		  "add fk_a_b_id_b on a | foreign key (b_id) references b(id)\n");
	diff(cycle, "table z { x int }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop constraint fk_b_a_id_a on b | foreign key (a_id) references a(id)\n"
		  "drop table a | id b_id primary key (id) foreign key (b_id) references b(id)\n"
		  "drop table b | id a_id primary key (id)\n"
		  "create table z | x\n");
}

#define TREE "table nodes { id int primary key\n parent_id int? references nodes(id) }\n"

static void test_self_reference(void)
{
	diff(USERS, USERS TREE);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "create table nodes | id parent_id primary key (id) foreign key "
			     "(parent_id) references nodes(id)\n");
	diff(USERS "table nodes { id int primary key }\n", USERS TREE);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "add column nodes.parent_id | int?\n"
			     "add fk_nodes_parent_id_nodes on nodes | foreign key (parent_id) "
			     "references nodes(id)\n");
	diff(USERS TREE, USERS);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "drop table nodes | id parent_id primary key (id) foreign key "
			     "(parent_id) references nodes(id)\n");
}

static void test_add_and_drop_columns(void)
{
	diff(USERS, "table users {\n id bigint primary key\n email string?\n"
		    " age int server default 0\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "add column users.email | string?\n"
		  "add column users.age | int\n"
		  "drop column users.name | string(50)\n");
	/* Without a server default, a NOT NULL column is added nullable and
	 * then made NOT NULL; its drop carries the full definition. */
	CHECK_STR(downgrade(),
		  "add column users.name | string(50)?\n"
		  "alter column users.name not null\n"
		  "drop column users.age | int\n"
		  "drop column users.email | string?\n");
	const rt_column *age = r.m.upgrade.items[1]->def->columns[0];
	CHECK_INT(age->server_default.kind, RT_LITERAL_NUMBER);
	CHECK_STR(age->server_default.text, "0");
}

static void test_alter_columns(void)
{
	diff("table t {\n id int primary key\n a string(50)\n b text?\n c int server default 1\n"
	     " d text server default 'x'\n}\n",
	     "table t {\n id int primary key\n a string(100)\n b text\n c int server default 2\n"
	     " d text\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "alter column t.a type string(100)\n"
		  "alter column t.b not null\n"
		  "alter column t.c server default 2\n"
		  "alter column t.d drop server default\n");
	CHECK_STR(downgrade(),
		  "alter column t.d server default 'x'\n"
		  "alter column t.c server default 1\n"
		  "alter column t.b null\n"
		  "alter column t.a type string(50)\n");
}

static void test_alter_several_things_at_once(void)
{
	diff("table t {\n id int primary key\n a int?\n}\n",
	     "table t {\n id int primary key\n a bigint server default 5\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter column t.a type bigint not null server default 5\n");
	CHECK_STR(downgrade(), "alter column t.a type int null drop server default\n");
}

static void test_equal_expressions_are_not_changes(void)
{
	/* What PostgreSQL hands back for what the models say. */
	diff("table t {\n id int primary key\n price numeric(10,2) check '(price >= (0)::numeric)'\n"
	     " d text server default sql '(''a''::text)'\n}\n",
	     "table t {\n id int primary key\n price numeric(10,2) check 'price >= 0'\n"
	     " d text server default sql '''a'''\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
}

static void test_rename_column_by_was(void)
{
	diff(USERS POSTS, "table users {\n id bigint primary key\n full_name string(50) was name\n"
			  "}\n" POSTS);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "rename column users.name to full_name\n");
	CHECK_STR(downgrade(), "rename column users.full_name to name\n");
}

static void test_rename_column_follows_keys_and_checks(void)
{
	/* The referenced column and the check follow the rename: no drop/add. */
	diff("table a {\n code int primary key\n n int check 'n > 0 AND \"n\" < 10'\n}\n"
	     "table b {\n id int primary key\n a_code int references a(code)\n}\n",
	     "table a {\n key int primary key was code\n"
	     " m int was n check 'm > 0 AND m < 10'\n}\n"
	     "table b {\n id int primary key\n a_code int references a(key)\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "rename column a.code to key\n"
		  "rename column a.n to m\n"
		  "drop constraint ck_a_n on a | check 'm > 0 AND m < 10'\n"
		  "add ck_a_m on a | check 'm > 0 AND m < 10'\n");
}

static void test_rename_table_by_was(void)
{
	diff(USERS POSTS, "table people was users {\n id bigint primary key\n name string(50)\n}\n"
			  "table posts {\n id bigint primary key\n user_id bigint references "
			  "people(id)\n}\n");
	CHECK_OK(r.rc);
	/* The key names keep their old spelling in the database, as the
	 * models' default names change with the table: dropped and added. */
	CHECK_STR(upgrade(),
		  "rename table users to people\n"
		  "drop constraint fk_posts_user_id_users on posts | foreign key (user_id) "
		  "references people(id)\n"
		  "drop constraint pk_users on people | primary key (id)\n"
		  "add pk_people on people | primary key (id)\n"
		  "add fk_posts_user_id_people on posts | foreign key (user_id) references "
		  "people(id)\n");
}

static void test_rename_model_by_was(void)
{
	diff("model User {\n id bigint primary key\n}\n",
	     "model Person was User {\n id bigint primary key\n table 'users'\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	diff("model User {\n id bigint primary key\n}\n",
	     "model Member was User {\n id bigint primary key\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "rename table users to members\n"
		  "drop constraint pk_users on members | primary key (id)\n"
		  "add pk_members on members | primary key (id)\n");
}

static void test_stated_renames(void)
{
	rt_diff_rename renames[] = {{NULL, "users", "people"}, {"users", "name", "full_name"}};
	rt_diff_options opts = {.renames = renames, .rename_count = 2};
	diff_with(USERS, "table people {\n id bigint primary key\n full_name string(50)\n}\n", NULL,
		  &opts);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "rename table users to people\n"
		  "rename column people.name to full_name\n"
		  "drop constraint pk_users on people | primary key (id)\n"
		  "add pk_people on people | primary key (id)\n");

	rt_diff_rename bad[] = {{"users", "nope", "full_name"}};
	opts = (rt_diff_options){.renames = bad, .rename_count = 1};
	diff_with(USERS, "table users {\n id bigint primary key\n full_name string(50)\n}\n",
		  NULL, &opts);
	CHECK_INT(r.rc, RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "has no column nope") != NULL);

	rt_diff_rename no_table[] = {{NULL, "ghosts", "people"}};
	opts = (rt_diff_options){.renames = no_table, .rename_count = 1};
	diff_with(USERS, "table people {\n id bigint primary key\n}\n", NULL, &opts);
	CHECK_INT(r.rc, RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "the database has no table ghosts") != NULL);
}

static void test_renames_in_a_chain_and_a_cycle(void)
{
	/* b -> c must go before a -> b. */
	diff("table t {\n id int primary key\n a int\n b int\n}\n",
	     "table t {\n id int primary key\n b int was a\n c int was b\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "rename column t.b to c\nrename column t.a to b\n");
	diff("table t {\n id int primary key\n a int\n b int\n}\n",
	     "table t {\n id int primary key\n b int was a\n a int was b\n}\n");
	CHECK_INT(r.rc, RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "two revisions") != NULL);
}

static int answer_yes(void *ctx, const char *table, const char *from, const char *to)
{
	char *log = ctx;
	size_t len = strlen(log);
	snprintf(log + len, 256 - len, "%s:%s->%s;", table ? table : "-", from, to);
	return 1;
}

static int answer_no(void *ctx, const char *table, const char *from, const char *to)
{
	(void)table, (void)from, (void)to;
	++*(int *)ctx;
	return 0;
}

static int answer_error(void *ctx, const char *table, const char *from, const char *to)
{
	(void)ctx, (void)table, (void)from, (void)to;
	return rt__error_set(RT_EIO, "stdin closed");
}

static void test_likely_renames(void)
{
	const char *renamed = "table users {\n id bigint primary key\n nick string(50)\n}\n";
	/* Without a callback: drop + add and a warning naming both. */
	diff(USERS, renamed);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "add column users.nick | string(50)?\n"
			     "alter column users.nick not null\n"
			     "drop column users.name | string(50)\n");
	check_warned("column users.nick has the type of name");

	char log[256] = "";
	rt_diff_options opts = {.ask_rename = answer_yes, .ask_ctx = log};
	diff_with(USERS, renamed, NULL, &opts);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "rename column users.name to nick\n");
	CHECK_STR(log, "users:name->nick;");
	CHECK_INT(r.warnings.count, 0);

	int asked = 0;
	opts = (rt_diff_options){.ask_rename = answer_no, .ask_ctx = &asked};
	diff_with(USERS, renamed, NULL, &opts);
	CHECK_OK(r.rc);
	CHECK_INT(asked, 1);
	CHECK_STR(upgrade(), "add column users.nick | string(50)?\n"
			     "alter column users.nick not null\n"
			     "drop column users.name | string(50)\n");
	CHECK_INT(r.warnings.count, 0);

	opts = (rt_diff_options){.ask_rename = answer_error};
	diff_with(USERS, renamed, NULL, &opts);
	CHECK_INT(r.rc, RT_EIO);
	CHECK_INT(r.m.upgrade.count, 0);

	/* A different type is no candidate. */
	diff(USERS, "table users {\n id bigint primary key\n nick string(60)\n}\n");
	CHECK_INT(r.warnings.count, 0);

	/* Tables with the same columns. */
	log[0] = '\0';
	opts = (rt_diff_options){.ask_rename = answer_yes, .ask_ctx = log};
	diff_with(USERS, "table members {\n id bigint primary key\n name string(50)\n}\n", NULL,
		  &opts);
	CHECK_OK(r.rc);
	CHECK_STR(log, "-:users->members;");
	CHECK(strncmp(upgrade(), "rename table users to members\n", 30) == 0);
	diff(USERS, "table members {\n id bigint primary key\n name string(50)\n}\n");
	check_warned("table members has the columns of users");
}

static void test_primary_key_change(void)
{
	diff("table t {\n a text\n b text\n primary key (a)\n}\n"
	     "table u {\n id int primary key\n t_a text references t(a)\n}\n",
	     "table t {\n a text\n b text\n primary key (a, b)\n}\n"
	     "table u {\n id int primary key\n t_a text\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop constraint fk_u_t_a_t on u | foreign key (t_a) references t(a)\n"
		  "drop constraint pk_t on t | primary key (a)\n"
		  "add pk_t on t | primary key (a, b)\n");
}

static void test_foreign_key_follows_its_key(void)
{
	/* The unique key users.code is replaced: the unchanged foreign key to
	 * it is dropped before and added after. */
	diff("table users {\n id int primary key\n code int unique\n}\n"
	     "table posts {\n id int primary key\n code int references users(code)\n}\n",
	     "table users {\n id int primary key\n code int\n unique users_code_key (code)\n}\n"
	     "table posts {\n id int primary key\n code int references users(code)\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop constraint fk_posts_code_users on posts | foreign key (code) references "
		  "users(code)\n"
		  "drop constraint uq_users_code on users | unique (code)\n"
		  "add users_code_key on users | unique (code)\n"
		  "add fk_posts_code_users on posts | foreign key (code) references users(code)\n");
}

static void test_constraints_and_indexes(void)
{
	diff("table t {\n id int primary key\n a int unique\n b int index\n c int check 'c > 0'\n"
	     " d int\n}\n",
	     "table t {\n id int primary key\n a int\n b int\n c int check 'c > 1'\n"
	     " d int\n e int? references t(id) on delete cascade\n"
	     " index (a, b)\n unique index (d)\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "drop constraint uq_t_a on t | unique (a)\n"
		  "drop constraint ck_t_c on t | check 'c > 0'\n"
		  "drop index ix_t_b on t (b)\n"
		  "add column t.e | int?\n"
		  "create unique index ix_t_d on t (d)\n"
		  "add ck_t_c on t | check 'c > 1'\n"
		  "create index ix_t_a_b on t (a, b)\n"
		  "add fk_t_e_t on t | foreign key (e) references t(id) on delete cascade\n");
}

static void test_index_changes_are_drop_and_create(void)
{
	diff("table t {\n id int primary key\n a int\n b int\n index ix (a)\n}\n",
	     "table t {\n id int primary key\n a int\n b int\n unique index ix (a, b)\n}\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "drop index ix on t (a)\ncreate unique index ix on t (a, b)\n");
}

static void test_enums(void)
{
	const char *before = "enum Status { open, paid }\n"
			     "enum Old { x }\n"
			     "table carts {\n id int primary key\n status Status\n old Old?\n"
			     " note text\n}\n";
	const char *after = "enum Status { open, paid, shipped }\n"
			    "enum Mood { happy, sad }\n"
			    "table carts {\n id int primary key\n status Status\n"
			    " mood Mood server default happy\n note Mood\n}\n";
	diff(before, after);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "create enum Mood (happy, sad)\n"
		  "alter enum Status add value 'shipped'\n"
		  "add column carts.mood | Mood\n"
		  "drop column carts.old | Old?\n"
		  "alter column carts.note type Mood\n"
		  "drop enum Old (x)\n");
	CHECK_STR(downgrade(),
		  "create enum Old (x)\n"
		  "alter column carts.note type text\n"
		  "add column carts.old | Old?\n"
		  "drop column carts.mood | Mood\n"
		  "drop enum Mood (happy, sad)\n");
	check_warned("the downgrade keeps the added values 'shipped'");
}

static void test_enum_values_removed_or_reordered(void)
{
	inexact = true;
	diff("enum S { a, b, c }\ntable t { id int primary key\n s S }\n",
	     "enum S { a, c }\ntable t { id int primary key\n s S }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	check_warned("enum S: the database has values 'b' the models do not");
	diff("enum S { a, b }\ntable t { id int primary key\n s S }\n",
	     "enum S { b, a }\ntable t { id int primary key\n s S }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	check_warned("enum S: the database keeps its own order");
	inexact = false;
}

static void test_enum_names_by_sql_name(void)
{
	/* Reflection names a type after its SQL name: HttpMethod for
	 * http_method, where the models say HTTPMethod. */
	diff("enum HttpMethod { get, post }\ntable t { id int primary key\n m HttpMethod }\n",
	     "enum HTTPMethod { get, post }\ntable t { id int primary key\n m HTTPMethod }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
}

static void test_sqlite_names_enums_by_column(void)
{
	/* What SQLite reflection gives: an enum per column, named after it. */
	const char *reflected = "enum CartStatus { open, paid }\nenum ItemKind { a, b }\n"
				"table carts { id int primary key\n status CartStatus }\n"
				"table items { id int primary key\n kind ItemKind }\n";
	const char *models = "enum Status { open, paid }\nenum Kind { a, b, c }\n"
			     "enum Unused { z }\n"
			     "table carts { id int primary key\n status Status }\n"
			     "table items { id int primary key\n kind Kind }\n";
	diff_with(reflected, models, &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter enum Kind add value 'c'\n");
	/* A column whose values the model's enum lacks moves to that type. */
	diff_with("enum ItemKind { a, b }\ntable items { id int primary key\n kind ItemKind }\n",
		  "enum Size { x, y }\ntable items { id int primary key\n kind Size }\n",
		  &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "create enum Size (x, y)\n"
			     "alter column items.kind type Size\n"
			     "drop enum ItemKind (a, b)\n");
	/* With native enums the types are what they are called. */
	diff(reflected, models);
	CHECK_OK(r.rc);
	CHECK(strstr(upgrade(), "drop enum CartStatus") != NULL);
	CHECK(strstr(upgrade(), "create enum Unused") != NULL);
}

static void test_sqlite_canonical_forms(void)
{
	/* SQLite tells no timestamptz from timestamp and keeps no comments. */
	const char *a = "table t {\n id int primary key\n at timestamp\n}\n";
	const char *b = "table t {\n id int primary key\n at timestamptz  comment 'when'\n"
			"} \n";
	diff_with(a, b, &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	CHECK_INT(r.warnings.count, 0);
	/* What operations carry is what the models say, so that the script
	 * keeps it for PostgreSQL. */
	diff_with("table u { id int primary key }\n", b, &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "drop table u | id primary key (id)\n"
			     "create table t | id at primary key (id)\n");
	const rt_table *t = r.m.upgrade.count == 2 ? r.m.upgrade.items[1]->def : NULL;
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(t->columns[1]->type.kind, RT_TYPE_TIMESTAMPTZ);
	CHECK_STR(t->columns[1]->comment, "when");
	CHECK_INT(t->columns[0]->type.kind, RT_TYPE_INT);
	diff_with("table t {\n id int primary key\n at timestamp?\n}\n", b, &rt__dialect_sqlite,
		  NULL);
	CHECK_STR(upgrade(), "alter column t.at not null\n");
	diff_with("table t {\n id int primary key\n at date\n}\n", b, &rt__dialect_sqlite, NULL);
	CHECK_STR(upgrade(), "alter column t.at type timestamptz\n");

	inexact = true;
	diff_with(a, b, &rt__dialect_postgres, NULL);
	inexact = false;
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter column t.at type timestamptz\n");
	check_warned("column t.at: the comment differs");
}

static void test_ignored_tables(void)
{
	const char *versions = "table alembic_version { version_num string(32) primary key }\n"
			       "table retort_history { revision string(32) }\n"
			       "table locks { id int }\n";
	const char *ignore[] = {"locks"};
	rt_diff_options opts = {.ignore_tables = ignore, .ignore_count = 1};
	diff_with(USERS, USERS, NULL, &opts);
	diff_with(USERS "table locks { id int }\n", USERS, NULL, &opts);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	rt_schema *from = parse(versions), *to = parse(USERS);
	rt_migration m = {0};
	CHECK_OK(rt__diff_schemas(&m, from, to, NULL, &opts));
	CHECK_STR(ops_text(&m.upgrade), "create table users | id name primary key (id)\n");
	rt_schema_free(m.scratch);
	rt_schema_free(from);
	rt_schema_free(to);

	/* The enum an ignored table uses is not dropped. */
	inexact = true;
	diff_with("enum Lock { held, free }\ntable locks { id int\n state Lock }\n" USERS, USERS,
		  NULL, &opts);
	inexact = false;
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
}

static void test_autoincrement_is_a_warning(void)
{
	inexact = true;
	diff("table t {\n id int\n}\n", "table t {\n id int primary key\n}\n");
	inexact = false;
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "add pk_t on t | primary key (id)\n");
	check_warned("column t.id: autoincrement is off in the database and on in the models");
}

static void test_parse_rename(void)
{
	rt_arena *arena = rt__arena_new();
	rt_diff_rename rn;
	CHECK_OK(rt__diff_parse_rename(&rn, arena, "users.name=full_name"));
	CHECK_STR(rn.table, "users");
	CHECK_STR(rn.from, "name");
	CHECK_STR(rn.to, "full_name");
	CHECK_OK(rt__diff_parse_rename(&rn, arena, "old=new"));
	CHECK(rn.table == NULL);
	CHECK_STR(rn.from, "old");
	CHECK_STR(rn.to, "new");
	CHECK_INT(rt__diff_parse_rename(&rn, arena, "users.name"), RT_EUSAGE);
	CHECK_INT(rt__diff_parse_rename(&rn, arena, "a=b.c"), RT_EUSAGE);
	CHECK_INT(rt__diff_parse_rename(&rn, arena, "=b"), RT_EUSAGE);
	CHECK_INT(rt__diff_parse_rename(&rn, arena, ".a=b"), RT_EUSAGE);
	rt__arena_free(arena);
}

static void test_appends_to_lists_and_scratch(void)
{
	rt_schema *from = parse(USERS), *to = parse(USERS POSTS);
	rt_migration m = {0};
	CHECK_OK(rt__diff_schemas(&m, from, to, NULL, NULL));
	CHECK(m.scratch != NULL);
	CHECK_INT(m.upgrade.count, 1);
	CHECK_OK(rt__diff_schemas(&m, from, to, NULL, NULL));
	CHECK_INT(m.upgrade.count, 2);
	CHECK_INT(m.downgrade.count, 2);
	CHECK_INT(rt__diff_schemas(&m, NULL, to, NULL, NULL), RT_EINVAL);
	rt_schema_free(m.scratch);
	rt_schema_free(from);
	rt_schema_free(to);
}

int main(void)
{
	RT_RUN(test_no_changes);
	RT_RUN(test_create_tables_in_key_order);
	RT_RUN(test_drop_tables_with_definitions);
	RT_RUN(test_foreign_key_cycles);
	RT_RUN(test_self_reference);
	RT_RUN(test_add_and_drop_columns);
	RT_RUN(test_alter_columns);
	RT_RUN(test_alter_several_things_at_once);
	RT_RUN(test_equal_expressions_are_not_changes);
	RT_RUN(test_rename_column_by_was);
	RT_RUN(test_rename_column_follows_keys_and_checks);
	RT_RUN(test_rename_table_by_was);
	RT_RUN(test_rename_model_by_was);
	RT_RUN(test_stated_renames);
	RT_RUN(test_renames_in_a_chain_and_a_cycle);
	RT_RUN(test_likely_renames);
	RT_RUN(test_primary_key_change);
	RT_RUN(test_foreign_key_follows_its_key);
	RT_RUN(test_constraints_and_indexes);
	RT_RUN(test_index_changes_are_drop_and_create);
	RT_RUN(test_enums);
	RT_RUN(test_enum_values_removed_or_reordered);
	RT_RUN(test_enum_names_by_sql_name);
	RT_RUN(test_sqlite_names_enums_by_column);
	RT_RUN(test_sqlite_canonical_forms);
	RT_RUN(test_ignored_tables);
	RT_RUN(test_autoincrement_is_a_warning);
	RT_RUN(test_parse_rename);
	RT_RUN(test_appends_to_lists_and_scratch);
	result_free();
	return rt_test_done();
}
