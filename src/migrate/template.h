/*
 * template.h - what `retort revision` needs to name a new script: a fresh
 * revision id, Alembic's slug of the message, its file_template with
 * Alembic's tokens, and the `created` timestamp.
 *
 * file_template works as Alembic's: Python %-formatting with a mapping,
 * as in %(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s
 * (retort.ini writes each % doubled, %%(rev)s, which the ini reader has
 * undone by the time the template gets here). Tokens: rev and slug (text);
 * year, month, day, hour, minute, second and epoch (numbers). A format is
 * %(name) then optional flags (- 0 + space), a width, a .precision, and
 * the conversion s, d, i or u; %% is a percent sign.
 */
#ifndef RT_MIGRATE_TEMPLATE_H
#define RT_MIGRATE_TEMPLATE_H

#include <time.h>

#include "base/arena.h"

/* What the tokens stand for. */
typedef struct rt_template_values {
	const char *rev;       /* the revision id */
	const char *message;   /* the slug is made from it; NULL for none */
	struct tm time;        /* year ... second: the creation time, local as
				* Alembic takes it */
	long long epoch;       /* the same moment, in seconds since 1970 */
} rt_template_values;

/*
 * The script's file name: file_template expanded, then ".rt". *out is a
 * heap string (free it). RT_EINVAL names what is wrong with the template:
 * an unknown token, a number format given text (%(rev)d), a % that starts
 * no format, a result with a '/' (scripts live in versions/ itself).
 */
int rt__template_file_name(char **out, const char *file_template,
			   const rt_template_values *values);

/* Alembic's slug of a message: its runs of word characters (letters,
 * digits, '_'; every non-ASCII character counts as a letter) joined by
 * '_' and lower-cased (ASCII and Latin-1 letters; other scripts stay as
 * written, where Python would lower them too); over 40 characters it is
 * cut at the last '_' within the first 40 and ends in '_'. "" for no
 * message. NULL when out of memory. */
char *rt__template_slug(rt_arena *arena, const char *message);

/* A new revision id: 12 hex digits from /dev/urandom, as Alembic's
 * uuid4().hex[-12:]. out holds 13 bytes. RT_EIO when the device cannot
 * be read. */
int rt__template_revision_id(char out[13]);

/* "YYYY-MM-DD HH:MM:SS", the `created` line of the header; out holds 20
 * bytes. */
void rt__template_created(char out[20], const struct tm *time);

#endif
