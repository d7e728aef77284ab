/*
 * pg_models.h - what the tests of tests/postgres/ that have models of
 * their own (<test>.rt beside the test) share: a fresh database made from
 * those models, and the text of one row read with raw SQL. Include after
 * test.h, retort.h and support/test_db.h.
 */
#ifndef RT_TESTS_POSTGRES_PG_MODELS_H
#define RT_TESTS_POSTGRES_PG_MODELS_H

/* The text of the one row sql gives, through a session of its own
 * ("NULL" for SQL NULL, "(none)" when there is no row or it fails). */
static const char *pg_first_text(rt_engine *engine, const char *sql, const rt_value_ref *params,
				 size_t count, char *buf, size_t size)
{
	rt_session *s = NULL;
	rt_rows *rows = NULL;
	snprintf(buf, size, "(none)");
	if (rt_session_open(&s, engine) == RT_OK &&
	    rt_session_sql(&rows, s, sql, params, count) == RT_OK &&
	    rt_rows_next(rows) == RT_ROW)
		snprintf(buf, size, "%s", rt_rows_text(rows, 0) ? rt_rows_text(rows, 0) : "NULL");
	rt_rows_free(rows);
	rt_session_close(s);
	return buf;
}

/* An empty database with the tables of tests/postgres/<file>. */
static int pg_fresh_tables(rt_engine *engine, const char *file)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/postgres/%s", source ? source : ".", file);
	rt_schema *schema = NULL;
	rt_conn *conn = NULL;
	int rc = rt_schema_parse_file(&schema, path, NULL);
	if (rc != RT_OK)
		fprintf(stderr, "cannot parse %s: %s\n", path, rt_error_last()->message);
	if (rc == RT_OK)
		rc = rt_conn_open(&conn, engine);
	if (rc == RT_OK)
		rc = test_db_fresh(engine, &conn);
	if (rc == RT_OK)
		rc = rt_schema_create_all(conn, schema);
	if (rc != RT_OK)
		fprintf(stderr, "cannot create the tables: %s\n", rt_error_last()->message);
	rt_conn_close(conn);
	rt_schema_free(schema);
	return rc;
}

#endif
