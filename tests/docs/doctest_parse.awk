# doctest_parse.awk - cuts a Markdown page into what doctest.sh runs (see
# its header for the markup). Writes into the folder `parts`:
#   session.sh      the bash text that runs every command and writes every
#                   file block, in the page's order
#   cmd.N line.N    command N as the page shows it, and its line
#   exp.N           the output the page shows for it
#   count           the number of commands
# Variables: backend (sqlite|postgresql), parts, from/to (text of the page
# replaced in commands and files: the database server's address).

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

function fail(msg) {
  printf "doctest: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
  failed = 1
  exit 1
}

function emit(text) { print text > (parts "/session.sh") }

# The command being read ends: it goes into the session.
function end_command() {
  if (cmd == "")
    return
  n++
  printf "%s\n", cmd > (parts "/cmd." n)
  close(parts "/cmd." n)
  printf "%d\n", cmd_line > (parts "/line." n)
  close(parts "/line." n)
  printf "%s", expected > (parts "/exp." n)
  close(parts "/exp." n)
  emit("(exit $__st); { " replace_all(cmd, from, to))
  emit("} >\"$OUT/" n ".out\" 2>\"$OUT/" n ".err\"; __st=$?; echo $__st >\"$OUT/" n ".status\"")
  cmd = ""
  expected = ""
  continued = 0
}

BEGIN { n = 0; mode = ""; cmd = ""; expected = ""; printf "" > (parts "/session.sh") }

# A fence opens or closes a block.
/^```/ {
  if (mode == "") {
    info = substr($0, 4)
    count = split(info, words, /[ \t]+/)
    lang = words[1]
    file = ""
    only = ""
    for (k = 2; k <= count; k++) {
      if (words[k] ~ /^file=/)
        file = substr(words[k], 6)
      else if (words[k] == "sqlite" || words[k] == "postgresql")
        only = words[k]
    }
    if (prev ~ /^<!-- doctest: skip/)
      mode = "skip"
    else if (only != "" && only != backend)
      mode = "skip"
    else if (file != "") {
      mode = "file"
      emit("cat >'" file "' <<'__DOCTEST_EOF__'")
    } else if (lang == "console")
      mode = "console"
    else if (lang ~ /^(sh|bash|shell|zsh|shell-session)$/)
      fail("a " lang " block whose commands no test runs: make it a console block with their output, or put <!-- doctest: skip (why) --> on the line before it")
    else
      mode = "other"
    prev = $0
    next
  }
  if ($0 == "```") {
    if (mode == "console") {
      if (continued)
        fail("the last command of the block ends in \\")
      end_command()
    } else if (mode == "file")
      emit("__DOCTEST_EOF__")
    mode = ""
    prev = $0
    next
  }
}

mode == "file" { emit(replace_all($0, from, to)) }

mode == "console" {
  if (continued) {
    cmd = cmd "\n" $0
    continued = ($0 ~ /\\$/)
  } else if (substr($0, 1, 2) == "$ ") {
    end_command()
    cmd = substr($0, 3)
    cmd_line = FNR
    continued = ($0 ~ /\\$/)
  } else if (cmd == "") {
    fail("output shown before any command of the block")
  } else {
    expected = expected $0 "\n"
  }
}

{ prev = $0 }

END {
  if (failed)
    exit 1
  if (mode != "")
    fail("a block is not closed")
  printf "%d\n", n > (parts "/count")
}
