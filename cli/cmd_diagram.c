/*
 * cmd_diagram.c - `retort diagram`: the ER diagram of the models.
 *
 * Mermaid (what GitHub-style viewers render inside Markdown) and Graphviz
 * dot come from src/gen; SVG is dot's text piped through Graphviz's own
 * `dot -Tsvg`, started directly (no shell) with the graph on its stdin.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli.h"
#include "gen/diagram.h"

extern char **environ;

static const cli_option options[] = {
	{"format", 0, "FORMAT", "mermaid (the default), dot or svg; -o FILE.svg,\n"
				".dot or .gv picks one by the file's extension", "mermaid|dot|svg"},
	{"output", 'o', "FILE", "write the diagram to FILE instead of stdout", NULL},
	{0},
};

typedef enum diagram_format { FORMAT_MERMAID, FORMAT_DOT, FORMAT_SVG } diagram_format;

static bool ends_with(const char *text, const char *suffix)
{
	size_t len = strlen(text), slen = strlen(suffix);
	return len >= slen && strcmp(text + len - slen, suffix) == 0;
}

static int choose_format(const char *name, const char *output, diagram_format *format)
{
	if (!name) {
		*format = output && ends_with(output, ".svg") ? FORMAT_SVG
			  : output && (ends_with(output, ".dot") || ends_with(output, ".gv"))
				  ? FORMAT_DOT
				  : FORMAT_MERMAID;
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "mermaid") == 0)
		*format = FORMAT_MERMAID;
	else if (strcmp(name, "dot") == 0)
		*format = FORMAT_DOT;
	else if (strcmp(name, "svg") == 0)
		*format = FORMAT_SVG;
	else
		return cli_usage_error(&cli_command_diagram, "unknown format '%s': expected "
				       "mermaid, dot or svg", name);
	return CLI_EXIT_OK;
}

/* --- running Graphviz ---------------------------------------------------------- */

/* The executable `name` in $PATH, in arena; NULL when there is none. */
static const char *find_program(rt_arena *arena, const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *dir = path;; dir++) {
		const char *end = strchr(dir, ':');
		size_t len = end ? (size_t)(end - dir) : strlen(dir);
		/* An empty entry means the current folder, as for the shell. */
		const char *candidate = len ? rt__arena_printf(arena, "%.*s/%s", (int)len, dir, name)
					    : name;
		struct stat st;
		if (candidate && stat(candidate, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(candidate, X_OK) == 0)
			return candidate;
		if (!end)
			return NULL;
		dir = end;
	}
}

/* Feeds input to the child's stdin while collecting its stdout, so that
 * neither side can fill its pipe and wait for the other forever. */
static int exchange(int to_child, int from_child, const char *input, size_t len,
		    rt_buf *output)
{
	size_t written = 0;
	bool reading = true;
	if (len == 0) {
		close(to_child);
		to_child = -1;
	}
	while (reading) {
		struct pollfd fds[2] = {{from_child, POLLIN, 0}, {to_child, POLLOUT, 0}};
		if (poll(fds, to_child >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (to_child >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = write(to_child, input + written, len - written);
			if (n > 0)
				written += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == len) {
				close(to_child); /* end of input, or the child stopped reading */
				to_child = -1;
			}
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char chunk[8192];
			ssize_t n = read(from_child, chunk, sizeof(chunk));
			if (n > 0)
				rt__buf_put(output, chunk, (size_t)n);
			else if (n == 0 || (errno != EAGAIN && errno != EINTR))
				reading = false;
		}
	}
	if (to_child >= 0)
		close(to_child);
	return written == len ? 0 : -1;
}

/* The child's side of the pipes becomes its stdin and stdout; a write to
 * a child that died fails with EPIPE in us, but the child itself gets the
 * default SIGPIPE back. */
static int spawn_actions(posix_spawn_file_actions_t *actions, posix_spawnattr_t *attr,
			 const int in[2], const int out[2])
{
	sigset_t pipe_signal;
	sigemptyset(&pipe_signal);
	sigaddset(&pipe_signal, SIGPIPE);
	int rc = posix_spawn_file_actions_adddup2(actions, in[0], STDIN_FILENO);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(actions, out[1], STDOUT_FILENO);
	if (rc == 0 && in[0] != STDIN_FILENO)
		rc = posix_spawn_file_actions_addclose(actions, in[0]);
	if (rc == 0 && out[1] != STDOUT_FILENO)
		rc = posix_spawn_file_actions_addclose(actions, out[1]);
	if (rc == 0)
		rc = posix_spawnattr_setsigdefault(attr, &pipe_signal);
	if (rc == 0)
		rc = posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF);
	return rc;
}

/* Starts program with pipes to its stdin (*to_child, non-blocking) and
 * from its stdout (*from_child). Returns 0 or an errno value. */
static int spawn_filter(const char *program, char *const argv[], pid_t *pid,
			int *to_child, int *from_child)
{
	int in[2], out[2];
	if (pipe(in) != 0)
		return errno;
	if (pipe(out) != 0) {
		int err = errno;
		close(in[0]);
		close(in[1]);
		return err;
	}
	/* Our ends must not leak into the child. */
	int rc = fcntl(in[1], F_SETFD, FD_CLOEXEC) == 0 &&
				 fcntl(out[0], F_SETFD, FD_CLOEXEC) == 0 &&
				 fcntl(in[1], F_SETFL, O_NONBLOCK) == 0
			 ? 0
			 : errno;
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	if (rc == 0 && (rc = posix_spawn_file_actions_init(&actions)) == 0) {
		if ((rc = posix_spawnattr_init(&attr)) == 0) {
			rc = spawn_actions(&actions, &attr, in, out);
			if (rc == 0)
				rc = posix_spawn(pid, program, &actions, &attr, argv, environ);
			posix_spawnattr_destroy(&attr);
		}
		posix_spawn_file_actions_destroy(&actions);
	}
	close(in[0]);
	close(out[1]);
	if (rc != 0) {
		close(in[1]);
		close(out[0]);
		return rc;
	}
	*to_child = in[1];
	*from_child = out[0];
	return 0;
}

static int wait_for(pid_t pid)
{
	int wstatus = 0;
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			return -1;
	return wstatus;
}

/* Runs `dot -Tsvg` on the graph; its messages go straight to our stderr. */
static int render_svg(cli_ctx *ctx, const char *graph, rt_buf *svg)
{
	const char *dot = find_program(ctx->arena, "dot");
	if (!dot)
		return cli_error("--format svg needs Graphviz's \"dot\" program (apt-get "
				 "install graphviz); --format dot writes the graph source");
	cli_debug(ctx, "Running %s -Tsvg", dot);

	struct sigaction ignore = {0}, previous;
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPIPE, &ignore, &previous);

	char *argv[] = {(char *)"dot", (char *)"-Tsvg", NULL};
	pid_t pid;
	int to_child = -1, from_child = -1;
	int status = CLI_EXIT_OK;
	int rc = spawn_filter(dot, argv, &pid, &to_child, &from_child);
	if (rc != 0) {
		status = cli_error("cannot start %s: %s", dot, strerror(rc));
	} else {
		int io = exchange(to_child, from_child, graph, strlen(graph), svg);
		close(from_child);
		int wstatus = wait_for(pid);
		if (wstatus < 0 || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
			status = cli_error("%s -Tsvg failed (%s)", dot,
					   wstatus >= 0 && WIFEXITED(wstatus) ? "see its message above"
									      : "it was killed");
		else if (io != 0)
			status = cli_error("%s -Tsvg did not read the whole graph", dot);
		else if (rt__buf_failed(svg))
			status = cli_error("out of memory");
	}
	sigaction(SIGPIPE, &previous, NULL);
	return status;
}

/* --- the command --------------------------------------------------------------- */

static int run_diagram(cli_ctx *ctx)
{
	const char *output = cli_option_value(ctx, "output");
	diagram_format format;
	int status = choose_format(cli_option_value(ctx, "format"), output, &format);
	if (status != CLI_EXIT_OK)
		return status;

	rt_schema *schema = NULL;
	if ((status = cli_load_schema(ctx, &schema)) != CLI_EXIT_OK)
		return status;

	rt_buf text = RT_BUF_INIT, svg = RT_BUF_INIT;
	int rc = format == FORMAT_MERMAID ? rt__diagram_mermaid(&text, schema)
					  : rt__diagram_dot(&text, schema);
	if (rc != RT_OK)
		status = cli_library_error("cannot draw the diagram");
	else if (rt__buf_failed(&text))
		status = cli_error("out of memory");
	else if (format == FORMAT_SVG)
		status = render_svg(ctx, rt__buf_cstr(&text), &svg);

	if (status == CLI_EXIT_OK) {
		const rt_buf *result = format == FORMAT_SVG ? &svg : &text;
		status = cli_write_output(ctx, output, rt__buf_cstr(result), result->len);
	}
	rt__buf_free(&text);
	rt__buf_free(&svg);
	rt_schema_free(schema);
	return status;
}

const cli_command cli_command_diagram = {
	.name = "diagram",
	.summary = "ER diagram of the models: Mermaid, Graphviz dot or SVG",
	.usage = "diagram [--format mermaid|dot|svg] [-o FILE]",
	.description =
		"Draws the schema's tables with their columns and keys, and the\n"
		"relationships between them. Mermaid text renders inside Markdown on\n"
		"GitHub-style viewers; dot is Graphviz's graph source; svg runs\n"
		"Graphviz's \"dot\" program, which must be installed.",
	.options = options,
	.max_args = 0,
	.run = run_diagram,
	.examples = "An SVG image (Graphviz's dot must be installed), then Mermaid text:\n"
		    "\n"
		    "    retort diagram -o schema.svg\n"
		    "    retort diagram --format mermaid",
	.see_also = "sql gen inspect",
};
