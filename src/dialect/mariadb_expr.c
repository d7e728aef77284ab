/*
 * mariadb_expr.c - an expression as MariaDB prints it back (a check's
 * clause, a default), brought to the schema language's spelling, so that
 * what is read can be declared again and compares equal to what was
 * declared:
 *   - an identifier in backticks (or double quotes) loses its quotes when
 *     it is a plain lower-case name that is not one of MariaDB's reserved
 *     words; any other keeps them, as double quotes (every connection runs
 *     with ANSI_QUOTES, docs/mariadb.md), so `from` and `userId` stay
 *     identifiers when the text is run again;
 *   - functions MariaDB prints under another of their names get the name
 *     the other backends know (lcase -> lower).
 * String literals are copied as they are. Numbers and times in defaults
 * get one spelling each (rt__mariadb_canonical_number,
 * rt__mariadb_trim_zero_fraction), the same for what is read and what a
 * schema declares.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/number.h"
#include "dialect/mariadb.h"

/* MariaDB's reserved words (its documentation's list, with those reserved
 * only under sql_mode=ORACLE: quoting a word that needs no quotes changes
 * nothing, while a reserved word left bare is a syntax error), sorted for
 * bsearch. */
static const char *const reserved_words[] = {
	"accessible", "add", "all", "alter", "analyze", "and", "as", "asc", "asensitive",
	"before", "between", "bigint", "binary", "blob", "body", "both", "by", "call",
	"cascade", "case", "change", "char", "character", "check", "collate", "column",
	"condition", "constraint", "continue", "convert", "create", "cross", "current_date",
	"current_role", "current_time", "current_timestamp", "current_user", "cursor",
	"database", "databases", "day_hour", "day_microsecond", "day_minute", "day_second",
	"dec", "decimal", "declare", "default", "delayed", "delete", "delete_domain_id",
	"desc", "describe", "deterministic", "distinct", "distinctrow", "div", "do_domain_ids",
	"double", "drop", "dual", "each", "else", "elseif", "elsif", "enclosed", "escaped",
	"except", "exists", "exit", "explain", "false", "fetch", "float", "float4", "float8",
	"for", "force", "foreign", "from", "fulltext", "general", "goto", "grant", "group",
	"having", "high_priority", "history", "hour_microsecond", "hour_minute",
	"hour_second", "if", "ignore", "ignore_domain_ids", "ignore_server_ids", "in",
	"index", "infile", "inner", "inout", "insensitive", "insert", "int", "int1", "int2",
	"int3", "int4", "int8", "integer", "intersect", "interval", "into", "is", "iterate",
	"join", "key", "keys", "kill", "leading", "leave", "left", "like", "limit", "linear",
	"lines", "load", "localtime", "localtimestamp", "lock", "long", "longblob",
	"longtext", "loop", "low_priority", "master_heartbeat_period",
	"master_ssl_verify_server_cert", "match", "maxvalue", "mediumblob", "mediumint",
	"mediumtext", "middleint", "minute_microsecond", "minute_second", "mod", "modifies",
	"natural", "no_write_to_binlog", "not", "null", "numeric", "offset", "on",
	"optimize", "option", "optionally", "or", "order", "others", "out", "outer",
	"outfile", "over", "package", "page_checksum", "parse_vcol_expr", "partition",
	"period", "position", "precision", "primary", "procedure", "purge", "raise", "range",
	"read", "read_write", "reads", "real", "recursive", "ref_system_id", "references",
	"regexp", "release", "rename", "repeat", "replace", "require", "resignal",
	"restrict", "return", "returning", "revoke", "right", "rlike", "row_number", "rows",
	"rowtype", "schema", "schemas", "second_microsecond", "select", "sensitive",
	"separator", "set", "show", "signal", "slow", "smallint", "spatial", "specific",
	"sql", "sql_big_result", "sql_calc_found_rows", "sql_small_result", "sqlexception",
	"sqlstate", "sqlwarning", "ssl", "starting", "stats_auto_recalc", "stats_persistent",
	"stats_sample_pages", "straight_join", "system", "system_time", "table",
	"terminated", "then", "tinyblob", "tinyint", "tinytext", "to", "trailing", "trigger",
	"true", "undo", "union", "unique", "unlock", "unsigned", "update", "usage", "use",
	"using", "utc_date", "utc_time", "utc_timestamp", "values", "varbinary", "varchar",
	"varcharacter", "varying", "versioning", "when", "where", "while", "window", "with",
	"without", "write", "xor", "year_month", "zerofill",
};

static int compare_word(const void *key, const void *item)
{
	return strcmp(key, *(const char *const *)item);
}

bool rt__mariadb_is_reserved(const char *word, size_t len)
{
	char lower[64];
	if (len == 0 || len >= sizeof(lower))
		return false; /* no reserved word is that long */
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)word[i]);
	lower[len] = '\0';
	return bsearch(lower, reserved_words, sizeof(reserved_words) / sizeof(reserved_words[0]),
		       sizeof(reserved_words[0]), compare_word) != NULL;
}

/* A name that reads the same without quotes: lower case, digits and _,
 * not starting with a digit, and not a reserved word. */
static bool is_plain_ident(const char *s, size_t len)
{
	if (len == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return !rt__mariadb_is_reserved(s, len);
}

/* Functions MariaDB prints under another of their names. */
typedef struct function_name {
	const char *mariadb, *language;
} function_name;

static const function_name renamed_functions[] = {
	{"lcase(", "lower("},
	{"ucase(", "upper("},
	{"octet_length(", "length("}, /* MariaDB's length() counts bytes */
};

static const function_name *renamed_function(const char *p)
{
	for (size_t i = 0; i < sizeof(renamed_functions) / sizeof(renamed_functions[0]); i++)
		if (strncasecmp(p, renamed_functions[i].mariadb,
				strlen(renamed_functions[i].mariadb)) == 0)
			return &renamed_functions[i];
	return NULL;
}

/* Appends the identifier between start and end, quoted with quote and
 * its quote characters doubled, as a double-quoted identifier. */
static void put_double_quoted(rt_buf *out, const char *start, const char *end, char quote)
{
	rt__buf_putc(out, '"');
	for (const char *p = start; p < end; p++) {
		if (*p == quote && p + 1 < end && p[1] == quote)
			p++; /* a doubled quote of the original quoting */
		if (*p == '"')
			rt__buf_putc(out, '"');
		rt__buf_putc(out, *p);
	}
	rt__buf_putc(out, '"');
}

const char *rt__mariadb_expression_text(rt_arena *arena, const char *expr)
{
	rt_buf out = RT_BUF_INIT;
	const function_name *renamed;
	if (!arena || !expr)
		return NULL;
	for (const char *p = expr; *p;) {
		if (*p == '\'') {
			const char *start = p++;
			while (*p && !(*p == '\'' && p[1] != '\'')) {
				if (*p == '\'')
					p++;
				p++;
			}
			if (*p)
				p++;
			rt__buf_put(&out, start, (size_t)(p - start));
		} else if (*p == '`' || *p == '"') {
			/* An identifier: backticks, or double quotes (ANSI_QUOTES). */
			char quote = *p;
			const char *start = p + 1, *end = start;
			while (*end && !(*end == quote && end[1] != quote))
				end += *end == quote ? 2 : 1;
			size_t len = (size_t)(end - start);
			if (is_plain_ident(start, len))
				rt__buf_put(&out, start, len);
			else
				put_double_quoted(&out, start, end, quote);
			p = *end ? end + 1 : end;
		} else if ((p == expr || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
			   (renamed = renamed_function(p)) != NULL) {
			rt__buf_puts(&out, renamed->language);
			p += strlen(renamed->mariadb);
		} else {
			rt__buf_putc(&out, *p++);
		}
	}
	const char *text = rt__arena_strdup(arena, rt__buf_cstr(&out));
	rt__buf_free(&out);
	return text;
}

/* --- numbers and times ---------------------------------------------------- */

/*
 * A number literal in its canonical form: plain decimal notation, no
 * leading zeros, no trailing zeros after the point, no point without
 * digits after it ("007" -> "7", "1.5e3" -> "1500", "-120.000" -> "-120",
 * "0.250" -> "0.25"). MariaDB prints a DECIMAL default with all its scale
 * digits and a DOUBLE default in plain notation; both sides of a
 * comparison go through this. NULL when text is not a plain number.
 */
const char *rt__mariadb_canonical_number(rt_arena *arena, const char *text)
{
	rt_number_parts num;
	if (!rt__number_parse(arena, text, 400, &num))
		return NULL;
	bool negative = num.negative;
	const char *digits = num.digits;
	size_t ndigits = num.count;
	long point = num.point;
	/* Drop leading zeros (moving the point) and trailing zeros. */
	size_t first = 0;
	while (first < ndigits && digits[first] == '0') {
		first++;
		point--;
	}
	size_t last = ndigits;
	while (last > first && digits[last - 1] == '0')
		last--;
	if (first == last)
		return rt__arena_strdup(arena, "0");
	/* Exactly what the text needs, at most: a sign, "0." or the point,
	 * the zeros the point adds (|point| <= 400 + the digits) and the
	 * digits. Not the worst case for every number: a 10,000-table
	 * database has 10,000 "0" defaults, each read here. */
	size_t zeros = point < 0 ? (size_t)-point : (size_t)point;
	char *out = rt__arena_alloc(arena, 4 + zeros + (last - first));
	if (!out)
		return NULL;
	size_t n = 0;
	if (negative)
		out[n++] = '-';
	if (point <= 0) {
		out[n++] = '0';
		out[n++] = '.';
		for (long i = point; i < 0; i++)
			out[n++] = '0';
		for (size_t i = first; i < last; i++)
			out[n++] = digits[i];
	} else {
		for (long i = 0; i < point; i++) {
			size_t at = first + (size_t)i;
			out[n++] = at < last ? digits[at] : '0';
		}
		if (first + (size_t)point < last) {
			out[n++] = '.';
			for (size_t i = first + (size_t)point; i < last; i++)
				out[n++] = digits[i];
		}
	}
	out[n] = '\0';
	return out;
}

/* A time or datetime default keeps the column's six fractional digits:
 * "12:00:00.000000" is the "12:00:00" the schema wrote. */
void rt__mariadb_trim_zero_fraction(char *value)
{
	char *dot = strrchr(value, '.');
	if (dot && dot[1] && strspn(dot + 1, "0") == strlen(dot + 1))
		*dot = '\0';
}
