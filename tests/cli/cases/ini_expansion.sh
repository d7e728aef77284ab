# retort.ini values: ${VAR:-default}, ${VAR}, %% and %(key)s, paths relative
# to the file's folder.
mkdir -p project/db
cat >project/s.rt <<'RT'
model Note {
  id    bigint  primary key
  text  text
}
RT
cat >project/retort.ini <<'INI'
; the settings of the test project
[DEFAULT]
folder = db

[retort]
schema = s.rt
url = ${CLI_TEST_URL:-sqlite:///%(folder)s/100%%.db}
file_template = %%(rev)s_%%(slug)s
INI
# The default: a file in project/db, named with a literal %.
"$RETORT" -c project/retort.ini sql create --execute
ls project/db
# The variable, when set, wins; its text is taken as it is (no %-expansion).
CLI_TEST_URL=sqlite:///other%41.db "$RETORT" -c project/retort.ini sql create --execute
ls project project/db
# Set but empty: the default again.
CLI_TEST_URL= "$RETORT" -v -c project/retort.ini sql drop --execute
