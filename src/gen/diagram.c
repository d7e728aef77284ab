/*
 * diagram.c - Mermaid and Graphviz ER diagrams of a schema (diagram.h).
 *
 * Both writers walk the schema in declaration order (tables, then foreign
 * keys table by table), so the same schema always gives the same text and a
 * committed diagram can be checked against its models.
 *
 * A foreign key is drawn from the referenced (parent) table to the table
 * that holds it (child). Its two ends follow from the columns:
 *   parent end: exactly one when every FK column is NOT NULL, else zero or one;
 *   child end:  zero or one when the FK columns are unique (a one-to-one),
 *               else zero or more.
 * A many-to-many relationship is shown as what it is in the database: the
 * association table with one line to each side.
 */
#include "gen/diagram.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"

/* --- what the schema says about keys -------------------------------------- */

static bool has_name(const char *const *names, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* Same columns, in any order? */
static bool same_column_set(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!has_name(b, nb, a[i]))
			return false;
	return true;
}

/* Do these columns hold a unique value per row: the primary key, a unique
 * constraint or a unique index on exactly them? */
static bool columns_unique(const rt_table *t, const char *const *columns, size_t count)
{
	const rt_constraint *pk = t->primary_key;
	if (pk && same_column_set(pk->columns, pk->column_count, columns, count))
		return true;
	for (size_t i = 0; i < t->constraint_count; i++) {
		const rt_constraint *c = t->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE &&
		    same_column_set(c->columns, c->column_count, columns, count))
			return true;
	}
	for (size_t i = 0; i < t->index_count; i++) {
		const rt_index *ix = t->indexes[i];
		if (ix->unique && rt__index_plain_on(ix, columns, count, false))
			return true;
	}
	return false;
}

static bool is_primary_key_column(const rt_table *t, const rt_column *column)
{
	return t->primary_key &&
	       has_name(t->primary_key->columns, t->primary_key->column_count, column->name);
}

static bool is_foreign_key_column(const rt_table *t, const rt_column *column)
{
	for (size_t i = 0; i < t->constraint_count; i++) {
		const rt_constraint *c = t->constraints[i];
		if (c->kind == RT_CONSTRAINT_FOREIGN_KEY &&
		    has_name(c->columns, c->column_count, column->name))
			return true;
	}
	return false;
}

/* Unique on its own (not merely part of a composite key)? A single-column
 * primary key is already marked PK. */
static bool is_unique_column(const rt_table *t, const rt_column *column)
{
	const char *name = column->name;
	const rt_constraint *pk = t->primary_key;
	if (pk && pk->column_count == 1 && strcmp(pk->columns[0], name) == 0)
		return false;
	return columns_unique(t, &name, 1);
}

/* "PK, FK, UK", or "" */
static void put_key_marks(rt_buf *out, const rt_table *t, const rt_column *column)
{
	const char *sep = "";
	if (is_primary_key_column(t, column)) {
		rt__buf_puts(out, "PK");
		sep = ", ";
	}
	if (is_foreign_key_column(t, column)) {
		rt__buf_printf(out, "%sFK", sep);
		sep = ", ";
	}
	if (is_unique_column(t, column))
		rt__buf_printf(out, "%sUK", sep);
}

/* One foreign key, seen as a line between two tables. */
typedef struct fk_line {
	const rt_table *child;   /* holds the foreign key */
	const rt_table *parent;  /* referenced; NULL when not in the schema */
	const rt_constraint *fk;
	bool optional;           /* a child row may have no parent */
	bool one_to_one;         /* a parent has at most one child */
	const char *label;
} fk_line;

static const rt_relationship *relationship_using(const rt_table *t, const rt_constraint *fk,
						 bool local)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->relationship_count; i++) {
		const rt_relationship *rel = t->relationships[i];
		if (rel->fk == fk && rel->fk_is_local == local)
			return rel;
	}
	return NULL;
}

/* The parent's relationship names the line best (users -> posts: "posts");
 * then the child's ("user"); a table without models shows the FK name. */
static const char *line_label(const fk_line *line)
{
	const rt_relationship *rel = relationship_using(line->parent, line->fk, false);
	if (!rel)
		rel = relationship_using(line->child, line->fk, true);
	return rel ? rel->name : line->fk->name ? line->fk->name : "";
}

static fk_line make_line(const rt_schema *s, const rt_table *child, const rt_constraint *fk)
{
	fk_line line = {.child = child, .fk = fk};
	line.parent = fk->ref_table ? rt__schema_find_table(s, fk->ref_table) : NULL;
	for (size_t i = 0; i < fk->column_count; i++) {
		const rt_column *column = rt__table_find_column(child, fk->columns[i]);
		if (column && column->nullable)
			line.optional = true;
	}
	line.one_to_one = columns_unique(child, fk->columns, fk->column_count);
	line.label = line_label(&line);
	return line;
}

/* Schema-language spelling of a column's type; "?" if it failed. A
 * verbatim type shows as the database spells it (tsvector, bytea[]). */
static const char *type_name(rt_arena *arena, const rt_type *type)
{
	if (type->kind == RT_TYPE_SQL)
		return type->sql && *type->sql ? type->sql : "?";
	const char *name = rt__type_name(arena, type);
	return name ? name : "?";
}

/* --- Mermaid -------------------------------------------------------------- */

/* Words Mermaid's erDiagram lexer takes for keywords wherever they stand. */
static bool is_mermaid_keyword(const char *name)
{
	static const char *const words[] = {"erdiagram", "one", "only", "many", "zero",
					    "to", "optionally", "end", "class",
					    "classdef", "style", "subgraph", "u",
					    "title", "acctitle", "accdescr", "direction"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(words[i], name) == 0)
			return true;
	return false;
}

static bool is_plain_identifier(const char *name)
{
	if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') || *name == '_'))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Entity names are bare when Mermaid reads them as names, quoted otherwise
 * (a quoted name may not hold '"' or '%', which become '_'). */
static void put_mermaid_entity(rt_buf *out, const char *name)
{
	if (is_plain_identifier(name) && !is_mermaid_keyword(name)) {
		rt__buf_puts(out, name);
		return;
	}
	rt__buf_putc(out, '"');
	for (const char *p = name; *p; p++)
		rt__buf_putc(out, *p == '"' || *p == '%' || *p == '\\' ? '_' : *p);
	rt__buf_putc(out, '"');
}

/* Attribute names are bare words, except that Mermaid reads PK, FK and UK
 * (in any case) as key marks: those, and names that are not plain
 * identifiers, go between backquotes. */
static void put_mermaid_attribute(rt_buf *out, const char *name)
{
	bool mark = strcasecmp(name, "pk") == 0 || strcasecmp(name, "fk") == 0 ||
		    strcasecmp(name, "uk") == 0;
	if (is_plain_identifier(name) && !mark) {
		rt__buf_puts(out, name);
		return;
	}
	rt__buf_putc(out, '`');
	for (const char *p = name; *p; p++)
		rt__buf_putc(out, *p == '`' ? '_' : *p);
	rt__buf_putc(out, '`');
}

/* Attribute types may not hold parentheses or commas in every Mermaid
 * version: string(50) -> string_50, numeric(10,2) -> numeric_10_2. */
static void put_mermaid_type(rt_buf *out, const char *type)
{
	/* One word: letters, digits, _ and [] (a verbatim type such as
	 * "timestamp(3) with time zone" becomes timestamp_3_with_time_zone). */
	for (const char *p = type; *p; p++) {
		char c = *p;
		if (c == ')' || c == '"' || c == '\'')
			continue;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '_' || c == '[' || c == ']';
		rt__buf_putc(out, plain ? c : '_');
	}
}

/* Comment text lives between double quotes on one line. */
static void put_mermaid_text(rt_buf *out, const char *text)
{
	for (const char *p = text; *p; p++)
		rt__buf_putc(out, *p == '"' ? '\'' : *p == '\n' || *p == '\r' ? ' ' : *p);
}

static const rt_enum *column_enum(const rt_schema *s, const rt_column *column)
{
	if (column->type.kind != RT_TYPE_ENUM)
		return NULL;
	if (column->type.enum_type)
		return column->type.enum_type;
	return column->type.enum_name ? rt__schema_find_enum(s, column->type.enum_name) : NULL;
}

/* The quoted comment after an attribute: nullability, an enum's values and
 * the column's own comment, as far as each applies. */
static void put_mermaid_comment(rt_buf *out, const rt_schema *s, const rt_column *column)
{
	const rt_enum *e = column_enum(s, column);
	const char *comment = column->comment && *column->comment ? column->comment : NULL;
	if (!column->nullable && !e && !comment)
		return;
	const char *sep = "";
	rt__buf_puts(out, " \"");
	if (column->nullable) {
		rt__buf_puts(out, "nullable");
		sep = "; ";
	}
	if (e) {
		rt__buf_puts(out, sep);
		for (size_t i = 0; i < e->value_count; i++) {
			rt__buf_puts(out, i ? " | " : "");
			put_mermaid_text(out, e->values[i]);
		}
		sep = "; ";
	}
	if (comment) {
		rt__buf_puts(out, sep);
		put_mermaid_text(out, comment);
	}
	rt__buf_putc(out, '"');
}

static void mermaid_table(rt_buf *out, rt_arena *arena, const rt_schema *s, const rt_table *t)
{
	rt__buf_puts(out, "    ");
	put_mermaid_entity(out, t->name);
	rt__buf_puts(out, " {\n");
	for (size_t i = 0; i < t->column_count; i++) {
		const rt_column *column = t->columns[i];
		rt__buf_puts(out, "        ");
		put_mermaid_type(out, type_name(arena, &column->type));
		rt__buf_putc(out, ' ');
		put_mermaid_attribute(out, column->name);
		size_t before = out->len;
		rt__buf_putc(out, ' ');
		put_key_marks(out, t, column);
		if (out->len == before + 1 && !out->failed) /* no marks: drop the space */
			out->ptr[--out->len] = '\0';
		put_mermaid_comment(out, s, column);
		rt__buf_putc(out, '\n');
	}
	rt__buf_puts(out, "    }\n");
}

static void mermaid_line(rt_buf *out, const fk_line *line)
{
	rt__buf_puts(out, "    ");
	put_mermaid_entity(out, line->parent ? line->parent->name : line->fk->ref_table);
	rt__buf_printf(out, " %s--%s ", line->optional ? "|o" : "||",
		       line->one_to_one ? "o|" : "o{");
	put_mermaid_entity(out, line->child->name);
	rt__buf_puts(out, " : \"");
	put_mermaid_text(out, line->label);
	rt__buf_puts(out, "\"\n");
}

int rt__diagram_mermaid(rt_buf *out, const rt_schema *s)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt__buf_puts(out, "erDiagram\n");
	for (size_t i = 0; i < s->table_count; i++)
		mermaid_table(out, arena, s, s->tables[i]);
	for (size_t i = 0; i < s->table_count; i++) {
		const rt_table *t = s->tables[i];
		for (size_t j = 0; j < t->constraint_count; j++) {
			if (t->constraints[j]->kind != RT_CONSTRAINT_FOREIGN_KEY)
				continue;
			fk_line line = make_line(s, t, t->constraints[j]);
			mermaid_line(out, &line);
		}
	}
	rt__arena_free(arena);
	return rt__buf_failed(out) ? rt__error_nomem() : RT_OK;
}

/* --- Graphviz ------------------------------------------------------------- */

/* Text inside an HTML-like label. */
static void put_html(rt_buf *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&': rt__buf_puts(out, "&amp;"); break;
		case '<': rt__buf_puts(out, "&lt;"); break;
		case '>': rt__buf_puts(out, "&gt;"); break;
		case '"': rt__buf_puts(out, "&quot;"); break;
		default: rt__buf_putc(out, *p); break;
		}
	}
}

/* A double-quoted dot ID or attribute value. */
static void put_dot_string(rt_buf *out, const char *text)
{
	rt__buf_putc(out, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			rt__buf_putc(out, '\\');
		rt__buf_putc(out, *p == '\n' ? ' ' : *p);
	}
	rt__buf_putc(out, '"');
}

static void dot_table(rt_buf *out, rt_arena *arena, const rt_table *t)
{
	rt__buf_puts(out, "    ");
	put_dot_string(out, t->name);
	rt__buf_puts(out, " [label=<\n"
			  "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n"
			  "<tr><td colspan=\"3\" bgcolor=\"#dde6f0\"><b>");
	put_html(out, t->name);
	rt__buf_puts(out, "</b>");
	if (t->model) {
		rt__buf_puts(out, "<br/><font point-size=\"9\">");
		put_html(out, t->model);
		rt__buf_puts(out, "</font>");
	}
	rt__buf_puts(out, "</td></tr>\n");
	for (size_t i = 0; i < t->column_count; i++) {
		const rt_column *column = t->columns[i];
		rt__buf_printf(out, "<tr><td port=\"c%zuw\" align=\"left\">", i);
		put_html(out, column->name);
		rt__buf_puts(out, "</td><td align=\"left\">");
		put_html(out, type_name(arena, &column->type));
		rt__buf_puts(out, column->nullable ? "?" : "");
		rt__buf_printf(out, "</td><td port=\"c%zue\" align=\"left\">", i);
		put_key_marks(out, t, column);
		rt__buf_puts(out, "</td></tr>\n");
	}
	rt__buf_puts(out, "</table>>];\n");
}

/* A column's row has a port on each side: c<i>w on its first cell, c<i>e
 * on its last. Edges leave a child from the east and enter a parent from
 * the west, which with rankdir=LR keeps them off the tables. No port when
 * the table or column is unknown (a foreign key to a table outside the
 * schema). */
static void put_dot_endpoint(rt_buf *out, const rt_table *t, const char *table_name,
			     const char *column, char side)
{
	put_dot_string(out, t ? t->name : table_name);
	if (!t || !column)
		return;
	for (size_t i = 0; i < t->column_count; i++) {
		if (strcmp(t->columns[i]->name, column) == 0) {
			rt__buf_printf(out, ":c%zu%c:%c", i, side, side);
			return;
		}
	}
}

/* Edges run child -> parent; the tail (child end) is a crow's foot, the
 * head (parent end) a bar, each with a circle when the end may be zero. */
static void dot_line(rt_buf *out, const fk_line *line)
{
	const rt_constraint *fk = line->fk;
	rt__buf_puts(out, "    ");
	put_dot_endpoint(out, line->child, line->child->name,
			 fk->column_count ? fk->columns[0] : NULL, 'e');
	rt__buf_puts(out, " -> ");
	put_dot_endpoint(out, line->parent, fk->ref_table ? fk->ref_table : "",
			 fk->ref_column_count ? fk->ref_columns[0] : NULL, 'w');
	rt__buf_puts(out, " [label=");
	put_dot_string(out, line->label);
	rt__buf_printf(out, ", arrowtail=%s, arrowhead=%s];\n",
		       line->one_to_one ? "teeodot" : "crowodot",
		       line->optional ? "teeodot" : "teetee");
}

int rt__diagram_dot(rt_buf *out, const rt_schema *s)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt__buf_puts(out, "digraph schema {\n"
			  "    graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.5, ranksep=1.2];\n"
			  "    node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n"
			  "    edge [dir=both, fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n");
	for (size_t i = 0; i < s->table_count; i++)
		dot_table(out, arena, s->tables[i]);
	for (size_t i = 0; i < s->table_count; i++) {
		const rt_table *t = s->tables[i];
		for (size_t j = 0; j < t->constraint_count; j++) {
			if (t->constraints[j]->kind != RT_CONSTRAINT_FOREIGN_KEY)
				continue;
			fk_line line = make_line(s, t, t->constraints[j]);
			dot_line(out, &line);
		}
	}
	rt__buf_puts(out, "}\n");
	rt__arena_free(arena);
	return rt__buf_failed(out) ? rt__error_nomem() : RT_OK;
}
