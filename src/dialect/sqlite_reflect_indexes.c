/*
 * sqlite_reflect_indexes.c - a table's indexes read back into the model
 * (sqlite_reflect.c reads the rest of the table): the PRAGMAs give each
 * index's columns and their order; an expression key or a WHERE is read
 * from the CREATE INDEX text SQLite keeps (sqlite_ddl_parse.c).
 */
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "dialect/sqlite.h"

static int next_row(const rt_dialect *d, rt_driver_stmt *stmt)
{
	int rc = d->step(stmt);
	return rc == RT_ROW ? 1 : rc == RT_DONE ? 0 : rc;
}

/* One index's rows, gathered before it is added. */
typedef struct index_rows {
	const char *name;
	bool unique, partial;
	bool exprs;                /* a key is an expression (a column of no name) */
	bool collated;             /* a key's collation is not BINARY */
	rt_index_key *keys;        /* an expression's text comes from the SQL */
	size_t count, cap;
	const char *where;
} index_rows;

/* The expressions and WHERE of an index, from its CREATE INDEX text (the
 * PRAGMAs give neither). *kept is false when the text does not say the
 * keys the PRAGMAs read, or one has a COLLATE of its own, which the
 * language cannot say: the index is then one of the database's objects
 * (sqlite_reflect_objects.c). Only for the few partial and expression
 * indexes: sqlite_master has no index on names. */
static int read_index_sql(bool *kept, index_rows *ix, const rt_dialect *d,
			  rt_driver_conn *conn, rt_arena *scratch)
{
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
				  ix->name);
	const char *sql = NULL;
	if (rc >= 0 && (rc = next_row(d, stmt)) > 0)
		rc = rt__sqlite_column_text(&sql, scratch, d, stmt, 0);
	rt__sqlite_query_done(d, stmt);
	rt_sqlite_index_def def;
	if (rc < 0 || (rc = rt__sqlite_parse_create_index(&def, scratch, sql)) < 0)
		return rc;
	*kept = def.key_count == ix->count && (!ix->partial || def.where);
	for (size_t i = 0; *kept && i < ix->count; i++) {
		*kept = !def.keys[i].collated;
		if (!ix->keys[i].column)
			ix->keys[i].expr = def.keys[i].text;
	}
	ix->where = ix->partial ? def.where : NULL;
	return RT_OK;
}

/* SQL of an index's expression or WHERE with "col" written col where col
 * is a column of table with a plain lower-case name: SQLite's RENAME
 * COLUMN quotes the names it rewrites (lower(email) becomes
 * lower("mail")), which would read as another spelling after a rename
 * and back. */
static const char *unquote_columns(rt_arena *arena, const rt_table *table, const char *sql)
{
	rt_buf out = RT_BUF_INIT;
	for (const char *p = sql; *p;) {
		const char *end = p + 1;
		if (*p == '\'' || *p == '"') {
			while (*end && *end != *p)
				end++;
			if (*end)
				end++;
		}
		size_t body = (size_t)(end - p) - 2;
		bool plain = *p == '"' && end[-1] == '"' && end - p > 2;
		for (size_t i = 1; plain && i <= body; i++)
			plain = (p[i] >= 'a' && p[i] <= 'z') || p[i] == '_' ||
				(i > 1 && p[i] >= '0' && p[i] <= '9');
		char *name = plain ? rt__arena_strndup(arena, p + 1, body) : NULL;
		if (name && rt__table_find_column(table, name))
			rt__buf_puts(&out, name);
		else
			rt__buf_put(&out, p, (size_t)(end - p));
		p = end;
	}
	const char *text = rt__buf_failed(&out) ? NULL : rt__arena_strdup(arena, rt__buf_cstr(&out));
	rt__buf_free(&out);
	return text;
}

static int add_index_rows(rt_schema *schema, rt_table *table, index_rows *ix,
			  const rt_dialect *d, rt_driver_conn *conn, rt_arena *scratch)
{
	if (!ix->name)
		return RT_OK;
	bool kept = true;
	int rc = ix->partial || ix->exprs || ix->collated
			 ? read_index_sql(&kept, ix, d, conn, scratch)
			 : RT_OK;
	if (rc < 0 || !kept)
		return rc;
	rt_index *index = rt__table_add_index(schema, table, ix->name, ix->unique);
	if (!index ||
	    (ix->where && !(index->where = unquote_columns(schema->arena, table, ix->where))))
		return rt__error_nomem();
	for (size_t i = 0; i < ix->count; i++) {
		const rt_index_key *key = &ix->keys[i];
		const char *expr = key->expr ? unquote_columns(scratch, table, key->expr) : NULL;
		if (key->expr && !expr)
			return rt__error_nomem();
		if ((rc = rt__index_add_key(schema, index, key->column, expr, key->desc)) < 0)
			return rc;
	}
	return RT_OK;
}

/* Indexes made by CREATE INDEX, in the order they were made (order: the
 * position of each index in sqlite_master, read once for all tables; a
 * join with sqlite_master here scanned it for every table, quadratic:
 * 0.6 s for 500 tables). Those SQLite creates for PRIMARY KEY and UNIQUE
 * constraints are the constraints. An expression key is told here by its
 * column of no name, not by a second pass of the PRAGMAs in the query:
 * each PRAGMA looks its table or index up in SQLite's schema hash, whose
 * chains are long at 10,000 tables. */
int rt__sqlite_reflect_indexes(rt_schema *schema, rt_table *table, const rt_dialect *d,
			       rt_driver_conn *conn, const rt_map *order, rt_arena *scratch)
{
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT il.name, il.\"unique\", ii.name, ii.\"desc\", il.partial, "
				  "ii.coll <> 'BINARY' "
				  "FROM pragma_index_list(?1) AS il "
				  "CROSS JOIN pragma_index_xinfo(il.name) AS ii "
				  "WHERE il.origin = 'c' AND ii.key = 1 "
				  "ORDER BY il.name, ii.seqno",
				  table->name);
	if (rc < 0)
		return rc;
	/* The rows are all read before an index's SQL is: one statement at
	 * a time on the connection's reused queries. */
	index_rows *all = NULL;
	size_t all_count = 0, all_cap = 0;
	index_rows *ix = NULL;
	while ((rc = next_row(d, stmt)) > 0) {
		const char *name, *column;
		if ((rc = rt__sqlite_column_text(&name, scratch, d, stmt, 0)) < 0 ||
		    (rc = rt__sqlite_column_text(&column, scratch, d, stmt, 2)) < 0)
			break;
		if (!ix || strcmp(ix->name, name) != 0) {
			index_rows next = {.name = name,
					   .unique = rt__sqlite_column_int(d, stmt, 1) != 0,
					   .partial = rt__sqlite_column_int(d, stmt, 4) != 0};
			if (RT_ARENA_PUSH(scratch, all, all_count, all_cap, next) < 0) {
				rc = rt__error_nomem();
				break;
			}
			ix = &all[all_count - 1];
		}
		rt_index_key key = {.column = column, .desc = rt__sqlite_column_int(d, stmt, 3) != 0};
		ix->exprs |= !column;
		/* (Its column's own collation, or one of the key's: the SQL
		 * tells.) */
		ix->collated |= rt__sqlite_column_int(d, stmt, 5) != 0;
		if (RT_ARENA_PUSH(scratch, ix->keys, ix->count, ix->cap, key) < 0) {
			rc = rt__error_nomem();
			break;
		}
	}
	rt__sqlite_query_done(d, stmt);
	for (size_t i = 0; rc >= 0 && i < all_count; i++)
		rc = add_index_rows(schema, table, &all[i], d, conn, scratch);
	if (rc < 0)
		return rc;
	/* Creation order (insertion sort: a table has few indexes). */
	for (size_t i = 1; i < table->index_count; i++) {
		rt_index *index = table->indexes[i];
		uintptr_t pos = (uintptr_t)rt__map_get(order, index->name);
		size_t j = i;
		while (j > 0 && (uintptr_t)rt__map_get(order, table->indexes[j - 1]->name) > pos) {
			table->indexes[j] = table->indexes[j - 1];
			j--;
		}
		table->indexes[j] = index;
	}
	return RT_OK;
}

/* Each index's position in sqlite_master (1, 2, ...), by name. */
int rt__sqlite_read_index_order(rt_map *order, rt_arena *arena, const rt_dialect *d,
				 rt_driver_conn *conn)
{
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY rowid",
				  NULL);
	uintptr_t position = 0;
	while (rc == RT_OK && (rc = next_row(d, stmt)) > 0) {
		const char *name;
		if ((rc = rt__sqlite_column_text(&name, arena, d, stmt, 0)) < 0)
			break;
		rc = rt__map_put(order, name, (void *)++position) < 0 ? rt__error_nomem() : RT_OK;
	}
	rt__sqlite_query_done(d, stmt);
	return rc < 0 ? rc : RT_OK;
}
