# `retort gen` writes NAME.h and NAME.c into -o DIR (made with its parents
# when missing), NAME from the schema file's name or --name; a second run
# leaves files whose text did not change alone; --depfile lists the schema
# files read; the schema may come from retort.ini. A schema whose names
# clash in C, and a bad --name, fail.
mkdir schema
cat >schema/blog-models.rt <<'RT'
include 'enums.rt'
model Post {
  id     bigint primary key
  state  State default draft
  title  text
}
RT
cat >schema/enums.rt <<'RT'
enum State { draft, published }
RT
"$RETORT" --schema schema/blog-models.rt gen -o out/deep
echo "exit $?"
ls out/deep
head -1 out/deep/blog_models.h
grep -n "blog_models_models\|include \"" out/deep/blog_models.h out/deep/blog_models.c
"$RETORT" --schema schema/blog-models.rt gen -o out/deep
echo "exit $?"
"$RETORT" -q --schema "$PWD/schema/blog-models.rt" gen -o out --name blog --depfile out/blog.d
echo "exit $?"
ls out
sed "s|$PWD|\$PWD|g" out/blog.d
echo '--- the schema of retort.ini'
"$RETORT" -c "$SRC/examples/shop/retort.ini" gen -o shop
echo "exit $?"
grep -c '^struct ' shop/models.h
echo '--- a clash'
cat >clash.rt <<'RT'
enum Mood { happy, 'so-so', so_so }
RT
"$RETORT" --schema clash.rt gen -o clash
echo "exit $?"
[ -e clash ] || echo "(nothing written)"
echo '--- a bad name'
"$RETORT" --schema clash.rt gen --name 2x
echo "exit $?"
