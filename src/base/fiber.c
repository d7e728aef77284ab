/*
 * fiber.c - cooperative fibers on stacks of their own (fiber.h says what
 * they are for).
 *
 * The rules:
 *   - A fiber is resumed only from outside any fiber, and always on the
 *     same thread: the event loop's side resumes, the fiber waits, and
 *     control goes back and forth between exactly those two.
 *   - Its stack is mapped memory with an inaccessible page below it, so an
 *     overflow faults at once instead of writing over the heap. Pages are
 *     only backed once touched: 256 KiB stacks for a thousand operations in
 *     flight cost what they use.
 *   - The sanitizers and valgrind are told about every switch (ASan's and
 *     TSan's fiber interfaces, valgrind's stack registration); without it
 *     they report false errors on the first switch.
 *
 * Switching: on x86-64 (the machines the project runs on) a dozen
 * instructions of assembly below save the registers the calling
 * convention says a called function keeps (rbx, rbp, r12-r15, the stack
 * pointer, and the floating-point control words), and load the other
 * side's. Elsewhere, and wherever RT_FIBER_UCONTEXT is defined (a test
 * builds fiber.c that way, so the fallback stays tested), ucontext:
 * makecontext/swapcontext, in every libc.
 * Why not ucontext everywhere: glibc's swapcontext saves and restores the
 * signal mask, a system call each way, and a fiber switches twice per
 * statement it waits for; with 64 gets in flight those calls were over
 * half the system time of the benchmark (bench/async). The signal mask is
 * the thread's, not the fiber's: nothing here changes it, so there is
 * nothing to carry across a switch. Both ways tell the sanitizers and
 * valgrind the same (below). Not used with shadow stacks (CET's): their
 * return addresses would not match, so ucontext (which glibc teaches
 * about them) is kept there.
 */
#define _GNU_SOURCE 1 /* MAP_ANONYMOUS, MAP_STACK */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fiber.h"

#if defined(__SANITIZE_ADDRESS__)
#define RT_FIBER_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define RT_FIBER_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_FIBER_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define RT_FIBER_TSAN 1
#endif
#endif

#ifdef RT_FIBER_ASAN
#include <sanitizer/asan_interface.h>
#endif
#ifdef RT_FIBER_TSAN
#include <sanitizer/tsan_interface.h>
#endif
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define RT_FIBER_VALGRIND 1
#endif
#endif

#if defined(__x86_64__) && defined(__ELF__) && !defined(RT_FIBER_UCONTEXT) && \
	!(defined(__CET__) && (__CET__ & 2))
#define RT_FIBER_ASM 1
#else
#include <ucontext.h>
#endif

#define DEFAULT_STACK (256u * 1024u)

#ifdef RT_FIBER_ASM
/*
 * fiber_switch(save, load): pushes the callee-saved registers and the
 * control words (MXCSR, the x87 control word) on the running stack, stores
 * the stack pointer in *save, takes `load` as the stack pointer, pops the
 * same things from it and returns -- to wherever that stack last called
 * fiber_switch, or, the first time, to the entry that prepare_stack put
 * there. Everything else the calling convention lets a call clobber.
 */
void rt__fiber_switch(void **save, void *load) __attribute__((visibility("hidden")));
__asm__(".text\n"
	".p2align 4\n"
	".globl rt__fiber_switch\n"
	".hidden rt__fiber_switch\n"
	".type rt__fiber_switch,@function\n"
	"rt__fiber_switch:\n"
	"\tpushq %rbp\n"
	"\tpushq %rbx\n"
	"\tpushq %r12\n"
	"\tpushq %r13\n"
	"\tpushq %r14\n"
	"\tpushq %r15\n"
	"\tsubq $8, %rsp\n"
	"\tstmxcsr (%rsp)\n"
	"\tfnstcw 4(%rsp)\n"
	"\tmovq %rsp, (%rdi)\n"
	"\tmovq %rsi, %rsp\n"
	"\tldmxcsr (%rsp)\n"
	"\tfldcw 4(%rsp)\n"
	"\taddq $8, %rsp\n"
	"\tpopq %r15\n"
	"\tpopq %r14\n"
	"\tpopq %r13\n"
	"\tpopq %r12\n"
	"\tpopq %rbx\n"
	"\tpopq %rbp\n"
	"\tret\n"
	".size rt__fiber_switch, .-rt__fiber_switch\n");
#endif

struct rt_fiber {
#ifdef RT_FIBER_ASM
	void *sp;            /* the fiber's stack pointer while it is stopped */
	void *caller_sp;     /* the resumer's while the fiber runs */
#else
	ucontext_t context;  /* the fiber's registers while it is stopped */
	ucontext_t caller;   /* the resumer's while the fiber runs */
#endif
	rt_fiber_fn fn;
	void *arg;
	char *mapping;       /* guard page + stack */
	size_t mapping_size;
	char *stack;
	size_t stack_size;
	bool started, finished;
	rt_fiber_wait_info wait;
	int wake_result;
	bool cancelled;               /* a wait of it was cancelled: sticky */
	rt_error_state *errors;       /* its own last error (error.c) */
	rt_fiber_ready_fn ready;      /* its scheduler's, for rt__fiber_ready */
	void *ready_ctx;
	rt_offload_fn offload;        /* its scheduler's, for rt__offload */
	void *offload_ctx;
	void (*interrupt)(void *arg); /* the running job's, while it runs */
	void *interrupt_arg;
	rt_error_state *caller_errors; /* the resumer's, while the fiber runs */
#ifdef RT_FIBER_ASAN
	void *fake_stack;            /* ASan's, of the side switched away from */
	const void *caller_bottom;   /* the resumer's stack, as ASan reports it */
	size_t caller_size;
#endif
#ifdef RT_FIBER_TSAN
	void *tsan_fiber;
	void *tsan_caller;
#endif
#ifdef RT_FIBER_VALGRIND
	unsigned valgrind_id;
#endif
};

static _Thread_local rt_fiber *current;

rt_fiber *rt__fiber_current(void)
{
	return current;
}

/* --- switching -------------------------------------------------------------- */

/* From the fiber back to its resumer; `last` when the fiber has finished
 * and its stack will not be used again. */
static void switch_to_caller(rt_fiber *f, bool last)
{
#ifdef RT_FIBER_TSAN
	__tsan_switch_to_fiber(f->tsan_caller, 0);
#endif
#ifdef RT_FIBER_ASAN
	__sanitizer_start_switch_fiber(last ? NULL : &f->fake_stack, f->caller_bottom,
				       f->caller_size);
#else
	(void)last;
#endif
#ifdef RT_FIBER_ASM
	rt__fiber_switch(&f->sp, f->caller_sp);
#else
	swapcontext(&f->context, &f->caller);
#endif
#ifdef RT_FIBER_ASAN
	__sanitizer_finish_switch_fiber(f->fake_stack, &f->caller_bottom, &f->caller_size);
#endif
}

/* The fiber's first frame: runs fn, then returns to the resumer for good.
 * It takes no argument (makecontext passes only ints, and the assembly
 * switch none): the fiber comes from `current`. */
static void trampoline(void)
{
	rt_fiber *f = current;
#ifdef RT_FIBER_ASAN
	__sanitizer_finish_switch_fiber(NULL, &f->caller_bottom, &f->caller_size);
#endif
	f->fn(f->arg);
	f->finished = true;
	switch_to_caller(f, true);
	abort(); /* never resumed after finishing */
}

bool rt__fiber_resume(rt_fiber *f)
{
	if (!f || f->finished || current)
		return f ? f->finished : true;
	current = f;
	f->started = true;
	f->caller_errors = rt__error_state_swap(f->errors);
#ifdef RT_FIBER_TSAN
	f->tsan_caller = __tsan_get_current_fiber();
	__tsan_switch_to_fiber(f->tsan_fiber, 0);
#endif
#ifdef RT_FIBER_ASAN
	void *fake = NULL;
	__sanitizer_start_switch_fiber(&fake, f->stack, f->stack_size);
#endif
#ifdef RT_FIBER_ASM
	rt__fiber_switch(&f->caller_sp, f->sp);
#else
	swapcontext(&f->caller, &f->context);
#endif
#ifdef RT_FIBER_ASAN
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
	rt__error_state_swap(f->caller_errors);
	current = NULL;
	return f->finished;
}

int rt__fiber_wait(int fd, int events, int64_t deadline)
{
	rt_fiber *f = current;
	if (!f)
		return rt__error_set(RT_EINVAL, "fiber wait outside a fiber");
	f->wait.fd = fd;
	f->wait.events = events;
	f->wait.deadline = deadline;
	f->wake_result = 0;
	switch_to_caller(f, false);
	/* Resumed: rt__fiber_resume set current again. */
	return f->wake_result;
}

const rt_fiber_wait_info *rt__fiber_waiting(const rt_fiber *f)
{
	return &f->wait;
}

void rt__fiber_wake(rt_fiber *f, int result)
{
	f->wake_result = result;
	if (result < 0)
		f->cancelled = true;
}

void rt__fiber_set_ready_hook(rt_fiber *f, rt_fiber_ready_fn fn, void *ctx)
{
	f->ready = fn;
	f->ready_ctx = ctx;
}

void rt__fiber_ready(rt_fiber *f, int result)
{
	/* The result goes through the hook (its scheduler keeps it under
	 * its own lock): this thread may not be the one that resumes f. */
	if (f->ready)
		f->ready(f, result, f->ready_ctx);
}

void rt__fiber_set_offload(rt_fiber *f, rt_offload_fn fn, void *ctx)
{
	f->offload = fn;
	f->offload_ctx = ctx;
}

int rt__offload(int (*job)(void *arg), void *arg, void (*interrupt)(void *arg),
		void *interrupt_arg)
{
	rt_fiber *f = current;
	if (!f || !f->offload)
		return job(arg);
	/* A driver call (one a cancel would interrupt) of a cancelled
	 * operation is not started: it would run as if nothing happened (a
	 * COMMIT after the cancelled INSERT it followed). Jobs that clean up
	 * after a cancel (a cancel request) have no interrupt and still run. */
	if (f->cancelled && interrupt)
		return rt__error_set(RT_ECANCELED, "the operation was cancelled");
	f->interrupt = interrupt;
	f->interrupt_arg = interrupt_arg;
	int rc = f->offload(f->offload_ctx, job, arg);
	f->interrupt = NULL;
	return rc;
}

void rt__fiber_interrupt(rt_fiber *f)
{
	if (f->interrupt)
		f->interrupt(f->interrupt_arg);
}

rt_error_state *rt__fiber_errors(const rt_fiber *f)
{
	return f->errors;
}

/* --- life ------------------------------------------------------------------- */

/* Makes f's first resume enter trampoline at the top of its stack. */
static int prepare(rt_fiber *f)
{
#ifdef RT_FIBER_ASM
	/* What rt__fiber_switch pops, from the bottom up: the control words,
	 * six registers (zero: rbp = 0 also ends a debugger's backtrace),
	 * then the address its `ret` goes to; above that a null return
	 * address for trampoline, which so starts with the stack aligned as
	 * after a call (16 bytes, less the return address). */
	uintptr_t top = (uintptr_t)(f->stack + f->stack_size) & ~(uintptr_t)15;
	void **sp = (void **)top;
	*--sp = NULL;
	*--sp = (void *)(uintptr_t)trampoline;
	for (int i = 0; i < 6; i++)
		*--sp = NULL;
	uint32_t mxcsr; /* the control words start as the resumer's */
	uint16_t x87;
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(x87));
	*--sp = NULL;
	memcpy(sp, &mxcsr, sizeof(mxcsr));
	memcpy((char *)sp + 4, &x87, sizeof(x87));
	f->sp = sp;
	return RT_OK;
#else
	if (getcontext(&f->context) != 0)
		return rt__error_set(RT_ERROR, "fiber: getcontext failed");
	f->context.uc_stack.ss_sp = f->stack;
	f->context.uc_stack.ss_size = f->stack_size;
	f->context.uc_link = NULL;
	makecontext(&f->context, trampoline, 0);
	return RT_OK;
#endif
}

/* Frees what rt__fiber_new made of f so far. */
static void discard(rt_fiber *f)
{
	if (f->mapping && f->mapping != MAP_FAILED)
		munmap(f->mapping, f->mapping_size);
	rt__error_state_free(f->errors);
	free(f);
}

int rt__fiber_new(rt_fiber **out, rt_fiber_fn fn, void *arg, size_t stack_size)
{
	*out = NULL;
	if (!fn)
		return rt__error_set(RT_EINVAL, "fiber: no function");
	rt_fiber *f = calloc(1, sizeof(*f));
	if (!f)
		return rt__error_nomem();
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (stack_size == 0)
		stack_size = DEFAULT_STACK;
	stack_size = (stack_size + page - 1) / page * page;
	f->mapping_size = stack_size + page;
	f->mapping = mmap(NULL, f->mapping_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	/* The guard page below: stacks grow down, towards it. */
	if (!(f->errors = rt__error_state_new()) || f->mapping == MAP_FAILED ||
	    mprotect(f->mapping, page, PROT_NONE) != 0) {
		discard(f);
		return rt__error_nomem();
	}
	f->stack = f->mapping + page;
	f->stack_size = stack_size;
	f->fn = fn;
	f->arg = arg;
	f->wait.fd = -1;
	f->wait.deadline = -1;
	if (prepare(f) != RT_OK) {
		discard(f);
		return RT_ERROR;
	}
#ifdef RT_FIBER_TSAN
	f->tsan_fiber = __tsan_create_fiber(0);
#endif
#ifdef RT_FIBER_VALGRIND
	f->valgrind_id = VALGRIND_STACK_REGISTER(f->stack, f->stack + f->stack_size);
#endif
	*out = f;
	return RT_OK;
}

int rt__fiber_reset(rt_fiber *f, rt_fiber_fn fn, void *arg)
{
	if (!f || !fn)
		return rt__error_set(RT_EINVAL, "fiber: no fiber or no function");
	if (f->started && !f->finished)
		return rt__error_set(RT_EINVAL, "fiber: reset while it is stopped midway");
#ifdef RT_FIBER_ASAN
	/* Frames of the last run may have left their red zones behind. */
	__asan_unpoison_memory_region(f->stack, f->stack_size);
#endif
	if (prepare(f) != RT_OK)
		return RT_ERROR;
	/* Its last error is the last run's: cleared. */
	rt_error_state *resetter = rt__error_state_swap(f->errors);
	rt_error_clear();
	rt__error_state_swap(resetter);
	f->fn = fn;
	f->arg = arg;
	f->started = f->finished = false;
	memset(&f->wait, 0, sizeof(f->wait));
	f->wait.fd = -1;
	f->wait.deadline = -1;
	f->wake_result = 0;
	f->cancelled = false;
	f->ready = NULL;
	f->ready_ctx = NULL;
	f->offload = NULL;
	f->offload_ctx = NULL;
	f->interrupt = NULL;
	f->interrupt_arg = NULL;
	return RT_OK;
}

void rt__fiber_free(rt_fiber *f)
{
	if (!f)
		return;
	if (f->started && !f->finished)
		abort(); /* its stack holds live frames: a caller's bug */
#ifdef RT_FIBER_VALGRIND
	VALGRIND_STACK_DEREGISTER(f->valgrind_id);
#endif
#ifdef RT_FIBER_TSAN
	__tsan_destroy_fiber(f->tsan_fiber);
#endif
	discard(f);
}
