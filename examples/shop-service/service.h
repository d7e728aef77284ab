/*
 * service.h - what the parts of the shop service share: one HTTP request
 * as the handlers see it (a call), the route table's entry point, and the
 * HTTP side's start and stop.
 *
 * A call is made by the HTTP side (http.c) from a complete request: the
 * handler its method and path route to (routes.c), the keys in the path,
 * copies of the query parameters, and the body parsed as JSON. A handler (people.c, store.c) runs on
 * it with retort's blocking API - directly on a thread of the pool in
 * --threads mode, on a fiber of rt_async in the default mode, where each
 * wait for the database yields to the loop - and leaves the status and the
 * JSON answer in it. The same handlers serve both modes.
 */
#ifndef SHOP_SERVICE_H
#define SHOP_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <retort.h>

#include "shop_models.h"

#define SHOP_MAX_PARAMS 16

typedef struct shop_param {
	char *name;
	char *value;
} shop_param;

typedef struct shop_call {
	rt_engine *engine;
	/* --- the request ------------------------------------------------------ */
	int64_t ids[2];                  /* the numeric segments of the path */
	shop_param params[SHOP_MAX_PARAMS];
	size_t param_count;
	json_t *body;                    /* the parsed body, or NULL */
	int (*handler)(struct shop_call *call);
	/* --- the answer --------------------------------------------------------- */
	int status;                      /* HTTP status */
	json_t *answer;                  /* the JSON to send, or NULL (no body) */
} shop_call;

/* Finds the handler of method and path ("/users/3"). Returns 0 with
 * call->handler and call->ids set; else the HTTP status to answer with
 * (404 no such path, 405 a method the path does not take) and the error
 * in call->answer. */
int shop_route(shop_call *call, const char *method, const char *path);

/* Runs the call's handler: status and answer are set whatever happens. */
void shop_call_run(shop_call *call);

/* Sets an error answer {"error": message} with status. Returns status. */
int shop_fail(shop_call *call, int status, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Frees what the call owns (parameters, body, answer). */
void shop_call_clear(shop_call *call);

/* The value of the query parameter name, or NULL. */
const char *shop_param_get(const shop_call *call, const char *name);

/* --- reading the request (call.c) --------------------------------------------
 * Each returns 0, or the HTTP status it has answered with (the error is in
 * call->answer), so a handler writes `if ((rc = ...)) return rc;`. */

enum { SHOP_REQUIRED = 1, SHOP_NULLABLE = 2 };

/* The body is a JSON object holding no member but those of `allowed`
 * (NULL-terminated). */
int shop_body_fields(shop_call *call, const char *const *allowed);
/* Member name of the body as text of at most max_chars characters. *out is
 * NULL when the member is absent (or null, with SHOP_NULLABLE); *present
 * says whether it was there at all. */
int shop_body_text(shop_call *call, const char *name, size_t max_chars, int flags,
		   const char **out, int *present);
/* Member name of the body as a whole number (a key: 1 or more). */
int shop_body_key(shop_call *call, const char *name, int flags, int64_t *out, int *present);
/* Member name of the body as a price: a number or a string of digits with
 * at most two decimals, not negative; *out points into buf. */
int shop_body_price(shop_call *call, const char *name, int flags, char *buf, size_t size,
		    const char **out, int *present);
/* The query holds no parameter but limit, offset and those of `allowed`
 * (NULL-terminated). */
int shop_params_allowed(shop_call *call, const char *const *allowed);
/* Query parameter name as a key (1 or more); *present says if it was given. */
int shop_param_key(shop_call *call, const char *name, int64_t *out, int *present);
/* The window of a list: ?limit= (1..1000, default 100) and ?offset=. */
int shop_param_window(shop_call *call, int64_t *limit, int64_t *offset);
/* A text parameter: at most max_chars characters. */
int shop_param_text(shop_call *call, const char *name, size_t max_chars, const char **out);

/* Opens the call's session, or answers 503. */
int shop_session_open(shop_call *call, rt_session **s);
/* Orders q by key and applies ?limit= and ?offset=. */
int shop_list_window(shop_call *call, rt_query *q, rt_column_ref key);
/* Runs q and frees it: a 200 answer with the array of its objects, each
 * made JSON by to_json. */
int shop_list_answer(shop_call *call, rt_query *q, json_t *(*to_json)(const void *));

/* --- answering ----------------------------------------------------------------- */

/* Answers for a failed retort call, from rt_error_last(): 404 not found,
 * 409 a unique or foreign-key violation, 422 a check or not-null one, 503
 * the database busy or unreachable, 500 anything else. */
int shop_db_error(shop_call *call, const char *doing);
/* Answers status with the JSON value (taken over). */
int shop_answer(shop_call *call, int status, json_t *value);
/* Text, or JSON null for NULL. */
json_t *shop_json_text(const char *text);
/* A timestamp as text ("2026-12-06 21:10:54.123456", microseconds when
 * non-zero). */
json_t *shop_json_timestamp(rt_timestamp value);

/* --- the handlers (people.c: users, profiles, posts; store.c: products,
 * carts, adding to a cart) ----------------------------------------------------
 * ids[0] is the resource's key in /things/{id}, ids[1] the second one in
 * /carts/{id}/products/{product_id}. */
typedef int shop_handler(shop_call *call);
shop_handler shop_user_list, shop_user_create, shop_user_read, shop_user_update,
	shop_user_delete, shop_user_add_to_cart;
shop_handler shop_profile_list, shop_profile_create, shop_profile_read, shop_profile_update,
	shop_profile_delete;
shop_handler shop_post_list, shop_post_create, shop_post_read, shop_post_update,
	shop_post_delete;
shop_handler shop_product_list, shop_product_create, shop_product_read, shop_product_update,
	shop_product_delete;
shop_handler shop_cart_list, shop_cart_create, shop_cart_read, shop_cart_update,
	shop_cart_delete, shop_cart_add, shop_cart_remove;

/* JSON of the models, shared by the handlers: a user with its profile
 * when loaded, a cart with its products when loaded. */
json_t *shop_user_json(const User *user);
json_t *shop_product_json(const Product *product);

#endif
