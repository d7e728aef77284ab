/*
 * object.c - what can be done to one mapped object in memory: its header
 * checked, which relationships are loaded, making new ones, linking and
 * unlinking relationships (both sides), expire and expunge (memory:
 * object_memory.c; setters: object_set.c).
 *
 * Every slab (and every open session struct) is entered in the registry
 * of live memory (object_registry.c), so a pointer handed to the API is
 * looked up there BEFORE its header is read: a stack struct, a pointer
 * into the middle of an object, or an object whose session was closed is
 * rejected with RT_EINVAL instead of reading memory it does not own.
 */
#include "orm/orm.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/flush.h"

/* ------------------------------------------------------------------------ */
/* Headers                                                                   */
/* ------------------------------------------------------------------------ */

rt_object *rt__object_header(const void *body)
{
	if (!body) {
		rt__error_set(RT_EINVAL, "NULL object");
		return NULL;
	}
	size_t head = rt__object_header_size();
	uintptr_t address = (uintptr_t)body;
	rt_session *session =
		address > head ? rt__registry_owner((const void *)(address - head), head) : NULL;
	rt_object *object = session ? (rt_object *)(address - head) : NULL;
	if (!object || object->magic != RT_OBJECT_MAGIC || object->session != session) {
		rt__error_set(RT_EINVAL, "not an object made by a retort session (a pointer not "
					 "from rt_object_new or a query, or its session was closed)");
		return NULL;
	}
	if (session->closed || session->magic != RT_SESSION_MAGIC) {
		rt__error_set(RT_EINVAL, "the object's session is closed");
		return NULL;
	}
	/* Asked only with an operation in flight: this runs for every
	 * setter and link call. */
	if (session->async_op && rt__session_busy(session))
		return NULL;
	return object;
}

rt_session *rt_object_session(const void *object)
{
	rt_object *header = rt__object_header(object);
	return header ? header->session : NULL;
}

/* --- which relationships are loaded ---------------------------------------- */

#define LOADED_INLINE 16

bool rt__rel_loaded(const rt_object *object, int index)
{
	if (index < 0 || index >= 64)
		return false;
	if (index < LOADED_INLINE)
		return object->loaded >> index & 1;
	return rt__more(object)->loaded >> index & 1;
}

int rt__rel_mark_loaded(rt_object *object, int index)
{
	if (index < 0 || index >= 64)
		return RT_OK;
	if (index < LOADED_INLINE) {
		object->loaded |= (uint16_t)(1u << index);
		return RT_OK;
	}
	rt_object_more *more = rt__more_make(object);
	if (!more)
		return RT_ENOMEM;
	more->loaded |= (uint64_t)1 << index;
	return RT_OK;
}

void rt__rel_unmark_loaded(rt_object *object, int index)
{
	if (index < 0 || index >= 64)
		return;
	if (index < LOADED_INLINE)
		object->loaded &= (uint16_t)~(1u << index);
	else if (object->more)
		object->more->loaded &= ~((uint64_t)1 << index);
}

uint64_t rt__rel_loaded_mask(const rt_object *object)
{
	return (rt__more(object)->loaded & ~(uint64_t)0xffff) | object->loaded;
}

void rt__rel_loaded_restore(rt_object *object, uint64_t mask)
{
	object->loaded = (uint16_t)(mask & 0xffff);
	if (object->more)
		object->more->loaded = mask & ~(uint64_t)0xffff;
}

void rt__object_take_snapshot(rt_object *object)
{
	memcpy(rt__object_snapshot(object), RT_OBJECT_BODY(object),
	       rt__snapshot_size(object->session, object->model));
}

int rt__object_track_persistent(rt_session *session, rt_object *object)
{
	rt__object_take_snapshot(object);
	object->state = RT_STATE_PERSISTENT;
	object->persisted = true;
	/* Tracked first: the identity map names objects by their place in
	 * the session's list. */
	int rc = rt__session_track(session, object);
	return rc < 0 ? rc : rt__identity_put(session->identity, object);
}

/* ------------------------------------------------------------------------ */
/* Relationships and collections                                             */
/* ------------------------------------------------------------------------ */

const rt_relationship_desc *rt__relationship_find(const rt_model_desc *model, const char *name,
						  int *index)
{
	if (!name) {
		rt__error_set(RT_EINVAL, "NULL relationship name");
		return NULL;
	}
	/* The generated functions pass the literal their model description
	 * names it by, which the compiler usually keeps once: the address
	 * says it before any compare. */
	for (int i = 0; i < model->relationship_count; i++) {
		if (model->relationships[i].name == name || !strcmp(model->relationships[i].name, name)) {
			if (index)
				*index = i;
			return &model->relationships[i];
		}
	}
	rt__error_set(RT_EINVAL, "%s has no relationship '%s'", model->name, name);
	return NULL;
}

int rt__list_append(rt_session *session, rt_list *list, void *item)
{
	if (list->count == list->capacity) {
		size_t cap = list->capacity ? list->capacity * 2 : 4;
		void **items = rt__arena_alloc(session->arena, cap * sizeof(*items));
		if (!items)
			return rt__error_nomem();
		if (list->count)
			memcpy(items, list->items, list->count * sizeof(*items));
		list->items = items;
		list->capacity = cap;
	}
	list->items[list->count++] = item;
	return RT_OK;
}

bool rt__list_contains(const rt_list *list, const void *item)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i] == item)
			return true;
	return false;
}

void rt__list_remove(rt_list *list, const void *item)
{
	for (size_t i = 0; i < list->count; i++) {
		if (list->items[i] == item) {
			memmove(&list->items[i], &list->items[i + 1],
				(list->count - i - 1) * sizeof(*list->items));
			list->count--;
			return;
		}
	}
}

static void **pointer_field(void *body, const rt_relationship_desc *rel)
{
	return (void **)(void *)((char *)body + rel->offset);
}

static rt_list *list_field(void *body, const rt_relationship_desc *rel)
{
	return (rt_list *)(void *)((char *)body + rel->offset);
}

static bool is_to_many(const rt_relationship_desc *rel)
{
	return rel->kind == RT_RELATIONSHIP_ONE_TO_MANY || rel->kind == RT_RELATIONSHIP_MANY_TO_MANY;
}

static const rt_relationship_desc *back_of(const rt_relationship_desc *rel)
{
	return rel->back >= 0 ? &rel->target->relationships[rel->back] : NULL;
}

/* Takes `object` out of the back side `back` of `other` (which pointed
 * to it or held it). */
static void back_remove(void *other, const rt_relationship_desc *back, void *object)
{
	if (is_to_many(back)) {
		rt__list_remove(list_field(other, back), object);
	} else {
		void **p = pointer_field(other, back);
		if (*p == object)
			*p = NULL;
	}
}

void rt__object_leave_back_sides(rt_object *object)
{
	const rt_model_desc *model = object->model;
	void *body = RT_OBJECT_BODY(object);
	for (int r = 0; r < model->relationship_count; r++) {
		const rt_relationship_desc *rel = &model->relationships[r];
		const rt_relationship_desc *back = back_of(rel);
		if (!back)
			continue;
		if (is_to_many(rel)) {
			rt_list *list = list_field(body, rel);
			for (size_t i = 0; i < list->count; i++)
				back_remove(list->items[i], back, body);
		} else if (*pointer_field(body, rel)) {
			back_remove(*pointer_field(body, rel), back, body);
		}
	}
}

/* Puts `object` into the back side `back` (index back_index) of target:
 * into a collection only when that collection is loaded (an unloaded one
 * would then look complete), a pointer always. The object previously on a
 * to-one back side loses its link to target. */
static int back_add(rt_session *session, void *target, int back_index, void *object,
		    const rt_relationship_desc *rel)
{
	const rt_relationship_desc *back = &rel->target->relationships[back_index];
	if (is_to_many(back)) {
		rt_list *list = list_field(target, back);
		/* From a to-one side the object was not linked to target (its
		 * pointer held another), so it is not in the list: no scan,
		 * which would make filling a big collection quadratic. */
		if (list->loaded && (!is_to_many(rel) || !rt__list_contains(list, object)))
			return rt__list_append(session, list, object);
		return RT_OK;
	}
	void **p = pointer_field(target, back);
	void *previous = *p;
	if (previous && previous != object) {
		/* previous is of object's model: drop its link to target. */
		if (is_to_many(rel))
			rt__list_remove(list_field(previous, rel), target);
		else if (*pointer_field(previous, rel) == target)
			*pointer_field(previous, rel) = NULL;
	}
	*p = object;
	return rt__rel_mark_loaded((rt_object *)((char *)target - rt__object_header_size()), back_index);
}

static int set_to_one(rt_object *header, int index, void *target)
{
	const rt_relationship_desc *rel = &header->model->relationships[index];
	void *object = RT_OBJECT_BODY(header);
	void **p = pointer_field(object, rel);
	void *old = *p;
	int rc = rt__rel_mark_loaded(header, index);
	if (rc < 0 || old == target)
		return rc;
	*p = target;
	const rt_relationship_desc *back = back_of(rel);
	if (!back)
		return RT_OK;
	if (old)
		back_remove(old, back, object);
	return target ? back_add(header->session, target, rel->back, object, rel) : RT_OK;
}

static int add_to_many(rt_object *header, int index, void *target)
{
	const rt_relationship_desc *rel = &header->model->relationships[index];
	void *object = RT_OBJECT_BODY(header);
	rt_list *list = list_field(object, rel);
	const rt_relationship_desc *back = back_of(rel);
	/* A child whose back pointer holds another parent (or none) is not in
	 * this collection: only the other cases need the scan. */
	bool maybe_in = !back || is_to_many(back) || *pointer_field(target, back) == object;
	if (!maybe_in || !rt__list_contains(list, target)) {
		int rc = rt__list_append(header->session, list, target);
		if (rc < 0)
			return rc;
	}
	if (!back)
		return RT_OK;
	if (!is_to_many(back)) {
		/* A child moves: out of its former parent's collection. */
		void *previous = *pointer_field(target, back);
		if (previous && previous != object)
			rt__list_remove(list_field(previous, rel), target);
	}
	return back_add(header->session, target, rel->back, object, rel);
}

static int remove_from_many(rt_object *header, int index, void *target)
{
	const rt_relationship_desc *rel = &header->model->relationships[index];
	void *object = RT_OBJECT_BODY(header);
	rt__list_remove(list_field(object, rel), target);
	const rt_relationship_desc *back = back_of(rel);
	if (back)
		back_remove(target, back, object);
	/* A new child that never had a row, unlinked under `delete orphan`:
	 * no flush would see it as an orphan (no snapshot ever held it), and
	 * inserting it without its parent is not what the program asked for.
	 * It leaves now, as rt_object_delete makes a new object leave. */
	rt_object *child = rt__object_header(target);
	if ((rel->flags & RT_RELATIONSHIP_DELETE_ORPHAN) && rel->kind == RT_RELATIONSHIP_ONE_TO_MANY &&
	    child && child->state == RT_STATE_PENDING)
		return rt__flush_delete_object(child);
	return RT_OK;
}

/* Checks object/target of a link call; fills header, rel, index. */
static int link_args(void *object, const char *name, void *target, const char *what,
		     rt_object **header, const rt_relationship_desc **rel, int *index)
{
	rt_object *h = rt__object_header(object);
	if (!h)
		return rt__error_wrap("%s", what);
	const rt_relationship_desc *r = rt__relationship_find(h->model, name, index);
	if (!r)
		return rt__error_wrap("%s", what);
	if (target) {
		rt_object *t = rt__object_header(target);
		if (!t)
			return rt__error_wrap("%s: the %s target", what, name);
		if (t->session != h->session)
			return rt__error_set(RT_EINVAL, "%s: %s.%s links objects of two different "
						      "sessions", what, h->model->name, name);
		/* An object of a model below the target is one of its rows. */
		if (!rt__model_is_a(t->model, r->target))
			return rt__error_set(RT_EINVAL, "%s: %s.%s takes a %s, not a %s", what,
					     h->model->name, name, r->target->name, t->model->name);
		if (t->state == RT_STATE_DELETED || t->state == RT_STATE_GONE)
			return rt__error_set(RT_EINVAL, "%s: the %s linked to %s.%s is deleted",
					     what, t->model->name, h->model->name, name);
	}
	if (h->state == RT_STATE_GONE)
		return rt__error_set(RT_EINVAL, "%s: the %s is deleted", what, h->model->name);
	*header = h;
	*rel = r;
	return RT_OK;
}

int rt_object_link(void *object, const char *name, void *target)
{
	rt_object *header;
	const rt_relationship_desc *rel;
	int index;
	int rc = link_args(object, name, target, "rt_object_link", &header, &rel, &index);
	if (rc < 0)
		return rc;
	if (!is_to_many(rel))
		return set_to_one(header, index, target);
	if (!target)
		return rt__error_set(RT_EINVAL, "rt_object_link: NULL item for the collection %s.%s",
				     header->model->name, name);
	return add_to_many(header, index, target);
}

int rt_object_unlink(void *object, const char *name, void *target)
{
	rt_object *header;
	const rt_relationship_desc *rel;
	int index;
	int rc = link_args(object, name, target, "rt_object_unlink", &header, &rel, &index);
	if (rc < 0)
		return rc;
	if (!is_to_many(rel)) {
		void *current = *pointer_field(object, rel);
		return !target || current == target ? set_to_one(header, index, NULL) : RT_OK;
	}
	if (!target)
		return rt__error_set(RT_EINVAL, "rt_object_unlink: NULL item for the collection "
					      "%s.%s", header->model->name, name);
	return remove_from_many(header, index, target);
}

/* ------------------------------------------------------------------------ */
/* New objects                                                               */
/* ------------------------------------------------------------------------ */

/* `default now` columns: the current time, as the field's kind holds it. */
void rt__field_set_now(const rt_column_desc *c, void *body, rt_timestamp now)
{
	char *f = (char *)body + c->offset;
	bool opt = (c->flags & RT_COLUMN_NULLABLE) != 0;
	switch (c->kind) {
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		if (opt)
			*(rt_opt_timestamp *)(void *)f = (rt_opt_timestamp){true, now};
		else
			*(rt_timestamp *)(void *)f = now;
		break;
	case RT_FIELD_DATE:
		if (opt)
			*(rt_opt_date *)(void *)f = (rt_opt_date){true, now.date};
		else
			*(rt_date *)(void *)f = now.date;
		break;
	case RT_FIELD_TIME:
		if (opt)
			*(rt_opt_time *)(void *)f = (rt_opt_time){true, now.time};
		else
			*(rt_time *)(void *)f = now.time;
		break;
	default:
		break;
	}
}

static int check_model(const rt_model_desc *model, const char *what)
{
	if (!model)
		return rt__error_set(RT_EINVAL, "%s: NULL model", what);
	if (model->version != RT_MODEL_DESC_VERSION)
		return rt__error_set(RT_EINVAL, "%s: model %s was generated for another version "
					      "of retort (description version %d, expected %d)",
				     what, model->name ? model->name : "?", model->version,
				     RT_MODEL_DESC_VERSION);
	return RT_OK;
}

int rt_object_new(void *out, rt_session *session, const rt_model_desc *model)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_object_new: out is NULL");
	*(void **)out = NULL;
	int rc = rt__session_usable(session);
	if (rc == RT_OK)
		rc = check_model(model, "rt_object_new");
	if (rc == RT_OK && model->view)
		rc = rt__error_set(RT_EINVAL, "rt_object_new: %s is mapped onto the view %s, which "
					      "is read-only: no row can be inserted",
				   model->name, model->view);
	if (rc < 0)
		return rc;
	/* A new object is inserted by a flush, which records its insert in
	 * the rarely used part: made now, with the object. */
	rt_object *object;
	rc = rt__object_alloc_new(session, model, &object);
	if (rc < 0)
		return rc;
	void *body = RT_OBJECT_BODY(object);
	if (model->defaults)
		memcpy(body, model->defaults, model->size);
	/* The description read once into locals: the stores into the body
	 * could alias it, and the loops would reload it every turn. */
	const rt_column_desc *columns = model->columns;
	const int column_count = model->column_count;
	bool have_now = false;
	rt_timestamp now;
	for (int i = 0; i < column_count; i++) {
		if (columns[i].flags & RT_COLUMN_DEFAULT_NOW) {
			if (!have_now) {
				now = rt_timestamp_now();
				have_now = true;
			}
			rt__field_set_now(&columns[i], body, now);
		}
	}
	/* A new object has no related rows: every relationship is known. */
	const rt_relationship_desc *relationships = model->relationships;
	const int relationship_count = model->relationship_count;
	for (int i = 0; i < relationship_count; i++) {
		const rt_relationship_desc *rel = &relationships[i];
		if (is_to_many(rel)) {
			rt_list *list = list_field(body, rel);
			memset(list, 0, sizeof(*list));
			list->loaded = true;
		} else {
			*pointer_field(body, rel) = NULL;
		}
		(void)rt__rel_mark_loaded(object, i); /* cannot fail: it has its `more` */
	}
	rt__object_take_snapshot(object);
	object->state = RT_STATE_PENDING;
	rc = rt__session_track(session, object);
	if (rc < 0)
		return rc;
	*(void **)out = body;
	return RT_OK;
}

/* A new object added back after a rollback detached it: a rollback puts
 * its relatives' collections back as they were, so a parent's loaded
 * collection no longer holds it although its own pointer still names the
 * parent. Its links are the program's values, kept: the back sides take
 * it again, as rt_object_link would have put it there (a collection only
 * when loaded, never twice; a to-one pointer when it is empty). */
static int rejoin_back_sides(rt_session *session, rt_object *header)
{
	const rt_model_desc *model = header->model;
	void *body = RT_OBJECT_BODY(header);
	for (int r = 0; r < model->relationship_count; r++) {
		const rt_relationship_desc *rel = &model->relationships[r];
		const rt_relationship_desc *back = back_of(rel);
		if (!back)
			continue;
		void **items;
		size_t count;
		void *single = NULL;
		if (is_to_many(rel)) {
			items = list_field(body, rel)->items;
			count = list_field(body, rel)->count;
		} else {
			single = *pointer_field(body, rel);
			items = &single;
			count = single ? 1 : 0;
		}
		for (size_t i = 0; i < count; i++) {
			if (!is_to_many(back)) {
				/* A to-one back side the rollback emptied; one that
				 * names another object is the program's to keep. */
				void **p = pointer_field(items[i], back);
				if (!*p)
					*p = body;
				continue;
			}
			rt_list *list = list_field(items[i], back);
			if (list->loaded && !rt__list_contains(list, body)) {
				int rc = rt__list_append(session, list, body);
				if (rc < 0)
					return rc;
			}
		}
	}
	return RT_OK;
}

int rt_object_add(rt_session *session, void *object)
{
	int rc = rt__session_usable(session);
	if (rc < 0)
		return rc;
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__error_wrap("rt_object_add");
	if (header->session != session)
		return rt__error_set(RT_EINVAL, "rt_object_add: the %s belongs to another session",
				     header->model->name);
	switch (header->state) {
	case RT_STATE_PENDING:
	case RT_STATE_PERSISTENT:
		return RT_OK;
	case RT_STATE_DELETED:
	case RT_STATE_GONE:
		return rt__error_set(RT_EINVAL, "rt_object_add: the %s is deleted",
				     header->model->name);
	case RT_STATE_DETACHED:
		break;
	}
	if (header->persisted) {
		/* Filed under the key of its row (the snapshot's), and changes
		 * made while it was out are kept for the next flush. */
		rt_object *other = rt__identity_find(session->identity, header->model,
						     rt__object_snapshot(header));
		if (other && other != header)
			return rt__error_set(RT_EINVAL, "rt_object_add: the session already has "
						      "another %s with the same primary key",
					     header->model->name);
		header->state = RT_STATE_PERSISTENT;
		rc = rt__session_track(session, header);
		return rc < 0 ? rc : rt__identity_put(session->identity, header);
	}
	header->state = RT_STATE_PENDING;
	rc = rt__session_track(session, header);
	return rc < 0 ? rc : rejoin_back_sides(session, header);
}

/* ------------------------------------------------------------------------ */
/* Expire and expunge                                                        */
/* ------------------------------------------------------------------------ */

int rt_object_expire(void *object)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__error_wrap("rt_object_expire");
	if (header->state != RT_STATE_PERSISTENT)
		return rt__error_set(RT_EINVAL, "rt_object_expire: the %s is not persistent "
					      "(it has no row to take values from)",
				     header->model->name);
	header->expired = true;
	return RT_OK;
}

int rt_object_expunge(void *object)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__error_wrap("rt_object_expunge");
	if (header->state == RT_STATE_DETACHED || header->state == RT_STATE_GONE)
		return RT_OK;
	rt__session_untrack(header->session, header);
	header->state = RT_STATE_DETACHED;
	return RT_OK;
}

/* ------------------------------------------------------------------------ */
/* Session memory                                                            */
/* ------------------------------------------------------------------------ */

void *rt_session_alloc(rt_session *session, size_t size)
{
	if (rt__session_check(session) < 0)
		return NULL;
	void *memory = rt__arena_alloc(session->arena, size);
	if (!memory)
		rt__error_nomem();
	return memory;
}

const char *rt_session_strdup(rt_session *session, const char *text)
{
	if (!text) {
		rt__error_set(RT_EINVAL, "rt_session_strdup: NULL text");
		return NULL;
	}
	if (rt__session_check(session) < 0)
		return NULL;
	const char *copy = rt__arena_strdup(session->arena, text);
	if (!copy)
		rt__error_nomem();
	return copy;
}
