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
/* ix_<table>_<keys> for an index's keys: a column key by its name, an
 * expression key by the words in it outside quotes, lower case
 * (lower(email) -> lower_email, (a + b) -> a_b). */
char *rt__name_index_keys(rt_arena *arena, const char *table, const rt_index *index);
char *rt__name_foreign_key(rt_arena *arena, const char *table,
			   const char *const *columns, size_t count,
			   const char *ref_table);
char *rt__name_column_check(rt_arena *arena, const char *table, const char *column);
char *rt__name_table_check(rt_arena *arena, const char *table, int n);
char *rt__name_enum_check(rt_arena *arena, const char *table, const char *column);

/*
 * The longest name the schema language and the migration scripts accept,
 * in bytes (DESIGN §1): longer is an error, never a silent truncation.
 *
 * It is the language's, not a build's or a database's. A schema and its
 * migrations are checked in and run on every backend a project uses (tests
 * on SQLite, production on a server), so they must be valid or invalid
 * the same way everywhere: were the limit the smallest of the backends a
 * build links, a SQLite-only build (no limit) would accept files that the
 * server's build refuses. So the schema layer validates, without knowing
 * any dialect, against the smallest limit of the backends retort speaks:
 * PostgreSQL's 63 (MariaDB's is 64). Each dialect states its own in its
 * capability record (max_identifier_length), and where a dialect is known
 * (DDL, a migration's operations, names the dialect makes up) the names are
 * checked against that, so a backend with a shorter limit refuses a name
 * by name before anything runs. A dialect whose limit is shorter than this
 * one is possible, but then lowering this one breaks existing schemas: the
 * unit test of the dialects says which is the case.
 */
#define RT_MAX_IDENTIFIER_LENGTH 63

/* How the schema layer's messages say a name breaks that limit (after
 * "... is N bytes long"; one %d, the limit): the language's limit, named
 * as such, not one backend's. */
#define RT_IDENTIFIER_LIMIT_WORDS                                                  \
	"longer than the %d bytes the schema language allows, the smallest limit " \
	"of the backends it targets"

/* prefix followed by name, name cut so that the whole has at most limit
 * bytes (0: no limit; the prefix is kept whole) at a UTF-8 character
 * boundary: a name a dialect makes up for a moment (a
 * rebuild's new table, a replaced enum type's old one) that must obey the
 * dialect's identifier limit however long name is. */
char *rt__name_with_prefix(rt_arena *arena, const char *prefix, const char *name,
			   size_t limit);

#endif
