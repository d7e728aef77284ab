/*
 * map.h - string-keyed hash map, allocated from an arena.
 *
 * Keys are not copied: they must live as long as the map (in practice they
 * come from the same arena). Used for name lookups in schemas with thousands
 * of tables, where a linear search would make validation quadratic.
 */
#ifndef RT_BASE_MAP_H
#define RT_BASE_MAP_H

#include <stddef.h>
#include "base/arena.h"

typedef struct rt_map_entry {
	const char *key;
	void *value;
} rt_map_entry;

typedef struct rt_map {
	rt_arena *arena;
	rt_map_entry *entries;
	size_t count;
	size_t cap; /* a power of two, or 0 */
} rt_map;

void rt__map_init(rt_map *map, rt_arena *arena);
/* NULL when absent. */
void *rt__map_get(const rt_map *map, const char *key);
/* Inserts or replaces. Returns 0, or -1 when out of memory. */
int rt__map_put(rt_map *map, const char *key, void *value);

/* Case-insensitive variants (ASCII), for SQL identifiers. Do not mix them
 * with the case-sensitive ones on one map. */
void *rt__map_get_nocase(const rt_map *map, const char *key);
int rt__map_put_nocase(rt_map *map, const char *key, void *value);

#endif
