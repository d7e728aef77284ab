# --help lists the commands and the global options on stdout.
"$RETORT" --help
