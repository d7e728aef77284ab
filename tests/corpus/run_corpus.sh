#!/bin/sh
# run_corpus.sh - runs retort on one published schema of the corpus, as a
# new user adopting an existing database would (README.md says which).
#
#   run_corpus.sh RETORT CLI_DB NAME sqlite|postgresql|mariadb
#
# The schema's SQL (NAME/NAME.BACKEND.sql in this folder) is loaded into a fresh database, the
# "original". Then:
#   inspect   `retort inspect -o models.rt` on the original succeeds
#   parse     `retort sql create --schema models.rt` accepts what it wrote
#   migrate   `retort revision --autogenerate` and `retort upgrade head`
#             build the models in a second, empty database
#   check     after `retort stamp head --purge` on the original, `retort
#             check` there finds no drift (exit 0) and names each view,
#             trigger, materialized view, function, aggregate, procedure,
#             domain and sequence of no column of the original that the
#             models do not declare
#   describe  each table the upgrade built has the shape of the original's
#             table (shape() below says what that is); each table it did
#             not build is named by check
#   downgrade `retort downgrade base` on the second database leaves no
#             table but the version tables
#   untouched the original's catalogue (sqlite_master / pg_dump
#             --schema-only / information_schema) and every row of its
#             tables and sequences are the same after all the commands as
#             before; the version tables (alembic_version, retort_history,
#             retort_migration_progress), which stamp writes by definition,
#             are left out of both
# Each step that fails is named on stderr and the test fails. What inspect
# and check print (their progress, their warnings and the objects they call
# not managed) must equal NAME/NAME.BACKEND.golden, so that any change of it is reviewed;
# RETORT_UPDATE_GOLDEN=1 writes the golden file instead (the steps must
# still pass); RETORT_CORPUS_KEEP=1 keeps the temporary folder (and the
# PostgreSQL databases) to look at.
set -u

retort=$1
cli_db=$2
name=$3
backend=$4

here=$(cd "$(dirname "$0")" && pwd)
golden=$here/$name/$name.$backend.golden
data=$here/$name/$name.$backend.sql
if [ ! -f "$data" ]; then
  echo "run_corpus.sh: the SQL of $name for $backend is missing: $data" >&2
  exit 1
fi

pg_url=${RETORT_PG_URL:-}
pg_base=${pg_url%/*}
maria_url=${RETORT_MARIADB_URL:-}
maria_base=${maria_url%/*}
admin_url=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/retort-corpus-$name.XXXXXX") || exit 1
databases=""
cleanup() {
  for db in $databases; do
    "$cli_db" drop "$admin_url" "$db" >/dev/null 2>&1
  done
  rm -rf "$tmp"
}
[ -n "${RETORT_CORPUS_KEEP:-}" ] || trap cleanup EXIT

case $backend in
  sqlite)
    URL=sqlite:///$tmp/original.db
    URL2=sqlite:///$tmp/empty.db
    ;;
  postgresql)
    admin_url=$pg_url
    databases="corpus_$name corpus_${name}_2"
    for db in $databases; do
      "$cli_db" fresh "$pg_url" "$db" || exit 1
    done
    URL=$pg_base/corpus_$name
    URL2=$pg_base/corpus_${name}_2
    pgbin=${RETORT_PG_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
    ;;
  mariadb)
    admin_url=$maria_url
    databases="corpus_$name corpus_${name}_2"
    for db in $databases; do
      "$cli_db" fresh "$maria_url" "$db" || exit 1
    done
    URL=$maria_base/corpus_$name
    URL2=$maria_base/corpus_${name}_2
    ;;
  *)
    echo "run_corpus.sh: unknown backend '$backend'" >&2
    exit 2
    ;;
esac

unset RETORT_URL DATABASE_URL
LC_ALL=C
export LC_ALL
failed=""
fail() {
  case " $failed " in *" $1 "*) ;; *) failed="$failed $1" ;; esac
  echo "run_corpus.sh: $name on $backend: step $1 failed: $2" >&2
}

# The tables retort keeps its versions and progress in: never compared.
version_tables="'alembic_version', 'retort_history', 'retort_migration_progress'"

# query SQL [URL]: the rows of a query on the original (or on URL), without
# the header line; fails when cli_db does.
query() {
  "$cli_db" query "${2:-$URL}" "$1" >"$tmp/query" || return 1
  tail -n +2 "$tmp/query"
}

# The rows compared, as one query: each row of every table (on PostgreSQL
# also of every populated materialized view and every sequence) but the
# version tables (and their sequences), as a line "table: values".
rows_query() {
  case $backend in
    sqlite)
      query "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
        WHERE m.type = 'table' AND m.name NOT IN ('alembic_version', 'retort_history')
        ORDER BY m.name, p.cid" >"$tmp/columns" || return 1
      awk -F ' [|] ' -v sq="'" '
        function ident(name) { gsub(/"/, "\"\"", name); return "\"" name "\"" }
        function str(text) { gsub(sq, sq sq, text); return sq text sq }
        function flush() {
          if (table == "") return
          printf "%sSELECT %s || %s || %s FROM %s\n", sep, str(table), str(": "), expr, ident(table)
          sep = "UNION ALL "
        }
        $1 != table { flush(); table = $1; expr = "" }
        { expr = expr (expr == "" ? "" : " || " str(", ") " || ") "quote(" ident($2) ")" }
        END { flush() }' "$tmp/columns" ;;
    mariadb)
      query "SELECT c.TABLE_NAME, c.COLUMN_NAME FROM information_schema.COLUMNS c
        JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA
          AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = 'BASE TABLE'
        WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME NOT IN ($version_tables)
        ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION" >"$tmp/columns" || return 1
      awk -F ' [|] ' -v sq="'" '
        function ident(name) { gsub(/`/, "``", name); return "`" name "`" }
        function str(text) { gsub(sq, sq sq, text); return sq text sq }
        function flush() {
          if (table == "") return
          printf "%sSELECT CONCAT(%s, CONCAT_WS(%s, %s)) FROM %s\n", sep, str(table ": "), str(", "), expr, ident(table)
          sep = "UNION ALL "
        }
        $1 != table { flush(); table = $1; expr = "" }
        { expr = expr (expr == "" ? "" : ", ") "QUOTE(" ident($2) ")" }
        END { flush() }' "$tmp/columns" ;;
    postgresql)
      query "SELECT c.relkind::text || ' ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE (c.relkind IN ('r', 'S') OR c.relkind = 'm' AND c.relispopulated)
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg_toast%'
          AND c.relname NOT IN ('alembic_version', 'retort_history')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class o ON o.oid = d.refobjid
            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
              AND o.relname IN ('alembic_version', 'retort_history'))
        ORDER BY 1" >"$tmp/tables" || return 1
      awk -v sq="'" '
        function str(text) { gsub(sq, sq sq, text); return sq text sq }
        { value = $1 == "S" ? "t.last_value || " str(", ") " || t.is_called" : "t::text"
          printf "%sSELECT %s || %s || %s FROM %s t\n", (NR > 1 ? "UNION ALL " : ""), str($2), str(": "), value, $2 }' \
        "$tmp/tables" ;;
  esac
}

# snapshot DIR: the original's catalogue and every row of it (sorted: row
# order is not content), both without the version tables.
snapshot() {
  mkdir "$1" || return 1
  case $backend in
    sqlite)
      query "SELECT * FROM sqlite_master
        WHERE tbl_name NOT IN ('alembic_version', 'retort_history')
        ORDER BY type, name" >"$1/catalogue" || return 1 ;;
    mariadb)
      # Everything information_schema says of the database, but the
      # version tables: tables, columns, indexes, keys, checks, views,
      # triggers, routines, events.
      query "SELECT CONCAT_WS(' ', 'table', TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION,
          CREATE_OPTIONS, TABLE_COMMENT) FROM information_schema.TABLES
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT IN ($version_tables)
        UNION ALL SELECT CONCAT_WS(' ', 'column', TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME,
          COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '(no default)'), EXTRA,
          COLLATION_NAME, COLUMN_COMMENT, GENERATION_EXPRESSION) FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT IN ($version_tables)
        UNION ALL SELECT CONCAT_WS(' ', 'index', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX,
          COLUMN_NAME, NON_UNIQUE, INDEX_TYPE, SUB_PART) FROM information_schema.STATISTICS
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT IN ($version_tables)
        UNION ALL SELECT CONCAT_WS(' ', 'key', k.TABLE_NAME, k.CONSTRAINT_NAME,
          k.ORDINAL_POSITION, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME,
          r.UPDATE_RULE, r.DELETE_RULE) FROM information_schema.KEY_COLUMN_USAGE k
          LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r
            ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME
            AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
          WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME NOT IN ($version_tables)
        UNION ALL SELECT CONCAT_WS(' ', 'check', TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE)
          FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()
        UNION ALL SELECT CONCAT_WS(' ', 'view', TABLE_NAME, VIEW_DEFINITION)
          FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()
        UNION ALL SELECT CONCAT_WS(' ', 'trigger', TRIGGER_NAME, EVENT_OBJECT_TABLE,
          ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT)
          FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
        UNION ALL SELECT CONCAT_WS(' ', 'routine', ROUTINE_TYPE, ROUTINE_NAME, DTD_IDENTIFIER,
          ROUTINE_DEFINITION) FROM information_schema.ROUTINES
          WHERE ROUTINE_SCHEMA = DATABASE()
        UNION ALL SELECT CONCAT_WS(' ', 'event', EVENT_NAME, EVENT_DEFINITION)
          FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()
        ORDER BY 1" >"$1/catalogue" || return 1 ;;
    postgresql)
      "$pgbin/pg_dump" --schema-only -T public.alembic_version -T public.retort_history \
        "$URL" >"$tmp/dump" || return 1
      grep -v '^\\\(un\)\{0,1\}restrict ' "$tmp/dump" >"$1/catalogue" ;;
  esac
  rows_query >"$tmp/rows.sql" || return 1
  query "$(cat "$tmp/rows.sql")" >"$tmp/rows" || return 1
  sort "$tmp/rows" >"$1/rows"
}

# shape URL: what each table but the version tables is, without the names
# retort may choose itself, one line each, starting with the table's name:
# its columns in order with their type, nullability and default (on
# PostgreSQL the type as the database spells it, a default that takes a
# sequence's next value and an identity generated by default both
# "autoincrement", now() and CURRENT_TIMESTAMP the same; on
# SQLite the column's affinity, which decides what a value becomes), its
# indexes (columns or expressions, unique, partial), its foreign keys with
# their actions, and on PostgreSQL its checks, exclusions and partitioning
# (a partitioned table's key, a partition's table and bound),
# on SQLite WITHOUT ROWID and STRICT.
shape() {
  case $backend in
    sqlite)
      query "SELECT m.name || ' column ' || (p.cid + 1) || ' ' || p.name || ' ' ||
          CASE WHEN upper(p.type) LIKE '%INT%' THEN 'INTEGER'
               WHEN upper(p.type) LIKE '%CHAR%' OR upper(p.type) LIKE '%CLOB%'
                 OR upper(p.type) LIKE '%TEXT%' THEN 'TEXT'
               WHEN upper(p.type) LIKE '%BLOB%' OR p.type = '' THEN 'BLOB'
               WHEN upper(p.type) LIKE '%REAL%' OR upper(p.type) LIKE '%FLOA%'
                 OR upper(p.type) LIKE '%DOUB%' THEN 'REAL'
               ELSE 'NUMERIC' END ||
          CASE WHEN p.\"notnull\" OR p.pk > 0 AND upper(p.type) = 'INTEGER'
               THEN ' not null' ELSE '' END ||
          coalesce(' default ' || nullif(upper(p.dflt_value), 'NULL'), '')
        FROM sqlite_master m, pragma_table_info(m.name) p
        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
          AND m.name NOT IN ('alembic_version', 'retort_history')
        UNION ALL
        SELECT m.name || ' index' || CASE WHEN l.\"unique\" THEN ' unique' ELSE '' END ||
          CASE WHEN l.partial THEN ' partial' ELSE '' END || ' (' ||
          (SELECT group_concat(coalesce(i.name, 'expression'), ', ')
             FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno) i) || ')'
        FROM sqlite_master m, pragma_index_list(m.name) l
        WHERE m.type = 'table' AND m.name NOT IN ('alembic_version', 'retort_history')
        UNION ALL
        SELECT m.name || ' foreign key (' || group_concat(f.\"from\", ', ') || ') references ' ||
          f.\"table\" || ' (' || group_concat(coalesce(f.\"to\", '(key)'), ', ') ||
          ') on update ' || f.on_update || ' on delete ' || f.on_delete
        FROM sqlite_master m, pragma_foreign_key_list(m.name) f
        WHERE m.type = 'table' AND m.name NOT IN ('alembic_version', 'retort_history')
        GROUP BY m.name, f.id
        UNION ALL
        SELECT name || ' table' || CASE WHEN wr THEN ' without rowid' ELSE '' END ||
          CASE WHEN strict THEN ' strict' ELSE '' END
        FROM pragma_table_list
        WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
          AND name NOT IN ('alembic_version', 'retort_history')" "$1" ;;
    postgresql)
      query "SELECT c.relname || ' column ' ||
          row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum) || ' ' || a.attname || ' ' ||
          format_type(a.atttypid, a.atttypmod) ||
          CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||
          CASE WHEN a.attgenerated = 's'
                 THEN ' generated as (' || pg_get_expr(d.adbin, d.adrelid) || ') stored'
               WHEN a.attidentity = 'a' THEN ' generated always as identity'
               WHEN a.attidentity = 'd' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%'
                 THEN ' autoincrement'
               ELSE coalesce(' default ' ||
                 replace(pg_get_expr(d.adbin, d.adrelid), 'now()', 'CURRENT_TIMESTAMP'), '') END
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'
          AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relname NOT IN ('alembic_version', 'retort_history')
        UNION ALL
        SELECT c.relname || ' ' ||
          regexp_replace(pg_get_indexdef(i.indexrelid), 'INDEX \\S+ ON (ONLY )?\\S+ ', 'INDEX ')
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' AND c.relname NOT IN ('alembic_version', 'retort_history')
        UNION ALL
        SELECT c.relname || ' ' || pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE k.contype IN ('c', 'f', 'x') AND c.relkind IN ('r', 'p') AND n.nspname = 'public'
          AND c.relname NOT IN ('alembic_version', 'retort_history')
        UNION ALL
        SELECT c.relname || ' partitioned by ' || pg_get_partkeydef(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'p' AND n.nspname = 'public'
        UNION ALL
        SELECT c.relname || ' partition of ' || p.relname || ' ' ||
          pg_get_expr(c.relpartbound, c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_inherits h ON h.inhrelid = c.oid JOIN pg_class p ON p.oid = h.inhparent
        WHERE c.relispartition AND c.relkind IN ('r', 'p') AND n.nspname = 'public'" "$1" ;;
    mariadb)
      # MariaDB: the column type as information_schema spells it, what
      # EXTRA says besides auto_increment (ON UPDATE, generated), a column
      # collation other than its table's, the table's collation; an index
      # of another kind than BTREE, or on a prefix, by its name (check
      # names it as not managed). The check retort writes beside an ENUM
      # column (ck_<table>_<column>_enum: the enum's own values, for a
      # session without strict mode) is part of the enum, not a check.
      query "SELECT CONCAT(c.TABLE_NAME, ' column ', c.ORDINAL_POSITION, ' ', c.COLUMN_NAME, ' ',
          c.COLUMN_TYPE, IF(c.IS_NULLABLE = 'NO', ' not null', ''),
          IF(c.EXTRA LIKE '%auto_increment%', ' autoincrement',
             IFNULL(CONCAT(' default ', NULLIF(c.COLUMN_DEFAULT, 'NULL')), '')),
          IFNULL(CONCAT(' extra ', NULLIF(TRIM(REPLACE(c.EXTRA, 'auto_increment', '')), '')), ''),
          IF(c.COLLATION_NAME <> t.TABLE_COLLATION, CONCAT(' collate ', c.COLLATION_NAME), ''))
        FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
          ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
        WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
          AND c.TABLE_NAME NOT IN ($version_tables)
        UNION ALL
        SELECT CONCAT(TABLE_NAME, ' table ', ENGINE, ' collation ', TABLE_COLLATION)
        FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
          AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT IN ($version_tables)
        UNION ALL
        SELECT CONCAT(TABLE_NAME, IF(INDEX_NAME = 'PRIMARY', ' primary key',
            CONCAT(' index', IF(NON_UNIQUE = 0, ' unique', ''))),
          IF(MAX(INDEX_TYPE) <> 'BTREE' OR MAX(SUB_PART) IS NOT NULL,
             CONCAT(' ', LOWER(MAX(INDEX_TYPE)), ' ', INDEX_NAME), ''),
          ' (', GROUP_CONCAT(CONCAT(COLUMN_NAME, IFNULL(CONCAT('(', SUB_PART, ')'), ''))
            ORDER BY SEQ_IN_INDEX SEPARATOR ', '), ')')
        FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
          AND TABLE_NAME NOT IN ($version_tables)
        GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE
        UNION ALL
        SELECT CONCAT(k.TABLE_NAME, ' foreign key (',
          GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ', '), ') references ',
          MAX(k.REFERENCED_TABLE_NAME), ' (',
          GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ', '),
          ') on update ', MAX(r.UPDATE_RULE), ' on delete ', MAX(r.DELETE_RULE))
        FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
          ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME
          AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
        WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME NOT IN ($version_tables)
        GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME
        UNION ALL
        SELECT CONCAT(TABLE_NAME, ' check ', CHECK_CLAUSE)
        FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()
          AND TABLE_NAME NOT IN ($version_tables)
          AND CONSTRAINT_NAME NOT LIKE CONCAT('ck\\_', TABLE_NAME, '\\_%\\_enum')" "$1" ;;
  esac | sort
}

# Everything retort prints goes through here: $TMP, the test server and the
# timings of progress lines are written the same on every run.
normalize() {
  sed -e "s|$tmp|\$TMP|g" -e "s|${pg_base:-(no test server)}|postgresql://\$PG|g" \
      -e "s|${maria_base:-(no test server)}|mysql://\$MARIADB|g" \
      -e 's/ ([0-9.]* ms)$/ (N ms)/'
}

# a) the original
if ! "$cli_db" exec "$URL" - <"$data" >"$tmp/load.out" 2>&1; then
  cat "$tmp/load.out" >&2
  echo "run_corpus.sh: $name on $backend: loading $data failed" >&2
  exit 1
fi
snapshot "$tmp/before" || { echo "run_corpus.sh: snapshot failed" >&2; exit 1; }

out=$tmp/transcript
: >"$out"

# b) inspect, and the file it writes parses
mkdir "$tmp/project" && cd "$tmp/project" || exit 1
echo "== retort inspect -o models.rt" >>"$out"
"$retort" --url "$URL" inspect -o models.rt 2>"$tmp/err"
status=$?
normalize <"$tmp/err" >>"$out"
echo "exit $status" >>"$out"
[ $status -eq 0 ] || fail inspect "retort inspect exited $status"
if [ -f models.rt ]; then
  if ! "$retort" -q --url "$URL2" --schema models.rt sql create >"$tmp/create.sql" 2>"$tmp/err"; then
    fail parse "retort sql create does not accept the file inspect wrote:"
    normalize <"$tmp/err" >&2
  fi
else
  fail parse "inspect wrote no models.rt"
fi

# c) the models built in an empty database by an autogenerated revision
migrated=""
RETORT_NOW="2024-09-14 16:38:00"
export RETORT_NOW
"$retort" -q init migrations >/dev/null 2>&1 || fail migrate "retort init failed"
sed -e "s|^url = .*|url = $URL2|" -e "s|^schema = .*|schema = models.rt|" retort.ini \
  >retort.ini.new && mv retort.ini.new retort.ini
if ! "$retort" -q revision --autogenerate -m "adopt $name" --rev-id c0a9f0000001 >/dev/null 2>"$tmp/err"; then
  fail migrate "retort revision --autogenerate on an empty database failed:"
  normalize <"$tmp/err" >&2
elif ! "$retort" -q upgrade head 2>"$tmp/err"; then
  fail migrate "retort upgrade head on an empty database failed:"
  normalize <"$tmp/err" >&2
else
  migrated=yes
fi

# d) the original adopted: stamped at the head, no drift for what the
#    models describe; what they do not describe is named
echo "== retort stamp head --purge (the original)" >>"$out"
"$retort" -q --url "$URL" stamp head --purge 2>"$tmp/err"
status=$?
normalize <"$tmp/err" >>"$out"
echo "exit $status" >>"$out"
[ $status -eq 0 ] || fail check "retort stamp head --purge exited $status"
echo "== retort check (the original)" >>"$out"
"$retort" --url "$URL" check >"$tmp/check.out" 2>"$tmp/check.err"
status=$?
normalize <"$tmp/check.out" >>"$out"
normalize <"$tmp/check.err" >>"$out"
echo "exit $status" >>"$out"
[ $status -eq 0 ] || fail check "retort check found drift between the original and the models inspect wrote (exit $status)"
# The objects the schema language has no word for must each be named by
# check (as not managed), whatever the wording.
case $backend in
  sqlite)
    query "SELECT name || ' ' || type FROM sqlite_master
      WHERE type IN ('view', 'trigger') ORDER BY 1" ;;
  postgresql)
    query "SELECT c.relname || ' ' || CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND n.nspname = 'public'
      UNION SELECT t.tgname || ' trigger' FROM pg_trigger t WHERE NOT t.tgisinternal
      UNION SELECT p.proname || CASE p.prokind WHEN 'a' THEN ' aggregate'
        WHEN 'p' THEN ' procedure' ELSE ' function' END
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public'
      UNION SELECT t.typname || ' domain'
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'd' AND n.nspname = 'public'
      UNION SELECT c.relname || ' sequence'
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
      ORDER BY 1" ;;
  mariadb)
    query "SELECT CONCAT(TABLE_NAME, ' view') FROM information_schema.VIEWS
      WHERE TABLE_SCHEMA = DATABASE()
      UNION ALL SELECT CONCAT(TRIGGER_NAME, ' trigger') FROM information_schema.TRIGGERS
      WHERE TRIGGER_SCHEMA = DATABASE()
      UNION ALL SELECT CONCAT(ROUTINE_NAME, ' ', LOWER(ROUTINE_TYPE))
      FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
      UNION ALL SELECT CONCAT(EVENT_NAME, ' event') FROM information_schema.EVENTS
      WHERE EVENT_SCHEMA = DATABASE()
      ORDER BY 1" ;;
esac >"$tmp/unmodelled" || fail check "listing the original's views, triggers and functions failed"
# One the models declare (inspect wrote `view NAME $$...`, `trigger NAME
# on ...`) is compared like the tables, and check said nothing of it.
while read -r object kind; do
  grep -qE -- "^$kind \"?$object\"?([ (]|\$)" models.rt && continue
  grep -qwF -- "$object" "$tmp/check.out" "$tmp/check.err" ||
    fail check "retort check does not name $kind $object, which the models do not describe"
done <"$tmp/unmodelled"

# lacks_only_named ORIGINAL BUILT: whether the table built lacks only
# what retort check names as out of the models' reach, and has nothing of
# its own: on PostgreSQL an index it calls not managed ("index NAME on
# TABLE": an index of an access method or operator class the language has
# no word for). Partitioning is the models' (partition by, partition of):
# a partitioned table and its partitions, their own indexes included, are
# built as the original's and compared like any table.
lacks_only_named() {
  [ "$backend" = mariadb ] && { lacks_only_named_mariadb "$1" "$2"; return; }
  [ "$backend" = postgresql ] || return 1
  [ -z "$(comm -13 "$1" "$2")" ] || return 1
  comm -23 "$1" "$2" >"$tmp/lacking"
  while read -r t rest; do
    case $rest in
      "CREATE INDEX "* | "CREATE UNIQUE INDEX "*)
        def=$(printf '%s' "$t $rest" | sed "s/'/''/g")
        query "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relname || ' ' || regexp_replace(
            pg_get_indexdef(x.indexrelid), 'INDEX \\S+ ON (ONLY )?\\S+ ', 'INDEX ') = '$def'" \
          >"$tmp/names" && [ -s "$tmp/names" ] || return 1
        while read -r index; do
          grep -qF -- "not managed: index $index on $t" "$tmp/check.out" "$tmp/check.err" ||
            return 1
        done <"$tmp/names" ;;
      *) return 1 ;;
    esac
  done <"$tmp/lacking"
}

# On MariaDB what check names as not kept is taken out of the original's
# lines, and the rest must be the built table's exactly: a column's
# collation ("T.C: COLLATE X (...)"), an index of another kind or on a
# prefix, which check lists as not managed ("index I on T"; read here as
# "T: index I"). (A column's ON UPDATE and a table's collation are the
# models' own, `server onupdate now` and `collate NAME`: compared whole.)
lacks_only_named_mariadb() {
  sed -n -e 's/^WARN  not kept: //p' \
    -e 's/^not managed: index \([^ ]*\) on \([^ ]*\)$/\2: index \1/p' \
    "$tmp/check.out" "$tmp/check.err" >"$tmp/named"
  awk -v named="$tmp/named" '
    BEGIN { while ((getline l < named) > 0) kept[n++] = l }
    function column_is(line, t, c,   f) {
      split(line, f, " ")
      return f[1] == t && f[2] == "column" && f[4] == c
    }
    function cut(line, what,   at) {
      at = index(line, what)
      return at ? substr(line, 1, at - 1) substr(line, at + length(what)) : line
    }
    {
      line = $0
      split(line, f, " ")
      drop = 0
      for (i = 0; i < n; i++) {
        k = kept[i]
        colon = index(k, ": ")
        if (!colon) continue
        subject = substr(k, 1, colon - 1)
        what = substr(k, colon + 2)
        dot = index(subject, ".")
        if (dot) {
          t = substr(subject, 1, dot - 1); c = substr(subject, dot + 1)
          if (!column_is(line, t, c)) continue
          if (what ~ /^COLLATE /) {
            split(what, w, " ")
            line = cut(line, " collate " w[2])
          }
        } else if (f[1] == subject && what ~ /^index / && f[2] == "index") {
          split(what, w, " ")
          if (index(line, " " w[2] " (")) drop = 1
        }
      }
      if (!drop) print line
    }' "$1" | sort >"$tmp/a.named"
  cmp -s "$tmp/a.named" "$2"
}

# The models describe what they model exactly: each table the upgrade
# built has the original's shape; each table of the original that it did
# not build is named by check.
if [ -z "$migrated" ]; then
  fail describe "no database was built from the models to compare with the original"
elif ! shape "$URL" >"$tmp/original.columns" || ! shape "$URL2" >"$tmp/built.columns"; then
  fail describe "reading the shape of the two databases failed"
else
  for table in $(cut -d ' ' -f 1 "$tmp/original.columns" | uniq); do
    if grep -q "^$table " "$tmp/built.columns"; then
      grep "^$table " "$tmp/original.columns" >"$tmp/a"
      grep "^$table " "$tmp/built.columns" >"$tmp/b"
      if ! cmp -s "$tmp/a" "$tmp/b" && ! lacks_only_named "$tmp/a" "$tmp/b"; then
        fail describe "table $table as the models build it differs from the original (- original, + built):"
        diff -u "$tmp/a" "$tmp/b" | tail -n +3 >&2
      fi
    elif ! grep -qwF -- "$table" "$tmp/check.out" "$tmp/check.err"; then
      fail describe "table $table is neither described by the models nor named by retort check"
    fi
  done
fi

# The built database taken down again: `retort downgrade base` leaves
# only the version tables.
if [ -n "$migrated" ]; then
  cd "$tmp/project" || exit 1
  if ! "$retort" -q downgrade base 2>"$tmp/err"; then
    fail downgrade "retort downgrade base failed:"
    normalize <"$tmp/err" >&2
  elif ! "$cli_db" tables "$URL2" >"$tmp/left" 2>"$tmp/err"; then
    fail downgrade "listing the tables left after the downgrade failed:"
    cat "$tmp/err" >&2
  elif grep -v '^\(alembic_version\|retort_history\|retort_migration_progress\):' "$tmp/left" \
         >"$tmp/left.others"; then
    fail downgrade "retort downgrade base left tables besides the version tables:"
    cat "$tmp/left.others" >&2
  fi
fi

# e) the original untouched
cd "$tmp" || exit 1
snapshot "$tmp/after" || { echo "run_corpus.sh: snapshot failed" >&2; exit 1; }
for part in catalogue rows; do
  if ! cmp -s "$tmp/before/$part" "$tmp/after/$part"; then
    fail untouched "the original's $part changed:"
    diff -u "$tmp/before/$part" "$tmp/after/$part" | normalize >&2
  fi
done
echo "== the original: catalogue and $(wc -l <"$tmp/before/rows") rows the same after every command" >>"$out"

if [ -n "$failed" ]; then
  echo "---- transcript" >&2
  cat "$out" >&2
fi
if [ "${RETORT_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" "$golden" && echo "wrote $golden"
elif [ ! -f "$golden" ]; then
  echo "run_corpus.sh: $golden is missing (RETORT_UPDATE_GOLDEN=1 writes it)" >&2
  failed="$failed golden"
elif ! diff -u "$golden" "$out"; then
  echo "run_corpus.sh: $name on $backend: what inspect and check print differs from $golden" >&2
  failed="$failed golden"
fi
if [ -n "$failed" ]; then
  echo "run_corpus.sh: $name on $backend: FAILED:$failed" >&2
  exit 1
fi
echo "$name on $backend: inspect, parse, migrate, check, describe, downgrade and untouched pass; output matches $(basename "$golden")"
