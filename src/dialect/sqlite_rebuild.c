/*
 * sqlite_rebuild.c - what a SQLite table rebuild keeps that the schema
 * model does not describe (the dialect's rebuild_carry), and the check of
 * a rebuilt table (check_integrity).
 *
 * A rebuild creates the table anew from its model, copies the rows, drops
 * the old table and renames the new one (migrate/rebuild.c). Dropping the
 * old table drops its indexes and triggers with it, and the model knows
 * nothing of a partial or expression index, a trigger, STRICT, WITHOUT
 * ROWID or COLLATE NOCASE. So before the rebuild starts, this file reads
 * sqlite_master as it stands and:
 *
 *   - rewrites the CREATE TABLE made from the model: each column the
 *     operation leaves alone keeps its declared type as written, every
 *     column keeps its collation, the table has the model's options
 *     (WITHOUT ROWID, STRICT) and keeps those the model never had, and
 *     the columns (generated ones too) and CHECK,
 *     UNIQUE and FOREIGN KEY constraints the model does not have, as
 *     written; a column whose type changes in a STRICT
 *     table gets the STRICT type of its affinity;
 *   - lists every index and trigger of the table, as stored, to run again
 *     once the new table has the old name (an index the operation drops
 *     excepted);
 *   - refuses, naming each object, what would not survive: an index or
 *     trigger of the table, or a view or trigger anywhere that names the
 *     table, that names a column the rebuild drops, and such a constraint
 *     the model does not have; a generated column the model takes for a
 *     plain one (the copy would make it one).
 * Views need nothing else: SQLite keeps them through DROP TABLE, and the
 * quiet rename leaves their text alone.
 */
#include "dialect/sqlite.h"

#include <string.h>
#include <strings.h>

#include "base/error.h"

typedef struct carry_ctx {
	rt_arena *arena;
	const rt_dialect *d;
	const rt_rebuild_request *req;
	rt_sqlite_table_def def;   /* the table as the database stores it */
	const char **dropped;      /* its columns that after lacks */
	size_t dropped_count;
	rt_buf refused;            /* "view adults (column age)", ... */
	size_t refused_count;
	rt_buf extra;              /* ", CONSTRAINT ..." the model lacks */
	rt_buf extra_columns;      /* ", name TYPE ..." the model lacks */
} carry_ctx;

static bool same_name(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static const rt_sqlite_column_def *stored_column(const carry_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->def.column_count; i++)
		if (same_name(c->def.columns[i].name, name))
			return &c->def.columns[i];
	return NULL;
}

static const rt_column *model_column(const rt_table *table, const char *name)
{
	for (size_t i = 0; table && i < table->column_count; i++)
		if (same_name(table->columns[i]->name, name))
			return table->columns[i];
	return NULL;
}

static bool model_index(const rt_table *table, const char *name)
{
	for (size_t i = 0; table && i < table->index_count; i++)
		if (same_name(table->indexes[i]->name, name))
			return true;
	return false;
}

/* Does the operation leave the type alone? Not for an enum column: its
 * VARCHAR grows with its longest value, which the operation may change. */
static bool same_type(const rt_type *a, const rt_type *b)
{
	return a->kind == b->kind && a->kind != RT_TYPE_ENUM && a->length == b->length &&
	       a->precision == b->precision && a->scale == b->scale;
}

static void refuse(carry_ctx *c, const char *kind, const char *name, const char *why)
{
	rt__buf_printf(&c->refused, "%s%s %s (%s)", c->refused_count++ ? ", " : "", kind, name,
		       why);
}

/* The first column the rebuild drops that sql names, or NULL. */
static const char *names_dropped(carry_ctx *c, const char *sql)
{
	for (size_t i = 0; i < c->dropped_count; i++)
		if (rt__sqlite_names_identifier(c->arena, sql, c->dropped[i]))
			return c->dropped[i];
	return NULL;
}

/* The stored columns: those the operation drops (in before, not after),
 * and those the model has never had, kept as written (and copied unless
 * generated). A generated column the model takes for a plain one cannot
 * be rebuilt: the copy would turn it into one (a model that says it is
 * generated makes it so again). */
static int sort_columns(carry_ctx *c, rt_rebuild_carry *out)
{
	c->dropped = rt__arena_alloc(c->arena, (c->def.column_count + 1) * sizeof(char *));
	if (!c->dropped)
		return rt__error_nomem();
	const char *sql = c->def.sql;
	for (size_t i = 0; i < c->def.column_count; i++) {
		const rt_sqlite_column_def *col = &c->def.columns[i];
		bool was = model_column(c->req->before, col->name) != NULL;
		const rt_column *after = model_column(c->req->after, col->name);
		bool now = after != NULL;
		if (now && col->generated && !after->generated)
			refuse(c, "generated column", col->name,
			       "the models take it for a plain column");
		else if (!now && was)
			c->dropped[c->dropped_count++] = col->name;
	}
	for (size_t i = 0; i < c->def.column_count; i++) {
		const rt_sqlite_column_def *col = &c->def.columns[i];
		if (model_column(c->req->before, col->name) ||
		    model_column(c->req->after, col->name))
			continue;
		const char *text = rt__arena_strndup(c->arena, sql + col->def_start,
						     col->def_end - col->def_start);
		if (!text)
			return rt__error_nomem();
		const char *column = names_dropped(c, text);
		if (column) {
			refuse(c, "column", col->name,
			       rt__arena_printf(c->arena, "uses column %s", column));
			continue;
		}
		rt__buf_printf(&c->extra_columns, ",\n  %s", text);
		if (!col->generated && RT_ARENA_PUSH(c->arena, out->copy_columns, out->copy_count,
						     out->copy_cap, col->name) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* --- constraints the model does not have ------------------------------------------- */

static bool model_constraint(const rt_table *table, const char *name)
{
	if (table && table->primary_key && same_name(table->primary_key->name, name))
		return true;
	for (size_t i = 0; table && i < table->constraint_count; i++)
		if (same_name(table->constraints[i]->name, name))
			return true;
	return false;
}

/* Is a stored CHECK an enum column's, which the model makes from the
 * column's type? It is named ck_<table>_<column>_enum, after the names
 * the table and column had when it was made (a rename keeps it), and
 * tests a column that is an enum before or after the operation. */
static bool enum_check(carry_ctx *c, const rt_sqlite_constraint *k, const char *name)
{
	size_t len = strlen(name);
	if (k->kind != RT_CONSTRAINT_CHECK || !k->check || len < 5 ||
	    strcmp(name + len - 5, "_enum") != 0)
		return false;
	const rt_table *tables[] = {c->req->before, c->req->after};
	for (size_t t = 0; t < 2; t++)
		for (size_t i = 0; tables[t] && i < tables[t]->column_count; i++) {
			const rt_column *column = tables[t]->columns[i];
			if (column->type.kind == RT_TYPE_ENUM &&
			    rt__sqlite_names_identifier(c->arena, k->check, column->name))
				return true;
		}
	return false;
}

static void put_names(carry_ctx *c, const char *const *names, size_t count)
{
	rt__buf_putc(&c->extra, '(');
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			rt__buf_puts(&c->extra, ", ");
		c->d->quote_ident(&c->extra, names[i]);
	}
	rt__buf_putc(&c->extra, ')');
}

static void put_action(carry_ctx *c, const char *event, rt_fk_action action)
{
	if (action == RT_FK_NO_ACTION)
		return;
	rt__buf_printf(&c->extra, " ON %s ", event);
	for (const char *a = rt__fk_action_name(action); *a; a++)
		rt__buf_putc(&c->extra, (char)(*a >= 'a' && *a <= 'z' ? *a - 32 : *a));
}

/* The text of one stored constraint, as a table constraint. */
static void put_constraint(carry_ctx *c, const rt_sqlite_constraint *k, const char *name)
{
	rt__buf_puts(&c->extra, ",\n  CONSTRAINT ");
	c->d->quote_ident(&c->extra, name);
	switch (k->kind) {
	case RT_CONSTRAINT_CHECK:
		rt__buf_printf(&c->extra, " CHECK (%s)", k->check ? k->check : "1");
		break;
	case RT_CONSTRAINT_UNIQUE:
		rt__buf_puts(&c->extra, " UNIQUE ");
		put_names(c, k->columns, k->column_count);
		break;
	case RT_CONSTRAINT_FOREIGN_KEY:
		rt__buf_puts(&c->extra, " FOREIGN KEY ");
		put_names(c, k->columns, k->column_count);
		rt__buf_puts(&c->extra, " REFERENCES ");
		c->d->quote_ident(&c->extra, k->ref_table ? k->ref_table : "");
		if (k->ref_column_count > 0) {
			rt__buf_putc(&c->extra, ' ');
			put_names(c, k->ref_columns, k->ref_column_count);
		}
		put_action(c, "DELETE", k->on_delete);
		put_action(c, "UPDATE", k->on_update);
		break;
	case RT_CONSTRAINT_PRIMARY_KEY:
		break;
	}
}

static const char *constraint_uses_dropped(carry_ctx *c, const rt_sqlite_constraint *k)
{
	for (size_t i = 0; i < k->column_count; i++)
		for (size_t j = 0; j < c->dropped_count; j++)
			if (same_name(k->columns[i], c->dropped[j]))
				return c->dropped[j];
	return k->check ? names_dropped(c, k->check) : NULL;
}

/* Stored constraints the model has neither before nor after the
 * operation: kept as they are, unless they use a column that goes. */
static int take_constraints(carry_ctx *c)
{
	for (size_t i = 0; i < c->def.constraint_count; i++) {
		const rt_sqlite_constraint *k = c->def.constraints[i];
		if (k->kind == RT_CONSTRAINT_PRIMARY_KEY)
			continue; /* the model always says the key */
		const char *name = rt__sqlite_constraint_name(c->arena, &c->def, k);
		if (!name)
			return rt__error_nomem();
		if (model_constraint(c->req->before, name) ||
		    model_constraint(c->req->after, name) || enum_check(c, k, name))
			continue;
		const char *column = constraint_uses_dropped(c, k);
		if (column)
			refuse(c, "constraint", name,
			       rt__arena_printf(c->arena, "uses column %s", column));
		else
			put_constraint(c, k, name);
	}
	return RT_OK;
}

/* --- the new CREATE TABLE ------------------------------------------------------------ */

/* The STRICT type for a declared type, by SQLite's affinity rules; an
 * integer type other than INTEGER is INT, which (unlike INTEGER) never
 * makes a one-column primary key the rowid. */
static const char *strict_type(const char *declared)
{
	char upper[64];
	size_t n = 0;
	for (; declared[n] && n + 1 < sizeof(upper); n++)
		upper[n] = (char)((declared[n] >= 'a' && declared[n] <= 'z') ? declared[n] - 32
									     : declared[n]);
	upper[n] = '\0';
	if (strstr(upper, "INT"))
		return strcmp(upper, "INTEGER") == 0 ? "INTEGER" : "INT";
	if (strstr(upper, "CHAR") || strstr(upper, "CLOB") || strstr(upper, "TEXT"))
		return "TEXT";
	if (strstr(upper, "BLOB") || n == 0)
		return "BLOB";
	if (strstr(upper, "REAL") || strstr(upper, "FLOA") || strstr(upper, "DOUB"))
		return "REAL";
	return "ANY";
}

static bool bare_word(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* The options of the new table (rt_table_option bits): the model's after
 * the operation, and those the stored table has that the model did not
 * have before it (a table the scripts did not make so); an option the
 * operation clears is dropped. */
static unsigned new_options(const carry_ctx *c)
{
	unsigned stored = (c->def.strict ? RT_TABLE_STRICT : 0u) |
			  (c->def.without_rowid ? RT_TABLE_WITHOUT_ROWID : 0u);
	unsigned before = c->req->before ? c->req->before->options : 0u;
	unsigned after = c->req->after ? c->req->after->options : 0u;
	return after | (stored & ~before);
}

/* One column's type in the new text: the stored one when the operation
 * leaves the type alone, else the model's (made STRICT if need be); a
 * one-column integer key that becomes the rowid or stops being it (the
 * table made WITHOUT ROWID or back) is written as the model's, since
 * the declared type says which it is (INTEGER is the rowid); then
 * the stored collation, unless the model says the column's collation
 * (then the model's own COLLATE, or none, is the one it keeps). */
static void put_type(carry_ctx *c, rt_buf *out, const rt_sqlite_column_def *made)
{
	const rt_sqlite_column_def *stored = stored_column(c, made->name);
	const rt_column *was = model_column(c->req->before, made->name);
	const rt_column *now = model_column(c->req->after, made->name);
	/* Out of STRICT, the stored types are the narrow STRICT ones: the
	 * model's are written instead; into STRICT, the model's STRICT type
	 * (a bool is INTEGER, a date TEXT: what the ORM stores, as
	 * strict_declared in sqlite.c says, not what the stored type's
	 * affinity would make it). */
	bool strict = new_options(c) & RT_TABLE_STRICT;
	bool untouched = stored && was && now && same_type(&was->type, &now->type) &&
			 was->autoincrement == now->autoincrement;
	if (untouched && c->def.strict == strict)
		rt__buf_puts(out, stored->type);
	else if (strict)
		rt__buf_puts(out, strict_type(made->type));
	else
		rt__buf_puts(out, made->type);
	if (stored && stored->collation && !made->collation && !(was && was->collation)) {
		rt__buf_puts(out, " COLLATE ");
		if (bare_word(stored->collation))
			rt__buf_puts(out, stored->collation);
		else
			c->d->quote_ident(out, stored->collation);
	}
}

static int rewrite_create(carry_ctx *c, const char **out)
{
	const char *sql = c->req->create_sql;
	rt_sqlite_table_def made;
	int rc = rt__sqlite_parse_create_table(&made, c->arena, sql);
	if (rc < 0)
		return rc;
	if (made.close == 0 || made.column_count == 0)
		return rt__error_set(RT_EINVAL, "cannot read the new definition of %s",
				     c->req->table);
	rt_buf buf = RT_BUF_INIT;
	size_t at = 0;
	for (size_t i = 0; i < made.column_count; i++) {
		const rt_sqlite_column_def *col = &made.columns[i];
		rt__buf_put(&buf, sql + at, col->type_start - at);
		/* "name TYPE": at least the space after the name stays. */
		put_type(c, &buf, col);
		at = col->type_end;
	}
	/* The columns the model lacks go after its own. */
	const rt_sqlite_column_def *last = &made.columns[made.column_count - 1];
	rt__buf_put(&buf, sql + at, last->def_end - at);
	rt__buf_puts(&buf, rt__buf_cstr(&c->extra_columns));
	if (rt__buf_failed(&c->extra_columns))
		buf.failed = true;
	at = last->def_end;
	/* The constraints the model lacks go last, before the line break. */
	size_t end = made.close;
	while (end > at && (sql[end - 1] == '\n' || sql[end - 1] == ' '))
		end--;
	rt__buf_put(&buf, sql + at, end - at);
	rt__buf_puts(&buf, rt__buf_cstr(&c->extra));
	if (rt__buf_failed(&c->extra))
		buf.failed = true;
	/* The model's options (the DDL wrote them after the parenthesis),
	 * then those only the stored table has. */
	rt__buf_puts(&buf, sql + end);
	unsigned only_stored = new_options(c) & ~(c->req->after ? c->req->after->options : 0u);
	bool first = made.options == NULL;
	for (size_t i = 0; i < RT_TABLE_OPTION_COUNT; i++) {
		if ((only_stored & rt__table_option_bit(i)) && c->d->table_option_sql[i]) {
			rt__buf_puts(&buf, first ? " " : ", ");
			rt__buf_puts(&buf, c->d->table_option_sql[i]);
			first = false;
		}
	}
	*out = rt__buf_failed(&buf) ? NULL : rt__arena_strdup(c->arena, rt__buf_cstr(&buf));
	rt__buf_free(&buf);
	return *out ? RT_OK : rt__error_nomem();
}

/* --- indexes, triggers, views ------------------------------------------------------ */

static int push_text(rt_arena *arena, const char ***items, size_t *count, size_t *cap,
		     const char *text)
{
	return RT_ARENA_PUSH(arena, *items, *count, *cap, text) < 0 ? rt__error_nomem() : RT_OK;
}

/* One row of sqlite_master: kept, refused, or none of this table's. */
static int take_object(carry_ctx *c, rt_rebuild_carry *out, const char *type,
		       const char *name, const char *on, const char *sql)
{
	const rt_rebuild_request *req = c->req;
	bool own = same_name(on, req->table);
	if (!own) {
		/* A view, or another table's trigger: it stays, and must still
		 * find every column it names. */
		const char *column;
		if (rt__sqlite_names_identifier(c->arena, sql, req->table) &&
		    (column = names_dropped(c, sql)))
			refuse(c, type, name, rt__arena_printf(c->arena, "uses %s.%s", req->table,
								  column));
		return RT_OK;
	}
	bool index = strcmp(type, "index") == 0;
	if (index && model_index(req->before, name) && !model_index(req->after, name))
		return RT_OK; /* the operation drops it */
	const char *column = names_dropped(c, sql);
	if (column) {
		refuse(c, type, name, rt__arena_printf(c->arena, "uses column %s", column));
		return RT_OK;
	}
	int rc = push_text(c->arena, &out->restore, &out->restore_count, &out->restore_cap, sql);
	if (rc == RT_OK && index && model_index(req->after, name))
		rc = push_text(c->arena, &out->kept_indexes, &out->kept_count, &out->kept_cap,
			       name);
	return rc;
}

static int take_objects(carry_ctx *c, rt_rebuild_carry *out, rt_driver_conn *conn)
{
	const rt_dialect *d = c->d;
	rt_driver_stmt *stmt = NULL;
	int rc = rt__sqlite_query(&stmt, d, conn,
				  "SELECT type, name, tbl_name, sql FROM sqlite_master "
				  "WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL "
				  "ORDER BY rowid", NULL);
	while (rc == RT_OK && (rc = d->step(stmt)) == RT_ROW) {
		const char *type, *name, *on, *sql;
		if ((rc = rt__sqlite_column_text(&type, c->arena, d, stmt, 0)) == RT_OK &&
		    (rc = rt__sqlite_column_text(&name, c->arena, d, stmt, 1)) == RT_OK &&
		    (rc = rt__sqlite_column_text(&on, c->arena, d, stmt, 2)) == RT_OK &&
		    (rc = rt__sqlite_column_text(&sql, c->arena, d, stmt, 3)) == RT_OK)
			rc = take_object(c, out, type, name, on, sql);
	}
	rt__sqlite_query_done(d, stmt);
	return rc == RT_DONE ? RT_OK : rc;
}

int rt__sqlite_rebuild_carry(rt_rebuild_carry *out, rt_arena *arena, const rt_dialect *d,
			     rt_driver_conn *conn, const rt_rebuild_request *req)
{
	if (!out || !arena || !d || !conn || !req || !req->table || !req->after ||
	    !req->create_sql)
		return rt__error_set(RT_EINVAL, "rt__sqlite_rebuild_carry: NULL argument");
	memset(out, 0, sizeof(*out));
	carry_ctx c = {.arena = arena, .d = d, .req = req, .refused = RT_BUF_INIT,
		       .extra = RT_BUF_INIT, .extra_columns = RT_BUF_INIT};
	int rc = rt__sqlite_load_table_def(&c.def, arena, d, conn, req->table);
	if (rc == RT_OK)
		rc = sort_columns(&c, out);
	if (rc == RT_OK)
		rc = take_constraints(&c);
	if (rc == RT_OK)
		rc = take_objects(&c, out, conn);
	if (rc == RT_OK && c.refused_count > 0)
		rc = rt__buf_failed(&c.refused)
			     ? rt__error_nomem()
			     : rt__error_set(RT_EINVAL, "table %s must be rebuilt on sqlite, and "
					     "the rebuild cannot keep %s; change or drop %s "
					     "first (an `execute` step before this one)",
					     req->table, rt__buf_cstr(&c.refused),
					     c.refused_count > 1 ? "them" : "it");
	if (rc == RT_OK)
		rc = rewrite_create(&c, &out->create_sql);
	rt__buf_free(&c.refused);
	rt__buf_free(&c.extra);
	rt__buf_free(&c.extra_columns);
	return rc;
}

int rt__sqlite_check_integrity(const rt_dialect *d, rt_driver_conn *conn, const char *table)
{
	rt_buf sql = RT_BUF_INIT;
	rt__buf_puts(&sql, "PRAGMA integrity_check(");
	d->quote_ident(&sql, table);
	rt__buf_putc(&sql, ')');
	rt_driver_stmt *stmt = NULL;
	int rc = rt__buf_failed(&sql) ? rt__error_nomem()
				      : rt__sqlite_query(&stmt, d, conn, rt__buf_cstr(&sql), NULL);
	rt__buf_free(&sql);
	rt_value value;
	while (rc == RT_OK && (rc = d->step(stmt)) == RT_ROW) {
		if ((rc = d->column_value(stmt, 0, &value)) < 0)
			break;
		if (value.type == RT_VALUE_TEXT && strcmp(value.s, "ok") != 0) {
			rc = rt__error_set(RT_EDATABASE, "table %s after its rebuild: %s", table,
					   value.s);
			break;
		}
	}
	rt__sqlite_query_done(d, stmt);
	return rc == RT_DONE ? RT_OK : rc;
}
