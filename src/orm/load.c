/*
 * load.c - rows into objects: the SELECT list of a model, a row turned into
 * an object through the identity map, get by primary key, refresh, and
 * the bookkeeping of loaded relationships (loaded bits, to-one links with
 * their back sides, collection snapshots).
 *
 * A row whose object the session already has gives that object, unchanged
 * (the program's view of it wins until it is expired), so the same row
 * loaded twice is the same pointer. An expired object takes the row's
 * values and a new snapshot.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/query.h"
#include "orm/joined.h"

/* Objects of models up to this size are probed on the stack. */
#define PROBE_STACK_SIZE 2048

static rt_object *header_of(void *body)
{
	return (rt_object *)((char *)body - rt__object_header_size());
}

/* --- the SELECT list ----------------------------------------------------------- */

void rt__select_columns(rt_buf *sql, const rt_dialect *dialect, const rt_model_desc *model,
			const char *alias)
{
	for (int i = 0; i < model->column_count; i++) {
		if (i)
			rt__buf_puts(sql, ", ");
		if (alias) {
			rt__buf_puts(sql, alias);
			rt__buf_putc(sql, '.');
		}
		dialect->quote_ident(sql, model->columns[i].name);
	}
	rt__select_subclass_columns(sql, dialect, model, alias);
}

/* --- fields from values --------------------------------------------------------- */

static bool int_kind(rt_field_kind kind)
{
	return kind == RT_FIELD_INT16 || kind == RT_FIELD_INT32 || kind == RT_FIELD_INT64;
}

bool rt__value_fits(const rt_column_desc *column, const rt_value_ref *value)
{
	rt_field_kind v = value->kind;
	if (v == 0)
		return true;
	switch (column->kind) {
	case RT_FIELD_INT16:
	case RT_FIELD_INT32:
	case RT_FIELD_INT64:
		return int_kind(v);
	case RT_FIELD_FLOAT:
	case RT_FIELD_DOUBLE:
		return v == RT_FIELD_FLOAT || v == RT_FIELD_DOUBLE || int_kind(v);
	case RT_FIELD_NUMERIC:
		/* exact decimal text, or an integer */
		return v == RT_FIELD_NUMERIC || v == RT_FIELD_TEXT || int_kind(v);
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		return v == RT_FIELD_TEXT || v == RT_FIELD_JSON;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		return v == RT_FIELD_TIMESTAMP || v == RT_FIELD_TIMESTAMPTZ;
	case RT_FIELD_ENUM:
		/* a value of the column's enum: its C value, from 1 */
		if (v != RT_FIELD_ENUM && !int_kind(v))
			return false;
		if (v == RT_FIELD_ENUM && value->enum_type && column->enum_type &&
		    value->enum_type != column->enum_type)
			return false;
		return !column->enum_type ||
		       (value->as.i >= 1 && value->as.i <= column->enum_type->value_count);
	case RT_FIELD_ARRAY:
		return v == RT_FIELD_ARRAY && (!value->element || value->element == column->element);
	default:
		return v == column->kind;
	}
}

size_t rt__field_size(const rt_column_desc *column)
{
	bool nullable = (column->flags & RT_COLUMN_NULLABLE) != 0;
	switch (column->kind) {
	case RT_FIELD_INT16: return nullable ? sizeof(rt_opt_int16) : sizeof(int16_t);
	case RT_FIELD_INT32: return nullable ? sizeof(rt_opt_int32) : sizeof(int32_t);
	case RT_FIELD_INT64: return nullable ? sizeof(rt_opt_int64) : sizeof(int64_t);
	case RT_FIELD_BOOL: return nullable ? sizeof(rt_opt_bool) : sizeof(bool);
	case RT_FIELD_FLOAT: return nullable ? sizeof(rt_opt_float) : sizeof(float);
	case RT_FIELD_DOUBLE: return nullable ? sizeof(rt_opt_double) : sizeof(double);
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON: return sizeof(const char *);
	case RT_FIELD_BLOB: return sizeof(rt_bytes);
	case RT_FIELD_DATE: return nullable ? sizeof(rt_opt_date) : sizeof(rt_date);
	case RT_FIELD_TIME: return nullable ? sizeof(rt_opt_time) : sizeof(rt_time);
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		return nullable ? sizeof(rt_opt_timestamp) : sizeof(rt_timestamp);
	case RT_FIELD_UUID: return nullable ? sizeof(rt_opt_uuid) : sizeof(rt_uuid);
	case RT_FIELD_ENUM: return sizeof(int);
	case RT_FIELD_ARRAY: return sizeof(rt_array);
	}
	return 0;
}

/* Stores a plain value at f, or in the rt_opt_* wrapper there (zeroed
 * first, so that no padding byte is left undefined). */
#define STORE(type, opt_type, expr)                                          \
	do {                                                                 \
		if (nullable) {                                              \
			opt_type o_;                                         \
			memset(&o_, 0, sizeof(o_));                          \
			o_.present = true;                                   \
			o_.value = (type)(expr);                             \
			memcpy(f, &o_, sizeof(o_));                          \
		} else {                                                     \
			type v_ = (type)(expr);                              \
			memcpy(f, &v_, sizeof(v_));                          \
		}                                                            \
	} while (0)

int rt__field_store(const rt_column_desc *column, void *body, const rt_value_ref *value)
{
	if (!rt__value_fits(column, value))
		return rt__error_set(RT_EINVAL, "a value of the wrong kind for column %s",
				     column->name);
	char *f = (char *)body + column->offset;
	bool nullable = (column->flags & RT_COLUMN_NULLABLE) != 0;
	if (value->kind == 0) {
		memset(f, 0, rt__field_size(column));
		return RT_OK;
	}
	bool real = value->kind == RT_FIELD_FLOAT || value->kind == RT_FIELD_DOUBLE;
	switch (column->kind) {
	case RT_FIELD_INT16: STORE(int16_t, rt_opt_int16, value->as.i); break;
	case RT_FIELD_INT32: STORE(int32_t, rt_opt_int32, value->as.i); break;
	case RT_FIELD_INT64: STORE(int64_t, rt_opt_int64, value->as.i); break;
	case RT_FIELD_BOOL: STORE(bool, rt_opt_bool, value->as.i != 0); break;
	case RT_FIELD_FLOAT:
		STORE(float, rt_opt_float, real ? value->as.d : (double)value->as.i);
		break;
	case RT_FIELD_DOUBLE:
		STORE(double, rt_opt_double, real ? value->as.d : (double)value->as.i);
		break;
	case RT_FIELD_NUMERIC:
		if (value->kind != RT_FIELD_NUMERIC && value->kind != RT_FIELD_TEXT)
			return rt__error_set(RT_EINVAL, "column %s: a key of a numeric column "
						      "must be given as text", column->name);
		memcpy(f, &value->as.s, sizeof(value->as.s));
		break;
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		memcpy(f, &value->as.s, sizeof(value->as.s));
		break;
	case RT_FIELD_BLOB: memcpy(f, &value->as.bytes, sizeof(rt_bytes)); break;
	case RT_FIELD_DATE: STORE(rt_date, rt_opt_date, value->as.date); break;
	case RT_FIELD_TIME: STORE(rt_time, rt_opt_time, value->as.time); break;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		STORE(rt_timestamp, rt_opt_timestamp, value->as.timestamp);
		break;
	case RT_FIELD_UUID: STORE(rt_uuid, rt_opt_uuid, value->as.uuid); break;
	case RT_FIELD_ENUM: {
		int v = (int)value->as.i;
		memcpy(f, &v, sizeof(v));
		break;
	}
	case RT_FIELD_ARRAY: memcpy(f, &value->as.array, sizeof(rt_array)); break;
	}
	return RT_OK;
}

/* --- relationships' bookkeeping ------------------------------------------------- */


int rt__relationship_set_one(rt_object *object, int index, void *target)
{
	const rt_relationship_desc *rel = &object->model->relationships[index];
	void *body = RT_OBJECT_BODY(object);
	memcpy((char *)body + rel->offset, &target, sizeof(target));
	int rc = rt__rel_mark_loaded(object, index);
	if (rc < 0 || !target || rel->back < 0)
		return rc;
	/* The back side of a one-to-one pair is settled by this link: the
	 * row holding the unique key belongs to exactly this object. A
	 * many-to-one's back collection is not (it has other members). */
	const rt_relationship_desc *back = &rel->target->relationships[rel->back];
	bool one_to_one = (rel->kind == RT_RELATIONSHIP_MANY_TO_ONE &&
			   back->kind == RT_RELATIONSHIP_ONE_TO_ONE) ||
			  (rel->kind == RT_RELATIONSHIP_ONE_TO_ONE &&
			   back->kind == RT_RELATIONSHIP_MANY_TO_ONE);
	if (!one_to_one)
		return RT_OK;
	rt_object *other = header_of(target);
	memcpy((char *)target + back->offset, &body, sizeof(body));
	return rt__rel_mark_loaded(other, rel->back);
}

/* The object's collection snapshots, made on first use. */
static rt_list *snapshots_of(rt_object *object)
{
	rt_object_more *more = rt__more_make(object);
	if (more && !more->collection_snapshots)
		more->collection_snapshots = rt__arena_alloc(
			object->session->arena,
			(size_t)object->model->relationship_count * sizeof(rt_list));
	return more ? more->collection_snapshots : NULL;
}

int rt__collection_snapshot_into(rt_object *object, int index, void **items)
{
	rt_list *snapshots = snapshots_of(object);
	if (!snapshots)
		return rt__error_nomem();
	const rt_list *current =
		(const rt_list *)((char *)RT_OBJECT_BODY(object) +
				  object->model->relationships[index].offset);
	rt_list *snapshot = &snapshots[index];
	if (current->count) {
		memcpy(items, current->items, current->count * sizeof(void *));
		snapshot->items = items;
	}
	snapshot->count = current->count;
	snapshot->capacity = current->count;
	snapshot->loaded = true;
	rt_object_more *more = object->more; /* made by snapshots_of */
	if (index < 64)
		more->partial &= ~((uint64_t)1 << index);
	more->collections_txn = object->session->txn;
	more->collections_level = object->session->level;
	return RT_OK;
}

/* --- a row into an object ------------------------------------------------------ */

/* The columns of model (the row's own, or with inheritance one of the
 * queried model's subclasses) from a row of queried. */
static int read_columns(rt_session *session, const rt_model_desc *model,
			const rt_model_desc *queried, rt_stmt *stmt, int first_column, void *body)
{
	for (int i = 0; i < model->column_count; i++) {
		int at = rt__inherit_column_position(queried, model, i);
		if (at < 0)
			break; /* an object of another branch of the tree */
		int rc = rt__field_read(stmt, first_column + at, model, i, body, session->arena);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

int rt__object_from_new_row(rt_session *session, const rt_model_desc *queried, rt_stmt *stmt,
			    int first_column, void **out_body)
{
	rt_object *object;
	const rt_model_desc *model = rt__row_model(queried, stmt, first_column);
	int rc = rt__object_alloc(session, model, &object);
	if (rc < 0)
		return rc;
	rc = read_columns(session, model, queried, stmt, first_column, RT_OBJECT_BODY(object));
	if (rc == RT_OK)
		rc = rt__object_track_persistent(session, object);
	if (rc == RT_OK && rt__hooks_any(session, RT_HOOK_AFTER_LOAD))
		rc = rt__hooks_run(session, RT_HOOK_AFTER_LOAD, object);
	if (rc < 0)
		return rc;
	*out_body = RT_OBJECT_BODY(object);
	return RT_OK;
}

int rt__object_from_row(rt_session *session, const rt_model_desc *model, rt_stmt *stmt,
			int first_column, void **out_body)
{
	rt_object *object;
	int rc = rt__row_find_object(&object, session, model, stmt, first_column, ~(uint64_t)0);
	if (rc < 0)
		return rc;
	if (!object)
		return rt__object_from_new_row(session, model, stmt, first_column, out_body);
	if (object->expired) {
		/* The row's values replace the object's. */
		rc = read_columns(session,
				  rt__model_is_a(object->model, model) ? object->model : model,
				  model, stmt, first_column, RT_OBJECT_BODY(object));
		if (rc < 0)
			return rc;
		rt__object_take_snapshot(object);
		object->expired = false;
		if (object->more)
			object->more->unloaded = 0;
		if (rt__hooks_any(session, RT_HOOK_AFTER_LOAD) &&
		    (rc = rt__hooks_run(session, RT_HOOK_AFTER_LOAD, object)) < 0)
			return rc;
	} else if (rt__more(object)->unloaded) {
		/* A load-only query left fields out: this row has them. */
		rc = rt__object_fill_unloaded(object, stmt, first_column, NULL);
		if (rc < 0)
			return rc;
	}
	*out_body = RT_OBJECT_BODY(object);
	return RT_OK;
}

/* --- get and refresh -------------------------------------------------------------- */

/* SELECT <columns> FROM "table" AS t0 WHERE t0."pk" = ? [AND ...]; an
 * rt_sql_builder, owner the model: the connection remembers the text. */
static void select_by_key(rt_buf *sql, const rt_dialect *dialect, const void *owner)
{
	const rt_model_desc *model = owner;
	rt__buf_clear(sql);
	rt__buf_puts(sql, "SELECT ");
	rt__select_columns(sql, dialect, model, "t0");
	rt__buf_puts(sql, " FROM ");
	rt__sql_model_source(sql, dialect, model);
	rt__buf_puts(sql, " AS t0 WHERE ");
	for (int k = 0; k < model->primary_key_count; k++) {
		if (k)
			rt__buf_puts(sql, " AND ");
		rt__buf_puts(sql, "t0.");
		dialect->quote_ident(sql, model->columns[model->primary_key[k]].name);
		rt__buf_puts(sql, " = ?");
	}
}

/* "id = 42" (or "a = 1, b = 'x'") for messages. */
static void describe_key(rt_buf *buf, const rt_model_desc *model, const void *body)
{
	for (int k = 0; k < model->primary_key_count; k++) {
		const rt_column_desc *column = &model->columns[model->primary_key[k]];
		rt__buf_printf(buf, "%s%s = ", k ? ", " : "", column->field);
		rt__field_describe(buf, column, body);
	}
}

/* Runs the select-by-key statement for the key in body. On a row, calls
 * take(row) with the statement; RT_ENOTFOUND when there is none. */
static int run_by_key(rt_session *session, const rt_model_desc *model, const void *key_body,
		      int (*take)(rt_session *, const rt_model_desc *, rt_stmt *, void *),
		      void *ctx)
{
	rt_conn *conn;
	int rc = rt__session_conn(session, &conn);
	if (rc < 0)
		return rc;
	rt_stmt *stmt;
	rc = rt__conn_statement_for(conn, model, RT_SQL_GET_BY_KEY, select_by_key, &stmt);
	if (rc < 0)
		return rc;
	for (int k = 0; k < model->primary_key_count && rc == RT_OK; k++)
		rc = rt__field_bind(stmt, k + 1, model, model->primary_key[k], key_body);
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	if (rc == RT_ROW) {
		rc = take(session, model, stmt, ctx);
	} else if (rc == RT_DONE) {
		rt_buf what = RT_BUF_INIT;
		describe_key(&what, model, key_body);
		rc = rt__error_set(RT_ENOTFOUND, "no %s with %s", model->name,
				   rt__buf_failed(&what) ? "that key" : rt__buf_cstr(&what));
		rt__buf_free(&what);
	}
	rt_stmt_reset(stmt);
	return rc;
}

static int take_object(rt_session *session, const rt_model_desc *model, rt_stmt *stmt,
		       void *ctx)
{
	return rt__object_from_row(session, model, stmt, 0, ctx);
}

/* The identity map was just asked: the row's object is new. */
static int take_new_object(rt_session *session, const rt_model_desc *model, rt_stmt *stmt,
			   void *ctx)
{
	return rt__object_from_new_row(session, model, stmt, 0, ctx);
}

int rt_object_get(void *out, rt_session *session, const rt_model_desc *model,
		  const rt_value_ref *key)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_object_get: out is NULL");
	*(void **)out = NULL;
	int rc = rt__session_check(session);
	if (rc < 0)
		return rc;
	if (!model || !key)
		return rt__error_set(RT_EINVAL, "rt_object_get: NULL %s", model ? "key" : "model");

	alignas(max_align_t) unsigned char stack[PROBE_STACK_SIZE];
	void *probe = model->size <= sizeof(stack) ? stack : calloc(1, model->size);
	if (!probe)
		return rt__error_nomem();
	if (probe == stack)
		memset(stack, 0, model->size);
	for (int k = 0; k < model->primary_key_count && rc == RT_OK; k++) {
		const rt_column_desc *column = &model->columns[model->primary_key[k]];
		if (key[k].kind == 0)
			rc = rt__error_set(RT_EINVAL, "rt_object_get: %s.%s is NULL", model->name,
					   column->field);
		else if (rt__field_store(column, probe, &key[k]) < 0)
			rc = rt__error_set(RT_EINVAL, "rt_object_get: a value of the wrong kind "
						      "for %s.%s", model->name, column->field);
	}
	rt_object *object = NULL;
	if (rc == RT_OK)
		object = rt__identity_find(session->identity, model, probe);
	if (rc == RT_OK && object && !object->expired) {
		if (object->state == RT_STATE_DELETED || object->state == RT_STATE_GONE)
			rc = rt__error_set(RT_ENOTFOUND, "%s was deleted in this session",
					   model->name);
		else
			*(void **)out = RT_OBJECT_BODY(object);
	} else if (rc == RT_OK) {
		/* Not in the session (or expired): read it, after writing the
		 * session's pending inserts and deletes (changed fields of
		 * other rows cannot change which row a key finds). */
		rc = rt__flush_if_pending(session);
		void *body = NULL;
		if (rc == RT_OK)
			rc = run_by_key(session, model, probe,
					object ? take_object : take_new_object, &body);
		if (rc == RT_OK)
			*(void **)out = body;
	}
	if (probe != stack)
		free(probe);
	/* A key of the tree whose row is of another model than asked for. */
	const rt_model_desc *found = rc == RT_OK && *(void **)out
					     ? header_of(*(void **)out)->model
					     : NULL;
	if (found && !rt__model_is_a(found, model)) {
		*(void **)out = NULL;
		rc = rt__error_set(RT_ENOTFOUND, "no %s has this key: its row is a %s", model->name,
				   found->name);
	}
	return rc;
}

static int take_refresh(rt_session *session, const rt_model_desc *model, rt_stmt *stmt,
			void *ctx)
{
	rt_object *object = ctx;
	int rc = read_columns(session, model, model, stmt, 0, RT_OBJECT_BODY(object));
	if (rc < 0)
		return rc;
	rt__object_take_snapshot(object);
	object->expired = false;
	if (object->more)
		object->more->unloaded = 0;
	return RT_OK;
}

int rt_object_refresh(void *object)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return RT_EINVAL;
	int rc = rt__session_check(header->session);
	if (rc < 0)
		return rc;
	if (header->state != RT_STATE_PERSISTENT)
		return rt__error_set(RT_EINVAL, "rt_object_refresh: the %s has no row to "
					      "refresh from (%s)", header->model->name,
				     header->state == RT_STATE_PENDING ? "not inserted yet"
								       : "deleted or expunged");
	/* The key is read from the object before its fields are overwritten;
	 * the statement holds a copy of the bound values. */
	return run_by_key(header->session, header->model, object, take_refresh, header);
}

static int take_unloaded(rt_session *session, const rt_model_desc *model, rt_stmt *stmt,
			 void *ctx)
{
	(void)session;
	(void)model;
	return rt__object_fill_unloaded(ctx, stmt, 0, NULL);
}

int rt_object_load_unloaded(void *object)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return RT_EINVAL;
	int rc = rt__session_check(header->session);
	if (rc < 0 || !rt__more(header)->unloaded)
		return rc;
	if (header->state != RT_STATE_PERSISTENT)
		return rt__error_set(RT_EINVAL, "rt_object_load_unloaded: the %s has no row "
						"(deleted or expunged)", header->model->name);
	return run_by_key(header->session, header->model, object, take_unloaded, header);
}
