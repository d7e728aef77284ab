/*
 * fiber.h - cooperative fibers: a function run on a stack of its own that
 * can stop in the middle (rt__fiber_wait) and be resumed later by whoever
 * started it.
 *
 * They are what makes the non-blocking API reuse the blocking code: an
 * asynchronous operation runs the same session, flush or migration code on
 * a fiber; where that code would wait for a socket, the driver calls
 * rt__fiber_wait instead of poll() (rt__wait_fd in wait.h), which returns
 * to the event loop's side; when the loop reports the socket ready, the
 * fiber is resumed where it stopped. Outside a fiber the same call simply
 * polls, so the blocking API is unchanged.
 */
#ifndef RT_BASE_FIBER_H
#define RT_BASE_FIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

typedef struct rt_fiber rt_fiber;
typedef void (*rt_fiber_fn)(void *arg);

/* What a stopped fiber waits for. RT_WAIT_JOB: a job it handed to another
 * thread (rt__offload), which must finish before the fiber may go on, so
 * cancelling does not wake it (it interrupts the job instead). */
#define RT_WAIT_READ 1
#define RT_WAIT_WRITE 2
#define RT_WAIT_JOB 4
/* With READ or WRITE: the descriptor was just opened (a connection being
 * made). Its number may be a closed one's, which an event loop told of
 * the old descriptor has forgotten, so the scheduler tells the loop
 * again; other waits on a descriptor it watches already cost nothing. */
#define RT_WAIT_NEW 8

typedef struct rt_fiber_wait_info {
	int fd;            /* -1: no descriptor (a timer or a wake-up only) */
	int events;        /* RT_WAIT_READ | RT_WAIT_WRITE, and RT_WAIT_NEW */
	int64_t deadline;  /* monotonic milliseconds, or -1 for none */
} rt_fiber_wait_info;

/* A fiber that will run fn(arg) on a stack of stack_size bytes (0: the
 * default, 256 KiB) when first resumed. RT_OK or RT_ENOMEM. */
int rt__fiber_new(rt_fiber **out, rt_fiber_fn fn, void *arg, size_t stack_size);

/* Makes a fiber that has finished (or never started) run fn(arg) from
 * the start again, on the stack it has: no new mapping, and the stack's
 * pages already backed. Its scheduler hooks and last error are cleared.
 * RT_EINVAL for a fiber stopped midway. */
int rt__fiber_reset(rt_fiber *fiber, rt_fiber_fn fn, void *arg);
/* Frees a fiber that has finished or was never started. A fiber stopped
 * in the middle cannot be freed: its stack holds live state; finish it
 * first (resume it with rt__fiber_cancel set). NULL-safe. */
void rt__fiber_free(rt_fiber *fiber);

/* Runs fiber until it waits or finishes; true when it has finished. Only
 * from outside any fiber, on the thread that will always resume it. */
bool rt__fiber_resume(rt_fiber *fiber);

/* The fiber running on this thread, NULL outside one. */
rt_fiber *rt__fiber_current(void);

/* From inside a fiber: records what it waits for and returns to the
 * resumer; returns when resumed. The resumer says why with
 * rt__fiber_wake: the events that came (0 on a timeout), or -1 when the
 * wait is cancelled. */
int rt__fiber_wait(int fd, int events, int64_t deadline);

/* What the stopped fiber waits for. */
const rt_fiber_wait_info *rt__fiber_waiting(const rt_fiber *fiber);

/* Sets what rt__fiber_wait returns in fiber at its next resume. */
void rt__fiber_wake(rt_fiber *fiber, int result);

/* Who must resume a fiber woken by someone other than its resumer (a
 * connection given back to the pool, a worker thread's finished job): its
 * scheduler sets the hook, and rt__fiber_ready calls it with the fiber and
 * what its wait is to return, from whatever thread wakes it. */
typedef void (*rt_fiber_ready_fn)(rt_fiber *fiber, int result, void *ctx);
void rt__fiber_set_ready_hook(rt_fiber *fiber, rt_fiber_ready_fn fn, void *ctx);
/* Wakes a fiber that waits for no descriptor (fd -1) with result: its
 * hook is called; without one nothing happens (no scheduler to tell). */
void rt__fiber_ready(rt_fiber *fiber, int result);

/* Running work off the fiber's thread. A scheduler whose fibers must not
 * run blocking library calls on the loop's thread (SQLite's, which read
 * files) gives them an offloader; rt__offload runs job(arg) through it and
 * returns its result, or simply calls job(arg) outside a fiber or without
 * one. While the job runs, interrupt(interrupt_arg) (may be NULL) is what
 * cancelling the operation calls, from the loop's thread. */
typedef int (*rt_offload_fn)(void *ctx, int (*job)(void *arg), void *arg);
void rt__fiber_set_offload(rt_fiber *fiber, rt_offload_fn fn, void *ctx);
int rt__offload(int (*job)(void *arg), void *arg, void (*interrupt)(void *arg),
		void *interrupt_arg);
/* Cancelling: calls the interrupt of the job the fiber waits for, if any. */
void rt__fiber_interrupt(rt_fiber *fiber);

/* The fiber's own last error (rt_error_last() inside it), for handing an
 * operation's error to its caller: rt__error_state_copy_to_current. */
rt_error_state *rt__fiber_errors(const rt_fiber *fiber);

#endif
