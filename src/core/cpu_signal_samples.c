/*
 * cpu_signal_samples.c — a profiling signal's samples (see
 * cpu_signal_samples.h).
 */
#include "cpu_signal_samples.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

#include "core_sys.h"
#include "cpu_record.h"

enum { SLOT_FREE, SLOT_WRITING, SLOT_FULL };

struct slot {
	atomic_int state;
	uint32_t len;                 /* stack bytes copied from sp up */
	uint32_t periods;             /* timer expirations it stands for */
	uintptr_t pc, sp, bp;
	unsigned char stack[CPU_SIGNAL_STACK_BYTES];
};

#define PAGE 4096   /* the copy is split at (at least) page boundaries */

static struct slot *_Atomic slots;
static atomic_uint next_slot;      /* where handlers start looking */
static atomic_ullong lost;

int cpu_signal_samples_init(void)
{
	if (atomic_load(&slots))
		return 0;
	struct slot *s = core_sys.map(sizeof(struct slot) * CPU_SIGNAL_SLOTS);
	if (!s)
		return -1;
	atomic_store(&slots, s);
	return 0;
}

/* Reads len bytes at addr of this process into out, one iovec per page so
 * that the copy stops at the first page that cannot be read; the bytes
 * read. */
static size_t read_own(uintptr_t addr, unsigned char *out, size_t len)
{
	struct iovec local = { out, len };
	struct iovec remote[CPU_SIGNAL_STACK_BYTES / PAGE + 1];
	int n = 0;
	for (size_t done = 0; done < len; n++) {
		size_t room = PAGE - (addr + done) % PAGE;
		size_t part = len - done < room ? len - done : room;
		remote[n].iov_base = (void *)(addr + done);
		remote[n].iov_len = part;
		done += part;
	}
	long got = syscall(SYS_process_vm_readv, (long)getpid(), &local, 1UL, remote,
	                   (unsigned long)n, 0UL);
	return got > 0 ? (size_t)got : 0;
}

int cpu_signal_samples_stack_readable(void)
{
	unsigned char probe[16] = { 1 }, out[16];
	return read_own((uintptr_t)probe, out, sizeof out) == sizeof out;
}

/* A free buffer, now the caller's; NULL when all are taken. */
static struct slot *claim(void)
{
	struct slot *all = atomic_load_explicit(&slots, memory_order_acquire);
	if (!all)
		return NULL;
	unsigned start = atomic_fetch_add_explicit(&next_slot, 1, memory_order_relaxed);
	for (unsigned i = 0; i < CPU_SIGNAL_SLOTS; i++) {
		struct slot *s = &all[(start + i) % CPU_SIGNAL_SLOTS];
		int free_state = SLOT_FREE;
		if (atomic_compare_exchange_strong_explicit(&s->state, &free_state, SLOT_WRITING,
		                                            memory_order_acquire,
		                                            memory_order_relaxed))
			return s;
	}
	return NULL;
}

void cpu_signal_samples_take(const void *ucontext, uint32_t periods)
{
	int saved = errno;
	const ucontext_t *uc = ucontext;
	struct slot *s = claim();
	if (!s) {
		atomic_fetch_add_explicit(&lost, periods, memory_order_relaxed);
		errno = saved;
		return;
	}
	s->pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	s->sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	s->bp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
	s->periods = periods;
	s->len = (uint32_t)read_own(s->sp, s->stack, sizeof s->stack);
	atomic_store_explicit(&s->state, SLOT_FULL, memory_order_release);
	errno = saved;
}

void cpu_signal_samples_drain(uint64_t period_ns)
{
	struct slot *all = atomic_load(&slots);
	if (!all)
		return;
	for (int i = 0; i < CPU_SIGNAL_SLOTS; i++) {
		struct slot *s = &all[i];
		if (atomic_load_explicit(&s->state, memory_order_acquire) != SLOT_FULL)
			continue;
		if (s->pc != 0) {
			struct unwind_regs regs = { .pc = s->pc, .sp = s->sp, .rbp = s->bp };
			struct stack_memory mem = { .lo = s->sp, .hi = s->sp + s->len,
			                            .copy = s->stack };
			cpu_record_sample(regs, &mem, s->periods, s->periods * period_ns);
		}
		atomic_store_explicit(&s->state, SLOT_FREE, memory_order_release);
	}
	uint64_t n = atomic_exchange(&lost, 0);
	if (n)
		cpu_record_lost(n);
}

void cpu_signal_samples_reset(void)
{
	struct slot *all = atomic_load(&slots);
	for (int i = 0; all && i < CPU_SIGNAL_SLOTS; i++)
		atomic_store(&all[i].state, SLOT_FREE);
	atomic_store(&lost, 0);
}

size_t cpu_signal_samples_capacity(void)
{
	return CPU_SIGNAL_SLOTS;
}
