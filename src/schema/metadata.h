/*
 * metadata.h - the in-memory description of a database schema.
 *
 * One model serves everything: the parser fills it from .rt files, the
 * reflectors fill it from a live database, and DDL, diagrams, the printer,
 * the differ and the code generator read it. All of it (strings included)
 * lives in the schema's arena and is released by rt_schema_free.
 *
 * Normal form. After parsing and validation, column-level shorthands are
 * turned into table-level objects, so that a schema read from a file and one
 * reflected from a database look alike:
 *   - `primary key` on columns        -> table->primary_key
 *   - `unique` on a column            -> a RT_CONSTRAINT_UNIQUE in constraints
 *   - `index` on a column             -> an rt_index in indexes
 *   - `references t(c)` on a column   -> a RT_CONSTRAINT_FOREIGN_KEY
 *   - `check '...'` on a column       -> a RT_CONSTRAINT_CHECK
 * Every constraint and index has its final name (default names filled in).
 * Constraint and index column lists hold SQL column names.
 * An index's `using btree` is the default: its method is NULL.
 * Mixins are expanded into the models that use them.
 */
#ifndef RT_SCHEMA_METADATA_H
#define RT_SCHEMA_METADATA_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/map.h"
#include "retort/schema.h"

/* Where something was declared; file is NULL for reflected objects. */
typedef struct rt_pos {
	const char *file;
	int line; /* 1-based; 0 = unknown */
	int col;  /* 1-based, in bytes */
} rt_pos;

typedef enum rt_type_kind {
	RT_TYPE_SMALLINT,
	RT_TYPE_INT,
	RT_TYPE_BIGINT,
	RT_TYPE_BOOL,
	RT_TYPE_REAL,
	RT_TYPE_DOUBLE,
	RT_TYPE_NUMERIC,    /* precision, scale (precision 0 = unconstrained) */
	RT_TYPE_STRING,     /* length (0 = unbounded VARCHAR) */
	RT_TYPE_CHAR,       /* char(n): fixed length, length >= 1 (text in C) */
	RT_TYPE_TEXT,
	RT_TYPE_BLOB,
	RT_TYPE_DATE,
	RT_TYPE_TIME,
	RT_TYPE_TIMESTAMP,
	RT_TYPE_TIMESTAMPTZ,
	RT_TYPE_UUID,
	RT_TYPE_JSON,
	RT_TYPE_ENUM,       /* enum_name / enum_type */
	RT_TYPE_SQL         /* sql: a type the language has no word for, kept
			     * verbatim as the database spells it (tsvector,
			     * bytea[], int4range, a domain); text in C */
} rt_type_kind;

typedef struct rt_enum rt_enum;

typedef struct rt_type {
	rt_type_kind kind;
	int length;            /* string(n), char(n) */
	int precision, scale;  /* numeric(p,s) */
	const char *enum_name; /* the enum's schema name, e.g. CartStatus */
	rt_enum *enum_type;    /* resolved by validation */
	const char *sql;       /* RT_TYPE_SQL: the type's SQL text, as written */
	/* `int[]`: a one-dimensional array whose elements are of the type the
	 * rest of this record says (PostgreSQL's INTEGER[]). Only built-in
	 * types and enums are arrays this way (validate_column.c says which);
	 * any other array type is verbatim (sql 'mydomain[]'). */
	bool array;
} rt_type;

/* A literal as written in the schema (defaults, server defaults). */
typedef enum rt_literal_kind {
	RT_LITERAL_NONE = 0,
	RT_LITERAL_NUMBER, /* text as written: 1, -2.5, 1e3 */
	RT_LITERAL_STRING, /* text is the value, quotes removed: it's */
	RT_LITERAL_BOOL,   /* text is "true" or "false" */
	RT_LITERAL_ENUM,   /* text is the bare enum value: open */
	RT_LITERAL_NOW,    /* the current timestamp; text is "now" */
	RT_LITERAL_SQL     /* text is a raw SQL expression: sql '<expr>' */
} rt_literal_kind;

typedef struct rt_literal {
	rt_literal_kind kind;
	const char *text;
} rt_literal;

typedef enum rt_fk_action {
	RT_FK_NO_ACTION = 0, /* also what an unspecified action means */
	RT_FK_RESTRICT,
	RT_FK_CASCADE,
	RT_FK_SET_NULL,
	RT_FK_SET_DEFAULT
} rt_fk_action;

/* When a foreign key is checked: at once (the default), or at COMMIT. */
typedef enum rt_deferrable {
	RT_NOT_DEFERRABLE = 0,    /* checked after each statement */
	RT_DEFERRABLE_IMMEDIATE,  /* deferrable: a transaction may SET CONSTRAINTS ... DEFERRED */
	RT_DEFERRABLE_DEFERRED    /* deferrable initially deferred: checked at COMMIT */
} rt_deferrable;

typedef struct rt_column {
	const char *name;       /* SQL name */
	const char *field;      /* C field name; equals name unless `column '...'` */
	rt_type type;
	bool nullable;
	bool autoincrement;     /* resolved: true for a single integer PK unless `no autoincrement` */
	bool autoincrement_set; /* `autoincrement` / `no autoincrement` was written */
	rt_literal default_value;  /* client side */
	rt_literal server_default; /* DDL DEFAULT */
	const char *comment;
	const char *was;        /* previous name, for renames */
	/* `collate NAME`: the backend's collation name as written (nocase,
	 * "C", utf8mb4_bin), or NULL for the column type's default. */
	const char *collation;
	/* `generated '<expr>' stored|virtual`: the SQL expression the
	 * database computes the column from, or NULL for a plain column.
	 * The program never writes a generated column. */
	const char *generated;
	bool generated_virtual; /* computed when read, not stored (virtual) */
	/* `server onupdate now`: the database sets the column to the current
	 * time whenever it updates the row (MariaDB's ON UPDATE
	 * CURRENT_TIMESTAMP); the ORM reads the value back after an UPDATE. */
	bool server_onupdate;
	rt_pos pos;
} rt_column;

typedef enum rt_constraint_kind {
	RT_CONSTRAINT_PRIMARY_KEY,
	RT_CONSTRAINT_UNIQUE,
	RT_CONSTRAINT_FOREIGN_KEY,
	RT_CONSTRAINT_CHECK
} rt_constraint_kind;

typedef struct rt_constraint {
	rt_constraint_kind kind;
	const char *name;           /* always set after validation */
	bool name_given;            /* the schema named it explicitly */
	const char **columns;       /* SQL names; empty for a table-level check */
	size_t column_count;
	/* foreign keys */
	const char *ref_table;      /* SQL name of the referenced table */
	const char **ref_columns;   /* SQL names */
	size_t ref_column_count;    /* equals column_count once valid */
	rt_fk_action on_delete;
	rt_fk_action on_update;
	rt_deferrable deferrable;
	/* checks */
	const char *check;          /* SQL expression, as written */
	const char *check_column;   /* set for a column-level check */
	rt_pos pos;
} rt_constraint;

/* One key of an index: a column or an expression, ascending or not. */
typedef struct rt_index_key {
	const char *column; /* SQL name; NULL for an expression key */
	const char *expr;   /* an expression key's SQL as written, without
			     * the parentheses around it (lower(email),
			     * a + b); NULL for a column key. Kept verbatim,
			     * compared with rt__sql_expr_equal. */
	bool desc;          /* DESC: descending */
} rt_index_key;

typedef struct rt_index {
	const char *name;
	bool unique;
	bool name_given;
	rt_index_key *keys;   /* in order; at least one once valid */
	size_t key_count;
	const char *method;   /* `using gin`: the access method, lower case;
			       * NULL = the backend's default (btree) */
	const char **include; /* SQL names of the INCLUDE columns */
	size_t include_count;
	const char *where;    /* a partial index's predicate, SQL as written;
			       * NULL = every row */
	rt_pos pos;
} rt_index;

typedef enum rt_rel_kind {
	RT_REL_MANY_TO_ONE,   /* `user User`: the FK is in this table */
	RT_REL_ONE_TO_MANY,   /* `posts Post[]`: the FK is in the target */
	RT_REL_ONE_TO_ONE,    /* `profile Profile?` with a unique FK in the target,
			       * or the FK side `user User` when its FK is unique */
	RT_REL_MANY_TO_MANY   /* `through` an association table */
} rt_rel_kind;

typedef struct rt_table rt_table;

/* The table options the language has words for, a bit each; a dialect
 * says which it keeps (rt_dialect.table_options). Described once, in
 * metadata.c's table of options (rt__table_option_word). */
typedef enum rt_table_option {
	RT_TABLE_STRICT = 1u << 0,        /* strict: SQLite's STRICT */
	RT_TABLE_WITHOUT_ROWID = 1u << 1  /* without rowid: SQLite's WITHOUT ROWID */
} rt_table_option;
#define RT_TABLE_OPTION_COUNT 2
/* The options that make the primary key the table's storage (SQLite's
 * WITHOUT ROWID): such a table cannot be without one, even for a moment. */
#define RT_TABLE_OPTIONS_NEED_KEY ((unsigned)RT_TABLE_WITHOUT_ROWID)

/* Declarative partitioning (PostgreSQL): how a partitioned table splits
 * its rows among its partitions. */
typedef enum rt_partition_method {
	RT_PARTITION_NONE = 0, /* not partitioned */
	RT_PARTITION_RANGE,    /* partition by range (keys) */
	RT_PARTITION_LIST,     /* partition by list (key) */
	RT_PARTITION_HASH      /* partition by hash (keys) */
} rt_partition_method;

/* One key of a partitioned table: a column, or an expression kept as the
 * SQL it is written in ('lower(name)'). */
typedef struct rt_partition_key {
	const char *column;     /* the column's SQL name, or NULL */
	const char *expression; /* when column is NULL: the key's SQL */
} rt_partition_key;

typedef struct rt_relationship {
	const char *name;
	const char *target;        /* model name as written */
	rt_table *target_table;    /* resolved */
	bool is_list;              /* Model[] */
	bool optional;             /* Model? */
	rt_rel_kind kind;          /* resolved */
	const char *back;          /* back_populates, or NULL */
	const char *through;       /* association table SQL name, or NULL */
	rt_table *through_table;   /* resolved */
	const char *on_column;     /* `on x` or `on t.x` as written, or NULL */
	rt_constraint *fk;         /* the FK joining the two sides (for
				    * many-to-many: the through table's FK to
				    * this model's table) */
	bool fk_is_local;          /* fk lives in this model's table */
	rt_constraint *target_fk;  /* many-to-many: the through table's FK to the target */
	const char *order_by;      /* SQL column name in the target, or NULL */
	bool order_desc;
	bool cascade_delete;
	bool delete_orphan;
	rt_pos pos;
} rt_relationship;

struct rt_table {
	/* The table's name as the schema and its scripts write it: the SQL
	 * name, or "billing.accounts" for a table in PostgreSQL schema
	 * billing. Lookups, references (ref_table, through, partition_of) and
	 * messages use it; SQL is written from schema and rt__table_sql_name
	 * (rt__ddl_put_table), never from name alone. */
	const char *name;
	/* The PostgreSQL schema (namespace) holding the table; NULL for the
	 * database's default one (public), where every table of a backend
	 * without schemas lives. See rt__schema_add_table_in. */
	const char *schema;
	const char *model;      /* C struct name, or NULL for a `table` */
	const char *was;        /* previous SQL name, for renames */
	const char *comment;
	unsigned options;       /* rt_table_option bits */
	/* `collate NAME` after the table's name: the table's default
	 * collation (MariaDB's DEFAULT COLLATE=utf8mb3_general_ci, which sets
	 * its character set too), which its text columns without a collation
	 * of their own take; NULL for the database's default. */
	const char *collation;
	/* A model mapped onto a view (`model Name view v`): name is the
	 * view's, which the schema declares as a `view`; no table is made
	 * for it, nothing compares it as one, and the ORM only reads it. */
	bool is_view;

	/* Declarative partitioning (PostgreSQL). A partitioned table splits
	 * its rows by partition_by on its keys. A partition (partition_of:
	 * its partitioned table's SQL name) holds the rows its bound admits:
	 * partition_bound is the text after FOR VALUES, as PostgreSQL renders
	 * it ("FROM ('2022-01-01') TO ('2022-02-01')"), NULL for the DEFAULT
	 * partition. A partition has no columns, primary key or indexes of
	 * its own here: they are its partitioned table's (the root of the
	 * chain, rt__schema_partition_root); its constraints are the foreign
	 * keys and checks it has besides. A partition may be partitioned. */
	rt_partition_method partition_by;
	rt_partition_key *partition_keys;
	size_t partition_key_count;
	const char *partition_of;
	const char *partition_bound;

	rt_column **columns;
	size_t column_count, column_cap;

	rt_constraint *primary_key; /* NULL when the table has none */

	rt_constraint **constraints; /* unique, foreign key, check; declaration order */
	size_t constraint_count, constraint_cap;

	rt_index **indexes;
	size_t index_count, index_cap;

	rt_relationship **relationships;
	size_t relationship_count, relationship_cap;

	const char **mixins;    /* names of the mixins used, for the printer */
	size_t mixin_count, mixin_cap;

	rt_map column_by_name;  /* SQL name -> rt_column*, kept by the add helpers */
	rt_pos pos;
};

struct rt_enum {
	const char *name;     /* schema name: CartStatus */
	const char *sql_name; /* snake_case: cart_status (PostgreSQL type name) */
	/* The PostgreSQL schema of the type (`enum billing.InvoiceState`),
	 * or NULL for the default one (public). The name stays unqualified:
	 * it is the C type's, one namespace whatever the schema. */
	const char *schema;
	const char **values;
	size_t value_count, value_cap;
	rt_pos pos;
};

/* A domain, sequence, function, aggregate, procedure, view, materialized
 * view or trigger: an object the schema language declares as the SQL that
 * defines it (`view v $$ SELECT ... $$`), kept as written and compared as
 * the database renders it (src/schema/sql_objects.c; docs/schema-language.md
 * says what goes between the $$ of each kind). The order of the kinds is
 * the order to make them in where nothing else decides; domains and
 * sequences are made before the tables (a column's type or default names
 * them: rt__sql_kind_is_early), the others after. */
typedef enum rt_sql_kind {
	RT_SQL_DOMAIN,            /* sql: the whole CREATE DOMAIN statement */
	RT_SQL_SEQUENCE,          /* sql: the whole CREATE SEQUENCE statement */
	RT_SQL_FUNCTION,          /* sql: the whole CREATE FUNCTION statement */
	RT_SQL_AGGREGATE,         /* sql: the whole CREATE AGGREGATE statement */
	RT_SQL_PROCEDURE,         /* sql: the whole CREATE PROCEDURE statement */
	RT_SQL_VIEW,              /* sql: the query (SELECT ...) */
	RT_SQL_MATERIALIZED_VIEW, /* sql: the query */
	RT_SQL_TRIGGER,           /* sql: the whole CREATE TRIGGER statement */
	RT_SQL_KIND_COUNT
} rt_sql_kind;

typedef struct rt_sql_object {
	rt_sql_kind kind;
	/* As the schema writes it: "open_invoices", or "billing.open_invoices"
	 * for an object of PostgreSQL schema billing (as rt_table.name is);
	 * SQL is written from schema and rt__sql_object_sql_name. A trigger
	 * is in its table's schema and has none of its own. */
	const char *name;
	const char *schema;   /* NULL: the default schema (public) */
	/* A function's, aggregate's or procedure's argument list as written,
	 * "(integer, text)", which tells overloads apart where a database has
	 * them; NULL: not given (the routine is the one of that name). */
	const char *args;
	const char *table;    /* a trigger's table; NULL for the other kinds */
	const char *sql;      /* as written (or as the database gave it) */
	/* The models' `was OLD`: the object's previous name (a routine's
	 * with the same arguments, a trigger's on the same table), which
	 * autogenerate renames when the database has it; NULL: none. */
	const char *was;
	/* The database's own rendering of sql, read while comparing
	 * (autogenerate and check make the object in a transaction they roll
	 * back, where the backend rewrites what it is given); NULL: sql is
	 * compared as it is. Never printed. */
	const char *rendered;
	/* A materialized view's own: made WITH NO DATA (its query is not
	 * run, the view is unreadable until REFRESH), and its indexes, made
	 * after it and gone with it. Compared with the SQL: a change of
	 * either makes the view again. */
	bool no_data;
	/* A view's own: `security invoker` — its query runs with the rights
	 * of whoever reads it (MariaDB's SQL SECURITY INVOKER, PostgreSQL
	 * 15's security_invoker = true), else with its owner's (definer).
	 * Compared with the SQL: a change makes the view again. */
	bool security_invoker;
	rt_index **indexes;
	size_t index_count, index_cap;
	rt_pos pos;
} rt_sql_object;

/* Something a database holds that the schema language cannot declare (yet):
 * a view, a trigger, an index with a key the language cannot say (an
 * operator class of its own, NULLS FIRST, a prefix), and on
 * PostgreSQL sequences no column owns, functions, domains, composite types,
 * materialized views. Reflection lists them so that nothing it read goes
 * unsaid, and autogenerate can leave them alone or, when told to, drop
 * them with an exact inverse. The SQL is the dialect's own. */
typedef struct rt_db_object {
	const char *kind;       /* "view", "trigger", "index", "sequence", ... */
	const char *name;
	const char *args;       /* a function's arguments, "(integer, text)", or NULL */
	const char *table;      /* the table it belongs to (trigger, index), or NULL */
	const char *create_sql; /* a statement that creates it again, or NULL: unknown */
	const char *drop_sql;   /* a statement that drops it */
} rt_db_object;

struct rt_schema {
	rt_arena *arena;
	const char *path;     /* main file, or NULL */

	rt_table **tables;    /* declaration order */
	size_t table_count, table_cap;

	rt_enum **enums;
	size_t enum_count, enum_cap;

	/* What reflection read and the language cannot keep, one line each
	 * ("orders.total: GENERATED ALWAYS AS (net + tax) STORED"): inspect
	 * writes them as `# not kept:` comments, and inspect, check and
	 * autogenerate warn with them, so nothing is lost silently. */
	const char **not_kept;
	size_t not_kept_count, not_kept_cap;

	/* Domains, sequences, functions, aggregates, procedures, views,
	 * materialized views and triggers, in the order to create them: each
	 * after the objects its SQL names (a view after the views it reads, a
	 * trigger after its function); see rt__schema_order_sql_objects. */
	rt_sql_object **sql_objects;
	size_t sql_object_count, sql_object_cap;

	/* Reflected schemas only: what the database holds besides, which the
	 * language cannot declare; in the order to create them. */
	rt_db_object **objects;
	size_t object_count, object_cap;

	/* The PostgreSQL schemas (namespaces) besides public: reflected, the
	 * ones that exist among those read; in models, the ones the tables
	 * use; in a migration state, the ones the scripts made. */
	const char **namespaces;
	size_t namespace_count, namespace_cap;

	rt_map table_by_name; /* name (schema-qualified outside public) -> rt_table* */
	rt_map table_by_model;/* model name -> rt_table* */
	rt_map enum_by_name;  /* schema name -> rt_enum* */

	/* Index, primary-key, unique-constraint and foreign-key names given
	 * when they were added (rt__table_add_index / rt__table_add_constraint)
	 * -> their table, the last one added under that name (a name may be
	 * in several tables: the language scopes them per table). Names
	 * assigned later (the validator's defaults) are not in it, so only a
	 * schema built wholly through the add helpers may trust it:
	 * relations_indexed says so (the migration state sets it, see
	 * migrate/ops_state.c; sql/ddl_names.c reads it). */
	rt_map relation_owner;
	bool relations_indexed;
};

/* --- building (metadata.c) ------------------------------------------------
 * All return NULL / -1 on out-of-memory (with the error recorded). */

/* Creates an empty schema with its own arena. */
rt_schema *rt__schema_new(void);

/* Appends an empty table with this SQL name (model may be NULL). */
rt_table *rt__schema_add_table(rt_schema *schema, const char *name, const char *model);
/* The same for a table in PostgreSQL schema sql_schema (NULL, or the
 * default schema's name "public": none): its name is then
 * "<sql_schema>.<sql_name>" (see rt_table.name). */
rt_table *rt__schema_add_table_in(rt_schema *schema, const char *sql_schema,
				  const char *sql_name, const char *model);
/* The name of the schema every table without one is in. */
#define RT_DEFAULT_SCHEMA "public"
/* nsp as the model records a PostgreSQL schema: NULL for none (NULL,
 * empty) and for the default one ("public"), else nsp itself. */
const char *rt__schema_own_name(const char *nsp);
/* Records that the schema has PostgreSQL schema name (kept once, in
 * order); RT_ENOMEM when out of memory. */
int rt__schema_add_namespace(rt_schema *schema, const char *name);
/* Does the schema have PostgreSQL schema name among its namespaces? */
bool rt__schema_has_namespace(const rt_schema *schema, const char *name);
/* Is name in the list (of column names, say); do two lists hold the same
 * names in any order (a key's columns)? */
bool rt__names_contain(const char *const *names, size_t count, const char *name);
bool rt__names_same_set(const char *const *a, size_t na, const char *const *b, size_t nb);
/* The table's own SQL name, without its schema ("accounts" for
 * "billing.accounts"). */
const char *rt__table_sql_name(const rt_table *table);
/* name (a table's, as rt_table.name has it) without the schema of table
 * in front: "old" for "billing.old" in schema billing; name itself when
 * it does not start with it. */
const char *rt__table_unqualified(const rt_table *table, const char *name);
/* Gives to (named already) from's PostgreSQL schema when to's name is in
 * it ("<schema>.<...>"), else none; the string is copied into arena.
 * RT_ENOMEM when out of memory. */
int rt__table_copy_schema(rt_arena *arena, rt_table *to, const rt_table *from);
/* The SQL name of the table schema calls name (rt__table_sql_name); when
 * schema is NULL or has no such table, name after its first '.' (the
 * schema's), or name itself. */
const char *rt__schema_table_sql_name(const rt_schema *schema, const char *name);
/* Gives table the name new_name in its own schema (a rename keeps the
 * schema): its name becomes "<schema>.<new_name>" where it has one. The
 * schema's lookup is left to the caller. In arena; NULL when out. */
const char *rt__table_renamed(rt_arena *arena, const rt_table *table, const char *new_sql_name);
rt_enum *rt__schema_add_enum(rt_schema *schema, const char *name, const char *sql_name);
/* Puts e in PostgreSQL schema nsp (NULL or "public": the default one);
 * the name is copied. RT_ENOMEM when out of memory. */
int rt__enum_set_schema(rt_schema *schema, rt_enum *e, const char *nsp);
/* Are a and b the same type of the database: one schema, one SQL name? */
bool rt__enum_same_type(const rt_enum *a, const rt_enum *b);
/* The enum of PostgreSQL schema nsp (NULL: public) whose type is sql_name,
 * or NULL. */
rt_enum *rt__schema_find_enum_type(const rt_schema *schema, const char *nsp,
				   const char *sql_name);
int rt__enum_add_value(rt_schema *schema, rt_enum *e, const char *value);
/* Appends an object of kind (a string that outlives the schema, or copied)
 * with its SQL; every string is copied. table and create_sql may be NULL. */
rt_db_object *rt__schema_add_object(rt_schema *schema, const char *kind, const char *name,
				 const char *table, const char *create_sql,
				 const char *drop_sql);

/* Appends a SQL object; every string is copied (args and table may be
 * NULL). */
rt_sql_object *rt__schema_add_sql_object(rt_schema *schema, rt_sql_kind kind, const char *name,
					 const char *args, const char *table, const char *sql);

/* Puts o in PostgreSQL schema nsp (NULL or "public": the default one):
 * its name becomes "<nsp>.<name>" (name is o's unqualified one). In the
 * schema's arena; RT_ENOMEM when out of memory. */
int rt__sql_object_set_schema(rt_schema *schema, rt_sql_object *o, const char *nsp);
/* The object's own SQL name, without its schema ("v" for "billing.v"). */
const char *rt__sql_object_sql_name(const rt_sql_object *o);

/* Appends a copy of src (its rendering, position, schema, security
 * invoker, WITH NO DATA and indexes too). */
rt_sql_object *rt__schema_copy_sql_object(rt_schema *schema, const rt_sql_object *src);
/* A new index of materialized view o (name may be NULL: given later). */
rt_index *rt__sql_object_add_index(rt_arena *arena, rt_sql_object *o, const char *name,
				   bool unique);
/* Gives dst copies of src's parts besides its SQL (a view's security
 * invoker, a materialized view's WITH NO DATA and indexes), in arena. */
int rt__sql_object_copy_matview(rt_arena *arena, rt_sql_object *dst, const rt_sql_object *src);
/* Takes o out of the schema's list, keeping the order. */
void rt__schema_remove_sql_object(rt_schema *schema, const rt_sql_object *o);

/* Records a line of what reflection could not keep (see not_kept). */
int rt__schema_not_kept(rt_schema *schema, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

rt_column *rt__table_add_column(rt_schema *schema, rt_table *table, const char *name);
rt_constraint *rt__table_add_constraint(rt_schema *schema, rt_table *table,
					rt_constraint_kind kind, const char *name);
rt_index *rt__table_add_index(rt_schema *schema, rt_table *table, const char *name,
			      bool unique);
rt_relationship *rt__table_add_relationship(rt_schema *schema, rt_table *table,
					    const char *name);
/* Appends a column name to a constraint (ref = false) or to its referenced
 * columns (ref = true), or an ascending column key to an index. */
int rt__constraint_add_column(rt_schema *schema, rt_constraint *c, const char *column,
			      bool ref);
int rt__index_add_column(rt_schema *schema, rt_index *index, const char *column);
/* Appends a key to an index: a column (expr NULL) or an expression
 * (column NULL); both strings are copied. */
int rt__index_add_key(rt_schema *schema, rt_index *index, const char *column,
		      const char *expr, bool desc);
/* Appends an INCLUDE column to an index. */
int rt__index_add_include(rt_schema *schema, rt_index *index, const char *column);

/* Re-indexes a table's columns after they were renamed in place. */
int rt__table_reindex_columns(rt_schema *schema, rt_table *table);

/* --- lookups ---------------------------------------------------------------- */
rt_table *rt__schema_find_table(const rt_schema *schema, const char *name);
rt_table *rt__schema_find_model(const rt_schema *schema, const char *model);
rt_enum *rt__schema_find_enum(const rt_schema *schema, const char *name);
rt_column *rt__table_find_column(const rt_table *table, const char *name);
/* Finds a column by C field name or SQL name. */
rt_column *rt__table_find_field(const rt_table *table, const char *field);
rt_constraint *rt__table_find_constraint(const rt_table *table, const char *name);
rt_index *rt__table_find_index(const rt_table *table, const char *name);

/* Table option i (0 <= i < RT_TABLE_OPTION_COUNT): its bit, and its
 * words in the schema language ("strict", "without rowid"), and the words
 * of its absence in an `alter table` ("not strict", "with rowid"). */
unsigned rt__table_option_bit(size_t i);
const char *rt__table_option_word(size_t i);
const char *rt__table_option_unword(size_t i);

/* The schema-language word of a partitioning method: "range", "list",
 * "hash" ("" for none); and the method a word names (RT_PARTITION_NONE
 * for another word). */
const char *rt__partition_method_word(rt_partition_method method);
rt_partition_method rt__partition_method_of(const char *word);
/* Copies table from's partitioning (method, keys, parent, bound) into to,
 * its strings into arena. RT_ENOMEM when it runs out. */
int rt__table_copy_partitioning(rt_arena *arena, rt_table *to, const rt_table *from);
/* The table whose columns a partition has: the partitioned table at the
 * top of its chain of partition_of (table itself when it is no
 * partition); NULL when a table of the chain is missing or the chain
 * comes back on itself. */
const rt_table *rt__schema_partition_root(const rt_schema *schema, const rt_table *table);
/* The partitions of table in schema, the first one (NULL: none). */
const rt_table *rt__schema_first_partition(const rt_schema *schema, const rt_table *table);

/* The schema-language words of a foreign key's deferrable: "" (not),
 * "deferrable", "deferrable initially deferred". */
const char *rt__deferrable_words(rt_deferrable deferrable);

/* Copies src's keys, method, INCLUDE columns and WHERE into dst, every
 * string copied into arena (dst's name and flags are left alone). */
int rt__index_copy_parts(rt_arena *arena, rt_index *dst, const rt_index *src);
/* Is the index only ascending columns, of the default method, on every
 * row, with nothing included: one that can stand for a unique constraint
 * and serve a foreign key? */
bool rt__index_is_plain(const rt_index *index);
/* Is the index plain and on exactly these columns: in this order when
 * ordered, else in any order? */
bool rt__index_plain_on(const rt_index *index, const char *const *columns, size_t count,
			bool ordered);
/* Does the index name the column, as a key or an INCLUDE column? (Its
 * expressions and WHERE are SQL retort does not read.) */
bool rt__index_uses_column(const rt_index *index, const char *column);
/* Renames a column among the index's keys and INCLUDE columns (the
 * strings are shared, not copied). */
void rt__index_rename_column(rt_index *index, const char *old_name, const char *new_name);
/* Is an expression key a bare function call, lower(email), which SQL and
 * the language write without parentheses around it? Any other expression
 * (a + b) is written in parentheses. */
bool rt__index_expr_is_call(const char *expr);
/* --- SQL objects (sql_objects.c) ------------------------------------------- */

/* The language's word for a kind: "view", "materialized view", ... */
const char *rt__sql_kind_name(rt_sql_kind kind);
/* The same in the plural, for messages: "views", "domains", ... */
const char *rt__sql_kind_plural(rt_sql_kind kind);
/* Is the kind made before the tables and dropped after them (a domain, a
 * sequence: a column's type or default names them)? */
bool rt__sql_kind_is_early(rt_sql_kind kind);
/* Does the kind take an argument list (function, aggregate, procedure)? */
bool rt__sql_kind_has_args(rt_sql_kind kind);
/* Is b the object a is (same kind and name; a trigger on the same table;
 * a function with the same arguments, or with none given on one side)? */
bool rt__sql_object_same(const rt_sql_object *a, const rt_sql_object *b);
/* The object of schema that is o, or NULL. */
rt_sql_object *rt__schema_find_sql_object(const rt_schema *schema, const rt_sql_object *o);
/* Are the two texts the same SQL once runs of whitespace are taken as
 * one space and leading and trailing whitespace and a final ';' are
 * dropped? (Outside quotes only: a string literal's spaces count.) */
bool rt__sql_text_equal(const char *a, const char *b);
/* Is the object's SQL (its rendering when known) that of the other, and
 * a materialized view's WITH NO DATA and indexes too? */
bool rt__sql_object_equal(const rt_sql_object *a, const rt_sql_object *b);
/* Does SQL text hold name as a word (any case; "name", `name`, s.name
 * too)? */
bool rt__sql_mentions(const char *text, const char *name);
/* Gives o new_name (in arena): a view's SQL (its query) stays as it
 * is; every other kind's, a CREATE statement naming the object, says
 * new_name where it first said the old name, as does its rendering. A
 * materialized view's indexes of the default name for the old name
 * (rt__name_index_keys) get the one for the new name. RT_OK or
 * RT_ENOMEM. */
int rt__sql_object_rename(rt_arena *arena, rt_sql_object *o, const char *new_name);
/* The columns of schema whose type is domain old (sql 'old') are of
 * domain new_name, as a database that renames a domain keeps them.
 * RT_OK or RT_ENOMEM. */
int rt__schema_rename_domain_uses(rt_schema *schema, const char *old, const char *new_name);
/* "view v", "trigger t on users", "function f(integer)", for messages;
 * in arena, or NULL. */
const char *rt__sql_object_label(rt_arena *arena, const rt_sql_object *o);
/* A function's argument list written one way: "(a integer, text)",
 * whitespace runs as one space, none inside the parentheses or before a
 * comma. In arena, or NULL. */
const char *rt__sql_args_normal(rt_arena *arena, const char *args);
/* Puts the schema's SQL objects in the order to create them: each after
 * the objects whose names its SQL holds as a word (a view after the views
 * it reads, a trigger after its function), kinds in the order of
 * rt_sql_kind where nothing else decides, and the order they had after
 * that. A cycle (names read as words where they are
 * not references) keeps the order it had. RT_OK or RT_ENOMEM. */
int rt__schema_order_sql_objects(rt_schema *schema);

/* The schema-language spelling of an action: "cascade", "set null", ... */
const char *rt__fk_action_name(rt_fk_action action);

/* Does the column follow its table's collation (`collate NAME` after the
 * table's name), so that a change of the table's changes it: text of a
 * type the language has, or a verbatim type verbatim_text says holds
 * text (the dialect's verbatim_takes_collation; NULL: none does), with
 * no collation of its own, not computed? */
bool rt__column_follows_table_collation(const rt_column *column,
					 bool (*verbatim_text)(const char *sql));
/* Brings every table's and column's collation name to lower case, for a backend whose
 * names do not tell case apart (its canonicalize hook). */
void rt__schema_lower_collations(rt_schema *schema);

/* Is the type one of smallint / int / bigint? */
bool rt__type_is_integer(rt_type_kind kind);
/* An integer, real, double or numeric type? */
bool rt__type_is_number(rt_type_kind kind);
/* Does the column take its value from the database's counter? Its
 * autoincrement flag on an integer, or on a verbatim type (sql '...') that
 * the schema declares autoincrement: an integer type of the database's own
 * the language has no word for (MariaDB's INT UNSIGNED), taken at its word;
 * the database refuses it when it is no integer. */
bool rt__column_autoincrements(const rt_column *column);
/* The schema-language spelling: "bigint", "string(50)", "numeric(10,2)", "int[]",
 * "CartStatus", "sql 'tsvector'". Allocated in arena; NULL when it runs
 * out. */
const char *rt__type_name(rt_arena *arena, const rt_type *type);

#endif
