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
 *   uuid         UUID (MariaDB 10.7 and later)
 *   json         JSON (LONGTEXT with a json_valid CHECK)
 *   enum         ENUM('a', 'b') in the column itself: MariaDB has no
 *                enum type object
 */
#include <string.h>

#include "dialect/mariadb.h"

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
	case RT_TYPE_TEXT: rt__buf_puts(buf, "LONGTEXT"); break;
	case RT_TYPE_BLOB: rt__buf_puts(buf, "LONGBLOB"); break;
	case RT_TYPE_DATE: rt__buf_puts(buf, "DATE"); break;
	case RT_TYPE_TIME: rt__buf_puts(buf, "TIME(6)"); break;
	case RT_TYPE_TIMESTAMP: rt__buf_puts(buf, "DATETIME(6)"); break;
	case RT_TYPE_TIMESTAMPTZ: rt__buf_puts(buf, "TIMESTAMP(6)"); break;
	case RT_TYPE_UUID: rt__buf_puts(buf, "UUID"); break;
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

/* What MariaDB cannot tell apart: an unbounded string is LONGTEXT, which
 * is text; an unconstrained numeric is the widest DECIMAL. */
void rt__mariadb_canonicalize(rt_schema *schema)
{
	for (size_t t = 0; t < schema->table_count; t++) {
		rt_table *table = schema->tables[t];
		for (size_t c = 0; c < table->column_count; c++) {
			rt_type *type = &table->columns[c]->type;
			if (type->kind == RT_TYPE_STRING && type->length == 0) {
				type->kind = RT_TYPE_TEXT;
			} else if (type->kind == RT_TYPE_NUMERIC && type->precision == 0) {
				type->precision = WIDEST_PRECISION;
				type->scale = WIDEST_SCALE;
			}
		}
	}
}
