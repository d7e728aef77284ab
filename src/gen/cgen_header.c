/*
 * cgen_header.c - the generated header (cgen_impl.h): enums, forward
 * typedefs of every model, then per model its struct, description, column
 * handles and typed function prototypes, and last the model set.
 */
#include <string.h>

#include "gen/cgen_impl.h"

static void put_enum(rt_buf *out, const cg_enum *ce)
{
	rt__buf_printf(out, "/* enum %s: 0 is NULL in a nullable column. */\n", ce->c_name);
	rt__buf_printf(out, "typedef enum %s {\n", ce->c_name);
	for (size_t i = 0; i < ce->e->value_count; i++)
		rt__buf_printf(out, "\t%s%s%s\n", ce->constants[i], i == 0 ? " = 1" : "",
			       i + 1 < ce->e->value_count ? "," : "");
	rt__buf_printf(out, "} %s;\n", ce->c_name);
	rt__buf_printf(out, "extern const rt_enum_desc %s_enum;\n\n", ce->c_name);
}

/* "int64_t id;" and its comment, padded so comments line up. */
typedef struct member_line {
	const char *decl;
	const char *comment;
} member_line;

static const char *column_comment(const cg_plan *plan, const cg_column *cc)
{
	const rt_column *c = cc->column;
	const char *type = rt__type_name(plan->arena, &c->type);
	rt_buf text = RT_BUF_INIT;
	rt__buf_printf(&text, "%s%s", type ? type : "?", c->nullable ? "?" : "");
	if (cc->primary_key)
		rt__buf_puts(&text, ", primary key");
	if (strcmp(c->name, c->field) != 0)
		rt__buf_printf(&text, ", column %s", c->name);
	if (c->generated)
		rt__buf_puts(&text, ", generated: read-only, the database computes it");
	const char *result = rt__arena_strdup(plan->arena, rt__buf_cstr(&text));
	rt__buf_free(&text);
	return result;
}

static const char *relationship_comment(const cg_plan *plan, const cg_relationship *cr)
{
	const char *kind = strcmp(cr->kind, "RT_RELATIONSHIP_MANY_TO_MANY") == 0
				   ? "many-to-many"
			   : strcmp(cr->kind, "RT_RELATIONSHIP_ONE_TO_MANY") == 0 ? "one-to-many"
			   : strcmp(cr->kind, "RT_RELATIONSHIP_ONE_TO_ONE") == 0  ? "one-to-one"
			   : cr->rel->kind == RT_REL_ONE_TO_ONE ? "one-to-one, key here"
								: "many-to-one";
	if (cr->to_many)
		return rt__arena_printf(plan->arena, "%s *, %s", cr->target->name, kind);
	return rt__arena_printf(plan->arena, "%s", kind);
}

static void put_members(rt_buf *out, const member_line *lines, size_t count)
{
	size_t width = 0;
	for (size_t i = 0; i < count; i++)
		if (lines[i].decl && strlen(lines[i].decl) > width)
			width = strlen(lines[i].decl);
	for (size_t i = 0; i < count; i++) {
		const char *decl = lines[i].decl ? lines[i].decl : "?";
		rt__buf_printf(out, "\t%-*s /* ", (int)width, decl);
		rt__cg_put_comment_text(out, lines[i].comment ? lines[i].comment : "");
		rt__buf_puts(out, " */\n");
	}
}

static const char *declaration(const cg_plan *plan, const char *type, const char *name)
{
	size_t len = strlen(type);
	/* "const char *" already ends in the star: no space before the name. */
	return rt__arena_printf(plan->arena, "%s%s%s;", type,
				len && type[len - 1] == '*' ? "" : " ", name);
}

static void put_struct(rt_buf *out, const cg_plan *plan, const cg_model *m)
{
	size_t count = m->column_count + m->relationship_count;
	member_line *lines = rt__arena_alloc(plan->arena, (count ? count : 1) * sizeof(*lines));
	if (!lines) {
		out->failed = true;
		return;
	}
	/* A subclass starts with its parent's struct, so that a pointer to
	 * it is a pointer to its parent too; its own columns follow. */
	size_t k = 0;
	if (m->parent) {
		lines[k].decl = declaration(plan, m->parent->name, "base");
		lines[k++].comment = rt__arena_printf(plan->arena, "a %s first", m->parent->name);
	}
	for (size_t i = m->inherited; i < m->column_count; i++) {
		const cg_column *cc = &m->columns[i];
		lines[k].decl = declaration(plan, cc->decl_type, cc->field);
		lines[k++].comment = column_comment(plan, cc);
	}
	for (size_t i = 0; i < m->relationship_count; i++) {
		const cg_relationship *cr = &m->relationships[i];
		const char *type = cr->to_many ? "rt_list"
					       : rt__arena_printf(plan->arena, "%s *",
								  cr->target->name);
		lines[k].decl = declaration(plan, type ? type : "?", cr->field);
		lines[k++].comment = relationship_comment(plan, cr);
	}
	count = k;
	rt__buf_printf(out, "/* %s: table ", m->name);
	rt__cg_put_comment_text(out, m->table->name);
	rt__buf_printf(out, " */\nstruct %s {\n", m->name);
	put_members(out, lines, count);
	rt__buf_puts(out, "};\n");
}

static void put_handles(rt_buf *out, const cg_model *m)
{
	rt__buf_printf(out, "extern const struct %s_columns {\n", m->name);
	for (size_t i = 0; i < m->column_count; i++)
		rt__buf_printf(out, "\t%s %s;\n", m->columns[i].type->handle, m->columns[i].field);
	rt__buf_printf(out, "} %s_c;\n", m->name);
	/* The relationship handles: a misspelt name does not compile. */
	if (!m->relationship_count)
		return;
	rt__buf_printf(out, "extern const struct %s_relationships {\n", m->name);
	for (size_t i = 0; i < m->relationship_count; i++)
		rt__buf_printf(out, "\trt_relationship_ref %s;\n", m->relationships[i].field);
	rt__buf_printf(out, "} %s_r;\n", m->name);
}

const char *rt__cg_key_type(const cg_column *cc)
{
	return cc->enum_type ? cc->enum_type->c_name : cc->type->c_type;
}

static void put_param(rt_buf *out, const char *type, const char *name)
{
	size_t len = strlen(type);
	rt__buf_printf(out, "%s%s%s", type, len && type[len - 1] == '*' ? "" : " ", name);
}

void rt__cg_put_items_param(rt_buf *out, const cg_column *cc)
{
	const char *item = cc->type->item_type ? cc->type->item_type : cc->enum_type->c_name;
	size_t len = strlen(item);
	if (len && item[len - 1] == '*') /* strings: neither is changed */
		rt__buf_printf(out, "%sconst *items", item);
	else
		rt__buf_printf(out, "const %s *items", item);
}

static void put_key_params(rt_buf *out, const cg_model *m)
{
	for (size_t i = 0; i < m->primary_key_count; i++) {
		rt__buf_puts(out, ", ");
		put_param(out, rt__cg_key_type(&m->columns[m->primary_key[i]]), m->key_params[i]);
	}
}

void rt__cg_put_get_signature(rt_buf *out, const cg_model *m)
{
	rt__buf_printf(out, "int %s_get(%s **out, rt_session *session", m->name, m->name);
	put_key_params(out, m);
	rt__buf_putc(out, ')');
}

void rt__cg_put_async_signature(rt_buf *out, const cg_model *m, const char *what)
{
	const char *n = m->name;
	if (strcmp(what, "get") == 0) {
		rt__buf_printf(out, "int %s_get_async(rt_async *async, rt_async_op **op, "
				    "rt_session *session",
			       n);
		put_key_params(out, m);
	} else {
		rt__buf_printf(out, "int %s_%s_async(rt_async *async, rt_async_op **op, "
				    "rt_query *query",
			       n, what);
	}
	rt__buf_printf(out, ",\n\t%s_async_done done, void *user)", n);
}

static void put_prototypes(rt_buf *out, const cg_model *m)
{
	const char *n = m->name;
	rt__buf_printf(out, "int %s_new(%s **out, rt_session *session);\n", n, n);
	if (m->primary_key_count) {
		rt__cg_put_get_signature(out, m);
		rt__buf_puts(out, ";\n");
	}
	rt__buf_printf(out, "int %s_query(rt_query **out, rt_session *session);\n", n);
	rt__buf_printf(out, "int %s_delete(%s *object);\n", n, n);
	rt__buf_printf(out, "int %s_upsert(%s **out, rt_session *session, %s *const *objects, "
			    "size_t count,\n\tconst rt_upsert_options *options);\n",
		       n, n, n);
	rt__buf_printf(out, "int %s_from_row(%s **out, rt_rows *rows, int first_column);\n", n, n);
	/* Lifecycle hooks typed on the model's struct (rt_session_hook_add). */
	rt__buf_printf(out, "typedef int (*%s_hook)(rt_session *session, %s *object, void *user);\n"
			    "int %s_hook_add(rt_session *session, rt_hook_event event, %s_hook fn, "
			    "void *user);\n"
			    "int %s_engine_hook_add(rt_engine *engine, rt_hook_event event, %s_hook fn, "
			    "void *user);\n",
		       n, n, n, n, n, n);
	rt__buf_printf(out, "int %s_validator_add(rt_session *session, const char *column, "
			    "%s_hook fn, void *user);\n"
			    "int %s_engine_validator_add(rt_engine *engine, const char *column, "
			    "%s_hook fn, void *user);\n",
		       n, n, n, n);
	/* The non-blocking forms (retort/async.h): the result comes to a
	 * callback typed on the model's struct. */
	rt__buf_printf(out, "typedef void (*%s_async_done)(rt_async_op *op, int rc, %s *object, "
			    "void *user);\n",
		       n, n);
	static const char *const async_forms[] = {"get", "first", "one", "one_or_none"};
	for (size_t i = m->primary_key_count ? 0 : 1; i < 4; i++) {
		rt__cg_put_async_signature(out, m, async_forms[i]);
		rt__buf_puts(out, ";\n");
	}
	for (size_t i = 0; i < m->column_count; i++) {
		const cg_column *cc = &m->columns[i];
		if (cc->column->generated)
			continue; /* read-only: no setter */
		if (cc->column->type.array) {
			rt__buf_printf(out, "int %s_set_%s(%s *object, ", n, cc->field, n);
			rt__cg_put_items_param(out, cc);
			rt__buf_puts(out, ", size_t count);\n");
			continue;
		}
		switch (cc->column->type.kind) {
		case RT_TYPE_BLOB:
			rt__buf_printf(out, "int %s_set_%s(%s *object, const void *data, size_t len);\n",
				       n, cc->field, n);
			break;
		case RT_TYPE_NUMERIC:
		case RT_TYPE_STRING:
		case RT_TYPE_CHAR:
		case RT_TYPE_TEXT:
		case RT_TYPE_JSON:
		case RT_TYPE_SQL:
			rt__buf_printf(out, "int %s_set_%s(%s *object, const char *value);\n", n,
				       cc->field, n);
			break;
		default:
			break;
		}
	}
	for (size_t i = 0; i < m->relationship_count; i++) {
		const cg_relationship *cr = &m->relationships[i];
		const char *t = cr->target->name;
		rt__buf_printf(out, "int %s_load_%s(%s *object);\n", n, cr->field, n);
		rt__buf_printf(out, "rt_expr *%s_has_%s(rt_query *query, rt_expr *condition);\n", n,
			       cr->field);
		rt__buf_printf(out, "int %s_load_%s_async(rt_async *async, rt_async_op **op, "
				    "%s *object,\n\trt_async_done done, void *user);\n",
			       n, cr->field, n);
		if (cr->to_many) {
			rt__buf_printf(out, "int %s_add_%s(%s *object, %s *item);\n", n, cr->field, n,
				       t);
			rt__buf_printf(out, "int %s_remove_%s(%s *object, %s *item);\n", n, cr->field,
				       n, t);
		} else {
			rt__buf_printf(out, "int %s_set_%s(%s *object, %s *target);\n", n, cr->field,
				       n, t);
		}
	}
}

void rt__cg_write_header(rt_buf *out, const cg_plan *plan)
{
	rt__buf_puts(out, "/* generated by retort gen from ");
	rt__cg_put_comment_text(out, plan->source_name);
	rt__buf_puts(out, "; do not edit */\n");
	rt__buf_printf(out, "#ifndef %s\n#define %s\n\n#include <retort.h>\n#include <retort/async.h>\n\n",
		       plan->guard,
		       plan->guard);
	rt__buf_puts(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");

	for (size_t i = 0; i < plan->enum_count; i++)
		put_enum(out, &plan->enums[i]);

	for (size_t i = 0; i < plan->model_count; i++)
		rt__buf_printf(out, "typedef struct %s %s;\n", plan->models[i].name,
			       plan->models[i].name);
	if (plan->model_count)
		rt__buf_putc(out, '\n');

	for (size_t i = 0; i < plan->model_count; i++) {
		const cg_model *m = &plan->models[i];
		put_struct(out, plan, m);
		rt__buf_printf(out, "extern const rt_model_desc %s_model;\n", m->name);
		put_handles(out, m);
		put_prototypes(out, m);
		rt__buf_putc(out, '\n');
	}

	rt__buf_printf(out, "/* Every model, in schema order. */\n"
			    "extern const rt_model_set %s_models;\n\n",
		       plan->name);
	rt__buf_printf(out, "#ifdef __cplusplus\n}\n#endif\n#endif\n");
}
