/*
 * mariadb_reflect_objects.c - what a MariaDB database holds besides the
 * tables the schema language describes (rt_db_object in metadata.h):
 * sequences, stored functions and procedures, views, triggers, events,
 * and indexes the language has no words for (on a prefix of a column or
 * an expression, HASH).
 *
 * Each is listed with the statement the server gives for making it again
 * (SHOW CREATE ...), so that autogenerate can name it and, when told to
 * drop it, write the exact statement that brings it back; an index is
 * written from information_schema.STATISTICS. A trigger, routine or event
 * keeps the sql_mode it was made under, and runs under it: when that is
 * not the session's (retort sets its own, mariadb.c), the statement
 * carries it (SET STATEMENT sql_mode = '...' FOR CREATE ...), and an
 * event's time zone likewise, so the object made again is the same.
 *
 * Sequences, functions, procedures, views and triggers the schema
 * language can declare (mariadb_sql_objects.c says which) become the
 * schema's SQL objects instead.
 *
 * The order is the order to make them in: sequences and routines, which
 * views and triggers may use, then views, a view after the views it
 * reads, then triggers, events and indexes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "dialect/mariadb.h"

typedef struct objects {
	rt_schema *schema;
	const rt_dialect *d;
	rt_driver_conn *conn;
	const char *sql_mode;  /* the session's */
	const char *time_zone; /* the session's */
	const char *user;      /* the session's account, user@host */
} objects;

/* --- queries ---------------------------------------------------------------------- */

/* The text of column i of stmt's row, copied into the schema's arena;
 * NULL for SQL NULL (or out of memory, *rc then says so). */
static const char *text_of(objects *o, rt_driver_stmt *stmt, int i, int *rc)
{
	rt_value v;
	int vrc = o->d->column_value(stmt, i, &v);
	if (vrc < 0) {
		*rc = vrc;
		return NULL;
	}
	if (v.type != RT_VALUE_TEXT)
		return NULL;
	const char *copy = rt__arena_strdup(o->schema->arena, v.s);
	if (!copy)
		*rc = rt__error_nomem();
	return copy;
}

/* Column column of the one row sql returns, or NULL with *rc. */
static const char *single(objects *o, const char *sql, int column, int *rc)
{
	rt_driver_stmt *stmt = NULL;
	const char *text = NULL;
	*rc = o->d->prepare(&stmt, o->conn, sql);
	if (*rc == RT_OK) {
		*rc = o->d->step(stmt);
		if (*rc == RT_ROW) {
			*rc = RT_OK;
			text = text_of(o, stmt, column, rc);
		} else if (*rc == RT_DONE) {
			*rc = rt__error_set(RT_EDATABASE, "%s returned no row", sql);
		}
	}
	o->d->finalize(stmt);
	return text;
}

/* "<verb> <quoted name>" in the schema's arena, e.g. "DROP VIEW `v`". */
static const char *statement(objects *o, const char *verb, const char *name, const char *tail)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_printf(&sql, "%s ", verb);
	o->d->quote_ident(&sql, name);
	if (tail)
		rt__buf_puts(&sql, tail);
	const char *out =
		rt__buf_failed(&sql) ? NULL : rt__arena_strdup(o->schema->arena, rt__buf_cstr(&sql));
	rt__buf_free(&sql);
	return out;
}

/* The SHOW CREATE text of a trigger, routine or event, prefixed with the
 * settings it was made under where they are not the session's. NULL with
 * *rc on error; NULL with RT_OK when it cannot be said (create_sql
 * unknown: the object is listed, and never dropped). */
static const char *create_with_settings(objects *o, const char *show, int create_column,
					int mode_column, int zone_column, int *rc)
{
	rt_driver_stmt *stmt = NULL;
	const char *create = NULL, *mode = NULL, *zone = NULL;
	*rc = o->d->prepare(&stmt, o->conn, show);
	if (*rc == RT_OK && (*rc = o->d->step(stmt)) == RT_ROW) {
		*rc = RT_OK;
		create = text_of(o, stmt, create_column, rc);
		if (*rc == RT_OK)
			mode = text_of(o, stmt, mode_column, rc);
		if (*rc == RT_OK && zone_column >= 0)
			zone = text_of(o, stmt, zone_column, rc);
	} else if (*rc == RT_DONE) {
		*rc = RT_OK;
	}
	o->d->finalize(stmt);
	if (*rc < 0 || !create)
		return NULL;
	return rt__mariadb_with_settings(o->schema->arena, create, mode, o->sql_mode, zone,
					 o->time_zone);
}

/* --- each kind ---------------------------------------------------------------------- */

/* A sequence, routine, view or trigger the language declares: create is
 * the SQL it keeps (a view's query, a routine's or trigger's statement
 * without the session's definer), or NULL when it cannot. Added as one of the
 * schema's SQL objects and true; false when it stays the database's. */
static bool add_declared(objects *o, rt_sql_kind kind, const char *name, const char *table,
			 const char *sql, int *rc)
{
	if (!sql || (kind != RT_SQL_VIEW && strncmp(sql, "CREATE ", 7) != 0 &&
		     strncmp(sql, "SET STATEMENT ", 14) != 0))
		return false;
	if (!rt__schema_add_sql_object(o->schema, kind, name, NULL, table, sql))
		*rc = rt__error_nomem();
	return true;
}

static int add(objects *o, const char *kind, const char *name, const char *table,
	       const char *create, const char *drop)
{
	if (!drop || !rt__schema_add_object(o->schema, kind, name, table, create, drop))
		return rt__error_nomem();
	return RT_OK;
}

static int reflect_sequences(objects *o, const rt_mariadb_listed *listed)
{
	const char **names = listed->sequences;
	size_t count = listed->sequence_count;
	int rc = RT_OK;
	for (size_t i = 0; rc >= 0 && i < count; i++) {
		const char *show = statement(o, "SHOW CREATE SEQUENCE", names[i], NULL);
		const char *create = show ? single(o, show, 1, &rc) : NULL;
		if (!show)
			rc = rt__error_nomem();
		if (rc >= 0 && add_declared(o, RT_SQL_SEQUENCE, names[i], NULL, create, &rc))
			continue;
		if (rc >= 0)
			rc = add(o, "sequence", names[i], NULL, create,
				 statement(o, "DROP SEQUENCE", names[i], NULL));
	}
	return rc < 0 ? rc : RT_OK;
}

static int reflect_routines(objects *o)
{
	rt_driver_stmt *stmt = NULL;
	int rc = o->d->prepare(&stmt, o->conn,
			       "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES"
			       " WHERE ROUTINE_SCHEMA = DATABASE()"
			       " AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE')"
			       " ORDER BY ROUTINE_TYPE, ROUTINE_NAME");
	const char **kinds = NULL, **names = NULL;
	size_t count = 0, cap = 0, kcount = 0, kcap = 0;
	while (rc >= 0 && (rc = o->d->step(stmt)) == RT_ROW) {
		rc = RT_OK;
		const char *type = text_of(o, stmt, 0, &rc);
		const char *name = rc == RT_OK ? text_of(o, stmt, 1, &rc) : NULL;
		if (!type || !name)
			continue;
		const char *kind = strcmp(type, "FUNCTION") == 0 ? "function" : "procedure";
		if (RT_ARENA_PUSH(o->schema->arena, kinds, kcount, kcap, kind) < 0 ||
		    RT_ARENA_PUSH(o->schema->arena, names, count, cap, name) < 0)
			rc = rt__error_nomem();
	}
	o->d->finalize(stmt);
	for (size_t i = 0; rc >= 0 && i < count; i++) {
		bool function = strcmp(kinds[i], "function") == 0;
		const char *show = statement(
			o, function ? "SHOW CREATE FUNCTION" : "SHOW CREATE PROCEDURE", names[i], NULL);
		const char *create = show ? create_with_settings(o, show, 2, 1, -1, &rc) : NULL;
		if (!show)
			rc = rt__error_nomem();
		const char *kept =
			create ? rt__mariadb_without_definer(o->schema->arena, create, o->user) : NULL;
		if (rc >= 0 && add_declared(o, function ? RT_SQL_FUNCTION : RT_SQL_PROCEDURE,
					    names[i], NULL, kept, &rc))
			continue;
		if (rc >= 0)
			rc = add(o, kinds[i], names[i], NULL, create,
				 statement(o, function ? "DROP FUNCTION" : "DROP PROCEDURE",
					   names[i], NULL));
	}
	return rc < 0 ? rc : RT_OK;
}

typedef struct view {
	const char *name, *create;
	bool placed;
} view;

/* Does create read the view called name? The server writes it quoted,
 * in double quotes under ANSI_QUOTES (retort's sessions), else in
 * backticks; a name holding a quote is only ordered by name. */
static bool reads(const char *create, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = create; (p = strstr(p, name)) != NULL; p++)
		if (p > create && (p[-1] == '"' || p[-1] == '`') && p[len] == p[-1])
			return true;
	return false;
}

static int reflect_views(objects *o, const rt_mariadb_listed *listed)
{
	int rc = RT_OK;
	size_t count = listed->view_count;
	view *views = count ? rt__arena_alloc(o->schema->arena, count * sizeof(*views)) : NULL;
	if (count && !views)
		return rt__error_nomem();
	for (size_t i = 0; i < count; i++)
		views[i] = (view){listed->views[i], NULL, false};
	for (size_t i = 0; rc >= 0 && i < count; i++) {
		const char *show = statement(o, "SHOW CREATE VIEW", views[i].name, NULL);
		if (!show)
			rc = rt__error_nomem();
		else
			views[i].create = single(o, show, 1, &rc);
	}
	/* A view after the views it reads: each round places the views that
	 * read no view still unplaced (names in order, the first left when
	 * none qualifies, which only a name read as text can cause). */
	for (size_t placed = 0; rc >= 0 && placed < count; placed++) {
		size_t pick = count;
		for (size_t i = 0; i < count && pick == count; i++) {
			if (views[i].placed)
				continue;
			bool ready = true;
			for (size_t j = 0; j < count && ready; j++)
				ready = j == i || views[j].placed || !views[i].create ||
					!reads(views[i].create, views[j].name);
			if (ready)
				pick = i;
		}
		for (size_t i = 0; i < count && pick == count; i++)
			if (!views[i].placed)
				pick = i;
		views[pick].placed = true;
		bool invoker = false;
		const char *query = views[pick].create
			? rt__mariadb_view_query(o->schema->arena, views[pick].create, o->user,
						 &invoker)
			: NULL;
		if (add_declared(o, RT_SQL_VIEW, views[pick].name, NULL, query, &rc)) {
			/* Its SQL SECURITY, the view's `security invoker`. */
			if (rc >= 0)
				o->schema->sql_objects[o->schema->sql_object_count - 1]
					->security_invoker = invoker;
			continue;
		}
		rc = add(o, "view", views[pick].name, NULL, views[pick].create,
			 statement(o, "DROP VIEW", views[pick].name, NULL));
	}
	return rc < 0 ? rc : RT_OK;
}

static int reflect_triggers(objects *o)
{
	rt_driver_stmt *stmt = NULL;
	int rc = o->d->prepare(&stmt, o->conn,
			       "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS"
			       " WHERE TRIGGER_SCHEMA = DATABASE()"
			       " ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION,"
			       " ACTION_ORDER");
	const char **names = NULL, **tables = NULL;
	size_t count = 0, cap = 0, tcount = 0, tcap = 0;
	while (rc >= 0 && (rc = o->d->step(stmt)) == RT_ROW) {
		rc = RT_OK;
		const char *name = text_of(o, stmt, 0, &rc);
		const char *table = rc == RT_OK ? text_of(o, stmt, 1, &rc) : NULL;
		if (name && (RT_ARENA_PUSH(o->schema->arena, names, count, cap, name) < 0 ||
			     RT_ARENA_PUSH(o->schema->arena, tables, tcount, tcap, table) < 0))
			rc = rt__error_nomem();
	}
	o->d->finalize(stmt);
	for (size_t i = 0; rc >= 0 && i < count; i++) {
		const char *show = statement(o, "SHOW CREATE TRIGGER", names[i], NULL);
		const char *create = show ? create_with_settings(o, show, 2, 1, -1, &rc) : NULL;
		if (!show)
			rc = rt__error_nomem();
		const char *kept =
			create ? rt__mariadb_without_definer(o->schema->arena, create, o->user) : NULL;
		if (rc >= 0 && add_declared(o, RT_SQL_TRIGGER, names[i], tables[i], kept, &rc))
			continue;
		if (rc >= 0)
			rc = add(o, "trigger", names[i], tables[i], create,
				 statement(o, "DROP TRIGGER", names[i], NULL));
	}
	return rc < 0 ? rc : RT_OK;
}

static int reflect_events(objects *o)
{
	rt_driver_stmt *stmt = NULL;
	int rc = o->d->prepare(&stmt, o->conn,
			       "SELECT EVENT_NAME FROM information_schema.EVENTS"
			       " WHERE EVENT_SCHEMA = DATABASE() ORDER BY EVENT_NAME");
	const char **names = NULL;
	size_t count = 0, cap = 0;
	while (rc >= 0 && (rc = o->d->step(stmt)) == RT_ROW) {
		rc = RT_OK;
		const char *name = text_of(o, stmt, 0, &rc);
		if (name && RT_ARENA_PUSH(o->schema->arena, names, count, cap, name) < 0)
			rc = rt__error_nomem();
	}
	o->d->finalize(stmt);
	for (size_t i = 0; rc >= 0 && i < count; i++) {
		const char *show = statement(o, "SHOW CREATE EVENT", names[i], NULL);
		const char *create = show ? create_with_settings(o, show, 3, 1, 2, &rc) : NULL;
		if (!show)
			rc = rt__error_nomem();
		if (rc >= 0)
			rc = add(o, "event", names[i], NULL, create,
				 statement(o, "DROP EVENT", names[i], NULL));
	}
	return rc < 0 ? rc : RT_OK;
}

/* 'text' with quotes doubled: retort's sessions read literals as standard
 * SQL does (NO_BACKSLASH_ESCAPES, mariadb.c). */
static void put_literal(rt_buf *sql, const char *text)
{
	rt__buf_putc(sql, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'')
			rt__buf_putc(sql, '\'');
		rt__buf_putc(sql, *p);
	}
	rt__buf_putc(sql, '\'');
}

/* The index made so far in sql is complete: it becomes an object. */
static int finish_index(objects *o, rt_buf *sql, const char *table, const char *name,
			const char *comment, bool *ok)
{
	rt__buf_putc(sql, ')');
	if (comment && *comment) {
		rt__buf_puts(sql, " COMMENT ");
		put_literal(sql, comment);
	}
	const char *create = *ok && !rt__buf_failed(sql) ? rt__buf_cstr(sql) : NULL;
	rt_buf tail = RT_BUF_INIT;
	rt__buf_puts(&tail, " ON ");
	o->d->quote_ident(&tail, table);
	const char *drop = rt__buf_failed(&tail) ? NULL
						 : statement(o, "DROP INDEX", name, rt__buf_cstr(&tail));
	rt__buf_free(&tail);
	int rc = add(o, "index", name, table, create, drop);
	rt__buf_clear(sql);
	*ok = true;
	return rc;
}

/* Indexes the language cannot declare (mariadb_reflect.c leaves them out
 * of their tables and hands their columns here, in index order). */
static int reflect_indexes(objects *o, const rt_mariadb_odd_index *odd)
{
	rt_buf sql = RT_BUF_INIT;
	const char *table = NULL, *name = NULL, *comment = NULL;
	bool ok = true; /* the statement can be written */
	int rc = RT_OK;
	for (const rt_mariadb_odd_index *row = odd; row && rc >= 0; row = row->next) {
		if (!name || strcmp(table, row->table) != 0 || strcmp(name, row->name) != 0) {
			if (name && (rc = finish_index(o, &sql, table, name, comment, &ok)) < 0)
				break;
			table = row->table;
			name = row->name;
			comment = row->comment;
			const char *type = row->type;
			bool fulltext = type && strcmp(type, "FULLTEXT") == 0;
			bool spatial = type && strcmp(type, "SPATIAL") == 0;
			rt__buf_printf(&sql, "CREATE %sINDEX ",
				       fulltext     ? "FULLTEXT "
				       : spatial    ? "SPATIAL "
				       : row->unique ? "UNIQUE "
						     : "");
			o->d->quote_ident(&sql, name);
			rt__buf_puts(&sql, " ON ");
			o->d->quote_ident(&sql, table);
			rt__buf_puts(&sql, " (");
			/* A hash index is written as the server would choose it
			 * again only for a B-tree; say so rather than guess. */
			ok = fulltext || spatial || (type && strcmp(type, "BTREE") == 0);
		} else {
			rt__buf_puts(&sql, ", ");
		}
		if (!row->column) {
			ok = false; /* an expression: the server gives no text */
			continue;
		}
		o->d->quote_ident(&sql, row->column);
		if (row->sub_part >= 0)
			rt__buf_printf(&sql, "(%lld)", row->sub_part);
		if (row->descending)
			rt__buf_puts(&sql, " DESC");
	}
	if (rc >= 0 && name)
		rc = finish_index(o, &sql, table, name, comment, &ok);
	rt__buf_free(&sql);
	return rc < 0 ? rc : RT_OK;
}

int rt__mariadb_reflect_objects(rt_schema *schema, const rt_dialect *dialect,
				rt_driver_conn *conn, const rt_mariadb_odd_index *odd,
				const rt_mariadb_listed *listed)
{
	objects o = {.schema = schema, .d = dialect, .conn = conn};
	int rc = RT_OK;
	o.sql_mode = single(&o, "SELECT @@SESSION.sql_mode", 0, &rc);
	if (rc == RT_OK)
		o.time_zone = single(&o, "SELECT @@SESSION.time_zone", 0, &rc);
	if (rc == RT_OK)
		o.user = single(&o, "SELECT CURRENT_USER()", 0, &rc);
	if (rc == RT_OK)
		rc = reflect_sequences(&o, listed);
	if (rc == RT_OK)
		rc = reflect_routines(&o);
	if (rc == RT_OK)
		rc = reflect_views(&o, listed);
	if (rc == RT_OK)
		rc = reflect_triggers(&o);
	if (rc == RT_OK)
		rc = reflect_events(&o);
	if (rc == RT_OK)
		rc = reflect_indexes(&o, odd);
	if (rc == RT_OK)
		rc = rt__schema_order_sql_objects(schema);
	return rc;
}
