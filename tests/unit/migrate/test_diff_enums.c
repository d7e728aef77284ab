/* Unit tests for src/migrate/diff_enums.c (autogenerate): enum types
 * created, extended and dropped, with native enums (PostgreSQL) and
 * without (SQLite, where the database keeps only each column's CHECK of
 * values). Every diff is checked as in test_diff.c (diff_check.h). */
#include "diff_check.h"

static void test_enums(void)
{
	const char *before = "enum Status { open, paid }\n"
			     "enum Old { x }\n"
			     "table carts {\n id int primary key\n status Status\n old Old?\n"
			     " note text\n}\n";
	const char *after = "enum Status { open, paid, shipped }\n"
			    "enum Mood { happy, sad }\n"
			    "table carts {\n id int primary key\n status Status\n"
			    " mood Mood server default happy\n note Mood\n}\n";
	diff(before, after);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(),
		  "create enum Mood (happy, sad)\n"
		  "alter enum Status add value 'shipped'\n"
		  "add column carts.mood | Mood\n"
		  "drop column carts.old | Old?\n"
		  "alter column carts.note type Mood\n"
		  "drop enum Old (x)\n");
	CHECK_STR(downgrade(),
		  "create enum Old (x)\n"
		  "alter column carts.note type text\n"
		  "add column carts.old | Old?\n"
		  "drop column carts.mood | Mood\n"
		  "alter enum Status drop value 'shipped'\n"
		  "drop enum Mood (happy, sad)\n");
}

static void test_enum_values_removed_or_reordered(void)
{
	inexact = true;
	diff("enum S { a, b, c }\ntable t { id int primary key\n s S }\n",
	     "enum S { a, c }\ntable t { id int primary key\n s S }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	check_warned("enum S: the database has values 'b' the models do not");
	diff("enum S { a, b }\ntable t { id int primary key\n s S }\n",
	     "enum S { b, a }\ntable t { id int primary key\n s S }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
	check_warned("enum S: the database keeps its own order");
	inexact = false;
}

static void test_enum_names_by_sql_name(void)
{
	/* Reflection names a type after its SQL name: HttpMethod for
	 * http_method, where the models say HTTPMethod. */
	diff("enum HttpMethod { get, post }\ntable t { id int primary key\n m HttpMethod }\n",
	     "enum HTTPMethod { get, post }\ntable t { id int primary key\n m HTTPMethod }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "");
}

static void test_sqlite_names_enums_by_column(void)
{
	/* What SQLite reflection gives: an enum per column, named after it. */
	const char *reflected = "enum CartStatus { open, paid }\nenum ItemKind { a, b }\n"
				"table carts { id int primary key\n status CartStatus }\n"
				"table items { id int primary key\n kind ItemKind }\n";
	const char *models = "enum Status { open, paid }\nenum Kind { a, b, c }\n"
			     "enum Unused { z }\n"
			     "table carts { id int primary key\n status Status }\n"
			     "table items { id int primary key\n kind Kind }\n";
	diff_with(reflected, models, &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter enum Kind add value 'c'\n");
	/* A column whose values the model's enum lacks moves to that type. */
	diff_with("enum ItemKind { a, b }\ntable items { id int primary key\n kind ItemKind }\n",
		  "enum Size { x, y }\ntable items { id int primary key\n kind Size }\n",
		  &rt__dialect_sqlite, NULL);
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "create enum Size (x, y)\n"
			     "alter column items.kind type Size\n"
			     "drop enum ItemKind (a, b)\n");
	/* With native enums the types are what they are called. */
	diff(reflected, models);
	CHECK_OK(r.rc);
	CHECK(strstr(upgrade(), "drop enum CartStatus") != NULL);
	CHECK(strstr(upgrade(), "create enum Unused") != NULL);
}

/* On SQLite with the scripts known (the CLI replays them), the enum types
 * are the scripts': reflection's per-column names never reach a script. */
static void sqlite_with_scripts(const char *reflected, const char *scripts_text,
				const char *models)
{
	rt_schema *scripts = parse(scripts_text);
	rt_diff_options opts = {.scripts = scripts};
	diff_with(reflected, models, &rt__dialect_sqlite, &opts);
	rt_schema_free(scripts);
}

static void test_sqlite_enums_are_the_scripts(void)
{
	const char *reflected = "enum ItemColor { red, green }\n"
				"table items { id int primary key\n color ItemColor }\n";
	const char *scripts = "enum Color { red, green }\nenum Old { x }\n"
			      "table items { id int primary key\n color Color }\n";
	/* Moved to a string while the models keep the enum: it stays. */
	sqlite_with_scripts(reflected, scripts,
			    "enum Color { red, green }\nenum Old { x }\n"
			    "table items { id int primary key\n color text }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter column items.color type text\n");
	CHECK_STR(downgrade(), "alter column items.color type Color\n");
	/* Gone from the models: the scripts' enums are dropped, by their names. */
	sqlite_with_scripts(reflected, scripts, "table items { id int primary key\n color text }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter column items.color type text\n"
			     "drop enum Color (red, green)\n"
			     "drop enum Old (x)\n");
	CHECK_STR(downgrade(), "create enum Old (x)\n"
			       "create enum Color (red, green)\n"
			       "alter column items.color type Color\n");
	/* The last column of an enum dropped. */
	sqlite_with_scripts(reflected, scripts,
			    "enum Old { x }\ntable items { id int primary key }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "drop column items.color | Color\ndrop enum Color (red, green)\n");
	/* Moved to another enum with the same values and one more. */
	sqlite_with_scripts(reflected, scripts,
			    "enum Old { x }\nenum Paint { red, green, blue }\n"
			    "table items { id int primary key\n color Paint }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "create enum Paint (red, green, blue)\n"
			     "alter column items.color type Paint\n"
			     "drop enum Color (red, green)\n");
	/* Values added to the scripts' enum, under its name. */
	sqlite_with_scripts(reflected, scripts,
			    "enum Color { red, green, blue }\nenum Old { x }\n"
			    "table items { id int primary key\n color Color }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter enum Color add value 'blue'\n");
	/* A column back on an enum the scripts kept: no create. */
	sqlite_with_scripts("table items { id int primary key\n color text }\n",
			    "enum Color { red, green }\n"
			    "table items { id int primary key\n color text }\n",
			    "enum Color { red, green }\n"
			    "table items { id int primary key\n color Color }\n");
	CHECK_OK(r.rc);
	CHECK_STR(upgrade(), "alter column items.color type Color\n");
}

int main(void)
{
	RT_RUN(test_enums);
	RT_RUN(test_enum_values_removed_or_reordered);
	RT_RUN(test_enum_names_by_sql_name);
	RT_RUN(test_sqlite_names_enums_by_column);
	RT_RUN(test_sqlite_enums_are_the_scripts);
	return rt_test_done();
}
