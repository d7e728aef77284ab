/*
 * query.c - building a query: conditions, order, limit and offset, joins,
 * eager options, group by and aggregates. Nothing here runs SQL; the
 * query is compiled (query_sql.c) and run (query_run.c, rows.c) by the
 * result functions.
 *
 * Builders record the first mistake in the query (a value of the wrong
 * kind, a column of a model the query does not have, out of memory) and
 * return NULL or the error; the query then fails with that error when it
 * runs, so conditions can be nested without checking each call.
 *
 * A column names its model's latest appearance in the query when the
 * condition is built: after rt_query_join(q, &Category_model, "children"),
 * Category_c.name means the joined children's name. A column of a model
 * not (yet) in the query is looked up again when the query runs.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/query.h"

#define PUSH(query, array, count, cap, value)                                     \
	(rt__arena_reserve((query)->arena, (void **)&(array), &(cap), (count) + 1,  \
			   sizeof(*(array))) == 0                                  \
		 ? ((array)[(count)++] = (value), RT_OK)                           \
		 : rt__query_fail((query), rt__error_nomem()))

int rt__query_fail(rt_query *query, int err)
{
	if (query && query->error == RT_OK) {
		query->error = err;
		query->error_message = rt__arena_strdup(query->arena, rt_error_last()->message);
	}
	return err;
}

int rt__query_check(rt_query *query)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "NULL query");
	if (query->error == RT_OK)
		return RT_OK;
	return rt__error_set(query->error, "%s",
			     query->error_message ? query->error_message : "the query failed");
}

int rt_query_new(rt_query **out, rt_session *session, const rt_model_desc *model)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_query_new: out is NULL");
	*out = NULL;
	int rc = rt__session_check(session);
	if (rc < 0)
		return rc;
	if (!model || model->version != RT_MODEL_DESC_VERSION)
		return rt__error_set(RT_EINVAL, "rt_query_new: %s", model ? "unknown model "
					      "description version (regenerate the code)"
										  : "NULL model");
	rt_arena *arena = rt__arena_new();
	rt_query *query = arena ? rt__arena_alloc(arena, sizeof(*query)) : NULL;
	if (!query) {
		rt__arena_free(arena);
		return rt__error_nomem();
	}
	query->session = session;
	query->model = model;
	query->arena = arena;
	query->limit = -1;
	query->sql = (rt_buf)RT_BUF_INIT;
	rt_query_source root = {model, -1, NULL, NULL, false};
	rc = PUSH(query, query->sources, query->source_count, query->source_cap, root);
	if (rc < 0) {
		rt__arena_free(arena);
		return rc;
	}
	*out = query;
	return RT_OK;
}

void rt_query_free(rt_query *query)
{
	if (!query)
		return;
	rt_stmt_finalize(query->stream);
	rt__arena_free(query->stream_arena);
	rt__query_free_owned(query);
	rt__buf_free(&query->sql);
	rt__arena_free(query->arena);
}

/* --- columns and values ----------------------------------------------------------- */

/* The latest source of model, or -1. */
static int source_of(const rt_query *query, const rt_model_desc *model)
{
	for (size_t i = query->source_count; i-- > 0;)
		if (query->sources[i].model == model)
			return (int)i;
	return -1;
}

static int check_column(rt_query *query, rt_column_ref column, const char *what)
{
	if (!column.model || column.column < 0 || column.column >= column.model->column_count)
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "%s: not a column of a model "
								    "(model %s, column %d)", what,
							   column.model ? column.model->name : "NULL",
							   column.column));
	return RT_OK;
}

static const char *column_name(rt_column_ref column)
{
	return column.model->columns[column.column].field;
}

/* A copy of value in the query's memory (text and blobs are copied, so the
 * program's buffers are free again when the builder returns), checked
 * against the column. */
static int copy_value(rt_query *query, rt_column_ref column, const rt_value_ref *value,
		      rt_value_ref *out)
{
	const rt_column_desc *desc = &column.model->columns[column.column];
	if (!rt__value_fits(desc, value))
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "%s.%s: a value of the wrong "
								    "kind for this column",
							   column.model->name, desc->field));
	*out = *value;
	switch (value->kind) {
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		if (value->as.s && !(out->as.s = rt__arena_strdup(query->arena, value->as.s)))
			return rt__query_fail(query, rt__error_nomem());
		if (!value->as.s)
			out->kind = 0;
		break;
	case RT_FIELD_BLOB:
		if (!value->as.bytes.data) {
			out->kind = 0;
		} else {
			void *copy = rt__arena_alloc(query->arena, value->as.bytes.len);
			if (!copy)
				return rt__query_fail(query, rt__error_nomem());
			memcpy(copy, value->as.bytes.data, value->as.bytes.len);
			out->as.bytes.data = copy;
		}
		break;
	case RT_FIELD_ENUM:
		out->enum_type = desc->enum_type;
		break;
	case RT_FIELD_ARRAY:
		/* Kept by the query, which may run again later. */
		out->element = desc->element;
		out->enum_type = desc->enum_type;
		if (rt__array_copy(&out->as.array, desc->element, value->as.array.items,
				   value->as.array.count, query->arena) < 0)
			return rt__query_fail(query, rt_error_last()->code);
		if (!out->as.array.items)
			out->kind = 0;
		break;
	default:
		break;
	}
	return RT_OK;
}

static rt_expr *expr_new(rt_query *query, rt_expr_kind kind)
{
	if (!query)
		return NULL;
	if (query->error)
		return NULL;
	rt_expr *e = rt__arena_alloc(query->arena, sizeof(*e));
	if (!e) {
		rt__query_fail(query, rt__error_nomem());
		return NULL;
	}
	e->kind = kind;
	e->source = -1;
	e->owner = query;
	return e;
}

static rt_expr *column_expr(rt_query *query, rt_expr_kind kind, rt_column_ref column,
			    const char *what)
{
	if (!query)
		return NULL;
	if (check_column(query, column, what) < 0)
		return NULL;
	rt_expr *e = expr_new(query, kind);
	if (e) {
		e->column = column;
		e->source = source_of(query, column.model);
	}
	return e;
}

/* --- conditions ------------------------------------------------------------------ */

/* Whether a like pattern ends in a `\` that escapes nothing. Backends
 * disagree about one (PostgreSQL refuses the statement, SQLite matches
 * it as a plain backslash), so the query refuses it before any SQL is
 * sent. */
static bool pattern_ends_in_escape(const char *pattern)
{
	for (const char *p = pattern; *p; p++) {
		if (*p != '\\')
			continue;
		if (!p[1])
			return true;
		p++;
	}
	return false;
}

rt_expr *rt_where_compare(rt_query *query, rt_column_ref column, rt_compare_op op,
			  rt_value_ref value)
{
	if (!query)
		return NULL;
	if (op < RT_OP_EQ || op > RT_OP_ILIKE) {
		rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_where_compare: unknown "
								"operator %d", (int)op));
		return NULL;
	}
	if (check_column(query, column, "rt_where_compare") < 0)
		return NULL;
	bool like = op == RT_OP_LIKE || op == RT_OP_ILIKE;
	if (like && (column.model->columns[column.column].kind != RT_FIELD_TEXT ||
		     value.kind != RT_FIELD_TEXT || !value.as.s)) {
		rt__query_fail(query, rt__error_set(RT_EINVAL, "%s.%s: like and ilike take a text "
								"column and a pattern",
						    column.model->name, column_name(column)));
		return NULL;
	}
	if (like && pattern_ends_in_escape(value.as.s)) {
		rt__query_fail(query, rt__error_set(RT_EINVAL, "%s.%s: the like pattern '%s' ends "
								"in an escape `\\` with nothing "
								"after it (write `\\\\` for a "
								"backslash)",
						    column.model->name, column_name(column),
						    value.as.s));
		return NULL;
	}
	rt_value_ref copy;
	if (copy_value(query, column, &value, &copy) < 0)
		return NULL;
	if (copy.kind == 0) {
		/* As SQLAlchemy does: == NULL means IS NULL, != NULL IS NOT NULL;
		 * an order against NULL is never true and surely a mistake. */
		if (op == RT_OP_EQ)
			return column_expr(query, RT_EXPR_IS_NULL, column, "rt_where_compare");
		if (op == RT_OP_NE)
			return column_expr(query, RT_EXPR_IS_NOT_NULL, column, "rt_where_compare");
		rt__query_fail(query, rt__error_set(RT_EINVAL, "%s.%s: compared with NULL by an "
								"order operator (use rt_is_null)",
						    column.model->name, column_name(column)));
		return NULL;
	}
	rt_expr *e = column_expr(query, RT_EXPR_COMPARE, column, "rt_where_compare");
	if (!e)
		return NULL;
	e->op = op;
	e->values = rt__arena_alloc(query->arena, sizeof(rt_value_ref));
	if (!e->values) {
		rt__query_fail(query, rt__error_nomem());
		return NULL;
	}
	e->values[0] = copy;
	e->count = 1;
	return e;
}

rt_expr *rt_where_is_null(rt_query *query, rt_column_ref column)
{
	return column_expr(query, RT_EXPR_IS_NULL, column, "rt_where_is_null");
}

rt_expr *rt_where_is_not_null(rt_query *query, rt_column_ref column)
{
	return column_expr(query, RT_EXPR_IS_NOT_NULL, column, "rt_where_is_not_null");
}

static rt_expr *with_values(rt_query *query, rt_expr *e, const rt_value_ref *values,
			    size_t count)
{
	if (!e)
		return NULL;
	e->values = rt__arena_alloc(query->arena, (count ? count : 1) * sizeof(rt_value_ref));
	if (!e->values) {
		rt__query_fail(query, rt__error_nomem());
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		if (values[i].kind == 0) {
			rt__query_fail(query, rt__error_set(RT_EINVAL, "%s.%s: NULL in a list of "
									"values (use rt_is_null)",
							    e->column.model->name,
							    column_name(e->column)));
			return NULL;
		}
		if (copy_value(query, e->column, &values[i], &e->values[i]) < 0)
			return NULL;
	}
	e->count = count;
	return e;
}

rt_expr *rt_where_in(rt_query *query, rt_column_ref column, const rt_value_ref *values,
		     size_t count)
{
	if (query && count && !values) {
		rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_where_in: NULL values"));
		return NULL;
	}
	rt_expr *e = column_expr(query, RT_EXPR_IN, column, "rt_where_in");
	return with_values(query, e, values, count);
}

rt_expr *rt_where_between(rt_query *query, rt_column_ref column, rt_value_ref low,
			  rt_value_ref high)
{
	rt_value_ref bounds[2] = {low, high};
	rt_expr *e = column_expr(query, RT_EXPR_BETWEEN, column, "rt_where_between");
	return with_values(query, e, bounds, 2);
}

static rt_expr *combine(rt_query *query, rt_expr_kind kind, rt_expr *left, rt_expr *right,
			const char *what)
{
	if (!query)
		return NULL;
	if (!left || (kind != RT_EXPR_NOT && !right)) {
		/* A NULL operand is a builder's failure, recorded already;
		 * record one here if the program passed NULL itself. */
		rt__query_fail(query, rt__error_set(RT_EINVAL, "%s: NULL condition", what));
		return NULL;
	}
	rt_expr *e = expr_new(query, kind);
	if (e) {
		e->left = left;
		e->right = right;
	}
	return e;
}

rt_expr *rt_where_and(rt_query *query, rt_expr *left, rt_expr *right)
{
	return combine(query, RT_EXPR_AND, left, right, "rt_where_and");
}

rt_expr *rt_where_or(rt_query *query, rt_expr *left, rt_expr *right)
{
	return combine(query, RT_EXPR_OR, left, right, "rt_where_or");
}

rt_expr *rt_where_not(rt_query *query, rt_expr *operand)
{
	return combine(query, RT_EXPR_NOT, operand, NULL, "rt_where_not");
}

/* --- the query's parts ------------------------------------------------------------ */

int rt_query_filter(rt_query *query, rt_expr *condition)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_filter: NULL query");
	if (query->error)
		return rt__query_check(query);
	if (!condition)
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_filter: NULL "
								      "condition"));
	return PUSH(query, query->filters, query->filter_count, query->filter_cap, condition);
}

int rt_query_order_by(rt_query *query, rt_column_ref column, bool descending)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_order_by: NULL query");
	int rc = check_column(query, column, "rt_query_order_by");
	if (rc < 0)
		return rc;
	rt_query_order order = {column, source_of(query, column.model), descending};
	return PUSH(query, query->orders, query->order_count, query->order_cap, order);
}

int rt_query_limit(rt_query *query, int64_t limit)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_limit: NULL query");
	if (limit < 0)
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_limit: negative "
								     "limit %lld", (long long)limit));
	query->limit = limit;
	return RT_OK;
}

int rt_query_offset(rt_query *query, int64_t offset)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_offset: NULL query");
	if (offset < 0)
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_offset: negative "
								      "offset %lld", (long long)offset));
	query->offset = offset;
	return RT_OK;
}

/* The relationship `name` of model, recorded as the query's error when
 * there is none. */
static const rt_relationship_desc *relationship(rt_query *query, const rt_model_desc *model,
						const char *name, const char *what, int *index)
{
	if (!model || !name) {
		rt__query_fail(query, rt__error_set(RT_EINVAL, "%s: NULL %s", what,
						    model ? "relationship name" : "model"));
		return NULL;
	}
	const rt_relationship_desc *rel = rt__relationship_find(model, name, index);
	if (!rel)
		rt__query_fail(query, RT_EINVAL);
	return rel;
}

int rt_query_join(rt_query *query, const rt_model_desc *from, const char *name)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_join: NULL query");
	int index;
	const rt_relationship_desc *rel = relationship(query, from, name, "rt_query_join", &index);
	if (!rel)
		return query->error;
	int parent = source_of(query, from);
	if (parent < 0)
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_join: %s is not in "
								     "the query (query %s, join it "
								     "first)", from->name,
							    query->model->name));
	rt_query_source source = {rel->target, parent, rel, NULL, false};
	return PUSH(query, query->sources, query->source_count, query->source_cap, source);
}

/* Does node (or the query's results, -1) already load relationship index? */
static bool has_eager(const rt_query *query, int node, int index)
{
	for (size_t i = 0; i < query->eager_count; i++)
		if (query->eager[i].parent == node && query->eager[i].relationship == index)
			return true;
	return false;
}

int rt_query_eager(rt_query *query, const rt_model_desc *from, const char *name)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_eager: NULL query");
	int index;
	const rt_relationship_desc *rel = relationship(query, from, name, "rt_query_eager", &index);
	if (!rel)
		return query->error;
	/* `from` is the query's model or one an earlier option reached; the
	 * first of these that does not load this relationship yet, so that
	 * (Category, children) twice loads two levels. */
	int parent = -2;
	if (from == query->model && !has_eager(query, -1, index))
		parent = -1;
	for (size_t i = 0; parent == -2 && i < query->eager_count; i++)
		if (query->eager[i].model == from && !has_eager(query, (int)i, index))
			parent = (int)i;
	if (parent == -2) {
		bool known = from == query->model;
		for (size_t i = 0; i < query->eager_count; i++)
			known = known || query->eager[i].model == from;
		if (known)
			return RT_OK; /* asked twice: loaded once */
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_eager: %s is neither "
								      "the query's model (%s) nor "
								      "reached by an earlier eager "
								      "option", from->name,
							    query->model->name));
	}
	bool to_one = rel->kind == RT_RELATIONSHIP_MANY_TO_ONE ||
		      rel->kind == RT_RELATIONSHIP_ONE_TO_ONE;
	rt_eager_node node = {rel->target, parent, index,
			      to_one && (parent < 0 || query->eager[parent].joined), 0};
	return PUSH(query, query->eager, query->eager_count, query->eager_cap, node);
}

int rt_query_group_by(rt_query *query, rt_column_ref column)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_group_by: NULL query");
	int rc = check_column(query, column, "rt_query_group_by");
	if (rc < 0)
		return rc;
	rt_query_order group = {column, source_of(query, column.model), false};
	return PUSH(query, query->group_by, query->group_count, query->group_cap, group);
}

int rt_query_aggregate(rt_query *query, rt_aggregate function, rt_column_ref column)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_aggregate: NULL query");
	if (function < RT_AGGREGATE_COUNT || function > RT_AGGREGATE_COUNT_DISTINCT)
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_aggregate: unknown "
								     "function %d", (int)function));
	rt_query_agg aggregate = {function, column, -1};
	if (column.model) {
		int rc = check_column(query, column, "rt_query_aggregate");
		if (rc < 0)
			return rc;
		aggregate.source = source_of(query, column.model);
	} else if (function != RT_AGGREGATE_COUNT) {
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_aggregate: only "
								     "COUNT takes no column"));
	}
	return PUSH(query, query->aggregates, query->aggregate_count, query->aggregate_cap,
		    aggregate);
}

int rt__query_source_of(const rt_query *query, const rt_model_desc *model)
{
	return source_of(query, model);
}
