/*
 * ddl.h - CREATE / DROP statements for a schema, for any dialect.
 *
 * The statements are rendered from the metadata model and the dialect's
 * capability record and hooks (dialect/dialect.h); no dialect-specific
 * branches beyond what the capabilities say live here.
 */
#ifndef RT_SQL_DDL_H
#define RT_SQL_DDL_H

#include "base/arena.h"
#include "dialect/dialect.h"
#include "schema/metadata.h"

/* A list of SQL statements, without trailing semicolons, and what each
 * is (kinds[i] for items[i], for rt__ddl_join's layout). Statements are
 * added with rt__sql_list_push, which keeps the two together; one a
 * caller appends to items by hand has no kind (RT_STMT_OTHER). */
typedef struct rt_sql_list {
	const char **items;
	size_t count, cap;
	rt_stmt_kind *kinds;
	size_t kind_count, kind_cap;
} rt_sql_list;

/* Appends sql (kept as given: allocated in arena, or constant) of kind. */
int rt__sql_list_push(rt_arena *arena, rt_sql_list *list, const char *sql, rt_stmt_kind kind);

/* Appends to list (allocated in arena) the statements that create every
 * enum type, table, constraint, index and comment of the schema, tables in
 * foreign-key order, then its views, functions and triggers. Returns RT_OK
 * or an error (a name longer than the dialect allows, a kind of object it
 * lacks: RT_EINVAL, nothing appended). */
int rt__ddl_create_all(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
		       const rt_dialect *dialect);
/* The statements that drop them all, in reverse dependency order. */
int rt__ddl_drop_all(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
		     const rt_dialect *dialect);

/* --- domains, sequences, routines, views, triggers (ddl_objects.c) ---------- */

typedef enum rt_ddl_action {
	RT_SQL_CREATE,
	RT_SQL_REPLACE, /* in place where the backend can, else DROP and CREATE */
	RT_SQL_DROP
} rt_ddl_action;

/* Does the dialect have this kind of SQL object? */
bool rt__ddl_has_sql_kind(const rt_dialect *dialect, rt_sql_kind kind);
/* RT_OK, or RT_EINVAL recorded naming the object, the backend and the
 * kind it lacks ("function touch: SQLite has no functions"), or a name
 * longer than it allows. For one object, and for every one of schema. */
int rt__ddl_check_sql_object(const rt_dialect *dialect, const rt_sql_object *o);
int rt__ddl_check_sql_objects(const rt_dialect *dialect, const rt_schema *schema);
/* A SQL object's name as its statements write it: "v", or "billing"."v"
 * for one of PostgreSQL schema billing. */
void rt__ddl_put_sql_object_name(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o);
/* Appends the statements that create, replace or drop o (checked first:
 * nothing appended on a refusal). */
int rt__ddl_sql_object(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
		       rt_ddl_action action, const rt_dialect *dialect);
/* The statements that replace o, whose SQL was old_sql (NULL: not
 * known): as rt__ddl_sql_object's RT_SQL_REPLACE, and a domain altered
 * clause by clause from old_sql where the backend can (ddl_domain.c). */
int rt__ddl_replace_sql_object(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
			       const char *old_sql, const rt_dialect *dialect);
/* Appends the statements that rename o (its definition as state, the
 * schema before the rename, has it; sql NULL when not known) to
 * new_name: the dialect's rename_sql_object where it renames the kind in
 * place, else DROP and CREATE under the new name (its CREATE statement
 * saying the new name: rt__sql_object_rename). Refused by name, nothing
 * appended, where that would lose what the object holds (a sequence's
 * value, a materialized view's rows, the triggers state has on a view)
 * or o's SQL is not known. */
int rt__ddl_rename_sql_object(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
			      const char *new_name, const rt_schema *state,
			      const rt_dialect *dialect);
/* A trigger's table, as rt_table.name has it, quoted: billing.accounts
 * is table accounts of schema billing where the dialect has schemas (a
 * trigger names no rt_table to ask; a table of public whose own name
 * holds a dot is read so too there). */
void rt__ddl_put_object_table(rt_buf *buf, const rt_dialect *dialect, const char *table);
/* Appends buf's text as a statement of kind (copied into arena) and
 * clears buf: RT_OK, or RT_ENOMEM when buf or the copy failed. */
int rt__ddl_push(rt_arena *arena, rt_sql_list *list, rt_buf *buf, rt_stmt_kind kind);
/* The ALTER DOMAIN statements that take the domain from old_sql to o's
 * SQL, appended: RT_OK; 1 when it cannot be altered so (nothing
 * appended: drop and create it); < 0 on error. ddl_domain.c. */
int rt__ddl_alter_domain(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
			 const char *old_sql, const rt_dialect *dialect);
/* The SQL objects of schema made before the tables (early: domains and
 * sequences, rt__sql_kind_is_early) or after them (the others), created
 * in the schema's order; dropped, in reverse. */
int rt__ddl_create_sql_objects(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
			       bool early, const rt_dialect *dialect);
int rt__ddl_drop_sql_objects(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
			     bool early, const rt_dialect *dialect);

/* --- names (ddl_names.c) ---------------------------------------------------- */

/* Every name the schema's DDL would create, against the dialect's limit
 * and against the names two tables may not share there (caps
 * index_names_per_table, foreign_key_names_per_schema): RT_OK, or
 * RT_EINVAL recorded naming the first name that does not fit (with both
 * tables and the dialect for a shared one). rt__ddl_create_all checks so. */
int rt__ddl_check_schema_names(const rt_dialect *dialect, const rt_schema *schema);

/* The namespace a name goes in: a table's; an index's, a primary key's or
 * unique constraint's (an index on every backend); a foreign key's. */
typedef enum rt_name_kind {
	RT_NAME_TABLE,
	RT_NAME_INDEX,
	RT_NAME_FOREIGN_KEY
} rt_name_kind;

/* For a migration operation, against the schema before it: is `name`, of
 * kind, given to table `table` (for RT_NAME_TABLE: the table's new name,
 * as `table` too) free of the other tables of schema where the dialect
 * shares such names between tables? RT_OK, or RT_EINVAL recorded naming
 * the name, both tables and the dialect. A name already in `table` itself
 * is left to the operation to refuse. */
int rt__ddl_check_name_free(const rt_dialect *dialect, const rt_schema *schema,
			    const char *table, rt_name_kind kind, const char *name);
/* The same for every index, key and foreign key name of def, the
 * definition of a table named `name` (new when with_table: its name is
 * checked too) or of columns added to it. */
int rt__ddl_check_table_free(const rt_dialect *dialect, const rt_schema *schema,
			     const rt_table *def, const char *name, bool with_table);

/* Names against the dialect's identifier limit (caps.max_identifier_length;
 * the schema language's is checked without a dialect, schema/naming.h):
 * RT_OK, or RT_EINVAL recorded naming the first that is too long. Those of
 * table's columns, constraints and indexes, and its own when with_table;
 * and one name of a kind ("table", "index", ...). rt__ddl_create_all checks
 * every name it would create. */
int rt__ddl_check_names(const rt_dialect *dialect, const rt_table *table, bool with_table);
int rt__ddl_check_name(const rt_dialect *dialect, const char *what, const char *name);
/* A constraint's name fits the dialect's limit and the dialect carries out
 * what it says (a foreign key's actions: caps.fk_set_default_ignored). */
int rt__ddl_check_constraint(const rt_dialect *dialect, const char *table,
			     const rt_constraint *c);

/* Indexes the dialect would not keep as the schema says them (ddl_check.c):
 * RT_EINVAL recorded naming the table, the index and what the dialect
 * lacks: a method it has not (dialect->index_methods), a WHERE, an
 * expression key, INCLUDE columns or a DESC key (caps.index_where, ...);
 * and an index (not a unique one, of the default method) on a column of
 * unbounded length (string without a length, text, blob, json) where the
 * dialect keeps only a part of such a column in an index
 * (caps.index_unbounded false). Those of table, and one index of table.
 * rt__ddl_create_all checks every table. (A type change of an indexed
 * column is the dialect's alter_column hook's to refuse.) It also refuses
 * a virtual generated column where the dialect has stored ones only
 * (caps.generated_virtual), and an array column where the dialect has no
 * arrays (rt__ddl_check_type). */
int rt__ddl_check_keys(const rt_dialect *dialect, const rt_table *table);
/* RT_OK, or RT_EINVAL naming the table, the column and the backend when
 * the type is an array (int[]) and the dialect has none (caps.arrays). */
int rt__ddl_check_type(const rt_dialect *dialect, const char *table, const char *column,
		       const rt_type *type);
/* RT_OK, or RT_EINVAL naming the table, the column and the backend when
 * the column says `server onupdate now` and the dialect has no ON UPDATE
 * (caps.server_onupdate). */
int rt__ddl_check_onupdate(const rt_dialect *dialect, const char *table,
			   const rt_column *column);
/* RT_OK, or RT_EINVAL naming the table, the collation and the backend
 * when collation (a table's default: rt_table.collation; NULL: none) is
 * set and the dialect has no table collations (its table_collation). */
int rt__ddl_check_table_collation(const rt_dialect *dialect, const char *table,
				  const char *collation);
int rt__ddl_check_index(const rt_dialect *dialect, const rt_table *table,
			const rt_index *index);
/* The dialect's method of that name; NULL for NULL (the default) and for
 * one the dialect has not. */
const rt_index_method *rt__ddl_index_method(const rt_dialect *dialect, const char *name);

/* Table options (rt_table_option bits) of table `table` that the dialect
 * does not have (its table_option_sql): RT_EINVAL recorded naming the
 * table, the option and the dialect (ddl_check.c). rt__ddl_create_all
 * checks every table. */
int rt__ddl_check_table_options(const rt_dialect *dialect, const char *table,
				unsigned options);

/* A partitioned table or a partition where the dialect has no
 * declarative partitioning (its partition_clause): RT_EINVAL recorded
 * naming the table and the dialect (ddl_check.c). rt__ddl_create_all
 * checks every table. */
int rt__ddl_check_partitioning(const rt_dialect *dialect, const rt_table *table);
/* RT_OK, or RT_EINVAL naming the table, its schema and the dialect when
 * the table is in a schema (rt_table.schema) and the dialect has none
 * (caps.schemas). */
int rt__ddl_check_table_schema(const rt_dialect *dialect, const rt_table *table);
/* The same for an enum in a PostgreSQL schema (rt_enum.schema), and for
 * any other named thing: what ("view") and its name as the schema writes
 * it ("billing.v"). */
int rt__ddl_check_enum_schema(const rt_dialect *dialect, const rt_enum *e);
int rt__ddl_check_named_schema(const rt_dialect *dialect, const char *what, const char *name,
			       const char *schema);

/* Pieces later modules (migrations) reuse. Each appends to buf. */
/* CREATE TABLE. Where the dialect can ALTER TABLE ... ADD CONSTRAINT, two
 * kinds of constraints are left for rt__ddl_create_table_rest: a unique
 * constraint repeating the columns of the primary key or of an earlier
 * unique constraint (PostgreSQL's CREATE TABLE would drop it silently),
 * and a foreign key to the table itself through columns only a unique
 * index makes unique (the index comes after the table). */
void rt__ddl_create_table(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			  const rt_dialect *dialect, bool inline_foreign_keys);
/* Appends the statements that follow rt__ddl_create_table's: the unique
 * constraints it left out, the table's indexes, the foreign keys it left
 * out, and the comments when the dialect keeps them. */
int rt__ddl_create_table_rest(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
			      const rt_table *table, const rt_dialect *dialect);
/* CREATE TABLE for table's definition under another name (the new table
 * of a rebuild, for dialects that cannot ALTER TABLE ... ADD CONSTRAINT,
 * so every key inline); constraint names, including the enum CHECKs named
 * after the table, stay those of table->name. */
void rt__ddl_create_table_as(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			     const char *sql_name, const rt_dialect *dialect);
/* Appends the statements that set the comments of table and its columns
 * (the dialect's comment hook), when the dialect keeps comments; schema
 * is the table's (its enum types). */
int rt__ddl_comments(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
		     const rt_table *table, const rt_dialect *dialect);
void rt__ddl_column(rt_buf *buf, const rt_schema *schema, const rt_table *table,
		    const rt_column *column, const rt_dialect *dialect);
void rt__ddl_create_index(rt_buf *buf, const rt_table *table, const rt_index *index,
			  const rt_dialect *dialect);
/* schema: where a foreign key's referenced table is looked up (its
 * PostgreSQL schema); NULL: the name alone. */
void rt__ddl_constraint(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			const rt_constraint *c, const rt_dialect *dialect);
/* A table's name in SQL: "billing"."accounts" for a table in PostgreSQL
 * schema billing, else its quoted name. */
void rt__ddl_put_table(rt_buf *buf, const rt_dialect *dialect, const rt_table *table);
/* The same for the table schema calls name (rt_table.name); a name schema
 * lacks (or a NULL schema) is quoted whole. */
void rt__ddl_put_table_named(rt_buf *buf, const rt_dialect *dialect, const rt_schema *schema,
			     const char *name);
void rt__ddl_literal(rt_buf *buf, const rt_literal *literal, const rt_dialect *dialect);

/* Between ddl_table.c and ddl.c. CREATE TABLE with the foreign keys marked
 * in deferred (parallel to table->constraints; NULL = none) left for ALTER
 * TABLE; and whether constraint k must wait for ALTER TABLE (see
 * rt__ddl_create_table) where the dialect has it. */
void rt__ddl_create_table_deferred(rt_buf *buf, const rt_schema *schema, const rt_table *table,
				   const rt_dialect *dialect, const bool *deferred);
bool rt__ddl_comes_late(const rt_table *table, size_t k, const rt_dialect *dialect);

/* Joins a statement list as "stmt;\n" text (for `retort sql`), a blank
 * line opening each table and each run of statements of a new kind. */
void rt__ddl_join(rt_buf *buf, const rt_sql_list *list);

#endif
