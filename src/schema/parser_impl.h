/*
 * parser_impl.h - the parser's state and token helpers, shared by parser.c
 * (declarations) and parser_members.c (members), and by the migration
 * script parser (src/migrate/script_*.c), which reads table bodies,
 * columns, types and literals with the same functions.
 */
#ifndef RT_SCHEMA_PARSER_IMPL_H
#define RT_SCHEMA_PARSER_IMPL_H

#include <stdbool.h>
#include <string.h>

#include "schema/lexer.h"
#include "schema/parser.h"

#define RT_PARSER_LOOKAHEAD 6

typedef struct rt_parser {
	rt_parse_ctx *ctx;
	rt_lexer lex;
	rt_token tok;         /* the current token */
	/* tokens read past it: a declaration is recognized by its first few
	 * (`enum billing.Mood {`, `materialized view billing.v $$`) */
	rt_token ahead[RT_PARSER_LOOKAHEAD];
	int ahead_count;
	rt_pos prev_end;      /* just after the previous token */
	bool in_member;       /* a line break ends what is being read */
	/* Does the current token start something that cannot be inside a
	 * body (so the body lacks its '}')? NULL: a schema declaration. */
	bool (*ends_body)(struct rt_parser *p);
	void *user;           /* for the caller that set ends_body */
} rt_parser;

/* Keywords are compared often: the first byte settles most comparisons. */
static inline bool rt__parser_same_word(const char *a, const char *b)
{
	return a[0] == b[0] && strcmp(a, b) == 0;
}

static inline bool rt__parser_is_word(const rt_token *tok, const char *word)
{
	return tok->kind == RT_TOK_IDENT && rt__parser_same_word(tok->value, word);
}

/* Can the token stand where a SQL name goes: an identifier or a "quoted
 * name"? */
static inline bool rt__parser_is_sql_name(const rt_token *tok)
{
	return tok->kind == RT_TOK_IDENT || tok->kind == RT_TOK_QUOTED;
}

/* Is the token on the current line? (A member's tokens all are.) */
static inline bool rt__parser_same_line(const rt_token *tok)
{
	return !tok->line_start && tok->kind != RT_TOK_EOF;
}

static inline bool rt__parser_at_member_end(const rt_parser *p)
{
	return p->tok.kind == RT_TOK_EOF || p->tok.kind == RT_TOK_RBRACE || p->tok.line_start;
}

static inline bool rt__parser_in_list(const char *word, const char *const *list,
				      size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (rt__parser_same_word(word, list[i]))
			return true;
	return false;
}

static inline bool rt__parser_is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

#define RT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Moves to the next token. */
void rt__parser_advance(rt_parser *p);
/* The token n places after the current one (0: the current one; at most
 * RT_PARSER_LOOKAHEAD). */
const rt_token *rt__parser_peek(rt_parser *p, int n);
/* Arena memory; NULL (and out of memory recorded) on failure. */
void *rt__parser_alloc(rt_parser *p, size_t size);

/* Each reports an error and returns -1. "expected <what>, found <token>",
 * silent when the lexer already reported the token. */
int rt__parser_expected(rt_parser *p, const char *what);
/* The same, adding "did you mean" when the token is close to one of words
 * (the message then says short_what instead of what). */
int rt__parser_expected_word(rt_parser *p, const char *what, const char *short_what,
			     const char *const *words, size_t count);
int rt__parser_fail_at(rt_parser *p, rt_pos pos, const char *message);

/* Reports a "quoted name" found where a C name (model, field, relationship,
 * mixin, enum) goes: "expected <what> (<why>), found "x"". Returns -1. */
int rt__parser_quoted_c_name(rt_parser *p, const char *what, const char *why);
/* Reports a "quoted name" found where a string goes: someone used to other
 * languages meant 'a string'. Returns -1. */
int rt__parser_string_in_double_quotes(rt_parser *p, const char *what);

/* Take the expected token, or report what was expected (-1). take_name
 * takes an identifier (a C name, or a keyword's argument); take_sql_name
 * also a "quoted name", for the places that name SQL objects: tables,
 * columns, constraints and indexes. */
int rt__parser_take_name(rt_parser *p, rt_ast_name *out, const char *what);
int rt__parser_take_sql_name(rt_parser *p, rt_ast_name *out, const char *what);
/* A table's name: a SQL name, or schema.name for a table in a PostgreSQL
 * schema (billing.accounts), joined into out as rt_table.name has it. */
int rt__parser_take_table_name(rt_parser *p, rt_ast_name *out, const char *what);
/* An enum's name, Name or schema.Name (billing.InvoiceState), checked to
 * be a type's name; schema->text is NULL when no schema is written. */
int rt__parser_take_enum_name(rt_parser *p, rt_ast_name *schema, rt_ast_name *name,
			      const char *what);
/* The same, kept apart: schema->text is NULL when no schema is written. */
int rt__parser_take_qualified_name(rt_parser *p, rt_ast_name *schema, rt_ast_name *name,
				   const char *what);
int rt__parser_take_string(rt_parser *p, rt_ast_name *out, const char *what);
int rt__parser_take_word(rt_parser *p, const char *word);
int rt__parser_take(rt_parser *p, rt_token_kind kind, const char *what);
int rt__parser_push_name(rt_parser *p, rt_ast_names *names, const rt_ast_name *name);

/* One member of a body, appended to decl (parser_members.c). */
int rt__parser_member(rt_parser *p, rt_ast_decl *decl);

/* Pieces of the grammar, for the migration scripts too. */

/* A member with no options, at the current token; NULL when out of memory. */
rt_ast_member *rt__parser_new_member(rt_parser *p);
/* type[?] option... of a field whose name m already holds. */
int rt__parser_field(rt_parser *p, rt_ast_member *m);
/* A type (builtin with arguments, or an enum or model name) and its ? or
 * []; m->name names the field for messages. */
int rt__parser_type(rt_parser *p, rt_ast_member *m);
/* The index of a built-in type word in rt__builtin_type_names, or -1. */
int rt__parser_builtin_type(const char *name);
/* A default (server = false) or server default literal. */
int rt__parser_literal(rt_parser *p, rt_ast_literal *lit, bool server);
/* ( a, b ) - column names; what says what they are, for messages. */
int rt__parser_name_list(rt_parser *p, rt_ast_names *names, const char *what);
/* [using M] (key, ...) [include (a, b)] [where '...'] of an index, at
 * `using` or '(' (parser_index.c). */
int rt__parser_index(rt_parser *p, rt_ast_index *index);
/* Is the token `using` followed by a method name: an index's clause? */
bool rt__parser_at_index_using(rt_parser *p);
/* references t(a, b) [on delete ...] [on update ...]; at `references`. */
int rt__parser_references(rt_parser *p, rt_ast_ref *ref);
/* At the words of a table option (strict, without rowid; with unset, the
 * words that clear one: not strict, with rowid) on the current line: takes
 * them and returns the option's index (rt__table_option_bit); -1, taking
 * nothing, at anything else. */
int rt__parser_take_table_option(rt_parser *p, bool unset);
/* A collation's name (bare or quoted, not empty) into *out; what names
 * what was expected. -1 after reporting. */
int rt__parser_take_collation(rt_parser *p, rt_ast_name *out, const char *what);
/* collate NAME after a table's name (its default collation) into
 * decl->collation: 1 when read, 0 when the current word is not
 * `collate`, -1 after reporting an error (said twice, no name). */
int rt__parser_table_collate(rt_parser *p, rt_ast_decl *decl);
/* At `partition of` or `partition by` on the current line: reads it
 * (parser_partition.c) into decl->partition and returns 1; 0, taking
 * nothing, at anything else; -1 after an error. */
int rt__parser_partition(rt_parser *p, rt_ast_decl *decl);
/* { member* } at the opening brace; what names decl in messages. */
int rt__parser_body(rt_parser *p, rt_ast_decl *decl, const char *what);
/* { a, b, 'c d' } - an enum's values, at the opening brace. */
int rt__parser_enum_body(rt_parser *p, rt_ast_decl *decl);
/* At the word after `view`, `materialized view`, `function` or `trigger`
 * (of kind): the object's name, a function's (arguments), a trigger's
 * `on table` and, when the next token is a string, the SQL, into decl
 * (parser_objects.c). A missing SQL is an error when body_required. */
int rt__parser_sql_object(rt_parser *p, rt_ast_decl *decl, rt_sql_kind kind, bool body_required);
/* Is the current token (and the one after) the start of a SQL object's
 * kind: view, materialized view, function, trigger? Sets *kind and
 * *words (how many tokens the kind takes). */
bool rt__parser_at_sql_kind(rt_parser *p, rt_sql_kind *kind, int *words);
/* Reports a model, mixin or enum name that is not CamelCase; what is "an
 * enum", "a model", ... */
void rt__parser_check_type_name(rt_parser *p, const rt_ast_name *name, const char *what);

/* The current token for a message: "'x'", "end of line" where a member's
 * line ended (parser_pieces.c). */
const char *rt__parser_describe(rt_parser *p);

#endif
