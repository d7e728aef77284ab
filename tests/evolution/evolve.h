/*
 * evolve.h - what the files of the randomised evolution test share (the
 * test itself is described in evolve.c): the model of a schema it keeps
 * in memory, the helpers that read and change it (evolve_model.c), the
 * rows it keeps in the database (evolve_rows.c), and the changes, which
 * evolve_kinds.c lists: those of tables, columns, keys and checks in
 * evolve_changes.c, of enums in evolve_enums.c, of indexes in
 * evolve_indexes.c, of table options, deferrable keys and partitions in
 * evolve_tables.c, of views, functions and triggers in evolve_objects.c,
 * of domains, sequences, aggregates and procedures in evolve_routines.c,
 * their renames in evolve_renames.c, the schema billing in evolve_schemas.c,
 * server onupdate, table collations and security invoker in evolve_options.c,
 * of array, domain and verbatim columns in evolve_types.c.
 */
#ifndef RT_TESTS_EVOLUTION_EVOLVE_H
#define RT_TESTS_EVOLUTION_EVOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "retort.h"

#define MAX_TABLES 12    /* live tables at once */
#define TABLE_SLOTS 400  /* tables ever created */
#define MAX_COLS 10      /* live columns per table */
#define COL_SLOTS 64     /* columns ever added to one table */
#define MAX_ROWS 24
#define MAX_ENUMS 64
#define MAX_VALUES 10
#define MAX_CONS 8
#define MAX_PARTS 8      /* partitions ever made of one table */
#define MAX_OBJS 256     /* views, functions and triggers ever made */
#define MAX_METHODS 8

/* ---- the model -------------------------------------------------------- */

typedef enum type_kind {
	TK_SMALLINT, TK_INT, TK_BIGINT, TK_BOOL, TK_REAL, TK_DOUBLE, TK_NUMERIC,
	TK_STRINGN, TK_STRING, TK_TEXT, TK_DATE, TK_TIMESTAMP, TK_JSON, TK_CHARN, TK_ENUM,
	/* Made only by their own kinds of change (evolve_types.c), never by
	 * random_plain_type: PostgreSQL's int[] and text[], a column of a
	 * domain (sql '<domain>', e the domain in w.objs), and the backend's
	 * verbatim type (sql '<w.verbatim>'). */
	TK_INT_ARRAY, TK_TEXT_ARRAY, TK_DOMAIN, TK_VERBATIM,
	TK_COUNT
} type_kind;

typedef struct col_type {
	type_kind kind;
	int n; /* string(n), char(n) length, numeric(n,2) precision */
	int e; /* enum index; TK_DOMAIN: the domain's index in w.objs */
} col_type;

enum { ROLE_PLAIN, ROLE_ID, ROLE_K1, ROLE_K2 };

typedef struct column {
	bool live;
	char name[24], was[24];
	col_type type;
	bool nullable;
	int sdefault;   /* 0: none; 1 or 2: which of the type's two literals */
	int seq;        /* else a sequence (w.objs) it takes nextval of; -1: none */
	bool check;     /* a column-level check */
	int fk;         /* referenced table slot, -1: none */
	int on_delete;  /* index into fk_actions */
	int role;
	bool dup;       /* rows may share a value (no unique constraint on it) */
	bool resnap;    /* read its values again after the step */
	bool collate;   /* has the backend's collation (world.collation) */
	bool generated; /* generated '1 + 1': the database fills it, rows leave it out */
	bool gen_virtual; /* ... virtual (else stored) */
	bool deferred;  /* its foreign key is deferrable initially deferred */
	bool onupdate;  /* server onupdate now (a timestamp column's) */
	char *vals[MAX_ROWS]; /* each row's value as the database prints it; NULL: SQL NULL */
} column;

enum { CONS_UNIQUE, CONS_INDEX, CONS_UNIQUE_INDEX, CONS_CHECK };

typedef struct tcons {
	int kind;
	char name[32]; /* "" = the default name */
	int cols[2];   /* column slots */
	int ncols;
	/* The other parts of an index (CONS_INDEX, CONS_UNIQUE_INDEX): */
	bool lower[2];      /* key j is the expression lower(<column>) */
	bool desc[2];       /* key j is descending */
	const char *method; /* using <method> (one of w.methods); NULL: the default */
	bool has_include;   /* include (<column include>) */
	int include;
	bool has_where;     /* where '<column where> IS NOT NULL' (a partial index) */
	int where;
} tcons;

/* A partition of a partitioned table: rows of id from*1000 up to
 * (from+1)*1000, from 0 meaning every id below 1000 (where the rows
 * live: the test's ids are small); from -1: the default partition. Only
 * partitions no row lives in are dropped, so rows survive. */
typedef struct partition {
	bool live;
	char name[24];
	int from;
} partition;

typedef struct table {
	bool live;
	char name[24], was[24];
	bool keyed;   /* string key k1 (and k2) instead of an integer id */
	bool pk2;     /* keyed: primary key (k1, k2) */
	column cols[COL_SLOTS];
	int ncols;    /* slots used */
	tcons cons[MAX_CONS];
	int ncons;
	int nrows;
	int touched; /* the step that last changed it: one change per table and step */
	int collation; /* its collate NAME (evolve_options.c), 1 + which; 0: none */
	bool billing; /* in schema billing (evolve_schemas.c) */
	bool strict;  /* SQLite's table options: strict */
	bool no_rowid; /* without rowid */
	/* partition by range (id) (PostgreSQL), and its partitions */
	bool partitioned;
	partition parts[MAX_PARTS];
	int nparts;
	int next_range; /* the next range partition's from */
} table;

typedef struct enum_def {
	bool live;
	char name[16];
	int nvalues; /* values e<k>_0 .. e<k>_{n-1}: no two enums share a value */
	/* SQLite keeps no enum types, only the scripts do: a script creates
	 * one when a column first uses it, and drops it once the models no
	 * longer have it. (PostgreSQL creates every enum the models have.) */
	bool in_scripts;
	bool billing; /* in schema billing (evolve_schemas.c) */
} enum_def;

/* Views, materialized views, functions and triggers, and domains,
 * sequences, aggregates and procedures. Their SQL is written from the
 * model at each step (evolve_objects.c, evolve_routines.c), with the
 * names the tables and columns have then. */
enum {
	OBJ_VIEW, OBJ_MATVIEW, OBJ_FUNCTION, OBJ_TRIGGER,
	OBJ_DOMAIN, OBJ_SEQUENCE, OBJ_AGGREGATE, OBJ_PROCEDURE,
	OBJ_KIND_COUNT
};

typedef struct sql_obj {
	bool live;
	int kind;
	char name[24];
	char was[24]; /* its name before this step's rename; "": none */
	int table;   /* the table a view reads, or a trigger is on (slot); -1: none */
	int col;     /* the column of table a view reads (slot); -1: none */
	int table2;  /* a view of two tables: the second (slot); -1: none */
	int view;    /* a view on a view: the view it reads (w.objs); -1: none */
	int func;    /* a trigger that runs a function: the function (w.objs); -1: none */
	bool trigger_fn; /* a function a trigger runs */
	int variant; /* which of its texts; a replace moves to another */
	int touched; /* the step that made or replaced it: one change each step */
	bool billing; /* a view or sequence in schema billing (evolve_schemas.c) */
	bool invoker; /* a view's security invoker */
} sql_obj;

/* on delete actions, by column.on_delete */
extern const char *const fk_actions[5];

typedef struct world {
	bool postgres;
	bool native_enums; /* the dialect has enum types of its own (caps.enum_kind) */
	/* A key may hold a column of unbounded length (caps.index_unbounded);
	 * else keys are made on bounded columns only (key_ok). */
	bool index_unbounded;
	/* The database tells RESTRICT from NO ACTION (the dialect's canonical
	 * form keeps it); else a change between them is none. */
	bool restrict_kept;
	/* string and text are one type in the database (its canonical form:
	 * MariaDB's LONGTEXT); a change between them is then none. */
	bool string_is_text;
	const char *keys_off; /* the backend's statement turning key checks off, or NULL */
	/* A collation of the backend's own, as the schema language writes it
	 * (collation names are the backend's: there is no portable one). */
	const char *collation;
	bool generated_virtual; /* the dialect has virtual generated columns */
	/* What else the dialect has (its caps), each a kind of change the
	 * run makes only where it is there: */
	const char *backend;    /* the SQL of triggers and functions is the backend's */
	bool index_where, index_expressions, index_include, index_desc;
	const char *methods[MAX_METHODS]; /* index methods (using ...) the test can use */
	int nmethods;
	bool table_options;     /* strict, without rowid */
	bool deferrable;        /* deferrable foreign keys */
	bool partitioning;      /* partition by / partition of */
	unsigned sql_kinds;     /* the OBJ_ kinds it has, a bit (1u << kind) each */
	/* A column a view reads cannot change type (PostgreSQL refuses to):
	 * such a column keeps its type, collation and enum. */
	bool views_pin_types;
	bool arrays;            /* int[], text[] (PostgreSQL) */
	bool schemas;           /* tables in schemas: a second one, billing */
	bool onupdate;          /* server onupdate now */
	bool table_collation;   /* a table's collate NAME */
	bool view_invoker;      /* a view's security invoker */
	/* A type the language has no word for, written sql '...' (tsvector
	 * on PostgreSQL); NULL: none. */
	const char *verbatim;
	uint64_t rng;
	table tables[TABLE_SLOTS];
	int ntables;
	enum_def enums[MAX_ENUMS];
	int nenums;
	sql_obj objs[MAX_OBJS];
	int nobjs;
	int name_counter;
	int step;
	int invisible; /* changes of this step the database cannot see */
	char description[2048]; /* what this step changed, for failure messages */
} world;

/* The one world of a run (evolve_model.c). */
extern world w;

#define ANY_CONS ((1u << CONS_UNIQUE) | (1u << CONS_INDEX) | (1u << CONS_UNIQUE_INDEX) | (1u << CONS_CHECK))
#define UNIQUE_CONS ((1u << CONS_UNIQUE) | (1u << CONS_UNIQUE_INDEX))

typedef bool (*column_filter)(const table *t, int s);

/* ---- evolve_model.c: reading the model, random choices, models.rt ------ */

uint64_t next_random(void);
int rnd(int n);                /* 0 .. n-1 */
bool chance(int percent);
/* Appends to w.description (what this step changed). */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fresh_name(char *out, size_t size, char prefix);
bool is_int(type_kind k);
bool is_string(type_kind k);
/* string, text or char(n): a column a collation goes on. */
bool is_text(type_kind k);
bool is_number(type_kind k);
/* Values of such a column differ from row to row (see bind_value). */
bool unique_safe(const column *c);
/* Can the column be in an index or key on this backend (w.index_unbounded)? */
bool key_ok(const column *c);
void type_text(char *out, size_t size, col_type t);
/* Value i of enum e ("e12_0"); the text lasts until the fourth next call. */
const char *enum_value(int e, int i);
/* The server default literal `variant` (1 or 2) of a type. */
const char *default_text(col_type t, int variant);
bool checkable(const column *c);
void check_expr(char *out, size_t size, const column *c);
col_type random_plain_type(void);
int live_tables(void);
int live_columns(const table *t);
/* A random live table (-1 when there is none); keyed: -1 any, 0/1 which. */
int pick_table(int keyed);
/* Is column slot s of t used by a constraint of one of the kinds in mask? */
bool in_cons(const table *t, int s, unsigned mask);
/* A random (table, column) pair passing filter; false when none does. */
bool pick_column(column_filter filter, int *ti, int *si);
void remove_cons(table *t, int i);
/* The column slots an index or constraint uses (keys, include, where);
 * returns how many (at most 4). */
int cons_columns(const tcons *k, int out[4]);
/* The models as a schema file. */
void write_models(rt_buf *out);

/* ---- evolve_rows.c: the rows ------------------------------------------ */

/* A new row of t (its values bound); 0, or -1 when it failed (said). */
int insert_row(rt_conn *conn, table *t);
/* Reads t's rows back: the columns marked resnap are stored, the others
 * must equal what was stored; returns the number of mismatches. */
int read_rows(rt_conn *conn, table *t);
/* Deletes every row of the live tables (w.keys_off first where set). */
int delete_rows(rt_conn *conn);

/* UPDATE t SET c = <row r's value> for every row (where it is NULL if
 * only_nulls), or to text when text is given; then the column is re-read. */
int fill_column(rt_conn *conn, table *t, int s, bool only_nulls, const char *text);

/* ---- evolve_changes.c -------------------------------------------------- */

/* A new column of t, of that type; add_slot makes room for one (NULL:
 * the table is full). */
void new_column(column *c, col_type type, bool nullable);
column *add_slot(table *t);
/* Column s of table ti goes, with the indexes and constraints that use
 * it and the views that read it. */
void drop_column_at(int ti, int s);
/* On PostgreSQL the column a view reads keeps its type and collation. */
bool type_pinned(const table *t, int s);
/* A new table (partitioned: by range of its id), with a few columns. */
bool make_table(bool partitioned);
/* The changes of tables, columns, keys and checks (evolve_changes.c) and
 * of enums (evolve_enums.c); each returns true when it changed the model
 * (false: not applicable now). */
bool ch_alter_collation(rt_conn *conn);
bool ch_add_generated(rt_conn *conn);
bool ch_drop_generated(rt_conn *conn);
bool ch_create_table(rt_conn *conn);
bool ch_drop_table(rt_conn *conn);
bool ch_rename_table(rt_conn *conn);
bool ch_add_column(rt_conn *conn);
bool ch_drop_column(rt_conn *conn);
bool ch_rename_column(rt_conn *conn);
bool ch_alter_type(rt_conn *conn);
bool ch_alter_nullable(rt_conn *conn);
bool ch_alter_default(rt_conn *conn);
bool ch_alter_pk(rt_conn *conn);
bool ch_add_unique(rt_conn *conn);
bool ch_drop_unique(rt_conn *conn);
bool ch_add_index(rt_conn *conn);
bool ch_drop_index(rt_conn *conn);
bool ch_add_fk(rt_conn *conn);
bool ch_change_fk_action(rt_conn *conn);
bool ch_drop_fk(rt_conn *conn);
bool ch_add_check(rt_conn *conn);
bool ch_drop_check(rt_conn *conn);
bool ch_create_enum(rt_conn *conn);
bool ch_add_enum_value(rt_conn *conn);
bool ch_column_to_enum(rt_conn *conn);
bool ch_enum_to_string(rt_conn *conn);
bool ch_drop_enum(rt_conn *conn);
/* The type change of column s of table ti (an enum's too). */
bool alter_type_at(int ti, int s);
/* Does a constraint of t like this one exist (same kind and columns)? */
bool cons_exists(const table *t, int kind, const int *cols, int ncols);

/* ---- evolve_indexes.c: partial, expression, descending, method and
 * covering indexes ----------------------------------------------------- */

/* Index kinds: an index with a where, a lower() key, a desc key, a method
 * or an include. */
enum { IX_WHERE, IX_EXPRESSION, IX_DESC, IX_METHOD, IX_INCLUDE };
bool add_index_kind(int kind);
bool ch_change_index(rt_conn *conn);
/* Is column s of t a key no enum may take (lower() or a method)? */
bool in_special_index(const table *t, int s);
/* Writes an index member of a table: "  [unique] index ... \n". */
void write_index(rt_buf *out, const table *t, const tcons *k);
/* The dialect's index methods the test uses (fills w.methods). */
void pick_methods(const char *const *names, int count);

/* ---- evolve_tables.c: table options, deferrable keys, partitions ------ */

bool ch_set_strict(rt_conn *conn);
bool ch_clear_strict(rt_conn *conn);
bool ch_set_without_rowid(rt_conn *conn);
bool ch_clear_without_rowid(rt_conn *conn);
/* Is a type change of a column of t one the database cannot see? (A
 * strict table declares int, smallint and bigint all as INTEGER...) */
bool type_change_invisible(const table *t, col_type from, col_type to);
bool ch_fk_deferrable(rt_conn *conn);
bool ch_fk_not_deferrable(rt_conn *conn);
/* A partition of t: rows of ids from*1000 on (see partition). */
void new_partition(table *t, int from);
bool ch_create_partitioned(rt_conn *conn);
bool ch_add_partition(rt_conn *conn);
bool ch_drop_partition(rt_conn *conn);
/* The partitions of t, as models.rt declares them. */
void write_partitions(rt_buf *out, const table *t);

/* ---- evolve_objects.c: views, materialized views, functions, triggers -- */

bool ch_create_view(rt_conn *conn);
bool ch_create_view2(rt_conn *conn);       /* of two tables */
bool ch_create_view_on_view(rt_conn *conn);
bool ch_replace_view(rt_conn *conn);
bool ch_drop_view(rt_conn *conn);
bool ch_create_matview(rt_conn *conn);
bool ch_replace_matview(rt_conn *conn);
bool ch_drop_matview(rt_conn *conn);
bool ch_create_function(rt_conn *conn);
bool ch_replace_function(rt_conn *conn);
bool ch_drop_function(rt_conn *conn);
bool ch_create_trigger(rt_conn *conn);
bool ch_replace_trigger(rt_conn *conn);
bool ch_drop_trigger(rt_conn *conn);
/* Drops (in the model) the objects that read table ti, or its column
 * slot s (s -1: any), and the views that read those. */
void drop_objects_on(int ti, int s);
/* A new object of the kind (NULL: the dialect has none, or too many
 * live); a live one passing ok (NULL: any) no change of this step made,
 * at random (-1: none); replaced (another of its texts) or dropped (with
 * the views reading it): false when there was none. */
sql_obj *new_obj(int kind);
int pick_obj(int kind, bool (*ok)(const sql_obj *o));
bool replace_obj(int kind);
bool drop_kind(int kind, bool (*ok)(const sql_obj *o));
bool has_kind(int kind);
/* Does a view or materialized view read column s of table ti? */
bool read_by_view(int ti, int s);
/* The objects as models.rt declares them. */
void write_objects(rt_buf *out);

/* ---- evolve_routines.c: domains, sequences, aggregates, procedures ---- */

bool ch_create_domain(rt_conn *conn);     /* with a column of it */
bool ch_replace_domain(rt_conn *conn);
bool ch_drop_domain(rt_conn *conn);       /* its columns become int first */
bool ch_create_sequence(rt_conn *conn);
bool ch_replace_sequence(rt_conn *conn);
bool ch_drop_sequence(rt_conn *conn);    /* one no column's default takes */
bool ch_sequence_default(rt_conn *conn);  /* an integer column's default: nextval */
bool ch_create_aggregate(rt_conn *conn);
bool ch_replace_aggregate(rt_conn *conn);
bool ch_drop_aggregate(rt_conn *conn);
bool ch_create_procedure(rt_conn *conn);
bool ch_replace_procedure(rt_conn *conn);
bool ch_drop_procedure(rt_conn *conn);
/* Does no column's server default take sequence o's nextval? */
bool no_default_takes(const sql_obj *o);
/* A domain's, sequence's, aggregate's or procedure's declaration. */
void write_routine(rt_buf *out, const sql_obj *o);
/* Is domain d the type of a live column? */
bool domain_used(int d);

/* ---- evolve_renames.c: renames of views, functions, triggers... ------ */

/* A live object of the kind gets a new name (`was` the old one), at
 * times with its other text too; false when there was none. */
bool rename_obj(int kind);
/* " was <old name>" when o was renamed in this step. */
void write_was(rt_buf *out, const sql_obj *o);
/* At a step's start: the `was` markers of the previous step go. */
void forget_renames(void);

/* ---- evolve_schemas.c: a table, enum, view, sequence in schema billing - */

/* The name as SQL and the models write it: "billing.t3" or "t3" (the
 * text lasts until the fourth next call). */
const char *table_ref(const table *t);
const char *obj_ref(const sql_obj *o);
const char *enum_ref(const enum_def *e);
bool ch_create_billing_table(rt_conn *conn);
bool ch_create_billing_enum(rt_conn *conn);
bool ch_create_billing_view(rt_conn *conn);
bool ch_create_billing_sequence(rt_conn *conn);
bool ch_replace_billing_obj(rt_conn *conn);
bool ch_drop_billing_obj(rt_conn *conn);

/* ---- evolve_options.c: server onupdate now, a table's collation, a
 * view's security invoker ------------------------------------------------ */

bool ch_add_onupdate(rt_conn *conn);
bool ch_drop_onupdate(rt_conn *conn);
/* Does the column say `server onupdate now` (c.onupdate, and it can)? */
bool onupdate_written(const column *c);
/* After an UPDATE of t's rows: its onupdate columns are read again. */
void onupdate_columns_changed(table *t);
bool ch_set_table_collation(rt_conn *conn);
bool ch_change_table_collation(rt_conn *conn);
bool ch_drop_table_collation(rt_conn *conn);
/* t's collate NAME, or NULL. */
const char *table_collation_name(const table *t);
bool ch_view_invoker(rt_conn *conn);
bool ch_view_definer(rt_conn *conn);

/* ---- evolve_types.c: array, domain and verbatim columns -------------- */

bool ch_add_array_column(rt_conn *conn);
bool ch_drop_array_column(rt_conn *conn);
bool ch_column_to_array(rt_conn *conn);   /* a string -> text[], int[] -> text[] */
bool ch_column_to_domain(rt_conn *conn);
bool ch_domain_to_int(rt_conn *conn);
bool ch_add_verbatim_column(rt_conn *conn);
bool ch_drop_verbatim_column(rt_conn *conn);
/* A column of domain d, added to a random table (false: none could be). */
bool add_domain_column(int d);
/* Column s of t becomes int (it was of a domain). */
void domain_column_to_int(table *t, int s);
/* Is the type one of PostgreSQL's arrays? */
bool is_array(type_kind k);
/* Has t a live column of that kind? */
bool has_column_of(const table *t, type_kind k);

/* ---- evolve_kinds.c: the kinds of change, and the choice among them --- */

/* One random change of the model (false: none could be made). */
bool random_change(rt_conn *conn);
/* A new table, counted as a change of its kind. */
bool first_tables_change(rt_conn *conn);
/* After a step: the enums its script created (enum_def.in_scripts)
 * (evolve_enums.c). */
void remember_script_enums(void);
/* A kind of change the run never made, or NULL when it made them all. */
const char *kind_never_made(void);
/* How many changes of each kind the run made, one line each. */
void print_kinds(void);

#endif
