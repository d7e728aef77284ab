/*
 * url.c - database URLs into connection parameters (url.h).
 *
 * The forms are SQLAlchemy's, so a URL copied from a Python project works:
 *
 *   sqlite://                      in-memory database
 *   sqlite:///relative/path.db     three slashes: a path relative to the
 *   sqlite:////absolute/path.db    working directory; four: an absolute one
 *   postgresql://user:pass@host:port/db?sslmode=require
 *   postgresql+psycopg2://...      the "+driver" part is ignored
 *
 * Which form a URL takes comes from its backend (dialect/registry.h): a file
 * or a server.
 *
 * A URL may carry a password, so nothing here ever puts the raw URL into an
 * error message: messages quote the masked form (password -> ***).
 */
#include "engine/url.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "dialect/registry.h"

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Copies text[0..len) into the arena, decoding %XX escapes (and '+' as a
 * space when plus_is_space: query strings use form encoding). A '%' not
 * followed by two hex digits is kept as it is, as browsers and SQLAlchemy do. */
static char *decode(rt_arena *arena, const char *text, size_t len, bool plus_is_space)
{
	char *out = rt__arena_alloc(arena, len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '%' && i + 2 < len && hex_value(text[i + 1]) >= 0 &&
		    hex_value(text[i + 2]) >= 0) {
			out[o++] = (char)(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
			i += 2;
		} else if (plus_is_space && text[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = text[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* Where the URL's authority part (user:pass@host:port) ends: at the first
 * '/', '?' or '#' after the last '@' (a password may hold any of them only
 * when escaped, but be lenient about '/' in passwords that precede '@'). */
static size_t authority_end(const char *rest)
{
	size_t query = strcspn(rest, "?#");
	size_t start = 0;
	for (size_t i = 0; i < query; i++)
		if (rest[i] == '@')
			start = i + 1;
	return start + strcspn(rest + start, "/?#");
}

/* The span of the password inside url, if it has one. */
static bool find_password(const char *url, size_t *begin, size_t *end)
{
	const char *sep = strstr(url, "://");
	if (!sep)
		return false;
	size_t base = (size_t)(sep - url) + 3;
	const char *rest = url + base;
	size_t auth = authority_end(rest);
	size_t at = auth;
	while (at > 0 && rest[at - 1] != '@')
		at--;
	if (at == 0)
		return false; /* no user info */
	const char *colon = memchr(rest, ':', at - 1);
	if (!colon)
		return false;
	*begin = base + (size_t)(colon - rest) + 1;
	*end = base + at - 1;
	return true;
}

/* Is key, in a query string, one that holds a secret? */
static bool secret_option(const char *key, size_t len)
{
	return (len == 8 && strncmp(key, "password", 8) == 0);
}

const char *rt__url_mask(rt_arena *arena, const char *url)
{
	if (!url)
		return NULL;
	rt_buf buf = RT_BUF_INIT;
	size_t begin, end;
	if (find_password(url, &begin, &end)) {
		rt__buf_put(&buf, url, begin);
		rt__buf_puts(&buf, "***");
		url += end;
	}
	/* libpq also takes ?password=...: mask that too. */
	const char *query = strchr(url, '?');
	if (!query) {
		rt__buf_puts(&buf, url);
	} else {
		rt__buf_put(&buf, url, (size_t)(query - url) + 1);
		const char *p = query + 1;
		while (*p) {
			size_t item = strcspn(p, "&");
			size_t key = strcspn(p, "=&");
			if (key < item && secret_option(p, key)) {
				rt__buf_put(&buf, p, key + 1);
				rt__buf_puts(&buf, "***");
			} else {
				rt__buf_put(&buf, p, item);
			}
			p += item;
			if (*p == '&')
				rt__buf_putc(&buf, *p++);
		}
	}
	char *masked = rt__buf_failed(&buf) ? NULL
					     : rt__arena_strdup(arena, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	if (!masked)
		rt__error_nomem();
	return masked;
}

int rt__isolation_level(bool *autocommit, const char *value)
{
	/* SQLAlchemy spells it AUTOCOMMIT; any case is taken. */
	static const char word[] = "autocommit";
	size_t i = 0;
	for (; value[i] && i < sizeof(word) - 1; i++)
		if (ascii_lower(value[i]) != word[i])
			break;
	if (i == sizeof(word) - 1 && !value[i]) {
		*autocommit = true;
		return RT_OK;
	}
	return rt__error_set(RT_EINVAL,
			     "isolation_level '%s' is not supported: the only level retort sets is "
			     "autocommit (without it, a session runs in a transaction at the "
			     "database's default level)",
			     value);
}

/* Splits "k=v&k2=v2" into the option arrays; isolation_level is the
 * engine's (rt_connect_params autocommit). */
static int parse_query(rt_connect_params *out, rt_arena *arena, const char *query)
{
	size_t count = 0;
	for (const char *p = query; *p; p++)
		if (*p == '&')
			count++;
	count++;
	out->option_keys = rt__arena_alloc(arena, count * sizeof(char *));
	out->option_values = rt__arena_alloc(arena, count * sizeof(char *));
	if (!out->option_keys || !out->option_values)
		return rt__error_nomem();
	const char *p = query;
	while (*p) {
		size_t item = strcspn(p, "&");
		size_t key = strcspn(p, "=&");
		if (item > 0) {
			if (key == 0 || key >= item)
				return rt__error_set(RT_EPARSE,
						     "malformed option in URL %s: expected key=value",
						     out->masked_url);
			const char *k = decode(arena, p, key, true);
			const char *v = decode(arena, p + key + 1, item - key - 1, true);
			if (!k || !v)
				return rt__error_nomem();
			if (strcmp(k, "isolation_level") == 0) {
				/* The engine's, never the driver's. */
				int rc = rt__isolation_level(&out->autocommit, v);
				if (rc < 0)
					return rt__error_wrap("URL %s", out->masked_url);
			} else {
				out->option_keys[out->option_count] = k;
				out->option_values[out->option_count] = v;
				out->option_count++;
			}
		}
		p += item;
		if (*p == '&')
			p++;
	}
	return RT_OK;
}

const char *rt__url_take_option(rt_connect_params *params, const char *key)
{
	const char *value = NULL;
	size_t kept = 0;
	for (size_t i = 0; i < params->option_count; i++) {
		if (strcmp(params->option_keys[i], key) == 0) {
			value = params->option_values[i];
			continue;
		}
		params->option_keys[kept] = params->option_keys[i];
		params->option_values[kept] = params->option_values[i];
		kept++;
	}
	params->option_count = kept;
	return value;
}

/* host[:port], where host may be an IPv6 address in brackets. */
static int parse_host_port(rt_connect_params *out, rt_arena *arena, const char *text,
			   size_t len)
{
	size_t host_len = len;
	const char *port = NULL;
	if (len > 0 && text[0] == '[') {
		const char *close = memchr(text, ']', len);
		if (!close)
			return rt__error_set(RT_EPARSE, "malformed URL %s: unclosed '[' in host",
					     out->masked_url);
		out->host = rt__arena_strndup(arena, text + 1, (size_t)(close - text) - 1);
		if (!out->host)
			return rt__error_nomem();
		size_t after = (size_t)(close - text) + 1;
		if (after < len) {
			if (text[after] != ':')
				return rt__error_set(RT_EPARSE,
						     "malformed URL %s: expected ':' after ']'",
						     out->masked_url);
			port = text + after + 1;
		}
	} else {
		const char *colon = memchr(text, ':', len);
		if (colon) {
			host_len = (size_t)(colon - text);
			port = colon + 1;
		}
		if (host_len > 0 && !(out->host = decode(arena, text, host_len, false)))
			return rt__error_nomem();
	}
	if (port) {
		const char *end = text + len;
		long value = 0;
		if (port == end)
			return rt__error_set(RT_EPARSE, "malformed URL %s: empty port",
					     out->masked_url);
		for (const char *p = port; p < end; p++) {
			if (*p < '0' || *p > '9' || value > 65535)
				return rt__error_set(RT_EPARSE,
						     "malformed URL %s: port is not a number",
						     out->masked_url);
			value = value * 10 + (*p - '0');
		}
		if (value < 1 || value > 65535)
			return rt__error_set(RT_EPARSE,
					     "malformed URL %s: port out of range 1-65535",
					     out->masked_url);
		out->port = (int)value;
	}
	return RT_OK;
}

/* The part after "postgresql://". */
static int parse_server(rt_connect_params *out, rt_arena *arena, const char *rest)
{
	size_t auth = authority_end(rest);
	size_t at = auth;
	while (at > 0 && rest[at - 1] != '@')
		at--;
	if (at > 0) {
		size_t info = at - 1; /* user[:password] */
		const char *colon = memchr(rest, ':', info);
		size_t user_len = colon ? (size_t)(colon - rest) : info;
		if (user_len > 0 && !(out->user = decode(arena, rest, user_len, false)))
			return rt__error_nomem();
		if (colon) {
			size_t pass_len = info - user_len - 1;
			out->password = decode(arena, colon + 1, pass_len, false);
			if (!out->password)
				return rt__error_nomem();
		}
	}
	int rc = parse_host_port(out, arena, rest + at, auth - at);
	if (rc < 0)
		return rc;

	const char *p = rest + auth;
	if (*p == '/') {
		p++;
		size_t db_len = strcspn(p, "?#");
		if (db_len > 0 && !(out->database = decode(arena, p, db_len, false)))
			return rt__error_nomem();
		p += db_len;
	}
	if (*p == '#')
		return rt__error_set(RT_EPARSE, "malformed URL %s: unexpected '#'",
				     out->masked_url);
	if (*p == '?')
		return parse_query(out, arena, p + 1);
	return RT_OK;
}

/* The part after "scheme://" of a backend whose URL names a file: ""
 * (memory) or "/path" (the leading slash separates it from the empty host). */
static int parse_file(rt_connect_params *out, rt_arena *arena, const char *rest)
{
	size_t path_len = strcspn(rest, "?");
	if (path_len > 0 && rest[0] != '/')
		return rt__error_set(RT_EPARSE,
				     "malformed URL %s: expected %s:///relative.db, "
				     "%s:////absolute.db or %s://",
				     out->masked_url, out->scheme, out->scheme, out->scheme);
	/* SQLAlchemy does not decode the path either: a file name may hold '%'. */
	if (path_len > 1 && !(out->path = rt__arena_strndup(arena, rest + 1, path_len - 1)))
		return rt__error_nomem();
	if (rest[path_len] == '?')
		return parse_query(out, arena, rest + path_len + 1);
	return RT_OK;
}

int rt__url_parse(rt_connect_params *out, rt_arena *arena, const char *url)
{
	memset(out, 0, sizeof(*out));
	if (!url || !*url)
		return rt__error_set(RT_EPARSE, "empty database URL");
	out->masked_url = rt__url_mask(arena, url);
	if (!out->masked_url)
		return RT_ENOMEM;

	const char *sep = strstr(url, "://");
	size_t scheme_len = sep ? strcspn(url, "+:") : 0;
	if (!sep || scheme_len == 0 || url + scheme_len > sep)
		return rt__error_set(RT_EPARSE,
				     "malformed database URL %s: expected scheme://..., "
				     "e.g. sqlite:///app.db or postgresql://user@host/db",
				     out->masked_url);
	char *scheme = rt__arena_strndup(arena, url, scheme_len);
	if (!scheme)
		return rt__error_nomem();
	for (char *p = scheme; *p; p++)
		*p = ascii_lower(*p);
	/* A backend's other schemes (postgres://) are read as its own name. */
	const rt_backend *backend = rt__backend_find(scheme, -1);
	out->scheme = backend ? backend->name : scheme;

	const char *rest = sep + 3;
	if (backend && backend->file_url)
		return parse_file(out, arena, rest);
	return parse_server(out, arena, rest);
}
