/*
 * hand_mariadb.c - the ORM benchmark's workloads written by hand against
 * MariaDB Connector/C: what the ORM is measured against on MariaDB.
 *
 * Server-side prepared statements with bound parameters and bound results,
 * as a careful C programmer writes them. The writes come in three variants:
 * one mysql_stmt_execute per row; Connector/C's array binding
 * (STMT_ATTR_ARRAY_SIZE: BULK_CHUNK rows of parameters sent in one
 * execution), the fastest way MariaDB offers to run one statement for many
 * rows; and 100-row INSERT ... VALUES statements (W1, W3). Reads stream
 * their rows into plain structs with the strings duplicated.
 */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_orm.h"

#define BULK_CHUNK 1000
#define ROWS_PER_STATEMENT 100

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

static int failed_conn(MYSQL *db, const char *what)
{
	fprintf(stderr, "hand_mariadb: %s: %s\n", what, mysql_error(db));
	return -1;
}

static int failed_stmt(MYSQL_STMT *stmt, const char *what)
{
	fprintf(stderr, "hand_mariadb: %s: %s\n", what, mysql_stmt_error(stmt));
	return -1;
}

static int exec(MYSQL *db, const char *sql)
{
	return mysql_query(db, sql) ? failed_conn(db, sql) : 0;
}

static MYSQL_STMT *prepare(MYSQL *db, const char *sql)
{
	MYSQL_STMT *stmt = mysql_stmt_init(db);
	if (!stmt) {
		failed_conn(db, "stmt init");
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, sql, (unsigned long)strlen(sql))) {
		failed_stmt(stmt, sql);
		mysql_stmt_close(stmt);
		return NULL;
	}
	return stmt;
}

/* mysql://user[:password]@host[:port]/database, the form the benchmark's
 * script passes; anything else is refused. */
static MYSQL *connect_url(const char *url)
{
	char user[64] = "", password[64] = "", host[128] = "", database[64] = "";
	unsigned port = 3306;
	const char *p = strstr(url, "://");
	if (!p) {
		fprintf(stderr, "hand_mariadb: not a mysql:// URL: %s\n", url);
		return NULL;
	}
	p += 3;
	const char *at = strchr(p, '@'), *slash = strchr(p, '/');
	if (!at || !slash || at > slash) {
		fprintf(stderr, "hand_mariadb: the URL needs user@host/database: %s\n", url);
		return NULL;
	}
	const char *colon = memchr(p, ':', (size_t)(at - p));
	snprintf(user, sizeof(user), "%.*s", (int)((colon ? colon : at) - p), p);
	if (colon)
		snprintf(password, sizeof(password), "%.*s", (int)(at - colon - 1), colon + 1);
	const char *host_start = at + 1, *port_colon = memchr(host_start, ':', (size_t)(slash - host_start));
	snprintf(host, sizeof(host), "%.*s", (int)((port_colon ? port_colon : slash) - host_start),
		 host_start);
	if (port_colon)
		port = (unsigned)strtoul(port_colon + 1, NULL, 10);
	snprintf(database, sizeof(database), "%.*s", (int)strcspn(slash + 1, "?"), slash + 1);

	MYSQL *db = mysql_init(NULL);
	if (!db)
		return NULL;
	if (!mysql_real_connect(db, host, user, password[0] ? password : NULL, database, port, NULL,
				0) ||
	    mysql_set_character_set(db, "utf8mb4")) {
		failed_conn(db, "connect");
		mysql_close(db);
		return NULL;
	}
	return db;
}

static void bind_string_in(MYSQL_BIND *b, const char *value, unsigned long *length)
{
	memset(b, 0, sizeof(*b));
	*length = (unsigned long)strlen(value);
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = (void *)value;
	b->buffer_length = *length;
	b->length = length;
}

static void bind_int64_in(MYSQL_BIND *b, const int64_t *value)
{
	memset(b, 0, sizeof(*b));
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = (void *)value;
}

/* --- writes ---------------------------------------------------------------- */

/* Row i's parameters: strings in text[], integers in ints[]. */
typedef struct row_values {
	char text[3][96];
	const char *body;
	int64_t ints[2];
} row_values;

typedef void (*fill_fn)(long i, row_values *row, const void *ctx);

static void fill_user(long i, row_values *row, const void *ctx)
{
	(void)ctx;
	bench_username(row->text[0], sizeof(row->text[0]), i + 1);
	bench_email(row->text[1], sizeof(row->text[1]), i + 1, 0);
}

static void fill_upsert(long i, row_values *row, const void *ctx)
{
	(void)ctx;
	bench_username(row->text[0], sizeof(row->text[0]), i + 1);
	bench_email(row->text[1], sizeof(row->text[1]), i + 1, BENCH_UPSERT_VERSION);
}

static void fill_post(long i, row_values *row, const void *ctx)
{
	const int64_t *user_ids = ctx;
	long user = i / BENCH_POSTS_PER_USER, n = i % BENCH_POSTS_PER_USER;
	row->ints[0] = user_ids[user];
	bench_title(row->text[0], sizeof(row->text[0]), user, n);
	row->body = bench_post_body;
	row->ints[1] = 0;
}

typedef struct update_ctx {
	const hand_user *users;
	int version;
} update_ctx;

static void fill_update(long i, row_values *row, const void *ctx)
{
	const update_ctx *update = ctx;
	bench_email(row->text[0], sizeof(row->text[0]), (long)update->users[i].id, update->version);
	row->ints[0] = update->users[i].id;
}

static void fill_id(long i, row_values *row, const void *ctx)
{
	row->ints[0] = ((const int64_t *)ctx)[i];
}

/* Binds row's values to binds[] in the order of kinds ("ssi": text[0],
 * text[1], ints[0]; 'b' the body). */
static void bind_row(MYSQL_BIND *binds, unsigned long *lengths, row_values *row, const char *kinds)
{
	int text = 0, ints = 0;
	for (int k = 0; kinds[k]; k++) {
		if (kinds[k] == 's')
			bind_string_in(&binds[k], row->text[text++], &lengths[k]);
		else if (kinds[k] == 'b')
			bind_string_in(&binds[k], row->body, &lengths[k]);
		else
			bind_int64_in(&binds[k], &row->ints[ints++]);
	}
}

/* One execution per row. */
static int run_single(MYSQL_STMT *stmt, const char *kinds, long rows, fill_fn fill, const void *ctx)
{
	MYSQL_BIND binds[4];
	unsigned long lengths[4];
	row_values row;
	for (long i = 0; i < rows; i++) {
		fill(i, &row, ctx);
		bind_row(binds, lengths, &row, kinds);
		if (mysql_stmt_bind_param(stmt, binds) || mysql_stmt_execute(stmt))
			return failed_stmt(stmt, "execute");
	}
	return 0;
}

/* Array binding: BULK_CHUNK rows of parameters per execution, bound
 * column-wise (an array of values, or of string pointers and lengths, per
 * parameter). */
static int run_bulk(MYSQL_STMT *stmt, const char *kinds, long rows, fill_fn fill, const void *ctx)
{
	int params = (int)strlen(kinds);
	row_values *chunk = malloc(BULK_CHUNK * sizeof(*chunk));
	const char **strings = malloc((size_t)params * BULK_CHUNK * sizeof(*strings));
	unsigned long *lengths = malloc((size_t)params * BULK_CHUNK * sizeof(*lengths));
	int64_t *ints = malloc((size_t)params * BULK_CHUNK * sizeof(*ints));
	int rc = chunk && strings && lengths && ints ? 0 : -1;
	for (long first = 0; first < rows && rc == 0; first += BULK_CHUNK) {
		unsigned int n = (unsigned int)(rows - first < BULK_CHUNK ? rows - first : BULK_CHUNK);
		MYSQL_BIND binds[4];
		memset(binds, 0, sizeof(binds));
		for (unsigned r = 0; r < n; r++)
			fill(first + (long)r, &chunk[r], ctx);
		int text = 0, integer = 0;
		for (int k = 0; k < params; k++) {
			size_t base = (size_t)k * BULK_CHUNK;
			if (kinds[k] == 'i') {
				for (unsigned r = 0; r < n; r++)
					ints[base + r] = chunk[r].ints[integer];
				binds[k].buffer_type = MYSQL_TYPE_LONGLONG;
				binds[k].buffer = &ints[base];
				integer++;
				continue;
			}
			for (unsigned r = 0; r < n; r++) {
				strings[base + r] = kinds[k] == 'b' ? chunk[r].body : chunk[r].text[text];
				lengths[base + r] = (unsigned long)strlen(strings[base + r]);
			}
			binds[k].buffer_type = MYSQL_TYPE_STRING;
			binds[k].buffer = (void *)&strings[base];
			binds[k].length = &lengths[base];
			if (kinds[k] == 's')
				text++;
		}
		if (mysql_stmt_attr_set(stmt, STMT_ATTR_ARRAY_SIZE, &n) ||
		    mysql_stmt_bind_param(stmt, binds) || mysql_stmt_execute(stmt))
			rc = failed_stmt(stmt, "bulk execute");
	}
	free(chunk);
	free(strings);
	free(lengths);
	free(ints);
	return rc;
}

/* INSERT head VALUES (?, ...), ... tail with ROWS_PER_STATEMENT rows. */
static MYSQL_STMT *prepare_multirow(MYSQL *db, const char *head, const char *tail, int params)
{
	size_t size = strlen(head) + strlen(tail) + (size_t)ROWS_PER_STATEMENT * (size_t)params * 4 +
		      64;
	char *sql = malloc(size);
	if (!sql)
		return NULL;
	size_t len = (size_t)snprintf(sql, size, "%s VALUES ", head);
	for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
		len += (size_t)snprintf(sql + len, size - len, r ? ", (" : "(");
		for (int p = 0; p < params; p++)
			len += (size_t)snprintf(sql + len, size - len, p ? ", ?" : "?");
		len += (size_t)snprintf(sql + len, size - len, ")");
	}
	snprintf(sql + len, size - len, "%s", tail);
	MYSQL_STMT *stmt = prepare(db, sql);
	free(sql);
	return stmt;
}

/* ROWS_PER_STATEMENT rows a statement; rows must be a multiple of it. */
static int run_multirow(MYSQL_STMT *stmt, const char *kinds, long rows, fill_fn fill,
			const void *ctx)
{
	int params = (int)strlen(kinds), total = params * ROWS_PER_STATEMENT;
	row_values *chunk = malloc(ROWS_PER_STATEMENT * sizeof(*chunk));
	MYSQL_BIND *binds = malloc((size_t)total * sizeof(*binds));
	unsigned long *lengths = malloc((size_t)total * sizeof(*lengths));
	int rc = chunk && binds && lengths ? 0 : -1;
	for (long first = 0; first < rows && rc == 0; first += ROWS_PER_STATEMENT) {
		for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
			fill(first + r, &chunk[r], ctx);
			bind_row(binds + r * params, lengths + r * params, &chunk[r], kinds);
		}
		if (mysql_stmt_bind_param(stmt, binds) || mysql_stmt_execute(stmt))
			rc = failed_stmt(stmt, "multi-row execute");
	}
	free(chunk);
	free(binds);
	free(lengths);
	return rc;
}

/* Runs statement sql for rows rows in the variant asked for. */
static int run_writes(MYSQL *db, const char *sql, const char *multirow_head,
		      const char *multirow_tail, const char *kinds,
		      long rows, fill_fn fill, const void *ctx, int variant)
{
	MYSQL_STMT *stmt = variant == 2 ? prepare_multirow(db, multirow_head, multirow_tail,
							   (int)strlen(kinds))
					: prepare(db, sql);
	if (!stmt)
		return -1;
	int rc = variant == 0   ? run_single(stmt, kinds, rows, fill, ctx)
		 : variant == 1 ? run_bulk(stmt, kinds, rows, fill, ctx)
				: run_multirow(stmt, kinds, rows, fill, ctx);
	mysql_stmt_close(stmt);
	return rc;
}

/* --- reads ------------------------------------------------------------------- */

/* The result buffers of a users row. */
typedef struct user_row {
	int64_t id;
	char username[64], email[256];
	unsigned long username_length, email_length;
	my_bool email_null, error[4];
	MYSQL_TIME created_at;
	MYSQL_BIND binds[4];
} user_row;

static void bind_user_row(user_row *row)
{
	/* Connector/C reads the error flags when it fetches: they start at 0. */
	memset(row, 0, sizeof(*row));
	row->binds[0].buffer_type = MYSQL_TYPE_LONGLONG;
	row->binds[0].buffer = &row->id;
	row->binds[1].buffer_type = MYSQL_TYPE_STRING;
	row->binds[1].buffer = row->username;
	row->binds[1].buffer_length = sizeof(row->username);
	row->binds[1].length = &row->username_length;
	row->binds[2].buffer_type = MYSQL_TYPE_STRING;
	row->binds[2].buffer = row->email;
	row->binds[2].buffer_length = sizeof(row->email);
	row->binds[2].length = &row->email_length;
	row->binds[2].is_null = &row->email_null;
	row->binds[3].buffer_type = MYSQL_TYPE_DATETIME;
	row->binds[3].buffer = &row->created_at;
	for (int i = 0; i < 4; i++)
		row->binds[i].error = &row->error[i];
}

static void copy_user(const user_row *row, hand_user *user)
{
	user->id = row->id;
	user->username = strndup(row->username, row->username_length);
	user->email = row->email_null ? NULL : strndup(row->email, row->email_length);
	user->created_at = (hand_timestamp){(int)row->created_at.year, (int)row->created_at.month,
					    (int)row->created_at.day, (int)row->created_at.hour,
					    (int)row->created_at.minute, (int)row->created_at.second,
					    (int)row->created_at.second_part};
	user->posts = NULL;
	user->post_count = 0;
}

static void free_users(hand_user *users, size_t count)
{
	for (size_t i = 0; users && i < count; i++) {
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

/* Runs the prepared users query stmt (parameters already bound) and copies
 * its rows into a growing array. */
static int fetch_users(MYSQL_STMT *stmt, hand_user **out, size_t *count)
{
	user_row row;
	bind_user_row(&row);
	if (mysql_stmt_execute(stmt) || mysql_stmt_bind_result(stmt, row.binds))
		return failed_stmt(stmt, "select users");
	size_t n = 0, cap = 1024;
	hand_user *users = malloc(cap * sizeof(*users));
	int rc = users ? 0 : -1, fetched;
	while (rc == 0 && (fetched = mysql_stmt_fetch(stmt)) != MYSQL_NO_DATA) {
		if (fetched != 0) { /* 1 an error, MYSQL_DATA_TRUNCATED a value too long */
			rc = failed_stmt(stmt, "fetch user");
			break;
		}
		if (n == cap) {
			hand_user *grown = realloc(users, 2 * cap * sizeof(*users));
			if (!grown) {
				rc = -1;
				break;
			}
			users = grown;
			cap *= 2;
		}
		copy_user(&row, &users[n++]);
	}
	mysql_stmt_free_result(stmt);
	*out = users;
	*count = n;
	return rc;
}

static int load_users(MYSQL *db, const char *sql, hand_user **out, size_t *count)
{
	MYSQL_STMT *stmt = prepare(db, sql);
	*out = NULL;
	*count = 0;
	if (!stmt)
		return -1;
	int rc = fetch_users(stmt, out, count);
	mysql_stmt_close(stmt);
	return rc;
}

static int compare_user_id(const void *key, const void *element)
{
	int64_t id = *(const int64_t *)key, other = ((const hand_user *)element)->id;
	return id < other ? -1 : id > other;
}

/* W4: the users, then their posts in one query. MariaDB refuses LIMIT in
 * an IN subquery, so the posts join the derived table of the users. */
static int load_users_with_posts(MYSQL *db)
{
	hand_user *users;
	size_t count;
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT id, username, email, created_at FROM users ORDER BY id LIMIT %d",
		 BENCH_EAGER_USERS);
	if (load_users(db, sql, &users, &count)) {
		free_users(users, count);
		return -1;
	}
	snprintf(sql, sizeof(sql),
		 "SELECT p.id, p.user_id, p.title, p.body, p.score FROM posts p JOIN "
		 "(SELECT id FROM users ORDER BY id LIMIT %d) u ON p.user_id = u.id",
		 BENCH_EAGER_USERS);
	MYSQL_STMT *stmt = prepare(db, sql);
	struct {
		int64_t id, user_id;
		char title[128], body[1024];
		unsigned long title_length, body_length;
		int32_t score;
	} row;
	MYSQL_BIND binds[5];
	memset(binds, 0, sizeof(binds));
	binds[0].buffer_type = MYSQL_TYPE_LONGLONG;
	binds[0].buffer = &row.id;
	binds[1].buffer_type = MYSQL_TYPE_LONGLONG;
	binds[1].buffer = &row.user_id;
	binds[2].buffer_type = MYSQL_TYPE_STRING;
	binds[2].buffer = row.title;
	binds[2].buffer_length = sizeof(row.title);
	binds[2].length = &row.title_length;
	binds[3].buffer_type = MYSQL_TYPE_STRING;
	binds[3].buffer = row.body;
	binds[3].buffer_length = sizeof(row.body);
	binds[3].length = &row.body_length;
	binds[4].buffer_type = MYSQL_TYPE_LONG;
	binds[4].buffer = &row.score;
	int rc = stmt ? 0 : -1;
	if (rc == 0 && (mysql_stmt_execute(stmt) || mysql_stmt_bind_result(stmt, binds)))
		rc = failed_stmt(stmt, "select posts");
	size_t *caps = calloc(count ? count : 1, sizeof(*caps));
	int fetched;
	while (rc == 0 && caps && (fetched = mysql_stmt_fetch(stmt)) != MYSQL_NO_DATA) {
		if (fetched != 0) {
			rc = failed_stmt(stmt, "fetch post");
			break;
		}
		hand_user *user = bsearch(&row.user_id, users, count, sizeof(*users), compare_user_id);
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
		post->id = row.id;
		post->user_id = row.user_id;
		post->title = strndup(row.title, row.title_length);
		post->body = strndup(row.body, row.body_length);
		post->score = row.score;
	}
	if (stmt)
		mysql_stmt_close(stmt);
	free(caps);
	free_users(users, count);
	return rc;
}

/* W5: one prepared SELECT by primary key, executed BENCH_GETS times. */
static int get_users(MYSQL *db)
{
	MYSQL_STMT *stmt = prepare(db, "SELECT id, username, email, created_at FROM users WHERE id = ?");
	hand_user *users = calloc(BENCH_GETS, sizeof(*users));
	int rc = stmt && users ? 0 : -1;
	int64_t id;
	MYSQL_BIND param;
	bind_int64_in(&param, &id);
	user_row row;
	bind_user_row(&row);
	if (rc == 0 && (mysql_stmt_bind_param(stmt, &param) || mysql_stmt_bind_result(stmt, row.binds)))
		rc = failed_stmt(stmt, "bind");
	uint64_t seed = 12345;
	for (int i = 0; i < BENCH_GETS && rc == 0; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		id = (int64_t)((seed >> 33) % BENCH_USERS + 1);
		if (mysql_stmt_execute(stmt) || mysql_stmt_fetch(stmt) != 0)
			rc = failed_stmt(stmt, "get user");
		else
			copy_user(&row, &users[i]);
		mysql_stmt_free_result(stmt);
	}
	if (stmt)
		mysql_stmt_close(stmt);
	free_users(users, BENCH_GETS);
	return rc;
}

static int64_t *first_ids(MYSQL *db, const char *table, int count)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT id FROM %s ORDER BY id LIMIT %d", table, count);
	MYSQL_STMT *stmt = prepare(db, sql);
	if (!stmt)
		return NULL;
	int64_t id = 0, *ids = malloc((size_t)count * sizeof(*ids));
	MYSQL_BIND bind;
	bind_int64_in(&bind, &id);
	int n = 0;
	if (!ids || mysql_stmt_execute(stmt) || mysql_stmt_bind_result(stmt, &bind)) {
		failed_stmt(stmt, sql);
		n = -1;
	}
	while (n >= 0 && n < count && mysql_stmt_fetch(stmt) == 0)
		ids[n++] = id;
	mysql_stmt_close(stmt);
	if (n != count) {
		fprintf(stderr, "hand_mariadb: %s has %d rows, need %d\n", table, n, count);
		free(ids);
		return NULL;
	}
	return ids;
}

/* W9: one UPDATE of the users after BENCH_SET_AFTER, in a transaction. */
static int set_update(MYSQL *db)
{
	static int version;
	char email[96];
	bench_set_email(email, sizeof(email), ++version);
	int rc = exec(db, "START TRANSACTION");
	MYSQL_STMT *stmt = rc ? NULL : prepare(db, "UPDATE users SET email = ? WHERE username > ?");
	if (!stmt)
		return -1;
	MYSQL_BIND binds[2];
	unsigned long lengths[2];
	bind_string_in(&binds[0], email, &lengths[0]);
	bind_string_in(&binds[1], BENCH_SET_AFTER, &lengths[1]);
	if (mysql_stmt_bind_param(stmt, binds) || mysql_stmt_execute(stmt))
		rc = failed_stmt(stmt, "set-based update");
	else if (mysql_stmt_affected_rows(stmt) != BENCH_SET_UPDATES)
		rc = -1;
	mysql_stmt_close(stmt);
	return rc ? rc : exec(db, "COMMIT");
}

/* Runs workload w. variant: 0 one execution per row, 1 array binding, 2
 * 100-row INSERTs (W1, W3). Returns < 0 where the variant does not apply. */
double hand_mariadb_run(bench_workload w, const char *url, int variant)
{
	if (variant && (w == W2_LOAD_USERS || w == W4_EAGER || w == W5_GETS || w == W9_SET_UPDATE))
		return -1; /* one statement each: nothing to batch */
	if (variant == 2 && w != W1_INSERT_USERS && w != W3_INSERT_POSTS && w != W8_UPSERT)
		return -1;
	/* A connection of its own per workload, as the ORM's side gets a fresh
	 * engine; connecting and preparing are part of the time on both
	 * sides. */
	double start = bench_now(), seconds = -1;
	MYSQL *db = connect_url(url);
	if (!db)
		return -1;
	int rc = 0;
	hand_user *users = NULL;
	size_t count = 0;
	int64_t *ids = NULL;
	static int version;
	switch (w) {
	case W1_INSERT_USERS:
		rc = exec(db, "START TRANSACTION");
		rc = rc ? rc : run_writes(db, "INSERT INTO users (username, email) VALUES (?, ?)",
					  "INSERT INTO users (username, email)", "", "ss", BENCH_USERS,
					  fill_user, NULL, variant);
		rc = rc ? rc : exec(db, "COMMIT");
		break;
	case W2_LOAD_USERS:
		rc = load_users(db, "SELECT id, username, email, created_at FROM users", &users, &count);
		if (rc == 0 && count != BENCH_USERS)
			rc = -1;
		free_users(users, count);
		break;
	case W3_INSERT_POSTS:
		ids = first_ids(db, "users", BENCH_POST_USERS);
		rc = ids ? 0 : -1;
		start = bench_now();
		rc = rc ? rc : exec(db, "START TRANSACTION");
		rc = rc ? rc : run_writes(db, "INSERT INTO posts (user_id, title, body, score) "
					      "VALUES (?, ?, ?, ?)",
					  "INSERT INTO posts (user_id, title, body, score)", "", "isbi",
					  (long)BENCH_POST_USERS * BENCH_POSTS_PER_USER, fill_post, ids,
					  variant);
		rc = rc ? rc : exec(db, "COMMIT");
		break;
	case W4_EAGER:
		rc = load_users_with_posts(db);
		break;
	case W5_GETS:
		/* One transaction, as the ORM's session has. */
		rc = exec(db, "START TRANSACTION");
		rc = rc ? rc : get_users(db);
		rc = rc ? rc : exec(db, "COMMIT");
		break;
	case W6_UPDATE: {
		char sql[128];
		snprintf(sql, sizeof(sql),
			 "SELECT id, username, email, created_at FROM users ORDER BY id LIMIT %d",
			 BENCH_UPDATES);
		rc = load_users(db, sql, &users, &count);
		update_ctx ctx = {users, ++version};
		start = bench_now();
		rc = rc ? rc : exec(db, "START TRANSACTION");
		rc = rc ? rc : run_writes(db, "UPDATE users SET email = ? WHERE id = ?", NULL, NULL, "si",
					  (long)count, fill_update, &ctx, variant);
		rc = rc ? rc : exec(db, "COMMIT");
		seconds = bench_now() - start;
		free_users(users, count);
		break;
	}
	case W7_DELETE:
		ids = first_ids(db, "posts", BENCH_DELETES);
		rc = ids ? 0 : -1;
		start = bench_now();
		rc = rc ? rc : exec(db, "START TRANSACTION");
		rc = rc ? rc : run_writes(db, "DELETE FROM posts WHERE id = ?", NULL, NULL, "i",
					  BENCH_DELETES, fill_id, ids, variant);
		rc = rc ? rc : exec(db, "COMMIT");
		break;
	case W8_UPSERT:
		/* VALUES(email): the value the row would have been inserted with. */
		rc = exec(db, "START TRANSACTION");
		rc = rc ? rc : run_writes(db, "INSERT INTO users (username, email) VALUES (?, ?) "
					      "ON DUPLICATE KEY UPDATE email = VALUES(email)",
					  "INSERT INTO users (username, email)",
					  " ON DUPLICATE KEY UPDATE email = VALUES(email)", "ss",
					  BENCH_UPSERTS, fill_upsert, NULL, variant);
		rc = rc ? rc : exec(db, "COMMIT");
		break;
	case W9_SET_UPDATE:
		rc = set_update(db);
		break;
	default:
		rc = -1;
	}
	if (seconds < 0)
		seconds = bench_now() - start;
	free(ids);
	mysql_close(db);
	return rc == 0 ? seconds : -1;
}
