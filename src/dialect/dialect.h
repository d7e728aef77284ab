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

#include "base/buf.h"
#include "retort/common.h"
#include "schema/metadata.h"

/* Where a migration run takes its lock. */
typedef enum rt_lock_method {
	RT_LOCK_DATABASE_WRITE, /* the database's own write lock (SQLite BEGIN IMMEDIATE) */
	RT_LOCK_ADVISORY,       /* session advisory lock (PostgreSQL) */
	RT_LOCK_LEASE_TABLE     /* a row in a lease table, for engines without advisory locks */
} rt_lock_method;

typedef struct rt_dialect_caps {
	bool transactional_ddl;       /* DDL can be rolled back */
	int ddl_per_transaction;      /* DDL statements allowed per transaction; 0 = any */
	rt_lock_method lock_method;
	bool returning;               /* INSERT ... RETURNING */
	bool native_enums;            /* CREATE TYPE ... AS ENUM */
	bool alter_add_constraint;    /* ALTER TABLE ADD CONSTRAINT (else: inline only) */
	bool comments;                /* COMMENT ON */
	int max_identifier_length;    /* bytes; 0 = no limit */
} rt_dialect_caps;

/* Connection parameters, parsed from a URL by engine/url.c. Fields not in
 * the URL are NULL (or 0 for port). */
typedef struct rt_connect_params {
	const char *scheme;   /* "sqlite" or "postgresql" (driver suffix dropped) */
	const char *path;     /* sqlite: file path; NULL or "" = in memory */
	const char *host;     /* postgresql */
	int port;
	const char *user;
	const char *password;
	const char *database;
	const char **option_keys;   /* query string: ?sslmode=require&... */
	const char **option_values;
	size_t option_count;
	const char *masked_url;     /* for messages: password replaced by *** */
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
} rt_value;

typedef struct rt_driver_conn rt_driver_conn;
typedef struct rt_driver_stmt rt_driver_stmt;
typedef struct rt_dialect rt_dialect;

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
	const char *(*column_name)(rt_driver_stmt *stmt, int column);
	/* Fills *out for the current row (0-based column). */
	int (*column_value)(rt_driver_stmt *stmt, int column, rt_value *out);

	/* --- SQL rendering --------------------------------------------------- */
	/* Appends ident quoted for this dialect ("users", "a""b"). */
	void (*quote_ident)(rt_buf *buf, const char *ident);
	/* Appends the SQL type of a column (e.g. VARCHAR(50), INTEGER,
	 * BIGINT); the DDL module adds NULL-ness, defaults and constraints. */
	void (*column_type)(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			    const rt_column *column);

	/* --- reflection -------------------------------------------------------- */
	/* Reads the connected database into a new schema. */
	int (*reflect)(rt_schema **out, const rt_dialect *dialect, rt_driver_conn *conn);
	/* Rewrites a schema in place into what this dialect can store and read
	 * back, so that reflect(create_all(s)) equals canonicalize(s) under
	 * RT_COMPARE_DATABASE. SQLite, for example, keeps no difference between
	 * timestamp and timestamptz, and a single integer primary key is always
	 * its 64-bit rowid. Used by round-trip tests and by autogenerate, so
	 * that what a backend cannot tell apart is never reported as drift. */
	void (*canonicalize)(rt_schema *schema);
};

extern const rt_dialect rt__dialect_sqlite;
extern const rt_dialect rt__dialect_postgres;

/* The dialect for a URL scheme ("sqlite", "postgresql", "postgres"), or NULL. */
const rt_dialect *rt__dialect_find(const char *scheme);

#endif
