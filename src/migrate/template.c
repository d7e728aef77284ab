/*
 * template.c - naming new scripts (template.h): Alembic's file_template
 * tokens and %-formats, its slug of the message, random revision ids and
 * the `created` timestamp.
 *
 * The formats follow Python's % operator, which is what Alembic applies
 * to file_template, so a retort.ini copied from an alembic.ini names its
 * files the same way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "migrate/template.h"

/* Alembic's truncate_slug_length. */
#define SLUG_LENGTH 40

/* --- the slug ------------------------------------------------------------------------- */

/* Python's \w on str: letters, digits and '_', in any script; every byte
 * of a non-ASCII character counts. */
static bool is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

static bool is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

char *rt__template_slug(rt_arena *arena, const char *message)
{
	const unsigned char *m = (const unsigned char *)(message ? message : "");
	char *slug = rt__arena_alloc(arena, strlen((const char *)m) + 2);
	if (!slug)
		return NULL;
	/* "_".join(re.findall(r"\w+", message)).lower() */
	size_t n = 0, chars = 0, cut = 0;
	bool cut_at_underscore = false;
	for (const unsigned char *p = m; *p;) {
		if (!is_word_byte(*p)) {
			p++;
			continue;
		}
		if (n > 0) {
			slug[n++] = '_';
			chars++;
		}
		for (; *p && is_word_byte(*p); p++) {
			unsigned char c = *p;
			/* Lower case: ASCII, and the Latin-1 letters À-Þ
			 * (C3 80-9E but ×); other scripts stay as written. */
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + ('a' - 'A'));
			else if (n > 0 && (unsigned char)slug[n - 1] == 0xC3 && c >= 0x80 &&
				 c <= 0x9E && c != 0x97)
				c = (unsigned char)(c + 0x20);
			slug[n++] = (char)c;
			chars += !is_continuation(c);
		}
	}
	slug[n] = '\0';
	if (chars <= SLUG_LENGTH)
		return slug;
	/* slug[:40].rsplit("_", 1)[0] + "_", counting characters, not bytes */
	size_t i = 0;
	for (size_t seen = 0; i < n; i++) {
		if (!is_continuation((unsigned char)slug[i]) && seen++ == SLUG_LENGTH)
			break;
		if (slug[i] == '_') {
			cut = i;
			cut_at_underscore = true;
		}
	}
	if (!cut_at_underscore)
		cut = i;
	slug[cut] = '_';
	slug[cut + 1] = '\0';
	return slug;
}

/* --- file_template ------------------------------------------------------------------- */

/* A %-format after its %(name): [flags][width][.precision]conversion. */
typedef struct format {
	bool left, zero, plus, space;
	int width, precision; /* -1: not given */
	char conversion;
} format;

static const char *read_number(const char *p, int *out)
{
	long n = 0;
	while (*p >= '0' && *p <= '9') {
		if (n < 1000)
			n = n * 10 + (*p - '0');
		p++;
	}
	*out = (int)n;
	return p;
}

static const char *read_format(const char *p, format *f)
{
	memset(f, 0, sizeof(*f));
	f->width = f->precision = -1;
	for (;; p++) {
		if (*p == '-')
			f->left = true;
		else if (*p == '0')
			f->zero = true;
		else if (*p == '+')
			f->plus = true;
		else if (*p == ' ')
			f->space = true;
		else if (*p != '#')
			break;
	}
	if (*p >= '1' && *p <= '9')
		p = read_number(p, &f->width);
	if (*p == '.')
		p = read_number(p + 1, &f->precision);
	f->conversion = *p;
	return *p ? p + 1 : p;
}

/* text padded to the width, as Python pads a %s. */
static void put_padded(rt_buf *out, const char *text, size_t len, const format *f, char pad)
{
	size_t width = f->width > 0 ? (size_t)f->width : 0;
	if (!f->left)
		for (size_t i = len; i < width; i++)
			rt__buf_putc(out, pad);
	rt__buf_put(out, text, len);
	if (f->left)
		for (size_t i = len; i < width; i++)
			rt__buf_putc(out, ' ');
}

static void put_number(rt_buf *out, long long value, const format *f)
{
	char digits[32];
	unsigned long long magnitude =
		value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
	int len = snprintf(digits, sizeof(digits), "%llu", magnitude);
	char text[64];
	size_t n = 0;
	if (value < 0)
		text[n++] = '-';
	else if (f->plus)
		text[n++] = '+';
	else if (f->space)
		text[n++] = ' ';
	for (int i = len; i < f->precision && n < 40; i++)
		text[n++] = '0';
	memcpy(text + n, digits, (size_t)len);
	n += (size_t)len;
	/* '0' pads after the sign, as Python does, unless left-justified. */
	if (f->zero && !f->left && f->width > 0 && n < (size_t)f->width) {
		size_t sign = value < 0 || f->plus || f->space;
		size_t pad = (size_t)f->width - n;
		rt__buf_put(out, text, sign);
		for (size_t i = 0; i < pad; i++)
			rt__buf_putc(out, '0');
		rt__buf_put(out, text + sign, n - sign);
		return;
	}
	put_padded(out, text, n, f, ' ');
}

typedef struct token_value {
	const char *name;
	const char *text;  /* a text token, or NULL for a number */
	long long number;
} token_value;

static int expand_token(rt_buf *out, const token_value *v, const format *f,
			const char *spec, size_t spec_len)
{
	char c = f->conversion;
	if (c == 's') {
		char number[32];
		const char *text = v->text;
		if (!text) {
			snprintf(number, sizeof(number), "%lld", v->number);
			text = number;
		}
		size_t len = strlen(text);
		if (f->precision >= 0 && (size_t)f->precision < len)
			len = (size_t)f->precision;
		put_padded(out, text, len, f, ' ');
		return RT_OK;
	}
	if (c == 'd' || c == 'i' || c == 'u') {
		if (v->text)
			return rt__error_set(RT_EINVAL,
					     "file_template: %.*s formats a number, but %s is "
					     "text; write %%(%s)s",
					     (int)spec_len, spec, v->name, v->name);
		put_number(out, v->number, f);
		return RT_OK;
	}
	return rt__error_set(RT_EINVAL,
			     "file_template: %.*s has no conversion retort knows; use s for "
			     "text and d for numbers, as in %%(%s)s or %%(%s).2d",
			     (int)spec_len, spec, v->name, v->name);
}

static const token_value *find_token(const token_value *tokens, size_t count,
				     const char *name, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(tokens[i].name) == len && memcmp(tokens[i].name, name, len) == 0)
			return &tokens[i];
	return NULL;
}

static int expand_template(rt_buf *out, const char *tmpl, const token_value *tokens,
			   size_t count)
{
	for (const char *p = tmpl; *p;) {
		if (*p != '%') {
			rt__buf_putc(out, *p++);
			continue;
		}
		if (p[1] == '%') {
			rt__buf_putc(out, '%');
			p += 2;
			continue;
		}
		if (p[1] != '(')
			return rt__error_set(RT_EINVAL,
					     "file_template: '%%' starts a token, as in %%(rev)s, "
					     "or is written %%%% for itself; found '%.8s'",
					     p);
		const char *name = p + 2, *close = strchr(name, ')');
		if (!close)
			return rt__error_set(RT_EINVAL,
					     "file_template: '%%(' without its ')' in '%s'", tmpl);
		format f;
		const char *end = read_format(close + 1, &f);
		const token_value *v = find_token(tokens, count, name, (size_t)(close - name));
		if (!v)
			return rt__error_set(RT_EINVAL,
					     "file_template: unknown token %%(%.*s); the tokens "
					     "are rev, slug, year, month, day, hour, minute, "
					     "second and epoch",
					     (int)(close - name), name);
		int rc = expand_token(out, v, &f, p, (size_t)(end - p));
		if (rc < 0)
			return rc;
		p = end;
	}
	return RT_OK;
}

int rt__template_file_name(char **out, const char *file_template,
			   const rt_template_values *values)
{
	if (!out || !file_template || !values || !values->rev)
		return rt__error_set(RT_EINVAL, "rt__template_file_name: NULL argument");
	*out = NULL;
	rt_arena *arena = rt__arena_new();
	char *slug = arena ? rt__template_slug(arena, values->message) : NULL;
	if (!slug) {
		rt__arena_free(arena);
		return rt__error_nomem();
	}
	const struct tm *t = &values->time;
	const token_value tokens[] = {
		{"rev", values->rev, 0},
		{"slug", slug, 0},
		{"year", NULL, t->tm_year + 1900LL},
		{"month", NULL, t->tm_mon + 1LL},
		{"day", NULL, t->tm_mday},
		{"hour", NULL, t->tm_hour},
		{"minute", NULL, t->tm_min},
		{"second", NULL, t->tm_sec},
		{"epoch", NULL, values->epoch},
	};
	rt_buf buf = RT_BUF_INIT;
	int rc = expand_template(&buf, file_template, tokens, sizeof(tokens) / sizeof(tokens[0]));
	rt__arena_free(arena);
	if (rc == RT_OK && strchr(rt__buf_cstr(&buf), '/'))
		rc = rt__error_set(RT_EINVAL,
				   "file_template gives '%s', which holds a '/'; scripts live in "
				   "the versions folder itself",
				   rt__buf_cstr(&buf));
	if (rc == RT_OK && buf.len == 0)
		rc = rt__error_set(RT_EINVAL, "file_template gives an empty file name");
	if (rc < 0) {
		rt__buf_free(&buf);
		return rc;
	}
	rt__buf_puts(&buf, ".rt");
	*out = rt__buf_detach(&buf);
	return *out ? RT_OK : rt__error_nomem();
}

/* --- ids and times -------------------------------------------------------------------- */

int rt__template_revision_id(char out[13])
{
	unsigned char bytes[6];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rt__error_set(RT_EIO, "cannot open /dev/urandom: %s", strerror(errno));
	size_t got = 0;
	while (got < sizeof(bytes)) {
		ssize_t n = read(fd, bytes + got, sizeof(bytes) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			close(fd);
			return rt__error_set(RT_EIO, "cannot read /dev/urandom: %s", strerror(err));
		}
		got += (size_t)n;
	}
	close(fd);
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof(bytes); i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[12] = '\0';
	return RT_OK;
}

void rt__template_created(char out[20], const struct tm *time)
{
	/* The fields of a valid struct tm fit; the modulos tell the compiler. */
	snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u",
		 (unsigned)(time->tm_year + 1900) % 10000u, (unsigned)(time->tm_mon + 1) % 100u,
		 (unsigned)time->tm_mday % 100u, (unsigned)time->tm_hour % 100u,
		 (unsigned)time->tm_min % 100u, (unsigned)time->tm_sec % 100u);
}
