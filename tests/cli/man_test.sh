#!/usr/bin/env bash
# man_test.sh - the man pages the build wrote: one for retort and one for
# each command `retort --help` lists, each what `retort help --man` prints
# today, each formatted by groff and man without a warning, with a NAME
# line that man-db's index reads, and naming every option the command's
# --help names.
#
#   man_test.sh RETORT MAN_DIR
set -uo pipefail

retort=${1:?usage: man_test.sh RETORT MAN_DIR}
dir=${2:?MAN_DIR missing}
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

command -v groff >/dev/null ||
  { echo "man_test: groff is not installed (Debian: apt-get install groff-base)" >&2; exit 1; }
[ -d "$dir" ] || { echo "man_test: $dir is missing (build the retort_manual target)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/retort-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# The commands, as `retort --help` lists them: "  name  summary".
"$retort" --help | sed -n '/^commands:$/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\)  *\(.*\)$/\1 \2/p' \
  >"$tmp/commands"
[ -s "$tmp/commands" ] || fail "retort --help lists no commands"

{
  echo retort.1
  while read -r name _; do echo "retort-$name.1"; done <"$tmp/commands"
} | sort >"$tmp/expected"
(cd "$dir" && ls) | sort >"$tmp/present"
diff -u "$tmp/expected" "$tmp/present" >&2 ||
  fail "the pages in $dir are not one per command listed by retort --help, and retort.1"

# check_page FILE NAME SUMMARY [COMMAND]
check_page() {
  local page=$1 name=$2 summary=$3 command=${4:-} warnings
  [ -f "$page" ] || { fail "$page is missing"; return; }
  # shellcheck disable=SC2086
  "$retort" help --man $command | cmp -s - "$page" ||
    fail "$page is not what 'retort help --man $command' prints (rebuild)"
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  [ -z "$warnings" ] || fail "groff warns about $page: $warnings"
  if command -v man >/dev/null; then
    warnings=$(LC_ALL=C MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man warns about $page: $warnings"
  fi
  if command -v lexgrog >/dev/null; then
    local whatis
    whatis=$(LC_ALL=C lexgrog "$page" 2>&1)
    [ "$whatis" = "$page: \"$name - $summary\"" ] ||
      fail "the NAME section of $page reads as: $whatis"
  fi
  # Every option --help names is on the page.
  local text option
  text=$(groff -man -Tascii -P-cbou -rLL=300n "$page" 2>/dev/null)
  # shellcheck disable=SC2086
  for option in $("$retort" $command --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -e "$option\b" <<<"$text" || fail "$page does not mention $option"
  done
  echo "ok: $page"
}

check_page "$dir/retort.1" retort "$("$retort" help --man | sed -n '/^\.SH NAME$/{n;s/^retort \\- //p;}')"
while read -r name summary; do
  check_page "$dir/retort-$name.1" "retort-$name" "$summary" "$name"
done <"$tmp/commands"

# A page that is not well-formed roff fails: the test can fail.
printf '.TH X 1\n.SH NAME\nx \\- y\n.BOGUS\n' >"$tmp/bad.1"
[ -n "$(groff -man -Tutf8 -ww -z "$tmp/bad.1" 2>&1)" ] ||
  fail "groff -ww did not warn about an undefined macro: the check above proves nothing"

if [ "$failures" -gt 0 ]; then
  echo "man_test: $failures failure(s)" >&2
  exit 1
fi
echo "man_test: passed"
