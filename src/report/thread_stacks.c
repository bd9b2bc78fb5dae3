/*
 * thread_stacks.c — every live thread and where it is, without
 * interrupting any (see thread_stacks.h).
 */
#include "thread_stacks.h"

#include "agent_thread_names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <pprof_agent.h>

#include "private_fd.h"
#include "syscall_names.h"
#include "thread_stack.h"
#include "waiting_unwind.h"

#define TAKE_TRIES 3
/* The most of a waiting thread's stack copied, from its stack pointer up:
 * room for STACK_MAX frames of any reasonable size. */
#define COPY_MAX (256 * 1024)
/* Frames of the agent itself above the program's call, at most. */
#define AGENT_FRAMES_MAX 32

static atomic_int agent_tid;

void thread_stacks_set_agent_thread(int tid)
{
	atomic_store(&agent_tid, tid);
}

struct take {
	struct thread_list *list;
	int taskfd;
	size_t depth;
	unsigned char *copy;   /* COPY_MAX bytes */
};

/* Where /proc/self/task/TID/syscall says a thread waits. */
struct waiting {
	long nr;   /* -1: in the kernel, but not in a system call */
	uintptr_t sp, pc;
};

/* Reads TID/name of the task directory into buf, NUL-terminated (these
 * files are small: one read). Returns 0, or -1 (the thread is gone). */
static int read_task_file(int taskfd, int tid, const char *name, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "%d/%s", tid, name);
	int fd = private_fd_openat(taskfd, path, O_RDONLY, 0);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The thread's context switches so far, voluntary and not. */
static int read_switches(int taskfd, int tid, unsigned long long *out)
{
	char status[4096];
	if (read_task_file(taskfd, tid, "status", status, sizeof status) != 0)
		return -1;
	const char *v = strstr(status, "\nvoluntary_ctxt_switches:");
	const char *nv = strstr(status, "\nnonvoluntary_ctxt_switches:");
	if (!v || !nv)
		return -1;
	*out = strtoull(strchr(v, ':') + 1, NULL, 10) + strtoull(strchr(nv, ':') + 1, NULL, 10);
	return 0;
}

/* Parses a `syscall` line: "NR ARG1..ARG6 SP PC", or "-1 SP PC" for a
 * thread in the kernel outside a system call. 0 for "running" (or a line
 * not understood). */
static int parse_waiting(const char *line, struct waiting *w)
{
	unsigned long long v[9];
	char *end;
	int n = 0;
	w->nr = strtol(line, &end, 10);
	if (end == line)
		return 0;
	for (const char *p = end; n < 9; p = end, n++) {
		v[n] = strtoull(p, &end, 16);
		if (end == p)
			break;
	}
	if (n != (w->nr < 0 ? 2 : 8) || v[n - 2] == 0 || v[n - 1] == 0)
		return 0;
	w->sp = (uintptr_t)v[n - 2];
	w->pc = (uintptr_t)v[n - 1];
	return 1;
}

/* Copies the stack above w->sp (up to the end of its mapping, at most
 * COPY_MAX bytes) into t->copy; returns how many bytes were copied. */
static size_t copy_stack(struct take *t, const struct waiting *w)
{
	uintptr_t lo, hi;
	if (!thread_stack_mapping_of(w->sp, &lo, &hi))
		return 0;
	size_t len = hi - w->sp < COPY_MAX ? hi - w->sp : COPY_MAX;
	struct iovec local = { t->copy, len }, remote = { (void *)w->sp, len };
	ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	return got > 0 ? (size_t)got : 0;
}

static void set_waiting_state(struct thread_sample *s, long nr)
{
	const char *name = nr >= 0 ? syscall_name(nr) : "sleeping";
	if (name)
		snprintf(s->state, sizeof s->state, "%s", name);
	else
		snprintf(s->state, sizeof s->state, "syscall %ld", nr);
}

/* Leaves out the frames of the agent's own code (a hook the thread waits
 * in, say), as the other kinds, whose stacks start at the program's call
 * into the agent. */
static void cut_agent_frames(struct thread_sample *s)
{
	size_t kept = 0;
	for (size_t i = 0; i < s->nstk; i++)
		if (!unwind_in_agent(s->stk[i]))
			s->stk[kept++] = s->stk[i];
	s->nstk = kept;
}

/* Another thread: see thread_stacks.h. -1 when it is gone. */
static int take_other(struct take *t, struct thread_sample *s)
{
	for (int try = 0; try < TAKE_TRIES; try++) {
		char before[256], after[256];
		unsigned long long switches_before, switches_after;
		struct waiting w;
		if (read_switches(t->taskfd, s->tid, &switches_before) != 0 ||
		    read_task_file(t->taskfd, s->tid, "syscall", before, sizeof before) != 0)
			return -1;
		if (!parse_waiting(before, &w))
			break;   /* running */
		size_t copied = copy_stack(t, &w);
		if (read_task_file(t->taskfd, s->tid, "syscall", after, sizeof after) != 0 ||
		    read_switches(t->taskfd, s->tid, &switches_after) != 0)
			return -1;
		if (strcmp(before, after) != 0 || switches_before != switches_after)
			continue;   /* it moved: the copy may be torn */
		struct unwind_regs from = { .pc = w.pc, .sp = w.sp, .pc_is_exact = w.nr < 0 };
		struct stack_memory mem = { .lo = w.sp, .hi = w.sp + copied, .copy = t->copy };
		s->nstk = copied ? unwind_waiting_thread(from, &mem, s->stk, t->depth) : 0;
		cut_agent_frames(s);
		set_waiting_state(s, w.nr);
		return 0;
	}
	snprintf(s->state, sizeof s->state, "running");
	s->nstk = 0;
	return 0;
}

/* The calling thread, one of the program's: its own stack from its call
 * into the agent (the agent's frames cut). */
static void take_self(struct take *t, struct thread_sample *s)
{
	void *pcs[AGENT_FRAMES_MAX + STACK_MAX];
	int n = unwind_current_thread(NULL, pcs, (int)(AGENT_FRAMES_MAX + t->depth));
	int first = 0;
	while (first < n && unwind_in_agent((uintptr_t)pcs[first]))
		first++;
	for (int i = first; i < n && s->nstk < t->depth; i++)
		s->stk[s->nstk++] = (uintptr_t)pcs[i];
	snprintf(s->state, sizeof s->state, "running");
}

static struct thread_sample *list_push(struct thread_list *list)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct thread_sample *v = realloc(list->v, cap * sizeof *v);
		if (!v)
			return NULL;
		list->v = v;
		list->cap = cap;
	}
	struct thread_sample *s = &list->v[list->n++];
	memset(s, 0, offsetof(struct thread_sample, stk));
	return s;
}

/* Lists thread tid; it may have ended meanwhile (then it is not listed). */
static int take_thread(struct take *t, int tid, int self)
{
	struct thread_sample *s = list_push(t->list);
	if (!s)
		return -1;
	s->tid = tid;
	if (read_task_file(t->taskfd, tid, "comm", s->name, sizeof s->name) != 0) {
		t->list->n--;
		return 0;
	}
	s->name[strcspn(s->name, "\n")] = '\0';
	if (agent_thread_named(s->name)) {   /* the HTTP thread, say */
		t->list->n--;
		return 0;
	}
	if (tid == self)
		take_self(t, s);
	else if (take_other(t, s) != 0)
		t->list->n--;
	return 0;
}

static int take_all(struct take *t)
{
	char buf[4096];
	int self = gettid(), agent = atomic_load(&agent_tid);
	ssize_t len;
	while ((len = getdents64(t->taskfd, buf, sizeof buf)) > 0) {
		for (ssize_t off = 0; off < len;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			int tid = atoi(d->d_name);
			off += d->d_reclen;
			if (tid > 0 && tid != agent && take_thread(t, tid, self) != 0)
				return -1;
		}
	}
	return len < 0 ? -1 : 0;
}

static int take(struct thread_list *list, size_t depth, int self_only)
{
	struct take t = { .list = list, .depth = depth < STACK_MAX ? depth : STACK_MAX };
	int rc = -1, err = ENOMEM;
	t.copy = malloc(COPY_MAX);
	t.taskfd = private_fd_open("/proc/self/task", O_RDONLY | O_DIRECTORY);
	if (t.taskfd < 0)
		err = errno;
	if (t.copy && t.taskfd >= 0) {
		rc = self_only ? take_thread(&t, gettid(), gettid()) : take_all(&t);
		err = errno;
	}
	if (t.taskfd >= 0)
		close(t.taskfd);
	free(t.copy);
	errno = err;
	return rc;
}

int thread_stacks_take(struct thread_list *list, size_t depth)
{
	return take(list, depth, 0);
}

int thread_stacks_take_self(struct thread_list *list, size_t depth)
{
	return take(list, depth, 1);
}

#define RECORD_HAS(field) \
	(sizeof(((struct pprof_thread_record *)0)->field) == sizeof(((struct thread_sample *)0)->field))
_Static_assert(RECORD_HAS(name) && RECORD_HAS(state) && PPROF_RECORD_STACK == STACK_MAX,
               "a record holds a thread_sample's name, state and stack");

int thread_stacks_records(struct pprof_thread_record *out, size_t len, size_t *n, size_t depth)
{
	struct thread_list list = { 0 };
	int rc = thread_stacks_take(&list, depth);
	*n = list.n;
	if (rc == 0 && list.n <= len) {
		for (size_t i = 0; i < list.n; i++) {
			const struct thread_sample *s = &list.v[i];
			memset(&out[i], 0, sizeof out[i]);
			out[i].tid = s->tid;
			memcpy(out[i].name, s->name, sizeof out[i].name);
			memcpy(out[i].state, s->state, sizeof out[i].state);
			memcpy(out[i].stack.stack, s->stk, s->nstk * sizeof s->stk[0]);
		}
		rc = 1;
	}
	int err = errno;
	thread_list_free(&list);
	errno = err;
	return rc;
}

void thread_list_free(struct thread_list *list)
{
	free(list->v);
	*list = (struct thread_list){ 0 };
}
