/*
 * validate.c - the first passes of validation (validate.h): declarations,
 * members and mixin expansion; validate_constraints.c has the third.
 *
 * Declarations are registered before any member is looked at, so a model
 * may use an enum, a mixin or another model declared further down or in a
 * file included later. A declaration whose name is taken is reported and
 * left out, so that one mistake does not cascade into many.
 */
#include "schema/validate.h"

#include <string.h>

#include "schema/naming.h"

/* --- shared helpers -------------------------------------------------------- */

void rt__build_nomem(rt_build *b)
{
	b->diags->nomem = true;
}

const char *rt__build_keep(rt_build *b, const char *text)
{
	if (!text)
		return NULL;
	const char *copy = rt__arena_strdup(b->arena, text);
	if (!copy)
		rt__build_nomem(b);
	return copy;
}

const char *rt__build_owner(rt_build *b, const rt_table *table)
{
	const char *text = table->model
		? rt__arena_printf(b->scratch, "model %s", table->model)
		: rt__arena_printf(b->scratch, "table %s", table->name);
	return text ? text : "?";
}

rt_build_table *rt__build_table(rt_build *b, const rt_table *table)
{
	return rt__map_get(&b->tables_by_name, table->name);
}

const char *rt__build_where(rt_build *b, rt_pos pos, rt_pos here)
{
	const char *text;
	if (pos.file && here.file && strcmp(pos.file, here.file) != 0)
		text = rt__arena_printf(b->scratch, "%s:%d", pos.file, pos.line);
	else
		text = rt__arena_printf(b->scratch, "line %d", pos.line);
	return text ? text : "?";
}

static bool same_column_set(const char *const *a, size_t n, const char *const *b,
			    size_t m)
{
	if (n != m || n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < m && strcmp(a[i], b[j]) != 0)
			j++;
		if (j == m)
			return false;
	}
	return true;
}

bool rt__build_columns_unique(const rt_table *table, const char *const *columns,
			      size_t count)
{
	if (table->primary_key &&
	    same_column_set(table->primary_key->columns, table->primary_key->column_count,
			    columns, count))
		return true;
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE &&
		    same_column_set(c->columns, c->column_count, columns, count))
			return true;
	}
	for (size_t i = 0; i < table->index_count; i++) {
		const rt_index *index = table->indexes[i];
		if (index->unique && rt__index_plain_on(index, columns, count, false))
			return true;
	}
	return false;
}

static const char *decl_kind_name(rt_ast_decl_kind kind)
{
	switch (kind) {
	case RT_AST_MODEL: return "model";
	case RT_AST_TABLE: return "table";
	case RT_AST_MIXIN: return "mixin";
	case RT_AST_ENUM: return "enum";
	case RT_AST_SQL_OBJECT: return "SQL object";
	}
	return "declaration";
}

/* --- pass 1: declarations ------------------------------------------------ */

/* Model, enum and mixin names share one namespace: each can stand where a
 * type is expected. Returns false (reported) when the name is taken. */
static bool declare_type(rt_build *b, const rt_ast_decl *decl)
{
	const rt_ast_decl *first = rt__map_get(&b->types, decl->name.text);
	if (first) {
		rt__diag_error(b->diags, decl->name.pos,
			       "duplicate name '%s': the %s at %s already has it",
			       decl->name.text, decl_kind_name(first->kind),
			       rt__build_where(b, first->name.pos, decl->name.pos));
		return false;
	}
	if (rt__map_put(&b->types, decl->name.text, (void *)decl) < 0) {
		rt__build_nomem(b);
		return false;
	}
	return true;
}

static void check_length(rt_build *b, rt_pos pos, const char *what, const char *name)
{
	size_t len = strlen(name);
	if (len > RT_MAX_IDENTIFIER_LENGTH)
		rt__diag_error(b->diags, pos,
			       "%s '%s' is %zu bytes long, " RT_IDENTIFIER_LIMIT_WORDS, what,
			       name, len,
			       RT_MAX_IDENTIFIER_LENGTH);
}

static void declare_enum(rt_build *b, const rt_ast_decl *decl)
{
	const char *sql_name = rt__name_snake_case(b->scratch, decl->name.text);
	rt_enum *e = sql_name ? rt__schema_add_enum(b->schema, decl->name.text, sql_name)
			      : NULL;
	if (!e) {
		rt__build_nomem(b);
		return;
	}
	e->pos = decl->name.pos;
	if (rt__enum_set_schema(b->schema, e, decl->schema.text) < 0 ||
	    (e->schema && rt__schema_add_namespace(b->schema, e->schema) < 0)) {
		rt__build_nomem(b);
		return;
	}
	check_length(b, decl->name.pos, "the enum type name", sql_name);
	if (decl->values.count == 0)
		rt__diag_error(b->diags, decl->name.pos, "enum %s has no values",
			       decl->name.text);
	rt_map seen;
	rt__map_init(&seen, b->scratch);
	for (size_t i = 0; i < decl->values.count; i++) {
		const rt_ast_name *value = &decl->values.items[i];
		const rt_ast_name *first = rt__map_get(&seen, value->text);
		if (first) {
			rt__diag_error(b->diags, value->pos,
				       "duplicate value '%s' in enum %s (first at %s)",
				       value->text, decl->name.text,
				       rt__build_where(b, first->pos, value->pos));
			continue;
		}
		check_length(b, value->pos, "the enum value", value->text);
		if (rt__map_put(&seen, value->text, (void *)value) < 0 ||
		    rt__enum_add_value(b->schema, e, value->text) < 0) {
			rt__build_nomem(b);
			return;
		}
	}
}

/* A mixin's members land in other tables: it cannot name or describe the
 * table itself. Reported once per mixin, not once per use. */
static void declare_mixin(rt_build *b, const rt_ast_decl *decl)
{
	if (rt__map_put(&b->mixins, decl->name.text, (void *)decl) < 0) {
		rt__build_nomem(b);
		return;
	}
	for (size_t i = 0; i < decl->member_count; i++) {
		const rt_ast_member *m = decl->members[i];
		if (m->kind == RT_AST_TABLE_NAME || m->kind == RT_AST_COMMENT ||
		    m->kind == RT_AST_SCHEMA_NAME)
			rt__diag_error(b->diags, m->pos,
				       "a mixin cannot set the %s; set it in each model "
				       "that uses %s",
				       m->kind == RT_AST_TABLE_NAME ? "table name"
				       : m->kind == RT_AST_COMMENT  ? "table comment"
								    : "table's schema",
				       decl->name.text);
	}
}

/* The one member of a kind (table 'x', comment '...') a body may hold. */
static const rt_ast_member *single_member(rt_build *b, const rt_ast_decl *decl,
					  rt_ast_member_kind kind, const char *what)
{
	const rt_ast_member *found = NULL;
	for (size_t i = 0; i < decl->member_count; i++) {
		const rt_ast_member *m = decl->members[i];
		if (m->kind != kind)
			continue;
		if (found)
			rt__diag_error(b->diags, m->pos,
				       "%s is given twice (first at %s)", what,
				       rt__build_where(b, found->pos, m->pos));
		else
			found = m;
	}
	return found;
}

/* The PostgreSQL schema a body's `schema '...'` member names, or NULL for
 * none (the default schema, public, is none too). */
static const char *schema_member(rt_build *b, const rt_ast_decl *decl)
{
	const rt_ast_member *m = single_member(b, decl, RT_AST_SCHEMA_NAME, "the schema");
	if (!m)
		return NULL;
	const char *name = m->text.text;
	if (!*name || strchr(name, '.')) {
		rt__diag_error(b->diags, m->text.pos,
			       *name ? "a schema's name holds no '.': '%s'"
				     : "the schema name is empty%s",
			       name);
		return NULL;
	}
	check_length(b, m->text.pos, "the schema name", name);
	return strcmp(name, RT_DEFAULT_SCHEMA) == 0 ? NULL : name;
}

/* The SQL name of a model's or table's table (without its schema), and
 * where it is written; NULL when it cannot have one. *sql_schema receives
 * its PostgreSQL schema, or NULL. */
static const char *table_name(rt_build *b, const rt_ast_decl *decl, bool *derived,
			      rt_pos *pos, const char **sql_schema)
{
	const rt_ast_member *named = single_member(b, decl, RT_AST_TABLE_NAME,
						   "the table name");
	*derived = false;
	*pos = named ? named->text.pos : decl->name.pos;
	*sql_schema = schema_member(b, decl);
	if (decl->kind == RT_AST_TABLE) {
		if (named)
			rt__diag_error(
				b->diags, named->pos,
				"'table ...' renames a model's table; this table is "
				"already named %s by its declaration",
				decl->name.text);
		return decl->name.text;
	}
	if (decl->joined_table.text) {
		*pos = decl->joined_table.pos;
		if (named)
			rt__diag_error(b->diags, named->pos,
				       "model %s names its table after 'extends': 'table ...' "
				       "cannot name it again", decl->name.text);
		return decl->joined_table.text;
	}
	if (decl->view.text) {
		*pos = decl->view.pos;
		if (named)
			rt__diag_error(b->diags, named->pos,
				       "model %s is mapped onto view %s, whose name it takes: "
				       "'table ...' cannot name it otherwise",
				       decl->name.text, decl->view.text);
		return decl->view.text;
	}
	if (named) {
		if (!*named->text.text) {
			rt__diag_error(b->diags, named->text.pos,
				       "the table name is empty");
			return NULL;
		}
		/* 'billing.accounts' is how SQL names table accounts in schema
		 * billing, and so it is read: the same as schema 'billing' with
		 * table 'accounts'. A name that really holds a dot is written as
		 * the quoted SQL name it is: table "my.notes". */
		const char *dot = strchr(named->text.text, '.');
		if (dot && !named->verbatim) {
			const char *sch = rt__arena_strndup(b->scratch, named->text.text,
							    (size_t)(dot - named->text.text));
			if (!sch) {
				rt__build_nomem(b);
				return NULL;
			}
			if (*sql_schema && strcmp(*sql_schema, sch) != 0)
				rt__diag_error(b->diags, named->text.pos,
					       "'%s' is table %s in schema %s, but "
					       "schema '%s' is given too",
					       named->text.text, dot + 1, sch, *sql_schema);
			else if (!*sch || !dot[1] || strchr(dot + 1, '.'))
				rt__diag_error(b->diags, named->text.pos,
					       "'%s' is no table name: write "
					       "'schema.table', or a table whose name "
					       "holds a dot as the quoted SQL name it "
					       "is, table \"%s\"",
					       named->text.text, named->text.text);
			else if (strcmp(sch, RT_DEFAULT_SCHEMA) != 0)
				*sql_schema = sch;
			return dot + 1;
		}
		return named->text.text;
	}
	*derived = true;
	const char *name = rt__name_table_for_model(b->scratch, decl->name.text);
	if (!name)
		rt__build_nomem(b);
	return name;
}

static void declare_table(rt_build *b, const rt_ast_decl *decl)
{
	bool derived;
	rt_pos name_pos;
	const char *sql_schema;
	const char *sql_name = table_name(b, decl, &derived, &name_pos, &sql_schema);
	if (!sql_name)
		return;
	/* Tables are told apart by schema and name: billing.accounts */
	const char *name = sql_schema ? rt__arena_printf(b->scratch, "%s.%s", sql_schema,
							 sql_name)
				      : sql_name;
	if (!name) {
		rt__build_nomem(b);
		return;
	}
	rt_pos pos = decl->name.pos;
	const rt_build_table *first = rt__map_get(&b->tables_by_name, name);
	if (first) {
		rt__diag_error(b->diags, pos,
			       "duplicate table name '%s': %s at %s already has it%s",
			       name, rt__build_owner(b, first->table),
			       rt__build_where(b, first->table->pos, pos),
			       derived ? " (name this one with table '...')" : "");
		return;
	}
	check_length(b, name_pos, "the table name", sql_name);

	rt_table *table = rt__schema_add_table_in(
		b->schema, sql_schema, sql_name,
		decl->kind == RT_AST_MODEL ? decl->name.text : NULL);
	if (table && sql_schema && rt__schema_add_namespace(b->schema, sql_schema) < 0)
		table = NULL;
	rt_build_table *bt = rt__arena_alloc(b->scratch, sizeof(*bt));
	if (!table || !bt) {
		rt__build_nomem(b);
		return;
	}
	table->pos = pos;
	/* A table's previous name is one in its own schema. */
	table->was = decl->was.text && table->schema
			     ? rt__arena_printf(b->arena, "%s.%s", table->schema, decl->was.text)
			     : rt__build_keep(b, decl->was.text);
	table->options = decl->options;
	table->collation = rt__build_keep(b, decl->collation.text);
	rt__build_partitioning(b, table, decl);
	table->is_view = decl->view.text != NULL;
	const rt_ast_member *comment = single_member(b, decl, RT_AST_COMMENT,
						     "the table comment");
	if (comment)
		table->comment = rt__build_keep(b, comment->text.text);
	for (size_t i = 0; i < decl->uses.count; i++) {
		const char *mixin = rt__build_keep(b, decl->uses.items[i].text);
		if (!mixin || RT_ARENA_PUSH(b->arena, table->mixins, table->mixin_count,
					    table->mixin_cap, mixin) < 0) {
			rt__build_nomem(b);
			return;
		}
	}
	bt->table = table;
	bt->decl = decl;
	rt__map_init(&bt->members_by_name, b->scratch);
	if (rt__map_put(&b->tables_by_name, table->name, bt) < 0 ||
	    RT_ARENA_PUSH(b->scratch, b->tables, b->table_count, b->table_cap, bt) < 0)
		rt__build_nomem(b);
}

static void declare_all(rt_build *b, const rt_ast *ast)
{
	for (size_t i = 0; i < ast->count; i++) {
		const rt_ast_decl *decl = ast->decls[i];
		switch (decl->kind) {
		case RT_AST_ENUM:
			if (declare_type(b, decl))
				declare_enum(b, decl);
			break;
		case RT_AST_MIXIN:
			if (declare_type(b, decl))
				declare_mixin(b, decl);
			break;
		case RT_AST_MODEL:
			if (!declare_type(b, decl))
				break;
			if (!decl->extends.text || decl->joined_table.text)
				declare_table(b, decl);
			else if (RT_ARENA_PUSH(b->scratch, b->subclasses, b->subclass_count,
					       b->subclass_cap, decl) < 0)
				rt__build_nomem(b);
			break;
		case RT_AST_TABLE:
			declare_table(b, decl);
			break;
		case RT_AST_SQL_OBJECT:
			break; /* validate_objects.c, once the tables are known */
		}
	}
}

/* --- pass 2: members ------------------------------------------------------ */

void rt__build_push_member(rt_build *b, rt_build_table *bt, const rt_ast_member *m,
			   const rt_ast_decl *mixin, const rt_ast_decl *subclass)
{
	if (rt__arena_reserve(b->scratch, (void **)&bt->members, &bt->member_cap,
			      bt->member_count + 1, sizeof(*bt->members)) < 0) {
		rt__build_nomem(b);
		return;
	}
	rt_build_member *bm = &bt->members[bt->member_count++];
	bm->ast = m;
	bm->mixin = mixin;
	bm->subclass = subclass;
	bm->column = NULL;
}

static void unknown_name(rt_build *b, rt_pos pos, const char *what, const char *name,
			 const rt_map *candidates)
{
	rt_suggest s;
	rt__suggest_init(&s, name);
	for (size_t i = 0; i < candidates->cap; i++)
		if (candidates->entries[i].key)
			rt__suggest_consider(&s, candidates->entries[i].key);
	if (rt__suggest_result(&s))
		rt__diag_error(b->diags, pos, "%s '%s'; did you mean '%s'?", what, name,
			       rt__suggest_result(&s));
	else
		rt__diag_error(b->diags, pos, "%s '%s'", what, name);
}

/* Own members first, then each mixin's, in `uses` order. */
static void expand_members(rt_build *b, rt_build_table *bt)
{
	const rt_ast_decl *decl = bt->decl;
	for (size_t i = 0; i < decl->member_count; i++)
		if (rt__build_partition_member(b, bt, decl->members[i]))
			rt__build_push_member(b, bt, decl->members[i], NULL, NULL);
	for (size_t u = 0; u < decl->uses.count; u++) {
		const rt_ast_name *use = &decl->uses.items[u];
		const rt_ast_decl *mixin = rt__map_get(&b->mixins, use->text);
		if (!mixin) {
			const rt_ast_decl *other = rt__map_get(&b->types, use->text);
			if (other)
				rt__diag_error(b->diags, use->pos,
					       "'%s' is %s %s, not a mixin; 'uses' takes "
					       "mixins", use->text,
					       other->kind == RT_AST_ENUM ? "an" : "a",
					       decl_kind_name(other->kind));
			else
				unknown_name(b, use->pos, "unknown mixin", use->text,
					     &b->mixins);
			continue;
		}
		bool repeated = false;
		for (size_t v = 0; v < u; v++)
			repeated |= strcmp(decl->uses.items[v].text, use->text) == 0;
		if (repeated) {
			rt__diag_error(b->diags, use->pos, "mixin %s is used twice",
				       use->text);
			continue;
		}
		for (size_t i = 0; i < mixin->member_count; i++)
			if (mixin->members[i]->kind != RT_AST_TABLE_NAME &&
			    mixin->members[i]->kind != RT_AST_COMMENT &&
			    mixin->members[i]->kind != RT_AST_SCHEMA_NAME)
				rt__build_push_member(b, bt, mixin->members[i], mixin, NULL);
	}
}

/* " (from mixin X)" for messages about a member a mixin brought in. */
static const char *from_mixin(rt_build *b, const rt_build_member *bm)
{
	if (!bm->mixin)
		return "";
	const char *text = rt__arena_printf(b->scratch, " (from mixin %s)",
					    bm->mixin->name.text);
	return text ? text : "";
}

/* Registers a member's name; false (reported) when another has it. A
 * clash between the model's own member and a mixin's is reported at the
 * model's, which is the line the user is most likely to change. */
static bool claim_name(rt_build *b, rt_build_table *bt, rt_build_member *bm)
{
	const rt_ast_member *m = bm->ast;
	rt_build_member *first = rt__map_get(&bt->members_by_name, m->name.text);
	if (first && bm->mixin && !first->mixin) {
		rt__diag_error(b->diags, first->ast->name.pos,
			       "duplicate member '%s' in %s: mixin %s adds one too (%s)",
			       m->name.text, rt__build_owner(b, bt->table),
			       bm->mixin->name.text,
			       rt__build_where(b, m->name.pos, first->ast->name.pos));
		return false;
	}
	if (first && bm->subclass) {
		rt__diag_error(b->diags, m->name.pos,
			       "duplicate member '%s' in model %s: model %s has it (%s), and "
			       "the rows of both are in table %s",
			       m->name.text, bm->subclass->name.text,
			       first->subclass ? first->subclass->name.text : bt->table->model,
			       rt__build_where(b, first->ast->name.pos, m->name.pos),
			       bt->table->name);
		return false;
	}
	if (first) {
		rt__diag_error(b->diags, m->name.pos,
			       "duplicate member '%s' in %s%s: %s%s already declares it",
			       m->name.text, rt__build_owner(b, bt->table),
			       from_mixin(b, bm),
			       rt__build_where(b, first->ast->name.pos, m->name.pos),
			       from_mixin(b, first));
		return false;
	}
	if (rt__map_put(&bt->members_by_name, m->name.text, bm) < 0) {
		rt__build_nomem(b);
		return false;
	}
	return true;
}

static void build_column(rt_build *b, rt_build_table *bt, rt_build_member *bm,
			 const rt_type *type)
{
	const rt_ast_member *m = bm->ast;
	if (m->rel->first.text) {
		rt__diag_error(b->diags, m->rel->first.pos,
			       "'%s' applies to relationships; '%s' is a column of enum "
			       "type %s", m->rel->first.text, m->name.text,
			       m->type_name.text);
		return;
	}
	const char *sql_name =
		m->col->sql_name.text ? m->col->sql_name.text : m->name.text;
	if (!*sql_name) {
		rt__diag_error(b->diags, m->col->sql_name.pos,
			       "the column name is empty");
		return;
	}
	rt_column *twin = rt__table_find_column(bt->table, sql_name);
	if (twin) {
		rt__diag_error(b->diags,
			       m->col->sql_name.text ? m->col->sql_name.pos : m->name.pos,
			       "duplicate column name '%s' in table %s (the column at %s "
			       "has it)",
			       sql_name, bt->table->name,
			       rt__build_where(b, twin->pos, m->name.pos));
		return;
	}
	check_length(b, m->col->sql_name.text ? m->col->sql_name.pos : m->name.pos,
		     "the column name", sql_name);
	rt_column *column = rt__table_add_column(b->schema, bt->table, sql_name);
	if (!column) {
		rt__build_nomem(b);
		return;
	}
	bm->column = column;
	column->field =
		m->col->sql_name.text ? rt__build_keep(b, m->name.text) : column->name;
	column->type = *type;
	column->type.enum_name = rt__build_keep(b, type->enum_name);
	column->type.sql = rt__build_keep(b, type->sql);
	/* A subclass's column is NULL in the rows of the other models. */
	column->nullable = m->optional || bm->subclass;
	if (bm->subclass)
		column->subclass = rt__build_keep(b, bm->subclass->name.text);
	column->comment = rt__build_keep(b, m->col->comment.text);
	column->was = rt__build_keep(b, m->col->was.text);
	column->collation = rt__build_keep(b, m->col->collation.text);
	column->generated = rt__build_keep(b, m->col->generated.text);
	column->generated_virtual = m->col->generated_virtual;
	column->server_onupdate = RT_POS_SET(m->col->server_onupdate);
	column->version = RT_POS_SET(m->col->version);
	column->onupdate_now = RT_POS_SET(m->col->onupdate);
	column->pos = m->name.pos;
	if (m->col->default_value.value.kind != RT_LITERAL_NONE)
		rt__build_literal(b, column, &column->default_value,
				  &m->col->default_value, false);
	if (m->col->server_default.value.kind != RT_LITERAL_NONE)
		rt__build_literal(b, column, &column->server_default,
				  &m->col->server_default, true);
	rt__build_check_column_options(b, m, type);
	if (column->version)
		rt__build_check_version(b, m, bt->table, column);
}

static void build_relationship(rt_build *b, rt_build_table *bt, rt_build_member *bm)
{
	const rt_ast_member *m = bm->ast;
	if (m->col->first.text) {
		rt__diag_error(
			b->diags, m->col->first.pos,
			"'%s' applies to columns; '%s' is a relationship to %smodel %s",
			m->col->first.text, m->name.text, m->is_list ? "many rows of " : "",
			m->type_name.text);
		return;
	}
	if (m->is_list && m->optional) {
		rt__diag_error(b->diags, m->optional_pos,
			       "a list cannot be optional ('?'); an empty list already "
			       "means none");
		return;
	}
	rt_relationship *rel =
		rt__table_add_relationship(b->schema, bt->table, m->name.text);
	rt_build_rel *br = rt__arena_alloc(b->scratch, sizeof(*br));
	if (!rel || !br ||
	    RT_ARENA_PUSH(b->scratch, b->rels, b->rel_count, b->rel_cap, br) < 0) {
		rt__build_nomem(b);
		return;
	}
	if (RT_ARENA_PUSH(b->scratch, bt->rels, bt->rel_count, bt->rel_cap, br) < 0) {
		rt__build_nomem(b);
		return;
	}
	br->index = b->rel_count - 1;
	br->owner = bt;
	br->rel = rel;
	br->ast = m;
	rel->target = rt__build_keep(b, m->type_name.text);
	rel->is_list = m->is_list;
	rel->optional = m->optional;
	rel->back = rt__build_keep(b, m->rel->back.text);
	rel->through = rt__build_keep(b, m->rel->through.text);
	if (m->rel->on_column.text) {
		const char *on = m->rel->on_table.text
			? rt__arena_printf(b->arena, "%s.%s", m->rel->on_table.text,
					   m->rel->on_column.text)
			: rt__build_keep(b, m->rel->on_column.text);
		if (!on)
			rt__build_nomem(b);
		rel->on_column = on;
	}
	rel->order_desc = m->rel->order_desc;
	rel->cascade_delete = RT_POS_SET(m->rel->cascade_delete);
	rel->delete_orphan = RT_POS_SET(m->rel->delete_orphan);
	rel->pos = m->name.pos;
}

/* A type that is neither built in nor an enum nor a model. */
static void unknown_type(rt_build *b, const rt_ast_member *m)
{
	const char *name = m->type_name.text;
	if (rt__map_get(&b->mixins, name)) {
		rt__diag_error(b->diags, m->type_name.pos,
			       "'%s' is a mixin, not a type; to add its columns write "
			       "'uses %s' after the model's name", name, name);
		return;
	}
	rt_map models_and_enums;
	rt__map_init(&models_and_enums, b->scratch);
	for (size_t i = 0; i < b->schema->enum_count; i++)
		if (rt__map_put(&models_and_enums, b->schema->enums[i]->name, b) < 0)
			rt__build_nomem(b);
	for (size_t i = 0; i < b->schema->table_count; i++)
		if (b->schema->tables[i]->model &&
		    rt__map_put(&models_and_enums, b->schema->tables[i]->model, b) < 0)
			rt__build_nomem(b);
	rt_suggest s;
	rt__suggest_init(&s, name);
	for (size_t i = 0; i < models_and_enums.cap; i++)
		if (models_and_enums.entries[i].key)
			rt__suggest_consider(&s, models_and_enums.entries[i].key);
	if (rt__suggest_result(&s))
		rt__diag_error(
			b->diags, m->type_name.pos,
			"unknown type '%s': no model or enum has that name; did you "
			"mean '%s'?",
			name, rt__suggest_result(&s));
	else
		rt__diag_error(b->diags, m->type_name.pos,
			       "unknown type '%s': no model or enum has that name", name);
}

/* The enum a type name names: one of the schema's, or in a script's
 * definition one the script created (validate.h). */
static rt_enum *find_enum(rt_build *b, const char *name)
{
	if (!b->fragment)
		return rt__schema_find_enum(b->schema, name);
	if (!b->fragment->find_enum)
		return NULL;
	return (rt_enum *)b->fragment->find_enum(b->fragment->ctx, name);
}

static void build_members(rt_build *b, rt_build_table *bt)
{
	for (size_t i = 0; i < bt->member_count; i++) {
		rt_build_member *bm = &bt->members[i];
		const rt_ast_member *m = bm->ast;
		if (m->kind != RT_AST_FIELD || !claim_name(b, bt, bm))
			continue;
		rt_enum *e;
		if (m->builtin) {
			build_column(b, bt, bm, &m->type);
		} else if ((e = find_enum(b, m->type_name.text))) {
			rt_type type = {.kind = RT_TYPE_ENUM, .enum_name = e->name,
					.enum_type = e, .array = m->is_list};
			build_column(b, bt, bm, &type);
		} else if (b->fragment) {
			/* An enum the database may hold already. */
			rt_type type = {.kind = RT_TYPE_ENUM, .enum_name = m->type_name.text,
					.array = m->is_list};
			build_column(b, bt, bm, &type);
		} else if (rt__schema_find_model(b->schema, m->type_name.text)) {
			if (bm->subclass)
				rt__diag_error(b->diags, m->type_name.pos,
					       "model %s keeps its rows in the table of model %s: "
					       "declare the relationship '%s' there",
					       bm->subclass->name.text, bt->table->model,
					       m->name.text);
			else if (bt->table->model)
				build_relationship(b, bt, bm);
			else
				rt__diag_error(b->diags, m->type_name.pos,
					       "table %s has no model, so it cannot hold the "
					       "relationship '%s'; declare it as a model",
					       bt->table->name, m->name.text);
		} else {
			unknown_type(b, m);
		}
	}
	/* A table without columns is refused by SQLite, and a model without a
	 * primary key cannot tell its rows apart (SQLAlchemy refuses to map
	 * one too); a plain table may do without. A partition has its
	 * partitioned table's columns. */
	const rt_table *table = bt->table;
	if (table->partition_of)
		return;
	bool members_failed = false;
	for (size_t i = 0; i < bt->member_count; i++)
		members_failed |= bt->members[i].ast->kind == RT_AST_FIELD &&
				  !bt->members[i].column && bt->members[i].ast->builtin;
	if (table->column_count == 0 && !members_failed)
		rt__diag_error(b->diags, table->pos, "%s has no columns",
			       rt__build_owner(b, table));
}

/* --- entry point ------------------------------------------------------------- */

static void build(rt_schema *schema, const rt_ast *ast, rt_diag_list *diags,
		  const rt_build_fragment *fragment)
{
	rt_build b;
	memset(&b, 0, sizeof(b));
	b.fragment = fragment;
	b.schema = schema;
	b.arena = schema->arena;
	b.scratch = fragment && fragment->scratch ? fragment->scratch : diags->arena;
	b.diags = diags;
	rt__map_init(&b.types, b.scratch);
	rt__map_init(&b.mixins, b.scratch);
	rt__map_init(&b.tables_by_name, b.scratch);

	declare_all(&b, ast);
	for (size_t i = 0; i < b.table_count && !diags->nomem; i++)
		expand_members(&b, b.tables[i]);
	rt__build_subclass_members(&b);
	for (size_t i = 0; i < b.table_count && !diags->nomem; i++)
		build_members(&b, b.tables[i]);
	for (size_t i = 0; i < b.table_count && !diags->nomem; i++)
		rt__build_constraints(&b, b.tables[i]);
	rt__build_joined(&b);
	if (diags->nomem)
		return;
	rt__build_keys(&b);
	rt__build_partitions(&b);
	rt__build_names(&b);
	rt__build_relationships(&b);
	rt__build_inheritance(&b);
	rt__build_sql_objects(&b, ast);
}

void rt__schema_build(rt_schema *schema, const rt_ast *ast, rt_diag_list *diags)
{
	build(schema, ast, diags, NULL);
}

void rt__schema_build_fragment(rt_schema *schema, const rt_ast *ast, rt_diag_list *diags,
			       const rt_build_fragment *fragment)
{
	static const rt_build_fragment none;
	build(schema, ast, diags, fragment ? fragment : &none);
}
