# migrate.sh - sourced by the golden cases of the migration commands.
#
# The clock is fixed, so the `created` line of new scripts is the same on
# every run, and `retort` runs the command under test with the durations
# of its progress lines ("(3.1 ms)") written as "(N ms)".
RETORT_NOW="2024-09-14 16:38:00"
export RETORT_NOW

retort() {
  "$RETORT" "$@" 2>.retort-stderr
  status=$?
  sed -E 's/ \([0-9.]+ ms\)$/ (N ms)/' .retort-stderr >&2
  rm -f .retort-stderr
  return $status
}

# A new project: retort init, then retort.ini pointed at $URL (or at
# sqlite:///app.db in a case with no backend) and at models.rt.
new_project() {
  "$RETORT" -q init "${1:-migrations}" || exit 1
  sed -e "s|^url = .*|url = ${URL:-sqlite:///app.db}|" retort.ini >retort.ini.new &&
    mv retort.ini.new retort.ini
}

# fill FILE UPGRADE DOWNGRADE: puts an operation (\n for more lines) into
# the empty blocks of a script `retort revision` wrote.
fill() {
  awk -v up="$2" -v down="$3" '
    { print }
    /^upgrade \{$/ { print up }
    /^downgrade \{$/ { print down }' "$1" >"$1.new" && mv "$1.new" "$1"
}
