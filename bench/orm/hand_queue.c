/*
 * hand_queue.c - W10 (keyset pages) and W11 (a job queue) written by hand
 * against libsqlite3, libpq and MariaDB Connector/C: what bench_queue.c
 * measures the ORM against.
 *
 * As a careful C programmer would write them: one prepared statement per
 * query (the MariaDB side sends its integers in the text of the query,
 * where they cannot be anything but numbers, and reads rows through the
 * text protocol, its quickest for plain reads), rows copied into plain
 * structs with their strings duplicated and freed with the page.
 */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef BENCH_WITH_MARIADB
#include <mysql.h>
#endif

#include "bench_db.h"
#include "bench_queue.h"

#define PAGE_SQL_SQLITE "SELECT id, username, email, created_at FROM users WHERE id > ? " \
			"ORDER BY id LIMIT 1000"
#define PAGE_SQL_PG "SELECT id, username, email, created_at FROM users WHERE id > $1 " \
		    "ORDER BY id LIMIT 1000"

/* A timestamp as the ORM's struct has it, parsed from the text. */
typedef struct page_time {
	int year, month, day, hour, minute, second, microsecond;
} page_time;

typedef struct page_user {
	int64_t id;
	char *username;
	char *email;
	page_time created_at;
} page_user;

static char *dup_text(const char *text)
{
	return text ? strdup(text) : NULL;
}

static int two(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* "YYYY-MM-DD HH:MM:SS[.ffffff]", read directly (not sscanf). */
static page_time parse_time(const char *text)
{
	page_time t = {0};
	if (!text || strlen(text) < 19)
		return t;
	t.year = two(text) * 100 + two(text + 2);
	t.month = two(text + 5);
	t.day = two(text + 8);
	t.hour = two(text + 11);
	t.minute = two(text + 14);
	t.second = two(text + 17);
	int scale = 100000;
	for (const char *p = text + 20; text[19] == '.' && *p >= '0' && *p <= '9' && scale; p++) {
		t.microsecond += (*p - '0') * scale;
		scale /= 10;
	}
	return t;
}

static void free_page(page_user *page, int count)
{
	for (int i = 0; i < count; i++) {
		free(page[i].username);
		free(page[i].email);
	}
}

/* --- SQLite ------------------------------------------------------------------ */

double hand_pages_sqlite(const char *path)
{
	double start = bench_now();
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, PAGE_SQL_SQLITE, -1, &stmt, NULL) != SQLITE_OK) {
		fprintf(stderr, "hand_queue: sqlite: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	static page_user page[QUEUE_PAGE];
	int64_t last = 0;
	long total = 0;
	for (;;) {
		sqlite3_bind_int64(stmt, 1, last);
		int count = 0;
		while (sqlite3_step(stmt) == SQLITE_ROW && count < QUEUE_PAGE) {
			page_user *u = &page[count++];
			u->id = sqlite3_column_int64(stmt, 0);
			u->username = dup_text((const char *)sqlite3_column_text(stmt, 1));
			u->email = dup_text((const char *)sqlite3_column_text(stmt, 2));
			u->created_at = parse_time((const char *)sqlite3_column_text(stmt, 3));
		}
		sqlite3_reset(stmt);
		if (count == 0)
			break;
		last = page[count - 1].id;
		total += count;
		free_page(page, count);
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return total == QUEUE_USERS ? bench_now() - start : -1;
}

/* --- PostgreSQL ------------------------------------------------------------- */

static int pg_ok(PGconn *pg, PGresult *res, const char *what)
{
	ExecStatusType status = PQresultStatus(res);
	if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
		return 1;
	fprintf(stderr, "hand_queue: %s: %s", what, PQerrorMessage(pg));
	return 0;
}

static int pg_exec(PGconn *pg, const char *sql)
{
	PGresult *res = PQexec(pg, sql);
	int ok = pg_ok(pg, res, sql);
	PQclear(res);
	return ok;
}

static PGconn *pg_connect(const char *url)
{
	PGconn *pg = PQconnectdb(url);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "hand_queue: connect: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return NULL;
	}
	return pg;
}

double hand_pages_postgres(const char *url)
{
	double start = bench_now();
	PGconn *pg = pg_connect(url);
	if (!pg)
		return -1;
	PGresult *prepared = PQprepare(pg, "page", PAGE_SQL_PG, 1, NULL);
	int ok = pg_ok(pg, prepared, "prepare");
	PQclear(prepared);
	static page_user page[QUEUE_PAGE];
	int64_t last = 0;
	long total = 0;
	while (ok) {
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)last);
		const char *params[1] = {key};
		PGresult *res = PQexecPrepared(pg, "page", 1, params, NULL, NULL, 0);
		if (!(ok = pg_ok(pg, res, "page"))) {
			PQclear(res);
			break;
		}
		int count = PQntuples(res);
		for (int i = 0; i < count; i++) {
			page_user *u = &page[i];
			u->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
			u->username = dup_text(PQgetvalue(res, i, 1));
			u->email = PQgetisnull(res, i, 2) ? NULL : dup_text(PQgetvalue(res, i, 2));
			u->created_at = parse_time(PQgetvalue(res, i, 3));
		}
		PQclear(res);
		if (count == 0)
			break;
		last = page[count - 1].id;
		total += count;
		free_page(page, count);
	}
	PQfinish(pg);
	return ok && total == QUEUE_USERS ? bench_now() - start : -1;
}

long hand_worker_postgres(const char *url, int worker)
{
	PGconn *pg = pg_connect(url);
	if (!pg)
		return -1;
	PGresult *a = PQprepare(pg, "take",
				"SELECT id, payload, state, taken_by FROM jobs WHERE state = 'ready' "
				"ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
				0, NULL);
	PGresult *b = PQprepare(pg, "done",
				"UPDATE jobs SET state = 'done', taken_by = $1 WHERE id = $2", 2,
				NULL);
	int ok = pg_ok(pg, a, "prepare take") && pg_ok(pg, b, "prepare done");
	PQclear(a);
	PQclear(b);
	long taken = 0;
	char who[16];
	snprintf(who, sizeof(who), "%d", worker);
	while (ok && pg_exec(pg, "BEGIN")) {
		PGresult *res = PQexecPrepared(pg, "take", 0, NULL, NULL, NULL, 0);
		if (!(ok = pg_ok(pg, res, "take")) || PQntuples(res) == 0) {
			PQclear(res);
			pg_exec(pg, "ROLLBACK");
			break;
		}
		char *id = strdup(PQgetvalue(res, 0, 0));
		char *payload = strdup(PQgetvalue(res, 0, 1));
		PQclear(res);
		const char *params[2] = {who, id};
		res = PQexecPrepared(pg, "done", 2, params, NULL, NULL, 0);
		ok = pg_ok(pg, res, "done");
		PQclear(res);
		free(id);
		free(payload);
		ok = ok && pg_exec(pg, "COMMIT");
		taken += ok;
	}
	PQfinish(pg);
	return ok ? taken : -1;
}

/* --- MariaDB ---------------------------------------------------------------- */

#ifdef BENCH_WITH_MARIADB
/* mysql://user[:password]@host[:port]/database. */
static MYSQL *my_connect(const char *url)
{
	char user[64] = "", password[64] = "", host[128] = "", database[64] = "";
	unsigned port = 3306;
	const char *p = strstr(url, "://");
	const char *at = p ? strchr(p + 3, '@') : NULL;
	const char *slash = at ? strchr(at, '/') : NULL;
	if (!slash) {
		fprintf(stderr, "hand_queue: the URL needs user@host/database: %s\n", url);
		return NULL;
	}
	p += 3;
	const char *colon = memchr(p, ':', (size_t)(at - p));
	snprintf(user, sizeof(user), "%.*s", (int)((colon ? colon : at) - p), p);
	if (colon)
		snprintf(password, sizeof(password), "%.*s", (int)(at - colon - 1), colon + 1);
	const char *port_colon = memchr(at + 1, ':', (size_t)(slash - at - 1));
	snprintf(host, sizeof(host), "%.*s", (int)((port_colon ? port_colon : slash) - at - 1),
		 at + 1);
	if (port_colon)
		port = (unsigned)strtoul(port_colon + 1, NULL, 10);
	snprintf(database, sizeof(database), "%.*s", (int)strcspn(slash + 1, "?"), slash + 1);
	MYSQL *db = mysql_init(NULL);
	if (db && mysql_real_connect(db, host, user, password[0] ? password : NULL, database, port,
				     NULL, 0) &&
	    mysql_set_character_set(db, "utf8mb4") == 0)
		return db;
	fprintf(stderr, "hand_queue: connect: %s\n", db ? mysql_error(db) : "out of memory");
	mysql_close(db);
	return NULL;
}

static MYSQL_RES *my_query(MYSQL *db, const char *sql)
{
	if (mysql_real_query(db, sql, (unsigned long)strlen(sql)) != 0) {
		fprintf(stderr, "hand_queue: %s: %s\n", sql, mysql_error(db));
		return NULL;
	}
	return mysql_store_result(db);
}

double hand_pages_mariadb(const char *url)
{
	double start = bench_now();
	MYSQL *db = my_connect(url);
	if (!db)
		return -1;
	static page_user page[QUEUE_PAGE];
	int64_t last = 0;
	long total = 0;
	int ok = 1;
	for (;;) {
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "SELECT id, username, email, created_at FROM users WHERE id > %lld "
			 "ORDER BY id LIMIT %d",
			 (long long)last, QUEUE_PAGE);
		MYSQL_RES *res = my_query(db, sql);
		if (!res) {
			ok = 0;
			break;
		}
		int count = 0;
		MYSQL_ROW row;
		while ((row = mysql_fetch_row(res)) && count < QUEUE_PAGE) {
			page_user *u = &page[count++];
			u->id = strtoll(row[0], NULL, 10);
			u->username = dup_text(row[1]);
			u->email = dup_text(row[2]);
			u->created_at = parse_time(row[3]);
		}
		mysql_free_result(res);
		if (count == 0)
			break;
		last = page[count - 1].id;
		total += count;
		free_page(page, count);
	}
	mysql_close(db);
	return ok && total == QUEUE_USERS ? bench_now() - start : -1;
}

long hand_worker_mariadb(const char *url, int worker)
{
	MYSQL *db = my_connect(url);
	if (!db)
		return -1;
	long taken = 0;
	int ok = mysql_autocommit(db, 0) == 0;
	while (ok) {
		MYSQL_RES *res = my_query(db, "SELECT id, payload, state, taken_by FROM jobs "
					      "WHERE state = 'ready' ORDER BY id LIMIT 1 "
					      "FOR UPDATE SKIP LOCKED");
		MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
		if (!row) {
			ok = res != NULL;
			mysql_free_result(res);
			mysql_rollback(db);
			break;
		}
		char sql[128];
		snprintf(sql, sizeof(sql), "UPDATE jobs SET state = 'done', taken_by = %d WHERE id = %s",
			 worker, row[0]);
		char *payload = dup_text(row[1]);
		mysql_free_result(res);
		ok = mysql_real_query(db, sql, (unsigned long)strlen(sql)) == 0 && mysql_commit(db) == 0;
		if (!ok)
			fprintf(stderr, "hand_queue: %s\n", mysql_error(db));
		free(payload);
		taken += ok;
	}
	mysql_close(db);
	return ok ? taken : -1;
}
#else
double hand_pages_mariadb(const char *url)
{
	(void)url;
	return -1;
}

long hand_worker_mariadb(const char *url, int worker)
{
	(void)url;
	(void)worker;
	return -1;
}
#endif
