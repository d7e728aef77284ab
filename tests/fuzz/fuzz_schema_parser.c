/*
 * fuzz_schema_parser.c - libFuzzer target: any bytes through the schema
 * front end (lexer, parser, validation, diagnostics rendering).
 *
 * Includes are refused (the reader always fails), so an input cannot make
 * the parser read files on the machine; an `include` still goes through
 * path resolution and the error path. Every outcome must be a schema or an
 * RT_EPARSE with a message, never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "retort.h"
#include "schema/parser.h"

static int refuse_include(void *user, rt_arena *arena, const char *path,
			  const char **text, size_t *len, const char **reason)
{
	(void)user;
	(void)arena;
	(void)path;
	(void)text;
	(void)len;
	*reason = "includes are disabled while fuzzing";
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rt_schema *schema = NULL;
	int rc = rt__schema_parse(&schema, NULL, (const char *)data, size, "fuzz.rt", 0,
				  refuse_include, NULL);
	if (rc == RT_OK) {
		if (!schema)
			__builtin_trap();
		/* Exercise what later layers read from a valid schema. */
		char *text = NULL;
		if (rt_schema_print(&text, schema) == RT_OK)
			rt_free(text);
		rt_schema_free(schema);
	} else {
		const rt_error *e = rt_error_last();
		if (schema || (rc != RT_EPARSE && rc != RT_ENOMEM) || !e->message[0])
			__builtin_trap();
	}
	return 0;
}
