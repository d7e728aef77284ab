/*
 * exercise_tables.c - one judging point of the example exercise: every
 * table of the database has a model. Reads the database (rt_schema_reflect)
 * and the models (a .rt file) and prints, for each table of the database,
 * what describes it:
 *
 *   users: model User
 *   cart_product: association table of Cart.products, Product.carts
 *   alembic_version: the version table of the migrations
 *
 *   exercise_tables MODELS.rt URL [VERSION_TABLE]
 *
 * Exit status 0 when every table is a model's, an association table that a
 * many-to-many relationship goes through, or the migrations' own (the
 * version table, default alembic_version, retort_history, and the
 * progress table where DDL is not transactional), and every
 * table of the models is in the database; 1 otherwise, naming the tables
 * at fault; 2 on a malformed command line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort.h"
#include "migrate/progress.h"
#include "schema/metadata.h"

static int fail(const char *what)
{
	fprintf(stderr, "exercise_tables: %s: %s\n", what, rt_error_last()->message);
	return 1;
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

static const rt_table *find_table(const rt_schema *schema, const char *name)
{
	for (size_t i = 0; i < schema->table_count; i++)
		if (strcmp(schema->tables[i]->name, name) == 0)
			return schema->tables[i];
	return NULL;
}

/* Prints the relationships that go through table; false when none does. */
static bool print_through(const rt_schema *models, const rt_table *table)
{
	bool found = false;
	for (size_t i = 0; i < models->table_count; i++) {
		const rt_table *t = models->tables[i];
		for (size_t r = 0; r < t->relationship_count; r++) {
			const rt_relationship *rel = t->relationships[r];
			if (rel->through_table != table)
				continue;
			printf("%s%s.%s", found ? ", " : "association table of ", t->model, rel->name);
			found = true;
		}
	}
	return found;
}

static int compare_names(const void *a, const void *b)
{
	const rt_table *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* What describes one table of the database; false when nothing does. */
static bool describe(const rt_schema *models, const char *name, const char *version_table)
{
	printf("%s: ", name);
	if (strcmp(name, version_table) == 0) {
		printf("the version table of the migrations\n");
		return true;
	}
	if (strcmp(name, "retort_history") == 0) {
		printf("the log of the migrations\n");
		return true;
	}
	if (strcmp(name, RT_PROGRESS_TABLE) == 0) {
		printf("the progress of a revision run statement by statement\n");
		return true;
	}
	const rt_table *table = find_table(models, name);
	if (table && table->model) {
		printf("model %s\n", table->model);
		return true;
	}
	if (table && print_through(models, table)) {
		printf("\n");
		return true;
	}
	printf("NOT MODELLED: %s\n", table ? "a table of the models that no relationship goes through"
					   : "no model or table of that name");
	return false;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fputs("usage: exercise_tables MODELS.rt URL [VERSION_TABLE]\n", stderr);
		return 2;
	}
	const char *version_table = argc == 4 ? argv[3] : "alembic_version";
	rt_schema *models = NULL, *db = NULL;
	if (rt_schema_parse_file(&models, argv[1], NULL) != RT_OK)
		return fail(argv[1]);
	if (reflect(argv[2], &db) != 0) {
		rt_schema_free(models);
		return 1;
	}
	int status = 0;
	if (db->table_count > 1)
		qsort(db->tables, db->table_count, sizeof(*db->tables), compare_names);
	for (size_t i = 0; i < db->table_count; i++)
		if (!describe(models, db->tables[i]->name, version_table))
			status = 1;
	for (size_t i = 0; i < models->table_count; i++)
		if (!find_table(db, models->tables[i]->name)) {
			printf("%s: MISSING from the database\n", models->tables[i]->name);
			status = 1;
		}
	rt_schema_free(db);
	rt_schema_free(models);
	return status;
}
