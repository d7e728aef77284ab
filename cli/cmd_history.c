/*
 * cmd_history.c - where the database stands and what the scripts hold:
 * `retort current`, `history`, `heads`, `branches` and `show`.
 *
 * Output follows Alembic's, line for line, so habits and scripts carry
 * over: `current` prints "bb7e42472e18 (head)", `history` prints
 * "<base> -> bb7e42472e18, init migration" per revision, newest first,
 * and `-v` gives the long entries (Rev, Parent, Path, the message and the
 * header). Beyond Alembic, `history` draws the graph when the revisions it
 * lists branch or merge, and `current -v` names the applied scripts that
 * were edited since. Only `current`, `history -i` and `show current`
 * connect to the database.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "migrate/progress.h"
#include "migrate/version.h"
#include "migrations.h"

/* --- shared ---------------------------------------------------------------------- */

/* The command's context: settings, scripts, and the database if it
 * connected. */
typedef struct session {
	cli_ctx *ctx;
	cli_migrate_config config;
	cli_scripts scripts;
	cli_database db;
	rt_buf out;
	/* A revision left partly applied (progress.h), read on connecting. */
	rt_progress *partials;
	size_t partial_count;
} session;

static int session_open(session *s, cli_ctx *ctx)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	int status = cli_migrate_config_read(ctx, &s->config);
	if (status == CLI_EXIT_OK)
		status = cli_scripts_load(ctx, &s->config, &s->scripts);
	return status;
}

/* A database that does not exist yet is at no revision, as an empty one
 * is (what Alembic prints), and these commands, which only read, do not
 * create it. */
static int session_connect(session *s, rt_revlist *current)
{
	bool missing = false;
	int status = cli_database_open_existing(s->ctx, &s->db, &missing);
	if (status == CLI_EXIT_OK && missing) {
		memset(current, 0, sizeof(*current));
		cli_info(s->ctx, "The database %s does not exist yet: no revision is applied",
			 rt_engine_url(s->db.engine));
		return CLI_EXIT_OK;
	}
	if (status == CLI_EXIT_OK)
		status = cli_database_heads(s->ctx, &s->db, &s->config, &s->scripts, current);
	if (status == CLI_EXIT_OK &&
	    rt__progress_read(s->db.conn, s->ctx->arena, &s->partials, &s->partial_count) != RT_OK)
		status = cli_migrate_error(NULL);
	return status;
}

/* " (partial: 3 of 7 statements, failed at versions/x.rt:14)" after the
 * revision a run left partly applied (or partly removed). */
static const rt_progress *put_partial(const session *s, rt_buf *buf, const rt_revision *rev)
{
	const rt_progress *p = rt__progress_find(s->partials, s->partial_count, rev->id);
	if (p) {
		rt__buf_puts(buf, " (");
		rt__progress_describe(buf, p);
		rt__buf_putc(buf, ')');
	}
	return p;
}

/* With -v: the statement that failed and the database's message. */
static void put_partial_error(rt_buf *buf, const rt_progress *p, const char *indent)
{
	if (p && p->error)
		rt__buf_printf(buf, "%sError: %s\n", indent, p->error);
}

/* Prints what was gathered, then frees everything. */
static int session_close(session *s, int status)
{
	if (status == CLI_EXIT_OK) {
		if (rt__buf_failed(&s->out))
			status = cli_error("out of memory");
		else
			status = cli_write_output(s->ctx, NULL, rt__buf_cstr(&s->out), s->out.len);
	}
	rt__buf_free(&s->out);
	cli_database_close(&s->db);
	cli_scripts_free(&s->scripts);
	return status;
}

/* Alembic's short form: "id (labels) (head) (branchpoint) (mergepoint)". */
static void put_short(rt_buf *buf, const rt_revision *rev, bool labels, bool tree)
{
	rt__buf_puts(buf, rev->id);
	for (size_t i = 0; labels && i < rev->label_count; i++)
		rt__buf_printf(buf, "%s%s%s", i ? ", " : " (", rev->labels[i],
			       i + 1 == rev->label_count ? ")" : "");
	if (rev->children.count == 0)
		rt__buf_puts(buf, " (head)");
	if (tree && rev->children.count > 1)
		rt__buf_puts(buf, " (branchpoint)");
	if (tree && rev->parents.count > 1)
		rt__buf_puts(buf, " (mergepoint)");
}

static const char *message_of(const rt_revision *rev)
{
	const char *message = rev->migration->message;
	return message && *message ? message : "empty message";
}

/* --- current ------------------------------------------------------------------------ */

static const cli_option current_options[] = {
	{"verbose", 'v', NULL, "the long entries, and the applied scripts edited since", NULL},
	{0},
};

/* The applied scripts whose text changed since they were applied. */
static int put_edited(session *s, const rt_revlist *current)
{
	rt_revlist edited = {0};
	const char **applied = NULL;
	if (rt__version_edited(s->db.conn, s->config.version_table, s->scripts.graph,
			       s->ctx->arena, current, &edited, &applied) != RT_OK)
		return cli_migrate_error(NULL);
	if (edited.count == 0)
		return CLI_EXIT_OK;
	rt__buf_printf(&s->out, "Edited since applied (upgrade refuses to run until they are "
				"restored, unless given --ignore-checksums):\n");
	for (size_t i = 0; i < edited.count; i++)
		rt__buf_printf(&s->out, "  %s (revision %s): applied %s, now %s\n",
			       rt__revision_file(edited.items[i]), edited.items[i]->id, applied[i],
			       edited.items[i]->migration->checksum);
	return CLI_EXIT_OK;
}

static int run_current(cli_ctx *ctx)
{
	bool verbose = cli_option_value(ctx, "verbose") != NULL;
	session s;
	rt_revlist current = {0};
	int status = session_open(&s, ctx);
	if (status == CLI_EXIT_OK)
		status = session_connect(&s, &current);
	if (status == CLI_EXIT_OK && verbose)
		rt__buf_printf(&s.out, "Current revision(s) for %s:\n", rt_engine_url(s.db.engine));
	for (size_t i = 0; status == CLI_EXIT_OK && i < current.count; i++) {
		if (verbose) {
			rt__history_verbose(&s.out, s.scripts.graph, current.items[i], NULL);
		} else {
			put_short(&s.out, current.items[i], false, true);
			put_partial(&s, &s.out, current.items[i]); /* a partial downgrade */
			rt__buf_putc(&s.out, '\n');
		}
	}
	/* A partial upgrade: the version table holds the revision before it. */
	for (size_t i = 0; status == CLI_EXIT_OK && i < s.partial_count; i++) {
		const rt_revision *rev = rt__graph_get(s.scripts.graph, s.partials[i].revision);
		if (rev && rt__revlist_has(&current, rev) && !verbose)
			continue;
		rt__buf_puts(&s.out, s.partials[i].revision);
		rt__buf_puts(&s.out, " (");
		rt__progress_describe(&s.out, &s.partials[i]);
		rt__buf_puts(&s.out, ")\n");
		put_partial_error(&s.out, &s.partials[i], verbose ? "  " : "  ");
	}
	if (status == CLI_EXIT_OK && verbose)
		status = put_edited(&s, &current);
	return session_close(&s, status);
}

const cli_command cli_command_current = {
	.name = "current",
	.summary = "the revision(s) the database is at",
	.usage = "current [-v]",
	.description =
		"Prints the revisions the database's version table holds, one a line:\n"
		"\"bb7e42472e18 (head)\". Nothing for a database at base or never\n"
		"migrated. With -v, the long entry of each (as `show` prints it), and the\n"
		"applied scripts edited since they were applied, with both checksums.",
	.options = current_options,
	.max_args = 0,
	.run = run_current,
	.examples = "    retort current\n"
		    "    retort current -v",
	.see_also = "history heads upgrade",
};

/* --- history --------------------------------------------------------------------------- */

static const cli_option history_options[] = {
	{"rev-range", 'r', "A:B", "only the revisions from A to B (either may be left\n"
				  "out: A: or :B); current, head, -N work", NULL},
	{"verbose", 'v', NULL, "the long entries: parents, path, header", NULL},
	{"indicate-current", 'i', NULL, "mark the database's revisions (current)", NULL},
	{0},
};

/* Does the list need a drawing: does any of its revisions branch or
 * merge within it, or does it hold more than one line? */
static bool branches_or_merges(cli_ctx *ctx, const rt_graph *graph, const rt_revlist *revs)
{
	bool *listed = rt__graph_closure(graph, ctx->arena, NULL);
	if (!listed)
		return true;
	for (size_t i = 0; i < revs->count; i++)
		listed[revs->items[i]->index] = true;
	size_t tops = 0;
	for (size_t i = 0; i < revs->count; i++) {
		const rt_revision *rev = revs->items[i];
		size_t parents = 0, children = 0;
		for (size_t k = 0; k < rev->parents.count; k++)
			parents += listed[rev->parents.items[k]->index];
		for (size_t k = 0; k < rev->children.count; k++)
			children += listed[rev->children.items[k]->index];
		if (parents > 1 || children > 1)
			return true;
		tops += children == 0;
	}
	return tops > 1;
}

static int run_history(cli_ctx *ctx)
{
	bool verbose = cli_option_value(ctx, "verbose") != NULL;
	const char *range = cli_option_value(ctx, "rev-range");
	session s;
	rt_revlist current = {0}, revs = {0};
	int status = session_open(&s, ctx);
	bool connect = cli_option_value(ctx, "indicate-current") != NULL ||
		       (range && strstr(range, "current"));
	if (status == CLI_EXIT_OK && connect)
		status = session_connect(&s, &current);
	if (status == CLI_EXIT_OK &&
	    rt__graph_history(s.scripts.graph, ctx->arena, range, connect ? &current : NULL,
			      &revs) != RT_OK)
		status = cli_migrate_error(NULL);
	const rt_revlist *marks = connect ? &current : NULL;
	if (status != CLI_EXIT_OK || revs.count == 0)
		return session_close(&s, status);

	if (verbose) {
		for (size_t i = 0; i < revs.count; i++) {
			rt__history_verbose(&s.out, s.scripts.graph, revs.items[i], marks);
			const rt_progress *p = rt__progress_find(s.partials, s.partial_count,
								 revs.items[i]->id);
			if (p) {
				rt__buf_puts(&s.out, "    Applied:");
				put_partial(&s, &s.out, revs.items[i]);
				rt__buf_putc(&s.out, '\n');
				put_partial_error(&s.out, p, "    ");
				rt__buf_putc(&s.out, '\n');
			}
		}
	} else if (branches_or_merges(ctx, s.scripts.graph, &revs)) {
		if (rt__history_graph(&s.out, s.scripts.graph, &revs, marks) != RT_OK)
			status = cli_migrate_error(NULL);
	} else {
		for (size_t i = 0; i < revs.count; i++) {
			rt__history_line(&s.out, s.scripts.graph, revs.items[i], marks);
			put_partial(&s, &s.out, revs.items[i]);
			rt__buf_putc(&s.out, '\n');
		}
	}
	return session_close(&s, status);
}

const cli_command cli_command_history = {
	.name = "history",
	.summary = "the revisions of the scripts, newest first",
	.usage = "history [-r A:B] [-v] [-i]",
	.description =
		"Lists the revisions, newest first, as Alembic does:\n"
		"  ae1027a6acf0 -> 27c6a30d7c24 (head), add a column\n"
		"  <base> -> ae1027a6acf0, create account table\n"
		"When the revisions listed branch or merge, each line is drawn on an ASCII\n"
		"graph, as `git log --graph` does (* a revision, |\\ a merge point's other\n"
		"parent, |/ a branch point). Reads only the scripts, unless -i or a range\n"
		"naming current asks where the database is.",
	.options = history_options,
	.max_args = 0,
	.run = run_history,
	.examples = "    retort history -i\n"
		    "    retort history -r base:current -v",
	.see_also = "current heads branches show",
};

/* --- heads ------------------------------------------------------------------------------- */

static const cli_option heads_options[] = {
	{"verbose", 'v', NULL, "the long entries", NULL},
	{0},
};

static int run_heads(cli_ctx *ctx)
{
	bool verbose = cli_option_value(ctx, "verbose") != NULL;
	session s;
	int status = session_open(&s, ctx);
	for (size_t i = 0; status == CLI_EXIT_OK && i < s.scripts.graph->heads.count; i++) {
		const rt_revision *head = s.scripts.graph->heads.items[i];
		if (verbose) {
			rt__history_verbose(&s.out, s.scripts.graph, head, NULL);
		} else {
			put_short(&s.out, head, true, false);
			rt__buf_putc(&s.out, '\n');
		}
	}
	return session_close(&s, status);
}

const cli_command cli_command_heads = {
	.name = "heads",
	.summary = "the head revisions of the scripts",
	.usage = "heads [-v]",
	.description =
		"Prints every head revision (one no other revises), with its branch\n"
		"labels: \"27c6a30d7c24 (accounts) (head)\". More than one means the\n"
		"scripts have branched: `retort merge heads` joins them.",
	.options = heads_options,
	.max_args = 0,
	.run = run_heads,
	.see_also = "branches merge history",
};

/* --- branches ------------------------------------------------------------------------------ */

static const cli_option branches_options[] = {
	{"verbose", 'v', NULL, "the long entry of each branch point, and the\n"
			       "messages of the revisions it branches into", NULL},
	{0},
};

/* A branch point and, under it, the revisions it branches into. */
static void put_branch_point(session *s, const rt_revision *rev, bool verbose)
{
	if (verbose)
		rt__history_verbose(&s->out, s->scripts.graph, rev, NULL);
	else
		put_short(&s->out, rev, true, true);
	rt__buf_putc(&s->out, '\n');
	size_t indent = strlen(rev->id);
	for (size_t i = 0; i < rev->children.count; i++) {
		const rt_revision *child = rev->children.items[i];
		rt__buf_printf(&s->out, "%*s -> ", (int)indent, "");
		put_short(&s->out, child, true, true);
		if (verbose)
			rt__buf_printf(&s->out, ", %s", message_of(child));
		rt__buf_putc(&s->out, '\n');
	}
	rt__buf_putc(&s->out, '\n');
}

static int run_branches(cli_ctx *ctx)
{
	bool verbose = cli_option_value(ctx, "verbose") != NULL;
	session s;
	int status = session_open(&s, ctx);
	const rt_graph *graph = s.scripts.graph;
	/* Newest first, as history lists them. */
	for (size_t i = graph ? graph->count : 0; status == CLI_EXIT_OK && i-- > 0;)
		if (graph->revisions[i]->children.count > 1)
			put_branch_point(&s, graph->revisions[i], verbose);
	return session_close(&s, status);
}

const cli_command cli_command_branches = {
	.name = "branches",
	.summary = "the revisions where the scripts branch",
	.usage = "branches [-v]",
	.description =
		"Prints every branch point (a revision that two or more revisions revise)\n"
		"and, under it, the revisions it branches into.",
	.options = branches_options,
	.max_args = 0,
	.run = run_branches,
	.see_also = "heads history merge",
};

/* --- show ------------------------------------------------------------------------------------ */

static int run_show(cli_ctx *ctx)
{
	if (ctx->arg_count != 1)
		return cli_usage_error(&cli_command_show, "show needs the revision: an id or "
				       "unique prefix, head, heads, a branch label, current");
	const char *text = ctx->args[0];
	session s;
	rt_revlist current = {0};
	rt_target target;
	int status = session_open(&s, ctx);
	bool connect = strcmp(text, "current") == 0;
	if (status == CLI_EXIT_OK && connect)
		status = session_connect(&s, &current);
	if (status == CLI_EXIT_OK &&
	    rt__graph_resolve(s.scripts.graph, ctx->arena, text, &current, &target) != RT_OK)
		status = cli_migrate_error(NULL);
	for (size_t i = 0; status == CLI_EXIT_OK && i < target.revs.count; i++)
		rt__history_verbose(&s.out, s.scripts.graph, target.revs.items[i],
				    connect ? &current : NULL);
	return session_close(&s, status);
}

const cli_command cli_command_show = {
	.name = "show",
	.summary = "the long entry of a revision",
	.usage = "show REV",
	.description =
		"Prints the revision's entry: its id, parents, file, message and header.\n"
		"REV is an id or unique prefix, head, heads, a branch label, label@head,\n"
		"REV-N, or current (the database's revisions).",
	.options = NULL,
	.max_args = 1,
	.run = run_show,
	.arg_values = "@revision|current",
	.examples = "    retort show head",
	.see_also = "history current",
};
