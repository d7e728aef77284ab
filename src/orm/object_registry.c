/*
 * object_registry.c - the process-wide registry of the memory sessions
 * own (orm.h: rt__registry_*), so that a pointer handed to the API is
 * checked before anything reads through it.
 *
 * Every slab of objects and every open session struct is entered as an
 * address range; a lookup finds the range holding a pointer, or nothing
 * for a stack struct, a pointer into the middle of an object or memory
 * of a closed session. A per-thread cache of the last ranges hit, checked
 * against a generation counter that every removal bumps, makes the common
 * lookup a few compares with no lock; the rest takes a read lock and a
 * binary search.
 */
#include "orm/orm.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* ------------------------------------------------------------------------ */
/* The registry of live memory                                               */
/* ------------------------------------------------------------------------ */

typedef struct range {
	uintptr_t start, end;
	rt_session *session;
} range;

static pthread_rwlock_t registry_lock = PTHREAD_RWLOCK_INITIALIZER;
static range *ranges;
static size_t range_count, range_cap;
static atomic_uint_fast64_t registry_generation = 1;

/* Per thread, the last two ranges found for each kind of lookup (a
 * session, an object), the newer first: a loop that alternates the kinds
 * hits both, and so does one that alternates objects of two slabs (a new
 * post linked to a user loaded earlier, W3), which with one range missed
 * twice a row. */
enum { HIT_SESSION, HIT_OBJECT, HIT_KINDS };
enum { HIT_WAYS = 2 };
typedef struct hit {
	uintptr_t start, end;
	rt_session *session;
	uint_fast64_t generation;
} hit;
static _Thread_local hit last_hit[HIT_KINDS][HIT_WAYS];

/* Index of the first range whose start is > address. */
static size_t upper_bound(uintptr_t address)
{
	size_t lo = 0, hi = range_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ranges[mid].start <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int rt__registry_add(const void *start, size_t size, rt_session *session)
{
	uintptr_t a = (uintptr_t)start;
	pthread_rwlock_wrlock(&registry_lock);
	if (range_count == range_cap) {
		size_t cap = range_cap ? range_cap * 2 : 64;
		range *grown = realloc(ranges, cap * sizeof(*grown));
		if (!grown) {
			pthread_rwlock_unlock(&registry_lock);
			return rt__error_nomem();
		}
		ranges = grown;
		range_cap = cap;
	}
	size_t at = upper_bound(a);
	memmove(&ranges[at + 1], &ranges[at], (range_count - at) * sizeof(*ranges));
	ranges[at].start = a;
	ranges[at].end = a + size;
	ranges[at].session = session;
	range_count++;
	pthread_rwlock_unlock(&registry_lock);
	return RT_OK;
}

/* Forgets every range of session. */
void rt__registry_remove_session(rt_session *session)
{
	pthread_rwlock_wrlock(&registry_lock);
	size_t kept = 0;
	for (size_t i = 0; i < range_count; i++)
		if (ranges[i].session != session)
			ranges[kept++] = ranges[i];
	range_count = kept;
	if (range_count == 0) {
		free(ranges);
		ranges = NULL;
		range_cap = 0;
	}
	atomic_fetch_add(&registry_generation, 1);
	pthread_rwlock_unlock(&registry_lock);
}

static bool hit_holds(const hit *h, uint_fast64_t generation, uintptr_t address, size_t size)
{
	return h->generation == generation && address >= h->start && address + size <= h->end &&
	       address + size > address;
}

/* registry_find when the cache missed: the read lock and a binary
 * search. Apart, so that the hit path saves fewer registers. */
static __attribute__((noinline)) rt_session *registry_search(uintptr_t address, size_t size,
							     hit *hits)
{
	rt_session *found = NULL;
	pthread_rwlock_rdlock(&registry_lock);
	size_t at = upper_bound(address);
	if (at > 0) {
		const range *r = &ranges[at - 1];
		if (address + size <= r->end && address + size > address) {
			found = r->session;
			/* The newest first; the older of the two is dropped. */
			memmove(&hits[1], &hits[0], (HIT_WAYS - 1) * sizeof(*hits));
			hits[0] = (hit){r->start, r->end, r->session,
					atomic_load(&registry_generation)};
		}
	}
	pthread_rwlock_unlock(&registry_lock);
	return found;
}

/* The session owning [address, address + size), or NULL. */
static inline rt_session *registry_find(uintptr_t address, size_t size, int kind)
{
	uint_fast64_t generation = atomic_load(&registry_generation);
	hit *hits = last_hit[kind];
	for (int w = 0; w < HIT_WAYS; w++)
		if (hit_holds(&hits[w], generation, address, size))
			return hits[w].session;
	return registry_search(address, size, hits);
}

rt_session *rt__registry_owner(const void *memory, size_t size)
{
	return memory ? registry_find((uintptr_t)memory, size, HIT_OBJECT) : NULL;
}

bool rt__registry_has_session(const rt_session *session)
{
	return session &&
	       registry_find((uintptr_t)session, sizeof(*session), HIT_SESSION) == session;
}
