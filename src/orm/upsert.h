/*
 * upsert.h - what the two halves of rt_session_upsert share: upsert.c
 * writes the rows (INSERT ... with the dialect's conflict clause),
 * upsert_read.c gives each object the row as stored, from the statement's
 * own RETURNING rows where the dialect has them and by a SELECT on the
 * conflict key for the rest.
 */
#ifndef RETORT_ORM_UPSERT_H
#define RETORT_ORM_UPSERT_H

#include "orm/flush.h"
#include "orm/query.h"

typedef struct rt_upsert_run {
	rt_session *session;
	const rt_model_desc *model;
	rt_object **objects;
	void **out;                   /* the session's object of each row */
	size_t first;                 /* the statement's first object */
	size_t rows;                  /* and how many it writes */
	const rt_colset *columns;     /* the columns it writes */
	int target[RT_FLUSH_MAX_COLUMNS];
	const char *target_names[RT_FLUSH_MAX_COLUMNS];
	int target_count;
	const size_t *pick;           /* the objects a statement reads back */
	rt_timestamp now;             /* the `onupdate now` columns' time */
	int now_binds;                /* how many the statement binds */
	/* The statement's RETURNING list (upsert.c, returned_columns): the
	 * model's columns whose stored value the statement does not take from
	 * the object as bound, in order; where it has each conflict key
	 * column; and, of the others, the ones a row gives its object. When
	 * returned_all is false, the columns left out are the update's, which
	 * hold the object's values in its row (and only in its row). */
	int returned[RT_FLUSH_MAX_COLUMNS];
	int returned_count;
	bool returned_all;
	int key_at[RT_FLUSH_MAX_COLUMNS];
	int read_at[RT_FLUSH_MAX_COLUMNS];
	int read_count;
	/* The statement's RETURNING rows (rt__upsert_returning_*): its
	 * objects' conflict keys and the object of each (NULL where the
	 * dialect takes a key named twice: caps.upsert_keys_distinct), and
	 * where a row's key is read to look it up. */
	rt_keyset *returned_keys;
	size_t *returned_object;
	size_t returned_rows;         /* the rows it has returned so far */
	void *probe;
	rt_arena *scratch;
	/* The last statement written and its shape: the next one of the same
	 * shape (rows, columns, RETURNING or not) is the same SQL, so it is
	 * neither built nor looked up again (a 1,000-row INSERT's text is
	 * 20 kB: building and hashing it cost W8 2% of its instructions).
	 * It stays valid meanwhile: no other statement is taken between. */
	rt_stmt *stmt;
	size_t stmt_rows;
	rt_colset stmt_columns;
	bool stmt_returning;
} rt_upsert_run;

/* Whether the statement of objects [u->first, u->first + u->rows) can
 * take its rows back with RETURNING: the dialect has it and, where it
 * says so (caps.upsert_keys_distinct), no two of the objects name one key.
 * When true,
 * the lookup of its rows is ready for rt__upsert_returned_row. */
bool rt__upsert_returning_begin(rt_upsert_run *u, const rt_dialect *d, int *rc);
/* An rt_batch row callback: a RETURNING row of the statement, given to the
 * object of its key (a row no object of the statement claims is left:
 * its objects are read back by key afterwards). */
int rt__upsert_returned_row(void *ctx, size_t index, rt_stmt *stmt);
void rt__upsert_returning_end(rt_upsert_run *u);

/* Every object of the call still without its row, read back by key
 * (a hundred keys a SELECT, then one by one for a key the database
 * matched otherwise than C does). */
int rt__upsert_read_back(rt_upsert_run *u, rt_conn *conn, size_t count);

#endif
