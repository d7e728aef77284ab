/*
 * test_ddl.c - the DDL text for both dialects, against golden output.
 * Rendering needs no connection; schemas are built with the metadata
 * builders in the normal form validation produces.
 */
#include <stdarg.h>
#include <string.h>

#include "dialect/dialect.h"
#include "retort.h"
#include "schema/metadata.h"
#include "sql/ddl.h"
#include "test.h"

/* --- building ------------------------------------------------------------------ */

static rt_column *column(rt_schema *s, rt_table *t, const char *name, rt_type_kind kind,
			 bool nullable)
{
	rt_column *c = rt__table_add_column(s, t, name);
	c->type.kind = kind;
	c->nullable = nullable;
	return c;
}

static rt_column *id_column(rt_schema *s, rt_table *t)
{
	rt_column *c = column(s, t, "id", RT_TYPE_BIGINT, false);
	c->autoincrement = true;
	char name[64];
	snprintf(name, sizeof(name), "pk_%s", t->name);
	rt_constraint *pk = rt__table_add_constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY, name);
	rt__constraint_add_column(s, pk, "id", false);
	return c;
}

/* Adds a constraint over the NULL-terminated column names that follow. */
static rt_constraint *constraint(rt_schema *s, rt_table *t, rt_constraint_kind kind,
				 const char *name, ...)
{
	rt_constraint *c = rt__table_add_constraint(s, t, kind, name);
	va_list ap;
	va_start(ap, name);
	const char *col;
	while ((col = va_arg(ap, const char *)))
		rt__constraint_add_column(s, c, col, false);
	va_end(ap);
	return c;
}

static rt_constraint *foreign_key(rt_schema *s, rt_table *t, const char *name,
				  const char *col, const char *ref_table, const char *ref_col)
{
	rt_constraint *c = constraint(s, t, RT_CONSTRAINT_FOREIGN_KEY, name, col, NULL);
	c->ref_table = ref_table;
	rt__constraint_add_column(s, c, ref_col, true);
	return c;
}

static void set_default(rt_column *c, rt_literal_kind kind, const char *text)
{
	c->server_default.kind = kind;
	c->server_default.text = text;
}

/* The DESIGN example, declared out of foreign-key order on purpose. */
static rt_schema *shop_schema(void)
{
	rt_schema *s = rt__schema_new();
	rt_enum *status = rt__schema_add_enum(s, "CartStatus", "cart_status");
	rt__enum_add_value(s, status, "open");
	rt__enum_add_value(s, status, "paid");
	rt__enum_add_value(s, status, "shipped");

	rt_table *users = rt__schema_add_table(s, "users", "User");
	users->comment = "people who shop";
	id_column(s, users);
	column(s, users, "username", RT_TYPE_STRING, false)->type.length = 50;
	users->columns[1]->comment = "login name, it's unique";
	column(s, users, "email", RT_TYPE_STRING, true)->type.length = 255;
	set_default(column(s, users, "created_at", RT_TYPE_TIMESTAMP, false), RT_LITERAL_NOW, "now");
	constraint(s, users, RT_CONSTRAINT_UNIQUE, "uq_users_username", "username", NULL);

	rt_table *cp = rt__schema_add_table(s, "cart_product", NULL);
	column(s, cp, "cart_id", RT_TYPE_BIGINT, false);
	column(s, cp, "product_id", RT_TYPE_BIGINT, false);
	set_default(column(s, cp, "quantity", RT_TYPE_INT, false), RT_LITERAL_NUMBER, "1");
	constraint(s, cp, RT_CONSTRAINT_PRIMARY_KEY, "pk_cart_product", "cart_id", "product_id",
		   NULL);
	foreign_key(s, cp, "fk_cart_product_cart_id_carts", "cart_id", "carts", "id")->on_delete =
		RT_FK_CASCADE;
	foreign_key(s, cp, "fk_cart_product_product_id_products", "product_id", "products", "id");

	rt_table *posts = rt__schema_add_table(s, "posts", "Post");
	id_column(s, posts);
	column(s, posts, "title", RT_TYPE_STRING, false)->type.length = 50;
	set_default(column(s, posts, "text", RT_TYPE_TEXT, false), RT_LITERAL_STRING, "");
	column(s, posts, "user_id", RT_TYPE_BIGINT, false);
	foreign_key(s, posts, "fk_posts_user_id_users", "user_id", "users", "id");
	rt_index *ix = rt__table_add_index(s, posts, "ix_posts_title", false);
	rt__index_add_column(s, ix, "title");

	rt_table *carts = rt__schema_add_table(s, "carts", "Cart");
	id_column(s, carts);
	column(s, carts, "user_id", RT_TYPE_BIGINT, false);
	rt_column *st = column(s, carts, "status", RT_TYPE_ENUM, false);
	st->type.enum_name = "CartStatus";
	st->type.enum_type = status;
	set_default(st, RT_LITERAL_ENUM, "open");
	foreign_key(s, carts, "fk_carts_user_id_users", "user_id", "users", "id");

	rt_table *products = rt__schema_add_table(s, "products", "Product");
	id_column(s, products);
	column(s, products, "name", RT_TYPE_STRING, false)->type.length = 20;
	rt_column *price = column(s, products, "price", RT_TYPE_NUMERIC, false);
	price->type.precision = 10;
	price->type.scale = 2;
	rt_constraint *ck = constraint(s, products, RT_CONSTRAINT_CHECK, "ck_products_price", NULL);
	ck->check = "price >= 0";
	ck->check_column = "price";
	return s;
}

/* Every type, every literal kind, a key cycle and a self-reference. */
static rt_schema *types_schema(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "everything", NULL);
	rt_column *code = column(s, t, "code", RT_TYPE_INT, false); /* no autoincrement */
	(void)code;
	constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY, "pk_everything", "code", NULL);
	set_default(column(s, t, "small", RT_TYPE_SMALLINT, false), RT_LITERAL_NUMBER, "-1");
	column(s, t, "big", RT_TYPE_BIGINT, true);
	set_default(column(s, t, "flag", RT_TYPE_BOOL, false), RT_LITERAL_BOOL, "true");
	set_default(column(s, t, "off", RT_TYPE_BOOL, false), RT_LITERAL_BOOL, "false");
	set_default(column(s, t, "ratio", RT_TYPE_REAL, true), RT_LITERAL_NUMBER, "2.5");
	column(s, t, "precise", RT_TYPE_DOUBLE, true);
	column(s, t, "amount", RT_TYPE_NUMERIC, true);
	rt_column *money = column(s, t, "money", RT_TYPE_NUMERIC, true);
	money->type.precision = 12;
	money->type.scale = 4;
	column(s, t, "word", RT_TYPE_STRING, true);
	set_default(column(s, t, "label", RT_TYPE_STRING, false), RT_LITERAL_STRING, "it's");
	t->columns[t->column_count - 1]->type.length = 10;
	set_default(column(s, t, "body", RT_TYPE_TEXT, true), RT_LITERAL_SQL, "lower('X')");
	column(s, t, "data", RT_TYPE_BLOB, true);
	column(s, t, "day", RT_TYPE_DATE, true);
	column(s, t, "at", RT_TYPE_TIME, true);
	column(s, t, "stamp", RT_TYPE_TIMESTAMP, true);
	column(s, t, "stamp_tz", RT_TYPE_TIMESTAMPTZ, true);
	column(s, t, "uid", RT_TYPE_UUID, true);
	column(s, t, "doc", RT_TYPE_JSON, true);

	rt_table *dep = rt__schema_add_table(s, "departments", NULL);
	id_column(s, dep);
	column(s, dep, "manager_id", RT_TYPE_BIGINT, true);
	foreign_key(s, dep, "fk_departments_manager_id_employees", "manager_id", "employees", "id")
		->on_delete = RT_FK_SET_NULL;

	rt_table *emp = rt__schema_add_table(s, "employees", NULL);
	id_column(s, emp);
	column(s, emp, "department_id", RT_TYPE_BIGINT, false);
	column(s, emp, "boss_id", RT_TYPE_BIGINT, true);
	column(s, emp, "email", RT_TYPE_STRING, false)->type.length = 100;
	foreign_key(s, emp, "fk_employees_department_id_departments", "department_id",
		    "departments", "id")->on_delete = RT_FK_RESTRICT;
	rt_constraint *boss = foreign_key(s, emp, "fk_employees_boss_id_employees", "boss_id",
					  "employees", "id");
	boss->on_delete = RT_FK_SET_DEFAULT;
	boss->on_update = RT_FK_CASCADE;
	rt_index *ix = rt__table_add_index(s, emp, "ix_employees_email", true);
	rt__index_add_column(s, ix, "email");
	ix = rt__table_add_index(s, emp, "ix_employees_department_id_boss_id", false);
	rt__index_add_column(s, ix, "department_id");
	rt__index_add_column(s, ix, "boss_id");
	return s;
}

static char *ddl(const rt_schema *s, const char *dialect, rt_ddl_kind kind)
{
	char *out = NULL;
	CHECK_OK(rt_schema_ddl(&out, s, dialect, kind));
	return out;
}

/* --- golden texts ------------------------------------------------------------------- */

static const char shop_sqlite[] =
	"CREATE TABLE \"users\" (\n"
	"  \"id\" INTEGER NOT NULL CONSTRAINT \"pk_users\" PRIMARY KEY,\n"
	"  \"username\" VARCHAR(50) NOT NULL,\n"
	"  \"email\" VARCHAR(255),\n"
	"  \"created_at\" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
	"  CONSTRAINT \"uq_users_username\" UNIQUE (\"username\")\n"
	");\n"
	"\n"
	"CREATE TABLE \"posts\" (\n"
	"  \"id\" INTEGER NOT NULL CONSTRAINT \"pk_posts\" PRIMARY KEY,\n"
	"  \"title\" VARCHAR(50) NOT NULL,\n"
	"  \"text\" TEXT NOT NULL DEFAULT '',\n"
	"  \"user_id\" BIGINT NOT NULL,\n"
	"  CONSTRAINT \"fk_posts_user_id_users\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\")\n"
	");\n"
	"CREATE INDEX \"ix_posts_title\" ON \"posts\" (\"title\");\n"
	"\n"
	"CREATE TABLE \"carts\" (\n"
	"  \"id\" INTEGER NOT NULL CONSTRAINT \"pk_carts\" PRIMARY KEY,\n"
	"  \"user_id\" BIGINT NOT NULL,\n"
	"  \"status\" VARCHAR(7) NOT NULL DEFAULT 'open',\n"
	"  CONSTRAINT \"fk_carts_user_id_users\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\"),\n"
	"  CONSTRAINT \"ck_carts_status_enum\" CHECK (\"status\" IN ('open', 'paid', 'shipped'))\n"
	");\n"
	"\n"
	"CREATE TABLE \"products\" (\n"
	"  \"id\" INTEGER NOT NULL CONSTRAINT \"pk_products\" PRIMARY KEY,\n"
	"  \"name\" VARCHAR(20) NOT NULL,\n"
	"  \"price\" NUMERIC(10,2) NOT NULL,\n"
	"  CONSTRAINT \"ck_products_price\" CHECK (price >= 0)\n"
	");\n"
	"\n"
	"CREATE TABLE \"cart_product\" (\n"
	"  \"cart_id\" BIGINT NOT NULL,\n"
	"  \"product_id\" BIGINT NOT NULL,\n"
	"  \"quantity\" INTEGER NOT NULL DEFAULT 1,\n"
	"  CONSTRAINT \"pk_cart_product\" PRIMARY KEY (\"cart_id\", \"product_id\"),\n"
	"  CONSTRAINT \"fk_cart_product_cart_id_carts\" FOREIGN KEY (\"cart_id\") REFERENCES \"carts\" (\"id\") ON DELETE CASCADE,\n"
	"  CONSTRAINT \"fk_cart_product_product_id_products\" FOREIGN KEY (\"product_id\") REFERENCES \"products\" (\"id\")\n"
	");\n";

static const char shop_postgresql[] =
	"CREATE TYPE \"cart_status\" AS ENUM ('open', 'paid', 'shipped');\n"
	"\n"
	"CREATE TABLE \"users\" (\n"
	"  \"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
	"  \"username\" VARCHAR(50) NOT NULL,\n"
	"  \"email\" VARCHAR(255),\n"
	"  \"created_at\" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
	"  CONSTRAINT \"pk_users\" PRIMARY KEY (\"id\"),\n"
	"  CONSTRAINT \"uq_users_username\" UNIQUE (\"username\")\n"
	");\n"
	"COMMENT ON TABLE \"users\" IS 'people who shop';\n"
	"COMMENT ON COLUMN \"users\".\"username\" IS 'login name, it''s unique';\n"
	"\n"
	"CREATE TABLE \"posts\" (\n"
	"  \"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
	"  \"title\" VARCHAR(50) NOT NULL,\n"
	"  \"text\" TEXT NOT NULL DEFAULT '',\n"
	"  \"user_id\" BIGINT NOT NULL,\n"
	"  CONSTRAINT \"pk_posts\" PRIMARY KEY (\"id\"),\n"
	"  CONSTRAINT \"fk_posts_user_id_users\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\")\n"
	");\n"
	"CREATE INDEX \"ix_posts_title\" ON \"posts\" (\"title\");\n"
	"\n"
	"CREATE TABLE \"carts\" (\n"
	"  \"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
	"  \"user_id\" BIGINT NOT NULL,\n"
	"  \"status\" \"cart_status\" NOT NULL DEFAULT 'open',\n"
	"  CONSTRAINT \"pk_carts\" PRIMARY KEY (\"id\"),\n"
	"  CONSTRAINT \"fk_carts_user_id_users\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\")\n"
	");\n"
	"\n"
	"CREATE TABLE \"products\" (\n"
	"  \"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
	"  \"name\" VARCHAR(20) NOT NULL,\n"
	"  \"price\" NUMERIC(10,2) NOT NULL,\n"
	"  CONSTRAINT \"pk_products\" PRIMARY KEY (\"id\"),\n"
	"  CONSTRAINT \"ck_products_price\" CHECK (price >= 0)\n"
	");\n"
	"\n"
	"CREATE TABLE \"cart_product\" (\n"
	"  \"cart_id\" BIGINT NOT NULL,\n"
	"  \"product_id\" BIGINT NOT NULL,\n"
	"  \"quantity\" INTEGER NOT NULL DEFAULT 1,\n"
	"  CONSTRAINT \"pk_cart_product\" PRIMARY KEY (\"cart_id\", \"product_id\"),\n"
	"  CONSTRAINT \"fk_cart_product_cart_id_carts\" FOREIGN KEY (\"cart_id\") REFERENCES \"carts\" (\"id\") ON DELETE CASCADE,\n"
	"  CONSTRAINT \"fk_cart_product_product_id_products\" FOREIGN KEY (\"product_id\") REFERENCES \"products\" (\"id\")\n"
	");\n";

static const char shop_drop_sqlite[] =
	"DROP TABLE \"cart_product\";\n"
	"DROP TABLE \"products\";\n"
	"DROP TABLE \"carts\";\n"
	"DROP TABLE \"posts\";\n"
	"DROP TABLE \"users\";\n";

static const char shop_drop_postgresql[] =
	"DROP TABLE \"cart_product\";\n"
	"DROP TABLE \"products\";\n"
	"DROP TABLE \"carts\";\n"
	"DROP TABLE \"posts\";\n"
	"DROP TABLE \"users\";\n"
	"\n"
	"DROP TYPE \"cart_status\";\n";

static const char types_sqlite[] =
	"CREATE TABLE \"everything\" (\n"
	"  \"code\" INT NOT NULL,\n"
	"  \"small\" SMALLINT NOT NULL DEFAULT -1,\n"
	"  \"big\" BIGINT,\n"
	"  \"flag\" BOOLEAN NOT NULL DEFAULT TRUE,\n"
	"  \"off\" BOOLEAN NOT NULL DEFAULT FALSE,\n"
	"  \"ratio\" REAL DEFAULT 2.5,\n"
	"  \"precise\" DOUBLE,\n"
	"  \"amount\" NUMERIC,\n"
	"  \"money\" NUMERIC(12,4),\n"
	"  \"word\" VARCHAR,\n"
	"  \"label\" VARCHAR(10) NOT NULL DEFAULT 'it''s',\n"
	"  \"body\" TEXT DEFAULT (lower('X')),\n"
	"  \"data\" BLOB,\n"
	"  \"day\" DATE,\n"
	"  \"at\" TIME,\n"
	"  \"stamp\" DATETIME,\n"
	"  \"stamp_tz\" DATETIME,\n"
	"  \"uid\" CHAR(32),\n"
	"  \"doc\" JSON,\n"
	"  CONSTRAINT \"pk_everything\" PRIMARY KEY (\"code\")\n"
	");\n"
	"\n"
	"CREATE TABLE \"departments\" (\n"
	"  \"id\" INTEGER NOT NULL CONSTRAINT \"pk_departments\" PRIMARY KEY,\n"
	"  \"manager_id\" BIGINT,\n"
	"  CONSTRAINT \"fk_departments_manager_id_employees\" FOREIGN KEY (\"manager_id\") REFERENCES \"employees\" (\"id\") ON DELETE SET NULL\n"
	");\n"
	"\n"
	"CREATE TABLE \"employees\" (\n"
	"  \"id\" INTEGER NOT NULL CONSTRAINT \"pk_employees\" PRIMARY KEY,\n"
	"  \"department_id\" BIGINT NOT NULL,\n"
	"  \"boss_id\" BIGINT,\n"
	"  \"email\" VARCHAR(100) NOT NULL,\n"
	"  CONSTRAINT \"fk_employees_department_id_departments\" FOREIGN KEY (\"department_id\") REFERENCES \"departments\" (\"id\") ON DELETE RESTRICT,\n"
	"  CONSTRAINT \"fk_employees_boss_id_employees\" FOREIGN KEY (\"boss_id\") REFERENCES \"employees\" (\"id\") ON DELETE SET DEFAULT ON UPDATE CASCADE\n"
	");\n"
	"CREATE UNIQUE INDEX \"ix_employees_email\" ON \"employees\" (\"email\");\n"
	"CREATE INDEX \"ix_employees_department_id_boss_id\" ON \"employees\" (\"department_id\", \"boss_id\");\n";

static const char types_postgresql[] =
	"CREATE TABLE \"everything\" (\n"
	"  \"code\" INTEGER NOT NULL,\n"
	"  \"small\" SMALLINT NOT NULL DEFAULT -1,\n"
	"  \"big\" BIGINT,\n"
	"  \"flag\" BOOLEAN NOT NULL DEFAULT TRUE,\n"
	"  \"off\" BOOLEAN NOT NULL DEFAULT FALSE,\n"
	"  \"ratio\" REAL DEFAULT 2.5,\n"
	"  \"precise\" DOUBLE PRECISION,\n"
	"  \"amount\" NUMERIC,\n"
	"  \"money\" NUMERIC(12,4),\n"
	"  \"word\" VARCHAR,\n"
	"  \"label\" VARCHAR(10) NOT NULL DEFAULT 'it''s',\n"
	"  \"body\" TEXT DEFAULT (lower('X')),\n"
	"  \"data\" BYTEA,\n"
	"  \"day\" DATE,\n"
	"  \"at\" TIME,\n"
	"  \"stamp\" TIMESTAMP,\n"
	"  \"stamp_tz\" TIMESTAMPTZ,\n"
	"  \"uid\" UUID,\n"
	"  \"doc\" JSONB,\n"
	"  CONSTRAINT \"pk_everything\" PRIMARY KEY (\"code\")\n"
	");\n"
	"\n"
	"CREATE TABLE \"departments\" (\n"
	"  \"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
	"  \"manager_id\" BIGINT,\n"
	"  CONSTRAINT \"pk_departments\" PRIMARY KEY (\"id\")\n"
	");\n"
	"\n"
	"CREATE TABLE \"employees\" (\n"
	"  \"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
	"  \"department_id\" BIGINT NOT NULL,\n"
	"  \"boss_id\" BIGINT,\n"
	"  \"email\" VARCHAR(100) NOT NULL,\n"
	"  CONSTRAINT \"pk_employees\" PRIMARY KEY (\"id\"),\n"
	"  CONSTRAINT \"fk_employees_department_id_departments\" FOREIGN KEY (\"department_id\") REFERENCES \"departments\" (\"id\") ON DELETE RESTRICT,\n"
	"  CONSTRAINT \"fk_employees_boss_id_employees\" FOREIGN KEY (\"boss_id\") REFERENCES \"employees\" (\"id\") ON DELETE SET DEFAULT ON UPDATE CASCADE\n"
	");\n"
	"CREATE UNIQUE INDEX \"ix_employees_email\" ON \"employees\" (\"email\");\n"
	"CREATE INDEX \"ix_employees_department_id_boss_id\" ON \"employees\" (\"department_id\", \"boss_id\");\n"
	"\n"
	"ALTER TABLE \"departments\" ADD CONSTRAINT \"fk_departments_manager_id_employees\" FOREIGN KEY (\"manager_id\") REFERENCES \"employees\" (\"id\") ON DELETE SET NULL;\n";

/* SQLite cannot drop a key first: it checks the cycle at COMMIT instead. */
static const char types_drop_sqlite[] =
	"PRAGMA defer_foreign_keys = ON;\n"
	"\n"
	"DROP TABLE \"employees\";\n"
	"DROP TABLE \"departments\";\n"
	"DROP TABLE \"everything\";\n";

static const char types_drop_postgresql[] =
	"ALTER TABLE \"departments\" DROP CONSTRAINT \"fk_departments_manager_id_employees\";\n"
	"\n"
	"DROP TABLE \"employees\";\n"
	"DROP TABLE \"departments\";\n"
	"DROP TABLE \"everything\";\n";

/* --- tests ---------------------------------------------------------------------------- */

static void check_ddl(const rt_schema *s, const char *dialect, rt_ddl_kind kind,
		      const char *expected)
{
	char *text = ddl(s, dialect, kind);
	CHECK_STR(text, expected);
	rt_free(text);
}

static void test_shop(void)
{
	rt_schema *s = shop_schema();
	check_ddl(s, "sqlite", RT_DDL_CREATE, shop_sqlite);
	check_ddl(s, "postgresql", RT_DDL_CREATE, shop_postgresql);
	check_ddl(s, "sqlite", RT_DDL_DROP, shop_drop_sqlite);
	check_ddl(s, "postgresql", RT_DDL_DROP, shop_drop_postgresql);
	rt_schema_free(s);
}

static void test_types_and_cycles(void)
{
	rt_schema *s = types_schema();
	check_ddl(s, "sqlite", RT_DDL_CREATE, types_sqlite);
	check_ddl(s, "postgresql", RT_DDL_CREATE, types_postgresql);
	check_ddl(s, "postgresql", RT_DDL_DROP, types_drop_postgresql);
	check_ddl(s, "sqlite", RT_DDL_DROP, types_drop_sqlite);
	rt_schema_free(s);
}

/* A statement list, as migrations will use it: no semicolons, one per item. */
static void test_statement_list(void)
{
	rt_schema *s = shop_schema();
	rt_arena *arena = rt__arena_new();
	rt_sql_list list = {0};
	CHECK_OK(rt__ddl_create_all(arena, &list, s, &rt__dialect_postgres));
	CHECK_INT(list.count, 9);
	CHECK_STR(list.items[0], "CREATE TYPE \"cart_status\" AS ENUM ('open', 'paid', 'shipped')");
	CHECK_STR(list.items[5], "CREATE INDEX \"ix_posts_title\" ON \"posts\" (\"title\")");
	rt_sql_list drops = {0};
	CHECK_OK(rt__ddl_drop_all(arena, &drops, s, rt__dialect_find("sqlite")));
	CHECK_INT(drops.count, 5);
	rt__arena_free(arena);
	rt_schema_free(s);
}

/* Pieces migrations reuse, and identifiers that need quoting. */
static void test_pieces(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "odd \"name\"", NULL);
	rt_column *c = column(s, t, "select", RT_TYPE_STRING, true);
	c->type.length = 5;
	set_default(c, RT_LITERAL_STRING, "a'b");
	rt_buf buf = RT_BUF_INIT;
	rt__ddl_column(&buf, s, t, c, rt__dialect_find("sqlite"));
	CHECK_STR(rt__buf_cstr(&buf), "\"select\" VARCHAR(5) DEFAULT 'a''b'");
	rt__buf_clear(&buf);

	rt_constraint *uq = constraint(s, t, RT_CONSTRAINT_UNIQUE, "uq_odd", "select", NULL);
	rt__ddl_constraint(&buf, s, t, uq, &rt__dialect_postgres);
	CHECK_STR(rt__buf_cstr(&buf), "CONSTRAINT \"uq_odd\" UNIQUE (\"select\")");
	rt__buf_clear(&buf);

	rt_index *ix = rt__table_add_index(s, t, "ix_odd", false);
	rt__index_add_column(s, ix, "select");
	rt__ddl_create_index(&buf, t, ix, &rt__dialect_postgres);
	CHECK_STR(rt__buf_cstr(&buf), "CREATE INDEX \"ix_odd\" ON \"odd \"\"name\"\"\" (\"select\")");
	rt__buf_clear(&buf);

	rt__ddl_create_table(&buf, s, t, &rt__dialect_postgres, true);
	CHECK_STR(rt__buf_cstr(&buf), "CREATE TABLE \"odd \"\"name\"\"\" (\n"
				      "  \"select\" VARCHAR(5) DEFAULT 'a''b',\n"
				      "  CONSTRAINT \"uq_odd\" UNIQUE (\"select\")\n"
				      ")");
	rt__buf_free(&buf);
	rt_schema_free(s);
}

/* create_table with keys held back (for ALTER TABLE afterwards). */
static void test_create_table_without_keys(void)
{
	rt_schema *s = shop_schema();
	rt_buf buf = RT_BUF_INIT;
	rt__ddl_create_table(&buf, s, rt__schema_find_table(s, "posts"), &rt__dialect_postgres,
			     false);
	CHECK(strstr(rt__buf_cstr(&buf), "FOREIGN KEY") == NULL);
	CHECK(strstr(rt__buf_cstr(&buf), "\"pk_posts\" PRIMARY KEY") != NULL);
	rt__buf_free(&buf);
	rt_schema_free(s);
}

/* A unique constraint on the primary key's columns, or on those of an
 * earlier unique constraint: PostgreSQL's CREATE TABLE would drop it
 * silently, so it comes after the table there; SQLite keeps it inline. */
static rt_schema *repeated_uniques_schema(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "pairs", NULL);
	column(s, t, "a", RT_TYPE_INT, false);
	column(s, t, "b", RT_TYPE_INT, false);
	constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY, "pk_pairs", "a", "b", NULL);
	constraint(s, t, RT_CONSTRAINT_UNIQUE, "u_key", "b", "a", NULL);
	constraint(s, t, RT_CONSTRAINT_UNIQUE, "u_b", "b", NULL);
	constraint(s, t, RT_CONSTRAINT_UNIQUE, "u_b_again", "b", NULL);
	return s;
}

static void test_repeated_uniques(void)
{
	rt_schema *s = repeated_uniques_schema();
	check_ddl(s, "postgresql", RT_DDL_CREATE,
		  "CREATE TABLE \"pairs\" (\n"
		  "  \"a\" INTEGER NOT NULL,\n"
		  "  \"b\" INTEGER NOT NULL,\n"
		  "  CONSTRAINT \"pk_pairs\" PRIMARY KEY (\"a\", \"b\"),\n"
		  "  CONSTRAINT \"u_b\" UNIQUE (\"b\")\n"
		  ");\n"
		  "\n"
		  "ALTER TABLE \"pairs\" ADD CONSTRAINT \"u_key\" UNIQUE (\"b\", \"a\");\n"
		  "ALTER TABLE \"pairs\" ADD CONSTRAINT \"u_b_again\" UNIQUE (\"b\");\n");
	check_ddl(s, "sqlite", RT_DDL_CREATE,
		  "CREATE TABLE \"pairs\" (\n"
		  "  \"a\" INTEGER NOT NULL,\n"
		  "  \"b\" INTEGER NOT NULL,\n"
		  "  CONSTRAINT \"pk_pairs\" PRIMARY KEY (\"a\", \"b\"),\n"
		  "  CONSTRAINT \"u_key\" UNIQUE (\"b\", \"a\"),\n"
		  "  CONSTRAINT \"u_b\" UNIQUE (\"b\"),\n"
		  "  CONSTRAINT \"u_b_again\" UNIQUE (\"b\")\n"
		  ");\n");

	/* The single-table path migrations use: the same split. */
	const rt_table *t = rt__schema_find_table(s, "pairs");
	rt_buf buf = RT_BUF_INIT;
	rt__ddl_create_table(&buf, s, t, &rt__dialect_postgres, true);
	CHECK(strstr(rt__buf_cstr(&buf), "u_key") == NULL);
	CHECK(strstr(rt__buf_cstr(&buf), "\"u_b\" UNIQUE") != NULL);
	rt__buf_free(&buf);
	rt_arena *arena = rt__arena_new();
	rt_sql_list list = {0};
	CHECK_OK(rt__ddl_create_table_rest(arena, &list, s, t, &rt__dialect_postgres));
	CHECK_INT(list.count, 2);
	CHECK_STR(list.items[0], "ALTER TABLE \"pairs\" ADD CONSTRAINT \"u_key\" UNIQUE (\"b\", \"a\")");
	rt_sql_list none = {0};
	CHECK_OK(rt__ddl_create_table_rest(arena, &none, s, t, rt__dialect_find("sqlite")));
	CHECK_INT(none.count, 0);
	rt__arena_free(arena);
	rt_schema_free(s);
}

/* A foreign key to its own table through a unique index: on PostgreSQL it
 * waits for the index, which comes after CREATE TABLE; SQLite checks keys
 * only when rows change, so there it stays inline. */
static void test_key_to_own_unique_index(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "nodes", NULL);
	id_column(s, t);
	column(s, t, "name", RT_TYPE_TEXT, false);
	column(s, t, "parent", RT_TYPE_TEXT, true);
	foreign_key(s, t, "fk_nodes_parent_nodes", "parent", "nodes", "name");
	rt_index *ix = rt__table_add_index(s, t, "ux_nodes_name", true);
	rt__index_add_column(s, ix, "name");
	check_ddl(s, "postgresql", RT_DDL_CREATE,
		  "CREATE TABLE \"nodes\" (\n"
		  "  \"id\" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
		  "  \"name\" TEXT NOT NULL,\n"
		  "  \"parent\" TEXT,\n"
		  "  CONSTRAINT \"pk_nodes\" PRIMARY KEY (\"id\")\n"
		  ");\n"
		  "CREATE UNIQUE INDEX \"ux_nodes_name\" ON \"nodes\" (\"name\");\n"
		  "\n"
		  "ALTER TABLE \"nodes\" ADD CONSTRAINT \"fk_nodes_parent_nodes\" FOREIGN KEY "
		  "(\"parent\") REFERENCES \"nodes\" (\"name\");\n");
	char *text = ddl(s, "sqlite", RT_DDL_CREATE);
	CHECK(text && strstr(text, "CONSTRAINT \"fk_nodes_parent_nodes\" FOREIGN KEY") != NULL);
	CHECK(text && strstr(text, "ALTER TABLE") == NULL);
	rt_free(text);
	rt_schema_free(s);
}

/* A verbatim type is the user's own SQL: written as it is on every
 * backend, never quoted as a name. */
static void test_verbatim_types(void)
{
	static const char *const schema_text =
		"table docs {\n"
		"  id    bigint                primary key\n"
		"  code  sql 'character(3)'\n"
		"  tags  sql 'text[]'          server default '{}'\n"
		"  body  sql 'tsvector'?\n"
		"}\n";
	rt_schema *s = NULL;
	CHECK_INT(rt_schema_parse_string(&s, schema_text, strlen(schema_text), "docs.rt", NULL),
		  RT_OK);
	if (!s)
		return;
	const rt_dialect *dialects[] = {&rt__dialect_postgres, &rt__dialect_sqlite};
	for (size_t i = 0; i < 2; i++) {
		rt_buf buf = RT_BUF_INIT;
		rt__ddl_create_table(&buf, s, rt__schema_find_table(s, "docs"), dialects[i], true);
		const char *ddl = rt__buf_cstr(&buf);
		CHECK(strstr(ddl, "\"code\" character(3) NOT NULL") != NULL);
		CHECK(strstr(ddl, "\"tags\" text[] NOT NULL DEFAULT '{}'") != NULL);
		CHECK(strstr(ddl, "\"body\" tsvector,") != NULL ||
		      strstr(ddl, "\"body\" tsvector\n") != NULL);
		if (!strstr(ddl, "\"code\" character(3) NOT NULL"))
			fprintf(stderr, "%s", ddl);
		rt__buf_free(&buf);
	}
	rt_schema_free(s);
}

/* A dialect with a shorter identifier limit than the language's refuses
 * the DDL of a schema with a longer name, by name, and writes nothing. */
static void test_dialect_name_limit(void)
{
	rt_schema *s = shop_schema();
	rt_dialect short_names = rt__dialect_postgres;
	short_names.caps.max_identifier_length = 8;
	rt_arena *arena = rt__arena_new();
	rt_sql_list list = {0};
	CHECK_INT(rt__ddl_create_all(arena, &list, s, &short_names), RT_EINVAL);
	CHECK_INT(list.count, 0);
	CHECK(strstr(rt_error_last()->message, "bytes long; names may have at most 8 on "
					       "postgresql") != NULL);
	short_names.caps.max_identifier_length = 0;
	CHECK_OK(rt__ddl_create_all(arena, &list, s, &short_names));
	CHECK(list.count > 0);
	rt__arena_free(arena);
	rt_schema_free(s);
}

/* Names two tables may share: the language scopes them per table; a
 * dialect whose database keeps index names per schema (SQLite, PostgreSQL)
 * refuses a second table's index, key or table name clash, by name, both
 * tables and the dialect, writing nothing; one that keeps them per table
 * (MariaDB's caps) takes it, and refuses instead a foreign key name two
 * tables share when it keeps those per schema. */
static rt_schema *parse_text(const char *text)
{
	rt_schema *s = NULL;
	CHECK_INT(rt_schema_parse_string(&s, text, strlen(text), "m.rt", NULL), RT_OK);
	return s;
}

static void check_scopes(const char *text, const rt_dialect *d, const char *message)
{
	rt_schema *s = parse_text(text);
	if (!s)
		return;
	rt_arena *arena = rt__arena_new();
	rt_sql_list list = {0};
	int rc = rt__ddl_create_all(arena, &list, s, d);
	if (!message) {
		CHECK_OK(rc);
	} else {
		CHECK_INT(rc, RT_EINVAL);
		CHECK_INT(list.count, 0);
		CHECK(strstr(rt_error_last()->message, message) != NULL);
		if (!strstr(rt_error_last()->message, message))
			fprintf(stderr, "  message: %s\n  expected: %s\n",
				rt_error_last()->message, message);
	}
	rt__arena_free(arena);
	rt_schema_free(s);
}

static void test_name_scopes(void)
{
	static const char *const same_index =
		"table users {\n  id bigint primary key\n  name text\n  index by_name (name)\n}\n"
		"table teams {\n  id bigint primary key\n  name text\n  index by_name (name)\n}\n";
	static const char *const index_as_table =
		"table users {\n  id bigint primary key\n  name text\n  index teams (name)\n}\n"
		"table teams {\n  id bigint primary key\n}\n";
	static const char *const unique_as_index =
		"table users {\n  id bigint primary key\n  name text\n  unique uq (name)\n}\n"
		"table teams {\n  id bigint primary key\n  name text\n  index uq (name)\n}\n";
	static const char *const same_fk =
		"table users {\n  id bigint primary key\n}\n"
		"table posts {\n  id bigint primary key\n  uid bigint\n"
		"  foreign key fk_user (uid) references users(id)\n}\n"
		"table notes {\n  id bigint primary key\n  uid bigint\n"
		"  foreign key fk_user (uid) references users(id)\n}\n";
	rt_dialect per_table = rt__dialect_postgres;
	per_table.caps.index_names_per_table = true;
	per_table.caps.foreign_key_names_per_schema = true;
	const rt_dialect *shared[] = {&rt__dialect_postgres, rt__dialect_find("sqlite")};
	for (size_t i = 0; i < 2; i++) {
		const char *name = shared[i]->name;
		char message[256];
		snprintf(message, sizeof(message),
			 "m.rt:9:3: index by_name of table teams: the index of table users has "
			 "that name, and on %s index and key names are shared by all tables",
			 name);
		check_scopes(same_index, shared[i], message);
		check_scopes(index_as_table, shared[i],
			     "m.rt:4:3: index teams of table users: table teams has that name");
		check_scopes(unique_as_index, shared[i],
			     "m.rt:9:3: index uq of table teams: the unique constraint of table "
			     "users has that name");
		check_scopes(same_fk, shared[i], NULL);
	}
	/* On PostgreSQL the names are each schema's: tables of two schemas
	 * may share them, two tables of one schema may not. */
	static const char *const two_schemas =
		"table users {\n  id bigint primary key\n  name text\n  index by_name (name)\n}\n"
		"table accounts {\n  schema 'billing'\n  id bigint primary key\n  name text\n"
		"  index by_name (name)\n  index users (name)\n}\n"
		"table users {\n  schema 'billing'\n  id bigint primary key\n}\n";
	static const char *const one_schema =
		"table users {\n  schema 'billing'\n  id bigint primary key\n  name text\n"
		"  index by_name (name)\n}\n"
		"table accounts {\n  schema 'billing'\n  id bigint primary key\n  name text\n"
		"  index by_name (name)\n}\n";
	check_scopes(two_schemas, &rt__dialect_postgres,
		     "m.rt:11:3: index users of table billing.accounts: table billing.users has "
		     "that name");
	check_scopes(one_schema, &rt__dialect_postgres,
		     "m.rt:11:3: index by_name of table billing.accounts: the index of table "
		     "billing.users has that name");
	check_scopes(same_index, &per_table, NULL);
	check_scopes(index_as_table, &per_table, NULL);
	check_scopes(unique_as_index, &per_table, NULL);
	check_scopes(same_fk, &per_table,
		     "m.rt:12:3: foreign key fk_user of table notes: the foreign key of table "
		     "posts has that name, and on postgresql foreign key names are shared by "
		     "all tables; rename one");
}

static void test_errors_and_empty(void)
{
	rt_schema *s = rt__schema_new();
	char *out = NULL;
	CHECK_OK(rt_schema_ddl(&out, s, "sqlite", RT_DDL_CREATE));
	CHECK_STR(out, "");
	rt_free(out);
	CHECK_INT(rt_schema_ddl(&out, s, "oracle", RT_DDL_CREATE), RT_EINVAL);
	CHECK(out == NULL);
	CHECK_INT(rt_schema_ddl(&out, NULL, "sqlite", RT_DDL_CREATE), RT_EINVAL);
	rt_schema_free(s);
}

int main(void)
{
	RT_RUN(test_dialect_name_limit);
	RT_RUN(test_shop);
	RT_RUN(test_types_and_cycles);
	RT_RUN(test_statement_list);
	RT_RUN(test_pieces);
	RT_RUN(test_create_table_without_keys);
	RT_RUN(test_repeated_uniques);
	RT_RUN(test_key_to_own_unique_index);
	RT_RUN(test_verbatim_types);
	RT_RUN(test_name_scopes);
	RT_RUN(test_errors_and_empty);
	return rt_test_done();
}
