/*
 * validate_objects.c - the validation pass of views, materialized views,
 * functions and triggers (validate.h): each has SQL and a name no other
 * object of its namespace has, a trigger's table is declared, and the
 * objects land in the schema in the order to create them.
 *
 * Namespaces are the databases': views and materialized views share one
 * with the tables (they are all relations a query reads), functions are
 * told apart by name and arguments, triggers by name on their table.
 */
#include <string.h>

#include "schema/naming.h"
#include "schema/validate.h"

static const char *label(rt_build *b, const rt_ast_decl *decl)
{
	const char *text = rt__arena_printf(b->scratch, "%s %s%s", rt__sql_kind_name(decl->sql_kind),
					    decl->name.text, decl->args.text ? decl->args.text : "");
	return text ? text : "?";
}

static bool is_view(rt_sql_kind kind)
{
	return kind == RT_SQL_VIEW || kind == RT_SQL_MATERIALIZED_VIEW;
}

/* The first declaration before decl that is the same object, or NULL. */
static const rt_ast_decl *same_before(const rt_ast *ast, size_t at)
{
	const rt_ast_decl *decl = ast->decls[at];
	for (size_t i = 0; i < at; i++) {
		const rt_ast_decl *o = ast->decls[i];
		if (o->kind != RT_AST_SQL_OBJECT || !o->name.text ||
		    strcmp(o->name.text, decl->name.text) != 0)
			continue;
		if (is_view(decl->sql_kind) && is_view(o->sql_kind))
			return o;
		if (o->sql_kind != decl->sql_kind)
			continue;
		if (decl->sql_kind == RT_SQL_TRIGGER && o->on_table.text && decl->on_table.text &&
		    strcmp(o->on_table.text, decl->on_table.text) != 0)
			continue;
		if (decl->sql_kind == RT_SQL_FUNCTION && o->args.text && decl->args.text &&
		    strcmp(o->args.text, decl->args.text) != 0)
			continue;
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
	if (is_view(decl->sql_kind) && table) {
		rt__diag_error(b->diags, decl->name.pos,
			       "%s has the name of a table: %s at %s (a view and a table share "
			       "the database's names)",
			       label(b, decl), rt__build_owner(b, table->table),
			       rt__build_where(b, table->table->pos, decl->name.pos));
		ok = false;
	}
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

void rt__build_sql_objects(rt_build *b, const rt_ast *ast)
{
	for (size_t i = 0; i < ast->count && !b->diags->nomem; i++) {
		const rt_ast_decl *decl = ast->decls[i];
		if (decl->kind != RT_AST_SQL_OBJECT || !check(b, ast, i))
			continue;
		rt_sql_object *o = rt__schema_add_sql_object(b->schema, decl->sql_kind,
							     decl->name.text, decl->args.text,
							     decl->on_table.text, decl->body.text);
		if (!o) {
			rt__build_nomem(b);
			return;
		}
		o->pos = decl->name.pos;
	}
	if (rt__schema_order_sql_objects(b->schema) < 0)
		rt__build_nomem(b);
}
