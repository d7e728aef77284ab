/*
 * object_memory.c - the memory of mapped objects: the slabs a session
 * carves them from, the layout of one object (header, struct, snapshot,
 * and the header's rarely used part), and the count of what a session
 * holds (rt__session_memory, the benchmark's memory figure).
 *
 * Objects live in slabs that the session allocates and frees with itself;
 * each slab is entered in the registry of live memory (object_registry.c)
 * so that a pointer can be checked before its header is read. A loaded
 * row is paid for by every program that holds many, so the layout is
 * tight: a 48-byte header, the struct, and a snapshot of only its columns
 * and to-one pointers, aligned to 8 (docs/benchmarks.md, "Memory per
 * loaded object").
 */
#include "orm/orm.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* ------------------------------------------------------------------------ */
/* Slabs                                                                     */
/* ------------------------------------------------------------------------ */

typedef struct rt_slab {
	struct rt_slab *next;
	size_t size;
} rt_slab;

#define SLAB_ALIGN alignof(max_align_t)
/* What the pieces of a slab are aligned to: the most a field of a
 * generated struct needs (int64_t, double, pointers). Not max_align_t's
 * 16: an object of 152 bytes would take 160. */
#define PIECE_ALIGN 8
#define SLAB_FIRST (16 * 1024)
#define SLAB_MAX (1024 * 1024)
/* Full-size slabs a closed session leaves are kept, up to this many, for
 * the next session of the process: a program that loads 100,000 objects
 * per request would otherwise get fresh pages from the kernel (and fault
 * on every one) each time, where hand-written code gets malloc's reused
 * heap. */
#define SPARE_SLABS_MAX 32

static pthread_mutex_t spare_mutex = PTHREAD_MUTEX_INITIALIZER;
static rt_slab *spare_slabs;
static int spare_count;

static rt_slab *spare_take(void)
{
	pthread_mutex_lock(&spare_mutex);
	rt_slab *slab = spare_slabs;
	if (slab) {
		spare_slabs = slab->next;
		spare_count--;
	}
	pthread_mutex_unlock(&spare_mutex);
	return slab;
}

/* Keeps a full-size slab for reuse, or frees it. */
static void spare_give(rt_slab *slab)
{
	if (slab->size == SLAB_MAX) {
		pthread_mutex_lock(&spare_mutex);
		bool kept = spare_count < SPARE_SLABS_MAX;
		if (kept) {
			slab->next = spare_slabs;
			spare_slabs = slab;
			spare_count++;
		}
		pthread_mutex_unlock(&spare_mutex);
		if (kept)
			return;
	}
	free(slab);
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

/* The header is a multiple of the pieces' alignment, so the struct right
 * after it is aligned as its fields need. */
_Static_assert(sizeof(rt_object) % PIECE_ALIGN == 0, "rt_object keeps structs aligned");

size_t rt__object_header_size(void)
{
	return sizeof(rt_object);
}

const rt_object_more rt__object_more_none = {0};

/* The snapshot is aligned as the struct is (rt__object_snapshot). */
#define SNAPSHOT_ALIGN PIECE_ALIGN

/* How much of a struct of model the snapshot holds: up to the end of its
 * last column or to-one pointer. Collections (rt_list fields) after those
 * are left out: they have snapshots of their own. */
static size_t snapshot_size_of(const rt_model_desc *model)
{
	size_t end = 0;
	for (int i = 0; i < model->column_count; i++) {
		size_t e = rt__field_end(&model->columns[i]);
		if (e > end)
			end = e;
	}
	for (int i = 0; i < model->relationship_count; i++) {
		const rt_relationship_desc *rel = &model->relationships[i];
		size_t e = rel->offset + sizeof(void *);
		bool to_one = rel->kind == RT_RELATIONSHIP_MANY_TO_ONE ||
			      rel->kind == RT_RELATIONSHIP_ONE_TO_ONE;
		if (to_one && e > end)
			end = e;
	}
	return end < model->size ? end : model->size;
}

size_t rt__snapshot_size(rt_session *session, const rt_model_desc *model)
{
	/* Direct-mapped by the model's address: a load alternates between
	 * a few models at most. */
	size_t i = ((uintptr_t)model >> 4) % RT_SNAPSHOT_SIZES;
	if (session->snapshot_models[i] != model) {
		session->snapshot_sizes[i] = snapshot_size_of(model);
		session->snapshot_models[i] = model;
	}
	return session->snapshot_sizes[i];
}

/* size bytes of slab, the first `zeroed` of them set to zero. */
static void *slab_alloc_part(rt_session *session, size_t size, size_t zeroed)
{
	size = round_up(size, PIECE_ALIGN);
	if ((size_t)(session->slab_end - session->slab_next) < size || !session->slab_next) {
		size_t payload = session->slabs ? session->slabs->size * 2 : SLAB_FIRST;
		if (payload > SLAB_MAX)
			payload = SLAB_MAX;
		if (payload < size)
			payload = size;
		size_t head = round_up(sizeof(rt_slab), SLAB_ALIGN);
		rt_slab *slab = payload == SLAB_MAX ? spare_take() : NULL;
		if (!slab)
			slab = malloc(head + payload);
		if (!slab)
			return NULL;
		slab->size = payload;
		char *start = (char *)slab + head;
		if (rt__registry_add(start, payload, session) < 0) {
			spare_give(slab);
			return NULL;
		}
		slab->next = session->slabs;
		session->slabs = slab;
		session->slab_next = start;
		session->slab_end = start + payload;
	}
	void *memory = session->slab_next;
	session->slab_next += size;
	memset(memory, 0, zeroed < size ? zeroed : size);
	return memory;
}

static void *slab_alloc(rt_session *session, size_t size)
{
	return slab_alloc_part(session, size, size);
}

void *rt__session_registered_alloc(rt_session *session, size_t size)
{
	void *memory = slab_alloc(session, size);
	if (!memory)
		rt__error_nomem();
	return memory;
}

size_t rt__session_memory(const rt_session *session)
{
	size_t bytes = 0;
	for (const rt_slab *slab = session->slabs; slab; slab = slab->next)
		bytes += round_up(sizeof(rt_slab), SLAB_ALIGN) + slab->size;
	/* The newest slab's unused end is not the objects'. */
	if (session->slabs)
		bytes -= (size_t)(session->slab_end - session->slab_next);
	bytes += rt__arena_used(session->arena);
	bytes += rt__identity_bytes(session->identity);
	return bytes + session->object_capacity * sizeof(*session->objects);
}

void rt__object_slabs_free(rt_session *session)
{
	rt_slab *slab = session->slabs;
	while (slab) {
		rt_slab *next = slab->next;
		spare_give(slab);
		slab = next;
	}
	session->slabs = NULL;
	session->slab_next = session->slab_end = NULL;
}

/* An object of model: header, struct and snapshot in one piece of slab,
 * and its rarely used part after them when with_more. The session is one
 * its caller has checked (every public entry does, once): this runs for
 * every row a query loads, and the check, a registry lookup, cost a
 * third of it. */
static int object_alloc(rt_session *session, const rt_model_desc *model, bool with_more,
			rt_object **out)
{
	*out = NULL;
	size_t head = rt__object_header_size();
	size_t body = round_up(model->size, SNAPSHOT_ALIGN);
	size_t snapshot = round_up(rt__snapshot_size(session, model), SNAPSHOT_ALIGN);
	/* A new object comes with the bits of its set columns too
	 * (object_set.c): a program that makes one nearly always sets some,
	 * and they then cost no allocation of their own. */
	size_t words = ((size_t)model->column_count + 63) / 64;
	size_t more = with_more ? sizeof(rt_object_more) + words * sizeof(uint64_t) : 0;
	/* The snapshot is always written (copied from the struct) before it
	 * is read: only header and struct need zeroing. */
	rt_object *object = slab_alloc_part(session, head + body + snapshot + more, head + body);
	if (!object)
		return rt__error_nomem();
	object->magic = RT_OBJECT_MAGIC;
	object->state = RT_STATE_DETACHED;
	object->session = session;
	object->model = model;
	if (with_more) {
		object->more = (rt_object_more *)(void *)((char *)object + head + body + snapshot);
		/* rt__object_more_none and no column set: all zero. */
		memset(object->more, 0, more);
		object->more->assigned = (uint64_t *)(void *)(object->more + 1);
	}
	*out = object;
	return RT_OK;
}

int rt__object_alloc(rt_session *session, const rt_model_desc *model, rt_object **out)
{
	return object_alloc(session, model, false, out);
}

int rt__object_alloc_new(rt_session *session, const rt_model_desc *model, rt_object **out)
{
	return object_alloc(session, model, true, out);
}

rt_object_more *rt__more_make(rt_object *object)
{
	if (object->more)
		return object->more;
	rt_object_more *more = rt__arena_alloc(object->session->arena, sizeof(*more));
	if (!more) {
		rt__error_nomem();
		return NULL;
	}
	*more = rt__object_more_none;
	return object->more = more;
}

