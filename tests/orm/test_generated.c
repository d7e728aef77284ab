/*
 * test_generated.c - char(n) and generated columns through the ORM (model
 * Invoice of tests/orm/models.rt: code char(3), total generated
 * 'net + tax' stored).
 *
 * The rules under test: the ORM never writes a generated column (an
 * INSERT and an UPDATE leave it out, whatever the program put in the
 * field) and reads it back after each, so the object shows what the
 * database computed; the generated code has no setter for it. A char(n)
 * value comes back as the database hands it: PostgreSQL pads it with
 * blanks to n characters, SQLite and MariaDB do not.
 */
#include "session_test.h"

static rt_engine *engine;

/* Fresh tables and an engine whose pool has no connection to the old ones. */
static void fresh_engine(void)
{
	rt_engine_free(engine);
	engine = orm_test_engine();
}

static const char *code_read_back(void)
{
	return orm_test_is_postgres() ? "ab " : "ab";
}

/* Inserted with a total of the program's own: the database's sum is
 * stored and read back into the object. */
static int64_t insert_one(void)
{
	rt_session *s = open_session(engine);
	Invoice *inv = NULL;
	CHECK_OK(Invoice_new(&inv, s));
	if (!inv)
		return 0;
	CHECK_OK(Invoice_set_code(inv, "ab"));
	CHECK_OK(Invoice_set_net(inv, "10.00"));
	CHECK_OK(Invoice_set_tax(inv, "2.50"));
	inv->total = "999.00"; /* not written: the database computes it */
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(inv->total, "12.50");
	int64_t id = inv->id;
	rt_session_close(s);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM invoices WHERE total = 12.5"), 1);
	return id;
}

static void test_insert_reads_generated_back(void)
{
	fresh_engine();
	insert_one();
}

/* An UPDATE of net changes total in the database: the object gets it. */
static void test_update_reads_generated_back(void)
{
	fresh_engine();
	int64_t id = insert_one();
	rt_session *s = open_session(engine);
	Invoice *inv = NULL;
	CHECK_OK(Invoice_get(&inv, s, id));
	if (!inv)
		return;
	CHECK_STR(inv->total, "12.50");
	CHECK_OK(Invoice_set_net(inv, "20.00"));
	CHECK_OK(rt_session_commit(s));
	CHECK_STR(inv->total, "22.50");
	/* A total the program changed alone is not written, and the update
	 * (of nothing) leaves the row as it is. */
	inv->total = "1.00";
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
	CHECK_INT(db_int(engine, "SELECT COUNT(*) FROM invoices WHERE total = 22.5"), 1);

	s = open_session(engine);
	inv = NULL;
	CHECK_OK(Invoice_get(&inv, s, id));
	if (inv)
		CHECK_STR(inv->total, "22.50");
	rt_session_close(s);
}

/* char(3) holding two characters: what the backend hands back. */
static void test_char_read_back(void)
{
	fresh_engine();
	int64_t id = insert_one();
	rt_session *s = open_session(engine);
	Invoice *inv = NULL;
	CHECK_OK(Invoice_get(&inv, s, id));
	if (inv)
		CHECK_STR(inv->code, code_read_back());
	/* Loaded, the object is unchanged: nothing to write. */
	CHECK_OK(rt_session_commit(s));
	rt_session_close(s);
}

/* The model's description says what the generated code does. */
static void test_description(void)
{
	const rt_column_desc *total = NULL;
	for (int i = 0; i < Invoice_model.column_count; i++)
		if (strcmp(Invoice_model.columns[i].name, "total") == 0)
			total = &Invoice_model.columns[i];
	CHECK(total && (total->flags & RT_COLUMN_GENERATED));
}

int main(void)
{
	RT_RUN(test_insert_reads_generated_back);
	RT_RUN(test_update_reads_generated_back);
	RT_RUN(test_char_read_back);
	RT_RUN(test_description);
	rt_engine_free(engine);
	return rt_test_done();
}
