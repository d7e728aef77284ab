/*
 * mariadb_lock.c - which migration lock a MariaDB/MySQL server gets
 * (dialect.h: lock_method_for, named_lock_*).
 *
 * On a single server the lock is GET_LOCK: it belongs to the session, so
 * it holds across the commit each DDL statement makes by itself, and it
 * goes when the session ends, so a run that was killed leaves none. On a
 * Galera cluster node GET_LOCK is local to that node: two runs on two
 * nodes would both hold "the" lock. There the lock is the committed lease
 * row (RT_LOCK_LEASE_TABLE), which the cluster replicates like any row.
 */
#include <string.h>

#include "base/error.h"
#include "dialect/mariadb.h"

/* wsrep_on is ON on a Galera node; a server without Galera says OFF, and
 * MySQL has no such variable (no row): both are single servers. */
#define WSREP_QUERY "SHOW VARIABLES LIKE 'wsrep\\_on'"

rt_lock_method rt__mariadb_lock_method_of(const char *wsrep_on)
{
	if (wsrep_on && (strcmp(wsrep_on, "ON") == 0 || strcmp(wsrep_on, "1") == 0))
		return RT_LOCK_LEASE_TABLE;
	return RT_LOCK_NAMED;
}

int rt__mariadb_lock_method_for(rt_lock_method *out, const rt_dialect *dialect,
				rt_driver_conn *conn)
{
	*out = RT_LOCK_NAMED;
	rt_driver_stmt *stmt = NULL;
	int rc = dialect->prepare(&stmt, conn, WSREP_QUERY);
	if (rc < 0)
		return rt__error_wrap("reading wsrep_on");
	char value[8] = "";
	bool row = false;
	if ((rc = dialect->step(stmt)) == RT_ROW) {
		rt_value v;
		row = true;
		if ((rc = dialect->column_value(stmt, 1, &v)) == RT_OK && v.type == RT_VALUE_TEXT) {
			size_t n = v.len < sizeof(value) - 1 ? v.len : sizeof(value) - 1;
			memcpy(value, v.s, n);
			value[n] = '\0';
		}
	}
	dialect->finalize(stmt);
	if (rc < 0)
		return rt__error_wrap("reading wsrep_on");
	*out = rt__mariadb_lock_method_of(row ? value : NULL);
	return RT_OK;
}
