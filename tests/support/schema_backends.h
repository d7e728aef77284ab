/*
 * schema_backends.h - which backends a schema of tests/schemas is for, as
 * the schema file itself says in a comment line of its header:
 *
 *   # backends: sqlite postgresql    the schema is written for these only
 *                                    (its SQL text is theirs); elsewhere
 *                                    it is skipped
 *   # refused on: mariadb            on these the DDL must refuse it, by
 *                                    name, before touching the database
 *
 * A file without either line is for every backend.
 */
#ifndef RT_TESTS_SCHEMA_BACKENDS_H
#define RT_TESTS_SCHEMA_BACKENDS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef enum schema_target {
	SCHEMA_FOR_BACKEND, /* create it, reflect it, compare */
	SCHEMA_SKIPPED,     /* written for other backends */
	SCHEMA_REFUSED      /* the backend's DDL refuses it */
} schema_target;

/* Is word one of the space-separated words of list? */
static inline bool schema_list_has(const char *list, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = list; *p;) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t\r\n");
		if (n == len && strncmp(p, word, len) == 0)
			return true;
		if (n == 0)
			break;
		p += n;
	}
	return false;
}

/* What the file at path says of backend (a dialect's name). */
static inline schema_target schema_target_of(const char *path, const char *backend)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return SCHEMA_FOR_BACKEND; /* the parse reports the missing file */
	schema_target target = SCHEMA_FOR_BACKEND;
	char line[512];
	while (fgets(line, sizeof(line), f) && line[0] == '#') {
		const char *backends = "# backends:", *refused = "# refused on:";
		if (strncmp(line, backends, strlen(backends)) == 0 &&
		    !schema_list_has(line + strlen(backends), backend))
			target = SCHEMA_SKIPPED;
		if (strncmp(line, refused, strlen(refused)) == 0 &&
		    schema_list_has(line + strlen(refused), backend))
			target = SCHEMA_REFUSED;
	}
	fclose(f);
	return target;
}

#endif
