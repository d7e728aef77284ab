/*
 * query_sub.c - building the richer parts of a query: columns compared
 * with columns, EXISTS and IN over another query (rt_where_has along a
 * relationship, the "authors with no books" of SQLAlchemy's any()/has()),
 * aliases of a model and joins on an explicit condition or LEFT OUTER
 * ones, DISTINCT, HAVING and UNION. query_sub_sql.c and query_sql.c turn
 * them into SQL.
 *
 * A query used inside another (a subquery, a query united with it) is
 * owned by it from then on and freed with it, so that a condition can be
 * built in one expression; its conditions may name the enclosing query's
 * columns (a correlated subquery).
 */
#include <string.h>

#include "base/error.h"
#include "orm/query.h"

static int fail(rt_query *query, int err)
{
	return rt__query_fail(query, err);
}

static int check_column(rt_query *query, rt_column_ref column, const char *what)
{
	if (!column.model || column.column < 0 || column.column >= column.model->column_count)
		return fail(query, rt__error_set(RT_EINVAL, "%s: not a column of a model (or of "
							    "this alias)", what));
	return RT_OK;
}

/* Takes sub (a query of query's session) into query's keeping; sub is
 * freed with query from now on, also when this fails. */
static int own(rt_query *query, rt_query *sub, const char *what)
{
	if (!sub)
		return fail(query, rt__error_set(RT_EINVAL, "%s: NULL query", what));
	if (sub == query)
		return fail(query, rt__error_set(RT_EINVAL, "%s: a query inside itself", what));
	for (size_t i = 0; i < query->owned_count; i++)
		if (query->owned[i] == sub)
			return fail(query, rt__error_set(RT_EINVAL, "%s: the query is used "
								    "twice", what));
	if (RT_ARENA_PUSH(query->arena, query->owned, query->owned_count, query->owned_cap,
			  sub) < 0) {
		rt_query_free(sub);
		return fail(query, rt__error_nomem());
	}
	if (sub->session != query->session)
		return fail(query, rt__error_set(RT_EINVAL, "%s: a query of another session",
						 what));
	if (sub->error)
		return fail(query, rt__query_check(sub));
	return RT_OK;
}

void rt__query_free_owned(rt_query *query)
{
	for (size_t i = 0; i < query->owned_count; i++)
		rt_query_free(query->owned[i]);
	query->owned_count = 0;
}

static rt_expr *expr_new(rt_query *query, rt_expr_kind kind)
{
	rt_expr *e = rt__arena_alloc(query->arena, sizeof(*e));
	if (!e) {
		fail(query, rt__error_nomem());
		return NULL;
	}
	e->kind = kind;
	e->owner = query;
	e->source = -1;
	e->other_source = -1;
	return e;
}

/* --- columns compared with columns ------------------------------------------------- */

/* Kinds a comparison may mix: the integer widths, the two floats. */
static int kind_family(rt_field_kind kind)
{
	switch (kind) {
	case RT_FIELD_INT16:
	case RT_FIELD_INT32:
	case RT_FIELD_INT64: return RT_FIELD_INT64;
	case RT_FIELD_FLOAT:
	case RT_FIELD_DOUBLE: return RT_FIELD_DOUBLE;
	default: return (int)kind;
	}
}

static bool comparable(const rt_column_desc *a, const rt_column_desc *b)
{
	if (kind_family(a->kind) != kind_family(b->kind))
		return false;
	if (a->kind == RT_FIELD_ENUM)
		return a->enum_type == b->enum_type;
	return a->kind != RT_FIELD_ARRAY || a->element == b->element;
}

rt_expr *rt_where_compare_columns(rt_query *query, rt_column_ref left, rt_compare_op op,
				  rt_column_ref right)
{
	if (!query || query->error)
		return NULL;
	if (op < RT_OP_EQ || op > RT_OP_GE) {
		fail(query, rt__error_set(RT_EINVAL, "rt_where_compare_columns: operator %d "
						     "does not compare columns", (int)op));
		return NULL;
	}
	if (check_column(query, left, "rt_where_compare_columns") < 0 ||
	    check_column(query, right, "rt_where_compare_columns") < 0)
		return NULL;
	const rt_column_desc *a = &left.model->columns[left.column];
	const rt_column_desc *b = &right.model->columns[right.column];
	if (!comparable(a, b)) {
		fail(query, rt__error_set(RT_EINVAL, "%s.%s and %s.%s: columns of different kinds "
						     "compared", left.model->name, a->field,
					  right.model->name, b->field));
		return NULL;
	}
	rt_expr *e = expr_new(query, RT_EXPR_COLUMNS);
	if (!e)
		return NULL;
	e->op = op;
	e->column = left;
	e->source = rt__query_source_of(query, left.model);
	e->other = right;
	e->other_source = rt__query_source_of(query, right.model);
	e->other_owner = query;
	return e;
}

/* --- subqueries ----------------------------------------------------------------------- */

static rt_expr *exists_expr(rt_query *query, rt_query *sub)
{
	rt_expr *e = expr_new(query, RT_EXPR_EXISTS);
	if (e)
		e->sub = sub;
	return e;
}

rt_expr *rt_where_exists(rt_query *query, rt_query *sub)
{
	if (!query) {
		rt_query_free(sub);
		return NULL;
	}
	if (own(query, sub, "rt_where_exists") < 0 || query->error)
		return NULL;
	return exists_expr(query, sub);
}

rt_expr *rt_where_in_query(rt_query *query, rt_column_ref column, rt_query *sub,
			   rt_column_ref sub_column)
{
	if (!query) {
		rt_query_free(sub);
		return NULL;
	}
	if (own(query, sub, "rt_where_in_query") < 0 || query->error)
		return NULL;
	rt_expr *e = rt_where_compare_columns(query, column, RT_OP_EQ, sub_column);
	if (!e)
		return NULL;
	e->kind = RT_EXPR_IN_QUERY;
	e->sub = sub;
	e->other_source = rt__query_source_of(sub, sub_column.model);
	e->other_owner = sub;
	if (e->other_source < 0) {
		fail(query, rt__error_set(RT_EINVAL, "rt_where_in_query: %s is not in the "
						     "subquery (of %s)", sub_column.model->name,
					  sub->model->name));
		return NULL;
	}
	return e;
}

/* Makes the columns of model in condition e name source `source` of sub:
 * the related rows of rt_where_has. */
static void retarget(rt_expr *e, const rt_model_desc *model, const rt_query *sub, int source)
{
	if (!e)
		return;
	if (e->column.model == model) {
		e->owner = sub;
		e->source = source;
	}
	if (e->kind == RT_EXPR_COLUMNS && e->other.model == model) {
		e->other_owner = sub;
		e->other_source = source;
	}
	retarget(e->left, model, sub, source);
	retarget(e->right, model, sub, source);
}

rt_expr *rt_where_has(rt_query *query, const rt_model_desc *from, const char *name,
		      rt_expr *condition)
{
	if (!query || query->error)
		return NULL;
	int index;
	const rt_relationship_desc *rel = from && name ? rt__relationship_find(from, name, &index)
						       : NULL;
	if (!rel) {
		if (!from || !name)
			rt__error_set(RT_EINVAL, "rt_where_has: NULL %s", from ? "name" : "model");
		fail(query, rt_error_last()->code);
		return NULL;
	}
	int source = rt__query_source_of(query, from);
	if (source < 0) {
		fail(query, rt__error_set(RT_EINVAL, "rt_where_has: %s is not in the query (of %s)",
					  from->name, query->model->name));
		return NULL;
	}
	/* EXISTS (SELECT 1 FROM <from> AS a JOIN <related> ... WHERE a.key =
	 * outer.key AND condition): the relationship's own join, from a
	 * copy of the outer row's table, so that every kind (many-to-many
	 * through its table too) is joined as rt_query_join joins it. */
	const rt_model_desc *alias = NULL;
	rt_query *sub = NULL;
	int rc = rt_query_alias(&alias, query, from);
	if (rc == RT_OK)
		rc = rt_query_new(&sub, query->session, alias);
	if (rc == RT_OK)
		rc = own(query, sub, "rt_where_has");
	if (rc == RT_OK)
		rc = rt_query_join(sub, alias, name);
	for (int k = 0; rc == RT_OK && k < from->primary_key_count; k++) {
		rt_column_ref inner = {alias, from->primary_key[k]};
		rt_column_ref outer = {from, from->primary_key[k]};
		rt_expr *e = rt_where_compare_columns(sub, inner, RT_OP_EQ, outer);
		if (e) {
			e->other_owner = query;
			e->other_source = source;
		}
		rc = rt_query_filter(sub, e);
	}
	if (rc == RT_OK && condition) {
		retarget(condition, rel->target, sub, 1);
		rc = rt_query_filter(sub, condition);
	}
	if (rc < 0) {
		fail(query, rc);
		return NULL;
	}
	return exists_expr(query, sub);
}

/* --- aliases and joins ------------------------------------------------------------------ */

int rt_query_alias(const rt_model_desc **out, rt_query *query, const rt_model_desc *model)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_query_alias: out is NULL");
	*out = NULL;
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_alias: NULL query");
	if (query->error)
		return rt__query_check(query);
	if (!model || model->version != RT_MODEL_DESC_VERSION)
		return fail(query, rt__error_set(RT_EINVAL, "rt_query_alias: NULL or unknown model"));
	/* A copy of the description: the same table and columns under
	 * another identity, so that its columns name its own source. */
	rt_model_desc *alias = rt__arena_alloc(query->arena, sizeof(*alias));
	if (!alias)
		return fail(query, rt__error_nomem());
	*alias = *model;
	*out = alias;
	return RT_OK;
}

rt_column_ref rt_alias_column(const rt_model_desc *alias, rt_column_ref column)
{
	rt_column_ref ref = {NULL, column.column};
	/* An alias shares its model's columns; a column of another model
	 * gives a NULL model, which the builder then reports. */
	if (alias && column.model && alias->columns == column.model->columns)
		ref.model = alias;
	return ref;
}

int rt_query_join_on(rt_query *query, const rt_model_desc *target, rt_expr *on, bool outer)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_join_on: NULL query");
	if (query->error)
		return rt__query_check(query);
	if (!target || !on)
		return fail(query, rt__error_set(RT_EINVAL, "rt_query_join_on: NULL %s",
						 target ? "condition" : "model"));
	rt_query_source source = {target, 0, NULL, on, outer};
	if (RT_ARENA_PUSH(query->arena, query->sources, query->source_count, query->source_cap,
			  source) < 0)
		return fail(query, rt__error_nomem());
	return RT_OK;
}

int rt_query_outerjoin(rt_query *query, const rt_model_desc *from, const char *name)
{
	int rc = rt_query_join(query, from, name);
	if (rc == RT_OK)
		query->sources[query->source_count - 1].outer = true;
	return rc;
}

/* --- DISTINCT, HAVING, UNION ---------------------------------------------------------- */

int rt_query_distinct(rt_query *query)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_distinct: NULL query");
	query->distinct = true;
	return rt__query_check(query);
}

int rt_query_having(rt_query *query, rt_aggregate function, rt_column_ref column,
		    rt_compare_op op, rt_value_ref value)
{
	if (!query)
		return rt__error_set(RT_EINVAL, "rt_query_having: NULL query");
	if (query->error)
		return rt__query_check(query);
	if (function < RT_AGGREGATE_COUNT || function > RT_AGGREGATE_COUNT_DISTINCT || op < RT_OP_EQ ||
	    op > RT_OP_GE)
		return fail(query, rt__error_set(RT_EINVAL, "rt_query_having: unknown function "
							    "or operator"));
	rt_query_having_cond having = {{function, column, -1}, op, value};
	if (column.model) {
		int rc = check_column(query, column, "rt_query_having");
		if (rc < 0)
			return rc;
		having.aggregate.source = rt__query_source_of(query, column.model);
	} else if (function != RT_AGGREGATE_COUNT) {
		return fail(query, rt__error_set(RT_EINVAL, "rt_query_having: only COUNT takes "
							    "no column"));
	}
	/* An aggregate is a number. Decimal text is not taken: SQLite
	 * would compare it with the number as text (always greater). */
	if (value.kind != RT_FIELD_INT64 && value.kind != RT_FIELD_DOUBLE)
		return fail(query, rt__error_set(RT_EINVAL, "rt_query_having: compare the "
							    "aggregate with rt_int or rt_double"));
	if (RT_ARENA_PUSH(query->arena, query->having, query->having_count, query->having_cap,
			  having) < 0)
		return fail(query, rt__error_nomem());
	return RT_OK;
}

int rt_query_union(rt_query *query, rt_query *other)
{
	if (!query) {
		rt_query_free(other);
		return rt__error_set(RT_EINVAL, "rt_query_union: NULL query");
	}
	int rc = own(query, other, "rt_query_union");
	if (rc < 0)
		return rc;
	if (other->model != query->model)
		return fail(query, rt__error_set(RT_EINVAL, "rt_query_union: a query of %s united "
							    "with one of %s", other->model->name,
						 query->model->name));
	if (RT_ARENA_PUSH(query->arena, query->unions, query->union_count, query->union_cap,
			  other) < 0)
		return fail(query, rt__error_nomem());
	return RT_OK;
}
