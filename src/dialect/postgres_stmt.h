/*
 * postgres_stmt.h - a PostgreSQL statement's record, shared by the files
 * that run statements: postgres_stmt.c (prepare, bind, run, fetch) and
 * postgres_batch.c (pipelined batches). Nothing outside the PostgreSQL
 * backend sees it: the engine holds an rt_driver_stmt pointer only.
 */
#ifndef RT_DIALECT_POSTGRES_STMT_H
#define RT_DIALECT_POSTGRES_STMT_H

#include <stdbool.h>
#include <stdint.h>

#include "dialect/postgres.h"

/* Type OIDs, fixed in PostgreSQL's catalog (pg_type.dat). */
enum {
	PG_OID_BOOL = 16,
	PG_OID_BYTEA = 17,
	PG_OID_INT8 = 20,
	PG_OID_INT2 = 21,
	PG_OID_INT4 = 23,
	PG_OID_FLOAT4 = 700,
	PG_OID_FLOAT8 = 701
};

/* One parameter's value as libpq takes it. The bytes are copied at bind
 * time because the statement only runs at its first step. */
typedef struct pg_param {
	char *data;
	size_t cap;
	bool is_null;
} pg_param;

/* Where a statement's run stands. */
typedef enum run_state {
	RUN_NONE = 0,   /* not run since the last reset */
	RUN_RESULT,     /* the whole result is in `result` */
	RUN_STREAM,     /* streamed: rows still to read from the server */
	RUN_STREAM_DONE /* streamed and read to the end */
} run_state;

struct rt_driver_stmt {
	rt_driver_conn *conn;
	char *sql;              /* with $n placeholders */
	int param_count;
	pg_param *params;
	/* The arrays libpq reads, kept in step with params by bind. */
	const char **values;
	int *lengths;
	int *formats;
	Oid *types;

	/* Named server-side statement (prepare_cached). */
	bool named;
	bool prepared;          /* the server has it */
	char name[32];
	Oid *server_types;      /* its parameter types, as the server inferred them */

	bool streaming;         /* the next run fetches rows one at a time */
	bool implicit;          /* the streamed run is in no transaction */
	bool locked;            /* its run has the shared connection to itself */
	run_state state;
	PGresult *result;       /* the whole result, or the current streamed row */
	int row;                /* current row; -1 before the first */
	int row_count;
	uint64_t changes;       /* rows the last completed run changed */
	/* bytea values of the current row, decoded on demand. */
	unsigned char **blobs;
	size_t *blob_lengths;
	int blob_slots;
};

/* Between postgres_stmt.c and postgres_batch.c. */
/* Rows a command changed (INSERT/UPDATE/DELETE), from its result. */
uint64_t rt__pg_stmt_command_tuples(PGresult *res);
/* Makes res the statement's current result (its rows readable). */
int rt__pg_stmt_adopt_result(rt_driver_stmt *stmt, PGresult *res);
/* Frees the bytea values decoded for the current row. */
void rt__pg_stmt_free_blobs(rt_driver_stmt *stmt);
/* Ends any run in progress and drops its result. */
void rt__pg_stmt_clear_result(rt_driver_stmt *stmt);
/* A named statement: prepared on the server (once). */
int rt__pg_stmt_ensure_prepared(rt_driver_stmt *stmt);
/* Sends one run with the bound values (PQsendQueryParams/Prepared). */
int rt__pg_stmt_send_run(rt_driver_stmt *stmt);

#endif
