/*
 * script_ops.c - the operations of a migration script (script.h), one per
 * line, read with the schema language's parser: a table body, a column, a
 * type, a literal or a foreign key reads exactly as it does in a schema.
 * This file reads the first words of each line and the operations on
 * tables, columns and enums; script_keys.c and script_data.c the others.
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
	"create", "drop", "rename", "add", "alter", "execute", "insert", "replace",
};

/* --- what starts an operation ------------------------------------------------------ */

/* The words that may follow an operation's first word (NULL-ended). */
static const char *const *second_words(const char *first, size_t *count)
{
	static const struct {
		const char *first;
		const char *seconds[15];
	} table[] = {
		{"create", {"table", "index", "unique", "enum", "view", "materialized", "function",
			    "trigger", "domain", "sequence", "aggregate", "procedure"}},
		{"drop", {"table", "column", "index", "unique", "constraint", "enum", "view",
			  "materialized", "function", "trigger", "domain", "sequence", "aggregate",
			  "procedure"}},
		{"replace", {"view", "materialized", "function", "trigger", "domain", "sequence",
			     "aggregate", "procedure"}},
		{"rename", {"table", "column", "view", "materialized", "function", "trigger",
			    "domain", "sequence", "aggregate", "procedure"}},
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

/* A name created by the operation obeys the schema language's limit
 * (schema/naming.h), as in a schema file. */
int rt__script_check_length(rt_script *s, rt_pos pos, const char *what, const char *name)
{
	size_t len = strlen(name);
	if (len <= RT_MAX_IDENTIFIER_LENGTH)
		return 0;
	rt__diag_error(s->diags, pos,
		       "the %s '%s' is %zu bytes long, " RT_IDENTIFIER_LIMIT_WORDS,
		       what, name, len, RT_MAX_IDENTIFIER_LENGTH);
	return -1;
}

/* A SQL name (identifier or "quoted"), kept in the migration. */
int rt__script_take_sql_name(rt_script *s, const char **out, rt_pos *pos, const char *what)
{
	rt_ast_name name = {0};
	if (rt__parser_take_sql_name(&s->p, &name, what) < 0)
		return -1;
	if (pos)
		*pos = name.pos;
	return (*out = rt__script_keep(s, name.text)) ? 0 : -1;
}

/* A table's name: name, or schema.name for a table in a PostgreSQL
 * schema, kept as rt_table.name has it. */
int rt__script_take_table_name(rt_script *s, const char **out, const char *what)
{
	rt_ast_name name = {0};
	if (rt__parser_take_table_name(&s->p, &name, what) < 0)
		return -1;
	return (*out = rt__script_keep(s, name.text)) ? 0 : -1;
}

/* table.column, or schema.table.column */
int rt__script_take_column_ref(rt_script *s, rt_op *op, rt_pos *column_pos)
{
	if (rt__script_take_sql_name(s, &op->table, NULL, "a table name (table.column)") < 0 ||
	    rt__parser_take(&s->p, RT_TOK_DOT, "'.' and a column name (table.column)") < 0 ||
	    rt__script_take_sql_name(s, &op->name, column_pos, "a column name after '.'") < 0)
		return -1;
	if (s->p.tok.kind != RT_TOK_DOT || !rt__parser_same_line(&s->p.tok))
		return 0;
	/* schema.table.column: what was read is the schema and the table. */
	rt__parser_advance(&s->p);
	op->table = rt__arena_printf(s->keep, "%s.%s", op->table, op->name);
	if (!op->table) {
		s->diags->nomem = true;
		return -1;
	}
	return rt__script_take_sql_name(s, &op->name, column_pos, "a column name after '.'");
}

/* `on table` */
int rt__script_take_on_table(rt_script *s, rt_op *op)
{
	if (rt__parser_take_word(&s->p, "on") < 0)
		return -1;
	return rt__script_take_table_name(s, &op->table, "a table name after 'on'");
}

/* A column list kept in the migration, each column once. */
int rt__script_take_columns(rt_script *s, const char ***out, size_t *count, const char *what)
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

bool rt__script_at_line_end(rt_script *s)
{
	return rt__parser_at_member_end(&s->p);
}

/* Is the current token `word` on the operation's line? */
bool rt__script_is_word(rt_script *s, const char *word)
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
void rt__script_build(rt_script *s, rt_schema *schema, rt_ast_decl *decl)
{
	rt_ast ast = {&decl, 1, 1};
	rt_build_fragment fragment = {tracked_enum, s, s->body};
	rt__schema_build_fragment(schema, &ast, s->diags, &fragment);
}

/* The table a table declaration made in the scratch schema, enum types
 * named only (script.h); NULL when validation made none. */
static rt_table *build_table(rt_script *s, rt_ast_decl *decl)
{
	rt_schema *scratch = s->m->scratch;
	size_t before = scratch->table_count;
	rt__script_build(s, scratch, decl);
	if (scratch->table_count == before)
		return NULL;
	rt_table *table = scratch->tables[scratch->table_count - 1];
	for (size_t i = 0; i < table->column_count; i++)
		table->columns[i]->type.enum_type = NULL;
	return table;
}

rt_ast_decl *rt__script_new_decl(rt_script *s, rt_ast_decl_kind kind, rt_pos pos)
{
	rt_ast_decl *decl = rt__parser_alloc(&s->p, sizeof(*decl));
	if (decl) {
		decl->kind = kind;
		decl->pos = pos;
	}
	return decl;
}

int rt__script_push_member(rt_script *s, rt_ast_decl *decl, rt_ast_member *m)
{
	if (RT_ARENA_PUSH(s->tmp, decl->members, decl->member_count, decl->member_cap, m) < 0) {
		s->diags->nomem = true;
		return -1;
	}
	return 0;
}

/* { body } of create table / drop table t [options] { ... }: the table it
 * defines, with what header says of it before the body (its table options
 * and partitioning). A partition may have no body: its columns are its
 * partitioned table's. */
static int table_body(rt_script *s, rt_op *op, const rt_ast_name *name,
		      const rt_ast_name *schema, const rt_ast_decl *header)
{
	rt_parser *p = &s->p;
	rt_ast_decl *decl = rt__script_new_decl(s, RT_AST_TABLE, op->pos);
	if (!decl)
		return -1;
	decl->name = *name;
	decl->options = header->options;
	decl->collation = header->collation;
	decl->partition = header->partition;
	size_t errors = s->diags->count;
	/* The body's tree and its validation's temporaries are needed only
	 * until the table is built (into the migration's own arena), so they
	 * are made in an arena of their own, freed right after: a script that
	 * creates 10,000 tables (and drops them in its downgrade) kept 90 MB
	 * of them to the end of the parse. Token values and messages stay in
	 * s->tmp. */
	rt_arena *body = rt__arena_new();
	if (!body) {
		s->diags->nomem = true;
		return -1;
	}
	rt_arena *tree = s->ctx.arena;
	s->ctx.arena = body;
	s->body = body;
	int rc = 0;
	if (at_brace(s)) {
		p->in_member = false;
		rc = rt__parser_body(p, decl, "table");
		p->in_member = true;
	}
	/* create table billing.accounts: the table's `schema 'billing'`. */
	if (rc >= 0 && schema->text) {
		rt_ast_member *m = rt__parser_new_member(p);
		if (!m || rt__arena_reserve(body, (void **)&decl->members, &decl->member_cap,
					    decl->member_count + 1, sizeof(*decl->members)) < 0) {
			s->diags->nomem = true;
			rc = -1;
		} else {
			m->kind = RT_AST_SCHEMA_NAME;
			m->text = *schema;
			decl->members[decl->member_count++] = m;
		}
	}
	if (rc >= 0 && s->diags->count == errors)
		op->def = build_table(s, decl);
	s->ctx.arena = tree;
	s->body = NULL;
	rt__arena_free(body);
	return rc < 0 ? -1 : 0;
}

/* The column of add column / drop column t.c <column>: a table t holding
 * it, with its column-level constraints and index. */
static int column_def(rt_script *s, rt_op *op, rt_pos column_pos)
{
	rt_parser *p = &s->p;
	rt_ast_member *m = rt__parser_new_member(p);
	rt_ast_decl *decl = rt__script_new_decl(s, RT_AST_TABLE, op->pos);
	if (!m || !decl)
		return -1;
	m->pos = column_pos;
	m->name = (rt_ast_name){op->name, column_pos};
	decl->name = (rt_ast_name){op->table, op->pos};
	size_t errors = s->diags->count;
	if (rt__parser_field(p, m) < 0 || rt__script_push_member(s, decl, m) < 0)
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

/* The table options after a table's name, up to the end of the line or
 * what is not one: their bits in *options. set false reads the words that
 * clear one (alter table t not strict) into *options instead. */
int rt__script_table_options(rt_script *s, unsigned *options, bool set)
{
	rt_parser *p = &s->p;
	while (!rt__script_at_line_end(s)) {
		rt_pos at = p->tok.pos;
		int i = rt__parser_take_table_option(p, !set);
		if (i < 0)
			break;
		if (*options & rt__table_option_bit((size_t)i))
			return rt__parser_fail_at(p, at, set ? "a table option is said twice"
							     : "a table option is cleared twice");
		*options |= rt__table_option_bit((size_t)i);
	}
	return 0;
}

/* The table options, collation and partitioning after a table's name, in
 * any order, into header. */
static int table_header(rt_script *s, rt_ast_decl *header)
{
	for (;;) {
		if (rt__script_table_options(s, &header->options, true) < 0)
			return -1;
		int collate = rt__script_at_line_end(s) ? 0 : rt__parser_table_collate(&s->p, header);
		if (collate < 0)
			return -1;
		int partition = rt__script_at_line_end(s) ? 0 : rt__parser_partition(&s->p, header);
		if (partition < 0)
			return -1;
		if (!collate && !partition)
			return 0;
	}
}

/* create table t [options] [collate NAME] [partitioning] { ... }
 * create table t [options] partition of p ... [{ ... }]
 * drop table t [[options] [collate NAME] [partitioning] { ... }] */
static int op_table(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	rt_ast_name name = {0}, schema = {0};
	const char *what = op->kind == RT_OP_CREATE_TABLE ? "a table name after 'create table'"
							 : "a table name after 'drop table'";
	if (rt__parser_take_qualified_name(p, &schema, &name, what) < 0)
		return -1;
	op->table = schema.text ? rt__arena_printf(s->keep, "%s.%s", schema.text, name.text)
				: rt__script_keep(s, name.text);
	if (!op->table) {
		s->diags->nomem = true;
		return -1;
	}
	if (op->kind == RT_OP_DROP_TABLE && rt__script_at_line_end(s))
		return 0;
	rt_ast_decl header = {.kind = RT_AST_TABLE};
	if (table_header(s, &header) < 0)
		return -1;
	bool partition = header.partition.of.text != NULL;
	if (!at_brace(s) && !(partition && rt__script_at_line_end(s)))
		return rt__parser_expected(p, partition ? "'{' and the partition's own constraints, "
							  "or the end of the line"
						: op->kind == RT_OP_CREATE_TABLE || header.options ||
								  header.collation.text ||
								  header.partition.method.text
							? "'{' and the table's columns"
							: "'{' and the table's definition, or the "
							  "end of the line");
	return table_body(s, op, &name, &schema, &header);
}

/* rename table a to b | rename column t.c to d */
static int op_rename(rt_script *s, rt_op *op)
{
	rt_pos column_pos;
	bool table = op->kind == RT_OP_RENAME_TABLE;
	if (table ? rt__script_take_table_name(s, &op->table, "a table name after 'rename table'")
		  : rt__script_take_column_ref(s, op, &column_pos))
		return -1;
	rt_pos pos;
	if (rt__parser_take_word(&s->p, "to") < 0 ||
	    rt__script_take_sql_name(s, &op->new_name, &pos,
			  table ? "the table's new name after 'to'"
				: "the column's new name after 'to'") < 0)
		return -1;
	return rt__script_check_length(s, pos, table ? "table name" : "column name", op->new_name);
}

/* --- columns --------------------------------------------------------------------------------- */

/* add column t.c <column> | drop column t.c [<column>] */
static int op_column(rt_script *s, rt_op *op)
{
	rt_pos column_pos;
	if (rt__script_take_column_ref(s, op, &column_pos) < 0)
		return -1;
	if (op->kind == RT_OP_DROP_COLUMN && rt__script_at_line_end(s))
		return 0;
	return column_def(s, op, column_pos);
}

/* --- enums --------------------------------------------------------------------------------- */

/* { a, b } after an enum's name: validated as the schema language's enum,
 * into the scratch schema. */
static int enum_values(rt_script *s, rt_op *op, const rt_ast_name *schema,
		       const rt_ast_name *name)
{
	rt_parser *p = &s->p;
	rt_ast_decl *decl = rt__script_new_decl(s, RT_AST_ENUM, op->pos);
	if (!decl)
		return -1;
	decl->name = *name;
	decl->schema = *schema;
	size_t errors = s->diags->count;
	p->in_member = false;
	int rc = rt__parser_enum_body(p, decl);
	p->in_member = true;
	if (rc < 0)
		return -1;
	rt_schema *scratch = s->m->scratch;
	size_t before = scratch->enum_count;
	if (s->diags->count == errors)
		rt__script_build(s, scratch, decl);
	if (scratch->enum_count > before)
		op->enum_def = scratch->enums[scratch->enum_count - 1];
	return 0;
}

/* E or schema.E: the enum's name is its own (the C type's), whatever its
 * schema. */
static int take_enum_name(rt_script *s, rt_op *op, rt_ast_name *schema, rt_ast_name *name,
			  const char *what)
{
	if (rt__parser_take_enum_name(&s->p, schema, name, what) < 0)
		return -1;
	return (op->name = rt__script_keep(s, name->text)) ? 0 : -1;
}

/* create enum E { a, b } */
static int op_create_enum(rt_script *s, rt_op *op)
{
	rt_ast_name schema = {0}, name = {0};
	if (take_enum_name(s, op, &schema, &name, "an enum name after 'create enum'") < 0)
		return -1;
	if (!at_brace(s))
		return rt__parser_expected(&s->p, "'{' and the enum's values");
	if (enum_values(s, op, &schema, &name) < 0)
		return -1;
	if (op->enum_def && rt__map_put(&s->enums, op->enum_def->name, op->enum_def) < 0)
		s->diags->nomem = true;
	return 0;
}

/* drop enum E [{ a, b }] */
static int op_drop_enum(rt_script *s, rt_op *op)
{
	rt_ast_name schema = {0}, name = {0};
	if (take_enum_name(s, op, &schema, &name, "an enum name after 'drop enum'") < 0)
		return -1;
	int rc = 0;
	if (at_brace(s)) {
		rc = enum_values(s, op, &schema, &name);
	} else if (rt__script_at_line_end(s)) {
		const char *sql_name = rt__name_snake_case(s->tmp, op->name);
		if (!sql_name ||
		    !(op->enum_def = rt__schema_add_enum(s->m->scratch, op->name, sql_name)) ||
		    rt__enum_set_schema(s->m->scratch, op->enum_def, schema.text) < 0) {
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

/* The block's view of enum e after value joins it (add) or leaves it. */
static void track_value(rt_script *s, const rt_enum *e, const char *value, bool add)
{
	rt_enum *changed = rt__arena_alloc(s->tmp, sizeof(*changed));
	const char **values = rt__arena_alloc(s->tmp, (e->value_count + 1) * sizeof(*values));
	if (!changed || !values) {
		s->diags->nomem = true;
		return;
	}
	*changed = *e;
	size_t count = 0;
	for (size_t i = 0; i < e->value_count; i++)
		if (add || strcmp(e->values[i], value) != 0)
			values[count++] = e->values[i];
	if (add)
		values[count++] = value;
	changed->values = values;
	changed->value_count = changed->value_cap = count;
	if (rt__map_put(&s->enums, e->name, changed) < 0)
		s->diags->nomem = true;
}

/* alter enum E add value 'x' | alter enum E drop value 'x' */
static int op_alter_enum(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	rt_ast_name schema = {0}, name = {0}, value = {0};
	if (take_enum_name(s, op, &schema, &name, "an enum name after 'alter enum'") < 0)
		return -1;
	bool add = rt__parser_is_word(&p->tok, "add");
	if (!add && rt__parser_is_word(&p->tok, "drop") && rt__parser_same_line(&p->tok)) {
		op->kind = RT_OP_ALTER_ENUM_DROP;
		rt__parser_advance(p);
	} else if (rt__parser_take_word(p, "add") < 0) {
		return -1;
	}
	if (rt__parser_take_word(p, "value") < 0)
		return -1;
	const char *what = add ? "the new value" : "the value to drop";
	const char *quoted = add ? "the new value in quotes" : "the value to drop in quotes";
	int rc = p->tok.kind == RT_TOK_IDENT && rt__parser_same_line(&p->tok)
			 ? rt__parser_take_name(p, &value, what)
			 : rt__parser_take_string(p, &value, quoted);
	if (rc < 0)
		return -1;
	if (!*value.text)
		return rt__parser_fail_at(p, value.pos, add ? "the new value is empty"
							    : "the value to drop is empty");
	if (rt__script_check_length(s, value.pos, "enum value", value.text) < 0 ||
	    !(op->value = rt__script_keep(s, value.text)))
		return -1;
	const rt_enum *e = rt__map_get(&s->enums, op->name);
	if (!e)
		return 0;
	bool has = false;
	for (size_t i = 0; i < e->value_count && !has; i++)
		has = strcmp(e->values[i], op->value) == 0;
	if (add && has) {
		rt__diag_error(s->diags, value.pos, "enum %s already has the value '%s'",
			       e->name, op->value);
		return -1;
	}
	if (!add && !has) {
		rt__diag_error(s->diags, value.pos, "enum %s has no value '%s'", e->name,
			       op->value);
		return -1;
	}
	track_value(s, e, op->value, add);
	return 0;
}

/* --- schemas -------------------------------------------------------------------------------- */

/* create schema s | drop schema s */
static int op_schema(rt_script *s, rt_op *op)
{
	rt_pos pos;
	if (rt__script_take_sql_name(s, &op->name, &pos, "a schema name") < 0)
		return -1;
	return op->kind == RT_OP_CREATE_SCHEMA ? rt__script_check_length(s, pos, "schema name",
									  op->name)
					       : 0;
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
	CASE("alter", "column", RT_OP_ALTER_COLUMN, rt__script_op_alter_column)
	CASE("alter", "table", RT_OP_ALTER_TABLE, rt__script_op_alter_table)
	CASE("create", "enum", RT_OP_CREATE_ENUM, op_create_enum)
	CASE("drop", "enum", RT_OP_DROP_ENUM, op_drop_enum)
	CASE("alter", "enum", RT_OP_ALTER_ENUM_ADD, op_alter_enum)
	CASE("create", "schema", RT_OP_CREATE_SCHEMA, op_schema)
	CASE("drop", "schema", RT_OP_DROP_SCHEMA, op_schema)
	*skip_second = false;
	CASE("create", "index", RT_OP_CREATE_INDEX, rt__script_create_index)
	CASE("create", "unique", RT_OP_CREATE_INDEX, rt__script_create_index)
	CASE("drop", "index", RT_OP_DROP_INDEX, rt__script_drop_index)
	CASE("drop", "unique", RT_OP_DROP_INDEX, rt__script_drop_index)
	CASE("drop", "constraint", RT_OP_DROP_CONSTRAINT, rt__script_drop_constraint)
	CASE("add", "unique", RT_OP_ADD_CONSTRAINT, rt__script_add_constraint)
	CASE("add", "primary", RT_OP_ADD_CONSTRAINT, rt__script_add_constraint)
	CASE("add", "foreign", RT_OP_ADD_CONSTRAINT, rt__script_add_constraint)
	CASE("add", "check", RT_OP_ADD_CONSTRAINT, rt__script_add_constraint)
	CASE("insert", "into", RT_OP_INSERT, rt__script_insert)
	static const char *const object_words[] = {"view",   "materialized", "function",
						   "trigger", "domain",     "sequence",
						   "aggregate", "procedure"};
	for (size_t i = 0; i < RT_COUNT(object_words); i++) {
		CASE("create", object_words[i], RT_OP_CREATE_OBJECT, rt__script_sql_object)
		CASE("replace", object_words[i], RT_OP_REPLACE_OBJECT, rt__script_sql_object)
		CASE("drop", object_words[i], RT_OP_DROP_OBJECT, rt__script_sql_object)
		CASE("rename", object_words[i], RT_OP_RENAME_OBJECT, rt__script_sql_object)
	}
#undef CASE
	return false;
}

/* What may follow an operation's first word, for the message. */
static const char *after_first(const char *first)
{
	if (rt__parser_same_word(first, "create"))
		return "'table', 'index', 'unique index', 'enum', 'view', 'materialized view', "
		       "'function', 'trigger', 'domain', 'sequence', 'aggregate', 'procedure' or "
		       "'schema' after 'create'";
	if (rt__parser_same_word(first, "drop"))
		return "'table', 'column', 'index', 'unique index', 'constraint', 'enum', "
		       "'view', 'materialized view', 'function', 'trigger', 'domain', 'sequence', "
		       "'aggregate', 'procedure' or 'schema' after 'drop'";
	if (rt__parser_same_word(first, "replace"))
		return "'view', 'materialized view', 'function', 'trigger', 'domain', 'sequence', "
		       "'aggregate' or 'procedure' after 'replace'";
	if (rt__parser_same_word(first, "rename"))
		return "'table', 'column', 'view', 'materialized view', 'function', 'trigger', "
		       "'domain', 'sequence', 'aggregate' or 'procedure' after 'rename'";
	if (rt__parser_same_word(first, "add"))
		return "'column', 'unique', 'primary key', 'foreign key' or 'check' after "
		       "'add'";
	if (rt__parser_same_word(first, "alter"))
		return "'table', 'column' or 'enum' after 'alter'";
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
						"an operation (create, drop, replace, rename, "
						"add, alter, execute or insert) or '}'",
						"an operation", op_words, RT_COUNT(op_words));
	const char *first = p->tok.value;
	rt_pos pos = p->tok.pos;
	rt__parser_advance(p);
	p->in_member = true;
	rt_op_kind kind = RT_OP_EXECUTE;
	op_reader reader = rt__script_execute;
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
	if (!rt__script_at_line_end(s))
		return rt__parser_expected(p, "the end of the line");
	if (RT_ARENA_PUSH(s->keep, list->items, list->count, list->cap, op) < 0) {
		s->diags->nomem = true;
		return -1;
	}
	return 0;
}
