/*
 * routes.c - the service's routes: which handler answers a method and a
 * path. A pattern's "#" segment is a key (digits, 1 or more); anything
 * else must match exactly. A path no pattern matches is 404; one that
 * matches with another method is 405.
 */
#include <string.h>

#include "service.h"

static const struct route {
	const char *method;
	const char *pattern;
	shop_handler *handler;
} routes[] = {
	{"GET", "/users", shop_user_list},
	{"POST", "/users", shop_user_create},
	{"GET", "/users/#", shop_user_read},
	{"PATCH", "/users/#", shop_user_update},
	{"DELETE", "/users/#", shop_user_delete},
	{"POST", "/users/#/cart", shop_user_add_to_cart},
	{"GET", "/profiles", shop_profile_list},
	{"POST", "/profiles", shop_profile_create},
	{"GET", "/profiles/#", shop_profile_read},
	{"PATCH", "/profiles/#", shop_profile_update},
	{"DELETE", "/profiles/#", shop_profile_delete},
	{"GET", "/posts", shop_post_list},
	{"POST", "/posts", shop_post_create},
	{"GET", "/posts/#", shop_post_read},
	{"PATCH", "/posts/#", shop_post_update},
	{"DELETE", "/posts/#", shop_post_delete},
	{"GET", "/products", shop_product_list},
	{"POST", "/products", shop_product_create},
	{"GET", "/products/#", shop_product_read},
	{"PATCH", "/products/#", shop_product_update},
	{"DELETE", "/products/#", shop_product_delete},
	{"GET", "/carts", shop_cart_list},
	{"POST", "/carts", shop_cart_create},
	{"GET", "/carts/#", shop_cart_read},
	{"PATCH", "/carts/#", shop_cart_update},
	{"DELETE", "/carts/#", shop_cart_delete},
	{"POST", "/carts/#/products", shop_cart_add},
	{"DELETE", "/carts/#/products/#", shop_cart_remove},
};

/* Whether path matches pattern; the keys it holds go to ids. */
static int match(const char *pattern, const char *path, int64_t ids[2])
{
	int keys = 0;
	while (*pattern && *path) {
		if (*pattern == '#') {
			/* 1 to 18 digits, not starting with 0: fits int64_t. */
			int64_t value = 0;
			int digits = 0;
			if (*path == '0')
				return 0;
			for (; *path >= '0' && *path <= '9'; path++, digits++)
				if (digits < 18) /* beyond, refused below: no overflow */
					value = value * 10 + (*path - '0');
			if (digits == 0 || digits > 18 || keys == 2)
				return 0;
			ids[keys++] = value;
			pattern++;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return !*pattern && !*path;
}

int shop_route(shop_call *call, const char *method, const char *path)
{
	int path_known = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		int64_t ids[2] = {0, 0};
		if (!match(routes[i].pattern, path, ids))
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, method) != 0)
			continue;
		call->handler = routes[i].handler;
		call->ids[0] = ids[0];
		call->ids[1] = ids[1];
		return 0;
	}
	if (path_known)
		return shop_fail(call, 405, "%s is not a method of this path", method);
	return shop_fail(call, 404, "no such path");
}
