/*
 * turn.c - work put off to the end of the scheduler's turn (turn.h), and
 * corking a socket until then.
 *
 * The turn running on a thread is a thread-local pointer: the drivers that
 * put work off run on the scheduler's thread, inside its turn, and know
 * nothing of the scheduler. Turns nest when a done callback of one
 * scheduler drives another on the same thread; each keeps its own list.
 *
 * The alternative rejected: a flush the scheduler calls on every
 * connection of the engine at the end of each turn. It would make the
 * scheduler know the pool and the drivers, and visit idle connections.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "base/turn.h"

static _Thread_local rt_turn *running;

void rt__turn_begin(rt_turn *t)
{
	t->outer = running;
	t->count = 0;
	running = t;
}

void rt__turn_end(rt_turn *t)
{
	/* A call may put off more (it runs as if still in the turn): the
	 * list is read by index, and grows meanwhile. */
	for (size_t i = 0; i < t->count; i++) {
		rt_turn_call call = t->calls[i];
		if (call.fn)
			call.fn(call.ctx);
	}
	t->count = 0;
	running = t->outer;
	t->outer = NULL;
}

void rt__turn_free(rt_turn *t)
{
	free(t->calls);
	t->calls = NULL;
	t->count = t->cap = 0;
}

bool rt__turn_defer(void (*fn)(void *ctx), void *ctx)
{
	rt_turn *t = running;
	if (!t || !fn)
		return false;
	for (size_t i = 0; i < t->count; i++)
		if (t->calls[i].fn == fn && t->calls[i].ctx == ctx)
			return true;
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		rt_turn_call *calls = realloc(t->calls, cap * sizeof(*calls));
		if (!calls)
			return false;
		t->calls = calls;
		t->cap = cap;
	}
	t->calls[t->count++] = (rt_turn_call){fn, ctx};
	return true;
}

void rt__turn_forget(void *ctx)
{
	for (rt_turn *t = running; t; t = t->outer)
		for (size_t i = 0; i < t->count; i++)
			if (t->calls[i].ctx == ctx)
				t->calls[i].fn = NULL;
}

bool rt__socket_cork(int fd, bool on)
{
	int value = on;
	return setsockopt(fd, IPPROTO_TCP, TCP_CORK, &value, sizeof(value)) == 0;
}
