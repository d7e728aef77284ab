/*
 * registry.c - from a URL scheme to its dialect.
 *
 * Adding a backend is one more line here and one more dialect file.
 */
#include <string.h>

#include "dialect/dialect.h"
#include "dialect/sqlite.h"

const rt_dialect *rt__dialect_find(const char *scheme)
{
	if (!scheme)
		return NULL;
	if (strcmp(scheme, "sqlite") == 0)
		return rt__dialect_sqlite_runtime();
	if (strcmp(scheme, "postgresql") == 0 || strcmp(scheme, "postgres") == 0)
		return &rt__dialect_postgres;
	if (strcmp(scheme, "mariadb") == 0 || strcmp(scheme, "mysql") == 0)
		return &rt__dialect_mariadb;
	return NULL;
}
