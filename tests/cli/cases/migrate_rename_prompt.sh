# revision --autogenerate on a terminal asks about a likely rename, as
# Django does: answered yes it writes a rename (the rows stay), answered no
# (or just Enter) a drop and an add. `script` gives the command a terminal;
# what the terminal shows is left out (the echo of the answer may come
# before or after the question), the scripts written are shown.
. "$SRC/tests/cli/migrate.sh"
command -v script >/dev/null || { echo "script(1) is missing"; exit 1; }
new_project
v=migrations/versions
printf '%s\n' 'model User {' '  id    bigint      primary key' '  name  string(50)' '}' >models.rt
retort -q revision --autogenerate -m "init" --rev-id aaaaaaaaaaaa
retort -q upgrade head
sed 's/^  name  string(50)$/  full_name  string(50)/' models.rt >m.rt && mv m.rt models.rt

echo "== answered y"
printf 'y\n' | script -qec "\"$RETORT\" -q revision --autogenerate -m renamed --rev-id bbbbbbbbbbbb" /dev/null >/dev/null
sed -n '/^upgrade {$/,$p' $v/bbbbbbbbbbbb_renamed.rt
rm $v/bbbbbbbbbbbb_renamed.rt

echo "== answered with Enter"
printf '\n' | script -qec "\"$RETORT\" -q revision --autogenerate -m replaced --rev-id cccccccccccc" /dev/null >/dev/null
sed -n '/^upgrade {$/,$p' $v/cccccccccccc_replaced.rt
