/*
 * config.h - retort.ini, the command's configuration file.
 *
 * The format is the INI dialect of Python's configparser, which Alembic
 * users already write: `[section]` headers, `key = value` (or `key: value`)
 * lines, `#` and `;` comment lines, indented continuation lines, keys
 * case-insensitive, a [DEFAULT] section whose keys every section sees.
 * Values are expanded when read, as configparser does, plus environment
 * variables:
 *     %%            a literal %  (so file_template = %%(rev)s reads %(rev)s)
 *     %(key)s       another key of the same section, or %(here)s, the
 *                   folder that holds the file
 *     ${VAR}        the environment variable VAR (an error when unset)
 *     ${VAR:-text}  VAR, or text when VAR is unset or empty
 * The command reads the [retort] section; other keys and sections are kept
 * for later use and otherwise ignored.
 */
#ifndef RT_CLI_CONFIG_H
#define RT_CLI_CONFIG_H

#include <stdbool.h>

typedef struct cli_config cli_config;

/* The section the command reads. */
#define CLI_CONFIG_SECTION "retort"

/*
 * Reads and checks the file at path. Returns RT_OK, RT_ENOTFOUND when the
 * file does not exist, RT_EIO when it cannot be read, RT_EPARSE for a
 * malformed line ("path:line: error: ...") or a missing [retort] section,
 * RT_ENOMEM; the message is in rt_error_last().
 */
int cli_config_read(cli_config **out, const char *path);
void cli_config_free(cli_config *config);

/* The path the file was read from, as given. */
const char *cli_config_path(const cli_config *config);

/*
 * The expanded value of key in section (or in [DEFAULT]), in *out; *out is
 * NULL when the key is absent. Returns RT_OK, or RT_EPARSE for a value that
 * cannot be expanded (unknown %(key)s, unset ${VAR}, ...). The string lives
 * as long as the config.
 */
int cli_config_get(const cli_config *config, const char *section, const char *key,
		   const char **out);

/* The same for a file or folder name: a relative one is taken relative to
 * the folder that holds the configuration file. */
int cli_config_get_path(const cli_config *config, const char *section, const char *key,
			const char **out);

/* The same for a database URL: the file of a sqlite:///relative.db URL is
 * taken relative to the folder that holds the configuration file. */
int cli_config_get_url(const cli_config *config, const char *section, const char *key,
		       const char **out);

/*
 * The same for a boolean, read as configparser's getboolean does: 1, yes,
 * true, on / 0, no, false, off, in any case. *out is left as it is when
 * the key is absent. RT_EPARSE names the line of anything else.
 */
int cli_config_get_bool(const cli_config *config, const char *section, const char *key,
			bool *out);

/* The same for a time in seconds (a decimal number, "2.5"), given in
 * milliseconds; *out is left as it is when the key is absent. RT_EPARSE
 * names the line of a value that is not a positive number. */
int cli_config_get_seconds(const cli_config *config, const char *section, const char *key,
			   int *out_ms);

#endif
