/*
 * wait.h - waiting for a descriptor, the one place where retort's drivers
 * wait for the network.
 *
 * Outside a fiber, rt__wait_fd polls: the blocking API. Inside one (an
 * operation of the non-blocking API, fiber.h), it stops the fiber and the
 * event loop's side resumes it once the loop reports the descriptor ready
 * or the deadline passed; the driver cannot tell the difference. A pause
 * (rt__sleep_ms) is the same kind of wait, with a deadline and no
 * descriptor.
 */
#ifndef RT_BASE_WAIT_H
#define RT_BASE_WAIT_H

#include <stdint.h>

#include "base/fiber.h"

/* Milliseconds on the monotonic clock. */
int64_t rt__now_ms(void);

/* Waits until fd is ready for events (RT_WAIT_READ | RT_WAIT_WRITE) or
 * timeout_ms have passed (-1: no limit). Returns the events that came, 0
 * on a timeout, or a negative error code: RT_ECANCELED when the operation
 * running in this fiber was cancelled (every later wait in it fails
 * alike, so the driver unwinds), RT_EINVAL for a bad descriptor.
 * RT_WAIT_NEW in events marks the waits of a connection being made
 * (fiber.h says why). */
int rt__wait_fd(int fd, int events, int timeout_ms);

/* Waits ms milliseconds: outside a fiber it sleeps (the blocking API),
 * inside one it stops the fiber until the deadline (no descriptor is
 * watched; the scheduler's timer resumes it), so a pause on an
 * operation's path never stops the loop. RT_OK, or RT_ECANCELED when the
 * operation was cancelled (then at once, without waiting). */
int rt__sleep_ms(int ms);

#endif
