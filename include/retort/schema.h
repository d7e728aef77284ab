/*
 * retort/schema.h - reading, comparing and printing schemas (.rt files).
 *
 * A schema describes models, tables, enums and relationships. It is parsed
 * from the schema language (see docs/schema-language.md), or reflected from
 * a live database (retort/engine.h). An rt_schema owns all of its memory;
 * rt_schema_free releases it.
 */
#ifndef RETORT_SCHEMA_H
#define RETORT_SCHEMA_H

#include <stddef.h>
#include "retort/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rt_schema rt_schema;

typedef struct rt_parse_options {
	int version;        /* RT_PARSE_OPTIONS_VERSION */
	int max_errors;     /* stop after this many errors; 0 = default (50) */
} rt_parse_options;

#define RT_PARSE_OPTIONS_VERSION 1
#define RT_PARSE_OPTIONS_INIT {RT_PARSE_OPTIONS_VERSION, 0}

/*
 * Parses and validates the schema in the file at path (and the files it
 * includes). On error returns RT_EPARSE (or RT_EIO / RT_ENOMEM), sets *out
 * to NULL and rt_error_last()->message holds every diagnostic, each as
 *     file:line:col: error: what was expected
 *        12 |   source line
 *           |   ^
 * opts may be NULL.
 */
RT_API int rt_schema_parse_file(rt_schema **out, const char *path,
				const rt_parse_options *opts);

/* The same for text in memory; name is used in messages (and as the base
 * for relative includes). */
RT_API int rt_schema_parse_string(rt_schema **out, const char *text, size_t len,
				  const char *name, const rt_parse_options *opts);

RT_API void rt_schema_free(rt_schema *schema);

/* Comparison flags. */
enum {
	/* Compare only what a database holds: ignore model and field names,
	 * relationships, client-side defaults, `was` markers and enum names
	 * (enum columns still compare by their values). */
	RT_COMPARE_DATABASE = 1 << 0,
	/* Ignore table and column comments. */
	RT_COMPARE_IGNORE_COMMENTS = 1 << 1
};

/* 1 when the two schemas are equal under flags, 0 when not. */
RT_API int rt_schema_equal(const rt_schema *a, const rt_schema *b, unsigned flags);

/* Writes to *out a readable list of the differences ("" when equal). Free
 * the string with rt_free. */
RT_API int rt_schema_differences(char **out, const rt_schema *a, const rt_schema *b,
				 unsigned flags);

/* Writes the schema back as schema-language text (parses to an equal
 * schema). Free the string with rt_free. */
RT_API int rt_schema_print(char **out, const rt_schema *schema);

/* Number of tables and the SQL name of table i, in declaration order. */
RT_API size_t rt_schema_table_count(const rt_schema *schema);
RT_API const char *rt_schema_table_name(const rt_schema *schema, size_t i);

/* Frees memory that a retort function handed to the caller. NULL is fine. */
RT_API void rt_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
