/*
 * turn.h - work put off to the end of the scheduler's turn, and sockets
 * corked until then.
 *
 * The non-blocking API resumes many operations in one turn of the event
 * loop (async.c). Each may write a short request to a connection that
 * others share; sent at once, every request is a packet of its own and a
 * wake-up of the server. A driver corks the socket instead (TCP_CORK: the
 * kernel holds what is written) and asks to be called back when the turn
 * ends, before the loop waits: then the turn's requests leave in one
 * packet. Outside a turn (the blocking API, another thread) nothing is put
 * off and nothing is corked.
 */
#ifndef RT_BASE_TURN_H
#define RT_BASE_TURN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rt_turn_call {
	void (*fn)(void *ctx);
	void *ctx;
} rt_turn_call;

/* What one scheduler's turn has put off. Zeroed before its first use. */
typedef struct rt_turn {
	rt_turn_call *calls;
	size_t count, cap;
	struct rt_turn *outer; /* a turn of another scheduler this one runs in */
} rt_turn;

/* Starts a turn on this thread: rt__turn_defer adds to t until
 * rt__turn_end(t), which makes each call, in order, then restores the
 * turn (if any) that was running on this thread before. */
void rt__turn_begin(rt_turn *t);
void rt__turn_end(rt_turn *t);
/* Frees what t holds (its turn has ended). */
void rt__turn_free(rt_turn *t);

/* Calls fn(ctx) when this thread's turn ends. false (and nothing put off)
 * when no turn is running on this thread, or memory ran out: then the
 * caller does its work now. The same (fn, ctx) put off twice is called
 * once. */
bool rt__turn_defer(void (*fn)(void *ctx), void *ctx);
/* Forgets what was put off for ctx in this thread's turn (ctx is about to
 * be freed). */
void rt__turn_forget(void *ctx);

/* Corks or uncorks a TCP socket (TCP_CORK). false when the socket does
 * not take it (a unix socket): the caller then never corks it. */
bool rt__socket_cork(int fd, bool on);

#endif
