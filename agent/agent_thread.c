/*
 * agent_thread.c — the agent thread, snapshots, the exit snapshot and the
 * fork protocol (see agent_thread.h).
 *
 * Lock order, everywhere: snapshot_lock, then buckets, then the bucket arena,
 * then the sampled-address shards. fork's prepare handler takes all of them
 * in that order, so the child never inherits a lock held by a thread that
 * does not exist in it.
 */
#define _GNU_SOURCE
#include "agent_thread.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "agent_arena.h"
#include "contention.h"
#include "agent_sys.h"
#include "buckets.h"
#include "dump_files.h"
#include "profile_kinds.h"
#include "sampled_addrs.h"
#include "sampler.h"
#include "symbolize.h"


static pthread_mutex_t snapshot_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t wake;
static struct dump_dir dump;
static symbolizer *_Atomic sym;
static int exiting;
static int dump_ready;
static int last_errno_logged;

static int kind_enabled(enum profile_kind kind)
{
	switch (kind) {
	case KIND_HEAP: return atomic_load(&heap_rate) > 0 || agent_opts.mem_rate > 0;
	case KIND_BLOCK: return atomic_load(&block_rate_ns) > 0 || agent_opts.block_rate_ns > 0;
	case KIND_MUTEX: return atomic_load(&mutex_fraction) > 0 || agent_opts.mutex_fraction > 0;
	case KIND_THREADCREATE: return agent_opts.threadcreate;
	default: return 0;
	}
}

static int write_profile(int fd, void *arg)
{
	return profile_write_fd(arg, fd);
}

/* Builds kind, symbolized (called with snapshot_lock held). The
 * symbolizer normally exists from the constructor on; it is made here when
 * that failed or in a program that only links the library. */
static profile_builder *build_locked(enum profile_kind kind)
{
	if (!sym)
		sym = symbolizer_new();
	return profile_build(kind, sym);
}

/* Called with snapshot_lock held. */
static int write_kind_file(enum profile_kind kind)
{
	char path[4200];
	profile_builder *pb = build_locked(kind);
	if (!pb)
		return -1;
	int rc = dump_write(&dump, (int)kind, profile_kind_name(kind), write_profile, pb, path,
	                    sizeof(path));
	int err = errno;
	profile_builder_free(pb);
	if (rc == 0)
		agent_debug("wrote %s", path);
	errno = err;
	return rc;
}

/* Names the files after the program and this process (called again in a
 * forked child, which writes under its own pid). */
static void dump_dir_setup(void)
{
	const char *slash = strrchr(program_invocation_name, '/');
	dump_dir_init(&dump, agent_opts.dir, slash ? slash + 1 : program_invocation_name, getpid(),
	              agent_opts.keep);
	dump_ready = 1;
}

static int snapshot_locked(void)
{
	int rc = 0, first_errno = 0;
	if (!dump_ready) {
		char err[1024];
		if (options_resolve_dir(&agent_opts, err, sizeof(err)) != 0) {
			agent_log("%s", err + (strncmp(err, "pprof-agent: ", 13) ? 0 : 13));
			errno = ENOENT;
			return -1;
		}
		dump_dir_setup();
	}
	for (int k = 0; k < KIND_COUNT; k++) {
		if (k == KIND_ALLOCS || !kind_enabled(k))
			continue;
		if (write_kind_file(k) != 0) {
			if (!first_errno)
				first_errno = errno;
			rc = -1;
		}
	}
	if (rc != 0 && first_errno != last_errno_logged)
		agent_log("cannot write profiles to %s: %s", dump.dir, strerror(first_errno));
	last_errno_logged = rc ? first_errno : 0;
	errno = first_errno;
	return rc;
}

int agent_snapshot_now(void)
{
	int rc;
	agent_enter();
	pthread_mutex_lock(&snapshot_lock);
	if (exiting) {
		rc = -1;
		errno = ECANCELED;
	} else {
		rc = snapshot_locked();
	}
	pthread_mutex_unlock(&snapshot_lock);
	agent_leave();
	return rc;
}

int agent_write_kind(int kind, int fd)
{
	int rc = -1;
	if (kind < 0 || kind >= KIND_COUNT) {
		errno = EINVAL;
		return -1;
	}
	agent_enter();
	pthread_mutex_lock(&snapshot_lock);
	profile_builder *pb = build_locked(kind);
	if (pb) {
		rc = profile_write_fd(pb, fd);
		int err = errno;
		profile_builder_free(pb);
		errno = err;
	}
	pthread_mutex_unlock(&snapshot_lock);
	agent_leave();
	return rc;
}

void agent_final_snapshot(void)
{
	agent_enter();
	pthread_mutex_lock(&snapshot_lock);
	if (!exiting && atomic_load(&agent_running))
		snapshot_locked();
	exiting = 1;
	pthread_mutex_unlock(&snapshot_lock);
	agent_leave();
}

void agent_symbolizer_init(void)
{
	atomic_store(&sym, symbolizer_new());
}

void agent_retain_module(const char *path, uint64_t load_bias)
{
	symbolizer *s = atomic_load(&sym);
	if (s)
		symbolizer_retain_module(s, path, load_bias);
}

void agent_request_snapshot(void)
{
	int saved = errno;
	sem_post(&wake);
	errno = saved;
}

static void *agent_main(void *arg)
{
	(void)arg;
	agent_enter();   /* for good: nothing this thread does is profiled */
	for (;;) {
		struct timespec deadline;
		int rc;
		if (agent_opts.interval_ns > 0) {
			clock_gettime(CLOCK_MONOTONIC, &deadline);
			deadline.tv_sec += agent_opts.interval_ns / 1000000000;
			deadline.tv_nsec += agent_opts.interval_ns % 1000000000;
			if (deadline.tv_nsec >= 1000000000) {
				deadline.tv_sec++;
				deadline.tv_nsec -= 1000000000;
			}
			rc = sem_clockwait(&wake, CLOCK_MONOTONIC, &deadline);
		} else {
			rc = sem_wait(&wake);
		}
		if (rc != 0 && errno == EINTR)
			continue;
		agent_snapshot_now();
	}
	return NULL;
}

int agent_thread_start(void)
{
	pthread_t tid;
	pthread_attr_t attr;
	dump_dir_setup();
	sem_init(&wake, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	agent_enter();
	int rc = pthread_create(&tid, &attr, agent_main, NULL);
	agent_leave();
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		agent_log("cannot start the agent thread: %s", strerror(rc));
		return -1;
	}
	pthread_setname_np(tid, "pprof-agent");
	return 0;
}

void agent_fork_prepare(void)
{
	agent_enter();
	pthread_mutex_lock(&snapshot_lock);
	buckets_lock_all();
	arena_lock_all();
	sampled_addrs_lock_all();
}

void agent_fork_parent(void)
{
	sampled_addrs_unlock_all();
	arena_unlock_all();
	buckets_unlock_all();
	pthread_mutex_unlock(&snapshot_lock);
	agent_leave();
}

void agent_fork_child(void)
{
	sampled_addrs_unlock_all();
	arena_unlock_all();
	buckets_unlock_all();
	pthread_mutex_unlock(&snapshot_lock);
	if (atomic_load(&agent_running) && !exiting)
		agent_thread_start();
	agent_leave();
}
