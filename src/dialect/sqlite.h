/*
 * sqlite.h - internals shared by the SQLite dialect's files:
 *   sqlite.c             the driver (the only file that calls libsqlite3)
 *   sqlite_ddl_parse.c   reading a stored CREATE TABLE text
 *   sqlite_reflect.c     reading a live database into a schema
 *   sqlite_like.c        the ORM's LIKE and ILIKE
 *   sqlite_rebuild.c     what a table rebuild keeps beyond the model
 *   sqlite_options.c     a URL's query options (mode, timeout, pragmas)
 *
 * SQLite keeps constraint names and CHECK expressions nowhere but in the
 * CREATE TABLE text it stores in sqlite_master, so both reflection and the
 * error mapping (which constraint did a statement violate?) parse it.
 */
#ifndef RT_DIALECT_SQLITE_H
#define RT_DIALECT_SQLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/map.h"
#include "dialect/dialect.h"
#include "schema/metadata.h"

/* One constraint as written in a CREATE TABLE text. */
typedef struct rt_sqlite_constraint {
	rt_constraint_kind kind;   /* primary key, unique, foreign key, check */
	const char *name;          /* from CONSTRAINT name, or NULL */
	const char *column;        /* written on this column; NULL at table level */
	const char **columns;      /* key columns (the column itself at column level) */
	size_t column_count;
	const char *ref_table;     /* foreign keys */
	const char **ref_columns;  /* empty when the parent's primary key is meant */
	size_t ref_column_count;
	rt_fk_action on_delete, on_update;
	bool deferred;             /* DEFERRABLE INITIALLY DEFERRED: checked at COMMIT */
	const char *check;         /* CHECK: the expression between the parentheses */
	bool autoincrement;        /* PRIMARY KEY ... AUTOINCREMENT */
} rt_sqlite_constraint;

typedef struct rt_sqlite_column_def {
	const char *name;
	const char *type;          /* declared type as written ("" when none) */
	size_t type_start, type_end; /* where the type stands in the text */
	size_t def_start, def_end; /* where the whole definition stands */
	const char *collation;     /* COLLATE name, or NULL */
	bool generated;            /* GENERATED ALWAYS AS (...) / AS (...) */
	const char *generation;    /* the expression inside AS (...), as written */
	bool generated_stored;     /* ... STORED (else VIRTUAL, SQLite's default) */
} rt_sqlite_column_def;

typedef struct rt_sqlite_table_def {
	const char *name;
	const char *sql;           /* the text parsed (not copied) */
	rt_sqlite_column_def *columns;
	size_t column_count, column_cap;
	rt_sqlite_constraint **constraints; /* in the order of the text */
	size_t constraint_count, constraint_cap;
	bool without_rowid;
	bool strict;
	const char *options;       /* the text after the column list ("STRICT"), or NULL */
	size_t close;              /* where the column list's ')' stands in the text */
} rt_sqlite_table_def;

/* Parses a CREATE TABLE statement as SQLite stores it. Tolerant: clauses it
 * has no use for (COLLATE, ON CONFLICT, GENERATED, ...) are skipped, and a
 * text that is not a CREATE TABLE with a column list yields an empty
 * definition. Fails only when out of memory. */
int rt__sqlite_parse_create_table(rt_sqlite_table_def *out, rt_arena *arena,
				  const char *sql);

/* A CREATE INDEX statement as SQLite stores it: each key's text (a
 * column's name, or an expression as written, without the parentheses
 * around it and without ASC / DESC) and the WHERE's. */
typedef struct rt_sqlite_index_key {
	const char *text;
	bool collated;             /* with a COLLATE of its own */
} rt_sqlite_index_key;

typedef struct rt_sqlite_index_def {
	rt_sqlite_index_key *keys;
	size_t key_count, key_cap;
	const char *where;         /* NULL: none */
} rt_sqlite_index_def;

/* Parses a CREATE INDEX statement; a text that is none yields no keys.
 * Fails only when out of memory. */
int rt__sqlite_parse_create_index(rt_sqlite_index_def *out, rt_arena *arena,
				  const char *sql);

/* Does sql name name (an identifier, bare or quoted, any case)? Used to
 * find the views and triggers a rebuild would break; true when out of
 * memory, so that a doubt refuses rather than loses. */
bool rt__sqlite_names_identifier(rt_arena *arena, const char *sql, const char *name);
/* The query of a CREATE VIEW statement as SQLite keeps it (the text after
 * AS, as written), or NULL when the statement is not one the schema
 * language's `view` says (a column list) or cannot be read. */
const char *rt__sqlite_view_query(rt_arena *arena, const char *sql);

/* The name a constraint of def has in the database: its own, or the
 * default name of DESIGN §1 (pk_<t>, uq_<t>_<cols>, fk_<t>_<cols>_<ref>,
 * ck_<t>_<column>, ck_<t>_<n> counting unnamed table-level checks). */
const char *rt__sqlite_constraint_name(rt_arena *arena, const rt_sqlite_table_def *def,
				       const rt_sqlite_constraint *c);

/* --- queries through the dialect's driver functions (sqlite_reflect.c) --- */

/* Prepares sql and binds param (may be NULL: no parameter) as text. */
int rt__sqlite_query(rt_driver_stmt **out, const rt_dialect *dialect, rt_driver_conn *conn,
		     const char *sql, const char *param);
/* Ends a query of rt__sqlite_query: finalizes it, or rewinds one kept for
 * reuse while a reflection runs. */
void rt__sqlite_query_done(const rt_dialect *dialect, rt_driver_stmt *stmt);
/* Column of the current row as text copied into arena; *out = NULL for
 * SQL NULL. */
int rt__sqlite_column_text(const char **out, rt_arena *arena, const rt_dialect *dialect,
			   rt_driver_stmt *stmt, int column);
/* Appends to schema's objects the views, triggers and indexes its tables'
 * reflection did not take in (sqlite_reflect_objects.c). */
int rt__sqlite_reflect_objects(rt_schema *schema, const rt_dialect *dialect,
			       rt_driver_conn *conn);
/* sqlite_reflect_indexes.c: the indexes of table made by CREATE INDEX,
 * in the order they were made (order: each index's position in
 * sqlite_master, by name, read once by rt__sqlite_read_index_order);
 * what is only looked at goes to scratch. */
int rt__sqlite_reflect_indexes(rt_schema *schema, rt_table *table, const rt_dialect *d,
			       rt_driver_conn *conn, const rt_map *order, rt_arena *scratch);
int rt__sqlite_read_index_order(rt_map *order, rt_arena *arena, const rt_dialect *d,
				rt_driver_conn *conn);
/* Column of the current row as an integer (0 for NULL). */
int64_t rt__sqlite_column_int(const rt_dialect *dialect, rt_driver_stmt *stmt, int column);
/* Reads and parses the stored CREATE TABLE text of table. RT_ENOTFOUND
 * when there is no such table. */
int rt__sqlite_load_table_def(rt_sqlite_table_def *out, rt_arena *arena,
			      const rt_dialect *dialect, rt_driver_conn *conn,
			      const char *table);

/* The name of the constraint a failed statement violated
 * (sqlite_violation.c), allocated in arena, or NULL when it cannot be told.
 * kind comes from the extended result code, message is SQLite's, stmt is
 * the statement that failed (NULL when unknown). Uses only the dialect's
 * driver functions, so it works on the connection the error came from. */
const char *rt__sqlite_violation_name(rt_arena *arena, const rt_dialect *dialect,
				      rt_driver_conn *conn, rt_driver_stmt *stmt,
				      rt_constraint_violation kind, const char *message);

/* Checks the rows of table (every table when NULL) against their foreign
 * keys: RT_OK, or RT_ECONSTRAINT naming the table, the key and the first
 * broken row (the dialect's check_foreign_keys; sqlite_violation.c). */
int rt__sqlite_check_foreign_keys(const rt_dialect *dialect, rt_driver_conn *conn,
				  const char *table);

/* The dialect's rebuild_carry and check_integrity (sqlite_rebuild.c). */
int rt__sqlite_rebuild_carry(rt_rebuild_carry *out, rt_arena *arena, const rt_dialect *dialect,
			     rt_driver_conn *conn, const rt_rebuild_request *request);
int rt__sqlite_check_integrity(const rt_dialect *dialect, rt_driver_conn *conn,
			       const char *table);

/* The ORM's LIKE as GLOB and ILIKE as LIKE ... ESCAPE (the dialect's
 * render_like; sqlite_like.c). */
void rt__sqlite_render_like(rt_buf *sql, rt_buf *pattern, const char *operand,
			    const char *like_pattern, bool insensitive);

/* The SQL text a driver statement was prepared from (sqlite.c). */
const char *rt__sqlite_stmt_sql(rt_driver_stmt *stmt);
/* Rewinds stmt keeping every binding, those made in place too (the reset
 * hook lets go of those): to run it again within the call that bound it. */
void rt__sqlite_stmt_rewind(rt_driver_stmt *stmt);

/* --- reading stored texts back (sqlite_reflect_types.c) --- */

/* The schema type for a declared column type; a verbatim type points at
 * text, which must outlive it. */
rt_type rt__sqlite_type_from_declared(const char *text);
/* A DEFAULT as PRAGMA table_xinfo shows it (NULL: none), as a literal;
 * quoted text is an enum value when column is an enum holding it. */
int rt__sqlite_server_default(rt_literal *out, rt_arena *arena, const char *text,
			      const rt_column *column);
/* When the CHECK named name with expression expr is the enum CHECK of one
 * of table's columns (ck_<t>_<c>_enum: "c" IN ('a', ...) on a VARCHAR as
 * long as the longest value), makes that column an enum column and returns
 * 1; returns 0 when it is an ordinary check, < 0 on error. */
int rt__sqlite_enum_check(rt_schema *schema, rt_table *table, const char *name,
			  const char *expr);

/* Reads the connected database (sqlite_reflect.c). */
int rt__sqlite_reflect(rt_schema **out, const rt_dialect *dialect, rt_driver_conn *conn);

/* The SQLite dialect adjusted to the library actually loaded (RETURNING
 * needs SQLite 3.35). */
const rt_dialect *rt__dialect_sqlite_runtime(void);

/* A connection's busy timeout unless the URL says otherwise. */
#define RT_SQLITE_BUSY_TIMEOUT_MS 5000

/* The URL's options (sqlite_options.c): sqlite3_open_v2 flags, the busy
 * timeout, and the PRAGMA statements to run on the new connection,
 * appended to pragmas. Unknown options and bad values: RT_EPARSE. */
int rt__sqlite_read_options(const rt_connect_params *params, int *flags, int *timeout_ms,
			    rt_buf *pragmas);

#endif
