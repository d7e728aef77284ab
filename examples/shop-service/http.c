/*
 * http.c - the shop service's HTTP side on libmicrohttpd: gathers a
 * request (its body up to a limit, its query parameters), routes it,
 * parses the body as JSON, runs the handler - on rt_async with the
 * connection suspended (async mode) or on the calling thread of
 * libmicrohttpd's pool (threads mode) - and sends the answer as JSON.
 *
 * Nothing of the request is turned into SQL here: the handlers get the
 * path's keys as numbers, the parameters and the body as values.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "service.h"

/* A body larger than this is refused (413) without being kept. */
#define MAX_BODY (64 * 1024)

struct shop_http {
	struct MHD_Daemon *daemon;
	shop_http_config config;
	long busy;          /* async mode: handlers in flight (loop thread only) */
	int stopping;       /* new requests are refused (503) */
};

enum request_state { READING, RUNNING, ANSWERED };

/* One request, from its headers to its answer (libmicrohttpd's con_cls). */
typedef struct request {
	shop_http *http;
	struct MHD_Connection *connection;
	enum request_state state;
	char *body;
	size_t len;
	int too_large;
	int bad_params;     /* too many, or not UTF-8 */
	int queued;         /* the answer is queued */
	shop_call call;
} request;

/* --- answering -------------------------------------------------------------------- */

/* Queues the call's answer, once. */
static enum MHD_Result send_answer(struct MHD_Connection *connection, request *r)
{
	shop_call *call = &r->call;
	char *text = NULL;
	r->state = ANSWERED;
	if (r->queued)
		return MHD_YES;
	r->queued = 1;
	size_t len = 0;
	if (call->answer) {
		text = json_dumps(call->answer, JSON_COMPACT);
		if (!text) {
			call->status = 500;
			text = strdup("{\"error\":\"the answer could not be written\"}");
		}
		if (!text)
			return MHD_NO;
		len = strlen(text);
	}
	/* No body (204): an empty buffer that is not to be freed. */
	struct MHD_Response *response =
		text ? MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE)
		     : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!response) {
		free(text);
		return MHD_NO;
	}
	if (text)
		MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	enum MHD_Result rc = MHD_queue_response(connection, (unsigned int)call->status, response);
	MHD_destroy_response(response);
	return rc;
}

/* An answer to a request that reaches no handler. */
static enum MHD_Result send_error(struct MHD_Connection *connection, request *r, int status,
				  const char *message)
{
	shop_fail(&r->call, status, "%s", message);
	return send_answer(connection, r);
}

/* --- the request ---------------------------------------------------------------------- */

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	request *r = cls;
	(void)kind;
	if (!value)
		value = ""; /* ?flag */
	/* Text that is not UTF-8 could not be stored in a text column of
	 * every database, nor be quoted in an error: refused. */
	json_t *check_key = json_string(key), *check_value = json_string(value);
	int valid = check_key && check_value;
	json_decref(check_key);
	json_decref(check_value);
	if (!valid || r->call.param_count == SHOP_MAX_PARAMS) {
		r->bad_params = 1;
		return MHD_NO;
	}
	shop_param *p = &r->call.params[r->call.param_count];
	p->name = strdup(key);
	p->value = strdup(value);
	if (!p->name || !p->value) {
		free(p->name);
		free(p->value);
		r->bad_params = 1;
		return MHD_NO;
	}
	r->call.param_count++;
	return MHD_YES;
}

static int append_body(request *r, const char *data, size_t size)
{
	if (r->too_large || r->len + size > MAX_BODY) {
		r->too_large = 1;
		free(r->body);
		r->body = NULL;
		r->len = 0;
		return 0;
	}
	char *grown = realloc(r->body, r->len + size + 1);
	if (!grown)
		return -1;
	memcpy(grown + r->len, data, size);
	r->body = grown;
	r->len += size;
	r->body[r->len] = '\0';
	return 0;
}

/* --- running a handler ------------------------------------------------------------------ */

static int work(void *arg)
{
	request *r = arg;
	shop_call_run(&r->call);
	return RT_OK;
}

/* The operation's one done call: the answer is ready (or the operation was
 * cancelled: the service is stopping); the connection goes on. */
static void done(rt_async_op *op, int rc, void *user)
{
	request *r = user;
	(void)op;
	if (rc < 0)
		shop_db_error(&r->call, "request");
	r->state = ANSWERED;
	r->http->busy--;
	MHD_resume_connection(r->connection);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	shop_http *http = cls;
	request *r = *con_cls;
	(void)version;
	if (!r) {
		/* The headers: a body announced larger than the limit is
		 * refused before it is sent. */
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->http = http;
		r->connection = connection;
		r->call.engine = http->config.engine;
		*con_cls = r;
		const char *length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
								 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length && strtoull(length, NULL, 10) > MAX_BODY)
			return send_error(connection, r, 413, "the body is larger than 64 KiB");
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (r->state == READING && append_body(r, upload_data, *upload_data_size) < 0)
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->state == ANSWERED)
		/* Resumed after its handler ran, or answered at the headers. */
		return send_answer(connection, r);
	if (r->state == RUNNING)
		return MHD_YES;

	if (r->too_large)
		return send_error(connection, r, 413, "the body is larger than 64 KiB");
	if (http->stopping)
		return send_error(connection, r, 503, "the service is stopping");
	if (shop_route(&r->call, method, url) != 0) {
		return send_answer(connection, r);
	}
	MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect_param, r);
	if (r->bad_params)
		return send_error(connection, r, 400,
				  "the query has too many parameters or is not UTF-8");
	if (r->len > 0) {
		json_error_t error;
		r->call.body = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &error);
		if (!r->call.body) {
			shop_fail(&r->call, 400, "bad JSON: line %d, column %d: %s", error.line,
				  error.column, error.text);
			return send_answer(connection, r);
		}
	}

	if (http->config.threads > 0) {
		shop_call_run(&r->call);
		return send_answer(connection, r);
	}
	r->state = RUNNING;
	if (rt_async_run(http->config.async, NULL, work, r, done, r) != RT_OK) {
		shop_db_error(&r->call, "request");
		return send_answer(connection, r);
	}
	/* done() is never called from inside rt_async_run: suspending now
	 * comes before the resume. */
	http->busy++;
	MHD_suspend_connection(connection);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	request *r = *con_cls;
	(void)cls;
	(void)connection;
	(void)why;
	if (!r)
		return;
	shop_call_clear(&r->call);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

/* --- the daemon ----------------------------------------------------------------------------- */

int shop_http_start(shop_http **out, const shop_http_config *config)
{
	shop_http *http = calloc(1, sizeof(*http));
	if (!http) {
		fprintf(stderr, "shop-service: out of memory\n");
		return -1;
	}
	http->config = *config;
	struct sockaddr_in address;
	memset(&address, 0, sizeof(address));
	address.sin_family = AF_INET;
	address.sin_port = htons((uint16_t)config->port);
	if (inet_pton(AF_INET, config->host, &address.sin_addr) != 1) {
		fprintf(stderr, "shop-service: '%s' is not an IPv4 address\n", config->host);
		free(http);
		return -1;
	}
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (config->threads > 0)
		flags |= MHD_USE_INTERNAL_POLLING_THREAD;
	else
		flags |= MHD_ALLOW_SUSPEND_RESUME;
	/* The pool's size goes last: async mode leaves it out (the list
	 * ends there). */
	http->daemon = MHD_start_daemon(
		flags, (uint16_t)config->port, NULL, NULL, on_request, http, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&address, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 4000u,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		config->threads > 0 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
		(unsigned int)config->threads, MHD_OPTION_END);
	if (!http->daemon) {
		fprintf(stderr, "shop-service: cannot listen on %s:%d\n", config->host,
			config->port);
		free(http);
		return -1;
	}
	*out = http;
	return 0;
}

int shop_http_port(const shop_http *http)
{
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(http->daemon, MHD_DAEMON_INFO_BIND_PORT);
	return info ? info->port : -1;
}

int shop_http_epoll_fd(const shop_http *http)
{
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(http->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	return info ? info->epoll_fd : -1;
}

void shop_http_run(shop_http *http)
{
	MHD_run(http->daemon);
}

long shop_http_timeout_ms(shop_http *http)
{
	MHD_UNSIGNED_LONG_LONG ms;
	if (MHD_get_timeout(http->daemon, &ms) != MHD_YES)
		return -1;
	return ms > 60000 ? 60000 : (long)ms;
}

void shop_http_quiesce(shop_http *http)
{
	http->stopping = 1;
	MHD_socket listener = MHD_quiesce_daemon(http->daemon);
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
}

long shop_http_busy(const shop_http *http)
{
	return http->busy;
}

void shop_http_stop(shop_http *http)
{
	if (!http)
		return;
	MHD_stop_daemon(http->daemon);
	free(http);
}
