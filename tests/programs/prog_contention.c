/*
 * prog_contention.c — workloads with blocking and lock contention for the
 * block, mutex and threadcreate tests. Usage: prog_contention MODE
 *   known     five scenarios, one after another, in each of which a waiter
 *             blocks until a partner lets it go 200 ms after seeing it
 *             blocked: a mutex held in hold_lock while wait_lock waits; an
 *             rwlock (hold_rwlock / wait_rwlock); a condition variable
 *             (wait_cond, signalled by signal_cond); a semaphore (wait_sem,
 *             posted by post_sem); a join (wait_join, of a thread that
 *             sleeps)
 *   short     20000 condition waits that time out after 50 us in
 *             short_waits
 *   fraction  2000 handoffs (HANDOFFS): hand_over holds a mutex until
 *             take_over is asleep waiting for it, so that every handoff is
 *             a contention however late take_over arrives
 *   threads   creates 2 threads in spawn_two, 3 in spawn_three, 4 in
 *             spawn_four
 *   none      locks and unlocks without ever contending
 *   shared    a process with one thread waits in wait_shared_lock for a
 *             process-shared mutex its forked child holds until 200 ms
 *             after seeing it blocked (the only contention a process with
 *             one thread can have)
 *
 * Every scenario prints the truths it measured itself, one per line:
 *   true FN delay OUTER INNER
 *                         the time the profile charges to FN lies between
 *                         INNER and OUTER ns: OUTER is measured around the
 *                         agent's own clock reads, INNER between instants
 *                         that both lie inside the charged interval
 *   true short_waits delay NS
 *                         total time spent inside the short waits
 *   true hand_over contentions N
 *   true hand_over sumsq NS2
 *                         the number of handoffs (each one a contention),
 *                         and the sum of the squares of their OUTER bounds
 *                         (for the spread of a sampled estimate)
 *   true FN threads N     threads created by FN
 *
 * The partner knows the waiter is blocked in the kernel, not just about
 * to call, by polling the waiter's thread state in /proc: from the moment
 * the waiter arms itself until its call returns, the only place it can
 * sleep is the futex of the call it measures.
 *
 * Every lock hook call here is followed by other work so the compiler
 * cannot turn it into a tail call (which would drop the caller's frame).
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))
#define HOLD_NS 200000000LL
#define POLL_NS 10000

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static sem_t sem;
static atomic_int phase;
static volatile int sink;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void spin_for(int64_t ns)
{
	int64_t end = now_ns() + ns;
	while (now_ns() < end)
		sink++;
}

static void sleep_ns(int64_t ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };
	nanosleep(&ts, NULL);
}

/* The threads of a scenario step through phases. They wait on a raw futex,
 * which the agent does not see (its hooks are the pthread calls), and do
 * not spin: a spinning thread on a busy machine delays the one it waits
 * for. */
static void set_phase(int p)
{
	atomic_store(&phase, p);
	syscall(SYS_futex, &phase, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void wait_phase(int p)
{
	int now;
	while ((now = atomic_load(&phase)) < p)
		syscall(SYS_futex, &phase, FUTEX_WAIT_PRIVATE, now, NULL, NULL, 0);
}

/* --- knowing that a waiter is blocked --------------------------------- */

struct waiter {
	atomic_int tid;       /* kernel thread id of the waiting thread */
	atomic_int armed;     /* 1 from just before its call until it returns */
	int64_t armed_at;     /* when it was armed, written before armed */
};

static struct waiter waiter;

/* Called right before the measured call. */
static void waiter_arm(struct waiter *w)
{
	atomic_store(&w->tid, gettid());
	w->armed_at = now_ns();
	atomic_store(&w->armed, 1);
}

static void waiter_disarm(struct waiter *w)
{
	atomic_store(&w->armed, 0);
}

/* The state letter of field 3 of /proc/self/task/TID/stat ('R', 'S', ...),
 * or '?' if it cannot be read. The command name in field 2 may hold
 * spaces and parentheses, so the state is found after the last ')'. */
static char thread_state(int tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", tid);   /* any process's */
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

/* Waits until w is armed and asleep in the kernel; returns the time it
 * was seen asleep, a time by which the agent has started its clock. */
static int64_t wait_until_blocked(struct waiter *w)
{
	while (!atomic_load(&w->armed) || thread_state(atomic_load(&w->tid)) != 'S')
		sleep_ns(POLL_NS);
	return now_ns();
}

/* --- known ---------------------------------------------------------- */

/* The instants of one scenario, each written by one thread and read by
 * the main thread after joining both. */
static struct {
	int64_t returned;    /* waiter: just after its call */
	int64_t seen;        /* partner: waiter seen asleep */
	int64_t release;     /* partner: just before it lets the waiter go */
	int64_t released;    /* partner: just after */
} at;

static void print_truth(const char *fn, int64_t outer, int64_t inner)
{
	printf("true %s delay %lld %lld\n", fn, (long long)outer, (long long)inner);
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* The waiter's blocked time. */
static void print_wait(const char *waiter_fn)
{
	print_truth(waiter_fn, at.returned - waiter.armed_at, at.release - at.seen);
}

/* The delay charged to the holder's unlock: the agent reads its clock
 * before the real unlock, so before the unlock call returns and before the
 * waiter's lock call does. */
static void print_hold(const char *holder_fn)
{
	print_truth(holder_fn, min64(at.released, at.returned) - waiter.armed_at,
	            at.release - at.seen);
}

/* The partner's side: waits until the waiter is blocked, then 200 ms. */
static void hold_until_due(void)
{
	at.seen = wait_until_blocked(&waiter);
	sleep_ns(HOLD_NS);
	at.release = now_ns();
}

NOINLINE static void hold_lock(void)
{
	pthread_mutex_lock(&mutex);
	set_phase(1);
	hold_until_due();
	pthread_mutex_unlock(&mutex);
	at.released = now_ns();
}

NOINLINE static void wait_lock(void)
{
	wait_phase(1);
	waiter_arm(&waiter);
	pthread_mutex_lock(&mutex);
	at.returned = now_ns();
	waiter_disarm(&waiter);
	pthread_mutex_unlock(&mutex);
	sink++;
}

NOINLINE static void hold_rwlock(void)
{
	pthread_rwlock_wrlock(&rwlock);
	set_phase(1);
	hold_until_due();
	pthread_rwlock_unlock(&rwlock);
	at.released = now_ns();
}

NOINLINE static void wait_rwlock(void)
{
	wait_phase(1);
	waiter_arm(&waiter);
	pthread_rwlock_rdlock(&rwlock);
	at.returned = now_ns();
	waiter_disarm(&waiter);
	pthread_rwlock_unlock(&rwlock);
	sink++;
}

static int cond_ready;

NOINLINE static void signal_cond(void)
{
	wait_phase(1);
	hold_until_due();
	pthread_mutex_lock(&mutex);
	cond_ready = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&mutex);
	sink++;
}

/* The waiter cannot return before the signaller has set cond_ready, which
 * it does after at.release. */
NOINLINE static void wait_cond(void)
{
	pthread_mutex_lock(&mutex);
	set_phase(1);
	waiter_arm(&waiter);
	while (!cond_ready)
		pthread_cond_wait(&cond, &mutex);
	at.returned = now_ns();
	waiter_disarm(&waiter);
	pthread_mutex_unlock(&mutex);
	sink++;
}

NOINLINE static void post_sem(void)
{
	wait_phase(1);
	hold_until_due();
	sem_post(&sem);
	sink++;
}

NOINLINE static void wait_sem(void)
{
	set_phase(1);
	waiter_arm(&waiter);
	sem_wait(&sem);
	at.returned = now_ns();
	waiter_disarm(&waiter);
	sink++;
}

/* The joined thread ends only after at.release. */
static void *sleeper(void *arg)
{
	hold_until_due();
	return arg;
}

NOINLINE static void wait_join(void)
{
	pthread_t t;
	pthread_create(&t, NULL, sleeper, NULL);
	waiter_arm(&waiter);
	pthread_join(t, NULL);
	at.returned = now_ns();
	waiter_disarm(&waiter);
	sink++;
}

static void *run_fn(void *fn)
{
	((void (*)(void))fn)();
	return NULL;
}

/* Runs a and b on two threads and waits for both (the joins block too,
 * in pair, which the test does not read). */
static void pair(void (*a)(void), void (*b)(void))
{
	pthread_t ta, tb;
	set_phase(0);
	pthread_create(&ta, NULL, run_fn, (void *)a);
	pthread_create(&tb, NULL, run_fn, (void *)b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
}

static void known(void)
{
	sem_init(&sem, 0, 0);
	pair(hold_lock, wait_lock);
	print_wait("wait_lock");
	print_hold("hold_lock");
	pair(hold_rwlock, wait_rwlock);
	print_wait("wait_rwlock");
	print_hold("hold_rwlock");
	pair(signal_cond, wait_cond);
	print_wait("wait_cond");
	pair(post_sem, wait_sem);
	print_wait("wait_sem");
	wait_join();
	print_wait("wait_join");
}

/* --- short ---------------------------------------------------------- */

NOINLINE static void short_waits(void)
{
	int64_t total = 0;
	pthread_mutex_lock(&mutex);
	for (int i = 0; i < 20000; i++) {
		struct timespec abs;
		clock_gettime(CLOCK_REALTIME, &abs);
		abs.tv_nsec += 50000;
		if (abs.tv_nsec >= 1000000000) {
			abs.tv_sec++;
			abs.tv_nsec -= 1000000000;
		}
		int64_t t0 = now_ns();
		pthread_cond_timedwait(&cond, &mutex, &abs);
		total += now_ns() - t0;
	}
	pthread_mutex_unlock(&mutex);
	printf("true short_waits delay %lld\n", (long long)total);
}

/* --- fraction ------------------------------------------------------- */

#define HANDOFFS 2000
#define HANDOFF_HOLD_NS 100000

static int64_t taken_at;   /* take_over: just after its lock call returned */

/* Each handoff is bounded as in print_hold; taken_at is read once
 * take_over has moved the phase on. */
NOINLINE static void hand_over(void)
{
	int64_t inner = 0, outer = 0;
	double sumsq = 0;
	for (int i = 0; i < HANDOFFS; i++) {
		pthread_mutex_lock(&mutex);
		set_phase(2 * i + 1);
		int64_t seen = wait_until_blocked(&waiter);
		spin_for(HANDOFF_HOLD_NS);
		int64_t release = now_ns();
		pthread_mutex_unlock(&mutex);
		int64_t released = now_ns();
		wait_phase(2 * i + 2);
		int64_t d = min64(released, taken_at) - waiter.armed_at;
		inner += release - seen;
		outer += d;
		sumsq += (double)d * (double)d;
	}
	print_truth("hand_over", outer, inner);
	printf("true hand_over contentions %d\n", HANDOFFS);
	printf("true hand_over sumsq %.0f\n", sumsq);
}

NOINLINE static void take_over(void)
{
	for (int i = 0; i < HANDOFFS; i++) {
		wait_phase(2 * i + 1);
		waiter_arm(&waiter);
		pthread_mutex_lock(&mutex);
		taken_at = now_ns();
		waiter_disarm(&waiter);
		pthread_mutex_unlock(&mutex);
		set_phase(2 * i + 2);
	}
}

/* --- threads -------------------------------------------------------- */

static void *noop(void *arg)
{
	return arg;
}

/* Creates n threads, joins them, prints how many were created. */
static void spawn(const char *fn, int n)
{
	pthread_t t[8];
	int created = 0;
	for (int i = 0; i < n; i++)
		created += pthread_create(&t[created], NULL, noop, NULL) == 0;
	for (int i = 0; i < created; i++)
		pthread_join(t[i], NULL);
	printf("true %s threads %d\n", fn, created);
}

NOINLINE static void spawn_two(void) { spawn("spawn_two", 2); sink++; }
NOINLINE static void spawn_three(void) { spawn("spawn_three", 3); sink++; }
NOINLINE static void spawn_four(void) { spawn("spawn_four", 4); sink++; }

/* --- none ----------------------------------------------------------- */

/* --- shared --------------------------------------------------------- */

/* In memory both processes map. */
struct shared_scene {
	pthread_mutex_t mutex;
	struct waiter waiter;
	atomic_int held;
	int64_t seen, release;
};

NOINLINE static void wait_shared_lock(struct shared_scene *s)
{
	while (!atomic_load(&s->held))
		sleep_ns(POLL_NS);
	waiter_arm(&s->waiter);
	pthread_mutex_lock(&s->mutex);
	at.returned = now_ns();
	waiter_disarm(&s->waiter);
	pthread_mutex_unlock(&s->mutex);
	sink++;
}

static int shared_process(void)
{
	struct shared_scene *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE,
	                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t attr;
	if (s == MAP_FAILED)
		return 1;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->mutex, &attr);
	pid_t child = fork();
	if (child == 0) {
		pthread_mutex_lock(&s->mutex);
		atomic_store(&s->held, 1);
		s->seen = wait_until_blocked(&s->waiter);
		sleep_ns(HOLD_NS);
		s->release = now_ns();
		pthread_mutex_unlock(&s->mutex);
		_exit(0);
	}
	wait_shared_lock(s);
	int status;
	if (child < 0 || waitpid(child, &status, 0) != child || status != 0)
		return 1;
	print_truth("wait_shared_lock", at.returned - s->waiter.armed_at, s->release - s->seen);
	return 0;
}

static void no_contention(void)
{
	for (int i = 0; i < 100000; i++) {
		pthread_mutex_lock(&mutex);
		sink++;
		pthread_mutex_unlock(&mutex);
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "known";
	if (strcmp(mode, "known") == 0)
		known();
	else if (strcmp(mode, "short") == 0)
		short_waits();
	else if (strcmp(mode, "fraction") == 0)
		pair(hand_over, take_over);
	else if (strcmp(mode, "threads") == 0) {
		spawn_two();
		spawn_three();
		spawn_four();
	} else if (strcmp(mode, "none") == 0)
		no_contention();
	else if (strcmp(mode, "shared") == 0)
		return shared_process();
	else {
		fprintf(stderr, "prog_contention: unknown mode %s\n", mode);
		return 2;
	}
	return 0;
}
