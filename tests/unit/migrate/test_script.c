/*
 * test_script.c - migration script files: the DESIGN §2 example as it
 * stands, every operation read into the model, errors, and the printer's
 * round trip (parse -> print -> parse -> print is stable) over a corpus
 * covering every operation.
 */
#include "test.h"

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/sha256.h"
#include "migrate/script.h"
#include "retort.h"

/* DESIGN.md §2, word for word. */
static const char design_example[] =
	"# create account table\n"
	"revision  855e78fafd96\n"
	"revises   base                 # or a revision id; several ids = a merge point\n"
	"created   2024-09-14 16:38:00\n"
	"branch    accounts             # optional branch label(s)\n"
	"depends   1a2b3c4d5e6f         # optional depends_on\n"
	"\n"
	"upgrade {\n"
	"  create table users {\n"
	"    id        bigint      primary key\n"
	"    username  string(50)  unique\n"
	"  }\n"
	"  add column products.description2 string?\n"
	"  alter column posts.title type string(100)\n"
	"  alter column posts.text null\n"
	"  rename column users.name to full_name\n"
	"  create index ix_posts_title on posts (title)\n"
	"  execute 'UPDATE products SET description2 = '''''\n"
	"}\n"
	"\n"
	"downgrade {\n"
	"  drop index ix_posts_title\n"
	"  rename column users.full_name to name\n"
	"  alter column posts.text not null\n"
	"  alter column posts.title type string(50)\n"
	"  drop column products.description2\n"
	"  drop table users\n"
	"}\n";

static rt_migration *parse(const char *text)
{
	rt_migration *m = NULL;
	int rc = rt__script_parse(&m, "versions/x.rt", text, strlen(text), 0);
	if (rc != RT_OK)
		fprintf(stderr, "%s\n", rt_error_last()->message);
	return m;
}

/* The error message a script gives, or "" when it parses. */
static char error_of[8192];
static const char *error_for(const char *text)
{
	rt_migration *m = NULL;
	int rc = rt__script_parse(&m, "x.rt", text, strlen(text), 0);
	rt__migration_free(m);
	snprintf(error_of, sizeof(error_of), "%s", rc == RT_OK ? "" : rt_error_last()->message);
	return error_of;
}

static void test_design_example(void)
{
	rt_migration *m = parse(design_example);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_STR(m->message, "create account table");
	CHECK_STR(m->revision, "855e78fafd96");
	CHECK_INT(m->revises_count, 0);
	CHECK_STR(m->created, "2024-09-14 16:38:00");
	CHECK_INT(m->branch_count, 1);
	CHECK_STR(m->branches[0], "accounts");
	CHECK_INT(m->depends_count, 1);
	CHECK_STR(m->depends[0], "1a2b3c4d5e6f");
	CHECK_STR(m->path, "versions/x.rt");
	CHECK(strncmp(m->checksum, "sha256:", 7) == 0 && strlen(m->checksum) == 7 + 64);
	CHECK_INT(m->upgrade_pos.line, 8);
	CHECK_INT(m->downgrade_pos.line, 21);

	CHECK_INT(m->upgrade.count, 7);
	CHECK_INT(m->downgrade.count, 6);
	if (m->upgrade.count != 7 || m->downgrade.count != 6) {
		rt__migration_free(m);
		return;
	}
	rt_op **up = m->upgrade.items, **down = m->downgrade.items;
	CHECK_INT(up[0]->kind, RT_OP_CREATE_TABLE);
	CHECK_STR(up[0]->table, "users");
	CHECK(up[0]->def && up[0]->def->column_count == 2);
	CHECK(up[0]->def && up[0]->def->primary_key &&
	      strcmp(up[0]->def->primary_key->name, "pk_users") == 0);
	CHECK(up[0]->def && up[0]->def->constraint_count == 1 &&
	      strcmp(up[0]->def->constraints[0]->name, "uq_users_username") == 0);
	CHECK_INT(up[0]->pos.line, 9);
	CHECK_INT(up[0]->pos.col, 3);

	CHECK_INT(up[1]->kind, RT_OP_ADD_COLUMN);
	CHECK_STR(up[1]->table, "products");
	CHECK_STR(up[1]->name, "description2");
	CHECK(up[1]->def && up[1]->def->columns[0]->nullable &&
	      up[1]->def->columns[0]->type.kind == RT_TYPE_STRING);

	CHECK_INT(up[2]->kind, RT_OP_ALTER_COLUMN);
	CHECK(up[2]->set_type && up[2]->type.kind == RT_TYPE_STRING && up[2]->type.length == 100);
	CHECK_INT(up[2]->null_change, RT_ALTER_NULL_KEEP);
	CHECK_INT(up[3]->null_change, RT_ALTER_NULL_SET);
	CHECK(!up[3]->set_type);

	CHECK_INT(up[4]->kind, RT_OP_RENAME_COLUMN);
	CHECK_STR(up[4]->table, "users");
	CHECK_STR(up[4]->name, "name");
	CHECK_STR(up[4]->new_name, "full_name");

	CHECK_INT(up[5]->kind, RT_OP_CREATE_INDEX);
	CHECK_STR(up[5]->table, "posts");
	CHECK(up[5]->index && !up[5]->index->unique && up[5]->index->key_count == 1 &&
	      strcmp(up[5]->index->keys[0].column, "title") == 0);

	CHECK_INT(up[6]->kind, RT_OP_EXECUTE);
	CHECK_STR(up[6]->sql, "UPDATE products SET description2 = ''");
	CHECK(up[6]->only_dialect == NULL);

	CHECK_INT(down[0]->kind, RT_OP_DROP_INDEX);
	CHECK_STR(down[0]->name, "ix_posts_title");
	CHECK(down[0]->table == NULL);
	CHECK(down[0]->index && down[0]->index->key_count == 0);
	CHECK_INT(down[2]->null_change, RT_ALTER_NULL_DROP);
	CHECK_INT(down[4]->kind, RT_OP_DROP_COLUMN);
	CHECK(down[4]->def == NULL);
	CHECK_INT(down[5]->kind, RT_OP_DROP_TABLE);
	CHECK(down[5]->def == NULL);
	rt__migration_free(m);
}

static void test_header(void)
{
	rt_migration *m = parse("#   merge heads   \n"
				"revises ae1027a6acf1 27c6a30d7c24\n"
				"revision 1975ea83b712\n"
				"depends accounts 1a2b\n"
				"upgrade {\n}\ndowngrade {\n}\n");
	CHECK(m != NULL);
	if (m) {
		CHECK_STR(m->message, "merge heads");
		CHECK_INT(m->revises_count, 2);
		CHECK_STR(m->revises[1], "27c6a30d7c24");
		CHECK(m->created == NULL);
		CHECK_INT(m->depends_count, 2);
		CHECK_INT(m->upgrade.count + m->downgrade.count, 0);
	}
	rt__migration_free(m);

	/* No comment before the keywords: no message. */
	m = parse("revision a1\nrevises base\n# not the message\nupgrade {\n}\ndowngrade {\n}\n");
	CHECK(m && strcmp(m->message, "") == 0);
	rt__migration_free(m);

	/* A NUL byte anywhere (found by the fuzzer in the message): not a
	 * script, and no line of it is shown. */
	m = NULL;
	CHECK_INT(rt__script_parse(&m, "x.rt", "# a \0b\nrevision a1\nrevises base\nupgrade {\n}\n"
					       "downgrade {\n}\n", 58, 0),
		  RT_EPARSE);
	CHECK(m == NULL);
	CHECK_STR(rt_error_last()->message, "x.rt:1:5: error: this is not a migration script (a "
					    "NUL byte); it is not read, and none of it is shown");
	/* Nor is a file that does not begin as a script, such as a copy of a
	 * password file: the error names the file and the place only. */
	static const char secret[] = "root:$6$saltsalt$c2VjcmV0aGFzaA:19000:0:99999:7:::\n";
	CHECK_INT(rt__script_parse(&m, "x.rt", secret, sizeof(secret) - 1, 0), RT_EPARSE);
	CHECK(strstr(rt_error_last()->message, "x.rt:1:1: error: this is not a migration script")
	      != NULL);
	CHECK(strstr(rt_error_last()->message, "root") == NULL);
	CHECK(strstr(rt_error_last()->message, "$6$") == NULL);

	/* The checksum is the file's, byte for byte. */
	m = parse("revision a1\nrevises base\nupgrade {\n}\ndowngrade {\n}\n");
	rt_migration *m2 = parse("revision a1\nrevises base\nupgrade {\n}\ndowngrade {\n}\n\n");
	CHECK(m && m2 && strcmp(m->checksum, m2->checksum) != 0);
	rt__migration_free(m);
	rt__migration_free(m2);
	CHECK_STR(error_for("revision a1\nrevises base\nupgrade {\n}\ndowngrade {\n}\n"), "");
	CHECK(strstr(error_for(""), "x.rt:1:1: error: the header has no revision id") != NULL);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16;
	char *text = malloc(cap);
	*len = text ? fread(text, 1, cap - 1, f) : 0;
	fclose(f);
	if (text)
		text[*len] = '\0';
	return text;
}

static const char *source_dir(void)
{
	const char *dir = getenv("RETORT_SOURCE_DIR");
	return dir ? dir : "../..";
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The operations of two parses of one script, compared. */
static void check_same_ops(const char *name, const rt_op_list *a, const rt_op_list *b)
{
	CHECK_INT(a->count, b->count);
	for (size_t i = 0; i < a->count && i < b->count; i++) {
		const rt_op *x = a->items[i], *y = b->items[i];
		bool same = x->kind == y->kind && same_text(x->table, y->table) &&
			    same_text(x->name, y->name) && same_text(x->new_name, y->new_name) &&
			    same_text(x->sql, y->sql) && same_text(x->value, y->value) &&
			    same_text(x->using_expr, y->using_expr) && !x->def == !y->def &&
			    (!x->def || x->def->column_count == y->def->column_count) &&
			    x->row_count == y->row_count && x->column_count == y->column_count &&
			    x->set_type == y->set_type && x->null_change == y->null_change &&
			    x->default_change == y->default_change &&
			    same_text(x->server_default.text, y->server_default.text);
		if (!same)
			fprintf(stderr, "%s: operation %zu differs after printing\n", name, i);
		CHECK(same);
	}
}

/* parse -> print -> parse -> print: the two printings are equal, and the
 * two parses hold the same operations. */
static void round_trip(const char *name, const char *text, size_t len)
{
	rt_migration *first = NULL, *second = NULL;
	char *printed = NULL, *reprinted = NULL;
	CHECK_OK(rt__script_parse(&first, name, text, len, 0));
	if (!first)
		return;
	CHECK_OK(rt__script_print(&printed, first, false));
	if (printed)
		CHECK_OK(rt__script_parse(&second, "printed.rt", printed, strlen(printed), 0));
	if (second) {
		CHECK_OK(rt__script_print(&reprinted, second, false));
		CHECK_STR(second->message, first->message);
		CHECK_STR(second->revision, first->revision);
		CHECK_INT(second->revises_count, first->revises_count);
		CHECK_INT(second->branch_count, first->branch_count);
		CHECK_INT(second->depends_count, first->depends_count);
		check_same_ops(name, &first->upgrade, &second->upgrade);
		check_same_ops(name, &first->downgrade, &second->downgrade);
	}
	if (printed && reprinted && strcmp(printed, reprinted) != 0)
		fprintf(stderr, "%s: unstable printing\n--- first:\n%s--- second:\n%s", name,
			printed, reprinted);
	CHECK(printed && reprinted && strcmp(printed, reprinted) == 0);
	free(printed);
	free(reprinted);
	rt__migration_free(first);
	rt__migration_free(second);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* tests/scripts/: a corpus covering every operation. */
/* `transaction none`: parsed, printed back, and any other value refused
 * at its column. */
static void test_transaction_none(void)
{
	const char *text = "# concurrently\nrevision a1\nrevises base\ntransaction none  # why\n"
			   "upgrade {\n}\ndowngrade {\n}\n";
	rt_migration *m = parse(text);
	CHECK(m && m->no_transaction);
	char *printed = NULL;
	CHECK_OK(m ? rt__script_print(&printed, m, false) : RT_EINVAL);
	CHECK(printed && strstr(printed, "\ntransaction none\n"));
	rt_migration *again = NULL;
	CHECK_OK(printed ? rt__script_parse(&again, "p.rt", printed, strlen(printed), 0)
			 : RT_EINVAL);
	CHECK(again && again->no_transaction);
	rt__migration_free(again);
	free(printed);
	rt__migration_free(m);

	m = parse("revision a1\nrevises base\nupgrade {\n}\ndowngrade {\n}\n");
	CHECK(m && !m->no_transaction);
	rt__migration_free(m);

	m = NULL;
	const char *bad = "revision a1\nrevises base\ntransaction off\nupgrade {\n}\n"
			  "downgrade {\n}\n";
	CHECK_INT(rt__script_parse(&m, "x.rt", bad, strlen(bad), 0), RT_EPARSE);
	CHECK(strstr(rt_error_last()->message,
		     "x.rt:3:13: error: expected 'none' after 'transaction' (the only choice") !=
	      NULL);
}

static void test_round_trip_corpus(void)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/scripts", source_dir());
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	char *names[128];
	size_t count = 0;
	struct dirent *entry;
	while ((entry = readdir(d)) && count < 128)
		if (strstr(entry->d_name, ".rt"))
			names[count++] = strdup(entry->d_name);
	closedir(d);
	qsort(names, count, sizeof(names[0]), compare_names);
	bool kinds[RT_OP_DROP_SCHEMA + 1] = {false};
	for (size_t i = 0; i < count; i++) {
		char path[4400];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		size_t len;
		char *text = read_all(path, &len);
		CHECK(text != NULL);
		if (text) {
			round_trip(names[i], text, len);
			rt_migration *m = NULL;
			if (rt__script_parse(&m, names[i], text, len, 0) == RT_OK) {
				for (size_t k = 0; k < m->upgrade.count; k++)
					kinds[m->upgrade.items[k]->kind] = true;
				for (size_t k = 0; k < m->downgrade.count; k++)
					kinds[m->downgrade.items[k]->kind] = true;
			}
			rt__migration_free(m);
		}
		free(text);
		free(names[i]);
	}
	CHECK(count >= 7);
	for (int k = 0; k <= RT_OP_DROP_SCHEMA; k++) {
		if (k > RT_OP_INSERT && k < RT_OP_CREATE_SCHEMA)
			continue; /* views, functions, triggers: tested on their own */
		if (!kinds[k])
			fprintf(stderr, "the corpus has no operation of kind %d\n", k);
		CHECK(kinds[k]);
	}
}

/* The DESIGN example prints back as written, without its comments. */
static void test_print_design_example(void)
{
	rt_migration *m = parse(design_example);
	char *text = NULL;
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_OK(rt__script_print(&text, m, true));
	CHECK_STR(text,
		  "# create account table\n"
		  "# generated by retort revision --autogenerate - review before upgrade\n"
		  "revision  855e78fafd96\n"
		  "revises   base\n"
		  "created   2024-09-14 16:38:00\n"
		  "branch    accounts\n"
		  "depends   1a2b3c4d5e6f\n"
		  "\n"
		  "upgrade {\n"
		  "  create table users {\n"
		  "    id        bigint      primary key\n"
		  "    username  string(50)  unique\n"
		  "  }\n"
		  "  add column products.description2 string?\n"
		  "  alter column posts.title type string(100)\n"
		  "  alter column posts.text null\n"
		  "  rename column users.name to full_name\n"
		  "  create index ix_posts_title on posts (title)\n"
		  "  execute 'UPDATE products SET description2 = '''''\n"
		  "}\n"
		  "\n"
		  "downgrade {\n"
		  "  drop index ix_posts_title\n"
		  "  rename column users.full_name to name\n"
		  "  alter column posts.text not null\n"
		  "  alter column posts.title type string(50)\n"
		  "  drop column products.description2\n"
		  "  drop table users\n"
		  "}\n");
	free(text);
	rt__migration_free(m);
}

/* A template of the user's, with lines that vanish when empty. */
static void test_template(void)
{
	rt_migration *m = parse("# first\nrevision abc123\nrevises base\n"
				"upgrade {\n  execute 'SELECT 1'\n}\ndowngrade {\n}\n");
	CHECK(m != NULL);
	if (!m)
		return;
	char *text = NULL;
	CHECK_OK(rt__script_render(&text, m,
				   "# ${message}\n${generated}\n# id ${revision} after ${revises}\n"
				   "${header}\n${branches}\nupgrade {\n${upgrade}\n}\n"
				   "downgrade {\n${downgrade}\n}\n",
				   false));
	CHECK_STR(text, "# first\n# id abc123 after base\nrevision  abc123\nrevises   base\n"
			"upgrade {\n  execute 'SELECT 1'\n}\ndowngrade {\n}\n");
	free(text);
	text = NULL;
	/* A template saved with CRLF line breaks gives plain ones. */
	CHECK_OK(rt__script_render(&text, m, "# ${message}\r\n${generated}\r\n${revision}\r\n",
				   false));
	CHECK_STR(text, "# first\nabc123\n");
	free(text);
	text = NULL;
	CHECK(rt__script_render(&text, m, "x ${nope}\n", false) == RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "line 1: unknown placeholder ${nope}") != NULL);
	CHECK(rt__script_render(&text, m, "\n${message\n", false) == RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "line 2: '${' without its '}'") != NULL);
	CHECK(text == NULL);
	/* No message: "#" alone, which reads back as no message. */
	m->message = "";
	CHECK_OK(rt__script_print(&text, m, false));
	CHECK(text && strncmp(text, "#\nrevision  abc123\n", 19) == 0);
	free(text);
	rt__migration_free(m);
}

/* What the printer refuses: an operation that no line can say. */
static void test_print_refuses(void)
{
	rt_migration *m = parse("revision a1\nrevises base\nupgrade {\n"
				"  add column t.c int unique\n"
				"  create table u {\n    id int\n  }\n}\ndowngrade {\n}\n");
	CHECK(m != NULL);
	if (!m || m->upgrade.count != 2) {
		rt__migration_free(m);
		return;
	}
	char *text = NULL;
	rt_op *add = m->upgrade.items[0];
	/* A unique constraint with a name of its own is no column option. */
	add->def->constraints[0]->name = "my_unique";
	add->def->constraints[0]->name_given = true;
	CHECK(rt__script_print(&text, m, false) == RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "cannot write the add column operation on t") !=
	      NULL);
	add->def->constraint_count = 0;
	/* A rename without its new name. */
	add->kind = RT_OP_RENAME_COLUMN;
	CHECK(rt__script_print(&text, m, false) == RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "it has no new name") != NULL);
	add->kind = RT_OP_ADD_COLUMN;
	rt_op *create = m->upgrade.items[1];
	rt_table *def = create->def;
	create->def = NULL;
	CHECK(rt__script_print(&text, m, false) == RT_EINVAL);
	create->def = def;
	create->kind = RT_OP_EXECUTE;
	create->sql = "a\n$$ b";
	CHECK(rt__script_print(&text, m, false) == RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "holds '$$'") != NULL);
	create->sql = "SELECT\n  1";
	CHECK_OK(rt__script_print(&text, m, false));
	CHECK(text && strstr(text, "  execute $$\n    SELECT\n  1\n  $$\n") != NULL);
	free(text);
	rt__migration_free(m);
}

/* What the parser hands on: normalized literals, open-world definitions. */
static void test_definitions(void)
{
	rt_migration *m = parse(
		"revision a1\nrevises base\nupgrade {\n"
		"  create enum Status { active, gone }\n"
		"  alter column users.status type Status server default 'gone'\n"
		"  add column users.team bigint? references teams(id) on delete set null\n"
		"  add column users.mood Mood server default 'happy'\n"
		"  insert into t (a, b, c) values (1, 'x', null), (2.5, '', true)\n"
		"  drop constraint fk on t\n"
		"}\ndowngrade {\n  drop enum Status\n}\n");
	CHECK(m != NULL);
	if (!m || m->upgrade.count != 6) {
		rt__migration_free(m);
		return;
	}
	rt_op **up = m->upgrade.items;
	CHECK_STR(up[0]->enum_def->sql_name, "status");
	CHECK_INT(up[0]->enum_def->value_count, 2);
	CHECK_INT(up[1]->type.kind, RT_TYPE_ENUM);
	CHECK_STR(up[1]->type.enum_name, "Status");
	CHECK_INT(up[1]->server_default.kind, RT_LITERAL_ENUM);
	const rt_table *def = up[2]->def;
	CHECK(def && def->constraint_count == 1);
	if (def && def->constraint_count == 1) {
		CHECK_STR(def->constraints[0]->name, "fk_users_team_teams");
		CHECK_STR(def->constraints[0]->ref_table, "teams");
		CHECK_INT(def->constraints[0]->on_delete, RT_FK_SET_NULL);
	}
	/* An enum the database has: any value goes, as an enum value. */
	CHECK(up[3]->def && up[3]->def->columns[0]->type.kind == RT_TYPE_ENUM &&
	      up[3]->def->columns[0]->type.enum_type == NULL &&
	      up[3]->def->columns[0]->server_default.kind == RT_LITERAL_ENUM);
	CHECK_INT(up[4]->row_count, 2);
	CHECK_INT(up[4]->column_count, 3);
	CHECK_INT(up[4]->rows[0][2].kind, RT_LITERAL_NONE);
	CHECK_INT(up[4]->rows[1][0].kind, RT_LITERAL_NUMBER);
	CHECK_STR(up[4]->rows[1][1].text, "");
	CHECK_INT(up[4]->rows[1][2].kind, RT_LITERAL_BOOL);
	CHECK(up[5]->constraint == NULL);
	CHECK_STR(up[5]->name, "fk");
	CHECK(m->downgrade.items[0]->enum_def &&
	      m->downgrade.items[0]->enum_def->value_count == 0);
	rt__migration_free(m);
}

/* Several errors in one run, in line order, each with its caret. */
static void test_errors(void)
{
	const char *msg = error_for("# x\nrevision a1\nrevises base\nupgrade {\n"
				    "  create table t {\n    id strng\n  }\n"
				    "  add column t.c int server default 'x'\n"
				    "  create enum Mood { a }\n"
				    "  add column t.m Mood server default b\n"
				    "  drop stuff\n"
				    "}\ndowngrade {\n}\n");
	CHECK(strstr(msg, "x.rt:6:8: error: unknown type 'strng'; did you mean 'string'?\n"
			  "    6 |     id strng\n"
			  "      |        ^") != NULL);
	CHECK(strstr(msg, "x.rt:8:37: error: the server default of column 'c' (int) must be") !=
	      NULL);
	CHECK(strstr(msg, "x.rt:10:38: error: the server default of column 'm' (Mood) must be "
			  "one of the values of enum Mood (a)") != NULL);
	CHECK(strstr(msg, "x.rt:11:8: error: expected 'table', 'column', 'index', 'unique "
			  "index', 'constraint', 'enum', 'view', 'materialized view', 'function', "
			  "'trigger', 'domain', 'sequence', 'aggregate', 'procedure' or 'schema' after 'drop', "
			  "found 'stuff'") != NULL);
	/* The enum's values follow alter enum within the block. */
	CHECK_STR(error_for("revision a1\nrevises base\nupgrade {\n"
			    "  create enum Mood { a }\n  alter enum Mood add value 'b'\n"
			    "  add column t.m Mood server default b\n}\ndowngrade {\n}\n"),
		  "");
	CHECK(strstr(error_for("revision a1\nrevises base\nupgrade {\n"
			       "  create enum Mood { a }\n  alter enum Mood add value a\n"
			       "}\ndowngrade {\n}\n"),
		     "enum Mood already has the value 'a'") != NULL);
	/* An enum without values, grown (found by the fuzzer). */
	CHECK(strstr(error_for("revision a1\nrevises base\nupgrade {\n"
			       "  create enum Mood { }\n  alter enum Mood add value a\n"
			       "}\ndowngrade {\n}\n"),
		     "x.rt:4:15: error: enum Mood has no values") != NULL);
	/* A missing brace is found at the next block, which still parses. */
	msg = error_for("revision a1\nrevises base\nupgrade {\n  drop table t\n"
			"downgrade {\n  drop stuff\n}\n");
	CHECK(strstr(msg, "x.rt:5:1: error: expected '}' to close upgrade (opened on line 3), "
			  "found 'downgrade'") != NULL);
	CHECK(strstr(msg, "x.rt:6:8: error: expected 'table'") != NULL);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void remove_file(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

/* A folder of scripts: file-name order, checksums of the bytes, every
 * file's errors at once. */
static void test_set_load(void)
{
	char dir[] = "/tmp/retort-script-set-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	const char *first_text =
		"# one\nrevision aaa\nrevises base\nupgrade {\n}\ndowngrade {\n}\n";
	write_file(dir, "b_second.rt",
		   "# two\nrevision bbb\nrevises aaa\nupgrade {\n}\ndowngrade {\n}\n");
	write_file(dir, "a_first.rt", first_text);
	write_file(dir, "notes.txt", "not a script");
	write_file(dir, ".#a_first.rt", "an editor's lock file");
	char path[512];
	snprintf(path, sizeof(path), "%s/sub.rt", dir);
	CHECK_INT(mkdir(path, 0700), 0);

	rt_migration_set *set = NULL;
	CHECK_OK(rt__migration_set_load(&set, dir, 0));
	CHECK(set && set->count == 2);
	if (set && set->count == 2) {
		CHECK_STR(set->items[0]->revision, "aaa");
		CHECK_STR(set->items[1]->revision, "bbb");
		snprintf(path, sizeof(path), "%s/a_first.rt", dir);
		CHECK_STR(set->items[0]->path, path);
		char hex[RT_SHA256_HEX_SIZE], want[80];
		rt__sha256_hex(first_text, strlen(first_text), hex);
		snprintf(want, sizeof(want), "sha256:%s", hex);
		CHECK_STR(set->items[0]->checksum, want);
	}
	rt__migration_set_free(set);

	/* Two broken files: both reported, in file order. */
	write_file(dir, "c_broken.rt",
		   "revision ccc\nrevises bbb\nupgrade {\n  drop\n}\ndowngrade {\n}\n");
	write_file(dir, "a_first.rt", "revision aaa\nupgrade {\n}\ndowngrade {\n}\n");
	set = NULL;
	CHECK(rt__migration_set_load(&set, dir, 0) == RT_EPARSE);
	CHECK(set == NULL);
	const char *msg = rt_error_last()->message;
	const char *first = strstr(msg, "a_first.rt:2:1: error: the header does not say");
	const char *second = strstr(msg, "c_broken.rt:4:7: error: expected 'table'");
	CHECK(first != NULL && second != NULL && first < second);

	CHECK(rt__migration_set_load(&set, "/nonexistent/versions", 0) == RT_EIO);
	CHECK(strstr(rt_error_last()->message, "/nonexistent/versions") != NULL);

	const char *names[] = {"a_first.rt", "b_second.rt", "c_broken.rt", "notes.txt",
			       ".#a_first.rt"};
	for (size_t i = 0; i < 5; i++)
		remove_file(dir, names[i]);
	snprintf(path, sizeof(path), "%s/sub.rt", dir);
	rmdir(path);
	rmdir(dir);
}

/* Embedded scripts: parsed from memory, in the order given. */
static void test_set_parse(void)
{
	const rt_script_source sources[] = {
		{"embedded/b.rt", "revision bbb\nrevises aaa\nupgrade {\n}\ndowngrade {\n}\n", 0},
		{"embedded/a.rt", design_example, sizeof(design_example) - 1},
	};
	rt_migration_set *set = NULL;
	CHECK_OK(rt__migration_set_parse(&set, sources, 2, 0));
	CHECK(set && set->count == 2);
	if (set && set->count == 2) {
		CHECK_STR(set->items[0]->revision, "bbb");
		CHECK_STR(set->items[1]->path, "embedded/a.rt");
		CHECK_INT(set->items[1]->upgrade.count, 7);
	}
	rt__migration_set_free(set);
	rt__migration_set_free(NULL);
}

int main(void)
{
	RT_RUN(test_design_example);
	RT_RUN(test_header);
	RT_RUN(test_transaction_none);
	RT_RUN(test_round_trip_corpus);
	RT_RUN(test_print_design_example);
	RT_RUN(test_template);
	RT_RUN(test_print_refuses);
	RT_RUN(test_definitions);
	RT_RUN(test_errors);
	RT_RUN(test_set_load);
	RT_RUN(test_set_parse);
	return rt_test_done();
}
