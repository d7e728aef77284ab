# The keys of retort.ini the migration commands read, and what they say
# about a missing or malformed one; --lock-timeout's value.
. "$SRC/tests/cli/migrate.sh"

echo "== no retort.ini"
retort current
echo "exit $?"
echo "== no script_location"
printf '[retort]\nurl = sqlite:///app.db\n' >retort.ini
retort history
echo "exit $?"
echo "== a folder that does not exist"
printf '[retort]\nscript_location = nowhere\n' >retort.ini
retort heads
echo "exit $?"
rm retort.ini

new_project
retort -q revision -m "first" --rev-id 1000
echo "== transaction_per_revision = maybe"
sed 's/^transaction_per_revision = .*/transaction_per_revision = maybe/' retort.ini >r.ini && mv r.ini retort.ini
retort upgrade head
echo "exit $?"
sed 's/^transaction_per_revision = .*/transaction_per_revision = On/' retort.ini >r.ini && mv r.ini retort.ini
echo "== lock_timeout = soon"
sed 's/^lock_timeout = .*/lock_timeout = soon/' retort.ini >r.ini && mv r.ini retort.ini
retort upgrade head
echo "exit $?"
sed 's/^lock_timeout = .*/lock_timeout = 0.5/' retort.ini >r.ini && mv r.ini retort.ini
echo "== --lock-timeout"
retort upgrade head --lock-timeout never
echo "exit $?"
retort upgrade head --lock-timeout 2.5
echo "exit $?"
echo "== version_table: another table, so the database starts at base again"
sed 's/^version_table = .*/version_table = schema_version/' retort.ini >r.ini && mv r.ini retort.ini
retort current
echo "exit $?"
retort -q upgrade head
retort current
"$CLI_DB" query sqlite:///app.db "SELECT version_num FROM schema_version"
echo "== a target is needed"
retort downgrade
echo "exit $?"
