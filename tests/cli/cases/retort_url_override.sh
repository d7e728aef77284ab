# Where the URL comes from: --url beats RETORT_URL beats retort.ini.
# needs: postgresql
cat >s.rt <<'RT'
model Tag {
  id    bigint  primary key
  name  string(30)
}
RT
printf '[retort]\nschema = s.rt\nurl = sqlite:///ini.db\n' >retort.ini
"$RETORT" -v sql create
RETORT_URL=postgresql://app:secret@db.example/app "$RETORT" -v sql create
RETORT_URL=postgresql://app:secret@db.example/app "$RETORT" -v sql create --url sqlite:///cli.db
