/*
 * postgres_pipe.c - one PostgreSQL connection carrying the statements of
 * several operations of the non-blocking API at once.
 *
 * In autocommit (rt_connect_params autocommit) the pool lends a connection
 * to several fibers of one thread (caps.shared_pipeline, pool.c). Each
 * fiber's statement goes into libpq's pipeline as soon as it runs, with a
 * sync of its own, so each is its own implicit transaction and an error
 * aborts nothing but that statement. The results come back in the order
 * the statements were sent: each sender leaves a turn at the tail of the
 * connection's queue, and the fiber whose turn is first reads the socket,
 * up to its own sync, then wakes the next turn's fiber, which reads on.
 * Only that one fiber ever waits on the socket; the others are stopped
 * with no descriptor, so an event loop sees one watcher per connection.
 *
 * A fiber that goes away (cancelled) before its results are read leaves
 * its turn behind, abandoned: the next reader reads its results and drops
 * them. The connection stays usable. A lost connection (or any failure
 * that leaves the conversation out of step) fails every turn and every
 * fiber at the gate, and the pool drops the connection.
 *
 * What needs the connection alone (a streamed query, whose rows come one
 * at a time; a batch, which keeps its own pipeline; SQL text, which the
 * pipeline does not take) locks it: the lock waits until every turn is
 * read, leaves pipeline mode and makes new senders wait at the gate until
 * it is given back. The code under the lock is the unshared driver's.
 *
 * All users of a connection are fibers of one thread (the pool sees to
 * it), so nothing here needs a mutex.
 *
 * libpq sends each statement as soon as it is queued (PQpipelineSync
 * flushes), a packet and a wake-up of the server each. Inside the
 * scheduler's turn the socket is corked instead, and uncorked when the
 * turn ends (base/turn.h): the statements of the turn's fibers leave
 * together. A connection whose last live turn is read is uncorked at
 * once and forgotten by the turn, so that it goes back to the pool as the
 * unshared driver knows it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/fiber.h"
#include "base/turn.h"
#include "base/wait.h"
#include "dialect/postgres.h"

/* Results owed to a sender, in the queue's order. Allocated: an abandoned
 * turn outlives the stack of the fiber that sent it. */
typedef struct pg_turn {
	struct pg_turn *next;
	rt_fiber *fiber;   /* its sender, waiting; NULL outside a fiber */
	bool abandoned;    /* the sender went: its results are dropped */
	bool failed;       /* the connection failed before they came */
} pg_turn;

/* A fiber waiting to send, or to take the lock (on its own stack). */
typedef struct pg_gate {
	struct pg_gate *next;
	rt_fiber *fiber;
} pg_gate;

/* Who calls: the fiber, or the thread (which never shares). */
static void *caller(rt_driver_conn *conn)
{
	rt_fiber *fiber = rt__fiber_current();
	return fiber ? (void *)fiber : (void *)conn;
}

bool rt__pg_pipe_shared(const rt_driver_conn *conn)
{
	/* A connection of the autocommit engine used in a transaction of its
	 * own (a migration's) has one user: the unshared driver serves it,
	 * BEGIN carried with the first statement as ever. */
	if (!conn->pipelined || conn->lock_owner == caller((rt_driver_conn *)conn))
		return false;
	if (conn->turns || conn->lock_owner)
		return true; /* others' statements in flight: wait for a turn */
	return !conn->begin_pending && !conn->rollback_held && !conn->rollback_sent &&
	       PQtransactionStatus(conn->pg) == PQTRANS_IDLE;
}

bool rt__pg_pipe_idle(const rt_driver_conn *conn)
{
	for (const pg_turn *t = conn->turns; t; t = t->next)
		if (!t->abandoned)
			return false;
	return conn->lock_owner == NULL;
}

/* Sends what the kernel holds (turn.h calls it when the turn ends). */
static void uncork(void *ctx)
{
	rt_driver_conn *conn = ctx;
	if (conn->corked) {
		conn->corked = false;
		rt__socket_cork(PQsocket(conn->pg), false);
	}
}

/* Holds what is written until this thread's turn ends; outside a turn, or
 * on a socket that is not TCP, everything goes at once as libpq sends it. */
static void cork(rt_driver_conn *conn)
{
	if (conn->corked || conn->cork_refused || !rt__turn_defer(uncork, conn))
		return;
	if (rt__socket_cork(PQsocket(conn->pg), true))
		conn->corked = true;
	else
		conn->cork_refused = true;
}

/* Sends what is held now, and takes the connection out of the turn's
 * calls: it may go back to the pool (or be freed) before the turn ends. */
static void uncork_now(rt_driver_conn *conn)
{
	uncork(conn);
	rt__turn_forget(conn);
}

void rt__pg_pipe_free(rt_driver_conn *conn)
{
	rt__turn_forget(conn);
	while (conn->turns) {
		pg_turn *t = conn->turns;
		conn->turns = t->next;
		free(t);
	}
	conn->turns_last = NULL;
}

/* The failure every user of a lost connection reports. */
static int lost(rt_driver_conn *conn)
{
	const char *why = PQerrorMessage(conn->pg);
	size_t len = why ? strlen(why) : 0;
	while (len > 0 && (why[len - 1] == '\n' || why[len - 1] == ' '))
		len--;
	return rt__error_set(RT_ECONNECT, "connection to PostgreSQL lost%s%.*s",
			     len ? ": " : "", (int)len, len ? why : "");
}

/* Stops the calling fiber until someone wakes it: RT_OK, or RT_ECANCELED. */
static int park(void)
{
	if (!rt__fiber_current())
		return rt__error_set(RT_EINVAL, "a connection shared by operations of the "
						"non-blocking API was used outside them");
	int got = rt__fiber_wait(-1, 0, -1);
	return got < 0 ? rt__error_set(RT_ECANCELED, "the operation was cancelled") : RT_OK;
}

static void wake(rt_fiber *fiber)
{
	if (fiber)
		rt__fiber_ready(fiber, 1);
}

/* Every fiber at the gate looks again (the lock was given back, or the
 * queue emptied, or the connection failed). */
static void open_gate(rt_driver_conn *conn)
{
	pg_gate *g = conn->gate;
	conn->gate = NULL;
	while (g) {
		pg_gate *next = g->next; /* g lives on a stack that may run now */
		wake(g->fiber);
		g = next;
	}
}

/* Waits at the gate once: RT_OK when woken (the caller looks again). */
static int wait_at_gate(rt_driver_conn *conn)
{
	pg_gate me = {conn->gate, rt__fiber_current()};
	conn->gate = &me;
	int rc = park();
	if (rc < 0) { /* still at the gate, unless opened meanwhile */
		for (pg_gate **p = &conn->gate; *p; p = &(*p)->next)
			if (*p == &me) {
				*p = me.next;
				break;
			}
	}
	return rc;
}

/* The connection is lost or out of step: no turn will be served. Every
 * waiting sender and every fiber at the gate fails. */
static int fail_all(rt_driver_conn *conn)
{
	int rc = conn->io_rc < 0 ? conn->io_rc : lost(conn);
	if (conn->io_rc == 0)
		conn->io_rc = rc;
	uncork_now(conn);
	pg_turn **p = &conn->turns;
	while (*p) {
		pg_turn *t = *p;
		if (t->abandoned) {
			*p = t->next;
			free(t);
			continue;
		}
		t->failed = true;
		wake(t->fiber);
		p = &t->next;
	}
	conn->turns_last = NULL;
	for (pg_turn *t = conn->turns; t; t = t->next)
		conn->turns_last = t;
	open_gate(conn);
	return rc;
}

/* Waits for the socket. A cancel leaves the connection as it is (the
 * next user reads on); any other failure is kept in io_rc. */
static int wait_socket(rt_driver_conn *conn, int events)
{
	int got = rt__wait_fd(PQsocket(conn->pg), events, -1);
	if (got < 0 && got != RT_ECANCELED)
		conn->io_rc = got;
	return got < 0 ? got : RT_OK;
}

/* The next result of the pipeline, waiting for it; *out NULL between two
 * requests' results. RT_OK, RT_ECANCELED, or the connection's failure. */
static int next_result(rt_driver_conn *conn, PGresult **out)
{
	*out = NULL;
	if (conn->io_rc < 0)
		return conn->io_rc;
	for (;;) {
		int left = PQflush(conn->pg);
		if (left < 0)
			return RT_ECONNECT;
		if (!PQisBusy(conn->pg))
			break;
		int rc = wait_socket(conn, RT_WAIT_READ | (left ? RT_WAIT_WRITE : 0));
		if (rc < 0)
			return rc;
		if (!PQconsumeInput(conn->pg))
			return RT_ECONNECT;
	}
	*out = PQgetResult(conn->pg);
	return RT_OK;
}

/* Reads the first turn's results up to its sync, each to take (or
 * dropped when take is NULL). RT_OK; RT_ECANCELED with the turn partly
 * read (the next reader goes on from there); or a failure. */
static int read_turn(rt_driver_conn *conn, rt_pg_take_fn take, void *ctx)
{
	int index = 0, nulls = 0;
	for (;;) {
		PGresult *res;
		int rc = next_result(conn, &res);
		if (rc < 0)
			return rc;
		if (!res) {
			if (++nulls > 1 || PQstatus(conn->pg) == CONNECTION_BAD)
				return RT_ECONNECT; /* nothing more will come */
			index++;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			return RT_OK;
		}
		if (take)
			take(ctx, index, res);
		else
			PQclear(res);
	}
}

/* Removes the first turn, read. */
static void pop(rt_driver_conn *conn)
{
	pg_turn *t = conn->turns;
	conn->turns = t->next;
	if (!conn->turns)
		conn->turns_last = NULL;
	free(t);
}

/* Reads and drops the results of abandoned turns at the head. */
static int drain_abandoned(rt_driver_conn *conn)
{
	while (conn->turns && conn->turns->abandoned) {
		int rc = read_turn(conn, NULL, NULL);
		if (rc < 0)
			return rc;
		pop(conn);
	}
	return RT_OK;
}

/* After a reader is done: the next turn's fiber reads on; with none, the
 * pipeline is left (so a locker finds the connection as the unshared
 * driver keeps it) and the gate opens. */
static void pass_on(rt_driver_conn *conn)
{
	for (pg_turn *t = conn->turns; t; t = t->next) {
		if (!t->abandoned) {
			wake(t->fiber);
			return;
		}
	}
	uncork_now(conn);
	if (!conn->turns && PQpipelineStatus(conn->pg) != PQ_PIPELINE_OFF &&
	    !PQexitPipelineMode(conn->pg)) {
		fail_all(conn);
		return;
	}
	open_gate(conn);
}

static bool first_live(const rt_driver_conn *conn, const pg_turn *me)
{
	for (const pg_turn *t = conn->turns; t; t = t->next) {
		if (t == me)
			return true;
		if (!t->abandoned)
			return false;
	}
	return false;
}

int rt__pg_pipe_run(rt_driver_conn *conn, rt_pg_send_fn send, rt_pg_take_fn take, void *ctx)
{
	/* Senders wait while someone has the connection to itself. */
	while (conn->io_rc == 0 && conn->lock_owner) {
		int rc = wait_at_gate(conn);
		if (rc < 0)
			return rc;
	}
	if (conn->io_rc < 0 || PQstatus(conn->pg) != CONNECTION_OK)
		return lost(conn);
	pg_turn *me = calloc(1, sizeof(*me));
	if (!me)
		return rt__error_nomem();
	me->fiber = rt__fiber_current();
	cork(conn);
	if ((PQpipelineStatus(conn->pg) == PQ_PIPELINE_OFF && !PQenterPipelineMode(conn->pg)) ||
	    send(conn, ctx) < 0 || !PQpipelineSync(conn->pg)) {
		/* Half a request may be queued: the conversation is out of step. */
		free(me);
		fail_all(conn);
		return lost(conn);
	}
	if (conn->turns_last)
		conn->turns_last->next = me;
	else
		conn->turns = me;
	conn->turns_last = me;
	/* Written, and held by the kernel until the turn ends (cork): the
	 * statements of one turn leave together; and only one fiber waits on
	 * the socket, the first turn's. */

	int rc = RT_OK;
	while (!me->failed && !first_live(conn, me)) {
		if ((rc = park()) < 0)
			break;
	}
	if (me->failed) {
		/* fail_all kept it in the queue for us to take out. */
		pg_turn **p = &conn->turns;
		while (*p != me)
			p = &(*p)->next;
		*p = me->next;
		conn->turns_last = NULL;
		for (pg_turn *t = conn->turns; t; t = t->next)
			conn->turns_last = t;
		free(me);
		return lost(conn);
	}
	if (rc == RT_OK)
		rc = drain_abandoned(conn);
	if (rc == RT_OK)
		rc = read_turn(conn, take, ctx);
	if (rc == RT_ECANCELED) {
		/* Its results are the next reader's to drop. */
		me->abandoned = true;
		me->fiber = NULL;
		pass_on(conn);
		return rt__error_set(RT_ECANCELED, "the operation was cancelled");
	}
	if (rc < 0) {
		fail_all(conn);
		return lost(conn);
	}
	pop(conn); /* me: first now */
	pass_on(conn);
	return RT_OK;
}

int rt__pg_pipe_lock(rt_driver_conn *conn, bool *taken)
{
	*taken = false;
	if (!conn->pipelined || conn->lock_owner == caller(conn))
		return RT_OK;
	for (;;) {
		if (conn->io_rc < 0)
			return lost(conn);
		if (!conn->lock_owner && rt__pg_pipe_idle(conn)) {
			/* Results owed to nobody: read them now. */
			int rc = drain_abandoned(conn);
			if (rc == RT_ECANCELED)
				return rt__error_set(rc, "the operation was cancelled");
			if (rc == RT_OK && PQpipelineStatus(conn->pg) != PQ_PIPELINE_OFF &&
			    !PQexitPipelineMode(conn->pg))
				rc = RT_ECONNECT;
			if (rc < 0) {
				fail_all(conn);
				return lost(conn);
			}
			conn->lock_owner = caller(conn);
			*taken = true;
			return RT_OK;
		}
		int rc = wait_at_gate(conn);
		if (rc < 0)
			return rc;
	}
}

void rt__pg_pipe_unlock(rt_driver_conn *conn, bool taken)
{
	if (!taken)
		return;
	conn->lock_owner = NULL;
	open_gate(conn);
}
