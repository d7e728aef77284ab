/*
 * version.c - reading and writing the version table and retort_history
 * (version.h).
 *
 * The statements are built here from quoted identifiers; every value is a
 * bound parameter online. Offline, the same statements are written to a
 * file with the values as SQL literals, for reading, never executed by us.
 */
#include "migrate/version.h"

#include <inttypes.h>
#include <string.h>

#include "base/error.h"
#include "engine/engine.h"
#include "sql/ddl.h"

/* --- names ------------------------------------------------------------------- */

const char *rt__version_table_name(rt_arena *arena, const char *schema, const char *table)
{
	if (!schema || !*schema)
		return rt__arena_strdup(arena, table);
	return rt__arena_printf(arena, "%s.%s", schema, table);
}

const char *rt__version_history_name(rt_arena *arena, const char *table)
{
	const char *dot = table ? strchr(table, '.') : NULL;
	if (!dot)
		return RT_HISTORY_TABLE;
	return rt__arena_printf(arena, "%.*s." RT_HISTORY_TABLE, (int)(dot - table), table);
}

/* The schema part of a bookkeeping table's name (before its first '.'),
 * its length in *len; NULL when it has none. */
static const char *schema_of(const char *table, size_t *len)
{
	const char *dot = strchr(table, '.');
	*len = dot ? (size_t)(dot - table) : 0;
	return dot ? table : NULL;
}

static void put_ident(rt_buf *buf, const rt_dialect *dialect, const char *ident)
{
	dialect->quote_ident(buf, ident);
}

/* A bookkeeping table's name in SQL: "meta"."alembic_version". */
static void put_table(rt_buf *buf, const rt_dialect *dialect, const char *table)
{
	size_t len;
	const char *schema = schema_of(table, &len);
	if (schema) {
		rt_buf name = RT_BUF_INIT;
		rt__buf_put(&name, schema, len);
		put_ident(buf, dialect, rt__buf_cstr(&name));
		rt__buf_free(&name);
		rt__buf_putc(buf, '.');
		table += len + 1;
	}
	put_ident(buf, dialect, table);
}

/* --- reading ------------------------------------------------------------------ */

int rt__version_table_exists(rt_conn *conn, const char *table, bool *exists)
{
	*exists = false;
	size_t len;
	const char *schema = schema_of(table, &len);
	const char *query = schema ? conn->dialect->table_in_schema_exists_query
				   : conn->dialect->table_exists_query;
	if (!query)
		return rt__error_set(RT_EINVAL,
				     "version table %s: %s has no schemas of tables "
				     "(version_table_schema is PostgreSQL's)",
				     table, conn->dialect->name);
	rt_stmt *stmt;
	int rc = rt_stmt_prepare(&stmt, conn, query);
	if (rc < 0)
		return rc;
	int at = 1;
	if (schema && (rc = rt_stmt_bind_text(stmt, at++, schema, (int)len)) < 0) {
		rt_stmt_finalize(stmt);
		return rc;
	}
	if ((rc = rt_stmt_bind_text(stmt, at, schema ? table + len + 1 : table, -1)) == RT_OK) {
		rc = rt_stmt_step(stmt);
		*exists = rc == RT_ROW;
	}
	rt_stmt_finalize(stmt);
	return rc < 0 ? rc : RT_OK;
}

/* Runs a query built in sql, handing each row to fn; the table must exist. */
static int each_row(rt_conn *conn, rt_buf *sql, int (*fn)(rt_stmt *, void *), void *ctx)
{
	if (rt__buf_failed(sql))
		return rt__error_nomem();
	rt_stmt *stmt;
	int rc = rt_stmt_prepare(&stmt, conn, rt__buf_cstr(sql));
	if (rc < 0)
		return rc;
	while ((rc = rt_stmt_step(stmt)) == RT_ROW)
		if ((rc = fn(stmt, ctx)) < 0)
			break;
	rt_stmt_finalize(stmt);
	return rc < 0 ? rc : RT_OK;
}

typedef struct id_list {
	rt_arena *arena;
	const char **ids;
	size_t count, cap;
} id_list;

static int add_head(rt_stmt *stmt, void *ctx)
{
	id_list *list = ctx;
	const char *id = rt_stmt_column_text(stmt, 0);
	char *copy = id ? rt__arena_strdup(list->arena, id) : NULL;
	if (!id)
		return RT_OK;
	if (!copy || RT_ARENA_PUSH(list->arena, list->ids, list->count, list->cap, copy) < 0)
		return rt__error_nomem();
	return RT_OK;
}

int rt__version_heads(rt_conn *conn, const char *table, rt_arena *arena, const char ***ids,
		      size_t *count)
{
	*ids = NULL;
	*count = 0;
	bool exists;
	int rc = rt__version_table_exists(conn, table, &exists);
	if (rc < 0 || !exists)
		return rc;
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "SELECT ");
	put_ident(&sql, conn->dialect, "version_num");
	rt__buf_puts(&sql, " FROM ");
	put_table(&sql, conn->dialect, table);
	id_list list = {.arena = arena};
	rc = each_row(conn, &sql, add_head, &list);
	rt__buf_free(&sql);
	if (rc < 0)
		return rt__error_wrap("reading the version table %s", table);
	*ids = list.ids;
	*count = list.count;
	return RT_OK;
}

typedef struct entry_list {
	rt_arena *arena;
	rt_history_entry *items;
	size_t count, cap;
} entry_list;

static const char *copy_text(rt_arena *arena, rt_stmt *stmt, int column, bool *failed)
{
	const char *text = rt_stmt_column_text(stmt, column);
	if (!text)
		return NULL;
	char *copy = rt__arena_strdup(arena, text);
	if (!copy)
		*failed = true;
	return copy;
}

static int add_entry(rt_stmt *stmt, void *ctx)
{
	entry_list *list = ctx;
	if (rt__arena_reserve(list->arena, (void **)&list->items, &list->cap, list->count + 1,
			      sizeof(*list->items)) < 0)
		return rt__error_nomem();
	rt_history_entry *e = &list->items[list->count++];
	bool failed = false;
	const char *direction = rt_stmt_column_text(stmt, 1);
	e->revision = copy_text(list->arena, stmt, 0, &failed);
	e->upgrade = direction && strcmp(direction, "upgrade") == 0;
	e->checksum = copy_text(list->arena, stmt, 2, &failed);
	e->applied_at = copy_text(list->arena, stmt, 3, &failed);
	e->duration_ms = rt_stmt_column_is_null(stmt, 4) ? -1 : rt_stmt_column_int64(stmt, 4);
	return failed ? rt__error_nomem() : RT_OK;
}

int rt__version_history(rt_conn *conn, const char *table, rt_arena *arena,
			rt_history_entry **entries, size_t *count)
{
	*entries = NULL;
	*count = 0;
	const char *history = rt__version_history_name(arena, table);
	if (!history)
		return rt__error_nomem();
	bool exists;
	int rc = rt__version_table_exists(conn, history, &exists);
	if (rc < 0 || !exists)
		return rc;
	const rt_dialect *d = conn->dialect;
	static const char *const columns[] = {"revision", "direction", "checksum", "applied_at",
					      "duration_ms"};
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "SELECT ");
	for (size_t i = 0; i < sizeof(columns) / sizeof(*columns); i++) {
		if (i)
			rt__buf_puts(&sql, ", ");
		put_ident(&sql, d, columns[i]);
	}
	rt__buf_puts(&sql, " FROM ");
	put_table(&sql, d, history);
	rt__buf_puts(&sql, " ORDER BY ");
	put_ident(&sql, d, "id");
	entry_list list = {.arena = arena};
	rc = each_row(conn, &sql, add_entry, &list);
	rt__buf_free(&sql);
	if (rc < 0)
		return rt__error_wrap("reading %s", history);
	*entries = list.items;
	*count = list.count;
	return RT_OK;
}

int rt__version_edited(rt_conn *conn, const char *table, const rt_graph *graph,
		       rt_arena *arena, const rt_revlist *current, rt_revlist *out,
		       const char ***applied)
{
	*applied = NULL;
	rt_history_entry *entries;
	size_t count;
	int rc = rt__version_history(conn, table, arena, &entries, &count);
	if (rc < 0)
		return rc;
	bool *is_applied = rt__graph_closure(graph, arena, current);
	/* The checksum each revision was last applied with, by index. */
	const char **last = rt__arena_alloc(arena, (graph->count + 1) * sizeof(*last));
	if (!is_applied || !last)
		return rt__error_nomem();
	for (size_t i = 0; i < count; i++) {
		const rt_revision *rev = rt__graph_get(graph, entries[i].revision);
		if (rev)
			last[rev->index] = entries[i].upgrade ? entries[i].checksum : NULL;
	}
	const char **found = rt__arena_alloc(arena, (graph->count + 1) * sizeof(*found));
	if (!found)
		return rt__error_nomem();
	for (size_t i = 0; i < graph->count; i++) {
		rt_revision *rev = graph->revisions[i];
		const char *now = rev->migration->checksum;
		if (!is_applied[i] || !last[i] || !now || strcmp(last[i], now) == 0)
			continue;
		found[out->count] = last[i];
		if (rt__revlist_push(arena, out, rev) < 0)
			return rt__error_nomem();
	}
	*applied = found;
	return RT_OK;
}

/* --- the tables' definitions ---------------------------------------------------- */

rt_column *rt__version_add_column(rt_schema *schema, rt_table *table, const char *name,
				  rt_type_kind kind, int length, bool nullable)
{
	rt_column *column = rt__table_add_column(schema, table, name);
	if (column) {
		column->type.kind = kind;
		column->type.length = length;
		column->nullable = nullable;
	}
	return column;
}

bool rt__version_set_primary_key(rt_schema *schema, rt_table *table, const char *name,
				 const char *column)
{
	rt_constraint *pk = rt__arena_alloc(schema->arena, sizeof(*pk));
	if (!pk)
		return false;
	pk->kind = RT_CONSTRAINT_PRIMARY_KEY;
	pk->name = rt__arena_strdup(schema->arena, name);
	pk->name_given = true;
	table->primary_key = pk;
	return pk->name && rt__constraint_add_column(schema, pk, column, false) == 0;
}

/* A bookkeeping table of schema, named name (maybe schema.table). */
static rt_table *add_table(rt_schema *schema, const char *name)
{
	size_t len;
	const char *in = schema_of(name, &len);
	if (!in)
		return rt__schema_add_table(schema, name, NULL);
	const char *sql_schema = rt__arena_strndup(schema->arena, in, len);
	return sql_schema ? rt__schema_add_table_in(schema, sql_schema, name + len + 1, NULL)
			  : NULL;
}

/* Alembic's version table. */
static rt_table *version_table(rt_schema *schema, const char *name)
{
	rt_table *table = add_table(schema, name);
	char *pk_name = table ? rt__arena_printf(schema->arena, "%s_pkc",
						 rt__table_sql_name(table))
			      : NULL;
	if (!table || !pk_name ||
	    !rt__version_add_column(schema, table, "version_num", RT_TYPE_STRING, 32, false) ||
	    !rt__version_set_primary_key(schema, table, pk_name, "version_num"))
		return NULL;
	return table;
}

static rt_table *history_table(rt_schema *schema, const char *name)
{
	rt_table *table = add_table(schema, name);
	if (!table)
		return NULL;
	rt_column *id = rt__version_add_column(schema, table, "id", RT_TYPE_BIGINT, 0, false);
	rt_column *revision =
		rt__version_add_column(schema, table, "revision", RT_TYPE_STRING, 32, false);
	rt_column *direction =
		rt__version_add_column(schema, table, "direction", RT_TYPE_STRING, 9, false);
	rt_column *checksum =
		rt__version_add_column(schema, table, "checksum", RT_TYPE_STRING, 100, true);
	rt_column *at =
		rt__version_add_column(schema, table, "applied_at", RT_TYPE_TIMESTAMP, 0, false);
	rt_column *duration =
		rt__version_add_column(schema, table, "duration_ms", RT_TYPE_BIGINT, 0, true);
	if (!id || !revision || !direction || !checksum || !at || !duration ||
	    !rt__version_set_primary_key(schema, table, "pk_" RT_HISTORY_TABLE, "id"))
		return NULL;
	id->autoincrement = true;
	at->server_default.kind = RT_LITERAL_NOW;
	at->server_default.text = "now";
	return table;
}

/* CREATE TABLE of the version table (history false) or of retort_history
 * named name. */
static int table_ddl(rt_buf *buf, const rt_dialect *dialect, const char *name, bool history)
{
	rt_schema *schema = rt__schema_new();
	if (!schema)
		return rt__error_nomem();
	rt_table *table = history ? history_table(schema, name) : version_table(schema, name);
	if (table)
		rt__ddl_create_table(buf, schema, table, dialect, true);
	rt_schema_free(schema);
	return table && !rt__buf_failed(buf) ? RT_OK : rt__error_nomem();
}

int rt__version_table_ddl(rt_buf *buf, const rt_dialect *dialect, const char *table)
{
	return table_ddl(buf, dialect, table, false);
}

/* --- writing ------------------------------------------------------------------------ */

void rt__version_writer_init(rt_version_writer *w, const rt_dialect *dialect, rt_conn *conn,
			     FILE *sql_out, const char *table)
{
	memset(w, 0, sizeof(*w));
	w->dialect = dialect;
	w->conn = conn;
	w->sql_out = sql_out;
	w->table = table ? table : RT_VERSION_TABLE_DEFAULT;
	/* Beside the version table: in its schema, if it has one. */
	const char *dot = strchr(w->table, '.');
	if (dot) {
		rt__buf_put(&w->history_name, w->table, (size_t)(dot + 1 - w->table));
		rt__buf_puts(&w->history_name, RT_HISTORY_TABLE);
	}
	w->history = dot ? rt__buf_cstr(&w->history_name) : RT_HISTORY_TABLE;
}

void rt__version_writer_close(rt_version_writer *w)
{
	rt_stmt_finalize(w->insert);
	rt_stmt_finalize(w->update);
	rt_stmt_finalize(w->remove);
	rt_stmt_finalize(w->record);
	w->insert = w->update = w->remove = w->record = NULL;
	rt__buf_free(&w->sql);
	rt__buf_free(&w->history_name);
	w->history = RT_HISTORY_TABLE;
}

static int write_statement(rt_version_writer *w)
{
	if (rt__buf_failed(&w->sql))
		return rt__error_nomem();
	if (fprintf(w->sql_out, "%s;\n\n", rt__buf_cstr(&w->sql)) < 0)
		return rt__error_set(RT_EIO, "cannot write the SQL script");
	return RT_OK;
}

static int run_or_write(rt_version_writer *w)
{
	return w->conn ? rt_conn_execute(w->conn, rt__buf_cstr(&w->sql)) : write_statement(w);
}

static int create_one(rt_version_writer *w, const char *name, bool history)
{
	if (w->conn) {
		bool exists;
		int rc = rt__version_table_exists(w->conn, name, &exists);
		if (rc < 0 || exists)
			return rc;
	}
	rt__buf_clear(&w->sql);
	int rc = table_ddl(&w->sql, w->dialect, name, history);
	if (rc < 0)
		return rc;
	return run_or_write(w);
}

/* The schema the tables are in (version_table_schema), made when
 * missing; Alembic leaves that to the user, who may not have thought of
 * it. */
static int create_schema(rt_version_writer *w)
{
	size_t len;
	const char *schema = schema_of(w->table, &len);
	if (!schema)
		return RT_OK;
	rt__buf_clear(&w->sql);
	rt__buf_puts(&w->sql, "CREATE SCHEMA IF NOT EXISTS ");
	rt_buf name = RT_BUF_INIT;
	rt__buf_put(&name, schema, len);
	put_ident(&w->sql, w->dialect, rt__buf_cstr(&name));
	rt__buf_free(&name);
	return rt__buf_failed(&w->sql) ? rt__error_nomem() : run_or_write(w);
}

int rt__version_check_place(const rt_version_writer *w)
{
	size_t len;
	if (schema_of(w->table, &len) && !w->dialect->caps.schemas)
		return rt__error_set(RT_EINVAL,
				     "version table %s: %s has no schemas of tables "
				     "(version_table_schema is PostgreSQL's)",
				     w->table, w->dialect->name);
	return RT_OK;
}

int rt__version_create(rt_version_writer *w)
{
	int rc = rt__version_check_place(w);
	if (rc < 0)
		return rc;
	bool exists = false;
	rc = w->conn ? rt__version_table_exists(w->conn, w->table, &exists) : RT_OK;
	if (rc == RT_OK && !exists)
		rc = create_schema(w);
	if (rc == RT_OK)
		rc = create_one(w, w->table, false);
	if (rc == RT_OK)
		rc = create_one(w, w->history, true);
	return rc < 0 ? rt__error_wrap("creating the version tables") : RT_OK;
}

/* A statement of the form the caller appended to w->sql with `?` for
 * each value: prepared once online (kept in *stmt), or written with the
 * values as literals offline. values may hold NULL (SQL NULL). */
static int run(rt_version_writer *w, rt_stmt **stmt, const char *const *values, int count,
	       int64_t number, int number_at, uint64_t *changed)
{
	if (changed)
		*changed = 1; /* offline: the DBA's script is taken as written */
	if (rt__buf_failed(&w->sql))
		return rt__error_nomem();
	if (!w->conn) {
		rt_buf text = RT_BUF_INIT;
		int v = 0;
		for (const char *p = rt__buf_cstr(&w->sql); *p; p++) {
			if (*p != '?') {
				rt__buf_putc(&text, *p);
			} else if (v == number_at) {
				v++;
				if (number < 0)
					rt__buf_puts(&text, "NULL");
				else
					rt__buf_printf(&text, "%" PRId64, number);
			} else if (values[v]) {
				rt__buf_put_sql_string(&text, values[v++]);
			} else {
				v++;
				rt__buf_puts(&text, "NULL");
			}
		}
		rt__buf_free(&w->sql);
		w->sql = text;
		return write_statement(w);
	}
	int rc = RT_OK;
	if (!*stmt)
		rc = rt_stmt_prepare(stmt, w->conn, rt__buf_cstr(&w->sql));
	for (int i = 0; i < count && rc == RT_OK; i++) {
		if (i == number_at)
			rc = number < 0 ? rt_stmt_bind_null(*stmt, i + 1)
					: rt_stmt_bind_int64(*stmt, i + 1, number);
		else
			rc = rt_stmt_bind_text(*stmt, i + 1, values[i], -1);
	}
	if (rc == RT_OK)
		rc = rt_stmt_step(*stmt);
	if (changed && rc >= 0)
		*changed = rt__stmt_changes(*stmt);
	int reset = rt_stmt_reset(*stmt);
	if (rc >= 0 && reset < 0)
		rc = reset;
	return rc < 0 ? rc : RT_OK;
}

/* An UPDATE or DELETE of the row of `from` that changed no row: the row
 * was not there, so something else moved the version table since this
 * run read it under its lock. Going on would record a history that did
 * not happen; the run fails and rolls back instead. */
static int moved(rt_version_writer *w, const char *from, uint64_t changed)
{
	if (changed > 0)
		return RT_OK;
	return rt__error_set(RT_ELOCKED,
			     "the version table %s has no row %s any more: something else changed "
			     "it while this run held the migration lock",
			     w->table, from);
}

/* Starts w->sql unless the statement is prepared already. */
static bool needs_text(rt_version_writer *w, rt_stmt *stmt)
{
	rt__buf_clear(&w->sql);
	return !w->conn || !stmt;
}

int rt__version_insert(rt_version_writer *w, const char *id)
{
	if (needs_text(w, w->insert)) {
		rt__buf_puts(&w->sql, "INSERT INTO ");
		put_table(&w->sql, w->dialect, w->table);
		rt__buf_puts(&w->sql, " (");
		put_ident(&w->sql, w->dialect, "version_num");
		rt__buf_puts(&w->sql, ") VALUES (?)");
	}
	const char *values[] = {id};
	return run(w, &w->insert, values, 1, 0, -1, NULL);
}

int rt__version_update(rt_version_writer *w, const char *from, const char *to)
{
	if (needs_text(w, w->update)) {
		rt__buf_puts(&w->sql, "UPDATE ");
		put_table(&w->sql, w->dialect, w->table);
		rt__buf_puts(&w->sql, " SET ");
		put_ident(&w->sql, w->dialect, "version_num");
		rt__buf_puts(&w->sql, " = ? WHERE ");
		put_ident(&w->sql, w->dialect, "version_num");
		rt__buf_puts(&w->sql, " = ?");
	}
	const char *values[] = {to, from};
	uint64_t changed = 0;
	int rc = run(w, &w->update, values, 2, 0, -1, &changed);
	return rc < 0 ? rc : moved(w, from, changed);
}

int rt__version_delete(rt_version_writer *w, const char *id)
{
	if (needs_text(w, w->remove)) {
		rt__buf_puts(&w->sql, "DELETE FROM ");
		put_table(&w->sql, w->dialect, w->table);
		rt__buf_puts(&w->sql, " WHERE ");
		put_ident(&w->sql, w->dialect, "version_num");
		rt__buf_puts(&w->sql, " = ?");
	}
	const char *values[] = {id};
	uint64_t changed = 0;
	int rc = run(w, &w->remove, values, 1, 0, -1, &changed);
	return rc < 0 ? rc : moved(w, id, changed);
}

int rt__version_clear(rt_version_writer *w)
{
	rt__buf_clear(&w->sql);
	rt__buf_puts(&w->sql, "DELETE FROM ");
	put_table(&w->sql, w->dialect, w->table);
	if (rt__buf_failed(&w->sql))
		return rt__error_nomem();
	return w->conn ? rt_conn_execute(w->conn, rt__buf_cstr(&w->sql)) : write_statement(w);
}

int rt__version_apply(rt_version_writer *w, const rt_heads_change *change)
{
	int rc = RT_OK;
	for (size_t i = 0; i < change->deletes.count && rc == RT_OK; i++)
		rc = rt__version_delete(w, change->deletes.items[i]->id);
	if (rc == RT_OK && change->update_from)
		rc = rt__version_update(w, change->update_from->id, change->update_to->id);
	for (size_t i = 0; i < change->inserts.count && rc == RT_OK; i++)
		rc = rt__version_insert(w, change->inserts.items[i]->id);
	return rc < 0 ? rt__error_wrap("updating the version table %s", w->table) : RT_OK;
}

int rt__version_record(rt_version_writer *w, const char *revision, bool upgrade,
		       const char *checksum, int64_t duration_ms)
{
	if (needs_text(w, w->record)) {
		static const char *const columns[] = {"revision", "direction", "checksum",
						      "duration_ms"};
		rt__buf_puts(&w->sql, "INSERT INTO ");
		put_table(&w->sql, w->dialect, w->history);
		rt__buf_puts(&w->sql, " (");
		for (size_t i = 0; i < 4; i++) {
			if (i)
				rt__buf_puts(&w->sql, ", ");
			put_ident(&w->sql, w->dialect, columns[i]);
		}
		rt__buf_puts(&w->sql, ") VALUES (?, ?, ?, ?)");
	}
	const char *values[] = {revision, upgrade ? "upgrade" : "downgrade", checksum, NULL};
	int rc = run(w, &w->record, values, 4, duration_ms, 3, NULL);
	return rc < 0 ? rt__error_wrap("recording %s in %s", revision, w->history) : RT_OK;
}

/* Rows per INSERT: 4 parameters each, well inside every backend's limit
 * (SQLite's oldest is 999). */
#define RECORDS_PER_STATEMENT 200

static int record_chunk(rt_version_writer *w, const rt_history_entry *entries, size_t count)
{
	static const char *const columns[] = {"revision", "direction", "checksum", "duration_ms"};
	rt__buf_clear(&w->sql);
	rt__buf_puts(&w->sql, "INSERT INTO ");
	put_table(&w->sql, w->dialect, w->history);
	rt__buf_puts(&w->sql, " (");
	for (size_t i = 0; i < 4; i++) {
		if (i)
			rt__buf_puts(&w->sql, ", ");
		put_ident(&w->sql, w->dialect, columns[i]);
	}
	rt__buf_puts(&w->sql, ") VALUES ");
	for (size_t i = 0; i < count; i++)
		rt__buf_puts(&w->sql, i ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)");
	if (rt__buf_failed(&w->sql))
		return rt__error_nomem();
	rt_stmt *stmt;
	int rc = rt_stmt_prepare(&stmt, w->conn, rt__buf_cstr(&w->sql));
	for (size_t i = 0; i < count && rc == RT_OK; i++) {
		const rt_history_entry *e = &entries[i];
		int at = (int)(4 * i);
		rc = rt_stmt_bind_text(stmt, at + 1, e->revision, -1);
		if (rc == RT_OK)
			rc = rt_stmt_bind_text(stmt, at + 2, e->upgrade ? "upgrade" : "downgrade", -1);
		if (rc == RT_OK)
			rc = rt_stmt_bind_text(stmt, at + 3, e->checksum, -1);
		if (rc == RT_OK)
			rc = e->duration_ms < 0 ? rt_stmt_bind_null(stmt, at + 4)
						: rt_stmt_bind_int64(stmt, at + 4, e->duration_ms);
	}
	if (rc == RT_OK)
		rc = rt_stmt_step(stmt);
	rt_stmt_finalize(stmt);
	return rc < 0 ? rc : RT_OK;
}

int rt__version_record_many(rt_version_writer *w, const rt_history_entry *entries,
			    size_t count)
{
	if (!w->conn) {
		for (size_t i = 0; i < count; i++) {
			int rc = rt__version_record(w, entries[i].revision, entries[i].upgrade,
						    entries[i].checksum, entries[i].duration_ms);
			if (rc < 0)
				return rc;
		}
		return RT_OK;
	}
	for (size_t done = 0; done < count; done += RECORDS_PER_STATEMENT) {
		size_t n = count - done < RECORDS_PER_STATEMENT ? count - done
								 : RECORDS_PER_STATEMENT;
		int rc = record_chunk(w, entries + done, n);
		if (rc < 0)
			return rt__error_wrap("recording the run in %s", w->history);
	}
	return RT_OK;
}
