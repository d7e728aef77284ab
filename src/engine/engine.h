/*
 * engine.h - internals of engines, connections and statements shared by the
 * modules above the dialect layer (DDL execution, reflection, migrations,
 * the ORM).
 */
#ifndef RT_ENGINE_ENGINE_H
#define RT_ENGINE_ENGINE_H

#include "base/arena.h"
#include "dialect/dialect.h"
#include "retort/engine.h"

struct rt_engine {
	rt_arena *arena;
	const rt_dialect *dialect;
	rt_connect_params params;
	const char *url_masked;
	int echo;
};

struct rt_conn {
	rt_engine *engine;
	const rt_dialect *dialect;
	rt_driver_conn *driver;
	int in_transaction;
};

struct rt_stmt {
	rt_conn *conn;
	rt_driver_stmt *driver;
	/* Per column, text made for the current row when a number is read
	 * as text or a blob as a string (valid until the next step). */
	rt_buf *scratch;
	int scratch_count;
};

#endif
