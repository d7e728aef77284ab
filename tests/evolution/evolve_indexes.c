/*
 * evolve_indexes.c - the evolution test's indexes beyond ascending columns
 * (evolve.h): partial ones (`where '<column> IS NOT NULL'`), expression
 * keys (`lower(<column>)`), descending keys, index methods (`using hash`,
 * `gin`, `brin`, `fulltext`) and covering ones (`include (...)`), each
 * made only where the dialect has it (its caps), changed (where, keys or
 * method: autogenerate drops and makes it again) and dropped by the plain
 * index kinds of evolve_changes.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

/* ---- index methods ----------------------------------------------------
 * The methods the test knows, and the columns each takes as its one key
 * (with the operator class the database picks by default). Methods of the
 * dialect the test does not know are left out. */

typedef bool (*key_fit)(const column *c);

/* (Not the verbatim type: tsvector has no hash operator class.) */
static bool fits_hash(const column *c)
{
	return c->type.kind != TK_JSON && c->type.kind != TK_VERBATIM;
}

/* PostgreSQL's jsonb (jsonb_ops), arrays (array_ops) and tsvector. */
static bool fits_gin(const column *c)
{
	return c->type.kind == TK_JSON || is_array(c->type.kind) || c->type.kind == TK_VERBATIM;
}

static bool fits_brin(const column *c)
{
	type_kind k = c->type.kind;
	return is_int(k) || k == TK_NUMERIC || k == TK_DATE || k == TK_TIMESTAMP;
}

static bool fits_fulltext(const column *c)
{
	return is_text(c->type.kind);
}

static const struct {
	const char *name;
	key_fit fits;
} known_methods[] = {
	{ "hash", fits_hash },
	{ "gin", fits_gin },
	{ "brin", fits_brin },
	{ "fulltext", fits_fulltext },
};
#define KNOWN_METHODS ((int)(sizeof(known_methods) / sizeof(known_methods[0])))

static key_fit method_fit(const char *name)
{
	for (int i = 0; i < KNOWN_METHODS; i++)
		if (strcmp(known_methods[i].name, name) == 0)
			return known_methods[i].fits;
	return NULL;
}

void pick_methods(const char *const *names, int count)
{
	w.nmethods = 0;
	for (int i = 0; i < count && w.nmethods < MAX_METHODS; i++)
		if (method_fit(names[i]))
			w.methods[w.nmethods++] = names[i];
}

/* ---- which columns an index may take ------------------------------------ */

static bool plain_key(const table *t, int s)
{
	return t->cols[s].type.kind != TK_JSON && t->ncons < MAX_CONS && key_ok(&t->cols[s]);
}

/* A key a unique index may have: values that differ from row to row, and
 * no partitioned table (its unique keys must hold the partition key). */
static bool unique_key(const table *t, int s)
{
	return !t->partitioned && unique_safe(&t->cols[s]) && t->cols[s].fk < 0 &&
	       plain_key(t, s);
}

static bool text_key(const table *t, int s)
{
	return is_text(t->cols[s].type.kind) && plain_key(t, s);
}

/* The method being made, for method_key. */
static const char *making_method;

static bool method_key(const table *t, int s)
{
	return t->ncons < MAX_CONS && method_fit(making_method)(&t->cols[s]);
}

/* A live column of t other than slot not, at random; -1 when none. */
static int other_column(const table *t, int not)
{
	int seen = 0, chosen = -1;
	for (int s = 0; s < t->ncols; s++)
		if (s != not && t->cols[s].live && !t->cols[s].generated && rnd(++seen) == 0)
			chosen = s;
	return chosen;
}

bool in_special_index(const table *t, int s)
{
	for (int i = 0; i < t->ncons; i++) {
		const tcons *k = &t->cons[i];
		for (int j = 0; j < k->ncols; j++)
			if (k->cols[j] == s && (k->lower[j] || k->method))
				return true;
	}
	return false;
}

/* ---- the changes ---------------------------------------------------------- */

static bool kind_available(int kind)
{
	switch (kind) {
	case IX_WHERE: return w.index_where;
	case IX_EXPRESSION: return w.index_expressions;
	case IX_DESC: return w.index_desc;
	case IX_METHOD: return w.nmethods > 0;
	case IX_INCLUDE: return w.index_include;
	default: return false;
	}
}

static const char *const kind_words[] = { "partial", "expression", "descending", "method",
					   "covering" };

/* An index of one of the kinds: its key, and the part that makes it so. */
bool add_index_kind(int kind)
{
	if (!kind_available(kind))
		return false;
	column_filter filter = kind == IX_EXPRESSION ? text_key : plain_key;
	if (kind == IX_METHOD) {
		making_method = w.methods[rnd(w.nmethods)];
		filter = method_key;
	}
	int ti = -1, s = -1;
	if (!pick_column(filter, &ti, &s))
		return false;
	table *t = &w.tables[ti];
	/* Methods other than the B-tree make no unique index here. */
	bool unique = kind != IX_METHOD && unique_key(t, s) && chance(30);
	int cols[2] = { s, -1 }, n = 1;
	if (kind == IX_DESC && chance(40)) {
		int o = other_column(t, s);
		if (o >= 0 && plain_key(t, o) && (!unique || unique_key(t, o)))
			cols[n++] = o;
	}
	int kind_cons = unique ? CONS_UNIQUE_INDEX : CONS_INDEX;
	if (cons_exists(t, kind_cons, cols, n))
		return false;
	tcons k;
	memset(&k, 0, sizeof(k));
	k.kind = kind_cons;
	k.ncols = n;
	memcpy(k.cols, cols, sizeof(cols));
	switch (kind) {
	case IX_WHERE:
		k.where = other_column(t, -1);
		k.has_where = k.where >= 0;
		break;
	case IX_EXPRESSION: k.lower[0] = true; break;
	case IX_DESC: k.desc[rnd(n)] = true; break;
	case IX_METHOD: k.method = making_method; break;
	case IX_INCLUDE:
		k.include = other_column(t, s);
		k.has_include = k.include >= 0;
		break;
	}
	if (!k.has_where && kind == IX_WHERE)
		return false;
	if (!k.has_include && kind == IX_INCLUDE)
		return false;
	if (chance(30))
		fresh_name(k.name, sizeof(k.name), 'x');
	t->cons[t->ncons++] = k;
	t->touched = w.step;
	note("add %s %sindex %s on %s (%s%s%s)", kind_words[kind], unique ? "unique " : "",
	     k.name[0] ? k.name : "(default name)", t->name, t->cols[cols[0]].name, n > 1 ? ", " : "",
	     n > 1 ? t->cols[cols[1]].name : "");
	return true;
}

/* One part of an index changes: its where, a key's order, a key made
 * lower(...) or back, or its method. Autogenerate drops and makes it. */
bool ch_change_index(rt_conn *conn)
{
	(void)conn;
	int seen = 0, ti = -1, ki = -1;
	for (int i = 0; i < w.ntables; i++) {
		const table *t = &w.tables[i];
		if (!t->live || t->touched == w.step)
			continue;
		for (int k = 0; k < t->ncons; k++)
			if ((t->cons[k].kind == CONS_INDEX || t->cons[k].kind == CONS_UNIQUE_INDEX) &&
			    rnd(++seen) == 0) {
				ti = i;
				ki = k;
			}
	}
	if (ti < 0)
		return false;
	table *t = &w.tables[ti];
	tcons *k = &t->cons[ki];
	const column *key = &t->cols[k->cols[0]];
	for (int tries = 0; tries < 8; tries++) {
		switch (rnd(4)) {
		case 0:
			if (!w.index_where)
				break;
			if (k->has_where) {
				k->has_where = false;
			} else {
				k->where = other_column(t, -1);
				k->has_where = k->where >= 0;
				if (!k->has_where)
					break;
			}
			t->touched = w.step;
			note("change index on %s: %s", t->name, k->has_where ? "where" : "no where");
			return true;
		case 1:
			if (!w.index_desc || k->method)
				break;
			k->desc[0] = !k->desc[0];
			t->touched = w.step;
			note("change index on %s: key %s", t->name, k->desc[0] ? "desc" : "asc");
			return true;
		case 2:
			if (!w.index_expressions || k->method || !is_text(key->type.kind))
				break;
			k->lower[0] = !k->lower[0];
			t->touched = w.step;
			note("change index on %s: key %s", t->name, k->lower[0] ? "lower()" : "a column");
			return true;
		case 3: {
			if (w.nmethods == 0 || k->kind != CONS_INDEX || k->ncols != 1 ||
			    k->has_include || k->desc[0] || k->lower[0])
				break;
			const char *m = w.methods[rnd(w.nmethods)];
			if (k->method && chance(40))
				m = NULL; /* back to the default */
			if (m == k->method || (m && !method_fit(m)(key)) ||
			    (!m && !plain_key(t, k->cols[0])))
				break;
			k->method = m;
			t->touched = w.step;
			note("change index on %s: using %s", t->name, m ? m : "(default)");
			return true;
		}
		}
	}
	return false;
}

/* ---- models.rt ----------------------------------------------------------- */

void write_index(rt_buf *out, const table *t, const tcons *k)
{
	rt__buf_printf(out, "  %s", k->kind == CONS_UNIQUE_INDEX ? "unique index" : "index");
	if (k->name[0])
		rt__buf_printf(out, " %s", k->name);
	if (k->method)
		rt__buf_printf(out, " using %s", k->method);
	rt__buf_puts(out, " (");
	for (int j = 0; j < k->ncols; j++) {
		const char *name = t->cols[k->cols[j]].name;
		rt__buf_puts(out, j ? ", " : "");
		rt__buf_printf(out, k->lower[j] ? "lower(%s)" : "%s", name);
		if (k->desc[j])
			rt__buf_puts(out, " desc");
	}
	rt__buf_puts(out, ")");
	if (k->has_include)
		rt__buf_printf(out, " include (%s)", t->cols[k->include].name);
	if (k->has_where)
		rt__buf_printf(out, " where '%s IS NOT NULL'", t->cols[k->where].name);
	rt__buf_putc(out, '\n');
}
