/*
 * registry.c - the table of backends (registry.h).
 *
 * Adding a backend is one more row here, its dialect files in this folder
 * and its RETORT_WITH_<NAME> option in CMakeLists.txt, which defines the
 * macro of the same name when the backend is compiled in.
 */
#include <stdio.h>
#include <string.h>

#include "dialect/registry.h"

#include "base/error.h"

#ifdef RETORT_WITH_SQLITE
#include "dialect/sqlite.h"
#define SQLITE_DIALECT rt__dialect_sqlite_runtime
#else
#define SQLITE_DIALECT NULL
#endif

#ifdef RETORT_WITH_POSTGRESQL
static const rt_dialect *postgres_dialect(void)
{
	return &rt__dialect_postgres;
}
#define POSTGRESQL_DIALECT postgres_dialect
#else
#define POSTGRESQL_DIALECT NULL
#endif

#ifdef RETORT_WITH_MARIADB
#include "dialect/mariadb.h"
static const rt_dialect *mariadb_dialect(void)
{
	return &rt__dialect_mariadb;
}
#define MARIADB_DIALECT mariadb_dialect
#else
#define MARIADB_DIALECT NULL
#endif

/* Here a next backend adds its #ifdef RETORT_WITH_<NAME> block as above,
 * and its row below. */

static const rt_backend backends[] = {
	{"sqlite", "SQLite", {NULL}, true, "RETORT_WITH_SQLITE", SQLITE_DIALECT},
	{"postgresql", "PostgreSQL", {"postgres", NULL}, false, "RETORT_WITH_POSTGRESQL",
	 POSTGRESQL_DIALECT},
	{"mariadb", "MariaDB", {"mysql", NULL}, false, "RETORT_WITH_MARIADB", MARIADB_DIALECT},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_set(const rt_backend *b, rt_backend_set set)
{
	return set == RT_BACKENDS_KNOWN || b->dialect != NULL;
}

const rt_backend *rt__backend_at(rt_backend_set set, size_t i)
{
	for (size_t k = 0; k < COUNT(backends); k++)
		if (in_set(&backends[k], set) && i-- == 0)
			return &backends[k];
	return NULL;
}

size_t rt__backend_count(rt_backend_set set)
{
	size_t n = 0;
	while (rt__backend_at(set, n))
		n++;
	return n;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether the first len bytes of s spell word, whatever their case. */
static bool same_word(const char *s, size_t len, const char *word)
{
	size_t i = 0;
	for (; i < len && word[i]; i++)
		if (ascii_lower(s[i]) != word[i])
			return false;
	return i == len && !word[i];
}

const rt_backend *rt__backend_find(const char *scheme, ptrdiff_t scheme_len)
{
	if (!scheme)
		return NULL;
	size_t len = scheme_len < 0 ? strlen(scheme) : (size_t)scheme_len;
	const char *plus = memchr(scheme, '+', len);
	if (plus)
		len = (size_t)(plus - scheme);
	for (size_t k = 0; k < COUNT(backends); k++) {
		const rt_backend *b = &backends[k];
		if (same_word(scheme, len, b->name))
			return b;
		for (size_t i = 0; i < RT_BACKEND_MAX_SCHEMES && b->schemes[i]; i++)
			if (same_word(scheme, len, b->schemes[i]))
				return b;
	}
	return NULL;
}

const rt_dialect *rt__backend_dialect(const rt_backend *backend)
{
	return backend && backend->dialect ? backend->dialect() : NULL;
}

char *rt__backend_list(char *out, size_t size, rt_backend_set set, const char *sep,
		       const char *last)
{
	if (!out || size == 0)
		return out;
	out[0] = '\0';
	size_t count = rt__backend_count(set), used = 0;
	for (size_t i = 0; i < count && used < size; i++) {
		const char *before = i == 0 ? "" : i + 1 == count ? last : sep;
		int n = snprintf(out + used, size - used, "%s%s", before,
				 rt__backend_at(set, i)->name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return out;
}

size_t rt__backend_names(const char **names, size_t cap, rt_backend_set set)
{
	size_t count = rt__backend_count(set);
	for (size_t i = 0; i < count && i < cap; i++)
		names[i] = rt__backend_at(set, i)->name;
	return count;
}

const rt_dialect *rt__dialect_find(const char *scheme)
{
	return rt__backend_dialect(rt__backend_find(scheme, -1));
}

int rt__backend_error(const char *scheme, const char *what, const char *where)
{
	const rt_backend *backend = rt__backend_find(scheme, -1);
	if (backend && !backend->dialect)
		return rt__error_set(RT_EINVAL,
				     "this build of retort has no %s backend (configure with "
				     "-D%s=ON)",
				     backend->name, backend->option);
	char names[256];
	rt__backend_list(names, sizeof(names), RT_BACKENDS_BUILT, ", ", " or ");
	return rt__error_set(RT_EINVAL, "unsupported %s '%s'%s%s: expected %s", what,
			     scheme ? scheme : "", where ? " in " : "", where ? where : "",
			     names);
}
