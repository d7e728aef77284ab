# `retort sql --help` prints the command's usage on stdout and exits 0;
# --help before the command name and -h say the same.
"$RETORT" sql --help >after
status=$?
"$RETORT" --help sql >before
"$RETORT" -h sql >short
cat after
cmp after before && cmp after short && echo "(the same with --help first, and with -h)"
exit $status
