/*
 * mariadb.h - what the parts of the MariaDB dialect share:
 * mariadb.c (connections, errors, the dialect table), mariadb_stmt.c
 * (prepared statements: bind, run, fetch), mariadb_batch.c (many
 * parameter sets in one execution), mariadb_types.c (column types and
 * canonicalization) and the DDL, LIKE, lock and reflection files.
 */
#ifndef RT_DIALECT_MARIADB_H
#define RT_DIALECT_MARIADB_H

#include <mysql.h>

#include "base/buf.h"
#include "dialect/dialect.h"

struct rt_driver_conn {
	MYSQL *my;
	/* The connection was lost (or killed): it can run nothing more. */
	bool broken;
	/* The server rolled the transaction back (a deadlock): an error
	 * reply carries no status, so the client's last one still says a
	 * transaction is open until the next statement succeeds. */
	bool rolled_back;
	/* The statement whose rows are streamed from the server and still to
	 * be read: until they are, nothing else can run on the connection. */
	rt_driver_stmt *fetching;
	/* Made with MYSQL_OPT_NONBLOCK: its calls can run in a fiber. */
	bool nonblocking;
	/* In rt__mdb_connect: its waits are a new descriptor's (RT_WAIT_NEW). */
	bool connecting;
	/* A wait that failed in the middle of a call (cancelled): every
	 * later call fails with it (mariadb_io.c). */
	int io_rc;
	/* Where it connected (the engine's, which outlives it), for the
	 * connection that kills a statement a cancelled call abandons. */
	const rt_connect_params *params;
	const char *unix_socket;
	/* How many reflections read the CHECK constraints on a second
	 * connection beside this one (mariadb_reflect_checks.c): a test's
	 * way to see the work split, which no result shows. */
	long checks_beside;
};

/* --- mariadb_io.c: the calls that talk to the server, fiber-aware ----------------- */

/* Connector/C's call of the same name, or its non-blocking form with the
 * waits in rt__wait_fd when running in a fiber. */
MYSQL *rt__mdb_connect(rt_driver_conn *conn, const char *host, const char *user,
		       const char *password, const char *db, unsigned int port,
		       const char *unix_socket, unsigned long flags);
int rt__mdb_query(rt_driver_conn *conn, const char *sql, unsigned long length);
MYSQL_RES *rt__mdb_store_result(rt_driver_conn *conn);
int rt__mdb_next_result(rt_driver_conn *conn);
int rt__mdb_stmt_prepare(rt_driver_conn *conn, MYSQL_STMT *st, const char *sql,
			 unsigned long length);
int rt__mdb_stmt_execute(rt_driver_conn *conn, MYSQL_STMT *st);
int rt__mdb_stmt_store_result(rt_driver_conn *conn, MYSQL_STMT *st);
int rt__mdb_stmt_fetch(rt_driver_conn *conn, MYSQL_STMT *st);
my_bool rt__mdb_stmt_free_result(rt_driver_conn *conn, MYSQL_STMT *st);
my_bool rt__mdb_stmt_reset(rt_driver_conn *conn, MYSQL_STMT *st);
my_bool rt__mdb_stmt_close(rt_driver_conn *conn, MYSQL_STMT *st);

/* --- mariadb.c --------------------------------------------------------------- */

/* Records a server or client error (errno, SQLSTATE, message) of conn or
 * of a statement on it, mapped to a retort code: constraint violations
 * with their kind and name, deadlocks, lock timeouts, lost connections
 * (which mark conn broken). sql, when not NULL, is the statement that
 * failed: a NOT NULL violation names its table from it. Returns the code. */
int rt__mariadb_error(rt_driver_conn *conn, unsigned int number, const char *sqlstate,
		      const char *message, const char *sql);
/* rt__mariadb_error for the last error of conn itself. */
int rt__mariadb_conn_error(rt_driver_conn *conn, const char *sql);
/* After a statement that ran: when it set the connection's time_zone to
 * anything but UTC, sets it back and fails with RT_EINVAL naming the zone
 * (timestamptz values are read and written as UTC text, which MariaDB
 * converts through time_zone). */
int rt__mariadb_keep_utc(rt_driver_conn *conn);
/* RT_OK when the connection can run a statement (stmt, or any when
 * NULL): fails while another statement's streamed rows are unread, or
 * when the connection is broken. */
int rt__mariadb_conn_ready(rt_driver_conn *conn, const rt_driver_stmt *stmt);

/* The dialect's exec and conn_status hooks. */
int rt__mariadb_exec(rt_driver_conn *conn, const char *sql);
rt_driver_status rt__mariadb_conn_status(rt_driver_conn *conn);

/* --- mariadb_stmt.c: the dialect's statement hooks ---------------------------- */

int rt__mariadb_prepare(rt_driver_stmt **out, rt_driver_conn *conn, const char *sql);
int rt__mariadb_bind(rt_driver_stmt *stmt, int index, const rt_value *value);
int rt__mariadb_step(rt_driver_stmt *stmt);
int rt__mariadb_reset(rt_driver_stmt *stmt);
void rt__mariadb_finalize(rt_driver_stmt *stmt);
int rt__mariadb_column_count(rt_driver_stmt *stmt);
int rt__mariadb_param_count(rt_driver_stmt *stmt);
const char *rt__mariadb_column_name(rt_driver_stmt *stmt, int column);
int rt__mariadb_column_value(rt_driver_stmt *stmt, int column, rt_value *out);
int rt__mariadb_column_when(rt_driver_stmt *stmt, int column, rt_value_when *out);
int64_t rt__mariadb_rows_held(rt_driver_stmt *stmt);
uint64_t rt__mariadb_changes(rt_driver_stmt *stmt);
int64_t rt__mariadb_last_insert_id(rt_driver_stmt *stmt);
int rt__mariadb_set_streaming(rt_driver_stmt *stmt, bool on);
/* For mariadb_batch.c: the statement's last error recorded (as the hooks
 * record it), its Connector/C handle, its connection, whether it may run
 * in bulk (a write with parameters and without RETURNING), and parameter
 * index's (0-based) value as the last bind left it. */
int rt__mariadb_stmt_error(rt_driver_stmt *stmt);
MYSQL_STMT *rt__mariadb_handle(rt_driver_stmt *stmt);
rt_driver_conn *rt__mariadb_stmt_conn(rt_driver_stmt *stmt);
bool rt__mariadb_bulk_ok(const rt_driver_stmt *stmt);
const MYSQL_BIND *rt__mariadb_bound(rt_driver_stmt *stmt, int index);

/* --- mariadb_batch.c: the dialect's run_batch hook ------------------------------- */
int rt__mariadb_run_batch(rt_driver_stmt *stmt, const rt_driver_batch *batch, uint64_t *affected);

/* --- mariadb_types.c ------------------------------------------------------------ */

void rt__mariadb_column_type(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			     const rt_column *column);
void rt__mariadb_canonicalize(rt_schema *schema);
/* A type as information_schema.COLUMNS.COLUMN_TYPE spells it (int(11),
 * decimal(10,2), varchar(20), tinyint(1), datetime(6), ...) -> the
 * language's word for it, else RT_TYPE_SQL pointing at spelling (which
 * must outlive type). Not for enums. */
void rt__mariadb_type_read(rt_type *type, const char *spelling);
/* A user's spelling of a verbatim type brought to COLUMN_TYPE's, spaces
 * left out ("INT UNSIGNED" and "int(10) unsigned" are both
 * "int(10)unsigned"), in arena; NULL when memory runs out. */
const char *rt__mariadb_type_spelling(rt_arena *arena, const char *text);

/* --- mariadb_collation.c: a table's default collation -------------------------- */

void rt__mariadb_table_collation(rt_buf *buf, const rt_dialect *dialect, const char *collation);
/* The dialect's verbatim_takes_collation hook: the text types (CHAR,
 * VARCHAR, TINYTEXT ... LONGTEXT, ENUM, SET). */
bool rt__mariadb_verbatim_takes_collation(const char *sql);
int rt__mariadb_alter_table_collation(const rt_dialect *dialect,
				      const rt_table_collation_change *change,
				      rt_statement_sink push, void *ctx);

/* --- mariadb_ddl.c: the dialect's alter_column and drop_index hooks ------------- */

int rt__mariadb_alter_column(const rt_dialect *dialect, const rt_column_change *change,
			     rt_statement_sink push, void *ctx);
int rt__mariadb_drop_constraint(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
				const char *name, const rt_constraint *constraint);
int rt__mariadb_rename_sql_object(const rt_dialect *dialect, const rt_sql_object *o,
				  const rt_sql_object *renamed, rt_statement_sink push, void *ctx);
void rt__mariadb_comment(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
			 const char *column, const char *column_sql, const char *text);
int rt__mariadb_restate_check(const rt_dialect *dialect, rt_driver_conn *conn,
			      const char *table, const rt_column *column);
int rt__mariadb_before_drop_index(rt_buf *buf, const rt_dialect *dialect,
				  const rt_table *table, const char *name);
int rt__mariadb_drop_index(rt_buf *buf, const rt_dialect *dialect, const rt_table *table,
			   const char *index);

/* --- mariadb_like.c: the dialect's render_like hook ------------------------------ */

void rt__mariadb_render_like(rt_buf *sql, rt_buf *pattern, const char *operand,
			     const char *like_pattern, bool insensitive);

/* --- mariadb_expr.c ------------------------------------------------------------ */

/* An expression as MariaDB prints it (a check's clause, a default), in the
 * language's spelling, in arena: plain names without their backticks, any
 * other name (a reserved word, mixed case) in double quotes, functions
 * under their common names. NULL when out of memory. */
const char *rt__mariadb_expression_text(rt_arena *arena, const char *expr);
/* Is word (len bytes, any case) one of MariaDB's reserved words? */
bool rt__mariadb_is_reserved(const char *word, size_t len);
/* A number literal in plain decimal notation without redundant zeros
 * (1.5e3 -> 1500, -120.000 -> -120), in arena; NULL when text is no number. */
const char *rt__mariadb_canonical_number(rt_arena *arena, const char *text);
/* "12:00:00.000000" -> "12:00:00", in place. */
void rt__mariadb_trim_zero_fraction(char *value);

/* --- mariadb_reflect.c ----------------------------------------------------------- */

/* The dialect's reflect hook: reads the connection's current database
 * through information_schema. */
int rt__mariadb_reflect(rt_schema **out, const rt_dialect *dialect, rt_driver_conn *conn);
/* A column of an index the language cannot declare (on a prefix or an
 * expression, FULLTEXT, SPATIAL, HASH): mariadb_reflect.c finds them in
 * its one read of information_schema.STATISTICS, in index order, and
 * mariadb_reflect_objects.c writes their CREATE INDEX. */
typedef struct rt_mariadb_odd_index {
	const char *table, *name, *type, *comment;
	const char *column;        /* NULL: an expression */
	long long sub_part;        /* the prefix's length, or -1: the whole column */
	bool unique;
	bool descending;           /* a DESC key (MariaDB 10.8 and later) */
	struct rt_mariadb_odd_index *next;
} rt_mariadb_odd_index;

/* mariadb_reflect_checks.c: a row of CHECK_CONSTRAINTS, both levels. */
typedef struct rt_mariadb_check_row {
	const char *table, *name, *clause;
	bool column_level; /* LEVEL 'Column': a column's own check */
	struct rt_mariadb_check_row *next;
} rt_mariadb_check_row;
/* The read of the checks, on a second connection on a thread of its own
 * when one can be had: started before the rest of the reading, finished
 * (joined, or read on conn when the thread could not) with the rows in
 * table and name order, valid until freed. */
typedef struct rt_mariadb_checks rt_mariadb_checks;
int rt__mariadb_checks_start(rt_mariadb_checks **out, const rt_dialect *dialect,
			     rt_driver_conn *conn);
int rt__mariadb_checks_finish(rt_mariadb_checks *c, const rt_mariadb_check_row **rows);
void rt__mariadb_checks_free(rt_mariadb_checks *c); /* NULL-safe; joins */
/* mariadb_reflect_keys.c: the primary, unique and foreign keys of the
 * database's tables (rows: every STATISTICS row, in table and index
 * order, which its unique keys are read from where InnoDB's dictionary
 * gives the foreign keys). */
int rt__mariadb_reflect_keys(rt_schema *schema, const rt_dialect *dialect, rt_driver_conn *conn,
			     const rt_mariadb_odd_index *rows);
/* mariadb_reflect_objects.c: the database's views, triggers, routines,
 * events, sequences and the indexes the language cannot declare (odd,
 * from mariadb_reflect.c), as schema->objects. */
/* mariadb_sql_objects.c. A CREATE statement of SHOW CREATE without its
 * DEFINER=... when that is user (the session's account, user@host), or
 * as it is when it has none; NULL when it is another account's. */
const char *rt__mariadb_without_definer(rt_arena *arena, const char *create, const char *user);
/* The CREATE statement of a trigger, routine or event that was made under
 * settings other than the session's (its sql_mode, an event's time zone;
 * NULL: not known, or no such setting), prefixed with them: SET STATEMENT
 * sql_mode = '...' FOR CREATE ..., so that it is made again the same and
 * runs the same; create itself when they are the session's. NULL when a
 * setting cannot be written as a literal (or out of memory). */
const char *rt__mariadb_with_settings(rt_arena *arena, const char *create, const char *mode,
				      const char *session_mode, const char *zone,
				      const char *session_zone);
/* The query of SHOW CREATE VIEW's statement when the view is what the
 * schema language's `view` says (ALGORITHM=UNDEFINED, user's, SQL
 * SECURITY DEFINER or INVOKER, no CHECK OPTION), else NULL; *invoker
 * (when invoker is not NULL) says which security it has. */
const char *rt__mariadb_view_query(rt_arena *arena, const char *create, const char *user,
				   bool *invoker);
/* The dialect's render_sql_objects. */
int rt__mariadb_render_sql_objects(const rt_dialect *d, rt_driver_conn *conn, rt_schema *schema);
/* The views and sequences mariadb_reflect.c's read of TABLES found, by
 * name: their own listings cost two more passes over the tables. */
typedef struct rt_mariadb_listed {
	const char **views, **sequences;
	size_t view_count, view_cap, sequence_count, sequence_cap;
} rt_mariadb_listed;
int rt__mariadb_reflect_objects(rt_schema *schema, const rt_dialect *dialect,
				rt_driver_conn *conn, const rt_mariadb_odd_index *odd,
				const rt_mariadb_listed *listed);
/* Every unique index of schema becomes the unique constraint of the same
 * name: MariaDB keeps no difference. */
int rt__mariadb_unique_indexes_as_keys(rt_schema *schema);

/* mariadb_lock.c: the migration lock of a server whose wsrep_on reads
 * wsrep_on (NULL: the server has no such variable): the lease row on a
 * Galera node, GET_LOCK elsewhere; and the lock_method_for hook, which
 * reads wsrep_on on conn. */
rt_lock_method rt__mariadb_lock_method_of(const char *wsrep_on);
int rt__mariadb_lock_method_for(rt_lock_method *out, const rt_dialect *dialect,
				rt_driver_conn *conn);

/* Column values (mariadb_reflect_values.c): the values of
 * "enum('a','it''s')" into e; and COLUMN_DEFAULT text into column's
 * server default (database: the current database's name). */
int rt__mariadb_read_enum_values(rt_schema *schema, rt_enum *e, const char *spelling);
int rt__mariadb_read_default(rt_schema *schema, rt_column *column, const char *text,
			     const char *database);

#endif
