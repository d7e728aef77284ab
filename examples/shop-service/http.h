/*
 * http.h - the HTTP side of the shop service, on libmicrohttpd.
 *
 * Two ways to run the same handlers:
 *   - async (threads == 0): libmicrohttpd with no thread of its own, its
 *     epoll descriptor watched by the program's loop (shop_http_epoll_fd,
 *     shop_http_run); a request's handler runs on rt_async, its connection
 *     suspended until the operation's done callback resumes it;
 *   - threads (threads == N): libmicrohttpd's own pool of N threads, each
 *     running handlers with the blocking API.
 */
#ifndef SHOP_HTTP_H
#define SHOP_HTTP_H

#include <retort.h>
#include <retort/async.h>

typedef struct shop_http shop_http;

typedef struct shop_http_config {
	const char *host;   /* IPv4 address to listen on */
	int port;           /* 0: any free port (shop_http_port says which) */
	int threads;        /* 0: async on the caller's loop; N: a pool of N threads */
	rt_engine *engine;
	rt_async *async;    /* async mode: the scheduler the handlers run on */
} shop_http_config;

/* Starts listening. Returns 0, or -1 with the reason printed. */
int shop_http_start(shop_http **out, const shop_http_config *config);
/* The port it listens on. */
int shop_http_port(const shop_http *http);
/* Async mode: the descriptor the loop watches for reading, the work to do
 * when it is ready or a loop turn has passed, and how long the loop may
 * wait at most (-1: no limit). */
int shop_http_epoll_fd(const shop_http *http);
void shop_http_run(shop_http *http);
long shop_http_timeout_ms(shop_http *http);
/* Stops taking connections; requests that come on open ones are answered
 * 503. The handlers in flight go on. */
void shop_http_quiesce(shop_http *http);
/* How many requests are being answered (their handlers in flight). */
long shop_http_busy(const shop_http *http);
/* Stops listening, closes the connections, frees. NULL-safe. */
void shop_http_stop(shop_http *http);

#endif
