# doctest_match.awk - whether the output a page shows (the first file) is
# what a command printed: its stdout (second file) and stderr (third file)
# interleaved, each in its own order, as a terminal shows them. Exit 0 when
# it is; else 1, saying from which line of the page on it cannot be.

BEGIN { nw = 0; no = 0; ne = 0 }

FILENAME == ARGV[1] { want[++nw] = $0; next }
FILENAME == ARGV[2] { out[++no] = $0; next }
FILENAME == ARGV[3] { err[++ne] = $0; next }

END {
  # ok[i, o]: the first i lines shown are the first o lines of stdout and
  # the first i - o of stderr.
  ok[0, 0] = 1
  best = 0
  for (i = 0; i < nw; i++) {
    for (o = 0; o <= i && o <= no; o++) {
      if (!ok[i, o])
        continue
      e = i - o
      if (o < no && out[o + 1] == want[i + 1])
        ok[i + 1, o + 1] = 1
      if (e < ne && err[e + 1] == want[i + 1])
        ok[i + 1, o] = 1
    }
    reached = 0
    for (o = 0; o <= i + 1 && o <= no; o++)
      if (ok[i + 1, o])
        reached = 1
    if (!reached) {
      printf "line %d of the output shown, \"%s\", is not the next line of stdout or of stderr\n", i + 1, want[i + 1]
      exit 1
    }
  }
  if (nw >= no && ok[nw, no] && nw - no == ne)
    exit 0
  if (no + ne > nw)
    printf "the command printed %d more line(s) than the page shows\n", no + ne - nw
  else
    print "the output shown does not match stdout and stderr"
  exit 1
}
