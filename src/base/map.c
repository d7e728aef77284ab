/*
 * map.c - open-addressing hash map (FNV-1a, linear probing, load <= 1/2).
 */
#include "base/map.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static uint64_t hash_key(const char *key, bool nocase)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= (uint64_t)(nocase ? lower(*p) : *p);
		h *= 1099511628211ULL;
	}
	return h;
}

static bool keys_equal(const char *a, const char *b, bool nocase)
{
	if (!nocase)
		return strcmp(a, b) == 0;
	for (; *a && *b; a++, b++)
		if (lower((unsigned char)*a) != lower((unsigned char)*b))
			return false;
	return *a == *b;
}

void rt__map_init(rt_map *map, rt_arena *arena)
{
	map->arena = arena;
	map->entries = NULL;
	map->count = 0;
	map->cap = 0;
}

static rt_map_entry *find_slot(rt_map_entry *entries, size_t cap, const char *key,
			       bool nocase)
{
	size_t mask = cap - 1;
	size_t i = (size_t)hash_key(key, nocase) & mask;
	while (entries[i].key && !keys_equal(entries[i].key, key, nocase))
		i = (i + 1) & mask;
	return &entries[i];
}

static void *map_get(const rt_map *map, const char *key, bool nocase)
{
	if (!map->cap || !key)
		return NULL;
	rt_map_entry *slot = find_slot(map->entries, map->cap, key, nocase);
	return slot->key ? slot->value : NULL;
}

static int map_put(rt_map *map, const char *key, void *value, bool nocase)
{
	if ((map->count + 1) * 2 > map->cap) {
		size_t cap = map->cap ? map->cap * 2 : 16;
		rt_map_entry *entries = rt__arena_alloc(map->arena, cap * sizeof(*entries));
		if (!entries)
			return -1;
		for (size_t i = 0; i < map->cap; i++) {
			if (map->entries[i].key)
				*find_slot(entries, cap, map->entries[i].key, nocase) =
					map->entries[i];
		}
		map->entries = entries;
		map->cap = cap;
	}
	rt_map_entry *slot = find_slot(map->entries, map->cap, key, nocase);
	if (!slot->key) {
		slot->key = key;
		map->count++;
	}
	slot->value = value;
	return 0;
}

void *rt__map_get(const rt_map *map, const char *key)
{
	return map_get(map, key, false);
}

int rt__map_put(rt_map *map, const char *key, void *value)
{
	return map_put(map, key, value, false);
}

void *rt__map_get_nocase(const rt_map *map, const char *key)
{
	return map_get(map, key, true);
}

int rt__map_put_nocase(rt_map *map, const char *key, void *value)
{
	return map_put(map, key, value, true);
}
