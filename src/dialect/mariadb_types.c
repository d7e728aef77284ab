/*
 * mariadb_types.c - the schema language's types as MariaDB spells them,
 * and what of a schema MariaDB cannot keep apart (canonicalize).
 *
 * Tables are InnoDB in utf8mb4 (the server's defaults, which retort's
 * test server and docs/mariadb.md ask for). The choices:
 *   bool         BOOLEAN, which MariaDB makes TINYINT(1)
 *   real         FLOAT; double DOUBLE
 *   numeric(p,s) DECIMAL(p,s); numeric without precision DECIMAL(65,30),
 *                the widest MariaDB has (it has no unbounded DECIMAL)
 *   string(n)    VARCHAR(n); string without length LONGTEXT (a VARCHAR
 *                must have a length), which reads back as text
 *   text, blob   LONGTEXT, LONGBLOB (up to 4 GB, as on the other backends)
 *   time         TIME(6); timestamp DATETIME(6), microseconds kept
 *   timestamptz  TIMESTAMP(6): MariaDB stores it as UTC and converts from
 *                and to the session's time zone, which retort sets to UTC,
 *                so the values read are the UTC text retort binds. Its
 *                range is 1970-01-01 to 2038-01-19 UTC; a value outside is
 *                refused by the server (strict mode), never changed.
 *   uuid         CHAR(32), the 32 hex digits the ORM binds, as SQLAlchemy
 *                stores a Uuid on MariaDB (MariaDB's own UUID type wants
 *                the hyphens); CHAR(32) reads back as uuid
 *   json         JSON (LONGTEXT with a json_valid CHECK)
 *   enum         ENUM('a', 'b') in the column itself: MariaDB has no
 *                enum type object
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dialect/mariadb.h"
#include "schema/naming.h"

/* The widest DECIMAL: what an unconstrained numeric becomes. */
enum { WIDEST_PRECISION = 65, WIDEST_SCALE = 30 };

static const rt_enum *enum_of(const rt_schema *schema, const rt_type *type)
{
	if (type->enum_type)
		return type->enum_type;
	return schema && type->enum_name ? rt__schema_find_enum(schema, type->enum_name) : NULL;
}

void rt__mariadb_column_type(rt_buf *buf, const rt_schema *schema, const rt_table *table,
			     const rt_column *column)
{
	(void)table;
	const rt_type *type = &column->type;
	switch (type->kind) {
	case RT_TYPE_SMALLINT: rt__buf_puts(buf, "SMALLINT"); break;
	case RT_TYPE_INT: rt__buf_puts(buf, "INT"); break;
	case RT_TYPE_BIGINT: rt__buf_puts(buf, "BIGINT"); break;
	case RT_TYPE_BOOL: rt__buf_puts(buf, "BOOLEAN"); break;
	case RT_TYPE_REAL: rt__buf_puts(buf, "FLOAT"); break;
	case RT_TYPE_DOUBLE: rt__buf_puts(buf, "DOUBLE"); break;
	case RT_TYPE_NUMERIC:
		if (type->precision)
			rt__buf_printf(buf, "DECIMAL(%d,%d)", type->precision, type->scale);
		else
			rt__buf_printf(buf, "DECIMAL(%d,%d)", WIDEST_PRECISION, WIDEST_SCALE);
		break;
	case RT_TYPE_STRING:
		if (type->length)
			rt__buf_printf(buf, "VARCHAR(%d)", type->length);
		else
			rt__buf_puts(buf, "LONGTEXT");
		break;
	case RT_TYPE_CHAR: rt__buf_printf(buf, "CHAR(%d)", type->length); break;
	case RT_TYPE_TEXT: rt__buf_puts(buf, "LONGTEXT"); break;
	case RT_TYPE_BLOB: rt__buf_puts(buf, "LONGBLOB"); break;
	case RT_TYPE_DATE: rt__buf_puts(buf, "DATE"); break;
	case RT_TYPE_TIME: rt__buf_puts(buf, "TIME(6)"); break;
	case RT_TYPE_TIMESTAMP: rt__buf_puts(buf, "DATETIME(6)"); break;
	case RT_TYPE_TIMESTAMPTZ: rt__buf_puts(buf, "TIMESTAMP(6)"); break;
	case RT_TYPE_UUID: rt__buf_puts(buf, "CHAR(32)"); break;
	case RT_TYPE_JSON: rt__buf_puts(buf, "JSON"); break;
	case RT_TYPE_ENUM: {
		const rt_enum *e = enum_of(schema, type);
		rt__buf_puts(buf, "ENUM(");
		for (size_t i = 0; e && i < e->value_count; i++) {
			if (i)
				rt__buf_puts(buf, ", ");
			/* The session has NO_BACKSLASH_ESCAPES: '' is the only escape. */
			rt__buf_put_sql_string(buf, e->values[i]);
		}
		rt__buf_putc(buf, ')');
		/* An enum with no values cannot be declared: ENUM() is a syntax
		 * error the server reports, naming the column. */
		break;
	}
	case RT_TYPE_SQL:
		/* The user's own SQL, as written, like a check's expression. */
		rt__buf_puts(buf, type->sql ? type->sql : "");
		break;
	}
}

void rt__mariadb_type_read(rt_type *type, const char *spelling)
{
	int a = 0, b = 0;
	char rest[8];
	*type = (rt_type){.kind = RT_TYPE_SQL, .sql = spelling};
	if (strcmp(spelling, "tinyint(1)") == 0)
		type->kind = RT_TYPE_BOOL;
	else if (sscanf(spelling, "smallint(%d%1[)]%c", &a, rest, rest + 1) == 2)
		type->kind = RT_TYPE_SMALLINT;
	else if (sscanf(spelling, "int(%d%1[)]%c", &a, rest, rest + 1) == 2)
		type->kind = RT_TYPE_INT;
	else if (sscanf(spelling, "bigint(%d%1[)]%c", &a, rest, rest + 1) == 2)
		type->kind = RT_TYPE_BIGINT;
	else if (strcmp(spelling, "float") == 0)
		type->kind = RT_TYPE_REAL;
	else if (strcmp(spelling, "double") == 0)
		type->kind = RT_TYPE_DOUBLE;
	else if (sscanf(spelling, "decimal(%d,%d%1[)]%c", &a, &b, rest, rest + 1) == 3)
		*type = (rt_type){.kind = RT_TYPE_NUMERIC, .precision = a, .scale = b};
	else if (sscanf(spelling, "varchar(%d%1[)]%c", &a, rest, rest + 1) == 2)
		*type = (rt_type){.kind = RT_TYPE_STRING, .length = a};
	else if (strcmp(spelling, "longtext") == 0)
		type->kind = RT_TYPE_TEXT;
	else if (strcmp(spelling, "longblob") == 0)
		type->kind = RT_TYPE_BLOB;
	else if (strcmp(spelling, "date") == 0)
		type->kind = RT_TYPE_DATE;
	else if (strcmp(spelling, "time(6)") == 0)
		type->kind = RT_TYPE_TIME;
	else if (strcmp(spelling, "datetime(6)") == 0)
		type->kind = RT_TYPE_TIMESTAMP;
	else if (strcmp(spelling, "timestamp(6)") == 0)
		type->kind = RT_TYPE_TIMESTAMPTZ;
	else if (strcmp(spelling, "char(32)") == 0 || strcmp(spelling, "uuid") == 0)
		type->kind = RT_TYPE_UUID; /* how uuid is declared here: char(32) is uuid */
	else if (sscanf(spelling, "char(%d%1[)]%c", &a, rest, rest + 1) == 2)
		*type = (rt_type){.kind = RT_TYPE_CHAR, .length = a};
}

/* Takes word off the end of text (n its length), if it ends so. */
static bool strip_word(char *text, size_t *n, const char *word)
{
	size_t len = strlen(word);
	if (*n < len || strcmp(text + *n - len, word) != 0)
		return false;
	*n -= len;
	text[*n] = '\0';
	return true;
}

/* A user's spelling of a type brought to COLUMN_TYPE's, without its
 * spaces: lower case, synonyms resolved (character(3) -> char(3),
 * numeric -> decimal), the display width MariaDB gives an integer type
 * (int(11), or int(10) when unsigned) and YEAR, UNSIGNED and ZEROFILL
 * after the width ("INT UNSIGNED" -> int(10)unsigned, as
 * "int(10) unsigned" becomes). NULL when memory runs out. */
const char *rt__mariadb_type_spelling(rt_arena *arena, const char *text)
{
	char lower[256];
	size_t n = 0;
	for (const char *p = text; *p && n + 1 < sizeof(lower); p++)
		if (!isspace((unsigned char)*p))
			lower[n++] = (char)tolower((unsigned char)*p);
	lower[n] = '\0';
	/* ZEROFILL makes a column UNSIGNED too; either order is taken. */
	bool zerofill = false, is_unsigned = false;
	for (bool more = true; more;) {
		more = false;
		if (strip_word(lower, &n, "zerofill"))
			more = zerofill = true;
		if (strip_word(lower, &n, "unsigned"))
			more = is_unsigned = true;
	}
	is_unsigned = is_unsigned || zerofill;
	static const struct {
		const char *from, *to, *to_unsigned;
	} synonyms[] = {
		{"charactervarying(", "varchar(", NULL},
		{"character(", "char(", NULL},
		{"numeric(", "decimal(", NULL},
		{"dec(", "decimal(", NULL},
		{"boolean", "tinyint(1)", NULL},
		{"bool", "tinyint(1)", NULL},
		{"integer", "int(11)", "int(10)"},
		{"int", "int(11)", "int(10)"},
		{"smallint", "smallint(6)", "smallint(5)"},
		{"bigint", "bigint(20)", "bigint(20)"},
		{"tinyint", "tinyint(4)", "tinyint(3)"},
		{"mediumint", "mediumint(9)", "mediumint(8)"},
		{"integer(", "int(", NULL},
		{"year", "year(4)", NULL},
		{"doubleprecision", "double", NULL},
		{"real", "double", NULL},
	};
	char base[300];
	snprintf(base, sizeof(base), "%s", lower);
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++) {
		size_t len = strlen(synonyms[i].from);
		bool prefix = synonyms[i].from[len - 1] == '(';
		if (prefix ? strncmp(lower, synonyms[i].from, len) == 0
			   : strcmp(lower, synonyms[i].from) == 0) {
			const char *to = is_unsigned && synonyms[i].to_unsigned
						 ? synonyms[i].to_unsigned
						 : synonyms[i].to;
			snprintf(base, sizeof(base), "%s%s", to, lower + len);
			break;
		}
	}
	return rt__arena_printf(arena, "%s%s%s", base, is_unsigned ? "unsigned" : "",
				zerofill ? "zerofill" : "");
}

/* What MariaDB cannot tell apart or keeps in its own form, so that a
 * schema compares equal to what reflection reads back (mariadb_reflect.c):
 * an unbounded string is LONGTEXT, which is text; char(32) is uuid's
 * CHAR(32); a generated column is nullable; collation names are lower
 * case; an unconstrained
 * numeric is the widest DECIMAL; a verbatim type is spelled as
 * information_schema spells it (sql 'varchar(20)' is string(20),
 * sql 'character(3)' is char(3)); a primary key is named PRIMARY (read as
 * the default name); a unique index is a unique constraint; RESTRICT is
 * NO ACTION; number defaults are plain decimals; a time default keeps no
 * zero fraction; a column's collation equal to its table's `collate` is
 * none (information_schema cannot tell a column's own from the table's). */
void rt__mariadb_canonicalize(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_column *column = table->columns[c];
			rt_type *type = &column->type;
			const char *spelling = type->kind == RT_TYPE_SQL && type->sql
						       ? rt__mariadb_type_spelling(schema->arena, type->sql)
						       : NULL;
			if (spelling)
				rt__mariadb_type_read(type, spelling);
			if (type->kind == RT_TYPE_STRING && type->length == 0) {
				type->kind = RT_TYPE_TEXT;
			} else if (type->kind == RT_TYPE_CHAR && type->length == 32) {
				/* uuid is CHAR(32) here: the two read back alike */
				*type = (rt_type){.kind = RT_TYPE_UUID};
			} else if (type->kind == RT_TYPE_NUMERIC && type->precision == 0) {
				type->precision = WIDEST_PRECISION;
				type->scale = WIDEST_SCALE;
			}
			/* No NOT NULL for a generated column here. */
			if (column->generated)
				column->nullable = true;
			rt_literal *lit = &column->server_default;
			if (lit->kind == RT_LITERAL_NUMBER && lit->text) {
				const char *text = rt__mariadb_canonical_number(schema->arena, lit->text);
				if (text)
					lit->text = text;
			} else if (lit->kind == RT_LITERAL_STRING && lit->text &&
				   (type->kind == RT_TYPE_TIME || type->kind == RT_TYPE_TIMESTAMP ||
				    type->kind == RT_TYPE_TIMESTAMPTZ)) {
				char *text = rt__arena_strdup(schema->arena, lit->text);
				if (text) {
					rt__mariadb_trim_zero_fraction(text);
					lit->text = text;
				}
			}
		}
		if (table->primary_key) {
			const char *name = rt__name_primary_key(schema->arena, table->name);
			if (name)
				table->primary_key->name = name;
		}
		for (size_t i = 0; i < table->constraint_count; i++) {
			rt_constraint *c = table->constraints[i];
			if (c->on_delete == RT_FK_RESTRICT)
				c->on_delete = RT_FK_NO_ACTION;
			if (c->on_update == RT_FK_RESTRICT)
				c->on_update = RT_FK_NO_ACTION;
		}
	}
	/* Collation names in lower case, as information_schema has them. */
	rt__schema_lower_collations(schema);
	for (size_t t = 0; t < schema->table_count; t++) {
		const rt_table *table = schema->tables[t];
		for (size_t c = 0; table->collation && c < table->column_count; c++)
			if (table->columns[c]->collation &&
			    strcmp(table->columns[c]->collation, table->collation) == 0)
				table->columns[c]->collation = NULL;
	}
	/* Out of memory leaves the unique indexes as they are: the schema
	 * then compares unequal, which is said, never hidden. */
	(void)rt__mariadb_unique_indexes_as_keys(schema);
}
