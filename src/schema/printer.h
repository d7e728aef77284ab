/*
 * printer.h - pieces of the schema printer (printer.c, rt_schema_print)
 * for other writers of schema-language text: the migration script printer
 * writes table bodies, columns, names and literals exactly as a schema
 * file has them, so that they parse back the same way.
 */
#ifndef RT_SCHEMA_PRINTER_H
#define RT_SCHEMA_PRINTER_H

#include <stdbool.h>

#include "base/buf.h"
#include "schema/metadata.h"

/* Is s a bare word of the schema language (no quotes needed)? */
bool rt__print_is_identifier(const char *s);
/* A SQL name: bare when it is an identifier, else "quoted". */
void rt__print_sql_name(rt_buf *out, const char *name);
/* The same, quoted also when quote is set (a bare word would read as a
 * keyword there). */
void rt__print_name_quoted_if(rt_buf *out, const char *name, bool quote);
/* A table's name (rt_table.name): schema.table for one in a schema; a
 * name lookup (NULL: none) has as a table outside any schema, written
 * quoted whole. */
void rt__print_table_name(rt_buf *out, const char *name, const rt_schema *lookup);
/* name, or schema.name (an enum's or a SQL object's of a PostgreSQL
 * schema; NULL: none), each part bare or quoted as rt__print_sql_name. */
void rt__print_qualified_name(rt_buf *out, const char *schema, const char *name);
/* enum [schema.]Name { a, b, c }: on one line when it fits, else a value
 * a line; out->failed when memory ran out. */
void rt__print_enum(rt_buf *out, const rt_enum *e);
/* 'SQL quoted' on one line, or a $$ block for text that spans lines. */
void rt__print_string(rt_buf *out, const char *text);
/* " $$ sql $$" after a declaration's words (before: their length), on
 * the line when sql is one short line, else " $$", sql's lines as they
 * are, and indent and "$$" on a line of its own; $rt$ (or $rt1$, ...) in
 * place of $$ when sql holds $$. Nothing added to sql's lines: its text
 * reads back exactly (the block's surrounding blanks aside). */
void rt__print_sql_block(rt_buf *out, const char *sql, size_t before, const char *indent);
/* "materialized view m with no data", "function f(integer)", "trigger t
 * on users": a SQL object's words before its SQL. */
void rt__print_sql_object_head(rt_buf *out, const rt_sql_object *o);
/* A materialized view's indexes after its SQL, " {" ... indent "}", or
 * nothing when it has none. */
int rt__print_matview_body(rt_buf *out, const rt_sql_object *o, const char *indent);
/* A default or server default as the schema language writes it. */
void rt__print_literal(rt_buf *out, const rt_literal *lit);
/* (a, b) */
void rt__print_name_list(rt_buf *out, const char *const *names, size_t count);
/* [using M] (key [desc], ...) [include (a, b)] [where '...'] of an index:
 * an expression key bare when it is a function call, else in
 * parentheses. */
void rt__print_index_body(rt_buf *out, const rt_index *index);
/* references t(x) [on delete ...] [on update ...]; lookup as for
 * rt__print_table_name. */
void rt__print_references(rt_buf *out, const rt_constraint *fk, const rt_schema *lookup);

/* " strict without rowid": a space and the words of each table option
 * set in options (rt_table_option bits); nothing when none is. */
void rt__print_table_options(rt_buf *out, unsigned options);
/* " collate NAME" for a table with a default collation of its own, else
 * nothing. */
void rt__print_table_collation(rt_buf *out, const rt_table *table);

/* " partition of t for values '...'" (or " default") for a partition and
 * " partition by range (a, 'expr')" for a partitioned table; nothing for
 * a table that is neither. */
void rt__print_partitioning(rt_buf *out, const rt_table *table);
/* Does the table's declaration need a { body }? Every table's does but a
 * partition with no constraints or comment of its own. */
bool rt__print_has_body(const rt_table *table);

/* The lines between a table's braces: fields aligned, then table-level
 * members, each line starting with indent. The table is taken to be named
 * by the declaration around the braces (`create table name`), so no
 * `table '...'` is written. RT_OK or RT_ENOMEM. */
int rt__print_table_body(rt_buf *out, const rt_table *table, const char *indent);

/* A column's member line without its name: the type (with ? when
 * nullable) and the options that write table's key, constraints and
 * indexes on it (`primary key`, `unique`, `references ...`). The column
 * is taken to be named by its SQL name (as `add column t.c` names it), so
 * no `column '...'` is written. */
int rt__print_column(rt_buf *out, const rt_table *table, const rt_column *column);

/* Is everything table holds besides its columns (key, constraints,
 * indexes) written on column by rt__print_column? Sets *fits. */
int rt__print_fits_column(const rt_table *table, const rt_column *column, bool *fits);

#endif
