/*
 * mariadb_reflect_values.c - values as information_schema.COLUMNS spells
 * them, back into the schema language: an ENUM column's values, and a
 * COLUMN_DEFAULT as a string, number, boolean, enum value, now, or
 * verbatim SQL (MariaDB's spelling brought back by mariadb_expr.c, its
 * own database's name taken out of a nextval()).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/error.h"
#include "schema/compare.h"
#include "dialect/mariadb.h"

/* The values of "enum('a','it''s')" into e. */
int rt__mariadb_read_enum_values(rt_schema *schema, rt_enum *e, const char *spelling)
{
	const char *p = strchr(spelling, '(');
	rt_buf value = RT_BUF_INIT;
	int rc = RT_OK;
	while (p && *p && rc == RT_OK) {
		p = strchr(p, '\'');
		if (!p)
			break;
		rt__buf_clear(&value);
		for (p++; *p; p++) {
			if (*p == '\'') {
				if (p[1] != '\'')
					break;
				p++;
			}
			rt__buf_putc(&value, *p);
		}
		if (*p)
			p++;
		rc = rt__enum_add_value(schema, e, rt__buf_cstr(&value));
	}
	rt__buf_free(&value);
	return rc;
}

/* text without "<database>." before a name: the server writes the
 * sequence of a default's nextval(s) as nextval(db.s), which made again
 * elsewhere would name the other database. In arena; NULL on no memory. */
static const char *unqualified(rt_arena *arena, const char *text, const char *database)
{
	if (!database || !*database)
		return text;
	const char *prefix = rt__arena_printf(arena, "%s.", database);
	if (!prefix)
		return NULL;
	rt_buf out = RT_BUF_INIT;
	size_t n = strlen(prefix);
	for (const char *p = text; *p;) {
		bool at_word = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		if (at_word && strncmp(p, prefix, n) == 0) {
			p += n;
			continue;
		}
		rt__buf_putc(&out, *p++);
	}
	const char *result = rt__buf_failed(&out) ? NULL : rt__arena_strdup(arena, rt__buf_cstr(&out));
	rt__buf_free(&out);
	return result;
}

/* COLUMN_DEFAULT -> the column's server default. */
int rt__mariadb_read_default(rt_schema *schema, rt_column *column, const char *text,
			const char *database)
{
	rt_arena *arena = schema->arena;
	rt_literal *lit = &column->server_default;
	rt_type_kind kind = column->type.kind;
	if (!text || strcmp(text, "NULL") == 0)
		return RT_OK; /* no default, or DEFAULT NULL: the same */
	char *value = rt__sql_string_literal(arena, text, strlen(text));
	const char *number;
	if (value) {
		lit->kind = RT_LITERAL_STRING;
		if (kind == RT_TYPE_ENUM) {
			lit->kind = RT_LITERAL_ENUM;
		} else if (kind == RT_TYPE_TIME || kind == RT_TYPE_TIMESTAMP ||
			   kind == RT_TYPE_TIMESTAMPTZ) {
			rt__mariadb_trim_zero_fraction(value);
		} else if (rt__type_is_number(kind) &&
			   (number = rt__mariadb_canonical_number(arena, value)) != NULL) {
			lit->kind = RT_LITERAL_NUMBER;
			value = (char *)number;
		}
		lit->text = value;
	} else if (kind == RT_TYPE_BOOL && (strcmp(text, "1") == 0 || strcmp(text, "0") == 0)) {
		lit->kind = RT_LITERAL_BOOL;
		lit->text = text[0] == '1' ? "true" : "false";
	} else if ((number = rt__mariadb_canonical_number(arena, text)) != NULL) {
		lit->kind = RT_LITERAL_NUMBER;
		lit->text = number;
	} else if (strncasecmp(text, "current_timestamp", 17) == 0 &&
		   (text[17] == '\0' || text[17] == '(')) {
		lit->kind = RT_LITERAL_NOW;
		lit->text = "now";
	} else {
		const char *expr = text;
		size_t len = strlen(expr);
		/* MariaDB wraps an expression default in parentheses. */
		char *inner = NULL;
		if (len > 2 && expr[0] == '(' && expr[len - 1] == ')')
			inner = rt__arena_strndup(arena, expr + 1, len - 2);
		lit->kind = RT_LITERAL_SQL;
		lit->text = rt__mariadb_expression_text(arena, inner ? inner : expr);
		if (lit->text)
			lit->text = unqualified(arena, lit->text, database);
	}
	return lit->text ? RT_OK : rt__error_nomem();
}
