/*
 * sqlite_ddl_parse.c - reads the CREATE TABLE text SQLite keeps in
 * sqlite_master, for what no PRAGMA reports: constraint names
 * (CONSTRAINT "x" ...), CHECK expressions, AUTOINCREMENT, collations,
 * generated columns and the table options (WITHOUT ROWID, STRICT), with
 * where each column's declared type stands in the text (a table rebuild
 * keeps what the schema model does not describe: sqlite_rebuild.c); and
 * the CREATE INDEX text, for an index's expressions and WHERE.
 *
 * The text may have been written by hand, so the tokenizer knows every
 * quoting SQLite accepts ("x", `x`, [x], 'x'), both comment forms, and
 * nested parentheses; the parser follows SQLite's grammar for column and
 * table constraints and steps over everything else without complaint.
 */
#include "dialect/sqlite.h"

#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "schema/naming.h"

typedef enum token_kind {
	TK_END,
	TK_WORD,   /* bare identifier or keyword */
	TK_QUOTED, /* "x", `x`, [x] */
	TK_STRING, /* 'x' */
	TK_NUMBER,
	TK_LPAREN,
	TK_RPAREN,
	TK_COMMA,
	TK_OTHER   /* any other punctuation or operator character */
} token_kind;

typedef struct token {
	token_kind kind;
	size_t start, len;  /* in the source text */
	size_t match;       /* parentheses: index of the partner token */
} token;

typedef struct parser {
	rt_arena *arena;
	const char *sql;
	token *tokens;
	size_t count, cap;
	size_t pos;
	rt_sqlite_table_def *def;
} parser;

/* --- tokenizer --------------------------------------------------------------- */

static bool is_ident_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/* Length of a quoted run starting at s[0] == open, closed by close; a
 * doubled close character stands for itself unless close is ']'. An
 * unterminated run extends to the end of the text. */
static size_t quoted_length(const char *s, char close)
{
	size_t i = 1;
	while (s[i]) {
		if (s[i] == close) {
			if (close != ']' && s[i + 1] == close) {
				i += 2;
				continue;
			}
			return i + 1;
		}
		i++;
	}
	return i;
}

static size_t comment_length(const char *s)
{
	if (s[0] == '-' && s[1] == '-') {
		size_t i = 2;
		while (s[i] && s[i] != '\n')
			i++;
		return i;
	}
	if (s[0] == '/' && s[1] == '*') {
		const char *end = strstr(s + 2, "*/");
		return end ? (size_t)(end - s) + 2 : strlen(s);
	}
	return 0;
}

static int push_token(parser *p, token_kind kind, size_t start, size_t len)
{
	if (rt__arena_reserve(p->arena, (void **)&p->tokens, &p->cap, p->count + 1,
			      sizeof(token)) < 0)
		return rt__error_nomem();
	p->tokens[p->count++] = (token){kind, start, len, 0};
	return RT_OK;
}

static int tokenize(parser *p)
{
	const char *s = p->sql;
	size_t i = 0;
	while (s[i]) {
		unsigned char c = (unsigned char)s[i];
		size_t len;
		token_kind kind;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			i++;
			continue;
		}
		if ((len = comment_length(s + i)) > 0) {
			i += len;
			continue;
		}
		if (c == '"' || c == '`') {
			kind = TK_QUOTED;
			len = quoted_length(s + i, (char)c);
		} else if (c == '[') {
			kind = TK_QUOTED;
			len = quoted_length(s + i, ']');
		} else if (c == '\'') {
			kind = TK_STRING;
			len = quoted_length(s + i, '\'');
		} else if ((c >= '0' && c <= '9') ||
			   (c == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
			kind = TK_NUMBER;
			len = 1;
			while (is_ident_char((unsigned char)s[i + len]) || s[i + len] == '.' ||
			       ((s[i + len] == '+' || s[i + len] == '-') &&
				(s[i + len - 1] == 'e' || s[i + len - 1] == 'E')))
				len++;
		} else if (is_ident_start(c)) {
			kind = TK_WORD;
			len = 1;
			while (is_ident_char((unsigned char)s[i + len]))
				len++;
		} else {
			kind = c == '(' ? TK_LPAREN : c == ')' ? TK_RPAREN
				: c == ',' ? TK_COMMA : TK_OTHER;
			len = 1;
		}
		if (push_token(p, kind, i, len) < 0)
			return RT_ENOMEM;
		i += len;
	}
	if (push_token(p, TK_END, i, 0) < 0)
		return RT_ENOMEM;

	/* Pair the parentheses; an unbalanced one pairs with the end. */
	size_t *stack = rt__arena_alloc(p->arena, p->count * sizeof(size_t));
	if (!stack)
		return rt__error_nomem();
	size_t depth = 0;
	for (size_t t = 0; t < p->count; t++) {
		p->tokens[t].match = p->count - 1;
		if (p->tokens[t].kind == TK_LPAREN) {
			stack[depth++] = t;
		} else if (p->tokens[t].kind == TK_RPAREN && depth > 0) {
			size_t open = stack[--depth];
			p->tokens[open].match = t;
			p->tokens[t].match = open;
		}
	}
	return RT_OK;
}

/* --- token helpers -------------------------------------------------------------- */

static const token *peek(const parser *p, size_t ahead)
{
	size_t at = p->pos + ahead;
	return &p->tokens[at < p->count ? at : p->count - 1];
}

static bool is_keyword(const parser *p, const token *t, const char *keyword)
{
	size_t n = strlen(keyword);
	if (t->kind != TK_WORD || t->len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p->sql[t->start + i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != keyword[i])
			return false;
	}
	return true;
}

static bool at_keyword(const parser *p, const char *keyword)
{
	return is_keyword(p, peek(p, 0), keyword);
}

/* Consumes keyword if it is next. */
static bool accept(parser *p, const char *keyword)
{
	if (!at_keyword(p, keyword))
		return false;
	p->pos++;
	return true;
}

static bool is_name_token(const token *t)
{
	return t->kind == TK_WORD || t->kind == TK_QUOTED || t->kind == TK_STRING;
}

/* The identifier a token spells, quotes removed and doubled quotes undone. */
static char *token_name(parser *p, const token *t)
{
	const char *s = p->sql + t->start;
	if (t->kind == TK_WORD)
		return rt__arena_strndup(p->arena, s, t->len);
	char close = s[0] == '[' ? ']' : s[0];
	size_t inner = t->len >= 2 && s[t->len - 1] == close ? t->len - 2 : t->len - 1;
	char *out = rt__arena_alloc(p->arena, inner + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 1; i <= inner; i++) {
		out[o++] = s[i];
		if (close != ']' && s[i] == close && s[i + 1] == close)
			i++;
	}
	out[o] = '\0';
	return out;
}

/* Reads a name token; NULL (without error) when the next token is none. */
static const char *take_name(parser *p, int *rc)
{
	const token *t = peek(p, 0);
	if (!is_name_token(t))
		return NULL;
	p->pos++;
	char *name = token_name(p, t);
	if (!name)
		*rc = rt__error_nomem();
	return name;
}

/* Steps over one token, or a whole parenthesised group. */
static void skip_one(parser *p)
{
	const token *t = peek(p, 0);
	if (t->kind == TK_END)
		return;
	p->pos = (t->kind == TK_LPAREN ? t->match : p->pos) + 1;
}

/* The source text strictly inside the group that starts at the '(' token
 * under the cursor, trimmed; the cursor moves past the group. */
static char *take_group_text(parser *p)
{
	const token *open = peek(p, 0);
	const token *close = &p->tokens[open->match];
	size_t start = open->start + 1;
	size_t end = close->start; /* an unclosed group runs to the end */
	p->pos = open->match + 1;
	while (start < end && (p->sql[start] == ' ' || p->sql[start] == '\n' ||
			       p->sql[start] == '\t' || p->sql[start] == '\r'))
		start++;
	while (end > start && (p->sql[end - 1] == ' ' || p->sql[end - 1] == '\n' ||
			       p->sql[end - 1] == '\t' || p->sql[end - 1] == '\r'))
		end--;
	char *text = rt__arena_strndup(p->arena, p->sql + start, end - start);
	if (!text)
		rt__error_nomem();
	return text;
}

/* --- constraints ----------------------------------------------------------------- */

static rt_sqlite_constraint *add_constraint(parser *p, rt_constraint_kind kind,
					    const char *name, const char *column)
{
	rt_sqlite_constraint *c = rt__arena_alloc(p->arena, sizeof(*c));
	if (!c || RT_ARENA_PUSH(p->arena, p->def->constraints, p->def->constraint_count,
				p->def->constraint_cap, c) < 0) {
		rt__error_nomem();
		return NULL;
	}
	c->kind = kind;
	c->name = name;
	c->column = column;
	if (column) {
		c->columns = rt__arena_alloc(p->arena, sizeof(char *));
		if (!c->columns) {
			rt__error_nomem();
			return NULL;
		}
		c->columns[0] = column;
		c->column_count = 1;
	}
	return c;
}

/* ( a [COLLATE x] [ASC|DESC], b ... ): the leading name of each item. */
static int take_column_list(parser *p, const char ***out, size_t *count)
{
	const token *open = peek(p, 0);
	if (open->kind != TK_LPAREN)
		return RT_OK;
	size_t end = open->match;
	size_t items = 1;
	for (size_t t = p->pos + 1; t < end; t++) {
		if (p->tokens[t].kind == TK_LPAREN)
			t = p->tokens[t].match;
		else if (p->tokens[t].kind == TK_COMMA)
			items++;
	}
	const char **names = rt__arena_alloc(p->arena, items * sizeof(char *));
	if (!names)
		return rt__error_nomem();
	size_t n = 0;
	p->pos++;
	bool item_start = true;
	while (p->pos < end) {
		const token *t = peek(p, 0);
		if (t->kind == TK_COMMA) {
			item_start = true;
			p->pos++;
			continue;
		}
		if (item_start && is_name_token(t)) {
			if (!(names[n++] = token_name(p, t)))
				return rt__error_nomem();
		}
		item_start = false;
		skip_one(p);
	}
	p->pos = end + 1;
	*out = names;
	*count = n;
	return RT_OK;
}

static void skip_conflict_clause(parser *p)
{
	if (at_keyword(p, "ON") && is_keyword(p, peek(p, 1), "CONFLICT"))
		p->pos += 3;
}

static rt_fk_action take_action(parser *p)
{
	if (accept(p, "CASCADE"))
		return RT_FK_CASCADE;
	if (accept(p, "RESTRICT"))
		return RT_FK_RESTRICT;
	if (accept(p, "SET")) {
		if (accept(p, "NULL"))
			return RT_FK_SET_NULL;
		accept(p, "DEFAULT");
		return RT_FK_SET_DEFAULT;
	}
	if (accept(p, "NO"))
		accept(p, "ACTION");
	return RT_FK_NO_ACTION;
}

/* REFERENCES t [(cols)] [ON DELETE|UPDATE action | MATCH x | [NOT] DEFERRABLE ...]* */
static int take_references(parser *p, rt_sqlite_constraint *c)
{
	int rc = RT_OK;
	c->ref_table = take_name(p, &rc);
	if (rc < 0)
		return rc;
	if ((rc = take_column_list(p, &c->ref_columns, &c->ref_column_count)) < 0)
		return rc;
	for (;;) {
		if (accept(p, "ON")) {
			if (accept(p, "DELETE"))
				c->on_delete = take_action(p);
			else if (accept(p, "UPDATE"))
				c->on_update = take_action(p);
			else
				skip_one(p);
		} else if (accept(p, "MATCH")) {
			skip_one(p);
		} else if (at_keyword(p, "NOT") && is_keyword(p, peek(p, 1), "DEFERRABLE")) {
			p->pos += 2;
			c->deferred = false; /* whatever INITIALLY says */
			if (accept(p, "INITIALLY"))
				skip_one(p);
		} else if (accept(p, "DEFERRABLE")) {
			/* Deferred only with INITIALLY DEFERRED (SQLite's rule). */
		} else if (accept(p, "INITIALLY")) {
			c->deferred = accept(p, "DEFERRED");
			if (!c->deferred)
				skip_one(p);
		} else {
			return RT_OK;
		}
	}
}

static bool at_column_constraint(const parser *p)
{
	static const char *const keywords[] = {
		"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT",
		"COLLATE", "REFERENCES", "GENERATED", "AS"};
	for (size_t i = 0; i < sizeof(keywords) / sizeof(*keywords); i++)
		if (at_keyword(p, keywords[i]))
			return true;
	return false;
}

static int parse_column(parser *p, size_t end)
{
	int rc = RT_OK;
	size_t def_start = peek(p, 0)->start;
	size_t def_end = end > p->pos ? p->tokens[end - 1].start + p->tokens[end - 1].len
				      : def_start;
	const char *column = take_name(p, &rc);
	if (!column)
		return rc;

	/* The declared type: every token up to the first constraint keyword. */
	size_t type_start = peek(p, 0)->start, type_end = type_start;
	while (p->pos < end && !at_column_constraint(p)) {
		skip_one(p);
		type_end = p->tokens[p->pos - 1].start + p->tokens[p->pos - 1].len;
	}
	rt_sqlite_column_def def = {
		.name = column,
		.type = rt__arena_strndup(p->arena, p->sql + type_start, type_end - type_start),
		.type_start = type_start,
		.type_end = type_end,
		.def_start = def_start,
		.def_end = def_end};
	if (!def.type || rt__arena_reserve(p->arena, (void **)&p->def->columns,
					   &p->def->column_cap, p->def->column_count + 1,
					   sizeof(def)) < 0)
		return rt__error_nomem();
	p->def->columns[p->def->column_count++] = def;
	rt_sqlite_column_def *cdef = &p->def->columns[p->def->column_count - 1];

	const char *name = NULL; /* from CONSTRAINT name, for the next constraint */
	while (p->pos < end) {
		rt_sqlite_constraint *c = NULL;
		if (accept(p, "CONSTRAINT")) {
			name = take_name(p, &rc);
			if (rc < 0)
				return rc;
			continue;
		}
		if (accept(p, "PRIMARY")) {
			accept(p, "KEY");
			if (!(c = add_constraint(p, RT_CONSTRAINT_PRIMARY_KEY, name, column)))
				return RT_ENOMEM;
			if (!accept(p, "ASC"))
				accept(p, "DESC");
			skip_conflict_clause(p);
			c->autoincrement = accept(p, "AUTOINCREMENT");
		} else if (accept(p, "UNIQUE")) {
			if (!add_constraint(p, RT_CONSTRAINT_UNIQUE, name, column))
				return RT_ENOMEM;
			skip_conflict_clause(p);
		} else if (accept(p, "CHECK")) {
			if (!(c = add_constraint(p, RT_CONSTRAINT_CHECK, name, column)))
				return RT_ENOMEM;
			if (peek(p, 0)->kind == TK_LPAREN && !(c->check = take_group_text(p)))
				return RT_ENOMEM;
		} else if (accept(p, "REFERENCES")) {
			if (!(c = add_constraint(p, RT_CONSTRAINT_FOREIGN_KEY, name, column)))
				return RT_ENOMEM;
			if ((rc = take_references(p, c)) < 0)
				return rc;
		} else if (accept(p, "NOT") || accept(p, "NULL")) {
			accept(p, "NULL");
			skip_conflict_clause(p);
		} else if (accept(p, "DEFAULT")) {
			if (peek(p, 0)->kind == TK_OTHER) /* a sign: DEFAULT -1 */
				p->pos++;
			skip_one(p);
		} else if (accept(p, "COLLATE")) {
			if (is_name_token(peek(p, 0)) &&
			    !(cdef->collation = token_name(p, peek(p, 0))))
				return RT_ENOMEM;
			skip_one(p);
		} else if (at_keyword(p, "GENERATED") || at_keyword(p, "AS")) {
			/* [GENERATED ALWAYS] AS (expr) [STORED | VIRTUAL] */
			cdef->generated = true;
			accept(p, "GENERATED");
			accept(p, "ALWAYS");
			accept(p, "AS");
			if (peek(p, 0)->kind == TK_LPAREN &&
			    !(cdef->generation = take_group_text(p)))
				return RT_ENOMEM;
			if (accept(p, "STORED"))
				cdef->generated_stored = true;
			else
				accept(p, "VIRTUAL");
		} else {
			skip_one(p); /* anything unknown */
		}
		name = NULL;
	}
	return RT_OK;
}

static int parse_table_constraint(parser *p, size_t end)
{
	int rc = RT_OK;
	const char *name = NULL;
	if (accept(p, "CONSTRAINT")) {
		name = take_name(p, &rc);
		if (rc < 0)
			return rc;
	}
	rt_sqlite_constraint *c = NULL;
	if (accept(p, "PRIMARY") || accept(p, "UNIQUE")) {
		bool primary = is_keyword(p, &p->tokens[p->pos - 1], "PRIMARY");
		accept(p, "KEY");
		c = add_constraint(p, primary ? RT_CONSTRAINT_PRIMARY_KEY : RT_CONSTRAINT_UNIQUE,
				   name, NULL);
		if (!c)
			return RT_ENOMEM;
		if ((rc = take_column_list(p, &c->columns, &c->column_count)) < 0)
			return rc;
		skip_conflict_clause(p);
	} else if (accept(p, "CHECK")) {
		if (!(c = add_constraint(p, RT_CONSTRAINT_CHECK, name, NULL)))
			return RT_ENOMEM;
		if (peek(p, 0)->kind == TK_LPAREN && !(c->check = take_group_text(p)))
			return RT_ENOMEM;
	} else if (accept(p, "FOREIGN")) {
		accept(p, "KEY");
		if (!(c = add_constraint(p, RT_CONSTRAINT_FOREIGN_KEY, name, NULL)))
			return RT_ENOMEM;
		if ((rc = take_column_list(p, &c->columns, &c->column_count)) < 0)
			return rc;
		if (accept(p, "REFERENCES") && (rc = take_references(p, c)) < 0)
			return rc;
	}
	p->pos = end;
	return RT_OK;
}

static bool at_table_constraint(const parser *p)
{
	return at_keyword(p, "CONSTRAINT") || at_keyword(p, "PRIMARY") ||
	       at_keyword(p, "UNIQUE") || at_keyword(p, "CHECK") || at_keyword(p, "FOREIGN");
}

/* CREATE [TEMP] TABLE [IF NOT EXISTS] [schema.]name ( item, ... ) [options] */
static int parse_statement(parser *p)
{
	int rc = RT_OK;
	if (!accept(p, "CREATE"))
		return RT_OK;
	if (!accept(p, "TEMP"))
		accept(p, "TEMPORARY");
	if (!accept(p, "TABLE"))
		return RT_OK;
	if (at_keyword(p, "IF") && is_keyword(p, peek(p, 1), "NOT"))
		p->pos += 3;
	const char *name = take_name(p, &rc);
	if (rc < 0)
		return rc;
	if (peek(p, 0)->kind == TK_OTHER && p->sql[peek(p, 0)->start] == '.') {
		p->pos++;
		name = take_name(p, &rc);
		if (rc < 0)
			return rc;
	}
	p->def->name = name;
	if (peek(p, 0)->kind != TK_LPAREN)
		return RT_OK; /* CREATE TABLE ... AS SELECT */

	size_t close = peek(p, 0)->match;
	p->pos++;
	while (p->pos < close) {
		/* This item ends at the next comma outside parentheses. */
		size_t end = p->pos;
		while (end < close && p->tokens[end].kind != TK_COMMA)
			end = p->tokens[end].kind == TK_LPAREN ? p->tokens[end].match + 1 : end + 1;
		if (end > close)
			end = close;
		rc = at_table_constraint(p) ? parse_table_constraint(p, end) : parse_column(p, end);
		if (rc < 0)
			return rc;
		p->pos = end + 1;
	}
	p->def->close = p->tokens[close].start;
	p->pos = close + 1;
	if (peek(p, 0)->kind != TK_END &&
	    !(p->def->options = rt__arena_strdup(p->arena, p->sql + peek(p, 0)->start)))
		return rt__error_nomem();
	while (peek(p, 0)->kind != TK_END) {
		if (accept(p, "WITHOUT") && accept(p, "ROWID"))
			p->def->without_rowid = true;
		else if (accept(p, "STRICT"))
			p->def->strict = true;
		else
			skip_one(p);
	}
	return RT_OK;
}

int rt__sqlite_parse_create_table(rt_sqlite_table_def *out, rt_arena *arena, const char *sql)
{
	memset(out, 0, sizeof(*out));
	parser p = {.arena = arena, .sql = sql ? sql : "", .def = out};
	out->sql = p.sql;
	int rc = tokenize(&p);
	if (rc < 0)
		return rc;
	return parse_statement(&p);
}

/* The source text from token first to token end (excluded), trimmed of
 * blanks, with the parentheses around it all taken off. */
static char *span_text(parser *p, size_t first, size_t end)
{
	while (end > first + 1 && p->tokens[first].kind == TK_LPAREN &&
	       p->tokens[first].match == end - 1) {
		first++;
		end--;
	}
	size_t from = p->tokens[first].start;
	size_t to = end > first ? p->tokens[end - 1].start + p->tokens[end - 1].len : from;
	char *text = rt__arena_strndup(p->arena, p->sql + from, to - from);
	if (!text)
		rt__error_nomem();
	return text;
}

int rt__sqlite_parse_create_index(rt_sqlite_index_def *out, rt_arena *arena, const char *sql)
{
	memset(out, 0, sizeof(*out));
	parser p = {.arena = arena, .sql = sql ? sql : ""};
	int rc = tokenize(&p);
	if (rc < 0)
		return rc;
	/* CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table ( */
	while (peek(&p, 0)->kind != TK_END && peek(&p, 0)->kind != TK_LPAREN)
		p.pos++;
	if (peek(&p, 0)->kind != TK_LPAREN)
		return RT_OK;
	size_t close = peek(&p, 0)->match;
	p.pos++;
	while (p.pos < close) {
		size_t end = p.pos;
		while (end < close && p.tokens[end].kind != TK_COMMA)
			end = p.tokens[end].kind == TK_LPAREN ? p.tokens[end].match + 1 : end + 1;
		if (end > close)
			end = close;
		/* [COLLATE name] [ASC | DESC] at the end of the key. */
		size_t key_end = end;
		if (key_end > p.pos && (is_keyword(&p, &p.tokens[key_end - 1], "ASC") ||
					is_keyword(&p, &p.tokens[key_end - 1], "DESC")))
			key_end--;
		bool collated = key_end >= p.pos + 2 &&
				is_keyword(&p, &p.tokens[key_end - 2], "COLLATE");
		if (collated)
			key_end -= 2;
		rt_sqlite_index_key key = {span_text(&p, p.pos, key_end), collated};
		if (!key.text || RT_ARENA_PUSH(arena, out->keys, out->key_count, out->key_cap,
					       key) < 0)
			return rt__error_nomem();
		p.pos = end + 1;
	}
	p.pos = close + 1;
	if (accept(&p, "WHERE")) {
		size_t end = p.count - 1; /* TK_END */
		while (end > p.pos && p.tokens[end - 1].kind == TK_OTHER &&
		       p.sql[p.tokens[end - 1].start] == ';')
			end--;
		if (end > p.pos && !(out->where = span_text(&p, p.pos, end)))
			return RT_ENOMEM;
	}
	return RT_OK;
}

bool rt__sqlite_names_identifier(rt_arena *arena, const char *sql, const char *name)
{
	parser p = {.arena = arena, .sql = sql ? sql : ""};
	if (!name || tokenize(&p) < 0)
		return true; /* out of memory: say yes, which refuses rather than loses */
	for (size_t i = 0; i < p.count; i++) {
		/* Not 'x': a string is a value here, not a name. */
		if (p.tokens[i].kind != TK_WORD && p.tokens[i].kind != TK_QUOTED)
			continue;
		const char *text = token_name(&p, &p.tokens[i]);
		if (!text || strcasecmp(text, name) == 0)
			return true;
	}
	return false;
}

const char *rt__sqlite_view_query(rt_arena *arena, const char *sql)
{
	parser p = {.arena = arena, .sql = sql ? sql : ""};
	if (tokenize(&p) < 0 || !accept(&p, "CREATE") || !accept(&p, "VIEW"))
		return NULL; /* TEMP views are the connection's, never read here */
	if (accept(&p, "IF") && !(accept(&p, "NOT") && accept(&p, "EXISTS")))
		return NULL;
	if (!is_name_token(peek(&p, 0)))
		return NULL;
	skip_one(&p);
	if (peek(&p, 0)->kind == TK_OTHER && p.sql[peek(&p, 0)->start] == '.') {
		skip_one(&p);
		if (!is_name_token(peek(&p, 0)))
			return NULL;
		skip_one(&p);
	}
	/* A column list has no place in the language's view: not modeled. */
	if (!accept(&p, "AS") || peek(&p, 0)->kind == TK_END)
		return NULL;
	return p.sql + peek(&p, 0)->start;
}

/* --- names ------------------------------------------------------------------------ */

const char *rt__sqlite_constraint_name(rt_arena *arena, const rt_sqlite_table_def *def,
				       const rt_sqlite_constraint *c)
{
	if (c->name)
		return c->name;
	const char *table = def->name ? def->name : "";
	switch (c->kind) {
	case RT_CONSTRAINT_PRIMARY_KEY:
		return rt__name_primary_key(arena, table);
	case RT_CONSTRAINT_UNIQUE:
		return rt__name_unique(arena, table, c->columns, c->column_count);
	case RT_CONSTRAINT_FOREIGN_KEY:
		return rt__name_foreign_key(arena, table, c->columns, c->column_count,
					    c->ref_table ? c->ref_table : "");
	case RT_CONSTRAINT_CHECK:
		break;
	}
	if (c->column)
		return rt__name_column_check(arena, table, c->column);
	int n = 0;
	for (size_t i = 0; i < def->constraint_count; i++) {
		const rt_sqlite_constraint *other = def->constraints[i];
		if (other->kind == RT_CONSTRAINT_CHECK && !other->name && !other->column)
			n++;
		if (other == c)
			break;
	}
	return rt__name_table_check(arena, table, n);
}
