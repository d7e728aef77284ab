/*
 * sqlite_options.c - the query options of a SQLite URL:
 *
 *   sqlite:///app.db?mode=ro&timeout=5
 *   sqlite:///app.db?journal_mode=wal&busy_timeout=5000&synchronous=normal
 *                   &foreign_keys=on
 *
 * mode and timeout are SQLAlchemy's (pysqlite's); the others are the
 * pragmas a program most often sets on every connection. Each value is
 * checked against the words its pragma takes, and the PRAGMA text is
 * written from those words, never from the URL's text. Anything else is
 * refused by name, so that a misspelt option is not silently ignored;
 * other pragmas (and a cipher key) go in the engine's init_sql or
 * on_connect (retort/engine.h).
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "dialect/sqlite.h"

/* A pragma whose value is one of a few words. */
typedef struct word_pragma {
	const char *name;
	const char *const *words; /* as accepted (any case), NULL-terminated */
	const char *const *sql;   /* what is written for each */
} word_pragma;

static const char *const journal_words[] = {"delete", "truncate", "persist", "memory",
					    "wal", "off", NULL};
static const char *const journal_sql[] = {"DELETE", "TRUNCATE", "PERSIST", "MEMORY",
					  "WAL", "OFF"};
static const char *const sync_words[] = {"off", "normal", "full", "extra",
					 "0", "1", "2", "3", NULL};
static const char *const sync_sql[] = {"OFF", "NORMAL", "FULL", "EXTRA",
				       "OFF", "NORMAL", "FULL", "EXTRA"};
static const char *const bool_words[] = {"on", "off", "true", "false", "yes", "no",
					 "1", "0", NULL};
static const char *const bool_sql[] = {"ON", "OFF", "ON", "OFF", "ON", "OFF", "ON", "OFF"};

static const word_pragma word_pragmas[] = {
	{"journal_mode", journal_words, journal_sql},
	{"synchronous", sync_words, sync_sql},
	{"foreign_keys", bool_words, bool_sql},
};

/* A whole number from lo to hi, or false. */
static bool whole_number(const char *value, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(value, &end, 10);
	if (!*value || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* One pragma option into pragmas; *known false when key is none. */
static int pragma_option(rt_buf *pragmas, int *timeout_ms, const char *key, const char *value,
			 const char *url, bool *known)
{
	*known = true;
	if (strcmp(key, "busy_timeout") == 0) {
		long ms;
		if (!whole_number(value, 0, 86400000L, &ms))
			return rt__error_set(RT_EPARSE,
					     "bad busy_timeout '%s' in %s: expected milliseconds",
					     value, url);
		*timeout_ms = (int)ms;
		return RT_OK;
	}
	for (size_t p = 0; p < sizeof(word_pragmas) / sizeof(word_pragmas[0]); p++) {
		const word_pragma *wp = &word_pragmas[p];
		if (strcmp(key, wp->name) != 0)
			continue;
		for (size_t w = 0; wp->words[w]; w++) {
			if (strcasecmp(value, wp->words[w]) == 0) {
				rt__buf_printf(pragmas, "PRAGMA %s = %s;", wp->name, wp->sql[w]);
				return RT_OK;
			}
		}
		rt_buf expected = RT_BUF_INIT;
		for (size_t w = 0; wp->words[w]; w++)
			rt__buf_printf(&expected, "%s%s", w ? ", " : "", wp->words[w]);
		int rc = rt__error_set(RT_EPARSE, "bad %s '%s' in %s: expected one of %s", key,
				       value, url,
				       rt__buf_failed(&expected) ? "?" : rt__buf_cstr(&expected));
		rt__buf_free(&expected);
		return rc;
	}
	*known = false;
	return RT_OK;
}

int rt__sqlite_read_options(const rt_connect_params *params, int *flags, int *timeout_ms,
			    rt_buf *pragmas)
{
	*flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	*timeout_ms = RT_SQLITE_BUSY_TIMEOUT_MS;
	for (size_t i = 0; i < params->option_count; i++) {
		const char *key = params->option_keys[i], *value = params->option_values[i];
		bool known;
		int rc = pragma_option(pragmas, timeout_ms, key, value, params->masked_url, &known);
		if (rc < 0)
			return rc;
		if (known)
			continue;
		if (strcmp(key, "mode") == 0) {
			if (strcmp(value, "ro") == 0)
				*flags = SQLITE_OPEN_READONLY;
			else if (strcmp(value, "rw") == 0)
				*flags = SQLITE_OPEN_READWRITE;
			else if (strcmp(value, "rwc") == 0)
				*flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
			else
				return rt__error_set(RT_EPARSE,
						     "bad mode '%s' in %s: expected ro, rw or rwc",
						     value, params->masked_url);
		} else if (strcmp(key, "timeout") == 0) {
			char *end;
			double seconds = strtod(value, &end);
			if (*value == '\0' || *end != '\0' || !(seconds >= 0 && seconds < 86400))
				return rt__error_set(RT_EPARSE,
						     "bad timeout '%s' in %s: expected seconds",
						     value, params->masked_url);
			*timeout_ms = (int)(seconds * 1000);
		} else {
			return rt__error_set(RT_EPARSE,
					     "unknown option '%s' in %s (SQLite takes mode, timeout, "
					     "journal_mode, synchronous, busy_timeout, foreign_keys)",
					     key, params->masked_url);
		}
	}
	if (rt__buf_failed(pragmas))
		return rt__error_nomem();
	return RT_OK;
}
