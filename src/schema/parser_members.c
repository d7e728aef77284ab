/*
 * parser_members.c - the members of a model, table or mixin body: columns
 * and relationships with their types and options, and the table-level
 * primary key, unique, index, check and foreign key members (parser.c reads
 * the declarations around them).
 */
#include <string.h>

#include "schema/parser_impl.h"

/* ( a, b, c ) - column names, quoted when they are no identifiers
 * ("Display Name"); at least one. */
int rt__parser_name_list(rt_parser *p, rt_ast_names *names, const char *what)
{
	const char *open = rt__arena_printf(p->ctx->arena, "'(' and the %s", what);
	if (rt__parser_take(p, RT_TOK_LPAREN, open ? open : "'('") < 0)
		return -1;
	for (;;) {
		rt_ast_name name = {0};
		if (rt__parser_take_sql_name(p, &name, "a column name") < 0 ||
		    rt__parser_push_name(p, names, &name) < 0)
			return -1;
		if (p->tok.kind == RT_TOK_COMMA && rt__parser_same_line(&p->tok)) {
			rt__parser_advance(p);
			continue;
		}
		return rt__parser_take(p, RT_TOK_RPAREN, "',' or ')'");
	}
}

/* number | 'string' | true | false | now | enum_value [| sql '<expr>'] */
int rt__parser_literal(rt_parser *p, rt_ast_literal *lit, bool server)
{
	const char *what =
		server ? "a literal (a number, 'string', true, false, now, an "
			 "enum value or sql '<expression>')"
		       : "a literal (a number, 'string', true, false, now or an "
			 "enum value)";
	lit->pos = p->tok.pos;
	if (!rt__parser_same_line(&p->tok))
		return rt__parser_expected(p, what);
	if (p->tok.kind == RT_TOK_NUMBER) {
		lit->value.kind = RT_LITERAL_NUMBER;
	} else if (p->tok.kind == RT_TOK_STRING) {
		lit->value.kind = RT_LITERAL_STRING;
	} else if (p->tok.kind == RT_TOK_QUOTED) {
		return rt__parser_string_in_double_quotes(p, what);
	} else if (p->tok.kind == RT_TOK_IDENT) {
		const char *v = p->tok.value;
		const rt_token *next = rt__parser_peek(p, 1);
		if (strcmp(v, "sql") == 0 && next->kind == RT_TOK_STRING &&
		    rt__parser_same_line(next)) {
			if (!server)
				return rt__parser_fail_at(
					p, p->tok.pos,
					"sql '...' is only for 'server default'; the "
					"program cannot evaluate SQL for 'default'");
			rt__parser_advance(p);
			lit->value.kind = RT_LITERAL_SQL;
		} else if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
			lit->value.kind = RT_LITERAL_BOOL;
		} else if (strcmp(v, "now") == 0) {
			lit->value.kind = RT_LITERAL_NOW;
		} else if (strcmp(v, "null") == 0) {
			return rt__parser_fail_at(p, p->tok.pos,
				       "null is not a default: leave the default out (a "
				       "nullable column, type?, is NULL when not set)");
		} else {
			lit->value.kind = RT_LITERAL_ENUM;
		}
	} else {
		return rt__parser_expected(p, what);
	}
	lit->value.text = p->tok.value;
	rt__parser_advance(p);
	return 0;
}

/* --- members ----------------------------------------------------------------- */

const rt_ast_column_options rt__ast_no_column_options;
const rt_ast_relationship_options rt__ast_no_relationship_options;

static const char *const column_options[] = {
	"primary", "autoincrement", "no", "unique", "index", "default", "server",
	"references", "check", "comment", "column", "was", "collate", "generated",
	"version", "onupdate",
};
static const char *const relationship_options[] = {
	"back", "through", "on", "order", "cascade", "delete",
};

/* A field being read: its options are allocated when the first one comes. */
typedef struct field {
	rt_ast_member *m;
	rt_ast_column_options *col;
	rt_ast_relationship_options *rel;
} field;

/* The field's column options, allocated on first use; NULL when out of
 * memory. The option becomes `first` unless one came before. (On a
 * `Name[]`, a relationship to many rows or an array of an enum,
 * validation refuses them when Name is a model.) */
static rt_ast_column_options *column_options_of(rt_parser *p, field *f,
						const rt_ast_name *option)
{
	if (!f->col && !(f->col = rt__parser_alloc(p, sizeof(*f->col))))
		return NULL;
	if (!f->col->first.text)
		f->col->first = *option;
	return f->col;
}

/* The same for relationship options, refused on a built-in type. */
static rt_ast_relationship_options *relationship_options_of(rt_parser *p, field *f,
							    const rt_ast_name *option)
{
	const rt_ast_member *m = f->m;
	if (m->builtin) {
		rt__diag_error(
			p->ctx->diags, option->pos,
			"'%s' applies to relationships; '%s' is a column of type %s",
			option->text, m->name.text, m->type_name.text);
		return NULL;
	}
	if (!f->rel && !(f->rel = rt__parser_alloc(p, sizeof(*f->rel))))
		return NULL;
	if (!f->rel->first.text)
		f->rel->first = *option;
	return f->rel;
}

static int duplicate_option(rt_parser *p, const rt_ast_name *option, const field *f)
{
	rt__diag_error(p->ctx->diags, option->pos, "'%s' is given twice for '%s'",
		       option->text, f->m->name.text);
	return -1;
}

/* Marks a flag-like option written once; its name is option->text. */
static int set_once(rt_parser *p, const field *f, rt_pos *slot, const rt_ast_name *option)
{
	if (RT_POS_SET(*slot))
		return duplicate_option(p, option, f);
	*slot = option->pos;
	return 0;
}

/* on [table.]column - either may be quoted: on "a b"."c d" */
static int parse_on(rt_parser *p, rt_ast_relationship_options *rel)
{
	rt_ast_name first = {0};
	if (rt__parser_take_sql_name(p, &first, "a foreign key column after 'on'") < 0)
		return -1;
	if (p->tok.kind == RT_TOK_DOT && rt__parser_same_line(&p->tok)) {
		rt__parser_advance(p);
		rel->on_table = first;
		return rt__parser_take_sql_name(p, &rel->on_column,
						"a column name after '.'");
	}
	rel->on_column = first;
	return 0;
}

/* The options of a relationship; the keyword is the current token. */
static int parse_relationship_option(rt_parser *p, field *f, const rt_ast_name *option)
{
	rt_ast_relationship_options *rel = relationship_options_of(p, f, option);
	if (!rel)
		return -1;
	const char *w = option->text;
	if (strcmp(w, "back") == 0 || strcmp(w, "through") == 0) {
		bool back = w[0] == 'b';
		rt_ast_name *slot = back ? &rel->back : &rel->through;
		if (slot->text)
			return duplicate_option(p, option, f);
		rt__parser_advance(p);
		if (back)
			return rt__parser_take_name(p, slot,
						    "the name of the relationship on "
						    "the other side after 'back'");
		return rt__parser_take_table_name(p, slot, "a table name after 'through'");
	}
	if (strcmp(w, "on") == 0) {
		if (rel->on_column.text)
			return duplicate_option(p, option, f);
		rt__parser_advance(p);
		return parse_on(p, rel);
	}
	if (strcmp(w, "order") == 0) {
		if (rel->order_by.text)
			return duplicate_option(p, option, f);
		rt__parser_advance(p);
		if (rt__parser_take_word(p, "by") < 0 ||
		    rt__parser_take_sql_name(p, &rel->order_by,
					     "a column name after 'order by'") < 0)
			return -1;
		if ((rt__parser_is_word(&p->tok, "desc") ||
		     rt__parser_is_word(&p->tok, "asc")) &&
		    rt__parser_same_line(&p->tok)) {
			rel->order_desc = p->tok.value[0] == 'd';
			rt__parser_advance(p);
		}
		return 0;
	}
	bool cascade = strcmp(w, "cascade") == 0; /* cascade delete; else delete orphan */
	if (set_once(p, f, cascade ? &rel->cascade_delete : &rel->delete_orphan, option) <
	    0)
		return -1;
	rt__parser_advance(p);
	return rt__parser_take_word(p, cascade ? "delete" : "orphan");
}

/* autoincrement | no autoincrement */
static int parse_autoincrement(rt_parser *p, const field *f, rt_ast_column_options *col,
			       const rt_ast_name *option)
{
	bool on = option->text[0] == 'a';
	if (col->autoincrement != RT_AST_AUTOINCREMENT_UNSET) {
		if ((col->autoincrement == RT_AST_AUTOINCREMENT_ON) == on)
			return duplicate_option(p, option, f);
		return rt__parser_fail_at(p, option->pos,
					  "'autoincrement' and 'no "
					  "autoincrement' contradict each other");
	}
	col->autoincrement = on ? RT_AST_AUTOINCREMENT_ON : RT_AST_AUTOINCREMENT_OFF;
	col->autoincrement_pos = option->pos;
	rt__parser_advance(p);
	return on ? 0 : rt__parser_take_word(p, "autoincrement");
}

/* check '...' | comment '...' | column '...' | was name */
static int parse_text_option(rt_parser *p, const field *f, rt_ast_column_options *col,
			     const rt_ast_name *option)
{
	const char *w = option->text;
	rt_ast_name *slot = strcmp(w, "check") == 0     ? &col->check
			    : strcmp(w, "comment") == 0 ? &col->comment
			    : strcmp(w, "column") == 0  ? &col->sql_name
							: &col->was;
	if (slot->text)
		return duplicate_option(p, option, f);
	rt__parser_advance(p);
	if (slot == &col->was)
		return rt__parser_take_sql_name(p, slot,
						"the column's previous name after 'was'");
	const char *what =
		slot == &col->check     ? "a SQL expression in quotes after 'check'"
		: slot == &col->comment ? "a string after 'comment'"
					: "the SQL name in quotes after 'column'";
	return rt__parser_take_string(p, slot, what);
}

/* collate NAME: the backend's collation name, quoted when it is no
 * identifier (collate "en-US-x-icu"). */
static int parse_collate(rt_parser *p, const field *f, rt_ast_column_options *col,
			 const rt_ast_name *option)
{
	if (col->collation.text)
		return duplicate_option(p, option, f);
	rt__parser_advance(p);
	return rt__parser_take_collation(p, &col->collation,
					 "a collation name after 'collate' (nocase, \"C\", "
					 "utf8mb4_bin: the database's own name)");
}

/* generated '<expr>' stored | virtual */
static int parse_generated(rt_parser *p, const field *f, rt_ast_column_options *col,
			   const rt_ast_name *option)
{
	if (col->generated.text)
		return duplicate_option(p, option, f);
	rt__parser_advance(p);
	if (rt__parser_take_string(p, &col->generated,
				   "the SQL expression in quotes after 'generated'") < 0)
		return -1;
	if (col->generated.text[strspn(col->generated.text, " \t\r\n")] == '\0')
		return rt__parser_fail_at(p, col->generated.pos,
					  "the expression after 'generated' is empty");
	bool stored = rt__parser_is_word(&p->tok, "stored");
	if ((!stored && !rt__parser_is_word(&p->tok, "virtual")) ||
	    !rt__parser_same_line(&p->tok))
		return rt__parser_expected(p, "'stored' or 'virtual' after the generated "
					      "column's expression (stored: computed when "
					      "the row is written; virtual: when it is read)");
	col->generated_virtual = !stored;
	rt__parser_advance(p);
	return 0;
}

/* server onupdate now: the database sets the column to the current time
 * whenever it updates the row (MariaDB's ON UPDATE CURRENT_TIMESTAMP, the
 * only value it takes there). */
static int parse_server_onupdate(rt_parser *p, const field *f, rt_ast_column_options *col,
				 const rt_ast_name *option)
{
	if (RT_POS_SET(col->server_onupdate)) {
		rt__diag_error(p->ctx->diags, option->pos, "'server onupdate' is given twice for '%s'",
			       f->m->name.text);
		return -1;
	}
	col->server_onupdate = option->pos;
	rt__parser_advance(p); /* server */
	rt__parser_advance(p); /* onupdate */
	if (!rt__parser_is_word(&p->tok, "now") || !rt__parser_same_line(&p->tok))
		return rt__parser_expected(p, "'now' after 'server onupdate' (the database "
					      "sets the current time when it updates the row)");
	rt__parser_advance(p);
	return 0;
}

/* onupdate now: the ORM sets the column to the current time in every
 * UPDATE of the row it writes (SQLAlchemy's onupdate=func.now()). */
static int parse_onupdate(rt_parser *p, const field *f, rt_ast_column_options *col,
			  const rt_ast_name *option)
{
	if (set_once(p, f, &col->onupdate, option) < 0)
		return -1;
	rt__parser_advance(p); /* onupdate */
	if (!rt__parser_is_word(&p->tok, "now") || !rt__parser_same_line(&p->tok))
		return rt__parser_expected(p, "'now' after 'onupdate' (the ORM sets the "
					      "current time in each UPDATE of the row)");
	rt__parser_advance(p);
	return 0;
}

static int parse_column_option(rt_parser *p, field *f, const rt_ast_name *option)
{
	rt_ast_column_options *col = column_options_of(p, f, option);
	if (!col)
		return -1;
	const char *w = option->text;
	if (strcmp(w, "primary") == 0) {
		if (set_once(p, f, &col->primary_key, option) < 0)
			return -1;
		rt__parser_advance(p);
		return rt__parser_take_word(p, "key");
	}
	if (strcmp(w, "autoincrement") == 0 || strcmp(w, "no") == 0)
		return parse_autoincrement(p, f, col, option);
	if (strcmp(w, "unique") == 0 || strcmp(w, "index") == 0) {
		if (set_once(p, f, w[0] == 'u' ? &col->unique : &col->index, option) < 0)
			return -1;
		rt__parser_advance(p);
		return 0;
	}
	if (strcmp(w, "version") == 0) {
		if (set_once(p, f, &col->version, option) < 0)
			return -1;
		rt__parser_advance(p);
		return 0;
	}
	if (strcmp(w, "onupdate") == 0)
		return parse_onupdate(p, f, col, option);
	const rt_token *next = rt__parser_peek(p, 1);
	if (strcmp(w, "server") == 0 && rt__parser_is_word(next, "onupdate") &&
	    rt__parser_same_line(next))
		return parse_server_onupdate(p, f, col, option);
	if (strcmp(w, "default") == 0 || strcmp(w, "server") == 0) {
		bool server = w[0] == 's';
		rt_ast_literal *slot =
			server ? &col->server_default : &col->default_value;
		if (slot->value.kind != RT_LITERAL_NONE)
			return duplicate_option(p, option, f);
		rt__parser_advance(p);
		if (server && rt__parser_take_word(p, "default") < 0)
			return -1;
		return rt__parser_literal(p, slot, server);
	}
	if (strcmp(w, "collate") == 0)
		return parse_collate(p, f, col, option);
	if (strcmp(w, "generated") == 0)
		return parse_generated(p, f, col, option);
	if (strcmp(w, "references") == 0) {
		if (RT_POS_SET(col->references.pos))
			return duplicate_option(p, option, f);
		return rt__parser_references(p, &col->references);
	}
	return parse_text_option(p, f, col, option);
}

static int unknown_option(rt_parser *p, const rt_ast_member *m)
{
	const char *what, *short_what;
	const char *const *words;
	size_t count;
	const char *all[RT_COUNT(column_options) + RT_COUNT(relationship_options)];
	if (m->builtin) {
		what = "a column constraint (primary key, autoincrement, unique, index, "
		       "default, server default, server onupdate, onupdate, version, references, check, "
		       "comment, column, was, collate, generated) "
		       "or the end of the line";
		short_what = "a column constraint or the end of the line";
		words = column_options;
		count = RT_COUNT(column_options);
	} else {
		/* An enum or a model, maybe with [] (an array of an enum or a
		 * relationship to many): validation tells which. */
		what = "a column constraint, a relationship option or the end of the "
		       "line";
		short_what = what;
		memcpy(all, column_options, sizeof(column_options));
		memcpy(all + RT_COUNT(column_options), relationship_options,
		       sizeof(relationship_options));
		words = all;
		count = RT_COUNT(all);
	}
	return rt__parser_expected_word(p, what, short_what, words, count);
}

/* One option after the type. */
static int parse_option(rt_parser *p, field *f)
{
	if (p->tok.kind != RT_TOK_IDENT)
		return unknown_option(p, f->m);
	rt_ast_name option = {p->tok.value, p->tok.pos};
	const rt_token *next = rt__parser_peek(p, 1);
	if (strcmp(option.text, "on") == 0 && rt__parser_same_line(next) &&
	    (rt__parser_is_word(next, "delete") || rt__parser_is_word(next, "update")))
		return rt__parser_fail_at(p, option.pos,
					  "'on delete' and 'on update' come "
					  "after 'references table(column)'");
	if (rt__parser_in_list(option.text, column_options, RT_COUNT(column_options)))
		return parse_column_option(p, f, &option);
	if (rt__parser_in_list(option.text, relationship_options,
			       RT_COUNT(relationship_options)))
		return parse_relationship_option(p, f, &option);
	return unknown_option(p, f->m);
}

/* name type[?|[]] option... */
static int parse_field(rt_parser *p, rt_ast_member *m)
{
	m->kind = RT_AST_FIELD;
	/* The name starts the member, so it may start the line. */
	if (p->tok.kind != RT_TOK_IDENT) {
		p->in_member = false;
		if (p->tok.kind == RT_TOK_QUOTED)
			return rt__parser_quoted_c_name(
				p, "a field name",
				"an identifier; a column whose SQL name is not one is "
				"written as field_name type column 'SQL name'");
		return rt__parser_expected(p, "a member (a column, a relationship or a "
					      "table-level constraint) or '}'");
	}
	m->name.text = p->tok.value;
	m->name.pos = p->tok.pos;
	rt__parser_advance(p);
	return rt__parser_field(p, m);
}

/* type[?|[]] option... of a field whose name m holds. */
int rt__parser_field(rt_parser *p, rt_ast_member *m)
{
	m->kind = RT_AST_FIELD;
	if (rt__parser_type(p, m) < 0)
		return -1;
	field f = {m, NULL, NULL};
	int rc = 0;
	while (rc == 0 && !rt__parser_at_member_end(p))
		rc = parse_option(p, &f);
	if (f.col)
		m->col = f.col;
	if (f.rel)
		m->rel = f.rel;
	return rc;
}

/* An optional constraint or index name before '(' or a string; quoted
 * when it is no identifier (unique "name key" (a)). */
static void take_optional_name(rt_parser *p, rt_ast_member *m)
{
	if (rt__parser_is_sql_name(&p->tok) && rt__parser_same_line(&p->tok)) {
		m->name.text = p->tok.value;
		m->name.pos = p->tok.pos;
		rt__parser_advance(p);
	}
}

static int parse_table_level(rt_parser *p, rt_ast_member *m)
{
	const char *w = p->tok.value;
	if (strcmp(w, "primary") == 0) {
		m->kind = RT_AST_PRIMARY_KEY;
		rt__parser_advance(p);
		rt__parser_advance(p); /* key */
		take_optional_name(p, m); /* primary key [name] (a, b), like unique */
		return rt__parser_name_list(p, &m->columns, "primary key columns");
	}
	if (strcmp(w, "unique") == 0 || strcmp(w, "index") == 0) {
		bool unique = w[0] == 'u';
		rt__parser_advance(p);
		if (unique && rt__parser_is_word(&p->tok, "index") &&
		    rt__parser_same_line(&p->tok)) {
			m->unique_index = true;
			rt__parser_advance(p);
		}
		m->kind = unique && !m->unique_index ? RT_AST_UNIQUE : RT_AST_INDEX;
		if (m->kind == RT_AST_UNIQUE) {
			take_optional_name(p, m);
			/* unique (lower(email)): a constraint is on columns. */
			const rt_token *t1 = rt__parser_peek(p, 1), *t2 = rt__parser_peek(p, 2);
			if (p->tok.kind == RT_TOK_LPAREN && t1->kind == RT_TOK_IDENT &&
			    t2->kind == RT_TOK_LPAREN && rt__parser_same_line(t2))
				return rt__parser_fail_at(
					p, t1->pos,
					"a unique constraint is on columns; a unique key on an "
					"expression is a unique index: unique index (...)");
			return rt__parser_name_list(p, &m->columns, "unique columns");
		}
		/* `using` names the method unless it is the index's name. */
		if (!rt__parser_at_index_using(p))
			take_optional_name(p, m);
		rt_ast_index *index = rt__parser_alloc(p, sizeof(*index));
		if (!index)
			return -1;
		m->index = index;
		return rt__parser_index(p, index);
	}
	if (strcmp(w, "check") == 0) {
		m->kind = RT_AST_CHECK;
		rt__parser_advance(p);
		take_optional_name(p, m);
		return rt__parser_take_string(p, &m->text, "a SQL expression in quotes");
	}
	if (strcmp(w, "foreign") == 0) {
		m->kind = RT_AST_FOREIGN_KEY;
		rt__parser_advance(p);
		rt__parser_advance(p); /* key */
		take_optional_name(p, m);
		if (rt__parser_name_list(p, &m->columns, "foreign key columns") < 0)
			return -1;
		if (!rt__parser_is_word(&p->tok, "references") ||
		    !rt__parser_same_line(&p->tok))
			return rt__parser_expected(
				p, "'references' after the foreign key columns");
		rt_ast_ref *ref = rt__parser_alloc(p, sizeof(*ref));
		if (!ref)
			return -1;
		m->ref = ref;
		return rt__parser_references(p, ref);
	}
	if (strcmp(w, "discriminator") == 0) {
		m->kind = RT_AST_DISCRIMINATOR;
		rt__parser_advance(p);
		return rt__parser_take_name(p, &m->name, "the discriminator column's name");
	}
	if (strcmp(w, "schema") == 0) {
		m->kind = RT_AST_SCHEMA_NAME;
		rt__parser_advance(p);
		return rt__parser_take_string(p, &m->text, "the schema's name in quotes");
	}
	m->kind = strcmp(w, "table") == 0 ? RT_AST_TABLE_NAME : RT_AST_COMMENT;
	rt__parser_advance(p);
	/* table "my.notes": a "quoted name" is the SQL name exactly as the
	 * database spells it, a dot included (see validate.c's table_name). */
	if (m->kind == RT_AST_TABLE_NAME && p->tok.kind == RT_TOK_QUOTED) {
		m->verbatim = true;
		return rt__parser_take_sql_name(p, &m->text, "the table's SQL name");
	}
	return rt__parser_take_string(p, &m->text, m->kind == RT_AST_TABLE_NAME
						 ? "the table's SQL name in quotes"
						 : "a string");
}

static bool is_type_word(const rt_token *tok)
{
	return tok->kind == RT_TOK_IDENT && rt__parser_builtin_type(tok->value) >= 0;
}

/* Does the member starting here read as a table-level one? Keywords are
 * not reserved, so `comment text?` is a column and `comment '...'` the
 * table's comment: the tokens after the first one decide. */
static bool is_table_level(rt_parser *p)
{
	if (p->tok.kind != RT_TOK_IDENT)
		return false;
	const char *w = p->tok.value;
	const rt_token *t1 = rt__parser_peek(p, 1);
	if (!rt__parser_same_line(t1))
		return false;
	if (strcmp(w, "primary") == 0 || strcmp(w, "foreign") == 0)
		return rt__parser_is_word(t1, "key");
	if (strcmp(w, "table") == 0)
		return t1->kind == RT_TOK_STRING || t1->kind == RT_TOK_QUOTED;
	if (strcmp(w, "comment") == 0 || strcmp(w, "schema") == 0)
		return t1->kind == RT_TOK_STRING;
	/* `discriminator kind`: a column needs a type, and a lower-case word
	 * that is no type's names a column; the member ends there. */
	if (strcmp(w, "discriminator") == 0)
		return t1->kind == RT_TOK_IDENT && !is_type_word(t1) && t1->value[0] >= 'a' &&
		       t1->value[0] <= 'z' &&
		       (!rt__parser_same_line(rt__parser_peek(p, 2)) ||
			rt__parser_peek(p, 2)->kind == RT_TOK_RBRACE);
	/* A quoted word after unique, index or check can only be the name of
	 * a constraint or index: a field's type is never quoted. */
	bool unique = strcmp(w, "unique") == 0;
	if ((unique || strcmp(w, "index") == 0 || strcmp(w, "check") == 0) &&
	    t1->kind == RT_TOK_QUOTED)
		return true;
	if (unique || strcmp(w, "index") == 0) {
		if (t1->kind == RT_TOK_LPAREN ||
		    (unique && rt__parser_is_word(t1, "index")))
			return true;
		/* index [name] using gin (doc) */
		const rt_token *t2 = rt__parser_peek(p, 2);
		return t1->kind == RT_TOK_IDENT && !is_type_word(t1) && rt__parser_same_line(t2) &&
		       (t2->kind == RT_TOK_LPAREN || rt__parser_is_word(t1, "using") ||
			rt__parser_is_word(t2, "using"));
	}
	if (strcmp(w, "check") == 0) {
		if (t1->kind == RT_TOK_STRING)
			return true;
		const rt_token *t2 = rt__parser_peek(p, 2);
		return t1->kind == RT_TOK_IDENT && t2->kind == RT_TOK_STRING &&
		       rt__parser_same_line(t2);
	}
	return false;
}

rt_ast_member *rt__parser_new_member(rt_parser *p)
{
	rt_ast_member *m = rt__parser_alloc(p, sizeof(*m));
	if (!m)
		return NULL;
	m->pos = p->tok.pos;
	m->col = &rt__ast_no_column_options;
	m->rel = &rt__ast_no_relationship_options;
	return m;
}

int rt__parser_member(rt_parser *p, rt_ast_decl *decl)
{
	rt_ast_member *m = rt__parser_new_member(p);
	if (!m)
		return -1;
	int rc = is_table_level(p) ? parse_table_level(p, m) : parse_field(p, m);
	if (rc == 0 && !rt__parser_at_member_end(p))
		rc = rt__parser_expected(p, "the end of the line");
	if (rc < 0)
		return -1;
	if (rt__arena_reserve(p->ctx->arena, (void **)&decl->members, &decl->member_cap,
			      decl->member_count + 1, sizeof(*decl->members)) < 0) {
		p->ctx->diags->nomem = true;
		return -1;
	}
	decl->members[decl->member_count++] = m;
	return 0;
}

