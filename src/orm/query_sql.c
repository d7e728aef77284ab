/*
 * query_sql.c - compiling a query into one SELECT with `?` parameters.
 *
 *   SELECT t0.<columns> [, e0.<columns> ...]       the model, joined eager
 *   FROM "authors" AS t0                            to-one targets
 *   [JOIN "books" AS t1 ON t1."author_id" = t0."id" ...]     rt_query_join
 *   [LEFT JOIN "bios" AS e0 ON e0."author_id" = t0."id" ...] rt_query_eager
 *   [WHERE ...] [ORDER BY ...] [LIMIT ? [OFFSET ?]]
 *
 * A join along a to-many relationship would repeat the query's objects
 * once per matching row; such a query selects its objects by key instead,
 *   WHERE (t0."id") IN (SELECT t0."id" FROM ... JOIN ... WHERE ...)
 * so every object comes once and LIMIT counts objects. Aggregate queries
 * (RT_SELECT_ROWS) join plainly: counting books per author needs the rows.
 *
 * A query inside another (EXISTS, IN (SELECT ...), UNION: query_sub_sql.c)
 * is compiled one level down, its sources aliased t1_0, t1_1, ... so that
 * its conditions may name the outer query's t0 (query_compile.h).
 *
 * Set-based writes (query_write.c) compile here too, from the same WHERE:
 *   UPDATE "authors" SET "karma" = "karma" + ? WHERE "karma" > ?
 *   DELETE FROM "authors" WHERE ("id") IN (SELECT t0."id" ... joins ...)
 *
 * Identifiers are quoted by the dialect and every value is a parameter;
 * LIKE is rendered by the dialect's hook, so that it is case-sensitive on
 * every backend.
 */
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "orm/query_compile.h"
#include "orm/joined.h"

void rt__sql_alias(char *out, size_t size, char prefix, int index)
{
	snprintf(out, size, "%c%d", prefix, index);
}

void rt__sql_table(rt_buf *sql, const rt_dialect *d, const char *schema, const char *table)
{
	if (schema) {
		d->quote_ident(sql, schema);
		rt__buf_putc(sql, '.');
	}
	d->quote_ident(sql, table);
}

void rt__sql_column(rt_buf *sql, const rt_dialect *dialect, const char *alias,
		    const rt_model_desc *model, int column)
{
	rt__buf_puts(sql, alias);
	rt__buf_putc(sql, '.');
	dialect->quote_ident(sql, model->columns[column].name);
}

typedef rt_sql_compiler compiler;

void rt__sql_source_alias(const compiler *c, int source, char *out, size_t size)
{
	if (c->level == 0)
		rt__sql_alias(out, size, 't', source);
	else
		snprintf(out, size, "t%d_%d", c->level, source);
}

/* Takes value as the next parameter, without writing its `?`. */
static int push_param(compiler *c, rt_value_ref value, const rt_column_desc *column)
{
	rt_query *q = c->root;
	if (rt__arena_reserve(q->arena, (void **)&q->params, &q->param_cap, q->param_count + 1,
			      sizeof(*q->params)) < 0)
		return rt__error_nomem();
	q->params[q->param_count].value = value;
	q->params[q->param_count].column = column;
	q->param_count++;
	return RT_OK;
}

static int add_param(compiler *c, rt_value_ref value, const rt_column_desc *column)
{
	rt__buf_putc(c->sql, '?');
	return push_param(c, value, column);
}

/* The source a column of an expression, order or group belongs to. */
static int resolve(const compiler *c, int source, rt_column_ref column)
{
	if (source >= 0)
		return source;
	const rt_query *q = c->query;
	for (size_t i = q->source_count; i-- > 0;)
		if (q->sources[i].model == column.model)
			return (int)i;
	return rt__error_set(RT_EINVAL, "%s.%s: %s is not in the query of %s (join it first)",
			     column.model->name, column.model->columns[column.column].field,
			     column.model->name, q->model->name);
}

/* The level of a nested query whose sources a column names: the one
 * compiling owner when the column's source is known, else the innermost
 * one with the column's model (a correlated subquery names outer
 * columns); NULL when none has it. */
static const compiler *level_of(const compiler *c, const rt_query *owner, int *source,
				rt_column_ref column)
{
	if (*source >= 0) {
		for (const compiler *l = c; l; l = l->outer)
			if (l->query == owner)
				return l;
		*source = -1; /* built with a query compiled elsewhere */
	}
	for (const compiler *l = c; l; l = l->outer)
		for (size_t i = l->query->source_count; i-- > 0;)
			if (l->query->sources[i].model == column.model) {
				*source = (int)i;
				return l;
			}
	return NULL;
}

int rt__sql_put_column(const compiler *c, const rt_query *owner, int source,
		       rt_column_ref column)
{
	const compiler *level = c;
	if (c->outer || owner != c->query)
		level = level_of(c, owner, &source, column);
	if (!level)
		return resolve(c, -1, column); /* the error */
	source = resolve(level, source, column);
	if (source < 0)
		return source;
	if (level->bare && level == c && source == 0) {
		c->dialect->quote_ident(c->sql, column.model->columns[column.column].name);
		return RT_OK;
	}
	char alias[24];
	rt__sql_source_alias(level, source, alias, sizeof(alias));
	rt__sql_column(c->sql, c->dialect, alias, column.model, column.column);
	return RT_OK;
}

static int put_column(compiler *c, int source, rt_column_ref column)
{
	return rt__sql_put_column(c, c->query, source, column);
}

/* A column of condition e. */
static int put_expr_column(compiler *c, const rt_expr *e)
{
	return rt__sql_put_column(c, e->owner ? e->owner : c->query, e->source, e->column);
}

/* --- conditions -------------------------------------------------------------------- */

static const char *operator_sql(rt_compare_op op)
{
	switch (op) {
	case RT_OP_EQ: return " = ";
	case RT_OP_NE: return " <> ";
	case RT_OP_LT: return " < ";
	case RT_OP_LE: return " <= ";
	case RT_OP_GT: return " > ";
	case RT_OP_GE: return " >= ";
	default: return NULL;
	}
}

/* LIKE and ILIKE: the dialect's hook renders them (with their `?`) and
 * may rewrite the pattern, so that `%`, `_` and `\` mean the same and
 * LIKE is case-sensitive on every backend; the words are the backend's
 * (ILIKE is PostgreSQL's), so there is no rendering of its own here. */
static int put_like(compiler *c, const rt_expr *e)
{
	const rt_column_desc *column = &e->column.model->columns[e->column.column];
	bool insensitive = e->op == RT_OP_ILIKE;
	const char *bound = e->values[0].as.s;
	if (!c->dialect->render_like)
		return rt__error_set(RT_EINVAL, "the %s dialect has no render_like hook",
				     c->dialect->name);
	rt_buf operand = RT_BUF_INIT, pattern = RT_BUF_INIT;
	rt_buf *saved = c->sql;
	c->sql = &operand;
	int rc = put_expr_column(c, e);
	c->sql = saved;
	if (rc == RT_OK) {
		c->dialect->render_like(c->sql, &pattern, rt__buf_cstr(&operand), bound,
					insensitive);
		bound = rt__buf_failed(&operand) || rt__buf_failed(&pattern)
				? NULL
				: rt__arena_strdup(c->query->arena, rt__buf_cstr(&pattern));
		rc = bound ? push_param(c, rt_text(bound), column) : rt__error_nomem();
	}
	rt__buf_free(&operand);
	rt__buf_free(&pattern);
	return rc;
}

static int put_expr(compiler *c, const rt_expr *e)
{
	rt_buf *sql = c->sql;
	int rc = RT_OK;
	const rt_column_desc *column =
		e->column.model ? &e->column.model->columns[e->column.column] : NULL;
	switch (e->kind) {
	case RT_EXPR_COMPARE:
		if (e->op == RT_OP_LIKE || e->op == RT_OP_ILIKE)
			return put_like(c, e);
		rc = put_expr_column(c, e);
		rt__buf_puts(sql, operator_sql(e->op));
		return rc < 0 ? rc : add_param(c, e->values[0], column);
	case RT_EXPR_IS_NULL:
	case RT_EXPR_IS_NOT_NULL:
		rc = put_expr_column(c, e);
		rt__buf_puts(sql, e->kind == RT_EXPR_IS_NULL ? " IS NULL" : " IS NOT NULL");
		return rc;
	case RT_EXPR_IN:
		if (e->count == 0) {
			/* Nothing is in an empty list; "IN ()" is not SQL. */
			rt__buf_puts(sql, "1 = 0");
			return RT_OK;
		}
		rc = put_expr_column(c, e);
		rt__buf_puts(sql, " IN (");
		for (size_t i = 0; i < e->count && rc == RT_OK; i++) {
			if (i)
				rt__buf_puts(sql, ", ");
			rc = add_param(c, e->values[i], column);
		}
		rt__buf_putc(sql, ')');
		return rc;
	case RT_EXPR_BETWEEN:
		rc = put_expr_column(c, e);
		rt__buf_puts(sql, " BETWEEN ");
		if (rc == RT_OK)
			rc = add_param(c, e->values[0], column);
		rt__buf_puts(sql, " AND ");
		return rc < 0 ? rc : add_param(c, e->values[1], column);
	case RT_EXPR_AND:
	case RT_EXPR_OR:
		rt__buf_putc(sql, '(');
		rc = put_expr(c, e->left);
		rt__buf_puts(sql, e->kind == RT_EXPR_AND ? " AND " : " OR ");
		if (rc == RT_OK)
			rc = put_expr(c, e->right);
		rt__buf_putc(sql, ')');
		return rc;
	case RT_EXPR_NOT:
		rt__buf_puts(sql, "NOT (");
		rc = put_expr(c, e->left);
		rt__buf_putc(sql, ')');
		return rc;
	case RT_EXPR_COLUMNS:
	case RT_EXPR_EXISTS:
	case RT_EXPR_IN_QUERY:
		return rt__sql_put_sub_expr(c, e);
	}
	return rt__error_set(RT_EINVAL, "unknown condition kind %d", (int)e->kind);
}

const char *rt__sql_operator(rt_compare_op op)
{
	return operator_sql(op);
}

int rt__sql_put_expr(compiler *c, const rt_expr *e)
{
	return put_expr(c, e);
}

/* A subclass's query: only its rows and its subclasses'. */
static int put_identities(compiler *c, bool first)
{
	const rt_model_desc *model = c->query->model;
	rt_value_ref values[32];
	int count = rt__where_identities(model, values, 32);
	if (!count)
		return RT_OK;
	rt__buf_puts(c->sql, first ? " WHERE " : " AND ");
	int rc = put_column(c, 0, (rt_column_ref){model, model->discriminator});
	if (rc < 0)
		return rc;
	rt__buf_puts(c->sql, " IN (");
	for (int i = 0; i < count; i++) {
		if (i)
			rt__buf_puts(c->sql, ", ");
		rc = add_param(c, values[i], &model->columns[model->discriminator]);
		if (rc < 0)
			return rc;
	}
	rt__buf_putc(c->sql, ')');
	return RT_OK;
}

static int put_where(compiler *c)
{
	const rt_query *q = c->query;
	for (size_t i = 0; i < q->filter_count; i++) {
		rt__buf_puts(c->sql, i ? " AND " : " WHERE ");
		int rc = put_expr(c, q->filters[i]);
		if (rc < 0)
			return rc;
	}
	return put_identities(c, q->filter_count == 0);
}

/* --- FROM and joins ---------------------------------------------------------------- */

/* " ON a.x = b.y AND ..." for the pairs of a relationship's key columns. */
static void put_on(compiler *c, const char *target_alias, const rt_model_desc *target,
		   const int *target_columns, const char *parent_alias,
		   const rt_model_desc *parent, const int *parent_columns, int count)
{
	for (int k = 0; k < count; k++) {
		rt__buf_puts(c->sql, k ? " AND " : " ON ");
		rt__sql_column(c->sql, c->dialect, target_alias, target, target_columns[k]);
		rt__buf_puts(c->sql, " = ");
		rt__sql_column(c->sql, c->dialect, parent_alias, parent, parent_columns[k]);
	}
}

/* Joins target (alias) to parent (parent_alias) along rel. */
static void put_join(compiler *c, const char *join, const rt_relationship_desc *rel,
		     const rt_model_desc *parent, const char *parent_alias, const char *alias)
{
	rt_buf *sql = c->sql;
	const rt_dialect *d = c->dialect;
	if (rel->kind == RT_RELATIONSHIP_MANY_TO_MANY) {
		/* Through the association table, aliased s<n> beside t<n>. */
		char secondary[16];
		snprintf(secondary, sizeof(secondary), "s%s", alias + 1);
		rt__buf_printf(sql, " %s ", join);
		rt__sql_table(sql, d, rel->secondary_schema, rel->secondary);
		rt__buf_printf(sql, " AS %s", secondary);
		for (int k = 0; k < rel->column_count; k++) {
			rt__buf_printf(sql, "%s%s.", k ? " AND " : " ON ", secondary);
			d->quote_ident(sql, rel->secondary_columns[k]);
			rt__buf_puts(sql, " = ");
			rt__sql_column(sql, d, parent_alias, parent, rel->columns[k]);
		}
		rt__buf_printf(sql, " %s ", join);
		rt__sql_model_source(sql, d, rel->target);
		rt__buf_printf(sql, " AS %s", alias);
		for (int k = 0; k < rel->column_count; k++) {
			rt__buf_puts(sql, k ? " AND " : " ON ");
			rt__sql_column(sql, d, alias, rel->target, rel->target_columns[k]);
			rt__buf_printf(sql, " = %s.", secondary);
			d->quote_ident(sql, rel->secondary_target_columns[k]);
		}
		return;
	}
	rt__buf_printf(sql, " %s ", join);
	rt__sql_model_source(sql, d, rel->target);
	rt__buf_printf(sql, " AS %s", alias);
	put_on(c, alias, rel->target, rel->target_columns, parent_alias, parent, rel->columns,
	       rel->column_count);
}

static int put_from(compiler *c, bool with_joins)
{
	const rt_query *q = c->query;
	char alias[24], parent[24];
	rt__sql_source_alias(c, 0, alias, sizeof(alias));
	rt__buf_puts(c->sql, " FROM ");
	rt__sql_model_source(c->sql, c->dialect, q->model);
	rt__buf_printf(c->sql, " AS %s", alias);
	for (size_t i = 1; with_joins && i < q->source_count; i++) {
		const rt_query_source *s = &q->sources[i];
		const char *join = s->outer ? "LEFT JOIN" : "JOIN";
		rt__sql_source_alias(c, (int)i, alias, sizeof(alias));
		if (s->on) {
			/* An explicit condition (query_sub.c): the model, which
			 * may be an alias of one, and ON the condition. */
			rt__buf_printf(c->sql, " %s ", join);
			rt__sql_model_source(c->sql, c->dialect, s->model);
			rt__buf_printf(c->sql, " AS %s ON ", alias);
			int rc = put_expr(c, s->on);
			if (rc < 0)
				return rc;
			continue;
		}
		rt__sql_source_alias(c, s->parent, parent, sizeof(parent));
		put_join(c, join, s->rel, q->sources[s->parent].model, parent, alias);
	}
	return RT_OK;
}

static void put_eager_joins(compiler *c)
{
	const rt_query *q = c->query;
	for (size_t i = 0; i < q->eager_count; i++) {
		const rt_eager_node *node = &q->eager[i];
		if (!node->joined)
			continue;
		const rt_model_desc *parent =
			node->parent < 0 ? q->model : q->eager[node->parent].model;
		char alias[16], parent_alias[16];
		rt__sql_alias(alias, sizeof(alias), 'e', (int)i);
		if (node->parent < 0)
			snprintf(parent_alias, sizeof(parent_alias), "t0");
		else
			rt__sql_alias(parent_alias, sizeof(parent_alias), 'e', node->parent);
		put_join(c, "LEFT JOIN", &parent->relationships[node->relationship], parent,
			 parent_alias, alias);
	}
}

/* Does a join multiply the query's rows? (A join on an explicit condition
 * may; queries united with this one add rows too.) */
static bool joins_to_many(const rt_query *q)
{
	if (q->union_count)
		return true;
	for (size_t i = 1; i < q->source_count; i++) {
		if (!q->sources[i].rel)
			return true;
		rt_relationship_kind kind = q->sources[i].rel->kind;
		if (kind == RT_RELATIONSHIP_ONE_TO_MANY || kind == RT_RELATIONSHIP_MANY_TO_MANY)
			return true;
	}
	return false;
}

static void put_primary_key(compiler *c, bool parenthesised)
{
	const rt_model_desc *model = c->query->model;
	char alias[24];
	rt__sql_source_alias(c, 0, alias, sizeof(alias));
	if (parenthesised && model->primary_key_count > 1)
		rt__buf_putc(c->sql, '(');
	for (int k = 0; k < model->primary_key_count; k++) {
		if (k)
			rt__buf_puts(c->sql, ", ");
		if (c->bare)
			c->dialect->quote_ident(c->sql, model->columns[model->primary_key[k]].name);
		else
			rt__sql_column(c->sql, c->dialect, alias, model, model->primary_key[k]);
	}
	if (parenthesised && model->primary_key_count > 1)
		rt__buf_putc(c->sql, ')');
}

/* " WHERE (key) IN (SELECT t0.key FROM ... JOIN ... WHERE ...)": the
 * query's objects picked by key from the joined query (the outer key
 * named bare when c->bare, for a set-based write). */
static int put_key_in_joined(compiler *c)
{
	rt__buf_puts(c->sql, " WHERE ");
	put_primary_key(c, true);
	bool bare = c->bare;
	c->bare = false;
	rt__buf_puts(c->sql, " IN (SELECT ");
	put_primary_key(c, false);
	int rc = rt__sql_put_from_where(c);
	if (rc == RT_OK)
		rc = rt__sql_put_unions(c);
	rt__buf_putc(c->sql, ')');
	c->bare = bare;
	return rc;
}

/* FROM, joins and WHERE of a query for objects: plain, or selecting the
 * objects by key when a join is to-many. */
static int put_object_source(compiler *c, bool eager_joins)
{
	const rt_query *q = c->query;
	int rc;
	if (!joins_to_many(q)) {
		rc = put_from(c, true);
		if (eager_joins)
			put_eager_joins(c);
		return rc < 0 ? rc : put_where(c);
	}
	rc = put_from(c, false);
	if (eager_joins)
		put_eager_joins(c);
	if (rc < 0)
		return rc;
	return put_key_in_joined(c);
}

int rt__sql_put_from_where(compiler *c)
{
	int rc = put_from(c, true);
	return rc < 0 ? rc : put_where(c);
}

static int put_order(compiler *c, bool objects)
{
	const rt_query *q = c->query;
	bool to_many = objects && joins_to_many(q);
	for (size_t i = 0; i < q->order_count; i++) {
		const rt_query_order *o = &q->orders[i];
		int source = resolve(c, o->source, o->column);
		if (source < 0)
			return source;
		if (to_many && source != 0)
			return rt__error_set(RT_EINVAL, "order by %s.%s: a query of %s joined along a "
							"to-many relationship orders by its own "
							"columns only", o->column.model->name,
					     o->column.model->columns[o->column.column].field,
					     q->model->name);
		rt__buf_puts(c->sql, i ? ", " : " ORDER BY ");
		put_column(c, source, o->column);
		if (o->descending)
			rt__buf_puts(c->sql, " DESC");
	}
	return RT_OK;
}

static int put_limit(compiler *c, int64_t limit_cap)
{
	const rt_query *q = c->query;
	int64_t limit = q->limit;
	if (limit_cap >= 0 && (limit < 0 || limit > limit_cap))
		limit = limit_cap;
	int rc = RT_OK;
	if (limit >= 0 || q->offset > 0) {
		/* SQLite takes OFFSET only after a LIMIT: the largest one is
		 * "no limit" on every backend. */
		rt__buf_puts(c->sql, " LIMIT ");
		rc = add_param(c, rt_int(limit >= 0 ? limit : INT64_MAX), NULL);
	}
	if (rc == RT_OK && q->offset > 0) {
		rt__buf_puts(c->sql, " OFFSET ");
		rc = add_param(c, rt_int(q->offset), NULL);
	}
	return rc;
}

/* --- the statements ------------------------------------------------------------------ */

static int compile_objects(compiler *c, int64_t limit_cap)
{
	rt_query *q = c->query;
	rt__buf_puts(c->sql, "SELECT ");
	/* A load-only query reads some of its model's columns (and refuses a
	 * model with subclasses); any other, every column of the tree. */
	int column;
	if (q->load_only) {
		column = rt__query_select_own(c->sql, c->dialect, q);
	} else {
		rt__select_columns(c->sql, c->dialect, q->model, "t0");
		column = rt__select_width(q->model);
	}
	for (size_t i = 0; i < q->eager_count; i++) {
		rt_eager_node *node = &q->eager[i];
		if (!node->joined)
			continue;
		char alias[16];
		rt__sql_alias(alias, sizeof(alias), 'e', (int)i);
		rt__buf_puts(c->sql, ", ");
		rt__select_columns(c->sql, c->dialect, node->model, alias);
		node->first_column = column;
		column += rt__select_width(node->model);
	}
	int rc = put_object_source(c, true);
	if (rc == RT_OK)
		rc = put_order(c, true);
	if (rc == RT_OK)
		rc = put_limit(c, limit_cap);
	if (rc == RT_OK)
		rt__query_put_lock(q, c->dialect, c->sql);
	return rc;
}

static int compile_count(compiler *c)
{
	const rt_query *q = c->query;
	if (q->limit < 0 && q->offset == 0) {
		rt__buf_puts(c->sql, "SELECT COUNT(*)");
		return put_object_source(c, false);
	}
	/* A limit counts at most that many objects: count the limited rows. */
	rt__buf_puts(c->sql, "SELECT COUNT(*) FROM (SELECT ");
	put_primary_key(c, false);
	int rc = put_object_source(c, false);
	if (rc == RT_OK)
		rc = put_order(c, true);
	if (rc == RT_OK)
		rc = put_limit(c, -1);
	rt__buf_puts(c->sql, ") AS sub");
	return rc;
}

static int compile_keys(compiler *c)
{
	rt__buf_puts(c->sql, "SELECT ");
	put_primary_key(c, false);
	return put_object_source(c, false);
}

static int compile_exists(compiler *c)
{
	rt__buf_puts(c->sql, "SELECT 1");
	int rc = put_object_source(c, false);
	return rc < 0 ? rc : put_limit(c, 1);
}

static const char *aggregate_sql(rt_aggregate function)
{
	switch (function) {
	case RT_AGGREGATE_COUNT: return "COUNT(";
	case RT_AGGREGATE_SUM: return "SUM(";
	case RT_AGGREGATE_AVG: return "AVG(";
	case RT_AGGREGATE_MIN: return "MIN(";
	case RT_AGGREGATE_MAX: return "MAX(";
	case RT_AGGREGATE_COUNT_DISTINCT: return "COUNT(DISTINCT ";
	}
	return "COUNT(";
}

static int compile_rows(compiler *c)
{
	const rt_query *q = c->query;
	if (q->group_count == 0 && q->aggregate_count == 0)
		return rt__error_set(RT_EINVAL, "rt_query_rows: the query of %s has no group by "
						"and no aggregate", q->model->name);
	if (q->union_count)
		return rt__error_set(RT_EINVAL, "rt_query_rows: the query of %s is a union (of "
						"objects; aggregate the rows of one query)",
				     q->model->name);
	/* DISTINCT only here: objects are distinct already (by key). */
	rt__buf_puts(c->sql, q->distinct ? "SELECT DISTINCT " : "SELECT ");
	int rc = RT_OK;
	size_t n = 0;
	for (size_t i = 0; i < q->group_count && rc == RT_OK; i++, n++) {
		if (n)
			rt__buf_puts(c->sql, ", ");
		rc = put_column(c, q->group_by[i].source, q->group_by[i].column);
	}
	for (size_t i = 0; i < q->aggregate_count && rc == RT_OK; i++, n++) {
		const rt_query_agg *a = &q->aggregates[i];
		if (n)
			rt__buf_puts(c->sql, ", ");
		rt__buf_puts(c->sql, aggregate_sql(a->function));
		if (a->column.model)
			rc = put_column(c, a->source, a->column);
		else
			rt__buf_putc(c->sql, '*');
		rt__buf_putc(c->sql, ')');
	}
	if (rc < 0)
		return rc;
	rc = rt__sql_put_from_where(c);
	for (size_t i = 0; i < q->group_count && rc == RT_OK; i++) {
		rt__buf_puts(c->sql, i ? ", " : " GROUP BY ");
		rc = put_column(c, q->group_by[i].source, q->group_by[i].column);
	}
	for (size_t i = 0; i < q->having_count && rc == RT_OK; i++) {
		/* HAVING SUM(t0."score") > ?: an aggregate's value compared. */
		const rt_query_having_cond *h = &q->having[i];
		rt__buf_puts(c->sql, i ? " AND " : " HAVING ");
		rt__buf_puts(c->sql, aggregate_sql(h->aggregate.function));
		if (h->aggregate.column.model)
			rc = put_column(c, h->aggregate.source, h->aggregate.column);
		else
			rt__buf_putc(c->sql, '*');
		rt__buf_putc(c->sql, ')');
		rt__buf_puts(c->sql, operator_sql(h->op));
		if (rc == RT_OK)
			rc = add_param(c, h->value, NULL);
	}
	if (rc == RT_OK)
		rc = put_order(c, false);
	return rc < 0 ? rc : put_limit(c, -1);
}

int rt__query_compile(rt_query *query, rt_select_shape shape, int64_t limit_cap)
{
	int rc = rt__query_check(query);
	if (rc < 0)
		return rc;
	compiler c = {query, query->session->engine->dialect, &query->sql, query, NULL, 0, false};
	rt__buf_clear(&query->sql);
	query->param_count = 0;
	switch (shape) {
	case RT_SELECT_OBJECTS: rc = compile_objects(&c, limit_cap); break;
	case RT_SELECT_COUNT: rc = compile_count(&c); break;
	case RT_SELECT_EXISTS: rc = compile_exists(&c); break;
	case RT_SELECT_ROWS: rc = compile_rows(&c); break;
	case RT_SELECT_KEYS: rc = compile_keys(&c); break;
	}
	if (rc == RT_OK && rt__buf_failed(&query->sql))
		rc = rt__error_nomem();
	return rc;
}

/* --- set-based UPDATE and DELETE -------------------------------------------------- */

/* " SET "a" = ?, "b" = "b" + ?" */
static int put_assignments(compiler *c, const rt_assignment *set, size_t count)
{
	int rc = RT_OK;
	for (size_t i = 0; i < count && rc == RT_OK; i++) {
		const rt_column_desc *column = &set[i].column.model->columns[set[i].column.column];
		rt__buf_puts(c->sql, i ? ", " : " SET ");
		c->dialect->quote_ident(c->sql, column->name);
		rt__buf_puts(c->sql, " = ");
		if (set[i].op == RT_ASSIGN_ADD) {
			c->dialect->quote_ident(c->sql, column->name);
			rt__buf_puts(c->sql, " + ");
		}
		rc = add_param(c, set[i].value, column);
	}
	return rc;
}

/* The WHERE of a set-based write: the filters on the bare table, or,
 * with joins, the rows picked by key from the joined query:
 *   WHERE ("id") IN (SELECT t0."id" FROM "authors" AS t0 JOIN ... WHERE ...)
 */
static int put_write_where(compiler *c)
{
	c->bare = true;
	/* A subquery or union (owned queries) goes by key too: a correlated
	 * subquery names the outer row as t0. */
	bool plain = c->query->source_count <= 1 && c->query->owned_count == 0;
	int rc = plain ? put_where(c) : put_key_in_joined(c);
	c->bare = false;
	return rc;
}

int rt__query_compile_write(rt_query *query, const rt_assignment *set, size_t count)
{
	int rc = rt__query_check(query);
	if (rc < 0)
		return rc;
	compiler c = {query, query->session->engine->dialect, &query->sql, query, NULL, 0, false};
	const rt_model_desc *model = query->model;
	rt__buf_clear(&query->sql);
	query->param_count = 0;
	rt__buf_puts(c.sql, set ? "UPDATE " : "DELETE FROM ");
	rt__sql_table(c.sql, c.dialect, model->schema, model->table);
	if (set)
		rc = put_assignments(&c, set, count);
	if (rc == RT_OK)
		rc = put_write_where(&c);
	if (rc == RT_OK && rt__buf_failed(&query->sql))
		rc = rt__error_nomem();
	return rc;
}

int rt__query_bind(rt_query *query, rt_stmt *stmt)
{
	for (size_t i = 0; i < query->param_count; i++) {
		int rc = rt__value_bind(stmt, (int)i + 1, &query->params[i].value,
					query->params[i].column);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}
