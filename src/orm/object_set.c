/*
 * object_set.c - the setters of mapped objects: text, blob and array
 * fields (copied into the session) and rt_object_mark_set.
 *
 * Plain fields are plain assignments, which the library cannot see. The
 * flush tells a field the program changed from one it left alone by
 * comparing with the object's snapshot; for a new object that is what
 * rt_object_new gave it. That is enough everywhere but one place: a column
 * with a server default (or an autoincrement key) and no client default,
 * whose new-object value (0, NULL) the program may mean as its value. A
 * setter, or rt_object_mark_set, records that the field was set, and the
 * INSERT then writes it instead of leaving it to the database.
 */
#include "orm/orm.h"

#include <string.h>

#include "base/error.h"

typedef enum field_want { WANT_TEXT, WANT_BLOB, WANT_ARRAY, WANT_ANY } field_want;

static bool wanted(const rt_column_desc *c, field_want want)
{
	switch (want) {
	case WANT_TEXT:
		return c->kind == RT_FIELD_TEXT || c->kind == RT_FIELD_NUMERIC ||
		       c->kind == RT_FIELD_JSON;
	case WANT_BLOB: return c->kind == RT_FIELD_BLOB;
	case WANT_ARRAY: return c->kind == RT_FIELD_ARRAY;
	case WANT_ANY: break;
	}
	return true;
}

/* The index of the column of object's model whose field is at `field`, of
 * the kinds wanted; -1 with RT_EINVAL recorded. */
static int column_at(rt_object *header, const void *field, const char *what, field_want want)
{
	const char *body = RT_OBJECT_BODY(header);
	const char *f = field;
	const rt_model_desc *model = header->model;
	if (f && f >= body && f < body + model->size) {
		size_t offset = (size_t)(f - body);
		for (int i = 0; i < model->column_count; i++) {
			const rt_column_desc *c = &model->columns[i];
			if (c->offset != offset)
				continue;
			if (wanted(c, want))
				return i;
			rt__error_set(RT_EINVAL, "%s: %s.%s is not a%s field", what, model->name,
				      c->field,
				      want == WANT_BLOB ? " blob" : want == WANT_ARRAY ? "n array" : " text");
			return -1;
		}
	}
	rt__error_set(RT_EINVAL, "%s: the field is not a column field of the %s", what,
		      model->name);
	return -1;
}

/* Records that the program set column i (see the top of the file). The
 * bits live in session memory: a new object has them from rt_object_new
 * (object_memory.c), any other gets them on its first mark, so a loaded
 * object that is never marked costs nothing. */
static int mark(rt_object *header, int i)
{
	/* Only an INSERT reads the marks: a row loaded, or inserted by an
	 * earlier transaction (no rollback can undo that insert), needs none,
	 * and an update of a loaded row costs no memory for them. */
	rt_object_more *more = header->more;
	if (more && more->assigned && !header->persisted) {
		/* A new object (object_memory.c gave it the bits). */
		more->assigned[i / 64] |= (uint64_t)1 << (i % 64);
		return RT_OK;
	}
	const rt_object_more *had = rt__more(header);
	if (header->persisted && had->inserted_txn != header->session->txn)
		return RT_OK;
	more = rt__more_make(header);
	if (!more)
		return RT_ENOMEM;
	if (!more->assigned) {
		size_t words = ((size_t)header->model->column_count + 63) / 64;
		more->assigned = rt__arena_alloc(header->session->arena, words * sizeof(uint64_t));
		if (!more->assigned)
			return rt__error_nomem();
		memset(more->assigned, 0, words * sizeof(uint64_t));
	}
	more->assigned[i / 64] |= (uint64_t)1 << (i % 64);
	return RT_OK;
}

int rt_object_mark_set(void *object, const void *field)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__error_wrap("rt_object_mark_set");
	int i = column_at(header, field, "rt_object_mark_set", WANT_ANY);
	return i < 0 ? RT_EINVAL : mark(header, i);
}

int rt_object_set_text(void *object, const char **field, const char *text)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__error_wrap("rt_object_set_text");
	int i = column_at(header, field, "rt_object_set_text", WANT_TEXT);
	if (i < 0)
		return RT_EINVAL;
	const char *copy = NULL;
	if (text && !(copy = rt__arena_strdup(header->session->arena, text)))
		return rt__error_nomem();
	int rc = mark(header, i);
	if (rc < 0)
		return rc;
	*field = copy;
	return RT_OK;
}

int rt_object_set_blob(void *object, rt_bytes *field, const void *data, size_t len)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__error_wrap("rt_object_set_blob");
	int i = column_at(header, field, "rt_object_set_blob", WANT_BLOB);
	if (i < 0)
		return RT_EINVAL;
	if (!data && len)
		return rt__error_set(RT_EINVAL, "rt_object_set_blob: NULL data of length %zu", len);
	uint8_t *copy = NULL;
	if (data && !(copy = rt__arena_alloc(header->session->arena, len ? len : 1)))
		return rt__error_nomem();
	int rc = mark(header, i);
	if (rc < 0)
		return rc;
	if (len)
		memcpy(copy, data, len);
	field->data = copy;
	field->len = len;
	return RT_OK;
}

int rt_object_set_array(void *object, void *field, const void *items, size_t count)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__error_wrap("rt_object_set_array");
	int i = column_at(header, field, "rt_object_set_array", WANT_ARRAY);
	if (i < 0)
		return RT_EINVAL;
	const rt_column_desc *c = &header->model->columns[i];
	rt_array copy;
	int rc = rt__array_copy(&copy, c->element, items, count, header->session->arena);
	if (rc < 0)
		return rt__error_wrap("rt_object_set_array: %s.%s", header->model->name, c->field);
	if ((rc = mark(header, i)) < 0)
		return rc;
	*(rt_array *)field = copy;
	return RT_OK;
}
