/*
 * query_sub_sql.c - the SQL of the conditions that nest a query in
 * another or compare two columns (query_sub.c builds them):
 *
 *   t0."a" < t1."b"                                      columns compared
 *   EXISTS (SELECT 1 FROM "books" AS t1_0 WHERE ...)     rt_where_exists
 *   t0."id" IN (SELECT t1_0."author_id" FROM ... )       rt_where_in_query
 *   ... UNION SELECT t1_0."id" FROM ... WHERE ...        rt_query_union
 *
 * A subquery is compiled one level down (query_compile.h): its sources
 * have aliases of their own, so its conditions can name the enclosing
 * query's columns, and its values join the top query's parameters in the
 * order of the text. Its order, limit and eager options do not apply
 * there: a limit is refused, as MariaDB refuses one in IN (SELECT ...).
 */
#include <stdio.h>

#include "base/error.h"
#include "orm/query_compile.h"

/* The compiler of sub, one level below c. */
static int nested(rt_sql_compiler *inner, const rt_sql_compiler *c, rt_query *sub)
{
	int rc = rt__query_check(sub);
	if (rc < 0)
		return rc;
	if (sub->limit >= 0 || sub->offset > 0)
		return rt__error_set(RT_EINVAL, "a query of %s used inside another has a limit "
						"or offset (not every backend takes one there)",
				     sub->model->name);
	*inner = (rt_sql_compiler){sub, c->dialect, c->sql, c->root, c, c->level + 1, false};
	return RT_OK;
}

int rt__sql_put_sub_expr(rt_sql_compiler *c, const rt_expr *e)
{
	rt_sql_compiler inner;
	int rc = e->kind == RT_EXPR_EXISTS ? RT_OK
					   : rt__sql_put_column(c, e->owner, e->source, e->column);
	switch (e->kind) {
	case RT_EXPR_COLUMNS:
		rt__buf_puts(c->sql, rt__sql_operator(e->op));
		return rc < 0 ? rc : rt__sql_put_column(c, e->other_owner, e->other_source,
							e->other);
	case RT_EXPR_IN_QUERY:
		if (rc == RT_OK)
			rc = nested(&inner, c, e->sub);
		if (rc < 0)
			return rc;
		rt__buf_puts(c->sql, " IN (SELECT ");
		rc = rt__sql_put_column(&inner, e->sub, e->other_source, e->other);
		if (rc == RT_OK)
			rc = rt__sql_put_from_where(&inner);
		rt__buf_putc(c->sql, ')');
		return rc;
	case RT_EXPR_EXISTS:
		rc = nested(&inner, c, e->sub);
		if (rc < 0)
			return rc;
		rt__buf_puts(c->sql, "EXISTS (SELECT 1");
		rc = rt__sql_put_from_where(&inner);
		rt__buf_putc(c->sql, ')');
		return rc;
	default:
		return rt__error_set(RT_EINVAL, "unknown condition kind %d", (int)e->kind);
	}
}

int rt__sql_put_unions(rt_sql_compiler *c)
{
	const rt_query *q = c->query;
	for (size_t u = 0; u < q->union_count; u++) {
		rt_sql_compiler inner;
		int rc = nested(&inner, c, q->unions[u]);
		if (rc < 0)
			return rc;
		char alias[24];
		rt__sql_source_alias(&inner, 0, alias, sizeof(alias));
		rt__buf_puts(c->sql, " UNION SELECT ");
		for (int k = 0; k < q->model->primary_key_count; k++) {
			if (k)
				rt__buf_puts(c->sql, ", ");
			rt__sql_column(c->sql, c->dialect, alias, q->model, q->model->primary_key[k]);
		}
		rc = rt__sql_put_from_where(&inner);
		if (rc == RT_OK)
			rc = rt__sql_put_unions(&inner);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}
