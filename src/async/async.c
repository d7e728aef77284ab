/*
 * async.c - rt_async, the scheduler of the non-blocking API: operations
 * run on fibers (base/fiber.c), and this file tells the program's loop what
 * they wait for and resumes them when it comes (docs/async.md).
 *
 * The rules:
 *   - Everything here runs on the loop's thread, inside the loop's calls
 *     (rt_async_socket_action, rt_async_timeout) or the program's
 *     (rt_async_run, _cancel, _free). The one exception is the ready
 *     queue: a fiber waiting for no descriptor (a pooled connection, a
 *     worker thread's job) is made ready from any thread through
 *     rt__fiber_ready, which queues it under `lock` and wakes the loop by
 *     the `wake` descriptor.
 *   - A fiber is resumed only here. Between two resumes it waits for one
 *     thing: a descriptor (watched), a deadline (the timer), or being made
 *     ready (the queue).
 *   - done callbacks run from `finish`, never from inside rt_async_run:
 *     an operation the program starts runs at the next turn (the timer is
 *     asked for at 0 ms); one a done callback starts runs in the same
 *     turn, in its next round (turn).
 *   - A cancelled operation's waits all return at once with -1 (wait.c
 *     turns that into RT_ECANCELED), so its code unwinds without waiting.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fiber.h"
#include "base/turn.h"
#include "base/wait.h"
#include "base/workers.h"
#include "engine/engine.h"
#include "retort/async.h"

/* Finished operations' fibers kept for reuse, at most (their stacks stay
 * backed: a few KiB each). */
#define SPARE_FIBERS 64

typedef enum op_state {
	OP_NEW,       /* made, not run yet */
	OP_WAITING,   /* stopped in a wait */
	OP_READY,     /* to be resumed at the next turn */
	OP_FINISHED   /* its work returned: done is still to be called */
} op_state;

struct rt_async_op {
	rt_async *async;
	rt_async_op *prev, *next; /* in async->ops */
	rt_fiber *fiber;
	int (*work)(void *arg);
	void *arg;
	rt_async_done done;
	void *user;
	op_state state;
	int wake;                 /* what the wait returns when resumed */
	int rc;                   /* work's return code */
	bool cancelled;
	bool queued;              /* in the ready queue (under async->lock) */
	bool new_wait;            /* stopped in a wait the loop was not told of */
};

/* A descriptor the loop watches for us. */
typedef struct watch {
	int fd;
	int events; /* RT_POLL_IN | RT_POLL_OUT as last told to the loop */
	bool tell;  /* a new wait on it: tell the loop even if events are the same */
} watch;

struct rt_async {
	rt_engine *engine;
	rt_async_callbacks cb;
	void *loop;
	rt_async_op *ops;          /* in flight, newest first */
	size_t running;
	size_t runnable;          /* operations OP_NEW or OP_READY: the turn
	                           * resumes until none is left, without scanning
	                           * the list again to find out */
	watch *watches;
	size_t watch_count, watch_cap;
	watch *spare_watches;      /* the last turn's array, reused */
	size_t spare_watch_cap;
	long timer_ms;             /* the timer last asked for (-1: none) */
	bool in_turn;              /* a turn is running: no nested turns */
	rt_turn deferred;          /* what the turn's fibers put off to its end
	                            * (base/turn.h: corked sockets) */

	/* The ready queue, filled from any thread. */
	pthread_mutex_t lock;
	rt_async_op **ready;
	int *ready_results;
	size_t ready_count, ready_cap;
	int wake;                  /* eventfd: the queue is not empty */
	bool wake_written;         /* written since take_ready last read it */
	bool wake_watched;

	/* Fibers of finished operations, kept for the next ones: a new
	 * fiber costs a stack mapping and the page faults of its first
	 * run, more than the round trip of a short operation. */
	rt_fiber *spare[SPARE_FIBERS];
	size_t spare_count;

	/* Registered with the engine, which ends our operations before it
	 * goes (engine_closed); engine is NULL after that. */
	rt_engine_closer closer;
	/* Why operations in flight are being ended (the message of their
	 * RT_ECANCELED), while rt_async_free or rt_engine_free ends them. */
	const char *ending;
};

/* --- telling the loop -------------------------------------------------------- */

static const watch *find_watch(const rt_async *a, int fd)
{
	for (size_t i = 0; i < a->watch_count; i++)
		if (a->watches[i].fd == fd)
			return &a->watches[i];
	return NULL;
}

/* Makes the loop watch exactly what the waiting operations want: the
 * descriptors they wait for, with the events merged; the loop is told
 * only of what changed. A descriptor a connection being made waits on
 * (RT_WAIT_NEW) is told again even when nothing seems to change: its
 * number may be one closed and reused since (a lost connection and a new
 * one in the same turn), which the loop (epoll) has forgotten. Telling it
 * of every new wait instead cost a system call per descriptor per turn. */
static void update_watches(rt_async *a)
{
	size_t cap = a->watch_count + 1;
	for (rt_async_op *op = a->ops; op; op = op->next)
		cap += op->state == OP_WAITING;
	/* Built in the last turn's array (swapped below): no allocation per
	 * turn once the arrays are large enough. */
	watch *wanted = a->spare_watches;
	if (a->spare_watch_cap < cap) {
		wanted = realloc(a->spare_watches, cap * sizeof(*wanted));
		if (!wanted)
			return; /* the loop keeps watching what it did; deadlines still run */
		a->spare_watches = wanted;
		a->spare_watch_cap = cap;
	}
	size_t wanted_cap = a->spare_watch_cap;
	size_t count = 0;
	for (rt_async_op *op = a->ops; op; op = op->next) {
		if (op->state != OP_WAITING)
			continue;
		const rt_fiber_wait_info *w = rt__fiber_waiting(op->fiber);
		if (w->fd < 0)
			continue;
		int events = ((w->events & RT_WAIT_READ) ? RT_POLL_IN : 0) |
			     ((w->events & RT_WAIT_WRITE) ? RT_POLL_OUT : 0);
		size_t i = 0;
		while (i < count && wanted[i].fd != w->fd)
			i++;
		if (i == count)
			wanted[count++] = (watch){w->fd, 0, false};
		wanted[i].events |= events;
		wanted[i].tell |= op->new_wait && (w->events & RT_WAIT_NEW);
		op->new_wait = false;
	}
	/* Tell the loop what changed: descriptors no longer wanted first. */
	for (size_t i = 0; i < a->watch_count; i++) {
		size_t j = 0;
		while (j < count && wanted[j].fd != a->watches[i].fd)
			j++;
		if (j == count)
			a->cb.watch(a->watches[i].fd, RT_POLL_REMOVE, a->loop);
	}
	for (size_t j = 0; j < count; j++) {
		const watch *before = find_watch(a, wanted[j].fd);
		if (!before || before->events != wanted[j].events || wanted[j].tell)
			a->cb.watch(wanted[j].fd, wanted[j].events, a->loop);
		wanted[j].tell = false;
	}
	a->spare_watches = a->watches;
	a->spare_watch_cap = a->watch_cap;
	a->watches = wanted;
	a->watch_count = count;
	a->watch_cap = wanted_cap;
}

/* Asks the loop for the timer the operations need: now when one is ready
 * or finished, else at the earliest deadline, else none. */
static void update_timer(rt_async *a)
{
	long ms = -1;
	int64_t now = rt__now_ms();
	for (rt_async_op *op = a->ops; op; op = op->next) {
		if (op->state == OP_READY || op->state == OP_FINISHED || op->state == OP_NEW) {
			ms = 0;
			break;
		}
		int64_t deadline = rt__fiber_waiting(op->fiber)->deadline;
		if (deadline >= 0) {
			long left = deadline > now ? (long)(deadline - now) : 0;
			if (ms < 0 || left < ms)
				ms = left;
		}
	}
	if (ms != a->timer_ms || ms == 0) {
		a->timer_ms = ms;
		a->cb.timer(ms, a->loop);
	}
}

/* --- the ready queue (any thread) ------------------------------------------------ */

/* The scheduler whose resume loop runs on this thread (turn). */
static _Thread_local rt_async *resuming;

static void made_ready(rt_fiber *fiber, int result, void *ctx)
{
	rt_async_op *op = ctx;
	rt_async *a = op->async;
	(void)fiber;
	pthread_mutex_lock(&a->lock);
	if (!op->queued && a->ready_count < a->ready_cap) {
		a->ready[a->ready_count] = op;
		a->ready_results[a->ready_count++] = result;
		op->queued = true;
	}
	/* From a fiber the turn resumed (giving back a pooled connection):
	 * the turn takes the queue before it ends, no need to wake the
	 * loop. */
	bool write_wake = resuming != a && !a->wake_written;
	if (write_wake)
		a->wake_written = true;
	pthread_mutex_unlock(&a->lock);
	if (write_wake) {
		uint64_t one = 1;
		ssize_t n = write(a->wake, &one, sizeof(one));
		(void)n; /* a full counter still wakes the loop */
	}
}

/* Moves queued operations to OP_READY (loop thread). */
static void take_ready(rt_async *a)
{
	pthread_mutex_lock(&a->lock);
	if (a->wake_written) {
		uint64_t count;
		ssize_t n = read(a->wake, &count, sizeof(count));
		(void)n; /* EAGAIN: read already */
		a->wake_written = false;
	}
	for (size_t i = 0; i < a->ready_count; i++) {
		rt_async_op *op = a->ready[i];
		op->queued = false;
		if (op->state == OP_WAITING) {
			op->state = OP_READY;
			op->wake = a->ready_results[i];
			a->runnable++;
		}
	}
	a->ready_count = 0;
	pthread_mutex_unlock(&a->lock);
}

/* --- running operations ------------------------------------------------------- */

static void fiber_main(void *arg)
{
	rt_async_op *op = arg;
	op->rc = op->work(op->arg);
}

/* Whether op waits for a job on a worker thread: only the job's end
 * resumes it (a cancel interrupts the job instead). */
static bool waits_for_job(const rt_async_op *op)
{
	return op->state == OP_WAITING && (rt__fiber_waiting(op->fiber)->events & RT_WAIT_JOB);
}

/* Resumes op once; a cancelled one runs until it finishes or waits for a
 * job. */
static void resume(rt_async_op *op)
{
	if (op->state == OP_NEW || op->state == OP_READY)
		op->async->runnable--;
	if (op->state == OP_NEW && op->cancelled) {
		/* Cancelled before it ran: it never runs. */
		op->state = OP_FINISHED;
		op->rc = RT_ECANCELED;
		return;
	}
	for (;;) {
		rt__fiber_wake(op->fiber, op->cancelled ? -1 : op->wake);
		op->wake = 0;
		if (rt__fiber_resume(op->fiber)) {
			op->state = OP_FINISHED;
			return;
		}
		op->state = OP_WAITING;
		op->new_wait = true;
		if (!op->cancelled || waits_for_job(op))
			return;
	}
}

static void unlink_op(rt_async *a, rt_async_op *op)
{
	if (op->prev)
		op->prev->next = op->next;
	else
		a->ops = op->next;
	if (op->next)
		op->next->prev = op->prev;
	a->running--;
}

/* Calls done for a finished operation and frees it. */
static void finish(rt_async *a, rt_async_op *op)
{
	unlink_op(a, op);
	/* A cancelled operation ends with RT_ECANCELED whatever its work
	 * returned: the cancel may have reached a driver in the middle of a
	 * call, which then fails its own way (SQLite's interrupt, a killed
	 * connection); that error is a consequence, named in the message. */
	int rc = op->cancelled ? RT_ECANCELED : op->rc;
	rt__error_state_copy_to_current(rt__fiber_errors(op->fiber));
	if (rc == RT_ECANCELED && a->ending) {
		rt__error_set(RT_ECANCELED, "the operation was cancelled: %s", a->ending);
	} else if (rc == RT_ECANCELED && op->rc == RT_OK) {
		rt__error_set(RT_ECANCELED, "the operation was cancelled");
	} else if (rc == RT_ECANCELED && op->rc != RT_ECANCELED) {
		char was[256];
		snprintf(was, sizeof(was), "%s", rt_error_last()->message);
		rt__error_set(RT_ECANCELED, "the operation was cancelled (its work then failed: %s)",
			      was);
	}
	pthread_mutex_lock(&a->lock);
	/* Out of the ready queue: the fiber is gone. */
	for (size_t i = 0; i < a->ready_count; i++)
		if (a->ready[i] == op) {
			a->ready[i] = a->ready[--a->ready_count];
			a->ready_results[i] = a->ready_results[a->ready_count];
			break;
		}
	pthread_mutex_unlock(&a->lock);
	if (a->spare_count < SPARE_FIBERS)
		a->spare[a->spare_count++] = op->fiber;
	else
		rt__fiber_free(op->fiber);
	/* op is still valid during done, for a program that compares it
	 * with the one rt_async_run gave; never after. */
	if (op->done)
		op->done(op, rc, op->user);
	free(op);
}

/* Resumes operations until none is ready: a resumed fiber may give back a
 * connection that makes another ready at once. */
static void resume_ready(rt_async *a)
{
	resuming = a;
	while (a->runnable > 0) {
		bool found = false;
		for (rt_async_op *op = a->ops; op && a->runnable > 0; op = op->next)
			if (op->state == OP_READY || op->state == OP_NEW) {
				resume(op);
				found = true;
			}
		if (!found)
			a->runnable = 0; /* not reached: every change of state counts */
		take_ready(a);
	}
	resuming = NULL;
}

/* Rounds of resuming and finishing a turn runs at most: see turn. */
#define TURN_ROUNDS 4

/* One turn: resumes what is ready or timed out, finishes what finished,
 * then tells the loop what is left to wait for.
 *
 * A done callback often starts the next operation (a program keeping N in
 * flight). That one runs in the same turn, in another round: left to the
 * next turn, it would not have sent its statement yet when the loop is
 * told what to watch, so the connection it is about to use would be
 * unwatched and watched again at every turn (three epoll_ctl calls, a
 * third of the system calls of a stream of short gets on a pipelined
 * connection). The rounds are bounded so that callbacks which always
 * start an operation that ends at once cannot hold the loop: what is left
 * runs at the next turn, which the timer asks for at 0 ms. */
static void turn(rt_async *a)
{
	if (a->in_turn)
		return;
	a->in_turn = true;
	rt__turn_begin(&a->deferred);
	take_ready(a);
	int64_t now = rt__now_ms();
	for (rt_async_op *op = a->ops; op; op = op->next) {
		if (op->state == OP_WAITING) {
			int64_t deadline = rt__fiber_waiting(op->fiber)->deadline;
			if (deadline >= 0 && deadline <= now) {
				op->state = OP_READY;
				op->wake = 0;
				a->runnable++;
			}
		}
	}
	for (int round = 0; round < TURN_ROUNDS; round++) {
		resume_ready(a);
		/* done callbacks run here, outside the resume loop: what they
		 * make ready from now on wakes the loop as from any thread. */
		rt_async_op *op = a->ops;
		while (op) {
			rt_async_op *next = op->next;
			if (op->state == OP_FINISHED)
				finish(a, op);
			op = next;
		}
		take_ready(a);
		if (a->runnable == 0)
			break;
	}
	/* Before the loop waits: what the fibers wrote goes out. */
	rt__turn_end(&a->deferred);
	update_watches(a);
	update_timer(a);
	a->in_turn = false;
}

/* Ends every operation in flight, cancelled with the reason `why`: each
 * wait returns at once, so each runs to its end within this call, and its
 * done is called (with in_turn set: no turn runs meanwhile). */
static void end_all(rt_async *a, const char *why)
{
	a->ending = why;
	for (rt_async_op *op = a->ops; op; op = op->next) {
		op->cancelled = true;
		if (waits_for_job(op))
			rt__fiber_interrupt(op->fiber);
	}
	a->in_turn = true;
	while (a->ops) {
		rt_async_op *op = a->ops;
		while (waits_for_job(op)) {
			/* Its job runs on a worker: wait for its end here. */
			rt__wait_fd(a->wake, RT_WAIT_READ, -1);
			take_ready(a);
		}
		if (op->state != OP_FINISHED)
			resume(op);
		if (op->state == OP_FINISHED)
			finish(a, op);
	}
	a->in_turn = false;
	a->ending = NULL;
	update_watches(a);
}

/* The engine is being freed (rt_engine_free, on the loop's thread): its
 * connections must come back first, so the operations in flight end now,
 * and the scheduler refuses new ones. It stays the program's to free. */
static void engine_closed(void *ctx)
{
	rt_async *a = ctx;
	end_all(a, "its engine was closed (rt_engine_free)");
	a->engine = NULL;
}

/* --- the API ------------------------------------------------------------------ */

int rt_async_new(rt_async **out, rt_engine *engine, const rt_async_callbacks *cb, void *loop)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "rt_async_new: out is NULL");
	*out = NULL;
	if (!engine || !cb || !cb->watch || !cb->timer)
		return rt__error_set(RT_EINVAL, "rt_async_new: an engine and both the watch and "
						"the timer callbacks are needed");
	if (cb->version != RT_ASYNC_CALLBACKS_VERSION)
		return rt__error_set(RT_EINVAL, "rt_async_new: callbacks version %d, expected %d",
				     cb->version, RT_ASYNC_CALLBACKS_VERSION);
	rt_async *a = calloc(1, sizeof(*a));
	if (!a)
		return rt__error_nomem();
	a->engine = engine;
	a->cb = *cb;
	a->loop = loop;
	a->timer_ms = -1;
	a->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (a->wake < 0) {
		free(a);
		return rt__error_set(RT_EIO, "rt_async_new: eventfd: errno %d", errno);
	}
	pthread_mutex_init(&a->lock, NULL);
	a->closer.close = engine_closed;
	a->closer.ctx = a;
	rt__engine_add_closer(engine, &a->closer);
	*out = a;
	return RT_OK;
}

bool rt_async_owns_fd(const rt_async *a, int fd)
{
	if (!a)
		return false;
	if (a->wake_watched && fd == a->wake)
		return true;
	return find_watch(a, fd) != NULL;
}

size_t rt_async_running(const rt_async *a)
{
	return a ? a->running : 0;
}

rt_engine *rt_async_engine(const rt_async *a)
{
	return a ? a->engine : NULL;
}

int rt_async_run(rt_async *a, rt_async_op **out, int (*work)(void *arg), void *arg,
		 rt_async_done done, void *user)
{
	if (out)
		*out = NULL;
	if (!a || !work)
		return rt__error_set(RT_EINVAL, "rt_async_run: NULL scheduler or work");
	if (rt__fiber_current())
		return rt__error_set(RT_EINVAL, "rt_async_run: called from inside an operation");
	if (!a->engine)
		return rt__error_set(RT_EINVAL, "rt_async_run: the scheduler's engine was closed "
						"(rt_engine_free)");
	rt_async_op *op = calloc(1, sizeof(*op));
	if (!op)
		return rt__error_nomem();
	/* Room in the ready queue for every operation: made_ready, on any
	 * thread, never allocates. */
	pthread_mutex_lock(&a->lock);
	if (a->running + 1 > a->ready_cap) {
		size_t cap = a->ready_cap ? a->ready_cap * 2 : 64;
		rt_async_op **ready = realloc(a->ready, cap * sizeof(*ready));
		if (ready)
			a->ready = ready;
		int *results = ready ? realloc(a->ready_results, cap * sizeof(*results)) : NULL;
		if (results) {
			a->ready_results = results;
			a->ready_cap = cap;
		}
	}
	bool room = a->running + 1 <= a->ready_cap;
	pthread_mutex_unlock(&a->lock);
	int rc;
	if (!room) {
		rc = rt__error_nomem();
	} else if (a->spare_count) {
		op->fiber = a->spare[--a->spare_count];
		if ((rc = rt__fiber_reset(op->fiber, fiber_main, op)) < 0)
			rt__fiber_free(op->fiber);
	} else {
		rc = rt__fiber_new(&op->fiber, fiber_main, op, 0);
	}
	if (rc < 0) {
		free(op);
		return rc;
	}
	op->async = a;
	op->work = work;
	op->arg = arg;
	op->done = done;
	op->user = user;
	op->state = OP_NEW;
	rt__fiber_set_ready_hook(op->fiber, made_ready, op);
	/* A driver that blocks in every call needs its workers now: without
	 * them the operation could only block the loop, so it fails at once.
	 * Other drivers hand over only the odd blocking call (a cancel
	 * request), and the engine makes its workers when one comes. */
	if (a->engine->dialect->caps.driver_blocks && !rt__engine_workers(a->engine)) {
		rt__fiber_free(op->fiber);
		free(op);
		return rt_error_last()->code; /* recorded by rt__engine_workers */
	}
	rt__fiber_set_offload(op->fiber, rt__engine_offload, a->engine);
	op->next = a->ops;
	if (a->ops)
		a->ops->prev = op;
	a->ops = op;
	a->running++;
	a->runnable++; /* OP_NEW */
	if (out)
		*out = op;
	/* It starts at the loop's next turn: done never runs from here. */
	if (!a->wake_watched) {
		a->wake_watched = true;
		a->cb.watch(a->wake, RT_POLL_IN, a->loop);
	}
	if (a->timer_ms != 0) {
		a->timer_ms = 0;
		a->cb.timer(0, a->loop);
	}
	return RT_OK;
}

int rt_async_cancel(rt_async_op *op)
{
	if (!op)
		return rt__error_set(RT_EINVAL, "rt_async_cancel: NULL operation");
	rt_async *a = op->async;
	op->cancelled = true;
	if (waits_for_job(op))
		rt__fiber_interrupt(op->fiber); /* its job's end resumes it */
	else if (op->state == OP_WAITING) {
		op->state = OP_READY;
		a->runnable++;
	}
	if (!a->in_turn && a->timer_ms != 0) {
		a->timer_ms = 0;
		a->cb.timer(0, a->loop);
	}
	return RT_OK;
}

void rt_async_socket_action(rt_async *a, int fd, int events)
{
	if (!a)
		return;
	if (fd != a->wake) {
		int got = ((events & RT_POLL_IN) ? RT_WAIT_READ : 0) |
			  ((events & RT_POLL_OUT) ? RT_WAIT_WRITE : 0);
		for (rt_async_op *op = a->ops; op; op = op->next) {
			if (op->state != OP_WAITING)
				continue;
			const rt_fiber_wait_info *w = rt__fiber_waiting(op->fiber);
			if (w->fd == fd && (w->events & got)) {
				op->state = OP_READY;
				op->wake = w->events & got;
				a->runnable++;
			}
		}
	}
	turn(a);
}

void rt_async_timeout(rt_async *a)
{
	if (!a)
		return;
	a->timer_ms = -1; /* it fired */
	turn(a);
}

void rt_async_free(rt_async *a)
{
	if (!a)
		return;
	/* Every operation in flight ends now, cancelled. */
	end_all(a, "its scheduler was freed (rt_async_free)");
	if (a->engine)
		rt__engine_remove_closer(a->engine, &a->closer);
	if (a->wake_watched)
		a->cb.watch(a->wake, RT_POLL_REMOVE, a->loop);
	if (a->timer_ms >= 0)
		a->cb.timer(-1, a->loop);
	while (a->spare_count)
		rt__fiber_free(a->spare[--a->spare_count]);
	close(a->wake);
	pthread_mutex_destroy(&a->lock);
	free(a->watches);
	free(a->spare_watches);
	free(a->ready);
	free(a->ready_results);
	rt__turn_free(&a->deferred);
	free(a);
}
