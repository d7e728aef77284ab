/*
 * Unit tests for src/base/turn.c: work put off to the end of a turn (in
 * order, once, forgotten on request, nested turns kept apart) and corking
 * a TCP socket until then (the kernel holds what is written).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"

#include "base/turn.h"

static char calls[64];
static size_t call_count;

static void note(void *ctx)
{
	if (call_count + 1 < sizeof(calls))
		calls[call_count++] = *(const char *)ctx;
	calls[call_count] = '\0';
}

static void test_defer(void)
{
	static const char a = 'a', b = 'b', c = 'c';
	rt_turn t = {0};
	call_count = 0;
	calls[0] = '\0';
	/* No turn: nothing is put off. */
	CHECK(!rt__turn_defer(note, (void *)&a));
	rt__turn_begin(&t);
	CHECK(rt__turn_defer(note, (void *)&a));
	CHECK(rt__turn_defer(note, (void *)&b));
	CHECK(rt__turn_defer(note, (void *)&a)); /* once */
	CHECK(rt__turn_defer(note, (void *)&c));
	rt__turn_forget((void *)&b);
	CHECK_STR(calls, "");
	rt__turn_end(&t);
	CHECK_STR(calls, "ac");
	/* Ended: nothing is put off any more, and the list starts empty. */
	CHECK(!rt__turn_defer(note, (void *)&a));
	rt__turn_begin(&t);
	rt__turn_end(&t);
	CHECK_STR(calls, "ac");
	rt__turn_free(&t);
}

static void test_nested(void)
{
	static const char a = 'a', b = 'b';
	rt_turn outer = {0}, inner = {0};
	call_count = 0;
	rt__turn_begin(&outer);
	CHECK(rt__turn_defer(note, (void *)&a));
	rt__turn_begin(&inner);
	CHECK(rt__turn_defer(note, (void *)&b));
	rt__turn_end(&inner);
	CHECK_STR(calls, "b");
	/* Back in the outer turn. */
	CHECK(rt__turn_defer(note, (void *)&b));
	rt__turn_end(&outer);
	CHECK_STR(calls, "bab");
	rt__turn_free(&outer);
	rt__turn_free(&inner);
}

/* Many calls: the list grows. */
static void test_many(void)
{
	static char keys[40];
	rt_turn t = {0};
	call_count = 0;
	rt__turn_begin(&t);
	for (size_t i = 0; i < sizeof(keys); i++) {
		keys[i] = (char)('A' + i % 26);
		CHECK(rt__turn_defer(note, &keys[i]));
	}
	rt__turn_end(&t);
	CHECK_INT((int)call_count, (int)sizeof(keys));
	rt__turn_free(&t);
}

/* A loopback TCP connection: a corked write is held, uncorking sends it. */
static void test_cork(void)
{
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(listener >= 0);
	struct sockaddr_in addr = {0};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(addr);
	CHECK_INT(bind(listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
	CHECK_INT(listen(listener, 1), 0);
	CHECK_INT(getsockname(listener, (struct sockaddr *)&addr, &len), 0);
	int client = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_INT(connect(client, (struct sockaddr *)&addr, sizeof(addr)), 0);
	int server = accept(listener, NULL, NULL);
	CHECK(server >= 0);

	CHECK(rt__socket_cork(client, true));
	CHECK_INT((int)send(client, "ab", 2, 0), 2);
	char got[8];
	/* Held: nothing arrives (a partial frame waits for the cork's end or
	 * 200 ms; looked at well before). */
	CHECK_INT((int)recv(server, got, sizeof(got), MSG_DONTWAIT), -1);
	CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
	CHECK(rt__socket_cork(client, false));
	CHECK_INT((int)recv(server, got, sizeof(got), 0), 2);

	/* A unix socket takes no cork. */
	int pair[2];
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
	CHECK(!rt__socket_cork(pair[0], true));
	close(pair[0]);
	close(pair[1]);
	close(server);
	close(client);
	close(listener);
}

int main(void)
{
	RT_RUN(test_defer);
	RT_RUN(test_nested);
	RT_RUN(test_many);
	RT_RUN(test_cork);
	return rt_test_done();
}
