# retort init -t async: the embedded template's build rules with the
# start-up of an event-loop program (migrate.c starts the non-blocking
# upgrade, main.c runs the loop), the README's part for it, and the same
# refusals as the other templates. tests/embed/async_test.sh builds and
# runs what it writes on every backend.
. "$SRC/tests/cli/migrate.sh"

mkdir app
cd app || exit 1
retort init -t async db/migrations/
echo "== async: exit $?"
find . -type f -o -type d | sort
echo "== db/migrations/main.c"
cat db/migrations/main.c
echo "== db/migrations/migrate.c"
cat db/migrations/migrate.c
echo "== db/migrations/migrations.cmake"
cat db/migrations/migrations.cmake
echo "== db/migrations/migrations.mk"
cat db/migrations/migrations.mk
echo "== db/migrations/README (the async part)"
tail -n 16 db/migrations/README
echo "== the new project works"
retort history
echo "== exit $?"
cd ..

mkdir full && touch full/x
retort -c full.ini init -t async full
echo "== full folder: exit $?"
ls full full.ini 2>&1
retort init -t asynch x
echo "== unknown template: exit $?"
