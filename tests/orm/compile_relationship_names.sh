#!/bin/sh
# compile_relationship_names.sh - the relationship handles `retort gen`
# writes (Author_r.books) are checked by the compiler: a program naming a
# relationship that exists compiles, the same program with the name
# misspelt does not, and the compiler's message names the misspelling.
#
#   compile_relationship_names.sh RETORT SCHEMA WORK_DIR CC INCLUDE_DIR
set -eu

retort=$1 schema=$2 work=$3 cc=$4 include=$5
flags="-std=c11 -Wall -Wextra -pedantic -Werror"

rm -rf "$work"
mkdir -p "$work"
"$retort" --schema "$schema" gen -o "$work/out" --name models >/dev/null 2>&1

program() {
	cat <<C
#include "models.h"
int use(rt_query *q, Author *a, Book *b);
int use(rt_query *q, Author *a, Book *b)
{
	int rc = rt_query_join_rel(q, Author_r.$1);
	if (rc == RT_OK)
		rc = rt_query_eager_rel(q, Author_r.bio);
	if (rc == RT_OK)
		rc = rt_object_link_rel(a, Author_r.books, b);
	return rc == RT_OK ? rt_object_load_rel(a, Author_r.tags) : rc;
}
C
}

program books >"$work/good.c"
"$cc" $flags -I"$include" -I"$work/out" -c "$work/good.c" -o "$work/good.o"

program bookz >"$work/bad.c"
if "$cc" $flags -I"$include" -I"$work/out" -c "$work/bad.c" -o "$work/bad.o" \
	2>"$work/bad.log"; then
	echo "compile_relationship_names: Author_r.bookz compiled" >&2
	exit 1
fi
if ! grep -q "bookz" "$work/bad.log"; then
	echo "compile_relationship_names: the compiler's message does not name bookz:" >&2
	cat "$work/bad.log" >&2
	exit 1
fi
rm -rf "$work"
echo "compile_relationship_names: a misspelt relationship does not compile with $cc"
