/*
 * compare.h - equality rules for pieces of a schema, shared by the schema
 * differ (compare.c; SQL expressions in sql_expr.c) and by migration
 * autogenerate, so that "equal" means the same thing everywhere.
 */
#ifndef RT_SCHEMA_COMPARE_H
#define RT_SCHEMA_COMPARE_H

#include <stdbool.h>

#include "base/buf.h"
#include "schema/metadata.h"

/*
 * Are two SQL expressions (CHECK bodies, `sql '...'` defaults) the same
 * expression, as far as text can tell? Databases hand expressions back
 * rewritten: PostgreSQL turns `price >= 0` into `(price >= (0)::numeric)`.
 * Both sides are brought to a canonical form first:
 *   - `x BETWEEN a AND b` becomes `x >= a AND x <= b` and NOT BETWEEN
 *     `x < a OR x > b`, as PostgreSQL stores them (for single values
 *     only: a name, a number or a string on each side);
 *   - `::type` casts are removed (type names may have spaces, a length and
 *     array marks: ::character varying, ::numeric(10,2), ::text[]); a cast
 *     of a quoted number to a numeric type keeps the bare number
 *     ('-1'::integer -> -1);
 *   - all parentheses and whitespace are removed;
 *   - text outside quotes is lower-cased; "ident" loses its quotes when it
 *     is a plain lower-case identifier;
 *   - PostgreSQL's spellings become the standard ones: != -> <>,
 *     ~~ -> like, ~~* -> ilike, !~~ -> not like, = ANY (ARRAY[..]) -> IN,
 *     <> ALL (ARRAY[..]) -> NOT IN.
 * String literals are compared exactly.
 */
bool rt__sql_expr_equal(const char *a, const char *b);

/* Are two partition bounds (the text after FOR VALUES) the same? As
 * rt__sql_expr_equal, and a number quoted or not is one value: a bound's
 * values are made the key's type, and PostgreSQL renders each quoted
 * (FROM (1) TO (100) reads back FROM ('1') TO ('100')). Implemented in
 * sql_expr.c. */
bool rt__sql_bound_equal(const char *a, const char *b);

/* Appends the canonical form described above to out (for messages and
 * tests). Implemented in sql_expr.c. */
void rt__sql_expr_canonical(rt_buf *out, const char *expr);

/* If the len bytes at s are exactly one '...' literal (as a catalogue
 * prints a default), its value with '' undoubled, in arena; else NULL
 * (also for two literals, 'a' || 'b', and when out of memory). */
char *rt__sql_string_literal(rt_arena *arena, const char *s, size_t len);

/*
 * Is index b the same index as a, its name aside: unique alike, the same
 * keys in order (a column by name, an expression by rt__sql_expr_equal,
 * DESC alike), method, INCLUDE columns and WHERE (rt__sql_expr_equal).
 * Implemented in compare.c.
 */
bool rt__index_same_definition(const rt_index *a, const rt_index *b);

/*
 * How two tables' partitioning differs, or NULL when it does not:
 * "partition by" (method or keys; expression keys compared as SQL
 * expressions), "partition of" (the partitioned table), "bound" (compared
 * as a SQL expression: PostgreSQL hands it back in its own spelling).
 */
const char *rt__partitioning_difference(const rt_table *a, const rt_table *b);

/*
 * Are two literals (defaults, server defaults) equal? Kinds must match,
 * except that an enum value equals a string with the same text (a database
 * reports enum defaults as strings). Numbers compare by their text as
 * written, ignoring one leading '+', so 1.0 and 1 differ: the schema keeps
 * what the user wrote. Booleans ignore case; `sql` expressions compare with
 * rt__sql_expr_equal.
 */
bool rt__literal_equal(const rt_literal *a, const rt_literal *b);

/*
 * Are two columns generated alike? Both plain, or both stored (both
 * virtual) with expressions equal under rt__sql_expr_equal, so that an
 * expression as the database reprints it (PostgreSQL's casts and
 * parentheses, MariaDB's backticks, which its reflection takes off) equals
 * the text it was made from.
 */
bool rt__column_generation_equal(const rt_column *a, const rt_column *b);

#endif
