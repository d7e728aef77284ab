/*
 * sqlite_rebuild.c - what a SQLite table rebuild keeps that the schema
 * model does not describe (the dialect's rebuild_carry), and the check of
 * a rebuilt table (check_integrity).
 *
 * A rebuild creates the table anew from its model, copies the rows, drops
 * the old table and renames the new one (migrate/rebuild.c). Dropping the
 * old table drops its indexes and triggers with it, and the model knows
 * nothing of a partial or expression index, a trigger, STRICT, WITHOUT
 * ROWID or COLLATE NOCASE. So before the rebuild starts, this file reads
 * sqlite_master as it stands and:
 *
 *   - rewrites the CREATE TABLE made from the model: each column the
 *     operation leaves alone keeps its declared type as written, every
 *     column keeps its collation, and the table keeps its options
 *     (WITHOUT ROWID, STRICT); a column whose type changes in a STRICT
 *     table gets the STRICT type of its affinity;
 *   - lists every index and trigger of the table, as stored, to run again
 *     once the new table has the old name (an index the operation drops
 *     excepted);
 *   - refuses, naming each object, what would not survive: an index or
 *     trigger of the table, or a view or trigger anywhere that names the
 *     table, that names a column the rebuild drops; a generated column
 *     (the copy cannot write it).
 * Views need nothing else: SQLite keeps them through DROP TABLE, and the
 * quiet rename leaves their text alone.
 */
#include "dialect/sqlite.h"

#include <string.h>
#include <strings.h>

#include "base/error.h"

typedef struct carry_ctx {
	rt_arena *arena;
	const rt_dialect *d;
	const rt_rebuild_request *req;
	rt_sqlite_table_def def;   /* the table as the database stores it */
	const char **dropped;      /* its columns that after lacks */
	size_t dropped_count;
	rt_buf refused;            /* "view adults (column age)", ... */
	size_t refused_count;
} carry_ctx;

static bool same_name(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static const rt_sqlite_column_def *stored_column(const carry_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->def.column_count; i++)
		if (same_name(c->def.columns[i].name, name))
			return &c->def.columns[i];
	return NULL;
}

static const rt_column *model_column(const rt_table *table, const char *name)
{
	for (size_t i = 0; table && i < table->column_count; i++)
		if (same_name(table->columns[i]->name, name))
			return table->columns[i];
	return NULL;
}

static bool model_index(const rt_table *table, const char *name)
{
	for (size_t i = 0; table && i < table->index_count; i++)
		if (same_name(table->indexes[i]->name, name))
			return true;
	return false;
}

/* Does the operation leave the type alone? Not for an enum column: its
 * VARCHAR grows with its longest value, which the operation may change. */
static bool same_type(const rt_type *a, const rt_type *b)
{
	return a->kind == b->kind && a->kind != RT_TYPE_ENUM && a->length == b->length &&
	       a->precision == b->precision && a->scale == b->scale;
}

static void refuse(carry_ctx *c, const char *kind, const char *name, const char *why)
{
	rt__buf_printf(&c->refused, "%s%s %s (%s)", c->refused_count++ ? ", " : "", kind, name,
		       why);
}

/* The first column the rebuild drops that sql names, or NULL. */
static const char *names_dropped(carry_ctx *c, const char *sql)
{
	for (size_t i = 0; i < c->dropped_count; i++)
		if (rt__sqlite_names_identifier(c->arena, sql, c->dropped[i]))
			return c->dropped[i];
	return NULL;
}

static int find_dropped(carry_ctx *c)
{
	c->dropped = rt__arena_alloc(c->arena, (c->def.column_count + 1) * sizeof(char *));
	if (!c->dropped)
		return rt__error_nomem();
	for (size_t i = 0; i < c->def.column_count; i++) {
		const rt_sqlite_column_def *col = &c->def.columns[i];
		if (!model_column(c->req->after, col->name))
			c->dropped[c->dropped_count++] = col->name;
		else if (col->generated)
			refuse(c, "generated column", col->name, "a rebuild cannot copy into it");
	}
	return RT_OK;
}

/* --- the new CREATE TABLE ------------------------------------------------------------ */

/* The STRICT type for a declared type, by SQLite's affinity rules. */
static const char *strict_type(const char *declared)
{
	char upper[64];
	size_t n = 0;
	for (; declared[n] && n + 1 < sizeof(upper); n++)
		upper[n] = (char)((declared[n] >= 'a' && declared[n] <= 'z') ? declared[n] - 32
									     : declared[n]);
	upper[n] = '\0';
	if (strstr(upper, "INT"))
		return "INTEGER";
	if (strstr(upper, "CHAR") || strstr(upper, "CLOB") || strstr(upper, "TEXT"))
		return "TEXT";
	if (strstr(upper, "BLOB") || n == 0)
		return "BLOB";
	if (strstr(upper, "REAL") || strstr(upper, "FLOA") || strstr(upper, "DOUB"))
		return "REAL";
	return "ANY";
}

static bool bare_word(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* One column's type in the new text: the stored one when the operation
 * leaves the type alone, else the model's (made STRICT if need be); then
 * the stored collation. */
static void put_type(carry_ctx *c, rt_buf *out, const rt_sqlite_column_def *made)
{
	const rt_sqlite_column_def *stored = stored_column(c, made->name);
	const rt_column *was = model_column(c->req->before, made->name);
	const rt_column *now = model_column(c->req->after, made->name);
	if (stored && was && now && same_type(&was->type, &now->type))
		rt__buf_puts(out, stored->type);
	else if (c->def.strict)
		rt__buf_puts(out, strict_type(made->type));
	else
		rt__buf_puts(out, made->type);
	if (stored && stored->collation && !made->collation) {
		rt__buf_puts(out, " COLLATE ");
		if (bare_word(stored->collation))
			rt__buf_puts(out, stored->collation);
		else
			c->d->quote_ident(out, stored->collation);
	}
}

static int rewrite_create(carry_ctx *c, const char **out)
{
	const char *sql = c->req->create_sql;
	rt_sqlite_table_def made;
	int rc = rt__sqlite_parse_create_table(&made, c->arena, sql);
	if (rc < 0)
		return rc;
	if (made.close == 0)
		return rt__error_set(RT_EINVAL, "cannot read the new definition of %s",
				     c->req->table);
	rt_buf buf = RT_BUF_INIT;
	size_t at = 0;
	for (size_t i = 0; i < made.column_count; i++) {
		const rt_sqlite_column_def *col = &made.columns[i];
		rt__buf_put(&buf, sql + at, col->type_start - at);
		/* "name TYPE": at least the space after the name stays. */
		put_type(c, &buf, col);
		at = col->type_end;
	}
	rt__buf_put(&buf, sql + at, made.close + 1 - at);
	if (c->def.options) {
		rt__buf_putc(&buf, ' ');
		rt__buf_puts(&buf, c->def.options);
	}
	*out = rt__buf_failed(&buf) ? NULL : rt__arena_strdup(c->arena, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	return *out ? RT_OK : rt__error_nomem();
}

/* --- indexes, triggers, views ------------------------------------------------------ */

static int push_text(rt_arena *arena, const char ***items, size_t *count, size_t *cap,
		     const char *text)
{
	return RT_ARENA_PUSH(arena, *items, *count, *cap, text) < 0 ? rt__error_nomem() : RT_OK;
}

/* One row of sqlite_master: kept, refused, or none of this table's. */
static int take_object(carry_ctx *c, rt_rebuild_carry *out, const char *type,
		       const char *name, const char *on, const char *sql)
{
	const rt_rebuild_request *req = c->req;
	bool own = same_name(on, req->table);
	if (!own) {
		/* A view, or another table's trigger: it stays, and must still
		 * find every column it names. */
		const char *column;
		if (rt__sqlite_names_identifier(c->arena, sql, req->table) &&
		    (column = names_dropped(c, sql)))
			refuse(c, type, name, rt__arena_printf(c->arena, "uses %s.%s", req->table,
								  column));
		return RT_OK;
	}
	bool index = strcmp(type, "index") == 0;
	if (index && model_index(req->before, name) && !model_index(req->after, name))
		return RT_OK; /* the operation drops it */
	const char *column = names_dropped(c, sql);
	if (column) {
		refuse(c, type, name, rt__arena_printf(c->arena, "uses column %s", column));
		return RT_OK;
	}
	int rc = push_text(c->arena, &out->restore, &out->restore_count, &out->restore_cap, sql);
	if (rc == RT_OK && index && model_index(req->after, name))
		rc = push_text(c->arena, &out->kept_indexes, &out->kept_count, &out->kept_cap,
			       name);
	return rc;
}

static int take_objects(carry_ctx *c, rt_rebuild_carry *out, rt_driver_conn *conn)
{
	const rt_dialect *d = c->d;
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT type, name, tbl_name, sql FROM sqlite_master "
				  "WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL "
				  "ORDER BY rowid", NULL);
	while (rc == RT_OK && (rc = d->step(stmt)) == RT_ROW) {
		const char *type, *name, *on, *sql;
		if ((rc = rt__sqlite_column_text(&type, c->arena, d, stmt, 0)) == RT_OK &&
		    (rc = rt__sqlite_column_text(&name, c->arena, d, stmt, 1)) == RT_OK &&
		    (rc = rt__sqlite_column_text(&on, c->arena, d, stmt, 2)) == RT_OK &&
		    (rc = rt__sqlite_column_text(&sql, c->arena, d, stmt, 3)) == RT_OK)
			rc = take_object(c, out, type, name, on, sql);
	}
	d->finalize(stmt);
	return rc == RT_DONE ? RT_OK : rc;
}

int rt__sqlite_rebuild_carry(rt_rebuild_carry *out, rt_arena *arena, const rt_dialect *d,
			     rt_driver_conn *conn, const rt_rebuild_request *req)
{
	if (!out || !arena || !d || !conn || !req || !req->table || !req->after ||
	    !req->create_sql)
		return rt__error_set(RT_EINVAL, "rt__sqlite_rebuild_carry: NULL argument");
	memset(out, 0, sizeof(*out));
	carry_ctx c = {.arena = arena, .d = d, .req = req, .refused = RT_BUF_INIT};
	int rc = rt__sqlite_load_table_def(&c.def, arena, d, conn, req->table);
	if (rc == RT_OK)
		rc = find_dropped(&c);
	if (rc == RT_OK)
		rc = take_objects(&c, out, conn);
	if (rc == RT_OK && c.refused_count > 0)
		rc = rt__buf_failed(&c.refused)
			     ? rt__error_nomem()
			     : rt__error_set(RT_EINVAL, "table %s must be rebuilt on sqlite, and "
					     "the rebuild cannot keep %s; change or drop %s "
					     "first (an `execute` step before this one)",
					     req->table, rt__buf_cstr(&c.refused),
					     c.refused_count > 1 ? "them" : "it");
	if (rc == RT_OK)
		rc = rewrite_create(&c, &out->create_sql);
	rt__buf_free(&c.refused);
	return rc;
}

int rt__sqlite_check_integrity(const rt_dialect *d, rt_driver_conn *conn, const char *table)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "PRAGMA integrity_check(");
	d->quote_ident(&sql, table);
	rt__buf_putc(&sql, ')');
	rt_driver_stmt *stmt = NULL;
	int rc = rt__buf_failed(&sql) ? rt__error_nomem()
				      : rt__sqlite_query(&stmt, d, conn, rt__buf_cstr(&sql), NULL);
	rt__buf_free(&sql);
	rt_value value;
	while (rc == RT_OK && (rc = d->step(stmt)) == RT_ROW) {
		if ((rc = d->column_value(stmt, 0, &value)) < 0)
			break;
		if (value.type == RT_VALUE_TEXT && strcmp(value.s, "ok") != 0) {
			rc = rt__error_set(RT_EDATABASE, "table %s after its rebuild: %s", table,
					   value.s);
			break;
		}
	}
	d->finalize(stmt);
	return rc == RT_DONE ? RT_OK : rc;
}
