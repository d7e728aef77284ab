/*
 * cgen_source.c - the generated source (cgen_impl.h): the static
 * descriptions (enums, columns with offsetof, keys, relationships, foreign
 * keys), the client-side defaults, the column handles, the typed functions
 * (thin wrappers over retort/orm.h) and the model set.
 */
#include <stdio.h>
#include <string.h>

#include "gen/cgen_impl.h"

void rt__cg_put_column_flags(rt_buf *out, unsigned flags)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = {
		{CG_COLUMN_PRIMARY_KEY, "RT_COLUMN_PRIMARY_KEY"},
		{CG_COLUMN_NULLABLE, "RT_COLUMN_NULLABLE"},
		{CG_COLUMN_AUTOINCREMENT, "RT_COLUMN_AUTOINCREMENT"},
		{CG_COLUMN_SERVER_DEFAULT, "RT_COLUMN_SERVER_DEFAULT"},
		{CG_COLUMN_DEFAULT_NOW, "RT_COLUMN_DEFAULT_NOW"},
		{CG_COLUMN_CLIENT_DEFAULT, "RT_COLUMN_CLIENT_DEFAULT"},
		{CG_COLUMN_GENERATED, "RT_COLUMN_GENERATED"},
		{CG_COLUMN_SERVER_ONUPDATE, "RT_COLUMN_SERVER_ONUPDATE"},
		{CG_COLUMN_VERSION, "RT_COLUMN_VERSION"},
		{CG_COLUMN_ONUPDATE_NOW, "RT_COLUMN_ONUPDATE_NOW"},
	};
	const char *sep = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].flag) {
			rt__buf_printf(out, "%s%s", sep, names[i].name);
			sep = " | ";
		}
	}
	if (!*sep)
		rt__buf_putc(out, '0');
}

static void put_relationship_flags(rt_buf *out, unsigned flags)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = {
		{CG_RELATIONSHIP_CASCADE_DELETE, "RT_RELATIONSHIP_CASCADE_DELETE"},
		{CG_RELATIONSHIP_DELETE_ORPHAN, "RT_RELATIONSHIP_DELETE_ORPHAN"},
		{CG_RELATIONSHIP_ORDER_DESC, "RT_RELATIONSHIP_ORDER_DESC"},
	};
	const char *sep = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].flag) {
			rt__buf_printf(out, "%s%s", sep, names[i].name);
			sep = " | ";
		}
	}
	if (!*sep)
		rt__buf_putc(out, '0');
}

static void put_ints(rt_buf *out, const char *name, const int *values, size_t count)
{
	rt__buf_printf(out, "static const int %s[] = {", name);
	for (size_t i = 0; i < count; i++)
		rt__buf_printf(out, "%s%d", i ? ", " : "", values[i]);
	rt__buf_puts(out, "};\n");
}

static void put_strings(rt_buf *out, const char *name, const char *const *values, size_t count)
{
	rt__buf_printf(out, "static const char *const %s[] = {", name);
	for (size_t i = 0; i < count; i++) {
		if (i)
			rt__buf_puts(out, ", ");
		rt__cg_put_string(out, values[i]);
	}
	rt__buf_puts(out, "};\n");
}

/* --- enums ------------------------------------------------------------------- */

static void put_enum(rt_buf *out, const cg_enum *ce)
{
	const rt_enum *e = ce->e;
	char name[300];
	snprintf(name, sizeof(name), "%s__values", ce->c_name);
	put_strings(out, name, e->values, e->value_count);
	rt__buf_printf(out, "const rt_enum_desc %s_enum = {\n\t.name = ", ce->c_name);
	rt__cg_put_string(out, e->name);
	rt__buf_puts(out, ",\n\t.sql_name = ");
	if (e->schema) {
		rt_buf qualified = RT_BUF_INIT; /* billing.invoice_state */
		rt__buf_printf(&qualified, "%s.%s", e->schema, e->sql_name);
		if (rt__buf_failed(&qualified))
			out->failed = true;
		rt__cg_put_string(out, rt__buf_cstr(&qualified));
		rt__buf_free(&qualified);
	} else {
		rt__cg_put_string(out, e->sql_name);
	}
	rt__buf_printf(out, ",\n\t.values = %s__values,\n\t.value_count = %zu,\n};\n\n", ce->c_name,
		       e->value_count);
}

/* --- one model ------------------------------------------------------------------- */

static int put_defaults(rt_buf *out, const cg_plan *plan, const cg_model *m)
{
	if (!m->has_defaults)
		return RT_OK;
	for (size_t i = 0; i < m->column_count; i++)
		rt__cg_put_default_storage(out, m, &m->columns[i]);
	rt__buf_printf(out, "static const %s %s_defaults = {\n", m->name, m->name);
	for (size_t i = 0; i < m->column_count; i++) {
		const cg_column *cc = &m->columns[i];
		if (!cc->has_default)
			continue;
		rt__buf_printf(out, "\t.%s = ", cc->path);
		int rc = rt__cg_put_default(out, m, cc);
		if (rc != RT_OK)
			return rc;
		rt__buf_puts(out, ",\n");
	}
	rt__buf_puts(out, "};\n");
	return RT_OK;
}

static void put_columns(rt_buf *out, const cg_model *m)
{
	rt__buf_printf(out, "static const rt_column_desc %s__columns[] = {\n", m->name);
	for (size_t i = 0; i < m->column_count; i++) {
		const cg_column *cc = &m->columns[i];
		rt__buf_puts(out, "\t{.name = ");
		rt__cg_put_string(out, cc->column->name);
		rt__buf_puts(out, ", .field = ");
		rt__cg_put_string(out, cc->field);
		rt__buf_printf(out, ", .kind = %s, .offset = offsetof(%s, %s), .flags = ",
			       cc->type->kind, m->name, cc->path);
		rt__cg_put_column_flags(out, cc->flags);
		if (cc->enum_type)
			rt__buf_printf(out, ", .enum_type = &%s_enum", cc->enum_type->c_name);
		if (cc->column->type.kind == RT_TYPE_NUMERIC)
			rt__buf_printf(out, ", .precision = %d, .scale = %d",
				       cc->column->type.precision, cc->column->type.scale);
		if (cc->type->element)
			rt__buf_printf(out, ", .element = %s", cc->type->element);
		rt__buf_puts(out, "},\n");
	}
	rt__buf_puts(out, "};\n");
}

static void put_relationships(rt_buf *out, const cg_plan *plan, const cg_model *m)
{
	if (!m->relationship_count)
		return;
	rt_arena *a = plan->arena;
	for (size_t i = 0; i < m->relationship_count; i++) {
		const cg_relationship *cr = &m->relationships[i];
		size_t n = (size_t)cr->column_count;
		put_ints(out, rt__arena_printf(a, "%s__%s_columns", m->name, cr->field), cr->columns,
			 n);
		put_ints(out, rt__arena_printf(a, "%s__%s_target_columns", m->name, cr->field),
			 cr->target_columns, n);
		if (cr->secondary) {
			put_strings(out,
				    rt__arena_printf(a, "%s__%s_secondary_columns", m->name,
						     cr->field),
				    cr->secondary_columns, n);
			put_strings(out,
				    rt__arena_printf(a, "%s__%s_secondary_target_columns", m->name,
						     cr->field),
				    cr->secondary_target_columns, n);
		}
	}
	rt__buf_printf(out, "static const rt_relationship_desc %s__relationships[] = {\n", m->name);
	for (size_t i = 0; i < m->relationship_count; i++) {
		const cg_relationship *cr = &m->relationships[i];
		const char *f = cr->field;
		rt__buf_puts(out, "\t{.name = ");
		rt__cg_put_string(out, cr->rel->name);
		rt__buf_printf(out, ",\n\t .kind = %s,\n\t .target = &%s_model,\n"
				    "\t .offset = offsetof(%s, %s),\n\t .flags = ",
			       cr->kind, cr->target->name, m->name, f);
		put_relationship_flags(out, cr->flags);
		rt__buf_printf(out, ",\n\t .columns = %s__%s_columns,\n"
				    "\t .target_columns = %s__%s_target_columns,\n"
				    "\t .column_count = %d,\n",
			       m->name, f, m->name, f, cr->column_count);
		if (cr->secondary) {
			rt__buf_puts(out, "\t .secondary = ");
			rt__cg_put_string(out, cr->secondary);
			rt__buf_printf(out, ",\n\t .secondary_columns = %s__%s_secondary_columns,\n"
					    "\t .secondary_target_columns = "
					    "%s__%s_secondary_target_columns,\n",
				       m->name, f, m->name, f);
			if (cr->secondary_schema) {
				rt__buf_puts(out, "\t .secondary_schema = ");
				rt__cg_put_string(out, cr->secondary_schema);
				rt__buf_puts(out, ",\n");
			}
		}
		rt__buf_printf(out, "\t .back = %d,\n\t .order_by = %d},\n", cr->back, cr->order_by);
	}
	rt__buf_puts(out, "};\n");
}

static void put_foreign_keys(rt_buf *out, const cg_plan *plan, const cg_model *m)
{
	if (!m->foreign_key_count)
		return;
	for (size_t i = 0; i < m->foreign_key_count; i++) {
		const cg_foreign_key *fk = &m->foreign_keys[i];
		put_ints(out, rt__arena_printf(plan->arena, "%s__fk%zu_columns", m->name, i),
			 fk->columns, (size_t)fk->column_count);
	}
	rt__buf_printf(out, "static const rt_foreign_key_desc %s__foreign_keys[] = {\n", m->name);
	for (size_t i = 0; i < m->foreign_key_count; i++) {
		const cg_foreign_key *fk = &m->foreign_keys[i];
		rt__buf_printf(out, "\t{.columns = %s__fk%zu_columns, .column_count = %d, "
				    ".target_table = ",
			       m->name, i, fk->column_count);
		rt__cg_put_string(out, fk->target_table);
		if (fk->target)
			rt__buf_printf(out, ", .target = &%s_model", fk->target->name);
		rt__buf_puts(out, "},\n");
	}
	rt__buf_puts(out, "};\n");
}

/* The inheritance fields of a model's description. */
static void put_inheritance(rt_buf *out, const cg_model *m)
{
	if (!m->parent && !m->subclass_count && !m->table->identity)
		return;
	if (m->parent)
		rt__buf_printf(out, "\t.parent = &%s_model,\n", m->parent->name);
	if (m->table->identity) {
		rt__buf_puts(out, "\t.identity = ");
		rt__cg_put_string(out, m->table->identity);
		rt__buf_puts(out, ",\n");
	}
	const char *discriminator = m->root->table->discriminator;
	for (size_t i = 0; discriminator && i < m->column_count; i++)
		if (strcmp(m->columns[i].column->name, discriminator) == 0)
			rt__buf_printf(out, "\t.discriminator = %zu,\n", i);
	if (m->subclass_count)
		rt__buf_printf(out, "\t.subclasses = %s__subclasses,\n\t.subclass_count = %zu,\n",
			       m->name, m->subclass_count);
	if (m->table->joined)
		rt__buf_puts(out, "\t.joined = true,\n");
}

/* The list of a model's subclasses, when it has any. */
static void put_subclass_list(rt_buf *out, const cg_model *m)
{
	if (!m->subclass_count)
		return;
	rt__buf_printf(out, "static const rt_model_desc *const %s__subclasses[] = {\n", m->name);
	for (size_t i = 0; i < m->subclass_count; i++)
		rt__buf_printf(out, "\t&%s_model,\n", m->subclasses[i]->name);
	rt__buf_puts(out, "};\n");
}

static void put_model_desc(rt_buf *out, const cg_model *m)
{
	const char *n = m->name;
	rt__buf_printf(out, "const rt_model_desc %s_model = {\n", n);
	rt__buf_puts(out, "\t.version = RT_MODEL_DESC_VERSION,\n\t.name = ");
	rt__cg_put_string(out, n);
	rt__buf_puts(out, ",\n\t.table = ");
	rt__cg_put_string(out, rt__table_sql_name(m->table));
	if (m->table->schema) {
		rt__buf_puts(out, ",\n\t.schema = ");
		rt__cg_put_string(out, m->table->schema);
	}
	rt__buf_printf(out, ",\n\t.size = sizeof(%s),\n", n);
	if (m->has_defaults)
		rt__buf_printf(out, "\t.defaults = &%s_defaults,\n", n);
	rt__buf_printf(out, "\t.columns = %s__columns,\n\t.column_count = %zu,\n", n,
		       m->column_count);
	if (m->primary_key_count)
		rt__buf_printf(out, "\t.primary_key = %s__primary_key,\n\t.primary_key_count = %zu,\n",
			       n, m->primary_key_count);
	/* A subclass shares its root's relationships and foreign keys: the
	 * root's struct begins its own, so their offsets hold. */
	const cg_model *root = m->root ? m->root : m;
	if (root->relationship_count)
		rt__buf_printf(out, "\t.relationships = %s__relationships,\n"
				    "\t.relationship_count = %zu,\n",
			       root->name, root->relationship_count);
	if (root->foreign_key_count)
		rt__buf_printf(out, "\t.foreign_keys = %s__foreign_keys,\n"
				    "\t.foreign_key_count = %zu,\n",
			       root->name, root->foreign_key_count);
	put_inheritance(out, m);
	if (m->table->is_view) {
		rt__buf_puts(out, "\t.view = ");
		rt__cg_put_string(out, m->table->name);
		rt__buf_puts(out, ",\n");
	}
	rt__buf_puts(out, "};\n");
}

static void put_handles(rt_buf *out, const cg_model *m)
{
	rt__buf_printf(out, "const struct %s_columns %s_c = {\n", m->name, m->name);
	for (size_t i = 0; i < m->column_count; i++)
		rt__buf_printf(out, "\t.%s = {{&%s_model, %zu}},\n", m->columns[i].field, m->name, i);
	rt__buf_puts(out, "};\n");
	if (!m->relationship_count)
		return;
	rt__buf_printf(out, "const struct %s_relationships %s_r = {\n", m->name, m->name);
	for (size_t i = 0; i < m->relationship_count; i++)
		rt__buf_printf(out, "\t.%s = {&%s_model, %zu},\n", m->relationships[i].field,
			       m->name, i);
	rt__buf_puts(out, "};\n");
}

/* --- typed functions ------------------------------------------------------------- */

/* The rt_value_ref of key argument i of the get function. */
static void put_key_value(rt_buf *out, const cg_model *m, size_t i)
{
	const cg_column *cc = &m->columns[m->primary_key[i]];
	const char *param = m->key_params[i];
	if (cc->enum_type)
		rt__buf_printf(out, "rt_enum_value(&%s_enum, (int)%s)", cc->enum_type->c_name, param);
	else
		rt__buf_printf(out, "%s(%s)", cc->type->key, param);
}

static void put_functions(rt_buf *out, const cg_model *m)
{
	const char *n = m->name;
	rt__buf_printf(out, "\nint %s_new(%s **out, rt_session *session)\n{\n"
			    "\treturn rt_object_new(out, session, &%s_model);\n}\n",
		       n, n, n);
	if (m->primary_key_count) {
		rt__buf_putc(out, '\n');
		rt__cg_put_get_signature(out, m);
		rt__buf_printf(out, "\n{\n\trt_value_ref key[%zu];\n", m->primary_key_count);
		for (size_t i = 0; i < m->primary_key_count; i++) {
			rt__buf_printf(out, "\tkey[%zu] = ", i);
			put_key_value(out, m, i);
			rt__buf_puts(out, ";\n");
		}
		rt__buf_printf(out, "\treturn rt_object_get(out, session, &%s_model, key);\n}\n", n);
	}
	/* Hooks: the caller of the program's typed hook, as __deliver is for
	 * the non-blocking functions' callbacks. */
	rt__buf_printf(out, "\nstatic int %s__hook_call(rt_hook_any fn, rt_session *session, "
			    "void *object, void *user)\n{\n"
			    "\treturn ((%s_hook)fn)(session, (%s *)object, user);\n}\n",
		       n, n, n);
	/* Hooks and a column's validators (rt_session_validator_add), on a
	 * session or on an engine, typed the same. */
	static const char *const owners[][3] = {{"", "rt_session *session", "session"},
						{"engine_", "rt_engine *engine", "engine"}};
	static const char *const kinds[][3] = {{"hook", "rt_hook_event event", "event"},
					       {"validator", "const char *column", "column"}};
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < 2; i++)
			rt__buf_printf(out, "\nint %s_%s%s_add(%s, %s, %s_hook fn, void *user)\n{\n"
					    "\treturn rt_%s_%s_add_as(%s, &%s_model, %s, %s__hook_call, "
					    "(rt_hook_any)fn, user);\n}\n",
				       n, owners[i][0], kinds[k][0], owners[i][1], kinds[k][1], n,
				       owners[i][2], kinds[k][0], owners[i][2], n, kinds[k][2], n);
	/* The caller of the program's typed callback: rt_async_fn back to
	 * its own type (calling it as another type would not be valid C). */
	rt__buf_printf(out, "\nstatic void %s__deliver(rt_async_fn done, rt_async_op *op, int rc, "
			    "void *object, void *user)\n{\n"
			    "\t((%s_async_done)done)(op, rc, (%s *)object, user);\n}\n",
		       n, n, n);
	if (m->primary_key_count) {
		rt__buf_putc(out, '\n');
		rt__cg_put_async_signature(out, m, "get");
		rt__buf_printf(out, "\n{\n\trt_value_ref key[%zu];\n", m->primary_key_count);
		for (size_t i = 0; i < m->primary_key_count; i++) {
			rt__buf_printf(out, "\tkey[%zu] = ", i);
			put_key_value(out, m, i);
			rt__buf_puts(out, ";\n");
		}
		rt__buf_printf(out, "\treturn rt_async_object_get_as(async, op, session, &%s_model, "
				    "key, %s__deliver,\n\t\t\t\t      (rt_async_fn)done, user);\n}\n",
			       n, n);
	}
	static const char *const forms[] = {"first", "one", "one_or_none"};
	for (size_t i = 0; i < 3; i++) {
		rt__buf_putc(out, '\n');
		rt__cg_put_async_signature(out, m, forms[i]);
		rt__buf_printf(out, "\n{\n\treturn rt_async_query_%s_as(async, op, query, &%s_model, "
				    "%s__deliver,\n\t\t\t\t(rt_async_fn)done, user);\n}\n",
			       forms[i], n, n);
	}
	rt__buf_printf(out, "\nint %s_query(rt_query **out, rt_session *session)\n{\n"
			    "\treturn rt_query_new(out, session, &%s_model);\n}\n",
		       n, n);
	rt__buf_printf(out, "\nint %s_delete(%s *object)\n{\n\treturn rt_object_delete(object);\n}\n",
		       n, n);
	rt__buf_printf(out, "\nint %s_upsert(%s **out, rt_session *session, %s *const *objects, "
			    "size_t count,\n\tconst rt_upsert_options *options)\n{\n"
			    "\treturn rt_session_upsert((void **)out, session, (void *const *)objects, "
			    "count, options);\n}\n",
		       n, n, n);
	rt__buf_printf(out, "\nint %s_from_row(%s **out, rt_rows *rows, int first_column)\n{\n"
			    "\treturn rt_rows_object(rows, &%s_model, first_column, out);\n}\n",
		       n, n, n);
	/* Setters take the member's address only from a real object: NULL
	 * goes to the library, which reports the misuse. */
	for (size_t i = 0; i < m->column_count; i++) {
		const cg_column *cc = &m->columns[i];
		const char *f = cc->field, *path = cc->path;
		if (cc->column->generated)
			continue; /* read-only: no setter */
		if (cc->column->type.array) {
			rt__buf_printf(out, "\nint %s_set_%s(%s *object, ", n, f, n);
			rt__cg_put_items_param(out, cc);
			rt__buf_printf(out, ", size_t count)\n{\n\treturn rt_object_set_array(object, "
					    "object ? &object->%s : NULL, items, count);\n}\n",
				       path);
			continue;
		}
		switch (cc->column->type.kind) {
		case RT_TYPE_BLOB:
			rt__buf_printf(out, "\nint %s_set_%s(%s *object, const void *data, size_t len)\n"
					    "{\n\treturn rt_object_set_blob(object, object ? "
					    "&object->%s : NULL, data, len);\n}\n",
				       n, f, n, path);
			break;
		case RT_TYPE_NUMERIC:
		case RT_TYPE_STRING:
		case RT_TYPE_CHAR:
		case RT_TYPE_TEXT:
		case RT_TYPE_JSON:
		case RT_TYPE_SQL:
			rt__buf_printf(out, "\nint %s_set_%s(%s *object, const char *value)\n"
					    "{\n\treturn rt_object_set_text(object, object ? "
					    "&object->%s : NULL, value);\n}\n",
				       n, f, n, path);
			break;
		default:
			break;
		}
	}
	for (size_t i = 0; i < m->relationship_count; i++) {
		const cg_relationship *cr = &m->relationships[i];
		const char *f = cr->field, *t = cr->target->name;
		rt__buf_printf(out, "\nint %s_load_%s(%s *object)\n{\n\treturn rt_object_load(object, ",
			       n, f, n);
		rt__cg_put_string(out, cr->rel->name);
		rt__buf_puts(out, ");\n}\n");
		rt__buf_printf(out, "\nrt_expr *%s_has_%s(rt_query *query, rt_expr *condition)\n{\n"
				    "\treturn rt_where_has(query, &%s_model, ",
			       n, f, n);
		rt__cg_put_string(out, cr->rel->name);
		rt__buf_puts(out, ", condition);\n}\n");
		rt__buf_printf(out, "\nint %s_load_%s_async(rt_async *async, rt_async_op **op, "
				    "%s *object,\n\trt_async_done done, void *user)\n{\n"
				    "\treturn rt_async_object_load(async, op, object, ",
			       n, f, n);
		rt__cg_put_string(out, cr->rel->name);
		rt__buf_puts(out, ", done, user);\n}\n");
		if (cr->to_many) {
			rt__buf_printf(out, "\nint %s_add_%s(%s *object, %s *item)\n{\n"
					    "\treturn rt_object_link(object, ",
				       n, f, n, t);
			rt__cg_put_string(out, cr->rel->name);
			rt__buf_printf(out, ", item);\n}\n\nint %s_remove_%s(%s *object, %s *item)\n{\n"
					    "\treturn rt_object_unlink(object, ",
				       n, f, n, t);
			rt__cg_put_string(out, cr->rel->name);
			rt__buf_puts(out, ", item);\n}\n");
		} else {
			rt__buf_printf(out, "\nint %s_set_%s(%s *object, %s *target)\n{\n"
					    "\treturn rt_object_link(object, ",
				       n, f, n, t);
			rt__cg_put_string(out, cr->rel->name);
			rt__buf_puts(out, ", target);\n}\n");
		}
	}
}

static int put_model(rt_buf *out, const cg_plan *plan, const cg_model *m)
{
	rt__buf_printf(out, "/* --- %s --- */\n\n", m->name);
	int rc = put_defaults(out, plan, m);
	if (rc != RT_OK)
		return rc;
	put_columns(out, m);
	if (m->primary_key_count)
		put_ints(out, rt__arena_printf(plan->arena, "%s__primary_key", m->name),
			 m->primary_key, m->primary_key_count);
	put_relationships(out, plan, m);
	put_foreign_keys(out, plan, m);
	put_subclass_list(out, m);
	put_model_desc(out, m);
	put_handles(out, m);
	put_functions(out, m);
	rt__buf_putc(out, '\n');
	return RT_OK;
}

int rt__cg_write_source(rt_buf *out, const cg_plan *plan)
{
	rt__buf_puts(out, "/* generated by retort gen from ");
	rt__cg_put_comment_text(out, plan->source_name);
	rt__buf_printf(out, "; do not edit */\n#include <stddef.h>\n\n#include \"%s.h\"\n\n",
		       plan->name);
	for (size_t i = 0; i < plan->enum_count; i++)
		put_enum(out, &plan->enums[i]);
	for (size_t i = 0; i < plan->model_count; i++) {
		int rc = put_model(out, plan, &plan->models[i]);
		if (rc != RT_OK)
			return rc;
	}
	if (plan->model_count) {
		rt__buf_printf(out, "static const rt_model_desc *const %s__list[] = {\n", plan->name);
		for (size_t i = 0; i < plan->model_count; i++)
			rt__buf_printf(out, "\t&%s_model,\n", plan->models[i].name);
		rt__buf_puts(out, "};\n");
	}
	rt__buf_printf(out, "const rt_model_set %s_models = {\n", plan->name);
	if (plan->model_count)
		rt__buf_printf(out, "\t.models = %s__list,\n", plan->name);
	rt__buf_printf(out, "\t.model_count = %zu,\n};\n", plan->model_count);
	return RT_OK;
}
