/*
 * script_parse.c - reading a migration script (script.h): its header, line
 * by line, then the `upgrade { ... }` and `downgrade { ... }` blocks with
 * the schema language's lexer and parser (script_ops.c reads each
 * operation).
 *
 * The header is read by hand, not by the lexer, because revision ids are
 * not tokens of the schema language (1a2b3c4d5e6f starts like a number)
 * and its first comment line is the message, which the lexer would skip.
 * The parse collects every error it can (one per bad line, then on), in a
 * list of its own, whose messages join the caller's list at the end.
 */
#include <string.h>

#include "base/datetime.h"
#include "base/error.h"
#include "base/sha256.h"
#include "migrate/script.h"
#include "migrate/script_impl.h"

/* The version table keeps revision ids in a VARCHAR(32) (Alembic's). */
#define MAX_REVISION_LENGTH 32

enum { H_REVISION, H_REVISES, H_CREATED, H_BRANCH, H_DEPENDS, H_TRANSACTION, H_COUNT };

static const char *const header_words[H_COUNT] = {
	"revision", "revises", "created", "branch", "depends", "transaction",
};

const char *rt__script_keep(rt_script *s, const char *text)
{
	if (!text)
		return NULL;
	const char *copy = rt__arena_strdup(s->keep, text);
	if (!copy)
		s->diags->nomem = true;
	return copy;
}

/* --- the header ------------------------------------------------------------------ */

/* One line of the header, being read. */
typedef struct line {
	rt_script *s;
	const char *begin, *end; /* the line without its line break */
	const char *cur;
	int number;
} line;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static rt_pos pos_at(const line *l, const char *at)
{
	rt_pos pos = {l->s->m->path, l->number, (int)(at - l->begin) + 1};
	return pos;
}

static void skip_blanks(line *l)
{
	while (l->cur < l->end && is_blank(*l->cur))
		l->cur++;
}

/* The next word of the line (up to a blank or a comment), copied into the
 * parse's arena; NULL at the end of the line. */
static const char *next_word(line *l, const char **start)
{
	skip_blanks(l);
	if (l->cur >= l->end || *l->cur == '#')
		return NULL;
	*start = l->cur;
	while (l->cur < l->end && !is_blank(*l->cur) && *l->cur != '#')
		l->cur++;
	const char *word = rt__arena_strndup(l->s->tmp, *start, (size_t)(l->cur - *start));
	if (!word)
		l->s->diags->nomem = true;
	return word;
}

/* How a word reads in a message: itself, or the byte that cannot be part
 * of one. */
static const char *describe_word(rt_script *s, const char *start, const char *end)
{
	unsigned char c = (unsigned char)*start;
	const char *text;
	if (c >= 0x21 && c < 0x7f)
		text = rt__arena_printf(s->tmp, "'%.*s'", (int)(end - start), start);
	else
		text = rt__arena_printf(s->tmp, "byte 0x%02x", c);
	return text ? text : "?";
}

/* Revision ids: letters, digits and '_' (Alembic refuses '@', '-' and '+',
 * which targets use: base@head, -1, ae10+2). Labels start with a letter,
 * so that they never read as an id or a relative step. */
static bool is_revision_id(const char *w)
{
	size_t n = 0;
	for (; w[n]; n++)
		if (!is_alpha(w[n]) && !is_digit(w[n]))
			return false;
	return n > 0 && n <= MAX_REVISION_LENGTH;
}

static bool is_label(const char *w)
{
	if (!is_alpha(w[0]))
		return false;
	for (const char *c = w; *c; c++)
		if (!is_alpha(*c) && !is_digit(*c) && *c != '-')
			return false;
	return strlen(w) <= MAX_REVISION_LENGTH;
}

/* depends_on names a revision or a branch label. */
static bool is_dependency(const char *w)
{
	return is_revision_id(w) || is_label(w);
}

/* Appends a word to a header list, refusing it twice. */
static int push_word(line *l, const char ***items, size_t *count, const char *word,
		     const char *start, const char *what)
{
	for (size_t i = 0; i < *count; i++)
		if (strcmp((*items)[i], word) == 0) {
			rt__diag_error(l->s->diags, pos_at(l, start), "%s '%s' is listed twice",
				       what, word);
			return -1;
		}
	size_t cap = *count;
	const char *kept = rt__script_keep(l->s, word);
	if (!kept || rt__arena_reserve(l->s->keep, (void **)items, &cap, *count + 1,
				       sizeof(**items)) < 0) {
		l->s->diags->nomem = true;
		return -1;
	}
	(*items)[(*count)++] = kept;
	return 0;
}

/* revision <id> */
static void header_revision(line *l, const char *keyword_end)
{
	const char *start, *word = next_word(l, &start);
	if (!word) {
		rt__diag_error(l->s->diags, pos_at(l, keyword_end),
			       "expected a revision id after 'revision'");
		return;
	}
	if (!is_revision_id(word)) {
		rt__diag_error(l->s->diags, pos_at(l, start),
			       "a revision id is letters, digits and '_', at most %d of "
			       "them; found %s",
			       MAX_REVISION_LENGTH, describe_word(l->s, start, l->cur));
		return;
	}
	l->s->m->revision = rt__script_keep(l->s, word);
	const char *extra = next_word(l, &start);
	if (extra)
		rt__diag_error(l->s->diags, pos_at(l, start),
			       "a script has one revision id; found a second one, %s "
			       "(the parents go on the 'revises' line)",
			       describe_word(l->s, start, l->cur));
}

/* revises base | <id>... */
static void header_revises(line *l, const char *keyword_end)
{
	rt_migration *m = l->s->m;
	const char *start, *word;
	const char *base_at = NULL;
	bool any = false;
	while ((word = next_word(l, &start))) {
		any = true;
		if (strcmp(word, "base") == 0) {
			if (base_at || m->revises_count)
				rt__diag_error(l->s->diags, pos_at(l, start),
					       "'base' stands alone: a first revision "
					       "revises nothing else");
			base_at = start;
			continue;
		}
		if (base_at) {
			rt__diag_error(l->s->diags, pos_at(l, start),
				       "'base' stands alone: a first revision revises "
				       "nothing else");
			continue;
		}
		if (!is_revision_id(word)) {
			rt__diag_error(l->s->diags, pos_at(l, start),
				       "expected a revision id or 'base' after 'revises', "
				       "found %s",
				       describe_word(l->s, start, l->cur));
			continue;
		}
		push_word(l, &m->revises, &m->revises_count, word, start, "revision");
	}
	if (!any)
		rt__diag_error(l->s->diags, pos_at(l, keyword_end),
			       "expected 'base' or the revision ids this one follows after "
			       "'revises'");
}

/* YYYY-MM-DD[ HH:MM[:SS[.ffffff]]], as Alembic's create_date prints, and
 * a moment that exists (no 2024-13-45 99:99:99). */
static bool is_timestamp(const char *t)
{
	if (!rt__datetime_date(&t))
		return false;
	if (!*t)
		return true;
	if (*t != ' ')
		return false;
	t++;
	return rt__datetime_time(&t) && !*t;
}

/* created <date> <time> - the rest of the line, up to a comment. */
static void header_created(line *l, const char *keyword_end)
{
	skip_blanks(l);
	const char *start = l->cur, *stop = l->cur;
	while (l->cur < l->end && *l->cur != '#') {
		if (!is_blank(*l->cur))
			stop = l->cur + 1;
		l->cur++;
	}
	if (stop == start) {
		rt__diag_error(l->s->diags, pos_at(l, keyword_end),
			       "expected a date and time after 'created', such as "
			       "2024-09-14 16:38:00");
		return;
	}
	const char *text = rt__arena_strndup(l->s->tmp, start, (size_t)(stop - start));
	if (!text) {
		l->s->diags->nomem = true;
		return;
	}
	if (!is_timestamp(text)) {
		rt__diag_error(l->s->diags, pos_at(l, start),
			       "expected a date and time after 'created', such as "
			       "2024-09-14 16:38:00; found '%s'",
			       text);
		return;
	}
	l->s->m->created = rt__script_keep(l->s, text);
}

/* transaction none - the revision runs outside a transaction, statement
 * by statement, its progress recorded after each (runner.h): what a
 * statement that cannot run inside a transaction needs (PostgreSQL's
 * CREATE INDEX CONCURRENTLY), and how every revision runs where DDL is
 * not transactional. `none` is the only value; leaving the line out is
 * the default, the run's transaction. */
static void header_transaction(line *l, const char *keyword_end)
{
	const char *start, *word = next_word(l, &start);
	if (!word) {
		rt__diag_error(l->s->diags, pos_at(l, keyword_end),
			       "expected 'none' after 'transaction'");
		return;
	}
	if (strcmp(word, "none") != 0) {
		rt__diag_error(l->s->diags, pos_at(l, start),
			       "expected 'none' after 'transaction' (the only choice: leave the "
			       "line out for the run's transaction), found %s",
			       describe_word(l->s, start, l->cur));
		return;
	}
	const char *extra = next_word(l, &start);
	if (extra) {
		rt__diag_error(l->s->diags, pos_at(l, start),
			       "expected the end of the line after 'transaction none', found %s",
			       describe_word(l->s, start, l->cur));
		return;
	}
	l->s->m->no_transaction = true;
}

/* branch <label>... | depends <id or label>... */
static void header_list(line *l, const char *keyword_end, bool branch)
{
	rt_migration *m = l->s->m;
	const char *start, *word;
	bool any = false;
	while ((word = next_word(l, &start))) {
		any = true;
		if (branch ? !is_label(word) : !is_dependency(word)) {
			rt__diag_error(l->s->diags, pos_at(l, start),
				       branch ? "a branch label is a letter or '_' and then "
						"letters, digits, '_' or '-'; found %s"
					      : "expected a revision id or a branch label "
						"after 'depends', found %s",
				       describe_word(l->s, start, l->cur));
			continue;
		}
		if (branch)
			push_word(l, &m->branches, &m->branch_count, word, start, "branch label");
		else
			push_word(l, &m->depends, &m->depends_count, word, start, "revision");
	}
	if (!any)
		rt__diag_error(l->s->diags, pos_at(l, keyword_end),
			       branch ? "expected a branch label after 'branch'"
				      : "expected the revisions this one depends on after "
					"'depends'");
}

static void unknown_header_line(line *l, const char *start, const char *word_end)
{
	rt_script *s = l->s;
	s->unknown_header_line = true;
	const char *what = "a header line (revision, revises, created, branch, depends or "
			   "transaction) "
			   "or 'upgrade {'";
	if (word_end == start) {
		const char *stop = start + 1;
		rt__diag_error(s->diags, pos_at(l, start), "expected %s, found %s", what,
			       describe_word(s, start, stop));
		return;
	}
	const char *word = rt__arena_strndup(s->tmp, start, (size_t)(word_end - start));
	if (!word) {
		s->diags->nomem = true;
		return;
	}
	rt_suggest suggest;
	rt__suggest_init(&suggest, word);
	for (size_t i = 0; i < H_COUNT; i++)
		rt__suggest_consider(&suggest, header_words[i]);
	rt__suggest_consider(&suggest, "upgrade");
	rt__suggest_consider(&suggest, "downgrade");
	if (rt__suggest_result(&suggest))
		rt__diag_error(s->diags, pos_at(l, start),
			       "expected a header line, found '%s'; did you mean '%s'?", word,
			       rt__suggest_result(&suggest));
	else
		rt__diag_error(s->diags, pos_at(l, start), "expected %s, found '%s'", what,
			       word);
}

/* One line `keyword value...`; seen[] remembers where each keyword was. */
static void header_line(line *l, rt_pos seen[H_COUNT])
{
	const char *start = l->cur;
	while (l->cur < l->end && (is_alpha(*l->cur) || is_digit(*l->cur)))
		l->cur++;
	const char *word_end = l->cur;
	size_t n = (size_t)(word_end - start);
	int which = -1;
	for (int i = 0; i < H_COUNT; i++)
		if (strlen(header_words[i]) == n && memcmp(header_words[i], start, n) == 0)
			which = i;
	if (which < 0) {
		unknown_header_line(l, start, word_end);
		return;
	}
	if (l->cur < l->end && !is_blank(*l->cur) && *l->cur != '#') {
		/* revision: abc, as other tools write headers */
		rt__diag_error(l->s->diags, pos_at(l, l->cur),
			       "expected a blank and the value after '%s', found %s",
			       header_words[which], describe_word(l->s, l->cur, l->cur + 1));
		l->s->unknown_header_line = true;
		return;
	}
	if (RT_POS_SET(seen[which])) {
		rt__diag_error(l->s->diags, pos_at(l, start),
			       "'%s' is given twice (first on line %d)", header_words[which],
			       seen[which].line);
		return;
	}
	seen[which] = pos_at(l, start);
	switch (which) {
	case H_REVISION: header_revision(l, word_end); break;
	case H_REVISES: header_revises(l, word_end); break;
	case H_CREATED: header_created(l, word_end); break;
	case H_BRANCH: header_list(l, word_end, true); break;
	case H_TRANSACTION: header_transaction(l, word_end); break;
	default: header_list(l, word_end, false); break;
	}
}

/* The message: the text of a comment line before the header's keywords. */
static void take_message(line *l)
{
	const char *start = l->cur + 1, *stop = l->end;
	const char *nul = memchr(start, '\0', (size_t)(stop - start));
	if (nul)
		stop = nul; /* a C string ends there anyway */
	while (start < stop && is_blank(*start))
		start++;
	while (stop > start && is_blank(stop[-1]))
		stop--;
	const char *message = rt__arena_strndup(l->s->keep, start, (size_t)(stop - start));
	if (!message)
		l->s->diags->nomem = true;
	else
		l->s->m->message = message;
}

static bool starts_block(const line *l)
{
	for (int i = 0; i < 2; i++) {
		const char *word = i ? "downgrade" : "upgrade";
		size_t n = strlen(word);
		if ((size_t)(l->end - l->cur) >= n && memcmp(l->cur, word, n) == 0 &&
		    (l->cur + n == l->end || !(is_alpha(l->cur[n]) || is_digit(l->cur[n]))))
			return true;
	}
	return false;
}

/* Reads the header; returns the offset of the line that starts the blocks
 * (the text's length when none does) and its number in *block_line. */
static size_t read_header(rt_script *s, const char *text, size_t len, int *block_line)
{
	rt_pos seen[H_COUNT];
	memset(seen, 0, sizeof(seen));
	bool keywords = false, message = false;
	line l = {s, text, text, text, 1};
	const char *end = text + len;
	s->header_end = pos_at(&l, text);
	while (l.begin < end && !rt__diag_full(s->diags)) {
		const char *nl = memchr(l.begin, '\n', (size_t)(end - l.begin));
		l.end = nl ? nl : end;
		l.cur = l.begin;
		skip_blanks(&l);
		if (l.cur < l.end && !starts_block(&l)) {
			const char *stop = l.end;
			while (stop > l.cur && is_blank(stop[-1]))
				stop--;
			s->header_end = pos_at(&l, stop);
		}
		if (l.cur < l.end && *l.cur == '#') {
			if (!keywords && !message)
				take_message(&l);
			message = true;
		} else if (l.cur < l.end) {
			if (starts_block(&l))
				break;
			keywords = true;
			header_line(&l, seen);
		}
		l.begin = nl ? nl + 1 : end;
		l.number++;
	}
	*block_line = l.number;
	/* A line that was not understood may well have been the one missing:
	 * saying so twice helps no one. */
	if (s->unknown_header_line)
		return (size_t)(l.begin - text);
	rt_pos at = {s->m->path, l.number, 1};
	if (!RT_POS_SET(seen[H_REVISION]))
		rt__diag_error(s->diags, at,
			       "the header has no revision id: write 'revision <id>' before "
			       "'upgrade'");
	if (!RT_POS_SET(seen[H_REVISES]))
		rt__diag_error(s->diags, at,
			       "the header does not say what this revision follows: write "
			       "'revises base' for a first revision, else 'revises <id>'");
	return (size_t)(l.begin - text);
}

/* --- the blocks ---------------------------------------------------------------------- */

static bool stopped(rt_script *s)
{
	if (!rt__diag_full(s->diags))
		return false;
	if (s->p.tok.kind != RT_TOK_EOF)
		s->diags->truncated = true;
	return true;
}

static bool is_block_start(rt_parser *p, const char *word)
{
	if (!rt__parser_is_word(&p->tok, word))
		return false;
	const rt_token *next = rt__parser_peek(p, 1);
	return next->kind == RT_TOK_LBRACE && rt__parser_same_line(next);
}

/* Skips what is left of an operation after an error: the rest of its line,
 * and of a body it opened, up to a line that starts another operation. */
static void skip_op(rt_parser *p, const char *start)
{
	if (p->tok.start == start && p->tok.kind != RT_TOK_EOF)
		rt__parser_advance(p); /* the first token was at fault */
	int depth = 0;
	while (p->tok.kind != RT_TOK_EOF) {
		if (p->tok.line_start && (depth == 0 || rt__script_starts_op(p)))
			return;
		if (p->tok.kind == RT_TOK_RBRACE && depth == 0)
			return;
		if (p->tok.kind == RT_TOK_LBRACE)
			depth++;
		else if (p->tok.kind == RT_TOK_RBRACE)
			depth--;
		rt__parser_advance(p);
	}
}

/* `{ op... }` after the block's keyword, which is the current token.
 * Returns false when the block runs to the end of the file. */
static bool read_block(rt_script *s, const char *word, rt_op_list *ops, rt_pos *pos)
{
	rt_parser *p = &s->p;
	*pos = p->tok.pos;
	int open_line = p->tok.pos.line;
	rt__parser_advance(p);
	if (rt__parser_take(p, RT_TOK_LBRACE, "'{'") < 0)
		return true;
	rt__map_init(&s->enums, s->tmp);
	while (!stopped(s)) {
		if (p->tok.kind == RT_TOK_RBRACE) {
			rt__parser_advance(p);
			return true;
		}
		if (p->tok.kind == RT_TOK_EOF && p->lex.swallowed)
			return false;
		bool next_block = strcmp(word, "upgrade") == 0 && p->tok.line_start &&
				  is_block_start(p, "downgrade");
		if (p->tok.kind == RT_TOK_EOF || next_block) {
			rt__diag_error(s->diags,
				       p->tok.kind == RT_TOK_EOF ? p->prev_end : p->tok.pos,
				       "expected '}' to close %s (opened on line %d), found %s",
				       word, open_line,
				       p->tok.kind == RT_TOK_EOF ? "end of file" : "'downgrade'");
			return p->tok.kind != RT_TOK_EOF;
		}
		const char *start = p->tok.start;
		p->in_member = true;
		if (rt__script_op(s, ops) < 0)
			skip_op(p, start);
		p->in_member = false;
	}
	return true;
}

/* upgrade { ... } downgrade { ... } and nothing after them. */
static void read_blocks(rt_script *s)
{
	rt_parser *p = &s->p;
	rt_migration *m = s->m;
	rt__parser_advance(p);
	if (is_block_start(p, "upgrade")) {
		if (!read_block(s, "upgrade", &m->upgrade, &m->upgrade_pos))
			return;
	} else if (p->tok.kind == RT_TOK_EOF) {
		if (!p->lex.swallowed)
			rt__diag_error(s->diags, s->header_end,
				       "expected 'upgrade {' after the header, found end of "
				       "file");
		return;
	} else {
		rt__parser_expected(p, "'upgrade {'");
		if (!is_block_start(p, "downgrade"))
			return;
	}
	if (stopped(s))
		return;
	if (is_block_start(p, "downgrade")) {
		read_block(s, "downgrade", &m->downgrade, &m->downgrade_pos);
	} else if (p->tok.kind == RT_TOK_EOF) {
		/* Said where the file ends, on its last line. */
		if (!p->lex.swallowed)
			rt__diag_error(s->diags, p->prev_end,
				       "expected 'downgrade {' after the upgrade block, found "
				       "end of file");
		return;
	} else {
		rt__parser_expected(p, "'downgrade {'");
		return;
	}
	if (!stopped(s) && p->tok.kind != RT_TOK_EOF)
		rt__parser_expected(p, "the end of the file after the downgrade block");
}

/* --- entry points ------------------------------------------------------------------- */

static char *checksum_of(rt_arena *arena, const char *text, size_t len)
{
	char hex[RT_SHA256_HEX_SIZE];
	rt__sha256_hex(text, len, hex);
	return rt__arena_printf(arena, "sha256:%s", hex);
}

/* A new migration with its scratch schema, named name. */
static rt_migration *new_migration(const char *name, const char *text, size_t len)
{
	rt_schema *scratch = rt__schema_new();
	if (!scratch)
		return NULL;
	rt_migration *m = rt__arena_alloc(scratch->arena, sizeof(*m));
	if (!m || !(m->path = rt__arena_strdup(scratch->arena, name)) ||
	    !(m->checksum = checksum_of(scratch->arena, text, len)) ||
	    !(m->message = rt__arena_strdup(scratch->arena, ""))) {
		rt_schema_free(scratch);
		rt__error_nomem();
		return NULL;
	}
	m->scratch = scratch;
	return m;
}

/* Moves the diagnostics of one script into the caller's list, with the
 * file name they point to copied there. */
static void hand_over(rt_diag_list *to, const rt_diag_list *from, const char *name,
		      const char *text, size_t len)
{
	const char *file = rt__arena_strdup(to->arena, name);
	if (!file) {
		to->nomem = true;
		return;
	}
	if (text)
		rt__diag_add_source(to, file, text, len);
	for (size_t i = 0; i < from->count; i++) {
		rt_pos pos = from->items[i].pos;
		if (pos.file)
			pos.file = file;
		rt__diag_error(to, pos, "%s", from->items[i].message);
	}
	if (from->truncated)
		to->truncated = true;
	if (from->nomem)
		to->nomem = true;
}

int rt__script_parse_into(rt_migration **out, rt_diag_list *diags, const char *name,
			  const char *text, size_t len)
{
	*out = NULL;
	if (!text)
		text = "";
	rt_migration *m = new_migration(name ? name : "<script>", text, len);
	rt_arena *tmp = rt__arena_new();
	if (!m || !tmp) {
		rt__migration_free(m);
		rt__arena_free(tmp);
		return rt__error_nomem();
	}
	/* The script's own list stops where the caller's would. */
	rt_diag_list own;
	int room = diags->max_errors - (int)diags->count;
	rt__diag_init(&own, tmp, room > 0 ? room : 1);
	static const char *const first_words[] = {"revision", "revises", "created", "branch",
						  "depends", "transaction", "upgrade",
						  "downgrade"};
	rt_pos at;
	const char *why;
	bool shown = rt__diag_text_is_shown(m->path, text, len, first_words,
					    RT_COUNT(first_words),
					    "it does not begin with a script's header", &at, &why);
	if (shown) {
		rt__diag_add_source(&own, m->path, text, len);
	} else {
		rt__diag_error(&own, at,
			       "this is not a migration script (%s); it is not read, and none of "
			       "it is shown",
			       why);
		hand_over(diags, &own, m->path, NULL, 0);
		rt__migration_free(m);
		rt__arena_free(tmp);
		return own.nomem ? rt__error_nomem() : RT_EPARSE;
	}

	rt_script s;
	memset(&s, 0, sizeof(s));
	s.m = m;
	s.keep = m->scratch->arena;
	s.tmp = tmp;
	s.diags = &own;
	int block_line;
	size_t offset = read_header(&s, text, len, &block_line);
	if (!rt__diag_full(&own)) {
		rt__parse_init(&s.ctx, tmp, s.keep, &own, NULL, NULL);
		s.p.ctx = &s.ctx;
		s.p.ends_body = rt__script_starts_op;
		s.p.user = &s;
		rt__lexer_init(&s.p.lex, m->path, text, len, tmp, &own);
		rt__lexer_start_at(&s.p.lex, offset, block_line);
		read_blocks(&s);
	}
	int rc = RT_OK;
	if (rt__diag_has_errors(&own)) {
		hand_over(diags, &own, m->path, text, len);
		rc = own.nomem ? rt__error_nomem() : RT_EPARSE;
		rt__migration_free(m);
		m = NULL;
	}
	rt__arena_free(tmp);
	*out = m;
	return rc;
}

int rt__script_parse(rt_migration **out, const char *name, const char *text, size_t len,
		     int max_errors)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt__script_parse: out is NULL");
	*out = NULL;
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_diag_list diags;
	rt__diag_init(&diags, arena, max_errors);
	int rc = rt__script_parse_into(out, &diags, name, text, len);
	if (rc == RT_EPARSE || (rc == RT_OK && rt__diag_has_errors(&diags)))
		rc = rt__diag_fail(&diags);
	rt__arena_free(arena);
	return rc;
}

void rt__migration_free(rt_migration *m)
{
	if (m)
		rt_schema_free(m->scratch);
}
