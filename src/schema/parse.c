/*
 * parse.c - the public entry points rt_schema_parse_file/string: read the
 * files, parse them, validate, and hand back a schema or every diagnostic.
 *
 * Parsing works in a scratch arena (tokens, syntax tree, file contents)
 * that is dropped at the end; only the schema's own arena survives, so a
 * program that keeps its schema for its whole life keeps nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/file.h"
#include "base/error.h"
#include "retort/schema.h"
#include "schema/parser.h"
#include "schema/validate.h"

int rt__schema_read_file(void *user, rt_arena *arena, const char *path,
			 const char **text, size_t *len, const char **reason)
{
	(void)user;
	rt_buf buf = RT_BUF_INIT;
	char why[256];
	if (rt__file_read(&buf, path, RT_FILE_MAX_BYTES, why, sizeof(why)) < 0) {
		rt__buf_free(&buf);
		const char *copy = rt__arena_strdup(arena, why);
		*reason = copy ? copy : "out of memory";
		return -1;
	}
	char *copy = rt__arena_alloc(arena, buf.len + 1);
	if (!copy) {
		rt__buf_free(&buf);
		*reason = "out of memory";
		return -1;
	}
	if (buf.len)
		memcpy(copy, buf.ptr, buf.len);
	copy[buf.len] = '\0';
	*text = copy;
	*len = buf.len;
	rt__buf_free(&buf);
	return 0;
}

/* Appends a path segment, applying "." and "..". */
static void push_segment(const char **segments, size_t *count, const char *segment,
			 bool absolute)
{
	if (strcmp(segment, ".") == 0 || *segment == '\0')
		return;
	if (strcmp(segment, "..") == 0) {
		if (*count > 0 && strcmp(segments[*count - 1], "..") != 0) {
			(*count)--;
			return;
		}
		if (absolute)
			return; /* "/.." is "/" */
	}
	segments[(*count)++] = segment;
}

char *rt__path_resolve(rt_arena *arena, const char *base, const char *path)
{
	char *joined;
	if (path[0] == '/' || !base || !strchr(base, '/'))
		joined = rt__arena_strdup(arena, path);
	else
		joined = rt__arena_printf(arena, "%.*s/%s",
					  (int)(strrchr(base, '/') - base), base, path);
	if (!joined)
		return NULL;
	bool absolute = joined[0] == '/';
	size_t max = 1;
	for (const char *c = joined; *c; c++)
		max += *c == '/';
	const char **segments = rt__arena_alloc(arena, max * sizeof(*segments));
	if (!segments)
		return NULL;
	size_t count = 0;
	for (char *segment = joined, *slash; segment; segment = slash ? slash + 1 : NULL) {
		slash = strchr(segment, '/');
		if (slash)
			*slash = '\0';
		push_segment(segments, &count, segment, absolute);
	}
	rt_buf out = RT_BUF_INIT;
	if (absolute)
		rt__buf_putc(&out, '/');
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			rt__buf_putc(&out, '/');
		rt__buf_puts(&out, segments[i]);
	}
	if (out.len == 0)
		rt__buf_putc(&out, '.');
	char *result = rt__buf_failed(&out) ? NULL : rt__arena_strdup(arena, rt__buf_cstr(&out));
	rt__buf_free(&out);
	return result;
}

int rt__schema_parse(rt_schema **out, const char *path, const char *text, size_t len,
		     const char *name, int max_errors, rt_schema_read_fn read,
		     void *read_user)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_schema_parse: out is NULL");
	*out = NULL;
	if (!path && !text && len > 0)
		return rt__error_set(RT_EINVAL, "rt_schema_parse_string: text is NULL");

	rt_arena *scratch = rt__arena_new();
	rt_schema *schema = rt__schema_new();
	if (!scratch || !schema) {
		rt__arena_free(scratch);
		rt_schema_free(schema);
		return rt__error_nomem();
	}
	int rc = RT_OK;
	rt_diag_list diags;
	rt__diag_init(&diags, scratch, max_errors);
	rt_parse_ctx ctx;
	rt__parse_init(&ctx, scratch, schema->arena, &diags, read, read_user);

	if (path) {
		const char *reason = "cannot read files here";
		if (!read || read(read_user, scratch, path, &text, &len, &reason) < 0) {
			rc = rt__error_set(RT_EIO, "cannot read schema '%s': %s", path, reason);
			goto done;
		}
		name = path;
	}
	if (!text)
		text = "";
	rt__parse_source(&ctx, name ? name : "<string>", text, len);
	if (!rt__diag_has_errors(&diags))
		rt__schema_build(schema, &ctx.ast, &diags);
	if (rt__diag_has_errors(&diags)) {
		rc = rt__diag_fail(&diags);
		goto done;
	}
	if (path && !(schema->path = rt__arena_strdup(schema->arena, path))) {
		rc = rt__error_nomem();
		goto done;
	}
	*out = schema;
	schema = NULL;
done:
	rt_schema_free(schema);
	rt__arena_free(scratch);
	return rc;
}

static int max_errors_of(const rt_parse_options *opts)
{
	return opts && opts->version >= 1 ? opts->max_errors : 0;
}

int rt_schema_parse_file(rt_schema **out, const char *path, const rt_parse_options *opts)
{
	if (!path) {
		if (out)
			*out = NULL;
		return rt__error_set(RT_EINVAL, "rt_schema_parse_file: path is NULL");
	}
	return rt__schema_parse(out, path, NULL, 0, NULL, max_errors_of(opts),
				rt__schema_read_file, NULL);
}

int rt_schema_parse_string(rt_schema **out, const char *text, size_t len,
			   const char *name, const rt_parse_options *opts)
{
	return rt__schema_parse(out, NULL, text, len, name, max_errors_of(opts),
				rt__schema_read_file, NULL);
}
