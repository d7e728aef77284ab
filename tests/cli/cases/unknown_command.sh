# An unknown command is a usage error (exit 2) listing the commands, with a
# suggestion when one is close.
"$RETORT" sqll
echo "exit status $?"
"$RETORT" frobnicate head
echo "exit status $?"
