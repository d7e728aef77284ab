# doctest_normalise.awk - what doctest.sh compares: the text with the
# test's own paths and server written as the page writes them (from -> to,
# home -> ~), durations as "(N ms)", dates and times as "YYYY-MM-DD
# hh:mm:ss", no trailing blanks, no empty lines at the end.

function replace_all(s, a, b,    out, k) {
  if (a == "" || a == b)
    return s
  out = ""
  while ((k = index(s, a)) > 0) {
    out = out substr(s, 1, k - 1) b
    s = substr(s, k + length(a))
  }
  return out s
}

{
  line = replace_all($0, from, to)
  line = replace_all(line, home, "~")
  gsub(/\([0-9]+(\.[0-9]+)? ms\)/, "(N ms)", line)
  gsub(/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T][0-9][0-9]:[0-9][0-9]:[0-9][0-9](\.[0-9]+)?/,
       "YYYY-MM-DD hh:mm:ss", line)
  sub(/[ \t]+$/, "", line)
  lines[++n] = line
}

END {
  while (n > 0 && lines[n] == "")
    n--
  for (k = 1; k <= n; k++)
    print lines[k]
}
