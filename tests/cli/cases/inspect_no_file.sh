# Inspecting a SQLite file that does not exist is an error, and leaves no
# empty database behind.
"$RETORT" --url sqlite:///missing.db inspect
echo "exit status $?"
ls
