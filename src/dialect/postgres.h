/*
 * postgres.h - what the parts of the PostgreSQL dialect share:
 * postgres.c (connections, errors, SQL rendering, the dialect table),
 * postgres_stmt.c (statements: prepared, streamed, pipelined),
 * postgres_ddl.c (the DDL hooks: columns altered, indexes dropped,
 * comments, enum types replaced) and
 * postgres_reflect.c (reading the catalog back into the metadata model).
 */
#ifndef RT_DIALECT_POSTGRES_H
#define RT_DIALECT_POSTGRES_H

#include <locale.h>

#include <libpq-fe.h>

#include "base/buf.h"
#include "dialect/dialect.h"

struct rt_driver_conn {
	PGconn *pg;
	/* Numbers cross the wire as text; they are written and read in the
	 * "C" locale whatever LC_NUMERIC the program chose. */
	locale_t c_numeric;
	/* Names rt_1, rt_2, ... of the connection's prepared statements. */
	uint64_t statement_counter;
	/* The statement whose streamed rows are still to be read: until they
	 * are, nothing else can run on the connection. */
	rt_driver_stmt *fetching;
	/* DEALLOCATE commands for finalized prepared statements, sent before
	 * the next statement. */
	rt_buf stale;
	/* A wait that failed in the middle of a conversation (cancelled, or
	 * the descriptor went bad): every later call fails with it, and the
	 * connection is reported broken (postgres_io.c). */
	int io_rc;
	/* Transaction control nobody waits for (postgres_io.c): a BEGIN not
	 * sent yet, which goes out with the next statement, in one pipeline;
	 * a ROLLBACK sent in pipeline mode whose result is unread, read with
	 * the next statement's. */
	bool begin_pending;
	bool rollback_sent;
	/* A ROLLBACK not sent yet, for the caller the pool handed the
	 * connection to: it goes first in the next statement's pipeline. */
	bool rollback_held;
	/* Autocommit (rt_connect_params): the statements of several users
	 * (fibers of one thread) share the connection's pipeline
	 * (postgres_pipe.c). turns: what was sent and whose results are
	 * unread, in order; lock_owner: who has the connection to itself (a
	 * streamed query, a batch, SQL text), NULL when nobody; gate: who
	 * waits to send or to take the lock. */
	bool pipelined;
	struct pg_turn *turns, *turns_last;
	void *lock_owner;
	struct pg_gate *gate;
	/* The socket is corked until the scheduler's turn ends, so that the
	 * statements the turn's fibers send leave in one packet
	 * (postgres_pipe.c); cork_refused: it is not TCP. */
	bool corked, cork_refused;
	/* Catalog queries sent ahead in one pipeline (postgres_catalog.c):
	 * their texts, in the order their results come, and the first whose
	 * results are unread. NULL when nothing was sent ahead. */
	const char *const *ahead;
	int ahead_count, ahead_next;
	/* Queries sent ahead whose results were dropped unread, over the
	 * connection's life: the server ran them for nothing (a reading that
	 * stopped early, or one whose order differs from what it sent; the
	 * tests hold the whole schema reading to none). */
	long ahead_dropped;
};

/* --- postgres_io.c: talking to the server without blocking in libpq ------------ */

/* PQconnectStartParams and its polling, waiting in rt__wait_fd; the
 * connection is left in non-blocking mode. RT_OK; RT_ECONNECT with *why
 * (or PQerrorMessage(*out) when *why is NULL) saying why; RT_ENOMEM; or
 * the failed wait's own recorded error. *out must be PQfinish'ed. */
int rt__pg_io_connect(PGconn **out, const char *const *keys, const char *const *values,
		      const char **why);
/* Sends what libpq holds: RT_OK or an error recorded. */
int rt__pg_io_flush(rt_driver_conn *conn);
/* PQgetResult that waits in rt__wait_fd; NULL at the end of a command's
 * results or when the conversation failed (conn->io_rc, PQstatus). */
PGresult *rt__pg_io_result(rt_driver_conn *conn);
/* PQexec, PQexecPrepared and PQexecParams (text results) made of the
 * above: the first error result, else the last; NULL when none came. */
PGresult *rt__pg_io_exec(rt_driver_conn *conn, const char *sql);
PGresult *rt__pg_io_exec_prepared(rt_driver_conn *conn, const char *name, int count,
				  const char *const *values, const int *lengths, const int *formats);
PGresult *rt__pg_io_exec_params(rt_driver_conn *conn, const char *sql, int count, const Oid *types,
				const char *const *values, const int *lengths, const int *formats);
/* Reads and drops the rows of a COPY ... TO STDOUT until it ends. */
void rt__pg_io_skip_copy_out(rt_driver_conn *conn);

/* Transaction control without waiting (the dialect's begin and
 * rollback_unwaited hooks). rt__pg_io_exec, _exec_prepared and
 * _exec_params carry what is pending with their statement: the unread
 * ROLLBACK's result is read first, a pending BEGIN is sent in the same
 * pipeline (or, for exec's SQL text, in the same query string) and its
 * error is the statement's. Every other conversation settles first:
 * rt__pg_io_settle reads the ROLLBACK's result and sends the BEGIN alone.
 * A failed ROLLBACK is RT_ECONNECT and breaks the connection (io_rc). */
int rt__pg_io_begin(rt_driver_conn *conn);
int rt__pg_io_rollback_unwaited(rt_driver_conn *conn, bool handed_on);
int rt__pg_io_settle(rt_driver_conn *conn);

/* --- postgres_pipe.c: statements of several users on one connection ---------- */

/* Queues the caller's requests (send: PQsend* calls, no sync) in the
 * connection's pipeline with a sync of their own, and waits for their
 * results, which go to take(ctx, index of the request, result) in order
 * (take owns each result). The caller's results only: an error of its
 * statement is its own, the others' statements are not affected. RT_OK,
 * RT_ECANCELED (the connection stays usable), or RT_ECONNECT (lost:
 * every user of the connection fails). */
typedef int (*rt_pg_send_fn)(rt_driver_conn *conn, void *ctx);
typedef void (*rt_pg_take_fn)(void *ctx, int index, PGresult *res);
int rt__pg_pipe_run(rt_driver_conn *conn, rt_pg_send_fn send, rt_pg_take_fn take, void *ctx);
/* Whether the caller's statements go through rt__pg_pipe_run: the
 * connection is shared and the caller does not have it to itself. */
bool rt__pg_pipe_shared(const rt_driver_conn *conn);
/* Takes the connection to itself (waiting until what others sent has
 * been read, and out of pipeline mode), for the conversations that need
 * it alone; unlock gives it back. Nothing on an unshared connection, and
 * nothing for a caller that has it already (*taken false). */
int rt__pg_pipe_lock(rt_driver_conn *conn, bool *taken);
void rt__pg_pipe_unlock(rt_driver_conn *conn, bool taken);
/* Results still owed to users that went away (read by the next user);
 * freed by pg_disconnect. */
bool rt__pg_pipe_idle(const rt_driver_conn *conn);
void rt__pg_pipe_free(rt_driver_conn *conn);

/* --- postgres.c -------------------------------------------------------------- */

/* Record the error of a lost connection / of a failed result (SQLSTATE,
 * violated constraint, message with detail); return its code. */
int rt__pg_connection_error(rt_driver_conn *conn);
/* Asks the server to stop the statement running on conn (libpq's cancel
 * request; inside an operation, on the engine's workers). */
void rt__pg_cancel_request(rt_driver_conn *conn);
int rt__pg_result_error(rt_driver_conn *conn, const PGresult *res);
/* RT_OK for a successful command or query result, else its error. */
int rt__pg_check_result(rt_driver_conn *conn, const PGresult *res);

/* --- postgres_stmt.c: the dialect's statement hooks ---------------------------- */

int rt__pg_prepare(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql);
int rt__pg_prepare_cached(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql);
int rt__pg_bind(rt_driver_stmt *stmt, int index, const rt_value *value);
int rt__pg_step(rt_driver_stmt *stmt);
int rt__pg_reset(rt_driver_stmt *stmt);
void rt__pg_finalize(rt_driver_stmt *stmt);
int rt__pg_column_count(rt_driver_stmt *stmt);
int rt__pg_param_count(rt_driver_stmt *stmt);
const char *rt__pg_column_name(rt_driver_stmt *stmt, int column);
int rt__pg_column_value(rt_driver_stmt *stmt, int column, rt_value *out);
uint64_t rt__pg_changes(rt_driver_stmt *stmt);
int rt__pg_set_streaming(rt_driver_stmt *stmt, bool on);
/* A run whose whole result is held (not streamed): its number of rows
 * (-1 for any other), and making row the current one, to be read again
 * in any order (postgres_catalog.c sorts them so). */
int rt__pg_result_rows(const rt_driver_stmt *stmt);
int64_t rt__pg_rows_held(rt_driver_stmt *stmt);
int rt__pg_result_seek(rt_driver_stmt *stmt, int row);
int rt__pg_run_batch(rt_driver_stmt *stmt, const rt_driver_batch *batch, uint64_t *affected);
/* RT_OK when the connection can run a statement (stmt, or any when NULL):
 * fails while another statement's streamed rows are unread; sends the
 * queued DEALLOCATEs. Unless carry (the caller sends the statement
 * through rt__pg_io_exec*, which carries them), settles the pending
 * transaction control first (rt__pg_io_settle). */
int rt__pg_conn_ready(rt_driver_conn *conn, const rt_driver_stmt *stmt, bool carry);

/* --- postgres_catalog.c: running reflection's catalog queries ------------------- */

/* One query's rows; row points at the current row's columns values. */
typedef struct rt_pg_query {
	const rt_dialect *dialect;
	int columns;
	const rt_value *row;
	rt_driver_stmt *stmt;
	rt_value *own;             /* where the current row is read */
	bool in_order;             /* sorted here: */
	struct sort_item *sorted;  /* the rows' numbers, in order */
	size_t row_count, next;
} rt_pg_query;

/* Opens sql's rows, of columns values each (read into arena). */
int rt__pg_query_open(rt_pg_query *q, const rt_dialect *dialect, rt_driver_conn *conn,
		      rt_arena *arena, const char *sql, int columns);
/* The same, its rows sorted by the columns keys lists (at most
 * RT_PG_SORT_KEYS), text byte-wise (as COLLATE "C"), numbers by value,
 * NULLs last: the order of an ORDER BY on those columns, without the
 * server's sort. */
#define RT_PG_SORT_KEYS 3
int rt__pg_query_open_sorted(rt_pg_query *q, const rt_dialect *dialect, rt_driver_conn *conn,
			     rt_arena *arena, const char *sql, int columns, const int *keys,
			     int key_count);
int rt__pg_query_next(rt_pg_query *q); /* RT_ROW, RT_DONE or an error */
void rt__pg_query_close(rt_pg_query *q); /* also after a failed open */

/* SQL: the index x (its pg_class row i) is one the schema language can
 * declare: of a method it has a word for (btree, hash, gist, gin, brin,
 * spgist), each key in its type's default operator class and with NULLs
 * where its order puts them by default (indoption 0: ascending, NULLs
 * last; 3: DESC, NULLs first). An index with NULLS FIRST on an ascending
 * key, or an operator class such as text_pattern_ops, is one of the
 * database's objects (postgres_reflect_objects.c) and not a model's
 * index: read as a model's, it would be made again without them. (The
 * default classes and the methods are listed once per query, not looked
 * up per index: 20,000 indexes at 10,000 tables.) */
#define RT_PG_MODELABLE_INDEX(x, i)                                                  \
	" (" x ".indclass::oid[] <@"                                                    \
	" (SELECT array_agg(oc.oid) FROM pg_opclass oc WHERE oc.opcdefault)"          \
	" AND NOT (" x ".indoption::int2[] && '{1,2}'::int2[])"                        \
	" AND " i ".relam IN (SELECT m.oid FROM pg_am m WHERE m.amname IN"              \
	" ('btree', 'hash', 'gist', 'gin', 'brin', 'spgist')))"

/* The schemas (namespaces) reflection reads: those of the session setting
 * retort.schemas, a comma-separated list the reflect hook sets from its
 * caller's list (retort.ini's schemas), public when it is not set. nsp is
 * the SQL of a schema's name (n.nspname). */
#define RT_PG_IN_SCHEMAS(nsp)                                                        \
	" " nsp " = ANY (string_to_array(COALESCE(NULLIF("                                \
	"current_setting('retort.schemas', true), ''), 'public'), ','))"
/* A table's name as rt_table.name has it: its own in public, else
 * "<schema>.<name>". */
#define RT_PG_TABLE_NAME(nsp, rel)                                                   \
	" CASE WHEN " nsp " = 'public' THEN " rel " ELSE " nsp " || '.' || " rel " END"

/* An object of schema nsp named rel as DROP names it: "billing"."ix"
 * outside public, NULL (its name alone) in public. */
#define RT_PG_QUALIFIED(nsp, rel)                                                    \
	" CASE WHEN " nsp " <> 'public' THEN quote_ident(" nsp ") || '.' || "            \
	"quote_ident(" rel ") END"

/* A view's query as the schema language keeps it: pg_get_viewdef without
 * the blanks around it and its final ';', the same in reflection and in
 * the rendering of the models' views (postgres_render.c). */
#define RT_PG_VIEW_QUERY(oid) "rtrim(btrim(pg_get_viewdef(" oid "), E' \\n'), ';')"

/* A domain's, a sequence's and an aggregate's whole CREATE statement as
 * the schema language keeps it, from the catalog (PostgreSQL writes none
 * of them out): the same in reflection and in the rendering of the
 * models' ones (postgres_render.c). t: the domain's pg_type row; c, s:
 * the sequence's pg_class and pg_sequence rows (its definition, never its
 * value); p, a: the aggregate's pg_proc and pg_aggregate rows (a plain
 * aggregate: aggkind 'n' without a moving-aggregate state, which stays
 * one of the database's objects). A domain's NOT NULL is its
 * typnotnull, its constraints its CHECKs by name. */
/* "billing". before the name of an object of schema billing (ns: the
 * oid of its namespace), nothing in public. */
#define RT_PG_QUALIFIER(ns)                                                            \
	" CASE WHEN " ns " <> 'public'::regnamespace THEN " ns "::regnamespace::text || '.'" \
	" ELSE '' END"
#define RT_PG_DOMAIN_SQL(t)                                                            \
	"'CREATE DOMAIN ' ||" RT_PG_QUALIFIER(t ".typnamespace")                        \
	" || quote_ident(" t ".typname) || ' AS '"                                       \
	" || format_type(" t ".typbasetype, " t ".typtypmod)"                         \
	" || COALESCE(' COLLATE ' || (SELECT quote_ident(o.collname) FROM pg_collation o" \
	"    WHERE o.oid = " t ".typcollation AND " t ".typcollation <> (SELECT"        \
	"    b.typcollation FROM pg_type b WHERE b.oid = " t ".typbasetype)), '')"     \
	" || COALESCE(' DEFAULT ' || " t ".typdefault, '')"                            \
	" || CASE WHEN " t ".typnotnull THEN ' NOT NULL' ELSE '' END"                  \
	" || COALESCE((SELECT string_agg(' CONSTRAINT ' || quote_ident(k.conname) || ' '" \
	"    || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)"                    \
	"    FROM pg_constraint k WHERE k.contypid = " t ".oid AND k.contype = 'c'), '')"
#define RT_PG_SEQUENCE_SQL(c, s)                                                       \
	"'CREATE SEQUENCE ' ||" RT_PG_QUALIFIER(c ".relnamespace")                      \
	" || quote_ident(" c ".relname) || ' AS '"                                       \
	" || format_type(" s ".seqtypid, NULL) || ' INCREMENT BY ' || " s ".seqincrement" \
	" || ' MINVALUE ' || " s ".seqmin || ' MAXVALUE ' || " s ".seqmax"             \
	" || ' START WITH ' || " s ".seqstart || ' CACHE ' || " s ".seqcache"          \
	" || CASE WHEN " s ".seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END"
#define RT_PG_AGGREGATE_SQL(p, a)                                                      \
	"CASE WHEN " a ".aggkind = 'n' AND " a ".aggmtransfn = 0 THEN"                 \
	" 'CREATE AGGREGATE ' ||" RT_PG_QUALIFIER(p ".pronamespace")                   \
	" || quote_ident(" p ".proname) || '('"                                          \
	" || pg_get_function_identity_arguments(" p ".oid) || ') (SFUNC = '"           \
	" || " a ".aggtransfn::regproc::text || ', STYPE = '"                           \
	" || format_type(" a ".aggtranstype, NULL)"                                    \
	" || CASE WHEN " a ".aggtransspace <> 0 THEN ', SSPACE = ' || " a ".aggtransspace" \
	"  ELSE '' END"                                                                \
	" || CASE WHEN " a ".aggfinalfn <> 0 THEN ', FINALFUNC = '"                     \
	"  || " a ".aggfinalfn::regproc::text ELSE '' END"                              \
	" || CASE WHEN " a ".aggfinalextra THEN ', FINALFUNC_EXTRA' ELSE '' END"        \
	" || CASE " a ".aggfinalmodify WHEN 's' THEN ', FINALFUNC_MODIFY = SHAREABLE'"  \
	"  WHEN 'w' THEN ', FINALFUNC_MODIFY = READ_WRITE' ELSE '' END"                \
	" || CASE WHEN " a ".aggcombinefn <> 0 THEN ', COMBINEFUNC = '"                 \
	"  || " a ".aggcombinefn::regproc::text ELSE '' END"                            \
	" || CASE WHEN " a ".aggserialfn <> 0 THEN ', SERIALFUNC = '"                   \
	"  || " a ".aggserialfn::regproc::text ELSE '' END"                             \
	" || CASE WHEN " a ".aggdeserialfn <> 0 THEN ', DESERIALFUNC = '"               \
	"  || " a ".aggdeserialfn::regproc::text ELSE '' END"                           \
	" || COALESCE(', INITCOND = ' || quote_literal(" a ".agginitval), '')"          \
	" || CASE WHEN " a ".aggsortop <> 0 THEN ', SORTOP = '"                         \
	"  || " a ".aggsortop::regoper::text ELSE '' END"                               \
	" || CASE " p ".proparallel WHEN 's' THEN ', PARALLEL = SAFE'"                  \
	"  WHEN 'r' THEN ', PARALLEL = RESTRICTED' ELSE '' END || ')' END"
/* A routine's arguments' types as the language writes them, "(integer,
 * text)": what tells overloads apart. */
#define RT_PG_ROUTINE_ARGS(p)                                                          \
	"'(' || COALESCE((SELECT string_agg(format_type(a.t, NULL), ', ' ORDER BY a.n)"  \
	" FROM unnest(" p ".proargtypes::oid[]) WITH ORDINALITY AS a(t, n)), '') || ')'"

/* The queries of the reading after the tables' own (postgres_reflect.c),
 * in the order they run: what the language has no words for
 * (postgres_reflect_settle.c), then the other objects
 * (postgres_reflect_objects.c). */
extern const char rt__pg_left_out_sql[];
extern const char *const rt__pg_object_queries[];
extern const int rt__pg_object_query_count;
#define RT_PG_OBJECT_QUERIES_MAX 16

/* How a reading of the catalog runs (postgres_catalog.c says why): in a
 * read-only transaction of its own, in a savepoint of the caller's, or as
 * the connection is (pipelined, in a failed transaction, ...). */
typedef enum rt_pg_reading {
	RT_PG_READING_AS_IS,
	RT_PG_READING_OWN,
	RT_PG_READING_SAVEPOINT,
} rt_pg_reading;
/* Begins a reading whose queries are sqls[0..count) in that order (NULL,
 * 0: not known); they are sent ahead in one pipeline when the reading
 * has a transaction of its own or a savepoint. */
int rt__pg_reading_begin(const rt_dialect *dialect, rt_driver_conn *conn, rt_pg_reading *how,
			 const char *const *sqls, int count);
/* The result of sql when it is the next query sent ahead: 1 with *out
 * (an error result included); 0 when nothing was sent ahead or sql (NULL:
 * any other statement) is not next (what was sent ahead is then read and
 * dropped, and the statement runs as ever); or an error of the
 * connection. */
int rt__pg_ahead_take(rt_driver_conn *conn, const char *sql, PGresult **out);
/* Ends it, the caller's error (if any) kept. */
void rt__pg_reading_end(const rt_dialect *dialect, rt_driver_conn *conn, rt_pg_reading how);

/* Column defaults (postgres_defaults.c): trims spaces and redundant outer
 * parentheses ("((1 + 2))" -> "1 + 2"); and sets column's server default
 * from pg_get_expr text. */
void rt__pg_unwrap(const char **s, size_t *len);
int rt__pg_parse_default(rt_schema *schema, rt_column *column, const char *expr);

/* The dialect's reflect hook: reads schema `public` of the connected
 * database, through the dialect's own driver functions. */
int rt__postgres_reflect(rt_schema **out, const rt_dialect *dialect, rt_driver_conn *conn);
int rt__postgres_read_schemas(const rt_dialect *dialect, rt_driver_conn *conn,
			      const char *const *names, size_t count);
/* Appends to schema's objects what the tables' reflection does not take
 * in: views, triggers, sequences, functions, types, other indexes
 * (postgres_reflect_objects.c). */
/* The dialect's render_sql_objects (postgres_render.c). */
int rt__postgres_render_sql_objects(const rt_dialect *d, rt_driver_conn *conn, rt_schema *schema);
int rt__postgres_reflect_objects(rt_schema *schema, const rt_dialect *dialect,
				 rt_driver_conn *conn);

/* After the catalog is read (postgres_reflect_settle.c): autoincrement
 * only where the language has it, and the not_kept lines for what
 * reflection leaves out. */
int rt__pg_reflect_settle(rt_schema *schema, const rt_dialect *dialect, rt_driver_conn *conn);

/* Enum types (postgres_reflect_enums.c): those of every schema read,
 * public's first, by the first query of a reading (rt__pg_enums_sql); and
 * the enum of a column's type as COLUMNS_SQL names it ("status" of
 * public, "billing.status"), or NULL: not one the reading made. */
extern const char rt__pg_enums_sql[];
int rt__pg_reflect_enums(rt_schema *schema, const rt_dialect *dialect, rt_driver_conn *conn);
rt_enum *rt__pg_enum_of_type(const rt_schema *schema, const char *qualified);

/* Declarative partitioning (postgres_reflect_part.c): each partitioned
 * table's PARTITION BY, each partition's table and bound, and what a
 * partition has of its own the language cannot say, named as not kept.
 * Its two queries run after the settling's (rt__pg_left_out_sql). */
extern const char rt__pg_partitions_sql[];
extern const char rt__pg_partition_columns_sql[];
int rt__pg_reflect_partitions(rt_schema *schema, const rt_dialect *dialect,
			      rt_driver_conn *conn);

/* Types as PostgreSQL spells them (postgres_types.c). rt__pg_type_read
 * makes the schema type for format_type() text: one of the language's
 * words where it says exactly that type, else the verbatim type pointing at
 * spelling (which must outlive it). rt__pg_type_spelling brings a user's
 * spelling of a type to format_type()'s (varchar(20) -> character
 * varying(20), int4 -> integer, timestamptz -> timestamp with time zone),
 * in arena; NULL when memory runs out. */
void rt__pg_type_read(rt_type *type, const char *spelling);
const char *rt__pg_type_spelling(rt_arena *arena, const char *text);

/* --- postgres_ddl.c ------------------------------------------------------------ */

/* The dialect's DDL hooks (dialect.h). */
int rt__pg_alter_column(const rt_dialect *dialect, const rt_column_change *change,
			rt_statement_sink push, void *ctx);
int rt__pg_drop_index(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
		      const char *index);
int rt__pg_drop_constraint(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
			   const char *name, const rt_constraint *constraint);
void rt__pg_render_like(rt_buf *sql, rt_buf *pattern, const char *operand,
			const char *like_pattern, bool insensitive);
void rt__pg_array_holds(rt_buf *sql, const char *operand);
void rt__pg_comment(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
		    const char *column, const char *column_sql, const char *text);
void rt__pg_partition_of(rt_buf *buf, const rt_table *table);
void rt__pg_partition_clause(rt_buf *buf, const rt_table *table);
void rt__pg_detach_partition(rt_buf *buf, const rt_table *table);
void rt__pg_create_enum(rt_buf *buf, const rt_dialect *dialect, const char *schema,
			const char *name, const char *const *values, size_t value_count);
void rt__pg_drop_enum(rt_buf *buf, const rt_dialect *dialect, const char *schema,
		      const char *name);
void rt__pg_enum_add_value(rt_buf *buf, const rt_dialect *dialect, const char *schema,
			   const char *name, const char *value);
/* The dialect's rename_sql_object hook: ALTER <kind> ... RENAME TO. */
int rt__pg_rename_sql_object(const rt_dialect *dialect, const rt_sql_object *o,
			     const rt_sql_object *renamed, rt_statement_sink push, void *ctx);
/* The dialect's enum_replace hook. */
int rt__pg_enum_replace(const rt_dialect *dialect, const char *schema, const char *type,
			const char *const *values,
			size_t value_count, const rt_enum_use *columns, size_t column_count,
			rt_statement_sink push, void *ctx);

/* Rewrites `?` placeholders as $1, $2, ... into buf, leaving string
 * literals, quoted identifiers, comments and dollar-quoted bodies alone;
 * `??` stands for a literal `?` (PostgreSQL's jsonb operators). Sets
 * *count to the number of placeholders. */
void rt__postgres_translate_placeholders(rt_buf *buf, const char *sql, int *count);

#endif
