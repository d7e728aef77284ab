/*
 * ddl_names.c - the names a schema or a migration operation would create,
 * against the rules of the database it goes to (sql/ddl.h): the length
 * its identifiers may have, and which names two tables may share.
 *
 * The schema language scopes constraint and index names per table
 * (schema/validate_keys.c). Databases differ (caps in dialect/dialect.h):
 *   index_names_per_table          else an index name, or that of a
 *                                  primary key or unique constraint (an
 *                                  index too), is the schema's: no other
 *                                  table's index or key and no table may
 *                                  have it (PostgreSQL's relations,
 *                                  SQLite's sqlite_schema)
 *   foreign_key_names_per_schema   a foreign key's name is the database's:
 *                                  no other table's foreign key may have it
 *                                  (InnoDB)
 * A name that breaks the rule would fail in the middle of a CREATE TABLE
 * list or a migration (on a backend without transactional DDL, half of it
 * applied): it is refused before anything runs, naming the name, both
 * tables and the backend.
 */
#include "sql/ddl.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/map.h"

/* --- the identifier limit ------------------------------------------------------- */

/* RT_OK when name fits the dialect's identifier limit, else RT_EINVAL
 * recorded naming it. */
static int check_name(const rt_dialect *dialect, const char *what, const char *name)
{
	int limit = dialect->caps.max_identifier_length;
	size_t len = name ? strlen(name) : 0;
	if (limit <= 0 || len <= (size_t)limit)
		return RT_OK;
	return rt__error_set(RT_EINVAL,
			     "the %s name '%s' is %zu bytes long; names may have at most %d "
			     "on %s",
			     what, name, len, limit, dialect->name);
}

/* RT_EINVAL recorded naming the key and its action when c is a foreign
 * key whose SET DEFAULT the dialect would accept and then not carry out,
 * or a deferrable one where the dialect checks every key at once. */
static int check_fk_actions(const rt_dialect *dialect, const char *table,
			    const rt_constraint *c)
{
	if (c && c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->deferrable != RT_NOT_DEFERRABLE &&
	    !dialect->caps.deferrable_foreign_keys)
		return rt__error_set(RT_EINVAL,
				     "table %s: foreign key %s is '%s', which %s does not have (it "
				     "checks every key at once); leave it out for %s",
				     table ? table : "?", c->name ? c->name : "(unnamed)",
				     rt__deferrable_words(c->deferrable), dialect->name,
				     dialect->name);
	if (!c || c->kind != RT_CONSTRAINT_FOREIGN_KEY || !dialect->caps.fk_set_default_ignored)
		return RT_OK;
	const char *when = c->on_delete == RT_FK_SET_DEFAULT   ? "DELETE"
			   : c->on_update == RT_FK_SET_DEFAULT ? "UPDATE"
							       : NULL;
	if (!when)
		return RT_OK;
	return rt__error_set(RT_EINVAL,
			     "table %s: foreign key %s: ON %s SET DEFAULT is not carried out on "
			     "%s (it acts as RESTRICT); use SET NULL, CASCADE or RESTRICT",
			     table ? table : "?", c->name ? c->name : "(unnamed)", when,
			     dialect->name);
}

int rt__ddl_check_constraint(const rt_dialect *dialect, const char *table,
			     const rt_constraint *c)
{
	if (!dialect)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_constraint: NULL argument");
	int rc = check_name(dialect, "constraint", c ? c->name : NULL);
	return rc == RT_OK ? check_fk_actions(dialect, table, c) : rc;
}

int rt__ddl_check_names(const rt_dialect *dialect, const rt_table *table, bool with_table)
{
	if (!dialect || !table)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_names: NULL argument");
	int rc = with_table ? check_name(dialect, "table", table->name) : RT_OK;
	for (size_t i = 0; rc == RT_OK && i < table->column_count; i++)
		rc = check_name(dialect, "column", table->columns[i]->name);
	for (size_t i = 0; rc == RT_OK && i <= table->constraint_count; i++) {
		const rt_constraint *c = i == 0 ? table->primary_key : table->constraints[i - 1];
		if (c)
			rc = rt__ddl_check_constraint(dialect, table->name, c);
	}
	for (size_t i = 0; rc == RT_OK && i < table->index_count; i++)
		rc = check_name(dialect, "index", table->indexes[i]->name);
	return rc;
}

int rt__ddl_check_name(const rt_dialect *dialect, const char *what, const char *name)
{
	if (!dialect || !what)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_name: NULL argument");
	return check_name(dialect, what, name);
}

static int check_schema_scopes(const rt_dialect *dialect, const rt_schema *schema);

int rt__ddl_check_schema_names(const rt_dialect *dialect, const rt_schema *schema)
{
	if (!dialect || !schema)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_schema_names: NULL argument");
	int rc = RT_OK;
	for (size_t i = 0;
	     rc == RT_OK && dialect->caps.enum_kind == RT_ENUM_TYPE && i < schema->enum_count;
	     i++)
		rc = check_name(dialect, "enum type", schema->enums[i]->sql_name);
	for (size_t i = 0; rc == RT_OK && i < schema->enum_count; i++)
		rc = rt__ddl_check_enum_schema(dialect, schema->enums[i]);
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++)
		rc = rt__ddl_check_names(dialect, schema->tables[i], true);
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++)
		rc = rt__ddl_check_table_options(dialect, schema->tables[i]->name,
						 schema->tables[i]->options);
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++)
		rc = rt__ddl_check_table_collation(dialect, schema->tables[i]->name,
						   schema->tables[i]->collation);
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++)
		rc = rt__ddl_check_table_schema(dialect, schema->tables[i]);
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++)
		rc = rt__ddl_check_partitioning(dialect, schema->tables[i]);
	for (size_t i = 0; rc == RT_OK && i < schema->table_count; i++)
		rc = rt__ddl_check_keys(dialect, schema->tables[i]);
	return rc == RT_OK ? check_schema_scopes(dialect, schema) : rc;
}

/* --- which names tables share ------------------------------------------------------ */

/* The rule a name of kind breaks, for messages. */
static const char *scope_rule(rt_name_kind kind)
{
	return kind == RT_NAME_FOREIGN_KEY
		       ? "foreign key names are shared by all tables"
		       : "index and key names are shared by all tables (and with the table names)";
}

/* Is a name of kind shared by the tables on this dialect? */
static bool shared_by_tables(const rt_dialect *dialect, rt_name_kind kind)
{
	if (kind == RT_NAME_FOREIGN_KEY)
		return dialect->caps.foreign_key_names_per_schema;
	return !dialect->caps.index_names_per_table;
}

/* What in table holds name in the namespace of kind ("the index", "the
 * primary key", ...), or NULL. (The namespace of indexes holds the tables'
 * names too: find_holder and take look those up apart.) */
static const char *held_by(const rt_table *table, rt_name_kind kind, const char *name)
{
	if (kind == RT_NAME_FOREIGN_KEY) {
		for (size_t i = 0; i < table->constraint_count; i++) {
			const rt_constraint *c = table->constraints[i];
			if (c->kind == RT_CONSTRAINT_FOREIGN_KEY && c->name &&
			    strcmp(c->name, name) == 0)
				return "the foreign key";
		}
		return NULL;
	}
	for (size_t i = 0; i < table->index_count; i++)
		if (table->indexes[i]->name && strcmp(table->indexes[i]->name, name) == 0)
			return "the index";
	if (table->primary_key && table->primary_key->name &&
	    strcmp(table->primary_key->name, name) == 0)
		return "the primary key";
	for (size_t i = 0; i < table->constraint_count; i++) {
		const rt_constraint *c = table->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE && c->name && strcmp(c->name, name) == 0)
			return "the unique constraint";
	}
	return NULL;
}

/* "index n of table t: the index of table u has that name, ...", prefixed
 * with where the name was written when known. */
static int refuse(const rt_dialect *dialect, rt_pos pos, const char *what, const char *name,
		  const char *table, const char *holder, const char *other, rt_name_kind kind)
{
	char where[512] = "";
	if (pos.file && pos.line > 0)
		snprintf(where, sizeof(where), "%s:%d:%d: ", pos.file, pos.line, pos.col);
	bool is_table = strcmp(what, "table") == 0;
	bool by_table = strcmp(holder, "the table") == 0;
	return rt__error_set(RT_EINVAL, "%s%s %s%s%s: %s%s %s has that name, and on %s %s; rename one",
			     where, what, name, is_table ? "" : " of table ", is_table ? "" : table,
			     by_table ? "" : holder, by_table ? "table" : " of table", other,
			     dialect->name, scope_rule(kind));
}

/* Is table in PostgreSQL schema sql_schema (NULL: the default one)? The
 * names an index or key shares are those of its table's schema. */
static bool in_schema(const rt_table *table, const char *sql_schema)
{
	if (!table->schema || !sql_schema)
		return table->schema == sql_schema;
	return strcmp(table->schema, sql_schema) == 0;
}

/* The table of schema holding name in the namespace of kind, or NULL;
 * *holder says what holds it. Of table `self` (the one the name is for,
 * in PostgreSQL schema self_schema) only its name counts: a name twice in
 * one table is the language's error or the operation's; tables of other
 * schemas have names of their own. A migration state keeps the names of
 * indexes, keys and foreign keys in relation_owner (metadata.h), with the
 * last table that got each: a name it does not know is free, one it knows
 * is looked up in that table and, when that table has let it go, is self
 * or is in another schema, in every table. */
static const rt_table *find_holder(const rt_schema *schema, rt_name_kind kind, const char *name,
				   const char *self, const char *self_schema,
				   const char **holder)
{
	if (kind == RT_NAME_INDEX) {
		const rt_table *table = rt__schema_find_table(schema, name);
		if (table && in_schema(table, self_schema)) {
			*holder = "the table";
			return table;
		}
	}
	if (schema->relations_indexed) {
		const rt_table *owner = rt__map_get(&schema->relation_owner, name);
		if (!owner)
			return NULL;
		if (rt__schema_find_table(schema, owner->name) == owner &&
		    strcmp(owner->name, self) != 0 && in_schema(owner, self_schema) &&
		    (*holder = held_by(owner, kind, name)))
			return owner;
	}
	for (size_t t = 0; t < schema->table_count; t++) {
		const rt_table *table = schema->tables[t];
		if (strcmp(table->name, self) != 0 && in_schema(table, self_schema) &&
		    (*holder = held_by(table, kind, name)))
			return table;
	}
	return NULL;
}

static int check_name_free(const rt_dialect *dialect, const rt_schema *schema, const char *table,
			   const char *self_schema, rt_name_kind kind, const char *name)
{
	if (!name || !shared_by_tables(dialect, kind))
		return RT_OK;
	const char *holder = NULL;
	const rt_table *other = find_holder(schema, kind, name, table, self_schema, &holder);
	if (!other)
		return RT_OK;
	const char *what = kind == RT_NAME_TABLE         ? "table"
			   : kind == RT_NAME_FOREIGN_KEY ? "foreign key"
							 : "index";
	return refuse(dialect, (rt_pos){0}, what, name, table, holder, other->name, kind);
}

int rt__ddl_check_name_free(const rt_dialect *dialect, const rt_schema *schema,
			    const char *table, rt_name_kind kind, const char *name)
{
	if (!dialect || !schema || !table)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_name_free: NULL argument");
	const rt_table *self = rt__schema_find_table(schema, table);
	return check_name_free(dialect, schema, table, self ? self->schema : NULL, kind, name);
}

int rt__ddl_check_table_free(const rt_dialect *dialect, const rt_schema *schema,
			     const rt_table *def, const char *name, bool with_table)
{
	if (!dialect || !schema || !def || !name)
		return rt__error_set(RT_EINVAL, "rt__ddl_check_table_free: NULL argument");
	/* The new table's names are in its schema; its own name is its
	 * identity (rt_table.name), schema included. */
	const char *in = def->schema;
	int rc = with_table ? check_name_free(dialect, schema, name, in, RT_NAME_TABLE, name)
			    : RT_OK;
	if (rc == RT_OK && def->primary_key)
		rc = check_name_free(dialect, schema, name, in, RT_NAME_INDEX,
				     def->primary_key->name);
	for (size_t i = 0; rc == RT_OK && i < def->constraint_count; i++) {
		const rt_constraint *c = def->constraints[i];
		if (c->kind == RT_CONSTRAINT_UNIQUE || c->kind == RT_CONSTRAINT_FOREIGN_KEY)
			rc = check_name_free(dialect, schema, name, in,
					     c->kind == RT_CONSTRAINT_UNIQUE ? RT_NAME_INDEX
									     : RT_NAME_FOREIGN_KEY,
					     c->name);
	}
	for (size_t i = 0; rc == RT_OK && i < def->index_count; i++)
		rc = check_name_free(dialect, schema, name, in, RT_NAME_INDEX,
				     def->indexes[i]->name);
	return rc;
}

/* Who has a name in a schema being checked whole. */
typedef struct name_use {
	const char *what;     /* "the index", ... */
	const rt_table *table;
} name_use;

/* Takes name of kind for table in names; RT_EINVAL recorded when another
 * table has it and the dialect shares such names. */
static int take(const rt_dialect *dialect, rt_arena *arena, rt_map *names, rt_name_kind kind,
		const rt_table *table, const char *what, const char *name, rt_pos pos)
{
	if (!name || !shared_by_tables(dialect, kind))
		return RT_OK;
	/* A name is its schema's: the key holds it (a table's name has its
	 * schema already). */
	const char *key = table->schema && strcmp(what, "the table") != 0
				  ? rt__arena_printf(arena, "%s.%s", table->schema, name)
				  : name;
	if (!key)
		return rt__error_nomem();
	const name_use *first = rt__map_get(names, key);
	if (first && (first->table != table || strcmp(first->what, "the table") == 0))
		return refuse(dialect, pos, what + 4 /* "the " */, name, table->name, first->what,
			      first->table->name, kind);
	if (first)
		return RT_OK;  /* twice in one table: the language's error */
	name_use *use = rt__arena_alloc(arena, sizeof(*use));
	if (!use)
		return rt__error_nomem();
	*use = (name_use){what, table};
	return rt__map_put(names, key, use) < 0 ? rt__error_nomem() : RT_OK;
}

/* No two tables of schema share a name the dialect keeps per schema: one
 * pass over every name, each looked up once. */
static int check_schema_scopes(const rt_dialect *dialect, const rt_schema *schema)
{
	rt_arena *arena = rt__arena_new();
	if (!arena)
		return rt__error_nomem();
	rt_map indexes, foreign_keys;
	rt__map_init(&indexes, arena);
	rt__map_init(&foreign_keys, arena);
	int rc = RT_OK;
	for (size_t t = 0; rc == RT_OK && t < schema->table_count; t++)
		rc = take(dialect, arena, &indexes, RT_NAME_TABLE, schema->tables[t], "the table",
			  schema->tables[t]->name, schema->tables[t]->pos);
	for (size_t t = 0; rc == RT_OK && t < schema->table_count; t++) {
		const rt_table *table = schema->tables[t];
		const rt_constraint *pk = table->primary_key;
		if (pk)
			rc = take(dialect, arena, &indexes, RT_NAME_INDEX, table, "the primary key",
				  pk->name, pk->pos);
		for (size_t i = 0; rc == RT_OK && i < table->constraint_count; i++) {
			const rt_constraint *c = table->constraints[i];
			if (c->kind == RT_CONSTRAINT_UNIQUE)
				rc = take(dialect, arena, &indexes, RT_NAME_INDEX, table,
					  "the unique constraint", c->name, c->pos);
			else if (c->kind == RT_CONSTRAINT_FOREIGN_KEY)
				rc = take(dialect, arena, &foreign_keys, RT_NAME_FOREIGN_KEY, table,
					  "the foreign key", c->name, c->pos);
		}
		for (size_t i = 0; rc == RT_OK && i < table->index_count; i++)
			rc = take(dialect, arena, &indexes, RT_NAME_INDEX, table, "the index",
				  table->indexes[i]->name, table->indexes[i]->pos);
	}
	rt__arena_free(arena);
	return rc;
}
