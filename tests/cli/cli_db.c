/*
 * cli_db.c - the database chores of the CLI golden tests, done through
 * libretort so that the tests need neither the sqlite3 nor the psql tool.
 *
 *   cli_db exec URL SQL...        runs each SQL text in turn ("-": stdin)
 *   cli_db fresh URL NAME         (PostgreSQL) drops and creates database NAME
 *   cli_db drop URL NAME          (PostgreSQL) drops database NAME if it exists
 *   cli_db compare URL1 URL2      exit 0 when both databases hold the same
 *                                 schema (RT_COMPARE_DATABASE), else print
 *                                 the differences and exit 1
 *   cli_db same-models URL A B    exit 0 when schema files A and B describe
 *                                 the same database on URL's backend (both
 *                                 canonicalized for its dialect), else print
 *                                 the differences and exit 1
 *   cli_db query URL SQL          prints the rows of a query: a line of column
 *                                 names, then one line per row, values
 *                                 separated by " | ", NULL for null
 *   cli_db tables URL             prints each table of the database (by name)
 *                                 with its columns: "products: id, name"
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "engine/engine.h"
#include "retort.h"

static int fail(const char *what)
{
	fprintf(stderr, "cli_db: %s: %s\n", what, rt_error_last()->message);
	return 1;
}

static char *read_stdin(void)
{
	rt_buf buf = RT_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		rt__buf_put(&buf, chunk, n);
	rt__buf_putc(&buf, '\0');
	return rt__buf_detach(&buf);
}

static int exec_all(rt_conn *conn, char **sql, int count)
{
	for (int i = 0; i < count; i++) {
		char *text = strcmp(sql[i], "-") == 0 ? read_stdin() : NULL;
		int rc = rt_conn_execute(conn, text ? text : sql[i]);
		free(text);
		if (rc != RT_OK)
			return fail("exec");
	}
	return 0;
}

/* DROP / CREATE DATABASE cannot run in a transaction: one statement per call. */
static int database_command(rt_conn *conn, const char *verb, const char *name)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_printf(&sql, "%s \"", verb);
	for (const char *p = name; *p; p++) {
		rt__buf_putc(&sql, *p);
		if (*p == '"')
			rt__buf_putc(&sql, '"'); /* identifiers double their quotes */
	}
	rt__buf_puts(&sql, "\"");
	int rc = rt__buf_failed(&sql) ? RT_ENOMEM : rt_conn_execute(conn, sql.ptr);
	rt__buf_free(&sql);
	return rc == RT_OK ? 0 : fail(verb);
}

static int reflect(const char *url, rt_schema **out)
{
	rt_engine *engine = NULL;
	rt_conn *conn = NULL;
	int rc = rt_engine_open(&engine, url, NULL);
	if (rc == RT_OK)
		rc = rt_conn_open(&conn, engine);
	if (rc == RT_OK)
		rc = rt_schema_reflect(out, conn);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rc == RT_OK ? 0 : fail(url);
}

static int compare(const char *url1, const char *url2)
{
	rt_schema *a = NULL, *b = NULL;
	int status = reflect(url1, &a);
	if (status == 0)
		status = reflect(url2, &b);
	if (status == 0 && !rt_schema_equal(a, b, RT_COMPARE_DATABASE)) {
		char *diff = NULL;
		if (rt_schema_differences(&diff, a, b, RT_COMPARE_DATABASE) == RT_OK)
			printf("the databases differ:\n%s\n", diff);
		rt_free(diff);
		status = 1;
	}
	rt_schema_free(a);
	rt_schema_free(b);
	return status;
}

/* What URL's backend can store of schema files a and b must be equal:
 * model names, relationships and mixins may be spelled differently. */
static int same_models(const char *url, const char *path_a, const char *path_b)
{
	rt_engine *engine = NULL;
	rt_schema *a = NULL, *b = NULL;
	if (rt_engine_open(&engine, url, NULL) != RT_OK)
		return fail(url);
	int status = rt_schema_parse_file(&a, path_a, NULL) == RT_OK ? 0 : fail(path_a);
	if (status == 0)
		status = rt_schema_parse_file(&b, path_b, NULL) == RT_OK ? 0 : fail(path_b);
	unsigned flags = RT_COMPARE_DATABASE;
	if (!engine->dialect->caps.comments)
		flags |= RT_COMPARE_IGNORE_COMMENTS;
	if (status == 0) {
		engine->dialect->canonicalize(a);
		engine->dialect->canonicalize(b);
		if (!rt_schema_equal(a, b, flags)) {
			char *diff = NULL;
			if (rt_schema_differences(&diff, a, b, flags) == RT_OK)
				printf("the schemas differ:\n%s\n", diff);
			rt_free(diff);
			status = 1;
		}
	}
	rt_schema_free(a);
	rt_schema_free(b);
	rt_engine_free(engine);
	return status;
}

static int query(rt_conn *conn, const char *sql)
{
	rt_stmt *stmt = NULL;
	if (rt_stmt_prepare(&stmt, conn, sql) != RT_OK)
		return fail("query");
	int rc, columns = rt_stmt_column_count(stmt);
	bool header = false;
	while ((rc = rt_stmt_step(stmt)) == RT_ROW) {
		columns = rt_stmt_column_count(stmt);
		for (int c = 0; !header && c < columns; c++)
			printf("%s%s", c ? " | " : "", rt_stmt_column_name(stmt, c));
		if (!header)
			putchar('\n');
		header = true;
		for (int c = 0; c < columns; c++)
			printf("%s%s", c ? " | " : "",
			       rt_stmt_column_is_null(stmt, c) ? "NULL" : rt_stmt_column_text(stmt, c));
		putchar('\n');
	}
	rt_stmt_finalize(stmt);
	if (rc < 0)
		return fail("query");
	if (!header)
		printf("(no rows)\n");
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	const rt_table *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static int tables(const char *url)
{
	rt_schema *schema = NULL;
	if (reflect(url, &schema) != 0)
		return 1;
	if (schema->table_count > 1)
		qsort(schema->tables, schema->table_count, sizeof(*schema->tables), compare_names);
	for (size_t t = 0; t < schema->table_count; t++) {
		const rt_table *table = schema->tables[t];
		printf("%s:", table->name);
		for (size_t c = 0; c < table->column_count; c++)
			printf("%s %s", c ? "," : "", table->columns[c]->name);
		putchar('\n');
	}
	rt_schema_free(schema);
	return 0;
}

static int usage(void)
{
	fputs("usage: cli_db exec URL SQL... | fresh URL NAME | drop URL NAME | "
	      "compare URL1 URL2 | same-models URL A B | query URL SQL | tables URL\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "tables") == 0)
		return tables(argv[2]);
	if (argc < 4)
		return usage();
	const char *command = argv[1];
	if (strcmp(command, "compare") == 0)
		return argc == 4 ? compare(argv[2], argv[3]) : usage();
	if (strcmp(command, "same-models") == 0)
		return argc == 5 ? same_models(argv[2], argv[3], argv[4]) : usage();
	bool known = strcmp(command, "exec") == 0 || strcmp(command, "fresh") == 0 ||
		     strcmp(command, "drop") == 0 || strcmp(command, "query") == 0;
	if (!known || (strcmp(command, "exec") != 0 && argc != 4))
		return usage();

	rt_engine *engine = NULL;
	rt_conn *conn = NULL;
	if (rt_engine_open(&engine, argv[2], NULL) != RT_OK)
		return fail("engine");
	int status = rt_conn_open(&conn, engine) == RT_OK ? 0 : fail("connect");
	if (status == 0 && strcmp(command, "exec") == 0)
		status = exec_all(conn, argv + 3, argc - 3);
	else if (status == 0 && strcmp(command, "query") == 0)
		status = query(conn, argv[3]);
	else if (status == 0) {
		status = database_command(conn, "DROP DATABASE IF EXISTS", argv[3]);
		if (status == 0 && strcmp(command, "fresh") == 0)
			status = database_command(conn, "CREATE DATABASE", argv[3]);
	}
	rt_conn_close(conn);
	rt_engine_free(engine);
	return status;
}
