/*
 * registry.h - the list of database backends retort knows.
 *
 * One row per backend (registry.c): its canonical name, the other URL
 * schemes read as it, whether its URL names a file, and its dialect. A
 * backend this build leaves out (CMake's RETORT_WITH_<NAME>=OFF) keeps its
 * row without a dialect, so that its URLs and its name in a migration
 * script are recognised, and refused with the option that would add it.
 *
 * Nothing outside src/dialect/ names a backend: callers ask the registry.
 */
#ifndef RT_DIALECT_REGISTRY_H
#define RT_DIALECT_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "dialect/dialect.h"

#define RT_BACKEND_MAX_SCHEMES 4

typedef struct rt_backend {
	const char *name;      /* canonical, also its dialect's name: "postgresql" */
	const char *title;     /* for messages: "PostgreSQL" */
	/* Other URL schemes read as this backend ("postgres"), NULL-ended. */
	const char *schemes[RT_BACKEND_MAX_SCHEMES];
	/* The URL names a file: name:///relative, name:////absolute, name://
	 * for a database in memory; relative paths in a configuration file are
	 * taken from the file's folder, and a command that only reads refuses
	 * a file that is not there. Else the URL names a server. */
	bool file_url;
	/* The CMake option that compiles the backend in. */
	const char *option;
	/* Its dialect; NULL when this build does not have it. */
	const rt_dialect *(*dialect)(void);
} rt_backend;

/* Which backends to iterate or list. */
typedef enum rt_backend_set {
	RT_BACKENDS_BUILT = 0, /* those compiled into this build */
	RT_BACKENDS_KNOWN      /* every backend retort has, compiled in or not */
} rt_backend_set;

/* The i-th backend of the set (in the table's order), or NULL past its end. */
const rt_backend *rt__backend_at(rt_backend_set set, size_t i);
size_t rt__backend_count(rt_backend_set set);

/* The backend named or whose URL scheme is scheme, compiled in or not:
 * case-insensitive, a "+driver" suffix ignored (postgresql+psycopg2). NULL
 * when none. scheme_len < 0: scheme is NUL-terminated. */
const rt_backend *rt__backend_find(const char *scheme, ptrdiff_t scheme_len);

/* The backend's dialect, NULL when this build does not have it. */
const rt_dialect *rt__backend_dialect(const rt_backend *backend);

/* Writes the set's names into out (at most size bytes, always
 * NUL-terminated), sep between two names and last before the last one:
 * (", ", " or ") gives "sqlite or postgresql". Returns out. */
char *rt__backend_list(char *out, size_t size, rt_backend_set set, const char *sep,
		       const char *last);

/* Up to cap of the set's names into names; returns how many there are. */
size_t rt__backend_names(const char **names, size_t cap, rt_backend_set set);

/* Records why scheme has no dialect in this build and returns RT_EINVAL:
 * "this build of retort has no postgresql backend (configure with
 * -DRETORT_WITH_POSTGRESQL=ON)" for a backend left out, else "unsupported
 * <what> '<scheme>' in <where>: expected sqlite or postgresql" (where may
 * be NULL). */
int rt__backend_error(const char *scheme, const char *what, const char *where);

#endif
