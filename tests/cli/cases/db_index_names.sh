# One index name in two tables, as MySQL's schemas write it (Sakila's
# idx_fk_film_id of film_actor and of inventory). The schema language
# scopes index and key names per table; the database decides whether two
# tables may share one: MariaDB scopes index names per table and takes
# them, PostgreSQL and SQLite keep them in one namespace per schema and
# would fail in the middle of the DDL, so retort refuses there before
# anything is written or run - sql create, revision --autogenerate, check
# and upgrade of a hand-written script alike - naming the name, both
# tables and the backend. A foreign key name is the reverse: InnoDB keeps
# it per database, so two tables sharing one is refused on MariaDB only.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions

cat >models.rt <<'MODELS'
table films {
  id     bigint  primary key
  title  text
}
table film_actors {
  film_id   bigint  references films(id)
  actor_id  bigint
  primary key (film_id, actor_id)
  index idx_fk_film_id (film_id)
}
table inventory {
  id       bigint  primary key
  film_id  bigint  references films(id)
  index idx_fk_film_id (film_id)
}
MODELS

echo "== sql create"
retort sql create
echo "exit $?"
echo "== revision --autogenerate"
retort -q revision --autogenerate -m "films" --rev-id b1000000000a
echo "exit $?"
ls $v
if [ -e $v/b1000000000a_films.rt ]; then
  sed -n '/^upgrade {$/,$p' $v/b1000000000a_films.rt
  retort -q upgrade head
  echo "upgrade exit $?"
  retort check
  echo "check exit $?"
  echo "== drop index names no table, then film_actors"
  retort -q revision -m "drop one" --rev-id b1000000000c >/dev/null
  fill $v/b1000000000c_*.rt "  drop index idx_fk_film_id" \
    "  create index idx_fk_film_id on film_actors (film_id)"
  retort -q upgrade head
  echo "upgrade exit $?"
  sed -i 's/^  drop index idx_fk_film_id$/& on film_actors/' $v/b1000000000c_*.rt
  retort -q upgrade head
  echo "upgrade exit $?"
  retort inspect 2>/dev/null | grep -E '^table|index'
  retort -q downgrade base
  echo "downgrade base exit $?"
  rm $v/*.rt
else
  echo "== check"
  retort check
  echo "exit $?"
fi

echo "== a hand-written script creating both"
retort -q revision -m "by hand" --rev-id b1000000000b >/dev/null
fill $v/b1000000000b_*.rt \
  "  create table films {\n    id  bigint  primary key\n  }\n  create table inventory {\n    id  bigint  primary key\n    film_id  bigint\n    index idx_fk_film_id (film_id)\n  }\n  create table film_actors {\n    film_id  bigint\n    index idx_fk_film_id (film_id)\n  }" \
  "  drop table film_actors\n  drop table inventory\n  drop table films"
retort -q upgrade head
echo "upgrade exit $?"
retort current
"$CLI_DB" tables "$URL"
retort -q downgrade base
rm $v/*.rt

echo "== one foreign key name in two tables"
cat >models.rt <<'MODELS'
table films {
  id  bigint  primary key
}
table film_actors {
  id       bigint  primary key
  film_id  bigint
  foreign key fk_film (film_id) references films(id)
}
table inventory {
  id       bigint  primary key
  film_id  bigint
  foreign key fk_film (film_id) references films(id)
}
MODELS
retort sql create >/dev/null
echo "sql create exit $?"
