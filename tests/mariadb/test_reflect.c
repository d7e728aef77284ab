/*
 * test_reflect.c - the MariaDB dialect's reflection (mariadb_reflect.c)
 * and canonicalize on tables made by hand, as an existing database holds
 * them: types and their spellings, enums shared by columns, json, every
 * kind of default, keys named PRIMARY, unique indexes as unique keys, a
 * foreign key's own index, RESTRICT as NO ACTION, checks in the
 * language's spelling, and what the language cannot keep named (a
 * generated column with its expression, an index by its kind).
 */
#include <string.h>

#include "test.h"
#include "support/test_dialect.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "dialect/dialect.h"
#include "dialect/mariadb.h"
#include "engine/url.h"
#include "schema/metadata.h"

static rt_arena *arena;
static rt_connect_params params;
static const rt_dialect *dialect;
static rt_driver_conn *conn;
static rt_schema *schema;

static void exec_ok(const char *sql)
{
	int rc = dialect->exec(conn, sql);
	if (rc != RT_OK)
		fprintf(stderr, "exec %s: %s\n", sql, rt_error_last()->message);
	CHECK_INT(rc, RT_OK);
}

static const rt_column *column(const char *table, const char *name)
{
	const rt_table *t = schema ? rt__schema_find_table(schema, table) : NULL;
	const rt_column *c = t ? rt__table_find_column(t, name) : NULL;
	if (!c)
		fprintf(stderr, "no column %s.%s\n", table, name);
	return c;
}

static bool has_not_kept(const char *part)
{
	for (size_t i = 0; schema && i < schema->not_kept_count; i++)
		if (strstr(schema->not_kept[i], part))
			return true;
	fprintf(stderr, "no not-kept line with '%s'\n", part);
	return false;
}

static const rt_db_object *object(const char *kind, const char *name)
{
	for (size_t i = 0; schema && i < schema->object_count; i++)
		if (strcmp(schema->objects[i]->kind, kind) == 0 &&
		    strcmp(schema->objects[i]->name, name) == 0)
			return schema->objects[i];
	fprintf(stderr, "no %s %s among the objects\n", kind, name);
	return NULL;
}

/* The view, function or trigger of that kind and name the schema
 * declares, as reflection read it; NULL (said) when none. */
static const rt_sql_object *sql_object(const rt_schema *in, rt_sql_kind kind, const char *name)
{
	for (size_t i = 0; in && i < in->sql_object_count; i++)
		if (in->sql_objects[i]->kind == kind && strcmp(in->sql_objects[i]->name, name) == 0)
			return in->sql_objects[i];
	fprintf(stderr, "no %s %s among the SQL objects\n", rt__sql_kind_name(kind), name);
	return NULL;
}

static int sql_index(const rt_schema *in, rt_sql_kind kind, const char *name)
{
	const rt_sql_object *o = sql_object(in, kind, name);
	for (size_t i = 0; o && i < in->sql_object_count; i++)
		if (in->sql_objects[i] == o)
			return (int)i;
	return -1;
}

static void test_reflect(void)
{
	CHECK_OK(dialect->connect(&conn, &params));
	if (!conn)
		return;
	/* A database of its own: reflection reads the current one whole. */
	exec_ok("DROP DATABASE IF EXISTS retort_reflect; CREATE DATABASE retort_reflect"
		" CHARACTER SET utf8mb4; USE retort_reflect");
	exec_ok("CREATE TABLE rf_owner (id INT AUTO_INCREMENT PRIMARY KEY,"
		" email VARCHAR(80) NOT NULL, nick VARCHAR(20) COMMENT 'it''s shown',"
		" code VARCHAR(8) COLLATE utf8mb4_bin CHECK (code <> ''),"
		" twice INT AS (length(email) * 2) STORED, half INT AS (length(email) / 2) VIRTUAL,"
		" UNIQUE KEY uq_owner_email (email), INDEX ix_owner_nick_prefix (nick(5)),"
		" FULLTEXT INDEX ft_owner_nick (nick, email))"
		" COMMENT = 'who owns items'");
	exec_ok("CREATE TABLE rf_item ("
		" id BIGINT NOT NULL AUTO_INCREMENT,"
		" owner_id INT NOT NULL,"
		" state ENUM('new','it''s','done') NOT NULL DEFAULT 'new',"
		" other ENUM('new','it''s','done'),"
		" doc JSON,"
		" flag BOOLEAN NOT NULL DEFAULT TRUE,"
		" price DECIMAL(8,2) NOT NULL DEFAULT 1.50,"
		" ratio DOUBLE DEFAULT 2.5e1,"
		" at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
		" noon TIME(6) DEFAULT '12:00:00',"
		" label VARCHAR(10) DEFAULT 'it''s',"
		" total INT DEFAULT (1 + 2),"
		" odd MEDIUMINT UNSIGNED,"
		" CONSTRAINT pk_ignored PRIMARY KEY (id),"
		" CONSTRAINT fk_item_owner FOREIGN KEY (owner_id) REFERENCES rf_owner (id),"
		" CONSTRAINT ck_item_price CHECK (price >= 0 AND lcase(label) = label),"
		" CONSTRAINT ck_rf_item_state_enum CHECK (state IN ('new','it''s','done')))");
	exec_ok("CREATE UNIQUE INDEX ux_item_label ON rf_item (label)");
	exec_ok("CREATE INDEX ix_item_at ON rf_item (at, noon)");
	exec_ok("CREATE VIEW rf_view AS SELECT id FROM rf_owner");
	exec_ok("CREATE PROCEDURE rf_proc() BEGIN SELECT 1; END");
	exec_ok("CREATE FUNCTION rf_func(x INT) RETURNS INT DETERMINISTIC RETURN x + 1");
	exec_ok("CREATE TABLE rf_legacy (id INT PRIMARY KEY) DEFAULT CHARSET=latin1");
	exec_ok("CREATE TRIGGER rf_trigger BEFORE INSERT ON rf_owner FOR EACH ROW SET NEW.nick = NEW.nick");

	long beside = conn->checks_beside;
	CHECK_OK(dialect->reflect(&schema, dialect, conn));
	if (!schema)
		return;
	/* The checks were read on a second connection, beside the rest
	 * (each read opens every table: seconds at 10,000 tables). */
	CHECK_INT(conn->checks_beside, beside + 1);
	CHECK_INT(schema->table_count, 3);
	const rt_column *c;
	if ((c = column("rf_item", "id"))) {
		CHECK_INT(c->type.kind, RT_TYPE_BIGINT);
		CHECK(c->autoincrement);
		CHECK(!c->nullable);
	}
	if ((c = column("rf_item", "state"))) {
		CHECK_INT(c->type.kind, RT_TYPE_ENUM);
		CHECK(c->type.enum_type && c->type.enum_type->value_count == 3 &&
		      strcmp(c->type.enum_type->values[1], "it's") == 0);
		CHECK_INT(c->server_default.kind, RT_LITERAL_ENUM);
		CHECK_STR(c->server_default.text, "new");
		const rt_column *other = column("rf_item", "other");
		/* Two columns with the same values share one enum. */
		CHECK(other && other->type.enum_type == c->type.enum_type);
		CHECK_INT(schema->enum_count, 1);
	}
	if ((c = column("rf_item", "doc")))
		CHECK_INT(c->type.kind, RT_TYPE_JSON);
	/* Comments are read; what the language has no word for is named. */
	if ((c = column("rf_owner", "nick")))
		CHECK_STR(c->comment, "it's shown");
	if ((c = column("rf_owner", "email")))
		CHECK(c->comment == NULL);
	const rt_table *owner_table = rt__schema_find_table(schema, "rf_owner");
	CHECK(owner_table && owner_table->comment &&
	      strcmp(owner_table->comment, "who owns items") == 0);
	CHECK(has_not_kept("rf_owner.code: column check CHECK (\"code\" <> '')"));
	/* A collation other than the table's is the column's own. */
	if ((c = column("rf_owner", "code")))
		CHECK_STR(c->collation, "utf8mb4_bin");
	if ((c = column("rf_item", "flag"))) {
		CHECK_INT(c->type.kind, RT_TYPE_BOOL);
		CHECK_INT(c->server_default.kind, RT_LITERAL_BOOL);
		CHECK_STR(c->server_default.text, "true");
	}
	if ((c = column("rf_item", "price"))) {
		CHECK_INT(c->type.kind, RT_TYPE_NUMERIC);
		CHECK_INT(c->type.precision, 8);
		CHECK_INT(c->type.scale, 2);
		CHECK_INT(c->server_default.kind, RT_LITERAL_NUMBER);
		CHECK_STR(c->server_default.text, "1.5");
	}
	if ((c = column("rf_item", "ratio")))
		CHECK_STR(c->server_default.text, "25");
	if ((c = column("rf_item", "at"))) {
		CHECK_INT(c->type.kind, RT_TYPE_TIMESTAMP);
		CHECK_INT(c->server_default.kind, RT_LITERAL_NOW);
	}
	if ((c = column("rf_item", "noon"))) {
		CHECK_INT(c->type.kind, RT_TYPE_TIME);
		CHECK_STR(c->server_default.text, "12:00:00");
	}
	if ((c = column("rf_item", "label"))) {
		CHECK_INT(c->server_default.kind, RT_LITERAL_STRING);
		CHECK_STR(c->server_default.text, "it's");
	}
	if ((c = column("rf_item", "total"))) {
		CHECK_INT(c->server_default.kind, RT_LITERAL_SQL);
		CHECK_STR(c->server_default.text, "1 + 2");
	}
	if ((c = column("rf_item", "odd"))) {
		CHECK_INT(c->type.kind, RT_TYPE_SQL);
		CHECK_STR(c->type.sql, "mediumint(8) unsigned");
	}

	const rt_table *item = rt__schema_find_table(schema, "rf_item");
	const rt_table *owner = rt__schema_find_table(schema, "rf_owner");
	if (item && owner) {
		/* PRIMARY gets the language's default name. */
		CHECK(item->primary_key && strcmp(item->primary_key->name, "pk_rf_item") == 0);
		const rt_constraint *fk = rt__table_find_constraint(item, "fk_item_owner");
		CHECK(fk && fk->kind == RT_CONSTRAINT_FOREIGN_KEY &&
		      strcmp(fk->ref_table, "rf_owner") == 0 && fk->on_delete == RT_FK_NO_ACTION);
		/* The unique index is a unique key; the foreign key's own index
		 * is not an index of the table; the enum's check is the enum. */
		const rt_constraint *ux = rt__table_find_constraint(item, "ux_item_label");
		CHECK(ux && ux->kind == RT_CONSTRAINT_UNIQUE);
		CHECK(rt__table_find_index(item, "fk_item_owner") == NULL);
		CHECK(rt__table_find_constraint(item, "ck_rf_item_state_enum") == NULL);
		const rt_index *ix = rt__table_find_index(item, "ix_item_at");
		CHECK(ix && ix->key_count == 2 && !ix->unique);
		CHECK_INT(item->index_count, 1);
		const rt_constraint *ck = rt__table_find_constraint(item, "ck_item_price");
		CHECK(ck && ck->check);
		if (ck && ck->check)
			CHECK_STR(ck->check, "price >= 0 and lower(label) = label");
		CHECK(rt__table_find_constraint(owner, "uq_owner_email") != NULL);
		/* A prefix index cannot be said: named, not kept; a FULLTEXT
		 * one is `using fulltext`. */
		CHECK(rt__table_find_index(owner, "ix_owner_nick_prefix") == NULL);
		const rt_index *ft = rt__table_find_index(owner, "ft_owner_nick");
		CHECK(ft && ft->method && strcmp(ft->method, "fulltext") == 0 && ft->key_count == 2);
		CHECK_INT(owner->index_count, 1);
	}
	/* Indexes the language cannot declare are objects of the database,
	 * with the statements that make and drop them. */
	const rt_db_object *ob = object("index", "ix_owner_nick_prefix");
	if (ob) {
		CHECK_STR(ob->table, "rf_owner");
		CHECK_STR(ob->create_sql, "CREATE INDEX `ix_owner_nick_prefix` ON `rf_owner` (`nick`(5))");
		CHECK_STR(ob->drop_sql, "DROP INDEX `ix_owner_nick_prefix` ON `rf_owner`");
	}
	CHECK(object("index", "ft_owner_nick") == NULL);
	/* A generated column reads with its expression, in the language's
	 * spelling. */
	if ((c = column("rf_owner", "twice"))) {
		CHECK_STR(c->generated, "length(email) * 2");
		CHECK(!c->generated_virtual);
	}
	if ((c = column("rf_owner", "half"))) {
		CHECK_STR(c->generated, "length(email) / 2");
		CHECK(c->generated_virtual);
	}
	/* Routines beside the tables are never dropped, never changed
	 * silently: objects, each with the statements that drop it and make
	 * it again. */
	/* Views, functions, procedures and triggers of the session's account
	 * are the schema's SQL objects: a view's query, the others'
	 * statements without the definer. */
	const rt_sql_object *so = sql_object(schema, RT_SQL_VIEW, "rf_view");
	if (so)
		CHECK(strncmp(so->sql, "select ", 7) == 0);
	if ((so = sql_object(schema, RT_SQL_TRIGGER, "rf_trigger"))) {
		CHECK_STR(so->table, "rf_owner");
		CHECK(strncmp(so->sql, "CREATE TRIGGER rf_trigger BEFORE INSERT", 39) == 0);
	}
	if ((so = sql_object(schema, RT_SQL_PROCEDURE, "rf_proc")))
		CHECK(strncmp(so->sql, "CREATE PROCEDURE ", 17) == 0);
	if ((so = sql_object(schema, RT_SQL_FUNCTION, "rf_func")))
		CHECK(strncmp(so->sql, "CREATE FUNCTION ", 16) == 0);
	/* A table's own character set is its collation, `collate NAME`. */
	const rt_table *legacy = rt__schema_find_table(schema, "rf_legacy");
	CHECK(legacy && legacy->collation && strcmp(legacy->collation, "latin1_swedish_ci") == 0);
	CHECK(rt__schema_find_table(schema, "rf_view") == NULL);
	rt_schema_free(schema);
	schema = NULL;
	exec_ok("DROP DATABASE retort_reflect");
}

static int object_index(const rt_schema *in, const char *kind, const char *name)
{
	for (size_t i = 0; in && i < in->object_count; i++)
		if (strcmp(in->objects[i]->kind, kind) == 0 &&
		    strcmp(in->objects[i]->name, name) == 0)
			return (int)i;
	return -1;
}

/* The objects besides tables: each with the statement that makes it
 * again, in the order to make them (a view after the view it reads, a
 * routine before the view that calls it), a routine made under another
 * sql_mode made again under it; dropped and made again from those
 * statements, each reads back the same. */
static void test_objects(void)
{
	if (!conn)
		return;
	exec_ok("DROP DATABASE IF EXISTS retort_reflect; CREATE DATABASE retort_reflect;"
		" USE retort_reflect");
	exec_ok("CREATE TABLE ob_note (id INT PRIMARY KEY, body TEXT)");
	exec_ok("CREATE SEQUENCE ob_ticket START WITH 20 INCREMENT BY 5");
	exec_ok("CREATE FUNCTION ob_twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2");
	exec_ok("SET STATEMENT sql_mode = 'STRICT_ALL_TABLES' FOR"
		" CREATE PROCEDURE ob_hello() BEGIN SELECT \"hi\"; END");
	exec_ok("CREATE VIEW ob_b_inner AS SELECT id, ob_twice(id) AS doubled FROM ob_note");
	exec_ok("CREATE VIEW ob_a_outer AS SELECT doubled FROM ob_b_inner WHERE id > 1");
	exec_ok("CREATE TRIGGER ob_touch BEFORE INSERT ON ob_note FOR EACH ROW"
		" BEGIN SET NEW.body = concat(NEW.body, '!'); END");
	exec_ok("CREATE EVENT ob_sweep ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00'"
		" DISABLE DO DELETE FROM ob_note");
	exec_ok("CREATE INDEX ob_body_prefix ON ob_note (body(10))");

	rt_schema *before = NULL, *after = NULL;
	CHECK_OK(dialect->reflect(&before, dialect, conn));
	if (!before)
		return;
	CHECK_INT(before->table_count, 1);
	CHECK_INT(before->not_kept_count, 0);
	/* The sequence, the views, the function, the procedure and the
	 * trigger are SQL objects, in the order to make them (the procedure
	 * with the sql_mode it was made under); the rest the database's own. */
	CHECK_INT(before->object_count, 2);
	CHECK_INT(before->sql_object_count, 6);
	int inner = sql_index(before, RT_SQL_VIEW, "ob_b_inner");
	int outer = sql_index(before, RT_SQL_VIEW, "ob_a_outer");
	int twice = sql_index(before, RT_SQL_FUNCTION, "ob_twice");
	int touch = sql_index(before, RT_SQL_TRIGGER, "ob_touch");
	int hello = sql_index(before, RT_SQL_PROCEDURE, "ob_hello");
	int ticket = sql_index(before, RT_SQL_SEQUENCE, "ob_ticket");
	CHECK(inner >= 0 && outer > inner && twice >= 0 && twice < inner && touch > twice);
	CHECK(ticket >= 0 && ticket < twice);
	CHECK(object_index(before, "event", "ob_sweep") >= 0);
	CHECK(object_index(before, "index", "ob_body_prefix") >= 0);
	if (hello >= 0)
		CHECK_STR(before->sql_objects[hello]->sql,
			  "SET STATEMENT sql_mode = 'STRICT_ALL_TABLES' FOR CREATE PROCEDURE "
			  "`ob_hello`()\nBEGIN SELECT \"hi\"; END");
	if (ticket >= 0)
		CHECK(strncmp(before->sql_objects[ticket]->sql,
			      "CREATE SEQUENCE \"ob_ticket\" start with 20 ", 40) == 0);
	for (size_t i = before->object_count; i-- > 0;)
		exec_ok(before->objects[i]->drop_sql);
	CHECK_OK(dialect->reflect(&after, dialect, conn));
	CHECK(after && after->object_count == 0);
	rt_schema_free(after);
	after = NULL;
	for (size_t i = 0; i < before->object_count; i++)
		exec_ok(before->objects[i]->create_sql);
	CHECK_OK(dialect->reflect(&after, dialect, conn));
	CHECK(after && after->object_count == before->object_count);
	for (size_t i = 0; after && i < before->object_count && i < after->object_count; i++) {
		CHECK_STR(after->objects[i]->name, before->objects[i]->name);
		CHECK_STR(after->objects[i]->create_sql, before->objects[i]->create_sql);
	}
	rt_schema_free(before);
	rt_schema_free(after);
	exec_ok("DROP DATABASE retort_reflect");
}

static int push_exec(void *ctx, rt_buf *sql, rt_stmt_kind kind)
{
	(void)ctx;
	(void)kind;
	int rc = dialect->exec(conn, rt__buf_cstr(sql));
	if (rc != RT_OK)
		fprintf(stderr, "%s: %s\n", rt__buf_cstr(sql), rt_error_last()->message);
	rt__buf_clear(sql);
	return rc;
}

/* The migration hooks: MODIFY COLUMN restates the column, DROP INDEX
 * names its table; what cannot be done is refused by name. */
static void test_ddl_hooks(void)
{
	if (!conn)
		return;
	exec_ok("DROP DATABASE IF EXISTS retort_reflect; CREATE DATABASE retort_reflect;"
		" USE retort_reflect");
	exec_ok("CREATE TABLE hk (id INT PRIMARY KEY, v INT, w INT)");
	exec_ok("CREATE INDEX ix_hk_w ON hk (w)");
	exec_ok("INSERT INTO hk VALUES (1, 7, 1)");

	rt_buf buf = RT_BUF_INIT;
	rt_table hk_def = {.name = "hk"};
	CHECK_OK(dialect->drop_index(&buf, dialect, &hk_def, "ix_hk_w"));
	CHECK_STR(rt__buf_cstr(&buf), "DROP INDEX `ix_hk_w` ON `hk`");
	exec_ok(rt__buf_cstr(&buf));
	rt__buf_clear(&buf);
	CHECK_INT(dialect->drop_index(&buf, dialect, NULL, "ix_hk_w"), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "ix_hk_w") != NULL);

	rt_schema *s = rt__schema_new();
	rt_table *t = s ? rt__schema_add_table(s, "hk", NULL) : NULL;
	rt_column *before = t ? rt__table_add_column(s, t, "v") : NULL;
	if (before) {
		before->type.kind = RT_TYPE_INT;
		before->nullable = true;
		rt_column after = *before;
		after.type.kind = RT_TYPE_BIGINT;
		after.nullable = false;
		rt_column_change change = {.schema = s, .table = t, .before = before,
					   .after = &after, .set_type = true, .set_null = true,
					   .set_default = true, .default_sql = "5",
					   .definition_sql = "`v` BIGINT NOT NULL DEFAULT 5"};
		CHECK_OK(dialect->alter_column(dialect, &change, push_exec, NULL));
		change.using_expr = "v * 2";
		CHECK_INT(dialect->alter_column(dialect, &change, push_exec, NULL), RT_EINVAL);
		CHECK(strstr(rt_error_last()->message, "USING v * 2") != NULL);
	}
	rt_schema_free(s);
	rt_schema *read = NULL;
	CHECK_OK(dialect->reflect(&read, dialect, conn));
	const rt_table *hk = read ? rt__schema_find_table(read, "hk") : NULL;
	const rt_column *v = hk ? rt__table_find_column(hk, "v") : NULL;
	CHECK(v && v->type.kind == RT_TYPE_BIGINT && !v->nullable &&
	      v->server_default.kind == RT_LITERAL_NUMBER);
	CHECK(hk && hk->index_count == 0);
	rt_schema_free(read);
	rt__buf_free(&buf);
	exec_ok("DROP DATABASE retort_reflect");
}

/* The drop_constraint hook spells the drop by the constraint's kind (a
 * unique key is an index, a foreign key has its own words, a CHECK is a
 * constraint, the primary key has no name), and refuses one whose kind is
 * not known, by name. A foreign key takes the index InnoDB made for it
 * (named as the key) with it, and leaves an index of the table's own that
 * it used. */
static void test_drop_constraint_hook(void)
{
	if (!conn)
		return;
	exec_ok("DROP DATABASE IF EXISTS retort_reflect; CREATE DATABASE retort_reflect;"
		" USE retort_reflect");
	exec_ok("CREATE TABLE dc_owner (id INT PRIMARY KEY)");
	exec_ok("CREATE TABLE dc (id INT NOT NULL, owner_id INT, code INT, n INT,"
		" CONSTRAINT pk_dc PRIMARY KEY (id),"
		" CONSTRAINT uq_dc_code UNIQUE (code),"
		" CONSTRAINT fk_dc_owner FOREIGN KEY (owner_id) REFERENCES dc_owner (id),"
		" CONSTRAINT ck_dc_n CHECK (n >= 0))");
	exec_ok("CREATE TABLE dc_own (owner_id INT, KEY ix_dc_own_owner (owner_id),"
		" CONSTRAINT fk_dc_own_owner FOREIGN KEY (owner_id) REFERENCES dc_owner (id))");
	static const struct {
		rt_constraint_kind kind;
		const char *name, *sql;
	} drops[] = {
		{RT_CONSTRAINT_UNIQUE, "uq_dc_code", "ALTER TABLE `dc` DROP INDEX `uq_dc_code`"},
		{RT_CONSTRAINT_FOREIGN_KEY, "fk_dc_owner",
		 "ALTER TABLE `dc` DROP FOREIGN KEY `fk_dc_owner`, DROP INDEX IF EXISTS `fk_dc_owner`"},
		{RT_CONSTRAINT_CHECK, "ck_dc_n", "ALTER TABLE `dc` DROP CONSTRAINT `ck_dc_n`"},
		{RT_CONSTRAINT_PRIMARY_KEY, "pk_dc", "ALTER TABLE `dc` DROP PRIMARY KEY"},
	};
	rt_buf buf = RT_BUF_INIT;
	rt_table dc_def = {.name = "dc"}, dc_own_def = {.name = "dc_own"};
	for (size_t i = 0; i < sizeof(drops) / sizeof(*drops); i++) {
		rt_constraint c = {.kind = drops[i].kind, .name = drops[i].name};
		CHECK_OK(dialect->drop_constraint(&buf, dialect, &dc_def, drops[i].name, &c));
		CHECK_STR(rt__buf_cstr(&buf), drops[i].sql);
		exec_ok(rt__buf_cstr(&buf));
		rt__buf_clear(&buf);
	}
	rt_constraint own = {.kind = RT_CONSTRAINT_FOREIGN_KEY, .name = "fk_dc_own_owner"};
	CHECK_OK(dialect->drop_constraint(&buf, dialect, &dc_own_def, own.name, &own));
	exec_ok(rt__buf_cstr(&buf));
	rt__buf_clear(&buf);
	CHECK_INT(dialect->drop_constraint(&buf, dialect, &dc_def, "ck_gone", NULL), RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "drop constraint ck_gone on dc") != NULL);
	CHECK_INT(buf.len, 0);
	rt__buf_free(&buf);

	rt_schema *read = NULL;
	CHECK_OK(dialect->reflect(&read, dialect, conn));
	const rt_table *dc = read ? rt__schema_find_table(read, "dc") : NULL;
	CHECK(dc && dc->constraint_count == 0 && !dc->primary_key);
	CHECK(dc && dc->index_count == 0);
	const rt_table *dc_own = read ? rt__schema_find_table(read, "dc_own") : NULL;
	CHECK(dc_own && dc_own->constraint_count == 0 && dc_own->index_count == 1 &&
	      strcmp(dc_own->indexes[0]->name, "ix_dc_own_owner") == 0);
	rt_schema_free(read);
	exec_ok("DROP DATABASE retort_reflect");
}

/* canonicalize brings a schema to what reflection reads back. */
static void test_canonicalize(void)
{
	rt_schema *s = rt__schema_new();
	if (!s)
		return;
	rt_table *t = rt__schema_add_table(s, "things", NULL);
	rt_column *a = t ? rt__table_add_column(s, t, "a") : NULL;
	rt_column *b = t ? rt__table_add_column(s, t, "b") : NULL;
	rt_column *v = t ? rt__table_add_column(s, t, "v") : NULL;
	rt_column *n = t ? rt__table_add_column(s, t, "n") : NULL;
	if (!a || !b || !v || !n) {
		rt_schema_free(s);
		return;
	}
	a->type = (rt_type){.kind = RT_TYPE_STRING};
	b->type = (rt_type){.kind = RT_TYPE_NUMERIC};
	b->server_default = (rt_literal){RT_LITERAL_NUMBER, "-1.20E+2"};
	v->type = (rt_type){.kind = RT_TYPE_SQL, .sql = "Character Varying (20)"};
	n->type = (rt_type){.kind = RT_TYPE_SQL, .sql = "integer"};
	rt_constraint *pk = rt__table_add_constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY, "my_pk");
	rt_index *ux = rt__table_add_index(s, t, "ux_things_a", true);
	if (pk)
		rt__constraint_add_column(s, pk, "n", false);
	if (ux)
		rt__index_add_column(s, ux, "a");
	dialect->canonicalize(s);
	CHECK_INT(a->type.kind, RT_TYPE_TEXT);
	CHECK_INT(b->type.precision, 65);
	CHECK_INT(b->type.scale, 30);
	CHECK_STR(b->server_default.text, "-120");
	CHECK_INT(v->type.kind, RT_TYPE_STRING);
	CHECK_INT(v->type.length, 20);
	CHECK_INT(n->type.kind, RT_TYPE_INT);
	CHECK(t->primary_key && strcmp(t->primary_key->name, "pk_things") == 0);
	CHECK_INT(t->index_count, 0);
	const rt_constraint *uq = rt__table_find_constraint(t, "ux_things_a");
	CHECK(uq && uq->kind == RT_CONSTRAINT_UNIQUE && uq->column_count == 1);
	rt_schema_free(s);
}

/* A check on columns whose names only work quoted (a reserved word, mixed
 * case) reads back in a form that runs again: the inspect property on
 * tests/schemas/22_identifiers.rt made a database from `from <> 'x'`,
 * a syntax error. */
static void test_quoted_names_in_checks(void)
{
	if (!conn)
		return;
	exec_ok("DROP DATABASE IF EXISTS retort_reflect; CREATE DATABASE retort_reflect;"
		" USE retort_reflect");
	exec_ok("CREATE TABLE rf_words (id INT PRIMARY KEY, `from` VARCHAR(5) NOT NULL,"
		" `order` INT, `userId` INT, plain INT, `we\"ird` INT,"
		" CONSTRAINT ck_words_from CHECK (`from` <> 'x'),"
		" CONSTRAINT ck_words_mixed CHECK (`order` > 0 AND `userId` <> plain),"
		" CONSTRAINT ck_words_weird CHECK (`we\"ird` >= 0))");
	rt_schema *s = NULL;
	CHECK_OK(dialect->reflect(&s, dialect, conn));
	const rt_table *t = s ? rt__schema_find_table(s, "rf_words") : NULL;
	CHECK(t != NULL);
	const char *texts[3] = {NULL, NULL, NULL};
	const char *names[3] = {"ck_words_from", "ck_words_mixed", "ck_words_weird"};
	for (int i = 0; t && i < 3; i++) {
		const rt_constraint *ck = rt__table_find_constraint(t, names[i]);
		CHECK(ck && ck->check);
		texts[i] = ck ? ck->check : NULL;
	}
	if (texts[0])
		CHECK_STR(texts[0], "\"from\" <> 'x'");
	if (texts[1])
		CHECK_STR(texts[1], "\"order\" > 0 and \"userId\" <> plain");
	if (texts[2])
		CHECK_STR(texts[2], "\"we\"\"ird\" >= 0");
	/* What was read makes the same checks again. */
	if (texts[0] && texts[1] && texts[2]) {
		char sql[1024];
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE rf_words_again (id INT PRIMARY KEY, `from` VARCHAR(5),"
			 " `order` INT, `userId` INT, plain INT, `we\"ird` INT,"
			 " CHECK (%s), CHECK (%s), CHECK (%s))",
			 texts[0], texts[1], texts[2]);
		exec_ok(sql);
		CHECK_INT(dialect->exec(conn, "INSERT INTO rf_words_again VALUES (1, 'x', 1, 1, 2, 0)"),
			  RT_ECONSTRAINT);
		exec_ok("INSERT INTO rf_words_again VALUES (1, 'y', 1, 1, 2, 0)");
	}
	rt_schema_free(s);
	exec_ok("DROP DATABASE retort_reflect");
}

/* Index names are per table: two tables with an index of the same name,
 * read one after the other (Sakila's film_actor and inventory both have
 * idx_fk_film_id), are two indexes of one column each, and a skipped
 * index of one table does not hide the same name in the next. */
static void test_same_index_names(void)
{
	if (!conn)
		return;
	exec_ok("DROP DATABASE IF EXISTS retort_reflect; CREATE DATABASE retort_reflect;"
		" USE retort_reflect");
	exec_ok("CREATE TABLE rf_a (id INT PRIMARY KEY, x INT, t VARCHAR(50), KEY ix_x (x),"
		" KEY ix_t (t(10)), FULLTEXT KEY ix_f (t))");
	exec_ok("CREATE TABLE rf_b (id INT PRIMARY KEY, t VARCHAR(50))");
	exec_ok("CREATE TABLE rf_c (id INT PRIMARY KEY, x INT, t VARCHAR(50), KEY ix_x (x),"
		" KEY ix_t (t))");
	rt_schema *s = NULL;
	CHECK_OK(dialect->reflect(&s, dialect, conn));
	const rt_table *a = s ? rt__schema_find_table(s, "rf_a") : NULL;
	const rt_table *c = s ? rt__schema_find_table(s, "rf_c") : NULL;
	const rt_index *ax = a ? rt__table_find_index(a, "ix_x") : NULL;
	const rt_index *cx = c ? rt__table_find_index(c, "ix_x") : NULL;
	const rt_index *ct = c ? rt__table_find_index(c, "ix_t") : NULL;
	const rt_index *af = a ? rt__table_find_index(a, "ix_f") : NULL;
	CHECK(ax && ax->key_count == 1);
	CHECK(cx && cx->key_count == 1);
	CHECK(ct && ct->key_count == 1 && !ct->method);
	CHECK(a && rt__table_find_index(a, "ix_t") == NULL); /* a prefix: not kept */
	CHECK(af && af->key_count == 1 && af->method && strcmp(af->method, "fulltext") == 0);
	rt_schema_free(s);
	exec_ok("DROP DATABASE retort_reflect");
}

/* RENAME COLUMN leaves a json column's check its old name while the
 * check's clause follows the column: the column still reads as json. */
static void test_renamed_json(void)
{
	if (!conn)
		return;
	exec_ok("DROP DATABASE IF EXISTS retort_reflect; CREATE DATABASE retort_reflect;"
		" USE retort_reflect");
	exec_ok("CREATE TABLE rf_doc (id INT PRIMARY KEY, body JSON)");
	exec_ok("ALTER TABLE rf_doc RENAME COLUMN body TO doc");
	CHECK_OK(dialect->reflect(&schema, dialect, conn));
	const rt_column *c = column("rf_doc", "doc");
	CHECK(c && c->type.kind == RT_TYPE_JSON);
	CHECK_INT(schema ? (int)schema->not_kept_count : -1, 0);
	rt_schema_free(schema);
	schema = NULL;
	exec_ok("DROP DATABASE retort_reflect");
}

/* The keys of every table as one text: kind, name, columns, the
 * referenced table and columns and the actions, in the table's order. */
static void keys_text(rt_buf *out, const rt_schema *in)
{
	for (size_t t = 0; in && t < in->table_count; t++) {
		const rt_table *table = in->tables[t];
		for (size_t i = 0; i < table->constraint_count; i++) {
			const rt_constraint *c = table->constraints[i];
			rt__buf_printf(out, "%s: %d %s (", table->name, (int)c->kind, c->name);
			for (size_t k = 0; k < c->column_count; k++)
				rt__buf_printf(out, " %s", c->columns[k]);
			rt__buf_printf(out, ") %s (", c->ref_table ? c->ref_table : "-");
			for (size_t k = 0; k < c->ref_column_count; k++)
				rt__buf_printf(out, " %s", c->ref_columns[k]);
			rt__buf_printf(out, ") %d %d\n", (int)c->on_delete, (int)c->on_update);
		}
	}
}

/* Foreign keys come from InnoDB's dictionary, which opens no table, when
 * the account may read it (PROCESS), and from KEY_COLUMN_USAGE when it
 * may not: both read the same keys in the same order. A table whose name
 * InnoDB keeps encoded (rf-odd) is read from KEY_COLUMN_USAGE too. */
static void test_keys_either_way(void)
{
	if (!conn)
		return;
	exec_ok("DROP DATABASE IF EXISTS retort_reflect; CREATE DATABASE retort_reflect;"
		" USE retort_reflect");
	exec_ok("CREATE TABLE rf_parent (a INT, b INT, c VARCHAR(10) NOT NULL, PRIMARY KEY (b, a),"
		" UNIQUE KEY uq_z (c), UNIQUE KEY uq_a (a, c))");
	exec_ok("CREATE TABLE rf_child (id INT PRIMARY KEY, pa INT, pb INT, c VARCHAR(10),"
		" CONSTRAINT fk_z FOREIGN KEY (pb, pa) REFERENCES rf_parent (b, a)"
		"  ON DELETE CASCADE ON UPDATE SET NULL,"
		" CONSTRAINT fk_a FOREIGN KEY (c) REFERENCES rf_parent (c) ON UPDATE CASCADE,"
		" FOREIGN KEY (pa) REFERENCES rf_child (id) ON DELETE SET NULL)");
	rt_schema *fast = NULL, *slow = NULL;
	CHECK_OK(dialect->reflect(&fast, dialect, conn));
	exec_ok("CREATE OR REPLACE USER rf_plain@localhost, rf_plain@'127.0.0.1';"
		" GRANT ALL ON retort_reflect.* TO rf_plain@localhost, rf_plain@'127.0.0.1'");
	rt_connect_params plain = params;
	plain.user = "rf_plain";
	plain.password = NULL;
	plain.database = "retort_reflect";
	rt_driver_conn *other = NULL;
	CHECK_OK(dialect->connect(&other, &plain));
	if (other)
		CHECK_OK(dialect->reflect(&slow, dialect, other));
	rt_buf a = RT_BUF_INIT, b = RT_BUF_INIT;
	keys_text(&a, fast);
	keys_text(&b, slow);
	CHECK(strstr(rt__buf_cstr(&a), "rf_child: 2 fk_z ( pb pa) rf_parent ( b a) 2 3") != NULL);
	CHECK(strstr(rt__buf_cstr(&a), "rf_child: 2 rf_child_ibfk_1 ( pa) rf_child ( id)") != NULL);
	CHECK(strstr(rt__buf_cstr(&a), "rf_parent: 1 uq_a ( a c)") != NULL);
	CHECK_STR(rt__buf_cstr(&b), rt__buf_cstr(&a));
	if (other)
		dialect->disconnect(other);
	rt_schema_free(fast);
	rt_schema_free(slow);
	rt__buf_free(&b);
	/* A name InnoDB writes @002d: the keys of the usage view. */
	exec_ok("CREATE TABLE \"rf-odd\" (id INT PRIMARY KEY, p INT,"
		" CONSTRAINT fk_odd FOREIGN KEY (p) REFERENCES rf_child (id))");
	CHECK_OK(dialect->reflect(&fast, dialect, conn));
	rt__buf_clear(&a);
	keys_text(&a, fast);
	CHECK(strstr(rt__buf_cstr(&a), "rf-odd: 2 fk_odd ( p) rf_child ( id)") != NULL);
	CHECK(strstr(rt__buf_cstr(&a), "rf_child: 2 fk_z ( pb pa) rf_parent ( b a) 2 3") != NULL);
	rt_schema_free(fast);
	rt__buf_free(&a);
	exec_ok("DROP USER rf_plain@localhost, rf_plain@'127.0.0.1'; DROP DATABASE retort_reflect");
}

int main(void)
{
	arena = rt__arena_new();
	if (!(dialect = test_dialect_open(&params, arena, "mariadb")))
		return 1;
	RT_RUN(test_reflect);
	RT_RUN(test_quoted_names_in_checks);
	RT_RUN(test_same_index_names);
	RT_RUN(test_objects);
	RT_RUN(test_canonicalize);
	RT_RUN(test_ddl_hooks);
	RT_RUN(test_drop_constraint_hook);
	RT_RUN(test_renamed_json);
	RT_RUN(test_keys_either_way);
	dialect->disconnect(conn);
	rt__arena_free(arena);
	return rt_test_done();
}
