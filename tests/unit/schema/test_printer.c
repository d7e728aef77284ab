/* Unit tests for src/schema/printer.c: golden text for schemas built by
 * hand, and round trips parse -> print -> parse for files covering every
 * construct of the schema language. */
#include "test.h"

#include <dirent.h>

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

/* SQL names that are no identifiers are written "quoted"; C names stay. */
static void test_quoted_sql_names(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *people = rt__schema_add_table(s, "Weird Table", "Person");
	people->was = "Old Table";
	add_column(s, people, "id", RT_TYPE_BIGINT)->autoincrement = true;
	add_constraint(s, people, RT_CONSTRAINT_PRIMARY_KEY, "My PK", "id")->name_given = true;
	rt_column *c = add_column(s, people, "Display Name", RT_TYPE_TEXT);
	c->field = "display_name";
	c->was = "old name";
	c = add_column(s, people, "say \"hi\"", RT_TYPE_TEXT);
	c->field = "greeting";
	add_constraint(s, people, RT_CONSTRAINT_UNIQUE, "name key", "Display Name")->name_given =
		true;
	rt_index *ix = rt__table_add_index(s, people, "my index", false);
	ix->name_given = true;
	rt__index_add_column(s, ix, "say \"hi\"");

	rt_table *notes = rt__schema_add_table(s, "my.notes", "Note");
	add_column(s, notes, "id", RT_TYPE_BIGINT)->autoincrement = true;
	add_default_pk(s, notes, "id");
	c = add_column(s, notes, "person id", RT_TYPE_BIGINT);
	c->field = "person_id";
	add_default_fk(s, notes, "person id", "Weird Table", "id");
	c = add_column(s, notes, "Written At", RT_TYPE_TIMESTAMP);
	c->field = "written_at";
	rt_relationship *r = rt__table_add_relationship(s, people, "notes");
	r->target = "Note";
	r->target_table = notes;
	r->is_list = true;
	r->back = "person";
	r->on_column = "my.notes.person id"; /* table my.notes, column "person id" */
	r->order_by = "Written At";
	r->order_desc = true;
	r = rt__table_add_relationship(s, notes, "person");
	r->target = "Person";
	r->target_table = people;
	r->back = "notes";
	r->on_column = "person id";
	r = rt__table_add_relationship(s, people, "links");
	r->target = "Note";
	r->target_table = notes;
	r->is_list = true;
	r->through = "a \"b\"";

	rt_table *link = rt__schema_add_table(s, "a \"b\"", NULL);
	add_column(s, link, "x", RT_TYPE_BIGINT);
	rt_constraint *fk = add_constraint(s, link, RT_CONSTRAINT_FOREIGN_KEY, "fk x", "x");
	fk->name_given = true;
	fk->ref_table = "Weird Table";
	rt__constraint_add_column(s, fk, "id", true);

	CHECK_PRINTS(s,
		     "model Person was \"Old Table\" {\n"
		     "  table 'Weird Table'\n"
		     "  id            bigint\n"
		     "  display_name  text    column 'Display Name' was \"old name\"\n"
		     "  greeting      text    column 'say \"hi\"'\n"
		     "  notes         Note[]  back person on \"my.notes\".\"person id\" "
		     "order by \"Written At\" desc\n"
		     "  links         Note[]  through \"a \"\"b\"\"\"\n"
		     "  primary key \"My PK\" (id)\n"
		     "  unique \"name key\" (\"Display Name\")\n"
		     "  index \"my index\" (\"say \"\"hi\"\"\")\n"
		     "}\n"
		     "\n"
		     "model Note {\n"
		     "  table \"my.notes\"\n"
		     "  id          bigint     primary key\n"
		     "  person_id   bigint     references \"Weird Table\"(id) column 'person id'\n"
		     "  written_at  timestamp  column 'Written At'\n"
		     "  person      Person     back notes on \"person id\"\n"
		     "}\n"
		     "\n"
		     "table \"a \"\"b\"\"\" {\n"
		     "  x  bigint\n"
		     "  foreign key \"fk x\" (x) references \"Weird Table\"(id)\n"
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

/* --- round trips ---------------------------------------------------------- */

/* parse(print(a)) equals a with no flags, and printing is a fixed point:
 * the second print is the same text as the first. */
static void check_round_trip(const char *name, rt_schema *a)
{
	char *printed = NULL, *again = NULL, *diff = NULL;
	rt_schema *b = NULL;
	CHECK_OK(rt_schema_print(&printed, a));
	if (!printed)
		return;
	CHECK_OK(rt_schema_parse_string(&b, printed, strlen(printed), name, NULL));
	if (b) {
		CHECK_OK(rt_schema_differences(&diff, a, b, 0));
		CHECK_STR(diff, "");
		CHECK_OK(rt_schema_print(&again, b));
		CHECK_STR(again, printed);
	}
	if (!b || (diff && *diff))
		fprintf(stderr, "%s printed as:\n%s\n", name, printed);
	rt_free(printed);
	rt_free(again);
	rt_free(diff);
	rt_schema_free(b);
}

static void round_trip(const char *name, const char *text)
{
	rt_schema *a = NULL;
	CHECK_OK(rt_schema_parse_string(&a, text, strlen(text), name, NULL));
	if (a)
		check_round_trip(name, a);
	rt_schema_free(a);
}

static void round_trip_file(const char *path)
{
	rt_schema *a = NULL;
	CHECK_OK(rt_schema_parse_file(&a, path, NULL));
	if (a)
		check_round_trip(path, a);
	rt_schema_free(a);
}

static const char *source_path(char *buf, size_t size, const char *relative)
{
	const char *root = getenv("RETORT_SOURCE_DIR");
	snprintf(buf, size, "%s/%s", root && *root ? root : "../..", relative);
	return buf;
}

static void test_round_trip_shop_example(void)
{
	char path[4096];
	round_trip_file(source_path(path, sizeof(path), "examples/shop/models.rt"));
}

/* Every schema the DDL and reflection tests use, when they are there. */
static void test_round_trip_test_schemas(void)
{
	char dir_path[4096], path[4096 + 256];
	DIR *dir = opendir(source_path(dir_path, sizeof(dir_path), "tests/schemas"));
	if (!dir)
		return;
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL) {
		size_t len = strlen(entry->d_name);
		if (len < 4 || strcmp(entry->d_name + len - 3, ".rt") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir_path, entry->d_name);
		/* a schema that does not parse is its own tests' business */
		rt_schema *a = NULL;
		if (rt_schema_parse_file(&a, path, NULL) == RT_OK)
			check_round_trip(path, a);
		rt_schema_free(a);
	}
	closedir(dir);
}

/* Single-table inheritance prints as written: the root with its
 * discriminator and identity, each subclass with only its own columns
 * (nullable: the other models' rows have none), by depth then in
 * declaration order (each after its parent). */
static void test_round_trip_inheritance(void)
{
	const char *text = "enum Kind { car, truck }\n"
			   "model Staff identity 'staff' {\n"
			   "  id    bigint      primary key\n"
			   "  kind  string(20)\n"
			   "  discriminator kind\n"
			   "}\n"
			   "model Vehicle {\n"
			   "  id    bigint  primary key\n"
			   "  kind  Kind\n"
			   "  discriminator kind\n"
			   "}\n"
			   "model Director extends Manager identity 'director' {\n"
			   "  seat  text\n"
			   "}\n"
			   "model Manager extends Staff identity 'manager' {\n"
			   "  budget  int\n"
			   "}\n"
			   "model Truck extends Vehicle identity 'truck' {\n"
			   "  payload  int?\n"
			   "}\n";
	round_trip("inherit.rt", text);
	rt_schema *a = NULL;
	char *printed = NULL;
	CHECK_OK(rt_schema_parse_string(&a, text, strlen(text), "inherit.rt", NULL));
	CHECK_OK(rt_schema_print(&printed, a));
	CHECK_STR(printed, "enum Kind { car, truck }\n\n"
			   "model Staff identity 'staff' {\n"
			   "  id    bigint      primary key\n"
			   "  kind  string(20)\n"
			   "  discriminator kind\n"
			   "}\n\n"
			   "model Vehicle {\n"
			   "  id    bigint  primary key\n"
			   "  kind  Kind\n"
			   "  discriminator kind\n"
			   "}\n\n"
			   "model Manager extends Staff identity 'manager' {\n"
			   "  budget  int?\n"
			   "}\n\n"
			   "model Truck extends Vehicle identity 'truck' {\n"
			   "  payload  int?\n"
			   "}\n\n"
			   "model Director extends Manager identity 'director' {\n"
			   "  seat  text?\n"
			   "}\n");
	rt_free(printed);
	rt_schema_free(a);
	/* Joined: the table named after 'extends'; its key, the parent's, not
	 * printed in the body (in a script's create table it is). */
	const char *joined = "model Staff {\n"
			     "  id    bigint      primary key\n"
			     "  kind  string(20)\n"
			     "  discriminator kind\n"
			     "}\n\n"
			     "model Engineer extends Staff table engineers identity 'engineer' {\n"
			     "  language  text\n"
			     "}\n";
	round_trip("joined.rt", joined);
	CHECK_OK(rt_schema_parse_string(&a, joined, strlen(joined), "joined.rt", NULL));
	CHECK_OK(rt_schema_print(&printed, a));
	CHECK_STR(printed, joined);
	rt_free(printed);
	rt_schema_free(a);
}

static void test_round_trip_types(void)
{
	round_trip("types.rt",
		   "enum Color { red, green, blue }\n"
		   "table everything {\n"
		   "  a smallint\n  b int?\n  c bigint\n  d bool?\n  e real\n  f double?\n"
		   "  g numeric(12,4)\n  h numeric?\n  i string(7)\n  j string?\n  k text\n"
		   "  l blob?\n  m date\n  n time?\n  o timestamp\n  p timestamptz?\n"
		   "  q uuid\n  r json?\n  s Color\n  t Color?\n  u char(3)\n  v char(1)?\n"
		   "}\n");
}

/* Arrays of every element type the language has one of, NULL or not,
 * with what goes on them (a server default, an index, a collation, a
 * verbatim array beside them), print as written and read back the same;
 * a difference of the array mark alone is a difference of type. */
static void test_round_trip_arrays(void)
{
	const char *text = "enum Color { red, green }\n"
			   "model Film {\n"
			   "  id    bigint            primary key\n"
			   "  a     smallint[]\n  b int[]?\n  c bigint[]\n  d bool[]?\n"
			   "  e     real[]\n  f double[]?\n  g numeric(12,4)[]\n  h numeric[]?\n"
			   "  i     string(7)[]\n  j string[]?\n  k text[]  collate \"C\"\n"
			   "  m     date[]?\n  n time[]\n  o timestamp[]?\n  p timestamptz[]\n"
			   "  q     uuid[]?\n  r json[]\n  s Color[]\n  t Color[]?\n"
			   "  u     char(3)[]  server default '{abc}'\n"
			   "  v     sql 'bytea[]'?\n"
			   "  w     int[]  index server default sql 'ARRAY[1, 2]'\n"
			   "}\n";
	round_trip("arrays.rt", text);

	rt_schema *a = NULL, *b = NULL;
	char *diff = NULL;
	const char *one = "table t {\n  x int[]\n}\n", *other = "table t {\n  x int\n}\n";
	CHECK_OK(rt_schema_parse_string(&a, one, strlen(one), "one.rt", NULL));
	CHECK_OK(rt_schema_parse_string(&b, other, strlen(other), "other.rt", NULL));
	if (a && b) {
		CHECK_OK(rt_schema_differences(&diff, a, b, 0));
		CHECK(diff && strstr(diff, "type int[] != int"));
	}
	rt_free(diff);
	rt_schema_free(a);
	rt_schema_free(b);
}

/* char(n), collate NAME (bare or quoted) and generated '...' stored |
 * virtual print as they are written and read back the same. */
static void test_round_trip_column_features(void)
{
	round_trip("columns.rt",
		   "model Account {\n"
		   "  id     bigint         primary key\n"
		   "  email  string(255)    collate nocase unique\n"
		   "  code   char(3)        collate \"en-US-x-icu\"\n"
		   "  c      text?          collate \"C\"\n"
		   "  net    numeric(12,2)\n"
		   "  tax    numeric(12,2)\n"
		   "  total  numeric(12,2)  generated 'net + tax' stored\n"
		   "  half   numeric(12,2)? generated 'net / 2' virtual index\n"
		   "  label  text           generated $$lower(\n  'x' || code)$$ stored\n"
		   "}\n");
}

/* A table's collation prints after its name (and its options), bare or
 * quoted, and reads back the same. */
static void test_round_trip_table_collation(void)
{
	round_trip("table_collation.rt",
		   "model Actor collate utf8mb3_general_ci {\n"
		   "  id    bigint      primary key\n"
		   "  name  string(45)  collate utf8mb3_bin\n"
		   "}\n\n"
		   "table film_text was film_texts collate \"latin1 odd\" {\n"
		   "  id  bigint  primary key\n"
		   "}\n");
}

/* server onupdate now prints after the server default and reads back the
 * same, on a timestamp and on a verbatim type. */
static void test_round_trip_server_onupdate(void)
{
	round_trip("onupdate.rt",
		   "model Post {\n"
		   "  id       bigint           primary key\n"
		   "  changed  timestamp        server default now server onupdate now\n"
		   "  touched  sql 'timestamp'? server onupdate now\n"
		   "}\n");
}

/* `version` and `onupdate now` (ORM-only options) print after the server
 * options and read back the same. */
static void test_round_trip_version_onupdate(void)
{
	round_trip("version.rt",
		   "model Account {\n"
		   "  id        bigint       primary key\n"
		   "  revision  int          default 1 version\n"
		   "  changed   timestamptz? onupdate now\n"
		   "  touched   timestamp    server default now onupdate now\n"
		   "}\n");
}

/* Tables in PostgreSQL schemas: `schema '...'` printed in the body,
 * references, through tables and previous names with their schema, and a
 * table whose own name holds a dot kept apart from them. */
static void test_round_trip_schemas(void)
{
	const char *text = "model User {\n"
			   "  id        bigint     primary key\n"
			   "  accounts  Account[]  back user\n"
			   "  tags      Tag[]      through billing.user_tags back users\n"
			   "}\n\n"
			   "model Account was Acct {\n"
			   "  schema 'billing'\n"
			   "  id       bigint  primary key\n"
			   "  user_id  bigint  references users(id)\n"
			   "  parent_id  bigint?  references billing.accounts(id)\n"
			   "  user     User    back accounts\n"
			   "}\n\n"
			   "model Tag {\n"
			   "  table 'billing.labels'\n"
			   "  id     bigint  primary key\n"
			   "  users  User[]  through billing.user_tags back tags\n"
			   "}\n\n"
			   "table user_tags was old_user_tags {\n"
			   "  schema 'billing'\n"
			   "  user_id  bigint  references users(id)\n"
			   "  tag_id   bigint  references billing.labels(id)\n"
			   "  note_id  bigint  references \"my.notes\"(id)\n"
			   "  primary key (user_id, tag_id)\n"
			   "}\n\n"
			   "table \"my.notes\" {\n"
			   "  id  bigint  primary key\n"
			   "}\n";
	round_trip("schemas.rt", text);
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_string(&s, text, strlen(text), "schemas.rt", NULL));
	if (!s)
		return;
	const rt_table *labels = rt__schema_find_table(s, "billing.labels");
	CHECK(labels && labels->schema && strcmp(labels->schema, "billing") == 0);
	CHECK(labels && strcmp(rt__table_sql_name(labels), "labels") == 0);
	const rt_table *notes = rt__schema_find_table(s, "my.notes");
	CHECK(notes && !notes->schema);
	const rt_table *tags = rt__schema_find_table(s, "billing.user_tags");
	CHECK(tags && tags->was && strcmp(tags->was, "billing.old_user_tags") == 0);
	CHECK_INT(s->namespace_count, 1);
	char *printed = NULL;
	CHECK_OK(rt_schema_print(&printed, s));
	CHECK(printed && strstr(printed, "model Tag {\n  schema 'billing'\n  table 'labels'\n"));
	CHECK(printed &&
	      strstr(printed, "table user_tags was old_user_tags {\n  schema 'billing'\n"));
	CHECK(printed && strstr(printed, "references billing.labels(id)"));
	CHECK(printed && strstr(printed, "references \"my.notes\"(id)"));
	rt_free(printed);
	rt_schema_free(s);
}

/* Enum types and SQL objects of a PostgreSQL schema: qualified names,
 * written back as they are read; an enum's name stays its own. */
static void test_round_trip_schema_objects(void)
{
	const char *text = "enum billing.InvoiceState { draft, open }\n"
			   "enum public.Mood { happy, sad }\n\n"
			   "model Invoice {\n"
			   "  schema 'billing'\n"
			   "  id     bigint        primary key\n"
			   "  state  InvoiceState\n"
			   "  mood   Mood?\n"
			   "}\n\n"
			   "view billing.open_invoices $$ SELECT id FROM billing.invoices $$\n"
			   "model OpenInvoice view open_invoices {\n"
			   "  schema 'billing'\n"
			   "  id  bigint  primary key\n"
			   "}\n\n"
			   "view public.all_invoices $$ SELECT id FROM billing.invoices $$\n"
			   "function billing.touch() $$ CREATE FUNCTION billing.touch() $$\n"
			   "trigger invoices_touch on billing.invoices $$ CREATE TRIGGER $$\n";
	round_trip("schema_objects.rt", text);
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_string(&s, text, strlen(text), "schema_objects.rt", NULL));
	if (!s)
		return;
	const rt_enum *state = rt__schema_find_enum(s, "InvoiceState");
	CHECK(state && state->schema && strcmp(state->schema, "billing") == 0);
	CHECK(state && strcmp(state->sql_name, "invoice_state") == 0);
	const rt_enum *mood = rt__schema_find_enum(s, "Mood");
	CHECK(mood && !mood->schema); /* public is no schema */
	CHECK_INT(s->namespace_count, 1);
	rt_sql_object view = {.kind = RT_SQL_VIEW, .name = "billing.open_invoices"};
	const rt_sql_object *v = rt__schema_find_sql_object(s, &view);
	CHECK(v && v->schema && strcmp(rt__sql_object_sql_name(v), "open_invoices") == 0);
	rt_sql_object plain = {.kind = RT_SQL_VIEW, .name = "all_invoices"};
	v = rt__schema_find_sql_object(s, &plain);
	CHECK(v && !v->schema);
	char *printed = NULL;
	CHECK_OK(rt_schema_print(&printed, s));
	CHECK(printed && strstr(printed, "enum billing.InvoiceState { draft, open }\n"));
	CHECK(printed && strstr(printed, "enum Mood { happy, sad }\n"));
	CHECK(printed && strstr(printed, "view billing.open_invoices $$"));
	CHECK(printed && strstr(printed, "view all_invoices $$"));
	CHECK(printed && strstr(printed, "function billing.touch() $$"));
	CHECK(printed && strstr(printed, "model OpenInvoice view open_invoices {\n  schema 'billing'\n"));
	rt_free(printed);
	rt_schema_free(s);
}

static void test_round_trip_table_options(void)
{
	round_trip("options.rt",
		   "model Reading strict without rowid {\n"
		   "  sensor  text  primary key\n"
		   "  value   real\n"
		   "}\n\n"
		   "table samples was old_samples strict {\n"
		   "  id  bigint  primary key\n"
		   "}\n\n"
		   "table settings without rowid {\n"
		   "  key  string(40)  primary key\n"
		   "}\n");
}

static void test_round_trip_partitions(void)
{
	round_trip("partitions.rt",
		   "model Payment partition by range (paid_at) {\n"
		   "  id       bigint\n"
		   "  region   string(2)\n"
		   "  paid_at  timestamp\n"
		   "  primary key (id, paid_at, region)\n"
		   "}\n\n"
		   "table payments_2024 partition of payments for values "
		   "'FROM (''2024-01-01'') TO (''2025-01-01'')' partition by list (region)\n\n"
		   "table payments_2024_eu partition of payments_2024 for values 'IN (''de'')' {\n"
		   "  comment 'German payments'\n"
		   "  check eu_id 'id > 0'\n"
		   "}\n\n"
		   "table payments_rest partition of payments default {\n"
		   "  index (region, paid_at desc) where 'id > 0'\n"
		   "  unique index rest_id (id)\n"
		   "}\n\n"
		   "table \"Logs\" partition by hash ('lower(\"Text\")', n) {\n"
		   "  body  text  column 'Text'\n"
		   "  n     int\n"
		   "}\n\n"
		   "table \"Logs 0\" partition of \"Logs\" for values "
		   "'WITH (modulus 2, remainder 0)'\n");
}

static void test_round_trip_literals(void)
{
	round_trip("literals.rt",
		   "enum Tier { free, pro }\n"
		   "model Setting {\n"
		   "  id       bigint        primary key\n"
		   "  n        int           default -1 server default -1\n"
		   "  x        double        default 1.5e3 server default 0.25\n"
		   "  p        numeric(8,2)  server default 9.99\n"
		   "  s        text          default 'it''s' server default ''\n"
		   "  b        bool          default false server default true\n"
		   "  tier     Tier          default pro server default free\n"
		   "  at       timestamptz   server default now\n"
		   "  expr     int           server default sql '1 + 2'\n"
		   "  quoted   text          server default sql 'lower(''ABC'')'\n"
		   "}\n");
}

static void test_round_trip_constraints(void)
{
	round_trip("constraints.rt",
		   "table parents {\n"
		   "  a int\n  b int\n"
		   "  primary key (a, b)\n"
		   "}\n"
		   "table items {\n"
		   "  id      int   primary key no autoincrement\n"
		   "  code    text  unique check 'length(code) > 2'\n"
		   "  region  text  index\n"
		   "  pa      int?\n  pb int?\n"
		   "  note    text? check 'note <> ''it''''s'''\n"
		   "  unique (code, region)\n"
		   "  unique item_region_key (region)\n"
		   "  unique uq_items_note (note)\n"
		   "  unique index (region, code)\n"
		   "  unique index by_pair (pa, pb)\n"
		   "  index ix_code_again (code)\n"
		   "  check 'pa <> pb'\n"
		   "  check named_check 'pa > 0'\n"
		   "  check 'pb > 0'\n"
		   "  foreign key (pa, pb) references parents(a, b) on delete set null on update cascade\n"
		   "  foreign key fk_named (pb, pa) references parents(b, a) on delete restrict\n"
		   "}\n");
}

static void test_round_trip_foreign_key_actions(void)
{
	round_trip("actions.rt",
		   "table t {\n  id int primary key\n}\n"
		   "table r {\n"
		   "  a int references t(id) on delete cascade\n"
		   "  b int? references t(id) on delete set null on update restrict\n"
		   "  c int references t(id) on delete set default on update no action\n"
		   "  d int references t(id) on update cascade\n"
		   "  e int references t(id) on delete no action\n"
		   "}\n");
}

static void test_round_trip_named_primary_keys(void)
{
	round_trip("pk.rt",
		   "table a {\n  id int\n  primary key a_pkey (id)\n}\n"
		   "table b {\n  x text\n  y text\n  primary key b_key (y, x)\n}\n"
		   "table c {\n  code string(3) primary key\n}\n"
		   "table d {\n  n bigint\n  primary key (n)\n}\n");
}

static void test_round_trip_relationships(void)
{
	round_trip("relationships.rt",
		   "model Author {\n"
		   "  id     bigint     primary key\n"
		   "  books  Book[]     back author order by title desc cascade delete delete orphan\n"
		   "  card   Card?      back owner\n"
		   "}\n"
		   "model Card {\n"
		   "  id        bigint  primary key\n"
		   "  owner_id  bigint  unique references authors(id)\n"
		   "  owner     Author  back card\n"
		   "}\n"
		   "model Book {\n"
		   "  id         bigint     primary key\n"
		   "  title      string\n"
		   "  author_id  bigint?    references authors(id)\n"
		   "  author     Author?    back books\n"
		   "  tags       Tag[]      through book_tags back books\n"
		   "}\n"
		   "model Tag {\n"
		   "  id     bigint  primary key\n"
		   "  books  Book[]  through book_tags back tags order by title\n"
		   "}\n"
		   "table book_tags {\n"
		   "  book_id  bigint  references books(id) on delete cascade\n"
		   "  tag_id   bigint  references tags(id) on delete cascade\n"
		   "  primary key (book_id, tag_id)\n"
		   "}\n");
}

static void test_round_trip_self_reference_and_on(void)
{
	round_trip("self.rt",
		   "model Category {\n"
		   "  id         bigint       primary key\n"
		   "  parent_id  bigint?      references categories(id)\n"
		   "  parent     Category?    on parent_id\n"
		   "  children   Category[]   back parent\n"
		   "}\n"
		   "model Message {\n"
		   "  id           bigint  primary key\n"
		   "  sender_id    bigint  references people(id)\n"
		   "  receiver_id  bigint  references people(id)\n"
		   "  sender       Person  on sender_id\n"
		   "  receiver     Person  on messages.receiver_id\n"
		   "}\n"
		   "model Person {\n"
		   "  id    bigint     primary key\n"
		   "  sent  Message[]  on messages.sender_id\n"
		   "}\n");
}

static void test_round_trip_mixins_names_and_comments(void)
{
	round_trip("mixins.rt",
		   "mixin Stamped {\n"
		   "  created_at  timestamp  server default now\n"
		   "  updated_at  timestamp? comment 'last change'\n"
		   "}\n"
		   "mixin Owned {\n"
		   "  owner  text?\n"
		   "}\n"
		   "model Document uses Stamped, Owned was Doc {\n"
		   "  table 'docs'\n"
		   "  comment $$a document,\nover two lines$$\n"
		   "  id     bigint  primary key comment 'the document''s id'\n"
		   "  title  string(80)  column 'doc_title' was name\n"
		   "  body   text?\n"
		   "}\n"
		   "table archive was old_archive {\n"
		   "  comment 'kept for ever'\n"
		   "  id   int  primary key\n"
		   "  doc  bigint references docs(id)\n"
		   "}\n");
}

static void test_round_trip_keywords_as_names(void)
{
	round_trip("keywords.rt",
		   "table order {\n"
		   "  id       bigint       primary key\n"
		   "  comment  text?\n"
		   "  index    int          index\n"
		   "  check    text         check 'check <> '''''\n"
		   "  table    text?\n"
		   "  primary  int\n"
		   "  unique   int          unique\n"
		   "  foreign  int?\n"
		   "  select   string(10)?\n"
		   "}\n");
}

static void test_round_trip_enums(void)
{
	round_trip("enums.rt",
		   "enum Size { small, medium, large }\n"
		   "enum Planet { mercury, venus, earth, mars, jupiter, saturn, uranus, neptune, pluto }\n"
		   "enum Unused { a }\n"
		   "model Shirt {\n"
		   "  id      bigint  primary key\n"
		   "  size    Size    default medium server default small\n"
		   "  origin  Planet? server default earth\n"
		   "}\n");
}

static void test_round_trip_autoincrement(void)
{
	round_trip("autoincrement.rt",
		   "table a {\n  id bigint primary key autoincrement\n}\n"
		   "table b {\n  id int primary key no autoincrement\n}\n"
		   "table c {\n  id smallint primary key\n}\n"
		   "table d {\n  id text primary key\n}\n");
}

static void test_round_trip_quoted_names(void)
{
	round_trip("quoted.rt",
		   "model Person was \"Old Table\" {\n"
		   "  table 'Weird Table'\n"
		   "  id            bigint  primary key\n"
		   "  display_name  text?   column 'Display Name' was \"old name\"\n"
		   "  a             int\n"
		   "  notes         Note[]  back person on \"my.notes\".\"person id\" "
		   "order by \"Written At\" desc\n"
		   "  tags          Tag[]   through \"a \"\"b\"\"\" back people\n"
		   "  unique \"name key\" (\"Display Name\")\n"
		   "  unique index \"say \"\"hi\"\"\" (a, \"Display Name\")\n"
		   "  check \"a > 0\" 'a > 0'\n"
		   "  unique \"index\" (a)\n" /* bare, it would read as a unique index */
		   "}\n"
		   "model Box {\n" /* bare, on delete would start a foreign key action */
		   "  id      bigint   primary key\n"
		   "  delete  bigint   references boxes(id)\n"
		   "  update  bigint?  references boxes(id)\n"
		   "  parent  Box      on \"delete\"\n"
		   "  other   Box?     on \"update\"\n"
		   "}\n"
		   "model Note {\n"
		   "  table \"my.notes\"\n"
		   "  id          bigint     primary key\n"
		   "  person_id   bigint     column 'person id' references \"Weird Table\"(\"id\")\n"
		   "  written_at  timestamp  column 'Written At'\n"
		   "  person      Person     back notes on \"person id\"\n"
		   "}\n"
		   "model Tag {\n"
		   "  id      bigint    primary key\n"
		   "  people  Person[]  through \"a \"\"b\"\"\" back tags\n"
		   "}\n"
		   "table \"a \"\"b\"\"\" was \"a b\" {\n"
		   "  person  bigint  references \"Weird Table\"(id)\n"
		   "  tag     bigint  references tags(\"id\")\n"
		   "  primary key \"my \"\"pk\"\"\" (person, tag)\n"
		   "}\n");
}

static void test_round_trip_reflected_style_schema(void)
{
	/* what `retort inspect` prints: no models, names from the database */
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "users", NULL);
	add_column(s, t, "id", RT_TYPE_INT)->autoincrement = true;
	add_constraint(s, t, RT_CONSTRAINT_PRIMARY_KEY, "users_pkey", "id")->name_given = true;
	add_column(s, t, "email", RT_TYPE_TEXT);
	add_constraint(s, t, RT_CONSTRAINT_UNIQUE, "users_email_key", "email")->name_given = true;
	rt_table *p = rt__schema_add_table(s, "posts", NULL);
	add_column(s, p, "id", RT_TYPE_INT)->autoincrement = true;
	add_constraint(s, p, RT_CONSTRAINT_PRIMARY_KEY, "posts_pkey", "id")->name_given = true;
	add_column(s, p, "user_id", RT_TYPE_INT)->nullable = true;
	rt_constraint *fk = add_constraint(s, p, RT_CONSTRAINT_FOREIGN_KEY, "posts_user_id_fkey",
					   "user_id");
	fk->name_given = true;
	fk->ref_table = "users";
	rt__constraint_add_column(s, fk, "id", true);
	rt_index *ix = rt__table_add_index(s, p, "posts_user_idx", false);
	ix->name_given = true;
	rt__index_add_column(s, ix, "user_id");
	check_round_trip("reflected.rt", s);
	rt_schema_free(s);
}

/* Every kind of index key and clause prints back as written, and a
 * printed index parses to the same one: expression keys bare when they
 * are a call, in parentheses otherwise; `using btree` is the default. */
static void test_round_trip_indexes(void)
{
	const char *text =
		"model Account {\n"
		"  id         bigint       primary key\n"
		"  email      string(255)\n"
		"  code       string(3)\n"
		"  doc        json\n"
		"  net        int\n"
		"  tax        int\n"
		"  closed_at  timestamp?\n"
		"  unique index (lower(email))\n"
		"  unique index active_code (code) where 'closed_at IS NULL'\n"
		"  index doc_search using gin (doc)\n"
		"  index by_time (code, closed_at desc)\n"
		"  index covering (net) include (tax, code)\n"
		"  index totals ((net + tax) desc, lower(code) asc, id)\n"
		"  index \"using\" (net)\n"
		"  index plain using btree (tax)\n"
		"}\n";
	round_trip("indexes.rt", text);
	rt_schema *a = NULL;
	CHECK_OK(rt_schema_parse_string(&a, text, strlen(text), "indexes.rt", NULL));
	char *printed = a ? print(a) : NULL;
	CHECK(printed && strstr(printed, "  unique index (lower(email))\n"));
	CHECK(printed && strstr(printed, "  index totals ((net + tax) desc, lower(code), id)\n"));
	CHECK(printed && strstr(printed, "  index \"using\" (net)\n"));
	CHECK(printed && strstr(printed, "  index plain (tax)\n"));
	CHECK(printed && strstr(printed, "  index covering (net) include (tax, code)\n"));
	const rt_table *t = a ? rt__schema_find_table(a, "accounts") : NULL;
	const rt_index *ix = t ? rt__table_find_index(t, "ix_accounts_lower_email") : NULL;
	CHECK(ix && ix->unique && ix->key_count == 1 && !ix->keys[0].column &&
	      strcmp(ix->keys[0].expr, "lower(email)") == 0);
	ix = t ? rt__table_find_index(t, "totals") : NULL;
	CHECK(ix && ix->key_count == 3 && ix->keys[0].desc && !ix->keys[1].desc &&
	      strcmp(ix->keys[0].expr, "net + tax") == 0);
	rt_free(printed);
	rt_schema_free(a);
}

/* Views, functions and triggers: in the order to create them (the view
 * read after the one reading it in the file comes first), each kind's
 * words, a $$ block on lines of its own for text on several lines and
 * $rt$ for text holding $$. */
static void test_sql_objects(void)
{
	const char *text = "model Account {\n"
			   "  id  bigint  primary key\n"
			   "}\n"
			   "view open_count security invoker $$ SELECT count(*) FROM open_accounts $$\n"
			   "view open_accounts $$\n"
			   "  SELECT id\n"
			   "    FROM accounts\n"
			   "$$\n"
			   "trigger touch_accounts on accounts $$ CREATE TRIGGER touch_accounts "
			   "BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch() $$\n"
			   "function touch() $fn$ CREATE FUNCTION touch() RETURNS trigger AS $$ "
			   "BEGIN RETURN NEW; END $$ LANGUAGE plpgsql $fn$\n"
			   "materialized view totals $$ SELECT 1 AS one $$\n"
			   "materialized view idle with no data $$ SELECT 1 AS one, 'a' AS t $$ {\n"
			   "  unique index idle_one (one desc)\n"
			   "  index (lower(t)) where 'one > 0'\n"
			   "  index using hash (t)\n"
			   "}\n"
			   "function label( integer ,  text ) $$ CREATE FUNCTION label(integer, text) "
			   "... $$\n";
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_string(&s, text, strlen(text), "objects.rt", NULL));
	if (!s)
		return;
	CHECK_PRINTS(s, "model Account {\n"
			"  id  bigint  primary key\n"
			"}\n"
			"\n"
			"function touch() $rt$\n"
			"CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ "
			"LANGUAGE plpgsql\n"
			"$rt$\n"
			"\n"
			"function label(integer, text) $$ CREATE FUNCTION label(integer, text) ... $$\n"
			"\n"
			"view open_accounts $$\n"
			"SELECT id\n"
			"    FROM accounts\n"
			"$$\n"
			"\n"
			"view open_count security invoker $$ SELECT count(*) FROM open_accounts $$\n"
			"\n"
			"materialized view totals $$ SELECT 1 AS one $$\n"
			"\n"
			"materialized view idle with no data $$ SELECT 1 AS one, 'a' AS t $$ {\n"
			"  unique index idle_one (one desc)\n"
			"  index (lower(t)) where 'one > 0'\n"
			"  index using hash (t)\n"
			"}\n"
			"\n"
			"trigger touch_accounts on accounts $$\n"
			"CREATE TRIGGER touch_accounts BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE "
			"FUNCTION touch()\n"
			"$$\n");
	check_round_trip("objects.rt", s);
	rt_schema_free(s);
}

/* Domains, sequences, aggregates and procedures: domains and sequences
 * first (the tables name them), an aggregate after its state function, a
 * view reading the aggregate after it; arguments written one way. */
/* `was` on every kind, in any order with the other words after the
 * name: written back after them, and kept through a round trip. */
static void test_sql_object_renames(void)
{
	const char *text = "model Account {\n"
			   "  id  bigint  primary key\n"
			   "}\n"
			   "view active_accounts was open_accounts $$ SELECT id FROM accounts $$\n"
			   "materialized view totals was sums with no data $$ SELECT 1 AS one $$\n"
			   "function label(integer) was title $$ CREATE FUNCTION label(integer) ... $$\n"
			   "trigger touch_accounts was touch on accounts $$ CREATE TRIGGER "
			   "touch_accounts ... $$\n"
			   "sequence account_seq was acct_seq $$ CREATE SEQUENCE account_seq $$\n";
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_string(&s, text, strlen(text), "renames.rt", NULL));
	if (!s)
		return;
	CHECK_PRINTS(s, "model Account {\n"
			"  id  bigint  primary key\n"
			"}\n"
			"\n"
			"sequence account_seq was acct_seq $$ CREATE SEQUENCE account_seq $$\n"
			"\n"
			"function label(integer) was title $$ CREATE FUNCTION label(integer) ... $$\n"
			"\n"
			"view active_accounts was open_accounts $$ SELECT id FROM accounts $$\n"
			"\n"
			"materialized view totals with no data was sums $$ SELECT 1 AS one $$\n"
			"\n"
			"trigger touch_accounts on accounts was touch $$ CREATE TRIGGER "
			"touch_accounts ... $$\n");
	check_round_trip("renames.rt", s);
	rt_schema_free(s);
}

static void test_more_sql_objects(void)
{
	const char *text = "model Film {\n"
			   "  id    bigint  primary key\n"
			   "  year  sql 'year'?\n"
			   "}\n"
			   "view titles $$ SELECT group_concat(title) FROM films $$\n"
			   "aggregate group_concat( text ) $$ CREATE AGGREGATE group_concat(text) "
			   "(SFUNC = _group_concat, STYPE = text) $$\n"
			   "function _group_concat(text, text) $$ CREATE FUNCTION _group_concat(text, "
			   "text) ... $$\n"
			   "procedure add_film(bigint) $$ CREATE PROCEDURE add_film(bigint) ... $$\n"
			   "sequence film_seq $$ CREATE SEQUENCE film_seq START WITH 10 $$\n"
			   "domain year $$ CREATE DOMAIN year AS integer CHECK (VALUE > 1900) $$\n";
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_string(&s, text, strlen(text), "more.rt", NULL));
	if (!s)
		return;
	CHECK_PRINTS(s, "model Film {\n"
			"  id    bigint       primary key\n"
			"  year  sql 'year'?\n"
			"}\n"
			"\n"
			"domain year $$ CREATE DOMAIN year AS integer CHECK (VALUE > 1900) $$\n"
			"\n"
			"sequence film_seq $$ CREATE SEQUENCE film_seq START WITH 10 $$\n"
			"\n"
			"function _group_concat(text, text) $$ CREATE FUNCTION _group_concat(text, "
			"text) ... $$\n"
			"\n"
			"aggregate group_concat(text) $$\n"
			"CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text)\n"
			"$$\n"
			"\n"
			"procedure add_film(bigint) $$ CREATE PROCEDURE add_film(bigint) ... $$\n"
			"\n"
			"view titles $$ SELECT group_concat(title) FROM films $$\n");
	check_round_trip("more.rt", s);
	rt_schema_free(s);
}

/* A model mapped onto a view: `view NAME` after the model's name, no
 * table name inside; the view declared beside it. */
static void test_view_model(void)
{
	const char *text = "model Account {\n"
			   "  id         bigint  primary key\n"
			   "  closed_at  timestamp?\n"
			   "}\n"
			   "model OpenAccount view open_accounts {\n"
			   "  id  bigint  primary key\n"
			   "}\n"
			   "view open_accounts $$ SELECT id FROM accounts WHERE closed_at IS NULL $$\n";
	rt_schema *s = NULL;
	CHECK_OK(rt_schema_parse_string(&s, text, strlen(text), "view_model.rt", NULL));
	if (!s)
		return;
	const rt_table *t = rt__schema_find_model(s, "OpenAccount");
	CHECK(t && t->is_view && strcmp(t->name, "open_accounts") == 0);
	CHECK_PRINTS(s, "model Account {\n"
			"  id         bigint      primary key\n"
			"  closed_at  timestamp?\n"
			"}\n"
			"\n"
			"model OpenAccount view open_accounts {\n"
			"  id  bigint  primary key\n"
			"}\n"
			"\n"
			"view open_accounts $$ SELECT id FROM accounts WHERE closed_at IS NULL $$\n");
	check_round_trip("view_model.rt", s);
	rt_schema_free(s);
}

int main(void)
{
	RT_RUN(test_models_with_default_names);
	RT_RUN(test_names_that_differ_from_the_rules);
	RT_RUN(test_autoincrement_and_column_options);
	RT_RUN(test_enums);
	RT_RUN(test_relationships_follow_declaration_order);
	RT_RUN(test_quoted_sql_names);
	RT_RUN(test_empty_and_bad_arguments);
	RT_RUN(test_round_trip_shop_example);
	RT_RUN(test_round_trip_test_schemas);
	RT_RUN(test_round_trip_types);
	RT_RUN(test_round_trip_inheritance);
	RT_RUN(test_round_trip_arrays);
	RT_RUN(test_round_trip_table_options);
	RT_RUN(test_round_trip_schemas);
	RT_RUN(test_round_trip_schema_objects);
	RT_RUN(test_round_trip_partitions);
	RT_RUN(test_round_trip_literals);
	RT_RUN(test_round_trip_column_features);
	RT_RUN(test_round_trip_server_onupdate);
	RT_RUN(test_round_trip_version_onupdate);
	RT_RUN(test_round_trip_table_collation);
	RT_RUN(test_round_trip_constraints);
	RT_RUN(test_round_trip_foreign_key_actions);
	RT_RUN(test_round_trip_named_primary_keys);
	RT_RUN(test_round_trip_relationships);
	RT_RUN(test_round_trip_self_reference_and_on);
	RT_RUN(test_round_trip_mixins_names_and_comments);
	RT_RUN(test_round_trip_keywords_as_names);
	RT_RUN(test_round_trip_enums);
	RT_RUN(test_round_trip_autoincrement);
	RT_RUN(test_round_trip_quoted_names);
	RT_RUN(test_round_trip_reflected_style_schema);
	RT_RUN(test_round_trip_indexes);
	RT_RUN(test_sql_objects);
	RT_RUN(test_more_sql_objects);
	RT_RUN(test_sql_object_renames);
	RT_RUN(test_view_model);
	return rt_test_done();
}
