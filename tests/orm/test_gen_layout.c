/*
 * test_gen_layout.c - the description `retort gen` wrote for
 * tests/orm/models.rt agrees with the structs it wrote: sizes and offsets,
 * field kinds and flags, client-side defaults, primary keys, every kind of
 * relationship with its key columns and back side, foreign keys, enums and
 * column handles. Reads only the static data: no database, no session.
 */
#include <stddef.h>

#include "test.h"
#include "models.h"

/* The index of the column called name (SQL name), or -1. */
static int column_of(const rt_model_desc *m, const char *name)
{
	for (int i = 0; i < m->column_count; i++)
		if (strcmp(m->columns[i].name, name) == 0)
			return i;
	return -1;
}

static const rt_relationship_desc *relationship_of(const rt_model_desc *m, const char *name)
{
	for (int i = 0; i < m->relationship_count; i++)
		if (strcmp(m->relationships[i].name, name) == 0)
			return &m->relationships[i];
	return NULL;
}

static void check_column(const rt_model_desc *m, const char *name, const char *field,
			 rt_field_kind kind, size_t offset, unsigned flags)
{
	int i = column_of(m, name);
	CHECK(i >= 0);
	if (i < 0) {
		fprintf(stderr, "  %s has no column %s\n", m->name, name);
		return;
	}
	const rt_column_desc *c = &m->columns[i];
	CHECK_STR(c->field, field);
	CHECK_INT(c->kind, kind);
	CHECK_INT(c->offset, offset);
	CHECK_INT(c->flags, flags);
}

static void test_model_set(void)
{
	/* These nine first, in schema order; later blocks of models.rt add
	 * models after them. */
	CHECK(models_models.model_count >= 9);
	const rt_model_desc *expected[] = {&Author_model,   &Bio_model,    &Book_model,
					   &Tag_model,      &Category_model, &Sample_model,
					   &Preset_model,   &Invoice_model,
					   &ProlificAuthor_model};
	for (int i = 0; i < 8 && i < models_models.model_count; i++)
		CHECK(models_models.models[i] == expected[i]);
	/* A model on a view names it; the others none. */
	CHECK_STR(ProlificAuthor_model.view, "prolific_authors");
	CHECK_STR(ProlificAuthor_model.table, "prolific_authors");
	CHECK(Author_model.view == NULL);
	CHECK_INT(Author_model.version, RT_MODEL_DESC_VERSION);
	CHECK_STR(Author_model.name, "Author");
	CHECK_STR(Author_model.table, "authors");
	CHECK_STR(Category_model.table, "categories");
	CHECK_INT(Author_model.size, sizeof(Author));
	CHECK_INT(Bio_model.size, sizeof(Bio));
	CHECK_INT(Book_model.size, sizeof(Book));
	CHECK_INT(Tag_model.size, sizeof(Tag));
	CHECK_INT(Category_model.size, sizeof(Category));
	CHECK_INT(Sample_model.size, sizeof(Sample));
}

static void test_author_columns(void)
{
	const rt_model_desc *m = &Author_model;
	CHECK_INT(m->column_count, 5);
	check_column(m, "id", "id", RT_FIELD_INT64, offsetof(Author, id),
		     RT_COLUMN_PRIMARY_KEY | RT_COLUMN_AUTOINCREMENT);
	check_column(m, "name", "name", RT_FIELD_TEXT, offsetof(Author, name), 0);
	check_column(m, "email", "email", RT_FIELD_TEXT, offsetof(Author, email),
		     RT_COLUMN_NULLABLE);
	check_column(m, "karma", "karma", RT_FIELD_INT32, offsetof(Author, karma),
		     RT_COLUMN_SERVER_DEFAULT | RT_COLUMN_CLIENT_DEFAULT);
	/* The mixin's column comes where `uses` puts it: after the model's own. */
	check_column(m, "created_at", "created_at", RT_FIELD_TIMESTAMP,
		     offsetof(Author, created_at), RT_COLUMN_SERVER_DEFAULT);
	CHECK_INT(m->primary_key_count, 1);
	CHECK_INT(m->primary_key[0], 0);
	/* Columns are in schema order. */
	CHECK_INT(column_of(m, "karma"), 3);
}

/* char(n) is text; a generated column is flagged so (and has no setter:
 * test_generated.c uses the others). */
static void test_invoice_columns(void)
{
	const rt_model_desc *m = &Invoice_model;
	CHECK_INT(m->column_count, 5);
	check_column(m, "code", "code", RT_FIELD_TEXT, offsetof(Invoice, code), 0);
	check_column(m, "total", "total", RT_FIELD_NUMERIC, offsetof(Invoice, total),
		     RT_COLUMN_NULLABLE | RT_COLUMN_GENERATED);
}

static void test_sample_columns(void)
{
	const rt_model_desc *m = &Sample_model;
	CHECK_INT(m->column_count, 36);
	const unsigned N = RT_COLUMN_NULLABLE;
	check_column(m, "i16", "i16", RT_FIELD_INT16, offsetof(Sample, i16), 0);
	check_column(m, "i32", "i32", RT_FIELD_INT32, offsetof(Sample, i32), 0);
	check_column(m, "i64", "i64", RT_FIELD_INT64, offsetof(Sample, i64), 0);
	check_column(m, "flag", "flag", RT_FIELD_BOOL, offsetof(Sample, flag), 0);
	check_column(m, "r", "r", RT_FIELD_FLOAT, offsetof(Sample, r), 0);
	check_column(m, "d", "d", RT_FIELD_DOUBLE, offsetof(Sample, d), 0);
	check_column(m, "amount", "amount", RT_FIELD_NUMERIC, offsetof(Sample, amount), 0);
	/* SQL name and C name differ. */
	check_column(m, "label_text", "label", RT_FIELD_TEXT, offsetof(Sample, label), 0);
	check_column(m, "body", "body", RT_FIELD_TEXT, offsetof(Sample, body), 0);
	check_column(m, "data", "data", RT_FIELD_BLOB, offsetof(Sample, data), 0);
	check_column(m, "day", "day", RT_FIELD_DATE, offsetof(Sample, day), 0);
	check_column(m, "clock", "clock", RT_FIELD_TIME, offsetof(Sample, clock), 0);
	check_column(m, "at", "at", RT_FIELD_TIMESTAMP, offsetof(Sample, at), 0);
	check_column(m, "at_tz", "at_tz", RT_FIELD_TIMESTAMPTZ, offsetof(Sample, at_tz), 0);
	check_column(m, "uid", "uid", RT_FIELD_UUID, offsetof(Sample, uid), 0);
	check_column(m, "doc", "doc", RT_FIELD_JSON, offsetof(Sample, doc), 0);
	check_column(m, "mood", "mood", RT_FIELD_ENUM, offsetof(Sample, mood),
		     RT_COLUMN_SERVER_DEFAULT | RT_COLUMN_CLIENT_DEFAULT);
	check_column(m, "n_i16", "n_i16", RT_FIELD_INT16, offsetof(Sample, n_i16), N);
	check_column(m, "n_i32", "n_i32", RT_FIELD_INT32, offsetof(Sample, n_i32), N);
	check_column(m, "n_i64", "n_i64", RT_FIELD_INT64, offsetof(Sample, n_i64), N);
	check_column(m, "n_flag", "n_flag", RT_FIELD_BOOL, offsetof(Sample, n_flag), N);
	check_column(m, "n_r", "n_r", RT_FIELD_FLOAT, offsetof(Sample, n_r), N);
	check_column(m, "n_d", "n_d", RT_FIELD_DOUBLE, offsetof(Sample, n_d), N);
	check_column(m, "n_amount", "n_amount", RT_FIELD_NUMERIC, offsetof(Sample, n_amount), N);
	check_column(m, "n_label", "n_label", RT_FIELD_TEXT, offsetof(Sample, n_label), N);
	check_column(m, "n_body", "n_body", RT_FIELD_TEXT, offsetof(Sample, n_body), N);
	check_column(m, "n_data", "n_data", RT_FIELD_BLOB, offsetof(Sample, n_data), N);
	check_column(m, "n_day", "n_day", RT_FIELD_DATE, offsetof(Sample, n_day), N);
	check_column(m, "n_clock", "n_clock", RT_FIELD_TIME, offsetof(Sample, n_clock), N);
	check_column(m, "n_at", "n_at", RT_FIELD_TIMESTAMP, offsetof(Sample, n_at), N);
	check_column(m, "n_at_tz", "n_at_tz", RT_FIELD_TIMESTAMPTZ, offsetof(Sample, n_at_tz), N);
	check_column(m, "n_uid", "n_uid", RT_FIELD_UUID, offsetof(Sample, n_uid), N);
	check_column(m, "n_doc", "n_doc", RT_FIELD_JSON, offsetof(Sample, n_doc), N);
	check_column(m, "n_mood", "n_mood", RT_FIELD_ENUM, offsetof(Sample, n_mood), N);

	const rt_column_desc *amount = &m->columns[column_of(m, "amount")];
	CHECK_INT(amount->precision, 12);
	CHECK_INT(amount->scale, 4);
	CHECK_INT(m->columns[column_of(m, "i32")].precision, 0);
	CHECK(m->columns[column_of(m, "mood")].enum_type == &Mood_enum);
	CHECK(m->columns[column_of(m, "n_mood")].enum_type == &Mood_enum);
	CHECK(m->columns[column_of(m, "i32")].enum_type == NULL);

	/* The field types: nullable scalars wrapped, pointers and blobs not. */
	Sample s = {0};
	CHECK_INT(sizeof(s.n_i32), sizeof(rt_opt_int32));
	CHECK_INT(sizeof(s.n_at), sizeof(rt_opt_timestamp));
	CHECK_INT(sizeof(s.n_data), sizeof(rt_bytes));
	CHECK_INT(sizeof(s.mood), sizeof(int));
	CHECK(!s.n_i32.present && !s.n_uid.present && s.n_mood == 0);
}

static void test_defaults(void)
{
	const Author *author = Author_model.defaults;
	CHECK(author != NULL);
	if (author)
		CHECK_INT(author->karma, 0);
	const Book *book = Book_model.defaults;
	CHECK(book != NULL);
	if (book)
		CHECK_INT(book->score, 0);
	const Sample *sample = Sample_model.defaults;
	CHECK(sample != NULL);
	if (sample) {
		CHECK_INT(sample->mood, MOOD_HAPPY);
		CHECK_INT(sample->n_mood, 0);
	}
	/* No client-side defaults: no struct. */
	CHECK(Bio_model.defaults == NULL);
	CHECK(Tag_model.defaults == NULL);
	CHECK(Category_model.defaults == NULL);
}

static void test_enum(void)
{
	CHECK_STR(Mood_enum.name, "Mood");
	CHECK_STR(Mood_enum.sql_name, "mood");
	CHECK_INT(Mood_enum.value_count, 3);
	CHECK_INT(MOOD_HAPPY, 1);
	CHECK_INT(MOOD_SAD, 2);
	CHECK_INT(MOOD_SO_SO, 3);
	/* C value k is values[k - 1]; a value that is no identifier keeps its
	 * spelling in SQL. */
	CHECK_STR(Mood_enum.values[MOOD_SO_SO - 1], "so-so");
	CHECK_STR(Mood_enum.values[MOOD_HAPPY - 1], "happy");
}

static void check_relationship(const rt_relationship_desc *r, rt_relationship_kind kind,
			       const rt_model_desc *target, size_t offset, unsigned flags,
			       int column, int target_column, int back, int order_by)
{
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(r->kind, kind);
	CHECK(r->target == target);
	CHECK_INT(r->offset, offset);
	CHECK_INT(r->flags, flags);
	CHECK_INT(r->column_count, 1);
	if (r->column_count == 1) {
		CHECK_INT(r->columns[0], column);
		CHECK_INT(r->target_columns[0], target_column);
	}
	CHECK_INT(r->back, back);
	CHECK_INT(r->order_by, order_by);
}

static void test_relationships(void)
{
	int author_id_of_book = column_of(&Book_model, "author_id");
	int author_id_of_bio = column_of(&Bio_model, "author_id");
	int parent_id = column_of(&Category_model, "parent_id");
	CHECK_INT(Author_model.relationship_count, 3);

	/* one-to-many: Author.id is what Book.author_id references */
	check_relationship(relationship_of(&Author_model, "books"), RT_RELATIONSHIP_ONE_TO_MANY,
			   &Book_model, offsetof(Author, books),
			   RT_RELATIONSHIP_CASCADE_DELETE | RT_RELATIONSHIP_DELETE_ORPHAN, 0,
			   author_id_of_book, 0, -1);
	/* ...and its many-to-one back side: the key is here */
	check_relationship(relationship_of(&Book_model, "author"), RT_RELATIONSHIP_MANY_TO_ONE,
			   &Author_model, offsetof(Book, author), 0, author_id_of_book, 0, 0, -1);
	/* one-to-one, and its key side (a many-to-one on a unique key) */
	check_relationship(relationship_of(&Author_model, "bio"), RT_RELATIONSHIP_ONE_TO_ONE,
			   &Bio_model, offsetof(Author, bio), 0, 0, author_id_of_bio, 0, -1);
	check_relationship(relationship_of(&Bio_model, "author"), RT_RELATIONSHIP_MANY_TO_ONE,
			   &Author_model, offsetof(Bio, author), 0, author_id_of_bio, 0, 1, -1);
	/* many-to-many through author_tags, both sides */
	const rt_relationship_desc *tags = relationship_of(&Author_model, "tags");
	check_relationship(tags, RT_RELATIONSHIP_MANY_TO_MANY, &Tag_model, offsetof(Author, tags),
			   0, 0, 0, 0, -1);
	const rt_relationship_desc *authors = relationship_of(&Tag_model, "authors");
	check_relationship(authors, RT_RELATIONSHIP_MANY_TO_MANY, &Author_model,
			   offsetof(Tag, authors), 0, 0, 0, 2, -1);
	if (tags && authors) {
		CHECK_STR(tags->secondary, "author_tags");
		CHECK_STR(tags->secondary_columns[0], "author_id");
		CHECK_STR(tags->secondary_target_columns[0], "tag_id");
		CHECK_STR(authors->secondary, "author_tags");
		CHECK_STR(authors->secondary_columns[0], "tag_id");
		CHECK_STR(authors->secondary_target_columns[0], "author_id");
	}
	/* self-referential: parent (key here) and children (ordered by name);
	 * `back` written only on children still links both ways */
	check_relationship(relationship_of(&Category_model, "parent"),
			   RT_RELATIONSHIP_MANY_TO_ONE, &Category_model, offsetof(Category, parent),
			   0, parent_id, 0, 1, -1);
	check_relationship(relationship_of(&Category_model, "children"),
			   RT_RELATIONSHIP_ONE_TO_MANY, &Category_model,
			   offsetof(Category, children), 0, 0, parent_id, 0,
			   column_of(&Category_model, "name"));
	/* Non-list relationships of other models have no association table. */
	const rt_relationship_desc *books = relationship_of(&Author_model, "books");
	CHECK(books && books->secondary == NULL && books->secondary_columns == NULL);
	CHECK_INT(Sample_model.relationship_count, 0);
	CHECK(Sample_model.relationships == NULL);
}

/* Every relationship's back side points back to it, on both structs. */
static void test_back_sides_agree(void)
{
	for (int i = 0; i < models_models.model_count; i++) {
		const rt_model_desc *m = models_models.models[i];
		if (m->parent)
			continue; /* a subclass's relationships are its root's */
		for (int r = 0; r < m->relationship_count; r++) {
			const rt_relationship_desc *rel = &m->relationships[r];
			CHECK(rel->back >= 0 && rel->back < rel->target->relationship_count);
			if (rel->back < 0 || rel->back >= rel->target->relationship_count)
				continue;
			const rt_relationship_desc *back = &rel->target->relationships[rel->back];
			CHECK(back->target == m);
			CHECK_INT(back->back, r);
			for (int k = 0; k < rel->column_count; k++) {
				CHECK(rel->columns[k] >= 0 && rel->columns[k] < m->column_count);
				CHECK(rel->target_columns[k] >= 0 &&
				      rel->target_columns[k] < rel->target->column_count);
			}
		}
	}
}

static void test_foreign_keys(void)
{
	CHECK_INT(Author_model.foreign_key_count, 0);
	CHECK_INT(Tag_model.foreign_key_count, 0);
	CHECK_INT(Bio_model.foreign_key_count, 1);
	CHECK_INT(Book_model.foreign_key_count, 1);
	CHECK_INT(Category_model.foreign_key_count, 1);
	const rt_foreign_key_desc *fk = Book_model.foreign_keys;
	CHECK(fk != NULL);
	if (fk) {
		CHECK_INT(fk->column_count, 1);
		CHECK_INT(fk->columns[0], column_of(&Book_model, "author_id"));
		CHECK_STR(fk->target_table, "authors");
		CHECK(fk->target == &Author_model);
	}
	fk = Category_model.foreign_keys;
	if (fk) {
		CHECK_STR(fk->target_table, "categories");
		CHECK(fk->target == &Category_model);
	}
}

/* Offsets grow in struct order and every field fits in the struct; the
 * relationship fields follow the columns. */
static void test_layout_is_sound(void)
{
	for (int i = 0; i < models_models.model_count; i++) {
		const rt_model_desc *m = models_models.models[i];
		size_t last = 0;
		for (int c = 0; c < m->column_count; c++) {
			CHECK(c == 0 || m->columns[c].offset > last);
			CHECK(m->columns[c].offset < m->size);
			last = m->columns[c].offset;
		}
		/* A subclass's relationships are its root's, in its base. */
		for (int r = 0; r < m->relationship_count && !m->parent; r++) {
			CHECK(m->relationships[r].offset > last);
			CHECK(m->relationships[r].offset < m->size);
			last = m->relationships[r].offset;
		}
	}
}

static void test_column_handles(void)
{
	CHECK(Author_c.name.ref.model == &Author_model);
	CHECK_INT(Author_c.name.ref.column, 1);
	CHECK(Sample_c.label.ref.model == &Sample_model);
	CHECK_INT(Sample_c.label.ref.column, column_of(&Sample_model, "label_text"));
	CHECK_INT(Sample_c.n_mood.ref.column, Sample_model.column_count - 2);
	/* A verbatim type is text in C (docs/schema-language.md). */
	CHECK_INT(Sample_c.n_code.ref.column, Sample_model.column_count - 1);
	check_column(&Sample_model, "n_code", "n_code", RT_FIELD_TEXT, offsetof(Sample, n_code),
		     RT_COLUMN_NULLABLE);
	CHECK(Category_c.parent_id.ref.model == &Category_model);
	CHECK_INT(Category_c.parent_id.ref.column, column_of(&Category_model, "parent_id"));
}

int main(void)
{
	RT_RUN(test_model_set);
	RT_RUN(test_author_columns);
	RT_RUN(test_sample_columns);
	RT_RUN(test_invoice_columns);
	RT_RUN(test_defaults);
	RT_RUN(test_enum);
	RT_RUN(test_relationships);
	RT_RUN(test_back_sides_agree);
	RT_RUN(test_foreign_keys);
	RT_RUN(test_layout_is_sound);
	RT_RUN(test_column_handles);
	return rt_test_done();
}
