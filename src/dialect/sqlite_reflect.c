/*
 * sqlite_reflect.c - reads a live SQLite database into the schema model, in
 * the normal form of schema/metadata.h, through the dialect's driver
 * functions only.
 *
 * The PRAGMAs give columns, keys and indexes; what they leave out
 * (constraint names, CHECK expressions) comes from the CREATE TABLE text,
 * parsed by sqlite_ddl_parse.c; declared types, DEFAULT texts and enum
 * CHECKs become schema terms in sqlite_reflect_types.c. Reading back what
 * rt__ddl_create_all wrote gives the canonicalized original
 * (dialect->canonicalize):
 *   - a one-column INTEGER primary key is the rowid: bigint, autoincrement;
 *   - a CHECK ("col" IN ('a', 'b')) named ck_<table>_<col>_enum on a
 *     VARCHAR as long as the longest value is an enum column;
 *   - unnamed constraints (hand-written DDL) get the default names.
 */
#include "dialect/sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "schema/naming.h"

/* --- queries ----------------------------------------------------------------- */

/*
 * Statement reuse. Reflection runs the same few PRAGMA queries once per
 * table, and preparing one costs more than running it: the prepare looks
 * the table-valued function's name up in the schema's hash table, which
 * SQLite keeps small, so with 10,000 tables each prepare walks long chains.
 * While rt__sqlite_reflect runs, the queries it prepares are kept and
 * rewound for the next table instead. The set lives in the calling thread
 * (reflection of one connection runs on one thread) for the duration of
 * that call only, so no other caller ever sees it; passing it down every
 * reader's signature was the alternative, for no gain in clarity.
 */
#define REUSE_MAX 8

typedef struct stmt_reuse {
	rt_driver_conn *conn;
	const char *sql[REUSE_MAX]; /* the callers' literals, compared by address */
	rt_driver_stmt *stmt[REUSE_MAX];
	size_t count;
} stmt_reuse;

static _Thread_local stmt_reuse *reuse;

static rt_driver_stmt *reused(rt_driver_conn *conn, const char *sql)
{
	if (!reuse || reuse->conn != conn)
		return NULL;
	for (size_t i = 0; i < reuse->count; i++)
		if (reuse->sql[i] == sql)
			return reuse->stmt[i];
	return NULL;
}

static bool is_reused(const rt_driver_stmt *stmt)
{
	for (size_t i = 0; reuse && i < reuse->count; i++)
		if (reuse->stmt[i] == stmt)
			return true;
	return false;
}

static int bind_param(const rt_dialect *d, rt_driver_stmt *stmt, const char *param)
{
	rt_value value = {.type = RT_VALUE_TEXT, .s = param, .len = strlen(param)};
	return d->bind(stmt, 1, &value);
}

int rt__sqlite_query(rt_driver_stmt **out, const rt_dialect *d, rt_driver_conn *conn,
		     const char *sql, const char *param)
{
	rt_driver_stmt *kept = reused(conn, sql);
	if (kept) {
		*out = kept;
		return param ? bind_param(d, kept, param) : RT_OK;
	}
	int rc = d->prepare(out, conn, sql);
	if (rc < 0)
		return rc;
	if (reuse && reuse->conn == conn && reuse->count < REUSE_MAX) {
		reuse->sql[reuse->count] = sql;
		reuse->stmt[reuse->count++] = *out;
	}
	if (param && (rc = bind_param(d, *out, param)) < 0) {
		rt__sqlite_query_done(d, *out);
		*out = NULL;
	}
	return rc;
}

void rt__sqlite_query_done(const rt_dialect *d, rt_driver_stmt *stmt)
{
	if (is_reused(stmt))
		d->reset(stmt);
	else
		d->finalize(stmt);
}

int rt__sqlite_column_text(const char **out, rt_arena *arena, const rt_dialect *d,
			   rt_driver_stmt *stmt, int column)
{
	rt_value value;
	int rc = d->column_value(stmt, column, &value);
	*out = NULL;
	if (rc < 0)
		return rc;
	switch (value.type) {
	case RT_VALUE_NULL:
		return RT_OK;
	case RT_VALUE_INT64:
	case RT_VALUE_BOOL:
		*out = rt__arena_printf(arena, "%" PRId64, value.i);
		break;
	case RT_VALUE_DOUBLE:
		*out = rt__arena_printf(arena, "%.17g", value.d);
		break;
	case RT_VALUE_TEXT:
	case RT_VALUE_BLOB:
		*out = rt__arena_strndup(arena, value.s, value.len);
		break;
	}
	return *out ? RT_OK : rt__error_nomem();
}

int64_t rt__sqlite_column_int(const rt_dialect *d, rt_driver_stmt *stmt, int column)
{
	rt_value value;
	if (d->column_value(stmt, column, &value) < 0)
		return 0;
	if (value.type == RT_VALUE_INT64 || value.type == RT_VALUE_BOOL)
		return value.i;
	if (value.type == RT_VALUE_DOUBLE)
		return (int64_t)value.d;
	if (value.type == RT_VALUE_TEXT)
		return strtoll(value.s, NULL, 10);
	return 0;
}

/* Steps to the next row: 1 for a row, 0 at the end, < 0 on error. */
static int next_row(const rt_dialect *d, rt_driver_stmt *stmt)
{
	int rc = d->step(stmt);
	return rc == RT_ROW ? 1 : rc == RT_DONE ? 0 : rc;
}

int rt__sqlite_load_table_def(rt_sqlite_table_def *out, rt_arena *arena,
			      const rt_dialect *d, rt_driver_conn *conn, const char *table)
{
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
				  "AND name = ?1 COLLATE NOCASE ORDER BY name = ?1 DESC LIMIT 1",
				  table);
	if (rc < 0)
		return rc;
	const char *name = NULL, *sql = NULL;
	rc = next_row(d, stmt);
	if (rc == 0)
		rc = rt__error_set(RT_ENOTFOUND, "no such table: %s", table);
	else if (rc > 0 && (rc = rt__sqlite_column_text(&name, arena, d, stmt, 0)) == RT_OK)
		rc = rt__sqlite_column_text(&sql, arena, d, stmt, 1);
	rt__sqlite_query_done(d, stmt);
	if (rc < 0)
		return rc;
	if ((rc = rt__sqlite_parse_create_table(out, arena, sql)) < 0)
		return rc;
	out->name = name; /* default names use the stored name */
	return RT_OK;
}

/* --- tables ----------------------------------------------------------------------------- */

typedef struct pk_entry {
	rt_column *column;
	int64_t position;
} pk_entry;

static int compare_pk_entries(const void *a, const void *b)
{
	int64_t x = ((const pk_entry *)a)->position, y = ((const pk_entry *)b)->position;
	return (x > y) - (x < y);
}

/* The table's column name spelled as stored (SQL names are not case
 * sensitive, constraint texts may spell them otherwise). */
static const char *column_spelling(const rt_table *table, const char *name)
{
	rt_column *column = rt__table_find_column(table, name);
	for (size_t i = 0; !column && i < table->column_count; i++)
		if (strcasecmp(table->columns[i]->name, name) == 0)
			column = table->columns[i];
	return column ? column->name : name;
}

static int add_columns(rt_schema *schema, rt_constraint *c, const rt_table *table,
		       const char *const *names, size_t count, bool ref)
{
	for (size_t i = 0; i < count; i++) {
		const char *name = table ? column_spelling(table, names[i]) : names[i];
		int rc = rt__constraint_add_column(schema, c, name, ref);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The column's definition in the CREATE TABLE text, or NULL. */
static const rt_sqlite_column_def *column_def(const rt_sqlite_table_def *def, const char *name)
{
	for (size_t i = 0; i < def->column_count; i++)
		if (strcasecmp(def->columns[i].name, name) == 0)
			return &def->columns[i];
	return NULL;
}

/* What only the CREATE TABLE text says of a column: its collation (lower
 * case: SQLite's names do not tell case apart; BINARY is the default) and
 * a generated column's expression, as written. hidden is PRAGMA
 * table_xinfo's: 2 for a VIRTUAL generated column, 3 for a STORED one. */
static int read_column_text(rt_schema *schema, rt_column *column,
			    const rt_sqlite_table_def *def, int64_t hidden)
{
	const rt_sqlite_column_def *c = column_def(def, column->name);
	if (c && c->collation && strcasecmp(c->collation, "BINARY") != 0 &&
	    !(column->collation = rt__arena_strdup_lower(schema->arena, c->collation)))
		return rt__error_nomem();
	if (hidden == 0)
		return RT_OK;
	if (!c || !c->generation)
		return rt__schema_not_kept(schema, "%s.%s: a generated column whose expression "
					   "could not be read from the table's text",
					   def->name ? def->name : "?", column->name);
	column->generated_virtual = hidden == 2;
	column->generated = rt__arena_strdup(schema->arena, c->generation);
	return column->generated ? RT_OK : rt__error_nomem();
}

/* What the CREATE TABLE text says of the table besides its columns and
 * keys: its options (STRICT, WITHOUT ROWID). */
static int note_table_text(rt_schema *schema, rt_table *table,
			   const rt_sqlite_table_def *def)
{
	(void)schema;
	if (def->strict)
		table->options |= RT_TABLE_STRICT;
	if (def->without_rowid)
		table->options |= RT_TABLE_WITHOUT_ROWID;
	return RT_OK;
}

static int reflect_columns(rt_schema *schema, rt_table *table, const rt_dialect *d,
			   rt_driver_conn *conn, const rt_sqlite_table_def *def,
			   const char ***defaults, rt_arena *scratch)
{
	rt_arena *arena = schema->arena;
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM "
				  "pragma_table_xinfo(?1) WHERE hidden IN (0, 2, 3) ORDER BY cid",
				  table->name);
	if (rc < 0)
		return rc;
	pk_entry *pk = NULL;
	size_t pk_count = 0, pk_cap = 0, default_cap = 0, default_count = 0;
	while ((rc = next_row(d, stmt)) > 0) {
		const char *name, *declared, *dflt;
		if ((rc = rt__sqlite_column_text(&name, arena, d, stmt, 0)) < 0 ||
		    (rc = rt__sqlite_column_text(&declared, arena, d, stmt, 1)) < 0 ||
		    (rc = rt__sqlite_column_text(&dflt, arena, d, stmt, 3)) < 0)
			break;
		int64_t hidden = rt__sqlite_column_int(d, stmt, 5);
		rt_column *column = rt__table_add_column(schema, table, name);
		if (!column) {
			rc = RT_ENOMEM;
			break;
		}
		column->type = rt__sqlite_type_from_declared(declared);
		column->nullable = rt__sqlite_column_int(d, stmt, 2) == 0;
		if ((rc = read_column_text(schema, column, def, hidden)) < 0)
			break;
		int64_t position = rt__sqlite_column_int(d, stmt, 4);
		if (position > 0) {
			column->nullable = false;
			if (rt__arena_reserve(scratch, (void **)&pk, &pk_cap, pk_count + 1,
					      sizeof(*pk)) < 0) {
				rc = rt__error_nomem();
				break;
			}
			pk[pk_count++] = (pk_entry){column, position};
			/* Declared exactly INTEGER, a sole key column is the rowid. */
			if (declared && strcasecmp(declared, "INTEGER") == 0 && !def->without_rowid)
				column->autoincrement = true;
		}
		if (rt__arena_reserve(scratch, (void **)defaults, &default_cap, default_count + 1,
				      sizeof(char *)) < 0) {
			rc = rt__error_nomem();
			break;
		}
		(*defaults)[default_count++] = dflt;
	}
	rt__sqlite_query_done(d, stmt);
	if (rc < 0 || (rc = note_table_text(schema, table, def)) < 0)
		return rc;
	if (pk_count == 0)
		return RT_OK;

	qsort(pk, pk_count, sizeof(*pk), compare_pk_entries);
	const char *name = NULL;
	for (size_t i = 0; i < def->constraint_count && !name; i++)
		if (def->constraints[i]->kind == RT_CONSTRAINT_PRIMARY_KEY)
			name = rt__sqlite_constraint_name(scratch, def, def->constraints[i]);
	if (!name && !(name = rt__name_primary_key(scratch, table->name)))
		return rt__error_nomem();
	rt_constraint *c = rt__table_add_constraint(schema, table, RT_CONSTRAINT_PRIMARY_KEY, name);
	if (!c)
		return RT_ENOMEM;
	for (size_t i = 0; i < pk_count; i++)
		if ((rc = rt__constraint_add_column(schema, c, pk[i].column->name, false)) < 0)
			return rc;
	if (pk_count == 1 && pk[0].column->autoincrement)
		pk[0].column->type.kind = RT_TYPE_BIGINT;
	else
		for (size_t i = 0; i < pk_count; i++)
			pk[i].column->autoincrement = false;
	/* The AUTOINCREMENT keyword (ids never used twice, kept in
	 * sqlite_sequence) is more than the rowid the language's
	 * autoincrement is: named, not dropped silently. */
	for (size_t i = 0; i < def->constraint_count; i++)
		if (def->constraints[i]->kind == RT_CONSTRAINT_PRIMARY_KEY &&
		    def->constraints[i]->autoincrement)
			return rt__schema_not_kept(schema,
						   "%s.%s: AUTOINCREMENT (an id is never used "
						   "twice); the file's autoincrement is the rowid, "
						   "which may use the highest id again once it is "
						   "deleted",
						   table->name, pk[0].column->name);
	return RT_OK;
}

/* One foreign key as PRAGMA foreign_key_list reports it. */
typedef struct fk_info {
	int64_t id;
	const char *parent;
	const char **from, **to;
	size_t count, cap;
	const char *on_update, *on_delete;
	bool used;
} fk_info;

static int read_foreign_keys(rt_arena *arena, const rt_dialect *d, rt_driver_conn *conn,
			     const char *table, fk_info **out, size_t *count)
{
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
				  "FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
				  table);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	*count = 0;
	while ((rc = next_row(d, stmt)) > 0) {
		int64_t id = rt__sqlite_column_int(d, stmt, 0);
		if (*count == 0 || (*out)[*count - 1].id != id) {
			if (rt__arena_reserve(arena, (void **)out, &cap, *count + 1, sizeof(fk_info)) < 0) {
				rc = rt__error_nomem();
				break;
			}
			fk_info *fk = &(*out)[(*count)++];
			memset(fk, 0, sizeof(*fk));
			fk->id = id;
			if ((rc = rt__sqlite_column_text(&fk->parent, arena, d, stmt, 1)) < 0 ||
			    (rc = rt__sqlite_column_text(&fk->on_update, arena, d, stmt, 4)) < 0 ||
			    (rc = rt__sqlite_column_text(&fk->on_delete, arena, d, stmt, 5)) < 0)
				break;
		}
		fk_info *fk = &(*out)[*count - 1];
		const char *from, *to;
		if ((rc = rt__sqlite_column_text(&from, arena, d, stmt, 2)) < 0 ||
		    (rc = rt__sqlite_column_text(&to, arena, d, stmt, 3)) < 0)
			break;
		if (fk->count == fk->cap) {
			size_t cap2 = fk->cap ? fk->cap * 2 : 4;
			const char **from2 = rt__arena_alloc(arena, cap2 * sizeof(char *));
			const char **to2 = rt__arena_alloc(arena, cap2 * sizeof(char *));
			if (!from2 || !to2) {
				rc = rt__error_nomem();
				break;
			}
			if (fk->count) {
				memcpy(from2, fk->from, fk->count * sizeof(char *));
				memcpy(to2, fk->to, fk->count * sizeof(char *));
			}
			fk->from = from2;
			fk->to = to2;
			fk->cap = cap2;
		}
		fk->from[fk->count] = from;
		fk->to[fk->count] = to;
		fk->count++;
	}
	rt__sqlite_query_done(d, stmt);
	return rc < 0 ? rc : RT_OK;
}

static rt_fk_action action_from_text(const char *text)
{
	if (!text)
		return RT_FK_NO_ACTION;
	if (strcasecmp(text, "CASCADE") == 0)
		return RT_FK_CASCADE;
	if (strcasecmp(text, "RESTRICT") == 0)
		return RT_FK_RESTRICT;
	if (strcasecmp(text, "SET NULL") == 0)
		return RT_FK_SET_NULL;
	if (strcasecmp(text, "SET DEFAULT") == 0)
		return RT_FK_SET_DEFAULT;
	return RT_FK_NO_ACTION;
}

/* Is fk the key c declares? strict also compares what may tell apart two
 * keys on the same columns: the referenced columns and the actions. */
static bool fk_matches(const fk_info *fk, const rt_sqlite_constraint *c, bool strict)
{
	if (fk->used || !c->ref_table || strcasecmp(fk->parent, c->ref_table) != 0 ||
	    fk->count != c->column_count)
		return false;
	for (size_t i = 0; i < fk->count; i++)
		if (strcasecmp(fk->from[i], c->columns[i]) != 0)
			return false;
	if (!strict)
		return true;
	if (action_from_text(fk->on_delete) != c->on_delete ||
	    action_from_text(fk->on_update) != c->on_update)
		return false;
	if (c->ref_column_count == 0)
		return true;
	if (c->ref_column_count != fk->count)
		return false;
	for (size_t i = 0; i < fk->count; i++)
		if (!fk->to[i] || strcasecmp(fk->to[i], c->ref_columns[i]) != 0)
			return false;
	return true;
}

/* The PRAGMA's entry for the key c declares, or NULL. */
static fk_info *find_fk(fk_info *fks, size_t count, const rt_sqlite_constraint *c)
{
	for (int strict = 1; strict >= 0; strict--)
		for (size_t f = 0; f < count; f++)
			if (fk_matches(&fks[f], c, strict))
				return &fks[f];
	return NULL;
}

/* The primary key columns of another table, for REFERENCES t without a
 * column list. */
static int parent_key(rt_arena *arena, const rt_dialect *d, rt_driver_conn *conn,
		      const char *parent, const char ***out, size_t *count)
{
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
				  parent);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	*count = 0;
	while ((rc = next_row(d, stmt)) > 0) {
		const char *name;
		if ((rc = rt__sqlite_column_text(&name, arena, d, stmt, 0)) < 0)
			break;
		if (rt__arena_reserve(arena, (void **)out, &cap, *count + 1, sizeof(char *)) < 0) {
			rc = rt__error_nomem();
			break;
		}
		(*out)[(*count)++] = name;
	}
	rt__sqlite_query_done(d, stmt);
	return rc < 0 ? rc : RT_OK;
}

static int add_foreign_key(rt_schema *schema, rt_table *table, const rt_dialect *d,
			   rt_driver_conn *conn, fk_info *fk, const char *name)
{
	rt_arena *arena = schema->arena;
	fk->used = true;
	if (!name && !(name = rt__name_foreign_key(arena, table->name, fk->from, fk->count,
						     fk->parent)))
		return rt__error_nomem();
	rt_constraint *c = rt__table_add_constraint(schema, table, RT_CONSTRAINT_FOREIGN_KEY, name);
	if (!c || !(c->ref_table = rt__arena_strdup(arena, fk->parent)))
		return RT_ENOMEM;
	c->on_delete = action_from_text(fk->on_delete);
	c->on_update = action_from_text(fk->on_update);
	int rc = add_columns(schema, c, table, fk->from, fk->count, false);
	if (rc < 0)
		return rc;
	const char **to = fk->to;
	size_t to_count = fk->count;
	if (fk->count > 0 && !fk->to[0] &&
	    (rc = parent_key(arena, d, conn, fk->parent, &to, &to_count)) < 0)
		return rc;
	return add_columns(schema, c, NULL, to, to_count, true);
}

/* UNIQUE, FOREIGN KEY and CHECK constraints, in the order of the text. */
static int reflect_constraints(rt_schema *schema, rt_table *table, const rt_dialect *d,
			       rt_driver_conn *conn, const rt_sqlite_table_def *def,
			       rt_arena *scratch)
{
	rt_arena *arena = schema->arena;
	fk_info *fks = NULL;
	size_t fk_count = 0;
	int rc = read_foreign_keys(scratch, d, conn, table->name, &fks, &fk_count);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < def->constraint_count; i++) {
		const rt_sqlite_constraint *sc = def->constraints[i];
		const char *name = rt__sqlite_constraint_name(scratch, def, sc);
		if (!name)
			return rt__error_nomem();
		if (sc->kind == RT_CONSTRAINT_FOREIGN_KEY) {
			fk_info *fk = find_fk(fks, fk_count, sc);
			if (fk && (rc = add_foreign_key(schema, table, d, conn, fk, name)) < 0)
				return rc;
			/* DEFERRABLE INITIALLY IMMEDIATE is NOT DEFERRABLE here. */
			if (fk && sc->deferred)
				table->constraints[table->constraint_count - 1]->deferrable =
					RT_DEFERRABLE_DEFERRED;
			continue;
		}
		if (sc->kind == RT_CONSTRAINT_CHECK) {
			if ((rc = rt__sqlite_enum_check(schema, table, name, sc->check)) != 0) {
				if (rc < 0)
					return rc;
				continue;
			}
		}
		if (sc->kind != RT_CONSTRAINT_UNIQUE && sc->kind != RT_CONSTRAINT_CHECK)
			continue;
		rt_constraint *c = rt__table_add_constraint(schema, table, sc->kind, name);
		if (!c)
			return RT_ENOMEM;
		if (sc->kind == RT_CONSTRAINT_UNIQUE) {
			if ((rc = add_columns(schema, c, table, sc->columns, sc->column_count,
					      false)) < 0)
				return rc;
			continue;
		}
		if (!(c->check = rt__arena_strdup(arena, sc->check ? sc->check : "")))
			return rt__error_nomem();
		/* A check written on a column, or named as one, belongs to it. */
		const char *column = sc->column;
		for (size_t k = 0; !column && k < table->column_count; k++) {
			const char *own = rt__name_column_check(scratch, table->name,
								table->columns[k]->name);
			if (own && strcmp(own, name) == 0)
				column = table->columns[k]->name;
		}
		/* (A name the table lacks is the text's: copied out of scratch.) */
		if (column && !(c->check_column = rt__arena_strdup(
					arena, column_spelling(table, column))))
			return rt__error_nomem();
	}
	/* Keys the text did not show (it always does; this is a safety net). */
	for (size_t f = 0; f < fk_count; f++)
		if (!fks[f].used && (rc = add_foreign_key(schema, table, d, conn, &fks[f], NULL)) < 0)
			return rc;
	return RT_OK;
}

/*
 * What is read only to be looked at (the CREATE TABLE text's tokens and
 * parse, the PRAGMA rows of foreign keys, names to compare) goes to a
 * scratch arena of the table's own, freed when the table is done: kept in
 * the schema it was two fifths of the reflected schema's memory, whose
 * first touch costs page faults, at 10,000 tables 0.1 s. Everything the
 * schema keeps is copied into its arena (the add helpers copy names).
 */
static int reflect_table(rt_schema *schema, const rt_dialect *d, rt_driver_conn *conn,
			 const char *name, const char *sql, const rt_map *index_order)
{
	rt_arena *arena = schema->arena;
	rt_arena *scratch = rt__arena_new();
	if (!scratch)
		return rt__error_nomem();
	rt_sqlite_table_def def;
	int rc = rt__sqlite_parse_create_table(&def, scratch, sql);
	rt_table *table = NULL;
	if (rc >= 0) {
		def.name = name;
		table = rt__schema_add_table(schema, name, NULL);
		rc = table ? RT_OK : RT_ENOMEM;
	}
	const char **defaults = NULL;
	if (rc >= 0 && (rc = reflect_columns(schema, table, d, conn, &def, &defaults,
					      scratch)) >= 0 &&
	    (rc = reflect_constraints(schema, table, d, conn, &def, scratch)) >= 0)
		rc = rt__sqlite_reflect_indexes(schema, table, d, conn, index_order, scratch);
	/* After the enum checks, so that a default can be an enum value. */
	for (size_t i = 0; rc >= 0 && i < table->column_count; i++) {
		rt_column *column = table->columns[i];
		rc = rt__sqlite_server_default(&column->server_default, arena, defaults[i],
					       column);
	}
	rt__arena_free(scratch);
	return rc < 0 ? rc : RT_OK;
}

/* SQLite names are not case sensitive, so REFERENCES authors (id) may
 * point at "Authors" ("ID"): spell every reference as the target stores it. */
static void spell_references(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		for (size_t k = 0; k < table->constraint_count; k++) {
			rt_constraint *c = table->constraints[k];
			if (c->kind != RT_CONSTRAINT_FOREIGN_KEY)
				continue;
			rt_table *target = rt__schema_find_table(schema, c->ref_table);
			for (size_t i = 0; !target && i < schema->table_count; i++)
				if (strcasecmp(schema->tables[i]->name, c->ref_table) == 0)
					target = schema->tables[i];
			if (!target)
				continue;
			c->ref_table = target->name;
			for (size_t i = 0; i < c->ref_column_count; i++)
				c->ref_columns[i] = column_spelling(target, c->ref_columns[i]);
		}
	}
}

static int reflect_all(rt_schema **out, const rt_dialect *d, rt_driver_conn *conn);

/* Runs one statement that returns no rows. */
static int run_plain(const rt_dialect *d, rt_driver_conn *conn, const char *sql)
{
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn, sql, NULL);
	if (rc == RT_OK && (rc = d->step(stmt)) == RT_DONE)
		rc = RT_OK;
	rt__sqlite_query_done(d, stmt);
	return rc < 0 ? rc : RT_OK;
}

/* The whole reflection reads one snapshot, inside a savepoint (which opens
 * a read transaction when none is open, and nests in one that is): each
 * statement would otherwise take and drop the file's shared lock and
 * re-check the schema, which at 10,000 tables costs a sixth of `check`. */
int rt__sqlite_reflect(rt_schema **out, const rt_dialect *d, rt_driver_conn *conn)
{
	stmt_reuse set = {.conn = conn};
	stmt_reuse *outer = reuse;
	reuse = &set;
	int rc = run_plain(d, conn, "SAVEPOINT rt_reflect");
	if (rc == RT_OK) {
		rc = reflect_all(out, d, conn);
		int released = run_plain(d, conn, "RELEASE rt_reflect");
		if (rc == RT_OK && released < 0) {
			rt_schema_free(*out);
			*out = NULL;
			rc = released;
		}
	}
	reuse = outer;
	for (size_t i = 0; i < set.count; i++)
		d->finalize(set.stmt[i]);
	return rc;
}

static int reflect_all(rt_schema **out, const rt_dialect *d, rt_driver_conn *conn)
{
	*out = NULL;
	rt_schema *schema = rt__schema_new();
	if (!schema)
		return RT_ENOMEM;
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
				  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
				  NULL);
	/* Read the list first: each table's PRAGMAs are queries of their own. */
	const char **names = NULL, **sqls = NULL;
	size_t count = 0, names_cap = 0, sqls_cap = 0;
	while (rc == RT_OK && (rc = next_row(d, stmt)) > 0) {
		const char *name, *sql;
		if ((rc = rt__sqlite_column_text(&name, schema->arena, d, stmt, 0)) < 0 ||
		    (rc = rt__sqlite_column_text(&sql, schema->arena, d, stmt, 1)) < 0)
			break;
		if (RT_ARENA_PUSH(schema->arena, names, count, names_cap, name) < 0 ||
		    rt__arena_reserve(schema->arena, (void **)&sqls, &sqls_cap, count,
				      sizeof(char *)) < 0) {
			rc = rt__error_nomem();
			break;
		}
		sqls[count - 1] = sql;
		rc = RT_OK;
	}
	rt__sqlite_query_done(d, stmt);
	rt_map index_order;
	rt__map_init(&index_order, schema->arena);
	if (rc >= 0)
		rc = rt__sqlite_read_index_order(&index_order, schema->arena, d, conn);
	for (size_t i = 0; rc >= 0 && i < count; i++)
		rc = reflect_table(schema, d, conn, names[i], sqls[i], &index_order);
	if (rc >= 0)
		rc = rt__sqlite_reflect_objects(schema, d, conn);
	if (rc < 0) {
		rt_schema_free(schema);
		return rc;
	}
	spell_references(schema);
	*out = schema;
	return RT_OK;
}
