/*
 * joined.c - the tables of joined-table inheritance (rt_model_desc.joined):
 * which table holds which column of a model, the FROM item that reads a
 * model's rows out of its tables, and the per-table descriptions the flush
 * writes through (flush_joined.c).
 *
 * Reads: a model of a tree with joined tables is read from a derived table
 * that joins the root's table to each joined table of the model's chain
 * (INNER JOIN: its rows have them all) and to each joined table below it
 * (LEFT OUTER JOIN, SQLAlchemy's with_polymorphic="*"), exposing every
 * column under its own name. Everything the query compiler writes
 * (t0."col" in the select list, filters, orders, keyset conditions, joins
 * from other models, get by key) reads that derived table as it would the
 * one table of single-table inheritance, so one statement loads rows of
 * every model of the tree and the single-table code makes each row an
 * object of the model its discriminator names. A second load by
 * discriminator would cost a round trip per model and leave objects half
 * loaded in between; the databases flatten the derived table into the
 * query, so its indexes serve as if the join were written out.
 *
 * Writes: the flush sees a joined model as one description per table, root
 * first (rt_table_part): its columns are descriptions of the model's own
 * columns (same offsets into the struct, since a subclass's struct begins
 * with its parent's), the key columns first, so the ordinary INSERT,
 * UPDATE and DELETE code writes each table.
 */
#include <string.h>

#include "base/error.h"
#include "orm/flush.h"
#include "orm/joined.h"

bool rt__model_multi_table(const rt_model_desc *model)
{
	for (; model; model = model->parent)
		if (model->joined)
			return true;
	return false;
}

bool rt__model_joined_tree(const rt_model_desc *model)
{
	if (rt__model_multi_table(model))
		return true;
	for (int s = 0; s < model->subclass_count; s++)
		if (model->subclasses[s]->joined)
			return true;
	return false;
}

/* The model whose table holds column i of model: the level declaring it,
 * then up past single-table levels (they keep their columns in their
 * parent's table). */
static const rt_model_desc *column_table(const rt_model_desc *model, int i)
{
	while (model->parent && i < model->parent->column_count)
		model = model->parent;
	while (model->parent && !model->joined)
		model = model->parent;
	return model;
}

/* How many joined tables model's chain has, model's own included. */
static int chain_depth(const rt_model_desc *model)
{
	int n = 0;
	for (; model; model = model->parent)
		n += model->joined;
	return n;
}

/* The alias number of table owner t in the derived table of queried: 0
 * the root, then the chain's joined tables top down, then the joined
 * subclasses of queried in their order. */
static int table_number(const rt_model_desc *queried, const rt_model_desc *t)
{
	if (rt__model_is_a(queried, t))
		return chain_depth(t);
	int n = chain_depth(queried);
	for (int s = 0; s < queried->subclass_count; s++) {
		const rt_model_desc *sub = queried->subclasses[s];
		if (!sub->joined)
			continue;
		n++;
		if (sub == t)
			return n;
	}
	return 0;
}

static void put_column(rt_buf *sql, const rt_dialect *d, const rt_model_desc *queried,
		       const rt_model_desc *model, int i, bool *first)
{
	rt__buf_printf(sql, "%sj%d.", *first ? "" : ", ",
		       table_number(queried, column_table(model, i)));
	d->quote_ident(sql, model->columns[i].name);
	*first = false;
}

/* " JOIN t jN ON jN.k = j0.k ..." of joined table owner t. */
static void put_join(rt_buf *sql, const rt_dialect *d, const rt_model_desc *queried,
		     const rt_model_desc *t, const char *join)
{
	const rt_model_desc *root = rt__model_root(t);
	int n = table_number(queried, t);
	rt__buf_printf(sql, " %s ", join);
	rt__sql_table(sql, d, t->schema, t->table);
	rt__buf_printf(sql, " j%d", n);
	for (int k = 0; k < root->primary_key_count; k++) {
		const char *key = root->columns[root->primary_key[k]].name;
		rt__buf_printf(sql, "%sj%d.", k ? " AND " : " ON ", n);
		d->quote_ident(sql, key);
		rt__buf_puts(sql, " = j0.");
		d->quote_ident(sql, key);
	}
}

/* The chain's joined tables, top down. */
static void put_chain(rt_buf *sql, const rt_dialect *d, const rt_model_desc *queried,
		      const rt_model_desc *model)
{
	if (model->parent)
		put_chain(sql, d, queried, model->parent);
	if (model->joined)
		put_join(sql, d, queried, model, "JOIN");
}

/* Whether column i of sub (beyond queried's) was exposed already by a
 * subclass before it: a subclass's columns begin with its parent's. */
static bool exposed_before(const rt_model_desc *queried, const rt_model_desc *sub, int i)
{
	return sub->parent && sub->parent != queried && i < sub->parent->column_count;
}

void rt__sql_model_source(rt_buf *sql, const rt_dialect *d, const rt_model_desc *model)
{
	if (!rt__model_joined_tree(model)) {
		rt__sql_table(sql, d, model->schema, model->table);
		return;
	}
	const rt_model_desc *root = rt__model_root(model);
	bool first = true;
	rt__buf_puts(sql, "(SELECT ");
	for (int i = 0; i < model->column_count; i++)
		put_column(sql, d, model, model, i, &first);
	for (int s = 0; s < model->subclass_count; s++) {
		const rt_model_desc *sub = model->subclasses[s];
		for (int i = model->column_count; i < sub->column_count; i++)
			if (!exposed_before(model, sub, i))
				put_column(sql, d, model, sub, i, &first);
	}
	rt__buf_puts(sql, " FROM ");
	rt__sql_table(sql, d, root->schema, root->table);
	rt__buf_puts(sql, " j0");
	put_chain(sql, d, model, model);
	for (int s = 0; s < model->subclass_count; s++)
		if (model->subclasses[s]->joined)
			put_join(sql, d, model, model->subclasses[s], "LEFT JOIN");
	rt__buf_putc(sql, ')');
}

/* --- the tables a flush writes ------------------------------------------- */

struct rt_joined_cache {
	const rt_model_desc *model;
	rt_table_part *parts;
	int count;
	struct rt_joined_cache *next;
};

/* The description of the table of joined level t (or of the root): the
 * key columns, then the columns t declares. */
static int build_part(rt_session *session, rt_table_part *part, const rt_model_desc *t)
{
	const rt_model_desc *root = rt__model_root(t);
	int keys = root->primary_key_count;
	int first = t->parent ? t->parent->column_count : 0;
	int count = t->parent ? keys + t->column_count - first : t->column_count;
	rt_column_desc *columns = rt__arena_alloc(session->arena, count * sizeof(*columns));
	int *model_column = rt__arena_alloc(session->arena, count * sizeof(*model_column));
	int *primary_key = rt__arena_alloc(session->arena, keys * sizeof(*primary_key));
	if (!columns || !model_column || !primary_key)
		return rt__error_nomem();
	int n = 0;
	for (int k = 0; t->parent && k < keys; k++) {
		columns[n] = t->columns[root->primary_key[k]];
		/* The parent's row gave the value: always written here. */
		columns[n].flags &= ~(unsigned)(RT_COLUMN_AUTOINCREMENT | RT_COLUMN_SERVER_DEFAULT);
		model_column[n] = root->primary_key[k];
		primary_key[k] = n++;
	}
	for (int i = t->parent ? first : 0; i < t->column_count; i++) {
		columns[n] = t->columns[i];
		model_column[n++] = i;
	}
	for (int k = 0; !t->parent && k < keys; k++)
		primary_key[k] = root->primary_key[k];
	memset(&part->desc, 0, sizeof(part->desc));
	part->desc.version = RT_MODEL_DESC_VERSION;
	part->desc.name = t->name;
	part->desc.table = t->table;
	part->desc.schema = t->schema;
	part->desc.size = t->size;
	part->desc.columns = columns;
	part->desc.column_count = n;
	part->desc.primary_key = primary_key;
	part->desc.primary_key_count = keys;
	part->model_column = model_column;
	return RT_OK;
}

int rt__joined_parts(rt_session *session, const rt_model_desc *model,
		     const rt_table_part **out, int *out_count)
{
	for (struct rt_joined_cache *c = session->joined_parts; c; c = c->next)
		if (c->model == model) {
			*out = c->parts;
			*out_count = c->count;
			return RT_OK;
		}
	int count = 1 + chain_depth(model);
	struct rt_joined_cache *c = rt__arena_alloc(session->arena, sizeof(*c));
	rt_table_part *parts = rt__arena_alloc(session->arena, count * sizeof(*parts));
	if (!c || !parts)
		return rt__error_nomem();
	/* Root first, then the chain's joined tables top down: the order of
	 * the INSERTs (each row's key is its parent's). */
	int n = count;
	for (const rt_model_desc *m = model; m; m = m->parent) {
		if (m->parent && !m->joined)
			continue;
		int rc = build_part(session, &parts[--n], m);
		if (rc < 0)
			return rc;
	}
	c->model = model;
	c->parts = parts;
	c->count = count;
	c->next = session->joined_parts;
	session->joined_parts = c;
	*out = parts;
	*out_count = count;
	return RT_OK;
}

void rt__joined_columns(const rt_table_part *part, const rt_colset *model_columns,
			rt_colset *out)
{
	memset(out, 0, sizeof(*out));
	for (int j = 0; j < part->desc.column_count; j++)
		if (rt__colset_has(model_columns, part->model_column[j]))
			rt__colset_add(out, j);
}
