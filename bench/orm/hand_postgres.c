/*
 * hand_postgres.c - the ORM benchmark's workloads written by hand against
 * libpq: what the ORM is measured against on PostgreSQL.
 *
 * Two variants of the writes: one PQexecPrepared round trip per row, and
 * libpq's pipeline mode (PQsendQueryPrepared for every row, a sync point
 * every PIPELINE_CHUNK rows), which is the fastest way to send many
 * single-row statements. Reads are one query each, rows copied into plain
 * structs with their strings duplicated.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_orm.h"

#define PIPELINE_CHUNK 1000

typedef struct hand_post {
	int64_t id;
	int64_t user_id;
	char *title;
	char *body;
	int score;
} hand_post;

typedef struct hand_user {
	int64_t id;
	char *username;
	char *email;
	hand_timestamp created_at;
	hand_post *posts;
	size_t post_count;
} hand_user;

static int failed(PGconn *pg, const PGresult *res, const char *what)
{
	ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
	    status == PGRES_PIPELINE_SYNC)
		return 0;
	fprintf(stderr, "hand_postgres: %s: %s", what,
		res ? PQresultErrorMessage(res) : PQerrorMessage(pg));
	return -1;
}

static int exec(PGconn *pg, const char *sql)
{
	PGresult *res = PQexec(pg, sql);
	int rc = failed(pg, res, sql);
	PQclear(res);
	return rc;
}

static int prepare(PGconn *pg, const char *name, const char *sql, int params)
{
	PGresult *res = PQprepare(pg, name, sql, params, NULL);
	int rc = failed(pg, res, name);
	PQclear(res);
	return rc;
}

static char *dup_value(const PGresult *res, int row, int column)
{
	return PQgetisnull(res, row, column) ? NULL : strdup(PQgetvalue(res, row, column));
}

static void read_user(const PGresult *res, int row, hand_user *user)
{
	user->id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
	user->username = dup_value(res, row, 1);
	user->email = dup_value(res, row, 2);
	hand_timestamp_parse(&user->created_at, PQgetvalue(res, row, 3));
	user->posts = NULL;
	user->post_count = 0;
}

static void free_users(hand_user *users, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(users[i].username);
		free(users[i].email);
		for (size_t j = 0; j < users[i].post_count; j++) {
			free(users[i].posts[j].title);
			free(users[i].posts[j].body);
		}
		free(users[i].posts);
	}
	free(users);
}

static int64_t *first_ids(PGconn *pg, const char *table, int count)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT id FROM %s ORDER BY id LIMIT %d", table, count);
	PGresult *res = PQexec(pg, sql);
	int64_t *ids = NULL;
	if (!failed(pg, res, sql) && PQntuples(res) == count) {
		ids = malloc((size_t)count * sizeof(*ids));
		for (int i = 0; ids && i < count; i++)
			ids[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	} else if (res && PQresultStatus(res) == PGRES_TUPLES_OK) {
		fprintf(stderr, "hand_postgres: %s has %d rows, need %d\n", table, PQntuples(res),
			count);
	}
	PQclear(res);
	return ids;
}

/* Reads the results of `pending` pipelined statements and the sync that
 * follows them. */
static int drain_pipeline(PGconn *pg, int pending)
{
	int rc = 0;
	for (int i = 0; i < pending; i++) {
		PGresult *res = PQgetResult(pg);
		if (failed(pg, res, "pipelined statement"))
			rc = -1;
		PQclear(res);
		PQclear(PQgetResult(pg)); /* the NULL that ends each statement's results */
	}
	PGresult *sync = PQgetResult(pg);
	if (!sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC)
		rc = -1;
	PQclear(sync);
	return rc;
}

/* Sends statement `name` once per row; row i's parameters come from
 * fill(i, values). One round trip per row, or pipelined. */
typedef void (*fill_fn)(long i, const char **values, char (*storage)[96], const void *ctx);

static int run_many(PGconn *pg, const char *name, int params, long rows, fill_fn fill,
		    const void *ctx, int pipelined)
{
	const char *values[4];
	char storage[4][96];
	int rc = 0, pending = 0;
	if (pipelined && !PQenterPipelineMode(pg))
		return failed(pg, NULL, "enter pipeline mode");
	for (long i = 0; i < rows && rc == 0; i++) {
		fill(i, values, storage, ctx);
		if (!pipelined) {
			PGresult *res = PQexecPrepared(pg, name, params, values, NULL, NULL, 0);
			rc = failed(pg, res, name);
			PQclear(res);
			continue;
		}
		if (!PQsendQueryPrepared(pg, name, params, values, NULL, NULL, 0))
			rc = failed(pg, NULL, name);
		else if (++pending == PIPELINE_CHUNK || i == rows - 1) {
			if (!PQpipelineSync(pg))
				rc = failed(pg, NULL, "pipeline sync");
			else
				rc = drain_pipeline(pg, pending);
			pending = 0;
		}
	}
	if (pipelined && !PQexitPipelineMode(pg))
		rc = failed(pg, NULL, "exit pipeline mode");
	return rc;
}

/* Rows per statement of the multi-row variant. */
#define ROWS_PER_STATEMENT 100

/* INSERT INTO table (columns) VALUES ($1, ...), ... tail for `rows` rows
 * of `params` values each, prepared as `name`. */
static int prepare_multirow(PGconn *pg, const char *name, const char *head, const char *tail,
			    int params)
{
	size_t size = strlen(head) + strlen(tail) + (size_t)ROWS_PER_STATEMENT * (size_t)params * 10 +
		      64;
	char *sql = malloc(size);
	if (!sql)
		return -1;
	size_t len = (size_t)snprintf(sql, size, "%s VALUES ", head);
	int n = 1;
	for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
		len += (size_t)snprintf(sql + len, size - len, r ? ", (" : "(");
		for (int p = 0; p < params; p++)
			len += (size_t)snprintf(sql + len, size - len, p ? ", $%d" : "$%d", n++);
		len += (size_t)snprintf(sql + len, size - len, ")");
	}
	snprintf(sql + len, size - len, "%s", tail);
	int rc = prepare(pg, name, sql, params * ROWS_PER_STATEMENT);
	free(sql);
	return rc;
}

/* The multi-row variant: ROWS_PER_STATEMENT rows a statement, the
 * statements pipelined. rows must be a multiple of ROWS_PER_STATEMENT. */
static int run_multirow(PGconn *pg, const char *name, int params, long rows, fill_fn fill,
			const void *ctx)
{
	int total = params * ROWS_PER_STATEMENT;
	const char **values = malloc((size_t)total * sizeof(*values));
	char (*storage)[96] = malloc((size_t)total * sizeof(*storage));
	int rc = values && storage ? 0 : -1, pending = 0;
	if (rc == 0 && !PQenterPipelineMode(pg))
		rc = failed(pg, NULL, "enter pipeline mode");
	long statements = rows / ROWS_PER_STATEMENT;
	for (long s = 0; s < statements && rc == 0; s++) {
		for (int r = 0; r < ROWS_PER_STATEMENT; r++)
			fill(s * ROWS_PER_STATEMENT + r, values + r * params, storage + r * params, ctx);
		if (!PQsendQueryPrepared(pg, name, total, values, NULL, NULL, 0))
			rc = failed(pg, NULL, name);
		else if (++pending == PIPELINE_CHUNK / 10 || s == statements - 1) {
			rc = PQpipelineSync(pg) ? drain_pipeline(pg, pending) : failed(pg, NULL, "sync");
			pending = 0;
		}
	}
	if (values && storage && !PQexitPipelineMode(pg))
		rc = failed(pg, NULL, "exit pipeline mode");
	free(values);
	free(storage);
	return rc;
}

static void fill_user(long i, const char **values, char (*storage)[96], const void *ctx)
{
	(void)ctx;
	bench_username(storage[0], sizeof(storage[0]), i + 1);
	bench_email(storage[1], sizeof(storage[1]), i + 1, 0);
	values[0] = storage[0];
	values[1] = storage[1];
}

static void fill_upsert(long i, const char **values, char (*storage)[96], const void *ctx)
{
	(void)ctx;
	bench_username(storage[0], sizeof(storage[0]), i + 1);
	bench_email(storage[1], sizeof(storage[1]), i + 1, BENCH_UPSERT_VERSION);
	values[0] = storage[0];
	values[1] = storage[1];
}

static void fill_post(long i, const char **values, char (*storage)[96], const void *ctx)
{
	const int64_t *user_ids = ctx;
	long user = i / BENCH_POSTS_PER_USER, n = i % BENCH_POSTS_PER_USER;
	snprintf(storage[0], sizeof(storage[0]), "%lld", (long long)user_ids[user]);
	bench_title(storage[1], sizeof(storage[1]), user, n);
	values[0] = storage[0];
	values[1] = storage[1];
	values[2] = bench_post_body;
	values[3] = "0";
}

typedef struct update_ctx {
	const hand_user *users;
	int version;
} update_ctx;

static void fill_update(long i, const char **values, char (*storage)[96], const void *ctx)
{
	const update_ctx *update = ctx;
	bench_email(storage[0], sizeof(storage[0]), (long)update->users[i].id, update->version);
	snprintf(storage[1], sizeof(storage[1]), "%lld", (long long)update->users[i].id);
	values[0] = storage[0];
	values[1] = storage[1];
}

static void fill_id(long i, const char **values, char (*storage)[96], const void *ctx)
{
	snprintf(storage[0], sizeof(storage[0]), "%lld", (long long)((const int64_t *)ctx)[i]);
	values[0] = storage[0];
}

static int load_users(PGconn *pg, const char *sql, hand_user **out, size_t *count)
{
	PGresult *res = PQexec(pg, sql);
	if (failed(pg, res, sql)) {
		PQclear(res);
		return -1;
	}
	size_t n = (size_t)PQntuples(res);
	hand_user *users = malloc((n ? n : 1) * sizeof(*users));
	for (size_t i = 0; users && i < n; i++)
		read_user(res, (int)i, &users[i]);
	PQclear(res);
	*out = users;
	*count = users ? n : 0;
	return users ? 0 : -1;
}

static int compare_user_id(const void *key, const void *element)
{
	int64_t id = *(const int64_t *)key, other = ((const hand_user *)element)->id;
	return id < other ? -1 : id > other;
}

static int load_users_with_posts(PGconn *pg)
{
	hand_user *users;
	size_t count;
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT id, username, email, created_at FROM users ORDER BY id LIMIT %d",
		 BENCH_EAGER_USERS);
	if (load_users(pg, sql, &users, &count))
		return -1;
	snprintf(sql, sizeof(sql),
		 "SELECT id, user_id, title, body, score FROM posts WHERE user_id IN "
		 "(SELECT id FROM users ORDER BY id LIMIT %d)", BENCH_EAGER_USERS);
	PGresult *res = PQexec(pg, sql);
	int rc = failed(pg, res, "select posts");
	size_t *caps = calloc(count ? count : 1, sizeof(*caps));
	int rows = rc ? 0 : PQntuples(res);
	for (int r = 0; caps && r < rows; r++) {
		int64_t user_id = strtoll(PQgetvalue(res, r, 1), NULL, 10);
		hand_user *user = bsearch(&user_id, users, count, sizeof(*users), compare_user_id);
		if (!user)
			continue;
		size_t i = (size_t)(user - users);
		if (user->post_count == caps[i]) {
			caps[i] = caps[i] ? 2 * caps[i] : 8;
			hand_post *grown = realloc(user->posts, caps[i] * sizeof(*grown));
			if (!grown) {
				rc = -1;
				break;
			}
			user->posts = grown;
		}
		hand_post *post = &user->posts[user->post_count++];
		post->id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		post->user_id = user_id;
		post->title = dup_value(res, r, 2);
		post->body = dup_value(res, r, 3);
		post->score = atoi(PQgetvalue(res, r, 4));
	}
	PQclear(res);
	free(caps);
	free_users(users, count);
	return rc;
}

static int get_users(PGconn *pg)
{
	hand_user *users = calloc(BENCH_GETS, sizeof(*users));
	uint64_t seed = 12345;
	int rc = users ? 0 : -1;
	char id[32];
	const char *values[1] = {id};
	for (int i = 0; i < BENCH_GETS && rc == 0; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		snprintf(id, sizeof(id), "%lld", (long long)((seed >> 33) % BENCH_USERS + 1));
		PGresult *res = PQexecPrepared(pg, "get_user", 1, values, NULL, NULL, 0);
		rc = failed(pg, res, "get user");
		if (rc == 0 && PQntuples(res) == 1)
			read_user(res, 0, &users[i]);
		else
			rc = -1;
		PQclear(res);
	}
	if (users)
		free_users(users, BENCH_GETS);
	return rc;
}

/* W9: one UPDATE of the users after BENCH_SET_AFTER, in a transaction. */
static int set_update(PGconn *pg)
{
	static int version;
	char email[96];
	bench_set_email(email, sizeof(email), ++version);
	const char *values[2] = {email, BENCH_SET_AFTER};
	int rc = exec(pg, "BEGIN");
	if (rc == 0) {
		PGresult *res = PQexecParams(pg, "UPDATE users SET email = $1 WHERE username > $2",
					     2, NULL, values, NULL, NULL, 0);
		rc = failed(pg, res, "set-based update");
		if (rc == 0 && atol(PQcmdTuples(res)) != BENCH_SET_UPDATES)
			rc = -1;
		PQclear(res);
	}
	return rc ? rc : exec(pg, "COMMIT");
}

/* Runs workload w (url NULL closes the connection). variant: 0 one round
 * trip per row, 1 pipelined, 2 multi-row INSERTs pipelined (W1, W3). */
/* W8: an existing username keeps its row and takes the new email. */
#define UPSERT_TAIL "ON CONFLICT (username) DO UPDATE SET email = excluded.email"

double hand_postgres_run(bench_workload w, const char *url, int variant)
{
	int pipelined = variant == 1;
	if (variant && (w == W2_LOAD_USERS || w == W4_EAGER || w == W5_GETS || w == W9_SET_UPDATE))
		return -1; /* one statement each: nothing to pipeline */
	if (variant == 2 && w != W1_INSERT_USERS && w != W3_INSERT_POSTS && w != W8_UPSERT)
		return -1;
	/* A connection of its own per workload, as the ORM's side gets a fresh
	 * engine; connecting and preparing are part of the time on both
	 * sides. */
	double start = bench_now(), seconds = -1;
	static PGconn *pg;
	static int prepared;
	if (!url) {
		PQfinish(pg);
		pg = NULL;
		return 0;
	}
	if (!pg) {
		pg = PQconnectdb(url);
		if (PQstatus(pg) != CONNECTION_OK) {
			fprintf(stderr, "hand_postgres: %s", PQerrorMessage(pg));
			PQfinish(pg);
			pg = NULL;
			return -1;
		}
		prepared = 0;
	}
	if (!prepared) {
		if (prepare(pg, "insert_user", "INSERT INTO users (username, email) VALUES ($1, $2)", 2) ||
		    prepare(pg, "insert_post", "INSERT INTO posts (user_id, title, body, score) "
					       "VALUES ($1, $2, $3, $4)", 4) ||
		    prepare(pg, "get_user", "SELECT id, username, email, created_at FROM users "
					    "WHERE id = $1", 1) ||
		    prepare(pg, "update_user", "UPDATE users SET email = $1 WHERE id = $2", 2) ||
		    prepare(pg, "delete_post", "DELETE FROM posts WHERE id = $1", 1) ||
		    prepare(pg, "upsert_user", "INSERT INTO users (username, email) VALUES ($1, $2) "
					       UPSERT_TAIL, 2) ||
		    prepare_multirow(pg, "insert_users_multirow", "INSERT INTO users (username, email)",
				     "", 2) ||
		    prepare_multirow(pg, "insert_posts_multirow",
				     "INSERT INTO posts (user_id, title, body, score)", "", 4) ||
		    prepare_multirow(pg, "upsert_users_multirow", "INSERT INTO users (username, email)",
				     " " UPSERT_TAIL, 2))
			return -1;
		prepared = 1;
	}
	int rc = 0;
	hand_user *users = NULL;
	size_t count = 0;
	int64_t *ids = NULL;
	static int version;
	switch (w) {
	case W1_INSERT_USERS:
		rc = exec(pg, "BEGIN");
		if (variant == 2)
			rc = rc ? rc : run_multirow(pg, "insert_users_multirow", 2, BENCH_USERS,
						     fill_user, NULL);
		else
			rc = rc ? rc : run_many(pg, "insert_user", 2, BENCH_USERS, fill_user, NULL,
						pipelined);
		rc = rc ? rc : exec(pg, "COMMIT");
		break;
	case W2_LOAD_USERS:
		rc = load_users(pg, "SELECT id, username, email, created_at FROM users", &users, &count);
		if (rc == 0 && count != BENCH_USERS)
			rc = -1;
		free_users(users, count);
		break;
	case W3_INSERT_POSTS:
		ids = first_ids(pg, "users", BENCH_POST_USERS);
		rc = ids ? 0 : -1;
		start = bench_now();
		rc = rc ? rc : exec(pg, "BEGIN");
		if (variant == 2)
			rc = rc ? rc : run_multirow(pg, "insert_posts_multirow", 4,
						     (long)BENCH_POST_USERS * BENCH_POSTS_PER_USER,
						     fill_post, ids);
		else
			rc = rc ? rc : run_many(pg, "insert_post", 4,
						(long)BENCH_POST_USERS * BENCH_POSTS_PER_USER,
						fill_post, ids, pipelined);
		rc = rc ? rc : exec(pg, "COMMIT");
		break;
	case W4_EAGER:
		rc = load_users_with_posts(pg);
		break;
	case W5_GETS:
		/* One transaction, as the ORM's session has. */
		rc = exec(pg, "BEGIN");
		rc = rc ? rc : get_users(pg);
		rc = rc ? rc : exec(pg, "COMMIT");
		break;
	case W6_UPDATE: {
		char sql[128];
		snprintf(sql, sizeof(sql),
			 "SELECT id, username, email, created_at FROM users ORDER BY id LIMIT %d",
			 BENCH_UPDATES);
		rc = load_users(pg, sql, &users, &count);
		update_ctx ctx = {users, ++version};
		start = bench_now();
		rc = rc ? rc : exec(pg, "BEGIN");
		rc = rc ? rc : run_many(pg, "update_user", 2, (long)count, fill_update, &ctx,
					pipelined);
		rc = rc ? rc : exec(pg, "COMMIT");
		seconds = bench_now() - start;
		free_users(users, count);
		break;
	}
	case W7_DELETE:
		ids = first_ids(pg, "posts", BENCH_DELETES);
		rc = ids ? 0 : -1;
		start = bench_now();
		rc = rc ? rc : exec(pg, "BEGIN");
		rc = rc ? rc : run_many(pg, "delete_post", 1, BENCH_DELETES, fill_id, ids, pipelined);
		rc = rc ? rc : exec(pg, "COMMIT");
		break;
	case W8_UPSERT:
		rc = exec(pg, "BEGIN");
		if (variant == 2)
			rc = rc ? rc : run_multirow(pg, "upsert_users_multirow", 2, BENCH_UPSERTS,
						     fill_upsert, NULL);
		else
			rc = rc ? rc : run_many(pg, "upsert_user", 2, BENCH_UPSERTS, fill_upsert, NULL,
						pipelined);
		rc = rc ? rc : exec(pg, "COMMIT");
		break;
	case W9_SET_UPDATE:
		rc = set_update(pg);
		break;
	default:
		rc = -1;
	}
	if (seconds < 0)
		seconds = bench_now() - start;
	free(ids);
	PQfinish(pg);
	pg = NULL;
	prepared = 0;
	return rc == 0 ? seconds : -1;
}
