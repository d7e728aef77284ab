# `retort inspect --help` prints the command's usage on stdout and exits 0;
# --help before the command name and -h say the same.
"$RETORT" inspect --help >after
status=$?
"$RETORT" --help inspect >before
"$RETORT" -h inspect >short
cat after
cmp after before && cmp after short && echo "(the same with --help first, and with -h)"
exit $status
