/*
 * lexer.h - tokens of the schema language (and of the migration scripts,
 * which share its lexical rules).
 *
 * Lexical rules: `#` comments to end of line; identifiers
 * [A-Za-z_][A-Za-z0-9_]*; numbers -?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)?;
 * SQL-quoted strings 'it''s' on one line; SQL-quoted names "say ""hi""" on
 * one line (for SQL names that are no identifiers; the parser takes them
 * only where a SQL name goes); raw blocks $$ ... $$ that may span lines,
 * or $tag$ ... $tag$ (tag an identifier) for text that holds $$;
 * the punctuation { } ( ) [ ] , . ? ; everything else is an error.
 * Keywords are not reserved: the parser reads them by context, so `text
 * text` is a column named text of type text. Line breaks are not tokens,
 * but each token says whether it is the first on its line, which is how the
 * parser knows where a member ends.
 *
 * The lexer never fails the caller: a bad byte is reported to the
 * diagnostics list and returned as an RT_TOK_ERROR token, and reading goes
 * on after it. Input may hold any bytes (NUL, broken UTF-8).
 */
#ifndef RT_SCHEMA_LEXER_H
#define RT_SCHEMA_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "schema/diag.h"

typedef enum rt_token_kind {
	RT_TOK_EOF,
	RT_TOK_ERROR,  /* already reported */
	RT_TOK_IDENT,
	RT_TOK_NUMBER,
	RT_TOK_STRING, /* 'quoted' or $$ raw $$ ($tag$ raw $tag$); value holds the contents */
	RT_TOK_QUOTED, /* "a name"; value holds the name, never empty */
	RT_TOK_LBRACE,
	RT_TOK_RBRACE,
	RT_TOK_LPAREN,
	RT_TOK_RPAREN,
	RT_TOK_LBRACKET,
	RT_TOK_RBRACKET,
	RT_TOK_COMMA,
	RT_TOK_DOT,
	RT_TOK_QUESTION
} rt_token_kind;

typedef struct rt_token {
	rt_token_kind kind;
	const char *start;  /* the token's bytes in the source */
	size_t len;
	const char *value;  /* NUL-terminated text: the identifier, the number as
			     * written, a string's contents (quotes removed,
			     * '' undone; raw blocks trimmed) or a quoted
			     * name's (quotes removed, "" undone) */
	bool raw;           /* a $$ (or $tag$) block */
	bool line_start;    /* first token on its line */
	rt_pos pos;         /* where it starts */
	rt_pos end;         /* just after its last byte */
} rt_token;

typedef struct rt_lexer {
	const char *file;
	const char *text, *cur, *end;
	const char *line_begin;
	int line;
	bool at_line_start;
	bool swallowed;     /* an unterminated $$ block ran to the end: what
			     * the parser then misses is no news */
	rt_arena *arena;    /* token values */
	rt_diag_list *diags;
} rt_lexer;

/* text need not be NUL-terminated; it must outlive the lexer. */
void rt__lexer_init(rt_lexer *lex, const char *file, const char *text, size_t len,
		    rt_arena *arena, rt_diag_list *diags);

/* Moves reading to byte offset of the text, which starts line `line`: for
 * a front end that read the lines before it by itself (the header of a
 * migration script). */
void rt__lexer_start_at(rt_lexer *lex, size_t offset, int line);

/* Reads the next token. At the end it returns RT_TOK_EOF, again and again. */
void rt__lexer_next(rt_lexer *lex, rt_token *tok);

/* Where the ')' closing a '(' stands in SQL text: from just after the
 * '(' up to end or a line break, nested parentheses balanced and '...'
 * and "..." skipped whole. NULL when there is none; *open_quote then
 * says the quote left open, or 0. */
const char *rt__sql_group_end(const char *from, const char *end, char *open_quote);

/* Reads SQL text the language keeps verbatim without tokenizing it (an
 * index's expression key): from lex->cur, just after a '(' on the current
 * line, up to the ')' that closes it, nested parentheses balanced and
 * '...' and "..." skipped whole. Returns where that ')' stands, reading
 * moved past it; or reports that the line ended first and returns NULL,
 * reading moved to the end of the line. */
const char *rt__lexer_sql_group(rt_lexer *lex);

/* How a token reads in a message: 'users', '{', number 12, string 'abc',
 * "a name", end of file. Allocated in arena. */
const char *rt__token_describe(rt_arena *arena, const rt_token *tok);

#endif
