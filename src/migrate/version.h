/*
 * version.h - the tables where a database records its migrations.
 *
 * The version table (`alembic_version` unless configured otherwise) is
 * Alembic's, to the byte:
 *     CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
 *         CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))
 * with one row per head, changed as Alembic changes it (graph.h,
 * rt__graph_heads_step), so a database migrated by either tool is read
 * correctly by the other.
 *
 * `retort_history` is retort's own: one row per revision applied or
 * removed, with the checksum of its script (`sha256:<hex>`), when and how
 * long; it is how an applied script edited afterwards is caught.
 *
 * Online, statements run on the connection, values bound. Offline
 * (`upgrade --sql`), they are written to a file for a DBA to read, values
 * as SQL literals.
 */
#ifndef RT_MIGRATE_VERSION_H
#define RT_MIGRATE_VERSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/buf.h"
#include "dialect/dialect.h"
#include "migrate/graph.h"
#include "retort/engine.h"

#define RT_VERSION_TABLE_DEFAULT "alembic_version"
#define RT_HISTORY_TABLE "retort_history"

/*
 * A version table in a PostgreSQL schema of its own (retort.ini's
 * version_table_schema, Alembic's name) is named "<schema>.<table>"
 * wherever the version table's name goes here: the first '.' splits it,
 * and retort_history is beside it in that schema, which is created when
 * missing. Without a '.' the tables are where unqualified names resolve.
 */
/* The version table's name for table in schema (NULL or "" for none). In
 * arena; NULL when out of memory. */
const char *rt__version_table_name(rt_arena *arena, const char *schema, const char *table);
/* The name of retort_history beside version table `table` (NULL: the
 * default one), as rt__version_table_name makes it. In arena. */
const char *rt__version_history_name(rt_arena *arena, const char *table);

/* Is there a table of this name (schema.table, or where unqualified names
 * resolve)? */
int rt__version_table_exists(rt_conn *conn, const char *table, bool *exists);

/* The rows of the version table (the database's heads), in arena; none
 * when the table does not exist. Reads nothing else. */
int rt__version_heads(rt_conn *conn, const char *table, rt_arena *arena, const char ***ids,
		      size_t *count);

/* One row of retort_history. */
typedef struct rt_history_entry {
	const char *revision;
	bool upgrade;            /* direction 'upgrade' (else 'downgrade') */
	const char *checksum;    /* "sha256:<hex>", or NULL */
	const char *applied_at;  /* as the database writes timestamps */
	int64_t duration_ms;     /* -1 when unknown (written offline) */
} rt_history_entry;

/* retort_history beside version table `table` (NULL: the default one),
 * oldest first; none when the table does not exist. */
int rt__version_history(rt_conn *conn, const char *table, rt_arena *arena,
			rt_history_entry **entries, size_t *count);

/* The applied revisions (ancestors of current) whose script differs from
 * the one that was last applied, by checksum, in graph order; applied[i]
 * is the checksum retort_history recorded for out->items[i]. Revisions
 * applied without a record (by Alembic, or stamped) are not reported. */
int rt__version_edited(rt_conn *conn, const char *table, const rt_graph *graph,
		       rt_arena *arena, const rt_revlist *current, rt_revlist *out,
		       const char ***applied);

/* Writing to the tables during a run. */
typedef struct rt_version_writer {
	const rt_dialect *dialect;
	rt_conn *conn;           /* NULL offline */
	FILE *sql_out;           /* offline: where statements are written */
	const char *table;       /* the version table */
	const char *history;     /* retort_history beside it */
	rt_stmt *insert, *update, *remove, *record; /* prepared on first use */
	rt_buf sql;
	rt_buf history_name;     /* history's text, when in a schema */
} rt_version_writer;

/* conn is NULL offline, where sql_out receives the statements. */
void rt__version_writer_init(rt_version_writer *w, const rt_dialect *dialect, rt_conn *conn,
			     FILE *sql_out, const char *table);
/* Finalizes the statements; safe to call twice. */
void rt__version_writer_close(rt_version_writer *w);

/* RT_OK, or RT_EINVAL naming the dialect when the version table is in a
 * schema (version_table_schema) and the dialect has none: checked before
 * a run writes or runs anything. */
int rt__version_check_place(const rt_version_writer *w);

/* Online: creates the version table and retort_history where missing.
 * Offline: writes their CREATE TABLE statements. */
int rt__version_create(rt_version_writer *w);

int rt__version_insert(rt_version_writer *w, const char *id);
int rt__version_update(rt_version_writer *w, const char *from, const char *to);
int rt__version_delete(rt_version_writer *w, const char *id);
/* Deletes every row (stamp --purge). */
int rt__version_clear(rt_version_writer *w);
/* Carries out one step's change of rows (graph.h). */
int rt__version_apply(rt_version_writer *w, const rt_heads_change *change);
/* Adds a retort_history row; duration_ms < 0 writes NULL. */
int rt__version_record(rt_version_writer *w, const char *revision, bool upgrade,
		       const char *checksum, int64_t duration_ms);

/* Adds retort_history rows (revision, upgrade, checksum, duration_ms of
 * each entry; applied_at is the database's clock) with as few statements
 * as the database's parameter limit allows. */
int rt__version_record_many(rt_version_writer *w, const rt_history_entry *entries,
			    size_t count);

/* Appends the CREATE TABLE statement of the version table (for a dialect)
 * to buf: Alembic's DDL, identifiers quoted. */
int rt__version_table_ddl(rt_buf *buf, const rt_dialect *dialect, const char *table);

/* Building the bookkeeping tables' definitions (also progress.c's): a
 * column of kind and length, and a one-column primary key named name. */
rt_column *rt__version_add_column(rt_schema *schema, rt_table *table, const char *name,
				  rt_type_kind kind, int length, bool nullable);
bool rt__version_set_primary_key(rt_schema *schema, rt_table *table, const char *name,
				 const char *column);

#endif
