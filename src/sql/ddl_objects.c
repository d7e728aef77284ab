/*
 * ddl_objects.c - the statements that create, replace and drop domains,
 * sequences, functions, aggregates, procedures, views, materialized views
 * and triggers (rt_sql_object), for any dialect, from its capabilities
 * (dialect.h: sql_object_kinds and the ways it replaces and drops them).
 *
 * A view's SQL is its query: CREATE [MATERIALIZED] VIEW name AS <query>
 * (a materialized view's WITH NO DATA after it, and its indexes in
 * statements of their own after it; dropping it drops them).
 * Every other kind's is the whole CREATE statement, run as it is.
 * Replacing is CREATE OR REPLACE where the backend has it (a view; a
 * routine whose statement says CREATE FUNCTION is made to say CREATE OR
 * REPLACE FUNCTION), ALTER SEQUENCE with the new statement's options (the
 * sequence's value is left as it is), ALTER DOMAIN clause by clause
 * (ddl_domain.c), else DROP and CREATE. Renaming is the dialect's
 * statement where it has one for the kind, else DROP and CREATE under the
 * new name for a kind that holds no data (a view, a routine, a trigger).
 * A kind the backend lacks is refused by name before any statement is
 * written.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "dialect/registry.h"
#include "sql/ddl.h"

static const char *title(const rt_dialect *dialect)
{
	const rt_backend *backend = rt__backend_find(dialect->name, -1);
	return backend && backend->title ? backend->title : dialect->name;
}

bool rt__ddl_has_sql_kind(const rt_dialect *dialect, rt_sql_kind kind)
{
	return (dialect->caps.sql_object_kinds >> kind) & 1u;
}

int rt__ddl_check_sql_object(const rt_dialect *dialect, const rt_sql_object *o)
{
	if (rt__ddl_has_sql_kind(dialect, o->kind) && o->security_invoker &&
	    !dialect->view_invoker_before && !dialect->view_invoker_after)
		return rt__error_set(RT_EINVAL,
				     "%s %s: 'security invoker' - %s's views have no such setting "
				     "(a view's query runs with the rights of whoever reads it "
				     "there); leave it out for %s",
				     rt__sql_kind_name(o->kind), o->name, title(dialect),
				     title(dialect));
	if (rt__ddl_has_sql_kind(dialect, o->kind) &&
	    rt__ddl_check_named_schema(dialect, rt__sql_kind_name(o->kind), o->name, o->schema) < 0)
		return rt_error_last()->code;
	if (rt__ddl_has_sql_kind(dialect, o->kind))
		return rt__ddl_check_name(dialect, rt__sql_kind_name(o->kind),
					  rt__sql_object_sql_name(o));
	return rt__error_set(RT_EINVAL, "%s %s: %s has no %s", rt__sql_kind_name(o->kind), o->name,
			     title(dialect), rt__sql_kind_plural(o->kind));
}

int rt__ddl_check_sql_objects(const rt_dialect *dialect, const rt_schema *schema)
{
	for (size_t i = 0; i < schema->sql_object_count; i++) {
		int rc = rt__ddl_check_sql_object(dialect, schema->sql_objects[i]);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The SQL as one statement: without the whitespace and ';' it ends with. */
static void put_statement(rt_buf *buf, const char *sql)
{
	size_t len = strlen(sql);
	while (len && (isspace((unsigned char)sql[len - 1]) || sql[len - 1] == ';'))
		len--;
	rt__buf_put(buf, sql, len);
}

void rt__ddl_put_object_table(rt_buf *buf, const rt_dialect *dialect, const char *table)
{
	const char *dot = dialect->caps.schemas ? strchr(table, '.') : NULL;
	if (dot && dot != table && dot[1]) {
		rt_buf schema = RT_BUF_INIT;
		rt__buf_put(&schema, table, (size_t)(dot - table));
		dialect->quote_ident(buf, rt__buf_cstr(&schema));
		rt__buf_free(&schema);
		rt__buf_putc(buf, '.');
		table = dot + 1;
	}
	dialect->quote_ident(buf, table);
}

void rt__ddl_put_sql_object_name(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o)
{
	if (o->schema) {
		dialect->quote_ident(buf, o->schema);
		rt__buf_putc(buf, '.');
	}
	dialect->quote_ident(buf, rt__sql_object_sql_name(o));
}

static void put_view_keyword(rt_buf *buf, const rt_sql_object *o)
{
	rt__buf_puts(buf, o->kind == RT_SQL_MATERIALIZED_VIEW ? "MATERIALIZED VIEW " : "VIEW ");
}

static void put_create(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o,
		       bool or_replace)
{
	if (o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW) {
		rt__buf_puts(buf, or_replace ? "CREATE OR REPLACE " : "CREATE ");
		/* A dialect without the words refused the view before. */
		bool invoker = o->kind == RT_SQL_VIEW && o->security_invoker;
		if (invoker && dialect->view_invoker_before)
			rt__buf_printf(buf, "%s ", dialect->view_invoker_before);
		put_view_keyword(buf, o);
		rt__ddl_put_sql_object_name(buf, dialect, o);
		if (invoker && dialect->view_invoker_after)
			rt__buf_printf(buf, " %s", dialect->view_invoker_after);
		rt__buf_puts(buf, " AS ");
	}
	put_statement(buf, o->sql);
	if (o->kind == RT_SQL_MATERIALIZED_VIEW && o->no_data)
		rt__buf_puts(buf, " WITH NO DATA");
}

/* CREATE INDEX ... ON the materialized view, for each of its indexes. */
static int create_matview_indexes(rt_arena *arena, rt_sql_list *list, rt_buf *buf,
				  const rt_sql_object *o, const rt_dialect *dialect)
{
	rt_table owner = {.name = o->name, .schema = o->schema};
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < o->index_count; i++) {
		if ((rc = rt__ddl_check_index(dialect, &owner, o->indexes[i])) < 0)
			break;
		rt__ddl_create_index(buf, &owner, o->indexes[i], dialect);
		rc = rt__ddl_push(arena, list, buf, RT_STMT_OTHER);
	}
	return rc;
}

/* The kind's words in a statement: "DOMAIN", "MATERIALIZED VIEW", ... */
static void put_kind_words(rt_buf *buf, rt_sql_kind kind)
{
	for (const char *w = rt__sql_kind_name(kind); *w; w++)
		rt__buf_putc(buf, (char)toupper((unsigned char)*w));
}

static void put_drop(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o)
{
	rt__buf_puts(buf, "DROP ");
	put_kind_words(buf, o->kind);
	rt__buf_putc(buf, ' ');
	rt__ddl_put_sql_object_name(buf, dialect, o);
	if (rt__sql_kind_has_args(o->kind) && o->args && dialect->caps.function_drop_args)
		rt__buf_puts(buf, o->args);
	if (o->kind == RT_SQL_TRIGGER && o->table && dialect->caps.trigger_names_per_table) {
		rt__buf_puts(buf, " ON ");
		rt__ddl_put_object_table(buf, dialect, o->table);
	}
}

/* Past whitespace and one word of sql (any case), or NULL when sql does
 * not go on with that word. */
static const char *skip_word(const char *sql, const char *word)
{
	while (isspace((unsigned char)*sql))
		sql++;
	size_t n = strlen(word);
	if (strncasecmp(sql, word, n) != 0 || isalnum((unsigned char)sql[n]) || sql[n] == '_')
		return NULL;
	return sql + n;
}

/* "CREATE <KIND>" at the start of sql (any case and spacing): the length
 * of "CREATE", after which " OR REPLACE" goes; 0 when it is not there. */
static size_t create_kind_at(const char *sql, rt_sql_kind kind)
{
	const char *after = skip_word(sql, "CREATE");
	if (!after || !isspace((unsigned char)*after) || !skip_word(after, rt__sql_kind_name(kind)))
		return 0;
	return (size_t)(after - sql);
}

static bool says_or_replace(const char *sql)
{
	const char *p = skip_word(sql, "CREATE");
	return p && skip_word(p, "OR");
}

/* ALTER SEQUENCE name <options>: the options of a CREATE SEQUENCE
 * statement (after its name), set on the sequence without touching its
 * value; false when sql does not read so. The backend's table options
 * after them (MariaDB's ENGINE=...) are not the sequence's definition. */
static bool put_alter_sequence(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o)
{
	const char *p = skip_word(o->sql, "CREATE");
	p = p ? skip_word(p, "SEQUENCE") : NULL;
	const char *q = p ? skip_word(p, "IF") : NULL;
	if (q && (q = skip_word(q, "NOT")) && (q = skip_word(q, "EXISTS")))
		p = q;
	if (!p)
		return false;
	while (isspace((unsigned char)*p))
		p++;
	/* The name: quoted, or a run of name characters (schema.name too). */
	if (*p == '"' || *p == '`') {
		char quote = *p;
		for (p++; *p && !(*p == quote && p[1] != quote); p += *p == quote ? 2 : 1)
			;
		if (*p)
			p++;
	} else {
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '$' ||
		       (unsigned char)*p >= 0x80)
			p++;
	}
	size_t len = 0;
	while (p[len] && strncasecmp(p + len, "ENGINE=", 7) != 0)
		len++;
	while (len && (isspace((unsigned char)p[len - 1]) || p[len - 1] == ';'))
		len--;
	rt__buf_puts(buf, "ALTER SEQUENCE ");
	rt__ddl_put_sql_object_name(buf, dialect, o);
	rt__buf_put(buf, p, len);
	return true;
}

/* Writes the replacement in place when the backend can, else nothing
 * (the caller drops and creates): true when written. */
static bool put_in_place(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o)
{
	if (o->kind == RT_SQL_VIEW && dialect->caps.view_or_replace) {
		put_create(buf, dialect, o, true);
		return true;
	}
	if (o->kind == RT_SQL_SEQUENCE && dialect->caps.sequence_alter)
		return put_alter_sequence(buf, dialect, o);
	if (!((dialect->caps.or_replace_kinds >> o->kind) & 1u))
		return false;
	if (says_or_replace(o->sql)) {
		put_statement(buf, o->sql);
		return true;
	}
	size_t at = create_kind_at(o->sql, o->kind);
	if (!at)
		return false;
	rt__buf_put(buf, o->sql, at);
	rt__buf_puts(buf, " OR REPLACE");
	put_statement(buf, o->sql + at);
	return true;
}

static int write_object(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
			rt_ddl_action action, const char *old_sql, const rt_dialect *dialect)
{
	int rc = rt__ddl_check_sql_object(dialect, o);
	if (rc < 0)
		return rc;
	if (action == RT_SQL_REPLACE && o->kind == RT_SQL_DOMAIN && dialect->caps.domain_alter &&
	    (rc = rt__ddl_alter_domain(arena, list, o, old_sql, dialect)) <= 0)
		return rc;
	rc = RT_OK;
	rt_buf buf = RT_BUF_INIT;
	if (action == RT_SQL_REPLACE && put_in_place(&buf, dialect, o)) {
		rc = rt__ddl_push(arena, list, &buf, RT_STMT_OTHER);
	} else {
		if (action != RT_SQL_CREATE) {
			put_drop(&buf, dialect, o);
			rc = rt__ddl_push(arena, list, &buf, RT_STMT_OTHER);
		}
		if (rc == RT_OK && action != RT_SQL_DROP) {
			put_create(&buf, dialect, o, false);
			rc = rt__ddl_push(arena, list, &buf, RT_STMT_OTHER);
		}
		if (rc == RT_OK && action != RT_SQL_DROP)
			rc = create_matview_indexes(arena, list, &buf, o, dialect);
	}
	rt__buf_free(&buf);
	return rc;
}

int rt__ddl_sql_object(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
		       rt_ddl_action action, const rt_dialect *dialect)
{
	return write_object(arena, list, o, action, NULL, dialect);
}

int rt__ddl_replace_sql_object(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
			       const char *old_sql, const rt_dialect *dialect)
{
	return write_object(arena, list, o, RT_SQL_REPLACE, old_sql, dialect);
}

/* A dialect's statements, appended to a list. */
typedef struct list_sink {
	rt_arena *arena;
	rt_sql_list *list;
} list_sink;

static int push_to_list(void *ctx, rt_buf *sql, rt_stmt_kind kind)
{
	list_sink *sink = ctx;
	return rt__ddl_push(sink->arena, sink->list, sql, kind);
}

/* The first trigger of state on view o, which dropping o would drop
 * with it, or NULL. */
static const rt_sql_object *trigger_on(const rt_schema *state, const rt_sql_object *o)
{
	for (size_t i = 0; state && o->kind == RT_SQL_VIEW && i < state->sql_object_count; i++) {
		const rt_sql_object *t = state->sql_objects[i];
		if (t->kind == RT_SQL_TRIGGER && t->table && strcmp(t->table, o->name) == 0)
			return t;
	}
	return NULL;
}

int rt__ddl_rename_sql_object(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
			      const char *new_name, const rt_schema *state,
			      const rt_dialect *dialect)
{
	const char *kind = rt__sql_kind_name(o->kind);
	int rc = rt__ddl_check_sql_object(dialect, o);
	if (rc == RT_OK)
		rc = rt__ddl_check_name(dialect, kind, new_name);
	if (rc < 0)
		return rc;
	rt_sql_object renamed = *o;
	if (rt__sql_object_copy_matview(arena, &renamed, o) < 0 ||
	    rt__sql_object_rename(arena, &renamed, new_name) < 0)
		return RT_ENOMEM;
	list_sink sink = {arena, list};
	rc = dialect->rename_sql_object
		     ? dialect->rename_sql_object(dialect, o, &renamed, push_to_list, &sink)
		     : 1;
	if (rc <= 0)
		return rc;
	if (o->kind == RT_SQL_SEQUENCE || o->kind == RT_SQL_MATERIALIZED_VIEW)
		return rt__error_set(RT_EINVAL,
				     "rename %s %s to %s: %s cannot rename a %s, and dropping "
				     "and making it again would lose its %s",
				     kind, o->name, new_name, title(dialect), kind,
				     o->kind == RT_SQL_SEQUENCE ? "current value" : "rows");
	if (!o->sql)
		return rt__error_set(RT_EINVAL,
				     "rename %s %s to %s: %s cannot rename a %s, and its SQL, "
				     "to make it again under the new name, is not known",
				     kind, o->name, new_name, title(dialect), kind);
	const rt_sql_object *trigger = trigger_on(state, o);
	if (trigger)
		return rt__error_set(RT_EINVAL,
				     "rename view %s to %s: %s cannot rename a view, and dropping "
				     "it to make it again would drop its trigger %s: drop the "
				     "trigger first and make it again on the new name",
				     o->name, new_name, title(dialect), trigger->name);
	rc = write_object(arena, list, o, RT_SQL_DROP, NULL, dialect);
	return rc < 0 ? rc : write_object(arena, list, &renamed, RT_SQL_CREATE, NULL, dialect);
}

int rt__ddl_create_sql_objects(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
			       bool early, const rt_dialect *dialect)
{
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < schema->sql_object_count; i++) {
		const rt_sql_object *o = schema->sql_objects[i];
		if (rt__sql_kind_is_early(o->kind) == early)
			rc = rt__ddl_sql_object(arena, list, o, RT_SQL_CREATE, dialect);
	}
	return rc;
}

int rt__ddl_drop_sql_objects(rt_arena *arena, rt_sql_list *list, const rt_schema *schema,
			     bool early, const rt_dialect *dialect)
{
	int rc = RT_OK;
	for (size_t i = schema->sql_object_count; rc == RT_OK && i-- > 0;) {
		const rt_sql_object *o = schema->sql_objects[i];
		if (rt__sql_kind_is_early(o->kind) == early)
			rc = rt__ddl_sql_object(arena, list, o, RT_SQL_DROP, dialect);
	}
	return rc;
}
