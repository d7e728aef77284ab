/*
 * query_compile.h - the SQL compiler of queries, shared by query_sql.c
 * (the SELECT of one query) and query_sub_sql.c (the parts that nest a
 * query in another: EXISTS, IN (SELECT ...), UNION, explicit join
 * conditions).
 *
 * A nested query is compiled by a compiler of its own whose `outer` is the
 * enclosing one: its sources get aliases of their own (t0, t1, ... at the
 * top, t1_0, t1_1, ... one level down), so that a condition of the inner
 * query may name a column of an outer one (a correlated subquery), and
 * its values go to the parameters of the top query, in the order of the
 * text.
 */
#ifndef RT_ORM_QUERY_COMPILE_H
#define RT_ORM_QUERY_COMPILE_H

#include "orm/query.h"

typedef struct rt_sql_compiler {
	rt_query *query;                  /* the query of this level */
	const rt_dialect *dialect;
	rt_buf *sql;
	rt_query *root;                   /* the query whose params are bound */
	const struct rt_sql_compiler *outer; /* the enclosing level, or NULL */
	int level;                        /* 0 at the top */
	/* An UPDATE or DELETE without joins: the query's own columns are
	 * named bare ("karma"), as the statement gives its table no alias
	 * (not every backend takes one there). */
	bool bare;
} rt_sql_compiler;

/* Appends the alias of source i of the compiler's level: t<i>, or
 * t<level>_<i> in a nested query. */
void rt__sql_source_alias(const rt_sql_compiler *c, int source, char *out, size_t size);
/* Appends the column of a condition built with query owner: in the
 * level compiling owner (source >= 0), or else in the innermost level
 * that has the column's model. */
int rt__sql_put_column(const rt_sql_compiler *c, const rt_query *owner, int source,
		       rt_column_ref column);
/* Appends a condition. */
int rt__sql_put_expr(rt_sql_compiler *c, const rt_expr *e);
/* Appends FROM, the joins and WHERE of the compiler's query. */
int rt__sql_put_from_where(rt_sql_compiler *c);
/* " = ", " < ", ... for RT_OP_EQ .. RT_OP_GE. */
const char *rt__sql_operator(rt_compare_op op);

/* --- query_sub_sql.c ---------------------------------------------------------- */

/* The conditions query_sub.c builds: columns compared, EXISTS and IN over
 * a subquery. */
int rt__sql_put_sub_expr(rt_sql_compiler *c, const rt_expr *e);
/* " UNION SELECT <key> FROM ..." for each query united with c's. */
int rt__sql_put_unions(rt_sql_compiler *c);

#endif
