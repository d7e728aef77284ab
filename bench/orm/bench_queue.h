/*
 * bench_queue.h - what the row-lock and keyset benchmark's parts share
 * (bench_queue.c runs them through retort's ORM, hand_queue.c by hand):
 * the workload sizes and the hand-written variants' entry points.
 *
 *   W10 keyset pages through 100,000 users, 1,000 a page, each page the
 *       rows after the last one of the page before (ORDER BY id)
 *   W11 a job queue: 4 worker processes, each with its own connection,
 *       take the next ready job (SELECT ... FOR UPDATE SKIP LOCKED), mark
 *       it done and commit, until no job is left; PostgreSQL and MariaDB
 */
#ifndef BENCH_QUEUE_H
#define BENCH_QUEUE_H

#include <stdint.h>

#define QUEUE_USERS 100000 /* W10 */
#define QUEUE_PAGE 1000    /* W10 */
#define QUEUE_JOBS 4000    /* W11 */
#define QUEUE_WORKERS 4    /* W11 */

/* W10 by hand: seconds to page through the users, < 0 on error (printed).
 * target: the SQLite file, or the connection URL. */
double hand_pages_sqlite(const char *path);
double hand_pages_postgres(const char *url);
double hand_pages_mariadb(const char *url);

/* W11 by hand, one worker: takes jobs until none is left; returns how
 * many it took, < 0 on error. */
long hand_worker_postgres(const char *url, int worker);
long hand_worker_mariadb(const char *url, int worker);

#endif
