/*
 * test_handmade.c - a database written by hand, the way people write SQL
 * (SERIAL or INTEGER PRIMARY KEY, unnamed constraints, CREATE INDEX), is
 * reflected, printed as schema text, parsed back, created in a fresh
 * database and reflected again: both reflections are equal. This is
 * `retort inspect` followed by `retort sql create`, on each backend.
 *
 * Each backend's SQL is tests/integration/data/handmade/schema.<backend>.sql,
 * and what its first reflection prints is schema.<backend>.txt (written
 * with RETORT_UPDATE_GOLDEN=1): what each backend keeps of the SQL (enum
 * types, comments, a unique index that is a unique key) is checked there.
 */
#include <stdlib.h>

#include "test.h"

#include "base/arena.h"
#include "engine/engine.h"
#include "engine/url.h"
#include "retort.h"
#include "support/test_data.h"
#include "support/test_db.h"

static rt_engine *engine;
static rt_conn *conn;

static rt_table *table_named(const rt_schema *schema, const char *name)
{
	rt_table *table = rt__schema_find_table(schema, name);
	CHECK(table != NULL);
	if (!table)
		fprintf(stderr, "  no table %s\n", name);
	return table;
}

static const rt_constraint *foreign_key_on(const rt_table *table, const char *column)
{
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->column_count == 1 &&
		    strcmp(c->columns[0], column) == 0)
			return c;
	}
	return NULL;
}

static size_t count_kind(const rt_table *table, rt_constraint_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < table->constraint_count; i++)
		n += table->constraints[i]->kind == kind;
	return n;
}

/* The first reflection must have read what the SQL wrote, or the round
 * trip below would prove nothing. */
static void check_reflected(const rt_schema *s)
{
	CHECK_INT(s->table_count, 4);
	rt_table *authors = table_named(s, "authors");
	rt_table *books = table_named(s, "books");
	rt_table *tags = table_named(s, "tags");
	rt_table *book_tags = table_named(s, "book_tags");
	if (!authors || !books || !tags || !book_tags)
		return;

	rt_column *id = rt__table_find_column(authors, "id");
	CHECK(id && id->autoincrement && !id->nullable);
	CHECK(id && id->server_default.kind == RT_LITERAL_NONE);
	CHECK(authors->primary_key && authors->primary_key->column_count == 1);
	rt_column *created = rt__table_find_column(authors, "created_at");
	CHECK(created && created->server_default.kind == RT_LITERAL_NOW && !created->nullable);
	rt_column *name = rt__table_find_column(authors, "name");
	CHECK(name && name->type.kind == RT_TYPE_STRING && name->type.length == 100);
	rt_column *rating = rt__table_find_column(authors, "rating");
	CHECK(rating && rating->type.kind == RT_TYPE_NUMERIC && rating->type.precision == 3 &&
	      rating->type.scale == 1);
	CHECK(rating && rating->server_default.kind == RT_LITERAL_NUMBER &&
	      strcmp(rating->server_default.text, "2.5") == 0);
	rt_column *active = rt__table_find_column(authors, "active");
	CHECK(active && active->type.kind == RT_TYPE_BOOL && active->nullable);
	CHECK_INT(count_kind(authors, RT_CONSTRAINT_UNIQUE), 1);

	const rt_constraint *fk = foreign_key_on(books, "author_id");
	CHECK(fk && strcmp(fk->ref_table, "authors") == 0 && fk->on_delete == RT_FK_CASCADE &&
	      fk->on_update == RT_FK_NO_ACTION);
	CHECK_INT(count_kind(books, RT_CONSTRAINT_CHECK), 2);
	rt_index *by_title = rt__table_find_index(books, "books_title_idx");
	CHECK(by_title && !by_title->unique && by_title->key_count == 1);

	rt_column *tag_id = rt__table_find_column(tags, "id");
	CHECK(tag_id && tag_id->autoincrement && tag_id->type.kind == RT_TYPE_BIGINT);

	CHECK(book_tags->primary_key && book_tags->primary_key->column_count == 2);
	const rt_constraint *tag_fk = foreign_key_on(book_tags, "tag_id");
	CHECK(tag_fk && tag_fk->on_update == RT_FK_CASCADE);
	rt_column *book_id = rt__table_find_column(book_tags, "book_id");
	CHECK(book_id && !book_id->autoincrement);
}

static void test_handmade_round_trip(void)
{
	rt_schema *first = NULL, *parsed = NULL, *second = NULL;
	char *text = NULL;
	const char *backend = rt_engine_dialect(engine);
	char *sql = test_data_read("handmade", "schema", backend, "sql");
	CHECK_OK(test_db_fresh(engine, &conn));
	if (sql)
		CHECK_OK(rt_conn_execute(conn, sql));
	free(sql);
	CHECK_OK(rt_schema_reflect(&first, conn));
	if (!first)
		goto done;
	check_reflected(first);

	CHECK_OK(rt_schema_print(&text, first));
	if (!text)
		goto done;
	test_data_expect(text, "handmade", "schema", backend);
	CHECK_OK(rt_schema_parse_string(&parsed, text, strlen(text), "inspected.rt", NULL));
	if (!parsed) {
		fprintf(stderr, "--- printed schema:\n%s", text);
		goto done;
	}
	CHECK_OK(test_db_fresh(engine, &conn));
	CHECK_OK(rt_schema_create_all(conn, parsed));
	CHECK_OK(rt_schema_reflect(&second, conn));
	if (!second)
		goto done;
	unsigned flags = RT_COMPARE_DATABASE;
	int equal = rt_schema_equal(first, second, flags);
	CHECK(equal);
	if (!equal) {
		char *diff = NULL, *ddl = NULL;
		if (rt_schema_differences(&diff, first, second, flags) == RT_OK)
			fprintf(stderr, "--- differences (by hand, rebuilt):\n%s", diff);
		fprintf(stderr, "--- printed schema:\n%s", text);
		if (rt_schema_ddl(&ddl, parsed, rt_engine_dialect(engine), RT_DDL_CREATE) == RT_OK)
			fprintf(stderr, "--- DDL:\n%s", ddl);
		rt_free(diff);
		rt_free(ddl);
	}
done:
	rt_free(text);
	rt_schema_free(first);
	rt_schema_free(parsed);
	rt_schema_free(second);
}

int main(void)
{
	test_db_remove_sqlite_file();
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK ||
	    rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "cannot connect to %s: %s\n", rt_test_url(),
			rt_error_last()->message);
		rt_engine_free(engine);
		return 1;
	}
	RT_RUN(test_handmade_round_trip);
	test_db_fresh(engine, &conn);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
