# A schema with errors: every diagnostic, in full, and exit 1.
cat >broken.rt <<'RT'
model User {
  id     bigint  primary key
  name   strng(50)
  email  string(255)? unique unique
}
RT
"$RETORT" --schema broken.rt sql --dialect sqlite
echo "exit status $?"
