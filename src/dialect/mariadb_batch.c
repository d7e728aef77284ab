/*
 * mariadb_batch.c - the MariaDB dialect's run_batch hook: one prepared
 * statement run for many parameter sets with Connector/C's array binding
 * (STMT_ATTR_ARRAY_SIZE), up to BULK_SETS sets in one execution, so that a
 * flush of a thousand UPDATEs is one round trip instead of a thousand.
 *
 * The rules, and why:
 *   - Only a write without RETURNING goes in bulk, and only when the
 *     caller wants no rows: a bulk execution sends back no rows, so any
 *     other statement runs one set at a time, as engine/batch.c's plain
 *     loop would.
 *   - Only inside a transaction, each chunk under a savepoint. When a
 *     chunk fails, the server does not say which set failed; the chunk is
 *     rolled back to the savepoint and replayed one set at a time, so the
 *     error, the index of the failing set and the rows written before it
 *     are exactly the plain loop's. Outside a transaction the rows before
 *     the failing set would already be committed, and a replay would write
 *     them twice: there the sets run one at a time.
 *   - A parameter's values in one chunk share a type (NULL fits any); a set
 *     whose value is of another type ends the chunk, the next starts with it.
 *   - The values are copied at bind time, as for a single execution: the
 *     caller's bind(i) fills the statement's own parameter slots through
 *     the dialect's bind hook, and this file copies them into the arrays.
 *
 * The alternative rejected: one multi-row statement per batch (UPDATE ...
 * CASE id WHEN ...): new SQL for every batch size, each a statement of its
 * own to prepare and cache, and the server plans a large CASE per row.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "dialect/mariadb.h"

/* Sets in one bulk execution, and the bytes of values that end a chunk
 * early (the execution must fit the server's max_allowed_packet, 16 MiB
 * by default). */
#define BULK_SETS 1000
#define BULK_BYTES (4u << 20)

/* One parameter's values for the sets of a chunk, column-wise as
 * Connector/C reads them. */
typedef struct bulk_param {
	enum enum_field_types type; /* MYSQL_TYPE_NULL until a value is seen */
	long long *ints;
	double *doubles;
	size_t *offsets;        /* text and blobs: where each value starts in bytes */
	char **pointers;        /* ... and, filled just before the execution, the pointers */
	unsigned long *lengths;
	char *indicators;       /* STMT_INDICATOR_NONE or STMT_INDICATOR_NULL */
} bulk_param;

typedef struct bulk {
	rt_driver_stmt *stmt;
	const rt_driver_batch *batch;
	int count;              /* parameters */
	bulk_param *params;
	MYSQL_BIND *binds;
	rt_buf bytes;           /* the text and blob values of the chunk */
	size_t first, sets;     /* the chunk: sets [first, first + sets) */
} bulk;

static void bulk_free(bulk *b)
{
	for (int p = 0; b->params && p < b->count; p++) {
		bulk_param *bp = &b->params[p];
		free(bp->ints);
		free(bp->doubles);
		free(bp->offsets);
		free(bp->pointers);
		free(bp->lengths);
		free(bp->indicators);
	}
	free(b->params);
	free(b->binds);
	rt__buf_free(&b->bytes);
}

static int bulk_init(bulk *b, rt_driver_stmt *stmt, const rt_driver_batch *batch)
{
	memset(b, 0, sizeof(*b));
	b->stmt = stmt;
	b->batch = batch;
	b->count = rt__mariadb_param_count(stmt);
		b->params = calloc((size_t)b->count, sizeof(*b->params));
	b->binds = calloc((size_t)b->count, sizeof(*b->binds));
	if (!b->params || !b->binds)
		return rt__error_nomem();
	for (int p = 0; p < b->count; p++) {
		bulk_param *bp = &b->params[p];
		bp->ints = malloc(BULK_SETS * sizeof(*bp->ints));
		bp->doubles = malloc(BULK_SETS * sizeof(*bp->doubles));
		bp->offsets = malloc(BULK_SETS * sizeof(*bp->offsets));
		bp->pointers = malloc(BULK_SETS * sizeof(*bp->pointers));
		bp->lengths = malloc(BULK_SETS * sizeof(*bp->lengths));
		bp->indicators = malloc(BULK_SETS);
		if (!bp->ints || !bp->doubles || !bp->offsets || !bp->pointers || !bp->lengths ||
		    !bp->indicators)
			return rt__error_nomem();
	}
	return RT_OK;
}

/* Whether the values just bound fit the chunk's types. */
static bool fits(const bulk *b, rt_driver_stmt *stmt)
{
	for (int p = 0; p < b->count; p++) {
		enum enum_field_types t = rt__mariadb_bound(stmt, p)->buffer_type;
		if (t != MYSQL_TYPE_NULL && b->params[p].type != MYSQL_TYPE_NULL &&
		    t != b->params[p].type)
			return false;
	}
	return true;
}

/* Appends the values just bound as set number b->sets of the chunk. */
static int add_set(bulk *b, rt_driver_stmt *stmt)
{
	size_t row = b->sets;
	for (int p = 0; p < b->count; p++) {
		bulk_param *bp = &b->params[p];
		const MYSQL_BIND *bound = rt__mariadb_bound(stmt, p);
		enum enum_field_types t = bound->buffer_type; /* NULL: MYSQL_TYPE_NULL */
		bp->indicators[row] = t == MYSQL_TYPE_NULL ? STMT_INDICATOR_NULL : STMT_INDICATOR_NONE;
		bp->lengths[row] = 0;
		bp->offsets[row] = b->bytes.len;
		if (t == MYSQL_TYPE_NULL)
			continue;
		bp->type = t;
		if (t == MYSQL_TYPE_LONGLONG) {
			bp->ints[row] = *(const long long *)bound->buffer;
		} else if (t == MYSQL_TYPE_DOUBLE) {
			bp->doubles[row] = *(const double *)bound->buffer;
		} else {
			bp->lengths[row] = *bound->length;
			rt__buf_put(&b->bytes, bound->buffer, *bound->length);
		}
	}
	b->sets++;
	return rt__buf_failed(&b->bytes) ? rt__error_nomem() : RT_OK;
}

/* Runs the gathered chunk in one execution; *affected grows by its rows. */
static int execute_chunk(bulk *b, uint64_t *affected)
{
	MYSQL_STMT *st = rt__mariadb_handle(b->stmt);
	for (int p = 0; p < b->count; p++) {
		bulk_param *bp = &b->params[p];
		MYSQL_BIND *bind = &b->binds[p];
		memset(bind, 0, sizeof(*bind));
		bind->u.indicator = bp->indicators;
		/* A parameter NULL in every set of the chunk is sent as one. */
		bind->buffer_type = bp->type == MYSQL_TYPE_NULL ? MYSQL_TYPE_LONGLONG : bp->type;
		if (bind->buffer_type == MYSQL_TYPE_LONGLONG) {
			bind->buffer = bp->ints;
		} else if (bind->buffer_type == MYSQL_TYPE_DOUBLE) {
			bind->buffer = bp->doubles;
		} else {
			/* No bytes gathered yet (every value NULL or empty): the
			 * buffer is NULL, and NULL + 0 is undefined in C. */
			char *base = b->bytes.ptr ? b->bytes.ptr : (char *)"";
			for (size_t r = 0; r < b->sets; r++)
				bp->pointers[r] = base + bp->offsets[r];
			bind->buffer = bp->pointers;
			bind->length = bp->lengths;
		}
	}
	unsigned int size = (unsigned int)b->sets;
	int rc = RT_OK;
	if (mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &size) != 0 ||
	    mysql_stmt_bind_param(st, b->binds) != 0 || rt__mdb_stmt_execute(rt__mariadb_stmt_conn(b->stmt), st) != 0) {
		rc = rt__mariadb_stmt_error(b->stmt);
	} else {
		my_ulonglong n = mysql_stmt_affected_rows(st);
		*affected += n == (my_ulonglong)-1 ? 0 : (uint64_t)n;
	}
	/* Single executions again from here on. */
	size = 0;
	mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &size);
	if (rc < 0)
		rt__mdb_stmt_reset(rt__mariadb_stmt_conn(b->stmt), st);
	return rc;
}

/* Sets [first, end) one at a time: bind, step through the rows, reset. */
static int run_each(rt_driver_stmt *stmt, const rt_driver_batch *batch, size_t first,
		    size_t end, uint64_t *affected)
{
	for (size_t i = first; i < end; i++) {
		*batch->failed = i;
		int rc = rt__mariadb_reset(stmt);
		if (rc == RT_OK)
			rc = batch->bind(batch->ctx, i);
		while (rc == RT_OK) {
			if ((rc = rt__mariadb_step(stmt)) != RT_ROW)
				break;
			rc = batch->row ? batch->row(batch->ctx, i) : RT_OK;
		}
		if (rc < 0)
			return rc;
		*affected += rt__mariadb_changes(stmt);
	}
	return rt__mariadb_reset(stmt);
}

static int savepoint(bulk *b, const char *sql)
{
	return rt__mariadb_exec(rt__mariadb_stmt_conn(b->stmt), sql);
}

/* One chunk under a savepoint. When it breaks a constraint (or fails
 * in any way a set of its own would fail alike), it is rolled back and
 * replayed set by set for the exact error. A lost connection, a deadlock
 * (the server rolled the whole transaction back, savepoint included) and
 * a lock timeout (a replay would wait for the same lock again) are
 * returned as they are, naming the chunk's first set. */
static int run_chunk(bulk *b, uint64_t *affected)
{
	*b->batch->failed = b->first;
	int rc = savepoint(b, "SAVEPOINT retort_batch");
	if (rc < 0)
		return rc;
	uint64_t n = 0;
	rc = execute_chunk(b, &n);
	if (rc == RT_OK) {
		*affected += n;
		return savepoint(b, "RELEASE SAVEPOINT retort_batch");
	}
	rt_driver_conn *conn = rt__mariadb_stmt_conn(b->stmt);
	if (conn->broken || conn->rolled_back || rc == RT_ECONNECT || rc == RT_ESERIALIZE)
		return rc;
	/* Undo the sets that ran (a lock timeout stays the error). */
	int undo = savepoint(b, "ROLLBACK TO SAVEPOINT retort_batch");
	if (undo < 0 || rc == RT_ELOCKED)
		return undo < 0 ? undo : rc;
	rc = run_each(b->stmt, b->batch, b->first, b->first + b->sets, affected);
	if (rc == RT_OK) /* the replay succeeded where the chunk did not */
		rc = savepoint(b, "RELEASE SAVEPOINT retort_batch");
	return rc;
}

int rt__mariadb_run_batch(rt_driver_stmt *stmt, const rt_driver_batch *batch, uint64_t *affected)
{
	*batch->failed = 0;
	int rc = rt__mariadb_reset(stmt);
	if (rc < 0)
		return rc;
	if (batch->count < 2 || batch->row || !rt__mariadb_bulk_ok(stmt) ||
	    rt__mariadb_conn_status(rt__mariadb_stmt_conn(stmt)) != RT_DRIVER_IN_TRANSACTION)
		return run_each(stmt, batch, 0, batch->count, affected);

	bulk b;
	rc = bulk_init(&b, stmt, batch);
	for (size_t i = 0; rc == RT_OK && i < batch->count; i++) {
		*batch->failed = i;
		if ((rc = batch->bind(batch->ctx, i)) < 0)
			break;
		if (b.sets && (!fits(&b, stmt) || b.sets == BULK_SETS || b.bytes.len >= BULK_BYTES)) {
			if ((rc = run_chunk(&b, affected)) < 0)
				break;
			/* The chunk may have replayed sets, binding them anew. */
			if ((rc = batch->bind(batch->ctx, i)) < 0)
				break;
			for (int p = 0; p < b.count; p++)
				b.params[p].type = MYSQL_TYPE_NULL;
			rt__buf_clear(&b.bytes);
			b.first = i;
			b.sets = 0;
		}
		rc = add_set(&b, stmt);
	}
	if (rc == RT_OK && b.sets)
		rc = run_chunk(&b, affected);
	bulk_free(&b);
	rt__mariadb_reset(stmt);
	return rc;
}
