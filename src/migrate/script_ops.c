/*
 * script_ops.c - the operations of a migration script (script.h), one per
 * line, read with the schema language's parser: a table body, a column, a
 * type, a literal or a foreign key reads exactly as it does in a schema.
 *
 * A definition (the body of `create table`, the column of `add column`,
 * the values of `create enum`) is validated as soon as it is read, on its
 * own, by the schema validator in an open world (validate.h): a foreign key
 * may point at a table the database has, and a column may use an enum the
 * database has. Enums the block itself created are known by their values
 * as the block left them, so `server default paid` is checked against
 * them.
 */
#include <string.h>

#include "migrate/script_impl.h"
#include "schema/naming.h"
#include "schema/validate.h"

static const char *const op_words[] = {
	"create", "drop", "rename", "add", "alter", "execute", "insert",
};

/* --- what starts an operation ------------------------------------------------------ */

/* The words that may follow an operation's first word (NULL-ended). */
static const char *const *second_words(const char *first, size_t *count)
{
	static const struct {
		const char *first;
		const char *seconds[7];
	} table[] = {
		{"create", {"table", "index", "unique", "enum"}},
		{"drop", {"table", "column", "index", "unique", "constraint", "enum"}},
		{"rename", {"table", "column"}},
		{"add", {"column", "unique", "foreign", "check", "primary"}},
		{"alter", {"column", "enum"}},
		{"insert", {"into"}},
	};
	for (size_t i = 0; i < RT_COUNT(table); i++) {
		if (!rt__parser_same_word(first, table[i].first))
			continue;
		for (*count = 0; table[i].seconds[*count]; ++*count)
			;
		return table[i].seconds;
	}
	*count = 0;
	return NULL;
}

static bool second_word_fits(const char *first, const char *second)
{
	size_t count;
	const char *const *words = second_words(first, &count);
	return words && rt__parser_in_list(second, words, count);
}

bool rt__script_starts_op(rt_parser *p)
{
	const rt_token *t = &p->tok;
	if (t->kind != RT_TOK_IDENT || !t->line_start)
		return false;
	const rt_token *next = rt__parser_peek(p, 1);
	if (!rt__parser_same_line(next))
		return false;
	if (rt__parser_same_word(t->value, "execute"))
		return next->kind == RT_TOK_STRING;
	if (rt__parser_same_word(t->value, "upgrade") ||
	    rt__parser_same_word(t->value, "downgrade"))
		return next->kind == RT_TOK_LBRACE;
	return next->kind == RT_TOK_IDENT && second_word_fits(t->value, next->value);
}

/* --- small pieces --------------------------------------------------------------------- */

static rt_op *new_op(rt_script *s, rt_op_kind kind, rt_pos pos)
{
	rt_op *op = rt__arena_alloc(s->keep, sizeof(*op));
	if (!op) {
		s->diags->nomem = true;
		return NULL;
	}
	op->kind = kind;
	op->pos = pos;
	return op;
}

/* A name created by the operation obeys PostgreSQL's limit, as in the
 * schema language. */
static int check_length(rt_script *s, rt_pos pos, const char *what, const char *name)
{
	size_t len = strlen(name);
	if (len <= RT_MAX_IDENTIFIER_LENGTH)
		return 0;
	rt__diag_error(s->diags, pos,
		       "the %s '%s' is %zu bytes long; names may have at most %d "
		       "(PostgreSQL's limit)",
		       what, name, len, RT_MAX_IDENTIFIER_LENGTH);
	return -1;
}

/* A SQL name (identifier or "quoted"), kept in the migration. */
static int take_sql_name(rt_script *s, const char **out, rt_pos *pos, const char *what)
{
	rt_ast_name name = {0};
	if (rt__parser_take_sql_name(&s->p, &name, what) < 0)
		return -1;
	if (pos)
		*pos = name.pos;
	return (*out = rt__script_keep(s, name.text)) ? 0 : -1;
}

/* table.column */
static int take_column_ref(rt_script *s, rt_op *op, rt_pos *column_pos)
{
	if (take_sql_name(s, &op->table, NULL, "a table name (table.column)") < 0 ||
	    rt__parser_take(&s->p, RT_TOK_DOT, "'.' and a column name (table.column)") < 0)
		return -1;
	return take_sql_name(s, &op->name, column_pos, "a column name after '.'");
}

/* `on table` */
static int take_on_table(rt_script *s, rt_op *op)
{
	if (rt__parser_take_word(&s->p, "on") < 0)
		return -1;
	return take_sql_name(s, &op->table, NULL, "a table name after 'on'");
}

/* A column list kept in the migration, each column once. */
static int take_columns(rt_script *s, const char ***out, size_t *count, const char *what)
{
	rt_ast_names names = {0};
	if (rt__parser_name_list(&s->p, &names, what) < 0)
		return -1;
	const char **columns = rt__arena_alloc(s->keep, names.count * sizeof(*columns));
	if (!columns) {
		s->diags->nomem = true;
		return -1;
	}
	for (size_t i = 0; i < names.count; i++) {
		for (size_t j = 0; j < i; j++)
			if (strcmp(names.items[i].text, names.items[j].text) == 0) {
				rt__diag_error(s->diags, names.items[i].pos,
					       "column '%s' is listed twice", names.items[i].text);
				return -1;
			}
		if (!(columns[i] = rt__script_keep(s, names.items[i].text)))
			return -1;
	}
	*out = columns;
	*count = names.count;
	return 0;
}

static bool at_line_end(rt_script *s)
{
	return rt__parser_at_member_end(&s->p);
}

/* Is the current token `word` on the operation's line? */
static bool is_word(rt_script *s, const char *word)
{
	return rt__parser_is_word(&s->p.tok, word) && rt__parser_same_line(&s->p.tok);
}

/* Is the current token an opening brace on the operation's line? */
static bool at_brace(rt_script *s)
{
	return s->p.tok.kind == RT_TOK_LBRACE && rt__parser_same_line(&s->p.tok);
}

/* --- definitions, validated alone ------------------------------------------------------ */

static const rt_enum *tracked_enum(void *ctx, const char *name)
{
	rt_script *s = ctx;
	return rt__map_get(&s->enums, name);
}

/* Validates decl on its own into schema (the migration's scratch, or a
 * throwaway one). Returns what it made last: a table or an enum. */
static void build(rt_script *s, rt_schema *schema, rt_ast_decl *decl)
{
	rt_ast ast = {&decl, 1, 1};
	rt_build_fragment fragment = {tracked_enum, s};
	rt__schema_build_fragment(schema, &ast, s->diags, &fragment);
}

/* The table a table declaration made in the scratch schema, enum types
 * named only (script.h); NULL when validation made none. */
static rt_table *build_table(rt_script *s, rt_ast_decl *decl)
{
	rt_schema *scratch = s->m->scratch;
	size_t before = scratch->table_count;
	build(s, scratch, decl);
	if (scratch->table_count == before)
		return NULL;
	rt_table *table = scratch->tables[scratch->table_count - 1];
	for (size_t i = 0; i < table->column_count; i++)
		table->columns[i]->type.enum_type = NULL;
	return table;
}

static rt_ast_decl *new_decl(rt_script *s, rt_ast_decl_kind kind, rt_pos pos)
{
	rt_ast_decl *decl = rt__parser_alloc(&s->p, sizeof(*decl));
	if (decl) {
		decl->kind = kind;
		decl->pos = pos;
	}
	return decl;
}

static int push_member(rt_script *s, rt_ast_decl *decl, rt_ast_member *m)
{
	if (RT_ARENA_PUSH(s->tmp, decl->members, decl->member_count, decl->member_cap, m) < 0) {
		s->diags->nomem = true;
		return -1;
	}
	return 0;
}

/* { body } of create table / drop table t { ... }: the table it defines. */
static int table_body(rt_script *s, rt_op *op, const rt_ast_name *name)
{
	rt_parser *p = &s->p;
	rt_ast_decl *decl = new_decl(s, RT_AST_TABLE, op->pos);
	if (!decl)
		return -1;
	decl->name = *name;
	size_t errors = s->diags->count;
	p->in_member = false;
	int rc = rt__parser_body(p, decl, "table");
	p->in_member = true;
	if (rc < 0)
		return -1;
	if (s->diags->count == errors)
		op->def = build_table(s, decl);
	return 0;
}

/* The column of add column / drop column t.c <column>: a table t holding
 * it, with its column-level constraints and index. */
static int column_def(rt_script *s, rt_op *op, rt_pos column_pos)
{
	rt_parser *p = &s->p;
	rt_ast_member *m = rt__parser_new_member(p);
	rt_ast_decl *decl = new_decl(s, RT_AST_TABLE, op->pos);
	if (!m || !decl)
		return -1;
	m->pos = column_pos;
	m->name = (rt_ast_name){op->name, column_pos};
	decl->name = (rt_ast_name){op->table, op->pos};
	size_t errors = s->diags->count;
	if (rt__parser_field(p, m) < 0 || push_member(s, decl, m) < 0)
		return -1;
	if (m->col->sql_name.text) {
		rt__diag_error(s->diags, m->col->sql_name.pos,
			       "a script names a column by its SQL name: write table.\"SQL "
			       "name\" instead of 'column'");
		return -1;
	}
	if (s->diags->count == errors && (op->def = build_table(s, decl)) &&
	    op->def->column_count == 1)
		op->name = op->def->columns[0]->name;
	return 0;
}

/* --- tables ------------------------------------------------------------------------------- */

/* create table t { ... } | drop table t [{ ... }] */
static int op_table(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	rt_ast_name name = {0};
	const char *what = op->kind == RT_OP_CREATE_TABLE ? "a table name after 'create table'"
							 : "a table name after 'drop table'";
	if (rt__parser_take_sql_name(p, &name, what) < 0 ||
	    !(op->table = rt__script_keep(s, name.text)))
		return -1;
	if (op->kind == RT_OP_DROP_TABLE && at_line_end(s))
		return 0;
	if (!at_brace(s))
		return rt__parser_expected(p, op->kind == RT_OP_CREATE_TABLE
						      ? "'{' and the table's columns"
						      : "'{' and the table's definition, or the "
							"end of the line");
	return table_body(s, op, &name);
}

/* rename table a to b | rename column t.c to d */
static int op_rename(rt_script *s, rt_op *op)
{
	rt_pos column_pos;
	bool table = op->kind == RT_OP_RENAME_TABLE;
	if (table ? take_sql_name(s, &op->table, NULL, "a table name after 'rename table'")
		  : take_column_ref(s, op, &column_pos))
		return -1;
	rt_pos pos;
	if (rt__parser_take_word(&s->p, "to") < 0 ||
	    take_sql_name(s, &op->new_name, &pos,
			  table ? "the table's new name after 'to'"
				: "the column's new name after 'to'") < 0)
		return -1;
	return check_length(s, pos, table ? "table name" : "column name", op->new_name);
}

/* --- columns --------------------------------------------------------------------------------- */

/* add column t.c <column> | drop column t.c [<column>] */
static int op_column(rt_script *s, rt_op *op)
{
	rt_pos column_pos;
	if (take_column_ref(s, op, &column_pos) < 0)
		return -1;
	if (op->kind == RT_OP_DROP_COLUMN && at_line_end(s))
		return 0;
	return column_def(s, op, column_pos);
}

/* What alter column was told, and where, for the checks at the end. */
typedef struct alter {
	rt_ast_member *type;   /* the type, parsed as a field's */
	rt_ast_literal server_default;
	rt_pos null_pos, default_pos, using_pos;
} alter;

static int alter_twice(rt_script *s, rt_pos pos, const char *what)
{
	rt__diag_error(s->diags, pos, "%s is given twice", what);
	return -1;
}

static int alter_type(rt_script *s, rt_op *op, alter *a)
{
	rt_parser *p = &s->p;
	if (a->type)
		return alter_twice(s, p->tok.pos, "'type'");
	rt_pos at = p->tok.pos;
	rt__parser_advance(p);
	rt_ast_member *m = rt__parser_new_member(p);
	if (!m)
		return -1;
	m->name = (rt_ast_name){"type", at};
	if (rt__parser_type(p, m) < 0)
		return -1;
	if (m->optional)
		return rt__parser_fail_at(p, m->type_name.pos,
					  "'?' does not go on the type here: write 'null' "
					  "to allow NULL");
	a->type = m;
	op->set_type = true;
	if (m->builtin) {
		op->type = m->type;
	} else {
		op->type.kind = RT_TYPE_ENUM;
		if (!(op->type.enum_name = rt__script_keep(s, m->type_name.text)))
			return -1;
	}
	return 0;
}

/* null | not null */
static int alter_null(rt_script *s, rt_op *op, alter *a, bool nullable)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(a->null_pos))
		return rt__parser_fail_at(p, p->tok.pos,
					  "'null' and 'not null' are given together; "
					  "write one");
	a->null_pos = p->tok.pos;
	rt__parser_advance(p);
	if (!nullable && rt__parser_take_word(p, "null") < 0)
		return -1;
	op->null_change = nullable ? RT_ALTER_NULL_SET : RT_ALTER_NULL_DROP;
	return 0;
}

/* server default X | drop server default */
static int alter_default(rt_script *s, rt_op *op, alter *a, bool drop)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(a->default_pos))
		return rt__parser_fail_at(
			p, p->tok.pos,
			op->default_change == (drop ? RT_ALTER_DEFAULT_DROP : RT_ALTER_DEFAULT_SET)
				? (drop ? "'drop server default' is given twice"
					: "'server default' is given twice")
				: "'server default' and 'drop server default' are given "
				  "together; write one");
	a->default_pos = p->tok.pos;
	rt__parser_advance(p);
	if (drop && rt__parser_take_word(p, "server") < 0)
		return -1;
	if (rt__parser_take_word(p, "default") < 0)
		return -1;
	if (drop) {
		op->default_change = RT_ALTER_DEFAULT_DROP;
		return 0;
	}
	if (rt__parser_literal(p, &a->server_default, true) < 0)
		return -1;
	op->default_change = RT_ALTER_DEFAULT_SET;
	op->server_default.kind = a->server_default.value.kind;
	return (op->server_default.text = rt__script_keep(s, a->server_default.value.text))
		       ? 0
		       : -1;
}

/* using '<expr>' */
static int alter_using(rt_script *s, rt_op *op, alter *a)
{
	rt_parser *p = &s->p;
	if (RT_POS_SET(a->using_pos))
		return alter_twice(s, p->tok.pos, "'using'");
	a->using_pos = p->tok.pos;
	rt__parser_advance(p);
	rt_ast_name expr = {0};
	if (rt__parser_take_string(p, &expr, "a SQL expression in quotes after 'using'") < 0)
		return -1;
	if (!*expr.text)
		return rt__parser_fail_at(p, expr.pos, "the expression after 'using' is empty");
	return (op->using_expr = rt__script_keep(s, expr.text)) ? 0 : -1;
}

/* A new type and a server default are checked together, as the schema
 * language checks a column's: validating the column alone, in a
 * throwaway schema. The default comes back normalized ('paid' for an enum
 * is the enum value paid). */
static void check_alter(rt_script *s, rt_op *op, alter *a, rt_pos column_pos)
{
	if (!a->type || op->default_change != RT_ALTER_DEFAULT_SET)
		return;
	rt_schema *schema = rt__schema_new();
	rt_ast_decl *decl = new_decl(s, RT_AST_TABLE, op->pos);
	rt_ast_column_options *col = rt__parser_alloc(&s->p, sizeof(*col));
	if (!schema || !decl || !col) {
		rt_schema_free(schema);
		s->diags->nomem = true;
		return;
	}
	col->server_default = a->server_default;
	a->type->col = col;
	a->type->name = (rt_ast_name){op->name, column_pos};
	decl->name = (rt_ast_name){op->table, op->pos};
	size_t errors = s->diags->count;
	if (push_member(s, decl, a->type) == 0)
		build(s, schema, decl);
	if (s->diags->count == errors && schema->table_count == 1 &&
	    schema->tables[0]->column_count == 1) {
		const rt_literal *lit = &schema->tables[0]->columns[0]->server_default;
		op->server_default.kind = lit->kind;
		op->server_default.text = rt__script_keep(s, lit->text);
	}
	rt_schema_free(schema);
}

/* alter column t.c [type T] [null | not null]
 *   [server default X | drop server default] [using '<expr>'] */
static int op_alter_column(rt_script *s, rt_op *op)
{
	static const char *const words[] = {"type", "null", "not", "server", "drop", "using"};
	rt_parser *p = &s->p;
	rt_pos column_pos;
	if (take_column_ref(s, op, &column_pos) < 0)
		return -1;
	alter a;
	memset(&a, 0, sizeof(a));
	bool any = false;
	while (!at_line_end(s)) {
		int rc;
		if (is_word(s, "type"))
			rc = alter_type(s, op, &a);
		else if (is_word(s, "null") || is_word(s, "not"))
			rc = alter_null(s, op, &a, p->tok.value[0] == 'n' && p->tok.value[1] == 'u');
		else if (is_word(s, "server") || is_word(s, "drop"))
			rc = alter_default(s, op, &a, p->tok.value[0] == 'd');
		else if (is_word(s, "using"))
			rc = alter_using(s, op, &a);
		else
			rc = rt__parser_expected_word(
				p,
				any ? "another change (type, null, not null, server default, "
				      "drop server default, using) or the end of the line"
				    : "a change (type, null, not null, server default, drop "
				      "server default or using)",
				any ? "another change or the end of the line" : "a change", words,
				RT_COUNT(words));
		if (rc < 0)
			return -1;
		any = true;
	}
	if (!any)
		return rt__parser_expected(p, "a change (type, null, not null, server default, "
					      "drop server default or using)");
	if (RT_POS_SET(a.using_pos) && !a.type)
		return rt__parser_fail_at(p, a.using_pos,
					  "'using' converts the values to a new type: it "
					  "goes with 'type'");
	check_alter(s, op, &a, column_pos);
	return 0;
}

/* --- indexes and constraints ------------------------------------------------------------ */

static rt_index *new_index(rt_script *s, const char *name, bool unique, rt_pos pos)
{
	rt_index *index = rt__arena_alloc(s->keep, sizeof(*index));
	if (!index) {
		s->diags->nomem = true;
		return NULL;
	}
	index->name = name;
	index->unique = unique;
	index->name_given = true;
	index->pos = pos;
	return index;
}

/* [unique] index n ... - the current token is `unique` or `index`. */
static int index_head(rt_script *s, rt_op *op, bool *unique, rt_pos *name_pos)
{
	rt_parser *p = &s->p;
	*unique = is_word(s, "unique");
	if (*unique)
		rt__parser_advance(p);
	if (rt__parser_take_word(p, "index") < 0)
		return -1;
	return take_sql_name(s, &op->name, name_pos, "an index name");
}

/* create [unique] index n on t (a, b) */
static int op_create_index(rt_script *s, rt_op *op)
{
	bool unique;
	rt_pos name_pos;
	if (index_head(s, op, &unique, &name_pos) < 0 || take_on_table(s, op) < 0)
		return -1;
	rt_index *index = new_index(s, op->name, unique, name_pos);
	if (!index ||
	    take_columns(s, &index->columns, &index->column_count, "indexed columns") < 0)
		return -1;
	op->index = index;
	return check_length(s, name_pos, "index name", op->name);
}

/* drop [unique] index n [on t [(a, b)]] */
static int op_drop_index(rt_script *s, rt_op *op)
{
	bool unique;
	rt_pos name_pos;
	if (index_head(s, op, &unique, &name_pos) < 0)
		return -1;
	rt_index *index = new_index(s, op->name, unique, name_pos);
	if (!index)
		return -1;
	op->index = index;
	if (at_line_end(s))
		return 0;
	if (!is_word(s, "on"))
		return rt__parser_expected(&s->p, "'on' and the table, or the end of the line");
	if (take_on_table(s, op) < 0)
		return -1;
	if (at_line_end(s))
		return 0;
	return take_columns(s, &index->columns, &index->column_count, "indexed columns");
}

static rt_constraint *new_constraint(rt_script *s, rt_constraint_kind kind, const char *name,
				     rt_pos pos)
{
	rt_constraint *c = rt__arena_alloc(s->keep, sizeof(*c));
	if (!c) {
		s->diags->nomem = true;
		return NULL;
	}
	c->kind = kind;
	c->name = name;
	c->name_given = true;
	c->pos = pos;
	return c;
}

/* references r(x, y) [on delete ...] [on update ...] for foreign key c. */
static int constraint_references(rt_script *s, rt_constraint *c)
{
	rt_parser *p = &s->p;
	if (!is_word(s, "references"))
		return rt__parser_expected(p, "'references' after the foreign key columns");
	rt_ast_ref ref;
	memset(&ref, 0, sizeof(ref));
	if (rt__parser_references(p, &ref) < 0)
		return -1;
	if (ref.columns.count != c->column_count) {
		rt__diag_error(s->diags, ref.table.pos,
			       "the foreign key has %zu column%s but references %zu",
			       c->column_count, c->column_count == 1 ? "" : "s",
			       ref.columns.count);
		return -1;
	}
	c->ref_column_count = ref.columns.count;
	c->ref_columns = rt__arena_alloc(s->keep, ref.columns.count * sizeof(*c->ref_columns));
	if (!c->ref_columns || !(c->ref_table = rt__script_keep(s, ref.table.text))) {
		s->diags->nomem = true;
		return -1;
	}
	for (size_t i = 0; i < ref.columns.count; i++)
		if (!(c->ref_columns[i] = rt__script_keep(s, ref.columns.items[i].text)))
			return -1;
	c->on_delete = ref.on_delete;
	c->on_update = ref.on_update;
	return 0;
}

/* What follows the kind's keyword(s): (a, b) [references ...] | '<expr>'. */
static int constraint_body(rt_script *s, rt_constraint *c)
{
	rt_parser *p = &s->p;
	if (c->kind == RT_CONSTRAINT_CHECK) {
		rt_ast_name expr = {0};
		if (rt__parser_take_string(p, &expr, "a SQL expression in quotes") < 0)
			return -1;
		if (!*expr.text)
			return rt__parser_fail_at(p, expr.pos, "the check expression is empty");
		return (c->check = rt__script_keep(s, expr.text)) ? 0 : -1;
	}
	const char *what = c->kind == RT_CONSTRAINT_UNIQUE        ? "unique columns"
			   : c->kind == RT_CONSTRAINT_PRIMARY_KEY ? "primary key columns"
								  : "foreign key columns";
	if (take_columns(s, &c->columns, &c->column_count, what) < 0)
		return -1;
	return c->kind == RT_CONSTRAINT_FOREIGN_KEY ? constraint_references(s, c) : 0;
}

/* The kind's keywords at the current token: unique | primary key |
 * foreign key | check. Returns -1 (reported) on anything else. */
static int constraint_kind(rt_script *s, rt_constraint_kind *kind, const char *what)
{
	static const char *const words[] = {"unique", "primary", "foreign", "check"};
	rt_parser *p = &s->p;
	if (is_word(s, "unique") || is_word(s, "check")) {
		*kind = p->tok.value[0] == 'u' ? RT_CONSTRAINT_UNIQUE : RT_CONSTRAINT_CHECK;
		rt__parser_advance(p);
		return 0;
	}
	if (is_word(s, "primary") || is_word(s, "foreign")) {
		*kind = p->tok.value[0] == 'p' ? RT_CONSTRAINT_PRIMARY_KEY
					       : RT_CONSTRAINT_FOREIGN_KEY;
		rt__parser_advance(p);
		return rt__parser_take_word(p, "key");
	}
	return rt__parser_expected_word(p, what, "a constraint kind", words, RT_COUNT(words));
}

/* add unique|primary key|foreign key|check n on t <body> */
static int op_add_constraint(rt_script *s, rt_op *op)
{
	rt_constraint_kind kind;
	rt_pos name_pos;
	if (constraint_kind(s, &kind, "unique, primary key, foreign key or check") < 0 ||
	    take_sql_name(s, &op->name, &name_pos, "a constraint name") < 0 ||
	    take_on_table(s, op) < 0)
		return -1;
	rt_constraint *c = new_constraint(s, kind, op->name, name_pos);
	if (!c || constraint_body(s, c) < 0)
		return -1;
	op->constraint = c;
	return check_length(s, name_pos, "constraint name", op->name);
}

/* drop constraint n on t [unique (a) | primary key (a) | foreign key (a)
 * references r(x) ... | check '<expr>'] */
static int op_drop_constraint(rt_script *s, rt_op *op)
{
	rt_pos name_pos;
	rt__parser_advance(&s->p); /* constraint */
	if (take_sql_name(s, &op->name, &name_pos, "a constraint name") < 0 ||
	    take_on_table(s, op) < 0)
		return -1;
	if (at_line_end(s))
		return 0;
	rt_constraint_kind kind;
	if (constraint_kind(s, &kind,
			    "the constraint's definition (unique, primary key, foreign key "
			    "or check) or the end of the line") < 0)
		return -1;
	rt_constraint *c = new_constraint(s, kind, op->name, name_pos);
	if (!c || constraint_body(s, c) < 0)
		return -1;
	op->constraint = c;
	return 0;
}

/* --- enums --------------------------------------------------------------------------------- */

/* { a, b } after an enum's name: validated as the schema language's enum,
 * into the scratch schema. */
static int enum_values(rt_script *s, rt_op *op, const rt_ast_name *name)
{
	rt_parser *p = &s->p;
	rt_ast_decl *decl = new_decl(s, RT_AST_ENUM, op->pos);
	if (!decl)
		return -1;
	decl->name = *name;
	size_t errors = s->diags->count;
	p->in_member = false;
	int rc = rt__parser_enum_body(p, decl);
	p->in_member = true;
	if (rc < 0)
		return -1;
	rt_schema *scratch = s->m->scratch;
	size_t before = scratch->enum_count;
	if (s->diags->count == errors)
		build(s, scratch, decl);
	if (scratch->enum_count > before)
		op->enum_def = scratch->enums[scratch->enum_count - 1];
	return 0;
}

static int take_enum_name(rt_script *s, rt_op *op, rt_ast_name *name, const char *what)
{
	if (rt__parser_take_name(&s->p, name, what) < 0)
		return -1;
	rt__parser_check_type_name(&s->p, name, "an enum");
	return (op->name = rt__script_keep(s, name->text)) ? 0 : -1;
}

/* create enum E { a, b } */
static int op_create_enum(rt_script *s, rt_op *op)
{
	rt_ast_name name = {0};
	if (take_enum_name(s, op, &name, "an enum name after 'create enum'") < 0)
		return -1;
	if (!at_brace(s))
		return rt__parser_expected(&s->p, "'{' and the enum's values");
	if (enum_values(s, op, &name) < 0)
		return -1;
	if (op->enum_def && rt__map_put(&s->enums, op->enum_def->name, op->enum_def) < 0)
		s->diags->nomem = true;
	return 0;
}

/* drop enum E [{ a, b }] */
static int op_drop_enum(rt_script *s, rt_op *op)
{
	rt_ast_name name = {0};
	if (take_enum_name(s, op, &name, "an enum name after 'drop enum'") < 0)
		return -1;
	int rc = 0;
	if (at_brace(s)) {
		rc = enum_values(s, op, &name);
	} else if (at_line_end(s)) {
		const char *sql_name = rt__name_snake_case(s->tmp, op->name);
		if (!sql_name || !(op->enum_def = rt__schema_add_enum(s->m->scratch, op->name,
								      sql_name))) {
			s->diags->nomem = true;
			return -1;
		}
		op->enum_def->pos = name.pos;
	} else {
		return rt__parser_expected(&s->p, "'{' and the enum's values, or the end of "
						  "the line");
	}
	if (rt__map_get(&s->enums, op->name) && rt__map_put(&s->enums, op->name, NULL) < 0)
		s->diags->nomem = true;
	return rc;
}

/* The block's view of enum e after value joins it. */
static void track_added_value(rt_script *s, const rt_enum *e, const char *value)
{
	rt_enum *grown = rt__arena_alloc(s->tmp, sizeof(*grown));
	const char **values = rt__arena_alloc(s->tmp, (e->value_count + 1) * sizeof(*values));
	if (!grown || !values) {
		s->diags->nomem = true;
		return;
	}
	*grown = *e;
	if (e->value_count)
		memcpy(values, e->values, e->value_count * sizeof(*values));
	values[e->value_count] = value;
	grown->values = values;
	grown->value_count = grown->value_cap = e->value_count + 1;
	if (rt__map_put(&s->enums, e->name, grown) < 0)
		s->diags->nomem = true;
}

/* alter enum E add value 'x' */
static int op_alter_enum(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	rt_ast_name name = {0}, value = {0};
	if (take_enum_name(s, op, &name, "an enum name after 'alter enum'") < 0 ||
	    rt__parser_take_word(p, "add") < 0 || rt__parser_take_word(p, "value") < 0)
		return -1;
	int rc = p->tok.kind == RT_TOK_IDENT && rt__parser_same_line(&p->tok)
			 ? rt__parser_take_name(p, &value, "the new value")
			 : rt__parser_take_string(p, &value, "the new value in quotes");
	if (rc < 0)
		return -1;
	if (!*value.text)
		return rt__parser_fail_at(p, value.pos, "the new value is empty");
	if (check_length(s, value.pos, "enum value", value.text) < 0 ||
	    !(op->value = rt__script_keep(s, value.text)))
		return -1;
	const rt_enum *e = rt__map_get(&s->enums, op->name);
	if (!e)
		return 0;
	for (size_t i = 0; i < e->value_count; i++)
		if (strcmp(e->values[i], op->value) == 0) {
			rt__diag_error(s->diags, value.pos, "enum %s already has the value '%s'",
				       e->name, op->value);
			return -1;
		}
	track_added_value(s, e, op->value);
	return 0;
}

/* --- data ------------------------------------------------------------------------------------ */

/* execute '<sql>' [only sqlite|postgresql] */
static int op_execute(rt_script *s, rt_op *op)
{
	static const char *const dialects[] = {"sqlite", "postgresql"};
	rt_parser *p = &s->p;
	rt_ast_name sql = {0};
	if (rt__parser_take_string(p, &sql, "the SQL in quotes (or a $$ block) after 'execute'") < 0)
		return -1;
	if (!*sql.text)
		return rt__parser_fail_at(p, sql.pos, "the SQL after 'execute' is empty");
	if (!(op->sql = rt__script_keep(s, sql.text)))
		return -1;
	if (at_line_end(s))
		return 0;
	if (!is_word(s, "only"))
		return rt__parser_expected(p, "'only' and a dialect, or the end of the line");
	rt__parser_advance(p);
	if (!is_word(s, "sqlite") && !is_word(s, "postgresql"))
		return rt__parser_expected_word(p, "a dialect (sqlite or postgresql) after 'only'",
						"a dialect", dialects, RT_COUNT(dialects));
	op->only_dialect = p->tok.value[0] == 's' ? "sqlite" : "postgresql";
	rt__parser_advance(p);
	return 0;
}

/* A value of an insert: number, 'string', true, false or null. */
static int insert_value(rt_script *s, rt_literal *out)
{
	rt_parser *p = &s->p;
	const char *what = "a value (a number, 'string', true, false or null)";
	const rt_token *t = &p->tok;
	if (!rt__parser_same_line(t))
		return rt__parser_expected(p, what);
	if (t->kind == RT_TOK_QUOTED)
		return rt__parser_string_in_double_quotes(p, what);
	if (t->kind == RT_TOK_NUMBER)
		out->kind = RT_LITERAL_NUMBER;
	else if (t->kind == RT_TOK_STRING)
		out->kind = RT_LITERAL_STRING;
	else if (rt__parser_is_word(t, "true") || rt__parser_is_word(t, "false"))
		out->kind = RT_LITERAL_BOOL;
	else if (rt__parser_is_word(t, "null"))
		out->kind = RT_LITERAL_NONE;
	else
		return rt__parser_expected(p, what);
	if (out->kind != RT_LITERAL_NONE && !(out->text = rt__script_keep(s, t->value)))
		return -1;
	rt__parser_advance(p);
	return 0;
}

/* ( v, v, ... ) with one value per column; it may start a new line. */
static int insert_row(rt_script *s, rt_op *op, rt_literal **out)
{
	rt_parser *p = &s->p;
	rt_pos open = p->tok.pos;
	p->in_member = false;
	int rc = rt__parser_take(p, RT_TOK_LPAREN, "'(' and a row of values");
	p->in_member = true;
	if (rc < 0)
		return -1;
	rt_literal *row = rt__arena_alloc(s->keep, op->column_count * sizeof(*row));
	if (!row) {
		s->diags->nomem = true;
		return -1;
	}
	size_t n = 0;
	for (;;) {
		rt_literal value = {RT_LITERAL_NONE, NULL};
		if (insert_value(s, &value) < 0)
			return -1;
		if (n < op->column_count)
			row[n] = value;
		n++;
		if (p->tok.kind == RT_TOK_COMMA && rt__parser_same_line(&p->tok)) {
			rt__parser_advance(p);
			continue;
		}
		if (rt__parser_take(p, RT_TOK_RPAREN, "',' or ')'") < 0)
			return -1;
		break;
	}
	if (n != op->column_count) {
		rt__diag_error(s->diags, open, "the row has %zu value%s for %zu column%s", n,
			       n == 1 ? "" : "s", op->column_count,
			       op->column_count == 1 ? "" : "s");
		return -1;
	}
	*out = row;
	return 0;
}

/* insert into t (a, b) values (1, 'x'), (2, null) - rows may go on lines
 * of their own after `values` and after each comma. */
static int op_insert(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	rt__parser_advance(p); /* into */
	if (take_sql_name(s, &op->table, NULL, "a table name after 'insert into'") < 0 ||
	    take_columns(s, &op->columns, &op->column_count, "columns to fill") < 0 ||
	    rt__parser_take_word(p, "values") < 0)
		return -1;
	size_t cap = 0;
	for (;;) {
		rt_literal *row;
		if (insert_row(s, op, &row) < 0)
			return -1;
		if (RT_ARENA_PUSH(s->keep, op->rows, op->row_count, cap, row) < 0) {
			s->diags->nomem = true;
			return -1;
		}
		if (p->tok.kind != RT_TOK_COMMA || !rt__parser_same_line(&p->tok))
			return 0;
		rt__parser_advance(p);
	}
}

/* --- one operation ------------------------------------------------------------------------- */

typedef int (*op_reader)(rt_script *s, rt_op *op);

/* The kind and reader for first word + second word; the reader starts
 * after the second word, or at it when it is part of what the reader
 * reads (add unique n, create unique index n, ...). */
static bool choose(const char *first, const rt_token *second, rt_op_kind *kind,
		   op_reader *reader, bool *skip_second)
{
	const char *w = second->kind == RT_TOK_IDENT ? second->value : "";
	*skip_second = true;
#define CASE(a, b, k, r)                                                       \
	if (rt__parser_same_word(first, a) && rt__parser_same_word(w, b)) {   \
		*kind = k;                                                     \
		*reader = r;                                                   \
		return true;                                                   \
	}
	CASE("create", "table", RT_OP_CREATE_TABLE, op_table)
	CASE("drop", "table", RT_OP_DROP_TABLE, op_table)
	CASE("rename", "table", RT_OP_RENAME_TABLE, op_rename)
	CASE("rename", "column", RT_OP_RENAME_COLUMN, op_rename)
	CASE("add", "column", RT_OP_ADD_COLUMN, op_column)
	CASE("drop", "column", RT_OP_DROP_COLUMN, op_column)
	CASE("alter", "column", RT_OP_ALTER_COLUMN, op_alter_column)
	CASE("create", "enum", RT_OP_CREATE_ENUM, op_create_enum)
	CASE("drop", "enum", RT_OP_DROP_ENUM, op_drop_enum)
	CASE("alter", "enum", RT_OP_ALTER_ENUM_ADD, op_alter_enum)
	*skip_second = false;
	CASE("create", "index", RT_OP_CREATE_INDEX, op_create_index)
	CASE("create", "unique", RT_OP_CREATE_INDEX, op_create_index)
	CASE("drop", "index", RT_OP_DROP_INDEX, op_drop_index)
	CASE("drop", "unique", RT_OP_DROP_INDEX, op_drop_index)
	CASE("drop", "constraint", RT_OP_DROP_CONSTRAINT, op_drop_constraint)
	CASE("add", "unique", RT_OP_ADD_CONSTRAINT, op_add_constraint)
	CASE("add", "primary", RT_OP_ADD_CONSTRAINT, op_add_constraint)
	CASE("add", "foreign", RT_OP_ADD_CONSTRAINT, op_add_constraint)
	CASE("add", "check", RT_OP_ADD_CONSTRAINT, op_add_constraint)
	CASE("insert", "into", RT_OP_INSERT, op_insert)
#undef CASE
	return false;
}

/* What may follow an operation's first word, for the message. */
static const char *after_first(const char *first)
{
	if (rt__parser_same_word(first, "create"))
		return "'table', 'index', 'unique index' or 'enum' after 'create'";
	if (rt__parser_same_word(first, "drop"))
		return "'table', 'column', 'index', 'unique index', 'constraint' or 'enum' "
		       "after 'drop'";
	if (rt__parser_same_word(first, "rename"))
		return "'table' or 'column' after 'rename'";
	if (rt__parser_same_word(first, "add"))
		return "'column', 'unique', 'primary key', 'foreign key' or 'check' after "
		       "'add'";
	if (rt__parser_same_word(first, "alter"))
		return "'column' or 'enum' after 'alter'";
	return "'into' after 'insert'";
}

int rt__script_op(rt_script *s, rt_op_list *list)
{
	rt_parser *p = &s->p;
	/* The first word starts the line: it is no "end of line". */
	p->in_member = false;
	if (p->tok.kind != RT_TOK_IDENT ||
	    !rt__parser_in_list(p->tok.value, op_words, RT_COUNT(op_words)))
		return rt__parser_expected_word(p,
						"an operation (create, drop, rename, add, "
						"alter, execute or insert) or '}'",
						"an operation", op_words, RT_COUNT(op_words));
	const char *first = p->tok.value;
	rt_pos pos = p->tok.pos;
	rt__parser_advance(p);
	p->in_member = true;
	rt_op_kind kind = RT_OP_EXECUTE;
	op_reader reader = op_execute;
	bool skip_second = false;
	if (!rt__parser_same_word(first, "execute") &&
	    (!rt__parser_same_line(&p->tok) ||
	     !choose(first, &p->tok, &kind, &reader, &skip_second))) {
		size_t count;
		const char *const *words = second_words(first, &count);
		return rt__parser_expected_word(p, after_first(first), after_first(first), words,
						count);
	}
	if (skip_second)
		rt__parser_advance(p);
	rt_op *op = new_op(s, kind, pos);
	if (!op || reader(s, op) < 0)
		return -1;
	if (!at_line_end(s))
		return rt__parser_expected(p, "the end of the line");
	if (RT_ARENA_PUSH(s->keep, list->items, list->count, list->cap, op) < 0) {
		s->diags->nomem = true;
		return -1;
	}
	return 0;
}
