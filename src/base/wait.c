/*
 * wait.c - waiting for a descriptor or for a while, by poll() and
 * nanosleep() or by stopping the fiber (wait.h says why there is one place
 * for it).
 */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "base/error.h"
#include "base/wait.h"

int64_t rt__now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int wait_polling(int fd, int events, int timeout_ms)
{
	struct pollfd p = {fd, 0, 0};
	if (events & RT_WAIT_READ)
		p.events |= POLLIN;
	if (events & RT_WAIT_WRITE)
		p.events |= POLLOUT;
	int64_t deadline = timeout_ms < 0 ? -1 : rt__now_ms() + timeout_ms;
	for (;;) {
		int left = deadline < 0 ? -1 : (int)(deadline - rt__now_ms());
		if (deadline >= 0 && left < 0)
			left = 0;
		int n = poll(&p, 1, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rt__error_set(RT_EIO, "poll: errno %d", errno);
		if (n == 0)
			return 0;
		if (p.revents & POLLNVAL)
			return rt__error_set(RT_EINVAL, "wait: descriptor %d is not open", fd);
		int got = 0;
		/* An error or hang-up wakes a reader and a writer alike: the
		 * driver's next call finds out what happened. */
		if (p.revents & (POLLIN | POLLERR | POLLHUP))
			got |= events & RT_WAIT_READ;
		if (p.revents & (POLLOUT | POLLERR | POLLHUP))
			got |= events & RT_WAIT_WRITE;
		return got ? got : events;
	}
}

int rt__wait_fd(int fd, int events, int timeout_ms)
{
	if (fd < 0 || !(events & (RT_WAIT_READ | RT_WAIT_WRITE)))
		return rt__error_set(RT_EINVAL, "wait: descriptor %d, events %d", fd, events);
	if (!rt__fiber_current())
		return wait_polling(fd, events & (RT_WAIT_READ | RT_WAIT_WRITE), timeout_ms);
	int64_t deadline = timeout_ms < 0 ? -1 : rt__now_ms() + timeout_ms;
	int got = rt__fiber_wait(fd, events, deadline);
	if (got < 0)
		return rt__error_set(RT_ECANCELED, "the operation was cancelled");
	return got;
}

int rt__sleep_ms(int ms)
{
	if (ms < 0)
		ms = 0;
	if (!rt__fiber_current()) {
		struct timespec left = {ms / 1000, (long)(ms % 1000) * 1000000L};
		while (nanosleep(&left, &left) != 0 && errno == EINTR)
			;
		return RT_OK;
	}
	/* Until the deadline: a wake-up before it (none is expected) waits
	 * again rather than cutting the pause short. */
	int64_t deadline = rt__now_ms() + ms;
	do {
		if (rt__fiber_wait(-1, 0, deadline) < 0)
			return rt__error_set(RT_ECANCELED, "the operation was cancelled");
	} while (rt__now_ms() < deadline);
	return RT_OK;
}
