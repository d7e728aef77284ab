# `retort completion` needs a shell it knows: bash.
"$RETORT" completion
echo "exit $?"
"$RETORT" completion zsh
echo "exit $?"
"$RETORT" completion bash | head -n 2
"$RETORT" -q completion bash -o retort.bash
echo "exit $?"
grep -c '^complete -F _retort retort$' retort.bash
