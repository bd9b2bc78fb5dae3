/*
 * snapshot.c — snapshots (see snapshot.h): the symbolizer, which lives as
 * long as the process and is made at the first snapshot, and the files.
 */
#include "snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "core_sys.h"
#include "cpu_profiler.h"
#include "cpu_record.h"
#include "delta.h"
#include "dump_signal.h"
#include "files.h"
#include "kinds.h"
#include "output_dir.h"
#include "rates.h"
#include "report_sys.h"
#include "runtime.h"
#include "snapshot_signal.h"
#include "spinlock.h"
#include "symbolize.h"
#include "text_forms.h"

static pthread_mutex_t snapshot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dump_dir dump;
static symbolizer *sym;
static int exiting;
/* Someone holds the snapshot lock, and with it the symbolizer: a child
 * forked meanwhile cannot trust the symbolizer's state. */
static atomic_int in_snapshot;
static int dump_ready;
/* The C API's cpu profile turned sampling on (no cpu_hz): it turns it off. */
static int api_started_sampling;
/* The path of the last file written, for the line an abrupt ending says:
 * two buffers, the one last_file names complete, so that a signal handler
 * reading it while a snapshot writes the other never sees half a path. */
static char last_files[2][4200];
static atomic_int last_file = -1;
/* Open only while a snapshot writes (output_dir.h); path set once known. */
static struct output_dir out = { .fd = -1 };
#define PROBLEM_MAX 4608
/* The problem last said, as an errno value (0: none): each is said once,
 * however its text changes (the free space, say), until a snapshot
 * succeeds. */
static int problem_said;

static void say_once(int problem, const char *text)
{
	if (problem == problem_said)
		return;
	agent_log("%s", text);
	problem_said = problem;
}

static void lock_snapshot(void)
{
	lock_rank_acquire(RANK_SNAPSHOT, 0);
	pthread_mutex_lock(&snapshot_lock);
	atomic_store(&in_snapshot, 1);
}

static void unlock_snapshot(void)
{
	atomic_store(&in_snapshot, 0);
	pthread_mutex_unlock(&snapshot_lock);
	lock_rank_release(RANK_SNAPSHOT);
}

/* Makes the symbolizer (at start; a first snapshot in a process where the
 * constructor did not run makes it too), saying once how it loaded libdw
 * when there is something to say. */
static void make_symbolizer(void)
{
	int verbose;
	sym = symbolizer_new();
	const char *note = symbolizer_load_note(&verbose);
	if (note != NULL && verbose)
		agent_debug("%s", note);
	else if (note != NULL)
		agent_log("%s", note);
}

void snapshot_symbolizer_init(void)
{
	lock_snapshot();
	if (!sym)
		make_symbolizer();
	unlock_snapshot();
}

/* Builds kind, symbolized (called with snapshot_lock held). */
static profile_builder *build_locked(enum profile_kind kind)
{
	if (!sym)
		make_symbolizer();
	profile_builder *pb = profile_build(kind, sym);
	return pb;
}

/* The profile of what happened between two copies of counters (delta.h),
 * symbolized (called with snapshot_lock held). */
static profile_builder *build_delta_locked(const struct counts_copy *from,
                                           const struct counts_copy *to, const char *what)
{
	if (!sym)
		make_symbolizer();
	return profile_build_delta(from, to, sym, what);
}

/* Writes pb (NULL: its build failed, errno says why) through output and
 * frees it; the symbolizer lets go of its files (snapshot_lock held). */
static int write_built_locked(profile_builder *pb, profile_output output, void *ctx)
{
	int rc = -1, err = errno;
	if (sym)
		symbolizer_release_files(sym);
	if (pb) {
		rc = profile_write(pb, output, ctx);
		err = errno;
		profile_builder_free(pb);
	}
	errno = err;
	return rc;
}

static int write_profile(int fd, void *pb)
{
	return profile_write(pb, write_all, &fd);
}

/* delta=1: each kind's counters when its last file was written (the
 * first file counts from the first snapshot's setup). */
static struct counts_copy last_counts[KIND_COUNT];
static int64_t counts_start;

/* Builds kind for its file: with delta=1, what happened since the last
 * file (*taken is then the copy the next file counts from). */
static profile_builder *build_for_file(enum profile_kind kind, struct counts_copy *taken)
{
	if (!agent_opts.delta || !kind_has_deltas(kind))
		return build_locked(kind);
	if (counts_copy_take(kind, taken) != 0)
		return NULL;
	struct counts_copy *from = &last_counts[kind];
	if (!from->v)
		*from = (struct counts_copy){ .kind = kind, .time_nanos = counts_start };
	profile_builder *pb = build_delta_locked(from, taken, "delta=1 (since the previous file)");
	if (!pb)
		counts_copy_free(taken);
	return pb;
}

/* Called with snapshot_lock held. */
static int write_kind_file(enum profile_kind kind)
{
	char path[4200];
	struct counts_copy taken = { 0 };
	profile_builder *pb = build_for_file(kind, &taken);
	if (!pb)
		return -1;
	int rc = dump_write(&dump, (int)kind, profile_kinds[kind].name, write_profile, pb, path,
	                    sizeof(path));
	int err = errno;
	profile_builder_free(pb);
	if (rc == 0 && taken.v) {   /* the next file counts from here */
		counts_copy_free(&last_counts[kind]);
		last_counts[kind] = taken;
	} else {
		counts_copy_free(&taken);
	}
	if (rc == 0) {
		int next = atomic_load(&last_file) == 0;
		snprintf(last_files[next], sizeof last_files[next], "%s", path);
		atomic_store_explicit(&last_file, next, memory_order_release);
		agent_debug("wrote %s", path);
	}
	errno = err;
	return rc;
}

int snapshot_files_init(char *err, size_t errlen)
{
	if (!out.path[0]) {
		if (options_resolve_dir(&agent_opts, err, errlen) != 0 ||
		    output_dir_open(&out, agent_opts.dir, err, errlen) != 0)
			return -1;
		output_dir_remove_stale(&out);
		output_dir_close(&out);
	}
	const char *slash = strrchr(program_invocation_name, '/');
	dump_dir_init(&dump, out.fd, out.path, slash ? slash + 1 : program_invocation_name, getpid(),
	              agent_opts.keep);
	dump_ready = 1;
	if (!counts_start)
		counts_start = core_sys.walltime();
	return 0;
}

/* The output directory is still ours and has room; else says why, once. */
static int files_may_be_written(void)
{
	char why[PROBLEM_MAX - 1];
	if (!dump_ready && snapshot_files_init(why, sizeof why) != 0) {
		say_once(ENOENT, why);
		errno = ENOENT;
		return 0;
	}
	if (output_dir_check(&out, why, sizeof why) != 0) {
		say_once(EBADF, why);
		errno = EBADF;
		return 0;
	}
	dump.dirfd = out.fd;
	if (!output_dir_has_room(&out, agent_opts.min_disk_free, agent_opts.max_dir_size, why,
	                         sizeof why)) {
		say_once(ENOSPC, why);
		errno = ENOSPC;
		return 0;
	}
	return 1;
}

/* Whether kind k gets a file at this snapshot: a kind that is written,
 * except, at the final snapshot, one with no sample whose file was never
 * written (a short-lived child would otherwise leave a file per kind). */
static int kind_due(int k, int final)
{
	if (!profile_kinds[k].written || !profile_kinds[k].written())
		return 0;
	return !final || dump_has_written(&dump, k) || !profile_kind_is_empty(k);
}

static int snapshot_locked(int final)
{
	int rc = 0, first_errno = 0;
	if (agent_secure) {
		errno = EPERM;
		return -1;
	}
	snapshot_signal_check();
	dump_signal_check();
	if (!files_may_be_written()) {
		output_dir_close(&out);
		return -1;
	}
	cpu_profiler_drain();
	for (int k = 0; k < KIND_COUNT; k++) {
		if (!kind_due(k, final))
			continue;
		int failed = write_kind_file(k) != 0;
		/* The program closed one of our descriptors mid-write (closefrom,
		 * say; then a file of ours may even have taken the directory's
		 * number, hence ENOTDIR): once more, the directory checked again.
		 * The temporary of the failed try has the same name and goes
		 * first. */
		if (failed && (errno == EBADF || errno == ENOTDIR) && files_may_be_written())
			failed = write_kind_file(k) != 0;
		if (!failed && profile_kinds[k].file_written)
			profile_kinds[k].file_written();
		if (failed) {
			if (!first_errno)
				first_errno = errno ? errno : EIO;
			rc = -1;
		}
	}
	if (sym)
		symbolizer_release_files(sym);
	output_dir_close(&out);
	if (rc != 0) {
		char problem[PROBLEM_MAX - 1];
		snprintf(problem, sizeof problem, "cannot write profiles to %s: %s", dump.dir,
		         strerror(first_errno));
		say_once(first_errno, problem);
	} else {
		problem_said = 0;
	}
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
		rc = snapshot_locked(0);
	}
	unlock_snapshot();
	agent_leave();
	return rc;
}

int snapshot_write_kind(int kind, int fd)
{
	return snapshot_write_kind_to(kind, write_all, &fd);
}

int snapshot_write_kind_to(int kind, profile_output output, void *ctx)
{
	int rc = -1;
	if (kind < 0 || kind >= KIND_COUNT) {
		errno = EINVAL;
		return -1;
	}
	agent_enter();
	lock_snapshot();
	cpu_profiler_drain();
	rc = write_built_locked(build_locked(kind), output, ctx);
	unlock_snapshot();
	agent_leave();
	return rc;
}

int snapshot_write_delta_to(const struct counts_copy *from, const char *what,
                            profile_output output, void *ctx)
{
	struct counts_copy to;
	profile_builder *pb = NULL;
	agent_enter();
	lock_snapshot();
	if (counts_copy_take(from->kind, &to) == 0) {
		pb = build_delta_locked(from, &to, what);
		int err = errno;
		counts_copy_free(&to);
		errno = err;
	}
	int rc = write_built_locked(pb, output, ctx);
	unlock_snapshot();
	agent_leave();
	return rc;
}

struct text_job {
	int kind, debug, self_only;   /* kind < 0: the threads' stacks */
	profile_output output;
	void *ctx;
	int rc, err;
};

static void write_text(symbolizer *with, void *arg)
{
	struct text_job *job = arg;
	if (job->kind >= 0)
		job->rc = profile_text_write(job->kind, job->debug, with, job->output, job->ctx);
	else
		job->rc = profile_stacks_write(job->self_only, with, job->output, job->ctx);
	job->err = errno;
}

static int text_job_run(struct text_job *job)
{
	job->rc = -1;
	job->err = ENOMEM;
	snapshot_with_symbolizer(write_text, job);
	errno = job->err;
	return job->rc;
}

int snapshot_write_text(int kind, int debug, profile_output output, void *ctx)
{
	if (kind < 0 || kind >= KIND_COUNT) {
		errno = EINVAL;
		return -1;
	}
	struct text_job job = { .kind = kind, .debug = debug, .output = output, .ctx = ctx };
	return text_job_run(&job);
}

int snapshot_write_stacks(int self_only, profile_output output, void *ctx)
{
	struct text_job job = { .kind = -1, .self_only = self_only, .output = output, .ctx = ctx };
	return text_job_run(&job);
}

int snapshot_cpu_api_begin(void)
{
	int rc = 0;
	agent_enter();
	lock_snapshot();
	if (cpu_record_api_active()) {
		errno = EBUSY;
		rc = -1;
	} else if (!cpu_profiler_on() &&
	           cpu_profiler_start(atomic_load(&cpu_hz) > 0 ? atomic_load(&cpu_hz) : 100) != 0) {
		errno = EOPNOTSUPP;
		rc = -1;
	} else {
		cpu_profiler_drain();   /* what came before is not the API's */
		cpu_record_api_begin(core_sys.walltime());
		api_started_sampling = atomic_load(&cpu_hz) == 0;
	}
	unlock_snapshot();
	agent_leave();
	return rc;
}

int snapshot_with_symbolizer(void (*use)(symbolizer *sym, void *arg), void *arg)
{
	agent_enter();
	lock_snapshot();
	if (!sym)
		make_symbolizer();
	if (sym) {
		profile_refresh_symbolizer(sym);
		use(sym, arg);
	}
	int rc = sym ? 0 : -1;
	if (sym)
		symbolizer_release_files(sym);
	unlock_snapshot();
	agent_leave();
	return rc;
}

int snapshot_cpu_api_end(int fd)
{
	return snapshot_cpu_api_end_to(write_all, &fd);
}

int snapshot_cpu_api_end_to(profile_output output, void *ctx)
{
	int rc = 0, err = 0;
	agent_enter();
	lock_snapshot();
	if (cpu_record_api_active()) {
		cpu_profiler_drain();
		cpu_record_api_end();
		if (output) {
			rc = write_built_locked(build_locked(KIND_CPU_SINCE_START), output, ctx);
			err = errno;
		}
		if (api_started_sampling)
			cpu_profiler_stop();
	}
	unlock_snapshot();
	agent_leave();
	errno = err;
	return rc;
}

int snapshot_write_named(const char *suffix, dump_writer writer, void *arg)
{
	char path[4200];
	int rc = -1;
	agent_enter();
	lock_snapshot();
	if (!exiting && files_may_be_written())
		rc = dump_write_named(&dump, suffix, writer, arg, path, sizeof path);
	int err = errno;
	output_dir_close(&out);
	if (rc == 0)
		agent_debug("wrote %s", path);
	unlock_snapshot();
	agent_leave();
	errno = err;
	return rc;
}

/* Writes every thread's debug=2 text to fd (called under the snapshot
 * lock, by snapshot_write_named). */
static int write_thread_dump(int fd, void *arg)
{
	(void)arg;
	if (!sym)
		sym = symbolizer_new();
	if (sym)
		profile_refresh_symbolizer(sym);
	int rc = profile_stacks_write(0, sym, write_all, &fd);
	int err = errno;
	if (sym)
		symbolizer_release_files(sym);
	errno = err;
	return rc;
}

int snapshot_write_thread_dump(void)
{
	static unsigned seq;
	char suffix[64];
	snprintf(suffix, sizeof suffix, "threads.%04u.txt", ++seq);
	return snapshot_write_named(suffix, write_thread_dump, NULL);
}

void snapshot_drain_cpu(void)
{
	agent_enter();
	lock_snapshot();
	cpu_profiler_drain();
	unlock_snapshot();
	agent_leave();
}

void snapshot_final(void)
{
	agent_enter();
	lock_snapshot();
	if (!exiting && profiling_started())
		snapshot_locked(1);
	exiting = 1;
	unlock_snapshot();
	agent_leave();
}

int snapshot_finished(void)
{
	return exiting;
}

int snapshot_final_pending(void)
{
	if (!dump_ready || dump.pid != getpid() || exiting || !profiling_started())
		return 0;
	for (int k = 0; k < KIND_COUNT; k++)
		if (kind_due(k, 1))
			return 1;
	return 0;
}

const char *snapshot_last_file(void)
{
	int i = atomic_load_explicit(&last_file, memory_order_acquire);
	return i < 0 ? NULL : last_files[i];
}

void snapshot_after_fork_child(void)
{
	pthread_mutex_init(&snapshot_lock, NULL);
	if (atomic_load(&in_snapshot))
		sym = NULL;   /* mid-change in the parent: left as it is, unused */
	output_dir_close(&out);   /* the parent's, when it forked mid-snapshot */
	atomic_store(&last_file, -1);   /* the parent's files are not this process's */
	atomic_store(&in_snapshot, 0);
	problem_said = 0;   /* a problem the parent said is still unsaid in the child */
}
