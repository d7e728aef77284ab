/*
 * uow_ops.c - the operations of the randomized unit-of-work test: new
 * objects with random values (each default left alone, set to the default,
 * set to the other default, another value, NULL), links and unlinks through
 * every relationship kind (many-to-one, one-to-many with delete orphan,
 * one-to-one, many-to-many, self-referential), deletes with cascades,
 * flush, commit, rollback, savepoints, and constraint violations on
 * purpose followed by the documented recovery.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uow/uow.h"

#define MUST(r, call)                                                               \
	do {                                                                        \
		if ((call) != RT_OK)                                                \
			uow_fail((r), "%s: %s", #call, rt_error_last()->message);   \
	} while (0)

static int pick_alive(uow_run *r, uow_kind kind)
{
	int found[UOW_MAX_OBJECTS], n = 0;
	for (int i = 0; i < r->cur.count; i++)
		if (r->cur.objs[i].kind == kind && r->cur.objs[i].state == UOW_ALIVE)
			found[n++] = i;
	return n ? found[uow_pick(r, n)] : -1;
}

static uow_obj *add_obj(uow_run *r, uow_kind kind, void *ptr)
{
	uow_obj *o = &r->cur.objs[r->cur.count++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->ptr = ptr;
	o->state = UOW_ALIVE;
	o->parent = -1;
	return o;
}

static void set_text_val(uow_val *v, const char *s)
{
	v->null = s == NULL;
	snprintf(v->s, sizeof(v->s), "%s", s ? s : "");
}

static void set_int_val(uow_val *v, bool present, int64_t i)
{
	v->null = !present;
	v->i = i;
}

/* A fresh unique name, or (percent of the time) one a live object of the
 * kind already has: a UNIQUE violation on purpose. */
static void unique_name(uow_run *r, uow_kind kind, int dup_percent, char *out, size_t size)
{
	int other = uow_chance(r, dup_percent) ? pick_alive(r, kind) : -1;
	if (other >= 0)
		snprintf(out, size, "%s", r->cur.objs[other].v[0].s);
	else
		snprintf(out, size, "%c%d", "abtxcp"[kind], ++r->names);
}

static bool full(uow_run *r)
{
	return r->cur.count >= UOW_MAX_OBJECTS;
}

static void new_author(uow_run *r)
{
	Author *a = NULL;
	MUST(r, Author_new(&a, r->session));
	uow_obj *o = add_obj(r, UOW_AUTHOR, a);
	char name[40];
	unique_name(r, UOW_AUTHOR, 4, name, sizeof(name));
	MUST(r, Author_set_name(a, name));
	set_text_val(&o->v[0], name);
	const char *email = NULL;
	char buf[40];
	if (uow_chance(r, 50)) {
		snprintf(buf, sizeof(buf), "e%d@x", ++r->names);
		email = buf;
	}
	MUST(r, Author_set_email(a, email));
	set_text_val(&o->v[1], email);
	int mode = uow_pick(r, 3); /* left (client default 0), set to 0, other */
	if (mode == 2)
		a->karma = (int32_t)uow_pick(r, 1000) - 500;
	else if (mode == 1)
		a->karma = 0;
	set_int_val(&o->v[2], true, a->karma);
	uow_log(r, "new author #%d name %s email %s karma %d%s", r->cur.count - 1, name,
		email ? email : "NULL", a->karma, mode == 0 ? " (left)" : "");
}

static const char *random_price(uow_run *r, char *buf, size_t size)
{
	switch (uow_pick(r, 5)) {
	case 0:
		return NULL;
	case 1:
		return "12.50";
	case 2:
		if (uow_chance(r, 15))
			return "-1.00"; /* CHECK violation on purpose */
		return "0.00";
	default:
		snprintf(buf, size, "%d.%02d", uow_pick(r, 10000), uow_pick(r, 100));
		return buf;
	}
}

static void new_book(uow_run *r)
{
	int ai = pick_alive(r, UOW_AUTHOR);
	if (ai < 0)
		return;
	Author *a = r->cur.objs[ai].ptr;
	Book *b = NULL;
	MUST(r, Book_new(&b, r->session));
	uow_obj *o = add_obj(r, UOW_BOOK, b);
	char title[40], pbuf[40];
	snprintf(title, sizeof(title), "t%d", ++r->names);
	MUST(r, Book_set_title(b, title));
	set_text_val(&o->v[0], title);
	if (uow_chance(r, 50))
		b->score = uow_chance(r, 30) ? 0 : uow_pick(r, 100);
	set_int_val(&o->v[1], true, b->score);
	const char *price = random_price(r, pbuf, sizeof(pbuf));
	if (price || uow_chance(r, 50))
		MUST(r, Book_set_price(b, price));
	set_text_val(&o->v[2], price);
	bool from_parent = uow_chance(r, 50);
	MUST(r, from_parent ? Author_add_books(a, b) : Book_set_author(b, a));
	o->parent = ai;
	uow_log(r, "new book #%d of author #%d (%s) title %s score %d price %s",
		r->cur.count - 1, ai, from_parent ? "Author_add_books" : "Book_set_author", title,
		b->score, price ? price : "NULL");
}

static void new_tag(uow_run *r)
{
	Tag *t = NULL;
	MUST(r, Tag_new(&t, r->session));
	uow_obj *o = add_obj(r, UOW_TAG, t);
	char label[40];
	unique_name(r, UOW_TAG, 4, label, sizeof(label));
	MUST(r, Tag_set_label(t, label));
	set_text_val(&o->v[0], label);
	uow_log(r, "new tag #%d label %s", r->cur.count - 1, label);
}

static void new_bio(uow_run *r)
{
	int ai = pick_alive(r, UOW_AUTHOR);
	if (ai < 0 || r->cur.objs[ai].had_bio)
		return;
	Bio *b = NULL;
	MUST(r, Bio_new(&b, r->session));
	uow_obj *o = add_obj(r, UOW_BIO, b);
	char text[40];
	snprintf(text, sizeof(text), "bio%d", ++r->names);
	MUST(r, Bio_set_text(b, text));
	set_text_val(&o->v[0], text);
	bool from_author = uow_chance(r, 50);
	MUST(r, from_author ? Author_set_bio(r->cur.objs[ai].ptr, b)
			    : Bio_set_author(b, r->cur.objs[ai].ptr));
	o->parent = ai;
	r->cur.objs[ai].had_bio = true;
	uow_log(r, "new bio #%d of author #%d (%s)", r->cur.count - 1, ai,
		from_author ? "Author_set_bio" : "Bio_set_author");
}

static void new_category(uow_run *r)
{
	int pi = uow_chance(r, 40) ? -1 : pick_alive(r, UOW_CATEGORY);
	Category *c = NULL;
	MUST(r, Category_new(&c, r->session));
	uow_obj *o = add_obj(r, UOW_CATEGORY, c);
	char name[40];
	snprintf(name, sizeof(name), "c%d", ++r->names);
	MUST(r, Category_set_name(c, name));
	set_text_val(&o->v[0], name);
	bool from_parent = uow_chance(r, 50);
	if (pi >= 0) {
		Category *p = r->cur.objs[pi].ptr;
		MUST(r, from_parent ? Category_add_children(p, c) : Category_set_parent(c, p));
	}
	o->parent = pi;
	uow_log(r, "new category #%d parent #%d", r->cur.count - 1, pi);
}

/* Preset: each column left alone, set to its client default, to its
 * server default, to another value, or (nullable) to NULL. */
static void new_preset(uow_run *r)
{
	Preset *p = NULL;
	MUST(r, Preset_new(&p, r->session));
	uow_obj *o = add_obj(r, UOW_PRESET, p);
	static const char *const labels[] = {NULL, "client", "server", "other"};
	int m = uow_pick(r, 4);
	if (m)
		MUST(r, Preset_set_label(p, labels[m]));
	set_text_val(&o->v[0], m ? labels[m] : "client");
	static const int counts[] = {1, 1, 2, 42};
	int mc = uow_pick(r, 4);
	p->count = counts[mc];
	set_int_val(&o->v[1], true, p->count);
	int mf = uow_pick(r, 3); /* left true, set true, set false */
	p->flag = mf != 2;
	set_int_val(&o->v[2], true, p->flag);
	int mm = uow_pick(r, 4); /* left happy, happy, sad, so-so */
	p->mood = mm == 0 ? MOOD_HAPPY : (Mood)mm;
	snprintf(o->v[3].s, sizeof(o->v[3].s), "%s",
		 p->mood == MOOD_HAPPY ? "happy" : p->mood == MOOD_SAD ? "sad" : "so-so");
	int mn = uow_pick(r, 5); /* left, client, server, other, NULL */
	if (mn)
		MUST(r, Preset_set_n_label(p, mn == 4 ? NULL : labels[mn]));
	set_text_val(&o->v[4], mn == 0 ? "client" : mn == 4 ? NULL : labels[mn]);
	int mnc = uow_pick(r, 5);
	if (mnc)
		p->n_count = mnc == 4 ? (rt_opt_int32){0} : (rt_opt_int32){true, counts[mnc]};
	set_int_val(&o->v[5], mnc != 4, mnc == 0 ? 1 : mnc == 4 ? 0 : counts[mnc]);
	int ms = uow_pick(r, 4); /* left (server 7), NULL marked, 7, 0 */
	if (ms == 1)
		MUST(r, rt_object_mark_set(p, &p->s_count));
	else if (ms >= 2)
		p->s_count = (rt_opt_int32){true, ms == 2 ? 7 : 0};
	if (ms == 3)
		MUST(r, rt_object_mark_set(p, &p->s_count)); /* 0 is set too */
	set_int_val(&o->v[6], ms != 1, ms == 3 ? 0 : 7);
	int msl = uow_pick(r, 3); /* left (server), NULL by setter, 'x' */
	if (msl)
		MUST(r, Preset_set_s_label(p, msl == 1 ? NULL : "x"));
	set_text_val(&o->v[7], msl == 0 ? "server" : msl == 1 ? NULL : "x");
	o->generated = (ms == 0 ? 1u << 6 : 0) | (msl == 0 ? 1u << 7 : 0);
	uow_log(r, "new preset #%d modes label %d count %d flag %d mood %d n_label %d n_count %d "
		   "s_count %d s_label %d",
		r->cur.count - 1, m, mc, mf, mm, mn, mnc, ms, msl);
}

/* Whether another object of its kind that is or will be in the table
 * has the same name (a planned UNIQUE violation that has not failed yet):
 * renaming or deleting either would make the outcome depend on the order
 * of the flush's statements. */
static bool name_shared(uow_run *r, int i)
{
	for (int j = 0; j < r->cur.count; j++)
		if (j != i && r->cur.objs[j].kind == r->cur.objs[i].kind &&
		    r->cur.objs[j].state != UOW_GONE && r->cur.objs[j].state != UOW_DETACHED &&
		    strcmp(r->cur.objs[j].v[0].s, r->cur.objs[i].v[0].s) == 0)
			return true;
	return false;
}

static void set_field(uow_run *r)
{
	int i = uow_pick(r, r->cur.count ? r->cur.count : 1);
	if (i >= r->cur.count || r->cur.objs[i].state != UOW_ALIVE)
		return;
	uow_obj *o = &r->cur.objs[i];
	if ((o->kind == UOW_AUTHOR || o->kind == UOW_TAG) && name_shared(r, i))
		return;
	char text[40], pbuf[40];
	switch (o->kind) {
	case UOW_AUTHOR: {
		Author *a = o->ptr;
		if (uow_chance(r, 50)) {
			unique_name(r, UOW_AUTHOR, 3, text, sizeof(text));
			MUST(r, Author_set_name(a, text));
			set_text_val(&o->v[0], text);
		} else {
			a->karma = uow_chance(r, 30) ? 0 : uow_pick(r, 100);
			set_int_val(&o->v[2], true, a->karma);
		}
		uow_log(r, "set author #%d name %s karma %d", i, a->name, a->karma);
		break;
	}
	case UOW_BOOK: {
		Book *b = o->ptr;
		const char *price = random_price(r, pbuf, sizeof(pbuf));
		MUST(r, Book_set_price(b, price));
		set_text_val(&o->v[2], price);
		b->score = uow_pick(r, 5);
		set_int_val(&o->v[1], true, b->score);
		uow_log(r, "set book #%d price %s score %d", i, price ? price : "NULL", b->score);
		break;
	}
	case UOW_PRESET: {
		Preset *p = o->ptr;
		p->count = uow_chance(r, 50) ? 1 : 2;
		set_int_val(&o->v[1], true, p->count);
		bool null = uow_chance(r, 50);
		p->s_count = null ? (rt_opt_int32){0} : (rt_opt_int32){true, 5};
		MUST(r, rt_object_mark_set(p, &p->s_count));
		set_int_val(&o->v[6], !null, 5);
		o->generated &= ~(1u << 6);
		uow_log(r, "set preset #%d count %d s_count %s", i, p->count, null ? "NULL" : "5");
		break;
	}
	default: {
		snprintf(text, sizeof(text), "r%d", ++r->names);
		if (o->kind == UOW_TAG)
			unique_name(r, UOW_TAG, 3, text, sizeof(text));
		MUST(r, o->kind == UOW_TAG ? Tag_set_label(o->ptr, text)
		     : o->kind == UOW_BIO  ? Bio_set_text(o->ptr, text)
					   : Category_set_name(o->ptr, text));
		set_text_val(&o->v[0], text);
		uow_log(r, "set %s #%d to %s", uow_table(o->kind), i, text);
		break;
	}
	}
}

static void link_tag(uow_run *r, bool unlink)
{
	int ai = pick_alive(r, UOW_AUTHOR), ti = pick_alive(r, UOW_TAG);
	if (ai < 0 || ti < 0 || r->cur.link[ai][ti] != unlink)
		return;
	bool from_author = uow_chance(r, 50);
	Author *a = r->cur.objs[ai].ptr;
	Tag *t = r->cur.objs[ti].ptr;
	if (unlink)
		MUST(r, from_author ? Author_remove_tags(a, t) : Tag_remove_authors(t, a));
	else
		MUST(r, from_author ? Author_add_tags(a, t) : Tag_add_authors(t, a));
	r->cur.link[ai][ti] = !unlink;
	uow_log(r, "%s author #%d tag #%d from the %s side", unlink ? "unlink" : "link", ai, ti,
		from_author ? "author" : "tag");
}

/* Moves a book to another author, or unlinks it from its author (delete
 * orphan deletes it); re-parents a category or makes it a root. */
static void relink(uow_run *r)
{
	if (uow_chance(r, 50)) {
		int bi = pick_alive(r, UOW_BOOK), ai = pick_alive(r, UOW_AUTHOR);
		if (bi < 0 || ai < 0)
			return;
		uow_obj *b = &r->cur.objs[bi];
		if (uow_chance(r, 30)) {
			/* A rollback may leave the collection unloaded (unknown);
			 * unlinking goes through a loaded one. */
			Author *a = r->cur.objs[b->parent].ptr;
			bool had = a->books.loaded;
			if (!had)
				MUST(r, Author_load_books(a));
			bool found = false;
			for (size_t k = 0; k < a->books.count; k++)
				found |= a->books.items[k] == b->ptr;
			if (!found)
				uow_fail(r, "author #%d's %s books do not hold its book #%d", b->parent,
					 had ? "loaded" : "freshly loaded", bi);
			MUST(r, Author_remove_books(a, b->ptr));
			b->state = UOW_DELETED;
			uow_log(r, "unlink book #%d from author #%d (orphan: deleted)", bi, b->parent);
			return;
		}
		MUST(r, Book_set_author(b->ptr, r->cur.objs[ai].ptr));
		b->parent = ai;
		uow_log(r, "move book #%d to author #%d", bi, ai);
		return;
	}
	int ci = pick_alive(r, UOW_CATEGORY);
	if (ci < 0)
		return;
	uow_obj *c = &r->cur.objs[ci];
	int pi = uow_chance(r, 30) ? -1 : pick_alive(r, UOW_CATEGORY);
	if (pi >= ci)
		return; /* parents come first: no cycles */
	if (pi < 0 && c->parent >= 0 && uow_chance(r, 50))
		MUST(r, Category_remove_children(r->cur.objs[c->parent].ptr, c->ptr));
	else
		MUST(r, Category_set_parent(c->ptr, pi >= 0 ? r->cur.objs[pi].ptr : NULL));
	c->parent = pi;
	uow_log(r, "re-parent category #%d to #%d", ci, pi);
}

static void delete_one(uow_run *r)
{
	int i = uow_pick(r, r->cur.count ? r->cur.count : 1);
	if (i >= r->cur.count || r->cur.objs[i].state != UOW_ALIVE)
		return;
	uow_obj *o = &r->cur.objs[i];
	if ((o->kind == UOW_AUTHOR || o->kind == UOW_TAG) && name_shared(r, i))
		return;
	for (int j = 0; j < r->cur.count; j++) {
		uow_obj *c = &r->cur.objs[j];
		if (c->parent != i || c->state != UOW_ALIVE)
			continue;
		if (c->kind == UOW_BIO || c->kind == UOW_CATEGORY)
			return; /* not cascaded: the key would be orphaned */
	}
	MUST(r, rt_object_delete(o->ptr));
	o->state = UOW_DELETED;
	for (int j = 0; j < r->cur.count; j++) {
		uow_obj *c = &r->cur.objs[j];
		if (c->parent == i && c->state == UOW_ALIVE && c->kind == UOW_BOOK)
			c->state = UOW_DELETED; /* cascade delete */
		r->cur.link[i][j] = r->cur.link[j][i] = false;
	}
	uow_log(r, "delete %s #%d", uow_table(o->kind), i);
}

/* --- transactions ------------------------------------------------------- */

/* Recovery after a failed flush and its rollback: the program fixes the
 * values that failed and adds the objects again. */
static void recover(uow_run *r, int from)
{
	for (int i = from; i < r->cur.count; i++) {
		uow_obj *o = &r->cur.objs[i];
		if (o->state != UOW_DETACHED || !o->recoverable)
			continue;
		char text[40];
		if ((o->kind == UOW_AUTHOR || o->kind == UOW_TAG)) {
			snprintf(text, sizeof(text), "f%d", ++r->names);
			MUST(r, o->kind == UOW_AUTHOR ? Author_set_name(o->ptr, text)
						      : Tag_set_label(o->ptr, text));
			set_text_val(&o->v[0], text);
		}
		if (o->kind == UOW_BOOK && !o->v[2].null && strtod(o->v[2].s, NULL) < 0) {
			MUST(r, Book_set_price(o->ptr, "3.00"));
			set_text_val(&o->v[2], "3.00");
		}
		MUST(r, rt_object_add(r->session, o->ptr));
		o->state = UOW_ALIVE;
		o->recoverable = false;
		uow_log(r, "recover: add %s #%d again", uow_table(o->kind), i);
	}
	r->recoveries++;
}

/* Rolls back the innermost level (after a failure, or on purpose) and
 * checks objects and database. */
static void roll_back(uow_run *r, bool failed)
{
	int level = r->level;
	int from = r->saved[level]->count;
	if (level > 0) {
		MUST(r, rt_savepoint_rollback(r->savepoints[level]));
		r->savepoints[level] = NULL;
		r->level--;
		r->savepoint_rollbacks++;
	} else {
		MUST(r, rt_session_rollback(r->session));
		r->rollbacks++;
	}
	uow_restore(r, level);
	uow_log(r, "%s rolled back (level %d)", failed ? "failed flush" : "on purpose", level);
	uow_check_objects(r, from);
	uow_check_database(r, level > 0);
	if (failed && uow_chance(r, 70))
		recover(r, from);
}

/* Runs something that flushes; predicts whether it must fail. */
static bool flushing(uow_run *r, int rc, const char *what)
{
	bool bad = uow_violation_pending(r);
	if (bad) {
		if (rc != RT_ECONSTRAINT)
			uow_fail(r, "%s returned %d, expected a constraint violation (%s)", what, rc,
				 rc < 0 ? rt_error_last()->message : "no error");
		r->violations++;
		uow_log(r, "%s: constraint violation as planned: %s", what,
			rt_error_last()->message);
		roll_back(r, true);
		return false;
	}
	if (rc != RT_OK)
		uow_fail(r, "%s: %s", what, rt_error_last()->message);
	uow_after_flush(r);
	return true;
}

/* Releases the innermost savepoint: its changes flushed first, so that a
 * planned violation fails a flush, not the release. */
static bool release(uow_run *r)
{
	uow_log(r, "release savepoint %d", r->level);
	if (!flushing(r, rt_session_flush(r->session), "rt_session_flush"))
		return false;
	MUST(r, rt_savepoint_release(r->savepoints[r->level]));
	r->savepoints[r->level--] = NULL;
	return true;
}

static void commit(uow_run *r)
{
	while (r->level > 0)
		if (!release(r))
			return;
	uow_log(r, "commit");
	if (!flushing(r, rt_session_commit(r->session), "rt_session_commit"))
		return;
	r->commits++;
	uow_save(r, 0);
	uow_check_objects(r, r->cur.count);
	uow_check_database(r, false);
}

static void begin_nested(uow_run *r)
{
	if (r->level + 1 >= UOW_MAX_LEVELS)
		return;
	rt_savepoint *sp = NULL;
	uow_log(r, "begin savepoint %d", r->level + 1);
	if (!flushing(r, rt_session_begin_nested(&sp, r->session), "rt_session_begin_nested"))
		return;
	r->savepoints[++r->level] = sp;
	uow_save(r, r->level);
}

void uow_epoch(uow_run *r)
{
	if (r->session) {
		commit(r);
		rt_session_close(r->session);
	}
	static const char *const tables[] = {"author_tags", "bios",       "books",  "tags",
					     "categories",  "presets",    "authors"};
	/* InnoDB checks a self-reference row by row, not at the statement's
	 * end: a parent deleted before its child fails. Unlink them first. */
	db_exec(r->engine, "UPDATE categories SET parent_id = NULL");
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "DELETE FROM %s", tables[i]);
		db_exec(r->engine, sql);
	}
	memset(&r->cur, 0, sizeof(r->cur));
	r->level = 0;
	r->session = open_session(r->engine);
	r->epoch++;
	uow_save(r, 0);
	uow_log(r, "epoch %d", r->epoch);
}

void uow_step(uow_run *r)
{
	r->op++;
	int dice = uow_pick(r, 100);
	if (full(r) && dice < 40)
		dice += 40; /* no more objects: change, delete, end transactions */
	if (dice < 8)
		new_author(r);
	else if (dice < 18)
		new_book(r);
	else if (dice < 23)
		new_tag(r);
	else if (dice < 27)
		new_bio(r);
	else if (dice < 33)
		new_category(r);
	else if (dice < 40)
		new_preset(r);
	else if (dice < 52)
		set_field(r);
	else if (dice < 59)
		link_tag(r, false);
	else if (dice < 62)
		link_tag(r, true);
	else if (dice < 68)
		relink(r);
	else if (dice < 75)
		delete_one(r);
	else if (dice < 80) {
		uow_log(r, "flush");
		flushing(r, rt_session_flush(r->session), "rt_session_flush");
	} else if (dice < 88)
		commit(r);
	else if (dice < 91)
		roll_back(r, false);
	else if (dice < 95)
		begin_nested(r);
	else if (r->level > 0 && dice < 97)
		release(r);
	else if (r->level > 0) {
		roll_back(r, false);
	}
}
