# `retort gen --help` prints the command's usage on stdout and exits 0.
"$RETORT" gen --help
