/*
 * test_schemas.c - the ORM on models whose tables are in PostgreSQL
 * schema billing (test_schemas.rt): objects are inserted, read, queried,
 * related (one-to-many across schemas, many-to-many through a table in
 * billing) and deleted, every statement naming "billing"."<table>".
 */
#include "test.h"

#include "retort.h"
#include "support/test_db.h"
#include "pg_models.h"
#include "test_schemas_models.h"

static rt_engine *engine;

/* The text of the one row sql gives. */
static const char *first_text(const char *sql, char *buf, size_t size)
{
	return pg_first_text(engine, sql, NULL, 0, buf, size);
}

/* A fresh database: schema billing, which dropping public leaves, dropped
 * with what is in it, then the models' tables (create_all makes the
 * schema again). */
static int fresh_tables(void)
{
	rt_conn *conn = NULL;
	int rc = rt_conn_open(&conn, engine);
	if (rc == RT_OK)
		rc = rt_conn_execute(conn, "DROP SCHEMA IF EXISTS billing CASCADE");
	rt_conn_close(conn);
	return rc == RT_OK ? pg_fresh_tables(engine, "test_schemas.rt") : rc;
}

static void test_insert_and_read(void)
{
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	User *u = NULL;
	Account *a = NULL;
	Tag *t = NULL;
	CHECK_OK(User_new(&u, s));
	CHECK_OK(Account_new(&a, s));
	CHECK_OK(Tag_new(&t, s));
	if (!u || !a || !t) {
		rt_session_close(s);
		return;
	}
	CHECK_OK(User_set_name(u, "ada"));
	CHECK_OK(Account_set_code(a, "A-1"));
	CHECK_OK(Account_set_user(a, u));
	CHECK_OK(Tag_set_label(t, "gold"));
	CHECK_OK(Account_add_tags(a, t));
	CHECK_OK(rt_session_commit(s));
	CHECK(a->id > 0 && a->user_id == u->id);
	int64_t account_id = a->id, user_id = u->id;
	rt_session_close(s);

	char buf[64];
	CHECK_STR(first_text("SELECT code FROM billing.accounts", buf, sizeof(buf)), "A-1");
	CHECK_STR(first_text("SELECT count(*)::text FROM billing.account_tags", buf, sizeof(buf)),
		  "1");

	CHECK_OK(rt_session_open(&s, engine));
	Account *read = NULL;
	CHECK_OK(Account_get(&read, s, account_id));
	CHECK(read && strcmp(read->code, "A-1") == 0);
	if (read) {
		CHECK_OK(Account_load_user(read));
		CHECK(read->user && read->user->id == user_id);
		CHECK_OK(Account_load_tags(read));
		CHECK_INT((int)read->tags.count, 1);
		if (read->tags.count)
			CHECK_STR(((Tag *)read->tags.items[0])->label, "gold");
	}
	User *owner = NULL;
	CHECK_OK(User_get(&owner, s, user_id));
	if (owner) {
		CHECK_OK(User_load_accounts(owner));
		CHECK_INT((int)owner->accounts.count, 1);
	}
	rt_query *q = NULL;
	CHECK_OK(Account_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Account_c.code, "A-1")));
	int64_t count = -1;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT((int)count, 1);
	rt_query_free(q);
	rt_session_close(s);
}

static void test_update_and_delete(void)
{
	rt_session *s = NULL;
	CHECK_OK(rt_session_open(&s, engine));
	rt_query *q = NULL;
	Account *a = NULL;
	CHECK_OK(Account_query(&q, s));
	CHECK_OK(rt_query_first(q, (void **)&a));
	rt_query_free(q);
	CHECK(a != NULL);
	if (!a) {
		rt_session_close(s);
		return;
	}
	CHECK_OK(Account_set_code(a, "A-2"));
	CHECK_OK(rt_session_commit(s));
	char buf[64];
	CHECK_STR(first_text("SELECT code FROM billing.accounts", buf, sizeof(buf)), "A-2");
	CHECK_OK(Account_delete(a));
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(first_text("SELECT count(*)::text FROM billing.accounts", buf, sizeof(buf)),
		  "0");
	CHECK_STR(first_text("SELECT count(*)::text FROM billing.account_tags", buf, sizeof(buf)),
		  "0");
	rt_session_close(s);
}

int main(void)
{
	if (rt_engine_open(&engine, rt_test_url(), NULL) != RT_OK) {
		fprintf(stderr, "cannot open %s: %s\n", rt_test_url(), rt_error_last()->message);
		return 1;
	}
	if (fresh_tables() != RT_OK)
		return 1;
	RT_RUN(test_insert_and_read);
	RT_RUN(test_update_and_delete);
	rt_engine_free(engine);
	return rt_test_done();
}
