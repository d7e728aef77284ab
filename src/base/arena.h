/*
 * arena.h - region allocator.
 *
 * A parse, a schema or a session owns one arena; everything allocated from it
 * is released together by rt__arena_free. This is the project's main
 * ownership rule: objects never need freeing one by one.
 */
#ifndef RT_BASE_ARENA_H
#define RT_BASE_ARENA_H

#include <stddef.h>
#include <stdarg.h>

typedef struct rt_arena rt_arena;

/* Returns NULL when out of memory. */
rt_arena *rt__arena_new(void);
void rt__arena_free(rt_arena *arena);

/* Zeroed memory aligned for any type; NULL when out of memory. */
void *rt__arena_alloc(rt_arena *arena, size_t size);
char *rt__arena_strdup(rt_arena *arena, const char *text);
char *rt__arena_strndup(rt_arena *arena, const char *text, size_t len);
/* A copy with ASCII letters in lower case (names whose case does not
 * count); NULL stays NULL. */
char *rt__arena_strdup_lower(rt_arena *arena, const char *text);
char *rt__arena_printf(rt_arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *rt__arena_vprintf(rt_arena *arena, const char *fmt, va_list ap);

/*
 * Makes room for at least `need` elements of `elem_size` bytes in the array
 * *items whose capacity is *cap, copying the old contents into a larger
 * block from the arena. Returns 0, or -1 when out of memory (the array is
 * left unchanged).
 */
int rt__arena_reserve(rt_arena *arena, void **items, size_t *cap, size_t need,
		      size_t elem_size);

/* Appends one pointer to a pointer array kept as (items, count, cap). */
#define RT_ARENA_PUSH(arena, items, count, cap, value)                        \
	(rt__arena_reserve((arena), (void **)&(items), &(cap), (count) + 1,   \
			   sizeof(*(items))) == 0                             \
		 ? ((items)[(count)++] = (value), 0)                           \
		 : -1)

/* How many freed big blocks (2 MiB each) the process keeps for reuse
 * instead of giving them back to the kernel (arena.c says why); the
 * default is a few. A short-lived process that builds and frees big
 * arenas one after another raises it. */
void rt__arena_keep_spare(size_t blocks);

/* Total bytes handed out, for tests and benchmarks. */
size_t rt__arena_used(const rt_arena *arena);

#endif
