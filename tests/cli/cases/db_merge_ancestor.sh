# A merge joins separate branches: `retort merge` refuses a revision
# together with its own ancestor (directly, through a prefix, or through
# depends, named by its branch label) and writes nothing. A merge script of that shape written by
# hand still upgrades, and downgrading it never leaves the version table
# holding a revision and its ancestor as two heads.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions

retort -q revision -m "create notes" --rev-id 3e0000000001
fill $v/3e0000000001_create_notes.rt \
  "  create table notes {\n    id  bigint  primary key\n  }" "  drop table notes"
retort -q revision -m "note body" --rev-id 3e0000000002
fill $v/3e0000000002_note_body.rt "  add column notes.body text?" "  drop column notes.body"
retort -q revision -m "note title" --rev-id 3e0000000003 --depends-on 3e0000000001 \
  --head base --branch-label titles
fill $v/3e0000000003_note_title.rt "  add column notes.title text?" "  drop column notes.title"

echo "== merge a revision with its descendant"
retort merge -m "bad" 3e0000000001 3e0000000002 --rev-id 3e00000000ff
echo "exit $?"
echo "== in the other order"
retort merge -m "bad" 3e0000000002 3e0000000001 --rev-id 3e00000000ff
echo "exit $?"
echo "== a branch label whose revision depends on it"
retort merge -m "bad" titles 3e0000000001 --rev-id 3e00000000ff
echo "exit $?"
ls $v

echo "== the heads of separate branches merge"
retort merge -m "join" heads --rev-id 3e0000000004
echo "exit $?"
retort heads

echo "== a merge of a revision and its ancestor, written by hand"
cat >$v/3e0000000005_hand_merge.rt <<'RT'
# hand merge
revision  3e0000000005
revises   3e0000000004 3e0000000002

upgrade {
}

downgrade {
}
RT
retort upgrade head
echo "== upgrade head: exit $?"
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version"
retort downgrade -1
echo "== downgrade -1: exit $?"
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version ORDER BY version_num"
retort current
retort downgrade -1
echo "== downgrade -1: exit $?"
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version ORDER BY version_num"
retort upgrade head
echo "== upgrade head: exit $?"
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version"
retort downgrade base
echo "== downgrade base: exit $?"
"$CLI_DB" query "$URL" "SELECT count(*) FROM alembic_version"
