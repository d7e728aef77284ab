/*
 * test_template.c - naming new scripts: Alembic's slug (expected values
 * computed with Alembic's own expression in Python), file_template tokens
 * and %-formats (as Python's % operator gives them), errors, revision ids
 * and the created timestamp.
 */
#include "test.h"

#include <ctype.h>
#include <stdbool.h>

#include "migrate/template.h"
#include "retort.h"

static const char *slug(rt_arena *arena, const char *message)
{
	const char *s = rt__template_slug(arena, message);
	return s ? s : "(null)";
}

static void test_slug(void)
{
	rt_arena *arena = rt__arena_new();
	CHECK_STR(slug(arena, "create account table"), "create_account_table");
	CHECK_STR(slug(arena, "Add description2 to Product!"), "add_description2_to_product");
	CHECK_STR(slug(arena, "  init   migration "), "init_migration");
	CHECK_STR(slug(arena, "a-b.c/d"), "a_b_c_d");
	CHECK_STR(slug(arena, ""), "");
	CHECK_STR(slug(arena, NULL), "");
	/* Cut at the last '_' within 40 characters, then '_'. */
	CHECK_STR(slug(arena, "This is a very long message that goes past the forty "
			      "character limit"),
		  "this_is_a_very_long_message_that_goes_");
	CHECK_STR(slug(arena, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_");
	/* Exactly 40 is kept whole. */
	CHECK_STR(slug(arena, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	/* Non-ASCII letters are word characters, counted as one each. */
	CHECK_STR(slug(arena, "\xc3\x9c" "n" "\xc3\xaf" "code \xc3\xa7" "af\xc3\xa9 na\xc3\xaf" "ve"),
		  "\xc3\xbc" "n" "\xc3\xaf" "code_\xc3\xa7" "af\xc3\xa9_na\xc3\xaf" "ve");
	CHECK_STR(slug(arena, "\xc3\xbc" "ber_lang_\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
			      "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
			      "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
			      "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
			      "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4_end"),
		  "\xc3\xbc" "ber_lang_");
	rt__arena_free(arena);
}

static rt_template_values values(void)
{
	rt_template_values v;
	memset(&v, 0, sizeof(v));
	v.rev = "855e78fafd96";
	v.message = "create account table";
	v.time.tm_year = 2024 - 1900;
	v.time.tm_mon = 8;
	v.time.tm_mday = 14;
	v.time.tm_hour = 16;
	v.time.tm_min = 38;
	v.time.tm_sec = 5;
	v.epoch = 1726331880;
	return v;
}

/* The file name for a template, or the error message. */
static char result[1024];
static const char *name_for(const char *tmpl)
{
	rt_template_values v = values();
	char *name = NULL;
	int rc = rt__template_file_name(&name, tmpl, &v);
	snprintf(result, sizeof(result), "%s", rc == RT_OK ? name : rt_error_last()->message);
	free(name);
	return result;
}

static void test_file_template(void)
{
	CHECK_STR(name_for("%(rev)s_%(slug)s"), "855e78fafd96_create_account_table.rt");
	CHECK_STR(name_for("%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s"),
		  "2024_09_14_1638-855e78fafd96_create_account_table.rt");
	CHECK_STR(name_for("%(epoch)s-%(second)02d"), "1726331880-05.rt");
	/* Python's formats: '%(rev)5s|%(rev)-14s|%(month)03d|%(month)-3d|%(month)+d|%(rev).3s|%(month)5.3d' */
	rt_template_values v = values();
	v.rev = "abc";
	char *name = NULL;
	CHECK_OK(rt__template_file_name(&name,
					"%(rev)5s|%(rev)-14s|%(month)03d|%(month)-3d|%(month)+d|"
					"%(rev).3s|%(month)5.3d|%(month)i|%%",
					&v));
	CHECK_STR(name, "  abc|abc           |009|9  |+9|abc|  009|9|%.rt");
	free(name);

	CHECK(strstr(name_for("%(revision)s"), "unknown token %(revision)") != NULL);
	CHECK(strstr(name_for("%(rev)d"), "%(rev)d formats a number, but rev is text; write "
					  "%(rev)s") != NULL);
	CHECK(strstr(name_for("%(rev)x"), "no conversion retort knows") != NULL);
	CHECK(strstr(name_for("100%"), "'%' starts a token") != NULL);
	CHECK(strstr(name_for("%(rev"), "without its ')'") != NULL);
	CHECK(strstr(name_for("sub/%(rev)s"), "holds a '/'") != NULL);
	CHECK(strstr(name_for(""), "empty file name") != NULL);
}

static void test_revision_id(void)
{
	char a[13], b[13];
	CHECK_OK(rt__template_revision_id(a));
	CHECK_OK(rt__template_revision_id(b));
	CHECK_INT(strlen(a), 12);
	bool hex = true;
	for (int i = 0; i < 12; i++)
		hex &= isxdigit((unsigned char)a[i]) && !isupper((unsigned char)a[i]);
	CHECK(hex);
	CHECK(strcmp(a, b) != 0);
}

static void test_created(void)
{
	rt_template_values v = values();
	char created[20];
	rt__template_created(created, &v.time);
	CHECK_STR(created, "2024-09-14 16:38:05");
}

int main(void)
{
	RT_RUN(test_slug);
	RT_RUN(test_file_template);
	RT_RUN(test_revision_id);
	RT_RUN(test_created);
	return rt_test_done();
}
