/*
 * retort.h - the public API of libretort, in one include.
 *
 * Conventions (see docs/library.md): functions return RT_OK or a negative
 * code and record details in rt_error_last(); constructors return their
 * object through a first out-parameter; every _free/_close accepts NULL;
 * options structs start with a version field and have an _INIT macro.
 */
#ifndef RETORT_H
#define RETORT_H

#include "retort/common.h"
#include "retort/schema.h"
#include "retort/engine.h"
#include "retort/migrate.h"
#include "retort/orm.h"

#endif
