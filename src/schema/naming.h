/*
 * naming.h - names derived by rule: table names from model names, default
 * constraint and index names, and the reverse (model names from tables).
 *
 * All results are allocated in the given arena. See DESIGN §1 "Names".
 */
#ifndef RT_SCHEMA_NAMING_H
#define RT_SCHEMA_NAMING_H

#include "base/arena.h"
#include "schema/metadata.h"

/* CartItem -> cart_item, HTTPServer -> http_server */
char *rt__name_snake_case(rt_arena *arena, const char *camel);
/* cart_item -> CartItem */
char *rt__name_camel_case(rt_arena *arena, const char *snake);
/* English plural of a lower-case word: user -> users, category ->
 * categories, address -> addresses, box -> boxes, person -> people */
char *rt__name_plural(rt_arena *arena, const char *word);
/* The reverse: users -> user, categories -> category, addresses -> address */
char *rt__name_singular(rt_arena *arena, const char *word);
/* Default table name of a model: CartItem -> cart_items */
char *rt__name_table_for_model(rt_arena *arena, const char *model);
/* Model name for a table: cart_items -> CartItem (CamelCase singular) */
char *rt__name_model_for_table(rt_arena *arena, const char *table);

/* Default names, DESIGN §1:
 *   pk_<table>, uq_<table>_<cols>, ix_<table>_<cols>,
 *   fk_<table>_<cols>_<reftable>, ck_<table>_<column>, ck_<table>_<n>,
 *   ck_<table>_<column>_enum */
char *rt__name_primary_key(rt_arena *arena, const char *table);
char *rt__name_unique(rt_arena *arena, const char *table, const char *const *columns,
		      size_t count);
char *rt__name_index(rt_arena *arena, const char *table, const char *const *columns,
		     size_t count);
char *rt__name_foreign_key(rt_arena *arena, const char *table,
			   const char *const *columns, size_t count,
			   const char *ref_table);
char *rt__name_column_check(rt_arena *arena, const char *table, const char *column);
char *rt__name_table_check(rt_arena *arena, const char *table, int n);
char *rt__name_enum_check(rt_arena *arena, const char *table, const char *column);

/* The longest identifier PostgreSQL keeps; longer names are an error. */
#define RT_MAX_IDENTIFIER_LENGTH 63

#endif
