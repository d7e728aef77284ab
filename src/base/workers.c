/*
 * workers.c - threads that run fibers' blocking jobs (workers.h says why).
 *
 * One queue, guarded by a mutex, that the threads take jobs from in order.
 * A job lives on its fiber's stack: the fiber is stopped until the job is
 * done, so the memory stays valid, and nothing is allocated per job.
 */
#include <pthread.h>
#include <stdlib.h>

#include "base/error.h"
#include "base/fiber.h"
#include "base/workers.h"

typedef struct job {
	int (*fn)(void *arg);
	void *arg;
	rt_fiber *fiber;
	int result;
	volatile int done;  /* read by the fiber after it is resumed */
	struct job *next;
} job;

struct rt_workers {
	pthread_mutex_t mutex;
	pthread_cond_t queued;
	job *first, *last;
	bool stopping;
	int count;
	pthread_t *threads;
};

static void *worker_main(void *arg)
{
	rt_workers *w = arg;
	pthread_mutex_lock(&w->mutex);
	for (;;) {
		while (!w->first && !w->stopping)
			pthread_cond_wait(&w->queued, &w->mutex);
		job *j = w->first;
		if (!j)
			break; /* stopping, and nothing left */
		w->first = j->next;
		if (!w->first)
			w->last = NULL;
		pthread_mutex_unlock(&w->mutex);
		/* The job's errors are the fiber's: it reads them when resumed. */
		rt_error_state *before = rt__error_state_swap(rt__fiber_errors(j->fiber));
		int result = j->fn(j->arg);
		rt__error_state_swap(before);
		pthread_mutex_lock(&w->mutex);
		j->result = result;
		j->done = 1;
		/* Under the mutex: the fiber cannot see done and go away before
		 * it is made ready. */
		rt__fiber_ready(j->fiber, 1);
	}
	pthread_mutex_unlock(&w->mutex);
	return NULL;
}

int rt__workers_new(rt_workers **out, int count)
{
	*out = NULL;
	if (count < 1)
		count = 1;
	rt_workers *w = calloc(1, sizeof(*w));
	if (!w || !(w->threads = calloc((size_t)count, sizeof(pthread_t)))) {
		free(w);
		return rt__error_nomem();
	}
	pthread_mutex_init(&w->mutex, NULL);
	pthread_cond_init(&w->queued, NULL);
	for (int i = 0; i < count; i++) {
		if (pthread_create(&w->threads[i], NULL, worker_main, w) != 0)
			break;
		w->count++;
	}
	if (!w->count) {
		rt__workers_free(w);
		return rt__error_set(RT_ERROR, "cannot start a worker thread");
	}
	*out = w;
	return RT_OK;
}

void rt__workers_free(rt_workers *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mutex);
	w->stopping = true;
	pthread_cond_broadcast(&w->queued);
	pthread_mutex_unlock(&w->mutex);
	for (int i = 0; i < w->count; i++)
		pthread_join(w->threads[i], NULL);
	pthread_mutex_destroy(&w->mutex);
	pthread_cond_destroy(&w->queued);
	free(w->threads);
	free(w);
}

int rt__workers_offload(void *ctx, int (*fn)(void *arg), void *arg)
{
	rt_workers *w = ctx;
	rt_fiber *fiber = rt__fiber_current();
	if (!w || !fiber)
		return fn(arg);
	job j = {fn, arg, fiber, 0, 0, NULL};
	pthread_mutex_lock(&w->mutex);
	if (w->last)
		w->last->next = &j;
	else
		w->first = &j;
	w->last = &j;
	pthread_cond_signal(&w->queued);
	pthread_mutex_unlock(&w->mutex);
	/* Resumed only by the worker's rt__fiber_ready (RT_WAIT_JOB: a
	 * cancel does not wake it); the loop guards against anything else.
	 * The fiber stops at least once even when the job is done already:
	 * the worker has made it ready all the same, and that wake-up must be
	 * used here, not left for the fiber's next wait (which it would end
	 * early, with events that never came). */
	for (;;) {
		rt__fiber_wait(-1, RT_WAIT_JOB, -1);
		pthread_mutex_lock(&w->mutex);
		int done = j.done;
		pthread_mutex_unlock(&w->mutex);
		if (done)
			break;
	}
	return j.result;
}
