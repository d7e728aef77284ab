#!/usr/bin/env bash
# completion_test.sh - the bash completion script: the one the build wrote
# is what `retort completion bash` prints, and sourced in bash it completes
# commands, options, option values, file names and the revisions of a
# project's scripts.
#
#   completion_test.sh RETORT COMPLETION_FILE
set -uo pipefail

retort=${1:?usage: completion_test.sh RETORT COMPLETION_FILE}
script=${2:?COMPLETION_FILE missing}
# Absolute: the test runs in a folder of its own.
retort=$(cd "$(dirname "$retort")" && pwd)/$(basename "$retort")
script=$(cd "$(dirname "$script")" && pwd)/$(basename "$script")
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

[ -f "$script" ] || { echo "completion_test: $script is missing" >&2; exit 1; }
"$retort" completion bash | cmp -s - "$script" ||
  fail "$script differs from what 'retort completion bash' prints (rebuild)"
bash -n "$script" || fail "$script is not valid bash"

# shellcheck source=/dev/null
source "$script"
complete -p retort >/dev/null 2>&1 || fail "the script does not register 'complete -F ... retort'"

# expect "WANTED" WORD...: completes the last WORD (the cursor is at its
# end; words are split as bash splits them, '=' a word of its own) and
# compares the sorted candidates, one line joined by spaces.
expect() {
  local wanted=$1 got
  shift
  COMP_WORDS=("$retort" "${@:2}")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="retort ${*:2}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _retort
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort -u | paste -sd' ' -)
  if [ "$got" = "$wanted" ]; then
    echo "ok: retort ${*:2} -> $got"
  else
    fail "retort ${*:2}: expected '$wanted', got '$got'"
  fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/retort-completion.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# Commands.
expect "upgrade" retort up
expect "check completion current" retort c
expect "diagram downgrade" retort -q d
expect "downgrade" retort -c retort.ini do
# Options: the command's own and the global ones, once each.
expect "--config --help --ignore-checksums --lock-timeout --quiet --schema --sql --url --verbose --version" \
  retort upgrade --
expect "--against" retort check --ag
expect "--verbose --version" retort current --ver
expect "--config --help --quiet --schema --url --verbose --version" retort --
# Option values: choices, with the value a word of its own or after '='.
# The backends are those of this build (RETORT_BUILT_BACKENDS), sorted.
dialects=$(printf '%s\n' ${RETORT_BUILT_BACKENDS:?} | sort | paste -sd' ' -)
expect "$dialects" retort sql --dialect ""
expect "$(printf '%s\n' $dialects | grep '^p' | paste -sd' ' -)" retort sql --dialect p
expect "$dialects" retort sql --dialect =
expect "sqlite" retort sql --dialect = s
expect "--dialect=sqlite" retort sql --dialect=s
expect "dot mermaid svg" retort diagram --format ""
expect "async embedded generic" retort init -t ""
expect "database history" retort revision --autogenerate --against ""
# A file backend's URL starts name:///, a server's name://.
urls=$(for b in $RETORT_BUILT_BACKENDS; do
  case $b in sqlite) echo "$b:///" ;; *) echo "$b://" ;; esac
done | sort | paste -sd' ' -)
expect "$urls" retort --url ""
# A value with nothing to complete gets nothing, not the options.
expect "" retort revision -m ""
expect "" retort upgrade --lock-timeout ""
# Arguments.
expect "create drop" retort sql ""
expect "drop" retort sql --dialect sqlite d
expect "" retort sql create ""
expect "bash" retort completion ""
# Files: -c, --schema, -o.
mkdir sub
touch models.rt other.ini
expect "models.rt" retort --schema mo
expect "other.ini" retort -c oth
expect "sub" retort gen -o s
expect "sub" retort init s

# Revisions: head, heads, base and the scripts' ids and labels, read from
# the project that -c names.
mkdir project
(cd project && "$retort" -q init migrations >/dev/null &&
  RETORT_NOW="2024-09-14 16:38:00" "$retort" -q revision -m one --rev-id 1a2b3c4d5e6f >/dev/null &&
  RETORT_NOW="2024-09-14 16:38:00" "$retort" -q revision -m two --rev-id 7f8e9d0c1b2a \
    --branch-label feature >/dev/null) || fail "could not make a project"
expect "1a2b3c4d5e6f 7f8e9d0c1b2a base feature feature@head head heads" \
  retort -c project/retort.ini upgrade ""
expect "7f8e9d0c1b2a" retort downgrade -c project/retort.ini 7
expect "1a2b3c4d5e6f" retort --config=project/retort.ini stamp 1
expect "1a2b3c4d5e6f" retort --config = project/retort.ini show 1
expect "feature feature@head" retort -c project/retort.ini revision --head f
expect "" retort -c project/retort.ini upgrade head ""
# Without scripts, the names that always work.
expect "base head heads" retort upgrade ""

if [ "$failures" -gt 0 ]; then
  echo "completion_test: $failures failure(s)" >&2
  exit 1
fi
echo "completion_test: passed"
