#!/bin/sh
# compile_generated.sh - `retort gen` for a schema, then its header and
# source compiled as strict C11 with every warning an error; a second run
# must leave both files untouched (same bytes, so not rewritten).
#
#   compile_generated.sh RETORT SCHEMA WORK_DIR CC INCLUDE_DIR
set -eu

retort=$1 schema=$2 work=$3 cc=$4 include=$5
flags="-std=c11 -Wall -Wextra -pedantic -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes"

rm -rf "$work"
mkdir -p "$work"
"$retort" --schema "$schema" gen -o "$work/out" --name models
"$cc" $flags -I"$include" -fsyntax-only -x c "$work/out/models.h"
"$cc" $flags -I"$include" -I"$work/out" -c "$work/out/models.c" -o "$work/models.o"
# A program's view: every model in the set, reached through the header.
cat >"$work/use.c" <<'C'
#include "models.h"
int count_models(void);
int count_models(void)
{
	int columns = 0;
	for (int i = 0; i < models_models.model_count; i++)
		columns += models_models.models[i]->column_count;
	return columns;
}
C
"$cc" $flags -I"$include" -I"$work/out" -c "$work/use.c" -o "$work/use.o"
# Columns compared with columns: one kind compiles, two kinds must not.
cat >"$work/same_kind.c" <<'C'
#include "retort/orm.h"
rt_expr *compare(rt_query *q, rt_int_column a, rt_int_column b);
rt_expr *compare(rt_query *q, rt_int_column a, rt_int_column b)
{
	return rt_and(q, rt_lt_col(q, a, b), rt_eq_col(q, rt_alias_col(NULL, a), b));
}
C
"$cc" $flags -I"$include" -c "$work/same_kind.c" -o "$work/same_kind.o"
sed 's/rt_int_column b)/rt_text_column b)/g' "$work/same_kind.c" >"$work/kinds_differ.c"
if "$cc" $flags -I"$include" -c "$work/kinds_differ.c" -o "$work/kinds_differ.o" 2>/dev/null; then
  echo "compile_generated: an int column compared with a text column compiled" >&2
  exit 1
fi

cp "$work/out/models.h" "$work/first.h"
cp "$work/out/models.c" "$work/first.c"
touch -d '2000-01-01' "$work/out/models.h" "$work/out/models.c"
"$retort" --schema "$schema" gen -o "$work/out" --name models 2>"$work/second.log"
cat "$work/second.log"
cmp "$work/first.h" "$work/out/models.h"
cmp "$work/first.c" "$work/out/models.c"
if [ -n "$(find "$work/out" -name 'models.*' -newer "$work/first.c")" ]; then
  echo "compile_generated: the second run rewrote files it did not change" >&2
  exit 1
fi
rm -rf "$work"
echo "compile_generated: $schema compiles with $cc"
