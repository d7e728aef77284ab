# Table and column comments through autogenerate: changed, added and
# removed comments become `alter table t comment` / `alter column t.c
# comment` (or `drop comment`), undone exactly by the downgrade. PostgreSQL
# (COMMENT ON) and MariaDB (COMMENT in the table's and column's definition)
# keep them; SQLite keeps no comments, so there nothing is
# generated for them and `check` reports no drift, before or after.
. "$SRC/tests/cli/migrate.sh"
new_project
sed -e "s|^schema = .*|schema = models.rt|" retort.ini >retort.ini.new && mv retort.ini.new retort.ini
v=migrations/versions

# The comments the database holds (PostgreSQL, MariaDB), or that it holds
# none (SQLite).
show_comments() {
  case $BACKEND in
    postgresql)
      "$CLI_DB" query "$URL" "SELECT obj_description('notes'::regclass, 'pg_class') AS notes"
      "$CLI_DB" query "$URL" "SELECT a.attname, col_description(a.attrelid, a.attnum) AS comment
        FROM pg_attribute a WHERE a.attrelid = 'notes'::regclass AND a.attnum > 0
        AND NOT a.attisdropped ORDER BY a.attnum"
      ;;
    mariadb)
      # MariaDB keeps '' for no comment.
      "$CLI_DB" query "$URL" "SELECT NULLIF(TABLE_COMMENT, '') AS notes FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'notes'"
      "$CLI_DB" query "$URL" "SELECT COLUMN_NAME AS attname, NULLIF(COLUMN_COMMENT, '') AS comment
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
        AND TABLE_NAME = 'notes' ORDER BY ORDINAL_POSITION"
      ;;
    *)
      "$CLI_DB" query "$URL" "SELECT sql FROM sqlite_master WHERE name = 'notes'"
      ;;
  esac
}

cat >models.rt <<'RT'
table notes {
  comment 'what people wrote'
  id     bigint  primary key
  title  text    comment 'shown in lists'
  body   text?   comment 'the text'
  tag    text?
}
RT
retort -q revision --autogenerate -m "notes" --rev-id c0c000000001
retort -q upgrade head
echo "== upgrade head: exit $?"
show_comments
retort check
echo "== check: exit $?"

cat >models.rt <<'RT'
table notes {
  comment 'what people wrote, it''s theirs'
  id     bigint  primary key
  title  text    comment 'shown in lists and feeds'
  body   text?
  tag    text?   comment 'one word'
  seen   bool    server default false
}
RT
retort revision --autogenerate -m "comments" --rev-id c0c000000002
echo "== revision: exit $?"
sed -n '/^upgrade {$/,$p' $v/c0c000000002_comments.rt
retort upgrade head
echo "== upgrade head: exit $?"
show_comments
retort check
echo "== check: exit $?"

retort downgrade -1
echo "== downgrade -1: exit $?"
show_comments

echo "== a table comment removed"
sed '/^  comment /d' models.rt >edited && mv edited models.rt
retort -q upgrade head
retort revision --autogenerate -m "no table comment" --rev-id c0c000000003
echo "== revision: exit $?"
[ -f $v/c0c000000003_no_table_comment.rt ] && sed -n '/^upgrade {$/,$p' $v/c0c000000003_no_table_comment.rt
retort -q upgrade head
show_comments
retort check
echo "== check: exit $?"
echo "== comment operations written by hand (nothing to do on SQLite)"
retort -q revision -m "by hand" --rev-id c0c000000004
fill $v/c0c000000004_by_hand.rt \
  "  alter table notes comment 'by hand'\n  alter column notes.tag type string(20) comment 'a word'" \
  "  alter column notes.tag type text comment 'one word'\n  alter table notes drop comment"
retort upgrade head
echo "== upgrade head: exit $?"
show_comments
retort downgrade -1
echo "== downgrade -1: exit $?"
show_comments
retort -q downgrade base
echo "== downgrade base: exit $?"
