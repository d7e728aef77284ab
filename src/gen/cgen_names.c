/*
 * cgen_names.c - C names and C text for the code generator (cgen_impl.h):
 * schema types as C types, identifiers made from schema names, keywords
 * escaped, string literals and comments written safely, and the registry
 * that turns two things with one C name into an error.
 */
#include <string.h>

#include "base/error.h"
#include "gen/cgen_impl.h"

/* --- types ------------------------------------------------------------------- */

/* A type that is no array: no element (cg_type.element). */
#define SCALAR(kind, c_type, opt_type, handle, key) {kind, c_type, opt_type, handle, key, NULL, NULL}
static const cg_type types[] = {
	[RT_TYPE_SMALLINT] = SCALAR("RT_FIELD_INT16", "int16_t", "rt_opt_int16", "rt_int_column", "rt_int"),
	[RT_TYPE_INT] = SCALAR("RT_FIELD_INT32", "int32_t", "rt_opt_int32", "rt_int_column", "rt_int"),
	[RT_TYPE_BIGINT] = SCALAR("RT_FIELD_INT64", "int64_t", "rt_opt_int64", "rt_int_column", "rt_int"),
	[RT_TYPE_BOOL] = SCALAR("RT_FIELD_BOOL", "bool", "rt_opt_bool", "rt_bool_column", "rt_bool"),
	[RT_TYPE_REAL] = SCALAR("RT_FIELD_FLOAT", "float", "rt_opt_float", "rt_real_column", "rt_double"),
	[RT_TYPE_DOUBLE] = SCALAR("RT_FIELD_DOUBLE", "double", "rt_opt_double", "rt_real_column",
			    "rt_double"),
	[RT_TYPE_NUMERIC] = SCALAR("RT_FIELD_NUMERIC", "const char *", NULL, "rt_numeric_column",
			     "rt_numeric"),
	[RT_TYPE_STRING] = SCALAR("RT_FIELD_TEXT", "const char *", NULL, "rt_text_column", "rt_text"),
	/* char(n) as the database hands it back: PostgreSQL pads it with
	 * blanks to n characters, MariaDB and SQLite do not. */
	[RT_TYPE_CHAR] = SCALAR("RT_FIELD_TEXT", "const char *", NULL, "rt_text_column", "rt_text"),
	[RT_TYPE_TEXT] = SCALAR("RT_FIELD_TEXT", "const char *", NULL, "rt_text_column", "rt_text"),
	[RT_TYPE_BLOB] = SCALAR("RT_FIELD_BLOB", "rt_bytes", NULL, "rt_blob_column", "rt_blob_bytes"),
	[RT_TYPE_DATE] = SCALAR("RT_FIELD_DATE", "rt_date", "rt_opt_date", "rt_date_column",
			  "rt_date_value"),
	[RT_TYPE_TIME] = SCALAR("RT_FIELD_TIME", "rt_time", "rt_opt_time", "rt_time_column",
			  "rt_time_value"),
	[RT_TYPE_TIMESTAMP] = SCALAR("RT_FIELD_TIMESTAMP", "rt_timestamp", "rt_opt_timestamp",
			       "rt_timestamp_column", "rt_timestamp_value"),
	[RT_TYPE_TIMESTAMPTZ] = SCALAR("RT_FIELD_TIMESTAMPTZ", "rt_timestamp", "rt_opt_timestamp",
				 "rt_timestamptz_column", "rt_timestamptz_value"),
	[RT_TYPE_UUID] = SCALAR("RT_FIELD_UUID", "rt_uuid", "rt_opt_uuid", "rt_uuid_column",
			  "rt_uuid_value"),
	[RT_TYPE_JSON] = SCALAR("RT_FIELD_JSON", "const char *", NULL, "rt_json_column", "rt_json"),
	[RT_TYPE_ENUM] = SCALAR("RT_FIELD_ENUM", NULL, NULL, "rt_enum_column", "rt_enum_value"),
	/* A verbatim type travels as the text the database reads and prints
	 * (tsvector, bytea[], int4range, a domain): docs/schema-language.md. */
	[RT_TYPE_SQL] = SCALAR("RT_FIELD_TEXT", "const char *", NULL, "rt_text_column", "rt_text"),
};

/* Arrays, by element type: a struct of the items and their number
 * (retort/orm.h); text-like elements are strings, NULL for a NULL
 * element. No array of blob (validation refuses it) or of a verbatim
 * type (written inside its quotes, so text). */
#define ARRAY_OF(c_struct, element, item) \
	{"RT_FIELD_ARRAY", c_struct, NULL, "rt_array_column", NULL, element, item}
static const cg_type array_types[] = {
	[RT_TYPE_SMALLINT] = ARRAY_OF("rt_int16_array", "RT_FIELD_INT16", "int16_t"),
	[RT_TYPE_INT] = ARRAY_OF("rt_int32_array", "RT_FIELD_INT32", "int32_t"),
	[RT_TYPE_BIGINT] = ARRAY_OF("rt_int64_array", "RT_FIELD_INT64", "int64_t"),
	[RT_TYPE_BOOL] = ARRAY_OF("rt_bool_array", "RT_FIELD_BOOL", "bool"),
	[RT_TYPE_REAL] = ARRAY_OF("rt_float_array", "RT_FIELD_FLOAT", "float"),
	[RT_TYPE_DOUBLE] = ARRAY_OF("rt_double_array", "RT_FIELD_DOUBLE", "double"),
	[RT_TYPE_NUMERIC] = ARRAY_OF("rt_text_array", "RT_FIELD_NUMERIC", "const char *"),
	[RT_TYPE_STRING] = ARRAY_OF("rt_text_array", "RT_FIELD_TEXT", "const char *"),
	[RT_TYPE_CHAR] = ARRAY_OF("rt_text_array", "RT_FIELD_TEXT", "const char *"),
	[RT_TYPE_TEXT] = ARRAY_OF("rt_text_array", "RT_FIELD_TEXT", "const char *"),
	[RT_TYPE_DATE] = ARRAY_OF("rt_date_array", "RT_FIELD_DATE", "rt_date"),
	[RT_TYPE_TIME] = ARRAY_OF("rt_time_array", "RT_FIELD_TIME", "rt_time"),
	[RT_TYPE_TIMESTAMP] = ARRAY_OF("rt_timestamp_array", "RT_FIELD_TIMESTAMP",
				       "rt_timestamp"),
	[RT_TYPE_TIMESTAMPTZ] = ARRAY_OF("rt_timestamp_array", "RT_FIELD_TIMESTAMPTZ",
					 "rt_timestamp"),
	[RT_TYPE_UUID] = ARRAY_OF("rt_uuid_array", "RT_FIELD_UUID", "rt_uuid"),
	[RT_TYPE_JSON] = ARRAY_OF("rt_text_array", "RT_FIELD_JSON", "const char *"),
	[RT_TYPE_ENUM] = ARRAY_OF("rt_enum_array", "RT_FIELD_ENUM", NULL),
};
#undef ARRAY_OF

const cg_type *rt__cg_type(const rt_type *type)
{
	const cg_type *table = type->array ? array_types : types;
	size_t count = type->array ? sizeof(array_types) / sizeof(array_types[0])
				   : sizeof(types) / sizeof(types[0]);
	if ((size_t)type->kind >= count || !table[type->kind].kind)
		return NULL;
	return &table[type->kind];
}

/* --- identifiers ------------------------------------------------------------- */

/* Names a member or parameter cannot have: C11 and C23 keywords, and the
 * macros of the standard headers that retort.h includes or that every C
 * program has at hand (a member called `bool` or `NULL` would not compile). */
static const char *const reserved[] = {
	"_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex", "_Decimal128",
	"_Decimal32", "_Decimal64", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
	"_Thread_local", "alignas", "alignof", "asm", "assert", "auto", "bool", "break", "case",
	"char", "complex", "const", "constexpr", "continue", "default", "do", "double", "else",
	"enum", "errno", "extern", "false", "float", "for", "goto", "if", "imaginary", "inline",
	"int", "linux", "long", "noreturn", "nullptr", "offsetof", "register", "restrict",
	"return", "short", "signed", "sizeof", "static", "static_assert", "stderr", "stdin",
	"stdout", "struct", "switch", "thread_local", "true", "typedef", "typeof",
	"typeof_unqual", "union", "unix", "unsigned", "void", "volatile", "while", "EOF", "NULL",
};

bool rt__cg_is_reserved(const char *name)
{
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(reserved[i], name) == 0)
			return true;
	return false;
}

const char *rt__cg_escape(rt_arena *arena, const char *name)
{
	return rt__cg_is_reserved(name) ? rt__arena_printf(arena, "%s_", name) : name;
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

bool rt__cgen_is_identifier(const char *name)
{
	if (!name || !is_alpha((unsigned char)*name))
		return false;
	for (const char *p = name; *p; p++)
		if (!is_alpha((unsigned char)*p) && !is_digit((unsigned char)*p))
			return false;
	return !rt__cg_is_reserved(name);
}

/* text with each run of a character that cannot be in an identifier (one
 * per UTF-8 character: continuation bytes add nothing) turned into '_'. */
char *rt__cg_identifier(rt_arena *arena, const char *text)
{
	size_t len = strlen(text);
	char *out = rt__arena_alloc(arena, len + 2);
	if (!out)
		return NULL;
	char *o = out;
	if (is_digit((unsigned char)*text))
		*o++ = '_';
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (is_alpha(*p) || is_digit(*p))
			*o++ = (char)*p;
		else if ((*p & 0xC0) != 0x80)
			*o++ = '_';
	}
	*o = '\0';
	return out;
}

char *rt__cg_upper_snake(rt_arena *arena, const char *text)
{
	const char *ident = rt__cg_identifier(arena, text);
	if (!ident)
		return NULL;
	size_t len = strlen(ident);
	char *out = rt__arena_alloc(arena, 2 * len + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)ident[i];
		if (is_upper(c) && i > 0 && ident[i - 1] != '_') {
			unsigned char prev = (unsigned char)ident[i - 1];
			unsigned char next = (unsigned char)ident[i + 1];
			/* A word starts at a capital after a lower-case letter or
			 * a digit (cartItem), or at the last capital of an acronym
			 * followed by a lower-case letter (HTTPServer). */
			if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && is_lower(next)))
				*o++ = '_';
		}
		*o++ = is_lower(c) ? (char)(c - 'a' + 'A') : (char)c;
	}
	*o = '\0';
	return out;
}

/* --- C text ------------------------------------------------------------------ */

void rt__cg_put_string(rt_buf *out, const char *text)
{
	if (!text) {
		rt__buf_puts(out, "NULL");
		return;
	}
	rt__buf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		unsigned char c = *p;
		if (c == '"' || c == '\\')
			rt__buf_printf(out, "\\%c", c);
		else if (c == '\n')
			rt__buf_puts(out, "\\n");
		else if (c == '\t')
			rt__buf_puts(out, "\\t");
		else if (c == '?' && p[1] == '?')
			rt__buf_puts(out, "?\\"); /* ?\? : never a trigraph */
		else if (c < 0x20 || c >= 0x7f)
			/* Octal, always three digits, so a digit after it
			 * stays a digit of the text. */
			rt__buf_printf(out, "\\%03o", c);
		else
			rt__buf_putc(out, (char)c);
	}
	rt__buf_putc(out, '"');
}

void rt__cg_put_comment_text(rt_buf *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\n' || *p == '\r')
			rt__buf_putc(out, ' ');
		else if (*p == '*' && p[1] == '/')
			rt__buf_puts(out, "* "); /* the '/' follows a space */
		else if (*p == '/' && p[1] == '*')
			rt__buf_puts(out, "/ ");
		else
			rt__buf_putc(out, *p);
	}
}

/* --- the registry of C names ------------------------------------------------ */

/* Upper-case names the standard headers define as macros, which a
 * generated constant must not be: `enum Size { max }` would give
 * SIZE_MAX. The <stdint.h> limits and constant macros follow a pattern;
 * the rest, from the headers a C program most often includes, are listed. */
static bool is_stdint_macro(const char *name)
{
	static const char *const other[] = {
		"SIZE_MAX",  "PTRDIFF_MAX", "PTRDIFF_MIN",    "WCHAR_MAX",
		"WCHAR_MIN", "WINT_MAX",    "WINT_MIN",       "SIG_ATOMIC_MAX",
		"SIG_ATOMIC_MIN",
	};
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (strcmp(other[i], name) == 0)
			return true;
	/* [U]INT{N,_LEASTN,_FASTN,PTR,MAX}_{MAX,MIN,C} */
	const char *p = name;
	if (*p == 'U')
		p++;
	if (strncmp(p, "INT", 3) != 0)
		return false;
	p += 3;
	if (strncmp(p, "_LEAST", 6) == 0)
		p += 6;
	else if (strncmp(p, "_FAST", 5) == 0)
		p += 5;
	if (strncmp(p, "PTR", 3) == 0 || strncmp(p, "MAX", 3) == 0) {
		p += 3;
	} else {
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return strcmp(p, "_MAX") == 0 || strcmp(p, "_MIN") == 0 || strcmp(p, "_C") == 0;
}

static const char *const library_macros[] = {
	"BUFSIZ", "CHAR_BIT", "CHAR_MAX", "CHAR_MIN", "CLOCKS_PER_SEC", "EOF", "EXIT_FAILURE",
	"EXIT_SUCCESS", "FILENAME_MAX", "FOPEN_MAX", "INT_MAX", "INT_MIN", "LLONG_MAX",
	"LLONG_MIN", "LONG_MAX", "LONG_MIN", "MB_LEN_MAX", "NULL", "RAND_MAX", "SCHAR_MAX",
	"SCHAR_MIN", "SEEK_CUR", "SEEK_END", "SEEK_SET", "SHRT_MAX", "SHRT_MIN", "TMP_MAX",
	"UCHAR_MAX", "UINT_MAX", "ULLONG_MAX", "ULONG_MAX", "USHRT_MAX",
};

static bool is_library_macro(const char *name)
{
	if (is_stdint_macro(name))
		return true;
	for (size_t i = 0; i < sizeof(library_macros) / sizeof(library_macros[0]); i++)
		if (strcmp(library_macros[i], name) == 0)
			return true;
	return false;
}

static void put_pos(rt_buf *buf, const rt_pos *pos)
{
	if (pos && pos->file && pos->line)
		rt__buf_printf(buf, "%s:%d:%d: ", pos->file, pos->line, pos->col);
	else if (pos && pos->file)
		rt__buf_printf(buf, "%s: ", pos->file);
}

static void plan_error(cg_plan *plan, const rt_pos *pos, const char *fmt, const char *a,
		       const char *b, const char *c)
{
	if (plan->error != RT_OK)
		return; /* the first error is the one reported */
	rt_buf msg = RT_BUF_INIT;
	put_pos(&msg, pos);
	rt__buf_puts(&msg, "error: ");
	rt__buf_printf(&msg, fmt, a, b, c);
	plan->error = rt__buf_failed(&msg) ? rt__error_nomem()
					   : rt__error_set(RT_EPARSE, "%s", rt__buf_cstr(&msg));
	rt__buf_free(&msg);
}

void rt__cg_claim(cg_plan *plan, const char *name, const char *what, const rt_pos *pos)
{
	if (!name || !what) {
		if (plan->error == RT_OK)
			plan->error = rt__error_nomem();
		return;
	}
	if (strncmp(name, "rt_", 3) == 0 || strncmp(name, "RT_", 3) == 0) {
		plan_error(plan, pos,
			   "%s would be the C name %s, but names that start with rt_ or RT_ "
			   "belong to retort%s",
			   what, name, "");
		return;
	}
	if (is_library_macro(name) || rt__cg_is_reserved(name)) {
		plan_error(plan, pos,
			   "%s would be the C name %s, which C or its standard headers already "
			   "define%s",
			   what, name, "; rename it");
		return;
	}
	const char *other = rt__map_get(&plan->names, name);
	if (other) {
		plan_error(plan, pos, "%s and %s would both be the C name %s; rename one", other,
			   what, name);
		return;
	}
	if (rt__map_put(&plan->names, name, (void *)what) != 0 && plan->error == RT_OK)
		plan->error = rt__error_nomem();
}
