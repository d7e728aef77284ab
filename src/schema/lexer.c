/*
 * lexer.c - turns schema-language text into tokens (lexer.h).
 *
 * Every byte of input is accounted for: it is whitespace, part of a
 * comment, part of a token, or reported as an error. A run of bytes that
 * cannot start a token is reported once, so binary garbage gives one error,
 * not thousands.
 */
#include "schema/lexer.h"

#include <string.h>

void rt__lexer_init(rt_lexer *lex, const char *file, const char *text, size_t len,
		    rt_arena *arena, rt_diag_list *diags)
{
	lex->file = file;
	lex->text = text;
	lex->cur = text;
	lex->end = text + len;
	lex->line_begin = text;
	lex->line = 1;
	lex->at_line_start = true;
	lex->swallowed = false;
	lex->arena = arena;
	lex->diags = diags;
}

void rt__lexer_start_at(rt_lexer *lex, size_t offset, int line)
{
	size_t len = (size_t)(lex->end - lex->text);
	lex->cur = lex->text + (offset < len ? offset : len);
	lex->line_begin = lex->cur;
	lex->line = line;
	lex->at_line_start = true;
}

static bool is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_char(int c)
{
	return is_ident_start(c) || is_digit(c);
}

static rt_pos here(const rt_lexer *lex, const char *at)
{
	rt_pos pos = {lex->file, lex->line, (int)(at - lex->line_begin) + 1};
	return pos;
}

static void newline(rt_lexer *lex, const char *after)
{
	lex->line++;
	lex->line_begin = after;
	lex->at_line_start = true;
}

static int peek(const rt_lexer *lex, size_t ahead)
{
	return lex->cur + ahead < lex->end ? (unsigned char)lex->cur[ahead] : -1;
}

/* Skips blanks, line breaks and comments. */
static void skip_space(rt_lexer *lex)
{
	while (lex->cur < lex->end) {
		char c = *lex->cur;
		if (c == '\n') {
			lex->cur++;
			newline(lex, lex->cur);
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lex->cur++;
		} else if (c == '#') {
			const char *nl =
				memchr(lex->cur, '\n', (size_t)(lex->end - lex->cur));
			lex->cur = nl ? nl : lex->end;
		} else {
			break;
		}
	}
}

static void set_value(rt_lexer *lex, rt_token *tok, const char *text, size_t len)
{
	tok->value = rt__arena_strndup(lex->arena, text, len);
	if (!tok->value) {
		lex->diags->nomem = true;
		tok->kind = RT_TOK_ERROR;
	}
}

static void lex_ident(rt_lexer *lex, rt_token *tok)
{
	const char *start = lex->cur;
	while (lex->cur < lex->end && is_ident_char((unsigned char)*lex->cur))
		lex->cur++;
	tok->kind = RT_TOK_IDENT;
	set_value(lex, tok, start, (size_t)(lex->cur - start));
}

static void skip_digits(rt_lexer *lex)
{
	while (lex->cur < lex->end && is_digit((unsigned char)*lex->cur))
		lex->cur++;
}

static void lex_number(rt_lexer *lex, rt_token *tok)
{
	const char *start = lex->cur;
	if (*lex->cur == '-')
		lex->cur++;
	skip_digits(lex);
	if (peek(lex, 0) == '.' && is_digit(peek(lex, 1))) {
		lex->cur++;
		skip_digits(lex);
	}
	if ((peek(lex, 0) == 'e' || peek(lex, 0) == 'E') &&
	    (is_digit(peek(lex, 1)) ||
	     ((peek(lex, 1) == '+' || peek(lex, 1) == '-') && is_digit(peek(lex, 2))))) {
		lex->cur += 2;
		skip_digits(lex);
	}
	if (lex->cur < lex->end && is_ident_char((unsigned char)*lex->cur)) {
		/* 12abc: neither a number nor a name. */
		while (lex->cur < lex->end && is_ident_char((unsigned char)*lex->cur))
			lex->cur++;
		rt__diag_error(
			lex->diags, here(lex, start),
			"malformed number '%.*s'; a name cannot start with a digit",
			(int)(lex->cur - start), start);
		tok->kind = RT_TOK_ERROR;
		return;
	}
	tok->kind = RT_TOK_NUMBER;
	set_value(lex, tok, start, (size_t)(lex->cur - start));
}

/* Checks that string contents are text: no NUL or other control bytes
 * (tab and line breaks aside) and well-formed UTF-8. Reports the first bad
 * byte; returns false when there was one. */
static bool check_text(rt_lexer *lex, const char *p, const char *stop, const char *what)
{
	int line = lex->line;
	const char *line_begin = lex->line_begin;
	while (p < stop) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n') {
			line++;
			line_begin = ++p;
			continue;
		}
		size_t n = rt__utf8_sequence_length((const unsigned char *)p,
						    (size_t)(stop - p));
		if (n == 0 || (c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
			rt_pos pos = {lex->file, line, (int)(p - line_begin) + 1};
			if (n == 0)
				rt__diag_error(lex->diags, pos,
					       "invalid UTF-8 byte 0x%02X in %s", c,
					       what);
			else
				rt__diag_error(lex->diags, pos,
					       "control character 0x%02X in %s", c, what);
			return false;
		}
		p += n;
	}
	return true;
}

/* Finds the closing quote of a 'string' or "name" starting at lex->cur,
 * where a doubled quote stands for one; SQL quoting, on one line. Leaves
 * lex->cur just after it and returns it, or reports the quote unterminated
 * and returns NULL. *doubled says whether a doubled quote was seen. */
static const char *scan_quoted(rt_lexer *lex, bool *doubled)
{
	const char *start = lex->cur++;
	char quote = *start;
	*doubled = false;
	for (;;) {
		if (lex->cur >= lex->end || *lex->cur == '\n') {
			const char *where = lex->cur >= lex->end ? "file" : "line";
			if (quote == '\'')
				rt__diag_error(lex->diags, here(lex, start),
					       "unterminated string: expected a closing ' "
					       "before the end of the %s (use $$ ... $$ "
					       "for text on several lines)",
					       where);
			else
				rt__diag_error(lex->diags, here(lex, start),
					       "unterminated quoted name: expected a "
					       "closing \" before the end of the %s",
					       where);
			return NULL;
		}
		if (*lex->cur == quote) {
			if (peek(lex, 1) == quote) {
				*doubled = true;
				lex->cur += 2;
				continue;
			}
			return lex->cur++;
		}
		lex->cur++;
	}
}

/* 'it''s' as a string, "say ""hi""" as a quoted name: the contents with
 * each doubled quote undone. */
static void lex_quoted(rt_lexer *lex, rt_token *tok)
{
	const char *start = lex->cur;
	char quote = *start;
	bool doubled;
	const char *stop = scan_quoted(lex, &doubled);
	if (!stop) {
		tok->kind = RT_TOK_ERROR;
		return;
	}
	const char *body = start + 1;
	if (!check_text(lex, body, stop, quote == '\'' ? "a string" : "a quoted name")) {
		tok->kind = RT_TOK_ERROR;
		return;
	}
	/* A SQL name is never empty; PostgreSQL refuses "" too. */
	if (quote == '"' && stop == body) {
		rt__diag_error(lex->diags, here(lex, start),
			       "empty quoted name: a SQL name needs at least one "
			       "character");
		tok->kind = RT_TOK_ERROR;
		return;
	}
	tok->kind = quote == '\'' ? RT_TOK_STRING : RT_TOK_QUOTED;
	char *value = rt__arena_alloc(lex->arena, (size_t)(stop - body) + 1);
	if (!value) {
		lex->diags->nomem = true;
		tok->kind = RT_TOK_ERROR;
		return;
	}
	char *o = value;
	for (const char *p = body; p < stop; p++) {
		*o++ = *p;
		if (doubled && *p == quote)
			p++; /* a doubled quote stands for one */
	}
	*o = '\0';
	tok->value = value;
}

/* The length of the dollar tag starting at p ("$$" or "$tag$", the tag
 * an identifier as in PostgreSQL's dollar quoting), or 0 when there is
 * none. */
static size_t dollar_tag(const rt_lexer *lex, const char *p)
{
	if (p >= lex->end || *p != '$')
		return 0;
	const char *q = p + 1;
	if (q < lex->end && is_ident_start((unsigned char)*q))
		while (q < lex->end && is_ident_char((unsigned char)*q))
			q++;
	return q < lex->end && *q == '$' ? (size_t)(q - p) + 1 : 0;
}

/* $$ raw text $$, any bytes but $$, possibly over several lines; or
 * $tag$ raw text $tag$ for text that holds $$ (a function's body). The
 * contents are trimmed of surrounding blanks, so the block may sit on
 * lines of its own. */
static void lex_raw(rt_lexer *lex, rt_token *tok)
{
	const char *start = lex->cur;
	rt_pos start_pos = here(lex, start);
	size_t tag = dollar_tag(lex, start);
	const char *body = start + tag;
	const char *close = NULL;
	for (const char *p = body; p + tag <= lex->end; p++) {
		if (p[0] == '$' && memcmp(p, start, tag) == 0) {
			close = p;
			break;
		}
	}
	if (!close) {
		rt__diag_error(lex->diags, start_pos,
			       "unterminated %.*s block: expected a closing %.*s before the end "
			       "of the file",
			       (int)tag, start, (int)tag, start);
		tok->kind = RT_TOK_ERROR;
		for (const char *q = body; q < lex->end; q++)
			if (*q == '\n')
				newline(lex, q + 1);
		lex->cur = lex->end;
		lex->swallowed = true;
		return;
	}
	/* check_text counts lines from the lexer's current line. */
	bool ok = check_text(lex, body, close, "a $$ block");
	for (const char *q = body; q < close; q++)
		if (*q == '\n')
			newline(lex, q + 1);
	lex->at_line_start = false;
	lex->cur = close + tag;
	if (!ok) {
		tok->kind = RT_TOK_ERROR;
		return;
	}
	const char *from = body, *to = close;
	while (from < to &&
	       (*from == ' ' || *from == '\t' || *from == '\r' || *from == '\n'))
		from++;
	while (to > from &&
	       (to[-1] == ' ' || to[-1] == '\t' || to[-1] == '\r' || to[-1] == '\n'))
		to--;
	tok->kind = RT_TOK_STRING;
	tok->raw = true;
	set_value(lex, tok, from, (size_t)(to - from));
}

static bool starts_token(const rt_lexer *lex, const char *p)
{
	unsigned char c = (unsigned char)*p;
	if (c == '\0')
		return false;
	if (is_ident_char(c) || strchr("{}()[],.?'\"# \t\n\r\f\v", c))
		return true;
	if (c == '-' && p + 1 < lex->end && is_digit((unsigned char)p[1]))
		return true;
	return dollar_tag(lex, p) > 0;
}

/* Reports a run of bytes that cannot start a token, naming the first. */
static void lex_bad(rt_lexer *lex, rt_token *tok)
{
	const char *start = lex->cur;
	const unsigned char *p = (const unsigned char *)start;
	size_t n = rt__utf8_sequence_length(p, (size_t)(lex->end - start));
	if (*p == 0)
		rt__diag_error(lex->diags, here(lex, start), "unexpected NUL byte");
	else if (n == 0)
		rt__diag_error(lex->diags, here(lex, start), "invalid UTF-8 byte 0x%02X",
			       *p);
	else if (*p < 0x20 || *p == 0x7F)
		rt__diag_error(lex->diags, here(lex, start),
			       "unexpected control character 0x%02X", *p);
	else
		rt__diag_error(lex->diags, here(lex, start),
			       "unexpected character '%.*s'", (int)n, start);
	lex->cur += n ? n : 1;
	while (lex->cur < lex->end && !starts_token(lex, lex->cur))
		lex->cur++;
	tok->kind = RT_TOK_ERROR;
}

void rt__lexer_next(rt_lexer *lex, rt_token *tok)
{
	skip_space(lex);
	memset(tok, 0, sizeof(*tok));
	tok->start = lex->cur;
	tok->pos = here(lex, lex->cur);
	tok->line_start = lex->at_line_start;
	lex->at_line_start = false;

	if (lex->cur >= lex->end) {
		tok->kind = RT_TOK_EOF;
		tok->value = "";
		tok->end = tok->pos;
		return;
	}

	static const char punct[] = "{}()[],.?";
	static const rt_token_kind punct_kind[] = {
		RT_TOK_LBRACE, RT_TOK_RBRACE,   RT_TOK_LPAREN,
		RT_TOK_RPAREN, RT_TOK_LBRACKET, RT_TOK_RBRACKET,
		RT_TOK_COMMA,  RT_TOK_DOT,      RT_TOK_QUESTION};
	static const char *const punct_value[] = {"{", "}", "(", ")", "[", "]", ",", ".",
						  "?"};
	unsigned char c = (unsigned char)*lex->cur;
	const char *p = c ? strchr(punct, c) : NULL;
	if (p) {
		tok->kind = punct_kind[p - punct];
		tok->value = punct_value[p - punct];
		lex->cur++;
	} else if (is_ident_start(c)) {
		lex_ident(lex, tok);
	} else if (is_digit(c) || (c == '-' && is_digit(peek(lex, 1)))) {
		lex_number(lex, tok);
	} else if (c == '\'' || c == '"') {
		lex_quoted(lex, tok);
	} else if (c == '$' && dollar_tag(lex, lex->cur)) {
		lex_raw(lex, tok);
	} else {
		lex_bad(lex, tok);
	}
	tok->len = (size_t)(lex->cur - tok->start);
	tok->end = here(lex, lex->cur);
	if (!tok->value)
		tok->value = "";
}

const char *rt__sql_group_end(const char *from, const char *end, char *open_quote)
{
	int depth = 1;
	char quote = 0;
	for (const char *p = from; p < end && *p != '\n'; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			*open_quote = 0;
			return p;
		}
	}
	*open_quote = quote;
	return NULL;
}

const char *rt__lexer_sql_group(rt_lexer *lex)
{
	const char *open = lex->cur - 1;
	char quote;
	const char *close = rt__sql_group_end(lex->cur, lex->end, &quote);
	if (close) {
		if (!check_text(lex, lex->cur, close, "an expression"))
			return NULL;
		lex->cur = close + 1;
		return close;
	}
	/* The rest of the line is the expression's. */
	const char *nl = memchr(lex->cur, '\n', (size_t)(lex->end - lex->cur));
	lex->cur = nl ? nl : lex->end;
	if (quote)
		rt__diag_error(lex->diags, here(lex, open),
			       "unterminated quote in the expression: expected a closing %c "
			       "before the end of the line",
			       quote);
	else
		rt__diag_error(lex->diags, here(lex, open),
			       "expected ')' closing this '(' before the end of the line");
	return NULL;
}

/* string 'abc' for a string, "Display Name" for a quoted name: as written,
 * long ones cut short. */
static const char *describe_quoted(rt_arena *arena, const rt_token *tok)
{
	if (tok->raw)
		return "a $$ block";
	const char *prefix = tok->kind == RT_TOK_STRING ? "string " : "";
	if (tok->len > 24) {
		/* Cut on a character boundary, never inside one. */
		int cut = 20;
		while (cut > 1 && ((unsigned char)tok->start[cut] & 0xC0) == 0x80)
			cut--;
		return rt__arena_printf(arena, "%s%.*s...%c", prefix, cut, tok->start,
					tok->start[0]);
	}
	return rt__arena_printf(arena, "%s%.*s", prefix, (int)tok->len, tok->start);
}

const char *rt__token_describe(rt_arena *arena, const rt_token *tok)
{
	switch (tok->kind) {
	case RT_TOK_EOF:
		return "end of file";
	case RT_TOK_ERROR:
		return "an invalid token";
	case RT_TOK_IDENT:
		return rt__arena_printf(arena, "'%s'", tok->value);
	case RT_TOK_NUMBER:
		return rt__arena_printf(arena, "number %s", tok->value);
	case RT_TOK_STRING:
	case RT_TOK_QUOTED:
		return describe_quoted(arena, tok);
	default:
		return rt__arena_printf(arena, "'%s'", tok->value);
	}
}
