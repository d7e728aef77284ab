/*
 * test_inherit_joined.c - joined-table inheritance on every backend (Party,
 * Person, Company and Client of tests/orm/models.rt, the subclasses each
 * with a table of its own): an insert writes the root's row then each
 * table's with the generated key; a query of the root gives each row as
 * its own model's object; a subclass query filters on its own columns;
 * updates write only the tables that changed (and the root's version);
 * deletes remove every table's row; a rollback restores both tables and
 * the objects and a stale delete; one object per row; relationships to
 * the tree; a single-table sibling; what a joined tree refuses.
 */
#include "session_test.h"

static rt_engine *engine;

/* The ids the seed's rows got. */
static int64_t party_id, person_id, company_id, client_id;

static void seed(void)
{
	rt_session *s = open_session(engine);
	Party *pa = NULL;
	Person *pe = NULL;
	Company *co = NULL;
	Client *cl = NULL;
	CHECK_OK(Party_new(&pa, s));
	CHECK_OK(Party_set_name(pa, "plain"));
	CHECK_OK(Person_new(&pe, s));
	CHECK_OK(Person_set_name(pe, "pat"));
	CHECK_OK(Person_set_email(pe, "pat@x"));
	CHECK_OK(Company_new(&co, s));
	CHECK_OK(Company_set_name(co, "acme"));
	CHECK_OK(Company_set_vat(co, "EU1"));
	CHECK_OK(Client_new(&cl, s));
	CHECK_OK(Client_set_name(cl, "bigco"));
	CHECK_OK(Client_set_vat(cl, "EU2"));
	cl->tier = 3;
	/* A new object holds its identity and defaults already. */
	CHECK_STR(pe->base.kind, "person");
	CHECK_STR(cl->base.base.kind, "client");
	CHECK_INT(cl->tier, 3);
	CHECK_OK(rt_session_commit(s));
	party_id = pa->id;
	person_id = pe->base.id;
	company_id = co->base.id;
	client_id = cl->base.base.id;
	rt_session_close(s);
}

static void clear(void)
{
	db_exec(engine, "DELETE FROM contracts");
	db_exec(engine, "DELETE FROM clients");
	db_exec(engine, "DELETE FROM companies");
	db_exec(engine, "DELETE FROM people");
	db_exec(engine, "DELETE FROM parties");
}

static long long count_where(const char *table, int64_t id)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE id = %lld", table,
		 (long long)id);
	return db_int(engine, sql);
}

static const char *text_of(const char *select, int64_t id, char *out, size_t size)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "%s WHERE id = %lld", select, (long long)id);
	return db_text(engine, sql, out, size);
}

static long long int_of(const char *select, int64_t id)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "%s WHERE id = %lld", select, (long long)id);
	return db_int(engine, sql);
}

/* The rows of q in the order of id; q is freed. */
static rt_list all_by_id(rt_query *q, rt_column_ref id)
{
	rt_list list = {0};
	CHECK_OK(rt_query_order_by(q, id, false));
	CHECK_OK(rt_query_all(q, &list));
	rt_query_free(q);
	return list;
}

/* Whether list holds count objects, of models[0], models[1], ... */
static bool models_are(const rt_list *list, const rt_model_desc *const *models, size_t count)
{
	CHECK_INT((long long)list->count, (long long)count);
	for (size_t i = 0; i < count && list->count == count; i++)
		CHECK(rt_object_model(list->items[i]) == models[i]);
	return list->count == count;
}

/* The root's row first, with the generated key, then each table's. */
static void test_insert_writes_every_table(void)
{
	seed();
	char text[64];
	CHECK(party_id > 0 && person_id > 0 && company_id > 0 && client_id > 0);
	CHECK(person_id != party_id && client_id != company_id);
	CHECK_STR(text_of("SELECT kind FROM parties", party_id, text, sizeof(text)), "party");
	CHECK_STR(text_of("SELECT kind FROM parties", person_id, text, sizeof(text)), "person");
	CHECK_STR(text_of("SELECT kind FROM parties", client_id, text, sizeof(text)), "client");
	CHECK_STR(text_of("SELECT name FROM parties", client_id, text, sizeof(text)), "bigco");
	CHECK_STR(text_of("SELECT email FROM people", person_id, text, sizeof(text)), "pat@x");
	CHECK_STR(text_of("SELECT vat FROM companies", company_id, text, sizeof(text)), "EU1");
	CHECK_STR(text_of("SELECT vat FROM companies", client_id, text, sizeof(text)), "EU2");
	CHECK_INT(int_of("SELECT tier FROM clients", client_id), 3);
	CHECK_INT(int_of("SELECT revision FROM parties", client_id), 1);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM parties"), 4);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM people"), 1);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM companies"), 2);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM clients"), 1);
	clear();
}

/* A query of the root: every row as its own model's object, each with
 * its own table's columns; the same row is the same object. */
static void test_polymorphic_query(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Party_query(&q, s));
	rt_list list = all_by_id(q, Party_c.id.ref);
	const rt_model_desc *const tree[] = {&Party_model, &Person_model, &Company_model,
					     &Client_model};
	if (models_are(&list, tree, 4)) {
		Person *pe = list.items[1];
		CHECK_STR(pe->email, "pat@x");
		Company *co = list.items[2];
		CHECK_STR(co->vat, "EU1");
		Client *cl = list.items[3];
		CHECK_STR(cl->base.vat, "EU2");
		CHECK_INT(cl->tier, 3);
		CHECK_STR(cl->base.base.name, "bigco");
		CHECK(rt_object_is_a(cl, &Company_model));
		CHECK(!rt_object_is_a(pe, &Company_model));
		/* One object per row, whichever model finds it. */
		Client *again = NULL;
		CHECK_OK(Client_get(&again, s, client_id));
		CHECK(again == cl);
		Party *by_root = NULL;
		CHECK_OK(Party_get(&by_root, s, client_id));
		CHECK(by_root == &cl->base.base);
		CHECK_OK(Company_query(&q, s));
		rt_list companies = all_by_id(q, Company_c.id.ref);
		if (models_are(&companies, tree + 2, 2)) {
			CHECK(companies.items[0] == (void *)co);
			CHECK(companies.items[1] == (void *)cl);
		}
	}
	rt_session_close(s);
	clear();
}

/* A subclass query reads its rows only, filtered on its own columns. */
static void test_subclass_query(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Company_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Company_c.vat, "EU2")));
	Company *co = NULL;
	CHECK_OK(rt_query_one(q, &co));
	rt_query_free(q);
	CHECK(co && rt_object_model(co) == &Client_model);
	CHECK(co && co->base.id == client_id);
	/* A filter on the root's column and one on the subclass's. */
	CHECK_OK(Client_query(&q, s));
	CHECK_OK(rt_query_filter(q, rt_ge(q, Client_c.tier, 2)));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Client_c.name, "bigco")));
	int64_t count = 0;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 1);
	rt_query_free(q);
	CHECK_OK(Person_query(&q, s));
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 1);
	rt_query_free(q);
	/* Get by a key whose row is another model's: not found. */
	Person *pe = NULL;
	CHECK(Person_get(&pe, s, company_id) == RT_ENOTFOUND);
	CHECK(pe == NULL);
	rt_session_close(s);
	clear();
}

/* Updates write the tables whose columns changed; the root's version
 * counts every change. */
static void test_update(void)
{
	seed();
	rt_session *s = open_session(engine);
	Person *pe = NULL;
	CHECK_OK(Person_get(&pe, s, person_id));
	Client *cl = NULL;
	CHECK_OK(Client_get(&cl, s, client_id));
	if (!pe || !cl) {
		rt_session_close(s);
		clear();
		return;
	}
	CHECK_OK(Person_set_email(pe, "pat@y")); /* people only */
	CHECK_OK(Client_set_name(cl, "biggerco")); /* parties */
	cl->tier = 5;                              /* clients */
	CHECK_OK(rt_session_commit(s));
	char text[64];
	CHECK_STR(text_of("SELECT email FROM people", person_id, text, sizeof(text)), "pat@y");
	CHECK_INT(int_of("SELECT revision FROM parties", person_id), 2);
	CHECK_INT(pe->base.revision, 2);
	CHECK_STR(text_of("SELECT name FROM parties", client_id, text, sizeof(text)), "biggerco");
	CHECK_INT(int_of("SELECT tier FROM clients", client_id), 5);
	CHECK_STR(text_of("SELECT vat FROM companies", client_id, text, sizeof(text)), "EU2");
	CHECK_INT(int_of("SELECT revision FROM parties", client_id), 2);
	/* Someone else changed the row: the subclass's change is stale. */
	char sql[96];
	snprintf(sql, sizeof(sql), "UPDATE parties SET revision = 9 WHERE id = %lld",
		 (long long)person_id);
	db_exec(engine, sql);
	CHECK_OK(Person_set_email(pe, "pat@z"));
	CHECK_INT(rt_session_commit(s), RT_ESTALE);
	CHECK_OK(rt_session_rollback(s));
	CHECK_STR(text_of("SELECT email FROM people", person_id, text, sizeof(text)), "pat@y");
	rt_session_close(s);
	clear();
}

/* A delete removes the row of every table; the session forgets it. */
static void test_delete(void)
{
	seed();
	rt_session *s = open_session(engine);
	Client *cl = NULL;
	CHECK_OK(Client_get(&cl, s, client_id));
	Person *pe = NULL;
	CHECK_OK(Person_get(&pe, s, person_id));
	if (cl)
		CHECK_OK(Client_delete(cl));
	if (pe)
		CHECK_OK(Person_delete(pe));
	CHECK_OK(rt_session_commit(s));
	CHECK_INT(count_where("parties", client_id), 0);
	CHECK_INT(count_where("companies", client_id), 0);
	CHECK_INT(count_where("clients", client_id), 0);
	CHECK_INT(count_where("parties", person_id), 0);
	CHECK_INT(count_where("people", person_id), 0);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM parties"), 2);
	Party *gone = NULL;
	CHECK(Party_get(&gone, s, client_id) == RT_ENOTFOUND);
	/* Someone else changed the row: the delete is stale, checked on the
	 * root's row after the subclass's went, and the rollback brings that
	 * back. */
	Company *co = NULL;
	CHECK_OK(Company_get(&co, s, company_id));
	CHECK_OK(rt_session_commit(s)); /* ends the read transaction */
	char sql[96];
	snprintf(sql, sizeof(sql), "UPDATE parties SET revision = 9 WHERE id = %lld",
		 (long long)company_id);
	db_exec(engine, sql);
	if (co)
		CHECK_OK(Company_delete(co));
	CHECK_INT(rt_session_commit(s), RT_ESTALE);
	CHECK_OK(rt_session_rollback(s));
	CHECK_INT(count_where("companies", company_id), 1);
	CHECK_INT(count_where("parties", company_id), 1);
	rt_session_close(s);
	clear();
}

/* A rollback undoes the writes in every table and in the objects. */
static void test_rollback(void)
{
	seed();
	rt_session *s = open_session(engine);
	Client *cl = NULL;
	CHECK_OK(Client_get(&cl, s, client_id));
	Company *co = NULL;
	CHECK_OK(Company_get(&co, s, company_id));
	if (!cl || !co) {
		rt_session_close(s);
		clear();
		return;
	}
	CHECK_OK(Client_set_name(cl, "changed"));
	CHECK_OK(Client_set_vat(cl, "XX"));
	cl->tier = 7;
	CHECK_OK(Company_delete(co));
	Person *n = NULL;
	CHECK_OK(Person_new(&n, s));
	CHECK_OK(Person_set_name(n, "new"));
	CHECK_OK(rt_session_flush(s)); /* written, not committed */
	int64_t new_id = n->base.id;
	CHECK(new_id > 0);
	CHECK_OK(rt_session_rollback(s));
	char text[64];
	CHECK_STR(cl->base.base.name, "bigco");
	CHECK_STR(cl->base.vat, "EU2");
	CHECK_INT(cl->tier, 3);
	CHECK_INT(cl->base.base.revision, 1);
	CHECK_STR(text_of("SELECT name FROM parties", client_id, text, sizeof(text)), "bigco");
	CHECK_STR(text_of("SELECT vat FROM companies", client_id, text, sizeof(text)), "EU2");
	CHECK_INT(int_of("SELECT tier FROM clients", client_id), 3);
	CHECK_INT(count_where("companies", company_id), 1);
	CHECK_INT(count_where("parties", company_id), 1);
	CHECK_INT(count_where("parties", new_id), 0);
	CHECK_INT(count_where("people", new_id), 0);
	/* The deleted company is the session's again, the same object. */
	Company *back = NULL;
	CHECK_OK(Company_get(&back, s, company_id));
	CHECK(back == co);
	rt_session_close(s);
	clear();
}

/* Keyset pages read through the joined tables, a page's last row of any
 * model of the tree; load-only refuses an inheritance tree (the row's
 * model comes from columns it would leave out). */
static void test_keyset_load_only(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Party_query(&q, s));
	CHECK_OK(rt_query_order_by(q, Party_c.id.ref, false));
	CHECK_OK(rt_query_limit(q, 2));
	rt_list page = {0};
	CHECK_OK(rt_query_all(q, &page));
	CHECK_INT((long long)page.count, 2);
	if (page.count == 2) {
		CHECK(rt_object_model(page.items[1]) == &Person_model);
		CHECK_OK(rt_query_after_object(q, page.items[1]));
	}
	rt_list next = {0};
	CHECK_OK(rt_query_all(q, &next));
	rt_query_free(q);
	const rt_model_desc *const companies[] = {&Company_model, &Client_model};
	models_are(&next, companies, 2);
	CHECK_OK(Company_query(&q, s));
	rt_column_ref only[] = {Company_c.vat.ref};
	CHECK_INT(rt_query_load_only(q, only, 1), RT_EINVAL);
	CHECK(message_has("inheritance"));
	rt_query_free(q);
	rt_session_close(s);
	clear();
}

/* A row referencing the root, linked to an object of a joined subclass:
 * written after it in one flush; a join and the relationship loads read
 * through the joined tables, giving the row's own model. */
static void test_relationship(void)
{
	rt_session *s = open_session(engine);
	Client *cl = NULL;
	CHECK_OK(Client_new(&cl, s));
	CHECK_OK(Client_set_name(cl, "linked"));
	CHECK_OK(Client_set_vat(cl, "EU9"));
	cl->tier = 4;
	Contract *ct = NULL;
	CHECK_OK(Contract_new(&ct, s));
	CHECK_OK(Contract_set_title(ct, "deal"));
	CHECK_OK(Contract_set_party(ct, &cl->base.base));
	/* Many rows of a subclass in one flush: each table's rows batched. */
	for (int i = 0; i < 120; i++) {
		Person *pe = NULL;
		CHECK_OK(Person_new(&pe, s));
		CHECK_OK(Person_set_name(pe, "many"));
	}
	CHECK_OK(rt_session_commit(s));
	int64_t client = cl->base.base.id, contract = ct->id;
	CHECK(client > 0 && ct->party_id == client);
	rt_session_close(s);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM people"), 120);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM parties WHERE kind = 'person'"), 120);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM people JOIN parties "
				 "ON parties.id = people.id WHERE parties.name = 'many'"), 120);

	s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Contract_query(&q, s));
	CHECK_OK(rt_query_join(q, &Contract_model, "party"));
	CHECK_OK(rt_query_filter(q, rt_eq(q, Party_c.name, "linked")));
	int64_t count = 0;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 1);
	rt_query_free(q);
	ct = NULL;
	CHECK_OK(Contract_get(&ct, s, contract));
	if (ct) {
		CHECK_OK(Contract_load_party(ct));
		CHECK(ct->party && rt_object_model(ct->party) == &Client_model);
		if (ct->party) {
			Client *loaded = (Client *)ct->party;
			CHECK_INT(loaded->tier, 4);
			CHECK_STR(loaded->base.vat, "EU9");
			Client *again = NULL;
			CHECK_OK(Client_get(&again, s, client));
			CHECK(again == loaded);
			/* The root's relationship, on the subclass's object. */
			CHECK_OK(Party_load_contracts(&loaded->base.base));
			CHECK_INT((long long)loaded->base.base.contracts.count, 1);
		}
	}
	rt_session_close(s);
	clear();
}

/* A single-table subclass beside the joined ones: its row is the root
 * table's alone, and a polymorphic query reads it as its own model. */
static void test_single_table_beside(void)
{
	seed();
	rt_session *s = open_session(engine);
	Agent *ag = NULL;
	CHECK_OK(Agent_new(&ag, s));
	CHECK_OK(Agent_set_name(ag, "007"));
	CHECK_OK(Agent_set_region(ag, "north"));
	CHECK_OK(rt_session_commit(s));
	int64_t agent = ag->base.id;
	rt_session_close(s);
	char text[64];
	CHECK_STR(text_of("SELECT region FROM parties", agent, text, sizeof(text)), "north");
	CHECK_STR(text_of("SELECT kind FROM parties", agent, text, sizeof(text)), "agent");
	s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Party_query(&q, s));
	rt_list list = all_by_id(q, Party_c.id.ref);
	const rt_model_desc *const tree[] = {&Party_model, &Person_model, &Company_model,
					     &Client_model, &Agent_model};
	if (models_are(&list, tree, 5)) {
		CHECK_STR(((Agent *)list.items[4])->region, "north");
		CHECK_STR(((Person *)list.items[1])->email, "pat@x");
	}
	CHECK_OK(Company_query(&q, s));
	int64_t count = 0;
	CHECK_OK(rt_query_count(q, &count));
	CHECK_INT(count, 2);
	rt_query_free(q);
	rt_session_close(s);
	clear();
}

/* Set-based writes, upserts and row locks refuse a joined tree by name. */
static void test_refusals(void)
{
	seed();
	rt_session *s = open_session(engine);
	rt_query *q = NULL;
	CHECK_OK(Person_query(&q, s));
	CHECK_INT(rt_query_delete(q, NULL), RT_EINVAL);
	CHECK(message_has("joined-table"));
	CHECK(message_has("Person"));
	rt_query_free(q);
	CHECK_OK(Party_query(&q, s));
	rt_assignment set[] = {rt_set(Party_c.name, "x")};
	CHECK_INT(rt_query_update(q, NULL, set, 1), RT_EINVAL);
	rt_query_free(q);
	CHECK_OK(Client_query(&q, s));
	CHECK_INT(rt_query_lock(q, RT_ROW_LOCK_UPDATE, 0), RT_EINVAL);
	CHECK(message_has("rt_query_lock"));
	rt_query_free(q);
	Person *pe = NULL;
	CHECK_OK(Person_new(&pe, s));
	CHECK_OK(Person_set_name(pe, "up"));
	rt_upsert_options o = RT_UPSERT_OPTIONS_INIT;
	CHECK_INT(rt_session_upsert(NULL, s, (void *const *)&pe, 1, &o), RT_EINVAL);
	CHECK(message_has("upsert"));
	rt_session_close(s);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM parties"), 4);
	clear();
}

int main(void)
{
	engine = orm_test_engine();
	RT_RUN(test_insert_writes_every_table);
	RT_RUN(test_polymorphic_query);
	RT_RUN(test_subclass_query);
	RT_RUN(test_update);
	RT_RUN(test_delete);
	RT_RUN(test_rollback);
	RT_RUN(test_keyset_load_only);
	RT_RUN(test_relationship);
	RT_RUN(test_single_table_beside);
	RT_RUN(test_refusals);
	rt_engine_free(engine);
	return rt_test_done();
}
