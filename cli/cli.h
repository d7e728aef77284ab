/*
 * cli.h - what the files of the `retort` command share.
 *
 * main.c reads the command line (global options anywhere, the command's
 * own options after its name), loads retort.ini and hands the command a
 * cli_ctx. Each cmd_*.c file defines one cli_command; main.c keeps them in
 * a table, so a new command is a new file and one more line there.
 *
 * Conventions: data goes to stdout, progress ("INFO  ...") and errors to
 * stderr. Functions that return an int here return an exit status: 0,
 * CLI_EXIT_ERROR (after printing "retort: error: <reason>") or
 * CLI_EXIT_USAGE. The command is a program on top of the library, not part
 * of it, so its shared functions are named cli_* rather than rt__*.
 */
#ifndef RT_CLI_CLI_H
#define RT_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/buf.h"
#include "config.h"
#include "retort.h"

enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_ERROR = 1, /* a user error: bad schema, no database, ... */
	CLI_EXIT_USAGE = 2  /* a malformed command line */
};

#define CLI_MAX_OPTIONS 16
#define CLI_MAX_ARGS 8

/*
 * The tables below are the one source of the command's documentation:
 * `retort <command> --help` prints them, `retort help --man` renders them
 * as man pages and `retort completion bash` turns them into a completion
 * script, so the three cannot disagree.
 *
 * Texts (descriptions, examples, the manual's sections) are written as
 * --help prints them, lines of at most 76 columns, and read by the man
 * page renderer as a small markup: a blank line starts a paragraph, a line
 * starting with a space is kept as it is (an example, a listing), `text`
 * is code (bold in a man page), and other lines are filled.
 *
 * What a value can be, for completion (cli_option.values,
 * cli_command.arg_values): words separated by '|' ("create|drop"),
 * among which @file, @dir, @revision (head, heads, base and the scripts'
 * revisions and branch labels), @url (the URL schemes) and @dialect (the
 * names of the backends this build has). An option whose
 * values are NULL is completed by its arg: FILE is @file, DIR @dir, REV
 * @revision, URL @url; anything else is left to the user.
 */
typedef struct cli_option {
	const char *name;   /* long name: "format" for --format */
	char letter;        /* short name: 'o' for -o, or 0 */
	const char *arg;    /* what its value is ("FILE"), or NULL for a flag */
	const char *help;   /* for --help; may hold \n for more lines */
	const char *values; /* what the value can be, for completion, or NULL */
} cli_option;

typedef struct cli_ctx cli_ctx;

typedef struct cli_command {
	const char *name;
	const char *summary;       /* one line, for `retort --help` */
	const char *usage;         /* what follows "usage: retort " */
	const char *description;   /* the body of `retort <name> --help` */
	const cli_option *options; /* ends with an all-zero entry */
	size_t max_args;           /* positional arguments accepted */
	int (*run)(cli_ctx *ctx);
	bool no_config;            /* reads no retort.ini (init writes one) */
	const char *arg_values;    /* what its arguments can be, for completion */
	const char *examples;      /* the man page's EXAMPLES, or NULL */
	const char *see_also;      /* related commands, by name: "downgrade stamp" */
	bool hidden;               /* not listed, documented or completed (help) */
} cli_command;

struct cli_ctx {
	rt_arena *arena;            /* for strings made while running */
	const cli_command *command;

	/* global options */
	const char *config_option;  /* -c FILE, or NULL */
	const char *url_option;     /* --url URL, or NULL */
	const char *schema_option;  /* --schema FILE, or NULL */
	int verbosity;              /* 0 with -q, 1 by default, 2 or more with -v */
	cli_config *config;         /* the file read, or NULL when there is none */
	const char *config_name;    /* the file looked for, for messages */

	/* the command's options: values[i] is the value of command->options[i],
	 * NULL when not given, "" for a flag that was given */
	const char *values[CLI_MAX_OPTIONS];
	/* every value of each option, in the order given (for options that
	 * may repeat: cli_option_values) */
	const char **lists[CLI_MAX_OPTIONS];
	size_t list_counts[CLI_MAX_OPTIONS], list_caps[CLI_MAX_OPTIONS];
	const char *args[CLI_MAX_ARGS];
	size_t arg_count;
};

/* The commands, one per cmd_*.c file (the migration commands, a group
 * per file: cmd_upgrade.c holds upgrade, downgrade and stamp). */
extern const cli_command cli_command_branches;
extern const cli_command cli_command_check;
extern const cli_command cli_command_current;
extern const cli_command cli_command_diagram;
extern const cli_command cli_command_downgrade;
extern const cli_command cli_command_embed;
extern const cli_command cli_command_gen;
extern const cli_command cli_command_heads;
extern const cli_command cli_command_history;
extern const cli_command cli_command_init;
extern const cli_command cli_command_inspect;
extern const cli_command cli_command_merge;
extern const cli_command cli_command_revision;
extern const cli_command cli_command_show;
extern const cli_command cli_command_sql;
extern const cli_command cli_command_stamp;
extern const cli_command cli_command_upgrade;
extern const cli_command cli_command_completion;
extern const cli_command cli_command_help;

/* Every command, in the order `retort --help` lists them (main.c). */
extern const cli_command *const cli_commands[];
extern const size_t cli_command_count;
/* The options accepted by every command; ends with an all-zero entry. */
extern const cli_option cli_global_options[];
/* The command named name, hidden ones included; NULL when there is none. */
const cli_command *cli_find_command(const char *name);

/* --- documentation (help.c, man.c) ------------------------------------------ */

/* A section of retort(1) beyond the commands' own texts: paragraphs, then
 * a list of terms, each with its text (both in the markup above). */
typedef struct cli_manual_item {
	const char *term;
	const char *text;
} cli_manual_item;

typedef struct cli_manual_section {
	const char *title;            /* "ENVIRONMENT" */
	const char *text;             /* before the list, or NULL */
	const cli_manual_item *items; /* ends with {0}; NULL for none */
} cli_manual_section;

extern const char cli_manual_summary[];  /* retort(1)'s NAME line */
extern const char cli_manual_synopsis[]; /* usages, one a line, after "retort " */
extern const char cli_manual_overview[]; /* also the start of `retort --help` */
extern const char cli_manual_description[];
extern const char cli_manual_options[];  /* after the global options */

/* The files of `retort init -t async` (init_async.c). */
extern const char cli_init_async_migrate_c[];
extern const char cli_init_async_main_c[];
extern const cli_manual_section cli_manual_sections[]; /* ends with {0} */
extern const char cli_manual_see_also[]; /* after the list of pages */

void cli_print_global_help(FILE *out);
void cli_print_command_help(FILE *out, const cli_command *command);
/* retort(1) for NULL, else retort-<command>(1), as roff (man(7)). */
void cli_man_page(rt_buf *out, const cli_command *command);

/* --- messages (common.c) --------------------------------------------------- */

/* "retort: error: <reason>" on stderr; returns CLI_EXIT_ERROR. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports the library's last error, after context ("cannot connect"); a
 * multi-line message (schema diagnostics) is printed whole. Returns
 * CLI_EXIT_ERROR. context may be NULL. */
int cli_library_error(const char *context);
/* A malformed command line: the reason and a hint; returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli_command *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Progress on stderr: "INFO  <message>" unless -q; cli_debug only with -v. */
void cli_info(const cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_debug(const cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- what commands need (common.c) --------------------------------------- */

/* The value of the command's option --name, or NULL when not given. */
const char *cli_option_value(const cli_ctx *ctx, const char *name);
/* Every value given to --name, for an option that may repeat; *count is
 * 0 when it was not given. */
const char *const *cli_option_values(const cli_ctx *ctx, const char *name, size_t *count);

/* The database URL: --url, else $RETORT_URL, else retort.ini's url. */
int cli_resolve_url(cli_ctx *ctx, const char **url);
/* The URL when one is configured, else NULL; never an error for its absence. */
int cli_configured_url(cli_ctx *ctx, const char **url);
/* The key of retort.ini's [retort] section, expanded; NULL when absent. */
int cli_setting(cli_ctx *ctx, const char *key, const char **value);
/* Parses and validates the schema file (--schema, else retort.ini's schema). */
int cli_load_schema(cli_ctx *ctx, rt_schema **schema);
/* Writes text to the file at path, or to stdout when path is NULL. */
int cli_write_output(const cli_ctx *ctx, const char *path, const char *text, size_t len);
/* The URL with its password masked, for messages. */
const char *cli_masked_url(cli_ctx *ctx, const char *url);

#endif
