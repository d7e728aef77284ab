/* Unit tests for src/gen/diagram.c: golden Mermaid and Graphviz text for a
 * small shop schema built with the metadata builders. */
#include "test.h"

#include "base/buf.h"
#include "gen/diagram.h"
#include "schema/metadata.h"

static rt_column *add_column(rt_schema *s, rt_table *t, const char *name, rt_type_kind kind,
			     bool nullable)
{
	rt_column *c = rt__table_add_column(s, t, name);
	c->type.kind = kind;
	c->nullable = nullable;
	return c;
}

static rt_constraint *add_key(rt_schema *s, rt_table *t, rt_constraint_kind kind,
			      const char *name, const char *column, const char *column2)
{
	rt_constraint *k = rt__table_add_constraint(s, t, kind, name);
	rt__constraint_add_column(s, k, column, false);
	if (column2)
		rt__constraint_add_column(s, k, column2, false);
	return k;
}

static rt_constraint *add_fk(rt_schema *s, rt_table *t, const char *column, const char *ref)
{
	char name[128];
	snprintf(name, sizeof(name), "fk_%s_%s_%s", t->name, column, ref);
	rt_constraint *k = add_key(s, t, RT_CONSTRAINT_FOREIGN_KEY, name, column, NULL);
	k->ref_table = ref;
	rt__constraint_add_column(s, k, "id", true);
	return k;
}

static void add_rel(rt_schema *s, rt_table *t, const char *name, rt_constraint *fk, bool local)
{
	rt_relationship *r = rt__table_add_relationship(s, t, name);
	r->fk = fk;
	r->fk_is_local = local;
}

static rt_table *add_table(rt_schema *s, const char *name, const char *model)
{
	rt_table *t = rt__schema_add_table(s, name, model);
	add_column(s, t, "id", RT_TYPE_BIGINT, false)->autoincrement = true;
	add_key(s, t, RT_CONSTRAINT_PRIMARY_KEY, "pk", "id", NULL);
	return t;
}

static rt_schema *shop(void)
{
	rt_schema *s = rt__schema_new();
	rt_enum *status = rt__schema_add_enum(s, "CartStatus", "cart_status");
	rt__enum_add_value(s, status, "open");
	rt__enum_add_value(s, status, "paid");

	rt_table *users = add_table(s, "users", "User");
	add_column(s, users, "username", RT_TYPE_STRING, false)->type.length = 50;
	rt_column *email = add_column(s, users, "email", RT_TYPE_STRING, true);
	email->type.length = 255;
	email->comment = "the \"main\" address";
	add_key(s, users, RT_CONSTRAINT_UNIQUE, "uq_users_username", "username", NULL);

	rt_table *profiles = add_table(s, "profiles", "Profile");
	add_column(s, profiles, "user_id", RT_TYPE_BIGINT, false);
	add_key(s, profiles, RT_CONSTRAINT_UNIQUE, "uq_profiles_user_id", "user_id", NULL);
	rt_constraint *profile_user = add_fk(s, profiles, "user_id", "users");
	add_rel(s, profiles, "user", profile_user, true);
	add_rel(s, users, "profile", profile_user, false);

	rt_table *posts = add_table(s, "posts", "Post");
	add_column(s, posts, "user_id", RT_TYPE_BIGINT, true);
	rt_constraint *post_user = add_fk(s, posts, "user_id", "users");
	add_rel(s, posts, "author", post_user, true);

	rt_table *carts = add_table(s, "carts", "Cart");
	rt_column *c = add_column(s, carts, "status", RT_TYPE_ENUM, false);
	c->type.enum_name = "CartStatus";

	rt_table *products = add_table(s, "products", "Product");
	c = add_column(s, products, "price", RT_TYPE_NUMERIC, false);
	c->type.precision = 10;
	c->type.scale = 2;

	rt_table *link = rt__schema_add_table(s, "cart_product", NULL);
	add_column(s, link, "cart_id", RT_TYPE_BIGINT, false);
	add_column(s, link, "product_id", RT_TYPE_BIGINT, false);
	add_key(s, link, RT_CONSTRAINT_PRIMARY_KEY, "pk_cart_product", "cart_id", "product_id");
	rt_constraint *to_cart = add_fk(s, link, "cart_id", "carts");
	rt_constraint *to_product = add_fk(s, link, "product_id", "products");
	add_rel(s, carts, "products", to_cart, false);
	add_rel(s, products, "carts", to_product, false);
	return s;
}

static void test_mermaid(void)
{
	rt_schema *s = shop();
	rt_buf out = RT_BUF_INIT;
	CHECK_OK(rt__diagram_mermaid(&out, s));
	CHECK_STR(rt__buf_cstr(&out),
		  "erDiagram\n"
		  "    users {\n"
		  "        bigint id PK\n"
		  "        string_50 username UK\n"
		  "        string_255 email \"nullable; the 'main' address\"\n"
		  "    }\n"
		  "    profiles {\n"
		  "        bigint id PK\n"
		  "        bigint user_id FK, UK\n"
		  "    }\n"
		  "    posts {\n"
		  "        bigint id PK\n"
		  "        bigint user_id FK \"nullable\"\n"
		  "    }\n"
		  "    carts {\n"
		  "        bigint id PK\n"
		  "        CartStatus status \"open | paid\"\n"
		  "    }\n"
		  "    products {\n"
		  "        bigint id PK\n"
		  "        numeric_10_2 price\n"
		  "    }\n"
		  "    cart_product {\n"
		  "        bigint cart_id PK, FK\n"
		  "        bigint product_id PK, FK\n"
		  "    }\n"
		  "    users ||--o| profiles : \"profile\"\n"
		  "    users |o--o{ posts : \"author\"\n"
		  "    carts ||--o{ cart_product : \"products\"\n"
		  "    products ||--o{ cart_product : \"carts\"\n");
	rt__buf_free(&out);
	rt_schema_free(s);
}

static void test_mermaid_quotes_names_it_would_misread(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "one", NULL);
	add_column(s, t, "id", RT_TYPE_INT, false);
	add_column(s, t, "pk", RT_TYPE_INT, false);
	rt_table *odd = rt__schema_add_table(s, "odd \"name\"", NULL);
	add_column(s, odd, "one_id", RT_TYPE_INT, false);
	rt_constraint *fk = add_key(s, odd, RT_CONSTRAINT_FOREIGN_KEY, "fk_odd", "one_id", NULL);
	fk->ref_table = "one";
	rt__constraint_add_column(s, fk, "id", true);
	/* a foreign key to a table the schema does not hold still gets a line */
	rt_table *orphan = rt__schema_add_table(s, "orphans", NULL);
	add_column(s, orphan, "ghost_id", RT_TYPE_INT, false);
	fk = add_key(s, orphan, RT_CONSTRAINT_FOREIGN_KEY, "fk_ghost", "ghost_id", NULL);
	fk->ref_table = "ghosts";

	rt_buf out = RT_BUF_INIT;
	CHECK_OK(rt__diagram_mermaid(&out, s));
	CHECK_STR(rt__buf_cstr(&out),
		  "erDiagram\n"
		  "    \"one\" {\n"
		  "        int id\n"
		  "        int `pk`\n"
		  "    }\n"
		  "    \"odd _name_\" {\n"
		  "        int one_id FK\n"
		  "    }\n"
		  "    orphans {\n"
		  "        int ghost_id FK\n"
		  "    }\n"
		  "    \"one\" ||--o{ \"odd _name_\" : \"fk_odd\"\n"
		  "    ghosts ||--o{ orphans : \"fk_ghost\"\n");

	rt__buf_clear(&out);
	CHECK_OK(rt__diagram_dot(&out, s));
	CHECK(strstr(rt__buf_cstr(&out), "\"odd \\\"name\\\"\" [label=<") != NULL);
	CHECK(strstr(rt__buf_cstr(&out), "<b>odd &quot;name&quot;</b>") != NULL);
	CHECK(strstr(rt__buf_cstr(&out), "\"orphans\":c0e:e -> \"ghosts\" [label=\"fk_ghost\"") != NULL);
	rt__buf_free(&out);
	rt_schema_free(s);
}

/* A verbatim type shows as the database spells it; in Mermaid, whose
 * types are one word, its spaces and punctuation become '_'. */
static void test_verbatim_types(void)
{
	rt_schema *s = rt__schema_new();
	rt_table *t = rt__schema_add_table(s, "docs", NULL);
	rt_column *c = add_column(s, t, "at", RT_TYPE_SQL, false);
	c->type.sql = "timestamp(3) with time zone";
	c = add_column(s, t, "tags", RT_TYPE_SQL, false);
	c->type.sql = "text[]";

	rt_buf out = RT_BUF_INIT;
	CHECK_OK(rt__diagram_mermaid(&out, s));
	CHECK_STR(rt__buf_cstr(&out),
		  "erDiagram\n"
		  "    docs {\n"
		  "        timestamp_3_with_time_zone at\n"
		  "        text[] tags\n"
		  "    }\n");
	rt__buf_clear(&out);
	CHECK_OK(rt__diagram_dot(&out, s));
	CHECK(strstr(rt__buf_cstr(&out), "<td align=\"left\">timestamp(3) with time zone</td>") !=
	      NULL);
	rt__buf_free(&out);
	rt_schema_free(s);
}

static void test_dot(void)
{
	rt_schema *s = shop();
	rt_buf out = RT_BUF_INIT;
	CHECK_OK(rt__diagram_dot(&out, s));
	CHECK_STR(rt__buf_cstr(&out),
		  "digraph schema {\n"
		  "    graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.5, ranksep=1.2];\n"
		  "    node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n"
		  "    edge [dir=both, fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n"
		  "    \"users\" [label=<\n"
		  "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
		  "<tr><td colspan=\"3\" bgcolor=\"#dde6f0\"><b>users</b><br/><font point-size=\"9\">User</font></td></tr>\n"
		  "<tr><td port=\"c0w\" align=\"left\">id</td><td align=\"left\">bigint</td><td port=\"c0e\" align=\"left\">PK</td></tr>\n"
		  "<tr><td port=\"c1w\" align=\"left\">username</td><td align=\"left\">string(50)</td><td port=\"c1e\" align=\"left\">UK</td></tr>\n"
		  "<tr><td port=\"c2w\" align=\"left\">email</td><td align=\"left\">string(255)?</td><td port=\"c2e\" align=\"left\"></td></tr>\n"
		  "</table>>];\n"
		  "    \"profiles\" [label=<\n"
		  "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
		  "<tr><td colspan=\"3\" bgcolor=\"#dde6f0\"><b>profiles</b><br/><font point-size=\"9\">Profile</font></td></tr>\n"
		  "<tr><td port=\"c0w\" align=\"left\">id</td><td align=\"left\">bigint</td><td port=\"c0e\" align=\"left\">PK</td></tr>\n"
		  "<tr><td port=\"c1w\" align=\"left\">user_id</td><td align=\"left\">bigint</td><td port=\"c1e\" align=\"left\">FK, UK</td></tr>\n"
		  "</table>>];\n"
		  "    \"posts\" [label=<\n"
		  "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
		  "<tr><td colspan=\"3\" bgcolor=\"#dde6f0\"><b>posts</b><br/><font point-size=\"9\">Post</font></td></tr>\n"
		  "<tr><td port=\"c0w\" align=\"left\">id</td><td align=\"left\">bigint</td><td port=\"c0e\" align=\"left\">PK</td></tr>\n"
		  "<tr><td port=\"c1w\" align=\"left\">user_id</td><td align=\"left\">bigint?</td><td port=\"c1e\" align=\"left\">FK</td></tr>\n"
		  "</table>>];\n"
		  "    \"carts\" [label=<\n"
		  "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
		  "<tr><td colspan=\"3\" bgcolor=\"#dde6f0\"><b>carts</b><br/><font point-size=\"9\">Cart</font></td></tr>\n"
		  "<tr><td port=\"c0w\" align=\"left\">id</td><td align=\"left\">bigint</td><td port=\"c0e\" align=\"left\">PK</td></tr>\n"
		  "<tr><td port=\"c1w\" align=\"left\">status</td><td align=\"left\">CartStatus</td><td port=\"c1e\" align=\"left\"></td></tr>\n"
		  "</table>>];\n"
		  "    \"products\" [label=<\n"
		  "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
		  "<tr><td colspan=\"3\" bgcolor=\"#dde6f0\"><b>products</b><br/><font point-size=\"9\">Product</font></td></tr>\n"
		  "<tr><td port=\"c0w\" align=\"left\">id</td><td align=\"left\">bigint</td><td port=\"c0e\" align=\"left\">PK</td></tr>\n"
		  "<tr><td port=\"c1w\" align=\"left\">price</td><td align=\"left\">numeric(10,2)</td><td port=\"c1e\" align=\"left\"></td></tr>\n"
		  "</table>>];\n"
		  "    \"cart_product\" [label=<\n"
		  "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
		  "<tr><td colspan=\"3\" bgcolor=\"#dde6f0\"><b>cart_product</b></td></tr>\n"
		  "<tr><td port=\"c0w\" align=\"left\">cart_id</td><td align=\"left\">bigint</td><td port=\"c0e\" align=\"left\">PK, FK</td></tr>\n"
		  "<tr><td port=\"c1w\" align=\"left\">product_id</td><td align=\"left\">bigint</td><td port=\"c1e\" align=\"left\">PK, FK</td></tr>\n"
		  "</table>>];\n"
		  "    \"profiles\":c1e:e -> \"users\":c0w:w [label=\"profile\", arrowtail=teeodot, arrowhead=teetee];\n"
		  "    \"posts\":c1e:e -> \"users\":c0w:w [label=\"author\", arrowtail=crowodot, arrowhead=teeodot];\n"
		  "    \"cart_product\":c0e:e -> \"carts\":c0w:w [label=\"products\", arrowtail=crowodot, arrowhead=teetee];\n"
		  "    \"cart_product\":c1e:e -> \"products\":c0w:w [label=\"carts\", arrowtail=crowodot, arrowhead=teetee];\n"
		  "}\n");
	rt__buf_free(&out);
	rt_schema_free(s);
}

/* Graphviz itself accepts the text (when it is installed: the library
 * never runs it, the command line does). */
static void test_dot_renders_with_graphviz(void)
{
	if (system("command -v dot >/dev/null 2>&1") != 0) {
		printf("skip: Graphviz dot is not installed\n");
		return;
	}
	rt_schema *s = shop();
	rt_buf out = RT_BUF_INIT;
	CHECK_OK(rt__diagram_dot(&out, s));
	FILE *f = fopen("diagram_shop.dot", "w");
	CHECK(f != NULL);
	if (f) {
		fputs(rt__buf_cstr(&out), f);
		fclose(f);
		CHECK_INT(system("dot -Tsvg diagram_shop.dot -o diagram_shop.svg 2>diagram_shop.err"), 0);
		/* warnings (bad HTML labels, unknown ports) count as failures too */
		f = fopen("diagram_shop.err", "r");
		CHECK(f != NULL && fgetc(f) == EOF);
		if (f)
			fclose(f);
	}
	rt__buf_free(&out);
	rt_schema_free(s);
}

static void test_empty_schema(void)
{
	rt_schema *s = rt__schema_new();
	rt_buf out = RT_BUF_INIT;
	CHECK_OK(rt__diagram_mermaid(&out, s));
	CHECK_STR(rt__buf_cstr(&out), "erDiagram\n");
	rt__buf_clear(&out);
	CHECK_OK(rt__diagram_dot(&out, s));
	CHECK(strstr(rt__buf_cstr(&out), "digraph schema {\n") != NULL);
	rt__buf_free(&out);
	rt_schema_free(s);
}

int main(void)
{
	RT_RUN(test_mermaid);
	RT_RUN(test_mermaid_quotes_names_it_would_misread);
	RT_RUN(test_verbatim_types);
	RT_RUN(test_dot);
	RT_RUN(test_dot_renders_with_graphviz);
	RT_RUN(test_empty_schema);
	return rt_test_done();
}
