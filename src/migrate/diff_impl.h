/*
 * diff_impl.h - what the files of the schema differ share (diff.h is the
 * interface).
 *
 * The differ works on copies: `base` is the database's schema as the
 * dialect reads it (diff_copy.c), `from` the same after the renames
 * (diff_rename.c; base itself until the first rename, which copies it),
 * `to` the models as the dialect would store them, and `models` the models
 * as written, for the definitions operations carry. Each
 * difference becomes a step: an upgrade operation and its inverse, filed
 * under the phase that fixes where it runs (diff_tables.c, diff_order.c,
 * diff_enums.c). diff.c joins the phases: the upgrade in phase order, the
 * downgrade as the inverses in reverse.
 */
#ifndef RT_MIGRATE_DIFF_IMPL_H
#define RT_MIGRATE_DIFF_IMPL_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/map.h"
#include "migrate/diff.h"
#include "sql/ddl.h"

/* Where an operation runs in the upgrade. The order makes every step valid
 * for the database: types before the columns that use them, keys a
 * foreign key needs before the key, a table's referencing keys before the
 * table goes, and types dropped after the last column using them. */
typedef enum rt_diff_phase {
	RT_DIFF_CREATE_SCHEMA,  /* PostgreSQL schemas the new tables need */
	RT_DIFF_DROP_OBJECT,    /* triggers, views, indexes retort does not manage */
	RT_DIFF_DROP_SQL_OBJECT, /* triggers, views, functions the models dropped:
				  * before the tables they read go */
	RT_DIFF_RENAME_SQL_OBJECT, /* views, functions, sequences, ... the models
				    * renamed (`was`): before they are replaced,
				    * and renamed back after the downgrade puts
				    * back what they were replaced with */
	RT_DIFF_CREATE_ENUM,
	RT_DIFF_ADD_ENUM_VALUE,
	RT_DIFF_CREATE_EARLY_OBJECT, /* domains, sequences made or changed: before
				      * the columns that name them */
	RT_DIFF_RENAME_TABLE,
	RT_DIFF_RENAME_COLUMN,
	RT_DIFF_DROP_FOREIGN_KEY,
	RT_DIFF_DROP_TABLE,     /* referencing tables first */
	RT_DIFF_DROP_CONSTRAINT, /* primary keys, unique, checks, indexes */
	RT_DIFF_ADD_COLUMN,
	RT_DIFF_DROP_COLUMN,     /* after the adds: a table keeps a column */
	RT_DIFF_ALTER_COLUMN,
	RT_DIFF_ADD_KEY,        /* primary keys, unique constraints, unique indexes */
	RT_DIFF_CREATE_TABLE,   /* referenced tables first */
	RT_DIFF_ADD_CONSTRAINT, /* checks, indexes */
	RT_DIFF_ADD_FOREIGN_KEY,
	RT_DIFF_CREATE_SQL_OBJECT, /* functions, views, triggers made or replaced:
				    * once their tables are there */
	RT_DIFF_DROP_EARLY_OBJECT, /* domains, sequences the models dropped: once
				    * no column names them */
	RT_DIFF_DROP_ENUM,
	RT_DIFF_DROP_LATE_OBJECT, /* functions, sequences, types retort does not manage */
	RT_DIFF_PHASE_COUNT
} rt_diff_phase;

/* Upgrade operations and their inverse, each one or two operations long
 * (unused slots NULL; a step with no inverse has no down[0], and one that
 * only puts something back late in the downgrade, filed in an earlier
 * phase than the upgrade operation it undoes, no up[0]). */
typedef struct rt_diff_step {
	rt_op *up[2];
	rt_op *down[2];
} rt_diff_step;

typedef struct rt_diff_steps {
	rt_diff_step *items;
	size_t count, cap;
} rt_diff_steps;

/* A table of the database matched with a table of the models. */
typedef struct rt_diff_pair {
	rt_table *from;     /* in base */
	rt_table *to;
	rt_map to_of_from;  /* base column name -> matched column of `to` */
	rt_map from_of_to;  /* `to` column name -> matched column of base */
} rt_diff_pair;

typedef struct rt_differ {
	rt_migration *out;
	rt_arena *arena;          /* out->scratch's: operations, definitions, warnings */
	rt_arena *tmp;            /* the differ's own bookkeeping */
	const rt_dialect *dialect;
	const rt_diff_options *opts;
	bool native_enums;        /* enums are type objects of the database (RT_ENUM_TYPE) */

	/* from is base until a rename is filed (rt__diff_own_from): most
	 * runs rename nothing, and at 10,000 tables a copy costs a twentieth
	 * of `check`. */
	rt_schema *base, *from, *to;
	/* `to` as the models spell it, before canonicalize: what is compared
	 * is canonical, what operations carry is this, so that a script
	 * written against SQLite keeps timestamptz and comments for
	 * PostgreSQL. The caller's schema itself, read only and looked up by
	 * the names of `to` (a copy of it cost a tenth of `check` at 10,000
	 * tables); definitions taken from it are copied (rt__diff_def_table). */
	const rt_schema *models;

	rt_diff_pair **pairs;     /* in `to` order */
	size_t pair_count, pair_cap;
	rt_map pair_of_from;      /* base table name -> pair */
	rt_map pair_of_to;        /* `to` table name -> pair */
	rt_map kept_enums;        /* SQL names of enums ignored tables use: never dropped */

	rt_diff_steps phases[RT_DIFF_PHASE_COUNT];
} rt_differ;

/* --- diff.c ----------------------------------------------------------------- */

/* A new operation of kind acting on table, in the scratch arena. */
rt_op *rt__diff_op(rt_differ *d, rt_op_kind kind, const char *table);
/* Files a step; down may be NULL. */
int rt__diff_step(rt_differ *d, rt_diff_phase phase, rt_op *up, rt_op *down);
/* Files a step of two operations or two inverse ones (either second NULL). */
int rt__diff_step2(rt_differ *d, rt_diff_phase phase, rt_op *up, rt_op *up_then, rt_op *down,
		   rt_op *down_then);
/* Records a warning for the user. */
int rt__diff_warn(rt_differ *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The models' spelling of a table or column of `to`. */
const rt_table *rt__diff_model_table(const rt_differ *d, const rt_table *to);
const rt_column *rt__diff_model_column(const rt_differ *d, const rt_table *to,
				       const rt_column *column);
/* A string copied into the scratch arena (NULL stays NULL). */
const char *rt__diff_keep(rt_differ *d, const char *s);

/* --- diff_copy.c: deep copies, without relationships -------------------------- */

/* A copy of src leaving out the tables ignore says to. Enum types of the
 * copy's columns point to the copy's enums. */
int rt__diff_copy_schema(rt_schema **out, const rt_schema *src,
			 bool (*ignore)(const void *ctx, const char *table), const void *ctx);
/* A table not registered in any schema, with its own column map. */
rt_table *rt__diff_new_table(rt_arena *arena, const char *name);
/* A copy of src in dst's arena; registered in dst when add is true. Enum
 * types are left unresolved (type.enum_name only). */
rt_table *rt__diff_copy_table(rt_schema *dst, const rt_table *src, bool add);
rt_column *rt__diff_copy_column(rt_schema *dst, rt_table *table, const rt_column *src);
rt_constraint *rt__diff_copy_constraint(rt_arena *arena, const rt_constraint *src);
rt_index *rt__diff_copy_index(rt_arena *arena, const rt_index *src);
/* A step dropping with `drop` and making again with the statements of
 * make, in order (the steps of one phase are undone in reverse). */
int rt__diff_file_statements(rt_differ *d, rt_diff_phase phase, const char *drop,
			     const rt_sql_list *make);
rt_enum *rt__diff_copy_enum(rt_arena *arena, const rt_enum *src);
int rt__diff_copy_literal(rt_arena *arena, rt_literal *out, const rt_literal *src);
/* A definition for an operation: a detached copy of src in the scratch
 * arena, without `was` markers (they belong to the models, not to what
 * the operation does). */
rt_table *rt__diff_def_table(rt_differ *d, const rt_table *src);

/* --- diff_tables.c ------------------------------------------------------------------- */

/* The unique index named as unique key c, on as many columns, that
 * `spelling`'s table of that name has; NULL when none (the scripts name a
 * column renamed in the same revision as it was: the caller files the
 * index on c's columns). A database that
 * keeps no difference between the two (canonicalize makes every unique
 * index a unique key, as MariaDB does) compares keys, but an operation
 * must name the object as the scripts made it (a drop, a dropped table's
 * definition) or the models declare it (an add): `drop constraint` of
 * what the scripts created with `create unique index` does not replay. */
const rt_index *rt__diff_spelled_as_index(const rt_schema *spelling, const char *table,
					  const rt_constraint *c);
/* Removes constraint c from table's list (not the primary key). */
void rt__diff_remove_constraint(rt_table *table, const rt_constraint *c);
/* Makes d->from a copy of base of its own, if it is not yet, before it is
 * changed. */
int rt__diff_own_from(rt_differ *d);
/* Rebuilds the schema's table and enum maps after names changed. */
int rt__diff_reindex_schema(rt_schema *schema);

/* --- diff_rename.c --------------------------------------------------------------- */

/* Matches the tables and columns of base with those of `to`: by stated
 * rename, by `was`, by name, and by the user's answer about likely renames. */
int rt__diff_match(rt_differ *d);
/* Applies the matched renames to `from` (a copy of base) and files the
 * rename steps. */
int rt__diff_rename(rt_differ *d);

/* --- diff_enums.c ---------------------------------------------------------------- */

/* Adopts the models' enum names in base where the database cannot tell
 * them (needs the matching). */
int rt__diff_name_enums(rt_differ *d);
/* Files the steps for enum types: create, add value, drop. */
int rt__diff_enums(rt_differ *d);
/* Do two enum columns hold the same values? */
bool rt__diff_same_enum_values(const rt_enum *a, const rt_enum *b);
/* The enum a column of schema uses, or NULL. */
const rt_enum *rt__diff_column_enum(const rt_schema *schema, const rt_column *column);
/* Where the database keeps no enum types: the enum the scripts created
 * under that SQL name, or NULL (also when the scripts are not known). */
const rt_enum *rt__diff_scripts_enum(const rt_differ *d, const char *sql_name);

/* --- diff_tables.c --------------------------------------------------------------- */

/* Are two column types the same (enums by name)? */
bool rt__diff_same_type(const rt_type *a, const rt_type *b);
/* A column of the database (of table, going away) as the scripts made it,
 * where they are known and the database holds just that: a STRICT table
 * (SQLite) declares a bool INTEGER, which reads back as an int with a
 * DEFAULT TRUE the language refuses on one, so the downgrade makes the
 * scripts' bool again. Else the column as given (diff_tables.c). */
const rt_column *rt__diff_as_scripts_made(const rt_differ *d, const rt_table *table,
					  const rt_column *column);
/* Files the steps for columns, keys, constraints and indexes of the tables
 * both sides have. */
int rt__diff_tables(rt_differ *d);
/* Files adding (dropping) foreign key c of table, with its inverse. */
int rt__diff_add_foreign_key(rt_differ *d, const rt_table *table, const rt_constraint *c);
int rt__diff_drop_foreign_key(rt_differ *d, const rt_table *table, const rt_constraint *c);

/* --- diff_part.c ----------------------------------------------------------------- */

/* RT_OK when the two tables split their rows alike (partition by,
 * partition of, bound); else RT_EINVAL recorded, naming the table and
 * what to do: autogenerate never repartitions a table. */
int rt__diff_check_partitioning(rt_differ *d, const rt_table *from, const rt_table *to);

/* --- diff_unmanaged.c ------------------------------------------------------------ */

/* Lists the tables, indexes and enum types of base that neither the models
 * nor the scripts have, and takes them out of base unless they are to be
 * dropped. Runs before the matching. */
int rt__diff_sort_managed(rt_differ *d);
/* Lists the other objects of the reflected schema (those on ignored
 * tables and excluded ones left out) and, when they are to be dropped,
 * files their drops. */
int rt__diff_objects(rt_differ *d, const rt_schema *reflected,
		     bool (*ignored)(const void *ctx, const char *table));

/* Lists one thing the database holds that is not managed ("view v",
 * "trigger t on users") in opts->unmanaged. */
int rt__diff_list_unmanaged(rt_differ *d, const char *kind, const char *name, const char *table);
/* A step running the database's own statement (execute ... only
 * <dialect>), for what the scripts' state does not know. */
rt_op *rt__diff_execute(rt_differ *d, const char *sql);

/* --- diff_objects.c ---------------------------------------------------------------- */

/* Files the steps for views, materialized views, functions and triggers:
 * created, replaced, dropped (those of base neither the models nor the
 * scripts made are listed as not managed and left alone, or dropped by
 * the database's statements with drop_unmanaged). */
int rt__diff_sql_objects(rt_differ *d);
/* An operation of kind on a copy of o (in the scratch arena): its SQL
 * sql when given, else o's, and a materialized view's WITH NO DATA and
 * indexes those of parts (o's when NULL). NULL when out of memory. */
rt_op *rt__diff_object_op(rt_differ *d, rt_op_kind kind, const rt_sql_object *o, const char *sql,
			  const rt_sql_object *parts);

/* --- diff_objects_rename.c ------------------------------------------------------------ */

/* Files a rename for each object of the models whose `was` names an
 * object of base that the models no longer have by that name, when base
 * has none of the new name, and renames it in base, so that the objects'
 * comparison (rt__diff_sql_objects, after it) sees one object and
 * replaces it when its SQL changed beyond the name. */
int rt__diff_rename_sql_objects(rt_differ *d);
/* Does sql hold, as a word, the old name of an object this revision
 * renames (filed by rt__diff_rename_sql_objects)? */
bool rt__diff_names_renamed_object(const rt_differ *d, const char *sql);
/* The name (as SQL writes it: without its schema) object v of base had
 * before this revision renamed it, or NULL when it was not renamed. */
const char *rt__diff_old_name(const rt_differ *d, const rt_sql_object *v);

/* --- diff_schemas.c: PostgreSQL schemas ----------------------------------------- */

/* Files `create schema` for each schema the models use and the database
 * lacks; refuses a table the models move to another schema. */
int rt__diff_namespaces(rt_differ *d);

/* --- diff_order.c ---------------------------------------------------------------- */

/* Files create table and drop table steps in foreign-key order. */
int rt__diff_create_tables(rt_differ *d);
int rt__diff_drop_tables(rt_differ *d);

#endif
