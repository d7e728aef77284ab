/*
 * diag.c - recording diagnostics and rendering them with a source snippet
 * (diag.h), plus the typo suggestions that error messages offer.
 */
#include "schema/diag.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

typedef struct diag_source {
	const char *text;
	size_t len;
	int rank; /* files are reported in the order they were read */
} diag_source;

void rt__diag_init(rt_diag_list *diags, rt_arena *arena, int max_errors)
{
	memset(diags, 0, sizeof(*diags));
	diags->arena = arena;
	diags->max_errors = max_errors > 0 ? max_errors : RT_DIAG_DEFAULT_MAX_ERRORS;
	rt__map_init(&diags->sources, arena);
}

void rt__diag_add_source(rt_diag_list *diags, const char *file, const char *text,
			 size_t len)
{
	diag_source *source = rt__arena_alloc(diags->arena, sizeof(*source));
	const char *key = rt__arena_strdup(diags->arena, file);
	if (!source || !key) {
		diags->nomem = true;
		return;
	}
	source->text = text;
	source->len = len;
	source->rank = (int)diags->sources.count;
	if (rt__map_put(&diags->sources, key, source) < 0)
		diags->nomem = true;
}

static bool same_pos(rt_pos a, rt_pos b)
{
	if (a.line != b.line || a.col != b.col)
		return false;
	return a.file == b.file || (a.file && b.file && strcmp(a.file, b.file) == 0);
}

/* The same message at the same place says nothing new: a mixin's member
 * checked once for each model that uses it, say. */
static bool is_repeat(const rt_diag_list *diags, rt_pos pos, const char *message)
{
	for (size_t i = 0; i < diags->count; i++)
		if (same_pos(diags->items[i].pos, pos) &&
		    strcmp(diags->items[i].message, message) == 0)
			return true;
	return false;
}

void rt__diag_error(rt_diag_list *diags, rt_pos pos, const char *fmt, ...)
{
	if (rt__diag_full(diags)) {
		diags->truncated = true;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *message = rt__arena_vprintf(diags->arena, fmt, ap);
	va_end(ap);
	if (message && is_repeat(diags, pos, message))
		return;
	if (!message ||
	    rt__arena_reserve(diags->arena, (void **)&diags->items, &diags->cap,
			      diags->count + 1, sizeof(*diags->items)) < 0) {
		diags->nomem = true;
		return;
	}
	diags->items[diags->count].pos = pos;
	diags->items[diags->count].message = message;
	diags->count++;
}

/* Finds line `line` (1-based) of a text: its start and length without the
 * line break. Returns false when the text has fewer lines. */
static bool find_line(const diag_source *source, int line, const char **start,
		      size_t *len)
{
	const char *p = source->text, *end = source->text + source->len;
	for (int n = 1; n < line; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return false;
		p = nl + 1;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *stop = nl ? nl : end;
	if (stop > p && stop[-1] == '\r')
		stop--;
	*start = p;
	*len = (size_t)(stop - p);
	return true;
}

size_t rt__utf8_sequence_length(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned min;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		min = 0x80;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	unsigned code = p[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		code = (code << 6) | (p[i] & 0x3F);
	}
	if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
		return 0;
	return len;
}

/* The source line as shown: tabs kept (so that the caret line, which copies
 * them, lines up), each control byte or byte of broken UTF-8 shown as the
 * replacement character U+FFFD, so that a message is always valid UTF-8 and
 * never carries bytes a terminal would act on. */
static void put_source_line(rt_buf *out, const char *line, size_t len)
{
	const unsigned char *p = (const unsigned char *)line;
	for (size_t i = 0; i < len;) {
		size_t n = rt__utf8_sequence_length(p + i, len - i);
		if (n == 0 ||
		    (n == 1 && ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7F))) {
			rt__buf_puts(out, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		rt__buf_put(out, line + i, n);
		i += n;
	}
}

/* Spaces up to byte column col, one per displayed character, tabs copied. */
static void put_caret(rt_buf *out, const char *line, size_t len, int col)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t target = col > 0 ? (size_t)(col - 1) : 0;
	size_t i = 0;
	while (i < target) {
		if (i >= len) {
			rt__buf_putc(out, ' ');
			i++;
			continue;
		}
		size_t n = rt__utf8_sequence_length(p + i, len - i);
		if (n == 0)
			n = 1;
		rt__buf_putc(out, p[i] == '\t' ? '\t' : ' ');
		i += n;
	}
	rt__buf_putc(out, '^');
}

static void render_one(const rt_diag_list *diags, const rt_diag *d, rt_buf *out)
{
	if (!d->pos.file) {
		rt__buf_printf(out, "error: %s", d->message);
		return;
	}
	if (d->pos.line <= 0) {
		rt__buf_printf(out, "%s: error: %s", d->pos.file, d->message);
		return;
	}
	rt__buf_printf(out, "%s:%d:%d: error: %s", d->pos.file, d->pos.line, d->pos.col,
		       d->message);

	const diag_source *source = rt__map_get(&diags->sources, d->pos.file);
	const char *line;
	size_t len;
	if (!source || !find_line(source, d->pos.line, &line, &len))
		return;
	/* The gutter is five columns wide, wider only for huge files. */
	int width = snprintf(NULL, 0, "%d", d->pos.line);
	if (width < 5)
		width = 5;
	rt__buf_printf(out, "\n%*d | ", width, d->pos.line);
	put_source_line(out, line, len);
	rt__buf_printf(out, "\n%*s | ", width, "");
	put_caret(out, line, len, d->pos.col);
}

typedef struct ordered {
	const rt_diag *diag;
	int rank;
	size_t seq;
} ordered;

static int compare_ordered(const void *pa, const void *pb)
{
	const ordered *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->diag->pos.line != b->diag->pos.line)
		return a->diag->pos.line < b->diag->pos.line ? -1 : 1;
	if (a->diag->pos.col != b->diag->pos.col)
		return a->diag->pos.col < b->diag->pos.col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Diagnostics come out in reading order: by file (in the order the files
 * were read), then line and column, whatever pass found them. */
void rt__diag_render(const rt_diag_list *diags, rt_buf *out)
{
	ordered *order = diags->count ? calloc(diags->count, sizeof(*order)) : NULL;
	if (diags->count && !order) {
		out->failed = true;
		return;
	}
	for (size_t i = 0; i < diags->count; i++) {
		const rt_diag *d = &diags->items[i];
		const diag_source *source = d->pos.file ? rt__map_get(&diags->sources,
								       d->pos.file)
							: NULL;
		order[i].diag = d;
		order[i].rank = source ? source->rank : INT_MAX;
		order[i].seq = i;
	}
	if (order)
		qsort(order, diags->count, sizeof(*order), compare_ordered);
	for (size_t i = 0; i < diags->count; i++) {
		if (i > 0)
			rt__buf_putc(out, '\n');
		render_one(diags, order[i].diag, out);
	}
	free(order);
	if (diags->truncated)
		rt__buf_printf(out, "\nstopped after %d errors", diags->max_errors);
}

int rt__diag_fail(const rt_diag_list *diags)
{
	if (diags->nomem)
		return rt__error_nomem();
	rt_buf text = RT_BUF_INIT;
	rt__diag_render(diags, &text);
	if (rt__buf_failed(&text)) {
		rt__buf_free(&text);
		return rt__error_nomem();
	}
	rt__error_set(RT_EPARSE, "%s", rt__buf_cstr(&text));
	rt__buf_free(&text);
	return RT_EPARSE;
}

/* --- suggestions ------------------------------------------------------------ */

#define SUGGEST_MAX_LEN 64

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Edit distance with adjacent transpositions (optimal string alignment),
 * ignoring case: "strng" -> "string" is 1, "itn" -> "int" is 1. */
static int edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > SUGGEST_MAX_LEN || m > SUGGEST_MAX_LEN)
		return SUGGEST_MAX_LEN;
	int rows[3][SUGGEST_MAX_LEN + 1];
	int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= m; j++) {
			int cost = lower((unsigned char)a[i - 1]) !=
				   lower((unsigned char)b[j - 1]);
			int best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 &&
			    lower((unsigned char)a[i - 1]) ==
				    lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) ==
				    lower((unsigned char)b[j - 1]) &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		int *recycled = prev2;
		prev2 = prev;
		prev = cur;
		cur = recycled;
	}
	return prev[m];
}

void rt__suggest_init(rt_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	/* Short words tolerate one edit, longer ones a few. */
	size_t len = strlen(word);
	s->best_distance = (len <= 3 ? 1 : len <= 6 ? 2 : 3) + 1;
}

void rt__suggest_consider(rt_suggest *s, const char *candidate)
{
	if (!candidate || strcmp(candidate, s->word) == 0)
		return;
	int d = edit_distance(s->word, candidate);
	/* Ties go to the alphabetically first candidate, so the answer does
	 * not depend on the order candidates come in (hash order, say). */
	if (d < s->best_distance ||
	    (d == s->best_distance && s->best && strcmp(candidate, s->best) < 0)) {
		s->best = candidate;
		s->best_distance = d;
	}
}

const char *rt__suggest_result(const rt_suggest *s)
{
	return s->best;
}

bool rt__diag_text_is_shown(const char *file, const char *text, size_t len,
			    const char *const *words, size_t word_count, const char *first,
			    rt_pos *pos, const char **why)
{
	/* Every byte first: a NUL or a malformed sequence anywhere. */
	int line = 1;
	const char *line_begin = text, *end = text + len;
	for (const char *p = text; p < end;) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n') {
			line++;
			line_begin = ++p;
			continue;
		}
		size_t n = c ? rt__utf8_sequence_length((const unsigned char *)p,
							(size_t)(end - p))
			     : 0;
		if (n == 0) {
			*pos = (rt_pos){file, line, (int)(p - line_begin) + 1};
			*why = c ? "invalid UTF-8" : "a NUL byte";
			return false;
		}
		p += n;
	}
	/* Then the first word. */
	line = 1;
	line_begin = text;
	const char *p = text;
	while (p < end) {
		if (*p == '\n') {
			line++;
			line_begin = ++p;
		} else if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
		} else if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
		} else {
			break;
		}
	}
	if (p == end)
		return true;
	const char *start = p;
	while (p < end && (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (p > start && *p >= '0' && *p <= '9')))
		p++;
	char word[32];
	size_t n = (size_t)(p - start);
	if (n > 0 && n < sizeof(word)) {
		memcpy(word, start, n);
		word[n] = '\0';
		rt_suggest s;
		rt__suggest_init(&s, word);
		for (size_t i = 0; i < word_count; i++) {
			if (strcmp(word, words[i]) == 0)
				return true;
			rt__suggest_consider(&s, words[i]);
		}
		if (rt__suggest_result(&s))
			return true; /* a typo: the parser says "did you mean" */
	}
	*pos = (rt_pos){file, line, (int)(start - line_begin) + 1};
	*why = first;
	return false;
}
