/*
 * people.c - the handlers of users, profiles and posts: create, read, list
 * with filters, update, delete.
 *
 * Each handler is plain blocking retort code on a session of its own (one
 * request, one session, one transaction). The service runs it on a thread
 * of the pool (--threads) or on a fiber of rt_async, where every wait for
 * the database yields to the loop; the handler cannot tell which.
 */
#include <string.h>

#include "service.h"

/* --- JSON of the models -------------------------------------------------------- */

static json_t *profile_json(const Profile *profile)
{
	if (!profile)
		return json_null();
	return json_pack("{s:I, s:I, s:o, s:o}", "id", (json_int_t)profile->id, "user_id",
			 (json_int_t)profile->user_id, "first_name",
			 shop_json_text(profile->first_name), "last_name",
			 shop_json_text(profile->last_name));
}

json_t *shop_user_json(const User *user)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)user->id, "username",
			 user->username, "email", shop_json_text(user->email), "created_at",
			 shop_json_timestamp(user->created_at), "profile",
			 profile_json(user->profile));
}

static json_t *post_json(const Post *post)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o}", "id", (json_int_t)post->id, "user_id",
			 (json_int_t)post->user_id, "title", post->title, "body",
			 post->body ? post->body : "", "created_at",
			 shop_json_timestamp(post->created_at));
}

static json_t *user_item(const void *p) { return shop_user_json(p); }
static json_t *profile_item(const void *p) { return profile_json(p); }
static json_t *post_item(const void *p) { return post_json(p); }

/* --- users ------------------------------------------------------------------------- */

int shop_user_list(shop_call *call)
{
	static const char *const params[] = {"username", NULL};
	const char *username;
	rt_session *s;
	rt_query *q;
	int rc;
	if ((rc = shop_params_allowed(call, params)) ||
	    (rc = shop_param_text(call, "username", 50, &username)) || (rc = shop_session_open(call, &s)))
		return rc;
	if (User_query(&q, s) < 0) {
		rc = shop_db_error(call, "list users");
	} else {
		if (username)
			rt_query_filter(q, rt_eq(q, User_c.username, username));
		rt_query_eager(q, &User_model, "profile");
		rc = shop_list_window(call, q, User_c.id.ref);
		if (rc)
			rt_query_free(q);
		else
			rc = shop_list_answer(call, q, user_item);
	}
	rt_session_close(s);
	return rc;
}

int shop_user_create(shop_call *call)
{
	static const char *const fields[] = {"username", "email", "first_name", "last_name", NULL};
	const char *username, *email, *first, *last;
	int has_first, has_last, rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_text(call, "username", 50, SHOP_REQUIRED, &username, NULL)) ||
	    (rc = shop_body_text(call, "email", 255, SHOP_NULLABLE, &email, NULL)) ||
	    (rc = shop_body_text(call, "first_name", 50, SHOP_NULLABLE, &first, &has_first)) ||
	    (rc = shop_body_text(call, "last_name", 50, SHOP_NULLABLE, &last, &has_last)))
		return rc;
	rt_session *s;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	User *user;
	Profile *profile;
	/* A profile comes with the user when either name is given. */
	if (User_new(&user, s) < 0 || User_set_username(user, username) < 0 ||
	    User_set_email(user, email) < 0 ||
	    ((has_first || has_last) &&
	     (Profile_new(&profile, s) < 0 || Profile_set_first_name(profile, first) < 0 ||
	      Profile_set_last_name(profile, last) < 0 || Profile_set_user(profile, user) < 0)) ||
	    rt_session_commit(s) < 0)
		rc = shop_db_error(call, "create user");
	else
		rc = shop_answer(call, 201, shop_user_json(user));
	rt_session_close(s);
	return rc;
}

int shop_user_read(shop_call *call)
{
	rt_session *s;
	User *user;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (User_get(&user, s, call->ids[0]) < 0 || User_load_profile(user) < 0)
		rc = shop_db_error(call, "read user");
	else
		rc = shop_answer(call, 200, shop_user_json(user));
	rt_session_close(s);
	return rc;
}

int shop_user_update(shop_call *call)
{
	static const char *const fields[] = {"username", "email", NULL};
	const char *username, *email;
	int has_username, has_email, rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_text(call, "username", 50, 0, &username, &has_username)) ||
	    (rc = shop_body_text(call, "email", 255, SHOP_NULLABLE, &email, &has_email)))
		return rc;
	if (has_username && !*username)
		return shop_fail(call, 422, "'username' must not be empty");
	rt_session *s;
	User *user;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (User_get(&user, s, call->ids[0]) < 0 ||
	    (has_username && User_set_username(user, username) < 0) ||
	    (has_email && User_set_email(user, email) < 0) || rt_session_commit(s) < 0 ||
	    User_load_profile(user) < 0)
		rc = shop_db_error(call, "update user");
	else
		rc = shop_answer(call, 200, shop_user_json(user));
	rt_session_close(s);
	return rc;
}

int shop_user_delete(shop_call *call)
{
	rt_session *s;
	User *user;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	/* The models cascade: the profile, posts and carts go too. */
	if (User_get(&user, s, call->ids[0]) < 0 || User_delete(user) < 0 ||
	    rt_session_commit(s) < 0)
		rc = shop_db_error(call, "delete user");
	else
		rc = shop_answer(call, 204, NULL);
	rt_session_close(s);
	return rc;
}

/* --- profiles ------------------------------------------------------------------------ */

int shop_profile_list(shop_call *call)
{
	static const char *const params[] = {"user_id", NULL};
	int64_t user_id;
	int has_user, rc;
	rt_session *s;
	rt_query *q;
	if ((rc = shop_params_allowed(call, params)) ||
	    (rc = shop_param_key(call, "user_id", &user_id, &has_user)) ||
	    (rc = shop_session_open(call, &s)))
		return rc;
	if (Profile_query(&q, s) < 0) {
		rc = shop_db_error(call, "list profiles");
	} else {
		if (has_user)
			rt_query_filter(q, rt_eq(q, Profile_c.user_id, user_id));
		rc = shop_list_window(call, q, Profile_c.id.ref);
		if (rc)
			rt_query_free(q);
		else
			rc = shop_list_answer(call, q, profile_item);
	}
	rt_session_close(s);
	return rc;
}

int shop_profile_create(shop_call *call)
{
	static const char *const fields[] = {"user_id", "first_name", "last_name", NULL};
	const char *first, *last;
	int64_t user_id;
	int rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_key(call, "user_id", SHOP_REQUIRED, &user_id, NULL)) ||
	    (rc = shop_body_text(call, "first_name", 50, SHOP_NULLABLE, &first, NULL)) ||
	    (rc = shop_body_text(call, "last_name", 50, SHOP_NULLABLE, &last, NULL)))
		return rc;
	rt_session *s;
	Profile *profile;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	/* The key is set, not the user loaded: a user that does not exist,
	 * or has a profile already, is the database's foreign key or unique
	 * constraint to refuse (409). */
	if (Profile_new(&profile, s) < 0 || Profile_set_first_name(profile, first) < 0 ||
	    Profile_set_last_name(profile, last) < 0)
		rc = shop_db_error(call, "create profile");
	else {
		profile->user_id = user_id;
		if (rt_session_commit(s) < 0)
			rc = shop_db_error(call, "create profile");
		else
			rc = shop_answer(call, 201, profile_json(profile));
	}
	rt_session_close(s);
	return rc;
}

int shop_profile_read(shop_call *call)
{
	rt_session *s;
	Profile *profile;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Profile_get(&profile, s, call->ids[0]) < 0)
		rc = shop_db_error(call, "read profile");
	else
		rc = shop_answer(call, 200, profile_json(profile));
	rt_session_close(s);
	return rc;
}

int shop_profile_update(shop_call *call)
{
	static const char *const fields[] = {"first_name", "last_name", NULL};
	const char *first, *last;
	int has_first, has_last, rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_text(call, "first_name", 50, SHOP_NULLABLE, &first, &has_first)) ||
	    (rc = shop_body_text(call, "last_name", 50, SHOP_NULLABLE, &last, &has_last)))
		return rc;
	rt_session *s;
	Profile *profile;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (Profile_get(&profile, s, call->ids[0]) < 0 ||
	    (has_first && Profile_set_first_name(profile, first) < 0) ||
	    (has_last && Profile_set_last_name(profile, last) < 0) || rt_session_commit(s) < 0)
		rc = shop_db_error(call, "update profile");
	else
		rc = shop_answer(call, 200, profile_json(profile));
	rt_session_close(s);
	return rc;
}

int shop_profile_delete(shop_call *call)
{
	rt_session *s;
	Profile *profile;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Profile_get(&profile, s, call->ids[0]) < 0 || Profile_delete(profile) < 0 ||
	    rt_session_commit(s) < 0)
		rc = shop_db_error(call, "delete profile");
	else
		rc = shop_answer(call, 204, NULL);
	rt_session_close(s);
	return rc;
}

/* --- posts ----------------------------------------------------------------------------- */

int shop_post_list(shop_call *call)
{
	static const char *const params[] = {"user_id", "title", NULL};
	const char *title;
	int64_t user_id;
	int has_user, rc;
	rt_session *s;
	rt_query *q;
	if ((rc = shop_params_allowed(call, params)) ||
	    (rc = shop_param_key(call, "user_id", &user_id, &has_user)) ||
	    (rc = shop_param_text(call, "title", 50, &title)) || (rc = shop_session_open(call, &s)))
		return rc;
	if (Post_query(&q, s) < 0) {
		rc = shop_db_error(call, "list posts");
	} else {
		if (has_user)
			rt_query_filter(q, rt_eq(q, Post_c.user_id, user_id));
		if (title)
			rt_query_filter(q, rt_eq(q, Post_c.title, title));
		rc = shop_list_window(call, q, Post_c.id.ref);
		if (rc)
			rt_query_free(q);
		else
			rc = shop_list_answer(call, q, post_item);
	}
	rt_session_close(s);
	return rc;
}

int shop_post_create(shop_call *call)
{
	static const char *const fields[] = {"user_id", "title", "body", NULL};
	const char *title, *body;
	int64_t user_id;
	int rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_key(call, "user_id", SHOP_REQUIRED, &user_id, NULL)) ||
	    (rc = shop_body_text(call, "title", 50, SHOP_REQUIRED, &title, NULL)) ||
	    (rc = shop_body_text(call, "body", 0, 0, &body, NULL)))
		return rc;
	rt_session *s;
	Post *post;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	/* An unknown user_id is the foreign key's to refuse (409). */
	if (Post_new(&post, s) < 0 || Post_set_title(post, title) < 0 ||
	    (body && Post_set_body(post, body) < 0))
		rc = shop_db_error(call, "create post");
	else {
		post->user_id = user_id;
		if (rt_session_commit(s) < 0)
			rc = shop_db_error(call, "create post");
		else
			rc = shop_answer(call, 201, post_json(post));
	}
	rt_session_close(s);
	return rc;
}

int shop_post_read(shop_call *call)
{
	rt_session *s;
	Post *post;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Post_get(&post, s, call->ids[0]) < 0)
		rc = shop_db_error(call, "read post");
	else
		rc = shop_answer(call, 200, post_json(post));
	rt_session_close(s);
	return rc;
}

int shop_post_update(shop_call *call)
{
	static const char *const fields[] = {"title", "body", NULL};
	const char *title, *body;
	int has_title, has_body, rc;
	if ((rc = shop_body_fields(call, fields)) ||
	    (rc = shop_body_text(call, "title", 50, 0, &title, &has_title)) ||
	    (rc = shop_body_text(call, "body", 0, 0, &body, &has_body)))
		return rc;
	if (has_title && !*title)
		return shop_fail(call, 422, "'title' must not be empty");
	rt_session *s;
	Post *post;
	if ((rc = shop_session_open(call, &s)))
		return rc;
	if (Post_get(&post, s, call->ids[0]) < 0 ||
	    (has_title && Post_set_title(post, title) < 0) ||
	    (has_body && Post_set_body(post, body) < 0) || rt_session_commit(s) < 0)
		rc = shop_db_error(call, "update post");
	else
		rc = shop_answer(call, 200, post_json(post));
	rt_session_close(s);
	return rc;
}

int shop_post_delete(shop_call *call)
{
	rt_session *s;
	Post *post;
	int rc = shop_session_open(call, &s);
	if (rc)
		return rc;
	if (Post_get(&post, s, call->ids[0]) < 0 || Post_delete(post) < 0 ||
	    rt_session_commit(s) < 0)
		rc = shop_db_error(call, "delete post");
	else
		rc = shop_answer(call, 204, NULL);
	rt_session_close(s);
	return rc;
}
