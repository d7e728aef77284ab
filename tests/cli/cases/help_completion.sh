# The help of `retort completion`.
"$RETORT" completion --help | sed '/^global options:$/,$d'
