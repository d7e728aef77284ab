/*
 * store.c - the handlers of products and carts: create, read, list with
 * filters, update, delete, and adding a product to a cart (to a given
 * cart, or to a user's open cart as the shop command's add-to-cart does).
 *
 * Blocking retort code on a session per request, as in people.c; the
 * service runs it on a thread or on a fiber of rt_async.
 */
#include <string.h>

#include "service.h"

/* --- JSON of the models ------------------------------------------------------------- */

json_t *shop_product_json(const Product *product)
{
	return json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)product->id, "name",
			 product->name, "description", shop_json_text(product->description),
			 "price", product->price);
}

static json_t *cart_json(const Cart *cart)
{
	json_t *products = json_array();
	for (size_t i = 0; i < cart->products.count; i++)
		json_array_append_new(products, shop_product_json(cart->products.items[i]));
	const char *status = cart->status >= CART_STATUS_OPEN && cart->status <= CART_STATUS_SHIPPED
				     ? CartStatus_enum.values[cart->status - 1]
				     : "?";
	return json_pack("{s:I, s:I, s:s, s:o, s:o}", "id", (json_int_t)cart->id, "user_id",
			 (json_int_t)cart->user_id, "status", status, "paid_at",
			 cart->paid_at.present ? shop_json_timestamp(cart->paid_at.value)
					       : json_null(),
			 "products", products);
}

static json_t *product_item(const void *p) { return shop_product_json(p); }
static json_t *cart_item(const void *p) { return cart_json(p); }

/* A cart status's name ("open", "paid", "shipped") as the C enum, or 0. */
static CartStatus cart_status(const char *name)
{
	for (int i = 0; i < CartStatus_enum.value_count; i++)
		if (strcmp(CartStatus_enum.values[i], name) == 0)
			return (CartStatus)(i + 1);
	return (CartStatus)0;
}

/* --- products ---------------------------------------------------------------------------- */

int shop_product_list(shop_call *call)
{
	static const char *const params[] = {"name", NULL};
	const char *name;
	rt_session *s;
	rt_query *q;
	int rc;
	if ((rc = shop_params_allowed(call, params)) ||
	    (rc = shop_param_text(call, "name", 20, &name)) || (rc = shop_session_open(call, &s)))
		return rc;
	if (Product_query(&q, s) < 0) {
		rc = shop_db_error(call, "list products");
	} else {
		if (name)
			rt_query_filter(q, rt_eq(q, Product_c.name, name));
		rc = shop_list_window(call, q, Product_c.id.ref);
		if (rc)
			rt_query_free(q);
		else
			rc = shop_list_answer(call, q, product_item);
	}
	rt_session_close(s);
	return rc;
}

int shop_product_create(shop_call *call)
{
	static const char *const fields[] = {"name", "description", "price", NULL};
	const char *name, *description, *price;
	char price_buf[32];
	int rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_text(call, "name", 20, SHOP_REQUIRED, &name, NULL)) ||
	    (rc = shop_body_text(call, "description", 0, SHOP_NULLABLE, &description, NULL)) ||
	    (rc = shop_body_price(call, "price", SHOP_REQUIRED, price_buf, sizeof(price_buf),
				  &price, NULL)))
		return rc;
	rt_session *s;
	Product *product;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (Product_new(&product, s) < 0 || Product_set_name(product, name) < 0 ||
	    Product_set_description(product, description) < 0 ||
	    Product_set_price(product, price) < 0 || rt_session_commit(s) < 0)
		rc = shop_db_error(call, "create product");
	else
		rc = shop_answer(call, 201, shop_product_json(product));
	rt_session_close(s);
	return rc;
}

int shop_product_read(shop_call *call)
{
	rt_session *s;
	Product *product;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Product_get(&product, s, call->ids[0]) < 0)
		rc = shop_db_error(call, "read product");
	else
		rc = shop_answer(call, 200, shop_product_json(product));
	rt_session_close(s);
	return rc;
}

int shop_product_update(shop_call *call)
{
	static const char *const fields[] = {"name", "description", "price", NULL};
	const char *name, *description, *price;
	char price_buf[32];
	int has_name, has_description, has_price, rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_text(call, "name", 20, 0, &name, &has_name)) ||
	    (rc = shop_body_text(call, "description", 0, SHOP_NULLABLE, &description,
				 &has_description)) ||
	    (rc = shop_body_price(call, "price", 0, price_buf, sizeof(price_buf), &price,
				  &has_price)))
		return rc;
	if (has_name && !*name)
		return shop_fail(call, 422, "'name' must not be empty");
	rt_session *s;
	Product *product;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (Product_get(&product, s, call->ids[0]) < 0 ||
	    (has_name && Product_set_name(product, name) < 0) ||
	    (has_description && Product_set_description(product, description) < 0) ||
	    (has_price && Product_set_price(product, price) < 0) || rt_session_commit(s) < 0)
		rc = shop_db_error(call, "update product");
	else
		rc = shop_answer(call, 200, shop_product_json(product));
	rt_session_close(s);
	return rc;
}

int shop_product_delete(shop_call *call)
{
	rt_session *s;
	Product *product;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Product_get(&product, s, call->ids[0]) < 0 || Product_delete(product) < 0 ||
	    rt_session_commit(s) < 0)
		rc = shop_db_error(call, "delete product");
	else
		rc = shop_answer(call, 204, NULL);
	rt_session_close(s);
	return rc;
}

/* --- carts ----------------------------------------------------------------------------------- */

int shop_cart_list(shop_call *call)
{
	static const char *const params[] = {"user_id", "status", NULL};
	int64_t user_id;
	int has_user, rc;
	const char *status_name;
	CartStatus status = (CartStatus)0;
	rt_session *s;
	rt_query *q;
	if ((rc = shop_params_allowed(call, params)) ||
	    (rc = shop_param_key(call, "user_id", &user_id, &has_user)) ||
	    (rc = shop_param_text(call, "status", 20, &status_name)))
		return rc;
	if (status_name && !(status = cart_status(status_name)))
		return shop_fail(call, 400, "?status= must be open, paid or shipped");
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (Cart_query(&q, s) < 0) {
		rc = shop_db_error(call, "list carts");
	} else {
		if (has_user)
			rt_query_filter(q, rt_eq(q, Cart_c.user_id, user_id));
		if (status)
			rt_query_filter(q, rt_eq(q, Cart_c.status, status));
		rt_query_eager(q, &Cart_model, "products");
		rc = shop_list_window(call, q, Cart_c.id.ref);
		if (rc)
			rt_query_free(q);
		else
			rc = shop_list_answer(call, q, cart_item);
	}
	rt_session_close(s);
	return rc;
}

int shop_cart_create(shop_call *call)
{
	static const char *const fields[] = {"user_id", NULL};
	int64_t user_id;
	int rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_key(call, "user_id", SHOP_REQUIRED, &user_id, NULL)))
		return rc;
	rt_session *s;
	Cart *cart;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	/* An unknown user_id is the foreign key's to refuse (409). */
	if (Cart_new(&cart, s) < 0)
		rc = shop_db_error(call, "create cart");
	else {
		cart->user_id = user_id;
		if (rt_session_commit(s) < 0)
			rc = shop_db_error(call, "create cart");
		else
			rc = shop_answer(call, 201, cart_json(cart));
	}
	rt_session_close(s);
	return rc;
}

int shop_cart_read(shop_call *call)
{
	rt_session *s;
	Cart *cart;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Cart_get(&cart, s, call->ids[0]) < 0 || Cart_load_products(cart) < 0)
		rc = shop_db_error(call, "read cart");
	else
		rc = shop_answer(call, 200, cart_json(cart));
	rt_session_close(s);
	return rc;
}

/* Only the status changes; paying stamps paid_at, as `shop pay` does. */
int shop_cart_update(shop_call *call)
{
	static const char *const fields[] = {"status", NULL};
	const char *status_name;
	CartStatus status;
	int rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_text(call, "status", 20, SHOP_REQUIRED, &status_name, NULL)))
		return rc;
	if (!(status = cart_status(status_name)))
		return shop_fail(call, 422, "'status' must be open, paid or shipped");
	rt_session *s;
	Cart *cart;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (Cart_get(&cart, s, call->ids[0]) < 0 || Cart_load_products(cart) < 0) {
		rc = shop_db_error(call, "update cart");
	} else {
		cart->status = status;
		if (status != CART_STATUS_OPEN && !cart->paid_at.present)
			cart->paid_at = (rt_opt_timestamp){true, rt_timestamp_now()};
		if (rt_session_commit(s) < 0)
			rc = shop_db_error(call, "update cart");
		else
			rc = shop_answer(call, 200, cart_json(cart));
	}
	rt_session_close(s);
	return rc;
}

int shop_cart_delete(shop_call *call)
{
	rt_session *s;
	Cart *cart;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Cart_get(&cart, s, call->ids[0]) < 0 || Cart_delete(cart) < 0 ||
	    rt_session_commit(s) < 0)
		rc = shop_db_error(call, "delete cart");
	else
		rc = shop_answer(call, 204, NULL);
	rt_session_close(s);
	return rc;
}

/* --- adding to a cart ---------------------------------------------------------------------------- */

/* Adds the product of the body's product_id to cart (its products
 * loaded) and commits: 201 with the cart. A product that does not exist
 * is 409, as a foreign key would answer; one already in the cart is 409
 * too (the key of cart_product); a cart no longer open is 409. */
static int add_to(shop_call *call, rt_session *s, Cart *cart, int64_t product_id)
{
	Product *product;
	if (cart->status != CART_STATUS_OPEN)
		return shop_fail(call, 409, "cart %lld is %s, not open", (long long)cart->id,
				 CartStatus_enum.values[cart->status - 1]);
	int rc = Product_get(&product, s, product_id);
	if (rc == RT_ENOTFOUND)
		return shop_fail(call, 409, "there is no product %lld", (long long)product_id);
	if (rc < 0)
		return shop_db_error(call, "add to cart");
	for (size_t i = 0; i < cart->products.count; i++)
		if (cart->products.items[i] == product)
			return shop_fail(call, 409, "product %lld is already in cart %lld",
					 (long long)product_id, (long long)cart->id);
	if (Cart_add_products(cart, product) < 0 || rt_session_commit(s) < 0)
		return shop_db_error(call, "add to cart");
	return shop_answer(call, 201, cart_json(cart));
}

/* POST /carts/{id}/products {"product_id": N} */
int shop_cart_add(shop_call *call)
{
	static const char *const fields[] = {"product_id", NULL};
	int64_t product_id;
	int rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_key(call, "product_id", SHOP_REQUIRED, &product_id, NULL)))
		return rc;
	rt_session *s;
	Cart *cart;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (Cart_get(&cart, s, call->ids[0]) < 0 || Cart_load_products(cart) < 0)
		rc = shop_db_error(call, "add to cart");
	else
		rc = add_to(call, s, cart, product_id);
	rt_session_close(s);
	return rc;
}

/* POST /users/{id}/cart {"product_id": N}: into the user's open cart,
 * made when there is none. */
int shop_user_add_to_cart(shop_call *call)
{
	static const char *const fields[] = {"product_id", NULL};
	int64_t product_id;
	int rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_key(call, "product_id", SHOP_REQUIRED, &product_id, NULL)))
		return rc;
	rt_session *s;
	User *user;
	Cart *cart = NULL;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (User_get(&user, s, call->ids[0]) < 0 || User_load_carts(user) < 0) {
		rc = shop_db_error(call, "add to cart");
		goto done;
	}
	for (size_t i = 0; i < user->carts.count && !cart; i++)
		if (((Cart *)user->carts.items[i])->status == CART_STATUS_OPEN)
			cart = user->carts.items[i];
	if (cart ? Cart_load_products(cart) < 0
		 : Cart_new(&cart, s) < 0 || User_add_carts(user, cart) < 0) {
		rc = shop_db_error(call, "add to cart");
		goto done;
	}
	rc = add_to(call, s, cart, product_id);
done:
	rt_session_close(s);
	return rc;
}

/* DELETE /carts/{id}/products/{product_id} */
int shop_cart_remove(shop_call *call)
{
	rt_session *s;
	Cart *cart;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Cart_get(&cart, s, call->ids[0]) < 0 || Cart_load_products(cart) < 0) {
		rc = shop_db_error(call, "remove from cart");
		goto done;
	}
	Product *product = NULL;
	for (size_t i = 0; i < cart->products.count; i++)
		if (((Product *)cart->products.items[i])->id == call->ids[1])
			product = cart->products.items[i];
	if (!product)
		rc = shop_fail(call, 404, "product %lld is not in cart %lld", (long long)call->ids[1],
			       (long long)call->ids[0]);
	else if (Cart_remove_products(cart, product) < 0 || rt_session_commit(s) < 0)
		rc = shop_db_error(call, "remove from cart");
	else
		rc = shop_answer(call, 204, NULL);
done:
	rt_session_close(s);
	return rc;
}
