/*
 * parser_index.c - what an index says after its name, in a model or table
 * body and in a migration script's `create index`:
 *
 *   [using <method>] (<key> [asc|desc], ...) [include (<column>, ...)]
 *   [where '<predicate>']
 *
 * A key is a column, a function call kept verbatim (lower(email)) or any
 * other SQL expression in parentheses ((price * quantity)). The language
 * does not read an expression: the lexer hands its text over whole
 * (rt__lexer_sql_group), so operators the language has no tokens for
 * (+, ::, ->>) may stand in it.
 */
#include "schema/parser_impl.h"

/* The methods the language knows by name; `btree` is the default, the
 * same as writing none. Which backend has which is the DDL's to check
 * (sql/ddl_check.c), so the same models read everywhere. */
static const char *const methods[] = {"btree",  "hash",     "gist",   "gin",
				      "brin",   "spgist",   "fulltext", "spatial"};

bool rt__parser_at_index_using(rt_parser *p)
{
	if (!rt__parser_is_word(&p->tok, "using") || !rt__parser_same_line(&p->tok))
		return false;
	const rt_token *next = rt__parser_peek(p, 1);
	return next->kind == RT_TOK_IDENT && rt__parser_same_line(next);
}

static int take_method(rt_parser *p, rt_ast_index *index)
{
	rt__parser_advance(p); /* using */
	if (!rt__parser_in_list(p->tok.value, methods, RT_COUNT(methods)))
		return rt__parser_expected_word(
			p, "an index method (btree, hash, gist, gin, brin, spgist, fulltext "
			   "or spatial)", "an index method", methods, RT_COUNT(methods));
	if (strcmp(p->tok.value, "btree") != 0) {
		index->method.text = p->tok.value;
		index->method.pos = p->tok.pos;
	}
	rt__parser_advance(p);
	return 0;
}

/* An expression key at the current token: '(' expression ')' or
 * name '(' ... ')'. The lexer stands just after that '(' (the current
 * token, or the one peeked after the name), which rt__lexer_sql_group
 * reads on from. */
static int take_expression(rt_parser *p, rt_ast_index_key *key)
{
	bool call = p->tok.kind == RT_TOK_IDENT;
	if (p->ahead_count != (call ? 1 : 0))
		return rt__parser_expected(p, "an index key"); /* cannot happen */
	const char *from = call ? p->tok.start : p->tok.start + 1;
	key->expr = true;
	key->text.pos = p->tok.pos;
	const char *close = rt__lexer_sql_group(&p->lex);
	p->ahead_count = 0;
	if (!close) {
		rt__parser_advance(p);
		return -1;
	}
	const char *to = call ? close + 1 : close;
	while (from < to && (*from == ' ' || *from == '\t'))
		from++;
	while (to > from && (to[-1] == ' ' || to[-1] == '\t' || to[-1] == '\r'))
		to--;
	if (from == to)
		return rt__parser_fail_at(p, key->text.pos,
					  "expected an expression inside '( )', found nothing");
	if (!(key->text.text = rt__arena_strndup(p->ctx->arena, from, (size_t)(to - from)))) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	/* The tokens the lexer read past stand after the ')'. */
	p->tok.end.col += (int)(close + 1 - (p->tok.start + p->tok.len));
	rt__parser_advance(p);
	return 0;
}

static int take_key(rt_parser *p, rt_ast_index *index)
{
	rt_ast_index_key key = {0};
	int rc;
	if (p->tok.kind == RT_TOK_LPAREN && rt__parser_same_line(&p->tok)) {
		rc = take_expression(p, &key);
	} else if (p->tok.kind == RT_TOK_IDENT && rt__parser_same_line(&p->tok) &&
		   rt__parser_peek(p, 1)->kind == RT_TOK_LPAREN &&
		   rt__parser_same_line(rt__parser_peek(p, 1))) {
		rc = take_expression(p, &key);
	} else {
		rc = rt__parser_take_sql_name(p, &key.text,
					      "a column name, a function call or an "
					      "(expression)");
	}
	if (rc < 0)
		return -1;
	if ((rt__parser_is_word(&p->tok, "desc") || rt__parser_is_word(&p->tok, "asc")) &&
	    rt__parser_same_line(&p->tok)) {
		key.desc = p->tok.value[0] == 'd';
		rt__parser_advance(p);
	}
	if (rt__arena_reserve(p->ctx->arena, (void **)&index->keys, &index->key_cap,
			      index->key_count + 1, sizeof(*index->keys)) < 0) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	index->keys[index->key_count++] = key;
	return 0;
}

int rt__parser_index(rt_parser *p, rt_ast_index *index)
{
	if (rt__parser_at_index_using(p) && take_method(p, index) < 0)
		return -1;
	if (rt__parser_take(p, RT_TOK_LPAREN, "'(' and the indexed columns") < 0)
		return -1;
	for (;;) {
		if (take_key(p, index) < 0)
			return -1;
		if (p->tok.kind == RT_TOK_COMMA && rt__parser_same_line(&p->tok)) {
			rt__parser_advance(p);
			continue;
		}
		if (rt__parser_take(p, RT_TOK_RPAREN, "',' or ')'") < 0)
			return -1;
		break;
	}
	if (rt__parser_is_word(&p->tok, "include") && rt__parser_same_line(&p->tok)) {
		rt__parser_advance(p);
		if (rt__parser_name_list(p, &index->include, "included columns") < 0)
			return -1;
	}
	if (rt__parser_is_word(&p->tok, "where") && rt__parser_same_line(&p->tok)) {
		rt__parser_advance(p);
		if (rt__parser_take_string(p, &index->where,
					   "the predicate of a partial index, a SQL "
					   "expression in quotes") < 0)
			return -1;
	}
	return 0;
}
