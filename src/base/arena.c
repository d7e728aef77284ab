/*
 * arena.c - region allocator: a list of large blocks carved up in order.
 *
 * Allocation is a pointer bump; freeing is one walk over the block list.
 * Requests larger than a quarter of the block size get a block of their own
 * so that they do not waste the tail of the current block.
 */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_SIZE (64 * 1024)
/* Blocks start small and double up to ARENA_BLOCK_SIZE, so that the many
 * small arenas (one per migration script, say) stay small. */
#define ARENA_FIRST_BLOCK_SIZE 2048
#define ARENA_ALIGN 16

typedef struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
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
	return block;
}

void *rt__arena_alloc(rt_arena *arena, size_t size)
{
	if (!arena)
		return NULL;
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	arena_block *block = arena->head;
	if (!block || block->size - block->used < size) {
		if (size > ARENA_BLOCK_SIZE / 4) {
			/* A big request: give it its own block behind the head so
			 * the head's free tail stays usable. */
			arena_block *big = block_new(size);
			if (!big)
				return NULL;
			big->used = size;
			if (block) {
				big->next = block->next;
				block->next = big;
			} else {
				arena->head = big;
			}
			arena->total += size;
			void *memory = (char *)big + header_size();
			memset(memory, 0, size);
			return memory;
		}
		/* Each new block about doubles what the arena holds. */
		size_t block_size = arena->total;
		if (block_size < ARENA_FIRST_BLOCK_SIZE)
			block_size = ARENA_FIRST_BLOCK_SIZE;
		if (block_size > ARENA_BLOCK_SIZE)
			block_size = ARENA_BLOCK_SIZE;
		if (block_size < size)
			block_size = size;
		block = block_new(block_size);
		if (!block)
			return NULL;
		block->next = arena->head;
		arena->head = block;
	}
	void *memory = (char *)block + header_size() + block->used;
	block->used += size;
	arena->total += size;
	memset(memory, 0, size);
	return memory;
}

char *rt__arena_strndup(rt_arena *arena, const char *text, size_t len)
{
	if (!text)
		return NULL;
	if (len == SIZE_MAX)
		return NULL;
	char *copy = rt__arena_alloc(arena, len + 1);
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
