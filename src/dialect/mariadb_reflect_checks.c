/*
 * mariadb_reflect_checks.c - the CHECK constraints of a MariaDB database,
 * read by mariadb_reflect.c on a second connection, on a thread of its
 * own, while the first connection reads the rest.
 *
 * information_schema.CHECK_CONSTRAINTS and STATISTICS (an index's type
 * and order) both open every table of the database, handler and all;
 * nothing else says what they say (InnoDB's dictionary knows no checks
 * and no DESC key). Through the server's table cache, 400 tables by
 * default, each is a pass of about a second at 10,000 tables, spent in the
 * server by one thread. Read at the same time on two connections, the
 * two passes take the time of one on two cores (the `mariadb` client: 4.7
 * s one after the other, 2.8-3.2 s side by side, on a loaded machine).
 * Reading them in slices of tables small enough for the cache was
 * measured too and is slower: every query over information_schema lists
 * the database's directory, 20 ms at 10,000 tables.
 *
 * Where a second connection cannot be had (a connection in a fiber, one
 * made without parameters to repeat, a refused connect), the checks are
 * read on the first connection after the rest, as before. The two
 * connections read without a common snapshot: information_schema has
 * none on MariaDB anyway (each table is read as it is when opened).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/fiber.h"
#include "dialect/mariadb.h"

/* Every CHECK of the database, both levels, in one read: each read of
 * CHECK_CONSTRAINTS opens every table (over a second at 10,000 tables).
 * Not a subquery of the COLUMNS query: as one it crashes MariaDB 10.11's
 * server (signal 11 in get_all_tables). */
static const char CHECKS_SQL[] =
	"SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL"
	" FROM information_schema.CHECK_CONSTRAINTS"
	" WHERE CONSTRAINT_SCHEMA = DATABASE()"
	" ORDER BY TABLE_NAME, CONSTRAINT_NAME";

struct rt_mariadb_checks {
	const rt_dialect *d;
	rt_driver_conn *conn;   /* the first connection */
	const char *database;   /* its current database, for the second */
	rt_arena *arena;        /* the rows */
	rt_mariadb_check_row *rows;
	pthread_t thread;
	bool started;           /* the thread runs */
	int rc;                 /* the thread's: RT_OK, or read on conn */
};

/* CHECKS_SQL on conn, its rows into c->rows. */
static int read_rows(rt_mariadb_checks *c, rt_driver_conn *conn)
{
	const rt_dialect *d = c->d;
	rt_driver_stmt *stmt = NULL;
	rt_mariadb_check_row **tail = &c->rows;
	int rc = d->prepare(&stmt, conn, CHECKS_SQL);
	while (rc >= 0 && (rc = d->step(stmt)) == RT_ROW) {
		rt_value v[4];
		for (int i = 0; rc >= 0 && i < 4; i++)
			rc = d->column_value(stmt, i, &v[i]);
		if (rc < 0)
			break;
		rc = RT_OK;
		if (v[0].type != RT_VALUE_TEXT || v[1].type != RT_VALUE_TEXT ||
		    v[2].type != RT_VALUE_TEXT)
			continue;
		rt_mariadb_check_row *row = rt__arena_alloc(c->arena, sizeof(*row));
		if (!row || !(row->table = rt__arena_strdup(c->arena, v[0].s)) ||
		    !(row->name = rt__arena_strdup(c->arena, v[1].s)) ||
		    !(row->clause = rt__arena_strdup(c->arena, v[2].s))) {
			rc = rt__error_nomem();
			break;
		}
		row->column_level = v[3].type == RT_VALUE_TEXT && strcmp(v[3].s, "Column") == 0;
		row->next = NULL;
		*tail = row;
		tail = &row->next;
	}
	d->finalize(stmt);
	*tail = NULL;
	return rc < 0 ? rc : RT_OK;
}

/* The thread: a connection of its own, in the first one's database. */
static void *read_main(void *arg)
{
	rt_mariadb_checks *c = arg;
	rt_driver_conn *second = NULL;
	int rc = c->d->connect(&second, c->conn->params);
	if (rc == RT_OK) {
		rt_buf sql = RT_BUF_INIT;
		rt__buf_puts(&sql, "USE ");
		c->d->quote_ident(&sql, c->database);
		rc = rt__buf_failed(&sql) ? rt__error_nomem() : c->d->exec(second, rt__buf_cstr(&sql));
		rt__buf_free(&sql);
	}
	if (rc == RT_OK)
		rc = read_rows(c, second);
	c->d->disconnect(second);
	c->rc = rc;
	return NULL;
}

/* The first connection's current database, in c->arena; NULL when none. */
static const char *current_database(rt_mariadb_checks *c)
{
	rt_driver_stmt *stmt = NULL;
	const char *name = NULL;
	rt_value v;
	if (c->d->prepare(&stmt, c->conn, "SELECT DATABASE()") == RT_OK &&
	    c->d->step(stmt) == RT_ROW && c->d->column_value(stmt, 0, &v) >= 0 &&
	    v.type == RT_VALUE_TEXT)
		name = rt__arena_strdup(c->arena, v.s);
	c->d->finalize(stmt);
	return name;
}

int rt__mariadb_checks_start(rt_mariadb_checks **out, const rt_dialect *dialect,
			     rt_driver_conn *conn)
{
	*out = NULL;
	rt_mariadb_checks *c = calloc(1, sizeof(*c));
	if (!c || !(c->arena = rt__arena_new())) {
		free(c);
		return rt__error_nomem();
	}
	c->d = dialect;
	c->conn = conn;
	c->rc = RT_ERROR;
	/* Not in a fiber: its connection's calls yield to the event loop, and
	 * a thread of ours blocking beside it is not the loop's to wait for.
	 * (Every connection is made able to run in a fiber, so whether this
	 * one is in one is what counts, not conn->nonblocking.) */
	if (rt__fiber_current() == NULL && conn->params && (c->database = current_database(c)))
		c->started = pthread_create(&c->thread, NULL, read_main, c) == 0;
	*out = c;
	return RT_OK;
}

int rt__mariadb_checks_finish(rt_mariadb_checks *c, const rt_mariadb_check_row **rows)
{
	if (c->started) {
		pthread_join(c->thread, NULL);
		c->started = false;
	}
	if (c->rc == RT_OK)
		c->conn->checks_beside++;
	else {
		/* The thread could not read them: the first connection does. */
		rt__arena_free(c->arena);
		if (!(c->arena = rt__arena_new()))
			return rt__error_nomem();
		c->rows = NULL;
		if ((c->rc = read_rows(c, c->conn)) < 0)
			return c->rc;
	}
	*rows = c->rows;
	return RT_OK;
}

void rt__mariadb_checks_free(rt_mariadb_checks *c)
{
	if (!c)
		return;
	if (c->started)
		pthread_join(c->thread, NULL);
	rt__arena_free(c->arena);
	free(c);
}
