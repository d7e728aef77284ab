# stamp: the version table set without running anything (no table made),
# moved along the scripts, emptied with base; a row naming a revision no
# script defines makes current fail until stamp --purge clears it. A
# table made by hand, then stamped, is upgraded from.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
retort -q revision -m "create notes" --rev-id 5a0000000001
fill $v/5a0000000001_create_notes.rt \
  "  create table notes {\n    id  bigint  primary key\n  }" "  drop table notes"
retort -q revision -m "note text" --rev-id 5a0000000002
fill $v/5a0000000002_note_text.rt "  add column notes.body text?" "  drop column notes.body"

retort stamp head
echo "== stamp head: exit $?"
retort current
"$CLI_DB" tables "$URL"
retort stamp -1
echo "== stamp -1: exit $?"
retort current
retort stamp base
echo "== stamp base: exit $?"
retort current
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version"

echo "== a row no script defines"
"$CLI_DB" exec "$URL" "INSERT INTO alembic_version (version_num) VALUES ('0ld000000000')"
retort current
echo "exit $?"
retort stamp head
echo "== stamp head: exit $?"
retort stamp --purge 5a0000000001
echo "== stamp --purge: exit $?"
retort current
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version"
echo "== stamped, not run: the table of 5a0000000001 is made by hand"
retort upgrade head
echo "exit $?"
"$CLI_DB" exec "$URL" "CREATE TABLE notes (id BIGINT NOT NULL, CONSTRAINT pk_notes PRIMARY KEY (id))"
retort upgrade head
echo "exit $?"
"$CLI_DB" tables "$URL"
retort stamp
echo "== no target: exit $?"
