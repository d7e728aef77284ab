/*
 * infer.h - making a reflected schema read like one a person would write:
 * model names for tables, and relationships guessed from foreign keys, as
 * sqlacodegen does for SQLAlchemy. `retort inspect` prints the result.
 *
 * The rules (docs/cli.md repeats them for users):
 *   - A table with a primary key becomes a model named in CamelCase
 *     singular (order_items -> OrderItem); one without stays a `table`.
 *   - A pure association table (exactly two foreign keys, to two different
 *     models, whose columns are all of its columns and form its primary
 *     key) stays a `table`, and its two sides get many-to-many
 *     relationships `through` it.
 *   - Every other single-column foreign key from model A to model B gives
 *     A a many-to-one relationship named after the column minus `_id`
 *     (else after B's table in the singular), `B` or `B?` by the column's
 *     nullability, and B the other side: `<A's table, plural> A[]`, or
 *     `<A's table, singular> A?` when the column is unique (one-to-one).
 *     When A has several foreign keys to B, B's side is prefixed with A's
 *     relationship name (sender_messages) and both carry `on <column>`.
 *   - A name already used by a column or another relationship of the same
 *     model gets a number: user2, user3, ...; a model name taken by an
 *     enum or another model likewise.
 *   - An enum keeps its name when it is a type name already, else it is
 *     named in CamelCase after its SQL type (cart_status -> CartStatus); a
 *     column whose SQL name is no identifier ("Display Name") gets the
 *     field name display_name.
 * Only names and relationships change: the tables, columns, keys and
 * indexes (everything DDL is made from) stay exactly as reflected.
 */
#ifndef RT_SCHEMA_INFER_H
#define RT_SCHEMA_INFER_H

#include "schema/metadata.h"

/*
 * Names the models and adds the relationships described above, in place.
 * Tables named in skip (a NULL-terminated list, may be NULL) are removed
 * first unless another table refers to them: `retort inspect` skips the
 * version bookkeeping (alembic_version, retort_history). Returns RT_OK or
 * RT_ENOMEM.
 */
int rt__schema_infer(rt_schema *schema, const char *const *skip);

#endif
