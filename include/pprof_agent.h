/*
 * pprof_agent.h — the C API of pprof-agent, modelled on Go's runtime
 * (MemProfileRate, SetBlockProfileRate, SetMutexProfileFraction, MemProfile,
 * BlockProfile, MutexProfile, ThreadCreateProfile, GoroutineProfile) and runtime/pprof
 * (Lookup(name).WriteTo). Link with `pkg-config --cflags --libs pprof-agent`,
 * or preload libpprof-agent.so and look the symbols up with dlsym.
 *
 * The record functions keep Go's `n, ok` contract: they always store in *n
 * the number of records there are; they copy the records into the caller's
 * array and return 1 only when len >= *n, and otherwise copy nothing and
 * return 0. Call once with len 0 to size the array, then again with room to
 * spare, since the count can grow in between.
 */
#ifndef PPROF_AGENT_H
#define PPROF_AGENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PPROF_AGENT_API __attribute__((visibility("default")))

/* Frames kept in a record; deeper stacks are truncated (as Go's Stack0). */
#define PPROF_RECORD_STACK 64

/* A stack of return addresses, leaf first; unused slots are 0. */
struct pprof_stack_record {
	uintptr_t stack[PPROF_RECORD_STACK];
};

/* Go's MemProfileRecord: raw sampled counts, not scaled. */
struct pprof_mem_record {
	int64_t alloc_bytes, free_bytes;
	int64_t alloc_objects, free_objects;
	struct pprof_stack_record stack;
};

/* Go's BlockProfileRecord: count and delay in nanoseconds. */
struct pprof_block_record {
	int64_t count;
	int64_t cycles;   /* nanoseconds (the agent's clock runs at 1e9 ticks/s) */
	struct pprof_stack_record stack;
};

/* One live thread (GoroutineProfile's record, with what a thread has
 * besides its stack). */
struct pprof_thread_record {
	int64_t tid;
	char name[16];     /* as pthread_setname_np set it */
	char state[32];    /* "running", "sleeping" or the system call waited in */
	struct pprof_stack_record stack;   /* all zero for a running thread */
};

/* MemProfileRate: average bytes between heap samples (1 = every allocation,
 * 0 = off). Set it as early as possible; the change applies to each thread's
 * next sample. */
PPROF_AGENT_API int64_t pprof_mem_profile_rate(void);
PPROF_AGENT_API void pprof_set_mem_profile_rate(int64_t rate);

/* SetBlockProfileRate: about one blocking event sampled per rate_ns
 * nanoseconds spent blocked; 1 = every event; <= 0 = off. */
PPROF_AGENT_API void pprof_set_block_profile_rate(int64_t rate_ns);

/* SetMutexProfileFraction: 1 in fraction contention events is reported;
 * 0 turns it off; a negative value only reads. Returns the previous value. */
PPROF_AGENT_API int64_t pprof_set_mutex_profile_fraction(int64_t fraction);

/* MemProfile: one record per allocation site. With inuse_zero = 0 only
 * sites with memory still in use are returned (alloc_bytes != free_bytes). */
PPROF_AGENT_API int pprof_mem_profile(struct pprof_mem_record *p, size_t len, int inuse_zero,
                                      size_t *n);

/* BlockProfile and MutexProfile: one record per waiting/unlocking stack.
 * As in Go, a block record's count is at least 1. */
PPROF_AGENT_API int pprof_block_profile(struct pprof_block_record *p, size_t len, size_t *n);
PPROF_AGENT_API int pprof_mutex_profile(struct pprof_block_record *p, size_t len, size_t *n);

/* ThreadCreateProfile: the pthread_create stack of every thread created. */
PPROF_AGENT_API int pprof_thread_create_profile(struct pprof_stack_record *p, size_t len,
                                                size_t *n);

/* GoroutineProfile: one record per live thread but the agent's, taken at
 * the call as the threads kind takes them (no thread is interrupted; the
 * calling thread's stack starts at its call). The threads are listed once
 * per call: with len too small, *n says how many there were. 0 also when
 * they could not be taken (errno says why). */
PPROF_AGENT_API int pprof_thread_profile(struct pprof_thread_record *p, size_t len, size_t *n);

/* pprof.Lookup(kind).WriteTo(fd, 0): writes a gzip-compressed profile.proto
 * of kind ("heap", "allocs", "block", "mutex", "threadcreate", "threads")
 * to fd; "threads" takes every thread's stack at the call, threads=1 or
 * not.
 * Returns 0, or -1 with errno (EINVAL for an unknown kind). */
PPROF_AGENT_API int pprof_write_profile(const char *kind, int fd);

/* pprof.Lookup(kind).WriteTo(fd, debug): debug 0 is pprof_write_profile;
 * debug 1 writes Go's text form of kind (heap and allocs: the legacy heap
 * text, raw sampled counts; block and mutex: the `--- contention:` text;
 * threadcreate and threads: `count @ addresses`), symbolized in `#` lines
 * and followed by the process's memory map; debug 2 for threads writes one
 * block per thread as Go's goroutine dump (other kinds: as debug 1).
 * Returns 0, or -1 with errno (EINVAL for an unknown kind, a negative
 * debug, or a text form of "cpu", which has none). */
PPROF_AGENT_API int pprof_write_profile_debug(const char *kind, int fd, int debug);

/* runtime.Stack: writes into buf the stack of the calling thread (all = 0),
 * or of every thread but the agent's, the calling one first (all != 0), as
 * the debug=2 text of the threads kind, truncated to len bytes (no NUL is
 * added: print it with "%.*s"). Other threads are never interrupted; one
 * running in user space is listed without a stack. Returns the number of
 * bytes written (0 when the threads could not be read). */
PPROF_AGENT_API size_t pprof_stack(char *buf, size_t len, int all);

/* Writes a snapshot of every enabled kind into the output directory now,
 * as the periodic timer does. Returns 0, or -1 with errno. */
PPROF_AGENT_API int pprof_snapshot(void);

/* StartCPUProfile: counts a cpu profile from now until
 * pprof_stop_cpu_profile, which writes it (gzipped profile.proto, Go's cpu
 * profile) to fd. Independent of the periodic cpu files. Samples at the
 * cpu_hz option's rate, or 100 Hz when it is 0 (and then samples only while
 * this profile is counted). Returns 0, or -1 with errno: EBUSY when a
 * profile is being counted already, EBADF for a negative fd, EOPNOTSUPP
 * when the kernel refuses to sample the process. */
PPROF_AGENT_API int pprof_start_cpu_profile(int fd);
/* StopCPUProfile: writes the profile counted since pprof_start_cpu_profile
 * to its fd and stops counting. Returns 0 (also when none was counted), or
 * -1 with errno when the profile could not be written. */
PPROF_AGENT_API int pprof_stop_cpu_profile(void);

#ifdef __cplusplus
}
#endif
#endif
