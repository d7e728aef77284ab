/*
 * diff.h - autogenerate: the operations that turn one schema into another.
 *
 * `from` is what the database holds (reflected from it, or replayed from
 * the scripts), `to` what the models say. rt__diff_schemas fills a
 * migration's upgrade with operations that, applied to `from`, give `to`
 * as the dialect would store it, in an order the database accepts; and its
 * downgrade with their exact inverse. Every drop carries the full
 * definition it removes, so that it can be undone and printed in full.
 *
 * Renames come from `was` markers in the models, from renames the user
 * states (`--rename users.name=full_name`), or from the user's answer to a
 * question about a likely rename (a column or table dropped and one of the
 * same shape added). Unanswered likely renames become drop + add, with a
 * warning naming the candidates.
 *
 * What the operations cannot express (removing or reordering enum values,
 * comments, autoincrement) is reported as a warning and left alone.
 * docs/autogenerate.md describes the rules for users.
 */
#ifndef RT_MIGRATE_DIFF_H
#define RT_MIGRATE_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "dialect/dialect.h"
#include "migrate/migration.h"
#include "schema/metadata.h"

/* A rename the user stated: a column (`users.name=full_name`: table
 * "users", from "name", to "full_name") or a table (`old=new`: table
 * NULL). The table of a column rename may be named by its old or its new
 * name. */
typedef struct rt_diff_rename {
	const char *table;
	const char *from;
	const char *to;
} rt_diff_rename;

/* Asked about a likely rename: a table (table NULL) or a column of table
 * (its name in the models) named `from` in the database and `to` in the
 * models. Returns 1 for "yes, a rename", 0 for "no", or a negative RT_E
 * code (with the error recorded) to stop the diff. */
typedef int (*rt_diff_ask_rename)(void *ctx, const char *table, const char *from,
				  const char *to);

/* Messages for the user, one line each. The array and the strings live in
 * the scratch arena of the migration the diff fills: start each diff with
 * an empty list ({0}) and read it while that migration lives. */
typedef struct rt_diff_warnings {
	const char **items;
	size_t count, cap;
} rt_diff_warnings;

typedef struct rt_diff_options {
	const rt_diff_rename *renames;  /* stated renames */
	size_t rename_count;
	rt_diff_ask_rename ask_rename;  /* NULL: never ask */
	void *ask_ctx;
	rt_diff_warnings *warnings;     /* NULL: warnings are dropped */
	/* Tables neither side's copy sees, in addition to the version tables
	 * alembic_version and retort_history, which are always ignored. */
	const char *const *ignore_tables;
	size_t ignore_count;
	/* When not NULL, receives the schema the upgrade applies to: a copy of
	 * `from` as the differ reads it (ignored tables left out, canonicalized
	 * for the dialect, enums named as the models name them where the
	 * database cannot tell: SQLite keeps no enum types, only each column's
	 * CHECK of values). Replaying the upgrade onto it gives
	 * canonicalize(to); the downgrade then gives it back. The caller frees
	 * it with rt_schema_free. */
	rt_schema **base;
	/* The schema the migration scripts build up to the revision the new
	 * one revises, replayed (NULL: not known). Read only where the
	 * database keeps no enum types (SQLite), to know them as the scripts
	 * do: a column the scripts typed with an enum uses that enum, and an
	 * enum the scripts created exists while the models declare it, even
	 * with no column using it; dropped from the models, it is dropped.
	 * And for a table whose options change (SQLite's STRICT), the types
	 * the rebuild will give its columns. */
	const rt_schema *scripts;
	/* Names left out of the comparison on both sides, as if neither had
	 * them (retort.ini's include_objects / exclude_objects): tables, and
	 * the indexes, enum types and other objects of the database that are
	 * not managed. NULL: none. */
	bool (*exclude)(void *ctx, const char *name);
	void *exclude_ctx;
	/* Receives, sorted, one line for each thing of `from` that is not
	 * managed (diff_unmanaged.c): "table legacy", "index ix on t",
	 * "view v", "trigger tr on t", ... (same lifetime as warnings). A
	 * table or index is managed when the models or the scripts have it;
	 * so without scripts, every one is. NULL: not listed. */
	rt_diff_warnings *unmanaged;
	/* Drop what is not managed (with its definition in the downgrade)
	 * rather than leave it alone. */
	bool drop_unmanaged;
	/* `to` already copied and canonicalized by rt__diff_prepare_models,
	 * with the same dialect and these options, or NULL. The differ works
	 * on it (and may change it) instead of making its own copy; the
	 * caller frees it after, and never hands it to another diff. */
	rt_schema *to_prepared;
} rt_diff_options;

/*
 * The copy of the models (`to`) that rt__diff_schemas compares, made
 * ahead: a caller that reads the database on another thread makes it
 * meanwhile (at 10,000 tables it is a third of the comparison's time).
 * Same dialect and options as the diff it goes to. RT_OK or RT_ENOMEM.
 */
int rt__diff_prepare_models(rt_schema **out, const rt_schema *models, const rt_dialect *dialect,
			    const rt_diff_options *opts);

/*
 * Fills out->upgrade and out->downgrade (appending to what they hold) with
 * the operations from `from` to `to` and back. Definitions held by the
 * operations are allocated in out->scratch, created with rt__schema_new when
 * NULL (the caller frees it with rt_schema_free, or with the migration set
 * that owns out). dialect may be NULL: nothing is canonicalized then and
 * enums are compared as native types. opts may be NULL.
 *
 * Returns RT_OK, or an error: RT_EINVAL for a stated rename that names
 * nothing or renames that cannot be ordered, or for models the dialect's
 * database would refuse (rt__ddl_check_schema_names), RT_ENOMEM, or what the
 * ask_rename callback returned. On error out's lists are left as they
 * were.
 */
int rt__diff_schemas(rt_migration *out, const rt_schema *from, const rt_schema *to,
		     const rt_dialect *dialect, const rt_diff_options *opts);

/*
 * Reads a rename as the user writes it: "users.name=full_name" (a column of
 * table users) or "old_table=new_table". Strings are copied into arena.
 * RT_EUSAGE with a message for anything else.
 */
int rt__diff_parse_rename(rt_diff_rename *out, rt_arena *arena, const char *text);

#endif
