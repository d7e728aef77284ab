/*
 * bench_orm.h - what the ORM benchmark's three parts share: the workload
 * sizes, the database set-up and the timer.
 *
 * Every workload exists three times in one binary: through retort's ORM
 * (bench_orm.c), and written by hand against libsqlite3 (hand_sqlite.c) and
 * libpq (hand_postgres.c) or MariaDB Connector/C (hand_mariadb.c) the way a careful C programmer would: prepared
 * statements, one transaction, rows copied into plain structs. On
 * PostgreSQL and MariaDB the hand-written writes also come in batched
 * variants (libpq's pipeline mode, Connector/C's array binding, 100-row
 * INSERTs), and the best hand-written time is the one the ORM is compared with.
 */
#ifndef BENCH_ORM_H
#define BENCH_ORM_H

#include <stddef.h>
#include <stdint.h>

#include "bench_db.h"

#define BENCH_USERS 100000       /* W1, W2 */
#define BENCH_POST_USERS 10000   /* W3: users that get posts */
#define BENCH_POSTS_PER_USER 10  /* W3: 100,000 posts */
#define BENCH_EAGER_USERS 10000  /* W4 */
#define BENCH_GETS 10000         /* W5 */
#define BENCH_UPDATES 10000      /* W6 */
#define BENCH_DELETES 10000      /* W7 */
#define BENCH_UPSERTS 100000     /* W8: users upserted on username; the odd ones exist */
#define BENCH_UPSERT_VERSION 8   /* W8: the email version the upsert writes */
#define BENCH_SET_UPDATES 50000  /* W9: the users after BENCH_SET_AFTER by username */
#define BENCH_SET_AFTER "user050000"

typedef enum bench_workload {
	W1_INSERT_USERS, W2_LOAD_USERS, W3_INSERT_POSTS, W4_EAGER, W5_GETS,
	W6_UPDATE, W7_DELETE, W8_UPSERT, W9_SET_UPDATE, WORKLOAD_COUNT
} bench_workload;

/* A hand-written variant's result: seconds, or < 0 when it does not apply. */
typedef double (*bench_hand_fn)(const char *target);


/* The text of user i's fields, the same in every variant. */
void bench_username(char *out, size_t size, long i);
void bench_email(char *out, size_t size, long i, int version);
void bench_title(char *out, size_t size, long user, long n);
extern const char bench_post_body[];
/* W9: the one email a set-based update gives every row it matches. */
void bench_set_email(char *out, size_t size, int version);

/* A plain timestamp for the hand-written structs ("YYYY-MM-DD HH:MM:SS[.f]"). */
typedef struct hand_timestamp {
	int year, month, day, hour, minute, second, microsecond;
} hand_timestamp;
int hand_timestamp_parse(hand_timestamp *out, const char *text);

/* libsqlite3: target is the database file. Each returns seconds, < 0 on
 * error (printed). The database holds the schema and the rows the
 * workload needs (bench_orm.c prepares it). */
double hand_sqlite_run(bench_workload w, const char *path);
/* libpq: target is the connection URL; variant 0 sends one statement per
 * round trip, 1 pipelines the writes, 2 inserts 100 rows a statement,
 * pipelined (W1, W3). Returns < 0 where the variant does not apply. */
double hand_postgres_run(bench_workload w, const char *url, int variant);

/* MariaDB Connector/C: target is the mysql:// URL; variant 0 executes once
 * per row, 1 binds arrays of 1,000 rows per execution, 2 inserts 100 rows a
 * statement (W1, W3). Returns < 0 where the variant does not apply. */
double hand_mariadb_run(bench_workload w, const char *url, int variant);

#endif
