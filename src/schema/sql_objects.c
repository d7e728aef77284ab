/*
 * sql_objects.c - domains, sequences, functions, aggregates, procedures,
 * views, materialized views and triggers in the schema model
 * (rt_sql_object, metadata.h): what makes two of them the same object,
 * when their SQL is the same, and the order to create them in.
 *
 * A materialized view has besides its query whether it is made WITH NO
 * DATA and its indexes, which are part of it: copied and compared with it.
 *
 * Their SQL is the user's (or the database's) text, which retort does not
 * parse: the order comes from the names each text holds as words, which
 * is what a reference looks like whatever the SQL around it. A name read
 * where it is no reference (a column called like a view) can only put an
 * object later than it needs to be, never before what it reads.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/error.h"
#include "schema/compare.h"
#include "schema/metadata.h"
#include "schema/naming.h"

const char *rt__sql_kind_name(rt_sql_kind kind)
{
	switch (kind) {
	case RT_SQL_DOMAIN: return "domain";
	case RT_SQL_SEQUENCE: return "sequence";
	case RT_SQL_FUNCTION: return "function";
	case RT_SQL_AGGREGATE: return "aggregate";
	case RT_SQL_PROCEDURE: return "procedure";
	case RT_SQL_VIEW: return "view";
	case RT_SQL_MATERIALIZED_VIEW: return "materialized view";
	case RT_SQL_TRIGGER: return "trigger";
	case RT_SQL_KIND_COUNT: break;
	}
	return "object";
}

const char *rt__sql_kind_plural(rt_sql_kind kind)
{
	switch (kind) {
	case RT_SQL_DOMAIN: return "domains";
	case RT_SQL_SEQUENCE: return "sequences";
	case RT_SQL_FUNCTION: return "functions";
	case RT_SQL_AGGREGATE: return "aggregates";
	case RT_SQL_PROCEDURE: return "procedures";
	case RT_SQL_VIEW: return "views";
	case RT_SQL_MATERIALIZED_VIEW: return "materialized views";
	case RT_SQL_TRIGGER: return "triggers";
	case RT_SQL_KIND_COUNT: break;
	}
	return "objects";
}

bool rt__sql_kind_is_early(rt_sql_kind kind)
{
	return kind == RT_SQL_DOMAIN || kind == RT_SQL_SEQUENCE;
}

bool rt__sql_kind_has_args(rt_sql_kind kind)
{
	return kind == RT_SQL_FUNCTION || kind == RT_SQL_AGGREGATE || kind == RT_SQL_PROCEDURE;
}

static bool same_text(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

bool rt__sql_object_same(const rt_sql_object *a, const rt_sql_object *b)
{
	if (a->kind != b->kind || strcmp(a->name, b->name) != 0)
		return false;
	if (a->kind == RT_SQL_TRIGGER)
		return same_text(a->table, b->table);
	if (rt__sql_kind_has_args(a->kind) && a->args && b->args)
		return strcmp(a->args, b->args) == 0;
	return true;
}

rt_sql_object *rt__schema_find_sql_object(const rt_schema *schema, const rt_sql_object *o)
{
	for (size_t i = 0; schema && i < schema->sql_object_count; i++)
		if (rt__sql_object_same(schema->sql_objects[i], o))
			return schema->sql_objects[i];
	return NULL;
}

int rt__sql_object_set_schema(rt_schema *schema, rt_sql_object *o, const char *nsp)
{
	nsp = rt__schema_own_name(nsp);
	o->schema = NULL;
	if (!nsp)
		return RT_OK;
	o->schema = rt__arena_strdup(schema->arena, nsp);
	o->name = rt__arena_printf(schema->arena, "%s.%s", nsp, o->name);
	return o->schema && o->name ? RT_OK : rt__error_nomem();
}

const char *rt__sql_object_sql_name(const rt_sql_object *o)
{
	size_t n = o->schema ? strlen(o->schema) : 0;
	if (n && strncmp(o->name, o->schema, n) == 0 && o->name[n] == '.')
		return o->name + n + 1;
	return o->name;
}

rt_index *rt__sql_object_add_index(rt_arena *arena, rt_sql_object *o, const char *name,
				   bool unique)
{
	rt_index *index = rt__arena_alloc(arena, sizeof(*index));
	if (!index || (name && !(index->name = rt__arena_strdup(arena, name))) ||
	    RT_ARENA_PUSH(arena, o->indexes, o->index_count, o->index_cap, index) < 0) {
		rt__error_nomem();
		return NULL;
	}
	index->unique = unique;
	return index;
}

int rt__sql_object_copy_matview(rt_arena *arena, rt_sql_object *dst, const rt_sql_object *src)
{
	dst->no_data = src->no_data;
	dst->security_invoker = src->security_invoker;
	dst->indexes = NULL;
	dst->index_count = dst->index_cap = 0;
	for (size_t i = 0; i < src->index_count; i++) {
		const rt_index *from = src->indexes[i];
		rt_index *index = rt__sql_object_add_index(arena, dst, from->name, from->unique);
		if (!index || rt__index_copy_parts(arena, index, from) < 0)
			return rt__error_nomem();
		index->name_given = from->name_given;
		index->pos = from->pos;
	}
	return RT_OK;
}

rt_sql_object *rt__schema_copy_sql_object(rt_schema *schema, const rt_sql_object *src)
{
	rt_sql_object *o = rt__schema_add_sql_object(schema, src->kind, src->name, src->args,
						     src->table, src->sql);
	if (!o || rt__sql_object_copy_matview(schema->arena, o, src) < 0)
		return NULL;
	if (src->schema && !(o->schema = rt__arena_strdup(schema->arena, src->schema))) {
		rt__error_nomem();
		return NULL;
	}
	o->pos = src->pos;
	if (src->was && !(o->was = rt__arena_strdup(schema->arena, src->was))) {
		rt__error_nomem();
		return NULL;
	}
	if (src->rendered && !(o->rendered = rt__arena_strdup(schema->arena, src->rendered))) {
		rt__error_nomem();
		return NULL;
	}
	return o;
}

void rt__schema_remove_sql_object(rt_schema *schema, const rt_sql_object *o)
{
	size_t kept = 0;
	for (size_t i = 0; i < schema->sql_object_count; i++)
		if (schema->sql_objects[i] != o)
			schema->sql_objects[kept++] = schema->sql_objects[i];
	schema->sql_object_count = kept;
}

/* --- text ---------------------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The next byte of text as compared: runs of whitespace outside 'strings'
 * read as one space; *p moves past what was read; '\0' at the end (a final
 * ';' and whitespace before the end read as the end). */
typedef struct reader {
	const char *p;
	bool in_string;
} reader;

static char next_byte(reader *r)
{
	if (!r->in_string && is_space(*r->p)) {
		while (is_space(*r->p))
			r->p++;
		const char *q = r->p;
		while (*q == ';' || is_space(*q))
			q++;
		return *q ? ' ' : (r->p = q, '\0');
	}
	if (!r->in_string && *r->p == ';') {
		const char *q = r->p;
		while (*q == ';' || is_space(*q))
			q++;
		if (!*q) {
			r->p = q;
			return '\0';
		}
	}
	char c = *r->p;
	if (c) {
		r->p++;
		if (c == '\'')
			r->in_string = !r->in_string;
	}
	return c;
}

bool rt__sql_text_equal(const char *a, const char *b)
{
	reader ra = {a ? a : "", false}, rb = {b ? b : "", false};
	while (is_space(*ra.p))
		ra.p++;
	while (is_space(*rb.p))
		rb.p++;
	for (;;) {
		char ca = next_byte(&ra), cb = next_byte(&rb);
		if (ca != cb)
			return false;
		if (!ca)
			return true;
	}
}

/* The index of o named name, or NULL. */
static const rt_index *find_index(const rt_sql_object *o, const char *name)
{
	for (size_t i = 0; i < o->index_count; i++)
		if (same_text(o->indexes[i]->name, name))
			return o->indexes[i];
	return NULL;
}

/* The same indexes (by name, each of the same definition), any order. */
static bool same_indexes(const rt_sql_object *a, const rt_sql_object *b)
{
	if (a->index_count != b->index_count)
		return false;
	for (size_t i = 0; i < a->index_count; i++) {
		const rt_index *other = find_index(b, a->indexes[i]->name);
		if (!other || !rt__index_same_definition(a->indexes[i], other))
			return false;
	}
	return true;
}

bool rt__sql_object_equal(const rt_sql_object *a, const rt_sql_object *b)
{
	return a->no_data == b->no_data && a->security_invoker == b->security_invoker &&
	       same_indexes(a, b) &&
	       rt__sql_text_equal(a->rendered ? a->rendered : a->sql,
				  b->rendered ? b->rendered : b->sql);
}

int rt__schema_rename_domain_uses(rt_schema *schema, const char *old, const char *new_name)
{
	for (size_t i = 0; i < schema->table_count; i++) {
		rt_table *t = schema->tables[i];
		for (size_t c = 0; c < t->column_count; c++) {
			rt_type *type = &t->columns[c]->type;
			if (type->kind != RT_TYPE_SQL || !type->sql ||
			    strcasecmp(type->sql, old) != 0)
				continue;
			if (!(type->sql = rt__arena_strdup(schema->arena, new_name)))
				return rt__error_nomem();
		}
	}
	return RT_OK;
}

const char *rt__sql_object_label(rt_arena *arena, const rt_sql_object *o)
{
	return rt__arena_printf(arena, "%s %s%s%s%s", rt__sql_kind_name(o->kind), o->name,
				o->args ? o->args : "", o->table ? " on " : "",
				o->table ? o->table : "");
}

const char *rt__sql_args_normal(rt_arena *arena, const char *args)
{
	rt_buf out = RT_BUF_INIT;
	bool space = false;
	for (const char *p = args; *p; p++) {
		if (is_space(*p)) {
			space = out.len > 0;
			continue;
		}
		char last = out.len ? out.ptr[out.len - 1] : '\0';
		if (space && last != '(' && *p != ')' && *p != ',')
			rt__buf_putc(&out, ' ');
		space = false;
		rt__buf_putc(&out, *p);
		if (*p == ',')
			space = true;
	}
	const char *text = rt__buf_failed(&out) ? NULL : rt__arena_strdup(arena, rt__buf_cstr(&out));
	rt__buf_free(&out);
	return text;
}

/* --- order ------------------------------------------------------------------------ */

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* Where text first holds name as a word (any case), or NULL. */
static const char *find_mention(const char *text, const char *name)
{
	size_t len = strlen(name);
	if (!len)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (strncasecmp(p, name, len) != 0)
			continue;
		if ((p == text || !is_word_char(p[-1])) && !is_word_char(p[len]))
			return p;
	}
	return NULL;
}

bool rt__sql_mentions(const char *text, const char *name)
{
	return find_mention(text, name) != NULL;
}

/* text with its first mention of old as new (a CREATE statement names
 * its object before anything else names it); text itself when it has
 * none. In arena, or NULL. */
static const char *renamed_text(rt_arena *arena, const char *text, const char *old,
				const char *new_name)
{
	const char *at = text ? find_mention(text, old) : NULL;
	if (!at)
		return text;
	return rt__arena_printf(arena, "%.*s%s%s", (int)(at - text), text, new_name,
				at + strlen(old));
}

int rt__sql_object_rename(rt_arena *arena, rt_sql_object *o, const char *new_name)
{
	const char *old = o->name;
	if (!(o->name = rt__arena_strdup(arena, new_name)))
		return rt__error_nomem();
	/* A materialized view's indexes named after it (unnamed in the
	 * models) are named after it again. */
	for (size_t i = 0; i < o->index_count; i++) {
		rt_index *index = o->indexes[i];
		const char *was = rt__name_index_keys(arena, old, index);
		if (!was || !index->name || strcmp(index->name, was) != 0)
			continue;
		if (!(index->name = rt__name_index_keys(arena, new_name, index)))
			return rt__error_nomem();
	}
	/* A view's SQL is its query, which does not name the view. */
	if (o->kind == RT_SQL_VIEW || o->kind == RT_SQL_MATERIALIZED_VIEW)
		return RT_OK;
	if ((o->sql && !(o->sql = renamed_text(arena, o->sql, old, new_name))) ||
	    (o->rendered && !(o->rendered = renamed_text(arena, o->rendered, old, new_name))))
		return rt__error_nomem();
	return RT_OK;
}

int rt__schema_order_sql_objects(rt_schema *schema)
{
	size_t n = schema->sql_object_count;
	if (n < 2)
		return RT_OK;
	rt_arena *tmp = rt__arena_new();
	bool *placed = tmp ? rt__arena_alloc(tmp, n * sizeof(*placed)) : NULL;
	bool *needs = tmp ? rt__arena_alloc(tmp, n * n * sizeof(*needs)) : NULL;
	rt_sql_object **order = tmp ? rt__arena_alloc(tmp, n * sizeof(*order)) : NULL;
	if (!placed || !needs || !order) {
		rt__arena_free(tmp);
		return rt__error_nomem();
	}
	rt_sql_object **objects = schema->sql_objects;
	for (size_t i = 0; i < n; i++) {
		placed[i] = false;
		for (size_t j = 0; j < n; j++)
			/* By its own name: the SQL may reach another schema's
			 * object through the search path (billing.v or v). */
			needs[i * n + j] = i != j && strcmp(objects[i]->name, objects[j]->name) != 0 &&
					   rt__sql_mentions(objects[i]->sql,
							    rt__sql_object_sql_name(objects[j]));
	}
	for (size_t k = 0; k < n; k++) {
		size_t pick = n;
		for (size_t i = 0; i < n; i++) {
			if (placed[i] || (pick < n && objects[pick]->kind <= objects[i]->kind))
				continue;
			bool ready = true;
			for (size_t j = 0; j < n && ready; j++)
				ready = placed[j] || !needs[i * n + j];
			if (ready)
				pick = i;
		}
		for (size_t i = 0; i < n && pick == n; i++)
			if (!placed[i])
				pick = i; /* a cycle: the order it had */
		placed[pick] = true;
		order[k] = objects[pick];
	}
	memcpy(objects, order, n * sizeof(*order));
	rt__arena_free(tmp);
	return RT_OK;
}
