/*
 * uow_ref.c - the reference of the randomized unit-of-work test: the
 * column values of each kind of object, the copies a rollback restores,
 * and the checks of objects and database against it.
 */
#include <stdlib.h>
#include <string.h>

#include "uow/uow.h"
#include "orm/orm.h"

typedef struct field_spec {
	const char *sql;   /* the SELECT expression */
	char type;         /* i int, s text, n numeric, b bool, e enum */
} field_spec;

typedef struct kind_spec {
	const char *table;
	const char *parent_column; /* or NULL */
	int count;
	field_spec fields[UOW_MAX_FIELDS];
} kind_spec;

static const kind_spec kinds[UOW_KINDS] = {
	[UOW_AUTHOR] = {"authors", NULL, 3, {{"name", 's'}, {"email", 's'}, {"karma", 'i'}}},
	[UOW_BOOK] = {"books", "author_id", 3,
		      {{"title", 's'}, {"score", 'i'}, {"CAST(price AS VARCHAR(40))", 'n'}}},
	[UOW_TAG] = {"tags", NULL, 1, {{"label", 's'}}},
	[UOW_BIO] = {"bios", "author_id", 1, {{"text", 's'}}},
	[UOW_CATEGORY] = {"categories", "parent_id", 1, {{"name", 's'}}},
	[UOW_PRESET] = {"presets", NULL, 8,
			{{"label", 's'},
			 {"count", 'i'},
			 {"CASE WHEN flag THEN 1 ELSE 0 END", 'b'},
			 {"CAST(mood AS VARCHAR(40))", 'e'},
			 {"n_label", 's'},
			 {"n_count", 'i'},
			 {"s_count", 'i'},
			 {"s_label", 's'}}},
};

static const char *const mood_names[] = {"happy", "sad", "so-so"};

int uow_field_count(uow_kind kind)
{
	return kinds[kind].count;
}

const char *uow_table(uow_kind kind)
{
	return kinds[kind].table;
}

static uow_val text_val(const char *s)
{
	uow_val v = {0};
	v.null = s == NULL;
	if (s)
		snprintf(v.s, sizeof(v.s), "%s", s);
	return v;
}

static uow_val int_val(bool present, int64_t i)
{
	uow_val v = {0};
	v.null = !present;
	v.i = present ? i : 0;
	return v;
}

static uow_val mood_val(int mood)
{
	uow_val v = {0};
	v.null = mood == 0;
	if (mood >= 1 && mood <= 3)
		snprintf(v.s, sizeof(v.s), "%s", mood_names[mood - 1]);
	else if (mood)
		snprintf(v.s, sizeof(v.s), "?%d", mood);
	return v;
}

void uow_read_object(const uow_obj *o, uow_val *out)
{
	switch (o->kind) {
	case UOW_AUTHOR: {
		const Author *a = o->ptr;
		out[0] = text_val(a->name);
		out[1] = text_val(a->email);
		out[2] = int_val(true, a->karma);
		break;
	}
	case UOW_BOOK: {
		const Book *b = o->ptr;
		out[0] = text_val(b->title);
		out[1] = int_val(true, b->score);
		out[2] = text_val(b->price);
		break;
	}
	case UOW_TAG:
		out[0] = text_val(((const Tag *)o->ptr)->label);
		break;
	case UOW_BIO:
		out[0] = text_val(((const Bio *)o->ptr)->text);
		break;
	case UOW_CATEGORY:
		out[0] = text_val(((const Category *)o->ptr)->name);
		break;
	case UOW_PRESET: {
		const Preset *p = o->ptr;
		out[0] = text_val(p->label);
		out[1] = int_val(true, p->count);
		out[2] = int_val(true, p->flag);
		out[3] = mood_val((int)p->mood);
		out[4] = text_val(p->n_label);
		out[5] = int_val(p->n_count.present, p->n_count.value);
		out[6] = int_val(p->s_count.present, p->s_count.value);
		out[7] = text_val(p->s_label);
		break;
	}
	default:
		break;
	}
}

static int64_t object_id(const uow_obj *o)
{
	return *(const int64_t *)o->ptr; /* id is the first field of every model */
}

/* The parent key the object holds, or -1 for NULL. */
static int64_t object_parent_key(const uow_obj *o)
{
	switch (o->kind) {
	case UOW_BOOK:
		return ((const Book *)o->ptr)->author_id;
	case UOW_BIO:
		return ((const Bio *)o->ptr)->author_id;
	case UOW_CATEGORY: {
		const Category *c = o->ptr;
		return c->parent_id.present ? c->parent_id.value : -1;
	}
	default:
		return -1;
	}
}

static bool val_equal(char type, const uow_val *a, const uow_val *b)
{
	if (a->null || b->null)
		return a->null == b->null;
	switch (type) {
	case 'i':
	case 'b':
		return a->i == b->i;
	case 'n':
		return strtod(a->s, NULL) == strtod(b->s, NULL);
	default:
		return strcmp(a->s, b->s) == 0;
	}
}

static void val_describe(char *out, size_t size, char type, const uow_val *v)
{
	if (v->null)
		snprintf(out, size, "NULL");
	else if (type == 'i' || type == 'b')
		snprintf(out, size, "%lld", (long long)v->i);
	else
		snprintf(out, size, "'%s'", v->s);
}

/* What the object must show for field f: the server's value stays in
 * memory only while the row it was read from exists. */
static uow_val expected_in_memory(const uow_obj *o, int f)
{
	if ((o->generated & (1u << f)) && o->state == UOW_DETACHED) {
		uow_val null = {0};
		null.null = true;
		return null;
	}
	return o->v[f];
}

void uow_after_flush(uow_run *r)
{
	for (int i = 0; i < r->cur.count; i++) {
		uow_obj *o = &r->cur.objs[i];
		if (o->state == UOW_DELETED)
			o->state = UOW_GONE;
		if (o->state != UOW_ALIVE)
			continue;
		o->id = object_id(o);
		if (o->id <= 0)
			uow_fail(r, "%s #%d has id %lld after a successful flush", uow_table(o->kind),
				 i, (long long)o->id);
	}
}

void uow_save(uow_run *r, int level)
{
	if (!r->saved[level] && !(r->saved[level] = malloc(sizeof(uow_ref))))
		uow_fail(r, "out of memory");
	memcpy(r->saved[level], &r->cur, sizeof(uow_ref));
}

void uow_restore(uow_run *r, int level)
{
	const uow_ref *s = r->saved[level];
	int count = r->cur.count;
	/* The links of objects made since, as the program left them. */
	bool linked[UOW_MAX_OBJECTS] = {0};
	for (int i = 0; i < count; i++)
		for (int j = 0; j < count; j++)
			if (r->cur.link[i][j])
				linked[i] = linked[j] = true;
	bool had_bio[UOW_MAX_OBJECTS];
	for (int i = 0; i < count; i++)
		had_bio[i] = r->cur.objs[i].had_bio;
	memcpy(r->cur.objs, s->objs, (size_t)s->count * sizeof(uow_obj));
	memcpy(r->cur.link, s->link, sizeof(s->link));
	for (int i = 0; i < count; i++)
		r->cur.objs[i].had_bio |= had_bio[i]; /* a bio made since may come back */
	for (int i = s->count; i < count; i++) {
		uow_obj *o = &r->cur.objs[i];
		o->recoverable = o->state == UOW_ALIVE && !linked[i] &&
				 (o->parent < 0 || o->parent < s->count ||
				  r->cur.objs[o->parent].recoverable);
		if (o->parent >= 0 && o->parent < s->count &&
		    r->cur.objs[o->parent].state != UOW_ALIVE)
			o->recoverable = false;
		o->state = UOW_DETACHED;
		o->id = 0;
	}
	/* A parent whose child cannot come back does not either (its
	 * collection still holds the child), nor then its other children. */
	for (bool changed = true; changed;) {
		changed = false;
		for (int i = s->count; i < count; i++) {
			uow_obj *o = &r->cur.objs[i];
			int p = o->parent;
			if (p >= s->count && o->recoverable != r->cur.objs[p].recoverable) {
				o->recoverable = r->cur.objs[p].recoverable = false;
				changed = true;
			}
		}
	}
}

void uow_check_objects(uow_run *r, int detached_from)
{
	r->checks++;
	uow_check_relationships(r);
	uow_val now[UOW_MAX_FIELDS];
	for (int i = 0; i < r->cur.count; i++) {
		const uow_obj *o = &r->cur.objs[i];
		bool detached_now = o->state == UOW_DETACHED && i >= detached_from;
		if (o->state != UOW_ALIVE && !detached_now)
			continue;
		const kind_spec *k = &kinds[o->kind];
		uow_read_object(o, now);
		for (int f = 0; f < k->count; f++) {
			uow_val want = expected_in_memory(o, f);
			if (!val_equal(k->fields[f].type, &now[f], &want)) {
				char a[64], b[64];
				val_describe(a, sizeof(a), k->fields[f].type, &now[f]);
				val_describe(b, sizeof(b), k->fields[f].type, &want);
				uow_fail(r, "%s #%d (%s): %s is %s in the object, expected %s",
					 k->table, i, detached_now ? "detached" : "live",
					 k->fields[f].sql, a, b);
			}
		}
		int64_t id = object_id(o);
		if (detached_now && id != 0)
			uow_fail(r, "%s #%d was detached by the rollback but keeps the id %lld the "
				    "database generated",
				 k->table, i, (long long)id);
		if (!detached_now && o->id && id != o->id)
			uow_fail(r, "%s #%d has id %lld, expected %lld", k->table, i, (long long)id,
				 (long long)o->id);
		if (!detached_now && o->id && k->parent_column) {
			int64_t want = o->parent >= 0 ? r->cur.objs[o->parent].id : -1;
			if (object_parent_key(o) != want)
				uow_fail(r, "%s #%d: %s is %lld in the object, expected %lld", k->table,
					 i, k->parent_column, (long long)object_parent_key(o),
					 (long long)want);
		}
	}
}

static bool list_holds(const rt_list *list, const void *item)
{
	int n = 0;
	for (size_t k = 0; k < list->count; k++)
		n += list->items[k] == item;
	return n == 1;
}

void uow_check_relationships(uow_run *r)
{
	for (int i = 0; i < r->cur.count; i++) {
		const uow_obj *o = &r->cur.objs[i];
		if (o->state != UOW_ALIVE || o->parent < 0)
			continue;
		const uow_obj *p = &r->cur.objs[o->parent];
		const void *pointer = NULL;
		const rt_list *list = NULL;
		if (o->kind == UOW_BOOK) {
			pointer = ((const Book *)o->ptr)->author;
			list = &((const Author *)p->ptr)->books;
		} else if (o->kind == UOW_BIO) {
			pointer = ((const Bio *)o->ptr)->author;
			if (((const Author *)p->ptr)->bio != o->ptr)
				uow_fail(r, "author #%d's bio is not its bio #%d", o->parent, i);
		} else if (o->kind == UOW_CATEGORY) {
			pointer = ((const Category *)o->ptr)->parent;
			list = &((const Category *)p->ptr)->children;
		}
		if (pointer != p->ptr)
			uow_fail(r, "%s #%d does not point to its parent #%d", uow_table(o->kind), i,
				 o->parent);
		if (list && list->loaded && !list_holds(list, o->ptr)) {
			int n = 0;
			for (size_t k = 0; k < list->count; k++) {
				n += list->items[k] == o->ptr;
				for (int j = 0; j < r->cur.count; j++)
					if (r->cur.objs[j].ptr == list->items[k])
						uow_log(r, "  the collection holds #%d (state %d, parent #%d)",
							j, (int)r->cur.objs[j].state,
							r->cur.objs[j].parent);
			}
			rt_object *h = rt__object_header(p->ptr);
			const rt_object_more *more = h ? rt__more(h) : NULL;
			if (more && more->collection_snapshots)
				for (int q = 0; q < h->model->relationship_count; q++)
					uow_log(r, "  snapshot of relationship %d: %zu items, loaded %d", q,
						more->collection_snapshots[q].count,
						more->collection_snapshots[q].loaded);
			if (h)
				uow_log(r, "  journal txn %llu level %d, session txn %llu level %d",
					(unsigned long long)more->journal_txn, more->journal_level,
					(unsigned long long)h->session->txn, h->session->level);
			uow_fail(r, "the loaded collection of #%d holds its child %s #%d %d times "
				    "(%zu items)",
				 o->parent, uow_table(o->kind), i, n, list->count);
		}
	}
}

/* --- reading the database --------------------------------------------- */

typedef struct reader {
	rt_stmt *stmt;
	rt_rows *rows;
} reader;

static void reader_open(uow_run *r, reader *rd, bool in_session, const char *sql)
{
	memset(rd, 0, sizeof(*rd));
	int rc;
	if (in_session) {
		rc = rt_session_sql(&rd->rows, r->session, sql, NULL, 0);
	} else {
		/* One connection of the checker's own for the whole run: it sees
		 * only what was committed. */
		rc = r->reader ? RT_OK : rt_conn_open(&r->reader, r->engine);
		if (rc == RT_OK)
			rc = rt_stmt_prepare(&rd->stmt, r->reader, sql);
	}
	if (rc != RT_OK)
		uow_fail(r, "%s: %s", sql, rt_error_last()->message);
}

static int reader_next(uow_run *r, reader *rd)
{
	int rc = rd->rows ? rt_rows_next(rd->rows) : rt_stmt_step(rd->stmt);
	if (rc < 0)
		uow_fail(r, "reading the database: %s", rt_error_last()->message);
	return rc;
}

static uow_val reader_val(reader *rd, int column)
{
	uow_val v = {0};
	bool null = rd->rows ? rt_rows_is_null(rd->rows, column)
			     : rt_stmt_column_is_null(rd->stmt, column);
	v.null = null;
	if (!null) {
		const char *text = rd->rows ? rt_rows_text(rd->rows, column)
					    : rt_stmt_column_text(rd->stmt, column);
		snprintf(v.s, sizeof(v.s), "%s", text ? text : "");
		v.i = strtoll(v.s, NULL, 10);
	}
	return v;
}

static void reader_close(reader *rd)
{
	rt_rows_free(rd->rows);
	rt_stmt_finalize(rd->stmt);
}

/* The reference's live objects of a kind, by id. */
static int by_id(const void *a, const void *b)
{
	int64_t x = (*(const uow_obj *const *)a)->id, y = (*(const uow_obj *const *)b)->id;
	return x < y ? -1 : x > y;
}

static void check_table(uow_run *r, uow_kind kind, bool in_session)
{
	const kind_spec *k = &kinds[kind];
	const uow_obj *want[UOW_MAX_OBJECTS];
	int n = 0;
	for (int i = 0; i < r->cur.count; i++)
		if (r->cur.objs[i].kind == kind && r->cur.objs[i].state == UOW_ALIVE)
			want[n++] = &r->cur.objs[i];
	qsort(want, (size_t)n, sizeof(want[0]), by_id);
	char sql[512];
	int len = snprintf(sql, sizeof(sql), "SELECT id, %s", k->parent_column ? k->parent_column : "0");
	for (int f = 0; f < k->count; f++)
		len += snprintf(sql + len, sizeof(sql) - (size_t)len, ", %s", k->fields[f].sql);
	snprintf(sql + len, sizeof(sql) - (size_t)len, " FROM %s ORDER BY id", k->table);
	reader rd;
	reader_open(r, &rd, in_session, sql);
	int row = 0;
	while (reader_next(r, &rd) == RT_ROW) {
		uow_val id = reader_val(&rd, 0);
		if (row >= n)
			uow_fail(r, "%s holds a row with id %lld that the reference does not have",
				 k->table, (long long)id.i);
		const uow_obj *o = want[row];
		if (id.i != o->id)
			uow_fail(r, "%s: row with id %lld, expected id %lld (%s #%d)", k->table,
				 (long long)id.i, (long long)o->id, k->table, (int)(o - r->cur.objs));
		uow_val parent = reader_val(&rd, 1);
		int64_t want_parent = o->parent >= 0 ? r->cur.objs[o->parent].id : -1;
		if (k->parent_column && (parent.null ? -1 : parent.i) != want_parent)
			uow_fail(r, "%s id %lld: %s is %s, expected %lld", k->table, (long long)o->id,
				 k->parent_column, parent.null ? "NULL" : parent.s,
				 (long long)want_parent);
		for (int f = 0; f < k->count; f++) {
			uow_val got = reader_val(&rd, f + 2);
			if (!val_equal(k->fields[f].type, &got, &o->v[f])) {
				char a[64], b[64];
				val_describe(a, sizeof(a), 's', &got);
				val_describe(b, sizeof(b), k->fields[f].type, &o->v[f]);
				uow_fail(r, "%s id %lld: %s is %s in the database, expected %s",
					 k->table, (long long)o->id, k->fields[f].sql, a, b);
			}
		}
		row++;
	}
	reader_close(&rd);
	if (row < n)
		uow_fail(r, "%s lacks the row with id %lld (%s #%d)", k->table,
			 (long long)want[row]->id, k->table, (int)(want[row] - r->cur.objs));
}

static void check_links(uow_run *r, bool in_session)
{
	reader rd;
	reader_open(r, &rd, in_session,
		    "SELECT author_id, tag_id FROM author_tags ORDER BY author_id, tag_id");
	int rows = 0, want = 0;
	while (reader_next(r, &rd) == RT_ROW) {
		int64_t a = reader_val(&rd, 0).i, t = reader_val(&rd, 1).i;
		int ai = -1, ti = -1;
		for (int i = 0; i < r->cur.count; i++) {
			const uow_obj *o = &r->cur.objs[i];
			if (o->state == UOW_ALIVE && o->kind == UOW_AUTHOR && o->id == a)
				ai = i;
			if (o->state == UOW_ALIVE && o->kind == UOW_TAG && o->id == t)
				ti = i;
		}
		if (ai < 0 || ti < 0 || !r->cur.link[ai][ti])
			uow_fail(r, "author_tags holds (%lld, %lld), which the reference does not",
				 (long long)a, (long long)t);
		rows++;
	}
	reader_close(&rd);
	for (int i = 0; i < r->cur.count; i++)
		for (int j = 0; j < r->cur.count; j++)
			if (r->cur.link[i][j])
				want++;
	if (rows != want) {
		for (int i = 0; i < r->cur.count; i++)
			for (int j = 0; j < r->cur.count; j++)
				if (r->cur.link[i][j])
					uow_log(r, "  reference link: author #%d (id %lld) - tag #%d "
						   "(id %lld)",
						i, (long long)r->cur.objs[i].id, j,
						(long long)r->cur.objs[j].id);
		uow_fail(r, "author_tags holds %d rows, the reference %d", rows, want);
	}
}

void uow_check_database(uow_run *r, bool in_session)
{
	r->checks++;
	for (int k = 0; k < UOW_KINDS; k++)
		check_table(r, (uow_kind)k, in_session);
	check_links(r, in_session);
}

bool uow_violation_pending(const uow_run *r)
{
	for (int i = 0; i < r->cur.count; i++) {
		const uow_obj *o = &r->cur.objs[i];
		if (o->state != UOW_ALIVE)
			continue;
		if (o->kind == UOW_BOOK && !o->v[2].null && strtod(o->v[2].s, NULL) < 0)
			return true;
		if (o->kind != UOW_AUTHOR && o->kind != UOW_TAG)
			continue;
		for (int j = i + 1; j < r->cur.count; j++) {
			const uow_obj *p = &r->cur.objs[j];
			if (p->kind == o->kind && (p->state == UOW_ALIVE || p->state == UOW_DELETED) &&
			    strcmp(p->v[0].s, o->v[0].s) == 0)
				return true;
		}
	}
	return false;
}
