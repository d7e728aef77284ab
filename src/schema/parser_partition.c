/*
 * parser_partition.c - the words of declarative partitioning after a
 * table's name (parser_impl.h), read the same way by a schema file's
 * declarations (parser.c) and by a migration script's `create table` /
 * `drop table` (src/migrate/script_ops.c):
 *
 *   partition by range|list|hash (key, ...)   the table is partitioned; a
 *                                              key is a column's name, or
 *                                              an expression in quotes
 *   partition of t for values '<bound>'        the table is a partition of
 *   partition of t default                     t, for the bound written
 *                                              (the text after FOR VALUES)
 *                                              or the rows no other admits
 *
 * Whether the words fit together (a model as a partition, keys that are
 * no columns, a parent that is not partitioned) is validation's question
 * (validate_part.c): here only their shape.
 */
#include "schema/parser_impl.h"

static const char *const methods[] = {"range", "list", "hash"};

/* Is the token the word on the line being read? Across lines when the
 * parser reads a declaration's header, which may be spread out. */
static bool at_word(rt_parser *p, const char *word)
{
	return rt__parser_is_word(&p->tok, word) && !(p->in_member && p->tok.line_start);
}

static int push_key(rt_parser *p, rt_ast_partitioning *part, const rt_ast_partition_key *key)
{
	if (rt__arena_reserve(p->ctx->arena, (void **)&part->keys, &part->key_cap,
			      part->key_count + 1, sizeof(*part->keys)) < 0) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	part->keys[part->key_count++] = *key;
	return 0;
}

/* (key, ...): a column's name, or an expression as a string. */
static int key_list(rt_parser *p, rt_ast_partitioning *part)
{
	if (rt__parser_take(p, RT_TOK_LPAREN, "'(' and the partition key (columns, or "
					      "expressions in quotes)") < 0)
		return -1;
	for (;;) {
		rt_ast_partition_key key = {{0}, false};
		if (p->tok.kind == RT_TOK_STRING && !(p->in_member && p->tok.line_start)) {
			key.expression = true;
			if (rt__parser_take_string(p, &key.text, "an expression") < 0)
				return -1;
			if (!*key.text.text)
				return rt__parser_fail_at(p, key.text.pos,
							  "the partition key's expression is empty");
		} else if (rt__parser_take_sql_name(p, &key.text, "a column name, or an "
								   "expression in quotes") < 0) {
			return -1;
		}
		if (push_key(p, part, &key) < 0)
			return -1;
		if (p->tok.kind == RT_TOK_COMMA && !(p->in_member && p->tok.line_start)) {
			rt__parser_advance(p);
			continue;
		}
		return rt__parser_take(p, RT_TOK_RPAREN, "',' or ')'");
	}
}

/* partition by <method> (keys), after `partition by`. */
static int partition_by(rt_parser *p, rt_ast_partitioning *part)
{
	if (!at_word(p, "range") && !at_word(p, "list") && !at_word(p, "hash"))
		return rt__parser_expected_word(p, "a partitioning method (range, list or hash) "
						   "after 'partition by'",
						"a partitioning method", methods,
						RT_COUNT(methods));
	part->method = (rt_ast_name){p->tok.value, p->tok.pos};
	rt__parser_advance(p);
	return key_list(p, part);
}

/* partition of t (for values '...' | default), after `partition of`. */
static int partition_of(rt_parser *p, rt_ast_partitioning *part)
{
	if (rt__parser_take_table_name(p, &part->of, "the partitioned table's name after "
						   "'partition of'") < 0)
		return -1;
	if (at_word(p, "default")) {
		part->is_default = p->tok.pos;
		rt__parser_advance(p);
		return 0;
	}
	if (!at_word(p, "for"))
		return rt__parser_expected(p, "'for values' and the partition's bound, or "
					      "'default'");
	rt__parser_advance(p);
	if (rt__parser_take_word(p, "values") < 0)
		return -1;
	if (rt__parser_take_string(p, &part->bound, "the partition's bound in quotes, as "
						    "PostgreSQL writes it after FOR VALUES "
						    "('FROM (1) TO (10)', 'IN (''a'')')") < 0)
		return -1;
	if (!*part->bound.text)
		return rt__parser_fail_at(p, part->bound.pos, "the partition's bound is empty; "
							      "write 'default' for the partition of "
							      "the rows no other one takes");
	return 0;
}

int rt__parser_partition(rt_parser *p, rt_ast_decl *decl)
{
	if (!at_word(p, "partition"))
		return 0;
	rt_pos at = p->tok.pos;
	const rt_token *next = rt__parser_peek(p, 1);
	bool of = rt__parser_is_word(next, "of") && rt__parser_same_line(next);
	bool by = rt__parser_is_word(next, "by") && rt__parser_same_line(next);
	rt__parser_advance(p);
	if (!of && !by)
		return rt__parser_expected(p, "'of' (a partition of a table) or 'by' (a "
					      "partitioned table) after 'partition'");
	rt__parser_advance(p);
	rt_ast_partitioning *part = &decl->partition;
	if (of ? part->of.text != NULL : part->method.text != NULL)
		return rt__parser_fail_at(p, at, of ? "'partition of' is said twice"
						    : "'partition by' is said twice");
	int rc = of ? partition_of(p, part) : partition_by(p, part);
	return rc < 0 ? -1 : 1;
}
