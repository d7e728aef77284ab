/*
 * main.c - the shop service: an HTTP JSON service over the example shop's
 * models (examples/shop/models.rt), on retort.
 *
 *   shop-service [--database URL] [--sqlite FILE] [--host ADDR] [--port N]
 *                [--pool N] [--threads N]
 *
 * By default one thread runs everything: an epoll loop watches
 * libmicrohttpd's descriptor and those retort's non-blocking API (rt_async)
 * asks for; each request's handler runs as an rt_async operation, its
 * connection suspended until the operation's done callback. The database
 * is migrated at start-up from the same loop (the shop's migration
 * scripts, compiled in by `retort embed`). With --threads N the same
 * handlers run with the blocking API on libmicrohttpd's pool of N threads
 * (and a pool of N connections), for comparison.
 *
 * SIGINT or SIGTERM stops it: the requests in flight are answered first.
 * Exit status: 0 stopped by a signal, 1 the database or the port refused,
 * 2 a malformed command line.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <retort.h>
#include <retort/async.h>
#include <retort/async_epoll.h>

#include "http.h"

extern const rt_migrations shop_migrations;

static const char usage_text[] =
	"usage: shop-service [OPTIONS]\n"
	"\n"
	"  --database URL  the database (else $DATABASE_URL): postgresql://...,\n"
	"                  mysql://... or sqlite:///FILE\n"
	"  --sqlite FILE   without a URL: the SQLite file (default shop.db)\n"
	"  --host ADDR     the IPv4 address to listen on (default 127.0.0.1)\n"
	"  --port N        the port (default 8080; 0: any free one, printed)\n"
	"  --pool N        connections to the database (default 8)\n"
	"  --threads N     blocking handlers on a pool of N threads and N\n"
	"                  connections, instead of one thread and the\n"
	"                  non-blocking API\n"
	"\n"
	"It migrates the database to the newest revision at start-up, then\n"
	"prints 'listening on http://ADDR:PORT'. SIGINT or SIGTERM stops it.\n";

typedef struct options {
	const char *url;
	const char *sqlite_file;
	const char *host;
	int port;
	int pool;
	int threads;
} options;

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "shop-service: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nhint: shop-service --help lists the options\n");
	return 2;
}

static int parse_number(const char *text, int min, int max, int *out)
{
	char *end;
	errno = 0;
	long value = strtol(text, &end, 10);
	if (errno || end == text || *end || value < min || value > max)
		return -1;
	*out = (int)value;
	return 0;
}

/* 0, 1 (--help printed) or 2 (error printed). */
static int parse_options(int argc, char **argv, options *o)
{
	o->url = NULL;
	o->sqlite_file = "shop.db";
	o->host = "127.0.0.1";
	o->port = 8080;
	o->pool = 8;
	o->threads = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(usage_text, stdout);
			return 1;
		}
		if (i + 1 >= argc)
			return usage_error("unknown option '%s' or its value missing", arg);
		const char *value = argv[++i];
		if (strcmp(arg, "--database") == 0)
			o->url = value;
		else if (strcmp(arg, "--sqlite") == 0)
			o->sqlite_file = value;
		else if (strcmp(arg, "--host") == 0)
			o->host = value;
		else if (strcmp(arg, "--port") == 0) {
			if (parse_number(value, 0, 65535, &o->port) < 0)
				return usage_error("--port: '%s' is not a port", value);
		} else if (strcmp(arg, "--pool") == 0) {
			if (parse_number(value, 1, 1024, &o->pool) < 0)
				return usage_error("--pool: '%s' is not from 1 to 1024", value);
		} else if (strcmp(arg, "--threads") == 0) {
			if (parse_number(value, 1, 1024, &o->threads) < 0)
				return usage_error("--threads: '%s' is not from 1 to 1024", value);
		} else
			return usage_error("unknown option '%s'", arg);
	}
	if (!o->url) {
		const char *env = getenv("DATABASE_URL");
		if (env && *env)
			o->url = env;
	}
	if (o->threads)
		o->pool = o->threads; /* one connection per thread */
	return 0;
}

/* --- migrating ---------------------------------------------------------------------- */

static rt_engine *engine;

static void progress(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

typedef struct migration {
	int finished;
	int rc;
} migration;

static void migrated(rt_async_op *op, int rc, void *user)
{
	migration *m = user;
	(void)op;
	m->finished = 1;
	m->rc = rc;
	if (rc < 0)
		fprintf(stderr, "shop-service: migrate: %s\n", rt_error_last()->message);
}

/* --- the loop (async mode) ------------------------------------------------------------- */

typedef struct service {
	rt_epoll_loop loop;
	rt_async *async;
	shop_http *http;
	int http_fd;
	int signal_fd;
	int stopping;
} service;

/* A descriptor of the program's own: libmicrohttpd's (it runs after each
 * turn anyway) or the signals'. */
static void on_other(int fd, unsigned int events, void *user)
{
	service *sv = user;
	(void)events;
	if (fd == sv->signal_fd) {
		struct signalfd_siginfo info;
		if (read(fd, &info, sizeof(info)) == (ssize_t)sizeof(info))
			sv->stopping = 1;
	}
}

static int add_fd(service *sv, int fd)
{
	struct epoll_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	return epoll_ctl(sv->loop.epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* Turns the loop: retort's descriptors and timer, then libmicrohttpd. */
static void turn(service *sv, int max_ms)
{
	long http_ms = sv->http ? shop_http_timeout_ms(sv->http) : -1;
	if (http_ms >= 0 && (max_ms < 0 || http_ms < max_ms))
		max_ms = (int)http_ms;
	rt_epoll_loop_run_once(&sv->loop, max_ms);
	if (sv->http)
		shop_http_run(sv->http);
}

static int run_async(const options *o, sigset_t *signals)
{
	service sv;
	memset(&sv, 0, sizeof(sv));
	sv.signal_fd = -1;
	if (rt_epoll_loop_init(&sv.loop) < 0) {
		perror("shop-service: epoll");
		return 1;
	}
	sv.loop.other = on_other;
	sv.loop.other_user = &sv;
	int rc = 1;
	if (rt_async_new(&sv.async, engine, &sv.loop.callbacks, &sv.loop) != RT_OK) {
		fprintf(stderr, "shop-service: %s\n", rt_error_last()->message);
		goto out;
	}
	sv.loop.async = sv.async;
	sv.signal_fd = signalfd(-1, signals, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sv.signal_fd < 0 || add_fd(&sv, sv.signal_fd) < 0) {
		perror("shop-service: signalfd");
		goto out;
	}

	/* The migrations run on the loop like any other operation. */
	migration m = {0, 0};
	rt_migrate_options opts = RT_MIGRATE_OPTIONS_INIT;
	opts.progress = progress;
	if (rt_async_migrate_run(sv.async, NULL, &shop_migrations, RT_MIGRATE_UPGRADE, "head", &opts,
				 migrated, &m) != RT_OK) {
		fprintf(stderr, "shop-service: migrate: %s\n", rt_error_last()->message);
		goto out;
	}
	while (!m.finished && !sv.stopping)
		turn(&sv, 1000);
	if (!m.finished || m.rc < 0)
		goto out;

	shop_http_config config = {o->host, o->port, 0, engine, sv.async};
	if (shop_http_start(&sv.http, &config) < 0)
		goto out;
	sv.http_fd = shop_http_epoll_fd(sv.http);
	if (sv.http_fd < 0 || add_fd(&sv, sv.http_fd) < 0) {
		perror("shop-service: libmicrohttpd's epoll descriptor");
		goto out;
	}
	printf("shop-service: listening on http://%s:%d (one thread, the non-blocking API, "
	       "a pool of %d connections, %s)\n",
	       o->host, shop_http_port(sv.http), o->pool, rt_engine_dialect(engine));
	fflush(stdout);
	while (!sv.stopping)
		turn(&sv, 1000);
	/* Stopping: no new connection or request; those in flight are
	 * answered and sent (for 10 s at most: then they are cancelled). */
	shop_http_quiesce(sv.http);
	long long until = rt_epoll_loop_now_ms() + 10000;
	for (int quiet = 0; quiet < 5 && rt_epoll_loop_now_ms() < until;) {
		turn(&sv, 20);
		quiet = shop_http_busy(sv.http) ? 0 : quiet + 1;
	}
	rc = 0;
out:
	/* Operations still in flight are cancelled first: their done
	 * callbacks resume their connections, which the daemon then closes. */
	rt_async_free(sv.async);
	shop_http_stop(sv.http);
	if (sv.signal_fd >= 0)
		close(sv.signal_fd);
	rt_epoll_loop_close(&sv.loop);
	return rc;
}

/* --- threads mode ------------------------------------------------------------------------- */

static int run_threads(const options *o, sigset_t *signals)
{
	rt_migrate_options opts = RT_MIGRATE_OPTIONS_INIT;
	opts.progress = progress;
	if (rt_migrate_run(engine, &shop_migrations, RT_MIGRATE_UPGRADE, "head", &opts) != RT_OK) {
		fprintf(stderr, "shop-service: migrate: %s\n", rt_error_last()->message);
		return 1;
	}
	shop_http *http;
	shop_http_config config = {o->host, o->port, o->threads, engine, NULL};
	if (shop_http_start(&http, &config) < 0)
		return 1;
	printf("shop-service: listening on http://%s:%d (%d threads, the blocking API, a pool of "
	       "%d connections, %s)\n",
	       o->host, shop_http_port(http), o->threads, o->pool, rt_engine_dialect(engine));
	fflush(stdout);
	int signal_number;
	while (sigwait(signals, &signal_number) != 0)
		;
	shop_http_stop(http);
	return 0;
}

int main(int argc, char **argv)
{
	options o;
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;

	/* The signals are taken by signalfd or sigwait: blocked in every
	 * thread, which libmicrohttpd's inherit. */
	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	char *sqlite_url = NULL;
	const char *url = o.url;
	if (!url) {
		size_t size = strlen(o.sqlite_file) + 16;
		sqlite_url = malloc(size);
		if (!sqlite_url)
			return 1;
		snprintf(sqlite_url, size, "sqlite:///%s", o.sqlite_file);
		url = sqlite_url;
	}
	rt_engine_options engine_options = RT_ENGINE_OPTIONS_INIT;
	engine_options.pool_size = o.pool;
	if (rt_engine_open(&engine, url, &engine_options) != RT_OK) {
		fprintf(stderr, "shop-service: %s\n", rt_error_last()->message);
		free(sqlite_url);
		return 1;
	}
	rc = o.threads ? run_threads(&o, &signals) : run_async(&o, &signals);
	rt_engine_free(engine);
	free(sqlite_url);
	if (rc == 0)
		fprintf(stderr, "shop-service: stopped\n");
	return rc;
}
