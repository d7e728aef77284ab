/*
 * hand_sqlite.c - the ORM benchmark's workloads written by hand against
 * libsqlite3: what the ORM is measured against.
 *
 * Written as a careful C programmer would: one prepared statement per
 * workload, bound and stepped in a loop, one transaction for the writes,
 * each row copied into a plain struct with its strings duplicated. No
 * identity map, no change tracking: the floor the ORM's overhead is
 * measured above.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_orm.h"

typedef struct hand_user {
	int64_t id;
	char *username;
	char *email;
	hand_timestamp created_at;
	struct hand_post *posts;
	size_t post_count;
} hand_user;

typedef struct hand_post {
	int64_t id;
	int64_t user_id;
	char *title;
	char *body;
	int score;
} hand_post;

static int check(sqlite3 *db, int rc, const char *what)
{
	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	fprintf(stderr, "hand_sqlite: %s: %s\n", what, sqlite3_errmsg(db));
	return -1;
}

static char *dup_column(sqlite3_stmt *stmt, int column)
{
	const unsigned char *text = sqlite3_column_text(stmt, column);
	return text ? strdup((const char *)text) : NULL;
}

static void read_user(sqlite3_stmt *stmt, hand_user *user)
{
	user->id = sqlite3_column_int64(stmt, 0);
	user->username = dup_column(stmt, 1);
	user->email = dup_column(stmt, 2);
	const unsigned char *at = sqlite3_column_text(stmt, 3);
	hand_timestamp_parse(&user->created_at, at ? (const char *)at : "");
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

/* Ids of the first `count` rows of a table, not timed. */
static int64_t *first_ids(sqlite3 *db, const char *table, size_t count)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT id FROM %s ORDER BY id LIMIT %zu", table, count);
	sqlite3_stmt *stmt;
	if (check(db, sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), "prepare ids"))
		return NULL;
	int64_t *ids = calloc(count, sizeof(*ids));
	size_t n = 0;
	while (ids && n < count && sqlite3_step(stmt) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (ids && n < count) {
		fprintf(stderr, "hand_sqlite: %s has %zu rows, need %zu\n", table, n, count);
		free(ids);
		return NULL;
	}
	return ids;
}

static int insert_users(sqlite3 *db)
{
	sqlite3_stmt *stmt;
	if (check(db, sqlite3_prepare_v2(db, "INSERT INTO users (username, email) VALUES (?, ?)",
					 -1, &stmt, NULL), "prepare insert"))
		return -1;
	char name[64], email[96];
	int rc = 0;
	for (long i = 1; i <= BENCH_USERS && rc == 0; i++) {
		bench_username(name, sizeof(name), i);
		bench_email(email, sizeof(email), i, 0);
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, email, -1, SQLITE_TRANSIENT);
		rc = check(db, sqlite3_step(stmt), "insert user");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* W8: user i's row inserted, or its email replaced when the username is
 * taken; one prepared statement, one transaction. */
static int upsert_users(sqlite3 *db)
{
	sqlite3_stmt *stmt;
	if (check(db, sqlite3_prepare_v2(db, "INSERT INTO users (username, email) VALUES (?, ?) "
					     "ON CONFLICT (username) DO UPDATE SET email = excluded.email",
					 -1, &stmt, NULL), "prepare upsert"))
		return -1;
	char name[64], email[96];
	int rc = check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
	for (long i = 1; i <= BENCH_UPSERTS && rc == 0; i++) {
		bench_username(name, sizeof(name), i);
		bench_email(email, sizeof(email), i, BENCH_UPSERT_VERSION);
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, email, -1, SQLITE_TRANSIENT);
		rc = check(db, sqlite3_step(stmt), "upsert user");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	rc = rc ? rc : check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	return rc;
}

static int load_users(sqlite3 *db, const char *sql, hand_user **out, size_t *count)
{
	sqlite3_stmt *stmt;
	if (check(db, sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), "prepare select"))
		return -1;
	size_t cap = 1024, n = 0;
	hand_user *users = malloc(cap * sizeof(*users));
	int rc;
	while (users && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			hand_user *grown = realloc(users, 2 * cap * sizeof(*users));
			if (!grown)
				break;
			users = grown;
			cap *= 2;
		}
		read_user(stmt, &users[n++]);
	}
	sqlite3_finalize(stmt);
	*out = users;
	*count = n;
	return users ? 0 : -1;
}

static int insert_posts(sqlite3 *db, double *seconds)
{
	int64_t *user_ids = first_ids(db, "users", BENCH_POST_USERS);
	if (!user_ids)
		return -1;
	double start = bench_now();
	sqlite3_stmt *stmt;
	int rc = check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
	rc = rc ? rc : check(db, sqlite3_prepare_v2(db,
		"INSERT INTO posts (user_id, title, body, score) VALUES (?, ?, ?, ?)",
		-1, &stmt, NULL), "prepare insert");
	char title[96];
	for (long u = 0; u < BENCH_POST_USERS && rc == 0; u++) {
		for (long n = 0; n < BENCH_POSTS_PER_USER && rc == 0; n++) {
			bench_title(title, sizeof(title), u, n);
			sqlite3_bind_int64(stmt, 1, user_ids[u]);
			sqlite3_bind_text(stmt, 2, title, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 3, bench_post_body, -1, SQLITE_STATIC);
			sqlite3_bind_int(stmt, 4, 0);
			rc = check(db, sqlite3_step(stmt), "insert post");
			sqlite3_reset(stmt);
		}
	}
	sqlite3_finalize(stmt);
	rc = rc ? rc : check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	*seconds = bench_now() - start;
	free(user_ids);
	return rc;
}

static int compare_user_id(const void *key, const void *element)
{
	int64_t id = *(const int64_t *)key, other = ((const hand_user *)element)->id;
	return id < other ? -1 : id > other;
}

/* W4: the users, then every post of theirs in one more query. */
static int load_users_with_posts(sqlite3 *db)
{
	hand_user *users;
	size_t count;
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT id, username, email, created_at FROM users ORDER BY id LIMIT %d",
		 BENCH_EAGER_USERS);
	if (load_users(db, sql, &users, &count))
		return -1;
	snprintf(sql, sizeof(sql),
		 "SELECT id, user_id, title, body, score FROM posts WHERE user_id IN "
		 "(SELECT id FROM users ORDER BY id LIMIT %d)", BENCH_EAGER_USERS);
	sqlite3_stmt *stmt;
	int rc = check(db, sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), "prepare posts");
	size_t *caps = calloc(count, sizeof(*caps));
	while (rc == 0 && caps && sqlite3_step(stmt) == SQLITE_ROW) {
		int64_t user_id = sqlite3_column_int64(stmt, 1);
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
		post->id = sqlite3_column_int64(stmt, 0);
		post->user_id = user_id;
		post->title = dup_column(stmt, 2);
		post->body = dup_column(stmt, 3);
		post->score = sqlite3_column_int(stmt, 4);
	}
	if (rc == 0)
		sqlite3_finalize(stmt);
	free(caps);
	free_users(users, count);
	return rc;
}

static int get_users(sqlite3 *db)
{
	sqlite3_stmt *stmt;
	if (check(db, sqlite3_prepare_v2(db,
		"SELECT id, username, email, created_at FROM users WHERE id = ?", -1, &stmt, NULL),
		  "prepare get"))
		return -1;
	hand_user *users = calloc(BENCH_GETS, sizeof(*users));
	uint64_t seed = 12345;
	int rc = users ? 0 : -1;
	for (int i = 0; i < BENCH_GETS && rc == 0; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		sqlite3_bind_int64(stmt, 1, (int64_t)(seed >> 33) % BENCH_USERS + 1);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			read_user(stmt, &users[i]);
		else
			rc = check(db, sqlite3_errcode(db), "get user");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	if (users)
		free_users(users, BENCH_GETS);
	return rc;
}

/* W6 and W7 start from rows already loaded (not timed); *seconds is the
 * time of the writes and the commit. */
static int update_users(sqlite3 *db, double *seconds)
{
	hand_user *users;
	size_t count;
	char sql[128];
	snprintf(sql, sizeof(sql),
		 "SELECT id, username, email, created_at FROM users ORDER BY id LIMIT %d",
		 BENCH_UPDATES);
	if (load_users(db, sql, &users, &count))
		return -1;
	static int version;
	version++;
	double start = bench_now();
	sqlite3_stmt *stmt;
	int rc = check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
	rc = rc ? rc : check(db, sqlite3_prepare_v2(db, "UPDATE users SET email = ? WHERE id = ?",
						    -1, &stmt, NULL), "prepare update");
	char email[96];
	for (size_t i = 0; i < count && rc == 0; i++) {
		bench_email(email, sizeof(email), (long)users[i].id, version);
		free(users[i].email);
		users[i].email = strdup(email);
		sqlite3_bind_text(stmt, 1, users[i].email, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, users[i].id);
		rc = check(db, sqlite3_step(stmt), "update");
		sqlite3_reset(stmt);
	}
	if (rc == 0)
		sqlite3_finalize(stmt);
	rc = rc ? rc : check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	*seconds = bench_now() - start;
	free_users(users, count);
	return rc;
}

static int delete_posts(sqlite3 *db, double *seconds)
{
	int64_t *ids = first_ids(db, "posts", BENCH_DELETES);
	if (!ids)
		return -1;
	double start = bench_now();
	sqlite3_stmt *stmt;
	int rc = check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
	rc = rc ? rc : check(db, sqlite3_prepare_v2(db, "DELETE FROM posts WHERE id = ?", -1,
						    &stmt, NULL), "prepare delete");
	for (int i = 0; i < BENCH_DELETES && rc == 0; i++) {
		sqlite3_bind_int64(stmt, 1, ids[i]);
		rc = check(db, sqlite3_step(stmt), "delete");
		sqlite3_reset(stmt);
	}
	if (rc == 0)
		sqlite3_finalize(stmt);
	rc = rc ? rc : check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	*seconds = bench_now() - start;
	free(ids);
	return rc;
}

/* W9: one UPDATE of the users after BENCH_SET_AFTER, in a transaction. */
static int set_update(sqlite3 *db)
{
	static int version;
	char email[96];
	bench_set_email(email, sizeof(email), ++version);
	sqlite3_stmt *stmt;
	int rc = check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
	rc = rc ? rc : check(db, sqlite3_prepare_v2(db, "UPDATE users SET email = ? WHERE username > ?",
						    -1, &stmt, NULL), "prepare update");
	if (rc == 0) {
		sqlite3_bind_text(stmt, 1, email, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, BENCH_SET_AFTER, -1, SQLITE_STATIC);
		rc = check(db, sqlite3_step(stmt), "update");
		if (rc == 0 && sqlite3_changes(db) != BENCH_SET_UPDATES)
			rc = -1;
		sqlite3_finalize(stmt);
	}
	return rc ? rc : check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
}

/* Runs the workload in one transaction (path NULL closes the connection); W3 and W6/W7 time themselves
 * because their set-up (reading ids or rows) is not part of the work. */
double hand_sqlite_run(bench_workload w, const char *path)
{
	/* A connection of its own per workload, as the ORM's side gets a fresh
	 * engine: both start with a cold page cache, whatever the other wrote
	 * last. Connecting is part of the time on both sides. */
	double seconds = -1, start = bench_now();
	static sqlite3 *db;
	if (!path) {
		sqlite3_close(db);
		db = NULL;
		return 0;
	}
	if (!db) {
		if (sqlite3_open(path, &db) != SQLITE_OK) {
			fprintf(stderr, "hand_sqlite: cannot open %s\n", path);
			sqlite3_close(db);
			db = NULL;
			return -1;
		}
		sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	}
	int rc = 0;
	hand_user *users = NULL;
	size_t count = 0;
	switch (w) {
	case W1_INSERT_USERS:
		rc = check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
		rc = rc ? rc : insert_users(db);
		rc = rc ? rc : check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
		break;
	case W2_LOAD_USERS:
		rc = load_users(db, "SELECT id, username, email, created_at FROM users", &users,
				&count);
		if (rc == 0 && count != BENCH_USERS)
			rc = -1;
		free_users(users, count);
		break;
	case W3_INSERT_POSTS:
		rc = insert_posts(db, &seconds);
		break;
	case W4_EAGER:
		rc = load_users_with_posts(db);
		break;
	case W5_GETS:
		/* One read transaction, as the ORM's session has: outside one,
		 * SQLite takes and drops its file lock for every SELECT. */
		rc = check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
		rc = rc ? rc : get_users(db);
		rc = rc ? rc : check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
		break;
	case W6_UPDATE:
		rc = update_users(db, &seconds);
		break;
	case W7_DELETE:
		rc = delete_posts(db, &seconds);
		break;
	case W8_UPSERT:
		rc = upsert_users(db);
		break;
	case W9_SET_UPDATE:
		rc = set_update(db);
		break;
	default:
		rc = -1;
	}
	if (seconds < 0)
		seconds = bench_now() - start;
	sqlite3_close(db);
	db = NULL;
	return rc == 0 ? seconds : -1;
}
