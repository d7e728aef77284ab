/*
 * identity.c - the identity map: (model, primary key) -> the one object of
 * the session that stands for that row.
 *
 * One table per model, each open addressing with linear probing over a
 * power-of-two array of (hash, index) slots, so a lookup is one hash of
 * the key fields and, almost always, one comparison. A slot names its
 * object by its index in the session's list of objects (session->objects,
 * object->slot), 32 bits, not by pointer: with 32 bits of the hash that
 * makes a slot 8 bytes, and a session holding 100,000 rows pays 10 to 20
 * bytes per row for its map. The flush, which squeezes holes out of that
 * list, tells the map where an object moved (rt__identity_moved).
 *
 * A plain integer key is its own hash: rows loaded or inserted in key
 * order fill neighbouring slots, and a load of 100,000 rows stays in
 * cache (mixing every key cost that load a tenth of its time in cache
 * misses, the table being 1 MB). But integer keys can make long runs:
 * keys past the table's size wrap onto the keys below them (an upsert of
 * 100,000 users whose new and old ids came interleaved spent 70% of its
 * time probing), and keys with a common stride share a few slots. So a
 * table whose probe runs past LONG_RUN slots is rebuilt with its hashes
 * mixed, for good: keys in order keep their locality, other keys lose
 * it but never make runs that long again. Each
 * object remembers the hash it was filed under (its key may change in
 * memory before the next flush), so removing it never needs its current
 * key. Removal leaves a tombstone rather than shifting the rest of the
 * probe run back (that shifting made a flush's deletes quadratic once).
 * Tombstones are cleared when the table is rebuilt, which happens once
 * they and the objects fill 4/5 of it.
 */
#include "orm/orm.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* index: 0 empty, TOMBSTONE removed, else the object's slot + 1. */
typedef struct slot {
	uint32_t hash;
	uint32_t index;
} slot;

typedef struct model_table {
	const rt_model_desc *model;
	slot *slots;
	size_t cap;   /* a power of two, or 0 */
	size_t count;
	size_t tombstones;
	/* Slots are found from the key's hash mixed (after a run grew too
	 * long), not from the hash itself: the top of the file says why. */
	bool mixed;
} model_table;

/* A probe this long makes its table mix hashes from then on. */
#define LONG_RUN 64

/* What a removed object's slot holds: not empty (a probe goes on past it),
 * not an object. */
#define TOMBSTONE UINT32_MAX

/* Keep objects and tombstones under 4/5 of the slots. With the hash in
 * the slot a probe past another key reads no object, and eight slots
 * share a cache line, so the longer runs of a fuller table cost little;
 * integer keys in order (the usual load) make no runs at all. */
#define LOAD_NUM 4
#define LOAD_DEN 5

struct rt_identity_map {
	rt_session *session;   /* whose objects the slots index */
	model_table *tables;   /* one per model met so far; few */
	size_t table_count, table_capacity;
	model_table *last;     /* the one used last: loads stay on one model */
	size_t count;          /* objects in all tables */
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint64_t hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* The hash of the model and the primary-key fields of body. Equal keys
 * (as rt__field_equal sees them) hash equal. */
uint64_t rt__identity_hash(const rt_model_desc *model, const void *body)
{
	uint64_t h = 0x2545f4914f6cdd1dull;
	if (model->primary_key_count == 1) {
		/* The common key, a plain 64-bit integer, is its own hash
		 * (the top of the file says why); the high half folded in
		 * keeps keys that differ only there apart. */
		const rt_column_desc *c = &model->columns[model->primary_key[0]];
		if (c->kind == RT_FIELD_INT64 && !(c->flags & RT_COLUMN_NULLABLE)) {
			int64_t v;
			memcpy(&v, (const char *)body + c->offset, sizeof(v));
			return (uint64_t)v ^ ((uint64_t)v >> 32);
		}
	}
	for (int k = 0; k < model->primary_key_count; k++) {
		const rt_column_desc *c = &model->columns[model->primary_key[k]];
		rt_value_ref v = rt__field_value(c, body);
		uint64_t part;
		switch ((int)v.kind) {
		case 0:
			part = 0x6e756c6c;
			break;
		case RT_FIELD_NUMERIC:
		case RT_FIELD_TEXT:
		case RT_FIELD_JSON:
			part = hash_bytes(1469598103934665603ull, v.as.s, strlen(v.as.s));
			break;
		case RT_FIELD_BLOB:
			part = hash_bytes(1469598103934665603ull, v.as.bytes.data, v.as.bytes.len);
			break;
		case RT_FIELD_FLOAT:
		case RT_FIELD_DOUBLE:
			memcpy(&part, &v.as.d, sizeof(part));
			break;
		case RT_FIELD_DATE:
			part = (uint64_t)v.as.date.year << 16 | (uint64_t)v.as.date.month << 8 |
			       v.as.date.day;
			break;
		case RT_FIELD_TIME:
			part = ((uint64_t)v.as.time.hour << 16 | (uint64_t)v.as.time.minute << 8 |
				v.as.time.second) << 20 | v.as.time.microsecond;
			break;
		case RT_FIELD_TIMESTAMP:
		case RT_FIELD_TIMESTAMPTZ: {
			rt_timestamp t = v.as.timestamp;
			part = ((uint64_t)t.date.year << 16 | (uint64_t)t.date.month << 8 |
				t.date.day) * 86400000000ull +
			       (((uint64_t)t.time.hour * 60 + t.time.minute) * 60 + t.time.second) *
				       1000000ull + t.time.microsecond;
			break;
		}
		case RT_FIELD_UUID:
			part = hash_bytes(1469598103934665603ull, v.as.uuid.bytes, 16);
			break;
		default: /* integers, bool, enum */
			part = (uint64_t)v.as.i;
			break;
		}
		h = mix64(h ^ (part + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2)));
	}
	return h;
}

static bool same_key(const rt_model_desc *model, const void *a, const void *b)
{
	for (int k = 0; k < model->primary_key_count; k++)
		if (!rt__field_equal(&model->columns[model->primary_key[k]], a, b))
			return false;
	return true;
}

struct rt_identity_map *rt__identity_new(rt_session *session)
{
	/* The map lives in the session arena; its tables are on the heap
	 * because they are regrown (rt__identity_free releases them). */
	struct rt_identity_map *map = rt__arena_alloc(session->arena, sizeof(*map));
	if (!map)
		rt__error_nomem();
	else
		map->session = session;
	return map;
}

/* The object a slot names. */
static rt_object *object_at(const struct rt_identity_map *map, const slot *s)
{
	return map->session->objects[s->index - 1];
}

void rt__identity_free(struct rt_identity_map *map)
{
	if (!map)
		return;
	for (size_t i = 0; i < map->table_count; i++)
		free(map->tables[i].slots);
	free(map->tables);
	memset(map, 0, sizeof(*map));
}

size_t rt__identity_count(const struct rt_identity_map *map)
{
	return map ? map->count : 0;
}

size_t rt__identity_bytes(const struct rt_identity_map *map)
{
	if (!map)
		return 0;
	size_t bytes = sizeof(*map) + map->table_capacity * sizeof(*map->tables);
	for (size_t i = 0; i < map->table_count; i++)
		bytes += map->tables[i].cap * sizeof(slot);
	return bytes;
}

/* The model's table, or NULL when it has none yet. */
static model_table *table_of(struct rt_identity_map *map, const rt_model_desc *model)
{
	/* Every model of an inheritance tree is filed under its root: a
	 * row is one object whichever model it was queried as. */
	while (model->parent)
		model = model->parent;
	if (map->last && map->last->model == model)
		return map->last;
	for (size_t i = 0; i < map->table_count; i++)
		if (map->tables[i].model == model)
			return map->last = &map->tables[i];
	return NULL;
}

/* The model's table, made when missing. */
static model_table *table_for(struct rt_identity_map *map, const rt_model_desc *model)
{
	while (model->parent)
		model = model->parent;
	model_table *table = table_of(map, model);
	if (table)
		return table;
	if (map->table_count == map->table_capacity) {
		size_t capacity = map->table_capacity ? map->table_capacity * 2 : 8;
		model_table *grown = realloc(map->tables, capacity * sizeof(*grown));
		if (!grown) {
			rt__error_nomem();
			return NULL;
		}
		map->tables = grown;
		map->table_capacity = capacity;
	}
	table = &map->tables[map->table_count++];
	memset(table, 0, sizeof(*table));
	table->model = model;
	return map->last = table;
}

/* The slot where a probe for hash starts. */
static size_t home(bool mixed, uint32_t hash, size_t cap)
{
	return (mixed ? (uint32_t)mix64(hash) : hash) & (cap - 1);
}

rt_object *rt__identity_find(struct rt_identity_map *map, const rt_model_desc *model,
			     const void *body)
{
	if (!map || map->count == 0)
		return NULL;
	model_table *table = table_of(map, model);
	if (!table || table->count == 0)
		return NULL;
	uint32_t h = (uint32_t)rt__identity_hash(model, body);
	size_t mask = table->cap - 1;
	for (size_t i = home(table->mixed, h, table->cap);; i = (i + 1) & mask) {
		const slot *s = &table->slots[i];
		if (!s->index)
			return NULL;
		if (s->index != TOMBSTONE && s->hash == h) {
			rt_object *o = object_at(map, s);
			if (same_key(model, RT_OBJECT_BODY(o), body))
				return o;
		}
	}
}

/* Files (hash, index) in the first free slot of its probe run; true when
 * that slot held a tombstone. *run: how many slots it went past. */
static bool place(slot *slots, size_t cap, bool mixed, uint32_t hash, uint32_t index,
		  size_t *run)
{
	size_t mask = cap - 1;
	size_t i = home(mixed, hash, cap);
	*run = 0;
	while (slots[i].index && slots[i].index != TOMBSTONE) {
		i = (i + 1) & mask;
		++*run;
	}
	bool reused = slots[i].index == TOMBSTONE;
	slots[i].hash = hash;
	slots[i].index = index;
	return reused;
}

/* Whether a table of cap slots holding `used` objects and tombstones is
 * too full. */
static bool too_full(size_t used, size_t cap)
{
	return used * LOAD_DEN > cap * LOAD_NUM;
}

/* Rebuilds the table, without tombstones, to hold `need` objects at a
 * load of at most LOAD_NUM/LOAD_DEN, its hashes mixed when `mixed`. */
static int rebuild(model_table *table, size_t need, bool mixed)
{
	size_t cap = 64;
	while (too_full(need, cap))
		cap *= 2;
	slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return rt__error_nomem();
	size_t run;
	for (size_t i = 0; i < table->cap; i++) {
		const slot *s = &table->slots[i];
		if (s->index && s->index != TOMBSTONE)
			place(slots, cap, mixed, s->hash, s->index, &run);
	}
	table->mixed = mixed;
	free(table->slots);
	table->slots = slots;
	table->cap = cap;
	table->tombstones = 0;
	return RT_OK;
}

int rt__identity_put(struct rt_identity_map *map, rt_object *object)
{
	if (!map)
		return rt__error_set(RT_EINVAL, "identity map: none");
	if (!object->tracked || map->session->objects[object->slot] != object)
		return rt__error_set(RT_EINVAL, "identity map: the object is not the session's");
	if (object->in_identity)
		rt__identity_remove(map, object);
	model_table *table = table_for(map, object->model);
	if (!table)
		return RT_ENOMEM;
	if (too_full(table->count + table->tombstones + 1, table->cap)) {
		int rc = rebuild(table, table->count + 1, table->mixed);
		if (rc < 0)
			return rc;
	}
	object->identity_hash = (uint32_t)rt__identity_hash(object->model, RT_OBJECT_BODY(object));
	size_t run;
	if (place(table->slots, table->cap, table->mixed, object->identity_hash, object->slot + 1,
		  &run))
		table->tombstones--;
	object->in_identity = true;
	table->count++;
	map->count++;
	/* A run this long will be walked again by every probe that starts
	 * in it: keys that wrap or share a stride. Mixed, they spread. A
	 * failed rebuild leaves the table as it is, long runs and all. */
	if (run > LONG_RUN && !table->mixed)
		(void)rebuild(table, table->count, true);
	return RT_OK;
}

int rt__identity_reserve(struct rt_identity_map *map, const rt_model_desc *model, size_t more)
{
	if (!map)
		return RT_OK;
	model_table *table = table_for(map, model);
	if (!table)
		return RT_ENOMEM;
	if (!too_full(table->count + table->tombstones + more, table->cap))
		return RT_OK;
	return rebuild(table, table->count + more, table->mixed);
}

/* The slot that files object (at session->objects[index - 1]), or NULL. */
static slot *slot_of(struct rt_identity_map *map, const rt_object *object, uint32_t index)
{
	model_table *table = table_of(map, object->model);
	if (!table || table->cap == 0)
		return NULL;
	size_t mask = table->cap - 1;
	for (size_t i = home(table->mixed, object->identity_hash, table->cap);;
	     i = (i + 1) & mask) {
		slot *s = &table->slots[i];
		if (!s->index)
			return NULL;
		if (s->index == index && object_at(map, s) == object)
			return s;
	}
}

void rt__identity_moved(struct rt_identity_map *map, rt_object *object, uint32_t old_slot)
{
	if (!map || !object->in_identity)
		return;
	slot *s = slot_of(map, object, old_slot + 1);
	if (s)
		s->index = object->slot + 1;
}

void rt__identity_remove(struct rt_identity_map *map, rt_object *object)
{
	if (!map || !object->in_identity)
		return;
	model_table *table = table_of(map, object->model);
	slot *s = object->tracked ? slot_of(map, object, object->slot + 1) : NULL;
	if (!s)
		return; /* not there: nothing to do */
	s->index = TOMBSTONE;
	table->tombstones++;
	table->count--;
	map->count--;
	object->in_identity = false;
}
