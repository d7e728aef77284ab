/*
 * keys.c - sets of key tuples, for matching loaded rows to their parents.
 *
 * Loading a relationship for many objects at once (rt__load_relationship_many)
 * reads rows that carry their parent's key; a set maps each distinct key
 * to a group number in O(1), so distributing 100,000 rows to 10,000
 * parents is linear. Open addressing over a power-of-two table; the keys
 * are kept in one array, `width` values per group.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "orm/query.h"

struct rt_keyset {
	int width;
	rt_value_ref *keys;   /* width * count values */
	uint64_t *hashes;     /* per group */
	size_t count, cap;    /* groups */
	long *slots;          /* group + 1, 0 = empty */
	size_t slot_count;    /* a power of two */
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static uint64_t hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Values that compare equal as keys hash equal: every integer-like kind
 * hashes its integer, text-like kinds their bytes. */
static uint64_t hash_value(const rt_value_ref *v)
{
	switch (v->kind) {
	case RT_FIELD_INT16:
	case RT_FIELD_INT32:
	case RT_FIELD_INT64:
	case RT_FIELD_BOOL:
	case RT_FIELD_ENUM:
		return (uint64_t)v->as.i * 0x9e3779b97f4a7c15ull;
	case RT_FIELD_FLOAT:
	case RT_FIELD_DOUBLE: {
		uint64_t bits;
		double d = v->as.d == 0.0 ? 0.0 : v->as.d; /* -0.0 == 0.0 */
		memcpy(&bits, &d, sizeof(bits));
		return bits;
	}
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		return v->as.s ? hash_bytes(v->as.s, strlen(v->as.s)) : 0;
	case RT_FIELD_BLOB:
		return hash_bytes(v->as.bytes.data, v->as.bytes.len);
	case RT_FIELD_DATE:
		return (uint64_t)v->as.date.year * 400 + v->as.date.month * 32u + v->as.date.day;
	case RT_FIELD_TIME:
		return ((uint64_t)v->as.time.hour * 3600 + v->as.time.minute * 60u +
			v->as.time.second) * 1000000u + v->as.time.microsecond;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		return mix((uint64_t)v->as.timestamp.date.year * 400 +
				   v->as.timestamp.date.month * 32u + v->as.timestamp.date.day,
			   ((uint64_t)v->as.timestamp.time.hour * 3600 +
			    v->as.timestamp.time.minute * 60u + v->as.timestamp.time.second) *
					   1000000u + v->as.timestamp.time.microsecond);
	case RT_FIELD_UUID:
		return hash_bytes(v->as.uuid.bytes, sizeof(v->as.uuid.bytes));
	default:
		return 0;
	}
}

static int family(rt_field_kind kind)
{
	switch (kind) {
	case RT_FIELD_INT16:
	case RT_FIELD_INT32:
	case RT_FIELD_INT64:
	case RT_FIELD_BOOL:
	case RT_FIELD_ENUM:
		return 1;
	case RT_FIELD_FLOAT:
	case RT_FIELD_DOUBLE:
		return 2;
	case RT_FIELD_NUMERIC:
	case RT_FIELD_TEXT:
	case RT_FIELD_JSON:
		return 3;
	case RT_FIELD_TIMESTAMP:
	case RT_FIELD_TIMESTAMPTZ:
		return 4;
	default:
		return 10 + (int)kind;
	}
}

bool rt__key_value_equal(const rt_value_ref *a, const rt_value_ref *b)
{
	if (a->kind == 0 || b->kind == 0 || family(a->kind) != family(b->kind))
		return false; /* NULL equals nothing, as in SQL */
	switch (family(a->kind)) {
	case 1:
		return a->as.i == b->as.i;
	case 2:
		return a->as.d == b->as.d;
	case 3:
		return a->as.s && b->as.s && strcmp(a->as.s, b->as.s) == 0;
	case 4:
		return memcmp(&a->as.timestamp.date, &b->as.timestamp.date, sizeof(rt_date)) == 0 &&
		       a->as.timestamp.time.hour == b->as.timestamp.time.hour &&
		       a->as.timestamp.time.minute == b->as.timestamp.time.minute &&
		       a->as.timestamp.time.second == b->as.timestamp.time.second &&
		       a->as.timestamp.time.microsecond == b->as.timestamp.time.microsecond;
	default:
		break;
	}
	switch (a->kind) {
	case RT_FIELD_BLOB:
		return a->as.bytes.len == b->as.bytes.len &&
		       (a->as.bytes.len == 0 ||
			memcmp(a->as.bytes.data, b->as.bytes.data, a->as.bytes.len) == 0);
	case RT_FIELD_DATE:
		return a->as.date.year == b->as.date.year && a->as.date.month == b->as.date.month &&
		       a->as.date.day == b->as.date.day;
	case RT_FIELD_TIME:
		return a->as.time.hour == b->as.time.hour && a->as.time.minute == b->as.time.minute &&
		       a->as.time.second == b->as.time.second &&
		       a->as.time.microsecond == b->as.time.microsecond;
	case RT_FIELD_UUID:
		return memcmp(a->as.uuid.bytes, b->as.uuid.bytes, sizeof(a->as.uuid.bytes)) == 0;
	default:
		return false;
	}
}

static uint64_t hash_key(const rt_keyset *set, const rt_value_ref *key)
{
	uint64_t h = 0;
	for (int i = 0; i < set->width; i++)
		h = mix(h, hash_value(&key[i]));
	return h;
}

static bool key_equal(const rt_keyset *set, long group, const rt_value_ref *key)
{
	const rt_value_ref *stored = &set->keys[(size_t)group * (size_t)set->width];
	for (int i = 0; i < set->width; i++)
		if (!rt__key_value_equal(&stored[i], &key[i]))
			return false;
	return true;
}

static int set_rehash(rt_keyset *set, size_t slot_count)
{
	long *slots = calloc(slot_count, sizeof(*slots));
	if (!slots)
		return rt__error_nomem();
	for (size_t g = 0; g < set->count; g++) {
		size_t i = set->hashes[g] & (slot_count - 1);
		while (slots[i])
			i = (i + 1) & (slot_count - 1);
		slots[i] = (long)g + 1;
	}
	free(set->slots);
	set->slots = slots;
	set->slot_count = slot_count;
	return RT_OK;
}

int rt__keyset_new(rt_keyset **out, int width, size_t expected)
{
	*out = NULL;
	rt_keyset *set = calloc(1, sizeof(*set));
	if (!set)
		return rt__error_nomem();
	set->width = width;
	size_t slots = 16;
	while (slots < expected * 2)
		slots *= 2;
	if (set_rehash(set, slots) < 0) {
		free(set);
		return RT_ENOMEM;
	}
	*out = set;
	return RT_OK;
}

void rt__keyset_free(rt_keyset *set)
{
	if (!set)
		return;
	free(set->keys);
	free(set->hashes);
	free(set->slots);
	free(set);
}

long rt__keyset_find(const rt_keyset *set, const rt_value_ref *key)
{
	uint64_t h = hash_key(set, key);
	size_t i = h & (set->slot_count - 1);
	for (; set->slots[i]; i = (i + 1) & (set->slot_count - 1)) {
		long g = set->slots[i] - 1;
		if (set->hashes[g] == h && key_equal(set, g, key))
			return g;
	}
	return -1;
}

static int set_grow(rt_keyset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 16;
	rt_value_ref *keys = realloc(set->keys, cap * (size_t)set->width * sizeof(*keys));
	if (!keys)
		return rt__error_nomem();
	set->keys = keys;
	uint64_t *hashes = realloc(set->hashes, cap * sizeof(*hashes));
	if (!hashes)
		return rt__error_nomem();
	set->hashes = hashes;
	set->cap = cap;
	return RT_OK;
}

long rt__keyset_add(rt_keyset *set, const rt_value_ref *key, bool *added)
{
	*added = false;
	uint64_t h = hash_key(set, key);
	size_t i = h & (set->slot_count - 1);
	for (; set->slots[i]; i = (i + 1) & (set->slot_count - 1)) {
		long g = set->slots[i] - 1;
		if (set->hashes[g] == h && key_equal(set, g, key))
			return g;
	}
	if (set->count == set->cap && set_grow(set) < 0)
		return -1;
	long g = (long)set->count++;
	memcpy(&set->keys[(size_t)g * (size_t)set->width], key,
	       (size_t)set->width * sizeof(*key));
	set->hashes[g] = h;
	set->slots[i] = g + 1;
	*added = true;
	/* Keep the table at most half full. */
	if (set->count * 2 > set->slot_count && set_rehash(set, set->slot_count * 2) < 0)
		return -1;
	return g;
}

const rt_value_ref *rt__keyset_key(const rt_keyset *set, long group)
{
	return &set->keys[(size_t)group * (size_t)set->width];
}

size_t rt__keyset_count(const rt_keyset *set)
{
	return set->count;
}
