/*
 * cgen_impl.h - what the files of the C code generator share: the plan.
 *
 * cgen.c first turns the schema into a plan: every C name the output will
 * use (escaped, checked for collisions), every column's C type and field
 * kind, and every relationship and foreign key as column indexes. The
 * writers (cgen_header.c, cgen_source.c) then only print the plan, in
 * schema order, so the output is deterministic.
 */
#ifndef RT_GEN_CGEN_IMPL_H
#define RT_GEN_CGEN_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "gen/cgen.h"
#include "schema/metadata.h"

/* The flags of retort/orm.h, whose names the output writes. (That header
 * cannot be included next to schema/metadata.h: both name an enum
 * rt_relationship_kind.) test_gen_layout checks the values agree. */
#define CG_COLUMN_PRIMARY_KEY 0x01u
#define CG_COLUMN_NULLABLE 0x02u
#define CG_COLUMN_AUTOINCREMENT 0x04u
#define CG_COLUMN_SERVER_DEFAULT 0x08u
#define CG_COLUMN_DEFAULT_NOW 0x10u
#define CG_COLUMN_CLIENT_DEFAULT 0x20u
#define CG_COLUMN_GENERATED 0x40u
#define CG_COLUMN_SERVER_ONUPDATE 0x80u
#define CG_COLUMN_VERSION 0x100u
#define CG_COLUMN_ONUPDATE_NOW 0x200u
#define CG_RELATIONSHIP_CASCADE_DELETE 0x01u
#define CG_RELATIONSHIP_DELETE_ORPHAN 0x02u
#define CG_RELATIONSHIP_ORDER_DESC 0x04u

/* How a schema type is written in C. */
typedef struct cg_type {
	const char *kind;     /* "RT_FIELD_INT64" */
	const char *c_type;   /* "int64_t"; NULL for enums (the enum's name) */
	const char *opt_type; /* nullable form: "rt_opt_int64"; NULL when the
			       * plain type is nullable itself (pointers,
			       * rt_bytes, enums) */
	const char *handle;   /* "rt_int_column" */
	const char *key;      /* value constructor of a key argument: "rt_int" */
	/* An array (int[]): c_type is its struct ("rt_int32_array"), element
	 * the field kind of one element ("RT_FIELD_INT32") and item_type its
	 * C type ("int32_t"; NULL for an enum: the enum's name). NULL
	 * element for any other type. */
	const char *element;
	const char *item_type;
} cg_type;

typedef struct cg_model cg_model;

typedef struct cg_enum {
	const rt_enum *e;
	const char *c_name;       /* the typedef: the schema's name */
	const char **constants;   /* MOOD_HAPPY, ... */
} cg_enum;

typedef struct cg_column {
	const rt_column *column;
	const char *field;        /* C member name (keywords escaped) */
	const char *path;         /* the member from the struct: field, or
				   * base.field for one of the parent's */
	const char *decl_type;    /* C type of the member */
	const cg_type *type;
	const cg_enum *enum_type; /* enum columns */
	unsigned flags;           /* RT_COLUMN_* */
	bool has_default;         /* a client-side default other than now */
	bool long_default;        /* a text or blob default too long for a C
				   * string literal: kept in a char array */
	bool primary_key;
} cg_column;

typedef struct cg_relationship {
	const rt_relationship *rel;
	const char *field;        /* C member name */
	const char *kind;         /* "RT_RELATIONSHIP_MANY_TO_ONE", ... */
	bool to_many;
	const cg_model *target;
	int *columns, *target_columns;
	int column_count;
	/* many-to-many */
	const char *secondary;        /* the association table's SQL name */
	const char *secondary_schema; /* its PostgreSQL schema, or NULL */
	const char **secondary_columns, **secondary_target_columns;
	int back;                 /* index on the target, or -1 */
	int order_by;             /* column index on the target, or -1 */
	unsigned flags;           /* RT_RELATIONSHIP_* */
} cg_relationship;

typedef struct cg_foreign_key {
	int *columns;
	int column_count;
	const char *target_table;
	const cg_model *target;   /* NULL for a table without a model */
} cg_foreign_key;

struct cg_model {
	const rt_table *table;
	const char *name;         /* the struct's name: the model's name */
	cg_column *columns;
	size_t column_count;
	int *primary_key;
	size_t primary_key_count;
	const char **key_params;  /* the get function's parameter names */
	cg_relationship *relationships;
	size_t relationship_count;
	cg_foreign_key *foreign_keys;
	size_t foreign_key_count;
	bool has_defaults;
	/* Single-table inheritance: the model extended (its struct is this
	 * one's first member, `base`), and how many of the columns are its;
	 * the root of the tree, whose relationships and foreign keys this
	 * model shares. NULL, 0 and the model itself for a root. */
	const cg_model *parent;
	size_t inherited;
	const cg_model *root;
	/* The models below this one, each after its parent. */
	const cg_model **subclasses;
	size_t subclass_count;
};

typedef struct cg_plan {
	rt_arena *arena;
	const rt_schema *schema;
	const char *name;         /* output stem */
	const char *source_name;  /* for the header comment */
	const char *guard;        /* include guard */
	cg_enum *enums;
	size_t enum_count;
	cg_model *models;
	size_t model_count;
	rt_map names;             /* C name -> what it names, for collisions */
	int error;                /* RT_OK, or the first error */
} cg_plan;

/* --- cgen_names.c ------------------------------------------------------------ */

/* The C form of a schema type. */
const cg_type *rt__cg_type(const rt_type *type);
/* The items parameter of an array column's setter: "const int32_t
 * *items", "const char *const *items", "const Mood *items". */
void rt__cg_put_items_param(rt_buf *out, const cg_column *cc);
/* name, with a trailing underscore when it is a C keyword or a macro of
 * the headers the output includes (bool, true, NULL, ...). */
const char *rt__cg_escape(rt_arena *arena, const char *name);
bool rt__cg_is_reserved(const char *name);
/* UPPER_SNAKE_CASE of any text: CartStatus -> CART_STATUS, so-so -> SO_SO;
 * every character that cannot be in an identifier (one per UTF-8
 * character) becomes '_'. */
char *rt__cg_upper_snake(rt_arena *arena, const char *text);
/* Any text as a C identifier: the same, without changing case. */
char *rt__cg_identifier(rt_arena *arena, const char *text);
/* Appends text as a C string literal (every byte kept: escapes for quotes,
 * backslashes, control and non-ASCII bytes, and ?? trigraphs). NULL is
 * written as NULL. */
void rt__cg_put_string(rt_buf *out, const char *text);
/* Appends text inside a C comment, made safe: no end of comment in it. */
void rt__cg_put_comment_text(rt_buf *out, const char *text);

/* Reserves a global C name for what (a description for the message);
 * records an error in plan when another thing has it already. */
void rt__cg_claim(cg_plan *plan, const char *name, const char *what, const rt_pos *pos);

/* --- cgen_defaults.c --------------------------------------------------------- */

/* Appends the C initializer of a column's client-side default (for the
 * member's declared type, nullable wrapper included). Returns RT_OK or
 * RT_EPARSE (a literal the generator cannot read: message recorded). */
int rt__cg_put_default(rt_buf *out, const cg_model *model, const cg_column *column);
/* The longest string literal every C compiler must take (C11 5.2.4.1);
 * -pedantic warns beyond it. */
#define CG_MAX_STRING_LITERAL 4095
/* For a long text or blob default: the static array that holds it,
 * <Model>__<field>_default, written before the defaults struct. */
void rt__cg_put_default_storage(rt_buf *out, const cg_model *model, const cg_column *column);

/* --- writers ----------------------------------------------------------------- */

void rt__cg_write_header(rt_buf *out, const cg_plan *plan);
int rt__cg_write_source(rt_buf *out, const cg_plan *plan);

/* The C type of a key argument: the column's type, never its nullable form. */
const char *rt__cg_key_type(const cg_column *cc);
/* "int Author_get(Author **out, rt_session *session, int64_t id)" */
void rt__cg_put_get_signature(rt_buf *out, const cg_model *m);
/* The signature of a non-blocking form: what is "get", "first", "one" or
 * "one_or_none". */
void rt__cg_put_async_signature(rt_buf *out, const cg_model *m, const char *what);

/* The C expression of a column's flags: "RT_COLUMN_PRIMARY_KEY | ...", or "0". */
void rt__cg_put_column_flags(rt_buf *out, unsigned flags);

#endif
