# retort init: the folder, its README and template, retort.ini beside it;
# the embedded template's extra files; and what init refuses: an existing
# retort.ini, a folder that is not empty, an unknown template, no folder.
. "$SRC/tests/cli/migrate.sh"

retort init migrations
echo "== exit $?"
find . -type f -o -type d | sort
echo "== retort.ini"
cat retort.ini
echo "== migrations/README"
cat migrations/README
echo "== migrations/script.rt.tmpl"
cat migrations/script.rt.tmpl
echo "== the new project works"
retort history
echo "== exit $?"

retort init other
echo "== retort.ini exists: exit $?"
mkdir full && touch full/x
retort -c full.ini init full
echo "== full folder: exit $?"
ls full.ini 2>&1

mkdir app
cd app || exit 1
retort init -t embedded db/migrations/
echo "== embedded: exit $?"
find . -type f | sort
echo "== db/migrations/migrate.c"
cat db/migrations/migrate.c
echo "== db/migrations/migrations.cmake"
cat db/migrations/migrations.cmake
echo "== db/migrations/migrations.mk"
cat db/migrations/migrations.mk
echo "== db/migrations/README (the embedded part)"
tail -n 13 db/migrations/README
cd ..

mkdir elsewhere
retort -c elsewhere/retort.ini init -t embedded mig2
echo "== -c elsewhere: exit $?"
grep '^script_location' elsewhere/retort.ini
grep -- '-c ' mig2/migrations.cmake

retort init -t fancy x
echo "== unknown template: exit $?"
retort init
echo "== no folder: exit $?"
retort -c nowhere/retort.ini init mig3
echo "== no folder for retort.ini: exit $?"
ls -d mig3 2>&1
