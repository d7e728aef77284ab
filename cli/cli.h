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

#include "base/arena.h"
#include "config.h"
#include "retort.h"

enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_ERROR = 1, /* a user error: bad schema, no database, ... */
	CLI_EXIT_USAGE = 2  /* a malformed command line */
};

#define CLI_MAX_OPTIONS 16
#define CLI_MAX_ARGS 8

typedef struct cli_option {
	const char *name;   /* long name: "format" for --format */
	char letter;        /* short name: 'o' for -o, or 0 */
	const char *arg;    /* what its value is ("FILE"), or NULL for a flag */
	const char *help;   /* for --help; may hold \n for more lines */
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
