/*
 * completion.c - `retort completion bash`: a bash completion script made
 * from the command table, so it offers exactly the commands and options
 * --help lists.
 *
 * The script is in two parts: functions generated from the tables (which
 * options take a value and what it can be, each command's options, what
 * its arguments can be) and a fixed part that reads the command line and
 * completes. It needs bash 4 and nothing else (bash-completion, when
 * installed, loads it on first use). Revisions are read by running
 * `retort -q history -v` with the -c FILE of the command line, which
 * reads only the scripts.
 */
#include <string.h>

#include "cli.h"
#include "dialect/registry.h"

/* What an option's value can be (cli.h): its values, else by its arg. */
static const char *value_spec(const cli_option *option)
{
	static const struct {
		const char *arg, *spec;
	} by_arg[] = {{"FILE", "@file"}, {"DIR", "@dir"}, {"REV", "@revision"}, {"URL", "@url"}};
	if (option->values)
		return option->values;
	for (size_t i = 0; i < sizeof(by_arg) / sizeof(by_arg[0]); i++)
		if (strcmp(option->arg, by_arg[i].arg) == 0)
			return by_arg[i].spec;
	return "";
}

/* "c:-x|c:--name" for the case patterns; c is "*" for every command. */
static void option_pattern(rt_buf *out, const char *command, const cli_option *option)
{
	if (option->letter)
		rt__buf_printf(out, "%s:-%c|", command, option->letter);
	rt__buf_printf(out, "%s:--%s", command, option->name);
}

/* The cases of one table: its flags (no value) together, then one case
 * per option that takes a value. */
static void value_cases(rt_buf *out, const char *command, const cli_option *options)
{
	bool flags = false;
	for (size_t i = 0; options && options[i].name; i++) {
		if (options[i].arg)
			continue;
		rt__buf_puts(out, flags ? "|" : "\t");
		option_pattern(out, command, &options[i]);
		flags = true;
	}
	if (flags)
		rt__buf_puts(out, ") return 1 ;;\n");
	for (size_t i = 0; options && options[i].name; i++) {
		if (!options[i].arg)
			continue;
		rt__buf_putc(out, '\t');
		option_pattern(out, command, &options[i]);
		rt__buf_printf(out, ") spec='%s' ;;\n", value_spec(&options[i]));
	}
}

static bool is_global(const cli_option *option)
{
	for (size_t i = 0; cli_global_options[i].name; i++)
		if (strcmp(cli_global_options[i].name, option->name) == 0 &&
		    cli_global_options[i].letter == option->letter)
			return true;
	return false;
}

/* " -x --name" for each option; a command's option that looks like a
 * global one (current -v) is written once, with the global ones. */
static void option_words(rt_buf *out, const cli_option *options, bool skip_global)
{
	for (size_t i = 0; options && options[i].name; i++) {
		if (skip_global && is_global(&options[i]))
			continue;
		if (options[i].letter)
			rt__buf_printf(out, " -%c", options[i].letter);
		rt__buf_printf(out, " --%s", options[i].name);
	}
}

/* The backends this build has: their names for @dialect, the start of
 * their URLs for @url (name:/// for a file, name:// for a server). */
static void backend_words(rt_buf *out)
{
	const rt_backend *b;
	rt__buf_puts(out, "_retort_dialects='");
	for (size_t i = 0; (b = rt__backend_at(RT_BACKENDS_BUILT, i)) != NULL; i++)
		rt__buf_printf(out, "%s%s", i ? " " : "", b->name);
	rt__buf_puts(out, "'\n_retort_urls='");
	for (size_t i = 0; (b = rt__backend_at(RT_BACKENDS_BUILT, i)) != NULL; i++)
		rt__buf_printf(out, "%s%s://%s", i ? " " : "", b->name, b->file_url ? "/" : "");
	rt__buf_puts(out, "'\n\n");
}

/* The part generated from the tables. */
static void tables(rt_buf *out)
{
	rt__buf_puts(out, "_retort_commands='");
	bool first = true;
	for (size_t i = 0; i < cli_command_count; i++) {
		if (cli_commands[i]->hidden)
			continue;
		rt__buf_printf(out, "%s%s", first ? "" : " ", cli_commands[i]->name);
		first = false;
	}
	rt__buf_puts(out, "'\n\n");
	backend_words(out);
	rt__buf_puts(out, "# _retort_value COMMAND WORD: when WORD is an option that takes a value,\n"
			  "# sets spec to what the value can be and succeeds.\n"
			  "_retort_value() {\n"
			  "\tcase $1:$2 in\n");
	for (size_t i = 0; i < cli_command_count; i++)
		if (!cli_commands[i]->hidden)
			value_cases(out, cli_commands[i]->name, cli_commands[i]->options);
	value_cases(out, "*", cli_global_options);
	rt__buf_puts(out, "\t*) return 1 ;;\n"
			  "\tesac\n"
			  "}\n\n"
			  "# _retort_options COMMAND: sets words to its options and the global ones.\n"
			  "_retort_options() {\n"
			  "\twords='");
	rt_buf globals = RT_BUF_INIT;
	option_words(&globals, cli_global_options, false);
	rt__buf_puts(out, rt__buf_cstr(&globals) + (globals.len > 0)); /* its first space */
	if (rt__buf_failed(&globals))
		out->failed = true;
	rt__buf_free(&globals);
	rt__buf_puts(out, "'\n\tcase $1 in\n");
	for (size_t i = 0; i < cli_command_count; i++) {
		const cli_command *command = cli_commands[i];
		rt_buf words = RT_BUF_INIT;
		if (!command->hidden)
			option_words(&words, command->options, true);
		if (words.len)
			rt__buf_printf(out, "\t%s) words+='%s' ;;\n", command->name,
				       rt__buf_cstr(&words));
		if (rt__buf_failed(&words))
			out->failed = true;
		rt__buf_free(&words);
	}
	rt__buf_puts(out, "\tesac\n"
			  "}\n\n"
			  "# _retort_arguments COMMAND: sets spec to what its arguments can be and\n"
			  "# max to how many it takes.\n"
			  "_retort_arguments() {\n"
			  "\tcase $1 in\n");
	for (size_t i = 0; i < cli_command_count; i++) {
		const cli_command *command = cli_commands[i];
		if (command->hidden || command->max_args == 0)
			continue;
		rt__buf_printf(out, "\t%s) spec='%s' max=%zu ;;\n", command->name,
			       command->arg_values ? command->arg_values : "", command->max_args);
	}
	rt__buf_puts(out, "\t*) spec= max=0 ;;\n"
			  "\tesac\n"
			  "}\n\n");
}

/* The fixed part: reading the command line and completing. */
static const char logic[] =
	"# Sets revisions to head, heads, base, the revisions of the scripts, their\n"
	"# branch labels and label@head, as `retort history -v` lists them.\n"
	"_retort_revisions() {\n"
	"\tlocal line label program=${retort/#\\~/$HOME}\n"
	"\tlocal -a config=()\n"
	"\t[[ -n $config_file ]] && config=(-c \"${config_file/#\\~/$HOME}\")\n"
	"\trevisions='head heads base'\n"
	"\ttype -P \"$program\" >/dev/null || [[ -x $program ]] || return 0\n"
	"\twhile IFS= read -r line; do\n"
	"\t\tcase $line in\n"
	"\t\t'Rev: '*)\n"
	"\t\t\tline=${line#Rev: }\n"
	"\t\t\trevisions+=\" ${line%% *}\" ;;\n"
	"\t\t'Branch names: '*)\n"
	"\t\t\tfor label in ${line#Branch names: }; do\n"
	"\t\t\t\tlabel=${label%,}\n"
	"\t\t\t\trevisions+=\" $label $label@head\"\n"
	"\t\t\tdone ;;\n"
	"\t\tesac\n"
	"\tdone < <(\"$program\" \"${config[@]}\" -q history -v 2>/dev/null)\n"
	"}\n"
	"\n"
	"# Adds to COMPREPLY the words of SPEC (a|b|@file|@dir|@revision|@url|@dialect)\n"
	"# that start with cur.\n"
	"_retort_complete() {\n"
	"\tlocal item words= revisions=\n"
	"\tlocal -a items\n"
	"\tIFS='|' read -ra items <<<\"$1\"\n"
	"\tfor item in \"${items[@]}\"; do\n"
	"\t\tcase $item in\n"
	"\t\t@file | @dir)\n"
	"\t\t\tcompopt -o filenames 2>/dev/null\n"
	"\t\t\tmapfile -t -O \"${#COMPREPLY[@]}\" COMPREPLY < <(compgen \"-${item:1:1}\" -- \"$cur\") ;;\n"
	"\t\t@revision)\n"
	"\t\t\t_retort_revisions\n"
	"\t\t\twords+=\" $revisions\" ;;\n"
	"\t\t@url)\n"
	"\t\t\tcompopt -o nospace 2>/dev/null\n"
	"\t\t\twords+=\" $_retort_urls\" ;;\n"
	"\t\t@dialect) words+=\" $_retort_dialects\" ;;\n"
	"\t\t?*) words+=\" $item\" ;;\n"
	"\t\tesac\n"
	"\tdone\n"
	"\t[[ -n $words ]] &&\n"
	"\t\tmapfile -t -O \"${#COMPREPLY[@]}\" COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"_retort() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} retort=${COMP_WORDS[0]}\n"
	"\tlocal command= config_file= only_args= word spec= max=0 words= at_value=\n"
	"\tlocal -i i nargs=0\n"
	"\tCOMPREPLY=()\n"
	"\t# The words before the cursor: the command, how many arguments it has,\n"
	"\t# -c FILE (for the revisions); option values are skipped, and the\n"
	"\t# cursor may be on one (--opt VALUE, --opt=VALUE split at '=').\n"
	"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	"\t\tword=${COMP_WORDS[i]}\n"
	"\t\tif [[ -n $only_args || $word != -?* || $word == -[0-9]* ]]; then\n"
	"\t\t\tif [[ -z $command ]]; then command=$word; else nargs+=1; fi\n"
	"\t\telif [[ $word == -- ]]; then\n"
	"\t\t\tonly_args=1\n"
	"\t\telif [[ $word == --config=* || $word == -c?* ]]; then\n"
	"\t\t\tconfig_file=${word#--config=}\n"
	"\t\t\tconfig_file=${config_file#-c}\n"
	"\t\telif [[ $word != *=* ]] && _retort_value \"$command\" \"$word\"; then\n"
	"\t\t\t[[ ${COMP_WORDS[i + 1]} == = ]] && i+=1\n"
	"\t\t\tif ((i + 1 >= COMP_CWORD)); then\n"
	"\t\t\t\tat_value=1\n"
	"\t\t\t\tbreak\n"
	"\t\t\tfi\n"
	"\t\t\ti+=1\n"
	"\t\t\t[[ $word == -c || $word == --config ]] && config_file=${COMP_WORDS[i]}\n"
	"\t\tfi\n"
	"\tdone\n"
	"\tif [[ -n $at_value ]]; then\n"
	"\t\t[[ $cur == = ]] && cur=\n"
	"\t\t_retort_complete \"$spec\"\n"
	"\telif [[ -z $only_args && $cur == --*=* ]]; then\n"
	"\t\t# --opt=VALUE in one word (COMP_WORDBREAKS without '=')\n"
	"\t\tlocal option=${cur%%=*}\n"
	"\t\tcur=${cur#*=}\n"
	"\t\tif _retort_value \"$command\" \"$option\"; then\n"
	"\t\t\t_retort_complete \"$spec\"\n"
	"\t\t\tCOMPREPLY=(\"${COMPREPLY[@]/#/$option=}\")\n"
	"\t\tfi\n"
	"\telif [[ -z $only_args && $cur == -* && $cur != -[0-9]* ]]; then\n"
	"\t\t_retort_options \"$command\"\n"
	"\t\tmapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n"
	"\telif [[ -z $command ]]; then\n"
	"\t\tmapfile -t COMPREPLY < <(compgen -W \"$_retort_commands\" -- \"$cur\")\n"
	"\telse\n"
	"\t\t_retort_arguments \"$command\"\n"
	"\t\t((nargs < max)) && _retort_complete \"$spec\"\n"
	"\tfi\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"complete -F _retort retort\n";

static const cli_option completion_options[] = {
	{"output", 'o', "FILE", "write the script to FILE instead of stdout", NULL},
	{0},
};

static int run_completion(cli_ctx *ctx)
{
	if (ctx->arg_count != 1)
		return cli_usage_error(ctx->command, "completion needs the shell: bash");
	if (strcmp(ctx->args[0], "bash") != 0)
		return cli_usage_error(ctx->command, "no completion for '%s': only bash",
				       ctx->args[0]);
	rt_buf script = RT_BUF_INIT;
	rt__buf_puts(&script,
		     "# bash completion for retort, written by `retort completion bash` from\n"
		     "# the command's own tables: make it again rather than edit it.\n"
		     "#\n"
		     "#     source <(retort completion bash)    # in this shell\n"
		     "#\n"
		     "# or installed as <prefix>/share/bash-completion/completions/retort.\n\n");
	tables(&script);
	rt__buf_puts(&script, logic);
	int status = rt__buf_failed(&script)
			     ? cli_error("out of memory")
			     : cli_write_output(ctx, cli_option_value(ctx, "output"),
						rt__buf_cstr(&script), script.len);
	rt__buf_free(&script);
	return status;
}

const cli_command cli_command_completion = {
	.name = "completion",
	.summary = "print the shell completion script (bash)",
	.usage = "completion bash [-o FILE]",
	.description =
		"Prints a script that completes retort's commands and options in bash,\n"
		"and their values where they are known: file names for -c, --schema and\n"
		"-o, the choices of --dialect, --format, --against and -t, and for\n"
		"upgrade, downgrade, stamp, show and merge the revisions of the scripts\n"
		"(read with `retort history`, from the -c FILE given, if any). Load it\n"
		"in the current shell with\n"
		"    source <(retort completion bash)\n"
		"`make install` installs it where bash-completion finds it:\n"
		"<prefix>/share/bash-completion/completions/retort.",
	.options = completion_options,
	.max_args = 1,
	.run = run_completion,
	.no_config = true,
	.arg_values = "bash",
	.examples = "Complete in every new shell:\n"
		    "\n"
		    "    echo 'source <(retort completion bash)' >> ~/.bashrc",
};
