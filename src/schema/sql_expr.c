/*
 * sql_expr.c - the canonical form of a SQL expression, so that a CHECK or a
 * `sql '...'` default reads equal to what a database hands back for it
 * (compare.h describes the rules).
 *
 * Four passes over the text: CAST(x AS t) becomes (x) and BETWEEN is
 * spelled out as two comparisons (PostgreSQL stores both that way); casts, parentheses and whitespace are
 * dropped and case folded; PostgreSQL's operator spellings are replaced by
 * the standard ones.
 */
#include "schema/compare.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static const char *skip_space(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* Copies a '...' literal (with its doubled quotes) to out; returns the
 * character after it. An unterminated literal runs to the end. */
static const char *copy_string_literal(rt_buf *out, const char *p)
{
	const char *start = p++;
	for (;;) {
		if (!*p)
			break;
		if (*p == '\'') {
			if (p[1] != '\'') {
				p++;
				break;
			}
			p++;
		}
		p++;
	}
	rt__buf_put(out, start, (size_t)(p - start));
	return p;
}

/* Returns the character after the "..." identifier at p ("" inside is an
 * escaped quote); an unterminated one runs to the end. */
static const char *skip_quoted_ident(const char *p)
{
	for (p++; *p; p++) {
		if (*p == '"' && p[1] == '"')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return p;
}

/* Copies a "..." identifier: bare when it is a plain lower-case identifier
 * (which is what an unquoted name means to PostgreSQL), quoted otherwise. */
static const char *copy_quoted_ident(rt_buf *out, const char *p)
{
	const char *end = skip_quoted_ident(p);
	const char *body = p + 1;
	size_t body_len = end - body >= 1 && end[-1] == '"' ? (size_t)(end - body - 1) : 0;
	bool plain = body_len > 0 && !isdigit((unsigned char)body[0]);
	for (size_t i = 0; plain && i < body_len; i++)
		plain = islower((unsigned char)body[i]) || isdigit((unsigned char)body[i]) ||
			body[i] == '_';
	if (plain)
		rt__buf_put(out, body, body_len);
	else
		rt__buf_put(out, p, (size_t)(end - p));
	return end;
}

/* Words that continue a multi-word type name after a cast:
 * character varying, double precision, timestamp without time zone. */
static bool is_type_word(const char *p, size_t len)
{
	static const char *const words[] = {"varying", "precision", "with", "without",
					    "time", "zone"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == len && strncasecmp(words[i], p, len) == 0)
			return true;
	return false;
}

static bool is_numeric_type(const char *p, size_t len)
{
	static const char *const types[] = {"integer", "int", "int2", "int4", "int8",
					    "smallint", "bigint", "numeric", "decimal",
					    "real", "double", "float4", "float8"};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i]) == len && strncasecmp(types[i], p, len) == 0)
			return true;
	return false;
}

/* Skips the type name after "::"; *numeric tells whether it names a
 * number type. */
static const char *skip_cast_type(const char *p, bool *numeric)
{
	p = skip_space(p);
	const char *name = p;
	if (*p == '"') {
		p++;
		while (*p && *p != '"')
			p++;
		if (*p)
			p++;
	} else {
		while (is_ident_char(*p) || *p == '.')
			p++;
	}
	*numeric = is_numeric_type(name, (size_t)(p - name));
	for (;;) {
		const char *word = skip_space(p);
		const char *end = word;
		while (is_ident_char(*end))
			end++;
		if (end == word || !is_type_word(word, (size_t)(end - word)))
			break;
		p = end;
	}
	const char *q = skip_space(p);
	if (*q == '(') {
		while (*q && *q != ')')
			q++;
		p = *q ? q + 1 : q;
	}
	for (q = skip_space(p); *q == '['; q = skip_space(p)) {
		while (*q && *q != ']')
			q++;
		p = *q ? q + 1 : q;
	}
	return p;
}

static bool is_number_text(const char *p, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && (p[i] == '-' || p[i] == '+'))
		i++;
	for (; i < len && (isdigit((unsigned char)p[i]) || p[i] == '.'); i++)
		digits += p[i] != '.';
	if (i < len && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < len && (p[i] == '-' || p[i] == '+'))
			i++;
		while (i < len && isdigit((unsigned char)p[i]))
			i++;
	}
	return digits > 0 && i == len;
}

/* First pass: drop casts, parentheses and whitespace, fold case. */
static void canonical_tokens(rt_buf *out, const char *p)
{
	size_t literal_start = 0, literal_end = (size_t)-1;
	while (*p) {
		if (isspace((unsigned char)*p) || *p == '(' || *p == ')') {
			p++;
		} else if (*p == '\'') {
			literal_start = out->len;
			p = copy_string_literal(out, p);
			literal_end = out->len;
		} else if (*p == '"') {
			p = copy_quoted_ident(out, p);
		} else if (p[0] == ':' && p[1] == ':') {
			bool numeric;
			p = skip_cast_type(p + 2, &numeric);
			/* '-1'::integer is how PostgreSQL writes -1 back */
			if (numeric && literal_end == out->len && !out->failed &&
			    is_number_text(out->ptr + literal_start + 1,
					   literal_end - literal_start - 2)) {
				memmove(out->ptr + literal_start, out->ptr + literal_start + 1,
					literal_end - literal_start - 2);
				out->len -= 2;
				out->ptr[out->len] = '\0';
				literal_end = (size_t)-1;
			}
		} else {
			rt__buf_putc(out, (char)tolower((unsigned char)*p));
			p++;
		}
	}
}

/* PostgreSQL's operator spellings and their standard forms, both already
 * in canonical (spaceless, lower-case) text. Longest first. */
static const struct {
	const char *from, *to;
	bool opens_array; /* drop the matching ']' too */
} rewrites[] = {
	{"<>allarray[", "notin", true},
	{"=anyarray[", "in", true},
	{"!~~*", "notilike", false},
	{"!~~", "notlike", false},
	{"~~*", "ilike", false},
	{"~~", "like", false},
	{"!=", "<>", false},
};

/* Second pass: rewrite operators outside quotes. */
static void canonical_operators(rt_buf *out, const char *p)
{
	/* per open bracket: 1 when it was a rewritten ARRAY[ whose ']' goes too
	 * (brackets nested deeper than the array remembers are kept) */
	unsigned char drop[64];
	size_t depth = 0, remembered = sizeof(drop);
	while (*p) {
		if (*p == '\'') {
			p = copy_string_literal(out, p);
			continue;
		}
		if (*p == '"') {
			const char *end = skip_quoted_ident(p);
			rt__buf_put(out, p, (size_t)(end - p));
			p = end;
			continue;
		}
		size_t i, n = sizeof(rewrites) / sizeof(rewrites[0]);
		for (i = 0; i < n; i++)
			if (strncmp(p, rewrites[i].from, strlen(rewrites[i].from)) == 0)
				break;
		if (i < n) {
			rt__buf_puts(out, rewrites[i].to);
			p += strlen(rewrites[i].from);
			if (rewrites[i].opens_array) {
				if (depth < remembered)
					drop[depth] = 1;
				depth++;
			}
			continue;
		}
		if (*p == '[') {
			if (depth < remembered)
				drop[depth] = 0;
			depth++;
		} else if (*p == ']' && depth > 0) {
			depth--;
			if (depth < remembered && drop[depth]) {
				p++;
				continue;
			}
		}
		rt__buf_putc(out, *p++);
	}
}

/* --- BETWEEN -------------------------------------------------------------- */

/* A token of the raw expression, for spotting `x [NOT] BETWEEN a AND b`. */
typedef enum sql_token_kind {
	SQL_WORD,   /* identifier or keyword, dots included: t.col */
	SQL_NUMBER,
	SQL_STRING, /* '...' */
	SQL_QUOTED, /* "..." */
	SQL_PUNCT   /* any other single character */
} sql_token_kind;

typedef struct sql_token {
	const char *start, *end;
	sql_token_kind kind;
} sql_token;

/* Reads the token at p (after blanks) into t; NULL at the end. */
static const char *next_token(const char *p, sql_token *t)
{
	p = skip_space(p);
	if (!*p)
		return NULL;
	t->start = p;
	if (*p == '\'') {
		t->kind = SQL_STRING;
		for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
			;
		p += *p != '\0';
	} else if (*p == '"') {
		t->kind = SQL_QUOTED;
		p = skip_quoted_ident(p);
	} else if (isdigit((unsigned char)*p)) {
		t->kind = SQL_NUMBER;
		while (isalnum((unsigned char)*p) || *p == '.')
			p++;
	} else if (is_ident_char(*p)) {
		t->kind = SQL_WORD;
		while (is_ident_char(*p) || *p == '.')
			p++;
	} else {
		t->kind = SQL_PUNCT;
		p++;
	}
	t->end = p;
	return p;
}

static bool is_word_token(const sql_token *t, const char *word)
{
	size_t len = strlen(word);
	return t->kind == SQL_WORD && (size_t)(t->end - t->start) == len &&
	       strncasecmp(t->start, word, len) == 0;
}

static bool is_punct_token(const sql_token *t, char c)
{
	return t->kind == SQL_PUNCT && *t->start == c;
}

/* A single value: a name, a number (with its sign), a string. */
static bool is_operand(const sql_token *t)
{
	return t->kind == SQL_NUMBER || t->kind == SQL_STRING || t->kind == SQL_QUOTED ||
	       (t->kind == SQL_WORD && !is_word_token(t, "and") && !is_word_token(t, "or") &&
		!is_word_token(t, "not") && !is_word_token(t, "between"));
}

/* Where a whole comparison may begin or end: the edge of the expression,
 * a parenthesis, a comma, AND, OR or NOT. */
static bool is_boundary(const sql_token *t, char paren)
{
	return !t || is_punct_token(t, paren) || is_punct_token(t, ',') ||
	       is_word_token(t, "and") || is_word_token(t, "or") || is_word_token(t, "not");
}

/* Matches an operand at toks[*i], with a sign before a number; sets its
 * text span and moves *i past it. */
static bool take_operand(const sql_token *toks, size_t n, size_t *i, sql_token *span)
{
	size_t k = *i;
	if (k + 1 < n && (is_punct_token(&toks[k], '-') || is_punct_token(&toks[k], '+')) &&
	    toks[k + 1].kind == SQL_NUMBER) {
		*span = (sql_token){toks[k].start, toks[k + 1].end, SQL_NUMBER};
		*i = k + 2;
		return true;
	}
	if (k >= n || !is_operand(&toks[k]))
		return false;
	*span = toks[k];
	*i = k + 1;
	return true;
}

/* `x [NOT] BETWEEN a AND b`, found at some token. */
typedef struct between {
	sql_token x, a, b;
	bool negated;
	size_t end; /* index of the token after it */
} between;

/* Does a BETWEEN start at toks[i]? Only single-value operands between
 * comparison boundaries count: there the meaning of the rewrite is sure. */
static bool match_between(const sql_token *toks, size_t n, size_t i, between *m)
{
	size_t k = i;
	if ((i > 0 && !is_boundary(&toks[i - 1], '(')) || !take_operand(toks, n, &k, &m->x))
		return false;
	m->negated = k < n && is_word_token(&toks[k], "not");
	k += m->negated;
	if (k >= n || !is_word_token(&toks[k], "between"))
		return false;
	k++;
	if (!take_operand(toks, n, &k, &m->a) || k >= n || !is_word_token(&toks[k++], "and") ||
	    !take_operand(toks, n, &k, &m->b) || !is_boundary(k < n ? &toks[k] : NULL, ')'))
		return false;
	m->end = k;
	return true;
}

static void put_span(rt_buf *out, const sql_token *t)
{
	rt__buf_put(out, t->start, (size_t)(t->end - t->start));
}

/* Pass zero: every BETWEEN written as PostgreSQL stores it, `x >= a and
 * x <= b` (NOT BETWEEN: `x < a or x > b`); the rest of the text as it was. */
static void spell_out_betweens(rt_buf *out, const char *expr)
{
	size_t cap = strlen(expr) + 1, n = 0;
	sql_token *toks = malloc(cap * sizeof(*toks));
	if (!toks) {
		out->failed = true;
		return;
	}
	for (const char *p = expr; n < cap && (p = next_token(p, &toks[n])) != NULL; n++)
		;
	const char *copied = expr;
	for (size_t i = 0; i < n; i++) {
		between m;
		if (!match_between(toks, n, i, &m))
			continue;
		rt__buf_put(out, copied, (size_t)(toks[i].start - copied));
		put_span(out, &m.x);
		rt__buf_puts(out, m.negated ? " < " : " >= ");
		put_span(out, &m.a);
		rt__buf_puts(out, m.negated ? " or " : " and ");
		put_span(out, &m.x);
		rt__buf_puts(out, m.negated ? " > " : " <= ");
		put_span(out, &m.b);
		copied = toks[m.end - 1].end;
		i = m.end - 1;
	}
	rt__buf_puts(out, copied);
	free(toks);
}

/* --- CAST(x AS type) ----------------------------------------------------- */

/* Returns the character after the ')' that closes the '(' at p, skipping
 * quoted text; *as_at is set to the last top-level AS keyword inside (NULL
 * when there is none). An unbalanced text runs to the end. */
static const char *match_paren(const char *p, const char **as_at)
{
	int depth = 0;
	*as_at = NULL;
	while (*p) {
		if (*p == '\'') {
			sql_token t;
			p = next_token(p, &t);
			continue;
		}
		if (*p == '"') {
			p = skip_quoted_ident(p);
			continue;
		}
		if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (--depth == 0)
				return p + 1;
		} else if (depth == 1 && (p[0] == 'a' || p[0] == 'A') &&
			   (p[1] == 's' || p[1] == 'S') && !is_ident_char(p[2]) &&
			   !is_ident_char(p[-1])) {
			*as_at = p;
		}
		p++;
	}
	return p;
}

/* Pass zero, too: CAST(x AS type) becomes (x), as PostgreSQL writes casts
 * back with `::`, which the token pass drops. Nested casts are handled by
 * rewriting the inner text the same way. */
static void strip_cast_calls(rt_buf *out, const char *expr)
{
	const char *p = expr;
	while (*p) {
		if (*p == '\'' || *p == '"') {
			sql_token t;
			const char *end = next_token(p, &t);
			rt__buf_put(out, p, (size_t)(end - p));
			p = end;
			continue;
		}
		bool at_word = (p == expr || !is_ident_char(p[-1])) &&
			       strncasecmp(p, "cast", 4) == 0 && !is_ident_char(p[4]);
		const char *open = at_word ? skip_space(p + 4) : NULL;
		const char *as_at = NULL, *close = NULL;
		if (open && *open == '(')
			close = match_paren(open, &as_at);
		if (!as_at || !close || close[-1] != ')') {
			rt__buf_putc(out, *p++);
			continue;
		}
		char *inner = strndup(open + 1, (size_t)(as_at - open - 1));
		if (!inner) {
			out->failed = true;
			return;
		}
		rt__buf_putc(out, '(');
		strip_cast_calls(out, inner);
		rt__buf_putc(out, ')');
		free(inner);
		p = close;
	}
}

void rt__sql_expr_canonical(rt_buf *out, const char *expr)
{
	rt_buf uncast = RT_BUF_INIT, spelled = RT_BUF_INIT, tokens = RT_BUF_INIT;
	strip_cast_calls(&uncast, expr ? expr : "");
	spell_out_betweens(&spelled, rt__buf_cstr(&uncast));
	canonical_tokens(&tokens, rt__buf_cstr(&spelled));
	if (uncast.failed || spelled.failed || tokens.failed)
		out->failed = true;
	else
		canonical_operators(out, rt__buf_cstr(&tokens));
	rt__buf_free(&uncast);
	rt__buf_free(&spelled);
	rt__buf_free(&tokens);
}

/* Copies a partition bound to out with each quoted number bare ('1000'
 * becomes 1000); other literals and quoted names as they are. */
static void unquote_numbers(rt_buf *out, const char *p)
{
	while (*p) {
		if (*p == '"') {
			const char *end = skip_quoted_ident(p);
			rt__buf_put(out, p, (size_t)(end - p));
			p = end;
			continue;
		}
		if (*p != '\'') {
			rt__buf_putc(out, *p++);
			continue;
		}
		const char *q = p + 1 + (p[1] == '-' || p[1] == '+');
		const char *digits = q;
		while (isdigit((unsigned char)*q) || (*q == '.' && q > digits))
			q++;
		if (q > digits && *q == '\'' && q[1] != '\'') {
			rt__buf_put(out, p + 1, (size_t)(q - p - 1));
			p = q + 1;
		} else {
			p = copy_string_literal(out, p);
		}
	}
}

bool rt__sql_bound_equal(const char *a, const char *b)
{
	rt_buf ua = RT_BUF_INIT, ub = RT_BUF_INIT;
	unquote_numbers(&ua, a ? a : "");
	unquote_numbers(&ub, b ? b : "");
	bool equal = ua.failed || ub.failed ? rt__sql_expr_equal(a, b)
					     : rt__sql_expr_equal(rt__buf_cstr(&ua), rt__buf_cstr(&ub));
	rt__buf_free(&ua);
	rt__buf_free(&ub);
	return equal;
}

bool rt__sql_expr_equal(const char *a, const char *b)
{
	rt_buf ca = RT_BUF_INIT, cb = RT_BUF_INIT;
	rt__sql_expr_canonical(&ca, a);
	rt__sql_expr_canonical(&cb, b);
	bool equal;
	if (ca.failed || cb.failed) /* out of memory: fall back to the text */
		equal = strcmp(a ? a : "", b ? b : "") == 0;
	else
		equal = strcmp(rt__buf_cstr(&ca), rt__buf_cstr(&cb)) == 0;
	rt__buf_free(&ca);
	rt__buf_free(&cb);
	return equal;
}

char *rt__sql_string_literal(rt_arena *arena, const char *s, size_t len)
{
	if (len < 2 || s[0] != '\'' || s[len - 1] != '\'')
		return NULL;
	char *out = rt__arena_alloc(arena, len);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 1; i < len - 1; i++) {
		if (s[i] == '\'') {
			if (s[i + 1] != '\'' || i + 1 == len - 1)
				return NULL; /* two literals */
			i++;
		}
		out[n++] = s[i];
	}
	out[n] = '\0';
	return out;
}
