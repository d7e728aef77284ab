#!/bin/sh
# run_corpus.sh - runs retort on one published schema of the corpus, as a
# new user adopting an existing database would (README.md says which).
#
#   run_corpus.sh RETORT CLI_DB NAME sqlite|postgresql
#
# The schema's SQL (NAME/NAME.BACKEND.sql in this folder) is loaded into a fresh database, the
# "original". Then:
#   inspect   `retort inspect -o models.rt` on the original succeeds
#   parse     `retort sql create --schema models.rt` accepts what it wrote
#   migrate   `retort revision --autogenerate` and `retort upgrade head`
#             build the models in a second, empty database; when
#             NAME/NAME.BACKEND.prelude.sql exists, it is run there first:
#             it creates the objects the schema language cannot declare
#             yet but the models name (a domain used as a column's type),
#             each of which inspect names as not kept
#   check     after `retort stamp head --purge` on the original, `retort
#             check` there finds no drift (exit 0) and names each view,
#             trigger, materialized view, function and sequence of no
#             column of the original
#   describe  each table the upgrade built has the shape of the original's
#             table (shape() below says what that is); each table it did
#             not build is named by check
#   untouched the original's catalogue (sqlite_master / pg_dump
#             --schema-only) and every row of its tables and sequences are
#             the same after all the commands as before; the version tables
#             (alembic_version, retort_history), which stamp writes by
#             definition, are left out of both
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
tmp=$(mktemp -d "${TMPDIR:-/tmp}/retort-corpus-$name.XXXXXX") || exit 1
databases=""
cleanup() {
  for db in $databases; do
    "$cli_db" drop "$pg_url" "$db" >/dev/null 2>&1
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
    databases="corpus_$name corpus_${name}_2"
    for db in $databases; do
      "$cli_db" fresh "$pg_url" "$db" || exit 1
    done
    URL=$pg_base/corpus_$name
    URL2=$pg_base/corpus_${name}_2
    pgbin=${RETORT_PG_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
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
# their actions, and on PostgreSQL its checks, exclusions and partitioning,
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
        WHERE c.relkind = 'p' AND n.nspname = 'public'" "$1" ;;
  esac | sort
}

# Everything retort prints goes through here: $TMP, the test server and the
# timings of progress lines are written the same on every run.
normalize() {
  sed -e "s|$tmp|\$TMP|g" -e "s|${pg_base:-(no test server)}|postgresql://\$PG|g" \
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
prelude=$here/$name/$name.$backend.prelude.sql
if [ -f "$prelude" ] && ! "$cli_db" exec "$URL2" - <"$prelude" >"$tmp/prelude.out" 2>&1; then
  cat "$tmp/prelude.out" >&2
  echo "run_corpus.sh: $name on $backend: running $prelude on the empty database failed" >&2
  exit 1
fi
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
      UNION SELECT p.proname || ' function'
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public'
      UNION SELECT c.relname || ' sequence'
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
      ORDER BY 1" ;;
esac >"$tmp/unmodelled" || fail check "listing the original's views, triggers and functions failed"
while read -r object kind; do
  grep -qwF -- "$object" "$tmp/check.out" "$tmp/check.err" ||
    fail check "retort check does not name $kind $object, which the models do not describe"
done <"$tmp/unmodelled"

# lacks_only_named ORIGINAL BUILT: whether the table built lacks only
# what retort check names as out of the models' reach, and has nothing of
# its own: on PostgreSQL an index it calls not managed ("index NAME on
# TABLE": an index of another method than btree, on expressions, partial)
# and partitioning it calls not kept ("TABLE: PARTITION BY ..."; the
# partitions are named as not managed and checked as tables).
lacks_only_named() {
  [ "$backend" = postgresql ] || return 1
  [ -z "$(comm -13 "$1" "$2")" ] || return 1
  comm -23 "$1" "$2" >"$tmp/lacking"
  while read -r t rest; do
    case $rest in
      "partitioned by "*)
        grep -qF -- "not kept: $t: PARTITION BY ${rest#partitioned by }" \
          "$tmp/check.out" "$tmp/check.err" || return 1 ;;
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
echo "$name on $backend: inspect, parse, migrate, check, describe and untouched pass; output matches $(basename "$golden")"
