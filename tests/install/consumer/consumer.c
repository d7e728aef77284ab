/*
 * consumer.c - a program using an installed retort the way a user's would:
 * only <retort.h>, linked through find_package or pkg-config. It opens an
 * in-memory SQLite database, runs one query with a bound value, and prints
 * the library's version.
 */
#include <retort.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
	rt_engine *engine = NULL;
	rt_conn *conn = NULL;
	rt_stmt *stmt = NULL;
	int rc;

	if ((rc = rt_engine_open(&engine, "sqlite://", NULL)) < 0 ||
	    (rc = rt_conn_open(&conn, engine)) < 0 ||
	    (rc = rt_stmt_prepare(&stmt, conn, "SELECT 1 + ?")) < 0 ||
	    (rc = rt_stmt_bind_int64(stmt, 1, 41)) < 0)
		goto out;
	if ((rc = rt_stmt_step(stmt)) == RT_ROW)
		printf("SELECT 1 + 41 = %lld\n", (long long)rt_stmt_column_int64(stmt, 0));
	else if (rc >= 0)
		fprintf(stderr, "no row\n");
	printf("retort %s\n", rt_version());
	/* The header and the library must come from the same release. */
	if (strcmp(rt_version(), RT_VERSION_STRING) != 0) {
		fprintf(stderr, "header %s, library %s\n", RT_VERSION_STRING, rt_version());
		rc = RT_ERROR;
	}
out:
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", rt_error_code_name(rc), rt_error_last()->message);
	rt_stmt_finalize(stmt);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rc == RT_ROW ? 0 : 1;
}
