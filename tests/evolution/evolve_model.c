/*
 * evolve_model.c - the evolution test's model of a schema (evolve.h): the
 * world it lives in, random choices made from one seeded sequence, the
 * questions the changes ask of the model, and the model written out as
 * the models.rt a user would write.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "evolution/evolve.h"

world w;

const char *const fk_actions[5] = { "", "cascade", "set null", "restrict", "no action" };

/* ---- helpers ---------------------------------------------------------- */

uint64_t next_random(void)
{
	/* xorshift64*: small, and the same sequence everywhere for a seed */
	w.rng ^= w.rng >> 12;
	w.rng ^= w.rng << 25;
	w.rng ^= w.rng >> 27;
	return w.rng * 2685821657736338717ULL;
}

int rnd(int n)
{
	return n <= 1 ? 0 : (int)(next_random() % (uint64_t)n);
}

bool chance(int percent)
{
	return rnd(100) < percent;
}

void note(const char *fmt, ...)
{
	size_t used = strlen(w.description);
	if (used + 4 >= sizeof(w.description))
		return;
	if (used)
		strcat(w.description, "; ");
	used = strlen(w.description);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w.description + used, sizeof(w.description) - used, fmt, ap);
	va_end(ap);
}

void fresh_name(char *out, size_t size, char prefix)
{
	snprintf(out, size, "%c%d", prefix, ++w.name_counter);
}

bool is_int(type_kind k)
{
	return k == TK_SMALLINT || k == TK_INT || k == TK_BIGINT;
}

bool is_string(type_kind k)
{
	return k == TK_STRINGN || k == TK_STRING || k == TK_TEXT;
}

bool is_text(type_kind k)
{
	return is_string(k) || k == TK_CHARN;
}

bool is_number(type_kind k)
{
	return is_int(k) || k == TK_REAL || k == TK_DOUBLE || k == TK_NUMERIC;
}

bool key_ok(const column *c)
{
	return w.index_unbounded || (c->type.kind != TK_STRING && c->type.kind != TK_TEXT &&
				     c->type.kind != TK_JSON && c->type.kind != TK_VERBATIM);
}

/* Values of such a column differ from row to row (see value_text). */
bool unique_safe(const column *c)
{
	if (c->dup)
		return false;
	return is_int(c->type.kind) || is_text(c->type.kind) || c->type.kind == TK_NUMERIC ||
	       c->type.kind == TK_REAL || c->type.kind == TK_DOUBLE;
}

void type_text(char *out, size_t size, col_type t)
{
	switch (t.kind) {
	case TK_SMALLINT: snprintf(out, size, "smallint"); break;
	case TK_INT: snprintf(out, size, "int"); break;
	case TK_BIGINT: snprintf(out, size, "bigint"); break;
	case TK_BOOL: snprintf(out, size, "bool"); break;
	case TK_REAL: snprintf(out, size, "real"); break;
	case TK_DOUBLE: snprintf(out, size, "double"); break;
	case TK_NUMERIC: snprintf(out, size, "numeric(%d,2)", t.n); break;
	case TK_STRINGN: snprintf(out, size, "string(%d)", t.n); break;
	case TK_STRING: snprintf(out, size, "string"); break;
	case TK_TEXT: snprintf(out, size, "text"); break;
	case TK_DATE: snprintf(out, size, "date"); break;
	case TK_TIMESTAMP: snprintf(out, size, "timestamp"); break;
	case TK_JSON: snprintf(out, size, "json"); break;
	case TK_CHARN: snprintf(out, size, "char(%d)", t.n); break;
	case TK_ENUM: snprintf(out, size, "%s", w.enums[t.e].name); break;
	case TK_INT_ARRAY: snprintf(out, size, "int[]"); break;
	case TK_TEXT_ARRAY: snprintf(out, size, "text[]"); break;
	case TK_DOMAIN: snprintf(out, size, "sql '%s'", w.objs[t.e].name); break;
	case TK_VERBATIM: snprintf(out, size, "sql '%s'", w.verbatim); break;
	default: snprintf(out, size, "?"); break;
	}
}

/* Value i of enum e ("e12_0"); the text lasts until the fourth next call. */
const char *enum_value(int e, int i)
{
	static char text[4][24];
	static int next;
	char *out = text[next++ % 4];
	snprintf(out, sizeof(text[0]), "e%s_%d", w.enums[e].name + 1, i);
	return out;
}

/* The server default literal `variant` (1 or 2) of a type. */
const char *default_text(col_type t, int variant)
{
	bool one = variant == 1;
	switch (t.kind) {
	case TK_SMALLINT:
	case TK_INT:
	case TK_BIGINT:
	case TK_DOMAIN: return one ? "7" : "8";
	case TK_INT_ARRAY: return one ? "'{}'" : "'{1,2}'";
	case TK_TEXT_ARRAY: return one ? "'{}'" : "'{a,b}'";
	case TK_BOOL: return one ? "false" : "true";
	case TK_REAL:
	case TK_DOUBLE: return one ? "1.5" : "2.5";
	case TK_NUMERIC: return one ? "1" : "2";
	case TK_STRINGN:
	case TK_STRING:
	case TK_TEXT:
	case TK_CHARN: return one ? "'x'" : "'y'";
	case TK_DATE: return one ? "'2024-01-01'" : "'2024-06-30'";
	case TK_TIMESTAMP: return one ? "now" : "'2024-01-01 00:00:00'";
	case TK_JSON: return one ? "'{}'" : "'[]'";
	case TK_ENUM: {
		static char text[2][24];
		snprintf(text[one], sizeof(text[one]), "%s", enum_value(t.e, one ? 0 : 1));
		return text[one];
	}
	default: return "?";
	}
}

bool checkable(const column *c)
{
	return is_number(c->type.kind) || is_string(c->type.kind);
}

void check_expr(char *out, size_t size, const column *c)
{
	if (is_text(c->type.kind)) /* a string column's check stays one on char(n) */
		snprintf(out, size, "length(%s) < 100", c->name);
	else
		snprintf(out, size, "%s >= 0", c->name);
}

col_type random_plain_type(void)
{
	static const type_kind plain[] = {
		TK_SMALLINT, TK_INT, TK_BIGINT, TK_BOOL, TK_REAL, TK_DOUBLE, TK_NUMERIC,
		TK_STRINGN, TK_STRING, TK_TEXT, TK_DATE, TK_TIMESTAMP, TK_JSON, TK_CHARN,
	};
	col_type t = { plain[rnd((int)(sizeof(plain) / sizeof(plain[0])))], 0, -1 };
	if (t.kind == TK_STRINGN)
		t.n = 16 + 8 * rnd(6);
	if (t.kind == TK_CHARN)
		t.n = 16 + 8 * rnd(2); /* never 32: that is uuid's CHAR(32) on MariaDB */
	if (t.kind == TK_NUMERIC)
		t.n = 8 + 2 * rnd(4);
	return t;
}

int live_tables(void)
{
	int n = 0;
	for (int i = 0; i < w.ntables; i++)
		n += w.tables[i].live;
	return n;
}

int live_columns(const table *t)
{
	int n = 0;
	for (int i = 0; i < t->ncols; i++)
		n += t->cols[i].live;
	return n;
}

/* A random live table (-1 when there is none); keyed: -1 any, 0/1 which. */
int pick_table(int keyed)
{
	int seen = 0, chosen = -1;
	for (int i = 0; i < w.ntables; i++) {
		const table *t = &w.tables[i];
		if (!t->live || t->touched == w.step || (keyed >= 0 && t->keyed != (keyed == 1)))
			continue;
		if (rnd(++seen) == 0)
			chosen = i;
	}
	return chosen;
}

/* The column slots an index or constraint uses (keys, include, where);
 * returns how many (at most 4). */
int cons_columns(const tcons *k, int out[4])
{
	int n = 0;
	for (int j = 0; j < k->ncols; j++)
		out[n++] = k->cols[j];
	if (k->has_include)
		out[n++] = k->include;
	if (k->has_where)
		out[n++] = k->where;
	return n;
}

/* Is column slot s of t used by a constraint of one of the kinds in mask? */
bool in_cons(const table *t, int s, unsigned mask)
{
	for (int i = 0; i < t->ncons; i++) {
		int cols[4], n = cons_columns(&t->cons[i], cols);
		for (int j = 0; j < n; j++)
			if (cols[j] == s && (mask & (1u << t->cons[i].kind)))
				return true;
	}
	return false;
}

/* A random (table, column) pair passing filter; false when none does. */
bool pick_column(column_filter filter, int *ti, int *si)
{
	int seen = 0;
	for (int i = 0; i < w.ntables; i++) {
		if (!w.tables[i].live || w.tables[i].touched == w.step)
			continue;
		for (int s = 0; s < w.tables[i].ncols; s++) {
			/* A generated column changes only by its own kinds of change. */
			if (!w.tables[i].cols[s].live || w.tables[i].cols[s].generated ||
			    !filter(&w.tables[i], s))
				continue;
			if (rnd(++seen) == 0) {
				*ti = i;
				*si = s;
			}
		}
	}
	return seen > 0;
}

void remove_cons(table *t, int i)
{
	memmove(&t->cons[i], &t->cons[i + 1], sizeof(tcons) * (size_t)(t->ncons - i - 1));
	t->ncons--;
}

/* ---- writing the models ------------------------------------------------ */

static void write_column(rt_buf *out, const column *c)
{
	char type[32];
	type_text(type, sizeof(type), c->type);
	rt__buf_printf(out, "  %-6s %s%s", c->name, type, c->nullable ? "?" : "");
	if (c->collate)
		rt__buf_printf(out, " collate %s", w.collation);
	if (c->generated)
		rt__buf_printf(out, " generated '1 + 1' %s", c->gen_virtual ? "virtual" : "stored");
	if (c->role == ROLE_ID)
		rt__buf_puts(out, " primary key");
	if (c->sdefault)
		rt__buf_printf(out, " server default %s", default_text(c->type, c->sdefault));
	if (onupdate_written(c))
		rt__buf_puts(out, " server onupdate now");
	if (c->seq >= 0) /* PostgreSQL names the sequence as a string, MariaDB as a name */
		rt__buf_printf(out, w.postgres ? " server default sql 'nextval(''%s'')'"
					       : " server default sql 'nextval(%s)'",
			       obj_ref(&w.objs[c->seq]));
	if (c->fk >= 0) {
		rt__buf_printf(out, " references %s(id)", table_ref(&w.tables[c->fk]));
		if (c->on_delete)
			rt__buf_printf(out, " on delete %s", fk_actions[c->on_delete]);
		if (c->deferred)
			rt__buf_puts(out, " deferrable initially deferred");
	}
	if (c->check) {
		char expr[64];
		check_expr(expr, sizeof(expr), c);
		rt__buf_printf(out, " check '%s'", expr);
	}
	if (c->was[0])
		rt__buf_printf(out, " was %s", c->was);
	rt__buf_putc(out, '\n');
}

void write_models(rt_buf *out)
{
	rt__buf_puts(out, "# written by the evolution test (tests/evolution/evolve.c)\n");
	for (int e = 0; e < w.nenums; e++) {
		if (!w.enums[e].live)
			continue;
		rt__buf_printf(out, "enum %s {", enum_ref(&w.enums[e]));
		for (int v = 0; v < w.enums[e].nvalues; v++)
			rt__buf_printf(out, "%s %s", v ? "," : "", enum_value(e, v));
		rt__buf_puts(out, " }\n");
	}
	for (int i = 0; i < w.ntables; i++) {
		const table *t = &w.tables[i];
		if (!t->live)
			continue;
		rt__buf_printf(out, "\ntable %s", t->name);
		if (t->was[0])
			rt__buf_printf(out, " was %s", t->was);
		if (t->strict)
			rt__buf_puts(out, " strict");
		if (t->no_rowid)
			rt__buf_puts(out, " without rowid");
		if (table_collation_name(t))
			rt__buf_printf(out, " collate %s", table_collation_name(t));
		if (t->partitioned)
			rt__buf_printf(out, " partition by range (%s)", t->cols[0].name);
		rt__buf_puts(out, " {\n");
		if (t->billing)
			rt__buf_puts(out, "  schema 'billing'\n");
		for (int s = 0; s < t->ncols; s++)
			if (t->cols[s].live)
				write_column(out, &t->cols[s]);
		if (t->keyed) {
			rt__buf_printf(out, "  primary key (%s", t->cols[0].name);
			if (t->pk2)
				rt__buf_printf(out, ", %s", t->cols[1].name);
			rt__buf_puts(out, ")\n");
		}
		for (int k = 0; k < t->ncons; k++) {
			const tcons *c = &t->cons[k];
			if (c->kind == CONS_INDEX || c->kind == CONS_UNIQUE_INDEX) {
				write_index(out, t, c);
				continue;
			}
			rt__buf_printf(out, "  %s", c->kind == CONS_UNIQUE ? "unique" : "check");
			if (c->name[0])
				rt__buf_printf(out, " %s", c->name);
			if (c->kind == CONS_CHECK) {
				char expr[64];
				check_expr(expr, sizeof(expr), &t->cols[c->cols[0]]);
				rt__buf_printf(out, " '%s'\n", expr);
				continue;
			}
			rt__buf_puts(out, " (");
			for (int j = 0; j < c->ncols; j++)
				rt__buf_printf(out, "%s%s", j ? ", " : "", t->cols[c->cols[j]].name);
			rt__buf_puts(out, ")\n");
		}
		rt__buf_puts(out, "}\n");
		write_partitions(out, t);
	}
	write_objects(out);
}
