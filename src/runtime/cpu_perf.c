/*
 * cpu_perf.c — on-CPU sampling with one perf event per thread (the
 * mechanism cpu_timer=perf and auto choose, see cpu_profiler.c).
 *
 * Each host thread gets a software task-clock event (perf_event_open, this
 * process's thread, any CPU) that takes a sample every 1/hz seconds of the
 * thread's CPU time: the kernel copies the user registers and the top
 * STACK_BYTES of the user stack into a ring buffer the agent has mapped,
 * and no signal is sent, so nothing the host does (its system calls, its
 * signal handlers and masks) can see it. The agent thread drains the rings
 * (cpu_profiler_drain, under the snapshot lock) and unwinds each copied
 * stack offline (cpu_record.c). A thread that waits uses no CPU time and
 * takes no sample. A ring that fills loses samples, and the kernel says how
 * many (PERF_RECORD_LOST): they are counted and shown in the profile.
 *
 * The event's descriptor is closed as soon as the ring is mapped (the
 * mapping keeps the event alive), so the agent holds no descriptor the
 * host could close or see; unmapping the ring ends the event.
 *
 * Threads: as cpu_profiler.h says (host_threads.c lists those already
 * running).
 */
#include "cpu_perf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <linux/perf_event.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu_record.h"
#include "host_threads.h"
#include "private_fd.h"

#define RING_SLOTS 1024          /* threads sampled at once */
#define RING_DATA_PAGES 32       /* 128 KiB of samples per thread */
#define STACK_BYTES 8192         /* of each thread's stack, per sample */
/* x86-64 perf register numbers (asm/perf_regs.h) */
#define PERF_REG_BP 6
#define PERF_REG_SP 7
#define PERF_REG_IP 8

struct ring {
	_Atomic(struct perf_event_mmap_page *) page;  /* NULL: free slot */
	size_t data_size;
	pid_t tid;
	atomic_int ended;       /* the thread is gone: unmap after the drain */
};

static struct ring rings[RING_SLOTS];
static atomic_int sampling;
static int exclude_kernel;
static __thread int my_ring = -1;
static unsigned char record_copy[STACK_BYTES + 512];

static long perf_event_open(struct perf_event_attr *attr, pid_t tid)
{
	return syscall(SYS_perf_event_open, attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static void fill_attr(struct perf_event_attr *a)
{
	memset(a, 0, sizeof *a);
	a->size = sizeof *a;
	a->type = PERF_TYPE_SOFTWARE;
	a->config = PERF_COUNT_SW_TASK_CLOCK;
	a->sample_period = (uint64_t)cpu_record_period();
	a->sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	a->sample_regs_user = 1ULL << PERF_REG_BP | 1ULL << PERF_REG_SP | 1ULL << PERF_REG_IP;
	a->sample_stack_user = STACK_BYTES;
	a->exclude_kernel = (unsigned)exclude_kernel;
	a->exclude_hv = 1;
}

/* Opens and maps tid's event into a free slot; returns the slot, or -1
 * with errno. */
static int ring_open(pid_t tid)
{
	struct perf_event_attr attr;
	fill_attr(&attr);
	int fd = (int)perf_event_open(&attr, tid);
	if (fd < 0 && errno == EACCES && !exclude_kernel) {
		/* Not allowed to sample in the kernel: user time only. */
		exclude_kernel = 1;
		fill_attr(&attr);
		fd = (int)perf_event_open(&attr, tid);
	}
	if (fd < 0)
		return -1;
	fd = private_fd_move(fd);
	if (fd < 0)
		return -1;
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)page * (1 + RING_DATA_PAGES);
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int err = errno;
	close(fd);
	if (m == MAP_FAILED) {
		errno = err;
		return -1;
	}
	for (int i = 0; i < RING_SLOTS; i++) {
		struct perf_event_mmap_page *none = NULL;
		if (atomic_load(&rings[i].page) != NULL)
			continue;
		rings[i].data_size = (size_t)page * RING_DATA_PAGES;
		rings[i].tid = tid;
		atomic_store(&rings[i].ended, 0);
		if (atomic_compare_exchange_strong(&rings[i].page, &none, m))
			return i;
	}
	munmap(m, len);
	errno = EMFILE;
	return -1;
}

static void ring_close(struct ring *r)
{
	struct perf_event_mmap_page *p = atomic_exchange(&r->page, NULL);
	if (p)
		munmap(p, (size_t)sysconf(_SC_PAGESIZE) + r->data_size);
}

/* Copies len bytes at offset off of the ring's data (which may wrap). */
static void ring_read(const struct ring *r, const unsigned char *data, uint64_t off, void *out,
                      size_t len)
{
	size_t at = (size_t)(off % r->data_size);
	size_t first = len < r->data_size - at ? len : r->data_size - at;
	memcpy(out, data + at, first);
	memcpy((unsigned char *)out + first, data, len - first);
}

/* One PERF_RECORD_SAMPLE: pid, tid; abi and the three registers; the
 * stack's size, bytes and dynamic size. */
static void file_sample(const unsigned char *rec, size_t len)
{
	struct {
		uint32_t pid, tid;
		uint64_t abi, bp, sp, ip;
		uint64_t size;
	} head;
	if (len < sizeof(struct perf_event_header) + sizeof head)
		return;
	memcpy(&head, rec + sizeof(struct perf_event_header), sizeof head);
	const unsigned char *stack = rec + sizeof(struct perf_event_header) + sizeof head;
	if (head.abi == PERF_SAMPLE_REGS_ABI_NONE || head.ip == 0)
		return;
	uint64_t dyn = 0;
	if (head.size > 0 && stack + head.size + sizeof dyn <= rec + len)
		memcpy(&dyn, stack + head.size, sizeof dyn);
	if (dyn > head.size)
		dyn = head.size;
	struct unwind_regs regs = { .pc = head.ip, .sp = head.sp, .rbp = head.bp };
	struct stack_memory mem = { .lo = head.sp, .hi = head.sp + dyn, .copy = stack };
	cpu_record_sample(regs, &mem, 1, (uint64_t)cpu_record_period());
}

static void ring_drain(struct ring *r)
{
	struct perf_event_mmap_page *p = atomic_load(&r->page);
	if (!p)
		return;
	const unsigned char *data = (const unsigned char *)p + p->data_offset;
	if (p->data_offset == 0)
		data = (const unsigned char *)p + sysconf(_SC_PAGESIZE);
	uint64_t head = __atomic_load_n(&p->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = p->data_tail;
	while (tail + sizeof(struct perf_event_header) <= head) {
		struct perf_event_header h;
		ring_read(r, data, tail, &h, sizeof h);
		if (h.size < sizeof h || tail + h.size > head)
			break;
		if (h.size <= sizeof record_copy) {
			ring_read(r, data, tail, record_copy, h.size);
			if (h.type == PERF_RECORD_SAMPLE) {
				file_sample(record_copy, h.size);
			} else if (h.type == PERF_RECORD_LOST) {
				uint64_t lost;
				memcpy(&lost, record_copy + sizeof h + sizeof(uint64_t), sizeof lost);
				cpu_record_lost(lost);
			}
		}
		tail += h.size;
	}
	__atomic_store_n(&p->data_tail, tail, __ATOMIC_RELEASE);
	if (atomic_load(&r->ended))
		ring_close(r);
}

void cpu_perf_drain(void)
{
	if (!atomic_load(&sampling))
		return;
	for (int i = 0; i < RING_SLOTS; i++)
		ring_drain(&rings[i]);
}

static void open_thread(pid_t tid)
{
	ring_open(tid);
}

int cpu_perf_start(void)
{
	int slot = ring_open(0);
	if (slot < 0)
		return -1;
	my_ring = slot;
	host_threads_each(open_thread);
	atomic_store(&sampling, 1);
	return 0;
}

void cpu_perf_stop(void)
{
	atomic_store(&sampling, 0);
	for (int i = 0; i < RING_SLOTS; i++)
		ring_close(&rings[i]);
}

void cpu_perf_thread_begins(void)
{
	if (!atomic_load(&sampling))
		return;
	my_ring = ring_open(0);
}

void cpu_perf_thread_ends(void)
{
	if (my_ring >= 0)
		atomic_store(&rings[my_ring].ended, 1);
	my_ring = -1;
}

int64_t cpu_perf_drain_period(int64_t hz)
{
	/* Half the time a ring takes to fill with the largest samples. */
	long page = sysconf(_SC_PAGESIZE);
	int64_t per_sample = STACK_BYTES + 128;
	return (int64_t)page * RING_DATA_PAGES / per_sample * 1000000000 / hz / 2;
}

void cpu_perf_after_fork_child(void)
{
	if (!atomic_load(&sampling))
		return;
	for (int i = 0; i < RING_SLOTS; i++)
		ring_close(&rings[i]);
	my_ring = ring_open(0);
}
