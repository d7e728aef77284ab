/*
 * postgres.h - what the two halves of the PostgreSQL dialect share:
 * postgres.c (driver, SQL rendering) and postgres_reflect.c (reading the
 * catalog back into the metadata model).
 */
#ifndef RT_DIALECT_POSTGRES_H
#define RT_DIALECT_POSTGRES_H

#include "dialect/dialect.h"

/* The dialect's reflect hook: reads schema `public` of the connected
 * database, through the dialect's own driver functions. */
int rt__postgres_reflect(rt_schema **out, const rt_dialect *dialect, rt_driver_conn *conn);

/* Rewrites `?` placeholders as $1, $2, ... into buf, leaving string
 * literals, quoted identifiers, comments and dollar-quoted bodies alone;
 * `??` stands for a literal `?` (PostgreSQL's jsonb operators). Sets
 * *count to the number of placeholders. */
void rt__postgres_translate_placeholders(rt_buf *buf, const char *sql, int *count);

#endif
