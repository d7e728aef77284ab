# An unknown command is a usage error (exit 2) listing the commands, with a
# suggestion when one is close.
"$RETORT" sqll
echo "exit status $?"
"$RETORT" upgrade head
echo "exit status $?"
