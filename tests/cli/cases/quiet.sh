# Progress goes to stderr ("INFO  ..."); -q silences it; data stays on stdout.
cat >s.rt <<'RT'
model Tag {
  id  bigint  primary key
}
RT
"$RETORT" --schema s.rt --url sqlite:///tags.db sql create --execute
"$RETORT" --url sqlite:///tags.db inspect -o tags.rt
"$RETORT" -q --url sqlite:///tags.db inspect -o tags.rt
"$RETORT" --quiet --url sqlite:///tags.db inspect
"$RETORT" --schema s.rt --url sqlite:///tags.db sql drop --execute -q
