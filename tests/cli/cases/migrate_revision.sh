# retort revision: an empty script and its file name, file_template with
# Alembic's time tokens, a template of the project's own, --depends-on
# and --branch-label, what --rev-id and the clock accept, autogenerate with
# no database (--against history), "No changes detected", a database
# behind the scripts, and renames: stated with --rename, warned about when
# no terminal can be asked.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions

echo "== an empty revision"
# (the id is random: masked, and the progress line shown on stdout)
retort revision -m "Create the account table!" 2>&1 | sed 's|/[0-9a-f]\{12\}_|/<rev>_|'
echo "exit $?"
ls $v | sed 's/^[0-9a-f]\{12\}_/<rev>_/'
sed 's/^revision  [0-9a-f]\{12\}$/revision  <rev>/' $v/*_create_the_account_table.rt
rm $v/*_create_the_account_table.rt

echo "== file_template with dates, a message over 40 characters"
sed 's/^file_template = .*/file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s/' \
  retort.ini >r.ini && mv r.ini retort.ini
retort revision -m "a message that is rather longer than forty characters" --rev-id 855e78fafd96
echo "exit $?"
retort -q revision -m "second" --rev-id 2222 --branch-label main --depends-on 855e
cat $v/*-2222_second.rt
retort heads
retort history -v

echo "== a template of the project's own"
printf '%s\n' '# ${message}' '# (made from our template)' '${header}' '' 'upgrade {' '${upgrade}' '}' '' 'downgrade {' '${downgrade}' '}' \
  >migrations/script.rt.tmpl
retort -q revision -m "third" --rev-id 3333
cat $v/*-3333_third.rt
printf '%s\n' '# ${message}' '${header}' 'upgrade {' '${upgrade}' '}' >migrations/script.rt.tmpl
retort revision -m "broken" --rev-id 4444
echo "== a template giving no downgrade: exit $?"
printf '%s\n' '# ${mesage}' >migrations/script.rt.tmpl
retort revision -m "broken" --rev-id 4444
echo "== an unknown placeholder: exit $?"
rm migrations/script.rt.tmpl
ls $v | grep -c 4444

echo "== what --rev-id, --branch-label and the clock accept"
retort revision -m "x" --rev-id 2222
echo "exit $?"
retort revision -m "x" --rev-id head
echo "exit $?"
retort revision -m "x" --rev-id "a-b"
echo "exit $?"
retort revision -m "x" --branch-label main --rev-id 5555
echo "exit $?"
retort revision -m "x" --depends-on 9999
echo "exit $?"
RETORT_NOW=yesterday retort revision -m "x"
echo "exit $?"
retort revision -m "x" --rename a.b=c
echo "exit $?"
rm $v/*.rt

echo "== autogenerate against the scripts, no database"
sed 's/^file_template = .*/file_template = %%(rev)s_%%(slug)s/' retort.ini >r.ini && mv r.ini retort.ini
sed 's|^url = .*|url = sqlite:///nothing/there.db|' retort.ini >r.ini && mv r.ini retort.ini
cat >models.rt <<'MODELS'
model User {
  id    bigint      primary key
  name  string(50)
  city  string(50)?
}
MODELS
retort revision --autogenerate --against history -m "users" --rev-id 0001
echo "exit $?"
retort revision --autogenerate --against history -m "again" --rev-id 0002
echo "exit $?"
ls $v
retort revision --autogenerate --against elsewhere -m "x"
echo "exit $?"

echo "== a rename, stated and not"
sed -e 's/^  name  string(50)$/  full_name  string(50)/' -e 's/^  city  string(50)?$/  town  string(50)?/' \
  models.rt >m.rt && mv m.rt models.rt
retort revision --autogenerate --against history -m "renames" --rev-id 0003 \
  --rename users.name=full_name </dev/null
echo "exit $?"
cat $v/0003_renames.rt
retort revision --autogenerate --against history -m "bad rename" --rename nonsense </dev/null
echo "exit $?"

echo "== against the database: it must be at the head"
sed 's|^url = .*|url = sqlite:///app.db|' retort.ini >r.ini && mv r.ini retort.ini
retort revision --autogenerate -m "more" --rev-id 0004
echo "exit $?"
retort -q upgrade head
retort revision --autogenerate -m "nothing" --rev-id 0004
echo "exit $?"
