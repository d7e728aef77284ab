/*
 * config.c - reading retort.ini (config.h).
 *
 * The file is parsed once, keeping each value as written with its line
 * number; values are expanded only when a command asks for them, so that
 * an unset ${VAR} in a key the command does not use is no error, and every
 * error can still name the line it comes from. Messages never quote a line
 * or a value: a URL in them may hold a password.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/file.h"
#include "dialect/registry.h"

/* configparser's limit on %(key)s chains; deeper means a key refers to
 * itself. */
#define MAX_EXPANSION_DEPTH 10

typedef struct config_entry {
	const char *section;
	const char *key;  /* lower case */
	const char *raw;  /* as written; continuation lines joined with \n */
	int line;
} config_entry;

typedef struct config_section {
	const char *name;
	int line;
} config_section;

struct cli_config {
	rt_arena *arena;
	const char *path;
	const char *dir;  /* folder of the file as given: "examples/shop", "." */
	const char *here; /* the same folder made absolute, for %(here)s */
	config_entry **entries;
	size_t entry_count, entry_cap;
	config_section **sections;
	size_t section_count, section_cap;
};

/* --- reading ------------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

static const char *trim_end(const char *start, const char *end)
{
	while (end > start && is_space(end[-1]))
		end--;
	return end;
}

static int syntax_error(const cli_config *config, int line, const char *what)
{
	return rt__error_set(RT_EPARSE, "%s:%d: error: %s", config->path, line, what);
}

static config_section *find_section(const cli_config *config, const char *name)
{
	for (size_t i = 0; i < config->section_count; i++)
		if (strcmp(config->sections[i]->name, name) == 0)
			return config->sections[i];
	return NULL;
}

static config_entry *find_entry(const cli_config *config, const char *section,
				const char *key)
{
	for (size_t i = 0; i < config->entry_count; i++) {
		config_entry *e = config->entries[i];
		if (strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

static int add_section(cli_config *config, const char *start, const char *end, int line)
{
	const char *close = memchr(start, ']', (size_t)(end - start));
	if (!close)
		return syntax_error(config, line, "missing ']' at the end of the section header");
	if (skip_space(close + 1, end) != end)
		return syntax_error(config, line, "unexpected text after the section header");
	const char *name_start = skip_space(start + 1, close);
	const char *name_end = trim_end(name_start, close);
	if (name_start == name_end)
		return syntax_error(config, line, "empty section name");
	char *name = rt__arena_strndup(config->arena, name_start,
				       (size_t)(name_end - name_start));
	if (!name)
		return rt__error_nomem();
	config_section *seen = find_section(config, name);
	if (seen)
		return rt__error_set(RT_EPARSE, "%s:%d: error: section [%s] appears twice "
				     "(first at line %d)", config->path, line, name,
				     seen->line);
	config_section *section = rt__arena_alloc(config->arena, sizeof(*section));
	if (!section)
		return rt__error_nomem();
	section->name = name;
	section->line = line;
	if (RT_ARENA_PUSH(config->arena, config->sections, config->section_count,
			  config->section_cap, section) < 0)
		return rt__error_nomem();
	return RT_OK;
}

static int add_entry(cli_config *config, const char *section, const char *start,
		     const char *end, int line, config_entry **added)
{
	const char *sep = start;
	while (sep < end && *sep != '=' && *sep != ':')
		sep++;
	if (sep == end)
		return syntax_error(config, line, "expected 'key = value' or '[section]'");
	const char *key_end = trim_end(start, sep);
	if (key_end == start)
		return syntax_error(config, line, "missing key before the '='");
	if (!section)
		return syntax_error(config, line, "a key before any [section] "
				    "(the file starts with [retort])");

	char *key = rt__arena_strndup(config->arena, start, (size_t)(key_end - start));
	const char *value = skip_space(sep + 1, end);
	char *raw = rt__arena_strndup(config->arena, value,
				      (size_t)(trim_end(value, end) - value));
	config_entry *entry = rt__arena_alloc(config->arena, sizeof(*entry));
	if (!key || !raw || !entry)
		return rt__error_nomem();
	/* Keys are case-insensitive, as configparser makes them. */
	for (char *p = key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	config_entry *seen = find_entry(config, section, key);
	if (seen)
		return rt__error_set(RT_EPARSE, "%s:%d: error: key '%s' appears twice in "
				     "[%s] (first at line %d)", config->path, line, key,
				     section, seen->line);
	entry->section = section;
	entry->key = key;
	entry->raw = raw;
	entry->line = line;
	if (RT_ARENA_PUSH(config->arena, config->entries, config->entry_count,
			  config->entry_cap, entry) < 0)
		return rt__error_nomem();
	*added = entry;
	return RT_OK;
}

/* An indented line after a key continues its value, as in configparser. */
static int continue_entry(cli_config *config, config_entry *entry, const char *start,
			  const char *end)
{
	const char *text_end = trim_end(start, end);
	char *joined = rt__arena_printf(config->arena, "%s%s%.*s", entry->raw,
					*entry->raw ? "\n" : "", (int)(text_end - start),
					start);
	if (!joined)
		return rt__error_nomem();
	entry->raw = joined;
	return RT_OK;
}

static int parse(cli_config *config, const char *text, size_t len)
{
	const char *section = NULL;
	config_entry *last = NULL; /* the entry a continuation line extends */
	const char *p = text, *end = text + len;
	int line = 0;
	while (p < end) {
		const char *line_end = memchr(p, '\n', (size_t)(end - p));
		if (!line_end)
			line_end = end;
		line++;
		const char *start = skip_space(p, line_end);
		bool indented = start > p;
		const char *next = line_end < end ? line_end + 1 : end;
		int rc = RT_OK;

		if (start == line_end) {
			last = NULL; /* a blank line ends a multi-line value */
		} else if (*start == '#' || *start == ';') {
			/* a comment */
		} else if (indented && last) {
			rc = continue_entry(config, last, start, line_end);
		} else if (*start == '[') {
			rc = add_section(config, start, line_end, line);
			if (rc == RT_OK)
				section = config->sections[config->section_count - 1]->name;
			last = NULL;
		} else {
			rc = add_entry(config, section, start, line_end, line, &last);
		}
		if (rc != RT_OK)
			return rc;
		p = next;
	}
	if (!find_section(config, CLI_CONFIG_SECTION))
		return rt__error_set(RT_EPARSE, "%s: error: no [%s] section", config->path,
				     CLI_CONFIG_SECTION);
	return RT_OK;
}

/* The file's text, NUL-terminated, or NULL with why saying why. */
static char *read_file(const char *path, size_t *len, int *code, char *why, size_t why_size)
{
	rt_buf buf = RT_BUF_INIT;
	*code = rt__file_read(&buf, path, RT_FILE_MAX_BYTES, why, why_size);
	if (*code < 0) {
		rt__buf_free(&buf);
		return NULL;
	}
	*len = buf.len;
	rt__buf_putc(&buf, '\0'); /* an empty file still gets a string */
	char *text = rt__buf_detach(&buf);
	if (!text) {
		*code = RT_ENOMEM;
		snprintf(why, why_size, "out of memory");
	}
	return text;
}

static const char *folder_of(rt_arena *arena, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	return rt__arena_strndup(arena, path, (size_t)(slash - path));
}

/* dir made absolute against the current folder, for %(here)s. */
static const char *absolute_folder(rt_arena *arena, const char *dir)
{
	char cwd[PATH_MAX];
	if (dir[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return dir;
	if (strcmp(dir, ".") == 0)
		return rt__arena_strdup(arena, cwd);
	return rt__arena_printf(arena, "%s/%s", cwd, dir);
}

int cli_config_read(cli_config **out, const char *path)
{
	*out = NULL;
	size_t len = 0;
	int code = RT_OK;
	char why[256];
	char *text = read_file(path, &len, &code, why, sizeof(why));
	if (!text) {
		if (code == RT_ENOMEM)
			return rt__error_nomem();
		return rt__error_set(code, "cannot read config file '%s': %s", path, why);
	}

	rt_arena *arena = rt__arena_new();
	cli_config *config = arena ? rt__arena_alloc(arena, sizeof(*config)) : NULL;
	if (!config) {
		rt__arena_free(arena);
		free(text);
		return rt__error_nomem();
	}
	config->arena = arena;
	config->path = rt__arena_strdup(arena, path);
	config->dir = folder_of(arena, path);
	config->here = config->dir ? absolute_folder(arena, config->dir) : NULL;

	int rc = config->path && config->here ? parse(config, text, len) : rt__error_nomem();
	free(text);
	if (rc != RT_OK) {
		cli_config_free(config);
		return rc;
	}
	*out = config;
	return RT_OK;
}

void cli_config_free(cli_config *config)
{
	if (config)
		rt__arena_free(config->arena);
}

const char *cli_config_path(const cli_config *config)
{
	return config->path;
}

/* --- expanding values ------------------------------------------------------ */

static const config_entry *lookup(const cli_config *config, const char *section,
				  const char *key)
{
	const config_entry *e = find_entry(config, section, key);
	return e ? e : find_entry(config, "DEFAULT", key);
}

static int expand(const cli_config *config, const char *section,
		  const config_entry *entry, const char *text, size_t len, rt_buf *out,
		  int depth);

static int value_error(const cli_config *config, const config_entry *entry,
		       const char *what)
{
	return rt__error_set(RT_EPARSE, "%s:%d: error: in the value of '%s': %s",
			     config->path, entry->line, entry->key, what);
}

/* %% or %(key)s at text[*i]. */
static int expand_percent(const cli_config *config, const char *section,
			  const config_entry *entry, const char *text, size_t len,
			  size_t *i, rt_buf *out, int depth)
{
	size_t at = *i + 1;
	if (at < len && text[at] == '%') {
		rt__buf_putc(out, '%');
		*i = at + 1;
		return RT_OK;
	}
	if (at >= len || text[at] != '(')
		return value_error(config, entry, "'%' must be followed by '%' or '(' "
				   "(write %% for a literal %)");
	const char *close = memchr(text + at, ')', len - at);
	if (!close || (size_t)(close - text) + 1 >= len || close[1] != 's')
		return value_error(config, entry, "'%(' must be closed by ')s'");

	size_t name_len = (size_t)(close - (text + at + 1));
	char name[128];
	if (name_len == 0 || name_len >= sizeof(name))
		return value_error(config, entry, "bad key name in %(...)s");
	for (size_t k = 0; k < name_len; k++) {
		char c = text[at + 1 + k];
		name[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	name[name_len] = '\0';
	*i = (size_t)(close - text) + 2;

	const config_entry *target = lookup(config, section, name);
	if (target) {
		if (depth >= MAX_EXPANSION_DEPTH)
			return value_error(config, entry, "%(...)s nested too deeply "
					   "(does a key refer to itself?)");
		return expand(config, section, target, target->raw, strlen(target->raw), out,
			      depth + 1);
	}
	if (strcmp(name, "here") == 0) {
		rt__buf_puts(out, config->here);
		return RT_OK;
	}
	return rt__error_set(RT_EPARSE, "%s:%d: error: in the value of '%s': no key '%s' "
			     "for %%(%s)s (write %%%% for a literal %%)", config->path,
			     entry->line, entry->key, name, name);
}

static bool is_name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

/* The '}' closing the ${ at text[open], skipping nested ${...}; len if none. */
static size_t matching_brace(const char *text, size_t len, size_t open)
{
	int nesting = 0;
	for (size_t j = open + 2; j < len; j++) {
		if (text[j] == '$' && j + 1 < len && text[j + 1] == '{') {
			nesting++;
			j++;
		} else if (text[j] == '}') {
			if (nesting == 0)
				return j;
			nesting--;
		}
	}
	return len;
}

/* ${VAR} or ${VAR:-default} at text[*i]. */
static int expand_variable(const cli_config *config, const char *section,
			   const config_entry *entry, const char *text, size_t len,
			   size_t *i, rt_buf *out, int depth)
{
	size_t open = *i;
	size_t close = matching_brace(text, len, open);
	if (close == len)
		return value_error(config, entry, "'${' without its closing '}'");

	size_t name_start = open + 2, name_end = name_start;
	while (name_end < close && is_name_char(text[name_end], name_end == name_start))
		name_end++;
	bool has_default = name_end + 1 < close && text[name_end] == ':' &&
			   text[name_end + 1] == '-';
	if (name_end == name_start || (name_end != close && !has_default))
		return value_error(config, entry, "expected ${NAME} or ${NAME:-default}");
	*i = close + 1;

	char name[256];
	size_t name_len = name_end - name_start;
	if (name_len >= sizeof(name))
		return value_error(config, entry, "environment variable name too long");
	memcpy(name, text + name_start, name_len);
	name[name_len] = '\0';

	/* The environment's text is taken as it is: it was not written in
	 * this file, so %-expansion does not apply to it. */
	const char *value = getenv(name);
	if (value && *value) {
		rt__buf_puts(out, value);
		return RT_OK;
	}
	if (has_default)
		return expand(config, section, entry, text + name_end + 2,
			      close - (name_end + 2), out, depth);
	if (value)
		return RT_OK;
	return rt__error_set(RT_EPARSE, "%s:%d: error: in the value of '%s': environment "
			     "variable %s is not set (${%s:-default} gives a default)",
			     config->path, entry->line, entry->key, name, name);
}

static int expand(const cli_config *config, const char *section,
		  const config_entry *entry, const char *text, size_t len, rt_buf *out,
		  int depth)
{
	size_t i = 0;
	while (i < len) {
		int rc = RT_OK;
		if (text[i] == '%')
			rc = expand_percent(config, section, entry, text, len, &i, out, depth);
		else if (text[i] == '$' && i + 1 < len && text[i + 1] == '{')
			rc = expand_variable(config, section, entry, text, len, &i, out, depth);
		else
			rt__buf_putc(out, text[i++]);
		if (rc != RT_OK)
			return rc;
	}
	return RT_OK;
}

int cli_config_get(const cli_config *config, const char *section, const char *key,
		   const char **out)
{
	*out = NULL;
	const config_entry *entry = lookup(config, section, key);
	if (!entry)
		return RT_OK;
	rt_buf buf = RT_BUF_INIT;
	rt__buf_puts(&buf, ""); /* an empty value is "", not NULL */
	int rc = expand(config, section, entry, entry->raw, strlen(entry->raw), &buf, 0);
	if (rc == RT_OK) {
		if (rt__buf_failed(&buf) || !(*out = rt__arena_strdup(config->arena, buf.ptr)))
			rc = rt__error_nomem();
	}
	rt__buf_free(&buf);
	return rc;
}

/* --- paths and URLs ------------------------------------------------------- */

/* name taken relative to the file's folder; unchanged when absolute. */
static const char *beside_config(const cli_config *config, const char *name)
{
	if (name[0] == '/' || name[0] == '\0' || strcmp(config->dir, ".") == 0)
		return name;
	if (strcmp(config->dir, "/") == 0)
		return rt__arena_printf(config->arena, "/%s", name);
	return rt__arena_printf(config->arena, "%s/%s", config->dir, name);
}

int cli_config_get_path(const cli_config *config, const char *section, const char *key,
			const char **out)
{
	int rc = cli_config_get(config, section, key, out);
	if (rc != RT_OK || !*out)
		return rc;
	if (!(*out = beside_config(config, *out)))
		return rt__error_nomem();
	return RT_OK;
}

int cli_config_get_url(const cli_config *config, const char *section, const char *key,
		       const char **out)
{
	int rc = cli_config_get(config, section, key, out);
	if (rc != RT_OK || !*out)
		return rc;
	/* For a backend whose URL names a file (dialect/registry.h),
	 * sqlite:///rel.db names rel.db; sqlite:////abs.db and sqlite:// (in
	 * memory) stay as they are. A driver suffix (sqlite+x://) is kept. */
	const char *url = *out;
	const char *sep = strstr(url, "://");
	const rt_backend *backend = sep ? rt__backend_find(url, sep - url) : NULL;
	if (!backend || !backend->file_url)
		return RT_OK;
	const char *file = sep + 3;
	if (file[0] != '/' || file[1] == '/' || file[1] == '\0' || file[1] == '?' ||
	    strncmp(file + 1, ":memory:", 8) == 0 || strcmp(config->dir, ".") == 0)
		return RT_OK;
	const char *path = beside_config(config, file + 1);
	if (!path || !(*out = rt__arena_printf(config->arena, "%.*s/%s", (int)(file - url),
					       url, path)))
		return rt__error_nomem();
	return RT_OK;
}

/* --- typed values ---------------------------------------------------------- */

static bool same_word(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a | 0x20) != (*b | 0x20))
			return false;
	return *a == *b;
}

int cli_config_get_bool(const cli_config *config, const char *section, const char *key,
			bool *out)
{
	const char *value;
	int rc = cli_config_get(config, section, key, &value);
	if (rc != RT_OK || !value)
		return rc;
	static const char *const yes[] = {"1", "yes", "true", "on"};
	static const char *const no[] = {"0", "no", "false", "off"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (same_word(value, yes[i]) || same_word(value, no[i])) {
			*out = same_word(value, yes[i]);
			return RT_OK;
		}
	}
	return value_error(config, lookup(config, section, key),
			   "expected true or false (also yes/no, on/off, 1/0)");
}

int cli_config_get_seconds(const cli_config *config, const char *section, const char *key,
			   int *out_ms)
{
	const char *value;
	int rc = cli_config_get(config, section, key, &value);
	if (rc != RT_OK || !value)
		return rc;
	char *end = NULL;
	errno = 0;
	double seconds = strtod(value, &end);
	if (end == value || *skip_space(end, end + strlen(end)) != '\0' || errno != 0 ||
	    !(seconds > 0) || seconds > 2000000.0)
		return value_error(config, lookup(config, section, key),
				   "expected a number of seconds, such as 60 or 2.5");
	*out_ms = (int)(seconds * 1000.0 + 0.5);
	if (*out_ms < 1)
		*out_ms = 1;
	return RT_OK;
}
