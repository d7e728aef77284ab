/*
 * diag.h - diagnostics: a list of errors with source positions, rendered
 * with the offending line and a caret.
 *
 * Shared by every text front end of the project (the schema language, the
 * migration scripts), so that all of them report errors the same way:
 *
 *     models.rt:12:13: error: unknown type 'strng'; did you mean 'string'?
 *        12 |   username  strng(50)  unique
 *           |             ^
 *
 * A front end registers the text of each file it reads, records errors as
 * it goes (rt__diag_error never fails the caller: running out of memory is
 * remembered and reported at the end), and calls rt__diag_fail to turn the
 * list into the thread's last error.
 */
#ifndef RT_SCHEMA_DIAG_H
#define RT_SCHEMA_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "schema/metadata.h"

#define RT_DIAG_DEFAULT_MAX_ERRORS 50

typedef struct rt_diag {
	rt_pos pos;
	const char *message;
} rt_diag;

typedef struct rt_diag_list {
	rt_arena *arena;      /* messages and source copies live here */
	rt_diag *items;
	size_t count, cap;
	int max_errors;       /* errors beyond this are dropped */
	bool truncated;       /* some were dropped */
	bool nomem;           /* an allocation failed while recording */
	rt_map sources;       /* file name -> rt_diag_source*, for the snippets */
} rt_diag_list;

/* max_errors <= 0 means RT_DIAG_DEFAULT_MAX_ERRORS. */
void rt__diag_init(rt_diag_list *diags, rt_arena *arena, int max_errors);

/* Remembers the text of a file so that errors in it show their line. The
 * text is not copied: it must live as long as the list. */
void rt__diag_add_source(rt_diag_list *diags, const char *file, const char *text,
			 size_t len);

/* Records an error at pos. pos.file may be NULL (no snippet then). */
void rt__diag_error(rt_diag_list *diags, rt_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline bool rt__diag_has_errors(const rt_diag_list *diags)
{
	return diags->count > 0 || diags->nomem;
}

/* No more errors will be kept: a front end stops reading here. */
static inline bool rt__diag_full(const rt_diag_list *diags)
{
	return diags->count >= (size_t)diags->max_errors || diags->nomem;
}

/* Appends every diagnostic, each as "file:line:col: error: ..." plus the
 * source line and caret, separated by newlines (no newline at the end). */
void rt__diag_render(const rt_diag_list *diags, rt_buf *out);

/* Records the rendered list as the thread's last error and returns
 * RT_EPARSE (RT_ENOMEM when memory ran out on the way). */
int rt__diag_fail(const rt_diag_list *diags);

/* Length of the well-formed UTF-8 sequence at p (at most n bytes
 * available), or 0 when the bytes there are not one. */
size_t rt__utf8_sequence_length(const unsigned char *p, size_t n);

/* Whether a file's text may be shown in messages: only a file that looks
 * like what the front end reads (no NUL byte, well-formed UTF-8, and its
 * first word, after blank lines and # comments, one of words or a likely
 * typo of one; an empty file passes). A file that does not is not parsed:
 * the front end reports one error at *pos, saying *why ("a NUL byte",
 * "invalid UTF-8", or "it does not begin with <first>"), and shows nothing
 * of it -- so that a schema that includes /etc/shadow, or a script that is
 * a copy of a key file, cannot print a line of it into a CI log. */
bool rt__diag_text_is_shown(const char *file, const char *text, size_t len,
			    const char *const *words, size_t word_count, const char *first,
			    rt_pos *pos, const char **why);

/* "Did you mean ...?": feed candidates one by one, then ask for the closest
 * one that is near enough to be a likely typo (NULL when none is). */
typedef struct rt_suggest {
	const char *word;
	const char *best;
	int best_distance;
} rt_suggest;

void rt__suggest_init(rt_suggest *s, const char *word);
void rt__suggest_consider(rt_suggest *s, const char *candidate);
const char *rt__suggest_result(const rt_suggest *s);

#endif
