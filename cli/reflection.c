/*
 * reflection.c - reads a database's schema on a thread of its own, so that
 * `check` and `revision --autogenerate` parse the scripts and the models
 * while the database answers.
 *
 * Why: on a big database the two halves of those commands take about as
 * long as each other and need nothing from each other. Reading the
 * catalogue is mostly the server's time (PostgreSQL, MariaDB) or a second
 * core's (SQLite); parsing a 4.5 MB script is this process's. Done one
 * after the other, `check` of 10,000 tables took their sum.
 *
 * The rules:
 *   - Between start and finish the connection is the thread's: the caller
 *     runs nothing on it (it parses files, which needs no database).
 *   - finish is called exactly once for each start, on every path, errors
 *     included: it joins the thread (if wait has not), and hands over the
 *     schema (the caller frees it) or the thread's error as the caller's
 *     own. wait only joins: the connection is the caller's again.
 *   - The thread touches nothing else: not the command's arena or output,
 *     and its error record is its own (error.c keeps one per thread).
 */
#include <pthread.h>
#include <stdlib.h>

#include "base/error.h"
#include "engine/engine.h"
#include "migrations.h"

static void *reflect_main(void *arg)
{
	cli_reflection *r = arg;
	rt_error_state *caller = rt__error_state_swap(r->errors);
	r->rc = rt__conn_reflect(&r->schema, r->conn, r->schemas, r->schema_count);
	rt__error_state_swap(caller);
	return NULL;
}

int cli_reflection_start(cli_reflection *r, rt_conn *conn, const char *const *schemas,
			 size_t schema_count)
{
	*r = (cli_reflection){.conn = conn, .schemas = schemas, .schema_count = schema_count};
	if (!(r->errors = rt__error_state_new()))
		return rt__error_nomem();
	if (pthread_create(&r->thread, NULL, reflect_main, r) != 0) {
		/* No thread: the same work, here and now. */
		r->rc = rt__conn_reflect(&r->schema, conn, schemas, schema_count);
		rt__error_state_free(r->errors);
		r->errors = NULL;
		r->finished = true;
		return RT_OK;
	}
	r->started = true;
	return RT_OK;
}

void cli_reflection_wait(cli_reflection *r)
{
	if (!r->started)
		return;
	pthread_join(r->thread, NULL);
	r->started = false;
	r->finished = true;
}

int cli_reflection_finish(cli_reflection *r, rt_schema **out)
{
	*out = NULL;
	cli_reflection_wait(r);
	if (!r->finished)
		return rt__error_set(RT_EINVAL, "no reflection was started");
	if (r->rc != RT_OK && r->errors)
		rt__error_state_copy_to_current(r->errors);
	rt__error_state_free(r->errors);
	r->errors = NULL;
	r->finished = false;
	*out = r->schema;
	r->schema = NULL;
	return r->rc;
}
