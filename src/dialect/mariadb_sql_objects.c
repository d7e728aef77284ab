/*
 * mariadb_sql_objects.c - MariaDB's sequences, routines, views and
 * triggers as the schema language keeps them (rt_sql_object), and the
 * models' ones as MariaDB renders them (the dialect's
 * render_sql_objects).
 *
 * SHOW CREATE gives each with its definer ("CREATE DEFINER=`app`@`%`
 * TRIGGER ..."), which a statement without one gets anyway: the account
 * that runs it. So an object whose definer is the session's account is
 * kept without it, and one made for another account stays the database's
 * own (not managed: making it again would change whose rights it runs
 * with). A view is kept as its query when it is what `view` says
 * (ALGORITHM=UNDEFINED, SQL SECURITY DEFINER or INVOKER, the latter
 * `security invoker`, no CHECK OPTION).
 *
 * MariaDB keeps a trigger's statement as written, but rewrites a view's
 * query, a routine's heading (RETURNS varchar(40) CHARSET ...) and a
 * sequence's options (all of them, in its own words): the models' views,
 * routines and sequences are made under a scratch name, read back with
 * SHOW CREATE and dropped at once (its DDL cannot be rolled back).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "dialect/mariadb.h"
#include "sql/ddl.h"

/* If text starts with word (any case) and a space, the text after them. */
static const char *after_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	return strncasecmp(text, word, n) == 0 && text[n] == ' ' ? text + n + 1 : NULL;
}

/* One part of a definer, quoted (`x`, "x", 'x', quotes doubled inside)
 * or bare, appended to out; the text after it. */
static const char *definer_part(const char *p, rt_buf *out)
{
	char q = *p;
	if (q != '`' && q != '"' && q != '\'') {
		while (*p && *p != '@' && *p != ' ')
			rt__buf_putc(out, *p++);
		return p;
	}
	for (p++; *p; p++) {
		if (*p == q && p[1] == q)
			p++;
		else if (*p == q)
			return p + 1;
		rt__buf_putc(out, *p);
	}
	return p;
}

/* A setting's value as it may stand in a string literal: sql_mode is
 * words and commas, a time zone a name or an offset. */
static bool plain_setting(const char *value)
{
	for (const char *p = value; *p; p++)
		if (*p == '\'' || *p == '\\')
			return false;
	return true;
}

const char *rt__mariadb_with_settings(rt_arena *arena, const char *create, const char *mode,
				      const char *session_mode, const char *zone,
				      const char *session_zone)
{
	bool other_mode = mode && session_mode && strcmp(mode, session_mode) != 0;
	bool other_zone = zone && session_zone && strcmp(zone, session_zone) != 0;
	if (!other_mode && !other_zone)
		return create;
	if ((other_mode && !plain_setting(mode)) || (other_zone && !plain_setting(zone)))
		return NULL;
	return rt__arena_printf(arena, "SET STATEMENT %s%s%s%s%s%s%s FOR %s",
				other_mode ? "sql_mode = '" : "", other_mode ? mode : "",
				other_mode ? "'" : "", other_mode && other_zone ? ", " : "",
				other_zone ? "time_zone = '" : "", other_zone ? zone : "",
				other_zone ? "'" : "", create);
}

/* The length of a "SET STATEMENT ... FOR " before a CREATE statement
 * (rt__mariadb_with_settings), 0 when there is none. */
static size_t settings_length(const char *text)
{
	if (!after_word(text, "SET") || !after_word(text + 4, "STATEMENT"))
		return 0;
	const char *p = strstr(text, " FOR CREATE ");
	return p ? (size_t)(p - text) + 5 : 0;
}

const char *rt__mariadb_without_definer(rt_arena *arena, const char *create, const char *user)
{
	size_t settings = settings_length(create);
	if (settings) {
		const char *rest = rt__mariadb_without_definer(arena, create + settings, user);
		return rest ? rt__arena_printf(arena, "%.*s%s", (int)settings, create, rest) : NULL;
	}
	const char *rest = after_word(create, "CREATE");
	if (!rest || strncasecmp(rest, "DEFINER=", 8) != 0)
		return create;
	rt_buf who = RT_BUF_INIT;
	const char *p = definer_part(rest + 8, &who);
	if (*p == '@') {
		rt__buf_putc(&who, '@');
		p = definer_part(p + 1, &who);
	}
	bool same = !rt__buf_failed(&who) && user && *p == ' ' &&
		    strcmp(rt__buf_cstr(&who), user) == 0;
	rt__buf_free(&who);
	return same ? rt__arena_printf(arena, "CREATE %s", p + 1) : NULL;
}

const char *rt__mariadb_view_query(rt_arena *arena, const char *create, const char *user,
				   bool *invoker)
{
	const char *p = after_word(create, "CREATE");
	p = p ? after_word(p, "ALGORITHM=UNDEFINED") : NULL;
	const char *rest = p ? rt__mariadb_without_definer(arena, rt__arena_printf(arena, "CREATE %s", p), user)
			     : NULL;
	p = rest ? after_word(rest, "CREATE") : NULL;
	p = p ? after_word(p, "SQL") : NULL;
	p = p ? after_word(p, "SECURITY") : NULL;
	const char *definer = p ? after_word(p, "DEFINER") : NULL;
	const char *by_invoker = p && !definer ? after_word(p, "INVOKER") : NULL;
	p = definer ? definer : by_invoker;
	if (invoker)
		*invoker = by_invoker != NULL;
	p = p ? after_word(p, "VIEW") : NULL;
	if (!p || (*p != '`' && *p != '"'))
		return NULL;
	char q = *p;
	for (p++; *p && !(*p == q && p[1] != q); p += *p == q ? 2 : 1)
		;
	if (*p)
		for (p++; *p == ' ';)
			p++;
	p = *p ? after_word(p, "AS") : NULL;
	if (!p)
		return NULL;
	size_t len = strlen(p);
	static const char *const check[] = {" WITH CASCADED CHECK OPTION", " WITH LOCAL CHECK OPTION"};
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(check[i]);
		if (len >= n && strcasecmp(p + len - n, check[i]) == 0)
			return NULL;
	}
	return p;
}

/* --- rendering the models' --------------------------------------------------------- */

#define SCRATCH "retort_render_scratch"

/* The name after "<KEYWORD> " (FUNCTION, PROCEDURE, SEQUENCE) in a CREATE
 * statement: where it starts and how long it is (quotes included); false
 * when not found. */
static bool name_after(const char *sql, const char *keyword, size_t *at, size_t *len)
{
	size_t k = strlen(keyword);
	for (const char *p = sql; *p; p++) {
		if (strncasecmp(p, keyword, k) != 0 || (p > sql && !isspace((unsigned char)p[-1])) ||
		    !isspace((unsigned char)p[k]))
			continue;
		const char *n = p + k;
		while (isspace((unsigned char)*n))
			n++;
		const char *e = n;
		if (*n == '`' || *n == '"') {
			for (e = n + 1; *e && *e != *n; e++)
				;
			e += *e ? 1 : 0;
		} else {
			while (isalnum((unsigned char)*e) || *e == '_' || *e == '$')
				e++;
		}
		*at = (size_t)(n - sql);
		*len = (size_t)(e - n);
		return e > n;
	}
	return false;
}

/* Column column of SHOW CREATE's one row (1: a view's or sequence's
 * statement, 2: a routine's), and, when mode is not NULL, column 1 into
 * *mode (a routine's sql_mode). */
static const char *show_with(const rt_dialect *d, rt_driver_conn *conn, rt_arena *arena,
			     const char *sql, int column, const char **mode)
{
	rt_driver_stmt *stmt = NULL;
	const char *out = NULL;
	if (sql && d->prepare(&stmt, conn, sql) >= 0 && d->step(stmt) == RT_ROW) {
		rt_value v;
		if (d->column_value(stmt, column, &v) >= 0 && v.type == RT_VALUE_TEXT)
			out = rt__arena_strdup(arena, v.s);
		if (mode && d->column_value(stmt, 1, &v) >= 0 && v.type == RT_VALUE_TEXT)
			*mode = rt__arena_strdup(arena, v.s);
	}
	d->finalize(stmt);
	return out;
}

static const char *show(const rt_dialect *d, rt_driver_conn *conn, rt_arena *arena,
			const char *sql, int column)
{
	return show_with(d, conn, arena, sql, column, NULL);
}

/* Every occurrence of from in text replaced by to. */
static const char *replace_all(rt_arena *arena, const char *text, const char *from, const char *to)
{
	rt_buf out = RT_BUF_INIT;
	size_t n = strlen(from);
	for (const char *p = text; *p;) {
		const char *hit = strstr(p, from);
		if (!hit) {
			rt__buf_puts(&out, p);
			break;
		}
		rt__buf_put(&out, p, (size_t)(hit - p));
		rt__buf_puts(&out, to);
		p = hit + n;
	}
	const char *s = rt__buf_failed(&out) ? NULL : rt__arena_strdup(arena, rt__buf_cstr(&out));
	rt__buf_free(&out);
	return s;
}

static const char *render_view(const rt_dialect *d, rt_driver_conn *conn, rt_arena *arena,
			       const rt_sql_object *o, const char *user)
{
	rt_sql_object scratch = *o;
	scratch.name = SCRATCH;
	rt_sql_list list = {0};
	if (rt__ddl_sql_object(arena, &list, &scratch, RT_SQL_CREATE, d) < 0 ||
	    d->exec(conn, list.items[0]) < 0)
		return NULL;
	const char *text = show(d, conn, arena, "SHOW CREATE VIEW " SCRATCH, 1);
	d->exec(conn, "DROP VIEW IF EXISTS " SCRATCH);
	return text ? rt__mariadb_view_query(arena, text, user, NULL) : NULL;
}

/* A function, procedure or sequence made under the scratch name, shown
 * (a routine with the sql_mode it was made under where that is not the
 * session's) and dropped. */
static const char *render_statement(const rt_dialect *d, rt_driver_conn *conn, rt_arena *arena,
				    const rt_sql_object *o, const char *user,
				    const char *session_mode)
{
	const char *keyword = o->kind == RT_SQL_FUNCTION    ? "FUNCTION"
			      : o->kind == RT_SQL_PROCEDURE ? "PROCEDURE"
							    : "SEQUENCE";
	size_t at, len;
	if (!name_after(o->sql, keyword, &at, &len))
		return NULL;
	const char *sql = rt__arena_printf(arena, "%.*s" SCRATCH "%s", (int)at, o->sql,
					   o->sql + at + len);
	if (!sql || d->exec(conn, sql) < 0)
		return NULL;
	bool routine = o->kind != RT_SQL_SEQUENCE;
	const char *mode = NULL;
	const char *text = show_with(d, conn, arena,
				     rt__arena_printf(arena, "SHOW CREATE %s " SCRATCH, keyword),
				     routine ? 2 : 1, routine ? &mode : NULL);
	d->exec(conn, rt__arena_printf(arena, "DROP %s IF EXISTS " SCRATCH, keyword));
	/* The server quotes the name it writes: the scratch name inside
	 * the quotes becomes the object's. */
	if (text && routine)
		text = rt__mariadb_without_definer(arena, text, user);
	if (text && routine)
		text = rt__mariadb_with_settings(arena, text, mode, session_mode, NULL, NULL);
	return text ? replace_all(arena, text, SCRATCH, o->name) : NULL;
}

int rt__mariadb_render_sql_objects(const rt_dialect *d, rt_driver_conn *conn, rt_schema *schema)
{
	if (!schema->sql_object_count)
		return RT_OK;
	rt_arena *tmp = rt__arena_new();
	if (!tmp)
		return rt__error_nomem();
	const char *user = show(d, conn, tmp, "SELECT CURRENT_USER()", 0);
	const char *mode = show(d, conn, tmp, "SELECT @@SESSION.sql_mode", 0);
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < schema->sql_object_count; i++) {
		rt_sql_object *o = schema->sql_objects[i];
		const char *text = o->kind == RT_SQL_VIEW      ? render_view(d, conn, tmp, o, user)
				   : o->kind == RT_SQL_TRIGGER ? NULL
							       : render_statement(d, conn, tmp, o, user, mode);
		if (text && !(o->rendered = rt__arena_strdup(schema->arena, text)))
			rc = rt__error_nomem();
	}
	rt__arena_free(tmp);
	return rc;
}
