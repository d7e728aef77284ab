/*
 * workers.h - a small pool of threads that run jobs for fibers, so that a
 * library call that blocks the thread (SQLite reading its file) does not
 * stop the event loop the fiber belongs to.
 *
 * A fiber hands a job over with rt__workers_offload (the rt_offload_fn of
 * fiber.h) and stops; a worker runs it, with the fiber's own last-error
 * record current, and makes the fiber ready. The fiber goes on only once
 * the job has finished, whatever happens meanwhile (a cancel interrupts
 * the job; it never abandons it).
 */
#ifndef RT_BASE_WORKERS_H
#define RT_BASE_WORKERS_H

typedef struct rt_workers rt_workers;

/* count threads, started now. RT_OK or an error. */
int rt__workers_new(rt_workers **out, int count);
/* Waits for the jobs queued or running, stops the threads. NULL-safe. */
void rt__workers_free(rt_workers *workers);
/* rt_offload_fn: runs job(arg) on a worker, the calling fiber stopped
 * until it has finished; returns job's result. ctx is the rt_workers. */
int rt__workers_offload(void *ctx, int (*job)(void *arg), void *arg);

#endif
