/*
 * query_keyset.c - keyset pagination (rt_query_after): the next page is
 * the rows after the last one of the previous page in the query's ORDER
 * BY, not the rows after an OFFSET, so each page costs the same however
 * deep it is and rows inserted or deleted meanwhile shift nothing.
 *
 * For ORDER BY a, b, id the condition is
 *     a >= ? AND (a > ? OR (a = ? AND (b > ? OR (b = ? AND id > ?))))
 * (<= and < for a descending column): the leading a >= ? is redundant
 * but lets an index on the order columns start at the right row. The
 * order must include the model's whole primary key, so no two rows tie,
 * and its columns must be NOT NULL: NULLs sort differently on each
 * backend, and compare as neither greater nor smaller.
 *
 * The condition is an ordinary filter, built with the where builders;
 * the query keeps one (a later call replaces it), so the same query runs
 * page after page.
 */
#include "base/error.h"
#include "orm/query.h"

/* Are the order columns usable as a key: the query's own, NOT NULL,
 * holding the whole primary key? */
static int check_order(rt_query *query, size_t count)
{
	const rt_model_desc *model = query->model;
	if (query->order_count == 0)
		return rt__error_set(RT_EINVAL, "rt_query_after: the query of %s has no order by "
						"(call rt_query_order_by first)", model->name);
	if (count != query->order_count)
		return rt__error_set(RT_EINVAL, "rt_query_after: %zu values for %zu order-by "
						"columns", count, query->order_count);
	for (size_t i = 0; i < query->order_count; i++) {
		const rt_query_order *o = &query->orders[i];
		if (o->column.model != model || o->source > 0)
			return rt__error_set(RT_EINVAL, "rt_query_after: order by %s.%s is not a "
							"column of the query's %s",
					     o->column.model->name,
					     o->column.model->columns[o->column.column].field,
					     model->name);
		if (model->columns[o->column.column].flags & RT_COLUMN_NULLABLE)
			return rt__error_set(RT_EINVAL, "rt_query_after: order by %s.%s, which may "
							"be NULL (keyset pages need NOT NULL "
							"columns)", model->name,
					     model->columns[o->column.column].field);
	}
	for (int k = 0; k < model->primary_key_count; k++) {
		bool found = false;
		for (size_t i = 0; i < query->order_count && !found; i++)
			found = query->orders[i].column.column == model->primary_key[k];
		if (!found)
			return rt__error_set(RT_EINVAL, "rt_query_after: the order by does not hold "
							"%s.%s of the primary key, so rows could "
							"tie (order by the key last)", model->name,
					     model->columns[model->primary_key[k]].field);
	}
	return RT_OK;
}

static rt_expr *compare(rt_query *query, size_t i, rt_compare_op op, rt_value_ref value)
{
	const rt_query_order *o = &query->orders[i];
	rt_expr *e = rt_where_compare(query, o->column, op, value);
	if (e)
		e->source = 0;
	return e;
}

/* The rows after values in orders i.. (the nested OR of the top comment). */
static rt_expr *after_from(rt_query *query, size_t i, const rt_value_ref *values)
{
	bool descending = query->orders[i].descending;
	rt_expr *beyond = compare(query, i, descending ? RT_OP_LT : RT_OP_GT, values[i]);
	if (i + 1 == query->order_count)
		return beyond;
	rt_expr *tie = rt_where_and(query, compare(query, i, RT_OP_EQ, values[i]),
				    after_from(query, i + 1, values));
	return rt_where_or(query, beyond, tie);
}

int rt_query_after(rt_query *query, const rt_value_ref *values, size_t count)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_after: NULL query");
	int rc = rt__query_check(query);
	if (rc < 0)
		return rc;
	if (!values)
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_after: NULL values"));
	rc = check_order(query, count);
	if (rc < 0)
		return rt__query_fail(query, rc);
	for (size_t i = 0; i < count; i++)
		if (values[i].kind == 0)
			return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_after: value "
									      "%zu is NULL", i + 1));
	rt_expr *condition = after_from(query, 0, values);
	if (count > 1) {
		bool descending = query->orders[0].descending;
		condition = rt_where_and(query, compare(query, 0, descending ? RT_OP_LE : RT_OP_GE,
							values[0]),
					 condition);
	}
	if (!condition)
		return rt__query_check(query);
	if (query->after_slot) {
		query->filters[query->after_slot - 1] = condition;
		return RT_OK;
	}
	rc = rt_query_filter(query, condition);
	if (rc == RT_OK)
		query->after_slot = query->filter_count;
	return rc;
}

int rt_query_after_object(rt_query *query, const void *object)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_after_object: NULL query");
	rt_object *header = rt__object_header(object);
	if (!header)
		return rt__query_fail(query, RT_EINVAL);
	/* An object of a subclass (a polymorphic query's row) holds the
	 * queried model's fields where the model's own objects do. */
	if (!rt__model_is_a(header->model, query->model))
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_after_object: a "
									"%s, not a %s",
							   header->model->name,
							   query->model->name));
	rt_value_ref values[16] = {{0}};
	if (query->order_count > sizeof(values) / sizeof(values[0]))
		return rt__query_fail(query, rt__error_set(RT_EINVAL, "rt_query_after_object: "
									"more than 16 order-by "
									"columns"));
	for (size_t i = 0; i < query->order_count; i++) {
		const rt_query_order *o = &query->orders[i];
		if (o->column.model != query->model)
			return rt_query_after(query, values, query->order_count); /* refuses */
		values[i] = rt__field_value(&query->model->columns[o->column.column], object);
	}
	return rt_query_after(query, values, query->order_count);
}
