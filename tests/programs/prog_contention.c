/*
 * prog_contention.c — workloads with known blocking and lock contention
 * for the block, mutex and threadcreate tests. Usage: prog_contention MODE
 *   known     five 200 ms scenarios, one after another: a mutex held in
 *             hold_lock while wait_lock waits; an rwlock (hold_rwlock /
 *             wait_rwlock); a condition variable (wait_cond, signalled after
 *             200 ms); a semaphore (wait_sem, posted after 200 ms); a join
 *             (wait_join, of a thread that sleeps 200 ms)
 *   short     20000 condition waits that time out after 50 us in
 *             short_waits; prints "true short_waits NS", the total blocked
 *             time measured by the program itself
 *   fraction  3000 handoffs: hand_over holds a mutex for 200 us while
 *             take_over waits for it
 *   threads   creates 2 threads in spawn_two, 3 in spawn_three, 4 in
 *             spawn_four
 *   none      locks and unlocks without ever contending
 * Every lock hook call here is followed by other work so the compiler
 * cannot turn it into a tail call (which would drop the caller's frame).
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))
#define HOLD_NS 200000000LL

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

static void wait_phase(int p)
{
	while (atomic_load(&phase) < p)
		;
}

/* --- known ---------------------------------------------------------- */

NOINLINE static void hold_lock(void)
{
	pthread_mutex_lock(&mutex);
	atomic_store(&phase, 1);
	sleep_ns(HOLD_NS);
	pthread_mutex_unlock(&mutex);
	sink++;
}

NOINLINE static void wait_lock(void)
{
	wait_phase(1);
	sleep_ns(1000000);   /* let the holder settle into its sleep */
	pthread_mutex_lock(&mutex);
	sink++;
	pthread_mutex_unlock(&mutex);
	sink++;
}

NOINLINE static void hold_rwlock(void)
{
	pthread_rwlock_wrlock(&rwlock);
	atomic_store(&phase, 1);
	sleep_ns(HOLD_NS);
	pthread_rwlock_unlock(&rwlock);
	sink++;
}

NOINLINE static void wait_rwlock(void)
{
	wait_phase(1);
	sleep_ns(1000000);
	pthread_rwlock_rdlock(&rwlock);
	sink++;
	pthread_rwlock_unlock(&rwlock);
	sink++;
}

static int cond_ready;

NOINLINE static void signal_cond(void)
{
	wait_phase(1);
	sleep_ns(HOLD_NS);
	pthread_mutex_lock(&mutex);
	cond_ready = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&mutex);
	sink++;
}

NOINLINE static void wait_cond(void)
{
	pthread_mutex_lock(&mutex);
	atomic_store(&phase, 1);
	while (!cond_ready)
		pthread_cond_wait(&cond, &mutex);
	pthread_mutex_unlock(&mutex);
	sink++;
}

NOINLINE static void post_sem(void)
{
	wait_phase(1);
	sleep_ns(HOLD_NS);
	sem_post(&sem);
	sink++;
}

NOINLINE static void wait_sem(void)
{
	atomic_store(&phase, 1);
	sem_wait(&sem);
	sink++;
}

static void *sleeper(void *arg)
{
	(void)arg;
	sleep_ns(HOLD_NS);
	return NULL;
}

NOINLINE static void wait_join(void)
{
	pthread_t t;
	pthread_create(&t, NULL, sleeper, NULL);
	pthread_join(t, NULL);
	sink++;
}

static void *run_fn(void *fn)
{
	((void (*)(void))fn)();
	return NULL;
}

/* Runs a and b on two threads and waits for both (joins not measured as
 * blocking here would blur the profile: the test reads only a's and b's
 * own functions). */
static void pair(void (*a)(void), void (*b)(void))
{
	pthread_t ta, tb;
	atomic_store(&phase, 0);
	pthread_create(&ta, NULL, run_fn, (void *)a);
	pthread_create(&tb, NULL, run_fn, (void *)b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
}

static void known(void)
{
	sem_init(&sem, 0, 0);
	pair(hold_lock, wait_lock);
	pair(hold_rwlock, wait_rwlock);
	pair(signal_cond, wait_cond);
	pair(post_sem, wait_sem);
	wait_join();
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
	printf("true short_waits %lld\n", (long long)total);
}

/* --- fraction ------------------------------------------------------- */

#define HANDOFFS 3000

NOINLINE static void hand_over(void)
{
	for (int i = 0; i < HANDOFFS; i++) {
		pthread_mutex_lock(&mutex);
		atomic_store(&phase, 2 * i + 1);
		spin_for(200000);
		pthread_mutex_unlock(&mutex);
		wait_phase(2 * i + 2);
	}
}

NOINLINE static void take_over(void)
{
	for (int i = 0; i < HANDOFFS; i++) {
		wait_phase(2 * i + 1);
		pthread_mutex_lock(&mutex);
		sink++;
		pthread_mutex_unlock(&mutex);
		atomic_store(&phase, 2 * i + 2);
	}
}

/* --- threads -------------------------------------------------------- */

static void *noop(void *arg)
{
	return arg;
}

static void spawn(int n)
{
	pthread_t t[8];
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, noop, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

NOINLINE static void spawn_two(void) { spawn(2); sink++; }
NOINLINE static void spawn_three(void) { spawn(3); sink++; }
NOINLINE static void spawn_four(void) { spawn(4); sink++; }

/* --- none ----------------------------------------------------------- */

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
	else {
		fprintf(stderr, "prog_contention: unknown mode %s\n", mode);
		return 2;
	}
	return 0;
}
