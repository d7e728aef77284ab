/*
 * validate.h - turning the syntax tree into the schema model, checking it.
 *
 * rt__schema_build is the one entry point (called by parse.c once every
 * file is read, so that declarations may refer forward). It runs in passes,
 * each in its own file:
 *
 *   validate.c       declarations (enums, mixins, models, tables), their
 *                    members as columns and relationships, mixin expansion,
 *                    and column shorthands turned into table-level
 *                    constraints and indexes (the normal form, metadata.h)
 *   validate_keys.c  primary keys and autoincrement, foreign key targets
 *                    and column types, default names, name lengths and
 *                    duplicate names
 *   validate_lit.c   defaults and server defaults against column types
 *   validate_rel.c   relationships: foreign key inference, `through`,
 *                    `back` checked both ways, `order by`
 *   validate_objects.c  views, materialized views, functions, triggers:
 *                    names, a trigger's table, the order to create them
 *
 * The rest of this header is the state those files share.
 */
#ifndef RT_SCHEMA_VALIDATE_H
#define RT_SCHEMA_VALIDATE_H

#include "schema/diag.h"
#include "schema/metadata.h"
#include "schema/parser.h"

/* Fills schema from ast; every problem is recorded in diags. */
void rt__schema_build(rt_schema *schema, const rt_ast *ast, rt_diag_list *diags);

/*
 * A definition inside a migration script (the body of `create table`, the
 * column of `add column`, the values of `create enum`) is validated on its
 * own, in an open world: it may use what the database already holds. So
 * a foreign key's target is kept as written, never looked up; and a
 * CamelCase type that names no enum the script knows is an enum that may
 * exist already (its values unknown, so its defaults go unchecked). The
 * enums the script created before the definition are found through
 * find_enum (NULL: none), which returns NULL for a name it does not know.
 * Enum columns point at what find_enum returned (type.enum_type) or at
 * nothing.
 */
typedef struct rt_build_fragment {
	const rt_enum *(*find_enum)(void *ctx, const char *name);
	void *ctx;
	/* Where validation's temporaries go (NULL: diags' arena); nothing
	 * the schema keeps points into it, so it may be freed right after. */
	rt_arena *scratch;
} rt_build_fragment;

void rt__schema_build_fragment(rt_schema *schema, const rt_ast *ast, rt_diag_list *diags,
			       const rt_build_fragment *fragment);

/* --- shared by the validation passes --------------------------------------- */

/* A member of a table as validation sees it: the model's own members first,
 * then those of its mixins in `uses` order. */
typedef struct rt_build_member {
	const rt_ast_member *ast;
	const rt_ast_decl *mixin; /* the mixin it came from, or NULL */
	/* The subclass (single-table inheritance) that declares it, in its
	 * root's table, or NULL. */
	const rt_ast_decl *subclass;
	rt_column *column;        /* when it is a column */
} rt_build_member;

typedef struct rt_build_table {
	rt_table *table;
	const rt_ast_decl *decl;
	rt_build_member *members;
	size_t member_count, member_cap;
	rt_map members_by_name;   /* field and relationship names -> rt_build_member* */
	struct rt_build_rel **rels; /* its relationships */
	size_t rel_count, rel_cap;
	bool broken_fk;           /* a foreign key of it failed to resolve */
} rt_build_table;

/* A foreign key with what is needed to report errors about it. */
typedef struct rt_build_fk {
	rt_build_table *owner;
	rt_constraint *fk;
	const rt_ast_ref *ref;
	const rt_ast_names *columns; /* table-level: the written column list */
	const rt_ast_member *column; /* column-level: the column's member */
	rt_table *target;            /* resolved referenced table, or NULL */
	bool valid;                  /* columns and target all resolved */
} rt_build_fk;

typedef struct rt_build_rel {
	rt_build_table *owner;
	rt_relationship *rel;
	const rt_ast_member *ast;
	size_t index;                /* position in rt_build.rels */
	bool resolved;               /* its foreign key(s) were found */
} rt_build_rel;

typedef struct rt_build {
	rt_schema *schema;
	rt_arena *arena;             /* the schema's arena: what the model keeps */
	rt_arena *scratch;           /* the parse's arena: dropped afterwards */
	rt_diag_list *diags;

	rt_map types;                /* model, enum and mixin names -> rt_ast_decl* */
	rt_map mixins;               /* mixin name -> rt_ast_decl* */
	rt_map tables_by_name;       /* SQL table name -> rt_build_table* */

	rt_build_table **tables;     /* in schema order */
	size_t table_count, table_cap;
	rt_build_fk **fks;
	size_t fk_count, fk_cap;
	rt_build_rel **rels;
	size_t rel_count, rel_cap;
	/* Models declared `extends` with no table of their own, in
	 * declaration order (validate_inherit.c). */
	const rt_ast_decl **subclasses;
	size_t subclass_count, subclass_cap;
	bool long_table_name;        /* names pass: the current table's name is
				      * over the limit */
	const rt_build_fragment *fragment; /* a script's definition, or NULL */
} rt_build;

/* Checks a column's collation and generation against its type and its
 * other options (validate_column.c). */
void rt__build_check_column_options(rt_build *b, const rt_ast_member *m, const rt_type *type);
/* A `version` column when the table already has one (validate_column.c). */
void rt__build_check_version(rt_build *b, const rt_ast_member *m, const rt_table *table,
			     const rt_column *column);

/* Appends a member to a table's list of members (validate.c). */
void rt__build_push_member(rt_build *b, rt_build_table *bt, const rt_ast_member *m,
			   const rt_ast_decl *mixin, const rt_ast_decl *subclass);
/* Inheritance (validate_inherit.c): the subclasses' members pushed into
 * their root's table, once its own members are; then, once columns are
 * built, the discriminator checked and the subclass models made. */
void rt__build_subclass_members(rt_build *b);
/* The model decl extends, or NULL (reported when report is set: an
 * unknown name, an enum or mixin, a model on a view). */
const rt_ast_decl *rt__build_parent_decl(rt_build *b, const rt_ast_decl *decl, bool report);
void rt__build_inheritance(rt_build *b);
/* Joined-table inheritance (validate_joined.c): once primary keys are
 * built, each joined subclass's table gets its parent's key columns as
 * its primary key and a foreign key to the parent's table. */
void rt__build_joined(rt_build *b);

/* A copy of text in the schema's arena (NULL stays NULL). */
const char *rt__build_keep(rt_build *b, const char *text);
/* Records that memory ran out; validation winds down. */
void rt__build_nomem(rt_build *b);
/* "model User" or "table cart_product", for messages. */
const char *rt__build_owner(rt_build *b, const rt_table *table);
/* The table's build record. */
rt_build_table *rt__build_table(rt_build *b, const rt_table *table);

/* "line 12", or "other.rt:12" when pos is in another file than here. */
const char *rt__build_where(rt_build *b, rt_pos pos, rt_pos here);

/* The column of table written as name (C field or SQL name), or NULL
 * after reporting "table t has no column 'x'" (what = NULL) or "table t
 * has no column 'x' for <what>". */
rt_column *rt__build_find_column(rt_build *b, rt_table *table, const rt_ast_name *name,
				 const char *what);
/* Reports a table name that names no table; what is the keyword that
 * wanted one ("'references'"). */
void rt__build_unknown_table(rt_build *b, const rt_ast_name *name, const char *what);

/* Are these columns (SQL names) exactly the primary key, a unique
 * constraint or a unique index of table, in any order? */
bool rt__build_columns_unique(const rt_table *table, const char *const *columns,
			      size_t count);

/* Partitioning (validate_part.c): a declaration's `partition by` and
 * `partition of` into its table; whether a member may stand in a
 * partition's body (false: reported); the table whose columns a table's
 * constraints name (a partition's are its partitioned table's; NULL when
 * that is not known: missing, or the database's in a script). */
void rt__build_partitioning(rt_build *b, rt_table *table, const rt_ast_decl *decl);
bool rt__build_partition_member(rt_build *b, const rt_build_table *bt, const rt_ast_member *m);
const rt_table *rt__build_columns_of(rt_build *b, const rt_table *table);
/* An index's keys, method, INCLUDE columns and WHERE from its declaration,
 * column keys resolved on bt's columns (bt NULL: taken as written). */
void rt__build_index(rt_build *b, rt_build_table *bt, rt_index *index, const rt_ast_index *ast);

/* Pass 3 (validate_constraints.c): a table's constraints and indexes in
 * their normal form. */
void rt__build_constraints(rt_build *b, rt_build_table *bt);

/* Passes. */
void rt__build_keys(rt_build *b);
void rt__build_partitions(rt_build *b);
void rt__build_names(rt_build *b);
/* Checks a default (server = false) or server default written for column
 * and stores it in *out, normalized (an enum value written in quotes
 * becomes an enum literal). */
void rt__build_literal(rt_build *b, const rt_column *column, rt_literal *out,
		       const rt_ast_literal *literal, bool server);
void rt__build_relationships(rt_build *b);
void rt__build_sql_objects(rt_build *b, const rt_ast *ast);

#endif
