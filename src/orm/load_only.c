/*
 * load_only.c - queries that read only some columns of their model
 * (rt_query_load_only, SQLAlchemy's load_only / defer), and the rows of
 * queries that read objects differently from load.c's plain way: some
 * columns only, or a locked row that replaces what the session holds
 * (query_lock.c).
 *
 * An object keeps a bit per column it has not loaded (rt_object.unloaded,
 * the first 64 columns). Its unloaded fields are zero (NULL) in the body
 * and in the snapshot, so the flush, which writes the fields that differ
 * from the snapshot, never writes them back; a value the program sets
 * there differs, and is written like any change. A row that holds an
 * unloaded column (a later query, rt_object_load_unloaded) fills the
 * field, in body and snapshot alike, and clears its bit; the fields the
 * object has loaded are left as the program sees them.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/query.h"

/* Objects of models up to this size are probed on the stack. */
#define PROBE_STACK_SIZE 2048

/* The bits of the columns an object can leave unloaded. */
static uint64_t maskable(const rt_model_desc *model)
{
	return model->column_count >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << model->column_count) - 1;
}

bool rt__query_reads(const rt_query *query, int column)
{
	return !query || query->load_only == 0 || column >= 64 ||
	       (query->load_only >> column & 1) != 0;
}

bool rt__query_reads_specially(const rt_query *query)
{
	return query->load_only != 0 || query->lock != RT_ROW_LOCK_NONE;
}

/* The bits of the columns a row of the query holds. */
static uint64_t read_mask(const rt_query *query, const rt_model_desc *model)
{
	return query && query->load_only ? query->load_only : maskable(model);
}

int rt_query_load_only(rt_query *query, const rt_column_ref *columns, size_t count)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_load_only: NULL query");
	if (count && !columns)
		return rt__query_fail(query, rt__error_set(RT_EINVAL,
							   "rt_query_load_only: NULL columns"));
	const rt_model_desc *model = query->model;
	/* A model of an inheritance tree reads its rows' types from columns
	 * a load-only SELECT leaves out. */
	if (count && (model->parent || model->subclass_count))
		return rt__query_fail(query, rt__error_set(
			RT_EINVAL, "rt_query_load_only: %s is in an inheritance tree (not "
				   "supported there yet)", model->name));
	uint64_t mask = 0;
	for (size_t i = 0; i < count; i++) {
		if (columns[i].model != model || columns[i].column < 0 ||
		    columns[i].column >= model->column_count)
			return rt__query_fail(query, rt__error_set(
				RT_EINVAL, "rt_query_load_only: not a column of %s (the query's "
					   "model; a joined model's columns are never loaded)",
				model->name));
		if (columns[i].column < 64)
			mask |= (uint64_t)1 << columns[i].column;
	}
	/* The key always: it finds the object in the identity map. */
	for (int k = 0; count && k < model->primary_key_count; k++)
		if (model->primary_key[k] < 64)
			mask |= (uint64_t)1 << model->primary_key[k];
	query->load_only = count ? mask : 0;
	return RT_OK;
}

int rt__query_select_own(rt_buf *sql, const rt_dialect *dialect, const rt_query *query)
{
	const rt_model_desc *model = query->model;
	int n = 0;
	for (int i = 0; i < model->column_count; i++) {
		if (!rt__query_reads(query, i))
			continue;
		rt__buf_puts(sql, n++ ? ", t0." : "t0.");
		dialect->quote_ident(sql, model->columns[i].name);
	}
	return n;
}

/* Reads the columns of the row whose bits are in `which` (and those past
 * the 64th) into body; the row holds the columns of `reads` in order. */
static int read_some(rt_stmt *stmt, int first_column, const rt_model_desc *model, uint64_t reads,
		     uint64_t which, void *body, rt_arena *arena)
{
	int position = first_column;
	for (int i = 0; i < model->column_count; i++) {
		bool in_row = i >= 64 || (reads >> i & 1);
		if (!in_row)
			continue;
		if (i >= 64 || (which >> i & 1)) {
			int rc = rt__field_read(stmt, position, model, i, body, arena);
			if (rc < 0)
				return rc;
		}
		position++;
	}
	return RT_OK;
}

int rt__object_fill_unloaded(rt_object *object, rt_stmt *stmt, int first_column,
			     const rt_query *query)
{
	const rt_model_desc *model = object->model;
	uint64_t reads = read_mask(query, model);
	uint64_t fill = rt__more(object)->unloaded & reads;
	if (!fill)
		return RT_OK;
	/* Only columns below 64 can be unloaded: read_some's "past the 64th"
	 * case never applies to a fill, so leave them out. */
	rt_arena *arena = object->session->arena;
	int position = first_column;
	for (int i = 0; i < model->column_count && i < 64; i++) {
		if (!(reads >> i & 1))
			continue;
		if (fill >> i & 1) {
			int rc = rt__field_read(stmt, position, model, i, RT_OBJECT_BODY(object), arena);
			if (rc == RT_OK)
				rc = rt__field_read(stmt, position, model, i, rt__object_snapshot(object), arena);
			if (rc < 0)
				return rc;
		}
		position++;
	}
	object->more->unloaded &= ~fill; /* fill is not 0: it has its `more` */
	return RT_OK;
}

/* Records the columns of object left unloaded: a whole-row load (mask 0)
 * costs no memory. */
static int set_unloaded(rt_object *object, uint64_t mask)
{
	if (!mask && !object->more)
		return RT_OK;
	rt_object_more *more = rt__more_make(object);
	if (!more)
		return RT_ENOMEM;
	more->unloaded = mask;
	return RT_OK;
}

/* Zeroes the unloaded fields of an object (NULL for a nullable one). */
static void clear_unloaded(rt_object *object)
{
	const rt_model_desc *model = object->model;
	char *body = RT_OBJECT_BODY(object);
	uint64_t unloaded = rt__more(object)->unloaded;
	for (int i = 0; i < model->column_count && i < 64; i++)
		if (unloaded >> i & 1)
			memset(body + model->columns[i].offset, 0, rt__field_size(&model->columns[i]));
}

/* Where column `column` is in a row holding the columns of `reads`. */
static int position_of(const rt_model_desc *model, uint64_t reads, int column)
{
	int position = 0;
	for (int i = 0; i < column; i++)
		position += i >= 64 || (reads >> i & 1);
	return position;
}

int rt__row_find_object(rt_object **out, rt_session *session, const rt_model_desc *model,
			rt_stmt *stmt, int first_column, uint64_t reads)
{
	*out = NULL;
	/* Read the primary key alone first: most rows of a busy session
	 * may already have their object. */
	alignas(max_align_t) unsigned char stack[PROBE_STACK_SIZE];
	void *probe = model->size <= sizeof(stack) ? stack : calloc(1, model->size);
	if (!probe)
		return rt__error_nomem();
	if (probe == stack)
		memset(stack, 0, model->size);
	int rc = RT_OK;
	for (int k = 0; k < model->primary_key_count && rc == RT_OK; k++) {
		int column = model->primary_key[k];
		rc = rt__field_read(stmt, first_column + position_of(model, reads, column), model,
				    column, probe, session->arena);
	}
	if (rc == RT_OK)
		*out = rt__identity_find(session->identity, model, probe);
	if (probe != stack)
		free(probe);
	return rc;
}

int rt__object_from_query_row(rt_query *query, rt_stmt *stmt, void **out_body)
{
	rt_session *session = query->session;
	const rt_model_desc *model = query->model;
	uint64_t reads = read_mask(query, model);
	rt_object *object;
	int rc = rt__row_find_object(&object, session, model, stmt, 0, reads);
	if (rc < 0)
		return rc;
	if (!object) {
		rc = rt__object_alloc(session, model, &object);
		if (rc == RT_OK)
			rc = read_some(stmt, 0, model, reads, ~(uint64_t)0, RT_OBJECT_BODY(object),
				       session->arena);
		if (rc == RT_OK)
			rc = rt__object_track_persistent(session, object);
		if (rc < 0)
			return rc;
		rc = set_unloaded(object, maskable(model) & ~reads);
		if (rc < 0)
			return rc;
	} else if (object->expired || query->lock != RT_ROW_LOCK_NONE) {
		/* The row's values replace the object's: expired, or just
		 * locked (the session's changes were flushed before the query
		 * ran, so none is lost). */
		rc = read_some(stmt, 0, model, reads, ~(uint64_t)0, RT_OBJECT_BODY(object),
			       session->arena);
		if (rc < 0)
			return rc;
		if (object->expired) {
			/* What the row lacks is unloaded again, and zero. */
			rc = set_unloaded(object, maskable(model) & ~reads);
			if (rc < 0)
				return rc;
			clear_unloaded(object);
		} else if (object->more) {
			object->more->unloaded &= ~reads;
		}
		rt__object_take_snapshot(object);
		object->expired = false;
	} else {
		rc = rt__object_fill_unloaded(object, stmt, 0, query);
		if (rc < 0)
			return rc;
	}
	*out_body = RT_OBJECT_BODY(object);
	return RT_OK;
}

int rt_object_is_loaded(const void *object, rt_column_ref column)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return RT_EINVAL;
	if (column.model != header->model || column.column < 0 ||
	    column.column >= header->model->column_count)
		return rt__error_set(RT_EINVAL, "rt_object_is_loaded: not a column of %s",
				     header->model->name);
	return column.column >= 64 || !(rt__more(header)->unloaded >> column.column & 1);
}
