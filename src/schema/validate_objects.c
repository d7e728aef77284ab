/*
 * validate_objects.c - the validation pass of domains, sequences,
 * functions, aggregates, procedures, views, materialized views and
 * triggers (validate.h): each has SQL and a name no other object of its
 * namespace has, a trigger's table is declared, and the objects land in
 * the schema in the order to create them.
 *
 * Namespaces are the databases': views, materialized views and sequences
 * share one with the tables (they are all relations), domains one with
 * the enum types, functions, aggregates and procedures are told apart by
 * name and arguments, triggers by name on their table.
 *
 * `was OLD` names the object's previous name: neither its own nor that
 * of an object of its namespace the files declare (the renamed object
 * is declared by its new name only), and no two objects were the same
 * one.
 *
 * A materialized view's body holds its indexes only; their keys name the
 * view's columns, which are its query's: kept as written, the database's
 * to check.
 */
#include <string.h>
#include <strings.h>

#include "schema/naming.h"
#include "schema/validate.h"

static const char *label(rt_build *b, const rt_ast_decl *decl)
{
	const char *text = rt__arena_printf(b->scratch, "%s %s%s", rt__sql_kind_name(decl->sql_kind),
					    decl->name.text, decl->args.text ? decl->args.text : "");
	return text ? text : "?";
}

/* The object's own name: v of billing.v. */
static const char *sql_name(const rt_ast_decl *decl)
{
	return decl->schema.text ? decl->name.text + strlen(decl->schema.text) + 1
				 : decl->name.text;
}

static bool is_view(rt_sql_kind kind)
{
	return kind == RT_SQL_VIEW || kind == RT_SQL_MATERIALIZED_VIEW;
}

/* Is the kind a relation, sharing its names with the tables? */
static bool is_relation(rt_sql_kind kind)
{
	return is_view(kind) || kind == RT_SQL_SEQUENCE;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Does sql hold "OWNED BY" (any case, any spacing) outside quotes? */
static bool says_owned_by(const char *sql)
{
	bool quoted = false;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (quoted || (p > sql && !is_space(p[-1])) || strncasecmp(p, "OWNED", 5) != 0 ||
		    !is_space(p[5]))
			continue;
		const char *q = p + 5;
		while (is_space(*q))
			q++;
		if (strncasecmp(q, "BY", 2) == 0 && (is_space(q[2]) || !q[2]))
			return true;
	}
	return false;
}

/* Do decl and o share a namespace, so that one name is one object there
 * (relations; a routine with the same arguments, or none given; a
 * trigger on the same table)? */
static bool same_place(const rt_ast_decl *decl, const rt_ast_decl *o)
{
	if (is_relation(decl->sql_kind) && is_relation(o->sql_kind))
		return true;
	if (o->sql_kind != decl->sql_kind)
		return false;
	if (decl->sql_kind == RT_SQL_TRIGGER)
		return o->on_table.text && decl->on_table.text &&
		       strcmp(o->on_table.text, decl->on_table.text) == 0;
	if (rt__sql_kind_has_args(decl->sql_kind) && o->args.text && decl->args.text)
		return strcmp(o->args.text, decl->args.text) == 0;
	return true;
}

/* The first declaration before decl that is the same object, or NULL. */
static const rt_ast_decl *same_before(const rt_ast *ast, size_t at)
{
	const rt_ast_decl *decl = ast->decls[at];
	for (size_t i = 0; i < at; i++) {
		const rt_ast_decl *o = ast->decls[i];
		if (o->kind == RT_AST_SQL_OBJECT && o->name.text &&
		    strcmp(o->name.text, decl->name.text) == 0 && same_place(decl, o))
			return o;
	}
	return NULL;
}

/* Is name a view declared anywhere in the files (a trigger may be on a
 * view: INSTEAD OF)? */
static bool names_view(const rt_ast *ast, const char *name)
{
	for (size_t i = 0; i < ast->count; i++) {
		const rt_ast_decl *o = ast->decls[i];
		if (o->kind == RT_AST_SQL_OBJECT && is_view(o->sql_kind) && o->name.text &&
		    strcmp(o->name.text, name) == 0)
			return true;
	}
	return false;
}

/* decl's `was`: not its own name, not a declared object's, not another
 * object's `was` before it. */
static bool check_was(rt_build *b, const rt_ast *ast, size_t at)
{
	const rt_ast_decl *decl = ast->decls[at];
	const char *was = decl->was.text;
	if (!was)
		return true;
	if (strcmp(was, decl->name.text) == 0) {
		rt__diag_error(b->diags, decl->was.pos,
			       "%s was %s: 'was' names the previous name, not the %s's own",
			       label(b, decl), was, rt__sql_kind_name(decl->sql_kind));
		return false;
	}
	const rt_build_table *table = rt__map_get(&b->tables_by_name, was);
	if (is_relation(decl->sql_kind) && table) {
		rt__diag_error(b->diags, decl->was.pos,
			       "%s was %s: %s at %s has that name (a renamed object is "
			       "declared by its new name only)",
			       label(b, decl), was, rt__build_owner(b, table->table),
			       rt__build_where(b, table->table->pos, decl->was.pos));
		return false;
	}
	for (size_t i = 0; i < ast->count; i++) {
		const rt_ast_decl *o = ast->decls[i];
		if (i == at || o->kind != RT_AST_SQL_OBJECT || !o->name.text ||
		    !same_place(decl, o))
			continue;
		if (strcmp(o->name.text, was) == 0) {
			rt__diag_error(b->diags, decl->was.pos,
				       "%s was %s: %s %s at %s has that name (a renamed object "
				       "is declared by its new name only)",
				       label(b, decl), was, rt__sql_kind_name(o->sql_kind), was,
				       rt__build_where(b, o->name.pos, decl->was.pos));
			return false;
		}
		if (i < at && o->was.text && strcmp(o->was.text, was) == 0) {
			rt__diag_error(b->diags, decl->was.pos,
				       "%s was %s: %s at %s says it was %s too (one object "
				       "cannot become two)",
				       label(b, decl), was, label(b, o),
				       rt__build_where(b, o->name.pos, decl->was.pos), was);
			return false;
		}
	}
	return true;
}

static bool check(rt_build *b, const rt_ast *ast, size_t at)
{
	const rt_ast_decl *decl = ast->decls[at];
	bool ok = true;
	if (!decl->body.text || !*decl->body.text) {
		rt__diag_error(b->diags, decl->body.text ? decl->body.pos : decl->name.pos,
			       "%s has no SQL: the $$ block is empty", label(b, decl));
		ok = false;
	}
	size_t len = strlen(decl->name.text);
	if (decl->schema.text)
		len -= strlen(decl->schema.text) + 1; /* billing.v: v's length */
	if (len > RT_MAX_IDENTIFIER_LENGTH) {
		rt__diag_error(b->diags, decl->name.pos,
			       "the %s name '%s' is %zu bytes long, " RT_IDENTIFIER_LIMIT_WORDS,
			       rt__sql_kind_name(decl->sql_kind), decl->name.text, len,
			       RT_MAX_IDENTIFIER_LENGTH);
		ok = false;
	}
	const rt_ast_decl *first = same_before(ast, at);
	if (first) {
		rt__diag_error(b->diags, decl->name.pos, "duplicate %s: %s at %s has the name",
			       label(b, decl), rt__sql_kind_name(first->sql_kind),
			       rt__build_where(b, first->name.pos, decl->name.pos));
		return false;
	}
	const rt_build_table *table = rt__map_get(&b->tables_by_name, decl->name.text);
	/* A model mapped onto this view has its name. */
	if (is_view(decl->sql_kind) && table && table->table->is_view)
		table = NULL;
	if (is_relation(decl->sql_kind) && table) {
		rt__diag_error(b->diags, decl->name.pos,
			       "%s has the name of a table: %s at %s (a %s and a table share "
			       "the database's names)",
			       label(b, decl), rt__build_owner(b, table->table),
			       rt__build_where(b, table->table->pos, decl->name.pos),
			       rt__sql_kind_name(decl->sql_kind));
		ok = false;
	}
	for (size_t i = 0; decl->sql_kind == RT_SQL_DOMAIN && i < b->schema->enum_count; i++) {
		const rt_enum *e = b->schema->enums[i];
		rt_enum type = {.sql_name = sql_name(decl), .schema = decl->schema.text};
		if (!rt__enum_same_type(e, &type))
			continue;
		rt__diag_error(b->diags, decl->name.pos,
			       "domain %s has the name of the type of enum %s at %s (a domain "
			       "and an enum share the database's type names)",
			       decl->name.text, e->name, rt__build_where(b, e->pos, decl->name.pos));
		ok = false;
	}
	/* DROP AGGREGATE names the aggregate with its arguments. */
	if (decl->sql_kind == RT_SQL_AGGREGATE && !decl->args.text) {
		rt__diag_error(b->diags, decl->name.pos,
			       "aggregate %s needs its arguments' types, as in "
			       "aggregate %s(text): the database tells aggregates apart by them",
			       decl->name.text, decl->name.text);
		ok = false;
	}
	/* A sequence is made before the tables, so no column is there yet
	 * to own it. */
	if (decl->sql_kind == RT_SQL_SEQUENCE && decl->body.text && says_owned_by(decl->body.text)) {
		rt__diag_error(b->diags, decl->body.pos,
			       "sequence %s: OWNED BY cannot be declared: the sequence is made "
			       "before the tables (a column's default names it); a sequence a "
			       "column owns is that column's: write the column autoincrement",
			       decl->name.text);
		ok = false;
	}
	if (!check_was(b, ast, at))
		ok = false;
	if (decl->sql_kind == RT_SQL_TRIGGER &&
	    !rt__map_get(&b->tables_by_name, decl->on_table.text) &&
	    !names_view(ast, decl->on_table.text)) {
		rt__diag_error(b->diags, decl->on_table.pos,
			       "trigger %s is on '%s', which no model, table or view declares",
			       decl->name.text, decl->on_table.text);
		ok = false;
	}
	return ok;
}

static const char *constraint_words(rt_constraint_kind kind)
{
	switch (kind) {
	case RT_CONSTRAINT_UNIQUE: return "unique constraints";
	case RT_CONSTRAINT_FOREIGN_KEY: return "foreign keys";
	case RT_CONSTRAINT_CHECK: return "checks";
	default: return "constraints";
	}
}

/* A model mapped onto a view (`model Name view v`): the view is
 * declared, and the model says nothing a view cannot have (its primary
 * key is the ORM's, which tells its rows apart). */
static void check_view_model(rt_build *b, const rt_ast *ast, const rt_table *table)
{
	if (!names_view(ast, table->name))
		rt__diag_error(b->diags, table->pos,
			       "model %s is mapped onto view %s, which no view or materialized "
			       "view declares",
			       table->model, table->name);
	if (table->options || table->was)
		rt__diag_error(b->diags, table->pos,
			       "model %s is mapped onto view %s: a view has no %s",
			       table->model, table->name,
			       table->was ? "previous name ('was' renames tables)"
					  : "table options");
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c == table->primary_key)
			continue;
		rt__diag_error(b->diags, c->pos,
			       "model %s is mapped onto view %s: a view has no %s",
			       table->model, table->name, constraint_words(c->kind));
	}
	for (size_t i = 0; i < table->index_count; i++)
		rt__diag_error(b->diags, table->indexes[i]->pos,
			       "model %s is mapped onto view %s: a view has no indexes",
			       table->model, table->name);
	for (size_t i = 0; i < table->column_count; i++)
		if (table->columns[i]->server_default.kind != RT_LITERAL_NONE)
			rt__diag_error(b->diags, table->columns[i]->pos,
				       "model %s is mapped onto view %s: a view's column has no "
				       "server default",
				       table->model, table->name);
}

/* No foreign key references a model mapped onto a view: a database
 * keeps keys between tables only. */
static void check_references_to_views(rt_build *b, const rt_table *table)
{
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c->kind != RT_CONSTRAINT_FOREIGN_KEY || !c->ref_table)
			continue;
		const rt_table *target = rt__schema_find_table(b->schema, c->ref_table);
		if (target && target->is_view)
			rt__diag_error(b->diags, c->pos,
				       "a foreign key cannot reference %s: it is the view model %s "
				       "is mapped onto, and keys are between tables",
				       c->ref_table, target->model);
	}
}

/* One index of a materialized view's body, named by the language's rule
 * on the view's name when its name is not given. */
static void matview_index(rt_build *b, rt_sql_object *o, const rt_ast_member *m)
{
	rt_index *index = rt__sql_object_add_index(b->schema->arena, o, m->name.text,
						   m->unique_index);
	if (!index) {
		rt__build_nomem(b);
		return;
	}
	index->name_given = m->name.text != NULL;
	index->pos = m->pos;
	rt__build_index(b, NULL, index, m->index);
	if (!index->name && !(index->name = rt__name_index_keys(b->arena, rt__sql_object_sql_name(o), index)))
		rt__build_nomem(b);
	for (size_t i = 0; index->name && i + 1 < o->index_count; i++)
		if (strcmp(o->indexes[i]->name, index->name) == 0)
			rt__diag_error(b->diags, m->pos,
				       "materialized view %s has two indexes named %s (the first "
				       "at %s)",
				       o->name, index->name,
				       rt__build_where(b, o->indexes[i]->pos, m->pos));
}

static void matview_body(rt_build *b, rt_sql_object *o, const rt_ast_decl *decl)
{
	o->no_data = RT_POS_SET(decl->no_data);
	for (size_t i = 0; i < decl->member_count; i++) {
		const rt_ast_member *m = decl->members[i];
		if (m->kind == RT_AST_INDEX)
			matview_index(b, o, m);
		else
			rt__diag_error(b->diags, m->pos,
				       "the body of materialized view %s holds only its indexes "
				       "('index (...)', 'unique index name (...)'); its columns "
				       "are its query's",
				       o->name);
	}
}

void rt__build_sql_objects(rt_build *b, const rt_ast *ast)
{
	/* The tables this build made, not the schema's: a migration builds
	 * each table it creates alone into a schema holding the others (a
	 * loop over those was quadratic, half a second of `check` at 10,000
	 * tables). */
	for (size_t i = 0; i < b->table_count; i++) {
		const rt_table *table = b->tables[i]->table;
		if (table->is_view)
			check_view_model(b, ast, table);
		else
			check_references_to_views(b, table);
	}
	for (size_t i = 0; i < ast->count && !b->diags->nomem; i++) {
		const rt_ast_decl *decl = ast->decls[i];
		if (decl->kind != RT_AST_SQL_OBJECT || !check(b, ast, i))
			continue;
		rt_sql_object *o = rt__schema_add_sql_object(b->schema, decl->sql_kind,
							     sql_name(decl), decl->args.text,
							     decl->on_table.text, decl->body.text);
		if (!o || rt__sql_object_set_schema(b->schema, o, decl->schema.text) < 0 ||
		    (o->schema && rt__schema_add_namespace(b->schema, o->schema) < 0)) {
			rt__build_nomem(b);
			return;
		}
		o->pos = decl->name.pos;
		o->security_invoker = RT_POS_SET(decl->security_invoker);
		/* `was` names the previous name in the object's own schema, as a
		 * table's does: moving between schemas is no rename. */
		if (decl->was.text &&
		    !(o->was = o->schema ? rt__arena_printf(b->arena, "%s.%s", o->schema,
							       decl->was.text)
					 : rt__build_keep(b, decl->was.text))) {
			rt__build_nomem(b);
			return;
		}
		if (decl->sql_kind == RT_SQL_MATERIALIZED_VIEW)
			matview_body(b, o, decl);
	}
	if (rt__schema_order_sql_objects(b->schema) < 0)
		rt__build_nomem(b);
}
