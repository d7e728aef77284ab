/*
 * fuzz_script_parser.c - libFuzzer target: any bytes through the migration
 * script front end (header, blocks, operations, the schema validator on
 * their definitions, diagnostics rendering) and, for what parses, the
 * printer's round trip.
 *
 * Every outcome must be a migration or an RT_EPARSE with a message, never
 * a crash, a leak or undefined behaviour; and a script that parses must
 * print, parse back, and print the same text again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/script.h"
#include "retort.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rt_migration *m = NULL;
	int rc = rt__script_parse(&m, "fuzz.rt", (const char *)data, size, 0);
	if (rc != RT_OK) {
		const rt_error *e = rt_error_last();
		if (m || (rc != RT_EPARSE && rc != RT_ENOMEM) || !e->message[0])
			__builtin_trap();
		return 0;
	}
	if (!m)
		__builtin_trap();
	char *printed = NULL, *reprinted = NULL;
	rt_migration *again = NULL;
	if (rt__script_print(&printed, m, size & 1) != RT_OK)
		__builtin_trap();
	if (rt__script_parse(&again, "printed.rt", printed, strlen(printed), 0) != RT_OK)
		__builtin_trap();
	if (rt__script_print(&reprinted, again, size & 1) != RT_OK ||
	    strcmp(printed, reprinted) != 0)
		__builtin_trap();
	free(printed);
	free(reprinted);
	rt__migration_free(again);
	rt__migration_free(m);
	return 0;
}
