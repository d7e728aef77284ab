/*
 * dialect.h - the one interface every database backend implements.
 *
 * A dialect is a constant table of function pointers plus a capability
 * record. Everything above this layer (DDL, engine, ORM, migrations) talks
 * to a database only through this table and adapts to the capabilities, so
 * a new backend is one more table, not changes all over the code.
 *
 * Driver objects (connections, statements) are opaque to the callers.
 * Every function records an error (base/error.h) before returning one.
 */
#ifndef RT_DIALECT_DIALECT_H
#define RT_DIALECT_DIALECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "retort/common.h"
#include "schema/metadata.h"

/* Where a migration run takes its lock. */
typedef enum rt_lock_method {
	RT_LOCK_DATABASE_WRITE, /* the database's own write lock (SQLite BEGIN IMMEDIATE) */
	RT_LOCK_ADVISORY,       /* transaction advisory lock (PostgreSQL) */
	RT_LOCK_LEASE_TABLE,    /* a row in a lease table, for engines without advisory locks */
	RT_LOCK_NAMED           /* a named lock of the server, held by the session (MariaDB GET_LOCK) */
} rt_lock_method;

/* Where a backend keeps the values of an enum column. */
typedef enum rt_enum_kind {
	/* A string column with a CHECK listing the values, named
	 * ck_<table>_<column>_enum (SQLite): a value added or dropped, or a
	 * rename of the table or column the CHECK is named after, rebuilds
	 * the table. */
	RT_ENUM_CHECK = 0,
	/* A named type object the columns use (PostgreSQL's CREATE TYPE ...
	 * AS ENUM): the create_enum, drop_enum, enum_add_value and
	 * enum_replace hooks. */
	RT_ENUM_TYPE,
	/* The values are the column's own type (MariaDB's ENUM('a', 'b')):
	 * there is no object to create or drop, and a value added or dropped
	 * restates each column of the enum through the alter_column hook. */
	RT_ENUM_INLINE
} rt_enum_kind;

/* How an autoincrementing integer column is declared. */
typedef enum rt_autoincrement_style {
	RT_AUTOINCREMENT_CLAUSE = 0, /* the dialect's autoincrement_clause on the column */
	RT_AUTOINCREMENT_ROWID       /* SQLite: the one-column INTEGER PRIMARY KEY */
} rt_autoincrement_style;

typedef struct rt_dialect_caps {
	bool transactional_ddl;       /* DDL can be rolled back */
	int ddl_per_transaction;      /* DDL statements allowed per transaction; 0 = any */
	rt_lock_method lock_method;
	bool returning;               /* INSERT ... RETURNING */
	rt_enum_kind enum_kind;       /* where an enum column's values live */
	bool alter_add_constraint;    /* ALTER TABLE ADD CONSTRAINT (else: inline only) */
	bool comments;                /* keeps comments: the comment hook */
	int max_identifier_length;    /* bytes; 0 = no limit */
	rt_autoincrement_style autoincrement;
	/* What ALTER TABLE can change in place; a migration operation the
	 * dialect cannot carry out in place rebuilds the table instead
	 * (migrate/rebuild.c: create new, copy rows, drop, rename). */
	bool alter_column_in_place;   /* a column's type, NULL-ness and default:
				       * the alter_column hook */
	bool drop_column_in_place;    /* DROP COLUMN of a column no constraint uses */
	bool drop_constraint_in_place;/* ALTER TABLE DROP CONSTRAINT */
	bool add_column_any_default;  /* ADD COLUMN with an expression default or
				       * NOT NULL without one (else: constant defaults only) */
	/* timestamptz values are bound as UTC text with a "+00" offset, for a
	 * backend that reads offset-less text in its session's time zone
	 * (PostgreSQL); else as plain UTC text, which is what SQLAlchemy
	 * stores on SQLite. */
	bool timestamptz_offset;
	/* INSERT ... RETURNING costs more per execution than reading the
	 * generated key with last_insert_id and the other generated columns
	 * with one SELECT per few hundred rows (SQLite runs RETURNING through
	 * a temporary table per execution): the ORM's flush does the latter
	 * for rows it inserts one a statement. A multi-row INSERT ...
	 * RETURNING is one execution per thousand rows, and it uses that. */
	bool returning_slow;
	/* The bound parameters one statement may take (multi-row INSERTs are
	 * sized to fit). */
	int max_parameters;
	/* Rows one multi-row INSERT (or upsert) of the ORM takes at most;
	 * 0 = 1,000. A server spreads its per-statement cost over more rows;
	 * an embedded database has none to spread, and its statement costs
	 * more per row as it grows. */
	int rows_per_insert;
	/* The driver's calls block the thread on files, not on a socket it
	 * could wait for (an embedded database): the non-blocking API runs
	 * them on the engine's worker threads (docs/async.md). */
	bool driver_blocks;
	/* In autocommit, one connection can carry the statements of several
	 * operations of the non-blocking API at once: each statement goes to
	 * the server as soon as its operation runs it, and its results come
	 * back to that operation in order (PostgreSQL's pipeline mode). The
	 * pool then lends a connection to up to shared_pipeline_depth fibers
	 * of one thread at once (pool.c); the driver keeps the order and
	 * serves a streamed query or a batch with the connection to itself. */
	bool shared_pipeline;
	/* RETURNING on INSERT only, not on UPDATE (MariaDB): the flush tells
	 * an updated row from a gone one by the affected-row count. */
	bool returning_insert_only;
	/* An upsert statement takes its rows back with RETURNING only when
	 * its objects name distinct conflict keys (PostgreSQL: ON CONFLICT
	 * refuses to affect one row twice in a statement, so a key named
	 * twice is not a row per object there). Else (SQLite, MariaDB) a key
	 * named twice gives a row per object, in the order of the VALUES,
	 * each the row as that object left it: matched by place, the later
	 * object finds the earlier's in the identity map, and the ORM skips
	 * the check of the statement's keys (a hash set of them: 35M
	 * instructions of an upsert of 100,000 rows). */
	bool upsert_keys_distinct;
	/* A double or real column keeps NaN as NaN (PostgreSQL); else the
	 * backend would turn it into NULL (SQLite), and the ORM refuses to
	 * write one rather than store something else. */
	bool stores_nan;
	/* ON DELETE / ON UPDATE SET DEFAULT is accepted by the backend and
	 * then not carried out (InnoDB acts as RESTRICT): the DDL refuses a
	 * foreign key with it, naming it, rather than write a key that does
	 * something else than it says. */
	bool fk_set_default_ignored;
	/* A foreign key may be DEFERRABLE [INITIALLY DEFERRED] (SQLite,
	 * PostgreSQL); else the DDL refuses one by name (MariaDB). */
	bool deferrable_foreign_keys;
	/* An index keeps a column of unbounded length (string without a
	 * length, text, blob, json) whole. Else (MariaDB: InnoDB keys hold
	 * at most 3072 bytes, and such an index silently becomes one on the
	 * column's first 768 characters; a unique key is a hash of the whole
	 * value there and is kept) the DDL refuses such an index by name
	 * (sql/ddl_check.c). */
	bool index_unbounded;
	/* Which names two tables may share. The schema language scopes every
	 * constraint and index name per table; the database may not
	 * (sql/ddl_names.c checks a schema and each migration operation):
	 * index_names_per_table: index names, and those of the keys that are
	 * indexes (primary key, unique constraint), are the table's (MariaDB);
	 * else they share one namespace per schema with the tables
	 * (PostgreSQL, SQLite). foreign_key_names_per_schema: foreign key
	 * names are the database's, not the table's (InnoDB). */
	bool index_names_per_table;
	bool foreign_key_names_per_schema;
	/* What an index may be besides ascending columns (sql/ddl_check.c
	 * refuses the rest by name, before any statement): index_where, a
	 * partial index (CREATE INDEX ... WHERE); index_expressions, keys
	 * that are expressions; index_include, INCLUDE columns; index_desc,
	 * DESC keys. Its methods are the dialect's index_methods. */
	bool index_where;
	bool index_expressions;
	bool index_include;
	bool index_desc;
	/* Domains, sequences, functions, aggregates, procedures, views,
	 * materialized views and triggers (rt_sql_object, sql/ddl_objects.c
	 * writes their statements from these): sql_object_kinds: the kinds
	 * the backend has, a bit (1u << kind) each; the DDL refuses the
	 * others by name. view_or_replace: CREATE OR REPLACE VIEW changes a
	 * view in place (else DROP and CREATE). or_replace_kinds: the kinds
	 * (a bit each) whose CREATE statement, made CREATE OR REPLACE,
	 * changes the object in place (else DROP and CREATE).
	 * function_drop_args: DROP FUNCTION (AGGREGATE, PROCEDURE) names the
	 * arguments (overloads). trigger_names_per_table: DROP TRIGGER t ON
	 * table. sequence_alter: ALTER SEQUENCE takes the options of CREATE
	 * SEQUENCE and changes them without touching the sequence's value.
	 * domain_alter: ALTER DOMAIN sets and drops a domain's default, NOT
	 * NULL and constraints (a changed base type is DROP and CREATE). */
	unsigned sql_object_kinds;
	bool view_or_replace;
	unsigned or_replace_kinds;
	bool function_drop_args;
	bool sequence_alter;
	bool domain_alter;
	bool trigger_names_per_table;
	/* Generated columns (`generated '<expr>' stored|virtual`, DDL
	 * GENERATED ALWAYS AS (...) STORED|VIRTUAL; sql/ddl_check.c refuses
	 * what the dialect lacks, by name, before any statement):
	 * generated_virtual: VIRTUAL ones too (SQLite, MariaDB), else STORED
	 * only (PostgreSQL 15). generated_not_null: one may be NOT NULL; else
	 * (MariaDB's grammar has no NOT NULL for it) every generated column
	 * is nullable, the DDL leaves NOT NULL out and canonicalize says so.
	 * add_column_generated_stored: ADD COLUMN takes a STORED one; else
	 * (SQLite) the table is rebuilt. */
	bool generated_virtual;
	bool generated_not_null;
	bool add_column_generated_stored;
	/* Collation names tell case apart (PostgreSQL's "C" is not "c"): the
	 * DDL quotes them always. Else (SQLite's NOCASE, MariaDB's
	 * utf8mb4_bin) a one-word name is written bare, and canonicalize
	 * brings names to lower case, as reflection reads them. */
	bool collation_case_matters;
	/* A column may say `server onupdate now` (DDL ON UPDATE <the current
	 * time, as the dialect writes `now`>: MariaDB's ON UPDATE
	 * CURRENT_TIMESTAMP). Else (SQLite, PostgreSQL, which would need a
	 * trigger) the DDL refuses such a column by name before any
	 * statement (sql/ddl_check.c). */
	bool server_onupdate;
	/* Columns may be one-dimensional arrays of a built-in type or an enum
	 * (rt_type.array: PostgreSQL's INTEGER[]), which the column_type hook
	 * writes; else (SQLite, MariaDB) the DDL refuses an array column by
	 * name before any statement (sql/ddl_check.c), and the ORM refuses to
	 * bind an array value. */
	bool arrays;
	/* Tables may live in schemas (namespaces) of the database besides
	 * its default one (PostgreSQL's CREATE SCHEMA; rt_table.schema), and
	 * the version table in one of its own. Else (SQLite, MariaDB, whose
	 * "schema" is a database) the DDL refuses a table in a schema by name
	 * (ddl_check.c). */
	bool schemas;
} rt_dialect_caps;

/* An index method a dialect has besides its default B-tree, and how
 * CREATE INDEX says it: a word before INDEX (MariaDB's CREATE FULLTEXT
 * INDEX) or a USING clause after the table (PostgreSQL's USING gin). */
typedef struct rt_index_method {
	const char *name;        /* the language's word: "gin", "fulltext" */
	const char *before_index;/* "FULLTEXT", or NULL */
	const char *using_method;/* "gin", or NULL */
} rt_index_method;

/* Connection parameters, parsed from a URL by engine/url.c. Fields not in
 * the URL are NULL (or 0 for port). */
typedef struct rt_connect_params {
	/* The backend's canonical name (registry.h), or the scheme as written,
	 * lower case, for a scheme of no backend; the driver suffix dropped. */
	const char *scheme;
	const char *path;     /* a file backend's path; NULL or "" = in memory */
	const char *host;     /* a server backend's */
	int port;
	const char *user;
	const char *password;
	const char *database;
	const char **option_keys;   /* query string: ?sslmode=require&... */
	const char **option_values;
	size_t option_count;
	const char *masked_url;     /* for messages: password replaced by *** */
	/* Do not create a database that is not there (SQLite: its file), for
	 * a command that only reads: connect fails with RT_ENOTFOUND. */
	bool must_exist;
	/* isolation_level=autocommit (the URL's or the engine's options):
	 * the engine sends no BEGIN, COMMIT or ROLLBACK; each statement
	 * commits by itself. A dialect with caps.shared_pipeline then keeps
	 * its connection ready to carry the statements of several users at
	 * once (shared_pipeline below). */
	bool autocommit;
} rt_connect_params;

/* A value crossing the driver boundary. Text and blob point into memory
 * owned by the caller (bind) or by the driver until the next step (read). */
typedef enum rt_value_type {
	RT_VALUE_NULL = 0,
	RT_VALUE_INT64,
	RT_VALUE_DOUBLE,
	RT_VALUE_BOOL,
	RT_VALUE_TEXT,
	RT_VALUE_BLOB
} rt_value_type;

typedef struct rt_value {
	rt_value_type type;
	int64_t i;        /* INT64, BOOL (0/1) */
	double d;         /* DOUBLE */
	const char *s;    /* TEXT (NUL-terminated), BLOB */
	size_t len;       /* TEXT, BLOB: bytes */
	/* TEXT, BLOB to bind: the bytes stay as they are until the statement
	 * is next reset, so the driver may point at them instead of copying
	 * them (an object's field, bound by the flush). A binding so made
	 * does not outlive that reset. */
	bool borrowed;
} rt_value;

/* A date and time as a driver may hold it, broken down (column_when). */
typedef struct rt_value_when {
	int32_t year;
	uint8_t month, day, hour, minute, second;
	uint32_t microsecond;
} rt_value_when;

/* A table rebuild (migrate/rebuild.c) asks the dialect, on the live
 * database, for what the table holds that the schema model does not
 * describe (rebuild_carry). */
typedef struct rt_rebuild_request {
	const char *table;        /* the table's name in the database, now and after */
	const char *new_name;     /* the name its new definition is created under */
	const rt_table *before;   /* the table as the schema model has it now */
	const rt_table *after;    /* its new definition */
	const char *create_sql;   /* CREATE TABLE new_name (...), made from after */
} rt_rebuild_request;

typedef struct rt_rebuild_carry {
	const char *create_sql;   /* the CREATE TABLE to run instead of the request's */
	/* Run after the new table has the old name: the table's indexes and
	 * triggers as the database stores them. */
	const char **restore;
	size_t restore_count, restore_cap;
	/* The indexes of after that restore re-creates (the others are made
	 * from the model). */
	const char **kept_indexes;
	size_t kept_count, kept_cap;
	/* Columns the model does not have that the new table keeps, whose
	 * values are copied too. */
	const char **copy_columns;
	size_t copy_count, copy_cap;
} rt_rebuild_carry;

/* A column of an enum type, for enum_replace: its table and column, and
 * its server default as SQL (NULL when it has none); array: the column is
 * an array of the enum. */
typedef struct rt_enum_use {
	const char *schema;       /* the table's PostgreSQL schema, or NULL */
	const char *table;        /* its SQL name (rt__table_sql_name) */
	const char *column;
	const char *default_sql;
	bool array;
} rt_enum_use;

/*
 * A column changed in place (the alter_column hook): the column as it is
 * and as it will be, and what changes. One backend alters a part at a time
 * (PostgreSQL: ALTER COLUMN c TYPE / SET NOT NULL / SET DEFAULT), another
 * restates the whole column (MariaDB: MODIFY COLUMN <definition>), so the
 * hook gets both the parts and the whole.
 */
typedef struct rt_column_change {
	const rt_schema *schema;    /* the schema before the change (its enum types) */
	const rt_table *table;      /* the table before the change */
	const rt_column *before;    /* the column as it is */
	const rt_column *after;     /* as it will be: type, NULL-ness, server default */
	bool set_type;              /* the type changes, to after's */
	bool set_null;              /* the NULL-ness changes, to after's */
	bool set_default;           /* the server default changes, to after's (maybe none) */
	bool set_collation;         /* the collation changes, to after's (maybe the
				     * type's default) */
	bool set_onupdate;          /* `server onupdate now` comes or goes, as after
				     * says (only where caps.server_onupdate) */
	const char *using_expr;     /* the script's conversion for set_type, or NULL */
	const char *default_sql;    /* after's server default as SQL; NULL: none */
	const char *definition_sql; /* after as CREATE TABLE declares it: name, type,
				     * NOT NULL, default */
} rt_column_change;

/*
 * A table's default collation changed (the alter_table_collation hook):
 * the table as it is, the collation it gets (NULL: the database's
 * default), and its text columns (string, char, text, enum) that have no
 * collation of their own: they follow the table's, so they change with it
 * (a table's default alone applies to columns made after it), each with
 * its definition as CREATE TABLE declares it, without a COLLATE.
 */
typedef struct rt_table_collation_change {
	const rt_table *table;
	const char *collation;
	const rt_column *const *columns;
	const char *const *column_sql;
	size_t column_count;
} rt_table_collation_change;

/* What a statement does, said by whoever writes it (never read back from
 * its text, whose words are the backend's): `retort sql` lays statements
 * out in blocks by kind (sql/ddl.c, rt__ddl_join). */
typedef enum rt_stmt_kind {
	RT_STMT_OTHER = 0,     /* an index, a comment, a type altered, data, a setting */
	RT_STMT_CREATE_TABLE,
	RT_STMT_ALTER_TABLE,   /* a table's columns or constraints changed, or its name */
	RT_STMT_DROP_TABLE,
	RT_STMT_CREATE_TYPE,   /* an enum type made */
	RT_STMT_DROP_TYPE      /* an enum type dropped */
} rt_stmt_kind;

/* Takes one statement's text, of kind kind, out of sql (which it clears);
 * < 0 on error. */
typedef int (*rt_statement_sink)(void *ctx, rt_buf *sql, rt_stmt_kind kind);

typedef struct rt_driver_conn rt_driver_conn;
typedef struct rt_driver_stmt rt_driver_stmt;
typedef struct rt_dialect rt_dialect;

/* What conn_status says of a connection. */
typedef enum rt_driver_status {
	RT_DRIVER_IDLE = 0,          /* usable, no transaction open */
	RT_DRIVER_IN_TRANSACTION,    /* a transaction is open (or failed and not rolled back) */
	RT_DRIVER_BROKEN             /* the connection is lost: close it */
} rt_driver_status;

/* One statement run once per parameter set (run_batch). bind(ctx, i)
 * binds set i through the dialect's bind; row(ctx, i), when not NULL, is
 * called with each row set i returns made the statement's current row.
 * On error *failed receives the index of the failing set. */
typedef struct rt_driver_batch {
	size_t count;
	int (*bind)(void *ctx, size_t index);
	int (*row)(void *ctx, size_t index);
	void *ctx;
	size_t *failed;
} rt_driver_batch;

struct rt_dialect {
	const char *name;      /* "sqlite", "postgresql" */
	rt_dialect_caps caps;

	/* --- driver ------------------------------------------------------- */
	int (*connect)(rt_driver_conn **out, const rt_connect_params *params);
	void (*disconnect)(rt_driver_conn *conn);                 /* NULL-safe */
	/* SQL with no parameters and no rows; may hold several statements. */
	int (*exec)(rt_driver_conn *conn, const char *sql);
	/* sql uses `?` placeholders; the dialect translates as needed. */
	int (*prepare)(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql);
	int (*bind)(rt_driver_stmt *stmt, int index, const rt_value *value); /* 1-based */
	int (*step)(rt_driver_stmt *stmt);        /* RT_ROW, RT_DONE or < 0 */
	int (*reset)(rt_driver_stmt *stmt);       /* rewind, keep bindings */
	void (*finalize)(rt_driver_stmt *stmt);   /* NULL-safe */
	int (*column_count)(rt_driver_stmt *stmt);
	/* The number of parameters the statement takes (its highest `?`). */
	int (*param_count)(rt_driver_stmt *stmt);
	const char *(*column_name)(rt_driver_stmt *stmt, int column);
	/* Fills *out for the current row (0-based column). */
	int (*column_value)(rt_driver_stmt *stmt, int column, rt_value *out);
	/* Optional: the column of the current row as a date and time, when
	 * the driver holds it so (MariaDB's binary rows hold a MYSQL_TIME).
	 * RT_OK with *out set; 1 when it is not held so (NULL, another type,
	 * no row), to be read with column_value. A date is at midnight. It
	 * spares the ORM writing such a value as text only to read it back,
	 * which was a tenth of loading a row with a timestamp. */
	int (*column_when)(rt_driver_stmt *stmt, int column, rt_value_when *out);
	/* Optional: once a run has its first row, how many rows its result
	 * holds on the client (PostgreSQL's whole result, MariaDB's stored
	 * rows); -1 when the rows come one at a time (SQLite, a streamed
	 * run). The ORM sizes its identity map once from it, instead of
	 * growing it a dozen times on the way to 100,000 objects. */
	int64_t (*rows_held)(rt_driver_stmt *stmt);

	/* --- for the engine's pool, statement cache and batches -------------- */
	/* Whether a connection can be handed out again, and whether a
	 * transaction is open on it. */
	rt_driver_status (*conn_status)(rt_driver_conn *conn);
	/* Connections that may be open at once for these parameters: 1 when
	 * each connection would be a database of its own (SQLite in memory),
	 * 0 for no limit. NULL = no limit. */
	int (*max_connections)(const rt_connect_params *params);
	/* Like prepare, for a statement the engine keeps and runs many times
	 * on this connection (PostgreSQL: a named server-side prepared
	 * statement, prepared at the first run). NULL = prepare. */
	int (*prepare_cached)(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql);
	/* Rows inserted, updated or deleted by the statement's last completed
	 * run; 0 for other statements. */
	uint64_t (*changes)(rt_driver_stmt *stmt);
	/* The integer key (rowid) of the row the statement's last completed
	 * run inserted on its connection. NULL: the dialect has none (the ORM
	 * then reads generated keys with RETURNING). */
	int64_t (*last_insert_id)(rt_driver_stmt *stmt);
	/* Fetch the rows of the next runs one at a time rather than all at
	 * once (constant memory). NULL: the driver always does. */
	int (*set_streaming)(rt_driver_stmt *stmt, bool on);
	/* Runs the statement once per set of the batch, adding the rows
	 * changed to *affected. NULL: the engine binds, steps and resets in a
	 * loop (right for an embedded database, which has no round trips). */
	int (*run_batch)(rt_driver_stmt *stmt, const rt_driver_batch *batch, uint64_t *affected);
	/* Begins a transaction. A dialect may send its BEGIN with the
	 * connection's next statement rather than wait for it now
	 * (PostgreSQL: both in one pipeline, one round trip); that
	 * statement's caller then gets BEGIN's error, if any, and a
	 * transaction that runs nothing before it ends sends nothing. NULL:
	 * exec("BEGIN"). */
	int (*begin)(rt_driver_conn *conn);
	/* Rolls back the open transaction of a connection given back to the
	 * pool, where nobody waits for the result: a dialect may send the
	 * ROLLBACK now and read its result with the connection's next
	 * statement (PostgreSQL), so the server ends the transaction (and
	 * its locks) at once but nobody waits a round trip. handed_on: the
	 * pool hands the connection straight to a caller waiting for one,
	 * whose statement follows at once: the ROLLBACK may then wait to go
	 * out with that statement (one write instead of two); until it has
	 * gone, conn_status says a transaction is open, so a release calls
	 * this again. A failure found later fails the statement that finds
	 * it with RT_ECONNECT and conn_status reports the connection broken:
	 * it is not used again. < 0 when the connection cannot be used again
	 * now. NULL: exec("ROLLBACK"). */
	int (*rollback_unwaited)(rt_driver_conn *conn, bool handed_on);

	/* The index methods the dialect has besides its default (B-tree),
	 * ending with a NULL name; NULL: none. */
	const rt_index_method *index_methods;

	/* --- SQL rendering --------------------------------------------------- */
	/* Appends ident quoted for this dialect ("users", "a""b"). */
	void (*quote_ident)(rt_buf *buf, const char *ident);
	/* Appends the SQL type of a column (e.g. VARCHAR(50), INTEGER,
	 * BIGINT); the DDL module adds NULL-ness, defaults and constraints. */
	void (*column_type)(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			    const rt_column *column);
	/* The ORM's LIKE (insensitive false) and ILIKE (true): `%` matches any
	 * run of characters, `_` one character, `\` makes the next one plain;
	 * LIKE tells case apart, ILIKE does not. Appends to sql the condition
	 * on operand (SQL text) with one `?`, and to pattern the text to bind
	 * for like_pattern. Every dialect has it: the words are the backend's
	 * (PostgreSQL's: "operand LIKE ?" / "operand ILIKE ?" with the pattern
	 * as given, its LIKE already behaving so). */
	void (*render_like)(rt_buf *sql, rt_buf *pattern, const char *operand,
			    const char *like_pattern, bool insensitive);
	/* Where caps.arrays: appends to sql the condition that the array
	 * operand (SQL text) holds the value of one `?` among its elements
	 * (PostgreSQL: ? = ANY (operand)). NULL elsewhere. */
	void (*array_holds)(rt_buf *sql, const char *operand);
	/* What follows INSERT INTO t to insert one row of its defaults only
	 * (the ORM's insert of an object whose every column the database
	 * fills): SQL's " DEFAULT VALUES" (SQLite, PostgreSQL); MariaDB would
	 * write " () VALUES ()". */
	const char *insert_defaults;
	/* What follows the ORM's upsert, INSERT INTO t (...) VALUES (...),
	 * to settle a conflict on the unique key `target` (SQL column names):
	 * set each of the `update` columns to the value the INSERT gave it,
	 * or, with update_count 0, keep the stored row and raise no error.
	 * rt__dialect_on_conflict is SQL's (SQLite, PostgreSQL: ON CONFLICT
	 * (...) DO UPDATE SET c = excluded.c / DO NOTHING); MariaDB's has no
	 * target (ON DUPLICATE KEY UPDATE). */
	void (*upsert_clause)(rt_buf *sql, const rt_dialect *d, const char *const *target,
			      int target_count, const char *const *update, int update_count);
	/* The words that make an autoincrementing integer column so, after
	 * its type and NOT NULL and in place of a default, where
	 * caps.autoincrement is RT_AUTOINCREMENT_CLAUSE (PostgreSQL:
	 * GENERATED BY DEFAULT AS IDENTITY; MariaDB would write
	 * AUTO_INCREMENT); NULL for RT_AUTOINCREMENT_ROWID. */
	const char *autoincrement_clause;
	/* The words of each table option (rt_table_option, in the order of
	 * rt__table_option_bit) after CREATE TABLE's closing parenthesis,
	 * commas between them (SQLite: STRICT, WITHOUT ROWID); NULL for an
	 * option the backend does not have, which the DDL refuses by name. A
	 * table whose options change is rebuilt (no ALTER TABLE changes one). */
	const char *table_option_sql[RT_TABLE_OPTION_COUNT];
	/* A table's default collation (`collate NAME` after its name,
	 * rt_table.collation). table_collation appends what gives a new
	 * table its collation after CREATE TABLE's closing parenthesis and
	 * its options (MariaDB: DEFAULT COLLATE=utf8mb3_general_ci, which
	 * sets the character set too); alter_table_collation pushes the
	 * statements that change an existing table's, with the columns that
	 * follow it (MariaDB: ALTER TABLE t DEFAULT COLLATE = x, MODIFY
	 * COLUMN ...). NULL (both) where the backend has no table collations
	 * (SQLite, PostgreSQL): the DDL refuses the table by name before
	 * anything is written (ddl_check.c). */
	/* A view's `security invoker` (its query runs with the reader's
	 * rights): the words CREATE [OR REPLACE] ... VIEW takes for it, before
	 * VIEW (MariaDB: "SQL SECURITY INVOKER") or after the view's name
	 * (PostgreSQL 15: "WITH (security_invoker = true)"). Both NULL where
	 * views have no such setting (SQLite): the DDL refuses such a view by
	 * name (sql/ddl_objects.c). */
	const char *view_invoker_before;
	const char *view_invoker_after;
	void (*table_collation)(rt_buf *buf, const rt_dialect *dialect, const char *collation);
	int (*alter_table_collation)(const rt_dialect *dialect,
				     const rt_table_collation_change *change,
				     rt_statement_sink push, void *ctx);
	/* Does a verbatim type (sql '...') hold text, and so take the
	 * table's collation like string and text do (MariaDB's TINYTEXT)?
	 * Such a column without a collation of its own is restated when the
	 * table's changes. NULL: no verbatim type takes one. */
	bool (*verbatim_takes_collation)(const char *sql);
	/* Declarative partitioning (rt_table.partition_by / partition_of), or
	 * NULL where the backend has none: the DDL then refuses a partitioned
	 * table and a partition by name (ddl_check.c) before anything is
	 * written. partition_of appends what makes a new table a partition,
	 * after its name (PostgreSQL: PARTITION OF "payment");
	 * partition_clause what follows the table's definition: a partition's
	 * bound (FOR VALUES FROM (...) TO (...), DEFAULT), then a partitioned
	 * table's key (PARTITION BY RANGE ("payment_date")), each after a
	 * space. */
	void (*partition_of)(rt_buf *buf, const rt_table *table);
	void (*partition_clause)(rt_buf *buf, const rt_table *table);
	/* The statement that detaches a partition from its partitioned table
	 * before it is dropped (PostgreSQL: ALTER TABLE "t" DETACH PARTITION
	 * "p"), or NULL: a partition is dropped as it is. PostgreSQL will not
	 * drop a partition of a table a foreign key references while it is
	 * attached; detached, it goes if no row references one of its rows. */
	void (*detach_partition)(rt_buf *buf, const rt_table *table);
	/* The ALTER TABLE clause that drops the primary key where the
	 * database does not know it by its name (MariaDB's is always PRIMARY:
	 * DROP PRIMARY KEY); NULL where DROP CONSTRAINT <name> does. */
	/* The statements, each handed to push, that change a column in place:
	 * its type (converting the rows), NULL-ness and server default, as
	 * change says, in an order that cannot fail on a default the old or
	 * new type cannot hold. NULL, with caps.alter_column_in_place false,
	 * for a dialect that rebuilds the table instead (SQLite): the caller
	 * tests the capability and never calls a NULL hook. A dialect that
	 * restates the column whole (restate_check not NULL) sets its comment
	 * (change->after's) in the same statement: no comment statement
	 * follows. */
	int (*alter_column)(const rt_dialect *dialect, const rt_column_change *change,
			    rt_statement_sink push, void *ctx);
	/* Appends the one statement that drops index `index` of table
	 * `table`. table is NULL when neither the script nor the schema before
	 * the operation says whose index it is: a dialect whose index names
	 * are per table (MariaDB: DROP INDEX i ON t) then returns RT_EINVAL
	 * naming the index; one whose index names are per schema (SQLite,
	 * PostgreSQL: DROP INDEX i) does not need it. */
	int (*drop_index)(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
			  const char *index);
	/* Appends the one statement that drops constraint `name` of table
	 * `table`: where caps.drop_constraint_in_place (a migration's drop
	 * constraint, and what a dropped column uses) and where
	 * caps.alter_add_constraint (the foreign keys closing a cycle, dropped
	 * before their tables). constraint is its definition, whose kind says
	 * how some backends spell the drop (MariaDB: DROP FOREIGN KEY, DROP
	 * INDEX, DROP CHECK, DROP PRIMARY KEY); NULL when neither the script
	 * nor the schema before the operation has it: a dialect that needs the
	 * kind then returns RT_EINVAL naming the constraint, one that does not
	 * (PostgreSQL: ALTER TABLE t DROP CONSTRAINT n) drops it by name. NULL
	 * for a dialect that can do neither (SQLite rebuilds the table): the
	 * caller tests the capabilities and never calls a NULL hook. */
	int (*drop_constraint)(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
			       const char *name, const rt_constraint *constraint);
	/* Appends the one statement, or nothing, that must run before index
	 * or key `name` of table (as the schema before the operation has it)
	 * is dropped, for a database that keeps a foreign key's lookup in an
	 * index of the table and refuses to drop the only one serving it
	 * (InnoDB uses a unique key or index beginning with the key's
	 * columns in place of its own): an index of the key's own, made so
	 * that the drop goes through and the key keeps working. NULL where
	 * dropping an index never concerns a foreign key. */
	int (*before_drop_index)(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
				 const char *name);
	/* Appends the one statement that sets the comment of table (column
	 * NULL) or of its column to text, or removes it (text NULL).
	 * column_sql is the column's definition as CREATE TABLE declares it
	 * (NULL for a table), for a dialect that restates a column to comment
	 * it (MariaDB: ALTER TABLE t MODIFY COLUMN <definition> COMMENT '...').
	 * NULL, with caps.comments false, for a dialect that keeps no
	 * comments (SQLite): the caller tests the capability and writes
	 * nothing, so the same migration runs there. */
	void (*comment)(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
			const char *column, const char *column_sql, const char *text);
	/* Run on the live connection before a statement restates column
	 * `column` (as the schema has it before the operation) of `table`
	 * whole (alter_column, comment on a column): refuses by name, before
	 * any statement, what the database keeps on the column that the
	 * restatement would silently reset and the schema cannot describe
	 * (MariaDB: a collation, ON UPDATE, a column check, a comment the
	 * schema lacks). NULL for a dialect that changes a column a part at a
	 * time (PostgreSQL) or rebuilds the table (SQLite). Not run offline:
	 * there is no database to read. */
	int (*restate_check)(const rt_dialect *dialect, rt_driver_conn *conn, const char *table,
			     const rt_column *column);
	/* The statements, each handed to push, that rename SQL object o (a
	 * kind the backend has, caps.sql_object_kinds) in place to renamed
	 * (o under its new name: rt__sql_object_rename, a materialized
	 * view's indexes named after it renamed with it), keeping all it
	 * holds (PostgreSQL: ALTER VIEW ... RENAME TO, ALTER FUNCTION f(args)
	 * RENAME TO, ALTER TRIGGER t ON table RENAME TO, ALTER INDEX for the
	 * indexes; MariaDB: RENAME TABLE for a view or a sequence): RT_OK. 1,
	 * pushing nothing, for a kind the backend cannot rename: the DDL
	 * (sql/ddl_objects.c) then drops it and makes it again under the new
	 * name where the kind holds no data, and refuses by name where it
	 * would lose some. NULL: no kind is renamed in place (SQLite). */
	int (*rename_sql_object)(const rt_dialect *dialect, const rt_sql_object *o,
				 const rt_sql_object *renamed, rt_statement_sink push, void *ctx);
	/* Enum types of the database's own (caps.enum_kind RT_ENUM_TYPE): append the
	 * one statement that creates type `name` of schema `schema` (NULL:
	 * the default one) with its values in order (PostgreSQL: CREATE
	 * TYPE ... AS ENUM), drops it, or adds value at the end of its
	 * values. NULL for the other kinds (SQLite's string with a CHECK,
	 * MariaDB's ENUM column): the caller tests the capability. */
	void (*create_enum)(rt_buf *buf, const rt_dialect *dialect, const char *schema,
			    const char *name, const char *const *values, size_t value_count);
	void (*drop_enum)(rt_buf *buf, const rt_dialect *dialect, const char *schema,
			  const char *name);
	void (*enum_add_value)(rt_buf *buf, const rt_dialect *dialect, const char *schema,
			       const char *name, const char *value);
	/* RT_ENUM_TYPE: the statements, each handed to push, that make enum
	 * type `type` hold exactly values when some of its values are gone
	 * (which no ALTER of the type can do): every column listed is
	 * converted to the new type through its text, so a row holding a
	 * removed value makes a statement fail and nothing is kept. Values
	 * keep their order. NULL for the other kinds. */
	int (*enum_replace)(const rt_dialect *dialect, const char *schema, const char *type,
			    const char *const *values, size_t value_count,
			    const rt_enum_use *columns, size_t column_count,
			    rt_statement_sink push, void *ctx);
	/* A statement deferring foreign-key checks to COMMIT for the rest of
	 * the transaction (SQLite: PRAGMA defer_foreign_keys = ON), written
	 * before dropping tables whose keys form a cycle; NULL for a dialect
	 * that drops such keys with ALTER TABLE first. */
	const char *defer_foreign_keys;
	/* A table rebuild renames its new table to the old name between these
	 * two statements, so that the rename neither rewrites other tables'
	 * references nor re-checks views that name the table (SQLite: PRAGMA
	 * legacy_alter_table = ON / OFF); NULL when not needed. */
	const char *rename_quietly_begin;
	const char *rename_quietly_end;
	/* Foreign-key enforcement switched off and on for a connection,
	 * outside any transaction (SQLite: PRAGMA foreign_keys = OFF / ON),
	 * and a query whose one value is non-zero while it is on; NULL for a
	 * dialect that always enforces keys. */
	const char *foreign_keys_off;
	const char *foreign_keys_on;
	const char *foreign_keys_enabled;
	/* Checks the rows of table (every table when NULL) against their
	 * foreign keys, for a dialect whose keys can be off or deferred: RT_OK,
	 * or RT_ECONSTRAINT naming the table, the key and the row. NULL when
	 * keys are always checked as rows change. */
	int (*check_foreign_keys)(const rt_dialect *dialect, rt_driver_conn *conn,
				  const char *table);
	/* For a dialect that rebuilds tables: fills out (allocated in arena)
	 * with what a rebuild must keep of request->table beyond its model
	 * (table options, collations, declared types, columns and
	 * constraints, indexes of every kind, triggers), reading the database
	 * as it stands. What it cannot keep
	 * (a view, trigger or index using a column the rebuild drops) is an
	 * RT_EINVAL naming each such object, before anything is run. NULL:
	 * the model says everything. */
	int (*rebuild_carry)(rt_rebuild_carry *out, rt_arena *arena, const rt_dialect *dialect,
			     rt_driver_conn *conn, const rt_rebuild_request *request);
	/* Checks a rebuilt table's rows and indexes: RT_OK or RT_EDATABASE
	 * with what is wrong. NULL: nothing to check. */
	int (*check_integrity)(const rt_dialect *dialect, rt_driver_conn *conn,
			       const char *table);

	/* --- reflection -------------------------------------------------------- */
	/* Reads the connected database into a new schema; what it holds and
	 * the schema cannot model (views, triggers, ...) goes into the
	 * schema's objects, with the statements that make and drop each. One
	 * catalog query per kind of object, whatever the number of tables. */
	int (*reflect)(rt_schema **out, const rt_dialect *dialect, rt_driver_conn *conn);
	/* Chooses the schemas (namespaces, caps.schemas) the connection's
	 * next reflections read: names, count of them (none: the default
	 * schema alone). Tables outside the default schema are read with
	 * their schema (rt_table.schema), and the schema's namespaces list
	 * those of the names that exist. NULL where the backend has no
	 * schemas. */
	int (*read_schemas)(const rt_dialect *dialect, rt_driver_conn *conn,
			    const char *const *names, size_t count);
	/* Sets the `rendered` text of each of the schema's SQL objects (the
	 * models, about to be compared with a reflection) to what reflection
	 * would read of it once made, where the backend rewrites what it is
	 * given (PostgreSQL renders a view's query anew): each is made, in
	 * the schema's order, where nothing it does is kept (a transaction
	 * rolled back, or a scratch name dropped at once), and read back. One
	 * the database refuses keeps no rendering (its SQL is compared as
	 * written; the migration then meets the refusal). NULL where the
	 * backend keeps the text as given (SQLite): the texts compare with
	 * whitespace aside. Runs on an idle connection (no transaction). */
	int (*render_sql_objects)(const rt_dialect *dialect, rt_driver_conn *conn,
				  rt_schema *schema);
	/* Rewrites a schema in place into what this dialect can store and read
	 * back, so that reflect(create_all(s)) equals canonicalize(s) under
	 * RT_COMPARE_DATABASE. SQLite, for example, keeps no difference between
	 * timestamp and timestamptz, and a single integer primary key is always
	 * its 64-bit rowid. Used by round-trip tests and by autogenerate, so
	 * that what a backend cannot tell apart is never reported as drift. */
	void (*canonicalize)(rt_schema *schema);
	/* Would column a of table ta and column b of table tb, of different
	 * types in the schema language, be declared alike? Where a table
	 * option narrows the types a table can declare (SQLite's STRICT:
	 * INTEGER, REAL, TEXT, BLOB or ANY), a type change across it is no
	 * change at all, and changing the option alone rebuilds the table
	 * with the model's types. NULL: never. */
	bool (*same_declared_type)(const rt_table *ta, const rt_column *a, const rt_table *tb,
				   const rt_column *b);

	/* --- migrations (migrate/version.c, migrate/lock.c) --------------------- */
	/* A query with one parameter, a table name, that returns a row when
	 * that table exists where unqualified names are created. */
	const char *table_exists_query;
	/* The same for a table in a given schema: the schema, then the table
	 * (`?`, `?`); NULL where the backend has no schemas (caps.schemas). */
	const char *table_in_schema_exists_query;
	/* RT_LOCK_DATABASE_WRITE: begins a transaction holding the write lock
	 * from its start (SQLite: BEGIN IMMEDIATE); NULL = plain BEGIN. */
	const char *begin_write;
	/* How long a statement on conn waits for a lock another connection
	 * holds before it fails with RT_ELOCKED (SQLite: its busy timeout);
	 * ms < 0 puts back the connection's own setting. The migration lock
	 * sets it so that its own timeout is the one that counts. NULL: the
	 * dialect's statements do not wait. */
	void (*set_lock_wait)(rt_driver_conn *conn, int ms);
	/* RT_LOCK_ADVISORY: queries on an advisory lock whose key is one int64
	 * parameter: take it if free, held until the transaction ends (one
	 * row, true when taken), and describe who holds it (one row of text,
	 * or no row). The lock belongs to the transaction, not the session,
	 * so that it holds through a pooler that hands each transaction to
	 * another server connection, and nothing is left to release. */
	const char *advisory_xact_try_lock;
	const char *advisory_holder;
	/* RT_LOCK_NAMED: queries on a lock of the server named by one text
	 * parameter (the version table's name; the query makes it the
	 * server's lock name), held by the connection's session across its
	 * transactions until released or the session ends, so that a run
	 * killed mid-way leaves no lock behind: take it if free (one row,
	 * true when taken), describe who holds it (one row of text, or no
	 * row), release it. */
	const char *named_lock_take;
	const char *named_lock_holder;
	const char *named_lock_release;
	/* The lock method of a migration run on conn, for a dialect where it
	 * depends on the server (MariaDB: GET_LOCK on a single server, the
	 * lease row on a Galera node, where GET_LOCK is node-local). NULL:
	 * caps.lock_method everywhere. */
	int (*lock_method_for)(rt_lock_method *out, const rt_dialect *dialect,
			       rt_driver_conn *conn);
	/* The pool's pre-ping: one round trip that fails (any negative code)
	 * when the server is gone or has closed the connection, on an idle
	 * connection (no transaction open, nothing in flight). NULL: a
	 * connection of this backend cannot be lost while idle (SQLite). */
	int (*ping)(rt_driver_conn *conn);

	/* --- row locks (orm/query_lock.c) --------------------------------------- */
	/* Appends what locks the rows a SELECT returns, after its LIMIT:
	 * exclusively, or shared (share); failing at once on a locked row
	 * (nowait) or leaving such rows out (skip_locked). `alias` is the
	 * alias of the query's own table, the one table whose rows are
	 * locked where the backend can say so. NULL: the backend has no row
	 * locks (SQLite), and a locking query's transaction begins with
	 * begin_write instead. */
	void (*row_lock_clause)(rt_buf *sql, const char *alias, bool share, bool nowait,
				bool skip_locked);
};

extern const rt_dialect rt__dialect_sqlite;
extern const rt_dialect rt__dialect_postgres;
extern const rt_dialect rt__dialect_mariadb;

/* The dialect of a URL scheme or backend name, NULL for one this build
 * does not have (dialect/registry.h: the backends, and which are built). */
const rt_dialect *rt__dialect_find(const char *scheme);

/* SQL's upsert clause, the upsert_clause of the dialects that have it
 * (dialect_upsert.c). */
void rt__dialect_on_conflict(rt_buf *sql, const rt_dialect *d, const char *const *target,
			     int target_count, const char *const *update, int update_count);

#endif
