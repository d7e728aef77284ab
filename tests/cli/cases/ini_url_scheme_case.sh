# A relative file URL in retort.ini names a file beside the ini, whatever
# the case of its scheme and with a driver suffix (as URLs read anywhere).
mkdir -p project
cat >project/s.rt <<'RT'
model Note {
  id    bigint  primary key
}
RT
printf '[retort]\nschema = s.rt\nurl = SQLite:///upper.db\n' >project/retort.ini
"$RETORT" -c project/retort.ini sql create --execute
printf '[retort]\nschema = s.rt\nurl = sqlite+pysqlite:///driver.db\n' >project/retort.ini
"$RETORT" -c project/retort.ini sql create --execute
ls . project
