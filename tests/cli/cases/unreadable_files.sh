# Files that must not be read: a device that never ends, a FIFO, a folder,
# a file past the size limit, and a file that is not a schema (a copy of a
# fake password file) -- as --schema, as an include, as retort.ini and as
# a migration script. Each ends at once with a clear error naming the
# file; nothing of a file that is not a schema or a script is shown.
printf 'root:$6$rT9sQ2xYz$FAKEfakeFAKEhashNotARealSecret0123456789:19700:0:99999:7:::\n' >shadow
mkfifo fifo.rt
mkdir folder.rt
: >big.rt
truncate -s 17M big.rt
sql() {
  timeout 10 "$RETORT" "$@" sql --dialect sqlite
  echo "exit status $?"
}
echo "== --schema"
for f in /dev/zero fifo.rt folder.rt big.rt shadow; do
  sql --schema "$f"
done
echo "== include"
for f in /dev/zero fifo.rt folder.rt big.rt shadow; do
  printf "include '%s'\n\nmodel Post {\n  id  bigint  primary key\n}\n" "$f" >models.rt
  sql --schema models.rt
done
echo "== retort.ini"
for f in /dev/zero fifo.rt folder.rt shadow; do
  sql -c "$f"
done
echo "== a migration script"
"$RETORT" -q init migrations || exit 1
cp shadow migrations/versions/0001_secret.rt
timeout 10 "$RETORT" history
echo "exit status $?"
rm migrations/versions/0001_secret.rt
mkfifo migrations/versions/0002_fifo.rt
timeout 10 "$RETORT" history
echo "exit status $?"
