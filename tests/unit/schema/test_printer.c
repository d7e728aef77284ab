/* Unit tests for src/schema/printer.c: golden text for schemas built by
 * hand, and round trips parse -> print -> parse for files covering every
 * construct of the schema language. */
#include "test.h"

#include "schema/metadata.h"
#include "schema/naming.h"

/* --- building by hand ----------------------------------------------------- */

static rt_column *add_column(rt_schema *s, rt_table *t, const char *name, rt_type_kind kind)
{
	rt_column *c = rt__table_add_column(s, t, name);
	c->type.kind = kind;
	return c;
}

static rt_constraint *add_constraint(rt_schema *s, rt_table *t, rt_constraint_kind kind,
				     const char *name, const char *column)
{
	rt_constraint *k = rt__table_add_constraint(s, t, kind, name);
	if (column)
		rt__constraint_add_column(s, k, column, false);
	return k;
}

/* A constraint on one column with the name the rules give it. */
static rt_constraint *add_default_unique(rt_schema *s, rt_table *t, const char *column)
{
	return add_constraint(s, t, RT_CONSTRAINT_UNIQUE,
			      rt__name_unique(s->arena, t->name, &column, 1), column);
}

static rt_constraint *add_default_fk(rt_schema *s, rt_table *t, const char *column,
				     const char *ref_table, const char *ref_column)
{
	rt_constraint *k = add_constraint(
		s, t, RT_CONSTRAINT_FOREIGN_KEY,
		rt__name_foreign_key(s->arena, t->name, &column, 1, ref_table), column);
	k->ref_table = ref_table;
	rt__constraint_add_column(s, k, ref_column, true);
	return k;
}

static void add_default_pk(rt_schema *s, rt_table *t, const char *column)
{
	add_constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY, rt__name_primary_key(s->arena, t->name),
		       column);
}

static rt_table *add_model(rt_schema *s, const char *model)
{
	rt_table *t = rt__schema_add_table(s, rt__name_table_for_model(s->arena, model), model);
	add_column(s, t, "id", RT_TYPE_BIGINT)->autoincrement = true;
	add_default_pk(s, t, "id");
	return t;
}

static char *print(const rt_schema *s)
{
	char *text = NULL;
	CHECK_OK(rt_schema_print(&text, s));
	return text;
}

#define CHECK_PRINTS(schema, expected)                                        \
	do {                                                                  \
		char *text_ = print(schema);                                  \
		CHECK_STR(text_, expected);                                   \
		rt_free(text_);                                               \
	} while (0)

static void test_models_with_default_names(void)
{
	rt_schema *s = rt__schema_new();
	rt_enum *status = rt__schema_add_enum(s, "CartStatus", "cart_status");
	rt__enum_add_value(s, status, "open");
	rt__enum_add_value(s, status, "paid");

	rt_table *users = add_model(s, "User");
	rt_column *c = add_column(s, users, "username", RT_TYPE_STRING);
	c->type.length = 50;
	add_default_unique(s, users, "username");
	c = add_column(s, users, "email", RT_TYPE_STRING);
	c->type.length = 255;
	c->nullable = true;

	rt_table *posts = add_model(s, "Post");
	c = add_column(s, posts, "title", RT_TYPE_STRING);
	c->type.length = 50;
	rt_index *ix = rt__table_add_index(s, posts, "ix_posts_title", false);
	rt__index_add_column(s, ix, "title");
	c = add_column(s, posts, "text", RT_TYPE_TEXT);
	c->default_value = (rt_literal){RT_LITERAL_STRING, ""};
	c->server_default = (rt_literal){RT_LITERAL_STRING, ""};
	add_column(s, posts, "user_id", RT_TYPE_BIGINT);
	rt_constraint *fk = add_default_fk(s, posts, "user_id", "users", "id");
	fk->on_delete = RT_FK_CASCADE;
	c = add_column(s, posts, "status", RT_TYPE_ENUM);
	c->type.enum_name = "CartStatus";
	c->server_default = (rt_literal){RT_LITERAL_ENUM, "open"};
	c = add_column(s, posts, "price", RT_TYPE_NUMERIC);
	c->type.precision = 10;
	c->type.scale = 2;
	rt_constraint *ck = add_constraint(s, posts, RT_CONSTRAINT_CHECK, "ck_posts_price", NULL);
	ck->check = "price >= 0";
	ck->check_column = "price";
	rt_relationship *r = rt__table_add_relationship(s, posts, "user");
	r->target = "User";
	r->back = "posts";
	r = rt__table_add_relationship(s, users, "posts");
	r->target = "Post";
	r->is_list = true;
	r->back = "user";
	r->order_by = "title";
	r->order_desc = true;
	r->cascade_delete = true;
	r->delete_orphan = true;

	rt_table *link = rt__schema_add_table(s, "post_tags", NULL);
	add_column(s, link, "post_id", RT_TYPE_BIGINT);
	add_column(s, link, "tag", RT_TYPE_STRING)->type.length = 20;
	rt_constraint *pk = add_constraint(s, link, RT_CONSTRAINT_PRIMARY_KEY, "pk_post_tags",
					   "post_id");
	rt__constraint_add_column(s, pk, "tag", false);
	add_default_fk(s, link, "post_id", "posts", "id");

	CHECK_PRINTS(s,
		     "enum CartStatus { open, paid }\n"
		     "\n"
		     "model User {\n"
		     "  id        bigint        primary key\n"
		     "  username  string(50)    unique\n"
		     "  email     string(255)?\n"
		     "  posts     Post[]        back user order by title desc cascade delete "
		     "delete orphan\n"
		     "}\n"
		     "\n"
		     "model Post {\n"
		     "  id       bigint         primary key\n"
		     "  title    string(50)     index\n"
		     "  text     text           default '' server default ''\n"
		     "  user_id  bigint         references users(id) on delete cascade\n"
		     "  status   CartStatus     server default open\n"
		     "  price    numeric(10,2)  check 'price >= 0'\n"
		     "  user     User           back posts\n"
		     "}\n"
		     "\n"
		     "table post_tags {\n"
		     "  post_id  bigint      references posts(id)\n"
		     "  tag      string(20)\n"
		     "  primary key (post_id, tag)\n"
		     "}\n");
	rt_schema_free(s);
}

static void test_names_that_differ_from_the_rules(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "accounts", "Account");
	rt_column *c = add_column(s, t, "id", RT_TYPE_INT);
	add_constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY, "accounts_pkey", "id");
	c->autoincrement = true;
	add_column(s, t, "code", RT_TYPE_TEXT);
	add_column(s, t, "region", RT_TYPE_TEXT);
	add_column(s, t, "parent_id", RT_TYPE_INT)->nullable = true;
	/* named by hand although the name equals the rule's */
	rt_constraint *k = add_constraint(s, t, RT_CONSTRAINT_UNIQUE, "uq_accounts_code", "code");
	k->name_given = true;
	k = add_constraint(s, t, RT_CONSTRAINT_UNIQUE, "uq_accounts_code_region", "code");
	rt__constraint_add_column(s, k, "region", false);
	k = add_constraint(s, t, RT_CONSTRAINT_UNIQUE, "acct_region_key", "region");
	k = add_constraint(s, t, RT_CONSTRAINT_FOREIGN_KEY, "accounts_parent_fk", "parent_id");
	k->ref_table = "accounts";
	rt__constraint_add_column(s, k, "id", true);
	k->on_delete = RT_FK_SET_NULL;
	k->on_update = RT_FK_RESTRICT;
	k = add_constraint(s, t, RT_CONSTRAINT_CHECK, "ck_accounts_1", NULL);
	k->check = "code <> region";
	k = add_constraint(s, t, RT_CONSTRAINT_CHECK, "ck_accounts_code", NULL);
	k->check = "length(code) = 4";
	k->check_column = "code";
	k->name_given = true;
	k = add_constraint(s, t, RT_CONSTRAINT_CHECK, "ck_accounts_2", NULL);
	k->check = "region <> 'it''s'";
	rt_index *ix = rt__table_add_index(s, t, "ix_accounts_code_region", true);
	rt__index_add_column(s, ix, "code");
	rt__index_add_column(s, ix, "region");
	ix = rt__table_add_index(s, t, "by_region", false);
	rt__index_add_column(s, ix, "region");

	CHECK_PRINTS(s,
		     "model Account {\n"
		     "  id         int\n"
		     "  code       text\n"
		     "  region     text\n"
		     "  parent_id  int?\n"
		     "  primary key accounts_pkey (id)\n"
		     "  unique uq_accounts_code (code)\n"
		     "  unique (code, region)\n"
		     "  unique acct_region_key (region)\n"
		     "  foreign key accounts_parent_fk (parent_id) references accounts(id) "
		     "on delete set null on update restrict\n"
		     "  check 'code <> region'\n"
		     "  check ck_accounts_code 'length(code) = 4'\n"
		     "  check 'region <> ''it''''s'''\n"
		     "  unique index (code, region)\n"
		     "  index by_region (region)\n"
		     "}\n");
	rt_schema_free(s);
}

static void test_autoincrement_and_column_options(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "people_table", "Person");
	t->comment = "someone\nwho is";
	t->was = "persons";
	rt_column *c = add_column(s, t, "id", RT_TYPE_BIGINT);
	add_default_pk(s, t, "id");
	c->autoincrement = false; /* the rule would make it autoincrement */
	c = add_column(s, t, "seq", RT_TYPE_INT);
	c->autoincrement = true; /* not a primary key: must be said */
	c = add_column(s, t, "full_name", RT_TYPE_STRING);
	c->field = "name";
	c->comment = "it's the name";
	c->was = "fullname";
	c = add_column(s, t, "born", RT_TYPE_TIMESTAMPTZ);
	c->server_default = (rt_literal){RT_LITERAL_NOW, "now"};
	c = add_column(s, t, "score", RT_TYPE_DOUBLE);
	c->default_value = (rt_literal){RT_LITERAL_NUMBER, "+1.5"};
	c->server_default = (rt_literal){RT_LITERAL_SQL, "random() * 'x'"};
	c = add_column(s, t, "active", RT_TYPE_BOOL);
	c->default_value = (rt_literal){RT_LITERAL_BOOL, "true"};
	c->server_default = (rt_literal){RT_LITERAL_BOOL, "false"};
	c = add_column(s, t, "mood", RT_TYPE_ENUM);
	c->type.enum_name = "Mood";
	c->server_default = (rt_literal){RT_LITERAL_ENUM, "not sure"};

	CHECK_PRINTS(s,
		     "model Person was persons {\n"
		     "  table 'people_table'\n"
		     "  comment $$someone\nwho is$$\n"
		     "  id      bigint       primary key no autoincrement\n"
		     "  seq     int          autoincrement\n"
		     "  name    string       column 'full_name' comment 'it''s the name' "
		     "was fullname\n"
		     "  born    timestamptz  server default now\n"
		     "  score   double       default 1.5 server default sql 'random() * ''x'''\n"
		     "  active  bool         default true server default false\n"
		     "  mood    Mood         server default 'not sure'\n"
		     "}\n");
	rt_schema_free(s);
}

static void test_enums(void)
{
	rt_schema *s = rt__schema_new();
	rt_enum *e = rt__schema_add_enum(s, "Level", "level");
	rt__enum_add_value(s, e, "low");
	rt__enum_add_value(s, e, "very high");
	e = rt__schema_add_enum(s, "Planet", "planet");
	const char *planets[] = {"mercury", "venus", "earth", "mars", "jupiter",
				 "saturn", "uranus", "neptune", "pluto"};
	for (size_t i = 0; i < 9; i++)
		rt__enum_add_value(s, e, planets[i]);
	/* one line while it fits in 80 columns */
	CHECK_PRINTS(s,
		     "enum Level { low, 'very high' }\n"
		     "\n"
		     "enum Planet {\n"
		     "  mercury,\n  venus,\n  earth,\n  mars,\n  jupiter,\n  saturn,\n"
		     "  uranus,\n  neptune,\n  pluto\n"
		     "}\n");
	rt_schema_free(s);
}

static void test_relationships_follow_declaration_order(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = add_model(s, "Category");
	rt_column *c = add_column(s, t, "parent_id", RT_TYPE_BIGINT);
	c->nullable = true;
	add_default_fk(s, t, "parent_id", "categories", "id");
	t->columns[0]->pos = (rt_pos){"a.rt", 2, 3};
	c->pos = (rt_pos){"a.rt", 5, 3};
	rt_relationship *r = rt__table_add_relationship(s, t, "parent");
	r->target = "Category";
	r->optional = true;
	r->on_column = "parent_id";
	r->pos = (rt_pos){"a.rt", 3, 3};
	r = rt__table_add_relationship(s, t, "children");
	r->target = "Category";
	r->is_list = true;
	r->back = "parent";
	r->through = NULL;
	r->pos = (rt_pos){"a.rt", 7, 3};
	CHECK_PRINTS(s,
		     "model Category {\n"
		     "  id         bigint      primary key\n"
		     "  parent     Category?   on parent_id\n"
		     "  parent_id  bigint?     references categories(id)\n"
		     "  children   Category[]  back parent\n"
		     "}\n");
	rt_schema_free(s);
}

static void test_empty_and_bad_arguments(void)
{
	rt_schema *s = rt__schema_new();
	CHECK_PRINTS(s, "");
	rt__schema_add_table(s, "empty", NULL);
	CHECK_PRINTS(s, "table empty {\n}\n");
	char *text = (char *)"x";
	CHECK_INT(rt_schema_print(&text, NULL), RT_EINVAL);
	CHECK(text == NULL);
	CHECK_INT(rt_schema_print(NULL, s), RT_EINVAL);
	rt_schema_free(s);
}

int main(void)
{
	RT_RUN(test_models_with_default_names);
	RT_RUN(test_names_that_differ_from_the_rules);
	RT_RUN(test_autoincrement_and_column_options);
	RT_RUN(test_enums);
	RT_RUN(test_relationships_follow_declaration_order);
	RT_RUN(test_empty_and_bad_arguments);
	return rt_test_done();
}
