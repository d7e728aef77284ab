/*
 * bench_db.h - the small helpers both ORM benchmark programs (bench_orm.c,
 * bench_queue.c) and their hand-written halves use: the clock, and a
 * statement run on a connection of their own for the set-up and the
 * checks around the timed work.
 */
#ifndef BENCH_DB_H
#define BENCH_DB_H

#include <stdint.h>

#include <retort.h>

/* Monotonic seconds. */
double bench_now(void);
/* The median of count run times (sorts them); -1 when one of them is
 * negative (a failed run). */
double bench_median(double *values, int count);
/* Prints "<program>: what: <retort's last error>" to stderr; returns -1. */
int bench_fail(const char *what);
/* Runs sql (no rows) on a connection of engine's; 0 or -1 (printed). */
int bench_execute(rt_engine *engine, const char *sql);
/* The first column of the first row of sql, an integer; -1 on error. */
int64_t bench_count(rt_engine *engine, const char *sql);

#endif
