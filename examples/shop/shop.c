/*
 * shop.c - the example system's command-line program, written on the code
 * `retort gen` makes from models.rt (shop_models.h).
 *
 *   shop [--url URL] COMMAND [ARGS]      (shop --help lists the commands)
 *
 * The database is --url, else $DATABASE_URL, else sqlite:///shop.db; it must
 * have been migrated (`retort upgrade head`). Each command is one session
 * and one transaction: a command that fails changes nothing. Exit status:
 * 0 done, 1 the database refused or a named row does not exist, 2 the
 * command line is malformed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retort.h>

#include "shop_models.h"

enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"usage: shop [--url URL] COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  add-user NAME [--email EMAIL] [--first FIRST] [--last LAST]\n"
	"  set-email NAME EMAIL     (the user's email; adds the user when there is none)\n"
	"  add-post --user NAME TITLE [BODY]\n"
	"  add-product NAME PRICE [--description TEXT]\n"
	"  add-to-cart --user NAME PRODUCT\n"
	"  show-cart --user NAME\n"
	"  pay --user NAME          (the open cart: status paid, paid_at now)\n"
	"  ship-paid [--user NAME]  (every paid cart, or NAME's: status shipped)\n"
	"  list-users\n"
	"  list-posts --user NAME\n"
	"  delete-user NAME          (deletes the user's profile, posts and carts too)\n"
	"  tables                    (every table with its row count; alembic_version\n"
	"                            with the revision it records)\n"
	"  tour                      (every feature once, printing what it does)\n"
	"\n"
	"The database is --url, else $DATABASE_URL, else sqlite:///shop.db.\n"
	"\n"
	"Bad input gets a one-line error, exit status 1 or 2, and no change:\n"
	"  an unknown user or product, a user name that is taken, a name too\n"
	"  long for its column, a price that is not a number or is negative,\n"
	"  a product already in the cart, an unknown command or option.\n";

/* --- errors ---------------------------------------------------------------- */

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "shop: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nhint: shop --help lists the commands\n");
	return EXIT_USAGE;
}

/* Turns the last retort error into one line. Constraint violations are
 * reported in the shop's words, found by the constraint's name. */
static int refused(const char *doing)
{
	const rt_error *err = rt_error_last();
	const char *name = err->constraint_name ? err->constraint_name : "";
	if (err->code == RT_ECONSTRAINT && strcmp(name, "uq_users_username") == 0)
		fprintf(stderr, "shop: %s: that user name is taken\n", doing);
	else if (err->code == RT_ECONSTRAINT && strcmp(name, "ck_products_price") == 0)
		fprintf(stderr, "shop: %s: the price must not be negative\n", doing);
	else if (err->code == RT_ECONSTRAINT && strcmp(name, "pk_cart_product") == 0)
		fprintf(stderr, "shop: %s: that product is already in the cart\n", doing);
	else {
		/* The first line of the message is enough for a command line. */
		const char *message = err->message ? err->message : "unknown error";
		int len = (int)strcspn(message, "\n");
		fprintf(stderr, "shop: %s: %.*s\n", doing, len, message);
	}
	return EXIT_REFUSED;
}

/* --- lookups ----------------------------------------------------------------- */

static int find_user(rt_session *s, const char *name, User **out)
{
	rt_query *q;
	if (User_query(&q, s) < 0)
		return refused("find user");
	rt_query_filter(q, rt_eq(q, User_c.username, name));
	int rc = rt_query_one_or_none(q, out);
	rt_query_free(q);
	if (rc < 0)
		return refused("find user");
	if (!*out) {
		fprintf(stderr, "shop: no user named '%s'\n", name);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

static int find_product(rt_session *s, const char *name, Product **out)
{
	rt_query *q;
	if (Product_query(&q, s) < 0)
		return refused("find product");
	rt_query_filter(q, rt_eq(q, Product_c.name, name));
	rt_query_order_by(q, Product_c.id.ref, false);
	int rc = rt_query_first(q, out);
	rt_query_free(q);
	if (rc == RT_ENOTFOUND) {
		fprintf(stderr, "shop: no product named '%s'\n", name);
		return EXIT_REFUSED;
	}
	return rc < 0 ? refused("find product") : EXIT_OK;
}

/* The user's open cart, made when there is none. */
static int open_cart(rt_session *s, User *user, Cart **out)
{
	if (User_load_carts(user) < 0)
		return refused("load carts");
	for (size_t i = 0; i < user->carts.count; i++) {
		Cart *cart = user->carts.items[i];
		if (cart->status == CART_STATUS_OPEN) {
			*out = cart;
			return EXIT_OK;
		}
	}
	if (Cart_new(out, s) < 0 || User_add_carts(user, *out) < 0)
		return refused("new cart");
	return EXIT_OK;
}

/* --- argument parsing ----------------------------------------------------------- */

typedef struct args {
	int count;
	char **items;
	int next;
} args;

/* The value of --name among the remaining arguments, removed from them. */
static const char *take_option(args *a, const char *name)
{
	for (int i = a->next; i + 1 < a->count; i++) {
		if (strcmp(a->items[i], name) == 0) {
			const char *value = a->items[i + 1];
			memmove(&a->items[i], &a->items[i + 2],
				(size_t)(a->count - i - 2) * sizeof(*a->items));
			a->count -= 2;
			return value;
		}
	}
	return NULL;
}

static const char *take_word(args *a)
{
	return a->next < a->count ? a->items[a->next++] : NULL;
}

/* Anything left over, or an option we do not know, is a usage error. */
static int no_more(args *a)
{
	if (a->next < a->count)
		return usage_error(a->items[a->next][0] == '-' ? "unknown option '%s'"
							      : "unexpected argument '%s'",
				   a->items[a->next]);
	return EXIT_OK;
}

/* Whether text fits a string(max) column, counted in characters as
 * PostgreSQL counts them (SQLite would store a longer one silently). */
static int fits(const char *what, const char *text, size_t max)
{
	size_t characters = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		characters += (*p & 0xC0) != 0x80;
	if (characters <= max)
		return 1;
	fprintf(stderr, "shop: %s '%s' is longer than %zu characters\n", what, text, max);
	return 0;
}

/* A price is digits with at most two decimals and an optional sign (a
 * negative one is refused by the database's check, in its own words). */
static int valid_price(const char *text)
{
	const char *p = text + (*text == '-' || *text == '+');
	int digits = 0, decimals = -1;
	for (; *p; p++) {
		if (*p == '.' && decimals < 0)
			decimals = 0;
		else if (*p >= '0' && *p <= '9')
			decimals >= 0 ? decimals++ : digits++;
		else
			return 0;
	}
	return digits > 0 && decimals != 0 && decimals <= 2;
}

/* --- commands ------------------------------------------------------------------- */

static int add_user(rt_session *s, args *a)
{
	const char *email = take_option(a, "--email"), *first = take_option(a, "--first"),
		   *last = take_option(a, "--last"), *name = take_word(a);
	if (!name)
		return usage_error("add-user needs a NAME%s", "");
	int rc = no_more(a);
	if (rc)
		return rc;
	if (!fits("user name", name, 50) || (email && !fits("email", email, 255)) ||
	    (first && !fits("first name", first, 50)) || (last && !fits("last name", last, 50)))
		return EXIT_REFUSED;
	User *user;
	if (User_new(&user, s) < 0 || User_set_username(user, name) < 0 ||
	    User_set_email(user, email) < 0)
		return refused("add user");
	if (first || last) {
		Profile *profile;
		if (Profile_new(&profile, s) < 0 || Profile_set_first_name(profile, first) < 0 ||
		    Profile_set_last_name(profile, last) < 0 || Profile_set_user(profile, user) < 0)
			return refused("add profile");
	}
	if (rt_session_commit(s) < 0)
		return refused("add user");
	printf("added user %s (id %lld)\n", user->username, (long long)user->id);
	return EXIT_OK;
}

/* An upsert on the unique username: one statement inserts the user or
 * sets the stored one's email, and the object shows the row as stored. */
static int set_email(rt_session *s, args *a)
{
	const char *name = take_word(a), *email = take_word(a);
	if (!name || !email)
		return usage_error("set-email needs a NAME and an EMAIL%s", "");
	int rc = no_more(a);
	if (rc)
		return rc;
	if (!fits("user name", name, 50) || !fits("email", email, 255))
		return EXIT_REFUSED;
	static const char *const username[] = {"username"};
	static const char *const email_column[] = {"email"};
	rt_upsert_options options = RT_UPSERT_OPTIONS_INIT;
	options.conflict_columns = username;
	options.conflict_count = 1;
	options.update_columns = email_column;
	options.update_count = 1;
	User *user, *stored;
	if (User_new(&user, s) < 0 || User_set_username(user, name) < 0 ||
	    User_set_email(user, email) < 0 || User_upsert(&stored, s, &user, 1, &options) < 0 ||
	    rt_session_commit(s) < 0)
		return refused("set email");
	printf("user %s (id %lld) has email %s\n", stored->username, (long long)stored->id,
	       stored->email);
	return EXIT_OK;
}

static int add_post(rt_session *s, args *a)
{
	const char *user_name = take_option(a, "--user"), *title = take_word(a),
		   *body = take_word(a);
	if (!user_name || !title)
		return usage_error("add-post needs --user NAME and a TITLE%s", "");
	int rc = no_more(a);
	User *user;
	if (rc || (rc = find_user(s, user_name, &user)))
		return rc;
	if (!fits("title", title, 50))
		return EXIT_REFUSED;
	Post *post;
	if (Post_new(&post, s) < 0 || Post_set_title(post, title) < 0 ||
	    (body && Post_set_body(post, body) < 0) || Post_set_user(post, user) < 0 ||
	    rt_session_commit(s) < 0)
		return refused("add post");
	printf("added post %lld \"%s\" by %s\n", (long long)post->id, post->title, user->username);
	return EXIT_OK;
}

static int add_product(rt_session *s, args *a)
{
	const char *description = take_option(a, "--description"), *name = take_word(a),
		   *price = take_word(a);
	if (!name || !price)
		return usage_error("add-product needs a NAME and a PRICE%s", "");
	if (!valid_price(price))
		return usage_error("'%s' is not a price (e.g. 9.99)", price);
	int rc = no_more(a);
	if (rc)
		return rc;
	if (!fits("product name", name, 20))
		return EXIT_REFUSED;
	Product *product;
	if (Product_new(&product, s) < 0 || Product_set_name(product, name) < 0 ||
	    Product_set_price(product, price) < 0 ||
	    Product_set_description(product, description) < 0 || rt_session_commit(s) < 0)
		return refused("add product");
	printf("added product %s at %s (id %lld)\n", product->name, product->price,
	       (long long)product->id);
	return EXIT_OK;
}

static int add_to_cart(rt_session *s, args *a)
{
	const char *user_name = take_option(a, "--user"), *product_name = take_word(a);
	if (!user_name || !product_name)
		return usage_error("add-to-cart needs --user NAME and a PRODUCT%s", "");
	int rc = no_more(a);
	User *user;
	Product *product;
	Cart *cart;
	if (rc || (rc = find_user(s, user_name, &user)) ||
	    (rc = find_product(s, product_name, &product)) || (rc = open_cart(s, user, &cart)))
		return rc;
	if (Cart_load_products(cart) < 0)
		return refused("load cart");
	for (size_t i = 0; i < cart->products.count; i++)
		if (cart->products.items[i] == product) {
			fprintf(stderr, "shop: add to cart: %s is already in %s's cart\n",
				product->name, user->username);
			return EXIT_REFUSED;
		}
	if (Cart_add_products(cart, product) < 0 || rt_session_commit(s) < 0)
		return refused("add to cart");
	printf("%s's cart %lld: added %s\n", user->username, (long long)cart->id, product->name);
	return EXIT_OK;
}

static int show_cart(rt_session *s, args *a)
{
	const char *user_name = take_option(a, "--user");
	if (!user_name)
		return usage_error("show-cart needs --user NAME%s", "");
	int rc = no_more(a);
	User *user;
	if (rc || (rc = find_user(s, user_name, &user)))
		return rc;
	/* One query for the carts and one for all their products. */
	rt_query *q;
	rt_list carts = {0};
	if (Cart_query(&q, s) < 0)
		return refused("show cart");
	rt_query_filter(q, rt_eq(q, Cart_c.user_id, user->id));
	rt_query_order_by(q, Cart_c.id.ref, false);
	rt_query_eager(q, &Cart_model, "products");
	rc = rt_query_all(q, &carts);
	rt_query_free(q);
	if (rc < 0)
		return refused("show cart");
	if (carts.count == 0)
		printf("%s has no cart\n", user->username);
	for (size_t i = 0; i < carts.count; i++) {
		Cart *cart = carts.items[i];
		printf("cart %lld (%s):\n", (long long)cart->id,
		       CartStatus_enum.values[cart->status - 1]);
		for (size_t j = 0; j < cart->products.count; j++) {
			Product *product = cart->products.items[j];
			printf("  %-20s %10s\n", product->name, product->price);
		}
	}
	return EXIT_OK;
}

static int pay(rt_session *s, args *a)
{
	const char *user_name = take_option(a, "--user");
	if (!user_name)
		return usage_error("pay needs --user NAME%s", "");
	int rc = no_more(a);
	User *user;
	if (rc || (rc = find_user(s, user_name, &user)) || User_load_carts(user) < 0)
		return rc ? rc : refused("pay");
	for (size_t i = 0; i < user->carts.count; i++) {
		Cart *cart = user->carts.items[i];
		if (cart->status == CART_STATUS_OPEN) {
			cart->status = CART_STATUS_PAID;
			cart->paid_at = (rt_opt_timestamp){true, rt_timestamp_now()};
			if (rt_session_commit(s) < 0)
				return refused("pay");
			printf("%s's cart %lld is paid\n", user->username, (long long)cart->id);
			return EXIT_OK;
		}
	}
	fprintf(stderr, "shop: pay: %s has no open cart\n", user->username);
	return EXIT_REFUSED;
}

/* A set-based update: one UPDATE of every paid cart (or the user's), the
 * carts not loaded; the count is the number of rows it changed. */
static int ship_paid(rt_session *s, args *a)
{
	const char *user_name = take_option(a, "--user");
	int rc = no_more(a);
	User *user = NULL;
	if (rc || (user_name && (rc = find_user(s, user_name, &user))))
		return rc;
	rt_query *q;
	if (Cart_query(&q, s) < 0)
		return refused("ship paid carts");
	rt_query_filter(q, rt_eq(q, Cart_c.status, CART_STATUS_PAID));
	if (user)
		rt_query_filter(q, rt_eq(q, Cart_c.user_id, user->id));
	rt_assignment set[] = {rt_set(Cart_c.status, CART_STATUS_SHIPPED)};
	int64_t shipped = 0;
	rc = rt_query_update(q, &shipped, set, 1);
	rt_query_free(q);
	if (rc < 0 || rt_session_commit(s) < 0)
		return refused("ship paid carts");
	printf("shipped %lld cart%s\n", (long long)shipped, shipped == 1 ? "" : "s");
	return EXIT_OK;
}

static int list_users(rt_session *s, args *a)
{
	int rc = no_more(a);
	if (rc)
		return rc;
	rt_query *q;
	rt_list users = {0};
	if (User_query(&q, s) < 0)
		return refused("list users");
	rt_query_order_by(q, User_c.username.ref, false);
	rt_query_eager(q, &User_model, "profile");
	rc = rt_query_all(q, &users);
	rt_query_free(q);
	if (rc < 0)
		return refused("list users");
	for (size_t i = 0; i < users.count; i++) {
		User *user = users.items[i];
		printf("%-12s %-24s %s %s\n", user->username, user->email ? user->email : "-",
		       user->profile && user->profile->first_name ? user->profile->first_name : "",
		       user->profile && user->profile->last_name ? user->profile->last_name : "");
	}
	return EXIT_OK;
}

static int list_posts(rt_session *s, args *a)
{
	const char *user_name = take_option(a, "--user");
	if (!user_name)
		return usage_error("list-posts needs --user NAME%s", "");
	int rc = no_more(a);
	User *user;
	if (rc || (rc = find_user(s, user_name, &user)))
		return rc;
	rt_query *q;
	rt_list posts = {0};
	if (Post_query(&q, s) < 0)
		return refused("list posts");
	rt_query_filter(q, rt_eq(q, Post_c.user_id, user->id));
	rt_query_order_by(q, Post_c.id.ref, false);
	rc = rt_query_all(q, &posts);
	rt_query_free(q);
	if (rc < 0)
		return refused("list posts");
	for (size_t i = 0; i < posts.count; i++) {
		Post *post = posts.items[i];
		printf("%lld  %s%s%s\n", (long long)post->id, post->title, post->body[0] ? ": " : "",
		       post->body);
	}
	return EXIT_OK;
}

static int delete_user(rt_session *s, args *a)
{
	const char *name = take_word(a);
	if (!name)
		return usage_error("delete-user needs a NAME%s", "");
	int rc = no_more(a);
	User *user;
	if (rc || (rc = find_user(s, name, &user)))
		return rc;
	if (User_delete(user) < 0 || rt_session_commit(s) < 0)
		return refused("delete user");
	printf("deleted user %s with the profile, posts and carts\n", name);
	return EXIT_OK;
}

/* Names come from the database itself; quoted, they are safe as SQL. */
static void quote_name(char *out, size_t size, const char *name)
{
	size_t n = 0;
	out[n++] = '"';
	for (; *name && n + 3 < size; name++) {
		if (*name == '"')
			out[n++] = '"';
		out[n++] = *name;
	}
	out[n++] = '"';
	out[n] = '\0';
}

static int compare_names(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Prints one table's row count, and for the migrations' version table the
 * revision it records. */
static int print_table(rt_session *s, const char *name)
{
	char quoted[160], sql[224];
	rt_rows *rows;
	quote_name(quoted, sizeof(quoted), name);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", quoted);
	if (rt_session_sql(&rows, s, sql, NULL, 0) < 0)
		return -1;
	int64_t count = rt_rows_next(rows) == RT_ROW ? rt_rows_int64(rows, 0) : -1;
	rt_rows_free(rows);
	printf("  %-16s %5lld row%s", name, (long long)count, count == 1 ? "" : "s");
	if (strcmp(name, "alembic_version") == 0) {
		snprintf(sql, sizeof(sql), "SELECT version_num FROM %s ORDER BY 1", quoted);
		if (rt_session_sql(&rows, s, sql, NULL, 0) < 0)
			return -1;
		int rc;
		while ((rc = rt_rows_next(rows)) == RT_ROW)
			printf("  version_num = %s", rt_rows_text(rows, 0));
		rt_rows_free(rows);
		if (rc < 0)
			return -1;
	}
	printf("\n");
	return 0;
}

/* Every table of the database, read from the database (rt_schema_reflect),
 * not from the models: the migrations' own tables are there too. */
static int tables(rt_session *s, args *a)
{
	int rc = no_more(a);
	if (rc)
		return rc;
	rt_conn *conn = NULL;
	rt_schema *schema = NULL;
	if (rt_conn_open(&conn, rt_session_engine(s)) < 0 || rt_schema_reflect(&schema, conn) < 0) {
		rt_conn_close(conn);
		return refused("read the tables");
	}
	rt_conn_close(conn);
	size_t count = rt_schema_table_count(schema);
	const char **names = calloc(count ? count : 1, sizeof(*names));
	if (!names) {
		rt_schema_free(schema);
		fprintf(stderr, "shop: tables: out of memory\n");
		return EXIT_REFUSED;
	}
	for (size_t i = 0; i < count; i++)
		names[i] = rt_schema_table_name(schema, i);
	qsort(names, count, sizeof(*names), compare_names);
	printf("%zu tables (%s):\n", count, rt_engine_dialect(rt_session_engine(s)));
	rc = EXIT_OK;
	for (size_t i = 0; i < count && rc == EXIT_OK; i++)
		if (print_table(s, names[i]) < 0)
			rc = refused("count rows");
	free(names);
	rt_schema_free(schema);
	return rc;
}

/* --- the tour: every feature of issue 4's example once ------------------------------ */

static int tour_create(rt_session *s)
{
	User *ada;
	Profile *profile;
	if (User_new(&ada, s) < 0 || User_set_username(ada, "ada") < 0 ||
	    User_set_email(ada, "ada@example.com") < 0 || Profile_new(&profile, s) < 0 ||
	    Profile_set_first_name(profile, "Ada") < 0 ||
	    Profile_set_last_name(profile, "Lovelace") < 0 || Profile_set_user(profile, ada) < 0)
		return refused("tour: new user");
	const char *titles[] = {"Notes on the engine", "On numbers", "A letter"};
	for (int i = 0; i < 3; i++) {
		Post *post;
		if (Post_new(&post, s) < 0 || Post_set_title(post, titles[i]) < 0 ||
		    User_add_posts(ada, post) < 0)
			return refused("tour: new post");
	}
	const char *names[] = {"lamp", "desk", "chair"}, *prices[] = {"19.90", "149.00", "59.50"};
	Cart *cart;
	if (Cart_new(&cart, s) < 0 || User_add_carts(ada, cart) < 0)
		return refused("tour: new cart");
	for (int i = 0; i < 3; i++) {
		Product *product;
		if (Product_new(&product, s) < 0 || Product_set_name(product, names[i]) < 0 ||
		    Product_set_price(product, prices[i]) < 0 ||
		    (i < 2 && Cart_add_products(cart, product) < 0))
			return refused("tour: new product");
	}
	if (rt_session_commit(s) < 0)
		return refused("tour: commit");
	printf("created user %s (id %lld) with profile %s %s, %zu posts, cart %lld with %zu "
	       "products (status %s, the server default)\n",
	       ada->username, (long long)ada->id, profile->first_name, profile->last_name,
	       ada->posts.count, (long long)cart->id, cart->products.count,
	       CartStatus_enum.values[cart->status - 1]);
	return EXIT_OK;
}

static int tour_query(rt_session *s)
{
	rt_query *q;
	rt_list products = {0};
	if (Product_query(&q, s) < 0)
		return refused("tour: query");
	rt_query_filter(q, rt_and(q, rt_lt(q, Product_c.price, "100"),
				  rt_like(q, Product_c.name, "%a%")));
	rt_query_order_by(q, Product_c.price.ref, true);
	int rc = rt_query_all(q, &products);
	rt_query_free(q);
	if (rc < 0)
		return refused("tour: query");
	printf("products under 100 with an 'a' in the name, dearest first:");
	for (size_t i = 0; i < products.count; i++) {
		Product *product = products.items[i];
		printf(" %s (%s)", product->name, product->price);
	}
	printf("\n");
	return EXIT_OK;
}

static int tour_eager(rt_engine *engine)
{
	/* A fresh session, so that nothing is in memory yet. */
	rt_session *s;
	rt_query *q;
	rt_list users = {0};
	if (rt_session_open(&s, engine) < 0 || User_query(&q, s) < 0) {
		rt_session_close(s);
		return refused("tour: eager");
	}
	rt_query_eager(q, &User_model, "posts");
	rt_query_eager(q, &User_model, "profile");
	rt_query_eager(q, &User_model, "carts");
	rt_query_eager(q, &Cart_model, "products");
	int rc = rt_query_all(q, &users);
	rt_query_free(q);
	if (rc < 0) {
		rt_session_close(s);
		return refused("tour: eager");
	}
	for (size_t i = 0; i < users.count; i++) {
		User *user = users.items[i];
		size_t in_carts = 0;
		for (size_t c = 0; c < user->carts.count; c++)
			in_carts += ((Cart *)user->carts.items[c])->products.count;
		printf("loaded eagerly: %s, %s %s, %zu posts, %zu carts holding %zu products\n",
		       user->username, user->profile ? user->profile->first_name : "-",
		       user->profile ? user->profile->last_name : "-", user->posts.count,
		       user->carts.count, in_carts);
	}
	rt_session_close(s);
	return EXIT_OK;
}

static int tour_update_and_violation(rt_session *s)
{
	User *ada, *other;
	int rc = find_user(s, "ada", &ada);
	if (rc)
		return rc;
	if (User_set_email(ada, "ada@analytical.example") < 0 || rt_session_commit(s) < 0)
		return refused("tour: update");
	printf("updated ada's email to %s\n", ada->email);

	if (User_new(&other, s) < 0 || User_set_username(other, "ada") < 0)
		return refused("tour: new user");
	rc = rt_session_commit(s);
	const rt_error *err = rt_error_last();
	if (rc != RT_ECONSTRAINT || err->constraint_kind != RT_VIOLATION_UNIQUE) {
		fprintf(stderr, "shop: tour: a second 'ada' was not refused\n");
		return EXIT_REFUSED;
	}
	printf("a second user named ada is refused: unique violation of %s\n",
	       err->constraint_name);
	rt_session_rollback(s);
	return EXIT_OK;
}

static int count_rows(rt_session *s, const char *table, int64_t *out)
{
	/* Table names cannot be parameters; these come from this file. */
	char sql[64];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
	rt_rows *rows;
	if (rt_session_sql(&rows, s, sql, NULL, 0) < 0)
		return -1;
	int rc = rt_rows_next(rows);
	*out = rc == RT_ROW ? rt_rows_int64(rows, 0) : -1;
	rt_rows_free(rows);
	return rc == RT_ROW ? 0 : -1;
}

static int tour_delete(rt_session *s)
{
	User *ada;
	int rc = find_user(s, "ada", &ada);
	if (rc)
		return rc;
	if (User_delete(ada) < 0 || rt_session_commit(s) < 0)
		return refused("tour: delete");
	int64_t posts, profiles, carts, products;
	if (count_rows(s, "posts", &posts) < 0 || count_rows(s, "profiles", &profiles) < 0 ||
	    count_rows(s, "carts", &carts) < 0 || count_rows(s, "products", &products) < 0)
		return refused("tour: count");
	printf("deleted ada; cascaded: %lld posts, %lld profiles, %lld carts left; "
	       "the %lld products stay\n",
	       (long long)posts, (long long)profiles, (long long)carts, (long long)products);
	return rt_session_commit(s) < 0 ? refused("tour: commit") : EXIT_OK;
}

static int tour(rt_engine *engine, rt_session *s, args *a)
{
	int rc = no_more(a);
	if (rc || (rc = tour_create(s)) || (rc = tour_query(s)) || (rc = tour_eager(engine)) ||
	    (rc = tour_update_and_violation(s)) || (rc = tour_delete(s)))
		return rc;
	return EXIT_OK;
}

/* --- main ---------------------------------------------------------------------------- */

typedef int (*command_fn)(rt_session *s, args *a);

static const struct {
	const char *name;
	command_fn run;
} commands[] = {
	{"add-user", add_user},       {"set-email", set_email},   {"add-post", add_post},
	{"add-product", add_product},
	{"add-to-cart", add_to_cart}, {"show-cart", show_cart},   {"pay", pay},
	{"ship-paid", ship_paid},
	{"list-users", list_users},   {"list-posts", list_posts}, {"delete-user", delete_user},
	{"tables", tables},
};

int main(int argc, char **argv)
{
	args a = {argc, argv, 1};
	const char *url = take_option(&a, "--url");
	if (!url)
		url = getenv("DATABASE_URL");
	if (!url || !*url)
		url = "sqlite:///shop.db";
	const char *name = take_word(&a);
	if (!name)
		return usage_error("%sno command given", "");
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	command_fn run = NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			run = commands[i].run;
	if (!run && strcmp(name, "tour") != 0)
		return usage_error("unknown command '%s'", name);

	rt_engine *engine;
	rt_session *s;
	if (rt_engine_open(&engine, url, NULL) < 0)
		return refused("open database");
	if (rt_session_open(&s, engine) < 0) {
		rt_engine_free(engine);
		return refused("open session");
	}
	int rc = run ? run(s, &a) : tour(engine, s, &a);
	/* Closing rolls back whatever a failed command left uncommitted. */
	rt_session_close(s);
	rt_engine_free(engine);
	return rc;
}
