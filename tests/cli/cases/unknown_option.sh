# Unknown options, before or after the command, and options missing their
# value are usage errors (exit 2) with a hint.
# needs: postgresql
"$RETORT" sql --bogus
echo "exit status $?"
"$RETORT" --bogus sql
echo "exit status $?"
"$RETORT" diagram -x
echo "exit status $?"
"$RETORT" sql --url
echo "exit status $?"
"$RETORT" sql create extra
echo "exit status $?"
"$RETORT" sql --execute=yes
echo "exit status $?"
"$RETORT" diagram --format png
echo "exit status $?"
"$RETORT" sql --dialect oracle
echo "exit status $?"
"$RETORT" sql alter
echo "exit status $?"
