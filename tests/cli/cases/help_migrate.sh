# The help of each migration command.
for command in init revision merge upgrade downgrade stamp current history heads branches \
               show check embed; do
  echo "==== retort $command --help"
  "$RETORT" $command --help | sed '/^global options:$/,$d'
done
