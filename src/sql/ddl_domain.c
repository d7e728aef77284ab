/*
 * ddl_domain.c - a domain changed in place: the ALTER DOMAIN statements
 * that take a domain from one CREATE DOMAIN statement to another
 * (ddl_objects.c asks, for a dialect with caps.domain_alter).
 *
 * A domain cannot be dropped while a column has it as its type, so a
 * changed default, NOT NULL or CHECK is altered rather than made again:
 *
 *   CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT expr]
 *          [[CONSTRAINT n] {NOT NULL | NULL | CHECK (expr)}]...
 *
 * is read clause by clause (words outside parentheses and quotes; what
 * the clauses hold is kept as written), and each clause that differs
 * becomes SET / DROP DEFAULT, SET / DROP NOT NULL, DROP CONSTRAINT n and
 * ADD [CONSTRAINT n] CHECK (...). What cannot be altered so (another base
 * type or collation, a check of the old statement without a name to drop
 * it by, a statement that does not read as above) is left to the caller,
 * which drops and creates the domain: the database then refuses it while
 * a column uses the domain, naming the column.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "sql/ddl.h"

/* A stretch of the statement's text. */
typedef struct span {
	const char *at;
	size_t len;
} span;

#define MAX_CHECKS 32

typedef struct domain_def {
	span type, collate, def;
	bool not_null;
	span check_name[MAX_CHECKS]; /* len 0: the check has no name */
	span check[MAX_CHECKS];      /* "CHECK (...)" as written */
	size_t check_count;
} domain_def;

/* The next word of the text from *p: a run up to whitespace or '(' with
 * quoted parts whole, or a parenthesised group whole. Empty at the end. */
static span next_word(const char **p)
{
	const char *s = *p;
	while (isspace((unsigned char)*s))
		s++;
	const char *e = s;
	int depth = 0;
	char quote = 0;
	while (*e) {
		char c = *e;
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '(') {
			if (depth == 0 && e > s)
				break; /* varchar(10): the word, then its group */
			depth++;
		} else if (c == ')') {
			if (--depth <= 0) {
				e++;
				break;
			}
		} else if (depth == 0 && (isspace((unsigned char)c) || c == ';')) {
			break;
		}
		e++;
	}
	*p = e;
	return (span){s, (size_t)(e - s)};
}

static bool is(span w, const char *word)
{
	return w.len == strlen(word) && strncasecmp(w.at, word, w.len) == 0;
}

/* Does a clause start with w (the words that end a type or a default)? */
static bool starts_clause(span w)
{
	return is(w, "COLLATE") || is(w, "DEFAULT") || is(w, "CONSTRAINT") || is(w, "NOT") ||
	       is(w, "NULL") || is(w, "CHECK");
}

/* From the first word to the end of the last one. */
static span join(span first, span last)
{
	return (span){first.at, (size_t)(last.at + last.len - first.at)};
}

/* Reads a CREATE DOMAIN statement; false when it does not read so. */
static bool read_domain(const char *sql, domain_def *out)
{
	memset(out, 0, sizeof(*out));
	const char *p = sql;
	if (!is(next_word(&p), "CREATE") || !is(next_word(&p), "DOMAIN") || !next_word(&p).len)
		return false;
	span w = next_word(&p);
	if (is(w, "AS"))
		w = next_word(&p);
	span first = w, last = w;
	while (w.len && !starts_clause(w)) {
		last = w;
		w = next_word(&p);
	}
	if (!first.len || starts_clause(first))
		return false;
	out->type = join(first, last);
	span name = {0};
	while (w.len) {
		if (is(w, "COLLATE")) {
			out->collate = next_word(&p);
			w = next_word(&p);
		} else if (is(w, "DEFAULT")) {
			first = last = next_word(&p);
			w = next_word(&p);
			while (w.len && !starts_clause(w)) {
				last = w;
				w = next_word(&p);
			}
			out->def = join(first, last);
		} else if (is(w, "CONSTRAINT")) {
			name = next_word(&p);
			w = next_word(&p);
			if (!name.len || !(is(w, "NOT") || is(w, "NULL") || is(w, "CHECK")))
				return false;
			continue;
		} else if (is(w, "NOT") || is(w, "NULL")) {
			if (is(w, "NOT") && !is(next_word(&p), "NULL"))
				return false;
			out->not_null = is(w, "NOT");
			w = next_word(&p);
		} else if (is(w, "CHECK")) {
			span group = next_word(&p);
			if (!group.len || group.at[0] != '(' || out->check_count == MAX_CHECKS)
				return false;
			span check = join(w, group);
			w = next_word(&p);
			if (is(w, "NOT")) { /* NOT VALID */
				const char *q = p;
				if (is(next_word(&q), "VALID")) {
					check = join(check, next_word(&p));
					w = next_word(&p);
				}
			}
			out->check_name[out->check_count] = name;
			out->check[out->check_count++] = check;
		} else {
			return false;
		}
		name = (span){0};
	}
	return true;
}

static bool same_span(rt_arena *arena, span a, span b)
{
	if (!a.len || !b.len)
		return a.len == b.len;
	const char *x = rt__arena_strndup(arena, a.at, a.len);
	const char *y = rt__arena_strndup(arena, b.at, b.len);
	return x && y && rt__sql_text_equal(x, y);
}

/* Is check i of a in b, with the same name and text? */
static bool has_check(rt_arena *arena, const domain_def *a, size_t i, const domain_def *b)
{
	for (size_t j = 0; j < b->check_count; j++)
		if (same_span(arena, a->check_name[i], b->check_name[j]) &&
		    same_span(arena, a->check[i], b->check[j]))
			return true;
	return false;
}

static void put_alter(rt_buf *buf, const rt_dialect *dialect, const rt_sql_object *o)
{
	rt__buf_puts(buf, "ALTER DOMAIN ");
	rt__ddl_put_sql_object_name(buf, dialect, o);
	rt__buf_putc(buf, ' ');
}

int rt__ddl_alter_domain(rt_arena *arena, rt_sql_list *list, const rt_sql_object *o,
			 const char *old_sql, const rt_dialect *dialect)
{
	domain_def from, to;
	if (!old_sql || !read_domain(old_sql, &from) || !read_domain(o->sql, &to) ||
	    !same_span(arena, from.type, to.type) || !same_span(arena, from.collate, to.collate))
		return 1;
	for (size_t i = 0; i < from.check_count; i++)
		if (!from.check_name[i].len && !has_check(arena, &from, i, &to))
			return 1; /* no name to drop it by */
	rt_buf buf = RT_BUF_INIT;
	int rc = RT_OK;
	for (size_t i = 0; rc == RT_OK && i < from.check_count; i++) {
		if (has_check(arena, &from, i, &to))
			continue;
		put_alter(&buf, dialect, o);
		rt__buf_printf(&buf, "DROP CONSTRAINT %.*s", (int)from.check_name[i].len,
			       from.check_name[i].at);
		rc = rt__ddl_push(arena, list, &buf, RT_STMT_OTHER);
	}
	if (rc == RT_OK && !same_span(arena, from.def, to.def)) {
		put_alter(&buf, dialect, o);
		if (to.def.len)
			rt__buf_printf(&buf, "SET DEFAULT %.*s", (int)to.def.len, to.def.at);
		else
			rt__buf_puts(&buf, "DROP DEFAULT");
		rc = rt__ddl_push(arena, list, &buf, RT_STMT_OTHER);
	}
	if (rc == RT_OK && from.not_null != to.not_null) {
		put_alter(&buf, dialect, o);
		rt__buf_puts(&buf, to.not_null ? "SET NOT NULL" : "DROP NOT NULL");
		rc = rt__ddl_push(arena, list, &buf, RT_STMT_OTHER);
	}
	for (size_t i = 0; rc == RT_OK && i < to.check_count; i++) {
		if (has_check(arena, &to, i, &from))
			continue;
		put_alter(&buf, dialect, o);
		rt__buf_puts(&buf, "ADD ");
		if (to.check_name[i].len)
			rt__buf_printf(&buf, "CONSTRAINT %.*s ", (int)to.check_name[i].len,
				       to.check_name[i].at);
		rt__buf_put(&buf, to.check[i].at, to.check[i].len);
		rc = rt__ddl_push(arena, list, &buf, RT_STMT_OTHER);
	}
	rt__buf_free(&buf);
	return rc;
}
