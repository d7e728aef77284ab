/*
 * mariadb_reflect.c - reads a live MariaDB database (the connection's
 * current database) back into the metadata model, through
 * information_schema: one query per kind of object (tables, columns,
 * indexes here; keys in mariadb_reflect_keys.c, checks, read beside the
 * rest on a second connection, in mariadb_reflect_checks.c), each
 * ordered by table, so the cost does not grow with round trips per
 * table. Queries go through the dialect's own driver functions.
 *
 * What MariaDB keeps differently from the schema language, and how it is
 * read back (mariadb_types.c's canonicalize makes a schema match):
 *   - an enum is the column's ENUM('a', 'b'); the CHECK named
 *     ck_<table>_<column>_enum that the DDL module adds beside it says the
 *     same and is not a constraint of its own;
 *   - json is LONGTEXT with a column-level CHECK json_valid(`column`);
 *   - a primary key is always named PRIMARY: it gets the language's
 *     default name;
 *   - a unique constraint and a unique index are one thing: both read back
 *     as unique constraints (a unique index with a DESC key as an index);
 *   - RESTRICT and NO ACTION are one action (InnoDB checks at once);
 *   - a foreign key makes an index of the same name when no index serves
 *     it: that index is the key's, not one of the table's;
 *   - BOOLEAN is TINYINT(1), its defaults 1 and 0 read as true and false;
 *   - defaults and checks come back as MariaDB reprints them: numbers in
 *     any notation, identifiers in backticks, lower() as lcase(), length()
 *     as octet_length(); mariadb_expr.c brings them back to the
 *     language's spelling (numbers in plain decimal notation, times
 *     without a zero fraction).
 * FULLTEXT and SPATIAL indexes are `using fulltext` and `using spatial`.
 * Views, triggers, routines, events, sequences and indexes the language
 * cannot declare (on a prefix or an expression, HASH) are the schema's objects
 * (mariadb_reflect_objects.c). A table's collation other than the
 * database's is the table's `collate NAME`; a column's other than its
 * table's is the column's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "base/map.h"
#include "dialect/mariadb.h"
#include "schema/naming.h"

/* --- running catalog queries ---------------------------------------------- */

typedef struct reflector {
	const rt_mariadb_check_row *checks; /* in table, name order */
	rt_map table_collations; /* table name -> its collation (TABLES_SQL) */
	rt_mariadb_listed listed; /* its views and sequences, for the objects */
	rt_schema *schema;
	const rt_dialect *dialect;
	rt_driver_conn *conn;
	rt_driver_stmt *stmt;
	rt_value row[12];
	int columns;
} reflector;

static int query_open(reflector *r, const char *sql, int columns)
{
	r->columns = columns;
	return r->dialect->prepare(&r->stmt, r->conn, sql);
}

static int query_next(reflector *r)
{
	int rc = r->dialect->step(r->stmt);
	if (rc != RT_ROW)
		return rc;
	for (int i = 0; i < r->columns; i++) {
		int vrc = r->dialect->column_value(r->stmt, i, &r->row[i]);
		if (vrc < 0)
			return vrc;
	}
	return RT_ROW;
}

static void query_close(reflector *r)
{
	r->dialect->finalize(r->stmt);
	r->stmt = NULL;
}

/* A column of the current row as text (copied into the schema's arena);
 * NULL for SQL NULL. */
static const char *text_at(reflector *r, int column)
{
	const rt_value *v = &r->row[column];
	if (v->type == RT_VALUE_TEXT)
		return v->s;
	return NULL;
}

static int64_t int_at(reflector *r, int column)
{
	return r->row[column].type == RT_VALUE_INT64 ? r->row[column].i : 0;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static rt_table *row_table(reflector *r, rt_table **last, const char *name)
{
	if (!name)
		return NULL;
	if (!*last || strcmp((*last)->name, name) != 0)
		*last = rt__schema_find_table(r->schema, name);
	return *last;
}

/* --- tables ----------------------------------------------------------------- */

/* A comment read into *out; MariaDB's empty comment is none. False when
 * out of memory. */
static bool set_comment(rt_schema *schema, const char **out, const char *text)
{
	if (!text || !*text)
		return true;
	*out = rt__arena_strdup(schema->arena, text);
	return *out != NULL;
}

/* A table's collation (and so its character set) other than the
 * database's default is the table's `collate NAME`; one equal to the
 * database's is none (a table made without one takes it). */
static const char TABLES_SQL[] =
	"SELECT t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_COMMENT, t.TABLE_COLLATION,"
	" s.DEFAULT_COLLATION_NAME"
	" FROM information_schema.TABLES t JOIN information_schema.SCHEMATA s"
	"  ON s.SCHEMA_NAME = t.TABLE_SCHEMA"
	" WHERE t.TABLE_SCHEMA = DATABASE() ORDER BY t.TABLE_NAME";

static int reflect_tables(reflector *r)
{
	int rc = query_open(r, TABLES_SQL, 5);
	while (rc >= 0 && (rc = query_next(r)) == RT_ROW) {
		const char *name = text_at(r, 0), *type = text_at(r, 1);
		if (!name)
			continue;
		/* Views and sequences are objects (mariadb_reflect_objects.c). */
		rt_mariadb_listed *l = &r->listed;
		bool view = same(type, "VIEW");
		if (view || same(type, "SEQUENCE")) {
			const char *kept = rt__arena_strdup(r->schema->arena, name);
			if (!kept || (view ? RT_ARENA_PUSH(r->schema->arena, l->views, l->view_count,
							   l->view_cap, kept)
					   : RT_ARENA_PUSH(r->schema->arena, l->sequences,
							   l->sequence_count, l->sequence_cap,
							   kept)) < 0)
				rc = rt__error_nomem();
			continue;
		}
		if (!same(type, "BASE TABLE")) {
			rc = rt__schema_not_kept(r->schema, "%s: %s, not managed by retort on MariaDB",
						 name, type ? type : "object");
			continue;
		}
		rt_table *table = rt__schema_add_table(r->schema, name, NULL);
		const char *collation = text_at(r, 3), *database = text_at(r, 4);
		const char *kept = collation ? rt__arena_strdup(r->schema->arena, collation) : NULL;
		if (!table || (collation && (!kept || rt__map_put(&r->table_collations,
								    table->name, (void *)kept) < 0)))
			rc = rt__error_nomem();
		else if (!set_comment(r->schema, &table->comment, text_at(r, 2)))
			rc = rt__error_nomem();
		else if (collation && database && !same(collation, database) &&
			 !(table->collation = rt__arena_strdup_lower(r->schema->arena, collation)))
			rc = rt__error_nomem();
	}
	query_close(r);
	return rc < 0 ? rc : RT_OK;
}

/* --- columns ------------------------------------------------------------------ */

/* COLUMNS alone: joined with TABLES (for the table's collation, and to
 * leave views' columns out) the server opened each table again per row,
 * 54 s at 10,000 tables against half a second. The collation comes from
 * the tables query; a view's columns find no table and are passed over. */
static const char COLUMNS_SQL[] =
	"SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE, c.COLUMN_DEFAULT,"
	" c.EXTRA, c.COLUMN_COMMENT, c.COLLATION_NAME, c.GENERATION_EXPRESSION, c.TABLE_SCHEMA"
	" FROM information_schema.COLUMNS c"
	" WHERE c.TABLE_SCHEMA = DATABASE() ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION";

/* An enum with these values: one the schema has already when the values
 * are the same (columns sharing a type), else a new one named after the
 * column (CamelCase), or after table and column when that name is taken. */
static int column_enum(reflector *r, const rt_table *table, const rt_column *column,
		       const char *spelling, rt_enum **out)
{
	rt_schema *schema = r->schema;
	rt_schema *scratch = rt__schema_new();
	if (!scratch)
		return rt__error_nomem();
	rt_enum *probe = rt__schema_add_enum(scratch, "Probe", "probe");
	int rc = probe ? rt__mariadb_read_enum_values(scratch, probe, spelling) : rt__error_nomem();
	for (size_t i = 0; rc == RT_OK && i < schema->enum_count; i++) {
		rt_enum *e = schema->enums[i];
		bool equal = e->value_count == probe->value_count;
		for (size_t v = 0; equal && v < e->value_count; v++)
			equal = strcmp(e->values[v], probe->values[v]) == 0;
		if (equal) {
			*out = e;
			rt_schema_free(scratch);
			return RT_OK;
		}
	}
	rt_schema_free(scratch);
	if (rc < 0)
		return rc;
	char snake[512];
	snprintf(snake, sizeof(snake), "%s", column->name);
	const char *name = rt__name_camel_case(schema->arena, snake);
	if (name && rt__schema_find_enum(schema, name)) {
		snprintf(snake, sizeof(snake), "%s_%s", table->name, column->name);
		name = rt__name_camel_case(schema->arena, snake);
	}
	rt_enum *e = name ? rt__schema_add_enum(schema, name,
						rt__arena_strdup(schema->arena, snake))
			  : NULL;
	if (!e)
		return rt__error_nomem();
	*out = e;
	return rt__mariadb_read_enum_values(schema, e, spelling);
}

/* COLUMN_TYPE -> the language's type (mariadb_types.c); an enum's values
 * become an enum of the schema. */
static int read_type(reflector *r, const rt_table *table, rt_column *column,
		     const char *spelling)
{
	rt_type *type = &column->type;
	if (strncmp(spelling, "enum(", 5) == 0) {
		rt_enum *e = NULL;
		int rc = column_enum(r, table, column, spelling, &e);
		if (rc < 0)
			return rc;
		*type = (rt_type){.kind = RT_TYPE_ENUM, .enum_name = e->name, .enum_type = e};
		return RT_OK;
	}
	const char *copy = rt__arena_strdup(r->schema->arena, spelling);
	if (!copy)
		return rt__error_nomem();
	rt__mariadb_type_read(type, copy);
	return RT_OK;
}

/* What EXTRA says of a column: a generated column ("STORED GENERATED",
 * "VIRTUAL GENERATED") with its expression in the language's spelling;
 * "on update current_timestamp()" (of any precision) is `server onupdate
 * now`; what the language has no word for (INVISIBLE) is named. */
static int read_extra(reflector *r, const rt_table *table, rt_column *column,
		      const char *extra, const char *generation)
{
	if (!extra)
		return RT_OK;
	bool stored = strstr(extra, "STORED") != NULL;
	if ((stored || strstr(extra, "VIRTUAL")) && generation) {
		column->generated = rt__mariadb_expression_text(r->schema->arena, generation);
		column->generated_virtual = !stored;
		return column->generated ? RT_OK : rt__error_nomem();
	}
	const char *onupdate = strstr(extra, "on update current_timestamp");
	if (onupdate) {
		column->server_onupdate = true;
		/* A NOT NULL column with ON UPDATE and no default of its own is
		 * given the zero date by MariaDB: the same table made from the
		 * models again gets it again, so it is no default of the
		 * models' (else check would see one they never said). */
		const char *zero = "0000-00-00 00:00:00";
		if (!column->nullable && column->server_default.kind == RT_LITERAL_STRING &&
		    column->server_default.text &&
		    strncmp(column->server_default.text, zero, strlen(zero)) == 0 &&
		    strspn(column->server_default.text + strlen(zero), ".0") ==
			    strlen(column->server_default.text + strlen(zero)))
			column->server_default = (rt_literal){RT_LITERAL_NONE, NULL};
		/* What else EXTRA says is named below. */
		if (!strstr(extra, "INVISIBLE"))
			return RT_OK;
	}
	if (stored || strstr(extra, "VIRTUAL") || strstr(extra, "INVISIBLE"))
		return rt__schema_not_kept(r->schema, "%s.%s: %s", table->name, column->name,
					   extra);
	return RT_OK;
}

static int reflect_columns(reflector *r)
{
	rt_table *last = NULL;
	int rc = query_open(r, COLUMNS_SQL, 10);
	while (rc >= 0 && (rc = query_next(r)) == RT_ROW) {
		rt_table *table = row_table(r, &last, text_at(r, 0));
		const char *name = text_at(r, 1), *spelling = text_at(r, 2);
		if (!table || !name || !spelling)
			continue;
		rt_column *column = rt__table_add_column(r->schema, table, name);
		if (!column) {
			rc = rt__error_nomem();
			break;
		}
		rc = read_type(r, table, column, spelling);
		column->nullable = same(text_at(r, 3), "YES");
		const char *extra = text_at(r, 5);
		column->autoincrement = extra && strstr(extra, "auto_increment");
		if (rc == RT_OK)
			rc = rt__mariadb_read_default(r->schema, column, text_at(r, 4), text_at(r, 9));
		if (rc == RT_OK)
			rc = read_extra(r, table, column, extra, text_at(r, 8));
		if (rc == RT_OK && !set_comment(r->schema, &column->comment, text_at(r, 6)))
			rc = rt__error_nomem();
		/* A collation of the column's own (json's utf8mb4_bin, part of
		 * json, is taken off once the column checks say it is json:
		 * reflect_column_checks). One the same as the table's is no
		 * column's own: MariaDB keeps no difference. */
		const char *collation = text_at(r, 7),
			   *table_collation = rt__map_get(&r->table_collations, table->name);
		if (rc == RT_OK && collation && table_collation && !same(collation, table_collation) &&
		    !(column->collation = rt__arena_strdup_lower(r->schema->arena, collation)))
			rc = rt__error_nomem();
	}
	query_close(r);
	return rc < 0 ? rc : RT_OK;
}

/* A column's own CHECK (LEVEL 'Column', named after the column) is how
 * MariaDB spells JSON: LONGTEXT with json_valid(column) is json; the
 * other checks are the tables' (reflect_checks). Both levels come from
 * one read of CHECK_CONSTRAINTS (mariadb_reflect_checks.c). */
static int reflect_json_columns(reflector *r)
{
	rt_table *last = NULL;
	int rc = RT_OK;
	for (const rt_mariadb_check_row *row = r->checks; rc >= 0 && row; row = row->next) {
		rt_table *table = row->column_level ? row_table(r, &last, row->table) : NULL;
		const char *name = row->name, *clause = row->clause;
		if (!table)
			continue;
		const char *check = rt__mariadb_expression_text(r->schema->arena, clause);
		if (!check) {
			rc = rt__error_nomem();
			break;
		}
		rt_column *column = rt__table_find_column(table, name);
		char expected[600];
		/* RENAME COLUMN leaves the check its old name (MariaDB 10.11)
		 * while its clause follows the column: the column is then the
		 * one whose json_valid it is. */
		for (size_t i = 0; !column && i < table->column_count; i++) {
			snprintf(expected, sizeof(expected), "json_valid(%s)",
				 table->columns[i]->name);
			if (same(check, expected))
				column = table->columns[i];
		}
		if (!column) {
			rc = rt__schema_not_kept(r->schema, "%s.%s: column check CHECK (%s)",
						 table->name, name, clause);
			continue;
		}
		snprintf(expected, sizeof(expected), "json_valid(%s)", column->name);
		if (column->type.kind == RT_TYPE_TEXT && same(check, expected)) {
			column->type.kind = RT_TYPE_JSON;
			if (same(column->collation, "utf8mb4_bin"))
				column->collation = NULL;
		} else
			rc = rt__schema_not_kept(r->schema, "%s.%s: column check CHECK (%s)",
						 table->name, name, clause);
	}
	return rc < 0 ? rc : RT_OK;
}

/* --- checks ----------------------------------------------------------------------- */

static int reflect_checks(reflector *r)
{
	rt_table *last = NULL;
	int rc = RT_OK;
	for (const rt_mariadb_check_row *row = r->checks; rc >= 0 && row; row = row->next) {
		rt_table *table = row->column_level ? NULL : row_table(r, &last, row->table);
		const char *name = row->name, *clause = row->clause;
		if (!table)
			continue;
		/* The check the DDL module writes beside an enum column. */
		bool enum_check = false;
		for (size_t i = 0; i < table->column_count && !enum_check; i++) {
			rt_column *column = table->columns[i];
			if (column->type.kind != RT_TYPE_ENUM)
				continue;
			const char *expected = rt__name_enum_check(r->schema->arena, table->name,
								   column->name);
			enum_check = same(expected, name);
		}
		if (enum_check)
			continue;
		rt_constraint *c = rt__table_add_constraint(r->schema, table, RT_CONSTRAINT_CHECK,
							    name);
		if (!c || !(c->check = rt__mariadb_expression_text(r->schema->arena, clause))) {
			rc = rt__error_nomem();
			break;
		}
		/* A check carrying a column's default check name was written on
		 * that column. */
		for (size_t i = 0; i < table->column_count; i++) {
			const char *expected = rt__name_column_check(r->schema->arena, table->name,
								     table->columns[i]->name);
			if (same(expected, name)) {
				c->check_column = table->columns[i]->name;
				break;
			}
		}
	}
	return rc < 0 ? rc : RT_OK;
}

/* --- indexes ------------------------------------------------------------------------ */

/* Every index column of the database, read once: the primary and unique
 * keys are read from it (mariadb_reflect_keys.c), the indexes the
 * language can declare go to their tables, and the others' columns are
 * kept for mariadb_reflect_objects.c (a query of its own over STATISTICS
 * cost two more scans of information_schema, seconds at 10,000 tables). */
static const char INDEXES_SQL[] =
	"SELECT s.TABLE_NAME, s.INDEX_NAME, s.NON_UNIQUE, s.COLUMN_NAME, s.SUB_PART,"
	" s.INDEX_TYPE, s.INDEX_COMMENT, s.COLLATION"
	" FROM information_schema.STATISTICS s"
	" WHERE s.TABLE_SCHEMA = DATABASE()"
	" ORDER BY s.TABLE_NAME, s.INDEX_NAME, s.SEQ_IN_INDEX";

/* Whether the index `name` of table is a key's own (primary, unique, a
 * foreign key's): MariaDB names the primary key's PRIMARY and the others'
 * after their constraint, which reflect_keys has read. (Asking
 * TABLE_CONSTRAINTS in this query instead cost a scan of it, seconds at
 * 10,000 tables.) A unique key's is the key itself: *unique says which. */
static bool is_key_index(const rt_table *table, const char *name, rt_constraint **unique)
{
	*unique = NULL;
	if (same(name, "PRIMARY"))
		return true;
	for (size_t i = 0; i < table->constraint_count; i++) {
		rt_constraint *c = table->constraints[i];
		if (c->kind != RT_CONSTRAINT_CHECK && c->kind != RT_CONSTRAINT_PRIMARY_KEY &&
		    same(c->name, name)) {
			if (c->kind == RT_CONSTRAINT_UNIQUE)
				*unique = c;
			return true;
		}
	}
	return false;
}

/* The current row of INDEXES_SQL as an index's column, in scratch. */
static rt_mariadb_odd_index *odd_row(reflector *r, rt_arena *scratch)
{
	rt_mariadb_odd_index *row = rt__arena_alloc(scratch, sizeof(*row));
	if (!row)
		return NULL;
	const char *texts[] = {text_at(r, 0), text_at(r, 1), text_at(r, 5), text_at(r, 6),
			       text_at(r, 3)};
	const char **fields[] = {&row->table, &row->name, &row->type, &row->comment,
				 &row->column};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i] && !(*fields[i] = rt__arena_strdup(scratch, texts[i])))
			return NULL;
	row->sub_part = r->row[4].type == RT_VALUE_NULL ? -1 : int_at(r, 4);
	row->unique = int_at(r, 2) == 0;
	row->descending = same(text_at(r, 7), "D");
	return row;
}

/* The language's `using` word for an index type MariaDB reports: NULL
 * for its default (BTREE), "" for one it has no word for (HASH). */
static const char *index_method(const char *type)
{
	if (same(type, "BTREE"))
		return NULL;
	if (same(type, "FULLTEXT"))
		return "fulltext";
	if (same(type, "SPATIAL"))
		return "spatial";
	return "";
}

/* Can the language declare the index of this column row? Not one on a
 * prefix or an expression, nor of a type it has no word for. */
static bool declarable(const rt_mariadb_odd_index *row)
{
	const char *method = index_method(row->type);
	return row->column && row->sub_part < 0 && !(method && !*method);
}

/* One index's rows, read in order, until the next index starts. */
typedef struct index_read {
	rt_table *table;
	const char *name;              /* in scratch */
	rt_constraint *unique;         /* the unique key it is, or NULL */
	bool odd, desc;                /* undeclarable; with a DESC key */
	rt_mariadb_odd_index *rows, **rows_tail;
} index_read;

/* Puts a finished index where it belongs: an undeclarable one's rows on
 * *odd_tail; a unique key with a DESC key becomes a unique index (a
 * constraint has no order); any other plain index its table's. */
static int settle_index(reflector *r, index_read *ix, rt_mariadb_odd_index ***odd_tail)
{
	if (!ix->name)
		return RT_OK;
	/* A unique key stays the constraint reflect_keys read unless it is
	 * an index the language declares with a DESC key (one on a long
	 * column is a HASH of the whole value, as the language's key is). */
	if (ix->unique && ix->odd && ix->desc)
		return rt__schema_not_kept(r->schema,
					   "%s: key %s: a DESC column (read as ascending: the "
					   "language's keys are)",
					   ix->table->name, ix->name);
	if (ix->unique && (ix->odd || !ix->desc))
		return RT_OK;
	if (ix->odd) {
		**odd_tail = ix->rows;
		*odd_tail = ix->rows_tail;
		return RT_OK;
	}
	rt_table *table = ix->table;
	if (ix->unique) {
		size_t kept = 0;
		for (size_t i = 0; i < table->constraint_count; i++)
			if (table->constraints[i] != ix->unique)
				table->constraints[kept++] = table->constraints[i];
		table->constraint_count = kept;
	}
	rt_index *index = rt__table_add_index(r->schema, table, ix->name, ix->rows->unique);
	if (!index)
		return rt__error_nomem();
	const char *method = index_method(ix->rows->type);
	if (method && !(index->method = rt__arena_strdup(r->schema->arena, method)))
		return rt__error_nomem();
	for (const rt_mariadb_odd_index *row = ix->rows; row; row = row->next)
		if (rt__index_add_key(r->schema, index, row->column, NULL, row->descending) < 0)
			return rt__error_nomem();
	return RT_OK;
}

/* Every row of INDEXES_SQL, in its order, into *rows (in scratch): the
 * keys (mariadb_reflect_keys.c) and the indexes are read from them. */
static int read_statistics(reflector *r, rt_arena *scratch, rt_mariadb_odd_index **rows)
{
	rt_mariadb_odd_index **tail = rows;
	int rc = query_open(r, INDEXES_SQL, 8);
	while (rc >= 0 && (rc = query_next(r)) == RT_ROW) {
		rc = RT_OK;
		if (!text_at(r, 0) || !text_at(r, 1))
			continue;
		rt_mariadb_odd_index *row = odd_row(r, scratch);
		if (!row) {
			rc = rt__error_nomem();
			break;
		}
		*tail = row;
		tail = &row->next;
	}
	query_close(r);
	*tail = NULL;
	return rc < 0 ? rc : RT_OK;
}

/* Reads the indexes of rows into their tables; the columns of those the
 * language cannot declare go to *odd (copies in scratch), in index order. */
static int reflect_indexes(reflector *r, rt_arena *scratch, const rt_mariadb_odd_index *rows,
			   rt_mariadb_odd_index **odd)
{
	rt_table *last = NULL;
	index_read ix = {0};
	rt_mariadb_odd_index **odd_tail = odd;
	int rc = RT_OK;
	for (const rt_mariadb_odd_index *at = rows; rc >= 0 && at; at = at->next) {
		rt_table *table = row_table(r, &last, at->table);
		const char *name = at->name, *column = at->column;
		if (!table)
			continue;
		/* The primary key's and a foreign key's own index are the key;
		 * a DESC column in them is named (the language's keys have
		 * none). A unique key's is read on: with a DESC key it is a
		 * unique index. */
		rt_constraint *unique;
		if (is_key_index(table, name, &unique) && !unique) {
			if (at->descending && column &&
			    (rc = rt__schema_not_kept(r->schema,
						      "%s: key %s: column %s DESC (read as "
						      "ascending: the language's keys are)",
						      table->name, name, column)) < 0)
				break;
			continue;
		}
		/* Index names are per table: two tables' idx_fk_film_id are two
		 * indexes. */
		if (table != ix.table || !same(name, ix.name)) {
			if ((rc = settle_index(r, &ix, &odd_tail)) < 0)
				break;
			ix = (index_read){.table = table, .unique = unique, .name = name};
			ix.rows_tail = &ix.rows;
		}
		/* A copy: the list of one index is linked anew. */
		rt_mariadb_odd_index *row = rt__arena_alloc(scratch, sizeof(*row));
		if (!row) {
			rc = rt__error_nomem();
			break;
		}
		*row = *at;
		row->next = NULL;
		*ix.rows_tail = row;
		ix.rows_tail = &row->next;
		/* On a prefix or an expression, or of a type the language has
		 * no word for: one of the database's objects
		 * (mariadb_reflect_objects.c). */
		ix.odd |= !declarable(row);
		ix.desc |= row->descending;
	}
	if (rc >= 0)
		rc = settle_index(r, &ix, &odd_tail);
	*odd_tail = NULL;
	return rc < 0 ? rc : RT_OK;
}

/* A unique index is a unique constraint on MariaDB (mariadb_types.c's
 * canonicalize makes a schema's unique indexes so too), unless it has a
 * DESC key, which a constraint cannot say. */
static int unique_indexes_as_keys(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		size_t kept = 0;
		for (size_t i = 0; i < table->index_count; i++) {
			rt_index *index = table->indexes[i];
			if (!index->unique || !rt__index_is_plain(index)) {
				table->indexes[kept++] = index;
				continue;
			}
			rt_constraint *c = rt__table_add_constraint(schema, table,
								    RT_CONSTRAINT_UNIQUE, index->name);
			if (!c)
				return rt__error_nomem();
			for (size_t k = 0; k < index->key_count; k++)
				if (rt__constraint_add_column(schema, c, index->keys[k].column,
							      false) < 0)
					return rt__error_nomem();
		}
		table->index_count = kept;
	}
	return RT_OK;
}

int rt__mariadb_unique_indexes_as_keys(rt_schema *schema)
{
	return unique_indexes_as_keys(schema);
}

/* --- the whole schema ------------------------------------------------------------------- */

int rt__mariadb_reflect(rt_schema **out, const rt_dialect *dialect, rt_driver_conn *conn)
{
	*out = NULL;
	reflector r = {.schema = rt__schema_new(), .dialect = dialect, .conn = conn};
	if (!r.schema)
		return RT_ENOMEM;
	rt__map_init(&r.table_collations, r.schema->arena);
	/* The checks on a second connection meanwhile: CHECK_CONSTRAINTS and
	 * STATISTICS are the two reads that open every table. STATISTICS
	 * comes last here, after the reads of table definitions only: by
	 * then the checks' pass has brought most tables into InnoDB's
	 * dictionary, which is most of what opening them costs (at 10,000
	 * tables and the default cache, `check` took 1.7-2.2 s with
	 * STATISTICS first, 1.3-1.6 s last). */
	rt_mariadb_checks *checks = NULL;
	int rc = rt__mariadb_checks_start(&checks, dialect, conn);
	rt_arena *scratch = rt__arena_new();
	rt_mariadb_odd_index *rows = NULL, *odd = NULL;
	if (rc == RT_OK && !scratch)
		rc = rt__error_nomem();
	if (rc == RT_OK)
		rc = reflect_tables(&r);
	if (rc == RT_OK)
		rc = reflect_columns(&r);
	if (rc == RT_OK)
		rc = read_statistics(&r, scratch, &rows);
	if (rc == RT_OK)
		rc = rt__mariadb_checks_finish(checks, &r.checks);
	if (rc == RT_OK)
		rc = reflect_json_columns(&r);
	/* The keys before the checks and the indexes: a table's constraints
	 * in that order, and an index that is a key's left out. */
	if (rc == RT_OK)
		rc = rt__mariadb_reflect_keys(r.schema, dialect, conn, rows);
	if (rc == RT_OK)
		rc = reflect_checks(&r);
	if (rc == RT_OK)
		rc = reflect_indexes(&r, scratch, rows, &odd);
	if (rc == RT_OK)
		rc = unique_indexes_as_keys(r.schema);
	if (rc == RT_OK)
		rc = rt__mariadb_reflect_objects(r.schema, dialect, conn, odd, &r.listed);
	rt__arena_free(scratch);
	rt__mariadb_checks_free(checks);
	if (rc < 0) {
		rt_schema_free(r.schema);
		return rt__error_wrap("reading MariaDB's information_schema");
	}
	*out = r.schema;
	return RT_OK;
}
