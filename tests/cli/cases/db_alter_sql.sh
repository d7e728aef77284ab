# --sql of the operations whose SQL differs most between databases: a
# column's type (with the casts a conversion needs, or the script's
# `using`), NULL-ness and server default changed in place or by a table
# rebuild, an index dropped, table and column comments set and removed,
# and an autoincrementing key. The text is each dialect's; the script is
# the same on all. MariaDB converts a column's values itself: the
# revision with a `using` of its own is refused there, by name.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
retort -q revision -m "create posts" --rev-id a17000000001
fill $v/a17000000001_create_posts.rt \
  "  create enum Mood { happy, sad }\n  create table posts {\n    comment 'what people wrote'\n    id     bigint      primary key autoincrement\n    title  string(80)  server default 'untitled' comment 'shown in lists'\n    score  string(10)?\n    rank   int\n    mood   text?\n    body   string(100)?  index\n  }" \
  "  drop table posts\n  drop enum Mood"
retort -q revision -m "alter posts" --rev-id a17000000002
fill $v/a17000000002_alter_posts.rt \
  "  alter column posts.title null drop server default comment 'the title'\n  alter column posts.score type int not null server default 0\n  alter column posts.mood type Mood server default 'happy'\n  alter column posts.body drop comment type string(200)\n  alter table posts drop comment\n  drop index ix_posts_body" \
  "  create index ix_posts_body on posts (body)\n  alter table posts comment 'what people wrote'\n  alter column posts.body type string(100)\n  alter column posts.mood type text drop server default\n  alter column posts.score type string(10) null drop server default\n  alter column posts.title not null server default 'untitled' comment 'shown in lists'"
retort -q revision -m "rescale rank" --rev-id a17000000003
fill $v/a17000000003_rescale_rank.rt \
  "  alter column posts.rank type bigint using 'rank * 10' null" \
  "  alter column posts.rank type int using 'rank / 10' not null"

echo "== upgrade head --sql"
retort upgrade head --sql
echo "exit $?"
echo "== downgrade head:a17000000002 --sql"
retort downgrade head:a17000000002 --sql
echo "exit $?"
echo "== downgrade a17000000002:base --sql"
retort downgrade a17000000002:base --sql
echo "exit $?"
