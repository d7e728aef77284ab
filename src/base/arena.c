/*
 * arena.c - region allocator: a list of large blocks carved up in order.
 *
 * Allocation is a pointer bump; freeing is one walk over the block list.
 * Requests larger than a quarter of the block size get a block of their own
 * so that they do not waste the tail of the current block. Memory comes
 * back zeroed.
 *
 * Big arenas take big pages. Blocks start small and double up to 64 KiB,
 * so the many small arenas (one per migration script, say) stay small.
 * An arena that has grown past 4 MiB -- the schemas of a 10,000-table
 * database, the parse of the script that created it -- takes 2 MiB blocks
 * mapped straight from the kernel, aligned and advised as transparent huge
 * pages (MADV_HUGEPAGE), which are zero already. Why: each 4 KiB page is
 * a page fault on first touch, and `retort check` of 10,000 tables touched
 * 170 MB, 45,000 faults and 40% of its time (page faults are dear on a
 * virtual machine); with huge pages it took 3,000 and ran 1.7x faster.
 * Where the kernel has no huge pages (or says no), the blocks are ordinary
 * pages, as fast as before; where mapping fails, malloc's blocks again.
 *
 * A freed arena's mapped blocks are kept, up to a limit, for the next
 * arena that grows big: their pages are already there. `retort check` of
 * 10,000 tables frees the parse of its migration script (150 MB) and then
 * maps as much again for the models and the comparison; on a virtual
 * machine a page's first touch costs the kernel zeroing it and the host
 * backing it, a third of that command's CPU. A kept block is zeroed
 * again (by memset, which touches no new page) when it is taken. The
 * library keeps few (SPARE_DEFAULT: a program's memory is not ours to
 * hold); a short-lived process such as the command raises the limit
 * (rt__arena_keep_spare).
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, madvise */
#include "base/arena.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK_SIZE (64 * 1024)
#define ARENA_FIRST_BLOCK_SIZE 2048
#define ARENA_HUGE_AFTER (4u * 1024 * 1024)
#define ARENA_HUGE_BLOCK (2u * 1024 * 1024) /* x86-64's and arm64's huge page */
#define ARENA_ALIGN 16

#define SPARE_DEFAULT 4 /* mapped blocks kept: 8 MiB */

typedef struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	bool mapped; /* from mmap: ARENA_HUGE_BLOCK bytes, zero when mapped */
	/* payload follows, aligned */
} arena_block;

struct rt_arena {
	arena_block *head;
	size_t total;
};

static size_t header_size(void)
{
	return (sizeof(arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

/* Freed mapped blocks, for the next ones needed (any thread's). */
static struct {
	pthread_mutex_t lock;
	struct arena_block *blocks; /* through next */
	size_t count, limit;
} spare = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, SPARE_DEFAULT};

void rt__arena_keep_spare(size_t blocks)
{
	pthread_mutex_lock(&spare.lock);
	spare.limit = blocks;
	while (spare.count > spare.limit) {
		struct arena_block *block = spare.blocks;
		spare.blocks = block->next;
		spare.count--;
		munmap(block, ARENA_HUGE_BLOCK);
	}
	pthread_mutex_unlock(&spare.lock);
}

/* Keeps a freed mapped block, or gives it back to the kernel. */
static void block_unmap(struct arena_block *block)
{
	pthread_mutex_lock(&spare.lock);
	bool kept = spare.count < spare.limit;
	if (kept) {
		block->next = spare.blocks;
		spare.blocks = block;
		spare.count++;
	}
	pthread_mutex_unlock(&spare.lock);
	if (!kept)
		munmap(block, ARENA_HUGE_BLOCK);
}

/* A kept block, or NULL. */
static struct arena_block *block_reuse(void)
{
	pthread_mutex_lock(&spare.lock);
	struct arena_block *block = spare.blocks;
	if (block) {
		spare.blocks = block->next;
		spare.count--;
	}
	pthread_mutex_unlock(&spare.lock);
	if (block)
		memset(block, 0, ARENA_HUGE_BLOCK);
	return block;
}

rt_arena *rt__arena_new(void)
{
	return calloc(1, sizeof(rt_arena));
}

void rt__arena_free(rt_arena *arena)
{
	if (!arena)
		return;
	arena_block *block = arena->head;
	while (block) {
		arena_block *next = block->next;
		if (block->mapped)
			block_unmap(block);
		else
			free(block);
		block = next;
	}
	free(arena);
}

static arena_block *block_new(size_t payload)
{
	if (payload > SIZE_MAX - header_size())
		return NULL;
	arena_block *block = malloc(header_size() + payload);
	if (!block)
		return NULL;
	block->next = NULL;
	block->size = payload;
	block->used = 0;
	block->mapped = false;
	return block;
}

/* An ARENA_HUGE_BLOCK block at an address aligned to its size (a huge
 * page can back only an aligned range), or NULL. */
static arena_block *block_map(void)
{
	arena_block *block = block_reuse();
	if (!block) {
		size_t span = 2 * (size_t)ARENA_HUGE_BLOCK;
		char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				 -1, 0);
		if (raw == MAP_FAILED)
			return NULL;
		char *start = (char *)(((uintptr_t)raw + ARENA_HUGE_BLOCK - 1) &
				       ~(uintptr_t)(ARENA_HUGE_BLOCK - 1));
		char *end = start + ARENA_HUGE_BLOCK;
		if (start > raw)
			munmap(raw, (size_t)(start - raw));
		if (raw + span > end)
			munmap(end, (size_t)(raw + span - end));
#ifdef MADV_HUGEPAGE
		madvise(start, ARENA_HUGE_BLOCK, MADV_HUGEPAGE); /* a hint: may say no */
#endif
		block = (arena_block *)start;
	}
	block->next = NULL;
	block->size = ARENA_HUGE_BLOCK - header_size();
	block->used = 0;
	block->mapped = true;
	return block;
}

/* The next shared block, with room for at least `need` bytes (at most a
 * quarter of ARENA_BLOCK_SIZE): it about doubles what the arena holds, up
 * to ARENA_BLOCK_SIZE; past ARENA_HUGE_AFTER, a mapped one. */
static arena_block *block_next(const rt_arena *arena, size_t need)
{
	if (arena->total >= ARENA_HUGE_AFTER) {
		arena_block *block = block_map();
		if (block)
			return block;
	}
	size_t block_size = arena->total;
	if (block_size < ARENA_FIRST_BLOCK_SIZE)
		block_size = ARENA_FIRST_BLOCK_SIZE;
	if (block_size > ARENA_BLOCK_SIZE)
		block_size = ARENA_BLOCK_SIZE;
	if (block_size < need)
		block_size = need;
	return block_new(block_size);
}

/* size bytes at an address that is a multiple of align (a power of two up
 * to ARENA_ALIGN), zeroed when zero is set. Text takes align 1: a session
 * holding 100,000 rows' strings would otherwise pay a third more for
 * rounding; and no zeroing, since its copy covers every byte (clearing
 * each loaded string first was a twentieth of loading rows). */
static void *take(rt_arena *arena, size_t size, size_t align, bool zero)
{
	if (!arena)
		return NULL;
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - 2 * ARENA_ALIGN)
		return NULL;

	/* align is a power of two: a mask, not a division (two of those were
	 * half of this function's time when loading rows). */
	arena_block *block = arena->head;
	size_t pad = block ? (0 - block->used) & (align - 1) : 0;
	if (!block || block->size - block->used < size + pad) {
		size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
		if (rounded > ARENA_BLOCK_SIZE / 4) {
			/* A big request: give it its own block behind the head so
			 * the head's free tail stays usable. */
			arena_block *big = block_new(rounded);
			if (!big)
				return NULL;
			big->used = rounded;
			if (block) {
				big->next = block->next;
				block->next = big;
			} else {
				arena->head = big;
			}
			arena->total += rounded;
			void *memory = (char *)big + header_size();
			if (zero)
				memset(memory, 0, rounded);
			return memory;
		}
		block = block_next(arena, rounded);
		if (!block)
			return NULL;
		block->next = arena->head;
		arena->head = block;
		pad = 0; /* a block's payload starts aligned */
	}
	void *memory = (char *)block + header_size() + block->used + pad;
	block->used += pad + size;
	arena->total += pad + size;
	if (zero && !block->mapped) /* a mapped block's bytes are handed out once */
		memset(memory, 0, size);
	return memory;
}

void *rt__arena_alloc(rt_arena *arena, size_t size)
{
	return take(arena, size, ARENA_ALIGN, true);
}

char *rt__arena_strndup(rt_arena *arena, const char *text, size_t len)
{
	if (!text)
		return NULL;
	if (len == SIZE_MAX)
		return NULL;
	char *copy = take(arena, len + 1, 1, false);
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

char *rt__arena_strdup(rt_arena *arena, const char *text)
{
	if (!text)
		return NULL;
	return rt__arena_strndup(arena, text, strlen(text));
}

char *rt__arena_strdup_lower(rt_arena *arena, const char *text)
{
	char *copy = rt__arena_strdup(arena, text);
	for (char *c = copy; c && *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return copy;
}

char *rt__arena_vprintf(rt_arena *arena, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		return NULL;
	char *out = rt__arena_alloc(arena, (size_t)len + 1);
	if (!out)
		return NULL;
	vsnprintf(out, (size_t)len + 1, fmt, ap);
	return out;
}

char *rt__arena_printf(rt_arena *arena, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *out = rt__arena_vprintf(arena, fmt, ap);
	va_end(ap);
	return out;
}

int rt__arena_reserve(rt_arena *arena, void **items, size_t *cap, size_t need,
		      size_t elem_size)
{
	if (need <= *cap)
		return 0;
	size_t new_cap = *cap ? *cap * 2 : 8;
	while (new_cap < need)
		new_cap *= 2;
	if (elem_size && new_cap > SIZE_MAX / elem_size)
		return -1;
	void *grown = rt__arena_alloc(arena, new_cap * elem_size);
	if (!grown)
		return -1;
	if (*items && *cap)
		memcpy(grown, *items, *cap * elem_size);
	*items = grown;
	*cap = new_cap;
	return 0;
}

size_t rt__arena_used(const rt_arena *arena)
{
	return arena ? arena->total : 0;
}
