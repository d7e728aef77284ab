# The head of the man pages, as `retort help --man` renders them in roff:
# retort(1)'s title line, NAME and SYNOPSIS, then a command's. The whole
# pages are checked by cli_man_pages (tests/cli/man_test.sh).
"$RETORT" help --man | sed '/^\.SH DESCRIPTION$/,$d'
echo "==== retort help --man upgrade"
"$RETORT" help --man upgrade | sed '/^\.SH DESCRIPTION$/,$d'
echo "==== retort help --man revision"
"$RETORT" help --man revision | sed -n '/^\.SH SYNOPSIS$/,/^\.SH DESCRIPTION$/p'
echo "==== retort help sql: the same as retort sql --help"
"$RETORT" sql --help >expected
"$RETORT" help sql | cmp - expected && echo same
echo "==== an unknown command"
"$RETORT" help --man nosuch
echo "exit $?"
