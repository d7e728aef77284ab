/*
 * inherit.c - single-table inheritance in the ORM (rt_model_desc's parent,
 * identity, discriminator and subclasses).
 *
 * A query of a model with subclasses selects the model's columns, then for
 * each subclass the columns it has beyond them; a row is made an object
 * of the model its discriminator names, read through column_position.
 * The identity map files every object of a tree under its root, so a row
 * is one object however it was queried. Inserting writes the
 * discriminator because the generated defaults of a model with an
 * identity hold it.
 */
#include <string.h>

#include "base/error.h"
#include "orm/query.h"

const rt_model_desc *rt__model_root(const rt_model_desc *model)
{
	while (model->parent)
		model = model->parent;
	return model;
}

bool rt__model_is_a(const rt_model_desc *model, const rt_model_desc *ancestor)
{
	for (; model; model = model->parent)
		if (model == ancestor)
			return true;
	return false;
}

void rt__select_subclass_columns(rt_buf *sql, const rt_dialect *dialect,
				 const rt_model_desc *model, const char *alias)
{
	for (int s = 0; s < model->subclass_count; s++) {
		const rt_model_desc *sub = model->subclasses[s];
		for (int i = model->column_count; i < sub->column_count; i++) {
			rt__buf_puts(sql, ", ");
			if (alias) {
				rt__buf_puts(sql, alias);
				rt__buf_putc(sql, '.');
			}
			dialect->quote_ident(sql, sub->columns[i].name);
		}
	}
}

int rt__select_width(const rt_model_desc *model)
{
	int width = model->column_count;
	for (int s = 0; s < model->subclass_count; s++)
		width += model->subclasses[s]->column_count - model->column_count;
	return width;
}

int rt__inherit_column_position(const rt_model_desc *queried, const rt_model_desc *actual,
				int column)
{
	if (column < queried->column_count || actual == queried)
		return column;
	int at = queried->column_count;
	for (int s = 0; s < queried->subclass_count; s++) {
		const rt_model_desc *sub = queried->subclasses[s];
		if (sub == actual)
			return at + column - queried->column_count;
		at += sub->column_count - queried->column_count;
	}
	return -1;
}

/* The text of an enum value or of a text discriminator. */
static bool identity_is(const rt_model_desc *model, const char *text)
{
	return model->identity && text && strcmp(model->identity, text) == 0;
}

const rt_model_desc *rt__row_model(const rt_model_desc *queried, rt_stmt *stmt,
				   int first_column)
{
	if (!queried->subclass_count)
		return queried;
	int column = first_column + queried->discriminator;
	if (rt_stmt_column_is_null(stmt, column))
		return queried;
	const char *text = rt_stmt_column_text(stmt, column);
	for (int s = 0; s < queried->subclass_count; s++)
		if (identity_is(queried->subclasses[s], text))
			return queried->subclasses[s];
	/* The queried model's own rows, or an identity no model of this
	 * program knows: read as the queried model. */
	return queried;
}

int rt__where_identities(const rt_model_desc *model, rt_value_ref *values, int cap)
{
	if (!model->parent)
		return 0;
	const rt_column_desc *column = &model->columns[model->discriminator];
	int count = 0;
	for (int s = -1; s < model->subclass_count && count < cap; s++) {
		const rt_model_desc *m = s < 0 ? model : model->subclasses[s];
		if (!m->identity)
			continue;
		if (column->kind != RT_FIELD_ENUM || !column->enum_type) {
			values[count++] = rt_text(m->identity);
			continue;
		}
		for (int v = 0; v < column->enum_type->value_count; v++)
			if (strcmp(column->enum_type->values[v], m->identity) == 0)
				values[count++] = rt_enum_value(column->enum_type, v + 1);
	}
	return count;
}

const rt_model_desc *rt_object_model(const void *object)
{
	const rt_object *header = object ? rt__object_header(object) : NULL;
	return header ? header->model : NULL;
}

bool rt_object_is_a(const void *object, const rt_model_desc *model)
{
	const rt_model_desc *actual = rt_object_model(object);
	return actual && model && rt__model_is_a(actual, model);
}
