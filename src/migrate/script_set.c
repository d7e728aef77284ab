/*
 * script_set.c - the scripts of a versions folder, or of an array held in
 * memory (embedded migrations), as one rt_migration_set (script.h).
 *
 * Every script is read and parsed even after one fails, so that a single
 * run shows the errors of every file; their texts stay in memory until the
 * message is rendered, because it quotes their lines.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "migrate/script.h"
#include "schema/parser.h"

static rt_migration_set *new_set(void)
{
	rt_migration_set *set = calloc(1, sizeof(*set));
	if (!set || !(set->arena = rt__arena_new())) {
		free(set);
		rt__error_nomem();
		return NULL;
	}
	return set;
}

void rt__migration_set_free(rt_migration_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->count; i++)
		if (set->items[i])
			rt_schema_free(set->items[i]->scratch);
	rt__arena_free(set->arena);
	free(set);
}

/* Parses one script into the set; its errors join diags. */
static int add_script(rt_migration_set *set, rt_diag_list *diags, const char *name,
		      const char *text, size_t len)
{
	rt_migration *m = NULL;
	int rc = rt__script_parse_into(&m, diags, name, text, len);
	if (rc != RT_OK)
		return rc;
	if (RT_ARENA_PUSH(set->arena, set->items, set->count, set->cap, m) < 0) {
		rt__migration_free(m);
		return rt__error_nomem();
	}
	return RT_OK;
}

/* The set, or the rendered errors of every script (RT_EPARSE). */
static int finish(rt_migration_set **out, rt_migration_set *set, rt_diag_list *diags, int rc)
{
	if (rc == RT_OK && rt__diag_has_errors(diags))
		rc = rt__diag_fail(diags);
	if (rc != RT_OK) {
		rt__migration_set_free(set);
		return rc;
	}
	*out = set;
	return RT_OK;
}

int rt__migration_set_parse(rt_migration_set **out, const rt_script_source *sources,
			    size_t count, int max_errors)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt__migration_set_parse: out is NULL");
	*out = NULL;
	rt_migration_set *set = new_set();
	rt_arena *tmp = rt__arena_new();
	if (!set || !tmp) {
		rt__migration_set_free(set);
		rt__arena_free(tmp);
		return rt__error_nomem();
	}
	rt_diag_list diags;
	rt__diag_init(&diags, tmp, max_errors);
	int rc = RT_OK;
	for (size_t i = 0; i < count && rc != RT_ENOMEM; i++) {
		const rt_script_source *src = &sources[i];
		const char *text = src->text ? src->text : "";
		int one = add_script(set, &diags, src->name ? src->name : "<embedded>", text,
				     src->len ? src->len : strlen(text));
		if (one != RT_OK && one != RT_EPARSE)
			rc = one;
	}
	rc = finish(out, set, &diags, rc);
	rt__arena_free(tmp);
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is name a script: <something>.rt, not hidden (editors leave .#x.rt)? */
static bool is_script_name(const char *name)
{
	size_t len = strlen(name);
	return name[0] != '.' && len > 3 && strcmp(name + len - 3, ".rt") == 0;
}

/* The names of dir's script files, sorted, in arena. */
static int list_scripts(rt_arena *arena, const char *dir, const char ***names, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return rt__error_set(RT_EIO, "cannot read the versions folder '%s': %s", dir,
				     strerror(errno));
	size_t cap = 0;
	*names = NULL;
	*count = 0;
	int rc = RT_OK;
	struct dirent *entry;
	while (rc == RT_OK && (entry = readdir(d))) {
		if (!is_script_name(entry->d_name))
			continue;
		char *path = rt__arena_printf(arena, "%s/%s", dir, entry->d_name);
		struct stat st;
		if (!path)
			rc = rt__error_nomem();
		else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
			continue; /* a folder named x.rt */
		else if (RT_ARENA_PUSH(arena, *names, *count, cap, path) < 0)
			rc = rt__error_nomem();
	}
	closedir(d);
	if (rc == RT_OK && *count)
		qsort(*names, *count, sizeof(**names), compare_names);
	return rc;
}

/* "dir" without trailing slashes, so that names read dir/x.rt. */
static char *folder_name(rt_arena *arena, const char *dir)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	return rt__arena_strndup(arena, dir, len);
}

int rt__migration_set_load(rt_migration_set **out, const char *dir, int max_errors)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt__migration_set_load: out is NULL");
	*out = NULL;
	if (!dir)
		return rt__error_set(RT_EINVAL, "rt__migration_set_load: dir is NULL");
	rt_migration_set *set = new_set();
	rt_arena *tmp = rt__arena_new();
	if (!set || !tmp) {
		rt__migration_set_free(set);
		rt__arena_free(tmp);
		return rt__error_nomem();
	}
	rt_diag_list diags;
	rt__diag_init(&diags, tmp, max_errors);
	const char **paths = NULL;
	size_t count = 0;
	const char *folder = folder_name(tmp, dir);
	int rc = folder ? list_scripts(tmp, folder, &paths, &count) : rt__error_nomem();
	for (size_t i = 0; rc == RT_OK && i < count; i++) {
		const char *text, *reason;
		size_t len;
		if (rt__schema_read_file(NULL, tmp, paths[i], &text, &len, &reason) < 0) {
			rc = rt__error_set(RT_EIO, "cannot read migration script '%s': %s",
					   paths[i], reason);
			break;
		}
		int one = add_script(set, &diags, paths[i], text, len);
		if (one != RT_OK && one != RT_EPARSE)
			rc = one;
	}
	rc = finish(out, set, &diags, rc);
	rt__arena_free(tmp);
	return rc;
}
