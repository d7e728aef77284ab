/*
 * script_data.c - the operations of a migration script (script.h) that
 * touch data, not the schema: `execute` (SQL as written, for one backend
 * or all) and `insert` (seed rows, kept as values for binding).
 */
#include <stdio.h>
#include <string.h>

#include "dialect/registry.h"
#include "migrate/script_impl.h"

/* execute '<sql>' [only <backend>]. Any backend retort knows is accepted,
 * compiled into this build or not: a script written for several backends
 * must still parse where one of them is left out (the runner skips its
 * statements there, as it does those of any other backend). */
int rt__script_execute(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	rt_ast_name sql = {0};
	if (rt__parser_take_string(p, &sql, "the SQL in quotes (or a $$ block) after 'execute'") < 0)
		return -1;
	if (!*sql.text)
		return rt__parser_fail_at(p, sql.pos, "the SQL after 'execute' is empty");
	if (!(op->sql = rt__script_keep(s, sql.text)))
		return -1;
	if (rt__script_at_line_end(s))
		return 0;
	if (!rt__script_is_word(s, "only"))
		return rt__parser_expected(p, "'only' and a dialect, or the end of the line");
	rt__parser_advance(p);
	const char *names[16];
	size_t count = rt__backend_names(names, RT_COUNT(names), RT_BACKENDS_KNOWN);
	if (count > RT_COUNT(names))
		count = RT_COUNT(names);
	for (size_t i = 0; i < count; i++) {
		if (rt__script_is_word(s, names[i])) {
			op->only_dialect = names[i];
			rt__parser_advance(p);
			return 0;
		}
	}
	char list[256], what[300];
	rt__backend_list(list, sizeof(list), RT_BACKENDS_KNOWN, ", ", " or ");
	snprintf(what, sizeof(what), "a dialect (%s) after 'only'", list);
	return rt__parser_expected_word(p, what, "a dialect", names, count);
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
int rt__script_insert(rt_script *s, rt_op *op)
{
	rt_parser *p = &s->p;
	rt__parser_advance(p); /* into */
	if (rt__script_take_table_name(s, &op->table, "a table name after 'insert into'") < 0 ||
	    rt__script_take_columns(s, &op->columns, &op->column_count, "columns to fill") < 0 ||
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
