/*
 * validate_keys.c - keys and names (validate.h): primary keys and
 * autoincrement, what each foreign key references, the default names of
 * constraints and indexes, and the rules names must follow (at most 63
 * bytes, no two alike in one table).
 *
 * The language scopes constraint and index names per table, as MariaDB
 * does. Whether two tables may use the same one is the database's rule,
 * not the language's (PostgreSQL and SQLite keep index names in one
 * namespace per schema, InnoDB foreign key names per database): it is
 * checked where the dialect is known (sql/ddl_names.c).
 */
#include <string.h>

#include "schema/naming.h"
#include "schema/validate.h"

/* --- primary keys ---------------------------------------------------------- */

static rt_build_member *member_of(rt_build_table *bt, const rt_column *column)
{
	for (size_t i = 0; i < bt->member_count; i++)
		if (bt->members[i].column == column)
			return &bt->members[i];
	return NULL;
}

/* A primary key column cannot be NULL; autoincrement belongs to a single
 * integer primary key column, and is on there unless `no autoincrement`
 * or the table is `without rowid` (its key is the table's own, and nothing
 * counts for it; `autoincrement` there is an error). */
static void check_primary_key(rt_build *b, rt_build_table *bt)
{
	const rt_constraint *pk = bt->table->primary_key;
	rt_column *serial = NULL;
	if (pk) {
		for (size_t i = 0; i < pk->column_count; i++) {
			rt_column *column =
				rt__table_find_column(bt->table, pk->columns[i]);
			rt_build_member *bm = column ? member_of(bt, column) : NULL;
			if (column && column->nullable)
				rt__diag_error(
					b->diags,
					bm ? bm->ast->type_name.pos : column->pos,
					"primary key column '%s' cannot be nullable; "
					"remove the '?'",
					column->field);
			/* The ORM tells rows apart by their key's values,
			 * each one value (keys.c). */
			if (column && column->type.array)
				rt__diag_error(
					b->diags,
					bm ? bm->ast->type_name.pos : column->pos,
					"primary key column '%s' is an array (%s); a key "
					"is made of single values",
					column->field,
					rt__type_name(b->scratch, &column->type));
		}
		rt_column *only = pk->column_count == 1
			? rt__table_find_column(bt->table, pk->columns[0]) : NULL;
		if (only && rt__type_is_integer(only->type.kind) && !only->type.array)
			serial = only;
		/* A verbatim type said to autoincrement is an integer of the
		 * database's own (MariaDB's INT UNSIGNED AUTO_INCREMENT): taken
		 * at its word, and only when said. */
		rt_build_member *om = only ? member_of(bt, only) : NULL;
		if (only && only->type.kind == RT_TYPE_SQL && om &&
		    om->ast->col->autoincrement == RT_AST_AUTOINCREMENT_ON)
			serial = only;
	}
	for (size_t i = 0; i < bt->member_count; i++) {
		rt_build_member *bm = &bt->members[i];
		if (!bm->column ||
		    bm->ast->col->autoincrement == RT_AST_AUTOINCREMENT_UNSET)
			continue;
		bm->column->autoincrement_set = true;
		if (bm->column != serial)
			rt__diag_error(
				b->diags, bm->ast->col->autoincrement_pos,
				"'%s' applies to a single-column integer primary key "
				"(or one of a verbatim sql '...' type); '%s' is not one",
				bm->ast->col->autoincrement == RT_AST_AUTOINCREMENT_ON
					? "autoincrement"
					: "no autoincrement",
				bm->column->field);
	}
	if (serial) {
		rt_build_member *bm = member_of(bt, serial);
		bool without_rowid = bt->table->options & RT_TABLE_WITHOUT_ROWID;
		if (without_rowid && bm && bm->ast->col->autoincrement == RT_AST_AUTOINCREMENT_ON)
			rt__diag_error(b->diags, bm->ast->col->autoincrement_pos,
				       "a 'without rowid' table has no autoincrementing key; "
				       "remove 'autoincrement' from '%s' or 'without rowid' "
				       "from the table", serial->field);
		/* A joined subclass's key is its parent row's (validate_joined.c). */
		serial->autoincrement =
			!without_rowid && !serial->inherited &&
			(!bm || bm->ast->col->autoincrement != RT_AST_AUTOINCREMENT_OFF);
	}
}

/* --- foreign keys ---------------------------------------------------------- */

/* Types a foreign key may join: integers of any width, text of any length,
 * the same enum, otherwise the same type. */
static int type_class(const rt_type *type)
{
	switch (type->kind) {
	case RT_TYPE_SMALLINT:
	case RT_TYPE_INT:
	case RT_TYPE_BIGINT:
		return RT_TYPE_BIGINT;
	case RT_TYPE_REAL:
	case RT_TYPE_DOUBLE:
		return RT_TYPE_DOUBLE;
	case RT_TYPE_STRING:
	case RT_TYPE_CHAR:
	case RT_TYPE_TEXT:
		return RT_TYPE_TEXT;
	default:
		return (int)type->kind;
	}
}

static bool types_compatible(const rt_type *a, const rt_type *b)
{
	/* A verbatim type (a domain over integer, say) is the database's to
	 * judge: it refuses a key whose types cannot be compared. */
	if (a->kind == RT_TYPE_SQL || b->kind == RT_TYPE_SQL)
		return true;
	/* An array joins an array of the same elements (PostgreSQL compares
	 * them whole), never a single value. */
	if (a->array != b->array || type_class(a) != type_class(b))
		return false;
	return a->kind != RT_TYPE_ENUM || a->enum_type == b->enum_type;
}

void rt__build_unknown_table(rt_build *b, const rt_ast_name *name, const char *what)
{
	rt_table *model = rt__schema_find_model(b->schema, name->text);
	if (model) {
		rt__diag_error(b->diags, name->pos,
			       "'%s' is a model; %s takes a table name: write '%s'",
			       name->text, what, model->name);
		return;
	}
	/* The table of that name in a schema: references name it with it. */
	for (size_t i = 0; i < b->schema->table_count; i++) {
		const rt_table *t = b->schema->tables[i];
		if (t->schema && strcmp(rt__table_sql_name(t), name->text) == 0) {
			rt__diag_error(b->diags, name->pos,
				       "no table named '%s' in schema public; table %s is in "
				       "schema %s: write '%s'",
				       name->text, t->name, t->schema, t->name);
			return;
		}
	}
	rt_suggest s;
	rt__suggest_init(&s, name->text);
	for (size_t i = 0; i < b->schema->table_count; i++)
		rt__suggest_consider(&s, b->schema->tables[i]->name);
	if (rt__suggest_result(&s))
		rt__diag_error(b->diags, name->pos,
			       "no table named '%s'; did you mean '%s'?", name->text,
			       rt__suggest_result(&s));
	else
		rt__diag_error(b->diags, name->pos, "no table named '%s'", name->text);
}

rt_column *rt__build_find_column(rt_build *b, rt_table *table, const rt_ast_name *name,
				 const char *what)
{
	rt_column *column = rt__table_find_field(table, name->text);
	if (column)
		return column;
	rt_suggest s;
	rt__suggest_init(&s, name->text);
	for (size_t i = 0; i < table->column_count; i++)
		rt__suggest_consider(&s, table->columns[i]->name);
	const char *for_what = what ? rt__arena_printf(b->scratch, " for %s", what) : "";
	if (rt__suggest_result(&s))
		rt__diag_error(b->diags, name->pos,
			       "table %s has no column '%s'%s; did you mean '%s'?",
			       table->name, name->text, for_what ? for_what : "",
			       rt__suggest_result(&s));
	else
		rt__diag_error(b->diags, name->pos, "table %s has no column '%s'%s",
			       table->name, name->text, for_what ? for_what : "");
	return NULL;
}

/* In a script's definition the referenced table is the database's
 * business: the key keeps the names as written (validate.h). */
static void keep_fk_target(rt_build *b, rt_build_fk *bf)
{
	const rt_ast_ref *ref = bf->ref;
	rt_constraint *fk = bf->fk;
	fk->ref_table = rt__build_keep(b, ref->table.text);
	for (size_t i = 0; i < ref->columns.count; i++)
		if (rt__constraint_add_column(b->schema, fk, ref->columns.items[i].text, true) < 0)
			rt__build_nomem(b);
}

static void resolve_fk(rt_build *b, rt_build_fk *bf)
{
	const rt_ast_ref *ref = bf->ref;
	rt_constraint *fk = bf->fk;
	if (b->fragment) {
		keep_fk_target(b, bf);
		size_t written = bf->columns ? bf->columns->count : 1;
		if (written != ref->columns.count) {
			rt__diag_error(b->diags, ref->table.pos,
				       "the foreign key has %zu column%s but references %zu",
				       written, written == 1 ? "" : "s", ref->columns.count);
			bf->valid = false;
		}
		return;
	}
	rt_table *target = rt__schema_find_table(b->schema, ref->table.text);
	if (!target) {
		rt__build_unknown_table(b, &ref->table, "'references'");
		bf->valid = false;
		return;
	}
	if (target->partition_of) {
		rt__diag_error(b->diags, ref->table.pos,
			       "table %s is a partition of %s; a foreign key references the "
			       "partitioned table %s",
			       target->name, target->partition_of, target->partition_of);
		bf->valid = false;
		return;
	}
	bf->target = target;
	fk->ref_table = target->name;
	for (size_t i = 0; i < ref->columns.count; i++) {
		rt_column *column =
			rt__build_find_column(b, target, &ref->columns.items[i], NULL);
		if (!column) {
			bf->valid = false;
			continue;
		}
		if (rt__constraint_add_column(b->schema, fk, column->name, true) < 0)
			rt__build_nomem(b);
	}
	size_t written = bf->columns ? bf->columns->count : 1;
	if (written != ref->columns.count) {
		rt__diag_error(b->diags, ref->table.pos,
			       "the foreign key has %zu column%s but references %zu",
			       written, written == 1 ? "" : "s", ref->columns.count);
		bf->valid = false;
	}
}

static void check_fk_target(rt_build *b, rt_build_fk *bf)
{
	const rt_ast_ref *ref = bf->ref;
	rt_constraint *fk = bf->fk;
	/* A partition's key is on its partitioned table's columns. */
	const rt_table *owner = rt__build_columns_of(b, bf->owner->table);
	rt_table *target = bf->target;
	if (!rt__build_columns_unique(target, fk->ref_columns, fk->ref_column_count)) {
		rt_buf cols = RT_BUF_INIT;
		for (size_t i = 0; i < fk->ref_column_count; i++)
			rt__buf_printf(&cols, "%s%s", i ? ", " : "", fk->ref_columns[i]);
		rt__diag_error(
			b->diags, ref->table.pos,
			"%s(%s) is neither the primary key nor unique; a foreign key "
			"must reference one of them",
			target->name, rt__buf_cstr(&cols));
		if (rt__buf_failed(&cols))
			rt__build_nomem(b);
		rt__buf_free(&cols);
	}
	for (size_t i = 0; owner && i < fk->column_count; i++) {
		rt_column *local = rt__table_find_column(owner, fk->columns[i]);
		rt_column *remote = rt__table_find_column(target, fk->ref_columns[i]);
		if (!local || !remote)
			continue;
		if (!types_compatible(&local->type, &remote->type))
			rt__diag_error(b->diags, ref->columns.items[i].pos,
				       "%s.%s is %s but references %s.%s, which is %s",
				       owner->name, local->name,
				       rt__type_name(b->scratch, &local->type),
				       target->name, remote->name,
				       rt__type_name(b->scratch, &remote->type));
	}
}

/* What the key's own columns must allow, whatever it references. */
static void check_fk_set_null(rt_build *b, rt_build_fk *bf)
{
	rt_constraint *fk = bf->fk;
	const rt_table *owner = rt__build_columns_of(b, bf->owner->table);
	bool set_null = fk->on_delete == RT_FK_SET_NULL || fk->on_update == RT_FK_SET_NULL;
	for (size_t i = 0; set_null && owner && i < fk->column_count; i++) {
		rt_column *local = rt__table_find_column(owner, fk->columns[i]);
		if (local && !local->nullable)
			rt__diag_error(
				b->diags, bf->ref->pos,
				"'set null' needs nullable columns, but %s.%s is not "
				"nullable (write %s?)",
				owner->name, local->name,
				rt__type_name(b->scratch, &local->type));
	}
}

void rt__build_keys(rt_build *b)
{
	for (size_t i = 0; i < b->table_count; i++)
		check_primary_key(b, b->tables[i]);
	for (size_t i = 0; i < b->fk_count; i++) {
		if (b->fks[i]->valid)
			resolve_fk(b, b->fks[i]);
		if (!b->fks[i]->valid)
			b->fks[i]->owner->broken_fk = true;
	}
	for (size_t i = 0; i < b->fk_count; i++) {
		if (!b->fks[i]->valid)
			continue;
		if (b->fks[i]->target)
			check_fk_target(b, b->fks[i]);
		check_fk_set_null(b, b->fks[i]);
	}
}

/* --- names ------------------------------------------------------------------ */

/* Who holds a name, for the message about a second one. */
typedef struct name_holder {
	const char *what;   /* "unique constraint", "index", ... */
	const rt_table *table;
	rt_pos pos;
} name_holder;

/* The names of the current table: a primary key, unique constraint or
 * index is an index of the table on every database, so those share one
 * namespace; every constraint name is once in the table. */
typedef struct names_state {
	rt_map keys;        /* primary key, unique constraint and index names */
	rt_map constraints; /* constraint names */
} names_state;

static const char *const hints[] = {
	[RT_CONSTRAINT_PRIMARY_KEY] = "shorten the table name",
	[RT_CONSTRAINT_UNIQUE] = "name it at table level: unique <name> (columns)",
	[RT_CONSTRAINT_FOREIGN_KEY] = ("name it at table level: foreign key <name> "
				       "(columns) references ..."),
	[RT_CONSTRAINT_CHECK] = "name it at table level: check <name> '...'",
};

static void check_name_length(rt_build *b, const char *what, const char *name,
			      bool given, const char *hint, rt_pos pos)
{
	size_t len = strlen(name);
	if (len <= RT_MAX_IDENTIFIER_LENGTH)
		return;
	/* A default name holds the table's name: when that is too long
	 * (reported already), so is this, for the same reason. */
	if (!given && b->long_table_name)
		return;
	if (given)
		rt__diag_error(
			b->diags, pos,
			"the %s name '%s' is %zu bytes long, " RT_IDENTIFIER_LIMIT_WORDS,
			what, name, len, RT_MAX_IDENTIFIER_LENGTH);
	else
		rt__diag_error(b->diags, pos,
			       "the %s's default name '%s' is %zu bytes long, "
			       RT_IDENTIFIER_LIMIT_WORDS ": %s",
			       what, name, len, RT_MAX_IDENTIFIER_LENGTH, hint);
}

/* Takes name in map; reports it when another object of the table has it
 * already. */
static bool claim(rt_build *b, rt_map *map, const char *name, const char *what,
		  const rt_table *table, rt_pos pos)
{
	const name_holder *first = rt__map_get(map, name);
	if (first) {
		rt__diag_error(b->diags, pos,
			       "duplicate name '%s' in table %s: the %s at %s has it too",
			       name, table->name, first->what,
			       rt__build_where(b, first->pos, pos));
		return false;
	}
	name_holder *holder = rt__arena_alloc(b->scratch, sizeof(*holder));
	if (!holder || rt__map_put(map, name, holder) < 0) {
		rt__build_nomem(b);
		return false;
	}
	holder->what = what;
	holder->table = table;
	holder->pos = pos;
	return true;
}

static const char *constraint_what(rt_constraint_kind kind)
{
	switch (kind) {
	case RT_CONSTRAINT_PRIMARY_KEY: return "primary key";
	case RT_CONSTRAINT_UNIQUE: return "unique constraint";
	case RT_CONSTRAINT_FOREIGN_KEY: return "foreign key";
	case RT_CONSTRAINT_CHECK: return "check constraint";
	}
	return "constraint";
}

static char *default_constraint_name(rt_build *b, const rt_table *table,
				     const rt_constraint *c, int *unnamed_checks)
{
	const char *const *cols = c->columns;
	switch (c->kind) {
	case RT_CONSTRAINT_PRIMARY_KEY:
		return rt__name_primary_key(b->arena, rt__table_sql_name(table));
	case RT_CONSTRAINT_UNIQUE:
		return rt__name_unique(b->arena, rt__table_sql_name(table), cols,
				       c->column_count);
	case RT_CONSTRAINT_FOREIGN_KEY:
		return rt__name_foreign_key(
			b->arena, rt__table_sql_name(table), cols, c->column_count,
			c->ref_table ? rt__schema_table_sql_name(b->schema, c->ref_table) : "");
	case RT_CONSTRAINT_CHECK:
		if (c->check_column)
			return rt__name_column_check(b->arena, rt__table_sql_name(table),
						     c->check_column);
		return rt__name_table_check(b->arena, rt__table_sql_name(table), ++*unnamed_checks);
	}
	return NULL;
}

static void name_constraint(rt_build *b, names_state *st, const rt_table *table,
			    rt_constraint *c, int *unnamed_checks)
{
	if (!c->name &&
	    !(c->name = default_constraint_name(b, table, c, unnamed_checks))) {
		rt__build_nomem(b);
		return;
	}
	const char *what = constraint_what(c->kind);
	check_name_length(b, what, c->name, c->name_given, hints[c->kind], c->pos);
	if (!claim(b, &st->constraints, c->name, what, table, c->pos))
		return;
	if (c->kind == RT_CONSTRAINT_PRIMARY_KEY || c->kind == RT_CONSTRAINT_UNIQUE)
		claim(b, &st->keys, c->name, what, table, c->pos);
}

static void name_index(rt_build *b, names_state *st, const rt_table *table,
		       rt_index *index)
{
	if (!index->name &&
	    !(index->name = rt__name_index_keys(b->arena, rt__table_sql_name(table), index))) {
		rt__build_nomem(b);
		return;
	}
	check_name_length(b, "index", index->name, index->name_given,
			  "name it at table level: index <name> (columns)", index->pos);
	claim(b, &st->keys, index->name, "index", table, index->pos);
}

/* Default names for every constraint and index, and the name rules. */
void rt__build_names(rt_build *b)
{
	names_state st;
	for (size_t t = 0; t < b->table_count && !b->diags->nomem; t++) {
		rt_table *table = b->tables[t]->table;
		b->long_table_name = strlen(table->name) > RT_MAX_IDENTIFIER_LENGTH;
		rt__map_init(&st.keys, b->scratch);
		rt__map_init(&st.constraints, b->scratch);
		int unnamed_checks = 0;
		if (table->primary_key)
			name_constraint(b, &st, table, table->primary_key,
					&unnamed_checks);
		for (size_t i = 0; i < table->constraint_count; i++)
			name_constraint(b, &st, table, table->constraints[i],
					&unnamed_checks);
		for (size_t i = 0; i < table->index_count; i++)
			name_index(b, &st, table, table->indexes[i]);
		/* SQLite keeps enums as a CHECK with a derived name: it is a
		 * name on one backend, so it obeys the same limit. */
		for (size_t i = 0; i < table->column_count; i++) {
			rt_column *column = table->columns[i];
			if (column->type.kind != RT_TYPE_ENUM)
				continue;
			char *name = rt__name_enum_check(b->scratch, rt__table_sql_name(table),
							 column->name);
			if (!name)
				rt__build_nomem(b);
			else
				check_name_length(b, "enum check", name, false,
						  "shorten the table or column name",
						  column->pos);
		}
	}
}
