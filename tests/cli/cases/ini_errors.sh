# Malformed retort.ini files: file:line: error: ..., exit 1; a line or a
# value is never echoed (it may hold a password).
try() {
  printf '%s\n' "$@" >bad.ini
  "$RETORT" -c bad.ini sql --dialect sqlite
  echo "exit status $?"
}
try '[retort]' 'postgresql//u@secret'
try 'schema = s.rt'
try '[retort' 'schema = s.rt'
try '[retort] x' 'schema = s.rt'
try '[]'
try '[retort]' 'schema = a' 'SCHEMA = b'
try '[retort]' '= value'
try '[retort]' '[retort]'
try '[other]' 'schema = s.rt'
try '[retort]' 'schema = ${NO_SUCH_VARIABLE_HERE}'
try '[retort]' 'schema = ${BROKEN'
try '[retort]' 'schema = ${1X}'
try '[retort]' 'schema = ${X-y}'
try '[retort]' 'schema = 50%'
try '[retort]' 'schema = %(nothing)s'
try '[retort]' 'schema = %(schema)s'
try '[retort]' 'schema = %(schema'
