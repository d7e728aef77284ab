/*
 * query.h - internals shared by the query files: the query and expression
 * structs (query.c builds them, query_sub.c their subqueries, joins on a
 * condition, HAVING and UNION; query_sql.c and query_sub_sql.c compile
 * them to SQL,
 * query_run.c runs them, eager.c loads eager options, rows.c returns
 * aggregate rows), the key sets that match rows to parents (keys.c), and
 * the relationship helpers of load.c and relload.c.
 *
 * A query lives in its own arena: expressions, copied values and compiled
 * SQL are freed together by rt_query_free.
 */
#ifndef RT_ORM_QUERY_H
#define RT_ORM_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orm/orm.h"

/* --- expressions ------------------------------------------------------------ */

typedef enum rt_expr_kind {
	RT_EXPR_COMPARE = 1, /* column op value */
	RT_EXPR_IS_NULL,
	RT_EXPR_IS_NOT_NULL,
	RT_EXPR_IN,          /* column IN (values); no values: false */
	RT_EXPR_BETWEEN,     /* column BETWEEN values[0] AND values[1] */
	RT_EXPR_AND,
	RT_EXPR_OR,
	RT_EXPR_NOT,
	/* query_sub.c */
	RT_EXPR_COLUMNS,     /* column op other column */
	RT_EXPR_EXISTS,      /* EXISTS (the subquery) */
	RT_EXPR_IN_QUERY     /* column IN (SELECT other FROM the subquery) */
} rt_expr_kind;

struct rt_expr {
	rt_expr_kind kind;
	rt_column_ref column;
	/* The query source (0 = the query's model, then each join) the
	 * column belongs to: the model's latest appearance when the
	 * expression was built, or -1 to look it up when the query runs. */
	int source;
	rt_compare_op op;
	rt_value_ref *values;  /* copies, in the query's arena */
	size_t count;
	rt_expr *left, *right;
	/* query_sub.c: the query the condition was built with (its sources
	 * are the ones `source` counts); the other column of
	 * RT_EXPR_COLUMNS and RT_EXPR_IN_QUERY, a column of other_owner; the
	 * subquery of RT_EXPR_EXISTS and RT_EXPR_IN_QUERY. */
	const rt_query *owner;
	rt_column_ref other;
	int other_source;
	const rt_query *other_owner;
	rt_query *sub;
};

/* --- the query ------------------------------------------------------------------ */

/* The query's model (source 0) and each model joined into it. */
typedef struct rt_query_source {
	const rt_model_desc *model;
	int parent;                       /* source joined from; -1 for source 0 */
	const rt_relationship_desc *rel;  /* the relationship followed from parent */
	/* query_sub.c: a join on an explicit condition (rel NULL), and
	 * whether the join is a LEFT OUTER one. */
	rt_expr *on;
	bool outer;
} rt_query_source;

typedef struct rt_query_order {
	rt_column_ref column;
	int source;                       /* as in rt_expr */
	bool descending;
} rt_query_order;

/* An eager option: relationship `relationship` of the objects at node
 * `parent` (-1: the query's results). */
typedef struct rt_eager_node {
	const rt_model_desc *model;       /* the relationship's target */
	int parent;
	int relationship;                 /* index in the parent's model */
	/* A to-one relationship reached only through to-one ones: read from
	 * a LEFT OUTER JOIN of the main query, starting at result column
	 * first_column. Otherwise loaded by one SELECT ... IN per batch. */
	bool joined;
	int first_column;
} rt_eager_node;

typedef struct rt_query_aggregate {
	rt_aggregate function;
	rt_column_ref column;             /* model NULL: COUNT(*) */
	int source;
} rt_query_agg;

/* A value bound when the query runs, with the column it is compared to
 * (NULL for limits and offsets). */
typedef struct rt_query_param {
	rt_value_ref value;
	const rt_column_desc *column;
} rt_query_param;

struct rt_query {
	rt_session *session;
	const rt_model_desc *model;
	rt_arena *arena;

	/* The first error a builder met: every later run reports it. */
	int error;
	const char *error_message;

	rt_query_source *sources;
	size_t source_count, source_cap;
	rt_expr **filters;
	size_t filter_count, filter_cap;
	rt_query_order *orders;
	size_t order_count, order_cap;
	int64_t limit;                    /* -1: none */
	int64_t offset;                   /* 0: none */
	rt_eager_node *eager;
	size_t eager_count, eager_cap;
	rt_query_order *group_by;         /* descending unused */
	size_t group_count, group_cap;
	rt_query_agg *aggregates;
	size_t aggregate_count, aggregate_cap;

	/* The SQL being compiled and its parameters, reused across runs. */
	rt_buf sql;
	rt_query_param *params;
	size_t param_count, param_cap;

	/* Streaming (query_run.c): a statement of the query's own, one
	 * detached object overwritten row by row, and the memory of the
	 * current row's strings. */
	rt_stmt *stream;
	rt_object *stream_object;
	rt_arena *stream_arena;
	bool stream_done;
	/* Joined eager loading: each node's object of the current row. */
	void **eager_row;
	size_t eager_row_count;

	/* query_sub.c: the queries this one owns (subqueries of its
	 * conditions, queries united with it), freed with it; SELECT
	 * DISTINCT; the HAVING conditions of an aggregate query. */
	rt_query **owned;
	size_t owned_count, owned_cap;
	rt_query **unions;
	size_t union_count, union_cap;
	bool distinct;
	struct rt_query_having_cond *having;
	size_t having_count, having_cap;
	/* Row lock (query_lock.c), keyset condition (query_keyset.c: the
	 * filter it fills is filters[after_slot - 1], 0 for none) and the
	 * columns read (load_only.c: bit i for column i; 0 reads them all). */
	rt_row_lock lock;
	unsigned lock_flags;
	size_t after_slot;
	uint64_t load_only;
};

/* An aggregate compared with a value: HAVING SUM(t0."score") > ?. */
typedef struct rt_query_having_cond {
	rt_query_agg aggregate;
	rt_compare_op op;
	rt_value_ref value;
} rt_query_having_cond;

/* Frees the queries a query owns (rt_query_free). */
void rt__query_free_owned(rt_query *query);
/* The latest source of model in the query, or -1 (query.c). */
int rt__query_source_of(const rt_query *query, const rt_model_desc *model);

/* Ends a stream: its statement finalized (the connection free for other
 * statements), rt_query_next then returning RT_DONE. */
void rt__query_stream_end(rt_query *query);
/* Records err as the query's error (the first one wins) and returns it. */
int rt__query_fail(rt_query *query, int err);
/* The query's recorded error, made the thread's last error again; RT_OK
 * when there is none. */
int rt__query_check(rt_query *query);

/* --- query_sql.c ------------------------------------------------------------- */

/* What a compiled SELECT returns. */
typedef enum rt_select_shape {
	RT_SELECT_OBJECTS,   /* the model's columns, then joined eager columns */
	RT_SELECT_COUNT,     /* one row, one column: the number of results */
	RT_SELECT_EXISTS,    /* a row when there is a result */
	RT_SELECT_ROWS,      /* group-by columns, then aggregates */
	RT_SELECT_KEYS       /* the primary key of each result */
} rt_select_shape;

/* Compiles the query into query->sql and query->params. limit_cap >= 0
 * lowers the limit to at most that many rows (first: 1, one: 2). */
int rt__query_compile(rt_query *query, rt_select_shape shape, int64_t limit_cap);
/* Compiles a set-based write of the query's rows into query->sql and
 * query->params: UPDATE ... SET (set, count) or, set NULL, DELETE. The
 * assignments were checked by the caller. */
int rt__query_compile_write(rt_query *query, const rt_assignment *set, size_t count);
/* Binds query->params to stmt. */
int rt__query_bind(rt_query *query, rt_stmt *stmt);
/* Appends "alias"."column" for column of model. */
void rt__sql_column(rt_buf *sql, const rt_dialect *dialect, const char *alias,
		    const rt_model_desc *model, int column);
/* Appends the alias of source or eager node i: t0, t1, ... / e0, e1, ... */
void rt__sql_alias(char *out, size_t size, char prefix, int index);

/* --- eager.c ---------------------------------------------------------------------- */

/* After the main rows: loads every selectin eager option for results.
 * Joined options were read with the rows (rt__eager_read_joined).
 * map_was_empty: the session's identity map was empty when the run began. */
int rt__eager_load(rt_query *query, void *const *results, size_t count, bool map_was_empty);
/* Reads the joined eager objects of the current row (whose main object
 * is body) and links them. */
int rt__eager_read_joined(rt_query *query, rt_stmt *stmt, void *body);

/* --- keys.c: sets of key tuples ------------------------------------------------ */

/* Groups of equal keys, each key a tuple of `width` values (copies of the
 * pointers in the values, so the memory behind text keys must outlive
 * the set). Used to find the parent objects a loaded row belongs to. */
typedef struct rt_keyset rt_keyset;

int rt__keyset_new(rt_keyset **out, int width, size_t expected);
void rt__keyset_free(rt_keyset *set);
/* The group of key (added when new: *added set to true); -1 when out of
 * memory. */
long rt__keyset_add(rt_keyset *set, const rt_value_ref *key, bool *added);
/* The group of key, or -1. */
long rt__keyset_find(const rt_keyset *set, const rt_value_ref *key);
/* The key of group g. */
const rt_value_ref *rt__keyset_key(const rt_keyset *set, long group);
size_t rt__keyset_count(const rt_keyset *set);
/* true when the two values are equal as keys. */
bool rt__key_value_equal(const rt_value_ref *a, const rt_value_ref *b);

/* --- load.c / relload.c ------------------------------------------------------------ */

/* rt__object_from_row for a row whose object the caller knows the session
 * does not have: no identity-map lookup. */
int rt__object_from_new_row(rt_session *session, const rt_model_desc *model, rt_stmt *stmt,
			    int first_column, void **out_body);
/* true when value may be compared with or stored in column (NULL fits
 * every column; an enum value must be one of the column's enum). */
bool rt__value_fits(const rt_column_desc *column, const rt_value_ref *value);
/* The bytes of field `column` in the model's struct. */
size_t rt__field_size(const rt_column_desc *column);
/* Sets field `column` of body from a value (kinds as rt__value_bind
 * accepts them; text is not copied). RT_EINVAL when the value cannot be
 * stored there. */
int rt__field_store(const rt_column_desc *column, void *body, const rt_value_ref *value);
/* rt__load_relationship_many; fresh: the caller knows the session has no
 * object of the relationship's target model yet, so rows need no
 * identity-map lookup (a many-to-many ignores it: a target comes once per
 * parent there). */
int rt__load_relationship_fresh(rt_session *session, const rt_model_desc *model,
				int relationship, void *const *bodies, size_t count, bool fresh);
/* Sets the to-one relationship `index` of body to target (may be NULL),
 * marks it loaded, and sets the back side where that is determined by
 * this link (a one-to-one's many-to-one side and the reverse). */
int rt__relationship_set_one(rt_object *object, int index, void *target);
/* Records a to-many relationship's current items as its snapshot, the
 * copy going into items (room for the collection's count, in session
 * memory; NULL when it is empty). */
int rt__collection_snapshot_into(rt_object *object, int index, void **items);

/* --- query_lock.c, load_only.c ------------------------------------------------------ */

/* Appends the dialect's row-lock clause when the query locks its rows. */
void rt__query_put_lock(const rt_query *query, const rt_dialect *dialect, rt_buf *sql);
/* Before a locking query runs: on a backend without row locks, starts the
 * session's transaction with the database's write lock (begin_write). */
int rt__query_lock_begin(rt_query *query);
/* The SELECT list of the query's own model (the load-only columns, or
 * all) with alias t0; returns how many columns it wrote. */
int rt__query_select_own(rt_buf *sql, const rt_dialect *dialect, const rt_query *query);
/* Does the query's SELECT list hold column i of its model? */
bool rt__query_reads(const rt_query *query, int column);
/* Does a row of the query need rt__object_from_query_row (some columns
 * only, or a locked row that replaces the session's values)? */
bool rt__query_reads_specially(const rt_query *query);
/* Fills the unloaded fields of object that the current row holds (the
 * columns query reads, from first_column; NULL query: every column). */
int rt__object_fill_unloaded(rt_object *object, rt_stmt *stmt, int first_column,
			     const rt_query *query);
/* The session's object of the row's key, or NULL: the key's columns are
 * read from a row holding the columns of `reads` (bit i: column i; those
 * past the 64th always) from first_column on. */
int rt__row_find_object(rt_object **out, rt_session *session, const rt_model_desc *model,
			rt_stmt *stmt, int first_column, uint64_t reads);
/* rt__object_from_row for such a query's row. */
int rt__object_from_query_row(rt_query *query, rt_stmt *stmt, void **out_body);

#endif
