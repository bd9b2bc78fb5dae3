/*
 * api.c — the public C API (include/pprof_agent.h): Go's rate setters
 * (core/rates.c), record copies with the `n, ok` contract
 * (report/records.c), and WriteTo/snapshot entry points (snapshot.c).
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include <pprof_agent.h>

#include "core.h"
#include "kinds.h"
#include "rates.h"
#include "records.h"
#include "report_sys.h"
#include "schedule.h"
#include "snapshot.h"
#include "thread_stacks.h"

AGENT_API int64_t pprof_mem_profile_rate(void)
{
	return atomic_load(&heap_rate);
}

AGENT_API void pprof_set_mem_profile_rate(int64_t rate)
{
	rates_set_heap(rate);
}

AGENT_API void pprof_set_block_profile_rate(int64_t rate_ns)
{
	rates_set_block(rate_ns);
}

AGENT_API int64_t pprof_set_mutex_profile_fraction(int64_t fraction)
{
	return rates_set_mutex_fraction(fraction);
}

AGENT_API int pprof_mem_profile(struct pprof_mem_record *p, size_t len, int inuse_zero, size_t *n)
{
	return kind_records(KIND_HEAP, inuse_zero, p, len, n);
}

AGENT_API int pprof_block_profile(struct pprof_block_record *p, size_t len, size_t *n)
{
	return kind_records(KIND_BLOCK, 0, p, len, n);
}

AGENT_API int pprof_mutex_profile(struct pprof_block_record *p, size_t len, size_t *n)
{
	return kind_records(KIND_MUTEX, 0, p, len, n);
}

AGENT_API int pprof_thread_create_profile(struct pprof_stack_record *p, size_t len, size_t *n)
{
	return kind_records(KIND_THREADCREATE, 0, p, len, n);
}

AGENT_API int pprof_thread_profile(struct pprof_thread_record *p, size_t len, size_t *n)
{
	agent_enter();   /* taking the threads allocates */
	int rc = thread_stacks_records(p, len, n, (size_t)atomic_load(&stack_depth));
	agent_leave();
	return rc < 0 ? 0 : rc;
}

AGENT_API int pprof_write_profile(const char *kind, int fd)
{
	int k = profile_kind_from_name(kind);
	if (k < 0) {
		errno = EINVAL;
		return -1;
	}
	return snapshot_write_kind(k, fd);
}

AGENT_API int pprof_write_profile_debug(const char *kind, int fd, int debug)
{
	int k = profile_kind_from_name(kind);
	if (k < 0 || debug < 0) {
		errno = EINVAL;
		return -1;
	}
	if (debug == 0)
		return snapshot_write_kind(k, fd);
	return snapshot_write_text(k, debug, write_all, &fd);
}

/* The caller's buffer of pprof_stack: what does not fit is dropped. */
struct stack_buffer {
	char *p;
	size_t len, used;
};

static int into_stack_buffer(void *ctx, const void *bytes, size_t n)
{
	struct stack_buffer *b = ctx;
	size_t room = b->len - b->used;
	if (n > room)
		n = room;
	memcpy(b->p + b->used, bytes, n);
	b->used += n;
	return 0;
}

AGENT_API size_t pprof_stack(char *buf, size_t len, int all)
{
	struct stack_buffer b = { buf, buf ? len : 0, 0 };
	snapshot_write_stacks(!all, into_stack_buffer, &b);
	return b.used;
}

/* The fd of the cpu profile being counted, -1 when none. */
static atomic_int cpu_profile_fd = -1;

AGENT_API int pprof_start_cpu_profile(int fd)
{
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	int none = -1;
	if (!atomic_compare_exchange_strong(&cpu_profile_fd, &none, fd)) {
		errno = EBUSY;
		return -1;
	}
	if (snapshot_cpu_api_begin() != 0) {
		atomic_store(&cpu_profile_fd, -1);
		return -1;
	}
	schedule_cpu_started();
	return 0;
}

AGENT_API int pprof_stop_cpu_profile(void)
{
	int fd = atomic_load(&cpu_profile_fd);
	if (fd < 0)
		return 0;
	int rc = snapshot_cpu_api_end(fd);
	atomic_store(&cpu_profile_fd, -1);
	return rc;
}

AGENT_API int pprof_snapshot(void)
{
	return snapshot_now();
}
