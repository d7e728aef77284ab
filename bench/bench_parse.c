/*
 * bench_parse.c - how long parsing and validating a big schema takes.
 *
 * Generates, in memory, a schema of 2,000 models shaped like real ones: a
 * mixin, an enum, about nine columns each with uniques, checks, defaults,
 * an index, two foreign keys and the relationships over them (a parent /
 * children pair chained through every model, and an owner). Then times
 * rt_schema_parse_string, which reads the text and validates everything
 * (foreign key inference, `back` checks, default names), and prints the
 * minimum, median and maximum of the runs. Target: median under 50 ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "retort.h"

#define TABLES 2000
#define RUNS 15

static const char *const stems[] = {
	"Customer", "Invoice", "Shipment", "Warehouse", "Supplier", "Account", "Ledger",
	"Category", "Address", "Campaign",
};

static void model_name(char *out, size_t size, int i)
{
	snprintf(out, size, "%s%d", stems[i % 10], i);
}

/* The default table name: snake_case plural, Customer12 -> customer12s
 * (a word ending in a digit takes a plain s). */
static void table_name(char *out, size_t size, int i)
{
	static const char *const stems_lower[] = {
		"customer", "invoice", "shipment", "warehouse", "supplier", "account",
		"ledger", "category", "address", "campaign",
	};
	snprintf(out, size, "%s%ds", stems_lower[i % 10], i);
}

static void generate(rt_buf *out)
{
	rt__buf_puts(out, "# generated: 2,000 models for bench_parse\n"
			  "mixin Timestamped {\n"
			  "  created_at  timestamp   server default now\n"
			  "  updated_at  timestamp?\n"
			  "}\n\n"
			  "enum Status { draft, active, archived }\n\n");
	char name[64], prev[64], next[64], owner[64], table[64], prev_table[64],
		owner_table[64];
	for (int i = 0; i < TABLES; i++) {
		model_name(name, sizeof(name), i);
		table_name(table, sizeof(table), i);
		rt__buf_printf(out, "model %s uses Timestamped {\n", name);
		rt__buf_puts(out, "  id           bigint         primary key\n"
				  "  code         string(32)     unique\n"
				  "  name         string(100)\n"
				  "  description  text?\n"
				  "  price        numeric(10,2)  default 0 check 'price >= 0'\n"
				  "  quantity     int            default 0 server default 0\n"
				  "  status       Status         default draft server default draft\n");
		if (i > 0) {
			model_name(prev, sizeof(prev), i - 1);
			table_name(prev_table, sizeof(prev_table), i - 1);
			rt__buf_printf(out, "  parent_id    bigint?        references %s(id) on "
					    "delete cascade\n", prev_table);
			rt__buf_printf(out, "  parent       %s?  on parent_id back children\n",
				       prev);
		}
		if (i > 1) {
			model_name(owner, sizeof(owner), i / 2);
			table_name(owner_table, sizeof(owner_table), i / 2);
			rt__buf_printf(out, "  owner_id     bigint?        references %s(id)\n",
				       owner_table);
			rt__buf_printf(out, "  owner        %s?  on owner_id\n", owner);
		}
		if (i + 1 < TABLES) {
			model_name(next, sizeof(next), i + 1);
			rt__buf_printf(out, "  children     %s[]  on parent_id back parent "
					    "order by name\n", next);
		}
		rt__buf_puts(out, "  index (name, status)\n}\n\n");
	}
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* "model name" from /proc/cpuinfo, and the number of processors. */
static void describe_machine(char *out, size_t size)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512], model[256] = "unknown CPU";
	int cpus = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "processor", 9) == 0)
			cpus++;
		if (strncmp(line, "model name", 10) == 0 && strcmp(model, "unknown CPU") == 0) {
			const char *colon = strchr(line, ':');
			if (colon) {
				snprintf(model, sizeof(model), "%s", colon + 2);
				model[strcspn(model, "\n")] = '\0';
			}
		}
	}
	if (f)
		fclose(f);
	snprintf(out, size, "%s, %d logical CPUs", model, cpus);
}

int main(void)
{
	rt_buf text = RT_BUF_INIT;
	generate(&text);
	if (rt__buf_failed(&text)) {
		fprintf(stderr, "bench_parse: out of memory\n");
		return 1;
	}
	size_t lines = 0;
	for (const char *p = text.ptr; *p; p++)
		lines += *p == '\n';

	double times[RUNS];
	for (int run = -1; run < RUNS; run++) { /* run -1 warms up */
		rt_schema *schema = NULL;
		double start = now_ms();
		int rc = rt_schema_parse_string(&schema, text.ptr, text.len, "generated.rt",
						NULL);
		double elapsed = now_ms() - start;
		if (rc != RT_OK) {
			fprintf(stderr, "bench_parse: the generated schema does not parse:\n%s\n",
				rt_error_last()->message);
			rt__buf_free(&text);
			return 1;
		}
		if (rt_schema_table_count(schema) != TABLES) {
			fprintf(stderr, "bench_parse: expected %d tables, got %zu\n", TABLES,
				rt_schema_table_count(schema));
			rt_schema_free(schema);
			rt__buf_free(&text);
			return 1;
		}
		rt_schema_free(schema);
		if (run >= 0)
			times[run] = elapsed;
	}
	qsort(times, RUNS, sizeof(times[0]), compare_doubles);

	char machine[512];
	describe_machine(machine, sizeof(machine));
	printf("schema: %d tables, %zu lines, %zu bytes (generated)\n", TABLES, lines,
	       text.len);
	printf("machine: %s\n", machine);
	printf("parse + validate, %d runs: min %.1f ms, median %.1f ms, max %.1f ms "
	       "(target: median < 50 ms)\n", RUNS, times[0], times[RUNS / 2],
	       times[RUNS - 1]);
	rt__buf_free(&text);
	return 0;
}
