/*
 * man.c - the man pages, rendered as roff (man(7)) from the tables the
 * --help texts come from: retort(1) and retort-<command>(1).
 *
 * The texts are written for --help (cli.h describes their markup); here a
 * blank line becomes a paragraph (.PP, or .IP inside a list item), lines
 * starting with a space a literal block (.RS/.nf), `code` bold, and the
 * rest is left for the formatter to fill. What roff would read as markup
 * is escaped: backslashes, a '.' or '\'' starting a line, non-ASCII
 * characters (as groff escapes such as \[u00E9], so no preprocessor is
 * needed); and '-' is the minus sign \- in options and code, so they can be
 * copied from the page.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"

typedef struct roff {
	rt_buf *out;
	bool bol;  /* at the beginning of an output line */
	char prev; /* the last character of text written, for '-' */
	bool dash; /* inside a word that started with '-' (an option, -1) */
} roff;

typedef enum flow {
	FLOW_TOP, /* a section's paragraphs: .PP */
	FLOW_ITEM /* the text of a list item, after .TP: .IP */
} flow;

/* A request or macro line, on a line of its own. */
static void request(roff *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void request(roff *r, const char *fmt, ...)
{
	if (!r->bol)
		rt__buf_putc(r->out, '\n');
	va_list ap;
	va_start(ap, fmt);
	rt__buf_vprintf(r->out, fmt, ap);
	va_end(ap);
	rt__buf_putc(r->out, '\n');
	r->bol = true;
	r->prev = ' ';
	r->dash = false;
}

static void end_line(roff *r)
{
	if (!r->bol)
		rt__buf_putc(r->out, '\n');
	r->bol = true;
	r->prev = ' ';
	r->dash = false;
}

/* A font escape (\fB, \fI, \fR): changes no text, so leaves the line's
 * state alone. */
static void font(roff *r, char which)
{
	rt__buf_printf(r->out, "\\f%c", which);
	r->bol = false;
}

/* One UTF-8 sequence at s (at most len bytes) as a groff escape such as
 * \[u00E9]; returns the bytes it used. A malformed sequence becomes '?'. */
static size_t put_utf8(roff *r, const unsigned char *s, size_t len)
{
	size_t need = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	if (need == 0 || need > len) {
		rt__buf_putc(r->out, '?');
		return 1;
	}
	unsigned long cp = s[0] & (0x7f >> need);
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			rt__buf_putc(r->out, '?');
			return 1;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	rt__buf_printf(r->out, "\\[u%04lX]", cp);
	return need;
}

/* Text, escaped. code: every '-' is a minus, as in a command line. */
static void text(roff *r, const char *s, size_t len, bool code)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			end_line(r);
			i++;
			continue;
		}
		if (r->bol && (c == '.' || c == '\''))
			rt__buf_puts(r->out, "\\&");
		r->bol = false;
		if (c == ' ' || c == '\t')
			r->dash = false;
		if (c == '\\') {
			rt__buf_puts(r->out, "\\e");
		} else if (c == '-') {
			/* A hyphen joins two words ("one-line"); a '-' starting a
			 * word starts an option or a number, whose every '-' is a
			 * minus. */
			if (!isalnum((unsigned char)r->prev))
				r->dash = true;
			rt__buf_puts(r->out, code || r->dash ? "\\-" : "-");
		} else if (c >= 0x80) {
			i += put_utf8(r, (const unsigned char *)s + i, len - i);
			r->prev = 'x';
			continue;
		} else {
			rt__buf_putc(r->out, (char)c);
		}
		r->prev = (char)c;
		i++;
	}
}

static void text_str(roff *r, const char *s, bool code)
{
	text(r, s, strlen(s), code);
}

/* A filled line: `code` in bold. *code says whether a span is open (one
 * may run over several lines). */
static void inline_line(roff *r, const char *line, size_t len, bool *code)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && line[i] != '`')
			continue;
		text(r, line + start, i - start, *code);
		if (i < len) {
			*code = !*code;
			font(r, *code ? 'B' : 'R');
		}
		start = i + 1;
	}
	end_line(r);
}

/* Text in cli.h's markup. */
static void markup(roff *r, const char *s, flow where)
{
	bool first = true;     /* nothing written yet */
	bool open = false;     /* a filled paragraph is open */
	bool literal = false;  /* a literal block is open */
	bool code = false;     /* a `code` span is open */
	size_t indent = 0;     /* of the literal block's first line */
	const char *para = where == FLOW_TOP ? ".PP" : ".IP";
	while (s && *s) {
		const char *end = strchr(s, '\n');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		size_t lead = 0;
		while (lead < len && s[lead] == ' ')
			lead++;
		if (lead == len) { /* a blank line ends the paragraph */
			if (literal)
				request(r, ".fi\n.RE");
			if (code)
				font(r, 'R');
			literal = open = code = false;
		} else if (lead > 0) { /* a literal line */
			if (!literal) {
				if (!open && !first)
					request(r, "%s", para);
				request(r, ".RS 4\n.nf");
				literal = true;
				indent = lead;
			}
			size_t skip = lead < indent ? lead : indent;
			text(r, s + skip, len - skip, true);
			end_line(r);
		} else {
			if (literal) {
				request(r, ".fi\n.RE");
				literal = open = false;
			}
			if (!open && (!first || where == FLOW_TOP))
				request(r, "%s", para);
			open = true;
			inline_line(r, s, len, &code);
		}
		first = false;
		s = end ? end + 1 : s + len;
	}
	if (literal)
		request(r, ".fi\n.RE");
	if (code)
		font(r, 'R');
	end_line(r);
}

/* --- the parts of a page ------------------------------------------------------------- */

/* One word of a usage line: -x and --name bold, FILE or <command> (a
 * placeholder) italic, other words (create, head) bold as typed. */
static void usage_word(roff *r, const char *word, size_t len)
{
	size_t dots = len > 3 && strncmp(word + len - 3, "...", 3) == 0 ? 3 : 0;
	bool placeholder = isupper((unsigned char)word[0]) || word[0] == '<';
	font(r, placeholder ? 'I' : 'B');
	text(r, word, len - dots, true);
	font(r, 'R');
	text(r, word + len - dots, dots, false);
}

/* "retort <name> <usage>": .SY fills it with a hanging indent; inside
 * brackets spaces do not break ([--head REV] stays on one line). */
static void synopsis(roff *r, const char *name, const char *usage)
{
	request(r, ".SY \"%s\"", name);
	int depth = 0;
	bool space = false;
	for (const char *p = usage; *p;) {
		if (*p == ' ' || *p == '\n') {
			space = true;
			p++;
			continue;
		}
		if (space && !r->bol)
			rt__buf_puts(r->out, depth > 0 ? "\\ " : " ");
		space = false;
		if (*p == '[' || *p == ']' || *p == '|') {
			depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
			text(r, p, 1, false);
			p++;
			continue;
		}
		size_t len = strcspn(p, " \n[]|");
		usage_word(r, p, len);
		p += len;
	}
	request(r, ".YS");
}

static void option_term(roff *r, const cli_option *option)
{
	request(r, ".TP");
	if (option->letter) {
		font(r, 'B');
		rt__buf_printf(r->out, "\\-%c", option->letter);
		font(r, 'R');
		rt__buf_puts(r->out, ", ");
	}
	font(r, 'B');
	rt__buf_puts(r->out, "\\-\\-");
	text_str(r, option->name, true);
	font(r, 'R');
	if (option->arg) {
		rt__buf_putc(r->out, ' ');
		font(r, 'I');
		text_str(r, option->arg, true);
		font(r, 'R');
	}
	end_line(r);
}

static void options(roff *r, const cli_option *list)
{
	for (size_t i = 0; list && list[i].name; i++) {
		option_term(r, &list[i]);
		markup(r, list[i].help, FLOW_ITEM);
	}
}

static void page_reference(roff *r, const char *command, bool comma)
{
	request(r, ".BR retort%s%s (1)%s", command ? "\\-" : "", command ? command : "",
		comma ? "," : "");
}

static void header(roff *r, const char *command, const char *summary)
{
	rt__buf_puts(r->out, ".\\\" Generated by `retort help --man`: edit the command's texts\n"
			     ".\\\" (cli/), not this page.\n");
	r->bol = true;
	rt__buf_puts(r->out, ".TH \"RETORT");
	if (command) {
		rt__buf_puts(r->out, "\\-");
		for (const char *p = command; *p; p++) {
			if (*p == '-')
				rt__buf_puts(r->out, "\\-");
			else
				rt__buf_putc(r->out, (char)toupper((unsigned char)*p));
		}
	}
	rt__buf_printf(r->out, "\" 1 \"\" \"retort %s\" \"retort manual\"\n", rt_version());
	/* Option names and code must not break at a hyphen; left-aligned
	 * text keeps them from being spread out, as git's pages do. */
	request(r, ".nr HY 0\n.nh\n.ad l");
	request(r, ".SH NAME");
	text_str(r, command ? "retort-" : "retort", true);
	text_str(r, command ? command : "", true);
	rt__buf_puts(r->out, " \\- ");
	text_str(r, summary, false);
	end_line(r);
	request(r, ".SH SYNOPSIS");
}

/* --- the pages ------------------------------------------------------------------------ */

static void manual_section(roff *r, const cli_manual_section *section)
{
	request(r, ".SH \"%s\"", section->title);
	markup(r, section->text, FLOW_TOP);
	for (size_t i = 0; section->items && section->items[i].term; i++) {
		request(r, ".TP");
		font(r, 'B');
		text_str(r, section->items[i].term, true);
		font(r, 'R');
		end_line(r);
		markup(r, section->items[i].text, FLOW_ITEM);
	}
}

static void retort_page(roff *r)
{
	header(r, NULL, cli_manual_summary);
	for (const char *line = cli_manual_synopsis; *line;) {
		size_t len = strcspn(line, "\n");
		char usage[256];
		snprintf(usage, sizeof(usage), "%.*s", (int)len, line);
		synopsis(r, "retort", usage);
		line += len + (line[len] == '\n');
	}
	request(r, ".SH DESCRIPTION");
	markup(r, cli_manual_overview, FLOW_TOP);
	markup(r, cli_manual_description, FLOW_TOP);
	request(r, ".SH COMMANDS");
	for (size_t i = 0; i < cli_command_count; i++) {
		const cli_command *command = cli_commands[i];
		if (command->hidden)
			continue;
		request(r, ".TP");
		page_reference(r, command->name, false);
		markup(r, command->summary, FLOW_ITEM);
	}
	request(r, ".SH OPTIONS");
	options(r, cli_global_options);
	markup(r, cli_manual_options, FLOW_TOP);
	for (size_t i = 0; cli_manual_sections[i].title; i++)
		manual_section(r, &cli_manual_sections[i]);
	request(r, ".SH \"SEE ALSO\"");
	size_t last = cli_command_count;
	while (last > 0 && cli_commands[last - 1]->hidden)
		last--;
	for (size_t i = 0; i < last; i++)
		if (!cli_commands[i]->hidden)
			page_reference(r, cli_commands[i]->name, i + 1 < last);
	markup(r, cli_manual_see_also, FLOW_TOP);
}

static void command_page(roff *r, const cli_command *command)
{
	header(r, command->name, command->summary);
	char name[64];
	snprintf(name, sizeof(name), "retort %s", command->name);
	size_t skip = strlen(command->name);
	synopsis(r, name, strncmp(command->usage, command->name, skip) == 0
				  ? command->usage + skip : command->usage);
	request(r, ".SH DESCRIPTION");
	markup(r, command->description, FLOW_TOP);
	if (command->options && command->options[0].name) {
		request(r, ".SH OPTIONS");
		options(r, command->options);
	}
	request(r, ".SH \"GLOBAL OPTIONS\"");
	request(r, ".PP");
	text_str(r, "Accepted before or after the command's name, as", false);
	page_reference(r, NULL, false);
	text_str(r, "describes.", false);
	end_line(r);
	options(r, cli_global_options);
	if (command->examples) {
		request(r, ".SH EXAMPLES");
		markup(r, command->examples, FLOW_TOP);
	}
	request(r, ".SH \"SEE ALSO\"");
	const char *see = command->see_also ? command->see_also : "";
	page_reference(r, NULL, *see != '\0');
	while (*see) {
		size_t len = strcspn(see, " ");
		snprintf(name, sizeof(name), "%.*s", (int)len, see);
		see += len;
		see += strspn(see, " ");
		page_reference(r, name, *see != '\0');
	}
}

void cli_man_page(rt_buf *out, const cli_command *command)
{
	roff r = {out, true, ' ', false};
	if (command)
		command_page(&r, command);
	else
		retort_page(&r);
	end_line(&r);
}
