/*
 * snapshot.c — snapshots (see snapshot.h): the symbolizer, which lives as
 * long as the process and is made at the first snapshot, and the files.
 */
#include "snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "files.h"
#include "kinds.h"
#include "rates.h"
#include "report_sys.h"
#include "runtime.h"
#include "spinlock.h"
#include "symbolize.h"

static pthread_mutex_t snapshot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dump_dir dump;
static symbolizer *sym;
static int exiting;
static int in_snapshot;   /* a snapshot holds the lock (and the symbolizer) */
static int dump_ready;
static int last_errno_logged;

static void lock_snapshot(void)
{
	lock_rank_acquire(RANK_SNAPSHOT, 0);
	pthread_mutex_lock(&snapshot_lock);
}

static void unlock_snapshot(void)
{
	pthread_mutex_unlock(&snapshot_lock);
	lock_rank_release(RANK_SNAPSHOT);
}

/* Builds kind, symbolized (called with snapshot_lock held). */
static profile_builder *build_locked(enum profile_kind kind)
{
	if (!sym)
		sym = symbolizer_new();
	in_snapshot = 1;
	profile_builder *pb = profile_build(kind, sym);
	in_snapshot = 0;
	return pb;
}

static int write_profile(int fd, void *pb)
{
	return profile_write(pb, write_all, &fd);
}

/* Called with snapshot_lock held. */
static int write_kind_file(enum profile_kind kind)
{
	char path[4200];
	profile_builder *pb = build_locked(kind);
	if (!pb)
		return -1;
	int rc = dump_write(&dump, (int)kind, profile_kinds[kind].name, write_profile, pb, path,
	                    sizeof(path));
	int err = errno;
	profile_builder_free(pb);
	if (rc == 0)
		agent_debug("wrote %s", path);
	errno = err;
	return rc;
}

void snapshot_files_init(void)
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
			agent_log("%s", err);
			errno = ENOENT;
			return -1;
		}
		snapshot_files_init();
	}
	for (int k = 0; k < KIND_COUNT; k++) {
		if (!profile_kinds[k].written || !profile_kinds[k].written())
			continue;
		if (write_kind_file(k) != 0) {
			if (!first_errno)
				first_errno = errno;
			rc = -1;
		}
	}
	if (sym)
		symbolizer_release_files(sym);
	if (rc != 0 && first_errno != last_errno_logged)
		agent_log("cannot write profiles to %s: %s", dump.dir, strerror(first_errno));
	last_errno_logged = rc ? first_errno : 0;
	errno = first_errno;
	return rc;
}

int snapshot_now(void)
{
	int rc;
	agent_enter();
	lock_snapshot();
	if (exiting) {
		rc = -1;
		errno = ECANCELED;
	} else {
		rc = snapshot_locked();
	}
	unlock_snapshot();
	agent_leave();
	return rc;
}

int snapshot_write_kind(int kind, int fd)
{
	int rc = -1;
	if (kind < 0 || kind >= KIND_COUNT) {
		errno = EINVAL;
		return -1;
	}
	agent_enter();
	lock_snapshot();
	profile_builder *pb = build_locked(kind);
	int err = errno;
	symbolizer_release_files(sym);
	if (pb) {
		rc = profile_write(pb, write_all, &fd);
		err = errno;
		profile_builder_free(pb);
	}
	errno = err;
	unlock_snapshot();
	agent_leave();
	return rc;
}

void snapshot_final(void)
{
	agent_enter();
	lock_snapshot();
	if (!exiting && profiling_started())
		snapshot_locked();
	exiting = 1;
	unlock_snapshot();
	agent_leave();
}

int snapshot_finished(void)
{
	return exiting;
}

void snapshot_after_fork_child(void)
{
	pthread_mutex_init(&snapshot_lock, NULL);
	if (in_snapshot)
		sym = NULL;
	in_snapshot = 0;
}
