/*
 * hooks.c - lifecycle hooks and validators (retort/orm.h, SQLAlchemy's
 * mapper events and @validates): their registration on an engine or a
 * session, and running them for one object.
 *
 * A validator is a model's (runs before every INSERT and UPDATE of its
 * objects) or a column's (@validates("email"): before an INSERT, and
 * before an UPDATE that changes that column); both are RT_HOOK_VALIDATE
 * hooks, the column's with its index.
 *
 * A set-based write's hooks (rt_bulk_event: SQLAlchemy's after_bulk_update
 * and after_bulk_delete) are in the same lists, as events BULK_EVENT + the
 * rt_bulk_event, with a function of their own type: they get the model
 * and the count of rows, not an object.
 *
 * Hooks live in a list per engine and per session, in the arena of
 * their owner (they go when it goes), with a bit per event that has any:
 * a session with no hook for an event pays one test of a mask, which
 * matters for RT_HOOK_AFTER_LOAD (asked for each row loaded).
 */
#include "orm/flush.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "engine/engine.h"

/* The events of rt_bulk_event, after those of rt_hook_event. */
#define BULK_EVENT 16

typedef struct rt_hook {
	const rt_model_desc *model; /* NULL: every model */
	int event;                  /* an rt_hook_event, or BULK_EVENT + an rt_bulk_event */
	int column;                 /* a column's validator: its index; else -1 */
	rt_hook_fn fn;              /* or, from generated code: */
	rt_hook_call call;          /* calls typed as its own type */
	rt_hook_any typed;
	rt_bulk_hook_fn bulk;       /* or a set-based write's hook */
	void *user;
	struct rt_hook *next;
} rt_hook;

/* What the program registers: fn, or typed with its caller, or bulk. */
typedef struct hook_fn {
	rt_hook_fn fn;
	rt_hook_call call;
	rt_hook_any typed;
	rt_bulk_hook_fn bulk;
} hook_fn;

struct rt_hook_list {
	rt_hook *first, *last;
	unsigned events; /* bit (1 << event) for each event with a hook */
};

static const char *event_name(int event)
{
	switch (event) {
	case BULK_EVENT + RT_BULK_BEFORE_UPDATE: return "before-bulk-update hook";
	case BULK_EVENT + RT_BULK_AFTER_UPDATE: return "after-bulk-update hook";
	case BULK_EVENT + RT_BULK_BEFORE_DELETE: return "before-bulk-delete hook";
	case BULK_EVENT + RT_BULK_AFTER_DELETE: return "after-bulk-delete hook";
	case RT_HOOK_BEFORE_INSERT: return "before-insert hook";
	case RT_HOOK_AFTER_INSERT: return "after-insert hook";
	case RT_HOOK_BEFORE_UPDATE: return "before-update hook";
	case RT_HOOK_AFTER_UPDATE: return "after-update hook";
	case RT_HOOK_BEFORE_DELETE: return "before-delete hook";
	case RT_HOOK_AFTER_DELETE: return "after-delete hook";
	case RT_HOOK_AFTER_LOAD: return "after-load hook";
	case RT_HOOK_VALIDATE: return "validator";
	}
	return NULL;
}

static int hook_add(rt_hook_list **list, rt_arena *arena, const rt_model_desc *model,
		    int event, int column, hook_fn fn, void *user, const char *caller)
{
	bool bulk = event >= BULK_EVENT;
	if (!event_name(event))
		return rt__error_set(RT_EINVAL, "%s: %d is not an %s", caller,
				     bulk ? event - BULK_EVENT : event,
				     bulk ? "rt_bulk_event" : "rt_hook_event");
	if (bulk ? !fn.bulk : fn.call ? !fn.typed : !fn.fn)
		return rt__error_set(RT_EINVAL, "%s: the hook function is NULL", caller);
	if (model && model->version != RT_MODEL_DESC_VERSION)
		return rt__error_set(RT_EINVAL, "%s: the model description is not one of this "
					      "library's (version %d, expected %d)",
				     caller, model->version, RT_MODEL_DESC_VERSION);
	if (!*list) {
		if (!(*list = rt__arena_alloc(arena, sizeof(**list))))
			return rt__error_nomem();
		memset(*list, 0, sizeof(**list));
	}
	rt_hook *hook = rt__arena_alloc(arena, sizeof(*hook));
	if (!hook)
		return rt__error_nomem();
	*hook = (rt_hook){model, event, column, fn.fn, fn.call, fn.typed, fn.bulk, user, NULL};
	if ((*list)->last)
		(*list)->last->next = hook;
	else
		(*list)->first = hook;
	(*list)->last = hook;
	(*list)->events |= 1u << event;
	return RT_OK;
}

static int session_add(rt_session *session, const rt_model_desc *model, rt_hook_event event,
		       hook_fn fn, void *user, const char *caller)
{
	int rc = rt__session_check(session);
	if (rc < 0)
		return rc;
	/* A number past rt_hook_event's is none of them (nor a bulk event). */
	if ((int)event >= BULK_EVENT)
		return rt__error_set(RT_EINVAL, "%s: %d is not an rt_hook_event", caller, (int)event);
	return hook_add(&session->hooks, session->arena, model, event, -1, fn, user, caller);
}

static int engine_add(rt_engine *engine, const rt_model_desc *model, rt_hook_event event,
		      hook_fn fn, void *user, const char *caller)
{
	if (!engine)
		return rt__error_set(RT_EINVAL, "%s: engine is NULL", caller);
	if ((int)event >= BULK_EVENT)
		return rt__error_set(RT_EINVAL, "%s: %d is not an rt_hook_event", caller, (int)event);
	return hook_add(&engine->hooks, engine->arena, model, event, -1, fn, user, caller);
}

int rt_session_hook_add(rt_session *session, const rt_model_desc *model, rt_hook_event event,
			rt_hook_fn fn, void *user)
{
	return session_add(session, model, event, (hook_fn){fn, NULL, NULL, NULL}, user,
			   "rt_session_hook_add");
}

int rt_engine_hook_add(rt_engine *engine, const rt_model_desc *model, rt_hook_event event,
		       rt_hook_fn fn, void *user)
{
	return engine_add(engine, model, event, (hook_fn){fn, NULL, NULL, NULL}, user,
			  "rt_engine_hook_add");
}

int rt_session_hook_add_as(rt_session *session, const rt_model_desc *model, rt_hook_event event,
			   rt_hook_call call, rt_hook_any fn, void *user)
{
	return session_add(session, model, event, (hook_fn){NULL, call, fn, NULL}, user,
			   "rt_session_hook_add_as");
}

int rt_engine_hook_add_as(rt_engine *engine, const rt_model_desc *model, rt_hook_event event,
			  rt_hook_call call, rt_hook_any fn, void *user)
{
	return engine_add(engine, model, event, (hook_fn){NULL, call, fn, NULL}, user,
			  "rt_engine_hook_add_as");
}

/* --- a column's validators ------------------------------------------------ */

/* The index of model's column named column (its SQL name or its field). */
static int validated_column(const rt_model_desc *model, const char *column, const char *caller)
{
	if (!model)
		return rt__error_set(RT_EINVAL, "%s: model is NULL", caller);
	if (model->version != RT_MODEL_DESC_VERSION)
		return rt__error_set(RT_EINVAL, "%s: the model description is not one of this "
					      "library's (version %d, expected %d)",
				     caller, model->version, RT_MODEL_DESC_VERSION);
	for (int c = 0; column && c < model->column_count; c++)
		if (!strcmp(model->columns[c].name, column) ||
		    !strcmp(model->columns[c].field, column))
			return c;
	return rt__error_set(RT_EINVAL, "%s: %s has no column '%s'", caller, model->name,
			     column ? column : "(null)");
}

static int validator_add(rt_session *session, rt_engine *engine, const rt_model_desc *model,
			 const char *column, hook_fn fn, void *user, const char *caller)
{
	int rc = session ? rt__session_check(session)
		 : engine ? RT_OK
			  : rt__error_set(RT_EINVAL, "%s: engine is NULL", caller);
	int c = rc < 0 ? rc : validated_column(model, column, caller);
	if (c < 0)
		return c;
	return session ? hook_add(&session->hooks, session->arena, model, RT_HOOK_VALIDATE, c,
				  fn, user, caller)
		       : hook_add(&engine->hooks, engine->arena, model, RT_HOOK_VALIDATE, c, fn,
				  user, caller);
}

int rt_session_validator_add(rt_session *session, const rt_model_desc *model,
			     const char *column, rt_hook_fn fn, void *user)
{
	return validator_add(session, NULL, model, column, (hook_fn){fn, NULL, NULL, NULL}, user,
			     "rt_session_validator_add");
}

int rt_engine_validator_add(rt_engine *engine, const rt_model_desc *model, const char *column,
			    rt_hook_fn fn, void *user)
{
	return validator_add(NULL, engine, model, column, (hook_fn){fn, NULL, NULL, NULL}, user,
			     "rt_engine_validator_add");
}

int rt_session_validator_add_as(rt_session *session, const rt_model_desc *model,
				const char *column, rt_hook_call call, rt_hook_any fn, void *user)
{
	return validator_add(session, NULL, model, column, (hook_fn){NULL, call, fn, NULL}, user,
			     "rt_session_validator_add_as");
}

int rt_engine_validator_add_as(rt_engine *engine, const rt_model_desc *model,
			       const char *column, rt_hook_call call, rt_hook_any fn, void *user)
{
	return validator_add(NULL, engine, model, column, (hook_fn){NULL, call, fn, NULL}, user,
			     "rt_engine_validator_add_as");
}

/* The last error as a failing hook's: its message (or a default) with
 * the hook's code. */
static void hook_message(int rc)
{
	const rt_error *e = rt_error_last();
	if (e->code == RT_OK || !e->message[0]) {
		rt__error_set(rc, "returned %s", rt_error_code_name(rc));
	} else if (e->code != rc) {
		char message[1024];
		snprintf(message, sizeof(message), "%s", e->message);
		rt__error_set(rc, "%s", message);
	}
}

/* --- a set-based write's hooks --------------------------------------------------- */

static int bulk_add(rt_session *session, rt_engine *engine, const rt_model_desc *model,
		    rt_bulk_event event, rt_bulk_hook_fn fn, void *user, const char *caller)
{
	if (event < RT_BULK_BEFORE_UPDATE || event > RT_BULK_AFTER_DELETE)
		return rt__error_set(RT_EINVAL, "%s: %d is not an rt_bulk_event", caller,
				     (int)event);
	hook_fn f = {NULL, NULL, NULL, fn};
	if (session) {
		int rc = rt__session_check(session);
		return rc < 0 ? rc
			      : hook_add(&session->hooks, session->arena, model,
					 BULK_EVENT + (int)event, -1, f, user, caller);
	}
	if (!engine)
		return rt__error_set(RT_EINVAL, "%s: engine is NULL", caller);
	return hook_add(&engine->hooks, engine->arena, model, BULK_EVENT + (int)event, -1, f,
			user, caller);
}

int rt_session_bulk_hook_add(rt_session *session, const rt_model_desc *model,
			     rt_bulk_event event, rt_bulk_hook_fn fn, void *user)
{
	return bulk_add(session, NULL, model, event, fn, user, "rt_session_bulk_hook_add");
}

int rt_engine_bulk_hook_add(rt_engine *engine, const rt_model_desc *model, rt_bulk_event event,
			    rt_bulk_hook_fn fn, void *user)
{
	return bulk_add(NULL, engine, model, event, fn, user, "rt_engine_bulk_hook_add");
}

static int bulk_list(const rt_hook_list *list, rt_session *session, int event,
		     const rt_model_desc *model, int64_t count)
{
	if (!list || !(list->events & (1u << event)))
		return RT_OK;
	for (const rt_hook *h = list->first; h; h = h->next) {
		if (h->event != event || (h->model && h->model != model))
			continue;
		rt_error_clear();
		int rc = h->bulk(session, model, count, h->user);
		if (rc >= 0)
			continue;
		hook_message(rc);
		return rt__error_wrap("%s of %s", event_name(event), model->name);
	}
	return RT_OK;
}

int rt__bulk_hooks_run(rt_session *session, rt_bulk_event event, const rt_model_desc *model,
		       int64_t count)
{
	int rc = bulk_list(session->engine->hooks, session, BULK_EVENT + (int)event, model,
			   count);
	if (rc == RT_OK)
		rc = bulk_list(session->hooks, session, BULK_EVENT + (int)event, model, count);
	return rc;
}

/* --- running them ------------------------------------------------------------ */

bool rt__hooks_any(const rt_session *session, rt_hook_event event)
{
	unsigned bit = 1u << event;
	return (session->hooks && (session->hooks->events & bit)) ||
	       (session->engine->hooks && (session->engine->hooks->events & bit));
}

/* The message of a hook that failed: its own (or a default), with the
 * hook's code, prefixed by the event, the model (model.column for a
 * column's validator) and the object's key. */
static int hook_failed(int event, rt_object *object, int column, int rc)
{
	hook_message(rc);
	rt_buf key = RT_BUF_INIT;
	if (object->state == RT_STATE_PENDING && !object->persisted)
		rt__buf_puts(&key, "(new)");
	else
		rt__describe_key(&key, object->model, RT_OBJECT_BODY(object));
	rt__error_wrap("%s of %s%s%s %s", event_name(event), object->model->name,
		       column >= 0 ? "." : "", column >= 0 ? object->model->columns[column].field : "",
		       rt__buf_failed(&key) ? "" : rt__buf_cstr(&key));
	rt__buf_free(&key);
	return rc;
}

/* changed: for RT_HOOK_VALIDATE before an UPDATE, the columns it writes
 * (a column's validator runs when its column is one); NULL: every hook. */
static int run_list(const rt_hook_list *list, rt_session *session, rt_hook_event event,
		    rt_object *object, const rt_colset *changed)
{
	if (!list || !(list->events & (1u << event)))
		return RT_OK;
	for (const rt_hook *h = list->first; h; h = h->next) {
		if (h->event != (int)event || (h->model && h->model != object->model))
			continue;
		if (h->column >= 0 && changed && !rt__colset_has(changed, h->column))
			continue;
		rt_error_clear();
		int rc = h->call ? h->call(h->typed, session, RT_OBJECT_BODY(object), h->user)
				 : h->fn(session, RT_OBJECT_BODY(object), h->user);
		if (rc < 0)
			return hook_failed(event, object, h->column, rc);
	}
	return RT_OK;
}

static int run_lists(rt_session *session, rt_hook_event event, rt_object *object,
		     const rt_colset *changed)
{
	int rc = run_list(session->engine->hooks, session, event, object, changed);
	if (rc == RT_OK)
		rc = run_list(session->hooks, session, event, object, changed);
	return rc;
}

int rt__hooks_run(rt_session *session, rt_hook_event event, rt_object *object)
{
	return run_lists(session, event, object, NULL);
}

int rt__validators_run(rt_session *session, rt_object *object, const rt_colset *changed)
{
	return run_lists(session, RT_HOOK_VALIDATE, object, changed);
}
