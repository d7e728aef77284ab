# No command at all: a usage error.
"$RETORT"
echo "exit status $?"
"$RETORT" -q -v
echo "exit status $?"
