# When Graphviz's dot fails, its own message shows and retort exits 1.
mkdir bin
printf '#!/bin/sh\ncat >/dev/null\necho "dot: syntax error in line 1" >&2\nexit 3\n' >bin/dot
chmod +x bin/dot
PATH="$PWD/bin:$PATH" "$RETORT" -c "$SRC/examples/shop/retort.ini" diagram --format svg -o x.svg
echo "exit status $?"
ls
