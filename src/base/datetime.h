/*
 * datetime.h - calendar dates and clock times written as text
 * (YYYY-MM-DD, HH:MM[:SS[.fraction]]), checked to exist: the schema's
 * date and timestamp defaults and a migration script's `created` line
 * read them, and 2024-13-45 or 99:99 is an error in both.
 */
#ifndef RT_BASE_DATETIME_H
#define RT_BASE_DATETIME_H

#include <stdbool.h>

/* YYYY-MM-DD at *p naming a day that exists (month 1-12, the day within
 * that month, 29 February in leap years only). Advances *p past it when
 * true; *p is left anywhere when false. */
bool rt__datetime_date(const char **p);

/* HH:MM[:SS[.fraction]] at *p: hour 0-23, minute 0-59, second 0-60 (60
 * for a leap second). Advances *p past it when true. */
bool rt__datetime_time(const char **p);

#endif
