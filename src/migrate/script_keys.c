/*
 * script_keys.c - the operations of a migration script (script.h) on
 * indexes and constraints: create and drop index; add unique, primary
 * key, foreign key and check; drop constraint with the definition it
 * removes. script_ops.c reads the first words and hands over.
 *
 * These definitions name columns the database has, so they are kept as
 * written (each column once), not validated against a table.
 */
#include <string.h>

#include "migrate/script_impl.h"

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
	*unique = rt__script_is_word(s, "unique");
	if (*unique)
		rt__parser_advance(p);
	if (rt__parser_take_word(p, "index") < 0)
		return -1;
	return rt__script_take_sql_name(s, &op->name, name_pos, "an index name");
}

/* [using M] (key, ...) [include (a, b)] [where '...'], as the schema
 * language writes it (parser_index.c), kept in the migration; a column
 * once among the keys and once among the INCLUDE columns. */
static int take_index_body(rt_script *s, rt_index *index)
{
	rt_ast_index ast = {0};
	if (rt__parser_index(&s->p, &ast) < 0)
		return -1;
	index->key_count = ast.key_count;
	index->keys = rt__arena_alloc(s->keep, ast.key_count * sizeof(*index->keys));
	if (!index->keys) {
		s->diags->nomem = true;
		return -1;
	}
	for (size_t i = 0; i < ast.key_count; i++) {
		const rt_ast_index_key *key = &ast.keys[i];
		for (size_t j = 0; j < i && !key->expr; j++)
			if (!ast.keys[j].expr && strcmp(ast.keys[j].text.text, key->text.text) == 0) {
				rt__diag_error(s->diags, key->text.pos,
					       "column '%s' is listed twice", key->text.text);
				return -1;
			}
		const char *text = rt__script_keep(s, key->text.text);
		if (!text)
			return -1;
		index->keys[i] = (rt_index_key){.column = key->expr ? NULL : text,
						.expr = key->expr ? text : NULL,
						.desc = key->desc};
	}
	index->include_count = ast.include.count;
	index->include = rt__arena_alloc(s->keep, ast.include.count * sizeof(*index->include));
	if (ast.include.count && !index->include) {
		s->diags->nomem = true;
		return -1;
	}
	for (size_t i = 0; i < ast.include.count; i++) {
		for (size_t j = 0; j < i; j++)
			if (strcmp(ast.include.items[j].text, ast.include.items[i].text) == 0) {
				rt__diag_error(s->diags, ast.include.items[i].pos,
					       "column '%s' is listed twice",
					       ast.include.items[i].text);
				return -1;
			}
		if (!(index->include[i] = rt__script_keep(s, ast.include.items[i].text)))
			return -1;
	}
	if ((ast.method.text && !(index->method = rt__script_keep(s, ast.method.text))) ||
	    (ast.where.text && !(index->where = rt__script_keep(s, ast.where.text))))
		return -1;
	return 0;
}

/* create [unique] index n on t [using M] (keys) [include (a, b)] [where '...'] */
int rt__script_create_index(rt_script *s, rt_op *op)
{
	bool unique;
	rt_pos name_pos;
	if (index_head(s, op, &unique, &name_pos) < 0 || rt__script_take_on_table(s, op) < 0)
		return -1;
	rt_index *index = new_index(s, op->name, unique, name_pos);
	if (!index || take_index_body(s, index) < 0)
		return -1;
	op->index = index;
	return rt__script_check_length(s, name_pos, "index name", op->name);
}

/* drop [unique] index n [on t [the definition, as create index has it]] */
int rt__script_drop_index(rt_script *s, rt_op *op)
{
	bool unique;
	rt_pos name_pos;
	if (index_head(s, op, &unique, &name_pos) < 0)
		return -1;
	rt_index *index = new_index(s, op->name, unique, name_pos);
	if (!index)
		return -1;
	op->index = index;
	if (rt__script_at_line_end(s))
		return 0;
	if (!rt__script_is_word(s, "on"))
		return rt__parser_expected(&s->p, "'on' and the table, or the end of the line");
	if (rt__script_take_on_table(s, op) < 0)
		return -1;
	if (rt__script_at_line_end(s))
		return 0;
	return take_index_body(s, index);
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
	if (!rt__script_is_word(s, "references"))
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
	c->deferrable = ref.deferrable;
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
	if (rt__script_take_columns(s, &c->columns, &c->column_count, what) < 0)
		return -1;
	return c->kind == RT_CONSTRAINT_FOREIGN_KEY ? constraint_references(s, c) : 0;
}

/* The kind's keywords at the current token: unique | primary key |
 * foreign key | check. Returns -1 (reported) on anything else. */
static int constraint_kind(rt_script *s, rt_constraint_kind *kind, const char *what)
{
	static const char *const words[] = {"unique", "primary", "foreign", "check"};
	rt_parser *p = &s->p;
	if (rt__script_is_word(s, "unique") || rt__script_is_word(s, "check")) {
		*kind = p->tok.value[0] == 'u' ? RT_CONSTRAINT_UNIQUE : RT_CONSTRAINT_CHECK;
		rt__parser_advance(p);
		return 0;
	}
	if (rt__script_is_word(s, "primary") || rt__script_is_word(s, "foreign")) {
		*kind = p->tok.value[0] == 'p' ? RT_CONSTRAINT_PRIMARY_KEY
					       : RT_CONSTRAINT_FOREIGN_KEY;
		rt__parser_advance(p);
		return rt__parser_take_word(p, "key");
	}
	return rt__parser_expected_word(p, what, "a constraint kind", words, RT_COUNT(words));
}

/* add unique|primary key|foreign key|check n on t <body> */
int rt__script_add_constraint(rt_script *s, rt_op *op)
{
	rt_constraint_kind kind;
	rt_pos name_pos;
	if (constraint_kind(s, &kind, "unique, primary key, foreign key or check") < 0 ||
	    rt__script_take_sql_name(s, &op->name, &name_pos, "a constraint name") < 0 ||
	    rt__script_take_on_table(s, op) < 0)
		return -1;
	rt_constraint *c = new_constraint(s, kind, op->name, name_pos);
	if (!c || constraint_body(s, c) < 0)
		return -1;
	op->constraint = c;
	return rt__script_check_length(s, name_pos, "constraint name", op->name);
}

/* drop constraint n on t [unique (a) | primary key (a) | foreign key (a)
 * references r(x) ... | check '<expr>'] */
int rt__script_drop_constraint(rt_script *s, rt_op *op)
{
	rt_pos name_pos;
	rt__parser_advance(&s->p); /* constraint */
	if (rt__script_take_sql_name(s, &op->name, &name_pos, "a constraint name") < 0 ||
	    rt__script_take_on_table(s, op) < 0)
		return -1;
	if (rt__script_at_line_end(s))
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
