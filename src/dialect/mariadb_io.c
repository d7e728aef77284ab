/*
 * mariadb_io.c - the MariaDB driver's calls that talk to the server, each
 * one usable from a fiber without blocking the thread.
 *
 * Outside a fiber (the blocking API) each function is the Connector/C call
 * of the same name, nothing more. Inside one (docs/async.md) it uses
 * Connector/C's non-blocking form, NAME_start and NAME_cont: they return
 * what to wait for (a readable or writable socket, a timeout), the fiber
 * waits in rt__wait_fd, and the call goes on. The connection is made with
 * MYSQL_OPT_NONBLOCK so that both forms work on it.
 *
 * When a wait fails (the operation was cancelled), Connector/C is left in
 * the middle of the call: the statement it was running is killed on the
 * server (kill_abandoned), the connection is marked broken and kept in
 * conn->io_rc, its socket is shut down (so nothing can wait on it again),
 * every later call on it fails alike, and rt__mariadb_error reports that
 * failure; the pool then closes the connection.
 */
#include <stdio.h>
#include <sys/socket.h>

#include "base/error.h"
#include "base/wait.h"
#include "dialect/mariadb.h"

/* A statement abandoned by a cancelled call would go on running on the
 * server, holding its locks, until it ends by itself: the server notices
 * no closed socket before then. Kill it from a connection of its own
 * (MariaDB has no cancel request; this is a short blocking connection, as
 * PostgreSQL's PQcancel is, made on the engine's workers by rt__offload so
 * that the event loop never waits for it). The whole connection is killed,
 * not only the query: this one is closed anyway, and a statement still on
 * its way to the server when KILL QUERY came would run after it. Best
 * effort: on failure the statement runs out by itself, as it would have. */
static int kill_job(void *arg)
{
	rt_driver_conn *conn = arg;
	unsigned long id = mysql_thread_id(conn->my);
	const rt_connect_params *p = conn->params;
	MYSQL *killer = mysql_init(NULL);
	if (!killer)
		return RT_OK;
	unsigned int timeout = 2;
	mysql_optionsv(killer, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(killer, MYSQL_OPT_READ_TIMEOUT, &timeout);
	char sql[48];
	snprintf(sql, sizeof(sql), "KILL CONNECTION %lu", id);
	if (mysql_real_connect(killer, p->host && *p->host ? p->host : NULL, p->user,
			       p->password ? p->password : "", NULL, (unsigned int)p->port,
			       conn->unix_socket, 0))
		mysql_query(killer, sql);
	mysql_close(killer);
	return RT_OK;
}

static void kill_abandoned(rt_driver_conn *conn)
{
	if (!mysql_thread_id(conn->my) || !conn->params)
		return; /* not connected yet: nothing runs there */
	rt__offload(kill_job, conn, NULL, NULL);
}

/* Waits for what a _start or _cont call asked for; returns the status to
 * hand to its _cont, or -1 when the wait failed (recorded in io_rc). */
static int wait_for(rt_driver_conn *conn, int status)
{
	int events = 0;
	if (status & (MYSQL_WAIT_READ | MYSQL_WAIT_EXCEPT))
		events |= RT_WAIT_READ;
	if (status & MYSQL_WAIT_WRITE)
		events |= RT_WAIT_WRITE;
	if (!events) /* a timeout alone: the socket wakes the wait early at worst */
		events = RT_WAIT_READ;
	if (conn->connecting)
		events |= RT_WAIT_NEW;
	int timeout = (status & MYSQL_WAIT_TIMEOUT) ? (int)mysql_get_timeout_value_ms(conn->my)
						    : -1;
	int fd = (int)mysql_get_socket(conn->my);
	int got = rt__wait_fd(fd, events, timeout);
	if (got < 0) {
		if (got == RT_ECANCELED)
			kill_abandoned(conn);
		/* Nothing will finish this conversation: every later read or
		 * write on the socket fails at once instead of waiting. */
		shutdown(fd, SHUT_RDWR);
		conn->io_rc = got;
		conn->broken = true;
		return -1;
	}
	if (got == 0)
		return MYSQL_WAIT_TIMEOUT;
	int back = 0;
	if (got & RT_WAIT_READ)
		back |= status & (MYSQL_WAIT_READ | MYSQL_WAIT_EXCEPT);
	if (got & RT_WAIT_WRITE)
		back |= MYSQL_WAIT_WRITE;
	return back;
}

/* The loop every wrapper runs: `start` once, then `cont` while Connector/C
 * asks to wait; `failed` is what the call returns when a wait fails. */
#define RUN_NONBLOCKING(conn, start, cont, failed)                            \
	do {                                                                  \
		int status_ = (start);                                        \
		while (status_) {                                             \
			if ((status_ = wait_for((conn), status_)) < 0)        \
				return (failed);                              \
			status_ = (cont);                                     \
		}                                                             \
	} while (0)

static bool in_fiber(const rt_driver_conn *conn)
{
	return conn->nonblocking && rt__fiber_current() != NULL;
}

static MYSQL *connect_nonblocking(rt_driver_conn *conn, const char *host, const char *user,
				  const char *password, const char *db, unsigned int port,
				  const char *unix_socket, unsigned long flags)
{
	MYSQL *ret = NULL;
	RUN_NONBLOCKING(conn,
			mysql_real_connect_start(&ret, conn->my, host, user, password, db, port,
						 unix_socket, flags),
			mysql_real_connect_cont(&ret, conn->my, status_), NULL);
	return ret;
}

MYSQL *rt__mdb_connect(rt_driver_conn *conn, const char *host, const char *user,
		       const char *password, const char *db, unsigned int port,
		       const char *unix_socket, unsigned long flags)
{
	if (!in_fiber(conn))
		return mysql_real_connect(conn->my, host, user, password, db, port, unix_socket,
					  flags);
	MYSQL *ret = NULL;
	conn->connecting = true;
	ret = connect_nonblocking(conn, host, user, password, db, port, unix_socket, flags);
	conn->connecting = false;
	return ret;
}

int rt__mdb_query(rt_driver_conn *conn, const char *sql, unsigned long length)
{
	if (conn->io_rc < 0)
		return 1;
	if (!in_fiber(conn))
		return mysql_real_query(conn->my, sql, length);
	int ret = 1;
	RUN_NONBLOCKING(conn, mysql_real_query_start(&ret, conn->my, sql, length),
			mysql_real_query_cont(&ret, conn->my, status_), 1);
	return ret;
}

MYSQL_RES *rt__mdb_store_result(rt_driver_conn *conn)
{
	if (conn->io_rc < 0)
		return NULL;
	if (!in_fiber(conn))
		return mysql_store_result(conn->my);
	MYSQL_RES *ret = NULL;
	RUN_NONBLOCKING(conn, mysql_store_result_start(&ret, conn->my),
			mysql_store_result_cont(&ret, conn->my, status_), NULL);
	return ret;
}

int rt__mdb_next_result(rt_driver_conn *conn)
{
	if (conn->io_rc < 0)
		return 1;
	if (!in_fiber(conn))
		return mysql_next_result(conn->my);
	int ret = 1;
	RUN_NONBLOCKING(conn, mysql_next_result_start(&ret, conn->my),
			mysql_next_result_cont(&ret, conn->my, status_), 1);
	return ret;
}

int rt__mdb_stmt_prepare(rt_driver_conn *conn, MYSQL_STMT *st, const char *sql,
			 unsigned long length)
{
	if (conn->io_rc < 0)
		return 1;
	if (!in_fiber(conn))
		return mysql_stmt_prepare(st, sql, length);
	int ret = 1;
	RUN_NONBLOCKING(conn, mysql_stmt_prepare_start(&ret, st, sql, length),
			mysql_stmt_prepare_cont(&ret, st, status_), 1);
	return ret;
}

int rt__mdb_stmt_execute(rt_driver_conn *conn, MYSQL_STMT *st)
{
	if (conn->io_rc < 0)
		return 1;
	if (!in_fiber(conn))
		return mysql_stmt_execute(st);
	int ret = 1;
	RUN_NONBLOCKING(conn, mysql_stmt_execute_start(&ret, st),
			mysql_stmt_execute_cont(&ret, st, status_), 1);
	return ret;
}

int rt__mdb_stmt_store_result(rt_driver_conn *conn, MYSQL_STMT *st)
{
	if (conn->io_rc < 0)
		return 1;
	if (!in_fiber(conn))
		return mysql_stmt_store_result(st);
	int ret = 1;
	RUN_NONBLOCKING(conn, mysql_stmt_store_result_start(&ret, st),
			mysql_stmt_store_result_cont(&ret, st, status_), 1);
	return ret;
}

int rt__mdb_stmt_fetch(rt_driver_conn *conn, MYSQL_STMT *st)
{
	if (conn->io_rc < 0)
		return 1;
	if (!in_fiber(conn))
		return mysql_stmt_fetch(st);
	int ret = 1;
	RUN_NONBLOCKING(conn, mysql_stmt_fetch_start(&ret, st),
			mysql_stmt_fetch_cont(&ret, st, status_), 1);
	return ret;
}

my_bool rt__mdb_stmt_free_result(rt_driver_conn *conn, MYSQL_STMT *st)
{
	if (conn->io_rc < 0 || !in_fiber(conn))
		return mysql_stmt_free_result(st);
	my_bool ret = 1;
	RUN_NONBLOCKING(conn, mysql_stmt_free_result_start(&ret, st),
			mysql_stmt_free_result_cont(&ret, st, status_), 1);
	return ret;
}

my_bool rt__mdb_stmt_reset(rt_driver_conn *conn, MYSQL_STMT *st)
{
	if (conn->io_rc < 0 || !in_fiber(conn))
		return mysql_stmt_reset(st);
	my_bool ret = 1;
	RUN_NONBLOCKING(conn, mysql_stmt_reset_start(&ret, st),
			mysql_stmt_reset_cont(&ret, st, status_), 1);
	return ret;
}

my_bool rt__mdb_stmt_close(rt_driver_conn *conn, MYSQL_STMT *st)
{
	/* On a connection cut short the blocking form fails at once (its
	 * socket is shut down) and frees the statement. */
	if (conn->io_rc < 0 || !in_fiber(conn))
		return mysql_stmt_close(st);
	my_bool ret = 1;
	RUN_NONBLOCKING(conn, mysql_stmt_close_start(&ret, st),
			mysql_stmt_close_cont(&ret, st, status_), 1);
	return ret;
}
