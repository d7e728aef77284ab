/*
 * test_url.c - database URLs: every form of DESIGN §3, percent-decoding,
 * query options, and the password never showing in masks or messages.
 */
#include <string.h>

#include "base/arena.h"
#include "engine/url.h"
#include "retort.h"
#include "test.h"

static rt_arena *arena;

static rt_connect_params parse_ok(const char *url)
{
	rt_connect_params p;
	int rc = rt__url_parse(&p, arena, url);
	if (rc != RT_OK)
		fprintf(stderr, "parse of %s failed: %s\n", url, rt_error_last()->message);
	CHECK_INT(rc, RT_OK);
	return p;
}

static void check_parse_error(const char *url, const char *secret)
{
	rt_connect_params p;
	CHECK_INT(rt__url_parse(&p, arena, url), RT_EPARSE);
	CHECK_INT(rt_error_last()->code, RT_EPARSE);
	CHECK(strlen(rt_error_last()->message) > 0);
	if (secret)
		CHECK(strstr(rt_error_last()->message, secret) == NULL);
}

static void test_sqlite_forms(void)
{
	rt_connect_params p = parse_ok("sqlite://");
	CHECK_STR(p.scheme, "sqlite");
	CHECK(p.path == NULL);
	CHECK_INT(p.option_count, 0);

	p = parse_ok("sqlite:///relative.db");
	CHECK_STR(p.path, "relative.db");
	p = parse_ok("sqlite:///dir/sub/app.db");
	CHECK_STR(p.path, "dir/sub/app.db");
	p = parse_ok("sqlite:////absolute/path.db");
	CHECK_STR(p.path, "/absolute/path.db");
	p = parse_ok("sqlite:///:memory:");
	CHECK_STR(p.path, ":memory:");
	p = parse_ok("SQLite:///x.db");
	CHECK_STR(p.scheme, "sqlite");
	/* SQLAlchemy leaves file names alone: a '%' in one is a '%'. */
	p = parse_ok("sqlite:///100%25.db");
	CHECK_STR(p.path, "100%25.db");
	CHECK_STR(p.masked_url, "sqlite:///100%25.db");

	p = parse_ok("sqlite:///x.db?mode=ro&timeout=2.5");
	CHECK_STR(p.path, "x.db");
	CHECK_INT(p.option_count, 2);
	CHECK_STR(p.option_keys[0], "mode");
	CHECK_STR(p.option_values[0], "ro");
	CHECK_STR(p.option_keys[1], "timeout");
	CHECK_STR(p.option_values[1], "2.5");
}

static void test_postgresql_forms(void)
{
	rt_connect_params p = parse_ok("postgresql://user:pass@db.example.com:5433/shop?sslmode=require");
	CHECK_STR(p.scheme, "postgresql");
	CHECK_STR(p.user, "user");
	CHECK_STR(p.password, "pass");
	CHECK_STR(p.host, "db.example.com");
	CHECK_INT(p.port, 5433);
	CHECK_STR(p.database, "shop");
	CHECK_INT(p.option_count, 1);
	CHECK_STR(p.option_keys[0], "sslmode");
	CHECK_STR(p.option_values[0], "require");
	CHECK_STR(p.masked_url, "postgresql://user:***@db.example.com:5433/shop?sslmode=require");

	/* SQLAlchemy URLs work as they are: the driver part is ignored. */
	p = parse_ok("postgresql+psycopg2://scott:tiger@localhost/test");
	CHECK_STR(p.scheme, "postgresql");
	CHECK_STR(p.user, "scott");
	CHECK_STR(p.password, "tiger");
	CHECK_STR(p.host, "localhost");
	CHECK_INT(p.port, 0);
	CHECK_STR(p.database, "test");
	CHECK_STR(p.masked_url, "postgresql+psycopg2://scott:***@localhost/test");

	p = parse_ok("postgres://localhost/app");
	CHECK_STR(p.scheme, "postgresql");
	CHECK(p.user == NULL);
	CHECK(p.password == NULL);
	CHECK_STR(p.masked_url, "postgres://localhost/app");

	p = parse_ok("postgresql://postgres@127.0.0.1:5432/postgres");
	CHECK_STR(p.user, "postgres");
	CHECK(p.password == NULL);
	CHECK_STR(p.host, "127.0.0.1");
	CHECK_STR(p.masked_url, "postgresql://postgres@127.0.0.1:5432/postgres");

	/* Nothing but the scheme: libpq's defaults (socket, $USER, ...). */
	p = parse_ok("postgresql://");
	CHECK(p.host == NULL && p.user == NULL && p.database == NULL && p.port == 0);

	/* A socket directory goes in the query, as libpq accepts it. */
	p = parse_ok("postgresql:///shop?host=/var/run/postgresql");
	CHECK(p.host == NULL);
	CHECK_STR(p.database, "shop");
	CHECK_STR(p.option_keys[0], "host");
	CHECK_STR(p.option_values[0], "/var/run/postgresql");

	p = parse_ok("postgresql://u@[::1]:6543/db");
	CHECK_STR(p.host, "::1");
	CHECK_INT(p.port, 6543);

	p = parse_ok("postgresql://u:@h/db");
	CHECK_STR(p.password, "");
	CHECK_STR(p.masked_url, "postgresql://u:***@h/db");
}

static void test_percent_decoding(void)
{
	rt_connect_params p = parse_ok("postgresql://us%40er:p%40ss%2Fw%3Ard@h%2Dx/my%20db?application_name=my+app%21");
	CHECK_STR(p.user, "us@er");
	CHECK_STR(p.password, "p@ss/w:rd");
	CHECK_STR(p.host, "h-x");
	CHECK_STR(p.database, "my db");
	CHECK_STR(p.option_values[0], "my app!");
	CHECK_STR(p.masked_url, "postgresql://us%40er:***@h%2Dx/my%20db?application_name=my+app%21");

	/* An '@' left unescaped in a password: the last '@' ends the user info. */
	p = parse_ok("postgresql://u:p@ss@host/db");
	CHECK_STR(p.password, "p@ss");
	CHECK_STR(p.host, "host");
	CHECK_STR(p.masked_url, "postgresql://u:***@host/db");

	/* A '%' not followed by two hex digits is kept. */
	p = parse_ok("postgresql://u:100%@h/db");
	CHECK_STR(p.password, "100%");
}

static void test_masking(void)
{
	CHECK_STR(rt__url_mask(arena, "postgresql://postgres:secret@host/db"),
		  "postgresql://postgres:***@host/db");
	CHECK_STR(rt__url_mask(arena, "postgresql://host/db?user=u&password=secret&sslmode=disable"),
		  "postgresql://host/db?user=u&password=***&sslmode=disable");
	CHECK_STR(rt__url_mask(arena, "sqlite:///x.db"), "sqlite:///x.db");
	CHECK_STR(rt__url_mask(arena, "not a url"), "not a url");
	CHECK(rt__url_mask(arena, NULL) == NULL);
}

static void test_malformed(void)
{
	check_parse_error("", NULL);
	check_parse_error("nonsense", NULL);
	check_parse_error("://host/db", NULL);
	check_parse_error("sqlite:relative.db", NULL);
	check_parse_error("sqlite://host/x.db", NULL);
	check_parse_error("postgresql://u:s3cret@h:99999/db", "s3cret");
	check_parse_error("postgresql://u:s3cret@h:port/db", "s3cret");
	check_parse_error("postgresql://u:s3cret@h:/db", "s3cret");
	check_parse_error("postgresql://u:s3cret@[::1/db", "s3cret");
	check_parse_error("postgresql://u:s3cret@h/db?novalue", "s3cret");
	check_parse_error("postgresql://u:s3cret@h/db?password=other&=x", "other");
	check_parse_error("postgresql://u:s3cret@h/db#frag", "s3cret");
}

static void test_engine_open(void)
{
	rt_engine *engine = NULL;
#ifdef RETORT_WITH_POSTGRESQL
	CHECK_OK(rt_engine_open(&engine, "postgresql+psycopg2://app:hunter2@db/shop", NULL));
	CHECK_STR(rt_engine_dialect(engine), "postgresql");
	CHECK_STR(rt_engine_url(engine), "postgresql+psycopg2://app:***@db/shop");
	rt_engine_free(engine);
#else
	/* A build without the backend refuses its URLs, naming the option. */
	CHECK_INT(rt_engine_open(&engine, "postgresql+psycopg2://app:hunter2@db/shop", NULL),
		  RT_EINVAL);
	CHECK_STR(rt_error_last()->message, "this build of retort has no postgresql backend "
					    "(configure with -DRETORT_WITH_POSTGRESQL=ON)");
	CHECK(engine == NULL);
#endif

	rt_engine_options opts = RT_ENGINE_OPTIONS_INIT;
	CHECK_OK(rt_engine_open(&engine, "sqlite://", &opts));
	CHECK_STR(rt_engine_dialect(engine), "sqlite");
	rt_engine_free(engine);

	engine = (rt_engine *)&opts; /* must be reset on failure */
	CHECK_INT(rt_engine_open(&engine, "oracle://root:hunter2@db/shop", NULL), RT_EINVAL);
	CHECK(engine == NULL);
	CHECK(strstr(rt_error_last()->message, "oracle") != NULL);
	CHECK(strstr(rt_error_last()->message, "hunter2") == NULL);

	CHECK_INT(rt_engine_open(&engine, "postgresql://u:hunter2@h:0/db", NULL), RT_EPARSE);
	CHECK(strstr(rt_error_last()->message, "hunter2") == NULL);

	opts.version = 99;
	CHECK_INT(rt_engine_open(&engine, "sqlite://", &opts), RT_EINVAL);
	CHECK_INT(rt_engine_open(NULL, "sqlite://", NULL), RT_EINVAL);
	rt_engine_free(NULL);
	CHECK(rt_engine_dialect(NULL) == NULL);
}

/* SQLite's URL options are checked when connecting. */
static void test_sqlite_options(void)
{
	static const struct {
		const char *url;
		int code;
	} cases[] = {
		{"sqlite://?mode=rwc&timeout=0.5", RT_OK},
		{"sqlite://?mode=sideways", RT_EPARSE},
		{"sqlite://?timeout=soon", RT_EPARSE},
		{"sqlite://?timeout=-1", RT_EPARSE},
		{"sqlite://?check_same_thread=false", RT_EPARSE},
		{"sqlite://?journal_mode=memory&synchronous=OFF&busy_timeout=0", RT_OK},
		{"sqlite://?foreign_keys=no", RT_OK},
		{"sqlite://?journal_mode=wal%3B", RT_EPARSE},
		{"sqlite://?synchronous=4", RT_EPARSE},
		{"sqlite://?cipher_key=x", RT_EPARSE},
		{"sqlite:///no-such-file-here.db?mode=ro", RT_ECONNECT},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		rt_engine *engine = NULL;
		rt_conn *conn = NULL;
		CHECK_OK(rt_engine_open(&engine, cases[i].url, NULL));
		int rc = rt_conn_open(&conn, engine);
		if (rc != cases[i].code)
			fprintf(stderr, "%s: %s\n", cases[i].url, rt_error_last()->message);
		CHECK_INT(rc, cases[i].code);
		CHECK((conn != NULL) == (cases[i].code == RT_OK));
		rt_conn_close(conn);
		rt_engine_free(engine);
	}
}

/* isolation_level is the engine's: taken out of the driver's options. */
static void test_isolation_level(void)
{
	rt_connect_params p = parse_ok("postgresql://h/db?sslmode=disable&isolation_level=AUTOCOMMIT");
	CHECK(p.autocommit);
	CHECK_INT((int)p.option_count, 1);
	CHECK_STR(p.option_keys[0], "sslmode");
	p = parse_ok("sqlite:///x.db?isolation_level=autocommit");
	CHECK(p.autocommit);
	CHECK_INT((int)p.option_count, 0);
	p = parse_ok("mysql://h/db");
	CHECK(!p.autocommit);
	rt_connect_params bad;
	CHECK_INT(rt__url_parse(&bad, arena, "postgresql://u:secret@h/db?isolation_level=serializable"),
		  RT_EINVAL);
	CHECK(strstr(rt_error_last()->message, "isolation_level 'serializable' is not supported"));
	CHECK(strstr(rt_error_last()->message, "secret") == NULL);
}

/* The engine's options are taken out of the driver's; the last one given
 * counts. */
static void test_take_option(void)
{
	rt_connect_params p = parse_ok("postgresql://h/db?pool_recycle=5&sslmode=disable&"
				       "pool_recycle=7");
	CHECK_STR(rt__url_take_option(&p, "pool_recycle"), "7");
	CHECK_INT((int)p.option_count, 1);
	CHECK_STR(p.option_keys[0], "sslmode");
	CHECK(rt__url_take_option(&p, "pool_recycle") == NULL);
	CHECK(rt__url_take_option(&p, "pool_pre_ping") == NULL);
	CHECK_INT((int)p.option_count, 1);
}

int main(void)
{
	arena = rt__arena_new();
	RT_RUN(test_sqlite_forms);
	RT_RUN(test_postgresql_forms);
	RT_RUN(test_percent_decoding);
	RT_RUN(test_masking);
	RT_RUN(test_malformed);
	RT_RUN(test_engine_open);
	RT_RUN(test_sqlite_options);
	RT_RUN(test_isolation_level);
	RT_RUN(test_take_option);
	rt__arena_free(arena);
	return rt_test_done();
}
