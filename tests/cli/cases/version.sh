# --version prints the version on stdout, before or after a command.
"$RETORT" --version
"$RETORT" sql --version
