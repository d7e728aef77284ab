/*
 * mariadb_reflect_keys.c - a MariaDB database's primary, unique and
 * foreign keys, for mariadb_reflect.c, without a pass over every table
 * where the server allows it.
 *
 * information_schema.KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS open
 * every table of the database, handler and all (a table's foreign keys
 * are InnoDB's): two of those passes were two of the five seconds of
 * `check` at 10,000 tables, the server's table cache (400 by default)
 * holding too few of them for a second pass to find them open. So:
 *   - primary and unique keys are the unique indexes of the STATISTICS
 *     rows mariadb_reflect.c reads anyway (MariaDB keeps no difference:
 *     KEY_COLUMN_USAGE lists exactly those);
 *   - foreign keys are InnoDB's own dictionary (INNODB_SYS_FOREIGN and
 *     INNODB_SYS_FOREIGN_COLS), which opens no table. Only InnoDB keeps
 *     foreign keys, so it lists them all. Reading it needs the PROCESS
 *     privilege, and its names are file names ("db/table", a character
 *     other than a letter, digit or _ written as @ and four hex digits,
 *     "-" as @002d): without the privilege, or where a name is so
 *     encoded, the keys are read from KEY_COLUMN_USAGE as before.
 * Each table gets its keys in one order either way: foreign keys by
 * name, the primary key, unique keys by name.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/map.h"
#include "dialect/mariadb.h"
#include "schema/naming.h"

typedef struct keys {
	rt_schema *schema;
	const rt_dialect *d;
	rt_driver_conn *conn;
	rt_arena *scratch;
	rt_driver_stmt *stmt;
	rt_value row[8];
} keys;

static int run(keys *k, const char *sql)
{
	return k->d->prepare(&k->stmt, k->conn, sql);
}

/* The next row's first columns into k->row: RT_ROW, RT_DONE or an error. */
static int next(keys *k, int columns)
{
	int rc = k->d->step(k->stmt);
	for (int i = 0; rc == RT_ROW && i < columns; i++) {
		int vrc = k->d->column_value(k->stmt, i, &k->row[i]);
		if (vrc < 0)
			return vrc;
	}
	return rc;
}

static void done(keys *k)
{
	k->d->finalize(k->stmt);
	k->stmt = NULL;
}

static const char *text(keys *k, int column)
{
	return k->row[column].type == RT_VALUE_TEXT ? k->row[column].s : NULL;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* InnoDB checks a key at once whatever the action says: RESTRICT and NO
 * ACTION are one (and an unspecified action reads back as RESTRICT). */
static rt_fk_action fk_action(const char *rule)
{
	if (same(rule, "CASCADE"))
		return RT_FK_CASCADE;
	if (same(rule, "SET NULL"))
		return RT_FK_SET_NULL;
	if (same(rule, "SET DEFAULT"))
		return RT_FK_SET_DEFAULT;
	return RT_FK_NO_ACTION;
}

/* --- from KEY_COLUMN_USAGE (every kind; a pass over every table) --------------------- */

/* Primary keys, unique keys and foreign keys, one row per column in key
 * order, with the referenced column and the actions of a foreign key.
 * KEY_COLUMN_USAGE alone says what kind of key each is (MariaDB names
 * every primary key PRIMARY; a foreign key references a table; the rest
 * are unique keys), and REFERENTIAL_CONSTRAINTS is a derived table, read
 * once and looked up. Joined with TABLE_CONSTRAINTS and that table
 * directly, the server filled them again per row: 13 s at 10,000 tables,
 * against 3 s. */
static const char KEYS_SQL[] =
	"SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.CONSTRAINT_TYPE, k.COLUMN_NAME,"
	" k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, rc.DELETE_RULE, rc.UPDATE_RULE"
	" FROM (SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION,"
	"  REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME,"
	"  CASE WHEN CONSTRAINT_NAME = 'PRIMARY' THEN 'PRIMARY KEY'"
	"  WHEN REFERENCED_TABLE_NAME IS NOT NULL THEN 'FOREIGN KEY' ELSE 'UNIQUE' END"
	"  AS CONSTRAINT_TYPE"
	"  FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE()) k"
	" LEFT JOIN (SELECT DISTINCT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE"
	"  FROM information_schema.REFERENTIAL_CONSTRAINTS"
	"  WHERE CONSTRAINT_SCHEMA = DATABASE()) rc"
	" ON rc.TABLE_NAME = k.TABLE_NAME AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
	" ORDER BY k.TABLE_NAME, k.CONSTRAINT_TYPE, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

static int keys_of_usage(keys *k)
{
	rt_table *table = NULL, *owner = NULL;
	rt_constraint *c = NULL;
	int rc = run(k, KEYS_SQL);
	while (rc >= 0 && (rc = next(k, 8)) == RT_ROW) {
		const char *table_name = text(k, 0), *name = text(k, 1), *type = text(k, 2);
		if (!table || !same(table->name, table_name))
			table = table_name ? rt__schema_find_table(k->schema, table_name) : NULL;
		if (!table || !name || !type)
			continue;
		rc = RT_OK;
		rt_constraint_kind kind = same(type, "PRIMARY KEY") ? RT_CONSTRAINT_PRIMARY_KEY
					  : same(type, "UNIQUE")    ? RT_CONSTRAINT_UNIQUE
								    : RT_CONSTRAINT_FOREIGN_KEY;
		if (!c || table != owner || c->kind != kind ||
		    !same(kind == RT_CONSTRAINT_PRIMARY_KEY ? "PRIMARY" : c->name, name)) {
			owner = table;
			/* MariaDB names every primary key PRIMARY. */
			const char *given = kind == RT_CONSTRAINT_PRIMARY_KEY
						    ? rt__name_primary_key(k->schema->arena, table->name)
						    : name;
			c = given ? rt__table_add_constraint(k->schema, table, kind, given) : NULL;
			if (!c) {
				rc = rt__error_nomem();
				break;
			}
			if (kind == RT_CONSTRAINT_FOREIGN_KEY) {
				c->ref_table = rt__arena_strdup(k->schema->arena, text(k, 4));
				c->on_delete = fk_action(text(k, 6));
				c->on_update = fk_action(text(k, 7));
				if (!c->ref_table) {
					rc = rt__error_nomem();
					break;
				}
			}
		}
		rc = rt__constraint_add_column(k->schema, c, text(k, 3), false);
		if (rc == RT_OK && kind == RT_CONSTRAINT_FOREIGN_KEY && text(k, 5))
			rc = rt__constraint_add_column(k->schema, c, text(k, 5), true);
	}
	done(k);
	return rc < 0 ? rc : RT_OK;
}

/* --- foreign keys from InnoDB's dictionary ------------------------------------------- */

/* A foreign key column of INNODB_SYS_FOREIGN_COLS, in key order. */
typedef struct fk_column {
	const char *column, *ref_column;
	struct fk_column *next;
} fk_column;

/* The part of an InnoDB name "db/name" after db's slash, or NULL when it
 * is another database's or encoded (@002d for "-": then read from
 * KEY_COLUMN_USAGE). */
static const char *local_name(const char *full, const char *db, bool *encoded)
{
	size_t len = strlen(db);
	if (!full || strncmp(full, db, len) != 0 || full[len] != '/')
		return NULL;
	*encoded |= strchr(full, '@') != NULL;
	return full + len + 1;
}

/* The database's name is its file name: letters, digits and _ only. */
static bool plain_name(const char *name)
{
	if (!name || !*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* The columns of every foreign key of db, by key id, into *columns.
 * RT_OK, 1 when InnoDB's names cannot be used, or an error. */
static int read_fk_columns(keys *k, const char *db, rt_map *columns)
{
	bool encoded = false;
	fk_column **tail = NULL;
	const char *last = NULL;
	int rc = run(k, "SELECT ID, FOR_COL_NAME, REF_COL_NAME"
			" FROM information_schema.INNODB_SYS_FOREIGN_COLS"
			" WHERE ID LIKE CONCAT(DATABASE(), '/%') ORDER BY ID, POS");
	while (rc >= 0 && (rc = next(k, 3)) == RT_ROW) {
		rc = RT_OK;
		const char *id = local_name(text(k, 0), db, &encoded);
		if (!id || !text(k, 1) || !text(k, 2))
			continue;
		fk_column *col = rt__arena_alloc(k->scratch, sizeof(*col));
		if (!col || !(col->column = rt__arena_strdup(k->scratch, text(k, 1))) ||
		    !(col->ref_column = rt__arena_strdup(k->scratch, text(k, 2)))) {
			rc = rt__error_nomem();
			break;
		}
		col->next = NULL;
		if (!same(last, id)) {
			if (!(last = rt__arena_strdup(k->scratch, id)) ||
			    rt__map_put(columns, last, col) < 0) {
				rc = rt__error_nomem();
				break;
			}
		} else {
			*tail = col;
		}
		tail = &col->next;
	}
	done(k);
	return rc < 0 ? rc : encoded ? 1 : RT_OK;
}

/* ON DELETE and ON UPDATE from INNODB_SYS_FOREIGN.TYPE's bits (InnoDB's
 * DICT_FOREIGN_ON_*: 1 and 4 CASCADE, 2 and 8 SET NULL; RESTRICT and NO
 * ACTION are one, as fk_action says). */
static rt_fk_action type_action(int64_t type, int shift)
{
	if (type >> shift & 1)
		return RT_FK_CASCADE;
	if (type >> shift & 2)
		return RT_FK_SET_NULL;
	return RT_FK_NO_ACTION;
}

/* A failed read of InnoDB's dictionary: 1 (read KEY_COLUMN_USAGE
 * instead) when the server refused it (no PROCESS privilege, no InnoDB),
 * rc itself when the connection or the memory is gone. */
static int unusable(int rc)
{
	return rc == RT_ENOMEM || rc == RT_ECONNECT || rc == RT_ECANCELED ? rc : 1;
}

/* Every foreign key of the database from InnoDB's dictionary. RT_OK, 1
 * when it cannot be used (no PROCESS privilege, no InnoDB, a name
 * encoded), or an error. */
static int foreign_keys(keys *k)
{
	const char *db = NULL;
	int rc = run(k, "SELECT DATABASE()");
	if (rc == RT_OK && (rc = next(k, 1)) == RT_ROW) {
		rc = RT_OK;
		db = text(k, 0) ? rt__arena_strdup(k->scratch, text(k, 0)) : NULL;
	}
	done(k);
	if (rc < 0)
		return rc;
	if (!plain_name(db))
		return 1;
	rt_map columns;
	rt__map_init(&columns, k->scratch);
	if ((rc = read_fk_columns(k, db, &columns)) != RT_OK)
		return rc == 1 ? 1 : unusable(rc);
	/* Checked before anything is added: a table's keys come from one
	 * source or the other, never both. */
	bool encoded = false;
	if ((rc = run(k, "SELECT ID, FOR_NAME, REF_NAME, TYPE FROM information_schema.INNODB_SYS_FOREIGN"
			 " WHERE FOR_NAME LIKE CONCAT(DATABASE(), '/%') ORDER BY FOR_NAME, ID")) < 0) {
		done(k);
		return unusable(rc);
	}
	typedef struct fk_row {
		const char *id, *table, *ref_table;
		int64_t type;
	} fk_row;
	fk_row *rows = NULL;
	size_t count = 0, cap = 0;
	while ((rc = next(k, 4)) == RT_ROW) {
		rc = RT_OK;
		fk_row row = {local_name(text(k, 0), db, &encoded),
			      local_name(text(k, 1), db, &encoded), NULL,
			      k->row[3].type == RT_VALUE_INT64 ? k->row[3].i : 0};
		/* The referenced table may be in another database. */
		const char *ref = text(k, 2), *slash = ref ? strchr(ref, '/') : NULL;
		encoded |= ref && strchr(ref, '@') != NULL;
		if (!row.id || !row.table || !slash)
			continue;
		if (!(row.id = rt__arena_strdup(k->scratch, row.id)) ||
		    !(row.table = rt__arena_strdup(k->scratch, row.table)) ||
		    !(row.ref_table = rt__arena_strdup(k->schema->arena, slash + 1)) ||
		    RT_ARENA_PUSH(k->scratch, rows, count, cap, row) < 0) {
			rc = rt__error_nomem();
			break;
		}
	}
	done(k);
	if (rc < 0)
		return unusable(rc);
	if (encoded)
		return 1;
	for (size_t i = 0; i < count; i++) {
		rt_table *table = rt__schema_find_table(k->schema, rows[i].table);
		if (!table)
			continue;
		rt_constraint *c = rt__table_add_constraint(k->schema, table,
							    RT_CONSTRAINT_FOREIGN_KEY, rows[i].id);
		if (!c)
			return rt__error_nomem();
		c->ref_table = rows[i].ref_table;
		c->on_delete = type_action(rows[i].type, 0);
		c->on_update = type_action(rows[i].type, 2);
		for (const fk_column *col = rt__map_get(&columns, rows[i].id); col; col = col->next)
			if (rt__constraint_add_column(k->schema, c, col->column, false) < 0 ||
			    rt__constraint_add_column(k->schema, c, col->ref_column, true) < 0)
				return rt__error_nomem();
	}
	return RT_OK;
}

/* --- primary and unique keys from the index rows ------------------------------------- */

/* The keys of kind (the primary key, or the unique keys) that the unique
 * indexes among rows (STATISTICS' rows, in table and index order) are. */
static int unique_keys(keys *k, const rt_mariadb_odd_index *rows, bool primary)
{
	rt_table *table = NULL;
	rt_constraint *c = NULL;
	const rt_mariadb_odd_index *key = NULL; /* c's first row */
	for (const rt_mariadb_odd_index *row = rows; row; row = row->next) {
		if (!row->unique || same(row->name, "PRIMARY") != primary || !row->column)
			continue;
		if (!table || !same(table->name, row->table))
			table = rt__schema_find_table(k->schema, row->table);
		if (!table)
			continue;
		if (!key || !same(key->table, row->table) || !same(key->name, row->name)) {
			key = row;
			/* MariaDB names every primary key PRIMARY. */
			const char *name = primary ? rt__name_primary_key(k->schema->arena,
									  table->name)
						   : row->name;
			c = name ? rt__table_add_constraint(k->schema, table,
							    primary ? RT_CONSTRAINT_PRIMARY_KEY
								    : RT_CONSTRAINT_UNIQUE,
							    name)
				 : NULL;
			if (!c)
				return rt__error_nomem();
		}
		if (rt__constraint_add_column(k->schema, c, row->column, false) < 0)
			return rt__error_nomem();
	}
	return RT_OK;
}

int rt__mariadb_reflect_keys(rt_schema *schema, const rt_dialect *dialect, rt_driver_conn *conn,
			     const rt_mariadb_odd_index *rows)
{
	keys k = {.schema = schema, .d = dialect, .conn = conn, .scratch = rt__arena_new()};
	if (!k.scratch)
		return rt__error_nomem();
	int rc = foreign_keys(&k);
	if (rc == 1)
		rc = keys_of_usage(&k);
	else if (rc == RT_OK && (rc = unique_keys(&k, rows, true)) == RT_OK)
		rc = unique_keys(&k, rows, false);
	rt__arena_free(k.scratch);
	return rc;
}
