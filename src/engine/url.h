/*
 * url.h - database URLs (DESIGN §3) into connection parameters.
 *
 *   sqlite:///relative.db   sqlite:////absolute/path.db   sqlite://
 *   postgresql://user:pass@host:port/db?sslmode=require
 *   postgresql+psycopg2://...   (the driver part is ignored)
 */
#ifndef RT_ENGINE_URL_H
#define RT_ENGINE_URL_H

#include "base/arena.h"
#include "dialect/dialect.h"

/* Parses url into *out, strings in arena. Percent-escapes in user,
 * password, host and database are decoded. RT_EPARSE on a malformed URL
 * (the message never contains the password). */
int rt__url_parse(rt_connect_params *out, rt_arena *arena, const char *url);

/* Reads an isolation_level (the URL's query parameter, or the engine's
 * option): "autocommit", in any case, sets *autocommit; anything else is
 * refused by name (RT_EINVAL). */
int rt__isolation_level(bool *autocommit, const char *value);

/* Takes the URL's option key out of params (the engine's own options,
 * which the driver must not see): its value, or NULL when the URL has
 * none. The last one counts when the URL gives the key twice. */
const char *rt__url_take_option(rt_connect_params *params, const char *key);

/* url with the password replaced by ***, in arena. */
const char *rt__url_mask(rt_arena *arena, const char *url);

#endif
