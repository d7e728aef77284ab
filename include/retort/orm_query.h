/*
 * retort/orm_query.h - queries for objects: columns and conditions (typed
 * by the generated column handles), joins, eager loading, results,
 * streaming, aggregates, raw SQL rows, subqueries, aliases, unions, row
 * locks, keyset pages, load-only columns and relationship handles.
 *
 * Included by retort/orm.h, which declares the sessions, objects and model
 * descriptions these functions take; include that one.
 */
#ifndef RETORT_ORM_QUERY_H
#define RETORT_ORM_QUERY_H

#include "retort/orm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Queries                                                                   */
/* ------------------------------------------------------------------------ */

/* A column of a model, as a query names it. `retort gen` writes one per
 * column (User_c.username); the kind is checked against the values given. */
typedef struct rt_column_ref {
	const rt_model_desc *model;
	int column;
} rt_column_ref;

/* A condition, built in the query's memory (freed with the query). */
typedef struct rt_expr rt_expr;

typedef enum rt_compare_op {
	RT_OP_EQ = 1, RT_OP_NE, RT_OP_LT, RT_OP_LE, RT_OP_GT, RT_OP_GE,
	RT_OP_LIKE, RT_OP_ILIKE
} rt_compare_op;

/* Builders return NULL only when out of memory or given a value of the
 * wrong kind for the column; the query then fails with that error when run,
 * so calls can be nested without checking each one. */
RT_API rt_expr *rt_where_compare(rt_query *query, rt_column_ref column, rt_compare_op op,
				 rt_value_ref value);
RT_API rt_expr *rt_where_is_null(rt_query *query, rt_column_ref column);
RT_API rt_expr *rt_where_is_not_null(rt_query *query, rt_column_ref column);
RT_API rt_expr *rt_where_in(rt_query *query, rt_column_ref column, const rt_value_ref *values,
			    size_t count);
RT_API rt_expr *rt_where_between(rt_query *query, rt_column_ref column, rt_value_ref low,
				 rt_value_ref high);
RT_API rt_expr *rt_where_and(rt_query *query, rt_expr *left, rt_expr *right);
RT_API rt_expr *rt_where_or(rt_query *query, rt_expr *left, rt_expr *right);
RT_API rt_expr *rt_where_not(rt_query *query, rt_expr *operand);

/* Typed column handles. `retort gen` writes, per model, a constant struct
 * of them (User_c.username is an rt_text_column), and the macros below pick
 * the value constructor from the handle's type, so comparing a text column
 * with a number does not compile:
 *
 *     rt_query_filter(q, rt_and(q, rt_eq(q, User_c.username, "bob"),
 *                                  rt_gt(q, Post_c.score, 10)));
 */
typedef struct rt_int_column { rt_column_ref ref; } rt_int_column;       /* int16/32/64 */
typedef struct rt_bool_column { rt_column_ref ref; } rt_bool_column;
typedef struct rt_real_column { rt_column_ref ref; } rt_real_column;     /* real, double */
typedef struct rt_text_column { rt_column_ref ref; } rt_text_column;
typedef struct rt_numeric_column { rt_column_ref ref; } rt_numeric_column;
typedef struct rt_json_column { rt_column_ref ref; } rt_json_column;
typedef struct rt_blob_column { rt_column_ref ref; } rt_blob_column;
typedef struct rt_date_column { rt_column_ref ref; } rt_date_column;
typedef struct rt_time_column { rt_column_ref ref; } rt_time_column;
typedef struct rt_timestamp_column { rt_column_ref ref; } rt_timestamp_column;
typedef struct rt_timestamptz_column { rt_column_ref ref; } rt_timestamptz_column;
typedef struct rt_uuid_column { rt_column_ref ref; } rt_uuid_column;
typedef struct rt_enum_column { rt_column_ref ref; } rt_enum_column;    /* values: the C enum */
typedef struct rt_array_column { rt_column_ref ref; } rt_array_column;  /* values: an rt_array */

/* An enum value whose type the query takes from the column. */
RT_API rt_value_ref rt_enum_int(int value);
RT_API rt_value_ref rt_blob_bytes(rt_bytes value);
/* An array whose element kind the query takes from the column:
 * rt_eq(q, Film_c.scores, ((rt_array){items, count})). */
RT_API rt_value_ref rt_array_ref(rt_array value);

#define RT_VALUE_FOR(column, value)                                        \
	_Generic((column),                                                 \
		rt_int_column: rt_int,                                     \
		rt_bool_column: rt_bool,                                   \
		rt_real_column: rt_double,                                 \
		rt_text_column: rt_text,                                   \
		rt_numeric_column: rt_numeric,                             \
		rt_json_column: rt_json,                                   \
		rt_blob_column: rt_blob_bytes,                             \
		rt_date_column: rt_date_value,                             \
		rt_time_column: rt_time_value,                             \
		rt_timestamp_column: rt_timestamp_value,                   \
		rt_timestamptz_column: rt_timestamptz_value,               \
		rt_uuid_column: rt_uuid_value,                             \
		rt_enum_column: rt_enum_int,                               \
		rt_array_column: rt_array_ref)(value)

#define rt_eq(q, column, value) \
	rt_where_compare((q), (column).ref, RT_OP_EQ, RT_VALUE_FOR(column, value))
#define rt_ne(q, column, value) \
	rt_where_compare((q), (column).ref, RT_OP_NE, RT_VALUE_FOR(column, value))
#define rt_lt(q, column, value) \
	rt_where_compare((q), (column).ref, RT_OP_LT, RT_VALUE_FOR(column, value))
#define rt_le(q, column, value) \
	rt_where_compare((q), (column).ref, RT_OP_LE, RT_VALUE_FOR(column, value))
#define rt_gt(q, column, value) \
	rt_where_compare((q), (column).ref, RT_OP_GT, RT_VALUE_FOR(column, value))
#define rt_ge(q, column, value) \
	rt_where_compare((q), (column).ref, RT_OP_GE, RT_VALUE_FOR(column, value))
#define rt_between(q, column, low, high) \
	rt_where_between((q), (column).ref, RT_VALUE_FOR(column, low), RT_VALUE_FOR(column, high))
/* like / ilike take text columns only, and mean the same on every
 * backend: `%` matches any run of characters, `_` one character, and `\`
 * makes the next character plain ("100\\%" is "100%"). rt_like tells
 * case apart (also on SQLite, whose own LIKE does not); rt_ilike does not
 * (on SQLite only for ASCII letters, as SQLite folds no other case). */
#define RT_TEXT_COLUMN_REF(column) _Generic((column), rt_text_column: (column).ref)
#define rt_like(q, column, pattern) \
	rt_where_compare((q), RT_TEXT_COLUMN_REF(column), RT_OP_LIKE, rt_text(pattern))
#define rt_ilike(q, column, pattern) \
	rt_where_compare((q), RT_TEXT_COLUMN_REF(column), RT_OP_ILIKE, rt_text(pattern))
#define rt_is_null(q, column) rt_where_is_null((q), (column).ref)
#define rt_is_not_null(q, column) rt_where_is_not_null((q), (column).ref)
#define rt_in(q, column, values, count) rt_where_in((q), (column).ref, (values), (count))
#define rt_and(q, a, b) rt_where_and((q), (a), (b))
#define rt_or(q, a, b) rt_where_or((q), (a), (b))
#define rt_not(q, a) rt_where_not((q), (a))

/* A query for objects of model. A query may be run many times (each run
 * writes the session's pending changes first, as SQLAlchemy's autoflush
 * does); free it before closing its session. */
RT_API int rt_query_new(rt_query **out, rt_session *session, const rt_model_desc *model);
RT_API void rt_query_free(rt_query *query);
/* Adds a condition (several are ANDed). A column names its model's latest
 * appearance in the query when the condition is built: after a join of
 * Category's children, Category_c.name is the child's name. == NULL is IS
 * NULL and != NULL IS NOT NULL; an empty rt_in list matches nothing. */
RT_API int rt_query_filter(rt_query *query, rt_expr *condition);
RT_API int rt_query_order_by(rt_query *query, rt_column_ref column, bool descending);
RT_API int rt_query_limit(rt_query *query, int64_t limit);
RT_API int rt_query_offset(rt_query *query, int64_t offset);
/* Joins the target of relationship `name` of the query's model (or of a
 * model joined before), so that filters can name its columns. Results stay
 * distinct objects of the query's model: after a join along a to-many
 * relationship they are selected by key, so limits count objects, and
 * order by may then name only the query's own columns. */
RT_API int rt_query_join(rt_query *query, const rt_model_desc *from, const char *name);
/* Loads relationship `name` of every result (of model `from`: the query's
 * model or one reached by an earlier eager option) in the same run: a
 * collection by one more SELECT ... WHERE key IN (...) per batch of 512
 * keys, a to-one by a LEFT JOIN (by SELECT ... IN under a collection, and
 * from the identity map when the session has the targets). Never one
 * query per object. `from` is the query's model or the model of an earlier
 * option that does not load `name` yet, so the same option twice loads two
 * levels: (Category, "children") twice gives children and grandchildren. */
RT_API int rt_query_eager(rt_query *query, const rt_model_desc *from, const char *name);

/* Results. `out` points to a pointer of the model's struct type (User **).
 * first: RT_ENOTFOUND when there is no row. one: RT_ENOTFOUND or
 * RT_EMULTIPLE unless exactly one row. one_or_none: *out = NULL when none. */
RT_API int rt_query_first(rt_query *query, void *out);
RT_API int rt_query_one(rt_query *query, void *out);
RT_API int rt_query_one_or_none(rt_query *query, void *out);
/* Every result, appended to out (which the session owns). */
RT_API int rt_query_all(rt_query *query, rt_list *out);
/* The number of results (at most the limit, after the offset). */
RT_API int rt_query_count(rt_query *query, int64_t *out);
RT_API int rt_query_exists(rt_query *query, bool *out);

/* Streaming: one row at a time, in constant memory. Each call of
 * rt_query_next fills *out with a object that is NOT added to the session
 * (no identity map, no change tracking) and is overwritten by the next
 * call; it returns RT_ROW, RT_DONE or an error.
 *
 * Lifetime: the object (one for the whole stream) and its text and blob
 * fields are valid until the next rt_query_next, rt_query_stream or
 * rt_query_free of the query; copy what you keep. Do not pass it to the
 * rt_object_* functions. Eager options are refused (RT_EINVAL). While a
 * stream is open on PostgreSQL the session's connection is busy with it:
 * run other queries of the session after RT_DONE (or after freeing the
 * query, which abandons the stream). rt_query_stream again restarts it. */
RT_API int rt_query_stream(rt_query *query);
RT_API int rt_query_next(rt_query *query, void *out);

/* Aggregates: the query returns rows of (group columns..., aggregates...)
 * instead of objects. */
typedef enum rt_aggregate {
	RT_AGGREGATE_COUNT = 1, RT_AGGREGATE_SUM, RT_AGGREGATE_AVG,
	RT_AGGREGATE_MIN, RT_AGGREGATE_MAX,
	RT_AGGREGATE_COUNT_DISTINCT /* COUNT(DISTINCT column) */
} rt_aggregate;
RT_API int rt_query_group_by(rt_query *query, rt_column_ref column);
/* column.model == NULL with RT_AGGREGATE_COUNT counts rows (COUNT(*)). */
RT_API int rt_query_aggregate(rt_query *query, rt_aggregate function, rt_column_ref column);
RT_API int rt_query_rows(rt_query *query, rt_rows **out);

/* Set-based writes (docs/orm.md, "Set-based writes"): one UPDATE or
 * DELETE of every row the query's filters match, without loading them.
 * The session's pending changes are flushed first; then the objects of the
 * query's model that the session holds and that matched are brought in
 * line: updated ones are read back (new values, server onupdate columns),
 * deleted ones leave the session and their relatives' collections and
 * pointers. A rollback restores them as it restores flushed changes. */
typedef enum rt_assign_op {
	RT_ASSIGN_SET = 1, /* column = value */
	RT_ASSIGN_ADD      /* column = column + value (int, real, numeric) */
} rt_assign_op;

typedef struct rt_assignment {
	rt_column_ref column;  /* a column of the query's model */
	rt_assign_op op;
	rt_value_ref value;    /* bound; copied only for the call */
} rt_assignment;

RT_API rt_assignment rt_assign(rt_column_ref column, rt_assign_op op, rt_value_ref value);
/* Typed assignments from the generated column handles, checked as rt_eq
 * checks its value: rt_set(Author_c.karma, 0), rt_set_null(Author_c.email),
 * rt_set_add(Book_c.score, 1) (numbers only). */
#define rt_set(column, value) \
	rt_assign((column).ref, RT_ASSIGN_SET, RT_VALUE_FOR(column, value))
#define rt_set_null(column) rt_assign((column).ref, RT_ASSIGN_SET, rt_null())
#define RT_NUMBER_COLUMN_REF(column)                                       \
	_Generic((column), rt_int_column: (column).ref, rt_real_column: (column).ref, \
		 rt_numeric_column: (column).ref)
#define rt_set_add(column, value) \
	rt_assign(RT_NUMBER_COLUMN_REF(column), RT_ASSIGN_ADD, RT_VALUE_FOR(column, value))

/* UPDATE the query's rows with the count assignments; *count_out (may be
 * NULL) receives the number of rows matched. The query may have filters
 * and joins; an order, limit, offset, eager option, group or aggregate is
 * RT_EINVAL, and so is assigning a primary-key or generated column. A
 * `version` column not assigned gets + 1 and an `onupdate now` column the
 * time, as in the flush's UPDATE. */
RT_API int rt_query_update(rt_query *query, int64_t *count_out, const rt_assignment *set,
			   size_t count);
/* DELETE the query's rows; *count_out (may be NULL) receives how many.
 * Relationships' cascades are the database's (ON DELETE), not the ORM's. */
RT_API int rt_query_delete(rt_query *query, int64_t *count_out);

/* Raw SQL with `?` parameters, bound from params (values are never pasted
 * into the text); rows come back through rt_rows, one at a time. It runs
 * in the session's transaction after its pending changes are flushed; the
 * first step is taken before rt_session_sql returns, so a statement
 * without rows (UPDATE ...) has run by then and its error is reported
 * there. Free the rows before closing the session. Objects the session
 * holds do not see what raw SQL changed until they are expired. */
RT_API int rt_session_sql(rt_rows **out, rt_session *session, const char *sql,
			  const rt_value_ref *params, size_t param_count);
/* RT_ROW, RT_DONE or an error. */
RT_API int rt_rows_next(rt_rows *rows);
RT_API int rt_rows_column_count(rt_rows *rows);
RT_API bool rt_rows_is_null(rt_rows *rows, int column);
RT_API int64_t rt_rows_int64(rt_rows *rows, int column);
RT_API double rt_rows_double(rt_rows *rows, int column);
/* Valid until the next rt_rows_next. */
RT_API const char *rt_rows_text(rt_rows *rows, int column);
RT_API rt_bytes rt_rows_blob(rt_rows *rows, int column);
RT_API void rt_rows_free(rt_rows *rows);

/* ------------------------------------------------------------------------ */
/* Richer queries: columns compared, subqueries, aliases and explicit      */
/* joins, DISTINCT, HAVING, UNION, model objects from raw SQL rows         */
/* (docs/orm.md, "Richer queries")                                          */
/* ------------------------------------------------------------------------ */

/* A column compared with another column (op RT_OP_EQ .. RT_OP_GE): Book's
 * score > Author's karma. The columns must be of one kind (the integer
 * widths mix, as do real and double); the typed macros rt_eq_col ...
 * below do not compile otherwise. */
RT_API rt_expr *rt_where_compare_columns(rt_query *query, rt_column_ref left, rt_compare_op op,
					 rt_column_ref right);
/* EXISTS (sub): sub is another query of the session, whose conditions may
 * name the columns of query (a correlated subquery). query owns sub from
 * now on, also when this fails: rt_query_free(query) frees it. A
 * subquery's order is ignored and a limit refused. */
RT_API rt_expr *rt_where_exists(rt_query *query, rt_query *sub);
/* column IN (SELECT sub_column FROM sub ...); sub is owned as above. */
RT_API rt_expr *rt_where_in_query(rt_query *query, rt_column_ref column, rt_query *sub,
				  rt_column_ref sub_column);
/* EXISTS a row related to the query's `from` object through relationship
 * `name` (and matching condition, or any when NULL): SQLAlchemy's
 * any() / has(). In condition, the columns of the relationship's target
 * name the related rows. rt_not(q, rt_has(q, Author, "books", NULL)):
 * the authors with no books. */
RT_API rt_expr *rt_where_has(rt_query *query, const rt_model_desc *from, const char *name,
			     rt_expr *condition);

/* An alias of model in query (SQLAlchemy's aliased()): the same table
 * again under a name of its own, for self-joins: a target of
 * rt_query_join_on whose columns (rt_alias_col) conditions name. It lives
 * as long as the query; it is not a model to make objects or queries of. */
RT_API int rt_query_alias(const rt_model_desc **out, rt_query *query, const rt_model_desc *model);
/* column (of the alias's model) as a column of the alias; a column of
 * another model gives one the builders refuse. */
RT_API rt_column_ref rt_alias_column(const rt_model_desc *alias, rt_column_ref column);
/* Joins target (a model or an alias) ON condition; outer: LEFT OUTER
 * JOIN. Results stay distinct objects of the query's model (selected by
 * key, as after a to-many join). */
RT_API int rt_query_join_on(rt_query *query, const rt_model_desc *target, rt_expr *on,
			    bool outer);
/* rt_query_join as a LEFT OUTER JOIN: the query's objects without a
 * related row stay, with the joined columns NULL (rt_is_null on one of
 * them keeps only those). */
RT_API int rt_query_outerjoin(rt_query *query, const rt_model_desc *from, const char *name);

/* SELECT DISTINCT for the rows of rt_query_rows (objects are distinct
 * already). */
RT_API int rt_query_distinct(rt_query *query);
/* HAVING function(column) op value on an aggregate query (column.model
 * NULL with COUNT: COUNT(*)); value rt_int or rt_double. Several are
 * ANDed. */
RT_API int rt_query_having(rt_query *query, rt_aggregate function, rt_column_ref column,
			   rt_compare_op op, rt_value_ref value);
/* The objects of query or of other (a query of the same model, owned by
 * query from now on, also when this fails): SQL UNION. query's order,
 * limit and eager options apply to the result. */
RT_API int rt_query_union(rt_query *query, rt_query *other);

/* The current row's columns from first_column on, which are model's
 * columns in their order (as `SELECT *` of its table gives them), as an
 * object of the rows' session: the identity map's object when the session
 * has it, else a new persistent one. *out: a pointer of the model's
 * struct type. With rt_session_sql, raw SQL (a recursive CTE, a window
 * function) returns model objects, and its other columns stay readable by
 * rt_rows_int64 ...: SQLAlchemy's from_statement(). */
RT_API int rt_rows_object(rt_rows *rows, const rt_model_desc *model, int first_column, void *out);

/* What a comparison of two columns of different kinds gives instead of a
 * column: passing it on does not compile. */
typedef struct rt_column_kinds_differ { char never; } rt_column_kinds_differ;
#define RT__SAME_AS(type, b) \
	_Generic((b), type: (b).ref, default: (rt_column_kinds_differ){0})
/* b's column when a and b are columns of one kind. */
#define RT_SAME_KIND_REF(a, b)                                                        \
	_Generic((a),                                                                 \
		rt_int_column: RT__SAME_AS(rt_int_column, b),                         \
		rt_bool_column: RT__SAME_AS(rt_bool_column, b),                       \
		rt_real_column: RT__SAME_AS(rt_real_column, b),                       \
		rt_text_column: RT__SAME_AS(rt_text_column, b),                       \
		rt_numeric_column: RT__SAME_AS(rt_numeric_column, b),                 \
		rt_json_column: RT__SAME_AS(rt_json_column, b),                       \
		rt_blob_column: RT__SAME_AS(rt_blob_column, b),                       \
		rt_date_column: RT__SAME_AS(rt_date_column, b),                       \
		rt_time_column: RT__SAME_AS(rt_time_column, b),                       \
		rt_timestamp_column: RT__SAME_AS(rt_timestamp_column, b),             \
		rt_timestamptz_column: RT__SAME_AS(rt_timestamptz_column, b),         \
		rt_uuid_column: RT__SAME_AS(rt_uuid_column, b),                       \
		rt_enum_column: RT__SAME_AS(rt_enum_column, b),                       \
		rt_array_column: RT__SAME_AS(rt_array_column, b))

#define rt_eq_col(q, a, b) rt_where_compare_columns((q), (a).ref, RT_OP_EQ, RT_SAME_KIND_REF(a, b))
#define rt_ne_col(q, a, b) rt_where_compare_columns((q), (a).ref, RT_OP_NE, RT_SAME_KIND_REF(a, b))
#define rt_lt_col(q, a, b) rt_where_compare_columns((q), (a).ref, RT_OP_LT, RT_SAME_KIND_REF(a, b))
#define rt_le_col(q, a, b) rt_where_compare_columns((q), (a).ref, RT_OP_LE, RT_SAME_KIND_REF(a, b))
#define rt_gt_col(q, a, b) rt_where_compare_columns((q), (a).ref, RT_OP_GT, RT_SAME_KIND_REF(a, b))
#define rt_ge_col(q, a, b) rt_where_compare_columns((q), (a).ref, RT_OP_GE, RT_SAME_KIND_REF(a, b))
#define rt_exists(q, sub) rt_where_exists((q), (sub))
/* rt_in_query(q, Author_c.id, sub, Book_c.author_id) */
#define rt_in_query(q, column, sub, sub_column) \
	rt_where_in_query((q), (column).ref, (sub), RT_SAME_KIND_REF(column, sub_column))
/* rt_has(q, Author, "books", cond-or-NULL): Model is the generated name. */
#define rt_has(q, Model, name, condition) rt_where_has((q), &Model##_model, (name), (condition))
/* The column of an alias, of the same typed kind: rt_alias_col(boss,
 * Category_c.name) is an rt_text_column. */
#define RT__ALIAS_AS(type, alias, column) ((type){rt_alias_column((alias), (column).ref)})
#define rt_alias_col(alias, column)                                                   \
	_Generic((column),                                                            \
		rt_int_column: RT__ALIAS_AS(rt_int_column, alias, column),            \
		rt_bool_column: RT__ALIAS_AS(rt_bool_column, alias, column),          \
		rt_real_column: RT__ALIAS_AS(rt_real_column, alias, column),          \
		rt_text_column: RT__ALIAS_AS(rt_text_column, alias, column),          \
		rt_numeric_column: RT__ALIAS_AS(rt_numeric_column, alias, column),    \
		rt_json_column: RT__ALIAS_AS(rt_json_column, alias, column),          \
		rt_blob_column: RT__ALIAS_AS(rt_blob_column, alias, column),          \
		rt_date_column: RT__ALIAS_AS(rt_date_column, alias, column),          \
		rt_time_column: RT__ALIAS_AS(rt_time_column, alias, column),          \
		rt_timestamp_column: RT__ALIAS_AS(rt_timestamp_column, alias, column), \
		rt_timestamptz_column: RT__ALIAS_AS(rt_timestamptz_column, alias, column), \
		rt_uuid_column: RT__ALIAS_AS(rt_uuid_column, alias, column),          \
		rt_enum_column: RT__ALIAS_AS(rt_enum_column, alias, column),          \
		rt_array_column: RT__ALIAS_AS(rt_array_column, alias, column))

/* ------------------------------------------------------------------------ */
/* --- row locks, keyset pages, relationship handles, load-only (issue 13) */

/* Row locks: the rows a query for objects returns are locked until the
 * session's transaction ends (SELECT ... FOR UPDATE / FOR SHARE, of the
 * query's own table). Objects the session already holds take the values
 * of the locked rows (the row as locked is what the program then works
 * on). count and exists take no lock. SQLite has no row locks: there a
 * locking query that starts the session's transaction starts it with
 * BEGIN IMMEDIATE, which takes the database's write lock, so the
 * transaction runs alone among writers (others wait, for the busy
 * timeout, then fail with RT_ELOCKED); NOWAIT and SKIP LOCKED change
 * nothing there. A lock that NOWAIT cannot take fails with RT_ELOCKED. */
typedef enum rt_row_lock {
	RT_ROW_LOCK_NONE = 0,
	RT_ROW_LOCK_UPDATE,  /* FOR UPDATE: no other transaction may lock or change the rows */
	RT_ROW_LOCK_SHARE    /* FOR SHARE: others may read-lock them too, not change them */
} rt_row_lock;
#define RT_ROW_LOCK_NOWAIT      0x01u /* fail with RT_ELOCKED instead of waiting */
#define RT_ROW_LOCK_SKIP_LOCKED 0x02u /* leave out rows another transaction has locked */
/* Locks the rows the query returns; mode RT_ROW_LOCK_NONE takes the lock
 * off again. NOWAIT and SKIP_LOCKED exclude each other (RT_EINVAL). */
RT_API int rt_query_lock(rt_query *query, rt_row_lock mode, unsigned flags);

/* Keyset pagination: the results after a given one in the query's ORDER
 * BY, whose columns must be of the query's model, NOT NULL, and include
 * its whole primary key (so that no two rows tie and no row is skipped or
 * repeated between pages). values: one per order-by column, in order (the
 * last row of the previous page). The condition is
 *     a > ? OR (a = ? AND id > ?)   (< for a descending column)
 * led by a >= ? so that an index on the order columns finds the start.
 * Call it after the order_by calls; a query runs with one `after` (a
 * second call replaces the first: run the same query page after page). */
RT_API int rt_query_after(rt_query *query, const rt_value_ref *values, size_t count);
/* rt_query_after with the values of object (a result of the previous
 * page, usually its last). */
RT_API int rt_query_after_object(rt_query *query, const void *object);

/* Relationships named by handles instead of strings: `retort gen` writes,
 * per model with relationships, a constant struct of them (Author_r.books),
 * so a misspelt name does not compile. Each function is its string form's
 * (rt_query_join, rt_query_eager, rt_object_load, rt_object_link,
 * rt_object_unlink) with `from` / the name taken from the handle; the
 * object functions refuse an object of another model (RT_EINVAL). */
typedef struct rt_relationship_ref {
	const rt_model_desc *model;
	int relationship;          /* index into model->relationships */
} rt_relationship_ref;
RT_API int rt_query_join_rel(rt_query *query, rt_relationship_ref relationship);
RT_API int rt_query_eager_rel(rt_query *query, rt_relationship_ref relationship);
RT_API int rt_object_load_rel(void *object, rt_relationship_ref relationship);
RT_API int rt_object_link_rel(void *object, rt_relationship_ref relationship, void *target);
RT_API int rt_object_unlink_rel(void *object, rt_relationship_ref relationship, void *target);

/* Load only some columns (SQLAlchemy's load_only): the query's objects
 * read only these columns and the primary key; the other fields are left
 * zero (NULL) and marked unloaded. An unloaded field is never written by
 * a flush unless the program sets it (then its new value is written, as
 * for any change). An object the session already holds keeps its loaded
 * fields and gains the ones it lacked. rt_object_load_unloaded (or
 * rt_object_refresh, which reads every column) loads the rest; a later
 * query without load_only fills in the unloaded fields of the objects it
 * returns. Columns after the 64th of a model are always loaded. count 0
 * loads every column again. */
RT_API int rt_query_load_only(rt_query *query, const rt_column_ref *columns, size_t count);
/* 1 when the field of column is loaded, 0 when not, < 0 on a bad argument. */
RT_API int rt_object_is_loaded(const void *object, rt_column_ref column);
/* Reads the unloaded fields of a persistent object from its row, leaving
 * the loaded ones (and the program's changes to them) alone. */
RT_API int rt_object_load_unloaded(void *object);

#ifdef __cplusplus
}
#endif
#endif
