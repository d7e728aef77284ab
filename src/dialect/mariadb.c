/*
 * mariadb.c - the MariaDB dialect (URL schemes mariadb:// and mysql://):
 * Connector/C connections and errors, and the dialect table
 * rt__dialect_mariadb. It needs MariaDB 10.5 or later; MySQL is refused
 * at connect, by name.
 *
 * With mariadb_stmt.c (statements), the only files in retort that call
 * Connector/C. Every session is set up the same way whatever the server's
 * defaults: utf8mb4 (or the URL's ?charset=), time zone UTC (TIMESTAMP
 * values are read and written as UTC, like every timestamp retort binds),
 * strict mode (a value that does not fit is an error, never truncated),
 * standard string literals (no backslash escapes) and identifiers ("a"
 * is a name, as in standard SQL, not a string), and a changed-rows
 * count of the rows an UPDATE matched, as on the other backends.
 */
#include "dialect/mariadb.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errmsg.h>
#include <mysql.h>

#include "base/arena.h"
#include "base/error.h"
#include "schema/naming.h"

/* Server error numbers retort tells apart (MariaDB's include/mysqld_error.h). */
enum {
	ER_DUP_ENTRY = 1062,
	ER_BAD_NULL_ERROR = 1048,
	ER_LOCK_WAIT_TIMEOUT = 1205,
	ER_LOCK_DEADLOCK = 1213,
	ER_NO_DEFAULT_FOR_FIELD = 1364,
	ER_ROW_IS_REFERENCED_2 = 1451,
	ER_NO_REFERENCED_ROW_2 = 1452,
	ER_CONNECTION_KILLED = 1927,
	ER_CONSTRAINT_FAILED = 4025,
	ER_CLIENT_INTERACTION_TIMEOUT = 4031,
	/* MySQL 8's NOWAIT failing (MariaDB reports 1205, as for a timeout). */
	ER_LOCK_NOWAIT = 3572
};

/* The oldest server the dialect table fits, as mysql_get_server_version
 * gives it (major * 10000 + minor * 100 + patch). */
#define MINIMUM_VERSION 100500UL

/* --- errors ----------------------------------------------------------------- */

/* Copies into out the name that starts right after marker in message and
 * ends at quote (a doubled quote stays in the name). The last occurrence
 * of marker counts: a duplicate value shown before it may contain it. */
static const char *quoted_after(char *out, size_t size, const char *message,
				const char *marker, char quote)
{
	const char *start = NULL;
	for (const char *p = strstr(message, marker); p; p = strstr(p + 1, marker))
		start = p + strlen(marker);
	if (!start || size == 0)
		return NULL;
	size_t n = 0;
	for (const char *p = start; *p; p++) {
		if (*p == quote) {
			if (p[1] != quote)
				break;
			p++;
		}
		if (n + 1 < size)
			out[n++] = *p;
	}
	out[n] = '\0';
	return n ? out : NULL;
}

/* The name after CONSTRAINT in a message: in backticks, or in double
 * quotes when the statement ran under ANSI_QUOTES (the server quotes
 * names the way the connection's sql_mode does). */
static const char *constraint_in(char *out, size_t size, const char *message)
{
	const char *name = quoted_after(out, size, message, "CONSTRAINT `", '`');
	return name ? name : quoted_after(out, size, message, "CONSTRAINT \"", '"');
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* If p starts with keyword (any case) as a whole word, the text after it. */
static const char *after_keyword(const char *p, const char *keyword)
{
	size_t n = strlen(keyword);
	for (size_t i = 0; i < n; i++)
		if (!p[i] || (p[i] | 0x20) != (keyword[i] | 0x20))
			return NULL;
	return is_word_char(p[n]) ? NULL : skip_space(p + n);
}

/* The table an INSERT, REPLACE or UPDATE statement writes (the last part
 * of a qualified name), into out; NULL for other statements. The server
 * names only the column of a NOT NULL violation. */
static const char *written_table(char *out, size_t size, const char *sql)
{
	if (!sql)
		return NULL;
	const char *p = skip_space(sql), *q;
	if ((q = after_keyword(p, "INSERT")) || (q = after_keyword(p, "REPLACE"))) {
		p = q;
		for (;;) {
			if ((q = after_keyword(p, "IGNORE")) || (q = after_keyword(p, "LOW_PRIORITY")) ||
			    (q = after_keyword(p, "DELAYED")) || (q = after_keyword(p, "HIGH_PRIORITY")))
				p = q;
			else
				break;
		}
		if ((q = after_keyword(p, "INTO")))
			p = q;
	} else if ((q = after_keyword(p, "UPDATE"))) {
		p = q;
		if ((q = after_keyword(p, "IGNORE")) || (q = after_keyword(p, "LOW_PRIORITY")))
			p = q;
	} else {
		return NULL;
	}
	size_t n = 0;
	for (;;) { /* name parts: `a``b`, "a""b" or bare, joined by dots; keep the last */
		n = 0;
		if (*p == '`' || *p == '"') {
			char quote = *p;
			for (p++; *p; p++) {
				if (*p == quote) {
					if (p[1] != quote)
						break;
					p++;
				}
				if (n + 1 < size)
					out[n++] = *p;
			}
			if (*p == quote)
				p++;
		} else {
			while (is_word_char(*p)) {
				if (n + 1 < size)
					out[n++] = *p;
				p++;
			}
		}
		if (*p != '.')
			break;
		p++;
	}
	if (size)
		out[n < size ? n : size - 1] = '\0';
	return n ? out : NULL;
}

int rt__mariadb_error(rt_driver_conn *conn, unsigned int number, const char *sqlstate,
		      const char *message, const char *sql)
{
	if (conn && conn->io_rc < 0)
		return conn->io_rc; /* recorded when the wait failed */
	if (!message || !*message)
		message = "unknown error";
	if (!sqlstate)
		sqlstate = "";
	char name[256], table[256], column_ref[520];
	const char *constraint = NULL;
	rt_constraint_violation kind = RT_VIOLATION_NONE;
	int code = RT_EDATABASE;
	switch (number) {
	case ER_DUP_ENTRY:
		kind = RT_VIOLATION_UNIQUE;
		constraint = quoted_after(name, sizeof(name), message, "for key '", '\'');
		/* MariaDB names every primary key PRIMARY; the key is reported
		 * as reflection reads it and the schema language names it,
		 * pk_<table>, so a program tells it apart by the same name on
		 * every backend. PRIMARY stays when the table is not known. */
		if (constraint && strcmp(constraint, "PRIMARY") == 0 &&
		    written_table(table, sizeof(table), sql)) {
			rt_arena *arena = rt__arena_new();
			const char *pk = arena ? rt__name_primary_key(arena, table) : NULL;
			if (pk)
				snprintf(column_ref, sizeof(column_ref), "%s", pk);
			rt__arena_free(arena);
			if (pk)
				constraint = column_ref;
		}
		break;
	case ER_ROW_IS_REFERENCED_2:
	case ER_NO_REFERENCED_ROW_2:
		kind = RT_VIOLATION_FOREIGN_KEY;
		constraint = constraint_in(name, sizeof(name), message);
		break;
	case ER_BAD_NULL_ERROR:
	case ER_NO_DEFAULT_FOR_FIELD: {
		/* Named table.column, as on the other backends. */
		kind = RT_VIOLATION_NOT_NULL;
		const char *col = quoted_after(name, sizeof(name), message,
					       number == ER_BAD_NULL_ERROR ? "Column '" : "Field '",
					       '\'');
		const char *tab = written_table(table, sizeof(table), sql);
		if (col && tab) {
			snprintf(column_ref, sizeof(column_ref), "%s.%s", tab, col);
			constraint = column_ref;
		} else {
			constraint = col;
		}
		break;
	}
	case ER_CONSTRAINT_FAILED:
		kind = RT_VIOLATION_CHECK;
		constraint = constraint_in(name, sizeof(name), message);
		break;
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_LOCK_NOWAIT:
		code = RT_ELOCKED;
		break;
	case ER_LOCK_DEADLOCK:
		code = RT_ESERIALIZE;
		if (conn)
			conn->rolled_back = true;
		break;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CONNECTION_KILLED:
	case ER_CLIENT_INTERACTION_TIMEOUT:
		code = RT_ECONNECT;
		if (conn)
			conn->broken = true;
		return rt__error_set_db(code, sqlstate, (int)number, kind, NULL,
					"connection to MariaDB lost: %s", message);
	default:
		break;
	}
	if (kind != RT_VIOLATION_NONE)
		code = RT_ECONSTRAINT;
	return rt__error_set_db(code, sqlstate, (int)number, kind, constraint, "%s", message);
}

int rt__mariadb_conn_error(rt_driver_conn *conn, const char *sql)
{
	return rt__mariadb_error(conn, mysql_errno(conn->my), mysql_sqlstate(conn->my),
				 mysql_error(conn->my), sql);
}

int rt__mariadb_conn_ready(rt_driver_conn *conn, const rt_driver_stmt *stmt)
{
	if (conn->broken)
		return rt__error_set(RT_ECONNECT, "connection to MariaDB lost: it can run nothing "
						  "more; close it");
	if (conn->fetching && conn->fetching != stmt)
		return rt__error_set(RT_EINVAL,
				     "a streamed query on this connection has rows still to read: "
				     "step it to the end or reset it before running another statement");
	return RT_OK;
}

/* --- the connection's time zone ------------------------------------------- */

static const char session_utc[] = "SET SESSION time_zone = '+00:00'";

/* The zone a statement set, from the server's session tracking
 * (session_track_system_variables lists time_zone by default): into zone
 * (empty when the last statement set none). */
static void tracked_zone(rt_driver_conn *conn, char *zone, size_t size)
{
	const char *data, *value;
	size_t len, value_len;
	zone[0] = '\0';
	if (mysql_session_track_get_first(conn->my, SESSION_TRACK_SYSTEM_VARIABLES, &data, &len) != 0)
		return;
	do {
		if (mysql_session_track_get_next(conn->my, SESSION_TRACK_SYSTEM_VARIABLES, &value,
						 &value_len) != 0)
			return;
		if (len == strlen("time_zone") && memcmp(data, "time_zone", len) == 0)
			snprintf(zone, size, "%.*s", (int)(value_len < size ? value_len : size - 1),
				 value);
	} while (mysql_session_track_get_next(conn->my, SESSION_TRACK_SYSTEM_VARIABLES, &data,
					      &len) == 0);
}

/* RT_OK when zone (as tracked_zone wrote it) is none or UTC; else sets
 * UTC again and fails, naming zone. */
static int refuse_zone(rt_driver_conn *conn, const char *zone)
{
	if (!zone[0] || strcmp(zone, "+00:00") == 0)
		return RT_OK;
	/* Undone at once: the statements after it read and write UTC, as
	 * before (a failure to undo it leaves the connection unusable). */
	if (rt__mdb_query(conn, session_utc, (unsigned long)strlen(session_utc)) != 0) {
		conn->broken = true;
		return rt__mariadb_conn_error(conn, session_utc);
	}
	return rt__error_set(RT_EINVAL,
			     "time_zone '%s' refused and undone: a MariaDB connection of retort "
			     "stays in UTC, because timestamptz (TIMESTAMP) values are read and "
			     "written as UTC text, which carries no zone; convert in the query "
			     "instead (CONVERT_TZ(column, '+00:00', '%s'))",
			     zone, zone);
}

int rt__mariadb_keep_utc(rt_driver_conn *conn)
{
	char zone[80];
	tracked_zone(conn, zone, sizeof(zone));
	return refuse_zone(conn, zone);
}

/* --- connections ---------------------------------------------------------- */

/* Connector/C's global state is set up once, before any thread connects
 * (mysql_init would do it on first use, but not safely from two threads). */
static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static int library_rc;

static void library_init(void)
{
	library_rc = mysql_library_init(0, NULL, NULL);
}

/* The URL's query options: ?unix_socket=/run/mysqld/mysqld.sock,
 * ?charset=utf8mb4, ?connect_timeout=10. Any other is refused by name, so
 * that a misspelt option is not silently ignored. */
typedef struct conn_options {
	const char *unix_socket;
	const char *charset;
	unsigned int connect_timeout;
} conn_options;

static int read_options(conn_options *o, const rt_connect_params *params)
{
	o->unix_socket = NULL;
	o->charset = "utf8mb4";
	o->connect_timeout = 10;
	for (size_t i = 0; i < params->option_count; i++) {
		const char *key = params->option_keys[i], *value = params->option_values[i];
		if (!key || !value)
			continue;
		if (strcmp(key, "unix_socket") == 0) {
			o->unix_socket = *value ? value : NULL;
		} else if (strcmp(key, "charset") == 0) {
			for (const char *p = value; *p; p++)
				if (!is_word_char(*p))
					return rt__error_set(RT_EINVAL, "%s: charset '%s' is not a "
								      "character set name",
							     params->masked_url, value);
			o->charset = *value ? value : "utf8mb4";
		} else if (strcmp(key, "connect_timeout") == 0) {
			char *end;
			errno = 0;
			long v = strtol(value, &end, 10);
			if (errno || end == value || *end || v < 1 || v > 3600)
				return rt__error_set(RT_EINVAL, "%s: connect_timeout must be a number "
							      "of seconds from 1 to 3600",
						     params->masked_url);
			o->connect_timeout = (unsigned int)v;
		} else {
			return rt__error_set(RT_EINVAL, "%s: unknown option '%s' for MariaDB "
						      "(known: unix_socket, charset, connect_timeout)",
					     params->masked_url, key);
		}
	}
	return RT_OK;
}

/* The session every connection gets, whatever the server's defaults. */
static const char session_setup[] =
	"SET SESSION time_zone = '+00:00',"
	" sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'STRICT_ALL_TABLES',"
	" 'NO_BACKSLASH_ESCAPES', 'ANSI_QUOTES', 'NO_ENGINE_SUBSTITUTION')";

static int mdb_connect(rt_driver_conn **out, const rt_connect_params *params)
{
	*out = NULL;
	conn_options o;
	int rc = read_options(&o, params);
	if (rc < 0)
		return rc;
	pthread_once(&library_once, library_init);
	if (library_rc != 0)
		return rt__error_set(RT_ECONNECT, "MariaDB Connector/C could not be initialised");

	rt_driver_conn *conn = calloc(1, sizeof(*conn));
	MYSQL *my = conn ? mysql_init(NULL) : NULL;
	if (!my) {
		free(conn);
		return rt__error_nomem();
	}
	my_bool off = 0;
	unsigned int no_local_infile = 0;
	mysql_optionsv(my, MYSQL_SET_CHARSET_NAME, o.charset);
	mysql_optionsv(my, MYSQL_OPT_CONNECT_TIMEOUT, &o.connect_timeout);
	/* A file on the client is never read on the server's request. */
	mysql_optionsv(my, MYSQL_OPT_LOCAL_INFILE, &no_local_infile);
	/* A silent reconnect would lose the session's transaction and settings. */
	mysql_optionsv(my, MYSQL_OPT_RECONNECT, &off);
	mysql_optionsv(my, MYSQL_INIT_COMMAND, session_setup);
	/* Calls in a fiber use the non-blocking forms (mariadb_io.c). */
	conn->my = my;
	conn->nonblocking = mysql_optionsv(my, MYSQL_OPT_NONBLOCK, 0) == 0;
	conn->params = params;
	conn->unix_socket = o.unix_socket;

	const char *host = params->host && *params->host ? params->host : NULL;
	const char *db = params->database && *params->database ? params->database : NULL;
	unsigned long flags = CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS;
	if (!rt__mdb_connect(conn, host, params->user, params->password ? params->password : "",
			     db, (unsigned int)params->port, o.unix_socket, flags)) {
		if (conn->io_rc < 0) {
			rc = conn->io_rc;
			mysql_close(my);
			free(conn);
			return rc;
		}
		/* The server's message names the user and whether a password
		 * was used, never the password; the URL is the masked one. */
		rc = rt__error_set_db(mysql_errno(my) == 1049 ? RT_ENOTFOUND : RT_ECONNECT,
				      mysql_sqlstate(my), (int)mysql_errno(my), RT_VIOLATION_NONE,
				      NULL, "could not connect to %s: %s",
				      params->masked_url ? params->masked_url : "MariaDB",
				      mysql_error(my));
		mysql_close(my);
		free(conn);
		return rc;
	}
	/* What the dialect table promises (INSERT ... RETURNING) needs
	 * MariaDB 10.5; anything older, or MySQL, is named and refused here
	 * rather than failing in the middle of some later work. */
	const char *info = mysql_get_server_info(my);
	unsigned long version = mysql_get_server_version(my);
	const char *where = params->masked_url ? params->masked_url : "MariaDB";
	if (!info || !strstr(info, "MariaDB")) {
		/* MySQL speaks the same protocol but is another database: no
		 * INSERT ... RETURNING (generated values other than the one
		 * AUTO_INCREMENT key), other DDL and catalogue details, and this
		 * dialect has never run against it. Refused rather than half
		 * working; docs/mariadb.md ("MySQL") says what support needs. */
		rc = rt__error_set(RT_ECONNECT,
				   "%s: the server is MySQL %s; retort speaks MariaDB 10.5 or "
				   "later, not MySQL (no INSERT ... RETURNING, and this dialect "
				   "is not tested against a MySQL server; see docs/mariadb.md, "
				   "\"MySQL\")",
				   where, info ? info : "of unknown version");
		mysql_close(my);
		free(conn);
		return rc;
	}
	if (version < MINIMUM_VERSION) {
		rc = rt__error_set(RT_ECONNECT,
				   "%s: the server is MariaDB %s; retort needs MariaDB 10.5 or "
				   "later (INSERT ... RETURNING)",
				   where, info);
		mysql_close(my);
		free(conn);
		return rc;
	}
	*out = conn;
	return RT_OK;
}

static void mdb_disconnect(rt_driver_conn *conn)
{
	if (!conn)
		return;
	mysql_close(conn->my);
	free(conn);
}

/* Runs sql, which may hold several statements, and drops any rows. */
int rt__mariadb_exec(rt_driver_conn *conn, const char *sql)
{
	int rc = rt__mariadb_conn_ready(conn, NULL);
	if (rc < 0)
		return rc;
	if (!sql)
		return rt__error_set(RT_EINVAL, "no SQL to run");
	if (rt__mdb_query(conn, sql, (unsigned long)strlen(sql)) != 0)
		return rt__mariadb_conn_error(conn, sql);
	/* The zone the statements left, each reporting its own change. */
	char zone[80] = "", set[80];
	for (;;) {
		tracked_zone(conn, set, sizeof(set));
		if (set[0])
			memcpy(zone, set, sizeof(zone));
		MYSQL_RES *res = rt__mdb_store_result(conn);
		if (res)
			mysql_free_result(res);
		else if (mysql_field_count(conn->my) != 0)
			return rt__mariadb_conn_error(conn, sql);
		int next = rt__mdb_next_result(conn);
		if (next < 0) {
			conn->rolled_back = false;
			return refuse_zone(conn, zone);
		}
		if (next > 0)
			return rt__mariadb_conn_error(conn, sql);
	}
}

/* --- connection state ------------------------------------------------------ */

rt_driver_status rt__mariadb_conn_status(rt_driver_conn *conn)
{
	if (conn->broken)
		return RT_DRIVER_BROKEN;
	unsigned int status = 0;
	if (mariadb_get_infov(conn->my, MARIADB_CONNECTION_SERVER_STATUS, &status) != 0)
		return RT_DRIVER_BROKEN;
	if (conn->fetching)
		return RT_DRIVER_BROKEN; /* rows still coming: not reusable */
	if (conn->rolled_back)
		return RT_DRIVER_IDLE;
	return (status & SERVER_STATUS_IN_TRANS) ? RT_DRIVER_IN_TRANSACTION : RT_DRIVER_IDLE;
}

/* --- SQL rendering -------------------------------------------------------- */

static void mdb_quote_ident(rt_buf *buf, const char *ident)
{
	rt__buf_put_quoted(buf, ident, '`');
}

/* The upsert's clause. MariaDB's takes no target: ON DUPLICATE KEY UPDATE
 * fires on a conflict on any unique key of the table. VALUES(c) is the
 * value the INSERT proposed. Keeping the stored row sets the first key
 * column to itself, a change of nothing, rather than INSERT IGNORE, which
 * would turn other errors (a NOT NULL, a foreign key) into warnings. */
static void mdb_upsert_clause(rt_buf *sql, const rt_dialect *d, const char *const *target,
			      int target_count, const char *const *update, int update_count)
{
	(void)target_count;
	rt__buf_puts(sql, " ON DUPLICATE KEY UPDATE ");
	if (update_count == 0) {
		d->quote_ident(sql, target[0]);
		rt__buf_puts(sql, " = ");
		d->quote_ident(sql, target[0]);
		return;
	}
	for (int i = 0; i < update_count; i++) {
		if (i)
			rt__buf_puts(sql, ", ");
		d->quote_ident(sql, update[i]);
		rt__buf_puts(sql, " = VALUES(");
		d->quote_ident(sql, update[i]);
		rt__buf_puts(sql, ")");
	}
}

/* FULLTEXT and SPATIAL indexes: CREATE FULLTEXT INDEX. (MariaDB's USING
 * HASH is a B-tree on InnoDB: no method of its own.) */
static const rt_index_method mdb_index_methods[] = {
	{"fulltext", "FULLTEXT", NULL},
	{"spatial", "SPATIAL", NULL},
	{NULL, NULL, NULL},
};

/* The pool's pre-ping: a statement of no effect, one round trip (through
 * exec, so that a fiber's call does not block its thread). */
static int mdb_ping(rt_driver_conn *conn)
{
	return rt__mariadb_exec(conn, "DO 0");
}

/* MariaDB 10.6+: FOR UPDATE and LOCK IN SHARE MODE (MariaDB has no FOR
 * SHARE; MySQL 8 reads both), each with NOWAIT or SKIP LOCKED. There is no
 * OF: every row the statement reads is locked, joined ones too. */
static void mdb_row_lock_clause(rt_buf *sql, const char *alias, bool share, bool nowait,
				bool skip_locked)
{
	(void)alias;
	rt__buf_puts(sql, share ? " LOCK IN SHARE MODE" : " FOR UPDATE");
	if (nowait)
		rt__buf_puts(sql, " NOWAIT");
	else if (skip_locked)
		rt__buf_puts(sql, " SKIP LOCKED");
}

const rt_dialect rt__dialect_mariadb = {
	.name = "mariadb",
	.caps = {
		/* Every DDL statement commits by itself. */
		.transactional_ddl = false,
		.ddl_per_transaction = 1,
		/* GET_LOCK, held by the session across the commits of its DDL;
		 * on a Galera node, where GET_LOCK is node-local, the committed
		 * lease row instead (lock_method_for, mariadb_lock.c). */
		.lock_method = RT_LOCK_NAMED,
		/* INSERT ... RETURNING (MariaDB 10.5 and later), but no UPDATE ...
		 * RETURNING. Inserts read their generated columns back with
		 * RETURNING, 1,000 rows a statement: one row a statement and
		 * last_insert_id made the ORM's 100,000-row insert 8x slower
		 * than hand-written multi-row INSERTs. (A failed RETURNING run
		 * is reset at once: mariadb_stmt.c, fail_run.) */
		.returning = true,
		.returning_insert_only = true,
		.max_parameters = 65535,
		/* An enum is the column's own ENUM('a','b'), no type object;
		 * its values change with MODIFY COLUMN. */
		.enum_kind = RT_ENUM_INLINE,
		.alter_add_constraint = true,
		.comments = true,
		.max_identifier_length = 64,
		.autoincrement = RT_AUTOINCREMENT_CLAUSE,
		.alter_column_in_place = true,
		.drop_column_in_place = true,
		.drop_constraint_in_place = true,
		.add_column_any_default = true,
		.timestamptz_offset = false,
		.stores_nan = false,
		.fk_set_default_ignored = true,
		/* InnoDB keys hold at most 3072 bytes: an index on a LONGTEXT
		 * column would silently hold its first 768 characters. */
		.index_unbounded = false,
		/* An index, a unique key and a CHECK are named per table; an
		 * InnoDB foreign key per database (a second one of a name is
		 * errno 121). */
		.index_names_per_table = true,
		.foreign_key_names_per_schema = true,
		/* DESC keys are kept since 10.8 (parsed and ignored before);
		 * there are no partial or expression indexes and no INCLUDE. */
		.index_where = false,
		.index_expressions = false,
		.index_include = false,
		.index_desc = true,
		/* Events stay the database's (not managed); sequences came in
		 * 10.3. There are no domains, aggregates of SQL, materialized
		 * views. */
		.sql_object_kinds = 1u << RT_SQL_VIEW | 1u << RT_SQL_FUNCTION | 1u << RT_SQL_TRIGGER |
				    1u << RT_SQL_PROCEDURE | 1u << RT_SQL_SEQUENCE,
		.view_or_replace = true,
		.generated_virtual = true,
		.generated_not_null = false,
		.add_column_generated_stored = true,
		.collation_case_matters = false,
		.server_onupdate = true,
		.or_replace_kinds = 1u << RT_SQL_PROCEDURE,
		.sequence_alter = true,
	},
	.index_methods = mdb_index_methods,
	.connect = mdb_connect,
	.disconnect = mdb_disconnect,
	.exec = rt__mariadb_exec,
	.prepare = rt__mariadb_prepare,
	.bind = rt__mariadb_bind,
	.step = rt__mariadb_step,
	.reset = rt__mariadb_reset,
	.finalize = rt__mariadb_finalize,
	.column_count = rt__mariadb_column_count,
	.param_count = rt__mariadb_param_count,
	.column_name = rt__mariadb_column_name,
	.column_value = rt__mariadb_column_value,
	.column_when = rt__mariadb_column_when,
	.rows_held = rt__mariadb_rows_held,
	.conn_status = rt__mariadb_conn_status,
	.run_batch = rt__mariadb_run_batch,
	.changes = rt__mariadb_changes,
	.last_insert_id = rt__mariadb_last_insert_id,
	.set_streaming = rt__mariadb_set_streaming,
	.quote_ident = mdb_quote_ident,
	.column_type = rt__mariadb_column_type,
	.autoincrement_clause = "AUTO_INCREMENT",
	.render_like = rt__mariadb_render_like,
	/* MariaDB has no DEFAULT VALUES. */
	.insert_defaults = " () VALUES ()",
	.upsert_clause = mdb_upsert_clause,
	.row_lock_clause = mdb_row_lock_clause,
	.alter_column = rt__mariadb_alter_column,
	.drop_index = rt__mariadb_drop_index,
	.drop_constraint = rt__mariadb_drop_constraint,
	.before_drop_index = rt__mariadb_before_drop_index,
	.comment = rt__mariadb_comment,
	.rename_sql_object = rt__mariadb_rename_sql_object,
	.restate_check = rt__mariadb_restate_check,
	.table_collation = rt__mariadb_table_collation,
	.view_invoker_before = "SQL SECURITY INVOKER",
	.alter_table_collation = rt__mariadb_alter_table_collation,
	.verbatim_takes_collation = rt__mariadb_verbatim_takes_collation,
	.reflect = rt__mariadb_reflect,
	.render_sql_objects = rt__mariadb_render_sql_objects,
	.canonicalize = rt__mariadb_canonicalize,
	.table_exists_query = "SELECT 1 FROM information_schema.TABLES "
			      "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
	/* GET_LOCK names are server-wide and at most 64 characters: the
	 * database and the version table, hashed, so that two databases of
	 * one server do not wait for each other. */
#define MDB_LOCK_NAME "CONCAT('retort:', SHA1(CONCAT(DATABASE(), '.', ?)))"
	.named_lock_take = "SELECT GET_LOCK(" MDB_LOCK_NAME ", 0)",
	.named_lock_holder =
		"SELECT CONCAT('connection ', h.id, COALESCE(CONCAT(' (', "
		"(SELECT CONCAT(p.USER, '@', p.HOST) FROM information_schema.PROCESSLIST p "
		"WHERE p.ID = h.id), ')'), '')) "
		"FROM (SELECT IS_USED_LOCK(" MDB_LOCK_NAME ") AS id) h WHERE h.id IS NOT NULL",
	.named_lock_release = "SELECT RELEASE_LOCK(" MDB_LOCK_NAME ")",
#undef MDB_LOCK_NAME
	.lock_method_for = rt__mariadb_lock_method_for,
	.ping = mdb_ping,
};
