/*
 * uow.h - the randomized unit-of-work test (test_uow.c, uow_ref.c,
 * uow_ops.c): random session operations on the models of
 * tests/orm/models.rt, checked against an in-memory reference.
 *
 * The reference holds, for every object the test made, what the program
 * asked for: its kind, state, column values and the reference index of its
 * parent (Book.author, Bio.author, Category.parent), plus the set of
 * author-tag links. A transaction's starting point is a copy of the whole
 * reference (at the last commit, and at each savepoint); rolling back
 * restores that copy, and objects made since become detached. After every
 * commit and rollback the database (read with plain SQL) must hold exactly
 * the reference's live rows, and every object must show its values.
 */
#ifndef RT_TESTS_ORM_UOW_H
#define RT_TESTS_ORM_UOW_H

#include <stdbool.h>
#include <stdint.h>

#include "session_test.h"

/* The harness's checks are not used here (a failure stops the run with
 * its log); this keeps its per-file state from being unused. */
static inline const char *uow_harness_name(void)
{
	return rt_test_current;
}

#define UOW_MAX_OBJECTS 160 /* per epoch; a new epoch starts on empty tables */
#define UOW_MAX_FIELDS 8
#define UOW_MAX_LEVELS 4    /* the transaction and up to three savepoints */

typedef enum uow_kind {
	UOW_AUTHOR, UOW_BOOK, UOW_TAG, UOW_BIO, UOW_CATEGORY, UOW_PRESET, UOW_KINDS
} uow_kind;

typedef enum uow_state {
	UOW_ALIVE = 1, /* pending or persistent: its row exists after a flush */
	UOW_DELETED,   /* rt_object_delete called, not flushed */
	UOW_GONE,      /* its DELETE was flushed */
	UOW_DETACHED   /* made since the point a rollback went back to */
} uow_state;

/* One column value: NULL, an integer (int, bool, enum index) or text
 * (text, numeric, enum name). */
typedef struct uow_val {
	bool null;
	int64_t i;
	char s[40];
} uow_val;

typedef struct uow_obj {
	uow_kind kind;
	void *ptr;
	uow_state state;
	int64_t id;        /* learned from the object after each flush; 0 before */
	int parent;        /* reference index of Book/Bio author, Category parent; -1 */
	uow_val v[UOW_MAX_FIELDS];
	/* Preset fields left to their server default: NULL in memory until
	 * inserted, the server's value after. */
	unsigned generated;
	bool had_bio;      /* an author that has (had) a bio: never another */
	/* Detached by a rollback while live, with nothing linked that is
	 * gone: the documented recovery (rt_object_add, commit) takes it. */
	bool recoverable;
} uow_obj;

/* Everything a rollback restores. */
typedef struct uow_ref {
	uow_obj objs[UOW_MAX_OBJECTS];
	int count;
	bool link[UOW_MAX_OBJECTS][UOW_MAX_OBJECTS]; /* [author][tag] */
} uow_ref;

typedef struct uow_run {
	rt_engine *engine;
	rt_session *session;
	rt_conn *reader;   /* the checker's connection (uow_ref.c) */
	bool postgres;
	uint64_t rng;
	uint64_t seed;
	int op;            /* operations done, over all epochs */
	int epoch;
	int names;         /* counter for unique names */
	uow_ref cur;
	/* saved[0]: as of the last commit; saved[k]: at savepoint k. */
	uow_ref *saved[UOW_MAX_LEVELS];
	rt_savepoint *savepoints[UOW_MAX_LEVELS];
	int level;         /* open savepoints */
	/* Counters printed at the end. */
	int commits, rollbacks, savepoint_rollbacks, violations, recoveries, checks;
} uow_run;

/* --- test_uow.c ----------------------------------------------------------- */
uint64_t uow_rand(uow_run *r);
int uow_pick(uow_run *r, int n);          /* 0..n-1 */
bool uow_chance(uow_run *r, int percent);
/* Appends to the operation log (printed when a check fails). */
void uow_log(uow_run *r, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Prints the failure, the seed and the operation log, and exits 1. */
void uow_fail(uow_run *r, const char *format, ...) __attribute__((format(printf, 2, 3)))
	__attribute__((noreturn));

/* --- uow_ref.c ------------------------------------------------------------ */
/* Field count and SQL column names of a kind (in reference order). */
int uow_field_count(uow_kind kind);
const char *uow_table(uow_kind kind);
/* The object's column values as the reference keeps them. */
void uow_read_object(const uow_obj *o, uow_val *out);
/* After a successful flush: ids learned, flushed deletes gone. */
void uow_after_flush(uow_run *r);
/* Takes the copy a rollback to `level` goes back to. */
void uow_save(uow_run *r, int level);
/* Restores level's copy; objects made since become detached. */
void uow_restore(uow_run *r, int level);
/* Objects against the reference (live: fields and keys; detached since
 * the last rollback: no key, no server values, the program's fields). */
void uow_check_objects(uow_run *r, int detached_from);
/* Both sides of every live parent link agree in memory: the child points
 * to its parent, whose collection (when loaded) holds it once. */
void uow_check_relationships(uow_run *r);
/* The database against the reference: committed, read on a connection of
 * its own (after commit or rollback), or in the session's transaction
 * (after a savepoint rollback). */
void uow_check_database(uow_run *r, bool in_session);
/* Whether the next flush must fail on purpose (a duplicate unique value
 * or a negative price among what it writes). */
bool uow_violation_pending(const uow_run *r);

/* --- uow_ops.c ------------------------------------------------------------ */
/* One random operation. */
void uow_step(uow_run *r);
/* Starts an epoch: a fresh session on empty tables, an empty reference. */
void uow_epoch(uow_run *r);

#endif
