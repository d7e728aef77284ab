/*
 * naming.c - names derived by rule (naming.h): table names from model
 * names and back, and the default names of constraints and indexes.
 *
 * Plurals follow the usual English rules plus a short list of irregular
 * nouns; only the last word of a snake_case name changes (cart_item ->
 * cart_items, sales_person -> sales_people). The rules are deliberately
 * the same ones inflection libraries (Rails, inflect) apply first, so table
 * names look like what a user of those tools would have written by hand.
 */
#include "schema/naming.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char to_lower(char c) { return is_upper(c) ? (char)(c - 'A' + 'a') : c; }
static char to_upper(char c) { return is_lower(c) ? (char)(c - 'a' + 'A') : c; }

char *rt__name_snake_case(rt_arena *arena, const char *camel)
{
	size_t len = strlen(camel);
	/* At most one underscore per input character. */
	char *out = rt__arena_alloc(arena, 2 * len + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (size_t i = 0; i < len; i++) {
		char c = camel[i];
		if (is_upper(c) && i > 0 && camel[i - 1] != '_') {
			char prev = camel[i - 1];
			char next = camel[i + 1];
			/* A word starts at an upper-case letter after a lower-case
			 * letter or digit (cartItem), or at the last capital of an
			 * acronym when a lower-case letter follows (HTTPServer). */
			if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && is_lower(next)))
				*o++ = '_';
		}
		*o++ = to_lower(c);
	}
	*o = '\0';
	return out;
}

char *rt__name_camel_case(rt_arena *arena, const char *snake)
{
	char *out = rt__arena_alloc(arena, strlen(snake) + 1);
	if (!out)
		return NULL;
	char *o = out;
	bool start = true;
	for (const char *p = snake; *p; p++) {
		if (*p == '_') {
			start = true;
			continue;
		}
		*o++ = start ? to_upper(*p) : *p;
		start = false;
	}
	*o = '\0';
	return out;
}

/* Irregular nouns, singular and plural. */
static const char *const irregular[][2] = {
	{"person", "people"}, {"man", "men"},       {"woman", "women"},
	{"child", "children"}, {"mouse", "mice"},   {"goose", "geese"},
	{"foot", "feet"},     {"tooth", "teeth"},   {"ox", "oxen"},
	{"datum", "data"},    {"criterion", "criteria"},
	{"index", "indices"}, {"matrix", "matrices"}, {"vertex", "vertices"},
	{"leaf", "leaves"},   {"life", "lives"},    {"knife", "knives"},
	{"wife", "wives"},    {"half", "halves"},   {"shelf", "shelves"},
	/* Regular plurals whose singular the suffix rules would get wrong. */
	{"movie", "movies"},  {"cookie", "cookies"}, {"status", "statuses"},
	{"bus", "buses"},     {"alias", "aliases"}, {"bonus", "bonuses"},
	{"campus", "campuses"}, {"virus", "viruses"}, {"cache", "caches"},
	{"quiz", "quizzes"},  {"house", "houses"},  {"cause", "causes"},
	{"course", "courses"}, {"excuse", "excuses"}, {"use", "uses"},
	{"fuse", "fuses"},    {"muse", "muses"},    {"spouse", "spouses"},
	{"warehouse", "warehouses"}, {"abuse", "abuses"}, {"blouse", "blouses"},
};

/* Words whose plural is the word itself. */
static const char *const uncountable[] = {
	"sheep", "fish", "series", "species", "news", "equipment",
	"information", "metadata", "money", "rice", "deer",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool ends_with(const char *word, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(word + len - n, suffix, n) == 0;
}

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The last word of a snake_case name starts after its last underscore. */
static size_t last_word_start(const char *word)
{
	const char *underscore = strrchr(word, '_');
	return underscore ? (size_t)(underscore - word) + 1 : 0;
}

/* Replaces the last `cut` bytes of word with suffix. */
static char *replace_tail(rt_arena *arena, const char *word, size_t cut, const char *suffix)
{
	size_t keep = strlen(word) - cut;
	return rt__arena_printf(arena, "%.*s%s", (int)keep, word, suffix);
}

/* Looks up the last word among the irregular nouns: from = 0 compares
 * singulars (giving plurals), from = 1 the reverse. Returns the rewritten
 * name, or NULL with *found false when the word is regular. */
static char *inflect_irregular(rt_arena *arena, const char *word, int from, bool *found)
{
	const char *last = word + last_word_start(word);
	*found = true;
	for (size_t i = 0; i < COUNT(uncountable); i++)
		if (strcmp(last, uncountable[i]) == 0)
			return rt__arena_strdup(arena, word);
	for (size_t i = 0; i < COUNT(irregular); i++)
		if (strcmp(last, irregular[i][from]) == 0)
			return replace_tail(arena, word, strlen(last), irregular[i][!from]);
	*found = false;
	return NULL;
}

char *rt__name_plural(rt_arena *arena, const char *word)
{
	bool found;
	char *irregular_form = inflect_irregular(arena, word, 0, &found);
	if (found)
		return irregular_form;

	size_t len = strlen(word);
	if (len == 0)
		return rt__arena_strdup(arena, word);
	if (ends_with(word, len, "sis"))
		return replace_tail(arena, word, 2, "es"); /* analysis -> analyses */
	if (ends_with(word, len, "ss") || ends_with(word, len, "us") ||
	    ends_with(word, len, "x") || ends_with(word, len, "z") ||
	    ends_with(word, len, "ch") || ends_with(word, len, "sh"))
		return replace_tail(arena, word, 0, "es");
	if (ends_with(word, len, "s"))
		return rt__arena_strdup(arena, word); /* taken as plural already: settings */
	if (len >= 2 && word[len - 1] == 'y' && !is_vowel(word[len - 2]))
		return replace_tail(arena, word, 1, "ies");
	return replace_tail(arena, word, 0, "s");
}

char *rt__name_singular(rt_arena *arena, const char *word)
{
	bool found;
	char *irregular_form = inflect_irregular(arena, word, 1, &found);
	if (found)
		return irregular_form;

	size_t len = strlen(word);
	/* Plurals made with -es: addresses, boxes, batches, wishes, statuses.
	 * Other words in "ses" lose only their s (houses, courses); "uses"
	 * is undone as -es (statuses, campuses), so the few -use words that
	 * take a plain s (causes, houses) are listed as irregular. */
	static const char *const es_endings[] = {"sses", "xes", "ches", "shes", "uses"};
	for (size_t i = 0; i < COUNT(es_endings); i++)
		if (ends_with(word, len, es_endings[i]))
			return replace_tail(arena, word, 2, "");
	if (len >= 5 && ends_with(word, len, "yses"))
		return replace_tail(arena, word, 2, "is"); /* analyses -> analysis */
	if (len >= 4 && ends_with(word, len, "ies"))
		return replace_tail(arena, word, 3, "y");
	if (len >= 2 && word[len - 1] == 's' && word[len - 2] != 's' &&
	    word[len - 2] != 'u' && word[len - 2] != 'i')
		return replace_tail(arena, word, 1, "");
	return rt__arena_strdup(arena, word);
}

char *rt__name_table_for_model(rt_arena *arena, const char *model)
{
	char *snake = rt__name_snake_case(arena, model);
	return snake ? rt__name_plural(arena, snake) : NULL;
}

char *rt__name_model_for_table(rt_arena *arena, const char *table)
{
	char *lower = rt__arena_strdup(arena, table);
	if (!lower)
		return NULL;
	for (char *p = lower; *p; p++)
		*p = to_lower(*p);
	char *singular = rt__name_singular(arena, lower);
	return singular ? rt__name_camel_case(arena, singular) : NULL;
}

/* prefix_<table>_<col1>_<col2>..._<suffix> (suffix may be NULL). */
static char *join_name(rt_arena *arena, const char *prefix, const char *table,
		       const char *const *columns, size_t count, const char *suffix)
{
	size_t len = strlen(prefix) + 1 + strlen(table) + 1;
	for (size_t i = 0; i < count; i++)
		len += 1 + strlen(columns[i]);
	if (suffix)
		len += 1 + strlen(suffix);
	char *out = rt__arena_alloc(arena, len);
	if (!out)
		return NULL;
	char *o = out;
	size_t n = strlen(prefix);
	memcpy(o, prefix, n);
	o += n;
	*o++ = '_';
	n = strlen(table);
	memcpy(o, table, n);
	o += n;
	for (size_t i = 0; i < count; i++) {
		*o++ = '_';
		n = strlen(columns[i]);
		memcpy(o, columns[i], n);
		o += n;
	}
	if (suffix) {
		*o++ = '_';
		n = strlen(suffix);
		memcpy(o, suffix, n);
		o += n;
	}
	*o = '\0';
	return out;
}

char *rt__name_primary_key(rt_arena *arena, const char *table)
{
	return join_name(arena, "pk", table, NULL, 0, NULL);
}

char *rt__name_unique(rt_arena *arena, const char *table, const char *const *columns,
		      size_t count)
{
	return join_name(arena, "uq", table, columns, count, NULL);
}

char *rt__name_index(rt_arena *arena, const char *table, const char *const *columns,
		     size_t count)
{
	return join_name(arena, "ix", table, columns, count, NULL);
}

/* The words of an expression outside quotes, lower case, joined by '_',
 * leaving out the types of `::type` casts, so that the name does not
 * change when a database hands the expression back with casts
 * (lower(email::text)). */
static char *expr_words(rt_arena *arena, const char *expr)
{
	char *out = rt__arena_alloc(arena, strlen(expr) + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (const char *p = expr; *p;) {
		if (*p == '\'' || *p == '"') {
			char quote = *p++;
			while (*p && *p != quote)
				p++;
			if (*p)
				p++;
			continue;
		}
		if (p[0] == ':' && p[1] == ':') {
			/* ::character varying, ::numeric(10,2) */
			for (p += 2; isalnum((unsigned char)*p) || *p == '_' || *p == ' ';)
				p++;
			continue;
		}
		if (!isalpha((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		if (o > out)
			*o++ = '_';
		while (isalnum((unsigned char)*p) || *p == '_')
			*o++ = to_lower(*p++);
	}
	*o = '\0';
	return out;
}

char *rt__name_index_keys(rt_arena *arena, const char *table, const rt_index *index)
{
	const char **parts = rt__arena_alloc(arena, (index->key_count + 1) * sizeof(*parts));
	if (!parts)
		return NULL;
	for (size_t i = 0; i < index->key_count; i++) {
		const rt_index_key *key = &index->keys[i];
		parts[i] = key->column ? key->column : expr_words(arena, key->expr);
		if (!parts[i])
			return NULL;
	}
	return join_name(arena, "ix", table, parts, index->key_count, NULL);
}

char *rt__name_foreign_key(rt_arena *arena, const char *table,
			   const char *const *columns, size_t count,
			   const char *ref_table)
{
	return join_name(arena, "fk", table, columns, count, ref_table);
}

char *rt__name_column_check(rt_arena *arena, const char *table, const char *column)
{
	return join_name(arena, "ck", table, &column, 1, NULL);
}

char *rt__name_table_check(rt_arena *arena, const char *table, int n)
{
	return rt__arena_printf(arena, "ck_%s_%d", table, n);
}

char *rt__name_enum_check(rt_arena *arena, const char *table, const char *column)
{
	return join_name(arena, "ck", table, &column, 1, "enum");
}

char *rt__name_with_prefix(rt_arena *arena, const char *prefix, const char *name,
			   size_t limit)
{
	if (!arena || !prefix || !name)
		return NULL;
	size_t plen = strlen(prefix), len = strlen(name);
	if (limit > 0 && plen + len > limit) {
		len = limit > plen ? limit - plen : 0;
		while (len > 0 && ((unsigned char)name[len] & 0xC0) == 0x80)
			len--; /* not inside a UTF-8 sequence */
	}
	char *out = rt__arena_alloc(arena, plen + len + 1);
	if (!out)
		return NULL;
	memcpy(out, prefix, plen);
	memcpy(out + plen, name, len);
	out[plen + len] = '\0';
	return out;
}
