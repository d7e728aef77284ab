/*
 * parser.c - recursive-descent parser of the schema language (parser.h):
 * tokens, declarations and includes (its small pieces and errors:
 * parser_pieces.c). Members (columns,
 * relationships, table-level constraints) are read by parser_members.c.
 *
 * Declarations are free-form; inside a body, each member is one line (a
 * `$$` block may carry it over several): a member ends at the first token
 * that starts a new line, or at the closing brace. That is what lets
 * keywords double as names (`comment text?` is a column, `comment '...'` the
 * table's comment) and what the parser recovers at after an error: it skips
 * to the next line and carries on, so one run reports many errors.
 *
 * Functions that parse something return 0, or -1 after reporting an error
 * (or when the lexer already reported one), leaving recovery to the loop
 * that called them.
 */
#include <string.h>

#include "base/buf.h"
#include "schema/naming.h"
#include "schema/parser_impl.h"

#define MAX_INCLUDE_DEPTH 64

/* --- tokens ---------------------------------------------------------------- */

void rt__parser_advance(rt_parser *p)
{
	p->prev_end = p->tok.end;
	if (p->ahead_count > 0) {
		p->tok = p->ahead[0];
		p->ahead_count--;
		memmove(&p->ahead[0], &p->ahead[1], (size_t)p->ahead_count * sizeof(p->ahead[0]));
	} else {
		rt__lexer_next(&p->lex, &p->tok);
	}
}

const rt_token *rt__parser_peek(rt_parser *p, int n)
{
	/* Token 0 is the current one. Never further than the parser looks
	 * (a caller's mistake): the furthest token it keeps stands in. */
	if (n <= 0)
		return &p->tok;
	if (n > RT_PARSER_LOOKAHEAD)
		n = RT_PARSER_LOOKAHEAD;
	while (p->ahead_count < n)
		rt__lexer_next(&p->lex, &p->ahead[p->ahead_count++]);
	return &p->ahead[n - 1];
}

/* Has the error limit been reached? Stopping with text left unread means
 * the list may be missing errors, which the rendering then says. */
static bool stopped(rt_parser *p)
{
	if (!rt__diag_full(p->ctx->diags))
		return false;
	if (p->tok.kind != RT_TOK_EOF)
		p->ctx->diags->truncated = true;
	return true;
}

void *rt__parser_alloc(rt_parser *p, size_t size)
{
	void *mem = rt__arena_alloc(p->ctx->arena, size);
	if (!mem)
		p->ctx->diags->nomem = true;
	return mem;
}

/* `view v $$`, `function f(` or `function f $$`, `trigger t on`,
 * `materialized view v` (and domain, sequence, aggregate, procedure): a
 * SQL object's declaration, not a member named view, function or
 * trigger. */
/* The tokens after a name that begins at token at, SCHEMA.NAME counted as
 * one name: where the rest of its declaration starts. */
static int after_name(rt_parser *p, int at)
{
	const rt_token *dot = rt__parser_peek(p, at + 1);
	return dot->kind == RT_TOK_DOT && rt__parser_same_line(dot) ? at + 3 : at + 1;
}

static bool looks_like_sql_object(rt_parser *p, rt_sql_kind kind)
{
	int next = after_name(p, 1);
	const rt_token *t1 = rt__parser_peek(p, 1), *t2 = rt__parser_peek(p, next);
	if (!rt__parser_same_line(t1) || !rt__parser_same_line(t2))
		return false;
	bool raw = t2->kind == RT_TOK_STRING && t2->raw;
	switch (kind) {
	case RT_SQL_DOMAIN:
	case RT_SQL_SEQUENCE:
	case RT_SQL_VIEW: return rt__parser_is_sql_name(t1) && raw;
	case RT_SQL_MATERIALIZED_VIEW: return rt__parser_is_sql_name(t2);
	case RT_SQL_FUNCTION:
	case RT_SQL_AGGREGATE:
	case RT_SQL_PROCEDURE:
		return rt__parser_is_sql_name(t1) && (raw || t2->kind == RT_TOK_LPAREN);
	case RT_SQL_TRIGGER: return rt__parser_is_sql_name(t1) && rt__parser_is_word(t2, "on");
	case RT_SQL_KIND_COUNT: break;
	}
	return false;
}

/* A line that starts another declaration, seen inside a body: the body
 * lacks its closing brace. (A migration script asks its own question:
 * does the line start another operation?) */
static bool looks_like_declaration(rt_parser *p)
{
	if (p->ends_body)
		return p->ends_body(p);
	if (p->tok.kind != RT_TOK_IDENT || !p->tok.line_start)
		return false;
	const char *w = p->tok.value;
	const rt_token *t1 = rt__parser_peek(p, 1);
	rt_sql_kind kind;
	int words;
	if (rt__parser_at_sql_kind(p, &kind, &words))
		return looks_like_sql_object(p, kind);
	if (strcmp(w, "include") == 0)
		return t1->kind == RT_TOK_STRING && rt__parser_same_line(t1);
	if (strcmp(w, "model") != 0 && strcmp(w, "mixin") != 0 &&
	    strcmp(w, "enum") != 0 && strcmp(w, "table") != 0)
		return false;
	const rt_token *t2 = rt__parser_peek(p, strcmp(w, "enum") == 0 ? after_name(p, 1) : 2);
	if (!rt__parser_is_sql_name(t1) || !rt__parser_same_line(t1) ||
	    !rt__parser_same_line(t2))
		return false;
	return t2->kind == RT_TOK_LBRACE || rt__parser_is_word(t2, "partition") ||
	       (strcmp(w, "model") == 0 &&
		(rt__parser_is_word(t2, "uses") || rt__parser_is_word(t2, "view") ||
		 rt__parser_is_word(t2, "extends") || rt__parser_is_word(t2, "identity")));
}

/* Skips the rest of a member after an error. */
static void skip_member(rt_parser *p)
{
	while (!rt__parser_at_member_end(p))
		rt__parser_advance(p);
}

/* { member* } - the opening brace is the current token. */
int rt__parser_body(rt_parser *p, rt_ast_decl *decl, const char *what)
{
	int open_line = p->tok.pos.line;
	rt__parser_advance(p);
	while (!stopped(p)) {
		if (p->tok.kind == RT_TOK_RBRACE) {
			rt__parser_advance(p);
			return 0;
		}
		if (p->tok.kind == RT_TOK_EOF && p->lex.swallowed)
			return -1;
		if (p->tok.kind == RT_TOK_EOF || looks_like_declaration(p)) {
			rt__diag_error(p->ctx->diags,
				       p->tok.kind == RT_TOK_EOF ? p->prev_end
								 : p->tok.pos,
				       "expected '}' to close %s %s (opened on line %d), "
				       "found %s",
				       what, decl->name.text ? decl->name.text : "",
				       open_line, rt__parser_describe(p));
			return -1;
		}
		const char *start = p->tok.start;
		p->in_member = true;
		if (rt__parser_member(p, decl) < 0) {
			if (p->tok.start == start)
				rt__parser_advance(p); /* the first token was at fault */
			skip_member(p);
		}
		p->in_member = false;
	}
	return -1;
}

/* --- declarations -------------------------------------------------------- */

static const char *const decl_words[] = {"model",     "table",     "mixin",    "enum",
					 "include",   "view",      "function", "trigger",
					 "materialized", "domain", "sequence", "aggregate",
					 "procedure"};

static rt_ast_decl *new_decl(rt_parser *p, rt_ast_decl_kind kind)
{
	rt_ast_decl *decl = rt__parser_alloc(p, sizeof(*decl));
	if (!decl)
		return NULL;
	decl->kind = kind;
	decl->pos = p->tok.pos;
	rt_ast *ast = &p->ctx->ast;
	if (rt__arena_reserve(p->ctx->arena, (void **)&ast->decls, &ast->cap,
			      ast->count + 1, sizeof(*ast->decls)) < 0) {
		p->ctx->diags->nomem = true;
		return NULL;
	}
	ast->decls[ast->count++] = decl;
	return decl;
}

/* Model, mixin and enum names are CamelCase: that is how `user User` reads
 * as a relationship and `user_id bigint` as a column. */
void rt__parser_check_type_name(rt_parser *p, const rt_ast_name *name, const char *what)
{
	if (rt__parser_is_upper(name->text[0]))
		return;
	const char *camel = rt__name_camel_case(p->ctx->arena, name->text);
	if (camel && rt__parser_is_upper(camel[0]))
		rt__diag_error(
			p->ctx->diags, name->pos,
			"%s name must start with an upper-case letter: write '%s', "
			"not '%s'",
			what, camel, name->text);
	else
		rt__diag_error(p->ctx->diags, name->pos,
			       "%s name must start with an upper-case letter, found '%s'",
			       what, name->text);
}

/* The name after `model`, `mixin` or `table`: a table's is a SQL name and
 * may be quoted (table "a b"); the others name C types. */
static int parse_declared_name(rt_parser *p, rt_ast_decl *decl)
{
	if (decl->kind == RT_AST_TABLE)
		return rt__parser_take_sql_name(p, &decl->name,
						"a table name after 'table'");
	bool model = decl->kind == RT_AST_MODEL;
	const char *what = model ? "a model name after 'model'" : "a mixin name after 'mixin'";
	if (p->tok.kind == RT_TOK_QUOTED)
		return rt__parser_quoted_c_name(
			p, what,
			model ? "an identifier, the C struct's name; the table's SQL name "
				"goes inside the body as table 'SQL name'"
			      : "an identifier; quoted names are only for SQL names");
	if (rt__parser_take_name(p, &decl->name, what) < 0)
		return -1;
	rt__parser_check_type_name(p, &decl->name, model ? "a model" : "a mixin");
	return 0;
}

/* Are the tokens from the current one on the words of phrase ("without
 * rowid"), all on one line? Returns how many they are, or 0. */
static int at_phrase(rt_parser *p, const char *phrase)
{
	int n = 0;
	const char *at = phrase;
	while (*at) {
		const char *end = strchr(at, ' ');
		size_t len = end ? (size_t)(end - at) : strlen(at);
		const rt_token *t = n ? rt__parser_peek(p, n) : &p->tok;
		if (t->kind != RT_TOK_IDENT || (n && !rt__parser_same_line(t)) ||
		    strlen(t->value) != len || memcmp(t->value, at, len) != 0)
			return 0;
		n++;
		at += len + (end ? 1 : 0);
	}
	return n;
}

int rt__parser_take_table_option(rt_parser *p, bool unset)
{
	for (size_t i = 0; i < RT_TABLE_OPTION_COUNT; i++) {
		int n = at_phrase(p, unset ? rt__table_option_unword(i) : rt__table_option_word(i));
		if (n == 0)
			continue;
		while (n-- > 0)
			rt__parser_advance(p);
		return (int)i;
	}
	return -1;
}

int rt__parser_take_collation(rt_parser *p, rt_ast_name *out, const char *what)
{
	if (rt__parser_take_sql_name(p, out, what) < 0)
		return -1;
	if (!*out->text)
		return rt__parser_fail_at(p, out->pos, "the collation name is empty");
	return 0;
}

int rt__parser_table_collate(rt_parser *p, rt_ast_decl *decl)
{
	if (!rt__parser_is_word(&p->tok, "collate"))
		return 0;
	if (decl->collation.text) {
		rt__diag_error(p->ctx->diags, p->tok.pos, "'collate' is said twice");
		return -1;
	}
	rt__parser_advance(p);
	return rt__parser_take_collation(p, &decl->collation,
					 "the table's collation after 'collate' (utf8mb4_bin: "
					 "the database's own name)") < 0
		       ? -1
		       : 1;
}

/* What may follow a model's or table's name that has not come yet, for
 * the message when something else does: "'uses', 'was', 'strict',
 * 'without rowid', 'partition by' or '{'". */
static const char *header_expected(rt_parser *p, const rt_ast_decl *decl)
{
	const char *items[9 + RT_TABLE_OPTION_COUNT];
	size_t count = 0;
	if (decl->kind == RT_AST_MODEL && !decl->uses.count)
		items[count++] = "uses";
	if (decl->kind == RT_AST_MODEL && !decl->view.text)
		items[count++] = "view";
	if (decl->kind == RT_AST_MODEL && !decl->extends.text)
		items[count++] = "extends";
	if (decl->kind == RT_AST_MODEL && !decl->identity.text)
		items[count++] = "identity";
	if (decl->kind != RT_AST_MIXIN) {
		if (!decl->was.text)
			items[count++] = "was";
		for (size_t i = 0; i < RT_TABLE_OPTION_COUNT; i++)
			if (!(decl->options & rt__table_option_bit(i)))
				items[count++] = rt__table_option_word(i);
		if (!decl->collation.text)
			items[count++] = "collate";
		if (!decl->partition.method.text)
			items[count++] = "partition by";
		if (decl->kind == RT_AST_TABLE && !decl->partition.of.text)
			items[count++] = "partition of";
	}
	items[count++] = "{";
	const char *text = "";
	for (size_t i = 0; text && i < count; i++)
		text = rt__arena_printf(p->ctx->arena, "%s%s'%s'", text,
					i == 0 ? "" : i + 1 == count ? " or " : ", ", items[i]);
	return text ? text : "'{'"; /* out of memory: the short form */
}

/* model Name [uses A, B] [view v] [extends Parent [table t]] [identity 'x'] [was Old]
 *   [strict] [without rowid] [collate NAME] [partition by m (keys)] { ... }
 * table name [was old] [options] [collate NAME] [partition by m (keys)]
 *   [partition of t (for values '...' | default)] [{ ... }]
 * (the body optional for a partition alone) */
static int parse_model(rt_parser *p, rt_ast_decl_kind kind)
{
	const char *what = kind == RT_AST_MODEL ? "model" : kind == RT_AST_MIXIN ? "mixin"
										: "table";
	rt_ast_decl *decl = new_decl(p, kind);
	if (!decl)
		return -1;
	rt__parser_advance(p);
	if (parse_declared_name(p, decl) < 0)
		return -1;
	for (;;) {
		rt_pos at = p->tok.pos;
		int option, partition, collate;
		if (kind == RT_AST_MODEL && rt__parser_is_word(&p->tok, "uses") &&
		    !decl->uses.count) {
			rt__parser_advance(p);
			do {
				if (decl->uses.count)
					rt__parser_advance(p); /* , */
				rt_ast_name mixin = {0};
				if (rt__parser_take_name(p, &mixin, "a mixin name") < 0 ||
				    rt__parser_push_name(p, &decl->uses, &mixin) < 0)
					return -1;
			} while (p->tok.kind == RT_TOK_COMMA);
		} else if (kind == RT_AST_MODEL && rt__parser_is_word(&p->tok, "view") &&
			   !decl->view.text) {
			rt__parser_advance(p);
			if (rt__parser_take_sql_name(p, &decl->view,
						     "the name of the view after 'view'") < 0)
				return -1;
		} else if (kind == RT_AST_MODEL && rt__parser_is_word(&p->tok, "extends") &&
			   !decl->extends.text) {
			rt__parser_advance(p);
			if (rt__parser_take_name(p, &decl->extends,
						 "the parent model's name after 'extends'") < 0)
				return -1;
		} else if (kind == RT_AST_MODEL && rt__parser_is_word(&p->tok, "identity") &&
			   !decl->identity.text) {
			rt__parser_advance(p);
			if (rt__parser_take_string(p, &decl->identity,
						   "the model's discriminator value in quotes "
						   "after 'identity'") < 0)
				return -1;
		} else if (kind == RT_AST_MODEL && decl->extends.text &&
			   rt__parser_is_word(&p->tok, "table") && !decl->joined_table.text) {
			rt__parser_advance(p);
			/* table engineers, or as in a body: table 'engineers' */
			if ((p->tok.kind == RT_TOK_STRING
				     ? rt__parser_take_string(p, &decl->joined_table,
							      "the model's own table")
				     : rt__parser_take_sql_name(p, &decl->joined_table,
								"the name of the model's own "
								"table after 'table'")) < 0)
				return -1;
		} else if (kind != RT_AST_MIXIN && rt__parser_is_word(&p->tok, "was") &&
			   !decl->was.text) {
			rt__parser_advance(p);
			if (rt__parser_take_sql_name(p, &decl->was,
						     "the previous name after 'was'") < 0)
				return -1;
		} else if (kind != RT_AST_MIXIN &&
			   (option = rt__parser_take_table_option(p, false)) >= 0) {
			unsigned bit = rt__table_option_bit((size_t)option);
			if (decl->options & bit) {
				rt__diag_error(p->ctx->diags, at, "'%s' is said twice",
					       rt__table_option_word((size_t)option));
				return -1;
			}
			decl->options |= bit;
		} else if (kind != RT_AST_MIXIN && (collate = rt__parser_table_collate(p, decl))) {
			if (collate < 0)
				return -1;
		} else if (kind != RT_AST_MIXIN && (partition = rt__parser_partition(p, decl))) {
			if (partition < 0)
				return -1;
		} else {
			break;
		}
	}
	if (p->tok.kind != RT_TOK_LBRACE && kind == RT_AST_MIXIN) {
		rt_pos at = p->tok.pos;
		if (rt__parser_take_table_option(p, false) >= 0 ||
		    rt__parser_is_word(&p->tok, "partition") ||
		    rt__parser_is_word(&p->tok, "collate")) {
			rt__diag_error(p->ctx->diags, at, "a mixin has no table options, collation or "
				       "partitioning: they belong to the model or table that "
				       "uses it");
			return -1;
		}
	}
	/* A partition's columns and keys are its partitioned table's: it
	 * needs a body only for constraints of its own. */
	if (p->tok.kind != RT_TOK_LBRACE && decl->partition.of.text) {
		decl->no_body = true;
		return 0;
	}
	if (p->tok.kind != RT_TOK_LBRACE)
		return rt__parser_expected(p, header_expected(p, decl));
	return rt__parser_body(p, decl, what);
}

/* enum Name { a, b, 'c d' } - commas or line breaks between values. */
static int parse_enum(rt_parser *p)
{
	rt_ast_decl *decl = new_decl(p, RT_AST_ENUM);
	if (!decl)
		return -1;
	rt__parser_advance(p);
	if (rt__parser_take_enum_name(p, &decl->schema, &decl->name, "an enum name after 'enum'") < 0)
		return -1;
	return rt__parser_enum_body(p, decl);
}

int rt__parser_take_enum_name(rt_parser *p, rt_ast_name *schema, rt_ast_name *name,
			      const char *what)
{
	*schema = (rt_ast_name){0};
	const rt_token *dot = rt__parser_peek(p, 1);
	if (rt__parser_is_sql_name(&p->tok) && dot->kind == RT_TOK_DOT &&
	    rt__parser_same_line(dot)) {
		if (rt__parser_take_sql_name(p, schema, "the enum's schema") < 0)
			return -1;
		rt__parser_advance(p);
		what = "an enum name after the schema and '.'";
		if (strcmp(schema->text, RT_DEFAULT_SCHEMA) == 0)
			*schema = (rt_ast_name){0}; /* public.E is E */
	}
	if (rt__parser_take_name(p, name, what) < 0)
		return -1;
	rt__parser_check_type_name(p, name, "an enum");
	return 0;
}

int rt__parser_enum_body(rt_parser *p, rt_ast_decl *decl)
{
	if (rt__parser_take(p, RT_TOK_LBRACE, "'{' and the enum's values") < 0)
		return -1;
	for (;;) {
		if (p->tok.kind == RT_TOK_RBRACE) {
			rt__parser_advance(p);
			return 0;
		}
		if (p->tok.kind == RT_TOK_EOF && p->lex.swallowed)
			return -1;
		if (p->tok.kind == RT_TOK_EOF || looks_like_declaration(p)) {
			rt__diag_error(
				p->ctx->diags,
				p->tok.kind == RT_TOK_EOF ? p->prev_end : p->tok.pos,
				"expected '}' to close enum %s (opened on line %d), "
				"found %s",
				decl->name.text, decl->name.pos.line, rt__parser_describe(p));
			return -1;
		}
		/* A value that is not an identifier ('very high', as a database
		 * may hold) is written as a string. */
		rt_ast_name value = {0};
		const char *what = decl->values.count ? "an enum value or '}'" : "an enum value";
		int taken = p->tok.kind == RT_TOK_IDENT ? rt__parser_take_name(p, &value, what)
							: rt__parser_take_string(p, &value, what);
		if (taken < 0 || rt__parser_push_name(p, &decl->values, &value) < 0)
			return -1;
		if (p->tok.kind == RT_TOK_COMMA)
			rt__parser_advance(p);
		else if (p->tok.kind != RT_TOK_RBRACE && !p->tok.line_start)
			return rt__parser_expected(p, "',' or '}' after an enum value");
	}
}

static void parse_file_text(rt_parse_ctx *ctx, const char *file, const char *text,
			    size_t len);

/* Reports a file that includes itself, directly or through others, with the
 * chain that leads back to it: a.rt -> b.rt -> a.rt. */
static int include_cycle(rt_parser *p, const char *file, rt_pos pos)
{
	rt_parse_ctx *ctx = p->ctx;
	size_t from = 0;
	while (from < ctx->depth && strcmp(ctx->stack[from], file) != 0)
		from++;
	rt_buf chain = RT_BUF_INIT;
	for (size_t i = from; i < ctx->depth; i++)
		rt__buf_printf(&chain, "%s -> ", ctx->stack[i]);
	rt__buf_puts(&chain, file);
	if (rt__buf_failed(&chain))
		ctx->diags->nomem = true;
	else
		rt__diag_error(ctx->diags, pos, "include cycle: %s",
			       rt__buf_cstr(&chain));
	rt__buf_free(&chain);
	return -1;
}

/* include 'path' - relative to the including file. */
static int parse_include(rt_parser *p)
{
	rt_parse_ctx *ctx = p->ctx;
	rt__parser_advance(p);
	rt_ast_name path = {0};
	if (rt__parser_take_string(p, &path, "a file name in quotes after 'include'") < 0)
		return -1;
	if (!*path.text)
		return rt__parser_fail_at(p, path.pos,
					  "the file name after 'include' is empty");
	char *resolved = rt__path_resolve(ctx->keep, p->lex.file, path.text);
	if (!resolved) {
		ctx->diags->nomem = true;
		return -1;
	}
	const char *state = rt__map_get(&ctx->files, resolved);
	if (state && strcmp(state, "done") == 0)
		return 0; /* read already: including it again changes nothing */
	if (state)
		return include_cycle(p, resolved, path.pos);
	if (ctx->depth >= MAX_INCLUDE_DEPTH)
		return rt__parser_fail_at(p, path.pos,
					  "includes are nested too deeply (more than 64 "
					  "files)");
	const char *text = NULL, *reason = "includes are not available here";
	size_t len = 0;
	if (!ctx->read || ctx->read(ctx->read_user, ctx->arena, resolved, &text, &len,
				    &reason) < 0) {
		rt__diag_error(ctx->diags, path.pos, "cannot include '%s': %s", resolved,
			       reason);
		return -1;
	}
	if (len > RT_SCHEMA_MAX_TOTAL_BYTES - ctx->total) {
		rt__diag_error(ctx->diags, path.pos,
			       "cannot include '%s': the schema's files together would pass the "
			       "limit of %zu MiB",
			       resolved, RT_SCHEMA_MAX_TOTAL_BYTES >> 20);
		return -1;
	}
	parse_file_text(ctx, resolved, text, len);
	return 0;
}

/* Skips to the next line that starts a declaration, outside any braces. */
static void skip_declaration(rt_parser *p)
{
	int depth = 0;
	while (p->tok.kind != RT_TOK_EOF) {
		if (depth == 0 && p->tok.line_start && p->tok.kind == RT_TOK_IDENT &&
		    rt__parser_in_list(p->tok.value, decl_words, RT_COUNT(decl_words)))
			return;
		if (p->tok.kind == RT_TOK_LBRACE)
			depth++;
		else if (p->tok.kind == RT_TOK_RBRACE && depth > 0)
			depth--;
		rt__parser_advance(p);
	}
}

/* view v $$...$$ and the other SQL objects (parser_objects.c). */
static int parse_sql_object(rt_parser *p, rt_sql_kind kind, int words)
{
	rt_ast_decl *decl = new_decl(p, RT_AST_SQL_OBJECT);
	if (!decl)
		return -1;
	for (int i = 0; i < words; i++)
		rt__parser_advance(p);
	/* Its words are on one line (the SQL block may go on over more). */
	p->in_member = true;
	int rc = rt__parser_sql_object(p, decl, kind, true);
	p->in_member = false;
	return rc;
}

static void parse_declarations(rt_parser *p)
{
	rt__parser_advance(p);
	while (p->tok.kind != RT_TOK_EOF && !stopped(p)) {
		int rc, words;
		rt_sql_kind kind;
		if (rt__parser_is_word(&p->tok, "model"))
			rc = parse_model(p, RT_AST_MODEL);
		else if (rt__parser_is_word(&p->tok, "table"))
			rc = parse_model(p, RT_AST_TABLE);
		else if (rt__parser_is_word(&p->tok, "mixin"))
			rc = parse_model(p, RT_AST_MIXIN);
		else if (rt__parser_is_word(&p->tok, "enum"))
			rc = parse_enum(p);
		else if (rt__parser_is_word(&p->tok, "include"))
			rc = parse_include(p);
		else if (rt__parser_at_sql_kind(p, &kind, &words))
			rc = parse_sql_object(p, kind, words);
		else if ((rc = rt__parser_expected_word(
				  p,
				  "a declaration (model, table, mixin, enum, view, "
				  "materialized view, function, trigger, domain, sequence, "
				  "aggregate, procedure or include)",
				  "a declaration", decl_words, RT_COUNT(decl_words))) < 0)
			/* Past the word, which may be one that begins a line of
			 * a declaration (`materialized` without `view`): the skip
			 * below would stop at it again, for ever. */
			rt__parser_advance(p);
		/* Every declaration reads past its keyword before it can fail,
		 * so skipping makes progress. */
		if (rc < 0)
			skip_declaration(p);
	}
}

static void parse_file_text(rt_parse_ctx *ctx, const char *file, const char *text,
			    size_t len)
{
	if (rt__map_put(&ctx->files, file, "active") < 0 ||
	    RT_ARENA_PUSH(ctx->arena, ctx->stack, ctx->depth, ctx->stack_cap, file) < 0) {
		ctx->diags->nomem = true;
		return;
	}
	ctx->total += len;
	rt_pos at;
	const char *why;
	if (rt__diag_text_is_shown(file, text, len, decl_words, RT_COUNT(decl_words),
				   "it does not begin with a declaration", &at, &why)) {
		rt__diag_add_source(ctx->diags, file, text, len);
		rt_parser p;
		memset(&p, 0, sizeof(p));
		p.ctx = ctx;
		rt__lexer_init(&p.lex, file, text, len, ctx->arena, ctx->diags);
		parse_declarations(&p);
	} else {
		rt__diag_error(ctx->diags, at,
			       "this is not a schema file (%s); it is not read, and none of it "
			       "is shown",
			       why);
	}
	ctx->depth--;
	if (rt__map_put(&ctx->files, file, "done") < 0)
		ctx->diags->nomem = true;
}

void rt__parse_init(rt_parse_ctx *ctx, rt_arena *arena, rt_arena *keep,
		    rt_diag_list *diags, rt_schema_read_fn read, void *read_user)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = arena;
	ctx->keep = keep;
	ctx->diags = diags;
	ctx->read = read;
	ctx->read_user = read_user;
	rt__map_init(&ctx->files, arena);
}

void rt__parse_source(rt_parse_ctx *ctx, const char *file, const char *text, size_t len)
{
	char *name = rt__path_resolve(ctx->keep, NULL, file);
	if (!name) {
		ctx->diags->nomem = true;
		return;
	}
	parse_file_text(ctx, name, text, len);
}
