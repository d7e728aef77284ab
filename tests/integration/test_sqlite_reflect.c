/*
 * test_sqlite_reflect.c - reflecting SQLite databases built by hand, with
 * everything hand-written DDL may hold: unnamed and named constraints,
 * AUTOINCREMENT, every identifier quoting, comments inside the DDL, CHECKs
 * with nested parentheses and strings holding commas and parentheses,
 * WITHOUT ROWID, multi-line text. SQLite only: on PostgreSQL it skips.
 */
#include <string.h>

#include "dialect/dialect.h"
#include "retort.h"
#include "schema/metadata.h"
#include "test.h"

static rt_engine *engine;
static rt_conn *conn;

static const char authors_sql[] =
	"CREATE TABLE \"Authors\" ( -- people who write, (with a comma\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  `full name` VARCHAR (100) NOT NULL COLLATE NOCASE,\n"
	"  [e-mail] TEXT UNIQUE,\n"
	"  born DATE,\n"
	"  rating REAL DEFAULT 0.5,\n"
	"  active BOOLEAN NOT NULL DEFAULT 1,\n"
	"  flag BOOLEAN DEFAULT FALSE,\n"
	"  kind VARCHAR(10) DEFAULT 'a,b(c)'\n"
	"       CHECK (kind IN ('a,b(c)', 'x)y', 'it''s')),\n"
	"  /* a block comment: CONSTRAINT fake UNIQUE (born), */\n"
	"  CONSTRAINT authors_name_key UNIQUE (\"full name\", born),\n"
	"  CHECK (rating >= 0 AND (rating <= 5 OR rating IS NULL)),\n"
	"  CONSTRAINT /* named */ \"rating range\" CHECK (length(\"full name\") > 0),\n"
	"  check(born > '1900-01-01')\n"
	")";

static const char books_sql[] =
	"create table if not exists main.books (\n"
	"  book_id integer not null,\n"
	"  edition INT NOT NULL DEFAULT (1),\n"
	"  author_id BIGINT CONSTRAINT fk_book_author REFERENCES \"Authors\" (id)\n"
	"    ON DELETE CASCADE ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED,\n"
	"  editor_id BIGINT REFERENCES authors ON DELETE SET NULL,\n"
	"  price NUMERIC(8, 2) DEFAULT -1,\n"
	"  isbn CHAR(13),\n"
	"  token CHAR(32),\n"
	"  stamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
	"  created DATETIME DEFAULT (datetime('now', 'localtime')),\n"
	"  payload JSON,\n"
	"  notes CLOB DEFAULT 'x''y',\n"
	"  cover BLOB,\n"
	"  weird SOMETHING_ELSE,\n"
	"  extra,\n"
	"  PRIMARY KEY (book_id, edition)\n"
	")";

static const char *const setup_sql[] = {
	authors_sql,
	books_sql,
	"CREATE TABLE editions (b INT NOT NULL, e INT NOT NULL, note TEXT,\n"
	"  CONSTRAINT fk_editions_book FOREIGN KEY (b, e) REFERENCES books (book_id, edition)\n"
	"    ON UPDATE CASCADE)",
	"CREATE TABLE tags (code INTEGER PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID",
	"CREATE TABLE orders (\n"
	"  id INTEGER CONSTRAINT \"orders_pkey\" PRIMARY KEY,\n"
	"  status VARCHAR(7) NOT NULL DEFAULT 'open',\n"
	"  kind VARCHAR(20) CONSTRAINT ck_orders_kind_enum CHECK (kind IN ('a', 'b')),\n"
	"  CONSTRAINT ck_orders_status_enum CHECK (\"status\" IN ('open', 'paid', 'shipped'))\n"
	")",
	"CREATE INDEX ix_books_isbn ON books (isbn)",
	"CREATE UNIQUE INDEX books_token_idx ON books (token, isbn)",
	"CREATE INDEX ix_books_lower ON books (lower(isbn))",
	"CREATE INDEX ix_books_partial ON books (price) WHERE price > 0",
	NULL};

static const rt_constraint *constraint_named(const rt_table *t, const char *name)
{
	const rt_constraint *c = rt__table_find_constraint(t, name);
	if (!c)
		fprintf(stderr, "no constraint %s on %s\n", name, t->name);
	CHECK(c != NULL);
	return c;
}

static const rt_column *column_named(const rt_table *t, const char *name)
{
	const rt_column *c = rt__table_find_column(t, name);
	if (!c)
		fprintf(stderr, "no column %s on %s\n", name, t->name);
	CHECK(c != NULL);
	return c;
}

static void check_default(const rt_column *c, rt_literal_kind kind, const char *text)
{
	if (!c)
		return;
	CHECK_INT(c->server_default.kind, kind);
	if (text)
		CHECK_STR(c->server_default.text, text);
}

static void check_authors(const rt_schema *s)
{
	const rt_table *t = rt__schema_find_table(s, "Authors");
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(t->model == NULL);
	CHECK_INT(t->column_count, 8);
	const rt_column *id = column_named(t, "id");
	CHECK_INT(id->type.kind, RT_TYPE_BIGINT);
	CHECK(id->autoincrement);
	CHECK(!id->nullable);
	CHECK(t->primary_key && t->primary_key->column_count == 1);
	CHECK_STR(t->primary_key->name, "pk_Authors");

	const rt_column *name = column_named(t, "full name");
	CHECK_INT(name->type.kind, RT_TYPE_STRING);
	CHECK_INT(name->type.length, 100);
	CHECK(!name->nullable);
	CHECK_STR(name->field, "full name");
	CHECK_INT(column_named(t, "e-mail")->type.kind, RT_TYPE_TEXT);
	CHECK(column_named(t, "e-mail")->nullable);
	CHECK_INT(column_named(t, "born")->type.kind, RT_TYPE_DATE);
	CHECK_INT(column_named(t, "rating")->type.kind, RT_TYPE_REAL);
	check_default(column_named(t, "rating"), RT_LITERAL_NUMBER, "0.5");
	CHECK_INT(column_named(t, "active")->type.kind, RT_TYPE_BOOL);
	/* DEFAULT 1 on a BOOLEAN is what SQLite makes of TRUE. */
	check_default(column_named(t, "active"), RT_LITERAL_BOOL, "true");
	check_default(column_named(t, "flag"), RT_LITERAL_BOOL, "false");
	check_default(column_named(t, "kind"), RT_LITERAL_STRING, "a,b(c)");
	check_default(id, RT_LITERAL_NONE, NULL);

	/* Constraints in the order of the text; unnamed ones get default names. */
	CHECK_INT(t->constraint_count, 6);
	const rt_constraint *c = constraint_named(t, "uq_Authors_e-mail");
	if (c) {
		CHECK_INT(c->kind, RT_CONSTRAINT_UNIQUE);
		CHECK_INT(c->column_count, 1);
		CHECK_STR(c->columns[0], "e-mail");
	}
	c = constraint_named(t, "ck_Authors_kind");
	if (c) {
		CHECK_INT(c->kind, RT_CONSTRAINT_CHECK);
		CHECK_STR(c->check, "kind IN ('a,b(c)', 'x)y', 'it''s')");
		CHECK_STR(c->check_column, "kind");
	}
	c = constraint_named(t, "authors_name_key");
	if (c) {
		CHECK_INT(c->column_count, 2);
		CHECK_STR(c->columns[0], "full name");
		CHECK_STR(c->columns[1], "born");
	}
	c = constraint_named(t, "ck_Authors_1");
	if (c) {
		CHECK_STR(c->check, "rating >= 0 AND (rating <= 5 OR rating IS NULL)");
		CHECK(c->check_column == NULL);
	}
	c = constraint_named(t, "rating range");
	if (c)
		CHECK_STR(c->check, "length(\"full name\") > 0");
	c = constraint_named(t, "ck_Authors_2");
	if (c)
		CHECK_STR(c->check, "born > '1900-01-01'");
	CHECK_STR(t->constraints[0]->name, "uq_Authors_e-mail");
	CHECK_STR(t->constraints[5]->name, "ck_Authors_2");
	CHECK_INT(t->index_count, 0);
}

static void check_books(const rt_schema *s)
{
	const rt_table *t = rt__schema_find_table(s, "books");
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(t->column_count, 14);
	/* A composite key is no rowid: integer stays int. */
	CHECK_INT(column_named(t, "book_id")->type.kind, RT_TYPE_INT);
	CHECK(!column_named(t, "book_id")->autoincrement);
	CHECK_INT(column_named(t, "edition")->type.kind, RT_TYPE_INT);
	check_default(column_named(t, "edition"), RT_LITERAL_NUMBER, "1");
	const rt_column *price = column_named(t, "price");
	CHECK_INT(price->type.kind, RT_TYPE_NUMERIC);
	CHECK_INT(price->type.precision, 8);
	CHECK_INT(price->type.scale, 2);
	check_default(price, RT_LITERAL_NUMBER, "-1");
	/* CHAR(n) is char(n) (only CHAR(32) is how uuid is). */
	CHECK_INT(column_named(t, "isbn")->type.kind, RT_TYPE_CHAR);
	CHECK_INT(column_named(t, "isbn")->type.length, 13);
	CHECK_INT(column_named(t, "token")->type.kind, RT_TYPE_UUID);
	CHECK_INT(column_named(t, "stamp")->type.kind, RT_TYPE_TIMESTAMP);
	check_default(column_named(t, "stamp"), RT_LITERAL_NOW, NULL);
	check_default(column_named(t, "created"), RT_LITERAL_SQL, "datetime('now', 'localtime')");
	CHECK_INT(column_named(t, "payload")->type.kind, RT_TYPE_JSON);
	CHECK_INT(column_named(t, "notes")->type.kind, RT_TYPE_TEXT);
	check_default(column_named(t, "notes"), RT_LITERAL_STRING, "x'y");
	CHECK_INT(column_named(t, "cover")->type.kind, RT_TYPE_BLOB);
	/* A type the language has no word for is kept as declared. */
	CHECK_INT(column_named(t, "weird")->type.kind, RT_TYPE_SQL);
	CHECK_STR(column_named(t, "weird")->type.sql, "SOMETHING_ELSE");
	CHECK_INT(column_named(t, "extra")->type.kind, RT_TYPE_BLOB);

	CHECK(t->primary_key != NULL);
	if (t->primary_key) {
		CHECK_STR(t->primary_key->name, "pk_books");
		CHECK_INT(t->primary_key->column_count, 2);
		CHECK_STR(t->primary_key->columns[1], "edition");
	}
	const rt_constraint *c = constraint_named(t, "fk_book_author");
	if (c) {
		CHECK_INT(c->kind, RT_CONSTRAINT_FOREIGN_KEY);
		CHECK_STR(c->ref_table, "Authors");
		CHECK_STR(c->ref_columns[0], "id");
		CHECK_INT(c->on_delete, RT_FK_CASCADE);
		CHECK_INT(c->on_update, RT_FK_NO_ACTION);
	}
	/* REFERENCES authors: no column list (the primary key is meant), and
	 * the table spelled as stored. */
	c = constraint_named(t, "fk_books_editor_id_authors");
	if (c) {
		CHECK_STR(c->ref_table, "Authors");
		CHECK_INT(c->ref_column_count, 1);
		CHECK_STR(c->ref_columns[0], "id");
		CHECK_INT(c->on_delete, RT_FK_SET_NULL);
	}
	/* Indexes made by CREATE INDEX, in creation order; an expression key
	 * and a WHERE come from the stored text. */
	CHECK_INT(t->index_count, 4);
	if (t->index_count == 4) {
		CHECK_STR(t->indexes[0]->name, "ix_books_isbn");
		CHECK(!t->indexes[0]->unique);
		CHECK_STR(t->indexes[1]->name, "books_token_idx");
		CHECK(t->indexes[1]->unique);
		CHECK_INT(t->indexes[1]->key_count, 2);
		CHECK_STR(t->indexes[1]->keys[1].column, "isbn");
		CHECK_STR(t->indexes[2]->name, "ix_books_lower");
		CHECK(t->indexes[2]->key_count == 1 && !t->indexes[2]->keys[0].column);
		CHECK_STR(t->indexes[2]->keys[0].expr, "lower(isbn)");
		CHECK_STR(t->indexes[3]->name, "ix_books_partial");
		CHECK_STR(t->indexes[3]->keys[0].column, "price");
		CHECK_STR(t->indexes[3]->where, "price > 0");
	}
}

static void check_others(const rt_schema *s)
{
	const rt_table *editions = rt__schema_find_table(s, "editions");
	CHECK(editions && !editions->primary_key);
	const rt_constraint *c = editions ? constraint_named(editions, "fk_editions_book") : NULL;
	if (c) {
		CHECK_INT(c->column_count, 2);
		CHECK_STR(c->ref_table, "books");
		CHECK_STR(c->ref_columns[0], "book_id");
		CHECK_STR(c->ref_columns[1], "edition");
		CHECK_INT(c->on_update, RT_FK_CASCADE);
	}

	/* WITHOUT ROWID: an INTEGER PRIMARY KEY is an ordinary key. */
	const rt_table *tags = rt__schema_find_table(s, "tags");
	const rt_column *code = tags ? column_named(tags, "code") : NULL;
	CHECK(code && code->type.kind == RT_TYPE_INT && !code->autoincrement);

	const rt_table *orders = rt__schema_find_table(s, "orders");
	CHECK(orders != NULL);
	if (!orders)
		return;
	CHECK_STR(orders->primary_key->name, "orders_pkey");
	CHECK_INT(column_named(orders, "id")->type.kind, RT_TYPE_BIGINT);
	/* The enum CHECK makes an enum column and is implied by it... */
	const rt_column *status = column_named(orders, "status");
	CHECK_INT(status->type.kind, RT_TYPE_ENUM);
	CHECK_STR(status->type.enum_name, "OrderStatus");
	CHECK(status->type.enum_type != NULL);
	check_default(status, RT_LITERAL_ENUM, "open");
	CHECK(rt__table_find_constraint(orders, "ck_orders_status_enum") == NULL);
	const rt_enum *e = rt__schema_find_enum(s, "OrderStatus");
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->sql_name, "order_status");
		CHECK_INT(e->value_count, 3);
		CHECK_STR(e->values[2], "shipped");
	}
	/* ...but not when the column is longer than the longest value. */
	CHECK_INT(column_named(orders, "kind")->type.kind, RT_TYPE_STRING);
	CHECK(rt__table_find_constraint(orders, "ck_orders_kind_enum") != NULL);
	CHECK_INT(s->enum_count, 1);
}

static void test_reflect_hand_written(void)
{
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_reflect(&s, conn));
	if (!s)
		return;
	CHECK_INT(rt_schema_table_count(s), 5);
	/* Alphabetical (byte order), internal tables left out. */
	CHECK_STR(rt_schema_table_name(s, 0), "Authors");
	CHECK_STR(rt_schema_table_name(s, 1), "books");
	CHECK_STR(rt_schema_table_name(s, 4), "tags");
	check_authors(s);
	check_books(s);
	check_others(s);
	rt_schema_free(s);
}

/* What inspect + sql create promise: the reflected schema, created again
 * from its own DDL, reflects to the same thing. */
static void test_rebuild_identically(void)
{
	rt_schema *first = NULL, *second = NULL;
	CHECK_OK(rt_schema_reflect(&first, conn));
	if (!first)
		return;
	rt_engine *e2 = NULL;
	rt_conn *c2 = NULL;
	CHECK_OK(rt_engine_open(&e2, "sqlite://", NULL));
	CHECK_OK(rt_conn_open(&c2, e2));
	CHECK_OK(rt_schema_create_all(c2, first));
	CHECK_OK(rt_schema_reflect(&second, c2));
	if (second) {
		char *diff = NULL;
		CHECK_OK(rt_schema_differences(&diff, first, second, RT_COMPARE_DATABASE));
		if (diff && *diff)
			fprintf(stderr, "differences:\n%s", diff);
		CHECK(rt_schema_equal(first, second, RT_COMPARE_DATABASE));
		rt_free(diff);
	}
	CHECK_OK(rt_schema_drop_all(c2, first));
	rt_schema_free(second);
	rt_schema_free(first);
	rt_conn_close(c2);
	rt_engine_free(e2);
}

/* What SQLite cannot keep, canonicalize takes out: the schema then equals
 * its own reflection. */
static void test_canonicalize(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "canon", NULL);
	t->comment = "kept nowhere";
	rt_column *id = rt__table_add_column(s, t, "id");
	id->type.kind = RT_TYPE_INT;
	id->autoincrement = true;
	rt_constraint *pk = rt__table_add_constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY, "pk_canon");
	rt__constraint_add_column(s, pk, "id", false);
	rt_column *seq = rt__table_add_column(s, t, "seq");
	seq->type.kind = RT_TYPE_BIGINT;
	seq->autoincrement = true;
	rt_column *at = rt__table_add_column(s, t, "at");
	at->type.kind = RT_TYPE_TIMESTAMPTZ;
	at->nullable = true;
	at->comment = "when";

	rt_engine *e2 = NULL;
	rt_conn *c2 = NULL;
	rt_schema *reflected = NULL;
	CHECK_OK(rt_engine_open(&e2, "sqlite://", NULL));
	CHECK_OK(rt_conn_open(&c2, e2));
	CHECK_OK(rt_schema_create_all(c2, s));
	CHECK_OK(rt_schema_reflect(&reflected, c2));
	CHECK(!rt_schema_equal(s, reflected, RT_COMPARE_DATABASE));
	rt__dialect_find("sqlite")->canonicalize(s);
	CHECK_INT(id->type.kind, RT_TYPE_BIGINT);
	CHECK(!seq->autoincrement);
	CHECK_INT(at->type.kind, RT_TYPE_TIMESTAMP);
	CHECK(t->comment == NULL && at->comment == NULL);
	if (reflected) {
		char *diff = NULL;
		CHECK_OK(rt_schema_differences(&diff, s, reflected, RT_COMPARE_DATABASE));
		CHECK_STR(diff, "");
		rt_free(diff);
	}
	rt_schema_free(reflected);
	rt_conn_close(c2);
	rt_engine_free(e2);
	rt_schema_free(s);
}

/* Violations of hand-written, unnamed constraints carry their default names. */
static void test_violation_names(void)
{
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO \"Authors\" (\"full name\", [e-mail], kind) "
				       "VALUES ('Ann', 'a@x', 'x)y')"));
	struct {
		const char *sql;
		rt_constraint_violation kind;
		const char *name;
	} cases[] = {
		{"INSERT INTO Authors (`full name`, [e-mail]) VALUES ('Bob', 'a@x')",
		 RT_VIOLATION_UNIQUE, "uq_Authors_e-mail"},
		{"INSERT INTO Authors (`full name`, born) VALUES ('Ann', NULL), ('Ann', NULL)",
		 RT_VIOLATION_NONE, NULL}, /* NULLs are distinct: no violation */
		{"INSERT INTO Authors (`full name`, born) VALUES ('Cy', '2000-01-01'), "
		 "('Cy', '2000-01-01')",
		 RT_VIOLATION_UNIQUE, "authors_name_key"},
		{"INSERT INTO Authors (id, `full name`) VALUES (1, 'Dup')",
		 RT_VIOLATION_UNIQUE, "pk_Authors"},
		{"INSERT INTO Authors (`full name`, kind) VALUES ('Eve', 'nope')",
		 RT_VIOLATION_CHECK, "ck_Authors_kind"},
		{"INSERT INTO Authors (`full name`, rating) VALUES ('Eve', 9)",
		 RT_VIOLATION_CHECK, "ck_Authors_1"},
		{"INSERT INTO Authors (`full name`) VALUES ('')",
		 RT_VIOLATION_CHECK, "rating range"},
		{"INSERT INTO Authors (`full name`, born) VALUES ('Eve', '1800-01-01')",
		 RT_VIOLATION_CHECK, "ck_Authors_2"},
		{"INSERT INTO books (book_id, editor_id) VALUES (1, 77)",
		 RT_VIOLATION_FOREIGN_KEY, "fk_books_editor_id_authors"},
		{"INSERT INTO books (book_id, isbn, token) VALUES (2, 'i', 't'), (3, 'i', 't')",
		 RT_VIOLATION_UNIQUE, "books_token_idx"},
		{"INSERT INTO tags (code) VALUES (1)",
		 RT_VIOLATION_NOT_NULL, "tags.label"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int rc = rt_conn_execute(conn, cases[i].sql);
		if (!cases[i].name) {
			CHECK_OK(rc);
			continue;
		}
		CHECK_INT(rc, RT_ECONSTRAINT);
		CHECK_INT(rt_error_last()->constraint_kind, cases[i].kind);
		if (strcmp(rt_error_last()->constraint_name, cases[i].name) != 0)
			fprintf(stderr, "  %s\n  -> %s\n", cases[i].sql, rt_error_last()->message);
		CHECK_STR(rt_error_last()->constraint_name, cases[i].name);
	}
	/* A deferred key fails at COMMIT, where the broken row is still there
	 * to be found. */
	CHECK_OK(rt_conn_begin(conn));
	CHECK_OK(rt_conn_execute(conn, "INSERT INTO books (book_id, author_id) VALUES (9, 999)"));
	CHECK_INT(rt_conn_commit(conn), RT_ECONSTRAINT);
	CHECK_INT(rt_error_last()->constraint_kind, RT_VIOLATION_FOREIGN_KEY);
	CHECK_STR(rt_error_last()->constraint_name, "fk_book_author");
	CHECK_OK(rt_conn_rollback(conn));
}

/* DDL written for PostgreSQL and run on SQLite: the SERIAL names read back
 * as the integers they stand for. */
static void test_serial_types(void)
{
	CHECK_OK(rt_conn_execute(conn, "CREATE TABLE counters (a SERIAL NOT NULL, "
				       "b BIGSERIAL, c SMALLSERIAL, PRIMARY KEY (a))"));
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_reflect(&s, conn));
	const rt_table *t = s ? rt__schema_find_table(s, "counters") : NULL;
	CHECK(t != NULL);
	if (t) {
		CHECK_INT(column_named(t, "a")->type.kind, RT_TYPE_INT);
		CHECK_INT(column_named(t, "b")->type.kind, RT_TYPE_BIGINT);
		CHECK_INT(column_named(t, "c")->type.kind, RT_TYPE_SMALLINT);
	}
	rt_schema_free(s);
	CHECK_OK(rt_conn_execute(conn, "DROP TABLE counters"));
}

int main(void)
{
	if (strncmp(rt_test_url(), "sqlite:", 7) != 0) {
		printf("skipped: sqlite only\n");
		return 0;
	}
	if (rt_engine_open(&engine, "sqlite://", NULL) != RT_OK ||
	    rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "cannot open SQLite: %s\n", rt_error_last()->message);
		return 1;
	}
	for (int i = 0; setup_sql[i]; i++)
		CHECK_OK(rt_conn_execute(conn, setup_sql[i]));
	RT_RUN(test_reflect_hand_written);
	RT_RUN(test_rebuild_identically);
	RT_RUN(test_violation_names);
	RT_RUN(test_canonicalize);
	RT_RUN(test_serial_types);
	rt_conn_close(conn);
	rt_engine_free(engine);
	return rt_test_done();
}
